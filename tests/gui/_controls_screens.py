"""Test screens for the control detector: real Qt widgets and real Chromium pages.

Each screen comes with ground truth taken from the widgets' own geometry (Qt)
or from ``getBoundingClientRect`` (Chromium), and with the visible text lines
so tests can build OCR-like text candidates when the OCR source is absent.
Qt is imported lazily so that importing this module costs nothing.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from desktop.core.geometry import Box

__all__ = ["Truth", "RenderedScreen", "QtSpec", "render_qt", "render_html", "FORM_HTML", "APP_HTML"]


@dataclass(frozen=True)
class Truth:
    """One control as the toolkit placed it."""

    role: str
    box: Box
    text: str = ""
    states: frozenset[str] = frozenset()
    label_box: Box | None = None


@dataclass
class RenderedScreen:
    """A rendered screen, its controls and its visible text lines ``(text, box)``."""

    name: str
    image: np.ndarray
    truths: list[Truth]
    #: Visible text lines: ``(text, box, words)``; ``words`` may be empty.
    texts: list[tuple[str, Box, tuple[tuple[str, Box], ...]]] = field(default_factory=list)


@dataclass(frozen=True)
class QtSpec:
    """How to render the Qt form: style, theme, font size, device pixel ratio, layout variant."""

    style: str = "Fusion"
    dark: bool = False
    point_size: int = 10
    scale: float = 1.0
    variant: int = 0

    @property
    def name(self) -> str:
        theme = "dark" if self.dark else "light"
        return f"qt-{self.style.lower()}-{theme}-{self.point_size}pt-x{self.scale:g}-v{self.variant}"


# --------------------------------------------------------------------------- Qt


def _qt():
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6 import QtCore, QtGui, QtWidgets

    if QtWidgets.QApplication.instance() is None:
        _qt.app = QtWidgets.QApplication([])  # type: ignore[attr-defined]
    return QtCore, QtGui, QtWidgets


def _dark_palette(QtGui):
    c = QtGui.QColor
    p = QtGui.QPalette()
    roles = QtGui.QPalette.ColorRole
    for role, colour in [
        (roles.Window, c(53, 53, 53)), (roles.WindowText, c(235, 235, 235)),
        (roles.Base, c(35, 35, 35)), (roles.AlternateBase, c(53, 53, 53)),
        (roles.Text, c(235, 235, 235)), (roles.Button, c(53, 53, 53)),
        (roles.ButtonText, c(235, 235, 235)), (roles.Highlight, c(42, 130, 218)),
        (roles.HighlightedText, c(255, 255, 255)), (roles.PlaceholderText, c(140, 140, 140)),
        (roles.Light, c(80, 80, 80)), (roles.Mid, c(45, 45, 45)), (roles.Dark, c(30, 30, 30)),
    ]:
        p.setColor(role, colour)
    return p


class _QtForm:
    """Builds the form and records what each widget is (role, expected label)."""

    def __init__(self, spec: QtSpec) -> None:
        QtCore, QtGui, QtWidgets = _qt()
        self.QtCore, self.QtGui, self.W = QtCore, QtGui, QtWidgets
        self.spec = spec
        self.records: list[tuple[str, object, str, str]] = []  # (role, widget, label, extra)
        self.labels: list[object] = []
        self.root = QtWidgets.QWidget()
        self._build()

    def _label(self, text: str):
        lab = self.W.QLabel(text)
        self.labels.append(lab)
        return lab

    def _build(self) -> None:
        W, v = self.W, self.spec.variant
        outer = W.QVBoxLayout(self.root)
        menubar = W.QMenuBar()
        menus = [["File", "Edit", "View", "Help"], ["File", "Edit", "Selection", "Tools", "Window", "Help"],
                 ["文件", "编辑", "视图", "帮助"]][v % 3]
        for title in menus:
            menubar.addMenu(title)
        outer.setMenuBar(menubar)
        self.menubar = menubar
        tabs = W.QTabWidget()
        names = [["General", "Advanced", "Network"], ["Profile", "Security", "Privacy", "About"],
                 ["Home", "Insert", "Layout"]][v % 3]
        page = W.QWidget()
        tabs.addTab(page, names[0])
        for name in names[1:]:
            tabs.addTab(W.QWidget(), name)
        tabs.setCurrentIndex(0)
        self.tabs = tabs
        outer.addWidget(tabs)
        self._fill_page(page)

    def _fill_page(self, page) -> None:
        W, v = self.W, self.spec.variant
        grid = W.QGridLayout(page)
        row = 0
        fields = [("Name:", "", "Full name"), ("Email:", "ada@example.org", ""), ("Phone:", "", "+49 30 1234")]
        for label, text, placeholder in fields[: 2 + v % 2]:
            edit = W.QLineEdit(text)
            edit.setPlaceholderText(placeholder)
            grid.addWidget(self._label(label), row, 0)
            grid.addWidget(edit, row, 1, 1, 3)
            self.records.append(("field", edit, label.rstrip(":"), text or placeholder))
            row += 1
        combo = W.QComboBox()
        combo.addItems(["Germany", "France", "Japan"] if v % 2 == 0 else ["Medium quality", "High quality"])
        grid.addWidget(self._label("Country:" if v % 2 == 0 else "Quality:"), row, 0)
        grid.addWidget(combo, row, 1, 1, 2)
        self.records.append(("dropdown", combo, combo.currentText(), "Country" if v % 2 == 0 else "Quality"))
        row += 1
        above = self._label("Password")
        grid.addWidget(above, row, 1)
        row += 1
        pw = W.QLineEdit()
        pw.setEchoMode(W.QLineEdit.EchoMode.Password)
        pw.setText("secret")
        grid.addWidget(pw, row, 1, 1, 2)
        self.records.append(("field", pw, "Password", ""))
        row += 1
        row = self._checks(grid, row)
        row = self._radios(grid, row)
        self._buttons(grid, row)

    def _checks(self, grid, row: int) -> int:
        W, v = self.W, self.spec.variant
        items = [("Remember me", True), ("Send newsletter", False), ("Enable logging", v % 2 == 1)]
        for i, (text, checked) in enumerate(items):
            cb = W.QCheckBox(text)
            cb.setChecked(checked)
            grid.addWidget(cb, row + i // 2, 1 + i % 2)
            self.records.append(("checkbox", cb, text, ""))
        row += 2
        if v % 2 == 0:
            rtl = W.QCheckBox("Dark mode")
            rtl.setLayoutDirection(self.QtCore.Qt.LayoutDirection.RightToLeft)
            rtl.setChecked(v % 4 == 0)
            grid.addWidget(rtl, row, 1)
            self.records.append(("checkbox", rtl, "Dark mode", ""))
            row += 1
        return row

    def _radios(self, grid, row: int) -> int:
        W, v = self.W, self.spec.variant
        box = W.QWidget()
        lay = W.QHBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        for i, text in enumerate(["Small", "Medium", "Large"]):
            rb = W.QRadioButton(text)
            rb.setChecked(i == 1 + v % 2)
            lay.addWidget(rb)
            self.records.append(("radio", rb, text, ""))
        lay.addStretch(1)
        grid.addWidget(self._label("Size:"), row, 0)
        grid.addWidget(box, row, 1, 1, 3)
        return row + 1

    def _buttons(self, grid, row: int) -> None:
        W, v = self.W, self.spec.variant
        box = W.QWidget()
        lay = W.QHBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        icon_button = W.QPushButton()
        icon_button.setIcon(box.style().standardIcon(W.QStyle.StandardPixmap.SP_DialogSaveButton))
        lay.addWidget(icon_button)
        self.records.append(("button", icon_button, "", ""))
        lay.addStretch(1)
        for text in (["OK", "Cancel", "Apply"] if v % 2 == 0 else ["Save changes", "Close"]):
            b = W.QPushButton(text)
            lay.addWidget(b)
            self.records.append(("button", b, text, ""))
        grid.addWidget(box, row, 0, 1, 4)


def _rect_box(QtCore, rect, origin, scale: float) -> Box:
    x, y = origin.x() + rect.x(), origin.y() + rect.y()
    return Box(x * scale, y * scale, (x + rect.width()) * scale, (y + rect.height()) * scale)


def _text_rect(form: _QtForm, widget, area, text: str, align):
    fm = widget.fontMetrics()
    r = fm.boundingRect(area, int(align), text)
    return r


class _Truths:
    """Collects ground truth and visible text from the built form's widget geometry."""

    def __init__(self, form: _QtForm, scale: float) -> None:
        self.form, self.scale = form, scale
        self.Qt, self.W, self.QtCore = form.QtCore.Qt, form.W, form.QtCore
        self.truths: list[Truth] = []
        self.texts: list = []

    def box(self, rect, widget) -> Box:
        return _rect_box(self.QtCore, rect, widget.mapTo(self.form.root, self.QtCore.QPoint(0, 0)), self.scale)

    def text(self, widget, area, text: str, align=None) -> Box | None:
        if not text:
            return None
        align = align if align is not None else self.Qt.AlignmentFlag.AlignLeft | self.Qt.AlignmentFlag.AlignVCenter
        b = self.box(_text_rect(self.form, widget, area, text, align), widget)
        self.texts.append((text, b, ()))
        return b

    def indicator(self, role: str, w, label: str) -> None:
        S, Qt = self.W.QStyle.SubElement, self.Qt
        opt = self.W.QStyleOptionButton()
        w.initStyleOption(opt)
        ind = S.SE_CheckBoxIndicator if role == "checkbox" else S.SE_RadioButtonIndicator
        con = S.SE_CheckBoxContents if role == "checkbox" else S.SE_RadioButtonContents
        # subElementRect already answers in visual coordinates (mirrored for right-to-left).
        rtl = w.layoutDirection() == Qt.LayoutDirection.RightToLeft
        align = (Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft) | Qt.AlignmentFlag.AlignVCenter
        label_box = self.text(w, w.style().subElementRect(con, opt, w), w.text(), align)
        states = frozenset({"checked"}) if w.isChecked() else frozenset()
        self.truths.append(Truth(role, self.box(w.style().subElementRect(ind, opt, w), w), label, states, label_box))

    def framed(self, role: str, w, label: str) -> None:
        self.truths.append(Truth(role, self.box(w.rect(), w), label))
        if role == "field":
            shown = w.text() if w.echoMode() == self.W.QLineEdit.EchoMode.Normal else ""
            self.text(w, w.rect().adjusted(6, 0, 0, 0), shown or w.placeholderText())
        elif role == "dropdown":
            self.text(w, w.rect().adjusted(6, 0, 0, 0), w.currentText())
        else:
            self.text(w, w.rect(), label, self.Qt.AlignmentFlag.AlignCenter)

    def bars(self) -> None:
        bar, centre = self.form.tabs.tabBar(), self.Qt.AlignmentFlag.AlignCenter
        for i in range(bar.count()):
            selected = frozenset({"selected"}) if i == bar.currentIndex() else frozenset()
            self.truths.append(Truth("tab", self.box(bar.tabRect(i), bar), bar.tabText(i), selected))
            self.text(bar, bar.tabRect(i), bar.tabText(i), centre)
        menubar = self.form.menubar
        for action in menubar.actions():
            self.truths.append(Truth("menu", self.box(menubar.actionGeometry(action), menubar), action.text()))
            self.text(menubar, menubar.actionGeometry(action), action.text(), centre)


