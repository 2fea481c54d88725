"""The conversations sidebar: the user's stored conversations (newest first), opening one, renaming, deleting one
or all (each deletion asks for confirmation), exporting one (Markdown and JSON, every citation), and reopening the
current one after a reload.

Contract (see `chat_panel`): `ConversationsPanel(ctx, chat)` takes the shared `Context` and the chat panel whose
conversation it shows; `build()` creates the sidebar, `wire(demo, chat_events)` connects its events, the page load
and a list refresh after each of the chat's events. Storage
is `conversations.ConversationStore`; every handler acts for the request's user only (`context.user_of`).
"""
from __future__ import annotations

import tempfile
from pathlib import Path

import gradio as gr

from ..articles import slugify
from ..conversations import ConversationNotFound, mark_stale_citations
from .chat_panel import ChatPanel
from .context import PRIVATE, Context, user_of
from ..export import conversation_json, conversation_markdown
from .render import chat_messages, panel_html


class ConversationsPanel:
    """The sidebar's components and handlers."""

    def __init__(self, ctx: Context, chat: ChatPanel):
        self.ctx = ctx
        self.chat = chat

    def build(self) -> None:
        with gr.Sidebar(label="Conversations", elem_id="conversations", open=True):
            self.list = gr.Radio([], value=None, label="Your conversations", elem_id="conversation-list")
            with gr.Row():
                self.title = gr.Textbox(show_label=False, placeholder="New title", elem_id="conversation-title",
                                        scale=3, max_lines=1)
                self.rename = gr.Button("Rename", elem_id="rename-conversation", size="sm", scale=1)
            with gr.Row():
                self.delete = gr.Button("Delete", elem_id="delete-conversation", size="sm", variant="stop")
                self.delete_all = gr.Button("Delete all mine", elem_id="delete-all-conversations", size="sm",
                                            variant="stop")
            self.pending = gr.State("")  # "one" or "all": the deletion waiting for confirmation
            with gr.Group(visible=False, elem_id="confirm-delete") as self.confirm_box:
                self.confirm_text = gr.Markdown()
                with gr.Row():
                    self.confirm = gr.Button("Confirm", variant="stop", elem_id="confirm-delete-yes", size="sm")
                    self.cancel = gr.Button("Cancel", elem_id="confirm-delete-no", size="sm")
            self.export = gr.Button("Export (Markdown and JSON)", elem_id="export-conversation", size="sm")
            self.exported = gr.File(label="Exported conversation", file_count="multiple", interactive=False,
                                    visible=False, elem_id="export-files")
            self.status = gr.Markdown(elem_id="conversation-status")

    # --- handlers -----------------------------------------------------------------------------------
    def choices(self, user: str, current: str | None) -> gr.Radio:
        """The list of `user`'s conversations with `current` selected."""
        listed = self.ctx.conversations.list(user)
        return gr.Radio(choices=[(c["title"], c["id"]) for c in listed],
                        value=current if any(c["id"] == current for c in listed) else None)

    def _opened(self, user: str, conversation_id: str | None) -> tuple:
        """(chat messages, turns, side panel, conversation id) of one of `user`'s conversations, or of a new one."""
        if conversation_id:
            try:
                turns = self.ctx.conversations.turns(user, conversation_id)
            except ConversationNotFound:
                conversation_id, turns = None, []
        else:
            turns = []
        turns = mark_stale_citations([{"question": t["question"], "answer": t["answer"]} for t in turns],
                                     self.ctx.article_body)
        return chat_messages(turns), turns, panel_html(turns), conversation_id

    def on_load(self, remembered: str | None, request: gr.Request) -> tuple:
        """After a (re)load: reopen the conversation this browser had open, else the user's latest one; then the
        chat's Ask button is enabled."""
        user = user_of(request)
        listed = self.ctx.conversations.list(user)
        current = remembered if any(c["id"] == remembered for c in listed) else (listed[0]["id"] if listed else None)
        return (*self._opened(user, current), self.choices(user, current), gr.Button(interactive=True))

    def open(self, conversation_id: str | None, request: gr.Request) -> tuple:
        """Show the conversation picked in the list."""
        return self._opened(user_of(request), conversation_id)

    def rename_current(self, conversation_id: str | None, title: str, request: gr.Request) -> tuple:
        """(list, title box, status): the current conversation renamed, or why not."""
        user = user_of(request)
        if not conversation_id:
            return gr.skip(), gr.skip(), "Ask a question first: a conversation is saved with its first answer."
        try:
            self.ctx.conversations.rename(user, conversation_id, title)
        except (ValueError, ConversationNotFound) as exc:
            return gr.skip(), gr.skip(), f"Not renamed: {exc}."
        return self.choices(user, conversation_id), "", "Renamed."

    def ask_to_delete_one(self, conversation_id: str | None, request: gr.Request) -> tuple:
        """Ask to confirm deleting the open conversation (see `ask_to_delete`)."""
        return self.ask_to_delete("one", conversation_id, request)

    def ask_to_delete_all(self, conversation_id: str | None, request: gr.Request) -> tuple:
        """Ask to confirm deleting all of the user's conversations (see `ask_to_delete`)."""
        return self.ask_to_delete("all", conversation_id, request)

    def refresh(self, conversation_id: str | None, request: gr.Request) -> gr.Radio:
        """The list after the chat saved a turn or started a new conversation."""
        return self.choices(user_of(request), conversation_id)

    def ask_to_delete(self, what: str, conversation_id: str | None, request: gr.Request) -> tuple:
        """(confirmation box, its text, pending action, status) for deleting the current conversation or all."""
        user = user_of(request)
        if what == "one":
            if not conversation_id:
                return gr.skip(), gr.skip(), "", "No saved conversation is open."
            title = next((c["title"] for c in self.ctx.conversations.list(user) if c["id"] == conversation_id), "")
            text = f"Delete the conversation “{title}”? This cannot be undone."
        else:
            count = len(self.ctx.conversations.list(user))
            if not count:
                return gr.skip(), gr.skip(), "", "You have no saved conversations."
            text = f"Delete all {count} of your conversations? This cannot be undone."
        return gr.Group(visible=True), text, what, ""

    def confirm_delete(self, what: str, conversation_id: str | None, request: gr.Request) -> tuple:
        """Carry out the pending deletion: (confirmation box, pending, status, list, *opened conversation)."""
        user = user_of(request)
        if what == "all":
            count = self.ctx.conversations.delete_all(user)
            status, conversation_id = f"Deleted {count} conversation{'s' * (count != 1)}.", None
        elif what == "one" and conversation_id:
            try:
                self.ctx.conversations.delete(user, conversation_id)
                status = "Deleted."
            except ConversationNotFound:
                status = "It was already deleted."
            conversation_id = None
        else:
            return gr.Group(visible=False), "", "", gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
        return (gr.Group(visible=False), "", status, self.choices(user, None), *self._opened(user, None))

    def export_current(self, conversation_id: str | None, request: gr.Request) -> tuple:
        """(files, status): the open conversation as .md and .json files with every citation."""
        user = user_of(request)
        try:
            turns = self.ctx.conversations.turns(user, conversation_id or "")
        except ConversationNotFound:
            return gr.File(visible=False), "Ask a question first: a conversation is saved with its first answer."
        title = next((c["title"] for c in self.ctx.conversations.list(user) if c["id"] == conversation_id), "")
        turns = mark_stale_citations(turns, self.ctx.article_body)
        folder = Path(tempfile.mkdtemp(prefix="conversation-"))
        stem = slugify(title)[:60] or "conversation"
        markdown, data = folder / f"{stem}.md", folder / f"{stem}.json"
        markdown.write_text(conversation_markdown(title, turns), encoding="utf-8")
        data.write_text(conversation_json(title, turns), encoding="utf-8")
        return gr.File(value=[str(markdown), str(data)], visible=True), ""

    def wire(self, demo: gr.Blocks, chat_events: list) -> None:
        """Connect the sidebar; `chat_events` are the chat's events after which the list is brought up to date."""
        chat = self.chat
        opened = [chat.chatbot, chat.turns, chat.panel, chat.conversation]
        demo.load(self.on_load, [chat.conversation], [*opened, self.list, chat.ask], **PRIVATE)
        for event in chat_events:
            event.then(self.refresh, [chat.conversation], [self.list], **PRIVATE)
        self.list.input(self.open, [self.list], opened, **PRIVATE)
        self.rename.click(self.rename_current, [chat.conversation, self.title], [self.list, self.title, self.status],
                          **PRIVATE)
        self.title.submit(self.rename_current, [chat.conversation, self.title], [self.list, self.title, self.status],
                          **PRIVATE)
        ask_outputs = [self.confirm_box, self.confirm_text, self.pending, self.status]
        self.delete.click(self.ask_to_delete_one, [chat.conversation], ask_outputs, **PRIVATE)
        self.delete_all.click(self.ask_to_delete_all, [chat.conversation], ask_outputs, **PRIVATE)
        self.confirm.click(self.confirm_delete, [self.pending, chat.conversation],
                           [self.confirm_box, self.pending, self.status, self.list, *opened], **PRIVATE)
        self.export.click(self.export_current, [chat.conversation], [self.exported, self.status], **PRIVATE)
        self.cancel.click(lambda: (gr.Group(visible=False), "", "Nothing deleted."), None,
                          [self.confirm_box, self.pending, self.status], **PRIVATE)
