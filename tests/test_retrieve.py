"""The hybrid retriever: filters parsed from questions, consistency after update and remove, both sides agreeing."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

import pytest

from assistant import lexical
from assistant.articles import Article
from assistant.retrieve import Filters, HybridRetriever, filters_from_question
from assistant.store import ArticleIndex

SOURCES = ["TechCrunch", "The Verge", "BBC News", "Fortune", "The New York Times", "Sporting News"]


def ts(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=timezone.utc).timestamp())


@pytest.mark.parametrize("question, sources", [
    ("According to TechCrunch, what did the company announce?", ("TechCrunch",)),
    ("Does the Verge article agree with the report from BBC News?", ("The Verge", "BBC News")),
    ("What did the new york times say about it?", ("The New York Times",)),
    ("What did the fortune teller say?", ("Fortune",)),
    ("Which team won on Sunday?", ()),
])
def test_sources_named_in_questions(question: str, sources: tuple[str, ...]):
    assert filters_from_question(question, SOURCES).sources == sources


def test_dates_named_in_questions():
    month = filters_from_question("What did the article published in December 2023 say?", SOURCES)
    assert (month.date_from, month.date_to) == (ts("2023-12-01"), ts("2024-01-01"))
    day = filters_from_question("Which story was reported on October 5, 2023 by Fortune?", SOURCES)
    assert day.sources == ("Fortune",)
    assert day.date_from == ts("2023-10-04") and day.date_to == ts("2023-10-07")
    year = filters_from_question("What did the report from 2022 claim?", SOURCES)
    assert (year.date_from, year.date_to) == (ts("2022-01-01"), ts("2023-01-01"))
    assert not filters_from_question("What happened in 2023 to the company?", SOURCES)  # an event date, not a publication date
    assert not filters_from_question("Who won the election in the state?", SOURCES)


def articles() -> list[Article]:
    return [
        Article(id="ferry", title="Ferry service resumes", source="Harbour Post", published_at="2024-03-01",
                body="The island ferry resumed service on Monday after a two-week strike.\n\nThe union denied that the deal was rushed."),
        Article(id="budget", title="Council passes budget", source="City Times", published_at="2024-04-02",
                body="The city council passed a budget of 40 million euros.\n\nThe mayor said libraries would get more money."),
        Article(id="storm", title="Storm hits coast", source="Harbour Post", published_at="2024-05-03",
                body="A storm closed the harbour on Friday.\n\nFishermen said the ferry could not sail."),
    ]


def visible_ids(index: ArticleIndex) -> set[str]:
    return {chunk_id for chunk_id, _, _ in index.committed_chunks(include=("metadatas",))}


def test_search_finds_evidence_and_both_sides_agree_after_update_and_remove(settings):
    index = ArticleIndex(settings)
    index.index_articles(articles())
    retriever = HybridRetriever.from_settings(index)
    top = retriever.search("Who denied that the ferry deal was rushed?", k=3)
    assert top[0].article_id == "ferry"
    assert "dense_rank" in top[0].scores and "lexical_rank" in top[0].scores
    assert top[0].text == articles()[0].body[top[0].start:top[0].end]
    assert set(lexical.current(index).chunk_ids()) == visible_ids(index)

    index.index_articles([replace(articles()[1], body="The council rejected the budget after a long debate about tram lines.")])
    hits = retriever.search("budget tram lines debate", k=3)
    assert hits[0].article_id == "budget" and "tram" in hits[0].text
    assert not any("libraries" in p.text for p in retriever.search("libraries more money", k=10))
    assert set(retriever.lexical_index().chunk_ids()) == visible_ids(index)

    index.remove(["ferry"])
    assert all(p.article_id != "ferry" for p in retriever.search("ferry strike union", k=10))
    assert set(retriever.lexical_index().chunk_ids()) == visible_ids(index)


def test_filters_restrict_both_sides(settings):
    index = ArticleIndex(settings)
    index.index_articles(articles())
    retriever = HybridRetriever.from_settings(index)
    only_city = retriever.search("ferry", k=10, filters=Filters(sources=("City Times",)))
    assert {p.source for p in only_city} == {"City Times"}
    may = retriever.search("harbour", k=10, filters=Filters(date_from=ts("2024-05-01"), date_to=ts("2024-06-01")))
    assert {p.article_id for p in may} == {"storm"}
    before = retriever.search("harbour", k=10, filters=Filters(date_to=ts("2024-05-03")))  # [from, to): the 3rd is out
    assert before and "storm" not in {p.article_id for p in before}
    named = retriever.search("What did the City Times report about money?", k=10)
    assert {p.source for p in named} == {"City Times"}


def test_cli_index_and_remove_commit_the_lexical_side_with_chroma(settings):
    from assistant.cli import main
    from conftest import SEED

    args = ["--index-dir", str(settings.index_dir)]
    assert main(["index", str(SEED), *args]) == 0
    index = ArticleIndex(settings)
    saved = index.lexical.snapshot(index.committed_state())  # on disk, holding the commit: no rebuild needed
    assert saved is not None and set(saved.chunk_ids()) == visible_ids(index)
    assert main(["remove", *index.committed_versions(), *args]) == 0
    saved = index.lexical.snapshot(index.committed_state())
    assert saved is not None and saved.chunk_ids() == [] and saved.known_sources == []


def test_a_reader_follows_another_writers_commits_by_reopening(settings, caplog):
    reader_index = ArticleIndex(settings)
    retriever = HybridRetriever.from_settings(reader_index)
    assert retriever.search("ferry strike", k=3) == []
    writer = ArticleIndex(settings)  # another process's store object
    writer.index_articles(articles())
    assert retriever.search("Who denied that the ferry deal was rushed?", k=3)[0].article_id == "ferry"
    writer.index_articles([replace(articles()[0], body="The mayor said the ferry deal was signed in March.")])
    assert any("signed in March" in p.text for p in retriever.search("ferry deal signed", k=3))
    assert set(retriever.lexical_index().chunk_ids()) == visible_ids(reader_index)
    assert "rebuilding" not in caplog.text


@pytest.mark.parametrize("damage", ["missing", "corrupt"])
def test_a_missing_or_corrupt_lexical_index_is_rebuilt_from_chroma(settings, caplog, damage):
    import shutil

    index = ArticleIndex(settings)
    index.index_articles(articles())
    directory = lexical.directory_for(settings)
    if damage == "missing":
        shutil.rmtree(directory)
    else:
        (directory / "meta.json").write_text("{not json")
    fresh = ArticleIndex(settings)  # a process started after the damage
    top = HybridRetriever.from_settings(fresh).search("Who denied that the ferry deal was rushed?", k=3)
    assert top[0].article_id == "ferry"
    assert f"the lexical index at {directory}" in caplog.text and "rebuilding it from the Chroma index" in caplog.text
    assert set(lexical.current(fresh).chunk_ids()) == visible_ids(fresh)
    assert fresh.index_articles(articles()).unchanged == len(articles())  # writers go on from the rebuilt index


def test_one_article_does_not_crowd_out_others(settings):
    long_article = Article(id="long", title="Ferry", source="A", body="\n\n".join(
        f"The ferry timetable changes on day {i} with ferry departures every {i} minutes." for i in range(60)))
    other = Article(id="other", title="Ferry fares", source="B", body="Ferry fares rise by 5 percent in June.")
    index = ArticleIndex(settings.model_copy(update={"chunk_tokens": 40, "chunk_overlap_tokens": 0}))
    index.index_articles([long_article, other])
    top = HybridRetriever.from_settings(index, max_per_article=3).search("ferry", k=4)
    assert sum(p.article_id == "long" for p in top) == 3 and any(p.article_id == "other" for p in top)
