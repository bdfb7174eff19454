"""Rendered test screens for reference-image matching: a busy desktop-like page and icons to find.

Everything is drawn with Pillow and its bundled font, so the screens are the
same on every machine and cost about 0.1 s each.
"""

from __future__ import annotations

import random
from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from desktop.core.geometry import Box

__all__ = [
    "download_icon", "lookalike_icon", "round_icon", "outlined_button", "render_desktop", "paste", "rescale", "blur",
]

WORDS = ("Save Open Cancel File Edit View Help Settings Remember me Search Profile Account "
         "Download Upload Print Export Import Close Apply Next Back Finish").split()


def download_icon(size: int = 32, colour: tuple[int, int, int] = (30, 110, 220)) -> np.ndarray:
    """A toolbar-style icon: a coloured rounded square, a white arrow, a yellow bar."""
    image = Image.new("RGB", (size, size), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    s = size / 32
    draw.rounded_rectangle([1 * s, 1 * s, 30 * s, 30 * s], radius=6 * s, fill=colour)
    draw.polygon([(16 * s, 25 * s), (7 * s, 14 * s), (12 * s, 14 * s), (12 * s, 5 * s),
                  (20 * s, 5 * s), (20 * s, 14 * s), (25 * s, 14 * s)], fill=(255, 255, 255))
    draw.rectangle([8 * s, 26 * s, 24 * s, 28 * s], fill=(255, 200, 0))
    return np.asarray(image).copy()


def lookalike_icon(size: int = 32) -> np.ndarray:
    """Same frame and colour as :func:`download_icon`, but an upload arrow and no bar."""
    image = Image.new("RGB", (size, size), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    s = size / 32
    draw.rounded_rectangle([1 * s, 1 * s, 30 * s, 30 * s], radius=6 * s, fill=(30, 110, 220))
    draw.polygon([(16 * s, 5 * s), (25 * s, 16 * s), (20 * s, 16 * s), (20 * s, 26 * s),
                  (12 * s, 26 * s), (12 * s, 16 * s), (7 * s, 16 * s)], fill=(255, 255, 255))
    return np.asarray(image).copy()


def round_icon(size: int = 32) -> np.ndarray:
    """An RGBA icon with transparent corners: a red disc with a white cross."""
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse([0, 0, size - 1, size - 1], fill=(210, 40, 40, 255))
    w = max(2, size // 8)
    draw.line([size * 0.3, size * 0.3, size * 0.7, size * 0.7], fill=(255, 255, 255, 255), width=w)
    draw.line([size * 0.3, size * 0.7, size * 0.7, size * 0.3], fill=(255, 255, 255, 255), width=w)
    return np.asarray(image).copy()


@lru_cache(maxsize=4)
def outlined_button(scale: float = 1.0, text: str = "Log out", dark: bool = False) -> np.ndarray:
    """A web-style secondary button as a display of ``scale`` draws it: a one-pixel outline and a label.

    Drawn afresh at each scale (as HiDPI apps do), not resampled; the outline
    stays one device pixel wide whatever the scale, as browsers draw it.
    """
    background, ink = ((33, 37, 41), (173, 181, 189)) if dark else ((13, 110, 253), (255, 255, 255))
    width, height = round(72 * scale), round(32 * scale)
    image = Image.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle([0, 0, width - 1, height - 1], radius=round(5 * scale), outline=ink, width=1)
    font = ImageFont.load_default(size=round(14 * scale))
    draw.text((width / 2, height / 2), text, fill=ink, font=font, anchor="mm")
    return np.asarray(image).copy()


def _desktop(seed: int, width: int, height: int, with_lookalikes: bool) -> np.ndarray:
    rng = random.Random(seed)
    image = Image.new("RGB", (width, height), (245, 246, 248))
    draw = ImageDraw.Draw(image)
    font, big = ImageFont.load_default(size=15), ImageFont.load_default(size=22)
    draw.rectangle([0, 0, width, 40], fill=(40, 44, 52))
    for i, word in enumerate(WORDS[:8]):
        draw.text((10 + 90 * i, 10), word, fill=(230, 230, 230), font=font)
    draw.rectangle([0, 40, 260, height], fill=(230, 232, 236))
    for i in range((height - 60) // 38):
        draw.text((20, 60 + i * 38), f"{rng.choice(WORDS)} {rng.choice(WORDS)}", fill=(40, 40, 40), font=font)
    others = [Image.fromarray(lookalike_icon())] if with_lookalikes else []
    others.append(_circle_icon(rng))
    for row in range((height - 90) // 55):
        y, x = 70 + row * 55, 300
        while x < width - 200:
            x = _draw_widget(draw, image, rng, x, y, font, big, others)
    return np.asarray(image)


def _circle_icon(rng: random.Random) -> Image.Image:
    icon = Image.new("RGB", (32, 32), (255, 255, 255))
    ImageDraw.Draw(icon).ellipse([2, 2, 29, 29], outline=tuple(rng.randrange(256) for _ in range(3)), width=3)
    return icon


def _draw_widget(draw: ImageDraw.ImageDraw, image: Image.Image, rng: random.Random, x: int, y: int,
                 font: ImageFont.FreeTypeFont | ImageFont.ImageFont, big: ImageFont.FreeTypeFont | ImageFont.ImageFont,
                 others: list[Image.Image]) -> int:
    kind = rng.random()
    if kind < 0.45:
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 5)))
        draw.text((x, y), text, fill=(30, 30, 30), font=font if rng.random() < 0.8 else big)
        return x + int(draw.textlength(text, font=font)) + 40
    if kind < 0.65:
        width = rng.randint(80, 160)
        fill = (rng.randrange(60, 230),) * 3 if rng.random() < 0.5 else (50, 120, 230)
        draw.rounded_rectangle([x, y - 4, x + width, y + 26], radius=5, fill=fill, outline=(150, 150, 150))
        draw.text((x + 12, y + 2), rng.choice(WORDS), fill=(255, 255, 255), font=font)
        return x + width + 30
    if kind < 0.8:
        draw.rectangle([x, y, x + 16, y + 16], outline=(90, 90, 90), width=2, fill=(255, 255, 255))
        if rng.random() < 0.5:
            draw.line([x + 3, y + 8, x + 7, y + 13, x + 13, y + 3], fill=(20, 120, 220), width=2)
        return x + 40
    image.paste(rng.choice(others), (x, y - 6))
    return x + 60


def render_desktop(seed: int = 1, width: int = 1920, height: int = 1080, with_lookalikes: bool = True) -> np.ndarray:
    """A busy light-theme window: menu bar, sidebar, text, buttons, checkboxes, other icons."""
    return _desktop(seed, width, height, with_lookalikes).copy()


def paste(screen: np.ndarray, patch: np.ndarray, x: int, y: int) -> Box:
    """Paste ``patch`` (RGB, or RGBA blended by its alpha) into ``screen`` in place; its box."""
    height, width = patch.shape[:2]
    if patch.shape[2] == 4:
        alpha = patch[:, :, 3:].astype(np.float32) / 255
        under = screen[y:y + height, x:x + width].astype(np.float32)
        screen[y:y + height, x:x + width] = np.rint(patch[:, :, :3] * alpha + under * (1 - alpha)).astype(np.uint8)
    else:
        screen[y:y + height, x:x + width] = patch
    return Box.from_xywh(x, y, width, height)


def rescale(patch: np.ndarray, factor: float) -> np.ndarray:
    """The patch as another display scale would draw it (Lanczos, as image viewers resample)."""
    image = Image.fromarray(patch)
    size = (round(patch.shape[1] * factor), round(patch.shape[0] * factor))
    return np.asarray(image.resize(size, Image.Resampling.LANCZOS)).copy()


def blur(patch: np.ndarray, radius: float = 0.8) -> np.ndarray:
    return np.asarray(Image.fromarray(patch).filter(ImageFilter.GaussianBlur(radius))).copy()
