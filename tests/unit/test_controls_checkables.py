"""Checkboxes and radios that styles draw unusually, and labels a form puts far away; synthetic screens."""

from __future__ import annotations

import cv2
import numpy as np

from desktop.core.geometry import Box
from desktop.core.results import Candidate
from desktop.grounding._controls_indicators import find_indicators
from desktop.grounding._controls_scene import build_scene
from desktop.grounding.controls import detect_controls

_FONT = cv2.FONT_HERSHEY_SIMPLEX


def _write(img: np.ndarray, text: str, x: int, baseline: int, colour: tuple[int, int, int]) -> Candidate:
    (w, h), _ = cv2.getTextSize(text, _FONT, 0.6, 1)
    cv2.putText(img, text, (x, baseline), _FONT, 0.6, colour, 1, cv2.LINE_AA)
    box = Box(x, baseline - h, x + w, baseline + 2)
    return Candidate(box, text, "text", "ocr", 0.9, parts=((text, box),))


def _shaded_box(img: np.ndarray, x: int, y: int) -> None:
    """A Fusion-style unchecked checkbox: 18 px square, its top and bottom edges shaded in bands."""
    img[y:y + 18, x:x + 18] = 188
    img[y + 1:y + 17, x + 1:x + 17] = 255
    img[y + 1, x + 1:x + 17] = 238  # the inner highlight under the top edge
    img[y - 1, x + 1:x + 17] = 233  # soft shadow rows outside top and bottom
    img[y + 18, x + 1:x + 17] = 233


def test_a_checkbox_with_shaded_top_and_bottom_edges_is_found():
    img = np.full((120, 200, 3), 248, np.uint8)
    _shaded_box(img, 40, 50)
    found = [f for f in find_indicators(build_scene(img)) if f.role == "checkbox"]
    assert len(found) == 1 and found[0].states == frozenset()
    assert found[0].box.overlap_of_smaller(Box(40, 50, 58, 68)) > 0.8


def test_a_form_column_of_checkboxes_takes_its_labels_from_the_label_column():
    img = np.full((200, 500, 3), 245, np.uint8)
    texts = [_write(img, "Confirm before deleting", 40, 128, (0, 0, 0)),
             _write(img, "Show files", 40, 88, (0, 0, 0))]
    for y in (74, 114):  # the control column starts after the longest label
        cv2.rectangle(img, (250, y), (267, y + 17), (120, 120, 120), 1)
    boxes = {c.text: c for c in detect_controls(img, texts) if c.role == "checkbox"}
    assert set(boxes) == {"Confirm before deleting", "Show files"}
    assert boxes["Show files"].score == boxes["Confirm before deleting"].score


def test_a_lone_far_text_does_not_label_a_checkbox():
    img = np.full((200, 500, 3), 245, np.uint8)
    texts = [_write(img, "Show files", 40, 88, (0, 0, 0))]
    cv2.rectangle(img, (250, 74), (267, 91), (120, 120, 120), 1)
    assert [c.text for c in detect_controls(img, texts) if c.role == "checkbox"] == [""]


def _dark_radios(img: np.ndarray, x: int, ys: list[int], checked: int) -> None:
    """Chromium's dark radios: unchecked ones are plain white discs, the checked one blue with a white dot."""
    for i, y in enumerate(ys):
        if i == checked:
            cv2.circle(img, (x, y), 9, (30, 110, 250), -1, cv2.LINE_AA)
            cv2.circle(img, (x, y), 4, (255, 255, 255), -1, cv2.LINE_AA)
        else:
            cv2.circle(img, (x, y), 9, (255, 255, 255), -1, cv2.LINE_AA)


def test_white_discs_in_a_column_with_a_radio_are_unchecked_radios():
    img = np.full((220, 400, 3), 30, np.uint8)
    ys = [60, 100, 140]
    _dark_radios(img, 60, ys, checked=1)
    texts = [_write(img, name, 80, y + 7, (230, 230, 230)) for name, y in zip(["Light", "Dark", "System"], ys)]
    radios = {c.text: c for c in detect_controls(img, texts) if c.role == "radio"}
    assert set(radios) == {"Light", "Dark", "System"}
    assert radios["Dark"].states == {"checked"} and radios["Light"].states == frozenset()


