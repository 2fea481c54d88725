"""Generative backends with real components: llama.cpp in-process, and the openai backend against a real
`python -m llama_cpp.server` (an OpenAI-compatible endpoint) on 127.0.0.1. Whatever the small model writes,
the checked answer only keeps claims supported by the cited passages."""
from __future__ import annotations

import pytest

from assistant.articles import load_file
from assistant.chain import Assistant
from assistant.config import Settings
from assistant.generators import BackendUnavailable, available_backends, evidence_block
from assistant.store import ArticleIndex
from bench.harness import smollm2_server
from conftest import ROOT

QUESTION = "Who denied that Musk and Putin had been in contact?"


@pytest.fixture(scope="module")
def seed_settings(tmp_path_factory) -> Settings:
    settings = Settings(index_dir=tmp_path_factory.mktemp("gen") / "index")
    ArticleIndex(settings).index_articles(load_file(ROOT / "eval/seed/articles.jsonl", 2**24).articles)
    return settings


def assert_grounded(answer, body: str) -> None:
    """Every citation quotes the article exactly, and every marker in the text resolves to a citation."""
    import re

    assert answer.abstained or answer.citations
    markers = {int(m) for m in re.findall(r"\[(\d+)\]", answer.answer)}
    assert markers == {c.marker for c in answer.citations}
    for citation in answer.citations:
        assert body[citation.start:citation.end] == citation.quote


def test_backends_listed_and_misconfiguration_is_clear(seed_settings: Settings):
    assert available_backends(seed_settings)[:2] == ["extractive", "llamacpp"]
    with pytest.raises(BackendUnavailable, match="ASSISTANT_OPENAI_BASE_URL"):
        Assistant(seed_settings).ask(QUESTION, backend="openai")
    broken = seed_settings.model_copy(update={"llamacpp_model": "/nonexistent/model.gguf"})
    with pytest.raises(BackendUnavailable, match="no GGUF model file"):
        Assistant(broken).ask(QUESTION, backend="llamacpp")


@pytest.mark.slow
def test_llamacpp_backend_streams_and_stays_grounded(seed_settings: Settings):
    assistant = Assistant(seed_settings)
    events = list(assistant.stream(QUESTION, backend="llamacpp"))
    assert any(e["type"] == "token" for e in events)
    answer = events[-1]["answer"]
    assert answer.backend == "llamacpp" and "first_token" in answer.timings_ms
    assert_grounded(answer, assistant.index.get_article("seed-musk-putin-ap").body)


@pytest.mark.slow
def test_openai_backend_against_a_real_llama_cpp_server(seed_settings: Settings):
    with smollm2_server() as (base_url, _):
        settings = seed_settings.model_copy(update={"openai_base_url": base_url, "openai_model": "smollm2"})
        assistant = Assistant(settings)
        assert "openai" in available_backends(settings)
        events = list(assistant.stream(QUESTION, backend="openai"))
        assert sum(e["type"] == "token" for e in events) > 1  # streamed from the server
        answer = events[-1]["answer"]
        assert answer.backend == "openai"
        assert_grounded(answer, assistant.index.get_article("seed-musk-putin-ap").body)
        unanswerable = assistant.ask("How many Starlink satellites does SpaceX currently operate?", backend="openai")
        assert unanswerable.abstained and unanswerable.citations == []


def test_evidence_block_numbers_passages_with_their_sources(seed_settings: Settings):
    assistant = Assistant(seed_settings)
    from assistant.evidence import select_evidence

    evidence = select_evidence(QUESTION, assistant.retriever.search(QUESTION), assistant.index.embeddings)
    block = evidence_block(evidence)
    assert block.startswith('[1] "') and "Associated Press" in block and "2024-10-25" in block
