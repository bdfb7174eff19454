"""OWLv2 end to end with a tiny random checkpoint: load, preprocess, forward, post-process, map, CLI."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from desktop.cli import main
from desktop.grounding.vlm.owlv2 import Owlv2Backend, nms
from tests.unit._vlm_tiny import no_network, tiny_owlv2  # noqa: F401  (no_network is autouse)

pytest.importorskip("transformers")
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def owl_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tiny_owlv2(tmp_path_factory.mktemp("owl"))


def test_boxes_are_mapped_through_the_padded_square(owl_dir: Path) -> None:
    # The tiny model's boxes are its prior: one 16-px box per patch of the padded 64x64 square,
    # centred at multiples of 16. Mapping with the image's own 64x40 would put them at y=10, 20, 30.
    detections = Owlv2Backend(owl_dir)(np.zeros((40, 64, 3), np.uint8), "the dog")
    ys = sorted({round(d.point[1]) for d in detections})
    xs = sorted({round(d.point[0]) for d in detections})
    assert ys == [16, 32]  # row centred at 48 lies in the padding: dropped
    assert xs == [16, 32, 48, 60]  # the last column's box is clipped to the image (56..64)
    assert all(0.9 < d.score <= 1 and d.label == "the dog" for d in detections)
    assert [d.score for d in detections] == sorted((d.score for d in detections), reverse=True)


def test_nms_keeps_the_best_of_overlapping_boxes() -> None:
    boxes = np.array([[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30]], float)
    assert nms(boxes, np.array([0.5, 0.9, 0.4]), 0.3) == [1, 2]


def test_cli_ground_with_a_vlm_backend(owl_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    image = tmp_path / "photo.png"
    Image.fromarray(np.full((48, 48, 3), 90, np.uint8)).save(image)
    code = main(["ground", str(image), "click all the dogs", "--backend", "owlv2", "--model-dir", str(owl_dir),
                 "--json", "--no-semantic"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["id"] == str(image)
    points = out["points"]
    # "all": every box of the prior's 4x4 grid (centres 12, 24, 36 and 48 less a hair; the last
    # clipped to the image) survives NMS; the contract's integer pixels truncate.
    assert len(points) == 16
    assert {(p["x"], p["y"]) for p in points} == {(x, y) for x in (12, 24, 35, 44) for y in (12, 24, 35, 44)}
    assert all(p["source"] == "owlv2" and 0 < p["confidence"] <= 1 for p in points)


def test_cli_reports_a_missing_model(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    image = tmp_path / "photo.png"
    Image.fromarray(np.zeros((8, 8, 3), np.uint8)).save(image)
    code = main(["ground", str(image), "click the dog", "--backend", "owlv2", "--model-dir", str(tmp_path),
                 "--json"])
    captured = capsys.readouterr()
    assert code == 2 and json.loads(captured.out)["error"]["code"] == "backend_unavailable"
    assert "no model" in captured.err
