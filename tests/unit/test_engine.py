"""The engine's plumbing with recording fake sources: caching, passes, failures, errors."""

import numpy as np
import pytest

from desktop.core.errors import BackendFailed, EmptyInstruction, ImageUnreadable, InvalidClickBounds
from desktop.core.geometry import Box
from desktop.core.parser import parse_instruction
from desktop.core.results import Candidate
from desktop.core.sources import Screen
from desktop.grounding.engine import Engine


class FakeSource:
    def __init__(self, name, found=(), fail=None):
        self.name, self.found, self.fail, self.calls = name, list(found), fail, []

    def available(self):
        return True

    def candidates(self, screen, request):
        self.calls.append((screen.digest, len(request.found_so_far)))
        if self.fail is not None:
            raise self.fail
        return self.found


SCREEN = np.full((120, 200, 3), 240, np.uint8)
SAVE = Candidate(Box(10, 10, 50, 30), "Save", "text", "ocr", 0.99)
GEAR = Candidate(Box(100, 10, 120, 30), "settings", "icon", "icons", 0.9, description="settings gear cog")


def make(*sources):
    return Engine(sources=list(sources), semantic=False, calibration="default")


def test_ground_returns_points_inside_the_target():
    ocr = FakeSource("ocr", [SAVE])
    result = make(ocr).ground(SCREEN, "click Save")
    best = result.best
    assert SAVE.box.contains(best.x, best.y) and best.label == "Save" and best.source == "ocr"
    assert result.image_size == (200, 120)


def test_repeated_instruction_is_served_from_cache():
    ocr = FakeSource("ocr", [SAVE])
    engine = make(ocr)
    first = engine.ground(SCREEN, "click Save")
    second = engine.ground(SCREEN.copy(), "click Save")
    assert len(ocr.calls) == 1 and second.predictions == first.predictions
    engine.ground(SCREEN, "click the Save button")  # new instruction, same screen: sources not rerun
    assert len(ocr.calls) == 1


def test_later_sources_see_earlier_candidates():
    ocr, controls = FakeSource("ocr", [SAVE]), FakeSource("controls")
    make(controls, ocr).ground(SCREEN, "click Save")
    assert controls.calls[0][1] == 1  # ran after OCR regardless of the order given


def test_icon_pass_runs_only_when_needed():
    ocr, icons = FakeSource("ocr", [SAVE]), FakeSource("icons", [GEAR])
    engine = make(ocr, icons)
    engine.ground(SCREEN, "click Save")
    assert icons.calls == []
    result = engine.ground(SCREEN, "click the gear icon")
    assert icons.calls and GEAR.box.contains(result.best.x, result.best.y)


def test_one_failing_source_does_not_stop_the_others():
    ocr, broken = FakeSource("ocr", [SAVE]), FakeSource("controls", fail=BackendFailed("boom"))
    result = make(ocr, broken).ground(SCREEN, "click Save")
    assert result.best.label == "Save"
    crashing = FakeSource("controls", fail=RuntimeError("segfault-ish"))
    assert make(FakeSource("ocr", [SAVE]), crashing).ground(SCREEN, "click Save").best.label == "Save"


def test_all_sources_failing_is_a_clear_error():
    with pytest.raises(BackendFailed):
        make(FakeSource("ocr", fail=BackendFailed("down")), FakeSource("controls", fail=RuntimeError("x"))) \
            .ground(SCREEN, "click Save")


def test_bad_inputs_raise_specific_errors(tmp_path):
    engine = make(FakeSource("ocr", [SAVE]))
    with pytest.raises(EmptyInstruction):
        engine.ground(SCREEN, "   ")
    with pytest.raises(InvalidClickBounds):
        engine.ground(SCREEN, "click Save", min_clicks=2, max_clicks=1)
    bad = tmp_path / "x.png"
    bad.write_text("not an image")
    with pytest.raises(ImageUnreadable):
        engine.ground(str(bad), "click Save")


