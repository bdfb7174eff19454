"""Turn raw match scores into confidences that mean what they say.

A logistic model over a few features (raw score, margin to the runner-up,
whether meaning-level matching or a relation was needed, whether the point
is an alternative). Its weights are fitted on the benchmark by
``tests/benchmarks/fit_calibration.py`` and shipped in
``desktop/data/calibration.json``; a confidence of 0.8 should be right about
80% of the time on screens like the benchmark's.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass
from importlib import resources
from typing import Sequence

__all__ = ["Features", "Calibrator", "FEATURE_NAMES", "load_calibrator"]

logger = logging.getLogger(__name__)

FEATURE_NAMES = ("bias", "score", "margin", "semantic", "relation", "many", "alternative", "rank")
_DEFAULT_WEIGHTS = (-6.0, 8.5, 3.0, -0.8, -0.3, 0.0, -1.5, -0.3)


@dataclass(frozen=True)
class Features:
    score: float
    margin: float
    semantic: bool = False
    relation: bool = False
    many: bool = False
    rank: int = 0

    def vector(self) -> tuple[float, ...]:
        return (1.0, self.score, max(min(self.margin, 1.0), -1.0), float(self.semantic),
                float(self.relation), float(self.many), float(self.rank > 0), float(min(self.rank, 5)))


class Calibrator:
    """Callable ``Features → confidence in [0, 1]``; ``Calibrator(None)`` passes raw scores through."""

    def __init__(self, weights: Sequence[float] | None = _DEFAULT_WEIGHTS) -> None:
        if weights is not None and len(weights) != len(FEATURE_NAMES):
            raise ValueError(f"calibration needs {len(FEATURE_NAMES)} weights, got {len(weights)}")
        self.weights = tuple(weights) if weights is not None else None

    def __call__(self, features: Features) -> float:
        if self.weights is None:
            return min(max(features.score, 0.0), 1.0)
        z = sum(w * x for w, x in zip(self.weights, features.vector()))
        return 1.0 / (1.0 + math.exp(-max(min(z, 40.0), -40.0)))


def load_calibrator(mode: str = "fitted") -> Calibrator:
    """The shipped calibration (``fitted``), the hand-set default (``default``), or raw scores (``off``)."""
    if mode == "off":
        return Calibrator(None)
    if mode == "fitted":
        try:
            data = json.loads(resources.files("desktop.data").joinpath("calibration.json").read_text())
            if tuple(data["features"]) == FEATURE_NAMES:
                return Calibrator(data["weights"])
            logger.warning("calibration.json lists other features; using the default calibration")
        except (FileNotFoundError, KeyError, ValueError) as exc:
            logger.debug("no fitted calibration (%s); using the default", exc)
    return Calibrator()
