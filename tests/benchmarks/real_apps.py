"""Real-application benchmark: real GTK apps under Xvfb, the accessibility tree as truth, the screenshot-only engine.

Each application (gtk3-widget-factory, galculator, mousepad, yad dialogs; an
app that is not installed is skipped and the report says so) runs alone on
a private 1920x1080 Xvfb display with its own accessibility bus. For each of
its screens (pages switched, menus and dialogs opened with xdotool) the
project's AT-SPI reader gives the named controls and their boxes (see
:mod:`tests.benchmarks.real_apps_truth` for what is kept), the screen is
captured, and instructions made from the truth are grounded with
``Engine(sources=["ocr", "controls", "template", "theme", "icons"])`` on the image
alone. A case is right when the first point lies inside the truth box.

    python -m tests.benchmarks.real_apps [--apps galculator,yad-form] [--out DIR]

Writes ``report.md``, ``report.json``, the screenshots and ``misses_*.png``
(truth boxes green, answers red) to ``tests/benchmarks/out/real_apps/``.
"""

from __future__ import annotations

import argparse
import logging
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Sequence

from desktop.core.errors import ClickAssistError
from desktop.core.images import load_image
from desktop.core.sources import Screen
from tests.benchmarks.real_apps_desktop import APPS, AppSession, AppSpec, missing_a11y_tools, missing_for
from tests.benchmarks.real_apps_report import draw_misses, score, summarize, write_report
from tests.benchmarks.real_apps_truth import Case, controls, make_cases

logger = logging.getLogger("real_apps")

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = ROOT / "tests" / "benchmarks" / "out" / "real_apps"
SOURCES = ("ocr", "controls", "template", "theme", "icons")


def _ground(engine: Any, screen: Screen, case: Case, first: bool) -> dict[str, Any]:
    t0 = time.perf_counter()
    try:
        result = engine.ground(screen, case.instruction)
        best, message = result.best, result.message
    except ClickAssistError as exc:  # an instruction the parser refuses is a miss, not a crash
        best, message = None, f"error: {exc.user_message}"
    elapsed = (time.perf_counter() - t0) * 1000
    got = None if best is None else {"x": int(best.x), "y": int(best.y), "label": best.label,
                                     "source": best.source, "role": best.role,
                                     "confidence": round(float(best.confidence), 3)}
    box = case.box.to_list()
    return {"id": case.id, "app": case.app, "screen": case.screen, "instruction": case.instruction,
            "kind": case.kind, "role": case.role, "name": case.name, "box": box, "got": got,
            "correct": score(got, box), "elapsed_ms": round(elapsed, 1), "first_on_screen": first, "message": message}


def _take_screen(session: AppSession, app: AppSpec, name: str, out: Path) -> tuple[Path, Any]:
    snapshot = session.snapshot()
    shot = out / f"{app.name}_{name}.png"
    subprocess.run(["import", "-window", "root", str(shot)], env=session.desktop.env, check=True)
    return shot, snapshot


def run_app(app: AppSpec, engine: Any, out: Path, tmp: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every screen of ``app``: the rows of its cases and a summary line per screen."""
    rows: list[dict[str, Any]] = []
    screens: list[dict[str, Any]] = []
    with AppSession(app, tmp / app.name) as session:
        for spec in app.screens:
            try:
                for step in spec.steps:
                    session.do(step)
            except LookupError as exc:
                logger.warning("%s: screen %s skipped: %s", app.name, spec.name, exc)
                screens.append({"app": app.name, "screen": spec.name, "controls": 0, "skipped": str(exc)})
                continue
            shot, snapshot = _take_screen(session, app, spec.name, out)
            screen_rows, summary = ground_screen(engine, app.name, spec.name, shot, snapshot, out)
            rows += screen_rows
            screens.append(summary)
    return rows, screens


def ground_screen(engine: Any, app: str, name: str, shot: Path, snapshot: Any,
                  out: Path) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Ground the cases made from ``snapshot``'s truth on the screenshot ``shot``; the rows and a summary line.

    Also draws the screen's misses into ``out``.
    """
    truths = controls(snapshot)
    cases = make_cases(app, name, snapshot, truths)
    screen = Screen(load_image(str(shot)))
    rows = [_ground(engine, screen, c, i == 0) for i, c in enumerate(cases)]
    correct = sum(r["correct"] for r in rows)
    logger.info("%s/%s: %d controls, %d/%d right", app, name, len(truths), correct, len(cases))
    draw_misses(screen.image, [r for r in rows if not r["correct"]], out / f"misses_{app}_{name}.png")
    return rows, {"app": app, "screen": name, "controls": len(truths), "cases": len(cases), "correct": correct}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--apps", default="", help="comma-separated app names (default: all)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    missing = missing_a11y_tools()
    if missing:
        print(f"real-app benchmark needs {', '.join(missing)}", file=sys.stderr)
        return 2
    wanted = [a for a in APPS if not args.apps or a.name in args.apps.split(",")]
    from desktop.grounding.engine import Engine

    engine = Engine(sources=list(SOURCES))
    engine.warm_up()
    args.out.mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, Any]] = []
    screens: list[dict[str, Any]] = []
    skipped: list[str] = []
    with tempfile.TemporaryDirectory(prefix="real_apps_") as tmp:
        for app in wanted:
            why = missing_for(app)
            if why:
                skipped.append(f"{app.name}: {why}")
                continue
            try:
                app_rows, app_screens = run_app(app, engine, args.out, Path(tmp))
            except RuntimeError as exc:
                skipped.append(f"{app.name}: {exc}")
                continue
            rows += app_rows
            screens += app_screens
    summary = summarize(rows, skipped, screens)
    write_report(summary, args.out)
    print(f"{summary['correct']}/{summary['cases']} = {summary['accuracy']:.1%}; report in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
