"""RSS and Atom feeds: add, list and remove an index's feeds, and refresh them into the index.

Contract of a refresh (`refresh_feeds`), one at a time per index (`ArticleIndex.refresh_lock`):
- each feed is fetched with a conditional GET (its saved ETag / Last-Modified); a 304 costs one request;
- each entry (the first `feed_max_entries`) that is new, or that the feed says was updated (its updated/published
  value changed), becomes an article: the entry's own content when the feed carries the full text (at least
  FULL_CONTENT_MIN_WORDS words), else its linked page, fetched and read like a saved .html file. Every other
  entry costs nothing. Pages are fetched outside the index's write lock; `ArticleIndex.index_articles` takes it
  only to commit, and adds new articles, replaces changed ones and skips unchanged ones, so nothing is duplicated;
- an entry's record is written right after its article's commit, and the feed's validators only once every entry
  was committed, so a crash (or a failed entry) makes the next refresh fetch the feed again and do what is left;
- a bad entry never stops the others and a broken feed never stops the other feeds: each failure is reported
  with its URL and reason. `stop` (a threading.Event) ends the refresh after the article being fetched, committing
  what was fetched.
"""
from __future__ import annotations

import html
import io
import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urljoin, urlsplit

from .articles import Article, slugify
from .config import Settings
from .feed_store import FeedStore
from .fetch import FEED, FetchError, check_scheme, fetch
from .store import ArticleIndex, IndexBusy, IndexUnavailable
from .webpages import article_from_html, fetch_article

log = logging.getLogger(__name__)

FULL_CONTENT_MIN_WORDS = 150  # an entry whose content has this many words is the article itself (no page fetch)
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


class FeedError(ValueError):
    """A feed cannot be added, found or read; the message says why and what to do."""


@dataclass(frozen=True)
class Entry:
    """What a refresh needs of one feed entry."""

    key: str  # the entry's id, else its link
    link: str
    updated: str  # the feed's updated (else published) value: a change means the entry was updated
    title: str
    published_at: str  # ISO 8601 from the feed, or ""
    author: str
    content: str  # the entry's full HTML content, or "" when the feed carries only a summary


@dataclass
class FeedReport:
    """What one refresh did for one feed (`as_dict` is one item of `feeds refresh --json`)."""

    name: str
    url: str
    http_status: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: list[dict[str, str]] = field(default_factory=list)
    chunks: int = 0
    seconds: float = 0.0
    status: str = "ok"  # ok, not modified, failed, partly failed, interrupted

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "url": self.url, "http_status": self.http_status or None, "new": self.new,
                "updated": self.updated, "unchanged": self.unchanged, "failed": self.failed, "chunks": self.chunks,
                "seconds": round(self.seconds, 2)}


@dataclass
class RefreshReport:
    """What one refresh of several feeds did; `chunks` counts the chunks written in this run."""

    feeds: list[FeedReport] = field(default_factory=list)
    interrupted: bool = False
    started_at: str = ""
    finished_at: str = ""

    @property
    def chunks(self) -> int:
        return sum(feed.chunks for feed in self.feeds)

    @property
    def failed(self) -> bool:
        return any(feed.failed for feed in self.feeds)

    def as_dict(self) -> dict[str, Any]:
        """The object `assistant feeds refresh --json` prints."""
        return {"feeds": [feed.as_dict() for feed in self.feeds], "chunks": self.chunks}

    def summary(self) -> dict[str, Any]:
        """`as_dict` with when it ran, whether it was interrupted, and totals (what `last_refresh` returns)."""
        totals = {key: sum(getattr(feed, key) for feed in self.feeds) for key in ("new", "updated", "unchanged")}
        return {**self.as_dict(), **totals, "failed": sum(len(feed.failed) for feed in self.feeds),
                "started_at": self.started_at, "finished_at": self.finished_at, "interrupted": self.interrupted}


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


# --- reading a feed -------------------------------------------------------------------------------------------
def parse_feed(url: str, body: bytes, final_url: str = "") -> Any:
    """The feed in `body` (feedparser's result); raises FeedError when it is neither RSS nor Atom."""
    import feedparser

    parsed = feedparser.parse(io.BytesIO(body), response_headers={"content-location": final_url or url})
    if not parsed.get("version") and not parsed.entries:
        problem = f" ({parsed.get('bozo_exception')})" if parsed.get("bozo") else ""
        raise FeedError(f"{url} is not an RSS or Atom feed{problem}; give the feed's own address (a site's page "
                        "usually links to it as RSS or Atom)")
    return parsed


