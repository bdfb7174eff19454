"""Which way the icon for a direction word points: "forward" is drawn as ▶, "up" as ▲.

Icon sets name a bare arrow by its shape and its direction ("caret right",
"chevron right", "triangle right"), and MiniLM puts none of those names
near "forward" or "next" (cosine < 0.7), so the phrase search gave a
plain ▶ no more belief on "forward" than a folder with a green plus. A
phrase that is only a direction ("forward", "go back", "next page",
"scroll down") also counts the names of arrows pointing that way.
"""

from __future__ import annotations

import re
from typing import Sequence

from desktop.core.textmatch import tokenize

__all__ = ["direction_of", "pointing_names"]

#: The way each word points, as left-to-right UIs draw it.
_DIRECTIONS: dict[str, tuple[str, ...]] = {
    "right": ("right", "forward", "forwards", "next"),
    "left": ("left", "back", "backward", "backwards", "previous", "prev"),
    "up": ("up", "upward", "upwards"),
    "down": ("down", "downward", "downwards"),
}
_WAY = {word: way for way, words in _DIRECTIONS.items() for word in words}
#: Words that leave a direction phrase a direction ("go back", "next page"); any other word makes
#: it something else ("sign up", "shut down", "back up" has two ways and is none).
_NEUTRAL = frozenset({"go", "arrow", "page", "scroll", "move", "navigate", "step", "one", "the", "a"})
#: Names of a bare pointing shape: with a direction, "caret right", "right arrow".
_SHAPES = ("arrow", "arrows", "arrowhead", "caret", "chevron", "cheveron", "chevrons", "triangle", "angle",
           "angles", "go", "pan", "direction", "pointing")
_SHAPE = "|".join(_SHAPES)


def direction_of(phrase: str) -> str | None:
    """``right``, ``left``, ``up`` or ``down`` when ``phrase`` asks for nothing but that way, else None."""
    words = tokenize(phrase)
    ways = {_WAY[w] for w in words if w in _WAY}
    if len(ways) != 1 or any(w not in _WAY and w not in _NEUTRAL for w in words):
        return None
    return next(iter(ways))


def pointing_names(words: Sequence[str], direction: str) -> list[int]:
    """Indices of ``words`` (a vocabulary) that name a bare shape pointing ``direction``."""
    pattern = re.compile(rf"(?:{_SHAPE}) {direction}|{direction} (?:{_SHAPE})")
    return [i for i, word in enumerate(words) if pattern.fullmatch(word)]
