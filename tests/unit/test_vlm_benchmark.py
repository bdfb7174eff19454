"""The benchmark's vision-language comparison: a model beside the default engine, or an honest "not measured"."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from desktop.core.geometry import Box
from desktop.core.intent import Intent
from desktop.core.results import GroundingResult, Prediction
from tests.benchmarks import run_benchmark
from tests.unit._vlm_tiny import no_network  # noqa: F401  (autouse)

CASES = [{"id": f"text-00{i}", "image": "screen.png", "instruction": f"click {word}", "kind": kind,
          "targets": [[10.0, 10.0, 50.0, 30.0]], "expect": "one", "action": "click",
          "meta": {"source": "qt", "scale": 1.0, "theme": "light", "layout": "window"}}
         for i, (word, kind) in enumerate([("Save", "text"), ("Open", "text"), ("the dog", "image")])]


@pytest.fixture()
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CLICK_ASSIST_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
    folder = tmp_path / "data"
    folder.mkdir()
    Image.fromarray(np.full((60, 80, 3), 200, np.uint8)).save(folder / "screen.png")
    (folder / "cases.jsonl").write_text("".join(json.dumps(c) + "\n" for c in CASES))
    return folder


class Answers:
    """An engine that clicks (30, 20) (inside every target) or (70, 50) (outside), after ``ms``."""

    def __init__(self, right: bool) -> None:
        self.right = right
        self.source_names = ("fake",)

    def ground(self, image: Any, instruction: str, **kwargs: Any) -> GroundingResult:
        x, y = (30, 20) if self.right else (70, 50)
        pred = Prediction(x, y, 0.9, "x", Box(x - 5, y - 5, x + 5, y + 5), "fake", "click")
        return GroundingResult((pred,), Intent(instruction, ()), 1.0, (80, 60))


def _no_default_run(backend: Any) -> Any:
    pytest.fail("the default engine ran although the model was missing")


@pytest.mark.parametrize("given_dir", [True, False])
def test_without_a_model_nothing_is_measured(data: Path, tmp_path: Path, given_dir: bool) -> None:
    out = tmp_path / "out"
    argv = ["--data", str(data), "--out", str(out), "--backend", "qwen2.5-vl"]
    if given_dir:
        argv += ["--model-dir", str(tmp_path / "empty")]
    assert run_benchmark.main(argv, engine_factory=_no_default_run) == 0
    report = (out / "report.md").read_text()
    where = str(tmp_path / "empty") if given_dir else "the models folder and the Hugging Face cache"
    assert f"No vision-language model found in {where}; not measured." in report
    assert "%" not in report and "ms" not in report.split("not measured.")[1].split("\n")[0]
    assert json.loads((out / "report.json").read_text())["model"] == {
        "backend": "qwen2.5-vl", "measured": False,
        "reason": (f"{tmp_path / 'empty'} holds no model (no config.json)." if given_dir
                   else "No qwen2.5-vl model was found on this machine.")}
    assert not (out / "cases_scored.jsonl").exists()


def test_a_model_is_reported_beside_the_default_engine(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    seen: list[tuple[str, Path | None]] = []

    def model_factory(backend: str, model_dir: Path | None) -> Any:
        seen.append((backend, model_dir))
        return Answers(right=True)

    rc = run_benchmark.main(["--data", str(data), "--out", str(out), "--backend", "owlv2", "--model-dir",
                             str(tmp_path / "owl")], engine_factory=lambda backend: Answers(right=False),
                            model_factory=model_factory)
    assert rc == 0 and seen == [("owlv2", tmp_path / "owl")]
    report = (out / "report.md").read_text()
    assert report.startswith("# Click Assist benchmark")
    assert f"| measure | default engine | owlv2 ({tmp_path / 'owl'}) |" in report
    assert "(backend option: all)" in report  # the rest of the report is the default engine's
    assert "| **overall** | 0.0% | 100.0% |" in report
    assert "| text | 0.0% | 100.0% |" in report and "| image | 0.0% | 100.0% |" in report
    assert "| latency p50 (ms) |" in report and "| latency p95 (ms) |" in report
    summary = json.loads((out / "report.json").read_text())
    assert summary["accuracy"] == 0.0 and summary["model"]["summary"]["accuracy"] == 1.0
    assert len((out / "cases_scored_model.jsonl").read_text().splitlines()) == 3


@pytest.mark.slow
def test_the_real_model_factory_runs_a_tiny_checkpoint(data: Path, tmp_path: Path) -> None:
    pytest.importorskip("transformers")
    from tests.unit._vlm_tiny import tiny_owlv2

    owl = tiny_owlv2(tmp_path)
    out = tmp_path / "out"
    rc = run_benchmark.main(["--data", str(data), "--out", str(out), "--backend", "owlv2", "--model-dir", str(owl)],
                            engine_factory=lambda backend: Answers(right=True))
    assert rc == 0
    summary = json.loads((out / "report.json").read_text())["model"]
    assert summary["measured"] and summary["summary"]["config"]["sources"] == ["owlv2"]
    assert summary["summary"]["n_cases"] == 3 and summary["summary"]["errors"] == 0
