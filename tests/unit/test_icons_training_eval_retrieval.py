"""Held-out retrieval counts: strict own-name hits, and the allowance for one picture drawn under several names."""

from pathlib import Path

import numpy as np

from training.icons.catalog import IconRecord
from training.icons.eval_retrieval import retrieval_metrics, same_picture_names


def _mask(kind: int) -> np.ndarray:
    m = np.zeros((64, 64), np.uint8)
    if kind == 0:
        m[10:54, 30:34] = 255       # a bar
    else:
        m[30:34, 10:54] = 255       # another bar
    return m


def test_only_byte_identical_pictures_share_their_names() -> None:
    masks = [_mask(0), _mask(0), _mask(1)]
    assert same_picture_names(masks, [0, 1, 2]) == [{0, 1}, {0, 1}, {2}]
    nudged = _mask(0)
    nudged[0, 0] = 1
    assert same_picture_names([_mask(0), nudged], [0, 1]) == [{0}, {1}]


def test_the_same_picture_view_credits_a_twin_name_and_the_strict_view_does_not() -> None:
    names = ["printer", "document print", "go next"]
    records = [IconRecord(set="held", name=n, files=[Path("x.svg")], words={n: 1.0}) for n in names]
    masks = [_mask(0), _mask(0), _mask(1)]
    text = {n: v for n, v in zip(names, np.eye(3, 8, dtype=np.float32))}

    def embed_text(texts: list[str]) -> np.ndarray:
        return np.stack([text[t] for t in texts])

    def embed(crops: list[np.ndarray]) -> np.ndarray:
        # The twins both land on "document print" (no model can tell them apart); the third is right.
        assert len(crops) == 3
        return np.stack([text["document print"], text["document print"], text["go next"]])

    vocab = list(names)
    report = retrieval_metrics(records, masks, embed, vocab, embed_text(vocab), embed_text)
    assert report["set_clean"]["top1"] == 2 / 3                   # "printer" ranked below its twin
    assert report["set_clean_same_picture"]["top1"] == 1.0
