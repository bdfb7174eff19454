"""Turn a typed or spoken instruction into an :class:`~desktop.core.intent.Intent`.

The parser is deliberately forgiving: it never guesses beyond the words, and
it keeps the unparsed phrase (``Step.literal``) so the engine can prefer a
label that happens to contain parser keywords ("Save and Exit", "First name",
"Select all") when such a label is on screen.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from desktop.core.errors import EmptyInstruction, InvalidClickBounds, InvalidInstruction
from desktop.core.intent import Intent, Relation, Step
from desktop.core.vocabulary import (
    ACTION_PHRASES,
    CARDINAL_WORDS,
    CHECK_VERBS,
    CONTAINER_WORDS,
    GOAL_VERBS,
    ORDINAL_WORDS,
    ROLE_FAMILIES,
    ROLE_PLURALS,
    ROLE_WORDS,
    SOFT_ROLE_WORDS,
    STATE_WORDS,
)

__all__ = ["parse_instruction", "validate_click_bounds", "split_role", "MAX_INSTRUCTION_CHARS"]

MAX_INSTRUCTION_CHARS = 500

_QUOTES = re.compile(r'"([^"]*)"|“([^”]*)”|‘([^’]*)’|「([^」]*)」|(?<![\w])\'([^\']+)\'(?![\w])')
_PLACEHOLDER = "\x00{}\x00"
_PLACEHOLDER_RE = re.compile("\x00(\\d+)\x00")

_SEQUENCE_SPLIT = re.compile(
    r"\s*(?:;|,?\s*\band then\b|,?\s*\bthen\b|,?\s*\bafter that\b|,?\s*\bafterwards\b"
    r"|,?\s*\bfollowed by\b|,?\s*\bnext\b(?=\s+(?:click|press|tap|select|double|right|open)))\s*",
    re.IGNORECASE,
)
_VERB_ALTERNATION = "|".join(sorted((re.escape(v) for v in ACTION_PHRASES), key=len, reverse=True))
_AND_VERB_SPLIT = re.compile(rf"\s*(?:,\s*and|,|\band)\s+(?=(?:{_VERB_ALTERNATION})\b)", re.IGNORECASE)
_LEADING_VERB = re.compile(rf"^(?:{_VERB_ALTERNATION})\b", re.IGNORECASE)

_CHECKABLE = ("checkbox", "switch", "radio")
_TICKABLE = ("checkbox", "switch")
#: Hint words that name a kind of control on their own ("the second option").
_CONTROL_HINTS = frozenset({"box", "option", "choice", "setting"})
#: What is left of "untick all", "tick everything", "uncheck all of them" once "all" is taken.
_EVERY_ONE = frozenset({"all", "everything", "them", "them all", "every one", "each one", "all of them"})
_STATE = re.compile(r"(?P<state>{})(?:\s+(?P<rest>box|boxes|ones?))?".format(
    "|".join(sorted((re.escape(w) for w in STATE_WORDS), key=len, reverse=True))), re.IGNORECASE)
_PURE_CLICK_VERBS = frozenset(v for v in ACTION_PHRASES if "click" in v or v in ("press", "tap", "hit", "push",
                                                                             "double tap", "double-tap"))
_POLITE_PREFIX = re.compile(
    r"^(?:please|kindly|can you|could you|would you|will you|i want to|i'd like to|"
    r"i would like to|i need to|let's|let us|go ahead and|now|just|then|also)\b[\s,]*",
    re.IGNORECASE,
)
_POLITE_SUFFIX = re.compile(r"[\s,]*\b(?:please|for me|now|thanks|thank you)\s*[.!?]*$", re.IGNORECASE)
_LEADING_PREP = re.compile(r"^(?:on|at|onto|in)\s+(?=\S)", re.IGNORECASE)
_ARTICLES = re.compile(r"^(?:the|a|an|this|that|my)\s+", re.IGNORECASE)
_LABEL_CONNECTORS = re.compile(
    r"^(?:labell?ed|called|named|titled|marked|that says|which says|saying|"
    r"with (?:the )?(?:text|label|name)|with)\s+",
    re.IGNORECASE,
)

_ALL_PREFIX = re.compile(r"^(?:all of the|all the|all of|all|every one of the|every|each of the|each|"
                         r"any of the)\s+", re.IGNORECASE)
_ORDINAL_ALT = "|".join(sorted((re.escape(w) for w in ORDINAL_WORDS), key=len, reverse=True))
_CARDINAL_ALT = "|".join(sorted((re.escape(w) for w in CARDINAL_WORDS), key=len, reverse=True))
_FROM_END = re.compile(r"^(?:(?P<ord>" + _ORDINAL_ALT + r")\s+(?:to|from)\s+(?:the\s+)?last|"
                       r"(?P<ord2>" + _ORDINAL_ALT + r")\s+last|next\s+to\s+last)\b\s*", re.IGNORECASE)
_FIRST_N = re.compile(r"^(?P<side>first|last|top|bottom)\s+(?P<n>\d+|" + _CARDINAL_ALT + r")\b\s*",
                      re.IGNORECASE)
_ORDINAL = re.compile(r"^(?P<ord>" + _ORDINAL_ALT + r")\b\s*", re.IGNORECASE)
_COUNT = re.compile(r"^(?P<n>\d+|" + _CARDINAL_ALT + r")\s+(?=\S)", re.IGNORECASE)
_NUMBER_SUFFIX = re.compile(r"\s+(?:number|no\.?|#)\s*(?P<n>\d+|" + _CARDINAL_ALT + r")$", re.IGNORECASE)

_RELATION_MARKERS: tuple[tuple[str, str], ...] = (
    (r"(?:to the|on the|at the)\s+left\s+(?:side\s+)?of|left\s+of", "left_of"),
    (r"(?:to the|on the|at the)\s+right\s+(?:side\s+)?of|right\s+of", "right_of"),
    (r"above|over", "above"),
    (r"below|under|underneath|beneath", "below"),
    (r"next to|beside|besides|near|close to|by the side of|alongside", "near"),
)
_CONTAINER_ALT = "|".join(re.escape(w) for w in CONTAINER_WORDS)
_INSIDE = re.compile(
    rf"\s+(?:in|inside|within|on|from)\s+(?:the\s+)?(?P<anchor>.+?)\s+(?P<container>{_CONTAINER_ALT})$",
    re.IGNORECASE,
)

#: "the last item in the list", "the second file in this window": the only such place, named by
#: its kind alone, adds nothing to find.
_IN_THE_ONLY = re.compile(r"\s+(?:in|on|of|from|within)\s+(?:the|this)\s+(?:list|menu|table|page|window|"
                          r"dialog|dialogue|screen|form|toolbar|sidebar|panel)$", re.IGNORECASE)

_ROLE_ALT = "|".join(sorted((re.escape(w) for w in (*ROLE_WORDS, *ROLE_PLURALS)), key=len, reverse=True))
#: "the close button of the Untitled tab": a control named by its kind, part of a named container
#: ("left of Home page" stays a relation to the label "Home page").
_PART_OF = re.compile(rf"(?:^|\s)(?:{_ROLE_ALT})(?P<of>\s+of\s+(?:the\s+)?(?P<anchor>.+?)\s+"
                      rf"(?P<container>{_CONTAINER_ALT}))$", re.IGNORECASE)
#: Role words that may come before the label ("checkbox Remember me", "button OK").
_LEADING_ROLE_WORDS = frozenset({"checkbox", "check box", "tick box", "radio button", "radio", "button", "tab",
                                 "link", "field", "text field", "dropdown", "drop-down", "drop down",
                                 "combo box", "menu", "menu item", "switch", "icon"})
_TRAILING_ROLE = re.compile(rf"(?:^|\s+)(?P<role>{_ROLE_ALT})$", re.IGNORECASE)
_LEADING_ROLE = re.compile(rf"^(?P<role>{_ROLE_ALT})(?:\s+|$)", re.IGNORECASE)
_SOFT_ROLE = re.compile(r"\s+(?P<role>" + "|".join(SOFT_ROLE_WORDS) + r")$", re.IGNORECASE)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def validate_click_bounds(min_clicks: int | None, max_clicks: int | None) -> None:
    """Reject impossible ``--min-clicks``/``--max-clicks`` combinations."""
    for name, value in (("min_clicks", min_clicks), ("max_clicks", max_clicks)):
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
            raise InvalidClickBounds(f"{name} must be a whole number of 0 or more, not {value!r}.")
    if min_clicks is not None and max_clicks is not None and min_clicks > max_clicks:
        raise InvalidClickBounds(
            f"min_clicks ({min_clicks}) is larger than max_clicks ({max_clicks}).",
            "Give a minimum no larger than the maximum.",
        )


def parse_instruction(text: str, *, min_clicks: int | None = None,
                      max_clicks: int | None = None) -> Intent:
    """Parse an English or Chinese instruction.

    Raises
    ------
    EmptyInstruction
        The text is empty or only whitespace/punctuation.
    InvalidInstruction
        The text is too long or has no target at all.
    InvalidClickBounds
        ``min_clicks`` exceeds ``max_clicks`` or either is negative.
    """
    validate_click_bounds(min_clicks, max_clicks)
    if not isinstance(text, str):
        raise InvalidInstruction(f"The instruction must be text, not {type(text).__name__}.")
    cleaned = _clean(text)
    if not cleaned.strip(" .,!?;:-"):
        raise EmptyInstruction("The instruction is empty.", 'Say what to click, for example "click Save".')
    if len(cleaned) > MAX_INSTRUCTION_CHARS:
        raise InvalidInstruction(
            f"The instruction is too long ({len(cleaned)} characters; at most {MAX_INSTRUCTION_CHARS}).",
            "Name one target, or a few in sequence.",
        )
    if _CJK.search(cleaned) and not _LEADING_VERB.match(cleaned):
        from desktop.core.parser_zh import parse_chinese_steps

        steps, language = parse_chinese_steps(cleaned), "zh"
    else:
        steps, language = _parse_english_steps(cleaned), "en"
    if not steps:
        raise InvalidInstruction(f"Could not find what to click in {text!r}.",
                                 'Name the target, for example "click Save".')
    return Intent(text=text, steps=tuple(steps), language=language,
                  min_clicks=min_clicks, max_clicks=max_clicks)


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = "".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") and c != "\x00" else c
                   for c in text).replace("\x00", " ")
    return re.sub(r"\s+", " ", text).strip()


#: Symbols that are also punctuation, kept when they are the whole target.
_LONE_KEYS = frozenset({".", ","})
_LONE_AFTER_VERB = re.compile(r"[^\W\d_][\w -]*\s+[.,]")


def _parse_english_steps(text: str) -> list[Step]:
    quoted: list[str] = []

    def stash(match: re.Match[str]) -> str:
        quoted.append(next(g for g in match.groups() if g is not None))
        return _PLACEHOLDER.format(len(quoted) - 1)

    protected = _QUOTES.sub(stash, text)
    chunks = [c for part in _SEQUENCE_SPLIT.split(protected) for c in _AND_VERB_SPLIT.split(part)]
    steps: list[Step] = []
    action = "click"
    for chunk in chunks:
        step = _parse_english_step(_trim_chunk(chunk), action, quoted)
        if step is not None:
            steps.append(step)
            action = step.action
    return steps


def _trim(text: str, chars: str) -> str:
    """``text`` without leading and trailing ``chars``, unless it is only a lone key symbol.

    "click ." and "the , key" name a calculator's decimal key, not a full stop.
    """
    trimmed = text.strip(chars)
    return trimmed if trimmed or text.strip() not in _LONE_KEYS else text.strip()


def _trim_chunk(chunk: str) -> str:
    """A chunk without sentence punctuation, keeping a lone "." or "," that follows a verb ("click .")."""
    lone = _LONE_AFTER_VERB.fullmatch(chunk.strip())
    return lone.group(0) if lone else chunk.strip(" ,.;:!?")


def _parse_english_step(chunk: str, inherited_action: str, quoted: list[str]) -> Step | None:
    chunk = _strip_politeness(chunk)
    if not chunk:
        return None
    action, verb = inherited_action, ""
    match = _LEADING_VERB.match(chunk)
    if match and not _trim(chunk[match.end():], " ,.!?"):
        if match.group(0).lower() in _PURE_CLICK_VERBS:
            return None  # "click" alone names nothing
        match = None  # "... then Open": the word is the label, not a verb
    if match:
        verb = match.group(0).lower()
        action = ACTION_PHRASES[verb]
        chunk = chunk[match.end():].strip()
        if chunk.lower().startswith(("click ", "on ")) and action != "click":
            chunk = chunk.split(" ", 1)[1]  # "double click on X", "right-click click X"
    chunk = _LEADING_PREP.sub("", chunk).strip(" ,")
    literal = _restore(_ARTICLES.sub("", chunk), quoted)
    is_quoted = bool(_PLACEHOLDER_RE.fullmatch(_ARTICLES.sub("", chunk).strip()))
    step = _parse_target(chunk, quoted)
    if step is None:
        return None
    verb_roles = _CHECKABLE if verb in CHECK_VERBS else ()
    if not step.quoted:
        step = _take_state(step, bool(verb_roles))
    roles, explicit = step.roles, bool(step.roles) and step.role_explicit
    if not roles:
        roles = verb_roles  # soft: "tick Enable sync"
    return Step(action=action, target=step.target, roles=roles, select_all=step.select_all,
                count=step.count, ordinal=step.ordinal, relation=step.relation,
                quoted=is_quoted or step.quoted, raw=chunk and _restore(chunk, quoted),
                literal=literal if literal.lower() != step.target.lower() and not step.state else "",
                conjuncts=step.conjuncts, role_explicit=explicit, verb_roles=verb_roles,
                state=step.state, goal=GOAL_VERBS.get(verb, ""))


def _take_state(step: Step, check_verb: bool) -> Step:
    """ "all unchecked checkboxes", "every ticked box", "tick the empty boxes": a state and the role.

    Only a state word with nothing but a role after it counts, so a label
    that starts with one ("Empty trash on exit") stays the label.
    """
    if check_verb and step.target.lower() in ("box", "boxes"):  # "check all the boxes"
        return replace(step, target="", roles=_TICKABLE, role_explicit=True,
                       select_all=step.select_all or (step.target.lower() == "boxes" and step.count == 1
                                                      and step.ordinal is None))
    if check_verb and step.target.lower() in _EVERY_ONE and step.relation is None:
        # "untick all", "tick everything": every box (the goal then keeps those not yet so).
        return replace(step, target="", roles=_TICKABLE, role_explicit=True, select_all=True)
    match = _STATE.fullmatch(step.target)
    if match is None:
        return step
    rest = (match.group("rest") or "").lower()
    named = step.roles and step.role_explicit and set(step.roles) & set(_CHECKABLE)
    if not (named or check_verb):
        return step  # "click the empty box": a text box, perhaps
    return replace(step, target="", roles=step.roles if named else _TICKABLE, role_explicit=True,
                   state=STATE_WORDS[match.group("state").lower()],
                   select_all=step.select_all or (rest in ("boxes", "ones") and step.count == 1
                                                  and step.ordinal is None))


def _parse_target(phrase: str, quoted: list[str]) -> Step | None:
    phrase = _ARTICLES.sub("", phrase.strip())
    select_all, count, ordinal = False, 1, None
    match = _ALL_PREFIX.match(phrase)
    if match:
        select_all, phrase = True, _ARTICLES.sub("", phrase[match.end():])
    phrase, count, ordinal = _take_count_and_ordinal(phrase, count, ordinal)
    relation: Relation | None = None
    phrase = _IN_THE_ONLY.sub("", phrase)
    phrase, relation = _take_relation(phrase, quoted)
    phrase = _ARTICLES.sub("", phrase)
    phrase, count, ordinal = _take_count_and_ordinal(phrase, count, ordinal)
    phrase, roles, plural = _take_roles(phrase)
    soft = False
    if not roles:
        phrase, roles, soft = _take_soft_role(phrase)
    if not roles and (relation is not None or ordinal is not None) and phrase.strip().lower() in _CONTROL_HINTS:
        # "the box next to Dark mode", "the second option": the hint word is all there is.
        # ("the second file" is not: which of a window's icons are files, no detector tells.)
        phrase, roles = "", SOFT_ROLE_WORDS[phrase.strip().lower()]
    suffix = _NUMBER_SUFFIX.search(phrase)
    if suffix and ordinal is None:
        ordinal, phrase = _number(suffix.group("n")), phrase[:suffix.start()]
    phrase = _LABEL_CONNECTORS.sub("", phrase.strip())
    if plural and count == 1 and ordinal is None:
        select_all = True
    target = _trim(_restore(phrase, quoted), " ,.!?;:")
    quoted_target = bool(_PLACEHOLDER_RE.fullmatch(phrase.strip()))
    if not target and not roles:
        if relation is None:
            return None
        roles = ()
    conjuncts = () if (quoted_target or select_all) else _conjuncts(target)
    return Step(target=target, roles=roles, select_all=select_all, count=count, ordinal=ordinal,
                relation=relation, quoted=quoted_target, conjuncts=conjuncts, role_explicit=not soft)


def _take_count_and_ordinal(phrase: str, count: int, ordinal: int | None) -> tuple[str, int, int | None]:
    phrase = _ARTICLES.sub("", phrase)
    match = _FROM_END.match(phrase)
    if match:
        word = match.group("ord") or match.group("ord2")
        nth = ORDINAL_WORDS.get(word.lower(), 2) if word else 2  # "next to last" is 2nd from the end
        return phrase[match.end():], count, -max(abs(nth), 1)
    match = _FIRST_N.match(phrase)
    if match and _number(match.group("n")) > 1:
        n = _number(match.group("n"))
        side = match.group("side").lower()
        return phrase[match.end():], n, (1 if side in ("first", "top") else -1)
    match = _ORDINAL.match(phrase)
    if match and phrase[match.end():].strip():
        return phrase[match.end():], count, ORDINAL_WORDS[match.group("ord").lower()]
    match = _COUNT.match(phrase)
    role = _TRAILING_ROLE.search(phrase[match.end():]) if match else None
    if match and role and role.group("role").lower() in ROLE_PLURALS and _number(match.group("n")) > 1:
        return phrase[match.end():], _number(match.group("n")), ordinal or 1
    return phrase, count, ordinal


def _take_relation(phrase: str, quoted: list[str]) -> tuple[str, Relation | None]:
    inside = _INSIDE.search(phrase)
    start = inside.start() if inside else 0
    if inside is None and (part_of := _PART_OF.search(phrase)) is not None:
        inside, start = part_of, part_of.start("of")
    if inside and start > 0:
        anchor = _restore(_ARTICLES.sub("", inside.group("anchor")), quoted).strip()
        if anchor:
            return phrase[:start], Relation("inside", anchor, (inside.group("container").lower(),))
    for pattern, kind in _RELATION_MARKERS:
        match = re.search(rf"(?:^|\s+)(?:{pattern})\s+(?P<anchor>.+)$", phrase, re.IGNORECASE)
        if not match or not match.group("anchor").strip():
            continue
        anchor_phrase, anchor_roles, _ = _take_roles(_ARTICLES.sub("", match.group("anchor").strip()))
        anchor_phrase = _LABEL_CONNECTORS.sub("", anchor_phrase)
        anchor = _restore(anchor_phrase, quoted).strip(" ,.")
        if anchor or anchor_roles:
            return phrase[:match.start()], Relation(kind, anchor, anchor_roles)
    return phrase, None


def split_role(phrase: str) -> tuple[str, tuple[str, ...]]:
    """A phrase without its role word, and the roles that word admits ("Text below icons dropdown")."""
    rest, roles, _ = _take_roles(phrase)
    return (rest, roles) if rest else (phrase, ())


def _take_roles(phrase: str) -> tuple[str, tuple[str, ...], bool]:
    """Strip a role word from the end ("Save button") or the start ("checkbox Remember me")."""
    phrase = phrase.strip()
    for pattern in (_TRAILING_ROLE, _LEADING_ROLE):
        match = pattern.search(phrase)
        if not match:
            continue
        word = match.group("role").lower()
        plural = word in ROLE_PLURALS
        if pattern is _LEADING_ROLE and (plural or word not in _LEADING_ROLE_WORDS) and phrase[match.end():].strip():
            continue  # "the photos folder", "Image Viewer": a label that starts with such a word
        role = ROLE_WORDS[ROLE_PLURALS.get(word, word)]
        rest = (phrase[:match.start()] if pattern is _TRAILING_ROLE else phrase[match.end():]).strip()
        return rest, _expand_role(role), plural
    return phrase, (), False


def _take_soft_role(phrase: str) -> tuple[str, tuple[str, ...], bool]:
    """ "the Dark option", "the Sort by date box": a hint at the kind of control, not a demand."""
    match = _SOFT_ROLE.search(phrase)
    if not match or not phrase[:match.start()].strip():
        return phrase, (), False
    return phrase[:match.start()].strip(), SOFT_ROLE_WORDS[match.group("role").lower()], True


def _expand_role(role: str) -> tuple[str, ...]:
    return ROLE_FAMILIES.get(role, (role,))


def _conjuncts(target: str) -> tuple[str, ...]:
    parts = [p.strip() for p in re.split(r"\s*(?:,\s*and\s+|,\s*|\s+and\s+|\s+&\s+)\s*", target) if p.strip()]
    return tuple(parts) if len(parts) > 1 else ()


def _strip_politeness(chunk: str) -> str:
    previous = None
    while previous != chunk:
        previous = chunk
        chunk = _POLITE_PREFIX.sub("", chunk).strip()
        chunk = _POLITE_SUFFIX.sub("", chunk).strip()
    return chunk


def _restore(text: str, quoted: list[str]) -> str:
    return _PLACEHOLDER_RE.sub(lambda m: quoted[int(m.group(1))], text).strip()


def _number(word: str) -> int:
    word = word.lower()
    return int(word) if word.isdigit() else CARDINAL_WORDS.get(word, 1)
