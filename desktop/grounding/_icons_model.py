"""The shipped icon encoder (ONNX) and its name vocabulary: crops → names with a confidence.

Files live in ``models/icons`` and are checked against the SHA-256 in
``manifest.json`` before use, so a truncated or swapped file fails loudly
instead of naming icons wrongly.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from desktop.core.errors import BackendFailed, ModelMissing
from desktop.grounding._icons_preprocess import prepare_crops
from desktop.grounding._icons_query import DEFAULT_PHRASE_SCORE

__all__ = ["Beliefs", "IconGuess", "IconModel", "default_model_dir", "model_files_present"]

logger = logging.getLogger(__name__)

_MANIFEST = "manifest.json"
_TOP_NAMES = 5
_SHORTLIST = 40          # best vocabulary rows looked at per crop when picking distinct names
#: Display order prefers names many icon sets use ("play" over "kt start"): cosine + this × ln(count).
_COMMON_BONUS = 0.015
#: Top-1 name right half the time at cosine 0.33, rising ~17 logits per unit cosine
#: (fitted on held-out Lucide + Adwaita crops, clean and augmented).
_COS_MID, _COS_SLOPE = 0.33, 17.0


def default_model_dir() -> Path:
    """``models/icons`` of this checkout (where the trained weights are committed)."""
    return Path(__file__).resolve().parents[2] / "models" / "icons"


def model_files_present(model_dir: Path) -> bool:
    manifest = model_dir / _MANIFEST
    if not manifest.exists():
        return False
    files = json.loads(manifest.read_text()).get("files", {})
    return bool(files) and all((model_dir / name).exists() for name in files)


@dataclass(frozen=True)
class IconGuess:
    """What one crop most likely depicts."""

    names: tuple[str, ...]     # distinct vocabulary names, best first
    score: float               # confidence in [0, 1] that it is an icon meaning ``names[0]``
    icon_probability: float    # 1 − P(not an icon)
    cosine: float              # cosine of the crop's embedding with ``names[0]``


@dataclass(frozen=True)
class Beliefs:
    """The model's softmax over its whole vocabulary (and "not an icon") for each crop of a screen."""

    cosines: np.ndarray         # (n, K) with every vocabulary name
    log_normaliser: np.ndarray  # (n,) log of the softmax's denominator
    background: np.ndarray      # (n,) P(not an icon)
    embeddings: np.ndarray      # (n, 384) unit crop embeddings


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class IconModel:
    """Load once, then :meth:`classify` batches of RGB crops.

    Parameters
    ----------
    model_dir
        Folder with ``manifest.json``, the ONNX encoder and ``vocab.npz``.
    threads
        onnxruntime intra-op threads (two: the machine is shared with OCR).
    """

    def __init__(self, model_dir: Path | None = None, threads: int = 2) -> None:
        self.model_dir = model_dir or default_model_dir()
        self._threads = threads
        self._lock = threading.Lock()
        self._session: Any = None   # onnxruntime.InferenceSession once loaded
        #: How sure a phrase's best crop is, fitted for these weights (see ``mass_to_score``).
        self.phrase_score: tuple[float, float, float] = DEFAULT_PHRASE_SCORE

    def _verified_manifest(self) -> dict:
        path = self.model_dir / _MANIFEST
        if not path.exists():
            raise ModelMissing(f"The icon model is missing from {self.model_dir}.", "See models/README.md.")
        manifest = json.loads(path.read_text())
        for name, meta in manifest["files"].items():
            file = self.model_dir / name
            if not file.exists():
                raise ModelMissing(f"The icon model file {name} is missing.", "See models/README.md.")
            if _sha256(file) != meta["sha256"]:
                raise ModelMissing(f"The icon model file {name} does not match its SHA-256.",
                                   "Restore models/icons from the repository.")
        return manifest

    def load(self) -> None:
        """Verify and load the files (idempotent, thread-safe)."""
        with self._lock:
            if self._session is not None:
                return
            manifest = self._verified_manifest()
            import onnxruntime as ort  # type: ignore[import-untyped]

            options = ort.SessionOptions()
            options.intra_op_num_threads = self._threads
            options.inter_op_num_threads = 1
            session = ort.InferenceSession(str(self.model_dir / "icon_encoder.onnx"), options,
                                           providers=["CPUExecutionProvider"])
            vocab = np.load(self.model_dir / "vocab.npz")
            vectors = vocab["q"].astype(np.float32) * vocab["scale"].astype(np.float32)[:, None]
            # Stored transposed: (384, K) is the layout the batched product wants.
            self._vectors_t = np.ascontiguousarray((vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).T)
            self._background = vocab["background"].astype(np.float32)
            self.words: tuple[str, ...] = tuple(str(w) for w in vocab["words"])
            self._index = {w: i for i, w in enumerate(self.words)}
            df = vocab["df"].astype(np.float32) if "df" in vocab.files else np.ones(len(self.words), np.float32)
            self._prior = (_COMMON_BONUS * np.log(df)).astype(np.float32)
            self._logit_scale = float(manifest["logit_scale"])
            fitted = manifest.get("phrase_score")
            if fitted:
                self.phrase_score = (float(fitted["bias"]), float(fitted["per_decade"]), float(fitted["per_share"]))
            self._session = session
            logger.info("icon model loaded: %d names", len(self.words))

    def embed(self, crops: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """Unit embeddings ``(N, 384)`` and which crops held anything drawn."""
        self.load()
        x, valid = prepare_crops(list(crops))
        if not valid.any():
            return np.zeros((len(crops), 384), np.float32), valid
        try:
            out = self._session.run(None, {"ink": x[valid]})[0]
        except Exception as exc:  # onnxruntime raises its own exception types
            raise BackendFailed(f"The icon model failed: {exc}") from exc
        emb = np.zeros((len(crops), out.shape[1]), np.float32)
        emb[valid] = out
        return emb, valid

    def beliefs(self, embeddings: np.ndarray) -> Beliefs:
        """Softmax over the vocabulary and "not an icon" for unit crop embeddings ``(n, 384)``.

        One product with the whole vocabulary serves naming and every
        phrase asked later: it is most of the icon source's time.
        """
        self.load()
        cosines = embeddings @ self._vectors_t
        logits = self._logit_scale * cosines
        bg = self._logit_scale * (embeddings @ self._background)
        peak = np.maximum(logits.max(axis=1), bg)
        log_z = peak + np.log(np.exp(logits - peak[:, None]).sum(axis=1) + np.exp(bg - peak))
        return Beliefs(cosines, log_z, np.exp(bg - log_z), embeddings)

    def phrase_mass(self, beliefs: Beliefs, phrase: np.ndarray, synonym_cosine: float,
                    excluded: Callable[[str], bool] | None = None,
                    also: Sequence[int] = ()) -> tuple[np.ndarray, np.ndarray]:
        """How much of each crop's belief falls on the meaning of ``phrase`` (a unit MiniLM vector).

        The phrase joins the vocabulary as one more name; every vocabulary
        name at least ``synonym_cosine`` from it counts as saying the same
        ("gear" → "cog", "settings"), so the answer does not depend on
        whether the person's word was in the vocabulary. Names for which
        ``excluded`` is true do not count, however close ("zoom in" for
        "zoom out"): their mass comes back apart. ``also`` are vocabulary
        rows that count as the phrase too, however far from it (the arrows
        pointing the way a direction word says).

        Returns
        -------
        tuple of numpy.ndarray
            Per crop: the mass on the phrase's meaning, and the mass on the
            close names that were excluded.
        """
        self.load()
        near = np.nonzero((phrase @ self._vectors_t) >= synonym_cosine)[0]
        if len(also):
            near = np.union1d(near, np.asarray(also, np.int64))
        out = np.array([excluded is not None and excluded(self.words[j]) for j in near], bool)
        inside = np.exp(self._logit_scale * beliefs.cosines[:, near] - beliefs.log_normaliser[:, None])
        own = np.exp(self._logit_scale * (beliefs.embeddings @ phrase) - beliefs.log_normaliser)
        return (inside[:, ~out].sum(axis=1) + own) / (1.0 + own), inside[:, out].sum(axis=1)

    def commonest(self, names: Sequence[str]) -> str | None:
        """The one of ``names`` the most icons of the training sets are called by; None if none is a name."""
        self.load()
        known = [(float(self._prior[self._index[n]]), n) for n in names if n in self._index]
        return max(known)[1] if known else None

    def classify(self, crops: Sequence[np.ndarray]) -> list[IconGuess | None]:
        """One guess per crop (None where the crop is blank)."""
        emb, valid = self.embed(crops)
        if not valid.any():
            return [None] * len(valid)
        guesses = iter(self.name(self.beliefs(emb[valid])))
        return [next(guesses) if v else None for v in valid]

    def name(self, beliefs: Beliefs) -> list[IconGuess]:
        """The best distinct names of each crop of :meth:`beliefs`."""
        sims = beliefs.cosines
        icon_p = 1.0 - beliefs.background
        short = np.argpartition(-sims, _SHORTLIST, axis=1)[:, :_SHORTLIST]
        guesses = []
        for i in range(len(sims)):
            cos = float(sims[i, short[i]].max())
            order = short[i][np.argsort(-(sims[i, short[i]] + self._prior[short[i]]))]
            meaning = 1.0 / (1.0 + np.exp(-_COS_SLOPE * (cos - _COS_MID)))
            names = _distinct([self.words[j] for j in order])[:_TOP_NAMES]
            guesses.append(IconGuess(tuple(names), float(icon_p[i] * meaning), float(icon_p[i]), cos))
        return guesses


def _distinct(words: list[str]) -> list[str]:
    """Drop names that only repeat one already kept ("cog" after "cog", "settings" after "settings 2")."""
    kept: list[str] = []
    seen: set[str] = set()
    for word in words:
        base = " ".join(t for t in word.split() if not t.isdigit()) or word
        if base in seen:
            continue
        seen.add(base)
        kept.append(base)
    return kept
