"""Exact line boxes from a rough location, using the screen's own pixels.

Screens have flat backgrounds and crisp glyphs, so once something says
roughly where text is (the detector's blob, or an edge cluster), the pixels
give exact line boxes: the background is the most common colour around the
text, ink is whatever differs from it, and empty columns wider than ~1.5
glyph heights separate two controls that the detector merged (two buttons
side by side). This module also builds the recogniser's crop of a line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

__all__ = ["Region", "refine", "dedupe", "overlap", "line_crop", "ink_mask"]

#: A gap wider than this many glyph heights starts a new line.
_SPLIT_GAPS = 1.5
#: Grey levels from the background that make a line too light to be ink (a menu's edge) still a line.
_FAINT_LEVELS = 20
#: Grey levels between two flat backgrounds that make an edge between two lines.
_STEP_LEVELS = 12
#: Margin above and below a line's ink in the recogniser's crop, in line heights.
_PAD_Y = 0.2
#: Margin left and right of a line's ink in the recogniser's crop, in line heights.
_PAD_X = 0.4


@dataclass(frozen=True)
class Region:
    """A tight box around one line's ink, in image pixels, with its background colour."""

    x0: int
    y0: int
    x1: int
    y1: int
    bg: tuple[int, int, int]
    threshold: int
    fallback: bool = False

    @property
    def height(self) -> int:
        return self.y1 - self.y0

    @property
    def width(self) -> int:
        return self.x1 - self.x0


def refine(image: np.ndarray, outer: tuple[int, int, int, int], core: tuple[int, int, int, int],
           fallback: bool = False) -> list[Region]:
    """Tight line boxes around the ink that overlaps ``core``, searched for inside ``outer``.

    ``outer`` grows (a few times at most) while a line's ink runs into its
    edge: the detector's blob often covers only part of a small word.
    """
    ih, iw = image.shape[:2]
    regions: list[Region] = []
    ox0, oy0, ox1, oy1 = outer
    crop = image[oy0:oy1, ox0:ox1]
    if crop.size == 0:
        return []
    # The background is judged once, around the core: a grown box may reach
    # past the button the text sits on.
    bg = _mode_colour(crop)
    for _ in range(4):
        regions, grow = _refine_once(image, outer, core, bg, fallback)
        if grow is None:
            break
        (left, top, right, bottom), step = grow
        ox0, oy0, ox1, oy1 = outer
        outer = (max(0, ox0 - step * left), max(0, oy0 - step * top),
                 min(iw, ox1 + step * right), min(ih, oy1 + step * bottom))
    return regions


