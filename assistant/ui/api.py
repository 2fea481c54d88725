"""The app's API (the only endpoints it exposes; the page's own events are private): `/ask`, `/index_text`,
`/index_url`, `/articles`, `/remove`, `/statements`, `/feeds`, `/add_feed`, `/refresh_feeds`, `/remove_feed`,
`/conversations`, `/conversation`, `/new_conversation`, `/rename_conversation` and
`/delete_conversation`.

Every endpoint is typed and documented (Gradio shows the docstrings on the page's "Use via API" panel and in
`Client.view_api()`). Bad input (None, wrong types, an unknown generator, an unreadable date) is answered with a
clear error that names the parameter (`gr.Error`), never a traceback. Conversation endpoints act for the logged-in
user only (`context.user_of`). `ApiEndpoints(ctx).wire()` inside the Blocks registers them.
"""
from __future__ import annotations

import inspect
from typing import Any

import gradio as gr

from ..articles import load_file
from ..conversations import ConversationNotFound, mark_stale_citations
from ..feeds import add_feed, list_feeds, refresh_feeds, remove_feed
from ..fetch import FetchError
from ..followups import prior_turns
from ..generators import BackendUnavailable
from ..statement_index import DEFAULT_LIMIT, StatementQuery
from ..store import IndexBusy, IndexUnavailable
from ..webpages import index_urls
from .context import Context, user_of
from ..filters import make_filters
from .uploads import date_problem, save_pasted_article

_FAILURES = (ValueError, BackendUnavailable, IndexBusy, IndexUnavailable, ConversationNotFound, FetchError)


def _fail(message: str) -> gr.Error:
    return gr.Error(message, print_exception=False)


def _text(value: Any, name: str, required: bool = True) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise _fail(f"{name} must be text, not {type(value).__name__}")
    if required and not value.strip():
        raise _fail(f"{name} is empty")
    return value


