"""The overlay: numbered markers with confidence and label on a frozen copy of the screen.

The overlay paints the capture it was grounded on as its own background, so
it looks right with or without a compositing window manager and shows
exactly what the engine saw. Markers are two-tone (dark outline, bright
fill) so they stand out on light and dark screens alike.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Sequence

from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (QColor, QFont, QFontMetricsF, QImage, QKeyEvent, QMouseEvent,
                           QPainter, QPaintEvent, QPen, QResizeEvent)
from PySide6.QtWidgets import QWidget

from desktop.core.flow import Plan
from desktop.core.settings import Settings
from desktop.ui.overlay_layout import MarkerLayout, layout_markers
from desktop.ui.painting import paint_banner
from desktop.ui.qt_geometry import ScreenLayout, pointer_to_logical

__all__ = ["OverlayLook", "Marker", "Overlay", "markers_for_plan", "marker_text"]

logger = logging.getLogger(__name__)

OVERLAY_TITLE = "Click Assist targets"
_ACTION_WORDS = {"double_click": "double-click ", "right_click": "right-click "}


@dataclass(frozen=True)
class OverlayLook:
    """Marker size (logical pixels) and colours, from settings."""

    marker_size: int = 40
    marker_color: str = "#FFD400"
    highlight_color: str = "#00E5FF"
    text_color: str = "#000000"

    @classmethod
    def from_settings(cls, s: Settings) -> OverlayLook:
        return cls(s.marker_size, s.marker_color, s.highlight_color, s.marker_text_color)


@dataclass(frozen=True)
class Marker:
    """One target as drawn: marker number ``index + 1`` at ``(x, y)`` in overlay-local logical pixels."""

    index: int
    x: float
    y: float
    label: str
    confidence: float
    action: str = "click"


def marker_text(m: Marker, limit: int = 32) -> str:
    """The label beside a marker: action (when not a plain click), label and confidence."""
    label = m.label if len(m.label) <= limit else m.label[: limit - 1] + "…"
    return f"{_ACTION_WORDS.get(m.action, '')}{label}  {round(m.confidence * 100)}%".strip()


def markers_for_plan(plan: Plan, screens: Sequence[ScreenLayout],
                     overlay_origin: tuple[float, float]) -> list[Marker]:
    """Where each planned click lands, in the overlay's local logical pixels.

    Markers are placed at the centre of the pointer pixel each click goes to,
    through the same conversion that places windows, so what is marked is
    what is clicked.
    """
    ox, oy = overlay_origin
    out = []
    for c in plan.clicks:
        lx, ly = pointer_to_logical(screens, c.x + 0.5, c.y + 0.5)
        out.append(Marker(c.index, lx - ox, ly - oy, c.label, c.confidence, c.action))
    return out


class Overlay(QWidget):
    """Full-region overlay; the person confirms or cancels here.

    Signals
    -------
    confirmed(str, tuple, str)
        Plan id, the chosen indices in click order, and how (``key``, ``number``, ``mouse``).
    cancelled(str)
        Plan id; Esc was pressed: nothing is clicked.
    """

    confirmed = Signal(str, object, str)
    cancelled = Signal(str)

    def __init__(self, look: OverlayLook | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint
                         | Qt.WindowType.WindowStaysOnTopHint)
        self.look = look or OverlayLook()
        self.markers: list[Marker] = []
        self.layouts: list[MarkerLayout] = []
        self.highlighted = 0
        self.wants_all = False
        self.plan_id = ""
        self.instruction = ""
        self.background: QImage | None = None
        self.setObjectName("overlay")
        self.setWindowTitle(OVERLAY_TITLE)
        self.setAccessibleName(OVERLAY_TITLE)
        self.setAccessibleDescription("Numbered targets. Enter clicks the highlighted one, 1 to 9 click one, "
                                      "Tab moves the highlight, Escape cancels.")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def present(self, plan_id: str, markers: Sequence[Marker], geometry: QRect,
                background: QImage | None, wants_all: bool, instruction: str) -> None:
        """Show ``markers`` over ``geometry`` (logical pixels), best one highlighted."""
        self.plan_id = plan_id
        self.markers = list(markers)
        self.highlighted = 0
        self.wants_all = wants_all
        self.instruction = instruction
        self.background = background
        self.setGeometry(geometry)
        self._layout()
        self._describe()
        self.show()
        self.raise_()
        self.activateWindow()
        self.setFocus(Qt.FocusReason.ActiveWindowFocusReason)
        self.update()

    def banner_text(self) -> str:
        n = len(self.markers)
        found = f"{n} target{'s' if n != 1 else ''} for \u201c{self.instruction}\u201d"
        enter = f"Enter clicks all {n}" if self.wants_all and n > 1 else "Enter clicks the highlighted one"
        return f"{found}.  {enter} · 1–9 click one · Tab moves · Esc cancels"

    def _describe(self) -> None:
        parts = [self.banner_text()]
        parts += [f"{m.index + 1}: {marker_text(m)}" for m in self.markers[:9]]
        self.setAccessibleDescription(". ".join(parts))

    # -- choosing ---------------------------------------------------------
    def _confirm(self, indices: tuple[int, ...], via: str) -> None:
        if not indices:
            return
        logger.debug("overlay confirmed %s via %s", indices, via)
        self.confirmed.emit(self.plan_id, indices, via)

    def _move(self, step: int) -> None:
        if self.markers:
            self.highlighted = (self.highlighted + step) % len(self.markers)
            self.update()

    def event(self, event: QEvent) -> bool:
        # Tab and Shift+Tab move the highlight instead of the keyboard focus.
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
                backwards = event.key() == Qt.Key.Key_Backtab or bool(
                    event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
                self._move(-1 if backwards else 1)
                return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        key = event.key()
        if key == Qt.Key.Key_Escape:
            self.cancelled.emit(self.plan_id)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            every = tuple(m.index for m in self.markers)
            self._confirm(every if self.wants_all else (self.markers[self.highlighted].index,)
                          if self.markers else (), "key")
        elif Qt.Key.Key_1 <= key <= Qt.Key.Key_9:
            n = key - Qt.Key.Key_1
            if n < len(self.markers):
                self._confirm((self.markers[n].index,), "number")
        elif key in (Qt.Key.Key_Right, Qt.Key.Key_Down):
            self._move(1)
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Up):
            self._move(-1)
        else:
            super().keyPressEvent(event)

    def marker_at(self, x: float, y: float) -> int | None:
        """The index of the marker drawn at local ``(x, y)`` (ring or label), or ``None``."""
        for i, (m, lay) in enumerate(zip(self.markers, self.layouts)):
            if (x - m.x) ** 2 + (y - m.y) ** 2 <= (lay.radius + 4) ** 2:
                return i
            if lay.label.contains(x, y):
                return i
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        hit = self.marker_at(event.position().x(), event.position().y())
        if hit is not None and event.button() == Qt.MouseButton.LeftButton:
            self.highlighted = hit
            self._confirm((self.markers[hit].index,), "mouse")

    # -- painting ---------------------------------------------------------
    def _label_font(self) -> QFont:
        font = QFont(self.font())
        font.setBold(True)
        font.setPixelSize(max(14, int(self.look.marker_size * 0.42)))
        return font

    def _layout(self) -> None:
        fm = QFontMetricsF(self._label_font())
        badge = fm.height()

        def measure(text: str) -> float:
            return badge + 10 + fm.horizontalAdvance(text) + 14

        self.layouts = layout_markers([(m.x, m.y) for m in self.markers], [marker_text(m) for m in self.markers],
                                      (self.width(), self.height()), self.look.marker_size, fm.height() + 8,
                                      measure)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._layout()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self.background is not None:
            p.drawImage(QRectF(self.rect()), self.background)
        else:
            p.fillRect(self.rect(), QColor(0, 0, 0, 60))
        p.setPen(QPen(QColor(self.look.highlight_color), 4))
        p.drawRect(self.rect().adjusted(2, 2, -2, -2))
        # The highlighted marker is painted last so that it is never hidden.
        order = [i for i in range(len(self.markers)) if i != self.highlighted]
        order += [self.highlighted] if self.markers else []
        for i in order:
            self._paint_ring(p, self.markers[i], self.layouts[i], i == self.highlighted)
        for i in order:
            self._paint_label(p, self.markers[i], self.layouts[i], i == self.highlighted)
        self._paint_banner(p)
        p.end()

    def _fill(self, highlighted: bool) -> QColor:
        return QColor(self.look.highlight_color if highlighted else self.look.marker_color)

    def _paint_ring(self, p: QPainter, m: Marker, lay: MarkerLayout, highlighted: bool) -> None:
        r = lay.radius * (1.15 if highlighted else 1.0)
        centre = QPointF(m.x, m.y)
        # Black outside, colour inside: visible on light and dark screens alike.
        for width, colour in ((10 if highlighted else 8, QColor("#000000")),
                              (6 if highlighted else 4, self._fill(highlighted))):
            p.setPen(QPen(colour, width))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawEllipse(centre, r, r)
        p.setPen(QPen(QColor("#000000"), 2))
        p.setBrush(QColor("#FFFFFF"))
        p.drawEllipse(centre, 3.5, 3.5)  # the exact click point

    def _paint_label(self, p: QPainter, m: Marker, lay: MarkerLayout, highlighted: bool) -> None:
        b, fill = lay.label, self._fill(highlighted)
        rect = QRectF(b.x0, b.y0, b.width, b.height)
        if lay.nudged:  # a leader line back to its ring
            p.setPen(QPen(QColor("#000000"), 5))
            p.drawLine(QPointF(m.x, m.y), QPointF(rect.left(), rect.center().y()))
            p.setPen(QPen(fill, 2))
            p.drawLine(QPointF(m.x, m.y), QPointF(rect.left(), rect.center().y()))
        p.setPen(QPen(fill, 3 if highlighted else 2))
        p.setBrush(QColor("#000000"))
        p.drawRoundedRect(rect, 6, 6)
        d = rect.height() - 6
        badge = QRectF(rect.left() + 3, rect.top() + 3, d, d)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(fill)
        p.drawEllipse(badge)
        p.setFont(self._label_font())
        p.setPen(QColor(self.look.text_color))
        p.drawText(badge, Qt.AlignmentFlag.AlignCenter, str(m.index + 1))
        p.setPen(QColor("#FFFFFF"))
        p.drawText(rect.adjusted(d + 10, 0, -6, 0), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                   marker_text(m))

    def banner_rect(self) -> QRectF:
        fm = QFontMetricsF(self._label_font())
        flags = int(Qt.AlignmentFlag.AlignCenter) | int(Qt.TextFlag.TextWordWrap)
        text = fm.boundingRect(QRectF(0, 0, self.width() - 64.0, 1000), flags, self.banner_text())
        w, h = text.width() + 32, text.height() + 20
        rect = QRectF((self.width() - w) / 2, self.height() - h - 16, w, h)
        if any(rect.adjusted(-30, -30, 30, 30).contains(QPointF(m.x, m.y)) for m in self.markers):
            rect.moveTop(16)  # never cover a target
        return rect

    def _paint_banner(self, p: QPainter) -> None:
        paint_banner(p, self.banner_rect(), self.banner_text(), self._label_font(), self.look.highlight_color,
                     margin=(16, 10))
