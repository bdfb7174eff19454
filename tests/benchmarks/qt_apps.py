"""Application-like Qt windows: editor, mail client, file dialog, calculator; and the window frame.

Same conventions as :mod:`tests.benchmarks.qt_dialogs`: builders take a seeded
``random.Random`` and return ``(title, widget)``.
"""

from __future__ import annotations

import random

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView, QFormLayout, QFrame, QGridLayout, QHBoxLayout, QLabel, QLineEdit,
    QListWidget, QListWidgetItem, QMainWindow, QSizePolicy, QSplitter, QTableWidget,
    QTableWidgetItem, QTextEdit, QToolBar, QToolButton, QVBoxLayout, QWidget,
)

from tests.benchmarks import words
from tests.benchmarks.qt_dialogs import (
    DIALOG_BUILDERS, add_combo, add_field, button_row, push_button, std_icon,
)

__all__ = ["framed", "build_editor", "build_mail", "build_file_dialog", "build_calculator",
           "BUILDERS"]


def _tool_action(bar: QToolBar, text: str, icon: str) -> None:
    action = bar.addAction(std_icon(bar, icon), text)
    button = bar.widgetForAction(action)
    button.setProperty("ca_icon", icon)


def _toolbar(items: list[tuple[str, str]], style: Qt.ToolButtonStyle) -> QToolBar:
    bar = QToolBar()
    bar.setToolButtonStyle(style)
    for text, icon in items:
        _tool_action(bar, text, icon)
    return bar


def framed(title: str, content: QWidget, dark: bool) -> QFrame:
    """Put a window decoration (title, minimise, maximise, close) around ``content``.

    The offscreen platform draws no decorations, and real screenshots always
    have them: they add the title text and three icon buttons per window.
    """
    frame = QFrame()
    frame.setObjectName("ca_frame")
    frame.setFrameShape(QFrame.Shape.Box)
    frame.setLineWidth(1)
    frame.setAutoFillBackground(True)
    frame.setProperty("ca_window", title)
    lay = QVBoxLayout(frame)
    lay.setContentsMargins(1, 1, 1, 1)
    lay.setSpacing(0)
    bar = QWidget()
    bar.setAutoFillBackground(True)
    pal = bar.palette()
    pal.setColor(bar.backgroundRole(), pal.color(pal.ColorRole.Window).darker(130 if dark else 110))
    bar.setPalette(pal)
    bar_lay = QHBoxLayout(bar)
    bar_lay.setContentsMargins(8, 2, 4, 2)
    name = QLabel(title)
    name.setProperty("ca_kind", "title")
    font = name.font()
    font.setBold(True)
    name.setFont(font)
    bar_lay.addStretch(1)
    bar_lay.addWidget(name)
    bar_lay.addStretch(1)
    for icon in ("SP_TitleBarMinButton", "SP_TitleBarMaxButton", "SP_TitleBarCloseButton"):
        b = QToolButton()
        b.setAutoRaise(True)
        b.setIcon(std_icon(b, icon))
        b.setProperty("ca_icon", icon)
        bar_lay.addWidget(b)
    lay.addWidget(bar)
    lay.addWidget(content, 1)
    return frame


def build_editor(rng: random.Random, lang: str = "en") -> tuple[str, QWidget]:
    """A document editor: menu bar, an icon+text toolbar, a formatting toolbar, text."""
    doc = rng.choice(["Untitled", "report.odt", "letter.txt", "notes.md", "minutes.docx"])
    title = f"{doc} - {rng.choice(['Writer', 'Text Editor', 'Notes'])}"
    win = QMainWindow()
    win.setWindowFlags(Qt.WindowType.Widget)
    for name in rng.sample(words.MENUS[:9], rng.randint(5, 7)):
        win.menuBar().addMenu(name)
    n_tools = rng.randint(4, 7)
    items = rng.sample(words.TOOLBAR, n_tools)
    style = rng.choice([Qt.ToolButtonStyle.ToolButtonTextBesideIcon,
                        Qt.ToolButtonStyle.ToolButtonTextUnderIcon,
                        Qt.ToolButtonStyle.ToolButtonIconOnly])
    win.addToolBar(_toolbar(items, style))
    win.addToolBarBreak()
    fmt = QToolBar()
    for text in rng.sample(words.FORMAT_BUTTONS, rng.randint(4, 6)):
        b = QToolButton()
        b.setText(text)
        b.setCheckable(True)
        fmt.addWidget(b)
    win.addToolBar(fmt)
    edit = QTextEdit()
    edit.setPlainText("\n\n".join(rng.sample(words.PARAGRAPHS, 2)))
    win.setCentralWidget(edit)
    win.statusBar().showMessage(f"Page 1 of {rng.randint(1, 9)}    {rng.randint(50, 900)} words")
    return title, win


