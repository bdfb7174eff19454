"""Background work, GUI-thread calls, hotkey parsing, and Qt's screens seen through qt_geometry."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from desktop.ui.hotkeys import HotkeyError, KeyCombo, parse_hotkey
from desktop.ui.worker import BackgroundOp, GuiInvoker

pytestmark = pytest.mark.gui


def test_background_op_reports_on_the_gui_thread(qtbot: Any) -> None:
    seen: list[tuple[str, bool]] = []
    op = BackgroundOp(lambda token: threading.current_thread().name,
                      lambda r: seen.append((r, threading.current_thread() is threading.main_thread())))
    op.run_in_background()
    qtbot.waitUntil(lambda: bool(seen), timeout=2000)
    assert seen[0][0].startswith("op-") and seen[0][1]


def test_background_op_failure_and_cancel(qtbot: Any) -> None:
    errors: list[BaseException] = []
    BackgroundOp(lambda token: 1 / 0, lambda r: None, errors.append).run_in_background()
    qtbot.waitUntil(lambda: bool(errors), timeout=2000)
    assert isinstance(errors[0], ZeroDivisionError)
    gate, results = threading.Event(), []
    op = BackgroundOp(lambda token: gate.wait(2), results.append)
    op.run_in_background()
    op.cancel()
    gate.set()
    qtbot.wait(200)
    assert results == []  # cancelled: the result is dropped


def test_gui_invoker_runs_on_the_gui_thread_and_returns(qtbot: Any) -> None:
    inv = GuiInvoker()
    out: list[Any] = []

    def worker() -> None:
        out.append(inv.call(lambda: threading.current_thread() is threading.main_thread()))
        try:
            inv.call(lambda: 1 / 0)
        except ZeroDivisionError:
            out.append("raised")

    t = threading.Thread(target=worker)
    t.start()
    qtbot.waitUntil(lambda: len(out) == 2, timeout=2000)
    t.join()
    assert out == [True, "raised"] and inv.call(lambda: 7) == 7


@pytest.mark.parametrize("text, combo", [
    ("Ctrl+Alt+Space", KeyCombo(frozenset({"ctrl", "alt"}), "space")),
    ("ctrl + alt + r", KeyCombo(frozenset({"ctrl", "alt"}), "r")),
    ("Meta+Shift+F5", KeyCombo(frozenset({"super", "shift"}), "f5")),
])
def test_parse_hotkey(text: str, combo: KeyCombo) -> None:
    assert parse_hotkey(text) == combo


@pytest.mark.parametrize("text", ["Ctrl+Alt", "Ctrl+A+B", ""])
def test_parse_hotkey_rejects(text: str) -> None:
    with pytest.raises(HotkeyError):
        parse_hotkey(text)


SCREENS = {"synchronousWindowSystemEvents": False, "windowFrameMargins": False, "screens": [
    {"name": "left", "x": -1920, "y": -200, "width": 1920, "height": 1080, "logicalDpi": 96,
     "logicalBaseDpi": 96, "dpr": 1},
    {"name": "main", "x": 0, "y": 0, "width": 2560, "height": 1440, "logicalDpi": 96,
     "logicalBaseDpi": 96, "dpr": 1}]}

SCRIPT = r"""
import json
import numpy as np
from PySide6.QtWidgets import QApplication
app = QApplication([])
from desktop.core.flow import Capture, make_plan
from desktop.core.geometry import Box, ScreenMapping
from desktop.ui.controller import qimage_from_rgb
from desktop.ui.overlay import Overlay, markers_for_plan
from desktop.ui.qt_geometry import pointer_box_to_logical, pointer_to_logical, qt_screen_layouts
from tests.gui.conftest import make_result
screens = qt_screen_layouts()
out = {"screens": [[s.logical.x0, s.logical.y0, s.logical.width, s.logical.height, s.scale] for s in screens]}
# The left monitor captured at physical (-1920, -200); a target at image pixel (300, 150).
img = np.zeros((1080, 1920, 3), np.uint8)
cap = Capture(img, ScreenMapping(-1920.0, -200.0), Box(-1920, -200, 0, 880), 0.0)
plan = make_plan(cap, "click Save", make_result("click Save", [(300, 150, 0.9, "Save")]))
area = pointer_box_to_logical(screens, plan.region)
ov = Overlay()
from PySide6.QtCore import QRect
ov.present(plan.plan_id, markers_for_plan(plan, screens, (area.x0, area.y0)),
           QRect(round(area.x0), round(area.y0), round(area.width), round(area.height)),
           qimage_from_rgb(img), False, "click Save")
