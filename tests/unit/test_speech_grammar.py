"""Grammars from the screen's words, pronunciations for unknown words (no recognizer needed)."""

from __future__ import annotations

import re
import shutil

import pytest

from desktop.speech.grammar import (COMMON_WORDS, ICON_LABELS, command_grammar, display_text, overlay_grammar,
                                    screen_phrases, spoken_number)
from desktop.speech.pronounce import Pronouncer, ipa_to_cmu, spelled

CMU = {"AA", "AE", "AH", "AO", "AW", "AY", "B", "CH", "D", "DH", "EH", "ER", "EY", "F", "G", "HH", "IH", "IY",
       "JH", "K", "L", "M", "N", "NG", "OW", "OY", "P", "R", "S", "SH", "T", "TH", "UH", "UW", "V", "W", "Y",
       "Z", "ZH"}


def words_of(phrases):
    return [" ".join(p.words) for p in phrases]


def test_screen_texts_become_speakable_phrases() -> None:
    phrases = screen_phrases(["Save", "Remember me", "Email:", "22 May", "11:58", "÷", "Café", "3,141.59",
                              "保存", "Wi-Fi & more"])
    said = words_of(phrases)
    assert "save" in said and "remember me" in said and "email" in said
    assert "twenty two may" in said
    assert "eleven fifty eight" in said
    assert "divide" in said and "divided by" in said  # a symbol by its names
    assert "cafe" in said
    assert not any("保" in s for s in said)  # the English recognizer cannot say it
    assert "wi fi and more" in said
    assert next(p for p in phrases if p.words == ("remember", "me")).text == "Remember me"


def test_long_lines_give_their_words_not_a_phrase() -> None:
    paragraph = "Please review the attached document and send your comments before Thursday"
    said = words_of(screen_phrases([paragraph, "Send"]))
    assert paragraph.lower() not in said
    assert "review" in said and "thursday" in said and said.count("send") == 1


def test_numbers_in_words() -> None:
    assert [spoken_number(n) for n in (0, 7, 13, 20, 42, 99)] == [
        "zero", "seven", "thirteen", "twenty", "forty two", "ninety nine"]
    assert spoken_number(2024) == ""


def test_command_grammar_holds_the_screen_and_the_command_words() -> None:
    g = command_grammar(screen_phrases(["Subscribe to newsletter", "Remember me", "OK"]))
    assert g.jsgf.startswith("#JSGF V1.0;")
    assert "subscribe to newsletter" in g.jsgf
    assert re.search(r"\| subscribe \|", g.jsgf) and "newsletter |" in g.jsgf  # start or end of a label
    for word in ("click", "double", "right", "all", "first", "checkboxes", "left", "cancel", "remember"):
        assert word in g.words
    assert "save" in g.words  # a common label, even when OCR missed it
    assert not any(re.search(r"[^a-z']", w) for w in g.words)


def test_a_screen_grammar_offers_only_icon_labels_beyond_the_screen() -> None:
    # Every label offered that is not on screen is one more thing to mishear a screen word as.
    g = command_grammar(screen_phrases(["Start", "System"]))
    assert {"start", "system", "settings", "close", "help"} <= g.words
    assert not {"stop", "okay", "quit", "login"} & g.words
    everything = command_grammar(screen_phrases(list(ICON_LABELS)))
    assert "<common>" not in everything.jsgf  # all of them are targets already


def test_command_grammar_without_screen_words_still_has_commands() -> None:
    g = command_grammar(())
    assert set(w for c in COMMON_WORDS for w in c.split()) <= g.words
    assert "<target>" not in g.jsgf


def test_overlay_grammar_numbers_up_to_the_markers() -> None:
    g = overlay_grammar(3)
    assert {"one", "two", "three", "all", "next", "cancel", "click"} <= g.words
    assert "four" not in g.words
    assert "twenty" in overlay_grammar(40).words and "twenty one" not in overlay_grammar(40).jsgf


def test_display_text_restores_the_screens_spelling() -> None:
    phrases = screen_phrases(["Save", "Remember me", "OK", "Open"])
    assert display_text("click save", phrases) == "click Save"
    assert display_text("click the remember me checkbox", phrases) == "click the Remember me checkbox"
    assert display_text("open save", phrases) == "open Save"  # a verb stays a verb
    assert display_text("click ok", phrases) == "click OK"


def test_ipa_maps_to_cmu_phones() -> None:
    assert ipa_to_cmu("k_ˈuː_l_m_ə_n") == ("K", "UW", "L", "M", "AH", "N")
    assert ipa_to_cmu("tʃ_ˈɜː_tʃ") == ("CH", "ER", "CH")
    assert ipa_to_cmu("f_ˈaɪɚ") == ("F", "AY", "ER")
    assert ipa_to_cmu("b_ˈʌ_ʔ_n̩") == ("B", "AH", "T", "AH", "N")
    assert set(ipa_to_cmu("s_ˈɛ_ɾ_ɪ_ŋ_z_☃")) <= CMU  # unknown symbols are dropped


def test_spelling() -> None:
    assert spelled("PDF") == ("P", "IY", "D", "IY", "EH", "F")


def test_pronouncer_without_espeak_spells() -> None:
    p = Pronouncer(espeak="")
    assert p.pronunciations(["xlsx"])["xlsx"] == (spelled("xlsx"),)


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="needs espeak-ng")
def test_pronouncer_uses_letter_to_sound_rules() -> None:
    p = Pronouncer()
    got = p.pronunciations(["kuhlmann", "zorblat", "zorb", "xlsx"])
    assert got["zorblat"][0][0] == "Z" and set(got["zorblat"][0]) <= CMU
    assert len(got["zorb"]) == 2 and got["zorb"][1] == spelled("zorb")  # short words may be spelled out
    assert spelled("xlsx") in got["xlsx"]
    assert p.pronunciations(["zorblat"]) == {"zorblat": got["zorblat"]}  # cached


def test_a_symbol_is_offered_once_per_sound() -> None:
    said = words_of(screen_phrases(["%", "÷"]))
    assert "percent" in said and "per cent" not in said  # the same sound: only one spelling
    assert {"divide", "divided by"} <= set(said)
