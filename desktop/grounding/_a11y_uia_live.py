"""UI Automation on a live Windows desktop (comtypes and ctypes), producing plain records.

Runs only on Windows with ``comtypes`` installed; this project's CI has no
Windows machine, so this module is exercised there only through
:func:`desktop.grounding._a11y_uia.snapshot_from_uia` with recorded-shape
fixtures. Every element property is read from one cache request per window
(``ElementFromHandleBuildCache`` over the control view's subtree), so a
window costs one cross-process call, not one per property.
"""

from __future__ import annotations

import ctypes
import os
from typing import Any

from desktop.core.geometry import Box

__all__ = ["gather"]

_SUBTREE = 7  # TreeScope_Subtree
#: UIA_*PropertyId values (UIAutomationClient.h).
_PROPS = {"toggle": 30086, "selected": 30079, "expanded": 30070, "toggle_pattern": 30041}
_CACHED = (30005, 30003, 30001, 30010, 30022, 30013, 30008, *_PROPS.values())
_MAX_ELEMENTS = 4000
_TIMEOUT_MS = 400


def _top_windows() -> list[tuple[int, tuple[int, int, int, int], int, str]]:
    """Visible top-level windows, topmost first: handle, rectangle, process id, title."""
    from ctypes import wintypes

    user32 = ctypes.windll.user32  # type: ignore[attr-defined]
    found: list[tuple[int, tuple[int, int, int, int], int, str]] = []

    def visit(hwnd: int, _: int) -> bool:
        if user32.IsWindowVisible(hwnd) and not user32.IsIconic(hwnd):
            r = wintypes.RECT()
            user32.GetWindowRect(hwnd, ctypes.byref(r))
            pid = wintypes.DWORD()
            user32.GetWindowThreadProcessId(hwnd, ctypes.byref(pid))
            title = ctypes.create_unicode_buffer(256)
            user32.GetWindowTextW(hwnd, title, 256)
            found.append((hwnd, (r.left, r.top, r.right, r.bottom), int(pid.value), title.value))
        return True

    callback = ctypes.WINFUNCTYPE(wintypes.BOOL, wintypes.HWND, wintypes.LPARAM)(visit)  # type: ignore[attr-defined]
    user32.EnumWindows(callback, 0)
    return found


def _record(el: Any, parent: int, window: int) -> dict[str, Any]:
    r = el.CachedBoundingRectangle
    out: dict[str, Any] = {
        "name": el.CachedName or "", "control_type": int(el.CachedControlType),
        "rect": [r.left, r.top, r.right, r.bottom], "enabled": bool(el.CachedIsEnabled),
        "offscreen": bool(el.CachedIsOffscreen), "help": el.CachedHelpText or "",
        "focused": bool(el.CachedHasKeyboardFocus), "parent": parent, "window": window,
    }
    for key, pid in _PROPS.items():
        try:
            value = el.GetCachedPropertyValue(pid)
        except Exception:  # the element does not support that pattern
            value = None
        out[key] = value if isinstance(value, (bool, int)) else None
    return out


def _walk(el: Any, parent: int, window: int, out: list[dict[str, Any]]) -> None:
    stack = [(el, parent)]
    while stack and len(out) < _MAX_ELEMENTS:
        current, parent_index = stack.pop()
        out.append(_record(current, parent_index, window))
        index = len(out) - 1
        children = current.GetCachedChildren()
        if children is None:
            continue
        for i in reversed(range(children.Length)):
            stack.append((children.GetElement(i), index))


def _automation() -> tuple[Any, Any]:
    import comtypes.client  # type: ignore[import-untyped,import-not-found,unused-ignore]

    comtypes.client.GetModule("UIAutomationCore.dll")
    from comtypes.gen import UIAutomationClient as client  # type: ignore[import-untyped,import-not-found,unused-ignore]

    uia = comtypes.client.CreateObject(client.CUIAutomation, interface=client.IUIAutomation)
    try:  # Windows 8+: a hung provider fails the call instead of blocking it for minutes
        uia2 = uia.QueryInterface(client.IUIAutomation2)
        uia2.ConnectionTimeout = _TIMEOUT_MS
        uia2.TransactionTimeout = _TIMEOUT_MS
    except Exception:
        pass
    cache = uia.CreateCacheRequest()
    for prop in _CACHED:
        cache.AddProperty(prop)
    cache.TreeScope = _SUBTREE
    cache.TreeFilter = uia.ControlViewCondition
    return uia, cache


def gather(region: Box, records: list[dict[str, Any]], windows: list[dict[str, Any]]) -> None:
    """Append window and element records for the windows over ``region`` (whole windows at a time)."""
    import comtypes  # type: ignore[import-untyped,import-not-found,unused-ignore]

    comtypes.CoInitialize()
    try:
        uia, cache = _automation()
        own = os.getpid()
        tops = _top_windows()
        for rank, (hwnd, rect, pid, title) in enumerate(tops):
            z = len(tops) - rank  # EnumWindows lists topmost first
            entry = {"title": title, "pid": pid, "rect": list(rect), "z": z, "app": ""}
            box = Box(*rect) if rect[2] > rect[0] and rect[3] > rect[1] else None
            if pid == own or box is None or box.intersection(region) <= 0:
                continue
            local: list[dict[str, Any]] = []
            _walk(uia.ElementFromHandleBuildCache(hwnd, cache), -1, len(windows), local)
            offset = len(records)
            for r in local:
                r["parent"] = r["parent"] + offset if r["parent"] >= 0 else -1
            windows.append(entry)
            records.extend(local)
    finally:
        comtypes.CoUninitialize()
