"""MLLR transform files as pocketsphinx reads them (``-mllr``), written and checked here.

The file (``ps_mllr.c``) is plain text: the number of regression classes
(pocketsphinx applies only the first), the number of feature streams, then
for each stream its length ``n``, an ``n×n`` matrix ``A``, a bias ``b`` and a
variance scale ``h``; every mean becomes ``A·μ + b`` and every variance
``h·σ²``. A broken file must never stop speech input, so the recognizer
checks a file with :func:`read_transform` before handing it to pocketsphinx.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from desktop.speech.types import AdaptationError

__all__ = ["Transform", "read_transform", "write_transform"]

#: Bigger files than this are not transforms of a speech model's few dozen dimensions.
_MAX_BYTES = 1 << 20


@dataclass(frozen=True, eq=False)
class Transform:
    """One global mean (and variance) transform per feature stream.

    Parameters
    ----------
    matrices, biases, scales
        For each stream: ``A`` (``n×n``), ``b`` (``n``) and ``h`` (``n``).
    """

    matrices: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray, ...]
    scales: tuple[np.ndarray, ...]

    def __post_init__(self) -> None:
        if not self.matrices or not len(self.matrices) == len(self.biases) == len(self.scales):
            raise AdaptationError("A voice adaptation needs one matrix, bias and scale per stream.")
        for a, b, h in zip(self.matrices, self.biases, self.scales):
            n = len(b)
            if a.shape != (n, n) or h.shape != (n,) or n == 0:
                raise AdaptationError(f"A voice adaptation stream has mismatched sizes ({a.shape}, {n}, {h.shape}).")
            if not (np.isfinite(a).all() and np.isfinite(b).all() and np.isfinite(h).all()) or (h <= 0).any():
                raise AdaptationError("A voice adaptation holds values that are not usable numbers.")

    @classmethod
    def identity(cls, sizes: tuple[int, ...]) -> Transform:
        """The transform that changes nothing."""
        return cls(tuple(np.eye(n) for n in sizes), tuple(np.zeros(n) for n in sizes),
                   tuple(np.ones(n) for n in sizes))

    @property
    def stream_sizes(self) -> tuple[int, ...]:
        return tuple(len(b) for b in self.biases)

    def apply(self, stream: int, means: np.ndarray) -> np.ndarray:
        """``means`` (``[..., n]``) of ``stream`` as the transformed model has them."""
        return means @ self.matrices[stream].T + self.biases[stream]


def write_transform(path: str | Path, transform: Transform) -> Path:
    """Write ``transform`` for pocketsphinx (atomically: a reader never sees half a file)."""
    path = Path(path)
    lines = ["1", str(len(transform.matrices))]
    for a, b, h in zip(transform.matrices, transform.biases, transform.scales):
        lines.append(str(len(b)))
        lines += [" ".join(f"{v:.8g}" for v in row) for row in a]
        lines += [" ".join(f"{v:.8g}" for v in b), " ".join(f"{v:.8g}" for v in h)]
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="ascii")
    tmp.replace(path)
    return path


def read_transform(path: str | Path, stream_sizes: tuple[int, ...] | None = None) -> Transform:
    """Read and check a transform file (``stream_sizes``: what the model needs, when known).

    Raises
    ------
    AdaptationError
        The file is missing, unreadable, truncated or does not fit the model.
    """
    path = Path(path)
    bad = f"The voice adaptation file {path} is not valid"
    hint = "Adapt to your voice again (click-assist adapt-voice), or remove it (--reset)."
    try:
        if path.stat().st_size > _MAX_BYTES:
            raise AdaptationError(f"{bad} (too large).", hint)
        tokens = path.read_text(encoding="ascii").split()
    except (OSError, UnicodeDecodeError) as exc:
        raise AdaptationError(f"{bad} ({exc}).", hint) from exc
    try:
        values = [float(t) for t in tokens]
    except ValueError:
        raise AdaptationError(f"{bad} (it holds something other than numbers).", hint) from None
    try:
        transform = _parse(values)
    except ValueError as exc:
        raise AdaptationError(f"{bad} ({exc}).", hint) from None
    if stream_sizes is not None and transform.stream_sizes != tuple(stream_sizes):
        raise AdaptationError(f"{bad} (made for another model: streams {transform.stream_sizes}).", hint)
    return transform


def _parse(values: list[float]) -> Transform:
    """The transform in a file's numbers; ``ValueError`` saying what is wrong."""
    layout = "it is truncated or has the wrong layout"
    at = 0

    def take(n: int) -> np.ndarray:
        nonlocal at
        if at + n > len(values):
            raise ValueError(layout)
        out = np.array(values[at:at + n])
        at += n
        return out

    n_class, n_stream = take(2)
    if n_class != 1 or n_stream != math.floor(n_stream) or not 1 <= n_stream <= 8:
        raise ValueError(layout)
    matrices, biases, scales = [], [], []
    for _ in range(int(n_stream)):
        (n,) = take(1)
        if n != math.floor(n) or not 1 <= n <= 256:
            raise ValueError(layout)
        size = int(n)
        matrices.append(take(size * size).reshape(size, size))
        biases.append(take(size))
        scales.append(take(size))
    if at != len(values):
        raise ValueError(layout)
    try:
        return Transform(tuple(matrices), tuple(biases), tuple(scales))
    except AdaptationError as exc:
        raise ValueError(exc.user_message.rstrip(".").lower()) from None
