"""Offline recognition with pocketsphinx: a grammar per request, the general model as fallback.

The English acoustic model, dictionary and language models ship inside the
``pocketsphinx`` wheel, so this works on a fresh install with no download.

Each request gets a JSGF grammar built from the command words and the
phrases on the captured screen (:mod:`desktop.speech.grammar`). Whether the
grammar *fits* is judged from the grammar search's own path score: pocketsphinx
scores the best complete path relative to the best state in every frame, so
an utterance the grammar can express stays close to 0 per frame while speech
it cannot express falls behind (or reaches no end of the grammar at all).
When it does not fit, the general language model transcribes instead (its
text then needs the person's eye before it runs).

Two settings matter: lattice best-path rescoring is off (with a grammar it
can return word sequences the grammar does not allow), and the audio keeps
some silence around the speech (the acoustic model expects it). Before
decoding, the background is topped up to a floor under the speech level
(:func:`~desktop.speech.audio.raise_noise_floor`): that path score depends on
how clean the pauses and spectral valleys are, so without it the same voice
scored lower quiet than in noise and its commands were judged not to fit.

The front end's frequency axis is warped for the person's vocal tract
length (:mod:`desktop.speech.warp`): :meth:`SphinxRecognizer.learn_voice`,
run after each request off the person's wait, decodes it again at every
candidate factor and keeps the running choice. A voice adaptation, when
installed, was estimated on unwarped features, so it decodes unwarped.
"""

from __future__ import annotations

import hashlib
import logging
import math
import threading
import time
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Sequence

import numpy as np

from desktop.speech.audio import raise_noise_floor
from desktop.speech.grammar import Grammar, command_grammar, display_text, overlay_grammar, screen_phrases
from desktop.speech.pronounce import Pronouncer
from desktop.speech.repair import Lexicon, WordRepairer
from desktop.speech.types import SAMPLE_RATE, AdaptationError, RecognizerUnavailable, Transcript
from desktop.speech._front_end import FRONT_END_LOCK
from desktop.speech.warp import WARPS, WarpTracker

__all__ = ["SphinxRecognizer", "Alignment", "sphinx_available", "load_lexicon", "FIT_THRESHOLD"]

logger = logging.getLogger(__name__)

#: Natural-log path score per frame below which the grammar is judged not to
#: explain the audio. Chosen on the synthesised benchmark's ``default`` voices
#: (the highest intent accuracy that still rejects 90% of the sentences the
#: grammar cannot hold); the ``klatt`` and ``heldout`` voices only check it.
FIT_THRESHOLD = -0.0054
#: The background is topped up to this many dB under the speech level before
#: decoding (see :func:`~desktop.speech.audio.raise_noise_floor`). On the
#: benchmark's standard espeak-ng voices the median score of correctly heard
#: quiet commands rose from -0.0042 to -0.0038 (noisy ones stay at -0.0035)
#: and grammar accuracy from 76% to 83%; 30 dB helped them as much but cost
#: the Klatt voices 2 points, 40 dB did little.
NOISE_FLOOR_DB = 35.0
#: pocketsphinx settings tuned on the benchmark (see ``options``). A frame rate
#: of 80 per second (instead of 100) lets each phone last fewer frames: command
#: speech, deliberate and slow, then fits the acoustic model's durations better
#: (intent accuracy 89% → 92% on the synthesised benchmark, and faster). A word
#: insertion penalty of 0.05 (pocketsphinx's default 0.65 is for dictation) keeps
#: the grammar from filling a command with short words it never had ("click help"
#: heard as "click the ok"): the grammar's own answer was right for 85.6% → 89.8%
#: of the standard voices' requests, and the fit threshold above moved with it
#: (-0.0045 → -0.0054, chosen by the same rule).
DECODER_OPTIONS: dict[str, Any] = {"frate": 80, "wip": 0.05}
_MAX_SEARCHES = 16
_LOG10_BASE = math.log10(1.0001)
#: Rarer than this (-log10) is a word the language model never saw.
_UNSEEN = 20.0
_GENERAL = "_general"


def sphinx_available() -> bool:
    """Whether pocketsphinx (and its bundled English model) is installed."""
    import importlib.util

    return importlib.util.find_spec("pocketsphinx") is not None


