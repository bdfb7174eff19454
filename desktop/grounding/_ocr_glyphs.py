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

__all__ = ["CONFUSED", "operator_symbol", "lone_symbol", "key_glyph", "DOT_MAX"]

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


#: Unsure reads of a lone key's glyph that its shape may confirm: a "0" read as "o", a "*" at 0.45.
_RING_READS = frozenset("0oO")


def key_glyph(ink: np.ndarray, read: str = "") -> str | None:
    """``"/"``, ``"("``, ``")"``, ``"0"`` or ``"*"`` when ``ink`` (one lone glyph, cropped) has that shape.

    The recogniser reads these alone on a key unsurely: "/" as "I" at 0.3,
    ")" at 0.7, "*" at 0.45, the "0" key as "o". Strokes and rings are named
    from the shape alone; an asterisk is too small to tell from a "+" or an
    "x" by shape, so it also needs the recogniser's ``read``. Like
    :func:`lone_symbol`, the caller makes sure nothing else is inked near it:
    in "/usr", "(see)" or "required*" these glyphs touch their words.
    """
    h, w = ink.shape
    if h < 4 or not ink.any() or len(_parts(ink)) != 1:
        return None
    if read == "*":  # a 13 px asterisk is 6 px across: too small for its arms to tell
        return "*" if 0.6 <= w / h <= 1.6 and _solid(ink) and 0.3 <= ink.mean() <= 0.75 else None
    if h < 7:
        return None
    runs = np.diff(np.pad(ink, ((0, 0), (1, 1))).astype(np.int8), axis=1)
    if ((runs > 0).sum(axis=1) == 1).all():  # one stroke: every row crosses it once
        stroke = _slash(ink) or _paren(ink)
        if stroke:
            return stroke
    if read in _RING_READS and _tall_ring(ink):
        return "0"
    return None


def _slash(ink: np.ndarray) -> str | None:
    """A "/": a thin stroke leaning right, its rows' centres moving steadily left going down."""
    h, w = ink.shape
    centres = np.array([np.flatnonzero(row).mean() for row in ink])
    widths = ink.sum(axis=1)
    if not 0.25 * h <= w <= 0.8 * h or widths.max() > 0.6 * w:
        return None  # upright ("I", "l") or with a bar ("7", "z", "f")
    top, bottom = centres[: max(1, h // 5)].mean(), centres[h - max(1, h // 5):].mean()
    steady = bool((np.diff(centres) <= 0.6).all())
    return "/" if steady and top - bottom >= 0.45 * w and top >= 0.6 * w and bottom <= 0.4 * w else None


def _paren(ink: np.ndarray) -> str | None:
    """A "(" or ")": a tall thin arc, both ends on one side, the middle bulging to the other."""
    h, w = ink.shape
    if h < 2.5 * w or ink.mean() > 0.7:
        return None  # not thin, or a solid bar ("|", "l", "I" fill their box)
    centres = np.array([np.flatnonzero(row).mean() for row in ink])
    ends = (centres[: max(1, h // 6)].mean() + centres[h - max(1, h // 6):].mean()) / 2
    middle = centres[int(0.4 * h): int(0.6 * h) + 1].mean()
    bulge = middle - ends
    if abs(bulge) < max(1.0, 0.25 * w) or abs(centres[0] - centres[-1]) > 0.25 * w + 0.5:
        return None  # straight, or leaning like a "/"
    # An arc stays near its outermost column for a good stretch; a brace only touches it with its tip.
    # A bracket's straight side fills the column; a brace ends in flat hooks, an arc in thin tips.
    held = float((ink[:, -1] if bulge > 0 else ink[:, 0]).mean())
    end = max(ink[0].sum(), ink[-1].sum()) / w
    if held > 0.8 or end > 0.5 or (end == 0.5 and held < 0.14):
        return None
    return ")" if bulge > 0 else "("


def _tall_ring(ink: np.ndarray) -> bool:
    """A "0": a ring taller than wide around one centred, tall hole ("o" and "O" are rounder, "b" "d" "p" "q" have stems)."""
    h, w = ink.shape
    if not 1.2 * w <= h <= 2.4 * w:
        return False
    around = np.pad(~ink, 1, constant_values=True).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(around, connectivity=4)
    if n != 3:
        return False  # no hole, or two ("8", "B")
    hole = stats[2] if stats[1][4] > stats[2][4] else stats[1]
    hx, hy, hw, hh = int(hole[0]) - 1, int(hole[1]) - 1, int(hole[2]), int(hole[3])  # unpadded
    centred = abs(hx + hw / 2 - w / 2) <= 0.15 * w and abs(hy + hh / 2 - h / 2) <= 0.12 * h
    # Symmetric both ways: a "D", a "4" or a "Q" with its tail is not.
    # Left and right are compared a pixel apart either way: small glyphs are rasterised off-centre.
    sideways = max(_iou(ink, np.roll(ink[:, ::-1], d, axis=1)) for d in (-1, 0, 1))
    return centred and hh >= 0.45 * h and _iou(ink, ink[::-1]) >= 0.7 and sideways >= 0.6


def _iou(a: np.ndarray, b: np.ndarray) -> float:
    return float((a & b).sum() / max(1, (a | b).sum()))


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
