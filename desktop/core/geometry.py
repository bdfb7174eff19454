"""Boxes in image pixels and the one mapping from image pixels to the pointer's coordinates.

Every conversion between a screenshot's pixels and the coordinates the pointer
uses goes through :class:`ScreenMapping`, so HiDPI scaling and monitors with
negative offsets are handled in exactly one place.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["Box", "ScreenMapping"]


@dataclass(frozen=True)
class Box:
    """An axis-aligned box ``[x0, y0, x1, y1)`` in image pixels (x1, y1 exclusive)."""

    x0: float
    y0: float
    x1: float
    y1: float

    def __post_init__(self) -> None:
        if not all(math.isfinite(v) for v in (self.x0, self.y0, self.x1, self.y1)):
            raise ValueError(f"box coordinates must be finite: {self}")
        if self.x1 < self.x0 or self.y1 < self.y0:
            raise ValueError(f"box has negative size: {self}")

    @classmethod
    def from_xywh(cls, x: float, y: float, w: float, h: float) -> Box:
        return cls(x, y, x + w, y + h)

    @classmethod
    def around(cls, points: "list[tuple[float, float]]") -> Box:
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        return cls(min(xs), min(ys), max(xs), max(ys))

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def area(self) -> float:
        return self.width * self.height

    @property
    def center(self) -> tuple[float, float]:
        return ((self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2)

    def contains(self, x: float, y: float) -> bool:
        return self.x0 <= x < self.x1 and self.y0 <= y < self.y1

    def intersection(self, other: Box) -> float:
        w = min(self.x1, other.x1) - max(self.x0, other.x0)
        h = min(self.y1, other.y1) - max(self.y0, other.y0)
        return w * h if w > 0 and h > 0 else 0.0

    def iou(self, other: Box) -> float:
        inter = self.intersection(other)
        union = self.area + other.area - inter
        return inter / union if union > 0 else 0.0

    def overlap_of_smaller(self, other: Box) -> float:
        """Share of the smaller box that lies inside the other one."""
        smaller = min(self.area, other.area)
        return self.intersection(other) / smaller if smaller > 0 else 0.0

    def union(self, other: Box) -> Box:
        return Box(min(self.x0, other.x0), min(self.y0, other.y0),
                   max(self.x1, other.x1), max(self.y1, other.y1))

    def expand(self, dx: float, dy: float | None = None) -> Box:
        dy = dx if dy is None else dy
        return Box(self.x0 - dx, self.y0 - dy, self.x1 + dx, self.y1 + dy)

    def clip(self, width: float, height: float) -> Box:
        x0 = min(max(self.x0, 0.0), width)
        y0 = min(max(self.y0, 0.0), height)
        return Box(x0, y0, max(x0, min(self.x1, width)), max(y0, min(self.y1, height)))

    def translate(self, dx: float, dy: float) -> Box:
        return Box(self.x0 + dx, self.y0 + dy, self.x1 + dx, self.y1 + dy)

    def scale(self, factor: float) -> Box:
        return Box(self.x0 * factor, self.y0 * factor, self.x1 * factor, self.y1 * factor)

    def to_list(self) -> list[int]:
        """Integer ``[x0, y0, x1, y1]`` as the ``ground`` JSON contract prints it."""
        return [int(math.floor(self.x0)), int(math.floor(self.y0)),
                int(math.ceil(self.x1)), int(math.ceil(self.y1))]


@dataclass(frozen=True)
class ScreenMapping:
    """How a captured image's pixels map to the pointer's coordinates.

    ``pointer = origin + image_pixel / pixels_per_unit``. ``origin`` is the
    captured region's top-left corner in pointer coordinates (negative for a
    monitor left of or above the primary one). ``pixels_per_unit`` is how many
    image pixels one pointer unit spans: 1.0 where the pointer works in
    physical pixels (X11, DPI-aware Windows), the device pixel ratio where it
    works in logical points (macOS), and it also absorbs any downscaling of
    the screenshot before grounding.
    """

    origin_x: float = 0.0
    origin_y: float = 0.0
    pixels_per_unit_x: float = 1.0
    pixels_per_unit_y: float = 1.0

    def __post_init__(self) -> None:
        if not (self.pixels_per_unit_x > 0 and self.pixels_per_unit_y > 0):
            raise ValueError("pixels_per_unit must be positive")

    @classmethod
    def identity(cls) -> ScreenMapping:
        return cls()

    def to_screen(self, x: float, y: float) -> tuple[int, int]:
        """Image pixel to the pointer coordinate whose pixel contains it."""
        sx = self.origin_x + x / self.pixels_per_unit_x
        sy = self.origin_y + y / self.pixels_per_unit_y
        return int(math.floor(sx)), int(math.floor(sy))

    def to_image(self, sx: float, sy: float) -> tuple[float, float]:
        """Pointer coordinate to image pixels (the exact inverse of :meth:`to_screen` before rounding)."""
        return ((sx - self.origin_x) * self.pixels_per_unit_x,
                (sy - self.origin_y) * self.pixels_per_unit_y)

    def box_to_screen(self, box: Box) -> Box:
        return Box(self.origin_x + box.x0 / self.pixels_per_unit_x,
                   self.origin_y + box.y0 / self.pixels_per_unit_y,
                   self.origin_x + box.x1 / self.pixels_per_unit_x,
                   self.origin_y + box.y1 / self.pixels_per_unit_y)
