"""Part 4: pyinstrument profiles of indexing ~50 articles and of one retrieval (cold and warm).

The embedding model is loaded before the indexing profile starts (model load is part 1's `model_load_s`).
Each profile is saved as HTML and text under the results folder; the report lists the top functions.
"""
from __future__ import annotations

from pathlib import Path

from .harness import Config, in_subprocess, load_articles, load_question_texts, log, model_load

ARTICLES, QUICK_ARTICLES = 50, 10
TOP = 10


def _save(profiler, out: Path, name: str) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    (out / f"profile-{name}.html").write_text(profiler.output_html())
    (out / f"profile-{name}.txt").write_text(profiler.output_text(unicode=True, color=False, show_all=False))
    session = profiler.last_session
    return {"name": name, "seconds": round(session.duration, 3), "samples": session.sample_count,
            "html": f"profile-{name}.html", "text": f"profile-{name}.txt", **top_functions(session.root_frame())}


def top_functions(root, n: int = TOP) -> dict:
    """The `n` functions with the most self time, and the `n` assistant/ functions with the most total time."""
    self_time: dict[str, float] = {}
    total_time: dict[str, float] = {}

    def walk(frame, on_stack: frozenset) -> None:
        if frame.is_synthetic:  # "[self]" leaves: their time is already the parent's total_self_time
            return
        key = f"{frame.function} ({frame.file_path_short}:{frame.line_no})"
        self_time[key] = self_time.get(key, 0.0) + frame.total_self_time
        if "/assistant/" in (frame.file_path or "") and key not in on_stack:  # recursion counted once
            total_time[key] = total_time.get(key, 0.0) + frame.time
        for child in frame.children:
            walk(child, on_stack | {key})

    if root is not None:
        walk(root, frozenset())
    duration = root.time if root is not None else 1.0

    def ranked(table: dict[str, float]) -> list[dict]:
        rows = sorted(table.items(), key=lambda item: -item[1])[:n]
        return [{"function": key, "seconds": round(t, 4), "share": round(t / duration, 3)} for key, t in rows]

    return {"top_self": ranked(self_time), "top_assistant_total": ranked(total_time)}


def profile_indexing(articles_path: Path, limit: int, index_dir: Path, out: Path) -> dict:
    from pyinstrument import Profiler

    from assistant.config import Settings
    from assistant.store import ArticleIndex

    model_load()
    articles = load_articles(articles_path, limit)
    profiler = Profiler(interval=0.001)
    profiler.start()
    report = ArticleIndex(Settings(index_dir=index_dir)).index_articles(articles)
    profiler.stop()
    return {**_save(profiler, out, "indexing"), "articles": len(articles), "chunks": report.chunks}


def profile_retrieval(index_dir: Path, questions: list[str], out: Path, name: str = "retrieval") -> dict:
    from pyinstrument import Profiler

    from assistant.config import Settings
    from assistant.retrieve import HybridRetriever
    from assistant.store import ArticleIndex

    profiler = Profiler(interval=0.001)
    profiler.start()  # cold: opens the index, loads the model and the BM25 side
    retriever = HybridRetriever.from_settings(ArticleIndex(Settings(index_dir=index_dir)))
    retriever.search(questions[0])
    profiler.stop()
    cold = _save(profiler, out, f"{name}-cold")
    for question in questions[1:-1]:
        retriever.search(question)
    profiler = Profiler(interval=0.0002)
    profiler.start()  # warm: a question not asked before
    retriever.search(questions[-1])
    profiler.stop()
    return {"cold": cold, "warm": {**_save(profiler, out, f"{name}-warm"), "question": questions[-1]}}


def run(cfg: Config) -> dict:
    limit = QUICK_ARTICLES if cfg.quick else ARTICLES
    log(f"profiles: indexing {limit} articles, one retrieval")
    indexing = in_subprocess(profile_indexing, cfg.articles, limit, cfg.work / "profile-index", cfg.out)
    retrieval = in_subprocess(profile_retrieval, cfg.state["index_dir"], load_question_texts(cfg.questions, 7), cfg.out)
    return {"indexing": indexing, "retrieval_cold": retrieval["cold"], "retrieval_warm": retrieval["warm"]}
