"""Real-application benchmark, Tk: IDLE (Python's own editor) under Xvfb, Tk's own widget geometry as truth.

Tk has no accessibility tree on Linux, so :mod:`tests.benchmarks._tk_idle_driver`
(run in its own process, importing only tkinter and idlelib) opens IDLE's
editor, its Settings dialog (six pages), Find, Replace and About, and writes
for each screen every mapped button, check box, radio button, notebook tab
and menu-bar entry with its text, state and place. Those become the same
kind of truth the AT-SPI benchmark uses (:func:`real_apps_truth.controls`:
named, enabled, drawn once, not hidden by a window above), the same
instructions are made from them, and the engine grounds them on the
screenshot alone.

    python -m tests.benchmarks.real_apps_tk [--out DIR]

Writes ``report.md``, ``report.json``, the screenshots and ``misses_*.png``
to ``tests/benchmarks/out/real_apps_tk/``.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Iterator, Sequence

from desktop.core.geometry import Box
from desktop.grounding._a11y_tree import TreeNode, TreeSnapshot, TreeWindow
from tests.benchmarks.real_apps import SOURCES, ground_screen
from tests.benchmarks.real_apps_report import summarize, write_report

logger = logging.getLogger("real_apps_tk")

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = ROOT / "tests" / "benchmarks" / "out" / "real_apps_tk"
APP = "idle"
_SCREEN_TIMEOUT_S = 60.0


def snapshot(report: dict[str, Any]) -> TreeSnapshot:
    """The driver's widget list as a tree snapshot: each dialog a window stacked above the editor."""
    windows = tuple(TreeWindow(Box.from_xywh(*w["box"]), app=APP, z=int(w["z"])) for w in report["windows"])
    nodes = []
    for item in report["nodes"]:
        box = Box.from_xywh(*item["box"])
        states = frozenset({"showing"} | ({"disabled"} if item["disabled"] else set())
                           | ({"checked"} if item.get("checked") else set()))
        nodes.append(TreeNode(str(item["name"]).strip(), item["role"], item["native"], box, states,
                              window=int(item["window"])))
    covers = tuple((w.box, w.z) for w in windows if w.box is not None and w.z is not None)
    return TreeSnapshot(tuple(nodes), windows, covers=covers)


def _free_display() -> int:
    for n in range(140, 200):
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists():
            return n
    raise RuntimeError("no free X display number")


def screens(tmp: Path) -> Iterator[tuple[str, Path, dict[str, Any]]]:
    """Start Xvfb and the driver; yield (screen name, screenshot, widget report) for each of IDLE's screens."""
    display = f":{_free_display()}"
    env = {**os.environ, "DISPLAY": display}
    procs = [subprocess.Popen(["Xvfb", display, "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        deadline = time.monotonic() + 10
        while not Path(f"/tmp/.X11-unix/X{display[1:]}").exists():
            if time.monotonic() > deadline:
                raise RuntimeError("Xvfb did not start")
            time.sleep(0.1)
        log = open(tmp / "driver.log", "wb")
        procs.append(subprocess.Popen([sys.executable, "-m", "tests.benchmarks._tk_idle_driver", str(tmp)],
                                      env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT))
        n = 0
        while True:
            report_file = tmp / f"{n}.json"
            deadline = time.monotonic() + _SCREEN_TIMEOUT_S
            while not report_file.exists():
                if (tmp / "finished").exists() or procs[1].poll() is not None:
                    return
                if time.monotonic() > deadline:
                    raise RuntimeError(f"IDLE did not reach screen {n}; see {tmp / 'driver.log'}")
                time.sleep(0.1)
            time.sleep(0.1)  # the file is written in one call; let it close
            report = json.loads(report_file.read_text())
            shot = tmp / f"{APP}_{report['screen']}.png"
            subprocess.run(["import", "-window", "root", str(shot)], env=env, check=True)
            yield report["screen"], shot, report
            (tmp / f"{n}.done").touch()
            n += 1
    finally:
        for p in reversed(procs):
            p.terminate()
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                p.kill()


def missing_tools() -> list[str]:
    """What this benchmark needs and the machine lacks."""
    out = [tool for tool in ("Xvfb", "import") if shutil.which(tool) is None]
    try:
        import idlelib  # noqa: F401
        import tkinter  # noqa: F401
    except ImportError:
        out.append("tkinter/idlelib")
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    missing = missing_tools()
    if missing:
        print(f"the Tk benchmark needs {', '.join(missing)}", file=sys.stderr)
        return 2
    from desktop.grounding.engine import Engine

    engine = Engine(sources=list(SOURCES))
    engine.warm_up()
    args.out.mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, Any]] = []
    summary_screens: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="real_apps_tk_") as tmp:
        for name, shot, report in screens(Path(tmp)):
            shutil.copy(shot, args.out / shot.name)
            screen_rows, summary = ground_screen(engine, APP, name, shot, snapshot(report), args.out)
            rows += screen_rows
            summary_screens.append(summary)
    summary = summarize(rows, [], summary_screens)
    write_report(summary, args.out)
    print(f"{summary['correct']}/{summary['cases']} = {summary['accuracy']:.1%}; report in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
