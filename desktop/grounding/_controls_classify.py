"""What a frame is (field, button, drop-down), and which frames form a tab bar."""

from __future__ import annotations

from typing import Sequence

import numpy as np

from desktop.core.geometry import Box
from desktop.grounding._controls_found import Found, TextLine
from desktop.grounding._controls_frames import Frame
from desktop.grounding._controls_scene import Scene
from desktop.grounding._controls_text import arrow_read_as_letter, boxes_array, words_inside

__all__ = ["drop_grids", "drop_containers", "classify_frame", "find_tabs", "merge_arrow_buttons"]


def drop_grids(frames: Sequence[Frame], scene: Scene) -> list[Frame]:
    """Drop table cells and column headers: frames that share one ring with their neighbours.

    Cells stack in columns; a header row spans its list's whole width with
    the list below it. Tabs, segmented buttons and combo boxes share rings
    too, but side by side and over only part of their page's width.

    Only the stacked cells and the rows they stand in go: windows that
    overlap join their borders into one ring, and a table in one must not
    take the other's tab bar with it.
    """
    by_ring: dict[int, list[Frame]] = {}
    for f in frames:
        if not f.isolated:
            by_ring.setdefault(int(scene.tree[f.index, 3]), []).append(f)
    dropped: set[int] = set()
    for ring, members in by_ring.items():
        rx0, ry0, rx1, ry1 = (int(v) for v in scene.boxes[ring])
        stacked = [a for a in members if any(b is not a and (_stacked(a.box, b.box) or _stacked(b.box, a.box))
                                             for b in members)]
        dropped.update(id(m) for m in _rows_of(stacked, members))
        for a in members:
            if id(a) in dropped or ry1 - ry0 < 2.5 * a.box.height:
                continue
            level = [b for b in members if abs(b.box.center[1] - a.box.center[1]) <= 0.25 * a.box.height]
            if max(b.box.x1 for b in level) - min(b.box.x0 for b in level) < 0.9 * (rx1 - rx0):
                continue  # not even the whole level spans the ring (the common, cheap case)
            row = _rows_of([a], level)
            span = max(b.box.x1 for b in row) - min(b.box.x0 for b in row)
            if len(row) >= 2 and span >= 0.9 * (rx1 - rx0):
                dropped.update(id(b) for b in row)
    return [f for f in frames if id(f) not in dropped]


def _stacked(upper: Box, lower: Box) -> bool:
    """``lower`` sits right under ``upper``, left edges aligned: two cells of one column."""
    return abs(upper.x0 - lower.x0) <= 3 and 0 <= lower.y0 - upper.y1 + 3 <= 0.5 * upper.height


def _rows_of(cells: list[Frame], members: list[Frame]) -> list[Frame]:
    """``cells`` and the members that continue their rows: equally tall, edge to edge, one after another."""
    out = list(cells)
    todo = list(cells)
    while todo:
        a = todo.pop().box
        for m in members:
            b = m.box
            if any(m is o for o in out):
                continue
            level = abs(a.center[1] - b.center[1]) <= 0.25 * a.height and abs(a.height - b.height) <= 0.25 * a.height
            if level and -4 <= max(b.x0 - a.x1, a.x0 - b.x1) <= 4:
                out.append(m)
                todo.append(m)
    return out


#: Largest grey-level difference between an empty text field's inside and its surroundings.
_FIELD_CONTRAST = 60.0


def _inter(arr: np.ndarray, box: Box) -> np.ndarray:
    """Intersection areas of ``box`` with every row of ``arr``."""
    w = np.minimum(arr[:, 2], box.x1) - np.maximum(arr[:, 0], box.x0)
    h = np.minimum(arr[:, 3], box.y1) - np.maximum(arr[:, 1], box.y0)
    return np.clip(w, 0, None) * np.clip(h, 0, None)


def drop_containers(frames: Sequence[Frame]) -> list[Frame]:
    """Frames that hold other sizeable frames are panels or toolbars, not controls.

    A drop-down's own arrow button (narrow, at its right end) does not count,
    and of two nested frames of nearly the same box the outer one stays.
    """
    if not frames:
        return []
    arr = boxes_array(f.box for f in frames)
    areas = (arr[:, 2] - arr[:, 0]) * (arr[:, 3] - arr[:, 1])
    keep = []
    for i, a in enumerate(frames):
        inside = (_inter(arr, a.inner) >= 0.9 * areas) & (areas < areas[i])
        inside[i] = False
        container = False
        for j in np.flatnonzero(inside & (areas < 0.8 * areas[i]) & (areas >= 0.15 * areas[i])):
            b = frames[int(j)]
            arrow_button = b.box.x0 >= a.inner.x1 - 1.5 * a.inner.height and b.box.width <= 1.3 * a.inner.height
            if not arrow_button:
                container = True
                break
        if not container:
            keep.append(i)
    # Of two nested frames with nearly the same box (a double border), keep the outer one.
    out = []
    for i in keep:
        a = frames[i]
        outer = (_inter(arr[keep], a.box) >= 0.9 * areas[i]) & (areas[keep] > areas[i])
        if not outer.any():
            out.append(a)
    return out


