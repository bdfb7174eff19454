"""OCR text around controls: labels, text inside frames, and menu bars.

The OCR source hands us lines (``Candidate`` with role ``text``) with word
boxes in ``parts`` (every CJK character is a part of its own). A line may run
across several controls ("O Small O Medium O Large" read as one line, the
radios read as letters), so lines are split into word groups at wide gaps
and at the controls themselves before they are used as labels.
"""

from __future__ import annotations

import re
from typing import Iterable, Sequence

import numpy as np

from desktop.core.geometry import Box
from desktop.core.results import Candidate
from desktop.grounding._controls_found import TextLine

__all__ = ["GLYPHS", "LineIndex", "boxes_array", "arrow_read_as_letter", "read_as_word", "inside_word", "text_lines", "split_at", "words_inside", "glyph_in_words", "side_label", "frame_label",
           "same_row"]

Word = tuple[str, Box]

#: What OCR makes of a checkbox, radio or frame edge read as a letter.
GLYPHS = "口□☐☑☒■○◯●◉◎⊙°oO0０ＯCcDQ©®回囗|[](){}（）【】?✓✔<>Il1"
_GLYPH_WORD = re.compile(f"^[{re.escape(GLYPHS)}]{{1,2}}$")
_EDGE_JUNK = "|[](){}:;.,'\"`"
_KEY_MARKS = (".", ",")
_KEY_PARENS = ("(", ")")

def boxes_array(boxes: Iterable[Box]) -> np.ndarray:
    """``(N, 4)`` float array of ``x0, y0, x1, y1``."""
    arr = np.array([(b.x0, b.y0, b.x1, b.y1) for b in boxes], np.float64)
    return arr.reshape(-1, 4)


def hits(arr: np.ndarray, box: Box, margin: float = 0.0) -> np.ndarray:
    """Indices of the rows of ``arr`` whose boxes meet ``box`` grown by ``margin``."""
    if len(arr) == 0:
        return np.zeros(0, np.int64)
    hit = ((arr[:, 0] < box.x1 + margin) & (arr[:, 2] > box.x0 - margin)
           & (arr[:, 1] < box.y1 + margin) & (arr[:, 3] > box.y0 - margin))
    return np.flatnonzero(hit)


class LineIndex(Sequence[TextLine]):
    """Text lines with a box index, so each control looks only at the text near it.

    Screens full of text have hundreds of lines and hundreds of shapes;
    comparing every pair in Python would cost more than finding the shapes.
    """

    def __init__(self, lines: Iterable[TextLine]) -> None:
        self._lines = list(lines)
        self._arr = boxes_array(ln.box for ln in self._lines)

    def __getitem__(self, i):  # type: ignore[override]
        return self._lines[i]

    def __len__(self) -> int:
        return len(self._lines)

    def near(self, box: Box, margin: float = 0.0) -> list[TextLine]:
        """Lines whose boxes meet ``box`` grown by ``margin``."""
        return [self._lines[i] for i in hits(self._arr, box, margin)]


def _words(cand: Candidate) -> list[Word]:
    words = [(w.strip(), b) for w, b in cand.parts if w.strip()]
    if words:
        return sorted(words, key=lambda wb: wb[1].x0)
    # No word boxes: spread the words over the line in proportion to their length.
    text, box = cand.text.strip(), cand.box
    out, pos = [], 0
    for word in text.split():
        start = text.index(word, pos)
        pos = start + len(word)
        out.append((word, Box(box.x0 + box.width * start / len(text), box.y0,
                              box.x0 + box.width * pos / len(text), box.y1)))
    return out


def _line(words: Sequence[Word]) -> TextLine:
    box = words[0][1]
    for _, b in words[1:]:
        box = box.union(b)
    text = ""
    for i, (w, b) in enumerate(words):
        # CJK characters come one per word: join them without spaces when they touch.
        tight = i > 0 and b.x0 - words[i - 1][1].x1 < 0.25 * b.height and not (w.isascii() and words[i - 1][0].isascii())
        text += w if i == 0 or tight else " " + w
    return TextLine(text, box, tuple(words))


def _groups(words: Sequence[Word], height: float, gap: float) -> list[TextLine]:
    out, group = [], [words[0]]
    for word in words[1:]:
        if word[1].x0 - group[-1][1].x1 > gap * height:
            out.append(_line(group))
            group = []
        group.append(word)
    out.append(_line(group))
    return out


