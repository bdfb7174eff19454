"""Tab bars drawn as a row of labels on a rule, the selected one framed or underlined (web "nav tabs", GTK).

Only the selected tab has a frame; the others are plain labels standing on
the line that separates the bar from its page. The frame is open into the
page (the rule breaks under it) or closed and filled; either way its sides
run from above its label down to the rule. That frame is what tells a tab
bar from a table's header row, which stands on a rule too.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from desktop.core.geometry import Box
from desktop.grounding._controls_found import Found, TextLine
from desktop.grounding._controls_scene import Scene
from desktop.grounding._controls_text import same_row

__all__ = ["find_tab_rows"]

#: Score of a tab found this way: as sure as a framed run of tabs.
_SCORE = 0.7


def find_tab_rows(lines: Sequence[TextLine], scene: Scene, taken: Sequence[Box] = ()) -> list[Found]:
    """Tabs of bars whose unselected tabs have no frame.

    Parameters
    ----------
    lines
        OCR word groups (see :func:`desktop.grounding._controls_text.text_lines`).
    scene
        The traced screenshot.
    taken
        Tabs already found: rows that hold one are left alone.

    Returns
    -------
    list of Found
        One ``tab`` per label of each bar, in the bar's own box height.
    """
    labels = [ln for ln in lines if _label_like(ln) and not any(t.overlap_of_smaller(ln.box) > 0.5 for t in taken)]
    out: list[Found] = []
    for level in _levels(labels):
        for row in _runs(level):
            # A row may start with a label that is not a tab (a page title): try it without.
            for start in range(len(row) - 1):
                tabs = _bar(row[start:], scene)
                if tabs:
                    out.extend(tabs)
                    break
    return out


def _label_like(line: TextLine) -> bool:
    """A tab label: one to three short words with letters (CJK counts), more than one letter.

    A lone letter on a rule with a frame round it is a cell of a character
    grid or a keyboard, not a tab.
    """
    text = line.text.strip()
    return (0 < len(line.words) <= 3 and len(text) <= 25 and any(ch.isalpha() for ch in text)
            and (sum(ch.isalnum() for ch in text) >= 2 or any("\u3400" <= ch <= "\u9fff" for ch in text)))


def _levels(labels: Sequence[TextLine]) -> list[list[TextLine]]:
    """Labels grouped by the line they stand on (their bottoms level within half a line)."""
    levels: list[list[TextLine]] = []
    for ln in sorted(labels, key=lambda ln: ln.box.y1):
        last = levels[-1][-1].box if levels else None
        if last is not None and ln.box.y1 - last.y1 <= 0.5 * min(last.height, ln.height) and same_row(last, ln.box):
            levels[-1].append(ln)
        else:
            levels.append([ln])
    return [sorted(level, key=lambda ln: ln.box.x0) for level in levels if len(level) >= 2]


def _runs(level: list[TextLine]) -> list[list[TextLine]]:
    """Split a level where labels are too close (one label's words) or too far apart (another bar) for tabs."""
    runs, run = [], [level[0]]
    for ln in level[1:]:
        prev = run[-1].box
        gap = ln.box.x0 - prev.x1
        h = min(prev.height, ln.height)
        if 0.6 * h <= gap <= 5.0 * h:
            run.append(ln)
        else:
            runs.append(run)
            run = [ln]
    runs.append(run)
    return [r for r in runs if len(r) >= 2]


def _bar(row: list[TextLine], scene: Scene) -> list[Found]:
    """The row's tabs when it stands on a rule and one label is framed down to it, else nothing."""
    h = float(np.median([ln.height for ln in row]))
    rule = _rule(row, scene, h)
    if rule is None:
        return []
    frames = [_frame_around(ln.box, rule, scene, h) for ln in row]
    if not any(frames):
        frames = _underlined(row, rule, scene, h)
    chosen = [(ln, f) for ln, f in zip(row, frames) if f is not None]
    plain = [ln for ln, f in zip(row, frames) if f is None]
    if len(chosen) != 1 or not plain:
        return []
    label, frame = chosen[0]
    if any(not _on_rule(ln.box, rule, scene) or _roofed(ln.box, frame.y0, scene) for ln in plain):
        return []  # a label off the line, or in a frame of its own (a button), is not in this bar
    pad = max(label.box.x0 - frame.x0, 2.0)
    out = [Found("tab", frame, _SCORE, text=label.text)]
    for ln in plain:
        box = Box(ln.box.x0 - pad, frame.y0, ln.box.x1 + pad, frame.y1)
        out.append(Found("tab", box.clip(scene.width, scene.height), _SCORE, text=ln.text))
    return out


def _underlined(row: list[TextLine], rule: int, scene: Scene, h: float) -> list[Box | None]:
    """The selected tab of a bar that marks it with a thick bar on the rule under its label (GTK 3's Adwaita).

    Two or more rows on the rule (within a few pixels above it) are ink under
    the whole of one label and under none of the others; the bar's ends are
    the tab's sides.
    """
    out: list[Box | None] = [None] * len(row)
    top = int(max(ln.box.y1 for ln in row))
    under = [np.asarray(scene.ink[top:rule + 1, int(ln.box.x0):int(ln.box.x1)].mean(axis=1)) for ln in row]
    marked = [np.flatnonzero((u >= 0.95) & np.all([v <= 0.2 for j, v in enumerate(under) if j != i], axis=0))
              if u.size else np.zeros(0, int) for i, u in enumerate(under)]
    # The bar stands on the rule (a box's bottom edge under a label read from the box does not).
    hits = [i for i, m in enumerate(marked) if m.size >= 2 and top + int(m[-1]) >= rule - 4]
    if len(hits) != 1:
        return out
    i = hits[0]
    label = row[i].box
    y = top + int(marked[i][-1])
    # The bar's extent on its lowest row: from the label outwards while the ink goes on.
    x0, x1 = int(label.x0), int(label.x1)
    reach = int(2 * h)
    while x0 > 0 and label.x0 - x0 < reach and scene.ink[y, x0 - 1]:
        x0 -= 1
    while x1 < scene.width and x1 - label.x1 < reach and scene.ink[y, x1]:
        x1 += 1
    if label.x0 - x0 >= reach or x1 - label.x1 >= reach:
        return out  # the mark runs on past any tab's padding: a rule, not a tab's bar
    out[i] = Box(x0, max(int(label.y0 - 0.6 * h), 0), x1, rule)
    return out


def _rule(row: list[TextLine], scene: Scene, h: float) -> int | None:
    """The first row of pixels below the labels that is ink over most of the row's width."""
    x0, x1 = int(row[0].box.x0), int(row[-1].box.x1)
    bottom = int(max(ln.box.y1 for ln in row))
    for y in range(bottom + 1, min(int(bottom + 2.5 * h), scene.height)):
        if scene.ink[y, x0:x1].mean() >= 0.6:
            return y
    return None


def _on_rule(box: Box, rule: int, scene: Scene) -> bool:
    """The rule runs on under the whole label."""
    seg = scene.ink[rule:rule + 3, int(box.x0):int(box.x1)]
    return seg.size > 0 and float(seg.any(axis=0).mean()) >= 0.9


def _roofed(box: Box, top: float, scene: Scene) -> bool:
    """A line runs over the label, below the selected tab's top: the label has a frame of its own."""
    x0, x1 = int(box.x0), int(box.x1)
    for y in range(int(box.y0) - 1, int(top) - 3, -1):
        if scene.ink[y, x0:x1].mean() >= 0.9:
            return True
    return False


def _frame_around(label: Box, rule: int, scene: Scene, h: float) -> Box | None:
    """A frame whose sides stand on the rule and rise past the label's top, closed above it."""
    # A frame's side runs on above and below the label; a letter's stem does not.
    rows = (max(int(label.y0 - 0.3 * h), 0), int(label.y1 + 0.3 * h))
    left = _side(scene, rows, int(label.x0) - 1, -1, int(3 * h))
    right = _side(scene, rows, int(label.x1), 1, int(3 * h))
    if left is None or right is None:
        return None
    top = None
    for y in range(int(label.y0) - 1, max(int(label.y0 - 1.5 * h), 0) - 1, -1):
        if scene.ink[y, left + 2:right - 1].mean() >= 0.9:
            top = y
            break
    if top is None:
        return None
    for x in (left, right):
        column = scene.ink[top + 1:rule, max(x - 1, 0):x + 2].any(axis=1)
        if column.size == 0 or column.mean() < 0.95:
            return None  # a side that stops short of the rule: a button above a line, not a tab
    return Box(left, top, right + 1, rule)


def _side(scene: Scene, rows: tuple[int, int], x: int, step: int, reach: int) -> int | None:
    """The first column from ``x`` going ``step`` that is ink all along ``rows``, within ``reach`` pixels.

    OCR boxes are loose by a pixel or two, so the label's own first or last
    letter may be passed over: ``rows`` reach beyond the letters.
    """
    lo, hi = (x, min(x + reach, scene.width)) if step > 0 else (max(x - reach + 1, 0), x + 1)
    if hi <= lo:
        return None
    full = np.asarray(scene.ink[rows[0]:rows[1], lo:hi].all(axis=0))
    hits = np.flatnonzero(full if step > 0 else full[::-1])
    if not len(hits):
        return None
    return int(lo + hits[0]) if step > 0 else int(hi - 1 - hits[0])
