"""A model backend as a candidate source: what the instruction names, as the model sees it.

Unlike OCR, a grounding model answers a question about the instruction, so
this source is *conditioned* (``conditioned = True``): the engine passes it
the parsed intent and caches its candidates per screen *and* instruction.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Callable, Sequence

from desktop.core.errors import BackendFailed, ClickAssistError
from desktop.core.geometry import Box
from desktop.core.intent import Step
from desktop.core.results import ROLES, Candidate
from desktop.core.sources import Screen, SourceRequest
from desktop.grounding.vlm.base import Detection, ModelBackend

__all__ = ["VlmSource", "model_phrase"]

logger = logging.getLogger(__name__)

#: Detections kept per step: a detector can return hundreds of low boxes.
_MAX_PER_STEP = 50


def model_phrase(step: Step) -> str:
    """What to ask the model for: the phrase as said ("red cars"), or the role when only that was named."""
    return step.literal or step.target or " ".join(step.roles) or step.raw


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
        Called with a short status text (for the app's progress display).
    """

    conditioned = True

    def __init__(self, backend: ModelBackend, *, timeout_s: float | None = 120.0,
                 on_progress: Callable[[str], None] | None = None) -> None:
        self.name = backend.name
        self.backend = backend
        self.timeout_s = timeout_s
        self.on_progress = on_progress
        self._cancel = threading.Event()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"vlm-{backend.name}")

    def available(self) -> bool:
        return self.backend.available()

    def warm_up(self) -> None:
        self.backend.load()

    def cancel(self) -> None:
        """Ask the running query to stop (generative models stop at the next token)."""
        self._cancel.set()

    def candidates(self, screen: Screen, request: SourceRequest) -> Sequence[Candidate]:
        found: list[Candidate] = []
        self._cancel.clear()
        for step in request.intent.steps:
            phrase = model_phrase(step)
            if not phrase:
                continue
            if self.on_progress is not None:
                self.on_progress(f"Asking {self.name} for {phrase!r}…")
            detections = self._run(screen, phrase)
            role = step.roles[0] if step.roles and step.roles[0] in ROLES else "image"
            found.extend(Candidate(box=_box_of(d), text=step.target, role=role, source=self.name,
                                   score=min(max(d.score, 0.0), 1.0), point=d.point, description=phrase,
                                   conditioned=True)
                         for d in detections[:_MAX_PER_STEP])
        return found

    def _run(self, screen: Screen, phrase: str) -> list[Detection]:
        future = self._pool.submit(self.backend, screen.image, phrase, self._cancel)
        try:
            return future.result(timeout=self.timeout_s)
        except FutureTimeout:
            self._cancel.set()
            raise BackendFailed(f"The {self.name} model took longer than {self.timeout_s:g} s.",
                                "The other sources answered instead; raise the timeout or use a GPU.") from None
        except ClickAssistError:
            raise
        except Exception as exc:  # torch/transformers errors are many; a person sees one kind
            logger.debug("%s crashed", self.name, exc_info=True)
            raise BackendFailed(f"The {self.name} model failed: {exc}") from exc


def _box_of(d: Detection) -> Box:
    if d.box is not None and d.box.width >= 1 and d.box.height >= 1:
        return d.box
    x, y = d.point
    # A model that answers with a point only: a small box around it, for the overlay.
    return Box(max(x - 8, 0.0), max(y - 8, 0.0), x + 8, y + 8)
