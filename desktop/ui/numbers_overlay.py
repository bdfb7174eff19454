""""Show numbers": every clickable thing in the region marked with a number to type or say.

The overlay paints the frozen capture, a thin frame around each numbered
target and its number beside it (placed by :mod:`desktop.core.numbers`, so
no number hides another or what it labels). A typed number that no longer
number starts with is chosen at once ("7" of 12); otherwise Enter (or a
short pause) chooses it. Page Down / Page Up show the next and previous page on a dense screen.
"""

from __future__ import annotations

import logging
from typing import Sequence

from PySide6.QtCore import QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (QColor, QFont, QFontMetricsF, QImage, QKeyEvent, QMouseEvent, QPainter,
                           QPaintEvent, QPen, QResizeEvent)
from PySide6.QtWidgets import QWidget

from desktop.core.commands import mode_action
from desktop.core.geometry import Box
from desktop.core.numbers import NumberPage, NumberTarget, layout_pages
from desktop.ui.overlay import OverlayLook
from desktop.ui.painting import paint_banner

__all__ = ["NumbersOverlay", "NUMBERS_TITLE"]

logger = logging.getLogger(__name__)

NUMBERS_TITLE = "Click Assist numbers"
#: How long a typed number that could still grow ("1" of "12") waits before it is taken.
PAUSE_MS = 1200


