"""Words that name opposite controls, so a match by meaning never swaps them.

Sentence embeddings place "zoom in" next to "zoom out" and "lock" next to
"unlock": they share a topic, and that is all MiniLM sees. On a toolbar the
two are different buttons side by side, so when the person's phrase and a
text (or an icon's name) differ by such a pair, the meaning-level matchers
must treat them as different, however close their vectors are.
"""

from __future__ import annotations

from desktop.core.textmatch import tokenize

__all__ = ["OPPOSITE_WORDS", "opposed"]

#: Each pair: words on one side name the opposite of words on the other.
OPPOSITE_WORDS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("in",), ("out",)),
    (("login", "signin"), ("logout", "signout")),
    (("up", "upward", "upwards"), ("down", "downward", "downwards")),
    (("left",), ("right",)),
    (("next", "forward", "forwards"), ("previous", "back", "backward", "backwards", "prev")),
    (("first",), ("last",)),
    (("undo",), ("redo",)),
    (("open",), ("close", "closed")),
    (("show", "visible"), ("hide", "hidden")),
    (("expand",), ("collapse",)),
    (("maximize", "maximise"), ("minimize", "minimise")),
    (("lock", "locked"), ("unlock", "unlocked")),
    (("mute", "muted"), ("unmute",)),
    (("play",), ("pause", "stop")),
    (("start",), ("stop", "end")),
    (("increase", "larger", "bigger"), ("decrease", "smaller")),
    (("add", "plus"), ("remove", "minus")),
    (("on",), ("off",)),
    (("enable", "enabled"), ("disable", "disabled")),
    (("upload",), ("download",)),
    (("import",), ("export",)),
    (("connect", "connected"), ("disconnect", "disconnected")),
    (("accept", "allow"), ("decline", "deny", "reject")),
    (("top",), ("bottom",)),
)


#: Both directions of every pair, as sets: asked for each close name of each phrase.
_SIDES = tuple((frozenset(a), frozenset(b)) for one, other in OPPOSITE_WORDS for a, b in ((one, other), (other, one)))


def opposed(phrase: str, text: str) -> bool:
    """Whether ``text`` names the opposite of ``phrase`` ("zoom out" for "zoom in").

    True when one holds a word of a pair, the other a word of the pair's
    other side, and neither holds both (so "in and out" opposes nothing).
    """
    said, seen = set(tokenize(phrase)), set(tokenize(text))
    return any(said & a and seen & b and not said & b and not seen & a for a, b in _SIDES)
