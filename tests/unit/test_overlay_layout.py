"""Marker layout: rings shrink between close targets, labels never hide each other."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.ui.overlay_layout import MIN_RADIUS, layout_markers


def measure(text: str) -> float:
    return 10.0 * len(text) + 30


def test_isolated_marker_keeps_the_full_size_and_label_goes_right() -> None:
    (lay,) = layout_markers([(100, 100)], ["Save 93%"], (800, 600), 40, 24, measure)
    assert lay.radius == 20 and lay.label.x0 == 126 and lay.label.center[1] == 100 and not lay.nudged


def test_close_markers_shrink_so_rings_do_not_overlap() -> None:
    lays = layout_markers([(40, 259), (40, 293), (40, 326)], ["a", "b", "c"], (800, 600), 40, 24, measure)
    assert all(lay.radius < 17 for lay in lays)
    assert lays[0].radius + lays[1].radius <= 34


def test_label_flips_left_at_the_right_edge() -> None:
    (lay,) = layout_markers([(790, 100)], ["Export 50%"], (800, 600), 40, 24, measure)
    assert lay.label.x1 <= 790 - 20


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 800), st.floats(0, 600)), min_size=1, max_size=9))
def test_labels_never_overlap(points: list[tuple[float, float]]) -> None:
    lays = layout_markers(points, [f"target {i}" for i in range(len(points))], (800, 600), 40, 24, measure)
    for a, b in itertools.combinations(lays, 2):
        assert a.label.intersection(b.label) == 0 or a.label.y1 > 600 - 1e-6 or b.label.y1 > 600 - 1e-6
    assert all(lay.radius >= MIN_RADIUS for lay in lays)
