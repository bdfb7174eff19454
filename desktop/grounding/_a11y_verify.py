"""Trust but verify: check each tree element's box against the captured image and the OCR text.

Applications report wrong boxes: a toolbar offset by the height of a native
menu bar, a hidden page or a closed popup still "showing", a window covered
by another one. Before anything is offered as a click target:

* elements of a window covered by a higher window are dropped (stacking order);
* elements whose name OCR read a little way off, consistently across a
  container (or a whole window), are moved by that offset, and so are their
  neighbours in that container (icon-only buttons of the same toolbar);
* elements whose box is one flat colour (nothing is drawn there) are dropped;
* an element whose box holds text that another element of the same window is
  named after, while its own name is read nowhere in it, is a stale one
  lying over the visible page and is dropped;
* the rest get a score saying how well they were verified (text read inside
  that agrees with the name > drawn but no text > text that disagrees).
"""

from __future__ import annotations

import bisect
import statistics
from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Sequence

import numpy as np

from desktop.core.geometry import Box, ScreenMapping
from desktop.core.results import Candidate
from desktop.core.textmatch import is_cjk, match_text, normalize
from desktop.grounding._a11y_tree import TreeNode, TreeSnapshot

__all__ = ["Checked", "verify", "agreement", "SCORES"]

#: Scores by kind of evidence (the candidate's ``score``).
SCORES = {"text": 0.97, "drawn": 0.85, "drawn_wordy": 0.75, "label_differs": 0.75, "unread": 0.85}
_AGREE = 0.85
_FLAT_RANGE = 10  # grey levels: less than this inside a box means nothing is drawn there
_OFFSET_TOLERANCE = 4.0
_DISABLED_FACTOR = 0.6
_SHIFTED_FACTOR = 0.95
#: Roles often drawn without text (an icon button, a slider): no text inside is expected.
_OFTEN_TEXTLESS = frozenset({"button", "icon", "image", "slider", "field", "dropdown", "checkbox", "radio",
                             "switch"})


@dataclass(frozen=True)
class Checked:
    """A tree element that passed the checks: its box in image pixels, and how well it was verified."""

    node: TreeNode
    box: Box
    score: float
    seen: str = ""
    shifted: bool = False
    evidence: str = ""


def agreement(name: str, seen: str) -> float:
    """How well an accessible name and the text read inside its box agree, in [0, 1]."""
    if not normalize(name) or not normalize(seen):
        return 0.0
    whole = Box(0, 0, 1, 1)
    best = 0.0
    forward = match_text(name, seen, whole)
    if forward is not None:
        best = forward.score
    backward = match_text(seen, name, whole)  # a visible "Save" for the name "Save document"
    if backward is not None:
        best = max(best, backward.score * 0.95)
    return best


def _words(found: Sequence[Candidate]) -> list[tuple[str, Box]]:
    """OCR words in reading order (lines top to bottom, words as the line has them)."""
    lines = sorted((c for c in found if c.source == "ocr"), key=lambda c: (c.box.center[1], c.box.x0))
    out: list[tuple[str, Box]] = []
    for c in lines:
        out += list(c.parts) if c.parts else [(c.text, c.box)]
    return out


class _Words:
    """OCR words in reading order, with a quick lookup of those whose centre lies in a box."""

    def __init__(self, words: list[tuple[str, Box]]) -> None:
        self.words = words
        self._by_y = sorted(range(len(words)), key=lambda i: words[i][1].center[1])
        self._ys = [words[i][1].center[1] for i in self._by_y]

    def inside(self, box: Box) -> str:
        lo, hi = bisect.bisect_left(self._ys, box.y0), bisect.bisect_left(self._ys, box.y1)
        hits = sorted(i for i in self._by_y[lo:hi] if box.contains(*self.words[i][1].center))
        return " ".join(self.words[i][0] for i in hits)


def _text_inside(box: Box, words: _Words) -> str:
    return words.inside(box)


def _meaningful(seen: str, name: str) -> bool:
    """Whether text read inside a box is a label, not OCR reading an icon as "x", "口" or "= 二"."""
    cjk = sum(is_cjk(ch) for ch in seen)
    if cjk:
        return cjk >= 2 and (is_cjk(name) or not name.strip())
    return sum(ch.isalnum() for ch in seen) >= 3


