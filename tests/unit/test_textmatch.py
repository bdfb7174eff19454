"""Fuzzy text matching of spoken phrases against on-screen text."""

import pytest

from desktop.core.geometry import Box
from desktop.core.textmatch import match_text, normalize, symbol_variants, tokenize

LINE = Box(0, 0, 200, 20)


def score(target, text, parts=()):
    m = match_text(target, text, LINE, parts)
    return 0.0 if m is None else m.score


@pytest.mark.parametrize("target, text", [
    ("Save", "Save"), ("save", "SAVE"), ("okay", "OK"), ("two", "2"), ("Save as", "SaveAs"),
    ("log in", "Login"), ("Open", "Open..."), ("wifi", "Wi-Fi"), ("email", "E-mail"), ("保存", "保存"),
    ("colour", "Color"), ("×", "×"), ("7", "7"),
])
def test_equivalent_spellings_match_fully(target, text):
    assert score(target, text) >= 0.95


@pytest.mark.parametrize("target, text", [("OK", "0K"), ("Remember me", "Rernember me"), ("Cancel", "Canoel"),
                                          ("Fill", "Fi1l")])
def test_ocr_confusions_still_match(target, text):
    assert score(target, text) >= 0.8


@pytest.mark.parametrize("target, text", [("7", "1"), ("+", "-"), ("Save", "Open"), ("Settings", "Preferences"),
                                          ("Copy", "Paste")])
def test_different_things_do_not_match(target, text):
    assert score(target, text) < 0.6


def test_exact_label_beats_a_longer_line_containing_it():
    assert score("Save", "Save") > score("Save", "Save as") > 0.8


def test_word_inside_a_line_gets_that_word_box():
    parts = (("Open", Box(0, 0, 40, 20)), ("Save", Box(50, 0, 90, 20)), ("Print", Box(100, 0, 140, 20)))
    m = match_text("Save", "Open Save Print", LINE, parts)
    assert m is not None and m.box.to_list() == [50, 0, 90, 20]


def test_word_box_is_estimated_from_characters_without_parts():
    m = match_text("Print", "Open Save Print", LINE)
    cx = m.box.center[0]
    assert 150 < cx < 200


def test_subword_and_cjk_spans():
    m = match_text("report", "report.pdf", LINE)
    assert m is not None and m.box.x1 < 150 and not m.whole
    m = match_text("保存", "保存设置", LINE)
    assert m is not None and m.box.x1 <= 101


def test_symbols_have_spoken_names():
    assert "×" in symbol_variants("times")
    assert "√" in symbol_variants("square root")
    assert "%" in symbol_variants("percent")


def test_normalize_and_tokenize():
    assert normalize("  “Save As…”  ") == "save as"
    assert tokenize("fileName_ext") == ("file", "name", "ext")
    assert tokenize("文件 Save") == ("文", "件", "save")
    assert normalize(".") == "."


@pytest.mark.parametrize("target, text", [("×", "x"), ("×", "X"), ("−", "-"), ("times", "x")])
def test_keys_read_as_look_alike_glyphs(target, text):
    variants = (target, *symbol_variants(target))
    assert max(score(v, text) for v in variants) >= 0.95
