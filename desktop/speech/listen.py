"""Listening for one request: audio in until the speech ends, the key is let go, or time runs out.

:class:`Listener` reads an :class:`~desktop.speech.capture.AudioSource`,
reports the input level for the meter, runs the voice activity detector and
the endpointer, and hands back an :class:`~desktop.speech.types.Utterance`.
It never hangs: a silent microphone ends after ``no_speech_s``, endless
speech after ``max_s``, and a device that stops delivering raises
:class:`~desktop.speech.types.AudioDeviceLost`.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Callable

import numpy as np

from desktop.speech.audio import clipped_fraction, level_dbfs
from desktop.speech.capture import AudioSource
from desktop.speech.types import SAMPLE_RATE, NoSpeechHeard, Utterance
from desktop.speech.vad import FRAME, EndpointConfig, Endpointer, VoiceDetector, make_vad

__all__ = ["Listener", "ListenLimits", "CLIP_WARNING"]

logger = logging.getLogger(__name__)

#: Above this fraction of full-scale samples the input is too loud to recognise well.
CLIP_WARNING = 0.002


@dataclass(frozen=True)
class ListenLimits:
    """How long to wait (seconds).

    Parameters
    ----------
    no_speech_s
        Give up when nothing was said for this long.
    max_s
        Stop listening after this long whatever happens (and recognise what came).
    long_end_s
        Quiet after speech that ends listening even when the words so far do
        not make a whole command (the person may have paused mid-sentence).
    """

    no_speech_s: float = 6.0
    max_s: float = 12.0
    long_end_s: float = 0.8


class Listener:
    """Records one utterance from a source, with voice activity detection.

    Parameters
    ----------
    vad
        The voice detector; :func:`~desktop.speech.vad.make_vad` when ``None``.
    endpoints
        When speech counts as started and ended.
    limits
        Time limits (see :class:`ListenLimits`).
    """

    def __init__(self, vad: VoiceDetector | None = None, endpoints: EndpointConfig | None = None,
                 limits: ListenLimits | None = None) -> None:
        self.vad = vad or make_vad()
        self.endpoints = endpoints or EndpointConfig()
        self.limits = limits or ListenLimits()

    def listen(self, source: AudioSource, *, stop: threading.Event | None = None,
               on_level: Callable[[float], None] | None = None,
               on_pause: Callable[[np.ndarray, float, float], None] | None = None,
               accept: Callable[[], bool] | None = None) -> Utterance:
        """Listen until the end of speech (or ``stop`` is set: the key was let go).

        Parameters
        ----------
        source
            Started here and always stopped before returning.
        stop
            Set by the GUI when the push-to-talk key or button is released.
        on_level
            Called with the input level in dBFS about 30 times a second.
        on_pause
            Called with ``(audio, speech_start_s, speech_end_s)`` when the
            speaker pauses: recognition can start early on that audio.
        accept
            Asked, once the quiet is long enough to end, whether what was said
            so far makes a whole command; ``False`` keeps listening up to
            ``limits.long_end_s``.

        Raises
        ------
        NoSpeechHeard
            When no speech came before ``stop``, the end of the source, or ``no_speech_s``.
        AudioDeviceLost, MicrophoneUnavailable
            From the source.
        """
        run = _Run(self, stop, on_level, on_pause, accept)
        source.start()
        try:
            return run.loop(source)
        finally:
            source.stop()


class _Run:
    """The state of one :meth:`Listener.listen` call."""

    def __init__(self, listener: Listener, stop: threading.Event | None,
                 on_level: Callable[[float], None] | None,
                 on_pause: Callable[[np.ndarray, float, float], None] | None,
                 accept: Callable[[], bool] | None) -> None:
        self.limits = listener.limits
        self.vad = listener.vad
        self.vad.reset()
        self.ends = Endpointer(listener.endpoints)
        self.stop, self.on_level, self.on_pause, self.accept = stop, on_level, on_pause, accept
        self.chunks: list[np.ndarray] = []
        self.pending = np.zeros(0, np.int16)
        self.samples = 0
        self.arrivals: list[tuple[int, float]] = []  # (samples so far, perf_counter) per block

    def audio(self) -> np.ndarray:
        return np.concatenate(self.chunks) if self.chunks else np.zeros(0, np.int16)

    def loop(self, source: AudioSource) -> Utterance:
        ended_by = ""
        while not ended_by:
            if self.stop is not None and self.stop.is_set():
                ended_by = "release"
                break
            block = source.read(timeout=0.25)
            if block is None:
                ended_by = "source_end"
                break
            if len(block):
                ended_by = self._feed(block)
            ended_by = ended_by or self._timeouts()
        return self._finish(ended_by)

    def _feed(self, block: np.ndarray) -> str:
        self.chunks.append(block)
        self.samples += len(block)
        self.arrivals.append((self.samples, time.perf_counter()))
        if self.on_level is not None:
            self.on_level(level_dbfs(block))
        self.pending = np.concatenate([self.pending, block])
        result = ""
        while len(self.pending) >= FRAME and not result:
            frame, self.pending = self.pending[:FRAME], self.pending[FRAME:]
            result = self._event(self.ends.update(self.vad(frame)))
        return result

    def _event(self, event: str) -> str:
        ends, limits = self.ends, self.limits
        if event == "tentative_end" and self.on_pause is not None:
            start, end = ends.seconds(ends.speech_start), ends.seconds(ends.last_speech)
            assert start is not None and end is not None
            self.on_pause(self.audio(), max(0.0, start - 0.064), end)
        if event == "end" and ends.last_speech is not None:
            quiet_s = (ends.frames - 1 - ends.last_speech) * FRAME / SAMPLE_RATE
            if quiet_s >= limits.long_end_s or self.accept is None or self.accept():
                return "vad"
        return ""

    def _timeouts(self) -> str:
        heard_s = self.samples / SAMPLE_RATE
        if heard_s >= self.limits.max_s:
            return "max_length"
        if not self.ends.in_speech and heard_s >= self.limits.no_speech_s:
            return "no_speech"
        return ""

    def _speech_end_time(self, end_s: float | None) -> float:
        """When the last speech sample arrived (perf_counter), for end-of-speech latency."""
        if end_s is None or not self.arrivals:
            return 0.0
        target = int(end_s * SAMPLE_RATE)
        for samples, when in self.arrivals:
            if samples >= target:
                return when
        return self.arrivals[-1][1]

    def _finish(self, ended_by: str) -> Utterance:
        ends = self.ends
        if not ends.in_speech:
            raise NoSpeechHeard("I did not hear anything.",
                                "Speak after the beep of the meter starts moving, or check the microphone.")
        audio = self.audio()
        start = max(0.0, (ends.seconds(ends.speech_start) or 0.0) - 0.064)
        end = ends.seconds(ends.last_speech)
        notes: list[str] = []
        if ended_by == "max_length":
            notes.append(f"Stopped listening after {self.limits.max_s:g} seconds.")
        clipped = clipped_fraction(audio)
        if clipped > CLIP_WARNING:
            notes.append("The microphone is too loud (the sound is clipped); turn its level down.")
        logger.info("listening ended by %s after %.1f s", ended_by, len(audio) / SAMPLE_RATE)
        return Utterance(audio, ended_by, start, end, time.perf_counter(), clipped, tuple(notes),
                         speech_ended_at=self._speech_end_time(end))
