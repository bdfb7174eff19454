"""The region selector: a frozen full-screen image on which a person drags a rectangle.

Keyboard-only selection works too: arrows move the rectangle, Shift+arrows
resize it, Alt makes the steps fine, Enter accepts and Esc cancels.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from desktop.core.geometry import Box

__all__ = ["RegionSelector", "selection_to_image_box", "normalized"]

SELECTOR_TITLE = "Click Assist region selection"
MIN_SIZE = 8.0  # logical pixels: smaller drags are treated as slips of the hand
_ARROWS: dict[int, tuple[int, int]] = {int(Qt.Key.Key_Left): (-1, 0), int(Qt.Key.Key_Right): (1, 0),
                                       int(Qt.Key.Key_Up): (0, -1), int(Qt.Key.Key_Down): (0, 1)}


def normalized(x0: float, y0: float, x1: float, y1: float) -> Box:
    """The box spanned by two corners given in any order."""
    return Box(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


def selection_to_image_box(selection: Box, widget_size: tuple[float, float],
                           image_size: tuple[int, int]) -> Box | None:
    """A selection in the selector's logical pixels → whole image pixels of the frozen capture.

    The selector shows the whole capture scaled to its own size, so the
    conversion is one scale per axis. Returns ``None`` for a selection
    smaller than :data:`MIN_SIZE` after clipping to the widget.
    """
    ww, wh = widget_size
    iw, ih = image_size
    s = selection.clip(ww, wh)
    if s.width < MIN_SIZE or s.height < MIN_SIZE:
        return None
    sx, sy = iw / ww, ih / wh
    # Outward rounding: the person's rectangle is fully inside the crop.
    return Box(math.floor(s.x0 * sx), math.floor(s.y0 * sy),
               min(iw, math.ceil(s.x1 * sx)), min(ih, math.ceil(s.y1 * sy)))


class RegionSelector(QWidget):
    """Shows a frozen capture full-screen and lets the person mark a rectangle.

    Signals
    -------
    selected(Box)
        The selection in image pixels of the capture shown.
    cancelled()
        Esc: no region.
    """

    selected = Signal(object)
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint
                         | Qt.WindowType.WindowStaysOnTopHint)
        self.setObjectName("regionSelector")
        self.setWindowTitle(SELECTOR_TITLE)
        self.setAccessibleName(SELECTOR_TITLE)
        self.setAccessibleDescription(
            "Drag a rectangle around the area to search. Or use the arrow keys to move the rectangle, "
            "Shift with arrows to resize it, Enter to accept, Escape to cancel.")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.image: QImage | None = None
        self.image_size = (1, 1)
        self.selection = Box(0, 0, 0, 0)
        self._anchor: QPointF | None = None

    def start(self, image: QImage, geometry: QRect) -> None:
        """Show ``image`` over ``geometry`` (logical pixels) with a centred starting rectangle."""
        self.image = image
        self.image_size = (image.width(), image.height())
        self.setGeometry(geometry)
        w, h = geometry.width(), geometry.height()
        self.selection = Box(w / 3, h / 3, 2 * w / 3, 2 * h / 3)
        self.show()
        self.raise_()
        self.activateWindow()
        self.setFocus(Qt.FocusReason.ActiveWindowFocusReason)

    def _accept(self) -> None:
        box = selection_to_image_box(self.selection, (self.width(), self.height()), self.image_size)
        if box is not None:
            self.selected.emit(box)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        key, mods = event.key(), event.modifiers()
        if key == Qt.Key.Key_Escape:
            self.cancelled.emit()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._accept()
        elif int(key) in _ARROWS:
            step = 2.0 if mods & Qt.KeyboardModifier.AltModifier else 20.0
            dx, dy = _ARROWS[int(key)][0] * step, _ARROWS[int(key)][1] * step
            s = self.selection
            if mods & Qt.KeyboardModifier.ShiftModifier:
                x1, y1 = max(s.x0 + MIN_SIZE, s.x1 + dx), max(s.y0 + MIN_SIZE, s.y1 + dy)
                self.selection = Box(s.x0, s.y0, min(x1, self.width()), min(y1, self.height()))
            else:
                dx = max(-s.x0, min(dx, self.width() - s.x1))
                dy = max(-s.y0, min(dy, self.height() - s.y1))
                self.selection = s.translate(dx, dy)
            self.update()
        else:
            super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            self._anchor = event.position()
            self.selection = Box(self._anchor.x(), self._anchor.y(), self._anchor.x(), self._anchor.y())
            self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._anchor is not None:
            p = event.position()
            self.selection = normalized(self._anchor.x(), self._anchor.y(), p.x(), p.y())
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._anchor is not None and event.button() == Qt.MouseButton.LeftButton:
            p = event.position()
            self.selection = normalized(self._anchor.x(), self._anchor.y(), p.x(), p.y())
            self._anchor = None
            self._accept()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        if self.image is not None:
            p.drawImage(QRectF(self.rect()), self.image)
        s = self.selection
        sel = QRectF(s.x0, s.y0, s.width, s.height)
        shade = QColor(0, 0, 0, 110)  # dim everything outside the selection
        for r in (QRectF(0, 0, self.width(), s.y0), QRectF(0, s.y1, self.width(), self.height() - s.y1),
                  QRectF(0, s.y0, s.x0, s.height), QRectF(s.x1, s.y0, self.width() - s.x1, s.height)):
            p.fillRect(r, shade)
        p.setPen(QPen(QColor("#000000"), 6))
        p.drawRect(sel)
        p.setPen(QPen(QColor("#FFD400"), 3))
        p.drawRect(sel)
        p.end()
