"""The hotkey bridge: backends that report releases get a release callback, older ones keep working."""

from __future__ import annotations

from typing import Any, Callable, Mapping

import pytest

from desktop.ui.hotkeys import HotkeyBridge, KeyCombo

pytestmark = pytest.mark.gui


class PressOnly:
    """A backend from before releases were reported (its start takes no on_release)."""

    def __init__(self) -> None:
        self.callback: Callable[[str], None] | None = None

    def start(self, hotkeys: Mapping[str, KeyCombo], callback: Callable[[str], None]) -> list[str]:
        self.callback = callback
        return []

    def stop(self) -> None:
        pass


class WithRelease(PressOnly):
    def start(self, hotkeys: Mapping[str, KeyCombo], callback: Callable[[str], None],
              on_release: Callable[[str], None] | None = None) -> list[str]:
        self.callback, self.on_release = callback, on_release
        return []


def test_releases_reach_the_released_signal(qtbot: Any) -> None:
    backend = WithRelease()
    bridge = HotkeyBridge(backend)
    assert bridge.apply({"voice": "Ctrl+Alt+V"}) == []
    with qtbot.waitSignal(bridge.activated) as pressed:
        backend.callback("voice")
    with qtbot.waitSignal(bridge.released) as released:
        backend.on_release("voice")
    assert pressed.args == ["voice"] and released.args == ["voice"]


def test_a_backend_without_releases_still_gets_presses(qtbot: Any) -> None:
    backend = PressOnly()
    bridge = HotkeyBridge(backend)
    assert bridge.apply({"voice": "Ctrl+Alt+V"}) == []
    with qtbot.waitSignal(bridge.activated) as pressed:
        backend.callback("voice")
    assert pressed.args == ["voice"]
