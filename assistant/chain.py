"""Where the answer is made: the LCEL chain history+question -> standalone question (`followups`) -> question plan
(`questions`) -> retrieve per part -> evidence -> read (`reader`) -> generate (streamed) -> check citations -> `Answer`.

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

from .cite import MARKER, Citation, check_citations
from .config import Settings
from .embedding_cache import CachedEmbeddings
from .evidence import candidate_sentences, score_sentences, unanswered_reason
from .followups import prior_turns, standalone_question
from .generators import generator
from .questions import QuestionPlan, analyse
from .reader import Reading, abstention_text, read
from .retrieve import Filters, HybridRetriever
from .store import ArticleIndex

def without_short_answer(text: str, statement: str) -> str:
    """A generated text without a repeat of the reader's opening statement (the chain puts that first itself)."""
    body = statement.strip().rstrip(".").strip()
    stripped = text.lstrip()
    if body and stripped.lower().startswith(body.lower()) and re.match(r"\s*(?:[.:\[]|$)", stripped[len(body):]):
        rest = stripped[len(body):].lstrip(" .:")
        return re.sub(r"^(?:\s*\[\d+(?:\s*,\s*\d+)*\])+", "", rest).lstrip(" .")
    return text


@dataclass
class Answer:
    """A checked answer: it begins with the short answer, and every sentence carries [n] markers resolved by
    `citations`. `short_answer` (plain text, no markers) is None exactly when `abstained` is true;
    `short_answer_citations` are the markers that support it; `reading` is the reader's work (parts and checks)."""

    question: str
    standalone_question: str
    answer: str
    abstained: bool
    citations: list[Citation]
    backend: str
    timings_ms: dict[str, float] = field(default_factory=dict)
    corrections: list[str] = field(default_factory=list)
    answer_type: str = "description"
    short_answer: str | None = None
    short_answer_citations: list[int] = field(default_factory=list)
    speakers: list[str] = field(default_factory=list)
    reading: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The JSON object of `assistant ask --json` and of the chat's `/ask` API."""
        return {"question": self.question, "standalone_question": self.standalone_question,
                "answer_type": self.answer_type, "short_answer": self.short_answer,
                "short_answer_citations": self.short_answer_citations, "speakers": self.speakers, "answer": self.answer,
                "abstained": self.abstained, "citations": [c.as_dict() for c in self.citations],
                "backend": self.backend, "timings_ms": self.timings_ms, "corrections": self.corrections,
                "reading": self.reading}


def abstention(question: str, standalone: str, backend: str, timings: dict[str, float], plan: QuestionPlan | None = None,
               reason: str | None = None) -> Answer:
    """The answer that says what the articles don't establish (no citations)."""
    text = abstention_text(standalone, reason or "no passage in them answers this question")
    return Answer(question, standalone, text, True, [], backend, timings,
                  answer_type=plan.answer_type if plan else "description",
                  reading={"plan": plan.as_dict() if plan else {}, "abstain_reason": reason})


