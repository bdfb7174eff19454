"""Scoring control detections against rendered ground truth, and an OCR stand-in."""

from __future__ import annotations

import re
from dataclasses import dataclass

from desktop.core.geometry import Box
from desktop.core.results import Candidate
from tests.gui._controls_screens import RenderedScreen

__all__ = ["fake_ocr", "RoleScore", "score_screen"]


# --------------------------------------------------------------------------- OCR stand-in


def fake_ocr(screen: RenderedScreen) -> list[Candidate]:
    """OCR-like text candidates from the known text lines (used when no OCR source exists)."""
    out = []
    for text, box, words in screen.texts:
        parts = list(words)
        if not parts and len(text.split()) > 1:
            pos = 0
            for word in text.split():
                start = text.index(word, pos)
                pos = start + len(word)
                parts.append((word, Box(box.x0 + box.width * start / len(text), box.y0,
                                        box.x0 + box.width * pos / len(text), box.y1)))
        out.append(Candidate(box=box, text=text, role="text", source="ocr", score=0.95, parts=tuple(parts)))
    return out


# --------------------------------------------------------------------------- scoring


@dataclass
class RoleScore:
    """Matches of detections against ground truth for one role."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    wrong_state: int = 0
    wrong_label: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9\u4e00-\u9fff]+", "", text.lower())


def score_screen(screen: RenderedScreen, found: list[Candidate],
                 scores: dict[str, RoleScore] | None = None) -> dict[str, RoleScore]:
    """Greedy one-to-one matching by role, IoU >= 0.4 and centre inside the true box.

    Detections over ``ignore`` truths (nav links, badges, segmented buttons)
    count neither way. A label counts as right when it equals the truth's
    text ignoring case, spaces and punctuation.
    """
    scores = {} if scores is None else scores
    ignore = [t.box for t in screen.truths if t.role == "ignore"]
    truths = [t for t in screen.truths if t.role != "ignore"]
    used: set[int] = set()
    for cand in sorted(found, key=lambda c: -c.score):
        if any(b.overlap_of_smaller(cand.box) > 0.6 for b in ignore):
            continue
        score = scores.setdefault(cand.role, RoleScore())
        hit = next((i for i, t in enumerate(truths) if i not in used and t.role == cand.role
                    and cand.box.iou(t.box) >= 0.4 and t.box.expand(2).contains(*cand.box.center)), None)
        if hit is None:
            score.fp += 1
            continue
        used.add(hit)
        score.tp += 1
        truth = truths[hit]
        if cand.role in ("checkbox", "radio", "switch") and cand.states != truth.states:
            score.wrong_state += 1
        if _norm(cand.text) != _norm(truth.text):
            score.wrong_label += 1
    for i, t in enumerate(truths):
        if i not in used:
            scores.setdefault(t.role, RoleScore()).fn += 1
    return scores
