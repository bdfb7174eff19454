"""Where each marker's ring and label go: plain geometry, no painting (and no Qt).

Rings shrink where targets are close together so that neighbours stay
apart; labels go right of their ring (left near the right edge) and are
nudged down past labels already placed, so none hides another.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Sequence

from desktop.core.geometry import Box

__all__ = ["MarkerLayout", "layout_markers", "MIN_RADIUS"]

MIN_RADIUS = 9.0  # a ring smaller than this is hard to see; overlapping is the lesser evil


@dataclass(frozen=True)
class MarkerLayout:
    """One marker's ring radius and label box (overlay-local logical pixels)."""

    radius: float
    label: Box
    nudged: bool = False


def _radii(points: Sequence[tuple[float, float]], max_radius: float) -> list[float]:
    out = []
    for i, (x, y) in enumerate(points):
        nearest = min((math.hypot(x - ox, y - oy) for j, (ox, oy) in enumerate(points) if j != i),
                      default=math.inf)
        out.append(max(MIN_RADIUS, min(max_radius, nearest / 2 - 2)))
    return out


def layout_markers(points: Sequence[tuple[float, float]], texts: Sequence[str], size: tuple[float, float],
                   marker_size: float, label_height: float,
                   measure: Callable[[str], float]) -> list[MarkerLayout]:
    """Ring radii and label boxes for markers at ``points`` with label ``texts``.

    Parameters
    ----------
    points
        Marker centres (the click points).
    texts
        The label of each marker (its width comes from ``measure``).
    size
        The overlay's width and height.
    marker_size
        The largest ring diameter (the person's setting).
    label_height
        Height of a label box.
    measure
        Width of a label box for a text, badge and padding included.
    """
    radii = _radii(points, marker_size / 2)
    width, height = size
    placed: list[Box] = []
    out: list[MarkerLayout] = [MarkerLayout(0.0, Box(0, 0, 0, 0))] * len(points)
    # Top to bottom, so that nudging down never runs into a label placed later.
    for i in sorted(range(len(points)), key=lambda k: (points[k][1], points[k][0])):
        (x, y), r, w = points[i], radii[i], measure(texts[i])
        left = x + r + 6
        if left + w > width:
            left = max(0.0, x - r - 6 - w)
        box = Box(left, y - label_height / 2, left + w, y + label_height / 2)
        nudged = False
        for other in sorted(placed, key=lambda b: b.y0):
            if box.intersection(other) > 0:
                box = box.translate(0, other.y1 + 2 - box.y0)
                nudged = True
        if box.y1 > height:
            box = box.translate(0, height - box.y1)
        placed.append(box)
        out[i] = MarkerLayout(r, box, nudged)
    return out
