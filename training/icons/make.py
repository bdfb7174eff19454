"""One command for the whole icon model: ``python -m training.icons.make``.

fetch the icon sets → render masks → train (≤ 65 min on one CPU thread) →
export ONNX + vocabulary + manifest to ``models/icons`` → fit the icon
source's phrase score for these weights → evaluate (held-out
retrieval, icon screens, proposals, speed) → write the metrics into the
manifest and the model card's metrics block.
"""

from __future__ import annotations

import argparse
import json
import logging
import re

import torch

from training.icons.export import MODEL_DIR, export
from training.icons.fetch_data import CACHE, fetch
from training.icons.render import render_all
from training.icons.train import train

__all__ = ["main"]

logger = logging.getLogger(__name__)
_BEGIN, _END = "<!-- metrics:begin -->", "<!-- metrics:end -->"


def _write_card_metrics(report: dict) -> None:
    card = MODEL_DIR / "MODEL_CARD.md"
    if not card.exists():
        return
    block = f"{_BEGIN}\n```json\n{json.dumps(report, indent=2)}\n```\n{_END}"
    text = card.read_text()
    pattern = re.compile(re.escape(_BEGIN) + ".*?" + re.escape(_END), re.S)
    card.write_text(pattern.sub(lambda _: block, text) if pattern.search(text) else text + "\n" + block + "\n")


def _summary(report: dict) -> dict:
    """The headline numbers (the full report, misses included, stays in data-cache/icons/eval.json)."""
    out = {"retrieval": report["retrieval"], "proposals": report["proposals"], "speed": report["speed"]}
    out["screens"] = {k: {"first_point_accuracy": v["first_point_accuracy"], "cases": v["cases"]}
                      for k, v in report["screens"].items()}
    return out


def _fit_phrase_score() -> None:
    """Refit the icon source's phrase-score logistic for the new weights (it belongs to them)."""
    from training.icons.fit_phrase_score import collect, fit

    bias, per_decade, per_share = fit(rows := collect())
    path = MODEL_DIR / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["phrase_score"] = {"bias": round(bias, 4), "per_decade": round(per_decade, 4),
                                "per_share": round(per_share, 4), "rows": int(len(rows))}
    path.write_text(json.dumps(manifest, indent=2) + "\n")
    logger.info("phrase_score: %s", manifest["phrase_score"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", type=int, default=12000)
    parser.add_argument("--minutes", type=float, default=65.0, help="wall-clock cap of the training loop")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--skip-train", action="store_true", help="export and evaluate the last checkpoint")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    torch.set_num_threads(args.threads)
    fetch()
    render_all()
    if not args.skip_train:
        train(args.steps, args.minutes)
    export()
    _fit_phrase_score()
    from training.icons.evaluate import evaluate

    report = evaluate()
    (CACHE / "eval.json").write_text(json.dumps(report, indent=2))
    summary = _summary(report)
    export(metrics=summary)           # manifest carries the held-out metrics too
    _write_card_metrics(summary)
    logger.info("done: %s", json.dumps(summary))


if __name__ == "__main__":
    main()