def _all_parts(frame: Frame) -> Box | None:
    if not frame.parts:
        return None
    p = frame.parts
    return Box(min(q[0] for q in p), min(q[1] for q in p), max(q[2] for q in p) + 1, max(q[3] for q in p) + 1)


def _multi_line(inside: Sequence[TextLine]) -> bool:
    for i, a in enumerate(inside):
        for b in inside[i + 1:]:
            if abs(a.box.center[1] - b.box.center[1]) > 0.7 * max(a.height, b.height):
                return True
    return False


def classify_frame(frame: Frame, lines: Sequence[TextLine]) -> Found | None:
    """Field, button or drop-down, from what the frame holds and where; None for anything else.

    Parameters
    ----------
    frame
        A frame from :func:`desktop.grounding._controls_frames.find_frames`.
    lines
        OCR text lines (possibly empty).
    """
    inner, box = frame.inner, frame.box
    if _multi_line([ln for ln in lines if inner.contains(*ln.box.center)]):
        return None  # a text area, a list or a panel
    inside = [ln for ln in lines if ln.box.intersection(inner) > 0]
    text = words_inside(inner, inside)
    bonus = 0.15 if frame.isolated else 0.0
    arrow = frame.arrow
    if arrow is not None and arrow_read_as_letter(arrow, inside):
        arrow = None
    if arrow is not None:
        value = words_inside(Box(inner.x0, inner.y0, arrow.x0, inner.y1), inside)
        return Found("dropdown", box, 0.65 + bonus, text=value, inner=inner)
    if frame.spin is not None:
        # A spin box is a field for a number: its value is its description, its label comes later.
        value = words_inside(Box(inner.x0, inner.y0, frame.spin.x0, inner.y1), inside)
        return Found("field", box, 0.6 + bonus, description=value, inner=inner)
    # A rejected arrow (a letter after all) is content like the rest.
    content = frame.content if frame.arrow is None else _all_parts(frame)
    if content is None:
        # An empty text field is the base colour, close to the window's; a colour swatch is not.
        wide = inner.width >= 3 * inner.height and 12 <= box.height <= 60
        if wide and (frame.isolated or frame.label_touches or _labelled(box, lines)) \
                and frame.contrast <= _FIELD_CONTRAST:
            return Found("field", box, 0.5, inner=inner)
        return None
    return _by_alignment(frame, content, inside, text, bonus)


def _labelled(box: Box, lines: Sequence[TextLine]) -> bool:
    """A text line ends just left of the frame on its row, or starts at its left edge just above it.

    The two places a form puts a field's label. An empty frame that shares
    its outline with its surroundings (a field set against the window's
    edge) is then still a field, while a bare table cell or a blank tab is not.
    """
    for line in lines:
        lb, h = line.box, line.box.height
        beside = box.x0 - max(4 * h, 60) <= lb.x1 <= box.x0 + 2 and box.y0 <= lb.center[1] <= box.y1
        above = box.y0 - h - 8 <= lb.y1 <= box.y0 + 2 and abs(lb.x0 - box.x0) <= max(8.0, 0.5 * h)
        if beside or above:
            return True
    return False


def _by_alignment(frame: Frame, content: Box, inside: Sequence[TextLine], text: str, bonus: float) -> Found | None:
    """Centred content makes a button; content from the left edge of a wide frame, a field."""
    inner, box = frame.inner, frame.box
    h, w = inner.height, inner.width
    fills = content.height > 0.9 * h and h > 24
    # Judge alignment by the text when OCR read some and an icon lies beside it
    # (a search field's magnifier, a file button's folder); else by the ink.
    words = _word_box(inner, inside)
    basis = words if words is not None and words.width < 0.7 * content.width else content
    left, right = basis.x0 - inner.x0, inner.x1 - basis.x1
    if abs(left - right) <= max(3.0, 0.3 * (left + right)) and w <= 14 * h and not (fills and w > 2 * h):
        return Found("button", box, 0.6 + bonus, text=text, inner=inner)
    if fills:
        return None  # content fills a wide frame: an image or a panel
    if w >= 2 * h and left <= max(0.9 * h, 14) and right >= left + 0.15 * w:
        return Found("field", box, 0.5 + bonus, description=text, inner=inner)
    return None


