"""Audio as numpy arrays: WAV files in and out, resampling, levels, clipping.

Everything downstream works on mono ``int16`` at 16 kHz
(:data:`~desktop.speech.types.SAMPLE_RATE`); this module gets audio there.
"""

from __future__ import annotations

import logging
import math
import wave
from pathlib import Path

import numpy as np

from desktop.speech.types import SAMPLE_RATE, AudioUnreadable

__all__ = ["read_wav", "write_wav", "resample", "to_mono_int16", "level_dbfs", "clipped_fraction",
           "speech_bounds", "trim", "raise_noise_floor"]

logger = logging.getLogger(__name__)

_FULL_SCALE = 32767


def to_mono_int16(data: np.ndarray) -> np.ndarray:
    """Mix channels down and convert floats in [-1, 1] or any integer type to ``int16``."""
    x = np.asarray(data)
    if x.ndim == 2:
        x = x.mean(axis=1) if x.dtype.kind == "f" else x.astype(np.int64).mean(axis=1)
    if x.dtype.kind == "f":
        return np.clip(np.round(x * _FULL_SCALE), -32768, _FULL_SCALE).astype(np.int16)
    if x.dtype == np.int16:
        return x
    return np.clip(np.round(x), -32768, _FULL_SCALE).astype(np.int16)


