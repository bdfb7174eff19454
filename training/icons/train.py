"""Train the icon encoder: icon crops → MiniLM's text space, against the frozen name vocabulary.

CLIP-style with the text tower frozen: the image embedding's cosine with
every vocabulary entry, scaled by a learned temperature, is trained towards
a soft target over the icon's names, aliases and tags (names weigh most,
tags shared by many icons least). So any phrase MiniLM can embed can be
matched, not just a fixed label list.

``python -m training.icons.train --minutes 40`` trains, exports ONNX and
writes the vocabulary beside it. Deterministic for a given seed and thread
count.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

from desktop.grounding._icons_preprocess import INPUT_SIZE, prepare_crops
from training.icons.catalog import HELD_OUT, load_catalog
from training.icons.directions import rotated_copies
from training.icons.recipe import active as active_recipe
from training.icons.render import held_out_lookalikes, load_negatives, load_rendered
from training.icons.synth import synth_crop
from training.icons.vocab import build_vocabulary, embed_texts, targets

__all__ = ["IconEncoder", "train"]

logger = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / "data-cache" / "icons" / f"train{active_recipe().cache_suffix}"
EMBED_DIM = 384


def _block(cin: int, cout: int, stride: int) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class IconEncoder(nn.Module):
    """32×32 ink map → unit 384-d embedding (≈ 12 M multiply-adds, ≈ 1.1 M parameters)."""

    def __init__(self, width: int = 32) -> None:
        super().__init__()
        w = width
        self.features = nn.Sequential(
            _block(1, w * 3 // 4, 1), _block(w * 3 // 4, w, 2), _block(w, w, 1),
            _block(w, 2 * w, 2), _block(2 * w, 2 * w, 1), _block(2 * w, 4 * w, 2), _block(4 * w, 4 * w, 1))
        self.head = nn.Sequential(nn.Flatten(), nn.Dropout(0.1), nn.Linear(4 * w * 16, EMBED_DIM))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return nn.functional.normalize(self.head(self.features(x)), dim=-1)


class _Batches(torch.utils.data.IterableDataset):
    """Endless batches: icons by sampling weight, then the recipe's share of "not an icon" crops (owner -1)."""

    def __init__(self, data: dict, batch: int, seed: int, negative_share: float) -> None:
        self.masks, self.owner, self.p = data["masks"], data["owner"], data["weights"]
        self.negatives, self.neg_min = data["negatives"], data["negative_min_size"]
        self.batch, self.seed, self.negative_share = batch, seed, negative_share

    def __iter__(self):  # type: ignore[no-untyped-def]
        rng = np.random.default_rng(self.seed)
        n_neg = int(self.batch * self.negative_share)
        while True:
            pick = rng.choice(len(self.masks), self.batch - n_neg, p=self.p)
            neg = rng.integers(0, len(self.negatives), n_neg)
            crops = [synth_crop(self.masks[i], rng) for i in pick] + [
                synth_crop(self.negatives[i], rng, int(self.neg_min[i])) for i in neg]
            x, _ = prepare_crops(crops, INPUT_SIZE)
            owners = np.concatenate([self.owner[pick], np.full(n_neg, -1)]).astype(np.int64)
            yield torch.from_numpy(x), torch.from_numpy(owners)


def _data(seed: int) -> dict:
    records = load_catalog()
    train_records = [r for r in records if r.set not in HELD_OUT]
    vocab = build_vocabulary(train_records, active_recipe().shared_long_names)
    cache = WORK / "vocab.npz"
    if cache.exists() and list(np.load(cache)["vocab"]) == vocab:
        vectors = np.load(cache)["vectors"]
    else:
        vectors = embed_texts(vocab)
        WORK.mkdir(parents=True, exist_ok=True)
        np.savez(cache, vocab=np.array(vocab), vectors=vectors)
    soft = targets(records, vocab)
    masks, owner = load_rendered()
    usable = np.array([records[o].set not in HELD_OUT and len(soft[o][0]) > 0 for o in owner])
    set_counts: dict[str, int] = {}
    for r in train_records:
        set_counts[r.set] = set_counts.get(r.set, 0) + 1
    variants = np.bincount(owner, minlength=len(records))
    weight = np.array([usable[i] / variants[o] / math.sqrt(set_counts.get(records[o].set, 1))
                       for i, o in enumerate(owner)])
    if active_recipe().rotations:
        masks, owner, weight = _with_rotations(records, soft, masks, owner, weight, set_counts)
    negatives, negative_min_size = load_negatives()
    return {"records": records, "vocab": vocab, "vectors": vectors, "soft": soft, "masks": masks,
            "negatives": negatives, "negative_min_size": negative_min_size,
            "owner": owner, "weights": weight / weight.sum()}


ROTATED_SHARE = 1.0   # a direction concept's rotated copies together weigh as much as its own glyphs