def _word_box(inner: Box, lines: Sequence[TextLine]) -> Box | None:
    boxes = [b for ln in lines for w, b in ln.words
             if inner.contains(*b.center) and sum(c.isalnum() for c in w) >= 2]
    if not boxes:
        return None
    out = boxes[0]
    for b in boxes[1:]:
        out = out.union(b)
    return out


def merge_arrow_buttons(found: list[Found]) -> list[Found]:
    """Join a field to the arrow button drawn against its right end: one drop-down.

    Some styles (classic Windows, GTK combo boxes with entries) draw a combo
    box as a text frame with a separate square arrow button; each is found
    on its own.
    """
    out = list(found)
    for arrow in [f for f in found if f.role == "dropdown" and f.box.width <= 1.3 * f.box.height]:
        for field in found:
            if field is arrow or field.role not in ("field", "button") or field.box.width < 2 * field.box.height:
                continue
            same_row = abs(field.box.y0 - arrow.box.y0) <= 4 and abs(field.box.y1 - arrow.box.y1) <= 4
            touching = -4 <= arrow.box.x0 - field.box.x1 <= 4 or field.box.contains(*arrow.box.center)
            if same_row and touching:
                merged = Found("dropdown", field.box.union(arrow.box), max(field.score, arrow.score),
                               text=field.description or field.text, inner=field.inner)
                out = [f for f in out if f is not arrow and f is not field] + [merged]
                break
    return out


def _run_member(a: Frame, b: Frame) -> bool:
    h = max(a.box.height, b.box.height)
    if abs(a.box.height - b.box.height) > 0.25 * h:
        return False
    aligned = abs(a.box.y0 - b.box.y0) <= 0.15 * h or abs(a.box.y1 - b.box.y1) <= 3
    gap = b.box.x0 - a.box.x1
    return aligned and -0.15 * h <= gap <= max(3.0, 0.12 * h)


def find_tabs(frames: Sequence[Frame], found: dict[int, Found], lines: Sequence[TextLine],
              scene: Scene) -> list[tuple[list[Frame], list[Found]]]:
    """Runs of touching, equally tall frames with centred labels: tab bars.

    Parameters
    ----------
    frames
        All frames.
    found
        What each frame was classified as (by ``frame.index``); only buttons can be tabs.
    lines
        OCR text lines, used to find the selected tab whose frame is open into the page.
    scene
        The traced screenshot, used to look for unframed tab labels.

    Returns
    -------
    list of (frames, extra)
        Each tab bar's framed tabs, and tabs found in the gaps or at the ends of the run.
    """
    # A tab whose label ends in y or w can pass for a drop-down's arrow: let runs claim those too.
    buttons = sorted((f for f in frames if found.get(f.index) is not None
                      and found[f.index].role in ("button", "dropdown")), key=lambda f: f.box.x0)
    runs: list[list[Frame]] = []
    for f in buttons:
        for run in runs:
            if _run_member(run[-1], f):
                run.append(f)
                break
        else:
            runs.append([f])
    runs = _join_at_open_tabs(runs, lines)
    out = []
    for run in runs:
        if len(run) < 2 or sum(found[f.index].role == "button" for f in run) < len(run) / 2:
            continue
        extra = _open_tabs(run, lines, scene)
        # With the last (or first) tab selected, the page's border begins beyond that open tab.
        x0 = min([f.box.x0 for f in run] + [t.box.x0 for t in extra])
        x1 = max([f.box.x1 for f in run] + [t.box.x1 for t in extra])
        if _pane_below(run, scene) or (extra and _pane_below(run, scene, (x0, x1))):
            out.append((run, extra))
    return out


def _join_at_open_tabs(runs: list[list[Frame]], lines: Sequence[TextLine]) -> list[list[Frame]]:
    """Join two runs on one row with one label between them: the selected tab, open into its page, splits a bar.

    Tk's default theme (IDLE's Settings) draws only the other tabs as closed
    frames; the tabs left of the selected one would otherwise be a run of
    their own, with no page border beyond its right end, and pass for buttons.
    """
    out: list[list[Frame]] = []
    for run in sorted(runs, key=lambda r: r[0].box.x0):
        left = next((o for o in out if _open_tab_between(o, run, lines)), None)
        if left is not None:
            left.extend(run)
        else:
            out.append(list(run))
    return out


