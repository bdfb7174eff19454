"""One command for the whole icon model: ``python -m training.icons.make``.

fetch the icon sets → render masks (and, for ``wide2``/``wide3``, the hard "not an
icon" crops) → train (the shipped recipe ``wide4``: ≤ 76 min on one CPU thread,
63 min for the whole command with ``wide2``'s renders cached, 12 000 steps in 61 min;
``--recipe seven`` ≤ 38 min, ``wide``/``wide2`` ≤ 65 min, see :mod:`training.icons.recipe`) →
export ONNX + vocabulary + manifest to ``models/icons`` → fit the icon
source's phrase score for these weights → evaluate (held-out
retrieval, icon screens, proposals, speed) → write the metrics into the
manifest and the model card's metrics block.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
from pathlib import Path

import torch

from training.icons.recipe import DEFAULT, ENV, RECIPES

__all__ = ["main"]

logger = logging.getLogger(__name__)
_BEGIN, _END = "<!-- metrics:begin -->", "<!-- metrics:end -->"


MODEL_DIR = Path(__file__).resolve().parents[2] / "models" / "icons"


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--recipe", choices=sorted(RECIPES), default=DEFAULT,
                        help="wide4 (default): the weights in models/icons, wide3 + the 3-4-word names two sets share; "
                             "wide3: wide2 + rotated direction glyphs; "
                             "seven: the first shipped weights (7 sets); wide: the 57-set experiment; "
                             "wide2: wide + 3 freedesktop themes + hard negatives")
    parser.add_argument("--steps", type=int, default=None, help="default: the recipe's")
    parser.add_argument("--minutes", type=float, default=None, help="wall-clock cap of the training loop")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--skip-train", action="store_true", help="export and evaluate the last checkpoint")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    recipe = RECIPES[args.recipe]
    # The training modules read the recipe when imported: set it first, import after.
    os.environ[ENV] = recipe.name
    from training.icons.evaluate import evaluate
    from training.icons.export import export
    from training.icons.fetch_data import CACHE, fetch
    from training.icons.fit_phrase_score import refit
    from training.icons.render import render_all, render_hard
    from training.icons.train import train

    torch.set_num_threads(args.threads)
    fetch()
    render_all()
    if recipe.hard_negatives:
        render_hard()
    if not args.skip_train:
        train(args.steps or recipe.steps, args.minutes or recipe.minutes)
    export()
    refit()
    report = evaluate()
    (CACHE / f"eval{recipe.cache_suffix}.json").write_text(json.dumps(report, indent=2))
    summary = _summary(report)
    export(metrics=summary)           # manifest carries the held-out metrics too
    _write_card_metrics(summary)
    logger.info("done: %s", json.dumps(summary))


if __name__ == "__main__":
    main()
