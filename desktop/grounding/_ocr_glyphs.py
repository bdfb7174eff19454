"""Isolated operator keys the recogniser cannot read: "−", "=" and "÷" from their shapes.

Alone on a calculator key, a minus sign is one flat bar, which the
recogniser reads as "一", "1" or nothing; "=" becomes "二" and "÷" a "+".
Their shapes are unambiguous, so a few rules on the ink's connected
components name them instead.
"""

from __future__ import annotations

import cv2
import numpy as np

__all__ = ["CONFUSED", "operator_symbol"]

#: What the recogniser says (or "" for nothing) when a lone operator is really there.
CONFUSED = frozenset({"", "一", "-", "_", "—", "–", "1", "I", "l", "|", "丨", "二", "=", "Ⅱ", "〓",
                      "+", "十", "÷", "·", ".", ":", "："})


def operator_symbol(ink: np.ndarray) -> str | None:
    """``"-"``, ``"="`` or ``"÷"`` when the ink of an isolated glyph has that shape, else ``None``."""
    h, w = ink.shape
    if h == 0 or w == 0 or h > 120 or w > 120:
        return None
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    parts = sorted((tuple(int(v) for v in s) for s in stats[1:] if s[4] >= 2), key=lambda s: s[1])
    bars = [p for p in parts if _bar(p)]
    if len(parts) == 1 and len(bars) == 1:
        return "-"
    if len(parts) == 2 and len(bars) == 2 and _stacked(*bars):
        return "="
    if len(parts) == 3 and len(bars) == 1 and parts[1] == bars[0]:
        top, bar, bottom = parts
        if _dot(top, bar) and _dot(bottom, bar):
            return "÷"
    return None


def _bar(part: tuple[int, ...]) -> bool:
    """A solid horizontal stroke: at least 2.5 times as wide as tall, nearly filled."""
    _, _, w, h, area = part
    return w >= 5 and w >= 2.5 * h and area >= 0.75 * w * h


def _stacked(a: tuple[int, ...], b: tuple[int, ...]) -> bool:
    """Two bars of similar width, one above the other, lined up."""
    ax, ay, aw, ah, _ = a
    bx, by, bw, bh, _ = b
    overlap = min(ax + aw, bx + bw) - max(ax, bx)
    return 0.7 <= aw / bw <= 1.4 and overlap >= 0.7 * min(aw, bw) and by >= ay + ah


def _dot(dot: tuple[int, ...], bar: tuple[int, ...]) -> bool:
    """A small compact blob centred over or under the bar."""
    dx, dy, dw, dh, _ = dot
    bx, _, bw, _, _ = bar
    centre = dx + dw / 2
    return max(dw, dh) <= 0.5 * bw and 0.5 <= dw / max(1, dh) <= 2 and abs(centre - (bx + bw / 2)) <= 0.2 * bw
