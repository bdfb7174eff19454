"""Plain helpers for slow work: a cancel flag, and the engine built once in the background.

Qt-free so that the command line and tests use them too; the GUI wraps them
in :class:`desktop.ui.worker.BackgroundOp`.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any, Callable, Protocol

import numpy as np

from desktop.core.errors import ClickAssistError
from desktop.core.geometry import ScreenMapping
from desktop.core.intent import Intent, Step
from desktop.core.results import Candidate, GroundingResult
from desktop.core.sources import Screen

__all__ = ["Cancelled", "CancelToken", "GroundingEngine", "LazyEngine", "all_candidates"]

logger = logging.getLogger(__name__)


class Cancelled(ClickAssistError):
    """The person cancelled the work in progress."""

    code = "cancelled"


class CancelToken:
    """A flag the GUI sets and slow work checks between stages."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        """Raise :class:`Cancelled` when cancellation was asked for."""
        if self._event.is_set():
            raise Cancelled("Cancelled.")


class GroundingEngine(Protocol):
    """The part of :class:`desktop.grounding.engine.Engine` the app uses.

    ``mapping`` says the image is a live capture (so the accessibility tree
    takes part). An engine may also offer ``candidates(screen, intent, *,
    mapping=...)`` (everything its sources find), which "show numbers" uses.
    """

    def ground(self, image: Any, instruction: str, *, min_clicks: int | None = None,
               max_clicks: int | None = None, reference: Any = None,
               mapping: ScreenMapping | None = None) -> GroundingResult:
        ...


def all_candidates(engine: Any, screen: Screen, mapping: ScreenMapping | None) -> tuple[Candidate, ...]:
    """Everything every source of ``engine`` finds on ``screen`` (icons too), for "show numbers".

    Raises
    ------
    ClickAssistError
        When the engine cannot list candidates.
    """
    finder = getattr(engine, "candidates", None)
    if not callable(finder):
        raise ClickAssistError("This grounding engine cannot list everything on the screen.",
                               hint="Use an instruction, or \u201cshow grid\u201d.")
    return tuple(finder(screen, Intent("show numbers", (Step(),)), mapping=mapping))


class LazyEngine:
    """Builds the grounding engine once, in a background thread, and warms its models.

    ``ground`` waits for the build to finish, so a person who is quicker than
    the warm-up simply waits a little longer for their first result; the app
    starts (tray visible) without waiting at all.

    Parameters
    ----------
    factory
        Builds the engine (imports models; slow).
    warm_image
        Grounded once after building so that lazily loaded models load now.
    """

    def __init__(self, factory: Callable[[], GroundingEngine], warm_image: np.ndarray | None = None) -> None:
        self.factory = factory
        self.warm_image = warm_image
        self._engine: GroundingEngine | None = None
        self._error: BaseException | None = None
        self._done = threading.Event()
        self._started = False
        self._lock = threading.Lock()
        self.build_ms = 0.0

    def start(self) -> None:
        """Start building in the background (once)."""
        with self._lock:
            if self._started:
                return
            self._started = True
        threading.Thread(target=self._build, name="engine-warm-up", daemon=True).start()

    def _build(self) -> None:
        start = time.perf_counter()
        try:
            engine = self.factory()
            warm_up = getattr(engine, "warm_up", None)
            if callable(warm_up):
                warm_up()
            if self.warm_image is not None:
                # Also runs the code paths a first real request takes.
                engine.ground(Screen(self.warm_image), "click OK")
            self._engine = engine
        except BaseException as exc:  # reported to whoever asks for the engine
            logger.exception("the grounding engine could not be built")
            self._error = exc
        finally:
            self.build_ms = (time.perf_counter() - start) * 1000
            logger.info("grounding engine ready in %.0f ms", self.build_ms)
            self._done.set()

    @property
    def ready(self) -> bool:
        return self._done.is_set() and self._engine is not None

    def get(self, timeout: float | None = None) -> GroundingEngine:
        """The engine, building it first if needed.

        Raises
        ------
        ClickAssistError
            When the engine could not be built (the original error is chained).
        """
        self.start()
        if not self._done.wait(timeout):
            raise ClickAssistError("The grounding models are still loading.", hint="Try again in a moment.")
        if self._engine is None:
            if isinstance(self._error, ClickAssistError):
                raise self._error
            raise ClickAssistError("The grounding engine could not start.",
                                   hint=str(self._error)) from self._error
        return self._engine

    def ground(self, image: Any, instruction: str, *, min_clicks: int | None = None,
               max_clicks: int | None = None, reference: Any = None,
               mapping: ScreenMapping | None = None) -> GroundingResult:
        # Only a live capture has a mapping; engines written before it was added still work without one.
        live = {} if mapping is None else {"mapping": mapping}
        return self.get().ground(image, instruction, min_clicks=min_clicks,
                                 max_clicks=max_clicks, reference=reference, **live)

    def candidates(self, screen: Screen, intent: Intent, *,
                   mapping: ScreenMapping | None = None) -> tuple[Candidate, ...]:
        """What the built engine's sources find on ``screen`` (see :func:`all_candidates`)."""
        finder = getattr(self.get(), "candidates", None)
        if not callable(finder):
            raise ClickAssistError("This grounding engine cannot list everything on the screen.")
        return tuple(finder(screen, intent, mapping=mapping))
