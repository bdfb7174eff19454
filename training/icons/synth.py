"""Heavy augmentation: a 64 px coverage mask → a screen-like RGB crop, as a proposal would cut it.

Sizes 12–64 px, light/dark/coloured backgrounds, coloured buttons with
rounded corners, 1 px frames, padding and offset, HiDPI scale factors, blur,
JPEG and noise. The crop box is jittered the way image proposals are.
"""

from __future__ import annotations

import cv2
import numpy as np

__all__ = ["synth_crop"]


def _lum(c: np.ndarray) -> float:
    return float(0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2])


def _colours(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(page, button, glyph) colours with enough contrast between button and glyph."""
    mode = rng.random()
    if mode < 0.45:        # light theme
        page = rng.integers(225, 256, 3) if rng.random() < 0.8 else rng.integers(180, 256, 3)
    elif mode < 0.8:       # dark theme
        page = rng.integers(15, 70, 3)
    else:                  # tinted / coloured surface
        page = rng.integers(0, 256, 3)
    button = page.copy()
    if rng.random() < 0.3:  # coloured or shaded button behind the icon
        button = rng.integers(0, 256, 3) if rng.random() < 0.6 else np.clip(page + rng.integers(-40, 41), 0, 255)
    for _ in range(20):
        if rng.random() < 0.6:
            base = 255 if _lum(button) < 128 else 0      # near-white on dark, near-black on light
            glyph = np.full(3, base) + rng.integers(-60, 61, 3)
        else:
            glyph = rng.integers(0, 256, 3)
        glyph = np.clip(glyph, 0, 255)
        if abs(_lum(glyph) - _lum(button)) > 70:
            break
    else:
        glyph = np.zeros(3) if _lum(button) > 127 else np.full(3, 255)
    return page.astype(np.float32), button.astype(np.float32), glyph.astype(np.float32)


def _glyph(mask: np.ndarray, size: int, rng: np.random.Generator) -> np.ndarray:
    alpha = cv2.resize(mask, (size, size), interpolation=cv2.INTER_AREA).astype(np.float32) / 255.0
    if rng.random() < 0.15:   # crisp, un-antialiased rendering (old toolkits, nearest scaling)
        alpha = (alpha > 0.5).astype(np.float32)
    return alpha


def _compose(mask: np.ndarray, rng: np.random.Generator,
             min_size: int = 12) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    size = int(np.exp(rng.uniform(np.log(min_size), np.log(64))))
    alpha = _glyph(mask, size, rng)
    page, button, glyph = _colours(rng)
    pad = int(rng.integers(2, max(3, size // 2) + 1))
    side = size + 2 * pad + 8
    img = np.empty((side, side, 3), np.float32)
    img[:] = page
    b0, b1 = 4 + int(rng.integers(0, 3)), side - 4 - int(rng.integers(0, 3))
    box = (4, 4, side - 4, side - 4)
    framed = rng.random()
    if not np.array_equal(button, page) or framed < 0.25:
        radius = int(rng.integers(0, max(1, (b1 - b0) // 2)))
        cv2.rectangle(img, (b0, b0), (b1 - 1, b1 - 1), button.tolist(), -1)
        if radius > 1:  # rounded corners: page colour shows at the corners of the crop
            _round_corners(img, b0, b1, radius, page)
        if framed < 0.25:
            edge = np.clip(button - rng.integers(30, 90), 0, 255) if _lum(button) > 90 else np.clip(button + rng.integers(30, 90), 0, 255)
            cv2.rectangle(img, (b0, b0), (b1 - 1, b1 - 1), edge.tolist(), 1)
        box = (b0, b0, b1, b1)
    off = pad + 4 + rng.integers(-pad // 3, pad // 3 + 1, 2) if pad >= 3 else np.array([pad + 4, pad + 4])
    y, x = int(off[0]), int(off[1])
    region = img[y:y + size, x:x + size]
    a = alpha[:, :, None]
    img[y:y + size, x:x + size] = region * (1 - a) + glyph * a
    if not (box != (4, 4, side - 4, side - 4) and rng.random() < 0.6):
        m = int(rng.integers(0, pad + 1))
        box = (x - m, y - m, x + size + m, y + size + m)   # a proposal around the glyph itself
    return img, box


def _round_corners(img: np.ndarray, b0: int, b1: int, r: int, page: np.ndarray) -> None:
    yy, xx = np.mgrid[0:r, 0:r]
    outside = (xx - r + 0.5) ** 2 + (yy - r + 0.5) ** 2 > r * r
    for sy, sx in ((slice(b0, b0 + r), slice(b0, b0 + r)), (slice(b0, b0 + r), slice(b1 - r, b1)),
                   (slice(b1 - r, b1), slice(b0, b0 + r)), (slice(b1 - r, b1), slice(b1 - r, b1))):
        block = img[sy, sx]
        o = outside
        if sx.start != b0:
            o = o[:, ::-1]
        if sy.start != b0:
            o = o[::-1]
        block[o] = page


def synth_crop(mask: np.ndarray, rng: np.random.Generator, min_size: int = 12) -> np.ndarray:
    """One augmented RGB ``uint8`` crop of the ``mask`` (64×64 coverage), drawn at ``min_size``–64 px.

    ``min_size`` keeps hairline negatives (a table rule) from shrinking
    into something an icon could be (a minimize bar).
    """
    if not 1 <= min_size <= 64:
        raise ValueError(f"min_size must be within 1..64, not {min_size}")
    img, (x0, y0, x1, y1) = _compose(mask, rng, min_size)
    if rng.random() < 0.25:   # HiDPI / zoomed screenshots
        f = float(rng.choice([0.75, 1.25, 1.5, 2.0]))
        img = cv2.resize(img, None, fx=f, fy=f, interpolation=cv2.INTER_LINEAR)
        x0, y0, x1, y1 = (int(round(v * f)) for v in (x0, y0, x1, y1))
    if rng.random() < 0.2:
        img = cv2.GaussianBlur(img, (0, 0), float(rng.uniform(0.4, 1.0)))
    if rng.random() < 0.15:
        img = img + rng.normal(0, rng.uniform(1, 6), img.shape).astype(np.float32)
    j = rng.integers(-2, 3, 4)
    h, w = img.shape[:2]
    x0, y0 = max(0, x0 + int(j[0])), max(0, y0 + int(j[1]))
    x1, y1 = min(w, x1 + int(j[2])), min(h, y1 + int(j[3]))
    crop = np.clip(img[y0:y1, x0:x1], 0, 255).astype(np.uint8)
    if rng.random() < 0.2:
        ok, buf = cv2.imencode(".jpg", crop, [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(35, 90))])
        if ok:
            crop = cv2.imdecode(buf, cv2.IMREAD_COLOR)
    return crop