class SphinxRecognizer:
    """pocketsphinx with per-request grammars; safe to call from any one thread at a time.

    Parameters
    ----------
    model_dir
        A folder with ``en-us/`` (acoustic model), ``cmudict-en-us.dict``,
        ``en-us.lm.bin`` and ``en-us-phone.lm.bin``; the bundled model when ``None``.
    pronouncer
        Pronunciations for words the dictionary lacks.
    fit_threshold
        See :data:`FIT_THRESHOLD`.
    general_fallback
        Transcribe with the general language model when the grammar does not fit.
    options
        Extra pocketsphinx settings (``lw``, ``wip``, beams), for tuning.
    noise_floor_db
        See :data:`NOISE_FLOOR_DB`; ``None`` decodes the audio as it is.
    repair_words
        Offer repaired readings of screen words OCR garbled (see :mod:`desktop.speech.repair`).
    transform
        A voice adaptation (:mod:`desktop.speech.adapt`) to use when the file
        exists; a new or changed file is picked up at the next request, and a
        broken one is ignored (with a warning) rather than stopping speech.
    warps
        Candidate frequency warp factors for the speaker's vocal tract length
        (see :mod:`desktop.speech.warp`); ``None`` or ``(1.0,)`` never warps.
    warp_file
        Where the learned warp's recent scores are kept between runs (read at
        start, written after each request learned from), so a session starts
        with the person's factor instead of learning it again.
    """

    name = "pocketsphinx"

    def __init__(self, model_dir: str | Path | None = None, pronouncer: Pronouncer | None = None,
                 fit_threshold: float = FIT_THRESHOLD, general_fallback: bool = True,
                 options: dict[str, Any] | None = None, noise_floor_db: float | None = NOISE_FLOOR_DB,
                 repair_words: bool = True, transform: str | Path | None = None,
                 warps: Sequence[float] | None = WARPS, warp_file: str | Path | None = None) -> None:
        self.model_dir = Path(model_dir) if model_dir else None
        self.pronouncer = pronouncer or Pronouncer()
        self.fit_threshold = fit_threshold
        self.general_fallback = general_fallback
        self.noise_floor_db = noise_floor_db
        self.options = {**DECODER_OPTIONS, **(options or {})}
        self._decoder: Any = None
        self._lock = threading.RLock()
        self._searches: OrderedDict[str, Grammar] = OrderedDict()
        self.repair_words = repair_words
        self._repairer: WordRepairer | None = None
        self.transform = Path(transform) if transform else None
        self._transform_key: tuple[int, int] | None = None  # the loaded file's (mtime, size)
        self.warp_tracker = WarpTracker(warps or (1.0,))
        self.warp_file = Path(warp_file) if warp_file else None
        if self.warp_file is not None:
            self.warp_tracker.restore(self.warp_file)  # the voice as the last session left it
        self._waiting = 0  # requests waiting for the lock (learning gives way to them)
        self._waiting_lock = threading.Lock()

    # -- set-up ------------------------------------------------------------------
    def _model(self) -> Path:
        if self.model_dir is not None:
            return self.model_dir
        from pocketsphinx import get_model_path

        return Path(get_model_path()) / "en-us"

    @property
    def adapted(self) -> bool:
        """Whether the loaded model uses a voice adaptation."""
        return self._decoder is not None and self._transform_key is not None

    def _ensure(self) -> Any:
        key = self._transform_file()
        if self._decoder is not None and key == self._transform_key:
            return self._decoder
        if self._decoder is not None:
            logger.info("the voice adaptation changed; reloading the speech model")
            self._decoder = None
            self._searches.clear()
        options = dict(self.options)
        if key is not None:
            options["mllr"] = str(self.transform)
        self._transform_key = key
        try:
            from pocketsphinx import Decoder
        except ImportError as exc:
            raise RecognizerUnavailable("The speech recognizer (pocketsphinx) is not installed.",
                                        "Install it with: pip install pocketsphinx") from exc
        model = self._model()
        try:
            with FRONT_END_LOCK:  # building a front end resets the process-wide warp
                decoder = Decoder(hmm=str(model / "en-us"), dict=str(model / "cmudict-en-us.dict"),
                                  lm=str(model / "en-us.lm.bin"), samprate=SAMPLE_RATE, bestpath=False,
                                  loglevel="ERROR", **options)
            decoder.add_lm_file(_GENERAL, str(model / "en-us.lm.bin"))
        except (RuntimeError, ValueError, OSError) as exc:
            raise RecognizerUnavailable(f"The speech model in {model} could not be loaded ({exc}).",
                                        "Reinstall pocketsphinx, or fix the model folder in Settings.") from exc
        self._decoder = decoder
        return decoder

    @property
    def warp(self) -> float:
        """The warp factor the next request is decoded with (1.0 with a voice adaptation)."""
        return 1.0 if self.adapted else self.warp_tracker.current


    def _transform_file(self) -> tuple[int, int] | None:
        """The usable voice adaptation file's (mtime, size), or ``None`` (none, or not valid)."""
        if self.transform is None:
            return None
        try:
            stat = self.transform.stat()
        except OSError:
            return None
        key = (stat.st_mtime_ns, stat.st_size)
        if key == self._transform_key:
            return key
        from desktop.speech.mllr import read_transform
        from desktop.speech.sphinx_model import stream_sizes

        try:
            read_transform(self.transform, stream_sizes(self._model() / "en-us"))
        except AdaptationError as exc:
            logger.warning("not using the voice adaptation: %s", exc.user_message)
            return None
        return key

    def warm_up(self) -> None:
        """Load the model (about 0.4 s) and the repair word lists (0.2 s) now instead of on the first request."""
        with self._lock:
            self._ensure()
            self._repair()

    def prepare(self, screen_texts: Sequence[str] = (), *, overlay_targets: int | None = None) -> None:
        """Build (and cache) the grammar for these words now, while the person is still speaking.

        Compiling a grammar and finding pronunciations costs more than
        decoding with it; done ahead, recognition at the end of speech only decodes.
        """
        with self._turn():
            self._activate(self._ensure(), self._grammar(screen_texts, overlay_targets))

    def _grammar(self, screen_texts: Sequence[str], overlay_targets: int | None) -> Grammar:
        if overlay_targets is not None:
            return overlay_grammar(overlay_targets)
        return command_grammar(screen_phrases(screen_texts, repair=self._repair()))

    def _repair(self) -> WordRepairer | None:
        """The word repairer over the model's own dictionary and language model, loaded once."""
        if self.repair_words and self._repairer is None:
            try:
                self._repairer = WordRepairer(load_lexicon(self._model()))
            except (ImportError, OSError, ValueError, RuntimeError) as exc:
                logger.warning("no repaired readings of screen words (%s)", exc)
                self.repair_words = False
        return self._repairer

    # -- recognition ---------------------------------------------------------------
    def preprocess(self, audio: np.ndarray) -> np.ndarray:
        """The samples the decoder is given for ``audio`` (the noise floor topped up)."""
        samples = np.ascontiguousarray(audio, dtype=np.int16)
        if self.noise_floor_db is not None:
            samples = raise_noise_floor(samples, self.noise_floor_db)
        return samples

    def transcribe(self, audio: np.ndarray, screen_texts: Sequence[str] = (), *,
                   overlay_targets: int | None = None) -> Transcript:
        """Recognize ``audio`` (16 kHz mono int16) with the screen (or overlay) grammar.

        Returns
        -------
        Transcript
            ``grammar`` says which search produced the text; ``fits`` is
            ``False`` when the grammar did not explain the audio.
        """
        start = time.perf_counter()
        timings: dict[str, float] = {}
        raw = self.preprocess(audio).tobytes()
        with self._turn():
            decoder = self._ensure()
            grammar = self._grammar(screen_texts, overlay_targets)
            name = self._activate(decoder, grammar)
            warp = self.warp
            timings["grammar"] = _ms(start)
            heard, score = _decode(decoder, name, raw, warp)
            timings["decode"] = _ms(start) - timings["grammar"]
            fits = bool(heard) and score >= self.fit_threshold
            if fits:
                text = display_text(heard, grammar.phrases)
                return Transcript(text, grammar.name, True, score, _ms(start), heard, timings, warp)
            logger.debug("grammar %s did not fit (%r, score %.4f)", grammar.name, heard, score)
            if overlay_targets is not None or not self.general_fallback:
                return Transcript(heard, grammar.name, False, score, _ms(start), heard, timings, warp)
            general, _ = _decode(decoder, _GENERAL, raw, warp)
            timings["general"] = _ms(start) - sum(timings.values())
            return Transcript(general, "general", False, score, _ms(start), heard, timings, warp)

    def learn_voice(self, audio: np.ndarray, screen_texts: Sequence[str] = (), *,
                    overlay_targets: int | None = None) -> float | None:
        """Decode a finished request again at every candidate warp factor and update the speaker's choice.

        For after a request, off the person's wait (:class:`~desktop.speech.session.VoiceSession`
        runs it on a thread): it costs one grammar decode per candidate, and
        gives way to a new request (between decodes) rather than delay it.

        Returns
        -------
        float or None
            The factor chosen now; ``None`` when nothing was learned (a request
            came, a voice adaptation is in use, there is only one factor, or
            the grammar found no path through the audio at any factor).
        """
        if len(self.warp_tracker.warps) < 2:
            return None
        raw = self.preprocess(audio).tobytes()
        with self._lock:
            decoder = self._ensure()
            if self.adapted:
                return None
            name = self._activate(decoder, self._grammar(screen_texts, overlay_targets))
        scores: dict[float, float] = {}
        for warp in self.warp_tracker.warps:
            if self._waiting:
                logger.debug("a request came; not learning the warp from this one")
                return None
            with self._lock:
                if self._decoder is not decoder:  # reloaded meanwhile (a new adaptation)
                    return None
                _, scores[warp] = _decode(decoder, name, raw, warp)
        if all(math.isinf(score) for score in scores.values()):
            return None  # no factor found a path: nothing to learn from
        with self._lock:
            chosen = self.warp_tracker.observe(scores)
        if self.warp_file is not None:
            self.warp_tracker.save(self.warp_file)
        logger.debug("warp scores %s: now %.2f", {w: round(s, 5) for w, s in scores.items()}, chosen)
        return chosen

    @contextmanager
    def _turn(self) -> Iterator[None]:
        """The lock, for a request: :meth:`learn_voice` stops at its next step while one waits."""
        with self._waiting_lock:
            self._waiting += 1
        try:
            self._lock.acquire()
        finally:
            with self._waiting_lock:
                self._waiting -= 1
        try:
            yield
        finally:
            self._lock.release()

    def align(self, audio: np.ndarray, text: str) -> Alignment | None:
        """Which model state each frame of ``audio`` belongs to when it says ``text`` (for adaptation).

        ``text`` is lower-case words; ones the dictionary lacks get
        pronunciations as for grammars. ``None`` when the words cannot be
        lined up with the audio at all.
        """
        raw = self.preprocess(audio).tobytes()
        with self._turn():
            decoder = self._ensure()
            self._add_words(decoder, frozenset(text.split()))
            try:
                # Adaptation is estimated from unwarped features (desktop.speech.sphinx_model.FrontEnd).
                with FRONT_END_LOCK:
                    _warp_front_end(decoder, 1.0)
                    decoder.set_align_text(text)
                    # A word-level pass first; the state-level pass then follows its path.
                    _run(decoder, raw)
                    hyp = decoder.hyp()
                    if hyp is None:
                        return None
                    score = math.log(max(hyp.score, 1e-300)) / max(1, decoder.n_frames())
                    decoder.set_alignment()
                    _run(decoder, raw)  # (asking this pass for a hypothesis crashes pocketsphinx 5.1.1)
                found = decoder.get_alignment()
            except RuntimeError as exc:
                logger.debug("could not align %r: %s", text, exc)
                return None
            if found is None:
                return None
            phones, senones = [], []
            for word in found.words():
                for phone in word:
                    for state in phone:
                        phones += [phone.name] * state.duration
                        senones += [int(state.name)] * state.duration
        return Alignment(tuple(phones), np.array(senones, dtype=np.int64), score)

    def _activate(self, decoder: Any, grammar: Grammar) -> str:
        """Add ``grammar`` as a search (cached by content) after giving every word a pronunciation."""
        name = "g" + hashlib.blake2b(grammar.jsgf.encode(), digest_size=8).hexdigest()
        if name in self._searches:
            self._searches.move_to_end(name)
            return name
        self._add_words(decoder, grammar.words)
        try:
            decoder.add_jsgf_string(name, grammar.jsgf)
        except (ValueError, RuntimeError) as exc:  # a bug here, not the person's fault
            logger.exception("the %s grammar was refused", grammar.name)
            raise RecognizerUnavailable("The speech grammar could not be built.", str(exc)) from exc
        self._searches[name] = grammar
        while len(self._searches) > _MAX_SEARCHES:
            old, _ = self._searches.popitem(last=False)
            decoder.remove_search(old)
        return name

    def _add_words(self, decoder: Any, words: frozenset[str]) -> None:
        missing = sorted(w for w in words if decoder.lookup_word(w) is None)
        if not missing:
            return
        known = self.pronouncer.pronunciations(missing)
        entries = [(word if i == 0 else f"{word}({i + 1})", " ".join(phones))
                   for word in missing for i, phones in enumerate(known.get(word, ())) if phones]
        for k, (word, phones) in enumerate(entries):
            # Only the last addition rebuilds the decoder's word tables.
            decoder.add_word(word, phones, k == len(entries) - 1)
        still = [w for w in missing if decoder.lookup_word(w) is None]
        if still:
            raise RecognizerUnavailable(f"No pronunciation for {', '.join(still[:5])}.",
                                        "Install espeak-ng for letter-to-sound rules.")
        logger.debug("added %d pronunciations for %s", len(entries), ", ".join(missing[:20]))



