"""The speech package's results and errors, shared by capture, recognizers and front ends."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, Sequence

import numpy as np

from desktop.core.errors import ClickAssistError

__all__ = [
    "SAMPLE_RATE",
    "Utterance",
    "Transcript",
    "Recognizer",
    "SpeechError",
    "MicrophoneUnavailable",
    "AudioDeviceLost",
    "NoSpeechHeard",
    "AudioUnreadable",
    "RecognizerUnavailable",
    "AdaptationError",
]

#: Every recognizer here works on 16 kHz mono 16-bit audio.
SAMPLE_RATE = 16000


class SpeechError(ClickAssistError):
    """Something about listening or recognizing went wrong."""

    code = "speech_error"


class MicrophoneUnavailable(SpeechError):
    code = "microphone_unavailable"


class AudioDeviceLost(SpeechError):
    code = "audio_device_lost"


class NoSpeechHeard(SpeechError):
    code = "no_speech"


class AudioUnreadable(SpeechError):
    code = "audio_unreadable"


class RecognizerUnavailable(SpeechError):
    code = "recognizer_unavailable"


class AdaptationError(SpeechError):
    """Adapting the recognizer to the person's voice failed (too few recordings, an unsupported model)."""

    code = "voice_adaptation"


@dataclass(frozen=True, eq=False)
class Utterance:
    """What was recorded for one request.

    Parameters
    ----------
    audio
        Mono ``int16`` samples at :data:`SAMPLE_RATE`.
    ended_by
        ``vad`` (silence after speech), ``release`` (the key or button was
        let go), ``max_length`` (cut off), ``source_end`` (a file ran out)
        or ``file`` (not listened to at all).
    speech_end_s
        Where the voice activity detector last heard speech, in seconds
        from the start of ``audio`` (``None`` when it never did).
    ended_at
        ``time.perf_counter()`` when listening stopped (for latency measurements).
    clipped
        Fraction of samples at full scale (the input is too loud above ~0.1%).
    notes
        Things to tell the person ("Stopped listening after 10 seconds.").
    speech_ended_at
        ``time.perf_counter()`` when the last speech sample arrived.
    """

    audio: np.ndarray
    ended_by: str = "file"
    speech_start_s: float | None = None
    speech_end_s: float | None = None
    ended_at: float = 0.0
    clipped: float = 0.0
    notes: tuple[str, ...] = ()
    speech_ended_at: float = 0.0

    @property
    def duration_s(self) -> float:
        return len(self.audio) / SAMPLE_RATE


@dataclass(frozen=True)
class Transcript:
    """What a recognizer heard.

    Parameters
    ----------
    text
        The words, spelled as on screen where they came from the screen.
    grammar
        ``screen``, ``overlay`` (a per-request grammar), ``general`` (the
        general language model, when no grammar fitted) or ``whisper``.
    fits
        Whether the grammar explains the audio well (else the text came
        from the fallback, or is a guess).
    score
        The grammar path's score per frame (natural log, 0 at best; more
        negative fits worse; ``-inf`` when no whole grammar path was found).
    elapsed_ms
        Recognition time, not counting listening.
    heard
        What the grammar heard, even when it did not fit.
    timings_ms
        Where the time went (``grammar``, ``decode``, ``general``).
    warp
        The frequency warp factor the audio was decoded with (1.0: none; see
        :mod:`desktop.speech.warp`).
    """

    text: str
    grammar: str
    fits: bool = True
    score: float = 0.0
    elapsed_ms: float = 0.0
    heard: str = ""
    timings_ms: dict[str, float] = field(default_factory=dict, compare=False)
    warp: float = 1.0


class Recognizer(Protocol):
    """Speech to text for one utterance, given the screen's phrases (may be empty)."""

    name: str

    def transcribe(self, audio: np.ndarray, screen_texts: Sequence[str] = (), *,
                   overlay_targets: int | None = None) -> Transcript:
        """Recognize ``audio`` (16 kHz mono int16); ``overlay_targets`` selects the overlay grammar."""
        ...

    def warm_up(self) -> None:
        ...
