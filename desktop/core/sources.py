"""The small interface every candidate source implements."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Protocol, Sequence, runtime_checkable

import numpy as np

from desktop.core.geometry import ScreenMapping
from desktop.core.intent import Intent
from desktop.core.results import Candidate

__all__ = ["Screen", "SourceRequest", "CandidateSource", "content_digest"]


def content_digest(array: np.ndarray) -> str:
    """A short hash of an image's pixels and shape: the key of every cache."""
    digest = hashlib.blake2b(np.ascontiguousarray(array).data, digest_size=16)
    digest.update(repr(array.shape).encode())
    return digest.hexdigest()


@dataclass(frozen=True, eq=False)
class Screen:
    """A screenshot as an RGB ``uint8`` array of shape ``(H, W, 3)``, with its content hash."""

    image: np.ndarray
    digest: str = field(default="")

    def __post_init__(self) -> None:
        if self.image.ndim != 3 or self.image.shape[2] != 3 or self.image.dtype != np.uint8:
            raise ValueError("Screen.image must be an RGB uint8 array of shape (H, W, 3)")
        if not self.digest:
            object.__setattr__(self, "digest", content_digest(self.image))

    @property
    def width(self) -> int:
        return int(self.image.shape[1])

    @property
    def height(self) -> int:
        return int(self.image.shape[0])


@dataclass(frozen=True)
class SourceRequest:
    """What a source is asked for: the parsed intent, and what sources before it found.

    ``mapping`` is set only when the image is a live capture of this machine's
    screen: sources that read the live desktop (the accessibility tree) need
    it to turn screen coordinates into image pixels, and return nothing
    without it, since a saved screenshot has no live tree behind it.
    """

    intent: Intent
    reference: np.ndarray | None = None
    found_so_far: Sequence[Candidate] = ()
    mapping: ScreenMapping | None = None


@runtime_checkable
class CandidateSource(Protocol):
    """A source of candidates: OCR, detected controls, the accessibility tree, templates, models.

    ``candidates`` must be safe to call from a worker thread, must not keep
    per-call state between calls other than caches keyed by ``screen.digest``,
    and raises :class:`desktop.core.errors.BackendFailed` (never anything
    else) when its backend breaks.
    """

    name: str

    def available(self) -> bool:
        """Whether this source can run here (its runtime and model files are present)."""
        ...

    def candidates(self, screen: Screen, request: SourceRequest) -> Sequence[Candidate]:
        ...
