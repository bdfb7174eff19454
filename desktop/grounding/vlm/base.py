"""The shape of every model backend: ``preprocess → _forward → postprocess``, points out.

torch and transformers are imported only inside the methods (``import desktop``
stays cheap, and the core never sees them); no tensor leaves a backend: the
results are :class:`Detection` objects of plain floats in original-image pixels.
"""

from __future__ import annotations

import logging
import math
import os
import threading
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from desktop.core.errors import BackendFailed, ModelMissing
from desktop.core.geometry import Box

__all__ = ["Detection", "ModelBackend", "resolve_device", "resolve_dtype", "DTYPES", "generate_answer",
           "mean_token_probability"]

logger = logging.getLogger(__name__)

DTYPES = ("auto", "float32", "float16", "bfloat16")


@dataclass(frozen=True)
class Detection:
    """One thing a model pointed at, in pixels of the image it was given."""

    point: tuple[float, float]
    score: float
    box: Box | None = None
    label: str = ""


def resolve_device(requested: str = "auto") -> str:
    """``auto`` is CUDA when torch sees a GPU, else the CPU."""
    if requested != "auto":
        return requested
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def resolve_dtype(requested: str, device: str) -> Any:
    """A torch dtype: ``auto`` is bfloat16/float16 on a GPU and float32 on the CPU (CPUs are slow at halves)."""
    import torch

    if requested not in DTYPES:
        raise ValueError(f"dtype must be one of {', '.join(DTYPES)}, not {requested!r}")
    if requested == "auto":
        if not device.startswith("cuda"):
            return torch.float32
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    return getattr(torch, requested)


def mean_token_probability(logprobs: list[float]) -> float:
    """A generated answer's confidence: the geometric mean of its tokens' probabilities (0.5 when none)."""
    return math.exp(sum(logprobs) / len(logprobs)) if logprobs else 0.5


def generate_answer(model: Any, tensors: dict[str, Any], *, max_new_tokens: int, cancel: threading.Event,
                    skip_ids: set[int]) -> tuple[Any, list[float]]:
    """Greedy ``generate`` that stops on ``cancel``: the new token ids and their log-probabilities.

    The log-probabilities come from the model's raw logits, not the processed
    scores, so the confidence is what the model believed whatever the
    generation settings did; tokens in ``skip_ids`` (special tokens) are not scored.
    """
    from transformers import StoppingCriteria, StoppingCriteriaList

    class _Cancelled(StoppingCriteria):  # checked after every token: cancel stops within one step
        def __call__(self, input_ids: Any, scores: Any, **kwargs: Any) -> bool:
            return cancel.is_set()

    out = model.generate(**tensors, max_new_tokens=max_new_tokens, do_sample=False, num_beams=1,
                         output_logits=True, return_dict_in_generate=True,
                         stopping_criteria=StoppingCriteriaList([_Cancelled()]))
    # A decoder-only model's sequence starts with the prompt, an encoder-decoder's with the start token.
    start = 1 if model.config.is_encoder_decoder else tensors["input_ids"].shape[1]
    new = out.sequences[0, start:]
    logprobs = [float(step[0].float().log_softmax(-1)[tok]) for step, tok in zip(out.logits, new)
                if int(tok) not in skip_ids]
    return new, logprobs


class ModelBackend(ABC):
    """A Hugging Face model loaded from a local folder, asked about one phrase at a time.

    Parameters
    ----------
    model_dir
        A folder with ``config.json`` and the weights (never a hub id: nothing is downloaded).
    device, dtype
        ``auto`` picks CUDA when available; see :data:`DTYPES`.
    """

    #: The ``--backend`` name.
    name: ClassVar[str] = ""
    #: Hub ids a person may fetch for this backend (listed by ``click-assist models``).
    known_models: ClassVar[tuple[str, ...]] = ()
    #: ``config.json`` ``model_type`` values this backend can run.
    model_types: ClassVar[tuple[str, ...]] = ()

    def __init__(self, model_dir: str | os.PathLike, *, device: str = "auto", dtype: str = "auto") -> None:
        self.model_dir = Path(model_dir)
        self._device_request = device
        self._dtype_request = dtype
        self._lock = threading.Lock()
        self._loaded = False

    def available(self) -> bool:
        """Whether the folder holds a model and transformers is installed."""
        import importlib.util

        if importlib.util.find_spec("transformers") is None:
            return False
        return (self.model_dir / "config.json").is_file()

    def load(self) -> None:
        """Load weights and processor once (thread-safe); offline only."""
        with self._lock:
            if self._loaded:
                return
            if not (self.model_dir / "config.json").is_file():
                raise ModelMissing(f"No model for {self.name!r} in {self.model_dir}.",
                                   "Run 'click-assist models' to see what is installed and how to fetch more.")
            # Belt and braces: from_pretrained also gets local_files_only=True.
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            self.device = resolve_device(self._device_request)
            self.dtype = resolve_dtype(self._dtype_request, self.device)
            try:
                self._load()
            except (OSError, ValueError, KeyError) as exc:
                raise BackendFailed(f"The {self.name} model in {self.model_dir} could not be loaded: {exc}",
                                    "Check the folder holds a complete checkpoint.") from exc
            self._loaded = True
            logger.info("loaded %s from %s on %s (%s)", self.name, self.model_dir, self.device, self.dtype)

    def __call__(self, image: np.ndarray, phrase: str, cancel: threading.Event | None = None) -> list[Detection]:
        """Where ``phrase`` is in ``image`` (RGB uint8), best first."""
        import torch

        self.load()
        inputs = self.preprocess(image, phrase)
        with torch.inference_mode():
            raw = self._forward(inputs, cancel or threading.Event())
        return sorted(self.postprocess(raw, inputs), key=lambda d: -d.score)

    def to_device(self, inputs: Any) -> dict[str, Any]:
        """A processor's tensors on the model's device, floating ones in the model's dtype."""
        return {k: (v.to(self.device, self.dtype) if v.is_floating_point() else v.to(self.device))
                for k, v in inputs.items()}

    @abstractmethod
    def _load(self) -> None:
        """Load model and processor from ``self.model_dir`` onto ``self.device`` in ``self.dtype``."""

    @abstractmethod
    def preprocess(self, image: np.ndarray, phrase: str) -> dict[str, Any]:
        """Model inputs, plus whatever postprocess needs (sizes) under non-tensor keys."""

    @abstractmethod
    def _forward(self, inputs: dict[str, Any], cancel: threading.Event) -> Any:
        """Run the model (inside ``torch.inference_mode``); stop early when ``cancel`` is set."""

    @abstractmethod
    def postprocess(self, raw: Any, inputs: dict[str, Any]) -> list[Detection]:
        """Plain-float detections in original-image pixels."""