def resample(audio: np.ndarray, rate_in: int, rate_out: int = SAMPLE_RATE) -> np.ndarray:
    """Resample ``int16`` audio (polyphase with scipy when present, else a windowed-sinc low-pass + interpolation)."""
    if rate_in == rate_out or len(audio) == 0:
        return audio.astype(np.int16, copy=False)
    x = audio.astype(np.float32)
    try:
        from scipy.signal import resample_poly

        g = math.gcd(rate_in, rate_out)
        y = resample_poly(x, rate_out // g, rate_in // g)
    except ImportError:
        y = _resample_numpy(x, rate_in, rate_out)
    return np.clip(np.round(y), -32768, _FULL_SCALE).astype(np.int16)


def _resample_numpy(x: np.ndarray, rate_in: int, rate_out: int) -> np.ndarray:
    if rate_out < rate_in:  # low-pass first so that nothing above the new Nyquist folds back
        cutoff = 0.5 * rate_out / rate_in * 0.9
        n = np.arange(-32, 33)
        kernel = 2 * cutoff * np.sinc(2 * cutoff * n) * np.hamming(len(n))
        x = np.convolve(x, kernel / kernel.sum(), mode="same")
    t_out = np.arange(int(len(x) * rate_out / rate_in)) * (rate_in / rate_out)
    return np.interp(t_out, np.arange(len(x)), x)


def read_wav(path: str | Path) -> np.ndarray:
    """A WAV file as mono ``int16`` at 16 kHz.

    Raises
    ------
    AudioUnreadable
        When the file is missing, not a WAV file, or not PCM.
    """
    try:
        with wave.open(str(path), "rb") as w:
            channels, width, rate = w.getnchannels(), w.getsampwidth(), w.getframerate()
            frames = w.readframes(w.getnframes())
    except FileNotFoundError:
        raise AudioUnreadable(f"There is no audio file {path}.") from None
    except (wave.Error, EOFError, OSError) as exc:
        raise AudioUnreadable(f"{path} is not a readable WAV file ({exc}).",
                              "Convert it with: sox IN.ext -r 16000 -c 1 -b 16 OUT.wav") from exc
    if width == 1:
        data = (np.frombuffer(frames, np.uint8).astype(np.int16) - 128) << 8
    elif width == 2:
        data = np.frombuffer(frames, "<i2")
    elif width == 3:
        raw = np.frombuffer(frames, np.uint8).reshape(-1, 3)
        data = ((raw[:, 2].astype(np.int32) << 24 | raw[:, 1].astype(np.int32) << 16
                 | raw[:, 0].astype(np.int32) << 8) >> 16).astype(np.int16)
    elif width == 4:
        data = (np.frombuffer(frames, "<i4") >> 16).astype(np.int16)
    else:
        raise AudioUnreadable(f"{path} has {width}-byte samples, which are not supported.")
    if channels > 1:
        data = data.reshape(-1, channels).astype(np.int32).mean(axis=1).astype(np.int16)
    return resample(np.asarray(data, dtype=np.int16), rate)


def write_wav(path: str | Path, audio: np.ndarray, rate: int = SAMPLE_RATE) -> Path:
    """Write mono ``int16`` audio as a WAV file."""
    path = Path(path)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(to_mono_int16(audio).astype("<i2").tobytes())
    return path


def level_dbfs(block: np.ndarray) -> float:
    """RMS level of a block in dB below full scale (−100 for digital silence)."""
    if len(block) == 0:
        return -100.0
    rms = float(np.sqrt(np.mean(np.square(block.astype(np.float64)))))
    return max(-100.0, 20 * math.log10(rms / _FULL_SCALE)) if rms > 0 else -100.0


def clipped_fraction(audio: np.ndarray) -> float:
    """Fraction of samples at (or within 1% of) full scale."""
    if len(audio) == 0:
        return 0.0
    return float(np.mean(np.abs(audio.astype(np.int32)) >= int(_FULL_SCALE * 0.99)))


def speech_bounds(audio: np.ndarray, threshold_dbfs: float = -45.0,
                  frame: int = 160) -> tuple[float, float] | None:
    """Start and end (seconds) of the part louder than ``threshold_dbfs`` (10 ms frames), or ``None``."""
    n = len(audio) // frame
    if n == 0:
        return None
    blocks = audio[: n * frame].astype(np.float64).reshape(n, frame)
    rms = np.sqrt(np.mean(np.square(blocks), axis=1))
    loud = np.nonzero(rms > _FULL_SCALE * 10 ** (threshold_dbfs / 20))[0]
    if len(loud) == 0:
        return None
    return loud[0] * frame / SAMPLE_RATE, (loud[-1] + 1) * frame / SAMPLE_RATE


def trim(audio: np.ndarray, start_s: float | None, end_s: float | None, margin_s: float = 0.25) -> np.ndarray:
    """The part between ``start_s`` and ``end_s`` with ``margin_s`` of context on each side.

    Where the audio has less than ``margin_s`` around the speech (recognition
    started at a pause has only a few frames after it), the missing context
    is filled with the recording's own background, taken from outside the
    speech: the recognizer's fit score averages over every frame, so
    segments must carry the same amount of quiet to be judged alike.
    """
    if start_s is None or end_s is None:
        return audio
    margin = int(margin_s * SAMPLE_RATE)
    want_a, want_b = int(start_s * SAMPLE_RATE) - margin, int(end_s * SAMPLE_RATE) + margin
    a, b = max(0, want_a), min(len(audio), want_b)
    if b <= a:
        return audio
    lead, tail = a - want_a, want_b - b
    if not lead and not tail:
        return audio[a:b]
    quiet = _background(audio, start_s, end_s)
    return np.concatenate([_tile(quiet, lead), audio[a:b], _tile(quiet, tail)])


def _background(audio: np.ndarray, start_s: float, end_s: float) -> np.ndarray:
    """Samples outside the speech (the longer side), or silence when there are none."""
    before = audio[: max(0, int(start_s * SAMPLE_RATE))]
    after = audio[min(len(audio), int(end_s * SAMPLE_RATE)):]
    longer = before if len(before) >= len(after) else after
    return longer if len(longer) >= 160 else np.zeros(160, np.int16)


def _tile(x: np.ndarray, n: int) -> np.ndarray:
    return np.resize(x, n).astype(np.int16) if n > 0 else np.zeros(0, np.int16)


def raise_noise_floor(audio: np.ndarray, below_speech_db: float = 35.0, seed: int = 0) -> np.ndarray:
    """Top the background up to ``below_speech_db`` under the speech level with white noise.

    Acoustic models are trained on recordings that always have a noise floor.
    Very clean input (synthetic voices, studio microphones with noise
    suppression) has near-empty spectral valleys between harmonics and in the
    pauses; their log energies fall far outside anything the model saw, the
    words fit worse and the same voice scores lower quiet than in noise.
    Input that already has a floor this high is returned unchanged. The
    noise is seeded, so the same audio always gives the same text.

    Parameters
    ----------
    audio
        Mono ``int16``.
    below_speech_db
        How far under the speech level (the loudest third of 10 ms frames) the floor should be.
    seed
        Seed of the noise generator.
    """
    frames = audio[: len(audio) // 160 * 160].astype(np.float64).reshape(-1, 160)
    if len(frames) < 3:
        return audio
    rms = np.sort(np.sqrt(np.mean(np.square(frames), axis=1)))
    speech = float(np.sqrt(np.mean(np.square(rms[-max(1, len(rms) // 3):]))))
    floor = float(rms[len(rms) // 10])
    target = speech / 10 ** (below_speech_db / 20)
    if speech <= 0 or floor >= target:
        return audio
    noise = np.random.default_rng(seed).standard_normal(len(audio)) * math.sqrt(target ** 2 - floor ** 2)
    return np.clip(np.round(audio.astype(np.float64) + noise), -32768, _FULL_SCALE).astype(np.int16)
