"""The benchmark's own machinery: scoring, generated screens, their ground truth, cases, runner.

No grounding engine is involved: a tiny set of real Qt (and, where Chromium
and playwright are present, web) screens is rendered, and the ground truth is
checked against the pixels: indicators are drawn where their boxes are, and
OCR reads each button's text inside its box.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.benchmarks.cases import build_cases, load_all_truths, load_cases, write_cases
from tests.benchmarks.scoring import (
    expected_calibration_error, match_one_to_one, percentile, reliability_table, score_case,
)
from tests.benchmarks.truth import ScreenTruth

# --------------------------------------------------------------------------- scoring


def _pt(x: float, y: float, conf: float = 0.9, action: str = "click", step: int = 0) -> dict:
    return {"x": x, "y": y, "confidence": conf, "action": action, "step": step}


def test_one_target_scores_only_the_first_point_and_its_action() -> None:
    case = {"targets": [[10, 10, 20, 20]], "expect": "one", "action": "double_click"}
    assert score_case(case, [_pt(15, 15, action="double_click"), _pt(0, 0)]).correct
    assert not score_case(case, [_pt(15, 15)]).correct  # right place, wrong action
    assert not score_case(case, [_pt(0, 0), _pt(15, 15, action="double_click")]).correct
    assert not score_case(case, []).correct
    # Box edges: x1/y1 are exclusive.
    assert not score_case({"targets": [[10, 10, 20, 20]], "expect": "one"}, [_pt(20, 15)]).correct


def test_all_targets_are_matched_one_to_one() -> None:
    # Point 0 lies in both boxes; greedy matching would give it box 0 and leave point 1 unmatched.
    targets = [[0, 0, 20, 10], [10, 0, 30, 10]]
    points = [_pt(15, 5), _pt(5, 5)]
    assert sorted(m for m in match_one_to_one(points, targets) if m is not None) == [0, 1]
    case = {"targets": targets, "expect": "all"}
    s = score_case(case, points)
    assert s.correct and s.precision == 1.0 and s.recall == 1.0
    dup = score_case(case, [_pt(5, 5), _pt(6, 6)])  # two points in one box
    assert not dup.correct and dup.tp == 1 and dup.precision == 0.5 and dup.recall == 0.5
    extra = score_case(case, points + [_pt(100, 100)])
    assert not extra.correct and extra.recall == 1.0


def test_sequence_needs_every_step_in_order() -> None:
    case = {"targets": [[0, 0, 10, 10], [20, 0, 30, 10]], "expect": "sequence"}
    assert score_case(case, [_pt(5, 5, step=0), _pt(25, 5, step=1)]).correct
    assert not score_case(case, [_pt(25, 5, step=0), _pt(5, 5, step=1)]).correct
    # Without step numbers the returned order is the click order.
    assert score_case(case, [_pt(5, 5), _pt(25, 5)]).correct
    assert not score_case(case, [_pt(25, 5), _pt(5, 5)]).correct


def test_calibration_error_and_percentiles() -> None:
    assert expected_calibration_error([0.95] * 10, [True] * 10) == pytest.approx(0.05)
    assert expected_calibration_error([0.8] * 10, [True] * 4 + [False] * 6) == pytest.approx(0.4)
    table = reliability_table([0.05, 0.15, 1.0], [False, True, True])
    assert [r["count"] for r in table] == [1, 1, 0, 0, 0, 0, 0, 0, 0, 1]
    assert percentile([1, 2, 3, 4], 50) == 2.5 and percentile([7], 95) == 7


# --------------------------------------------------------------------------- generated data


@pytest.fixture(scope="module")
def tiny_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.benchmarks.gen_qt_screens import generate_qt

    data = tmp_path_factory.mktemp("bench")
    generate_qt(data, n_screens=3, n_windows=3, seed=11)
    if importlib.util.find_spec("playwright") and shutil.which(os.environ.get("CA_CHROMIUM", "/usr/bin/chromium")):
        from tests.benchmarks.gen_web_screens import generate_web

        generate_web(data, n=2, seed=11)
    write_cases(build_cases(load_all_truths(data), data, seed=11), data / "cases.jsonl")
    return data


def _image(data: Path, truth: ScreenTruth) -> np.ndarray:
    return np.asarray(Image.open(data / truth.image).convert("RGB")).astype(np.int16)


def _drawn(img: np.ndarray, box: list[float]) -> bool:
    """Whether something is drawn in ``box``: its pixels differ from the ring just around it."""
    x0, y0, x1, y1 = (int(round(v)) for v in box)
    inner = img[y0:y1, x0:x1].reshape(-1, 3)
    ring = np.concatenate([img[max(0, y0 - 3):y0, x0:x1].reshape(-1, 3), img[y1:y1 + 3, x0:x1].reshape(-1, 3)])
    if len(inner) == 0 or len(ring) == 0:
        return False
    background = np.median(ring, axis=0)
    # A thin circle outline is enough: at least 4% of the box differs from around it. Dark
    # Fusion draws an empty checkbox only ~20 levels off the window colour, so the bar is low;
    # a flat wallpaper patch still differs by 0-3 levels.
    return float((np.abs(inner - background).max(axis=1) > 15).mean()) >= 0.04


@pytest.mark.slow
def test_qt_screens_have_the_promised_sizes_and_boxes_inside(tiny_data: Path) -> None:
    truths = [t for t in load_all_truths(tiny_data) if t.source == "qt"]
    assert len(truths) == 6
    for t in truths:
        with Image.open(tiny_data / t.image) as im:
            assert im.size == (t.width, t.height)
        if t.layout == "screen":
            assert (t.width, t.height) == (1920, 1080)
        assert len(t.elements) > 10
        for e in t.elements:
            assert 0 <= e.box[0] < e.box[2] <= t.width + 1 and 0 <= e.box[1] < e.box[3] <= t.height + 1, e


@pytest.mark.slow
def test_checkable_indicators_are_drawn_where_their_boxes_say(tiny_data: Path) -> None:
    checked = 0
    for t in load_all_truths(tiny_data):
        img = _image(tiny_data, t)
        for e in t.elements:
            if e.indicator is None:
                continue
            assert _drawn(img, e.indicator), (t.image, e)
            if e.label_box:
                assert _drawn(img, e.label_box), (t.image, e)
            checked += 1
    assert checked >= 5
    # The check itself can fail: a box on bare wallpaper, clear of every element, is not "drawn".
    screen = next(t for t in load_all_truths(tiny_data) if t.layout == "screen")
    taken = [e.box for e in screen.elements] + [w["box"] for w in screen.windows]
    flat = next(b for b in ([x, y, x + 16, y + 16] for y in range(40, 900, 40) for x in range(200, 1800, 40))
                if not any(b[0] < o[2] + 4 and b[2] > o[0] - 4 and b[1] < o[3] + 4 and b[3] > o[1] - 4
                           for o in taken))
    assert not _drawn(_image(tiny_data, screen), flat)


@pytest.mark.slow
def test_button_texts_are_read_inside_their_boxes(tiny_data: Path) -> None:
    from rapidfuzz import fuzz
    from rapidocr_onnxruntime import RapidOCR

    ocr = RapidOCR()
    read = 0
    for t in load_all_truths(tiny_data):
        img = _image(tiny_data, t).astype(np.uint8)
        buttons = [e for e in t.elements if e.kind == "button" and e.text.isascii() and len(e.text) > 2
                   and e.window != "Taskbar"][:1]
        for e in buttons:
            x0, y0, x1, y1 = (int(round(v)) for v in e.box)
            crop = np.pad(img[y0:y1, x0:x1], ((8, 8), (8, 8), (0, 0)), mode="edge")
            result, _ = ocr(crop)
            text = " ".join(r[1] for r in result or [])
            assert fuzz.ratio(text.lower(), e.text.lower()) >= 80, (t.image, e.text, text)
            read += 1
    assert read >= 3


@pytest.mark.slow
def test_cases_are_well_formed(tiny_data: Path) -> None:
    cases = load_cases(tiny_data / "cases.jsonl")
    truths = {t.image: t for t in load_all_truths(tiny_data)}
    assert len(cases) >= 30
    assert len({c["id"] for c in cases}) == len(cases)
    kinds = {c["kind"] for c in cases}
    assert {"text", "checkable", "multi", "relational", "sequence", "role", "reference"} <= kinds
    for c in cases:
        t = truths[c["image"]]
        assert c["targets"] and c["expect"] in ("one", "all", "sequence")
        if c["expect"] != "one":
            assert len(c["targets"]) >= 2, c
        for b in c["targets"]:
            assert 0 <= b[0] < b[2] <= t.width + 1 and 0 <= b[1] < b[3] <= t.height + 1, c
        if c.get("reference"):
            assert (tiny_data / c["reference"]).is_file()
    checkable = [c for c in cases if c["kind"] == "checkable"]
    indicators = {tuple(round(v, 1) for v in e.indicator) for t in truths.values() for e in t.elements if e.indicator}
    assert all(tuple(c["targets"][0]) in indicators for c in checkable)


# --------------------------------------------------------------------------- runner


class _Answer:
    """An engine stand-in that answers from the cases themselves (or deliberately beside them)."""

    source_names = ("fake",)

    def __init__(self, data: Path, wrong: bool) -> None:
        self.wrong = wrong
        self.names: dict[str, str] = {}
        self.cases: dict[tuple, dict] = {}
        for c in load_cases(data / "cases.jsonl"):
            if c["image"] not in self.names.values():
                self.names[_digest(np.asarray(Image.open(data / c["image"]).convert("RGB")))] = c["image"]
            ref = Path(c["reference"]).name if c.get("reference") else None
            self.cases[(c["image"], c["instruction"], ref)] = c

    def ground(self, image: np.ndarray, instruction: str, *, min_clicks: int | None = None,
               max_clicks: int | None = None, reference: str | None = None) -> object:
        from desktop.core.geometry import Box
        from desktop.core.intent import Intent
        from desktop.core.results import GroundingResult, Prediction

        case = self.cases[(self.names[_digest(image)], instruction, Path(reference).name if reference else None)]
        preds = []
        for k, b in enumerate(case["targets"]):
            x, y = (b[2] + 50, b[3] + 50) if self.wrong else ((b[0] + b[2]) / 2, (b[1] + b[3]) / 2)
            preds.append(Prediction(x=int(x), y=int(y), confidence=0.9, label="", box=Box(*b), source="fake",
                                    action=case["action"], step=k if case["expect"] == "sequence" else 0))
        return GroundingResult(predictions=tuple(preds), intent=Intent(instruction, ()), elapsed_ms=1.0,
                               image_size=(image.shape[1], image.shape[0]))


def _digest(image: np.ndarray) -> str:
    return hashlib.md5(np.ascontiguousarray(image).tobytes()).hexdigest()


@pytest.mark.slow
@pytest.mark.parametrize("wrong", [False, True])
def test_runner_scores_and_reports(tiny_data: Path, tmp_path: Path, wrong: bool) -> None:
    from tests.benchmarks import run_benchmark

    fake = _Answer(tiny_data, wrong)
    rc = run_benchmark.main(["--data", str(tiny_data), "--out", str(tmp_path), "--kinds",
                             "text,checkable,multi,sequence,action,reference"],
                            engine_factory=lambda backend: fake)
    assert rc == 0
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["n_cases"] > 5
    assert report["accuracy"] == (0.0 if wrong else 1.0)
    assert (tmp_path / "report.md").read_text().startswith("# Click Assist benchmark")
    scored = [json.loads(line) for line in (tmp_path / "cases_scored.jsonl").read_text().splitlines()]
    assert all("correct" in p and "confidence" in p for r in scored for p in r["points"])
    assert {r["phase"] for r in scored} >= {"cold", "new_screen"}
