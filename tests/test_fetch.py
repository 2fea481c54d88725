"""Fetching article pages from the web (`fetch`, `webpages`): extraction like a saved page, canonical ids, every
failure with its reason, refused private addresses, politeness. Against a real HTTP server on 127.0.0.1."""
from __future__ import annotations

import ipaddress
import ssl
import subprocess
import threading
import time
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

from assistant.articles import load_file
from assistant.config import Settings
from assistant.fetch import PAGE, USER_AGENT, FetchError, fetch, non_public_kind
from assistant.store import ArticleIndex
from assistant.webpages import fetch_article, index_urls
from bench.news_site import AD_TEXT, FOOTER_TEXT, NAV_WORDS, NewsSite, Route, article_html, stories

STORIES = stories(3)


@pytest.fixture(scope="module")
def site():
    with NewsSite() as running:
        for story in STORIES:
            running.add_page(f"/news/{story.slug}", article_html(story, canonical=running.url(f"/news/{story.slug}")))
        story = STORIES[0]
        running.add_page(f"/amp/{story.slug}?utm_source=rss&utm_medium=feed",
                         article_html(story, canonical=running.url(f"/news/{story.slug}")))
        running.add_page("/elsewhere", article_html(STORIES[1], canonical="https://other-site.example/news/x"))
        running.routes["/moved"] = Route(status=301, headers={"Location": f"/news/{STORIES[2].slug}"})
        running.routes["/gone"] = Route(b"gone", status=410)
        running.routes["/broken"] = Route(b"oops", status=503)
        running.routes["/loop/a"] = Route(status=302, headers={"Location": "/loop/b"})
        running.routes["/loop/b"] = Route(status=302, headers={"Location": "/loop/a"})
        running.routes["/to-file"] = Route(status=302, headers={"Location": "file:///etc/passwd"})
        running.routes["/report.pdf"] = Route(b"%PDF-1.7 binary", content_type="application/pdf")
        running.routes["/no-type"] = Route(b"\x89PNG\r\n\x1a\n....", content_type="")
        running.add_page("/login", "<html><head><title>Log in</title></head><body><nav><a href='/'>Home</a> "
                         "<a href='/news'>News</a></nav><form><label>Email</label><input name='email'><label>Password"
                         "</label><input name='password' type='password'><button>Log in</button></form></body></html>")
        running.routes["/slow"] = Route(article_html(STORIES[0]).encode(), delay_s=3)
        running.routes["/drip"] = Route(lambda: (time.sleep(0.3) or b"<p>more words of a slow page</p>" for _ in range(20)))
        running.routes["/huge"] = Route(lambda: (b"<p>" + b"filler text " * 5000 + b"</p>" for _ in range(500)))  # 30 MB
        yield running


@pytest.fixture
def web(tmp_path: Path) -> Settings:
    """Settings that reach the loopback test server, with short timeouts and no pause between requests."""
    return Settings(index_dir=tmp_path / "index", allow_private_urls=True, fetch_timeout_s=1.5, fetch_host_pause_s=0)


def test_a_fetched_page_is_read_like_the_same_page_saved_as_a_file(site: NewsSite, web: Settings, tmp_path: Path):
    story = STORIES[0]
    article = fetch_article(site.url(f"/news/{story.slug}"), web)
    assert article.title == story.title
    assert article.source == story.source
    assert article.published_at == story.published_at[:10]
    assert article.author == story.author
    assert article.url == site.url(f"/news/{story.slug}")
    assert story.paragraphs[0][:80] in article.body and story.paragraphs[-1][-80:] in article.body
    for boilerplate in (AD_TEXT, FOOTER_TEXT, "Related stories", "dataLayer", "loadAd", "Buy the new phone", "Politics"):
        assert boilerplate not in article.body
    saved = tmp_path / "page.html"
    saved.write_text(article_html(story, canonical=site.url(f"/news/{story.slug}")), encoding="utf-8")
    from_file = load_file(saved, 2**22).articles[0]
    assert (from_file.id, from_file.body, from_file.title) == (article.id, article.body, article.title)


def test_one_article_reached_through_two_urls_has_one_id(site: NewsSite, web: Settings):
    story = STORIES[0]
    direct = fetch_article(site.url(f"/news/{story.slug}"), web)
    via_amp = fetch_article(site.url(f"/amp/{story.slug}?utm_source=rss&utm_medium=feed"), web)
    assert via_amp.id == direct.id and via_amp.url == direct.url
    redirected = fetch_article(site.url("/moved"), web)
    assert redirected.url == site.url(f"/news/{STORIES[2].slug}") and redirected.title == STORIES[2].title
    claims_another_site = fetch_article(site.url("/elsewhere"), web)  # a page cannot take another site's article id
    assert claims_another_site.url == site.url("/elsewhere")


