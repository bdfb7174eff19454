"""Speech in the app: hold-to-talk into the bar, voice answers on the overlay, spoken feedback.

The widgets, controller, click guard and voice controller are real; the
microphone + recognizer (a scripted session) and the voice (a recording
speaker) are the fakes at the boundary. One test runs the real recognizer
on espeak-ng speech through the same session the app uses.
"""

from __future__ import annotations

import math
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Any, Iterator, Sequence

import numpy as np
import pytest
from PySide6.QtCore import Qt

from desktop.actions import RecordingClicker
from desktop.core.settings import Settings
from desktop.speech.tts import RecordingSpeaker
from desktop.speech.types import MicrophoneUnavailable, NoSpeechHeard, Transcript, Utterance
from desktop.ui.voice import meter_percent

pytestmark = pytest.mark.gui


class ScriptedSession:
    """Stands in for microphone + recognizer: each listen() returns the next scripted answer."""

    def __init__(self) -> None:
        self.answers: list[tuple[str, bool] | BaseException] = []
        self.calls: list[dict[str, Any]] = []
        self.released = threading.Event()

    def say(self, text: str, fits: bool = True) -> None:
        self.answers.append((text, fits))

    #: What every scripted utterance "recorded": 1.5 s, speech from 0.3 to 1.2 s.
    audio = (np.arange(24000) % 50 * 100).astype(np.int16)

    def listen(self, screen_texts: Any = (), *, overlay_targets: int | None = None,
               stop: threading.Event | None = None, on_level: Any = None, source: Any = None) -> Any:
        from desktop.speech.session import Heard

        texts = list(screen_texts() if callable(screen_texts) else screen_texts)
        self.calls.append({"overlay_targets": overlay_targets, "texts": texts})
        if on_level is not None:
            on_level(-20.0)
        if not self.answers:  # nothing scripted: wait for the release, then "hear" silence
            assert stop is not None
            stop.wait(5)
            raise NoSpeechHeard("I did not hear anything.")
        answer = self.answers.pop(0)
        if isinstance(answer, BaseException):
            raise answer
        text, fits = answer
        grammar = "overlay" if overlay_targets is not None else "screen" if fits else "general"
        return Heard(Transcript(text, grammar, fits, -0.003 if fits else -0.01, 20.0, text),
                     Utterance(self.audio, "vad", 0.3, 1.2), 250.0)