def load_lexicon(model: Path) -> Lexicon:
    """The repair word lists from a model folder: every dictionary word, and unigram rarities.

    The dictionary's words (names included) are never repaired; the language
    model's unigram probabilities say which words are common.
    """
    from pocketsphinx import NGramModel

    known: set[str] = set()
    with open(model / "cmudict-en-us.dict", encoding="utf-8") as lines:
        for line in lines:
            known.add(line.split(" ", 1)[0].split("(", 1)[0])
    lm = NGramModel.readfile(str(model / "en-us.lm.bin"))
    # prob() gives a log in base 1.0001 (pocketsphinx's LogMath); words it lacks come back hugely negative.
    rarity = {w: -lm.prob([w]) * _LOG10_BASE for w in known if w.isalpha() and w.isascii()}
    return Lexicon({w: r for w, r in rarity.items() if r < _UNSEEN}, frozenset(known))


@dataclass(frozen=True, eq=False)
class Alignment:
    """A forced alignment: for each frame, its phone and the senone (tied HMM state) that explains it.

    ``score`` is the path's natural-log score per frame (as :attr:`Transcript.score`).
    """

    phones: tuple[str, ...]
    senones: np.ndarray
    score: float


def _run(decoder: Any, raw: bytes) -> None:
    """Decode ``raw`` with the active search.

    The utterance is always ended: one left open (pocketsphinx raised on
    empty audio) made every later request fail ("Cannot change search while decoding").
    """
    decoder.start_utt()
    try:
        if raw:
            decoder.process_raw(raw, no_search=False, full_utt=True)
    finally:
        decoder.end_utt()


