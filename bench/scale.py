"""Part 3: retrieval latency, index disk size and RSS as the chunk count grows to multiples of the real index.

Synthetic chunks skip the embedding cost: copy r of every real article gets the id `<article id>~<r>`, and
each of its chunks the real chunk's metadata (same layout as store.py writes, same source and date, so
question filters keep their selectivity), a text in which ~30% of the sentences are replaced by random
sentences of the corpus and two words swapped, and the real embedding plus gaussian noise (sigma 0.02 per
dimension, cosine ~0.93 to the original), renormalized. They are written straight into the index's Chroma
collections with precomputed embeddings, chunks first, then each copy is committed like an indexing run commits
(`ArticleIndex.commit_articles`: the lexical documents, then the article records, the commit marker).

At every size, besides latency (`retrieval.measure`, whose first query gives `cold_first_query_ms`), `freshness`
measures how soon a running retriever finds an article that another process has just committed.

Sizes run in order while the budget, free disk and memory allow, judged by extrapolating the previous
point (insert rate, measurement time, disk, RSS); sizes that do not fit are reported as extrapolations.
"""
from __future__ import annotations

import json
import pickle
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from .harness import ROOT, Config, disk_mb, in_subprocess, load_question_texts, log, rss_mb
from .profiles import profile_retrieval
from .retrieval import TARGETS_MS, measure

SCHEDULE = (3, 10, 30, 100, 300, 1000)  # multiples of the real chunk count
QUICK_SCHEDULE = (3, 10)
QUESTIONS, QUICK_QUESTIONS = 200, 30
NOISE, REPLACE = 0.02, 0.3
WRITE_BATCH = 5000  # under Chroma's max batch size (5461 here)
RESERVE_S = 90  # kept for writing the report
P95_LIMIT_MS, P50_TARGET_MS = TARGETS_MS["p95"], TARGETS_MS["p50"]  # the retrieval targets of part 2
RSS_SHARE_LIMIT = 0.5  # of the machine's RAM, for one retriever process
REEMBED_LIMIT_H = 8.0  # a full re-embedding (model change) should fit in a night
FRESHNESS_TRIALS, POLL_S, FRESHNESS_TIMEOUT_S = 5, 0.05, 120.0


def snapshot(index_dir: Path, out: Path) -> dict:
    """Save the real index's chunks (with embeddings) and article records, the material every copy is made from."""
    from assistant.config import Settings
    from assistant.store import ArticleIndex

    index = ArticleIndex(Settings(index_dir=index_dir))
    chunks = index.chunk_collection.get(include=["embeddings", "documents", "metadatas"])
    articles = index.article_collection.get(where={"kind": "article"}, include=["documents", "metadatas"])
    with open(out, "wb") as handle:
        pickle.dump({"chunks": chunks, "articles": articles}, handle)
    return {"chunks": len(chunks["ids"]), "articles": len(articles["ids"])}


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def perturb(text: str, pool: list[str], rng: random.Random) -> str:
    """Replace ~REPLACE of the sentences by random corpus sentences and swap two words."""
    sentences = [rng.choice(pool) if rng.random() < REPLACE else s for s in _SENTENCE_END.split(text)]
    words = " ".join(sentences).split(" ")
    if len(words) > 3:
        i, j = rng.randrange(len(words)), rng.randrange(len(words))
        words[i], words[j] = words[j], words[i]
    return " ".join(words)


