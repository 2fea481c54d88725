"""Part 1: indexing throughput of our pipeline against the embedding floor and the LangChain tutorial path.

Four steps, each in its own process and each loading the embedding model itself (timed apart as `model_load_s`):
- `ours`: `ArticleIndex(...).index_articles(load_file(...).articles)` into a fresh index;
- `floor`: the embedding model alone encoding exactly the embed texts `ours` stored (same batch size), so
  the two compare the same work even if the chunker changes while the benchmark runs;
- `tutorial`: RecursiveCharacterTextSplitter(1000, 200) + `Chroma.from_documents` into a fresh persist dir;
- `reindex`: our pipeline again on the unchanged corpus and the same index (loads no model unless it must).
`work_s` is the timed work without model load; `total_s = model_load_s + work_s`.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from .harness import Config, disk_mb, in_subprocess, load_articles, log, model_load, rss_mb


def _rates(result: dict) -> dict:
    work = result["work_s"] or 1e-9
    result["total_s"] = round(result["model_load_s"] + result["work_s"], 2)
    result["articles_per_s"] = round(result["articles"] / work, 1)
    result["chunks_per_s"] = round(result["chunks"] / work, 1)
    return result


def floor(articles_path: Path, limit: int | None, texts_file: Path) -> dict:
    from assistant.chunking import chunk_article
    from assistant.config import Settings

    texts = json.loads(texts_file.read_text())
    settings = Settings()
    started = time.perf_counter()
    articles = load_articles(articles_path, limit)
    chunked = [chunk.embed_text for article in articles
               for chunk in chunk_article(article, settings.chunk_tokens, settings.chunk_overlap_tokens, settings.embed_metadata)]
    chunking_s = round(time.perf_counter() - started, 2)
    embeddings, load_s = model_load()
    rss_model = rss_mb()
    started = time.perf_counter()
    embeddings.embed_documents(texts)
    return _rates({"articles": len(articles), "chunks": len(texts), "model_load_s": load_s, "chunking_s": chunking_s,
                   "work_s": round(time.perf_counter() - started, 2), "rss_after_model_mb": rss_model,
                   "chunker_gives_same_texts": sorted(chunked) == sorted(texts)})


def ours(articles_path: Path, limit: int | None, index_dir: Path, preload_model: bool = True,
         texts_file: Path | None = None) -> dict:
    from assistant.config import Settings
    from assistant.store import ArticleIndex

    load_s, rss_model = 0.0, None
    if preload_model:  # the re-index run must show whether it loads the model at all, so it does not preload
        _, load_s = model_load()
        rss_model = rss_mb()
    started = time.perf_counter()
    index = ArticleIndex(Settings(index_dir=index_dir))
    report = index.index_articles(load_articles(articles_path, limit))
    work_s = round(time.perf_counter() - started, 2)
    if texts_file:  # the embed texts as stored (store.py stores each chunk's embed_text as its document), for the floor
        texts_file.write_text(json.dumps([document for _, _, document in index.committed_chunks()]))
    return _rates({"articles": report.added + report.updated + report.unchanged, "chunks": report.chunks,
                   "report": report.as_dict() | {"failed": len(report.failed)}, "model_load_s": load_s, "work_s": work_s,
                   "rss_after_model_mb": rss_model, "disk_mb": disk_mb(index_dir),
                   "model_loaded": "sentence_transformers" in sys.modules})


def tutorial(articles_path: Path, limit: int | None, persist_dir: Path) -> dict:
    embeddings, load_s = model_load()
    rss_model = rss_mb()
    started = time.perf_counter()
    from langchain_chroma import Chroma
    from langchain_core.documents import Document
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    documents = [Document(page_content=a.body, metadata={"article_id": a.id, "title": a.title, "source": a.source})
                 for a in load_articles(articles_path, limit)]
    splits = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200).split_documents(documents)
    Chroma.from_documents(splits, embeddings, collection_name="tutorial", persist_directory=str(persist_dir))
    return _rates({"articles": len(documents), "chunks": len(splits), "model_load_s": load_s,
                   "work_s": round(time.perf_counter() - started, 2), "rss_after_model_mb": rss_model,
                   "disk_mb": disk_mb(persist_dir)})


def _ratio(a: float, b: float) -> float | None:
    return round(a / b, 2) if b else None


def run(cfg: Config) -> dict:
    index_dir = cfg.work / "ours"
    texts_file = cfg.work / "embed-texts.json"
    steps = {}
    log("indexing: ours (fresh index)")
    steps["ours"] = in_subprocess(ours, cfg.articles, cfg.article_limit, index_dir, True, texts_file)
    log(f"  {steps['ours']['chunks']} chunks in {steps['ours']['work_s']} s; re-index of the unchanged corpus")
    steps["reindex"] = in_subprocess(ours, cfg.articles, cfg.article_limit, index_dir, False)
    log(f"  {steps['reindex']['work_s']} s; floor (embedding model alone, same texts)")
    steps["floor"] = in_subprocess(floor, cfg.articles, cfg.article_limit, texts_file)
    log(f"  {steps['floor']['work_s']} s; LangChain tutorial path")
    steps["tutorial"] = in_subprocess(tutorial, cfg.articles, cfg.article_limit, cfg.work / "tutorial")
    log(f"  {steps['tutorial']['work_s']} s")
    cfg.state["index_dir"] = index_dir
    cfg.state["chunks"] = steps["ours"]["chunks"]
    cfg.state["ours_chunks_per_s"] = steps["ours"]["chunks_per_s"]
    o, f, t, r = steps["ours"], steps["floor"], steps["tutorial"], steps["reindex"]
    ratios = {
        "ours_over_floor_work": _ratio(o["work_s"], f["work_s"]),
        "ours_over_floor_total": _ratio(o["total_s"], f["total_s"]),
        "ours_over_tutorial_work": _ratio(o["work_s"], t["work_s"]),
        "ours_over_tutorial_total": _ratio(o["total_s"], t["total_s"]),
        # per chunk, since the two paths cut different numbers of chunks
        "ours_over_tutorial_per_chunk": _ratio(o["work_s"] / max(o["chunks"], 1), t["work_s"] / max(t["chunks"], 1)),
        "reindex_pct_of_first_work": round(100 * r["total_s"] / o["work_s"], 2) if o["work_s"] else None,
        "reindex_pct_of_first_total": round(100 * r["total_s"] / o["total_s"], 2) if o["total_s"] else None,
    }
    return {"steps": steps, "ratios": ratios, "targets": {"reindex_pct_of_first_total": 5.0}}