class Assistant:
    """Answers questions over one article index. Safe to share between threads (the chat serves many users)."""

    def __init__(self, settings: Settings, index: ArticleIndex | None = None):
        self.settings = settings
        self.index = index or ArticleIndex(settings)
        self.retriever = HybridRetriever.from_settings(self.index, k=settings.answer_passages)
        self.sentence_embeddings = CachedEmbeddings(lambda: self.index.query_embeddings)  # evidence and citation check
        self._chains: dict[str, Runnable] = {}
        self._lock = threading.Lock()

    def warm_up(self) -> None:
        """Load now what the first question would otherwise wait for: the embedding model, the lexical side, the
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

        def plan(state: dict) -> QuestionPlan:
            return analyse(state["standalone"], self.retriever.known_sources())

        def retrieve(state: dict):
            parts = [part.text for part in state["plan"].parts]
            return self.retriever.search_parts(state["standalone"], parts, k=state.get("k") or self.settings.answer_passages,
                                               filters=state.get("filters"))

        def reading(state: dict) -> Reading:
            candidates = candidate_sentences(state["passages"])
            score_sentences(state["standalone"], candidates, self.sentence_embeddings)
            bodies: dict[str, str | None] = {}

            def article_text(article_id: str) -> str | None:
                if article_id not in bodies:
                    bodies[article_id] = getattr(self.index.get_article(article_id), "body", None)
                return bodies[article_id]

            result = read(state["plan"], candidates, self.sentence_embeddings, article_text, self.retriever.matching_texts,
                          tuple(self.retriever.known_sources()), self.index.statements.of_article)
            if result.short_answer is not None and state["plan"].answer_type in ("description", "quote", "number", "date"):
                # a direct lookup: the evidence must hold the question's words, numbers and years
                reason = unanswered_reason(state["standalone"], result.evidence, self.settings.answer_min_coverage)
                if reason:
                    result = Reading(result.answer_type, None, [], abstain_reason=reason)
            return result

        def answer_events(parts: Iterator[dict]) -> Iterator[dict]:
            state: dict = {}
            for part in parts:  # streamed `assign` steps deliver the state in pieces
                state.update(part)
            timings, found, plan_ = state["timings"], state["reading"], state["plan"]
            if found.short_answer is None:
                timings["total"] = round((time.perf_counter() - state["started"]) * 1000, 1)
                result = abstention(state["question"], state["standalone"], backend, timings, plan_, found.abstain_reason)
                result.corrections = [f"abstained: {found.abstain_reason or 'no evidence'}"]
                result.reading = {"plan": plan_.as_dict(), **found.as_dict()}
                yield {"type": "answer", "answer": result}
                return
            evidence = found.evidence
            statement = f"{found.statement} " + "".join(f"[{i + 1}]" for i in range(found.short_support))
            yield {"type": "token", "text": statement}
            started = time.perf_counter()
            pieces: list[str] = []
            for piece in generate.stream({"question": state["standalone"], "evidence": evidence, "statement": statement,
                                          "reading": found}):
                if not pieces:
                    timings["first_token"] = round((time.perf_counter() - state["started"]) * 1000, 1)
                pieces.append(piece)
                yield {"type": "token", "text": piece}
            timings["generate"] = round((time.perf_counter() - started) * 1000, 1)
            raw = f"{statement} {without_short_answer(''.join(pieces).strip(), found.statement)}"
            started = time.perf_counter()
            verified = (found.statement,) if found.answer_type == "yes_no" else ()
            checked = check_citations(raw, evidence, self.sentence_embeddings, verified=verified)
            timings["check"] = round((time.perf_counter() - started) * 1000, 1)
            timings["total"] = round((time.perf_counter() - state["started"]) * 1000, 1)
            opening = MARKER.split(checked.text, maxsplit=1)[0].strip() if checked.text else ""
            if not checked.citations or opening != found.statement.strip():
                reason = "the citation check found no support for the short answer"
                result = abstention(state["question"], state["standalone"], backend, timings, plan_, reason)
                result.corrections = [*found.corrections, *checked.corrections, f"abstained: {reason}"]
            else:
                first_markers = [int(n) for n in re.findall(r"\d+", MARKER.match(checked.text, len(opening)).group(1))]
                result = Answer(state["question"], state["standalone"], checked.text, False, checked.citations,
                                backend, timings, [*found.corrections, *checked.corrections], answer_type=found.answer_type,
                                short_answer=found.short_answer, short_answer_citations=first_markers,
                                speakers=found.speakers)
            result.reading = {"plan": plan_.as_dict(), **found.as_dict()}
            yield {"type": "answer", "answer": result}

        return (RunnablePassthrough.assign(standalone=timed("condense", lambda s: standalone_question(s["question"], s["history"])))
                | RunnablePassthrough.assign(plan=timed("analyse", plan))
                | RunnablePassthrough.assign(passages=timed("retrieve", retrieve))
                | RunnablePassthrough.assign(reading=timed("read", reading))
                | RunnableGenerator(answer_events))

    def stream(self, question: str, history: Sequence = (), backend: str | None = None,
               k: int | None = None, filters: Filters | None = None) -> Iterator[dict]:
        """Token events while the answer is generated, then the checked answer event. `history`: the earlier turns,
        oldest first, as `[question, answer]` pairs or objects with "question", "answer", "short_answer", "speakers"
        (see `followups.prior_turns`; a malformed item raises ValueError naming it)."""
        question = question.strip()
        if not question:
            raise ValueError("the question is empty")
        state = {"question": question, "history": prior_turns(history), "k": k, "filters": filters,
                 "timings": {}, "notes": {}, "started": time.perf_counter()}
        yield from self.chain(backend or self.settings.generator).stream(state)

    def ask(self, question: str, history: Sequence = (), backend: str | None = None,
            k: int | None = None, filters: Filters | None = None) -> Answer:
        """The checked answer (the last event of `stream`)."""
        final = None
        for event in self.stream(question, history, backend, k, filters):
            if event["type"] == "answer":
                final = event["answer"]
        assert final is not None
        return final
