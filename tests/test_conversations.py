"""Server-side conversations: a real SQLite file, users kept apart, stale citations marked."""
from __future__ import annotations

import threading

import pytest

from assistant.conversations import (STALE_CHANGED, STALE_REMOVED, ConversationNotFound, ConversationStore,
                                     mark_stale_citations, title_from)


def answer(text: str, citations=()) -> dict:
    return {"answer": text, "abstained": not citations, "citations": list(citations), "short_answer": text}


def citation(article_id: str, quote: str, start: int) -> dict:
    return {"marker": 1, "article_id": article_id, "quote": quote, "start": start, "end": start + len(quote),
            "title": "T", "source": "S", "published_at": "2024-01-01", "url": "", "chunk_id": "c", "passage": quote,
            "passage_start": start}


def test_turns_are_kept_in_order_and_survive_a_new_store(tmp_path):
    store = ConversationStore(tmp_path / "conversations.sqlite3")
    first = store.create("ana")
    store.add_turn("ana", first, "Who denied that Musk and Putin had been in contact?", answer("Russia"))
    store.add_turn("ana", first, "What did he call the report?", answer("absolutely false information"))
    second = store.create("ana")
    store.add_turn("ana", second, "  A question\nwith two lines  ", answer("x"))

    reopened = ConversationStore(tmp_path / "conversations.sqlite3")  # a restart
    listed = reopened.list("ana")
    assert [c["id"] for c in listed] == [second, first]  # most recently used first
    assert listed[0]["title"] == "A question with two lines" and listed[1]["turns"] == 2
    turns = reopened.turns("ana", first)
    assert [t["question"] for t in turns] == ["Who denied that Musk and Putin had been in contact?",
                                              "What did he call the report?"]
    assert turns[1]["answer"]["short_answer"] == "absolutely false information"

    reopened.rename("ana", first, "Peskov")
    assert reopened.list("ana")[1]["title"] == "Peskov"
    with pytest.raises(ValueError, match="title is empty"):
        reopened.rename("ana", first, "   ")
    reopened.delete("ana", second)
    assert [c["id"] for c in reopened.list("ana")] == [first]
    assert reopened.delete_all("ana") == 1 and reopened.list("ana") == []


def test_one_user_cannot_read_list_change_or_delete_anothers(tmp_path):
    store = ConversationStore(tmp_path / "c.sqlite3")
    private = store.create("ana")
    store.add_turn("ana", private, "secret question", answer("secret answer"))
    assert store.list("ben") == []
    for attempt in (lambda: store.turns("ben", private), lambda: store.rename("ben", private, "mine"),
                    lambda: store.delete("ben", private),
                    lambda: store.add_turn("ben", private, "q", answer("a")),
                    lambda: store.turns("ana", "no-such-id")):
        with pytest.raises(ConversationNotFound):
            attempt()
    assert store.delete_all("ben") == 0
    assert [t["question"] for t in store.turns("ana", private)] == ["secret question"]
    assert store.list("ana")[0]["title"] == "secret question"


def test_concurrent_writers_lose_no_turn(tmp_path):
    store = ConversationStore(tmp_path / "c.sqlite3")
    conversations = [store.create("local") for _ in range(4)]

    def write(conversation_id: str) -> None:
        for n in range(10):
            store.add_turn("local", conversation_id, f"q{n}", answer(f"a{n}"))

    threads = [threading.Thread(target=write, args=(c,)) for c in conversations]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for conversation_id in conversations:
        assert [t["question"] for t in store.turns("local", conversation_id)] == [f"q{n}" for n in range(10)]


def test_citations_of_removed_or_changed_articles_are_marked():
    body = "Russia has denied the conversations took place."
    turns = [{"question": "q", "answer": answer("Russia", [citation("kept", "Russia has denied", 0),
                                                            citation("gone", "x", 0),
                                                            citation("edited", "Russia has denied", 0)])},
             {"question": "failed", "error": "the index is busy"}]
    bodies = {"kept": body, "edited": "Moscow has denied the conversations took place."}
    marked = mark_stale_citations(turns, bodies.get)
    stale = [c.get("stale") for c in marked[0]["answer"]["citations"]]
    assert stale == [None, STALE_REMOVED, STALE_CHANGED]
    assert marked[1] == turns[1]
    assert "stale" not in turns[0]["answer"]["citations"][1]  # the stored turns are not changed


def test_titles_are_one_short_line():
    assert title_from("a\n b") == "a b"
    assert len(title_from("x" * 200)) == 80 and title_from("x" * 200).endswith("…")


def test_a_regenerated_answer_takes_the_place_of_the_last_turn(tmp_path):
    store = ConversationStore(tmp_path / "c.sqlite3")
    conversation = store.create("local")
    store.add_turn("local", conversation, "q1", answer("a1"))
    store.add_turn("local", conversation, "q2", answer("a2"))
    assert store.add_turn("local", conversation, "q2", answer("a2 again"), replace_last=True) == 1
    assert [(t["question"], t["answer"]["answer"]) for t in store.turns("local", conversation)] == \
        [("q1", "a1"), ("q2", "a2 again")]
