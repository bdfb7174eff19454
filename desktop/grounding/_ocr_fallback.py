"""Glyphs the detector drops, found from strong edges alone.

At the detector's scale a lone calculator key ("7", "−", "√"), white text on
a small coloured button or a short dim word can vanish from its map. On a
screen such text is still a compact cluster of strong edges on a flat
background, which a classical pass finds cheaply: edges, minus long straight
lines (frames, separators), joined by a small dilation into word-sized
components, each then refined on the pixels like a detected line.
"""

from __future__ import annotations

import cv2
import numpy as np

from desktop.grounding._ocr_detect import thin_lines
from desktop.grounding._ocr_layout import Region, dedupe, overlap, refine

__all__ = ["fallback_regions", "edge_regions"]

#: Grey-level step that counts as a glyph edge.
_EDGE = 60
#: Regions this pass may add (each costs a small recogniser input).
_MAX_REGIONS = 120
#: Lone dots this pass may add (named by shape, never recognised).
_MAX_DOTS = 32
#: Empty margin, in pixels, a dot needs all round to be a key of its own rather than a full stop.
_DOT_ROOM = 8


def fallback_regions(image: np.ndarray, taken: list[Region]) -> list[Region]:
    """Text regions outside ``taken`` (the detector's lines), smallest first."""
    return edge_regions(image, taken)[0]


def edge_regions(image: np.ndarray, taken: list[Region]) -> tuple[list[Region], list[Region]]:
    """Text regions outside ``taken``, smallest first, and lone dots (a decimal point key's ".").

    A dot is too small for the recogniser and for a word-sized component, so
    it is kept apart when it has nothing else within a few pixels: the
    caller names it by shape (a full stop after a word is never alone).
    """
    gray = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    grad = np.asarray(cv2.morphologyEx(gray, cv2.MORPH_GRADIENT, np.ones((3, 3), np.uint8)))
    edges = (grad > _EDGE).astype(np.uint8)
    every_edge = cv2.integral(edges)  # before the detector's lines are blanked: they are neighbours too
    for r in taken:
        edges[max(0, r.y0 - 2): r.y1 + 2, max(0, r.x0 - 2): r.x1 + 2] = 0
    # Components are found at half resolution (a 2x2 max keeps thin strokes),
    # which is four times cheaper on a full-HD screen and joins letters alike.
    h, w = edges.shape
    half = np.ascontiguousarray(cv2.dilate(edges, np.ones((2, 2), np.uint8), anchor=(0, 0))[::2, ::2], np.uint8)
    # Frames, separators and underlines are long straight edges; without them
    # a label does not join the button or tab drawn around it.
    half &= 1 - thin_lines(half, 16, 4)
    joined = cv2.dilate(half, np.ones((3, 3), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    boxes, dots = _text_sized(labels, stats, n)
    found: list[Region] = []
    for x0, y0, x1, y1 in boxes[:_MAX_REGIONS]:
        outer = (max(0, x0 - 4), max(0, y0 - 4), min(w, x1 + 4), min(h, y1 + 4))
        for r in refine(image, outer, (x0, y0, x1, y1), fallback=True):
            if not any(overlap(r, t) > 0.3 for t in taken):
                found.append(r)
    lone = []
    for x0, y0, x1, y1 in [d for d in dots if _alone(every_edge, d)][:_MAX_DOTS]:
        outer = (max(0, x0 - 3), max(0, y0 - 3), min(w, x1 + 3), min(h, y1 + 3))
        lone += [r for r in refine(image, outer, (x0, y0, x1, y1), fallback=True)
                 if not any(overlap(r, t) > 0 for t in taken)]
    # Prefer the inner region: a frame the edge pass kept must not hide its label.
    return dedupe(found, larger_first=False), lone


def _alone(integral: np.ndarray, box: tuple[int, int, int, int]) -> bool:
    """No edge within ``_DOT_ROOM`` pixels around the box (edge pixels counted on the integral image)."""
    h, w = integral.shape[0] - 1, integral.shape[1] - 1
    x0, y0, x1, y1 = box

    def count(m: int) -> int:
        a, b, c, d = max(0, x0 - m), max(0, y0 - m), min(w, x1 + m), min(h, y1 + m)
        return int(integral[d, c] - integral[b, c] - integral[d, a] + integral[b, a])

    return x0 >= _DOT_ROOM and y0 >= _DOT_ROOM and x1 + _DOT_ROOM <= w and y1 + _DOT_ROOM <= h \
        and count(_DOT_ROOM) == count(1)


Boxes = list[tuple[int, int, int, int]]


def _text_sized(labels: np.ndarray, stats: np.ndarray, n: int) -> tuple[Boxes, Boxes]:
    """Full-resolution boxes of the components that could be a glyph or a short line, smallest first, and of dots."""
    boxes: Boxes = []
    dots: Boxes = []
    for i in range(1, n):
        x, y, bw, bh = (int(v) for v in stats[i, :4])
        # Undo the dilation (1 half-pixel a side); sizes keep the edge band's
        # pixel on each side of the ink.
        x0, y0, x1, y1 = 2 * x + 2, 2 * y + 2, 2 * (x + bw) - 2, 2 * (y + bh) - 2
        fw, fh = x1 - x0, y1 - y0
        if 2 <= min(fw, fh) and max(fw, fh) < 7:
            dots.append((x0 - 2, y0 - 2, x1 + 2, y1 + 2))  # the edge band's own box, ink inside it
            continue
        if not 3 <= fh <= 150 or max(fw, fh) < 7 or fw > 40 * fh or (fh < 9 and fw > 6 * fh):
            continue  # a dot, something too big for text, or a horizontal rule
        if _hollow(labels, i, x, y, x + bw, y + bh):
            continue
        boxes.append((x0, y0, x1, y1))
    boxes.sort(key=lambda b: (b[3] - b[1]) * (b[2] - b[0]))
    return boxes, dots


def _hollow(labels: np.ndarray, i: int, x0: int, y0: int, x1: int, y1: int) -> bool:
    """A frame (an empty field, a button's outline, a checkbox): none of its own edges inside.

    Works on the half-resolution labels. Text inside a frame is a separate
    component, so a button's outline is skipped while its label is still read.
    """
    m = 4  # the dilated edge of a frame's stroke, plus a small rounded corner
    if x1 - x0 < 2 * m + 2 or y1 - y0 < 2 * m + 2:
        return False
    return float((labels[y0 + m: y1 - m, x0 + m: x1 - m] == i).mean()) < 0.02
