""""Show grid": the recursive 3×3 grid over a frozen capture, driven by digits, Enter and Backspace.

The grid's arithmetic lives in :mod:`desktop.core.grid`; this widget draws
the current cell's nine sub-cells with large digits, dims everything outside
the current cell, marks the point Enter would click and, once cells get
small, shows a magnified copy of the current cell beside it so the digits
stay readable and the person sees what they are aiming at.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (QColor, QFont, QFontMetricsF, QImage, QKeyEvent, QPainter, QPainterPath,
                           QPaintEvent, QPen)
from PySide6.QtWidgets import QWidget

from desktop.core.commands import mode_action
from desktop.core.geometry import Box
from desktop.core.grid import GridState
from desktop.ui.overlay import OverlayLook
from desktop.ui.painting import paint_banner

__all__ = ["GridOverlay", "GRID_TITLE"]

logger = logging.getLogger(__name__)

GRID_TITLE = "Click Assist grid"
#: Below this size (logical pixels) the current cell is also shown magnified.
MAGNIFY_BELOW = 150.0


class GridOverlay(QWidget):
    """The 3×3 grid; the person zooms with digits and clicks the centre with Enter.

    Signals
    -------
    clicked(float, float, str)
        Enter (or :meth:`accept`): the point to click, in image pixels of the
        capture, and how (``key`` or ``voice``).
    cancelled()
        Esc: nothing is clicked.
    """

    clicked = Signal(float, float, str)
    cancelled = Signal()

    def __init__(self, look: OverlayLook | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint
                         | Qt.WindowType.WindowStaysOnTopHint)
        self.look = look or OverlayLook()
        self.state = GridState(Box(0, 0, 1, 1))
        self.background: QImage | None = None
        self.setObjectName("gridOverlay")
        self.setWindowTitle(GRID_TITLE)
        self.setAccessibleName(GRID_TITLE)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._describe()

    def present(self, image_size: tuple[int, int], geometry: QRect, background: QImage | None) -> None:
        """Show the top-level grid over a capture of ``image_size`` placed at ``geometry``."""
        self.state = GridState(Box(0, 0, max(1, image_size[0]), max(1, image_size[1])))
        self.background = background
        self.setGeometry(geometry)
        self._describe()
        self.show()
        self.raise_()
        self.activateWindow()
        self.setFocus(Qt.FocusReason.ActiveWindowFocusReason)
        self.update()

    # -- driving (keys, and the same methods for voice) -----------------------------
    def zoom(self, digit: int) -> None:
        """Zoom into cell ``digit`` (1–9, numbered like a phone keypad)."""
        self.state = self.state.zoom(digit)
        self._describe()
        self.update()

    def back(self) -> None:
        """One level back out."""
        self.state = self.state.up()
        self._describe()
        self.update()

    def accept(self, via: str = "voice") -> None:
        """Click the centre of the current cell."""
        x, y = self.state.centre
        logger.debug("grid accepted at %s via %s", self.state.describe(), via)
        self.clicked.emit(x, y, via)

    def say(self, text: str) -> bool:
        """Act on something said: "five" (or "five two": several levels), "click", "back", "cancel"."""
        action = mode_action(text)
        digits = str(action.value) if action.kind == "number" else ""
        if digits and "0" not in digits:
            for d in digits:
                self.zoom(int(d))
        elif action.kind == "accept":
            self.accept("voice")
        elif action.kind == "back":
            self.back()
        elif action.kind == "cancel":
            self.cancelled.emit()
        else:
            return False
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        key = event.key()
        if key == Qt.Key.Key_Escape:
            self.cancelled.emit()
        elif Qt.Key.Key_1 <= key <= Qt.Key.Key_9:  # the keypad's digits arrive as the same keys
            self.zoom(key - Qt.Key.Key_0)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.accept("key")
        elif key == Qt.Key.Key_Backspace:
            self.back()
        else:
            super().keyPressEvent(event)

    def banner_text(self) -> str:
        return (f"Grid: 1–9 zoom in · Enter clicks the centre · Backspace goes back · Esc cancels "
                f"({self.state.describe()})")

    def _describe(self) -> None:
        self.setAccessibleDescription(self.banner_text())

    # -- geometry ---------------------------------------------------------------------
    def _to_local(self, box: Box) -> QRectF:
        sx = self.width() / self.state.region.width
        sy = self.height() / self.state.region.height
        return QRectF(box.x0 * sx, box.y0 * sy, box.width * sx, box.height * sy)

    def magnifier_rect(self) -> QRectF | None:
        """Where the magnified copy of the current cell goes (beside it), or None when not needed."""
        cell = self._to_local(self.state.box)
        if min(cell.width(), cell.height()) >= MAGNIFY_BELOW or self.state.depth == 0:
            return None
        factor = MAGNIFY_BELOW * 2 / max(cell.width(), cell.height())
        w, h = cell.width() * factor, cell.height() * factor
        x = cell.right() + 16 if cell.right() + 16 + w <= self.width() else cell.left() - 16 - w
        y = min(max(0.0, cell.center().y() - h / 2), self.height() - h)
        return QRectF(max(0.0, x), y, w, h)

    # -- painting -----------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self.background is not None:
            p.drawImage(QRectF(self.rect()), self.background)
        cell = self._to_local(self.state.box)
        outside = QPainterPath()
        outside.addRect(QRectF(self.rect()))
        inner = QPainterPath()
        inner.addRect(cell)
        p.fillPath(outside.subtracted(inner), QColor(0, 0, 0, 110))
        self._paint_grid(p, cell, [self._to_local(c) for c in self.state.cells()])
        magnifier = self.magnifier_rect()
        if magnifier is not None:
            self._paint_magnifier(p, magnifier)
        self._paint_banner(p)
        p.end()

    def _paint_grid(self, p: QPainter, cell: QRectF, cells: list[QRectF]) -> None:
        for width, colour in ((4, QColor("#000000")), (2, QColor(self.look.marker_color))):
            p.setPen(QPen(colour, width))
            p.setBrush(Qt.BrushStyle.NoBrush)
            for c in cells:
                p.drawRect(c)
        font = QFont(self.font())
        font.setBold(True)
        font.setPixelSize(max(9, min(48, int(min(cells[0].width(), cells[0].height()) * 0.45))))
        p.setFont(font)
        fm = QFontMetricsF(font)
        for digit, c in enumerate(cells, start=1):
            if fm.height() > c.height() * 1.2:
                break  # too small to read here: the magnifier shows them
            badge = QRectF(0, 0, fm.horizontalAdvance("8") + 10, fm.height() + 2)
            badge.moveCenter(c.center())
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(0, 0, 0, 170))
            p.drawRoundedRect(badge, 4, 4)
            p.setPen(QColor(self.look.marker_color))
            p.drawText(badge, Qt.AlignmentFlag.AlignCenter, str(digit))
        centre = cell.center()
        p.setPen(QPen(QColor(self.look.highlight_color), 2))
        p.drawLine(QPointF(centre.x() - 8, centre.y()), QPointF(centre.x() + 8, centre.y()))
        p.drawLine(QPointF(centre.x(), centre.y() - 8), QPointF(centre.x(), centre.y() + 8))

    def _paint_magnifier(self, p: QPainter, rect: QRectF) -> None:
        if self.background is not None:
            b = self.state.box
            sx = self.background.width() / self.state.region.width
            sy = self.background.height() / self.state.region.height
            p.drawImage(rect, self.background, QRectF(b.x0 * sx, b.y0 * sy, b.width * sx, b.height * sy))
        p.setPen(QPen(QColor(self.look.highlight_color), 3))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(rect)
        w, h = rect.width() / 3, rect.height() / 3
        cells = [QRectF(rect.left() + (d % 3) * w, rect.top() + (d // 3) * h, w, h) for d in range(9)]
        self._paint_grid(p, rect, cells)

    def _paint_banner(self, p: QPainter) -> None:
        font = QFont(self.font())
        font.setBold(True)
        font.setPixelSize(max(13, int(self.look.marker_size * 0.4)))
        fm = QFontMetricsF(font)
        text = self.banner_text()
        w = min(self.width() - 32.0, fm.horizontalAdvance(text) + 32)
        h = fm.height() + 16
        cell = self._to_local(self.state.box)
        top = 12.0 if cell.center().y() > self.height() / 2 else self.height() - h - 12
        rect = QRectF((self.width() - w) / 2, top, w, h)
        paint_banner(p, rect, text, font, self.look.highlight_color, border=2)