def _refine_once(image: np.ndarray, outer: tuple[int, int, int, int], core: tuple[int, int, int, int],
                 bg: tuple[int, int, int],
                 fallback: bool) -> tuple[list[Region], tuple[tuple[int, int, int, int], int] | None]:
    """Regions in ``outer``, and which sides to grow (and by how much) when ink touches them."""
    ox0, oy0, ox1, oy1 = outer
    diff = _diff(image[oy0:oy1, ox0:ox1], bg)
    contrast = int(diff.max())
    if contrast < 24:
        return [], None
    threshold = max(16, int(contrast * 0.35))
    ink = diff >= threshold
    ch, cw = ink.shape
    cx0, cy0, cx1, cy1 = core[0] - ox0, core[1] - oy0, core[2] - ox0, core[3] - oy0
    cx0, cx1 = max(0, cx0), max(cx0 + 1, cx1)
    # Rows are judged on the core's columns first, so the sides of a field or
    # button frame around the text do not stretch the line to the frame; nor
    # do separators crossing the core (the dividers of a tab bar or a segmented
    # button the detector took as one line), which would join every row between
    # their ends into the line and hide them from the walls below.
    core_cols = ink[:, cx0:cx1]
    # Only a line of several glyphs is crossed by separators; a lone glyph's own strokes (the
    # sides of a "0" the detector saw smaller than it is) run past its small blob too.
    several = cx1 - cx0 >= 3 * max(1, cy1 - cy0)
    core_rows = np.asarray((core_cols[:, ~_crossing(core_cols, cy0, cy1)] if several else core_cols).any(axis=1))
    # A gap between two lines is empty beside the core too; the gap inside a
    # "C" cut by the core's edge is not.
    margin = max(2, cy1 - cy0)
    wide_rows = np.asarray(ink[:, max(0, cx0 - margin): cx1 + margin].any(axis=1))
    regions: list[Region] = []
    touch = [0, 0, 0, 0]
    step = 0
    # Rows that are one long bar (a highlighted menu title's underline): far longer than a
    # letter's stroke, unlike an underscore, which is one letter wide.
    bar_len = 3 * max(4, cy1 - cy0)
    bars = _longest_runs(core_cols) >= bar_len
    faint = diff >= _FAINT_LEVELS
    for ry0, ry1 in _row_bands(core_rows, wide_rows, max(0, cy0), max(cy0 + 1, cy1), bars):
        band = ink[ry0:ry1]
        walls = _walls(ink, ry0, ry1) | _faint_walls(faint, ry0, ry1)
        steps = _background_steps(image[oy0 + ry0:oy0 + ry1, ox0:ox1], band)
        segments, max_gap = _segments(band.any(axis=0) & ~(walls | steps), walls, band, steps)
        for sx0, sx1 in segments:
            if sx1 <= cx0 or sx0 >= cx1:
                continue  # ink of a neighbour that the expanded box caught
            # The core may be a fragment of the line: its rows are grown again
            # over the whole segment (frame sides excluded) to take in every
            # letter's ascender and descender.
            seg = ink[:, sx0:sx1][:, ~walls[sx0:sx1]]
            y0, y1 = _grow_rows(np.asarray(seg.any(axis=1)), ry0, ry1)
            rows = np.flatnonzero(seg[y0:y1].any(axis=1))
            regions.append(Region(ox0 + sx0, oy0 + y0 + int(rows[0]), ox0 + sx1,
                                  oy0 + y0 + int(rows[-1]) + 1, bg, threshold, fallback))
            # The line may go on past the crop: its next word could start
            # anywhere within one splitting gap of the edge.
            edges = (sx0 <= max_gap and ox0 > 0, y0 == 0 and oy0 > 0,
                     cw - sx1 <= max_gap and ox1 < image.shape[1], y1 == ch and oy1 < image.shape[0])
            touch = [t | int(e) for t, e in zip(touch, edges)]
            step = max(step, 6 * (ry1 - ry0))
    if not any(touch):
        return regions, None
    return regions, ((touch[0], touch[1], touch[2], touch[3]), max(16, step))


def _walls(ink: np.ndarray, ry0: int, ry1: int) -> np.ndarray:
    """Columns crossed by a vertical line (a frame side or separator) running past the band."""
    return _lines_through(ink, ry0 - 2, ry1 + 2)


