"""Icon source: preprocessing, proposals, the shipped model (real ONNX weights) and the engine."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import cv2
import numpy as np
import pytest

from desktop.core.errors import ModelMissing
from desktop.core.geometry import Box
from desktop.core.parser import parse_instruction
from desktop.core.results import Candidate
from desktop.core.sources import CandidateSource, Screen, SourceRequest
from desktop.grounding._icons_model import IconModel, default_model_dir, model_files_present
from desktop.grounding._icons_preprocess import INPUT_SIZE, ink_map, prepare_crops
from desktop.grounding._icons_proposals import MAX_SIDE, is_wordlike, propose_boxes
from desktop.grounding._icons_query import DEFAULT_PHRASE_SCORE, icon_phrases, mass_to_score
from desktop.grounding.icons import IconSource

MODEL_DIR = default_model_dir()
needs_model = pytest.mark.skipif(not model_files_present(MODEL_DIR), reason="models/icons not present")

LIGHT, DARK = (246, 245, 244), (46, 52, 54)


def _draw(kind: str, size: int, fg: tuple[int, int, int], bg: tuple[int, int, int], pad: int = 6) -> np.ndarray:
    """A simple icon drawn the way toolkits draw them (anti-aliased, at ``size`` px)."""
    s = size * 4  # draw big, then shrink: anti-aliasing like a rendered SVG
    img = np.zeros((s, s), np.uint8)
    line = max(4, s // 10)
    if kind == "play":
        cv2.fillPoly(img, [np.array([[s // 4, s // 6], [s // 4, 5 * s // 6], [5 * s // 6, s // 2]])], 255)
    elif kind == "pause":
        cv2.rectangle(img, (s // 4, s // 6), (s // 4 + s // 6, 5 * s // 6), 255, -1)
        cv2.rectangle(img, (3 * s // 4 - s // 6, s // 6), (3 * s // 4, 5 * s // 6), 255, -1)
    elif kind == "plus":
        cv2.line(img, (s // 2, s // 6), (s // 2, 5 * s // 6), 255, line)
        cv2.line(img, (s // 6, s // 2), (5 * s // 6, s // 2), 255, line)
    elif kind == "close":
        cv2.line(img, (s // 5, s // 5), (4 * s // 5, 4 * s // 5), 255, line)
        cv2.line(img, (4 * s // 5, s // 5), (s // 5, 4 * s // 5), 255, line)
    elif kind == "search":
        cv2.circle(img, (2 * s // 5, 2 * s // 5), s // 4, 255, line)
        cv2.line(img, (3 * s // 5, 3 * s // 5), (5 * s // 6, 5 * s // 6), 255, line)
    elif kind == "zoom_in":
        c, r = 2 * s // 5, s // 4
        cv2.circle(img, (c, c), r, 255, line)
        cv2.line(img, (3 * s // 5, 3 * s // 5), (5 * s // 6, 5 * s // 6), 255, line)
        cv2.line(img, (c - r // 2, c), (c + r // 2, c), 255, 2 * line // 3)
        cv2.line(img, (c, c - r // 2), (c, c + r // 2), 255, 2 * line // 3)
    alpha = cv2.resize(img, (size, size), interpolation=cv2.INTER_AREA).astype(np.float32)[:, :, None] / 255
    tile = np.empty((size + 2 * pad, size + 2 * pad, 3), np.float32)
    tile[:] = bg
    tile[pad:pad + size, pad:pad + size] = np.array(bg) * (1 - alpha) + np.array(fg) * alpha
    return tile.astype(np.uint8)


def _toolbar(kinds: list[str], size: int = 20, fg=DARK, bg=LIGHT) -> tuple[np.ndarray, list[Box]]:
    tiles = [_draw(k, size, fg, bg) for k in kinds]
    gap = 14
    h = tiles[0].shape[0] + 40
    w = sum(t.shape[1] + gap for t in tiles) + 200
    image = np.empty((h, w, 3), np.uint8)
    image[:] = bg
    boxes, x = [], 20
    for tile in tiles:
        th, tw = tile.shape[:2]
        image[20:20 + th, x:x + tw] = tile
        boxes.append(Box(x, 20, x + tw, 20 + th))
        x += tw + gap
    return image, boxes


# --- preprocessing ---------------------------------------------------------------------------

def test_ink_map_is_the_same_for_dark_and_light_themes() -> None:
    light = _draw("play", 24, DARK, LIGHT)
    dark = _draw("play", 24, (238, 238, 236), (36, 36, 36))
    blue = _draw("play", 24, (255, 255, 255), (28, 113, 216))
    a, b, c = prepare_crops([light, dark, blue])[0]
    assert np.abs(a - b).max() < 0.08
    assert np.abs(a - c).max() < 0.08


def test_blank_crop_is_not_an_icon() -> None:
    x, valid = prepare_crops([np.full((20, 20, 3), 200, np.uint8), _draw("plus", 16, DARK, LIGHT)])
    assert valid.tolist() == [False, True]
    assert x.shape == (2, 1, INPUT_SIZE, INPUT_SIZE)
    assert not x[0].any()
    assert ink_map(np.zeros((2, 2, 3), np.uint8)) is None


def test_framing_removes_padding_and_offset() -> None:
    tight = _draw("pause", 20, DARK, LIGHT, pad=3)
    loose = np.empty((60, 50, 3), np.uint8)
    loose[:] = LIGHT
    loose[30:30 + tight.shape[0], 5:5 + tight.shape[1]] = tight
    a, b = prepare_crops([tight, loose])[0]
    assert np.abs(a - b).mean() < 0.03


# --- proposals -------------------------------------------------------------------------------

def test_proposals_find_each_icon_and_not_the_text() -> None:
    image, truth = _toolbar(["play", "pause", "plus"])
    text = Box(truth[-1].x1 + 30, 20, truth[-1].x1 + 150, 40)
    cv2.putText(image, "Label", (int(text.x0), 36), cv2.FONT_HERSHEY_SIMPLEX, 0.6, DARK, 2)
    boxes = propose_boxes(image, text_boxes=[text])
    for t in truth:
        assert any(t.contains(*b.center) for b in boxes), t
    assert not any(text.contains(*b.center) for b in boxes)


def test_proposals_skip_large_things_and_put_known_buttons_first() -> None:
    image = np.full((300, 300, 3), 250, np.uint8)
    cv2.rectangle(image, (10, 10), (10 + MAX_SIDE + 60, 150), (0, 0, 0), 2)   # a panel frame
    button = Box(200, 200, 240, 230)
    boxes = propose_boxes(image, extra=[button])
    assert boxes[0] == button
    assert all(max(b.width, b.height) <= MAX_SIDE for b in boxes[1:])


def test_a_lone_short_bar_is_proposed_but_a_long_rule_is_not() -> None:
    image = np.full((80, 400, 3), 240, np.uint8)
    cv2.rectangle(image, (40, 38), (53, 40), (60, 60, 60), -1)        # a minimize bar, 14 × 3 px
    cv2.rectangle(image, (120, 39), (380, 40), (60, 60, 60), -1)      # a separator rule
    boxes = propose_boxes(image)
    assert any(Box(36, 32, 58, 46).contains(*b.center) for b in boxes)
    assert not any(b.x0 > 110 for b in boxes), boxes


def test_two_frames_corners_meeting_are_no_icon_but_three_dots_are() -> None:
    image = np.full((80, 300, 3), 250, np.uint8)
    # Only the antialiased rounded corners of two faint group boxes pass the edge test: two specks.
    for x, y in ((40, 30), (48, 38)):
        for k in range(3):
            image[y + k, x + k:x + k + 2] = 190
    for x in (200, 210, 220):                                           # "more": three dots
        cv2.circle(image, (x, 40), 2, (60, 60, 60), -1)
    boxes = propose_boxes(image)
    assert not any(b.x0 < 100 for b in boxes), boxes
    assert any(Box(190, 30, 230, 50).contains(*b.center) for b in boxes)


def test_a_worded_buttons_outline_is_no_icon_crop_but_an_icon_beside_it_is() -> None:
    from desktop.grounding.icons import icon_proposals

    image = np.full((60, 260, 3), 240, np.uint8)
    cv2.rectangle(image, (20, 15), (99, 42), (120, 120, 120), 1)           # a "Close" button
    cv2.putText(image, "Close", (34, 34), cv2.FONT_HERSHEY_SIMPLEX, 0.5, DARK, 1)
    cv2.rectangle(image, (160, 15), (187, 42), (120, 120, 120), 1)         # an icon button: a gear-ish ring
    cv2.circle(image, (173, 28), 6, DARK, 2)
    words = Box(33, 22, 80, 36)
    found = [Candidate(words, "Close", "text", "ocr", 0.95, parts=(("Close", words),)),
             Candidate(Box(20, 15, 100, 43), "Close", "button", "controls", 0.75)]
    boxes = icon_proposals(image, found).boxes
    assert not any(b.iou(Box(20, 15, 100, 43)) > 0.6 for b in boxes), boxes
    assert any(Box(160, 15, 188, 43).contains(*b.center) for b in boxes)


def test_faint_title_bar_buttons_are_proposed() -> None:
    # Dark title bars draw their buttons 13 grey levels above the bar.
    image = np.full((60, 200, 3), 41, np.uint8)
    cv2.rectangle(image, (60, 20), (76, 36), (54, 54, 54), 2)          # a faint maximize square
    cv2.line(image, (120, 20), (136, 36), (200, 200, 200), 2)         # a strong glyph beside it
    boxes = propose_boxes(image)
    assert any(Box(56, 16, 80, 40).contains(*b.center) for b in boxes), boxes
    assert any(Box(116, 16, 140, 40).contains(*b.center) for b in boxes), boxes


@pytest.mark.parametrize("text,word", [("Layers", True), ("Line 1, Col 1", True), ("保存", True), ("2.2", True),
                                       ("OK", True), ("+", False), ("G", False), ("×", False), ("『", False)])
def test_only_real_words_hide_what_is_under_them(text: str, word: bool) -> None:
    # OCR "reads" icons too; those boxes must stay open to icon proposals.
    assert is_wordlike(text) is word


def test_icon_misread_as_text_is_still_proposed() -> None:
    image, truth = _toolbar(["plus"])
    misread = Candidate(box=truth[0], text="+", role="text", source="ocr")
    boxes = propose_boxes(image, text_boxes=[c.box for c in [misread] if is_wordlike(c.text)])
    assert any(truth[0].contains(*b.center) for b in boxes)


# --- model files -----------------------------------------------------------------------------

def test_missing_model_means_unavailable(tmp_path: Path) -> None:
    assert not IconSource(tmp_path).available()
    with pytest.raises(ModelMissing):
        IconModel(tmp_path).load()


@needs_model
def test_manifest_checks_sha256(tmp_path: Path) -> None:
    copy = tmp_path / "icons"
    shutil.copytree(MODEL_DIR, copy)
    manifest = json.loads((copy / "manifest.json").read_text())
    assert (copy / "icon_encoder.onnx").stat().st_size <= 20 * 1024 * 1024
    name = next(iter(manifest["files"]))
    data = bytearray((copy / name).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (copy / name).write_bytes(bytes(data))
    with pytest.raises(ModelMissing, match="SHA-256"):
        IconModel(copy).load()


# --- the real model ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def source() -> IconSource:
    if not model_files_present(MODEL_DIR):
        pytest.skip("models/icons not present")
    src = IconSource()
    src.warm_up()
    return src


@pytest.mark.slow
def test_source_names_icons_per_screen_and_scores_each_phrase(source: IconSource) -> None:
    assert isinstance(source, CandidateSource) and source.name == "icons" and source.available()
    assert source.conditioned
    image, truth = _toolbar(["play", "pause", "plus", "close", "search"])
    screen = Screen(image)
    first = source.candidates(screen, SourceRequest(parse_instruction("click play")))
    second = source.candidates(screen, SourceRequest(parse_instruction("click the search icon")))
    named = [c for c in first if not c.conditioned]
    assert named and named == [c for c in second if not c.conditioned]
    for cand in named:
        assert cand.role == "icon" and cand.source == "icons" and 0.0 <= cand.score <= 1.0
        assert cand.text and cand.description.split(" ")[0] == cand.text.split(" ")[0]
    for found, phrase, box in ((first, "play", truth[0]), (second, "search", truth[4])):
        asked = sorted((c for c in found if c.conditioned), key=lambda c: -c.score)
        assert asked and all(c.text == phrase and c.role == "icon" for c in asked)
        assert box.contains(*asked[0].box.center) and asked[0].score > 0.8, asked[:2]


@pytest.mark.slow
def test_all_of_one_icon_are_found_and_nothing_else() -> None:
    from desktop.grounding.engine import Engine

    kinds = ["play", "close", "play", "search", "play", "pause", "play", "plus", "play", "close", "play", "play"]
    image, truth = _toolbar(kinds, size=22)
    result = Engine(sources=["ocr", "controls", "icons"]).ground(image, "click all the play icons")
    plays = [box for kind, box in zip(kinds, truth) if kind == "play"]
    assert len(result.predictions) == len(plays), [(p.x, p.y) for p in result.predictions]
    assert all(any(b.contains(p.x, p.y) for b in plays) for p in result.predictions)


@pytest.mark.slow
def test_a_phrase_nothing_on_screen_means_scores_low(source: IconSource) -> None:
    image, _ = _toolbar(["play", "pause", "plus", "close", "search"])
    found = source.candidates(Screen(image), SourceRequest(parse_instruction("click the bicycle icon")))
    asked = [c for c in found if c.conditioned]
    assert all(c.score < 0.6 for c in asked), [(c.box, c.score) for c in asked]


def test_phrases_an_icon_could_answer() -> None:
    intent = parse_instruction("click the gear icon left of the trash icon, then click 3")
    assert icon_phrases(intent) == ["gear", "trash"]
    assert icon_phrases(parse_instruction("click all icons")) == []


def test_a_lone_role_word_an_icon_can_draw_is_asked() -> None:
    # "click Menu" parses to any menu with no target; the hamburger button says "Menu" only as a glyph.
    assert icon_phrases(parse_instruction("click Menu")) == ["Menu"]
    assert icon_phrases(parse_instruction("click the button")) == []
    assert icon_phrases(parse_instruction("click the first tab")) == []


def test_mass_to_score_rises_with_mass_and_standing_out() -> None:
    assert mass_to_score(0.0, 1.0) == 0.0
    assert mass_to_score(0.5, 1.0) > mass_to_score(0.01, 1.0) > mass_to_score(0.0001, 1.0)
    assert mass_to_score(0.01, 0.95) > mass_to_score(0.01, 0.3)
    assert 0.0 <= mass_to_score(1e-9, 0.0) <= mass_to_score(1.0, 1.0) <= 1.0


KNOWN = [("play", "play"), ("pause", "pause"), ("plus", "add plus"), ("close", "close x"), ("search", "search")]


@pytest.mark.slow
@pytest.mark.parametrize("theme", [(DARK, LIGHT), ((238, 238, 236), (36, 36, 36))], ids=["light", "dark"])
def test_model_names_common_icons(source: IconSource, theme) -> None:
    image, truth = _toolbar([k for k, _ in KNOWN], size=20, fg=theme[0], bg=theme[1])
    found = source.candidates(Screen(image), SourceRequest(parse_instruction("click x")))
    named = 0
    for (kind, words), box in zip(KNOWN, truth):
        here = [c for c in found if box.contains(*c.box.center)]
        if any(set(words.split()) & set(c.description.split()) for c in here):
            named += 1
    assert named >= 4, [(c.text, c.description) for c in found]


@pytest.mark.slow
def test_known_icon_only_button_is_named_inside_its_frame(source: IconSource) -> None:
    image, truth = _toolbar(["play"], size=24, fg=(255, 255, 255), bg=(28, 113, 216))
    page = np.full((truth[0].y1 + 40, image.shape[1], 3), 250, np.uint8)
    page[:image.shape[0]] = image
    button = Candidate(box=truth[0], role="button", source="controls")
    found = source.candidates(Screen(page), SourceRequest(parse_instruction("click x"), found_so_far=(button,)))
    assert any(c.box == truth[0] and "play" in c.description.split() for c in found)


@pytest.mark.slow
def test_engine_clicks_the_named_icon() -> None:
    from desktop.grounding.engine import Engine

    if not model_files_present(MODEL_DIR):
        pytest.skip("models/icons not present")
    image, truth = _toolbar(["search", "play", "pause", "close"], size=24)
    engine = Engine(sources=["ocr", "controls", "icons"])
    for instruction, box in (("click the play button", truth[1]), ("click the pause icon", truth[2])):
        best = engine.ground(image, instruction).best
        assert best is not None and box.contains(best.x, best.y), (instruction, best)


class _ZoomModel:
    """The icon model's answer for two crops, as the real one gives it for Lucide's zoom-in (recorded)."""

    phrase_score = DEFAULT_PHRASE_SCORE
    words = ("zoom in", "zoom", "magnify", "zoom out", "zoom all")

    def __init__(self) -> None:
        self.excluded: list[str] = []

    def phrase_mass(self, beliefs, phrase, synonym_cosine, excluded=None, also=()):  # type: ignore[no-untyped-def]
        self.excluded = [w for w in self.words if excluded is not None and excluded(w)]
        # crop 0: the zoom-in icon ("zoom in" 0.56 of its belief); crop 1: a search icon
        return np.array([0.129, 0.02]), np.array([0.559, 0.0])


class _Text:
    def embed(self, texts):  # type: ignore[no-untyped-def]
        return np.ones((len(texts), 384), np.float32)


def test_a_crop_read_as_the_opposite_control_is_scaled_down() -> None:
    """The only zoom icon on a screen is no sure "zoom out" when the model reads it as "zoom in" 4× over."""
    from desktop.grounding.icons import _ScreenIcons

    source = IconSource.__new__(IconSource)
    source._model, source._text, source._acting = _ZoomModel(), _Text(), {}
    boxes = (Box(0, 0, 20, 20), Box(30, 0, 50, 20))
    asked = source._phrase_candidates(_ScreenIcons((), boxes, beliefs=object()), "zoom out")  # type: ignore[arg-type]
    assert source._model.excluded == ["zoom in"]       # close names of the opposite control never count for it
    unscaled = mass_to_score(0.129, 0.129 / 0.149, DEFAULT_PHRASE_SCORE)
    zoom = next(c for c in asked if c.box == boxes[0])
    assert zoom.score == pytest.approx(unscaled * 2 * 0.129 / (0.129 + 0.559), abs=1e-3) and zoom.score < 0.45
    search = next(c for c in asked if c.box == boxes[1])
    assert search.score == pytest.approx(mass_to_score(0.02, 0.02 / 0.149, DEFAULT_PHRASE_SCORE), abs=1e-3)


def test_a_phrase_is_asked_in_each_of_its_equivalent_wordings() -> None:
    """MiniLM puts "bin" nearer "binary" than "trash": the trash icon is found by its other names too."""
    from desktop.grounding.icons import _ScreenIcons

    class _ByWording(_ZoomModel):
        def __init__(self) -> None:
            super().__init__()
            self.asked: list[bool] = []

        def commonest(self, names):  # type: ignore[no-untyped-def]
            return "trash" if "trash" in names else None   # what most icons of the trash are called

        def phrase_mass(self, beliefs, phrase, synonym_cosine, excluded=None, also=()):  # type: ignore[no-untyped-def]
            trash = float(phrase[0]) == 1.0
            self.asked.append(trash)
            return np.array([0.6 if trash else 0.01, 0.02]), np.zeros(2)

    class _Wordings:
        def embed(self, texts):  # type: ignore[no-untyped-def]
            return np.array([[1.0, 0.0] if t == "trash" else [0.0, 1.0] for t in texts], np.float32)

    source = IconSource.__new__(IconSource)
    source._model, source._text, source._acting = _ByWording(), _Wordings(), {}
    boxes = (Box(0, 0, 20, 20), Box(30, 0, 50, 20))
    asked = source._phrase_candidates(_ScreenIcons((), boxes, beliefs=object()), "bin")  # type: ignore[arg-type]
    assert source._model.asked == [False, True]  # "bin" itself, then "trash" (not every other wording)
    best = max(asked, key=lambda c: c.score)
    assert best.box == boxes[0] and best.text == "bin" and best.score > 0.6


@pytest.mark.slow
def test_a_checkbox_indicator_is_not_offered_as_an_icon(source: IconSource) -> None:
    # lxappearance's preview: an empty check box read by the model as "stop" (a square).
    image = np.full((120, 400, 3), 235, np.uint8)
    image[50:64, 40:54] = 255
    image[50, 40:54] = image[63, 40:54] = 60
    image[50:64, 40] = image[50:64, 53] = 60
    box = Box(40, 50, 54, 64)
    checkbox = Candidate(box, "Check Button", "checkbox", "controls", 0.8, label_box=Box(62, 48, 170, 66))
    request = SourceRequest(parse_instruction("click stop"), found_so_far=(checkbox,))
    assert not [c for c in source.candidates(Screen(image), request) if c.box.iou(box) > 0.5]
