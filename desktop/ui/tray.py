"""The app's home: a tray icon with an accessible menu, or a small window where no tray exists."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QPointF, QSize, Qt, Signal
from PySide6.QtGui import QAction, QColor, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (QDialog, QHBoxLayout, QLabel, QListWidget, QMenu, QPushButton,
                               QSystemTrayIcon, QVBoxLayout, QWidget)

from desktop.ui.autostart import RESOURCES
from desktop.ui.history import History

__all__ = ["AppMenu", "FallbackWindow", "HistoryDialog", "app_icon"]

logger = logging.getLogger(__name__)

# (signal name, menu text, accessible description)
ENTRIES = (
    ("ground", "Ground on screen", "Find and click something on the screen under the pointer."),
    ("region", "Select region", "Select an area of the screen first, then say what to click in it."),
    ("settings", "Settings", "Hotkeys, confirmation, overlay look, sources and start-up."),
    ("history", "History", "Earlier instructions; run one again."),
    ("quit", "Quit", "Stop Click Assist."),
)


def app_icon() -> QIcon:
    """The SVG icon from resources/, or a drawn stand-in when it is missing."""
    svg = RESOURCES / "click-assist.svg"
    icon = QIcon(str(svg)) if svg.exists() else QIcon()
    if icon.isNull() or not icon.availableSizes() and icon.pixmap(QSize(32, 32)).isNull():
        pix = QPixmap(64, 64)
        pix.fill(QColor("#000000"))
        p = QPainter(pix)
        p.setPen(QPen(QColor("#FFD400"), 6))
        p.drawEllipse(QPointF(32, 32), 20, 20)
        p.end()
        icon = QIcon(pix)
    return icon


class FallbackWindow(QWidget):
    """A small window standing in for the tray: a menu button with the tray's entries, and a status line."""

    def __init__(self, menu: QMenu, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Click Assist")
        self.setObjectName("fallbackWindow")
        self.setAccessibleName("Click Assist")
        self.setAccessibleDescription("Click Assist's main window (shown because there is no system tray).")
        self.setWindowIcon(app_icon())
        layout = QHBoxLayout(self)
        self.menu_button = QPushButton(app_icon(), "Click Assist", self)
        self.menu_button.setObjectName("menuButton")
        self.menu_button.setAccessibleName("Click Assist menu")
        self.menu_button.setAccessibleDescription(
            "Open the menu: Ground on screen, Select region, Settings, History, Quit.")
        self.menu_button.setToolTip(self.menu_button.accessibleDescription())
        self.menu_button.setMenu(menu)
        layout.addWidget(self.menu_button)
        self.status = QLabel("Ready.", self)
        self.status.setObjectName("statusLabel")
        self.status.setWordWrap(True)
        self.status.setMaximumWidth(self.fontMetrics().horizontalAdvance("x") * 28)
        self.status.setAccessibleName("Status")
        self.status.setAccessibleDescription("Ready.")
        self.status.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        layout.addWidget(self.status)

    def say(self, text: str) -> None:
        self.status.setText(text)
        self.status.setAccessibleDescription(text)
        if self.isVisible():
            self.place()

    def place(self) -> None:
        """Bottom-right of the screen, out of the way of what the person works on."""
        self.adjustSize()
        area = self.screen().availableGeometry()
        self.move(area.right() - self.width() - 16, area.bottom() - self.height() - 16)


class AppMenu(QObject):
    """Tray icon + menu, or :class:`FallbackWindow`; emits one signal per entry."""

    ground = Signal()
    region = Signal()
    settings = Signal()
    history = Signal()
    quit = Signal()

    def __init__(self, shortcuts: dict[str, str], use_tray: bool | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        use_tray = QSystemTrayIcon.isSystemTrayAvailable() if use_tray is None else use_tray
        self.tray: QSystemTrayIcon | None = None
        self.window: FallbackWindow | None = None
        self.menu = QMenu()
        self.actions: dict[str, QAction] = {}
        self.menu.setAccessibleName("Click Assist menu")
        self.menu.setAccessibleDescription("What Click Assist can do.")
        for key, text, desc in ENTRIES:
            action = QAction(text, self.menu)
            action.setToolTip(desc)
            action.setStatusTip(desc)
            if key in shortcuts:
                action.setText(f"{text}\t{shortcuts[key]}")
            action.triggered.connect(getattr(self, key).emit)
            self.actions[key] = action
            self.menu.addAction(action)
        if use_tray:
            self.tray = QSystemTrayIcon(app_icon(), self)
            self.tray.setToolTip("Click Assist")
            self.tray.setContextMenu(self.menu)
        else:
            self.window = FallbackWindow(self.menu)

    def show(self) -> None:
        if self.tray is not None:
            self.tray.show()
        elif self.window is not None:
            self.window.place()
            self.window.show()

    def notify(self, text: str) -> None:
        """Tell the person something without taking focus."""
        if self.tray is not None:
            self.tray.showMessage("Click Assist", text, QSystemTrayIcon.MessageIcon.Information, 4000)
        elif self.window is not None:
            self.window.say(text)


class HistoryDialog(QDialog):
    """Earlier instructions, newest first; Enter or "Run again" reruns one."""

    run_requested = Signal(str)

    def __init__(self, history: History, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.history = history
        self.setWindowTitle("Click Assist history")
        self.setObjectName("historyDialog")
        self.setAccessibleName("Click Assist history")
        self.setAccessibleDescription("Earlier instructions, newest first.")
        layout = QVBoxLayout(self)
        self.list = QListWidget(self)
        self.list.setAccessibleName("Earlier instructions")
        self.list.setAccessibleDescription("Press Enter to run the selected instruction again.")
        self.list.itemActivated.connect(lambda item: self._run(item.text()))
        layout.addWidget(self.list)
        row = QHBoxLayout()
        for text, desc, slot in (("Run again", "Run the selected instruction again.", self._run_selected),
                                 ("Clear", "Forget every instruction.", self._clear),
                                 ("Close", "Close this window.", self.reject)):
            b = QPushButton(text, self)
            b.setAccessibleName(text)
            b.setAccessibleDescription(desc)
            b.clicked.connect(slot)
            row.addWidget(b)
        layout.addLayout(row)
        self.refresh()

    def refresh(self) -> None:
        self.list.clear()
        self.list.addItems(list(reversed(self.history.items)))
        if self.list.count():
            self.list.setCurrentRow(0)

    def _run_selected(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self._run(item.text())

    def _run(self, text: str) -> None:
        self.accept()
        self.run_requested.emit(text)

    def _clear(self) -> None:
        self.history.clear()
        self.refresh()