def build_mail(rng: random.Random, lang: str = "en") -> tuple[str, QWidget]:
    """A mail client: action toolbar, folder list, message table."""
    win = QMainWindow()
    win.setWindowFlags(Qt.WindowType.Widget)
    acts = [("Reply", "SP_ArrowLeft"), ("Forward", "SP_ArrowForward"), ("Delete", "SP_TrashIcon"),
            ("Archive", "SP_DirClosedIcon"), ("Refresh", "SP_BrowserReload"), ("Print", "SP_FileIcon")]
    win.addToolBar(_toolbar(rng.sample(acts, rng.randint(3, 6)),
                            Qt.ToolButtonStyle.ToolButtonTextBesideIcon))
    split = QSplitter()
    folders = QListWidget()
    for name in ["Inbox", "Drafts", "Sent", "Spam", "Trash"][: rng.randint(3, 5)]:
        folders.addItem(name)
    folders.setMaximumWidth(150)
    table = QTableWidget(rng.randint(4, 7), 3)
    table.setHorizontalHeaderLabels(["From", "Subject", "Date"])
    senders = rng.sample(words.SENDERS, table.rowCount())
    subjects = rng.sample(words.SUBJECTS, table.rowCount())
    for r in range(table.rowCount()):
        for c, text in enumerate([senders[r], subjects[r], f"{rng.randint(1, 28)} May"]):
            table.setItem(r, c, QTableWidgetItem(text))
    table.verticalHeader().hide()
    table.horizontalHeader().setStretchLastSection(True)
    table.resizeColumnsToContents()
    split.addWidget(folders)
    split.addWidget(table)
    win.setCentralWidget(split)
    return rng.choice(["Inbox - Mail", "Mail", "Messages"]), win


def _file_table(rng: random.Random) -> QTableWidget:
    files = rng.sample(words.FILES, rng.randint(4, 8))
    table = QTableWidget(len(files), 3)
    table.setHorizontalHeaderLabels(["Name", "Size", "Modified"])
    for r, (name, size) in enumerate(files):
        table.setItem(r, 0, QTableWidgetItem(name))
        table.setItem(r, 1, QTableWidgetItem(size))
        table.setItem(r, 2, QTableWidgetItem(f"2024-0{rng.randint(1, 9)}-{rng.randint(10, 28)}"))
    table.verticalHeader().hide()
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.horizontalHeader().setStretchLastSection(True)
    table.resizeColumnsToContents()
    return table


def build_file_dialog(rng: random.Random, lang: str = "en") -> tuple[str, QWidget]:
    """A save or open dialog: navigation icons, places, a file table, name and type."""
    saving = rng.random() < 0.5
    root = QWidget()
    lay = QVBoxLayout(root)
    nav = QHBoxLayout()
    for icon in ("SP_ArrowBack", "SP_ArrowForward", "SP_FileDialogToParent", "SP_FileDialogNewFolder"):
        b = QToolButton()
        b.setIcon(std_icon(b, icon))
        b.setProperty("ca_icon", icon)
        nav.addWidget(b)
    path = QLineEdit(f"/home/{rng.choice(['alex', 'sam', 'lee'])}/{rng.choice(words.FOLDERS[1:])}")
    nav.addWidget(path, 1)
    lay.addLayout(nav)
    split = QSplitter()
    places = QListWidget()
    places.setMaximumWidth(140)
    for name in rng.sample(words.FOLDERS, rng.randint(4, 7)):
        item = QListWidgetItem(std_icon(places, "SP_DirIcon"), name)
        places.addItem(item)
    split.addWidget(places)
    split.addWidget(_file_table(rng))
    lay.addWidget(split, 1)
    form = QFormLayout()
    add_field(form, "File name", "", rng.choice(["untitled", "draft", "summary"]) if saving else "")
    add_combo(form, "File type", dict(words.COMBOS)["File type"], rng)
    lay.addLayout(form)
    lay.addLayout(button_row(["Save" if saving else "Open", "Cancel"]))
    return ("Save file" if saving else "Open file"), root


_CALC_ROWS = [["C", "⌫", "%", "÷"], ["7", "8", "9", "×"], ["4", "5", "6", "−"],
              ["1", "2", "3", "+"], ["±", "0", ".", "="]]


def build_calculator(rng: random.Random, lang: str = "en") -> tuple[str, QWidget]:
    """A calculator: a display and a grid of single-symbol keys."""
    root = QWidget()
    lay = QVBoxLayout(root)
    display = QLineEdit(rng.choice(["0", "152.4", "3,141.59", "42", "1,024"]))
    display.setReadOnly(True)
    display.setAlignment(Qt.AlignmentFlag.AlignRight)
    f = QFont(display.font())
    f.setPointSizeF(f.pointSizeF() * 2)
    display.setFont(f)
    lay.addWidget(display)
    grid = QGridLayout()
    rows = [list(r) for r in _CALC_ROWS]
    if rng.random() < 0.6:
        rows.insert(0, ["√", "x²", "1/x", "CE"])
    for r, row in enumerate(rows):
        for c, key in enumerate(row):
            b = push_button(key)
            b.setProperty("ca_kind", "key")
            b.setMinimumSize(48, 40)
            b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            grid.addWidget(b, r, c)
    lay.addLayout(grid, 1)
    return "Calculator", root


BUILDERS = dict(DIALOG_BUILDERS)
BUILDERS.update({
    "editor": build_editor,
    "mail": build_mail,
    "file": build_file_dialog,
    "calculator": build_calculator,
})
