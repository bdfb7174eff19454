"""Full-HD screenshots with exact ground truth, rendered with PIL, for the OCR benchmark.

Each scene draws what a desktop screen shows (title bars, menus, forms,
buttons, checkboxes, a text-heavy page, a small-text toolbar, a calculator
keypad) and records every string it draws with its exact pixel box, so text
recall can be measured without hand labelling.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

__all__ = ["Truth", "Scene", "SCENES", "render", "font"]

_FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/opentype/noto")


@dataclass(frozen=True)
class Truth:
    """One drawn string, its tight pixel box ``(x0, y0, x1, y1)`` and its words' boxes.

    Words are split on spaces; every CJK character is its own word.
    """

    text: str
    box: tuple[int, int, int, int]
    words: tuple[tuple[str, tuple[int, int, int, int]], ...] = ()


@dataclass
class Scene:
    """An RGB image and the strings drawn on it."""

    name: str
    image: np.ndarray
    truths: list[Truth] = field(default_factory=list)


@lru_cache(maxsize=None)
def font(size: int, cjk: bool = False, bold: bool = False) -> ImageFont.FreeTypeFont:
    """DejaVu Sans (or Noto Sans CJK for Chinese) at ``size`` pixels."""
    if cjk:
        return ImageFont.truetype(str(Path(_FONT_DIRS[1]) / "NotoSansCJK-Regular.ttc"), size)
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(Path(_FONT_DIRS[0]) / name), size)


def _word_boxes(draw: ImageDraw.ImageDraw, xy: tuple[int, int], s: str,
                f: ImageFont.FreeTypeFont) -> tuple[tuple[str, tuple[int, int, int, int]], ...]:
    words = []
    i = 0
    while i < len(s):
        if s[i] == " ":
            i += 1
            continue
        j = i + 1
        if not _is_cjk(s[i]):
            while j < len(s) and s[j] != " " and not _is_cjk(s[j]):
                j += 1
        x = xy[0] + draw.textlength(s[:i], font=f)
        box = draw.textbbox((x, xy[1]), s[i:j], font=f)
        words.append((s[i:j], tuple(int(round(v)) for v in box)))
        i = j
    return tuple(words)  # type: ignore[return-value]


def _is_cjk(ch: str) -> bool:
    return 0x3000 <= ord(ch) <= 0x9FFF or 0xFF00 <= ord(ch) <= 0xFFEF


class _Canvas:
    def __init__(self, name: str, bg: tuple[int, int, int], size: tuple[int, int] = (1920, 1080)):
        self.img = Image.new("RGB", size, bg)
        self.draw = ImageDraw.Draw(self.img)
        self.scene = Scene(name, np.zeros((1, 1, 3), np.uint8))

    def text(self, xy: tuple[int, int], s: str, size: int, fill, *, cjk: bool = False,
             bold: bool = False, record: bool = True) -> tuple[int, int, int, int]:
        f = font(size, cjk, bold)
        self.draw.text(xy, s, font=f, fill=fill)
        box = tuple(int(v) for v in self.draw.textbbox(xy, s, font=f))
        if record:
            self.scene.truths.append(Truth(s, box, _word_boxes(self.draw, xy, s, f)))  # type: ignore[arg-type]
        return box  # type: ignore[return-value]

    def button(self, x: int, y: int, s: str, size: int, fg, bg, border=None, pad: int = 14,
               cjk: bool = False) -> tuple[int, int, int, int]:
        f = font(size, cjk)
        x0, y0, x1, y1 = self.draw.textbbox((0, 0), s, font=f)
        w, h = x1 - x0 + 2 * pad, int(size * 2.0)
        self.draw.rounded_rectangle((x, y, x + w, y + h), radius=4, fill=bg, outline=border)
        self.text((x + pad - x0, y + (h - (y1 - y0)) // 2 - y0), s, size, fg, cjk=cjk)
        return (x, y, x + w, y + h)

    def checkbox(self, x: int, y: int, s: str, size: int, fg, box_fg, checked: bool) -> None:
        side = int(size * 1.1)
        self.draw.rectangle((x, y, x + side, y + side), outline=box_fg, width=2)
        if checked:
            self.draw.line((x + 3, y + side // 2, x + side // 2, y + side - 4, x + side - 3, y + 3),
                           fill=box_fg, width=2)
        self.text((x + side + 8, y - 1), s, size, fg)

    def radio(self, x: int, y: int, s: str, size: int, fg, ring, on: bool) -> None:
        side = int(size * 1.1)
        self.draw.ellipse((x, y, x + side, y + side), outline=ring, width=2)
        if on:
            self.draw.ellipse((x + 5, y + 5, x + side - 5, y + side - 5), fill=ring)
        self.text((x + side + 8, y - 1), s, size, fg)

    def field(self, x: int, y: int, w: int, s: str, size: int, fg, bg, border) -> None:
        h = int(size * 2.0)
        self.draw.rectangle((x, y, x + w, y + h), fill=bg, outline=border)
        if s:
            self.text((x + 8, y + (h - size) // 2 - 2), s, size, fg)

    def done(self) -> Scene:
        self.scene.image = np.asarray(self.img, dtype=np.uint8).copy()
        return self.scene


def _form(name: str, dark: bool) -> Scene:
    bg = (32, 33, 36) if dark else (240, 240, 240)
    fg = (230, 230, 230) if dark else (20, 20, 20)
    dim = (160, 160, 160) if dark else (90, 90, 90)
    panel = (45, 46, 50) if dark else (255, 255, 255)
    border = (90, 90, 95) if dark else (170, 170, 170)
    c = _Canvas(name, bg)
    d = c.draw
    d.rectangle((0, 0, 1920, 34), fill=(20, 20, 22) if dark else (225, 225, 228))
    c.text((16, 8), "Account Settings - Preferences", 15, fg)
    for i, s in enumerate(["File", "Edit", "View", "Tools", "Window", "Help"]):
        c.text((16 + i * 74, 46), s, 14, fg)
    d.line((0, 72, 1920, 72), fill=border)
    # Tabs.
    for i, s in enumerate(["General", "Security", "Notifications", "Advanced"]):
        x = 40 + i * 170
        d.rectangle((x, 90, x + 160, 124), fill=panel if i == 1 else bg, outline=border)
        c.text((x + 16, 98), s, 15, fg)
    d.rectangle((40, 124, 1100, 900), fill=panel, outline=border)
    labels = ["User name", "Email address", "Password", "Confirm password", "Display name"]
    values = ["jdoe", "jane.doe@example.com", "", "", "Jane Doe"]
    for i, (lab, val) in enumerate(zip(labels, values)):
        y = 160 + i * 56
        c.text((70, y + 6), lab, 15, fg)
        c.field(300, y, 420, val, 15, fg, bg if dark else (255, 255, 255), border)
    y = 460
    for i, (s, on) in enumerate([("Remember me", True), ("Show password", False),
                                 ("Enable two-factor authentication", True),
                                 ("Send me weekly emails", False)]):
        c.checkbox(70, y + i * 40, s, 15, fg, fg, on)
    for i, (s, on) in enumerate([("Light", False), ("Dark", True), ("System", False)]):
        c.radio(560 + i * 130, 460, s, 15, fg, (60, 130, 230), on)
    c.text((560, 510), "Language", 15, fg)
    c.field(680, 504, 200, "English", 15, fg, bg if dark else (255, 255, 255), border)
    c.text((70, 640), "Changes take effect after you sign in again.", 13, dim)
    c.text((70, 672), "账户设置", 16, fg, cjk=True)
    c.text((200, 672), "保存更改", 16, fg, cjk=True)
    # Buttons: the primary one is white text on blue.
    c.button(660, 830, "Save", 15, (255, 255, 255), (40, 110, 220))
    c.button(760, 830, "Cancel", 15, fg, panel, border)
    c.button(880, 830, "Apply", 15, fg, panel, border)
    c.button(980, 830, "Help", 15, fg, panel, border)
    # A list on the right.
    d.rectangle((1160, 124, 1860, 900), fill=panel, outline=border)
    c.text((1180, 140), "Recent activity", 17, fg, bold=True)
    for i, s in enumerate(["Signed in from Firefox on Linux", "Password changed",
                           "New device added: Pixel 8", "Signed out of all sessions",
                           "Recovery email verified", "API token created"]):
        c.text((1180, 190 + i * 44), s, 14, fg)
        c.text((1700, 190 + i * 44), f"{i + 2} days ago", 12, dim)
    d.rectangle((0, 1050, 1920, 1080), fill=(20, 20, 22) if dark else (225, 225, 228))
    c.text((12, 1057), "Ready", 12, dim)
    c.text((1780, 1057), "Ln 1, Col 1", 12, dim)
    return c.done()


_PARAGRAPHS = [
    "Accessibility means that people with disabilities can use the same software as everyone else.",
    "A screen reader turns text into speech, and a switch device lets a person click with one button.",
    "Grounding finds the thing an instruction names: the Save button, a checkbox, or a link.",
    "Confidence tells the person how sure the assistant is before anything is clicked for them.",
    "Nothing leaves the computer: recognition runs locally with models that ship with the app.",
]


def _text_page() -> Scene:
    c = _Canvas("text_page", (255, 255, 255))
    d = c.draw
    d.rectangle((0, 0, 1920, 80), fill=(245, 245, 247))
    c.text((24, 26), "docs.example.org/guide/getting-started", 15, (60, 60, 60))
    c.text((300, 110), "Getting started with Click Assist", 32, (10, 10, 10), bold=True)
    y = 180
    for k in range(3):
        c.text((300, y), f"Section {k + 1}: How it works", 22, (10, 10, 10), bold=True)
        y += 44
        for p in _PARAGRAPHS:
            c.text((300, y), p, 16, (30, 30, 30))
            y += 28
        y += 20
    c.text((300, y), "点击保存按钮以保存您的更改。", 18, (30, 30, 30), cjk=True)
    c.text((300, y + 36), "设置  帮助  关于", 18, (20, 80, 200), cjk=True)
    # Sidebar of links.
    for i, s in enumerate(["Overview", "Installation", "Keyboard shortcuts", "Voice commands",
                           "Troubleshooting", "Privacy", "Release notes"]):
        c.text((1500, 180 + i * 34), s, 15, (20, 80, 200))
    return c.done()


def _toolbar_small() -> Scene:
    c = _Canvas("toolbar_small", (250, 250, 250))
    d = c.draw
    fg = (25, 25, 25)
    d.rectangle((0, 0, 1920, 28), fill=(236, 236, 236))
    x = 10
    for s in ["Open", "Save", "Print", "Export", "Undo", "Redo", "Cut", "Copy", "Paste", "Find"]:
        d.rectangle((x, 6, x + 16, 22), outline=(120, 120, 120))  # icon
        x = c.text((x + 22, 8), s, 12, fg)[2] + 18
    d.line((0, 28, 1920, 28), fill=(200, 200, 200))
    x = 10
    for s in ["Bold", "Italic", "Underline", "Font size", "Align left", "Center", "Bullets"]:
        x = c.text((x, 38), s, 12, fg)[2] + 24
    # Calculator keypad with single glyphs.
    keys = ["7", "8", "9", "÷", "4", "5", "6", "×", "1", "2", "3", "−", "0", ".", "%", "+", "√", "C", "X", "="]
    for i, k in enumerate(keys):
        r, q = divmod(i, 4)
        x0, y0 = 1400 + q * 110, 200 + r * 90
        d.rounded_rectangle((x0, y0, x0 + 96, y0 + 76), radius=6, fill=(225, 228, 235))
        f = font(26)
        bx = d.textbbox((0, 0), k, font=f)
        c.text((x0 + 48 - (bx[0] + bx[2]) // 2, y0 + 38 - (bx[1] + bx[3]) // 2), k, 26, fg)
    # A small-text table.
    for r in range(12):
        for q, s in enumerate([f"Item {r + 1}", f"{(r + 3) * 17} KB", "Modified", f"2024-0{r % 9 + 1}-1{r % 10}"]):
            c.text((40 + q * 180, 120 + r * 24), s, 12, fg)
    d.rectangle((0, 1054, 1920, 1080), fill=(236, 236, 236))
    c.text((10, 1060), "12 items, 3 selected", 11, (70, 70, 70))
    c.text((1760, 1060), "UTF-8  LF", 11, (70, 70, 70))
    return c.done()


SCENES = {
    "form_light": lambda: _form("form_light", dark=False),
    "form_dark": lambda: _form("form_dark", dark=True),
    "text_page": _text_page,
    "toolbar_small": _toolbar_small,
}


def render(name: str) -> Scene:
    """Render the scene called ``name`` (one of :data:`SCENES`)."""
    return SCENES[name]()
