"""Global hotkeys: a small backend interface, a parser, and the bridge into Qt.

A backend grabs key combinations system-wide and calls back, from its own
thread, with the name of the hotkey pressed (and, where it can tell, let go:
push-to-talk by holding the key). :class:`HotkeyBridge` turns those calls
into Qt signals, which Qt delivers on the GUI thread. X11 is
implemented (:mod:`desktop.ui.hotkeys_x11`); Windows (``RegisterHotKey``) and
macOS (``CGEventTap``) backends slot in behind the same :class:`HotkeyBackend`.
"""

from __future__ import annotations

import inspect
import logging
import os
import sys
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Protocol

from PySide6.QtCore import QObject, Signal

__all__ = ["KeyCombo", "parse_hotkey", "HotkeyBackend", "NullHotkeys", "HotkeyBridge",
           "HotkeyError", "make_backend"]

logger = logging.getLogger(__name__)

MODIFIERS = {"ctrl": "ctrl", "control": "ctrl", "alt": "alt", "shift": "shift",
             "super": "super", "meta": "super", "win": "super", "cmd": "super"}


class HotkeyError(Exception):
    """A hotkey could not be parsed or grabbed (another program may own it)."""


@dataclass(frozen=True)
class KeyCombo:
    """Modifiers (``ctrl``, ``alt``, ``shift``, ``super``) and one key name (``space``, ``r``, ``f5``)."""

    modifiers: frozenset[str]
    key: str


def parse_hotkey(text: str) -> KeyCombo:
    """Parse ``Ctrl+Alt+Space`` (Qt's portable text form) into a :class:`KeyCombo`.

    Raises
    ------
    HotkeyError
        When there is no key, more than one key, or an unknown modifier.
    """
    parts = [p.strip() for p in text.split("+") if p.strip()]
    mods, keys = set(), []
    for part in parts:
        low = part.lower()
        if low in MODIFIERS:
            mods.add(MODIFIERS[low])
        else:
            keys.append(low)
    if len(keys) != 1:
        raise HotkeyError(f"{text!r} must name exactly one key besides the modifiers")
    return KeyCombo(frozenset(mods), keys[0])


class HotkeyBackend(Protocol):
    """Grabs hotkeys system-wide and reports them from a background thread."""

    def start(self, hotkeys: Mapping[str, KeyCombo], callback: Callable[[str], None]) -> list[str]:
        """Grab ``hotkeys`` (name → combo); return the names that could not be grabbed.

        A backend that can tell when a key is let go also takes
        ``on_release: Callable[[str], None] | None = None``.
        """
        ...

    def stop(self) -> None:
        ...


class NullHotkeys:
    """No global hotkeys here (Wayland, or no backend yet): the tray menu still works."""

    def start(self, hotkeys: Mapping[str, KeyCombo], callback: Callable[[str], None],
              on_release: Callable[[str], None] | None = None) -> list[str]:
        return list(hotkeys)

    def stop(self) -> None:
        pass


class HotkeyBridge(QObject):
    """Delivers a backend's callbacks as ``activated(name)`` and ``released(name)`` on the GUI thread."""

    activated = Signal(str)
    released = Signal(str)  # only from backends that report key releases

    def __init__(self, backend: HotkeyBackend, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.backend = backend

    def apply(self, hotkeys: Mapping[str, str]) -> list[str]:
        """(Re)grab ``hotkeys`` (name → text); return human-readable problems."""
        self.backend.stop()
        combos, problems = {}, []
        for name, text in hotkeys.items():
            try:
                combos[name] = parse_hotkey(text)
            except HotkeyError as exc:
                problems.append(str(exc))
        # Emitting from the backend's thread queues the signal to this object's thread.
        try:
            start: Any = self.backend.start  # on_release is optional in the protocol
            if "on_release" in inspect.signature(start).parameters:
                failed = start(combos, self.activated.emit, on_release=self.released.emit)
            else:
                failed = start(combos, self.activated.emit)
        except Exception as exc:  # no display connection, no X authority, ...
            logger.exception("global hotkeys could not start")
            self.backend = NullHotkeys()
            return [f"Global hotkeys are unavailable here ({exc}); use the Click Assist menu."]
        problems += [f"{hotkeys[n]} could not be grabbed (another program may use it)" for n in failed]
        for p in problems:
            logger.warning("hotkey: %s", p)
        return problems

    def stop(self) -> None:
        self.backend.stop()


def make_backend() -> HotkeyBackend:
    """The backend for this platform and session."""
    if sys.platform.startswith("linux") and os.environ.get("DISPLAY"):
        from desktop.ui.hotkeys_x11 import X11Hotkeys

        return X11Hotkeys()
    logger.warning("global hotkeys are not available here; use the tray menu")
    return NullHotkeys()
