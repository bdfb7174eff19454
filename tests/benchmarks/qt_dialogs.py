"""Dialog-like Qt windows for the synthetic screens: settings, forms, export, Chinese dialogs.

Every builder takes a seeded :class:`random.Random` and returns ``(title, widget)``;
the widget is a plain ``QWidget`` (never a ``QDialog``) so that it can be placed
as a child on a fake desktop and grabbed in one piece. Widgets are tagged with
dynamic properties (``ca_icon``, ``ca_kind``) that :mod:`tests.benchmarks.qt_truth`
reads back when it records the ground truth.
"""

from __future__ import annotations

import random

from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QFormLayout, QGridLayout, QGroupBox, QHBoxLayout, QLabel,
    QLineEdit, QPushButton, QRadioButton, QStyle, QTabWidget, QToolButton, QVBoxLayout,
    QWidget,
)

from tests.benchmarks import words

__all__ = ["std_icon", "push_button", "button_row", "add_field", "add_combo",
           "checkbox_group", "radio_group", "build_settings", "build_form", "build_export",
           "build_zh_dialog", "DIALOG_BUILDERS"]


def std_icon(widget: QWidget, name: str):  # noqa: ANN201 - QIcon
    """A QStyle standard icon by its ``SP_*`` name."""
    return widget.style().standardIcon(getattr(QStyle.StandardPixmap, name))


def push_button(text: str, icon: str = "", default: bool = False) -> QPushButton:
    b = QPushButton(text)
    if icon:
        b.setIcon(std_icon(b, icon))
        b.setProperty("ca_icon", icon)
    b.setDefault(default)
    return b


def button_row(texts: list[str], icons: dict[str, str] | None = None) -> QHBoxLayout:
    """Buttons right-aligned at the bottom of a dialog; the first is the default."""
    row = QHBoxLayout()
    row.addStretch(1)
    for i, t in enumerate(texts):
        row.addWidget(push_button(t, (icons or {}).get(t, ""), default=i == 0))
    return row


def add_field(form: QFormLayout, label: str, placeholder: str = "", text: str = "") -> QLineEdit:
    edit = QLineEdit(text)
    edit.setPlaceholderText(placeholder)
    if label.lower().startswith("password") or label == "密码":
        edit.setEchoMode(QLineEdit.EchoMode.Password)
    lab = QLabel(label + ":")
    lab.setBuddy(edit)
    form.addRow(lab, edit)
    return edit


def add_combo(form: QFormLayout, label: str, items: list[str], rng: random.Random) -> QComboBox:
    combo = QComboBox()
    combo.addItems(items)
    combo.setCurrentIndex(rng.randrange(len(items)))
    lab = QLabel(label + ":")
    lab.setBuddy(combo)
    form.addRow(lab, combo)
    return combo


def checkbox_group(title: str, labels: list[str], rng: random.Random) -> QGroupBox:
    box = QGroupBox(title)
    lay = QVBoxLayout(box)
    for text in labels:
        cb = QCheckBox(text)
        cb.setChecked(rng.random() < 0.5)
        lay.addWidget(cb)
    return box


def radio_group(title: str, options: list[str], rng: random.Random, horizontal: bool) -> QGroupBox:
    box = QGroupBox(title)
    lay = QHBoxLayout(box) if horizontal else QVBoxLayout(box)
    chosen = rng.randrange(len(options))
    for i, text in enumerate(options):
        rb = QRadioButton(text)
        rb.setChecked(i == chosen)
        lay.addWidget(rb)
    if horizontal:
        lay.addStretch(1)
    return box


def _switch_rows(labels: list[str], rng: random.Random) -> QGroupBox:
    """Label first, then a text-less checkbox, as settings panes often do."""
    box = QGroupBox(rng.choice(["Features", "Options", "Extras"]))
    grid = QGridLayout(box)
    for r, text in enumerate(labels):
        lab = QLabel(text)
        cb = QCheckBox()
        cb.setChecked(rng.random() < 0.5)
        lab.setBuddy(cb)
        grid.addWidget(lab, r, 0)
        grid.addWidget(cb, r, 1)
    grid.setColumnStretch(2, 1)
    return box


def _settings_page(rng: random.Random, pool: list[str]) -> QWidget:
    page = QWidget()
    lay = QVBoxLayout(page)
    n_cb = rng.randint(2, 5)
    lay.addWidget(checkbox_group(rng.choice(["Behaviour", "Startup", "General options", "Privacy"]),
                                 [pool.pop() for _ in range(n_cb)], rng))
    question, options = rng.choice(words.RADIO_GROUPS)
    lay.addWidget(radio_group(question, options, rng, horizontal=rng.random() < 0.5))
    form = QFormLayout()
    for label, items in rng.sample(words.COMBOS, rng.randint(1, 2)):
        add_combo(form, label, items, rng)
    for label, ph in rng.sample(words.FIELDS, rng.randint(0, 2)):
        add_field(form, label, ph)
    lay.addLayout(form)
    if rng.random() < 0.45:
        lay.addWidget(_switch_rows([pool.pop() for _ in range(rng.randint(2, 3))], rng))
    lay.addStretch(1)
    return page