def _named(name: str) -> bool:
    return sum(ch.isalnum() for ch in name) >= 2


@dataclass
class _Item:
    node: TreeNode
    box: Box
    covered: float


def _covered(node: TreeNode, snapshot: TreeSnapshot) -> float:
    """Share of the element's box under windows stacked above its own window."""
    if node.box is None or node.window < 0 or node.window >= len(snapshot.windows):
        return 0.0
    z = snapshot.windows[node.window].z
    if z is None:
        return 0.0
    hidden = sum(node.box.intersection(b) for b, bz in snapshot.covers if bz > z)
    return min(1.0, hidden / node.box.area) if node.box.area > 0 else 0.0


def _to_image(mapping: ScreenMapping, box: Box) -> Box:
    x0, y0 = mapping.to_image(box.x0, box.y0)
    x1, y1 = mapping.to_image(box.x1, box.y1)
    return Box(x0, y0, x1, y1)


def _candidates_in_region(snapshot: TreeSnapshot, mapping: ScreenMapping, size: tuple[int, int]) -> list[_Item]:
    w, h = size
    out = []
    for node in snapshot.nodes:
        if not node.role or node.box is None or "showing" not in node.states:
            continue
        covered = _covered(node, snapshot)
        if covered > 0.5:
            continue
        box = _to_image(mapping, node.box)
        inside = box.clip(w, h)
        if box.area <= 0 or inside.area < 0.5 * box.area or inside.width < 3 or inside.height < 3:
            continue
        out.append(_Item(node, inside, covered))
    return out


def _displacement(name: str, box: Box, found: Sequence[Candidate]) -> tuple[float, float] | None:
    """Where OCR read ``name`` near (not inside) ``box``: the shift that would put it inside."""
    reach_y = max(80.0, 3 * box.height)
    reach_x = max(60.0, box.width)
    best: tuple[float, tuple[float, float]] | None = None
    for c in found:
        if c.source != "ocr" or abs(c.box.center[1] - box.center[1]) > reach_y + c.box.height:
            continue
        m = match_text(name, c.text, c.box, c.parts)
        if m is None or m.score < _AGREE:
            continue
        cx, cy = m.box.center
        dy = cy - box.center[1]
        dx = 0.0 if box.x0 <= m.box.x0 and m.box.x1 <= box.x1 else cx - box.center[0]
        if abs(dx) > reach_x or abs(dy) > reach_y or box.contains(cx, cy):
            continue
        distance = abs(dx) + abs(dy)
        if best is None or distance < best[0]:
            best = (distance, (dx, dy))
    return best[1] if best is not None else None


def _agreed_offset(votes: list[tuple[float, float]]) -> tuple[float, float] | None:
    if not votes:
        return None
    mx = statistics.median(v[0] for v in votes)
    my = statistics.median(v[1] for v in votes)
    if all(abs(v[0] - mx) <= _OFFSET_TOLERANCE and abs(v[1] - my) <= _OFFSET_TOLERANCE for v in votes):
        return mx, my
    return None


def _offsets(items: list[_Item], words: _Words,
             found: Sequence[Candidate]) -> dict[tuple[int, int], tuple[float, float]]:
    """Per (window, parent) group: the offset its named elements agree on, when none reads in place.

    A group with no named element of its own takes its window's offset, when
    every vote in that window agrees and nothing in the window reads in place.
    """
    groups: dict[tuple[int, int], list[_Item]] = defaultdict(list)
    for it in items:
        groups[(it.node.window, it.node.parent)].append(it)
    out: dict[tuple[int, int], tuple[float, float]] = {}
    window_votes: dict[int, list[tuple[float, float]]] = defaultdict(list)
    window_in_place: dict[int, int] = defaultdict(int)
    for key, group in groups.items():
        votes, in_place = [], 0
        for it in group:
            if not _named(it.node.name):
                continue
            if agreement(it.node.name, _text_inside(it.box, words)) >= _AGREE:
                in_place += 1
                continue
            vote = _displacement(it.node.name, it.box, found)
            if vote is not None:
                votes.append(vote)
        window_votes[key[0]] += votes
        window_in_place[key[0]] += in_place
        offset = _agreed_offset(votes)
        if offset is not None and in_place == 0:
            out[key] = offset
    for key in groups:
        if key not in out and window_in_place[key[0]] == 0:
            offset = _agreed_offset(window_votes[key[0]])
            if offset is not None:
                out[key] = offset
    return out


