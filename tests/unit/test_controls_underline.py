"""Material-style tab bars (the selected tab marked only by a coloured bar under it), drawn with OpenCV.

OCR is replaced by text candidates with word boxes where the words are
drawn; the pixels are real drawings. "Click the third tab" and "click every
tab" go through the real parser and resolver.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from desktop.core.calibration import Calibrator
from desktop.core.geometry import Box
from desktop.core.parser import parse_instruction
from desktop.core.relations import reading_order
from desktop.core.resolve import resolve
from desktop.core.results import Candidate
from desktop.grounding.controls import detect_controls

_FONT = cv2.FONT_HERSHEY_SIMPLEX
_NAMES = ["Overview", "Reports", "Alerts", "Billing", "Team", "Activity"]
_LIGHT = {"bg": (255, 255, 255), "plain": (95, 99, 104), "divider": (224, 224, 224)}
_DARK = {"bg": (32, 33, 36), "plain": (170, 174, 180), "divider": (60, 64, 67)}


def _write(img: np.ndarray, text: str, x: int, baseline: int, colour: tuple[int, int, int],
           scale: float) -> Candidate:
    (w, h), _ = cv2.getTextSize(text, _FONT, scale, 1)
    cv2.putText(img, text, (x, baseline), _FONT, scale, colour, 1, cv2.LINE_AA)
    box = Box(x, baseline - h, x + w, baseline + 2)
    return Candidate(box, text, "text", "ocr", 0.9, parts=((text, box),))


def _material(n: int, selected: int, theme: dict, accent: tuple[int, int, int], *, scale: float = 0.6,
              thickness: int = 3, text_wide: bool = False, divider: bool = True,
              ) -> tuple[np.ndarray, list[Candidate], list[tuple[int, int]]]:
    """A page title and a bar of ``n`` unframed tabs, tab ``selected`` in ``accent`` with a bar under it."""
    k = scale / 0.6
    img = np.full((int(300 * k), int(1100 * k), 3), theme["bg"], np.uint8)
    texts = [_write(img, "Project settings", int(24 * k), int(50 * k), theme["plain"], 0.9 * k)]
    top, tab_h, x = int(80 * k), int(48 * k), int(24 * k)
    spans = []
    for i, name in enumerate(_NAMES[:n]):
        (w, th), _ = cv2.getTextSize(name, _FONT, scale, 1)
        width = w + int(48 * k)
        baseline = top + (tab_h + th) // 2
        colour = accent if i == selected else theme["plain"]
        texts.append(_write(img, name, x + int(24 * k), baseline, colour, scale))
        if i == selected:
            x0, x1 = (x + int(24 * k), x + int(24 * k) + w) if text_wide else (x, x + width)
            cv2.rectangle(img, (x0, top + tab_h - thickness), (x1 - 1, top + tab_h - 1), accent, -1)
        spans.append((x, x + width))
        x += width
    if divider:
        cv2.line(img, (0, top + tab_h), (img.shape[1] - 1, top + tab_h), theme["divider"], 1)
    texts.append(_write(img, "Members can see every report.", int(24 * k), int(200 * k), theme["plain"], 0.55 * k))
    return img, texts, spans


def _tabs(found: list[Candidate]) -> list[Candidate]:
    return reading_order([c for c in found if c.role == "tab"], lambda c: c.box)


@pytest.mark.parametrize("n,selected", [(3, 0), (4, 2), (5, 4), (6, 1)])
@pytest.mark.parametrize("theme,accent", [(_LIGHT, (25, 118, 210)), (_DARK, (138, 180, 248)),
                                          (_LIGHT, (220, 0, 78)), (_DARK, (3, 218, 198))])
def test_a_row_with_one_underlined_label_is_a_tab_bar(n, selected, theme, accent):
    img, texts, spans = _material(n, selected, theme, accent)
    tabs = _tabs(detect_controls(img, texts))
    assert [t.text for t in tabs] == _NAMES[:n]
    for tab, (x0, x1) in zip(tabs, spans):
        assert x0 <= tab.box.center[0] <= x1


@pytest.mark.parametrize("scale,thickness", [(0.5, 2), (0.6, 3), (1.2, 4), (1.2, 6)])
def test_thin_text_wide_indicators_and_hidpi_bars(scale, thickness):
    img, texts, _ = _material(4, 1, _LIGHT, (98, 0, 238), scale=scale, thickness=thickness, text_wide=True,
                              divider=False)
    assert [t.text for t in _tabs(detect_controls(img, texts))] == _NAMES[:4]


def test_the_third_tab_and_every_tab_resolve():
    img, texts, spans = _material(5, 0, _LIGHT, (25, 118, 210))
    found = detect_controls(img, texts) + texts
    third = resolve(parse_instruction("click the third tab"), found, Calibrator()).predictions[0]
    assert spans[2][0] <= third.x <= spans[2][1]
    every = resolve(parse_instruction("click every tab"), found, Calibrator()).predictions
    assert len(every) == 5 and all(any(a <= p.x <= b for a, b in spans) for p in every)


def _linked_row(thin: bool, both: bool = False) -> tuple[np.ndarray, list[Candidate]]:
    """A row of links, one (or two) underlined right under the letters, as browsers draw links."""
    img = np.full((200, 900, 3), 255, np.uint8)
    link = (13, 110, 253)
    texts, x = [], 30
    for i, name in enumerate(["Docs", "Pricing", "Blog", "Careers"]):
        cand = _write(img, name, x, 100, link, 0.6)
        texts.append(cand)
        if i == 1 or (both and i == 3):
            y = int(cand.box.y1) - 1 if thin else int(cand.box.y1) + 8
            cv2.rectangle(img, (int(cand.box.x0), y), (int(cand.box.x1) - 1, y + (0 if thin else 2)), link, -1)
        x = int(cand.box.x1) + 40
    return img, texts


def test_a_row_of_links_with_one_underlined_link_has_no_tabs():
    img, texts = _linked_row(thin=True)
    assert _tabs(detect_controls(img, texts)) == []


def test_a_row_with_two_marked_labels_has_no_tabs():
    img, texts = _linked_row(thin=False, both=True)
    assert _tabs(detect_controls(img, texts)) == []


def test_a_table_header_on_a_rule_has_no_tabs():
    img = np.full((300, 900, 3), 255, np.uint8)
    texts, x = [], 20
    for name in ["Name", "Owner", "Status", "Updated"]:
        texts.append(_write(img, name, x, 60, (40, 40, 40), 0.6))
        x += 200
    cv2.rectangle(img, (10, 72), (880, 73), (120, 120, 120), -1)  # a header's thick bottom rule
    for r in range(4):
        texts.append(_write(img, f"Row {r} item", 20, 110 + 36 * r, (40, 40, 40), 0.55))
    assert _tabs(detect_controls(img, texts)) == []


def test_a_slider_track_under_a_label_is_no_indicator():
    img = np.full((200, 900, 3), 250, np.uint8)
    texts, x = [], 30
    for name in ["Volume", "Bass", "Treble"]:
        texts.append(_write(img, name, x, 60, (40, 40, 40), 0.6))
        x = int(texts[-1].box.x1) + 50
    cv2.rectangle(img, (30, 80), (860, 83), (25, 118, 210), -1)  # a track far wider than any label
    assert _tabs(detect_controls(img, texts)) == []


def test_a_button_row_whose_default_button_has_a_thick_bottom_edge_has_no_tabs():
    img = np.full((200, 700, 3), 240, np.uint8)
    texts, x = [], 300
    for i, name in enumerate(["OK", "Cancel", "Apply"]):
        cv2.rectangle(img, (x, 60), (x + 80, 96), (150, 150, 150), 1)
        if i == 0:  # the default button: an accent edge along its bottom
            cv2.rectangle(img, (x, 94), (x + 80, 96), (25, 118, 210), -1)
        (w, _), _ = cv2.getTextSize(name, _FONT, 0.6, 1)
        texts.append(_write(img, name, x + (80 - w) // 2, 85, (20, 20, 20), 0.6))
        x += 94
    assert _tabs(detect_controls(img, texts)) == []
