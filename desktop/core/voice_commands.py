"""What spoken words mean on the overlay and in the bar, and what the app says back. Qt-free.

On the overlay a person says "click", "click two", "two and four", "all",
"next" or "cancel"; :func:`overlay_action` turns the recognized text into a
:class:`VoiceAction` the GUI carries out exactly as it would the matching key.
:func:`plan_announcement` and :func:`nothing_announcement` are the short
sentences spoken back ("Three matches. Say a number.").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from desktop.core.vocabulary import CARDINAL_WORDS, ORDINAL_WORDS

__all__ = [
    "VoiceAction",
    "OVERLAY_WORDS",
    "CANCEL_WORDS",
    "number_words",
    "overlay_action",
    "is_bar_cancel",
    "plan_announcement",
    "nothing_announcement",
]

_NUMBERS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
            "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
            "twenty")
#: Words that accept the default choice (what Enter does).
CONFIRM_WORDS = ("click", "click it", "confirm", "yes", "ok", "okay", "do it", "go", "go ahead",
                 "click that", "that one", "this one", "press", "select", "choose")
#: Words that close the overlay (or the bar) with no click.
CANCEL_WORDS = ("cancel", "no", "stop", "never mind", "escape", "close")
_NEXT_WORDS = ("next", "next one", "forward", "move on")
_PREVIOUS_WORDS = ("previous", "back", "go back", "previous one")
#: Every whole-utterance word or phrase the overlay understands besides numbers.
OVERLAY_WORDS = CONFIRM_WORDS + CANCEL_WORDS + _NEXT_WORDS + _PREVIOUS_WORDS + ("repeat", "again")

_KINDS = ("confirm", "choose", "all", "next", "previous", "cancel", "repeat", "unknown")
_FILLER = frozenset({"number", "numbers", "the", "please", "and", "then", "on", "click", "press", "select",
                     "choose", "pick", "double", "right", "them", "of", "it", "a"})


@dataclass(frozen=True)
class VoiceAction:
    """What an utterance on the overlay asks for.

    Parameters
    ----------
    kind
        ``confirm`` (as Enter), ``choose`` (``indices``), ``all``, ``next``,
        ``previous``, ``cancel``, ``repeat`` (say the targets again) or
        ``unknown`` (``message`` says why).
    indices
        0-based marker indices, in the order said, for ``choose``.
    message
        For ``unknown``: what to tell the person.
    """

    kind: str
    indices: tuple[int, ...] = ()
    message: str = ""

    def __post_init__(self) -> None:
        if self.kind not in _KINDS:
            raise ValueError(f"unknown voice action {self.kind!r}")


def number_words(n: int) -> tuple[str, ...]:
    """The words for 1..``n`` (at most twenty)."""
    return _NUMBERS[:max(0, min(n, len(_NUMBERS)))]


def _normalise(text: str) -> str:
    text = text.lower().replace("-", " ")
    text = re.sub(r"[^\w\s']", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _number(token: str) -> int | None:
    if token.isdigit():
        return int(token)
    if token in _NUMBERS:
        return _NUMBERS.index(token) + 1
    if token in ORDINAL_WORDS and ORDINAL_WORDS[token] > 0:
        return ORDINAL_WORDS[token]
    if token in CARDINAL_WORDS and token not in ("both",):
        return CARDINAL_WORDS[token]
    return None


def overlay_action(text: str, n_targets: int) -> VoiceAction:
    """Turn what was heard on the overlay into an action over ``n_targets`` markers.

    Examples
    --------
    >>> overlay_action("click two", 3)
    VoiceAction(kind='choose', indices=(1,), message='')
    >>> overlay_action("two and four", 4).indices
    (1, 3)
    """
    said = _normalise(text)
    if not said:
        return VoiceAction("unknown", message="Nothing was heard.")
    if said in CANCEL_WORDS:
        return VoiceAction("cancel")
    if said in _NEXT_WORDS:
        return VoiceAction("next")
    if said in _PREVIOUS_WORDS:
        return VoiceAction("previous")
    if said in ("repeat", "again"):
        return VoiceAction("repeat")
    if re.search(r"\ball\b|\bevery\b|\bboth\b", said):
        return VoiceAction("all")
    if said in CONFIRM_WORDS:
        return VoiceAction("confirm")
    if re.search(r"\blast\b", said):
        return VoiceAction("choose", (n_targets - 1,)) if n_targets else _unknown(said, n_targets)
    numbers = _numbers(said)
    if not numbers or any(n is None for n in numbers):
        return _unknown(said, n_targets)
    chosen = tuple(dict.fromkeys(n - 1 for n in numbers if n is not None))
    wrong = [i + 1 for i in chosen if not 0 <= i < n_targets]
    if wrong:
        return VoiceAction("unknown", message=f"There is no number {wrong[0]}; say a number "
                                              f"from 1 to {n_targets}." if n_targets > 1
                           else f"There is no number {wrong[0]}; say click or cancel.")
    return VoiceAction("choose", chosen)


def _numbers(said: str) -> list[int | None]:
    """The numbers said, in order; "the second one" is 2, not 2 and 1."""
    tokens = [t for t in said.split() if t not in _FILLER]
    out: list[int | None] = []
    for i, token in enumerate(tokens):
        if token == "one" and i > 0 and tokens[i - 1] in ORDINAL_WORDS:
            continue
        out.append(_number(token))
    return out


def _unknown(said: str, n_targets: int) -> VoiceAction:
    options = "a number, all, next or cancel" if n_targets > 1 else "click or cancel"
    return VoiceAction("unknown", message=f"I did not understand \u201c{said}\u201d. Say {options}.")


def is_bar_cancel(text: str) -> bool:
    """Whether a whole utterance in the instruction bar means "close the bar" ("cancel", "never mind").

    "click Cancel" names a Cancel button; the bare word closes the bar.
    """
    return _normalise(text) in CANCEL_WORDS


def _count_word(n: int) -> str:
    return _NUMBERS[n - 1].capitalize() if 1 <= n <= len(_NUMBERS) else str(n)


def plan_announcement(labels: tuple[str, ...], wants_all: bool) -> str:
    """What to say when targets are shown: "Three matches. Say a number."

    Parameters
    ----------
    labels
        The markers' labels, in marker order.
    wants_all
        The instruction asked for several targets ("all checkboxes").
    """
    n = len(labels)
    if n == 0:
        return "Nothing matched."
    if n == 1:
        label = labels[0].strip() or "one target"
        return f"One match: {label}. Say click, or cancel."
    if wants_all:
        return f"{_count_word(n)} matches. Say all, or a number."
    return f"{_count_word(n)} matches. Say a number."


def nothing_announcement(target: str) -> str:
    """What to say when nothing matched: "Nothing matched save."."""
    target = target.strip().rstrip(".")
    return f"Nothing matched {target}." if target else "Nothing matched."