def test_nothing_matched_is_not_an_error():
    result = make(FakeSource("ocr", [SAVE])).ground(SCREEN, "click Frobnicate")
    assert result.predictions == () and "Frobnicate" in result.message


def test_live_screens_try_the_tree_first_and_stop_when_it_answers():
    from desktop.core.geometry import ScreenMapping

    tree = FakeSource("a11y", [Candidate(Box(10, 10, 50, 30), "Save", "button", "a11y", 0.95)])
    ocr = FakeSource("ocr", [SAVE])
    engine = make(tree, ocr)
    result = engine.ground(SCREEN, "click Save", mapping=ScreenMapping(100, 200))
    assert result.best.source == "a11y" and ocr.calls == []
    engine.ground(SCREEN, "click all checkboxes", mapping=ScreenMapping(100, 200))
    assert len(ocr.calls) == 1  # counting never trusts the tree alone
    engine.ground(SCREEN.copy() + 1, "click Save")  # a saved image: no tree stage at all
    assert len(tree.calls) == 1


def test_a_broken_tree_on_a_live_screen_falls_through_to_ocr():
    from desktop.core.geometry import ScreenMapping

    tree = FakeSource("a11y", fail=BackendFailed("the registry did not answer"))
    result = make(tree, FakeSource("ocr", [SAVE])).ground(SCREEN, "click Save", mapping=ScreenMapping())
    assert result.best.label == "Save"
    with pytest.raises(BackendFailed):
        make(tree, FakeSource("ocr", fail=BackendFailed("down"))).ground(SCREEN, "click Save",
                                                                        mapping=ScreenMapping())


class FakeConditioned(FakeSource):
    """A model-like source: its answer depends on the instruction."""

    conditioned = True

    def candidates(self, screen, request):
        target = request.intent.steps[0].target
        self.calls.append((target, len(request.found_so_far)))
        if self.fail is not None:
            raise self.fail
        return [Candidate(Box(150, 60, 190, 100), target, "image", self.name, 0.8)]


def test_conditioned_sources_are_asked_per_instruction_and_cached_by_it():
    ocr, vlm = FakeSource("ocr", [SAVE]), FakeConditioned("owlv2")
    engine = make(ocr, vlm)
    dog = engine.ground(SCREEN, "click the dog")
    assert vlm.calls == [("dog", 1)]  # after the plain sources, seeing what they found
    assert dog.best.source == "owlv2" and dog.best.label == "dog"
    cat = engine.ground(SCREEN, "click the cat")
    assert [c[0] for c in vlm.calls] == ["dog", "cat"] and cat.best.label == "cat"
    assert len(ocr.calls) == 1  # the plain sources stay cached by screen alone
    engine.ground(SCREEN, "click the dog", max_clicks=1)  # not the answer cache: the candidate cache
    assert len(vlm.calls) == 2


def test_a_failing_conditioned_source_falls_back_to_the_others():
    ocr = FakeSource("ocr", [SAVE])
    vlm = FakeConditioned("owlv2", fail=BackendFailed("took too long"))
    result = make(ocr, vlm).ground(SCREEN, "click Save")
    assert result.best.source == "ocr" and len(vlm.calls) == 1
    with pytest.raises(BackendFailed):
        make(FakeConditioned("owlv2", fail=BackendFailed("took too long"))).ground(SCREEN, "click Save")


class FakeSlowModel(FakeConditioned):
    slow = True


def test_listing_the_screen_asks_quick_conditioned_sources_but_never_a_slow_model():
    quick, slow = FakeConditioned("icons"), FakeSlowModel("owlv2")
    engine = make(FakeSource("ocr", [SAVE]), quick, slow)
    listed = engine.candidates(Screen(SCREEN), parse_instruction("click the dog"))
    assert {c.source for c in listed} == {"ocr", "icons"} and slow.calls == []
    engine.ground(SCREEN, "click the dog")
    assert [c[0] for c in slow.calls] == ["dog"]
