"""A vision-language model's progress in the instruction bar: "Asking owlv2… 3 s — Esc to cancel".

The model (a :class:`~desktop.grounding.vlm.source.VlmSource`) reports from the
grounding thread; a signal carries each report to the GUI thread. Esc while
the model runs drops only the model: the default sources' answer is shown.
A timeout does the same, with a message saying so.
"""

from __future__ import annotations

import logging
import time
from typing import Any, Callable

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.ui.instruction_bar import InstructionBar

__all__ = ["ModelProgressView"]

logger = logging.getLogger(__name__)


class ModelProgressView(QObject):
    """Shows what the attached model is doing in ``bar`` while ``grounding()`` is true.

    Signals
    -------
    status(str)
        Each text shown: the running query with its seconds, or why the other
        sources answered instead (timeout, cancel, failure).
    """

    status = Signal(str)
    _progress = Signal(object)  # from the grounding thread to the GUI thread

    def __init__(self, bar: InstructionBar, grounding: Callable[[], bool], notify: Callable[[str], None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.bar = bar
        self.grounding = grounding
        self.notify = notify
        self.source: Any = None
        self.query: Any = None  # the ModelProgress of the running query
        self._since = 0.0
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._show)
        self._progress.connect(self._on_progress)

    @property
    def running(self) -> bool:
        """Whether a model query is under way."""
        return self.source is not None and self.query is not None

    def attach(self, source: Any) -> None:
        """Report ``source``'s queries (its ``on_progress`` is called from the grounding thread); ``None`` detaches."""
        self.source, self.query = source, None
        if source is not None:
            source.on_progress = self._progress.emit

    def cancel(self) -> None:
        """Drop the running query; the engine answers with its other sources."""
        if self.running:
            self.source.cancel()
            self.bar.set_busy(f"Stopping {self.query.model}; using the other sources\u2026")

    def _on_progress(self, progress: Any) -> None:
        if progress.outcome == "running":
            self.query, self._since = progress, time.monotonic()
            self._timer.start()
            self._show()
            return
        self._timer.stop()
        self.query = None
        if progress.outcome in ("timeout", "cancelled", "failed") and self.grounding():
            reason = progress.message or f"The {progress.model} model was cancelled."
            self._say(f"{reason} Showing what the other sources found.")
            self.notify(f"{reason} Showing what the other sources found.")
            logger.info("%s: %s", progress.model, progress.outcome)

    def _show(self) -> None:
        if self.query is None or not self.grounding():
            self._timer.stop()
            return
        seconds = int(time.monotonic() - self._since)
        self._say(f"Asking {self.query.model}\u2026 {seconds} s \u2014 Esc to cancel")

    def _say(self, text: str) -> None:
        self.bar.set_busy(text)
        self.status.emit(text)