def test_white_discs_alone_are_bullets():
    img = np.full((220, 400, 3), 30, np.uint8)
    ys = [60, 100, 140]
    for y in ys:
        cv2.circle(img, (60, y), 9, (255, 255, 255), -1, cv2.LINE_AA)
    texts = [_write(img, name, 80, y + 7, (230, 230, 230)) for name, y in zip(["Apples", "Pears", "Plums"], ys)]
    assert [c for c in detect_controls(img, texts) if c.role in ("radio", "checkbox")] == []


def _tk_row(img: np.ndarray, xs: list[int], y: int, checked: set[int], names: list[str]) -> list[Candidate]:
    """Tk's default theme: 11 px boxes, white inside a grey frame, a checked one filled flat blue-grey."""
    texts = []
    for i, (x, name) in enumerate(zip(xs, names)):
        img[y:y + 11, x:x + 11] = (74, 105, 132) if i in checked else (255, 255, 255)
        cv2.rectangle(img, (x, y), (x + 10, y + 10), (130, 130, 130), 1)
        texts.append(_write(img, name, x + 16, y + 10, (0, 0, 0)))
    return texts


def test_a_filled_box_on_a_row_of_outlined_ones_is_a_checked_checkbox():
    img = np.full((80, 700, 3), 217, np.uint8)
    texts = _tk_row(img, [20, 230, 360, 500], 30, {3}, ["Regular expression", "Match case", "Whole word", "Wrap"])
    boxes = {c.text: c for c in detect_controls(img, texts) if c.role == "checkbox"}
    assert set(boxes) == {"Regular expression", "Match case", "Whole word", "Wrap"}
    assert boxes["Wrap"].states == {"checked"} and boxes["Whole word"].states == frozenset()


def test_a_filled_square_with_no_outlined_peer_on_its_row_is_a_bullet():
    img = np.full((120, 700, 3), 217, np.uint8)
    _tk_row(img, [20], 30, {0}, ["Wrap"])
    _tk_row(img, [300], 80, set(), ["Match case"])  # an outlined box on another row
    assert {c.text for c in detect_controls(img, []) if c.role == "checkbox"} <= {"", "Match case"}
    assert len([c for c in detect_controls(img, []) if c.role == "checkbox"]) == 1


