"""Clickers: pyautogui for real clicks, and a recorder with the same interface for tests."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any, Sequence

from desktop.core.errors import ClickAssistError
from desktop.core.flow import PlannedClick

__all__ = ["PyAutoGuiClicker", "RecordingClicker", "RecordedClick", "ClickFailed"]

logger = logging.getLogger(__name__)


class ClickFailed(ClickAssistError):
    """Clicking stopped part-way (the fail-safe, or the display refused input)."""

    code = "click_failed"


class PyAutoGuiClicker:
    """Clicks with pyautogui, with its fail-safe kept on.

    Moving the pointer into a screen corner during clicking stops it
    (pyautogui's fail-safe), which is why the fail-safe is switched back on
    before every run, whatever other code did to it.

    Parameters
    ----------
    pause_s
        pyautogui's pause after each call; short, but long enough for the
        target application to see separate clicks.
    """

    def __init__(self, pause_s: float = 0.05) -> None:
        self.pause_s = pause_s
        self._lock = threading.Lock()

    def _pyautogui(self) -> Any:
        # Imported lazily: pyautogui opens the display when imported.
        import pyautogui

        pyautogui.FAILSAFE = True
        pyautogui.PAUSE = self.pause_s
        return pyautogui

    def perform(self, clicks: Sequence[PlannedClick], return_pointer: bool) -> None:
        """Click each point in order with its action; optionally put the pointer back.

        Raises
        ------
        ClickFailed
            When the fail-safe triggered or the display refused the input.
        """
        gui = self._pyautogui()
        with self._lock:
            start = gui.position()
            try:
                for c in clicks:
                    self._one(gui, c)
            except gui.FailSafeException as exc:
                raise ClickFailed("Clicking stopped because the pointer was moved to a screen corner.",
                                  hint="That is the emergency stop; run the instruction again to retry.") from exc
            except Exception as exc:  # the display or the input backend broke
                logger.exception("clicking failed")
                raise ClickFailed("Clicking failed.", hint=str(exc)) from exc
            if return_pointer:
                gui.moveTo(start.x, start.y)

    @staticmethod
    def _one(gui: Any, c: PlannedClick) -> None:
        if c.action == "double_click":
            gui.doubleClick(c.x, c.y)
        elif c.action == "right_click":
            gui.rightClick(c.x, c.y)
        else:
            gui.click(c.x, c.y)


@dataclass(frozen=True)
class RecordedClick:
    x: int
    y: int
    action: str


class RecordingClicker:
    """A clicker that only records what it was asked to click (for tests and dry runs)."""

    def __init__(self) -> None:
        self.clicks: list[RecordedClick] = []
        self.returned_pointer: list[bool] = []

    def perform(self, clicks: Sequence[PlannedClick], return_pointer: bool) -> None:
        self.clicks.extend(RecordedClick(c.x, c.y, c.action) for c in clicks)
        self.returned_pointer.append(return_pointer)
