"""The sentence-embedding cache in front of the real embedding model: same vectors, each text encoded once,
bounded, safe from several threads; and answering the same question twice encodes nothing the second time."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from assistant.config import Settings
from assistant.embedding_cache import CachedEmbeddings
from assistant.store import load_embeddings

TEXTS = ["The Kremlin denied the report.", "Peskov called it false.", "The ferry sailed on Monday.", "Prices rose."]


@pytest.fixture(scope="module")
def model():
    settings = Settings()
    return load_embeddings(settings.embedding_model, settings.embedding_batch_size)


def test_same_vectors_as_the_model_and_each_text_encoded_once(model):
    cache = CachedEmbeddings(lambda: model)
    first = cache.embed_documents(TEXTS + TEXTS[:1])
    assert cache.encoded == len(TEXTS)  # the repeated text was encoded once
    assert np.allclose(np.array(first[:4]), np.array(model.embed_documents(TEXTS)), atol=1e-5)
    again = cache.embed_documents(list(reversed(TEXTS)))
    assert cache.encoded == len(TEXTS) and np.array_equal(again[0], first[3])
    assert np.array_equal(cache.embed_query(TEXTS[1]), first[1]) and cache.encoded == len(TEXTS)


def test_least_recently_used_texts_are_evicted(model):
    cache = CachedEmbeddings(lambda: model, capacity=2)
    cache.embed_documents(TEXTS[:2])
    cache.embed_documents(TEXTS[:1])  # TEXTS[0] is now the most recent
    cache.embed_documents(TEXTS[2:3])  # evicts TEXTS[1]
    assert cache.encoded == 3
    cache.embed_documents(TEXTS[:1])
    assert cache.encoded == 3
    cache.embed_documents(TEXTS[1:2])
    assert cache.encoded == 4


def test_threads_share_one_cache(model):
    cache = CachedEmbeddings(lambda: model, capacity=3)
    expected = np.array(model.embed_documents(TEXTS))
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda i: cache.embed_documents(TEXTS[i % 4:] + TEXTS[:i % 4]), range(32)))
    for i, vectors in enumerate(results):
        assert np.allclose(np.array(vectors), np.roll(expected, -(i % 4), axis=0), atol=1e-5)
