""""Show numbers" and "show grid" end to end: the real app under Xvfb (with an accessibility bus, so
the live tree takes part), a real target window, real hotkeys and keys through xdotool, real clicks.

Which number "Save" got is read from the app's DEBUG log (the overlay logs its pages there); where
"Save" is, for aiming the grid, is asked of the accessibility tree by the test itself.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from typing import Iterator

import pytest

from desktop.core.geometry import Box
from desktop.core.grid import GridState
from tests.e2e._a11y_desktop import A11yDesktop, missing_a11y_tools
from tests.e2e.conftest import SHOTS, wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.timeout(300)]


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[A11yDesktop]:
    missing = missing_a11y_tools()
    if missing:
        pytest.skip(f"these end-to-end tests need {', '.join(missing)}")
    SHOTS.mkdir(parents=True, exist_ok=True)
    d = A11yDesktop(tmp_path_factory.mktemp("numbers-grid"), app_log_level="DEBUG")
    try:
        d.start_x_and_bus()
        d.start_apps(gtk=False, qt=True)
        d.start_app()
    except AssertionError:
        log = d.log()
        d.stop()
        pytest.fail(f"the desktop did not start; app log:\n{log[-3000:]}")
    yield d
    d.stop()


def visible(d: A11yDesktop, title: str) -> bool:
    found = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", f"^{title}$"], env=d.env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return found.returncode == 0


def clicked_after(d: A11yDesktop, before: int) -> list[str]:
    return [r["widget"] for r in d.records()[before:] if r["event"] == "clicked"]


def save_box(d: A11yDesktop) -> Box:
    """Where the tree says the target's Save button is (pointer coordinates)."""
    from desktop.grounding._a11y_atspi import AtspiBackend

    saved = {k: os.environ.get(k) for k in ("DISPLAY", "XAUTHORITY", "DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR")}
    os.environ.update(d.in_process_env())
    try:
        snapshot = AtspiBackend(own_pid=-1).snapshot(Box(0, 0, 1280, 800), 2.0)
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    (node,) = [n for n in snapshot.nodes if n.name == "Save" and n.role == "button"]
    assert node.box is not None
    return node.box


def test_numbers_hotkey_then_a_number_clicks_that_target(desk: A11yDesktop) -> None:
    before = len(desk.records())
    shown = desk.count(r"numbers shown:")
    desk.xdotool("mousemove", "300", "200")
    desk.xdotool("key", "ctrl+alt+n")
    wait_for(lambda: desk.count(r"numbers shown:") > shown, 60, "the numbers did not appear")
    wait_for(lambda: visible(desk, "Click Assist numbers"), 10, "the numbers overlay is not visible")
    time.sleep(0.3)
    desk.screenshot(SHOTS / "numbers.png")
    page = re.findall(r"numbers page 1: (.*)", desk.log())[-1]
    numbers = {label: int(n) for n, label in (item.split("=", 1) for item in page.split(" | "))}
    assert {"Save", "Print", "Export", "Delete", "Remember me", "General"} <= set(numbers), numbers
    n = numbers["Save"]
    desk.xdotool("type", str(n))
    if n * 10 <= len(numbers):  # "1" of "12": the overlay waits for Enter
        desk.xdotool("key", "Return")
    wait_for(lambda: clicked_after(desk, before) == ["Save"], 15, f"Save was not clicked: {desk.records()[before:]}")
    time.sleep(0.5)
    presses = [r for r in desk.records()[before:] if r["event"] == "press"]
    assert [r["widget"] for r in presses] == ["Save"]


def test_grid_typed_in_the_bar_digits_and_enter_click_the_target(desk: A11yDesktop) -> None:
    target = save_box(desk)
    grid = GridState(Box(0, 0, 1280, 800))  # the capture under the pointer: the whole screen
    cx, cy = target.center
    while not (target.x0 <= grid.box.x0 and grid.box.x1 <= target.x1 and target.y0 <= grid.box.y0
               and grid.box.y1 <= target.y1):
        digit = next(i + 1 for i, c in enumerate(grid.cells()) if c.contains(cx, cy))
        grid = grid.zoom(digit)
    assert 2 <= grid.depth <= 6, grid
    before = len(desk.records())
    desk.open_bar((300, 200))
    desk.xdotool("type", "--delay", "15", "show grid")
    desk.xdotool("key", "Return")
    wait_for(lambda: visible(desk, "Click Assist grid"), 10, "the grid did not appear")
    time.sleep(0.3)
    for digit in grid.path:
        desk.xdotool("key", str(digit))
        time.sleep(0.1)
    desk.screenshot(SHOTS / "grid.png")
    desk.xdotool("key", "Return")
    wait_for(lambda: clicked_after(desk, before) == ["Save"], 15, f"Save was not clicked: {desk.records()[before:]}")
    presses = [r for r in desk.records()[before:] if r["event"] == "press"]
    assert len(presses) == 1 and target.contains(presses[0]["x"], presses[0]["y"]), presses


def test_escape_on_the_grid_clicks_nothing(desk: A11yDesktop) -> None:
    before = len(desk.records())
    clicks = desk.count(r"clicking \d+ target")
    desk.xdotool("mousemove", "300", "200")
    desk.xdotool("key", "ctrl+alt+m")
    wait_for(lambda: visible(desk, "Click Assist grid"), 20, "the grid did not appear")
    desk.xdotool("key", "5", "Escape")
    time.sleep(1.0)
    assert desk.records()[before:] == [] and desk.count(r"clicking \d+ target") == clicks
