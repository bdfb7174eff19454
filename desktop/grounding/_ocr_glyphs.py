"""Isolated key glyphs the recogniser cannot read: "−", "=", "÷", "±", "√" and "." from their shapes.

Alone on a calculator key, a minus sign is one flat bar, which the
recogniser reads as "一", "1" or nothing; "=" becomes "二", "÷" a "+", "±"
nothing or "t", "√" a "v" or "<", and a decimal point is too small to be
found at all. Their shapes are unambiguous, so a few rules on the ink's
connected components name them instead. "√" and "." are also marks that
text is full of (a tick, a full stop), so they are named only where the
glyph stands alone, with empty background all round (:func:`lone_symbol`).
"""

from __future__ import annotations

import cv2
import numpy as np

__all__ = ["CONFUSED", "operator_symbol", "lone_symbol", "DOT_MAX"]

#: What the recogniser says (or "" for nothing) when a lone operator is really there.
CONFUSED = frozenset({"", "一", "-", "_", "—", "–", "1", "I", "l", "|", "丨", "二", "=", "Ⅱ", "〓",
                      "+", "十", "÷", "·", ".", ":", "：", "±", "t", "√", "v", "V", "<", "J", "✓"})
#: The largest decimal point, in pixels: a full stop of a 30 px font (a bullet is bigger).
DOT_MAX = 8

Part = tuple[int, int, int, int, int]


def operator_symbol(ink: np.ndarray) -> str | None:
    """``"-"``, ``"="``, ``"÷"`` or ``"±"`` when the ink of an isolated glyph has that shape, else ``None``."""
    h, w = ink.shape
    if h == 0 or w == 0 or h > 120 or w > 120:
        return None
    parts = _parts(ink)
    bars = [p for p in parts if _bar(p)]
    if len(parts) == 1 and len(bars) == 1:
        return "-"
    if len(parts) == 2 and len(bars) == 2 and _stacked(*bars):
        return "="
    if len(parts) == 3 and len(bars) == 1 and parts[1] == bars[0]:
        top, bar, bottom = parts
        if _dot(top, bar) and _dot(bottom, bar):
            return "÷"
    if len(parts) == 2 and parts[1] in bars and parts[0] not in bars and _plus_over(ink, *parts):
        return "±"
    if len(parts) == 1 and _plus_on_bar(ink, parts[0]):
        return "±"
    return None


def lone_symbol(ink: np.ndarray) -> str | None:
    """``"√"`` or ``"."`` when ``ink`` (one glyph, cropped to its ink) has that shape, else ``None``.

    The caller makes sure the glyph stands alone: a tick in a checkbox or a
    full stop after a word has the same shape.
    """
    h, w = ink.shape
    if h == 0 or w == 0 or not ink.any():
        return None
    parts = _parts(ink)
    if len(parts) == 1 and max(h, w) <= DOT_MAX and 0.6 <= w / h <= 1.7 and ink.mean() >= 0.7 and _solid(ink):
        return "."
    if len(parts) <= 2 and h >= 7 and _radical(ink):
        return "√"
    return None


def _solid(ink: np.ndarray) -> bool:
    """No hole: the background around the ink is one piece (an "o" or a degree sign has two)."""
    around = np.pad(~ink, 1, constant_values=True).astype(np.uint8)
    return int(cv2.connectedComponents(around, connectivity=4)[0]) == 2


def _parts(ink: np.ndarray) -> list[Part]:
    """Connected components (x, y, w, h, area) of two pixels or more, top to bottom."""
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    return sorted((tuple(int(v) for v in s) for s in stats[1:] if s[4] >= 2), key=lambda s: s[1])  # type: ignore[misc]


def _bar(part: Part) -> bool:
    """A solid horizontal stroke: at least 2.5 times as wide as tall, nearly filled."""
    _, _, w, h, area = part
    return w >= 5 and w >= 2.5 * h and area >= 0.75 * w * h


