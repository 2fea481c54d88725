"""The Articles tab's "From the web" section: index an article page by its URL, add and remove news feeds, see each
feed's last refresh and refresh them now; and its handlers.

Contract (as for every tab module, see chat_panel.py): `WebPanel(ctx, articles)`; `build()` inside the Articles tab
(after `articles.build()`, whose results table, status line and article views it updates); `wire(demo, sources)`
once every tab is built. Pages are fetched outside the index's write lock (`webpages`, `feeds`); a refresh that
is already running (the chat's background refresh when `ASSISTANT_FEED_REFRESH_MINUTES` is set, or `assistant
watch`) is not waited for: the status line says so and shows its result once it is done.
"""
from __future__ import annotations

from typing import Any

import gradio as gr

from ..feeds import FeedError, add_feed, last_refresh, list_feeds, refresh_feeds, remove_feed
from ..fetch import FetchError
from ..store import IndexBusy, IndexReport, IndexUnavailable, RefreshBusy
from ..webpages import index_urls
from .articles_panel import QUIET, ArticlesPanel, _skips
from .context import PRIVATE, Context
from .render import note_html
from .uploads import ResultRow, progress_text

FEED_HEADERS = ["name", "address", "last fetch", "status", "new", "updated", "unchanged", "failed"]


def feed_rows(feeds: list[dict[str, Any]]) -> list[list[Any]]:
    """The feeds table: one row per feed (`feeds.list_feeds` items), the failures as a count with the first reason."""
    rows = []
    for feed in feeds:
        failed = feed.get("failed") or []
        reason = feed.get("error") or (failed[0]["error"] if failed else "")
        rows.append([feed["name"], feed["url"], (feed.get("last_fetch") or "never")[:19].replace("T", " "),
                     feed.get("status") or "", feed.get("new") or 0, feed.get("updated") or 0,
                     feed.get("unchanged") or 0, f"{len(failed)}: {reason}" if reason else len(failed)])
    return rows


def refresh_line(summary: dict[str, Any] | None, every_minutes: float = 0) -> str:
    """One line on the last refresh of all feeds (`feeds.last_refresh`), e.g. 'Last refresh 2026-12-03 14:50 UTC:
    2 feeds, 5 new, 1 updated, 30 unchanged, 0 failed; 120 chunks written.', and the background schedule."""
    schedule = f" The feeds are refreshed in the background every {every_minutes:g} minutes." if every_minutes else ""
    if not summary:
        return f"No refresh yet.{schedule}"
    when = (summary.get("finished_at") or summary.get("started_at") or "")[:16].replace("T", " ")
    stopped = " (interrupted)" if summary.get("interrupted") else ""
    count = len(summary.get("feeds", []))
    return (f"Last refresh {when} UTC{stopped}: {count} feed{'s' * (count != 1)}, {summary.get('new', 0)} new, "
            f"{summary.get('updated', 0)} updated, {summary.get('unchanged', 0)} unchanged, "
            f"{summary.get('failed', 0)} failed; {summary.get('chunks', 0)} chunks written.{schedule}")


