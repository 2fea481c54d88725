"""Where passages are retrieved: dense (Chroma) + lexical (BM25, tantivy) search fused by weighted reciprocal rank.

`HybridRetriever` is a LangChain retriever; `search()` gives typed `Passage`s with every score.
Questions that name an indexed source ("according to TechCrunch") or a publication date
("published in December 2023") get metadata filters via `filters_from_question`.
"""
from __future__ import annotations

import calendar
import re
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, PrivateAttr

from . import lexical
from .store import ArticleIndex


@dataclass(frozen=True)
class Filters:
    """Metadata restrictions: any of `sources` (exact names), and a publication-time range [date_from, date_to)."""

    sources: tuple[str, ...] = ()
    date_from: int | None = None
    date_to: int | None = None

    def __bool__(self) -> bool:
        return bool(self.sources) or self.date_from is not None or self.date_to is not None


@dataclass(frozen=True)
class Passage:
    """One retrieved chunk: where it is in its article, and why it ranked (`scores`)."""

    chunk_id: str
    article_id: str
    title: str
    source: str
    published_at: str
    url: str
    start: int
    end: int
    text: str
    score: float
    scores: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"chunk_id": self.chunk_id, "article_id": self.article_id, "title": self.title, "source": self.source,
                "published_at": self.published_at, "url": self.url, "start": self.start, "end": self.end,
                "text": self.text, "score": self.score, "scores": self.scores}


def passage_from(chunk_id: str, meta: dict, document: str, score: float, scores: dict[str, float]) -> Passage:
    """A Passage from a stored chunk (its document is the embedded text; the passage is the part after the prefix)."""
    return Passage(chunk_id=chunk_id, article_id=meta["article_id"], title=meta["title"], source=meta["source"],
                   published_at=meta["published_at"], url=meta["url"], start=meta["start"], end=meta["end"],
                   text=document[meta["prefix_len"]:], score=score, scores=scores)


# --- filters from the question ---------------------------------------------------------------
_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
_DATE_PHRASE = re.compile(
    r"\b(?:published|posted|reported|released|dated|written|article|story|report)\b[^.?!]{0,40}?\b(?:on|in|from|during)\s+"
    r"(?:(?P<month>[A-Z][a-z]{2,8})\.?\s+(?:(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+)?(?P<year>\d{4})|(?P<year_only>\d{4})\b)")


def _ts(year: int, month: int, day: int) -> int:
    return int(datetime(year, month, day, tzinfo=timezone.utc).timestamp())


def filters_from_question(question: str, known_sources: list[str]) -> Filters:
    """Sources the question names (from the indexed ones) and a publication date it states, if any."""
    lowered = question.lower()
    sources = []
    for source in sorted(known_sources, key=len, reverse=True):
        name = source.lower().strip()
        if len(name) < 3:
            continue
        variants = {name, name.removeprefix("the ")}
        if any(re.search(rf"(?<![\w]){re.escape(v)}(?![\w])", lowered) for v in variants):
            if not any(name in chosen.lower() for chosen in sources):
                sources.append(source)
    date_from = date_to = None
    match = _DATE_PHRASE.search(question)
    year = int(match.group("year_only") or match.group("year")) if match else 0
    if match and 1 <= year <= 9998:
        if match.group("year_only"):
            year = int(match.group("year_only"))
            date_from, date_to = _ts(year, 1, 1), _ts(year + 1, 1, 1)
        elif match.group("month") and match.group("month").lower() in _MONTHS:
            year, month = int(match.group("year")), _MONTHS[match.group("month").lower()]
            if match.group("day") and 1 <= int(match.group("day")) <= calendar.monthrange(year, month)[1]:
                day = int(match.group("day"))
                date_from = _ts(year, month, day) - 86400  # a day either side: time zones and late posting
                date_to = _ts(year, month, day) + 2 * 86400
            else:
                date_from = _ts(year, month, 1)
                date_to = _ts(year + (month == 12), month % 12 + 1, 1)
    return Filters(tuple(sources), date_from, date_to)


