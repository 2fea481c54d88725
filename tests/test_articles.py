"""Loading articles: every format, boilerplate removal, and every kind of bad input."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from assistant.articles import headline_from_lead, load_file, load_paths, strip_boilerplate
from conftest import FIXTURES, SEED

LIMIT = 5 * 2**20


def only_article(path: Path):
    loaded = load_file(path, LIMIT)
    assert loaded.errors == []
    assert len(loaded.articles) == 1
    return loaded.articles[0]


def only_error(path: Path, max_bytes: int = LIMIT) -> str:
    loaded = load_file(path, max_bytes)
    assert loaded.articles == []
    assert len(loaded.errors) == 1
    assert str(path) in loaded.errors[0].path
    return loaded.errors[0].error


def test_seed_article_has_headline_title_and_no_boilerplate():
    article = only_article(SEED)
    assert article.title.startswith("Elon Musk has been in regular contact with Russian President Vladimir Putin")
    assert "This article is from" not in article.title
    assert article.source == "Associated Press"
    for junk in ("This article is from", "Brought to you by", "Read More", "srnnews", "baltimoreravens"):
        assert junk not in article.body
    assert article.body.startswith("WASHINGTON (AP) — Elon Musk")
    assert "Kremlin spokesman Dmitry Peskov on Friday rejected The Journal’s report" in article.body


def test_article_ids_are_stable_and_distinct():
    assert only_article(SEED).id == only_article(SEED).id
    assert only_article(FIXTURES / "headers.txt").id != only_article(SEED).id


def test_markdown_front_matter_and_boilerplate_lines():
    article = only_article(FIXTURES / "front-matter.md")
    assert article.title == "Council approves the new harbour bridge"
    assert (article.source, article.published_at, article.author) == ("Harbour Gazette", "2024-03-05", "Ana Lima")
    assert article.url == "https://gazette.example/harbour-bridge"
    assert "Read more" not in article.body and "newsletter" not in article.body
    assert "Tom Berg denied" in article.body


def test_text_header_lines():
    article = only_article(FIXTURES / "headers.txt")
    assert article.title == "Storm closes schools across the region"
    assert article.source == "Valley Times" and article.published_at == "2024-01-12"
    assert article.body.startswith("Schools across the region")


def test_markdown_heading_becomes_title(tmp_path: Path):
    path = tmp_path / "story.md"
    path.write_text("# Ferry service resumes\n\nThe ferry resumed service on Monday.\n", encoding="utf-8")
    article = only_article(path)
    assert article.title == "Ferry service resumes"
    assert article.body == "The ferry resumed service on Monday."


def test_html_extracts_article_and_metadata():
    article = only_article(FIXTURES / "page.html")
    assert article.title == "Port strike ends after nine days"
    assert article.source == "Coastal Herald"
    assert article.author == "Lee Chang"
    assert article.published_at.startswith("2024-05-02")
    assert article.url == "https://herald.example/news/port-strike-ends"
    assert "union denied that members had been pressured" in article.body
    for junk in ("tracker", "Home", "Sport", "All rights reserved"):
        assert junk not in article.body


def test_jsonl_keeps_good_lines_and_names_bad_ones():
    loaded = load_file(FIXTURES / "export.jsonl", LIMIT)
    assert [a.id for a in loaded.articles] == ["x-1", "x-2"]
    assert loaded.articles[0].published_at == "2023-12-01T10:00:00+00:00"
    errors = {e.path: e.error for e in loaded.errors}
    assert set(errors) == {f"{FIXTURES / 'export.jsonl'}:3", f"{FIXTURES / 'export.jsonl'}:4"}
    assert "line 3 is not valid JSON" in errors[f"{FIXTURES / 'export.jsonl'}:3"]
    assert "line 4 has no 'body'" in errors[f"{FIXTURES / 'export.jsonl'}:4"]


def test_benchmark_jsonl_loads_every_article():
    loaded = load_file(Path(__file__).resolve().parents[2] / "shared/datasets/multihop-rag/articles.jsonl", 50 * 2**20)
    assert loaded.errors == []
    assert len(loaded.articles) == 609
    assert len({a.id for a in loaded.articles}) == 609


@pytest.mark.parametrize("content, expected", [
    (b"", "is empty"),
    (b"   \n\n  ", "is empty (only white space)"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
])
def test_bad_text_files(tmp_path: Path, content: bytes, expected: str):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    assert expected in only_error(path)


def test_windows_1252_is_decoded(tmp_path: Path):
    path = tmp_path / "legacy.txt"
    path.write_bytes("Caf\u00e9 owners said the \u201cnew rules\u201d were unfair.\n\nThey protested.".encode("cp1252"))
    article = only_article(path)
    assert "Caf\u00e9" in article.body and "\u201cnew rules\u201d" in article.body


def test_size_limit(tmp_path: Path):
    path = tmp_path / "big.txt"
    path.write_text("A sentence about the news.\n" * 2000)
    error = only_error(path, max_bytes=10_000)
    assert "over the" in error and "ASSISTANT_MAX_FILE_MB" in error


@pytest.mark.parametrize("name, content, message", [
    ("garbage.txt", b"Some text \x81\x8d\x8f\x90\x9d and more", "neither UTF-8 nor Windows-1252"),
    ("report.pdf", b"%PDF-1.4", "unsupported type '.pdf'"),
    ("empty.html", b"<html><head><script>var a=1;</script></head><body><nav>Home</nav></body></html>", "no article text"),
])
def test_unreadable_files_are_rejected_with_the_reason(tmp_path: Path, name: str, content: bytes, message: str):
    path = tmp_path / name
    path.write_bytes(content)
    assert message in only_error(path)


def test_directories_missing_paths_and_link_loops(tmp_path: Path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "one.txt").write_text("One\n\nThe first story happened today.")
    (tmp_path / "a" / "two.md").write_text("# Two\n\nThe second story happened too.")
    (tmp_path / "a" / "skip.bin").write_bytes(b"\x00")
    os.symlink(tmp_path / "a", tmp_path / "a" / "b" / "loop")
    (tmp_path / "empty").mkdir()
    results = list(load_paths([tmp_path / "a", tmp_path / "missing.txt", tmp_path / "empty"], LIMIT))
    titles = sorted(a.title for r in results for a in r.articles)
    assert titles == ["One", "Two"]
    errors = [e.error for r in results for e in r.errors]
    assert errors == ["does not exist", "is a directory with no supported files (.txt, .md, .markdown, .html, .htm, .jsonl)"]


def test_boilerplate_rules_are_general():
    text = ("This story was originally published on example.com\nReal first line.\nREAD MORE »\n"
            "Read more about how the council voted on Tuesday, which surprised many residents who had expected a delay in the decision and had said so at length.\n"
            "Brought to you by Acme Media\n___\nAdvertisement\n© 2024 Example News\nLast line.")
    clean, source = strip_boilerplate(text)
    assert source == "example.com"
    assert clean.splitlines() == ["Real first line.",
                                  "Read more about how the council voted on Tuesday, which surprised many residents who had expected a delay in the decision and had said so at length.",
                                  "Last line."]


def test_headline_from_lead_paragraph():
    lead = ("LONDON (Reuters) — The Bank of England, which sets rates for the UK, raised its main rate to 5%, "
            "officials said on Thursday.")
    assert headline_from_lead(lead) == "The Bank of England raised its main rate to 5%"
