"""RSS and Atom feeds (`feeds`, `feed_store`, `opml`, `watch`, the `feeds` and `watch` commands): refreshes that
index new entries once, re-fetch only updated ones, replace changed articles, report every failure, survive a
SIGKILL; against a real HTTP server on 127.0.0.1 serving pages built from MultiHop-RAG articles."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.feed_store import FeedStore
from assistant.feeds import FeedError, add_feed, import_feeds, last_refresh, list_feeds, refresh_feeds, remove_feed
from assistant.opml import export_opml, read_opml
from assistant.store import ArticleIndex, IndexBusy
from assistant.watch import Watcher, parse_interval
from conftest import ROOT
from bench.news_site import AD_TEXT, FOOTER_TEXT, NewsSite, Route, article_html, atom_feed, rss_feed, stories
from test_store import assert_consistent

STORIES = stories(12)
RSS = [STORIES[i] for i in range(4)]


@pytest.fixture(scope="module")
def site():
    with NewsSite() as running:
        running.publish(STORIES, "Local Wire", in_feed=RSS)
        yield running


@pytest.fixture
def web(tmp_path: Path) -> Settings:
    return Settings(index_dir=tmp_path / "index", allow_private_urls=True, fetch_timeout_s=2, fetch_host_pause_s=0)


def page_hits(site: NewsSite, stories_: list) -> int:
    return sum(len(site.hits(f"/news/{story.slug}")) for story in stories_)


def test_rss_refresh_indexes_each_article_once_and_a_second_refresh_costs_one_request(site: NewsSite, web: Settings):
    index = ArticleIndex(web)
    feed = add_feed(index, site.url("/rss.xml"))
    assert (feed["name"], feed["title"], feed["status"]) == ("local-wire", "Local Wire", "never refreshed")

    report = refresh_feeds(index)
    first = report.as_dict()["feeds"][0]
    assert (first["name"], first["http_status"], first["new"], first["failed"]) == ("local-wire", 200, 4, [])
    assert first["chunks"] == report.chunks == index.count_chunks() > 4
    by_url = {row["url"]: row for row in index.list_articles()}
    for story in RSS:
        row = by_url[site.url(f"/news/{story.slug}")]
        assert (row["title"], row["source"]) == (story.title, story.source)
        assert row["published_at"][:19] == story.published_at[:19]  # the feed's pubDate, to the second
        body = index.get_article(row["id"]).body
        assert story.paragraphs[0][:60] in body
        assert not any(text in body for text in (AD_TEXT, FOOTER_TEXT, "Related stories", "dataLayer"))

    pages_before = page_hits(site, RSS)
    again = refresh_feeds(index).as_dict()
    assert again["chunks"] == 0 and again["feeds"][0]["http_status"] == 304
    assert page_hits(site, RSS) == pages_before  # a 304 costs the feed's request only
    assert site.hits("/rss.xml")[-1].headers.get("If-None-Match")
    saved = list_feeds(index)[0]
    assert (saved["status"], saved["http_status"], saved["etag"] != "") == ("not modified", 304, True)
    assert last_refresh(index)["chunks"] == 0 and last_refresh(index)["feeds"][0]["name"] == "local-wire"


def test_an_updated_entry_is_replaced_a_new_one_added_and_the_rest_never_refetched(site: NewsSite, web: Settings):
    full, linked, later = STORIES[4], STORIES[5], STORIES[6]
    link = lambda story: site.url(f"/news/{story.slug}")  # noqa: E731
    site.routes["/atom.xml"] = Route(atom_feed(site.base, "Atom Wire", [(full, link(full), "2024-01-01T00:00:00Z", True),
                                                                        (linked, link(linked), "2024-01-01T00:00:00Z", False)]).encode(),
                                     content_type="application/atom+xml")
    index = ArticleIndex(web)
    add_feed(index, site.url("/atom.xml"), name="atom")
    first = refresh_feeds(index).feeds[0]
    assert (first.new, first.failed) == (2, [])
    assert page_hits(site, [full]) == 0  # the feed carries its full text: no page request
    assert page_hits(site, [linked]) == 1

    correction = "Correction: an earlier version of this story misstated the number of votes cast in the council."
    site.add_page(f"/news/{linked.slug}", article_html(linked, canonical=link(linked), extra=correction))
    site.routes["/atom.xml"] = Route(atom_feed(site.base, "Atom Wire", [(later, link(later), "2024-01-03T00:00:00Z", False),
                                                                        (full, link(full), "2024-01-01T00:00:00Z", True),
                                                                        (linked, link(linked), "2024-01-02T00:00:00Z", False)]).encode(),
                                     content_type="application/atom+xml")
    second = refresh_feeds(index).feeds[0]
    assert (second.new, second.updated, second.unchanged, second.failed) == (1, 1, 1, [])
    assert (page_hits(site, [full]), page_hits(site, [linked]), page_hits(site, [later])) == (0, 2, 1)
    texts = [document for _, _, document in index.committed_chunks()]
    assert any(correction[:60] in text for text in texts)
    assert len(index.list_articles()) == 3
    assert index.chunk_collection.count() == index.count_chunks()  # the old version's chunks are gone
    assert_consistent(index)
    assert refresh_feeds(index).chunks == 0


def test_every_failure_is_reported_and_stops_nothing_else(site: NewsSite, web: Settings):
    good, other = STORIES[7], STORIES[8]
    site.routes["/not-a-page.pdf"] = Route(b"%PDF-1.7", content_type="application/pdf")
    site.routes["/mixed.xml"] = Route(rss_feed(site.base, "Mixed", [(good, site.url(f"/news/{good.slug}")),
                                                                     (STORIES[9], site.url("/missing-story")),
                                                                     (STORIES[10], site.url("/not-a-page.pdf"))]).encode(),
                                      content_type="application/rss+xml", conditional=True)
    site.routes["/fine.xml"] = Route(rss_feed(site.base, "Fine", [(other, site.url(f"/news/{other.slug}"))]).encode(),
                                     content_type="application/rss+xml")
    index = ArticleIndex(web)
    add_feed(index, site.url("/mixed.xml"), name="mixed")
    add_feed(index, site.url("/fine.xml"), name="fine")
    # feeds that break after they were added: one now answers 404, one serves an HTML page
    site.routes["/was-a-feed.xml"] = Route(rss_feed(site.base, "Soon gone", []).encode(), content_type="text/xml")
    site.routes["/now-a-page.xml"] = Route(rss_feed(site.base, "Soon a page", []).encode(), content_type="text/xml")
    add_feed(index, site.url("/was-a-feed.xml"), name="a-gone")
    add_feed(index, site.url("/now-a-page.xml"), name="b-page")
    del site.routes["/was-a-feed.xml"]
    site.add_page("/now-a-page.xml", article_html(STORIES[11]))

    report = refresh_feeds(index)
    feeds = {feed["name"]: feed for feed in report.as_dict()["feeds"]}
    assert list(feeds) == ["a-gone", "b-page", "fine", "mixed"]
    assert feeds["a-gone"]["http_status"] == 404 and "HTTP 404" in feeds["a-gone"]["failed"][0]["error"]
    assert "text/html, not an RSS or Atom feed" in feeds["b-page"]["failed"][0]["error"]
    assert (feeds["fine"]["new"], feeds["fine"]["failed"]) == (1, [])
    mixed = feeds["mixed"]
    assert mixed["new"] == 1
    reasons = {failure["url"]: failure["error"] for failure in mixed["failed"]}
    assert "HTTP 404" in reasons[site.url("/missing-story")]
    assert "application/pdf, not an HTML page" in reasons[site.url("/not-a-page.pdf")]
    assert report.failed and len(index.list_articles()) == 2
    stored = {feed["name"]: feed for feed in list_feeds(index)}
    assert stored["mixed"]["status"] == "partly failed" and stored["mixed"]["etag"] == ""  # not all entries committed
    assert stored["a-gone"]["status"] == "failed" and "HTTP 404" in stored["a-gone"]["error"]

    pages_before = page_hits(site, [good])
    retry = {feed.name: feed for feed in refresh_feeds(index, ["mixed"]).feeds}["mixed"]
    assert retry.http_status == 200 and len(retry.failed) == 2  # fetched again, not skipped as "not modified"
    assert (retry.unchanged, page_hits(site, [good])) == (1, pages_before)  # the committed entry costs nothing


def test_feed_registry_names_removal_and_opml(site: NewsSite, web: Settings, tmp_path: Path):
    index = ArticleIndex(web)
    add_feed(index, site.url("/rss.xml"), name="wire")
    with pytest.raises(FeedError, match="already added, as 'wire'"):
        add_feed(index, site.url("/rss.xml"))
    with pytest.raises(FeedError, match="cannot be a feed name"):
        add_feed(index, site.url("/other.xml"), name="two words")
    with pytest.raises(Exception, match="HTTP 404"):
        add_feed(index, site.url("/no-feed-here.xml"))
    refresh_feeds(index)
    assert len(index.list_articles()) == 4

    document = export_opml(list_feeds(index))
    assert read_opml(document) == [(site.url("/rss.xml"), "wire")]
    other = ArticleIndex(web.model_copy(update={"index_dir": tmp_path / "other"}))
    imported = import_feeds(other, read_opml(document) + [(site.url("/rss.xml"), "again"), ("ftp://x/feed", "ftp")])
    assert [feed["name"] for feed in imported["added"]] == ["wire"] and len(imported["skipped"]) == 2
    with pytest.raises(ValueError, match="DTD"):
        read_opml('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><opml>&e;</opml>')

    kept = remove_feed(index, "wire")
    assert kept["removed_articles"] == [] and len(index.list_articles()) == 4 and list_feeds(index) == []
    assert FeedStore(index).entries("wire") == {}
    with pytest.raises(FeedError, match="no feed named 'wire'"):
        remove_feed(index, "wire")
    add_feed(index, site.url("/rss.xml"), name="wire")
    assert refresh_feeds(index).feeds[0].unchanged == 4  # the articles were kept: nothing new is written
    purged = remove_feed(index, "wire", purge=True)
    assert len(purged["removed_articles"]) == 4 and index.list_articles() == []


def test_pages_are_fetched_outside_the_write_lock_and_refreshes_take_turns(site: NewsSite, web: Settings):
    slow = STORIES[9]
    site.routes[f"/slow/{slow.slug}"] = Route(article_html(slow).encode(), delay_s=1.5)
    site.routes["/slow.xml"] = Route(rss_feed(site.base, "Slow", [(slow, site.url(f"/slow/{slow.slug}"))]).encode(),
                                     content_type="application/rss+xml")
    index = ArticleIndex(web.model_copy(update={"fetch_timeout_s": 5}))
    add_feed(index, site.url("/slow.xml"), name="slow")
    done: list = []
    running = threading.Thread(target=lambda: done.append(refresh_feeds(index)))
    running.start()
    deadline = time.monotonic() + 10
    while not site.hits(f"/slow/{slow.slug}") and time.monotonic() < deadline:
        time.sleep(0.02)
    impatient = ArticleIndex(web.model_copy(update={"lock_timeout_s": 0.3}))
    with impatient.write_lock():  # an upload or `assistant index` is not blocked by the slow site
        pass
    with pytest.raises(IndexBusy, match="another process .* is refreshing this index's feeds"):
        refresh_feeds(impatient, lock_timeout_s=0)
    running.join(timeout=60)
    assert done and done[0].feeds[0].new == 1


def test_watcher_refreshes_on_schedule_and_stops(site: NewsSite, web: Settings):
    assert [parse_interval(text) for text in ("90s", "15m", "1h", "1h30m", "2")] == [90, 900, 3600, 5400, 120]
    for bad in ("soon", "15x", "0s"):
        with pytest.raises(ValueError):
            parse_interval(bad)
    index = ArticleIndex(web)
    add_feed(index, site.url("/rss.xml"), name="wire")
    reports = []
    watcher = Watcher(index, every_s=0.3, on_report=reports.append).start()
    deadline = time.monotonic() + 120
    while len(reports) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    watcher.close(timeout_s=30)
    assert not watcher._thread.is_alive()
    assert reports[0].feeds[0].new == 4 and all(report.chunks == 0 for report in reports[1:3])


# --- the command line, real processes -------------------------------------------------------------------------
def cli(index_dir: Path, *args: str, timeout: float = 300, **extra_env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "assistant.cli", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, env=cli_env(index_dir, **extra_env))


def cli_env(index_dir: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("ASSISTANT_")}
    return {**env, "PYTHONPATH": str(ROOT), "ASSISTANT_INDEX_DIR": str(index_dir), "ASSISTANT_ALLOW_PRIVATE_URLS": "true",
            "ASSISTANT_FETCH_HOST_PAUSE_S": "0", **extra}


@pytest.mark.slow
def test_cli_feeds_add_refresh_list_export(site: NewsSite, tmp_path: Path):
    index_dir = tmp_path / "index"
    added = cli(index_dir, "feeds", "add", site.url("/rss.xml"))
    assert added.returncode == 0 and "local-wire" in added.stdout, added.stderr
    refreshed = cli(index_dir, "feeds", "refresh", "--json")
    assert refreshed.returncode == 0, refreshed.stderr
    result = json.loads(refreshed.stdout)
    assert set(result) == {"feeds", "chunks"} and result["chunks"] > 0
    assert set(result["feeds"][0]) == {"name", "url", "http_status", "new", "updated", "unchanged", "failed", "chunks", "seconds"}
    assert (result["feeds"][0]["new"], result["feeds"][0]["failed"]) == (4, [])
    again = cli(index_dir, "feeds", "refresh", "--json")
    assert again.returncode == 0 and json.loads(again.stdout)["chunks"] == 0
    listed = json.loads(cli(index_dir, "feeds", "list", "--json").stdout)
    assert [(feed["name"], feed["status"]) for feed in listed] == [("local-wire", "not modified")]
    exported = cli(index_dir, "feeds", "export")
    assert read_opml(exported.stdout) == [(site.url("/rss.xml"), "local-wire")]
    private = cli(index_dir, "index", site.url(f"/news/{STORIES[0].slug}"), ASSISTANT_ALLOW_PRIVATE_URLS="false")
    assert private.returncode == 1 and "loopback address" in private.stdout and "Traceback" not in private.stderr
    site.routes["/dead.xml"] = Route(rss_feed(site.base, "Dead", []).encode(), content_type="text/xml")
    assert cli(index_dir, "feeds", "add", site.url("/dead.xml"), "--name", "dead").returncode == 0
    del site.routes["/dead.xml"]
    failing = cli(index_dir, "feeds", "refresh", "dead")
    assert failing.returncode == 1 and "HTTP 404" in failing.stdout and "Traceback" not in failing.stderr
    assert cli(index_dir, "feeds", "remove", "nothing-by-that-name").returncode == 1


@pytest.mark.slow
def test_cli_watch_ends_cleanly_on_sigterm_after_the_current_article(site: NewsSite, tmp_path: Path):
    slow_stories = STORIES[:4]
    for story in slow_stories:
        site.routes[f"/crawl/{story.slug}"] = Route(article_html(story).encode(), delay_s=0.8)
    site.routes["/crawl.xml"] = Route(rss_feed(site.base, "Crawl", [(s, site.url(f"/crawl/{s.slug}")) for s in slow_stories]).encode(),
                                      content_type="application/rss+xml")
    index_dir = tmp_path / "index"
    assert cli(index_dir, "feeds", "add", site.url("/crawl.xml"), "--name", "crawl").returncode == 0
    watch = subprocess.Popen([sys.executable, "-m", "assistant.cli", "watch", "--every", "1h"], cwd=ROOT, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=cli_env(index_dir))
    try:
        for line in watch.stderr:
            if "fetched" in line:
                break
        watch.send_signal(signal.SIGTERM)
        out, err = watch.communicate(timeout=120)
    finally:
        watch.kill()
    assert watch.returncode == 0, err
    assert "stopped after 1 refreshes" in out and "interrupted" in out and "Traceback" not in err
    index = ArticleIndex(Settings(index_dir=index_dir))
    assert 1 <= len(index.list_articles()) < 4  # what was fetched was committed; the rest is left for the next run
    assert_consistent(index)
    assert list_feeds(index)[0]["etag"] == ""


@pytest.mark.slow
def test_sigkill_during_a_refresh_leaves_a_consistent_index_that_the_next_refresh_completes(site: NewsSite, tmp_path: Path):
    """The refresh runs in a real process, killed right after its first commit (small chunks and write batches make
    several commits); a fresh reader finds a consistent index, and the next refresh indexes the rest, once."""
    killed_stories = STORIES[:8]
    for story in killed_stories:
        site.routes[f"/kill/{story.slug}"] = Route(article_html(story).encode(), delay_s=0.2)
    site.routes["/kill.xml"] = Route(rss_feed(site.base, "Kill", [(s, site.url(f"/kill/{s.slug}")) for s in killed_stories]).encode(),
                                     content_type="application/rss+xml", conditional=True)
    index_dir = tmp_path / "index"
    small = {"ASSISTANT_CHUNK_TOKENS": "48", "ASSISTANT_CHUNK_OVERLAP_TOKENS": "8", "ASSISTANT_WRITE_BATCH_CHUNKS": "6"}
    assert cli(index_dir, "feeds", "add", site.url("/kill.xml"), "--name", "kill", **small).returncode == 0
    refresh = subprocess.Popen([sys.executable, "-m", "assistant.cli", "feeds", "refresh"], cwd=ROOT, text=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=cli_env(index_dir, **small))
    try:
        seen = []
        for line in refresh.stderr:
            seen.append(line)
            if "indexed" in line:
                break
        refresh.send_signal(signal.SIGKILL)
        refresh.wait(timeout=60)
    finally:
        refresh.kill()
    assert any("indexed" in line for line in seen), "".join(seen)
    settings = Settings(index_dir=index_dir, allow_private_urls=True, fetch_host_pause_s=0,
                        chunk_tokens=48, chunk_overlap_tokens=8, write_batch_chunks=6)
    index = ArticleIndex(settings)
    assert 1 <= len(index.list_articles()) < 8
    assert_consistent(index)
    assert list_feeds(index)[0]["etag"] == ""  # the validators wait for every entry

    report = refresh_feeds(index).feeds[0]
    assert report.http_status == 200 and report.failed == []
    assert report.new + report.unchanged == 8
    assert len(index.list_articles()) == 8 and len(FeedStore(index).entries("kill")) == 8
    assert index.chunk_collection.count() == index.count_chunks()  # no orphans, no duplicates
    assert_consistent(index)
    final = refresh_feeds(index).feeds[0]
    assert (final.http_status, final.chunks) == (304, 0)


@pytest.mark.slow
def test_feeds_live_with_the_index_on_a_chroma_server(site: NewsSite, chroma_server, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # the server-mode lock files of this test
    settings = Settings(index_dir=tmp_path / "unused", chroma_host="127.0.0.1", chroma_port=chroma_server.port,
                        allow_private_urls=True, fetch_host_pause_s=0)
    index = ArticleIndex(settings)
    add_feed(index, site.url("/rss.xml"), name="wire")
    assert refresh_feeds(index).feeds[0].new == 4
    elsewhere = ArticleIndex(settings)  # another user of the shared index: the same feeds, entries and validators
    assert [feed["name"] for feed in list_feeds(elsewhere)] == ["wire"] and len(FeedStore(elsewhere).entries("wire")) == 4
    again = refresh_feeds(elsewhere).feeds[0]
    assert (again.http_status, again.chunks) == (304, 0)
    assert last_refresh(index)["feeds"][0]["http_status"] == 304
    assert (tmp_path / "cache" / "assistant" / f"chroma-127.0.0.1-{chroma_server.port}-news.refresh.lock").exists()
    assert not (tmp_path / "unused" / "chroma").exists()


@pytest.mark.slow
def test_the_chat_refreshes_the_feeds_in_the_background(site: NewsSite, tmp_path: Path):
    """`python app.py` with ASSISTANT_FEED_REFRESH_MINUTES: a feed registered before the start is refreshed by the
    chat itself, its articles listed by `/articles`, its last fetch by `/feeds`."""
    from gradio_client import Client

    from conftest import ARTIFACTS, ChatServer

    index_dir = tmp_path / "index"
    add_feed(ArticleIndex(Settings(index_dir=index_dir, allow_private_urls=True)), site.url("/rss.xml"))
    env = {"ASSISTANT_ALLOW_PRIVATE_URLS": "true", "ASSISTANT_FETCH_HOST_PAUSE_S": "0",
           "ASSISTANT_FEED_REFRESH_MINUTES": "0.05"}
    with ChatServer(index_dir, ARTIFACTS / "app-feed-refresh.log", env=env) as server:
        client = Client(server.url, verbose=False)
        wanted = {story.title for story in RSS}
        deadline = time.monotonic() + 120
        while True:
            titles = {row["title"] for row in client.predict(api_name="/articles")}
            if wanted <= titles or time.monotonic() > deadline:
                break
            time.sleep(1)
        assert wanted <= titles
        feed = client.predict(api_name="/feeds")[0]
        assert feed["last_fetch"] and feed["status"] in ("ok", "not modified") and feed["failed"] == []


def test_a_failed_purge_keeps_the_feed_and_a_bad_entry_date_is_only_unread():
    from assistant.feeds import feed_entries, parse_feed

    body = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Odd</title>
<item><title>Year zero</title><link>http://127.0.0.1/a</link><pubDate>0001-01-01T00:00:00+14:00</pubDate></item>
<item><title>Fine</title><link>http://127.0.0.1/b</link><pubDate>Mon, 01 Jan 2024 10:00:00 GMT</pubDate></item>
</channel></rss>"""
    entries = feed_entries(parse_feed("http://127.0.0.1/odd.xml", body), "http://127.0.0.1/", 10)
    assert [(e.title, e.published_at[:10]) for e in entries] == [("Year zero", ""), ("Fine", "2024-01-01")]


def test_removing_a_feed_whose_purge_fails_keeps_the_feed(site: NewsSite, web: Settings, monkeypatch):
    index = ArticleIndex(web)
    add_feed(index, site.url("/rss.xml"))
    refresh_feeds(index)

    def busy(ids):
        raise IndexBusy("another indexer (pid 1) is writing to this index; try again when it has finished")

    monkeypatch.setattr(index, "remove", busy)
    with pytest.raises(IndexBusy):
        remove_feed(index, "local-wire", purge=True)
    assert [feed["name"] for feed in list_feeds(index)] == ["local-wire"]  # still there to remove again
    monkeypatch.undo()
    assert len(remove_feed(index, "local-wire", purge=True)["removed_articles"]) == len(RSS)
    assert list_feeds(index) == []
