"""Where icons might be: small non-text things on a UI's flat background.

UI backgrounds are flat, so anything drawn on them shows up in a 3×3
morphological gradient. Text that OCR already read is blanked out first (so
an icon is not glued to its label), strokes a pixel or two apart are joined
by a small dilation, and connected components of icon size are the
proposals. A second, wider dilation catches icons made of separate parts
(three dots, grips). Icon-only buttons the controls source found are added
as they are.
"""

from __future__ import annotations

import re
from typing import Sequence

import cv2
import numpy as np

from desktop.core.geometry import Box

__all__ = ["propose_boxes", "crop_for", "is_wordlike", "MIN_SIDE", "MAX_SIDE"]

MIN_SIDE, MAX_SIDE = 8, 96
_EDGE = 28           # gradient (0–255) that counts as drawn
#: Dark title bars draw their buttons barely brighter than the bar (41 on 54 of 255);
#: a second, faint pass finds those without letting faint clutter join the strong edges.
_FAINT_EDGE = 10
_MAX_ASPECT = 4.0    # "more" (three dots) is about 3:1; text lines are longer
#: A lone short bar is an icon too (minimize, minus): thin, but at most this long.
_BAR_MAX_LENGTH, _BAR_MAX_ASPECT, _BAR_MIN_THICKNESS = 40, 12.0, 2
_MAX_PROPOSALS = 400


#: OCR also "reads" icons ("+", "G", "a", "『"); only boxes of real words hide what is under
#: them: two letters or digits ("OK", "2.2", "Save") or two CJK characters.
_CJK = re.compile(r"[\u3400-\u9fff\uac00-\ud7af]")


def is_wordlike(text: str) -> bool:
    """Whether an OCR word is a real word (its box is text, not an icon misread)."""
    if len(_CJK.findall(text)) >= 2:
        return True
    return sum(ch.isalnum() and not _CJK.match(ch) for ch in text) >= 2


def _edges(image: np.ndarray, text_boxes: Sequence[Box], threshold: int = _EDGE) -> np.ndarray:
    gray = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    kernel = np.ones((3, 3), np.uint8)
    grad = cv2.morphologyEx(gray, cv2.MORPH_GRADIENT, kernel)
    edges = (grad >= threshold).astype(np.uint8)
    h, w = edges.shape
    for box in text_boxes:
        b = box.expand(1).clip(w, h)
        edges[int(b.y0):int(np.ceil(b.y1)), int(b.x0):int(np.ceil(b.x1))] = 0
    return edges


def _components(edges: np.ndarray, join: int) -> list[Box]:
    joined = cv2.dilate(edges, np.ones((join, join), np.uint8)) if join > 1 else edges
    count, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    shrink = (join - 1) // 2   # undo what the dilation added around the outside
    x, y = stats[1:count, 0] + shrink, stats[1:count, 1] + shrink
    w, h = stats[1:count, 2] - 2 * shrink, stats[1:count, 3] - 2 * shrink
    long, short = np.maximum(w, h), np.minimum(w, h)
    icon = (short >= MIN_SIDE) & (long <= MAX_SIDE) & (long <= _MAX_ASPECT * short)
    bar = ((long >= MIN_SIDE) & (long <= _BAR_MAX_LENGTH) & (short >= _BAR_MIN_THICKNESS)
           & (long <= _BAR_MAX_ASPECT * short))
    keep = icon | bar
    boxes = [Box(float(a), float(b), float(a + c), float(b + d))
             for a, b, c, d in zip(x[keep], y[keep], w[keep], h[keep])]
    return [b for b in boxes if _has_body(edges, b)] if join > 3 else boxes


def _has_body(edges: np.ndarray, box: Box) -> bool:
    """Whether a box that only the wide dilation joined holds an icon's worth of ink.

    Three dots or a grip are three or more specks; two specks alone are the
    rounded corners of two frames that happen to meet (group boxes side by side).
    """
    x0, y0, x1, y1 = int(box.x0), int(box.y0), int(np.ceil(box.x1)), int(np.ceil(box.y1))
    count, _, stats, _ = cv2.connectedComponentsWithStats(edges[y0:y1, x0:x1], connectivity=8)
    sides = np.maximum(stats[1:count, 2], stats[1:count, 3])
    return count - 1 >= 3 or bool(sides.size and sides.max() >= MIN_SIDE)


def _array(boxes: Sequence[Box]) -> np.ndarray:
    return np.array([[b.x0, b.y0, b.x1, b.y1] for b in boxes], np.float64).reshape(-1, 4)