def _stacked(a: Part, b: Part) -> bool:
    """Two bars of similar width, one above the other, lined up."""
    ax, ay, aw, ah, _ = a
    bx, by, bw, bh, _ = b
    overlap = min(ax + aw, bx + bw) - max(ax, bx)
    return 0.7 <= aw / bw <= 1.4 and overlap >= 0.7 * min(aw, bw) and by >= ay + ah


def _dot(dot: Part, bar: Part) -> bool:
    """A small compact blob centred over or under the bar."""
    dx, dy, dw, dh, _ = dot
    bx, _, bw, _, _ = bar
    centre = dx + dw / 2
    return max(dw, dh) <= 0.5 * bw and 0.5 <= dw / max(1, dh) <= 2 and abs(centre - (bx + bw / 2)) <= 0.2 * bw


def _plus_over(ink: np.ndarray, top: Part, bar: Part) -> bool:
    """A "+" as wide as the bar under it and centred on it: one full row and one full column cross."""
    tx, ty, tw, th, _ = top
    bx, by, bw, _, _ = bar
    if not (0.7 <= tw / bw <= 1.4 and th >= 0.45 * tw and by >= ty + th
            and abs(tx + tw / 2 - (bx + bw / 2)) <= 0.2 * bw):
        return False
    cross = ink[ty:ty + th, tx:tx + tw]
    rows, cols = cross.sum(axis=1), cross.sum(axis=0)
    # The arms cross in the middle (a "1" has its flag at the top and its foot below).
    row, col = (int(np.flatnonzero(rows == rows.max()).mean()), int(np.flatnonzero(cols == cols.max()).mean()))
    centred = 0.25 * th <= row <= 0.75 * th and 0.25 * tw <= col <= 0.75 * tw
    return bool(centred and rows.max() >= 0.8 * tw and cols.max() >= 0.8 * th) and cross.mean() <= 0.6


def _plus_on_bar(ink: np.ndarray, part: Part) -> bool:
    """A "±" drawn small, its stem touching the bar: full-width rows at the bottom under a "+"."""
    x, y, w, h, _ = part
    rows = ink[y:y + h, x:x + w].sum(axis=1)
    full = rows >= 0.8 * w
    bar = 0
    while bar < h and full[h - 1 - bar]:
        bar += 1
    if not 0 < bar <= max(1, h // 5) or rows[h - 1 - bar] > 0.4 * w:
        return False  # no bar at the bottom, or the ink above it does not narrow to a stem
    above = ink[y:y + h - bar, x:x + w]
    top = _parts(above)
    return len(top) == 1 and _plus_over(above, top[0], (0, h - bar, w, bar, w * bar))


def _radical(ink: np.ndarray) -> bool:
    """A "√": a short tick on the left, down to a low vertex, then a long stroke up to the top right.

    A "v" reaches the top on both sides, a "<" has its lower arm on the
    right, a "/" has its leftmost ink at the bottom, a "+" reaches its
    right side half-way down, a "J" comes down the right side: each fails one test.
    """
    h, w = ink.shape
    ys, xs = np.nonzero(ink)
    if ys[xs == xs.max()].min() >= 0.2 * h:
        return False  # the long stroke ends at the top right
    middle = xs[(ys >= 0.4 * h) & (ys < 0.6 * h)]
    if not middle.size or middle.max() + 1 >= 0.92 * w:
        return False  # ...and leans: half-way down it is well left of the right side
    left = ys[xs == xs.min()]
    if left.min() < 0.3 * h or left.max() >= 0.85 * h:
        return False  # the tick starts low and ends above the vertex
    bottom = xs[ys >= 0.85 * h]
    if not bottom.size or not xs.min() < bottom.mean() < 0.65 * w or bottom.max() > 0.75 * w:
        return False  # the vertex is low, right of the tick and left of the middle
    top = xs[ys < max(1, 0.2 * h)]
    return bool(top.min() > bottom.mean())  # the top holds only the long stroke (and an overbar)
