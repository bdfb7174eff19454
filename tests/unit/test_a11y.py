"""The accessibility-tree source without a live desktop: role and state tables, the parsers of all
three platforms (recorded AT-SPI replies; UI Automation and AX records in the shape those backends
produce), and the source's contract (live captures only, candidates in image pixels)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from desktop.core.geometry import Box, ScreenMapping
from desktop.core.intent import Intent, Step
from desktop.core.results import ROLES, Candidate
from desktop.core.sources import Screen, SourceRequest
from desktop.grounding._a11y_atspi_parse import (APP_ROOT, box_from_extents, elements_from_cache,
                                                 wanted_paths)
from desktop.grounding._a11y_atspi_roles import (ROLE_NAMES, neutral_role, neutral_states, role_name,
                                                 state_bits)
from desktop.grounding._a11y_replay import RecordedBackend, snapshot_from_recording
from desktop.grounding.a11y import AccessibilitySource
from desktop.grounding.engine import Engine

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "a11y"
GTK = FIXTURES / "gtk3_factory_qt_target.json"
UIA = FIXTURES / "uia_notepad_options.json"
AX = FIXTURES / "ax_textedit.json"
SHOWING_VISIBLE_ENABLED = [(1 << 25) | (1 << 30) | (1 << 8), 0]


def _by_name(snapshot, name):  # type: ignore[no-untyped-def]
    return [n for n in snapshot.nodes if n.name == name]


# -- AT-SPI tables ---------------------------------------------------------------
@pytest.mark.parametrize("native, role", [
    ("push button", "button"), ("toggle button", "button"), ("check box", "checkbox"),
    ("radio button", "radio"), ("page tab", "tab"), ("menu item", "menuitem"), ("menu", "menu"),
    ("combo box", "dropdown"), ("text", "field"), ("entry", "field"), ("link", "link"), ("icon", "icon"),
    ("list item", "listitem"), ("slider", "slider"), ("label", ""), ("panel", ""), ("frame", ""),
])
def test_atspi_roles_map_to_click_assist_roles(native: str, role: str) -> None:
    assert neutral_role(native) == role
    assert role_name(ROLE_NAMES.index(native)) == native


def test_every_mapped_role_is_a_known_role() -> None:
    mapped = {neutral_role(n) for n in ROLE_NAMES} - {""}
    assert mapped <= set(ROLES)


def test_atspi_role_numbers_match_the_enum() -> None:
    # Spot checks against atspi-constants.h (the e2e test checks every role a live GTK app uses).
    assert (role_name(7), role_name(43), role_name(62), role_name(37), role_name(88)) == \
        ("check box", "push button", "toggle button", "page tab", "link")
    assert role_name(10_000) == "unknown"


def test_states_showing_needs_showing_and_visible_and_disabled_needs_neither_enabled_nor_sensitive() -> None:
    assert "showing" in neutral_states(state_bits([(1 << 25) | (1 << 30), 0]))
    assert "showing" not in neutral_states(state_bits([1 << 30, 0]))
    assert "disabled" in neutral_states(state_bits([1 << 25, 0]))
    assert "disabled" not in neutral_states(state_bits([1 << 24, 0]))
    bits = state_bits([(1 << 4) | (1 << 8), 1 << 0])  # CHECKED, ENABLED, INDETERMINATE (bit 32)
    assert {"checked", "mixed"} <= neutral_states(bits)
    assert {"toggle", "checked"} <= neutral_states(state_bits([1 << 20, 0]), "toggle button")


def test_extents_off_screen_or_empty_give_no_box() -> None:
    assert box_from_extents([10, 20, 30, 40]) == Box(10, 20, 40, 60)
    assert box_from_extents([-2147483648, -2147483648, 1, 1]) is None
    assert box_from_extents([5, 5, 0, 10]) is None
    assert box_from_extents(None) is None


def _item(path: str, parent: str, name: str, role: int, states: list[int]) -> list[object]:
    return [[":1.5", path], [":1.5", APP_ROOT], [":1.5", parent], 0, 0, [], name, role, "", states]


def test_an_element_inside_a_hidden_container_is_not_wanted_even_when_it_says_showing() -> None:
    shown = SHOWING_VISIBLE_ENABLED
    items = [_item("/w", APP_ROOT, "Win", 23, shown), _item("/page1", "/w", "", 39, shown),
             _item("/page2", "/w", "", 39, [1 << 8, 0]),  # a hidden notebook page
             _item("/ok", "/page1", "OK", 43, shown), _item("/stale", "/page2", "Proxy", 43, shown),
             _item("/label", "/page1", "Name:", 29, shown), _item("/panel", "/page1", "", 39, shown)]
    windows, wanted = wanted_paths(elements_from_cache(items))
    assert windows == ["/w"]
    assert sorted(wanted) == ["/label", "/ok"]  # labels too: they tell whose a visible text is


# -- recorded AT-SPI tree (gtk3-widget-factory with the Qt e2e target window on top) -------------------
def test_recorded_atspi_tree_has_names_roles_boxes_and_stacking() -> None:
    snap = snapshot_from_recording(json.loads(GTK.read_text()))
    apps = {w.app: w for w in snap.windows}
    assert apps["target_app.py"].z > apps["gtk3-widget-factory"].z  # the Qt window is on top
    close = _by_name(snap, "Close")
    assert [(n.role, n.native_role) for n in close] == [("button", "push button")]
    assert close[0].box == Box(1322, 12, 1356, 42)
    assert {n.role for n in _by_name(snap, "Menu")} == {"button"}
    assert "toggle" in _by_name(snap, "Menu")[0].states
    remember = _by_name(snap, "Remember me")[0]
    assert remember.role == "checkbox" and remember.box == Box(31, 247, 179, 272)
    tabs = {n.name for n in snap.nodes if n.role == "tab" and n.window == snap.windows.index(apps["target_app.py"])}
    assert tabs == {"General", "Network", "Privacy"}
    # Disabled check buttons of the widget factory say so.
    assert any("disabled" in n.states for n in snap.nodes if n.name == "checkbutton")


# -- UI Automation and AX records ---------------------------------------------------------
def test_uia_records_map_roles_and_states() -> None:
    snap = snapshot_from_recording(json.loads(UIA.read_text()))
    one = {n.name: n for n in snap.nodes if n.name}
    assert (one["Bold"].role, one["Bold"].native_role) == ("button", "ControlType.Button")
    assert {"toggle", "checked"} <= one["Bold"].states
    assert one["File"].role == "menu" and one["Word wrap"].role == "checkbox"
    assert "checked" in one["Word wrap"].states and "mixed" in one["Spell check"].states
    assert one["Advanced"].role == "tab" and one["Learn more"].role == "link"
    assert one["Font size"].role == "dropdown" and one["Text Editor"].role == "field"
    assert "disabled" in one["Reset"].states
    assert "showing" not in one["Encoding"].states  # UIA IsOffscreen
    assert one["OK"].box == Box(580, 480, 660, 508)
    assert [w.z for w in snap.windows] == [1, 2]


def test_ax_records_use_subroles_and_descriptions() -> None:
    snap = snapshot_from_recording(json.loads(AX.read_text()))
    one = {n.name: n for n in snap.nodes if n.name}
    assert one["Bold"].role == "button" and "toggle" in one["Bold"].states  # AXCheckBox + AXToggle
    assert "checked" in one["Italic"].states and "checked" not in one["Bold"].states
    assert one["Text"].role == "tab" and one["Layout"].role == "tab"  # AXRadioButton + AXTabButton
    assert one["Smart quotes"].role == "switch" and one["Wrap to page"].role == "checkbox"
    assert one["Helvetica"].role == "dropdown" and one["Search"].role == "field"
    assert one["Share"].description == "Share this document"
    assert one["Plain text"].role == "radio" and "checked" in one["Plain text"].states
    assert one["Done"].box == Box(790, 580, 880, 608)


# -- the source's contract ---------------------------------------------------------------
def _intent() -> Intent:
    return Intent("click OK", (Step(target="OK"),))


def _drawn(recording: Path) -> np.ndarray:
    """A screen where every element of the recording is drawn (an outline), so the image check passes."""
    data = json.loads(recording.read_text())
    w, h = data["screen"]
    img = np.full((h, w, 3), 240, np.uint8)
    for n in snapshot_from_recording(data).nodes:
        if n.box is not None:
            b = n.box.clip(w, h)
            x0, y0, x1, y1 = int(b.x0), int(b.y0), max(int(b.x0) + 1, int(b.x1) - 1), max(int(b.y0) + 1, int(b.y1) - 1)
            img[y0:y1, x0] = img[y0:y1, x1] = 40
            img[y0, x0:x1] = img[y1, x0:x1] = 40
    return img


def test_the_source_answers_nothing_without_a_live_mapping_and_never_asks_the_tree() -> None:
    backend = RecordedBackend(UIA)
    source = AccessibilitySource(backend)
    screen = Screen(_drawn(UIA))
    assert source.available()
    assert source.candidates(screen, SourceRequest(intent=_intent())) == ()
    assert backend.regions == []


def test_the_source_asks_for_the_captured_region_and_maps_boxes_into_the_image() -> None:
    backend = RecordedBackend(UIA)
    source = AccessibilitySource(backend)
    full = _drawn(UIA)
    crop = np.ascontiguousarray(full[200:600, 300:900])  # a region capture at (300, 200)
    mapping = ScreenMapping(300.0, 200.0)
    found = source.candidates(Screen(crop), SourceRequest(intent=_intent(), mapping=mapping))
    assert backend.regions == [Box(300, 200, 900, 600)]
    ok = [c for c in found if c.text == "OK"]
    assert len(ok) == 1 and ok[0].box == Box(280, 280, 360, 308) and ok[0].source == "a11y"
    assert all(c.role in ROLES for c in found)
    assert not any(c.text == "Encoding" for c in found)  # offscreen
    assert not any(c.text == "Minimize" for c in found)  # outside the region
    word_wrap = [c for c in found if c.text == "Word wrap"]
    # No indicator was detected (no controls source ran): the whole control, also offered as a button.
    assert [(c.role, c.box, c.label_box) for c in word_wrap] == [
        ("checkbox", Box(120, 120, 260, 140), None), ("button", Box(120, 120, 260, 140), None)]
    assert "checked" in word_wrap[0].states
    indicator = Candidate(Box(122, 123, 136, 137), "", "checkbox", "controls", 0.9)
    with_indicator = AccessibilitySource(RecordedBackend(UIA)).candidates(
        Screen(crop), SourceRequest(intent=_intent(), mapping=mapping, found_so_far=(indicator,)))
    word_wrap = [c for c in with_indicator if c.text == "Word wrap"]
    # A checkbox's box is its indicator; the whole control is its label box.
    assert [(c.role, c.box, c.label_box) for c in word_wrap] == [
        ("checkbox", Box(122, 123, 136, 137), Box(120, 120, 260, 140))]


@pytest.fixture(scope="module")
def uia_engine() -> Engine:
    return Engine(sources=[AccessibilitySource(RecordedBackend(UIA))], semantic=False)


@pytest.mark.parametrize("instruction, label, point", [
    ("click Bold", "Bold", (596, 332)),
    ("click the Bold toggle", "Bold", (596, 332)),
    ("click the Advanced tab", "Advanced", (520, 297)),
    ("click the File menu", "File", (129, 141)),
    ("click Cancel", "Cancel", (710, 494)),
    ("click Learn more", "Learn more", (470, 450)),
])
def test_uia_tree_targets_are_grounded(uia_engine: Engine, instruction: str, label: str,
                                       point: tuple[int, int]) -> None:
    result = uia_engine.ground(_drawn(UIA), instruction, mapping=ScreenMapping())
    best = result.best
    assert best is not None and best.label == label and best.source == "a11y"
    assert abs(best.x - point[0]) <= 1 and abs(best.y - point[1]) <= 1


def test_uia_all_checkboxes_and_nothing_hidden(uia_engine: Engine) -> None:
    result = uia_engine.ground(_drawn(UIA), "click all checkboxes", mapping=ScreenMapping())
    assert sorted(p.label for p in result.predictions) == ["Spell check", "Status bar", "Word wrap"]
    assert not uia_engine.ground(_drawn(UIA), "click Encoding", mapping=ScreenMapping()).predictions


def test_uia_disabled_control_ranks_below_enabled_ones(uia_engine: Engine) -> None:
    reset = uia_engine.ground(_drawn(UIA), "click Reset", mapping=ScreenMapping()).best
    ok = uia_engine.ground(_drawn(UIA), "click OK", mapping=ScreenMapping()).best
    assert reset is not None and ok is not None and reset.confidence < ok.confidence


@pytest.mark.parametrize("instruction, label", [
    ("click Bold", "Bold"), ("click the Italic toggle", "Italic"), ("click the Layout tab", "Layout"),
    ("click the Smart quotes switch", "Smart quotes"), ("click Share", "Share"), ("click Help", "Help"),
    ("click the close button", "close button"),
])
def test_ax_tree_targets_are_grounded(instruction: str, label: str) -> None:
    engine = Engine(sources=[AccessibilitySource(RecordedBackend(AX))], semantic=False)
    best = engine.ground(_drawn(AX), instruction, mapping=ScreenMapping()).best
    assert best is not None and best.label == label and best.source == "a11y"


def test_a_flat_box_is_dropped_nothing_is_drawn_there() -> None:
    source = AccessibilitySource(RecordedBackend(UIA))
    blank = np.full((800, 1280, 3), 240, np.uint8)
    assert source.candidates(Screen(blank), SourceRequest(intent=_intent(), mapping=ScreenMapping())) == ()


def test_only_applications_with_a_visible_window_over_the_region_are_asked() -> None:
    from desktop.grounding._a11y_atspi import App, _under_region
    from desktop.grounding._a11y_tree import StackedWindow

    apps = [App(":1.1", "editor", 11), App(":1.2", "elsewhere", 12), App(":1.3", "covered", 13),
            App(":1.4", "no window id", 14), App(":1.5", "click-assist", 99)]
    stacked = [StackedWindow(Box(0, 0, 400, 300), 13, z=1), StackedWindow(Box(0, 0, 800, 600), 11, z=2),
               StackedWindow(Box(900, 0, 1200, 300), 12, z=3)]
    chosen = _under_region(apps, Box(100, 100, 500, 400), stacked, own_pid=99)
    assert [a.name for a in chosen] == ["editor", "no window id"]
    # Without the window system's help every application but ours is asked.
    assert [a.pid for a in _under_region(apps, Box(0, 0, 10, 10), [], own_pid=99)] == [11, 12, 13, 14]


def test_live_captures_carry_their_mapping_to_the_engine() -> None:
    """The app grounds live captures with their mapping, so the tree takes part; numbers list everything."""
    import time as _time

    from desktop.core.errors import ClickAssistError
    from desktop.core.flow import Capture, ground_capture
    from desktop.core.results import GroundingResult
    from desktop.core.work import LazyEngine, all_candidates

    seen: list[object] = []

    class Recording:
        def ground(self, image: object, instruction: str, **kw: object) -> GroundingResult:
            seen.append(kw.get("mapping"))
            return GroundingResult((), Intent(instruction, (Step(),)), 1.0, (4, 4))

        def candidates(self, screen: object, intent: Intent, **kw: object) -> tuple[Candidate, ...]:
            seen.append((intent.text, kw.get("mapping"), kw.get("stage", "every stage")))
            return (Candidate(Box(0, 0, 2, 2), "OK", "button", "a11y"),)

    mapping = ScreenMapping(100.0, 50.0)
    cap = Capture(np.zeros((4, 4, 3), np.uint8), mapping, Box(100, 50, 104, 54), _time.monotonic())
    lazy = LazyEngine(Recording)
    ground_capture(lazy, cap, "click OK")
    found = all_candidates(lazy, Screen(cap.image), mapping)
    assert seen == [mapping, ("show numbers", mapping, "every stage")] and found[0].text == "OK"
    with pytest.raises(ClickAssistError):
        all_candidates(object(), Screen(cap.image), mapping)
