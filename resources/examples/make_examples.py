"""Render the example screenshot(s) shipped for the README demo.

``python resources/examples/make_examples.py`` writes ``settings-dialog.png``
next to this file: a 1280x800 Qt settings window drawn by real PySide6
widgets offscreen (Fusion style, light palette), the same every time.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["QT_SCALE_FACTOR"] = "1"

from PIL import Image  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QFont  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QApplication, QCheckBox, QComboBox, QFormLayout, QFrame, QGroupBox, QHBoxLayout, QLabel,
    QLineEdit, QListWidget, QListWidgetItem, QPushButton, QRadioButton, QSlider, QStyle, QTabWidget, QToolBar, QToolButton,
    QVBoxLayout, QWidget,
)

HERE = Path(__file__).resolve().parent
SIZE = (1280, 800)


def _title_bar(title: str) -> QWidget:
    bar = QWidget()
    bar.setAutoFillBackground(True)
    pal = bar.palette()
    pal.setColor(bar.backgroundRole(), pal.color(pal.ColorRole.Window).darker(112))
    bar.setPalette(pal)
    lay = QHBoxLayout(bar)
    lay.setContentsMargins(10, 4, 6, 4)
    name = QLabel(title)
    font = name.font()
    font.setBold(True)
    name.setFont(font)
    lay.addStretch(1)
    lay.addWidget(name)
    lay.addStretch(1)
    for icon in (QStyle.StandardPixmap.SP_TitleBarMinButton, QStyle.StandardPixmap.SP_TitleBarMaxButton,
                 QStyle.StandardPixmap.SP_TitleBarCloseButton):
        b = QToolButton()
        b.setAutoRaise(True)
        b.setIcon(b.style().standardIcon(icon))
        lay.addWidget(b)
    return bar


def _toolbar() -> QToolBar:
    bar = QToolBar()
    bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    sp = QStyle.StandardPixmap
    for text, icon in (("Import", sp.SP_DialogOpenButton), ("Export", sp.SP_DialogSaveButton),
                       ("Reset to defaults", sp.SP_BrowserReload), ("Help", sp.SP_DialogHelpButton)):
        bar.addAction(bar.style().standardIcon(icon), text)
    return bar


def _general_page() -> QWidget:
    page = QWidget()
    lay = QHBoxLayout(page)
    left = QVBoxLayout()
    startup = QGroupBox("Startup")
    col = QVBoxLayout(startup)
    for text, checked in (("Start at login", True), ("Enable sync", False), ("Check for updates automatically", True),
                          ("Show notifications", True), ("Remember me on this computer", False)):
        cb = QCheckBox(text)
        cb.setChecked(checked)
        col.addWidget(cb)
    left.addWidget(startup)
    theme = QGroupBox("Theme")
    row = QHBoxLayout(theme)
    for text in ("Light", "Dark", "System"):
        rb = QRadioButton(text)
        rb.setChecked(text == "Light")
        row.addWidget(rb)
    row.addStretch(1)
    left.addWidget(theme)
    left.addWidget(_storage_group())
    left.addStretch(1)
    right = _account_group()
    side = QVBoxLayout()
    side.addWidget(right)
    side.addWidget(_devices_group(), 1)
    lay.addLayout(left, 1)
    lay.addLayout(side, 1)
    return page


def _account_group() -> QGroupBox:
    box = QGroupBox("Account")
    form = QFormLayout(box)
    form.addRow("Name:", QLineEdit("Alex Morgan"))
    email = QLineEdit()
    email.setPlaceholderText("name@example.com")
    form.addRow("Email:", email)
    language = QComboBox()
    language.addItems(["English", "Deutsch", "Français", "简体中文"])
    form.addRow("Language:", language)
    country = QComboBox()
    country.addItems(["United Kingdom", "United States", "Germany", "France"])
    form.addRow("Country:", country)
    size = QSlider(Qt.Orientation.Horizontal)
    size.setValue(40)
    form.addRow("Text size:", size)
    return box


def _storage_group() -> QGroupBox:
    box = QGroupBox("Storage")
    form = QFormLayout(box)
    folder = QHBoxLayout()
    folder.addWidget(QLineEdit("/home/alex/Backups"), 1)
    folder.addWidget(QPushButton("Browse..."))
    form.addRow("Backup folder:", folder)
    keep = QComboBox()
    keep.addItems(["30 days", "90 days", "Forever"])
    form.addRow("Keep backups for:", keep)
    form.addRow("Cache:", QPushButton("Clear cache"))
    return box


def _devices_group() -> QGroupBox:
    box = QGroupBox("Signed-in devices")
    lay = QVBoxLayout(box)
    devices = QListWidget()
    for name in ("Laptop (this device)", "Phone", "Tablet", "Office desktop"):
        devices.addItem(QListWidgetItem(devices.style().standardIcon(QStyle.StandardPixmap.SP_ComputerIcon), name))
    lay.addWidget(devices, 1)
    row = QHBoxLayout()
    row.addWidget(QPushButton("Add device"))
    row.addWidget(QPushButton("Remove"))
    row.addStretch(1)
    row.addWidget(QPushButton("Sign out everywhere"))
    lay.addLayout(row)
    return box


def build_settings_window() -> QFrame:
    """The example window: title bar, toolbar, tabs, groups of controls, dialog buttons."""
    frame = QFrame()
    frame.setFrameShape(QFrame.Shape.Box)
    frame.setAutoFillBackground(True)
    outer = QVBoxLayout(frame)
    outer.setContentsMargins(1, 1, 1, 1)
    outer.setSpacing(0)
    outer.addWidget(_title_bar("Settings - Notes"))
    outer.addWidget(_toolbar())
    body = QVBoxLayout()
    body.setContentsMargins(14, 10, 14, 14)
    tabs = QTabWidget()
    tabs.addTab(_general_page(), "General")
    for name in ("Appearance", "Privacy", "Network", "Advanced"):
        tabs.addTab(QLabel(f"{name} settings"), name)
    body.addWidget(tabs, 1)
    buttons = QHBoxLayout()
    buttons.addStretch(1)
    for i, text in enumerate(("Save", "Cancel", "Apply")):
        b = QPushButton(text)
        b.setDefault(i == 0)
        b.setMinimumWidth(96)
        buttons.addWidget(b)
    body.addLayout(buttons)
    outer.addLayout(body, 1)
    return frame


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setStyle("Fusion")
    app.setPalette(app.style().standardPalette())
    app.setFont(QFont("DejaVu Sans", 11))
    window = build_settings_window()
    window.resize(*SIZE)
    window.show()
    app.processEvents()
    target = HERE / "settings-dialog.png"
    window.grab().save(str(target))
    # Re-save through Pillow: a palette PNG keeps it well under the 300 KB budget.
    img = Image.open(target).convert("RGB")
    img.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(target, optimize=True)
    print(f"wrote {target} ({target.stat().st_size // 1024} KB, {img.width}x{img.height})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
