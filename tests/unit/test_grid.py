"""The recursive 3×3 grid: cell arithmetic, zooming in and out, the click point, the limits."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.core.geometry import Box
from desktop.core.grid import MIN_CELL, GridState


def test_digits_are_numbered_like_a_phone_keypad() -> None:
    g = GridState(Box(0, 0, 900, 600))
    cells = g.cells()
    assert cells[0] == Box(0, 0, 300, 200)  # 1: top left
    assert cells[2] == Box(600, 0, 900, 200)  # 3: top right
    assert cells[4] == Box(300, 200, 600, 400)  # 5: centre
    assert cells[8] == Box(600, 400, 900, 600)  # 9: bottom right
    assert g.centre == (450, 300) and g.depth == 0 and g.describe() == "whole region"


def test_zoom_then_up_returns_to_the_same_cell() -> None:
    g = GridState(Box(100, 50, 1000, 950)).zoom(9).zoom(1)
    assert g.path == (9, 1) and g.box == Box(700, 650, 800, 750) and g.centre == (750, 700)
    assert g.up().box == Box(700, 650, 1000, 950)
    assert g.up().up().up().path == ()  # the top level stays the top level
    assert g.describe() == "cell 9, 1 (level 2)"


@pytest.mark.parametrize("digit", [0, 10, -1])
def test_a_digit_that_names_no_cell_is_refused(digit: int) -> None:
    with pytest.raises(ValueError):
        GridState(Box(0, 0, 90, 90)).zoom(digit)


def test_zooming_stops_when_cells_are_tiny() -> None:
    g = GridState(Box(0, 0, 30, 30))
    for _ in range(10):
        g = g.zoom(5)
    assert not g.can_zoom and g.box.width >= MIN_CELL and g.depth == 2


@given(st.lists(st.integers(1, 9), max_size=6), st.floats(20, 4000), st.floats(20, 3000))
def test_every_path_stays_inside_the_region(path: list[int], w: float, h: float) -> None:
    region = Box(-1920, 0, -1920 + w, h)  # a monitor left of the primary one
    g = GridState(region)
    for d in path:
        g = g.zoom(d)
    x, y = g.centre
    assert region.contains(x, y) and g.box.width > 0
    assert sum(c.area for c in g.cells()) == pytest.approx(g.box.area)
