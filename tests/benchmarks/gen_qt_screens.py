"""Render synthetic but realistic screens with real PySide6 widgets, with ground truth.

Run ``python -m tests.benchmarks.gen_qt_screens --out tests/benchmarks/data``.

The parent process plans every screen from the seed, then renders each scale
factor in its own subprocess (``QT_SCALE_FACTOR`` is read once at start-up),
offscreen. A screen is either a 1920x1080 desktop with one to three windows
on it, or one window alone. Boxes are read from widget geometry and are in
the final image's pixels (see :mod:`tests.benchmarks.qt_truth`).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from tests.benchmarks.truth import ScreenTruth, load_truths, save_truths

__all__ = ["plan_screens", "generate_qt"]

log = logging.getLogger(__name__)

SCALES = (1.0, 1.25, 1.5, 2.0)
FONTS = ("DejaVu Sans", "Liberation Sans", "Nimbus Sans", "Noto Sans CJK SC")
#: Largest point size per scale, so that windows still fit a 1920x1080 screen.
MAX_PT = {1.0: 16, 1.25: 14, 1.5: 12, 2.0: 10}
SCREEN_SETS = [
    ["settings"], ["form"], ["editor"], ["mail"], ["file"], ["calculator"], ["zh"],
    ["editor", "export"], ["file", "export"], ["settings", "calculator"], ["form", "mail"],
    ["editor", "settings"], ["zh", "form"], ["mail", "export", "calculator"],
    ["settings", "editor", "form"], ["file", "zh"], ["settings", "export"], ["form", "export"],
    ["export", "settings", "mail"], ["file", "form"],
]
WINDOW_TYPES = ["settings", "form", "editor", "mail", "file", "calculator", "zh", "export"]


def plan_screens(n_screens: int, n_windows: int, seed: int) -> list[dict[str, Any]]:
    """Every screen's recipe, decided here so that rendering is deterministic."""
    specs = []
    for i in range(n_screens + n_windows):
        rng = random.Random(f"qt-{seed}-{i}")
        full = i < n_screens
        scale = rng.choice(SCALES)
        types = (SCREEN_SETS[i % len(SCREEN_SETS)] if full
                 else [WINDOW_TYPES[(i - n_screens) % len(WINDOW_TYPES)]])
        specs.append({
            "name": f"qt_{'screen' if full else 'window'}_{i:03d}",
            "seed": rng.randrange(1 << 30),
            "layout": "screen" if full else "window",
            "scale": scale,
            "theme": "dark" if rng.random() < 0.35 else "light",
            "style": "Windows" if rng.random() < 0.12 else "Fusion",
            "font": rng.choice(FONTS),
            "pt": rng.randint(9, MAX_PT[scale]),
            "windows": types,
        })
    return specs


def generate_qt(out: Path, n_screens: int = 40, n_windows: int = 40, seed: int = 7,
                jobs: int = 2) -> list[ScreenTruth]:
    """Plan, render every scale in a subprocess, and write ``out/qt_screens.jsonl``."""
    specs = plan_screens(n_screens, n_windows, seed)
    (out / "qt").mkdir(parents=True, exist_ok=True)
    by_scale: dict[float, list[dict[str, Any]]] = {}
    for spec in specs:
        by_scale.setdefault(spec["scale"], []).append(spec)
    tmp = Path(tempfile.mkdtemp(prefix="ca-qt-"))
    pending = sorted(by_scale.items())
    running: list[tuple[subprocess.Popen[bytes], Path]] = []
    truths: list[ScreenTruth] = []
    while pending or running:
        while pending and len(running) < jobs:
            scale, group = pending.pop(0)
            running.append(_start_worker(scale, group, out, tmp))
        proc, result = running.pop(0)
        _, err = proc.communicate()
        if proc.returncode != 0:
            tail = err.decode("utf-8", "replace").strip().splitlines()[-15:]
            raise RuntimeError(f"Qt render worker failed (exit {proc.returncode}):\n" + "\n".join(tail))
        truths.extend(load_truths(result))
    truths.sort(key=lambda t: t.image)
    save_truths(truths, out / "qt_screens.jsonl")
    return truths


def _start_worker(scale: float, group: list[dict[str, Any]], out: Path,
                  tmp: Path) -> tuple[subprocess.Popen[bytes], Path]:
    spec_file = tmp / f"specs_{scale}.json"
    spec_file.write_text(json.dumps(group))
    result = tmp / f"truth_{scale}.jsonl"
    # Qt reads the scale factor once, at start-up: one process per scale.
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QT_SCALE_FACTOR=str(scale))
    cmd = [sys.executable, "-m", "tests.benchmarks.gen_qt_screens", "--worker",
           str(spec_file), "--out", str(out), "--result", str(result)]
    return subprocess.Popen(cmd, env=env, stderr=subprocess.PIPE), result


def _main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path("tests/benchmarks/data"))
    ap.add_argument("--screens", type=int, default=40)
    ap.add_argument("--windows", type=int, default=40)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    if args.worker:
        from tests.benchmarks.qt_render import render_specs
        specs = json.loads(args.worker.read_text())
        save_truths(render_specs(specs, args.out), args.result)
        return 0
    truths = generate_qt(args.out, args.screens, args.windows, args.seed)
    log.info("rendered %d Qt screens with %d elements", len(truths),
             sum(len(t.elements) for t in truths))
    return 0


if __name__ == "__main__":
    sys.exit(_main())
