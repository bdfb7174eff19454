"""Toolbar icons named by the person's own icon theme: the picture on screen is a file on their disk.

Apps built on GTK, Qt and the like draw their toolbar icons from the
installed icon theme, whose files carry the freedesktop standard names
("document-new", "go-up", "process-stop"). :class:`ThemeIconSource`
reads those pictures once (see :mod:`desktop.grounding._theme_index`),
finds which of the screen's icon proposals is exactly one of them (see
:mod:`desktop.grounding._theme_match`) and names it by its file, with the
words a person says for it (see :mod:`desktop.grounding._theme_names`).
No model and no download: an icon not drawn from an installed theme is
left to the icon model.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from pathlib import Path
from typing import Sequence

from desktop.core.errors import BackendFailed
from desktop.core.results import Candidate
from desktop.core.sources import Screen, SourceRequest
from desktop.grounding._theme_index import ThemeIndex, build_index, icon_dirs
from desktop.grounding._theme_match import MAX_ERROR, ThemeMatch, match_boxes
from desktop.grounding._theme_names import said_names
from desktop.grounding.icons import icon_proposals

__all__ = ["ThemeIconSource", "shared_index"]

logger = logging.getLogger(__name__)

_CACHE = 8
_indexes: dict[tuple[Path, ...], ThemeIndex] = {}
_index_lock = threading.Lock()


def shared_index(roots: Sequence[Path] | None = None) -> ThemeIndex:
    """The index of the themes under ``roots`` (default: the freedesktop icon folders), built once per process.

    Safe to call from several threads: the first builds, the others wait for it.
    """
    key = tuple(icon_dirs() if roots is None else roots)
    with _index_lock:
        index = _indexes.get(key)
        if index is None:
            start = time.perf_counter()
            index = build_index(key)
            logger.info("icon themes: %d pictures from %d files in %.0f ms (%.1f MiB)", len(index), index.files,
                        (time.perf_counter() - start) * 1000, index.nbytes / 2**20)
            _indexes[key] = index
    return index


class ThemeIconSource:
    """Candidate source ``theme``: icons that are exactly a picture of an installed icon theme.

    Each found icon gives candidates of role ``icon``, one per name: the
    picture's standard name in words ("document new"), its aliases and what
    people call it ("new", "new document"), each as ``text`` with the
    standard name as ``description``. Only clear matches count: a crop that
    two differently named pictures fit alike is left to the icon model.

    Parameters
    ----------
    roots
        Folders that hold icon themes (default: ``$XDG_DATA_HOME/icons``,
        ``~/.icons``, and ``icons`` under each ``$XDG_DATA_DIRS``).
    """

    name = "theme"

    def __init__(self, roots: Sequence[Path] | None = None) -> None:
        self._roots = None if roots is None else tuple(Path(r) for r in roots)
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, tuple[Candidate, ...]] = OrderedDict()

    def available(self) -> bool:
        """Whether any icon theme folder exists (the index itself is read on first use)."""
        return any(root.is_dir() for root in (icon_dirs() if self._roots is None else self._roots))

    def warm_up(self) -> None:
        """Read the installed themes now (about a second) instead of on the first screen."""
        shared_index(self._roots)

    def candidates(self, screen: Screen, request: SourceRequest) -> Sequence[Candidate]:
        """The screen's icons that are theme pictures (cached by the screen's content)."""
        with self._lock:
            cached = self._cache.get(screen.digest)
        if cached is not None:
            return cached
        try:
            index = shared_index(self._roots)
            proposals = icon_proposals(screen.image, request.found_so_far, key=screen.digest)
            found = tuple(c for m in match_boxes(screen.image, proposals.boxes, index)
                          for c in _candidates(m, self.name))
        except (ValueError, MemoryError, OSError) as exc:
            raise BackendFailed(f"The icon theme source failed: {exc}") from exc
        logger.debug("theme: %d of %d proposals are theme pictures", len(found), len(proposals.boxes))
        with self._lock:
            self._cache[screen.digest] = found
            while len(self._cache) > _CACHE:
                self._cache.popitem(last=False)
        return found


def _candidates(match: ThemeMatch, source: str) -> list[Candidate]:
    """One candidate per name of the picture, all on its box.

    Each name is a label of its own: "New Tab" must read as the whole of
    "new tab", not as two words inside a list of names (the ranking merges
    candidates on one box, so the icon still counts once).
    """
    names = said_names(match.picture.names)
    # An exact copy scores 1; one at the error limit still 0.8: it is the same picture either way.
    score = round(1.0 - 0.2 * min(match.error / MAX_ERROR, 1.0), 4)
    return [Candidate(box=match.box, text=name, role="icon", source=source, score=score,
                      description=names[0] if name != names[0] else "") for name in names]