app.processEvents()
g = ov.geometry()
m = ov.markers[0]
out.update(click=[plan.clicks[0].x, plan.clicks[0].y], overlay=[g.x(), g.y(), g.width(), g.height()],
           overlay_dpr=ov.devicePixelRatio(), marker=[m.x, m.y])
print(json.dumps(out))
"""


@pytest.mark.slow
def test_real_qt_screens_with_mixed_scales_and_negative_offsets(tmp_path: Path) -> None:
    """Qt's own high-DPI scaling, two monitors (one left of and above the primary), 1.5 and 2.0."""
    config = tmp_path / "screens.json"
    config.write_text(json.dumps(SCREENS))
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
           "QT_SCREEN_SCALE_FACTORS": "left=1.5;main=2"}
    env.pop("QT_SCALE_FACTOR", None)
    out = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=60,
                         cwd=Path(__file__).resolve().parents[2])
    assert out.returncode == 0, out.stderr
    r = json.loads(out.stdout.strip().splitlines()[-1])
    assert r["screens"] == [[-1920, -200, 1280, 720, 1.5], [0, 0, 1280, 720, 2.0]]
    assert r["click"] == [-1620, -50]
    assert r["overlay"] == [-1920, -200, 1280, 720] and r["overlay_dpr"] == 1.5
    # The marker sits on the click pixel's centre: (300.5, 150.5) physical = /1.5 logical.
    assert r["marker"] == pytest.approx([300.5 / 1.5, 150.5 / 1.5])


class ThreadedBackend:
    """A hotkey backend that fires from its own thread, like the X11 one."""

    def __init__(self, refuse: tuple[str, ...] = ()) -> None:
        self.refuse = refuse
        self.callback: Any = None
        self.stopped = 0

    def start(self, hotkeys: dict, callback: Any) -> list[str]:
        self.callback, self.hotkeys = callback, dict(hotkeys)
        return [n for n in hotkeys if n in self.refuse]

    def stop(self) -> None:
        self.stopped += 1

    def press(self, name: str) -> None:
        t = threading.Thread(target=self.callback, args=(name,))
        t.start()
        t.join()


def test_hotkey_bridge_delivers_on_the_gui_thread(qtbot: Any) -> None:
    from desktop.ui.hotkeys import HotkeyBridge

    backend = ThreadedBackend(refuse=("region",))
    bridge = HotkeyBridge(backend)
    problems = bridge.apply({"ground": "Ctrl+Alt+Space", "region": "Ctrl+Alt+R", "bad": "Ctrl+Alt"})
    assert backend.hotkeys["ground"] == parse_hotkey("Ctrl+Alt+Space") and "bad" not in backend.hotkeys
    assert len(problems) == 2 and any("Ctrl+Alt+R" in p for p in problems)
    seen: list[tuple[str, bool]] = []
    bridge.activated.connect(lambda name: seen.append((name, threading.current_thread() is threading.main_thread())))
    backend.press("ground")
    qtbot.waitUntil(lambda: bool(seen), timeout=2000)
    assert seen == [("ground", True)]


def test_hotkeys_wired_by_the_app_open_the_bar_and_the_selector(qtbot: Any, engine: Any, capturer: Any,
                                                                 clicker: Any) -> None:
    from desktop.app import build_app
    from desktop.core.settings import Settings

    backend = ThreadedBackend()
    parts = build_app(Settings(hotkey_region="Ctrl+Shift+R"), engine=engine, clicker=clicker,
                      capturer=capturer, use_tray=False, persist=False, hotkey_backend=backend)
    assert backend.hotkeys["region"] == parse_hotkey("Ctrl+Shift+R")
    c = parts.controller
    backend.press("ground")
    qtbot.waitUntil(lambda: c.bar.isVisible(), timeout=3000)
    backend.press("region")
    qtbot.waitUntil(lambda: c.selector.isVisible() and not c.bar.isVisible(), timeout=3000)
    c.selector.hide()
    from desktop.app import apply_settings

    apply_settings(parts, Settings(hotkey_ground="Ctrl+Alt+G", hotkey_region="Ctrl+Shift+R"), persist=False)
    assert backend.hotkeys["ground"] == parse_hotkey("Ctrl+Alt+G") and backend.stopped >= 2
    parts.menu.window.close()


def test_qt_binding_keeps_none_alive() -> None:
    """PySide6 6.12.0 on Python 3.11 drops a reference to None on every void call and crashes later.

    Python 3.12+ makes None immortal, so this only bites on 3.11; the app
    needs a PySide6 without that bug there (6.11.x is fine).
    """
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QWidget

    w = QWidget()
    before = sys.getrefcount(None)
    for _ in range(200):
        w.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    assert sys.getrefcount(None) >= before - 20
