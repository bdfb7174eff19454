"""What a person asked for, after parsing: steps of action + target + constraints."""

from __future__ import annotations

from dataclasses import dataclass

from desktop.core.vocabulary import ROLE_FAMILIES

__all__ = ["Relation", "Step", "Intent", "ACTIONS", "RELATIONS"]

ACTIONS = ("click", "double_click", "right_click")
RELATIONS = ("left_of", "right_of", "above", "below", "near", "inside")


@dataclass(frozen=True)
class Relation:
    """A spatial constraint: the target is ``kind`` the thing named ``anchor``."""

    kind: str
    anchor: str
    anchor_roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class Step:
    """One target (or set of targets) to click with one action.

    Parameters
    ----------
    target
        The phrase naming the target, role words removed ("" when only a role
        was named, as in "click all checkboxes").
    roles
        Roles the instruction named ("checkbox", "button", ...), most specific first.
    select_all
        "all", "every", or a plural role: every match is a target.
    count
        How many targets: 1 by default, N for "the first three".
    ordinal
        1-based position among matches in reading order; negative counts from
        the end ("last" is -1). ``None`` when not given.
    quoted
        The target was quoted: match its text exactly, no synonyms.
    relation
        A spatial constraint relative to another thing on screen.
    """

    action: str = "click"
    target: str = ""
    roles: tuple[str, ...] = ()
    select_all: bool = False
    count: int = 1
    ordinal: int | None = None
    relation: Relation | None = None
    quoted: bool = False
    raw: str = ""
    #: The whole phrase as said, before role, ordinal and quantity words were
    #: taken out ("" when the same as ``target``): a label such as "First name"
    #: or "Select all" that is on screen wins over the parsed reading.
    literal: str = ""
    #: "vim and git" → ("vim", "git"): separate targets unless one label has it all.
    conjuncts: tuple[str, ...] = ()
    #: Whether ``roles`` came from a role word (else from a verb such as "tick": a softer hint).
    role_explicit: bool = False
    #: The hint of the verb alone ("tick" → checkables), kept when the literal reading wins.
    verb_roles: tuple[str, ...] = ()
    #: Only check boxes and switches in this state ("checked" or "unchecked"): "every ticked box".
    state: str = ""
    #: The state the verb asks for ("tick" → "checked", "turn off" → "unchecked"): one already
    #: in it is not clicked (a click would undo it), and "untick all" clicks only the ticked ones.
    goal: str = ""

    @property
    def wants_many(self) -> bool:
        return self.select_all or self.count > 1

    @property
    def names_kind(self) -> bool:
        """Whether ``roles`` are one named kind and then its look-alikes ("switch": a switch, else a
        check box), rather than a hint's equal guesses ("option": radio, check box, menu item…)."""
        return bool(self.roles) and ROLE_FAMILIES.get(self.roles[0], self.roles[:1]) == self.roles


@dataclass(frozen=True)
class Intent:
    """A parsed instruction: one or more steps, clicked in order."""

    text: str
    steps: tuple[Step, ...]
    language: str = "en"
    min_clicks: int | None = None
    max_clicks: int | None = None
