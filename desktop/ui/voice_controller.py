"""Speech in the GUI: push-to-talk into the bar, voice answers on the overlay, spoken feedback.

Listening and recognition run in :class:`~desktop.ui.worker.BackgroundOp`;
what was heard goes into the bar's text field (editable) and runs after a
short pause unless the person starts typing; on the overlay, "click two",
"all", "next" or "cancel" do exactly what the matching key does (the
overlay's own signals carry them, with ``via="voice"``).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any, Callable, Sequence

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QBoxLayout

from desktop.core.errors import ClickAssistError
from desktop.core.settings import Settings
from desktop.core.voice_commands import (VoiceAction, is_bar_cancel, nothing_announcement, overlay_action,
                                         plan_announcement)
from desktop.core.work import Cancelled
from desktop.speech.audio import trim
from desktop.speech.samples import SampleStore
from desktop.speech.session import Heard, VoiceSession, screen_texts
from desktop.speech.tts import Speaker
from desktop.speech.types import NoSpeechHeard
from desktop.ui.controller import NOTHING_HINT, Controller
from desktop.ui.voice import VoicePanel
from desktop.ui.worker import BackgroundOp

__all__ = ["VoiceController", "ScreenVocabulary", "build_voice"]

logger = logging.getLogger(__name__)

#: Unclear answers on the overlay before it stops listening (keys still work).
MAX_OVERLAY_TRIES = 3
#: Wait at most this long for OCR to give the screen's words to the grammar.
VOCABULARY_WAIT_S = 10.0
#: A push-to-talk key held at least this long ends the utterance when let go;
#: after a shorter tap, listening goes on until the speech ends (or another tap).
HOLD_TO_TALK_S = 0.35
#: A spoken instruction the person edited before running it is kept for voice
#: adaptation only if still this similar (0–100) to what was heard: a small
#: correction labels the recording better, a new instruction does not match it.
KEEP_EDITED_SIMILARITY = 60.0


class ScreenVocabulary:
    """The capture's texts, read by the engine on a thread started at once; ``__call__`` waits for them."""

    def __init__(self, engine: Any, image: Any, mapping: Any = None) -> None:
        self._texts: list[str] = []
        self._done = threading.Event()
        threading.Thread(target=self._read, args=(engine, image, mapping), name="speech-vocabulary",
                         daemon=True).start()

    def _read(self, engine: Any, image: Any, mapping: Any) -> None:
        start = time.perf_counter()
        try:
            self._texts = screen_texts(engine, image, mapping)
            logger.info("timing screen_words_ms: %.0f ms (%d texts)", (time.perf_counter() - start) * 1000,
                        len(self._texts))
        except Exception:  # no words is still a usable grammar (the command words)
            logger.warning("could not read the screen's words for speech", exc_info=True)
        finally:
            self._done.set()

    def __call__(self) -> Sequence[str]:
        if not self._done.wait(VOCABULARY_WAIT_S):
            logger.warning("the screen's words were not ready in time; recognising without them")
        return self._texts


