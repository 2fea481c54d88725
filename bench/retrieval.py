"""Part 2: retrieval latency per stage over the dev questions, from `HybridRetriever.last_timings_ms`.

The first query loads the embedding model and opens the lexical side (rebuilt from Chroma if missing); it is timed
apart as `cold_first_query_ms`, then a few more warm-up queries run before the measured ones.
"""
from __future__ import annotations

import time
from collections import defaultdict
from pathlib import Path

from .harness import Config, in_subprocess, load_question_texts, log, rss_mb

# last_timings_ms key -> what the report calls it
STAGES = {"embed_query": "query embedding", "dense": "dense search (Chroma)",
          "dense_lookup": "dense hits' texts and filters (lexical index)", "lexical": "BM25 (lexical index)",
          "fusion": "fusion", "state": "commit state check (Chroma)", "lexical_refresh": "lexical reopen check",
          "total": "retriever total",
          "search": "retriever total minus query embedding"}  # the part that grows with the index
TARGETS_MS = {"p50": 30.0, "p95": 80.0}
WARMUP = 5


def measure(index_dir: Path, questions_path: Path, limit: int | None) -> dict:
    """Latency percentiles of `HybridRetriever.search` on the index in `index_dir` (run in its own process)."""
    from assistant.config import Settings
    from assistant.evaluate import percentiles
    from assistant.retrieve import HybridRetriever, filters_from_question
    from assistant.store import ArticleIndex

    questions = load_question_texts(questions_path, limit)
    started = time.perf_counter()
    index = ArticleIndex(Settings(index_dir=index_dir))
    retriever = HybridRetriever.from_settings(index)
    retriever.search(questions[0])
    cold_ms = (time.perf_counter() - started) * 1000
    cold_stages = {stage: round(ms, 1) for stage, ms in retriever.last_timings_ms.items()}
    for question in questions[1:1 + WARMUP]:
        retriever.search(question)
    rss_warm = rss_mb()
    sources = retriever.known_sources()
    filtered = [bool(filters_from_question(question, sources)) for question in questions]
    stages: dict[str, list[float]] = defaultdict(list)
    wall = []
    for question in questions:
        t0 = time.perf_counter()
        retriever.search(question)
        wall.append((time.perf_counter() - t0) * 1000)
        timings = retriever.last_timings_ms
        for stage, ms in timings.items():
            stages[stage].append(ms)
        stages["search"].append(timings["total"] - timings.get("embed_query", 0.0))
    dense_split = {name: percentiles([ms for ms, f in zip(stages["dense"], filtered) if f == want])
                   for name, want in (("with_filters", True), ("without_filters", False))}
    import torch  # already loaded by the embedding model; imported here so the cold query still pays for it

    return {"chunks": index.chunk_collection.count(), "questions": len(questions), "cold_first_query_ms": round(cold_ms, 1),
            "cold_first_query_stages_ms": cold_stages,
            "stages_ms": {stage: percentiles(values) for stage, values in stages.items()},
            "mean_total_ms": round(sum(stages["total"]) / len(stages["total"]), 1),
            "wall_ms": percentiles(wall), "questions_with_filters": sum(filtered), "dense_ms_by_filters": dense_split,
            "rss_warm_mb": rss_warm,
            "torch_threads": torch.get_num_threads()}


def run(cfg: Config) -> dict:
    log(f"retrieval: {cfg.question_limit or 'all'} questions on the {cfg.state['chunks']}-chunk index")
    result = in_subprocess(measure, cfg.state["index_dir"], cfg.questions, cfg.question_limit)
    total = result["stages_ms"]["total"]
    result["targets_ms"] = TARGETS_MS
    result["meets_targets"] = total["p50"] < TARGETS_MS["p50"] and total["p95"] < TARGETS_MS["p95"]
    log(f"  total p50 {total['p50']} ms, p95 {total['p95']} ms")
    return result
