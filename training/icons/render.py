"""Render every icon file once to a 64×64 coverage mask (the icon's alpha), cached as ``.npz``.

Augmentation (colours, sizes, frames, blur, JPEG) happens later on these
masks, which is much faster than re-rendering SVGs every epoch. Stroke
icons (Tabler, Lucide) are also rendered with a thinner and a thicker
stroke, since apps draw them at different weights.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

import cv2
import numpy as np

from training.icons.catalog import HELD_OUT, IconRecord, load_catalog
from training.icons.recipe import active as active_recipe
from training.icons.fetch_data import CACHE
from training.icons.negatives import render_hard_negatives

__all__ = ["RENDER_SIZE", "render_all", "render_hard", "load_rendered", "load_negatives", "held_out_lookalikes"]

logger = logging.getLogger(__name__)

RENDER_SIZE = 64
OUT = CACHE / f"rendered{active_recipe().render_suffix}.npz"
_STROKE_SETS = {"tabler": "2", "lucide": "2"}


def _qt():  # type: ignore[no-untyped-def]
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    # A widgets application, not a bare QGuiApplication: ``make`` builds Qt widget screens
    # for evaluation in the same process, and Qt allows one application object.
    app = QApplication.instance() or QApplication([])
    return app


def _render(data: bytes, size: int = RENDER_SIZE) -> np.ndarray | None:
    from PySide6.QtCore import QByteArray, QRectF, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(QByteArray(data))
    if not renderer.isValid():
        return None
    renderer.setAspectRatioMode(Qt.AspectRatioMode.KeepAspectRatio)
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    buf = np.frombuffer(image.constBits(), np.uint8).reshape(size, size, 4)
    alpha = buf[:, :, 3].copy()
    return alpha if alpha.max() > 0 else None


def _variants(rec: IconRecord, path: Path) -> list[bytes]:
    data = path.read_bytes()
    width = _STROKE_SETS.get(rec.set)
    if width is None or f'stroke-width="{width}"'.encode() not in data:
        return [data]
    return [data] + [re.sub(rb'stroke-width="2"', f'stroke-width="{w}"'.encode(), data) for w in ("1.5", "2.5")]


_FONTS = ("DejaVu Sans", "Liberation Sans", "Liberation Serif", "DejaVu Sans Mono", "Noto Sans CJK SC",
          "DejaVu Sans Condensed")
_CJK = "保存打开关闭设置删除搜索文件编辑帮助确定取消下一步返回"


def _text_mask(text: str, family: str, bold: bool, size: int = RENDER_SIZE) -> np.ndarray | None:
    """A word drawn to fit a square, like an OCR-missed label a proposal might catch."""
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QFont, QFontMetricsF, QImage, QPainter

    font = QFont(family, 40)
    font.setBold(bold)
    width = QFontMetricsF(font).horizontalAdvance(text) + 4
    if width > size:
        font.setPointSizeF(40 * size / width)
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.setFont(font)
    painter.setPen(Qt.GlobalColor.black)
    painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    alpha = np.frombuffer(image.constBits(), np.uint8).reshape(size, size, 4)[:, :, 3].copy()
    return alpha if alpha.max() > 0 else None


def render_negatives(words: list[str], count: int = 3000, seed: int = 0) -> np.ndarray:
    """Masks of short words (Latin and CJK) in UI fonts: things that are not icons."""
    rng = np.random.default_rng(seed)
    out = []
    while len(out) < count:
        if rng.random() < 0.2:
            text = "".join(rng.choice(list(_CJK), int(rng.integers(1, 4))))
        else:
            text = str(rng.choice(words))[: int(rng.integers(2, 12))]
            text = text.capitalize() if rng.random() < 0.5 else text
        mask = _text_mask(text, str(rng.choice(_FONTS)), bool(rng.random() < 0.3))
        if mask is not None:
            out.append(mask)
    return np.stack(out)


LOOKALIKE_IOU = 0.9   # a glyph this close to a held-out one (binary 32 px IoU) counts as a copy of it


def held_out_lookalikes(masks: np.ndarray, owner: np.ndarray, sets: list[str], check: set[str],
                        held_out: set[str], threshold: float = LOOKALIKE_IOU) -> np.ndarray:
    """Which masks of the ``check`` sets copy a glyph of a ``held_out`` set (bool per mask).

    Themes share simple glyphs with Adwaita (the same bold "B", the same
    gear), so a new training theme could leak held-out icons into training
    and flatter the held-out score; such copies are left out.
    """
    def binary(idx: np.ndarray) -> np.ndarray:
        small = np.stack([cv2.resize(m, (32, 32), interpolation=cv2.INTER_AREA) for m in masks[idx]]) \
            if len(idx) else np.zeros((0, 32, 32), np.uint8)
        return (small > 100).reshape(len(idx), -1).astype(np.float32)

    of_set = np.array([sets[o] for o in owner])
    tested = np.flatnonzero(np.isin(of_set, sorted(check)))
    reference = np.flatnonzero(np.isin(of_set, sorted(held_out)))
    out = np.zeros(len(masks), bool)
    if len(tested) == 0 or len(reference) == 0:
        return out
    a, b = binary(tested), binary(reference)
    inter = a @ b.T
    union = a.sum(1)[:, None] + b.sum(1)[None, :] - inter
    out[tested] = (inter / np.maximum(union, 1.0)).max(axis=1) >= threshold
    return out


def render_all(force: bool = False) -> Path:
    """Render the whole catalogue (once; ``force`` redoes it) and return the cache file."""
    if OUT.exists() and not force:
        return OUT
    _qt()
    records = load_catalog()
    masks, owner = [], []
    for index, rec in enumerate(records):
        for path in rec.files:
            for data in _variants(rec, path):
                mask = _render(data)
                if mask is not None:
                    masks.append(mask)
                    owner.append(index)
    themes = set(active_recipe().themes)
    if themes:
        copies = held_out_lookalikes(np.stack(masks), np.array(owner), [r.set for r in records], themes,
                                     set(HELD_OUT))
        logger.info("left out %d masks of %s that copy held-out glyphs", int(copies.sum()), sorted(themes))
        masks = [m for m, c in zip(masks, copies) if not c]
        owner = [o for o, c in zip(owner, copies) if not c]
    words = sorted({w for r in records for w in r.words if len(w) >= 2})
    np.savez_compressed(OUT, masks=np.stack(masks), negatives=render_negatives(words), owner=np.array(owner, np.int32),
                        sets=np.array([r.set for r in records]), names=np.array([r.name for r in records]))
    logger.info("rendered %d masks of %d icons → %s", len(masks), len(records), OUT)
    return OUT


def load_rendered() -> tuple[np.ndarray, np.ndarray]:
    """``(masks (N,64,64) uint8, owner (N,) index into load_catalog())``."""
    data = np.load(render_all())
    return data["masks"], data["owner"]


NEGATIVES = CACHE / f"negatives{active_recipe().render_suffix}.npz"


def render_hard(force: bool = False) -> Path:
    """Render the hard negatives of :mod:`training.icons.negatives` once (seed 0) and return the cache file."""
    if NEGATIVES.exists() and not force:
        return NEGATIVES
    _qt()
    masks, sizes = render_hard_negatives(_FONTS, count=4000, seed=0)
    np.savez_compressed(NEGATIVES, masks=masks, min_size=sizes)
    logger.info("rendered %d hard negatives → %s", len(masks), NEGATIVES)
    return NEGATIVES


def load_negatives() -> tuple[np.ndarray, np.ndarray]:
    """Masks ``(M,64,64) uint8`` the model learns to call "not an icon", and each one's smallest size (px).

    Rendered words for every recipe; the hard negatives too where the active
    recipe asks for them.
    """
    words = np.load(render_all())["negatives"]
    sizes = np.full(len(words), 12, np.int32)
    if not active_recipe().hard_negatives:
        return words, sizes
    hard = np.load(render_hard())
    return np.concatenate([words, hard["masks"]]), np.concatenate([sizes, hard["min_size"].astype(np.int32)])


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    render_all(force=True)
    if active_recipe().hard_negatives:
        render_hard(force=True)
