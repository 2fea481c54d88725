"""The Evaluation tab in a real browser (Debian's Chromium via Playwright) against `python app.py`: run the seed set
with a limit, see the plain-words result, the three charts and a failing question, open a row's full answer, cancel a
run, compare two runs, find the runs again after a reload, and upload a set of one's own (a broken pair is refused
with the reason, a good one runs)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import ARTIFACTS, app_page, chat_server_fixture

SEED = Path(__file__).resolve().parent.parent / "eval" / "seed"

pytestmark = pytest.mark.slow
RUN_TIMEOUT_MS = 180_000


server = chat_server_fixture("evaluation-browser")


def open_tab(page):
    page.get_by_role("tab", name="Evaluation").click()
    page.locator("#eval-run").wait_for()


def run(page, limit: int, set_name: str = "seed") -> str:
    page.locator("#eval-limit input").fill(str(limit))
    page.locator("#eval-run").click()
    page.locator("#eval-status").get_by_text(re.compile(rf"^Running {set_name}")).wait_for()
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
        for chart in ("answers", "times"):
            expect(page.locator(f"#eval-chart-{chart} img")).to_be_visible()
        expect(page.locator("#eval-chart-confusion img")).to_have_count(0)  # the seed set has no yes/no question
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


def test_upload_a_set_of_ones_own(browser, server, tmp_path):
    questions = [json.loads(line) for line in (SEED / "questions.jsonl").read_text().splitlines()[:1]]
    questions.append({"id": "mine-yes-no", "question": "Did Russia deny that Musk and Putin had been in contact?",
                      "answer": "Yes", "question_type": "comparison_query", "evidence": questions[0]["evidence"]})
    good = tmp_path / "questions.jsonl"
    good.write_text("".join(json.dumps(q) + "\n" for q in questions))
    orphan = tmp_path / "orphan" / "questions.jsonl"
    orphan.parent.mkdir()
    orphan.write_text(json.dumps({**questions[0], "evidence": [{"article_id": "not-uploaded", "quote": "x"}]}) + "\n")
    with app_page(browser, server.url) as page:
        open_tab(page)
        page.locator("#eval-upload").get_by_text("Add your own set").click()
        page.locator("#eval-upload-articles input[type=file]").set_input_files(str(SEED / "articles.jsonl"))
        page.locator("#eval-upload-questions input[type=file]").set_input_files(str(orphan))
        page.locator("#eval-upload-name input, #eval-upload-name textarea").first.fill("My checks")
        page.locator("#eval-add-set").click()
        refusal = page.locator("#eval-upload-status").get_by_text("Not added")
        refusal.wait_for()
        assert "'not-uploaded', which is not in the articles file" in refusal.inner_text()
        assert "/tmp" not in refusal.inner_text()  # the uploaded file's name, not the server's temporary folder

        page.locator("#eval-upload-questions").get_by_label("Clear").click()
        page.locator("#eval-upload-questions input[type=file]").set_input_files(str(good))
        page.locator("#eval-add-set").click()
        page.locator("#eval-upload-status").get_by_text("Added my-checks: 1 articles, 2 questions").wait_for()
        expect(page.locator("#eval-set input")).to_have_value("my-checks")
        status = run(page, 2, "my-checks")
        assert re.search(r"\d+ of 2 correct", status), status
        expect(page.locator("#eval-chart-confusion img")).to_be_visible()  # a yes/no question: its confusion chart
    assert (server.index_dir / "eval-sets" / "my-checks" / "questions.jsonl").read_text() == good.read_text()
