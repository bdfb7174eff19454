"""Truth and instructions for the real-app benchmark, from the accessibility tree.

The tree (read with the project's own AT-SPI reader) names every control and
says where it is; that is the truth. The engine under test never sees it: it
grounds the instructions made here on the screenshot alone.

What is kept: showing, enabled, named controls of the roles below, whose box
lies on screen. What is left out, and why:

- names that are empty, or appear twice on the screen (case and spacing
  ignored): "click checkbutton" has no single right answer;
- names that are not drawn as text or an icon a person would name: icon
  theme identifiers ("emblem-default-symbolic"), placeholders;
- disabled controls: a person does not ask to click a greyed-out control.

Checkables (check boxes, radio buttons) are scored against the control's
whole box (indicator and label): GTK and Qt toggle them on a click anywhere
on the label, so a point on the label is as right as one on the square.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Sequence

from desktop.core.geometry import Box
from desktop.core.textmatch import normalize
from desktop.grounding._a11y_tree import TreeNode, TreeSnapshot

__all__ = ["Truth", "Case", "controls", "make_cases"]

#: Tree roles kept, and the word a person says for each.
ROLE_WORD = {"button": "button", "checkbox": "checkbox", "radio": "radio button", "tab": "tab",
             "menu": "menu", "menuitem": "menu item", "switch": "switch", "dropdown": "dropdown",
             "field": "field", "link": "link"}
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth")
_ICON_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)+$")  # icon theme names: "view-refresh-symbolic"
_MIN_SIDE = 6


@dataclass(frozen=True)
class Truth:
    """A control on screen: its accessible name, neutral role and box (screen pixels)."""

    name: str
    role: str
    box: Box
    native_role: str = ""
    parent: int = -1
    checked: bool = False


@dataclass(frozen=True)
class Case:
    """One instruction with the box a right answer lies in."""

    id: str
    app: str
    screen: str
    instruction: str
    kind: str
    role: str
    name: str
    box: Box


def _drawn_name(name: str) -> bool:
    """Whether ``name`` is something a person reads on screen (not an icon identifier)."""
    n = name.strip()
    return bool(n) and not _ICON_ID.match(n) and n not in {"(None)"} and len(n) <= 40


def _encloses(outer: Box, inner: Box) -> bool:
    return outer.x0 <= inner.x0 and outer.y0 <= inner.y0 and outer.x1 >= inner.x1 and outer.y1 >= inner.y1


def _hidden(node: TreeNode, snapshot: TreeSnapshot) -> bool:
    """Whether a window stacked above the node's own (an open menu, a dialog) hides a third of it.

    A popup menu is a window with no tree of its own (its items belong to the
    main window's tree), so a popup that wholly holds a menu item is that
    item's own surface; any other window above hides what it covers.
    """
    if node.box is None or not 0 <= node.window < len(snapshot.windows):
        return False
    z = snapshot.windows[node.window].z
    if z is None:
        return False
    in_menu = node.role == "menuitem" or "menu item" in node.native_role
    trees = [w.box for w in snapshot.windows if w.box is not None]
    above = [b for b, bz in snapshot.covers if bz > z
             and (not in_menu or any(b.iou(t) > 0.9 for t in trees) or not _encloses(b.expand(2), node.box))]
    return sum(node.box.intersection(b) for b in above) > node.box.area / 3


def _usable(node: TreeNode) -> bool:
    b = node.box
    return (node.role in ROLE_WORD and b is not None and "showing" in node.states
            and "disabled" not in node.states and b.width >= _MIN_SIDE and b.height >= _MIN_SIDE
            and b.x0 >= 0 and b.y0 >= 0 and b.x1 <= 1920 and b.y1 <= 1080)


def controls(snapshot: TreeSnapshot) -> list[Truth]:
    """The named, showing, enabled controls whose name appears once on the screen, in reading order."""
    shown = [(i, n) for i, n in enumerate(snapshot.nodes) if n.box is not None and "showing" in n.states]
    # Duplicates are counted over every showing element with a name, controls or not.
    counts = Counter(normalize(n.name) for _, n in shown if n.name.strip())
    out = []
    for _, n in shown:
        if _usable(n) and _drawn_name(n.name) and not _hidden(n, snapshot) and counts[normalize(n.name)] == 1:
            assert n.box is not None
            out.append(Truth(n.name.strip(), n.role, n.box, n.native_role, n.parent, "checked" in n.states))
    return sorted(out, key=lambda t: (t.box.y0 // 8, t.box.x0))


def _tab_row(snapshot: TreeSnapshot) -> list[Box]:
    """The tabs of the screen's one tab row, in order; ``[]`` when there are none or several rows."""
    rows: dict[int, list[Box]] = {}
    for n in snapshot.nodes:
        if n.role == "tab" and n.box is not None and "showing" in n.states and n.box.width >= _MIN_SIDE:
            rows.setdefault(n.parent, []).append(n.box)
    if len(rows) != 1:
        return []
    (tabs,) = rows.values()
    wide = max(b.x1 for b in tabs) - min(b.x0 for b in tabs) >= max(b.y1 for b in tabs) - min(b.y0 for b in tabs)
    return sorted(tabs, key=lambda b: b.x0 if wide else b.y0)


def make_cases(app: str, screen: str, snapshot: TreeSnapshot, truths: Sequence[Truth]) -> list[Case]:
    """Instructions for ``truths``: plain name, name with role word, "(un)tick" for check boxes, tab ordinals."""
    out: list[Case] = []

    def add(instruction: str, kind: str, t: Truth | None, role: str, name: str, box: Box) -> None:
        out.append(Case(f"{app}/{screen}/{len(out):03d}", app, screen, instruction, kind, role, name, box))

    for t in truths:
        add(f"click {t.name}", "name", t, t.role, t.name, t.box)
        add(f"click the {t.name} {ROLE_WORD[t.role]}", "name+role", t, t.role, t.name, t.box)
        if t.role == "checkbox":
            # The verb asks for a change: a ticked box is unticked (ticking it again clicks nothing).
            add(f"{'untick' if t.checked else 'tick'} {t.name}", "tick", t, t.role, t.name, t.box)
    tabs = _tab_row(snapshot)
    if 2 <= len(tabs) <= len(_ORDINALS):
        for i, box in enumerate(tabs):
            add(f"click the {_ORDINALS[i]} tab", "ordinal", None, "tab", f"tab {i + 1}", box)
        add("click the last tab", "ordinal", None, "tab", f"tab {len(tabs)}", tabs[-1])
    return out