def build_settings(rng: random.Random, lang: str = "en") -> tuple[str, QWidget]:
    """A tabbed settings window with groups of checkboxes, radios, combos and fields."""
    title = rng.choice(["Settings", "Preferences", "Options", "Sync settings", "Editor settings"])
    root = QWidget()
    lay = QVBoxLayout(root)
    tabs = QTabWidget()
    pool = rng.sample(words.CHECKBOXES, len(words.CHECKBOXES))
    for i, name in enumerate(rng.sample(words.TABS, rng.randint(3, 5))):
        tabs.addTab(_settings_page(rng, pool) if i == 0 else QLabel(f"{name} options"), name)
    lay.addWidget(tabs)
    texts = ["OK", "Cancel"] + (["Apply"] if rng.random() < 0.7 else [])
    if rng.random() < 0.4:
        texts.insert(0, "Help")
    lay.addLayout(button_row(texts))
    return title, root


def build_form(rng: random.Random, lang: str = "en") -> tuple[str, QWidget]:
    """A sign-in or registration form."""
    register = rng.random() < 0.5
    title = "Create account" if register else rng.choice(["Sign in", "Log on to server", "Account"])
    root = QWidget()
    lay = QVBoxLayout(root)
    head = QLabel("Create your account" if register else "Welcome back")
    f = head.font()
    f.setPointSizeF(f.pointSizeF() * 1.4)
    head.setFont(f)
    lay.addWidget(head)
    form = QFormLayout()
    labels = (["Name", "Email", "Password", "Phone"] if register else ["Username", "Password", "Server"])
    for label in labels[: rng.randint(2, len(labels))]:
        ph = dict(words.FIELDS).get(label, "")
        add_field(form, label, ph)
    if register:
        add_combo(form, "Country", dict(words.COMBOS)["Country"], rng)
    lay.addLayout(form)
    pool = (["I agree to the terms", "Subscribe to newsletter", "Keep me signed in"] if register
            else ["Remember me", "Keep me signed in", "Show password"])
    for text in pool[: rng.randint(1, 3)]:
        cb = QCheckBox(text)
        cb.setChecked(rng.random() < 0.4)
        lay.addWidget(cb)
    if register and rng.random() < 0.6:
        question, options = rng.choice(words.RADIO_GROUPS)
        lay.addWidget(radio_group(question, options, rng, horizontal=True))
    lay.addStretch(1)
    lay.addLayout(button_row(["Create account" if register else "Sign in", "Cancel"]))
    return title, root


def build_export(rng: random.Random, lang: str = "en") -> tuple[str, QWidget]:
    """A small export dialog that has its own Save button (for "Save in the Export dialog")."""
    title = rng.choice(["Export", "Export image", "Export report"])
    root = QWidget()
    lay = QVBoxLayout(root)
    form = QFormLayout()
    add_field(form, "File name", "", rng.choice(["untitled.png", "report-final", "chart"]))
    add_combo(form, "Format", ["PNG", "PDF", "SVG", "CSV"], rng)
    lay.addLayout(form)
    for text in rng.sample(["Include subfolders", "Compress backups", "Overwrite existing files",
                            "Encrypt files", "Show preview"], 2):
        lay.addWidget(QCheckBox(text))
    lay.addStretch(1)
    lay.addLayout(button_row(["Save", "Cancel"]))
    return title, root


def build_zh_dialog(rng: random.Random, lang: str = "zh") -> tuple[str, QWidget]:
    """A Chinese-labelled settings or save dialog."""
    zh = words.ZH
    title = rng.choice(zh["titles"])
    root = QWidget()
    lay = QVBoxLayout(root)
    tabs = QTabWidget()
    page = QWidget()
    page_lay = QVBoxLayout(page)
    page_lay.addWidget(checkbox_group("选项", rng.sample(zh["checkboxes"], rng.randint(3, 5)), rng))
    question, options = zh["radios"][0]
    page_lay.addWidget(radio_group(question, options, rng, horizontal=True))
    form = QFormLayout()
    for label, items in zh["combos"]:
        add_combo(form, label, items, rng)
    for label in rng.sample(zh["fields"], 2):
        add_field(form, label)
    page_lay.addLayout(form)
    for i, name in enumerate(rng.sample(zh["tabs"], 4)):
        tabs.addTab(page if i == 0 else QLabel(name), name)
    lay.addWidget(tabs)
    buttons = ["保存", "取消"] if rng.random() < 0.5 else ["确定", "取消", "应用"]
    if rng.random() < 0.5:
        tool = QToolButton()
        tool.setText("打开")
        lay.addWidget(tool)
    lay.addLayout(button_row(buttons))
    return title, root


DIALOG_BUILDERS = {
    "settings": build_settings,
    "form": build_form,
    "export": build_export,
    "zh": build_zh_dialog,
}
