"""The Statements tab in a real browser (Debian's Chromium via Playwright) against `python app.py` on the seed article:
list the denials, open one with its sentence highlighted and its speaker's view, filter by a speaker's name variant,
and a bad date named in the status."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from conftest import ARTIFACTS, app_page, chat_server_fixture

pytestmark = pytest.mark.slow
server = chat_server_fixture("statements-browser")


def list_with(page, speaker: str = "", stance: str = "any", date_from: str = "") -> str:
    """Set the filters, press List, and return the status once it changed (each case below gives another one)."""
    status = page.locator("#st-status")
    before = status.inner_text()
    page.locator("#st-speaker textarea, #st-speaker input").first.fill(speaker)
    page.locator("#st-from textarea, #st-from input").first.fill(date_from)
    page.locator("#st-stance input").click()
    page.get_by_role("option", name=stance, exact=True).click()
    page.locator("#st-list").click()
    expect(status).not_to_have_text(before)
    # the new status itself, not Gradio's progress timer over the old one ("0.1s\n\n8 statements." under load)
    expect(status).to_have_text(re.compile(r"^\s*(\d+ statements|No statement|Not listed)"))
    expect(page.locator("#st-table")).not_to_contain_text("processing")  # the table is filled after the status
    return status.inner_text()


def test_list_open_and_filter_statements(browser, server):
    with app_page(browser, server.url) as page:
        page.get_by_role("tab", name="Statements").click()
        page.locator("#st-list").wait_for()
        assert re.match(r"\d+ statements", list_with(page, stance="deny"))
        table = page.locator("#st-table")
        expect(table.get_by_text("Russia", exact=True)).to_be_visible()
        expect(table.get_by_text("Peskov", exact=False).first).to_be_visible()
        table.get_by_text("Russia", exact=True).click()
        mark = page.locator("#st-passage mark")
        expect(mark).to_have_text("Russia has denied the conversations took place.")
        expect(page.locator("#st-passage")).to_contain_text("Associated Press")
        expect(page.locator("#st-speaker-view")).to_contain_text("Everything Russia said")
        page.screenshot(path=str(ARTIFACTS / "statements-tab.png"), full_page=True)

        list_with(page, speaker="Kremlin spokesman Dmitry Peskov")
        table_text = page.locator("#st-table").inner_text()
        assert "Peskov" in table_text and "Russia" not in table_text and "Kirby" not in table_text, table_text

        assert "Not listed: cannot read the from date" in list_with(page, date_from="yesterday-ish")
