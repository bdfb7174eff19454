"""The icon training recipe: the shipped weights' (wide4) unless an earlier one is asked for."""

import os
import subprocess
import sys

import pytest

import json
from pathlib import Path

from training.icons.recipe import DEFAULT, ENV, RECIPES, active

MANIFEST = Path(__file__).resolve().parents[2] / "models" / "icons" / "manifest.json"


def test_the_default_recipe_is_the_one_the_shipped_weights_came_from(monkeypatch) -> None:
    monkeypatch.delenv(ENV, raising=False)
    assert active() == RECIPES[DEFAULT] == RECIPES["wide4"] and active().rotations and active().shared_long_names
    assert json.loads(MANIFEST.read_text())["training"]["recipe"] == DEFAULT
    monkeypatch.setenv(ENV, "seven")
    assert not active().iconify and active().cache_suffix == "-shipped"   # the first weights' caches


def test_an_unknown_recipe_is_a_clear_error(monkeypatch) -> None:
    monkeypatch.setenv(ENV, "huge")
    with pytest.raises(ValueError, match="seven, wide"):
        active()


def test_wide2_adds_themes_and_hard_negatives_and_caches_apart_from_wide() -> None:
    wide, wide2 = RECIPES["wide"], RECIPES["wide2"]
    assert wide2.iconify and wide2.themes == ("elementary", "numix", "deepin") and wide2.hard_negatives
    assert wide2.negative_share > wide.negative_share == 0.12 and not wide.themes and not wide.hard_negatives
    assert len({r.cache_suffix for r in RECIPES.values()}) == len(RECIPES)


def test_wide3_is_wide2s_data_with_rotated_direction_glyphs_reusing_its_renders() -> None:
    wide2, wide3 = RECIPES["wide2"], RECIPES["wide3"]
    assert (wide3.iconify, wide3.themes, wide3.hard_negatives, wide3.negative_share) == (
        wide2.iconify, wide2.themes, wide2.hard_negatives, wide2.negative_share)
    assert wide3.rotations and not wide2.rotations
    assert wide3.render_suffix == wide2.render_suffix == wide2.cache_suffix != wide3.cache_suffix
    assert wide3.minutes < 80      # the whole make stays under the 90 minutes


def test_wide4_is_wide3_with_the_shared_long_names() -> None:
    wide3, wide4 = RECIPES["wide3"], RECIPES["wide4"]
    assert wide4.shared_long_names and not wide3.shared_long_names
    assert (wide4.themes, wide4.rotations, wide4.render_suffix) == (wide3.themes, wide3.rotations, wide3.render_suffix)
    assert wide4.cache_suffix != wide3.cache_suffix and wide4.minutes < 80


@pytest.mark.parametrize("recipe,sets", [("seven", 9), ("wide", 59), ("wide2", 62), ("wide3", 62), ("wide4", 62)])
def test_each_recipe_trains_on_its_sets_and_caches_apart(recipe: str, sets: int) -> None:
    code = ("import training.icons.catalog as c, training.icons.render as r, training.icons.train as t;"
            "print(len(c.SETS), c.SETS[-2:], r.OUT.name, t.WORK.name)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, ENV: recipe}).stdout.split()
    r = RECIPES[recipe]
    assert out[0] == str(sets) and "'lucide'," in out[1]
    assert out[-2:] == [f"rendered{r.render_suffix}.npz", f"train{r.cache_suffix}"]
