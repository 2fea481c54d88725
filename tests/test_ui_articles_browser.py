"""The Articles tab end to end in a real browser (Debian's Chromium, driven by Playwright, against `python app.py`):
indexing progress moves and shows in one place only, the table's search and count line, an article's full view
(escaped), removal of two articles through the confirmation, and the pasted date's check. Screenshots go to
test-artifacts/."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ARTIFACTS, app_page, chat_server_fixture

pytestmark = pytest.mark.slow

INDEXING_TIMEOUT_MS = 90_000
TOPICS = ["orchard", "harbor", "railway", "library", "bakery", "glacier", "stadium", "vineyard", "lighthouse", "market"]
HOSTILE_TITLE = 'Story 00 about the orchard <img src=x onerror="window.__xss=1">'
# Records, every 50 ms, the text of each progress bar on the page (joined, when it changes) and where trackers show.
POLL_PROGRESS_JS = """() => {
  window.__progress = [];
  window.__places = new Set();
  window.__poll = setInterval(() => {
    const text = [...document.querySelectorAll('.progress-level-inner')].map((el) => el.textContent.trim()).join(' | ');
    if (text && window.__progress.at(-1) !== text) window.__progress.push(text);
    for (const tracker of document.querySelectorAll('[data-testid="status-tracker"]')) {
      if (tracker.querySelector('.progress-text, .progress-level, svg')) window.__places.add((tracker.closest('[id]') || {}).id);
    }
  }, 50);
}"""
STOP_POLLING_JS = "() => { clearInterval(window.__poll); return [window.__progress, [...window.__places]]; }"
ACTIVE_MARKUP_JS = """() => [...document.querySelectorAll('#article-view *, #remove-ids *, #remove-question *, #articles-table *')]
  .flatMap((el) => [...el.attributes].filter((a) => a.name.startsWith('on')).map((a) => el.tagName + ' ' + a.name)
    .concat(['SCRIPT', 'IMG', 'IFRAME'].includes(el.tagName) ? [el.tagName] : [])
    .concat(/^\\s*(javascript|data):/i.test(el.getAttribute('href') || '') ? [el.tagName + ' url'] : []))"""
PROGRESS = re.compile(r"Indexing: (\d+) / (\d+) articles, (\d+) / (\d+) chunks embedded")


def write_articles(folder: Path, count: int = 30) -> list[Path]:
    """`count` generated articles of ~5 chunks each, from three sources, dated 2024-03-01 onwards; the first has
    markup in its title, author and body and a javascript: URL."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        topic = TOPICS[i % len(TOPICS)]
        title = HOSTILE_TITLE if i == 0 else f"Story {i:02d} about the {topic}"
        extra = "URL: javascript:window.__xss=1\nAuthor: Ana <b>Ruiz</b>\n" if i == 0 else ""
        body = " ".join(f"The {topic} committee of Town {i} met on day {day} and approved plan {i * 100 + day}, "
                        "the chair said." for day in range(55))
        if i == 0:
            body += " <script>window.__xss=1</script>"
        path = folder / f"story-{i:02d}.txt"
        path.write_text(f"Source: Wire {'ABC'[i % 3]}\nDate: 2024-03-{i + 1:02d}\n{extra}\n{title}\n\n{body}\n")
        paths.append(path)
    return paths


server = chat_server_fixture("articles-browser")


@pytest.fixture
def page(browser, server):
    """A fresh page on the Articles tab, once the table has been filled (see conftest.app_page)."""
    with app_page(browser, server.url) as page:
        page.get_by_role("tab", name="Articles").click()
        page.locator("#articles-count").get_by_text(re.compile(r"^\d+ articles? ")).wait_for()
        yield page


def field(page, elem_id: str):
    return page.locator(f"#{elem_id} textarea, #{elem_id} input").first


def click_row(page, title: str) -> None:
    page.locator("#articles-table").get_by_text(title, exact=True).filter(visible=True).first.click()


