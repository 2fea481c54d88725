"""The Statements tab: who said what across the indexed articles. Filters (speaker, stance, topic, sources, dates), a
table (speaker, stance, statement, outlets, date) where the same statement reported by several outlets is one row
listing each outlet, and for the clicked row the passage with the sentence highlighted (every outlet's) and the
speaker view: everything that speaker said across the articles, oldest first.

Contract (see `chat_panel`): `StatementsPanel(ctx)`; `build()` inside its `gr.Tab`, `wire(demo)` after every tab is
built.
"""
from __future__ import annotations

import gradio as gr

from ..statement_index import StatementGroup, StatementQuery, StoredStatement, group_reports
from ..stances import STANCES
from .context import PRIVATE, Context
from .render import esc, highlight_passage

TABLE_HEADERS = ["speaker", "stance", "statement", "outlets", "date"]
ANY_STANCE = "any"
SPEAKER_VIEW_LIMIT = 500


def _words(stored: StoredStatement) -> str:
    return f"\u201c{stored.quote}\u201d" if stored.quote else stored.statement


def _paragraph(body: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the paragraph (blank-line or line separated) around body[start:end]."""
    left = body.rfind("\n", 0, start) + 1
    right = body.find("\n", end)
    return left, len(body) if right < 0 else right


class StatementsPanel:
    """The Statements tab's components and handlers."""

    def __init__(self, ctx: Context):
        self.ctx = ctx

    def build(self) -> None:
        gr.Markdown("Every attributed statement of the indexed articles: denials, confirmations, refusals to comment, "
                    "claims, accusations, warnings. Click a row to read the passage and everything that speaker said.")
        with gr.Row():
            self.speaker = gr.Textbox(label="Speaker", placeholder="e.g. Peskov", elem_id="st-speaker")
            self.stance = gr.Dropdown([ANY_STANCE, *STANCES], value=ANY_STANCE, label="Stance", elem_id="st-stance")
            self.about = gr.Textbox(label="About (ranks by topic)", placeholder="e.g. calls with Putin",
                                    elem_id="st-about")
        with gr.Row():
            self.sources = gr.Dropdown([], value=[], multiselect=True, label="Only these sources", elem_id="st-sources")
            self.date_from = gr.Textbox(label="From (YYYY-MM-DD)", elem_id="st-from")
            self.date_to = gr.Textbox(label="To (YYYY-MM-DD)", elem_id="st-to")
            self.limit = gr.Number(50, precision=0, minimum=1, maximum=1000, label="At most", elem_id="st-limit")
        self.list = gr.Button("List statements", variant="primary", elem_id="st-list")
        self.status = gr.Markdown(elem_id="st-status")
        self.table = gr.Dataframe(headers=TABLE_HEADERS, value=[], interactive=False, wrap=True, elem_id="st-table",
                                  column_widths=["16%", "8%", "52%", "14%", "10%"])
        self.groups = gr.State([])
        self.passage = gr.HTML(elem_id="st-passage")
        self.speaker_view = gr.HTML(elem_id="st-speaker-view")

    # --- handlers -----------------------------------------------------------------------------------
    def list_statements(self, speaker: str, stance: str | None, about: str, sources: list[str] | None,
                        date_from: str, date_to: str, limit: float | None) -> tuple:
        """(status, table rows, groups state) for the filters; a bad filter is named in the status."""
        query = StatementQuery(speaker=(speaker or "").strip() or None,
                               stance=None if stance in (None, ANY_STANCE) else stance,
                               about=(about or "").strip() or None, sources=tuple(sources or ()),
                               date_from=(date_from or "").strip() or None, date_to=(date_to or "").strip() or None,
                               limit=max(1, min(1000, int(limit or 50))))
        try:
            found = self.ctx.find_statements(query)
        except ValueError as exc:
            return f"Not listed: {esc(exc)}", [], []
        groups = group_reports(found)
        if not groups:
            return "No statement matches these filters.", [], []
        table = [[group.statement.speaker_label, group.statement.stance, _words(group.statement), ", ".join(group.outlets),
                  group.statement.published_at[:10]] for group in groups]
        merged = len(found) - len(groups)
        status = (f"{len(found)} statements" + (f", {merged} of them the same statement reported by another outlet"
                                                  if merged else "") + ".")
        return status, table, [[stored.as_dict() for stored in group.reports] for group in groups]

    def show(self, groups: list[list[dict]], event: gr.SelectData) -> tuple[str, str]:
        """(passage view, speaker view) of the clicked row."""
        index = event.index[0] if isinstance(event.index, (list, tuple)) else event.index
        if not groups or index is None or index >= len(groups):
            return "", ""
        reports = [StoredStatement.from_dict(row) for row in groups[index]]
        return self.passages_html(reports), self.speaker_html(reports[0])

    def passages_html(self, reports: list[StoredStatement]) -> str:
        """Each outlet's report: title, source, date, and its paragraph with the sentence highlighted."""
        cards = []
        for stored in reports:
            body = self.ctx.article_body(stored.article_id)
            if body is None or body[stored.start:stored.end].strip() == "":
                cards.append(f'<div class="cite-card st-card"><div class="cite-title">{esc(stored.title)}</div>'
                              f'<p class="note">This article is no longer indexed as it was.</p></div>')
                continue
            left, right = _paragraph(body, stored.start, stored.end)
            citation = {"passage": body[left:right], "quote": body[stored.start:stored.end], "start": stored.start,
                        "end": stored.end, "passage_start": left}
            cards.append(f'<div class="cite-card st-card"><div class="cite-title">{esc(stored.title or "Untitled")}</div>'
                         f'<div class="cite-meta"><span class="cite-source">{esc(stored.source or "unknown source")}'
                         f'</span> · <span class="cite-date">{esc(stored.published_at[:10] or "undated")}</span> · '
                         f'{esc(stored.speaker_label)}: {esc(stored.stance)} ({esc(stored.verb)})</div>'
                         f'<div class="cite-passage">{highlight_passage(citation)}</div>'
                         f'<div class="cite-foot">article {esc(stored.article_id)} [{stored.start}:{stored.end}]</div></div>')
        return "".join(cards)

    def speaker_html(self, stored: StoredStatement) -> str:
        """Everything the statement's speaker said across the articles, oldest first, grouped across outlets (nothing
        for a speaker the article does not identify)."""
        if not stored.speaker_resolved:
            return '<p class="note">The article does not say who this speaker is, so there is no speaker view.</p>'
        said = self.ctx.find_statements(StatementQuery(speaker=stored.speaker, limit=SPEAKER_VIEW_LIMIT))
        groups: list[StatementGroup] = group_reports(list(reversed(said)))  # find() gives newest first
        items = "".join(f'<li><span class="cite-date">{esc(g.statement.published_at[:10] or "undated")}</span> · '
                        f'<b>{esc(g.statement.stance)}</b> · {esc(_words(g.statement))} '
                        f'<span class="cite-source">({esc(", ".join(g.outlets))})</span></li>' for g in groups)
        return (f'<div class="st-speaker"><h4>Everything {esc(stored.speaker)} said ({len(said)} statements)</h4>'
                f'<ol>{items}</ol></div>')

    def source_choices(self) -> gr.Dropdown:
        return gr.Dropdown(choices=sorted({row["source"] for row in self.ctx.index.list_articles() if row["source"]}))

    def wire(self, demo: gr.Blocks) -> None:
        filters = [self.speaker, self.stance, self.about, self.sources, self.date_from, self.date_to, self.limit]
        outputs = [self.status, self.table, self.groups]
        self.list.click(self.list_statements, filters, outputs, **PRIVATE)
        for box in (self.speaker, self.about, self.date_from, self.date_to):
            box.submit(self.list_statements, filters, outputs, **PRIVATE)
        self.table.select(self.show, [self.groups], [self.passage, self.speaker_view], **PRIVATE)
        demo.load(self.source_choices, None, [self.sources], show_progress="hidden", **PRIVATE)
