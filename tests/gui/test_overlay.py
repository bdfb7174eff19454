"""The overlay: markers drawn where clicks land, readable on light and dark screens, keys and mouse."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QImage

from desktop.core.flow import Capture, make_plan
from desktop.core.geometry import Box, ScreenMapping
from desktop.ui.controller import qimage_from_rgb
from desktop.ui.overlay import Marker, Overlay, OverlayLook, markers_for_plan, marker_text
from desktop.ui.qt_geometry import ScreenLayout
from tests.gui.conftest import make_result

pytestmark = pytest.mark.gui


def luminance(c: QColor) -> float:
    def lin(v: float) -> float:
        v /= 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    return 0.2126 * lin(c.red()) + 0.7152 * lin(c.green()) + 0.0722 * lin(c.blue())


def contrast(a: QColor, b: QColor) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def show(qtbot: Any, markers: list[Marker], bg_value: int | None, look: OverlayLook | None = None,
         wants_all: bool = False, size: tuple[int, int] = (500, 400)) -> Overlay:
    overlay = Overlay(look)
    qtbot.addWidget(overlay)
    bg = None
    if bg_value is not None:
        bg = qimage_from_rgb(np.full((size[1], size[0], 3), bg_value, np.uint8))
    overlay.present("plan-1", markers, QRect(0, 0, *size), bg, wants_all, "click Save")
    qtbot.waitExposed(overlay)
    return overlay


MARKERS = [Marker(0, 120.0, 100.0, "Save", 0.93), Marker(1, 300.0, 220.0, "Save as", 0.41)]


@pytest.mark.parametrize("bg_value", [0, 255, 128])
def test_markers_stand_out_on_dark_light_and_grey_screens(qtbot: Any, bg_value: int) -> None:
    overlay = show(qtbot, MARKERS, bg_value)
    img = overlay.grab().toImage()
    bg = QColor(bg_value, bg_value, bg_value)
    for m in MARKERS:
        r = overlay.look.marker_size / 2
        ring = [img.pixelColor(round(m.x + dx), round(m.y)) for dx in range(int(r) - 6, int(r) + 7)]
        best = max(contrast(c, bg) for c in ring)
        assert best >= 4.5, f"marker {m.index + 1} ring contrast {best:.1f} on {bg_value}"


def test_best_marker_is_highlighted_in_its_own_colour(qtbot: Any) -> None:
    look = OverlayLook(marker_size=40, marker_color="#FFD400", highlight_color="#00E5FF")
    overlay = show(qtbot, MARKERS, 255, look)
    img = overlay.grab().toImage()

    def ring_has(m: Marker, colour: str, radius: float) -> bool:
        target = QColor(colour)
        for dx in range(int(radius) - 4, int(radius) + 5):
            c = img.pixelColor(round(m.x + dx), round(m.y))
            if abs(c.red() - target.red()) + abs(c.green() - target.green()) + abs(c.blue() - target.blue()) < 40:
                return True
        return False

    assert ring_has(MARKERS[0], "#00E5FF", 40 * 1.15 / 2)
    assert ring_has(MARKERS[1], "#FFD400", 20)
    assert not ring_has(MARKERS[1], "#00E5FF", 20)


def test_marker_size_setting_changes_the_drawing(qtbot: Any) -> None:
    small = show(qtbot, MARKERS[:1], 255, OverlayLook(marker_size=24)).grab().toImage()
    big = show(qtbot, MARKERS[:1], 255, OverlayLook(marker_size=96)).grab().toImage()
    # 40 px left of the point: blank for small markers, on the ring of big ones (radius 48).
    probe = (round(MARKERS[0].x - 48 * 1.15), round(MARKERS[0].y))
    assert small.pixelColor(*probe) == QColor(255, 255, 255)
    assert big.pixelColor(*probe) != QColor(255, 255, 255)


def test_labels_show_action_label_and_percentage() -> None:
    assert marker_text(Marker(0, 0, 0, "Save", 0.934)) == "Save  93%"
    assert marker_text(Marker(0, 0, 0, "Report", 0.5, "double_click")) == "double-click Report  50%"
    assert marker_text(Marker(0, 0, 0, "x" * 50, 0.5)).startswith("x" * 31 + "…")


def test_all_instruction_shows_the_count(qtbot: Any) -> None:
    overlay = show(qtbot, MARKERS, 255, wants_all=True)
    assert "2 targets" in overlay.banner_text() and "Enter clicks all 2" in overlay.banner_text()
    assert "1: Save  93%" in overlay.accessibleDescription()


def test_banner_moves_away_from_a_target_near_the_bottom(qtbot: Any) -> None:
    overlay = show(qtbot, [Marker(0, 250.0, 385.0, "OK", 0.9)], 255)
    assert overlay.banner_rect().top() < 100


def test_keys(qtbot: Any) -> None:
    overlay = show(qtbot, MARKERS + [Marker(2, 50.0, 300.0, "Open", 0.3)], 255)
    got: list[tuple] = []
    overlay.confirmed.connect(lambda pid, idx, via: got.append((pid, idx, via)))
    cancelled: list[str] = []
    overlay.cancelled.connect(cancelled.append)
    qtbot.keyClick(overlay, Qt.Key.Key_Tab)
    qtbot.keyClick(overlay, Qt.Key.Key_Down)
    assert overlay.highlighted == 2
    qtbot.keyClick(overlay, Qt.Key.Key_Tab)
    assert overlay.highlighted == 0  # wraps around
    qtbot.keyClick(overlay, Qt.Key.Key_Backtab)
    qtbot.keyClick(overlay, Qt.Key.Key_Up)
    assert overlay.highlighted == 1
    qtbot.keyClick(overlay, Qt.Key.Key_Return)
    qtbot.keyClick(overlay, Qt.Key.Key_3)
    qtbot.keyClick(overlay, Qt.Key.Key_9)  # no ninth target: nothing
    qtbot.keyClick(overlay, Qt.Key.Key_Escape)
    assert got == [("plan-1", (1,), "key"), ("plan-1", (2,), "number")]
    assert cancelled == ["plan-1"]


def test_enter_on_all_confirms_every_marker_in_order(qtbot: Any) -> None:
    overlay = show(qtbot, MARKERS, 255, wants_all=True)
    with qtbot.waitSignal(overlay.confirmed) as sig:
        qtbot.keyClick(overlay, Qt.Key.Key_Return)
    assert sig.args == ["plan-1", (0, 1), "key"]


def test_clicking_a_label_confirms_its_marker(qtbot: Any) -> None:
    overlay = show(qtbot, MARKERS, 255)
    lx, ly = overlay.layouts[1].label.center
    with qtbot.waitSignal(overlay.confirmed) as sig:
        qtbot.mouseClick(overlay, Qt.MouseButton.LeftButton, pos=QPoint(round(lx), round(ly)))
    assert sig.args == ["plan-1", (1,), "mouse"]


@pytest.mark.parametrize("scale", [1.0, 1.25, 1.5, 2.0])
def test_markers_for_plan_sit_on_the_click_pixel(scale: float) -> None:
    """A click at pointer pixel (px, py) is drawn at that pixel's centre in logical pixels."""
    img = np.zeros((800, 1280, 3), np.uint8)
    cap = Capture(img, ScreenMapping(-1280.0, 0.0), Box(-1280, 0, 0, 800), 0.0)
    plan = make_plan(cap, "click Save", make_result("click Save", [(401, 203, 0.9, "Save")]))
    screens = [ScreenLayout(Box.from_xywh(-1280, 0, 1280 / scale, 800 / scale), scale)]
    (m,) = markers_for_plan(plan, screens, (-1280.0, 0.0))
    assert (m.x, m.y) == pytest.approx((401.5 / scale, 203.5 / scale))


def test_background_is_the_capture(qtbot: Any) -> None:
    rgb = np.zeros((400, 500, 3), np.uint8)
    rgb[:, :250] = (200, 30, 30)
    overlay = Overlay()
    qtbot.addWidget(overlay)
    overlay.present("p", [], QRect(0, 0, 500, 400), qimage_from_rgb(rgb), False, "x")
    img: QImage = overlay.grab().toImage()
    assert img.pixelColor(100, 200) == QColor(200, 30, 30)
    assert img.pixelColor(400, 200) == QColor(0, 0, 0)


@pytest.mark.parametrize("bg_value", [0, 255])
def test_banner_is_white_on_black(qtbot: Any, bg_value: int) -> None:
    overlay = show(qtbot, MARKERS, bg_value)
    img = overlay.grab().toImage()
    r = overlay.banner_rect()
    inside = [img.pixelColor(round(r.left() + 6), round(r.center().y())),
              img.pixelColor(round(r.right() - 6), round(r.top() + 6))]
    assert all(c == QColor(0, 0, 0) for c in inside), inside
    text = [img.pixelColor(x, round(r.center().y())) for x in range(round(r.left()) + 10, round(r.right()) - 10)]
    assert any(luminance(c) > 0.9 for c in text)  # white letters
