"""The Settings row that adapts the recognizer to the person's voice, or removes the adaptation.

Adapting takes a few seconds, so it runs in a :class:`BackgroundOp`; the
row says what happened (or why not) in a label that screen readers reach.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.core.errors import ClickAssistError
from desktop.ui.worker import BackgroundOp

__all__ = ["VoiceAdaptationRow"]

logger = logging.getLogger(__name__)


class VoiceAdaptationRow(QWidget):
    """"Adapt to my voice now" and "Remove adaptation" buttons over a status line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        buttons = QHBoxLayout()
        self.adapt = QPushButton("Adapt to my voice now", self)
        _name(self.adapt, "Adapt to my voice", "Adapt the recognizer from the kept voice commands.")
        self.reset = QPushButton("Remove adaptation", self)
        _name(self.reset, "Remove voice adaptation", "Go back to the recognizer's original model.")
        buttons.addWidget(self.adapt)
        buttons.addWidget(self.reset)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        _name(self.status, "Voice adaptation status", "What the last adaptation did.")
        layout.addWidget(self.status)
        self.adapt.clicked.connect(self.start)
        self.reset.clicked.connect(self.remove)
        self.op: BackgroundOp[Any] | None = None
        self.show_state()

    def show_state(self) -> None:
        """Say how many recordings are kept and whether an adaptation is in use."""
        from desktop.speech.samples import SampleStore, transform_path

        kept = len(SampleStore().samples())
        using = "An adaptation is in use." if transform_path().exists() else "No adaptation yet."
        self.status.setText(f"{kept} voice command{'s' if kept != 1 else ''} kept. {using}")
        self.reset.setEnabled(transform_path().exists())

    def start(self) -> None:
        """Adapt in the background (the buttons wait meanwhile)."""
        if self.op is not None:
            return
        self.adapt.setEnabled(False)
        self.reset.setEnabled(False)
        self.status.setText("Adapting to your voice\u2026")
        self.op = BackgroundOp(_adapt, self._done, self._failed, name="adapt-voice")
        self.op.run_in_background()

    def remove(self) -> None:
        from desktop.speech.samples import transform_path

        transform_path().unlink(missing_ok=True)
        self.show_state()
        self.status.setText(self.status.text() + " Removed; the original model is used from the next command.")

    def _done(self, report: Any) -> None:
        from desktop.speech.cli import adapted_message

        self.op = None
        self.adapt.setEnabled(True)
        self.show_state()
        # Installed or not (the held-out check found no gain), the same words as the command line.
        self.status.setText(adapted_message(report))

    def _failed(self, exc: BaseException) -> None:
        self.op = None
        self.adapt.setEnabled(True)
        self.show_state()
        if not isinstance(exc, ClickAssistError):
            logger.error("voice adaptation failed", exc_info=exc)
            exc = ClickAssistError("Adapting to your voice failed.", str(exc))
        assert isinstance(exc, ClickAssistError)
        self.status.setText(f"{exc.user_message} {exc.hint}".strip())


def _adapt(_token: Any) -> Any:
    from desktop.speech.adapt import adapt_voice
    from desktop.speech.samples import SampleStore, transform_path

    return adapt_voice(SampleStore().load(), transform_path())


def _name(widget: QWidget, name: str, description: str) -> None:
    widget.setAccessibleName(name)
    widget.setAccessibleDescription(description)
    widget.setToolTip(description)
