"""Answering with checked citations on the seed article: evidence, abstention, follow-ups, the checker, the CLI."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from assistant.articles import load_file
from assistant.chain import Assistant
from assistant.followups import standalone_question
from assistant.cite import check_citations, split_answer
from assistant.config import Settings
from assistant.evidence import attribution_family, select_evidence
from assistant.store import ArticleIndex
from conftest import ROOT

SEED_ARTICLES = ROOT / "eval" / "seed" / "articles.jsonl"
DENIAL = "Russia has denied the conversations took place."


@pytest.fixture(scope="module")
def seed_settings(tmp_path_factory) -> Settings:
    settings = Settings(index_dir=tmp_path_factory.mktemp("seed") / "index")
    ArticleIndex(settings).index_articles(load_file(SEED_ARTICLES, 2**24).articles)
    return settings


@pytest.fixture(scope="module")
def assistant(seed_settings: Settings) -> Assistant:
    return Assistant(seed_settings)


@pytest.fixture(scope="module")
def body(assistant: Assistant) -> str:
    return assistant.index.get_article("seed-musk-putin-ap").body


def test_who_denied_names_russia_and_peskov_with_exact_quotes(assistant: Assistant, body: str):
    answer = assistant.ask("Who denied that Musk and Putin had been in contact?")
    assert not answer.abstained
    assert "Russia" in answer.short_answer and "Peskov" in answer.short_answer and answer.answer.startswith(answer.short_answer)
    quotes = " ".join(c.quote for c in answer.citations)
    assert DENIAL in quotes and "Peskov" in quotes
    for citation in answer.citations:
        assert body[citation.start:citation.end] == citation.quote
        assert citation.title and citation.source == "Associated Press" and citation.published_at == "2024-10-25"
        assert f"[{citation.marker}]" in answer.answer
    markers = sorted(int(m) for m in __import__("re").findall(r"\[(\d+)\]", answer.answer))
    assert set(markers) == {c.marker for c in answer.citations}


def test_question_the_article_cannot_answer_abstains(assistant: Assistant):
    for question in ("How many Starlink satellites does SpaceX currently operate?",
                     "How much did SpaceX receive in NASA contracts in 2023?",
                     "Which football team won the 2019 championship?"):
        answer = assistant.ask(question)
        assert answer.abstained, (question, answer.answer)
        assert answer.citations == [] and answer.answer.startswith("The indexed articles don't say")


def test_follow_up_uses_the_history(assistant: Assistant):
    history = [("Who denied that Musk and Putin had been in contact?",
                "Russia denied the conversations took place; Kremlin spokesman Dmitry Peskov rejected the report. [1]")]
    assert standalone_question("And what did he say about their one conversation?", history) == \
        "And what did Dmitry Peskov say about Musk and Putin’s one conversation?"
    answer = assistant.ask("And what did he say about their one conversation?", history)
    assert "medium-length phone conversation" in answer.answer
    alone = assistant.ask("And what did he say about their one conversation?")
    assert alone.standalone_question == "And what did he say about their one conversation?"


def test_attribution_cues():
    assert attribution_family("Who denied that they met?") == "deny"
    assert attribution_family("Who declined to comment on the calls?") == "decline"
    assert attribution_family("What did the Kremlin say?") == "say"
    assert attribution_family("How many times did they meet?") is None


def test_checker_recites_wrong_markers_and_removes_unsupported_claims(assistant: Assistant):
    passages = assistant.retriever.search("Who denied that Musk and Putin had been in contact?", k=8)
    evidence = select_evidence("Who denied that Musk and Putin had been in contact?", passages, assistant.index.embeddings)
    denial = next(i for i, e in enumerate(evidence, start=1) if DENIAL in e.quote)
    wrong = 1 if denial != 1 else 2
    assert len(evidence) >= 2
    raw = f"Russia has denied the conversations took place [{wrong}]. Musk flew to Moscow in 2021 to sign a treaty [1]."
    checked = check_citations(raw, evidence, assistant.index.embeddings)
    assert "Moscow" not in checked.text
    assert any("removed unsupported" in c for c in checked.corrections)
    assert any("re-cited" in c for c in checked.corrections)
    assert len(checked.citations) == 1 and DENIAL in checked.citations[0].quote
    assert checked.text == "Russia has denied the conversations took place [1]"


def test_split_answer_reads_markers():
    assert split_answer("A said x [1]. B said y [2][3]. Unmarked tail. Another one.") == [
        ("A said x", [1]), (". B said y", [2, 3]), ("Unmarked tail.", []), ("Another one.", [])]


def test_ask_cli_json(seed_settings: Settings):
    result = subprocess.run([sys.executable, "-m", "assistant.cli", "ask", "What did John Kirby say?", "--json",
                             "--index-dir", str(seed_settings.index_dir)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert set(answer) >= {"question", "answer", "abstained", "citations", "timings_ms"}
    assert "no information to share" in answer["answer"]
    citation = answer["citations"][0]
    assert set(citation) >= {"marker", "article_id", "title", "source", "published_at", "chunk_id", "quote", "start", "end"}


def test_asking_again_encodes_no_sentence_again(seed_settings: Settings):
    assistant = Assistant(seed_settings)
    first = assistant.ask("What did the Kremlin say about the report?")
    encoded = assistant.sentence_embeddings.encoded
    assert encoded > 0
    second = assistant.ask("What did the Kremlin say about the report?")
    assert assistant.sentence_embeddings.encoded == encoded and second.answer == first.answer
