"""Repaired readings of screen words OCR garbled, and how they enter the grammar."""

from __future__ import annotations

import time
from typing import Iterator

import pytest

from desktop.speech.grammar import command_grammar, display_text, screen_phrases
from desktop.speech.repair import Lexicon, WordRepairer

#: A small made-up dictionary: rarities as the language model gives them (-log10 p).
SMALL = Lexicon({"meeting": 4.1, "notes": 4.6, "meaning": 4.6, "password": 5.1, "reset": 5.0, "request": 4.6,
                 "in": 1.8, "sign": 4.0, "the": 1.4, "eliminate": 5.5, "elite": 4.8, "delete": 5.0},
                known=frozenset({"meeting", "notes", "meaning", "password", "reset", "request", "in", "sign",
                                 "the", "haddad", "novak", "delete", "elite", "eliminate"}))


def test_missing_letters_and_spaces_are_repaired() -> None:
    repair = WordRepairer(SMALL)
    assert repair("meingnotes") == ("meeting", "notes")
    assert repair("paswrdresetrequet") == ("password", "reset", "request")
    assert repair("signin") == ("sign", "in")
    assert repair("meetingnotes") == ("meeting", "notes")


def test_dictionary_words_short_tokens_and_far_readings_are_left_alone() -> None:
    repair = WordRepairer(SMALL)
    assert repair("haddad") is None  # a name the dictionary knows
    assert repair("delete") is None  # a real word stays itself
    assert repair("elete") is None   # a lost first letter is not guessed
    assert repair("notz") is None    # short: too many readings are near
    assert repair("mtng") is None    # half the letters gone: over the budget
    assert repair("pbssword") is None  # b for a is no OCR look-alike
    assert repair("meeting2") is None  # digits are not words


def test_repairs_are_cached() -> None:
    repair = WordRepairer(SMALL)
    assert repair("meingnotes") is repair("meingnotes")
    assert repair.repair_all(["meingnotes", "haddad", "meingnotes"]) == {"meingnotes": ("meeting", "notes")}


def test_grammar_offers_the_repair_beside_the_raw_token() -> None:
    phrases = screen_phrases(["Meingnotes", "Inbox", "Pasword reset request"], repair=WordRepairer(SMALL))
    said = [" ".join(p.words) for p in phrases]
    assert said.index("meingnotes") + 1 == said.index("meeting notes")
    assert "pasword reset request" in said and "password reset request" in said
    assert "inbox" in said and len(said) == 5
    target = next(line for line in command_grammar(phrases).jsgf.splitlines() if line.startswith("<target>"))
    assert "| meeting notes |" in target and "| meingnotes |" in target
    assert "| password reset request |" in target
    assert "| meeting |" not in target  # a repair is said in full, not in parts


def test_display_shows_the_words_heard() -> None:
    phrases = screen_phrases(["Meingnotes", "Save"], repair=WordRepairer(SMALL))
    assert display_text("open meeting notes", phrases) == "open meeting notes"
    assert display_text("open meingnotes", phrases) == "open Meingnotes"
    assert display_text("click save", phrases) == "click Save"


def test_without_a_repairer_nothing_changes() -> None:
    assert [p.words for p in screen_phrases(["Meingnotes"])] == [("meingnotes",)]


# -- the recognizer's own word lists ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def model_repair() -> Iterator[WordRepairer]:
    pytest.importorskip("pocketsphinx")
    from pathlib import Path

    from pocketsphinx import get_model_path

    from desktop.speech.sphinx import load_lexicon

    yield WordRepairer(load_lexicon(Path(get_model_path()) / "en-us"))


@pytest.mark.parametrize("token, reading", [
    ("meingnotes", ("meeting", "notes")),
    ("paswrdresetrequet", ("password", "reset", "request")),
    ("budgetreview", ("budget", "review")),
    ("settngs", ("settings",)),
    ("notifcations", ("notifications",)),
    ("subcribe", ("subscribe",)),
    ("sortbydate", ("sort", "by", "date")),
])
def test_model_lexicon_repairs(model_repair: WordRepairer, token: str, reading: tuple[str, ...]) -> None:
    assert model_repair(token) == reading


@pytest.mark.parametrize("token", [
    # Real words and names the dictionary knows.
    "settings", "haddad", "novak", "nguyen", "diaz", "untitled",
    # Names it does not know: no alternative.
    "fandhadad", "okonkwo", "xiaoming", "anneliese", "ramanathan", "priyanka", "kubernetes", "consectetur",
    "hendrikje", "lindqvist", "grzegorz", "oluwaseun", "liuyang", "wangfang",
])
def test_model_lexicon_leaves_words_and_names_alone(model_repair: WordRepairer, token: str) -> None:
    assert model_repair(token) is None


def test_repair_is_fast(model_repair: WordRepairer) -> None:
    tokens = [f"{a}{b}" for a in ("meing", "paswrd", "reqest", "budgt", "setings") for b in ("notes", "reset", "list")]
    start = time.perf_counter()
    for token in tokens:
        model_repair(token)
    per_token_ms = (time.perf_counter() - start) * 1000 / len(tokens)
    assert per_token_ms < 20  # a few ms each, once per token (measured ~1-3 ms)
