"""Per-request grammars: the command words plus what is on the captured screen.

A general language model hears "the same spot on" for "click the save
button"; a grammar that only allows commands over the screen's own words
hears it right, in a few tens of milliseconds. This module is plain text
work (no recognizer imports): it turns screen texts into speakable phrases,
writes JSGF for the instruction bar and the overlay, and maps what was heard
back to the screen's spelling ("click save" → "click Save").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

from desktop.core.vocabulary import SYMBOL_NAMES
from desktop.core.voice_commands import OVERLAY_WORDS, number_words

__all__ = [
    "ScreenPhrase",
    "Grammar",
    "VERBS",
    "ICON_LABELS",
    "COMMON_WORDS",
    "Repair",
    "screen_phrases",
    "spoken_number",
    "command_grammar",
    "overlay_grammar",
    "display_text",
]

#: Verbs a person says before a target, with how often (JSGF weights): a plain
#: "click" is by far the most common, and weighting it keeps the rarer verbs
#: from being heard in noise ("tick" for "click").
VERBS: dict[str, int] = {
    "click": 12, "click on": 2, "double click": 3, "double click on": 1, "right click": 3,
    "right click on": 1, "press": 3, "select": 3, "open": 3, "choose": 1, "check": 1, "uncheck": 1,
}
#: Role words the grammar offers (the parser knows more; these are the ones people say).
#: Short, easily misheard ones ("box", "item") are left out: after a label they
#: turn "inbox" into "Kim box".
ROLES = ("button", "checkbox", "check box", "tab", "link", "icon", "field", "text field",
         "menu", "menu item", "option", "radio button", "switch", "dropdown")
PLURALS = ("buttons", "checkboxes", "check boxes", "tabs", "links", "icons", "fields",
           "text fields", "menus", "menu items", "options", "radio buttons", "switches", "dropdowns")
#: Ordinals people say for targets; sixth and beyond are rare and "eighth" in
#: particular is heard in the hiss before a word, so they are left out.
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "last")
#: Controls often drawn as an icon with no text (OCR cannot read them, so
#: they are not in the screen's words): always in the grammar, with less
#: weight than what is on this screen. Only these: every label offered that is
#: not on screen is one more thing to mishear a screen word as (with all of
#: :data:`COMMON_WORDS` here, "click help" was heard as "click the open" and
#: "click start" as "click stop"; grammar accuracy on the benchmark's standard
#: voices rose from 78% to 83% without them, and did not fall on the others).
ICON_LABELS = ("close", "search", "settings", "menu", "home", "back", "refresh", "help", "more", "share",
               "download", "print", "delete", "add", "edit", "undo", "redo", "save")
#: Words on most screens: the targets when no screen words are known at all.
COMMON_WORDS = ("ok", "okay", "cancel", "save", "open", "close", "delete", "help", "yes", "no", "apply",
                "next", "back", "done", "edit", "file", "view", "settings", "search", "home", "menu",
                "new", "print", "undo", "redo", "copy", "paste", "cut", "send", "submit", "continue",
                "finish", "add", "remove", "refresh", "start", "stop", "exit", "quit", "options", "tools",
                "window", "format", "insert", "share", "download", "upload", "sign in", "log in",
                "sign out", "log out", "account", "profile", "login", "more")
_RELATIONS = ("left of", "right of", "to the left of", "to the right of", "above", "below", "under",
              "next to", "near", "beside", "in", "inside")
_STOP = frozenset({"the", "a", "an", "to", "of", "in", "on", "and", "or", "me", "i", "my", "your", "for",
                   "is", "it", "at", "by", "with", "from"})
_VERB_WORDS = frozenset(w for v in VERBS for w in v.split())
#: Longest phrase (in words) kept whole; longer lines add their words one by one.
MAX_PHRASE_WORDS = 6
#: Most screen phrases in one grammar (the biggest screens; more only slows the search).
MAX_PHRASES = 400
#: A repaired reading of a word OCR garbled ("meingnotes" → ("meeting", "notes")), or ``None``.
Repair = Callable[[str], "tuple[str, ...] | None"]

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?|\d+")
_ONES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
         "nineteen")
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


@dataclass(frozen=True)
class ScreenPhrase:
    """Something on screen as it is said (``words``) and as it is written (``text``).

    ``partial``: a person may say only its first or last words ("Subscribe"
    for "Subscribe to newsletter"); not so for a symbol's spoken name.
    """

    words: tuple[str, ...]
    text: str
    partial: bool = True


@dataclass(frozen=True)
class Grammar:
    """A JSGF grammar and every word it uses (each needs a pronunciation)."""

    name: str
    jsgf: str
    words: frozenset[str]
    phrases: tuple[ScreenPhrase, ...] = ()


def spoken_number(n: int) -> str:
    """0–99 in words ("twenty two"); ``""`` for other numbers (nobody says a long number as a target)."""
    if 0 <= n < 20:
        return _ONES[n]
    if 20 <= n < 100:
        return (_TENS[n // 10] + ("" if n % 10 == 0 else " " + _ONES[n % 10])).strip()
    return ""


def _ascii_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _say(text: str) -> list[tuple[str, ...]]:
    """The ways ``text`` is said: words, numbers in words, symbols by name; ``[]`` when unsayable."""
    stripped = text.strip().rstrip(":")
    if stripped in SYMBOL_NAMES:
        names = [n for n in SYMBOL_NAMES[stripped] if re.fullmatch(r"[a-z ]+", n)]
        # "percent" and "per cent" sound the same: offering both only makes the spelling a coin toss.
        unique = {n.replace(" ", ""): n for n in reversed(names)}
        return [tuple(n.split()) for n in names if unique[n.replace(" ", "")] == n]
    words: list[str] = []
    for token in _WORD.findall(_ascii_fold(stripped.replace("&", " and ")).lower()):
        if token.isdigit():
            said = spoken_number(int(token)) if len(token) <= 2 else ""
            if not said:
                return [tuple(words)] if words else []
            words.extend(said.split())
        else:
            words.append(token)
    return [tuple(words)] if words else []


def screen_phrases(texts: Iterable[str], limit: int = MAX_PHRASES,
                   repair: Repair | None = None) -> tuple[ScreenPhrase, ...]:
    """Speakable phrases for the texts on screen (OCR lines, control names), most useful first.

    Short labels stay whole ("Remember me"); long lines (paragraphs) give
    their words one by one, since nobody reads a paragraph aloud to click it.
    Text with no Latin words (Chinese, symbols without a name) is left out:
    the English recognizer cannot say it.

    ``repair`` reads words OCR garbled as the words meant ("Meingnotes" →
    "meeting notes"): each phrase with such a word is followed by its repaired
    reading, said in full and written as said, while the raw phrase stays
    (the repair may be wrong, and then the screen's spelling is what is said).
    """
    seen: dict[tuple[str, ...], ScreenPhrase] = {}
    loose: dict[tuple[str, ...], ScreenPhrase] = {}
    for text in texts:
        for line in str(text).splitlines():
            symbol = line.strip() in SYMBOL_NAMES
            for words in _say(line):
                if len(words) <= MAX_PHRASE_WORDS:
                    seen.setdefault(words, ScreenPhrase(words, line.strip(), partial=not symbol))
                else:
                    for w in words:
                        loose.setdefault((w,), ScreenPhrase((w,), w))
    phrases = list(seen.values()) + [p for k, p in loose.items() if k not in seen]
    if repair is not None:
        phrases = _with_repairs(phrases, repair)
    return tuple(phrases[:limit])


def _with_repairs(phrases: Sequence[ScreenPhrase], repair: Repair) -> list[ScreenPhrase]:
    """Each phrase, then its repaired reading when one of its words has one and the screen lacks it."""
    have = {p.words for p in phrases}
    out: list[ScreenPhrase] = []
    for p in phrases:
        out.append(p)
        fixed = tuple(w for word in p.words for w in (repair(word) or (word,)))
        if fixed != p.words and fixed not in have:
            have.add(fixed)
            # Written as said: display_text then shows "meeting notes", not "Meingnotes".
            out.append(ScreenPhrase(fixed, " ".join(fixed), partial=False))
    return out


def _alternatives(items: Iterable[str]) -> str:
    """A JSGF alternative list; hyphens become spaces and anything else unsayable is left out."""
    said = {re.sub(r"\s+", " ", i.replace("-", " ")).strip() for i in items}
    return " | ".join(sorted(i for i in said if re.fullmatch(r"[a-z']+(?: [a-z']+)*", i)))


def _targets(phrases: Sequence[ScreenPhrase]) -> list[str]:
    """Every phrase, plus the starts and ends of longer labels ("Subscribe" of "Subscribe to newsletter")."""
    out: dict[str, None] = {}
    for p in phrases:
        out[" ".join(p.words)] = None
    for p in phrases:
        n = len(p.words) if p.partial else 0
        for size in range(1, n):
            for part in (p.words[:size], p.words[n - size:]):
                if not all(w in _STOP for w in part):
                    out.setdefault(" ".join(part), None)
    return list(out)


def _weighted(items: dict[str, int]) -> str:
    return " | ".join(f"/{w}/ {item}" for item, w in items.items())


def command_grammar(phrases: Sequence[ScreenPhrase]) -> Grammar:
    """The instruction-bar grammar over the screen's phrases.

    ``[verb] [the] [ordinal] target [role] [relation [the] target [role]]``,
    ``[verb] all [the] roles``, ``[verb] the first three roles`` and a bare
    "cancel". Each form is spelled out rather than built from many optional
    parts: pocketsphinx searches a grammar with few empty transitions much
    faster and more reliably.
    """
    targets = _targets(phrases)
    common = [w for w in (ICON_LABELS if targets else COMMON_WORDS) if w not in targets]
    # A screen with every icon label on it already has them all as targets.
    label = ("(/8/ <target> | /1/ <common>)" if common else "<target>") if targets else "<common>"
    thing = f"(/8/ {label} [<role>] | /1/ <role>)"
    body = [
        "#JSGF V1.0;", "grammar screen;",
        "public <request> = /20/ <verb> <object> | /4/ <object> | /1/ <cancel>;",
        # Weights keep rare forms (ordinals, relations) from being heard in a short pause.
        f"<object> = /30/ [the] {thing} | /2/ the <ordinal> {thing}"
        f" | /2/ [the] {thing} <relation> [the] {thing}"
        " | /4/ all [the] <plural> | /1/ [the] (first | last) <cardinal> <plural>;",
        f"<verb> = {_weighted(VERBS)};",
        f"<ordinal> = {_alternatives(_ORDINALS)};",
        f"<cardinal> = {_alternatives(number_words(10)[1:])};",
        f"<role> = {_alternatives(ROLES)};",
        f"<plural> = {_alternatives(PLURALS)};",
        f"<relation> = {_alternatives(_RELATIONS)};",
        "<cancel> = cancel | never mind;",
    ]
    if common:
        body.append(f"<common> = {_alternatives(common)};")
    if targets:
        body.append(f"<target> = {_alternatives(targets)};")
    return Grammar("screen", "\n".join(body) + "\n", _words_of(body), tuple(phrases))


def overlay_grammar(n_targets: int) -> Grammar:
    """The overlay grammar: numbers up to ``n_targets`` and the confirmation words."""
    n = max(1, min(n_targets, 20))
    numbers = number_words(n)
    body = [
        "#JSGF V1.0;", "grammar overlay;",
        "public <answer> = [<choose>] [number] <n> ([and] [number] <n>)* | [<choose>] <ordinal> [one]"
        " | [<choose>] all [of them] | <word>;",
        "<choose> = click | press | select | choose;",
        f"<n> = {_alternatives(numbers)};",
        f"<ordinal> = {_alternatives(_ORDINALS[:n] + ('last',))};",
        f"<word> = {_alternatives(OVERLAY_WORDS)};",
    ]
    return Grammar("overlay", "\n".join(body) + "\n", _words_of(body))


def _words_of(body: Sequence[str]) -> frozenset[str]:
    words: set[str] = set()
    for line in body[2:]:
        rhs = line.split("=", 1)[1] if "=" in line else line
        rhs = re.sub(r"<[^>]+>|/\d+/", " ", rhs)
        words.update(re.findall(r"[a-z']+", rhs))
    return frozenset(words)


def display_text(heard: str, phrases: Sequence[ScreenPhrase]) -> str:
    """What was heard, with screen words spelled as on screen ("click save" → "click Save").

    Only a whole screen phrase said in full is rewritten (longest first), so
    a command word that also appears on screen ("click") is left alone unless
    it was part of a label.
    """
    words = heard.split()
    by_words = {p.words: p.text for p in phrases if p.text != " ".join(p.words) and _case_only(p)}
    if not by_words:
        return heard
    longest = max(len(k) for k in by_words)
    out: list[str] = []
    i = 0
    while i < len(words):
        for size in range(min(longest, len(words) - i), 0, -1):
            key = tuple(words[i:i + size])
            if key in by_words and not (i == 0 and words[0] in _VERB_WORDS):
                out.append(by_words[key])
                i += size
                break
        else:
            out.append(words[i])
            i += 1
    return " ".join(out)


def _case_only(p: ScreenPhrase) -> bool:
    """Whether the written form is just the said form with other capitals (no digits, no symbols)."""
    return re.sub(r"\s+", " ", p.text.lower()).strip() == " ".join(p.words)
