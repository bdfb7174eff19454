"""One spoken request from start to text: listen, recognise early at the first pause, return what was heard.

Recognition starts as soon as the speaker pauses (on a worker thread) while
listening goes on; if the pause turns out to be the end, the text is
usually ready when listening stops, so the person waits only for the
endpointer's short silence, not for recognition on top of it. Qt-free: the
GUI, the command line and the benchmark all use it.

After the text is returned, a recognizer that learns the speaker's voice
(pocketsphinx's warp for vocal tract length, :mod:`desktop.speech.warp`)
gets the request's audio on another thread, while the person reads the result.
"""

from __future__ import annotations

import inspect
import logging
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

from desktop.speech.audio import trim
from desktop.speech.capture import AudioSource, SoundDeviceSource
from desktop.speech.listen import Listener
from desktop.speech.types import Recognizer, Transcript, Utterance

__all__ = ["Heard", "VoiceSession", "TextsProvider", "screen_texts"]

logger = logging.getLogger(__name__)

#: What is on screen, possibly still being read by OCR (the callable may wait for it).
TextsProvider = Callable[[], Sequence[str]] | Sequence[str]


@dataclass(frozen=True)
class Heard:
    """The result of one spoken request.

    ``latency_ms`` runs from the moment the last speech sample arrived to
    the moment the text was ready (``NaN`` when unknown).
    """

    transcript: Transcript
    utterance: Utterance
    latency_ms: float
    early: bool = False

    @property
    def text(self) -> str:
        return self.transcript.text


class _Early:
    """Recognition started at a pause, on its own thread."""

    def __init__(self, key: tuple[float, float], run: Callable[[], Transcript]) -> None:
        self.key = key
        self.result: Transcript | None = None
        self.error: BaseException | None = None
        self.done_at = 0.0
        self._done = threading.Event()
        threading.Thread(target=self._work, args=(run,), name="speech-early", daemon=True).start()

    def _work(self, run: Callable[[], Transcript]) -> None:
        try:
            self.result = run()
        except BaseException as exc:  # re-raised by whoever waits for it
            self.error = exc
        finally:
            self.done_at = time.perf_counter()
            self._done.set()

    def ready(self) -> bool:
        return self._done.is_set()

    def join(self) -> None:
        """Wait until it has finished (with a result or an error)."""
        self._done.wait()

    def wait(self) -> Transcript:
        self._done.wait()
        if self.error is not None:
            raise self.error
        assert self.result is not None
        return self.result


