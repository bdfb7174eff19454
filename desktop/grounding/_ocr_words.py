"""Word boxes inside a recognised line, from the recogniser's character positions and the ink.

The recogniser says roughly where each character is (one CTC time step is 8
input columns, a few screen pixels); the ink says exactly where glyphs start
and stop. A word break is placed in the widest empty column run between two
words' characters, and each word's box is then the ink between its breaks,
so "click Save" lands on "Save" in a toolbar line "Open Save Print" and an
icon left of a label does not stretch the label's box.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from desktop.core.geometry import Box

__all__ = ["LineWords", "is_wide_char", "split_words"]

#: An empty gap this many line heights wide between two characters is a word
#: space even when the recogniser emitted none (monospace letter gaps stay below it).
_SPACE_GAP = 0.55
#: What a radio ring or check box tends to be read as.
_MARK_LOOKALIKES = frozenset("Oo0〇○◯口□■●◉◎⊙©®☐☑☒回日")


@dataclass(frozen=True)
class LineWords:
    """A line's text (spaces repaired), its tight box and its word boxes."""

    text: str
    box: Box
    parts: tuple[tuple[str, Box], ...]


def is_wide_char(ch: str) -> bool:
    """CJK ideographs, kana, hangul and full-width forms: scripts with no spaces between words."""
    o = ord(ch)
    return (0x3000 <= o <= 0x30FF or 0x3400 <= o <= 0x4DBF or 0x4E00 <= o <= 0x9FFF
            or 0xAC00 <= o <= 0xD7AF or 0xF900 <= o <= 0xFAFF or 0xFF00 <= o <= 0xFFEF)


def split_words(chars: tuple[tuple[str, float, float], ...], ink: np.ndarray,
                origin: tuple[int, int]) -> LineWords | None:
    """Group characters into words and box each one.

    Parameters
    ----------
    chars
        ``(character, x, probability)`` with ``x`` in the line's own columns
        (0 is the left edge of ``ink``).
    ink
        Boolean ink of the line's tight box, shape ``(height, width)``.
    origin
        Image coordinates of ``ink[0, 0]``.

    Returns
    -------
    LineWords or None
        ``None`` when no visible character was read.
    """
    h, w = ink.shape
    cols = np.asarray(ink.any(axis=0))
    tokens, spaced = _tokens(chars, cols, _space_gap(cols, h))
    if not tokens:
        return None
    centres = [[min(max(x, 0.0), w - 1.0) for _, x in tok] for tok in tokens]
    pitch = _pitch(centres, h)
    bounds = [max(0.0, centres[0][0] - pitch)]
    for left, right in zip(centres, centres[1:]):
        bounds.append(_break(cols, left[-1], right[0]))
    bounds.append(min(float(w), centres[-1][-1] + pitch))
    ox, oy = origin
    parts: list[tuple[str, Box]] = []
    for k, tok in enumerate(tokens):
        a, b = int(round(bounds[k])), int(round(bounds[k + 1]))
        x0, x1, y0, y1 = _ink_extent(ink, cols, a, b, grow_left=k == 0, grow_right=k == len(tokens) - 1)
        parts.append(("".join(c for c, _ in tok), Box(ox + x0, oy + y0, ox + x1, oy + y1)))
    keep = _drop_control_marks(parts)
    parts = [parts[k] for k in keep]
    box = parts[0][1]
    for _, other in parts[1:]:
        box = box.union(other)
    text = parts[0][0]
    for k, (word, _) in zip(keep[1:], parts[1:]):
        text += (" " if spaced[k] else "") + word
    return LineWords(text, box, tuple(parts))


def _tokens(chars: tuple[tuple[str, float, float], ...], cols: np.ndarray,
            space_gap: float) -> tuple[list[list[tuple[str, float]]], list[bool]]:
    """Words (runs of non-space characters) and single wide characters, in order.

    Also returns, per token, whether a space precedes it. A space the
    recogniser missed is restored where the ink between two characters has a
    gap at least ``space_gap`` columns wide.
    """
    tokens: list[list[tuple[str, float]]] = []
    spaced_before: list[bool] = []
    current: list[tuple[str, float]] = []
    spaced = False
    for ch, x, _ in chars:
        if ch.isspace():
            spaced = True
            continue
        gap = bool(current) and _empty_run(cols, current[-1][1], x) >= space_gap
        if current and (spaced or gap or is_wide_char(ch) or is_wide_char(current[-1][0])):
            tokens.append(current)
            current = []
            spaced_before.append(spaced or gap)
        current.append((ch, x))
        spaced = False
    if current:
        tokens.append(current)
    return tokens, [False] + spaced_before
