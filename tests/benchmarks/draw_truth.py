"""Draw a screen's ground-truth boxes on a copy of it, to check by eye that they line up.

``python -m tests.benchmarks.draw_truth tests/benchmarks/data/qt_screens.jsonl qt_screen_003 out.png``
draws boxes in green, checkbox/radio indicators in red and label boxes in blue.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PIL import Image, ImageDraw

from tests.benchmarks.truth import ScreenTruth, load_truths

__all__ = ["draw_truth"]


def draw_truth(truth: ScreenTruth, data_dir: Path) -> Image.Image:
    """The screen's image with every element's boxes drawn on it."""
    img = Image.open(data_dir / truth.image).convert("RGB")
    draw = ImageDraw.Draw(img)
    for e in truth.elements:
        draw.rectangle([e.box[0], e.box[1], e.box[2] - 1, e.box[3] - 1],
                       outline=(0, 200, 0) if e.clickable else (0, 140, 255))
        if e.indicator:
            draw.rectangle([e.indicator[0], e.indicator[1], e.indicator[2] - 1, e.indicator[3] - 1],
                           outline=(255, 0, 0))
        if e.label_box:
            draw.rectangle([e.label_box[0], e.label_box[1], e.label_box[2] - 1, e.label_box[3] - 1],
                           outline=(0, 0, 255))
    return img


def _main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("truths", type=Path)
    ap.add_argument("name", help="part of the image name")
    ap.add_argument("out", type=Path)
    args = ap.parse_args(argv)
    for truth in load_truths(args.truths):
        if args.name in truth.image:
            draw_truth(truth, args.truths.parent).save(args.out)
            return 0
    return 1


if __name__ == "__main__":
    sys.exit(_main())
