"""The model-backed source and the Qwen answer path, with a fake backend at the model boundary.

The Qwen2.5-VL tiny-checkpoint test is in ``test_vlm_qwen.py``; here the
answer → pixels path uses the real parser and mapping on a stubbed answer.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import numpy as np
import pytest

from desktop.core.errors import BackendFailed
from desktop.core.geometry import Box
from desktop.core.sources import Screen
from desktop.grounding.engine import Engine
from desktop.grounding.vlm.base import Detection, ModelBackend
from desktop.grounding.vlm.models import find_models, locate_model
from desktop.grounding.vlm.qwen import detections_from_text
from desktop.grounding.vlm.source import VlmSource
from tests.unit._vlm_tiny import no_network  # noqa: F401  (autouse)

SCREEN = np.full((1080, 1920, 3), 30, np.uint8)


class FakeBackend(ModelBackend):
    name = "fake-vlm"

    def __init__(self, answer: str, delay_s: float = 0.0) -> None:
        super().__init__("/nonexistent")
        self.answer, self.delay_s, self.phrases = answer, delay_s, []

    def available(self) -> bool:
        return True

    def load(self) -> None:  # no weights: the model boundary is faked
        pass

    def _load(self) -> None:
        pass

    def preprocess(self, image: np.ndarray, phrase: str) -> dict[str, Any]:
        self.phrases.append(phrase)
        return {"image_size": image.shape[:2], "phrase": phrase}

    def _forward(self, inputs: dict[str, Any], cancel: threading.Event) -> Any:
        end = time.monotonic() + self.delay_s
        while time.monotonic() < end and not cancel.is_set():
            time.sleep(0.01)
        return {"text": self.answer, "logprobs": [-0.1, -0.1]}

    def postprocess(self, raw: Any, inputs: dict[str, Any]) -> list[Detection]:
        return detections_from_text(raw["text"], raw["logprobs"], "absolute_resized", inputs["image_size"],
                                    None, inputs["phrase"])


def test_qwen_answer_maps_back_from_the_resized_image() -> None:
    # 1920x1080 is seen as 1316x728; the answer (658, 364) is the centre of what the model saw.
    [d] = detections_from_text("click(start_box='(658,364)')", [-0.2, -0.2], "absolute_resized", (1080, 1920),
                               None, "Save")
    assert d.point == pytest.approx((960.0, 540.0)) and d.score == pytest.approx(np.exp(-0.2))
    [d] = detections_from_text("<point>500 500</point>", [], "relative_1000", (1080, 1920), None, "x")
    assert d.point == pytest.approx((960.0, 540.0)) and d.score == 0.5


def test_engine_ranks_the_model_point_with_the_instruction_phrase() -> None:
    backend = FakeBackend("(658, 364)")
    engine = Engine(sources=[VlmSource(backend)], semantic=False, calibration="default")
    result = engine.ground(SCREEN, "click the dog")
    assert backend.phrases == ["dog"]
    best = result.best
    assert (best.x, best.y) == (960, 540) and best.source == "fake-vlm" and best.label == "dog"


def test_a_slow_model_times_out_and_the_other_sources_answer() -> None:
    backend = FakeBackend("(658, 364)", delay_s=5.0)
    source = VlmSource(backend, timeout_s=0.2)
    with pytest.raises(BackendFailed, match="longer than 0.2 s"):
        source.candidates(Screen(SCREEN), _request("click the dog"))
    assert source._cancel.is_set()  # the running query was told to stop


def test_find_and_locate_models(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
    owl = tmp_path / "owlv2-base"
    owl.mkdir()
    (owl / "config.json").write_text('{"model_type": "owlv2"}')
    (owl / "model.safetensors").write_bytes(b"0" * 1000)
    (tmp_path / "notes").mkdir()
    [found] = [m for m in find_models(tmp_path) if m.path == owl]
    assert found.backend == "owlv2" and found.size_bytes > 1000
    assert locate_model("owlv2", models_dir=tmp_path) == owl
    from desktop.core.errors import ModelMissing

    with pytest.raises(ModelMissing) as info:
        locate_model("qwen2.5-vl", models_dir=tmp_path / "empty")
    assert "huggingface-cli download ByteDance-Seed/UI-TARS-1.5-7B --local-dir" in info.value.hint


def _request(text: str) -> Any:
    from desktop.core.parser import parse_instruction
    from desktop.core.sources import SourceRequest

    return SourceRequest(intent=parse_instruction(text))


def test_point_only_answers_get_a_small_box() -> None:
    cands = VlmSource(FakeBackend("(658, 364)")).candidates(Screen(SCREEN), _request("click the dog"))
    assert cands[0].box == Box(952.0, 532.0, 968.0, 548.0) and cands[0].point == pytest.approx((960.0, 540.0))


def test_models_command_lists_found_and_missing(tmp_path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    import json

    from desktop.cli import main

    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
    (tmp_path / "owl").mkdir()
    (tmp_path / "owl" / "config.json").write_text('{"model_type": "owlv2"}')
    assert main(["models", "--models-dir", str(tmp_path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [(m["backend"], m["path"]) for m in out["models"]] == [("owlv2", str(tmp_path / "owl"))]
    assert "owlv2" not in out["missing"]
    assert out["missing"]["qwen2.5-vl"][0].startswith("huggingface-cli download ByteDance-Seed/UI-TARS-1.5-7B")


def test_progress_is_reported_from_start_to_end() -> None:
    events = []
    source = VlmSource(FakeBackend("(658, 364)"), on_progress=events.append)
    source.candidates(Screen(SCREEN), _request("click the dog"))
    assert [(e.model, e.phrase, e.outcome) for e in events] == [("fake-vlm", "dog", "running"),
                                                                 ("fake-vlm", "dog", "done")]


def test_cancel_stops_waiting_at_once_and_reports_it() -> None:
    events = []
    backend = FakeBackend("(658, 364)", delay_s=5.0)
    source = VlmSource(backend, timeout_s=30.0, on_progress=events.append)
    timer = threading.Timer(0.2, source.cancel)
    timer.start()
    started = time.monotonic()
    with pytest.raises(BackendFailed, match="cancelled"):
        source.candidates(Screen(SCREEN), _request("click the dog"))
    assert time.monotonic() - started < 1.5
    assert [e.outcome for e in events] == ["running", "cancelled"]


def test_a_timeout_is_reported_with_its_message() -> None:
    events = []
    source = VlmSource(FakeBackend("(658, 364)", delay_s=5.0), timeout_s=0.2, on_progress=events.append)
    with pytest.raises(BackendFailed):
        source.candidates(Screen(SCREEN), _request("click the dog"))
    assert events[-1].outcome == "timeout" and "longer than 0.2 s" in events[-1].message


class _TextSource:
    """A plain source that sees the word "Save" on a button."""

    name = "fake-ocr"

    def available(self) -> bool:
        return True

    def candidates(self, screen: Screen, request: Any) -> list[Any]:
        from desktop.core.results import Candidate

        return [Candidate(box=Box(100, 100, 180, 130), text="Save", role="button", source=self.name, score=0.95)]


def test_a_cancelled_model_falls_back_to_the_other_sources() -> None:
    source = VlmSource(FakeBackend("(658, 364)", delay_s=5.0), timeout_s=30.0)
    engine = Engine(sources=[_TextSource(), source], semantic=False, calibration="default")
    threading.Timer(0.2, source.cancel).start()
    result = engine.ground(SCREEN, "click Save")
    assert (result.best.x, result.best.y, result.best.source) == (140, 115, "fake-ocr")


def test_listing_the_screen_never_asks_the_model() -> None:
    # "show numbers" and the speech vocabulary list what is on screen: no model query for that.
    backend = FakeBackend("(658, 364)")
    engine = Engine(sources=[_TextSource(), VlmSource(backend)], semantic=False, calibration="default")
    from desktop.core.parser import parse_instruction

    listed = engine.candidates(Screen(SCREEN), parse_instruction("click OK"))
    assert [c.source for c in listed] == ["fake-ocr"] and backend.phrases == []
    engine.ground(SCREEN, "click OK")
    assert backend.phrases == ["OK"]


def test_the_app_builds_the_model_source_its_settings_name(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.app import engine_factory, model_source
    from desktop.core.settings import Settings

    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
    assert model_source(Settings()) == (None, "")
    source, problem = model_source(Settings(vlm_backend="owlv2", models_dir=str(tmp_path)))
    assert source is None and "No owlv2 model was found" in problem and "huggingface-cli download" in problem
    (tmp_path / "owl").mkdir()
    (tmp_path / "owl" / "config.json").write_text('{"model_type": "owlv2"}')
    source, problem = model_source(Settings(vlm_backend="owlv2", models_dir=str(tmp_path), vlm_timeout_s=7.0))
    assert problem == "" and source.name == "owlv2" and source.timeout_s == 7.0
    assert source.backend.model_dir == tmp_path / "owl"
    engine = engine_factory(("ocr",), source)()
    assert engine.source_names == ("ocr", "owlv2")


def test_with_a_model_the_app_sends_no_warm_up_request(monkeypatch: pytest.MonkeyPatch) -> None:
    # The warm-up request would be a model query holding its one worker; loading still happens.
    import desktop.app as app
    from desktop.core.work import LazyEngine

    monkeypatch.setattr(LazyEngine, "start", lambda self: None)
    source = VlmSource(FakeBackend("(1, 1)"))
    assert app._lazy_engine((), source).warm_image is None
    assert app._lazy_engine((), None).warm_image is not None


@pytest.mark.parametrize(("instruction", "phrase"), [
    ("click the dog", "dog"),
    ("click all the red cars", "red cars"),
    ("click the second Save button", "Save button"),
    ("click the first three links", "links"),
    ("click all checkboxes", "checkboxes"),
    ("click 2 buttons", "buttons"),
    ("click the A button", "A button"),
    ("click the Remember me checkbox", "Remember me checkbox"),
    ("点击保存", "保存"),
])
def test_the_model_is_asked_for_the_phrase_without_counting_words(instruction: str, phrase: str) -> None:
    from desktop.core.parser import parse_instruction
    from desktop.grounding.vlm.source import model_phrase

    assert model_phrase(parse_instruction(instruction).steps[0]) == phrase
