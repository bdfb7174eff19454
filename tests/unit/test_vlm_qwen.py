"""Qwen2.5-VL end to end with tiny checkpoints: chat template, processor, generate, parse, map, CLI.

The tiny models are random but for a wired-in bigram that makes them write a
chosen answer, confidently, through the real ``generate`` (see
:func:`tests.unit._vlm_tiny.tiny_qwen25`), so the mapped point is known exactly.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from desktop.cli import main
from desktop.grounding.vlm.qwen import Qwen25VlBackend
from tests.unit._vlm_tiny import no_network, tiny_qwen25  # noqa: F401  (no_network is autouse)

pytest.importorskip("transformers")
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def pointing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Answers "(56,21)": of the 112x84 image it saw, (x 1/2, y 1/4).
    return tiny_qwen25(tmp_path_factory.mktemp("qwen"), list("(56,21)"))


@pytest.fixture(scope="module")
def wordy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tiny_qwen25(tmp_path_factory.mktemp("qwen-words"), ["the", "dog", "(", "7"])


@pytest.fixture()
def photo(tmp_path: Path) -> Path:
    path = tmp_path / "photo.png"
    Image.fromarray(np.full((200, 300, 3), 120, np.uint8)).save(path)
    return path


def test_the_answer_maps_from_the_resized_image(pointing: Path) -> None:
    [d] = Qwen25VlBackend(pointing)(np.zeros((200, 300, 3), np.uint8), "the dog")
    # The processor saw 300x200 as 112x84 (4x3 cells of 28 px): (56, 21) → (150, 50).
    assert d.point == pytest.approx((150.0, 50.0)) and d.label == "the dog" and d.box is None
    assert 0.99 < d.score <= 1.0  # the model's own probability of the tokens it wrote


def test_cli_ground_with_qwen(pointing: Path, photo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["ground", str(photo), "click the dog", "--backend", "qwen2.5-vl", "--model-dir", str(pointing),
                 "--json", "--no-semantic"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    [point] = out["points"]
    assert (point["x"], point["y"]) == (150, 50) and point["source"] == "qwen2.5-vl"
    assert point["label"] == "dog" and 0.5 < point["confidence"] <= 1


def test_an_answer_in_words_is_no_click(wordy: Path, photo: Path, capsys: pytest.CaptureFixture[str],
                                        caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        code = main(["ground", str(photo), "click the dog", "--backend", "qwen2.5-vl", "--model-dir", str(wordy),
                     "--json", "--no-semantic"])
    out = json.loads(capsys.readouterr().out)
    assert out["points"] == [] and "error" not in out and code == 1  # "nothing matched", not a crash
    assert any("no coordinates in the answer" in r.getMessage() for r in caplog.records)


def test_a_folder_of_another_model_type_is_refused(pointing: Path) -> None:
    from desktop.core.errors import BackendFailed
    from desktop.grounding.vlm.qwen import QwenRelativeBackend

    with pytest.raises(BackendFailed, match="cannot run a 'qwen2_5_vl' model"):
        QwenRelativeBackend(pointing).load()


def test_device_and_dtype_reach_the_model(pointing: Path, photo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import torch

    from desktop.grounding.registry import create_source

    source = create_source("qwen2.5-vl", model_dir=str(pointing), device="cpu", dtype="bfloat16")
    [d] = source.backend(np.zeros((200, 300, 3), np.uint8), "dog")
    assert source.backend._model.dtype == torch.bfloat16 and source.backend.device == "cpu"
    assert d.point == pytest.approx((150.0, 50.0))
    code = main(["ground", str(photo), "click the dog", "--backend", "qwen2.5-vl", "--model-dir", str(pointing),
                 "--device", "cpu", "--dtype", "bfloat16", "--json", "--no-semantic"])
    assert code == 0 and [(p["x"], p["y"]) for p in json.loads(capsys.readouterr().out)["points"]] == [(150, 50)]
