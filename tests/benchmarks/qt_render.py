"""The render worker: builds each planned screen with Qt, grabs it, records its truth.

Runs inside a process started with ``QT_QPA_PLATFORM=offscreen`` and one
``QT_SCALE_FACTOR``; see :mod:`tests.benchmarks.gen_qt_screens`.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QLinearGradient, QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication, QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget,
)

from tests.benchmarks.qt_apps import BUILDERS, framed
from tests.benchmarks.qt_dialogs import std_icon
from tests.benchmarks.qt_truth import collect_elements
from tests.benchmarks.truth import Element, ScreenTruth, boxes_overlap

__all__ = ["render_specs", "dark_palette", "render_window"]

SCREEN = (1920, 1080)
WALLPAPERS = [("#1d3557", "#457b9d"), ("#2b2d42", "#8d99ae"), ("#3a0ca3", "#4cc9f0"),
              ("#264653", "#2a9d8f"), ("#5f0f40", "#9a031e"), ("#606c38", "#dda15e"),
              ("#22223b", "#9a8c98"), ("#0b3d91", "#e0e1dd")]
DESKTOP_ICONS = [("Home", "SP_DirHomeIcon"), ("Trash", "SP_TrashIcon"),
                 ("Computer", "SP_ComputerIcon"), ("Projects", "SP_DirIcon"),
                 ("Photos", "SP_DirIcon"), ("Music", "SP_DirIcon")]


def dark_palette() -> QPalette:
    """The usual Fusion dark palette."""
    p = QPalette()
    roles = QPalette.ColorRole
    for role, color in [(roles.Window, "#353535"), (roles.WindowText, "#eeeeee"),
                        (roles.Base, "#1f1f1f"), (roles.AlternateBase, "#353535"),
                        (roles.ToolTipBase, "#eeeeee"), (roles.ToolTipText, "#202020"),
                        (roles.Text, "#eeeeee"), (roles.Button, "#404040"),
                        (roles.ButtonText, "#eeeeee"), (roles.BrightText, "#ff5555"),
                        (roles.Link, "#6aa9ff"), (roles.Highlight, "#2a82da"),
                        (roles.HighlightedText, "#000000"), (roles.PlaceholderText, "#8a8a8a")]:
        p.setColor(role, QColor(color))
    p.setColor(QPalette.ColorGroup.Disabled, roles.ButtonText, QColor("#7f7f7f"))
    p.setColor(QPalette.ColorGroup.Disabled, roles.WindowText, QColor("#7f7f7f"))
    return p


def _apply_look(app: QApplication, spec: dict[str, Any]) -> None:
    app.setStyle(spec["style"])
    app.setPalette(dark_palette() if spec["theme"] == "dark" else app.style().standardPalette())
    app.setFont(QFont(spec["font"], spec["pt"]))


class _Desktop(QWidget):
    """A wallpaper with soft shadows under the windows placed on it."""

    def __init__(self, size: QSize, colors: tuple[str, str]) -> None:
        super().__init__()
        self.setFixedSize(size)
        self.colors = colors
        self.shadows: list[QRect] = []
        self.setProperty("ca_window", "Desktop")

    def paintEvent(self, event: object) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        grad = QLinearGradient(0, 0, self.width() * 0.3, self.height())
        grad.setColorAt(0, QColor(self.colors[0]))
        grad.setColorAt(1, QColor(self.colors[1]))
        p.fillRect(self.rect(), grad)
        for r in self.shadows:
            for k in range(1, 7):
                p.fillRect(r.adjusted(-k + 3, -k + 5, k + 3, k + 5), QColor(0, 0, 0, 14))
        p.end()


def _taskbar(parent: QWidget, titles: list[str], rng: random.Random) -> QFrame:
    bar = QFrame(parent)
    bar.setProperty("ca_window", "Taskbar")
    bar.setAutoFillBackground(True)
    pal = bar.palette()
    pal.setColor(QPalette.ColorRole.Window, QColor("#1b1b1f"))
    pal.setColor(QPalette.ColorRole.WindowText, QColor("#f0f0f0"))
    pal.setColor(QPalette.ColorRole.Button, QColor("#2c2c33"))
    pal.setColor(QPalette.ColorRole.ButtonText, QColor("#f0f0f0"))
    bar.setPalette(pal)
    lay = QHBoxLayout(bar)
    lay.setContentsMargins(6, 3, 10, 3)
    start = QPushButton(rng.choice(["Menu", "Activities", "Start"]))
    start.setFlat(True)
    lay.addWidget(start)
    for title in titles:
        b = QPushButton(title)
        b.setFlat(True)
        lay.addWidget(b)
    lay.addStretch(1)
    lay.addWidget(QLabel(f"{rng.randint(7, 18)}:{rng.randint(0, 59):02d}"))
    return bar


def _desktop_icons(parent: QWidget, rng: random.Random) -> None:
    y = 12
    for text, icon in rng.sample(DESKTOP_ICONS, rng.randint(2, 4)):
        b = QToolButton(parent)
        b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
        b.setAutoRaise(True)
        b.setIcon(std_icon(b, icon))
        b.setIconSize(QSize(40, 40))
        b.setText(text)
        b.setProperty("ca_icon", icon)
        pal = b.palette()
        pal.setColor(QPalette.ColorRole.ButtonText, QColor("white"))
        b.setPalette(pal)
        b.adjustSize()
        b.move(12, y)
        y += b.height() + 12


def _place(rng: random.Random, sizes: list[QSize], area: QRect) -> list[QRect]:
    """Positions with as little overlap as random tries find (real desktops overlap too)."""
    placed: list[QRect] = []
    for size in sizes:
        best, best_cost = None, None
        for _ in range(40):
            x = area.x() + rng.randint(0, max(0, area.width() - size.width()))
            y = area.y() + rng.randint(0, max(0, area.height() - size.height()))
            rect = QRect(QPoint(x, y), size)
            cost = sum(rect.intersected(o).width() * rect.intersected(o).height() for o in placed)
            if best_cost is None or cost < best_cost:
                best, best_cost = rect, cost
            if cost == 0:
                break
        placed.append(best)
    return placed


#: Smallest size (logical pixels) per window type, so that apps look like apps, not widgets.
MIN_SIZE = {"editor": (760, 520), "mail": (820, 460), "file": (720, 480), "settings": (460, 420),
            "form": (380, 0), "calculator": (300, 380), "zh": (460, 420), "export": (360, 0)}


def _window_size(frame: QWidget, rng: random.Random, limit: QSize) -> QSize | None:
    least = frame.minimumSizeHint()
    if least.width() > limit.width() or least.height() > limit.height():
        return None
    hint = frame.sizeHint().expandedTo(least)
    min_w, min_h = MIN_SIZE.get(str(frame.property("ca_type")), (0, 0))
    w = int(max(hint.width(), min_w) * rng.uniform(1.0, 1.3))
    h = int(max(hint.height(), min_h) * rng.uniform(1.0, 1.2))
    return QSize(min(w, limit.width()), min(h, limit.height()))


def _build(kind: str, rng: random.Random, dark: bool) -> QFrame:
    title, content = BUILDERS[kind](rng)
    frame = framed(title, content, dark)
    frame.setProperty("ca_type", kind)
    return frame


def _screen_truth(spec: dict[str, Any], image: str, size: QSize, elements: list[Element],
                  windows: list[dict[str, Any]]) -> ScreenTruth:
    lang = "zh" if "zh" in spec["windows"] else "en"
    return ScreenTruth(image=image, width=size.width(), height=size.height(), source="qt",
                       layout=spec["layout"], scale=spec["scale"], theme=spec["theme"], lang=lang,
                       elements=tuple(elements), windows=tuple(windows), seed=spec["seed"],
                       extra={"font": spec["font"], "pt": spec["pt"], "style": spec["style"]})


def render_window(spec: dict[str, Any], out: Path) -> ScreenTruth:
    """One framed window alone, grabbed at its own size."""
    rng = random.Random(spec["seed"])
    scale = spec["scale"]
    frame = _build(spec["windows"][0], rng, spec["theme"] == "dark")
    limit = QSize(int(1600 / scale), int(1000 / scale))
    frame.resize(_window_size(frame, rng, limit) or limit)
    frame.show()
    QApplication.processEvents()
    pix = frame.grab()
    image = f"qt/{spec['name']}.png"
    pix.save(str(out / image))
    elements = collect_elements(frame, scale)
    box = [0, 0, pix.width(), pix.height()]
    windows = [{"title": str(frame.property("ca_window")), "type": spec["windows"][0], "box": box}]
    frame.deleteLater()
    return _screen_truth(spec, image, pix.size(), elements, windows)


def render_screen(spec: dict[str, Any], out: Path) -> ScreenTruth:
    """A 1920x1080 desktop with its windows, taskbar and icons, grabbed in one piece."""
    rng = random.Random(spec["seed"])
    scale = spec["scale"]
    desk = _Desktop(QSize(round(SCREEN[0] / scale), round(SCREEN[1] / scale)), rng.choice(WALLPAPERS))
    frames = [_build(kind, rng, spec["theme"] == "dark") for kind in spec["windows"]]
    titles = [str(f.property("ca_window")) for f in frames]
    bar = _taskbar(desk, titles, rng)
    bar_h = bar.sizeHint().height()
    bar.setGeometry(0, desk.height() - bar_h, desk.width(), bar_h)
    _desktop_icons(desk, rng)
    area = QRect(90, 8, desk.width() - 100, desk.height() - bar_h - 16)
    kept = []
    for frame in frames:
        size = _window_size(frame, rng, area.size())
        if size is not None:
            kept.append((frame, size))
    rects = _place(rng, [s for _, s in kept], area)
    for (frame, _), rect in zip(kept, rects):
        frame.setParent(desk)
        frame.setGeometry(rect)
    desk.shadows = rects
    desk.show()
    QApplication.processEvents()
    pix = desk.grab()
    image = f"qt/{spec['name']}.png"
    pix.save(str(out / image))
    elements = _visible(collect_elements(desk, scale), [(f, r) for (f, _), r in zip(kept, rects)], scale)
    windows = [{"title": str(f.property("ca_window")), "type": str(f.property("ca_type")),
                "box": [round(v * scale, 2) for v in (r.x(), r.y(), r.right() + 1, r.bottom() + 1)]}
               for (f, _), r in zip(kept, rects)]
    desk.deleteLater()
    return _screen_truth(spec, image, pix.size(), elements, windows)


def _visible(elements: list[Element], stack: list[tuple[QWidget, QRect]], scale: float) -> list[Element]:
    """Drop elements that a window higher in the stack covers, even in part."""
    boxes = {str(f.property("ca_window")): i for i, (f, _) in enumerate(stack)}
    rects = [[r.x() * scale, r.y() * scale, (r.right() + 1) * scale, (r.bottom() + 1) * scale]
             for _, r in stack]
    keep = []
    for e in elements:
        level = boxes.get(e.window, -1)
        above = rects[level + 1:]
        if not any(boxes_overlap(e.box, r) for r in above):
            keep.append(e)
    return keep


def render_specs(specs: list[dict[str, Any]], out: Path) -> list[ScreenTruth]:
    """Render every spec (all of one scale factor) and return their truths."""
    app = QApplication.instance() or QApplication([])
    (out / "qt").mkdir(parents=True, exist_ok=True)
    dpr = QGuiApplication.primaryScreen().devicePixelRatio()
    truths = []
    for spec in specs:
        if abs(dpr - spec["scale"]) > 1e-6:
            raise RuntimeError(f"worker runs at scale {dpr}, spec wants {spec['scale']}")
        _apply_look(app, spec)
        render = render_screen if spec["layout"] == "screen" else render_window
        truths.append(render(spec, out))
        QApplication.processEvents()
    return truths
