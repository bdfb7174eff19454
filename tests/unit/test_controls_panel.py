"""Desktop panels (taskbars) found from pixels and OCR lines, on synthetic screens drawn with OpenCV.

OCR is replaced by text candidates with word boxes where the words are
drawn; the pixels are real drawings, so a strip that is not flat, not at the
edge or not full width really is rejected by the detector.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from desktop.core.results import Candidate
from desktop.grounding.controls import detect_controls
from tests.unit._drawn_text import write as _write





def _desktop(panel: tuple[int, int, int], top: bool, entries: list[str], *, full_width: bool = True,
             border: bool = False) -> tuple[np.ndarray, list[Candidate]]:
    """A wallpaper gradient, a window titled "Mail" and a panel strip holding ``entries`` at one edge."""
    h, w, strip = 720, 1280, 40
    ramp = np.linspace(60, 200, w, dtype=np.float32)
    img = np.dstack([np.tile(ramp, (h, 1)), np.tile(ramp[::-1], (h, 1)), np.full((h, w), 150, np.float32)])
    img = img.astype(np.uint8)
    texts = []
    cv2.rectangle(img, (300, 150), (900, 500), (240, 240, 240), -1)  # the window
    cv2.rectangle(img, (300, 150), (900, 180), (215, 215, 215), -1)  # its title bar
    cv2.rectangle(img, (300, 150), (900, 500), (60, 60, 60), 1)
    texts.append(_write(img, "Mail", 580, 172, (0, 0, 0)))
    y0 = 0 if top else h - strip
    x_end = w if full_width else w - 200
    cv2.rectangle(img, (0, y0), (x_end - 1, y0 + strip - 1), panel, -1)
    if border:
        y = y0 + strip if top else y0 - 1
        cv2.line(img, (0, y), (w - 1, y), (80, 80, 80), 1)
    ink = (240, 240, 240) if sum(panel) < 384 else (20, 20, 20)
    x = 16
    for name in entries:
        if ":" in name:
            x = x_end - 80
        texts.append(_write(img, name, x, y0 + 26, ink))
        x = int(texts[-1].box.x1) + 48
    return img, texts


def _buttons(found: list[Candidate], text: str) -> list[Candidate]:
    return [c for c in found if c.role == "button" and c.text == text]


@pytest.mark.parametrize("panel,top", [((27, 27, 31), False), ((235, 235, 238), False), ((0, 0, 0), True),
                                       ((60, 64, 120), False)])
def test_every_entry_of_a_panel_with_a_clock_is_a_button(panel, top):
    img, texts = _desktop(panel, top, ["Menu", "Mail", "Export report", "17:01"])
    found = detect_controls(img, texts)
    for name in ["Menu", "Mail", "Export report", "17:01"]:
        (button,) = _buttons(found, name)
        word = [t for t in texts if t.text == name][-1]  # the panel's, drawn after the title
        assert button.box.contains(*word.box.center)
        assert button.box.height >= 30  # the strip's height, not the word's
    # The window's title is not a button.
    assert len([c for c in found if c.text == "Mail"]) == 1


def test_a_panel_with_a_border_line_over_a_wallpaper_of_its_own_colour_is_found():
    img, texts = _desktop((128, 128, 128), False, ["Start", "Mail", "9:17"], border=True)
    img[:679] = (128, 128, 128)  # a flat wallpaper: only the line tells the strip from it
    found = detect_controls(img, texts)
    assert _buttons(found, "Mail") and _buttons(found, "Start")


def test_a_navigation_bar_without_a_clock_is_not_a_panel():
    # A web page's navigation bar is a flat strip at the top holding separate words, but no clock.
    img, texts = _desktop((33, 37, 41), True, ["Northwind", "Products", "Pricing", "About"])
    assert not [c for c in detect_controls(img, texts) if c.role == "button"]


def test_a_strip_short_of_the_width_is_not_a_panel():
    img, texts = _desktop((27, 27, 31), False, ["Menu", "Mail", "17:01"], full_width=False)
    assert not [c for c in detect_controls(img, texts) if c.role == "button"]


def test_a_window_title_bar_with_one_title_is_not_a_panel():
    # A window-only screenshot: the title bar runs edge to edge at the top, with one title.
    img = np.full((400, 700, 3), 240, np.uint8)
    img[:34] = (215, 215, 215)
    texts = [_write(img, "Mail", 320, 24, (0, 0, 0))]
    assert not [c for c in detect_controls(img, texts) if c.role == "button"]
