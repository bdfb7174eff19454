"""The voice session's timing choices, with a recording fake recognizer (no speech model)."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any, Sequence

import numpy as np
import pytest

from desktop.speech.capture import ArraySource
from desktop.speech.listen import Listener
from desktop.speech.session import VoiceSession
from desktop.speech.types import SAMPLE_RATE, Transcript
from tests.unit.test_speech_listen import LoudVad, silence, speech_like


class SlowRecognizer:
    """Takes longer than the endpointer's quiet time; records what it was asked to learn from."""

    name = "slow"

    def __init__(self) -> None:
        self.learned: list[int] = []
        self.learning = threading.Event()

    def transcribe(self, audio: np.ndarray, screen_texts: Sequence[str] = (), *,
                   overlay_targets: int | None = None) -> Transcript:
        time.sleep(0.3)
        return Transcript("click save", "screen", True)

    def learn_voice(self, audio: np.ndarray, screen_texts: Sequence[str] = (), *,
                    overlay_targets: int | None = None) -> float:
        self.learning.wait(5)
        self.learned.append(len(audio))
        return 1.0

    def warm_up(self) -> None:
        pass


def command() -> np.ndarray:
    return np.concatenate([silence(0.3), speech_like(1.0), silence(2.0)])


def test_played_faster_than_real_time_the_end_waits_for_the_recognition_at_the_pause() -> None:
    hasty = VoiceSession(SlowRecognizer(), Listener(LoudVad())).listen(source=ArraySource(command()))
    patient = VoiceSession(SlowRecognizer(), Listener(LoudVad()), wait_for_early=True).listen(
        source=ArraySource(command()))
    # Without waiting, the result is not ready when the short quiet ends, so listening
    # goes on to the long end (0.8 s); waiting, the whole command ends it at the short one.
    assert hasty.utterance.duration_s >= 0.3 + 1.0 + 0.8
    assert patient.utterance.duration_s < 0.3 + 1.0 + 0.5
    assert patient.text == "click save" and patient.early


def test_learning_from_a_request_happens_after_it_and_off_its_thread() -> None:
    recognizer = SlowRecognizer()
    session = VoiceSession(recognizer, Listener(LoudVad()), wait_for_early=True)
    heard = session.listen(source=ArraySource(command()))
    assert heard.text == "click save" and recognizer.learned == []  # the text did not wait for learning
    assert not session.settle(timeout=0.05)
    recognizer.learning.set()
    assert session.settle(timeout=5)
    # It learned from the speech with its margins, not from the whole recording.
    assert recognizer.learned and recognizer.learned[0] < len(command()) - SAMPLE_RATE


def test_a_one_shot_session_does_not_learn() -> None:
    recognizer = SlowRecognizer()
    recognizer.learning.set()
    session = VoiceSession(recognizer, Listener(LoudVad()), wait_for_early=True, learn=False)
    assert session.listen(source=ArraySource(command())).text == "click save"
    assert session.settle(timeout=5) and recognizer.learned == []


def test_the_transcribe_command_does_not_learn(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from desktop.cli import main
    from desktop.speech import session as session_module
    from desktop.speech.audio import write_wav

    made: list[VoiceSession] = []

    class Recording(VoiceSession):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(session_module, "VoiceSession", Recording)
    monkeypatch.setattr("desktop.speech.make_recognizer", lambda settings: SlowRecognizer())
    monkeypatch.setenv("CLICK_ASSIST_CONFIG_DIR", str(tmp_path))
    wav = write_wav(tmp_path / "c.wav", command())
    main(["transcribe", str(wav)])  # (the real voice detector hears no speech in a tone; that does not matter)
    assert made and made[0].learn is False
