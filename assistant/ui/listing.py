"""The table of indexed articles: the index's article list searched, as table rows, and the line that counts it.
No Gradio here; rows are `ArticleIndex.list_articles()` items."""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

Listed = dict[str, Any]  # an ArticleIndex.list_articles() item: id, title, source, published_at, url, author, path, chunks

TABLE_HEADERS = ["id", "title", "source", "published", "chunks"]
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def search_articles(rows: Sequence[Listed], query: str | None) -> list[Listed]:
    """The rows whose title, source or id holds every word of `query` (case-insensitive), in their order; all of
    them for a blank query."""
    words = (query or "").casefold().split()
    return [row for row in rows
            if all(word in f"{row['title']}\n{row['source']}\n{row['id']}".casefold() for word in words)]


def table_rows(rows: Sequence[Listed]) -> list[list]:
    """The articles table's rows (see TABLE_HEADERS): the publication date is cut to its day."""
    return [[row["id"], row["title"], row["source"], row["published_at"][:10], row["chunks"]] for row in rows]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' * (count != 1)}"


def count_line(shown: int, rows: Sequence[Listed]) -> str:
    """What the index holds, e.g. '609 articles from 12 sources, 2023-09-26 to 2023-12-30', preceded by
    'showing 3 of ' when a search shows `shown` of them. The dates span the articles whose date starts with
    YYYY-MM-DD (other dates are left out), so the line holds digits and words of ours only."""
    if not rows:
        return "No articles indexed yet."
    sources = len({row["source"] for row in rows if row["source"]})
    days = sorted(row["published_at"][:10] for row in rows if _DAY.match(row["published_at"]))
    line = _plural(len(rows), "article") + (f" from {_plural(sources, 'source')}" if sources else "")
    line += f", {days[0]} to {days[-1]}" if days else ""
    return line if shown == len(rows) else f"showing {shown} of {line}"
