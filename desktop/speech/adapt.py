"""Adapting the recognizer to one person's voice from commands they confirmed (MLLR), offline.

pocketsphinx's acoustic model was trained on many voices and hears some
poorly: accents, high or unusual voices. Like dictation software, the app can
adapt it to the person from recordings whose words are known (the commands
they confirmed, see :mod:`desktop.speech.samples`): each recording is
force-aligned to its words, and one linear transform per feature stream is
estimated that moves the model's Gaussian means towards this voice (maximum
likelihood linear regression; Leggetter and Woodland, 1995), plus a scale on
their variances. pocketsphinx applies such a transform at load time
(``-mllr``), so recognition costs nothing extra.

On the synthesised benchmark, 40 commands per voice raised intent accuracy
by about 10 points on espeak-ng's standard and accented voices (see
``tests/benchmarks/speech/README.md``), but cost a voice the model already
heard well an utterance or two; so a transform is installed only when it
helps on recordings held out from its estimation (:mod:`desktop.speech.adapt_check`).
"""

from __future__ import annotations

import logging
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from desktop.speech.adapt_check import HeldOutCheck, compare, folds, heard_errors
from desktop.speech.mllr import Transform, write_transform
from desktop.speech.sphinx import DECODER_OPTIONS, Alignment, SphinxRecognizer
from desktop.speech.sphinx_model import AcousticModel, FrontEnd, features, load_model
from desktop.speech.types import SAMPLE_RATE, AdaptationError

__all__ = ["AdaptationReport", "adapt_voice", "normalise_words", "MIN_SAMPLES"]

logger = logging.getLogger(__name__)

#: Fewer recordings than this give a transform that fits their words rather than the voice.
MIN_SAMPLES = 20
#: Align, estimate, align again with the adapted model (better alignments), estimate again.
PASSES = 2
#: Pulls each transform row towards "no change" as if this much speech (in Gaussian
#: occupancy over the variance) had said so: keeps a transform from little speech tame.
PRIOR_WEIGHT = 100.0
#: Variance scales are kept within these bounds.
SCALE_RANGE = (0.25, 4.0)
#: Longer recordings are not single commands.
MAX_SECONDS = 15.0
_DIGITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


@dataclass(frozen=True)
class AdaptationReport:
    """What :func:`adapt_voice` did: where the transform is, from how much speech, and whether it was installed.

    ``check`` holds the held-out comparison (``None`` when it was not run);
    when ``installed`` is false the file at ``path`` was left as it was.
    """

    path: Path
    used: int
    skipped: int
    frames: int
    elapsed_s: float
    installed: bool = True
    check: HeldOutCheck | None = None


def normalise_words(text: str) -> str:
    """The words of a confirmed command as the aligner needs them ("Double-click 2" → "double click two")."""
    t = text.lower().replace("-", " ")
    t = re.sub(r"\d", lambda m: f" {_DIGITS[int(m.group())]} ", t)
    return " ".join(re.sub(r"[^a-z' ]", " ", t).split())


def adapt_voice(samples: Sequence[tuple[np.ndarray, str]], out: str | Path, *, model_dir: str | Path | None = None,
                options: dict[str, Any] | None = None, min_samples: int = MIN_SAMPLES,
                passes: int = PASSES, check: bool = True, force: bool = False) -> AdaptationReport:
    """Estimate a voice adaptation from ``(audio, words)`` pairs and write it to ``out`` when it helps.

    Parameters
    ----------
    samples
        16 kHz mono int16 recordings and the words said in each.
    out
        The transform file (replaced atomically, and only when installed).
    model_dir, options
        As for :class:`~desktop.speech.sphinx.SphinxRecognizer` (the frame rate must match).
    check
        First judge the adaptation on recordings held out from its estimation
        (:mod:`desktop.speech.adapt_check`) and install it only when it helps.
    force
        Install it even when the check says it does not help (the check is still reported).

    Raises
    ------
    AdaptationError
        Too few usable recordings, or a model that cannot be adapted.
    """
    start = time.perf_counter()
    usable = [(np.asarray(a, dtype=np.int16), normalise_words(t), t) for a, t in samples
              if np.size(a) and len(a) <= MAX_SECONDS * SAMPLE_RATE]
    usable = [u for u in usable if u[1]]
    _enough(len(usable), len(samples), min_samples)
    fit = _Fitter(model_dir, options, passes, [(a, w) for a, w, _ in usable])
    first = fit.align(fit.base)
    _enough(sum(g is not None for g in first), len(samples), min_samples)
    with tempfile.TemporaryDirectory(prefix="click-assist-adapt-") as tmp:
        fit.tmp = Path(tmp)
        # The screen words of the check's grammar: every kept command as it was written.
        held = _held_out_check(fit, first, [t for _, _, t in usable]) if check else None
        if held is not None and not held.helps and not force:
            aligned = [g for g in first if g is not None]
            report = AdaptationReport(Path(out), len(aligned), len(samples) - len(aligned),
                                      sum(len(g[1]) for g in aligned), time.perf_counter() - start, False, held)
            logger.info("voice adaptation not installed: %s", held.reason())
            return report
        transform, groups = fit.fit(range(len(usable)), first)
    _enough(len(groups), len(samples), min_samples)
    path = write_transform(out, transform)
    frames = sum(len(g[1]) for g in groups)
    report = AdaptationReport(path, len(groups), len(samples) - len(groups), frames, time.perf_counter() - start,
                              True, held)
    logger.info("voice adaptation from %d recordings (%d frames, %d skipped) in %.1f s", report.used, frames,
                report.skipped, report.elapsed_s)
    return report


