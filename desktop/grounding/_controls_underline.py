"""Tab bars whose selected tab is marked only by a coloured bar under it (Material, Fluent, many web apps).

No tab has a frame: the labels stand in a row and the selected one has a
short, thick bar of one colour below it, a little way under its text. That
bar is what tells the row from a table's header or a row of links. A link's
underline is no such bar: it is one or two pixels thin and hugs the
letters' baseline, so both the bar's thickness and its gap below the text
are required.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from desktop.core.geometry import Box
from desktop.grounding._controls_found import Found, TextLine
from desktop.grounding._controls_scene import Scene

__all__ = ["underlined_bar"]

#: As sure as a bar found by its frame.
_SCORE = 0.7
#: Colour distance (largest channel) from the label's background that makes a pixel part of a bar.
_CONTRAST = 40
#: Colour distance within which the bar's pixels share its colour.
_SAME = 24


def underlined_bar(row: Sequence[TextLine], scene: Scene) -> list[Found]:
    """The row's tabs when exactly one label has a tab indicator under it, else nothing.

    Parameters
    ----------
    row
        Labels standing on one level, left to right, spaced like tabs.
    scene
        The traced screenshot.

    Returns
    -------
    list of Found
        One ``tab`` per label, boxed from above its text down to the indicator's bottom.
    """
    h = float(np.median([ln.height for ln in row]))
    if any(_framed(ln.box, scene, h) for ln in row):
        return []  # a row of buttons: the default one's thick bottom edge is no indicator
    bars = [_indicator(ln.box, scene, h) for ln in row]
    marked = [(ln, b) for ln, b in zip(row, bars) if b is not None]
    if len(marked) != 1:
        return []  # none: a header or a row of words; several: links or a chart's legend
    label, bar = marked[0]
    pad_v = bar.y0 - label.box.y1
    top, bottom = label.box.y0 - pad_v, bar.y1
    # The indicator spans the selected tab or only its text; the others are as wide around their text.
    pad = max(label.box.x0 - bar.x0, bar.x1 - label.box.x1, 0.5 * h)
    out = []
    for ln in row:
        box = Box(ln.box.x0 - pad, max(top, 0), ln.box.x1 + pad, bottom)
        out.append(Found("tab", box.clip(scene.width, scene.height), _SCORE, text=ln.text))
    return out


def _framed(label: Box, scene: Scene, h: float) -> bool:
    """A side of a frame stands beside the label: a column of ink from above its text to below it."""
    y0, y1 = max(int(label.y0 - 0.3 * h), 0), min(int(label.y1 + 0.3 * h), scene.height)
    reach = int(1.5 * h)
    for lo, hi in ((max(int(label.x0) - reach, 0), int(label.x0)),
                   (int(np.ceil(label.x1)), min(int(np.ceil(label.x1)) + reach, scene.width))):
        if hi > lo and scene.ink[y0:y1, lo:hi].all(axis=0).any():
            return True
    return False


def _indicator(label: Box, scene: Scene, h: float) -> Box | None:
    """A thick bar of one colour a little below the label, about its width (the bar's box), else None."""
    img = scene.image
    x0, x1 = int(label.x0), int(np.ceil(label.x1))
    y_bg = max(int(label.y0) - 2, 0)
    background = np.median(img[y_bg, x0:x1].astype(np.int16), axis=0)
    lo, hi = int(label.y1), min(int(label.y1 + 1.6 * h) + 1, scene.height)
    if hi <= lo or x1 - x0 < 2:
        return None
    seg = img[lo:hi, x0:x1].astype(np.int16)
    colour = np.median(seg, axis=1)  # each row's main colour
    solid = (np.abs(seg - colour[:, None, :]).max(axis=2) <= _SAME).mean(axis=1) >= 0.9
    bar_rows = solid & (np.abs(colour - background).max(axis=1) >= _CONTRAST)
    hits = np.flatnonzero(bar_rows)
    if not len(hits):
        return None
    first = int(hits[0])
    thick = int(np.argmin(bar_rows[first:])) if not bar_rows[first:].all() else len(bar_rows) - first
    # A link's underline is thin and right under the letters; a tab's indicator neither.
    if thick < max(2, round(0.08 * h)) or thick > 0.4 * h or first < 0.15 * h:
        return None
    y0 = lo + first
    return _extent(scene, y0, y0 + thick, x0, x1, colour[first], label, h)


def _extent(scene: Scene, y0: int, y1: int, x0: int, x1: int, colour: np.ndarray, label: Box, h: float) -> Box | None:
    """The bar's box, following its colour left and right from under the label; None when far too wide."""
    mid = scene.image[(y0 + y1 - 1) // 2].astype(np.int16)
    same = np.abs(mid - colour).max(axis=1) <= _SAME
    left, right = x0, x1
    while left > 0 and same[left - 1]:
        left -= 1
    while right < scene.width and same[right]:
        right += 1
    if right - left > label.width + 4 * h:
        return None  # a rule or a slider's track under the row, not one tab's indicator
    return Box(left, y0, right, y1)