def _overlaps(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairwise intersection areas of boxes ``a`` (n, 4) and ``b`` (m, 4), and both sets' areas."""
    iw = np.clip(np.minimum(a[:, None, 2], b[None, :, 2]) - np.maximum(a[:, None, 0], b[None, :, 0]), 0, None)
    ih = np.clip(np.minimum(a[:, None, 3], b[None, :, 3]) - np.maximum(a[:, None, 1], b[None, :, 1]), 0, None)
    return iw * ih, (a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1]), (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])


def _dedupe(boxes: list[Box]) -> list[Box]:
    """Keep each box unless an earlier kept one covers it (IoU ≥ 0.7); hundreds of boxes, so in numpy."""
    if len(boxes) < 2:
        return list(boxes)
    arr = _array(boxes)
    inter, area, _ = _overlaps(arr, arr)
    iou = inter / np.maximum(area[:, None] + area[None, :] - inter, 1e-9)
    kept: list[int] = []
    for i in range(len(boxes)):
        if not kept or iou[i, kept].max() < 0.7:
            kept.append(i)
    return [boxes[i] for i in kept]


def _apart_from(boxes: list[Box], others: list[Box], limit: float) -> list[Box]:
    """The boxes that overlap no box of ``others`` by ``limit`` or more of the smaller one."""
    if not boxes or not others:
        return list(boxes)
    inter, area, other_area = _overlaps(_array(boxes), _array(others))
    smaller = np.maximum(np.minimum(area[:, None], other_area[None, :]), 1e-9)
    apart = (inter / smaller < limit).all(axis=1)
    return [box for box, ok in zip(boxes, apart) if ok]


def _is_frame(edges: np.ndarray, box: Box) -> bool:
    """Whether ``box`` is outlined (a button frame): edges run along most of all four sides."""
    x0, y0, x1, y1 = int(box.x0), int(box.y0), int(np.ceil(box.x1)), int(np.ceil(box.y1))
    sides = (edges[y0:y0 + 2, x0:x1].max(axis=0), edges[y1 - 2:y1, x0:x1].max(axis=0),
             edges[y0:y1, x0:x0 + 2].max(axis=1), edges[y0:y1, x1 - 2:x1].max(axis=1))
    return all(side.size and side.mean() > 0.6 for side in sides)


def _drop_parts(boxes: list[Box], edges: np.ndarray) -> list[Box]:
    """Drop pieces of a larger icon (the lid lines inside a trash can), keep icons inside frames."""
    if len(boxes) < 2:
        return boxes
    b = np.array([[x.x0, x.y0, x.x1, x.y1] for x in boxes])
    area = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
    side = np.maximum(b[:, 2] - b[:, 0], b[:, 3] - b[:, 1])
    iw = np.clip(np.minimum(b[:, None, 2], b[None, :, 2]) - np.maximum(b[:, None, 0], b[None, :, 0]), 0, None)
    ih = np.clip(np.minimum(b[:, None, 3], b[None, :, 3]) - np.maximum(b[:, None, 1], b[None, :, 1]), 0, None)
    # container[i, j]: box j holds box i and is not much bigger than it
    container = ((iw * ih > 0.9 * area[:, None]) & (area[None, :] > area[:, None])
                 & (side[None, :] <= 1.8 * side[:, None]))
    holders = np.unique(np.nonzero(container)[1])
    frames = {int(j) for j in holders if _is_frame(edges, boxes[j])}
    return [box for i, box in enumerate(boxes)
            if not any(int(j) not in frames for j in np.nonzero(container[i])[0])]


def propose_boxes(image: np.ndarray, text_boxes: Sequence[Box] = (), extra: Sequence[Box] = ()) -> list[Box]:
    """Candidate icon boxes in ``image`` (RGB ``uint8``), text excluded, ``extra`` boxes first."""
    edges = _edges(image, text_boxes)
    strong = _components(edges, 3) + _components(edges, 7)
    faint = _edges(image, text_boxes, _FAINT_EDGE)
    # Faint finds count only where nothing strong is: there they are the only trace of an icon.
    weak = _apart_from(_components(faint, 3), strong, 0.3)
    found = list(extra) + _drop_parts(_dedupe(strong + weak), faint)
    # Squarer, mid-sized boxes first: if there are too many, those are the likelier icons.
    found[len(extra):] = sorted(found[len(extra):], key=lambda b: (max(b.width, b.height) / max(1.0, min(
        b.width, b.height)), abs(np.log(max(b.width, b.height) / 24.0))))
    return _dedupe(found)[:_MAX_PROPOSALS]


def crop_for(image: np.ndarray, box: Box) -> np.ndarray:
    """The box with a margin of background around it (the preprocessing reads its border)."""
    margin = max(2.0, 0.15 * max(box.width, box.height))
    h, w = image.shape[:2]
    b = box.expand(margin).clip(w, h)
    return image[int(b.y0):int(np.ceil(b.y1)), int(b.x0):int(np.ceil(b.x1))]
