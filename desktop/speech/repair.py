"""Readings of OCR-garbled screen words as dictionary words ("Meingnotes" → "meeting notes").

RapidOCR on small UI fonts drops letters and the spaces between words, so a
screen's vocabulary holds tokens such as "Meingnotes" for "Meeting notes".
Said by letter-to-sound rules such a token sounds nothing like what a person
says, so the grammar gets the repaired reading as an alternative.

A repair is a segmentation of the token into common words where each piece
may lack a few of its word's letters (what OCR mostly does), or, at a higher
price, hold an extra or a wrong letter. The cheapest segmentation wins (fewer,
more common words, fewer edits), and it is kept only if its edits stay within
a budget relative to the token's length. Anything the dictionary already knows
(real words, the names it lists) is never repaired, and short tokens are left
alone: with few letters nearly any reading is one or two edits away.

Plain text work: the word lists come in from the caller (the recognizer's
dictionary and language model), so this module needs no recognizer.
"""

from __future__ import annotations

import math
import re
import threading
from dataclasses import dataclass, field
from typing import Iterable, Mapping

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

__all__ = ["Lexicon", "WordRepairer"]

#: Tokens shorter than this are left alone ("Hep", "docx"): too many readings are near.
MIN_TOKEN = 5
#: Shortest piece that may carry an edit; shorter pieces must be whole words.
MIN_FUZZY_PIECE = 4
#: Shortest word a piece may be (one-letter words make any letter a word boundary).
MIN_WORD = 2
#: Rarest word a reading may use (-log10 unigram probability): "newsletter" is
#: 5.8, and rarer words are mostly names, which would cut other names into pieces.
COMMON_RARITY = 5.8
#: Three-letter words must be commoner still ("led", "son", not "ram", "ana").
SHORT_RARITY = 4.5
#: The only two-letter words a reading may use: the language model also knows
#: "ip", "et", "ka" and the like, which cut any name into pieces ("lorem" → "lo rem").
SHORT_WORDS = frozenset({"am", "an", "as", "at", "be", "by", "do", "go", "he", "if", "in", "is", "it", "me", "my",
                         "no", "of", "ok", "on", "or", "so", "to", "up", "us", "we"})
MAX_WORD = 16
#: What OCR does to small text, and what each costs (in dropped letters): narrow
#: glyphs vanish and doubled letters merge (cheap), other letters are dropped
#: less often, specks read as an extra letter, and only look-alike glyphs are
#: read one for the other (any other substitution is no OCR slip).
DROP_NARROW, DROP_OTHER, EXTRA, LOOKALIKE = 1.0, 1.5, 1.5, 1.0
_NARROW = frozenset("iljtfr")
_LOOKALIKES = frozenset(frozenset(p) for p in ("il", "ij", "jl", "ft", "ce", "co", "eo", "nh", "nu", "uv", "vy",
                                                "gq", "hb"))
#: Costs of a reading: each word (fewer words are likelier), its rarity (-log10
#: unigram probability) and each edit (in units of one dropped letter).
WORD_COST = 2.0
RARITY_WEIGHT = 0.5
EDIT_COST = 2.0
#: Largest share of a repaired reading's letters that may be edits in all.
EDIT_SHARE = 0.2
_TOKEN = re.compile(r"[a-z]+")
_CACHE_SIZE = 4096


@dataclass(frozen=True)
class Lexicon:
    """The words a repair may use and the words that are never repaired.

    Parameters
    ----------
    rarity
        Candidate words with their rarity (-log10 of the unigram probability,
        about 1.4 for "the" and 6 for a rare word): common words only.
    known
        Every word with a pronunciation in the dictionary (names included):
        a token among them is a real word and stays as it is.
    """

    rarity: Mapping[str, float]
    known: frozenset[str] = frozenset()
    _buckets: dict[tuple[str, int], list[str]] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        for word in self.rarity:
            if len(word) > MIN_WORD + 1 and self.usable(word) and _TOKEN.fullmatch(word):
                self._buckets.setdefault((word[0], len(word)), []).append(word)

    def usable(self, word: str) -> bool:
        """Whether a reading may use ``word``: common enough for its length."""
        rarity = self.rarity.get(word, math.inf)
        if len(word) <= MIN_WORD:
            return word in SHORT_WORDS and rarity < math.inf
        return rarity <= (SHORT_RARITY if len(word) == MIN_WORD + 1 else COMMON_RARITY) and len(word) <= MAX_WORD

    def words_near(self, piece: str) -> list[str]:
        """Candidate words for ``piece``: same first letter, a length it could have lost letters from."""
        lo, hi = len(piece) - 1, len(piece) + int(_max_edits(len(piece) + 3))
        return [w for n in range(max(lo, MIN_WORD), hi + 1) for w in self._buckets.get((piece[0], n), ())]


