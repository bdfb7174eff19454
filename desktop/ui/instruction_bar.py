"""The compact instruction bar: type, Enter runs, Up/Down recall, Esc cancels or closes."""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QLineEdit, QProgressBar, QPushButton,
                               QVBoxLayout, QWidget)

from desktop.ui.history import History

__all__ = ["InstructionBar", "bar_position"]

logger = logging.getLogger(__name__)

BAR_TITLE = "Click Assist instruction"


def bar_position(pointer: QPoint, bar_size: tuple[int, int], screen: QRect, mode: str,
                 fixed: tuple[float, float] = (0.5, 0.25), offset: int = 24) -> QPoint:
    """Where the bar's top-left goes: below-right of the pointer, or at a fixed spot; always on screen."""
    w, h = bar_size
    if mode == "fixed":
        x = screen.x() + int(fixed[0] * screen.width()) - w // 2
        y = screen.y() + int(fixed[1] * screen.height()) - h // 2
    else:
        x, y = pointer.x() + offset, pointer.y() + offset
        if y + h > screen.y() + screen.height():
            y = pointer.y() - offset - h  # flip above the pointer near the bottom edge
    x = max(screen.x(), min(x, screen.x() + screen.width() - w))
    y = max(screen.y(), min(y, screen.y() + screen.height() - h))
    return QPoint(x, y)


class InstructionBar(QWidget):
    """A frameless, always-on-top bar with one line edit, a status line and a busy indicator.

    Signals
    -------
    submitted(str)
        Enter with a non-empty instruction while not busy.
    cancel_requested()
        Esc while busy: the work in progress should stop; the bar stays open.
    closed()
        Esc (or Close) while not busy: the bar hides.
    """

    submitted = Signal(str)
    cancel_requested = Signal()
    closed = Signal()

    def __init__(self, history: History, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint
                         | Qt.WindowType.WindowStaysOnTopHint)
        self.history = history
        self._busy = False
        self.setWindowTitle(BAR_TITLE)
        self.setObjectName("instructionBar")
        self.setAccessibleName(BAR_TITLE)
        self.setAccessibleDescription("Type what to click, for example 'click Save', then press Enter.")
        self._build()
        self.edit.installEventFilter(self)

    def _build(self) -> None:
        self.edit = QLineEdit(self)
        self.edit.setObjectName("instructionEdit")
        self.edit.setPlaceholderText("What should I click? e.g. click Save")
        self.edit.setAccessibleName("Instruction")
        self.edit.setAccessibleDescription(
            "What to click, for example 'click Save' or 'click all checkboxes'. Enter runs it, "
            "Up and Down recall earlier instructions, Escape cancels or closes.")
        self.edit.setMinimumWidth(self.fontMetrics().horizontalAdvance("x") * 24)
        self.run_button = QPushButton("Run", self)
        self.run_button.setAccessibleName("Run instruction")
        self.run_button.setAccessibleDescription("Find the targets for the instruction (same as Enter).")
        self.run_button.clicked.connect(self._submit)
        self.close_button = QPushButton("Close", self)
        self.close_button.setAccessibleName("Close instruction bar")
        self.close_button.setAccessibleDescription("Cancel and close the bar (same as Escape).")
        self.close_button.clicked.connect(self._escape)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)  # busy indicator: grounding reports no percentage
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(self.fontMetrics().height() // 2 + 4)
        self.progress.setAccessibleName("Working")
        self.progress.setAccessibleDescription("Shown while targets are being found; Escape cancels.")
        self.progress.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.progress.hide()
        self.status = QLabel(self)
        self.status.setObjectName("instructionStatus")
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Status")
        self.status.setAccessibleDescription("What Click Assist is doing, or why nothing was found.")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.status.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.status.hide()
        row = QHBoxLayout()
        row.addWidget(self.edit, 1)
        row.addWidget(self.run_button)
        row.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.addLayout(row)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)

    def fit(self, screen: QRect) -> None:
        """Give the text field a comfortable width (about 44 characters) that still fits ``screen``."""
        comfortable = self.fontMetrics().horizontalAdvance("x") * 44
        self.setMaximumWidth(screen.width() - 16)
        self.edit.setMinimumWidth(80)
        rest = self.sizeHint().width() - self.edit.sizeHint().width()  # buttons and margins
        self.edit.setMinimumWidth(max(80, min(comfortable, screen.width() - 16 - rest)))
        self.adjustSize()

    @property
    def busy(self) -> bool:
        return self._busy

    def open(self, text: str = "") -> None:
        """Show the bar ready for typing (position it first with ``move``)."""
        self.set_idle()
        self.status.hide()
        self.edit.setText(text)
        self.edit.selectAll()
        self.history.reset_cursor()
        self.show()
        self.raise_()
        self.activateWindow()
        self.edit.setFocus(Qt.FocusReason.ActiveWindowFocusReason)

    def set_busy(self, message: str) -> None:
        """Show progress; typing is paused until the work ends."""
        self._busy = True
        self.edit.setReadOnly(True)
        self.run_button.setEnabled(False)
        self.progress.show()
        self._say(message)

    def set_idle(self) -> None:
        self._busy = False
        self.edit.setReadOnly(False)
        self.run_button.setEnabled(True)
        self.progress.hide()

    def show_message(self, message: str, hint: str = "") -> None:
        """Stop showing progress and tell the person ``message`` (and what to try)."""
        self.set_idle()
        self._say(message if not hint else f"{message}\n{hint}")
        self.edit.setFocus()
        self.edit.selectAll()

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.status.setAccessibleDescription(text)
        self.status.show()
        self.adjustSize()

    def _submit(self) -> None:
        text = self.edit.text().strip()
        if self._busy or not text:
            return
        self.history.add(text)
        self.submitted.emit(text)

    def _escape(self) -> None:
        if self._busy:
            self.set_idle()
            self._say("Cancelled.")
            self.cancel_requested.emit()
        else:
            self.hide()
            self.closed.emit()

    def _recall(self, older: bool) -> None:
        if self._busy:
            return
        text = self.history.older() if older else self.history.newer()
        if text is not None:
            self.edit.setText(text)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if obj is self.edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._submit()
                return True
            if key == Qt.Key.Key_Escape:
                self._escape()
                return True
            if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
                self._recall(key == Qt.Key.Key_Up)
                return True
        return super().eventFilter(obj, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape:
            self._escape()
            return
        super().keyPressEvent(event)
