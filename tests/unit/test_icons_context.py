"""The icon source's phrase search with what the screen says around a crop.

The model names look-alikes alike: a window's close "×", a field's clear
"×" and a calculator's "×" key; a plain ▶ and a folder with a plus for
"forward"; bits of letters between two words. Their places tell them apart.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from desktop.core.geometry import Box
from desktop.core.images import load_image
from desktop.core.parser import parse_instruction
from desktop.core.results import Candidate
from desktop.core.sources import Screen
from desktop.grounding._icons_directions import direction_of, pointing_names
from desktop.grounding._icons_model import default_model_dir, model_files_present
from desktop.grounding._icons_query import DEFAULT_PHRASE_SCORE
from desktop.grounding._window_controls import WindowControl, known_controls
from desktop.grounding.icons import KNOWN_MASS, UNKNOWN_SCALE, IconSource, _between_words, _ScreenIcons, \
    _text_lines

SCREENS = Path(__file__).resolve().parents[1] / "fixtures" / "screens"
needs_model = pytest.mark.skipif(not model_files_present(default_model_dir()), reason="models/icons not present")


# --- direction words -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("phrase, way", [
    ("forward", "right"), ("next", "right"), ("next page", "right"), ("go back", "left"), ("previous", "left"),
    ("scroll down", "down"), ("up", "up"), ("the left arrow", "left"),
    ("sign up", None), ("shut down", None), ("back up", None), ("download", None), ("play", None), ("", None),
])
def test_a_phrase_that_only_says_a_way_has_a_direction(phrase: str, way: str | None) -> None:
    assert direction_of(phrase) == way


def test_arrow_names_of_a_direction_are_bare_shapes_pointing_that_way() -> None:
    words = ("caret right", "right arrow", "chevron right", "align right", "right", "arrow left", "fast forward",
             "triangle right", "bottom right", "go right")
    assert [words[i] for i in pointing_names(words, "right")] == ["caret right", "right arrow", "chevron right",
                                                                   "triangle right", "go right"]
    assert [words[i] for i in pointing_names(words, "left")] == ["arrow left"]


# --- bits of text between words ---------------------------------------------------------------------------------

def _line(words: list[tuple[str, float, float]], y0: float = 152, y1: float = 167) -> Candidate:
    parts = tuple((text, Box(x0, y0, x1, y1)) for text, x0, x1 in words)
    return Candidate(box=Box(words[0][1], y0, words[-1][2], y1), text=" ".join(w for w, _, _ in words),
                     role="text", source="ocr", score=0.99, parts=parts)


def test_what_ocr_left_between_two_words_is_text_but_an_icon_set_apart_is_not() -> None:
    # The real line of the Notes window (word boxes as OCR gave them): the join of "this weekend."
    # was proposed as a 12×14 icon and held the screen's most "reload".
    line = _line([("maintenance", 636, 749), ("this", 755, 785), ("weekend.", 792, 875)])
    lines = _text_lines([line])
    assert _between_words(Box(779, 155, 791, 169), lines)
    # The dash of the title "notes.md - Notes" (OCR reads "-" but it is no word).
    title = _line([("notes.md", 397, 484), ("-", 491, 497), ("Notes", 504, 558)], 11, 26)
    assert _between_words(Box(490, 18, 498, 23), _text_lines([title]))
    # An icon at a line's start, one between two labels a button apart, one on another row: icons.
    toolbar = _line([("Save", 40, 80), ("Open", 120, 160)], 10, 26)
    assert not _between_words(Box(14, 9, 32, 27), _text_lines([toolbar]))
    assert not _between_words(Box(92, 9, 110, 27), _text_lines([toolbar]))
    assert not _between_words(Box(779, 200, 791, 214), lines)
    # A line without word boxes says nothing.
    assert _text_lines([Candidate(box=Box(0, 0, 100, 20), text="a b", role="text", source="ocr", score=1)]) == []


# --- controls known by their place ------------------------------------------------------------------------------

def test_window_buttons_and_a_field_end_x_are_known_by_place() -> None:
    from tests.unit.test_window_controls import _screen

    image, truth, clear = _screen("light")
    window = [WindowControl(box, kind) for kind, box in truth.items()]
    field = Box(100, 160, 400, 192)
    button_around_close = truth["close"].expand(4)
    boxes = [truth["close"], button_around_close, truth["maximize"], clear, Box(300, 300, 320, 320)]
    assert known_controls(image, boxes, window, [field]) == ["close", "close", "maximize", "clear", None]
    # Without the field the "×" is just a glyph; without the row, the title bar's are too.
    assert known_controls(image, boxes, window, []) == ["close", "close", "maximize", None, None]
    assert known_controls(image, boxes, [], []) == [None] * 5


class _TwoCrosses:
    """The model's "close" for a calculator's "×" key (0.66) and the window's framed "⊠" (0.07), as wide2 gave it."""

    phrase_score = DEFAULT_PHRASE_SCORE
    words = ("close", "multiply")

    def phrase_mass(self, beliefs, phrase, synonym_cosine, excluded=None, also=()):  # type: ignore[no-untyped-def]
        return np.array([0.66, 0.075, 0.3, 0.2]), np.zeros(4)

    def commonest(self, names):  # type: ignore[no-untyped-def]
        return None


