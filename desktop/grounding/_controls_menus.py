"""Menu bars read from OCR text: a row of short, capitalised, unframed titles.

A menu bar has no frame per title, so only the words tell it apart: titles
sit further apart than words in a sentence, are title-cased, and usually
include a few well-known ones (File, Edit, View, Help). Many toolkits paint
the bar itself as a flat strip with a border; that strip holds the titles
and does not make them a control's label.
"""

from __future__ import annotations

from typing import Sequence

from desktop.core.geometry import Box
from desktop.core.results import Candidate
from desktop.grounding._controls_found import TextLine
from desktop.grounding._controls_text import boxes_array, hits, same_row, text_lines

__all__ = ["MENU_WORDS", "find_menus", "holds_menus"]

#: Menu-bar titles in a few languages: a row of these at the top of a window is a menu bar.
MENU_WORDS = frozenset("""
file edit view help tools window insert format selection go run terminal image layer history
bookmarks settings options project build debug source navigate refactor code profiles
datei bearbeiten ansicht hilfe extras fenster einfügen fichier édition affichage aide outils fenêtre
archivo editar ver ayuda herramientas ventana
文件 编辑 视图 帮助 工具 窗口 插入 格式 选项 设置 查看 转到 运行 终端 选择
ファイル 編集 表示 ヘルプ ツール
""".split())


def find_menus(texts: Sequence[Candidate], occupied: Sequence[Box], image_height: int) -> list[tuple[TextLine, Box, float]]:
    """Menu-bar titles: a row of short, unframed words at the top of a window.

    Returns
    -------
    list of (TextLine, Box, float)
        Each title, the box a click on it would hit, and a confidence.
    """
    # Menu titles sit further apart than words in a sentence (about 0.6-1.5
    # line heights against 0.3), so split there; CJK characters stay together.
    taken = boxes_array(occupied)
    items = [ln for ln in text_lines(texts, gap=0.45) if len(ln.text) <= 20 and len(ln.words) <= 3
             and _wordlike(ln.text) and not any(_blocks(occupied[int(k)], ln.box) for k in hits(taken, ln.box))]
    items.sort(key=lambda ln: ln.box.x0)
    out: list[tuple[TextLine, Box, float]] = []
    used: set[int] = set()
    for i in range(len(items)):
        if i in used:
            continue
        run = _menu_run(items, i, used)
        known = sum(1 for k in run if items[k].text.lower().strip("&_ .") in MENU_WORDS)
        # At the top of the screen, or in a strip of its own (a window placed lower down).
        top = items[run[0]].box.y0 <= max(0.12 * image_height, 60) or _in_strip([items[k].box for k in run], occupied)
        if len(run) < 3 or not (known >= 2 or (top and (known >= 1 or len(run) >= 4))):
            continue
        used.update(run)
        score = min(0.9, 0.5 + 0.1 * known + (0.1 if top else 0.0))
        for k in run:
            ln = items[k]
            out.append((ln, ln.box.expand(0.6 * ln.box.height, 0.35 * ln.box.height), score))
    return out


def _blocks(occupant: Box, title: Box) -> bool:
    """Whether a control or panel at ``occupant`` owns the text at ``title``.

    A strip one line tall and many titles wide is the menu bar itself (Qt and
    GTK draw it as a framed band); the words in it are its titles, not its label.
    """
    if occupant.overlap_of_smaller(title) <= 0.3:
        return False
    return not (occupant.height <= 2.5 * title.height and occupant.width >= 4 * title.width)


def _in_strip(titles: Sequence[Box], occupied: Sequence[Box]) -> bool:
    """Whether one framed band, a line tall and many titles wide, holds all of ``titles``."""
    h = max(t.height for t in titles)
    return any(o.height <= 2.5 * h and not _blocks(o, titles[0]) and o.overlap_of_smaller(titles[0]) > 0.3
               and all(o.contains(*t.center) for t in titles) for o in occupied)


def holds_menus(box: Box, menus: Sequence[Box]) -> bool:
    """Whether ``box`` is a menu bar's strip: it holds two or more of the titles found."""
    return sum(box.contains(*m.center) for m in menus) >= 2


def _wordlike(text: str) -> bool:
    """A menu title: a capitalised word of letters (or CJK), not an icon read as a symbol or a code token.

    Menu bars title-case their entries in every Latin-script toolkit; code,
    paths and prose rows are full of lower-case and punctuated tokens.
    """
    if any("\u3040" <= ch <= "\u9fff" for ch in text):
        return True
    words = text.replace("&", "").replace("_", "").split()
    return bool(words) and all(w.isalpha() and w[0].isupper() for w in words) and sum(map(len, words)) >= 2


def _level(a: Box, b: Box) -> bool:
    """Titles in one font: a shared cap line, heights apart by no more than a descender (Help, Query)."""
    h = min(a.height, b.height)
    return abs(a.y0 - b.y0) <= 0.3 * h and abs(a.height - b.height) <= 0.5 * h


def _menu_run(items: Sequence[TextLine], first: int, used: set[int]) -> list[int]:
    run = [first]
    for j in range(first + 1, len(items)):
        if j in used:
            continue
        prev, cand = items[run[-1]], items[j]
        h = prev.box.height
        if not same_row(prev.box, cand.box) or not _level(prev.box, cand.box):
            continue
        gap = cand.box.x0 - prev.box.x1
        if gap > 4.0 * h:
            break
        if gap >= 0.45 * h:
            run.append(j)
    return run
