"""The grounding engine: screenshot + instruction → click points with calibrated confidence.

It runs the candidate sources (each caches by screen content), resolves the
parsed instruction against what they found, and caches whole answers so a
repeated instruction on the same screen costs almost nothing.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import OrderedDict
from dataclasses import replace
from pathlib import Path
from typing import Sequence

import numpy as np

from desktop.core.calibration import Calibrator, load_calibrator
from desktop.core.errors import BackendFailed, BackendUnavailable, ClickAssistError
from desktop.core.geometry import ScreenMapping
from desktop.core.images import load_image, load_reference
from desktop.core.intent import Intent
from desktop.core.parser import parse_instruction
from desktop.core.ranking import TextSimilarity
from desktop.core.resolve import Resolution, resolve
from desktop.core.results import Candidate, GroundingResult, Prediction
from desktop.core.sources import CandidateSource, Screen, SourceRequest, content_digest
from desktop.core.textmatch import tokenize
from desktop.grounding.registry import DEFAULT_ORDER, LAST_STAGE, SOURCES, create_source, stage_of

__all__ = ["Engine", "ImageInput"]

logger = logging.getLogger(__name__)

ImageInput = np.ndarray | str | os.PathLike | Screen | bytes


class Engine:
    """Ground instructions on screenshots with every available candidate source.

    Parameters
    ----------
    sources
        Names of candidate sources to use (``ocr``, ``controls``, ``template``,
        ``a11y``, ``icons``), or source objects. ``None`` uses every available
        one; a named source that is unavailable raises :class:`BackendUnavailable`.
    semantic
        Use MiniLM meaning-level matching for synonyms ("trash" → Delete).
    calibration
        ``"fitted"`` (shipped weights), ``"default"`` or ``"off"`` (raw scores).
    """

    def __init__(self, sources: Sequence[str | CandidateSource] | None = None, *, semantic: bool = True,
                 calibration: str | Calibrator = "fitted", cache_size: int = 64) -> None:
        self._explicit = sources is not None
        self._sources = self._make_sources(sources)
        self._calibrator = calibration if isinstance(calibration, Calibrator) else load_calibrator(calibration)
        self._similarity: TextSimilarity | None = self._make_similarity() if semantic else None
        self._lock = threading.Lock()
        self._cache_size = cache_size
        self._results: OrderedDict[tuple, GroundingResult] = OrderedDict()
        self._candidates: OrderedDict[tuple, tuple[Candidate, ...]] = OrderedDict()

    @property
    def source_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self._sources)

    def _make_sources(self, names: Sequence[str | CandidateSource] | None) -> list[CandidateSource]:
        if names is not None:
            wanted = list(dict.fromkeys(names))
            if not wanted:
                raise BackendUnavailable("No candidate source was named.", "Name one, e.g. --backend ocr.")
            made = [create_source(n) if isinstance(n, str) else n for n in wanted]
            return sorted(made, key=lambda s: _order_key(s.name))
        made = []
        for name in DEFAULT_ORDER:
            try:
                made.append(create_source(name))
            except BackendUnavailable as exc:
                logger.info("source %s not used: %s", name, exc.user_message)
        if not made:
            raise BackendUnavailable("No candidate source is available.", SOURCES["ocr"].hint)
        return made

    @staticmethod
    def _make_similarity() -> TextSimilarity | None:
        from desktop.grounding.semantic import minilm_available, shared_similarity

        if not minilm_available():
            logger.info("MiniLM not installed: synonyms will not be matched")
            return None
        return shared_similarity()

    def warm_up(self) -> None:
        """Load every model now (otherwise each loads on first use)."""
        for source in self._sources:
            warm = getattr(source, "warm_up", None)
            if callable(warm):
                warm()
        warm = getattr(self._similarity, "warm_up", None)
        if callable(warm):
            warm()

    def ground(self, image: ImageInput, instruction: str, *, min_clicks: int | None = None,
               max_clicks: int | None = None, reference: ImageInput | None = None,
               mapping: ScreenMapping | None = None) -> GroundingResult:
        """Find what ``instruction`` names in ``image``.

        ``mapping`` says the image is a live capture of this screen (and how
        its pixels map to the pointer): only then do live sources such as the
        accessibility tree take part.

        Returns
        -------
        GroundingResult
            Predictions sorted by confidence (or in click order for sequences),
            in image pixels; ``message`` says why when nothing matched.

        Raises
        ------
        ClickAssistError
            Bad image, bad instruction, bad click bounds, bad reference, or
            every source failing. Never any other exception.
        """
        start = time.perf_counter()
        intent = parse_instruction(instruction, min_clicks=min_clicks, max_clicks=max_clicks)
        screen = image if isinstance(image, Screen) else Screen(load_image(_as_loadable(image)))
        ref = None if reference is None else _load_reference(reference)
        ref_key = None if ref is None else content_digest(ref)
        key = (screen.digest, instruction, min_clicks, max_clicks, ref_key, mapping)
        with self._lock:
            cached = self._results.get(key)
            if cached is not None:
                self._results.move_to_end(key)
        if cached is not None:
            return replace(cached, elapsed_ms=(time.perf_counter() - start) * 1000, timings_ms={"cache": 0.0})
        timings: dict[str, float] = {}
        resolved_intent = _for_reference(intent) if ref is not None else intent
        stages = self._stages(live=mapping is not None)
        for n, stage in enumerate(stages):
            candidates = self.candidates(screen, intent, ref, timings, stage=stage, mapping=mapping,
                                         ask_models=True)
            resolution = self._resolve(resolved_intent, candidates, timings)
            if n + 1 < len(stages) and _confident(resolved_intent, resolution.predictions, stages[n + 1]):
                break
        intent = resolved_intent
        result = GroundingResult(predictions=resolution.predictions, intent=intent,
                                 elapsed_ms=(time.perf_counter() - start) * 1000,
                                 image_size=(screen.width, screen.height),
                                 message=resolution.message, timings_ms=timings)
        with self._lock:
            self._results[key] = result
            while len(self._results) > self._cache_size:
                self._results.popitem(last=False)
        return result

    def _resolve(self, intent: Intent, candidates: Sequence[Candidate], timings: dict[str, float]) -> Resolution:
        t0 = time.perf_counter()
        resolution = resolve(intent, candidates, self._calibrator, self._similarity)
        timings["resolve"] = timings.get("resolve", 0.0) + (time.perf_counter() - t0) * 1000
        return resolution

    def _stages(self, *, live: bool) -> list[int]:
        """The stages that have sources here; the tree's stage only for a live screen."""
        stages = sorted({stage_of(s.name) for s in self._sources})
        return [st for st in stages if st > 0 or live] or [LAST_STAGE]

    def candidates(self, screen: Screen, intent: Intent, reference: np.ndarray | None = None,
                   timings: dict[str, float] | None = None, *, stage: int = LAST_STAGE,
                   mapping: ScreenMapping | None = None, ask_models: bool = False) -> tuple[Candidate, ...]:
        """What the sources of every stage up to ``stage`` found on ``screen`` (cached by content).

        The default takes every source; a lower ``stage`` leaves out the
        slower ones that only some instructions need (the icon model).
        Sources marked ``conditioned = True`` (the icon model's phrase search,
        vision-language models) answer the instruction itself: they run
        after the others and are cached by screen *and* instruction. Those
        also marked ``slow = True`` (vision-language models) run only when
        ``ask_models`` (grounding does): a listing of the screen ("show
        numbers", the speech vocabulary) never waits for a model.
        """
        plain = self._plain_candidates(screen, intent, reference, timings, stage=stage, mapping=mapping)
        conditioned = [s for s in self._sources if _conditioned(s) and stage_of(s.name) <= stage
                       and (ask_models or not getattr(s, "slow", False))]
        if not conditioned:
            return plain
        found = list(plain)
        for source in conditioned:
            found.extend(self._conditioned_candidates(source, screen, intent, tuple(found), timings, mapping))
        return tuple(found)

    def _conditioned_candidates(self, source: CandidateSource, screen: Screen, intent: Intent,
                                found: tuple[Candidate, ...], timings: dict[str, float] | None,
                                mapping: ScreenMapping | None) -> tuple[Candidate, ...]:
        key = ("conditioned", source.name, screen.digest, intent.text, mapping)
        with self._lock:
            cached = self._candidates.get(key)
        if cached is not None:
            return cached
        t0 = time.perf_counter()
        try:
            result = tuple(source.candidates(screen, SourceRequest(intent=intent, found_so_far=found,
                                                                   mapping=mapping)))
        except BackendFailed as exc:
            if self._explicit and len(self._sources) == 1:
                raise
            # A slow or broken model falls back to what the default sources found.
            logger.warning("source %s failed: %s", source.name, exc.user_message)
            return ()
        finally:
            if timings is not None:
                timings[source.name] = (time.perf_counter() - t0) * 1000
        with self._lock:
            self._candidates[key] = result
            while len(self._candidates) > 8:
                self._candidates.popitem(last=False)
        return result

    def _plain_candidates(self, screen: Screen, intent: Intent, reference: np.ndarray | None,
                          timings: dict[str, float] | None, *, stage: int,
                          mapping: ScreenMapping | None) -> tuple[Candidate, ...]:
        ref_key = None if reference is None else content_digest(reference)
        key = (screen.digest, ref_key, stage, mapping)
        with self._lock:
            cached = self._candidates.get(key)
        if cached is not None:
            return cached
        earlier = [st for st in self._stages(live=mapping is not None) if st < stage]
        first = self._plain_candidates(screen, intent, reference, timings, stage=earlier[-1],
                                       mapping=mapping) if earlier else ()
        found: list[Candidate] = list(first)
        failures: list[str] = []
        ran = 1 if first else 0
        for source in self._sources:
            if (reference is None and _on_demand(source.name)) or stage_of(source.name) != stage \
                    or _conditioned(source):
                continue
            t0 = time.perf_counter()
            request = SourceRequest(intent=intent, reference=reference, found_so_far=tuple(found),
                                    mapping=mapping)
            try:
                found.extend(source.candidates(screen, request))
                ran += 1
            except ClickAssistError as exc:
                if not isinstance(exc, BackendFailed) or self._explicit and len(self._sources) == 1:
                    raise
                logger.warning("source %s failed: %s", source.name, exc.user_message)
                failures.append(f"{source.name}: {exc.user_message}")
            except Exception as exc:  # a broken backend must not take the others down
                logger.exception("source %s crashed", source.name)
                failures.append(f"{source.name}: {exc}")
            if timings is not None:
                timings[source.name] = (time.perf_counter() - t0) * 1000
        last_stage = stage >= self._stages(live=mapping is not None)[-1]
        if failures and ran == 0 and not found and last_stage:
            # Only when no later stage is left to try: a broken accessibility bus must
            # not stop OCR from answering.
            raise BackendFailed("Every candidate source failed: " + "; ".join(failures),
                                "Check the log (click-assist -v) for details.")
        result = tuple(found)
        with self._lock:
            self._candidates[key] = result
            while len(self._candidates) > 8:
                self._candidates.popitem(last=False)
        return result


