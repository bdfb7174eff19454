"""Scoring of benchmark answers: points against target boxes, calibration, latency summaries.

Pure functions over plain data (points are dicts with ``x``, ``y``,
``confidence``, ``action`` and ``step``), so they are tested without an engine.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Sequence

__all__ = ["CaseScore", "inside", "match_one_to_one", "score_case", "expected_calibration_error",
           "reliability_table", "percentile"]

Point = dict[str, Any]


@dataclass(frozen=True)
class CaseScore:
    """How one case went.

    ``correct`` is the case's accuracy: the first point inside a target (and
    with the asked action) for ``one``; exactly the targets, one point each,
    for ``all``; every step's point inside that step's target for ``sequence``.
    ``point_ok`` says for each returned point whether it was right, in the
    returned order, for calibration.
    """

    correct: bool
    point_ok: tuple[bool, ...]
    tp: int = 0
    n_points: int = 0
    n_targets: int = 0
    action_ok: bool = True
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def precision(self) -> float:
        return self.tp / self.n_points if self.n_points else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.n_targets if self.n_targets else 0.0


def inside(x: float, y: float, box: Sequence[float]) -> bool:
    """Whether pixel ``(x, y)`` lies in ``[x0, y0, x1, y1)``."""
    return box[0] <= x < box[2] and box[1] <= y < box[3]


def match_one_to_one(points: Sequence[Point], targets: Sequence[Sequence[float]]) -> list[int | None]:
    """Maximum matching of points to targets containing them (each target used once)."""
    owner: dict[int, int] = {}

    def augment(p: int, seen: set[int]) -> bool:
        for t, box in enumerate(targets):
            if t in seen or not inside(points[p]["x"], points[p]["y"], box):
                continue
            seen.add(t)
            if t not in owner or augment(owner[t], seen):
                owner[t] = p
                return True
        return False

    for p in range(len(points)):
        augment(p, set())
    matched: list[int | None] = [None] * len(points)
    for t, p in owner.items():
        matched[p] = t
    return matched


def _score_one(case: dict[str, Any], points: Sequence[Point]) -> CaseScore:
    want = case.get("action", "click")
    ok = tuple(any(inside(p["x"], p["y"], b) for b in case["targets"]) and p.get("action", "click") == want
               for p in points)
    action_ok = bool(points) and points[0].get("action", "click") == want
    return CaseScore(correct=bool(ok and ok[0]), point_ok=ok, tp=int(bool(ok and ok[0])),
                     n_points=min(1, len(points)), n_targets=1, action_ok=action_ok)


def _score_all(case: dict[str, Any], points: Sequence[Point]) -> CaseScore:
    matched = match_one_to_one(points, case["targets"])
    tp = sum(m is not None for m in matched)
    n_t = len(case["targets"])
    return CaseScore(correct=tp == n_t == len(points), point_ok=tuple(m is not None for m in matched),
                     tp=tp, n_points=len(points), n_targets=n_t)


def _score_sequence(case: dict[str, Any], points: Sequence[Point]) -> CaseScore:
    targets = case["targets"]
    steps = [p.get("step", 0) for p in points]
    notes: tuple[str, ...] = ()
    if len(targets) > 1 and len(set(steps)) == 1:
        # No step numbers: take the returned order as the click order.
        steps = list(range(len(points)))
        notes = ("no step numbers; used returned order",)
    first: dict[int, int] = {}
    for i, s in enumerate(steps):
        first.setdefault(s, i)
    ok = tuple(s < len(targets) and inside(p["x"], p["y"], targets[s]) for p, s in zip(points, steps))
    hits = [k in first and ok[first[k]] for k in range(len(targets))]
    return CaseScore(correct=all(hits), point_ok=ok, tp=sum(hits), n_points=len(first),
                     n_targets=len(targets), notes=notes)


def score_case(case: dict[str, Any], points: Sequence[Point]) -> CaseScore:
    """Score the engine's points (in the order it returned them) for one case."""
    expect = case.get("expect", "one")
    if expect == "all":
        return _score_all(case, points)
    if expect == "sequence":
        return _score_sequence(case, points)
    return _score_one(case, points)


def reliability_table(confidences: Sequence[float], correct: Sequence[bool],
                      bins: int = 10) -> list[dict[str, float]]:
    """Per equal-width confidence bin: range, count, mean confidence, accuracy."""
    rows = []
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        idx = [i for i, c in enumerate(confidences) if lo <= c < hi or (b == bins - 1 and c == 1.0)]
        n = len(idx)
        rows.append({"lo": lo, "hi": hi, "count": n,
                     "confidence": sum(confidences[i] for i in idx) / n if n else 0.0,
                     "accuracy": sum(bool(correct[i]) for i in idx) / n if n else 0.0})
    return rows


def expected_calibration_error(confidences: Sequence[float], correct: Sequence[bool], bins: int = 10) -> float:
    """ECE: count-weighted mean gap between confidence and accuracy over equal-width bins."""
    total = len(confidences)
    if not total:
        return float("nan")
    return sum(r["count"] / total * abs(r["confidence"] - r["accuracy"])
               for r in reliability_table(confidences, correct, bins))


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0-100) with linear interpolation; NaN when empty."""
    if not values:
        return float("nan")
    s = sorted(values)
    k = (len(s) - 1) * q / 100
    lo, hi = math.floor(k), math.ceil(k)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)