def _is_flat(image: np.ndarray, box: Box) -> bool:
    """Whether the box is one colour (every channel varies by less than a few levels)."""
    crop = image[int(box.y0):int(np.ceil(box.y1)), int(box.x0):int(np.ceil(box.x1))]
    return crop.size == 0 or int(np.ptp(crop.reshape(-1, crop.shape[-1]), axis=0).max()) < _FLAT_RANGE


def _score(it: _Item, seen: str, ocr_ran: bool) -> tuple[float, str]:
    name, role = it.node.name, it.node.role
    if seen and agreement(name, seen) >= _AGREE:
        score, evidence = SCORES["text"], "text"
    elif seen and _named(name) and _meaningful(seen, name):
        score, evidence = SCORES["label_differs"], "label_differs"
    elif not ocr_ran:
        score, evidence = SCORES["unread"], "unread"
    elif role in _OFTEN_TEXTLESS or not _named(name):
        score, evidence = SCORES["drawn"], "drawn"
    else:
        score, evidence = SCORES["drawn_wordy"], "drawn"  # a named tab or menu item OCR did not read
    if "disabled" in it.node.states:
        score *= _DISABLED_FACTOR
    if it.covered > 0.2:
        score *= 0.8
    return score, evidence


def _claims(snapshot: TreeSnapshot, mapping: ScreenMapping) -> list[tuple[TreeNode, Box]]:
    """Every named, showing element with a box (labels too), in image pixels: who a text belongs to."""
    return [(n, _to_image(mapping, n.box)) for n in snapshot.nodes
            if n.box is not None and "showing" in n.states and _named(n.name)]


def _encloses(outer: Box, inner: Box) -> bool:
    return outer.x0 <= inner.x0 + 1 and outer.y0 <= inner.y0 + 1 and outer.x1 >= inner.x1 - 1 \
        and outer.y1 >= inner.y1 - 1


def _stale(checked: list[Checked], claims: list[tuple[TreeNode, Box]]) -> set[int]:
    """Elements lying over another element of the same window whose name is what is read there.

    A hidden page's button still reported as showing sits over the visible
    page's controls and labels; their names, not its own, are read in its box.
    """
    drop = set()
    for i, a in enumerate(checked):
        if a.evidence == "text" or not a.seen:
            continue
        for node, box in claims:
            if node is a.node or node.window != a.node.window or _encloses(box, a.box):
                continue
            if a.box.overlap_of_smaller(box) > 0.5 and agreement(node.name, a.seen) >= _AGREE:
                drop.add(i)
                break
    return drop


def verify(snapshot: TreeSnapshot, mapping: ScreenMapping, image: np.ndarray,
           found: Sequence[Candidate]) -> list[Checked]:
    """The snapshot's actionable elements that fit what the image shows, in image pixels.

    Parameters
    ----------
    snapshot
        What the accessibility API reported (pointer coordinates).
    mapping
        The capture's mapping from image pixels to pointer coordinates.
    image
        The capture (RGB ``uint8``).
    found
        What earlier sources found on this image (OCR lines with word parts).
    """
    h, w = image.shape[:2]
    items = _candidates_in_region(snapshot, mapping, (w, h))
    if not items:
        return []
    words = _Words(_words(found))
    ocr_ran = any(c.source == "ocr" for c in found)
    offsets = _offsets(items, words, found) if ocr_ran else {}
    checked: list[Checked] = []
    for it in items:
        offset = offsets.get((it.node.window, it.node.parent))
        if offset is not None:
            moved = it.box.translate(*offset).clip(w, h)
            if moved.width < 3 or moved.height < 3:
                continue
            it = replace(it, box=moved)
        if _is_flat(image, it.box):
            continue
        seen = _text_inside(it.box, words)
        if seen and agreement(it.node.name, seen) < _AGREE and not _meaningful(seen, it.node.name):
            seen = ""
        score, evidence = _score(it, seen, ocr_ran)
        if offset is not None:
            score *= _SHIFTED_FACTOR
        checked.append(Checked(it.node, it.box, round(score, 4), seen, offset is not None, evidence))
    stale = _stale(checked, _claims(snapshot, mapping))
    return [c for i, c in enumerate(checked) if i not in stale]
