"""How well a phrase a person said matches text on screen, and where in that text.

Handles case, punctuation, camelCase, sub-word spans, multi-word windows
across OCR words, single characters and symbols, number words and common
homophones, and the confusions OCR makes (0/O, 1/l/I, rn/m), including words
run together with letters dropped ("Meingnotes" for "Meeting notes").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from desktop.core.geometry import Box
from desktop.core.vocabulary import EQUIVALENT_WORDS, SYMBOL_NAMES

__all__ = ["TextMatch", "normalize", "tokenize", "match_text", "symbol_variants", "is_cjk", "equivalents"]

_CJK_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af]")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_PUNCT_EDGE = re.compile(r"^[\s\"'`“”‘’«»()\[\]{}<>:;,.!?…]+|[\s\"'`“”‘’«»()\[\]{}<>:;,.!?…]+$")
_WORD_SEP = re.compile(r"[\s_/\\|]+")
#: Keys drawn with several punctuation marks ("<-" for backspace): one word, not trimmed to "-".
_WHOLE_SYMBOLS = frozenset(k for k in SYMBOL_NAMES if len(k) > 1 and not any(c.isalnum() for c in k))
_TRANSLATE = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "‐": "-",
                            "＋": "+", "－": "-", "＝": "=", "％": "%", "＊": "*", "／": "/"})

_CANONICAL: dict[str, str] = {}
_GROUP: dict[str, frozenset[str]] = {}
for _group in EQUIVALENT_WORDS:
    for _word in _group:
        _GROUP[_word] = _group
    _rep = sorted(_group, key=lambda w: (not w.isdigit(), len(w), w))[0]
    for _word in _group:
        _CANONICAL[_word] = _rep

# OCR confusions folded together before comparing letters: both sides fold the same way.
_OCR_FOLD = str.maketrans({"0": "o", "1": "l", "i": "l", "|": "l", "!": "l", "5": "s", "8": "b"})


@dataclass(frozen=True)
class TextMatch:
    """A match of a phrase in a text: ``score`` in [0, 1] and the box of the matched span."""

    score: float
    box: Box
    exact: bool = False
    whole: bool = True


def is_cjk(text: str) -> bool:
    return bool(_CJK_CHAR.search(text))


@lru_cache(maxsize=8192)
def normalize(text: str) -> str:
    """Lower-case, NFKC, camelCase split, plain quotes and dashes, no edge punctuation."""
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE)
    text = re.sub(r"\s+", " ", _CAMEL.sub(" ", text).casefold()).strip()
    if text in _WHOLE_SYMBOLS:
        return text
    stripped = _PUNCT_EDGE.sub("", text)
    return stripped or text  # a lone symbol ("." or "?") is the text itself


@lru_cache(maxsize=8192)
def tokenize(text: str) -> tuple[str, ...]:
    """Words of normalised text; every CJK character is a word of its own."""
    norm = normalize(text)
    if norm in _WHOLE_SYMBOLS:
        return (norm,)
    words: list[str] = []
    for piece in _WORD_SEP.split(norm):
        if not piece:
            continue
        if is_cjk(piece):
            words.extend(ch for ch in re.findall(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af]|[^\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af]+", piece))
        else:
            stripped = _PUNCT_EDGE.sub("", piece)
            words.append(stripped or piece)
    found = tuple(w for w in words if w)
    # A lone separator ("/" on a division key) is the whole text, not a gap between words.
    return found or ((norm,) if norm.strip() else ())


# Keys OCR reads as another glyph of the same shape ("×" as "x", "−" as "-").
_SAME_GLYPH = {"×": "x", "✕": "x", "✖": "x", "╳": "x", "−": "-", "–": "-", "—": "-", "－": "-",
               "÷": "÷", "⁄": "/", "∕": "/"}


def equivalents(phrase: str) -> tuple[str, ...]:
    """Other ways of saying the whole ``phrase`` ("bin" → "trash", "recycle bin", ...), sorted; () when none."""
    key = normalize(phrase)
    return tuple(sorted(_GROUP.get(key, frozenset()) - {key}))


def _canon(token: str) -> str:
    return _CANONICAL.get(token, _SAME_GLYPH.get(token, token))


def _fold(text: str) -> str:
    if any(c.isalpha() for c in text):
        return text.replace("rn", "m").replace("vv", "w").replace("cl", "d").translate(_OCR_FOLD)
    return text


@lru_cache(maxsize=4096)
def symbol_variants(target: str) -> tuple[str, ...]:
    """Symbols a spoken name can stand for: "times" → ("×", "*", "x")."""
    norm = normalize(target)
    found = [sym for sym, names in SYMBOL_NAMES.items() if norm in names]
    return tuple(found)


def _similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if len(a) <= 1 or len(b) <= 1:
        return 0.0  # single characters: exact or nothing ("7" must never match "1")
    raw = Levenshtein.normalized_similarity(a, b)
    folded = Levenshtein.normalized_similarity(_fold(a), _fold(b))
    # Folded equality means the texts differ only by OCR confusions: nearly exact.
    best = max(raw, 0.97 if _fold(a) == _fold(b) else folded * 0.97)
    # Short words tolerate no more than one edit, long ones a few.
    edits = Levenshtein.distance(_fold(a), _fold(b))
    if edits > max(1, len(a) // 4):
        best *= 0.8
    return best


def _part_boxes(text: str, box: Box, parts: tuple[tuple[str, Box], ...]) -> list[tuple[str, Box]]:
    """Word tokens with boxes: from OCR word parts, else spread by character count."""
    if parts:
        out: list[tuple[str, Box]] = []
        for word, wbox in parts:
            toks = tokenize(word)
            out.extend(_spread(toks, word, wbox) if len(toks) > 1 else [(t, wbox) for t in toks])
        return out
    return _spread(tokenize(text), text, box)


def _spread(toks: tuple[str, ...], text: str, box: Box) -> list[tuple[str, Box]]:
    if not toks:
        return []
    norm = normalize(text)
    total = max(len(norm), 1)
    out, pos = [], 0
    for tok in toks:
        start = norm.find(tok, pos)
        start = pos if start < 0 else start
        end = start + len(tok)
        pos = end
        x0 = box.x0 + box.width * start / total
        x1 = box.x0 + box.width * min(end, total) / total
        out.append((tok, Box(x0, box.y0, max(x1, x0 + 1), box.y1)))
    return out


def match_text(target: str, text: str, box: Box, parts: tuple[tuple[str, Box], ...] = ()) -> TextMatch | None:
    """Best match of ``target`` inside ``text`` (shown at ``box``); None when nothing is close."""
    raw_tokens = tokenize(target)
    t_tokens = tuple(_canon(t) for t in raw_tokens)
    raw_words = _part_boxes(text, box, parts)
    words = [(_canon(w), b) for w, b in raw_words]
    if not t_tokens or not words:
        return None
    phrase = _CANONICAL.get(normalize(target))
    if phrase is not None and phrase == _CANONICAL.get(normalize(text)):
        return TextMatch(1.0, box, exact=True, whole=True)  # "login" and "Sign in"
    cjk = is_cjk(target)
    joiner = "" if cjk else " "
    t_joined = joiner.join(t_tokens)
    # A misread word is compared as said too: "Options" is canonically "option",
    # which is two edits from the menu's "Qptions" where the said word is one.
    t_said = joiner.join(raw_tokens) if raw_tokens != t_tokens else None
    full = joiner.join(w for w, _ in words)
    if t_joined == full:
        return TextMatch(1.0, box, exact=True, whole=True)
    if t_joined.replace(" ", "") == full.replace(" ", "") and len(t_joined) > 1:
        return TextMatch(0.98, box, exact=True, whole=True)  # "log in" vs "Login"
    best: TextMatch | None = None
    n = len(t_tokens)
    for size in {max(1, n - 1), n, n + 1}:
        for i in range(0, len(words) - size + 1):
            window = words[i:i + size]
            joined = joiner.join(w for w, _ in window)
            score = _similarity(t_joined, joined)
            if t_said is not None:
                score = max(score, _similarity(t_said, joiner.join(w for w, _ in raw_words[i:i + size])))
            if score < 0.6:
                continue
            # Only measured word boxes (OCR's) show gaps; spread ones are estimates.
            whole = size == len(words) or bool(parts) and _set_apart(words, i, size)
            if not whole:
                # Prefer a label that is exactly the phrase over a longer line containing it.
                share = len(joined) / max(len(full), 1)
                score *= 0.9 + 0.08 * share
            span = Box.around([(b.x0, b.y0) for _, b in window] + [(b.x1, b.y1) for _, b in window])
            if best is None or score > best.score:
                best = TextMatch(score, span, exact=score >= 0.999, whole=whole)
    if not cjk:
        merged = _merged_match(t_tokens, words, full)
        if merged is not None and (best is None or merged.score > best.score):
            best = merged
    if best is None or best.score < 0.75:
        sub = _subword_match(t_joined, words, cjk)
        if sub is not None and (best is None or sub.score > best.score):
            best = sub
    return best


#: A gap this many line heights wide is no word space: the words on either side are separate labels.
_APART = 1.0


def _set_apart(words: list[tuple[str, Box]], i: int, size: int) -> bool:
    """Whether ``words[i:i + size]`` stands apart from its neighbours on the line, as a label of its own.

    OCR reads a menu bar half covered by a dialog, or a row of text buttons,
    as one line ("File  Edit  Op"); a word set that far from the next is one
    item, and "File" said is all of it.
    """
    first, last = words[i][1], words[i + size - 1][1]
    height = max(first.height, last.height, 1.0)
    before = i == 0 or first.x0 - words[i - 1][1].x1 >= _APART * height
    after = i + size == len(words) or words[i + size][1].x0 - last.x1 >= _APART * height
    return before and after


def _subword_match(target: str, words: list[tuple[str, Box]], cjk: bool) -> TextMatch | None:
    """The phrase as part of one word ("save" in "autosave", "报告" in "报告.pdf")."""
    if len(target) < (1 if cjk else 3) or " " in target:
        return None
    for word, wbox in words:
        pos = word.find(target)
        if pos < 0 or word == target:
            continue
        share = len(target) / len(word)
        x0 = wbox.x0 + wbox.width * pos / len(word)
        x1 = wbox.x0 + wbox.width * (pos + len(target)) / len(word)
        # Only a prefix or a clear part ("report" in "report.pdf") is a good reading.
        score = 0.6 + 0.25 * share + (0.05 if pos == 0 else 0.0)
        return TextMatch(min(score, 0.88), Box(x0, wbox.y0, max(x1, x0 + 1), wbox.y1), whole=False)
    return None


# Below this many letters a phrase read without its spaces is too easily some other word.
_MERGED_MIN_CHARS = 8
# The merged reading's share of the similarity: it stays under a clean match of the same words.
_MERGED_WEIGHT = 0.95


def _merged_match(t_tokens: tuple[str, ...], words: list[tuple[str, Box]], full: str) -> TextMatch | None:
    """The phrase as OCR reads it with its spaces dropped ("Paswrdresetrequet").

    RapidOCR on small UI fonts runs words together and drops letters, so a spaced phrase
    differs from such a token by its spaces as well as by the lost letters. Only windows of
    fewer OCR words than the phrase has words are compared, spaces removed on both sides.

    Parameters
    ----------
    t_tokens : tuple of str
        The phrase's canonical words.
    words : list of (str, Box)
        The text's canonical words with their boxes.
    full : str
        The text's words joined by spaces, to weigh a window against the whole line.

    Returns
    -------
    TextMatch or None
        The best window, scored ``0.95 * similarity`` (less for part of a longer line), or None
        for one-word or short phrases and for readings that fail the guards of ``_merged_similarity``.
    """
    folded = tuple(_fold(t) for t in t_tokens)
    n = len(folded)
    target_len = sum(len(t) for t in folded)
    if n < 2 or target_len < _MERGED_MIN_CHARS:
        return None
    best: TextMatch | None = None
    for size in range(1, min(n, len(words) + 1)):
        for i in range(0, len(words) - size + 1):
            window = words[i:i + size]
            joined = "".join(w for w, _ in window)
            sim = _merged_similarity(folded, _fold(joined))
            if sim is None:
                continue
            whole = size == len(words)
            score = _MERGED_WEIGHT * sim
            if not whole:
                score *= 0.9 + 0.08 * len(joined) / max(len(full), 1)
            if best is None or score > best.score:
                span = Box.around([(b.x0, b.y0) for _, b in window] + [(b.x1, b.y1) for _, b in window])
                best = TextMatch(score, span, whole=whole)
    return best


def _merged_similarity(t_words: tuple[str, ...], text: str) -> float | None:
    """Similarity of the phrase's words run together with ``text``; None when a guard fails.

    Guards, each against a false reading: at most one edit per five letters, so a phrase that
    is only the start or end of a token fails ("password reset" is not "Paswrdresetrequet");
    the same first letter, since a window starts where a word starts ("print all pages" is not
    "Reprintallpages"); and every phrase word keeps at least half its letters, since OCR drops
    letters, not whole words ("remember me" is not "Remember").
    """
    target = "".join(t_words)
    budget = len(target) // 5
    if not text or text[0] != target[0] or abs(len(text) - len(target)) > budget:
        return None
    edits = Levenshtein.distance(target, text)
    if edits > budget:
        return None
    kept = [0] * len(t_words)
    ends = [sum(len(w) for w in t_words[:k + 1]) for k in range(len(t_words))]
    for op in Levenshtein.opcodes(target, text):
        if op.tag != "equal":
            continue
        for pos in range(op.src_start, op.src_end):
            kept[next(k for k, end in enumerate(ends) if pos < end)] += 1
    if any(2 * k < len(w) for k, w in zip(kept, t_words)):
        return None
    return 1.0 - edits / max(len(target), len(text))
