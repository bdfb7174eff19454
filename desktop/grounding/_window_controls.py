"""A window's own buttons: close, maximize and minimize at the end of its title bar.

The icon model cannot tell a window's close button from a text field's
clear "×": the glyphs are the same. Their context is not. A window's
buttons sit in a row at the end of its title bar or header bar, the close
"×" last, with a maximize "□" and/or a minimize "−" or "_" just before
it, near the top edge of the window. This module finds that row among the
icon proposals by the glyphs' shapes alone (GTK header bars, Qt/KDE and
Windows-style title bars; macOS traffic lights are not handled), so the
icon source can offer them as buttons named "close", "maximize",
"minimize": an exact name, which outranks the model's equal mass on both "×".
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Sequence

import cv2
import numpy as np

from desktop.core.geometry import Box
from desktop.core.results import Candidate

__all__ = ["WindowControl", "find_window_controls", "glyph_kind", "window_control_candidates", "as_clear_buttons",
           "known_controls", "CONTROL_NAMES", "CONTROL_LOOKS"]

#: A glyph's ink stands this far (0–255 gray) from its button's background at least;
#: dark title bars draw their buttons barely brighter than the bar.
_MIN_CONTRAST = 8
_MIN_SIDE, _MAX_SIDE = 5, 64
#: Neighbours in the row: the gap to the next button at most this many of the ×'s side.
_MAX_GAP = 3.0
#: The window's top edge is at most this many button heights above the row.
_TOP_EDGE_REACH = 1.5
#: A row of − □ × at a window's top edge is hardly ever anything else, but its name is the
#: evidence, not this score: with no words asked ("click Menu", "click a button") the score
#: alone ranks, and a window's close button must not outrank labelled controls there.
_SCORE = 0.6
_DESCRIPTIONS = {"close": "close window x exit", "maximize": "maximize window restore",
                 "minimize": "minimize window iconify"}
#: What each control found by its context is called: a phrase that says one of these asks for it.
CONTROL_NAMES = {"close": ("close", "exit"), "maximize": ("maximize", "maximise", "restore"),
                 "minimize": ("minimize", "minimise", "iconify"), "clear": ("clear", "clear text", "erase")}
#: Words that describe the glyph, not what it does ("the x", "the square"): fair for the control, no more.
CONTROL_LOOKS = {"close": ("x", "cross", "quit"), "maximize": ("square", "fullscreen"),
                 "minimize": ("minus", "dash", "line"), "clear": ("x", "cross", "delete")}


@dataclass(frozen=True)
class WindowControl:
    """One window button: ``kind`` is ``close``, ``maximize`` or ``minimize``."""

    box: Box
    kind: str


def _gray(image: np.ndarray) -> np.ndarray:
    """``image`` in gray (OpenCV's conversion: a full-HD mean in numpy took 20 ms)."""
    return cv2.cvtColor(image, cv2.COLOR_RGB2GRAY) if image.ndim == 3 else image


def _ink(gray: np.ndarray, box: Box) -> np.ndarray | None:
    """The glyph's pixels inside ``box`` (True = ink), read against the box's border colour."""
    h, w = gray.shape
    x0, y0 = max(0, int(box.x0) - 1), max(0, int(box.y0) - 1)
    x1, y1 = min(w, int(np.ceil(box.x1)) + 1), min(h, int(np.ceil(box.y1)) + 1)
    crop = gray[y0:y1, x0:x1].astype(np.int16)
    if crop.shape[0] < _MIN_SIDE or crop.shape[1] < _MIN_SIDE:
        return None
    ring = np.concatenate([crop[0], crop[-1], crop[:, 0], crop[:, -1]])
    diff = np.abs(crop - int(np.median(ring)))
    top = int(diff.max())
    if top < _MIN_CONTRAST:
        return None
    # Half the strongest contrast: anti-aliased edges of a thin stroke stay out.
    return diff >= max(_MIN_CONTRAST, top // 2)


def _trim(mask: np.ndarray) -> np.ndarray:
    """``mask`` cut to its ink's bounding box."""
    rows, cols = np.nonzero(mask.any(axis=1))[0], np.nonzero(mask.any(axis=0))[0]
    if rows.size == 0:
        return mask[:0, :0]
    return mask[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]


def _sides_covered(mask: np.ndarray, fraction: float = 0.8) -> bool:
    """Whether ink runs along most of all four sides of ``mask`` (an outline or a frame)."""
    t = 2 if min(mask.shape) >= 8 else 1
    sides = (mask[:t].any(axis=0), mask[-t:].any(axis=0), mask[:, :t].any(axis=1), mask[:, -t:].any(axis=1))
    return all(side.mean() >= fraction for side in sides)


def _inside(mask: np.ndarray) -> np.ndarray:
    """What a frame holds: ``mask`` without its full outer rows and columns and one pixel more
    (rounded corners leave a pixel there)."""
    full_rows, full_cols = mask.mean(axis=1) >= 0.8, mask.mean(axis=0) >= 0.8

    def lead(flags: np.ndarray) -> int:
        return int(np.argmin(flags)) if not flags.all() else flags.size

    top, bottom = lead(full_rows) + 1, lead(full_rows[::-1]) + 1
    left, right = lead(full_cols) + 1, lead(full_cols[::-1]) + 1
    return mask[top:max(top, mask.shape[0] - bottom), left:max(left, mask.shape[1] - right)]


def _on_line(mask: np.ndarray, ys: np.ndarray, xs: np.ndarray) -> float:
    """The share of points (``ys``, ``xs``) with ink within a pixel (a stroke a pixel off still counts)."""
    padded = np.pad(mask, 1)
    return float(np.mean([padded[y:y + 3, x:x + 3].any() for y, x in zip(ys, xs)]))


def _is_cross(mask: np.ndarray) -> bool:
    """Whether ``mask`` (trimmed) is an "×": ink on both diagonals, none at the middle of its sides."""
    h, w = mask.shape
    if min(h, w) < _MIN_SIDE or not 0.6 <= w / h <= 1.6 or mask.mean() > 0.8:
        return False
    t = np.linspace(0.1, 0.9, 9)
    ys, xs = np.round(t * (h - 1)).astype(int), np.round(t * (w - 1)).astype(int)
    if _on_line(mask, ys, xs) < 0.8 or _on_line(mask, ys, xs[::-1]) < 0.8:
        return False
    # A plus, a box or a blob inks the middle of a side; an × leaves it empty.
    dy, dx = max(1, h // 6), max(1, w // 6)
    cy, cx = slice(h // 2 - 1, h // 2 + 2), slice(w // 2 - 1, w // 2 + 2)
    return not (mask[:dy, cx].any() or mask[-dy:, cx].any() or mask[cy, :dx].any() or mask[cy, -dx:].any())


def glyph_kind(gray: np.ndarray, box: Box) -> str | None:
    """What a window button's glyph in ``box`` of ``gray`` is: ``close``, ``maximize``, ``minimize`` or None.

    A framed "×" (Qt themes draw "⊠") is a close glyph too; an empty outline
    is maximize; a lone short bar, wide and thin, is minimize.
    """
    mask = _ink(gray, box)
    if mask is None:
        return None
    glyph = _trim(mask)
    h, w = glyph.shape
    if min(h, w) == 0 or max(h, w) > _MAX_SIDE:
        return None
    if w >= _MIN_SIDE and h <= max(4, 0.35 * w) and glyph.mean() >= 0.7:
        return "minimize"
    if _is_cross(glyph):
        return "close"
    if min(h, w) >= 7 and 0.7 <= w / h <= 1.45 and _sides_covered(glyph):
        # The middle, not all the inside: Windows-style outlines draw a thick top bar.
        if glyph[int(0.4 * h):int(0.75 * h), int(0.3 * w):int(np.ceil(0.7 * w))].mean() < 0.05:
            return "maximize"
        if _is_cross(_trim(_inside(glyph))):
            return "close"
    return None


def _in_row(anchor: Box, other: Box) -> bool:
    """Whether ``other`` lies in the horizontal band of ``anchor`` (a "_" may sit low in it)."""
    slack = 0.35 * anchor.height
    return other.y0 >= anchor.y0 - slack and other.y1 <= anchor.y1 + slack and other.y1 > anchor.center[1] - slack


def _left_neighbour(anchor: Box, boxes: Sequence[Box]) -> Box | None:
    """The nearest box left of ``anchor`` in its row, if close enough to be the next button."""
    side = max(anchor.width, anchor.height)
    near = [b for b in boxes if b.x1 <= anchor.x0 + 1 and anchor.x0 - b.x1 <= _MAX_GAP * side
            and _in_row(anchor, b) and max(b.width, b.height) <= 2.0 * side]
    return max(near, key=lambda b: b.x1, default=None)


def _near_top_edge(gray: np.ndarray, row: Box) -> bool:
    """Whether the window's top edge (a long horizontal change, or the image top) is just above ``row``."""
    reach = int(_TOP_EDGE_REACH * row.height) + 2
    if row.y0 <= reach:
        return True
    x0, x1 = max(0, int(row.x0 - row.width)), min(gray.shape[1], int(np.ceil(row.x1)) + 1)
    y0 = max(1, int(row.y0) - reach)
    band = gray[y0 - 1:int(row.y0) + 1, x0:x1].astype(np.int16)
    steps = np.abs(np.diff(band, axis=0)) >= 6
    return bool((steps.mean(axis=1) >= 0.7).any())


def find_window_controls(image: np.ndarray, boxes: Sequence[Box]) -> list[WindowControl]:
    """The close, maximize and minimize buttons of the windows in ``image`` (RGB ``uint8``).

    Parameters
    ----------
    image
        The screenshot.
    boxes
        Icon proposals (:func:`desktop.grounding._icons_proposals.propose_boxes`).

    Returns
    -------
    list of WindowControl
        For every "×" with a maximize or minimize glyph just left of it in its
        row, near a window's top edge: the close button and those beside it.
    """
    gray = _gray(image)
    small = [b for b in boxes if _MIN_SIDE <= max(b.width, b.height) <= _MAX_SIDE]
    kinds: dict[Box, str | None] = {}

    def kind(box: Box) -> str | None:
        if box not in kinds:
            kinds[box] = glyph_kind(gray, box)
        return kinds[box]

    found: list[WindowControl] = []
    for box in small:
        if kind(box) != "close" or any(box.overlap_of_smaller(c.box) > 0.5 for c in found):
            continue
        row = [WindowControl(box, "close")]
        current = box
        while len(row) < 3 and (nxt := _left_neighbour(current, small)) is not None:
            nk = kind(nxt)
            if nk not in ("maximize", "minimize") or any(c.kind == nk for c in row):
                break
            row.append(WindowControl(nxt, nk))
            current = nxt
        if len(row) >= 2 and _near_top_edge(gray, Box(current.x0, box.y0, box.x1, box.y1)):
            found.extend(row)
    return found


def window_control_candidates(image: np.ndarray, boxes: Sequence[Box], source: str,
                              controls: Sequence[WindowControl] | None = None) -> list[Candidate]:
    """Window buttons named ``close``, ``maximize``, ``minimize`` for ``source``.

    ``controls`` are those :func:`find_window_controls` found in ``boxes``
    (found here when not given).
    """
    found = find_window_controls(image, boxes) if controls is None else controls
    return [Candidate(box=c.box, text=c.kind, role="button", source=source, score=_SCORE,
                      description=_DESCRIPTIONS[c.kind]) for c in found]


def _ends_field(box: Box, field: Box) -> bool:
    """Whether ``box`` sits at the right end of ``field``: inside it, or in a button joined to its end."""
    cx, cy = box.center
    return (field.y0 <= cy <= field.y1 and box.height <= field.height
            and field.x0 + 0.6 * field.width <= cx <= field.x1 + 1.2 * field.height)


def as_clear_buttons(image: np.ndarray, icons: Sequence[Candidate], fields: Sequence[Box]) -> list[Candidate]:
    """``icons`` with each "×" at a text field's right end described as ``clear``, not ``close``.

    The model names both the same; an "×" ending a field erases its text.
    Its other names stay in ``description``, so "close" still reaches it.
    """
    if not fields:
        return list(icons)
    gray = _gray(image)
    out = []
    for icon in icons:
        if (icon.role == "icon" and any(_ends_field(icon.box, f) for f in fields)
                and glyph_kind(gray, icon.box) == "close"):
            icon = replace(icon, text="clear", description=f"clear {icon.description}".strip())
        out.append(icon)
    return out


def _same_control(box: Box, glyph: Box) -> bool:
    """Whether ``box`` shows ``glyph``: the glyph itself, or the button just around it."""
    return (box.overlap_of_smaller(glyph) > 0.8
            and max(box.width, box.height) <= 2.5 * max(glyph.width, glyph.height, 1.0))


def known_controls(image: np.ndarray, boxes: Sequence[Box], window: Sequence[WindowControl],
                   fields: Sequence[Box]) -> list[str | None]:
    """What each of ``boxes`` is known to be from where it is, not from its look, or None.

    A window's own buttons (``window``, from :func:`find_window_controls`)
    are ``close``, ``maximize``, ``minimize``; an "×" ending a text field
    (``fields``) is that field's ``clear``. The icon model draws no line
    between a window's "×", a field's "×" and a calculator's "×": these do.
    """
    gray = _gray(image) if fields else None
    kinds: list[str | None] = []
    for box in boxes:
        kind = next((c.kind for c in window if _same_control(box, c.box)), None)
        if kind is None and gray is not None and any(_ends_field(box, f) for f in fields) \
                and glyph_kind(gray, box) == "close":
            kind = "clear"
        kinds.append(kind)
    return kinds
