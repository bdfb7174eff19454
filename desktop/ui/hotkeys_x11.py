"""X11 global hotkeys with python-xlib: ``XGrabKey`` on the root window, read in a thread.

The thread blocks in ``select`` on the display connection and a wake-up
pipe, so an idle app uses no CPU. Each combination is grabbed four times,
with and without Caps Lock and Num Lock, because X11 matches modifiers exactly.

A grabbed key's release comes to the grabbing client too, which makes
push-to-talk by holding the key possible. While a key is held, X11's
auto-repeat sends release + press pairs with the same timestamp; such a
pair is recognised by peeking at the next event and dropped, so only the
real release is reported. The release is matched by key alone, since the
person may let go of Ctrl or Alt first.
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
#: How long to wait for the press that follows an auto-repeat release (the X
#: server sends the pair together; this only covers a slow connection).
_REPEAT_WAIT_S = 0.03
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

    def start(self, hotkeys: Mapping[str, KeyCombo], callback: Callable[[str], None],
              on_release: Callable[[str], None] | None = None) -> list[str]:
        """Grab ``hotkeys`` and start listening; return the names that could not be grabbed.

        ``callback`` gets a hotkey's name when it is pressed, ``on_release``
        when its key is let go (auto-repeat while it is held is not a release).
        """
        self.stop()
        self._display = Display(self.display_name)
        root = self._display.screen().root
        failed = []
        for name, combo in hotkeys.items():
            if not self._grab(root, name, combo):
                failed.append(name)
        self._wake_r, self._wake_w = os.pipe()
        self._thread = threading.Thread(target=self._loop, args=(callback, on_release),
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

    def _loop(self, callback: Callable[[str], None], on_release: Callable[[str], None] | None) -> None:
        display, wake = self._display, self._wake_r
        held: dict[int, str] = {}  # keycode → name of the hotkey it pressed
        while True:
            ready, _, _ = select.select([display.fileno(), wake], [], [])
            if wake in ready:
                return
            while display.pending_events():
                event = display.next_event()
                if event.type == X.KeyPress and event.detail not in held:  # held: repeats are not presses
                    name = self._bindings.get((event.detail, event.state & _RELEVANT))
                    if name is not None:
                        held[event.detail] = name
                        logger.debug("hotkey %s", name)
                        callback(name)
                elif event.type == X.KeyRelease and event.detail in held:
                    if self._repeats(display, event):
                        continue
                    name = held.pop(event.detail)
                    logger.debug("hotkey %s released", name)
                    if on_release is not None:
                        on_release(name)

    @staticmethod
    def _repeats(display: Any, release: Any) -> bool:
        """Whether ``release`` is auto-repeat: the same key pressed again at the same time (that press is eaten)."""
        if not display.pending_events():
            select.select([display.fileno()], [], [], _REPEAT_WAIT_S)
            if not display.pending_events():
                return False
        # python-xlib has no XPeekEvent; pending_events() has read the events into this queue.
        following = display.display.event_queue[0]
        if (following.type == X.KeyPress and following.detail == release.detail
                and following.time == release.time):
            display.next_event()
            return True
        return False

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