def _space_gap(cols: np.ndarray, h: int) -> float:
    """Narrowest ink gap that reads as a word space in this line.

    Twice the line's typical letter gap, kept between 0.3 and 0.55 line
    heights: proportional fonts have letter gaps of a pixel or two and word
    gaps of ~0.4 em; monospace letter gaps reach ~0.3 em.
    """
    edges = np.flatnonzero(np.diff(np.concatenate(([0], cols.astype(np.int8), [0]))))
    gaps = edges[2::2] - edges[1:-1:2]
    typical = float(np.median(gaps)) if gaps.size else 0.0
    return max(2.0, min(max(0.3 * h, 2 * typical + 1), _SPACE_GAP * h))


def _drop_control_marks(parts: list[tuple[str, Box]]) -> list[int]:
    """Indices of the parts to keep: not a radio ring or check box read as "O"/"口" at either end.

    The mark is taller than the label's letters (it reaches above the capitals
    and below the baseline), which is what tells it from a real "O".
    """
    keep = list(range(len(parts)))
    for end in (0, -1):
        if len(keep) < 2:
            break
        word, box = parts[keep[end]]
        others = keep[1:] if end == 0 else keep[:-1]
        if word in _MARK_LOOKALIKES and box.height >= 1.15 * max(parts[k][1].height for k in others):
            keep = others
    return keep


def _pitch(centres: list[list[float]], h: int) -> float:
    """Typical distance between neighbouring character centres (a character's width)."""
    steps = [b - a for tok in centres for a, b in zip(tok, tok[1:]) if b > a]
    return float(np.median(steps)) if steps else 0.6 * h


def _empty_run(cols: np.ndarray, a: float, b: float) -> int:
    """Width of the widest run of empty columns strictly between two positions."""
    lo, hi = int(np.ceil(a)), int(np.floor(b))
    best, run = 0, 0
    for filled in cols[lo:hi]:
        run = 0 if filled else run + 1
        best = max(best, run)
    return best


def _break(cols: np.ndarray, a: float, b: float) -> float:
    """Middle of the widest empty column run between two characters, else their midpoint."""
    lo, hi = int(np.ceil(a)), int(np.floor(b))
    if hi <= lo:
        return (a + b) / 2
    seg = np.concatenate(([1], cols[lo:hi].astype(np.int8), [1]))
    edges = np.flatnonzero(np.diff(seg))
    if edges.size < 2:
        return (a + b) / 2
    starts, ends = edges[::2], edges[1::2]
    k = int(np.argmax(ends - starts))
    return lo + (starts[k] + ends[k]) / 2


def _ink_extent(ink: np.ndarray, cols: np.ndarray, a: int, b: int, *, grow_left: bool,
                grow_right: bool) -> tuple[int, int, int, int]:
    """Tight ink box of columns ``[a, b)``; at the line's ends, grown through touching ink."""
    w = cols.size
    a, b = max(0, min(a, w - 1)), max(1, min(b, w))
    if b <= a:
        b = a + 1
    filled = np.flatnonzero(cols[a:b])
    if filled.size == 0:
        x0, x1 = a, b
    else:
        x0, x1 = a + int(filled[0]), a + int(filled[-1]) + 1
    if grow_left:
        while x0 > 0 and cols[x0 - 1]:
            x0 -= 1
    if grow_right:
        while x1 < w and cols[x1]:
            x1 += 1
    rows = np.flatnonzero(ink[:, x0:x1].any(axis=1))
    if rows.size == 0:
        return x0, x1, 0, ink.shape[0]
    return x0, x1, int(rows[0]), int(rows[-1]) + 1
