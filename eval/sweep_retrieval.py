"""Sweep the retriever's fusion settings on an indexed eval set (reproduces the README's tuning table).

Usage: python eval/sweep_retrieval.py --index-dir DIR --questions Q.jsonl [--limit N]
Each question's dense and BM25 rankings (top 100, with and without question filters) are computed once;
fusion weights, rrf_k, the per-article cap and the use of filters are then varied offline with the same
fusion function the retriever runs (`assistant.retrieve.fuse`).
"""
from __future__ import annotations

import argparse
import itertools
import json
from pathlib import Path

from assistant.config import Settings
from assistant.evaluate import article_recall, load_questions, retrieval_metrics, standalone_query
from assistant.retrieve import Filters, HybridRetriever, filters_from_question, fuse
from assistant.store import ArticleIndex


def fused_top10(dense, lexical, dense_weight, lexical_weight, rrf_k, cap):
    """The retriever's own fusion (`assistant.retrieve.fuse`) over precomputed rankings of (chunk id, text, article id)."""
    ranks, info = {}, {}
    for name, ranking in (("dense", dense), ("lexical", lexical)):
        for rank, (chunk_id, text, article_id) in enumerate(ranking, start=1):
            ranks.setdefault(chunk_id, {})[name] = rank
            info[chunk_id] = (text, article_id)
    _, chosen = fuse(ranks, {"dense": dense_weight, "lexical": lexical_weight}, rrf_k,
                     {chunk_id: article_id for chunk_id, (_, article_id) in info.items()}, cap, 10)
    return [info[chunk_id] for chunk_id in chosen]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index-dir", required=True)
    parser.add_argument("--questions", required=True)
    parser.add_argument("--limit", type=int)
    args = parser.parse_args()
    index = ArticleIndex(Settings(index_dir=Path(args.index_dir)))
    retriever = HybridRetriever.from_settings(index, max_per_article=1000)
    questions = [q for q in load_questions(Path(args.questions))[: args.limit] if q.evidence]
    sources = retriever.known_sources()
    runs = {}
    for q in questions:
        query = standalone_query(q)
        parsed = filters_from_question(query, sources)
        runs[q.id] = {}
        for use_filters in (False, True):
            filters = parsed if use_filters else Filters()
            runs[q.id][use_filters] = [
                [(p.chunk_id, p.text, p.article_id) for p in retriever.search(query, k=100, filters=filters, mode=mode)]
                for mode in ("dense", "lexical")]
    rows = []
    for use_filters, dense_weight, lexical_weight, rrf_k, cap in itertools.product(
            (False, True), (0.0, 0.3, 0.5, 0.7, 1.0), (1.0,), (10, 30, 60), (2, 3, 4, 10)):
        ranked = [fused_top10(*runs[q.id][use_filters], dense_weight, lexical_weight, rrf_k, cap) for q in questions]
        metrics = retrieval_metrics([[t for t, _ in r] for r in ranked], [[quote for _, quote in q.evidence] for q in questions])
        metrics["ArticleRecall@10"] = article_recall([[a for _, a in r] for r in ranked], [q.gold_articles for q in questions])
        rows.append({"filters": use_filters, "dense_weight": dense_weight, "lexical_weight": lexical_weight,
                     "rrf_k": rrf_k, "max_per_article": cap, **{k: round(v, 4) for k, v in metrics.items()}})
    rows.sort(key=lambda r: -(r["Hits@10"] + r["MRR@10"]))
    print(json.dumps(rows[:15], indent=1))
    print(json.dumps([r for r in rows if r["dense_weight"] == 1.0 and r["rrf_k"] == 60 and r["max_per_article"] == 3], indent=1))


if __name__ == "__main__":
    main()
