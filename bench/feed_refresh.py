"""`python -m bench.feed_refresh`: how long refreshing a 50-entry feed takes, against a news site served locally.

The site (`bench/news_site.py`) serves the first N MultiHop-RAG articles (whole bodies) as real pages (navigation,
ads, scripts around the article) and an RSS feed linking them. Into a fresh index in a scratch folder it times:
1. `first`: the first refresh (N pages fetched, read by trafilatura, chunked, embedded, committed); the embedding
   model is loaded before the clock starts (`model_load_s`, as in a running chat);
2. `not_modified`: a second refresh (the feed answers 304: one request, nothing written);
3. `unchanged`: a refresh after the feed changed but none of its entries did (200, no page fetched, 0 chunks);
and `fetch_and_read_pages_s`, the N pages alone fetched and read by trafilatura (the rest of `first` is indexing:
chunking, embedding, statement extraction, commits).
Options: --entries N (default 50), --pause S (ASSISTANT_FETCH_HOST_PAUSE_S; default 0, so the number is the work:
the default 1 s pause adds (N - 1) s to a first refresh from one site). Prints one JSON object.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from pathlib import Path

from assistant import offline  # noqa: F401  (offline environment first)
from assistant.config import Settings
from assistant.feeds import add_feed, refresh_feeds
from assistant.store import ArticleIndex
from assistant.webpages import fetch_article

from .news_site import NewsSite, Route, article_html, rss_feed, stories


def run(entries: int, pause_s: float, scratch: Path) -> dict:
    items = stories(entries, max_chars=10**9)
    with NewsSite() as site:
        for story in items:
            site.add_page(f"/news/{story.slug}", article_html(story, canonical=site.url(f"/news/{story.slug}")))
        feed = rss_feed(site.base, "Bench Wire", [(story, site.url(f"/news/{story.slug}")) for story in items])
        site.routes["/rss.xml"] = Route(feed.encode(), content_type="application/rss+xml", conditional=True)
        index = ArticleIndex(Settings(index_dir=scratch / "index", allow_private_urls=True, fetch_host_pause_s=pause_s))
        add_feed(index, site.url("/rss.xml"), name="bench")
        started = time.perf_counter()
        index.embeddings.embed_documents(["warm up"])
        model_load = time.perf_counter() - started
        results = {"entries": entries, "pause_s": pause_s, "model_load_s": round(model_load, 2),
                   "load_avg_start": os.getloadavg()[0]}
        for name in ("first", "not_modified", "unchanged"):
            if name == "unchanged":  # the feed changes (its title), no entry does
                site.routes["/rss.xml"] = Route(feed.replace("Bench Wire", "Bench Wire (updated)").encode(),
                                                content_type="application/rss+xml", conditional=True)
            requests_before = len(site.requests)
            started = time.perf_counter()
            report = refresh_feeds(index).feeds[0]
            results[name] = {"seconds": round(time.perf_counter() - started, 2), "http_status": report.http_status,
                             "new": report.new, "unchanged": report.unchanged, "failed": len(report.failed),
                             "chunks": report.chunks, "requests": len(site.requests) - requests_before}
        started = time.perf_counter()  # the pages alone: fetched and read by trafilatura, not indexed
        for story in items:
            fetch_article(site.url(f"/news/{story.slug}"), index.settings)
        results["fetch_and_read_pages_s"] = round(time.perf_counter() - started, 2)
        results["load_avg_end"] = os.getloadavg()[0]
        results["machine"] = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=50)
    parser.add_argument("--pause", type=float, default=0.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-feed-") as scratch:
        print(json.dumps(run(args.entries, args.pause, Path(scratch)), indent=2))


if __name__ == "__main__":
    main()
