"""Reference-image matching, after the coarse pass: refine each peak at full resolution and score it.

Kept apart from :mod:`desktop.grounding.template` (the source class) and
:mod:`desktop.grounding._template_coarse` (the coarse pass) so each stays short.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

import numpy as np

from desktop.core.geometry import Box
from desktop.grounding._template_coarse import (
    MIN_REFERENCE_SIDE,
    SCALE_STEP,
    Peak,
    coarse_search,
    cv2_module,
    resize,
    resize_mask,
    suppress_peaks,
)

log = logging.getLogger(__name__)

#: Inverted-brightness matches (another theme) count this much of their correlation.
INVERTED_PENALTY = 0.85
#: A matched place whose contrast is under this share of the reference's is a
#: faint ghost that correlation alone would score as a perfect match.
MIN_CONTRAST_RATIO = 0.2
#: Grey correlation at full resolution, at the coarse scale, below which a
#: coarse peak is dropped without trying finer scales.
REFINE_THRESHOLD = 0.4
#: The same, after the best half-step scale was found.
CLIMB_THRESHOLD = 0.6
#: Coarse peaks refined: this many per match asked for, and at least
#: :data:`MIN_REFINED`. Most peaks are chance; each costs about 0.1 ms.
REFINED_PER_MATCH = 2
MIN_REFINED = 64
MAX_REFINED = 500
#: While the scale is searched, images are shrunk so that the scale error
#: left moves the template's outer edges by at most this many pixels.
MAX_EDGE_SHIFT = 1.0
#: Moves at most per step size while climbing to the best scale.
MAX_CLIMB = 3
_PARTS = 3
_MIN_PART_CONTRAST = 4.0
_LUMA = np.array([0.299, 0.587, 0.114])

_Fit = tuple[float, int, int, int, int, float]  # grey correlation, x, y, width, height, scale


@dataclass(frozen=True, eq=False)
class Reference:
    """A checked reference: RGB pixels, and a mask (255 = use) when parts are transparent."""

    rgb: np.ndarray
    mask: np.ndarray | None = None


@dataclass(frozen=True)
class TemplateMatch:
    """One place the reference appears: its box in screen pixels and its correlation."""

    box: Box
    score: float
    scale: float
    inverted: bool = False


def find_matches(
    screen: np.ndarray,
    ref: Reference,
    *,
    min_score: float,
    min_scale: float,
    max_scale: float,
    max_matches: int,
    match_inverted: bool,
) -> list[TemplateMatch]:
    """All places ``ref`` appears in ``screen`` scoring at least ``min_score``, best first."""
    cv2 = cv2_module()
    grey = cv2.cvtColor(screen, cv2.COLOR_RGB2GRAY)
    ref_grey = cv2.cvtColor(ref.rgb, cv2.COLOR_RGB2GRAY)
    peaks = coarse_search(grey, ref_grey, ref.mask, min_scale, max_scale, match_inverted)
    # Near-perfect coarse peaks are all refined (up to a bound), however many:
    # a reference cut from this very screen must not lose its place to ties.
    perfect = sum(abs(p.coarse) >= 0.95 for p in peaks)
    limit = max(MIN_REFINED, REFINED_PER_MATCH * max_matches, min(perfect, MAX_REFINED))
    peaks = suppress_peaks(peaks, ref_grey.shape, limit=limit)
    matches = []
    for peak in peaks:
        match = _refine(screen, grey, ref, ref_grey, peak, min_score)
        if match is not None and match.score >= min_score:
            matches.append(match)
    kept = sorted(_suppress_matches(matches), key=lambda m: -m.score)[:max_matches]
    log.debug("template: %d coarse peaks, %d matches kept", len(peaks), len(kept))
    return kept


def _refine(
    screen: np.ndarray, grey: np.ndarray, ref: Reference, ref_grey: np.ndarray, peak: Peak, min_score: float
) -> TemplateMatch | None:
    """Best place and scale near a coarse peak at full resolution, scored in colour."""
    sign = -1.0 if peak.coarse < 0 else 1.0
    fits: dict[tuple[float, float], _Fit | None] = {}
    # The scale is searched in ever finer steps on images shrunk for the
    # scale error left at that step: a whole coarse step at first (a peak of
    # a neighbouring scale may stand for this one), then a quarter and an
    # eighth. Thin strokes (a 1-pixel button outline, text) otherwise
    # correlate only at the exact scale: 3% off, an outlined button falls
    # from 1.0 to 0.6, and a coarse step (12%) off, to chance.
    stage = [1.0]

    def fit(offset: float) -> float:
        key = (offset, stage[0])
        if key not in fits:
            fits[key] = _fit(grey, ref, ref_grey, peak, offset, sign, stage[0])
        found = fits[key]
        return -2.0 if found is None else found[0]

    # Most peaks are chance: one look at the peak's own scale rejects them
    # before any other scale is tried.
    if fit(0.0) < REFINE_THRESHOLD:
        return None
    # Scale: the coarse neighbours exactly and half-way to them (a peak of a
    # neighbouring scale may have suppressed this one's twin; sharp-edged
    # content gives no slope to climb between them), then quarter and eighth
    # steps around the best.
    # Ties go to the scale nearest 1: patterns that match themselves shrunk
    # (blocks, stripes) were most likely cut at the screen's own scale.
    def preference(offset: float) -> tuple[float, float]:
        return round(fit(offset), 3), -abs(math.log(peak.scale) + offset * math.log(SCALE_STEP))

    best = max((-1.0, -0.5, 0.0, 0.5, 1.0), key=preference)
    if fit(best) < CLIMB_THRESHOLD:
        return None
    # The last, finest step compares at full resolution: shrunk, the place is
    # only as exact as the shrinking, and an exact copy must win its scale.
    for step, error in ((0.25, 0.25), (0.125, 0.0)):
        stage[0] = error
        # Climb, not one move: the shrunk first look may land a step or two away.
        for _ in range(MAX_CLIMB):
            moved = max((best - step, best + step), key=preference)
            if preference(moved) <= preference(best):
                break
            best = moved
    # Sharp edges (blocks, stripes) leave local maxima in the sharp climb;
    # the coarse scale itself and the screen's own scale (1.0, where exact
    # copies sit, when within a coarse step: a neighbour's peak may stand for
    # it) stay candidates.
    own = -math.log(peak.scale) / math.log(SCALE_STEP)
    best = max((best, 0.0, *([own] if abs(own) <= 1.0 else [])), key=preference)
    found = fits[(best, 0.0)]
    if found is None:
        return None
    return _score(screen, ref, found, sign, min_score)


def _score(
    screen: np.ndarray, ref: Reference, found: _Fit, sign: float,
    min_score: float,
) -> TemplateMatch | None:
    """The final score of a fit, in colour and part by part; ``None`` for a ghost or a poor fit."""
    _, x, y, tw, th, scale = found
    patch = screen[y:y + th, x:x + tw]
    height, width = ref.rgb.shape[:2]
    if tw > width:
        # Compared at the reference's resolution: a reference cut on a
        # lower-resolution screen has lost the detail the screen shows, and
        # enlarging it cannot bring that back (a 1-pixel outline smeared over
        # two scores 0.6 against the sharp one). Shrinking the screen's
        # patch loses the same detail on both sides.
        patch, template, mask = resize(patch, width, height), ref.rgb, ref.mask
    else:
        template, mask = resize(ref.rgb, tw, th), None if ref.mask is None else resize_mask(ref.mask, tw, th)
    patch, template = patch.astype(np.float64), template.astype(np.float64)
    mask = None if mask is None else mask > 0
    if not _contrast_ok(patch, template, mask):
        return None
    if sign < 0:  # another theme: compare brightness, inverted
        patch, template = 255.0 - patch @ _LUMA, template @ _LUMA
    penalty = INVERTED_PENALTY if sign < 0 else 1.0
    score = penalty * _part_score(patch, template, mask, min_score / penalty)
    if score < min_score:
        return None
    return TemplateMatch(Box.from_xywh(x, y, tw, th), float(np.clip(score, 0.0, 1.0)), scale, sign < 0)


def _part_score(patch: np.ndarray, template: np.ndarray, mask: np.ndarray | None, floor: float) -> float:
    """Correlation of the whole, held down by the worst of its 3x3 parts.

    Whole-template correlation is dominated by large shapes: an icon that
    shares its frame and colour with the reference but has another symbol
    inside still scores 0.7. Its symbol's parts, though, correlate near 0,
    while a blurred or recompressed copy keeps every part above about 0.75.
    So the score is ``min(whole, (whole + worst part) / 2)``; a whole below
    ``floor`` is returned as it is, since the parts could only lower it.
    """
    whole = _ncc(patch, template, mask)
    if whole < floor:
        return whole
    height, width = template.shape[:2]
    parts = []
    for i in range(_PARTS):
        for j in range(_PARTS):
            rows = slice(i * height // _PARTS, (i + 1) * height // _PARTS)
            cols = slice(j * width // _PARTS, (j + 1) * width // _PARTS)
            part_mask = None if mask is None else mask[rows, cols]
            part = template[rows, cols] if part_mask is None else template[rows, cols][part_mask]
            part = part.reshape(-1, template.shape[2] if template.ndim == 3 else 1)
            # Flat parts (background, a fill) carry no shape to compare.
            if len(part) >= 4 and float(part.std(axis=0).max()) >= _MIN_PART_CONTRAST:
                parts.append(_ncc(patch[rows, cols], template[rows, cols], part_mask))
    if len(parts) < 2:
        return whole
    return min(whole, (whole + max(0.0, min(parts))) / 2)


def _fit(
    grey: np.ndarray, ref: Reference, ref_grey: np.ndarray, peak: Peak, offset: float, sign: float,
    error: float,
) -> _Fit | None:
    """Grey correlation, place and size of the best fit near ``peak`` at one fine scale.

    Compared at a resolution where a scale error of ``error`` coarse steps
    moves the template's outer edges by at most :data:`MAX_EDGE_SHIFT`
    pixels, so a fit that far from the true scale still correlates.
    """
    height, width = ref_grey.shape
    scale = peak.scale * SCALE_STEP ** offset
    tw, th = round(width * scale), round(height * scale)
    # Search around the peak's centre: a copy at another scale shares its
    # centre, not its corner. The margin covers the coarse level's pixel.
    centre = peak.box(width, height).center
    margin = math.ceil(peak.level) + 2
    x0 = max(0, math.floor(centre[0] - tw / 2) - margin)
    y0 = max(0, math.floor(centre[1] - th / 2) - margin)
    x1 = min(grey.shape[1], math.ceil(centre[0] + tw / 2) + margin)
    y1 = min(grey.shape[0], math.ceil(centre[1] + th / 2) + margin)
    if min(tw, th) < MIN_REFERENCE_SIDE or x1 - x0 < tw or y1 - y0 < th:
        return None
    # Across, the outer edges move by the error times half the width; down, by half the height.
    shift = error * math.log(SCALE_STEP) / 2 / MAX_EDGE_SHIFT
    fx, fy = max(1.0, shift * tw), max(1.0, shift * th)
    size = (max(1, round(tw / fx)), max(1, round(th / fy)))
    window = grey[y0:y1, x0:x1]
    if size != (tw, th):
        window = resize(window, max(size[0], round((x1 - x0) / fx)), max(size[1], round((y1 - y0) / fy)))
    mask = None if ref.mask is None else resize_mask(ref.mask, *size)
    if min(size) < MIN_REFERENCE_SIDE or (mask is not None and not mask.any()):
        return None
    result = sign * _correlate(window, resize(ref_grey, *size), mask)
    _, value, _, (dx, dy) = cv2_module().minMaxLoc(result)
    return float(value), x0 + round(dx * fx), y0 + round(dy * fy), tw, th, scale


def _suppress_matches(matches: list[TemplateMatch]) -> list[TemplateMatch]:
    """Greedy non-maximum suppression over full-resolution matches, best first.

    Scores within 0.01 count as a tie, won by the scale nearer 1: a pattern
    that also matches itself shrunk (blocks, stripes) was most likely cut at
    the screen's own scale.
    """
    kept: list[TemplateMatch] = []
    for match in sorted(matches, key=lambda m: (-round(m.score, 2), abs(math.log(m.scale)), -m.score)):
        if all(match.box.iou(k.box) <= 0.3 and match.box.overlap_of_smaller(k.box) <= 0.6 for k in kept):
            kept.append(match)
    return kept


def _correlate(image: np.ndarray, template: np.ndarray, mask: np.ndarray | None) -> np.ndarray:
    cv2 = cv2_module()
    if mask is None:
        # Unmasked, OpenCV already scores flat windows 0.
        return cv2.matchTemplate(image, template, cv2.TM_CCOEFF_NORMED)
    result = cv2.matchTemplate(image, template, cv2.TM_CCOEFF_NORMED, mask=mask)
    # Under a mask, flat windows divide by zero; they match nothing.
    return np.nan_to_num(result, copy=False, nan=0.0, posinf=0.0, neginf=0.0)


def _ncc(patch: np.ndarray, template: np.ndarray, mask: np.ndarray | None) -> float:
    """Zero-mean normalised correlation over all channels (``TM_CCOEFF_NORMED`` at one place)."""
    channels = patch.shape[2] if patch.ndim == 3 else 1
    p = patch.reshape(-1, channels).astype(np.float64)
    t = template.reshape(-1, channels).astype(np.float64)
    if mask is not None:
        keep = mask.reshape(-1)
        p, t = p[keep], t[keep]
    p -= p.mean(axis=0)
    t -= t.mean(axis=0)
    denominator = math.sqrt(float((p * p).sum()) * float((t * t).sum()))
    return float((p * t).sum()) / denominator if denominator > 1e-9 else 0.0


def _contrast_ok(patch: np.ndarray, template: np.ndarray, mask: np.ndarray | None) -> bool:
    p, t = patch @ _LUMA, template @ _LUMA
    if mask is not None:
        if not mask.any():
            return False
        p, t = p[mask], t[mask]
    return bool(p.std() >= max(1.0, MIN_CONTRAST_RATIO * t.std()))
