"""The instruction bar: Enter, Esc, history recall, busy state and placement."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, Qt

from desktop.ui.history import History
from desktop.ui.instruction_bar import InstructionBar, bar_position

pytestmark = pytest.mark.gui


@pytest.fixture
def bar(qtbot: Any) -> InstructionBar:
    history = History(limit=3)
    for text in ("click Save", "click Open", "click all checkboxes"):
        history.add(text)
    b = InstructionBar(history)
    qtbot.addWidget(b)
    b.open()
    qtbot.waitExposed(b)
    return b


def test_up_and_down_recall_history(qtbot: Any, bar: InstructionBar) -> None:
    qtbot.keyClick(bar.edit, Qt.Key.Key_Up)
    assert bar.edit.text() == "click all checkboxes"
    qtbot.keyClick(bar.edit, Qt.Key.Key_Up)
    qtbot.keyClick(bar.edit, Qt.Key.Key_Up)
    qtbot.keyClick(bar.edit, Qt.Key.Key_Up)  # stays at the oldest
    assert bar.edit.text() == "click Save"
    qtbot.keyClick(bar.edit, Qt.Key.Key_Down)
    assert bar.edit.text() == "click Open"
    qtbot.keyClick(bar.edit, Qt.Key.Key_Down)
    qtbot.keyClick(bar.edit, Qt.Key.Key_Down)
    assert bar.edit.text() == ""  # past the newest: a fresh line


def test_enter_submits_and_remembers(qtbot: Any, bar: InstructionBar) -> None:
    qtbot.keyClicks(bar.edit, "click Print")
    with qtbot.waitSignal(bar.submitted) as sig:
        qtbot.keyClick(bar.edit, Qt.Key.Key_Return)
    assert sig.args == ["click Print"]
    assert bar.history.items == ["click Open", "click all checkboxes", "click Print"]  # limit 3


def test_empty_enter_does_nothing(qtbot: Any, bar: InstructionBar) -> None:
    with qtbot.assertNotEmitted(bar.submitted):
        qtbot.keyClick(bar.edit, Qt.Key.Key_Return)


def test_escape_cancels_work_then_closes(qtbot: Any, bar: InstructionBar) -> None:
    bar.set_busy("Looking…")
    assert bar.progress.isVisible() and bar.edit.isReadOnly()
    with qtbot.assertNotEmitted(bar.submitted):
        qtbot.keyClick(bar.edit, Qt.Key.Key_Return)  # no second run while one is going
    with qtbot.waitSignal(bar.cancel_requested):
        qtbot.keyClick(bar.edit, Qt.Key.Key_Escape)
    assert bar.isVisible() and not bar.busy
    with qtbot.waitSignal(bar.closed):
        qtbot.keyClick(bar.edit, Qt.Key.Key_Escape)
    assert not bar.isVisible()


def test_message_keeps_the_text_for_another_try(qtbot: Any, bar: InstructionBar) -> None:
    bar.edit.setText("click Unicorn")
    bar.show_message("Nothing matched \u201cclick Unicorn\u201d.", "Try other words.")
    assert "Try other words." in bar.status.text() and bar.status.isVisible()
    assert bar.edit.text() == "click Unicorn" and bar.status.accessibleDescription() == bar.status.text()


def test_history_is_saved_and_loaded(tmp_path: Path) -> None:
    path = tmp_path / "history.json"
    h = History(limit=10, path=path)
    h.add("click Save")
    h.add("  ")
    h.add("click Save")  # no duplicates
    h.add("点击保存")
    assert History(limit=10, path=path).items == ["click Save", "点击保存"]
    path.write_text("{broken")
    assert History(limit=10, path=path).items == []


SCREEN = QRect(0, 0, 1280, 800)


@pytest.mark.parametrize("pointer, expected", [
    (QPoint(100, 100), QPoint(124, 124)),           # below-right of the pointer
    (QPoint(1270, 100), QPoint(1280 - 500, 124)),   # kept on screen at the right edge
    (QPoint(100, 790), QPoint(124, 790 - 24 - 60)),  # flipped above near the bottom
])
def test_bar_follows_the_pointer_and_stays_on_screen(pointer: QPoint, expected: QPoint) -> None:
    assert bar_position(pointer, (500, 60), SCREEN, "pointer") == expected


def test_bar_at_a_fixed_spot_on_a_monitor_left_of_the_primary() -> None:
    screen = QRect(-1920, -200, 1920, 1080)
    assert bar_position(QPoint(0, 0), (400, 60), screen, "fixed", (0.5, 0.25)) == QPoint(-1160, 40)