@pytest.mark.parametrize(("path", "expected"), [
    ("/missing", ["HTTP 404", "check the address"]),
    ("/gone", ["HTTP 410"]),
    ("/broken", ["HTTP 503", "try again later"]),
    ("/report.pdf", ["application/pdf, not an HTML page"]),
    ("/no-type", ["states no content type", "not look like an HTML page"]),
    ("/login", ["no article text"]),
    ("/slow", ["did not finish within 1.5 s", "ASSISTANT_FETCH_TIMEOUT_S"]),
    ("/drip", ["did not finish within 1.5 s"]),
    ("/loop/a", ["redirected more than 5 times in a loop", "/loop/b -> ", "ASSISTANT_FETCH_MAX_REDIRECTS"]),
    ("/to-file", ["redirected to 'file:///etc/passwd', which is not an http or https address"]),
    ("/huge", ["over the 8 MiB limit", "the download was stopped"]),
])
def test_every_failure_names_the_url_and_the_reason(site: NewsSite, web: Settings, path: str, expected: list[str]):
    started = time.monotonic()
    with pytest.raises(FetchError) as failure:
        fetch_article(site.url(path), web)
    message = str(failure.value)
    assert message.startswith(site.url(path)), message
    for part in expected:
        assert part in message, message
    assert time.monotonic() - started < 10  # a timeout or a limit ends the request; nothing hangs or reads on


def test_a_huge_page_is_not_downloaded_past_the_limit(site: NewsSite, web: Settings):
    before = len(site.hits("/huge"))
    with pytest.raises(FetchError):
        fetch(site.url("/huge"), web, PAGE, max_bytes=2**20)
    hit = site.hits("/huge")[before]
    deadline = time.monotonic() + 5
    while not hit.ended and time.monotonic() < deadline:
        time.sleep(0.05)
    assert hit.ended and hit.ended - hit.started < 5  # the server's writes failed early: the client hung up


def test_other_schemes_and_malformed_addresses_are_refused_before_any_request(site: NewsSite, web: Settings):
    for url in ("file:///etc/passwd", "ftp://example.com/x", "gopher://127.0.0.1:70/"):
        with pytest.raises(FetchError, match="is not an http or https address"):
            fetch_article(url, web)
    for url in ("http://[::1/", "http://999.1.1.1/", "http://example.com:abc/", "http://a\x00b.example/"):
        with pytest.raises(FetchError, match="is not a valid web address"):
            fetch_article(url, web)
    site.routes["/bad-location"] = Route(status=302, headers={"Location": "http://[::1/x"})
    with pytest.raises(FetchError, match="led to an invalid address|which is not a valid web address"):
        fetch_article(site.url("/bad-location"), web)


def test_private_addresses_are_refused_without_the_setting(site: NewsSite, tmp_path: Path):
    strict = Settings(index_dir=tmp_path / "index", fetch_host_pause_s=0)  # allow_private_urls defaults to False
    before = len(site.requests)
    for host in ("127.0.0.1", "localhost"):  # an address, and a name that resolves to one
        with pytest.raises(FetchError) as failure:
            fetch_article(f"http://{host}:{site.port}/news/{STORIES[0].slug}", strict)
        assert "loopback address" in str(failure.value) and "ASSISTANT_ALLOW_PRIVATE_URLS=true" in str(failure.value)
    assert len(site.requests) == before  # refused before connecting: the server saw nothing


@pytest.mark.parametrize(("address", "kind"), [
    ("10.1.2.3", "private"), ("192.168.0.1", "private"), ("172.16.5.4", "private"), ("127.0.0.1", "loopback"),
    ("169.254.169.254", "link-local"), ("0.0.0.0", "unspecified"), ("224.0.0.1", "multicast"),
    ("100.64.0.1", "non-public"), ("::1", "loopback"), ("fe80::1", "link-local"), ("fd00::1", "private"),
    ("::ffff:10.0.0.1", "private"), ("93.184.216.34", None), ("2606:4700::1111", None)])
def test_address_kinds(address: str, kind: str | None):
    assert non_public_kind(ipaddress.ip_address(address)) == kind


def test_tls_errors_are_reported(tmp_path: Path, web: Settings):
    """An https server with a self-signed certificate: the fetch fails with the TLS reason, nothing is read."""
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "1", "-subj", "/CN=127.0.0.1"], check=True, capture_output=True)
    with NewsSite() as secure:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        secure.server.socket = context.wrap_socket(secure.server.socket, server_side=True)
        with pytest.raises(FetchError) as failure:
            fetch_article(f"https://127.0.0.1:{secure.port}/news/x", web)
    assert "TLS" in str(failure.value) and "certificate" in str(failure.value).lower()


