"""Spatial relations between boxes and the reading order of things on screen."""

from __future__ import annotations

import math
from statistics import median
from typing import Callable, Sequence, TypeVar

from desktop.core.geometry import Box

__all__ = ["relation_factor", "reading_order"]

T = TypeVar("T")


def _vertical_overlap(a: Box, b: Box) -> float:
    inter = min(a.y1, b.y1) - max(a.y0, b.y0)
    return max(inter, 0.0) / max(min(a.height, b.height), 1.0)


def _horizontal_overlap(a: Box, b: Box) -> float:
    inter = min(a.x1, b.x1) - max(a.x0, b.x0)
    return max(inter, 0.0) / max(min(a.width, b.width), 1.0)


def _edge_distance(a: Box, b: Box) -> float:
    dx = max(b.x0 - a.x1, a.x0 - b.x1, 0.0)
    dy = max(b.y0 - a.y1, a.y0 - b.y1, 0.0)
    return math.hypot(dx, dy)


def relation_factor(kind: str, target: Box, anchor: Box) -> float:
    """How well ``target`` stands in relation ``kind`` to ``anchor``: 0 (not at all) to 1.

    Distances are measured in units of the anchor's text height so the
    numbers mean the same at every display scale.
    """
    unit = max(min(anchor.height, 60.0), 8.0)
    if target.overlap_of_smaller(anchor) > 0.6:
        return 0.0  # the anchor itself is never its own neighbour
    tcx, tcy = target.center
    acx, acy = anchor.center
    dist = _edge_distance(target, anchor) / unit
    closeness = 1.0 / (1.0 + dist / 4.0)
    if kind in ("left_of", "right_of"):
        side_ok = tcx < acx if kind == "left_of" else tcx > acx
        gap_ok = target.x1 <= anchor.x0 + unit if kind == "left_of" else target.x0 >= anchor.x1 - unit
        if not (side_ok and gap_ok):
            return 0.0
        aligned = _vertical_overlap(target, anchor)
        return closeness * (0.35 + 0.65 * aligned)
    if kind in ("above", "below"):
        side_ok = tcy < acy if kind == "above" else tcy > acy
        gap_ok = target.y1 <= anchor.y0 + unit / 2 if kind == "above" else target.y0 >= anchor.y1 - unit / 2
        if not (side_ok and gap_ok):
            return 0.0
        aligned = _horizontal_overlap(target, anchor)
        column = 1.0 / (1.0 + abs(tcx - acx) / (unit * 12))
        return closeness * (0.4 + 0.35 * aligned + 0.25 * column)
    if kind == "near":
        return closeness
    if kind == "inside":
        # A container is named by its title, which sits above or left of its contents.
        below_or_level = tcy >= anchor.y0 - unit / 2
        slack = 1.0 / (1.0 + dist / 25.0)
        return slack * (1.0 if below_or_level else 0.3)
    return 0.0


def reading_order(items: Sequence[T], box_of: Callable[[T], Box]) -> list[T]:
    """Sort items as a person reads: rows top to bottom, then left to right.

    Items whose vertical centres lie within half a typical height of each
    other share a row, so a row of checkboxes of slightly different sizes
    stays one row.
    """
    if not items:
        return []
    heights = [max(box_of(i).height, 1.0) for i in items]
    tolerance = median(heights) * 0.5
    by_y = sorted(items, key=lambda i: box_of(i).center[1])
    rows: list[list[T]] = []
    row_y = None
    for item in by_y:
        cy = box_of(item).center[1]
        if row_y is None or cy - row_y > tolerance:
            rows.append([item])
            row_y = cy
        else:
            rows[-1].append(item)
    return [item for row in rows for item in sorted(row, key=lambda i: box_of(i).center[0])]
