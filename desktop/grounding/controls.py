"""Controls found by their appearance: checkboxes, radios, switches, fields, buttons, drop-downs, tabs, menus.

Classical image analysis suits flat UI screens: every control is drawn as
a frame, a square, a circle or a pill with a thin border on a flat
background. :mod:`._controls_scene` traces the ink; indicators, switches
and frames are found by shape; OCR lines found earlier (``request.found_so_far``)
name them. The result lets "click the Remember me checkbox" land on the
square rather than the words, and "click all checkboxes" find every one.

Only numpy and OpenCV are needed, and a full-HD screen takes a few tens of
milliseconds, so this source is always available.
"""

from __future__ import annotations

import logging
from dataclasses import replace
import threading
from collections import OrderedDict
from typing import Sequence

import numpy as np

from desktop.core.errors import BackendFailed
from desktop.core.geometry import Box
from desktop.core.results import Candidate
from desktop.core.sources import Screen, SourceRequest
from desktop.grounding._controls_classify import (classify_frame, drop_containers, drop_grids, find_tabs,
                                                  merge_arrow_buttons)
from desktop.grounding._controls_found import Found, TextLine
from desktop.grounding._controls_frames import Frame, find_frames
from desktop.grounding._controls_indicators import crowded, find_indicators, side_ink
from desktop.grounding._controls_menus import find_menus, holds_menus
from desktop.grounding._controls_panel import find_panel_items
from desktop.grounding._controls_scene import Scene, build_scene
from desktop.grounding._controls_switches import find_switches
from desktop.grounding._controls_tabrow import find_tab_rows
from desktop.grounding._controls_text import (GLYPHS, LineIndex, frame_label, glyph_in_words, inside_word,
                                              read_as_word, same_row, side_label, split_at, text_lines)

__all__ = ["ControlSource", "detect_controls"]

log = logging.getLogger(__name__)

#: A labelled control is much more likely real than an unlabelled look-alike.
_LABEL_BONUS = 0.25
_NO_LABEL_PENALTY = 0.1
#: Unlabelled indicators bigger than this (with OCR run) are icon buttons: real
#: ones that large only come with HiDPI scaling, and then with a label.
_MAX_UNLABELLED = 22
_MAX_SCORE = 0.97


class ControlSource:
    """Candidate source for controls recognised by shape (implements ``CandidateSource``)."""

    name = "controls"

    def __init__(self, cache_size: int = 4) -> None:
        self._cache: OrderedDict[tuple[str, int], list[Candidate]] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    def available(self) -> bool:
        """Always True: only numpy and OpenCV are needed."""
        return True

    def candidates(self, screen: Screen, request: SourceRequest) -> list[Candidate]:
        """Controls on ``screen``, labelled with the OCR text in ``request.found_so_far``.

        Parameters
        ----------
        screen
            The screenshot.
        request
            Only ``found_so_far`` is used: its ``text`` candidates label the controls.

        Returns
        -------
        list of Candidate
            ``source="controls"``, one per control, best score first.
        """
        texts = [c for c in request.found_so_far if c.role == "text"]
        key = (screen.digest, hash(tuple((c.text, c.box) for c in texts)))
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return list(self._cache[key])
        try:
            found = detect_controls(screen.image, texts)
        except Exception as exc:  # noqa: BLE001 - the source contract allows only BackendFailed out
            log.exception("control detection failed")
            raise BackendFailed("Finding controls on the screen failed.",
                                "Try again, or restrict grounding to OCR with --backend ocr.") from exc
        with self._lock:
            self._cache[key] = found
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return list(found)