def _truths(form: _QtForm, scale: float) -> tuple[list[Truth], list]:
    out = _Truths(form, scale)
    for lab in form.labels:
        out.text(lab, lab.rect(), lab.text())
    for role, widget, label, _ in form.records:
        if role in ("checkbox", "radio"):
            out.indicator(role, widget, label)
        else:
            out.framed(role, widget, label)
    out.bars()
    return out.truths, out.texts


def render_qt(spec: QtSpec, size: tuple[int, int] | None = None) -> RenderedScreen:
    """Render the Qt test form as the person would see it, with its ground truth."""
    QtCore, QtGui, W = _qt()
    app = W.QApplication.instance()
    # Other GUI tests leave the app's own (high-contrast) style sheet on the shared
    # QApplication; these forms must look like a plain application's.
    saved_sheet = app.styleSheet()
    app.setStyleSheet("")
    try:
        return _render_qt(spec, size, QtCore, QtGui, W)
    finally:
        app.setStyleSheet(saved_sheet)


def _render_qt(spec: QtSpec, size: tuple[int, int] | None, QtCore, QtGui, W) -> RenderedScreen:
    form = _QtForm(spec)
    root = form.root
    style = W.QStyleFactory.create(spec.style)
    form._style = style  # keep a reference: widgets do not own a style set with setStyle
    for widget in [root, *root.findChildren(W.QWidget)]:
        widget.setStyle(style)
    root.setPalette(_dark_palette(QtGui) if spec.dark else style.standardPalette())
    font = QtGui.QFont("DejaVu Sans" if spec.variant % 3 != 2 else "Noto Sans CJK SC")
    font.setPointSize(spec.point_size)
    root.setFont(font)
    root.setAutoFillBackground(True)
    root.resize(*(size or (root.sizeHint().width() + 40, root.sizeHint().height())))
    root.show()
    root.layout().activate()
    QtCore.QCoreApplication.processEvents()
    truths, texts = _truths(form, spec.scale)
    pm = QtGui.QPixmap(QtCore.QSize(round(root.width() * spec.scale), round(root.height() * spec.scale)))
    pm.setDevicePixelRatio(spec.scale)
    root.render(pm)
    root.close()
    root.deleteLater()
    return RenderedScreen(spec.name, _qimage_to_rgb(pm.toImage(), QtGui), truths, texts)


