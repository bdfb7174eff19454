"""Screen capture with mss: under the pointer, a region, or every monitor.

Every capture carries a :class:`~desktop.core.geometry.ScreenMapping` built
from what mss reports, so the image's pixels convert back to pointer
coordinates exactly: ``pixels_per_unit`` is the grabbed image's size over the
region's size in pointer units (1.0 on X11 and DPI-aware Windows, the backing
scale on macOS), and ``origin`` is the region's top-left corner (negative for
monitors left of or above the primary one).
"""

from __future__ import annotations

import contextlib
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Callable, ContextManager, Iterator, Sequence, TypeVar

import numpy as np

from desktop.core.errors import ClickAssistError, InvalidRegion
from desktop.core.flow import Capture
from desktop.core.geometry import Box, ScreenMapping

__all__ = ["Monitor", "MssCapture", "CaptureFailed", "monitor_at"]

logger = logging.getLogger(__name__)

T = TypeVar("T")


class CaptureFailed(ClickAssistError):
    """The screen could not be captured."""

    code = "capture_failed"


@dataclass(frozen=True)
class Monitor:
    """A monitor's area in pointer coordinates."""

    left: int
    top: int
    width: int
    height: int

    @property
    def box(self) -> Box:
        return Box.from_xywh(self.left, self.top, self.width, self.height)


def monitor_at(monitors: Sequence[Monitor], x: float, y: float) -> Monitor:
    """The monitor containing pointer position ``(x, y)``, or the nearest one."""
    if not monitors:
        raise CaptureFailed("No monitor was found.", hint="Is a display connected?")
    for m in monitors:
        if m.box.contains(x, y):
            return m

    def distance(m: Monitor) -> float:
        cx = min(max(x, m.left), m.left + m.width - 1)
        cy = min(max(y, m.top), m.top + m.height - 1)
        return (cx - x) ** 2 + (cy - y) ** 2

    return min(monitors, key=distance)


def _bgra_to_rgb(shot: Any) -> np.ndarray:
    """mss's BGRA pixels as a contiguous RGB array (channel by channel: ~1 ms for 1280x800)."""
    bgra = np.frombuffer(shot.bgra, dtype=np.uint8).reshape(shot.height, shot.width, 4)
    rgb = np.empty((shot.height, shot.width, 3), dtype=np.uint8)
    rgb[..., 0], rgb[..., 1], rgb[..., 2] = bgra[..., 2], bgra[..., 1], bgra[..., 0]
    return rgb


@contextlib.contextmanager
def _nothing_to_hide() -> Iterator[None]:
    yield


def _default_pointer() -> tuple[int, int]:
    import pyautogui  # lazily: it opens the display when imported

    pos = pyautogui.position()
    return int(pos.x), int(pos.y)


class MssCapture:
    """Captures the screen with mss, hiding the app's own windows first.

    Parameters
    ----------
    hide_windows
        Returns a context manager that hides the app's windows on entry (and
        may show them again on exit); the app passes one that runs on the GUI
        thread. ``None`` hides nothing.
    pointer
        Returns the pointer position in pointer coordinates.
    """

    def __init__(self, hide_windows: Callable[[], ContextManager[Any]] | None = None,
                 pointer: Callable[[], tuple[int, int]] = _default_pointer) -> None:
        self.hide_windows = hide_windows or _nothing_to_hide
        self.pointer = pointer
        # An mss handle belongs to the thread that made it (an X11 connection
        # costs ~40 ms to open), so every grab runs on this one thread.
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="capture")
        self._handle: Any = None

    def _sct(self) -> Any:
        if self._handle is None:
            import mss

            self._handle = mss.MSS() if hasattr(mss, "MSS") else mss.mss()
        return self._handle

    def _on_capture_thread(self, fn: Callable[[Any], T]) -> T:
        return self._thread.submit(lambda: fn(self._sct())).result()

    def warm(self) -> None:
        """Open the display connection now rather than at the first hotkey."""
        self._on_capture_thread(lambda sct: sct.monitors)

    def monitors(self) -> list[Monitor]:
        """Every monitor, in mss's order (the first is usually the primary one)."""
        return [Monitor(int(m["left"]), int(m["top"]), int(m["width"]), int(m["height"]))
                for m in self._on_capture_thread(lambda sct: sct.monitors[1:])]

    def capture_under_pointer(self, pointer: tuple[float, float] | None = None) -> Capture:
        """The whole monitor under the pointer (or under ``pointer``, when the caller knows it)."""
        x, y = self.pointer() if pointer is None else pointer
        return self.capture_region(monitor_at(self.monitors(), x, y).box)

    def capture_all(self) -> Capture:
        """The bounding box of every monitor."""
        m = self._on_capture_thread(lambda sct: sct.monitors[0])
        return self.capture_region(Box.from_xywh(m["left"], m["top"], m["width"], m["height"]))

    def capture_region(self, region: Box) -> Capture:
        """``region`` (pointer coordinates, rounded to whole units).

        Raises
        ------
        InvalidRegion
            When the region is empty.
        CaptureFailed
            When the screen cannot be grabbed.
        """
        left, top = int(round(region.x0)), int(round(region.y0))
        width, height = int(round(region.x1)) - left, int(round(region.y1)) - top
        if width < 1 or height < 1:
            raise InvalidRegion(f"The region {region} is empty.", hint="Select a larger area.")
        with self.hide_windows():
            start = time.perf_counter()
            try:
                shot = self._on_capture_thread(
                    lambda sct: sct.grab({"left": left, "top": top, "width": width, "height": height}))
            except Exception as exc:  # mss raises its own ScreenShotError and OS errors
                raise CaptureFailed("The screen could not be captured.", hint=str(exc)) from exc
            captured_at = time.monotonic()
        image = _bgra_to_rgb(shot)
        mapping = ScreenMapping(float(left), float(top), shot.width / width, shot.height / height)
        logger.debug("captured %dx%d at (%d, %d) in %.1f ms", shot.width, shot.height, left, top,
                     (time.perf_counter() - start) * 1000)
        return Capture(image, mapping, Box.from_xywh(left, top, width, height), captured_at)
