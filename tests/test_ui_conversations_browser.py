"""Conversations in a real browser (Debian's Chromium via Playwright) against `python app.py --auth-file`: a reload
keeps the conversation, the sidebar switches, renames and deletes, two logged-in users never see each other's
conversations, follow-ups say how they were taken, a citation whose article was removed says so; Stop, Regenerate,
Copy (read back from the clipboard), Export, the index summary and example questions, the narrow-screen citation
drawer and dark mode."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from conftest import ARTIFACTS, ROOT, SEED, SEED_QUESTION, ChatServer
from assistant.articles import load_file
from assistant.logins import hash_password
from test_ui_browser import ANSWER_TIMEOUT_MS, ask, open_citation

pytestmark = pytest.mark.slow

USERS = {"ana": "ana-pw", "ben": "ben:pw"}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("chat-conversations")
    logins = folder / "logins.txt"
    logins.write_text(f"ana:{hash_password(USERS['ana'], iterations=1000)}\nben:{USERS['ben']}\n")
    server = ChatServer(folder / "index", ARTIFACTS / "app-conversations.log", "--auth-file", str(logins)).start()
    yield server
    server.stop()


def logged_in(browser, server, user: str, **options):
    """A page of the chat, logged in as `user` (its own browser context: own cookies and local storage)."""
    query = options.pop("query", "")
    context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, **options})
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(server.url + query)
    page.get_by_label("username").fill(user)
    page.get_by_label("password").fill(USERS[user])
    page.get_by_role("button", name="Login").click()
    page.locator("#question textarea").wait_for()
    return page


def listed(page) -> list[str]:
    return [label.strip() for label in page.locator("#conversation-list label").all_inner_texts()]


def answers(page):
    return page.locator("#chat .answer:not(.streaming)")


def test_conversations_survive_reloads_switch_rename_and_stay_private(browser, server):
    ana = logged_in(browser, server, "ana")
    first = ask(ana, SEED_QUESTION)
    assert first.locator(".interpreted").count() == 0
    follow_up = ask(ana, "What did he call the report?")
    assert "Peskov" in follow_up.locator(".interpreted").inner_text()
    ana.locator("#conversation-list label").first.wait_for()
    assert listed(ana) == [SEED_QUESTION]

    ana.reload()  # the conversation comes back, with its answers and citations
    answers(ana).nth(1).wait_for(timeout=ANSWER_TIMEOUT_MS)
    assert answers(ana).count() == 2 and listed(ana) == [SEED_QUESTION]
    card = open_citation(ana, answers(ana).nth(0), 1)
    assert "Associated Press" in card.locator(".cite-meta").inner_text()
    ana.screenshot(path=str(ARTIFACTS / "chat-conversations.png"))

    ana.locator("#new-chat").click()  # a new conversation; the first one stays saved
    answers(ana).first.wait_for(state="detached")
    ask(ana, "What did the Chinese Embassy say?")
    ana.locator("#conversation-list label", has_text="What did the Chinese Embassy say?").wait_for()
    assert sorted(listed(ana)) == sorted([SEED_QUESTION, "What did the Chinese Embassy say?"])
    ana.locator("#conversation-list label", has_text=SEED_QUESTION).click()
    answers(ana).nth(1).wait_for()
    assert answers(ana).count() == 2 and "Peskov" in answers(ana).nth(1).inner_text()

    ana.locator("#conversation-title input, #conversation-title textarea").first.fill("Peskov thread")
    ana.locator("#rename-conversation").click()
    ana.locator("#conversation-list label", has_text="Peskov thread").wait_for()

    ben = logged_in(browser, server, "ben")  # another user: none of ana's conversations, even by id
    ben.wait_for_timeout(1000)
    assert listed(ben) == [] and answers(ben).count() == 0
    ask(ben, "What did the Chinese Embassy say?")
    ben.locator("#conversation-list label").first.wait_for()
    assert listed(ben) == ["What did the Chinese Embassy say?"]
    ben.reload()
    answers(ben).first.wait_for()
    assert answers(ben).count() == 1 and listed(ben) == ["What did the Chinese Embassy say?"]

    ana.reload()  # ana's list is unchanged by ben
    ana.locator("#conversation-list label", has_text="Peskov thread").wait_for()
    assert sorted(listed(ana)) == sorted(["Peskov thread", "What did the Chinese Embassy say?"])
    ana.context.close()
    ben.context.close()


def test_stop_regenerate_copy_export_examples(browser, server):
    page = logged_in(browser, server, "ben", permissions=["clipboard-read", "clipboard-write"])
    page.locator("#index-summary").get_by_text("Indexed: 1 article from 1 source").wait_for()
    example = page.locator(".example-question").filter(visible=True).first
    example.wait_for()
    assert example.inner_text().startswith("What did ")
    example.click()
    expect(page.locator("#question textarea")).to_have_value(example.inner_text())
    assert page.locator("footer").get_by_text("Settings").count() == 0  # no developer settings for end users

    page.wait_for_timeout(1000)  # the page load reopens ben's latest conversation, if any
    page.locator("#new-chat").click()
    expect(answers(page)).to_have_count(0)
    answer = ask(page, SEED_QUESTION)
    expect(page.locator("#ask")).to_be_enabled()
    expect(page.locator("#stop")).to_be_disabled()
    answer.locator("a.copy-answer").click()
    answer.locator("a.copy-answer", has_text="Copied").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith(answer.locator("p").first.inner_text().strip()[:20]) and "<" not in copied
    assert "\nSources:\n[1] Elon Musk has been in regular contact" in copied and "Associated Press" in copied

    first_text = answer.inner_text()
    page.locator("#regenerate").click()  # answered again in place: still one answer, the same one (extractive)
    page.locator("#ask:disabled").wait_for(state="detached", timeout=ANSWER_TIMEOUT_MS)
    answers(page).first.wait_for()
    assert answers(page).count() == 1 and answers(page).first.inner_text().split("generator:")[0] == \
        first_text.split("generator:")[0]

    page.locator("#export-conversation").click()
    link = page.locator('#export-files a[download$=".md"]').first
    link.wait_for()
    with page.expect_download() as download:
        link.click()
    markdown = open(download.value.path(), encoding="utf-8").read()
    assert markdown.startswith(f"# {SEED_QUESTION}") and f"## 1. {SEED_QUESTION}" in markdown
    assert "- [1] Elon Musk has been in regular contact" in markdown and "## 2." not in markdown

    page.get_by_text("Answer settings").click()
    date_from = page.locator("#date-from input, #date-from textarea").first
    date_from.fill("yesterday")
    date_from.press("Enter")
    page.locator("#filter-problem").get_by_text("cannot read the from date 'yesterday'; use YYYY-MM-DD").wait_for()
    date_from.fill("")
    date_from.press("Enter")
    expect(page.locator("#filter-problem")).to_have_text("")
    # a slow answer to stop: SmolLM2 through llama.cpp
    page.locator("#backend").get_by_label("llamacpp").check()
    page.locator("#question textarea").fill("What did Peskov call the report?")
    page.locator("#ask").click()
    page.locator("#stop:enabled").wait_for()
    checking = page.locator("#chat .answer.streaming", has_text="checking the supporting passages")
    checking.wait_for(timeout=30_000)  # the short answer is shown, SmolLM2's unchecked words are not
    shown = checking.locator("p").inner_text().strip()  # the reader's statement and its markers, nothing after them
    assert "absolutely false information" in shown and re.search(r"(\[\d+\])+$", shown), shown
    page.locator("#stop").click()
    page.locator("#ask:enabled").wait_for(timeout=2000)
    page.wait_for_timeout(8000)  # longer than SmolLM2 takes to finish: a generation that went on would be saved
    assert answers(page).count() == 1 and page.locator("#chat .answer.streaming").count() == 0
    page.reload()
    answers(page).first.wait_for()
    assert answers(page).count() == 1  # nothing of the stopped answer was stored
    page.context.close()


def test_a_citation_opens_as_a_drawer_on_a_narrow_screen_and_markers_are_readable_in_dark_mode(browser, server):
    page = logged_in(browser, server, "ben", viewport={"width": 390, "height": 800})
    answer = ask(page, SEED_QUESTION)
    page.locator("#ask:enabled").wait_for()  # the turn is over: no later update re-renders the page under the click
    answer.scroll_into_view_if_needed()
    before = page.evaluate("window.scrollY")
    card = open_citation(page, answer, 1)
    assert page.evaluate("window.scrollY") == before  # no jump down the page
    assert page.evaluate("getComputedStyle(document.querySelector('#sources .cite-panel')).position") == "fixed"
    box = card.bounding_box()
    assert box and box["y"] < 800 and box["y"] + 40 > 0  # on screen
    page.screenshot(path=str(ARTIFACTS / "chat-narrow-citation.png"))
    page.locator("#sources a.cite-close").click()
    card.wait_for(state="hidden")
    page.context.close()

    dark = logged_in(browser, server, "ben", query="?__theme=dark")
    answer = ask(dark, SEED_QUESTION)
    color = dark.evaluate("getComputedStyle(document.querySelector('#chat a.cite')).color")
    assert color == "rgb(191, 219, 254)", color  # light blue on the dark background
    dark.context.close()


def test_removed_articles_are_marked_and_deleting_needs_confirmation(browser, server):
    ana = logged_in(browser, server, "ana")
    ana.locator("#conversation-list label").first.wait_for()
    ana.locator("#conversation-list label", has_text="Peskov thread").click()
    answers(ana).nth(1).wait_for()
    subprocess.run([sys.executable, "-m", "assistant.cli", "remove", "--index-dir", str(server.index_dir),
                    load_file(SEED, 2**20).articles[0].id], cwd=ROOT, check=True, capture_output=True)
    ana.reload()
    ana.locator("#conversation-list label", has_text="Peskov thread").click()
    answers(ana).nth(1).wait_for()
    card = open_citation(ana, answers(ana).nth(0), 1)
    assert "article removed since" in card.locator(".cite-stale").inner_text()

    ana.locator("#delete-all-conversations").click()
    ana.locator("#confirm-delete").get_by_text("Delete all 2 of your conversations?").wait_for()
    ana.locator("#confirm-delete-no").click()
    ana.locator("#conversation-status").get_by_text("Nothing deleted.").wait_for()
    assert len(listed(ana)) == 2
    ana.locator("#delete-all-conversations").click()
    ana.locator("#confirm-delete-yes").click()
    ana.locator("#conversation-status").get_by_text("Deleted 2 conversations.").wait_for()
    assert listed(ana) == [] and answers(ana).count() == 0
    ana.context.close()
