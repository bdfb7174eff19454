"""The recursive 3×3 grid ("show grid"): the last resort that can reach any pixel.

Like Dragon's MouseGrid and Voice Control's grid, the region is cut into
nine cells numbered like a phone keypad (1 top left, 9 bottom right); a
digit zooms into that cell, Backspace goes back up a level, and Enter clicks
the centre of the current cell. Plain arithmetic on boxes in image pixels;
the overlay only draws it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from desktop.core.geometry import Box

__all__ = ["GridState", "MIN_CELL"]

#: A cell smaller than this (image pixels) is not split further: its centre is precise enough.
MIN_CELL = 3.0


@dataclass(frozen=True)
class GridState:
    """A grid over ``region`` zoomed along ``path`` (the digits chosen so far).

    Parameters
    ----------
    region
        The whole area the grid starts from, in image pixels.
    path
        Digits 1–9 chosen so far, outermost first.
    rows, cols
        The split at every level (3×3 by default).
    """

    region: Box
    path: tuple[int, ...] = ()
    rows: int = 3
    cols: int = 3

    def __post_init__(self) -> None:
        if self.rows < 1 or self.cols < 1 or self.rows * self.cols > 9:
            raise ValueError("a grid has 1 to 9 cells per level")
        if self.region.width <= 0 or self.region.height <= 0:
            raise ValueError("the grid's region is empty")
        if any(not 1 <= d <= self.rows * self.cols for d in self.path):
            raise ValueError(f"grid path {self.path} names a cell that does not exist")

    @staticmethod
    def _split(box: Box, digit: int, rows: int, cols: int) -> Box:
        r, c = divmod(digit - 1, cols)
        w, h = box.width / cols, box.height / rows
        return Box(box.x0 + c * w, box.y0 + r * h, box.x0 + (c + 1) * w, box.y0 + (r + 1) * h)

    @property
    def box(self) -> Box:
        """The current cell (the whole region at the top level)."""
        box = self.region
        for digit in self.path:
            box = self._split(box, digit, self.rows, self.cols)
        return box

    @property
    def centre(self) -> tuple[float, float]:
        """Where Enter clicks: the centre of the current cell."""
        return self.box.center

    @property
    def depth(self) -> int:
        return len(self.path)

    def cells(self) -> list[Box]:
        """The current cell's sub-cells, in digit order (index 0 is digit 1)."""
        box = self.box
        return [self._split(box, d, self.rows, self.cols) for d in range(1, self.rows * self.cols + 1)]

    @property
    def can_zoom(self) -> bool:
        """Whether the sub-cells are still big enough to choose between."""
        box = self.box
        return box.width / self.cols >= MIN_CELL and box.height / self.rows >= MIN_CELL

    def zoom(self, digit: int) -> GridState:
        """The grid zoomed into cell ``digit``; unchanged when the cells are already tiny.

        Raises
        ------
        ValueError
            When ``digit`` names no cell (0, or more than rows × cols).
        """
        if not 1 <= digit <= self.rows * self.cols:
            raise ValueError(f"there is no grid cell {digit}")
        if not self.can_zoom:
            return self
        return replace(self, path=self.path + (digit,))

    def up(self) -> GridState:
        """One level back out (the top level stays the top level)."""
        return replace(self, path=self.path[:-1])

    def describe(self) -> str:
        """A short spoken or written description, e.g. "cell 5, 3 (level 2)"."""
        if not self.path:
            return "whole region"
        return f"cell {', '.join(str(d) for d in self.path)} (level {self.depth})"