def grow(index_dir: Path, snapshot_file: Path, first_copy: int, end_copy: int) -> dict:
    """Add synthetic copies first_copy..end_copy-1 of the real corpus to the index; returns the insert rate."""
    import numpy as np

    from assistant.config import Settings
    from assistant.store import ArticleIndex

    with open(snapshot_file, "rb") as handle:
        base = pickle.load(handle)
    chunks, articles = base["chunks"], base["articles"]
    bodies = [doc[meta["prefix_len"]:] for doc, meta in zip(chunks["documents"], chunks["metadatas"])]
    pool = [s for body in bodies for s in _SENTENCE_END.split(body) if len(s) > 20]
    vectors = np.asarray(chunks["embeddings"], dtype=np.float32)
    index = ArticleIndex(Settings(index_dir=index_dir))
    started = time.perf_counter()
    added = 0
    with index.write_lock():
        for copy in range(first_copy, end_copy):
            rng, noise = random.Random(copy), np.random.default_rng(copy)
            written: list[tuple[str, dict, str]] = []
            for start in range(0, len(chunks["ids"]), WRITE_BATCH):
                rows = range(start, min(start + WRITE_BATCH, len(chunks["ids"])))
                metas = [{**chunks["metadatas"][i], "article_id": f"{chunks['metadatas'][i]['article_id']}~{copy}"} for i in rows]
                batch = vectors[start:rows.stop] + noise.normal(0, NOISE, (len(rows), vectors.shape[1])).astype(np.float32)
                batch /= np.linalg.norm(batch, axis=1, keepdims=True)
                ids = [f"{m['article_id']}:{m['version']}:{m['index']:04d}" for m in metas]
                documents = [chunks["documents"][i][:metas[n]["prefix_len"]] + perturb(bodies[i], pool, rng)
                             for n, i in enumerate(rows)]
                index.chunk_collection.add(ids=ids, embeddings=batch, metadatas=metas, documents=documents)
                written += zip(ids, metas, documents)
                added += len(rows)
            index.commit_articles([f"{a}~{copy}" for a in articles["ids"]], articles["documents"], articles["metadatas"],
                                  written, [])
    seconds = time.perf_counter() - started
    return {"added_chunks": added, "seconds": round(seconds, 1), "chunks_per_s": round(added / seconds, 1)}


_INDEXER = """
import json, sys, time
from assistant.articles import Article
from assistant.config import Settings
from assistant.store import ArticleIndex
index = ArticleIndex(Settings(index_dir=sys.argv[1]))
index.embeddings.embed_documents(["warm up"])
committed = []
finish = index.lexical.finish  # called right after the Chroma commit (the article record) has returned


def finish_after_commit(state):
    committed.append(time.time())
    finish(state)


index.lexical.finish = finish_after_commit
print("ready", flush=True)
for line in sys.stdin:
    index.index_articles([Article(**json.loads(line))])
    print(json.dumps({"committed": committed.pop()}), flush=True)
"""


def _probe_article(trial: int) -> dict:
    word = f"zqx{random.Random(trial).getrandbits(40):x}"  # a word no other article has
    title = f"Harbour authority names {word} as new ferry operator"
    body = (f"The harbour authority said on Tuesday that {word} will run the island ferry from next spring. "
            f"Officials said {word} won the tender over two rival bids.")
    return {"id": f"freshness-{word}", "title": title, "body": body, "source": "Freshness Wire",
            "published_at": "2024-06-01"}


