"""Check boxes and switches by state: "tick" what is not ticked, "untick all" only what is.

A click toggles a check box or switch, so clicking one that is already in
the state the person asked for undoes what they wanted. Where a source knows
the state (the control detector reads the box, the accessibility tree says
so), such a control is not clicked and the person is told why; where the
state is unknown (a label read by OCR alone), the click goes ahead as asked.
"""

from __future__ import annotations

from typing import Sequence

from desktop.core.intent import Step
from desktop.core.ranking import Scored
from desktop.core.results import Candidate

__all__ = ["current_state", "keep_in_state", "already_message", "none_in_state_message"]

#: Roles whose click flips a known state; a radio button's click only ever selects.
_TOGGLES = frozenset({"checkbox", "switch"})


def current_state(cand: Candidate) -> str | None:
    """ "checked", "unchecked", or ``None`` when the candidate is not a toggle with a known state."""
    if cand.role not in _TOGGLES or cand.source not in ("controls", "a11y") or "mixed" in cand.states:
        return None
    return "checked" if "checked" in cand.states else "unchecked"


def keep_in_state(step: Step, scored: Sequence[Scored]) -> list[Scored]:
    """The matches a step with a state or a goal may click.

    ``state`` ("every ticked box") keeps toggles known to be in it; a goal
    ("untick all") drops those already in the goal's state. Matches whose
    state is unknown stay unless a state was named.
    """
    out = []
    for item in scored:
        now = current_state(item.candidate)
        if step.state and now != step.state:
            continue
        if step.goal and now == step.goal:
            continue
        out.append(item)
    return out


def _word(role: str, state: str) -> str:
    if role == "switch":
        return "on" if state == "checked" else "off"
    return "ticked" if state == "checked" else "unticked"


def already_message(item: Scored, goal: str) -> str:
    """Why the one named control is not clicked: it is already as asked."""
    label = item.label.strip() or item.candidate.role
    return (f"“{label}” is already {_word(item.candidate.role, goal)}, so it was not clicked. "
            f"Say “toggle {label}” to click it anyway.")


def none_in_state_message(step: Step, matched: int) -> str:
    """Why a step about many toggles has nothing to click."""
    role = step.roles[0] if step.roles else "checkbox"
    plural = "switches" if role == "switch" else "checkboxes"
    if step.state and step.goal != step.state:
        wanted = _word(role, step.state)
        on_screen = f" ({matched} {plural} on screen)" if matched else ""
        return f"No {wanted} {plural} found{on_screen}."
    if matched:
        done = _word(role, step.goal)
        return f"All {matched} {plural} are already {done}; nothing to click."
    return f"No {plural} found on screen."
