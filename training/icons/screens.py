"""Icon screens for evaluation: real Qt toolbars of held-out icons, rendered offscreen, with truth boxes.

Each screen is a QMainWindow with a toolbar of icon-only QToolButtons (icons
from a set the model never saw: Lucide or Adwaita), a second row of
icon-only buttons, and ordinary text widgets around them as distractors.
Themes alternate light, dark and tinted; icon sizes 16–32 px.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from training.icons.fetch_data import CACHE

__all__ = ["CONCEPTS", "IconCase", "IconScreen", "build_screens"]

_LUCIDE = CACHE / "npm" / "lucide-static" / "package" / "icons"
_ADWAITA = CACHE / "deb" / "adwaita-icon-theme" / "usr" / "share" / "icons" / "Adwaita" / "scalable"

#: (what a person says, Lucide file, Adwaita file): held-out icons only.
CONCEPTS: tuple[tuple[str, str | None, str | None], ...] = (
    ("gear", "settings", "emblems/emblem-system"), ("settings", "settings", "categories/preferences-system"),
    ("trash", "trash-2", "places/user-trash"), ("search", "search", "actions/system-search"),
    ("play", "play", "actions/media-playback-start"), ("pause", "pause", "actions/media-playback-pause"),
    ("stop", None, "actions/media-playback-stop"), ("download", "download", None), ("upload", "upload", None),
    ("save", "save", "actions/document-save"), ("copy", "copy", "actions/edit-copy"),
    ("paste", "clipboard", "actions/edit-paste"), ("scissors", "scissors", "actions/edit-cut"),
    ("home", "house", "actions/go-home"), ("bell", "bell", None), ("user", "user", None),
    ("mail", "mail", None), ("calendar", "calendar", None), ("lock", "lock", None),
    ("star", "star", "actions/star-new"), ("heart", "heart", "emotes/emote-love"), ("share", "share-2", None),
    ("refresh", "refresh-cw", "actions/view-refresh"), ("filter", "filter", None),
    ("menu", "menu", "actions/open-menu"), ("close", "x", None), ("add", "plus", "actions/list-add"),
    ("minus", "minus", "actions/list-remove"), ("pencil", "pencil", "actions/document-edit"),
    ("printer", "printer", "devices/printer"), ("camera", "camera", "devices/camera-photo"),
    ("image", "image", "actions/insert-image"), ("folder", "folder", "places/folder"),
    ("microphone", "mic", "devices/audio-input-microphone"), ("speaker", "volume-2", "devices/audio-speakers"),
    ("wifi", "wifi", "devices/network-wireless"), ("bluetooth", "bluetooth", "devices/bluetooth"),
    ("battery", "battery", "devices/battery"), ("clock", "clock", None),
    ("location", "map-pin", "actions/mark-location"), ("phone", "phone", "devices/phone"),
    ("chat", "message-square", "actions/chat-message-new"), ("send", "send", None),
    ("link", "link", "actions/insert-link"), ("bookmark", "bookmark", "actions/bookmark-new"),
    ("eye", "eye", "actions/view-reveal"), ("info", "info", "actions/help-about"),
    ("zoom in", "zoom-in", "actions/zoom-in"), ("zoom out", "zoom-out", "actions/zoom-out"),
    ("undo", "undo-2", "actions/edit-undo"), ("redo", "redo-2", "actions/edit-redo"),
    ("cloud", "cloud", None), ("sun", "sun", None), ("moon", "moon", None),
    ("grid", "grid-3x3", "actions/view-grid"), ("list", "list", "actions/view-list"),
    ("back", "chevron-left", "actions/go-previous"), ("forward", "arrow-right", "actions/go-next"),
    ("cart", "shopping-cart", None), ("globe", "globe", None), ("flag", "flag", None), ("tag", "tag", None),
    ("bold", "bold", "actions/format-text-bold"), ("italic", "italic", "actions/format-text-italic"),
    ("underline", "underline", "actions/format-text-underline"), ("eject", None, "actions/media-eject"),
    ("record", None, "actions/media-record"), ("fullscreen", "maximize", "actions/view-fullscreen"),
    ("log out", "log-out", "actions/system-log-out"), ("power", "power", "actions/system-shutdown"),
    ("keyboard", "keyboard", "devices/input-keyboard"), ("mouse", "mouse", "devices/input-mouse"),
    ("computer", "monitor", "devices/computer"), ("headphones", "headphones", "devices/audio-headphones"),
)

_THEMES = (  # (window, button face, icon colour)
    ((246, 245, 244), (246, 245, 244), (46, 52, 54)),
    ((36, 36, 36), (48, 48, 48), (238, 238, 236)),
    ((255, 255, 255), (230, 236, 245), (28, 113, 216)),
    ((30, 34, 48), (30, 34, 48), (200, 210, 230)),
)
_APP = None
_DISTRACTORS = ("Project", "Untitled document", "Ready", "Line 1, Col 1", "Layers", "Properties", "Zoom 100%")


@dataclass(frozen=True)
class IconCase:
    instruction: str
    concept: str
    box: tuple[int, int, int, int]     # truth: the button, x0 y0 x1 y1


@dataclass(frozen=True)
class IconScreen:
    name: str
    image: np.ndarray
    cases: tuple[IconCase, ...]
    icon_boxes: tuple[tuple[int, int, int, int], ...]


def _icon_path(set_name: str, rel: str) -> Path:
    return _LUCIDE / f"{rel}.svg" if set_name == "lucide" else _ADWAITA / f"{rel}-symbolic.svg"


def _pixmap(path: Path, size: int, colour: tuple[int, int, int]):  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QByteArray, QRectF, Qt
    from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
    from PySide6.QtSvg import QSvgRenderer

    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer = QSvgRenderer(QByteArray(path.read_bytes()))
    renderer.setAspectRatioMode(Qt.AspectRatioMode.KeepAspectRatio)
    renderer.render(painter, QRectF(0, 0, size, size))
    # Recolour the glyph, keeping its coverage: what a theme does to symbolic icons.
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
    painter.fillRect(image.rect(), QColor(*colour))
    painter.end()
    return QPixmap.fromImage(image)


def _style(theme: tuple) -> str:
    win, face, fg = theme
    text = "#eeeeee" if sum(win) < 300 else "#222222"
    return (f"QWidget {{ background: rgb{win}; color: {text}; font-size: 13px; }}"
            f"QToolButton {{ background: rgb{face}; border: none; padding: 5px; border-radius: 4px; }}"
            f"QPushButton {{ background: rgb{face}; border: 1px solid #888; padding: 4px; }}")


def _screen(index: int, set_name: str, concepts: list[tuple[str, str]], rng: np.random.Generator) -> IconScreen:
    from PySide6.QtCore import QPoint, QSize
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import (QGridLayout, QHBoxLayout, QLabel, QMainWindow, QPushButton, QTextEdit,
                                   QToolBar, QToolButton, QVBoxLayout, QWidget)

    theme = _THEMES[index % len(_THEMES)]
    size = int(rng.choice([16, 20, 24, 32]))
    window = QMainWindow()
    window.setStyleSheet(_style(theme))
    toolbar = QToolBar()
    toolbar.setIconSize(QSize(size, size))
    window.addToolBar(toolbar)
    central = QWidget()
    layout = QVBoxLayout(central)
    row = QHBoxLayout()
    buttons = []
    half = len(concepts) // 2
    for i, (phrase, rel) in enumerate(concepts):
        button = QToolButton()
        button.setIcon(QIcon(_pixmap(_icon_path(set_name, rel), size * 2, theme[2])))
        button.setIconSize(QSize(size, size))
        button.setAccessibleName(phrase)
        (toolbar.addWidget(button) if i < half else row.addWidget(button))
        buttons.append((phrase, button))
    for word in rng.choice(_DISTRACTORS, 3, replace=False):
        row.addWidget(QPushButton(str(word)))
    row.addStretch()
    layout.addLayout(row)
    grid = QGridLayout()
    grid.addWidget(QLabel("Untitled document — notes"), 0, 0)
    grid.addWidget(QTextEdit("The quick brown fox jumps over the lazy dog."), 1, 0)
    layout.addLayout(grid)
    window.setCentralWidget(central)
    window.resize(900, 420)
    window.show()
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()
    grab = window.grab().toImage().convertToFormat(window.grab().toImage().Format.Format_RGB888)
    image = np.frombuffer(grab.constBits(), np.uint8).reshape(grab.height(), grab.bytesPerLine())
    image = image[:, : grab.width() * 3].reshape(grab.height(), grab.width(), 3).copy()
    cases, boxes = [], []
    for i, (phrase, button) in enumerate(buttons):
        p = button.mapTo(window, QPoint(0, 0))
        box = (p.x(), p.y(), p.x() + button.width(), p.y() + button.height())
        boxes.append(box)
        form = ("click the {} icon", "click {}", "click the {} button")[i % 3]
        cases.append(IconCase(form.format(phrase), phrase, box))
    window.close()
    return IconScreen(f"{set_name}-{index}", image, tuple(cases), tuple(boxes))


def build_screens(count: int = 12, per_screen: int = 10, seed: int = 0) -> list[IconScreen]:
    """``count`` screens alternating Lucide and Adwaita, each icon concept used about equally."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    global _APP
    _APP = QApplication.instance() or QApplication([])   # kept: Qt needs the app alive while widgets live
    rng = np.random.default_rng(seed)
    screens = []
    for index in range(count):
        set_name = ("lucide", "adwaita")[index % 2]
        pool = [(phrase, (luc if set_name == "lucide" else adw)) for phrase, luc, adw in CONCEPTS]
        pool = [(p, r) for p, r in pool if r is not None and _icon_path(set_name, r).exists()]
        pick = rng.choice(len(pool), min(per_screen, len(pool)), replace=False)
        screens.append(_screen(index, set_name, [pool[i] for i in pick], rng))
    return screens
