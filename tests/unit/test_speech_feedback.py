"""Spoken feedback through espeak-ng (a stand-in program at the boundary), Whisper's offline-only loading,
and choosing a recognizer from the settings."""

from __future__ import annotations

import stat
import time
from pathlib import Path

import numpy as np
import pytest

from desktop.core.settings import Settings
from desktop.speech import make_recognizer
from desktop.speech.tts import EspeakSpeaker, NullSpeaker, make_speaker
from desktop.speech.types import RecognizerUnavailable
from desktop.speech.whisper import FETCH_HINT, WhisperRecognizer


@pytest.fixture
def fake_espeak(tmp_path: Path) -> tuple[Path, Path]:
    """A program that records its arguments and stdin, then 'speaks' for 5 seconds."""
    log = tmp_path / "said.txt"
    script = tmp_path / "espeak-ng"
    script.write_text(f"#!/bin/sh\necho \"$@\" >> {log}\ncat >> {log}\necho >> {log}\nsleep 5\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script, log


def test_speaking_returns_at_once_and_a_new_sentence_interrupts(fake_espeak: tuple[Path, Path]) -> None:
    script, log = fake_espeak
    speaker = EspeakSpeaker(binary=str(script))
    start = time.monotonic()
    speaker.say("Three matches. Say a number.")
    first = speaker._proc
    speaker.say("-v Nothing matched save.")  # text that looks like an option stays text
    assert time.monotonic() - start < 2.0
    assert first is not None and first.poll() is not None  # the first one was stopped
    time.sleep(0.3)
    lines = log.read_text().splitlines()
    assert "-v Nothing matched save." in lines  # (the first may be cut off before it said anything)
    assert "-v en-us -s 175" in lines
    assert speaker.said == ["Three matches. Say a number.", "-v Nothing matched save."]
    speaker.stop()
    speaker.wait(0.1)
    assert speaker._proc is None


def test_wait_returns_when_speech_ends(tmp_path: Path) -> None:
    quick = tmp_path / "quick"
    quick.write_text("#!/bin/sh\ncat > /dev/null\n")
    quick.chmod(0o755)
    speaker = EspeakSpeaker(binary=str(quick))
    speaker.say("One match.")
    speaker.wait(2.0)
    assert speaker._proc is not None and speaker._proc.poll() == 0


def test_no_espeak_means_silence(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    assert isinstance(make_speaker(True), NullSpeaker)
    assert isinstance(make_speaker(False), NullSpeaker)
    EspeakSpeaker(binary="").say("nothing happens")


def test_whisper_never_downloads(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    pytest.importorskip("transformers")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))  # an empty cache: nothing to find
    for ref in ("openai/whisper-tiny.en", str(tmp_path / "no-such-folder"), ""):
        with pytest.raises(RecognizerUnavailable) as info:
            WhisperRecognizer(ref).transcribe(np.zeros(16000, np.int16))
        assert info.value.hint == FETCH_HINT


def test_whisper_prompt_lists_the_screens_words() -> None:
    assert WhisperRecognizer.prompt_text(["Save", "Remember me", "保存"]) == "On screen: Save, Remember me."
    assert WhisperRecognizer.prompt_text([]) == ""


def test_recognizer_follows_the_settings() -> None:
    assert make_recognizer(Settings()).name == "pocketsphinx"
    w = make_recognizer(Settings(speech_recognizer="whisper", whisper_model="/models/whisper-base.en"))
    assert isinstance(w, WhisperRecognizer) and w.model_ref == "/models/whisper-base.en"


def test_speech_settings_are_validated() -> None:
    from desktop.core.settings import SettingsError

    for bad in ({"speech_recognizer": "siri"}, {"spoken_feedback": "loud"}, {"voice_auto_run_s": -1.0},
                {"hotkey_voice": "Ctrl+Alt+Space"}):
        with pytest.raises(SettingsError):
            Settings(**bad)
