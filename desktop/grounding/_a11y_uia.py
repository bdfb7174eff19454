"""The UI Automation backend (Windows), behind the same interface as AT-SPI.

Two halves: :func:`snapshot_from_uia` turns plain element records into a
:class:`TreeSnapshot` (tested with recorded-shape fixtures in
``tests/fixtures/a11y``), and :class:`UiaBackend` produces those records on a
real Windows machine through ``comtypes``: top-level windows in z-order from
``EnumWindows``, then one ``BuildUpdatedCache`` per window over the region
(the whole control-view subtree with the needed properties, in one
cross-process call). The live half has not run on Windows in this project's
CI; install the ``a11y-windows`` extra (``comtypes``) to use it.

A record is ``{"name", "control_type", "rect": [left, top, right, bottom],
"enabled", "offscreen", "toggle", "selected", "expanded", "focused", "help",
"parent", "window", "toggle_pattern"}``; a window is ``{"title", "pid",
"rect", "z"}`` (``z`` grows towards the top).
"""

from __future__ import annotations

import importlib.util
import logging
import sys
import threading
import time
from typing import Any, Mapping, Sequence

from desktop.core.geometry import Box
from desktop.grounding._a11y_tree import TreeNode, TreeSnapshot, TreeWindow

__all__ = ["UiaBackend", "snapshot_from_uia", "CONTROL_TYPES"]

logger = logging.getLogger(__name__)

#: UIA_*ControlTypeId → name (UIAutomationClient.h).
CONTROL_TYPES = {
    50000: "Button", 50001: "Calendar", 50002: "CheckBox", 50003: "ComboBox", 50004: "Edit",
    50005: "Hyperlink", 50006: "Image", 50007: "ListItem", 50008: "List", 50009: "Menu", 50010: "MenuBar",
    50011: "MenuItem", 50012: "ProgressBar", 50013: "RadioButton", 50014: "ScrollBar", 50015: "Slider",
    50016: "Spinner", 50017: "StatusBar", 50018: "Tab", 50019: "TabItem", 50020: "Text", 50021: "ToolBar",
    50022: "ToolTip", 50023: "Tree", 50024: "TreeItem", 50025: "Custom", 50026: "Group", 50027: "Thumb",
    50028: "DataGrid", 50029: "DataItem", 50030: "Document", 50031: "SplitButton", 50032: "Window",
    50033: "Pane", 50034: "Header", 50035: "HeaderItem", 50036: "Table", 50037: "TitleBar",
    50038: "Separator", 50039: "SemanticZoom", 50040: "AppBar",
}
_ROLES = {
    "Button": "button", "SplitButton": "button", "HeaderItem": "button", "CheckBox": "checkbox",
    "RadioButton": "radio", "ComboBox": "dropdown", "Edit": "field", "Spinner": "field",
    "Hyperlink": "link", "ListItem": "listitem", "TreeItem": "listitem", "DataItem": "listitem",
    "MenuItem": "menuitem", "TabItem": "tab", "Slider": "slider",
}


def _states(r: Mapping[str, Any]) -> frozenset[str]:
    out = set()
    if not r.get("offscreen", False):
        out.add("showing")
    if not r.get("enabled", True):
        out.add("disabled")
    toggle = r.get("toggle")
    if toggle == 1:
        out.add("checked")
    elif toggle == 2:
        out.add("mixed")
    for key in ("selected", "focused"):
        if r.get(key):
            out.add(key)
    if r.get("expanded") == 1:  # ExpandCollapseState_Expanded
        out.add("expanded")
    if r.get("toggle_pattern") and CONTROL_TYPES.get(int(r.get("control_type", 0))) == "Button":
        out.add("toggle")
    return frozenset(out)


def _role(r: Mapping[str, Any], parent: Mapping[str, Any] | None) -> tuple[str, str]:
    native = CONTROL_TYPES.get(int(r.get("control_type", 0)), "Custom")
    role = _ROLES.get(native, "")
    if native == "MenuItem" and parent is not None and CONTROL_TYPES.get(int(parent.get("control_type", 0))) == "MenuBar":
        role = "menu"  # File, Edit, ... in a menu bar open menus
    return role, f"ControlType.{native}"


def _rect(rect: Sequence[float] | None) -> Box | None:
    if not rect or len(rect) != 4:
        return None
    left, top, right, bottom = (float(v) for v in rect)
    return Box(left, top, right, bottom) if right > left and bottom > top else None


def snapshot_from_uia(records: Sequence[Mapping[str, Any]], windows: Sequence[Mapping[str, Any]],
                      elapsed_ms: float = 0.0, timed_out: Sequence[str] = ()) -> TreeSnapshot:
    """A snapshot from UIA element records and top-level window records (see the module docstring)."""
    nodes = []
    for r in records:
        parent_i = int(r.get("parent", -1))
        parent = records[parent_i] if 0 <= parent_i < len(records) else None
        role, native = _role(r, parent)
        nodes.append(TreeNode(str(r.get("name") or ""), role, native, _rect(r.get("rect")), _states(r),
                              str(r.get("help") or ""), int(r.get("window", -1)), parent_i))
    tree_windows = tuple(TreeWindow(_rect(w.get("rect")), str(w.get("app", "")), int(w.get("pid", 0)),
                                    str(w.get("title", "")), w.get("z")) for w in windows)
    covers = tuple((box, int(w["z"])) for w in windows
                   if (box := _rect(w.get("rect"))) is not None and w.get("z") is not None)
    return TreeSnapshot(tuple(nodes), tree_windows, elapsed_ms, tuple(timed_out), covers)


class UiaBackend:
    """UI Automation through comtypes (Windows only; optional extra)."""

    name = "uia"

    def available(self) -> bool:
        return sys.platform == "win32" and importlib.util.find_spec("comtypes") is not None

    def snapshot(self, region: Box, timeout_s: float) -> TreeSnapshot:
        """Records gathered in a worker thread; whatever is complete at the deadline is used."""
        start = time.monotonic()
        records: list[dict[str, Any]] = []
        windows: list[dict[str, Any]] = []
        worker = threading.Thread(target=_gather, args=(region, records, windows), daemon=True,
                                  name="uia-snapshot")
        worker.start()
        worker.join(timeout_s)
        timed_out = ("a window that did not answer in time",) if worker.is_alive() else ()
        # The worker appends whole windows only, so a snapshot taken now is consistent.
        return snapshot_from_uia(list(records), list(windows), (time.monotonic() - start) * 1000, timed_out)


def _gather(region: Box, records: list[dict[str, Any]], windows: list[dict[str, Any]]) -> None:
    """Fill ``records`` and ``windows`` for the top-level windows over ``region`` (runs on Windows)."""
    try:
        from desktop.grounding._a11y_uia_live import gather

        gather(region, records, windows)
    except Exception:  # COM errors of every kind: the tree is only one source among several
        logger.exception("UI Automation snapshot failed")