def _spin_box(img: np.ndarray, x: int, y: int, value: str = "", buttons: bool = True) -> Box:
    """A Tk/Qt-style spin box: a white field, ▲ over ▼ at its right end (on small buttons, or bare)."""
    w, h = 70, 24
    img[y:y + h, x:x + w] = 255
    cv2.rectangle(img, (x, y), (x + w - 1, y + h - 1), (130, 130, 130), 1)
    ax = x + w - 14
    if buttons:
        for by in (y + 2, y + h // 2):
            img[by:by + h // 2 - 2, ax:ax + 11] = 217
            cv2.rectangle(img, (ax, by), (ax + 10, by + h // 2 - 3), (65, 65, 65), 1)
    for k in range(3):  # ▲ then ▼, 5 px wide at the base
        img[y + 5 + k, ax + 5 - k:ax + 6 + k] = 0
        img[y + h - 6 - k, ax + 5 - k:ax + 6 + k] = 0
    if value:
        cv2.putText(img, value, (x + 5, y + 17), _FONT, 0.5, (0, 0, 0), 1, cv2.LINE_AA)
    return Box(x, y, x + w, y + h)


def test_a_spin_box_is_a_field_labelled_by_the_text_before_it():
    img = np.full((140, 400, 3), 217, np.uint8)
    texts = [_write(img, "Quantity:", 20, 47, (0, 0, 0)), _write(img, "Copies:", 20, 97, (0, 0, 0))]
    first, second = _spin_box(img, 120, 30, "1"), _spin_box(img, 120, 80, "", buttons=False)
    fields = {c.text: c for c in detect_controls(img, texts) if c.role == "field"}
    assert set(fields) == {"Quantity", "Copies"}
    assert fields["Quantity"].box.iou(first) > 0.8 and fields["Copies"].box.iou(second) > 0.8


def test_a_field_ending_in_digits_has_no_spin_arrows():
    img = np.full((80, 400, 3), 217, np.uint8)
    img[30:54, 120:190] = 255
    cv2.rectangle(img, (120, 30), (189, 53), (130, 130, 130), 1)
    cv2.putText(img, "88", (165, 47), _FONT, 0.5, (0, 0, 0), 1, cv2.LINE_AA)
    from desktop.grounding._controls_frames import find_frames

    assert all(f.spin is None for f in find_frames(build_scene(img)))


def test_an_empty_field_whose_frame_touches_its_label_is_a_field():
    # Tk's default theme in a grid with no padding: the label's colon nearly meets the frame.
    img = np.full((80, 460, 3), 217, np.uint8)
    label = _write(img, "Customer name:", 20, 45, (0, 0, 0))
    x0 = int(label.box.x1) + 1
    img[28:50, x0:x0 + 270] = 255
    cv2.rectangle(img, (x0, 28), (x0 + 269, 49), (153, 153, 153), 1)
    fields = [c for c in detect_controls(img, [label]) if c.role == "field"]
    assert [c.text for c in fields] == ["Customer name"]
    assert fields[0].box.x0 >= x0 - 2


def test_an_empty_field_against_the_windows_edge_is_a_field_when_a_label_names_it():
    # A form laid out edge to edge: the fields' frames meet the dark desktop beyond the window.
    img = np.full((150, 460, 3), 244, np.uint8)
    img[:, 363:] = 0
    beside = _write(img, "Archive name", 4, 46, (0, 0, 0))
    above = _write(img, "Notes", 4, 96, (0, 0, 0))
    for y0, y1, x0 in ((24, 57, 120), (104, 140, 4)):
        img[y0:y1 + 1, x0:363] = 255
        cv2.rectangle(img, (x0, y0), (362, y1), (194, 199, 205), 1)
    fields = sorted((c for c in detect_controls(img, [beside, above]) if c.role == "field"), key=lambda c: c.box.y0)
    assert [c.text for c in fields] == ["Archive name", "Notes"]
    # The same frames with no label are not claimed: they might be a table's cells.
    assert not [c for c in detect_controls(img, []) if c.role == "field"]


def _key(img: np.ndarray, x: int, y: int) -> Box:
    """A calculator key 50×34, rounded-grey frame on a light face."""
    img[y:y + 34, x:x + 50] = 245
    cv2.rectangle(img, (x, y), (x + 49, y + 33), (190, 190, 190), 1)
    return Box(x, y, x + 50, y + 34)


def test_a_backspace_key_drawn_as_less_than_and_dash_is_a_button_and_a_chevron_still_a_drop_down():
    from desktop.grounding._controls_frames import find_frames

    img = np.full((60, 200, 3), 235, np.uint8)
    back = _key(img, 10, 10)
    # "<-": the "<" joined to the "-" (as galculator's small font draws it), centred.
    cv2.line(img, (27, 27), (33, 22), (60, 60, 60), 1)
    cv2.line(img, (27, 27), (33, 32), (60, 60, 60), 1)
    cv2.line(img, (27, 27), (43, 27), (60, 60, 60), 1)
    drop = _key(img, 110, 10)
    for k in range(4):  # ▼ at the right end
        img[24 + k, 141 + k:150 - k] = 40
    frames = {f.box.x0 // 100: f for f in find_frames(build_scene(img))}
    assert frames[0].box.iou(back) > 0.8 and frames[0].arrow is None
    assert frames[1].box.iou(drop) > 0.8 and frames[1].arrow is not None