def _faint_walls(faint: np.ndarray, ry0: int, ry1: int) -> np.ndarray:
    """Thin lines too light to be ink running past the band: a popup's edge over a page of the same white.

    Only a few columns wide: a wider run of light columns is a shaded area, not a line. The
    light halo of a letter's stroke is faint too, so the line must reach well past the band.
    """
    reach = max(3, (ry1 - ry0) // 3)
    lines = _lines_through(faint, ry0 - reach, ry1 + reach)
    out = np.zeros_like(lines)
    for a, b in _runs(lines):
        out[a:b] = b - a <= 3  # a one-pixel line and the neighbours its one-column step admits
    return out


def _background_steps(pixels: np.ndarray, band: np.ndarray) -> np.ndarray:
    """Columns where the background changes from one flat colour to another (a popup's edge over a page).

    A menu opened over a document has no line of its own at its edge, only a
    change of shade the ink threshold may not see; the document's words
    beside it are another line. Both sides must be flat (not a photo). A
    side may be ink (a list's selected row, solid blue, beside a white menu)
    when its colour fills most of the columns beyond, for longer than a
    letter's stem is wide.
    """
    steps = np.zeros(band.shape[1], dtype=bool)
    rows = _text_rows(band)
    if pixels.shape[1] < 5 or rows.sum() < 3:
        return steps
    px, band = pixels[rows].astype(np.int16), band[rows]
    clear = ~band.any(axis=0)
    # A fill is inked on nearly every row; only those columns need a robust (median) colour.
    full = band.mean(axis=0) >= 0.85
    colour = px.mean(axis=0)
    flat = clear & ((px.max(axis=0) - px.min(axis=0)).max(axis=1) <= 6)
    idx = np.flatnonzero(full)
    if idx.size:
        med = np.median(px[:, idx], axis=0)
        colour[idx] = med
        # Mostly one colour: a row or two of a letter drawn in the fill may differ.
        flat[idx] = (np.abs(px[:, idx] - med[None]).max(axis=2) <= 6).mean(axis=0) >= 0.85
    fill = max(6, int(0.4 * band.shape[0]))
    # Column i against i + 1; the step lies between c - 1 and c = i + 1.
    jump = (np.abs(colour[1:] - colour[:-1]).max(axis=1) >= _STEP_LEVELS) & flat[:-1] & flat[1:]
    for c in np.flatnonzero(jump) + 1:
        if _flat_side(px, flat, clear, fill, c - 1, -1) and _flat_side(px, flat, clear, fill, c, 1):
            steps[c] = True
    return steps


def _flat_side(px: np.ndarray, flat: np.ndarray, clear: np.ndarray, fill: int, c: int, step: int) -> bool:
    """Whether columns ``c`` and the next outwards are one flat colour: clear, or a fill over ``fill`` columns."""
    n = flat.shape[0]
    near = [x for x in (c, c + step) if 0 <= x < n]
    if len(near) < 2 or not flat[near].all():
        return False
    if clear[near].all():
        return True
    cols = [x for x in range(c, c + fill * step, step) if 0 <= x < n]
    if len(cols) < fill:
        return False
    # Three quarters: a letter drawn in the fill (white on a selected row) may shift a column's median.
    med = np.median(px[:, cols], axis=0)
    return float((np.abs(med - med[0]).max(axis=1) <= 10).mean()) >= 0.75


def _longest_runs(a: np.ndarray) -> np.ndarray:
    """The longest run of True in each row of a 2-D boolean array."""
    padded = np.zeros((a.shape[0], a.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = a
    edges = np.diff(padded, axis=1)
    r0, c0 = np.nonzero(edges == 1)
    _, c1 = np.nonzero(edges == -1)
    out = np.zeros(a.shape[0], dtype=np.int64)
    np.maximum.at(out, r0, c1 - c0)
    return out


def _text_rows(band: np.ndarray) -> np.ndarray:
    """Rows of a band that are not rules along the line (a menu item's frame, an underline)."""
    return _longest_runs(band) < 3 * band.shape[0]


def _crossing(ink: np.ndarray, y0: int, y1: int) -> np.ndarray:
    """Columns whose ink runs unbroken through the middle of ``[y0, y1)`` for much longer than it: lines.

    No stroke of a letter is much longer than the line is high (ascenders go
    up, descenders down, not both); a tab's divider or a table's grid line
    reaches past both ends of the text. Such columns only stop judging the
    line's rows: whether they split it is :func:`_walls`' call.
    """
    h, w = ink.shape
    mid = (y0 + y1) // 2
    if not 0 <= mid < h:
        return np.zeros(w, dtype=bool)
    near = _widened(ink)  # a line may step one column sideways
    down = np.cumprod(near[mid:], axis=0).sum(axis=0)
    up = np.cumprod(near[mid::-1], axis=0).sum(axis=0)
    length = up + down - 1
    long = (length >= (y1 - y0) + max(4, (y1 - y0) // 3)) & ink[mid]
    # A line is thin; a block of long columns is a shape (an image, a solid bar).
    thin = np.zeros(w, dtype=bool)
    for a, b in _runs(long):
        thin[a:b] = b - a <= 3
    # Two sides of a small box joined along its top (an icon's or a check box's frame) are
    # the box's own edges, not separators: the box belongs to the line, to be split off whole.
    sides = np.flatnonzero(thin)
    top = mid - up + 1
    for i, c in enumerate(sides):
        for c2 in sides[i + 1:]:
            if c2 - c > 1.3 * length[c]:
                break
            t = int(max(top[c], top[c2]))
            if c2 - c > 3 and ink[t, c:c2 + 1].mean() >= 0.9:
                thin[c] = thin[c2] = False
    return thin


def _lines_through(ink: np.ndarray, top: int, bottom: int) -> np.ndarray:
    """Columns on a vertical line inked in every row of ``[top, bottom)``; the line may step one column
    sideways (a tab's rounded corner, a separator drawn at a fractional scale)."""
    if top < 0 or bottom > ink.shape[0]:
        return np.zeros(ink.shape[1], dtype=bool)
    window = ink[top:bottom]
    return np.asarray(_widened(window).all(axis=0) & window.any(axis=0))


def _widened(ink: np.ndarray) -> np.ndarray:
    """``ink`` with each pixel's left and right neighbours inked too: a line that steps one column still runs on."""
    near = ink.copy()
    near[:, 1:] |= ink[:, :-1]
    near[:, :-1] |= ink[:, 1:]
    return near


def _row_bands(rows: np.ndarray, wide: np.ndarray, c0: int, c1: int,
               bars: np.ndarray | None = None) -> list[tuple[int, int]]:
    """Rows of the line(s) whose ink lies in ``[c0, c1)``, grown through touching ink rows."""
    inside = np.flatnonzero(rows[c0:c1])
    if inside.size == 0:
        return []
    top, bottom = _grow_rows(rows, c0 + int(inside[0]), c0 + int(inside[-1]) + 1)
    return [(a, b) for a, b in _split_rows(rows, wide, top, bottom, bars) if b > c0 and a < c1]


def _grow_rows(rows: np.ndarray, top: int, bottom: int) -> tuple[int, int]:
    """Extend ``[top, bottom)`` through adjoining ink rows, at most its own height each way.

    The limit keeps list items set 1-2 px apart from merging through a
    touching descender.
    """
    reach = max(4, bottom - top)
    lo, hi = max(0, top - reach), min(rows.size, bottom + reach)
    while top > lo and rows[top - 1]:
        top -= 1
    while bottom < hi and rows[bottom]:
        bottom += 1
    return top, bottom


def _split_rows(rows: np.ndarray, wide: np.ndarray, top: int, bottom: int,
                bars: np.ndarray | None = None) -> list[tuple[int, int]]:
    """Split a band at an empty row run when both sides are text-sized (two lines, not "二").

    The run must be empty in ``wide`` (the rows' ink beside the core) too.
    """
    runs = _runs(rows[top:bottom])
    if len(runs) < 2:
        return [(top, bottom)]
    bands = [(top + a, top + b) for a, b in runs]
    merged = [bands[0]]
    for a, b in bands[1:]:
        pa, pb = merged[-1]
        big = max(pb - pa, b - a)
        if min(pb - pa, b - a) >= max(5, 0.45 * big) and not wide[pb:a].any():
            merged.append((a, b))
        elif bars is not None and b - a <= 3 and bars[a:b].all():
            continue  # a bar apart from the letters (see ``bars``) is not part of the line
        else:
            merged[-1] = (pa, b)
    return merged


def _segments(cols: np.ndarray, walls: np.ndarray, band: np.ndarray,
              steps: np.ndarray | None = None) -> tuple[list[tuple[int, int]], float]:
    """Column ranges of one band, split at walls, at gaps over ~1.5 glyph heights, and around end icons.

    A background step splits only between two runs of glyphs: on one side of
    a lone mark (a checkbox's white inside against the window) it is the
    mark's own edge, and the end-icon split below handles the mark.
    Also returns the splitting gap in columns.
    """
    runs = _runs(cols)
    if not runs:
        return [], 0.0
    starts = np.array([a for a, _ in runs])
    h = band.shape[0]
    tops = np.minimum.reduceat(np.where(cols, band.argmax(axis=0), h), starts)
    bottoms = np.maximum.reduceat(np.where(cols, h - 1 - band[::-1].argmax(axis=0), -1), starts)
    glyph = float(np.median(bottoms - tops + 1))
    max_gap = max(3.0, _SPLIT_GAPS * glyph)
    groups = [[0]]
    stepped: set[int] = set()   # groups that begin at a background step
    for k in range(1, len(runs)):
        prev_end = runs[groups[-1][-1]][1]
        if runs[k][0] - prev_end > max_gap or walls[prev_end:runs[k][0]].any():
            groups.append([k])
        elif steps is not None and steps[prev_end:runs[k][0] + 1].any():
            stepped.add(len(groups))
            groups.append([k])
        else:
            groups[-1].append(k)
    if stepped:
        rows = _text_rows(band)
        glyphs = band[rows].any(axis=0) if rows.any() else cols

        def lone_mark(g: list[int]) -> bool:
            # One mark no wider than it is tall: an indicator or icon, whose own edge the step is.
            a, b = runs[g[0]][0], runs[g[-1]][1]
            return len(_runs(glyphs[a:b])) < 2 and b - a <= 1.5 * h

        for i in sorted(stepped, reverse=True):
            if lone_mark(groups[i]) or lone_mark(groups[i - 1]):
                groups[i - 1:i + 1] = [groups[i - 1] + groups[i]]
    segs: list[tuple[int, int]] = []
    for g in groups:
        for part in _split_end_icons(g, runs, tops, bottoms):
            segs.append((runs[part[0]][0], runs[part[-1]][1]))
    return segs, max_gap


def _split_end_icons(group: list[int], runs: list[tuple[int, int]], tops: np.ndarray,
                     bottoms: np.ndarray) -> list[list[int]]:
    """Split off a leading or trailing icon (a square or ring taller than the text on both sides).

    An icon next to its label (a toolbar's "[icon] Save", a checkbox before
    "Remember me") otherwise enters the recogniser's crop and garbles the first letter.
    """
    def icon(k: int, rest: list[int], gap: int) -> bool:
        top, bottom = int(tops[rest].min()), int(bottoms[rest].max())
        text = bottom - top + 1
        margin = max(1, text // 10)
        a, b = runs[k]
        height = int(bottoms[k] - tops[k] + 1)
        # Square-ish (not a bracket), clearly taller than the text, standing
        # out above and below it (a capital or a CJK character next to
        # lower-case letters only stands out above), and set apart.
        return (b - a >= 0.6 * height and height >= 1.2 * text and gap >= max(2, text // 4)
                and tops[k] < top - margin and bottoms[k] > bottom + margin)

    parts = [group]
    if len(group) >= 2 and icon(group[0], group[1:], runs[group[1]][0] - runs[group[0]][1]):
        parts = [[group[0]], group[1:]]
    last = parts[-1]
    if len(last) >= 2 and icon(last[-1], last[:-1], runs[last[-1]][0] - runs[last[-2]][1]):
        parts[-1:] = [last[:-1], [last[-1]]]
    return parts


def _runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """``[start, end)`` of each run of True values."""
    padded = np.concatenate(([False], flags, [False])).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist()))


def _diff(crop: np.ndarray, bg: tuple[int, int, int]) -> np.ndarray:
    """Per pixel, the largest channel difference from ``bg`` (uint8, computed by OpenCV: this runs per region)."""
    scalar: Any = (float(bg[0]), float(bg[1]), float(bg[2]), 0.0)  # OpenCV takes a Scalar here
    d = cv2.absdiff(np.ascontiguousarray(crop), scalar)
    return np.asarray(cv2.max(cv2.max(d[..., 0], d[..., 1]), d[..., 2]))


def _mode_colour(crop: np.ndarray) -> tuple[int, int, int]:
    """The most common colour (on a 16-level grid, every other pixel), as the mean of that bin's pixels."""
    sample = crop[::2, ::2].reshape(-1, 3)
    q = (sample >> 4).astype(np.int32)
    keys = (q[:, 0] << 8) | (q[:, 1] << 4) | q[:, 2]
    top = int(np.bincount(keys, minlength=1 << 12).argmax())
    mean = sample[keys == top].mean(axis=0)
    return int(mean[0]), int(mean[1]), int(mean[2])


def overlap(a: Region, b: Region) -> float:
    """Share of the smaller region that lies inside the other."""
    iw = min(a.x1, b.x1) - max(a.x0, b.x0)
    ih = min(a.y1, b.y1) - max(a.y0, b.y0)
    if iw <= 0 or ih <= 0:
        return 0.0
    return iw * ih / max(1, min(a.width * a.height, b.width * b.height))


def dedupe(regions: list[Region], larger_first: bool = True) -> list[Region]:
    """Keep one of each group of overlapping regions (two detector pieces refine to one line)."""
    regions = sorted(regions, key=lambda r: r.width * r.height, reverse=larger_first)
    kept: list[Region] = []
    for r in regions:
        if not any(overlap(r, k) > 0.7 for k in kept):
            kept.append(r)
    return kept


def ink_mask(image: np.ndarray, r: Region) -> np.ndarray:
    """Boolean ink of the region's box, by the region's own background and threshold."""
    return _diff(image[r.y0:r.y1, r.x0:r.x1], r.bg) >= r.threshold


def line_crop(image: np.ndarray, r: Region) -> tuple[np.ndarray, int]:
    """The recogniser's input for a region: its ink on a clean background, dark on light.

    Returns the crop and its left offset in image columns (the crop starts
    ``pad`` columns before ``r.x0``).
    """
    h, w = r.height, r.width
    # A flat isolated glyph ("−", "=") gets the padding of a normal glyph of its width.
    ref = max(h, round(min(0.8 * w, 20))) if r.fallback and h < 10 and h < 0.6 * w else h
    pad_y = max(2, round(_PAD_Y * ref)) + (ref - h) // 2
    pad_x = max(2, round(_PAD_X * ref))
    below = pad_y + _descender_room(image, r)
    canvas = np.empty((h + pad_y + below, w + 2 * pad_x, 3), np.uint8)
    canvas[:] = r.bg
    ih, iw = image.shape[:2]
    # One column/row of margin keeps the anti-aliased fringe of the glyphs.
    x0, y0, x1, y1 = max(0, r.x0 - 1), max(0, r.y0 - 1), min(iw, r.x1 + 1), min(ih, r.y1 + 1)
    canvas[pad_y - (r.y0 - y0): pad_y + h + (y1 - r.y1),
           pad_x - (r.x0 - x0): pad_x + w + (x1 - r.x1)] = image[y0:y1, x0:x1]
    _erase_mnemonics(canvas, r)
    if sum(r.bg) < 3 * 110:
        canvas = 255 - canvas  # light text on a dark background
    return canvas, pad_x


def _erase_mnemonics(canvas: np.ndarray, r: Region) -> None:
    """Blank the short underlines under single letters (menu mnemonics: Tk's "Configure _IDLE").

    The recogniser reads an underlined I as L and an underlined O as Q. A
    mnemonic is a mark of its own, flat (one or two rows), a letter wide at
    most, and wholly below the baseline where the letters stand; a full stop
    sits on the baseline, a descender joins its letter, a lone glyph ("±")
    is left alone, and an underscore, which is a separator to the text
    matcher anyway, goes too.
    """
    ink = (_diff(canvas, r.bg) >= r.threshold).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if n <= 2:
        return
    heights, bottoms = stats[1:, 3], stats[1:, 1] + stats[1:, 3]
    tall = heights >= 0.4 * r.height
    if tall.sum() < 3:
        return  # not a word: a lone glyph's own bar ("±") is no underline
    baseline = float(np.median(bottoms[tall]))
    for k in range(1, n):
        x, y, w, h, _ = stats[k]
        if h <= 2 and 3 <= w <= 1.2 * r.height and w >= 2.5 * h and y >= baseline + 1:
            canvas[labels == k] = r.bg


def _descender_room(image: np.ndarray, r: Region) -> int:
    """Blank rows to add under a Latin line that has no descenders.

    The recogniser's input height is fixed, so a line's scale follows its
    ink height: "Save" would be drawn a third larger than "Display". Room
    for the missing descenders gives both the same letter size, which reads
    as well and costs a quarter fewer recogniser columns for such lines.
    Lines whose letters mostly reach the top (capitals, CJK) are left alone.
    """
    ink = ink_mask(image, r)
    filled = ink.any(axis=0)
    if r.height < 6 or filled.sum() < 4:
        return 0
    tops = ink.argmax(axis=0)[filled]
    bottoms = (r.height - 1 - ink[::-1].argmax(axis=0))[filled]
    baseline = float(np.median(bottoms))
    body = baseline - tops.min() + 1
    lower_case = baseline - float(np.median(tops)) + 1 < 0.85 * body
    if not lower_case or bottoms.max() - baseline > 0.15 * body:
        return 0
    return int(round(0.3 * body))
