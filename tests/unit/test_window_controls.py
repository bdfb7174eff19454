"""Window buttons (close, maximize, minimize) told apart from an entry's clear "×" by their row."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from desktop.core.geometry import Box
from desktop.core.parser import parse_instruction
from desktop.core.ranking import score_candidates
from desktop.core.results import Candidate
from desktop.core.sources import Screen, SourceRequest
from desktop.grounding._icons_model import default_model_dir, model_files_present
from desktop.grounding._icons_proposals import propose_boxes
from desktop.grounding._window_controls import as_clear_buttons, find_window_controls, glyph_kind

THEMES = {  # desktop, title bar, window body, glyph ink, entry fill, entry border
    "light": ((40, 90, 160), (222, 221, 218), (246, 245, 244), (46, 52, 54), (255, 255, 255), (190, 186, 180)),
    "dark": ((30, 70, 110), (48, 48, 48), (36, 36, 36), (210, 210, 210), (30, 30, 30), (90, 90, 90)),
}


def _glyph(image: np.ndarray, kind: str, box: Box, ink: tuple[int, ...], style: str) -> None:
    """Draw a title bar glyph in ``box`` the way toolkits do (anti-aliased lines)."""
    x0, y0, x1, y1 = (int(v) for v in (box.x0, box.y0, box.x1, box.y1))
    t = 2 if style == "windows" and x1 - x0 >= 14 else 1
    if kind == "minimize":
        y = y1 - 2 if style == "gtk" else (y0 + y1) // 2
        cv2.rectangle(image, (x0, y - t), (x1, y), ink, -1)
    elif kind == "maximize":
        cv2.rectangle(image, (x0, y0), (x1, y1), ink, t)
        if style == "windows":
            cv2.rectangle(image, (x0, y0), (x1, y0 + (x1 - x0) // 5), ink, -1)   # the thick top of a window
    else:
        pad = (x1 - x0) // 4 if style == "windows" else 0
        if style == "windows":
            cv2.rectangle(image, (x0, y0), (x1, y1), ink, 1)          # "⊠": a framed cross
        cv2.line(image, (x0 + pad, y0 + pad), (x1 - pad, y1 - pad), ink, t, cv2.LINE_AA)
        cv2.line(image, (x1 - pad, y0 + pad), (x0 + pad, y1 - pad), ink, t, cv2.LINE_AA)


def _screen(theme: str = "light", title: bool = True, style: str = "gtk",
            controls: tuple[str, ...] = ("minimize", "maximize", "close"),
            side: int = 14) -> tuple[np.ndarray, dict[str, Box], Box]:
    """A window on a desktop: a title bar ending in ``controls`` and an entry with a clear "×".

    Returns the image, each window control's glyph box and the entry's "×" box.
    """
    desk, bar, body, ink, fill, border = THEMES[theme]
    image = np.empty((420, 640, 3), np.uint8)
    image[:] = desk
    wx0, wy0, wx1, wy1, bar_h = 60, 40, 580, 380, side + 22
    image[wy0:wy0 + bar_h, wx0:wx1] = bar
    image[wy0 + bar_h:wy1, wx0:wx1] = body
    if title:
        cv2.putText(image, "Preferences", (260, wy0 + bar_h // 2 + 6), cv2.FONT_HERSHEY_SIMPLEX, 0.55, ink, 1,
                    cv2.LINE_AA)
    boxes, x = {}, wx1 - 14 - side
    for kind in reversed(controls):
        box = Box(x, wy0 + 11, x + side, wy0 + 11 + side)
        _glyph(image, kind, box, ink, style)
        boxes[kind] = box
        x -= 2 * side + 8
    ex0, ey0, ex1, ey1 = wx0 + 40, wy0 + 120, wx0 + 340, wy0 + 152
    cv2.rectangle(image, (ex0, ey0), (ex1, ey1), fill, -1)
    cv2.rectangle(image, (ex0, ey0), (ex1, ey1), border, 1)
    cv2.putText(image, "search text", (ex0 + 8, ey1 - 10), cv2.FONT_HERSHEY_SIMPLEX, 0.5, ink, 1, cv2.LINE_AA)
    clear = Box(ex1 - 22, ey0 + 11, ex1 - 12, ey0 + 21)
    _glyph(image, "close", clear, ink, "gtk")
    return image, boxes, clear


def _found(image: np.ndarray) -> dict[str, list[Box]]:
    out: dict[str, list[Box]] = {}
    for control in find_window_controls(image, propose_boxes(image)):
        out.setdefault(control.kind, []).append(control.box)
    return out


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("title", [True, False])
@pytest.mark.parametrize("style", ["gtk", "windows"])
@pytest.mark.parametrize("side", [10, 16])
def test_title_bar_buttons_are_found_and_the_entry_clear_x_is_not(theme: str, title: bool, style: str,
                                                                    side: int) -> None:
    image, truth, clear = _screen(theme, title, style, side=side)
    found = _found(image)
    assert sorted(found) == ["close", "maximize", "minimize"], found
    for kind, boxes in found.items():
        assert len(boxes) == 1 and truth[kind].expand(2).contains(*boxes[0].center), (kind, boxes, truth[kind])
    assert not clear.expand(2).contains(*found["close"][0].center)


@pytest.mark.parametrize("controls", [("maximize", "close"), ("minimize", "close")])
def test_two_buttons_are_a_row_too(controls: tuple[str, ...]) -> None:
    image, truth, _ = _screen("dark", True, "gtk", controls)
    found = _found(image)
    assert sorted(found) == sorted(controls)
    assert truth["close"].expand(2).contains(*found["close"][0].center)


def test_a_lone_x_or_an_entry_x_is_not_a_window_control() -> None:
    image, _, _ = _screen("light", True, "gtk", ("close",))
    assert _found(image) == {}


def test_the_row_must_be_at_a_window_top_edge() -> None:
    # The same three glyphs drawn in the middle of a flat window body are not its title bar.
    image = np.full((300, 400, 3), 246, np.uint8)
    for kind, x in (("minimize", 200), ("maximize", 236), ("close", 272)):
        _glyph(image, kind, Box(x, 150, x + 14, 164), (46, 52, 54), "gtk")
    assert _found(image) == {}
    # ...but just under a window's top edge (the desktop above it) they are.
    image[:140] = (40, 90, 160)
    assert sorted(_found(image)) == ["close", "maximize", "minimize"]


@pytest.mark.parametrize("kind", ["plus", "filled", "tick", "circle"])
def test_look_alikes_are_not_window_glyphs(kind: str) -> None:
    image = np.full((40, 40, 3), 240, np.uint8)
    ink = (40, 40, 40)
    if kind == "plus":
        cv2.line(image, (20, 12), (20, 28), ink, 2)
        cv2.line(image, (12, 20), (28, 20), ink, 2)
    elif kind == "filled":
        cv2.rectangle(image, (12, 12), (28, 28), ink, -1)
    elif kind == "tick":
        cv2.rectangle(image, (12, 12), (28, 28), ink, 1)
        cv2.line(image, (15, 20), (19, 25), ink, 2)
        cv2.line(image, (19, 25), (26, 14), ink, 2)
    else:
        cv2.circle(image, (20, 20), 8, ink, 2)
    assert glyph_kind(image.mean(axis=2).astype(np.uint8), Box(10, 10, 31, 31)) is None


def test_an_x_ending_a_field_is_described_as_clear() -> None:
    image, truth, clear = _screen("light")
    field = Box(100, 160, 400, 192)
    icons = [Candidate(box=clear, text="close", role="icon", source="icons", score=0.3, description="close x"),
             Candidate(box=truth["close"], text="close", role="icon", source="icons", score=0.3,
                       description="close x")]
    out = as_clear_buttons(image, icons, [field])
    assert out[0].text == "clear" and "close" in out[0].description
    assert out[1] == icons[1]
    assert as_clear_buttons(image, icons, []) == icons


@pytest.mark.slow
@pytest.mark.skipif(not model_files_present(default_model_dir()), reason="models/icons not present")
def test_icon_source_offers_the_title_bar_close_above_the_entry_x() -> None:
    from desktop.grounding.icons import IconSource

    image, truth, clear = _screen("light")
    field = Candidate(box=Box(100, 160, 400, 192), role="field", source="controls", score=0.6)
    intent = parse_instruction("click close")
    found = IconSource().candidates(Screen(image), SourceRequest(intent, found_so_far=(field,)))
    buttons = [c for c in found if c.role == "button" and c.text == "close"]
    assert len(buttons) == 1 and truth["close"].expand(2).contains(*buttons[0].box.center)
    ranked = score_candidates(intent.steps[0], found)
    assert truth["close"].expand(2).contains(*ranked[0].candidate.box.center), ranked[:3]
    assert any(c.text == "clear" and clear.expand(2).contains(*c.box.center) for c in found)
