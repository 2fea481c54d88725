"""The ChromaDB store: idempotent re-index, update, remove, crash safety, locking and server mode."""
from __future__ import annotations

import json
import random
import subprocess
import sys
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.articles import Article, load_file
from assistant.config import Settings
from assistant.store import EMBED_PIECE_CHUNKS, ArticleIndex, IndexBusy, IndexProgress
from conftest import ROOT, SEED


def seed_article() -> Article:
    return load_file(SEED, 2**22).articles[0]


def small_articles(count: int) -> list[Article]:
    return [Article(id=f"art-{i}", title=f"Story {i}", source="Test Wire", published_at=f"2024-01-{i % 28 + 1:02d}",
                    body="\n\n".join(f"Paragraph {p} of story {i} says the council met on day {p} and voted {i + p} to {p}."
                                     for p in range(12))) for i in range(count)]


def assert_consistent(index: ArticleIndex) -> None:
    """Every committed article has exactly its chunks visible, and no chunk is visible without its article."""
    per_article: dict[str, int] = {}
    for _, meta, _ in index.committed_chunks(include=("metadatas",)):
        per_article[meta["article_id"]] = per_article.get(meta["article_id"], 0) + 1
    listed = {row["id"]: row["chunks"] for row in index.list_articles()}
    assert per_article == listed


def test_index_is_idempotent_and_updates_replace_chunks(settings: Settings):
    index = ArticleIndex(settings)
    article = seed_article()
    first = index.index_articles([article])
    assert (first.added, first.unchanged, first.failed) == (1, 0, [])
    assert first.chunks == index.count_chunks() > 3
    second = index.index_articles([article])
    assert (second.added, second.updated, second.unchanged, second.chunks) == (0, 0, 1, 0)

    changed = replace(article, body=article.body.replace("absolutely false information", "completely untrue"))
    third = index.index_articles([changed])
    assert (third.updated, third.chunks) == (1, third.chunks)
    texts = [doc for _, _, doc in index.committed_chunks()]
    assert any("completely untrue" in t for t in texts) and not any("absolutely false information" in t for t in texts)
    assert index.chunk_collection.count() == index.count_chunks()  # old version's chunks are gone
    assert index.get_article(article.id).body == changed.body
    assert_consistent(index)


def test_progress_is_reported_per_embedded_piece_and_per_settled_article(settings: Settings):
    """One run over several articles and two write batches: `on_progress` gets growing chunk counts, at most
    EMBED_PIECE_CHUNKS apart, before any article is committed; its last call counts every article and chunk."""
    index = ArticleIndex(settings.model_copy(update={"chunk_tokens": 32, "chunk_overlap_tokens": 0,
                                                     "write_batch_chunks": 100}))
    articles = small_articles(12)
    settled: list[str] = []
    progress: list[IndexProgress] = []
    report = index.index_articles(articles, on_article=lambda article, status: settled.append(status),
                                  on_progress=progress.append)
    assert settled == ["added"] * 12  # on_article's contract is unchanged
    assert progress[-1] == IndexProgress(12, 12, report.chunks, report.chunks) and report.chunks > 2 * EMBED_PIECE_CHUNKS
    embedded, done = [update.chunks_embedded for update in progress], [update.articles_done for update in progress]
    assert embedded == sorted(embedded) and done == sorted(done)
    steps = sorted(set(embedded))
    assert len(steps) >= 3 and all(b - a <= EMBED_PIECE_CHUNKS for a, b in zip([0, *steps], steps))
    before_commit = [update for update in progress if update.articles_done == 0]
    assert len({update.chunks_embedded for update in before_commit}) >= 2  # the first batch moves in pieces
    assert before_commit[0].chunks_total < report.chunks  # the second batch's articles were not read yet
    assert all(0 < update.fraction <= 1 for update in progress) and progress[-1].fraction == 1

    changed = [replace(articles[0], body=articles[0].body + "\n\nA late paragraph adds a vote."), *articles[1:]]
    progress.clear()
    report = index.index_articles(iter(changed), on_progress=progress.append)  # no length: totals grow as read
    assert (report.updated, report.unchanged) == (1, 11)
    assert progress[-1] == IndexProgress(12, 12, report.chunks, report.chunks)
    assert progress[0].articles_total < 12