def _held_out_check(fit: _Fitter, first: list[_Group | None], texts: Sequence[str]) -> HeldOutCheck:
    """Recognise each part of the recordings without and with a transform estimated from the others."""
    samples = fit.samples
    before = heard_errors(fit.recognizer(None), samples, texts)
    after = list(before)
    parts = folds(len(samples))
    for k, part in enumerate(parts):
        rest = sorted(set(range(len(samples))) - set(part))
        try:
            transform, _ = fit.fit(rest, first)
        except AdaptationError as exc:  # too little aligned speech left: this part counts as unchanged
            logger.debug("held-out part %d not checked: %s", k, exc.user_message)
            continue
        recognizer = fit.recognizer(write_transform(fit.tmp / f"part{k}.mllr", transform))
        for i, errors in zip(part, heard_errors(recognizer, [samples[i] for i in part], texts)):
            after[i] = errors
    check = compare(before, after, sum(len(w.split()) for _, w in samples), len(parts))
    logger.info("voice adaptation check: %s", check.summary())
    return check


class _Fitter:
    """Estimates transforms from subsets of the same recordings (the first alignment is shared)."""

    def __init__(self, model_dir: str | Path | None, options: dict[str, Any] | None, passes: int,
                 samples: list[tuple[np.ndarray, str]]) -> None:
        self.model_dir, self.options, self.passes, self.samples = model_dir, options, max(1, passes), samples
        self.base = self.recognizer(None)
        hmm = self.base._model() / "en-us"
        self.model = load_model(hmm)
        front = FrontEnd(hmm, int({**DECODER_OPTIONS, **(options or {})}.get("frate", 100)))
        self.feats = [features(front.cepstra(self.base.preprocess(a))) for a, _ in samples]
        self.tmp = Path(tempfile.gettempdir())

    def recognizer(self, transform: Path | None) -> SphinxRecognizer:
        return SphinxRecognizer(self.model_dir, repair_words=False, general_fallback=False, options=self.options,
                                transform=transform)

    def align(self, aligner: SphinxRecognizer, which: Sequence[int] | None = None) -> list[_Group | None]:
        """Each recording's alignment (``None`` where it could not be aligned), for ``which`` of them."""
        out: list[_Group | None] = [None] * len(self.samples)
        for i in range(len(self.samples)) if which is None else which:
            audio, words = self.samples[i]
            found = aligner.align(audio, words)
            if found is None:
                logger.debug("skipped a recording of %r: it could not be aligned", words)
                continue
            out[i] = _frames(found, self.feats[i], self.model)
        return out

    def fit(self, which: Sequence[int], first: list[_Group | None]) -> tuple[Transform, list[_Group]]:
        """Align, estimate, align again with the adapted model (better alignments), estimate again."""
        which = list(which)
        transform = Transform.identity(self.model.stream_sizes)
        groups = [g for g in (first[i] for i in which) if g is not None]
        for n in range(self.passes):
            if n:
                path = write_transform(self.tmp / f"pass{n}.mllr", transform)
                groups = [g for g in self.align(self.recognizer(path), which) if g is not None]
            if not groups:
                raise AdaptationError("None of the recordings could be lined up with their words.",
                                      "Check that the kept commands are in English, then try again.")
            transform = _estimate_means(self.model, groups, transform)
        return Transform(transform.matrices, transform.biases,
                         _variance_scales(self.model, groups, transform)), groups


