"""The Articles tab's "From the web" section in a real browser (Debian's Chromium via Playwright) against `python
app.py` and a news site on 127.0.0.1 (`bench.news_site`): index a page by its address, a failing address named with
its reason, add a feed, refresh it (its articles listed, the feeds table counting them), refresh again (nothing new),
and remove the feed keeping its articles."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from bench.news_site import NewsSite, Route, stories
from conftest import ARTIFACTS, app_page, chat_server_fixture

pytestmark = pytest.mark.slow
server = chat_server_fixture("web-browser", env={"ASSISTANT_ALLOW_PRIVATE_URLS": "true",
                                                 "ASSISTANT_FETCH_HOST_PAUSE_S": "0"})
STORIES = stories(3, start=30)


@pytest.fixture(scope="module")
def site():
    with NewsSite() as running:
        running.publish(STORIES, "Browser Wire", in_feed=STORIES[1:])
        running.routes["/gone"] = Route(b"gone", status=410)
        yield running


def fill(page, elem_id: str, text: str) -> None:
    page.locator(f"#{elem_id} textarea, #{elem_id} input").first.fill(text)


def test_index_a_url_and_follow_a_feed(browser, server, site):
    with app_page(browser, server.url) as page:
        page.get_by_role("tab", name="Articles").click()
        status, feed_status = page.locator("#index-status"), page.locator("#feed-status")

        fill(page, "url-input", site.url(f"/news/{STORIES[0].slug}"))
        page.locator("#index-url").click()
        expect(status).to_contain_text(f"Added {STORIES[0].title}", timeout=120_000)
        expect(page.locator("#index-results")).to_contain_text("added")
        expect(page.locator("#articles-table")).to_contain_text(STORIES[0].title)

        fill(page, "url-input", site.url("/gone"))
        page.locator("#index-url").click()
        expect(status).to_contain_text("Not indexed:", timeout=60_000)
        expect(status).to_contain_text("410")

        fill(page, "feed-url", site.url("/rss.xml"))
        page.locator("#add-feed").click()
        expect(feed_status).to_contain_text("Added the feed browser-wire (Browser Wire)")
        expect(page.locator("#feeds-table")).to_contain_text("browser-wire")
        page.locator("#refresh-feeds").click()
        expect(feed_status).to_contain_text("Refreshed.", timeout=120_000)
        expect(feed_status).to_contain_text(re.compile(r"1 feed, 2 new, 0 updated, 0 unchanged, 0 failed; \d+ chunks"))
        for story in STORIES[1:]:
            expect(page.locator("#articles-table")).to_contain_text(story.title)
        page.screenshot(path=str(ARTIFACTS / "web-sources.png"), full_page=True)

        page.locator("#refresh-feeds").click()
        expect(feed_status).to_contain_text("0 new, 0 updated, 0 unchanged, 0 failed; 0 chunks", timeout=60_000)

        page.locator("#feed-pick input").click()
        page.get_by_role("option", name="browser-wire", exact=True).click()
        page.locator("#remove-feed").click()
        expect(feed_status).to_contain_text("Removed the feed browser-wire; its articles stay indexed")
        expect(page.locator("#feeds-table")).not_to_contain_text("browser-wire")
        expect(page.locator("#articles-table")).to_contain_text(STORIES[2].title)
