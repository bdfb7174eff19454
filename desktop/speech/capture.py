"""Where audio comes from: the default microphone through sounddevice, or a WAV file played in real time.

Both deliver mono ``int16`` blocks at 16 kHz through the same small
interface, so the listening code (and the tests and benchmark that feed it
files) is the same as for a microphone.
"""

from __future__ import annotations

import logging
import queue
import time
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from desktop.speech.audio import read_wav, resample, to_mono_int16
from desktop.speech.types import SAMPLE_RATE, AudioDeviceLost, MicrophoneUnavailable

__all__ = ["AudioSource", "SoundDeviceSource", "ArraySource", "WavSource", "default_input_name"]

logger = logging.getLogger(__name__)

#: A microphone that sends nothing for this long has gone away.
STALL_S = 1.5
#: ...but the first block may take longer (ALSA and PulseAudio start the stream).
FIRST_BLOCK_S = 4.0
_BLOCK_S = 0.032


class AudioSource(Protocol):
    """A stream of mono int16 blocks at 16 kHz."""

    def start(self) -> None:
        ...

    def read(self, timeout: float) -> np.ndarray | None:
        """The next block; ``None`` at the end of a finite source.

        Raises
        ------
        AudioDeviceLost
            When the device stopped delivering audio.
        """
        ...

    def stop(self) -> None:
        ...


def _hint() -> str:
    return "Connect a microphone, check that it is not muted, then try again (or type instead)."


def default_input_name() -> str | None:
    """The default input device's name, or ``None`` when there is none (or no sounddevice)."""
    try:
        import sounddevice as sd

        info = sd.query_devices(kind="input")
    except Exception:  # PortAudio missing, no device, or a host API error
        return None
    return str(info.get("name")) if isinstance(info, dict) else None


class SoundDeviceSource:
    """The default (or a named) input device, through sounddevice/PortAudio.

    Opens at 16 kHz when the device allows it, else at its own rate and
    resamples. Blocks arrive from PortAudio's thread through a queue.
    """

    def __init__(self, device: int | str | None = None) -> None:
        self.device = device
        self._queue: queue.Queue[np.ndarray | BaseException] = queue.Queue()
        self._stream: Any = None
        self._rate = SAMPLE_RATE
        self._last = 0.0
        self._started = False
        self.overflows = 0

    def start(self) -> None:
        try:
            import sounddevice as sd
        except (ImportError, OSError) as exc:  # OSError: the PortAudio library is missing
            raise MicrophoneUnavailable("Speech input needs sounddevice and PortAudio.",
                                        "Install them: pip install sounddevice; apt-get install libportaudio2") from exc
        try:
            info = sd.query_devices(self.device, kind="input")
        except Exception as exc:
            raise MicrophoneUnavailable("No microphone was found.", _hint()) from exc
        self._rate = SAMPLE_RATE
        try:
            sd.check_input_settings(device=self.device, channels=1, dtype="int16", samplerate=SAMPLE_RATE)
        except Exception:
            self._rate = int(info["default_samplerate"])  # resampled in read()
        try:
            self._stream = sd.InputStream(device=self.device, channels=1, dtype="int16", samplerate=self._rate,
                                          blocksize=int(self._rate * _BLOCK_S), callback=self._callback,
                                          finished_callback=self._finished)
            self._stream.start()
        except Exception as exc:
            self._stream = None
            raise MicrophoneUnavailable(f"The microphone ({info.get('name', 'default')}) could not be opened.",
                                        _hint()) from exc
        self._last = time.monotonic()
        self._started = False
        logger.info("listening on %s at %d Hz", info.get("name"), self._rate)

    def _callback(self, indata: np.ndarray, frames: int, when: Any, status: Any) -> None:
        if status and getattr(status, "input_overflow", False):
            self.overflows += 1  # a dropped block: worth a log line, not an error
        self._queue.put(indata[:, 0].copy())

    def _finished(self) -> None:
        self._queue.put(AudioDeviceLost("The microphone stopped.", _hint()))

    def read(self, timeout: float) -> np.ndarray | None:
        try:
            item = self._queue.get(timeout=min(timeout, STALL_S))
        except queue.Empty:
            if time.monotonic() - self._last > (STALL_S if self._started else FIRST_BLOCK_S):
                raise AudioDeviceLost("The microphone stopped sending sound.", _hint()) from None
            return np.zeros(0, np.int16)
        if isinstance(item, BaseException):
            raise item
        self._last = time.monotonic()
        self._started = True
        return resample(item, self._rate) if self._rate != SAMPLE_RATE else item

    def stop(self) -> None:
        stream, self._stream = self._stream, None
        if stream is None:
            return
        try:
            stream.stop()
            stream.close()
        except Exception:  # the device may already be gone; closing must never fail
            logger.debug("closing the input stream failed", exc_info=True)
        if self.overflows:
            logger.info("%d audio blocks were dropped while listening", self.overflows)


class ArraySource:
    """Audio already in memory, delivered block by block (in real time when ``realtime``)."""

    def __init__(self, audio: np.ndarray, realtime: bool = False, block_s: float = _BLOCK_S) -> None:
        self.audio = to_mono_int16(audio)
        self.realtime = realtime
        self.block = max(1, int(SAMPLE_RATE * block_s))
        self._pos = 0
        self._t0 = 0.0

    def start(self) -> None:
        self._pos = 0
        self._t0 = time.perf_counter()

    def read(self, timeout: float) -> np.ndarray | None:
        if self._pos >= len(self.audio):
            return None
        if self.realtime:  # a block is available once it "has been spoken"
            due = self._t0 + (self._pos + self.block) / SAMPLE_RATE
            time.sleep(max(0.0, due - time.perf_counter()))
        block = self.audio[self._pos:self._pos + self.block]
        self._pos += self.block
        return block

    def stop(self) -> None:
        self._pos = len(self.audio)


class WavSource(ArraySource):
    """A WAV file as a source (``click-assist transcribe`` and the benchmark)."""

    def __init__(self, path: str | Path, realtime: bool = False) -> None:
        super().__init__(read_wav(path), realtime)

