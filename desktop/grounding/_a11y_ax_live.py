"""macOS Accessibility on a live desktop (pyobjc), producing plain records.

Runs only on macOS with pyobjc's ApplicationServices and Quartz frameworks;
this project's CI has no Mac, so this module is exercised there only through
:func:`desktop.grounding._a11y_ax.snapshot_from_ax` with recorded-shape fixtures.
"""

from __future__ import annotations

import os
from typing import Any

from desktop.core.geometry import Box

__all__ = ["gather"]

_ATTRS = ["AXRole", "AXSubrole", "AXTitle", "AXDescription", "AXHelp", "AXValue", "AXPosition", "AXSize",
          "AXEnabled", "AXFocused", "AXSelected", "AXExpanded", "AXHidden", "AXChildren"]
_KEYS = ["role", "subrole", "title", "description", "help", "value", "position", "size", "enabled",
         "focused", "selected", "expanded", "hidden"]
_MAX_ELEMENTS = 4000


def _plain(value: Any) -> Any:
    """A pyobjc value as plain Python (AX errors and unknown objects become ``None``)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    try:
        return str(value) if hasattr(value, "UTF8String") else None
    except Exception:
        return None


def _geometry(value: Any, point: bool) -> list[float] | None:
    from ApplicationServices import AXValueGetValue, kAXValueCGPointType, kAXValueCGSizeType  # type: ignore

    if value is None:
        return None
    ok, v = AXValueGetValue(value, kAXValueCGPointType if point else kAXValueCGSizeType, None)
    if not ok:
        return None
    return [float(v.x), float(v.y)] if point else [float(v.width), float(v.height)]


def _record(el: Any, parent: int, window: int) -> tuple[dict[str, Any], list[Any]]:
    from ApplicationServices import AXUIElementCopyMultipleAttributeValues  # type: ignore

    err, values = AXUIElementCopyMultipleAttributeValues(el, _ATTRS, 0, None)
    if err != 0 or values is None:
        raise OSError(f"AX error {err}")
    out: dict[str, Any] = {"parent": parent, "window": window}
    for key, value in zip(_KEYS, values):
        if key == "position":
            out[key] = _geometry(value, True)
        elif key == "size":
            out[key] = _geometry(value, False)
        else:
            out[key] = _plain(value)
    children = values[-1]
    return out, list(children) if isinstance(children, (list, tuple)) or hasattr(children, "count") else []


def _walk(window_el: Any, window: int, out: list[dict[str, Any]]) -> None:
    stack = [(window_el, -1)]
    while stack and len(out) < _MAX_ELEMENTS:
        el, parent = stack.pop()
        try:
            record, children = _record(el, parent, window)
        except OSError:
            continue  # an element that vanished while we looked
        out.append(record)
        index = len(out) - 1
        stack += [(child, index) for child in reversed(children)]


def _screen_windows() -> list[tuple[int, Box, str, str]]:
    """On-screen normal windows, frontmost first: process id, bounds, owner name, title."""
    from Quartz import (CGWindowListCopyWindowInfo, kCGNullWindowID,  # type: ignore
                        kCGWindowListExcludeDesktopElements, kCGWindowListOptionOnScreenOnly)

    info = CGWindowListCopyWindowInfo(kCGWindowListOptionOnScreenOnly | kCGWindowListExcludeDesktopElements,
                                      kCGNullWindowID) or []
    out = []
    for w in info:
        if int(w.get("kCGWindowLayer", 0)) != 0:
            continue  # the menu bar, the Dock, overlays
        b = w.get("kCGWindowBounds") or {}
        box = Box.from_xywh(float(b.get("X", 0)), float(b.get("Y", 0)), float(b.get("Width", 0)),
                            float(b.get("Height", 0)))
        out.append((int(w.get("kCGWindowOwnerPID", 0)), box, str(w.get("kCGWindowOwnerName", "")),
                    str(w.get("kCGWindowName", "") or "")))
    return out


def gather(region: Box, records: list[dict[str, Any]], windows: list[dict[str, Any]], timeout_s: float) -> None:
    """Append window and element records for the application windows over ``region``."""
    from ApplicationServices import (AXUIElementCopyAttributeValue,  # type: ignore
                                     AXUIElementCreateApplication, AXUIElementSetMessagingTimeout)

    own = os.getpid()
    shown = _screen_windows()
    done: set[int] = set()
    for rank, (pid, box, owner, _) in enumerate(shown):
        if pid == own or pid in done or box.intersection(region) <= 0:
            continue
        done.add(pid)
        app = AXUIElementCreateApplication(pid)
        AXUIElementSetMessagingTimeout(app, max(0.05, timeout_s))
        err, ax_windows = AXUIElementCopyAttributeValue(app, "AXWindows", None)
        if err != 0 or not ax_windows:
            continue
        for ax_window in ax_windows:
            local: list[dict[str, Any]] = []
            _walk(ax_window, len(windows), local)
            if not local or not local[0].get("position") or not local[0].get("size"):
                continue
            (x, y), (w, h) = local[0]["position"], local[0]["size"]
            # z: the stacking rank of the screen window with these bounds (frontmost is highest).
            z = next((len(shown) - i for i, (p, b, _, _) in enumerate(shown)
                      if p == pid and abs(b.x0 - x) < 2 and abs(b.y0 - y) < 2), None)
            offset = len(records)
            for r in local:
                r["parent"] = r["parent"] + offset if r["parent"] >= 0 else -1
            windows.append({"title": local[0].get("title") or "", "pid": pid, "app": owner,
                            "rect": [x, y, x + w, y + h], "z": z})
            records.extend(local)
