"""Compare lexical engines for the BM25 side on the MultiHop-RAG dev split (how the engine was chosen).

    PYTHONPATH=. .venv/bin/python eval/compare_lexical_engines.py INDEX_DIR QUESTIONS.jsonl [--copies N]

Reads the committed chunks of an existing index (e.g. the one `assistant eval` builds), indexes their stored
texts in each engine and ranks them by BM25 for every dev question (lexical only, no filters, top 10). Prints
Hits@10 / MRR@10, build time, query p50 / p95, and the same latencies on N perturbed copies of the chunks
(copy r: every other word of a chunk's second half dropped, so terms and lengths vary like news text), the
size the scale benchmark reaches at 10x with `--copies 10`. bm25s (with PyStemmer; the engine of the time before,
no longer a dependency: `pip install bm25s==0.3.16 PyStemmer==3.1.0` to include it) rebuilds from all chunks;
`tantivy` uses the analyzer of `assistant.lexical`; SQLite FTS5 uses its `porter unicode61` tokenizer and `bm25()`.
"""
from __future__ import annotations

import argparse
import re
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from assistant.config import Settings
from assistant.evaluate import load_questions, retrieval_metrics
from assistant.store import ArticleIndex


def bm25s_engine(texts: list[str]):
    import bm25s
    import Stemmer

    stemmer = Stemmer.Stemmer("english")
    model = bm25s.BM25()
    model.index(bm25s.tokenize(texts, stopwords="en", stemmer=stemmer, show_progress=False), show_progress=False)

    def search(query: str, k: int) -> list[int]:
        tokens = [t for t in bm25s.tokenize([query], stopwords="en", stemmer=stemmer, return_ids=False,
                                            show_progress=False)[0] if t in model.vocab_dict]
        if not tokens:
            return []
        scores = model.get_scores(tokens)
        return [int(i) for i in np.argsort(-scores)[:k] if scores[i] > 0]
    return search


def tantivy_engine(texts: list[str]):
    import tantivy

    from assistant.lexical import ANALYZER_NAME, analyzer

    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("n", stored=True, fast=True)
    builder.add_text_field("text", tokenizer_name=ANALYZER_NAME, index_option="freq")
    schema = builder.build()
    folder = tempfile.mkdtemp(prefix="tantivy-compare-")
    index = tantivy.Index(schema, path=folder)
    index.register_tokenizer(ANALYZER_NAME, analyzer())
    writer = index.writer(heap_size=256_000_000, num_threads=1)
    for n, text in enumerate(texts):
        writer.add_document(tantivy.Document(n=n, text=text))
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    searcher = index.searcher()
    text_analyzer = analyzer()

    def search(query: str, k: int) -> list[int]:
        terms = list(dict.fromkeys(text_analyzer.analyze(query)))
        if not terms:
            return []
        q = tantivy.Query.boolean_query([(tantivy.Occur.Should, tantivy.Query.term_query(schema, "text", t)) for t in terms])
        hits = searcher.search(q, k, count=False).hits
        return [searcher.doc(address)["n"][0] for _, address in hits]
    return search


def fts5_engine(texts: list[str]):
    db = sqlite3.connect(Path(tempfile.mkdtemp(prefix="fts5-compare-")) / "fts.sqlite")
    db.execute("CREATE VIRTUAL TABLE chunks USING fts5(text, tokenize='porter unicode61')")
    db.executemany("INSERT INTO chunks(rowid, text) VALUES (?, ?)", enumerate(texts))
    db.commit()
    word = re.compile(r"\w\w+")

    def search(query: str, k: int) -> list[int]:
        terms = list(dict.fromkeys(word.findall(query.lower())))
        if not terms:
            return []
        match = " OR ".join(f'"{t}"' for t in terms)
        return [row[0] for row in db.execute("SELECT rowid FROM chunks WHERE chunks MATCH ? ORDER BY rank LIMIT ?", (match, k))]
    return search


ENGINES = {"bm25s": bm25s_engine, "tantivy": tantivy_engine, "sqlite-fts5": fts5_engine}


def grown(texts: list[str], copies: int) -> list[str]:
    out = list(texts)
    for copy in range(1, copies):
        for text in texts:
            words = text.split(" ")
            half = len(words) // 2
            out.append(" ".join(words[:half] + words[half + copy % 2::2]) + f" copy{copy}")
    return out


def ms(values: list[float]) -> tuple[float, float]:
    values = sorted(values)
    return round(statistics.median(values), 2), round(values[int(0.95 * (len(values) - 1))], 2)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("index_dir", type=Path)
    parser.add_argument("questions", type=Path)
    parser.add_argument("--copies", type=int, default=0, help="also time queries on this many copies of the chunks")
    parser.add_argument("--engines", default=",".join(ENGINES))
    args = parser.parse_args()
    chunks = list(ArticleIndex(Settings(index_dir=args.index_dir)).committed_chunks())
    texts = [document for _, _, document in chunks]
    questions = [q for q in load_questions(args.questions) if q.evidence]
    gold = [[quote for _, quote in q.evidence] for q in questions]
    for name in args.engines.split(","):
        started = time.perf_counter()
        try:
            search = ENGINES[name](texts)
        except ImportError as exc:
            print(f"{name:12s} skipped ({exc})", flush=True)
            continue
        build_s = time.perf_counter() - started
        ranked, times = [], []
        for q in questions:
            t0 = time.perf_counter()
            found = search(q.question, 10)
            times.append((time.perf_counter() - t0) * 1000)
            ranked.append([texts[i] for i in found])
        metrics = retrieval_metrics(ranked, gold)
        line = (f"{name:12s} Hits@10 {metrics['Hits@10']:.4f} MRR@10 {metrics['MRR@10']:.4f} build {build_s:.1f} s "
                f"query p50/p95 {ms(times)} ms")
        if args.copies:
            big = grown(texts, args.copies)
            started = time.perf_counter()
            search = ENGINES[name](big)
            build_s = time.perf_counter() - started
            times = []
            for q in questions[:200]:
                t0 = time.perf_counter()
                search(q.question, 50)
                times.append((time.perf_counter() - t0) * 1000)
            line += f"; {len(big)} chunks: build {build_s:.1f} s, top-50 query p50/p95 {ms(times)} ms"
        print(line, flush=True)


if __name__ == "__main__":
    main()
