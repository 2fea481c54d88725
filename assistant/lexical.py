"""The lexical side of retrieval: a persisted, incremental tantivy index of the chunks (BM25, English stemming).

It holds every chunk's text and metadata, so it also serves the dense path (texts, metadata and filters of the
ids Chroma returns) and the list of indexed sources. It lives in `directory_for(settings)`: beside an embedded
index, or in the user's cache for a Chroma server (one copy per machine, rebuilt from Chroma when missing or
behind: see `current`).

Tokenisation (`analyzer`, the same for chunks and queries, and `tokenize` for the answer stages): words are
runs of two or more Unicode word characters (`\\b\\w\\w+\\b`), lower-cased, the 33 English stop words of
Lucene removed, and stemmed with Snowball's English (Porter2) stemmer. Ranking is tantivy's BM25 (k1 1.2, b 0.75).

Versions and commits. The Chroma article record is the commit point (store.py). Under the store's write lock
the writer first adds the new chunks' documents tagged with the generation the commit will have (`gen`),
a `retire` marker for every article that the commit replaces or removes, and a `commit` record naming the
commit (generation and commit id), all in one tantivy commit (`LexicalStore.prepare`); then it writes the
Chroma commit; then it deletes what the markers retire (`LexicalStore.finish`). A reader at committed
generation G sees a chunk document iff `gen <= G` and no marker of its article with `gen < marker <= G`
exists: documents of a commit that never happened (a crash before it) stay invisible, and markers left by a
crash after it still hide what they retire. The next writer removes both kinds of leftovers (`repair`).

A reader (`current`) compares the Chroma state (generation, commit id) with the `commit` records: when the
lexical index has the commit it reopens its searcher (milliseconds); when it is missing, unreadable or behind
(another machine wrote to a Chroma server, or an older version of this program wrote the index) it is rebuilt
from Chroma's committed chunks, under the store's write lock, with a warning saying so.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import tantivy

if TYPE_CHECKING:
    from .config import Settings
    from .store import ArticleIndex

log = logging.getLogger(__name__)

ANALYZER_NAME = "news_en"
WRITER_HEAP_BYTES = 64_000_000
KEPT_COMMITS = 16  # commit records kept: a reader that read the state a few commits ago still finds its own
_INT = tantivy.FieldType.Integer


def analyzer() -> tantivy.TextAnalyzer:
    """The text analyzer of chunks and queries (see the module docstring)."""
    return (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.regex(r"(?u)\b\w\w+\b")).filter(tantivy.Filter.lowercase())
            .filter(tantivy.Filter.stopword("english")).filter(tantivy.Filter.stemmer("english")).build())


@lru_cache(maxsize=1)
def _shared_analyzer() -> tantivy.TextAnalyzer:
    return analyzer()


def tokenize(texts: Sequence[str]) -> list[list[str]]:
    """The analyzer's tokens of each text: lower-cased, stop-worded, stemmed words, as BM25 sees them."""
    analyze = _shared_analyzer().analyze
    return [analyze(text) for text in texts]


