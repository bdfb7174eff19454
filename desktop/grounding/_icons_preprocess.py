"""Turn a screen crop into the icon model's input: a polarity-free, tightly framed ink map.

Training and inference share this one function, so what the model sees in
training is exactly what it sees on a screen. The background colour is
taken from the crop's border and the "ink" is how far each pixel is from it,
which makes a white icon on a blue button and a black icon on a white
toolbar the same input: colour and dark mode stop mattering.
"""

from __future__ import annotations

import cv2
import numpy as np

__all__ = ["INPUT_SIZE", "ink_map", "prepare_crops"]

INPUT_SIZE = 32
_INK_FLOOR = 10.0      # below this contrast (0–255) a crop holds nothing drawn (faint title-bar buttons are 13)
_BBOX_THRESHOLD = 0.25  # ink (relative) that counts for the tight frame
_MARGIN = 0.08          # border kept around the ink, as a fraction of its size


def ink_map(crop: np.ndarray) -> np.ndarray | None:
    """Ink in [0, 1] of an RGB ``uint8`` crop, or None when the crop is (nearly) blank."""
    if crop.ndim != 3 or crop.shape[0] < 3 or crop.shape[1] < 3:
        return None
    pixels = crop.astype(np.int16)
    border = np.concatenate([pixels[0], pixels[-1], pixels[:, 0], pixels[:, -1]])
    background = np.median(border, axis=0)
    diff = np.abs(pixels - background).max(axis=2).astype(np.float32)
    peak = float(diff.max())
    if peak < _INK_FLOOR:
        return None
    return diff / peak


def _frame(ink: np.ndarray, size: int) -> np.ndarray:
    ys, xs = np.nonzero(ink > _BBOX_THRESHOLD)
    y0, y1, x0, x1 = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
    ink = ink[y0:y1, x0:x1]
    h, w = ink.shape
    side = int(round(max(h, w) * (1.0 + 2 * _MARGIN))) + 1
    canvas = np.zeros((side, side), np.float32)
    top, left = (side - h) // 2, (side - w) // 2
    canvas[top:top + h, left:left + w] = ink
    interp = cv2.INTER_AREA if side > size else cv2.INTER_LINEAR
    return cv2.resize(canvas, (size, size), interpolation=interp)


def prepare_crops(crops: list[np.ndarray], size: int = INPUT_SIZE) -> tuple[np.ndarray, np.ndarray]:
    """Model inputs ``(N, 1, size, size)`` float32 and a mask of which crops held ink."""
    out = np.zeros((len(crops), 1, size, size), np.float32)
    valid = np.zeros(len(crops), bool)
    for i, crop in enumerate(crops):
        ink = ink_map(crop)
        if ink is None:
            continue
        out[i, 0] = _frame(ink, size)
        valid[i] = True
    return out, valid