_ICON_ROLES = frozenset({"icon", "image"})
_CONFIDENT = 0.75


def _confident(intent: Intent, predictions: Sequence[Prediction], next_stage: int) -> bool:
    """Whether the answer so far is good enough not to run the next stage's sources.

    The icon model runs when icons are named or text alone gave a weak
    answer; OCR runs after the tree unless the tree answered every step
    well, and always for "all"/counting steps, since a tree may miss some.
    """
    if next_stage >= 2 and any(_ICON_ROLES & set(step.roles[:1]) for step in intent.steps):
        return False
    if next_stage == 1 and any(step.wants_many or step.ordinal is not None for step in intent.steps):
        return False
    steps_answered = {p.step for p in predictions
                      if p.confidence >= _CONFIDENT and not _lacks_a_word(intent.steps[p.step].target, p)}
    return bool(predictions) and len(steps_answered) >= len(intent.steps)


def _lacks_a_word(target: str, prediction: Prediction) -> bool:
    """A match by meaning that shares some of the phrase's words but not all ("zoom in" ~ "Zoom 100%").

    Its label names the topic without the qualifier the person said, and the
    control that says exactly that may be an icon a later stage finds. A
    plain synonym ("remove" ~ "Delete") shares no word and stands.
    """
    if prediction.evidence is None or not prediction.evidence.semantic:
        return False
    said, seen = set(tokenize(target)), set(tokenize(prediction.label))
    return bool(said & seen) and bool(said - seen)


