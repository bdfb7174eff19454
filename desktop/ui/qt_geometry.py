"""The one place that converts between Qt's logical pixels and pointer coordinates.

Three coordinate systems meet in the app: the screenshot's pixels (mapped to
pointer coordinates by :class:`~desktop.core.geometry.ScreenMapping`), the
pointer's own coordinates (what pyautogui clicks), and Qt's logical pixels
(where widgets are placed and painted). Qt's high-DPI scaling keeps each
screen's top-left corner where the platform puts it and scales only
distances inside the screen::

    native = native_origin + (logical - logical_origin) * scale

``scale`` is the factor Qt itself applies: the device pixel ratio on X11 and
Windows (and Qt's offscreen platform), where the platform works in physical
pixels like the pointer, and 1.0 on macOS and Wayland, where the platform
already works in logical points like the pointer. So Qt's "native"
coordinates are the pointer's coordinates on every platform.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Sequence

from desktop.core.geometry import Box

__all__ = [
    "ScreenLayout",
    "screen_for_logical",
    "screen_for_pointer",
    "logical_to_pointer",
    "pointer_to_logical",
    "pointer_box_to_logical",
    "logical_box_to_pointer",
    "qt_screen_layouts",
]


@dataclass(frozen=True)
class ScreenLayout:
    """One screen as Qt sees it.

    Parameters
    ----------
    logical
        The screen's geometry in Qt logical pixels (``QScreen.geometry()``).
    scale
        The factor Qt applies between logical and pointer coordinates on this screen.
    native_origin
        The screen's top-left corner in pointer coordinates; ``None`` means the
        same as the logical top-left (what Qt 6 does).
    """

    logical: Box
    scale: float = 1.0
    native_origin: tuple[float, float] | None = None

    @property
    def origin(self) -> tuple[float, float]:
        return self.native_origin if self.native_origin is not None else (self.logical.x0, self.logical.y0)

    @property
    def native(self) -> Box:
        """The screen's area in pointer coordinates."""
        ox, oy = self.origin
        return Box(ox, oy, ox + self.logical.width * self.scale, oy + self.logical.height * self.scale)


def _nearest(screens: Sequence[ScreenLayout], x: float, y: float, native: bool) -> ScreenLayout:
    if not screens:
        raise ValueError("no screens")

    def distance(s: ScreenLayout) -> float:
        b = s.native if native else s.logical
        dx = max(b.x0 - x, 0.0, x - (b.x1 - 1e-9))
        dy = max(b.y0 - y, 0.0, y - (b.y1 - 1e-9))
        return dx * dx + dy * dy

    return min(screens, key=distance)


def screen_for_logical(screens: Sequence[ScreenLayout], x: float, y: float) -> ScreenLayout:
    """The screen containing logical point ``(x, y)``, or the nearest one."""
    return _nearest(screens, x, y, native=False)


def screen_for_pointer(screens: Sequence[ScreenLayout], x: float, y: float) -> ScreenLayout:
    """The screen containing pointer position ``(x, y)``, or the nearest one."""
    return _nearest(screens, x, y, native=True)


def logical_to_pointer(screens: Sequence[ScreenLayout], x: float, y: float) -> tuple[float, float]:
    """A Qt logical point to pointer coordinates."""
    s = screen_for_logical(screens, x, y)
    ox, oy = s.origin
    return ox + (x - s.logical.x0) * s.scale, oy + (y - s.logical.y0) * s.scale


def pointer_to_logical(screens: Sequence[ScreenLayout], x: float, y: float) -> tuple[float, float]:
    """Pointer coordinates to a Qt logical point (the inverse of :func:`logical_to_pointer`)."""
    s = screen_for_pointer(screens, x, y)
    ox, oy = s.origin
    return s.logical.x0 + (x - ox) / s.scale, s.logical.y0 + (y - oy) / s.scale


def pointer_box_to_logical(screens: Sequence[ScreenLayout], box: Box) -> Box:
    """A box in pointer coordinates to logical pixels, using the screen of its top-left corner.

    A box spanning screens with different scales has no single logical
    rectangle; the app only places windows within one screen.
    """
    s = screen_for_pointer(screens, box.x0, box.y0)
    ox, oy = s.origin
    return Box(s.logical.x0 + (box.x0 - ox) / s.scale, s.logical.y0 + (box.y0 - oy) / s.scale,
               s.logical.x0 + (box.x1 - ox) / s.scale, s.logical.y0 + (box.y1 - oy) / s.scale)


def logical_box_to_pointer(screens: Sequence[ScreenLayout], box: Box) -> Box:
    """A box in logical pixels to pointer coordinates, using the screen of its top-left corner."""
    s = screen_for_logical(screens, box.x0, box.y0)
    ox, oy = s.origin
    return Box(ox + (box.x0 - s.logical.x0) * s.scale, oy + (box.y0 - s.logical.y0) * s.scale,
               ox + (box.x1 - s.logical.x0) * s.scale, oy + (box.y1 - s.logical.y0) * s.scale)


#: Qt platform plugins whose native coordinates are physical pixels, so that
#: the whole device pixel ratio is Qt's own scaling.
PHYSICAL_PLATFORMS = ("xcb", "windows", "offscreen", "minimal", "vnc", "eglfs", "linuxfb")


def qt_screen_layouts(qt_scales: bool | None = None) -> list[ScreenLayout]:
    """The running application's screens (needs a ``QGuiApplication``).

    Parameters
    ----------
    qt_scales
        Whether Qt applies the device pixel ratio itself (see the module
        docstring); ``None`` decides from the platform plugin.
    """
    from PySide6.QtGui import QGuiApplication

    if qt_scales is None:
        # Cocoa and Wayland already work in points, so Qt adds no scaling of its own there.
        qt_scales = QGuiApplication.platformName() in PHYSICAL_PLATFORMS and sys.platform != "darwin"
    layouts = []
    for screen in QGuiApplication.screens():
        g = screen.geometry()
        scale = float(screen.devicePixelRatio()) if qt_scales else 1.0
        layouts.append(ScreenLayout(Box.from_xywh(g.x(), g.y(), g.width(), g.height()), scale))
    return layouts
