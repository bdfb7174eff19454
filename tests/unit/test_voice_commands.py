"""Spoken answers on the overlay and the sentences spoken back (Qt-free)."""

from __future__ import annotations

import pytest

from desktop.core.voice_commands import (VoiceAction, is_bar_cancel, nothing_announcement, number_words,
                                         overlay_action, plan_announcement)


@pytest.mark.parametrize("said, n, kind, indices", [
    ("click", 3, "confirm", ()),
    ("Confirm.", 3, "confirm", ()),
    ("yes", 1, "confirm", ()),
    ("click two", 3, "choose", (1,)),
    ("two", 3, "choose", (1,)),
    ("number three", 4, "choose", (2,)),
    ("click 2", 3, "choose", (1,)),
    ("two and four", 5, "choose", (1, 3)),
    ("one, two and three", 4, "choose", (0, 1, 2)),
    ("the second one", 3, "choose", (1,)),
    ("the first one and the third one", 3, "choose", (0, 2)),
    ("one", 2, "choose", (0,)),
    ("the last one", 4, "choose", (3,)),
    ("all", 4, "all", ()),
    ("click all", 6, "all", ()),
    ("all of them", 2, "all", ()),
    ("next", 3, "next", ()),
    ("previous", 3, "previous", ()),
    ("cancel", 3, "cancel", ()),
    ("Never mind", 3, "cancel", ()),
    ("stop", 3, "cancel", ()),
])
def test_overlay_answers(said: str, n: int, kind: str, indices: tuple[int, ...]) -> None:
    action = overlay_action(said, n)
    assert (action.kind, action.indices) == (kind, indices)


def test_a_number_past_the_markers_says_which_numbers_exist() -> None:
    action = overlay_action("click seven", 4)
    assert action.kind == "unknown"
    assert "no number 7" in action.message and "1 to 4" in action.message


def test_a_repeated_number_counts_once() -> None:
    assert overlay_action("two and two", 3).indices == (1,)


def test_nonsense_asks_again_with_the_options() -> None:
    action = overlay_action("banana bread", 3)
    assert action.kind == "unknown" and "a number, all, next or cancel" in action.message
    assert "click or cancel" in overlay_action("banana", 1).message
    assert overlay_action("", 3).kind == "unknown"


def test_action_kinds_are_checked() -> None:
    with pytest.raises(ValueError):
        VoiceAction("explode")


def test_bare_cancel_closes_the_bar_but_click_cancel_names_a_button() -> None:
    assert is_bar_cancel("cancel") and is_bar_cancel("Never mind.")
    assert not is_bar_cancel("click cancel")


def test_announcements() -> None:
    assert plan_announcement(("Save", "Save as", "Save all"), False) == "Three matches. Say a number."
    assert plan_announcement(("A", "B"), True) == "Two matches. Say all, or a number."
    assert plan_announcement(("Save",), False) == "One match: Save. Say click, or cancel."
    assert plan_announcement((), False) == "Nothing matched."
    assert plan_announcement(tuple("x" * 25), False).startswith("25 matches")
    assert nothing_announcement("save") == "Nothing matched save."
    assert nothing_announcement("") == "Nothing matched."


def test_number_words() -> None:
    assert number_words(3) == ("one", "two", "three")
    assert len(number_words(50)) == 20
    assert number_words(0) == ()
