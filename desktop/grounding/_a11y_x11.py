"""Which windows are on screen, and in which stacking order, on X11 (python-xlib).

The accessibility tree says where each element is but not whether another
window covers it; the X server knows. The root window's children come back
from ``QueryTree`` bottom to top: window-manager frames, plain top-level
windows and override-redirect popups (menus, tooltips) alike. Each viewable
one becomes a :class:`StackedWindow` with the process id its client set in
``_NET_WM_PID`` (looked up one level down inside a window-manager frame).
"""

from __future__ import annotations

import importlib.util
import logging
import os
import sys
import threading
import time
from desktop.core.geometry import Box
from desktop.grounding._a11y_tree import StackedWindow

__all__ = ["X11Stacking"]

logger = logging.getLogger(__name__)

_RETRY_S = 5.0  # after a failure, do without the stacking order for this long


class X11Stacking:
    """Lists viewable top-level windows in stacking order; one display connection, reused."""

    def __init__(self, display_name: str | None = None) -> None:
        self._name = display_name if display_name is not None else os.environ.get("DISPLAY", "")
        self._display = None
        self._lock = threading.Lock()
        self._failed_at = -1e9

    def available(self) -> bool:
        return (sys.platform.startswith("linux") and bool(self._name)
                and importlib.util.find_spec("Xlib") is not None)

    def windows(self) -> list[StackedWindow]:
        """Viewable top-level windows, bottom first; [] when X cannot be asked."""
        if not self.available() or time.monotonic() - self._failed_at < _RETRY_S:
            return []
        with self._lock:
            try:
                return self._windows()
            except Exception as exc:  # python-xlib raises many kinds; stacking is only a refinement
                logger.debug("X11 stacking order unavailable: %s", exc)
                self._display = None
                self._failed_at = time.monotonic()
                return []

    def _connect(self):  # type: ignore[no-untyped-def]
        if self._display is None:
            from Xlib import display  # type: ignore[import-untyped]

            self._display = display.Display(self._name)
        return self._display

    def _windows(self) -> list[StackedWindow]:
        from Xlib import X

        d = self._connect()
        root = d.screen().root
        pid_atom = d.intern_atom("_NET_WM_PID")
        out: list[StackedWindow] = []
        for z, win in enumerate(root.query_tree().children):
            try:
                if win.get_attributes().map_state != X.IsViewable:
                    continue
                geom = win.get_geometry()
                pos = root.translate_coords(win, 0, 0)
                pid = _pid(win, pid_atom)
            except Exception:  # the window vanished while we looked
                continue
            if geom.width <= 1 or geom.height <= 1:
                continue
            out.append(StackedWindow(Box.from_xywh(pos.x, pos.y, geom.width, geom.height), pid, z))
        return out


def _pid(win, atom: int, depth: int = 0) -> int:  # type: ignore[no-untyped-def]
    from Xlib import X

    prop = win.get_full_property(atom, X.AnyPropertyType)
    if prop is not None and len(prop.value):
        return int(prop.value[0])
    if depth >= 1:
        return 0
    # A window manager's frame: the client is one of its children.
    for child in win.query_tree().children:
        pid = _pid(child, atom, depth + 1)
        if pid:
            return pid
    return 0