def _qimage_to_rgb(img, QtGui) -> np.ndarray:
    img = img.convertToFormat(QtGui.QImage.Format.Format_RGB888)
    h, w = img.height(), img.width()
    buf = np.frombuffer(img.constBits(), np.uint8, count=img.sizeInBytes())
    return buf.reshape(h, img.bytesPerLine())[:, : w * 3].reshape(h, w, 3).copy()


# --------------------------------------------------------------------------- Chromium

_PAGES = Path(__file__).with_name("controls_pages")


def _page(name: str) -> str:
    script = (_PAGES / "ground_truth.js").read_text(encoding="utf-8")
    return (_PAGES / name).read_text(encoding="utf-8").replace("GT_SCRIPT", script)


#: A form in Chromium's default controls plus GTK/Adwaita-like custom ones.
#: Elements carrying ``data-role`` are ground truth; ``data-label`` names them.
FORM_HTML = _page("form.html")


#: A web-app page (Bootstrap/Material-like controls) full of things that are
#: not controls: paragraphs in English and Chinese, bullets, a bordered table,
#: a highlighted list row, badges, icons and code. ``data-role="ignore"``
#: marks things a detector may reasonably call either way.
APP_HTML = _page("app.html")


def _chromium(args: list[str], cwd: str) -> subprocess.CompletedProcess:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        raise FileNotFoundError("chromium")
    base = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
            f"--user-data-dir={cwd}/profile", "--force-device-scale-factor=1"]
    return subprocess.run(base + args, cwd=cwd, capture_output=True, timeout=60, check=False)


