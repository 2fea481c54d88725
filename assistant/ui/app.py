"""The app: `build_app` assembles the tabs in one Blocks, wires their events and registers the API;
`launch_options` gives the arguments of its `launch()`."""
from __future__ import annotations

from typing import Any

import gradio as gr

from ..chain import Assistant
from ..config import Settings
from ..logins import load_logins, login_check
from .api import ApiEndpoints
from .articles_panel import ArticlesPanel
from .assets import CITE_JS, CSS
from .chat_panel import ChatPanel
from .context import Context
from .conversations_panel import ConversationsPanel
from .evaluation_panel import EvaluationPanel
from .statements_panel import StatementsPanel
from .web_panel import WebPanel


def build_app(settings: Settings, assistant: Assistant) -> gr.Blocks:
    """The web chat over `assistant` (create one Assistant per process and share it). One Blocks app per
    process; per-browser state lives in gr.State."""
    ctx = Context(settings, assistant)
    chat, articles, api = ChatPanel(ctx), ArticlesPanel(ctx), ApiEndpoints(ctx)
    conversations, evaluation, statements = ConversationsPanel(ctx, chat), EvaluationPanel(ctx), StatementsPanel(ctx)
    web = WebPanel(ctx, articles)
    with gr.Blocks(title="News assistant") as demo:
        gr.Markdown("## News assistant\nAnswers come only from the indexed articles. "
                    "Every sentence cites its source: click a **[n]** to see the passage.")
        with gr.Tabs():
            with gr.Tab("Chat", id="chat"):
                chat.build()
            with gr.Tab("Articles", id="articles"):
                articles.build()
                web.build()
            with gr.Tab("Statements", id="statements"):
                statements.build()
            with gr.Tab("Evaluation", id="evaluation"):
                evaluation.build()
        conversations.build()
        # Connect the events; only the endpoints of api.py are API endpoints, the UI's events are private.
        conversations.wire(demo, chat.wire(demo))
        articles.wire(demo, chat.sources)
        web.wire(demo, chat.sources)
        statements.wire(demo)
        evaluation.wire(demo)
        api.wire()
    demo.queue(default_concurrency_limit=2)
    return demo


def launch_options(settings: Settings) -> dict[str, Any]:
    """Keyword arguments of `Blocks.launch()`: address, upload limit, logins (`logins.py`; raises LoginError for an
    unusable login setting or file), page assets; no share link, no SSR."""
    logins = load_logins(settings)
    return {"server_name": settings.host, "server_port": settings.port, "share": False, "ssr_mode": False,
            "max_file_size": int(settings.max_file_mb * 2**20), "auth": login_check(logins) if logins else None,
            "css": CSS, "head": CITE_JS, "footer_links": ["api"], "show_error": False}
