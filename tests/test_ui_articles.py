"""The Articles tab's pure helpers: table search and count line, the pasted date's check, the indexing progress and
summary texts, and the escaped HTML of the article view, the removal selection and its question."""
from __future__ import annotations

import re

from assistant.articles import Article
from assistant.store import IndexProgress
from assistant.ui.listing import count_line, search_articles, table_rows
from assistant.ui.render import article_html, note_html, removal_question_html, selection_html
from assistant.ui.uploads import date_problem, progress_text, results_summary

HOSTILE = '<img src=x onerror="window.__xss=1"><script>alert(1)</script>'


def listed(article_id: str, title: str, source: str, published_at: str, chunks: int = 3) -> dict:
    return {"id": article_id, "title": title, "source": source, "published_at": published_at, "url": "", "author": "",
            "path": f"/uploads/{article_id}.txt", "chunks": chunks}


ROWS = [listed("ap-musk", "Musk and Putin talk", "Associated Press", "2023-10-25T10:00:00"),
        listed("bbc-harbor", "Harbor opens a LIBRARY", "BBC", "2023-09-26"),
        listed("bbc-rail", "Railway strike ends", "BBC", "2023-12-30T08:00:00Z"),
        listed("undated-note", "A note", "", "last spring")]


def test_search_matches_every_word_in_title_source_or_id_case_insensitively():
    assert search_articles(ROWS, "") == ROWS and search_articles(ROWS, None) == ROWS and search_articles(ROWS, "  ") == ROWS
    assert [row["id"] for row in search_articles(ROWS, "library")] == ["bbc-harbor"]  # title, any case
    assert [row["id"] for row in search_articles(ROWS, "bbc")] == ["bbc-harbor", "bbc-rail"]  # source and id
    assert [row["id"] for row in search_articles(ROWS, "AP-MUSK")] == ["ap-musk"]  # id
    assert [row["id"] for row in search_articles(ROWS, "bbc strike")] == ["bbc-rail"]  # every word, any field
    assert search_articles(ROWS, "bbc musk") == [] and search_articles(ROWS, "nothing like it") == []
    assert table_rows(ROWS[:1]) == [["ap-musk", "Musk and Putin talk", "Associated Press", "2023-10-25", 3]]


def test_count_line_counts_articles_sources_and_dates_and_what_a_search_shows():
    assert count_line(4, ROWS) == "4 articles from 2 sources, 2023-09-26 to 2023-12-30"  # 'last spring' is no day
    assert count_line(1, ROWS) == "showing 1 of 4 articles from 2 sources, 2023-09-26 to 2023-12-30"
    assert count_line(0, ROWS).startswith("showing 0 of 4 articles")
    assert count_line(1, ROWS[:1]) == "1 article from 1 source, 2023-10-25 to 2023-10-25"
    assert count_line(1, ROWS[3:]) == "1 article"
    assert count_line(0, []) == "No articles indexed yet."
    hostile = [listed("x", HOSTILE, HOSTILE, HOSTILE)]
    assert count_line(1, hostile) == "1 article from 1 source"  # nothing of the article's own text


def test_pasted_dates_are_checked_with_the_stores_reading():
    assert date_problem("yesterday") == "'yesterday' is not a date; use YYYY-MM-DD"
    assert date_problem("  next\nweek ") == "'next week' is not a date; use YYYY-MM-DD"
    assert date_problem("2024-13-45") == "'2024-13-45' is not a date; use YYYY-MM-DD"
    assert date_problem("1970-01-01") != ""  # the index would take it for undated
    assert date_problem("2024-05-02") == date_problem("2024-05-02T10:00:00Z") == date_problem("May 2, 2024") == ""
    assert date_problem("") == date_problem(None) == date_problem("   ") == ""  # no date is allowed
    assert note_html(date_problem(HOSTILE), "field-error").startswith('<p class="field-error">&#x27;&lt;img src=x')


def test_progress_and_summary_texts():
    assert progress_text(IndexProgress(12, 30, 340, 820)) == "Indexing: 12 / 30 articles, 340 / 820 chunks embedded"
    assert IndexProgress(0, 30, 0, 0).fraction == 0 and IndexProgress(30, 30, 820, 820).fraction == 1
    assert IndexProgress(0, 0, 0, 0).fraction == 1  # nothing to do is done
    rows = [["a.txt", "A", "added", ""], ["b.txt", "", "failed", "b.txt is empty"], ["c.txt", "C", "added", ""],
            ["d.txt", "D", "unchanged", ""]]
    assert results_summary(rows) == "Done: 2 added, 1 unchanged, 1 failed (see the indexing results)."
    assert results_summary([]) == "Nothing was indexed."


def test_article_view_shows_every_field_escaped():
    article = Article(id='id-"1"', title=f"Title {HOSTILE}", body=f"First line.\n\nBody {HOSTILE} & more.",
                      source="<b>Source</b>", published_at="2024-05-02<i>", url="javascript:alert(1)",
                      author="Ana <em>Ruiz</em>", path="/uploads/a.txt")
    view = article_html(article, 7)
    assert "<script>" not in view and "<img" not in view and "<b>" not in view and "<em>" not in view
    assert "javascript:alert(1)" in view and "href" not in view  # a script URL is text, never a link
    assert f"Title {HOSTILE}".replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;") in view
    assert "Body &lt;img src=x onerror=&quot;window.__xss=1&quot;&gt;" in view and "&amp; more." in view
    assert "First line.\n\nBody" in view  # line breaks kept (the body is shown pre-wrapped)
    assert "<dt>Chunks</dt><dd>7</dd>" in view and "<code>id-&quot;1&quot;</code>" in view
    assert "Ana &lt;em&gt;Ruiz&lt;/em&gt;" in view and "2024-05-02&lt;i&gt;" in view

    linked = article_html(Article(id="a", title="", body="", url='https://example.org/a?x="1"&y=<2>'), 0)
    assert ('<a href="https://example.org/a?x=&quot;1&quot;&amp;y=&lt;2&gt;" target="_blank" '
            'rel="noopener noreferrer">https://example.org/a?x=&quot;1&quot;&amp;y=&lt;2&gt;</a>') in linked
    assert "Untitled" in linked and "unknown" in linked and "undated" in linked
    assert "Click a row" in article_html(None)


def test_removal_selection_and_question_name_the_articles_escaped():
    selection = [["a-1", f"First {HOSTILE}"], ["b<2>", ""], ["c-3", "Third"]]
    listed_html = selection_html(selection)
    assert "Selected for removal (3):" in listed_html and "<img" not in listed_html and "<script>" not in listed_html
    assert "<code>b&lt;2&gt;</code>" in listed_html and "Untitled" in listed_html
    assert "No articles selected" in selection_html([])
    question = removal_question_html(selection)
    assert "Remove 3 articles? This cannot be undone." in question and "<img" not in question
    assert re.search(r"Remove 1 article\? This cannot be undone\.", removal_question_html(selection[2:]))
    assert len(re.findall("<li>", question)) == 3
