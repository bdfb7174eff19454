"""Which installed theme picture a screen crop is, if it is one exactly.

For each proposed box the crop's background (the median of a ring around
it) and *ink box* (where it differs from that background) are measured.
Pictures whose ink box fits the crop's at some scale (1× up to about 2×,
so 1.25/1.5/2× desktops too) are compared by their 8×8 digests drawn on
that background (a coloured picture as it is; a symbolic one, which the
toolkit recolours, as its alpha in the crop's own ink colour). The few
closest are then drawn at the crop's size and slid over it a few pixels
either way (boxes are off by a pixel or two); a picture that matches
nearly exactly, and clearly better than any differently named one,
is the answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

import cv2
import numpy as np

from desktop.core.geometry import Box
from desktop.grounding._theme_index import DIGEST, GREY, INK_ALPHA, ThemeIndex, ThemePicture

__all__ = ["ThemeMatch", "match_boxes", "MAX_ERROR"]

#: Margin read around a box: the ring that gives the background, and room to slide.
_PAD = 3
#: A crop pixel this far (0–255, largest channel) from the background is ink.
_INK_DIFF = 24
#: Share of the ring that must be the background's colour: an icon on a flat fill.
_FLAT_RING = 0.6
#: Ink box sizes within this many pixels of a picture's (after scaling) are worth comparing.
_SIZE_SLACK = 2.0
#: Scales desktops use (the toolkit draws the picture of the next size up, or resamples one).
_SCALES = np.array([1.0, 1.25, 1.5, 1.75, 2.0], np.float32)
_SCALE_SLACK = 0.15
#: Digest error (mean grey difference over the crop's contrast) a candidate may have.
_DIGEST_MAX = 0.5
#: Pictures closest by digest that get the exact check (the best and its likeliest rivals).
_CHECKED = 4
#: Exact check: RMS difference over the picture's own RMS contrast with the background.
MAX_ERROR = 0.22
#: Drawn at another scale than its own, resampling blurs it: a little more slack.
MAX_SCALED_ERROR = 0.3
#: A differently named picture at most this many times the best's error makes the crop ambiguous.
_CLEAR_MARGIN = 1.6
_SLIDE = 2


@dataclass(frozen=True)
class ThemeMatch:
    """A crop found to be a theme picture."""

    box: Box                  # where the picture is, in image pixels
    picture: ThemePicture
    error: float              # exact-check error (0: identical)
    scale: float


@dataclass(frozen=True)
class _Crop:
    region: np.ndarray        # float32 (h, w, 3) around the box
    origin: tuple[int, int]   # region's top-left in the image
    background: np.ndarray    # (3,)
    ink: tuple[int, int, int, int]   # x0, y0, x1, y1 in region
    foreground: np.ndarray    # (3,): the colour farthest from the background (a symbolic icon's colour)

    @property
    def size(self) -> tuple[int, int]:
        return self.ink[2] - self.ink[0], self.ink[3] - self.ink[1]


def match_boxes(image: np.ndarray, boxes: Sequence[Box], index: ThemeIndex) -> list[ThemeMatch]:
    """The theme pictures found at ``boxes`` of ``image`` (RGB ``uint8``), one per place at most."""
    if len(index) == 0:
        return []
    found: list[ThemeMatch] = []
    for box in boxes:
        crops = _crops(image, box)
        if not crops:
            continue
        match = _best(crops, index)
        if match is not None:
            found.append(match)
    # A wide and a narrow proposal of one icon find it twice: keep the closer match.
    found.sort(key=lambda m: m.error)
    kept: list[ThemeMatch] = []
    for match in found:
        if not any(match.box.iou(k.box) > 0.5 for k in kept):
            kept.append(match)
    return kept


def _crops(image: np.ndarray, box: Box) -> list[_Crop]:
    """The region around ``box`` with its background, once per way of reading its ink box (none: no icon on a fill).

    Ink is where the crop differs from its background by a fixed step, and
    also by a quarter of its strongest difference, which is how the index
    cuts pictures (alpha ≥ :data:`INK_ALPHA`): the first keeps a white page
    on a light bar, the second leaves a dark glyph's anti-aliased fringe out.
    """
    h, w = image.shape[:2]
    x0, y0 = max(0, int(box.x0) - _PAD), max(0, int(box.y0) - _PAD)
    x1, y1 = min(w, int(np.ceil(box.x1)) + _PAD), min(h, int(np.ceil(box.y1)) + _PAD)
    if x1 - x0 < 8 or y1 - y0 < 8:
        return []
    region = image[y0:y1, x0:x1].astype(np.float32)
    ring = np.concatenate([region[0], region[-1], region[1:-1, 0], region[1:-1, -1]])
    background = np.median(ring, axis=0)
    if np.mean(np.abs(ring - background).max(axis=1) <= _INK_DIFF / 2) < _FLAT_RING:
        return []
    diff = np.abs(region - background).max(axis=2)
    # Ink only within the box itself (a pixel of slack): a neighbour inside the margin is not this icon.
    inner = np.zeros(diff.shape, bool)
    bx0, by0 = max(0, int(box.x0) - 1 - x0), max(0, int(box.y0) - 1 - y0)
    inner[by0:int(np.ceil(box.y1)) + 1 - y0, bx0:int(np.ceil(box.x1)) + 1 - x0] = True
    strongest = float(diff[inner].max()) if inner.any() else 0.0
    if strongest <= _INK_DIFF:
        return []
    foreground = region[inner & (diff >= 0.8 * strongest)].mean(axis=0)
    crops: list[_Crop] = []
    for threshold in dict.fromkeys((_INK_DIFF, max(float(_INK_DIFF), INK_ALPHA * strongest))):
        inked = (diff > threshold) & inner
        if int(inked.sum()) < 12:
            continue
        ys, xs = np.nonzero(inked)
        ink = (int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1)
        if not any(c.ink == ink for c in crops):
            crops.append(_Crop(region, (x0, y0), background, ink, foreground))
    return crops


def _drawn_digests(index: ThemeIndex, rows: np.ndarray, crop: _Crop) -> np.ndarray:
    """Grey digests of pictures ``rows`` drawn on the crop's background, (k, 64)."""
    alpha = index.digest_alpha[rows]
    back, fore = float(crop.background @ GREY), float(crop.foreground @ GREY)
    # A symbolic picture's ink is the crop's own ink colour; a coloured one's is its own.
    ink = np.where(index.symbolic[rows][:, None], alpha * fore, index.digest_grey[rows])
    return ink + (1.0 - alpha) * back


