"""Held-out retrieval: icons of sets never seen in training, ranked against names.

Two views, both reported in the model card:

* ``set`` — the classic zero-shot test: each held-out icon's embedding ranks
  the primary names of every icon of its own set (e.g. all ~1900 Lucide
  names); a hit when its own name is in the top k.
* ``set_…_same_picture`` — ``set``, with one allowance: a set that draws
  the very same picture under several names (Adwaita's ``printer`` and
  ``document-print``, its five ``media-optical-…`` discs: 61 of its 494
  icons) gets a hit for any of them, since no picture can tell them apart.
* ``vocab`` — what the app does: rank the shipped training vocabulary; a hit
  when one of the top k entries is one of the icon's own names/aliases/tags,
  or means the same as its name (MiniLM cosine ≥ 0.8).

Each view on clean renders (24 px, dark on white) and on augmented crops.
"""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from typing import Callable

import numpy as np

from training.icons.catalog import IconRecord
from training.icons.synth import synth_crop

__all__ = ["clean_crop", "retrieval_metrics"]

logger = logging.getLogger(__name__)
Embed = Callable[[list[np.ndarray]], np.ndarray]
SAME_MEANING = 0.8


def clean_crop(mask: np.ndarray, size: int = 24, pad: int = 4) -> np.ndarray:
    """The icon drawn #333 on white at ``size`` px, as a toolbar would show it."""
    import cv2

    alpha = cv2.resize(mask, (size, size), interpolation=cv2.INTER_AREA).astype(np.float32)[:, :, None] / 255.0
    img = np.full((size + 2 * pad, size + 2 * pad, 3), 255.0, np.float32)
    img[pad:pad + size, pad:pad + size] = 255.0 * (1 - alpha) + 51.0 * alpha
    return img.astype(np.uint8)


def _hits(ranked: np.ndarray, good: list[set[int]], ks: tuple[int, ...]) -> dict[str, float]:
    return {f"top{k}": float(np.mean([bool(set(r[:k].tolist()) & g) for r, g in zip(ranked, good)]))
            for k in ks}


def same_picture_names(masks: list[np.ndarray], own: list[int]) -> list[set[int]]:
    """Per icon: the name indices of every icon whose rendered picture is byte-identical to its own."""
    by_picture: defaultdict[str, set[int]] = defaultdict(set)
    digests = [hashlib.sha1(np.ascontiguousarray(m).tobytes()).hexdigest() for m in masks]
    for digest, name in zip(digests, own):
        by_picture[digest].add(name)
    return [by_picture[d] for d in digests]


def retrieval_metrics(records: list[IconRecord], masks: list[np.ndarray], embed: Embed,
                      vocab: list[str], vocab_vectors: np.ndarray, embed_text: Callable[[list[str]], np.ndarray],
                      seed: int = 0) -> dict[str, dict[str, float]]:
    """Top-1/top-5 for one held-out set. ``masks[i]`` is a rendering of ``records[i]``."""
    names = sorted({r.name for r in records})
    name_index = {n: i for i, n in enumerate(names)}
    name_vectors = embed_text(names)
    own = [{name_index[r.name]} for r in records]
    same_picture = same_picture_names(masks, [name_index[r.name] for r in records])
    vocab_index = {w: i for i, w in enumerate(vocab)}
    record_name_vecs = name_vectors[[name_index[r.name] for r in records]]
    similar = record_name_vecs @ vocab_vectors.T >= SAME_MEANING
    good_vocab = [set(np.nonzero(similar[i])[0].tolist()) | {vocab_index[w] for w in r.words if w in vocab_index}
                  for i, r in enumerate(records)]
    rng = np.random.default_rng(seed)
    out: dict[str, dict[str, float]] = {}
    for kind, crops in (("clean", [clean_crop(m) for m in masks]), ("augmented", [synth_crop(m, rng) for m in masks])):
        emb = embed(crops)
        ranked = np.argsort(-(emb @ name_vectors.T), axis=1)[:, :5]
        out[f"set_{kind}"] = _hits(ranked, own, (1, 5))
        out[f"set_{kind}_same_picture"] = _hits(ranked, same_picture, (1, 5))
        out[f"vocab_{kind}"] = _hits(np.argsort(-(emb @ vocab_vectors.T), axis=1)[:, :5], good_vocab, (1, 5))
    return out


def checkpoint_embedder(path) -> Embed:  # type: ignore[no-untyped-def]
    """Embed crops with a torch checkpoint (for evaluation during development)."""
    import torch

    from desktop.grounding._icons_preprocess import prepare_crops
    from training.icons.train import IconEncoder

    ckpt = torch.load(path, map_location="cpu")
    model = IconEncoder(ckpt["width"])
    model.load_state_dict(ckpt["state"])
    model.eval()

    def embed(crops: list[np.ndarray]) -> np.ndarray:
        x, _ = prepare_crops(crops)
        with torch.no_grad():
            return model(torch.from_numpy(x)).numpy()

    return embed


def held_out_report(embed: Embed) -> dict[str, dict[str, dict[str, float]]]:
    """Metrics for every held-out set with ``embed``."""
    from training.icons.catalog import HELD_OUT, load_catalog
    from training.icons.render import load_rendered
    from training.icons.train import WORK
    from training.icons.vocab import embed_texts

    records = load_catalog()
    masks, owner = load_rendered()
    first: dict[int, int] = {}
    for i, o in enumerate(owner):
        first.setdefault(int(o), i)
    cache = np.load(WORK / "vocab.npz")
    vocab, vectors = list(cache["vocab"]), cache["vectors"]
    report = {}
    for set_name in HELD_OUT:
        idx = [i for i, r in enumerate(records) if r.set == set_name and i in first]
        report[set_name] = retrieval_metrics([records[i] for i in idx], [masks[first[i]] for i in idx], embed,
                                             vocab, vectors, embed_texts)
        report[set_name]["icons"] = {"count": float(len(idx))}
    return report
