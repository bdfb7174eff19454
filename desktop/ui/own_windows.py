"""The app's own windows: hidden before every capture, never clicked on."""

from __future__ import annotations

import contextlib
import logging
import time
from typing import Iterator

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from desktop.core.geometry import Box
from desktop.ui.qt_geometry import logical_box_to_pointer, qt_screen_layouts
from desktop.ui.worker import GuiInvoker

__all__ = ["OwnWindows"]

logger = logging.getLogger(__name__)


class OwnWindows:
    """Tracks the app's top-level windows for capture and for the click guard.

    Parameters
    ----------
    invoker
        Runs widget calls on the GUI thread (capture and the click guard run in workers).
    settle_s
        How long to wait after hiding a window, so that the windows it
        uncovered have repainted before the screen is captured.
    """

    def __init__(self, invoker: GuiInvoker, settle_s: float = 0.05) -> None:
        self.invoker = invoker
        self.settle_s = settle_s
        self._windows: list[tuple[QWidget, bool]] = []

    def register(self, widget: QWidget, persistent: bool = False) -> None:
        """Track ``widget``; a persistent one (the main window) is shown again after a capture."""
        if persistent:
            # Shown again after each capture without taking the focus from the bar.
            widget.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, True)
        self._windows.append((widget, persistent))

    def _visible(self) -> list[tuple[QWidget, bool]]:
        return [(w, p) for w, p in self._windows if w.isVisible()]

    def hide_all(self) -> list[QWidget]:
        """Hide every visible own window (on the GUI thread); return the persistent ones hidden."""
        def hide() -> list[QWidget]:
            visible = self._visible()
            for w, _ in visible:
                w.hide()
            if visible:
                QApplication.processEvents()
                QApplication.sync()
            return [w for w, p in visible if p]

        return self.invoker.call(hide)

    def hide_transient(self) -> None:
        """Hide the bar, overlay and selector (from any thread) and let the screen settle."""
        def hide() -> bool:
            transient = [w for w, p in self._visible() if not p]
            for w in transient:
                w.hide()
            if transient:
                QApplication.processEvents()
                QApplication.sync()
            return bool(transient)

        if self.invoker.call(hide):
            time.sleep(self.settle_s)

    @contextlib.contextmanager
    def hidden(self) -> Iterator[None]:
        """Hide the app's windows for the duration of a capture."""
        visible_before = self.invoker.call(lambda: bool(self._visible()))
        persistent = self.hide_all()
        if visible_before:
            time.sleep(self.settle_s)
        try:
            yield
        finally:
            if persistent:
                def show() -> None:
                    for w in persistent:
                        w.show()

                self.invoker.call(show)

    def boxes(self) -> list[Box]:
        """Visible own windows in pointer coordinates (frame included)."""
        def collect() -> list[Box]:
            screens = qt_screen_layouts()
            out = []
            for w, _ in self._visible():
                g = w.frameGeometry()
                out.append(logical_box_to_pointer(screens, Box.from_xywh(g.x(), g.y(), g.width(), g.height())))
            return out

        return self.invoker.call(collect)
