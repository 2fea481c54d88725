"""The Articles tab: upload and paste forms, the indexing results, the table of indexed articles and removal, and
its handlers.

Contract (as for every tab module, see chat_panel.py): `ArticlesPanel(ctx)`; `build()` inside the tab's
`gr.Tab`; `wire(demo, sources)` inside the Blocks once every tab is built, where `sources` is the chat's source
filter: the handlers keep its selection and update its choices whenever the index changes."""
from __future__ import annotations

import hashlib
from pathlib import Path

import gradio as gr

from ..articles import SUPPORTED_SUFFIXES, slugify
from ..store import IndexBusy, IndexUnavailable
from .context import PRIVATE, Context
from .uploads import ResultRow, _one_line, index_files, pasted_article_text, safe_upload_name, store_upload


class ArticlesPanel:
    """The articles' components and event handlers around the shared context."""

    def __init__(self, ctx: Context):
        self.ctx = ctx

    def build(self) -> None:
        """Upload and paste forms, the indexing results, the table of indexed articles and removal."""
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
                    self.date = gr.Textbox(label="Date", placeholder="YYYY-MM-DD", elem_id="paste-date")
                self.text = gr.Textbox(label="Article text", lines=6, elem_id="paste-text")
                self.add_pasted = gr.Button("Index pasted article", elem_id="index-pasted")
        self.results = gr.Dataframe(headers=["file", "title", "status", "detail"], value=[], interactive=False,
                                    wrap=True, label="Indexing results", elem_id="index-results",
                                    column_widths=["20%", "30%", "12%", "38%"])
        self.table = gr.Dataframe(headers=["id", "title", "source", "published", "chunks"], value=[],
                                  interactive=False, label="Indexed articles (click a row to select it)",
                                  elem_id="articles-table", wrap=True, max_height=400,
                                  column_widths=["24%", "46%", "14%", "10%", "6%"])
        with gr.Row():
            self.remove_ids = gr.Dropdown([], value=[], multiselect=True, label="Articles to remove",
                                          elem_id="remove-ids", scale=4)
            self.remove = gr.Button("Remove selected", variant="stop", elem_id="remove", scale=1)
        self.remove_status = gr.Markdown(elem_id="remove-status")

    def wire(self, demo: gr.Blocks, sources: gr.Dropdown) -> None:
        """Indexing files or a pasted article, removing articles and selecting them by row; on page load, the table
        and selectors are filled from the index."""
        views = [self.table, self.remove_ids, sources]
        self.add_files.click(self.index_uploads, [self.files, sources], [self.results, self.files, *views],
                             **PRIVATE)
        self.add_pasted.click(self.index_pasted, [self.title, self.source, self.date, self.text, sources],
                              [self.results, self.title, self.text, *views], **PRIVATE)
        self.remove.click(self.remove_articles, [self.remove_ids, sources], [self.remove_status, *views],
                          **PRIVATE)
        self.table.select(self.select_row, [self.remove_ids], [self.remove_ids], **PRIVATE)
        demo.load(self.article_views, [sources], views, **PRIVATE)

    def article_views(self, selected_sources: list[str] | None = None) -> tuple:
        """(articles table rows, remove-selector update, source-filter update) for the current index. Called after
        every change, so it also brings the BM25 side up to date now rather than on the next question."""
        self.ctx.assistant.retriever.lexical_index()
        rows = self.ctx.index.list_articles()
        table = [[row["id"], row["title"], row["source"], row["published_at"][:10], row["chunks"]] for row in rows]
        ids = [(f"{row['title'][:70]} ({row['id']})", row["id"]) for row in rows]
        sources = sorted({row["source"] for row in rows if row["source"]})
        keep = [source for source in (selected_sources or []) if source in sources]
        return (table, gr.Dropdown(choices=ids, value=[]), gr.Dropdown(choices=sources, value=keep))

    def index_uploads(self, paths: list[str] | None, selected_sources: list[str] | None,
                      progress=gr.Progress()) -> tuple:
        """Copy uploaded files into the upload folder and index them; returns (result rows, cleared upload box,
        *article_views). A file that cannot be indexed gets a 'failed' row naming it and what to do; the others
        are still indexed, and the upload folder keeps only files that indexed articles come from."""
        if not paths:
            gr.Warning("Choose one or more article files first.")
            return (gr.skip(), gr.skip(), *self.article_views(selected_sources))
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
        progress(0, desc="Indexing…")
        rows += index_files(self.ctx.index, stored, self.ctx.max_bytes,
                            lambda done, total: progress((done, total), desc="Indexing articles", unit="articles"))
        self._forget_uploads([str(target) for _, target in stored])  # files that failed to load or index
        return (rows, None, *self.article_views(selected_sources))

    def index_pasted(self, title: str, source: str, date: str, text: str, selected_sources: list[str] | None,
                     progress=gr.Progress()) -> tuple:
        """Save a pasted article as a text file in the upload folder and index it like an upload; returns
        (result rows, cleared title, cleared text, *article_views)."""
        if not (text or "").strip():
            gr.Warning("Paste the article's text first.")
            return (gr.skip(), gr.skip(), gr.skip(), *self.article_views(selected_sources))
        # One file per title, so pasting a corrected version updates the article; untitled ones by content.
        stem = slugify(title) if _one_line(title) else hashlib.sha1(text.encode()).hexdigest()[:10]
        name = safe_upload_name(f"pasted-{stem}.txt")
        self.ctx.uploads.mkdir(parents=True, exist_ok=True)
        path = self.ctx.uploads / name
        path.write_text(pasted_article_text(title, source, date, text), encoding="utf-8")
        progress(0, desc="Indexing…")
        rows = index_files(self.ctx.index, [(f"pasted: {title or 'article'}", path)], self.ctx.max_bytes)
        failed = any(row[2] == "failed" for row in rows)
        return (rows, gr.skip() if failed else "", gr.skip() if failed else "", *self.article_views(selected_sources))

    def remove_articles(self, ids: list[str] | None, selected_sources: list[str] | None) -> tuple:
        """Remove the selected articles (and their uploaded files); returns (message, *article_views)."""
        if not ids:
            return ("Select one or more articles to remove.", *self.article_views(selected_sources))
        paths = {row["id"]: row["path"] for row in self.ctx.index.list_articles()}
        try:
            removed, missing = self.ctx.index.remove(list(ids))
        except (IndexBusy, IndexUnavailable) as exc:
            return (f"Nothing removed: {exc}", *self.article_views(selected_sources))
        self._forget_uploads([paths.get(article_id, "") for article_id in removed])
        message = f"Removed {len(removed)} article{'s' * (len(removed) != 1)}."
        if missing:
            message += f" Not indexed (already removed?): {', '.join(missing)}."
        return (message, *self.article_views(selected_sources))

    def _forget_uploads(self, paths: list[str]) -> None:
        """Delete uploaded files that no indexed article comes from any more."""
        still_used = {row["path"].split("#")[0] for row in self.ctx.index.list_articles()}
        uploads = self.ctx.uploads.resolve()
        for path in {Path(p.split("#")[0]) for p in paths if p}:
            if path.resolve().parent == uploads and str(path) not in still_used:
                path.unlink(missing_ok=True)

    def select_row(self, selected: list[str] | None, event: gr.SelectData) -> list[str]:
        """Clicking a row of the articles table adds its id to the removal selection."""
        article_id = (event.row_value or [None])[0]
        chosen = list(selected or [])
        if article_id and article_id not in chosen:
            chosen.append(article_id)
        return chosen
