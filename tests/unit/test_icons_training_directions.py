"""Rotated direction glyphs for the icon model (training/icons/directions.py) and how training weighs them."""

from __future__ import annotations

import math

import numpy as np
import pytest

from training.icons.catalog import IconRecord
from training.icons.directions import rotated_copies, rotated_name


@pytest.mark.parametrize("name,turns,expected", [
    ("arrow up", 1, ["arrow right"]),
    ("arrow up", 2, ["arrow down"]),
    ("arrow up", 3, ["arrow left"]),
    ("chevron left circle", 1, ["chevron up circle"]),
    ("menu down", 2, ["menu up"]),
    ("go up", 1, ["go right", "go next"]),          # freedesktop: go-next is the right arrow (LTR)
    ("go previous", 2, ["go right", "go next"]),
    ("pan start", 2, ["pan right", "pan end"]),
    ("pan end", 3, ["pan up"]),
    ("up triangle", 2, ["down triangle"]),
])
def test_a_pure_direction_glyph_turns_into_the_name_of_the_new_direction(name: str, turns: int,
                                                                          expected: list[str]) -> None:
    assert rotated_name(name, turns) == expected


@pytest.mark.parametrize("name", [
    "volume up", "thumbs up", "cloud up", "sort up", "file arrow up",   # the word changes the meaning
    "arrow up left",                                                    # two directions: not one glyph turned
    "up", "right",                                                      # a bare direction can be a chart
    "right angle", "left triangle",                                     # geometry, not direction
    "menu alt left",                                                    # a left-aligned hamburger
    "go forward", "go back", "media skip forward", "edit undo", "edit redo", "next", "previous",
])
def test_names_that_are_not_a_turned_direction_glyph_are_not_rotated(name: str) -> None:
    assert all(rotated_name(name, k) == [] for k in (1, 2, 3))


def test_up_triangle_does_not_turn_into_the_geometric_right_triangle() -> None:
    assert rotated_name("up triangle", 1) == [] and rotated_name("up triangle", 3) == []


def test_a_quarter_turn_count_outside_1_to_3_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="quarter_turns"):
        rotated_name("arrow up", 4)


def _arrow_up() -> np.ndarray:
    mask = np.zeros((8, 8), np.uint8)
    mask[0, 3:5] = 255          # the tip at the top
    mask[1:, 4] = 128           # the shaft, right of centre (so every turn and mirror differs)
    return mask


def test_copies_are_turned_clockwise_and_labelled_with_their_own_sets_concept() -> None:
    names = ["arrow up", "arrow right", "arrow down", "volume up", "arrow left", "arrow left"]
    sets = ["a", "a", "a", "a", "b", "lucide"]
    usable = np.array([True, True, True, True, True, False])
    masks = np.stack([_arrow_up(), np.zeros((8, 8), np.uint8), _arrow_up()])
    owner = np.array([0, 3, 5])      # arrow up (set a), volume up, a held-out arrow left
    copies, copy_owner, source = rotated_copies(masks, owner, names, sets, usable)
    # Set "a" has no "arrow left", set "b"'s does not count, the held-out one is never used.
    assert copy_owner.tolist() == [1, 2] and source.tolist() == [0, 0]
    assert copies[0][3:5, 7].tolist() == [255, 255]          # tip on the right after a clockwise quarter
    assert np.array_equal(copies[0], np.rot90(_arrow_up(), -1))
    assert np.array_equal(copies[1], _arrow_up()[::-1, ::-1])


def test_nothing_to_rotate_gives_empty_arrays_of_the_masks_shape() -> None:
    copies, copy_owner, source = rotated_copies(np.zeros((1, 8, 8), np.uint8), np.array([0]), ["gear"], ["a"],
                                                np.array([True]))
    assert copies.shape == (0, 8, 8) and copies.dtype == np.uint8 and len(copy_owner) == len(source) == 0


def test_mismatched_inputs_are_a_clear_error() -> None:
    with pytest.raises(ValueError, match="one entry per record"):
        rotated_copies(np.zeros((1, 8, 8), np.uint8), np.array([0]), ["a", "b"], ["s"], np.array([True]))
    with pytest.raises(ValueError, match="owners"):
        rotated_copies(np.zeros((2, 8, 8), np.uint8), np.array([0]), ["a"], ["s"], np.array([True]))


def test_training_adds_the_copies_with_the_concepts_weight_and_drops_copies_of_held_out_glyphs() -> None:
    from training.icons.train import ROTATED_SHARE, _with_rotations

    def rec(s: str, n: str) -> IconRecord:
        return IconRecord(s, n, words={n: 1.0})

    records = [rec("a", "arrow up"), rec("a", "arrow right"), rec("a", "arrow down"), rec("adwaita", "go down")]
    soft = [(np.array([i]), np.array([1.0], np.float32)) for i in range(len(records))]
    up = np.zeros((64, 64), np.uint8)
    up[4:60, 28:36] = 255           # shaft
    up[4:12, 12:52] = 255           # a bar across the top: turned half way it is Adwaita's glyph below
    masks = np.stack([up, up[::-1, ::-1].copy()])
    owner = np.array([0, 3])
    weight = np.array([1.0, 0.0])
    out_masks, out_owner, out_weight = _with_rotations(records, soft, masks, owner, weight, {"a": 4})
    # "arrow right" gets the quarter turn; "arrow down" (a copy of the held-out glyph) is left out.
    assert out_owner.tolist() == [0, 3, 1] and len(out_masks) == len(out_weight) == 3
    assert np.array_equal(out_masks[2], np.rot90(up, -1))
    assert math.isclose(out_weight[2], ROTATED_SHARE / math.sqrt(4))
