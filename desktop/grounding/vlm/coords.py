"""Coordinate conventions of grounding models: parse what they print, map it to image pixels.

Models that "click" by writing text disagree on what their numbers mean:

* ``absolute_resized``: Qwen2.5-VL and its fine-tunes (UI-TARS-1.5, GTA1) answer in
  pixels of the image *as the processor resized it* (:func:`smart_resize`: each
  side a multiple of 28, the area between a minimum and a maximum);
* ``relative_1000``: UI-TARS v1, OS-Atlas, UGround, Qwen3-VL answer in thousandths
  of the width and height;
* ``relative_1``: ShowUI, SeeClick, Aguvis answer in fractions of the width and height;
* ``absolute``: pixels of the original image (detectors, Florence-2 after its own post-processing).

This module is pure Python (no torch): the parsers are tested on exact values.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from desktop.core.geometry import Box

__all__ = ["CONVENTIONS", "ModelTarget", "parse_targets", "smart_resize", "to_image", "QWEN_MIN_PIXELS",
           "QWEN_MAX_PIXELS"]

CONVENTIONS = ("absolute_resized", "relative_1000", "relative_1", "absolute")

#: The Qwen2-VL / Qwen2.5-VL image processor's defaults (transformers).
QWEN_MIN_PIXELS = 56 * 56
QWEN_MAX_PIXELS = 28 * 28 * 1280

_NUM = r"-?\d+(?:\.\d+)?"
# "(x1,y1),(x2,y2)": OS-Atlas and UI-TARS boxes written as two corner points.
_CORNER_PAIR = re.compile(rf"\(\s*({_NUM})\s*,\s*({_NUM})\s*\)\s*,?\s*\(\s*({_NUM})\s*,\s*({_NUM})\s*\)")
# "<point>x y</point>" (UI-TARS-1.5) and "<box>x1 y1 x2 y2</box>".
_TAG = re.compile(rf"<(point|box|bbox)>\s*({_NUM}(?:[\s,]+{_NUM}){{1,3}})\s*</\1>")
# "pyautogui.click(x=0.52, y=0.31)" (Aguvis).
_KEYWORDS = re.compile(rf"\bx\s*=\s*({_NUM})\s*,\s*y\s*=\s*({_NUM})")
# "(x, y)", "[x, y]", "[x1, y1, x2, y2]", "(x1,y1,x2,y2)".
_GROUP = re.compile(rf"[\(\[]\s*({_NUM}(?:\s*,\s*{_NUM}|\s+{_NUM}){{1,3}})\s*[\)\]]")


@dataclass(frozen=True)
class ModelTarget:
    """A point (and the box it came from, if any) in the model's own coordinates."""

    x: float
    y: float
    box: tuple[float, float, float, float] | None = None


def smart_resize(height: int, width: int, factor: int = 28, min_pixels: int = QWEN_MIN_PIXELS,
                 max_pixels: int = QWEN_MAX_PIXELS) -> tuple[int, int]:
    """The ``(height, width)`` the Qwen2-VL/2.5-VL processor resizes an image to.

    The same arithmetic as ``transformers``' ``smart_resize``: each side
    rounded to a multiple of ``factor``, then scaled down (floored) or up
    (ceiled) keeping the aspect ratio when the area leaves
    ``[min_pixels, max_pixels]``.

    Raises
    ------
    ValueError
        When the aspect ratio exceeds 200 (the processor refuses it too).
    """
    if min(height, width) <= 0:
        raise ValueError(f"image size must be positive, got {width}x{height}")
    if max(height, width) / min(height, width) > 200:
        raise ValueError(f"aspect ratio above 200 is not supported: {width}x{height}")
    h_bar = round(height / factor) * factor
    w_bar = round(width / factor) * factor
    if h_bar * w_bar > max_pixels:
        beta = math.sqrt((height * width) / max_pixels)
        h_bar = max(factor, math.floor(height / beta / factor) * factor)
        w_bar = max(factor, math.floor(width / beta / factor) * factor)
    elif h_bar * w_bar < min_pixels:
        beta = math.sqrt(min_pixels / (height * width))
        h_bar = math.ceil(height * beta / factor) * factor
        w_bar = math.ceil(width * beta / factor) * factor
    return h_bar, w_bar


def parse_targets(text: str) -> list[ModelTarget]:
    """Every point or box a model wrote in ``text``, in the order written.

    Understands ``(x, y)``, ``[x, y]``, ``<point>x y</point>``,
    ``click(start_box='(x,y)')``, ``[x1, y1, x2, y2]``, ``(x1,y1),(x2,y2)``,
    ``<|box_start|>(x1,y1),(x2,y2)<|box_end|>``, ``click(x=0.5, y=0.3)`` and JSON such as
    ``{"bbox_2d": [x1, y1, x2, y2]}``. A box becomes its centre. Groups of
    three numbers (not a point, not a box) are skipped.
    """
    found: list[tuple[int, ModelTarget]] = []
    taken: list[tuple[int, int]] = []
    for pattern in (_CORNER_PAIR, _TAG, _KEYWORDS, _GROUP):
        for match in pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            numbers = [float(v) for v in re.findall(_NUM, match.group(0)[match.group(0).find(">") + 1:]
                                                    if pattern is _TAG else match.group(0))]
            target = _target(numbers)
            if target is not None:
                found.append((match.start(), target))
                taken.append((match.start(), match.end()))
    return [t for _, t in sorted(found, key=lambda item: item[0])]


def _target(numbers: list[float]) -> ModelTarget | None:
    if len(numbers) == 2:
        return ModelTarget(numbers[0], numbers[1])
    if len(numbers) == 4:
        x0, y0, x1, y1 = numbers
        x0, x1 = sorted((x0, x1))
        y0, y1 = sorted((y0, y1))
        return ModelTarget((x0 + x1) / 2, (y0 + y1) / 2, (x0, y0, x1, y1))
    return None


def to_image(target: ModelTarget, convention: str, width: int, height: int,
             resized: tuple[int, int] | None = None) -> tuple[tuple[float, float], Box | None]:
    """Map a model's point (and box) to pixels of the original ``width`` × ``height`` image.

    Parameters
    ----------
    convention
        One of :data:`CONVENTIONS`.
    resized
        ``(height, width)`` the model saw, for ``absolute_resized``; computed
        with :func:`smart_resize` and the processor defaults when ``None``.

    Returns
    -------
    tuple
        The point, clamped inside the image, and the box (clamped) or ``None``.
    """
    sx, sy = _scales(convention, width, height, resized)

    def clamp_x(v: float) -> float:
        return min(max(v * sx, 0.0), width - 1.0)

    def clamp_y(v: float) -> float:
        return min(max(v * sy, 0.0), height - 1.0)

    point = (clamp_x(target.x), clamp_y(target.y))
    if target.box is None:
        return point, None
    x0, y0, x1, y1 = target.box
    return point, Box(clamp_x(x0), clamp_y(y0), clamp_x(x1), clamp_y(y1))


def _scales(convention: str, width: int, height: int, resized: tuple[int, int] | None) -> tuple[float, float]:
    if convention == "absolute":
        return 1.0, 1.0
    if convention == "relative_1":
        return float(width), float(height)
    if convention == "relative_1000":
        return width / 1000.0, height / 1000.0
    if convention == "absolute_resized":
        rh, rw = resized if resized is not None else smart_resize(height, width)
        return width / rw, height / rh
    raise ValueError(f"unknown coordinate convention {convention!r}; known: {', '.join(CONVENTIONS)}")
