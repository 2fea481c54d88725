"""The Chat tab: the conversation, the question box, the source panel and the answer settings, and its handlers.

Contract (the same for every tab module): `ChatPanel(ctx)` takes the shared `Context`; `build()`, called inside
the tab's `gr.Tab`, creates the components and keeps them as attributes; `wire()`, called inside the Blocks once
every tab is built, connects the tab's events (all `PRIVATE`). Other tabs may use `sources`, the source filter
(the articles tab keeps its choices in step with the index)."""
from __future__ import annotations

import logging
import sqlite3
from functools import partial
from collections.abc import Iterator

import gradio as gr

from ..conversations import ConversationNotFound
from ..generators import BACKENDS, BackendUnavailable
from ..store import IndexBusy, IndexUnavailable
from .context import PRIVATE, Context, user_of
from ..filters import describe_filters, make_filters
from .index_summary import example_questions, index_summary
from .render import Turn, chat_messages, esc, note_html, panel_html

log = logging.getLogger(__name__)


class ChatPanel:
    """The chat's components and event handlers around the shared context."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self._examples_for: tuple = ()  # the index the example questions were drawn from
        self._examples: list[str] = []

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
                                          buttons=[], placeholder="Ask about the indexed news articles.")
                with gr.Row():
                    self.question = gr.Textbox(elem_id="question", show_label=False, scale=6, max_lines=4,
                                               placeholder="Ask a question about the indexed articles")
                    # enabled once the page load has reopened the conversation, so a question never races it
                    self.ask = gr.Button("Ask", variant="primary", scale=1, elem_id="ask", min_width=80,
                                         interactive=False)
                with gr.Row():
                    self.clear = gr.Button("New chat", elem_id="new-chat", size="sm")
                    self.stop = gr.Button("Stop", elem_id="stop", size="sm", variant="stop", interactive=False)
                    self.regenerate = gr.Button("Regenerate", elem_id="regenerate", size="sm")
                self.summary = gr.Markdown(elem_id="index-summary", elem_classes="index-summary")
                with gr.Row(elem_id="example-questions"):
                    self.examples = [gr.Button(visible=False, size="sm", elem_classes="example-question")
                                     for _ in range(3)]
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
                # text boxes, checked as typed: a date picker silently kept its old value for "yesterday"
                self.date_from = gr.Textbox(label="Published from", placeholder="YYYY-MM-DD", elem_id="date-from",
                                            max_lines=1)
                self.date_to = gr.Textbox(label="Published to (inclusive)", placeholder="YYYY-MM-DD",
                                          elem_id="date-to", max_lines=1)
            self.filter_problem = gr.HTML("", elem_id="filter-problem")
            if unavailable:
                gr.Markdown(f"Not available here: {unavailable}", elem_id="unavailable-backends")

    def wire(self, demo: gr.Blocks) -> list:
        """Asking (Enter or the button) streams an answer and saves the turn; while it runs Ask and Regenerate are
        disabled and Stop cancels it (nothing of a stopped answer is kept). Regenerate answers the last question
        again (with the generator now chosen) in its place. "New chat" and the chatbot's clear button start a new
        conversation (the old one stays saved). The page load fills the index summary and example questions.
        Returns the events after which the sidebar brings its list up to date."""
        chat_inputs = [self.question, self.turns, self.conversation, self.backend, self.k, self.sources,
                       self.date_from, self.date_to]
        chat_outputs = [self.question, self.chatbot, self.turns, self.panel, self.conversation]
        new_outputs = [self.chatbot, self.turns, self.panel, self.conversation]
        controls = [self.ask, self.stop, self.regenerate]
        finished, running = [], []
        for trigger, handler in ((self.question.submit, self.respond), (self.ask.click, self.respond),
                                 (self.regenerate.click, self.regenerate_last)):
            answering = trigger(self.busy, None, controls, **PRIVATE).then(handler, chat_inputs, chat_outputs,
                                                                          **PRIVATE)
            running.append(answering)
            finished.append(answering.then(self.idle, None, controls, **PRIVATE))
        for box in (self.date_from, self.date_to):
            for trigger in (box.blur, box.submit):
                trigger(self.check_filters, [self.sources, self.date_from, self.date_to], [self.filter_problem],
                        show_progress="hidden", **PRIVATE)
        self.stop.click(self.stopped, [self.turns], [self.chatbot, self.panel, *controls], cancels=running, **PRIVATE)
        for number, button in enumerate(self.examples):
            button.click(partial(self.example_text, number), None, [self.question], **PRIVATE)
        demo.load(self.index_views, None, [self.summary, *self.examples], show_progress="hidden", **PRIVATE)
        return [*finished, self.clear.click(self.new_chat, None, new_outputs, **PRIVATE),
                self.chatbot.clear(self.new_chat, None, new_outputs, **PRIVATE)]

    def check_filters(self, sources: list[str] | None, date_from: str | None, date_to: str | None) -> str:
        """The message under the date boxes: what is wrong with the typed range ("" when nothing is)."""
        try:
            make_filters(sources, date_from, date_to)
        except ValueError as exc:
            return note_html(f"{exc}. Fix or clear it before asking.", "field-error")
        return ""

    def busy(self) -> tuple:
        """Controls while an answer runs: (Ask, Stop, Regenerate)."""
        return gr.Button(interactive=False), gr.Button(interactive=True), gr.Button(interactive=False)

    def idle(self) -> tuple:
        """Controls when no answer runs: (Ask, Stop, Regenerate)."""
        return gr.Button(interactive=True), gr.Button(interactive=False), gr.Button(interactive=True)

    def stopped(self, turns: list[Turn]) -> tuple:
        """After Stop: the conversation as it was before the stopped question, and idle controls."""
        turns = list(turns or [])
        return (chat_messages(turns), panel_html(turns), *self.idle())

    def index_views(self) -> tuple:
        """(index summary, three example-question buttons) for the current index."""
        rows = self.ctx.index.list_articles()
        key = tuple((row["id"], row["published_at"]) for row in rows)
        if key != self._examples_for:
            self._examples_for, self._examples = key, example_questions(rows, self.ctx.article_body)
        buttons = [gr.Button(value=text, visible=True) for text in self._examples]
        buttons += [gr.Button(visible=False)] * (len(self.examples) - len(buttons))
        return (index_summary(rows), *buttons)

    def example_text(self, number: int) -> str:
        """The text of example question `number` (into the question box)."""
        return self._examples[number] if number < len(self._examples) else gr.skip()

    def respond(self, question: str, turns: list[Turn], conversation_id: str | None, backend: str, k: float,
                sources: list[str] | None, date_from: str | None, date_to: str | None,
                request: gr.Request) -> Iterator[tuple]:
        """Stream one answer: yields (question box, chat messages, turns, side panel, conversation id). Follow-ups
        see the earlier answered turns; every failure ends as an error turn, never as a broken chat. A finished
        answer is saved in the user's open conversation (a new one for the first answer); errors are not saved."""
        yield from self._answer((question or "").strip(), list(turns or []), conversation_id, backend, k,
                                sources, date_from, date_to, user_of(request), replace_last=False)

    def regenerate_last(self, question: str, turns: list[Turn], conversation_id: str | None, backend: str,
                        k: float, sources: list[str] | None, date_from: str | None, date_to: str | None,
                        request: gr.Request) -> Iterator[tuple]:
        """Answer the last question again, in place of its answer (the question box is left as it is)."""
        turns = list(turns or [])
        if not turns:
            gr.Warning("There is no question to answer again yet.")
            yield gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
            return
        last = turns.pop()
        for update in self._answer(last["question"], turns, conversation_id, backend, k, sources, date_from,
                                   date_to, user_of(request), replace_last=bool(last.get("answer"))):
            yield (gr.skip(), *update[1:])

    def _answer(self, question: str, turns: list[Turn], conversation_id: str | None, backend: str, k: float,
                sources: list[str] | None, date_from: str | None, date_to: str | None, user: str,
                replace_last: bool) -> Iterator[tuple]:
        """The answering behind `respond` and `regenerate_last`. While it runs the page shows the reader's short
        answer as soon as it is known and then a "checking" state: generated text appears only once checked."""
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
        turn: Turn = {"question": question, "error": "the assistant gave no answer"}
        short = None
        unchanged = (gr.skip(),) * 5
        try:
            for event in self.ctx.assistant.stream(question, history, backend=backend, k=int(k), filters=filters):
                if event["type"] == "token" and short is None:  # the first piece is the reader's checked short answer
                    short = event["text"]
                    yield gr.skip(), chat_messages(turns, (question, short, backend)), gr.skip(), gr.skip(), gr.skip()
                elif event["type"] == "token":
                    yield unchanged  # not shown (unchecked), but a step at which Stop can cancel the generation
                elif event["type"] == "answer":
                    turn = {"question": question, "answer": event["answer"].as_dict(),
                            "filters": describe_filters(sources, date_from, date_to)}
        except (BackendUnavailable, ValueError, IndexBusy, IndexUnavailable) as exc:
            turn = {"question": question, "error": str(exc)}
        except Exception as exc:  # a crashed generator must not break the session; the log has the traceback
            log.exception("answering %r failed", question)
            turn = {"question": question, "error": f"the {backend} generator failed ({type(exc).__name__}: {exc})"}
        yield unchanged  # the last step at which Stop cancels: after it, the turn is saved and shown at once
        turns.append(turn)
        if turn.get("answer"):
            conversation_id = self._save(user, conversation_id, question, turn["answer"], replace_last)
        yield "", chat_messages(turns), turns, panel_html(turns), conversation_id

    def _save(self, user: str, conversation_id: str | None, question: str, answer: dict,
              replace_last: bool = False) -> str | None:
        """Store a finished turn in the user's conversation (created when there is none or it was deleted), in
        place of its last turn for a regenerated answer; returns the conversation's id. A storage failure is
        logged and the chat goes on unsaved."""
        store = self.ctx.conversations
        try:
            try:
                if conversation_id:
                    store.add_turn(user, conversation_id, question, answer, replace_last=replace_last)
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