def test_changed_chunk_settings_reindex(settings: Settings):
    article = seed_article()
    ArticleIndex(settings).index_articles([article])
    smaller = ArticleIndex(settings.model_copy(update={"chunk_tokens": 100}))
    report = smaller.index_articles([article])
    assert report.updated == 1
    assert smaller.chunk_collection.count() == smaller.count_chunks() == report.chunks


def test_remove(settings: Settings):
    index = ArticleIndex(settings)
    index.index_articles(small_articles(3))
    removed, missing = index.remove(["art-1", "nope"])
    assert (removed, missing) == (["art-1"], ["nope"])
    assert [row["id"] for row in index.list_articles()] == ["art-0", "art-2"]
    assert index.chunk_collection.count() == index.count_chunks()
    assert not index.chunk_collection.get(where={"article_id": "art-1"})["ids"]


def test_a_failed_write_is_repaired_from_its_writing_record_without_scanning_every_chunk(settings: Settings,
                                                                                          monkeypatch):
    index = ArticleIndex(settings)
    articles = small_articles(3)
    index.index_articles(articles)
    visible = index.count_chunks()

    def fail(*args, **kwargs):
        raise RuntimeError("the process died before its commit")

    changed = replace(articles[1], body=articles[1].body + "\n\nA late paragraph adds a vote.")
    monkeypatch.setattr(index, "commit_articles", fail)
    with pytest.raises(RuntimeError):
        index.index_articles([changed, *small_articles(5)[3:]])  # one replacement, two new articles
    monkeypatch.undo()
    assert index.chunk_collection.count() > visible and index.count_chunks() == visible  # orphans, none visible
    marked = index.article_collection.get(ids=["__writing__"], include=["metadatas"])["metadatas"][0]
    assert json.loads(marked["articles"]) == ["art-1", "art-3", "art-4"]

    orphan = {"article_id": "art-0", "version": "not-committed", "index": 99, "start": 0, "end": 1, "prefix_len": 0,
              "title": "x", "source": "x", "published_at": "", "published_ts": 0, "url": ""}
    vector = index.chunk_collection.get(limit=1, include=["embeddings"])["embeddings"][0]
    index.chunk_collection.upsert(ids=["unmarked-orphan"], embeddings=[vector], documents=["x"], metadatas=[orphan])
    assert index.repair() > 0  # the marked articles' orphans
    assert not index.article_collection.get(ids=["__writing__"])["ids"]
    assert index.chunk_collection.count() == visible + 1  # an orphan no write marked is not looked for ...

    state = index.article_collection.get(ids=["__state__"], include=["metadatas"])["metadatas"][0]
    index.article_collection.update(ids=["__state__"], metadatas=[{**state, "marks_writes": False}])
    assert index.repair() == 1  # ... except in an index written before writes were marked: one full scan
    assert index.chunk_collection.count() == visible == index.count_chunks()
    assert index.article_collection.get(ids=["__state__"], include=["metadatas"])["metadatas"][0]["marks_writes"] is True
    report = index.index_articles([changed, *small_articles(5)[3:]])
    assert (report.updated, report.added) == (1, 2)
    assert index.chunk_collection.count() == index.count_chunks()
    assert_consistent(index)


def test_duplicate_ids_in_one_run_are_reported(settings: Settings):
    first, second = small_articles(1)[0], replace(small_articles(1)[0], path="other.jsonl#2")
    report = ArticleIndex(settings).index_articles([first, second])
    assert report.added == 1 and len(report.failed) == 1
    assert "duplicate article id 'art-0'" in report.failed[0]["error"]


