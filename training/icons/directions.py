"""Rotated copies of direction glyphs, labelled with the direction they then point to.

A model trained on whole icon sets sees "arrow up" and "arrow right" as two
unrelated concepts drawn in many styles; on a screen it then confuses a ▲
with a ▶ beside it. Rotating a pure direction glyph gives, in exactly the
same style, the glyph of another direction: an arrow up turned a quarter
clockwise *is* an arrow right. Each copy is labelled with the concept of the
same set that carries the rotated name ("chevron up" → "chevron right",
freedesktop "go up" → "go next", "pan up" → "pan end"), so it inherits that
concept's names, aliases and tags exactly; a copy whose target concept the
set does not have is dropped rather than given an invented name.

Only names made of one direction word and shape words that do not change
meaning when turned ("arrow", "chevron", "caret", "triangle", "circle", …)
are rotated. "Volume up", "thumbs up", "cloud up", "sort up" or "file arrow
up" are not rotations of each other, and neither are forward/back,
next/previous outside the freedesktop ``go-`` names, or undo/redo.
"""

from __future__ import annotations

import logging
from collections import defaultdict

import numpy as np

__all__ = ["rotated_name", "rotated_copies"]

logger = logging.getLogger(__name__)

#: Directions in clockwise order: a quarter turn clockwise moves one step along.
_CLOCKWISE = ("up", "right", "down", "left")
#: Words naming a direction in one stem's vocabulary (freedesktop ``go-``/``pan-`` names, LTR).
_CONTEXT_WORDS = {"go": {"next": "right", "previous": "left"}, "pan": {"start": "left", "end": "right"}}
#: Words that keep their meaning when the glyph is turned: the glyph is all direction.
_SHAPE_WORDS = frozenset({"arrow", "arrows", "chevron", "chevrons", "caret", "triangle", "pan", "go", "angle",
                          "angles", "double", "circle", "circled", "square", "box", "small", "big", "narrow",
                          "long", "short", "thick", "alt", "drop", "keyboard", "menu", "mini", "round",
                          "rounded"})
#: "Right angle" and "right triangle" are geometry (∟, ◺), not directions.
_GEOMETRY = frozenset({"angle", "triangle"})


def _pure(words: list[str], i: int, stem: set[str]) -> bool:
    """Whether ``words`` with its direction at ``i`` names a glyph that is only a direction."""
    if not stem or len(stem) != len(words) - 1:
        return False          # a bare "up" can be anything (a chart going up); other words change meaning
    if "menu" in stem and stem != {"menu"}:
        return False          # "menu up" is a ▲, but "menu alt left" is a left-aligned hamburger
    return not (words[i] in ("left", "right") and i + 1 < len(words) and words[i + 1] in _GEOMETRY)


def _direction(word: str, stem: set[str]) -> str | None:
    if word in _CLOCKWISE:
        return word
    for context, words in _CONTEXT_WORDS.items():
        if context in stem and word in words:
            return words[word]
    return None


def rotated_name(name: str, quarter_turns: int) -> list[str]:
    """The names a glyph called ``name`` has after ``quarter_turns`` clockwise quarter turns.

    Parameters
    ----------
    name
        A humanised icon name ("arrow up", "go up", "pan start").
    quarter_turns
        1, 2 or 3.

    Returns
    -------
    list of str
        Candidate names, the plain direction word first ("go right", "go next");
        empty when the name is not a pure direction glyph.
    """
    if quarter_turns not in (1, 2, 3):
        raise ValueError(f"quarter_turns must be 1, 2 or 3, not {quarter_turns}")
    words = name.split()
    stem = {w for w in words if w in _SHAPE_WORDS}
    slots = [i for i, w in enumerate(words) if _direction(w, stem) is not None]
    if len(slots) != 1 or not _pure(words, slots[0], stem):
        return []
    i = slots[0]
    turned = _CLOCKWISE[(_CLOCKWISE.index(_direction(words[i], stem)) + quarter_turns) % 4]  # type: ignore[arg-type]
    choices = [turned] + [w for context, ws in _CONTEXT_WORDS.items() if context in stem
                          for w, d in ws.items() if d == turned]
    out = [words[:i] + [w] + words[i + 1:] for w in choices]
    return [" ".join(o) for o in out if _pure(o, i, stem)]


def rotated_copies(masks: np.ndarray, owner: np.ndarray, names: list[str], sets: list[str],
                   usable: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every rotation of every direction glyph whose target concept exists in the glyph's own set.

    Parameters
    ----------
    masks, owner
        Rendered coverage masks ``(N, H, W)`` and each one's record index.
    names, sets
        Per record: its humanised name and its set.
    usable
        Per record: whether it is training data (held-out sets and records
        without targets are neither rotated nor rotated into).

    Returns
    -------
    (copies, copy_owner, source)
        ``copies (M, H, W)`` in the masks' dtype, the record each copy is
        labelled with, and the index of the mask each copy was turned from.
        Deterministic: in mask order, then quarter turns 1, 2, 3.
    """
    if not (len(names) == len(sets) == len(usable)):
        raise ValueError("names, sets and usable must have one entry per record")
    if len(masks) != len(owner):
        raise ValueError(f"{len(masks)} masks but {len(owner)} owners")
    by_name: dict[tuple[str, str], int] = {}
    for index, (s, n) in enumerate(zip(sets, names)):
        if usable[index]:
            by_name.setdefault((s, n), index)
    out, out_owner, source = [], [], []
    for m, o in enumerate(owner.tolist()):
        if not usable[o]:
            continue
        for k in (1, 2, 3):
            target = next((by_name[sets[o], n] for n in rotated_name(names[o], k) if (sets[o], n) in by_name),
                          None)
            if target is not None:
                out.append(np.rot90(masks[m], -k))     # negative: clockwise
                out_owner.append(target)
                source.append(m)
    shape = (0, *masks.shape[1:])
    copies = np.ascontiguousarray(np.stack(out)) if out else np.zeros(shape, masks.dtype)
    counts: dict[str, int] = defaultdict(int)
    for m in source:
        counts[sets[owner[m]]] += 1
    logger.info("%d rotated direction glyphs from %d sets", len(out), len(counts))
    return copies, np.array(out_owner, np.int64), np.array(source, np.int64)