def _open_tab_between(a: list[Frame], b: list[Frame], lines: Sequence[TextLine]) -> bool:
    # Touching frames are what make a run a tab bar; two lone frames with a label between are
    # as likely two keys of a keypad with a third (not framed here) between them.
    if len(a) < 2 and len(b) < 2:
        return False
    last, first = a[-1].box, b[0].box
    h = max(last.height, first.height)
    if abs(last.height - first.height) > 0.25 * h or abs(last.y1 - first.y1) > 3:
        return False
    widest = max(f.box.width for f in a + b)
    if not 0.4 * min(last.width, first.width) <= first.x0 - last.x1 <= 1.6 * widest:
        return False
    gap = Box(last.x1, min(last.y0, first.y0) - 0.15 * h, first.x0, max(last.y1, first.y1))
    return sum(gap.contains(*ln.box.center) and ln.height <= gap.height for ln in lines) == 1


def _pane_below(run: list[Frame], scene: Scene, span: tuple[float, float] | None = None) -> bool:
    """A tab bar sits on its page: the page's top border runs on beyond the tabs (``span``: their extent).

    Adjacent buttons in a dialog's button row have no such line, which is what
    tells "Save | Cancel | Apply" from a row of tabs.
    """
    if span is None:
        span = (min(f.box.x0 for f in run), max(f.box.x1 for f in run))
    x0, x1 = int(span[0]), int(span[1])
    y1 = int(max(f.box.y1 for f in run))
    reach = max(20, int(0.6 * run[0].box.height))
    for y in range(y1 - 3, y1 + 5):
        if not 0 <= y < scene.height:
            continue
        row = scene.ink[y]
        right = row[min(x1 + 3, scene.width):min(x1 + 3 + reach, scene.width)]
        left = row[max(x0 - 3 - reach, 0):max(x0 - 3, 0)]
        if (right.size >= reach and right.mean() >= 0.9) or (left.size >= reach and left.mean() >= 0.9):
            return True
    return False


def _open_tabs(run: list[Frame], lines: Sequence[TextLine], scene: Scene) -> list[Found]:
    """Tabs next to or between the framed ones whose frame is open (the selected tab)."""
    y0 = min(f.box.y0 for f in run) - 0.15 * run[0].box.height
    y1 = max(f.box.y1 for f in run)
    widths = [f.box.width for f in run]
    pad = float(np.median([(f.content.x0 - f.box.x0) if f.content else 8.0 for f in run]))
    slots = []
    for a, b in zip(run, run[1:]):
        if b.box.x0 - a.box.x1 >= 0.4 * min(widths):
            slots.append(Box(a.box.x1, y0, b.box.x0, y1))
    reach = 1.6 * max(widths)
    slots.append(Box(max(run[0].box.x0 - reach, 0), y0, run[0].box.x0, y1))
    slots.append(Box(run[-1].box.x1, y0, min(run[-1].box.x1 + reach, scene.width), y1))
    # The labels sit at one height in their tabs; text of a window behind does not.
    mid = float(np.median([(f.content.y0 + f.content.y1) / 2 if f.content else f.box.center[1] for f in run]))
    out = []
    for slot in slots:
        texts = [ln for ln in lines if slot.contains(*ln.box.center) and ln.height <= slot.height
                 and abs(ln.box.center[1] - mid) <= 0.25 * run[0].box.height]
        if texts:
            label = min(texts, key=lambda ln: abs(ln.box.center[0] - slot.center[0]))
            box = Box(max(slot.x0, label.box.x0 - pad), slot.y0, min(slot.x1, label.box.x1 + pad), slot.y1)
            if slot is slots[-2] or slot is slots[-1]:
                box = _hug(box, label, slot, pad, run)
            out.append(Found("tab", box.clip(scene.width, scene.height), 0.55, text=label.text))
    return out


def _hug(box: Box, label: TextLine, slot: Box, pad: float, run: list[Frame]) -> Box:
    # At either end the open tab reaches the run: extend it to meet its neighbour.
    if slot.x1 == run[0].box.x0:
        return Box(min(box.x0, label.box.x0 - pad), box.y0, run[0].box.x0, box.y1)
    return Box(run[-1].box.x1, box.y0, max(box.x1, label.box.x1 + pad), box.y1)
