"""Speech: push-to-talk capture, voice activity, offline recognition with per-screen grammars, spoken feedback.

Imports here are light; pocketsphinx, onnxruntime, sounddevice and
transformers load only when first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.speech.types import (
    SAMPLE_RATE,
    AudioDeviceLost,
    AudioUnreadable,
    MicrophoneUnavailable,
    NoSpeechHeard,
    Recognizer,
    RecognizerUnavailable,
    SpeechError,
    Transcript,
    Utterance,
)

if TYPE_CHECKING:
    from desktop.core.settings import Settings

__all__ = [
    "SAMPLE_RATE",
    "AudioDeviceLost",
    "AudioUnreadable",
    "MicrophoneUnavailable",
    "NoSpeechHeard",
    "Recognizer",
    "RecognizerUnavailable",
    "SpeechError",
    "Transcript",
    "Utterance",
    "make_recognizer",
]


def make_recognizer(settings: "Settings") -> Recognizer:
    """The recognizer the settings choose: pocketsphinx (default) or Whisper from local disk."""
    if settings.speech_recognizer == "whisper":
        from desktop.speech.whisper import WhisperRecognizer

        return WhisperRecognizer(settings.whisper_model)
    from desktop.speech.samples import transform_path, warp_path
    from desktop.speech.sphinx import SphinxRecognizer

    # The person's voice adaptation (click-assist adapt-voice), when there is one, and the warp
    # learned for their voice in earlier sessions.
    return SphinxRecognizer(transform=transform_path(), warp_file=warp_path())