class VocabularyEngine:
    """A fake engine whose first pass "reads" the given texts (what screen_texts asks for)."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.texts = list(texts)
        self.asked = 0

    def ground(self, image: Any, instruction: str, **kwargs: Any) -> Any:
        from tests.gui.conftest import make_result

        return make_result(instruction, [])

    def candidates(self, screen: Any, intent: Any, reference: Any = None, timings: Any = None, *,
                   stage: int = 2, mapping: Any = None) -> tuple:
        from desktop.core.geometry import Box
        from desktop.core.results import Candidate

        self.asked += 1
        return tuple(Candidate(Box(0, 20 * i, 80, 20 * i + 16), t, "button", "ocr") for i, t in enumerate(self.texts))


@pytest.fixture
def session() -> ScriptedSession:
    return ScriptedSession()


@pytest.fixture
def speaker() -> RecordingSpeaker:
    return RecordingSpeaker()


@pytest.fixture
def voice_app(qtbot: Any, engine: Any, capturer: Any, clicker: RecordingClicker, session: ScriptedSession,
              speaker: RecordingSpeaker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setenv("CLICK_ASSIST_CONFIG_DIR", str(tmp_path / "config"))
    from desktop.app import build_app

    parts = build_app(Settings(return_pointer=False, voice_auto_run_s=0.3), engine=engine, clicker=clicker,
                      capturer=capturer, use_tray=False, hotkeys=False, persist=False,
                      voice_session=session, speaker=speaker)
    yield parts
    c = parts.controller
    parts.voice.cancel()
    for w in (c.bar, c.overlay, c.selector):
        w.hide()
    if parts.menu.window is not None:
        parts.menu.window.close()


def _open_bar(qtbot: Any, parts: Any) -> None:
    parts.controller.start_ground()
    qtbot.waitUntil(lambda: parts.controller.state == "typing", timeout=5000)


def test_meter_maps_decibels_to_percent() -> None:
    assert meter_percent(-100) == 0
    assert meter_percent(-60) == 0
    assert meter_percent(-30) == 50
    assert meter_percent(0) == 100
    assert meter_percent(6) == 100


def test_panel_is_in_the_bar_named_and_reachable(qtbot: Any, voice_app: Any) -> None:
    bar, panel = voice_app.controller.bar, voice_app.voice.panel
    assert panel.parent() is bar
    assert panel.talk.accessibleName() == "Hold to talk"
    assert "Ctrl+Alt+V" in panel.talk.accessibleDescription()
    assert panel.meter.isHidden()  # only while listening


def test_spoken_instruction_runs_then_spoken_click_clicks_it(qtbot: Any, voice_app: Any, session: ScriptedSession,
                                                           speaker: RecordingSpeaker, clicker: RecordingClicker,
                                                           engine: Any) -> None:
    c, voice = voice_app.controller, voice_app.voice
    confirmations: list[tuple] = []
    c.overlay.confirmed.connect(lambda plan_id, indices, via: confirmations.append((indices, via)))
    _open_bar(qtbot, voice_app)
    session.say("click Save")
    session.say("click")
    voice.listen_bar()
    qtbot.waitUntil(lambda: c.bar.edit.text() == "click Save", timeout=5000)
    assert "Running it in a moment" in voice.panel.state.text()
    qtbot.waitUntil(lambda: engine.calls == ["click Save"], timeout=5000)  # ran without Enter
    qtbot.waitUntil(lambda: len(clicker.clicks) == 1, timeout=5000)
    assert (clicker.clicks[0].x, clicker.clicks[0].y) == (200, 150)
    assert confirmations == [((0,), "voice")]
    assert speaker.said[0] == "Two matches. Say a number."
    assert session.calls[1]["overlay_targets"] == 2  # the overlay listened for the answer


def test_overlay_understands_two_and_four_like_number_keys(qtbot: Any, voice_app: Any, session: ScriptedSession,
                                                           clicker: RecordingClicker) -> None:
    voice = voice_app.voice
    _open_bar(qtbot, voice_app)
    session.say("click all checkboxes")
    session.say("one and three")
    voice.listen_bar()
    qtbot.waitUntil(lambda: len(clicker.clicks) == 2, timeout=8000)
    assert [(k.x, k.y) for k in clicker.clicks] == [(100, 300), (100, 400)]


def test_next_moves_the_highlight_and_cancel_clicks_nothing(qtbot: Any, voice_app: Any, session: ScriptedSession,
                                                           clicker: RecordingClicker, speaker: RecordingSpeaker) -> None:
    c, voice = voice_app.controller, voice_app.voice
    _open_bar(qtbot, voice_app)
    session.say("click Save")
    session.say("next")
    session.say("cancel")
    voice.listen_bar()
    qtbot.waitUntil(lambda: c.state == "idle" and len(session.calls) == 3, timeout=8000)
    assert c.overlay.highlighted == 1
    assert any(s.startswith("Number 2: Save as") for s in speaker.said)
    qtbot.wait(200)
    assert clicker.clicks == []


def test_typing_stops_the_automatic_run(qtbot: Any, voice_app: Any, session: ScriptedSession, engine: Any) -> None:
    c, voice = voice_app.controller, voice_app.voice
    _open_bar(qtbot, voice_app)
    session.say("click Save")
    voice.listen_bar()
    qtbot.waitUntil(lambda: c.bar.edit.text() == "click Save", timeout=5000)
    qtbot.keyClicks(c.bar.edit, " as")
    qtbot.wait(600)
    assert engine.calls == []
    assert c.bar.edit.text() == "click Save as"


def test_unsure_text_waits_for_enter(qtbot: Any, voice_app: Any, session: ScriptedSession, engine: Any,
                                    speaker: RecordingSpeaker) -> None:
    c, voice = voice_app.controller, voice_app.voice
    _open_bar(qtbot, voice_app)
    session.say("the same spot on", fits=False)
    voice.listen_bar()
    qtbot.waitUntil(lambda: c.bar.edit.text() == "the same spot on", timeout=5000)
    qtbot.wait(600)
    assert engine.calls == []
    assert "not sure" in voice.panel.state.text()
    assert speaker.said == ["Did you say the same spot on? Press Enter to run it."]


def test_nothing_matched_is_said(qtbot: Any, voice_app: Any, session: ScriptedSession,
                                 speaker: RecordingSpeaker) -> None:
    c, voice = voice_app.controller, voice_app.voice
    _open_bar(qtbot, voice_app)
    session.say("click Banana")
    voice.listen_bar()
    qtbot.waitUntil(lambda: "Nothing matched Banana." in speaker.said, timeout=5000)
    assert c.bar.isVisible()


def test_no_microphone_is_a_clear_message(qtbot: Any, voice_app: Any, session: ScriptedSession) -> None:
    c, voice = voice_app.controller, voice_app.voice
    _open_bar(qtbot, voice_app)
    session.answers.append(MicrophoneUnavailable("No microphone was found.", "Connect a microphone."))
    voice.listen_bar()
    qtbot.waitUntil(lambda: "No microphone was found." in c.bar.status.text(), timeout=5000)
    assert not voice.listening and not voice.panel.listening


def test_release_stops_listening(qtbot: Any, voice_app: Any, session: ScriptedSession) -> None:
    voice = voice_app.voice
    _open_bar(qtbot, voice_app)
    voice.panel.talk.pressed.emit()  # hold to talk
    qtbot.waitUntil(lambda: voice.panel.listening and voice.panel.meter.value() > 0, timeout=5000)
    voice.panel.talk.released.emit()
    qtbot.waitUntil(lambda: not voice.listening, timeout=6000)
    assert "did not hear" in voice.panel.state.text()


def test_holding_the_hotkey_and_letting_go_ends_listening(qtbot: Any, voice_app: Any,
                                                         session: ScriptedSession) -> None:
    voice = voice_app.voice
    _open_bar(qtbot, voice_app)
    voice.hotkey()  # key down
    qtbot.waitUntil(lambda: voice.panel.listening, timeout=5000)
    qtbot.wait(450)  # held: push-to-talk
    voice.hotkey_released()
    assert voice.panel.state.text() == "Recognising\u2026"
    qtbot.waitUntil(lambda: not voice.listening, timeout=2000)  # long before the session's own 5 s wait
    assert "did not hear" in voice.panel.state.text()


def test_a_tap_of_the_hotkey_keeps_listening_until_speech_ends(qtbot: Any, voice_app: Any,
                                                              session: ScriptedSession) -> None:
    voice = voice_app.voice
    _open_bar(qtbot, voice_app)
    voice.hotkey()
    qtbot.waitUntil(lambda: voice.panel.listening, timeout=5000)
    voice.hotkey_released()  # a quick tap: the voice detector ends the utterance, not the key
    qtbot.wait(300)
    assert voice.listening
    voice.hotkey()  # a second tap stops it
    qtbot.waitUntil(lambda: not voice.listening, timeout=2000)
    voice.hotkey_released()  # the second tap's own release changes nothing
    assert not voice.listening


def test_hotkey_from_idle_opens_the_bar_and_listens(qtbot: Any, voice_app: Any, session: ScriptedSession) -> None:
    c, voice = voice_app.controller, voice_app.voice
    session.say("click Save")
    voice.hotkey()
    qtbot.waitUntil(lambda: c.bar.edit.text() == "click Save", timeout=5000)
    assert session.calls[0]["overlay_targets"] is None


def test_bare_cancel_closes_the_bar(qtbot: Any, voice_app: Any, session: ScriptedSession) -> None:
    c, voice = voice_app.controller, voice_app.voice
    _open_bar(qtbot, voice_app)
    session.say("never mind")
    voice.listen_bar()
    qtbot.waitUntil(lambda: not c.bar.isVisible(), timeout=5000)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="needs espeak-ng to synthesise speech")
def test_real_recognizer_hears_espeak_through_the_session(qtbot: Any, capturer: Any,
                                                        clicker: RecordingClicker, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The real VoiceSession (silero-vad, early recognition, pocketsphinx grammar) on synthesised speech."""
    pytest.importorskip("pocketsphinx")
    from desktop.app import build_app
    from desktop.speech.audio import read_wav
    from desktop.speech.capture import ArraySource
    from desktop.speech.session import VoiceSession
    from desktop.speech.sphinx import SphinxRecognizer

    wav = tmp_path / "say.wav"
    subprocess.run(["espeak-ng", "-v", "en-us+klatt", "-s", "170", "-w", str(wav), "click save"], check=True)
    audio = np.concatenate([np.zeros(8000, np.int16), read_wav(wav), np.zeros(16000, np.int16)])
    noise = np.random.default_rng(0).normal(0, 30, len(audio))
    audio = np.clip(audio + noise, -32768, 32767).astype(np.int16)
    session = VoiceSession(SphinxRecognizer(), source_factory=lambda: ArraySource(audio, realtime=True))
    engine = VocabularyEngine(["Save", "Save as", "Cancel", "Open settings"])
    monkeypatch.setenv("CLICK_ASSIST_CONFIG_DIR", str(tmp_path / "config"))
    parts = build_app(Settings(return_pointer=False, voice_auto_run_s=0), engine=engine, clicker=clicker,
                      capturer=capturer, use_tray=False, hotkeys=False, persist=False, voice_session=session,
                      speaker=RecordingSpeaker())
    try:
        _open_bar(qtbot, parts)
        parts.voice.listen_bar()
        qtbot.waitUntil(lambda: bool(parts.voice.heard), timeout=15000)
        heard = parts.voice.heard[0]
        assert parts.controller.bar.edit.text().lower() == "click save"
        assert heard.transcript.grammar == "screen" and heard.transcript.fits
        assert not math.isnan(heard.latency_ms)
        assert engine.asked  # the grammar was built from what the engine read on the capture
    finally:
        parts.controller.bar.hide()
        if parts.menu.window is not None:
            parts.menu.window.close()