def detect_controls(image: np.ndarray, texts: Sequence[Candidate] = ()) -> list[Candidate]:
    """Find controls in an RGB screenshot.

    Parameters
    ----------
    image
        ``(H, W, 3)`` RGB ``uint8`` array.
    texts
        OCR text candidates (role ``text``) on the same image; they name the
        controls and make detections without a label less likely. May be empty.

    Returns
    -------
    list of Candidate
        Candidates with ``source="controls"`` sorted by score, highest first.
    """
    scene = build_scene(image)
    lines = LineIndex(text_lines(texts))
    shapes = find_indicators(scene) + find_switches(scene)
    panels = [f for f in drop_containers(find_frames(scene))
              if not _is_indicator(f.box, shapes) and not _is_text(f, lines, scene)]
    frames = drop_grids(panels, scene)
    # Lines a little beyond the frame too: a label beside or above says an empty frame is a field.
    classified = {f.index: c for f in frames
                  if (c := classify_frame(f, lines.near(f.box, 4 * f.box.height))) is not None}
    tabs = _tabs(frames, classified, lines, scene)
    tabs += find_tab_rows(lines, scene, [t.box for t in tabs])
    framed = merge_arrow_buttons([c for c in classified.values()
                                  if not any(t.box.overlap_of_smaller(c.box) > 0.8 for t in tabs)])
    marks = _plausible_marks(shapes, framed, lines, scene)
    # A frame around checkboxes or radios is a group box, not a field or drop-down holding them.
    framed = [f for f in framed if f.role == "button" or not any(
        f.box.overlap_of_smaller(m.box) > 0.8 and f.box.area > 2 * m.box.area for m in marks)]
    # Text inside any frame belongs to it, never to a control beside it.
    # ...except a group box around checkboxes or radios, whose texts are their labels.
    groups = [f.box for f in panels if not any(f.box.overlap_of_smaller(m.box) > 0.8 for m in marks)]
    owned = [m.box for m in marks] + [f.box for f in framed] + [t.box for t in tabs] + groups
    labels = LineIndex(split_at(lines, owned))
    found = _column_labels(_label_marks(marks, labels, framed), labels, framed) \
        + _label_frames(framed, labels, marks) + tabs
    occupied = [f.extent for f in found] + owned
    menus = [Found("menu", box.clip(scene.width, scene.height), score, text=line.text)
             for line, box, score in find_menus(texts, occupied, scene.height)]
    # The strip a menu bar is drawn in may pass for a wide field holding its titles.
    found = [f for f in found if f.role != "field" or not holds_menus(f.box, [m.box for m in menus])] + menus
    # A desktop panel's flat entries are buttons (a window title with the same word is not).
    found += find_panel_items(texts, scene.gray, occupied + [m.box for m in menus])
    found.sort(key=lambda f: -f.score)
    return [_candidate(f) for f in found]


def _tabs(frames: list[Frame], classified: dict[int, Found], lines: LineIndex, scene: Scene) -> list[Found]:
    """Tab bars: framed runs of buttons, plus the open (selected) tabs found beside them."""
    out = []
    for run, extra in find_tabs(frames, classified, lines, scene):
        framed = [Found("tab", f.box, min(classified[f.index].score + 0.1, 0.9), text=classified[f.index].text,
                        inner=f.inner) for f in run]
        out.extend(framed)
        # The selected tab is drawn open into its page, but it belongs to the same bar:
        # as sure as the bar's framed tabs, so "every tab" and "the first tab" count it.
        bar_score = min(t.score for t in framed)
        out.extend(replace(t, score=max(t.score, bar_score)) for t in extra)
    return out


def _is_text(frame: Frame, lines: LineIndex, scene: Scene) -> bool:
    """The frame is a letter (a CJK character, an O's hole), not a control.

    OCR may have read it; without OCR, a small free-standing outline with ink
    a letter-space away is taken for a glyph in a word (a frame joined to its
    neighbour, such as an entry's clear button, is not a letter).
    """
    box = frame.box
    near = lines.near(box)
    if read_as_word(box, near, glyphs_too=True) or inside_word(box, near):
        return True
    small = box.height <= 50 and box.width <= 1.5 * box.height
    return small and frame.isolated and crowded(scene, box, max(2, int(0.12 * box.height)))


def _is_indicator(box: Box, shapes: list[Found]) -> bool:
    """The frame is an indicator's or switch's own outline (or a part of it), not a control of its own."""
    return any(s.box.overlap_of_smaller(box) > 0.6 and box.area < 2 * s.box.area for s in shapes)


def _end_of_word(box: Box, lines: list[TextLine], scene: Scene) -> bool:
    """The shape is a word's first or last letter: OCR's word runs on from it, ink touching on that side.

    A label's word may overhang a checkbox too (OCR boxes are loose), but a
    label keeps a gap of a few pixels where a letter has one or two.
    """
    left_close, right_close = side_ink(scene, box, max(2, int(round(0.18 * box.height))))
    for line in lines:
        for word, wbox in line.words:
            if wbox.intersection(box) < 0.5 * box.area or not any(ch.isalnum() for ch in word):
                continue
            if _letters_fit_beside(word, wbox, box, line):
                continue  # OCR's word box swallowed the shape, but the word needs no room from it
            if left_close and box.x0 - wbox.x0 >= 0.8 * box.width:
                return True
            if right_close and wbox.x1 - box.x1 >= 0.8 * box.width and word[:1] not in GLYPHS:
                return True
    return False


def _letters_fit_beside(word: str, wbox: Box, shape: Box, line: TextLine) -> bool:
    """Whether the word's letters fill the rest of its box at the line's own letter width."""
    others = [(w, b) for w, b in line.words if b.intersection(shape) == 0 and len(w) >= 2]
    per_char = (float(np.median([b.width / len(w) for w, b in others])) if others
                else 0.55 * max(wbox.height, 1.0))
    rest = wbox.width - min(wbox.x1, shape.x1) + max(wbox.x0, shape.x0)
    return rest / max(len(word), 1) >= 0.8 * per_char