def render_html(html: str = FORM_HTML, dark: bool = False, size: tuple[int, int] = (1280, 800),
                scale: float = 1.0, name: str = "chromium") -> RenderedScreen:
    """Screenshot a page in headless Chromium; ground truth from the page's own layout."""
    html = html.replace("TABBG", "#3a3a3a" if dark else "#f2f2f2").replace("LINE", "#555" if dark else "#ced4da")
    html = html.replace("CODEBG", "#2d2d2d" if dark else "#f6f8fa")
    html = html.replace("BG", "#242424" if dark else "#ffffff").replace("FG", "#eeeeee" if dark else "#1a1a1a")
    if dark:
        html = html.replace("<head>", "<head><meta name='color-scheme' content='dark'>")
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp, "page.html")
        page.write_text(html, encoding="utf-8")
        win = f"--window-size={size[0]},{size[1]}"
        dsf = f"--force-device-scale-factor={scale:g}"
        shot = _chromium([win, dsf, "--screenshot=shot.png", page.as_uri()], tmp)
        dom = _chromium([win, dsf, "--dump-dom", page.as_uri()], tmp)
        png = Path(tmp, "shot.png")
        if not png.exists():
            raise RuntimeError(f"chromium made no screenshot: {shot.stderr.decode(errors='replace')[-500:]}")
        import cv2

        image = cv2.cvtColor(cv2.imread(str(png)), cv2.COLOR_BGR2RGB)
    m = re.search(r'<pre id="gt"[^>]*>(.*?)</pre>', dom.stdout.decode())
    if m is None:
        raise RuntimeError("chromium dump-dom has no ground truth")
    import html as html_lib

    data = json.loads(html_lib.unescape(m.group(1)))
    truths = [Truth(c["role"], Box(*[v * scale for v in c["box"]]), c["label"],
                    frozenset({"checked"}) if c["checked"] and c["role"] in ("checkbox", "radio", "switch")
                    else frozenset()) for c in data["controls"]]
    texts = [(t["text"], Box(*[v * scale for v in t["box"]]),
              tuple((w, Box(*[v * scale for v in b])) for w, b in t.get("words", []))) for t in data["texts"]]
    return RenderedScreen(f"{name}-{'dark' if dark else 'light'}-x{scale:g}", image, truths, texts)
