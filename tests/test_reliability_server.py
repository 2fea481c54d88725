"""Chroma server faults: a real `chroma run` that stops, is killed mid-indexing, or freezes.

While the server is gone every ArticleIndex operation and HybridRetriever.search raises IndexUnavailable
naming host:port and what to do, quickly (never hanging); once the server is back on the same port and
path, the SAME ArticleIndex and HybridRetriever objects work again, without being re-created.
"""
from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from assistant import cli, lexical, store
from assistant.articles import Article
from assistant.config import Settings
from assistant.retrieve import HybridRetriever
from assistant.store import ArticleIndex, IndexUnavailable

pytestmark = pytest.mark.slow


def stories(count: int, start: int = 0) -> list[Article]:
    topics = ["harbour bridge", "school closures", "water prices", "tram line", "library hours", "port strike"]
    return [Article(id=f"story-{i}", title=f"Council debates the {topics[i % len(topics)]}", source="Test Wire",
                    published_at=f"2024-02-{i % 28 + 1:02d}",
                    body="\n\n".join(f"Paragraph {p}: the council met about the {topics[i % len(topics)]} on day {p} "
                                     f"and voted {i + p} to {p}. Residents of ward {i} asked for a delay." for p in range(6)))
            for i in range(start, start + count)]


@pytest.fixture
def server_settings(chroma_server, tmp_path: Path, monkeypatch) -> Settings:
    # The lock file and the BM25 cache of server mode live under XDG_CACHE_HOME: keep them in the test's folder.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return Settings(index_dir=tmp_path / "unused", chroma_host="127.0.0.1", chroma_port=chroma_server.port,
                    chunk_tokens=64, chunk_overlap_tokens=0, write_batch_chunks=8)


def assert_unavailable(call, port: int, seconds: float = 10.0) -> str:
    started = time.monotonic()
    with pytest.raises(IndexUnavailable) as raised:
        call()
    assert time.monotonic() - started < seconds, "the failure took too long"
    message = str(raised.value)
    assert f"127.0.0.1:{port}" in message and "chroma run" in message and "try again" in message, message
    return message


def assert_consistent(index: ArticleIndex) -> set[str]:
    """Every committed article has exactly its chunks visible; BM25 holds exactly the visible chunks."""
    per_article: dict[str, int] = {}
    visible = set()
    for chunk_id, meta, _ in index.committed_chunks(include=("metadatas",)):
        per_article[meta["article_id"]] = per_article.get(meta["article_id"], 0) + 1
        visible.add(chunk_id)
    assert per_article == {row["id"]: row["chunks"] for row in index.list_articles()}
    assert set(lexical.current(index).chunk_ids()) == visible
    return visible


def test_stopped_server_fails_clearly_and_the_same_objects_recover(chroma_server, server_settings: Settings,
                                                                   monkeypatch, capsys):
    port = chroma_server.port
    index = ArticleIndex(server_settings)
    assert index.index_articles(stories(3)).added == 3
    retriever = HybridRetriever.from_settings(index, k=5)
    before = [p.chunk_id for p in retriever.search("harbour bridge vote")]
    articles_before = index.list_articles()
    assert before and len(articles_before) == 3

    chroma_server.stop()
    message = assert_unavailable(index.list_articles, port)
    assert "cannot be reached" in message
    assert_unavailable(index.count_chunks, port)
    assert_unavailable(index.generation, port)
    assert_unavailable(lambda: index.get_article("story-0"), port)
    assert_unavailable(lambda: index.index_articles(stories(1, start=3)), port)
    assert_unavailable(lambda: index.remove(["story-0"]), port)
    assert_unavailable(lambda: retriever.search("harbour bridge vote"), port)
    assert_unavailable(lambda: retriever.invoke("harbour bridge vote"), port)  # the LangChain retriever interface
    assert_unavailable(lambda: ArticleIndex(server_settings), port)
    monkeypatch.setenv("ASSISTANT_CHROMA_HOST", "127.0.0.1")
    monkeypatch.setenv("ASSISTANT_CHROMA_PORT", str(port))
    capsys.readouterr()
    assert cli.main(["articles"]) == 2
    assert f"error: the Chroma server at 127.0.0.1:{port} cannot be reached" in capsys.readouterr().err

    chroma_server.start()  # same port, same data folder
    assert index.list_articles() == articles_before
    assert [p.chunk_id for p in retriever.search("harbour bridge vote")] == before
    assert index.index_articles(stories(1, start=3)).added == 1
    found = retriever.search("council debates the tram line ward 3", k=10)
    assert "story-3" in {p.article_id for p in found}  # the retriever saw the new generation
    assert index.remove(["story-0"])[0] == ["story-0"]
    assert "story-0" not in {p.article_id for p in retriever.search("harbour bridge vote", k=10)}
    assert_consistent(index)
    assert cli.main(["articles"]) == 0


def test_server_killed_mid_indexing_leaves_a_consistent_index(chroma_server, server_settings: Settings):
    port = chroma_server.port
    index = ArticleIndex(server_settings)
    retriever = HybridRetriever.from_settings(index)
    committed: list[str] = []

    def kill_after_first_commit(article: Article, status: str) -> None:
        committed.append(article.id)
        if chroma_server.process.poll() is None:
            chroma_server.process.kill()  # SIGKILL: no clean shutdown
            chroma_server.process.wait()

    articles = stories(8)
    assert_unavailable(lambda: index.index_articles(articles, on_article=kill_after_first_commit), port)
    assert 0 < len(committed) < len(articles)

    chroma_server.start()
    assert 0 < len(index.list_articles()) < len(articles)
    assert_consistent(index)
    report = index.index_articles(articles)
    assert report.added + report.unchanged == len(articles) and report.unchanged > 0 and not report.failed
    visible = assert_consistent(index)
    assert index.chunk_collection.count() == len(visible)  # the interrupted batch's chunks were cleaned up
    assert {p.chunk_id for p in retriever.search("council", k=30)} <= visible


def test_frozen_server_times_out_instead_of_hanging(chroma_server, server_settings: Settings, monkeypatch):
    monkeypatch.setattr(store, "CHROMA_TIMEOUT_S", 2.0)
    port = chroma_server.port
    index = ArticleIndex(server_settings)
    assert index.index_articles(stories(2)).added == 2
    retriever = HybridRetriever.from_settings(index)
    assert retriever.search("school closures")

    os.kill(chroma_server.process.pid, signal.SIGSTOP)  # the server accepts connections but never answers
    try:
        message = assert_unavailable(index.list_articles, port, seconds=15)
        assert "did not answer within 2 s" in message
        assert_unavailable(lambda: retriever.search("school closures"), port, seconds=15)
    finally:
        os.kill(chroma_server.process.pid, signal.SIGCONT)
    assert len(index.list_articles()) == 2
    assert retriever.search("school closures")
