"""Toolbar icons named by the installed icon theme: a tiny theme made here, pasted onto synthetic screens.

Nothing depends on what this machine has installed, except the last test,
which skips without Adwaita.
"""

from __future__ import annotations

import os
from pathlib import Path

import cv2
import numpy as np
import pytest

from desktop.core.geometry import Box
from desktop.core.images import load_image
from desktop.core.parser import parse_instruction
from desktop.core.sources import Screen, SourceRequest
from desktop.grounding._theme_index import build_index, icon_dirs
from desktop.grounding._theme_match import match_boxes
from desktop.grounding._theme_names import humanise, said_names
from desktop.grounding.engine import Engine
from desktop.grounding.registry import DEFAULT_ORDER, SOURCES, stage_of
from desktop.grounding.theme_icons import ThemeIconSource

SCREENS = Path(__file__).resolve().parents[1] / "fixtures" / "screens"
BACKGROUND = (236, 235, 233)


# --- a tiny theme ------------------------------------------------------------------------------------------------

def _document_new(size: int) -> np.ndarray:
    """A white page with a dark outline and a blue plus badge (RGBA)."""
    k = size / 16
    img = np.zeros((size, size, 4), np.uint8)
    cv2.rectangle(img, (int(2 * k), int(1 * k)), (int(11 * k), int(14 * k)), (250, 250, 250, 255), -1)
    cv2.rectangle(img, (int(2 * k), int(1 * k)), (int(11 * k), int(14 * k)), (90, 90, 90, 255), 1)
    cv2.circle(img, (int(11 * k), int(4 * k)), max(2, int(3 * k)), (40, 90, 200, 255), -1)
    cv2.line(img, (int(10 * k), int(4 * k)), (int(12 * k), int(4 * k)), (255, 255, 255, 255), 1)
    cv2.line(img, (int(11 * k), int(3 * k)), (int(11 * k), int(5 * k)), (255, 255, 255, 255), 1)
    return img


def _edit_find(size: int) -> np.ndarray:
    """An orange-rimmed lens with a brown handle (RGBA)."""
    k = size / 16
    img = np.zeros((size, size, 4), np.uint8)
    cv2.line(img, (int(9 * k), int(9 * k)), (int(14 * k), int(14 * k)), (120, 70, 20, 255), max(2, int(2 * k)))
    cv2.circle(img, (int(6 * k), int(6 * k)), int(5 * k), (230, 140, 30, 255), max(1, int(2 * k)))
    cv2.circle(img, (int(6 * k), int(6 * k)), int(3 * k), (200, 225, 250, 255), -1)
    return img


def _arrow(size: int, nudged: bool = False) -> np.ndarray:
    """A symbolic up arrow: black, only its alpha counts (RGBA); ``nudged``: one edge pixel a little fainter."""
    k = size / 16
    img = np.zeros((size, size, 4), np.uint8)
    pts = np.array([[8 * k, 2 * k], [14 * k, 8 * k], [10 * k, 8 * k], [10 * k, 14 * k], [6 * k, 14 * k],
                    [6 * k, 8 * k], [2 * k, 8 * k]], np.int32)
    cv2.fillPoly(img, [pts], (0, 0, 0, 255), lineType=cv2.LINE_AA)
    if nudged:
        img[int(14 * k) - 1, int(6 * k), 3] -= 40
    return img


def _write(path: Path, rgba: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(path), rgba[:, :, [2, 1, 0, 3]])


@pytest.fixture()
def theme(tmp_path: Path) -> Path:
    root = tmp_path / "icons"
    base = root / "Tiny"
    _write(base / "16x16" / "actions" / "document-new.png", _document_new(16))
    _write(base / "24x24" / "actions" / "document-new.png", _document_new(24))
    os.symlink("document-new.png", base / "16x16" / "actions" / "filenew.png")
    _write(base / "16x16" / "actions" / "go-up-symbolic.symbolic.png", _arrow(16))
    _write(base / "16x16" / "legacy" / "edit-find.png", _edit_find(16))
    _write(base / "16x16" / "legacy" / "system-search.png", _edit_find(16))   # a copy: one more alias
    _write(base / "16x16" / "apps" / "text-editor.png", _edit_find(16)[::-1].copy())   # apps: not read
    (base / "16x16" / "actions" / "broken.png").write_bytes(b"not a png at all")
    (root / "Empty" / "16x16" / "actions").mkdir(parents=True)
    return root


