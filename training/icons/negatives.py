"""Hard "not an icon" crops: what image proposals catch on real screens that is no icon.

The 57-set candidate gave much of its belief in "maximize", "forward" or
"reload" to letters and parts of words OCR had left over, a table's grid
line and a window's size grip (models/icons/MODEL_CARD.md). These masks
teach such crops the target "not an icon", besides the rendered words of
:mod:`training.icons.render`:

* ``fragment`` — one to three letters or digits, most of them cut by the crop
  edge (partial glyphs), in UI fonts;
* ``rule`` — a hairline across the whole crop, horizontal or vertical;
* ``grid`` — a table's grid lines and their crossings (T, L, + and cells);
* ``dotted`` — dotted or dashed separators (six dots or more, never three);
* ``grip`` — a window's size grip: diagonal hatch or a triangle of dots;
* ``cursor`` — a text cursor: a thin bar, sometimes an I-beam;
* ``border`` — bits of window and field borders: corners, long thin frames.

Shapes that *are* icons in UIs (+, −, ×, ✓, arrows, chevrons, ☰, …, the
magnifier, a square frame) are not drawn here. Hairline kinds are thin only
at a large crop size, so each mask comes with the smallest size the
augmentation may shrink it to: a 1 px rule across 60 px stays a hairline,
while the same mask at 12 px would be a minimize bar.
"""

from __future__ import annotations

import string

import cv2
import numpy as np

__all__ = ["KINDS", "MIN_SIZE", "draw_shape", "fragment_mask", "render_hard_negatives"]

SIZE = 64
KINDS = ("fragment", "rule", "grid", "dotted", "grip", "cursor", "border")
#: Smallest crop size (px) the augmentation may draw each kind at.
MIN_SIZE = {"fragment": 12, "rule": 44, "grid": 44, "dotted": 32, "grip": 12, "cursor": 14, "border": 32}
#: Share of each kind among the hard negatives (fragments are what fooled the candidate most).
_SHARE = {"fragment": 0.4, "rule": 0.1, "grid": 0.12, "dotted": 0.08, "grip": 0.1, "cursor": 0.08, "border": 0.12}
_CHARS = string.ascii_letters + string.digits


def _canvas() -> np.ndarray:
    return np.zeros((SIZE, SIZE), np.uint8)


def _rule(rng: np.random.Generator) -> np.ndarray:
    img = _canvas()
    at, width = int(rng.integers(8, SIZE - 8)), int(rng.choice([1, 1, 2]))
    img[at:at + width, :] = 255
    return img if rng.random() < 0.5 else img.T.copy()


def _grid(rng: np.random.Generator) -> np.ndarray:
    """Grid lines spanning the crop: one crossing (T, L or +) or a few cells."""
    img = _canvas()
    if rng.random() < 0.5:      # cells: two or three lines one way, one to three the other
        rows = np.sort(rng.choice(np.arange(4, SIZE - 4), int(rng.integers(2, 4)), replace=False))
        cols = np.sort(rng.choice(np.arange(4, SIZE - 4), int(rng.integers(1, 4)), replace=False))
        img[rows, :] = 255
        img[:, cols] = 255
        return img if rng.random() < 0.5 else img.T.copy()
    y, x = (int(v) for v in rng.integers(6, SIZE - 6, 2))
    img[y, :] = 255
    shape = rng.integers(0, 3)  # 0: + (lines right across), 1: T, 2: L
    if shape == 0:
        img[:, x] = 255
    elif shape == 1:
        img[y:, x] = 255
    else:
        img[y:, x] = 255
        img[y, :x] = 0
    return np.rot90(img, int(rng.integers(0, 4))).copy()


def _dotted(rng: np.random.Generator) -> np.ndarray:
    img = _canvas()
    n = int(rng.integers(6, 13))
    step = SIZE / n
    y, dash = int(rng.integers(10, SIZE - 10)), rng.random() < 0.5
    thick = int(rng.choice([1, 2]))
    for i in range(n):
        x0 = int(i * step + step * 0.2)
        x1 = int(x0 + (step * 0.55 if dash else thick))
        img[y:y + thick, x0:max(x1, x0 + 1)] = 255
    return img if rng.random() < 0.5 else img.T.copy()


def _grip(rng: np.random.Generator) -> np.ndarray:
    """A size grip in the bottom-right corner: diagonal hatch or a 3-2-1 triangle of dots."""
    img = _canvas()
    if rng.random() < 0.5:
        n, gap = int(rng.integers(2, 4)), int(rng.integers(10, 18))
        for i in range(n):
            k = SIZE - 6 - i * gap
            cv2.line(img, (k, SIZE - 6), (SIZE - 6, k), 255, int(rng.choice([2, 3, 4])), cv2.LINE_AA)
    else:
        r, gap = int(rng.integers(3, 6)), int(rng.integers(14, 19))
        for row in range(3):
            for col in range(row + 1):
                cx, cy = SIZE - 8 - col * gap, SIZE - 8 - (2 - row) * gap
                cv2.circle(img, (cx, cy), r, 255, -1, cv2.LINE_AA)
    return np.rot90(img, int(rng.integers(0, 4))).copy() if rng.random() < 0.25 else img


