"""Image pixels → pointer → Qt logical pixels, for many scale factors and monitor layouts.

The chain a click goes through: the engine's point in screenshot pixels, the
capture's :class:`ScreenMapping` to pointer coordinates (what pyautogui
clicks), and :mod:`desktop.ui.qt_geometry` to the logical pixels where the
overlay draws the marker. Markers and clicks must agree everywhere.
"""

from __future__ import annotations

import math
import types

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.capture.mss_capture import Monitor, MssCapture, monitor_at
from desktop.core.flow import make_plan
from desktop.core.geometry import Box
from desktop.core.intent import Intent, Step
from desktop.core.results import GroundingResult, Prediction
from desktop.ui.qt_geometry import (ScreenLayout, logical_box_to_pointer, logical_to_pointer,
                                    pointer_box_to_logical, pointer_to_logical)

SCALES = (1.0, 1.25, 1.5, 2.0)


def layouts(scale_left: float, scale_right: float) -> list[ScreenLayout]:
    """A primary 2560x1440 monitor at (0, 0) and a 1920x1080 one left of it at (-1920, -200).

    Physical sizes are fixed; logical sizes shrink with the scale, and the
    top-left corners stay where the platform put them (Qt 6 behaviour).
    """
    return [ScreenLayout(Box.from_xywh(0, 0, 2560 / scale_right, 1440 / scale_right), scale_right),
            ScreenLayout(Box.from_xywh(-1920, -200, 1920 / scale_left, 1080 / scale_left), scale_left)]


@pytest.mark.parametrize("scale", SCALES)
def test_known_points_on_a_monitor_left_of_and_above_the_primary(scale: float) -> None:
    screens = layouts(scale, 1.0)
    # Physical pixel (300, 150) of the left monitor is pointer (-1620, -50).
    lx, ly = pointer_to_logical(screens, -1620, -50)
    assert (lx, ly) == pytest.approx((-1920 + 300 / scale, -200 + 150 / scale))
    assert logical_to_pointer(screens, lx, ly) == pytest.approx((-1620, -50))


@pytest.mark.parametrize("left", SCALES)
@pytest.mark.parametrize("right", SCALES)
def test_monitor_boxes_round_trip(left: float, right: float) -> None:
    screens = layouts(left, right)
    for physical in (Box(-1920, -200, 0, 880), Box(0, 0, 2560, 1440), Box(-1000, 100, -500, 300)):
        logical = pointer_box_to_logical(screens, physical)
        back = logical_box_to_pointer(screens, logical)
        assert (back.x0, back.y0, back.x1, back.y1) == pytest.approx(
            (physical.x0, physical.y0, physical.x1, physical.y1))


def test_the_primary_monitor_at_scale_two_halves_distances_only() -> None:
    screens = layouts(1.0, 2.0)
    assert pointer_box_to_logical(screens, Box(0, 0, 2560, 1440)) == Box(0, 0, 1280, 720)
    assert pointer_to_logical(screens, 1001, 501) == (500.5, 250.5)


def test_macos_points_scale_one_with_retina_pixels() -> None:
    # On macOS Qt adds no scaling (scale 1.0): logical == pointer == points,
    # while the screenshot has 2 pixels per point (ScreenMapping absorbs that).
    screens = [ScreenLayout(Box.from_xywh(-1440, -900, 1440, 900), 1.0)]
    assert pointer_to_logical(screens, -1000, -500) == (-1000, -500)


@settings(max_examples=300, deadline=None)
@given(left=st.sampled_from(SCALES), right=st.sampled_from(SCALES),
       x=st.floats(-1920, 2559), y=st.floats(-200, 1439))
def test_pointer_to_logical_round_trips_everywhere(left: float, right: float, x: float, y: float) -> None:
    screens = layouts(left, right)
    on_left = -1920 <= x < 0 and -200 <= y < 880
    on_right = 0 <= x < 2560 and 0 <= y < 1440
    if not (on_left or on_right):
        return  # in the gap between monitors: no screen, nothing to click
    lx, ly = pointer_to_logical(screens, x, y)
    assert logical_to_pointer(screens, lx, ly) == pytest.approx((x, y), abs=1e-6)


