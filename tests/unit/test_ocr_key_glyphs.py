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
from tests.unit.test_ocr_glyphs import FAMILIES, REQUEST, _font_file, _glyph_ink

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


def _keypad(size: int, dark: bool, family: str) -> tuple[Screen, dict[str, Box]]:
    """A row of framed keys, a display showing a big "0", and each key's frame."""
    bg, face, edge, ink = ((45, 45, 45), (80, 80, 80), (20, 20, 20), (235, 235, 235)) if dark \
        else ((240, 240, 240), (225, 225, 225), (150, 150, 150), (20, 20, 20))
    kw, kh = int(4.5 * size), int(2.6 * size)
    img = Image.new("RGB", (len(KEYS) * (kw + 8) + 40, kh + 4 * size + 60), bg)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(_font_file(family), size)
    big = ImageFont.truetype(_font_file(family), 2 * size)
    draw.text((img.width - 3 * size, 20), "0", font=big, fill=ink)  # the display, no frame
    frames = {}
    for i, key in enumerate(KEYS):
        x0, y0 = 20 + i * (kw + 8), 4 * size + 30
        draw.rectangle((x0, y0, x0 + kw, y0 + kh), fill=face, outline=edge)
        tw = draw.textlength(key, font=font)
        asc, desc = font.getmetrics()
        draw.text((x0 + (kw - tw) / 2, y0 + (kh - asc - desc) / 2), key, font=font, fill=ink)
        frames[key] = Box(x0, y0, x0 + kw + 1, y0 + kh + 1)
    return Screen(np.asarray(img, dtype=np.uint8).copy()), frames


@pytest.mark.slow
@pytest.mark.parametrize(("size", "dark", "family"), [(13, False, "DejaVu Sans"), (16, True, "DejaVu Sans"),
                                                      (20, True, "Liberation Sans"),
                                                      (13, False, "Liberation Sans")])
def test_keypad_keys_are_labelled(source: OcrSource, size: int, dark: bool, family: str) -> None:
    screen, frames = _keypad(size, dark, family)
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
