"""Framed controls: text fields, buttons and drop-downs.

A frame is a rectangular hole (a flat interior whose four sides are ink all
along) of control height. What it holds decides what it is:

* a small downward arrow or chevron near the right end: a drop-down;
* one line of text, or an icon, centred: a button;
* text (or nothing) from the left edge, in a wide frame: a text field.

Contents are read from the ink inside the frame rather than from the hole's
children, because small fonts touch the frame's border and merge with it.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from desktop.core.geometry import Box
from desktop.grounding._controls_scene import Scene

__all__ = ["Frame", "find_frames", "outer_box", "ink_parts", "find_arrow", "find_spin"]

#: Interior heights of single-line controls (about 14-80 px drawn).
_MIN_H, _MAX_H = 10, 80


@dataclass(frozen=True)
class Frame:
    """A rectangular frame and what it holds."""

    box: Box
    inner: Box
    #: Ink components inside, as ``(x0, y0, x1, y1)`` inclusive boxes in image pixels.
    parts: tuple[tuple[int, int, int, int], ...]
    #: The drop-down arrow's box, when there is one.
    arrow: Box | None
    #: The frame's ring touches nothing else (tabs and table cells share theirs).
    isolated: bool
    index: int
    #: Grey-level difference between the inside and the outside (a text field's base
    #: colour is close to the window's; a colour swatch or an image is not).
    contrast: float = 0.0
    #: A spin box's up/down arrows at the right end, when there are.
    spin: Box | None = None
    #: The ring touches something only on its left, within its height: a label set close to a
    #: field (Tk's grid layouts), not a neighbouring cell or tab.
    label_touches: bool = False

    @property
    def content(self) -> Box | None:
        """Box around everything inside except the arrow (or a spin box's arrows)."""
        parts = [p for p in self.parts if (self.arrow is None or not _inside(p, self.arrow))
                 and (self.spin is None or not _inside(p, self.spin))]
        if not parts:
            return None
        return Box(min(p[0] for p in parts), min(p[1] for p in parts),
                   max(p[2] for p in parts) + 1, max(p[3] for p in parts) + 1)


def _inside(part: tuple[int, int, int, int], box: Box) -> bool:
    return box.x0 <= part[0] and part[2] < box.x1 and box.y0 <= part[1] and part[3] < box.y1


def outer_box(scene: Scene, x0: int, y0: int, x1: int, y1: int, limit: int) -> Box:
    """Where the frame around the hole ``(x0, y0, x1, y1)`` ends, measured along its midlines.

    The ink band around a hole is the border line plus a pixel of gradient on
    either side, so the frame's own edge is one pixel inside the band's end.
    """
    cx, cy = (x0 + x1) // 2, (y0 + y1) // 2
    left = scene.band(x0, cy, -1, 0, limit)
    right = scene.band(x1, cy, 1, 0, limit)
    top = scene.band(cx, y0, 0, -1, limit)
    bottom = scene.band(cx, y1, 0, 1, limit)
    box = Box(x0 - max(left - 2, 0), y0 - max(top - 2, 0),
              x1 + 1 + max(right - 2, 0), y1 + 1 + max(bottom - 2, 0))
    return box.clip(scene.width, scene.height)


def _sides_closed(scene: Scene, x0: int, y0: int, x1: int, y1: int) -> bool:
    """Ink runs along all four sides of the hole's box (corners may be rounded)."""
    h = y1 - y0 + 1
    r = min(h // 2, (x1 - x0) // 2)
    top = scene.ink[y0, x0 + r:x1 - r + 1]
    bottom = scene.ink[y1, x0 + r:x1 - r + 1]
    # Only the middle fifth of the ends: pill-shaped buttons end in half circles.
    left = scene.ink[y0 + 2 * h // 5:y1 - 2 * h // 5 + 1, x0]
    right = scene.ink[y0 + 2 * h // 5:y1 - 2 * h // 5 + 1, x1]
    if min(top.size, bottom.size, left.size, right.size) == 0:
        return False
    return min(float(top.mean()), float(bottom.mean()), float(left.mean()), float(right.mean())) >= 0.9


def _contrast(scene: Scene, inner: Box, box: Box) -> float:
    """Median grey inside the frame against the median of the rows just above and below it."""
    x0, x1 = int(box.x0), int(box.x1)
    inside = scene.gray[int(inner.y0) + 2:int(inner.y1) - 2, int(inner.x0) + 2:int(inner.x1) - 2]
    above = scene.gray[max(int(box.y0) - 2, 0), x0:x1]
    below = scene.gray[min(int(box.y1) + 1, scene.height - 1), x0:x1]
    if inside.size == 0 or above.size == 0:
        return 0.0
    return abs(float(np.median(inside)) - float(np.median(np.concatenate([above, below]))))


def _clear_around(scene: Scene, box: Box) -> bool:
    x0, x1 = int(box.x0), int(box.x1) - 1
    above = scene.ink[max(int(box.y0) - 2, 0), x0:x1 + 1]
    below = scene.ink[min(int(box.y1) + 1, scene.height - 1), x0:x1 + 1]
    return above.size > 0 and float(above.mean()) <= 0.3 and float(below.mean()) <= 0.3


def ink_parts(scene: Scene, x0: int, y0: int, x1: int, y1: int) -> list[tuple[int, int, int, int, int]]:
    """Connected ink components in the inclusive box: ``(x0, y0, x1, y1, pixels)`` in image pixels."""
    crop = scene.ink[max(y0, 0):y1 + 1, max(x0, 0):x1 + 1]
    if crop.size == 0 or not crop.any():
        return []
    n, _, stats, _ = cv2.connectedComponentsWithStats(crop, connectivity=8)
    out = []
    for x, y, w, h, area in stats[1:n]:
        if w > 3 or h > 3:  # smaller specks are anti-aliasing at rounded corners
            out.append((int(x + x0), int(y + y0), int(x + x0 + w - 1), int(y + y0 + h - 1), int(area)))
    return out


def _v_shaped(scene: Scene, x0: int, y0: int, x1: int, y1: int) -> bool:
    """The lowest ink of each column peaks in the middle and rises to both ends (a chevron or triangle).

    Letters that pass the size test fail this one: w has two low points,
    n and m are flat at the bottom.
    """
    crop = scene.ink[y0:y1 + 1, x0:x1 + 1]
    cols = np.flatnonzero(crop.any(axis=0))
    if len(cols) < 3 or crop.shape[0] < 3:
        return False  # a dash is no chevron, however its antialiased ends fall
    h, w = crop.shape
    bottom = h - 1 - np.argmax(crop[::-1, cols], axis=0)
    top = np.argmax(crop[:, cols], axis=0)
    deepest = int(np.argmax(bottom))
    low = cols[deepest]
    drop = 0.3 * h
    # ▼ is flat on top and ⌄ dips there too; "<-" (a calculator's backspace) has the same
    # bottom edge, but its top rises to a point in the middle.
    peaked = top[deepest] < min(top[0], top[-1]) - drop
    return abs(low - (w - 1) / 2) <= 0.2 * w and bottom[0] <= bottom.max() - drop \
        and bottom[-1] <= bottom.max() - drop and not peaked


def find_arrow(scene: Scene, parts: list[tuple[int, int, int, int, int]], inner: Box, zone_x0: float) -> Box | None:
    """A drop-down arrow among ``parts``: small, wider than tall, centred, near the right end, alone in its column.

    Parameters
    ----------
    parts
        Ink components inside the frame (see :func:`ink_parts`).
    inner
        The frame's interior.
    zone_x0
        Only parts starting right of this may be the arrow.
    """
    h = inner.height
    cy = (inner.y0 + inner.y1) / 2
    for x0, y0, x1, y1, _ in sorted(parts, key=lambda p: -p[2]):
        if x0 < zone_x0 or inner.x1 - x1 > 1.2 * h:
            break
        w, ph = x1 - x0 + 1, y1 - y0 + 1
        if not (0.15 * h <= w <= 0.75 * h and 0.08 * h <= ph <= 0.6 * h and w >= 1.1 * ph):
            continue
        if abs((y0 + y1 + 1) / 2 - cy) > 0.2 * h:
            continue
        stacked = [p for p in parts if p[2] >= x0 and p[0] <= x1 and p[:4] != (x0, y0, x1, y1)]
        if stacked or not _v_shaped(scene, x0, y0, x1, y1):
            continue  # a spin box's second arrow above or below, or a letter
        return Box(x0, y0, x1 + 1, y1 + 1)
    return None


def find_spin(scene: Scene, parts: list[tuple[int, int, int, int, int]], inner: Box) -> Box | None:
    """A spin box's arrows: at the inside's right end, ▲ over ▼ (each maybe on a small button of its own).

    The darkest ink of the part holds two marks, one above the other: the
    upper widest at its foot, the lower widest at its head. Letters and
    digits at a field's end are not two stacked triangles.
    """
    h = inner.height
    if not parts:
        return None
    x0, y0, x1, y1, _ = max(parts, key=lambda p: p[2])
    # Bare arrows are two parts, one above the other: take every part in the rightmost one's column.
    column = [p for p in parts if p[0] <= x1 and p[2] >= x0]
    x0, y0 = min(p[0] for p in column), min(p[1] for p in column)
    x1, y1 = max(p[2] for p in column), max(p[3] for p in column)
    if inner.x1 - x1 > 0.4 * h or x1 - x0 + 1 > 0.9 * h or y1 - y0 + 1 < 0.55 * h:
        return None
    grey = scene.gray[y0:y1 + 1, x0:x1 + 1].astype(np.int16)
    base = float(np.median(scene.gray[int(inner.y0):int(inner.y1), int(inner.x0):int(inner.x1)]))
    far = np.abs(grey - base)
    if far.max() < 40:
        return None
    # The arrows are the part's strongest ink; a button's own border under them is not.
    marks = far >= max(0.6 * far.max(), far.max() - 40)
    rows = np.flatnonzero(marks.any(axis=1))
    gaps = np.flatnonzero(np.diff(rows) > 1)
    if len(gaps) != 1:
        return None
    upper, lower = marks[rows[0]:rows[gaps[0]] + 1], marks[rows[gaps[0] + 1]:rows[-1] + 1]
    if min(len(upper), len(lower)) < 2:
        return None
    widths_up, widths_down = upper.sum(axis=1), lower.sum(axis=1)
    if not (widths_up[-1] > widths_up[0] and widths_down[0] > widths_down[-1]):
        return None
    return Box(x0, y0, x1 + 1, y1 + 1)


def _not_corner(parts: list[tuple[int, int, int, int, int]], inner: Box) -> list[tuple[int, int, int, int, int]]:
    """Drop small specks in the corners: the anti-aliased curve of a rounded frame."""
    h = inner.height
    out = []
    for p in parts:
        small = p[2] - p[0] < 0.25 * h and p[3] - p[1] < 0.25 * h
        near_x = p[0] - inner.x0 < 0.25 * h or inner.x1 - p[2] < 0.25 * h
        near_y = p[1] - inner.y0 < 0.3 * h or inner.y1 - p[3] < 0.3 * h
        if not (small and near_x and near_y):
            out.append(p)
    return out


def _frame(scene: Scene, index: int) -> Frame | None:
    x0, y0, x1, y1 = (int(v) for v in scene.boxes[index])
    fill = scene.fill(index)
    if fill < 0.5 or not _sides_closed(scene, x0, y0, x1, y1):
        return None
    h = y1 - y0 + 1
    box = outer_box(scene, x0, y0, x1, y1, max(3, h // 5))
    # Text touching the border eats into the hole. Accept a ragged hole only
    # when it is control-sized and clear space lies above and below its frame,
    # unlike the gaps between letters in a block of text.
    if fill < 0.7 and (h < 14 or not _clear_around(scene, box)):
        return None
    inner = Box(x0, y0, x1 + 1, y1 + 1)
    parts = _not_corner(ink_parts(scene, x0 + 2, y0 + 2, x1 - 2, y1 - 2), inner)
    bx0, by0, bx1, by1 = scene.blob_box(index)
    isolated = bx0 >= box.x0 - 3 and by0 >= box.y0 - 3 and bx1 < box.x1 + 3 and by1 < box.y1 + 3
    arrow = find_arrow(scene, parts, inner, x1 - 1.8 * h)
    spin = find_spin(scene, parts, inner) if arrow is None else None
    if arrow is None and not isolated and x1 + 4 < bx1 <= x1 + 1.6 * h and abs(by0 - box.y0) <= 3 \
            and abs(by1 + 1 - box.y1) <= 3:
        # The arrow may sit in a button of its own at the right end (Windows-style combo boxes).
        side = ink_parts(scene, x1 + 3, y0 + 2, bx1 - 3, y1 - 2)
        arrow = find_arrow(scene, side, inner, x1)
        if arrow is not None:
            box = Box(box.x0, box.y0, bx1, box.y1)
            isolated = bx0 >= box.x0 - 3
    label_touches = (not isolated and box.x0 - 0.8 * box.width <= bx0 < box.x0 - 3 and by0 >= box.y0 - 3
                     and bx1 < box.x1 + 3 and by1 < box.y1 + 3)
    return Frame(box, inner, tuple(p[:4] for p in parts), arrow, isolated, index, _contrast(scene, inner, box), spin,
                 label_touches)


def _blob_frame(scene: Scene, index: int) -> Frame | None:
    """A frame whose contents touch its border, splitting the inside into pieces.

    An icon in a small button, or tall text in a tight field, joins the
    border's ink; the frame is then read from its outline instead of its hole.
    """
    x0, y0, x1, y1 = (int(v) for v in scene.boxes[index])
    if scene.fill(index) < 0.9:
        return None
    kids = scene.kids(index)
    widest = max((int(scene.boxes[k, 2] - scene.boxes[k, 0]) for k in kids), default=0)
    if widest >= 0.85 * (x1 - x0):
        return None  # it has a proper hole: handled as a frame
    h = y1 - y0 + 1
    band = min(scene.band(x0, (y0 + y1) // 2, 1, 0, h // 4), scene.band((x0 + x1) // 2, y1, 0, -1, h // 4))
    if not 2 <= band <= max(4, h // 5):
        return None
    ring = [scene.ink[y0 + 1, x0 + h // 4:x1 - h // 4], scene.ink[y1 - 1, x0 + h // 4:x1 - h // 4],
            scene.ink[y0 + h // 4:y1 - h // 4, x0 + 1], scene.ink[y0 + h // 4:y1 - h // 4, x1 - 1]]
    if min(float(r.mean()) for r in ring) < 0.95:
        return None
    inner = Box(x0 + band, y0 + band, x1 - band + 1, y1 - band + 1)
    parts = ink_parts(scene, x0 + band + 1, y0 + band + 1, x1 - band - 1, y1 - band - 1)
    if not parts:
        return None
    box = Box(x0 + 1, y0 + 1, x1, y1)
    return Frame(box, inner, tuple(p[:4] for p in parts), None, True, index, _contrast(scene, inner, box),
                 find_spin(scene, parts, inner))


def find_frames(scene: Scene) -> list[Frame]:
    """Rectangular frames of control size.

    Parameters
    ----------
    scene
        The traced screenshot.

    Returns
    -------
    list of Frame
        Frames with their interior, contents, arrow (if any) and isolation.
    """
    ids = scene.sized(scene.hole_ids, _MIN_H, _MAX_H, (0.7, 200.0))
    widths = scene.boxes[ids, 2] - scene.boxes[ids, 0] + 1
    out = []
    for index in ids[widths >= 12]:
        frame = _frame(scene, int(index))
        if frame is not None:
            out.append(frame)
    outlines = set()
    for index in scene.sized(scene.blob_ids, 16, _MAX_H + 4, (0.8, 200.0)):
        frame = _blob_frame(scene, int(index))
        if frame is not None:
            out.append(frame)
            outlines.add(int(index))
    # Pieces of a split inside are not frames of their own.
    return [f for f in out if f.index in outlines or int(scene.tree[f.index, 3]) not in outlines]
