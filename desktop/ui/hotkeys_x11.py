"""X11 global hotkeys with python-xlib: ``XGrabKey`` on the root window, read in a thread.

The thread blocks in ``select`` on the display connection and a wake-up
pipe, so an idle app uses no CPU. Each combination is grabbed four times,
with and without Caps Lock and Num Lock, because X11 matches modifiers exactly.
"""

from __future__ import annotations

import logging
import os
import select
import threading
from typing import Any, Callable, Mapping

from Xlib import XK, X, error
from Xlib.display import Display

from desktop.ui.hotkeys import HotkeyError, KeyCombo

__all__ = ["X11Hotkeys"]

logger = logging.getLogger(__name__)

_MASKS = {"ctrl": X.ControlMask, "alt": X.Mod1Mask, "shift": X.ShiftMask, "super": X.Mod4Mask}
_IGNORED = (0, X.LockMask, X.Mod2Mask, X.LockMask | X.Mod2Mask)  # Caps Lock, Num Lock
_RELEVANT = X.ControlMask | X.Mod1Mask | X.ShiftMask | X.Mod4Mask
_KEY_NAMES = {"esc": "Escape", "escape": "Escape", "enter": "Return", "return": "Return",
              "space": "space", "tab": "Tab", "backspace": "BackSpace", "del": "Delete",
              "delete": "Delete", "pgup": "Prior", "pgdown": "Next"}


def _keysym(key: str) -> int:
    for name in (_KEY_NAMES.get(key, key), key.upper(), key.capitalize()):
        sym = XK.string_to_keysym(name)
        if sym:
            return int(sym)
    raise HotkeyError(f"unknown key {key!r}")


class X11Hotkeys:
    """Grabs hotkeys on the X11 root window and calls back from a background thread."""

    def __init__(self, display_name: str | None = None) -> None:
        self.display_name = display_name
        self._display: Any = None
        self._thread: threading.Thread | None = None
        self._wake_r, self._wake_w = -1, -1
        self._bindings: dict[tuple[int, int], str] = {}

    def start(self, hotkeys: Mapping[str, KeyCombo], callback: Callable[[str], None]) -> list[str]:
        """Grab ``hotkeys`` and start listening; return the names that could not be grabbed."""
        self.stop()
        self._display = Display(self.display_name)
        root = self._display.screen().root
        failed = []
        for name, combo in hotkeys.items():
            if not self._grab(root, name, combo):
                failed.append(name)
        self._wake_r, self._wake_w = os.pipe()
        self._thread = threading.Thread(target=self._loop, args=(callback,),
                                        name="x11-hotkeys", daemon=True)
        self._thread.start()
        return failed

    def _grab(self, root: Any, name: str, combo: KeyCombo) -> bool:
        try:
            keycode = self._display.keysym_to_keycode(_keysym(combo.key))
        except HotkeyError as exc:
            logger.warning("%s", exc)
            return False
        if not keycode:
            return False
        mods = 0
        for m in combo.modifiers:
            mods |= _MASKS[m]
        catch = error.CatchError(error.BadAccess)
        for extra in _IGNORED:
            root.grab_key(keycode, mods | extra, True, X.GrabModeAsync, X.GrabModeAsync, onerror=catch)
        self._display.sync()
        if catch.get_error():
            root.ungrab_key(keycode, X.AnyModifier)
            return False
        self._bindings[(keycode, mods)] = name
        return True

    def _loop(self, callback: Callable[[str], None]) -> None:
        display, wake = self._display, self._wake_r
        while True:
            ready, _, _ = select.select([display.fileno(), wake], [], [])
            if wake in ready:
                return
            while display.pending_events():
                event = display.next_event()
                if event.type != X.KeyPress:
                    continue
                name = self._bindings.get((event.detail, event.state & _RELEVANT))
                if name is not None:
                    logger.debug("hotkey %s", name)
                    callback(name)

    def stop(self) -> None:
        """Stop listening and release every grab."""
        if self._thread is not None:
            os.write(self._wake_w, b"x")
            self._thread.join(timeout=2)
            self._thread = None
            os.close(self._wake_r)
            os.close(self._wake_w)
        if self._display is not None:
            root = self._display.screen().root
            for keycode, _ in self._bindings:
                root.ungrab_key(keycode, X.AnyModifier)
            self._display.close()
            self._display = None
        self._bindings.clear()
