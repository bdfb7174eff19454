"""Icons without text, end to end: a person types "click the trash icon" and the real app clicks it.

The target window shows a toolbar of icon-only buttons drawn from the system's Adwaita theme (a
style the icon model never saw in training) above its usual widgets. No accessibility tree is
used (the target runs with ``NO_AT_BRIDGE``): the icons are found in the screenshot alone.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import Desktop

pytestmark = pytest.mark.e2e

SCALE = 1.0
TARGET_ARGS = ("--icons",)


def _click_icon(d: Desktop, instruction: str, expected: str) -> None:
    if any(r["event"] == "no-icons" for r in d.records()):
        pytest.skip("the Adwaita icon theme is not installed (apt-get install adwaita-icon-theme)")
    before = len(d.records())
    d.open_bar()
    d.run_instruction(instruction)
    d.confirm()
    got = d.records()[before:]
    presses = [r["widget"] for r in got if r["event"] in ("press", "double")]
    assert presses == [f"icon:{expected}"], got
    assert [r["widget"] for r in got if r["event"] == "clicked"] == [f"icon:{expected}"], got


@pytest.mark.parametrize("instruction,expected", [("click the trash icon", "trash"),
                                                  ("click the play button", "play"),
                                                  ("click the printer icon", "print")])
def test_icon_only_buttons_are_found_in_the_screenshot_and_clicked(desktop: Desktop, instruction: str,
                                                                    expected: str) -> None:
    _click_icon(desktop, instruction, expected)
