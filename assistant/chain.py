"""Where the answer is made: the LCEL chain history+question -> standalone question -> retrieve -> evidence
-> generate (streamed) -> check citations -> `Answer`.

`Assistant.stream()` yields {"type": "token", "text"} events while the generator writes, then one
{"type": "answer", "answer": Answer} with the checked text; `Assistant.ask()` returns that Answer.
"""
from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from langchain_core.runnables import Runnable, RunnableGenerator, RunnableLambda, RunnablePassthrough

from .cite import Citation, check_citations
from .config import Settings
from .embedding_cache import CachedEmbeddings
from .evidence import select_evidence, unanswered_reason
from .generators import ABSTAIN_TEXT, generator
from .retrieve import Filters, HybridRetriever
from .store import ArticleIndex

_FOLLOW_UP = re.compile(r"^\s*(and|but|also|so|then|what about|how about)\b|\b(he|she|they|him|her|them|his|hers|their|its|it|"
                        r"that|this|those|these|there|the same|the two|both)\b", re.I)
_ENTITY = re.compile(r"\b[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)*")


def _is_follow_up(question: str, history: Sequence[tuple[str, str]]) -> bool:
    return bool(history) and bool(_FOLLOW_UP.search(question))


def _history_entities(question: str, history: Sequence[tuple[str, str]]) -> list[str]:
    """Names in the previous answer that the question does not already contain (pronoun antecedents)."""
    answer_text = re.sub(r"\[\d+\]", "", history[-1][1])
    known = question.lower()
    entities: list[str] = []
    for entity in _ENTITY.findall(answer_text):
        if entity.lower() not in known and entity not in entities and entity.lower() not in {"the", "a", "an", "i"}:
            entities.append(entity)
    return entities[:8]


def condense_question(question: str, history: Sequence[tuple[str, str]]) -> str:
    """The retrieval query of a follow-up question: it, the previous question, and the names of the previous
    answer, so "And what did he say?" retrieves like the turn it follows. Other questions are unchanged."""
    if not _is_follow_up(question, history):
        return question
    return " ".join(part for part in (question, history[-1][0], " ".join(_history_entities(question, history))) if part)


def focus_question(question: str, history: Sequence[tuple[str, str]]) -> str:
    """What evidence is scored against: the question, plus for a follow-up the names its pronouns may point to."""
    if not _is_follow_up(question, history):
        return question
    return " ".join([question, *_history_entities(question, history)])


@dataclass
class Answer:
    """A checked answer: every sentence of `answer` carries [n] markers resolved by `citations`."""

    question: str
    standalone_question: str
    answer: str
    abstained: bool
    citations: list[Citation]
    backend: str
    timings_ms: dict[str, float] = field(default_factory=dict)
    corrections: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The JSON object of `assistant ask --json` and of the chat's `/ask` API."""
        return {"question": self.question, "standalone_question": self.standalone_question, "answer": self.answer,
                "abstained": self.abstained, "citations": [c.as_dict() for c in self.citations],
                "backend": self.backend, "timings_ms": self.timings_ms, "corrections": self.corrections}


def abstention(question: str, standalone: str, backend: str, timings: dict[str, float]) -> Answer:
    return Answer(question, standalone, f"{ABSTAIN_TEXT} I found no passage in them that answers this question.",
                  True, [], backend, timings)


