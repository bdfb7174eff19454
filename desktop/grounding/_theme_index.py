"""The installed icon themes' small pictures, read once into arrays for matching.

Toolkits draw toolbar icons from the person's icon theme, whose files are
named by the freedesktop naming specification. This module finds the
themes (``$XDG_DATA_HOME/icons``, ``~/.icons``, each ``$XDG_DATA_DIRS``'s
``icons``), reads their PNGs of 16–48 px in the contexts a toolbar draws
from (not ``apps`` nor ``mimetypes``: nobody calls a file icon "text x
generic"), and keeps each distinct picture once with every name that
leads to it (symbolic links and identical copies are aliases).

Each picture is cut to its *ink box* (where it is opaque) and stored
premultiplied, with an 8×8 area-averaged digest: compositing is linear,
so the digest of the picture drawn on any background is
``premultiplied + (1 - alpha) · background``, computed for hundreds of
pictures at once.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import cv2
import numpy as np

from desktop.grounding._theme_names import humanise

__all__ = ["ThemeIndex", "ThemePicture", "icon_dirs", "build_index", "DIGEST", "GREY", "INK_ALPHA"]

logger = logging.getLogger(__name__)

#: Contexts toolbars and places draw from (``legacy`` is Adwaita's folder of coloured standard icons).
CONTEXTS = frozenset({"actions", "places", "status", "devices", "legacy", "emblems"})
MIN_SIZE, MAX_SIZE = 16, 48
#: Side of the digest grid.
DIGEST = 8
#: Opacity that counts as drawn: the ink box is where alpha reaches it.
INK_ALPHA = 0.25
#: Luminance weights of RGB: the digests compare grey (a third of the work; the exact check sees colour).
GREY = np.array([0.299, 0.587, 0.114], np.float32)
#: Pictures with fewer drawn pixels are too plain to tell apart from other marks (a dot, a bar).
MIN_INK_PIXELS = 24
MIN_INK_SIDE = 6
_SIZE_DIR = re.compile(r"^(\d+)(?:x(\d+))?(?:@(\d+)x?)?$")


@dataclass(frozen=True)
class ThemePicture:
    """One distinct picture at its own size, cut to its ink box."""

    names: tuple[str, ...]          # humanised, the file's own name first
    symbolic: bool                  # drawn in the toolkit's text colour: only its alpha counts
    rgba: np.ndarray = field(repr=False)   # (h, w, 4) uint8, RGB order (kept small: thousands of these)
    themes: tuple[str, ...] = ()

    @property
    def size(self) -> tuple[int, int]:
        return int(self.rgba.shape[1]), int(self.rgba.shape[0])

    @property
    def alpha(self) -> np.ndarray:
        """Opacity in [0, 1], (h, w) float32."""
        return self.rgba[:, :, 3].astype(np.float32) / 255.0

    @property
    def premultiplied(self) -> np.ndarray:
        """Colour times opacity, (h, w, 3) float32 in 0–255."""
        return self.rgba[:, :, :3].astype(np.float32) * self.alpha[:, :, None]


@dataclass(frozen=True, eq=False)   # compared and hashed by identity: the matcher memoises per index
class ThemeIndex:
    """Every picture, with its ink-box sizes and digests stacked for vectorised filtering."""

    pictures: tuple[ThemePicture, ...] = ()
    widths: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32), repr=False)
    heights: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32), repr=False)
    symbolic: np.ndarray = field(default_factory=lambda: np.zeros(0, bool), repr=False)
    digest_alpha: np.ndarray = field(default_factory=lambda: np.zeros((0, DIGEST * DIGEST), np.float32), repr=False)
    #: Premultiplied grey (:data:`GREY` weights) of each picture, area-averaged to the digest grid.
    digest_grey: np.ndarray = field(default_factory=lambda: np.zeros((0, DIGEST * DIGEST), np.float32),
                                    repr=False)
    files: int = 0

    def __len__(self) -> int:
        return len(self.pictures)

    @property
    def nbytes(self) -> int:
        """Memory held by the pictures and digests."""
        own = sum(p.rgba.nbytes for p in self.pictures)
        return own + self.digest_alpha.nbytes + self.digest_grey.nbytes


def icon_dirs(environ: dict[str, str] | None = None) -> list[Path]:
    """The folders icon themes live in, in the freedesktop lookup order."""
    env = os.environ if environ is None else environ
    home = Path(env.get("HOME") or Path.home())
    data_home = Path(env.get("XDG_DATA_HOME") or home / ".local" / "share")
    data_dirs = [d for d in (env.get("XDG_DATA_DIRS") or "/usr/local/share:/usr/share").split(":") if d]
    found = [data_home / "icons", home / ".icons", *(Path(d) / "icons" for d in data_dirs)]
    return list(dict.fromkeys(found))


def _pixel_size(parts: Sequence[str]) -> int | None:
    """The pixel size a theme folder path says ("24x24/actions", "actions/16", "16x16@2x/places")."""
    for part in parts:
        m = _SIZE_DIR.match(part)
        if m:
            return int(m.group(1)) * int(m.group(3) or 1)
    return None


def _theme_files(roots: Iterable[Path]) -> Iterable[tuple[str, Path]]:
    """(theme, file) for every PNG of a wanted context and size under ``roots``."""
    for root in roots:
        try:
            themes = sorted(p for p in root.iterdir() if p.is_dir())
        except OSError:
            continue
        for theme in themes:
            for folder, _dirs, files in os.walk(theme, followlinks=False):
                parts = Path(folder).relative_to(theme).parts
                size = _pixel_size(parts)
                if size is None or not MIN_SIZE <= size <= MAX_SIZE or not CONTEXTS & set(parts):
                    continue
                for name in sorted(files):
                    if name.endswith(".png"):
                        yield theme.name, Path(folder) / name


def _read(path: Path) -> np.ndarray | None:
    """A PNG as RGBA cut to its ink box, or None when unreadable or too plain."""
    try:
        raw = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
    except cv2.error:
        raw = None
    if raw is None or raw.ndim != 3 or raw.shape[2] != 4 or raw.dtype != np.uint8:
        return None   # no alpha: a theme PNG without one is a photo-like tile, nothing to match on a toolbar
    alpha = raw[:, :, 3].astype(np.float32) / 255.0
    inked = alpha >= INK_ALPHA
    if int(inked.sum()) < MIN_INK_PIXELS:
        return None
    ys, xs = np.nonzero(inked)
    y0, y1, x0, x1 = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
    if min(y1 - y0, x1 - x0) < MIN_INK_SIDE:
        return None
    return np.ascontiguousarray(raw[y0:y1, x0:x1][:, :, [2, 1, 0, 3]])


def _digest(picture: ThemePicture) -> tuple[np.ndarray, np.ndarray]:
    size = (DIGEST, DIGEST)
    a = cv2.resize(picture.alpha, size, interpolation=cv2.INTER_AREA).reshape(-1)
    p = cv2.resize(picture.premultiplied @ GREY, size, interpolation=cv2.INTER_AREA).reshape(-1)
    return a, p


def build_index(roots: Sequence[Path] | None = None) -> ThemeIndex:
    """Read every wanted picture under ``roots`` (default :func:`icon_dirs`) into a :class:`ThemeIndex`.

    Unreadable files and folders are skipped; no theme at all gives an empty index.
    """
    by_target: dict[Path, list[tuple[str, bool]]] = {}   # file → (stem, whether it is the file's own)
    themes_of: dict[Path, set[str]] = {}
    files = 0
    for theme, path in _theme_files(icon_dirs() if roots is None else roots):
        files += 1
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError):
            continue   # a dangling or looping link
        stem = path.name[:-len(".png")]
        by_target.setdefault(target, []).append((stem, path == target))
        themes_of.setdefault(target, set()).add(theme)
    pictures: dict[bytes, tuple[list[tuple[str, bool]], bool, np.ndarray, set[str]]] = {}
    for target, stems in by_target.items():
        rgba = _read(target)
        if rgba is None:
            continue
        symbolic = any(s.endswith("symbolic") for s, _ in stems)
        key = hashlib.blake2b((rgba[:, :, 3] if symbolic else rgba).tobytes(), digest_size=16).digest()
        key += repr(rgba.shape).encode() + bytes([symbolic])
        names = [(n, own) for n, own in ((humanise(s), own) for s, own in stems) if n]
        if key in pictures:   # an identical copy under another name: one more alias
            pictures[key][0].extend(names)
            pictures[key][3].update(themes_of[target])
        elif names:
            pictures[key] = (names, symbolic, rgba, set(themes_of[target]))
    return _stack([ThemePicture(_canonical_first(n), s, a, tuple(sorted(t))) for n, s, a, t in pictures.values()],
                  files)


def _canonical_first(names: Sequence[tuple[str, bool]]) -> tuple[str, ...]:
    """Names without repeats, the standard one first: a file's own name before the links to it ("document
    new", not "filenew"), and of identical copies the plainest ("drive harddisk", not "drive harddisk ieee1394")."""
    ordered = sorted(names, key=lambda item: (not item[1], len(item[0].split())))
    return tuple(dict.fromkeys(name for name, _ in ordered))


def _stack(pictures: list[ThemePicture], files: int) -> ThemeIndex:
    if not pictures:
        return ThemeIndex(files=files)
    digests = [_digest(p) for p in pictures]
    return ThemeIndex(
        pictures=tuple(pictures),
        widths=np.array([p.size[0] for p in pictures], np.float32),
        heights=np.array([p.size[1] for p in pictures], np.float32),
        symbolic=np.array([p.symbolic for p in pictures], bool),
        digest_alpha=np.stack([d[0] for d in digests]).astype(np.float32),
        digest_grey=np.stack([d[1] for d in digests]).astype(np.float32),
        files=files,
    )