@lru_cache(maxsize=1)
def schema() -> tantivy.Schema:
    """One document per chunk (`kind` chunk), per retire marker (`kind` retire) and per commit (`kind` commit)."""
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("kind", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("chunk_id", stored=True, tokenizer_name="raw", index_option="basic", fast=True)
    builder.add_text_field("article_id", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_integer_field("gen", stored=True, indexed=True, fast=True)
    builder.add_text_field("commit", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("text", stored=True, tokenizer_name=ANALYZER_NAME, index_option="freq")
    builder.add_text_field("source", tokenizer_name="raw", index_option="basic", fast=True)
    builder.add_integer_field("published_ts", indexed=True, fast=True)
    builder.add_bytes_field("meta", stored=True)
    return builder.build()


def directory_for(settings: Settings) -> Path:
    """Where the lexical index of these settings lives: beside an embedded index; for a Chroma server, in this
    machine's cache (each machine keeps its own copy)."""
    if settings.chroma_host:
        base = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "assistant"
        return base / f"lexical-{settings.chroma_host}-{settings.chroma_port}-{settings.collection_prefix}"
    return settings.index_dir / "lexical" / settings.collection_prefix


# --- query pieces -----------------------------------------------------------------------------------------
def _term(field_name: str, value: Any) -> tantivy.Query:
    return tantivy.Query.term_query(schema(), field_name, value)


def _quiet(query: tantivy.Query) -> tantivy.Query:
    """A filter clause that does not change scores."""
    return tantivy.Query.const_score_query(query, 0.0)


def _all(*clauses: tantivy.Query, excluded: Sequence[tantivy.Query] = ()) -> tantivy.Query:
    return tantivy.Query.boolean_query([(tantivy.Occur.Must, c) for c in clauses]
                                       + [(tantivy.Occur.MustNot, c) for c in excluded])


def _gen_range(lower: int | None, upper: int | None) -> tantivy.Query:
    return tantivy.Query.range_query(schema(), "gen", _INT, lower, upper)


def filter_clauses(filters: Any) -> list[tantivy.Query]:
    """Clauses for retrieve.Filters (`sources`, `date_from`, `date_to` [from, to))."""
    if not filters:
        return []
    clauses = []
    if filters.sources:
        clauses.append(tantivy.Query.term_set_query(schema(), "source", list(filters.sources)))
    if filters.date_from is not None or filters.date_to is not None:
        clauses.append(tantivy.Query.range_query(schema(), "published_ts", _INT, filters.date_from, filters.date_to,
                                                 include_upper=filters.date_to is None))
    return [_quiet(c) for c in clauses]


# --- reading ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Hit:
    """One visible chunk: its id, BM25 score (0 for lookups), stored metadata and stored (embedded) text."""

    chunk_id: str
    score: float
    meta: dict
    document: str


@dataclass
class Snapshot:
    """What a reader sees at one committed state: a tantivy searcher and the visibility rules of `state`."""

    state: tuple[int, str]
    searcher: tantivy.Searcher | None
    hidden: list[tantivy.Query] = field(default_factory=list)  # documents the snapshot must not show

    @property
    def generation(self) -> int:
        return self.state[0]

    def _visible(self, query: tantivy.Query, *filters: tantivy.Query) -> tantivy.Query:
        """`query` (which matches chunk documents only) restricted to the visible documents that pass `filters`; left
        as it is when nothing is hidden and nothing filtered, so that tantivy's top-k pruning (block-max WAND) of a
        plain disjunction of terms applies."""
        if not filters and not self.hidden:
            return query
        return _all(query, *filters, excluded=self.hidden)

    def _all_chunks(self) -> tantivy.Query:
        return self._visible(_quiet(_term("kind", "chunk")))

    def _hits(self, query: tantivy.Query, limit: int) -> list[Hit]:
        if self.searcher is None or limit <= 0:
            return []
        found = self.searcher.search(query, limit, count=False).hits
        return [_hit(self.searcher.doc(address), score) for score, address in found]

    def search(self, query: str, k: int, filters: Any = None) -> list[Hit]:
        """The `k` best chunks for `query` by BM25, best first, among those passing `filters` (applied in the query)."""
        terms = list(dict.fromkeys(_shared_analyzer().analyze(query)))
        if not terms or self.searcher is None:
            return []
        text = tantivy.Query.boolean_query([(tantivy.Occur.Should, _term("text", t)) for t in terms])
        return [hit for hit in self._hits(self._visible(text, *filter_clauses(filters)), k) if hit.score > 0]

    def lookup(self, chunk_ids: Sequence[str], filters: Any = None, limit: int | None = None) -> dict[str, Hit]:
        """{chunk id: Hit} for the first `limit` of `chunk_ids` (in their order) that are visible and pass `filters`;
        the stored documents of the others are not read."""
        if self.searcher is None or not chunk_ids:
            return {}
        query = self._visible(tantivy.Query.term_set_query(schema(), "chunk_id", list(chunk_ids)), *filter_clauses(filters))
        found = self.searcher.search(query, len(chunk_ids), count=False, order_by_field="chunk_id").hits
        address_of = dict(found)
        chosen = [chunk_id for chunk_id in chunk_ids if chunk_id in address_of][:limit]
        return {chunk_id: _hit(self.searcher.doc(address_of[chunk_id]), 0.0) for chunk_id in chosen}

    def chunk_ids(self) -> list[str]:
        """Every visible chunk id (for checks; reads the whole index)."""
        if self.searcher is None:
            return []
        found = self.searcher.search(self._all_chunks(), max(self.searcher.num_docs, 1),
                                     count=False, order_by_field="chunk_id").hits
        return [chunk_id for chunk_id, _ in found]

    @cached_property
    def known_sources(self) -> list[str]:
        """The distinct non-empty source names of the visible chunks, sorted (computed once per snapshot)."""
        if self.searcher is None:
            return []
        result = self.searcher.aggregate(self._all_chunks(),
                                         {"sources": {"terms": {"field": "source", "size": 1_000_000}}})
        return sorted(bucket["key"] for bucket in result["sources"]["buckets"] if bucket["key"])


def _hit(document: tantivy.Document, score: float) -> Hit:
    values = document.to_dict()
    return Hit(values["chunk_id"][0], float(score), json.loads(values["meta"][0]), values["text"][0])


# --- the index on disk --------------------------------------------------------------------------------------
class LexicalStore:
    """The tantivy index in `directory`. Writing methods must be called under the store's write lock (one writer
    per index); reading (`snapshot`) is safe at any time, from any thread and process."""

    def __init__(self, directory: Path):
        self.directory = directory
        self._index: tantivy.Index | None = None
        self._lock = threading.Lock()

    def _open(self, create: bool) -> tantivy.Index | None:
        """The index (opened once); None when there is none and `create` is false. An unreadable index raises
        LexicalUnreadable."""
        if self._index is not None:
            return self._index
        with self._lock:
            if self._index is None:
                exists = (self.directory / "meta.json").exists()
                if not exists and not create:
                    return None
                if not exists:
                    shutil.rmtree(self.directory, ignore_errors=True)  # leftovers of another format
                    self.directory.mkdir(parents=True, exist_ok=True)
                try:
                    index = tantivy.Index(schema(), path=str(self.directory), reuse=exists)
                except (ValueError, OSError) as exc:
                    raise LexicalUnreadable(f"{exc}") from exc
                index.register_tokenizer(ANALYZER_NAME, analyzer())
                self._index = index
        return self._index

    def snapshot(self, state: tuple[int, str]) -> Snapshot | None:
        """A reader's view at the committed `state` (generation, commit id), or None when the index does not hold
        that commit (it is missing or behind). An unreadable index raises LexicalUnreadable."""
        generation, commit = state
        index = self._open(create=False)
        if generation == 0:  # nothing was ever committed
            return Snapshot(state, None)
        if index is None:
            return None
        try:
            index.reload()
            searcher = index.searcher()
            records = searcher.search(_all(_term("kind", "commit"), _term("gen", generation)), 1, count=False).hits
        except ValueError as exc:
            raise LexicalUnreadable(f"{exc}") from exc
        if not records or searcher.doc(records[0][1]).to_dict()["commit"][0] != commit:
            return None
        hidden = []
        if searcher.search(_gen_range(generation + 1, None), 1, count=False).hits:  # prepared, not (yet) committed
            hidden.append(_gen_range(generation + 1, None))
        markers = searcher.search(_all(_term("kind", "retire"), _gen_range(None, generation)), 1_000_000, count=False).hits
        for _, address in markers:
            marker = searcher.doc(address).to_dict()
            hidden.append(_all(_term("article_id", marker["article_id"][0]), _gen_range(None, marker["gen"][0] - 1)))
        return Snapshot(state, searcher, hidden)

    # --- writing (under the store's write lock) -----------------------------------------------------------
    def _writer(self) -> tantivy.IndexWriter:
        """A writer, after removing the files a killed writer left (a rerun would otherwise collide with them)."""
        writer = self._open(create=True).writer(heap_size=WRITER_HEAP_BYTES, num_threads=1)
        writer.garbage_collect_files()
        return writer

    @staticmethod
    def _commit_record(writer: tantivy.IndexWriter, state: tuple[int, str]) -> None:
        writer.add_document(tantivy.Document(kind="commit", gen=state[0], commit=state[1]))

    def prepare(self, state: tuple[int, str], chunks: Iterable[tuple[str, dict, str]], retired: Iterable[str]) -> None:
        """Before the Chroma commit of `state`: add the chunks (id, metadata, stored text) and a retire marker for
        each article whose older version (or removal) the commit makes current, in one durable tantivy commit."""
        writer = self._writer()
        generation = state[0]
        for chunk_id, meta, text in chunks:
            writer.add_document(_chunk_document(chunk_id, meta, text, generation))
        for article_id in retired:
            writer.add_document(tantivy.Document(kind="retire", article_id=article_id, gen=generation))
        self._commit_record(writer, state)
        writer.commit()
        writer.wait_merging_threads()

    def finish(self, state: tuple[int, str]) -> None:
        """After the Chroma commit of `state`: delete what its retire markers retire, the markers and old commit
        records (a crash before this leaves markers that readers still apply and `repair` finishes)."""
        writer = self._writer()
        index = self._open(create=True)
        index.reload()
        self._apply_markers(index.searcher(), writer, state[0])
        writer.delete_documents_by_query(_all(_term("kind", "commit"), _gen_range(None, state[0] - KEPT_COMMITS)))
        writer.commit()
        writer.wait_merging_threads()

    @staticmethod
    def _apply_markers(searcher: tantivy.Searcher, writer: tantivy.IndexWriter, generation: int) -> None:
        markers = searcher.search(_all(_term("kind", "retire"), _gen_range(None, generation)), 1_000_000, count=False).hits
        for _, address in markers:
            marker = searcher.doc(address).to_dict()
            article_id, retired_at = marker["article_id"][0], marker["gen"][0]
            writer.delete_documents_by_query(_all(_term("article_id", article_id), _gen_range(None, retired_at - 1)))
            writer.delete_documents_by_query(_all(_term("kind", "retire"), _term("article_id", article_id),
                                                  _gen_range(retired_at, retired_at)))

    def repair(self, state: tuple[int, str], committed_chunks: Callable[[], Iterator[tuple[str, dict, str]]]) -> None:
        """At a writer's start (Chroma already repaired): drop what uncommitted runs prepared, finish what crashed
        runs committed, and rebuild from `committed_chunks` when the index is missing, unreadable or behind."""
        try:
            if self.snapshot(state) is None:
                raise LexicalBehind()
        except (LexicalUnreadable, LexicalBehind) as problem:
            self.rebuild(state, committed_chunks, problem)
            return
        writer = self._writer()
        index = self._open(create=True)
        index.reload()
        searcher = index.searcher()
        writer.delete_documents_by_query(_gen_range(state[0] + 1, None))
        self._apply_markers(searcher, writer, state[0])
        writer.commit()
        writer.wait_merging_threads()

    def rebuild(self, state: tuple[int, str], committed_chunks: Callable[[], Iterator[tuple[str, dict, str]]],
                problem: Exception) -> None:
        """Replace the whole index by the committed chunks at `state` (readers switch at its one commit)."""
        log.warning("the lexical index at %s %s; rebuilding it from the Chroma index (generation %d)",
                    self.directory, problem, state[0])
        if isinstance(problem, LexicalUnreadable):
            self._index = None
            shutil.rmtree(self.directory, ignore_errors=True)
        writer = self._writer()
        writer.delete_all_documents()
        count = 0
        for chunk_id, meta, text in committed_chunks():
            writer.add_document(_chunk_document(chunk_id, meta, text, state[0]))
            count += 1
        if state[0]:
            self._commit_record(writer, state)
        writer.commit()
        writer.wait_merging_threads()
        log.warning("the lexical index at %s was rebuilt: %d chunks", self.directory, count)


class LexicalUnreadable(RuntimeError):
    """The lexical index exists but cannot be opened or read."""

    def __str__(self) -> str:
        return f"cannot be read ({super().__str__()})"


class LexicalBehind(RuntimeError):
    """The lexical index is missing or lacks the committed state."""

    def __str__(self) -> str:
        return "is missing or does not hold the last commit"


def _chunk_document(chunk_id: str, meta: dict, text: str, generation: int) -> tantivy.Document:
    return tantivy.Document(kind="chunk", chunk_id=chunk_id, article_id=meta["article_id"], gen=generation, text=text,
                            source=meta.get("source", ""), published_ts=int(meta.get("published_ts", 0)),
                            meta=json.dumps(meta).encode())


def current(index: ArticleIndex, cached: Snapshot | None = None) -> Snapshot:
    """The lexical side at the store's committed state: `cached` when nothing was committed since, else a reopened
    snapshot; an index that is missing, unreadable or behind is rebuilt first (under the write lock, so never
    while an indexer writes; it waits for one that is running)."""
    state = index.committed_state(wait=False)
    if cached is not None and cached.state == state:
        return cached
    store = index.lexical
    for _ in range(2):  # a commit between reading the state and reopening: read both again
        try:
            found = store.snapshot(state)
        except LexicalUnreadable:
            break
        if found is not None:
            return found
        state = index.committed_state(wait=False)
    with index.write_lock():
        index.repair()  # re-checks under the lock: another process may have rebuilt it meanwhile
    state = index.committed_state()
    found = store.snapshot(state)
    if found is None:
        raise LexicalBehind()
    return found