def text_lines(texts: Iterable[Candidate], gap: float = 0.9) -> list[TextLine]:
    """OCR lines split into word groups wherever the gap between words is wide.

    A gap wider than ``gap`` line heights separates things a person reads as
    apart (two radio labels, two menu titles); a word space is about a third
    of the height.
    """
    out: list[TextLine] = []
    for cand in texts:
        words = _words(cand)
        if words:
            out.extend(_groups(words, cand.box.height, gap))
    return out


def split_at(lines: Sequence[TextLine], boxes: Sequence[Box]) -> list[TextLine]:
    """Cut lines at the controls inside them, leaving only the text beside each control.

    Words centred on a control are its own (its value, or the indicator OCR
    read as a letter) and go; words that overhang one are trimmed to its edge.
    """
    arr = boxes_array(boxes)
    out: list[TextLine] = []
    for line in lines:
        pieces = [line]
        for k in hits(arr, line.box):
            pieces = [q for p in pieces for q in _cut(p, boxes[int(k)])]
        out.extend(pieces)
    return out


def _cut(line: TextLine, box: Box) -> list[TextLine]:
    if not any(b.intersection(box) > 0 for _, b in line.words):
        return [line]
    left: list[Word] = []
    right: list[Word] = []
    cx = box.center[0]
    for word, wbox in line.words:
        if box.contains(*wbox.center) or (wbox.intersection(box) > 0 and _GLYPH_WORD.match(word)):
            continue
        if wbox.intersection(box) > 0:
            on_right = wbox.center[0] > cx
            word = _strip_glyph(word, at_start=on_right)
            x0, x1 = (box.x1, wbox.x1) if on_right else (wbox.x0, box.x0)
            if not word or x1 <= x0:
                continue  # nothing of the word is left outside the control
            wbox = Box(x0, wbox.y0, x1, wbox.y1)
        (left if wbox.center[0] < cx else right).append((word, wbox))
    return [_line(side) for side in (left, right) if side]


def _strip_glyph(word: str, at_start: bool) -> str:
    """Remove the indicator OCR glued to a word ("口Remember"): at most two glyph characters."""
    for _ in range(2):
        if at_start and word[:1] in GLYPHS and _glued(word[:1], word[1:2]):
            word = word[1:]
        elif not at_start and word[-1:] in GLYPHS and _glued(word[-1:], word[-2:-1]):
            word = word[:-1]
    return word


def _glued(glyph: str, neighbour: str) -> bool:
    """Whether ``glyph`` is an indicator read into the word rather than the word's own letter.

    A letter-like glyph ("O", "c", "l") only counts before a capital ("ORemember"):
    "checkbutton" keeps its c.
    """
    if not glyph.isalnum():
        return True
    return neighbour.isupper() or not neighbour.isalpha()


#: What OCR reads a check mark as.
_TICKS = frozenset({"v", "V", "√", "✓", "✔", "/", "J"})


def read_as_word(box: Box, lines: Sequence[TextLine], glyphs_too: bool = False, ticked: bool = False) -> bool:
    """OCR read the whole near-square shape as a character or short word ("回", "of"): text, not a control.

    ``glyphs_too`` also counts words OCR makes of indicators ("O", "口"); leave
    it off for indicators themselves. ``ticked``: the shape holds a check
    mark, so a lone "V" or "√" read from it is that mark, not a word.
    """
    if box.width > 1.5 * box.height:
        return False  # wider shapes are buttons whose label OCR stretched to their frame
    for line in lines:
        for word, wbox in line.words:
            if box.overlap_of_smaller(wbox) < 0.8 or wbox.area > 2.5 * box.area or box.area > 2.5 * wbox.area:
                continue
            if ticked and word.strip() in _TICKS:
                continue
            if any(ch.isalnum() for ch in word) and (glyphs_too or not _GLYPH_WORD.match(word)):
                return True
    return False


def inside_word(box: Box, lines: Sequence[TextLine]) -> bool:
    """``box`` lies within one OCR word and is no taller than it: a letter's hole or outline, not a frame."""
    for line in lines:
        for word, wbox in line.words:
            # A glyph is about as wide as the line is tall; a button is wider (OCR
            # sometimes runs a row of buttons together into one "word").
            if (wbox.expand(1).overlap_of_smaller(box) >= 0.85 and box.width <= 0.7 * wbox.width
                    and box.width <= 1.2 * wbox.height and box.height <= 1.3 * wbox.height
                    and any(ch.isalnum() for ch in word)):
                return True
    return False


