"""Conversations kept server-side: one SQLite file beside the index (`<index_dir>/conversations.sqlite3`), one row
per conversation and one per turn holding the full checked answer (Answer.as_dict()).

Every call names the user it acts for, and a user only ever sees, changes or deletes their own conversations: a
conversation of another user is reported as not found (`ConversationNotFound`), exactly like one that does not
exist, so ids cannot be probed. With no login configured there is one local user, `LOCAL_USER`.

Safe to share between threads: each call opens its own connection (WAL journal, so reads do not wait for writes).
A turn is stored only once its answer is complete: nothing half-written is ever kept.
"""
from __future__ import annotations

import json
import sqlite3
import time
import uuid
from collections.abc import Callable
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

LOCAL_USER = "local"
TITLE_CHARS = 80  # a conversation's default title: its first question, cut here
STALE_REMOVED = "article removed since"
STALE_CHANGED = "article changed since"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY, user TEXT NOT NULL, title TEXT NOT NULL, created_at REAL NOT NULL, updated_at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS conversations_by_user ON conversations (user, updated_at);
CREATE TABLE IF NOT EXISTS turns (
    conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE, position INTEGER NOT NULL,
    question TEXT NOT NULL, answer TEXT NOT NULL, created_at REAL NOT NULL, PRIMARY KEY (conversation_id, position));
"""


class ConversationNotFound(LookupError):
    """The conversation does not exist or belongs to another user."""


def title_from(question: str) -> str:
    """A conversation's title from its first question: one line, at most TITLE_CHARS characters."""
    line = " ".join(question.split())
    return line if len(line) <= TITLE_CHARS else line[:TITLE_CHARS - 1].rstrip() + "…"


class ConversationStore:
    """The conversations of every user in one SQLite file (created on first use)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.executescript(_SCHEMA)

    @contextmanager
    def _connect(self):
        with closing(sqlite3.connect(self.path, timeout=30)) as db:
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA foreign_keys=ON")
            with db:  # one transaction: committed on success, rolled back on an exception
                yield db

    def _owned(self, db: sqlite3.Connection, user: str, conversation_id: str) -> sqlite3.Row:
        row = db.execute("SELECT * FROM conversations WHERE id = ? AND user = ?", (conversation_id, user)).fetchone()
        if row is None:
            raise ConversationNotFound(f"no conversation {conversation_id!r}")
        return row

    def create(self, user: str, title: str = "") -> str:
        """A new, empty conversation of `user`; returns its id. An empty title is set from the first question."""
        conversation_id = uuid.uuid4().hex
        now = time.time()
        with self._connect() as db:
            db.execute("INSERT INTO conversations VALUES (?, ?, ?, ?, ?)",
                       (conversation_id, user, title_from(title), now, now))
        return conversation_id

    def add_turn(self, user: str, conversation_id: str, question: str, answer: dict[str, Any],
                 replace_last: bool = False) -> int:
        """Append a finished turn (the question and the checked answer's dict), or put it in place of the last turn
        (a regenerated answer); returns its position (0-based)."""
        now = time.time()
        with self._connect() as db:
            row = self._owned(db, user, conversation_id)
            position = db.execute("SELECT COUNT(*) FROM turns WHERE conversation_id = ?", (conversation_id,)).fetchone()[0]
            if replace_last and position:
                position -= 1
                db.execute("DELETE FROM turns WHERE conversation_id = ? AND position = ?", (conversation_id, position))
            db.execute("INSERT INTO turns VALUES (?, ?, ?, ?, ?)",
                       (conversation_id, position, question, json.dumps(answer, ensure_ascii=False), now))
            title = row["title"] or title_from(question)
            db.execute("UPDATE conversations SET updated_at = ?, title = ? WHERE id = ?", (now, title, conversation_id))
        return position

    def list(self, user: str) -> list[dict[str, Any]]:
        """`user`'s conversations, most recently used first: {id, title, created_at, updated_at, turns}."""
        with self._connect() as db:
            rows = db.execute("SELECT c.*, (SELECT COUNT(*) FROM turns t WHERE t.conversation_id = c.id) AS turns "
                              "FROM conversations c WHERE user = ? ORDER BY updated_at DESC, created_at DESC",
                              (user,)).fetchall()
        return [{"id": r["id"], "title": r["title"] or "New conversation", "created_at": r["created_at"],
                 "updated_at": r["updated_at"], "turns": r["turns"]} for r in rows]

    def turns(self, user: str, conversation_id: str) -> list[dict[str, Any]]:
        """The turns of one of `user`'s conversations, oldest first: {question, answer (dict), created_at}."""
        with self._connect() as db:
            self._owned(db, user, conversation_id)
            rows = db.execute("SELECT question, answer, created_at FROM turns WHERE conversation_id = ? "
                              "ORDER BY position", (conversation_id,)).fetchall()
        return [{"question": r["question"], "answer": json.loads(r["answer"]), "created_at": r["created_at"]}
                for r in rows]

    def rename(self, user: str, conversation_id: str, title: str) -> None:
        """Give one of `user`'s conversations a new title (one line; an empty title is refused)."""
        title = title_from(title or "")
        if not title:
            raise ValueError("the title is empty; type a name for the conversation")
        with self._connect() as db:
            self._owned(db, user, conversation_id)
            db.execute("UPDATE conversations SET title = ? WHERE id = ?", (title, conversation_id))

    def delete(self, user: str, conversation_id: str) -> None:
        """Delete one of `user`'s conversations and its turns."""
        with self._connect() as db:
            self._owned(db, user, conversation_id)
            db.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))

    def delete_all(self, user: str) -> int:
        """Delete every conversation of `user`; returns how many there were."""
        with self._connect() as db:
            return db.execute("DELETE FROM conversations WHERE user = ?", (user,)).rowcount


def mark_stale_citations(turns: list[dict[str, Any]], article_body: Callable[[str], str | None]) -> list[dict[str, Any]]:
    """The turns with each citation whose article was removed, or whose quote is no longer at its offsets in the
    article's body, marked `"stale": STALE_REMOVED / STALE_CHANGED` (a reopened conversation shows it instead of
    failing). `article_body(id)` is the current body, or None when the article is not indexed any more."""
    bodies: dict[str, str | None] = {}
    marked = []
    for turn in turns:
        answer = turn.get("answer")
        if not isinstance(answer, dict):
            marked.append(turn)
            continue
        citations = []
        for citation in answer.get("citations", []):
            article_id = citation.get("article_id", "")
            if article_id not in bodies:
                bodies[article_id] = article_body(article_id)
            body = bodies[article_id]
            start, end = citation.get("start", 0), citation.get("end", 0)
            stale = STALE_REMOVED if body is None else STALE_CHANGED if body[start:end] != citation.get("quote") else None
            citations.append({**citation, "stale": stale} if stale else citation)
        marked.append({**turn, "answer": {**answer, "citations": citations}})
    return marked