def _max_edits(word_length: int) -> float:
    """Most edits one word may carry: a third of its letters ("meeting" read as "meing")."""
    return word_length / 3


@dataclass(frozen=True)
class _Piece:
    word: str
    edits: float
    cost: float


class WordRepairer:
    """Repaired readings of screen tokens, computed once per token and cached.

    Parameters
    ----------
    lexicon
        The words repairs may use and the words never repaired.

    Examples
    --------
    ``repairer("meingnotes")`` → ``("meeting", "notes")``; ``repairer("haddad")`` → ``None``.
    """

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self._tokens: dict[str, tuple[str, ...] | None] = {}
        self._lock = threading.Lock()

    def __call__(self, token: str) -> tuple[str, ...] | None:
        """The repaired reading of a lowercase token, or ``None`` when it needs (or finds) none."""
        with self._lock:
            if token in self._tokens:
                return self._tokens[token]
        found = self._repair(token) if self._needs_repair(token) else None
        with self._lock:
            if len(self._tokens) >= _CACHE_SIZE:
                self._tokens.clear()
            self._tokens[token] = found
        return found

    def repair_all(self, tokens: Iterable[str]) -> dict[str, tuple[str, ...]]:
        """Every token that has a repaired reading, with it."""
        out = {t: self(t) for t in dict.fromkeys(tokens)}
        return {t: r for t, r in out.items() if r}

    def _needs_repair(self, token: str) -> bool:
        return len(token) >= MIN_TOKEN and bool(_TOKEN.fullmatch(token)) and token not in self.lexicon.known

    def _repair(self, token: str) -> tuple[str, ...] | None:
        """The cheapest segmentation of ``token`` into (nearly) whole words, if within the edit budget."""
        n = len(token)
        start: tuple[float, int, _Piece | None] = (0.0, 0, None)
        best = [start] + [(math.inf, 0, None)] * n
        pieces: dict[str, _Piece | None] = {}
        for i in range(n):
            if best[i][0] == math.inf:
                continue
            for j in range(i + MIN_WORD, min(n, i + MAX_WORD) + 1):
                piece = pieces[token[i:j]] if token[i:j] in pieces else self._match(token[i:j])
                pieces[token[i:j]] = piece
                if piece is not None and best[i][0] + piece.cost < best[j][0]:
                    best[j] = (best[i][0] + piece.cost, i, piece)
        if best[n][0] == math.inf:
            return None
        words: list[_Piece] = []
        j = n
        while j > 0:
            _, i, piece = best[j]
            assert piece is not None
            words.append(piece)
            j = i
        words.reverse()
        edits = sum(p.edits for p in words)
        if edits > EDIT_SHARE * sum(len(p.word) for p in words):
            return None
        return tuple(p.word for p in words)

    def _match(self, piece: str) -> _Piece | None:
        """The cheapest word ``piece`` may stand for, or ``None``."""
        rarity = self.lexicon.rarity
        best: _Piece | None = None
        if self.lexicon.usable(piece):
            best = _Piece(piece, 0.0, WORD_COST + RARITY_WEIGHT * rarity[piece])
        if len(piece) < MIN_FUZZY_PIECE:
            return best
        # Plain edit distance prunes in C; the OCR-aware price is worked out for the few left.
        limit = int(_max_edits(len(piece) + 3))
        for word, _, _ in process.extract(piece, self.lexicon.words_near(piece), scorer=Levenshtein.distance,
                                          score_cutoff=limit, limit=None):
            edits = _ocr_edits(piece, word)
            if word == piece or edits > _max_edits(len(word)):
                continue
            cost = WORD_COST + RARITY_WEIGHT * rarity[word] + EDIT_COST * edits
            if best is None or cost < best.cost:
                best = _Piece(word, edits, cost)
        return best


def _ocr_edits(piece: str, word: str) -> float:
    """What turning ``word`` into what OCR read (``piece``) costs; ``inf`` for a slip OCR does not make."""
    total = 0.0
    for edit in Levenshtein.editops(piece, word):
        op, src, dest = edit.tag, edit.src_pos, edit.dest_pos
        if op == "insert":  # a letter of the word that OCR dropped
            letter = word[dest]
            doubled = word[dest - 1:dest] == letter or word[dest + 1:dest + 2] == letter
            total += DROP_NARROW if doubled or letter in _NARROW else DROP_OTHER
        elif op == "delete":
            total += EXTRA
        elif frozenset((piece[src], word[dest])) in _LOOKALIKES:
            total += LOOKALIKE
        else:
            return math.inf
    return total
