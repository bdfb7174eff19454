"""Florence-2 phrase grounding end to end with tiny checkpoints: processor, generate, post-process, CLI.

The tiny decoders are wired to write a chosen answer (see
:func:`tests.unit._vlm_tiny.tiny_florence2`) through the real ``generate``.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from desktop.cli import main
from desktop.grounding.vlm.florence2 import Florence2Backend
from tests.unit._vlm_tiny import no_network, tiny_florence2  # noqa: F401  (no_network is autouse)

pytest.importorskip("transformers")
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def two_dogs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    answer = ["dog", "<loc_100>", "<loc_250>", "<loc_500>", "<loc_750>",
              "<loc_600>", "<loc_10>", "<loc_900>", "<loc_300>"]
    return tiny_florence2(tmp_path_factory.mktemp("florence"), answer)


@pytest.fixture(scope="module")
def no_boxes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tiny_florence2(tmp_path_factory.mktemp("florence-words"), ["the", "dog"])


def test_boxes_come_back_in_image_pixels(two_dogs: Path) -> None:
    first, second = Florence2Backend(two_dogs)(np.zeros((200, 300, 3), np.uint8), "dog")
    # Bins of 1/1000, centred, truncated by the processor: (100, 250, 500, 750) of 300x200
    # is (30, 50, 150, 150); (600, 10, 900, 300) is (180, 2, 270, 60).
    assert first.box is not None and (first.box.x0, first.box.y0, first.box.x1, first.box.y1) == (30, 50, 150, 150)
    assert first.point == (90.0, 100.0) and second.point == (225.0, 31.0)
    assert 0.99 < first.score <= 1.0 and second.score < first.score  # the model's order kept
    assert first.label == "dog"


def test_cli_ground_all_with_florence2(two_dogs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    image = tmp_path / "photo.png"
    Image.fromarray(np.full((200, 300, 3), 200, np.uint8)).save(image)
    code = main(["ground", str(image), "click all dogs", "--backend", "florence2", "--model-dir", str(two_dogs),
                 "--json", "--no-semantic"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert [(p["x"], p["y"]) for p in out["points"]] == [(90, 100), (225, 31)]
    assert out["points"][0]["box"] == [30, 50, 150, 150] and out["points"][0]["source"] == "florence2"


def test_an_answer_without_boxes_is_no_click(no_boxes: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        assert Florence2Backend(no_boxes)(np.zeros((200, 300, 3), np.uint8), "dog") == []
    assert any("no box in the Florence-2 answer" in r.getMessage() for r in caplog.records)