def _with_rotations(records: list, soft: list, masks: np.ndarray, owner: np.ndarray, weight: np.ndarray,
                    set_counts: dict[str, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Append rotated direction glyphs (:mod:`training.icons.directions`), held-out copies left out.

    A concept's copies share ``ROTATED_SHARE`` of its own sampling weight, so
    direction concepts are seen more often without any one dominating; a
    copy that matches a held-out glyph (a turned arrow can be Adwaita's own)
    is dropped like the themes' copies are.
    """
    record_usable = np.array([r.set not in HELD_OUT and len(soft[i][0]) > 0 for i, r in enumerate(records)])
    copies, copy_owner, _ = rotated_copies(masks, owner, [r.name for r in records], [r.set for r in records],
                                           record_usable)
    held = np.flatnonzero(np.isin(np.array([records[o].set for o in owner]), HELD_OUT))
    probe_sets = [r.set for r in records] + ["rotated"]
    leak = held_out_lookalikes(np.concatenate([masks[held], copies]),
                               np.concatenate([owner[held], np.full(len(copies), len(records))]),
                               probe_sets, {"rotated"}, set(HELD_OUT))[len(held):]
    logger.info("left out %d of %d rotated glyphs that copy held-out glyphs", int(leak.sum()), len(copies))
    copies, copy_owner = copies[~leak], copy_owner[~leak]
    per_owner = np.bincount(copy_owner, minlength=len(records))
    extra = np.array([ROTATED_SHARE / per_owner[o] / math.sqrt(set_counts.get(records[o].set, 1))
                      for o in copy_owner])
    return (np.concatenate([masks, copies]), np.concatenate([owner, copy_owner.astype(owner.dtype)]),
            np.concatenate([weight, extra]))


def _soft_targets(owners: torch.Tensor, soft: list, k: int) -> torch.Tensor:
    """Rows over the vocabulary plus one last column, "not an icon"."""
    t = torch.zeros(len(owners), k + 1)
    for row, o in enumerate(owners.tolist()):
        if o < 0:
            t[row, k] = 1.0
            continue
        idx, w = soft[o]
        t[row, torch.from_numpy(idx)] = torch.from_numpy(w)
    return t


def train(steps: int, minutes: float, seed: int = 0, batch: int = 256, width: int = 32, out: Path = WORK) -> Path:
    """Train ``steps`` steps, or less if the wall-clock cap ``minutes`` comes first; returns the checkpoint.

    The learning rate follows a cosine over whichever of the two runs out
    first, so a capped run still ends annealed (and logs that it was capped).
    """
    torch.manual_seed(seed)
    data = _data(seed)
    bank = torch.from_numpy(data["vectors"]).float()
    model = IconEncoder(width)
    log_scale = nn.Parameter(torch.tensor(math.log(30.0)))
    # "Not an icon" is one more (learned) point in the text space, competing with every name.
    background = nn.Parameter(nn.functional.normalize(torch.randn(1, bank.shape[1]), dim=-1))
    opt = torch.optim.AdamW(list(model.parameters()) + [log_scale, background], lr=2e-3, weight_decay=1e-4)
    loader = torch.utils.data.DataLoader(_Batches(data, batch, seed, active_recipe().negative_share),
                                         batch_size=None, num_workers=1, prefetch_factor=4)
    budget, start, step, ema = minutes * 60.0, time.monotonic(), 0, None
    for x, owners in loader:
        elapsed = time.monotonic() - start
        progress = max(step / steps, elapsed / budget)
        if progress >= 1.0:
            break
        lr = 2e-3 * 0.5 * (1 + math.cos(math.pi * progress))
        for g in opt.param_groups:
            g["lr"] = lr if step > 50 else lr * step / 50
        emb = model(x)
        # The frozen bank and the learned background in two products: no gradient is formed
        # for the ~30k bank rows (a third of a step's work with the larger vocabulary).
        logits = log_scale.exp().clamp(max=100) * torch.cat(
            [emb @ bank.T, emb @ nn.functional.normalize(background, dim=-1).T], dim=1)
        loss = -(_soft_targets(owners, data["soft"], len(bank)) * logits.log_softmax(-1)).sum(-1).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        ema = loss.item() if ema is None else 0.98 * ema + 0.02 * loss.item()
        step += 1
        if step % 100 == 0:
            logger.info("step %d  %.0fs  loss %.3f  scale %.1f  lr %.5f", step, elapsed, ema,
                        log_scale.exp().item(), lr)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "encoder.pt"
    torch.save({"state": model.state_dict(), "width": width, "steps": step, "seed": seed,
                "scale": float(log_scale.detach().exp()),
                "background": nn.functional.normalize(background.detach(), dim=-1)[0].clone(), "minutes": minutes, "batch": batch, "planned_steps": steps}, path)
    (out / "train_log.json").write_text(json.dumps({"steps": step, "final_loss": ema, "seconds":
                                                    time.monotonic() - start}))
    if step < steps:
        logger.warning("stopped by the %.0f-minute cap after %d of %d steps", minutes, step, steps)
    logger.info("trained %d steps (%d samples) → %s", step, step * batch, path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", type=int, default=12000)
    parser.add_argument("--minutes", type=float, default=65.0, help="wall-clock cap")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--width", type=int, default=32)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--out", type=Path, default=WORK)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    torch.set_num_threads(args.threads)
    train(args.steps, args.minutes, args.seed, args.batch, args.width, args.out)


if __name__ == "__main__":
    main()
