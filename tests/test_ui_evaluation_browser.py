"""The Evaluation tab in a real browser (Debian's Chromium via Playwright) against `python app.py`: run the seed set
with a limit, see the plain-words result and a failing question, open a row's full answer, cancel a run, compare two
runs, and find the runs again after a reload."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from conftest import ARTIFACTS, ChatServer, app_page

pytestmark = pytest.mark.slow
RUN_TIMEOUT_MS = 180_000


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = ChatServer(tmp_path_factory.mktemp("evaluation-browser") / "index", ARTIFACTS / "app-evaluation.log").start()
    yield server
    server.stop()


def open_tab(page):
    page.get_by_role("tab", name="Evaluation").click()
    page.locator("#eval-run").wait_for()


def run(page, limit: int) -> str:
    page.locator("#eval-limit input").fill(str(limit))
    page.locator("#eval-run").click()
    page.locator("#eval-status").get_by_text(re.compile(r"^Running seed")).wait_for()
    page.locator("#eval-status").get_by_text(re.compile(r"^Done in \d+ s")).wait_for(timeout=RUN_TIMEOUT_MS)
    return page.locator("#eval-status").inner_text()


def test_run_read_cancel_and_compare(browser, server):
    with app_page(browser, server.url) as page:
        open_tab(page)
        first = run(page, 50)  # the whole seed set: it has wrong answers to look at
        assert re.search(r"\d+ of 50 correct; \d+ of 8 unanswerable questions were answered", first), first
        wrong = page.locator("#eval-table").get_by_text("NO", exact=True).filter(visible=True)
        assert wrong.count() >= 1  # wrong answers come first
        wrong.first.click()
        page.locator("#eval-answer").get_by_text("Expected:").wait_for()
        assert "wrong" in page.locator("#eval-answer").inner_text()
        expect(page.locator("#eval-chart img")).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "evaluation-tab.png"), full_page=True)

        page.locator("#eval-limit input").fill("50")  # a long run, cancelled: nothing of it is kept
        page.locator("#eval-run").click()
        page.locator("#eval-cancel:enabled").wait_for()
        page.wait_for_timeout(1500)
        page.locator("#eval-cancel").click()
        page.locator("#eval-status").get_by_text("Cancelled.").wait_for(timeout=30_000)
        assert len(list((server.index_dir / "eval-runs").iterdir())) == 1

        run(page, 3)
    with app_page(browser, server.url) as page:  # after a reload: both runs are listed, the newest shown
        open_tab(page)
        page.locator("#eval-status").get_by_text(re.compile(r"of 3 correct")).wait_for()
        page.locator("#eval-compare").click()
        comparison = page.locator("#eval-comparison")
        comparison.get_by_text(re.compile("Changes since .*-seed-extractive")).wait_for()
        assert "strict accuracy" in comparison.inner_text()
