"""The Articles tab: upload and paste forms (the pasted date checked where it is typed), indexing progress (on the
status line only) and results, the searchable table of indexed articles, the full view of one article, and removal
of the selected articles after a confirmation; and its handlers.

Contract (as for every tab module, see chat_panel.py): `ArticlesPanel(ctx)`; `build()` inside the tab's
`gr.Tab`; `wire(demo, sources)` inside the Blocks once every tab is built, where `sources` is the chat's source
filter: the handlers keep its selection and update its choices whenever the index changes."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import gradio as gr

from ..articles import SUPPORTED_SUFFIXES
from ..store import IndexBusy, IndexProgress, IndexUnavailable
from .context import PRIVATE, Context
from .listing import TABLE_HEADERS, Listed, count_line, search_articles, table_rows
from .render import article_html, note_html, removal_question_html, selection_html
from .uploads import (ResultRow, date_problem, index_files, progress_text, results_summary, safe_upload_name,
                      save_pasted_article, store_upload)

Selection = list[list[str]]  # [[article id, title], ...]: the articles selected for removal, in the order clicked
QUIET = {"show_progress": "hidden", **PRIVATE}  # quick events: no progress animation anywhere


def _html(elem_id: str, value: str = "", **options) -> gr.HTML:
    """An HTML component for markup of ours around escaped text (no click handler of Gradio's)."""
    return gr.HTML(value, elem_id=elem_id, js_on_load=None, **options)


def _skips(count: int) -> tuple:
    return (gr.skip(),) * count


class ArticlesPanel:
    """The articles' components and event handlers around the shared context."""

    def __init__(self, ctx: Context):
        self.ctx = ctx

    def build(self) -> None:
        """Upload and paste forms, the status line, the indexing results, the table of indexed articles with its
        search and count, the removal selection and its confirmation, and the article view."""
        gr.Markdown(f"Add articles as files ({', '.join(SUPPORTED_SUFFIXES)}; "
                    f"at most {self.ctx.settings.max_file_mb:g} MiB each) or paste one.")
        with gr.Row():
            with gr.Column():
                # No file_types: Gradio would refuse the whole upload for one file of another type; store_upload
                # refuses that file alone, with a message, and the others are indexed.
                self.files = gr.File(label="Article files", file_count="multiple", type="filepath", elem_id="upload")
                self.add_files = gr.Button("Index files", variant="primary", elem_id="index-files")
            with gr.Column():
                self.title = gr.Textbox(label="Title", elem_id="paste-title")
                with gr.Row():
                    self.source = gr.Textbox(label="Source", elem_id="paste-source")
                    with gr.Column():
                        self.date = gr.Textbox(label="Date", placeholder="YYYY-MM-DD", elem_id="paste-date")
                        self.date_error = _html("paste-date-error")
                self.text = gr.Textbox(label="Article text", lines=6, elem_id="paste-text")
                self.add_pasted = gr.Button("Index pasted article", elem_id="index-pasted")
        self.status = _html("index-status", min_height=48)  # indexing progress shows here, and only here
        self.results = gr.Dataframe(headers=["file", "title", "status", "detail"], value=[], interactive=False,
                                    wrap=True, label="Indexing results", elem_id="index-results",
                                    column_widths=["20%", "30%", "12%", "38%"])
        with gr.Row(equal_height=True):
            self.search = gr.Textbox(label="Search the indexed articles", placeholder="words of a title, source or id",
                                     elem_id="articles-search", scale=3)
            self.count = _html("articles-count", scale=2)
        self.table = gr.Dataframe(headers=TABLE_HEADERS, value=[], interactive=False,
                                  label="Indexed articles (click a row to read it and to select or deselect it for "
                                        "removal)", elem_id="articles-table", wrap=True, max_height=400,
                                  column_widths=["24%", "46%", "14%", "10%", "6%"])
        self.selection, self.pending = gr.State([]), gr.State([])  # Selection; the one Confirm would remove
        with gr.Row(equal_height=False):
            with gr.Column(scale=2):
                self.selection_view = _html("remove-ids", selection_html([]))
                with gr.Row():
                    self.clear_selection = gr.Button("Clear selection", elem_id="clear-selection", size="sm")
                    self.remove = gr.Button("Remove selected", variant="stop", elem_id="remove", size="sm")
                with gr.Column(visible=False, elem_id="remove-confirm-box") as self.confirm_box:
                    self.question = _html("remove-question")
                    with gr.Row():
                        self.confirm = gr.Button("Confirm", variant="stop", elem_id="remove-confirm", size="sm")
                        self.cancel = gr.Button("Cancel", elem_id="remove-cancel", size="sm")
                self.remove_status = _html("remove-status")
            with gr.Column(scale=3):
                self.article_pick = gr.Dropdown([], value=None, label="Show article", elem_id="article-pick")
                self.article_view = _html("article-view", article_html(None))

    def wire(self, demo: gr.Blocks, sources: gr.Dropdown) -> None:
        """Indexing files or a pasted article (progress on the status line), checking the pasted date, searching
        the table, selecting rows, showing an article, removing the selection after a confirmation; on page load,
        the table and selectors are filled from the index."""
        views = [self.table, self.count, self.article_pick, sources]
        indexed = [*views, self.search, self.status]
        on_status = {"show_progress_on": [self.status], **PRIVATE}
        self.add_files.click(self.index_uploads, [self.files, sources], [self.results, self.files, *indexed],
                             **on_status)
        self.add_pasted.click(self.index_pasted, [self.title, self.source, self.date, self.text, sources],
                              [self.results, self.title, self.source, self.date, self.text, self.date_error, *indexed],
                              **on_status)
        self.date.blur(self.check_date, [self.date], [self.date_error], **QUIET)
        self.date.submit(self.check_date, [self.date], [self.date_error], **QUIET)
        self.search.change(self.search_table, [self.search], [self.table, self.count], **QUIET)
        self.table.select(self.select_row, [self.selection],
                          [self.selection, self.selection_view, self.article_pick, self.article_view], **QUIET)
        self.article_pick.input(self.show_article, [self.article_pick], [self.article_view], **QUIET)
        self.clear_selection.click(lambda: ([], selection_html([])), None, [self.selection, self.selection_view],
                                   **QUIET)
        self.remove.click(self.ask_removal, [self.selection],
                          [self.pending, self.question, self.confirm_box, self.remove_status], **QUIET)
        self.confirm.click(self.remove_articles, [self.pending, self.selection, sources, self.search, self.article_pick],
                           [self.remove_status, self.confirm_box, self.pending, self.selection, self.selection_view,
                            self.article_view, *views], show_progress_on=[self.remove_status], **PRIVATE)
        self.cancel.click(lambda: ([], gr.Column(visible=False), note_html("Nothing removed.")), None,
                          [self.pending, self.confirm_box, self.remove_status], **QUIET)
        demo.load(self.article_views, [sources], views, **PRIVATE)

    # --- the table and the article view ----------------------------------------------------------------------
    def article_views(self, selected_sources: list[str] | None = None, query: str = "",
                      clear_pick: bool = False) -> tuple:
        """(articles table rows searched with `query`, count line, article-picker update, source-filter update) for
        the current index; `clear_pick` also empties the picker. Called after every change, so it also brings the
        lexical side (reopened after a commit) up to date now rather than on the next question."""
        self.ctx.assistant.retriever.lexical_index()
        rows = self.ctx.index.list_articles()
        ids = [(f"{row['title'][:70]} ({row['id']})", row["id"]) for row in rows]
        sources = sorted({row["source"] for row in rows if row["source"]})
        keep = [source for source in (selected_sources or []) if source in sources]
        picker = gr.Dropdown(choices=ids, value=None) if clear_pick else gr.Dropdown(choices=ids)
        return (*self._table(rows, query), picker, gr.Dropdown(choices=sources, value=keep))

    def search_table(self, query: str) -> tuple:
        """(table rows, count line) of the articles whose title, source or id holds every word of `query`."""
        return self._table(self.ctx.index.list_articles(), query)

    @staticmethod
    def _table(rows: list[Listed], query: str) -> tuple:
        shown = search_articles(rows, query)
        return table_rows(shown), note_html(count_line(len(shown), rows))

    def show_article(self, article_id: str | None) -> str:
        """The full view of the article `article_id` (a hint for none, a note when it is no longer indexed)."""
        if not article_id:
            return article_html(None)
        article = self.ctx.index.get_article(article_id)
        if article is None:
            return note_html(f"The article {article_id} is no longer indexed.")
        chunks = next((row["chunks"] for row in self.ctx.index.list_articles() if row["id"] == article_id), 0)
        return article_html(article, chunks)

    def select_row(self, selection: Selection | None, event: gr.SelectData) -> tuple:
        """A click on a row of the articles table toggles its article in the removal selection and shows it in
        full; returns (selection, its list, article picker, article view)."""
        if not event.row_value:
            return _skips(4)
        article_id, title = str(event.row_value[0]), str(event.row_value[1])
        chosen = [item for item in selection or [] if item[0] != article_id]
        if len(chosen) == len(selection or []):
            chosen.append([article_id, title])
        return chosen, selection_html(chosen), gr.Dropdown(value=article_id), self.show_article(article_id)

    # --- indexing ------------------------------------------------------------------------------------------
    @staticmethod
    def _reporter(progress: gr.Progress) -> Callable[[IndexProgress], None]:
        return lambda update: progress(update.fraction, desc=progress_text(update))

    def _after_indexing(self, rows: list[ResultRow], selected_sources: list[str] | None) -> tuple:
        """(*article_views with the search cleared, so that new articles show; cleared search; status line)."""
        return (*self.article_views(selected_sources), "", note_html(results_summary(rows)))

    def index_uploads(self, paths: list[str] | None, selected_sources: list[str] | None,
                      progress=gr.Progress()) -> tuple:
        """Copy uploaded files into the upload folder and index them; returns (result rows, cleared upload box,
        *article_views, cleared search, status line). A file that cannot be indexed gets a 'failed' row naming it
        and what to do; the others are still indexed, and the upload folder keeps only files that indexed articles
        come from. Progress (articles settled, chunks embedded) shows on the status line."""
        if not paths:
            return (*_skips(7), note_html("Choose one or more article files first."))
        rows: list[ResultRow] = []
        stored: list[tuple[str, Path]] = []
        for path in map(Path, paths):
            taken = next((name for name, target in stored if target.name == safe_upload_name(path.name)), None)
            if taken is not None:  # it would overwrite the other file before either is indexed
                rows.append([path.name, "", "failed", f"{path.name} has the same name as another file of this upload "
                             f"({taken}); rename one of them and upload it again"])
                continue
            try:
                stored.append((path.name, store_upload(path, self.ctx.uploads, self.ctx.max_bytes)))
            except (OSError, ValueError) as exc:
                rows.append([path.name, "", "failed", f"{path.name} {exc}"])
        progress(0, desc=f"Reading {len(stored)} file{'s' * (len(stored) != 1)}…")
        rows += index_files(self.ctx.index, stored, self.ctx.max_bytes, self._reporter(progress))
        self._forget_uploads([str(target) for _, target in stored])  # files that failed to load or index
        return (rows, None, *self._after_indexing(rows, selected_sources))

    def check_date(self, date: str) -> str:
        """The message beside the pasted article's date: what is wrong with it, or nothing."""
        return note_html(date_problem(date), "field-error")

    def index_pasted(self, title: str, source: str, date: str, text: str, selected_sources: list[str] | None,
                     progress=gr.Progress()) -> tuple:
        """Save a pasted article as a text file in the upload folder and index it like an upload; returns (result
        rows, title, source, date, text, date message, *article_views, cleared search, status line). The fields are
        cleared once the article is indexed and kept otherwise; an unreadable date or no text indexes nothing."""
        problem = date_problem(date)
        if problem:
            return (*_skips(5), note_html(problem, "field-error"), *_skips(5), note_html(f"Not indexed: {problem}."))
        if not (text or "").strip():
            return (*_skips(11), note_html("Paste the article's text first."))
        path = save_pasted_article(self.ctx.uploads, title, source, date, text)
        progress(0, desc="Reading the pasted article…")
        rows = index_files(self.ctx.index, [(f"pasted: {title or 'article'}", path)], self.ctx.max_bytes,
                           self._reporter(progress))
        fields = _skips(4) if any(row[2] == "failed" for row in rows) else ("",) * 4
        return (rows, *fields, "", *self._after_indexing(rows, selected_sources))

    # --- removal -------------------------------------------------------------------------------------------
    def ask_removal(self, selection: Selection | None) -> tuple:
        """'Remove selected' asks first: returns (pending, question, confirmation box, status). The selection is
        kept as pending, so Confirm removes exactly the articles the question names."""
        if not selection:
            return [], "", gr.Column(visible=False), note_html("Select one or more articles to remove: click their "
                                                               "rows in the table.")
        return list(selection), removal_question_html(selection), gr.Column(visible=True), ""

    def remove_articles(self, pending: Selection | None, selection: Selection | None,
                        selected_sources: list[str] | None, query: str, shown: str | None) -> tuple:
        """Confirm: remove the pending articles (and their uploaded files); returns (message, hidden confirmation,
        no pending, selection without them, its list, article view, *article_views searched with `query`). The
        article view is emptied when it showed one of them."""
        ids = [article_id for article_id, _ in pending or []]
        paths = {row["id"]: row["path"] for row in self.ctx.index.list_articles()}
        try:
            removed, missing = self.ctx.index.remove(ids) if ids else ([], [])
        except (IndexBusy, IndexUnavailable) as exc:
            return (note_html(f"Nothing removed: {exc}"), gr.Column(visible=False), [], *_skips(3),
                    *self.article_views(selected_sources, query))
        self._forget_uploads([paths.get(article_id, "") for article_id in removed])
        message = f"Removed {len(removed)} article{'s' * (len(removed) != 1)}."
        if missing:
            message += f" Not indexed (already removed?): {', '.join(missing)}."
        kept = [item for item in selection or [] if item[0] not in ids]
        view = article_html(None) if shown in ids else gr.skip()
        return (note_html(message), gr.Column(visible=False), [], kept, selection_html(kept), view,
                *self.article_views(selected_sources, query, clear_pick=shown in ids))

    def _forget_uploads(self, paths: list[str]) -> None:
        """Delete uploaded files that no indexed article comes from any more."""
        still_used = {row["path"].split("#")[0] for row in self.ctx.index.list_articles()}
        uploads = self.ctx.uploads.resolve()
        for path in {Path(p.split("#")[0]) for p in paths if p}:
            if path.resolve().parent == uploads and str(path) not in still_used:
                path.unlink(missing_ok=True)
