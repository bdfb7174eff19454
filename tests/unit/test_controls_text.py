"""Cutting OCR lines at controls never makes an impossible box."""

from desktop.core.geometry import Box
from desktop.grounding._controls_text import split_at, text_lines
from desktop.core.results import Candidate


def test_a_word_ending_inside_a_control_is_dropped_not_inverted():
    # The word's centre lies right of the control's centre, but the word ends inside it.
    line = Candidate(Box(10, 10, 60, 30), "ab", "text", "ocr", 0.9, parts=(("ab", Box(36, 10, 58, 30)),))
    control = Box(20, 0, 60, 15)  # overlaps the word's top only, so its centre stays outside
    for piece in split_at(text_lines([line]), [control]):
        for _, wbox in piece.words:
            assert wbox.width > 0


def test_a_tick_read_as_v_is_the_mark_of_a_checked_box_not_a_word():
    from desktop.grounding._controls_text import read_as_word

    line = Candidate(Box(21, 251, 203, 269), "V Remember me", "text", "ocr", 0.9,
                     parts=(("V", Box(21, 253, 33, 267)), ("Remember", Box(47, 251, 163, 269))))
    indicator = Box(17, 249, 37, 270)
    lines = text_lines([line])
    assert read_as_word(indicator, lines)  # without knowing it is ticked, "V" looks like a letter
    assert not read_as_word(indicator, lines, ticked=True)
