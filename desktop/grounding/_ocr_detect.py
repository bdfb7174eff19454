"""Where text may be: the detector's probability map, computed only where the screen has content.

Most of a screenshot is flat background. The detector runs at ~0.6 Mpx on the
parts of the (downscaled) screenshot that have edges, with a margin of
context, and its map is assembled into one image-sized map. Its blobs then
become line regions through the pixel refinement in ``_ocr_layout``.
"""

from __future__ import annotations

from typing import Callable

import cv2
import numpy as np

from desktop.grounding._ocr_layout import Region, dedupe, refine

__all__ = ["det_scale", "detect_map", "regions_from_map", "content_rects", "thin_lines"]

#: Detector input is at most about this many pixels (a full-HD screen runs at
#: ~0.54 scale); 9 pt text (12 px glyphs) still gives a usable map at that size.
_DET_PIXELS = 600_000
_DET_MIN_SCALE = 0.5
_DB_THRESH = 0.3
#: Lower than RapidOCR's 0.5: 9 pt text at half scale gets weak, broken
#: responses (mean ~0.3), and the ink refinement and the recogniser's score
#: reject what is not text anyway.
_DB_BOX_THRESH = 0.25
_DB_UNCLIP = 1.6
#: Content tiles (detector pixels) and the context kept around them.
_TILE = 64
_HALO = 16
#: Above this share of content the whole image is one detector call.
_FULL_SHARE = 0.7


def det_scale(height: int, width: int) -> float:
    """Scale for the detector: below 1 only for large images, never below 0.5."""
    return float(min(1.0, max(_DET_MIN_SCALE, (_DET_PIXELS / max(1, height * width)) ** 0.5)))


def detect_map(detect: Callable[[np.ndarray], np.ndarray], image: np.ndarray) -> tuple[np.ndarray, float]:
    """The detector's text probability map at detector scale, and that scale.

    ``detect`` maps an RGB image with sides that are multiples of 32 to its
    probability map. It is called once per content rectangle.
    """
    h, w = image.shape[:2]
    scale = det_scale(h, w)
    rh, rw = max(1, round(h * scale)), max(1, round(w * scale))
    small = image if (rh, rw) == (h, w) else cv2.resize(image, (rw, rh), interpolation=cv2.INTER_AREA)
    prob = np.zeros((rh, rw), np.float32)
    for x0, y0, x1, y1 in content_rects(small):
        tile = small[y0:y1, x0:x1]
        if float(np.median(tile[::4, ::4])) < 100:
            # The detector finds far more of a dark theme's small light text
            # once inverted (dark text on light, like most of its training).
            tile = 255 - tile
        tile = _pad32(tile)
        out = detect(tile)[: y1 - y0, : x1 - x0]
        np.maximum(prob[y0:y1, x0:x1], out, out=prob[y0:y1, x0:x1])
    return prob, scale


def content_rects(small: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Rectangles (with context) covering every tile that has edges other than long straight lines."""
    h, w = small.shape[:2]
    grad = cv2.morphologyEx(small, cv2.MORPH_GRADIENT, np.ones((3, 3), np.uint8)).max(axis=2)
    edges = (grad > 24).astype(np.uint8)
    edges &= 1 - thin_lines(edges, 25, 5)
    th, tw = -(-h // _TILE), -(-w // _TILE)
    padded = np.zeros((th * _TILE, tw * _TILE), np.uint8)
    padded[:h, :w] = edges
    grid = padded.reshape(th, _TILE, tw, _TILE).max(axis=(1, 3))
    if grid.mean() > _FULL_SHARE:
        return [(0, 0, w, h)]
    n, _, stats, _ = cv2.connectedComponentsWithStats(grid, connectivity=8)
    rects = []
    for gx, gy, gw, gh, _ in stats[1:]:
        rects.append((max(0, gx * _TILE - _HALO), max(0, gy * _TILE - _HALO),
                      min(w, (gx + gw) * _TILE + _HALO), min(h, (gy + gh) * _TILE + _HALO)))
    rects = _merge_overlapping(rects)
    if sum((x1 - x0) * (y1 - y0) for x0, y0, x1, y1 in rects) > _FULL_SHARE * w * h:
        return [(0, 0, w, h)]
    return rects


def thin_lines(edges: np.ndarray, length: int, thick: int) -> np.ndarray:
    """Edge pixels on long straight lines thinner than ``thick`` (frames, separators, rules).

    At reduced scale a line of text is a long bar too, but a thick one, so
    only thin runs count as lines.
    """
    out = np.zeros_like(edges)
    for long, wide in (((1, length), (thick, length)), ((length, 1), (length, thick))):
        lines = np.asarray(cv2.morphologyEx(edges, cv2.MORPH_OPEN, np.ones(long, np.uint8)), np.uint8)
        bars = np.asarray(cv2.morphologyEx(edges, cv2.MORPH_OPEN, np.ones(wide, np.uint8)), np.uint8)
        out |= lines & (1 - bars)
    return out


def _merge_overlapping(rects: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Union rectangles that overlap until none do (each pixel then runs through the detector once)."""
    merged = True
    while merged:
        merged = False
        out: list[tuple[int, int, int, int]] = []
        for r in rects:
            for k, o in enumerate(out):
                if r[0] < o[2] and o[0] < r[2] and r[1] < o[3] and o[1] < r[3]:
                    out[k] = (min(r[0], o[0]), min(r[1], o[1]), max(r[2], o[2]), max(r[3], o[3]))
                    merged = True
                    break
            else:
                out.append(r)
        rects = out
    return rects


def _pad32(tile: np.ndarray) -> np.ndarray:
    """Pad (edge colours) to sides that are multiples of 32, as the detector needs."""
    h, w = tile.shape[:2]
    ph, pw = -(-max(h, 32) // 32) * 32, -(-max(w, 32) // 32) * 32
    if (ph, pw) == (h, w):
        return np.ascontiguousarray(tile)
    return cv2.copyMakeBorder(tile, 0, ph - h, 0, pw - w, cv2.BORDER_REPLICATE)


def regions_from_map(image: np.ndarray, prob: np.ndarray, scale: float) -> list[Region]:
    """Line regions from the detector's probability map (DB post-processing, axis-aligned)."""
    h, w = image.shape[:2]
    mask = cv2.dilate((prob > _DB_THRESH).astype(np.uint8), np.ones((2, 2), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=4)
    if n <= 1:
        return []
    mean = np.bincount(labels.ravel(), weights=prob.ravel(), minlength=n) / np.maximum(stats[:, 4], 1)
    found: list[Region] = []
    for i in np.flatnonzero(mean >= _DB_BOX_THRESH):
        x, y, bw, bh, _ = (int(v) for v in stats[i])
        if i == 0 or min(bw, bh) < 2:
            continue
        # DB's unclip distance, and at least the blob's height: small text
        # gives thin blobs; the ink decides where the line really ends.
        d = max(bw * bh * _DB_UNCLIP / (2 * (bw + bh)), bh + 1)
        outer = _scaled((x - d, y - d, x + bw + d, y + bh + d), scale, w, h)
        core = _scaled((x, y, x + bw, y + bh), scale, w, h)
        found.extend(refine(image, outer, core))
    return dedupe(found)


def _scaled(box: tuple[float, float, float, float], scale: float, w: int, h: int) -> tuple[int, int, int, int]:
    x0, y0, x1, y1 = (v / scale for v in box)
    return (int(max(0, np.floor(x0))), int(max(0, np.floor(y0))),
            int(min(w, np.ceil(x1))), int(min(h, np.ceil(y1))))
