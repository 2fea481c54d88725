"""A small news site for the web tests and the feed benchmark: a real HTTP server (http.server, in a thread) on 127.0.0.1.

It serves article pages built from MultiHop-RAG articles as real HTML (navigation, ads, scripts, a related-stories
box and a footer around the article), RSS 2.0 and Atom feeds linking them, and whatever else a test routes to a
path (errors, redirects, slow or huge bodies). Every request is recorded (path, headers, start and end time), so a
test can check what was fetched, with which headers, and when.
"""
from __future__ import annotations

import hashlib
import html
import json
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from email.utils import format_datetime
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

DATASET = Path(__file__).resolve().parent.parent.parent / "shared" / "datasets" / "multihop-rag" / "articles.jsonl"
NAV_WORDS = "Home World Politics Business Technology Science Health Sports Entertainment Opinion Video Podcasts"
AD_TEXT = "Advertisement"
FOOTER_TEXT = "Subscribe to our newsletter for the best stories delivered daily"


@dataclass(frozen=True)
class Story:
    """One article of the site: slug (its path is /news/<slug>), title, source, published_at, author, body."""

    slug: str
    title: str
    source: str
    published_at: str
    author: str
    body: str

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.body.split("\n\n") if p.strip()]


def stories(count: int, start: int = 0, max_chars: int = 1200) -> list[Story]:
    """`count` MultiHop-RAG articles from line `start`, each cut to its first paragraphs (about `max_chars`)."""
    found: list[Story] = []
    with open(DATASET, encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            if number < start:
                continue
            if len(found) == count:
                break
            record = json.loads(line)
            kept: list[str] = []
            for paragraph in record["body"].split("\n\n"):
                if len(paragraph.split()) >= 12:  # real sentences, not a table of contents
                    kept.append(paragraph.strip())
                if sum(map(len, kept)) >= max_chars:
                    break
            found.append(Story(slug=f"story-{number}", title=record["title"], source=record["source"],
                               published_at=record["published_at"], author=record.get("author") or "",
                               body="\n\n".join(kept)))
    return found


def article_html(story: Story, canonical: str = "", extra: str = "") -> str:
    """The story as a news site's page: the article inside navigation, ads, scripts, related stories and a footer.
    `canonical` goes into <link rel=canonical>; `extra` is one more paragraph at the end of the article."""
    esc = html.escape
    paragraphs = "\n".join(f"<p>{esc(p)}</p>" for p in [*story.paragraphs, *([extra] if extra else [])])
    nav = " ".join(f'<li><a href="/section/{word.lower()}">{word}</a></li>' for word in NAV_WORDS.split())
    canonical_link = f'<link rel="canonical" href="{esc(canonical)}">' if canonical else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{esc(story.title)} | {esc(story.source)}</title>
{canonical_link}
<meta property="og:title" content="{esc(story.title)}">
<meta property="og:site_name" content="{esc(story.source)}">
<meta name="author" content="{esc(story.author)}">
<meta property="article:published_time" content="{esc(story.published_at)}">
<script>window.dataLayer = window.dataLayer || []; function track(){{ dataLayer.push(arguments); }} track('page');</script>
<style>.ad {{ height: 250px; }}</style>
</head><body>
<header><div class="logo">{esc(story.source)}</div><nav><ul>{nav}</ul></nav>
<form action="/search"><input name="q" placeholder="Search"></form></header>
<div class="ad" id="top-ad"><span>{AD_TEXT}</span><a href="/ads/click?id=1">Buy the new phone today, limited offer</a></div>
<main><article>
<h1>{esc(story.title)}</h1>
{f'<div class="byline">By {esc(story.author)}</div>' if story.author else ""}
{paragraphs}
</article>
<aside class="related"><h2>Related stories</h2><ul>
<li><a href="/news/other-1">Markets rally as investors cheer rate pause</a></li>
<li><a href="/news/other-2">Ten gadgets you should buy this week</a></li></ul></aside>
</main>
<div class="ad" id="bottom-ad"><span>{AD_TEXT}</span><script>loadAd('bottom');</script></div>
<footer><p>{FOOTER_TEXT}</p><p>&copy; 2023 {esc(story.source)}. All rights reserved.</p>
<a href="/privacy">Privacy</a> <a href="/terms">Terms</a></footer>
<script>document.querySelectorAll('a').forEach(function(a){{ a.rel = 'noopener'; }});</script>
</body></html>"""


def _rfc822(iso: str) -> str:
    return format_datetime(datetime.fromisoformat(iso))


def rss_feed(site_url: str, title: str, items: Iterable[tuple[Story, str]]) -> str:
    """An RSS 2.0 feed of (story, link) items, newest first as given."""
    esc = html.escape
    entries = "\n".join(f"""<item><title>{esc(story.title)}</title><link>{esc(link)}</link>
<guid isPermaLink="true">{esc(link)}</guid><pubDate>{_rfc822(story.published_at)}</pubDate>
<description>{esc(story.paragraphs[0][:200])}</description></item>""" for story, link in items)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>{esc(title)}</title><link>{esc(site_url)}</link>
<description>Latest stories</description>
{entries}
</channel></rss>"""


def atom_feed(site_url: str, title: str, items: Iterable[tuple[Story, str, str, bool]]) -> str:
    """An Atom feed of (story, link, updated ISO time, with full content) items."""
    esc = html.escape
    entries = []
    for story, link, updated, full in items:
        content = ("<content type=\"html\">" + esc("".join(f"<p>{esc(p)}</p>" for p in story.paragraphs)) + "</content>"
                   if full else f"<summary>{esc(story.paragraphs[0][:200])}</summary>")
        entries.append(f"""<entry><title>{esc(story.title)}</title><link rel="alternate" href="{esc(link)}"/>
<id>tag:news.test,2023:{story.slug}</id><published>{story.published_at}</published><updated>{updated}</updated>
<author><name>{esc(story.author or story.source)}</name></author>{content}</entry>""")
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>{esc(title)}</title><id>{esc(site_url)}/atom</id>
<updated>2024-01-01T00:00:00Z</updated><link rel="self" href="{esc(site_url)}/atom.xml"/>
{''.join(entries)}
</feed>"""


@dataclass
class Route:
    """What the site answers on a path. `body` is bytes, or a callable returning an iterable of byte pieces
    (streamed, without Content-Length). `conditional`: an ETag and Last-Modified are sent, and a request whose
    If-None-Match matches gets 304. `delay_s`: wait before answering."""

    body: bytes | Callable[[], Iterable[bytes]] = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    conditional: bool = False


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    started: float
    ended: float = 0.0
    status: int = 0


class NewsSite:
    """The server (see the module's docstring); `routes` maps a path (with its query) to a Route."""

    def __init__(self):
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                site._answer(self)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "NewsSite":
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.server.shutdown()
        self.server.server_close()

    def url(self, path: str) -> str:
        return self.base + path

    def add_page(self, path: str, page: str, **route) -> str:
        self.routes[path] = Route(body=page.encode(), **route)
        return self.url(path)

    def publish(self, stories_: Iterable[Story], feed_title: str, in_feed: Iterable[Story] | None = None,
                feed_path: str = "/rss.xml") -> str:
        """Serve each story as its page `/news/<slug>` (canonical to itself) and an RSS feed `feed_title` at
        `feed_path` linking `in_feed` (default: every story), answering 304 to a conditional GET; returns the feed's
        URL."""
        stories_ = list(stories_)
        for story in stories_:
            self.add_page(f"/news/{story.slug}", article_html(story, canonical=self.url(f"/news/{story.slug}")))
        items = [(story, self.url(f"/news/{story.slug}")) for story in (stories_ if in_feed is None else in_feed)]
        self.routes[feed_path] = Route(rss_feed(self.base, feed_title, items).encode(),
                                       content_type="application/rss+xml", conditional=True)
        return self.url(feed_path)

    def hits(self, path: str) -> list[Request]:
        with self._lock:
            return [request for request in self.requests if request.path == path]

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        request = Request(handler.path, dict(handler.headers.items()), time.monotonic())
        with self._lock:
            self.requests.append(request)
        route = self.routes.get(handler.path) or Route(b"<html><body>not found</body></html>", status=404)
        try:
            if route.delay_s:
                time.sleep(route.delay_s)
            headers = {"Content-Type": route.content_type, **route.headers}
            body = route.body
            if route.conditional and isinstance(body, bytes):
                etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
                headers.update({"ETag": etag, "Last-Modified": "Mon, 01 Jan 2024 00:00:00 GMT"})
                if handler.headers.get("If-None-Match") == etag:
                    request.status = 304
                    handler.send_response(304)
                    handler.send_header("ETag", etag)
                    handler.end_headers()
                    return
            request.status = route.status
            handler.send_response(route.status)
            for name, value in headers.items():
                handler.send_header(name, value)
            if isinstance(body, bytes):
                handler.send_header("Content-Length", str(len(body)))
                handler.end_headers()
                handler.wfile.write(body)
            else:
                handler.end_headers()
                for piece in body():
                    handler.wfile.write(piece)
        except (BrokenPipeError, ConnectionResetError):  # the client stopped reading (a size limit, a timeout)
            pass
        finally:
            request.ended = time.monotonic()
