"""Trust but verify, on a real screenshot with real OCR: a recorded AT-SPI tree (gtk3-widget-factory
under the Qt e2e target window) checked against the pixels it was recorded with, as recorded and
with the faults real applications show (a group of boxes offset by a menu bar's height, a hidden
page's button still "showing", a closed popup's item over blank space)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from desktop.core.geometry import Box, ScreenMapping
from desktop.core.images import load_image
from desktop.core.intent import Intent, Step
from desktop.core.results import Candidate
from desktop.core.sources import Screen
from desktop.grounding._a11y_replay import RecordedBackend, snapshot_from_recording
from desktop.grounding._a11y_verify import Checked, agreement, verify
from desktop.grounding.a11y import AccessibilitySource
from desktop.grounding.engine import Engine

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "a11y"
RECORDING = json.loads((FIXTURES / "gtk3_factory_qt_target.json").read_text())
IDENTITY = ScreenMapping()


@pytest.fixture(scope="module")
def image() -> Any:
    return load_image(str(FIXTURES / "gtk3_factory_qt_target.png"))


@pytest.fixture(scope="module")
def ocr_found(image: Any) -> tuple[Candidate, ...]:
    engine = Engine(sources=["ocr", "controls"], semantic=False)
    return engine.candidates(Screen(image), Intent("click", (Step(),)))


def _checked(recording: dict[str, Any], image: Any, found: Any) -> dict[str, list[Checked]]:
    out: dict[str, list[Checked]] = {}
    for c in verify(snapshot_from_recording(recording), IDENTITY, image, found):
        out.setdefault(c.node.name, []).append(c)
    return out


def _qt_app(recording: dict[str, Any]) -> dict[str, Any]:
    return next(a for a in recording["apps"] if a["name"] == "target_app.py")


def _add(app: dict[str, Any], path: str, parent_name: str, name: str, role: int, extents: list[int]) -> None:
    """Add an element that claims to be showing under the element named ``parent_name``."""
    parent = next(it for it in app["items"] if it[6] == parent_name)
    bus = parent[0][0]
    app["items"].append([[bus, path], parent[1], parent[0], 0, 0, [], name, role, "",
                         [(1 << 25) | (1 << 30) | (1 << 8), 0]])
    app["extents"][path] = extents


def test_names_and_boxes_as_recorded_pass(image: Any, ocr_found: Any) -> None:
    got = _checked(RECORDING, image, ocr_found)
    save = got["Save"][0]
    assert save.evidence == "text" and save.box == Box(200, 246, 362, 274) and not save.shifted
    # Icon-only header bar buttons: drawn, no text, found by their accessible names.
    for name in ("Close", "Maximize", "Minimize", "Menu"):
        assert [c.evidence for c in got[name]] == ["drawn"], name
    assert got["Close"][0].box == Box(1322, 12, 1356, 42)


def test_elements_under_a_higher_window_are_dropped(image: Any, ocr_found: Any) -> None:
    got = _checked(RECORDING, image, ocr_found)
    # gtk3-widget-factory's toggle buttons at x 392-536, y 61-227 lie under the Qt window.
    assert "togglebutton" not in got
    assert any(n.name == "togglebutton" for n in snapshot_from_recording(RECORDING).nodes)


def test_a_group_offset_by_a_menu_bar_is_moved_back(image: Any, ocr_found: Any) -> None:
    shifted = copy.deepcopy(RECORDING)
    app = _qt_app(shifted)
    window = next(it[0][1] for it in app["items"] if it[6] == "E2E target")
    group = [it[0][1] for it in app["items"] if it[2][1] == window]
    for path in group:
        x, y, w, h = app["extents"][path]
        app["extents"][path] = [x, y + 26, w, h]  # what a native menu bar's height does
    got = _checked(shifted, image, ocr_found)
    for name, expected in (("Save", Box(200, 246, 362, 274)), ("Remember me", Box(31, 247, 179, 272))):
        c = got[name][0]
        assert c.shifted and abs(c.box.y0 - expected.y0) <= 3 and abs(c.box.x0 - expected.x0) <= 1, (name, c)
    assert got["General"][0].box == Box(31, 31, 122, 63) and not got["General"][0].shifted  # another group


def test_a_hidden_pages_button_still_showing_is_dropped(image: Any, ocr_found: Any) -> None:
    broken = copy.deepcopy(RECORDING)
    app = _qt_app(broken)
    # The Network page's button, reported showing where the General page's text is drawn.
    _add(app, "/stale/1", "E2E target", "Use proxy", 43, [40, 100, 300, 40])
    # A closed popup's item, reported showing over blank space.
    _add(app, "/stale/2", "E2E target", "Paste", 35, [120, 180, 200, 24])
    got = _checked(broken, image, ocr_found)
    assert "Use proxy" not in got and "Paste" not in got
    assert "Save" in got


def test_the_visible_label_and_the_accessible_name_both_match(image: Any, ocr_found: Any) -> None:
    renamed = copy.deepcopy(RECORDING)
    app = _qt_app(renamed)
    for it in app["items"]:
        if it[6] == "Export":
            it[6] = "Export as PDF file"  # an accessible name that says more than the label
        if it[6] == "Print":
            it[6] = "Send to printer"  # one that says something else
    source = AccessibilitySource(RecordedBackend(renamed))
    engine = Engine(sources=["ocr", "controls", source], semantic=False)
    for instruction, label in (("click Export", "Export"), ("click Export as PDF file", "Export as PDF file"),
                               ("click Print", "Print"), ("click Send to printer", "Send to printer")):
        result = engine.ground(image, instruction, mapping=IDENTITY)
        assert result.best is not None, instruction
        if label in ("Export as PDF file", "Send to printer"):  # only the tree knows these names
            assert result.best.source == "a11y", (instruction, result.best)
        x, y = result.best.x, result.best.y
        target = Box(368, 246, 529, 274) if "Export" in label else Box(200, 280, 362, 308)
        assert target.contains(x, y), (instruction, result.best)
        # One point per control: the name and the label merged.
        assert sum(1 for p in result.predictions if target.contains(p.x, p.y)) == 1, result.predictions


def test_fusion_prefers_the_tree_and_merges_duplicates(image: Any) -> None:
    engine = Engine(sources=["ocr", "controls", AccessibilitySource(RecordedBackend(RECORDING))], semantic=False)
    for instruction, box in (("click Save", Box(200, 246, 362, 274)), ("click the Network tab", Box(122, 31, 217, 63)),
                             ("click Close", Box(1322, 12, 1356, 42)), ("click the Menu button", Box(1193, 4, 1229, 50))):
        result = engine.ground(image, instruction, mapping=IDENTITY)
        best = result.best
        assert best is not None and box.contains(best.x, best.y), (instruction, result.predictions)
        assert sum(1 for p in result.predictions if box.contains(p.x, p.y)) == 1, (instruction, result.predictions)
    boxes = engine.ground(image, "click all checkboxes", mapping=IDENTITY).predictions
    qt = [p for p in boxes if Box(20, 20, 540, 350).contains(p.x, p.y)]
    assert sorted(p.label for p in qt) == ["Dark mode", "Remember me", "Send newsletter"]


def test_agreement_reads_names_and_labels_loosely() -> None:
    assert agreement("Save", "Save") == 1.0
    assert agreement("Save document", "Save") >= 0.85
    assert agreement("Close", "Export") < 0.5
    assert agreement("", "Save") == 0.0