def feed_entries(parsed: Any, base_url: str, limit: int) -> list[Entry | str]:
    """The first `limit` entries of a parsed feed; an entry with neither a link nor content is a message instead."""
    found: list[Entry | str] = []
    for raw in parsed.entries[:limit]:
        link = urljoin(base_url, raw.get("link", "")) if raw.get("link") else ""
        contents = [item.get("value", "") for item in raw.get("content", []) if "html" in item.get("type", "html")
                    or item.get("type") == "text/plain"]
        content = max(contents, key=len, default="")
        if len(re.sub(r"<[^>]+>", " ", content).split()) < FULL_CONTENT_MIN_WORDS:
            content = ""
        key = raw.get("id") or link
        if not key or not (link or content):
            found.append(f"the entry {raw.get('title', '(untitled)')!r} has no link and no content, so it cannot be read")
            continue
        # dict.get: feedparser's own get maps a missing "updated" to "published", with a deprecation warning
        stamp = dict.get(raw, "published_parsed") or dict.get(raw, "updated_parsed")
        try:
            published = datetime(*stamp[:6], tzinfo=timezone.utc).isoformat() if stamp else ""
        except ValueError:  # "0001-01-01T00:00:00+14:00" is year 0 in UTC: an unreadable date, not a broken feed
            published = ""
        found.append(Entry(key=key, link=link, updated=dict.get(raw, "updated") or dict.get(raw, "published") or "",
                           title=raw.get("title", ""), published_at=published, author=raw.get("author", ""),
                           content=content))
    return found


def entry_article(entry: Entry, feed_title: str, settings: Settings) -> Article:
    """The article of an entry: its full content (as a page of its own, read like any page), else its linked page;
    the feed's date, and its title as source, where the page has none. Raises FetchError."""
    if entry.content:
        esc = html.escape
        page = (f'<!doctype html><html><head><title>{esc(entry.title)}</title><link rel="canonical" href="{esc(entry.link)}">'
                f'<meta property="og:site_name" content="{esc(feed_title)}"><meta name="author" content="{esc(entry.author)}">'
                f'</head><body><article><h1>{esc(entry.title)}</h1>{entry.content}</article></body></html>')
        article = article_from_html(entry.link or entry.key, entry.link or entry.key, page)
    else:
        article = fetch_article(entry.link, settings)
    return replace(article, published_at=entry.published_at or article.published_at,
                   source=article.source or feed_title)


# --- the registry ---------------------------------------------------------------------------------------------
def add_feed(index: ArticleIndex, url: str, name: str | None = None, check: bool = True) -> dict[str, Any]:
    """Register the feed at `url` under `name` (default: a slug of the feed's title) and return it
    (`feed_store.feed_dict`). With `check` the feed is fetched once first, to be sure it is a readable feed and to
    learn its title (without it the name defaults to a slug of the URL). Raises FeedError (or FetchError) saying
    what is wrong; nothing is registered then."""
    check_scheme(url)
    store = FeedStore(index)
    for feed in store.feeds():
        if feed["url"] == url:
            raise FeedError(f"{url} is already added, as {feed['name']!r}")
    if name is not None and not _NAME.match(name):
        raise FeedError(f"{name!r} cannot be a feed name; use up to 64 letters, digits, '-', '_' or '.'")
    title = ""
    if check:
        fetched = fetch(url, index.settings, FEED, max_bytes=int(index.settings.max_file_mb * 2**20))
        title = parse_feed(url, fetched.body, fetched.final_url).feed.get("title", "")
    parts = urlsplit(url)
    name = name or slugify(title or f"{parts.hostname} {parts.path}")
    existing = store.feed(name)
    if existing:
        raise FeedError(f"a feed named {name!r} already exists ({existing['url']}); give another name with --name")
    store.save_feed({"name": name, "url": url, "title": title, "added_at": _now()})
    return store.feed(name)