def test_requests_name_the_project_and_take_turns_per_host(site: NewsSite, web: Settings):
    polite = web.model_copy(update={"fetch_host_pause_s": 0.4})
    path = f"/news/{STORIES[1].slug}"
    before = len(site.hits(path))
    threads = [threading.Thread(target=fetch, args=(site.url(path), polite, PAGE, 2**20)) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    hits = sorted(site.hits(path)[before:], key=lambda hit: hit.started)
    assert len(hits) == 3 and all(hit.headers["User-Agent"] == USER_AGENT for hit in hits)
    assert USER_AGENT.startswith("news-assistant/")
    for earlier, later in zip(hits, hits[1:]):
        assert later.started - earlier.ended >= 0.35  # one at a time, with the pause between


def test_conditional_get_returns_304_without_a_body(site: NewsSite, web: Settings):
    site.routes["/feed-like"] = Route(article_html(STORIES[0]).encode(), conditional=True)
    first = fetch(site.url("/feed-like"), web, PAGE, 2**22)
    assert first.status == 200 and first.etag and first.last_modified
    again = fetch(site.url("/feed-like"), web, PAGE, 2**22, etag=first.etag, last_modified=first.last_modified)
    assert again.not_modified and again.body == b""


def test_index_urls_adds_once_and_writes_nothing_the_second_time(site: NewsSite, web: Settings):
    index = ArticleIndex(web)
    urls = [site.url(f"/news/{STORIES[0].slug}"), site.url(f"/amp/{STORIES[0].slug}?utm_source=rss&utm_medium=feed"),
            site.url("/missing")]
    report = index_urls(index, urls)
    assert (report.added, report.unchanged, report.chunks > 0) == (1, 1, True)
    assert [failure["path"] for failure in report.failed] == [site.url("/missing")]
    assert [row["url"] for row in index.list_articles()] == [site.url(f"/news/{STORIES[0].slug}")]
    again = index_urls(index, urls[:2])
    assert (again.added, again.updated, again.unchanged, again.chunks) == (0, 0, 2, 0)


def test_the_page_charset_is_respected(site: NewsSite, web: Settings):
    story = STORIES[1]
    page = article_html(story).replace('<meta charset="utf-8">', '<meta charset="windows-1252">')
    page = page.replace("</article>", "<p>The café owner said the crème brûlée sold out before noon on the day.</p></article>")
    site.routes["/latin"] = Route(page.encode("cp1252"), content_type="text/html")  # the charset only in the page
    article = fetch_article(site.url("/latin"), web)
    assert "The café owner said the crème brûlée sold out" in article.body


def test_compressed_pages_are_read_and_a_compression_bomb_stops_at_the_limit(site: NewsSite, web: Settings):
    import gzip
    import zlib

    story = STORIES[0]
    page = article_html(story).encode()
    site.routes["/gzip"] = Route(gzip.compress(page), headers={"Content-Encoding": "gzip"})
    site.routes["/deflate"] = Route(zlib.compress(page), headers={"Content-Encoding": "deflate"})
    for path in ("/gzip", "/deflate"):
        assert fetch_article(site.url(path), web).title == story.title
    assert site.hits("/gzip")[-1].headers.get("Accept-Encoding") == "gzip, deflate"  # never br or zstd
    # 30 MiB of HTML in 30 KB of gzip: decompressed piece by piece, stopped past 8 MiB of output
    site.routes["/bomb"] = Route(gzip.compress(b"<html><body><p>" + b"a " * (15 * 2**20)), headers={"Content-Encoding": "gzip"})
    with pytest.raises(FetchError, match="over the 8 MiB limit for a download"):
        fetch_article(site.url("/bomb"), web)
    site.routes["/brotli"] = Route(b"\x0b\x02\x80hello\x03", headers={"Content-Encoding": "br"})
    with pytest.raises(FetchError, match="came compressed as 'br', which is not read here"):
        fetch_article(site.url("/brotli"), web)
    site.routes["/broken"] = Route(b"not gzip at all", headers={"Content-Encoding": "gzip"})
    with pytest.raises(FetchError, match="cannot be decompressed"):
        fetch_article(site.url("/broken"), web)


def test_a_canonical_home_page_or_another_sites_page_does_not_name_an_article():
    from assistant.articles import canonical_url

    page = "https://news.example.com/2024/05/story?utm_source=x#top"
    assert canonical_url("/", page) == "https://news.example.com/2024/05/story"  # many sites name "/" on every page
    assert canonical_url("https://news.example.com/", "https://news.example.com/") == "https://news.example.com/"
    assert canonical_url("https://other.example.org/x", page) == "https://news.example.com/2024/05/story"
    assert canonical_url("/amp-free/story", page) == "https://news.example.com/amp-free/story"