def _cursor(rng: np.random.Generator) -> np.ndarray:
    img = _canvas()
    x, width = int(rng.integers(24, 40)), int(rng.choice([2, 3]))
    top, bottom = int(rng.integers(2, 10)), int(rng.integers(SIZE - 10, SIZE - 2))
    img[top:bottom, x:x + width] = 255
    if rng.random() < 0.4:      # I-beam serifs
        arm = int(rng.integers(4, 9))
        img[top:top + width, x - arm:x + width + arm] = 255
        img[bottom - width:bottom, x - arm:x + width + arm] = 255
    return img


def _border(rng: np.random.Generator) -> np.ndarray:
    """A corner of a window or field (square or rounded), or a long thin frame (a field's outline)."""
    img = _canvas()
    width = int(rng.choice([1, 1, 2]))
    if rng.random() < 0.5:
        y0 = int(rng.integers(6, 40))
        y1 = int(min(SIZE - 2, y0 + rng.integers(6, max(7, SIZE // 4))))   # ≥ 4:1 wide, never a square
        cv2.rectangle(img, (0, y0), (SIZE - 1, y1), 255, width)
        img[:, : int(rng.integers(0, 2)) * SIZE // 2] = 0   # sometimes only the right half of it
        return img if rng.random() < 0.7 else img.T.copy()
    x, y, radius = int(rng.integers(4, 30)), int(rng.integers(4, 30)), int(rng.choice([0, 0, 4, 8]))
    if radius:
        cv2.ellipse(img, (x + radius, y + radius), (radius, radius), 180, 0, 90, 255, width, cv2.LINE_AA)
    img[y:y + width, x + radius:] = 255
    img[y + radius:, x:x + width] = 255
    return np.rot90(img, int(rng.integers(0, 4))).copy()


_SHAPES = {"rule": _rule, "grid": _grid, "dotted": _dotted, "grip": _grip, "cursor": _cursor, "border": _border}


def draw_shape(kind: str, rng: np.random.Generator) -> np.ndarray:
    """One ``SIZE``×``SIZE`` coverage mask of a non-text ``kind`` (see :data:`KINDS`)."""
    if kind not in _SHAPES:
        raise ValueError(f"unknown negative kind {kind!r}: choose one of {', '.join(_SHAPES)}")
    return _SHAPES[kind](rng)


def fragment_mask(text: str, family: str, bold: bool, rng: np.random.Generator, cut: bool) -> np.ndarray | None:
    """``text`` drawn large, then a ``SIZE`` window of it; with ``cut`` the window clips the glyphs.

    Needs a Qt application (the fonts are Qt's); returns None when the
    window holds no ink.
    """
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QFont, QImage, QPainter

    big = 2 * SIZE
    font = QFont(family)
    font.setPixelSize(int(rng.integers(40, 96)) if cut else int(rng.integers(36, 56)))
    font.setBold(bold)
    image = QImage(big, big, QImage.Format.Format_ARGB32)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.setFont(font)
    painter.setPen(Qt.GlobalColor.black)
    painter.drawText(QRectF(0, 0, big, big), Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    alpha = np.frombuffer(image.constBits(), np.uint8).reshape(big, big, 4)[:, :, 3].copy()
    if cut:                        # a window off the text's centre: glyphs cut at one or two edges
        ys, xs = np.nonzero(alpha > 64)
        if len(ys) == 0:
            return None
        cy = int(rng.integers(ys.min(), ys.max() + 1))
        cx = int(rng.integers(xs.min(), xs.max() + 1))
        y0 = int(np.clip(cy - SIZE // 2 + rng.integers(-16, 17), 0, SIZE))
        x0 = int(np.clip(cx - SIZE // 2 + rng.integers(-16, 17), 0, SIZE))
        out = alpha[y0:y0 + SIZE, x0:x0 + SIZE]
    else:
        out = cv2.resize(alpha, (SIZE, SIZE), interpolation=cv2.INTER_AREA)
    return out.copy() if int(out.max()) > 64 else None


def render_hard_negatives(fonts: tuple[str, ...], count: int = 4000,
                          seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``count`` hard negatives: masks ``(count, 64, 64) uint8`` and each one's smallest size ``(count,)``.

    Deterministic for a seed (the same shapes and texts; Qt may shade a few
    text pixels a few levels apart the first time it draws a glyph in a
    process). Fragments need a Qt application.
    """
    rng = np.random.default_rng(seed)
    kinds = list(_SHARE)
    p = np.array([_SHARE[k] for k in kinds])
    masks, sizes = [], []
    while len(masks) < count:
        kind = kinds[int(rng.choice(len(kinds), p=p / p.sum()))]
        if kind == "fragment":
            text = "".join(rng.choice(list(_CHARS), int(rng.integers(1, 4))))
            mask = fragment_mask(text, str(rng.choice(fonts)), bool(rng.random() < 0.3), rng,
                                 cut=bool(rng.random() < 0.7))
        else:
            mask = draw_shape(kind, rng)
        if mask is not None and int(mask.max()) > 0:
            masks.append(mask)
            sizes.append(MIN_SIZE[kind])
    return np.stack(masks), np.array(sizes, np.int32)
