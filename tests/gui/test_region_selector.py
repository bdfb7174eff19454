"""The region selector: selection geometry, dragging, and keyboard-only selection."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QRect, Qt

from desktop.core.geometry import Box
from desktop.ui.controller import qimage_from_rgb
from desktop.ui.region_selector import RegionSelector, normalized, selection_to_image_box

pytestmark = pytest.mark.gui


@pytest.mark.parametrize("scale", [1.0, 1.25, 1.5, 2.0])
def test_selection_maps_to_image_pixels(scale: float) -> None:
    widget = (1280 / scale, 800 / scale)
    sel = Box(100 / scale, 50 / scale, 400 / scale, 250 / scale)
    assert selection_to_image_box(sel, widget, (1280, 800)) == Box(100, 50, 400, 250)


def test_selection_is_clipped_and_rounded_outwards() -> None:
    assert selection_to_image_box(Box(-20, 10.4, 100.2, 900), (640, 400), (1280, 800)) == Box(0, 20, 201, 800)


def test_tiny_selection_is_ignored() -> None:
    assert selection_to_image_box(Box(10, 10, 13, 60), (640, 400), (1280, 800)) is None


def test_corners_in_any_order() -> None:
    assert normalized(50, 80, 10, 20) == Box(10, 20, 50, 80)


@pytest.fixture
def selector(qtbot: Any) -> RegionSelector:
    s = RegionSelector()
    qtbot.addWidget(s)
    s.start(qimage_from_rgb(np.full((800, 1280, 3), 200, np.uint8)), QRect(0, 0, 640, 400))
    qtbot.waitExposed(s)
    return s


def test_drag_selects_in_image_pixels(qtbot: Any, selector: RegionSelector) -> None:
    with qtbot.waitSignal(selector.selected) as sig:
        qtbot.mousePress(selector, Qt.MouseButton.LeftButton, pos=QPoint(300, 200))
        qtbot.mouseRelease(selector, Qt.MouseButton.LeftButton, pos=QPoint(100, 50))
    assert sig.args == [Box(200, 100, 600, 400)]  # the widget shows the image at half size


def test_keyboard_only_selection(qtbot: Any, selector: RegionSelector) -> None:
    start = selector.selection
    qtbot.keyClick(selector, Qt.Key.Key_Right)
    qtbot.keyClick(selector, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(selector, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    s = selector.selection
    assert (s.x0, s.y0) == (start.x0 + 18, start.y0)
    assert s.height == pytest.approx(start.height + 20)
    with qtbot.waitSignal(selector.selected) as sig:
        qtbot.keyClick(selector, Qt.Key.Key_Return)
    got = sig.args[0]
    assert got.x0 == int((start.x0 + 18) * 2) and got.height >= (start.height + 20) * 2


def test_keyboard_moves_stay_on_screen(qtbot: Any, selector: RegionSelector) -> None:
    for _ in range(40):
        qtbot.keyClick(selector, Qt.Key.Key_Left)
    assert selector.selection.x0 == 0


def test_escape_cancels(qtbot: Any, selector: RegionSelector) -> None:
    with qtbot.waitSignal(selector.cancelled), qtbot.assertNotEmitted(selector.selected):
        qtbot.keyClick(selector, Qt.Key.Key_Escape)
