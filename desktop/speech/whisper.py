"""Optional better recognizer: Whisper through transformers, loaded only from local disk.

Chosen in Settings (``speech_recognizer = "whisper"``, ``whisper_model`` = a
folder, or a model id already in the Hugging Face cache). Nothing is ever
downloaded: loading uses ``local_files_only`` and fails with a hint when the
model is not there. To fetch one on a connected machine::

    pip install "transformers>=4.40" torch
    python -c "from huggingface_hub import snapshot_download; \\
               print(snapshot_download('openai/whisper-base.en'))"

then copy the printed folder to this machine and put its path in Settings.

The screen's phrases are given to Whisper as a prompt, which biases it
toward the words on screen without limiting it to them.
"""

from __future__ import annotations

import importlib.util
import logging
import threading
import time
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from desktop.speech.grammar import screen_phrases
from desktop.speech.types import SAMPLE_RATE, RecognizerUnavailable, Transcript

__all__ = ["WhisperRecognizer", "FETCH_HINT"]

logger = logging.getLogger(__name__)

FETCH_HINT = ("Fetch a Whisper model on a connected machine (see the README, e.g. openai/whisper-base.en), "
              "copy its folder here and choose it in Settings; or switch back to pocketsphinx.")
_PROMPT_PHRASES = 60


class WhisperRecognizer:
    """Whisper (any size) from a local folder or the offline Hugging Face cache.

    Parameters
    ----------
    model
        A folder holding ``config.json`` and the weights, or a model id in the cache.
    device
        ``cpu`` (default) or a torch device string.
    """

    name = "whisper"

    def __init__(self, model: str | Path, device: str = "cpu") -> None:
        self.model_ref = str(model)
        self.device = device
        self._model: Any = None
        self._processor: Any = None
        self._lock = threading.Lock()

    def _ensure(self) -> None:
        if self._model is not None:
            return
        if not self.model_ref:
            raise RecognizerUnavailable("No Whisper model is set.", FETCH_HINT)
        try:
            if importlib.util.find_spec("torch") is None:  # transformers needs it for Whisper
                raise ImportError("torch is not installed")
            from transformers import WhisperForConditionalGeneration, WhisperProcessor
        except ImportError as exc:
            raise RecognizerUnavailable("Whisper needs transformers and torch.",
                                        "pip install transformers torch, or use pocketsphinx.") from exc
        try:
            processor = WhisperProcessor.from_pretrained(self.model_ref, local_files_only=True)
            model = WhisperForConditionalGeneration.from_pretrained(self.model_ref, local_files_only=True)
        except (OSError, ValueError) as exc:
            raise RecognizerUnavailable(f"The Whisper model {self.model_ref!r} is not on this machine.",
                                        FETCH_HINT) from exc
        model = model.to(self.device).eval()  # type: ignore[arg-type]
        self._processor, self._model = processor, model
        logger.info("Whisper model loaded from %s", self.model_ref)

    def warm_up(self) -> None:
        with self._lock:
            self._ensure()

    @staticmethod
    def prompt_text(screen_texts: Sequence[str]) -> str:
        """The prompt that primes Whisper with the screen's words ("" when there are none)."""
        phrases = [p.text for p in screen_phrases(screen_texts)[:_PROMPT_PHRASES]]
        return ("On screen: " + ", ".join(phrases) + ".") if phrases else ""

    def transcribe(self, audio: np.ndarray, screen_texts: Sequence[str] = (), *,
                   overlay_targets: int | None = None) -> Transcript:
        """Recognize ``audio`` (16 kHz mono int16) with Whisper."""
        import torch

        start = time.perf_counter()
        with self._lock:
            self._ensure()
            features = self._processor(np.asarray(audio, np.float32) / 32768.0, sampling_rate=SAMPLE_RATE,
                                       return_tensors="pt").input_features.to(self.device)
            kwargs: dict[str, Any] = {"max_new_tokens": 48}
            prompt = self.prompt_text(screen_texts) if overlay_targets is None else ""
            if prompt:
                ids = self._processor.get_prompt_ids(prompt, return_tensors="pt")
                kwargs["prompt_ids"] = ids.to(self.device)
            with torch.inference_mode():
                out = self._model.generate(features, **kwargs)
            text = self._processor.batch_decode(out, skip_special_tokens=True)[0].strip()
        if prompt and text.startswith(prompt):  # the decoded sequence may still hold the prompt
            text = text[len(prompt):]
        text = text.strip().strip(".!?").strip()
        return Transcript(text, "whisper", bool(text), 0.0, (time.perf_counter() - start) * 1000, text)