def _warp_front_end(decoder: Any, warp: float) -> None:
    """Rebuild the decoder's front end (about 0.2 ms) at ``warp``; hold :data:`FRONT_END_LOCK` until decoded.

    The warp's parameters are process-wide in pocketsphinx (see
    :mod:`desktop.speech._front_end`), so they are set for every decode,
    1.0 included, never assumed to be as this decoder left them.
    """
    decoder.config["warp_type"] = "inverse_linear"
    if warp == 1.0:
        decoder.config["warp_params"] = None  # no warp at all, exactly as a fresh front end (and MLLR's)
        decoder.reinit_feat()
        return
    # pocketsphinx skips parameters spelt as the last ones it set, even when a front end built
    # since (with no warp) turned them off: two spellings of the same number, one after the
    # other, always leave this one in force.
    for spelling in (f"{warp:.4f}", f"{warp:.5f}"):
        decoder.config["warp_params"] = spelling
        decoder.reinit_feat()


def _decode(decoder: Any, search: str, raw: bytes, warp: float = 1.0) -> tuple[str, float]:
    """Decode ``raw`` with ``search`` at ``warp``, from a fresh front end: the words and the path score per frame.

    The model's ``feat.params`` turn on noise removal, whose noise estimate
    otherwise carries over from one decode to the next: the same audio
    scored -0.00269, then -0.00266, then -0.00264 per frame as other decodes
    came between (the general model's, or :meth:`SphinxRecognizer.learn_voice`'s).
    Rebuilding the front end makes each result depend on its own audio only.
    The score is a natural log.
    """
    with FRONT_END_LOCK:
        decoder.activate_search(search)
        _warp_front_end(decoder, warp)
        _run(decoder, raw)
    hyp = decoder.hyp()
    if hyp is None or not hyp.hypstr.strip():
        return "", float("-inf")
    frames = max(1, decoder.n_frames())
    # ``score`` comes back as a probability; its log is the path's shortfall from the best state.
    return hyp.hypstr.strip(), math.log(max(hyp.score, 1e-300)) / frames


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000