def test_upload_shows_progress_then_search_view_and_confirmed_removal(page, server, tmp_path):
    page.locator("#upload input[type=file]").set_input_files([str(path) for path in write_articles(tmp_path / "in")])
    page.evaluate(POLL_PROGRESS_JS)
    page.locator("#index-files").click()
    page.locator("#index-status").get_by_text("Done: 30 added (see the indexing results).").wait_for(
        timeout=INDEXING_TIMEOUT_MS)
    texts, places = page.evaluate(STOP_POLLING_JS)
    assert places == ["index-status"], places  # progress shows in one place only
    counts = [tuple(map(int, match.groups())) for match in map(PROGRESS.search, texts) if match]
    before_end = [text for text in texts if not PROGRESS.search(text) or PROGRESS.search(text).group(1) != "30"]
    assert len(before_end) >= 3, texts  # the text changed at least twice before all articles were settled
    assert texts[0].startswith("Reading 30 files"), texts
    # the counts only grow and reach every chunk embedded; the articles settle together at the batch's commit, right
    # before "Done", so the poller may or may not see "30 / 30" (the Done line says it)
    assert counts == sorted(counts) and counts[-1][1] == 30 and counts[-1][2] == counts[-1][3] >= 100, texts
    assert any(embedded < total for _, _, embedded, total in counts), texts  # embedding progress was seen moving
    page.screenshot(path=str(ARTIFACTS / "articles-indexed.png"), full_page=True)

    count = page.locator("#articles-count")
    count.get_by_text("31 articles from 4 sources, 2024-03-01 to 2024-03-30").wait_for()  # with the sample article
    field(page, "articles-search").fill("ORCHARD wire")
    count.get_by_text("showing 3 of 31 articles from 4 sources, 2024-03-01 to 2024-03-30").wait_for()
    table = page.locator("#articles-table")
    assert table.get_by_text("Story 01 about the harbor").filter(visible=True).count() == 0
    assert table.get_by_text("Story 20 about the orchard").filter(visible=True).count() == 1

    click_row(page, HOSTILE_TITLE)  # its full view, every field as text
    view = page.locator("#article-view")
    view.locator(".article-title").get_by_text(HOSTILE_TITLE).wait_for()
    shown = view.inner_text()
    assert "<script>window.__xss=1</script>" in shown and "Ana <b>Ruiz</b>" in shown
    assert "javascript:window.__xss=1" in shown and view.locator("a").count() == 0  # a script URL is no link
    assert re.search(r"Source\s+Wire A\s+Published\s+2024-03-01", shown) and re.search(r"Chunks\s+\d+", shown)
    assert "approved plan 54, the chair said." in shown  # the whole body

    click_row(page, "Story 20 about the orchard")
    click_row(page, "Story 10 about the orchard")
    selection = page.locator("#remove-ids")
    selection.get_by_text("Selected for removal (3):").wait_for()
    click_row(page, "Story 20 about the orchard")  # a second click deselects, and says so
    selection.get_by_text("Selected for removal (2):").wait_for()
    assert selection.get_by_text("Story 20 about the orchard").count() == 0
    page.locator("#article-pick input").click()  # the picker shows an article without selecting it
    page.get_by_role("option", name=re.compile("^Story 10 about the orchard")).click()
    view.locator(".article-title").get_by_text("Story 10 about the orchard").wait_for()
    assert page.evaluate("typeof window.__xss") == "undefined" and page.evaluate(ACTIVE_MARKUP_JS) == []

    page.locator("#remove").click()  # asks first; Cancel removes nothing
    question = page.locator("#remove-question")
    question.get_by_text("Remove 2 articles? This cannot be undone.").wait_for()
    assert question.get_by_text("Story 10 about the orchard").count() == 1
    page.screenshot(path=str(ARTIFACTS / "articles-confirm.png"), full_page=True)
    page.locator("#remove-cancel").click()
    page.locator("#remove-status").get_by_text("Nothing removed.").wait_for()
    assert not page.locator("#remove-confirm").is_visible()
    count.get_by_text("showing 3 of 31 articles").wait_for()

    page.locator("#remove").click()
    page.locator("#remove-confirm").click()
    page.locator("#remove-status").get_by_text("Removed 2 articles.").wait_for()
    count.get_by_text("showing 1 of 29 articles from 4 sources").wait_for()  # the search is kept
    selection.get_by_text("No articles selected").wait_for()
    view.get_by_text("Click a row of the table").wait_for()  # it showed a removed article
    assert table.get_by_text("Story 10 about the orchard").filter(visible=True).count() == 0
    uploads = {path.name for path in (server.index_dir / "uploads").iterdir()}
    assert "story-20.txt" in uploads and not {"story-00.txt", "story-10.txt"} & uploads  # their uploads went with them
    assert page.evaluate(ACTIVE_MARKUP_JS) == []


def test_pasted_date_is_checked_where_typed_and_the_form_clears_once_indexed(page):
    field(page, "paste-title").fill("Ferry timetable changes")
    field(page, "paste-source").fill("Island Herald")
    field(page, "paste-date").fill("yesterday")
    field(page, "paste-text").fill("The island ferry will leave at seven from Monday, the harbor office said.")
    field(page, "paste-date").press("Tab")  # leaving the field checks it
    error = page.locator("#paste-date-error")
    error.get_by_text("'yesterday' is not a date; use YYYY-MM-DD").wait_for()
    page.screenshot(path=str(ARTIFACTS / "articles-date-error.png"), full_page=True)

    page.locator("#index-pasted").click()  # refused, with the fields kept
    page.locator("#index-status").get_by_text("Not indexed: 'yesterday' is not a date; use YYYY-MM-DD.").wait_for()
    assert field(page, "paste-title").input_value() == "Ferry timetable changes"
    assert field(page, "paste-source").input_value() == "Island Herald"
    assert field(page, "paste-text").input_value().startswith("The island ferry")

    field(page, "paste-date").fill("2024-06-01")
    field(page, "paste-date").press("Enter")
    error.get_by_text("is not a date").wait_for(state="detached")
    page.locator("#index-pasted").click()
    page.locator("#index-status").get_by_text("Done: 1 added (see the indexing results).").wait_for(
        timeout=INDEXING_TIMEOUT_MS)
    for elem_id in ("paste-title", "paste-source", "paste-date", "paste-text"):
        assert field(page, elem_id).input_value() == "", elem_id
    field(page, "articles-search").fill("island herald")
    page.locator("#articles-count").get_by_text(re.compile("^showing 1 of")).wait_for()
    page.locator("#articles-table").get_by_text("Ferry timetable changes").filter(visible=True).first.wait_for()
