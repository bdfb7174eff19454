"""Launchers and task buttons on a desktop panel: the flat strip along the screen's top or bottom edge.

Taskbars and panels (Windows, KDE, Xfce, GNOME's top bar) draw their
entries flat: a word on the strip, no frame until the pointer hovers. The
frame detector therefore finds nothing there, and OCR alone offers the word
as plain text, level with the same word in a window title. But every entry
of a panel is a button: clicking it opens, raises or minimises something,
while a window title does nothing. Naming them ``button`` lets "click the
Mail button" prefer the panel's entry.

A panel is told apart by its strip and its clock: one flat colour edge to
edge across the whole width, a few text heights tall, ending in a border or
a clear change to what lies beyond (the wallpaper or a window), holding at
least two separate entries, one of them the time of day. The clock is what
every desktop panel shows and what a web page's navigation bar, a window's
status bar or its title bar do not; a menu bar's titles are claimed as
menus first.
"""

from __future__ import annotations

import re
from typing import Sequence

import numpy as np

from desktop.core.geometry import Box
from desktop.core.results import Candidate
from desktop.grounding._controls_found import Found, TextLine
from desktop.grounding._controls_text import text_lines

__all__ = ["find_panel_items"]

#: Grey levels within which a pixel counts as the strip's own colour.
_TOLERANCE = 12
#: Share of a row in the strip's colour: text and icons cover the rest.
_FLAT_ROW = 0.6
#: Share of a column's height in the strip's colour, and share of columns that must have it.
_FLAT_COLUMN = 0.3
_FULL_WIDTH = 0.97
#: Beyond the strip, at most this share of a row may still be in its colour.
_BEYOND_ROW = 0.4
#: A row this far below the strip's share is a border line drawn along it.
_BORDER_ROW = 0.1
#: The panel's clock: 9:17, 17:01, 5:28 PM (OCR may split the hour's digits).
_CLOCK = re.compile(r"(?<!\d)\d{1,2}[:：.]\d{2}(?!\d)")
#: A panel entry is a button without a frame: less sure than a framed one.
_SCORE = 0.6


def find_panel_items(texts: Sequence[Candidate], gray: np.ndarray, occupied: Sequence[Box] = ()) -> list[Found]:
    """Entries of panels along the image's top and bottom edges, as buttons.

    Parameters
    ----------
    texts
        OCR text candidates on the image.
    gray
        ``(H, W)`` grey-level image.
    occupied
        Controls already found (framed buttons, menu titles): their text is theirs.

    Returns
    -------
    list of Found
        One ``button`` per entry, boxed from the entry's text to the strip's height.
    """
    lines = [ln for ln in text_lines(texts) if _wordlike(ln.text)
             and not any(b.overlap_of_smaller(ln.box) > 0.3 for b in occupied)]
    out: list[Found] = []
    for bottom in (False, True):
        band = _strip(gray, bottom)
        if band is not None:
            out.extend(_entries(lines, band, gray.shape[1]))
    return out


def _strip(gray: np.ndarray, bottom: bool) -> tuple[int, int] | None:
    """Rows ``(y0, y1)`` of a flat full-width strip at one edge that ends in a clear change, else None."""
    height = gray.shape[0]
    reach = min(max(int(0.1 * height), 40), height // 3)
    rows = gray[::-1][:reach + 10] if bottom else gray[:reach + 10]
    if rows.shape[0] < reach + 10:
        return None
    ref = float(np.median(rows[:2]))
    same = np.abs(rows.astype(np.int16) - int(round(ref))) <= _TOLERANCE
    flat = same.mean(axis=1)
    thick = int(np.argmin(flat >= _FLAT_ROW)) if not flat.all() else len(flat)
    if thick < 16 or thick > reach:
        return None  # too thin for a row of entries, or the whole window's background
    # Edge to edge: every column is the strip's colour for some of its height (text and icons
    # cover the rest); a bar short of the width is a window's or a page's, not the screen's.
    if (same[:thick].mean(axis=0) >= _FLAT_COLUMN).mean() < _FULL_WIDTH:
        return None
    # A border line drawn along the strip ends it; without one the colour must change beyond it.
    if flat[thick] > _BORDER_ROW and flat[thick + 2:thick + 8].mean() >= _BEYOND_ROW:
        return None
    return (height - thick, height) if bottom else (0, thick)


def _entries(lines: Sequence[TextLine], band: tuple[int, int], width: int) -> list[Found]:
    """The strip's entries: two or more separate names standing inside it, one a clock, with room around them."""
    y0, y1 = band
    inside = sorted((ln for ln in lines if y0 <= ln.box.y0 and ln.box.y1 <= y1), key=lambda ln: ln.box.x0)
    if len(inside) < 2 or not any(_CLOCK.search(ln.text.replace(" ", "")) for ln in inside):
        return []
    h = float(np.median([ln.height for ln in inside]))
    if y1 - y0 < 1.6 * h:
        return []  # text filling the strip is a line of a page cut by the edge, not a panel
    if any(b.box.x0 - a.box.x1 < 1.2 * h for a, b in zip(inside, inside[1:])):
        return []  # words at sentence spacing: a status line, not separate entries
    pad = 0.6 * h
    return [Found("button", Box(max(ln.box.x0 - pad, 0), y0 + 1, min(ln.box.x1 + pad, width), y1 - 1),
                  _SCORE, text=ln.text.strip()) for ln in inside]


def _wordlike(text: str) -> bool:
    """An entry's name: two letters or digits at least (a clock's 9:17 counts), not an icon read as a glyph."""
    return sum(ch.isalnum() for ch in text) >= 2
