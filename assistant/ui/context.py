"""What every tab shares: `Context` (the settings, the one Assistant and its index, the conversation store, the
upload folder and limit, which generators can run here, the feeds' background refresh), `user_of` (whose request it is) and `PRIVATE`, the event
option that keeps the UI's events out of the API."""
from __future__ import annotations

import gradio as gr

from ..chain import Assistant
from ..config import Settings
from ..conversations import LOCAL_USER, ConversationStore
from ..generators import BACKENDS, BackendUnavailable, available_backends, generator
from ..statement_index import StatementQuery, StoredStatement
from ..watch import Watcher

PRIVATE = {"api_visibility": "private"}  # only the endpoints of api.py are API endpoints


def backend_status(settings: Settings) -> dict[str, str]:
    """{backend: ""} for each backend that can run here, {backend: why not} for the others."""
    available = available_backends(settings)
    status = {}
    for name in BACKENDS:
        if name in available:
            status[name] = ""
            continue
        try:
            generator(settings, name)
            status[name] = "llama-cpp-python is not installed" if name == "llamacpp" else "not available here"
        except BackendUnavailable as exc:
            status[name] = str(exc)
        except ImportError as exc:
            status[name] = f"a package it needs is missing ({exc.name})"
    return status


class Context:
    """The state the tabs' handlers share around one Assistant (and its index); one per app."""

    def __init__(self, settings: Settings, assistant: Assistant):
        self.settings = settings
        self.assistant = assistant
        self.index = assistant.index
        self.max_bytes = int(settings.max_file_mb * 2**20)
        self.uploads = settings.index_dir / "uploads"
        self.backends = backend_status(settings)
        self.conversations = ConversationStore(settings.index_dir / "conversations.sqlite3")
        # the background refresh of the feeds (`feed_refresh_minutes`), in a thread of this process
        self.feed_watcher = Watcher(self.index, settings.feed_refresh_minutes * 60).start() \
            if settings.feed_refresh_minutes else None

    def find_statements(self, query: StatementQuery) -> list[StoredStatement]:
        """The committed statements `query` selects (`StatementCollection.find`); ValueError for a bad field."""
        return self.index.statements.find(query, self.index.query_embeddings.embed_query)

    def article_body(self, article_id: str) -> str | None:
        """The indexed body of an article, or None when it is not indexed (any more)."""
        return getattr(self.index.get_article(article_id), "body", None)


def user_of(request: gr.Request | None) -> str:
    """The logged-in user of a request, or the one local user when no login is configured."""
    return getattr(request, "username", None) or LOCAL_USER