def import_feeds(index: ArticleIndex, outlines: list[tuple[str, str]]) -> dict[str, list]:
    """Register the feeds of an OPML file (`opml.read_opml`: (url, name) pairs) without fetching them (the next
    refresh reads them); a name is made a valid, unused one. Returns {"added": [feed], "skipped": [{"url",
    "reason"}]} (already added, or not an http(s) address)."""
    store = FeedStore(index)
    added, skipped = [], []
    for url, name in outlines:
        taken = {feed["name"] for feed in store.feeds()}
        base = slugify(name) if name else None
        unique = base if base not in taken else next(f"{base}-{n}" for n in range(2, 10_000) if f"{base}-{n}" not in taken)
        try:
            added.append(add_feed(index, url, unique, check=False))
        except (FeedError, FetchError) as exc:
            skipped.append({"url": url, "reason": str(exc)})
    return {"added": added, "skipped": skipped}


def list_feeds(index: ArticleIndex) -> list[dict[str, Any]]:
    """Every feed of the index with its last refresh (`feed_store.feed_dict`), by name."""
    return FeedStore(index).feeds()


def remove_feed(index: ArticleIndex, name: str, purge: bool = False) -> dict[str, Any]:
    """Unregister a feed (and its entries' records). Its articles stay indexed unless `purge`, which removes those
    that no other feed lists. Waits for a refresh in progress (the refresh lock). Returns {"name", "url",
    "removed_articles": [ids]}; raises FeedError for an unknown name."""
    with index.refresh_lock():  # not while a refresh is writing this feed's records
        store = FeedStore(index)
        feed = store.feed(name)
        if feed is None:
            raise FeedError(f"there is no feed named {name!r}; `assistant feeds list` shows the names")
        article_ids = sorted({entry["article_id"] for entry in store.entries(name).values()})
        removed: list[str] = []
        if purge and article_ids:  # the articles first: if that fails, the feed is still there to remove again
            others = {entry["article_id"] for other in store.feeds() if other["name"] != name
                      for entry in store.entries(other["name"]).values()}
            removed, _ = index.remove([article_id for article_id in article_ids if article_id not in others])
        store.delete_feed(name)
        return {"name": name, "url": feed["url"], "removed_articles": removed}


def last_refresh(index: ArticleIndex) -> dict[str, Any] | None:
    """The summary of the last refresh of all feeds (`RefreshReport.summary`), or None before the first."""
    return FeedStore(index).last_refresh()


# --- refreshing -----------------------------------------------------------------------------------------------
def refresh_feeds(index: ArticleIndex, names: list[str] | None = None, stop: threading.Event | None = None,
                  on_event: Callable[[str], None] | None = None, lock_timeout_s: float | None = None) -> RefreshReport:
    """Refresh the named feeds (default: all) into the index, one feed after the other (see the module's contract).
    `on_event(message)` is told as each entry is fetched and each article committed. Raises FeedError for an unknown
    name, IndexBusy when another refresh holds the index's refresh lock longer than `lock_timeout_s` (default
    `lock_timeout_s` of the settings; 0: do not wait), IndexUnavailable when the Chroma server is down."""
    report = RefreshReport(started_at=_now())
    with index.refresh_lock(on_event, lock_timeout_s):
        store = FeedStore(index)
        feeds = store.feeds()
        if names:
            unknown = sorted(set(names) - {feed["name"] for feed in feeds})
            if unknown:
                raise FeedError(f"there is no feed named {', '.join(map(repr, unknown))}; `assistant feeds list` shows the names")
            feeds = [feed for feed in feeds if feed["name"] in names]
        for feed in feeds:
            if stop is not None and stop.is_set():
                report.interrupted = True
                break
            report.feeds.append(_refresh_one(index, store, feed, stop, on_event or (lambda message: None)))
            report.interrupted = report.feeds[-1].status == "interrupted"
        report.finished_at = _now()
        store.save_last_refresh(report.summary())
    return report


