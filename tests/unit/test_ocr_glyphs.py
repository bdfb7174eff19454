"""Lone key glyphs ("." "±" "√") named from their shape, on glyphs drawn with real fonts.

The shape rules are tested on rendered glyphs in two font families and
several sizes; the OCR source and the controls source are run on rendered
calculator keypads, light and dark, and on text where the same shapes are
not keys (a full stop, a ticked checkbox), which must stay unnamed.
"""

from __future__ import annotations

import subprocess
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from desktop.core.geometry import Box
from desktop.core.intent import Intent
from desktop.core.sources import Screen, SourceRequest
from desktop.grounding._ocr_glyphs import lone_symbol, operator_symbol
from desktop.grounding.controls import detect_controls
from desktop.grounding.ocr import OcrSource

REQUEST = SourceRequest(intent=Intent(text="press the decimal point key", steps=()))
FAMILIES = ("DejaVu Sans", "Liberation Sans")


@lru_cache(maxsize=None)
def _font_file(family: str) -> str:
    try:
        out = subprocess.run(["fc-match", "-f", "%{file}", family], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        out = None
    path = out.stdout.strip() if out else ""
    if not path or not Path(path).is_file() or family.split()[0] not in path.replace("-", " "):
        pytest.skip(f"needs the {family} font")
    return path


def _glyph_ink(glyph: str, family: str, size: int) -> np.ndarray:
    """The glyph drawn black on white, thresholded and cropped to its ink."""
    font = ImageFont.truetype(_font_file(family), size)
    img = Image.new("L", (4 * size, 4 * size), 255)
    ImageDraw.Draw(img).text((size, size), glyph, font=font, fill=0)
    ink = np.asarray(img) < 170  # the OCR's ink: 0.35 of the contrast or more
    ys, xs = np.nonzero(ink)
    return ink[ys.min():ys.max() + 1, xs.min():xs.max() + 1]


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("size", [13, 16, 20, 26, 34])
def test_radical_and_plus_minus_are_named_in_any_size(family: str, size: int) -> None:
    assert lone_symbol(_glyph_ink("√", family, size)) == "√"
    pm = _glyph_ink("±", family, size)
    assert operator_symbol(np.pad(pm, 3)) == "±"


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("size", [13, 20, 34])
@pytest.mark.parametrize("glyph", ["v", "V", "<", ">", "/", "+", "J", "L", "r", "y", "7", "1", "x", "%"])
def test_look_alikes_are_not_a_radical(family: str, size: int, glyph: str) -> None:
    assert lone_symbol(_glyph_ink(glyph, family, size)) is None


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("glyph", ["+", "÷", "=", "t", "‡", "4", "1", "I", "T"])
def test_look_alikes_are_not_plus_minus(family: str, glyph: str) -> None:
    assert operator_symbol(np.pad(_glyph_ink(glyph, family, 20), 3)) != "±"


def test_a_dot_is_small_and_solid() -> None:
    assert lone_symbol(np.ones((3, 3), bool)) == "."
    assert lone_symbol(np.ones((12, 12), bool)) is None     # a bullet or a status light
    ring = np.ones((7, 7), bool)
    ring[2:5, 2:5] = False
    assert lone_symbol(ring) is None                        # a small "o" or a degree sign


# --- the OCR and controls sources on rendered keypads ------------------------------------------


@pytest.fixture(scope="module")
def source() -> OcrSource:
    src = OcrSource()
    if not src.available():
        pytest.skip("rapidocr-onnxruntime models are not installed")
    return src


KEYS = ["7", ".", "±", "√", "0"]


def draw_keypad(keys: list[str], size: int, dark: bool, family: str, *, key_width: float = 5.0,
                display: str = "") -> tuple[Screen, dict[str, Box]]:
    """One row of calculator keys drawn as framed buttons (and a big unframed ``display`` above), and each key's frame."""
    bg, face, edge, ink = ((45, 45, 45), (80, 80, 80), (20, 20, 20), (235, 235, 235)) if dark \
        else ((240, 240, 240), (225, 225, 225), (150, 150, 150), (20, 20, 20))
    kw, kh = int(key_width * size), int(2.6 * size)
    top = 4 * size if display else 0
    img = Image.new("RGB", (len(keys) * (kw + 8) + 40, kh + top + 60), bg)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(_font_file(family), size)
    if display:
        big = ImageFont.truetype(_font_file(family), 2 * size)
        draw.text((img.width - 3 * size, 20), display, font=big, fill=ink)
    frames = {}
    for i, key in enumerate(keys):
        x0, y0 = 20 + i * (kw + 8), top + 30
        draw.rectangle((x0, y0, x0 + kw, y0 + kh), fill=face, outline=edge)
        # Centred on the key as a toolkit draws a label: by its line box, so "." sits low.
        tw = draw.textlength(key, font=font)
        asc, desc = font.getmetrics()
        draw.text((x0 + (kw - tw) / 2, y0 + (kh - asc - desc) / 2), key, font=font, fill=ink)
        frames[key] = Box(x0, y0, x0 + kw + 1, y0 + kh + 1)
    return Screen(np.asarray(img, dtype=np.uint8).copy()), frames


@pytest.mark.slow
@pytest.mark.parametrize(("size", "dark", "family"), [(13, False, "DejaVu Sans"), (20, True, "DejaVu Sans"),
                                                      (16, True, "Liberation Sans"),
                                                      (28, False, "Liberation Sans")])
def test_key_glyphs_are_read_and_label_their_buttons(source: OcrSource, size: int, dark: bool,
                                                     family: str) -> None:
    screen, frames = draw_keypad(KEYS, size, dark, family)
    texts = source.candidates(screen, REQUEST)
    for key in (".", "±", "√"):
        hits = [c for c in texts if c.text == key and frames[key].contains(*c.box.center)]
        assert hits, (key, [(c.text, c.box) for c in texts])
    buttons = {c.text: c.box for c in detect_controls(screen.image, texts) if c.role == "button"}
    for key in (".", "±", "√"):
        assert key in buttons and buttons[key].iou(frames[key]) > 0.8, (key, buttons)


@pytest.mark.slow
def test_full_stops_and_ticks_in_text_stay_unnamed(source: OcrSource) -> None:
    img = Image.new("RGB", (640, 140), (250, 250, 250))
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(_font_file("DejaVu Sans"), 16)
    draw.text((20, 20), "Saved. Done.", font=font, fill=(20, 20, 20))
    draw.rectangle((20, 70, 36, 86), outline=(90, 90, 90), fill=(255, 255, 255))
    draw.text((22, 68), "√", font=font, fill=(20, 20, 20))     # a tick drawn in a checkbox
    draw.text((46, 68), "Remember me", font=font, fill=(20, 20, 20))
    texts = source.candidates(Screen(np.asarray(img, dtype=np.uint8).copy()), REQUEST)
    assert not [c for c in texts if c.text in (".", "√")], [(c.text, c.box) for c in texts]