def _paste(screen: np.ndarray, rgba: np.ndarray, x: int, y: int, colour: tuple[int, int, int] | None = None) -> Box:
    """Composite ``rgba`` at (x, y); ``colour`` recolours it as a toolkit draws a symbolic icon."""
    h, w = rgba.shape[:2]
    alpha = rgba[:, :, 3:4].astype(np.float32) / 255
    ink = np.broadcast_to(np.array(colour, np.float32), (h, w, 3)) if colour else rgba[:, :, :3].astype(np.float32)
    under = screen[y:y + h, x:x + w].astype(np.float32)
    screen[y:y + h, x:x + w] = np.round(alpha * ink + (1 - alpha) * under).astype(np.uint8)
    return Box(x, y, x + w, y + h)


def _screen() -> tuple[np.ndarray, dict[str, Box]]:
    img = np.full((120, 320, 3), BACKGROUND, np.uint8)
    boxes = {
        "new 1x": _paste(img, _document_new(16), 20, 20),
        "find 1x": _paste(img, _edit_find(16), 60, 20),
        "up recoloured": _paste(img, _arrow(16), 100, 20, colour=(46, 52, 54)),
        "up white": _paste(img, _arrow(16), 140, 20, colour=(60, 120, 220)),
        "new 1.5x": _paste(img, _document_new(24), 20, 60),   # the theme's own 24 px picture
        # No 24 px lens in the theme: a 1.5× desktop resamples the 16 px one.
        "find 1.5x": _paste(img, cv2.resize(_edit_find(16), (24, 24), interpolation=cv2.INTER_LINEAR), 60, 60),
        "up 2x": _paste(img, cv2.resize(_arrow(16), (32, 32), interpolation=cv2.INTER_LINEAR), 100, 60,
                        colour=(46, 52, 54)),
        # Not in the theme: a filled square and a ring.
        "square": Box(180, 20, 196, 36),
        "ring": Box(220, 20, 236, 36),
    }
    img[20:36, 180:196] = (60, 60, 60)
    cv2.circle(img, (228, 28), 7, (30, 30, 30), 2)
    return img, boxes


def _names_at(found, box: Box) -> set[str]:  # type: ignore[no-untyped-def]
    return {c.text for c in found if c.box.iou(box.expand(1)) > 0.5 or box.contains(*c.box.center)}


# --- names ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("stem, words", [
    ("document-new", "document new"), ("document-new-symbolic.symbolic", "document new"),
    ("view-refresh-rtl-symbolic", "view refresh"), ("gtk-add", "add"), ("gnome-stock-mail-new", "mail new"),
    ("go_up", "go up"), ("gtk", ""),
])
def test_file_stems_become_words(stem: str, words: str) -> None:
    assert humanise(stem) == words


@pytest.mark.parametrize("name, said", [
    ("document new", "new"), ("document new", "new document"), ("go up", "up"), ("go up", "parent folder"),
    ("tab new", "new tab"), ("go jump", "jump to"), ("process stop", "stop"), ("edit find", "find"),
    ("document save as", "save as"), ("drive harddisk", "file system root"),
])
def test_a_standard_name_also_says_what_people_call_it(name: str, said: str) -> None:
    names = said_names([name])
    assert names[0] == name and said in names


def test_the_go_menu_is_not_the_jump_icon() -> None:
    assert "go" not in said_names(["go jump"])


# --- the index -----------------------------------------------------------------------------------------------------

def test_the_index_reads_wanted_contexts_with_aliases_and_skips_broken_files(theme: Path) -> None:
    index = build_index([theme])
    names = {p.names for p in index.pictures}
    assert ("document new", "filenew") in names          # the symbolic link is an alias of its target
    assert any(p.symbolic and p.names == ("go up",) for p in index.pictures)
    assert ("edit find", "system search") in names         # an identical copy too, the plainest name first
    assert not any("text editor" in p.names for p in index.pictures)   # apps are not read
    assert len(index) == 4 and index.files == 7 and index.nbytes > 0   # apps and the broken file: not pictures


def test_no_theme_is_an_empty_index_and_no_candidates(tmp_path: Path) -> None:
    (tmp_path / "Empty" / "16x16" / "actions").mkdir(parents=True)
    assert len(build_index([tmp_path, tmp_path / "missing"])) == 0
    img, _ = _screen()
    source = ThemeIconSource(roots=[tmp_path])
    assert source.candidates(Screen(img), SourceRequest(intent=parse_instruction("click New"))) == ()
    assert not ThemeIconSource(roots=[tmp_path / "missing"]).available()


