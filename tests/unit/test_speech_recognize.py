"""The real recognizer (pocketsphinx, bundled model) on espeak-ng speech, and the transcribe command."""

from __future__ import annotations

import json
import math
import shutil
import subprocess
from pathlib import Path
from typing import Iterator

import numpy as np
import pytest

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="needs espeak-ng to synthesise speech")]
pytest.importorskip("pocketsphinx")

from desktop.speech.audio import read_wav, write_wav  # noqa: E402
from desktop.speech.capture import ArraySource  # noqa: E402
from desktop.speech.session import VoiceSession  # noqa: E402
from desktop.speech.sphinx import SphinxRecognizer  # noqa: E402
from desktop.speech.types import SAMPLE_RATE  # noqa: E402

SCREEN = ["Save", "Cancel", "Remember me", "Subscribe to newsletter", "Open settings", "Zorblat", "Help"]


def say(text: str, tmp: Path, voice: str = "en-us+klatt", speed: int = 170) -> np.ndarray:
    """espeak-ng speech with silence around it and a quiet noise floor, as a microphone gives."""
    wav = tmp / "raw.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(wav), text], check=True)
    audio = np.concatenate([np.zeros(6400, np.int16), read_wav(wav), np.zeros(14000, np.int16)])
    noise = np.random.default_rng(len(text)).normal(0, 25, len(audio))
    return np.clip(audio + noise, -32768, 32767).astype(np.int16)


@pytest.fixture(scope="module")
def recognizer() -> Iterator[SphinxRecognizer]:
    r = SphinxRecognizer()
    r.warm_up()
    yield r


def intent(text: str) -> tuple:
    """What a command means (an extra "the", or "check boxes" for "checkboxes", change nothing)."""
    from desktop.core.parser import parse_instruction

    steps = parse_instruction(text.lower().replace("check box", "checkbox")).steps
    return tuple((s.action, s.target, s.roles, s.select_all, s.count, s.ordinal, s.relation) for s in steps)


@pytest.mark.parametrize("text, shown", [
    ("click save", "Save"),
    ("click the cancel button", "Cancel"),
    ("click subscribe to newsletter", "Subscribe to newsletter"),
    ("double click remember me", "Remember me"),
    ("click all checkboxes", ""),
])
def test_screen_grammar_hears_commands(recognizer: SphinxRecognizer, tmp_path: Path, text: str,
                                       shown: str) -> None:
    t = recognizer.transcribe(say(text, tmp_path), SCREEN)
    assert intent(t.text) == intent(text)
    assert shown in t.text  # spelled as on screen
    assert (t.grammar, t.fits) == ("screen", True)
    assert t.elapsed_ms < 2000


def test_a_word_missing_from_the_dictionary_gets_a_pronunciation(recognizer: SphinxRecognizer,
                                                                tmp_path: Path) -> None:
    t = recognizer.transcribe(say("open zorblat", tmp_path), SCREEN)
    assert t.text == "open Zorblat"


def test_overlay_grammar(recognizer: SphinxRecognizer, tmp_path: Path) -> None:
    t = recognizer.transcribe(say("two and four", tmp_path), overlay_targets=5)
    assert (t.text, t.grammar) == ("two and four", "overlay")


def test_when_the_grammar_does_not_fit_the_general_model_transcribes(tmp_path: Path) -> None:
    # How often other speech is caught is measured by the benchmark; here the plumbing:
    # a grammar judged not to fit hands the audio to the general language model.
    strict = SphinxRecognizer(fit_threshold=0.0)
    t = strict.transcribe(say("what is the weather like today", tmp_path), SCREEN)
    assert (t.fits, t.grammar) == (False, "general")
    assert t.text and t.text != t.heard and t.score < 0


def test_empty_audio_is_nothing_heard_and_the_next_request_still_works(recognizer: SphinxRecognizer,
                                                                        tmp_path: Path) -> None:
    nothing = recognizer.transcribe(np.zeros(0, np.int16), SCREEN)
    assert (nothing.text, nothing.fits) == ("", False)
    assert intent(recognizer.transcribe(say("click save", tmp_path), SCREEN).text) == intent("click save")


def test_session_recognises_early_and_reports_latency(recognizer: SphinxRecognizer, tmp_path: Path) -> None:
    audio = say("click save", tmp_path)
    heard = VoiceSession(recognizer).listen(SCREEN, source=ArraySource(audio, realtime=True))
    assert heard.text == "click Save" and heard.early
    assert heard.utterance.ended_by == "vad"
    assert not math.isnan(heard.latency_ms) and heard.latency_ms < 1500
    # Listening stopped soon after the speech, not at the end of the audio.
    assert heard.utterance.duration_s < len(audio) / SAMPLE_RATE - 0.2


def test_transcribe_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from desktop.cli import main

    wav = write_wav(tmp_path / "cmd.wav", say("open settings", tmp_path))
    assert main(["transcribe", str(wav), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["text"] == "open settings" and out["grammar"] == "screen" and out["fits"] is True
    assert out["speech"][0] < out["speech"][1]
    assert main(["transcribe", str(wav)]) == 0
    assert capsys.readouterr().out.strip() == "open settings"


def test_transcribe_overlay_and_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from desktop.cli import main

    wav = write_wav(tmp_path / "n.wav", say("click two", tmp_path))
    assert main(["transcribe", str(wav), "--overlay", "3"]) == 0
    assert capsys.readouterr().out.strip() == "click two"
    silent = write_wav(tmp_path / "silent.wav", np.zeros(SAMPLE_RATE * 2, np.int16))
    assert main(["transcribe", str(silent), "--json"]) == 2
    captured = capsys.readouterr()
    assert json.loads(captured.out)["error"]["code"] == "no_speech"
    assert "did not hear" in captured.err
    assert main(["transcribe", str(tmp_path / "missing.wav")]) == 2
    assert "no audio file" in capsys.readouterr().err