def fake_mss(monitors: list[dict], pixels_per_unit: float) -> object:
    """mss stand-in: a grab returns ``pixels_per_unit`` pixels per unit, with pixel value = its x."""
    def grab(region: dict) -> object:
        w, h = int(region["width"] * pixels_per_unit), int(region["height"] * pixels_per_unit)
        bgra = np.zeros((h, w, 4), np.uint8)
        bgra[:, :, 2] = np.arange(w) % 256  # red channel = column, to check the BGR → RGB flip
        return types.SimpleNamespace(bgra=bgra.tobytes(), width=w, height=h)

    allbox = {"left": min(m["left"] for m in monitors), "top": min(m["top"] for m in monitors),
              "width": 1, "height": 1}
    return types.SimpleNamespace(monitors=[allbox, *monitors], grab=grab)


MONITORS = [{"left": 0, "top": 0, "width": 1280, "height": 800},
            {"left": -1024, "top": -300, "width": 1024, "height": 768}]


@pytest.mark.parametrize("ppu", SCALES)
@pytest.mark.parametrize("pointer, origin", [((100, 100), (0, 0)), ((-10, -10), (-1024, -300))])
def test_capture_under_pointer_maps_back_exactly(ppu: float, pointer: tuple[int, int],
                                                 origin: tuple[int, int]) -> None:
    cap = MssCapture(pointer=lambda: pointer)
    cap._sct = lambda: fake_mss(MONITORS, ppu)  # type: ignore[method-assign]
    shot = cap.capture_under_pointer()
    assert (shot.region.x0, shot.region.y0) == origin
    assert shot.mapping.pixels_per_unit_x == ppu
    assert shot.image[0, 37, 0] == 37  # RGB order
    # Every pixel lands in the pointer unit it was captured from.
    for px in (0, 1, 37, shot.image.shape[1] - 1):
        sx, _ = shot.mapping.to_screen(px, 0)
        assert sx == origin[0] + int(px // ppu)


@pytest.mark.parametrize("ppu", SCALES)
def test_plan_click_lands_on_the_marker_pixel(ppu: float) -> None:
    """Engine point → click → logical marker → back to pointer: the same pointer pixel."""
    cap = MssCapture(pointer=lambda: (-500, 0))
    cap._sct = lambda: fake_mss(MONITORS, 1.0)  # type: ignore[method-assign]
    shot = cap.capture_under_pointer()
    preds = (Prediction(617, 402, 0.9, "Save", None, "ocr"),)
    plan = make_plan(shot, "click Save", GroundingResult(preds, Intent("click Save", (Step(),)), 1.0, (1024, 768)))
    click = plan.clicks[0]
    assert (click.x, click.y) == (-1024 + 617, -300 + 402)
    screens = [ScreenLayout(Box.from_xywh(0, 0, 1280 / ppu, 800 / ppu), ppu),
               ScreenLayout(Box.from_xywh(-1024, -300, 1024 / ppu, 768 / ppu), ppu)]
    lx, ly = pointer_to_logical(screens, click.x + 0.5, click.y + 0.5)
    bx, by = logical_to_pointer(screens, lx, ly)
    assert (math.floor(bx), math.floor(by)) == (click.x, click.y)


def test_region_capture_rounds_and_rejects_empty() -> None:
    cap = MssCapture(pointer=lambda: (0, 0))
    cap._sct = lambda: fake_mss(MONITORS, 1.0)  # type: ignore[method-assign]
    shot = cap.capture_region(Box(-100.4, -50.6, 100.2, 50.0))
    assert shot.region == Box(-100, -51, 100, 50) and shot.image.shape == (101, 200, 3)
    from desktop.core.errors import InvalidRegion

    with pytest.raises(InvalidRegion):
        cap.capture_region(Box(5, 5, 5.2, 9))


def test_monitor_at_picks_the_containing_or_nearest_monitor() -> None:
    mons = [Monitor(0, 0, 1280, 800), Monitor(-1024, -300, 1024, 768)]
    assert monitor_at(mons, -1, -1) == mons[1]
    assert monitor_at(mons, 1279, 799) == mons[0]
    assert monitor_at(mons, 5000, 10) == mons[0]


def test_hide_windows_wraps_every_grab() -> None:
    import contextlib

    events: list[str] = []

    @contextlib.contextmanager
    def hidden():  # type: ignore[no-untyped-def]
        events.append("hide")
        yield
        events.append("show")

    cap = MssCapture(hide_windows=hidden, pointer=lambda: (0, 0))
    fake = fake_mss(MONITORS, 1.0)
    grab = fake.grab  # type: ignore[attr-defined]
    fake.grab = lambda r: (events.append("grab"), grab(r))[1]  # type: ignore[attr-defined]
    cap._sct = lambda: fake  # type: ignore[method-assign]
    cap.capture_under_pointer()
    assert events == ["hide", "grab", "show"]