def _plausible_marks(marks: list[Found], framed: list[Found], lines: LineIndex, scene: Scene) -> list[Found]:
    """Drop indicators that are icons on buttons or letters inside a line of text."""
    keep = []
    for m in marks:
        # Only a button holds an icon that looks like an indicator; other frames may be group boxes.
        if any(f.role == "button" and f.box.overlap_of_smaller(m.box) > 0.8 and f.box.area > 2 * m.box.area
               for f in framed):
            continue
        near = lines.near(m.box)
        if read_as_word(m.box, near, ticked="checked" in m.states) or any(glyph_in_words(m.box, ln) for ln in near):
            continue
        if _end_of_word(m.box, near, scene):
            continue
        keep.append(m)
    return keep


def _label_marks(marks: list[Found], lines: LineIndex, framed: list[Found]) -> list[Found]:
    out = []
    blockers = [m.box for m in marks] + [f.box for f in framed]
    for m in marks:
        # A switch's label may sit well to its left in a settings row; a checkbox's is close by.
        reach = max(3.0 * m.box.height, 40.0) if m.role != "switch" else max(6.0 * m.box.height, 150.0)
        label = side_label(m.box, lines.near(m.box, reach), reach, blockers)
        if label is not None and _wordlike(label.text.strip(GLYPHS)):
            out.append(Found(m.role, m.box, min(m.score + _LABEL_BONUS, _MAX_SCORE), m.states,
                             text=_label_text(label), label_box=label.box))
        elif not len(lines):
            out.append(m)
        elif m.box.height <= _MAX_UNLABELLED or m.role == "switch":
            # With OCR run and no text beside it, the shape is more likely an icon.
            out.append(Found(m.role, m.box, m.score - _NO_LABEL_PENALTY, m.states))
    return out


def _column_labels(marks: list[Found], lines: LineIndex, framed: list[Found]) -> list[Found]:
    """Label the indicators of a form's control column from its label column.

    A form puts labels in one column and controls in the next, so a short
    label may end far left of its checkbox, beyond the reach of
    :func:`side_label`. Where another indicator in the same column has its
    label on its left, text on this one's row starting where that label
    starts is this one's label.
    """
    columns = [m for m in marks if m.label_box is not None and m.label_box.x1 <= m.box.x0]
    blockers = [m.box for m in marks] + [f.box for f in framed]
    out = []
    for m in marks:
        starts = [c.label_box.x0 for c in columns if abs(c.box.x0 - m.box.x0) <= 3]  # type: ignore[union-attr]
        if m.text or not starts or m.role not in ("checkbox", "radio"):
            out.append(m)
            continue
        row = [ln for ln in lines.near(m.box, m.box.x0 - min(starts)) if same_row(m.box, ln.box)
               and ln.box.x1 <= m.box.center[0] and any(abs(ln.box.x0 - x) <= 3 for x in starts)]
        label = max(row, key=lambda ln: ln.box.x1, default=None)
        if label is None or not _wordlike(label.text.strip(GLYPHS)) or any(
                Box(label.box.x1, m.box.y0, m.box.x0, m.box.y1).intersection(b) > 0 for b in blockers):
            out.append(m)
            continue
        out.append(Found(m.role, m.box, min(m.score + _NO_LABEL_PENALTY + _LABEL_BONUS, _MAX_SCORE), m.states,
                         text=_label_text(label), label_box=label.box))
    return out


def _label_frames(framed: list[Found], lines: LineIndex, marks: list[Found]) -> list[Found]:
    out = []
    blockers = [f.box for f in framed] + [m.box for m in marks]
    for f in framed:
        if f.role not in ("field", "dropdown"):
            out.append(f)
            continue
        near = lines.near(f.box, max(4 * f.box.height, 120))
        label = frame_label(f.box, near, [b for b in blockers if b != f.box])
        if label is None:
            out.append(f)
        elif f.role == "field":
            out.append(Found("field", f.box, min(f.score + 0.15, _MAX_SCORE), text=_label_text(label),
                             label_box=label.box, description=f.description, inner=f.inner))
        else:
            out.append(Found("dropdown", f.box, min(f.score + 0.1, _MAX_SCORE), text=f.text,
                             label_box=label.box, description=_label_text(label), inner=f.inner))
    return out


def _wordlike(text: str) -> bool:
    """A label is a word: one Latin letter beside a box is a neighbouring glyph (a title bar's x)."""
    alnum = [ch for ch in text if ch.isalnum()]
    return len(alnum) >= 2 or any("\u3400" <= ch <= "\u9fff" for ch in alnum)


def _label_text(line: TextLine) -> str:
    """A label as a person would say it: without the colon forms put after it."""
    return line.text.strip().rstrip(":：").strip()


def _candidate(f: Found) -> Candidate:
    return Candidate(box=f.box, text=f.text, role=f.role, source="controls", score=round(float(f.score), 4),
                     label_box=f.label_box, states=f.states, description=f.description)
