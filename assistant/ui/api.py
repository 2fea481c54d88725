"""The `/ask` API endpoint, the only one the app exposes: `AskApi(ctx).wire()` inside the Blocks registers it."""
from __future__ import annotations

import gradio as gr

from ..generators import BackendUnavailable
from ..store import IndexBusy, IndexUnavailable
from .context import Context


class AskApi:
    """`/ask` over the shared Assistant."""

    def __init__(self, ctx: Context):
        self.ctx = ctx

    def ask_api(self, question: str, history: list[list[str]] | None = None) -> dict:
        """Answer one question; returns the JSON object of `assistant ask --json` (Answer.as_dict()). `history`:
        the conversation so far as [question, answer text] pairs, oldest first, for follow-up questions."""
        try:
            pairs = [(str(asked), str(answered)) for asked, answered in history or []]
        except (TypeError, ValueError) as exc:
            raise gr.Error("history must be a list of [question, answer] pairs", print_exception=False) from exc
        try:
            return self.ctx.assistant.ask(question, pairs).as_dict()
        except (ValueError, BackendUnavailable, IndexBusy, IndexUnavailable) as exc:
            raise gr.Error(str(exc), print_exception=False) from exc

    def wire(self) -> None:
        """Register `ask_api` as `/ask`."""
        gr.api(self.ask_api, api_name="ask")
