"""Fit how sure the icon source is of a crop asked for by phrase, for the shipped weights.

The icon source scores a crop for a phrase by the share of the model's
belief that falls on the phrase's meaning (``mass``) and by how much that
crop stands out on its screen (``share`` of the screen's mass). This script
fits ``P(right) = σ(bias + per_decade·log10(mass) + per_share·share)`` on the
best six crops of held-out icon screens of seeds 1–3 (seed 0 stays the
evaluation set), each asked for its own ten icons and, one time in four,
for icons that are not on it, and writes the three numbers into
``models/icons/manifest.json`` under ``phrase_score``.

Run after every retraining: ``python -m training.icons.fit_phrase_score``.
"""

from __future__ import annotations

import argparse
import json
import logging

import numpy as np

from training.icons.export import MODEL_DIR
from training.icons.screens import CONCEPTS, build_screens

__all__ = ["collect", "fit", "refit", "main"]

logger = logging.getLogger(__name__)
_TOP = 6
_ABSENT_PER_SCREEN = 3


def _rows(source, icons, phrase: str, truth) -> list[tuple[float, float, float]]:  # type: ignore[no-untyped-def]
    mass = source.phrase_mass(icons, phrase).astype(np.float64)
    total = float(mass.sum()) + 1e-12
    return [(float(np.log10(mass[i] + 1e-9)), float(mass[i] / total),
             float(truth is not None and truth.contains(*icons.boxes[i].center)))
            for i in np.argsort(-mass)[:_TOP]]


def collect(seeds: tuple[int, ...] = (1, 2, 3)) -> np.ndarray:
    """Rows ``(log10 mass, share, right)`` of the best crops for present and absent phrases."""
    from desktop.core.geometry import Box
    from desktop.core.parser import parse_instruction
    from desktop.core.sources import Screen
    from desktop.grounding._icons_query import icon_phrases
    from desktop.grounding.engine import Engine
    from desktop.grounding.icons import IconSource

    engine, source = Engine(sources=["ocr", "controls"]), IconSource(MODEL_DIR)
    rng = np.random.default_rng(5)
    rows: list[tuple[float, float, float]] = []
    for seed in seeds:
        for screen in build_screens(12, seed=seed):
            shot = Screen(screen.image)
            for case in screen.cases:
                intent = parse_instruction(case.instruction)
                icons = source._screen_icons(shot, engine.candidates(shot, intent))
                phrases = icon_phrases(intent)
                if icons.beliefs is not None and phrases:
                    rows.extend(_rows(source, icons, phrases[0], Box(*case.box)))
            present = {case.concept for case in screen.cases}
            absent = [phrase for phrase, _, _ in CONCEPTS if phrase not in present]
            if icons.beliefs is not None:
                for phrase in rng.choice(absent, _ABSENT_PER_SCREEN, replace=False):
                    rows.extend(_rows(source, icons, str(phrase), None))
    return np.array(rows)


def fit(rows: np.ndarray, steps: int = 30000, rate: float = 0.5) -> tuple[float, float, float]:
    """Logistic regression by plain gradient descent (three weights, a few thousand rows)."""
    x = np.c_[np.ones(len(rows)), rows[:, 0], rows[:, 1]]
    y = rows[:, 2]
    w = np.zeros(3)
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-x @ w))
        w -= rate * x.T @ (p - y) / len(y)
    return float(w[0]), float(w[1]), float(w[2])


def refit() -> dict:
    """Fit on fresh rows and write ``phrase_score`` into the shipped manifest; returns it."""
    rows = collect()
    bias, per_decade, per_share = fit(rows)
    path = MODEL_DIR / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["phrase_score"] = {"bias": round(bias, 4), "per_decade": round(per_decade, 4),
                                "per_share": round(per_share, 4), "rows": int(len(rows))}
    path.write_text(json.dumps(manifest, indent=2) + "\n")
    logger.info("phrase_score: %s", manifest["phrase_score"])
    return manifest["phrase_score"]


def main() -> None:
    argparse.ArgumentParser(description=__doc__).parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    refit()


if __name__ == "__main__":
    main()