class NumbersOverlay(QWidget):
    """Numbers over every target of a capture; the person picks one by its number.

    Signals
    -------
    chosen(int, str)
        The chosen target's index into the targets given to :meth:`present`,
        and how (``number``, ``mouse`` or ``voice``).
    cancelled()
        Esc: nothing is clicked.
    """

    chosen = Signal(int, str)
    cancelled = Signal()

    def __init__(self, look: OverlayLook | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint
                         | Qt.WindowType.WindowStaysOnTopHint)
        self.look = look or OverlayLook()
        self.targets: list[NumberTarget] = []
        self.pages: list[NumberPage] = []
        self.page = 0
        self.typed = ""
        self.image_size = (1, 1)
        self.background: QImage | None = None
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.timeout.connect(self._take_typed)
        self.setObjectName("numbersOverlay")
        self.setWindowTitle(NUMBERS_TITLE)
        self.setAccessibleName(NUMBERS_TITLE)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._describe()

    # -- showing ---------------------------------------------------------------
    def present(self, targets: Sequence[NumberTarget], image_size: tuple[int, int], geometry: QRect,
                background: QImage | None) -> None:
        """Number ``targets`` (image pixels of a capture of ``image_size``) over ``geometry``."""
        self.targets = list(targets)
        self.image_size = (max(1, image_size[0]), max(1, image_size[1]))
        self.background = background
        self.page, self.typed = 0, ""
        self.setGeometry(geometry)
        self._layout()
        self.show()
        self.raise_()
        self.activateWindow()
        self.setFocus(Qt.FocusReason.ActiveWindowFocusReason)
        self.update()

    def _font(self) -> QFont:
        font = QFont(self.font())
        font.setBold(True)
        font.setPixelSize(max(13, int(self.look.marker_size * 0.42)))
        return font

    def _scale(self) -> tuple[float, float]:
        return self.width() / self.image_size[0], self.height() / self.image_size[1]

    def _layout(self) -> None:
        fm = QFontMetricsF(self._font())
        height = fm.height() + 6

        def label_size(n: int) -> tuple[float, float]:
            return max(height, fm.horizontalAdvance(str(n)) + 12), height

        self.pages = layout_pages(self.targets, (self.width(), self.height()), label_size, self._scale())
        self.page = min(self.page, max(0, len(self.pages) - 1))
        self._describe()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._layout()

    @property
    def current(self) -> NumberPage | None:
        return self.pages[self.page] if self.pages else None

    def banner_text(self) -> str:
        page = self.current
        n = len(page.labels) if page else 0
        pages = f"Page {self.page + 1} of {len(self.pages)} · PgDn/PgUp pages · " if len(self.pages) > 1 else ""
        typed = f"  Typed: {self.typed}" if self.typed else ""
        return f"{n} numbered targets. Type or say a number · {pages}Esc cancels{typed}"

    def _describe(self) -> None:
        page = self.current
        parts = [self.banner_text()]
        if page is not None:
            parts += [f"{lab.number}: {self.targets[lab.index].label}" for lab in page.labels[:30]]
            # Screen content: DEBUG only (the end-to-end tests read it to know which number is which).
            logger.debug("numbers page %d: %s", self.page + 1, " | ".join(
                f"{lab.number}={self.targets[lab.index].label}" for lab in page.labels))
        self.setAccessibleDescription(". ".join(parts))

    # -- choosing ----------------------------------------------------------------
    def choose(self, number: int, via: str = "voice") -> bool:
        """Choose the target numbered ``number`` on the page shown; False when there is none."""
        page = self.current
        index = page.index_of(number) if page is not None else None
        self.typed = ""
        self._pause.stop()
        if index is None:
            self.update()
            return False
        logger.debug("number %d chosen via %s", number, via)
        self.chosen.emit(index, via)
        return True

    def say(self, text: str) -> bool:
        """Act on something said: a number, "next page", "previous page", "cancel"; False if not understood."""
        action = mode_action(text)
        if action.kind == "number":
            return self.choose(action.value, "voice")
        if action.kind == "next_page":
            self.next_page()
        elif action.kind == "previous_page":
            self.previous_page()
        elif action.kind == "cancel":
            self.cancelled.emit()
        elif action.kind == "accept" and self.typed:
            self._take_typed()
        else:
            return False
        return True

    def next_page(self) -> None:
        if len(self.pages) > 1:
            self.page = (self.page + 1) % len(self.pages)
            self.typed = ""
            self._describe()
            self.update()

    def previous_page(self) -> None:
        if len(self.pages) > 1:
            self.page = (self.page - 1) % len(self.pages)
            self.typed = ""
            self._describe()
            self.update()

    def _take_typed(self) -> None:
        if self.typed:
            self.choose(int(self.typed), "number")

    def _type_digit(self, digit: int) -> None:
        page = self.current
        count = len(page.labels) if page is not None else 0
        self.typed = (self.typed + str(digit)).lstrip("0")
        if not self.typed:
            return
        value = int(self.typed)
        if value > count:  # no such number on this page: start again
            self.typed = ""
            self._pause.stop()
        elif value * 10 > count:
            self.choose(value, "number")  # no longer number starts with it
        else:
            self._pause.start(PAUSE_MS)
        self.update()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        key = event.key()
        if key == Qt.Key.Key_Escape:
            self._pause.stop()
            self.cancelled.emit()
        elif Qt.Key.Key_0 <= key <= Qt.Key.Key_9:
            self._type_digit(key - Qt.Key.Key_0)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._take_typed()
        elif key == Qt.Key.Key_Backspace:
            self.typed = self.typed[:-1]
            self._pause.stop()
            self.update()
        elif key in (Qt.Key.Key_PageDown, Qt.Key.Key_Space):
            self.next_page()
        elif key == Qt.Key.Key_PageUp:
            self.previous_page()
        else:
            super().keyPressEvent(event)

    def number_at(self, x: float, y: float) -> int | None:
        """The number whose label (or target) is drawn at local ``(x, y)``."""
        page = self.current
        if page is None:
            return None
        for lab in page.labels:
            if lab.box.contains(x, y):
                return lab.number
        sx, sy = self._scale()
        for lab in page.labels:
            if self.targets[lab.index].extent.contains(x / sx, y / sy):
                return lab.number
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            number = self.number_at(event.position().x(), event.position().y())
            if number is not None:
                self.choose(number, "mouse")

    # -- painting -------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self.background is not None:
            p.drawImage(QRectF(self.rect()), self.background)
        else:
            p.fillRect(self.rect(), QColor(0, 0, 0, 60))
        page = self.current
        if page is not None:
            sx, sy = self._scale()
            p.setBrush(Qt.BrushStyle.NoBrush)
            for lab in page.labels:  # thin frames first: the numbers are always on top
                e = self.targets[lab.index].extent
                p.setPen(QPen(QColor(self.look.marker_color), 1.5))
                p.drawRect(QRectF(e.x0 * sx, e.y0 * sy, e.width * sx, e.height * sy))
            p.setFont(self._font())
            for lab in page.labels:
                typed = bool(self.typed) and str(lab.number).startswith(self.typed)
                self._paint_label(p, lab.box, str(lab.number), typed)
        self._paint_banner(p)
        p.end()

    def _paint_label(self, p: QPainter, box: Box, text: str, matching: bool) -> None:
        rect = QRectF(box.x0, box.y0, box.width, box.height)
        fill = QColor(self.look.highlight_color if matching else self.look.marker_color)
        p.setPen(QPen(QColor("#000000"), 2))
        p.setBrush(fill)
        p.drawRoundedRect(rect, 4, 4)
        p.setPen(QColor(self.look.text_color))
        p.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)

    def banner_rect(self) -> QRectF:
        fm = QFontMetricsF(self._font())
        w = min(self.width() - 32.0, fm.horizontalAdvance(self.banner_text()) + 32)
        h = fm.height() + 16
        rect = QRectF((self.width() - w) / 2, self.height() - h - 12, w, h)
        page = self.current
        if page is not None and any(rect.intersects(QRectF(lab.box.x0, lab.box.y0, lab.box.width, lab.box.height))
                                    for lab in page.labels):
            rect.moveTop(12)  # never cover a number
        return rect

    def _paint_banner(self, p: QPainter) -> None:
        paint_banner(p, self.banner_rect(), self.banner_text(), self._font(), self.look.highlight_color,
                     border=2)