@lru_cache(maxsize=2048)
def _sized(index: ThemeIndex, cw: int, ch: int) -> np.ndarray:
    """Rows of the pictures whose ink box fits a ``cw`` × ``ch`` one (memoised: screens repeat a few sizes)."""
    scale = (cw + ch) / (index.widths + index.heights)
    slack = _SIZE_SLACK * np.maximum(scale, 1.0)   # a fringe pixel grows with the picture
    rows = np.nonzero((np.abs(index.widths * scale - cw) <= slack) & (np.abs(index.heights * scale - ch) <= slack))[0]
    # Its own size give or take the slack, or a desktop's usual scale of it.
    native = (np.abs(index.widths[rows] - cw) <= _SIZE_SLACK) & (np.abs(index.heights[rows] - ch) <= _SIZE_SLACK)
    usual = np.abs(scale[rows, None] - _SCALES[None, :]).min(axis=1) <= _SCALE_SLACK
    return rows[native | usual]


def _shortlist(crop: _Crop, index: ThemeIndex) -> list[tuple[int, float]]:
    """(row, digest error) of the pictures whose size and digest fit the crop, closest first."""
    rows = _sized(index, *crop.size)
    if rows.size == 0:
        return []
    x0, y0, x1, y1 = crop.ink
    seen = cv2.resize(crop.region[y0:y1, x0:x1] @ GREY, (DIGEST, DIGEST), interpolation=cv2.INTER_AREA).reshape(-1)
    back = float(crop.background @ GREY)
    contrast = max(float(np.abs(seen - back).mean()), 6.0)
    error = np.abs(_drawn_digests(index, rows, crop) - seen).mean(axis=1) / contrast
    order = np.argsort(error)[:_CHECKED]
    # Far behind the closest, a picture cannot be the answer nor make it ambiguous.
    limit = min(_DIGEST_MAX, 2.0 * float(error[order[0]]) + 0.1)
    return [(int(rows[i]), float(error[i])) for i in order if error[i] <= limit]