class VoiceController(QObject):
    """Connects a :class:`VoiceSession` and a :class:`Speaker` to the app's controller and widgets."""

    level = Signal(float)  # emitted from the listening thread, delivered on the GUI thread

    def __init__(self, controller: Controller, settings: Settings, session: VoiceSession,
                 speaker: Speaker, samples: SampleStore | None = None) -> None:
        super().__init__()
        self.c, self.settings, self.session, self.speaker = controller, settings, session, speaker
        self.samples = samples
        self.panel = VoicePanel(settings.hotkey_voice)
        layout = controller.bar.layout()
        assert isinstance(layout, QBoxLayout)
        layout.insertWidget(1, self.panel)  # under the text field, above progress and status
        self.panel.talk_pressed.connect(self.listen_bar)
        self.panel.talk_released.connect(self.release)
        self.level.connect(self.panel.set_level)
        controller.planned.connect(self._planned)
        controller.message_shown.connect(self._message)
        controller.state_changed.connect(self._state_changed)
        controller.executed.connect(self._executed)
        controller.bar.submitted.connect(self._submitted)
        controller.bar.edit.textEdited.connect(self._edited)
        self.auto_run = QTimer(self)
        self.auto_run.setSingleShot(True)
        self.auto_run.timeout.connect(self._auto_run)
        self.op: BackgroundOp[Heard] | None = None
        self.stop_event: threading.Event | None = None
        self.mode = ""
        self.voice_turn = False
        self.pending = False
        self.overlay_tries = 0
        self.last_instruction = ""
        self.heard: list[Heard] = []
        self._bar_heard: Heard | None = None  # the last spoken instruction put into the bar
        self._to_keep: tuple[Heard, str] | None = None  # what ran from it, kept once it is clicked
        self._vocab: tuple[int, ScreenVocabulary] | None = None
        self._key_down: float | None = None  # when the push-to-talk key went down to start listening

    # -- entry points -------------------------------------------------------------
    @property
    def listening(self) -> bool:
        return self.op is not None

    def hotkey(self) -> None:
        """The push-to-talk hotkey went down: listen wherever the person is (or stop listening)."""
        self._key_down = None
        if self.listening:
            self.release()
            return
        self._key_down = time.monotonic()
        if self.c.state == "confirming":
            self.listen_overlay()
        elif self.c.bar.isVisible() and self.c.state == "typing":
            self.listen_bar()
        else:
            self.pending = True  # listen as soon as the bar is open
            self.c.start_ground()

    def hotkey_released(self) -> None:
        """The push-to-talk hotkey was let go: after holding it, that ends the utterance."""
        down, self._key_down = self._key_down, None
        if down is not None and time.monotonic() - down >= HOLD_TO_TALK_S and self.listening:
            self.release()

    def listen_bar(self) -> None:
        """Listen for an instruction for the bar (the screen's words make the grammar)."""
        capture = self.c.capture
        if capture is None or self.c.bar.busy:
            return
        self.auto_run.stop()
        self._start("bar", self._vocabulary(capture), None)

    def _vocabulary(self, capture: Any) -> ScreenVocabulary:
        """The words on ``capture`` (read once per capture, from when the bar opens)."""
        key = id(capture)
        if self._vocab is None or self._vocab[0] != key:
            self._vocab = (key, ScreenVocabulary(self.c.engine, capture.image, getattr(capture, "mapping", None)))
        return self._vocab[1]

    def listen_overlay(self) -> None:
        """Listen for an answer on the overlay ("click two", "all", "cancel")."""
        if self.c.plan is None or self.c.state != "confirming":
            return
        self._start("overlay", (), len(self.c.overlay.markers), wait_for_speaker=True)

    def release(self) -> None:
        """The button or key was let go: stop listening and recognise what came."""
        if self.stop_event is not None:
            self.stop_event.set()
            self.panel.set_state("Recognising\u2026")

    def cancel(self) -> None:
        """Stop listening and drop whatever was heard."""
        if self.op is not None:
            self.op.cancel()
            self.op = None
        if self.stop_event is not None:
            self.stop_event.set()
        self.panel.set_listening(False)

    # -- listening -----------------------------------------------------------------
    def _start(self, mode: str, texts: Any, overlay_targets: int | None, wait_for_speaker: bool = False) -> None:
        self.cancel()
        if not wait_for_speaker:
            self.speaker.stop()  # never record our own voice
        stop = self.stop_event = threading.Event()
        self.mode = mode
        self.panel.set_listening(True)
        session, speaker, level = self.session, self.speaker, self.level

        def work(token: Any) -> Heard:
            if wait_for_speaker:
                speaker.wait(6.0)
            token.check()
            return session.listen(texts, overlay_targets=overlay_targets, stop=stop, on_level=level.emit)

        self.op = BackgroundOp(work, self._heard, self._failed, name=f"listen-{mode}")
        self.op.run_in_background()
        logger.info("listening (%s)", mode)

    def _heard(self, heard: Heard) -> None:
        self.op = None
        self.panel.set_listening(False)
        self.heard.append(heard)
        logger.info("timing speech_to_text_ms: %.0f ms", heard.latency_ms)
        for note in heard.utterance.notes:
            self.c.notify(note)
        if self.mode == "overlay":
            self._overlay_answer(heard)
        else:
            self._bar_answer(heard)

    def _failed(self, exc: BaseException) -> None:
        self.op = None
        self.panel.set_listening(False)
        if isinstance(exc, Cancelled):
            return
        if not isinstance(exc, ClickAssistError):
            logger.error("listening failed", exc_info=exc)
            exc = ClickAssistError("Speech input failed.", str(exc))
        assert isinstance(exc, ClickAssistError)
        logger.info("listening (%s) ended without words: %s", self.mode, exc.user_message)
        self.say(exc.user_message, force=self.mode == "overlay")
        if self.mode == "overlay" or isinstance(exc, NoSpeechHeard):
            self.panel.set_state(f"{exc.user_message} {exc.hint}".strip())
            if self.mode == "overlay":
                self.c.notify(exc.user_message)
            return
        self.c.bar.show_message(exc.user_message, exc.hint)

    # -- the bar ---------------------------------------------------------------------
    def _bar_answer(self, heard: Heard) -> None:
        text = heard.text.strip()
        bar = self.c.bar
        if not text:
            self.panel.set_state("I did not catch that. Hold the button and try again, or type.")
            return
        if is_bar_cancel(text):
            bar.close_button.click()  # exactly what Close does
            return
        self.voice_turn = True
        self._bar_heard = heard
        bar.edit.setText(text)
        bar.edit.setFocus()
        delay = self.settings.voice_auto_run_s
        if heard.transcript.fits and delay > 0:
            self.panel.set_state(f"Heard \u201c{text}\u201d. Running it in a moment; type to change it.")
            self.auto_run.setProperty("text", text)
            self.auto_run.start(int(delay * 1000))
        else:
            self.panel.set_state(f"Heard \u201c{text}\u201d (not sure). Check it, then press Enter.")
            self.say(f"Did you say {text}? Press Enter to run it.")

    def _auto_run(self) -> None:
        bar = self.c.bar
        if bar.isVisible() and not bar.busy and bar.edit.text() == self.auto_run.property("text"):
            bar.run_button.click()  # as if the person pressed Run

    def _edited(self, _text: str) -> None:
        if self.auto_run.isActive():
            self.auto_run.stop()
            self.panel.set_state("Edit the instruction, then press Enter.")

    def _submitted(self, text: str) -> None:
        self.last_instruction = text
        self.auto_run.stop()
        heard, self._bar_heard = self._bar_heard, None
        self._to_keep = (heard, text) if heard is not None and _same_command(heard.text, text) else None

    def _executed(self, _report: Any) -> None:
        """A confirmed plan was clicked: keep the spoken instruction's recording when the person opted in."""
        keep, self._to_keep = self._to_keep, None
        if keep is None or not self.settings.speech_keep_samples:
            return
        heard, text = keep
        u = heard.utterance
        audio = trim(u.audio, u.speech_start_s, u.speech_end_s)
        store = self.samples = self.samples or SampleStore()
        # Writing a file is quick, but never on the GUI thread.
        threading.Thread(target=_keep, args=(store, audio, text), name="speech-keep", daemon=True).start()

    # -- the overlay -------------------------------------------------------------------
    def _overlay_answer(self, heard: Heard) -> None:
        plan, overlay = self.c.plan, self.c.overlay
        if plan is None or self.c.state != "confirming" or not overlay.markers:
            return
        action = overlay_action(heard.text, len(overlay.markers))
        logger.info("overlay answer %r → %s %s", heard.text, action.kind, action.indices)
        self._apply(action, plan.plan_id)

    def _apply(self, action: VoiceAction, plan_id: str) -> None:
        overlay = self.c.overlay
        markers = overlay.markers
        if action.kind in ("confirm", "choose", "all"):
            if action.kind == "all":
                indices = tuple(m.index for m in markers)
            elif action.kind == "confirm":
                indices = (tuple(m.index for m in markers) if overlay.wants_all
                           else (markers[overlay.highlighted].index,))
            else:
                indices = tuple(markers[i].index for i in action.indices)
            overlay.confirmed.emit(plan_id, indices, "voice")
        elif action.kind == "cancel":
            overlay.cancelled.emit(plan_id)
        elif action.kind in ("next", "previous"):
            overlay.highlighted = (overlay.highlighted + (1 if action.kind == "next" else -1)) % len(markers)
            overlay.update()
            m = markers[overlay.highlighted]
            self.say(f"Number {overlay.highlighted + 1}: {m.label}.", force=True)
            self.listen_overlay()
        else:
            self.overlay_tries += 1
            if action.kind == "repeat":
                self._announce(force=True)
            else:
                self.say(action.message, force=True)
            if self.overlay_tries < MAX_OVERLAY_TRIES:
                self.listen_overlay()

    def _planned(self, plan: Any) -> None:
        self.overlay_tries = 0
        # The overlay is shown right after this signal (or the plan is auto-clicked): look once it is.
        QTimer.singleShot(0, self._after_plan)

    def _after_plan(self) -> None:
        if self.c.state != "confirming":
            return
        self._announce()
        if self.voice_turn and self.settings.speech_input:
            self.listen_overlay()

    def _announce(self, force: bool = False) -> None:
        markers = self.c.overlay.markers
        self.say(plan_announcement(tuple(m.label for m in markers), self.c.overlay.wants_all), force=force)

    # -- feedback ------------------------------------------------------------------------
    def feedback_on(self) -> bool:
        policy = self.settings.spoken_feedback
        return policy == "always" or (policy == "voice" and self.voice_turn)

    def say(self, text: str, force: bool = False) -> None:
        """Speak ``text`` when spoken feedback applies (``force``: the person is using voice right now)."""
        if text and (self.feedback_on() or (force and self.settings.spoken_feedback != "off")):
            self.speaker.say(text)

    def _message(self, message: str, hint: str) -> None:
        if hint == NOTHING_HINT:
            self.say(nothing_announcement(_target_of(self.last_instruction) or message))
        else:
            self.say(message)

    def _state_changed(self, state: str) -> None:
        if state == "typing" and self.settings.speech_input and self.c.capture is not None:
            # Start reading the screen's words now: they are what the grammar is made of, and
            # grounding reuses what the engine found.
            self._vocabulary(self.c.capture)
        if state == "typing" and self.pending:
            self.pending = False
            QTimer.singleShot(0, self.listen_bar)
        elif state == "idle":
            self.pending = False
            self.voice_turn = False
            self.auto_run.stop()
            if self.listening:
                self.cancel()
        elif self.mode == "overlay" and state != "confirming" and self.listening:
            self.cancel()

    def apply_settings(self, settings: Settings) -> None:
        self.settings = settings
        self.panel.set_hotkey(settings.hotkey_voice)
        self.panel.setVisible(settings.speech_input)


