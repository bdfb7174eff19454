""""Show numbers" and "show grid" through real widgets: the overlays' keys, mouse and layout, and
the whole flow from the bar (or a hotkey) to a guarded click, with fakes only at the boundaries."""

from __future__ import annotations

from typing import Any, Iterator

import pytest
from PySide6.QtCore import QPoint, QRect, Qt

from desktop.core.commands import AppCommand
from desktop.core.geometry import Box
from desktop.core.numbers import NumberTarget
from desktop.core.results import Candidate
from desktop.core.settings import Settings
from desktop.ui.grid_overlay import GridOverlay
from desktop.ui.numbers_overlay import NumbersOverlay
from tests.gui.conftest import FakeEngine

pytestmark = pytest.mark.gui


def row_of_targets(n: int, y: int = 100) -> list[NumberTarget]:
    out = []
    for i in range(n):
        b = Box(60 + (i % 8) * 90, y + (i // 8) * 60, 120 + (i % 8) * 90, y + 30 + (i // 8) * 60)
        out.append(NumberTarget(b, b.center, f"t{i + 1}", "button", "a11y", b))
    return out


@pytest.fixture
def numbers(qtbot: Any) -> NumbersOverlay:
    w = NumbersOverlay()
    qtbot.addWidget(w)
    return w


def test_number_labels_never_overlap_and_sit_outside_their_targets(qtbot: Any, numbers: NumbersOverlay) -> None:
    targets = row_of_targets(24)
    numbers.present(targets, (800, 600), QRect(0, 0, 800, 600), None)
    qtbot.waitExposed(numbers)
    labels = [lab for page in numbers.pages for lab in page.labels]
    assert sorted(lab.index for lab in labels) == list(range(24))
    for a in labels:
        assert a.box.intersection(targets[a.index].extent) == 0
        assert all(a is b or a.box.intersection(b.box) == 0 for b in numbers.pages[0].labels)
    assert numbers.accessibleName() and "numbered targets" in numbers.accessibleDescription()


def test_a_digit_no_longer_number_starts_with_is_chosen_at_once(qtbot: Any, numbers: NumbersOverlay) -> None:
    numbers.present(row_of_targets(12), (800, 600), QRect(0, 0, 800, 600), None)
    with qtbot.waitSignal(numbers.chosen, timeout=1000) as sig:
        qtbot.keyClick(numbers, Qt.Key.Key_3)
    assert sig.args == [numbers.current.index_of(3), "number"]


def test_a_digit_that_may_grow_waits_for_the_next_one_or_enter(qtbot: Any, numbers: NumbersOverlay) -> None:
    numbers.present(row_of_targets(12), (800, 600), QRect(0, 0, 800, 600), None)
    got: list[tuple[int, str]] = []
    numbers.chosen.connect(lambda i, via: got.append((i, via)))
    qtbot.keyClick(numbers, Qt.Key.Key_1)
    qtbot.wait(100)
    assert got == [] and numbers.typed == "1" and "Typed: 1" in numbers.banner_text()
    qtbot.keyClick(numbers, Qt.Key.Key_2)
    assert got == [(numbers.current.index_of(12), "number")]
    qtbot.keyClick(numbers, Qt.Key.Key_1)
    qtbot.keyClick(numbers, Qt.Key.Key_Return)
    assert got[-1] == (numbers.current.index_of(1), "number")


def test_a_number_not_shown_chooses_nothing(qtbot: Any, numbers: NumbersOverlay) -> None:
    numbers.present(row_of_targets(5), (800, 600), QRect(0, 0, 800, 600), None)
    got: list[int] = []
    numbers.chosen.connect(lambda i, via: got.append(i))
    qtbot.keyClick(numbers, Qt.Key.Key_7)
    assert got == [] and numbers.typed == ""
    assert not numbers.choose(9)
    assert numbers.choose(2, "voice") and got == [numbers.current.index_of(2)]


def test_pages_on_a_dense_screen_and_keys_to_turn_them(qtbot: Any, numbers: NumbersOverlay) -> None:
    dense = []
    for r in range(25):
        for c in range(36):
            b = Box(10 + c * 22, 10 + r * 22, 26 + c * 22, 26 + r * 22)
            dense.append(NumberTarget(b, b.center, "i", "icon", "icons", b))
    numbers.present(dense, (800, 570), QRect(0, 0, 800, 570), None)
    assert len(numbers.pages) > 1 and "Page 1 of" in numbers.banner_text()
    first = numbers.current
    qtbot.keyClick(numbers, Qt.Key.Key_PageDown)
    assert numbers.page == 1 and numbers.current is not first
    qtbot.keyClick(numbers, Qt.Key.Key_PageUp)
    assert numbers.page == 0


def test_clicking_a_number_label_chooses_it_and_escape_cancels(qtbot: Any, numbers: NumbersOverlay) -> None:
    numbers.present(row_of_targets(4), (800, 600), QRect(0, 0, 800, 600), None)
    lab = numbers.current.labels[2]
    with qtbot.waitSignal(numbers.chosen, timeout=1000) as sig:
        qtbot.mouseClick(numbers, Qt.MouseButton.LeftButton, pos=QPoint(round(lab.box.center[0]), round(lab.box.center[1])))
    assert sig.args == [lab.index, "mouse"]
    with qtbot.waitSignal(numbers.cancelled, timeout=1000):
        qtbot.keyClick(numbers, Qt.Key.Key_Escape)


@pytest.fixture
def grid(qtbot: Any) -> GridOverlay:
    w = GridOverlay()
    qtbot.addWidget(w)
    return w


def test_grid_keys_zoom_back_and_click_the_centre(qtbot: Any, grid: GridOverlay) -> None:
    grid.present((900, 900), QRect(0, 0, 450, 450), None)  # the capture has 2 pixels per logical one
    qtbot.waitExposed(grid)
    qtbot.keyClick(grid, Qt.Key.Key_9)
    qtbot.keyClick(grid, Qt.Key.Key_1)
    assert grid.state.path == (9, 1) and "cell 9, 1" in grid.accessibleDescription()
    qtbot.keyClick(grid, Qt.Key.Key_Backspace)
    qtbot.keyClick(grid, Qt.Key.Key_5)
    with qtbot.waitSignal(grid.clicked, timeout=1000) as sig:
        qtbot.keyClick(grid, Qt.Key.Key_Return)
    assert sig.args == [750.0, 750.0, "key"]  # centre of cell 9 → 5, in image pixels
    with qtbot.waitSignal(grid.cancelled, timeout=1000):
        qtbot.keyClick(grid, Qt.Key.Key_Escape)


def test_small_cells_are_magnified_beside_them(qtbot: Any, grid: GridOverlay) -> None:
    grid.present((800, 600), QRect(0, 0, 800, 600), None)
    assert grid.magnifier_rect() is None
    grid.zoom(5)
    grid.zoom(5)
    rect = grid.magnifier_rect()
    assert rect is not None and rect.width() > 200
    cell = grid._to_local(grid.state.box)
    assert not rect.intersects(cell)  # it never covers what the person aims at
    grid.grab()  # paints without errors


def test_voice_drives_numbers_and_the_grid(qtbot: Any, numbers: NumbersOverlay, grid: GridOverlay) -> None:
    numbers.present(row_of_targets(30), (800, 600), QRect(0, 0, 800, 600), None)
    got: list[tuple[int, str]] = []
    numbers.chosen.connect(lambda i, via: got.append((i, via)))
    assert numbers.say("twenty three") and got == [(numbers.current.index_of(23), "voice")]
    assert not numbers.say("banana") and not numbers.say("ninety")
    grid.present((900, 900), QRect(0, 0, 450, 450), None)
    assert grid.say("nine") and grid.say("five one") and grid.state.path == (9, 5, 1)
    assert grid.say("go back") and grid.state.path == (9, 5)
    with qtbot.waitSignal(grid.clicked, timeout=1000) as sig:
        assert grid.say("click")
    assert sig.args == [750.0, 750.0, "voice"]
    with qtbot.waitSignal(grid.cancelled, timeout=1000):
        assert grid.say("cancel")


# -- the whole flow -----------------------------------------------------------------------
class EngineWithCandidates(FakeEngine):
    """The GUI tests' fake engine, which also lists everything it "sees" (for show numbers)."""

    def __init__(self) -> None:
        super().__init__()
        self.candidate_calls: list[Any] = []
        self.found = [
            Candidate(Box(180, 140, 220, 160), "Save", "button", "a11y", 0.97),
            Candidate(Box(186, 144, 214, 156), "Save", "text", "ocr", 0.99),  # merged into Save
            Candidate(Box(580, 140, 620, 160), "Open", "button", "controls", 0.9),
            Candidate(Box(95, 295, 105, 305), "Remember me", "checkbox", "a11y", 0.97,
                      label_box=Box(95, 292, 200, 308)),
        ]

    def candidates(self, screen: Any, intent: Any, *, mapping: Any = None) -> Any:
        self.candidate_calls.append(mapping)
        return tuple(self.found)


@pytest.fixture
def parts(qtbot: Any, capturer: Any, clicker: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setenv("CLICK_ASSIST_CONFIG_DIR", str(tmp_path / "config"))
    from desktop.app import build_app

    p = build_app(Settings(return_pointer=False), engine=EngineWithCandidates(), clicker=clicker,
                  capturer=capturer, use_tray=False, hotkeys=False, persist=False)
    yield p
    c = p.controller
    for w in (c.bar, c.overlay, c.selector, c.modes.numbers, c.modes.grid):
        w.hide()


def _say_in_bar(qtbot: Any, parts: Any, text: str) -> None:
    c = parts.controller
    c.start_ground()
    qtbot.waitUntil(lambda: c.bar.isVisible() and c.state == "typing", timeout=3000)
    c.bar.edit.setText(text)  # Qt's test key clicks type ASCII only; "显示网格" is typed by an input method
    qtbot.keyClick(c.bar.edit, Qt.Key.Key_Return)


def test_show_numbers_then_a_number_clicks_that_target(qtbot: Any, parts: Any, clicker: Any) -> None:
    c = parts.controller
    _say_in_bar(qtbot, parts, "show numbers")
    qtbot.waitUntil(lambda: c.modes.numbers.isVisible(), timeout=3000)
    assert not c.bar.isVisible() and c.state == "confirming"
    numbers = c.modes.numbers
    assert [numbers.targets[lab.index].label for lab in numbers.current.labels] == ["Save", "Open", "Remember me"]
    assert parts.engine.candidate_calls and parts.engine.candidate_calls[0] is not None  # a live mapping
    assert parts.engine.calls == []  # nothing was grounded
    qtbot.keyClick(numbers, Qt.Key.Key_3)
    qtbot.waitUntil(lambda: len(clicker.clicks) == 1, timeout=3000)
    assert (clicker.clicks[0].x, clicker.clicks[0].y) == (100, 300)  # the checkbox's indicator
    qtbot.waitUntil(lambda: c.state == "idle", timeout=3000)
    assert not numbers.isVisible()


def test_show_grid_zoom_and_enter_clicks_the_cell_centre(qtbot: Any, parts: Any, clicker: Any) -> None:
    c = parts.controller
    _say_in_bar(qtbot, parts, "显示网格")
    qtbot.waitUntil(lambda: c.modes.grid.isVisible(), timeout=3000)
    for key in (Qt.Key.Key_5, Qt.Key.Key_5):
        qtbot.keyClick(c.modes.grid, key)
    qtbot.keyClick(c.modes.grid, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(clicker.clicks) == 1, timeout=3000)
    assert (clicker.clicks[0].x, clicker.clicks[0].y) == (400, 400)  # centre of 5 → 5 on 800 x 800


def test_hotkey_goes_straight_to_the_grid_and_escape_clicks_nothing(qtbot: Any, parts: Any, clicker: Any) -> None:
    c = parts.controller
    c.start_command(AppCommand.GRID)
    qtbot.waitUntil(lambda: c.modes.grid.isVisible(), timeout=3000)
    assert not c.bar.isVisible()
    qtbot.keyClick(c.modes.grid, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: c.state == "idle", timeout=3000)
    qtbot.wait(200)
    assert clicker.clicks == [] and not c.modes.grid.isVisible()


def test_an_ordinary_instruction_still_goes_to_the_engine(qtbot: Any, parts: Any) -> None:
    c = parts.controller
    _say_in_bar(qtbot, parts, "click Save")
    qtbot.waitUntil(lambda: c.overlay.isVisible(), timeout=3000)
    assert parts.engine.calls == ["click Save"] and not c.modes.numbers.isVisible()