def test_generation_changes_on_every_write(settings: Settings):
    index = ArticleIndex(settings)
    before = index.generation()
    index.index_articles(small_articles(1))
    after_add = index.generation()
    index.remove(["art-0"])
    assert before < after_add < index.generation()


def test_second_writer_waits_then_fails_clearly(settings: Settings):
    index = ArticleIndex(settings.model_copy(update={"lock_timeout_s": 0.5}))
    messages: list[str] = []
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with ArticleIndex(settings).write_lock():
            holding.set()
            release.wait(10)

    thread = threading.Thread(target=hold)
    thread.start()
    holding.wait(10)
    try:
        with pytest.raises(IndexBusy, match="another indexer"):
            index.index_articles(small_articles(1), on_wait=messages.append)
    finally:
        release.set()
        thread.join()
    assert messages and "waiting for another indexer" in messages[0]
    assert index.index_articles(small_articles(1)).added == 1


KILL_SCRIPT = """
import sys, json
from pathlib import Path
from assistant.config import Settings
from assistant.store import ArticleIndex
from assistant.articles import load_file
articles = load_file(Path(sys.argv[2]), 2**26).articles[: int(sys.argv[3])]
index = ArticleIndex(Settings(index_dir=Path(sys.argv[1]), write_batch_chunks=24))
index.index_articles(articles, on_article=lambda a, s: print(s, a.id, flush=True))
print("finished", flush=True)
"""


@pytest.mark.slow
def test_sigkill_mid_indexing_leaves_a_consistent_index(tmp_path: Path):
    count = 40
    corpus = tmp_path / "corpus.jsonl"
    with open(ROOT.parent / "shared/datasets/multihop-rag/articles.jsonl", encoding="utf-8") as full:
        corpus.write_text("".join(next(full) for _ in range(count)), encoding="utf-8")
    rng = random.Random(7)
    index_dir = tmp_path / "index"
    for attempt in range(3):
        process = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, str(index_dir), str(corpus), str(count)],
                                   stdout=subprocess.PIPE, text=True, cwd=ROOT)
        lines = [process.stdout.readline() for _ in range(rng.randint(1, 6))]
        process.kill()  # SIGKILL, mid-run: at least one batch committed, later ones in flight
        process.wait()
        assert not any(line.startswith("finished") for line in lines)
        index = ArticleIndex(Settings(index_dir=index_dir))
        assert_consistent(index)
        assert 0 < len(index.list_articles()) < count
    rerun = subprocess.run([sys.executable, "-m", "assistant.cli", "index", str(corpus), "--index-dir", str(index_dir),
                            "--json"], capture_output=True, text=True, cwd=ROOT)
    assert rerun.returncode == 0, rerun.stderr
    index = ArticleIndex(Settings(index_dir=index_dir))
    assert_consistent(index)
    assert len(index.list_articles()) == count
    assert index.chunk_collection.count() == index.count_chunks()  # the orphans were cleaned up
    report = json.loads(rerun.stdout)
    assert report["added"] == count - report["unchanged"] and report["unchanged"] > 0


@pytest.mark.slow
def test_server_mode_against_real_chroma_run(chroma_server, tmp_path: Path):
    settings = Settings(index_dir=tmp_path / "unused", chroma_host="127.0.0.1", chroma_port=chroma_server.port)
    index = ArticleIndex(settings)
    assert index.index_articles([seed_article()]).added == 1
    other_client = ArticleIndex(settings)  # a second user of the shared index sees the same articles
    assert [row["title"] for row in other_client.list_articles()] == [seed_article().title]
    assert other_client.index_articles([seed_article()]).unchanged == 1
    assert other_client.remove([seed_article().id])[0] == [seed_article().id]
    assert index.list_articles() == [] and index.count_chunks() == 0
    assert not (tmp_path / "unused" / "chroma").exists()