def freshness(index_dir: Path, trials: int = FRESHNESS_TRIALS) -> dict:
    """Time from an indexing process's commit of one new article (unique title) to the first query of this, already
    running, retriever (polling every POLL_S) that has it in its top 10; median of `trials`, with the stages of that
    query (the Chroma state read and reopen, the lexical reopen, the searches). The probe articles are removed after."""
    from assistant.config import Settings
    from assistant.retrieve import HybridRetriever
    from assistant.store import ArticleIndex

    settings = Settings(index_dir=index_dir)
    retriever = HybridRetriever.from_settings(ArticleIndex(settings))
    retriever.search("warm up the retriever")
    indexer = subprocess.Popen([sys.executable, "-c", _INDEXER, str(index_dir)], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert indexer.stdout.readline().strip() == "ready"
        rows = []
        for trial in range(trials):
            article = _probe_article(trial)
            indexer.stdin.write(json.dumps(article) + "\n")
            indexer.stdin.flush()
            polls, deadline = 0, time.time() + FRESHNESS_TIMEOUT_S
            while True:
                polled = time.time()
                found = any(p.article_id == article["id"] for p in retriever.search(article["title"], k=10))
                polls += 1
                if found or time.time() > deadline:
                    break
                time.sleep(POLL_S)
            found_at = time.time()
            committed = json.loads(indexer.stdout.readline())["committed"]
            stages = retriever.last_timings_ms
            rows.append({"freshness_ms": round((found_at - committed) * 1000, 1) if found else None, "polls": polls,
                         "poll_started_after_commit_ms": round((polled - committed) * 1000, 1),
                         "stages_ms": {stage: round(ms, 1) for stage, ms in stages.items()}})
    finally:
        indexer.stdin.close()
        indexer.wait(timeout=60)
    ArticleIndex(settings).remove([_probe_article(trial)["id"] for trial in range(trials)])
    measured = [row["freshness_ms"] for row in rows if row["freshness_ms"] is not None]
    median = statistics.median(measured) if len(measured) == len(rows) else None
    return {"freshness_ms": median, "trials": rows, "rss_mb_after": rss_mb(),
            "median_trial_stages_ms": next((row["stages_ms"] for row in rows if row["freshness_ms"] == median), None)}


def _fit(points: list[tuple[float, float]]) -> tuple[float, float] | None:
    """(a, b) of y = a + b * x, least squares on the last three measured points (a fixed cost plus a per-chunk cost)."""
    points = points[-3:]
    if len(points) < 2:
        return None
    mx, my = sum(x for x, _ in points) / len(points), sum(y for _, y in points) / len(points)
    var = sum((x - mx) ** 2 for x, _ in points)
    b = sum((x - mx) * (y - my) for x, y in points) / var if var else 0.0
    return my - b * mx, b


def _predict(fit: tuple[float, float] | None, x: float) -> float | None:
    return round(max(fit[0] + fit[1] * x, 0.0), 1) if fit else None


def _solve(fit: tuple[float, float] | None, y: float) -> float | None:
    """x where a + b * x reaches y (None when it does not grow)."""
    return (y - fit[0]) / fit[1] if fit and fit[1] > 0 else None


def _point(multiple: int, measured: dict, fresh: dict, index_dir: Path, grown: dict | None) -> dict:
    return {"multiple": multiple, "chunks": measured["chunks"], "measured": True, "disk_mb": disk_mb(index_dir),
            "p50_ms": measured["stages_ms"]["total"]["p50"], "p95_ms": measured["stages_ms"]["total"]["p95"],
            "p99_ms": measured["stages_ms"]["total"]["p99"], "search_p95_ms": measured["stages_ms"]["search"]["p95"],
            "embed_p50_ms": measured["stages_ms"]["embed_query"]["p50"], "peak_rss_mb": measured["peak_rss_mb"],
            "cold_first_query_ms": measured["cold_first_query_ms"],
            "lexical_open_ms": measured["cold_first_query_stages_ms"]["lexical_refresh"], "stages_ms": measured["stages_ms"],
            "dense_ms_by_filters": measured["dense_ms_by_filters"], "measure_s": measured["process_s"], "grow": grown,
            "freshness_ms": fresh["freshness_ms"], "freshness_stages_ms": fresh["median_trial_stages_ms"],
            "freshness_trials": fresh["trials"], "freshness_peak_rss_mb": fresh["peak_rss_mb"],
            "freshness_s": fresh["process_s"]}


def _measure_point(multiple: int, directory: Path, cfg: Config, questions: int, grown: dict | None) -> dict:
    measured = in_subprocess(measure, directory, cfg.questions, questions)
    fresh = in_subprocess(freshness, directory)
    log(f"  {multiple}x: freshness {fresh['freshness_ms']} ms, cold first query {measured['cold_first_query_ms']} ms")
    return _point(multiple, measured, fresh, directory, grown)


def run(cfg: Config) -> dict:
    import psutil

    directory = cfg.work / "scale"
    shutil.rmtree(directory, ignore_errors=True)
    shutil.copytree(cfg.state["index_dir"], directory)
    snap = cfg.work / "scale-base.pkl"
    base = in_subprocess(snapshot, directory, snap)
    questions = QUICK_QUESTIONS if cfg.quick else QUESTIONS
    ram_mb = psutil.virtual_memory().total / 2**20
    log(f"scale: base {base['chunks']} chunks; measuring 1x")
    points = [_measure_point(1, directory, cfg, questions, None)]
    skipped: list[dict] = []
    current = 1
    for multiple in (QUICK_SCHEDULE if cfg.quick else SCHEDULE):
        last = points[-1]
        growth = multiple / current
        rate = last["grow"]["chunks_per_s"] * 0.8 if last["grow"] else 1000.0  # inserts slow down as the index grows
        rss_fit = _fit([(p["chunks"], p["peak_rss_mb"]) for p in points])
        estimate = {"grow_s": round((multiple - current) * base["chunks"] / rate),
                    "measure_s": round((last["measure_s"] + last["freshness_s"]) * growth), "disk_mb": round(last["disk_mb"] * growth),
                    "peak_rss_mb": round(_predict(rss_fit, multiple * base["chunks"]) if rss_fit else last["peak_rss_mb"] * growth)}
        reasons = []
        if estimate["grow_s"] + estimate["measure_s"] > cfg.remaining() - RESERVE_S:
            reasons.append(f"time: needs ~{estimate['grow_s'] + estimate['measure_s']} s, {max(0, round(cfg.remaining() - RESERVE_S))} s left in the budget")
        if estimate["disk_mb"] > 0.5 * shutil.disk_usage(cfg.work).free / 2**20:
            reasons.append(f"disk: needs ~{estimate['disk_mb']} MiB")
        if estimate["peak_rss_mb"] > 0.6 * psutil.virtual_memory().available / 2**20:
            reasons.append(f"memory: needs ~{estimate['peak_rss_mb']} MiB RSS")
        if reasons:
            skipped.append({"multiple": multiple, "estimate": estimate, "reasons": reasons})
            log(f"  {multiple}x skipped ({'; '.join(reasons)})")
            continue
        log(f"  growing to {multiple}x (~{estimate['grow_s']} s estimated)")
        grown = in_subprocess(grow, directory, snap, current, multiple)
        log(f"  {grown['chunks_per_s']} chunks/s inserted; measuring {multiple}x")
        points.append(_measure_point(multiple, directory, cfg, questions, grown))
        current = multiple
        log(f"  {multiple}x: p95 {points[-1]['p95_ms']} ms, peak RSS {points[-1]['peak_rss_mb']} MiB")
    log(f"  profiling one retrieval at {current}x")
    try:
        profile = in_subprocess(profile_retrieval, directory, load_question_texts(cfg.questions, 7), cfg.out, f"retrieval-{current}x")
    except Exception as exc:  # the measured sizes matter more than this profile
        profile = {"error": repr(exc)}
    return {"base_chunks": base["chunks"], "questions": questions, "points": points, "profile_largest": profile,
            "extrapolated": _extrapolate(points, skipped, base["chunks"], cfg.state.get("ours_chunks_per_s")),
            "limits": _limits(points, ram_mb, cfg.state.get("ours_chunks_per_s")),
            "method": {"noise_sigma": NOISE, "replaced_sentences": REPLACE, "write_batch": WRITE_BATCH}}


def _extrapolate(points: list[dict], skipped: list[dict], base_chunks: int, embed_rate: float | None) -> list[dict]:
    """Sizes that were not run, from linear fits (fixed + per-chunk cost) on the largest measured sizes.

    Only the index-dependent latency is extrapolated; query embedding adds its (size-independent) time on top.
    """
    fits = {key: _fit([(p["chunks"], p[key]) for p in points]) for key in ("search_p95_ms", "peak_rss_mb", "disk_mb")}
    rows = []
    for skip in skipped:
        chunks = skip["multiple"] * base_chunks
        rows.append({**skip, "chunks": chunks, "measured": False, **{key: _predict(fit, chunks) for key, fit in fits.items()},
                     "embed_hours": round(chunks / embed_rate / 3600, 1) if embed_rate else None})
    return rows


def _limits(points: list[dict], ram_mb: float, embed_rate: float | None) -> dict:
    """Chunk counts where one machine stops being enough, by each criterion (measured if crossed, else extrapolated).

    Latency is judged on the part of a search that grows with the index (total minus query embedding, whose
    cost does not depend on the index and is the noisiest stage on a shared machine): its p95 must stay under
    the p95 target minus the p50 target, which leaves the p50 target's time for the query embedding.
    """
    def crossing(key: str, limit: float) -> dict:
        for n, p in enumerate(points):
            if all(later[key] > limit for later in points[n:]):  # one noisy size alone is not a crossing
                return {"chunks": p["chunks"], "how": "measured"}
        x = _solve(_fit([(p["chunks"], p[key]) for p in points]), limit)
        return {"chunks": round(x) if x else None, "how": "extrapolated (linear fit on the largest measured sizes)"}

    search_budget = P95_LIMIT_MS - P50_TARGET_MS
    limits = {"latency": {"limit": f"p95 of the index-dependent part > {search_budget:.0f} ms "
                                   f"(p95 target {P95_LIMIT_MS:.0f} ms minus {P50_TARGET_MS:.0f} ms for the query embedding)",
                          "threshold_ms": search_budget, **crossing("search_p95_ms", search_budget)},
              "memory": {"limit": f"retriever RSS > {RSS_SHARE_LIMIT:.0%} of {ram_mb / 1024:.0f} GiB RAM",
                         **crossing("peak_rss_mb", RSS_SHARE_LIMIT * ram_mb)}}
    if embed_rate:
        limits["reembedding"] = {"limit": f"full re-embedding > {REEMBED_LIMIT_H:.0f} h at {embed_rate} chunks/s",
                                 "chunks": round(REEMBED_LIMIT_H * 3600 * embed_rate), "how": "computed"}
    known = [v["chunks"] for v in limits.values() if v["chunks"]]
    limits["first"] = min(known) if known else None
    return limits
