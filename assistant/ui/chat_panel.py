"""The Chat tab: the conversation, the question box, the source panel and the answer settings, and its handlers.

Contract (the same for every tab module): `ChatPanel(ctx)` takes the shared `Context`; `build()`, called inside
the tab's `gr.Tab`, creates the components and keeps them as attributes; `wire()`, called inside the Blocks once
every tab is built, connects the tab's events (all `PRIVATE`). Other tabs may use `sources`, the source filter
(the articles tab keeps its choices in step with the index)."""
from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator

import gradio as gr

from ..conversations import ConversationNotFound
from ..generators import BACKENDS, BackendUnavailable
from ..store import IndexBusy, IndexUnavailable
from .context import PRIVATE, Context, user_of
from .filters import describe_filters, make_filters
from .render import Turn, chat_messages, esc, panel_html

log = logging.getLogger(__name__)

SEED_QUESTION = "Who denied that Musk and Putin had been in contact?"


class ChatPanel:
    """The chat's components and event handlers around the shared context."""

    def __init__(self, ctx: Context):
        self.ctx = ctx

    def build(self) -> None:
        """The conversation, the question box, the source panel and the answer settings."""
        settings, backends = self.ctx.settings, self.ctx.backends
        available = [name for name, why in backends.items() if not why]
        unavailable = "; ".join(f"**{name}**: {esc(why)}" for name, why in backends.items() if why)
        self.turns = gr.State([])
        # the open conversation's id, kept in the browser so that a reload reopens it (the sidebar checks the owner)
        self.conversation = gr.BrowserState(None, storage_key="news-assistant-conversation")
        with gr.Row(equal_height=False):
            with gr.Column(scale=3):
                self.chatbot = gr.Chatbot(elem_id="chat", label="Conversation", height=480, render_markdown=False,
                                          sanitize_html=True, latex_delimiters=[], feedback_options=None,
                                          buttons=["copy"], placeholder="Ask about the indexed news articles.")
                with gr.Row():
                    self.question = gr.Textbox(elem_id="question", show_label=False, scale=6, max_lines=4,
                                               placeholder="Ask a question, e.g. " + SEED_QUESTION)
                    self.ask = gr.Button("Ask", variant="primary", scale=1, elem_id="ask", min_width=80)
                with gr.Row():
                    self.clear = gr.Button("New chat", elem_id="new-chat", size="sm")
                    gr.Examples([SEED_QUESTION], inputs=self.question, label="Try")
            with gr.Column(scale=2):
                gr.Markdown("### Source")
                self.panel = gr.HTML(panel_html([]), elem_id="sources", js_on_load=None)
        with gr.Accordion("Answer settings", open=False, elem_id="answer-settings"):
            with gr.Row():
                self.backend = gr.Radio(available, label="Generator", elem_id="backend",
                                        value=settings.generator if settings.generator in available else "extractive",
                                        info="extractive quotes the evidence; the others phrase it with a model")
                self.k = gr.Slider(1, 50, value=settings.answer_passages, step=1, label="Passages retrieved (k)",
                                   elem_id="k")
            with gr.Row():
                self.sources = gr.Dropdown([], value=[], multiselect=True, label="Only these sources",
                                           elem_id="source-filter",
                                           info="empty: all sources (or those the question names)")
                self.date_from = gr.DateTime(include_time=False, type="string", label="Published from",
                                             elem_id="date-from")
                self.date_to = gr.DateTime(include_time=False, type="string", label="Published to (inclusive)",
                                           elem_id="date-to")
            if unavailable:
                gr.Markdown(f"Not available here: {unavailable}", elem_id="unavailable-backends")

    def wire(self) -> list:
        """Asking (Enter or the button) streams an answer and saves the turn; "New chat" and the chatbot's clear
        button start a new conversation (the old one stays saved). Returns these events (the sidebar follows them)."""
        chat_inputs = [self.question, self.turns, self.conversation, self.backend, self.k, self.sources,
                       self.date_from, self.date_to]
        chat_outputs = [self.question, self.chatbot, self.turns, self.panel, self.conversation]
        new_outputs = [self.chatbot, self.turns, self.panel, self.conversation]
        return [self.question.submit(self.respond, chat_inputs, chat_outputs, **PRIVATE),
                self.ask.click(self.respond, chat_inputs, chat_outputs, **PRIVATE),
                self.clear.click(self.new_chat, None, new_outputs, **PRIVATE),
                self.chatbot.clear(self.new_chat, None, new_outputs, **PRIVATE)]

    def respond(self, question: str, turns: list[Turn], conversation_id: str | None, backend: str, k: float,
                sources: list[str] | None, date_from: str | None, date_to: str | None,
                request: gr.Request) -> Iterator[tuple]:
        """Stream one answer: yields (question box, chat messages, turns, side panel, conversation id). Follow-ups
        see the earlier answered turns; every failure ends as an error turn, never as a broken chat. A finished
        answer is saved in the user's open conversation (a new one for the first answer); errors are not saved."""
        question = (question or "").strip()
        turns = list(turns or [])
        if not question:
            yield gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
            return
        history = [turn["answer"] for turn in turns if turn.get("answer")]  # Answer.as_dict(): short answer, speakers
        try:
            filters = make_filters(sources, date_from, date_to)
            if self.ctx.backends.get(backend):
                raise BackendUnavailable(f"the {backend} generator is not available here: "
                                         f"{self.ctx.backends[backend]}")
            if backend not in self.ctx.backends:
                raise BackendUnavailable(f"unknown generator {backend!r}; choose one of {', '.join(BACKENDS)}")
        except (ValueError, BackendUnavailable) as exc:
            turns.append({"question": question, "error": str(exc)})
            yield "", chat_messages(turns), turns, gr.skip(), gr.skip()
            return
        yield "", chat_messages(turns, (question, "", backend)), gr.skip(), gr.skip(), gr.skip()
        text = ""
        turn: Turn = {"question": question, "error": "the assistant gave no answer"}
        try:
            for event in self.ctx.assistant.stream(question, history, backend=backend, k=int(k), filters=filters):
                if event["type"] == "token":
                    text += event["text"]
                    yield gr.skip(), chat_messages(turns, (question, text, backend)), gr.skip(), gr.skip(), gr.skip()
                else:
                    turn = {"question": question, "answer": event["answer"].as_dict(),
                            "filters": describe_filters(sources, date_from, date_to)}
        except (BackendUnavailable, ValueError, IndexBusy, IndexUnavailable) as exc:
            turn = {"question": question, "error": str(exc)}
        except Exception as exc:  # a crashed generator must not break the session; the log has the traceback
            log.exception("answering %r failed", question)
            turn = {"question": question, "error": f"the {backend} generator failed ({type(exc).__name__}: {exc})"}
        turns.append(turn)
        if turn.get("answer"):
            conversation_id = self._save(user_of(request), conversation_id, question, turn["answer"])
        yield "", chat_messages(turns), turns, panel_html(turns), conversation_id

    def _save(self, user: str, conversation_id: str | None, question: str, answer: dict) -> str | None:
        """Store a finished turn in the user's conversation (created when there is none or it was deleted);
        returns the conversation's id. A storage failure is logged and the chat goes on unsaved."""
        store = self.ctx.conversations
        try:
            try:
                if conversation_id:
                    store.add_turn(user, conversation_id, question, answer)
                    return conversation_id
            except ConversationNotFound:
                pass
            conversation_id = store.create(user)
            store.add_turn(user, conversation_id, question, answer)
            return conversation_id
        except sqlite3.Error:
            log.exception("saving a turn of conversation %s failed", conversation_id)
            gr.Warning("This answer could not be saved in your conversations (see the server log).")
            return conversation_id

    def new_chat(self) -> tuple:
        """An empty conversation: (chat messages, turns, side panel, conversation id); it is saved with its first
        answer."""
        return [], [], panel_html([]), None
