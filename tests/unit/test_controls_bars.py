"""Tab bars and menu bars found from pixels and OCR lines, on synthetic screens drawn with OpenCV.

OCR is replaced by text candidates with word boxes where the words are
drawn, so these tests need no OCR model; the pixels are real drawings.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from desktop.core.geometry import Box
from desktop.core.results import Candidate
from desktop.core.relations import reading_order
from desktop.grounding._controls_menus import find_menus
from desktop.grounding.controls import detect_controls
from tests.unit._drawn_text import write as _write

_FONT = cv2.FONT_HERSHEY_SIMPLEX




def _tabs(found: list[Candidate]) -> list[Candidate]:
    return reading_order([c for c in found if c.role == "tab"], lambda c: c.box)


# --------------------------------------------------------------------------- framed tabs beside a table


def _dialog_and_table() -> tuple[np.ndarray, list[Candidate]]:
    """A tab bar on its page, and a table whose grid touches the page's border (an overlapping window)."""
    img = np.full((420, 900, 3), 240, np.uint8)
    dark = (90, 90, 90)
    texts = []
    cv2.rectangle(img, (20, 70), (860, 400), dark, 1)  # the page under the tabs
    for i, name in enumerate(["Plugins", "Updates", "Security", "Editor"]):
        x0 = 20 + i * 110
        cv2.rectangle(img, (x0, 40), (x0 + 110, 70), dark, 1)  # framed tabs, sharing their edges
        (w, _), _ = cv2.getTextSize(name, _FONT, 0.5, 1)
        texts.append(_write(img, name, x0 + (110 - w) // 2, 61, (0, 0, 0), 0.5))
    for r in range(5):  # the table: its left border is the page's, so both are one ink ring
        for c in range(3):
            x, y = 20 + c * 150, 200 + r * 30
            cv2.rectangle(img, (x, y), (x + 150, y + 30), dark, 1)
    return img, texts


def test_a_table_touching_the_page_does_not_take_the_tab_bar_with_it():
    img, texts = _dialog_and_table()
    tabs = _tabs(detect_controls(img, texts))
    assert [t.text for t in tabs] == ["Plugins", "Updates", "Security", "Editor"]
    found = detect_controls(img, texts)
    assert not [c for c in found if c.role in ("field", "button") and c.box.y0 >= 195]  # cells stay dropped


# --------------------------------------------------------------------------- menu bars drawn as a strip


def _window_with_menu_strip() -> tuple[np.ndarray, list[Candidate]]:
    img = np.full((300, 800, 3), 245, np.uint8)
    border = (170, 170, 170)
    cv2.rectangle(img, (0, 30), (799, 60), border, 1)  # the menu bar's strip
    cv2.rectangle(img, (0, 60), (799, 110), border, 1)  # the toolbar strip under it
    texts = []
    x = 12
    for name in ["Tools", "Window", "Format", "File", "Insert", "Help"]:
        texts.append(_write(img, name, x, 51, (20, 20, 20), 0.55))
        x = int(texts[-1].box.x1) + 22
    return img, texts


def test_menu_titles_inside_the_bars_strip_are_menus():
    img, texts = _window_with_menu_strip()
    found = detect_controls(img, texts)
    menus = reading_order([c for c in found if c.role == "menu"], lambda c: c.box)
    assert [m.text for m in menus] == ["Tools", "Window", "Format", "File", "Insert", "Help"]
    # The strip is the bar, not a text field holding the titles.
    assert not [c for c in found if c.role == "field" and c.box.contains(*menus[0].box.center)]


def test_a_title_with_a_descender_stays_in_its_bar():
    # OCR's box for "Help" reaches down to the p's tail; the bar's cap line is shared.
    titles = [("File", Box(10, 40, 40, 56)), ("Edit", Box(60, 40, 92, 56)), ("View", Box(112, 40, 150, 56)),
              ("Help", Box(170, 40, 210, 62)), ("Window", Box(230, 40, 300, 56))]
    texts = [Candidate(b, t, "text", "ocr", 0.9, parts=((t, b),)) for t, b in titles]
    assert [line.text for line, _, _ in find_menus(texts, [], 800)] == [t for t, _ in titles]


def test_a_menu_strip_of_a_window_low_on_the_screen_holds_menus():
    # xarchiver placed mid-screen with no window manager: "Archive Action Help" in the
    # window's own strip, one well-known title only.
    img = np.full((800, 1200, 3), 0, np.uint8)
    img[340:700, 400:1000] = 245
    cv2.rectangle(img, (400, 340), (999, 365), (215, 215, 215), 1)
    texts, x = [], 408
    for name in ["Archive", "Action", "Help"]:
        texts.append(_write(img, name, x, 358, (20, 20, 20), 0.55))
        x = int(texts[-1].box.x1) + 16
    menus = [c.text for c in reading_order([c for c in detect_controls(img, texts) if c.role == "menu"],
                                           lambda c: c.box)]
    assert menus == ["Archive", "Action", "Help"]


def test_words_in_a_tall_panel_are_not_menus():
    # Text in a panel taller than a line is content, not a menu bar, even at the top of the screen.
    img = np.full((300, 800, 3), 245, np.uint8)
    cv2.rectangle(img, (0, 10), (799, 120), (170, 170, 170), 1)
    texts, x = [], 12
    for name in ["Upload", "Refresh", "Network", "Home"]:
        texts.append(_write(img, name, x, 100, (20, 20, 20), 0.55))
        x = int(texts[-1].box.x1) + 22
    assert [c for c in detect_controls(img, texts) if c.role == "menu"] == []


# --------------------------------------------------------------------------- web "nav tabs": one framed, the rest plain


def _nav_tabs(open_bottom: bool, dark: bool = False) -> tuple[np.ndarray, list[Candidate], list[int]]:
    """A Bootstrap-like tab bar: labels on a rule, the selected one framed down to the rule."""
    bg, line, link = ((33, 37, 41), (90, 95, 100), (80, 150, 255)) if dark else ((255, 255, 255), (200, 200, 200),
                                                                                 (13, 110, 253))
    img = np.full((260, 900, 3), bg, np.uint8)
    cv2.line(img, (40, 120), (860, 120), line, 1)
    texts, edges, x = [], [], 40
    for i, name in enumerate(["Reports", "Activity", "Alerts", "Overview"]):
        (w, _), _ = cv2.getTextSize(name, _FONT, 0.6, 1)
        if i == 0:
            cv2.rectangle(img, (x, 76), (x + w + 32, 120), line, 1)
            if open_bottom:
                cv2.line(img, (x + 1, 120), (x + w + 31, 120), bg, 1)
        texts.append(_write(img, name, x + 16, 105, (60, 60, 60) if i == 0 else link))
        edges.append(x)
        x += w + 32
    return img, texts, edges


def test_nav_tabs_with_an_open_selected_tab_are_a_tab_bar():
    img, texts, edges = _nav_tabs(open_bottom=True)
    tabs = _tabs(detect_controls(img, texts))
    assert [t.text for t in tabs] == ["Reports", "Activity", "Alerts", "Overview"]
    for tab, x0 in zip(tabs, edges):
        assert abs(tab.box.x0 - x0) <= 3  # each tab reaches to its padding, so the bar is one strip


def test_nav_tabs_with_a_closed_selected_tab_in_a_dark_theme():
    img, texts, _ = _nav_tabs(open_bottom=False, dark=True)
    assert [t.text for t in _tabs(detect_controls(img, texts))] == ["Reports", "Activity", "Alerts", "Overview"]


def test_a_table_header_on_a_rule_is_not_a_tab_bar():
    img = np.full((200, 900, 3), 255, np.uint8)
    cv2.line(img, (40, 120), (860, 120), (200, 200, 200), 1)
    texts, x = [], 44
    for name in ["Order", "Customer", "Total", "Status"]:
        texts.append(_write(img, name, x, 105, (0, 0, 0)))
        x += 180
    assert _tabs(detect_controls(img, texts)) == []


def test_a_row_of_framed_buttons_on_a_line_is_not_a_tab_bar():
    img = np.full((200, 900, 3), 255, np.uint8)
    cv2.line(img, (20, 120), (860, 120), (200, 200, 200), 1)  # a table row's line right under the buttons
    texts, x = [], 600
    for name in ["Edit", "Remove"]:
        (w, _), _ = cv2.getTextSize(name, _FONT, 0.6, 1)
        cv2.rectangle(img, (x, 82), (x + w + 20, 120), (13, 110, 253), 1)
        texts.append(_write(img, name, x + 10, 108, (13, 110, 253)))
        x += w + 28
    assert _tabs(detect_controls(img, texts)) == []


# --------------------------------------------------------------------------- Tk notebooks: the selected tab open


def _tk_notebook(selected: int) -> tuple[np.ndarray, list[Candidate]]:
    """Tk's default theme (IDLE's Settings): closed frames for the other tabs, the selected one taller and open
    into the page, whose border breaks under it; a word of a window behind sits up-left, above the labels."""
    img = np.full((300, 900, 3), 217, np.uint8)
    dark = (110, 110, 110)
    texts = [_write(img, "def", 2, 56, (0, 0, 0))]
    x = 40
    for i, name in enumerate(["Fonts", "Highlights", "Keys", "Windows", "Extensions"]):
        (w, _), _ = cv2.getTextSize(name, _FONT, 0.6, 1)
        w += 28
        if i == selected:
            cv2.line(img, (x, 44), (x, 80), dark, 1)
            cv2.line(img, (x, 44), (x + w, 44), dark, 1)
            cv2.line(img, (x + w, 44), (x + w, 80), dark, 1)
        else:
            img[50:80, x + 1:x + w] = 195
            cv2.rectangle(img, (x, 50), (x + w, 80), dark, 1)
            cv2.line(img, (x, 80), (x + w, 80), dark, 1)
        texts.append(_write(img, name, x + 14, 71, (0, 0, 0)))
        if i == selected:
            img[80, x + 1:x + w] = 217
        x += w
    cv2.line(img, (x, 80), (860, 80), dark, 1)   # the page's top border beyond the tabs
    cv2.line(img, (20, 80), (40, 80), dark, 1)
    cv2.line(img, (20, 80), (20, 280), dark, 1)
    cv2.line(img, (860, 80), (860, 280), dark, 1)
    cv2.line(img, (20, 280), (860, 280), dark, 1)
    return img, texts


def test_a_tk_notebook_is_one_tab_bar_whichever_tab_is_selected():
    for selected in (0, 2, 4):
        img, texts = _tk_notebook(selected)
        tabs = _tabs(detect_controls(img, texts))
        assert [t.text for t in tabs] == ["Fonts", "Highlights", "Keys", "Windows", "Extensions"], selected


# --------------------------------------------------------------------------- GTK 3 notebooks: the selected tab underlined


def _underlined_tabs(selected: int, thickness: int) -> tuple[np.ndarray, list[Candidate], list[int]]:
    """Adwaita's notebook header: labels on a grey strip over a border line, the selected one with a blue bar."""
    img = np.full((240, 900, 3), 250, np.uint8)
    img[60:110] = 232
    cv2.line(img, (0, 110), (899, 110), (190, 190, 190), 1)
    texts, edges, x = [], [], 40
    for i, name in enumerate(["Character Table", "Character Details", "Fonts"]):
        (w, _), _ = cv2.getTextSize(name, _FONT, 0.6, 1)
        texts.append(_write(img, name, x + 14, 92, (40, 40, 40)))
        if i == selected:
            img[110 - thickness:110, x:x + w + 28] = (230, 130, 50)
        edges.append(x)
        x += w + 28
    return img, texts, edges


def test_gtk_notebook_tabs_with_an_underlined_selected_tab_are_a_tab_bar():
    for selected in (0, 1, 2):
        img, texts, edges = _underlined_tabs(selected, thickness=3)
        tabs = _tabs(detect_controls(img, texts))
        assert [t.text for t in tabs] == ["Character Table", "Character Details", "Fonts"], selected
        assert abs(tabs[selected].box.x0 - edges[selected]) <= 2  # the bar's ends are the tab's sides


def test_labels_on_a_rule_with_a_hairline_under_one_are_not_tabs():
    img, texts, _ = _underlined_tabs(1, thickness=1)  # a link's underline, not a tab's bar
    assert _tabs(detect_controls(img, texts)) == []


@pytest.mark.slow
def test_a_framed_letter_in_a_character_grid_is_not_a_tab():
    # gucharmap: its script list ("Mab." read from a cut-off item) beside the character grid,
    # whose cells stand on grid lines; a framed "E" beside a plain label looked like nav tabs.
    from PIL import Image

    from desktop.grounding.ocr import OcrSource

    path = Path(__file__).resolve().parents[1] / "fixtures" / "screens" / "gtk_character_grid.png"
    img = np.asarray(Image.open(path).convert("RGB")).copy()
    assert _tabs(detect_controls(img, OcrSource().read(img))) == []
