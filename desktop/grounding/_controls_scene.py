"""The shapes on a screenshot that the control detector reasons about.

A flat UI is made of regions of (nearly) constant colour separated by thin
borders. We mark every pixel whose 3x3 neighbourhood changes by more than a
few grey levels as *ink* and trace the ink with ``cv2.findContours`` in tree
mode. Two kinds of contour matter:

* **holes**, the flat interiors enclosed by ink: the inside of a checkbox,
  a text field, a button, a combo box, a tab;
* **blobs**, the outer outlines of ink components: letters, check marks,
  arrows, knobs, and solid shapes such as a filled radio dot.

A hole's direct children are the blobs inside it, which tells us what a
frame contains (a text line, an arrow, a check mark) without touching pixels.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Sequence

import cv2
import numpy as np

__all__ = ["Scene", "build_scene"]

#: Grey-level step that counts as a border. Flat themes draw borders with as
#: little as ~20 levels of contrast (dark themes), and anti-aliased gradients
#: step by 1-3 levels per pixel, so 10 separates the two with margin.
EDGE_THRESHOLD = 10
_CROSS = cv2.getStructuringElement(cv2.MORPH_CROSS, (3, 3))


@dataclass(frozen=True, eq=False)
class Scene:
    """Ink map and contour tree of one screenshot."""

    image: np.ndarray
    gray: np.ndarray
    ink: np.ndarray
    contours: tuple[np.ndarray, ...]
    #: ``(N, 4)`` int boxes ``x0, y0, x1, y1`` (inclusive) of every contour.
    boxes: np.ndarray
    #: ``(N, 4)`` OpenCV hierarchy rows: next, previous, first child, parent.
    tree: np.ndarray
    depth: np.ndarray

    @property
    def height(self) -> int:
        return int(self.gray.shape[0])

    @property
    def width(self) -> int:
        return int(self.gray.shape[1])

    @cached_property
    def hole_ids(self) -> np.ndarray:
        """Indices of hole contours (odd depth in the tree)."""
        return np.flatnonzero(self.depth % 2 == 1)

    @cached_property
    def blob_ids(self) -> np.ndarray:
        """Indices of blob outlines (even depth in the tree)."""
        return np.flatnonzero(self.depth % 2 == 0)

    def sized(self, ids: np.ndarray, lo: float, hi: float, aspect: tuple[float, float]) -> np.ndarray:
        """The contours among ``ids`` whose height is in ``[lo, hi]`` and width/height in ``aspect``."""
        b = self.boxes[ids]
        w = b[:, 2] - b[:, 0] + 1
        h = b[:, 3] - b[:, 1] + 1
        ratio = w / np.maximum(h, 1)
        keep = (h >= lo) & (h <= hi) & (ratio >= aspect[0]) & (ratio <= aspect[1])
        return ids[keep]

    def fill(self, index: int) -> float:
        """Polygon area of contour ``index`` over its box: ~1 rectangle, ~0.785 circle."""
        x0, y0, x1, y1 = self.boxes[index]
        span = max(int(x1 - x0), 1) * max(int(y1 - y0), 1)
        return float(cv2.contourArea(self.contours[index])) / span

    def kids(self, index: int) -> list[int]:
        """Indices of the contours directly inside contour ``index``."""
        out = []
        child = int(self.tree[index, 2])
        while child >= 0:
            out.append(child)
            child = int(self.tree[child, 0])
        return out

    def blob_box(self, index: int) -> tuple[int, int, int, int]:
        """Box of the ink component that encloses hole ``index`` (its parent outline)."""
        parent = int(self.tree[index, 3])
        return tuple(int(v) for v in self.boxes[parent]) if parent >= 0 else (0, 0, 0, 0)  # type: ignore[return-value]

    def ink_in(self, x0: int, y0: int, x1: int, y1: int) -> int:
        """Number of ink pixels in the inclusive box (clipped to the image)."""
        x0, y0 = max(x0, 0), max(y0, 0)
        x1, y1 = min(x1, self.width - 1), min(y1, self.height - 1)
        if x1 < x0 or y1 < y0:
            return 0
        return int(np.count_nonzero(self.ink[y0:y1 + 1, x0:x1 + 1]))

    def band(self, x: int, y: int, dx: int, dy: int, limit: int) -> int:
        """How many ink pixels follow one another from ``(x, y)`` stepping by ``(dx, dy)``."""
        n = 0
        while n < limit:
            xx, yy = x + dx * n, y + dy * n
            if not (0 <= xx < self.width and 0 <= yy < self.height) or not self.ink[yy, xx]:
                break
            n += 1
        return n


def build_scene(image: np.ndarray) -> Scene:
    """Trace the ink of an RGB ``uint8`` screenshot.

    Parameters
    ----------
    image
        ``(H, W, 3)`` RGB array.

    Returns
    -------
    Scene
        Grey image, ink mask and the full contour tree with boxes and depths.
    """
    gray = cv2.cvtColor(np.ascontiguousarray(image), cv2.COLOR_RGB2GRAY)
    grad = cv2.morphologyEx(gray, cv2.MORPH_GRADIENT, _CROSS)
    ink = (grad > EDGE_THRESHOLD).astype(np.uint8)
    contours, hierarchy = cv2.findContours(ink, cv2.RETR_TREE, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        empty = np.zeros((0, 4), np.int32)
        return Scene(image, gray, ink, (), empty, empty, np.zeros(0, np.int32))
    tree = hierarchy[0]
    return Scene(image, gray, ink, tuple(contours), _boxes(contours), tree, _depths(tree[:, 3]))


def _boxes(contours: Sequence[np.ndarray]) -> np.ndarray:
    # One vectorised pass instead of a boundingRect call per contour: screens
    # full of text have tens of thousands of contours.
    lengths = np.fromiter((len(c) for c in contours), np.int64, len(contours))
    points = np.concatenate(contours).reshape(-1, 2)
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    mins = np.minimum.reduceat(points, starts, axis=0)
    maxs = np.maximum.reduceat(points, starts, axis=0)
    return np.concatenate([mins, maxs], axis=1).astype(np.int32)


def _depths(parent: np.ndarray) -> np.ndarray:
    depth = np.zeros(len(parent), np.int32)
    current = parent.copy()
    while True:
        has = current >= 0
        if not has.any():
            return depth
        depth += has
        current = np.where(has, parent[np.maximum(current, 0)], -1)
