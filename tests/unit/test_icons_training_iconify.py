"""IconifyJSON parsing for the icon model's training data (training/icons/iconify.py), on hand-made JSON."""

from __future__ import annotations

import re

from training.icons.catalog import HELD_OUT, humanize
from training.icons.iconify import (ICONIFY_SETS, IconifySet, concept_name, group_concepts, parse_iconify,
                                    style_suffixes)

SAVE = '<path fill="currentColor" d="M2 2h20v20H2z"/>'
TRASH = '<path fill="none" stroke="currentColor" d="M4 6h16"/>'


def _doc() -> dict:
    return {
        "prefix": "demo",
        "width": 24,
        "height": 20,
        "icons": {
            "baseline-save": {"body": SAVE},
            "outline-trash-can": {"body": TRASH, "width": 32, "left": -2},
            "outline-ghost": {"body": SAVE, "hidden": True},
            "baseline-masked": {"body": '<mask id="m"><path d="M0 0h4v4z"/></mask>'},
        },
        "aliases": {
            "baseline-floppy": {"parent": "baseline-save"},
            "baseline-disk": {"parent": "baseline-floppy"},          # alias of an alias
            "outline-delete": {"parent": "outline-trash-can"},
            "baseline-save-mirrored": {"parent": "baseline-save", "hFlip": True},   # another glyph
            "baseline-lost": {"parent": "baseline-nowhere"},
        },
    }


def test_parse_builds_svg_with_default_and_own_viewbox() -> None:
    icons = {i.name: i for i in parse_iconify(_doc())}
    assert set(icons) == {"baseline-save", "outline-trash-can"}    # hidden and masked left out
    assert 'viewBox="0 0 24 20"' in icons["baseline-save"].svg        # the set's default size
    assert 'viewBox="-2 0 32 20"' in icons["outline-trash-can"].svg   # the icon's own width and left
    assert icons["baseline-save"].svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert SAVE in icons["baseline-save"].svg


def test_aliases_are_followed_and_transformed_ones_dropped() -> None:
    icons = {i.name: i for i in parse_iconify(_doc())}
    assert icons["baseline-save"].aliases == ("baseline-disk", "baseline-floppy")
    assert icons["outline-trash-can"].aliases == ("outline-delete",)


def test_variant_prefixes_and_style_suffixes_are_stripped() -> None:
    fluent_like = ["save-24-regular", "save-24-filled", "chart-line-24-regular", "home-20-filled"]
    styles = style_suffixes(fluent_like)
    assert styles == {"regular", "filled"}
    assert concept_name("save-24-regular", styles) == "save"
    assert concept_name("chart-line-24-regular", styles) == "chart-line"   # "line" is no style here
    assert concept_name("baseline-save", styles) == "save"
    assert concept_name("hugeicons-film-01") == "hugeicons-film"
    assert concept_name("clipboard-alt-2") == "clipboard"
    assert concept_name("number-9") == "number-9"                          # the number is the meaning
    ri_like = ["home-8-line", "home-8-fill", "arrow-line", "arrow-fill"]
    assert concept_name("home-8-line", style_suffixes(ri_like)) == "home"
    assert humanize(concept_name("outline-trash-can")) == "trash can"


def test_grouping_merges_styles_into_one_concept_with_capped_files() -> None:
    doc = {"prefix": "demo", "icons": {n: {"body": SAVE} for n in
                                       ("save-outline", "save-filled", "save-sharp-outline", "star-outline",
                                        "star-filled", "star-sharp-outline", "logo-brand-filled")}}
    spec = IconifySet("demo", "1.0.0", "MIT", drop=r"^star-filled$")
    groups = group_concepts(parse_iconify(doc), spec)
    assert set(groups) == {"save", "star"}                                   # the logo is left out
    assert [i.name for i in groups["save"]] == ["save-filled", "save-outline"]   # shortest two
    assert [i.name for i in groups["star"]] == ["star-outline", "star-sharp-outline"]


def test_keep_filter_picks_one_size() -> None:
    doc = {"prefix": "demo", "icons": {n: {"body": SAVE} for n in ("save-16-regular", "save-24-regular",
                                                                   "save-24-filled", "open-16-regular",
                                                                   "open-24-filled")}}
    groups = group_concepts(parse_iconify(doc), IconifySet("demo", "1", "MIT", keep=r"-24-(regular|filled)$"))
    assert {k: [i.name for i in v] for k, v in groups.items()} == {"open": ["open-24-filled"],
                                                              "save": ["save-24-filled", "save-24-regular"]}


def test_held_out_families_are_not_training_sets() -> None:
    prefixes = {s.prefix for s in ICONIFY_SETS}
    banned = re.compile(r"^(lucide|feather|fe|tabler|mdi|ph|bi|fa\d*|adwaita|gnome)(-|$)")
    assert not [p for p in prefixes if banned.match(p)]
    assert not prefixes & set(HELD_OUT)
    assert all(re.fullmatch(r"\d+\.\d+\.\d+", s.version) for s in ICONIFY_SETS)   # pinned