def _kept(parts: Any) -> list[str]:
    from desktop.speech.samples import SampleStore

    return [s.text for s in SampleStore().samples()]  # the config dir is the test's own


@pytest.mark.parametrize("keep", [True, False])
def test_a_confirmed_spoken_instruction_is_kept_only_when_the_person_opted_in(
        qtbot: Any, voice_app: Any, session: ScriptedSession, clicker: RecordingClicker, keep: bool) -> None:
    voice = voice_app.voice
    voice.apply_settings(voice.settings.replace(speech_keep_samples=keep))
    _open_bar(qtbot, voice_app)
    session.say("click Save")
    session.say("click")
    voice.listen_bar()
    qtbot.waitUntil(lambda: len(clicker.clicks) == 1, timeout=5000)
    if keep:
        qtbot.waitUntil(lambda: _kept(voice_app) == ["click Save"], timeout=3000)
        from desktop.speech.samples import SampleStore

        audio, _ = SampleStore().load()[0]
        # Just the speech, with the recognizer's margin: 0.05 to 1.45 s of the 1.5 s recorded.
        assert len(audio) == int(1.4 * 16000)
    else:
        qtbot.wait(300)
        assert _kept(voice_app) == []


def test_a_cancelled_or_replaced_instruction_is_not_kept(qtbot: Any, voice_app: Any, session: ScriptedSession,
                                                          clicker: RecordingClicker, engine: Any) -> None:
    c, voice = voice_app.controller, voice_app.voice
    voice.apply_settings(voice.settings.replace(speech_keep_samples=True))
    _open_bar(qtbot, voice_app)
    session.say("click Save")
    session.say("cancel")
    voice.listen_bar()
    qtbot.waitUntil(lambda: c.state == "idle" and len(session.calls) == 2, timeout=8000)
    # Spoken, then replaced by a typed instruction that has nothing to do with it: not a label for that audio.
    _open_bar(qtbot, voice_app)
    session.say("open the trash")
    voice.listen_bar()
    qtbot.waitUntil(lambda: c.bar.edit.text() == "open the trash", timeout=5000)
    c.bar.edit.setText("click all checkboxes")
    qtbot.keyClick(c.bar.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: c.state == "confirming", timeout=5000)
    qtbot.keyClick(c.overlay, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(clicker.clicks) == 3, timeout=5000)
    qtbot.wait(300)
    assert _kept(voice_app) == []
