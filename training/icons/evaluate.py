"""Evaluate the shipped icon model: held-out retrieval, icon screens with the full engine, proposals, speed.

``python -m training.icons.evaluate`` prints a JSON report and writes it to
``data-cache/icons/eval.json``:

* ``retrieval`` — top-1/top-5 on the held-out sets (see :mod:`training.icons.eval_retrieval`);
* ``screens`` — first-point accuracy on Qt toolbars of held-out icons
  (:mod:`training.icons.screens`), full engine vs OCR + controls only;
* ``proposals`` — recall of the image proposals on those icons;
* ``speed`` — icon scoring (proposals + model) of a full-HD screen, p50.
"""

from __future__ import annotations

import argparse
import json
import logging
import time

import numpy as np

from desktop.core.parser import parse_instruction
from desktop.core.sources import Screen
from desktop.grounding._icons_model import IconModel
from desktop.grounding._icons_proposals import is_wordlike, propose_boxes
from training.icons.eval_retrieval import held_out_report
from training.icons.fetch_data import CACHE
from training.icons.screens import IconScreen, build_screens

__all__ = ["evaluate"]

logger = logging.getLogger(__name__)


def _inside(point: tuple[float, float], box: tuple[int, int, int, int]) -> bool:
    return box[0] <= point[0] < box[2] and box[1] <= point[1] < box[3]


def screen_accuracy(engine, screens: list[IconScreen]) -> dict:  # type: ignore[no-untyped-def]
    """First-point accuracy (the first point lies on the truth button) over every case."""
    hits, total, misses = 0, 0, []
    for screen in screens:
        shot = Screen(screen.image)
        for case in screen.cases:
            result = engine.ground(shot, case.instruction)
            best = result.best
            ok = best is not None and _inside((best.x, best.y), case.box)
            hits += ok
            total += 1
            if not ok and len(misses) < 40:
                misses.append({"screen": screen.name, "instruction": case.instruction,
                               "got": None if best is None else [best.label, best.source, round(best.confidence, 3)]})
    return {"first_point_accuracy": hits / max(1, total), "cases": total, "misses": misses}


def proposal_recall(engine, screens: list[IconScreen]) -> dict:  # type: ignore[no-untyped-def]
    """Share of truth icons with a proposal centred on them and not much larger (≤ 1.5×)."""
    hit = total = count = 0
    for screen in screens:
        shot = Screen(screen.image)
        found = engine.candidates(shot, parse_instruction("click x"))
        boxes = propose_boxes(screen.image, [c.box for c in found if c.role == "text" and is_wordlike(c.text)],
                              [c.box for c in found if c.role == "button" and not c.text.strip()])
        count += len(boxes)
        for truth in screen.icon_boxes:
            side = max(truth[2] - truth[0], truth[3] - truth[1])
            total += 1
            hit += any(_inside(b.center, truth) and max(b.width, b.height) <= 1.5 * side for b in boxes)
    return {"recall": hit / max(1, total), "icons": total, "proposals_per_screen": count / max(1, len(screens))}


def _full_hd(screens: list[IconScreen]) -> np.ndarray:
    canvas = np.full((1080, 1920, 3), 240, np.uint8)
    for i, screen in enumerate(screens[:6]):
        y, x = (i // 2) * 360, (i % 2) * 960
        h, w = min(360, screen.image.shape[0]), min(960, screen.image.shape[1])
        canvas[y:y + h, x:x + w] = screen.image[:h, :w]
    return canvas


def speed(engine, screens: list[IconScreen], runs: int = 7) -> dict:  # type: ignore[no-untyped-def]
    """p50 of proposals + batched naming + one phrase on a full-HD screen (OCR not included: it runs anyway)."""
    from desktop.grounding.icons import IconSource

    image = _full_hd(screens)
    found = engine.candidates(Screen(image), parse_instruction("click x"))
    source = IconSource()
    source.warm_up()
    times, named = [], 0
    for _ in range(runs):
        t0 = time.perf_counter()
        icons = source._find(image, found)        # uncached on purpose
        named = len(icons.named)
        source._phrase_candidates(icons, "settings")   # and one phrase asked of every crop
        times.append((time.perf_counter() - t0) * 1000)
    boxes = propose_boxes(image, [c.box for c in found if c.role == "text" and is_wordlike(c.text)])
    return {"p50_ms": float(np.median(times)), "min_ms": float(min(times)), "proposals": len(boxes),
            "named": named, "image": "1920x1080"}


def full_engine_sources(with_theme: bool = False) -> list[str]:
    """The default engine's sources that can run here, without the installed icon theme's unless asked.

    The held-out screens draw Adwaita icons, which the ``theme`` source
    finds pixel for pixel wherever Adwaita is installed: with it on, the
    figure says what that machine's theme knows, not what the model learned.
    """
    from desktop.core.errors import BackendUnavailable
    from desktop.grounding.registry import DEFAULT_ORDER, create_source

    names = []
    for name in DEFAULT_ORDER:
        if name == "theme" and not with_theme:
            continue
        try:
            create_source(name)
        except BackendUnavailable:
            continue
        names.append(name)
    return names


def evaluate(count: int = 12, with_theme: bool = False) -> dict:
    """Every metric above, as a dict (the model's own: the theme source is off unless ``with_theme``)."""
    from desktop.grounding.engine import Engine

    model = IconModel()
    report: dict = {"retrieval": held_out_report(lambda crops: model.embed(crops)[0])}
    screens = build_screens(count)
    base = Engine(sources=["ocr", "controls"])
    full = Engine(sources=full_engine_sources(with_theme))
    report["engine_sources"] = list(full.source_names)
    report["screens"] = {"full": screen_accuracy(full, screens), "baseline_ocr_controls": screen_accuracy(base, screens)}
    report["proposals"] = proposal_recall(base, screens)
    report["speed"] = speed(base, screens)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--screens", type=int, default=12)
    parser.add_argument("--with-theme", action="store_true",
                        help="also use the installed icon theme's pictures (not the model's own figure)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    report = evaluate(args.screens, args.with_theme)
    name = "eval_with_theme.json" if args.with_theme else "eval.json"
    (CACHE / name).write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
