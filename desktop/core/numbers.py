""""Show numbers": every clickable thing in the region gets a number the person can type or say.

Targets come from every candidate source at once (tree elements, detected
controls, icons, OCR text lines), merged so that one control gets one number.
Labels go outside what they label, never on another label and, when space
allows, on no other target either; a target whose label finds no free spot
moves to the next page, so a dense screen is thinned into pages instead of
being buried under labels. Plain geometry: the overlay only draws it.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

from desktop.core.geometry import Box
from desktop.core.results import Candidate

__all__ = ["NumberTarget", "NumberLabel", "NumberPage", "targets_from_candidates", "layout_pages",
           "reading_order", "MAX_PER_PAGE"]

#: More labels than this on one screen are hard to scan; the rest go to the next page.
MAX_PER_PAGE = 60
#: When two sources found the same thing, the number goes to the best-informed one.
_SOURCE_RANK = {"a11y": 0, "controls": 1, "template": 2, "icons": 3, "ocr": 4}
_SKIP_ROLES = frozenset({"list"})


@dataclass(frozen=True)
class NumberTarget:
    """One numbered thing: where a click goes and what it looks like, in image pixels."""

    box: Box
    point: tuple[float, float]
    label: str
    role: str
    source: str
    #: The control and its label together: what a number must not cover.
    extent: Box

    @classmethod
    def from_candidate(cls, c: Candidate) -> NumberTarget:
        return cls(c.box, c.click_point, c.text or c.description or c.role, c.role, c.source, c.extent)


@dataclass(frozen=True)
class NumberLabel:
    """Number ``number`` for ``targets[index]``, drawn in ``box`` (layout pixels)."""

    number: int
    index: int
    box: Box


@dataclass(frozen=True)
class NumberPage:
    """The labels shown together; numbers run from 1 on every page."""

    labels: tuple[NumberLabel, ...]

    def index_of(self, number: int) -> int | None:
        """The target index for ``number`` on this page, or ``None``."""
        return self.labels[number - 1].index if 1 <= number <= len(self.labels) else None


def _clickable(c: Candidate) -> bool:
    if c.role in _SKIP_ROLES or "disabled" in c.states or c.box.area <= 0:
        return False
    if c.role == "text":  # not OCR reading a stray line or an icon as "-", "|" or "0"
        return sum(ch.isalnum() for ch in c.text) >= 2 or any("\u3400" <= ch <= "\u9fff" for ch in c.text)
    return True


def _duplicate(a: NumberTarget, b: NumberTarget) -> bool:
    """The same thing seen twice: boxes that mostly coincide, or a text inside a control."""
    if a.extent.iou(b.extent) > 0.5 or a.box.iou(b.box) > 0.5:
        return True
    inner, outer = (a, b) if a.extent.area <= b.extent.area else (b, a)
    return outer.extent.contains(*inner.point) and inner.extent.overlap_of_smaller(outer.extent) > 0.6 \
        and (inner.role == "text" or outer.role == "text" or inner.source != outer.source)


def reading_order(targets: Sequence[NumberTarget]) -> list[int]:
    """Indices of ``targets`` top to bottom in rows, left to right within a row."""
    if not targets:
        return []
    tolerance = max(6.0, statistics.median(t.extent.height for t in targets) * 0.5)
    by_y = sorted(range(len(targets)), key=lambda i: targets[i].point[1])
    rows: list[list[int]] = []
    anchor = -math.inf
    for i in by_y:
        y = targets[i].point[1]
        if y - anchor > tolerance:  # a new row starts where the previous one's first point is far above
            rows.append([])
            anchor = y
        rows[-1].append(i)
    return [i for row in rows for i in sorted(row, key=lambda i: targets[i].point[0])]


def targets_from_candidates(candidates: Iterable[Candidate]) -> list[NumberTarget]:
    """One target per clickable thing, in reading order, merged across sources."""
    ranked = sorted((c for c in candidates if _clickable(c)),
                    key=lambda c: (_SOURCE_RANK.get(c.source, 3), c.role == "text", -c.score))
    kept: list[NumberTarget] = []
    buckets = _Buckets()
    for c in ranked:
        t = NumberTarget.from_candidate(c)
        if any(_duplicate(t, kept[j]) for j in buckets.near(t.extent)):
            continue
        buckets.add(len(kept), t.extent)
        kept.append(t)
    return [kept[i] for i in reading_order(kept)]


class _Buckets:
    """A coarse spatial index: which boxes may touch a box, without comparing against all of them."""

    def __init__(self, cell: float = 96.0) -> None:
        self.cell = cell
        self._cells: dict[tuple[int, int], list[int]] = defaultdict(list)

    def _keys(self, box: Box) -> Iterable[tuple[int, int]]:
        c = self.cell
        for gx in range(math.floor(box.x0 / c), math.floor(box.x1 / c) + 1):
            for gy in range(math.floor(box.y0 / c), math.floor(box.y1 / c) + 1):
                yield gx, gy

    def add(self, key: int, box: Box) -> None:
        for k in self._keys(box):
            self._cells[k].append(key)

    def near(self, box: Box) -> set[int]:
        out: set[int] = set()
        for k in self._keys(box):
            out.update(self._cells.get(k, ()))
        return out


def _spots(extent: Box, w: float, h: float, gap: float) -> list[Box]:
    """Where a label may go around ``extent``: left, above, below, right, then the corners."""
    cy = extent.center[1]
    left, right = extent.x0 - gap - w, extent.x1 + gap
    above, below = extent.y0 - gap - h, extent.y1 + gap
    return [Box(left, cy - h / 2, left + w, cy + h / 2), Box(extent.x0, above, extent.x0 + w, above + h),
            Box(extent.x0, below, extent.x0 + w, below + h), Box(right, cy - h / 2, right + w, cy + h / 2),
            Box(extent.x1 - w, above, extent.x1, above + h), Box(extent.x1 - w, below, extent.x1, below + h),
            Box(left, above, left + w, above + h), Box(right, above, right + w, above + h)]


def layout_pages(targets: Sequence[NumberTarget], size: tuple[float, float],
                 label_size: Callable[[int], tuple[float, float]], scale: tuple[float, float] = (1.0, 1.0),
                 max_per_page: int = MAX_PER_PAGE, gap: float = 2.0) -> list[NumberPage]:
    """Pages of number labels for ``targets`` (in reading order) on an overlay of ``size``.

    Parameters
    ----------
    targets
        What to number, in image pixels, in the order numbers should follow.
    size
        The overlay's width and height (layout pixels).
    label_size
        Width and height of the label for a number (layout pixels).
    scale
        Layout pixels per image pixel along x and y.
    max_per_page
        The most labels on one page.
    """
    sx, sy = scale
    extents = [Box(t.extent.x0 * sx, t.extent.y0 * sy, t.extent.x1 * sx, t.extent.y1 * sy) for t in targets]
    boxes = [Box(t.box.x0 * sx, t.box.y0 * sy, t.box.x1 * sx, t.box.y1 * sy) for t in targets]
    remaining = list(range(len(targets)))
    pages: list[NumberPage] = []
    while remaining:
        labels, deferred = _layout_page(remaining, extents, boxes, size, label_size, max_per_page, gap)
        if not labels:  # nothing fits anywhere (a tiny overlay): number them anyway, in place
            labels = _stacked(deferred[:max_per_page], extents, label_size)
            deferred = deferred[max_per_page:]
        pages.append(NumberPage(tuple(labels)))
        remaining = deferred
    return pages


def _layout_page(order: list[int], extents: list[Box], boxes: list[Box], size: tuple[float, float],
                 label_size: Callable[[int], tuple[float, float]], max_per_page: int,
                 gap: float) -> tuple[list[NumberLabel], list[int]]:
    """One page: targets taken in order while their label fits beside them.

    A label goes, by preference, where it covers no target at all; else where
    it covers none of this page's targets (it may lie on a target of a later
    page); else on no click box of this page. So a crowded target is left
    for a later, sparser page rather than hidden.
    """
    everyone = _Buckets()
    for i in order:
        everyone.add(i, extents[i])
    chosen = _Buckets()
    placed = _Buckets()
    labels: list[NumberLabel] = []
    deferred: list[int] = []
    for i in order:
        if len(labels) >= max_per_page or any(extents[i].intersection(labels[j].box) > 0
                                              for j in placed.near(extents[i])):
            deferred.append(i)  # the page is full, or a number already drawn lies on it
            continue
        w, h = label_size(len(labels) + 1)
        spots = _spots(extents[i], w, h, gap)
        spot = None
        for obstacles, around in ((everyone, extents), (chosen, extents), (chosen, boxes)):
            spot = _free_spot(i, extents[i], spots, size, obstacles, around, placed, labels, gap)
            if spot is not None:
                break
        if spot is None:
            deferred.append(i)
            continue
        chosen.add(i, extents[i])
        placed.add(len(labels), spot)
        labels.append(NumberLabel(len(labels) + 1, i, spot))
    return labels, deferred


def _free_spot(i: int, own: Box, spots: list[Box], size: tuple[float, float], obstacles: _Buckets,
               around: list[Box], placed: _Buckets, labels: list[NumberLabel], gap: float) -> Box | None:
    """The first spot inside the overlay on no label, not on its own target, and on none of ``obstacles``."""
    width, height = size
    for spot in spots:
        if spot.x0 < 0 or spot.y0 < 0 or spot.x1 > width or spot.y1 > height or spot.intersection(own) > 0:
            continue
        padded = spot.expand(gap / 2)
        if any(padded.intersection(labels[j].box) > 0 for j in placed.near(padded)):
            continue
        if any(spot.intersection(around[j]) > 0 for j in obstacles.near(spot) if j != i):
            continue
        return spot
    return None


def _stacked(order: list[int], extents: list[Box], label_size: Callable[[int], tuple[float, float]]) -> list[NumberLabel]:
    out = []
    for n, i in enumerate(order, start=1):
        w, h = label_size(n)
        out.append(NumberLabel(n, i, Box(extents[i].x0, extents[i].y0, extents[i].x0 + w, extents[i].y0 + h)))
    return out
