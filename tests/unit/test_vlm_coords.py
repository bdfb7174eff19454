"""The coordinate conventions of grounding models, on exact hand-computed values."""

from __future__ import annotations

import pytest

from desktop.core.geometry import Box
from desktop.grounding.vlm.coords import ModelTarget, parse_targets, smart_resize, to_image
from tests.unit._vlm_tiny import no_network  # noqa: F401  (autouse: no socket may open)


@pytest.mark.parametrize(("height", "width", "expected"), [
    (1080, 1920, (728, 1316)),   # too many pixels: floored to fit 28*28*1280
    (768, 1366, (728, 1316)),
    (1000, 1000, (980, 980)),    # 1008*1008 just over the limit
    (20, 30, (56, 84)),          # too few pixels: ceiled up to 56*56
    (280, 560, (280, 560)),      # already multiples of 28, in range: unchanged
    (290, 570, (280, 560)),      # rounded to the nearest multiple
])
def test_smart_resize_matches_hand_arithmetic(height: int, width: int, expected: tuple[int, int]) -> None:
    assert smart_resize(height, width) == expected


def test_smart_resize_agrees_with_transformers() -> None:
    ref = pytest.importorskip("transformers.models.qwen2_vl.image_processing_pil_qwen2_vl")
    for h, w in [(1080, 1920), (33, 901), (1440, 2560), (57, 57), (4000, 300)]:
        assert smart_resize(h, w) == ref.smart_resize(h, w, min_pixels=56 * 56, max_pixels=28 * 28 * 1280)


def test_smart_resize_refuses_extreme_aspect() -> None:
    with pytest.raises(ValueError):
        smart_resize(10, 2500)


@pytest.mark.parametrize(("text", "expected"), [
    ("(235, 512)", [ModelTarget(235, 512)]),
    ("[12,34]", [ModelTarget(12, 34)]),
    ("<point>120 45</point>", [ModelTarget(120, 45)]),
    ("Thought: the dog.\nAction: click(start_box='(235,512)')", [ModelTarget(235, 512)]),
    ("click(start_box='<|box_start|>(10,20)<|box_end|>')", [ModelTarget(10, 20)]),
    ("<|box_start|>(100,200),(300,400)<|box_end|>", [ModelTarget(200, 300, (100, 200, 300, 400))]),
    ('[{"bbox_2d": [10, 20, 30, 60], "label": "dog"}]', [ModelTarget(20, 40, (10, 20, 30, 60))]),
    ("[30, 60, 10, 20]", [ModelTarget(20, 40, (10, 20, 30, 60))]),  # corners in either order
    ("(0.25, 0.5)", [ModelTarget(0.25, 0.5)]),
    ("(1, 2, 3) then [7 8]", [ModelTarget(7, 8)]),                  # three numbers: neither point nor box
    ("<box>1 2 3 4</box> and <point>5,6</point>", [ModelTarget(2, 3, (1, 2, 3, 4)), ModelTarget(5, 6)]),
    ("I cannot find it.", []),
])
def test_parse_targets(text: str, expected: list[ModelTarget]) -> None:
    assert parse_targets(text) == expected


def test_absolute_on_resized_maps_back_to_original() -> None:
    # 1920x1080 is seen as 1316x728: (658, 364) is the middle of the resized image.
    point, box = to_image(ModelTarget(658, 364, (0, 0, 1316, 728)), "absolute_resized", 1920, 1080)
    assert point == pytest.approx((960.0, 540.0))
    assert box == Box(0, 0, 1919, 1079)  # clamped inside the image


def test_absolute_on_resized_with_explicit_size() -> None:
    point, _ = to_image(ModelTarget(140, 28), "absolute_resized", 300, 100, resized=(112, 280))
    assert point == pytest.approx((150.0, 25.0))


@pytest.mark.parametrize(("convention", "target", "expected"), [
    ("relative_1000", ModelTarget(500, 250), (960.0, 270.0)),
    ("relative_1000", ModelTarget(1000, 1000), (1919.0, 1079.0)),
    ("relative_1", ModelTarget(0.5, 0.25), (960.0, 270.0)),
    ("relative_1", ModelTarget(-0.1, 0.1), (0.0, 108.0)),
    ("absolute", ModelTarget(12.5, 7), (12.5, 7.0)),
])
def test_relative_and_absolute(convention: str, target: ModelTarget, expected: tuple[float, float]) -> None:
    point, box = to_image(target, convention, 1920, 1080)
    assert point == pytest.approx(expected)
    assert box is None


def test_relative_box() -> None:
    _, box = to_image(ModelTarget(150, 300, (100, 200, 200, 400)), "relative_1000", 1000, 500)
    assert box == Box(100, 100, 200, 200)


def test_unknown_convention() -> None:
    with pytest.raises(ValueError, match="unknown coordinate convention"):
        to_image(ModelTarget(1, 1), "percent", 10, 10)
