"""Pronunciations for words the recognizer's dictionary lacks (screen words such as "Kuhlman", "xlsx").

Three ways, best first: the CMU dictionary that ships with pocketsphinx
(looked up by the recognizer itself); espeak-ng's letter-to-sound rules,
whose IPA output is mapped to the CMU phone set; and, for short all-capital
words ("PDF") or when espeak-ng is missing, spelling the word letter by letter.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
import threading
from typing import Iterable, Sequence

__all__ = ["ipa_to_cmu", "spelled", "Pronouncer"]

logger = logging.getLogger(__name__)

#: espeak-ng IPA phonemes (en-us) → CMU phones. Multi-phoneme symbols (r-coloured
#: vowels, triphthongs) map to several phones.
_IPA: dict[str, tuple[str, ...]] = {
    "ɑː": ("AA",), "ɑ": ("AA",), "ɒ": ("AA",), "æ": ("AE",), "ʌ": ("AH",), "ə": ("AH",), "ɐ": ("AH",),
    "ɚ": ("ER",), "ɜː": ("ER",), "ɜ": ("ER",), "ɝ": ("ER",), "ɔː": ("AO",), "ɔ": ("AO",),
    "aɪ": ("AY",), "aʊ": ("AW",), "eɪ": ("EY",), "e": ("EH",), "ɛ": ("EH",), "ɪ": ("IH",), "ᵻ": ("IH",),
    "iː": ("IY",), "i": ("IY",), "oʊ": ("OW",), "oː": ("OW",), "o": ("OW",), "ɔɪ": ("OY",),
    "ʊ": ("UH",), "uː": ("UW",), "u": ("UW",), "a": ("AE",),
    "aɪɚ": ("AY", "ER"), "aɪə": ("AY", "AH"), "aʊɚ": ("AW", "ER"), "ɑːɹ": ("AA", "R"), "ɔːɹ": ("AO", "R"),
    "oːɹ": ("AO", "R"), "oɹ": ("AO", "R"), "ɛɹ": ("EH", "R"), "ɪɹ": ("IH", "R"), "ʊɹ": ("UH", "R"),
    "eə": ("EH", "R"), "iə": ("IY", "AH"), "ʊə": ("UH", "AH"), "ɪə": ("IH", "AH"),
    "b": ("B",), "tʃ": ("CH",), "d": ("D",), "ð": ("DH",), "f": ("F",), "ɡ": ("G",), "g": ("G",),
    "h": ("HH",), "dʒ": ("JH",), "k": ("K",), "l": ("L",), "m": ("M",), "n": ("N",), "ŋ": ("NG",),
    "p": ("P",), "ɹ": ("R",), "r": ("R",), "s": ("S",), "ʃ": ("SH",), "t": ("T",), "θ": ("TH",),
    "v": ("V",), "w": ("W",), "j": ("Y",), "z": ("Z",), "ʒ": ("ZH",), "x": ("K",), "ɬ": ("L",),
    "ɾ": ("T",), "ʔ": ("T",), "n̩": ("AH", "N"), "l̩": ("AH", "L"), "m̩": ("AH", "M"), "ɫ": ("L",),
}
_MARKS = re.compile("[ˈˌ\u200d\u0361-]")

#: How each letter is said on its own ("P D F").
LETTER_NAMES: dict[str, str] = {
    "a": "EY", "b": "B IY", "c": "S IY", "d": "D IY", "e": "IY", "f": "EH F", "g": "JH IY",
    "h": "EY CH", "i": "AY", "j": "JH EY", "k": "K EY", "l": "EH L", "m": "EH M", "n": "EH N",
    "o": "OW", "p": "P IY", "q": "K Y UW", "r": "AA R", "s": "EH S", "t": "T IY", "u": "Y UW",
    "v": "V IY", "w": "D AH B AH L Y UW", "x": "EH K S", "y": "W AY", "z": "Z IY",
}


def ipa_to_cmu(ipa: str) -> tuple[str, ...]:
    """CMU phones for espeak-ng IPA whose phonemes are separated by ``_`` (``--ipa --sep=_``).

    Unknown phonemes are mapped character by character; characters that are
    still unknown are dropped (a slightly wrong pronunciation beats none).
    """
    phones: list[str] = []
    for chunk in ipa.replace(" ", "_").split("_"):
        token = _MARKS.sub("", chunk)
        if not token:
            continue
        if token in _IPA:
            phones.extend(_IPA[token])
            continue
        i = 0
        while i < len(token):  # longest known prefix first
            for size in (3, 2, 1):
                piece = token[i:i + size]
                if piece in _IPA:
                    phones.extend(_IPA[piece])
                    i += size
                    break
            else:
                i += 1
    return tuple(phones)


def spelled(word: str) -> tuple[str, ...]:
    """CMU phones for saying ``word`` letter by letter."""
    return tuple(p for ch in word.lower() if ch in LETTER_NAMES for p in LETTER_NAMES[ch].split())


class Pronouncer:
    """Letter-to-sound pronunciations, cached; espeak-ng when installed, spelling otherwise.

    Parameters
    ----------
    espeak
        Path of the ``espeak-ng`` binary; found on ``PATH`` when ``None``.
    voice
        The espeak-ng voice whose rules are used (American English matches the
        acoustic model).
    """

    def __init__(self, espeak: str | None = None, voice: str = "en-us") -> None:
        self.espeak = espeak if espeak is not None else shutil.which("espeak-ng")
        self.voice = voice
        self._cache: dict[str, tuple[tuple[str, ...], ...]] = {}
        self._lock = threading.Lock()

    def pronunciations(self, words: Iterable[str]) -> dict[str, tuple[tuple[str, ...], ...]]:
        """Each word's pronunciations (one or two phone sequences), for lowercase ``[a-z']`` words."""
        wanted = [w for w in dict.fromkeys(words) if w]
        with self._lock:
            missing = [w for w in wanted if w not in self._cache]
        if missing:
            found = self._letter_to_sound(missing)
            with self._lock:
                for word in missing:
                    self._cache[word] = _variants(word, found.get(word, ()))
        with self._lock:
            return {w: self._cache[w] for w in wanted}

    def _letter_to_sound(self, words: Sequence[str]) -> dict[str, tuple[str, ...]]:
        if not self.espeak:
            return {}
        # One process for all words: one word per line gives one line of phonemes per word.
        try:
            done = subprocess.run([self.espeak, "-q", "-v", self.voice, "--ipa", "--sep=_"],
                                  input="\n".join(words) + "\n", capture_output=True, text=True,
                                  timeout=10, check=True)
        except (OSError, subprocess.SubprocessError) as exc:
            logger.warning("espeak-ng letter-to-sound failed (%s); spelling words instead", exc)
            return {}
        lines = [line.strip() for line in done.stdout.splitlines() if line.strip()]
        if len(lines) != len(words):
            logger.debug("espeak-ng gave %d lines for %d words; asking one by one", len(lines), len(words))
            if len(words) == 1:
                return {words[0]: ipa_to_cmu("_".join(lines))}
            out: dict[str, tuple[str, ...]] = {}
            for word in words:
                out.update(self._letter_to_sound([word]))
            return out
        return {w: ipa_to_cmu(line) for w, line in zip(words, lines)}


def _variants(word: str, rules: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """Letter-to-sound first; spelling too for short words a person may spell out ("xlsx", "pdf")."""
    letters = spelled(word)
    out = [rules] if rules else []
    if letters and (not rules or len(word) <= 4):
        out.append(letters)
    return tuple(dict.fromkeys(out))
