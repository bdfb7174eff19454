"""Each GUI-grounding family maps to the backend and coordinate convention its answers need.

A wrong convention is a click in the wrong place, so every family served has
its own case: by hub repository (cache), by folder name (models folder), and
the architecture's default for an unknown fine-tune.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from desktop.grounding.vlm import BACKENDS, backend_class
from desktop.grounding.vlm.coords import ModelTarget, parse_targets
from desktop.grounding.vlm.families import FAMILIES, identify
from desktop.grounding.vlm.models import find_models, locate_model
from tests.unit._vlm_tiny import no_network, tiny_qwen25  # noqa: F401  (no_network is autouse)

CASES = [
    # (repository, model_type, family, backend, convention)
    ("ByteDance-Seed/UI-TARS-1.5-7B", "qwen2_5_vl", "UI-TARS-1.5", "qwen2.5-vl", "absolute_resized"),
    ("HelloKKMe/GTA1-7B", "qwen2_5_vl", "GTA1", "qwen2.5-vl", "absolute_resized"),
    ("Qwen/Qwen2.5-VL-3B-Instruct", "qwen2_5_vl", "Qwen2.5-VL", "qwen2.5-vl", "absolute_resized"),
    ("bytedance-research/UI-TARS-7B-SFT", "qwen2_vl", "UI-TARS", "qwen-vl-1000", "relative_1000"),
    ("OS-Copilot/OS-Atlas-Base-7B", "qwen2_vl", "OS-Atlas", "qwen-vl-1000", "relative_1000"),
    ("osunlp/UGround-V1-2B", "qwen2_vl", "UGround", "qwen-vl-1000", "relative_1000"),
    ("Qwen/Qwen3-VL-2B-Instruct", "qwen3_vl", "Qwen3-VL", "qwen-vl-1000", "relative_1000"),
    ("Qwen/Qwen2-VL-2B-Instruct", "qwen2_vl", "Qwen2-VL", "qwen-vl-1000", "relative_1000"),
    ("showlab/ShowUI-2B", "qwen2_vl", "ShowUI", "qwen-vl-1", "relative_1"),
    ("xlangai/Aguvis-7B-720P", "qwen2_vl", "Aguvis", "qwen-vl-1", "relative_1"),
    ("cckevinn/SeeClick", "qwen", "SeeClick", "", "relative_1"),
    ("google/owlv2-base-patch16-ensemble", "owlv2", "OWLv2", "owlv2", "absolute"),
    ("IDEA-Research/grounding-dino-tiny", "grounding-dino", "Grounding DINO", "grounding-dino", "absolute"),
    ("florence-community/Florence-2-base", "florence2", "Florence-2", "florence2", "absolute"),
]


@pytest.mark.parametrize(("repo", "model_type", "family", "backend", "convention"), CASES)
def test_each_family_maps_to_its_backend_and_convention(repo: str, model_type: str, family: str, backend: str,
                                                        convention: str) -> None:
    found = identify(model_type, (repo,))
    assert found is not None
    assert (found.name, found.backend, found.convention) == (family, backend, convention)
    if backend:
        cls = backend_class(backend)
        assert model_type in cls.model_types  # the backend named can load this architecture
    else:
        assert "trust_remote_code" in found.note


@pytest.mark.parametrize(("repo", "model_type", "family", "backend", "convention"), CASES)
def test_models_finds_each_family_in_the_cache_and_in_a_folder(repo: str, model_type: str, family: str,
                                                               backend: str, convention: str, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    snapshot = tmp_path / "hub" / f"models--{repo.replace('/', '--')}" / "snapshots" / "abc123"
    folder = tmp_path / "models" / repo.split("/")[1]
    for where in (snapshot, folder):
        where.mkdir(parents=True)
        (where / "config.json").write_text(json.dumps({"model_type": model_type}))
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
    found = find_models(tmp_path / "models")
    assert [(m.path, m.backend, m.family, m.convention) for m in found] == [
        (folder, backend, family, convention), (snapshot, backend, family, convention)]
    if backend:
        assert locate_model(backend, models_dir=tmp_path / "models") == folder


def test_every_backend_and_family_agree() -> None:
    served = {f.backend for f in FAMILIES if f.backend}
    assert served == set(BACKENDS)
    for family in FAMILIES:
        if family.backend:  # detectors report pixels of the image they were given
            assert family.convention == getattr(backend_class(family.backend), "convention", "absolute")


def test_models_command_shows_family_convention_and_unrunnable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    from desktop.cli import main

    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
    for name, model_type in (("ShowUI-2B", "qwen2_vl"), ("SeeClick", "qwen")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "config.json").write_text(json.dumps({"model_type": model_type}))
    assert main(["models", "--models-dir", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any(line.split()[:3] == ["qwen-vl-1", "ShowUI", "relative_1"] for line in lines)
    assert any(line.startswith("(cannot run)") and "SeeClick" in line for line in lines)
    assert any("trust_remote_code" in line for line in lines)
    assert "qwen-vl-1: not installed." not in "\n".join(lines)


def test_aguvis_keyword_answer_parses() -> None:
    assert parse_targets("pyautogui.click(x=0.52, y=0.31)") == [ModelTarget(0.52, 0.31)]
    assert parse_targets('{"point_2d": [500, 300]}') == [ModelTarget(500, 300)]


@pytest.mark.slow
def test_a_showui_checkpoint_answers_in_fractions(tmp_path: Path) -> None:
    pytest.importorskip("transformers")
    # A tiny Qwen2-VL saved as "ShowUI-2B" answering "(1,0.25)": fractions of 300x200, whichever
    # Qwen backend loads it (here the thousandths one, which the family overrides).
    folder = tiny_qwen25(tmp_path, list("(1,0.25)"), arch="qwen2_vl", name="ShowUI-2B")
    for name in ("qwen-vl-1", "qwen-vl-1000"):
        backend = backend_class(name)(folder)
        [d] = backend(np.zeros((200, 300, 3), np.uint8), "the dog")
        assert d.point == pytest.approx((299.0, 50.0)) and backend.convention == "relative_1"
        assert "scaled from 0 to 1" in backend.prompt