# --- fusion ---------------------------------------------------------------------------------------
def fuse(ranks: dict[str, dict[str, int]], weights: dict[str, float], rrf_k: int, article_of: dict[str, str],
         max_per_article: int, k: int) -> tuple[dict[str, float], list[str]]:
    """Weighted reciprocal-rank fusion: `ranks[chunk][ranking] = rank` (1-based). Returns (fused scores, the top-k
    chunk ids) with at most `max_per_article` chunks of one article unless too few articles remain to fill k."""
    fused = {chunk_id: sum(weights[name] / (rrf_k + rank) for name, rank in chunk_ranks.items())
             for chunk_id, chunk_ranks in ranks.items()}
    chosen: list[str] = []
    per_article: dict[str, int] = {}
    overflow: list[str] = []
    for chunk_id in sorted(fused, key=lambda c: -fused[c]):
        article_id = article_of[chunk_id]
        if per_article.get(article_id, 0) >= max_per_article:
            overflow.append(chunk_id)
            continue
        per_article[article_id] = per_article.get(article_id, 0) + 1
        chosen.append(chunk_id)
        if len(chosen) == k:
            break
    return fused, chosen + overflow[: k - len(chosen)]


# --- the retriever ----------------------------------------------------------------------------------
DENSE_OVERSAMPLE = 4  # with filters, this many times the candidate pool of nearest neighbours is filtered
class HybridRetriever(BaseRetriever):
    """Dense + BM25 retrieval with weighted reciprocal-rank fusion and a per-article cap."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    index: ArticleIndex
    k: int = 10
    dense_weight: float = 1.0
    lexical_weight: float = 1.0
    rrf_k: int = 60
    candidates: int = 50
    max_per_article: int = 3
    question_filters: bool = True

    _lexical: lexical.Snapshot | None = PrivateAttr(default=None)
    _refreshing: threading.Lock = PrivateAttr(default_factory=threading.Lock)
    _timings: dict[str, float] = PrivateAttr(default_factory=dict)

    @property
    def last_timings_ms(self) -> dict[str, float]:
        """Milliseconds per stage of the last `search` call."""
        return self._timings

    @classmethod
    def from_settings(cls, index: ArticleIndex, **overrides: Any) -> "HybridRetriever":
        s = index.settings
        values = dict(k=s.retrieval_k, dense_weight=s.dense_weight, lexical_weight=s.lexical_weight, rrf_k=s.rrf_k,
                      candidates=s.retrieval_candidates, max_per_article=s.max_chunks_per_article,
                      question_filters=s.question_filters)
        values.update(overrides)
        return cls(index=index, **values)

    def lexical_index(self, state: tuple[int, str] | None = None) -> lexical.Snapshot:
        """The lexical side at the store's committed state (`state`, if just read), reopened after a commit (by one
        thread; the others wait)."""
        cached = self._lexical
        if cached is not None and cached.state == (state or self.index.committed_state(wait=False)):
            return cached
        with self._refreshing:
            self._lexical = lexical.current(self.index, self._lexical)
            return self._lexical

    def known_sources(self) -> list[str]:
        return self.lexical_index().known_sources

    def search(self, query: str, k: int | None = None, filters: Filters | None = None,
               mode: str = "hybrid") -> list[Passage]:
        """The top-`k` passages for `query`; `mode` is 'hybrid', 'dense' or 'lexical' (the last two for baselines)."""
        k = k or self.k
        timings: dict[str, float] = {}
        started = time.perf_counter()
        state = self.index.committed_state(wait=False)  # after another process's commit: reopens Chroma in the background
        t0 = time.perf_counter()
        lex = self.lexical_index(state)
        timings["state"] = (t0 - started) * 1000
        timings["lexical_refresh"] = (time.perf_counter() - t0) * 1000
        if filters is None:
            filters = filters_from_question(query, lex.known_sources) if self.question_filters else Filters()
        pool = max(self.candidates, k * 4)
        found: dict[str, tuple[dict, str]] = {}
        ranks: dict[str, dict[str, int]] = {}
        raw: dict[str, dict[str, float]] = {}

        if mode in ("hybrid", "dense"):
            t0 = time.perf_counter()
            vector = self.index.query_embeddings.embed_query(query)
            t1 = time.perf_counter()
            # Chroma gives ids and distances only: the chunks' texts and metadata are in the lexical index, which shows
            # exactly the committed chunks of its state (so orphans of an interrupted run never show). Filters are
            # applied to the nearest neighbours (in the lexical index's lookup), not given to Chroma as `where`: its
            # filtered search scans the metadata of the whole index (linear in its size), its unfiltered search does not.
            result = self.index.chunk_collection.query(query_embeddings=[vector],
                                                       n_results=pool * (DENSE_OVERSAMPLE if filters else 1),
                                                       include=["distances"])
            t2 = time.perf_counter()
            distances = dict(zip(result["ids"][0], result["distances"][0]))
            admitted = lex.lookup(result["ids"][0], filters, limit=pool)
            timings["embed_query"] = (t1 - t0) * 1000
            timings["dense"] = (t2 - t1) * 1000
            timings["dense_lookup"] = (time.perf_counter() - t2) * 1000
            for rank, (chunk_id, hit) in enumerate(admitted.items(), start=1):
                found[chunk_id] = (hit.meta, hit.document)
                ranks.setdefault(chunk_id, {})["dense"] = rank
                raw.setdefault(chunk_id, {})["dense"] = round(1.0 - float(distances[chunk_id]), 4)

        if mode in ("hybrid", "lexical"):
            t0 = time.perf_counter()
            for rank, hit in enumerate(lex.search(query, pool, filters), start=1):
                found.setdefault(hit.chunk_id, (hit.meta, hit.document))
                ranks.setdefault(hit.chunk_id, {})["lexical"] = rank
                raw.setdefault(hit.chunk_id, {})["lexical"] = round(hit.score, 4)
            timings["lexical"] = (time.perf_counter() - t0) * 1000

        t0 = time.perf_counter()
        fused, chosen = fuse(ranks, {"dense": self.dense_weight, "lexical": self.lexical_weight}, self.rrf_k,
                             {chunk_id: meta["article_id"] for chunk_id, (meta, _) in found.items()}, self.max_per_article, k)
        timings["fusion"] = (time.perf_counter() - t0) * 1000
        timings["total"] = (time.perf_counter() - started) * 1000
        self._timings = timings
        return [passage_from(chunk_id, *found[chunk_id], score=round(fused[chunk_id], 6),
                             scores={**raw[chunk_id], **{f"{name}_rank": r for name, r in ranks[chunk_id].items()}})
                for chunk_id in chosen]

    def matching_texts(self, phrase: str, k: int = 5) -> list[str]:
        """The texts of the `k` chunks that best match `phrase` lexically (to tell whether anything indexed mentions it)."""
        return [hit.document for hit in self.lexical_index().search(phrase, k)]

    def search_parts(self, query: str, parts: Sequence[str], k: int | None = None, filters: Filters | None = None,
                     per_part: int = 3) -> list[Passage]:
        """Passages for a question made of several parts (each naming its own source or claim): the whole
        question's ranking and the best `per_part` passages of every part (searched on its own, within the sources
        and dates it names), interleaved rank by rank (the whole question's first), without repeats, cut to `k`.
        One part or none: `search(query)`."""
        k = k or self.k
        whole = self.search(query, k=k, filters=filters)
        if len(parts) < 2:
            return whole
        rankings = [whole, *(self.search(part, k=per_part, filters=filters)[:per_part] for part in parts)]
        merged: dict[str, Passage] = {}
        for rank in range(k):
            for ranking in rankings:
                if rank < len(ranking):
                    merged.setdefault(ranking[rank].chunk_id, ranking[rank])
        return list(merged.values())[:k]

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return [Document(page_content=p.text, metadata=p.as_dict()) for p in self.search(query)]
