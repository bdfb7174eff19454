"""What a person does, step by step; run at scale 1.0 and 2.0 by the test modules."""

from __future__ import annotations

import time
from pathlib import Path

from tests.e2e.conftest import Desktop, wait_for


def new_records(d: Desktop, before: int) -> list[dict]:
    return d.records()[before:]


def click_button(d: Desktop, shots: Path | None = None) -> None:
    """(a) "click Save" + Enter → exactly one click, on Save."""
    before = len(d.records())
    d.open_bar()
    d.run_instruction("click Save")
    if shots is not None:
        d.screenshot(shots / f"overlay-save-scale{d.scale:g}.png")
    d.confirm()
    got = new_records(d, before)
    presses = [r for r in got if r["event"] in ("press", "double")]
    assert [(r["widget"], r["button"]) for r in presses] == [("Save", "left")], got
    assert [r["widget"] for r in got if r["event"] == "clicked"] == ["Save"], got


def click_all_checkboxes(d: Desktop, shots: Path | None = None) -> None:
    """(b) "click all checkboxes" + Enter → every checkbox checked, one press each."""
    before = len(d.records())
    d.open_bar()
    d.run_instruction("click all checkboxes")
    if shots is not None:
        d.screenshot(shots / f"overlay-checkboxes-scale{d.scale:g}.png")
    d.confirm()
    wait_for(lambda: sum(r["event"] == "toggled" for r in new_records(d, before)) >= 3, 5,
             "not every checkbox was toggled")
    got = new_records(d, before)
    toggled = {r["widget"]: r["checked"] for r in got if r["event"] == "toggled"}
    assert toggled == {"Remember me": True, "Send newsletter": True, "Dark mode": True}, got
    assert sum(r["event"] == "press" for r in got) == 3, got


def escape_clicks_nothing(d: Desktop) -> None:
    """(c) Esc on the overlay → no click at all."""
    before = len(d.records())
    clicks_before = d.count(r"clicking \d+ target")
    d.open_bar()
    d.run_instruction("click Delete")
    d.xdotool("key", "Escape")
    time.sleep(1.5)
    assert new_records(d, before) == []
    assert d.count(r"clicking \d+ target") == clicks_before


def region_flow(d: Desktop) -> None:
    """(d) Ctrl+Alt+R, drag around the buttons, "click Print" + Enter → one click on Print."""
    before = len(d.records())
    bars = d.count(r"timing region_to_bar_ms")
    d.xdotool("mousemove", "300", "200")
    d.xdotool("key", "ctrl+alt+r")
    wait_for(lambda: "region selector shown" in d.log(), 10, "the region selector did not open")
    time.sleep(0.3)
    g, s = d.target_geometry(), d.scale
    # The buttons' area, in physical pixels (the pointer's coordinates): the lower right of the window.
    x0, y0 = int((g["x"] + 170) * s), int((g["y"] + 215) * s)
    x1, y1 = int((g["x"] + g["width"] - 2) * s), int((g["y"] + g["height"] - 2) * s)
    d.xdotool("mousemove", str(x0), str(y0), "mousedown", "1")
    d.xdotool("mousemove", str((x0 + x1) // 2), str((y0 + y1) // 2))
    d.xdotool("mousemove", str(x1), str(y1), "mouseup", "1")
    wait_for(lambda: d.count(r"timing region_to_bar_ms") > bars, 10, "no bar after the region")
    time.sleep(0.2)
    d.run_instruction("click Print")
    d.confirm()
    got = new_records(d, before)
    assert [(r["widget"], r["button"]) for r in got if r["event"] == "press"] == [("Print", "left")], got


def right_click(d: Desktop) -> None:
    """A right-click instruction performs a right click."""
    before = len(d.records())
    d.open_bar()
    d.run_instruction("right-click Export")
    d.confirm()
    got = new_records(d, before)
    assert [(r["widget"], r["button"]) for r in got if r["event"] == "press"] == [("Export", "right")], got