def _same_command(heard: str, ran: str) -> bool:
    """Whether what ran is what was heard, or a small correction of it (see :data:`KEEP_EDITED_SIMILARITY`)."""
    from rapidfuzz import fuzz

    a, b = " ".join(heard.lower().split()), " ".join(ran.lower().split())
    return a == b or fuzz.ratio(a, b) >= KEEP_EDITED_SIMILARITY


def _keep(store: SampleStore, audio: Any, text: str) -> None:
    try:
        store.add(audio, text)
    except OSError as exc:  # a full disk must not disturb the app
        logger.warning("could not keep the voice recording: %s", exc)


def _target_of(instruction: str) -> str:
    """What an instruction names ("click the Save button" → "Save"), for "Nothing matched save."."""
    from desktop.core.parser import parse_instruction

    try:
        steps = parse_instruction(instruction).steps
    except ClickAssistError:
        return instruction
    return steps[0].target if steps and steps[0].target else instruction


def _warm(session: VoiceSession) -> None:
    try:
        session.recognizer.warm_up()
    except ClickAssistError as exc:  # said again, with its hint, when the person tries to speak
        logger.warning("speech recognizer unavailable: %s", exc.user_message)


def build_voice(controller: Controller, settings: Settings, session_factory: Callable[[], VoiceSession] | None = None,
                speaker: Speaker | None = None) -> VoiceController:
    """The voice controller with the real recognizer, microphone and espeak-ng (or the given fakes)."""
    from desktop.speech import make_recognizer
    from desktop.speech.tts import make_speaker

    if session_factory is not None:
        session = session_factory()
    else:
        session = VoiceSession(make_recognizer(settings))
        # Load the speech model in the background now, not when the person first speaks.
        threading.Thread(target=_warm, args=(session,), name="speech-warm-up", daemon=True).start()
    return VoiceController(controller, settings, session, speaker or make_speaker(settings.spoken_feedback != "off"))