class Assistant:
    """Answers questions over one article index. Safe to share between threads (the chat serves many users)."""

    def __init__(self, settings: Settings, index: ArticleIndex | None = None):
        self.settings = settings
        self.index = index or ArticleIndex(settings)
        self.retriever = HybridRetriever.from_settings(self.index, k=settings.answer_passages)
        self.sentence_embeddings = CachedEmbeddings(lambda: self.index.embeddings)  # evidence and citation check
        self._chains: dict[str, Runnable] = {}
        self._lock = threading.Lock()

    def warm_up(self) -> None:
        """Load now what the first question would otherwise wait for: the embedding model, the BM25 side, the
        default generator and the modules the chain imports on first use (by answering one throwaway question)."""
        self.chain(self.settings.generator)
        self.ask("What did the spokesperson say about the report?")

    def chain(self, backend: str) -> Runnable:
        """The LCEL chain for one generator backend (built once)."""
        with self._lock:
            if backend not in self._chains:
                self._chains[backend] = self._build(backend)
            return self._chains[backend]

    def _build(self, backend: str) -> Runnable:
        generate = generator(self.settings, backend)

        def timed(stage: str, function):
            def run(state: dict) -> Any:
                started = time.perf_counter()
                result = function(state)
                state["timings"][stage] = round((time.perf_counter() - started) * 1000, 1)
                return result
            return RunnableLambda(run)

        def retrieve(state: dict):
            return self.retriever.search(state["standalone"], k=state.get("k") or self.settings.answer_passages,
                                         filters=state.get("filters"))

        def evidence(state: dict):
            focus = focus_question(state["question"], state["history"])
            chosen = select_evidence(focus, state["passages"], self.sentence_embeddings,
                                     max_items=self.settings.evidence_max_items, min_score=self.settings.evidence_min_score)
            reason = unanswered_reason(state["question"], chosen, self.settings.answer_min_coverage)
            state["notes"]["abstain_reason"] = reason
            return [] if reason else chosen

        def answer_events(parts: Iterator[dict]) -> Iterator[dict]:
            state: dict = {}
            for part in parts:  # streamed `assign` steps deliver the state in pieces
                state.update(part)
            timings = state["timings"]
            if not state["evidence"]:
                timings["total"] = round((time.perf_counter() - state["started"]) * 1000, 1)
                result = abstention(state["question"], state["standalone"], backend, timings)
                result.corrections = [f"abstained: {state['notes'].get('abstain_reason') or 'no evidence'}"]
                yield {"type": "answer", "answer": result}
                return
            started = time.perf_counter()
            pieces: list[str] = []
            for piece in generate.stream({"question": state["standalone"], "evidence": state["evidence"]}):
                if not pieces:
                    timings["first_token"] = round((time.perf_counter() - state["started"]) * 1000, 1)
                pieces.append(piece)
                yield {"type": "token", "text": piece}
            timings["generate"] = round((time.perf_counter() - started) * 1000, 1)
            raw = "".join(pieces).strip()
            started = time.perf_counter()
            checked = check_citations(raw, state["evidence"], self.sentence_embeddings)
            timings["check"] = round((time.perf_counter() - started) * 1000, 1)
            timings["total"] = round((time.perf_counter() - state["started"]) * 1000, 1)
            if not checked.citations:  # nothing the generator wrote is supported (or it declined)
                result = abstention(state["question"], state["standalone"], backend, timings)
                result.corrections = checked.corrections
            else:
                result = Answer(state["question"], state["standalone"], checked.text, False, checked.citations,
                                backend, timings, checked.corrections)
            yield {"type": "answer", "answer": result}

        return (RunnablePassthrough.assign(standalone=timed("condense", lambda s: condense_question(s["question"], s["history"])))
                | RunnablePassthrough.assign(passages=timed("retrieve", retrieve))
                | RunnablePassthrough.assign(evidence=timed("evidence", evidence))
                | RunnableGenerator(answer_events))

    def stream(self, question: str, history: Sequence[tuple[str, str]] = (), backend: str | None = None,
               k: int | None = None, filters: Filters | None = None) -> Iterator[dict]:
        """Token events while the answer is generated, then the checked answer event."""
        question = question.strip()
        if not question:
            raise ValueError("the question is empty")
        state = {"question": question, "history": list(history), "k": k, "filters": filters,
                 "timings": {}, "notes": {}, "started": time.perf_counter()}
        yield from self.chain(backend or self.settings.generator).stream(state)

    def ask(self, question: str, history: Sequence[tuple[str, str]] = (), backend: str | None = None,
            k: int | None = None, filters: Filters | None = None) -> Answer:
        """The checked answer (the last event of `stream`)."""
        final = None
        for event in self.stream(question, history, backend, k, filters):
            if event["type"] == "answer":
                final = event["answer"]
        assert final is not None
        return final
