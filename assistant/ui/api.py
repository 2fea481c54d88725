"""The `/ask` API endpoint, the only one the app exposes: `AskApi(ctx).wire()` inside the Blocks registers it."""
from __future__ import annotations

import gradio as gr

from ..followups import prior_turns
from ..generators import BackendUnavailable
from ..store import IndexBusy, IndexUnavailable
from .context import Context


class AskApi:
    """`/ask` over the shared Assistant."""

    def __init__(self, ctx: Context):
        self.ctx = ctx

    def ask_api(self, question: str, history: list | None = None) -> dict:
        """Answer one question; returns the JSON object of `assistant ask --json` (Answer.as_dict()). `history`:
        the conversation so far, oldest first, for follow-up questions: [question, answer text] pairs, or the
        objects earlier calls returned (their "question", "answer", "short_answer" and "speakers" are used)."""
        if not isinstance(question, str):
            raise gr.Error(f"question must be text, not {type(question).__name__}", print_exception=False)
        try:
            turns = prior_turns(history or [])
        except (TypeError, ValueError) as exc:
            raise gr.Error(f"history: {exc}", print_exception=False) from exc
        try:
            return self.ctx.assistant.ask(question, turns).as_dict()
        except (ValueError, BackendUnavailable, IndexBusy, IndexUnavailable) as exc:
            raise gr.Error(str(exc), print_exception=False) from exc

    def wire(self) -> None:
        """Register `ask_api` as `/ask`."""
        gr.api(self.ask_api, api_name="ask")
