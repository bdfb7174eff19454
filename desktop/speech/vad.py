"""Voice activity: silero-vad's ONNX model frame by frame, and an endpointer that decides when speech ended.

The ``silero-vad`` wheel ships its ONNX model; it is located without
importing the package (whose ``__init__`` imports torch) and run with
onnxruntime, so nothing is downloaded and torch stays out of the app. An
energy detector stands in when the model is not installed.
"""

from __future__ import annotations

import importlib.util
import logging
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from desktop.speech.types import SAMPLE_RATE

__all__ = ["FRAME", "FRAME_S", "VoiceDetector", "SileroVad", "EnergyVad", "make_vad", "silero_model_path",
           "Endpointer", "EndpointConfig"]

logger = logging.getLogger(__name__)

#: Samples per VAD frame (32 ms at 16 kHz): silero's streaming frame size.
FRAME = 512
FRAME_S = FRAME / SAMPLE_RATE
_CONTEXT = 64


class VoiceDetector(Protocol):
    """Speech probability for consecutive :data:`FRAME`-sample frames of one stream."""

    name: str

    def reset(self) -> None:
        ...

    def __call__(self, frame: np.ndarray) -> float:
        ...


def silero_model_path() -> Path | None:
    """The ONNX model inside the installed ``silero-vad`` wheel, or ``None``."""
    spec = importlib.util.find_spec("silero_vad")  # finds the package without running its __init__
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        path = Path(folder) / "data" / "silero_vad.onnx"
        if path.is_file():
            return path
    return None


class SileroVad:
    """silero-vad v5 (ONNX) with its recurrent state carried across frames."""

    name = "silero"

    def __init__(self, model_path: Path | None = None) -> None:
        import onnxruntime as ort

        path = model_path or silero_model_path()
        if path is None:
            raise FileNotFoundError("silero-vad is not installed")
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1  # one small frame at a time: threads only add overhead
        opts.inter_op_num_threads = 1
        self._session: Any = ort.InferenceSession(str(path), sess_options=opts,
                                                  providers=["CPUExecutionProvider"])
        self._sr = np.array(SAMPLE_RATE, dtype=np.int64)
        self.reset()

    def reset(self) -> None:
        self._state = np.zeros((2, 1, 128), dtype=np.float32)
        self._context = np.zeros((1, _CONTEXT), dtype=np.float32)

    def __call__(self, frame: np.ndarray) -> float:
        x = (np.asarray(frame, dtype=np.float32) / 32768.0).reshape(1, -1)
        if x.shape[1] != FRAME:
            x = np.pad(x, ((0, 0), (0, max(0, FRAME - x.shape[1]))))[:, :FRAME]
        inp = np.concatenate([self._context, x], axis=1)
        out, self._state = self._session.run(None, {"input": inp, "state": self._state, "sr": self._sr})
        self._context = inp[:, -_CONTEXT:]
        return float(out[0][0])


class EnergyVad:
    """A fallback: loudness above an adaptive noise floor (good enough in a quiet room)."""

    name = "energy"

    def __init__(self, margin_db: float = 12.0) -> None:
        self.margin_db = margin_db
        self.reset()

    def reset(self) -> None:
        self._floor = -60.0

    def __call__(self, frame: np.ndarray) -> float:
        rms = float(np.sqrt(np.mean(np.square(np.asarray(frame, dtype=np.float64))))) + 1e-9
        db = 20 * math.log10(rms / 32768.0)
        # The floor follows quiet frames quickly and loud ones slowly.
        self._floor += (db - self._floor) * (0.2 if db < self._floor else 0.01)
        return float(1 / (1 + math.exp(-(db - self._floor - self.margin_db) / 2)))


def make_vad() -> VoiceDetector:
    """silero-vad when installed (with onnxruntime), else the energy detector."""
    try:
        return SileroVad()
    except (ImportError, FileNotFoundError, OSError, RuntimeError) as exc:
        logger.warning("silero-vad unavailable (%s); using an energy detector", exc)
        return EnergyVad()


@dataclass(frozen=True)
class EndpointConfig:
    """When speech starts and ends (seconds).

    ``tentative_s`` of quiet after speech is enough to start recognizing
    early; ``end_s`` of quiet ends listening. Recognition started at the
    tentative end usually finishes before the real end, so the text is ready
    when listening stops.
    """

    threshold: float = 0.5
    quiet_threshold: float = 0.35
    start_s: float = 0.064
    tentative_s: float = 0.064
    end_s: float = 0.192


class Endpointer:
    """Feeds on speech probabilities, one per frame; says when speech started and ended."""

    def __init__(self, config: EndpointConfig | None = None) -> None:
        self.config = config or EndpointConfig()
        self.frames = 0
        self.speech_start: int | None = None
        self.last_speech: int | None = None
        self._run = 0

    @property
    def in_speech(self) -> bool:
        return self.speech_start is not None

    def _frames(self, seconds: float) -> int:
        return max(1, round(seconds / FRAME_S))

    def update(self, probability: float) -> str:
        """Account for one more frame; returns ``""``, ``start``, ``tentative_end`` or ``end``."""
        c = self.config
        i = self.frames
        self.frames += 1
        if self.speech_start is None:
            self._run = self._run + 1 if probability >= c.threshold else 0
            if self._run >= self._frames(c.start_s):
                self.speech_start = i - self._run + 1
                self.last_speech = i
                return "start"
            return ""
        if probability >= c.quiet_threshold:
            self.last_speech = i
            return ""
        assert self.last_speech is not None
        quiet = i - self.last_speech
        if quiet == self._frames(c.tentative_s):
            return "tentative_end"
        if quiet >= self._frames(c.end_s):
            return "end"
        return ""

    def seconds(self, frame: int | None) -> float | None:
        """Frame index → seconds from the start (the end of that frame)."""
        return None if frame is None else (frame + 1) * FRAME_S
