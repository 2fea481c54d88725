"""The lexical side of retrieval: a BM25 index (bm25s, English stemming) over the committed chunks.

It is derived data: built from the chunk collection, saved beside the index with the store's
generation number, and rebuilt whenever that number changes, so it always agrees with Chroma
after index, update and remove (and after a crash, since orphan chunks are never included).
"""
from __future__ import annotations

import json
import os
import shutil
import threading
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np

from .store import ArticleIndex


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


def tokenize(texts: list[str]) -> list[list[str]]:
    """Lower-cased, stop-worded, stemmed word tokens, as used for both chunks and queries."""
    import bm25s

    return bm25s.tokenize(texts, stopwords="en", stemmer=_stemmer(), return_ids=False, show_progress=False)


@dataclass
class LexicalIndex:
    """BM25 over chunks; `chunk_ids[i]`, `metadatas[i]`, `documents[i]` describe document i."""

    generation: int
    chunk_ids: list[str]
    metadatas: list[dict]
    documents: list[str]
    bm25: object

    @cached_property
    def positions(self) -> dict[str, int]:
        """Document number of every chunk id."""
        return {chunk_id: i for i, chunk_id in enumerate(self.chunk_ids)}

    @cached_property
    def sources(self) -> np.ndarray:
        """The source name of every document (for vectorized filters)."""
        return np.array([meta.get("source", "") for meta in self.metadatas], dtype=object)

    @cached_property
    def published_ts(self) -> np.ndarray:
        """The publication time (Unix seconds, 0 when unknown) of every document."""
        return np.array([meta.get("published_ts", 0) for meta in self.metadatas], dtype=np.int64)

    @cached_property
    def known_sources(self) -> list[str]:
        """The distinct non-empty source names, sorted."""
        return sorted({source for source in self.sources if source})

    def scores(self, query: str, mask: np.ndarray | None = None) -> np.ndarray:
        """BM25 score of every chunk for `query` (0 where `mask` is 0)."""
        if not self.chunk_ids:
            return np.zeros(0, dtype=np.float32)
        tokens = [t for t in tokenize([query])[0] if t in self.bm25.vocab_dict]
        if not tokens:
            return np.zeros(len(self.chunk_ids), dtype=np.float32)
        return np.asarray(self.bm25.get_scores(tokens, weight_mask=mask), dtype=np.float32)


def saved_dir(index: ArticleIndex) -> Path:
    """Where the BM25 side of `index` is saved (beside an embedded index; in the user's cache for a server)."""
    settings = index.settings
    if settings.chroma_host:
        base = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "assistant"
        return base / f"lexical-{settings.chroma_host}-{settings.chroma_port}-{settings.collection_prefix}"
    return settings.index_dir / "lexical" / settings.collection_prefix


def build(index: ArticleIndex) -> LexicalIndex:
    """Build the BM25 index from the store's committed chunks, at the store's current generation."""
    import bm25s

    generation = index.generation()
    ids, metadatas, documents = [], [], []
    for chunk_id, meta, document in index.committed_chunks():
        ids.append(chunk_id)
        metadatas.append(meta)
        documents.append(document)
    bm25 = bm25s.BM25()
    if documents:
        bm25.index(tokenize(documents), show_progress=False)
    return LexicalIndex(generation, ids, metadatas, documents, bm25)


def save(lexical: LexicalIndex, directory: Path) -> None:
    """Write atomically: a new folder is filled, then renamed over the old one."""
    tmp = directory.with_name(f"{directory.name}.tmp{os.getpid()}-{threading.get_ident()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    if lexical.chunk_ids:
        lexical.bm25.save(str(tmp / "bm25"))
    (tmp / "chunks.json").write_text(json.dumps({"generation": lexical.generation, "chunk_ids": lexical.chunk_ids,
                                                 "metadatas": lexical.metadatas, "documents": lexical.documents}))
    old = directory.with_name(f"{directory.name}.old{os.getpid()}-{threading.get_ident()}")
    if directory.exists():
        directory.rename(old)
    tmp.rename(directory)
    shutil.rmtree(old, ignore_errors=True)


def load(directory: Path) -> LexicalIndex | None:
    """The saved index, or None when there is none or it cannot be read."""
    import bm25s

    try:
        data = json.loads((directory / "chunks.json").read_text())
        bm25 = bm25s.BM25.load(str(directory / "bm25")) if data["chunk_ids"] else bm25s.BM25()
    except (OSError, ValueError, KeyError):
        return None
    return LexicalIndex(data["generation"], data["chunk_ids"], data["metadatas"], data["documents"], bm25)


def current(index: ArticleIndex, cached: LexicalIndex | None = None) -> LexicalIndex:
    """The lexical index for the store's current generation: `cached`, the saved one, or a fresh build."""
    generation = index.generation()
    if cached is not None and cached.generation == generation:
        return cached
    directory = saved_dir(index)
    saved = load(directory)
    if saved is not None and saved.generation == generation:
        return saved
    fresh = build(index)
    try:
        save(fresh, directory)
    except OSError:
        pass  # a read-only index directory still gets a correct in-memory index
    return fresh
