"""The OCR candidate source: real PP-OCRv4 models on screens rendered with PIL.

Pure helpers (word splitting, operator shapes, line refinement) are tested on
synthetic ink; everything a user meets runs the real bundled models on real
rendered text ("slow": a few hundred milliseconds each).
"""

from __future__ import annotations

import subprocess
import threading
import time
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from desktop.core.errors import BackendFailed, ModelMissing
from desktop.core.geometry import Box
from desktop.core.intent import Intent
from desktop.core.sources import CandidateSource, Screen, SourceRequest
from desktop.grounding import _ocr_models, ocr
from desktop.grounding._ocr_glyphs import operator_symbol
from desktop.grounding._ocr_layout import refine
from desktop.grounding._ocr_words import split_words
from desktop.grounding.ocr import OcrSource, rapidocr_model_dir

REQUEST = SourceRequest(intent=Intent(text="click Save", steps=()))
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "screens"


@lru_cache(maxsize=None)
def _font_path(family: str) -> str | None:
    try:
        out = subprocess.run(["fc-match", "-f", "%{file}", family], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    path = out.stdout.strip()
    return path if path and Path(path).is_file() else None


def _font(size: int, cjk: bool = False) -> ImageFont.FreeTypeFont:
    path = _font_path("Noto Sans CJK SC" if cjk else "DejaVu Sans")
    if path is None or (cjk and "CJK" not in path) or (not cjk and "DejaVu" not in path):
        pytest.skip("needs the DejaVu Sans and Noto Sans CJK fonts (fonts-dejavu, fonts-noto-cjk)")
    return ImageFont.truetype(path, size)


class Canvas:
    """A PIL image that remembers where each drawn string and word went."""

    def __init__(self, w: int = 800, h: int = 200, bg=(250, 250, 250)) -> None:
        self.img = Image.new("RGB", (w, h), bg)
        self.draw = ImageDraw.Draw(self.img)

    def text(self, xy, s: str, size: int = 16, fill=(20, 20, 20), cjk: bool = False) -> Box:
        f = _font(size, cjk)
        self.draw.text(xy, s, font=f, fill=fill)
        return Box(*self.draw.textbbox(xy, s, font=f))

    def word_box(self, xy, s: str, word: str, size: int = 16, cjk: bool = False) -> Box:
        """Where ``word`` (its first occurrence) was drawn inside ``s`` drawn at ``xy``."""
        f = _font(size, cjk)
        i = s.index(word)
        x = xy[0] + self.draw.textlength(s[:i], font=f)
        return Box(*self.draw.textbbox((x, xy[1]), word, font=f))

    def button(self, box, fill, outline=None) -> None:
        self.draw.rounded_rectangle(box, radius=4, fill=fill, outline=outline)

    def screen(self) -> Screen:
        return Screen(np.asarray(self.img, dtype=np.uint8).copy())


@pytest.fixture(scope="module")
def source() -> OcrSource:
    src = OcrSource()
    if not src.available():
        pytest.skip("rapidocr-onnxruntime models are not installed")
    src.warm_up()
    return src


def _find(cands, text: str):
    norm = text.replace(" ", "").casefold()
    return [c for c in cands if norm in c.text.replace(" ", "").casefold()]


def _part(cands, word: str) -> list[tuple[str, Box]]:
    return [p for c in cands for p in c.parts if p[0].casefold() == word.casefold()]


# --- pure helpers on synthetic ink -------------------------------------------------------------


def test_split_words_snaps_breaks_to_ink_gaps() -> None:
    ink = np.zeros((10, 60), bool)
    ink[:, 2:18] = True   # "Open"
    ink[:, 24:40] = True  # "Save"
    ink[:, 46:58] = True  # "All"
    # Character centres as a CTC decoder reports them: a few columns off.
    chars = (("O", 4.0, .9), ("p", 8.0, .9), ("e", 12.0, .9), ("n", 16.0, .9), (" ", 21.0, .9),
             ("S", 27.0, .9), ("a", 31.0, .9), ("v", 35.0, .9), ("e", 39.0, .9), (" ", 42.0, .9),
             ("A", 48.0, .9), ("l", 52.0, .9), ("l", 56.0, .9))
    words = split_words(chars, ink, (100, 50))
    assert words is not None
    assert words.text == "Open Save All"
    boxes = dict(words.parts)
    assert boxes["Save"] == Box(124, 50, 140, 60)
    assert boxes["Open"] == Box(102, 50, 118, 60)
    assert words.box == Box(102, 50, 158, 60)


def test_split_words_restores_a_missed_space_and_isolates_cjk() -> None:
    ink = np.zeros((12, 70), bool)
    ink[:, 0:20] = True
    ink[:, 28:48] = True  # an 8-column gap: a word space the recogniser dropped
    ink[:, 52:62] = True
    ink[:, 62:70] = True
    chars = (("U", 4.0, .9), ("s", 10.0, .9), ("e", 14.0, .9), ("r", 18.0, .9),
             ("n", 31.0, .9), ("a", 37.0, .9), ("m", 41.0, .9), ("e", 46.0, .9),
             ("保", 56.0, .9), ("存", 65.0, .9))
    words = split_words(chars, ink, (0, 0))
    assert words is not None
    assert words.text == "User name保存"
    assert [p for p, _ in words.parts] == ["User", "name", "保", "存"]
    assert dict(words.parts)["保"].x1 <= dict(words.parts)["存"].x0 + 1


def test_split_words_drops_a_radio_ring_read_as_o() -> None:
    ink = np.zeros((18, 60), bool)
    ink[0:18, 0:17] = True   # the ring: taller than the label
    ink[4:15, 24:58] = True  # "Light"
    chars = (("O", 8.0, .9), (" ", 20.0, .9), ("L", 26.0, .9), ("i", 32.0, .9), ("g", 40.0, .9),
             ("h", 48.0, .9), ("t", 55.0, .9))
    words = split_words(chars, ink, (0, 0))
    assert words is not None and words.text == "Light"
    assert words.box.x0 >= 24


@pytest.mark.parametrize(("shape", "expected"), [("minus", "-"), ("equals", "="), ("divide", "÷"),
                                                 ("one", None), ("box", None)])
def test_operator_symbol(shape: str, expected: str | None) -> None:
    ink = np.zeros((20, 20), bool)
    if shape == "minus":
        ink[9:11, 3:17] = True
    elif shape == "equals":
        ink[6:8, 3:17] = True
        ink[12:14, 3:17] = True
    elif shape == "divide":
        ink[9:11, 3:17] = True
        ink[3:6, 8:11] = True
        ink[14:17, 8:11] = True
    elif shape == "one":
        ink[2:18, 9:11] = True
    else:
        ink[2:18, 2:18] = True
        ink[4:16, 4:16] = False
    assert operator_symbol(ink) == expected


def test_refine_splits_at_wide_gaps_and_keeps_word_spaces() -> None:
    img = np.full((40, 300, 3), 255, np.uint8)
    glyph_h = 12
    for x0, x1 in [(10, 50), (56, 80),   # "Remember me": a word space of 6 px
                   (140, 180)]:          # a separate control 60 px away
        img[14:14 + glyph_h, x0:x1] = 0
    regions = refine(img, (0, 0, 300, 40), (20, 16, 170, 24))
    assert sorted((r.x0, r.x1) for r in regions) == [(10, 80), (140, 180)]
    assert all((r.y0, r.y1) == (14, 26) for r in regions)


def test_refine_ignores_a_frame_around_the_text() -> None:
    img = np.full((40, 200, 3), 255, np.uint8)
    img[4:36, 20] = img[4:36, 180] = 0       # field sides
    img[4, 20:181] = img[35, 20:181] = 0    # field top and bottom
    img[15:25, 28:90] = 40                   # the text in the field
    regions = refine(img, (10, 0, 190, 40), (40, 17, 80, 23))
    assert [(r.x0, r.y0, r.x1, r.y1) for r in regions] == [(28, 15, 90, 25)]


def test_refine_splits_a_line_at_separators_crossing_it() -> None:
    # A Tk notebook ("alt" theme) captured under Xvfb: the detector's blob runs
    # over all three tabs, whose dividers cross it from the bar's top to its
    # bottom (one stepping a column sideways at a rounded corner).
    img = np.asarray(Image.open(FIXTURES / "tk_alt_tabs.png").convert("RGB"))
    regions = refine(img, (9, 7, 240, 49), (24, 21, 226, 35))
    assert [(r.x0, r.x1) for r in regions] == [(20, 75), (90, 150), (164, 225)]
    assert all(r.y1 - r.y0 <= 14 for r in regions)  # the text's rows, not the tabs'


def test_refine_splits_a_line_where_a_popup_covers_the_page() -> None:
    # A menu (flat grey, no border line of its own) opened over a white page:
    # the page's words end 6 px before the menu item's begin.
    img = np.full((40, 260, 3), 255, np.uint8)
    img[:, 100:] = 236
    for x in range(20, 94, 4):
        img[15:25, x:x + 2] = 30             # "(main" on the page, cut by the menu
    for x in range(104, 200, 4):
        img[15:25, x:x + 2] = 30             # "Configure" in the menu
    img[33, 100:] = 142                      # the item's frame below it
    regions = refine(img, (0, 0, 260, 40), (25, 16, 195, 24))
    assert [(r.x0, r.x1) for r in regions] == [(20, 94), (104, 198)]


def test_refine_splits_a_menu_from_the_list_it_covers() -> None:
    # gucharmap's View menu over its script list: the menu's edge is a line too light to be ink
    # between two whites ("Scri" | "Show only glyphs..."), and a row lower the list's selected
    # row, solid blue with "Latin" in white, meets the white menu with nothing between.
    img = np.asarray(Image.open(FIXTURES / "gtk_menu_over_list.png").convert("RGB"))
    assert [(r.x0, r.x1) for r in refine(img, (31, 8, 292, 58), (48, 25, 276, 41))] == [(45, 275)]
    assert [(r.x0, r.x1) for r in refine(img, (0, 27, 53, 76), (7, 44, 36, 59))] == [(2, 38)]
    assert [(r.x0, r.x1) for r in refine(img, (35, 32, 285, 82), (52, 49, 268, 65))] == [(45, 267)]


def test_refine_does_not_split_a_checkbox_from_its_label_at_its_white_inside() -> None:
    # Qt's Windows style at 1.5x: the box's white inside ends in a flat column
    # beside the grey window, like a popup's edge, but the box is one mark, not
    # words; split off, OCR read it as "R".
    img = np.asarray(Image.open(FIXTURES / "qt_windows_checkbox.png").convert("RGB"))
    regions = refine(img, (0, 0, 220, 42), (14, 14, 204, 28))
    assert [(r.x0, r.x1) for r in regions] == [(13, 205)]


def test_refine_keeps_a_line_whole_over_a_shaded_photo() -> None:
    # A photo behind a line changes from column to column by more than a
    # popup's edge, but is never flat on both sides of a gap: the words stay one line.
    ys, xs = np.mgrid[0:40, 0:260]
    img = np.repeat((185 + 25 * ((xs // 3) % 2) + 8 * (ys % 3)).astype(np.uint8)[:, :, None], 3, axis=2)
    for x in list(range(20, 94, 4)) + list(range(104, 200, 4)):
        img[15:25, x:x + 2] = 0
    regions = refine(img, (0, 0, 260, 40), (25, 16, 195, 24))
    assert [(r.x0, r.x1) for r in regions] == [(20, 198)]


def test_refine_splits_tabs_whose_dividers_end_just_below_the_text() -> None:
    # IDLE's Settings dialog (ttk "default" theme): six tabs, the detector's
    # blob over all of them reaching to a row above the tabs' bottom edge.
    img = np.asarray(Image.open(FIXTURES / "tk_default_tabs.png").convert("RGB"))
    regions = refine(img, (9, 7, 472, 56), (25, 23, 456, 39))
    assert [(r.x0, r.x1) for r in regions] == [(28, 65), (82, 151), (168, 200), (220, 283), (304, 360), (378, 453)]


def test_refine_leaves_out_a_bar_under_a_highlighted_title() -> None:
    # GTK 3 marks the open menu's title with a bar a few rows under it; an underscore, one
    # letter wide, stays with its word.
    img = np.full((50, 300, 3), 250, np.uint8)
    for x in range(40, 120, 5):
        img[15:26, x:x + 3] = 30          # "Action"
    img[31:34, 36:124] = 60               # the highlight's bar
    for x in range(160, 240, 5):
        img[15:26, x:x + 3] = 30          # "file_name"
    img[28:30, 190:198] = 30              # its underscore
    bar, word = refine(img, (20, 0, 140, 50), (42, 16, 118, 34)), refine(img, (140, 0, 260, 50), (162, 16, 238, 31))
    assert [(r.y0, r.y1) for r in bar] == [(15, 26)]
    assert [(r.y0, r.y1) for r in word] == [(15, 30)]


def test_refine_splits_an_outlined_icon_from_its_label_not_at_its_sides() -> None:
    # A toolbar's "[□] Print": the square's sides run past the label's rows like separators,
    # but joined along the top they are one box, split off whole as an end icon.
    img = np.full((38, 120, 3), 235, np.uint8)
    img[6:23, 20] = img[6:23, 36] = 128
    img[6, 20:37] = img[22, 20:37] = 128
    for x in range(43, 70, 4):
        img[11:20, x:x + 2] = 60
    regions = refine(img, (0, 0, 89, 38), (14, 13, 76, 25))
    assert [(r.x0, r.x1) for r in regions] == [(20, 37), (43, 69)]


def test_refine_does_not_take_tall_letters_for_separators() -> None:
    # "lH|" stems: an ascender reaches up, a descender down, a bar both ways
    # but only as far as the text's own height; none is a separator.
    img = np.full((40, 200, 3), 250, np.uint8)
    img[18:26, 20:120] = 30                 # x-height letters, one word
    img[12:26, 40:42] = 30                  # an ascender
    img[18:31, 70:72] = 30                  # a descender
    img[12:31, 95:97] = 30                  # a bar from ascender to descender height
    regions = refine(img, (0, 0, 200, 40), (25, 19, 115, 25))
    assert [(r.x0, r.x1) for r in regions] == [(20, 120)]


def test_ctc_runs_end_where_the_label_changes() -> None:
    from desktop.grounding._ocr_models import _run_ends

    assert _run_ends(np.array([5, 5, 5]), np.array([0])).tolist() == [2]  # one label throughout
    assert _run_ends(np.array([0, 5, 5, 0, 7]), np.array([1, 4])).tolist() == [2, 4]


@pytest.mark.slow
def test_photo_like_screens_do_not_fail(source: OcrSource) -> None:
    rng = np.random.default_rng(0)
    img = np.zeros((540, 960, 3), np.uint8)
    for _ in range(150):
        colour = tuple(int(v) for v in rng.integers(0, 256, 3))
        centre = (int(rng.integers(0, 960)), int(rng.integers(0, 540)))
        cv2.circle(img, centre, int(rng.integers(5, 60)), colour, -1)
    noise = rng.integers(0, 256, (200, 300, 3), dtype=np.uint8)
    img[0:200, 0:300] = noise
    cands = source.read(img)
    assert all(c.score >= 0.5 for c in cands) and len(cands) < 10


# --- the model files ---------------------------------------------------------------------------


def test_model_dir_holds_the_bundled_models() -> None:
    folder = rapidocr_model_dir()
    assert (folder / _ocr_models.DET_FILE).is_file()
    assert (folder / _ocr_models.REC_FILE).is_file()


def test_missing_model_files_raise_model_missing_with_a_hint(monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(_ocr_models, "rapidocr_model_dir", lambda: tmp_path)
    src = OcrSource()
    assert not src.available()
    with pytest.raises(ModelMissing) as err:
        src.candidates(Screen(np.zeros((64, 64, 3), np.uint8)), REQUEST)
    assert "rapidocr" in err.value.hint


def test_backend_failure_is_reported_as_backend_failed(monkeypatch) -> None:
    class Broken:
        def load(self) -> None:
            pass

        def detect(self, image):
            raise RuntimeError("onnxruntime exploded")

    src = OcrSource()
    monkeypatch.setattr(src, "_models", Broken())
    img = np.full((64, 64, 3), 200, np.uint8)
    img[20:30, 10:50:4] = 0  # something for the detector to look at
    with pytest.raises(BackendFailed) as err:
        src.candidates(Screen(img), REQUEST)
    assert "exploded" in err.value.hint


def test_implements_the_candidate_source_protocol() -> None:
    src = OcrSource()
    assert isinstance(src, CandidateSource)
    assert src.name == "ocr"


# --- real models on rendered screens -----------------------------------------------------------


@pytest.mark.slow
def test_word_boxes_line_up_with_the_words_in_a_toolbar_line(source: OcrSource) -> None:
    c = Canvas(700, 60)
    line = "Open Save Print Export"
    c.text((20, 20), line, 15)
    cands = source.candidates(c.screen(), REQUEST)
    assert len(_find(cands, line)) == 1
    for word in line.split():
        parts = _part(cands, word)
        assert len(parts) == 1, (word, cands)
        truth = c.word_box((20, 20), line, word, 15)
        assert parts[0][1].iou(truth) > 0.6, (word, parts[0][1], truth)
        assert truth.contains(*parts[0][1].center)


@pytest.mark.slow
def test_separate_buttons_stay_separate_lines_and_labels_stay_whole(source: OcrSource) -> None:
    c = Canvas(700, 120)
    for x, label in [(20, "OK"), (90, "Cancel"), (190, "Apply")]:
        c.button((x, 20, x + 80, 50), fill=(235, 235, 235), outline=(150, 150, 150))
        c.text((x + 12, 27), label, 15)
    c.draw.rectangle((20, 80, 36, 96), outline=(40, 40, 40), width=2)  # a check box
    c.text((44, 79), "Remember me", 15)
    send = c.text((300, 79), "Send", 15)
    c.text((int(send.x1) + 22, 79), "Reply", 15)  # two glyph heights away: another control
    cands = source.candidates(c.screen(), REQUEST)
    texts = sorted(cand.text for cand in cands)
    for label in ["OK", "Cancel", "Apply", "Remember me", "Send", "Reply"]:
        assert label in texts, texts
    assert not _find(cands, "OKCancel") and not _find(cands, "SendReply")


def test_tabs_of_one_bar_are_read_as_separate_labels(source: OcrSource) -> None:
    # A Tk-style notebook: tabs a few pixels apart, each framed by a divider
    # line, with the detector's blob running over all of them.
    c = Canvas(420, 80, bg=(216, 216, 216))
    x = 12
    for label in ["General", "Shipping", "Payment"]:
        w = int(_font(15).getlength(label)) + 24
        c.draw.rectangle((x, 14, x + w, 50), fill=(195, 195, 195), outline=(130, 130, 130))
        c.text((x + 12, 22), label, 15)
        x += w + 2
    texts = [cand.text for cand in source.candidates(c.screen(), REQUEST)]
    assert {"General", "Shipping", "Payment"} <= set(texts), texts


@pytest.mark.slow
def test_menu_mnemonic_underlines_do_not_change_the_letters(source: OcrSource) -> None:
    # IDLE's menu bar (Tk draws every mnemonic): the underlined O of "Options" was read "Q".
    img = np.asarray(Image.open(FIXTURES / "tk_menubar_mnemonics.png").convert("RGB")).copy()
    words = " ".join(c.text for c in source.read(img)).split()
    assert words == ["File", "Edit", "Shell", "Debug", "Options", "Window", "Help"]


@pytest.mark.slow
@pytest.mark.parametrize(("bg", "fg"), [((30, 30, 33), (225, 225, 225)),   # dark mode
                                        ((8, 8, 10), (120, 120, 125)),     # very dark, dim text
                                        ((40, 110, 220), (255, 255, 255))])  # white on blue
def test_reads_light_text_on_dark_and_coloured_backgrounds(source: OcrSource, bg, fg) -> None:
    c = Canvas(600, 80, bg=bg)
    truth = c.text((30, 25), "Download report", 16, fill=fg)
    cands = source.candidates(c.screen(), REQUEST)
    found = _find(cands, "Download report")
    assert found and found[0].box.iou(truth) > 0.6, cands


@pytest.mark.slow
def test_reads_9pt_and_large_text(source: OcrSource) -> None:
    c = Canvas(900, 200)
    small = c.text((20, 20), "Modified yesterday", 12)    # 9 pt at 96 dpi
    tiny = c.text((300, 20), "12 items selected", 11)
    large = c.text((20, 80), "Welcome back", 56)
    cands = source.candidates(c.screen(), REQUEST)
    for text, truth in [("Modified yesterday", small), ("12 items selected", tiny), ("Welcome back", large)]:
        found = _find(cands, text)
        assert found and found[0].box.iou(truth) > 0.5, (text, cands)


@pytest.mark.slow
def test_reads_chinese_with_one_part_per_character(source: OcrSource) -> None:
    c = Canvas(600, 80)
    c.text((20, 20), "保存更改", 18, cjk=True)
    c.text((200, 20), "设置 Settings", 18, cjk=True)
    cands = source.candidates(c.screen(), REQUEST)
    line = _find(cands, "保存更改")
    assert line, cands
    assert [p for p, _ in line[0].parts] == ["保", "存", "更", "改"]
    xs = [b.center[0] for _, b in line[0].parts]
    assert xs == sorted(xs)
    truth = c.word_box((20, 20), "保存更改", "存", 18, cjk=True)
    assert truth.contains(*dict(line[0].parts)["存"].center)
    assert _part(cands, "Settings") and _part(cands, "设")


@pytest.mark.slow
def test_reads_isolated_calculator_keys(source: OcrSource) -> None:
    c = Canvas(520, 120, bg=(250, 250, 250))
    keys = ["7", "+", "%", "X", "−", "=", "÷"]
    truths = {}
    for i, key in enumerate(keys):
        x = 10 + i * 72
        c.button((x, 20, x + 64, 84), fill=(225, 228, 235))
        f = _font(26)
        b = c.draw.textbbox((0, 0), key, font=f)
        truths[key] = c.text((x + 32 - (b[0] + b[2]) // 2, 52 - (b[1] + b[3]) // 2), key, 26)
    cands = source.candidates(c.screen(), REQUEST)
    for key in keys:
        want = "-" if key == "−" else key.casefold()
        hits = [cand for cand in cands
                if cand.text.casefold() == want and truths[key].expand(2).contains(*cand.box.center)]
        assert hits, (key, [(cand.text, cand.box) for cand in cands])


@pytest.mark.slow
@pytest.mark.parametrize("shape", [(1, 1), (3, 50), (50, 3), (8, 8), (2160, 3840)])
def test_any_image_size_is_handled(source: OcrSource, shape) -> None:
    img = np.full((*shape, 3), 240, np.uint8)
    assert source.candidates(Screen(img), REQUEST) == []


@pytest.mark.slow
def test_4k_screen_with_text(source: OcrSource) -> None:
    c = Canvas(3840, 2160)
    truth = c.text((3000, 1900), "Sign out", 28)
    cands = source.candidates(c.screen(), REQUEST)
    found = _find(cands, "Sign out")
    assert found and found[0].box.iou(truth) > 0.5


@pytest.mark.slow
def test_candidates_are_well_formed(source: OcrSource) -> None:
    c = Canvas(600, 120)
    c.text((20, 20), "Enable two-factor authentication", 15)
    c.text((20, 60), "Signed in from Firefox on Linux", 14)
    cands = source.candidates(c.screen(), REQUEST)
    assert len(cands) == 2
    assert [cand.text for cand in cands][0].startswith("Enable")  # reading order
    for cand in cands:
        assert cand.role == "text" and cand.source == "ocr"
        assert 0.5 <= cand.score <= 1.0
        assert cand.parts and " ".join(p for p, _ in cand.parts) == cand.text
        for _, box in cand.parts:
            assert box.overlap_of_smaller(cand.box) == 1.0


@pytest.mark.slow
def test_same_screen_is_answered_from_the_cache(source: OcrSource) -> None:
    c = Canvas(600, 80)
    c.text((20, 20), "Cached screen", 16)
    screen = c.screen()
    first = source.candidates(screen, REQUEST)
    times = []
    for _ in range(5):
        t = time.perf_counter()
        again = source.candidates(Screen(screen.image.copy(), digest=screen.digest), REQUEST)
        times.append(time.perf_counter() - t)
    assert again == first
    assert min(times) < 0.005


def test_cache_size_zero_recomputes(monkeypatch) -> None:
    calls = []
    src = OcrSource(cache_size=0)
    monkeypatch.setattr(src, "read", lambda image: calls.append(1) or [])
    screen = Screen(np.zeros((20, 20, 3), np.uint8))
    src.candidates(screen, REQUEST)
    src.candidates(screen, REQUEST)
    assert len(calls) == 2


def test_screen_cache_is_lru_by_digest(monkeypatch) -> None:
    calls: list[int] = []
    src = OcrSource(cache_size=2)
    monkeypatch.setattr(src, "read", lambda image: calls.append(int(image[0, 0, 0])) or [])
    screens = [Screen(np.full((8, 8, 3), v, np.uint8)) for v in (1, 2, 3)]
    for s in [screens[0], screens[1], screens[0], screens[2], screens[0], screens[1]]:
        src.candidates(s, REQUEST)
    assert calls == [1, 2, 3, 2]  # 1 stays (recently used); 2 was evicted by 3


@pytest.mark.slow
def test_changed_lines_only_are_read_again(source: OcrSource, monkeypatch) -> None:
    c = Canvas(600, 120)
    c.text((20, 20), "Unchanged line of text", 16)
    c.text((20, 70), "Status: idle", 14)
    source.candidates(c.screen(), REQUEST)
    c.draw.rectangle((0, 60, 600, 120), fill=(250, 250, 250))
    c.text((20, 70), "Status: busy", 14)
    seen: list[int] = []
    real = source._models.recognize
    monkeypatch.setattr(source._models, "recognize", lambda crops: seen.append(len(crops)) or real(crops))
    cands = source.candidates(c.screen(), REQUEST)
    assert _find(cands, "Status: busy") and _find(cands, "Unchanged line of text")
    assert seen == [1]


@pytest.mark.slow
def test_concurrent_calls_agree_with_sequential_ones(source: OcrSource) -> None:
    screens = []
    for i in range(3):
        c = Canvas(500, 60)
        c.text((20, 20), f"Thread number {i}", 16)
        screens.append(c.screen())
    expected = [OcrSource(threads=1).read(s.image) for s in screens]
    fresh = OcrSource(threads=1)
    results: dict[int, list] = {}
    threads = [threading.Thread(target=lambda i=i: results.__setitem__(i, fresh.candidates(screens[i], REQUEST)))
               for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert [results[i] for i in range(3)] == expected
    assert [ocr._reading_order(r) for r in expected] == expected
