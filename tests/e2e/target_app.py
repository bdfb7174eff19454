"""A small target window for end-to-end tests: buttons, checkboxes and tabs that log every click.

Run: ``python tests/e2e/target_app.py LOG.jsonl``. Each line of the log is one
JSON object: ``{"event": "ready", ...geometry}`` once shown, then
``{"event": "press" | "double", "widget": "...", "button": "left" | "right", "x": gx, "y": gy}``
for every mouse press the window receives (``x``, ``y`` in Qt logical
coordinates), ``{"event": "clicked", "widget": "Save"}`` when a button is activated and
``{"event": "toggled", "widget": "Remember me", "checked": true}`` when a checkbox changes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import QFont, QIcon, QMouseEvent
from PySide6.QtWidgets import (QApplication, QCheckBox, QGridLayout, QHBoxLayout, QLabel, QPushButton, QTabBar,
                               QTabWidget, QToolButton, QVBoxLayout, QWidget)

BUTTONS = ("Save", "Print", "Export", "Delete")
#: With ``--icons``: a toolbar of icon-only buttons drawn from the system's Adwaita theme (a style
#: the icon model never saw in training), named by what a person would call them.
ICON_DIR = Path("/usr/share/icons/Adwaita/scalable")
ICONS = (("trash", "places/user-trash-symbolic.svg"), ("print", "devices/printer-symbolic.svg"),
         ("play", "actions/media-playback-start-symbolic.svg"), ("search", "actions/system-search-symbolic.svg"),
         ("home", "actions/go-home-symbolic.svg"))
CHECKBOXES = ("Remember me", "Send newsletter", "Dark mode")
TABS = ("General", "Network", "Privacy")


class Recorder(QObject):
    def __init__(self, path: str) -> None:
        super().__init__()
        self.out = open(path, "a", buffering=1, encoding="utf-8")
        self._last: tuple | None = None

    def write(self, **record: object) -> None:
        self.out.write(json.dumps(record) + "\n")

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = {QEvent.Type.MouseButtonPress: "press", QEvent.Type.MouseButtonDblClick: "double"}.get(event.type())
        if kind and isinstance(event, QMouseEvent) and isinstance(obj, QWidget) and obj.isWindow() is False:
            # A press propagates to parents as separate deliveries; log it once.
            key = (event.timestamp(), kind, int(event.button().value))
            if key != self._last:
                self._last = key
                g = event.globalPosition()
                self.write(event=kind, widget=describe(obj, event), button=button_name(event.button()),
                           x=round(g.x(), 1), y=round(g.y(), 1))
        return False


def button_name(b: Qt.MouseButton) -> str:
    return {Qt.MouseButton.LeftButton: "left", Qt.MouseButton.RightButton: "right",
            Qt.MouseButton.MiddleButton: "middle"}.get(b, str(b))


def describe(obj: QWidget, event: QMouseEvent) -> str:
    if isinstance(obj, QTabBar):
        i = obj.tabAt(event.position().toPoint())
        return f"tab:{obj.tabText(i)}" if i >= 0 else "tabbar"
    if isinstance(obj, (QPushButton, QCheckBox)):
        return obj.text()
    if isinstance(obj, QToolButton):
        return f"icon:{obj.objectName()}"
    return obj.objectName() or type(obj).__name__


def icon_toolbar(rec: Recorder, parent: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    for name, rel in ICONS:
        button = QToolButton(parent)
        button.setObjectName(name)
        button.setIcon(QIcon(str(ICON_DIR / rel)))
        button.setIconSize(QSize(24, 24))
        button.setAutoRaise(True)
        button.clicked.connect(lambda _=False, n=name: rec.write(event="clicked", widget=f"icon:{n}"))
        row.addWidget(button)
    row.addStretch(1)
    return row


def build(rec: Recorder, icons: bool = False) -> QWidget:
    win = QWidget()
    win.setWindowTitle("E2E target")
    win.setObjectName("target")
    layout = QVBoxLayout(win)
    if icons:
        layout.addLayout(icon_toolbar(rec, win))
    tabs = QTabWidget(win)
    for name in TABS:
        page = QLabel(f"{name} settings page", tabs)
        page.setObjectName(f"page-{name}")
        tabs.addTab(page, name)
    tabs.currentChanged.connect(lambda i: rec.write(event="tab", widget=TABS[i]))
    layout.addWidget(tabs)
    grid = QGridLayout()
    for i, name in enumerate(CHECKBOXES):
        cb = QCheckBox(name, win)
        cb.toggled.connect(lambda on, n=name: rec.write(event="toggled", widget=n, checked=on))
        grid.addWidget(cb, i, 0)
    for i, name in enumerate(BUTTONS):
        b = QPushButton(name, win)
        b.setMinimumWidth(110)
        b.clicked.connect(lambda _=False, n=name: rec.write(event="clicked", widget=n))
        grid.addWidget(b, i % 2, 1 + i // 2)
    layout.addLayout(grid)
    return win


def main() -> int:
    app = QApplication(sys.argv[:1])
    app.setStyle("Fusion")
    font = QFont(app.font())
    font.setPointSize(13)
    app.setFont(font)
    rec = Recorder(sys.argv[1])
    app.installEventFilter(rec)
    icons = "--icons" in sys.argv[2:]
    if icons and not all((ICON_DIR / rel).exists() for _, rel in ICONS):
        rec.write(event="no-icons", folder=str(ICON_DIR))
        icons = False
    win = build(rec, icons)
    win.setGeometry(20, 20, 520, 330)
    win.show()
    g = win.geometry()
    rec.write(event="ready", x=g.x(), y=g.y(), width=g.width(), height=g.height(),
              dpr=win.devicePixelRatio())
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
