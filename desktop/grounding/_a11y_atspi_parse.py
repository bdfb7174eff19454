"""Turn AT-SPI replies (cache items, walked nodes, extents) into :class:`TreeNode` lists.

Pure functions over plain data, so recorded replies (``tests/fixtures/a11y``)
go through exactly the code that live replies do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

from desktop.core.geometry import Box
from desktop.grounding._a11y_atspi_roles import (SHOWING, VISIBLE, neutral_role, neutral_states,
                                                  role_name, state_bits)
from desktop.grounding._a11y_tree import StackedWindow, TreeNode, TreeSnapshot, TreeWindow, with_stacking

__all__ = ["RawElement", "AppTree", "elements_from_cache", "wanted_paths", "build_nodes", "box_from_extents",
           "assemble", "APP_ROOT"]

APP_ROOT = "/org/a11y/atspi/accessible/root"
#: Text that is no click target of its own but tells whose a visible label is (see ``_a11y_verify``).
_LABEL_ROLES = frozenset({"label", "static", "heading", "caption"})
#: ``GetExtents`` answers with INT_MIN coordinates for elements that are not on screen.
_INT_MIN = -(2 ** 31)


@dataclass
class RawElement:
    """One element of one application, as AT-SPI described it (before extents are known)."""

    path: str
    parent: str
    name: str
    role: int
    description: str
    bits: frozenset[int]
    children: list[str] = field(default_factory=list)

    @property
    def showing(self) -> bool:
        return SHOWING in self.bits and VISIBLE in self.bits


@dataclass
class AppTree:
    """One application's elements and the extents fetched for them (pointer coordinates)."""

    name: str
    pid: int
    elements: dict[str, RawElement]
    extents: dict[str, Box | None]


def elements_from_cache(items: Sequence[Sequence[Any]]) -> dict[str, RawElement]:
    """``Cache.GetItems`` items (``a((so)(so)(so)iiassusau)``) by object path."""
    out: dict[str, RawElement] = {}
    for item in items:
        (_, path), _, (_, parent) = item[0], item[1], item[2]
        out[str(path)] = RawElement(str(path), str(parent), str(item[6]), int(item[7]), str(item[8]),
                                    state_bits(item[9]))
    for el in out.values():
        if el.parent in out:
            out[el.parent].children.append(el.path)
    return out


def _top_level(elements: dict[str, RawElement], path: str,
               memo: dict[str, tuple[str, bool]]) -> tuple[str, bool]:
    """The element's top-level window path, and whether it and every ancestor up to it are showing."""
    chain: list[str] = []
    current = path
    window, showing = "", False
    while len(chain) < 256:  # a cycle in a broken tree must not hang us
        if current in memo:
            window, showing = memo[current]
            break
        el = elements.get(current)
        if el is None:
            break
        if el.parent == APP_ROOT:
            window, showing = current, el.showing
            memo[current] = (window, showing)
            break
        chain.append(current)
        current = el.parent
    for p in reversed(chain):  # from just below the window down to ``path``
        showing = showing and elements[p].showing
        memo[p] = (window, showing)
    return memo.get(path, (window, showing))


def wanted_paths(elements: dict[str, RawElement]) -> tuple[list[str], list[str]]:
    """Top-level windows that are showing, and actionable elements (and labels) showing all the way up.

    Some toolkits keep an element SHOWING inside a hidden page; requiring every
    ancestor to be showing too drops most of those before any box is asked for.
    """
    memo: dict[str, tuple[str, bool]] = {}
    windows = [p for p, el in elements.items() if el.parent == APP_ROOT and el.showing]
    wanted = []
    for path, el in elements.items():
        native = role_name(el.role)
        if el.parent == APP_ROOT or not (neutral_role(native) or native in _LABEL_ROLES and el.name):
            continue
        window, showing = _top_level(elements, path, memo)
        if window and showing:
            wanted.append(path)
    return windows, wanted


def box_from_extents(extents: Sequence[int] | None) -> Box | None:
    """A box from ``(x, y, width, height)``; ``None`` for missing, empty or off-screen extents."""
    if extents is None or len(extents) != 4:
        return None
    x, y, w, h = (int(v) for v in extents)
    if x <= _INT_MIN + 1 or y <= _INT_MIN + 1 or w <= 0 or h <= 0:
        return None
    return Box.from_xywh(x, y, w, h)


def build_nodes(elements: dict[str, RawElement], windows: Sequence[str], wanted: Sequence[str],
                extents: dict[str, Box | None], window_index: dict[str, int]) -> list[TreeNode]:
    """Nodes for ``wanted`` elements (and their parents, as box-less containers for grouping)."""
    memo: dict[str, tuple[str, bool]] = {}
    nodes: list[TreeNode] = []
    parent_index: dict[str, int] = {}
    for path in wanted:
        el = elements[path]
        window, _ = _top_level(elements, path, memo)
        if el.parent not in parent_index and el.parent in elements:
            parent = elements[el.parent]
            parent_index[el.parent] = len(nodes)
            nodes.append(TreeNode(parent.name, "", role_name(parent.role), extents.get(el.parent),
                                  neutral_states(parent.bits), window=window_index.get(window, -1)))
        native = role_name(el.role)
        nodes.append(TreeNode(el.name, neutral_role(native), native, extents.get(path),
                              neutral_states(el.bits, native), el.description,
                              window=window_index.get(window, -1), parent=parent_index.get(el.parent, -1)))
    return nodes


def assemble(apps: Sequence[AppTree], stacked: Sequence[StackedWindow], elapsed_ms: float = 0.0,
             timed_out: Sequence[str] = ()) -> TreeSnapshot:
    """One snapshot of several applications' trees, with the window system's stacking order."""
    nodes: list[TreeNode] = []
    windows: list[TreeWindow] = []
    for app in apps:
        top, wanted = wanted_paths(app.elements)
        index = {p: len(windows) + i for i, p in enumerate(top)}
        windows += [TreeWindow(app.extents.get(p), app.name, app.pid, app.elements[p].name) for p in top]
        nodes += build_nodes(app.elements, top, wanted, app.extents, index)
    covers = tuple((w.box, w.z) for w in stacked)
    return TreeSnapshot(tuple(nodes), tuple(with_stacking(windows, stacked)), elapsed_ms, tuple(timed_out),
                        covers)
