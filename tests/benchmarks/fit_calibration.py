"""Fit the confidence calibration on benchmark cases and report its error honestly.

Runs the engine over cases (each with ``image``, ``instruction``, ``targets``),
records every prediction's calibration features and whether its point lies in
a target box, fits a logistic model on half of the screens, reports expected
calibration error (ECE) on the other half, then refits on everything and
writes ``desktop/data/calibration.json``.

    python -m tests.benchmarks.fit_calibration --cases tests/benchmarks/data/cases.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
import zlib
from pathlib import Path

import numpy as np

from desktop.core.calibration import FEATURE_NAMES, Calibrator
from desktop.core.errors import ClickAssistError
from desktop.grounding.engine import Engine

OUT = Path(__file__).resolve().parents[2] / "desktop" / "data" / "calibration.json"


def _inside(x: float, y: float, boxes: list[list[float]]) -> bool:
    return any(b[0] <= x < b[2] and b[1] <= y < b[3] for b in boxes)


def collect(cases_path: Path, limit: int | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features, correctness and a screen-group id for every prediction."""
    engine = Engine(calibration="off")
    rows, labels, groups = [], [], []
    base = cases_path.parent
    lines = cases_path.read_text().splitlines()[:limit]
    for n, line in enumerate(lines, 1):
        case = json.loads(line)
        image = case["image"] if Path(case["image"]).is_absolute() else str(base / case["image"])
        ref = case.get("reference")
        ref = None if ref is None else (ref if Path(ref).is_absolute() else str(base / ref))
        try:
            result = engine.ground(image, case["instruction"], min_clicks=case.get("min_clicks"),
                                   max_clicks=case.get("max_clicks"), reference=ref)
        except ClickAssistError as exc:
            print(f"{case['id']}: {exc.code}", file=sys.stderr)
            continue
        for pred in result.predictions:
            if pred.evidence is None:
                continue
            rows.append(pred.evidence.vector())
            labels.append(_inside(pred.x, pred.y, case["targets"]))
            groups.append(zlib.crc32(case["image"].encode()) % 2)
        if n % 50 == 0:
            print(f"{n}/{len(lines)} cases", file=sys.stderr)
    return np.array(rows, float), np.array(labels, float), np.array(groups)


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1e-2, steps: int = 50) -> np.ndarray:
    """L2-regularised logistic regression by Newton's method (the bias is not penalised)."""
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[0] = 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -40, 40)))
        grad = x.T @ (p - y) + penalty * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def ece(conf: np.ndarray, correct: np.ndarray, bins: int = 10) -> tuple[float, list[tuple[str, int, float, float]]]:
    """Expected calibration error and the reliability table (bin, count, mean confidence, accuracy)."""
    table, total = [], 0.0
    edges = np.linspace(0, 1, bins + 1)
    for lo, hi in zip(edges[:-1], edges[1:]):
        mask = (conf >= lo) & ((conf < hi) if hi < 1 else (conf <= hi))
        if not mask.any():
            continue
        mc, acc = float(conf[mask].mean()), float(correct[mask].mean())
        total += mask.sum() * abs(mc - acc)
        table.append((f"{lo:.1f}-{hi:.1f}", int(mask.sum()), mc, acc))
    return total / max(len(conf), 1), table


def predict(w: np.ndarray, x: np.ndarray) -> np.ndarray:
    """The same logistic the shipped :class:`Calibrator` computes."""
    return 1.0 / (1.0 + np.exp(-np.clip(x @ w, -40, 40)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=Path, required=True)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--dry-run", action="store_true", help="report only; do not write calibration.json")
    args = parser.parse_args(argv)
    x, y, groups = collect(args.cases, args.limit)
    if len(y) < 50 or y.min() == y.max():
        print("too few (or one-sided) predictions to fit a calibration", file=sys.stderr)
        return 1
    default_conf = predict(np.array(Calibrator().weights), x)
    for held_out in (0, 1):
        train, test = groups != held_out, groups == held_out
        w = fit_logistic(x[train], y[train])
        fitted_ece, _ = ece(predict(w, x[test]), y[test])
        base_ece, _ = ece(default_conf[test], y[test])
        print(f"held-out half {held_out}: ECE fitted {fitted_ece:.3f} vs hand-set default {base_ece:.3f} "
              f"({int(test.sum())} predictions)")
    w = fit_logistic(x, y)
    final_ece, table = ece(predict(w, x), y)
    print(f"all data: ECE {final_ece:.3f} over {len(y)} predictions, {int(y.sum())} correct")
    for row in table:
        print("  bin {:>7}  n={:4d}  confidence {:.2f}  accuracy {:.2f}".format(*row))
    if not args.dry_run:
        OUT.write_text(json.dumps({"features": list(FEATURE_NAMES), "weights": [round(float(v), 5) for v in w],
                                   "fitted_on": len(y), "ece_in_sample": round(final_ece, 4)}, indent=2) + "\n")
        print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
