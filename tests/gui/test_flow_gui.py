"""The whole flow through real widgets: bar → engine → overlay → confirmation → guarded clicks."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt

from desktop.core.settings import Settings

pytestmark = pytest.mark.gui


def open_bar(qtbot: Any, parts: Any, text: str) -> None:
    c = parts.controller
    c.start_ground()
    qtbot.waitUntil(lambda: c.bar.isVisible() and c.state == "typing", timeout=3000)
    qtbot.keyClicks(c.bar.edit, text)


def run_to_overlay(qtbot: Any, parts: Any, text: str) -> Any:
    c = parts.controller
    open_bar(qtbot, parts, text)
    qtbot.keyClick(c.bar.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: c.overlay.isVisible(), timeout=3000)
    assert not c.bar.isVisible()
    return c.overlay


def test_enter_clicks_the_highlighted_target_once(qtbot: Any, app_parts: Any, clicker: Any) -> None:
    overlay = run_to_overlay(qtbot, app_parts, "click Save")
    assert [m.label for m in overlay.markers] == ["Save", "Save as"] and overlay.highlighted == 0
    qtbot.keyClick(overlay, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: app_parts.controller.state == "idle", timeout=3000)
    assert [(c.x, c.y, c.action) for c in clicker.clicks] == [(200, 150, "click")]
    assert not overlay.isVisible()


def test_all_instruction_clicks_every_target_in_order(qtbot: Any, app_parts: Any, clicker: Any) -> None:
    overlay = run_to_overlay(qtbot, app_parts, "click all checkboxes")
    assert "Enter clicks all 3" in overlay.banner_text()
    qtbot.keyClick(overlay, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(clicker.clicks) == 3, timeout=3000)
    assert [(c.x, c.y) for c in clicker.clicks] == [(100, 300), (100, 350), (100, 400)]


def test_escape_on_the_overlay_clicks_nothing(qtbot: Any, app_parts: Any, clicker: Any) -> None:
    overlay = run_to_overlay(qtbot, app_parts, "click Save")
    qtbot.keyClick(overlay, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not overlay.isVisible(), timeout=2000)
    qtbot.wait(200)
    assert clicker.clicks == [] and app_parts.controller.state == "idle"


def test_number_key_and_tab_choose_another_target(qtbot: Any, app_parts: Any, clicker: Any) -> None:
    overlay = run_to_overlay(qtbot, app_parts, "click Save")
    qtbot.keyClick(overlay, Qt.Key.Key_Tab)
    assert overlay.highlighted == 1
    qtbot.keyClick(overlay, Qt.Key.Key_Left)
    assert overlay.highlighted == 0
    qtbot.keyClick(overlay, Qt.Key.Key_2)
    qtbot.waitUntil(lambda: len(clicker.clicks) == 1, timeout=3000)
    assert (clicker.clicks[0].x, clicker.clicks[0].y) == (600, 150)


def test_mouse_click_on_a_marker_confirms_it(qtbot: Any, app_parts: Any, clicker: Any) -> None:
    overlay = run_to_overlay(qtbot, app_parts, "click Save")
    m = overlay.markers[1]
    qtbot.mouseClick(overlay, Qt.MouseButton.LeftButton, pos=QPoint(round(m.x) + 3, round(m.y) - 2))
    qtbot.waitUntil(lambda: len(clicker.clicks) == 1, timeout=3000)
    assert (clicker.clicks[0].x, clicker.clicks[0].y) == (600, 150)


def test_mouse_click_away_from_markers_clicks_nothing(qtbot: Any, app_parts: Any, clicker: Any) -> None:
    overlay = run_to_overlay(qtbot, app_parts, "click Save")
    qtbot.mouseClick(overlay, Qt.MouseButton.LeftButton, pos=QPoint(20, 700))
    qtbot.wait(200)
    assert clicker.clicks == [] and overlay.isVisible()


@pytest.mark.parametrize("text, action", [("double-click Report", "double_click"),
                                          ("right-click Report", "right_click")])
def test_double_and_right_click_instructions(qtbot: Any, app_parts: Any, clicker: Any,
                                             text: str, action: str) -> None:
    overlay = run_to_overlay(qtbot, app_parts, text)
    qtbot.keyClick(overlay, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(clicker.clicks) == 1, timeout=3000)
    assert clicker.clicks[0].action == action


def test_nothing_found_says_so_and_keeps_the_bar_open(qtbot: Any, app_parts: Any, clicker: Any) -> None:
    c = app_parts.controller
    open_bar(qtbot, app_parts, "click Unicorn")
    qtbot.keyClick(c.bar.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not c.bar.busy and "Unicorn" in c.bar.status.text(), timeout=3000)
    assert c.bar.isVisible() and not c.overlay.isVisible()
    assert "select a region" in c.bar.status.text()
    assert c.bar.edit.text() == "click Unicorn"
    # Another try from the same bar works.
    c.bar.edit.setText("click Save")
    qtbot.keyClick(c.bar.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: c.overlay.isVisible(), timeout=3000)


def test_a_box_already_ticked_is_left_alone_and_the_bar_says_why(qtbot: Any, app_parts: Any, clicker: Any,
                                                                 engine: Any) -> None:
    from desktop.core.intent import Intent, Step
    from desktop.core.results import GroundingResult

    said = "\u201cRemember me\u201d is already ticked, so it was not clicked."
    engine.answers["tick Remember me"] = GroundingResult(
        (), Intent("tick Remember me", (Step(target="Remember me", goal="checked"),)), 5.0, (800, 800),
        message=said)
    c = app_parts.controller
    open_bar(qtbot, app_parts, "tick Remember me")
    qtbot.keyClick(c.bar.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not c.bar.busy and "already ticked" in c.bar.status.text(), timeout=3000)
    assert not c.overlay.isVisible() and clicker.clicks == []
    assert "select a region" not in c.bar.status.text()  # found, not missed: no advice on other words


def test_screen_change_before_confirmation_regrounds_instead_of_clicking(
        qtbot: Any, app_parts: Any, clicker: Any, capturer: Any, engine: Any) -> None:
    overlay = run_to_overlay(qtbot, app_parts, "click Save")
    from tests.gui.conftest import screen_image

    capturer.image = screen_image(seed=7)  # another window came up
    first = overlay.plan_id
    qtbot.keyClick(overlay, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: overlay.isVisible() and overlay.plan_id != first, timeout=5000)
    assert clicker.clicks == [] and engine.calls == ["click Save", "click Save"]
    qtbot.keyClick(overlay, Qt.Key.Key_Return)  # the person confirms the new plan
    qtbot.waitUntil(lambda: len(clicker.clicks) == 1, timeout=3000)


def test_escape_while_grounding_cancels_and_keeps_the_bar(qtbot: Any, app_parts: Any, engine: Any,
                                                          clicker: Any) -> None:
    engine.delay_s = 0.5
    c = app_parts.controller
    open_bar(qtbot, app_parts, "click Save")
    qtbot.keyClick(c.bar.edit, Qt.Key.Key_Return)
    assert c.bar.busy and c.bar.progress.isVisible()
    qtbot.keyClick(c.bar.edit, Qt.Key.Key_Escape)
    assert not c.bar.busy and c.bar.isVisible() and c.bar.status.text() == "Cancelled."
    qtbot.wait(800)
    assert not c.overlay.isVisible() and clicker.clicks == []


def test_auto_click_only_when_opted_in(qtbot: Any, app_parts: Any, clicker: Any, engine: Any) -> None:
    from tests.gui.conftest import make_result

    engine.answers["click OK"] = make_result("click OK", [(300, 300, 0.97, "OK")])
    from desktop.app import apply_settings

    apply_settings(app_parts, Settings(confirm_policy="auto_single", auto_click_threshold=0.9,
                                       return_pointer=False), persist=False)
    c = app_parts.controller
    open_bar(qtbot, app_parts, "click OK")
    qtbot.keyClick(c.bar.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(clicker.clicks) == 1, timeout=3000)
    assert not c.overlay.isVisible()


def test_a_stale_confirmation_signal_is_ignored(qtbot: Any, app_parts: Any, clicker: Any) -> None:
    overlay = run_to_overlay(qtbot, app_parts, "click Save")
    overlay.confirmed.emit("some-other-plan", (0,), "key")
    qtbot.wait(200)
    assert clicker.clicks == [] and overlay.isVisible()


def test_clicks_inside_own_window_are_refused(qtbot: Any, app_parts: Any, clicker: Any,
                                              engine: Any) -> None:
    from tests.gui.conftest import make_result

    win = app_parts.menu.window
    g = win.frameGeometry()
    x, y = g.center().x(), g.center().y()
    engine.answers["click Quit"] = make_result("click Quit", [(x, y, 0.9, "Quit")])
    overlay = run_to_overlay(qtbot, app_parts, "click Quit")
    qtbot.keyClick(overlay, Qt.Key.Key_Return)
    c = app_parts.controller
    qtbot.waitUntil(lambda: c.bar.isVisible() and "own window" in c.bar.status.text(), timeout=3000)
    assert clicker.clicks == []


def test_timings_are_measured(qtbot: Any, app_parts: Any) -> None:
    run_to_overlay(qtbot, app_parts, "click Save")
    t = app_parts.controller.timings
    assert 0 < t["hotkey_to_bar_ms"] < 1000 and t["enter_to_overlay_ms"] > 0


def test_history_runs_an_earlier_instruction_again(qtbot: Any, app_parts: Any, clicker: Any) -> None:
    from desktop.ui.tray import HistoryDialog

    c = app_parts.controller
    c.bar.history.add("click all checkboxes")
    c.bar.history.add("click Save")
    dialog = HistoryDialog(c.bar.history)
    qtbot.addWidget(dialog)
    dialog.run_requested.connect(lambda text: c.start_ground(text))
    dialog.show()
    assert [dialog.list.item(i).text() for i in range(dialog.list.count())] == ["click Save",
                                                                                "click all checkboxes"]
    dialog.list.setCurrentRow(1)
    qtbot.keyClick(dialog.list, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: c.bar.isVisible() and c.bar.edit.text() == "click all checkboxes", timeout=3000)
    qtbot.keyClick(c.bar.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: c.overlay.isVisible(), timeout=3000)
    assert len(c.overlay.markers) == 3
