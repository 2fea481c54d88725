"""Article pages on the web: fetched (`fetch`), then read by the same code as a saved .html file (`articles.load_html`).

Contract: `fetch_article(url, settings)` returns the `Article` of one page or raises `FetchError` naming the URL and
what went wrong (HTTP status, not HTML, too large, timeout, TLS, redirects, refused address, no article text).
`index_urls(index, urls)` fetches every page first, outside the index's write lock, and then indexes them (the
index takes its write lock only for that); one page's failure never stops the others.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

from .articles import _HTML_MAX_BYTES, Article, load_html
from .config import Settings
from .fetch import PAGE, FetchError, fetch
from .store import ArticleIndex, IndexProgress, IndexReport


def article_from_html(requested_url: str, fetched_url: str, html: str) -> Article:
    """The article of an HTML page fetched from `fetched_url` (asked for as `requested_url`): the .html loader's
    extraction and boilerplate rules; its id comes from the page's canonical URL. Raises FetchError."""
    try:
        return load_html(requested_url, html, url=fetched_url)
    except ValueError as exc:
        raise FetchError(requested_url, f"{exc}") from None


def fetch_article(url: str, settings: Settings) -> Article:
    """Fetch one article page (at most the HTML loader's size limit) and read its article. Raises FetchError."""
    fetched = fetch(url, settings, PAGE, max_bytes=_HTML_MAX_BYTES)
    return article_from_html(url, fetched.final_url, fetched.text())


def fetch_articles(urls: Iterable[str], settings: Settings, report: IndexReport,
                   on_fetched: Callable[[str, str], None] | None = None) -> list[Article]:
    """The articles of `urls`, fetched one after the other, each article once: a URL whose page is an article
    already fetched in this run (the same canonical URL) counts as unchanged. Each failure goes to `report.failed`
    as {"path": url, "error": message}; `on_fetched(url, "fetched" | "duplicate" | "failed")` is told after each."""
    articles: dict[str, Article] = {}
    for url in dict.fromkeys(urls):
        try:
            article = fetch_article(url, settings)
        except FetchError as exc:
            report.failed.append({"path": url, "error": str(exc)})
            status = "failed"
        else:
            status = "duplicate" if article.id in articles else "fetched"
            report.unchanged += status == "duplicate"
            articles.setdefault(article.id, article)
        if on_fetched:
            on_fetched(url, status)
    return list(articles.values())


def index_urls(index: ArticleIndex, urls: Iterable[str], report: IndexReport | None = None,
               on_article: Callable[[Article, str], None] | None = None,
               on_progress: Callable[[IndexProgress], None] | None = None) -> IndexReport:
    """Fetch the article pages of `urls` (outside the write lock) and index them: new ones added, changed ones
    replaced, unchanged ones skipped. Returns the run's report (each failure names its URL and the reason);
    `on_article` and `on_progress` as for `ArticleIndex.index_articles`."""
    report = report or IndexReport()
    return index.index_articles(fetch_articles(urls, index.settings, report), report, on_article=on_article,
                                on_progress=on_progress)
