"""The coarse pass of reference-image matching: where, at which scale, might the reference be?

Correlates a grey reference at each of 13 scales with a half-octave pyramid of
the grey screen and returns the local maxima ("peaks") worth refining at full
resolution. Used by :mod:`desktop.grounding._template_match`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from desktop.core.errors import ReferenceTooLarge
from desktop.core.geometry import Box

#: The smallest reference side we accept, and the smallest side a scaled
#: reference may have: below that, correlation matches noise.
MIN_REFERENCE_SIDE = 4
#: In the coarse pass the scaled reference keeps at least this many pixels a
#: side on the pyramid level it is matched on; smaller, and true matches stop
#: standing out from chance ones (6 lost 12-pixel copies in our trials).
COARSE_MIN_SIDE = 8
#: Ratio between neighbouring scales of the coarse pass (13 scales from 0.5 to 2).
SCALE_STEP = 2.0 ** (1.0 / 6.0)
#: Coarse correlation a place needs to be refined. True matches lose some
#: correlation on a downscaled level and between coarse scales, hence lower
#: than the final threshold.
COARSE_THRESHOLD = 0.45
_PEAKS_PER_SCALE = 100
#: Each scale's best few peaks are refined whatever other scales found.
_GUARANTEED_PER_SCALE = 5
_PYRAMID_LEVELS = (8.0, 6.0, 4.0, 3.0, 2.0, 1.5, 1.0)


@dataclass(frozen=True)
class Peak:
    """A place and scale where the coarse pass saw the reference; ``x``, ``y`` in screen pixels."""

    x: int
    y: int
    scale: float
    level: float
    coarse: float  # signed: negative for an inverted-brightness match

    def box(self, width: int, height: int) -> Box:
        return Box.from_xywh(self.x, self.y, round(width * self.scale), round(height * self.scale))


def cv2_module() -> Any:
    import cv2  # imported late: importing OpenCV costs more than a whole match

    return cv2


def scales(min_scale: float, max_scale: float) -> list[float]:
    """The coarse scales: powers of :data:`SCALE_STEP`, 1.0 always among them."""
    low = math.ceil(math.log(min_scale) / math.log(SCALE_STEP) - 1e-9)
    high = math.floor(math.log(max_scale) / math.log(SCALE_STEP) + 1e-9)
    return [SCALE_STEP ** k for k in range(low, high + 1)]


def coarse_search(
    grey: np.ndarray, ref_grey: np.ndarray, mask: np.ndarray | None,
    min_scale: float, max_scale: float, match_inverted: bool,
) -> list[Peak]:
    """Peaks of every scale; :class:`ReferenceTooLarge` when the reference fits at none."""
    height, width = ref_grey.shape
    pyramid = _Pyramid(grey)
    peaks: list[Peak] = []
    fits = False
    for scale in scales(min_scale, max_scale):
        tw, th = round(width * scale), round(height * scale)
        if tw > grey.shape[1] or th > grey.shape[0]:
            continue
        fits = True
        if min(tw, th) >= MIN_REFERENCE_SIDE:
            peaks += _peaks_at_scale(pyramid, ref_grey, mask, scale, (tw, th), match_inverted)
    if not fits:
        raise ReferenceTooLarge(
            f"the reference image ({width}\u00d7{height}) is larger than the screen"
            f" ({grey.shape[1]}\u00d7{grey.shape[0]}) even at {min_scale:g}x",
            "Cut the reference closer around the thing to click.",
        )
    return peaks


class _Pyramid:
    """The grey screen at half-octave sizes (1/1, 1/1.5, 1/2, 1/3, ... 1/8), each made when first needed.

    Half octaves, not octaves, because a full-resolution pass costs about
    five times a 1/1.5 one and small scaled references would otherwise need it.
    """

    def __init__(self, grey: np.ndarray) -> None:
        self._levels: dict[float, np.ndarray] = {1.0: grey.astype(np.float32)}

    def level(self, factor: float) -> np.ndarray:
        """The level ``factor`` times smaller than the screen, as ``float32``."""
        if factor not in self._levels:
            cv2 = cv2_module()
            # Each level halves the one two steps above it: the fast integer path of INTER_AREA.
            parent = factor / 2 if factor / 2 in _PYRAMID_LEVELS else 1.0
            base = self.level(parent)
            ratio = factor / parent
            size = (max(1, round(base.shape[1] / ratio)), max(1, round(base.shape[0] / ratio)))
            self._levels[factor] = cv2.resize(base, size, interpolation=cv2.INTER_AREA)
        return self._levels[factor]


def _peaks_at_scale(
    pyramid: _Pyramid, ref_grey: np.ndarray, mask: np.ndarray | None,
    scale: float, size: tuple[int, int], match_inverted: bool,
) -> list[Peak]:
    cv2 = cv2_module()
    tw, th = size
    factor = next(f for f in _PYRAMID_LEVELS if f == 1 or min(tw, th) / f >= COARSE_MIN_SIDE)
    level = pyramid.level(factor)
    cw, ch = max(1, round(tw / factor)), max(1, round(th / factor))
    if cw > level.shape[1] or ch > level.shape[0]:
        return []
    template = resize(ref_grey, cw, ch)
    coarse_mask = None if mask is None else resize_mask(mask, cw, ch)
    if float(template.std()) < 1.0 or (coarse_mask is not None and not coarse_mask.any()):
        return []
    result = _filtered_ncc(level, template, coarse_mask)
    strength = np.abs(result) if match_inverted else result
    # One peak per template-sized neighbourhood: two copies cannot be closer than that.
    kernel = np.ones((max(3, min(cw, ch)) | 1,) * 2, np.uint8)
    is_peak = (strength >= COARSE_THRESHOLD) & (strength >= cv2.dilate(strength, kernel))
    found = cv2.findNonZero(is_peak.view(np.uint8))  # much faster than np.nonzero on a mostly-empty map
    if found is None:
        return []
    xs, ys = found.reshape(-1, 2).T  # (N, 1, 2) or (N, 2) depending on the OpenCV version
    if len(xs) > _PEAKS_PER_SCALE:
        best = np.argpartition(-strength[ys, xs], _PEAKS_PER_SCALE)[:_PEAKS_PER_SCALE]
        ys, xs = ys[best], xs[best]
    return [
        Peak(round(x * factor), round(y * factor), scale, factor, float(result[y, x]))
        for y, x in zip(ys.tolist(), xs.tolist())
    ]


def suppress_peaks(peaks: list[Peak], ref_shape: tuple[int, ...], limit: int) -> list[Peak]:
    """Drop peaks that a stronger peak of a neighbouring scale covers.

    Peaks of distant scales are kept side by side: coarse scores of different
    pyramid levels are not comparable, so only refinement may decide between them.
    """
    if not peaks:
        return []
    height, width = ref_shape[:2]
    # Small scales give many strong chance peaks (a small template correlates
    # well with much), so a global ranking alone would starve the other
    # scales: each scale's best few go first.
    by_scale: dict[float, list[Peak]] = {}
    for peak in sorted(peaks, key=_strongest_first):
        by_scale.setdefault(peak.scale, []).append(peak)
    first = [p for group in by_scale.values() for p in group[:_GUARANTEED_PER_SCALE]]
    rest = [p for group in by_scale.values() for p in group[_GUARANTEED_PER_SCALE:]]
    peaks = sorted(first, key=_strongest_first) + sorted(rest, key=_strongest_first)
    boxes = np.array([[p.x, p.y, p.x + round(width * p.scale), p.y + round(height * p.scale)] for p in peaks], float)
    log_scales = np.log([p.scale for p in peaks])
    areas = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    near_scale = 1.01 * math.log(SCALE_STEP)
    kept: list[int] = []
    for i in range(len(peaks)):
        if kept:
            k = np.array(kept)
            w = np.minimum(boxes[k, 2], boxes[i, 2]) - np.maximum(boxes[k, 0], boxes[i, 0])
            h = np.minimum(boxes[k, 3], boxes[i, 3]) - np.maximum(boxes[k, 1], boxes[i, 1])
            inter = np.clip(w, 0, None) * np.clip(h, 0, None)
            iou = inter / (areas[k] + areas[i] - inter)
            if bool(((iou > 0.5) & (np.abs(log_scales[k] - log_scales[i]) <= near_scale)).any()):
                continue
        kept.append(i)
        if len(kept) >= limit:
            break
    return [peaks[i] for i in kept]


def _strongest_first(peak: Peak) -> float:
    return -abs(peak.coarse)


def _filtered_ncc(image: np.ndarray, template: np.ndarray, mask: np.ndarray | None) -> np.ndarray:
    """``TM_CCOEFF_NORMED`` of a ``float32`` image, computed with linear filters.

    For the 8-11 pixel templates of most coarse passes this is about twice as
    fast as ``cv2.matchTemplate``, which pays for integral images and a DFT
    on every call. Windows flatter than one grey level score 0.
    """
    cv2 = cv2_module()
    th, tw = template.shape
    valid = (slice(0, image.shape[0] - th + 1), slice(0, image.shape[1] - tw + 1))
    t = template.astype(np.float32)
    if mask is None:
        count = float(tw * th)
        t -= t.mean()
        mean = cv2.boxFilter(image, cv2.CV_32F, (tw, th), anchor=(0, 0))[valid]
        mean_sq = cv2.sqrBoxFilter(image, cv2.CV_32F, (tw, th), anchor=(0, 0))[valid]
    else:
        weights = (mask > 0).astype(np.float32)
        count = float(weights.sum())
        t = (t - t[mask > 0].mean()) * weights
        weights /= count
        mean = cv2.filter2D(image, cv2.CV_32F, weights, anchor=(0, 0))[valid]
        mean_sq = cv2.filter2D(image * image, cv2.CV_32F, weights, anchor=(0, 0))[valid]
    norm = float(np.linalg.norm(t))
    if norm < 1e-3:  # flat where it counts: it correlates with nothing
        return np.zeros_like(mean)
    numerator = cv2.filter2D(image, cv2.CV_32F, t, anchor=(0, 0))[valid]
    # In place from here: these maps are screen-sized and this runs 13 times a search.
    variance = np.subtract(mean_sq, np.multiply(mean, mean, out=mean), out=mean_sq)
    flat = variance < 1.0
    np.maximum(variance, 1.0, out=variance)
    np.multiply(variance, count * norm * norm, out=variance)
    result = np.divide(numerator, np.sqrt(variance, out=variance), out=numerator)
    result[flat] = 0.0
    return np.clip(result, -1.0, 1.0, out=result)


def resize(image: np.ndarray, width: int, height: int) -> np.ndarray:
    """Area-averaged when shrinking (no aliasing), bilinear when growing."""
    cv2 = cv2_module()
    if (image.shape[1], image.shape[0]) == (width, height):
        return image
    shrinking = width * height < image.shape[0] * image.shape[1]
    return cv2.resize(image, (width, height), interpolation=cv2.INTER_AREA if shrinking else cv2.INTER_LINEAR)


def resize_mask(mask: np.ndarray, width: int, height: int) -> np.ndarray:
    """A 0/255 mask resized and made binary again."""
    return np.where(resize(mask, width, height) >= 128, 255, 0).astype(np.uint8)


