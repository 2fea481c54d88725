"""Chunking: sentence boundaries, token limits, overlap, exact offsets."""
from __future__ import annotations

import pytest

from assistant.articles import Article, load_file
from assistant.chunking import chunk_article, sentence_spans
from assistant.offline import tiktoken_encoding
from conftest import SEED


@pytest.fixture(scope="module")
def seed():
    return load_file(SEED, 2**22).articles[0]


@pytest.mark.parametrize("size, overlap", [(64, 0), (120, 30), (200, 40), (400, 80)])
def test_offsets_round_trip_and_sizes_stay_within_limits(seed: Article, size: int, overlap: int):
    chunks = chunk_article(seed, size, overlap)
    encoding = tiktoken_encoding()
    assert chunks[0].start == 0 and chunks[-1].end == len(seed.body.rstrip())
    for chunk in chunks:
        assert seed.body[chunk.start:chunk.end] == chunk.text
        assert chunk.tokens == len(encoding.encode(chunk.text)) <= size
    for before, after in zip(chunks, chunks[1:]):
        assert after.start > before.start
        assert after.start <= before.end + 2  # no gap beyond the separator between sentences


def test_chunks_end_on_sentence_boundaries_and_overlap(seed: Article):
    chunks = chunk_article(seed, 120, 40)
    ends = {end for _, end in sentence_spans(seed.body)}
    starts = {start for start, _ in sentence_spans(seed.body)}
    assert all(chunk.end in ends and chunk.start in starts for chunk in chunks)
    assert sum(1 for a, b in zip(chunks, chunks[1:]) if b.start < a.end) >= len(chunks) // 2


def test_no_chunk_contains_boilerplate(seed: Article):
    for chunk in chunk_article(seed, 200, 40):
        assert "This article is from" not in chunk.embed_text
        assert "Brought to you by" not in chunk.text and "Read More" not in chunk.text


def test_embedded_text_carries_title_source_and_date():
    article = Article(id="a", title="Dam opens", body="The dam opened today. Crowds came.", source="River Post",
                      published_at="2024-02-03T10:00:00+00:00")
    chunk = chunk_article(article, 200, 0)[0]
    assert chunk.embed_text == "Dam opens\nRiver Post | 2024-02-03\n\nThe dam opened today. Crowds came."
    assert chunk_article(article, 200, 0, embed_metadata=False)[0].embed_text == chunk.text


def test_over_long_sentence_is_split_by_tokens():
    body = "word " * 500 + "end."
    article = Article(id="long", title="Long", body=body.strip())
    chunks = chunk_article(article, 100, 0)
    assert len(chunks) >= 5
    assert "".join(body.strip()[c.start:c.end] for c in chunks).replace(" ", "") == body.strip().replace(" ", "")
    assert all(c.tokens <= 100 for c in chunks)


def test_chunk_ids_are_deterministic_and_versioned(seed: Article):
    first = [c.id for c in chunk_article(seed, 200, 40)]
    assert first == [c.id for c in chunk_article(seed, 200, 40)]
    assert first[0].startswith(f"{seed.id}:")
    assert chunk_article(seed, 200, 40, version="v2")[0].id == f"{seed.id}:v2:0000"


def test_sentence_spans_split_lines_and_sentences():
    text = "First line. Second sentence!\n\n  Mr. Smith went to Washington.  \nLast"
    assert [text[s:e] for s, e in sentence_spans(text)] == ["First line.", "Second sentence!", "Mr. Smith went to Washington.", "Last"]
    # a person's title never ends a sentence, even after a quote mark; a street's abbreviation may
    text = ('She was his girlfriend. "Mr. Wang, do you see them here," Roos asked. The shop is on Main St. '
            'It was No. 1. Then it rained.')
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "She was his girlfriend.", '"Mr. Wang, do you see them here," Roos asked.', "The shop is on Main St.",
        "It was No. 1.", "Then it rained."]
    # a page's "Loading" placeholder is no word of the sentence it runs into (a "Loading dock" is)
    text = "Shares fell 2 per cent. Loading Kmart did not respond. Loading docks were full."
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "Shares fell 2 per cent.", "Loading", "Kmart did not respond.", "Loading docks were full."]
