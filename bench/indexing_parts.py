"""Where indexing time goes, in one process: `ArticleIndex.index_articles` on the first N MultiHop-RAG articles with
its parts timed (chunk embedding, the statement thread, statement embedding and writing, commits), then the same
chunk-embedding calls alone (the floor of these pieces) and the ratio.

`.venv/bin/python -m bench.indexing_parts [N]` (default all 609; about 11 min on a 2-core machine). Not part of
`make bench` (whose floor embeds the whole corpus in one call, in its own process); this one says which part grew.
The floor here runs after indexing, on a warm model, so its ratio reads a little high. When the ONNX export is
missing, statement embedding falls back to the same model and is counted with the chunks.
"""
from __future__ import annotations

import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from assistant.articles import load_file
from assistant.config import Settings
from assistant.store import ArticleIndex

ARTICLES = Path("/work/shared/datasets/multihop-rag/articles.jsonl")


def main(limit: int | None) -> None:
    """Measure on the first `limit` articles (all when None) in a scratch index, deleted afterwards."""
    articles = load_file(ARTICLES, 2**26).articles[:limit]
    scratch = Path(tempfile.mkdtemp(prefix="indexing-parts-"))
    try:
        _measure(articles, ArticleIndex(Settings(index_dir=scratch / "index")))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _measure(articles, index: ArticleIndex) -> None:
    """Index `articles` with the parts timed, then embed the same chunk pieces alone; print both."""
    spent: dict[str, float] = defaultdict(float)

    def timed(name, fn):
        def run(*args, **kwargs):
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - started
        return run

    embeddings = index.embeddings
    embed, pieces = embeddings.embed_documents, []

    def embed_piece(texts):
        pieces.append(list(texts))
        return embed(texts)

    object.__setattr__(embeddings, "embed_documents", timed("chunk embedding (beside the statement thread)", embed_piece))
    index._extract = timed("statement extraction (thread)", index._extract)
    index._statement_records = timed("statement embedding and writing", index._statement_records)
    index.commit_articles = timed("commits", index.commit_articles)
    started = time.perf_counter()
    index.index_articles(articles)
    ours = time.perf_counter() - started
    started = time.perf_counter()
    for piece in pieces:
        embed(piece)
    floor = time.perf_counter() - started
    print(f"{len(articles)} articles: ours {ours:.1f} s, the same {len(pieces)} embedding pieces alone {floor:.1f} s, "
          f"ratio {ours / floor:.2f}")
    for name, seconds in spent.items():
        print(f"  {name}: {seconds:.1f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else None)
