"""Whether a voice adaptation helps, judged on recordings it was not estimated from (cross-validation).

A transform estimated from the person's confirmed commands usually helps a
voice the model hears poorly, but on a voice it already hears well it can
cost a command or two (on the synthesised benchmark, 100% → 88% for one Klatt
voice). So before :func:`desktop.speech.adapt.adapt_voice` installs one, the
recordings are split into :data:`FOLDS` interleaved parts (recording ``i``
is in part ``i % FOLDS``: deterministic, and old and new recordings mix);
for each part a transform is estimated from the others, and the part is
recognised with and without it. Recognition is as in the app: the command
grammar over the screen's words, which here are the texts of all the kept
commands (the recordings keep no screenshot), and a result whose grammar
does not fit counts as nothing heard. The adaptation is installed only when
the held-out commands have fewer word errors in all with it: on a voice
already heard without errors it is never installed, and a tie (as many
commands heard worse as better) keeps what is there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from desktop.speech.sphinx import SphinxRecognizer

__all__ = ["HeldOutCheck", "FOLDS", "folds", "word_errors", "heard_errors", "compare"]

#: Parts the recordings are split into: each transform is estimated from 75% of them.
FOLDS = 4


@dataclass(frozen=True)
class HeldOutCheck:
    """Word errors on held-out commands without (``before``) and with (``after``) the adaptation.

    ``better`` and ``worse`` count the commands heard with fewer or more errors when adapted.
    """

    utterances: int
    words: int
    before: int
    after: int
    better: int
    worse: int
    folds: int

    @property
    def helps(self) -> bool:
        """Fewer word errors in all (a tie, some commands better and as many worse, is not a gain)."""
        return self.after < self.before

    def summary(self) -> str:
        """The numbers in words ("word errors on 40 commands it was not estimated from: 12 without it, 5 with it")."""
        return (f"word errors on {self.utterances} commands it was not estimated from: "
                f"{self.before} without it, {self.after} with it")

    def reason(self) -> str:
        """Why the adaptation is (not) installed."""
        if self.helps:
            return f"It helped: {self.summary()}."
        if self.before == 0:
            return f"Your voice is already heard without errors ({self.summary()})."
        if self.after > self.before:
            return f"It made recognition worse: {self.summary()}."
        return f"It did not help: {self.summary()}."

    def to_dict(self) -> dict[str, int | bool]:
        return {"utterances": self.utterances, "words": self.words, "errors_before": self.before,
                "errors_after": self.after, "better": self.better, "worse": self.worse, "folds": self.folds,
                "helps": self.helps}


def folds(n: int, k: int = FOLDS) -> list[list[int]]:
    """The held-out indices of each part (recording ``i`` in part ``i % k``); empty parts left out."""
    return [p for p in ([i for i in range(n) if i % k == f] for f in range(max(1, k))) if p]


def word_errors(reference: str, heard: str) -> int:
    """Substituted, inserted and deleted words (the edit distance between word sequences)."""
    ref, hyp = reference.split(), heard.split()
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (r != h))
    return row[-1]


def heard_errors(recognizer: SphinxRecognizer, samples: Sequence[tuple[np.ndarray, str]],
                 screen: Sequence[str]) -> list[int]:
    """Word errors of each ``(audio, words)`` recognised with the grammar over ``screen`` (no fit: nothing heard)."""
    from desktop.speech.adapt import normalise_words

    out = []
    for audio, words in samples:
        result = recognizer.transcribe(audio, screen)
        out.append(word_errors(words, normalise_words(result.text) if result.fits else ""))
    return out


def compare(before: Sequence[int], after: Sequence[int], words: int, k: int) -> HeldOutCheck:
    """The check from per-command errors without and with adapting."""
    return HeldOutCheck(len(before), words, int(sum(before)), int(sum(after)),
                        sum(a < b for b, a in zip(before, after)), sum(a > b for b, a in zip(before, after)), k)
