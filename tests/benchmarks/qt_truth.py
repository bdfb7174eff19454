"""Read the ground truth back from a laid-out Qt widget tree.

Every box comes from widget geometry mapped to the grabbed top-level widget,
then multiplied by the device pixel ratio, so it is in the final image's
pixels. Checkable controls also get their indicator rectangle from the style
(``SE_CheckBoxIndicator`` / ``SE_RadioButtonIndicator``), which is where a
click must land.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import (
    QAbstractButton, QCheckBox, QComboBox, QGroupBox, QLabel, QLineEdit, QListWidget,
    QMenuBar, QPushButton, QRadioButton, QStyle, QStyleOptionButton, QStyleOptionGroupBox,
    QTabBar, QTableWidget, QTextEdit, QToolButton, QWidget,
)

from tests.benchmarks.truth import Element

__all__ = ["collect_elements"]


def _box(rect: QRect, scale: float) -> list[float]:
    return [round(rect.x() * scale, 2), round(rect.y() * scale, 2),
            round((rect.x() + rect.width()) * scale, 2), round((rect.y() + rect.height()) * scale, 2)]


def _mapped(widget: QWidget, top: QWidget, rect: QRect) -> QRect:
    return QRect(widget.mapTo(top, rect.topLeft()), rect.size())


def _fully_shown(widget: QWidget, top: QWidget, rect_in_top: QRect) -> bool:
    """Whether no ancestor clips the rectangle (scroll areas, splitters, the window)."""
    w = widget
    while w is not None and w is not top:
        area = QRect(w.mapTo(top, QPoint(0, 0)), w.size())
        if not area.contains(rect_in_top):
            return False
        w = w.parentWidget()
    return QRect(QPoint(0, 0), top.size()).contains(rect_in_top)


def _clean(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").strip()


class _Collector:
    def __init__(self, top: QWidget, scale: float, window: str) -> None:
        self.top, self.scale, self.window = top, scale, window
        self.out: list[Element] = []
        self.buddies: dict[int, str] = {}

    def add(self, widget: QWidget, kind: str, role: str, text: str, rect: QRect, **kw: object) -> None:
        rect_top = _mapped(widget, self.top, rect)
        if rect.isEmpty() or not _fully_shown(widget, self.top, rect_top):
            return
        for key in ("indicator", "label_box"):
            if isinstance(kw.get(key), QRect):
                kw[key] = _box(_mapped(widget, self.top, kw[key]), self.scale)
        self.out.append(Element(
            id=f"e{len(self.out)}", kind=kind, role=role, text=text, box=_box(rect_top, self.scale),
            window=self.window, group=_group_of(widget), **kw))  # type: ignore[arg-type]

    # -- per widget type -------------------------------------------------------------

    def checkable(self, w: QAbstractButton) -> None:
        opt = QStyleOptionButton()
        w.initStyleOption(opt)  # type: ignore[attr-defined]
        radio = isinstance(w, QRadioButton)
        ind = w.style().subElementRect(
            QStyle.SubElement.SE_RadioButtonIndicator if radio else QStyle.SubElement.SE_CheckBoxIndicator,
            opt, w)
        contents = w.style().subElementRect(
            QStyle.SubElement.SE_RadioButtonContents if radio else QStyle.SubElement.SE_CheckBoxContents,
            opt, w)
        text = _clean(w.text())
        label_box = None
        if text:
            label_box = w.style().itemTextRect(w.fontMetrics(), contents,
                                               int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                                               True, w.text())
        self.add(w, "radio" if radio else "checkbox", "radio" if radio else "checkbox", text,
                 w.rect(), indicator=ind, label_box=label_box,
                 label=self.buddies.get(id(w), ""), checked=w.isChecked())

    def button(self, w: QAbstractButton) -> None:
        icon = str(w.property("ca_icon") or "")
        kind = str(w.property("ca_kind") or ("button" if isinstance(w, QPushButton) else "toolbutton"))
        if not w.text() and not icon:
            return  # a toolbar's overflow arrow and similar internals
        role = "icon" if not w.text() else "button"
        self.add(w, kind, role, _clean(w.text()), w.rect(), icon=icon)

    def label(self, w: QLabel) -> None:
        text = w.text()
        if not text or w.pixmap() is not None and not w.pixmap().isNull():
            return
        flags = int(w.alignment()) | (int(Qt.TextFlag.TextWordWrap) if w.wordWrap() else 0)
        rect = w.fontMetrics().boundingRect(w.contentsRect(), flags, text)
        kind = str(w.property("ca_kind") or "label")
        self.add(w, kind, "text", _clean(text).rstrip(":"), rect.intersected(w.rect()), clickable=False)

    def tabs(self, bar: QTabBar) -> None:
        for i in range(bar.count()):
            self.add(bar, "tab", "tab", _clean(bar.tabText(i)), bar.tabRect(i),
                     checked=i == bar.currentIndex())

    def menubar(self, bar: QMenuBar) -> None:
        for action in bar.actions():
            if action.isVisible() and action.text():
                self.add(bar, "menu", "menu", _clean(action.text()), bar.actionGeometry(action))

    def listwidget(self, lw: QListWidget) -> None:
        vp = lw.viewport()
        for i in range(lw.count()):
            item = lw.item(i)
            self.add(vp, "listitem", "listitem", item.text(), lw.visualItemRect(item))

    def table(self, tw: QTableWidget) -> None:
        vp = tw.viewport()
        for r in range(tw.rowCount()):
            for c in range(tw.columnCount()):
                item = tw.item(r, c)
                if item is not None and item.text():
                    self.add(vp, "cell", "listitem" if c == 0 else "text", item.text(),
                             tw.visualItemRect(item), clickable=c == 0)
        header = tw.horizontalHeader()
        for c in range(tw.columnCount()):
            rect = QRect(header.sectionViewportPosition(c), 0, header.sectionSize(c), header.height())
            text = tw.horizontalHeaderItem(c).text() if tw.horizontalHeaderItem(c) else ""
            self.add(header.viewport(), "header", "button", text, rect)

    def group(self, gb: QGroupBox) -> None:
        opt = QStyleOptionGroupBox()
        gb.initStyleOption(opt)  # type: ignore[attr-defined]
        rect = gb.style().subControlRect(QStyle.ComplexControl.CC_GroupBox, opt,
                                         QStyle.SubControl.SC_GroupBoxLabel, gb)
        if gb.title():
            self.add(gb, "group", "text", _clean(gb.title()), rect, clickable=False)


def _group_of(widget: QWidget) -> str:
    w = widget.parentWidget()
    while w is not None:
        if isinstance(w, QGroupBox):
            return _clean(w.title())
        w = w.parentWidget()
    return ""


def _inside_compound(w: QWidget) -> bool:
    """Parts of other widgets (a combo's line edit, a tab bar's scroll arrows)."""
    parent = w.parentWidget()
    return isinstance(parent, (QComboBox, QTabBar)) or (
        isinstance(w, QToolButton) and isinstance(parent, QMenuBar))


def collect_elements(top: QWidget, scale: float) -> list[Element]:
    """Every visible element under ``top``, boxes in pixels of ``top.grab()`` at ``scale``."""
    window = ""
    col = _Collector(top, scale, window)
    for lab in top.findChildren(QLabel):
        if lab.buddy() is not None:
            col.buddies[id(lab.buddy())] = _clean(lab.text()).rstrip(":")
    for w in top.findChildren(QWidget):
        if not w.isVisibleTo(top) or _inside_compound(w):
            continue
        col.window = _window_of(w)
        if isinstance(w, (QCheckBox, QRadioButton)):
            col.checkable(w)
        elif isinstance(w, (QPushButton, QToolButton)):
            col.button(w)
        elif isinstance(w, QLineEdit):
            label = col.buddies.get(id(w), "")
            col.add(w, "field", "field", w.text(), w.rect(), label=label)
        elif isinstance(w, QComboBox):
            col.add(w, "combo", "dropdown", w.currentText(), w.rect(), label=col.buddies.get(id(w), ""))
        elif isinstance(w, QTabBar):
            col.tabs(w)
        elif isinstance(w, QMenuBar):
            col.menubar(w)
        elif isinstance(w, QTableWidget):
            col.table(w)
        elif isinstance(w, QListWidget):
            col.listwidget(w)
        elif isinstance(w, QGroupBox):
            col.group(w)
        elif isinstance(w, QLabel):
            col.label(w)
        elif isinstance(w, QTextEdit):
            col.add(w, "paragraph", "text", w.toPlainText(), w.viewport().geometry(), clickable=False)
    return col.out


def _window_of(widget: QWidget) -> str:
    w: QWidget | None = widget
    while w is not None:
        title = w.property("ca_window")
        if title:
            return str(title)
        w = w.parentWidget()
    return ""
