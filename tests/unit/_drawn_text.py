"""Text drawn with OpenCV and the OCR line a reader would return for it, for tests that need no OCR model."""

from __future__ import annotations

import cv2
import numpy as np

from desktop.core.geometry import Box
from desktop.core.results import Candidate

__all__ = ["write"]

_FONT = cv2.FONT_HERSHEY_SIMPLEX


def write(img: np.ndarray, text: str, x: int, baseline: int, colour: tuple[int, int, int],
          scale: float = 0.6) -> Candidate:
    """Draw ``text`` and return the OCR line a reader would give for it (one part per word)."""
    parts = []
    cursor = x
    for word in text.split():
        (w, h), _ = cv2.getTextSize(word, _FONT, scale, 1)
        cv2.putText(img, word, (cursor, baseline), _FONT, scale, colour, 1, cv2.LINE_AA)
        parts.append((word, Box(cursor, baseline - h, cursor + w, baseline + 2)))
        cursor += w + int(0.35 * h)
    box = parts[0][1]
    for _, b in parts[1:]:
        box = box.union(b)
    return Candidate(box, text, "text", "ocr", 0.9, parts=tuple(parts))