def _names(value: Any, name: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(f"{name} must be a list of text values")
    return value


class ApiEndpoints:
    """The API over the shared context."""

    def __init__(self, ctx: Context):
        self.ctx = ctx

    def ask_api(self, question: str, history: list | None = None, k: int | None = None, backend: str | None = None,
                sources: list[str] | None = None, date_from: str | None = None, date_to: str | None = None,
                conversation_id: str | None = None, request: gr.Request = None) -> dict:
        """Answer one question from the indexed articles, with checked citations.

        Args:
            question: the question.
            history: the conversation so far, oldest first, for follow-up questions: [question, answer text] pairs,
                or the objects earlier calls returned (their short_answer and speakers resolve "he", "they", ...).
            k: passages to retrieve, 1-50 (default: the server's setting).
            backend: the generator, one of the server's available ones (default: the server's setting).
            sources: answer only from these sources (names as `/articles` lists them); empty: all.
            date_from: answer only from articles published on or after this day, YYYY-MM-DD.
            date_to: answer only from articles published on or before this day, YYYY-MM-DD.
            conversation_id: store the turn in this conversation of yours (see `/conversations`).

        Returns:
            The JSON object of `assistant ask --json`: short_answer (null when it abstains), answer_type, answer (text
            with [n] markers), citations (article, title, source, date, quote and its offsets), standalone_question,
            speakers, abstained, corrections, timings_ms, reading.
        """
        question = _text(question, "question")
        try:
            turns = prior_turns(history or [])
        except (TypeError, ValueError) as exc:
            raise _fail(f"history: {exc}") from exc
        if k is not None and (not isinstance(k, int) or isinstance(k, bool) or not 1 <= k <= 50):
            raise _fail(f"k must be a whole number from 1 to 50, not {k!r}")
        if backend is not None:
            why = self.ctx.backends.get(_text(backend, "backend"), f"unknown generator; choose one of "
                                        f"{', '.join(b for b, w in self.ctx.backends.items() if not w)}")
            if why:
                raise _fail(f"backend {backend!r}: {why}")
        user = user_of(request)
        try:
            filters = make_filters(_names(sources, "sources"), _text(date_from, "date_from", False),
                                   _text(date_to, "date_to", False))
            if conversation_id is not None:
                self.ctx.conversations.turns(user, _text(conversation_id, "conversation_id"))  # it must be yours
            answer = self.ctx.assistant.ask(question, turns, backend=backend, k=k, filters=filters).as_dict()
            if conversation_id is not None:
                self.ctx.conversations.add_turn(user, conversation_id, question, answer)
        except ConversationNotFound as exc:
            raise _fail(f"conversation_id: {exc}") from exc
        except _FAILURES as exc:
            raise _fail(str(exc)) from exc
        return answer

    def index_text(self, title: str, text: str, source: str | None = None, date: str | None = None,
                   url: str | None = None) -> dict:
        """Add (or update) one article from its text.

        Args:
            title: the article's headline.
            text: the article's body.
            source: its publisher, e.g. "Associated Press".
            date: its publication date, YYYY-MM-DD.
            url: where it was published.

        Returns:
            {"article_id", "status": "added" | "updated" | "unchanged", "chunks" written, "added", "updated",
            "unchanged", "failed"}.
        """
        title, text = _text(title, "title"), _text(text, "text")
        source, date, url = (_text(v, n, False) for v, n in ((source, "source"), (date, "date"), (url, "url")))
        if date_problem(date):
            raise _fail(f"date: {date_problem(date)}")
        path = save_pasted_article(self.ctx.uploads, title, source, date, text, url)
        loaded = load_file(path, self.ctx.max_bytes)
        if loaded.errors or not loaded.articles:
            path.unlink(missing_ok=True)
            raise _fail("; ".join(e.error for e in loaded.errors) or "the text holds no article")
        try:
            report = self.ctx.index.index_articles(loaded.articles)
            self.ctx.assistant.retriever.lexical_index()
        except (IndexBusy, IndexUnavailable) as exc:
            raise _fail(str(exc)) from exc
        if report.failed:
            raise _fail("; ".join(f["error"] for f in report.failed))
        status = "added" if report.added else "updated" if report.updated else "unchanged"
        return {"article_id": loaded.articles[0].id, "status": status, **report.as_dict()}

    def index_url(self, url: str) -> dict:
        """Fetch an article page and add (or update) it.

        Args:
            url: the page's http(s) address; its canonical address decides the article, so two addresses of one
                article index it once.

        Returns:
            {"article_id", "status": "added" | "updated" | "unchanged", "chunks" written, "added", "updated",
            "unchanged", "failed"}. A page that cannot be fetched or read is an error saying why (HTTP status, not
            HTML, too large, timeout, refused address, no article text).
        """
        url = _text(url, "url")
        settled: list[tuple[str, str]] = []
        try:
            report = index_urls(self.ctx.index, [url], on_article=lambda article, status: settled.append((article.id, status)))
            self.ctx.assistant.retriever.lexical_index()
        except _FAILURES as exc:
            raise _fail(str(exc)) from exc
        if report.failed:
            raise _fail("; ".join(f["error"] for f in report.failed))
        article_id, status = settled[0] if settled else ("", "unchanged")
        return {"article_id": article_id, "status": status, **report.as_dict()}

    def feeds(self) -> list[dict]:
        """The news feeds this index follows, with their last refresh.

        Returns:
            The objects of `assistant feeds list --json`: name, url, title, added_at, last_fetch, status,
            http_status, new, updated, unchanged, chunks, seconds, error, failed ([{"url", "error"}]).
        """
        try:
            return list_feeds(self.ctx.index)
        except _FAILURES as exc:
            raise _fail(str(exc)) from exc

    def add_feed(self, url: str, name: str | None = None) -> dict:
        """Follow an RSS or Atom feed (fetched once to check it); `/refresh_feeds` indexes its articles.

        Args:
            url: the feed's http(s) address.
            name: a short name (letters, digits, '-', '_', '.'); default: from the feed's title.

        Returns:
            The feed, as an item of `/feeds`.
        """
        url, name = _text(url, "url"), _text(name, "name", False)
        try:
            return add_feed(self.ctx.index, url, name or None)
        except _FAILURES as exc:
            raise _fail(str(exc)) from exc

    def refresh_feeds(self, names: list[str] | None = None) -> dict:
        """Refresh feeds now: index new entries' articles, replace updated ones (a feed that has not changed costs
        one request). Waits for a refresh already running.

        Args:
            names: the feeds to refresh (names as `/feeds` lists them); empty: all.

        Returns:
            The object of `assistant feeds refresh --json`: {"feeds": [{"name", "url", "http_status", "new",
            "updated", "unchanged", "failed": [{"url", "error"}], "chunks", "seconds"}], "chunks": written}.
        """
        names = _names(names, "names")
        try:
            report = refresh_feeds(self.ctx.index, names or None)
            self.ctx.assistant.retriever.lexical_index()
        except _FAILURES as exc:
            raise _fail(str(exc)) from exc
        return report.as_dict()

    def remove_feed(self, name: str, purge: bool = False) -> dict:
        """Stop following a feed.

        Args:
            name: the feed's name (see `/feeds`).
            purge: also remove its articles (those no other feed lists); by default they stay indexed.

        Returns:
            {"name", "url", "removed_articles": [ids]}.
        """
        name = _text(name, "name")
        if not isinstance(purge, bool):
            raise _fail(f"purge must be true or false, not {purge!r}")
        try:
            removed = remove_feed(self.ctx.index, name, purge)
            self.ctx.assistant.retriever.lexical_index()
        except _FAILURES as exc:
            raise _fail(str(exc)) from exc
        return removed

    def articles(self) -> list[dict]:
        """The indexed articles.

        Returns:
            The objects of `assistant articles --json`: id, title, source, published_at, url, chunks.
        """
        try:
            return [{key: row[key] for key in ("id", "title", "source", "published_at", "url", "chunks")}
                    for row in self.ctx.index.list_articles()]
        except (IndexBusy, IndexUnavailable) as exc:
            raise _fail(str(exc)) from exc

    def remove(self, ids: list[str]) -> dict:
        """Remove articles (and their passages) from the index.

        Args:
            ids: the article ids to remove (see `/articles`).

        Returns:
            {"removed": [ids removed], "missing": [ids that were not indexed]}.
        """
        ids = _names(ids, "ids")
        if not ids:
            raise _fail("ids is empty; give the ids of the articles to remove")
        try:
            removed, missing = self.ctx.index.remove(ids)
            self.ctx.assistant.retriever.lexical_index()
        except (IndexBusy, IndexUnavailable) as exc:
            raise _fail(str(exc)) from exc
        return {"removed": removed, "missing": missing}

    def statements(self, speaker: str | None = None, stance: str | None = None, about: str | None = None,
                   sources: list[str] | None = None, date_from: str | None = None, date_to: str | None = None,
                   article_id: str | None = None, limit: int | None = None) -> list[dict]:
        """Who said what: the attributed statements found in the indexed articles, newest first (by a topic's
        similarity with `about`).

        Args:
            speaker: only this speaker, any variant of the name ("Peskov", "Dmitry Peskov").
            stance: only this stance: deny, confirm, decline, say, claim, accuse, report or warn.
            about: rank by similarity to this topic instead of by date.
            sources: only these sources (names as `/articles` lists them); empty: all.
            date_from: only articles published on or after this day, YYYY-MM-DD.
            date_to: only articles published on or before this day, YYYY-MM-DD.
            article_id: only this article.
            limit: at most this many, 1-1000 (default 50).

        Returns:
            The objects of `assistant statements --json`: id, speaker (resolved name), speakers (each of a joint
            subject), speaker_as_written, speaker_resolved, speaker_kind, stance, verb, statement, quote (null for
            reported speech), article_id, title, source, published_at, start and end (the sentence's offsets in the
            article's body), quote_start, quote_end, and score when ranked by a topic.
        """
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= 1000):
            raise _fail(f"limit must be a whole number from 1 to 1000, not {limit!r}")
        query = StatementQuery(speaker=_text(speaker, "speaker", False) or None, stance=_text(stance, "stance", False) or None,
                               about=_text(about, "about", False) or None, sources=tuple(_names(sources, "sources")),
                               date_from=_text(date_from, "date_from", False) or None,
                               date_to=_text(date_to, "date_to", False) or None,
                               article_id=_text(article_id, "article_id", False) or None, limit=limit or DEFAULT_LIMIT)
        try:
            return [stored.as_dict() for stored in self.ctx.find_statements(query)]
        except _FAILURES as exc:
            raise _fail(str(exc)) from exc

    def conversations(self, request: gr.Request = None) -> list[dict]:
        """Your saved conversations, most recently used first.

        Returns:
            [{"id", "title", "created_at", "updated_at" (seconds since the epoch), "turns" (how many)}].
        """
        return self.ctx.conversations.list(user_of(request))

    def conversation(self, conversation_id: str, request: gr.Request = None) -> dict:
        """One of your conversations with its turns.

        Args:
            conversation_id: its id (see `/conversations`).

        Returns:
            {"id", "title", "turns": [{"question", "answer" (as `/ask` returned it), "created_at"}]}; a citation
            whose article was removed or changed since carries "stale".
        """
        user = user_of(request)
        conversation_id = _text(conversation_id, "conversation_id")
        try:
            turns = self.ctx.conversations.turns(user, conversation_id)
        except ConversationNotFound as exc:
            raise _fail(f"conversation_id: {exc}") from exc
        title = next((c["title"] for c in self.ctx.conversations.list(user) if c["id"] == conversation_id), "")
        return {"id": conversation_id, "title": title, "turns": mark_stale_citations(turns, self.ctx.article_body)}

    def new_conversation(self, title: str | None = None, request: gr.Request = None) -> dict:
        """Start a conversation of yours, to pass as `conversation_id` to `/ask`.

        Args:
            title: its title (default: its first question).

        Returns:
            {"id", "title"}.
        """
        title = _text(title, "title", False)
        conversation_id = self.ctx.conversations.create(user_of(request), title)
        return {"id": conversation_id, "title": " ".join(title.split())}

    def rename_conversation(self, conversation_id: str, title: str, request: gr.Request = None) -> dict:
        """Rename one of your conversations.

        Args:
            conversation_id: its id (see `/conversations`).
            title: the new title (one line).

        Returns:
            {"id", "title"}.
        """
        conversation_id, title = _text(conversation_id, "conversation_id"), _text(title, "title")
        try:
            self.ctx.conversations.rename(user_of(request), conversation_id, title)
        except ConversationNotFound as exc:
            raise _fail(f"conversation_id: {exc}") from exc
        return {"id": conversation_id, "title": " ".join(title.split())}

    def delete_conversation(self, conversation_id: str, request: gr.Request = None) -> dict:
        """Delete one of your conversations.

        Args:
            conversation_id: its id (see `/conversations`).

        Returns:
            {"deleted": its id}.
        """
        conversation_id = _text(conversation_id, "conversation_id")
        try:
            self.ctx.conversations.delete(user_of(request), conversation_id)
        except ConversationNotFound as exc:
            raise _fail(f"conversation_id: {exc}") from exc
        return {"deleted": conversation_id}

    def wire(self) -> None:
        """Register every endpoint under its name, documented by its whole docstring (Gradio would show the first
        paragraph only; the parameters' and return value's descriptions are in the rest)."""
        for endpoint, name in ((self.ask_api, "ask"), (self.index_text, "index_text"), (self.index_url, "index_url"),
                               (self.articles, "articles"), (self.remove, "remove"), (self.statements, "statements"),
                               (self.feeds, "feeds"), (self.add_feed, "add_feed"), (self.refresh_feeds, "refresh_feeds"),
                               (self.remove_feed, "remove_feed"),
                               (self.conversations, "conversations"),
                               (self.conversation, "conversation"), (self.new_conversation, "new_conversation"),
                               (self.rename_conversation, "rename_conversation"),
                               (self.delete_conversation, "delete_conversation")):
            gr.api(endpoint, api_name=name, api_description=inspect.getdoc(endpoint))
