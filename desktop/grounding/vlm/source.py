"""A model backend as a candidate source: what the instruction names, as the model sees it.

Unlike OCR, a grounding model answers a question about the instruction, so
this source is *conditioned* (``conditioned = True``): the engine passes it
the parsed intent and caches its candidates per screen *and* instruction.
"""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Callable, Sequence

from desktop.core.errors import BackendFailed, ClickAssistError
from desktop.core.geometry import Box
from desktop.core.intent import Step
from desktop.core.results import ROLES, Candidate
from desktop.core.vocabulary import CARDINAL_WORDS, ORDINAL_WORDS
from desktop.core.sources import Screen, SourceRequest
from desktop.grounding.vlm.base import Detection, ModelBackend

__all__ = ["VlmSource", "ModelProgress", "model_phrase", "OUTCOMES"]

logger = logging.getLogger(__name__)

_COUNTING_WORDS = frozenset({"all", "All", "every", "each", "both", "the", "a", "an", "last", "next", "other",
                             *ORDINAL_WORDS, *CARDINAL_WORDS})

#: Detections kept per step: a detector can return hundreds of low boxes.
_MAX_PER_STEP = 50
#: How often a waiting query looks at the cancel flag and the clock.
_POLL_S = 0.05

#: ``running``: a query started; then one of ``done``, ``timeout``, ``cancelled``, ``failed``.
OUTCOMES = ("running", "done", "timeout", "cancelled", "failed")


@dataclass(frozen=True)
class ModelProgress:
    """What the model is doing, for a progress display (sent from the worker thread).

    Attributes
    ----------
    model
        The backend's name.
    phrase
        What it was asked for.
    outcome
        One of :data:`OUTCOMES`.
    message
        For ``timeout`` and ``failed``: what to tell the person.
    """

    model: str
    phrase: str
    outcome: str
    message: str = ""


def model_phrase(step: Step) -> str:
    """What to ask the model for: the phrase as said ("red cars"), or the role when only that was named.

    Counting and ordinal words are left out ("all the dogs" → "dogs", "the second
    Save button" → "Save button"): the engine applies them to every candidate,
    and a model that had already picked "the second" would have them applied twice.
    """
    words = step.literal.split()
    # Case matters: "the A button" names a button labelled A.
    while words and (words[0] in _COUNTING_WORDS or words[0].isdigit()):
        words.pop(0)
    return " ".join(words) or step.target or " ".join(step.roles) or step.raw


class VlmSource:
    """Candidates from a :class:`ModelBackend`, one query per instruction step.

    Parameters
    ----------
    backend
        The loaded-on-first-use model.
    timeout_s
        A query running longer is cancelled and reported as a
        :class:`BackendFailed`, so the engine answers with its other sources.
    on_progress
        Called with a :class:`ModelProgress` when a query starts and when it
        ends (from the thread that runs the query: marshal it to a GUI).
    """

    conditioned = True
    slow = True   # seconds per query: never asked just to list the screen

    def __init__(self, backend: ModelBackend, *, timeout_s: float | None = 120.0,
                 on_progress: Callable[[ModelProgress], None] | None = None) -> None:
        self.name = backend.name
        self.backend = backend
        self.timeout_s = timeout_s
        self.on_progress = on_progress
        self._cancel = threading.Event()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"vlm-{backend.name}")

    def available(self) -> bool:
        return self.backend.available()

    def warm_up(self) -> None:
        """Load the model now; a model that cannot load must not stop the default sources."""
        try:
            self.backend.load()
        except ClickAssistError as exc:
            logger.warning("%s could not load: %s %s", self.name, exc.user_message, exc.hint)

    def cancel(self) -> None:
        """Stop waiting for the running query: it ends as failed, so the engine uses its other sources.

        A generative model also stops writing at its next token; a detector's
        single forward pass finishes in the background.
        """
        self._cancel.set()

    def candidates(self, screen: Screen, request: SourceRequest) -> Sequence[Candidate]:
        found: list[Candidate] = []
        # A fresh flag per query: a cancelled one still finishing in the pool stays cancelled.
        self._cancel = threading.Event()
        for step in request.intent.steps:
            phrase = model_phrase(step)
            if not phrase:
                continue
            detections = self._run(screen, phrase)
            role = step.roles[0] if step.roles and step.roles[0] in ROLES else "image"
            found.extend(Candidate(box=_box_of(d), text=step.target, role=role, source=self.name,
                                   score=min(max(d.score, 0.0), 1.0), point=d.point, description=phrase,
                                   conditioned=True)
                         for d in detections[:_MAX_PER_STEP])
        return found

    def _run(self, screen: Screen, phrase: str) -> list[Detection]:
        cancel = self._cancel
        self._report(phrase, "running")
        future = self._pool.submit(self.backend, screen.image, phrase, cancel)
        deadline = None if self.timeout_s is None else time.monotonic() + self.timeout_s
        while True:
            try:
                detections = future.result(timeout=_POLL_S)
                break
            except FutureTimeout:
                if cancel.is_set():
                    self._report(phrase, "cancelled")
                    raise BackendFailed(f"The {self.name} model was cancelled.") from None
                if deadline is not None and time.monotonic() > deadline:
                    cancel.set()
                    message = f"The {self.name} model took longer than {self.timeout_s:g} s."
                    self._report(phrase, "timeout", message)
                    raise BackendFailed(message, "The other sources answered instead; raise the timeout "
                                                 "or use a GPU.") from None
            except ClickAssistError as exc:
                self._report(phrase, "failed", exc.user_message)
                raise
            except Exception as exc:  # torch/transformers errors are many; a person sees one kind
                logger.debug("%s crashed", self.name, exc_info=True)
                self._report(phrase, "failed", f"The {self.name} model failed.")
                raise BackendFailed(f"The {self.name} model failed: {exc}") from exc
        if cancel.is_set():  # a generative model cut short: its half answer is no answer
            self._report(phrase, "cancelled")
            raise BackendFailed(f"The {self.name} model was cancelled.")
        self._report(phrase, "done")
        return detections

    def _report(self, phrase: str, outcome: str, message: str = "") -> None:
        if self.on_progress is None:
            return
        try:
            self.on_progress(ModelProgress(self.name, phrase, outcome, message))
        except Exception:  # a display problem must not fail the query
            logger.exception("progress report failed")


def _box_of(d: Detection) -> Box:
    if d.box is not None and d.box.width >= 1 and d.box.height >= 1:
        return d.box
    x, y = d.point
    # A model that answers with a point only: a small box around it, for the overlay.
    return Box(max(x - 8, 0.0), max(y - 8, 0.0), x + 8, y + 8)