class _Words:
    """MiniLM stand-in: a word is near only itself (the real cosines of these words are all < 0.75)."""

    _WORDS = ("close", "exit", "maximize", "maximise", "restore", "minimize", "minimise", "iconify", "clear",
              "clear text", "erase", "x", "cross", "quit", "square", "fullscreen", "minus", "dash", "line",
              "delete", "reload", "calculator")

    def embed(self, texts):  # type: ignore[no-untyped-def]
        return np.eye(len(self._WORDS), dtype=np.float32)[[self._WORDS.index(t) for t in texts]]


def _asked(phrase: str) -> dict[Box, float]:
    source = IconSource.__new__(IconSource)
    source._model, source._text, source._pointing, source._acting = _TwoCrosses(), _Words(), {}, {}
    boxes = (Box(486, 316, 497, 327), Box(533, 11, 557, 35), Box(487, 10, 513, 36), Box(300, 100, 310, 110))
    known = (None, "close", "maximize", "clear")
    icons = _ScreenIcons((), boxes, beliefs=object(), known=known)  # type: ignore[arg-type]
    return {c.box: c.score for c in source._phrase_candidates(icons, phrase)}


def test_the_phrase_naming_a_known_control_finds_it_over_a_look_alike() -> None:
    asked = _asked("close")
    key, window, maximize, clear = (Box(486, 316, 497, 327), Box(533, 11, 557, 35), Box(487, 10, 513, 36),
                                    Box(300, 100, 310, 110))
    assert asked[window] > asked[key], asked          # the window's "×" holds KNOWN_MASS of "close"
    assert asked[maximize] < 0.5 and asked[clear] < 0.5   # a field's "×" is no "close", a square neither
    # A phrase for something else leaves known controls nearly out; one for their look keeps them.
    reload = _asked("reload")
    assert reload[window] < reload[key] and reload[maximize] < reload[key]
    assert _asked("x")[clear] > reload[clear]         # "the x" may be the field's "×"
    assert KNOWN_MASS > 0.5 and UNKNOWN_SCALE < 0.2


# --- real screens (the benchmark's, cropped), with the shipped model ----------------------------------------

def _icons(name: str, instruction: str) -> tuple[IconSource, _ScreenIcons, list[Candidate]]:
    from desktop.grounding.engine import Engine

    engine = Engine(sources=["ocr", "controls", "icons"])
    screen = Screen(load_image(SCREENS / name))
    intent = parse_instruction(instruction)
    found = list(engine.candidates(screen, intent))
    source = next(s for s in engine._sources if s.name == "icons")
    plain = [c for c in found if c.source != "icons"]
    return source, source._screen_icons(screen, plain), [c for c in found if c.conditioned]


@pytest.mark.slow
@needs_model
def test_a_calculator_times_key_is_not_the_window_close_button() -> None:
    source, icons, asked = _icons("qt_calculator_close.png", "click the close icon")
    best = max(asked, key=lambda c: c.score)
    assert Box(526, 6, 563, 41).contains(*best.box.center), [(c.box, c.score) for c in asked[:4]]
    assert "close" in icons.known


@pytest.mark.slow
@needs_model
def test_letters_ocr_left_between_words_are_not_icons() -> None:
    source, icons, asked = _icons("qt_notes_text_residue.png", "press reload")
    # "this|weekend." and "notes.md - Notes": no crop there at all.
    for x, y in ((785, 162), (494, 20)):
        assert not any(b.contains(x, y) for b in icons.boxes), (x, y)
    best = max(asked, key=lambda c: c.score)
    assert Box(133, 66, 173, 104).contains(*best.box.center), [(c.box, c.score) for c in asked[:4]]


@pytest.mark.slow
@needs_model
def test_forward_counts_the_arrows_pointing_right() -> None:
    source, icons, _ = _icons("qt_file_dialog_arrows.png", "click the forward icon")
    mass = source.phrase_mass(icons, "forward")
    assert mass is not None
    right = [i for i, b in enumerate(icons.boxes) if b.contains(77, 72)]
    left = [i for i, b in enumerate(icons.boxes) if b.contains(32, 72)]
    assert right and left
    # The ▶ holds most of its belief on "caret right" and the like, not on "forward" itself.
    assert max(mass[i] for i in right) > 0.15 > max(mass[i] for i in left)


def test_an_action_on_a_generic_object_counts_as_the_bare_action() -> None:
    # Freedesktop names the New/Open/Save buttons "document new/open/save", about 0.5 from the word said.
    from desktop.grounding._icons_objects import action_index, action_rows

    words = ["document new", "new file", "folder new", "document save", "file item", "zoom in", "page zoom", "new"]
    index = action_index(words)
    assert [words[i] for i in action_rows(index, "New")] == ["document new", "new file"]
    assert [words[i] for i in action_rows(index, "save")] == ["document save"]
    assert action_rows(index, "new file") == [] and action_rows(index, "file") == [] and action_rows(index, "in") == []


def test_the_phrase_search_is_given_the_document_names_of_an_action() -> None:
    class _Recording(_TwoCrosses):
        words = ("close", "document new", "new")

        def phrase_mass(self, beliefs, phrase, synonym_cosine, excluded=None, also=()):  # type: ignore[no-untyped-def]
            self.also = list(also)
            return np.array([0.5]), np.zeros(1)

    class _Near:
        def embed(self, texts):  # type: ignore[no-untyped-def]
            return np.ones((len(texts), 4), np.float32)

    source = IconSource.__new__(IconSource)
    source._model, source._text, source._pointing, source._acting = _Recording(), _Near(), {}, None
    icons = _ScreenIcons((), (Box(0, 0, 20, 20),), beliefs=object(), known=(None,))  # type: ignore[arg-type]
    source._phrase_candidates(icons, "new")
    assert source._model.also == [1]
