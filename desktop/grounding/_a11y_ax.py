"""The macOS Accessibility (AX) backend, behind the same interface as AT-SPI.

:func:`snapshot_from_ax` turns plain element records into a
:class:`TreeSnapshot` (tested with recorded-shape fixtures in
``tests/fixtures/a11y``); :class:`AxBackend` produces those records on a real
Mac through pyobjc (``ApplicationServices``): on-screen windows in z-order
from ``CGWindowListCopyWindowInfo``, then each owning application's AX
windows over the region, walked with ``AXUIElementCopyMultipleAttributeValues``
(one call per element for every attribute). It needs the Accessibility
permission (System Settings → Privacy & Security → Accessibility). The live
half has not run on macOS in this project's CI; install the ``a11y-macos``
extra (``pyobjc-framework-ApplicationServices``) to use it.

A record is ``{"role", "subrole", "title", "description", "help", "value",
"position": [x, y], "size": [w, h], "enabled", "focused", "selected",
"expanded", "hidden", "parent", "window"}`` in points (the pointer's
coordinates on macOS); a window is ``{"title", "pid", "app", "rect": [x0, y0,
x1, y1], "z"}``.
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

__all__ = ["AxBackend", "snapshot_from_ax"]

logger = logging.getLogger(__name__)

_ROLES = {
    "AXButton": "button", "AXMenuButton": "button", "AXDisclosureTriangle": "button",
    "AXCheckBox": "checkbox", "AXRadioButton": "radio", "AXPopUpButton": "dropdown",
    "AXComboBox": "dropdown", "AXTextField": "field", "AXTextArea": "field", "AXSearchField": "field",
    "AXLink": "link", "AXMenuItem": "menuitem", "AXMenuBarItem": "menu", "AXSlider": "slider",
    "AXRow": "listitem", "AXIncrementor": "field",
}
#: Subroles that say more than the role ("AXRadioButton" + "AXTabButton" is a tab).
_SUBROLES = {"AXTabButton": "tab", "AXSwitch": "switch", "AXToggle": "button", "AXSearchField": "field",
             "AXSecureTextField": "field", "AXOutlineRow": "listitem", "AXTableRow": "listitem"}


def _box(r: Mapping[str, Any]) -> Box | None:
    pos, size = r.get("position"), r.get("size")
    if not pos or not size or float(size[0]) <= 0 or float(size[1]) <= 0:
        return None
    return Box.from_xywh(float(pos[0]), float(pos[1]), float(size[0]), float(size[1]))


def _states(r: Mapping[str, Any], role: str) -> frozenset[str]:
    out = set()
    if not r.get("hidden", False):
        out.add("showing")
    if r.get("enabled") is False:
        out.add("disabled")
    for key in ("focused", "selected", "expanded"):
        if r.get(key):
            out.add(key)
    value = r.get("value")
    if role in ("checkbox", "radio", "switch") or r.get("subrole") == "AXToggle":
        if value == 1:
            out.add("checked")
        elif value == 2:
            out.add("mixed")
    if r.get("subrole") == "AXToggle":
        out.add("toggle")
    return frozenset(out)


def snapshot_from_ax(records: Sequence[Mapping[str, Any]], windows: Sequence[Mapping[str, Any]],
                     elapsed_ms: float = 0.0, timed_out: Sequence[str] = ()) -> TreeSnapshot:
    """A snapshot from AX element and window records (see the module docstring)."""
    nodes = []
    for r in records:
        native = str(r.get("role", ""))
        subrole = str(r.get("subrole") or "")
        role = _SUBROLES.get(subrole) or _ROLES.get(native, "")
        # An icon button's label is its AXDescription; a titled control's is its AXTitle.
        name = str(r.get("title") or r.get("description") or "")
        description = str(r.get("help") or (r.get("description") if r.get("title") else "") or "")
        native_name = f"{native}:{subrole}" if subrole else native
        nodes.append(TreeNode(name, role, native_name, _box(r), _states(r, role), description,
                              int(r.get("window", -1)), int(r.get("parent", -1))))
    tree_windows = []
    covers = []
    for w in windows:
        rect = w.get("rect")
        box = Box(*(float(v) for v in rect)) if rect and len(rect) == 4 else None
        tree_windows.append(TreeWindow(box, str(w.get("app", "")), int(w.get("pid", 0)), str(w.get("title", "")),
                                       w.get("z")))
        if box is not None and w.get("z") is not None:
            covers.append((box, int(w["z"])))
    return TreeSnapshot(tuple(nodes), tuple(tree_windows), elapsed_ms, tuple(timed_out), tuple(covers))


class AxBackend:
    """macOS Accessibility through pyobjc (optional extra)."""

    name = "ax"

    def available(self) -> bool:
        return sys.platform == "darwin" and importlib.util.find_spec("ApplicationServices") is not None

    def snapshot(self, region: Box, timeout_s: float) -> TreeSnapshot:
        """Records gathered in a worker thread; whatever is complete at the deadline is used."""
        start = time.monotonic()
        records: list[dict[str, Any]] = []
        windows: list[dict[str, Any]] = []
        worker = threading.Thread(target=_gather, args=(region, records, windows, timeout_s), daemon=True,
                                  name="ax-snapshot")
        worker.start()
        worker.join(timeout_s)
        timed_out = ("an application that did not answer in time",) if worker.is_alive() else ()
        return snapshot_from_ax(list(records), list(windows), (time.monotonic() - start) * 1000, timed_out)


def _gather(region: Box, records: list[dict[str, Any]], windows: list[dict[str, Any]], timeout_s: float) -> None:
    try:
        from desktop.grounding._a11y_ax_live import gather

        gather(region, records, windows, timeout_s)
    except Exception:  # pyobjc and AX errors of every kind: the tree is one source among several
        logger.exception("AX snapshot failed")
