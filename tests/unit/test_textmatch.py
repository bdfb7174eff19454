"""Fuzzy text matching of spoken phrases against on-screen text."""

from pathlib import Path

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
    ("colour", "Color"), ("×", "×"), ("7", "7"), ("bin", "Trash"), ("trash", "Recycle Bin"),
])
def test_equivalent_spellings_match_fully(target, text):
    assert score(target, text) >= 0.95


def test_equivalents_name_the_other_ways_of_saying_a_whole_phrase():
    from desktop.core.textmatch import equivalents

    assert "trash" in equivalents("Bin") and "bin" not in equivalents("Bin")
    assert equivalents("binary") == () and equivalents("Save") == ()


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


# --- words OCR ran together, dropping letters --------------------------------------------------

MAIL = Path(__file__).resolve().parents[1] / "fixtures" / "screens" / "mail_merged_words.png"
PASSWORD_CELL, MEETING_CELL = Box(625, 392, 865, 433), Box(625, 350, 865, 392)


@pytest.mark.parametrize("target, text", [
    ("password reset request", "Paswrdresetrequet"), ("meeting notes", "Meingnotes"),
    ("open recent files", "Openrecentfles"), ("meeting notes", "Re: Meingnotes 7:36"),
])
def test_phrase_matches_words_read_without_spaces(target, text):
    assert score(target, text) >= 0.7


@pytest.mark.parametrize("target, text", [
    ("save as", "Saveasdraft"),                           # short phrase, unrelated longer token
    ("go back", "Gobackup"), ("log out", "Logouts"),      # short phrases, a letter off
    ("password reset", "Paswrdresetrequet"),              # the phrase is only a prefix of the token
    ("reset request", "Paswrdresetrequet"),               # ... or only its end
    ("remember me", "Remember"),                          # a whole word missing, not letters
    ("meeting notes", "Marketingnotes"),                  # too many edits
    ("print all pages", "Reprintallpages"),               # another word that ends like the phrase
])
def test_merged_reading_guards_against_near_misses(target, text):
    assert score(target, text) < 0.6


def test_merged_reading_never_beats_a_clean_match_of_the_same_words():
    clean = score("password reset request", "Password reset request")
    joined = score("password reset request", "Passwordresetrequest")
    merged = score("password reset request", "Paswrdresetrequet")
    assert clean > joined > merged
    parts = (("Inbox", Box(0, 0, 40, 20)), ("Meingnotes", Box(50, 0, 150, 20)), ("7:36", Box(160, 0, 200, 20)))
    m = match_text("meeting notes", "Inbox Meingnotes 7:36", LINE, parts)
    assert m is not None and m.box.to_list() == [50, 0, 150, 20] and not m.whole
    assert m.score < score("meeting notes", "Inbox Meeting notes 7:36")
    token = (("Paswrdresetrequet", Box(0, 0, 100, 20)),)
    assert match_text("password reset request", "Paswrdresetrequet", LINE, token) is not None
    assert match_text("password reset", "Paswrdresetrequet", LINE, token) is None  # a prefix of the token is not it


@pytest.mark.slow
def test_engine_finds_subjects_in_table_cells_crossed_by_grid_lines():
    """Benchmark mail screen (qt_screen_003): the grid lines crossing a row once made OCR read
    "Paswrdresetrequet" and "Meingnotes"; the cells are read whole now and found either way."""
    import cv2

    from desktop.core.sources import Screen
    from desktop.grounding.engine import Engine

    screen = Screen(cv2.cvtColor(cv2.imread(str(MAIL)), cv2.COLOR_BGR2RGB))
    engine = Engine(sources=["ocr"], semantic=False, calibration="default")
    for instruction, cell in [("click password reset request", PASSWORD_CELL), ("click meeting notes", MEETING_CELL)]:
        best = engine.ground(screen, instruction).best
        assert best is not None and cell.contains(best.x, best.y), (instruction, best)


def test_a_misread_word_is_compared_as_said_not_only_as_its_canonical_form():
    # "Options" is canonically "option" (two edits from "Qptions"); as said it is one
    # edit away: a Tk menu's mnemonic underline turns the "O" into "Q".
    m = match_text("Options", "Qptions", LINE)
    assert m is not None and m.score > 0.8
    assert match_text("Options", "Qpticns", LINE) is None or match_text("Options", "Qpticns", LINE).score < m.score


def test_a_word_set_far_apart_on_its_line_is_a_label_of_its_own():
    # FeatherPad's menu bar half under a dialog: OCR reads "File  Edit  Op'" as one line.
    parts = (("File", Box(8, 4, 32, 18)), ("Edit", Box(46, 4, 71, 18)), ("Op'", Box(86, 4, 104, 18)))
    menu = match_text("File", "File Edit Op'", Box(8, 4, 104, 18), parts)
    assert menu.whole and menu.score == 1.0
    # Word spaces are no gap: "Save" in "Save as" stays part of the longer label.
    spaced = (("Save", Box(8, 4, 38, 18)), ("as", Box(43, 4, 57, 18)))
    save = match_text("Save", "Save as", Box(8, 4, 57, 18), spaced)
    assert not save.whole and save.score < 1.0
