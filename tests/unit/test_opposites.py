"""Opposite controls ("zoom in" / "zoom out") are never matched to each other by meaning."""

from __future__ import annotations

from typing import Sequence

import pytest

from desktop.core.geometry import Box
from desktop.core.opposites import opposed
from desktop.core.parser import parse_instruction
from desktop.core.ranking import MIN_SCORE, score_candidates
from desktop.core.results import Candidate


@pytest.mark.parametrize(("phrase", "text"), [
    ("zoom out", "Zoom in"), ("sign in", "Sign out"), ("lock", "Unlock"), ("next page", "previous page"),
    ("play", "Pause"), ("scroll up", "scroll down"), ("show details", "Hide details"), ("undo", "redo"),
])
def test_opposites_are_opposed_both_ways(phrase: str, text: str) -> None:
    assert opposed(phrase, text) and opposed(text, phrase)


@pytest.mark.parametrize(("phrase", "text"), [
    ("zoom in", "Zoom 100%"), ("zoom in", "zoom in"), ("save", "Save as"), ("in and out", "in"),
    ("sign in", "Sign in and out"), ("play", "Play all"),
])
def test_related_texts_are_not_opposed(phrase: str, text: str) -> None:
    assert not opposed(phrase, text)


class _Similar:
    """Every text is about as close as MiniLM puts "zoom out" to "Zoom in" (0.9)."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, tuple[str, ...]]] = []

    def similarities(self, phrase: str, texts: Sequence[str]) -> list[float]:
        self.asked.append((phrase, tuple(texts)))
        return [0.9] * len(texts)


def _button(text: str, x: int, **kw) -> Candidate:  # type: ignore[no-untyped-def]
    return Candidate(box=Box(x, 0, x + 40, 20), text=text, role="button", source="controls", score=0.9, **kw)


def test_meaning_never_matches_the_opposite_control() -> None:
    step = parse_instruction("click zoom out").steps[0]
    found = score_candidates(step, [_button("Zoom in", 0), _button("Magnify", 50)], _Similar())
    assert [s.label for s in found] == ["Magnify"]


def test_a_lexical_match_too_weak_to_offer_does_not_stop_matching_by_meaning() -> None:
    step = parse_instruction("click zoom out").steps[0]
    weak = Candidate(box=Box(100, 0, 120, 20), text="zoom out", role="icon", source="icons", score=0.05,
                     conditioned=True)
    found = score_candidates(step, [weak, _button("Magnify", 50)], _Similar())
    assert [s.label for s in found] == ["Magnify"] and found[0].semantic
    assert all(s.score >= MIN_SCORE for s in found)


def test_a_box_answered_for_the_phrase_is_not_matched_again_by_its_guessed_name() -> None:
    step = parse_instruction("click zoom out").steps[0]
    box = Box(100, 0, 120, 20)
    asked = Candidate(box=box, text="zoom out", role="icon", source="icons", score=0.05, conditioned=True)
    named = Candidate(box=box, text="zoom", role="icon", source="icons", score=0.9)
    assert score_candidates(step, [asked, named], _Similar()) == []