class VoiceSession:
    """Listens for one request and recognises it.

    Parameters
    ----------
    recognizer
        pocketsphinx with grammars, or Whisper.
    listener
        Voice activity and endpointing (a default one when ``None``).
    source_factory
        Makes the audio source for each request (the default microphone).
    wait_for_early
        At the end of speech, wait for the recognition started at the pause
        before deciding whether the words so far make a whole command. Live,
        that recognition usually finishes within the endpointer's quiet time
        anyway; for recordings played faster than real time (the benchmark's
        ``--fast``) it makes the outcome not depend on thread timing.
    learn
        Let the recognizer learn the speaker's voice after each request
        (off for a one-shot command line run, where nothing would use it).
    """

    def __init__(self, recognizer: Recognizer, listener: Listener | None = None,
                 source_factory: Callable[[], AudioSource] = SoundDeviceSource,
                 wait_for_early: bool = False, learn: bool = True) -> None:
        self.recognizer = recognizer
        self.listener = listener or Listener()
        self.source_factory = source_factory
        self.wait_for_early = wait_for_early
        self.learn = learn
        self._learning: threading.Thread | None = None

    def listen(self, screen_texts: TextsProvider = (), *, overlay_targets: int | None = None,
               stop: threading.Event | None = None, on_level: Callable[[float], None] | None = None,
               source: AudioSource | None = None) -> Heard:
        """Listen, then recognise with the screen's (or the overlay's) grammar.

        Raises
        ------
        ClickAssistError
            No microphone, the device went away, nothing was said, or the
            recognizer is missing (see :mod:`desktop.speech.types`).
        """
        texts = screen_texts if callable(screen_texts) else (lambda: screen_texts)
        self._prepare(texts, overlay_targets)

        def recognise(audio: np.ndarray) -> Transcript:
            return self.recognizer.transcribe(audio, () if overlay_targets is not None else texts(),
                                              overlay_targets=overlay_targets)

        early: list[_Early] = []

        def on_pause(audio: np.ndarray, start: float, end: float) -> None:
            segment = trim(audio, start, end)
            early.append(_Early((start, end), lambda: recognise(segment)))

        def accept() -> bool:
            # End now only if what was said so far makes a whole command.
            last = early[-1] if early else None
            if last is not None and self.wait_for_early:
                last.join()
            return last is not None and last.ready() and last.error is None and bool(
                last.result and last.result.fits)

        utterance = self.listener.listen(source or self.source_factory(), stop=stop, on_level=on_level,
                                         on_pause=on_pause, accept=accept)
        key = (utterance.speech_start_s or 0.0, utterance.speech_end_s or 0.0)
        match = next((e for e in reversed(early) if _same(e.key, key)), None)
        speech = trim(utterance.audio, utterance.speech_start_s, utterance.speech_end_s)
        if match is not None:
            transcript = match.wait()
            ready = max(match.done_at, utterance.ended_at)
        else:
            transcript = recognise(speech)
            ready = time.perf_counter()
        self._learn(speech, texts, overlay_targets)
        latency = (ready - utterance.speech_ended_at) * 1000 if utterance.speech_ended_at else float("nan")
        logger.info("heard (%s, %s) in %.0f ms after speech", transcript.grammar,
                    "fits" if transcript.fits else "no fit", latency)
        return Heard(transcript, utterance, latency, early=match is not None)

    def settle(self, timeout: float | None = None) -> bool:
        """Wait until the recognizer has learned from the last request (``False`` if still at it after ``timeout``).

        Learning never delays a request; this is for benchmarks and tests
        that need each request to see what the previous ones taught.
        """
        thread = self._learning
        if thread is not None:
            thread.join(timeout)
            return not thread.is_alive()
        return True

    def _learn(self, speech: np.ndarray, texts: Callable[[], Sequence[str]], overlay_targets: int | None) -> None:
        """Let the recognizer learn the speaker's voice from this request, on a thread."""
        learn = getattr(self.recognizer, "learn_voice", None) if self.learn else None
        if learn is None or not len(speech):
            return

        def work() -> None:
            try:
                learn(speech, () if overlay_targets is not None else texts(), overlay_targets=overlay_targets)
            except Exception:  # learning is an optimisation; the request already has its text
                logger.warning("learning the voice from a request failed", exc_info=True)

        self._learning = threading.Thread(target=work, name="speech-learn", daemon=True)
        self._learning.start()

    def _prepare(self, texts: Callable[[], Sequence[str]], overlay_targets: int | None) -> None:
        """Build the grammar on a thread while the person speaks (when the recognizer can)."""
        prepare = getattr(self.recognizer, "prepare", None)
        if prepare is None:
            return

        def work() -> None:
            try:
                prepare(() if overlay_targets is not None else texts(), overlay_targets=overlay_targets)
            except Exception:  # recognition will report it properly
                logger.debug("preparing the grammar failed", exc_info=True)

        threading.Thread(target=work, name="speech-grammar", daemon=True).start()


def screen_texts(engine: Any, image: np.ndarray, mapping: Any = None) -> list[str]:
    """The texts the grounding engine reads on ``image`` (its first, quick pass), for the grammar.

    ``engine`` is an :class:`~desktop.grounding.engine.Engine`, or a
    :class:`~desktop.core.work.LazyEngine` around one; an engine without
    ``candidates`` (a test fake) gives no texts. The engine caches what it
    found by screen content, so grounding the same capture later is quicker.
    ``mapping`` (a live capture's) lets the accessibility tree add its names.
    """
    from desktop.core.parser import parse_instruction
    from desktop.core.sources import Screen

    real = engine.get() if hasattr(engine, "get") and not hasattr(engine, "candidates") else engine
    find = getattr(real, "candidates", None)
    if find is None:
        return []
    params = inspect.signature(find).parameters
    # Only the quick first pass (OCR, controls): the icon model adds no words.
    quick: dict[str, Any] = {"stage": 1} if "stage" in params else {}
    if mapping is not None and "mapping" in params:
        quick["mapping"] = mapping
    found = find(Screen(np.ascontiguousarray(image)), parse_instruction("click OK"), **quick)
    return sorted({c.text for c in found if c.text})


def _same(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return abs(a[0] - b[0]) < 1e-6 and abs(a[1] - b[1]) < 1e-6
