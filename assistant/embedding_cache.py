"""Sentence embeddings remembered between questions: a bounded, thread-safe LRU in front of the embedding model.

Answering spends most of its time embedding the candidate sentences of the retrieved passages (see the
benchmark's answer profile). Follow-up questions, popular passages and the citation check (whose claims
are often the evidence sentences themselves) meet the same sentences again; this cache encodes each once.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Callable

import numpy as np


class CachedEmbeddings:
    """`embed_documents` / `embed_query` of the model `model()` returns, with every text encoded at most once while
    it stays among the `capacity` most recently used (MiniLM's 384 floats: 20,000 vectors are about 30 MiB)."""

    def __init__(self, model: Callable[[], object], capacity: int = 20_000):
        self._model = model  # called at first use, so building the cache does not load the model
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self.capacity = capacity
        self.encoded = 0  # texts sent to the model so far

    def embed_documents(self, texts: list[str]) -> list[np.ndarray]:
        found: dict[str, np.ndarray] = {}
        with self._lock:
            for text in texts:
                vector = self._vectors.get(text)
                if vector is not None:
                    self._vectors.move_to_end(text)
                    found[text] = vector
        missing = list(dict.fromkeys(text for text in texts if text not in found))
        if missing:
            fresh = self._model().embed_documents(missing)
            with self._lock:
                self.encoded += len(missing)
                for text, vector in zip(missing, fresh):
                    found[text] = self._vectors[text] = np.asarray(vector, dtype=np.float32)
                while len(self._vectors) > self.capacity:
                    self._vectors.popitem(last=False)
        return [found[text] for text in texts]

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_documents([text])[0]
