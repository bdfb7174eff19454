"""What every accessibility backend returns: a flat snapshot of elements in pointer coordinates.

AT-SPI (Linux), UI Automation (Windows) and AX (macOS) each map their own
roles and states onto these neutral names, so that checking boxes against
the screenshot and turning elements into candidates happen once, in
:mod:`desktop.grounding.a11y`, for every platform.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, Sequence

from desktop.core.geometry import Box

__all__ = ["TreeNode", "TreeWindow", "TreeSnapshot", "TreeBackend", "StackedWindow", "STATES", "ACTIONABLE_ROLES",
           "with_stacking"]

#: Neutral state names a backend may report. ``showing``: drawn on screen now
#: (AT-SPI SHOWING, UIA not IsOffscreen); ``disabled``: present but not
#: usable; ``checked``/``mixed``/``pressed``/``selected``/``expanded``: the
#: control's own state, shown to the person and usable by the matcher;
#: ``toggle``: a button that stays pressed (a toggle button).
STATES = frozenset({"showing", "disabled", "checked", "mixed", "pressed", "selected", "expanded",
                    "focused", "active", "editable", "multiline", "toggle"})

#: The :data:`desktop.core.results.ROLES` a tree element may have as a candidate
#: (``text`` and ``list`` are containers or plain text: OCR covers those).
ACTIONABLE_ROLES = frozenset({"button", "checkbox", "radio", "switch", "dropdown", "tab", "link",
                              "menu", "menuitem", "field", "icon", "image", "slider", "listitem"})


@dataclass(frozen=True)
class TreeNode:
    """One element as a platform's accessibility API reported it.

    Parameters
    ----------
    name
        The accessible name ("" when none).
    role
        One of :data:`ACTIONABLE_ROLES`, or ``""`` for containers, labels and
        anything else that is not a click target of its own.
    native_role
        The platform's own role name ("push button", "ControlType.Button", "AXButton").
    box
        Where the element says it is, in pointer coordinates; ``None`` when it
        reported no usable extents.
    states
        Neutral state names (see :data:`STATES`).
    description
        The accessible description or help text (a tooltip, often).
    window
        Index into :attr:`TreeSnapshot.windows` of its top-level window.
    parent
        Index of its parent in :attr:`TreeSnapshot.nodes`, -1 for a top-level element.
    """

    name: str
    role: str
    native_role: str
    box: Box | None
    states: frozenset[str] = frozenset()
    description: str = ""
    window: int = -1
    parent: int = -1


@dataclass(frozen=True)
class TreeWindow:
    """A top-level window of an application, with its place in the stacking order.

    ``z`` grows towards the top; ``None`` when the platform did not say
    (then occlusion between windows is not known and not used).
    """

    box: Box | None
    app: str = ""
    pid: int = 0
    title: str = ""
    z: int | None = None


@dataclass(frozen=True)
class TreeSnapshot:
    """The elements of the applications under a region, fetched at one moment."""

    nodes: tuple[TreeNode, ...] = ()
    windows: tuple[TreeWindow, ...] = ()
    elapsed_ms: float = 0.0
    #: Applications that did not answer in time (they were left out).
    timed_out: tuple[str, ...] = ()
    #: Occluding windows of other programs above the region, in pointer
    #: coordinates (a window with no tree still hides what is below it).
    covers: tuple[tuple[Box, int], ...] = field(default=())


@dataclass(frozen=True)
class StackedWindow:
    """A window on screen as the window system stacks it (any toolkit's, tree or not).

    ``z`` grows towards the top; ``box`` is in pointer coordinates.
    """

    box: Box
    pid: int
    z: int


def with_stacking(windows: Sequence[TreeWindow], stacked: Sequence[StackedWindow]) -> list[TreeWindow]:
    """Give each tree window the ``z`` of the stacked window of the same process it overlaps most."""
    out = []
    for w in windows:
        best, best_iou = None, 0.0
        for s in stacked:
            if s.pid != w.pid or w.box is None:
                continue
            iou = w.box.iou(s.box)
            if iou > best_iou:
                best, best_iou = s, iou
        out.append(TreeWindow(w.box, w.app, w.pid, w.title, best.z if best is not None else w.z))
    return out


class TreeBackend(Protocol):
    """One platform's accessibility API behind the same small interface."""

    name: str

    def available(self) -> bool:
        """Whether the API can be used here (its client library is installed, the platform fits)."""
        ...

    def snapshot(self, region: Box, timeout_s: float) -> TreeSnapshot:
        """The elements of the applications with a window over ``region`` (pointer coordinates).

        Must return within about ``timeout_s`` even when an application
        hangs (leaving that application out), and raise
        :class:`desktop.core.errors.BackendFailed` when the API itself fails.
        """
        ...