def _refresh_one(index: ArticleIndex, store: FeedStore, feed: dict[str, Any], stop: threading.Event | None,
                 tell: Callable[[str], None]) -> FeedReport:
    """Refresh one feed and save its record; any failure of the feed is reported, never raised (except the index's
    own IndexBusy and IndexUnavailable)."""
    started = time.monotonic()
    feed = dict(feed)  # its title is filled in from the feed
    report = FeedReport(feed["name"], feed["url"])
    validators = (feed["etag"], feed["last_modified"])
    try:
        validators = _fetch_and_index(index, store, feed, report, stop, tell) or validators
    except (IndexBusy, IndexUnavailable):
        raise
    except (FetchError, FeedError) as exc:
        report.http_status = getattr(exc, "status", None) or report.http_status
        report.failed.append({"url": feed["url"], "error": str(exc)})
        report.status = "failed"
    except Exception as exc:  # noqa: BLE001 - a broken feed never stops the others
        log.exception("refreshing the feed %s (%s) failed", feed["name"], feed["url"])
        report.failed.append({"url": feed["url"], "error": f"{feed['url']} could not be refreshed ({type(exc).__name__}: "
                                                            f"{exc}); the other feeds were refreshed"})
        report.status = "failed"
    report.seconds = time.monotonic() - started
    if report.status == "ok" and report.failed:
        report.status = "partly failed"
    error = report.failed[0]["error"] if report.status == "failed" else ""
    store.save_feed({**feed, "etag": validators[0], "last_modified": validators[1], "last_fetch": _now(),
                     "status": report.status, "http_status": report.http_status, "new": report.new,
                     "updated": report.updated, "unchanged": report.unchanged, "chunks": report.chunks,
                     "seconds": round(report.seconds, 2), "error": error, "failed": report.failed})
    tell(f"{feed['name']}: {report.status}: {report.new} new, {report.updated} updated, {report.unchanged} unchanged, "
         f"{len(report.failed)} failed, {report.chunks} chunks")
    return report


def _fetch_and_index(index: ArticleIndex, store: FeedStore, feed: dict[str, Any], report: FeedReport,
                     stop: threading.Event | None, tell: Callable[[str], None]) -> tuple[str, str] | None:
    """The work of one feed's refresh; returns the validators to save, or None to keep the old ones (the feed was
    not modified, or not all its entries were committed)."""
    settings = index.settings
    fetched = fetch(feed["url"], settings, FEED, max_bytes=int(settings.max_file_mb * 2**20),
                    etag=feed["etag"], last_modified=feed["last_modified"])
    report.http_status = fetched.status
    if fetched.not_modified:
        report.status = "not modified"
        return None
    parsed = parse_feed(feed["url"], fetched.body, fetched.final_url)
    feed_title = feed["title"] = parsed.feed.get("title", "") or feed["title"]
    known = store.entries(feed["name"])
    wanted: dict[str, tuple[Article, list[Entry]]] = {}  # article id -> (article, the entries that name it)
    for entry in feed_entries(parsed, fetched.final_url, settings.feed_max_entries):
        if stop is not None and stop.is_set():
            report.status = "interrupted"
            break
        if isinstance(entry, str):
            report.failed.append({"url": feed["url"], "error": f"{feed['url']}: {entry}"})
            continue
        if entry.key in known and known[entry.key]["updated"] == entry.updated:
            report.unchanged += 1
            continue
        try:
            article = entry_article(entry, feed_title, settings)
        except FetchError as exc:
            report.failed.append({"url": entry.link or entry.key, "error": str(exc)})
            tell(f"{feed['name']}: failed: {exc}")
            continue
        tell(f"{feed['name']}: fetched {entry.link or entry.key}")
        if article.id in wanted:
            wanted[article.id][1].append(entry)
        else:
            wanted[article.id] = (article, [entry])

    def committed(article: Article, status: str) -> None:
        if status in ("added", "updated", "unchanged"):
            seen = _now()
            store.save_entries(feed["name"], [{"key": entry.key, "link": entry.link, "updated": entry.updated,
                                               "article_id": article.id, "seen_at": seen}
                                              for entry in wanted[article.id][1]])
            tell(f"{feed['name']}: indexed {article.id} ({status})")

    if wanted:
        result = index.index_articles([article for article, _ in wanted.values()], on_article=committed, on_wait=tell)
        report.new, report.updated, report.chunks = result.added, result.updated, result.chunks
        report.unchanged += result.unchanged
        report.failed += [{"url": failure["path"], "error": failure["error"]} for failure in result.failed]
    if report.failed or report.status == "interrupted":
        return None
    return fetched.etag, fetched.last_modified
