"""Build benchmark cases (instruction + target boxes) from the rendered screens' ground truth.

Run ``python -m tests.benchmarks.cases --data tests/benchmarks/data`` after the
generators; it writes ``cases.jsonl`` (one case per line) and the reference
crops under ``refs/``. Each case is::

    {"id", "image", "instruction", "kind", "targets": [[x0, y0, x1, y1], ...],
     "expect": "one" | "all" | "sequence", "action", "min_clicks"?, "max_clicks"?,
     "reference"?, "meta"}

A point is correct when it lies inside a target box. Paths are relative to
the data folder.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import sys
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from tests.benchmarks.case_rules import RULES, ScreenCtx
from tests.benchmarks.truth import Element, ScreenTruth, load_truths

__all__ = ["KIND_QUOTAS", "build_cases", "reference_cases", "write_cases", "load_cases"]

log = logging.getLogger(__name__)

#: How many cases of each kind to keep (fewer when fewer exist).
KIND_QUOTAS = {
    "text": 80, "checkable": 60, "multi": 40, "ordinal": 45, "relational": 55, "sequence": 40,
    "chinese": 45, "reference": 40, "symbol": 30, "role": 60, "synonym": 30, "icon": 20,
    "action": 35,
}
#: At most this many cases of one kind from one screen, so no screen dominates a kind.
PER_SCREEN = 4
#: Two crops show the same-looking control when under this share of their pixels
#: differ by more than STRONG_DIFF (0-255) in some channel.
SAME_LOOK = 0.01
STRONG_DIFF = 48


def _crop(img: np.ndarray, box: list[float], pad: int = 0) -> np.ndarray:
    h, w = img.shape[:2]
    x0, y0 = max(0, int(box[0]) - pad), max(0, int(box[1]) - pad)
    x1, y1 = min(w, int(np.ceil(box[2])) + pad), min(h, int(np.ceil(box[3])) + pad)
    return img[y0:y1, x0:x1]


def _same_look(a: np.ndarray, b: np.ndarray) -> bool:
    """Same size (within 2 px) and almost no strongly differing pixels.

    A mean difference is not enough: two calculator keys differ only in a
    small glyph, which a mean over the key's flat face hides.
    """
    if abs(a.shape[0] - b.shape[0]) > 2 or abs(a.shape[1] - b.shape[1]) > 2:
        return False
    h, w = min(a.shape[0], b.shape[0]), min(a.shape[1], b.shape[1])
    diff = np.abs(a[:h, :w].astype(np.int16) - b[:h, :w].astype(np.int16)).max(axis=2)
    return float((diff > STRONG_DIFF).mean()) < SAME_LOOK


def _reference_pool(ctx: ScreenCtx, img: np.ndarray) -> list[tuple[Element, list[Element]]]:
    """Controls worth pointing at with a crop (icons, keys, dialog buttons), each with its look-alikes."""
    pool = [e for e in ctx.truth.elements
            if e.clickable and e.window != "Taskbar" and (e.icon or e.kind in ("key", "button"))
            and (e.box[2] - e.box[0]) * (e.box[3] - e.box[1]) >= 100]
    crops = {e.id: _crop(img, e.box) for e in ctx.truth.elements if e.clickable}
    out = []
    for e in pool:
        twins = [o for o in ctx.truth.elements if o.clickable and _same_look(crops[e.id], crops[o.id])]
        if e in twins:
            out.append((e, twins))
    return out


def _make_reference(ctx: ScreenCtx, img: np.ndarray, e: Element) -> tuple[str, float, Image.Image]:
    """A person's rough crop of ``e`` (a few pixels of margin), maybe from a screen at another scale."""
    factor = ctx.rng.choice([1.0, 1.0, 0.8, 1.25, 1.5, 0.67])
    ref = Image.fromarray(_crop(img, e.box, ctx.rng.randint(0, 3)))
    if factor != 1.0:
        ref = ref.resize((max(4, round(ref.width * factor)), max(4, round(ref.height * factor))),
                         Image.Resampling.LANCZOS)
    return f"refs/{Path(ctx.truth.image).stem}_{e.id}_{int(factor * 100)}.png", factor, ref


def reference_cases(ctx: ScreenCtx, data: Path) -> list[dict[str, Any]]:
    """"Click this" cases: a crop of a control; targets are all its look-alikes on the screen."""
    img = np.asarray(Image.open(data / ctx.truth.image).convert("RGB"))
    pool = _reference_pool(ctx, img)
    many = [p for p in pool if len(p[1]) > 1]
    picks = ctx.rng.sample(many, min(1, len(many))) + ctx.rng.sample(pool, min(2, len(pool)))
    out, used = [], set()
    for e, twins in picks:
        if e.id in used:
            continue
        used.add(e.id)
        name, factor, crop = _make_reference(ctx, img, e)
        every = len(twins) > 1 and ctx.rng.random() < 0.6
        instruction = ("click all of these" if every else
                       ctx.rng.choice(["click this", "click this button", "click the one that looks like this"]))
        case = ctx.case("reference", instruction, twins, "all" if every else "one",
                        reference=name, ref_scale=factor)
        case["_crop"] = crop  # saved only if the case is kept
        out.append(case)
    return out


def _screen_cases(truth: ScreenTruth, data: Path, seed: int) -> dict[str, list[dict[str, Any]]]:
    ctx = ScreenCtx(truth, random.Random(f"cases-{seed}-{truth.image}"))
    found = {kind: rule(ctx) for kind, rule in RULES.items()}
    found["reference"] = reference_cases(ctx, data)
    for kind, cases in found.items():
        ctx.rng.shuffle(cases)
        found[kind] = cases[:PER_SCREEN]
    return found


def build_cases(truths: list[ScreenTruth], data: Path, seed: int = 7,
                quotas: dict[str, int] | None = None) -> list[dict[str, Any]]:
    """Every kind's cases, sampled round-robin over screens up to its quota."""
    quotas = quotas or KIND_QUOTAS
    per_screen = [_screen_cases(t, data, seed) for t in truths]
    rng = random.Random(f"cases-{seed}")
    cases = []
    for kind, quota in quotas.items():
        queues = [list(found.get(kind, [])) for found in per_screen]
        rng.shuffle(queues)
        picked: list[dict[str, Any]] = []
        while len(picked) < quota and any(queues):
            for q in queues:
                if q and len(picked) < quota:
                    picked.append(q.pop(0))
        for i, case in enumerate(picked):
            case["id"] = f"{kind}-{i:03d}"
            crop = case.pop("_crop", None)
            if crop is not None:
                (data / case["reference"]).parent.mkdir(parents=True, exist_ok=True)
                crop.save(data / case["reference"])
            cases.append(case)
    return cases


def write_cases(cases: list[dict[str, Any]], path: Path) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for case in cases:
            ordered = {"id": case["id"], **{k: v for k, v in case.items() if k != "id"}}
            fh.write(json.dumps(ordered, ensure_ascii=False) + "\n")


def load_cases(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load_all_truths(data: Path) -> list[ScreenTruth]:
    truths = []
    for name in ("qt_screens.jsonl", "web_screens.jsonl"):
        if (data / name).exists():
            truths.extend(load_truths(data / name))
    return truths


def _main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("tests/benchmarks/data"))
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    cases = build_cases(load_all_truths(args.data), args.data, args.seed)
    write_cases(cases, args.data / "cases.jsonl")
    counts: dict[str, int] = {}
    for c in cases:
        counts[c["kind"]] = counts.get(c["kind"], 0) + 1
    log.info("wrote %d cases: %s", len(cases), ", ".join(f"{k} {v}" for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(_main())
