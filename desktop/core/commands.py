"""App commands said or typed in the instruction bar, recognised before anything is grounded.

"show numbers" marks every clickable thing with a number; "show grid" opens
the recursive 3×3 grid. Only whole phrases count, so that "click Numbers"
(a button called Numbers) is still an instruction for the engine.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum

__all__ = ["AppCommand", "parse_command", "COMMAND_PHRASES", "ModeAction", "mode_action", "spoken_number"]


class AppCommand(str, Enum):
    """What the app itself does instead of grounding an instruction."""

    NUMBERS = "numbers"
    GRID = "grid"


#: Phrases that name each command, after lower-casing and dropping punctuation and politeness.
COMMAND_PHRASES: dict[AppCommand, frozenset[str]] = {
    AppCommand.NUMBERS: frozenset({
        "show numbers", "numbers", "show number", "number", "show the numbers", "number everything",
        "show numbers on everything", "label everything", "show labels",
        "显示数字", "显示编号", "数字", "编号", "显示号码", "标号",
    }),
    AppCommand.GRID: frozenset({
        "show grid", "grid", "show the grid", "mouse grid", "mousegrid", "show mouse grid", "open grid",
        "显示网格", "网格", "鼠标网格", "显示格子",
    }),
}

_POLITE = re.compile(r"^(?:please\s+|could you\s+|can you\s+|请)|(?:\s+please|吧)$")
_PUNCT = re.compile(r"[\s.,!?;:。，！？；：、]+")


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold().strip()
    text = _PUNCT.sub(" ", text).strip()
    previous = None
    while previous != text:  # "please show numbers please"
        previous, text = text, _POLITE.sub("", text).strip()
    return text


def parse_command(text: str) -> AppCommand | None:
    """The app command ``text`` names, or ``None`` when it is an instruction for the engine.

    >>> parse_command("Show numbers")
    <AppCommand.NUMBERS: 'numbers'>
    >>> parse_command("click Numbers") is None
    True
    """
    phrase = _normalise(text)
    for command, phrases in COMMAND_PHRASES.items():
        if phrase in phrases or phrase.replace(" ", "") in phrases:
            return command
    return None


@dataclass(frozen=True)
class ModeAction:
    """What a person said (or typed) while numbers or the grid are shown.

    ``kind`` is ``number`` (``value``: a number, or a grid cell), ``accept``
    (click: Enter), ``back`` (the grid's Backspace), ``next_page``,
    ``previous_page``, ``cancel`` or ``unknown``.
    """

    kind: str
    value: int = 0


_UNITS = {"zero": 0, "oh": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
          "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
          "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
          "too": 2, "for": 4, "ate": 8, "won": 1}  # what recognizers hear for short numbers
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}
_ZH = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_FILLER = frozenset({"number", "click", "press", "choose", "pick", "select", "cell", "the", "go", "to", "号",
                     "点击", "第", "个", "格"})
_WORDS = {
    "accept": {"click", "click it", "ok", "okay", "yes", "enter", "go", "click there", "click here", "确定", "点击"},
    "back": {"back", "go back", "up", "undo", "zoom out", "backspace", "返回", "后退"},
    "next_page": {"next", "next page", "more", "page down", "下一页"},
    "previous_page": {"previous", "previous page", "page up", "上一页"},
    "cancel": {"cancel", "stop", "escape", "close", "never mind", "no", "取消", "关闭"},
}


def _zh_number(text: str) -> int | None:
    if not text or any(ch not in _ZH and ch != "十" for ch in text):
        return None
    if "十" not in text:
        return int("".join(str(_ZH[ch]) for ch in text))
    tens, _, units = text.partition("十")
    t = _ZH.get(tens, None) if tens else 1
    u = _ZH.get(units, None) if units else 0
    return None if t is None or u is None else t * 10 + u


def spoken_number(text: str) -> int | None:
    """A whole number said or typed: "12", "twelve", "twenty three", "forty-two", "十二"; else ``None``."""
    words = [w for w in _normalise(text).replace("-", " ").split() if w not in _FILLER]
    if not words:
        return None
    joined = re.sub("点击|第|号|个|格", "", "".join(words))
    if joined.isdigit():
        return int(joined)
    zh = _zh_number(joined)
    if zh is not None:
        return zh
    if len(words) == 1 and words[0] in _UNITS:
        return _UNITS[words[0]]
    if words[0] in _TENS and (len(words) == 1 or len(words) == 2 and _UNITS.get(words[1], 10) < 10):
        return _TENS[words[0]] + (_UNITS[words[1]] if len(words) == 2 else 0)
    if all(w in _UNITS and _UNITS[w] < 10 for w in words) and len(words) <= 3:  # "one two" → 12
        return int("".join(str(_UNITS[w]) for w in words))
    return None


def mode_action(text: str) -> ModeAction:
    """What ``text`` asks of the numbers or grid overlay (see :class:`ModeAction`)."""
    phrase = _normalise(text)
    for kind, phrases in _WORDS.items():
        if phrase in phrases:
            return ModeAction(kind)
    number = spoken_number(phrase)
    return ModeAction("number", number) if number is not None else ModeAction("unknown")
