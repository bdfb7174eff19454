"""Click execution: pyautogui in the app, a recording fake for tests.

Both implement :class:`desktop.core.flow.Clicker`; the safety checks that
decide *whether* to click live in :class:`desktop.core.flow.PlanExecutor`.
"""

from desktop.actions.clicker import PyAutoGuiClicker, RecordingClicker

__all__ = ["PyAutoGuiClicker", "RecordingClicker"]
