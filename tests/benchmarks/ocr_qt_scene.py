"""A real Qt dialog with many widgets, grabbed offscreen, with its texts and widget boxes as ground truth.

Needs PySide6 and ``QT_QPA_PLATFORM=offscreen`` (set here when no display is
configured). Boxes are the widgets' rectangles (a label's text lies somewhere
inside), so recall on this scene checks text and rough position only.
"""

from __future__ import annotations

import os

import numpy as np

from tests.benchmarks.ocr_scenes import Scene, Truth

__all__ = ["render_qt_dialog"]


def _palette(dark: bool):  # pragma: no cover - needs Qt
    from PySide6.QtGui import QColor, QPalette

    pal = QPalette()
    if not dark:
        return pal
    roles = {
        QPalette.ColorRole.Window: (45, 45, 48), QPalette.ColorRole.WindowText: (230, 230, 230),
        QPalette.ColorRole.Base: (30, 30, 32), QPalette.ColorRole.AlternateBase: (50, 50, 54),
        QPalette.ColorRole.Text: (230, 230, 230), QPalette.ColorRole.Button: (60, 60, 64),
        QPalette.ColorRole.ButtonText: (230, 230, 230), QPalette.ColorRole.Highlight: (42, 130, 218),
        QPalette.ColorRole.HighlightedText: (255, 255, 255),
    }
    for role, rgb in roles.items():
        pal.setColor(role, QColor(*rgb))
    return pal


def render_qt_dialog(dark: bool = False, size: tuple[int, int] = (1920, 1080)) -> Scene:
    """Build, lay out and grab a settings dialog; return its image and widget texts."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6 import QtWidgets as W
    from PySide6.QtCore import QRect

    app = W.QApplication.instance() or W.QApplication([])
    app.setStyle("Fusion")
    app.setPalette(_palette(dark))
    win = W.QMainWindow()
    win.resize(*size)
    menu = win.menuBar()
    for name in ["File", "Edit", "View", "Tools", "Help"]:
        menu.addMenu(name)
    tb = win.addToolBar("Main")
    for name in ["New", "Open", "Save", "Print", "Undo", "Redo"]:
        tb.addAction(name)
    central = W.QWidget()
    grid = W.QGridLayout(central)
    tabs = W.QTabWidget()
    for name in ["General", "Privacy", "Network", "Appearance"]:
        tabs.addTab(W.QWidget(), name)
    grid.addWidget(tabs, 0, 0, 1, 3)
    form_box = W.QGroupBox("Account")
    form = W.QFormLayout(form_box)
    form.addRow("Full name", W.QLineEdit("Ada Lovelace"))
    form.addRow("Email", W.QLineEdit("ada@example.org"))
    combo = W.QComboBox()
    combo.addItems(["English", "Deutsch", "Français"])
    form.addRow("Language", combo)
    spin = W.QSpinBox()
    spin.setValue(42)
    form.addRow("Font size", spin)
    grid.addWidget(form_box, 1, 0)
    opts = W.QGroupBox("Options")
    vb = W.QVBoxLayout(opts)
    for text, on in [("Remember me", True), ("Show password", False), ("Start at login", True),
                     ("Check for updates", False)]:
        cb = W.QCheckBox(text)
        cb.setChecked(on)
        vb.addWidget(cb)
    for text in ["Light theme", "Dark theme"]:
        vb.addWidget(W.QRadioButton(text))
    grid.addWidget(opts, 1, 1)
    lst = W.QListWidget()
    lst.addItems(["Downloads", "Documents", "Pictures", "Music", "Videos", "Desktop"])
    grid.addWidget(lst, 1, 2)
    buttons = W.QDialogButtonBox()
    for text in ["OK", "Cancel", "Apply", "Reset"]:
        buttons.addButton(W.QPushButton(text), W.QDialogButtonBox.ButtonRole.ActionRole)
    grid.addWidget(buttons, 2, 0, 1, 3)
    win.setCentralWidget(central)
    win.statusBar().showMessage("Ready")
    win.show()
    app.processEvents()
    img = win.grab().toImage().convertToFormat(win.grab().toImage().Format.Format_RGB888)
    arr = np.frombuffer(img.constBits(), np.uint8).reshape(img.height(), img.bytesPerLine())
    arr = arr[:, : img.width() * 3].reshape(img.height(), img.width(), 3).copy()

    truths: list[Truth] = []

    def add(text: str, rect: QRect, widget: W.QWidget) -> None:
        top_left = widget.mapTo(win, rect.topLeft())
        truths.append(Truth(text, (top_left.x(), top_left.y(), top_left.x() + rect.width(),
                                   top_left.y() + rect.height())))

    for action in menu.actions():
        add(action.text(), menu.actionGeometry(action), menu)
    for action in tb.actions():
        add(action.text(), tb.actionGeometry(action), tb)
    bar = tabs.tabBar()
    for i in range(bar.count()):
        add(bar.tabText(i), bar.tabRect(i), bar)
    for w in central.findChildren(W.QWidget):
        if not w.isVisible():
            continue
        if isinstance(w, (W.QLabel, W.QAbstractButton)) and w.text():
            add(w.text().replace("&", ""), w.rect(), w)
        elif isinstance(w, W.QLineEdit):
            add(w.text(), w.rect(), w)
        elif isinstance(w, W.QComboBox):
            add(w.currentText(), w.rect(), w)
        elif isinstance(w, W.QGroupBox):
            add(w.title(), QRect(0, 0, w.width(), 24), w)
    for i in range(lst.count()):
        add(lst.item(i).text(), lst.visualItemRect(lst.item(i)), lst.viewport())
    status = win.statusBar()
    add("Ready", status.rect(), status)
    win.close()
    return Scene("qt_dark" if dark else "qt_light", arr, truths)