def _drawn(picture: ThemePicture, crop: _Crop, size: tuple[int, int]) -> np.ndarray:
    """The picture drawn at ``size`` on the crop's background (float32 RGB)."""
    alpha, colour = picture.alpha, picture.premultiplied
    if size != picture.size:
        shrink = size[0] < picture.size[0]
        how = cv2.INTER_AREA if shrink else cv2.INTER_LINEAR
        alpha, colour = cv2.resize(alpha, size, interpolation=how), cv2.resize(colour, size, interpolation=how)
    a = alpha[:, :, None]
    if picture.symbolic:
        return a * crop.foreground + (1.0 - a) * crop.background
    return colour + (1.0 - a) * crop.background


def _exact(picture: ThemePicture, crop: _Crop) -> tuple[float, Box, float]:
    """(error, where in the image, scale) of the picture slid over the crop's ink box."""
    cw, ch = crop.size
    pw, ph = picture.size
    native = abs(cw - pw) <= _SIZE_SLACK and abs(ch - ph) <= _SIZE_SLACK
    size = (pw, ph) if native else (cw, ch)
    drawn = _drawn(picture, crop, size).astype(np.float32)
    x0, y0, x1, y1 = crop.ink
    top, left = max(0, y0 - _SLIDE), max(0, x0 - _SLIDE)
    window = crop.region[top:y1 + _SLIDE, left:x1 + _SLIDE]
    grow_y, grow_x = max(0, size[1] - window.shape[0]), max(0, size[0] - window.shape[1])
    if grow_x or grow_y:
        window = cv2.copyMakeBorder(window, 0, grow_y, 0, grow_x, cv2.BORDER_CONSTANT,
                                    value=[float(v) for v in crop.background])
    scores = cv2.matchTemplate(window, drawn, cv2.TM_SQDIFF)
    least, _, _, (dx, dy) = cv2.minMaxLoc(scores)
    rms = float(np.sqrt(max(least, 0.0) / drawn.size))
    contrast = float(np.sqrt(np.mean((drawn - crop.background) ** 2)))
    ox, oy = crop.origin[0] + left + dx, crop.origin[1] + top + dy
    box = Box(float(ox), float(oy), float(ox + size[0]), float(oy + size[1]))
    error = rms / max(contrast, 8.0)
    if not native:
        error *= MAX_ERROR / MAX_SCALED_ERROR
    return error, box, size[0] / pw


def _best(crops: Sequence[_Crop], index: ThemeIndex) -> ThemeMatch | None:
    """The one picture the crop clearly is, or None (no close picture, or two differently named ones)."""
    listed = sorted(((error, row, crop) for crop in crops for row, error in _shortlist(crop, index)),
                    key=lambda item: item[0])
    checked, seen = [], set()
    for _, row, crop in listed:
        if row in seen:
            continue
        seen.add(row)
        picture = index.pictures[row]
        error, box, scale = _exact(picture, crop)
        checked.append((error, picture, box, scale))
        if len(checked) == _CHECKED:
            break
    if not checked:
        return None
    checked.sort(key=lambda c: c[0])
    error, picture, box, scale = checked[0]
    if error > MAX_ERROR:
        return None
    names = set(picture.names)
    for other_error, other, _, _ in checked[1:]:
        if other_error <= _CLEAR_MARGIN * error + 0.02 and not names & set(other.names):
            return None
    return ThemeMatch(box, picture, round(error, 4), round(scale, 3))
