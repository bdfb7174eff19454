"""Every widget of the app: accessible name and description, keyboard reachable, visible focus."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QAbstractSpinBox, QComboBox,
                               QKeySequenceEdit, QLabel, QLineEdit, QPushButton, QWidget)

from desktop.core.settings import Settings
from desktop.ui.settings_dialog import SettingsDialog
from desktop.ui.tray import HistoryDialog

pytestmark = pytest.mark.gui

INTERACTIVE = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QKeySequenceEdit, QAbstractItemView)
COMPOSITE = (QKeySequenceEdit, QAbstractSpinBox, QComboBox)  # their inner widgets belong to them


def _inner(w: QWidget) -> bool:
    p = w.parentWidget()
    while p is not None:
        if isinstance(p, COMPOSITE):
            return True
        p = p.parentWidget()
    return False


def windows(app_parts: Any, qtbot: Any) -> list[QWidget]:
    c = app_parts.controller
    history = HistoryDialog(c.bar.history)
    settings = SettingsDialog(Settings())
    qtbot.addWidget(history)
    qtbot.addWidget(settings)
    return [app_parts.menu.window, c.bar, c.overlay, c.selector, settings, history]


def interactive(window: QWidget) -> list[QWidget]:
    return [w for w in window.findChildren(QWidget) if isinstance(w, INTERACTIVE) and not _inner(w)]


def test_every_window_and_control_is_named_and_described(qtbot: Any, app_parts: Any) -> None:
    problems = []
    for window in windows(app_parts, qtbot):
        for w in [window, *interactive(window)]:
            if not w.accessibleName().strip():
                problems.append(f"{type(w).__name__} {w.objectName() or w.text() if hasattr(w, 'text') else ''}: no name")
            if not w.accessibleDescription().strip():
                problems.append(f"{type(w).__name__} {w.accessibleName()}: no description")
        for label in window.findChildren(QLabel):
            if not (label.text().strip() or label.accessibleName().strip()):
                problems.append(f"label in {window.accessibleName()} has neither text nor name")
    assert problems == []


def test_every_control_is_reachable_by_tab(qtbot: Any, app_parts: Any) -> None:
    problems = []
    for window in windows(app_parts, qtbot):
        chain, w = [], window.nextInFocusChain()
        while w is not window and len(chain) < 500:
            chain.append(w)
            w = w.nextInFocusChain()
        for control in interactive(window):
            if not control.focusPolicy() & Qt.FocusPolicy.TabFocus:
                problems.append(f"{control.accessibleName()} in {window.accessibleName()}: no Tab focus")
            if control not in chain:
                problems.append(f"{control.accessibleName()} in {window.accessibleName()}: not in the Tab chain")
    assert problems == []


def test_menu_entries_are_complete(app_parts: Any) -> None:
    texts = [a.text().split("\t")[0] for a in app_parts.menu.menu.actions()]
    assert texts == ["Ground on screen", "Select region", "Settings", "History", "Quit"]
    assert all(a.toolTip() for a in app_parts.menu.menu.actions())


def test_menu_entries_do_what_they_say(qtbot: Any, app_parts: Any) -> None:
    c = app_parts.controller
    app_parts.menu.actions["ground"].trigger()
    qtbot.waitUntil(lambda: c.bar.isVisible(), timeout=3000)
    app_parts.menu.actions["region"].trigger()
    qtbot.waitUntil(lambda: c.selector.isVisible() and not c.bar.isVisible(), timeout=3000)
    qtbot.keyClick(c.selector, Qt.Key.Key_Escape)
    app_parts.menu.actions["settings"].trigger()
    qtbot.waitUntil(lambda: isinstance(app_parts.dialogs.get("settings"), SettingsDialog)
                    and app_parts.dialogs["settings"].isVisible(), timeout=3000)
    app_parts.dialogs["settings"].reject()
    app_parts.menu.actions["history"].trigger()
    qtbot.waitUntil(lambda: "history" in app_parts.dialogs and app_parts.dialogs["history"].isVisible(),
                    timeout=3000)
    app_parts.dialogs["history"].reject()


def test_focus_is_visible(qtbot: Any) -> None:
    """A focused control looks different from an unfocused one (the focus ring)."""
    from desktop.ui.style import apply_style

    host = QWidget()
    qtbot.addWidget(host)
    apply_style(high_contrast=True, target=host)
    a, b = QPushButton("One", host), QPushButton("Two", host)
    b.move(0, 60)
    host.show()
    host.activateWindow()
    qtbot.waitExposed(host)
    a.setFocus()
    qtbot.waitUntil(a.hasFocus, timeout=2000)
    focused = a.grab().toImage()
    b.setFocus()
    qtbot.waitUntil(b.hasFocus, timeout=2000)
    unfocused = a.grab().toImage()
    assert focused != unfocused


SCRIPT = r"""
import json, sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
from desktop.core.settings import Settings
from desktop.ui.style import apply_style
from desktop.ui.settings_dialog import SettingsDialog
from desktop.ui.instruction_bar import InstructionBar
from desktop.ui.history import History
apply_style(True)
screen = app.primaryScreen()
d = SettingsDialog(Settings()); d.show(); app.processEvents()
bar = InstructionBar(History()); bar.fit(screen.availableGeometry()); bar.open(); app.processEvents()
avail = screen.availableGeometry()
clipped = []
from PySide6.QtWidgets import QAbstractButton, QLabel
for w in d.findChildren(QAbstractButton) + d.findChildren(QLabel):
    if w.isVisible() and w.width() < w.minimumSizeHint().width():
        clipped.append(w.accessibleName() or w.text())
print(json.dumps({"dpr": screen.devicePixelRatio(), "screen": [avail.width(), avail.height()],
                  "dialog": [d.width(), d.height()], "bar": [bar.width(), bar.height()],
                  "font_px": d.fontInfo().pixelSize(), "clipped": clipped}))
"""


@pytest.mark.slow
def test_readable_at_200_percent(tmp_path: Path) -> None:
    """At a 2.0 scale factor, text is twice as large in pixels and nothing is cut off or off screen."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_SCALE_FACTOR": "2"}
    out = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=60,
                         cwd=Path(__file__).resolve().parents[2])
    assert out.returncode == 0, out.stderr
    info = json.loads(out.stdout.strip().splitlines()[-1])
    assert info["dpr"] == 2.0
    assert info["dialog"][0] <= info["screen"][0] and info["dialog"][1] <= info["screen"][1]
    assert info["bar"][0] <= info["screen"][0]
    assert info["clipped"] == []