def test_icon_folders_follow_the_freedesktop_order(tmp_path: Path) -> None:
    dirs = icon_dirs({"HOME": str(tmp_path), "XDG_DATA_DIRS": "/a:/b"})
    assert dirs == [tmp_path / ".local/share/icons", tmp_path / ".icons", Path("/a/icons"), Path("/b/icons")]


# --- matching ------------------------------------------------------------------------------------------------------

def test_pictures_are_found_at_1x_and_scaled_recoloured_or_coloured(theme: Path) -> None:
    img, boxes = _screen()
    found = ThemeIconSource(roots=[theme]).candidates(Screen(img), SourceRequest(intent=parse_instruction("x")))
    assert {"document new", "new", "filenew"} <= _names_at(found, boxes["new 1x"])
    assert {"document new", "new"} <= _names_at(found, boxes["new 1.5x"])
    assert {"edit find", "find", "search"} <= _names_at(found, boxes["find 1x"])
    assert "find" in _names_at(found, boxes["find 1.5x"])
    for key in ("up recoloured", "up white", "up 2x"):
        assert {"go up", "up", "parent folder"} <= _names_at(found, boxes[key]), key
    assert not _names_at(found, boxes["square"]) and not _names_at(found, boxes["ring"])
    assert all(c.role == "icon" and c.source == "theme" and 0.8 <= c.score <= 1.0 for c in found)


def test_a_crop_two_differently_named_pictures_fit_alike_is_left_alone(tmp_path: Path) -> None:
    base = tmp_path / "Twins" / "16x16" / "actions"
    _write(base / "go-up.png", _arrow(16))
    _write(base / "go-top.png", _arrow(16, nudged=True))   # one pixel apart: no telling which
    img = np.full((40, 40, 3), BACKGROUND, np.uint8)
    box = _paste(img, _arrow(16), 10, 10)
    assert match_boxes(img, [box], build_index([tmp_path])) == []


@pytest.mark.parametrize("box", [Box(0, 0, 0, 0), Box(-5, -5, 3, 3), Box(310, 110, 400, 300), Box(5, 5, 6, 80)])
def test_odd_boxes_match_nothing_and_do_not_crash(theme: Path, box: Box) -> None:
    img, _ = _screen()
    assert match_boxes(img, [box], build_index([theme])) == []


def test_a_blank_screen_matches_nothing(theme: Path) -> None:
    img = np.full((60, 60, 3), 255, np.uint8)
    assert match_boxes(img, [Box(10, 10, 30, 30)], build_index([theme])) == []


def test_the_engine_clicks_the_icon_its_theme_names(theme: Path) -> None:
    img, boxes = _screen()
    engine = Engine(sources=[ThemeIconSource(roots=[theme])], semantic=False)
    for said, key in (("click New", "new 1x"), ("click Parent Folder", "up recoloured"), ("click Find", "find 1x")):
        best = engine.ground(img, said).best
        assert best is not None and best.source == "theme", said
        assert any(b.contains(best.x, best.y) for k, b in boxes.items() if k.split()[0] == key.split()[0]), said


def test_the_theme_source_runs_with_the_icon_model_before_it() -> None:
    assert stage_of("theme") == stage_of("icons") == 2
    assert DEFAULT_ORDER.index("theme") < DEFAULT_ORDER.index("icons")
    assert SOURCES["theme"].module == "desktop.grounding.theme_icons"


# --- a real screen (needs Adwaita installed) ---------------------------------------------------------------------

_ADWAITA = Path("/usr/share/icons/Adwaita/24x24/legacy")


@pytest.mark.skipif(not (_ADWAITA / "document-new.png").exists() or not (_ADWAITA / "document-open.png").exists(),
                    reason="Adwaita's 24 px legacy icons are not installed")
def test_xarchivers_new_and_open_are_adwaitas_document_new_and_open() -> None:
    img = load_image(SCREENS / "gtk_xarchiver_toolbar.png")
    engine = Engine(sources=[ThemeIconSource(roots=[_ADWAITA.parents[2]])], semantic=False)
    new, open_ = engine.ground(img, "click New").best, engine.ground(img, "click the Open button").best
    assert new is not None and Box(4, 7, 41, 42).contains(new.x, new.y)       # the truth box, in this crop
    assert open_ is not None and Box(41, 7, 78, 42).contains(open_.x, open_.y)