def _enough(usable: int, given: int, needed: int) -> None:
    if usable < needed:
        raise AdaptationError(f"Only {usable} of {given} recordings could be used; adapting to a voice needs "
                              f"at least {needed}.",
                              "Keep your confirmed voice commands (Settings) and use speech for a while, "
                              "then try again.")


#: One aligned recording: features, and per frame its codebook and senone.
_Group = tuple[np.ndarray, np.ndarray, np.ndarray]


def _frames(found: Alignment, feat: np.ndarray, model: AcousticModel) -> _Group | None:
    n = min(len(found.senones), len(feat))
    try:
        books = np.array([model.codebooks[p] for p in found.phones[:n]], dtype=np.int64)
    except KeyError:  # a phone the model does not have: not this model's alignment
        return None
    return (feat[:n], books, found.senones[:n]) if n else None


def _posteriors(model: AcousticModel, stream: int, book: int, senones: np.ndarray, obs: np.ndarray,
                transform: Transform) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each frame's share of each Gaussian of ``book`` (frames × densities), its means and variances."""
    means = transform.apply(stream, model.means[stream][book])
    var = model.variances[stream][book] * transform.scales[stream]
    diff = obs[:, None, :] - means[None]
    ll = model.log_weights[stream][:, senones].T - 0.5 * (np.log(2 * np.pi * var).sum(1)[None]
                                                          + (diff * diff / var[None]).sum(2))
    ll -= ll.max(axis=1, keepdims=True)
    post = np.exp(ll)
    post /= post.sum(axis=1, keepdims=True)
    return post, means, var


def _by_book(groups: Sequence[_Group], stream: int, size: int) -> Any:
    """(codebook, senones, observations of ``stream``) for every codebook used, over all recordings."""
    # Streams are consecutive blocks of ``size`` dimensions (``svspec`` 0-12/13-25/26-38).
    feats = np.concatenate([g[0] for g in groups])[:, stream * size:(stream + 1) * size]
    books = np.concatenate([g[1] for g in groups])
    senones = np.concatenate([g[2] for g in groups])
    for book in np.unique(books):
        pick = books == book
        yield int(book), senones[pick], feats[pick]


def _estimate_means(model: AcousticModel, groups: Sequence[_Group], current: Transform) -> Transform:
    """Maximum-likelihood ``A``, ``b`` per stream (diagonal covariances: one linear system per row)."""
    matrices, biases = [], []
    for s, n in enumerate(model.stream_sizes):
        g = np.zeros((n, n + 1, n + 1))
        k = np.zeros((n, n + 1))
        for book, senones, obs in _by_book(groups, s, n):
            post, _, _ = _posteriors(model, s, book, senones, obs, current)
            base_var = model.variances[s][book]
            xi = np.concatenate([model.means[s][book], np.ones((len(base_var), 1))], axis=1)
            occ = post.sum(axis=0)
            g += np.einsum("mi,mj,mk->ijk", occ[:, None] / base_var, xi, xi)
            k += ((post.T @ obs) / base_var).T @ xi
        w = np.zeros((n, n + 1))
        for i in range(n):
            prior = np.zeros(n + 1)
            prior[i] = 1.0
            try:
                w[i] = np.linalg.solve(g[i] + PRIOR_WEIGHT * np.eye(n + 1), k[i] + PRIOR_WEIGHT * prior)
            except np.linalg.LinAlgError as exc:
                raise AdaptationError("The recordings did not hold enough varied speech to adapt to.",
                                      "Record more commands, then try again.") from exc
        matrices.append(w[:, :n])
        biases.append(w[:, n])
    return Transform(tuple(matrices), tuple(biases), current.scales)


def _variance_scales(model: AcousticModel, groups: Sequence[_Group], transform: Transform) -> tuple[np.ndarray, ...]:
    """One factor per dimension: how much wider (or narrower) this voice spreads around the adapted means."""
    identity = Transform(transform.matrices, transform.biases, tuple(np.ones(n) for n in model.stream_sizes))
    scales = []
    for s, n in enumerate(model.stream_sizes):
        total, frames = np.zeros(n), 0
        for book, senones, obs in _by_book(groups, s, n):
            post, means, var = _posteriors(model, s, book, senones, obs, identity)
            diff = obs[:, None, :] - means[None]
            total += (post[:, :, None] * diff * diff / var[None]).sum(axis=(0, 1))
            frames += len(obs)
        scales.append(np.clip(total / max(frames, 1), *SCALE_RANGE))
    return tuple(scales)