class WebPanel:
    """The URL and feed forms, the feeds table and the refresh status around the shared context."""

    def __init__(self, ctx: Context, articles: ArticlesPanel):
        self.ctx, self.articles = ctx, articles

    def build(self) -> None:
        gr.Markdown("### From the web\nIndex an article page by its address, or follow a site's RSS or Atom feed: "
                    "a refresh indexes the feed's new and updated articles.")
        with gr.Row(equal_height=True):
            self.url = gr.Textbox(label="Article address", placeholder="https://…", elem_id="url-input", scale=4)
            self.add_url = gr.Button("Index URL", elem_id="index-url", scale=1)
        with gr.Row(equal_height=True):
            self.feed_url = gr.Textbox(label="Feed address (RSS or Atom)", placeholder="https://…/rss.xml",
                                       elem_id="feed-url", scale=3)
            self.feed_name = gr.Textbox(label="Name (optional)", placeholder="from the feed's title",
                                        elem_id="feed-name", scale=1)
            self.add_feed = gr.Button("Add feed", elem_id="add-feed", scale=1)
        self.feeds = gr.Dataframe(headers=FEED_HEADERS, value=[], interactive=False, wrap=True, label="Feeds",
                                  elem_id="feeds-table")
        with gr.Row(equal_height=True):
            self.refresh = gr.Button("Refresh now", variant="primary", elem_id="refresh-feeds", size="sm")
            self.feed_pick = gr.Dropdown([], value=None, label="Feed", elem_id="feed-pick", scale=2)
            self.purge = gr.Checkbox(label="also remove its articles", elem_id="feed-purge")
            self.remove = gr.Button("Remove feed", variant="stop", elem_id="remove-feed", size="sm")
        self.feed_status = gr.HTML(self._refresh_line(), elem_id="feed-status", js_on_load=None, min_height=32)
        # the background refresh's results show without a reload
        self.timer = gr.Timer(30, active=bool(self.ctx.settings.feed_refresh_minutes))

    def wire(self, demo: gr.Blocks, sources: gr.Dropdown) -> None:
        """Index a URL, add / refresh / remove feeds (the articles table and source filter follow), and the feeds
        table and status on page load and on the timer."""
        panel = self.articles
        views = [panel.table, panel.count, panel.article_pick, sources, panel.search]
        feed_views = [self.feeds, self.feed_pick, self.feed_status]
        on_status = {"show_progress_on": [panel.status], **PRIVATE}
        self.add_url.click(self.index_page, [self.url, sources], [panel.results, self.url, *views, panel.status],
                           **on_status)
        self.url.submit(self.index_page, [self.url, sources], [panel.results, self.url, *views, panel.status],
                        **on_status)
        self.add_feed.click(self.add, [self.feed_url, self.feed_name], [self.feed_url, self.feed_name, *feed_views],
                            show_progress_on=[self.feed_status], **PRIVATE)
        self.refresh.click(self.refresh_now, [sources], [*feed_views, *views], show_progress_on=[self.feed_status],
                           **PRIVATE)
        self.remove.click(self.unfollow, [self.feed_pick, self.purge, sources], [*feed_views, *views],
                          show_progress_on=[self.feed_status], **PRIVATE)
        self.timer.tick(self.feed_views, None, feed_views, **QUIET)
        demo.load(self.feed_views, None, feed_views, **PRIVATE)

    # --- views -----------------------------------------------------------------------------------------------
    def _refresh_line(self, message: str = "") -> str:
        try:
            line = refresh_line(last_refresh(self.ctx.index), self.ctx.settings.feed_refresh_minutes)
        except IndexUnavailable as exc:
            line = f"The feeds cannot be read: {exc}."
        return note_html(f"{message} {line}".strip())

    def feed_views(self, message: str = "") -> tuple:
        """(feeds table, feed picker, status line with `message` before the last refresh's summary); with the index
        unreachable, the table and picker stay and the status line says why."""
        try:
            feeds = list_feeds(self.ctx.index)
        except IndexUnavailable as exc:
            return gr.skip(), gr.skip(), note_html(f"{message} The feeds cannot be read: {exc}.".strip())
        return (feed_rows(feeds), gr.Dropdown(choices=[feed["name"] for feed in feeds]), self._refresh_line(message))

    def _article_views(self, selected_sources: list[str] | None) -> tuple:
        return (*self.articles.article_views(selected_sources), "")

    # --- handlers --------------------------------------------------------------------------------------------
    def index_page(self, url: str, selected_sources: list[str] | None, progress=gr.Progress()) -> tuple:
        """Fetch one article page and index it; returns (result rows, cleared address, *article views, cleared
        search, status line). A page that cannot be fetched or read gets a 'failed' row with the reason, and the
        address stays in its box."""
        url = (url or "").strip()
        if not url:
            return (*_skips(7), note_html("Give the address of an article page first."))
        progress(0, desc=f"Fetching {url}…")
        report = IndexReport()
        settled: list[tuple[Any, str]] = []
        problem = ""
        try:
            index_urls(self.ctx.index, [url], report, on_article=lambda article, status: settled.append((article, status)),
                       on_progress=lambda update: progress(update.fraction, desc=progress_text(update)))
        except (IndexBusy, IndexUnavailable) as exc:
            problem = str(exc)
        rows: list[ResultRow] = [[url, article.title, status, f"id {article.id}"] for article, status in settled]
        rows += [[failure["path"], "", "failed", failure["error"]] for failure in report.failed]
        if problem:
            rows.append([url, "", "failed", problem])
        ok = bool(settled) and not report.failed and not problem
        summary = {"added": "Added", "updated": "Updated", "unchanged": "Already indexed, unchanged:"}
        status = (f"{summary[settled[0][1]]} {settled[0][0].title}" if ok else
                  f"Not indexed: {(report.failed[0]['error'] if report.failed else problem)}")
        return (rows, "" if ok else gr.skip(), *self._article_views(selected_sources), note_html(status))

    def add(self, url: str, name: str) -> tuple:
        """Register a feed (fetched once to check it); returns (address box, name box, *feed views). A feed that
        cannot be added keeps both boxes and says why."""
        url, name = (url or "").strip(), (name or "").strip()
        if not url:
            return (*_skips(4), self._refresh_line("Give the address of an RSS or Atom feed first."))
        try:
            feed = add_feed(self.ctx.index, url, name or None)
        except (FeedError, FetchError, IndexUnavailable) as exc:
            return (*_skips(4), self._refresh_line(f"Feed not added: {exc}."))
        title = f" ({feed['title']})" if feed.get("title") else ""
        return ("", "", *self.feed_views(f"Added the feed {feed['name']}{title}; “Refresh now” indexes its articles."))

    def refresh_now(self, selected_sources: list[str] | None, progress=gr.Progress()) -> tuple:
        """Refresh every feed now, with the article being fetched or committed as progress; returns (*feed views,
        *article views). When another refresh is running it is not waited for."""
        progress(0, desc="Refreshing the feeds…")
        try:
            if not list_feeds(self.ctx.index):
                return (*self.feed_views("Add a feed first."), *_skips(5))
            report = refresh_feeds(self.ctx.index, on_event=lambda message: progress(None, desc=message),
                                   lock_timeout_s=0)
        except RefreshBusy:
            return (*self.feed_views("A refresh is already running (in the background or in another process); its "
                                     "result shows here when it is done."), *_skips(5))
        except (IndexBusy, IndexUnavailable, FeedError) as exc:
            return (*self.feed_views(f"Refresh failed: {exc}."), *_skips(5))
        done = "Refreshed with failures (see the feeds table)." if report.failed else "Refreshed."
        return (*self.feed_views(done), *self._article_views(selected_sources))

    def unfollow(self, name: str | None, purge: bool, selected_sources: list[str] | None) -> tuple:
        """Unregister the picked feed (its articles stay unless `purge`); returns (*feed views, *article views)."""
        if not name:
            return (*self.feed_views("Pick the feed to remove first."), *_skips(5))
        try:
            removed = remove_feed(self.ctx.index, name, purge=bool(purge))
        except (FeedError, IndexBusy, IndexUnavailable) as exc:
            return (*self.feed_views(f"Not removed: {exc}."), *_skips(5))
        articles = len(removed["removed_articles"])
        kept = f" and {articles} of its articles" if purge else "; its articles stay indexed"
        return (*self.feed_views(f"Removed the feed {name}{kept}."), *self._article_views(selected_sources))
