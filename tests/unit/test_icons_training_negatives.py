"""Hard "not an icon" crops for the icon model (training/icons/negatives.py) and how training draws them."""

from __future__ import annotations

import os

import cv2
import numpy as np
import pytest

from training.icons.negatives import KINDS, MIN_SIZE, draw_shape, fragment_mask, render_hard_negatives
from training.icons.synth import synth_crop

SHAPES = [k for k in KINDS if k != "fragment"]


def _components(mask: np.ndarray) -> int:
    return cv2.connectedComponents((mask > 64).astype(np.uint8))[0] - 1


def _holes(ink: np.ndarray) -> int:
    """Background regions that ink encloses (not reaching the crop's edge)."""
    n, labels = cv2.connectedComponents((~ink).astype(np.uint8), connectivity=4)
    edge = set(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]]).tolist())
    return len(set(range(1, n)) - edge)


@pytest.fixture(scope="module")
def qt_app():  # type: ignore[no-untyped-def]
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from training.icons.render import _qt

    return _qt()


@pytest.mark.parametrize("kind", SHAPES)
def test_each_shape_is_drawn_and_the_same_for_a_seed(kind: str) -> None:
    a = [draw_shape(kind, np.random.default_rng(s)) for s in range(20)]
    b = [draw_shape(kind, np.random.default_rng(s)) for s in range(20)]
    assert all(m.shape == (64, 64) and m.dtype == np.uint8 and m.max() == 255 for m in a)
    assert all(np.array_equal(x, y) for x, y in zip(a, b))
    assert len({m.tobytes() for m in a}) > 10          # seeds give different shapes


def test_an_unknown_kind_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown negative kind 'star'"):
        draw_shape("star", np.random.default_rng(0))


def test_rules_are_hairlines_right_across_the_crop() -> None:
    for s in range(30):
        m = draw_shape("rule", np.random.default_rng(s)) > 0
        full_rows, full_cols = m.all(axis=1).sum(), m.all(axis=0).sum()
        assert max(full_rows, full_cols) in (1, 2) and min(full_rows, full_cols) == 0
        assert m.sum() <= 2 * 64                         # one line, at most 2 px thick


def test_dotted_separators_have_six_dots_or_more_never_an_ellipsis() -> None:
    assert min(_components(draw_shape("dotted", np.random.default_rng(s))) for s in range(30)) >= 6


def test_field_borders_are_long_thin_frames_or_corners_never_a_square_frame() -> None:
    for s in range(40):
        m = draw_shape("border", np.random.default_rng(s)) > 0
        ys, xs = np.nonzero(m)
        h, w = np.ptp(ys) + 1, np.ptp(xs) + 1
        # a square outline is the maximize icon: a frame here is ≥ 2:1 or open (a corner)
        assert _holes(m) == 0 or max(h, w) >= 2 * min(h, w)
    square = np.zeros((64, 64), bool)
    square[10:50, 10:50], square[11:49, 11:49] = True, False
    assert _holes(square) == 1                         # what this test would catch


def test_size_grips_sit_in_a_corner() -> None:
    for s in range(30):
        m = draw_shape("grip", np.random.default_rng(s)) > 0
        quadrants = [m[:32, :32].any(), m[:32, 32:].any(), m[32:, :32].any(), m[32:, 32:].any()]
        assert quadrants.count(False) >= 1              # never spread over the whole crop


def test_cut_fragments_touch_the_crop_edge_and_blank_text_gives_none(qt_app) -> None:
    touched = 0
    for s in range(20):
        m = fragment_mask("Wg", "DejaVu Sans", False, np.random.default_rng(s), cut=True)
        if m is not None:
            assert m.shape == (64, 64)
            ink = m > 64
            touched += bool(ink[0].any() or ink[-1].any() or ink[:, 0].any() or ink[:, -1].any())
    assert touched >= 15
    assert fragment_mask(" ", "DejaVu Sans", False, np.random.default_rng(0), cut=False) is None


def test_hard_negatives_are_deterministic_and_carry_their_smallest_size(qt_app) -> None:
    masks, sizes = render_hard_negatives(("DejaVu Sans",), count=60, seed=3)
    again, sizes2 = render_hard_negatives(("DejaVu Sans",), count=60, seed=3)
    # Qt's glyph cache may shade a few text pixels a few levels apart on a glyph's first drawing
    assert masks.shape == (60, 64, 64) and np.array_equal(sizes, sizes2)
    assert np.abs(masks.astype(int) - again).max() <= 8
    assert set(sizes.tolist()) <= set(MIN_SIZE.values()) and len(set(sizes.tolist())) >= 3
    assert (masks.reshape(60, -1).max(axis=1) > 0).all()


def test_synth_keeps_hairline_negatives_large_and_icons_unchanged() -> None:
    mask = draw_shape("rule", np.random.default_rng(0))
    small = [min(synth_crop(mask, np.random.default_rng(s)).shape[:2]) for s in range(60)]
    large = [min(synth_crop(mask, np.random.default_rng(s), 44).shape[:2]) for s in range(60)]
    assert min(small) < 25 and min(large) >= 30
    # the default draw is the one the earlier recipes trained with (same random stream)
    assert np.array_equal(synth_crop(mask, np.random.default_rng(7)), synth_crop(mask, np.random.default_rng(7), 12))
    with pytest.raises(ValueError, match="min_size"):
        synth_crop(mask, np.random.default_rng(0), 0)


def test_batches_hold_the_recipes_share_of_negatives_drawn_at_their_size() -> None:
    torch = pytest.importorskip("torch")
    from training.icons.train import _Batches

    icon = np.zeros((64, 64), np.uint8)
    icon[16:48, 16:48] = 255
    data = {"masks": np.stack([icon] * 4), "owner": np.arange(4), "weights": np.full(4, 0.25),
            "negatives": np.stack([draw_shape("rule", np.random.default_rng(0))] * 3),
            "negative_min_size": np.full(3, 44, np.int32)}
    x, owners = next(iter(_Batches(data, 50, 0, 0.2)))
    assert isinstance(x, torch.Tensor) and x.shape == (50, 1, 32, 32)
    assert int((owners == -1).sum()) == 10 and owners[:40].ge(0).all()
    x, owners = next(iter(_Batches(data, 50, 0, 0.12)))
    assert int((owners == -1).sum()) == 6