def _conditioned(source: CandidateSource) -> bool:
    """Whether the source answers the instruction (so its candidates depend on it)."""
    return bool(getattr(source, "conditioned", False))


def _on_demand(name: str) -> bool:
    """Sources that only answer a request carrying what they need (a reference image)."""
    spec = SOURCES.get(name)
    return spec is not None and spec.on_demand


def _order_key(name: str) -> int:
    return DEFAULT_ORDER.index(name) if name in DEFAULT_ORDER else len(DEFAULT_ORDER)


def _as_loadable(image: ImageInput) -> np.ndarray | str | os.PathLike | bytes:
    if isinstance(image, Screen):
        return image.image
    return str(image) if isinstance(image, Path) else image


def _load_reference(reference: ImageInput) -> np.ndarray:
    """RGB, or RGBA when the reference has transparency (the matcher then ignores its background)."""
    if isinstance(reference, Screen):
        return reference.image
    return load_reference(_as_loadable(reference))


def _for_reference(intent: Intent) -> Intent:
    """With a reference image, "click this" / "click all of these" mean the matches of that image."""
    steps = tuple(replace(s, target="", roles=("image",), role_explicit=True, literal="", conjuncts=(),
                          relation=s.relation) for s in intent.steps[:1])
    return replace(intent, steps=steps)
