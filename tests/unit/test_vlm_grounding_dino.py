"""Grounding DINO end to end with a tiny random checkpoint: load, preprocess, forward, post-process, CLI."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from desktop.cli import main
from desktop.grounding.vlm.grounding_dino import GroundingDinoBackend, dino_prompt
from tests.unit._vlm_tiny import no_network, tiny_grounding_dino  # noqa: F401  (no_network is autouse)

pytest.importorskip("transformers")
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def dino_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tiny_grounding_dino(tmp_path_factory.mktemp("dino"))


def test_prompt_is_lower_case_and_ends_with_a_full_stop() -> None:
    assert dino_prompt("Red  Cars") == "red cars."
    assert dino_prompt("the dog.") == "the dog."


@pytest.fixture(scope="module")
def backend(dino_dir: Path) -> GroundingDinoBackend:
    return GroundingDinoBackend(dino_dir, box_threshold=0.0, text_threshold=0.0, iou=1.0)


def test_boxes_map_to_the_original_image_size(backend: GroundingDinoBackend) -> None:
    # Both images are resized to the same 96x64 input, so the same boxes come out, scaled by 2.
    backend.iou = 1.0
    small = backend(np.full((100, 150, 3), 80, np.uint8), "the dog")
    large = backend(np.full((200, 300, 3), 80, np.uint8), "the dog")
    assert len(small) == len(large) == 10  # one per query, none suppressed at iou 1
    for s, big in zip(small, large):
        assert big.point == pytest.approx((2 * s.point[0], 2 * s.point[1]), abs=1e-3)
        assert big.score == pytest.approx(s.score, abs=1e-5)
        assert s.box is not None and s.point == pytest.approx(s.box.center)
        assert 0 <= s.point[0] <= 150 and 0 <= s.point[1] <= 100 and s.label == "the dog"


def test_thresholds_and_nms_prune(backend: GroundingDinoBackend) -> None:
    image = np.full((100, 150, 3), 80, np.uint8)
    backend.iou = 1.0
    everything = backend(image, "dog")
    backend.iou = 0.3
    kept = backend(image, "dog")
    assert 0 < len(kept) < len(everything)
    assert kept[0] == everything[0]  # the best box always survives
    for i, a in enumerate(kept):  # no two survivors overlap by more than the IoU
        for b in kept[i + 1:]:
            assert a.box is not None and b.box is not None and _iou(a.box, b.box) <= 0.3 + 1e-6
    backend.box_threshold = 1.01
    assert backend(image, "dog") == []
    backend.box_threshold = 0.0


def _iou(a, b) -> float:  # type: ignore[no-untyped-def]
    w = max(0.0, min(a.x1, b.x1) - max(a.x0, b.x0))
    h = max(0.0, min(a.y1, b.y1) - max(a.y0, b.y0))
    return w * h / (a.width * a.height + b.width * b.height - w * h)


def test_cli_ground_all_with_grounding_dino(dino_dir: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    image = tmp_path / "photo.png"
    Image.fromarray(np.full((100, 150, 3), 80, np.uint8)).save(image)
    # What the engine asks the model for "click all the dogs", asked directly.
    direct = GroundingDinoBackend(dino_dir)(np.asarray(Image.open(image).convert("RGB")), "dogs")
    code = main(["ground", str(image), "click all the dogs", "--backend", "grounding-dino", "--model-dir",
                 str(dino_dir), "--json", "--no-semantic"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and direct
    points = out["points"]
    # "all": several boxes above the thresholds come out as points (the contract truncates to pixels);
    # the engine's own de-duplication may merge boxes that overlap mostly, never invent one.
    expected = {(int(d.point[0]), int(d.point[1])) for d in direct}
    assert len(points) >= 2 and {(p["x"], p["y"]) for p in points} <= expected
    assert all(p["source"] == "grounding-dino" and 0 < p["confidence"] <= 1 for p in points)
