"""Fixtures for GUI tests: real widgets offscreen, fakes only at the boundaries.

The engine, screen capture and clicker are replaced by small fakes with the
same interfaces; every widget, signal and the click guard are the real ones.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import time
from typing import Any, Iterator

import numpy as np
import pytest

from desktop.actions import RecordingClicker
from desktop.core.flow import Capture
from desktop.core.geometry import Box, ScreenMapping
from desktop.core.intent import Intent, Step
from desktop.core.results import GroundingResult, Prediction
from desktop.core.settings import Settings


def make_result(instruction: str, points: list[tuple[int, int, float, str]], select_all: bool = False,
                action: str = "click", message: str = "") -> GroundingResult:
    step = Step(action=action, target=instruction.split(" ", 1)[-1], select_all=select_all)
    preds = tuple(Prediction(x, y, c, label, Box(x - 20, y - 10, x + 20, y + 10), "ocr", action)
                  for x, y, c, label in points)
    return GroundingResult(preds, Intent(instruction, (step,)), 5.0, (800, 800), message=message)


class FakeEngine:
    """Answers known instructions with hand-made results; anything else finds nothing."""

    def __init__(self, delay_s: float = 0.0) -> None:
        self.delay_s = delay_s
        self.calls: list[str] = []
        self.answers: dict[str, GroundingResult] = {
            "click Save": make_result("click Save", [(200, 150, 0.93, "Save"), (600, 150, 0.41, "Save as")]),
            "click all checkboxes": make_result("click all checkboxes", [
                (100, 300, 0.9, "Remember me"), (100, 350, 0.85, "Subscribe"), (100, 400, 0.8, "Dark mode")],
                select_all=True),
            "double-click Report": make_result("double-click Report", [(400, 500, 0.88, "Report")],
                                               action="double_click"),
            "right-click Report": make_result("right-click Report", [(400, 500, 0.88, "Report")],
                                              action="right_click"),
        }

    def ground(self, image: Any, instruction: str, *, min_clicks: int | None = None,
               max_clicks: int | None = None, reference: Any = None, mapping: Any = None) -> GroundingResult:
        self.calls.append(instruction)
        if self.delay_s:
            time.sleep(self.delay_s)
        return self.answers.get(instruction, make_result(
            instruction, [], message=f"Nothing on the screen matched \u201c{instruction}\u201d."))


def screen_image(seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    img = np.full((800, 800, 3), 250, np.uint8)
    for _ in range(40):
        x, y = rng.integers(0, 760), rng.integers(0, 780)
        img[y:y + 20, x:x + 40] = rng.integers(0, 200, 3)
    return img


class FakeCapturer:
    """The offscreen screen (800x800 at (0, 0), one unit per pixel) as an image we control."""

    def __init__(self) -> None:
        self.image = screen_image()
        self.grabs = 0

    def capture_region(self, region: Box) -> Capture:
        self.grabs += 1
        x0, y0, x1, y1 = (int(round(v)) for v in (region.x0, region.y0, region.x1, region.y1))
        return Capture(self.image[y0:y1, x0:x1].copy(), ScreenMapping(float(x0), float(y0)),
                       Box(x0, y0, x1, y1), time.monotonic())

    def capture_under_pointer(self, pointer: tuple[float, float] | None = None) -> Capture:
        return self.capture_region(Box(0, 0, 800, 800))


@pytest.fixture
def engine() -> FakeEngine:
    return FakeEngine()


@pytest.fixture
def capturer() -> FakeCapturer:
    return FakeCapturer()


@pytest.fixture
def clicker() -> RecordingClicker:
    return RecordingClicker()


@pytest.fixture
def app_parts(qtbot: Any, engine: FakeEngine, capturer: FakeCapturer, clicker: RecordingClicker,
              tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The whole app wired by the composition root, with fakes at the three boundaries."""
    monkeypatch.setenv("CLICK_ASSIST_CONFIG_DIR", str(tmp_path / "config"))
    from desktop.app import build_app

    parts = build_app(Settings(return_pointer=False), engine=engine, clicker=clicker, capturer=capturer,
                      use_tray=False, hotkeys=False, persist=False)
    parts.menu.show()
    yield parts
    c = parts.controller
    for w in (c.bar, c.overlay, c.selector):
        w.hide()
    if parts.menu.window is not None:
        parts.menu.window.close()