def glyph_in_words(box: Box, line: TextLine) -> bool:
    """Whether ``box`` is a letter inside a word of ``line`` (not a control OCR read as a letter)."""
    for word, wbox in line.words:
        if (wbox.expand(1).overlap_of_smaller(box) >= 0.85 and wbox.width >= 1.5 * box.width
                and wbox.height >= 1.5 * box.height):
            return True  # a stroke of a bigger character, such as the inner square of 回
        if box.overlap_of_smaller(wbox) < 0.7 or box.height > 1.6 * wbox.height or _GLYPH_WORD.match(word):
            continue
        edge = 0.5 * box.width
        if box.x0 - wbox.x0 > edge and wbox.x1 - box.x1 > edge:
            return True  # in the middle of a word
        if 0.8 * box.width <= wbox.width < 1.8 * box.width and wbox.height >= 0.7 * box.height \
                and sum(ch.isalnum() for ch in word) >= 2:
            return True  # the shape is read as a short word of its own ("OK", "00")
    return False


def arrow_read_as_letter(arrow: Box, lines: Sequence[TextLine]) -> bool:
    """OCR read the would-be arrow as the last letter of a word ending in v or w."""
    for line in lines:
        for word, wbox in line.words:
            if wbox.contains(*arrow.center) and word[-1:] in "vVwW" and wbox.x0 < arrow.x0 - arrow.width:
                return True
    return False


def words_inside(box: Box, lines: Sequence[TextLine]) -> str:
    """The text whose words' centres lie in ``box``, in reading order, stripped of border junk."""
    rows = []
    for line in lines:
        words = [(w, b) for w, b in line.words if box.contains(*b.center)]
        if words:
            rows.append(_line(words))
    rows.sort(key=lambda ln: (round(ln.box.y0 / max(ln.box.height, 1)), ln.box.x0))
    text = " ".join(ln.text for ln in rows).strip()
    # A lone decimal point (or comma) is a calculator key's whole label, not a border read as text;
    # so is a lone parenthesis in the middle of the frame (a frame's edge read as one lies at its side).
    if text in _KEY_MARKS or (text in _KEY_PARENS and abs(rows[0].box.center[0] - box.center[0]) <= 0.2 * box.width):
        return text
    return text.strip(_EDGE_JUNK + " ")


def same_row(a: Box, b: Box) -> bool:
    overlap = min(a.y1, b.y1) - max(a.y0, b.y0)
    return overlap >= 0.5 * min(a.height, b.height) and abs(a.center[1] - b.center[1]) <= 0.6 * max(a.height, b.height)


def _clear(lo: float, hi: float, box: Box, blockers: Sequence[Box]) -> bool:
    if hi - lo <= 1:
        return True
    span = Box(lo, box.y0, hi, box.y1)
    return not any(span.intersection(b) > 0 for b in blockers)


def side_label(box: Box, lines: Sequence[TextLine], reach: float, blockers: Sequence[Box] = ()) -> TextLine | None:
    """The label beside a control: the nearest line to the right on its row, else to the left.

    ``reach`` is how far away the label may start; a control in ``blockers``
    between the two means the text belongs to that control instead.
    """
    others = [b for b in blockers if b.iou(box) < 0.9]
    # OCR word boxes can overhang the control by a few pixels: judge sides by where words start and end.
    cx = box.center[0]
    right = sorted((ln for ln in lines if same_row(box, ln.box) and ln.box.x0 >= cx
                    and ln.box.x0 - box.x1 <= reach), key=lambda ln: ln.box.x0)
    if right and _clear(box.x1, right[0].box.x0, box, others):
        return right[0]
    left = sorted((ln for ln in lines if same_row(box, ln.box) and ln.box.x1 <= cx
                   and box.x0 - ln.box.x1 <= reach), key=lambda ln: -ln.box.x1)
    if left and _clear(left[0].box.x1, box.x0, box, others):
        return left[0]
    return None


def frame_label(box: Box, lines: Sequence[TextLine], blockers: Sequence[Box] = ()) -> TextLine | None:
    """The label of a field or drop-down: on its row to the left, else just above its left part."""
    left = [ln for ln in lines if same_row(box, ln.box) and ln.box.x1 <= box.x0 + 2
            and box.x0 - ln.box.x1 <= max(4 * box.height, 120)]
    if left:
        best = max(left, key=lambda ln: ln.box.x1)
        if _clear(best.box.x1, box.x0, box, blockers):
            return best
    above = [ln for ln in lines if ln.box.y1 <= box.y0 + 2 and box.y0 - ln.box.y1 <= 1.6 * max(ln.box.height, 10)
             and abs(ln.box.x0 - box.x0) <= max(box.height, 0.25 * box.width)]
    if above:
        return max(above, key=lambda ln: ln.box.y1)
    return None
