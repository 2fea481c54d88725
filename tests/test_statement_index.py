"""Statements stored with the articles (assistant/statement_index.py through ArticleIndex): written under the same
commit, filtered, ranked by a topic, re-extracted for an older extractor without re-embedding chunks, removed with
their article; `assistant statements` on the command line (human, --json, --csv)."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from dataclasses import replace

import pytest

from assistant.articles import load_file
from assistant.config import Settings
from assistant.statement_index import StatementQuery, group_reports
from assistant.statements import EXTRACTOR_VERSION
from assistant.store import ArticleIndex
from conftest import ROOT

SEED_ARTICLES = ROOT / "eval" / "seed" / "articles.jsonl"  # the seed article with its date and source

JSON_FIELDS = {"id", "speaker", "speakers", "speaker_as_written", "speaker_resolved", "speaker_kind", "stance", "verb",
               "statement", "quote", "article_id", "title", "source", "published_at", "start", "end", "quote_start",
               "quote_end"}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    settings = Settings(index_dir=tmp_path_factory.mktemp("statements") / "index")
    index = ArticleIndex(settings)
    article = load_file(SEED_ARTICLES, 2**22).articles[0]
    report = index.index_articles([article])
    return index, article, report


def find(index: ArticleIndex, **fields):
    return index.statements.find(StatementQuery(**fields), index.query_embeddings.embed_query)


def test_indexing_writes_the_statements_with_exact_sentences(seeded):
    index, article, report = seeded
    found = find(index, limit=1000)
    assert report.statements == len(found) >= 30
    for stored in found:
        sentence = article.body[stored.start:stored.end]
        assert sentence.strip() and stored.article_id == article.id and stored.source == "Associated Press"
        if stored.quote is not None:
            assert article.body[stored.quote_start:stored.quote_end].strip("“”\"") .startswith(stored.quote.strip("“”\"")[:20])
        assert stored.speaker.lower() not in {"he", "she", "they", "it", "him", "her", "them"}


def test_the_denials_each_with_their_own_sentence(seeded):
    index, article, _ = seeded
    denials = find(index, stance="deny")
    speakers = [" and ".join(stored.speakers) if len(stored.speakers) > 1 else stored.speaker for stored in denials]
    assert any(s == "Russia" for s in speakers), speakers
    assert any("Peskov" in s for s in speakers), speakers
    joint = [stored for stored in denials if len(stored.speakers) > 1]
    assert joint and {"Trump campaign", "Kremlin"} <= {name.removeprefix("the ").removeprefix("The ")
                                                        for name in joint[0].speakers}, [s.speakers for s in joint]
    peskov = [stored for stored in denials if "absolutely false information" in article.body[stored.start:stored.end]]
    assert peskov and "Peskov" in peskov[0].speaker


def test_filters_speaker_variants_stance_source_dates_article(seeded):
    index, article, _ = seeded
    for variant in ("Peskov", "Dmitry Peskov", "Kremlin spokesman Dmitry Peskov", "dmitry peskov"):
        said = find(index, speaker=variant)
        assert said and all("Peskov" in " ".join([s.speaker, *s.speakers]) for s in said), variant
    declined = find(index, stance="decline")
    assert any("Kirby" in s.speaker for s in declined) and all(s.stance == "decline" for s in declined)
    assert find(index, sources=("Associated Press",)) and not find(index, sources=("Nobody's Gazette",))
    assert find(index, date_from="2024-10-25", date_to="2024-10-25") and not find(index, date_from="2024-10-26")
    assert find(index, article_id=article.id) and not find(index, article_id="elsewhere")
    assert len(find(index, limit=3)) == 3
    with pytest.raises(ValueError, match="unknown stance 'refute'"):
        find(index, stance="refute")
    with pytest.raises(ValueError, match="cannot read the from date"):
        find(index, date_from="last week")


def test_about_ranks_by_topic(seeded):
    index, article, _ = seeded
    ranked = find(index, about="Chinese Embassy", limit=5)
    assert ranked[0].score >= ranked[-1].score and all(s.score is not None for s in ranked)
    assert any("Chinese" in article.body[s.start:s.end] for s in ranked[:2])


def test_reindexing_unchanged_writes_nothing_and_an_older_extractor_is_replaced(tmp_path):
    index = ArticleIndex(Settings(index_dir=tmp_path / "index"))
    article = load_file(SEED_ARTICLES, 2**22).articles[0]
    first = index.index_articles([article])
    again = index.index_articles([article])
    assert (again.chunks, again.statements, again.reextracted) == (0, 0, 0)

    # As if indexed by an older extractor: the record names another one, and its statements are stored under it.
    index.article_collection.update(ids=[article.id], metadatas=[{"statements": "statements-0"}])
    assert find(index) == []  # not the committed extractor: invisible
    chunk_ids = sorted(index.chunk_collection.get(include=[])["ids"])
    redone = index.index_articles([article])
    assert (redone.unchanged, redone.reextracted, redone.chunks, redone.statements) == (1, 1, 0, first.statements)
    assert sorted(index.chunk_collection.get(include=[])["ids"]) == chunk_ids  # chunks untouched
    assert index.committed_statement_versions()[article.id][1] == EXTRACTOR_VERSION
    assert len(find(index, limit=1000)) == first.statements == index.statements.collection.count()


def test_a_changed_article_replaces_its_statements_and_removal_deletes_them(tmp_path):
    index = ArticleIndex(Settings(index_dir=tmp_path / "index"))
    article = load_file(SEED_ARTICLES, 2**22).articles[0]
    index.index_articles([article])
    changed = replace(article, body=article.body.replace("absolutely false information", "a complete fabrication"))
    index.index_articles([changed])
    texts = [s.statement for s in find(index, limit=1000)]
    assert any("complete fabrication" in t for t in texts) and not any("absolutely false" in t for t in texts)
    assert index.statements.collection.count() == len(texts)  # the old version's statements are gone
    index.remove([article.id])
    assert find(index) == [] and index.statements.collection.count() == 0


def test_a_failing_extraction_never_fails_indexing_and_is_tried_again(tmp_path, monkeypatch):
    """Extraction runs in a thread beside the embedding: its error is logged, the article is committed with its chunks
    and no extractor, and the next run extracts it."""
    import assistant.store

    index = ArticleIndex(Settings(index_dir=tmp_path / "index"))
    article = load_file(SEED_ARTICLES, 2**22).articles[0]

    def broken(*args):
        raise MemoryError("parser ran out of memory")

    monkeypatch.setattr(assistant.store, "extract_many", broken)
    monkeypatch.setattr(assistant.store, "extract_statements", broken)
    report = index.index_articles([article])
    assert (report.added, report.statements, report.failed) == (1, 0, [])
    assert report.chunks > 0 and index.committed_statement_versions()[article.id][1] == ""
    monkeypatch.undo()
    monkeypatch.setattr(assistant.store, "extract_many", broken)  # the batch fails: read one by one instead
    again = index.index_articles([article])
    assert (again.unchanged, again.reextracted, again.chunks) == (1, 1, 0) and again.statements > 5


def test_statements_written_before_a_crash_stay_invisible_and_repair_deletes_them(tmp_path):
    index = ArticleIndex(Settings(index_dir=tmp_path / "index"))
    article = load_file(SEED_ARTICLES, 2**22).articles[0]

    class Crash(Exception):
        pass

    def no_commit(*args, **kwargs):
        raise Crash

    index.commit_articles = no_commit  # the commit never happens: as if killed right before it
    with pytest.raises(Crash):
        index.index_articles([article])
    del index.commit_articles
    assert index.statements.collection.count() > 0 and find(index) == []
    index.repair()
    assert index.statements.collection.count() == 0


def test_same_statement_from_several_outlets_is_grouped(seeded):
    index, _, _ = seeded
    one = find(index, stance="deny", speaker="Russia")[0]
    elsewhere = replace(one, id="other", said=replace(one.said, article_id="other-article"), source="Reuters",
                        title="Elsewhere")
    groups = group_reports([one, elsewhere, *find(index, stance="decline")])
    assert groups[0].outlets == ["Associated Press", "Reuters"] and len(groups[0].reports) == 2


def run_cli(*args: str, index_dir) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "assistant.cli", "statements", "--index-dir", str(index_dir), *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=180)


@pytest.mark.parametrize("command", [["articles"], ["remove", "some-id"], ["search", "Peskov"], ["statements"]])
def test_a_command_that_reads_names_a_missing_index_and_creates_none(tmp_path, capsys, command):
    from assistant.cli import main

    mistyped = tmp_path / "no such index"
    assert main([*command, "--index-dir", str(mistyped)]) == 2
    error = capsys.readouterr().err
    assert f"there is no index in {mistyped} (from --index-dir)" in error and "'" + str(mistyped) + "'" in error
    assert not mistyped.exists()


def test_the_command_line(seeded):
    index, article, _ = seeded
    index_dir = index.settings.index_dir
    human = run_cli("--stance", "deny", index_dir=index_dir)
    assert human.returncode == 0, human.stderr
    assert "Russia (government)" in human.stdout and "absolutely false information" in human.stdout
    rows = json.loads(run_cli("--stance", "deny", "--json", index_dir=index_dir).stdout)
    assert rows and all(set(row) == JSON_FIELDS for row in rows)
    assert all(article.body[row["start"]:row["end"]] for row in rows)
    table = list(csv.DictReader(io.StringIO(run_cli("--speaker", "Peskov", "--csv", index_dir=index_dir).stdout)))
    assert table and all("Peskov" in row["speaker"] + row["speakers"] for row in table)
    bad = run_cli("--stance", "refute", index_dir=index_dir)
    assert bad.returncode == 2 and "unknown stance 'refute'; use one of deny, confirm" in bad.stderr
    mistyped = index_dir.parent / "no-such-index"
    missing = run_cli("--stance", "deny", index_dir=mistyped)  # a mistyped path: an error, not "No statements match."
    assert missing.returncode == 2 and f"there is no index in {mistyped}" in missing.stderr, missing.stderr
    assert "assistant index --index-dir" in missing.stderr and not mistyped.exists()
