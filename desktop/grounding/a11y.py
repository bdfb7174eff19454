"""Candidate source ``a11y``: the accessibility tree of the applications under a live capture.

Names and roles straight from the applications (AT-SPI on Linux; UI
Automation on Windows and AX on macOS behind the same small interface),
checked against the captured image before they are offered (see
:mod:`desktop.grounding._a11y_verify`). The tree only describes the live
screen, so the source answers only for live captures (a request with a
``mapping``) and returns nothing at once for a saved screenshot.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections import OrderedDict
from typing import Sequence

from desktop.core.errors import BackendFailed
from desktop.core.geometry import Box, ScreenMapping
from desktop.core.results import Candidate
from desktop.core.sources import Screen, SourceRequest
from desktop.core.textmatch import normalize
from desktop.grounding._a11y_tree import TreeBackend, TreeSnapshot
from desktop.grounding._a11y_verify import Checked, verify

__all__ = ["AccessibilitySource", "default_backend", "candidates_from_checked"]

logger = logging.getLogger(__name__)

#: A slow or hung application must not hold grounding up longer than this.
DEFAULT_TIMEOUT_S = 0.3
_CHECKABLE = frozenset({"checkbox", "radio", "switch"})
_SHOWN_STATES = frozenset({"checked", "mixed", "pressed", "selected", "expanded", "disabled", "focused"})
_ALIAS_FACTOR = 0.97
_MAX_SEEN = 120


def default_backend() -> TreeBackend | None:
    """The accessibility API of this platform, or ``None`` where there is none."""
    if sys.platform.startswith("linux"):
        from desktop.grounding._a11y_atspi import AtspiBackend

        return AtspiBackend()
    if sys.platform == "win32":
        from desktop.grounding._a11y_uia import UiaBackend

        return UiaBackend()
    if sys.platform == "darwin":
        from desktop.grounding._a11y_ax import AxBackend

        return AxBackend()
    return None


class AccessibilitySource:
    """Tree elements over the captured region, verified against the image.

    Parameters
    ----------
    backend
        The platform's tree API (:func:`default_backend` when ``None``); tests
        pass a recorded one.
    timeout_s
        The most one snapshot may take; applications that answer later are left out.
    """

    name = "a11y"

    def __init__(self, backend: TreeBackend | None = None, timeout_s: float = DEFAULT_TIMEOUT_S) -> None:
        self.backend = backend if backend is not None else default_backend()
        self.timeout_s = timeout_s
        self._lock = threading.Lock()
        self._cache: OrderedDict[tuple[str, ScreenMapping], tuple[Candidate, ...]] = OrderedDict()
        #: The last snapshot taken (for timings and tests).
        self.last_snapshot: TreeSnapshot | None = None

    def available(self) -> bool:
        """Whether this platform's accessibility API can be used here."""
        return self.backend is not None and self.backend.available()

    def warm_up(self) -> None:
        """Connect to the accessibility API now, so the first live request does not wait for it."""
        warm = getattr(self.backend, "warm_up", None)
        if callable(warm):
            warm()

    def candidates(self, screen: Screen, request: SourceRequest) -> Sequence[Candidate]:
        """Verified tree elements over ``screen``; ``()`` at once when it is not a live capture."""
        if request.mapping is None or self.backend is None:
            return ()
        key = (screen.digest, request.mapping)
        with self._lock:
            cached = self._cache.get(key)
        if cached is not None:
            return cached
        snapshot = self.snapshot(screen, request.mapping)
        t0 = time.perf_counter()
        checked = verify(snapshot, request.mapping, screen.image, request.found_so_far)
        found = tuple(candidates_from_checked(checked, request.found_so_far))
        logger.debug("a11y: %d elements, %d verified, %d candidates (tree %.0f ms, checks %.0f ms)",
                     len(snapshot.nodes), len(checked), len(found), snapshot.elapsed_ms,
                     (time.perf_counter() - t0) * 1000)
        with self._lock:
            self._cache[key] = found
            while len(self._cache) > 8:
                self._cache.popitem(last=False)
        return found

    def snapshot(self, screen: Screen, mapping: ScreenMapping) -> TreeSnapshot:
        """The raw tree snapshot for the region ``screen`` shows (pointer coordinates)."""
        assert self.backend is not None
        region = mapping.box_to_screen(Box(0, 0, screen.width, screen.height))
        try:
            snapshot = self.backend.snapshot(region, self.timeout_s)
        except BackendFailed:
            raise
        except Exception as exc:  # a platform API failing in an unforeseen way
            raise BackendFailed(f"The accessibility tree could not be read: {exc}.") from exc
        if snapshot.timed_out:
            logger.info("a11y: left out (no answer in %.0f ms): %s", self.timeout_s * 1000,
                        ", ".join(snapshot.timed_out))
        self.last_snapshot = snapshot
        return snapshot


def _indicator(box: Box, found: Sequence[Candidate]) -> Box | None:
    """The square or circle of a checkable control inside its whole box (which includes the label).

    ``None`` when the controls source saw none there: a GTK stack switcher's
    "radio buttons" are drawn as plain buttons, for one.
    """
    inside = [c.box for c in found if c.source == "controls" and c.role in _CHECKABLE
              and box.contains(*c.box.center) and c.box.area < box.area * 0.8]
    return min(inside, key=lambda b: b.x0) if inside else None


def candidates_from_checked(checked: Sequence[Checked], found: Sequence[Candidate] = ()) -> list[Candidate]:
    """Candidates for verified elements; a second one under the visible label when it differs.

    A toggle button is offered as a ``switch`` too, so that "the Bold toggle"
    finds it, and a check box or radio button with no indicator in sight as a
    ``button``; the matcher merges candidates with the same box into one point.
    """
    out: list[Candidate] = []
    for c in checked:
        node = c.node
        states = frozenset(node.states & _SHOWN_STATES)
        box, label_box, drawn_as_button = c.box, None, False
        if node.role in _CHECKABLE:
            indicator = _indicator(c.box, found)
            if indicator is not None:
                box, label_box = indicator, c.box
            else:
                drawn_as_button = True  # no indicator seen: click the middle, and call it a button too
        text = node.name.strip() or c.seen[:_MAX_SEEN]  # a text field's whole content is no name
        base = Candidate(box=box, text=text, role=node.role, source="a11y", score=c.score,
                         label_box=label_box, states=states, description=node.description.strip())
        out.append(base)
        if c.seen and node.name.strip() and normalize(c.seen) != normalize(node.name):
            out.append(Candidate(box=box, text=c.seen[:_MAX_SEEN], role=node.role, source="a11y",
                                 score=round(c.score * _ALIAS_FACTOR, 4), label_box=label_box, states=states,
                                 description=node.name.strip()))
        if drawn_as_button:
            out.append(Candidate(box=box, text=text, role="button", source="a11y",
                                 score=round(c.score * _ALIAS_FACTOR, 4), states=states,
                                 description=node.description.strip()))
        if "toggle" in node.states:
            out.append(Candidate(box=box, text=text, role="switch", source="a11y",
                                 score=round(c.score * _ALIAS_FACTOR, 4), states=states,
                                 description=node.description.strip()))
    return out
