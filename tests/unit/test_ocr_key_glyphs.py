"""Lone keypad glyphs ("/", "*", "(", ")", "0") named from their shape, on glyphs drawn with real fonts.

The recogniser reads these alone on a key unsurely (galculator: "/" as "I"
at 0.36, "*" at 0.43, ")" at 0.71, the "0" key as "o"), so they were lost
and their keys left unlabelled. The same glyphs inside text ("/usr/bin",
"required*", "(see above)") must stay part of their words.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from desktop.core.geometry import Box
from desktop.core.sources import Screen
from desktop.core.textmatch import match_text, tokenize
from desktop.grounding._ocr_glyphs import key_glyph
from desktop.grounding.controls import detect_controls
from desktop.grounding.ocr import OcrSource
from tests.unit.test_ocr_glyphs import FAMILIES, REQUEST, _font_file, _glyph_ink, draw_keypad

SIZES = [13, 16, 20, 34]


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(("glyph", "read"), [("/", "I"), ("/", "/"), ("(", "("), (")", "("), (")", ")"),
                                             ("0", "o"), ("0", "0"), ("*", "*")])
def test_key_glyphs_are_named_from_their_shape(family: str, size: int, glyph: str, read: str) -> None:
    assert key_glyph(_glyph_ink(glyph, family, size), read) == glyph


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("glyph", list("Il1|\\7zfyxvVJjrtiLT<>[]{}bdpqQ8Bae6943&@%#+=-"))
def test_look_alikes_are_not_key_glyphs(family: str, size: int, glyph: str) -> None:
    ink = _glyph_ink(glyph, family, size)
    assert key_glyph(ink, "") is None
    assert key_glyph(ink, glyph) is None
    assert key_glyph(ink, "0") is None


def test_a_lone_separator_is_a_word_of_its_own() -> None:
    assert tokenize("/") == ("/",)
    box = Box(0, 0, 6, 12)
    assert match_text("/", "/", box) is not None
    assert tokenize("a/b") == ("a", "b")


# --- the OCR and controls sources on a rendered keypad, and the same glyphs in text -------------


@pytest.fixture(scope="module")
def source() -> OcrSource:
    src = OcrSource()
    if not src.available():
        pytest.skip("rapidocr-onnxruntime models are not installed")
    return src


KEYS = ["(", ")", "/", "*", "0", "7"]


@pytest.mark.slow
@pytest.mark.parametrize(("size", "dark", "family"), [(13, False, "DejaVu Sans"), (16, True, "DejaVu Sans"),
                                                      (20, True, "Liberation Sans"),
                                                      (13, False, "Liberation Sans")])
def test_keypad_keys_are_labelled(source: OcrSource, size: int, dark: bool, family: str) -> None:
    # A display showing a big "0" above the keys: the key, not the display, is "the 0 button".
    screen, frames = draw_keypad(KEYS, size, dark, family, key_width=4.5, display="0")
    texts = source.candidates(screen, REQUEST)
    buttons = {c.text: c.box for c in detect_controls(screen.image, texts) if c.role == "button"}
    for key in KEYS:
        assert key in buttons and buttons[key].iou(frames[key]) > 0.8, (key, buttons, [(c.text, c.box) for c in texts])


@pytest.mark.slow
def test_the_same_glyphs_in_text_stay_in_their_words(source: OcrSource) -> None:
    img = Image.new("RGB", (720, 160), (250, 250, 250))
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(_font_file("DejaVu Sans"), 16)
    draw.text((20, 20), "Open /usr/bin/env now", font=font, fill=(20, 20, 20))
    draw.text((20, 60), "Name required*", font=font, fill=(20, 20, 20))
    draw.text((20, 100), "Saved (see above) here", font=font, fill=(20, 20, 20))
    texts = source.candidates(Screen(np.asarray(img, dtype=np.uint8).copy()), REQUEST)
    assert not [c for c in texts if c.text in KEYS], [(c.text, c.box) for c in texts]
