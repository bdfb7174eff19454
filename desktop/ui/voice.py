"""The voice row of the instruction bar: a hold-to-talk button, an input level meter and the listening state."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

__all__ = ["VoicePanel", "meter_percent"]

logger = logging.getLogger(__name__)

TALK_TEXT = "Hold to talk"
LISTENING_TEXT = "Listening\u2026"


def meter_percent(dbfs: float, floor_db: float = -60.0) -> int:
    """Input level in dBFS → 0–100 for the meter (the floor and below show empty)."""
    if dbfs <= floor_db:
        return 0
    return max(0, min(100, round((dbfs - floor_db) / -floor_db * 100)))


class VoicePanel(QWidget):
    """Push-to-talk in the bar.

    The button works with the mouse (press and hold) and the keyboard
    (hold Space while it has focus); the global hotkey starts listening too.

    Signals
    -------
    talk_pressed()
        Start listening.
    talk_released()
        The button was let go: stop listening and recognise what was said.
    """

    talk_pressed = Signal()
    talk_released = Signal()

    def __init__(self, hotkey: str = "Ctrl+Alt+V", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("voicePanel")
        self.talk = QPushButton(TALK_TEXT, self)
        self.talk.setObjectName("talkButton")
        self.talk.setAccessibleName(TALK_TEXT)
        self.talk.setAutoRepeat(False)
        self.talk.pressed.connect(self.talk_pressed)
        self.talk.released.connect(self.talk_released)
        self.meter = QProgressBar(self)
        self.meter.setObjectName("voiceMeter")
        self.meter.setRange(0, 100)
        self.meter.setTextVisible(False)
        self.meter.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.meter.setMaximumHeight(self.fontMetrics().height())
        self.meter.setMinimumWidth(self.fontMetrics().horizontalAdvance("x") * 10)
        self.meter.setAccessibleName("Microphone level")
        self.meter.setAccessibleDescription("How loud the microphone hears you while listening.")
        self.state = QLabel("", self)
        self.state.setObjectName("voiceState")
        self.state.setAccessibleName("Speech state")
        self.state.setWordWrap(True)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.talk)
        row.addWidget(self.meter)
        row.addWidget(self.state, 1)
        self.set_hotkey(hotkey)
        self.set_listening(False)

    def set_hotkey(self, hotkey: str) -> None:
        self.talk.setAccessibleDescription(
            f"Press and hold (or hold Space on it), say what to click, then let go. "
            f"{hotkey} works from anywhere: hold it while you speak, or tap it and speak; "
            f"listening also stops when you stop speaking.")
        self.talk.setToolTip(f"Hold and speak ({hotkey})")

    @property
    def listening(self) -> bool:
        return self._listening

    def set_listening(self, on: bool) -> None:
        """Show (or stop showing) that the microphone is open."""
        self._listening = on
        self.talk.setText(LISTENING_TEXT if on else TALK_TEXT)
        self.meter.setVisible(on)
        if not on:
            self.meter.setValue(0)
        if on:
            self.set_state("Listening\u2026 say what to click.")

    def set_level(self, dbfs: float) -> None:
        self.meter.setValue(meter_percent(dbfs))

    def set_state(self, text: str) -> None:
        """What speech input is doing (also read out by screen readers)."""
        self.state.setText(text)
        self.state.setAccessibleDescription(text or "Speech input is idle.")
        self.state.setVisible(bool(text))
