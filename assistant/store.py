"""Where articles are stored: chunk vectors and article records in ChromaDB (embedded or a `chroma run` server).

Three collections:
- `<prefix>_chunks`: one record per chunk (document = the embedded text, metadata = article id,
  version, offsets, title, source, date), embedded with the LangChain embeddings and searched through
  LangChain's `Chroma` vector store.
- `<prefix>_articles`: one record per article (document = the body). An article's record is its
  commit marker: chunks whose version differs from their article's record are invisible to readers
  and deleted by the next writer. Writing chunks first and the record last means a crash never
  leaves a half-indexed article. A `__state__` record holds a generation number that every write
  bumps and the commit's id, so readers know when to reopen (the vector and lexical sides). A `__writing__`
  record names the articles a write is changing, from before its first write until its cleanup is done, so the
  next writer's `repair` looks at those articles' records only instead of every chunk.
- `<prefix>_statements`: the articles' attributed statements (`statement_index`), written with the chunks and
  committed by the same record, which names the extractor version that wrote them.

The lexical side (`lexical.LexicalStore`, a tantivy index) is derived data written under the same commit:
its documents for the next state are written before the article records and cleaned after (`commit_articles`).
"""
from __future__ import annotations

import fcntl
import functools
import hashlib
import json
import logging
import os
import shlex
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sized
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import lexical, offline
from .articles import Article
from .chroma_records import PAGE, delete_ids, delete_unless, pages
from .chunking import Chunk, chunk_article
from .config import Settings
from .dates import parse_date
from .statement_index import StatementCollection, statement_records
from .statements import EXTRACTOR_VERSION, Statement, extract_many, extract_statements

log = logging.getLogger(__name__)

_STATE_ID = "__state__"
_WRITING_ID = "__writing__"  # the articles a write is changing, recorded before it writes anything
_REEXTRACT_BATCH = 200  # unchanged articles whose statements are re-extracted per commit
EMBED_PIECE_CHUNKS = 64  # chunks embedded per model call while indexing: progress is reported after each piece
CHROMA_TIMEOUT_S = 60.0  # the longest wait for one request to a Chroma server (chromadb's own default is forever)


class IndexBusy(RuntimeError):
    """Another indexer holds the write lock of this index for longer than the configured timeout."""


class RefreshBusy(IndexBusy):
    """Another refresh of this index's feeds holds its refresh lock for longer than the caller waits."""


class IndexUnavailable(RuntimeError):
    """The Chroma server cannot be reached, or there is no index where the settings point."""


@dataclass
class IndexReport:
    """What one indexing run did; `chunks` counts chunks written in this run."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    chunks: int = 0
    failed: list[dict[str, str]] = field(default_factory=list)
    statements: int = 0  # statements written (new and changed articles, and unchanged ones re-extracted)
    reextracted: int = 0  # unchanged articles whose statements a newer extractor wrote again (chunks untouched)
    sentences_skipped: int = 0  # sentences the extractor did not parse (over-long, or beyond the parser's limit)

    def as_dict(self) -> dict[str, Any]:
        return {"added": self.added, "updated": self.updated, "unchanged": self.unchanged,
                "failed": self.failed, "chunks": self.chunks, "statements": self.statements,
                "reextracted": self.reextracted, "sentences_skipped": self.sentences_skipped}


@dataclass(frozen=True)
class IndexProgress:
    """Where an indexing run is, as `ArticleIndex.index_articles` reports it to `on_progress`.

    `articles_done`: articles settled (added, updated, unchanged or failed) of `articles_total`, the run's articles
    (all of them when the input has a length, else those read so far). `chunks_embedded`: chunks of new and changed
    articles embedded so far, of `chunks_total`, those of the articles read so far (it grows as articles are read)."""

    articles_done: int
    articles_total: int
    chunks_embedded: int
    chunks_total: int

    @property
    def fraction(self) -> float:
        """The share of the known work done (0 to 1): settling an article and embedding a chunk count one each."""
        total = self.articles_total + self.chunks_total
        return (self.articles_done + self.chunks_embedded) / total if total else 1.0


class _RunProgress:
    """One run's counts, told to `on_article(article, status)` as each article settles and to `on_progress` (an
    `IndexProgress`) after each article settles and after each piece of chunks is embedded."""

    def __init__(self, articles: Iterable[Article], on_article: Callable[[Article, str], None] | None,
                 on_progress: Callable[[IndexProgress], None] | None):
        self.known_total = len(articles) if isinstance(articles, Sized) else None
        self.on_article, self.on_progress = on_article, on_progress
        self.read = self.done = self.chunks_total = self.chunks_embedded = 0

    def settled(self, article: Article, status: str) -> None:
        self.done += 1
        if self.on_article:
            self.on_article(article, status)
        self._report()

    def embedded(self, count: int) -> None:
        self.chunks_embedded += count
        self._report()

    def _report(self) -> None:
        if self.on_progress:
            total = self.read if self.known_total is None else self.known_total
            self.on_progress(IndexProgress(self.done, total, self.chunks_embedded, self.chunks_total))


@lru_cache(maxsize=4)
def load_query_embeddings(model_path: str, batch_size: int):
    """The embeddings of questions and sentences at answer time (loaded once): the default model through its ONNX
    export (`onnx_embeddings`: the same vectors, no 5 s sentence-transformers import, 1.2x faster on sentences);
    a custom model folder, or the default one when its export is missing, through `load_embeddings`."""
    from .onnx_embeddings import OnnxEmbeddings, onnx_model_file

    if not model_path and onnx_model_file().exists():
        return OnnxEmbeddings(offline.default_embedding_model_path(), onnx_model_file(), batch_size)
    if not model_path:
        log.warning("no ONNX export of the embedding model at %s (run `make install` or `python -m "
                    "assistant.onnx_embeddings export`); answering loads sentence-transformers, which starts slower",
                    onnx_model_file())
    return load_embeddings(model_path, batch_size)


@lru_cache(maxsize=4)
def load_embeddings(model_path: str, batch_size: int):
    """The embeddings of chunks at indexing time (normalized vectors; loaded once), through sentence-transformers:
    on 256-wordpiece chunks torch is 1.4x faster here than the ONNX export."""
    from langchain_huggingface import HuggingFaceEmbeddings

    return HuggingFaceEmbeddings(model_name=model_path or offline.default_embedding_model_path(),
                                 model_kwargs={"device": "cpu"},
                                 encode_kwargs={"normalize_embeddings": True, "batch_size": batch_size})


def make_client(settings: Settings, fresh: bool = False):
    """A Chroma client: an HTTP client when `chroma_host` is set, else a persistent one under `index_dir`.

    chromadb shares one embedded System (and its in-memory vector index) between the clients of a path in a
    process; `fresh=True` starts a new one, which reads what other processes wrote since the old one loaded.
    Clients of the old System keep working (on their older view) until they are dropped."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_host:
        try:
            client = chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings)
        except Exception as exc:  # chromadb raises plain ValueError/ConnectionError variants
            raise _unavailable(settings, exc) from exc
        session = getattr(getattr(client, "_server", None), "_session", None)  # chromadb's httpx client: no timeout
        if session is not None:
            import httpx

            session.timeout = httpx.Timeout(CHROMA_TIMEOUT_S, connect=min(CHROMA_TIMEOUT_S, 10.0))
        return client
    settings.index_dir.mkdir(parents=True, exist_ok=True)
    if not fresh:
        return chromadb.PersistentClient(path=str(settings.index_dir / "chroma"), settings=chroma_settings)
    from chromadb.api import ServerAPI
    from chromadb.api.client import Client
    from chromadb.config import System
    from chromadb.telemetry.product import ProductTelemetryClient

    chroma_settings.persist_directory, chroma_settings.is_persistent = str(settings.index_dir / "chroma"), True
    system = System(chroma_settings)  # what chromadb does for a path's first client; from_system makes it the shared one
    system.instance(ProductTelemetryClient)
    system.instance(ServerAPI)
    system.start()
    return Client.from_system(system)


def require_index(settings: Settings, origin: str = "the settings") -> None:
    """Raise IndexUnavailable, saying where the path came from (`origin`) and how to make an index, when `settings`
    point at an embedded index that was never created (a mistyped --index-dir, or a command run from another folder):
    opening it would silently create an empty index that answers nothing."""
    if not settings.chroma_host and not (settings.index_dir / "chroma").is_dir():
        where = settings.index_dir.resolve()
        raise IndexUnavailable(f"there is no index in {where} (from {origin}): nothing was ever indexed there; check "
                               f"the path, or add articles first with `assistant index --index-dir "
                               f"{shlex.quote(str(where))} FILE_OR_URL ...`")


@contextmanager
def _opening(settings: Settings) -> Iterator[None]:
    """Serialise opening an embedded index between processes: Chroma creates its database tables on first
    open, and two processes doing that at once fail ("table collections already exists")."""
    if settings.chroma_host:
        yield
        return
    settings.index_dir.mkdir(parents=True, exist_ok=True)
    with open(settings.index_dir / ".open.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _unavailable(settings: Settings, exc: BaseException) -> IndexUnavailable:
    where = f"{settings.chroma_host}:{settings.chroma_port}"
    what = f"did not answer within {CHROMA_TIMEOUT_S:g} s" if "Timeout" in type(exc).__name__ else "cannot be reached"
    return IndexUnavailable(f"the Chroma server at {where} {what} ({type(exc).__name__}: {exc}); check that `chroma run` "
                            "is serving there (or unset ASSISTANT_CHROMA_HOST to use the local index), then try again")


@contextmanager
def _server_errors(settings: Settings) -> Iterator[None]:
    """Raise IndexUnavailable, naming the server, when a Chroma server refuses, drops or stops answering a request."""
    try:
        yield
    except Exception as exc:
        import httpx

        if settings.chroma_host and isinstance(exc, (httpx.TransportError, ConnectionError, TimeoutError)):
            raise _unavailable(settings, exc) from exc
        raise


class _ServerCollection:
    """A Chroma collection on a server whose calls raise IndexUnavailable when the server cannot be reached.

    The HTTP client reconnects by itself, so the same object works again once the server is back."""

    def __init__(self, collection, settings: Settings):
        self._collection, self._settings = collection, settings

    def __getattr__(self, name: str):
        value = getattr(self._collection, name)
        if not callable(value):
            return value

        @functools.wraps(value)
        def call(*args, **kwargs):
            with _server_errors(self._settings):
                return value(*args, **kwargs)

        return call


@contextmanager
def _file_lock(lock_path: Path, timeout_s: float, who: str, doing: str,
               on_wait: Callable[[str], None] | None, busy: type[IndexBusy] = IndexBusy) -> Iterator[None]:
    """An exclusive lock on `lock_path` (which records the holder's pid) between processes and threads: waits up to
    `timeout_s`, telling `on_wait` once ("waiting for another indexer (pid 12) to finish writing to this index..."),
    then raises `busy` (IndexBusy) naming the holder ("another indexer (pid 12) is writing to this index; try again ...")."""
    with open(lock_path, "a+") as handle:
        deadline = time.monotonic() + timeout_s
        told = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                handle.seek(0)
                holder = handle.read().strip() or "unknown"
                if time.monotonic() >= deadline:
                    raise busy(f"{who} (pid {holder}) is {doing}; try again when it has finished") from None
                if on_wait and not told:
                    on_wait(f"waiting for {who} (pid {holder}) to finish {doing}...")
                    told = True
                time.sleep(0.2)
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _placeholder_vector(article_id: str) -> list[float]:
    """Article records need a vector in Chroma; a fixed 2-d point derived from the id (never searched)."""
    digest = hashlib.sha1(article_id.encode()).digest()
    return [digest[0] / 255 + 0.01, digest[1] / 255 + 0.01]


class ArticleIndex:
    """The article store. Reading is safe at any time and from any thread; writing takes an exclusive lock on the index.

    In embedded mode chromadb keeps a process's vector index in memory, so it would not see vectors that another
    process (`assistant index`) writes; `committed_state()` reopens the client when it reads a generation that this
    object did not write, so readers that check it before searching (the retriever does) see them too."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._reopen_lock = threading.RLock()
        self.lexical = lexical.LexicalStore(lexical.directory_for(settings))
        self._reopening: threading.Thread | None = None
        self._open(fresh=False)

    def _open(self, fresh: bool) -> None:
        """Open the client and collections (`fresh`: on a new embedded System); `_seen` is the generation they show."""
        # Threads still searching the old collections finish on them; the old System is freed when they drop it.
        self.client, self.chunk_collection, self.article_collection, statements = self._connect(fresh)
        self.statements = StatementCollection(statements, self.committed_statement_versions,
                                              self.committed_statement_version)
        self._vectorstore = None
        self._seen = self._read_state()[0]

    def _connect(self, fresh: bool) -> tuple[Any, Any, Any, Any]:
        """A client and its (chunk, article, statement) collections."""
        prefix = self.settings.collection_prefix
        with _opening(self.settings), _server_errors(self.settings):
            client = make_client(self.settings, fresh)
            chunks = client.get_or_create_collection(f"{prefix}_chunks", embedding_function=None,
                                                     configuration={"hnsw": {"space": "cosine"}})
            articles = client.get_or_create_collection(f"{prefix}_articles", embedding_function=None)
            statements = client.get_or_create_collection(f"{prefix}_statements", embedding_function=None,
                                                         configuration={"hnsw": {"space": "cosine"}})
        if self.settings.chroma_host:
            chunks, articles, statements = (_ServerCollection(collection, self.settings)
                                            for collection in (chunks, articles, statements))
        return client, chunks, articles, statements

    def records_collection(self, suffix: str):
        """Another collection of this index, `<prefix>_<suffix>`, on the same client, for records that live with the
        index (the feeds' registry: `feed_store`); its records carry placeholder 2-d vectors and are never searched.
        In server mode its calls raise IndexUnavailable when the server cannot be reached."""
        with _opening(self.settings), _server_errors(self.settings):
            collection = self.client.get_or_create_collection(f"{self.settings.collection_prefix}_{suffix}",
                                                              embedding_function=None)
        return _ServerCollection(collection, self.settings) if self.settings.chroma_host else collection

    def _reopen_and_load(self) -> None:
        """Open a fresh client, load its vector index (one query) and swap it in, unless this object has meanwhile
        reopened or written a later generation itself."""
        try:
            client, chunks, articles, statements = self._connect(fresh=True)
            got = articles.get(ids=[_STATE_ID], include=["metadatas"])
            generation = int(got["metadatas"][0]["generation"]) if got["ids"] else 0
            sample = chunks.get(limit=1, include=["embeddings"])
            if sample["ids"]:
                chunks.query(query_embeddings=[sample["embeddings"][0]], n_results=1, include=[])
        except Exception:  # noqa: BLE001 - the next committed_state() tries again
            log.exception("reopening the Chroma index in the background failed")
            return
        with self._reopen_lock:
            if generation > self._seen:
                self.client, self.chunk_collection, self.article_collection = client, chunks, articles
                self.statements = StatementCollection(statements, self.committed_statement_versions,
                                                      self.committed_statement_version)
                self._vectorstore, self._seen = None, generation

    # --- handles ------------------------------------------------------------------------------
    @property
    def embeddings(self):
        """The embedding model for writing chunks (`load_embeddings`)."""
        return load_embeddings(self.settings.embedding_model, self.settings.embedding_batch_size)

    @property
    def query_embeddings(self):
        """The embedding model for questions and sentences at answer time (`load_query_embeddings`)."""
        return load_query_embeddings(self.settings.embedding_model, self.settings.embedding_batch_size)

    @property
    def vectorstore(self):
        """LangChain's `Chroma` vector store over the chunk collection (loads the embedding model on first use)."""
        if self._vectorstore is None:
            from langchain_chroma import Chroma

            self._vectorstore = Chroma(collection_name=self.chunk_collection.name, embedding_function=self.embeddings,
                                       client=self.client, collection_configuration={"hnsw": {"space": "cosine"}})
        return self._vectorstore

    def version_of(self, article: Article) -> str:
        """The stored version of an article: its content and the settings that shape its chunks."""
        return hashlib.sha1(f"{article.content_hash}:{self.settings.index_fingerprint()}".encode()).hexdigest()[:12]

    # --- reading ------------------------------------------------------------------------------
    def _read_state(self) -> tuple[int, str]:
        got = self.article_collection.get(ids=[_STATE_ID], include=["metadatas"])
        if not got["ids"]:
            return 0, ""
        return int(got["metadatas"][0]["generation"]), str(got["metadatas"][0].get("commit", ""))

    def committed_state(self, wait: bool = True) -> tuple[int, str]:
        """(generation, commit id) of the last commit: they change whenever the committed contents change. In embedded
        mode a generation that this object did not write (another process indexed) reopens the client so that the
        vector side sees it too: before returning (`wait`; writers need that), or else in a background thread that
        swaps the new client in once it has loaded its vector index (readers: loading takes seconds at 500k chunks;
        until then dense search misses only the newest chunks, and the lexical side, which decides what is visible
        and already shows them, is not held up)."""
        state = self._read_state()
        if state[0] != self._seen and not self.settings.chroma_host:
            with self._reopen_lock:
                if state[0] != self._seen:
                    if wait:
                        self._open(fresh=True)
                    elif self._reopening is None or not self._reopening.is_alive():
                        self._reopening = threading.Thread(target=self._reopen_and_load, name="chroma-reopen", daemon=True)
                        self._reopening.start()
        return state

    def generation(self) -> int:
        """A number that changes whenever the committed contents change (`committed_state`)."""
        return self.committed_state()[0]

    @contextmanager
    def _committing(self, state: dict[str, Any]) -> Iterator[None]:
        """Around a commit that writes `state` (from `_next_state`): this object's own write must not look foreign."""
        with self._reopen_lock:
            yield
            self._seen = state["generation"]

    def _article_pages(self, include: list[str]) -> Iterator[dict]:
        return pages(self.article_collection, include, {"kind": "article"})

    def committed_versions(self) -> dict[str, str]:
        """{article id: committed version} for every indexed article."""
        versions: dict[str, str] = {}
        for page in self._article_pages(["metadatas"]):
            for article_id, meta in zip(page["ids"], page["metadatas"]):
                versions[article_id] = meta["version"]
        return versions

    def committed_statement_versions(self) -> dict[str, tuple[str, str]]:
        """{article id: (committed version, extractor version of its statements)}; the extractor is "" for an
        article indexed before statements were extracted (or whose extraction failed)."""
        versions: dict[str, tuple[str, str]] = {}
        for page in self._article_pages(["metadatas"]):
            for article_id, meta in zip(page["ids"], page["metadatas"]):
                versions[article_id] = (meta["version"], meta.get("statements", ""))
        return versions

    def committed_statement_version(self, article_id: str) -> tuple[str, str] | None:
        """One article's (committed version, extractor of its statements), or None when it is not indexed."""
        got = self.article_collection.get(ids=[article_id], include=["metadatas"])
        if not got["ids"] or got["metadatas"][0].get("kind") != "article":
            return None
        return got["metadatas"][0]["version"], got["metadatas"][0].get("statements", "")

    def list_articles(self) -> list[dict[str, Any]]:
        """The indexed articles' metadata: id, title, source, published_at, url, author, path, chunks."""
        rows = []
        for page in self._article_pages(["metadatas"]):
            for article_id, meta in zip(page["ids"], page["metadatas"]):
                rows.append({"id": article_id, "title": meta["title"], "source": meta["source"],
                             "published_at": meta["published_at"], "url": meta["url"], "author": meta["author"],
                             "path": meta["path"], "chunks": meta["chunks"]})
        return sorted(rows, key=lambda row: (row["published_at"], row["id"]))

    def get_article(self, article_id: str) -> Article | None:
        """The stored article with its body, or None."""
        got = self.article_collection.get(ids=[article_id], include=["metadatas", "documents"])
        if not got["ids"] or got["metadatas"][0].get("kind") != "article":  # not the state record or a tombstone
            return None
        meta = got["metadatas"][0]
        return Article(id=article_id, title=meta["title"], body=got["documents"][0], source=meta["source"],
                       published_at=meta["published_at"], url=meta["url"], author=meta["author"], path=meta["path"])

    def committed_chunks(self, include: tuple[str, ...] = ("metadatas", "documents")) -> Iterator[tuple[str, dict, str | None]]:
        """Every visible chunk as (chunk id, metadata, stored document); orphans of interrupted runs are skipped."""
        versions = self.committed_versions()
        for page in pages(self.chunk_collection, list(include)):
            documents = page.get("documents") or [None] * len(page["ids"])
            for chunk_id, meta, document in zip(page["ids"], page["metadatas"], documents):
                if versions.get(meta["article_id"]) == meta["version"]:
                    yield chunk_id, meta, document

    def count_chunks(self) -> int:
        """The number of visible chunks."""
        return sum(1 for _ in self.committed_chunks(include=("metadatas",)))

    # --- writing ------------------------------------------------------------------------------
    def _lock_path(self, kind: str) -> Path:
        """The file of this index's `kind` lock: beside the index, or per machine in server mode."""
        if self.settings.chroma_host:
            lock_dir = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "assistant"
            name = f"chroma-{self.settings.chroma_host}-{self.settings.chroma_port}-{self.settings.collection_prefix}"
            lock_path = lock_dir / (f"{name}.lock" if kind == "write" else f"{name}.{kind}.lock")
        else:
            lock_path = self.settings.index_dir / f".{self.settings.collection_prefix}.{kind}.lock"
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        return lock_path

    @contextmanager
    def write_lock(self, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
        """Serialise writers on this index (a file lock beside the index; per machine in server mode)."""
        with _file_lock(self._lock_path("write"), self.settings.lock_timeout_s, "another indexer", "writing to this index",
                        on_wait):
            yield

    @contextmanager
    def refresh_lock(self, on_wait: Callable[[str], None] | None = None, timeout_s: float | None = None
                     ) -> Iterator[None]:
        """Serialise feed refreshes on this index (their own lock, not the write lock: a refresh fetches pages
        without blocking writers and takes the write lock only to commit). Waits up to `timeout_s` (default
        `lock_timeout_s`; 0: not at all), then raises RefreshBusy (an IndexBusy) saying that another refresh is
        running."""
        timeout = self.settings.lock_timeout_s if timeout_s is None else timeout_s
        with _file_lock(self._lock_path("refresh"), timeout, "another process",
                        "refreshing this index's feeds", on_wait, RefreshBusy):
            yield

    def _next_state(self) -> dict[str, Any]:
        """The state record's metadata for the next generation, with a new commit id; written in the same upsert as
        a commit, so a crash cannot leave new contents under the old generation (readers would keep stale caches)."""
        return {"kind": "state", "generation": self._read_state()[0] + 1, "commit": uuid.uuid4().hex, "marks_writes": True}

    def commit_articles(self, ids: list[str], documents: list[str], metadatas: list[dict[str, Any]],
                        chunks: list[tuple[str, dict[str, Any], str]], retired: list[str]) -> None:
        """The commit of a write (under the write lock; the chunks' vectors are already in Chroma), in three steps:
        1. derived data for the next state: the lexical documents of `chunks` (id, metadata, stored text) and the
           retirement of the older versions of `retired` articles (`LexicalStore.prepare`);
        2. the commit point: one Chroma upsert of the article records (`ids`, `documents`, `metadatas`: an
           article's record, or a tombstone for a removal) with the next state record;
        3. cleaning the derived data of what the commit retired (`LexicalStore.finish`).
        A crash before 2 leaves derived data that no reader applies and the next writer's `repair` drops."""
        state = self._next_state()
        committed = (state["generation"], state["commit"])
        self.lexical.prepare(committed, chunks, retired)
        with self._committing(state):
            self.article_collection.upsert(
                ids=ids + [_STATE_ID], embeddings=[_placeholder_vector(article_id) for article_id in ids] + [[0.5, 0.5]],
                documents=documents + [""], metadatas=metadatas + [state])
        self.lexical.finish(committed)

    def _writing(self, article_ids: list[str]) -> None:
        """Record that a write is about to change `article_ids` (before it writes any of their chunks or statements)."""
        self.article_collection.upsert(ids=[_WRITING_ID], embeddings=[[0.5, 0.5]], documents=[""],
                                       metadatas=[{"kind": "writing", "articles": json.dumps(sorted(article_ids))}])

    def _written(self) -> None:
        """The write recorded by `_writing` is committed and cleaned up."""
        self.article_collection.delete(ids=[_WRITING_ID])

    def repair(self) -> int:
        """Delete chunks and statements that no committed article version owns (left by an interrupted run), and bring
        the lexical side to the committed state (`LexicalStore.repair`); returns how many chunks were deleted.

        Only the articles an interrupted write was changing (its `__writing__` record) and removals interrupted after
        their commit (tombstones) are looked at. An index whose commits predate that record is scanned in full once,
        and its state record then says its writes are marked."""
        got = self.article_collection.get(ids=[_STATE_ID, _WRITING_ID], include=["metadatas"])
        records = dict(zip(got["ids"], got["metadatas"]))
        tombstones = self.article_collection.get(where={"kind": "removed"}, include=[])["ids"]
        state = records.get(_STATE_ID)
        touched: list[str] | None = None  # None: every article
        if state and state.get("marks_writes"):
            touched = sorted(set(json.loads(records.get(_WRITING_ID, {}).get("articles", "[]"))) | set(tombstones))
        if touched == []:
            versions: dict[str, tuple[str, str]] = {}
        elif touched is None:
            versions = self.committed_statement_versions()
        else:
            versions = self._statement_versions_of(touched)
        chunks_deleted = 0
        if touched != []:
            chunks_deleted = delete_unless(
                self.chunk_collection, lambda _, meta: versions.get(meta["article_id"], ("",))[0] == meta["version"], touched)
            self.statements.delete_orphans(versions, touched)
        delete_ids(self.article_collection, tombstones)  # records of removals interrupted after their commit
        if state and not state.get("marks_writes"):
            self.article_collection.update(ids=[_STATE_ID], metadatas=[{**state, "marks_writes": True}])
        if _WRITING_ID in records:
            self._written()
        self.lexical.repair(self._read_state(), self.committed_chunks)
        return chunks_deleted

    def _statement_versions_of(self, article_ids: list[str]) -> dict[str, tuple[str, str]]:
        """`committed_statement_versions` for `article_ids` only."""
        versions: dict[str, tuple[str, str]] = {}
        for start in range(0, len(article_ids), PAGE):
            got = self.article_collection.get(ids=article_ids[start:start + PAGE], include=["metadatas"])
            versions.update({article_id: (meta["version"], meta.get("statements", ""))
                             for article_id, meta in zip(got["ids"], got["metadatas"]) if meta.get("kind") == "article"})
        return versions

    def _chunk_metadata(self, article: Article, version: str, chunk: Chunk) -> dict[str, Any]:
        return {"article_id": article.id, "version": version, "index": chunk.index, "start": chunk.start,
                "end": chunk.end, "prefix_len": len(chunk.embed_text) - len(chunk.text), "title": article.title,
                "source": article.source, "published_at": article.published_at,
                "published_ts": parse_date(article.published_at), "url": article.url}

    def _article_metadata(self, article: Article, version: str, chunk_count: int, extractor: str) -> dict[str, Any]:
        return {"kind": "article", "version": version, "chunks": chunk_count, "statements": extractor, "title": article.title,
                "source": article.source, "published_at": article.published_at,
                "published_ts": parse_date(article.published_at), "url": article.url, "author": article.author,
                "path": article.path}

    def index_articles(self, articles: Iterable[Article], report: IndexReport | None = None,
                       on_article: Callable[[Article, str], None] | None = None,
                       on_wait: Callable[[str], None] | None = None,
                       on_progress: Callable[[IndexProgress], None] | None = None) -> IndexReport:
        """Add new and changed articles, skip unchanged ones; `on_article(article, status)` after each is settled.

        Chunks of many articles are embedded together in batches of about `write_batch_chunks`, in pieces of
        `EMBED_PIECE_CHUNKS`. An article becomes visible only once all its chunks are written (its record is the
        commit). `on_progress(IndexProgress)` is called after each piece is embedded and after each article is
        settled, so its chunk and article counts only grow; the last call counts every article and chunk.
        """
        report = report or IndexReport()
        run = _RunProgress(articles, on_article, on_progress)
        with self.write_lock(on_wait):
            self.generation()  # reopens now, if another process wrote, rather than in the middle of this run
            self.repair()
            versions = self.committed_statement_versions()
            seen: dict[str, str] = {}
            batch: list[tuple[Article, str, list[Chunk], str | None]] = []
            reextract: list[tuple[Article, str]] = []  # unchanged articles whose statements an older extractor wrote
            for article in articles:
                run.read += 1
                if article.id in (_STATE_ID, _WRITING_ID):  # would overwrite one of the store's own records
                    report.failed.append({"path": article.path, "error": f"the article id {article.id!r} is reserved; give the article another id"})
                    run.settled(article, "failed")
                    continue
                if article.id in seen:
                    report.failed.append({"path": article.path, "error": f"duplicate article id {article.id!r} (also in {seen[article.id]}); give each article its own id"})
                    run.settled(article, "failed")
                    continue
                seen[article.id] = article.path
                version = self.version_of(article)
                committed_version, extractor = versions.get(article.id, (None, ""))
                if committed_version == version:
                    report.unchanged += 1
                    if extractor != EXTRACTOR_VERSION:
                        reextract.append((article, version))
                    run.settled(article, "unchanged")
                    continue
                chunks = chunk_article(article, self.settings.chunk_tokens, self.settings.chunk_overlap_tokens,
                                       self.settings.embed_metadata, version=version)
                run.chunks_total += len(chunks)
                batch.append((article, version, chunks, committed_version))
                if sum(len(item[2]) for item in batch) >= self.settings.write_batch_chunks:
                    self._write_batch(batch, report, run)
                    batch = []
            if batch:
                self._write_batch(batch, report, run)
            for start in range(0, len(reextract), _REEXTRACT_BATCH):
                self._reextract(reextract[start:start + _REEXTRACT_BATCH], report)
        return report

    @staticmethod
    def _extract(articles: list[Article]) -> dict[str, tuple[list[Statement], str, int]]:
        """{article id: (its statements, the extractor version to record, sentences skipped)}, parsed together. Extraction
        never fails indexing: when the batch fails, the articles are read one by one, and an article whose reading
        fails is logged and recorded as no extractor (""), so the next `assistant index` tries again. Safe to run in
        a thread beside the embedding (it touches no index state)."""
        try:
            results = extract_many([(article.id, article.body) for article in articles])
        except Exception:  # noqa: BLE001 - any failure of the language pipeline: find the article it comes from
            results = []
            for article in articles:
                try:
                    results.append(extract_statements(article.id, article.body))
                except Exception as exc:  # noqa: BLE001
                    log.warning("statements of %s (%s) were not extracted: %s: %s", article.id, article.path,
                                type(exc).__name__, exc)
                    results.append(None)
        return {article.id: ([], "", 0) if result is None else
                ([found for found in result.statements if found.statement.strip()], EXTRACTOR_VERSION,
                 result.skipped_long + result.skipped_beyond_limit)
                for article, result in zip(articles, results)}

    def _statement_records(self, items: list[tuple[Article, str, list[Statement]]], report: IndexReport
                           ) -> list[str]:
        """Embed and write the statements of `items` (article, version, statements), before their commit; returns
        their ids."""
        ids, texts, metadatas = [], [], []
        for article, version, found in items:
            got = statement_records(article, version, found, parse_date(article.published_at))
            ids += got[0]
            texts += got[1]
            metadatas += got[2]
        # sentence-length texts: the answer-time model (the ONNX export, 1.2x faster on them, the same vectors) in one
        # call, which sorts them by length so its batches pad less than pieces would (30 % less time measured)
        vectors = self.query_embeddings.embed_documents(texts) if texts else []
        with _server_errors(self.settings):
            self.statements.write(ids, vectors, texts, metadatas)
        report.statements += len(ids)
        return ids

    def _reextract(self, items: list[tuple[Article, str]], report: IndexReport) -> None:
        """Write the current extractor's statements of unchanged articles, commit their records naming it (chunks
        untouched), then delete the older statements."""
        got = self._extract([article for article, _ in items])
        extracted = [(article, version, *got[article.id][:2]) for article, version in items]
        report.sentences_skipped += sum(skipped for *_, skipped in got.values())
        self._writing([article.id for article, _ in items])
        written = self._statement_records([(article, version, found) for article, version, found, _ in extracted], report)
        got = self.article_collection.get(ids=[article.id for article, *_ in extracted], include=["metadatas", "documents"])
        extractor_of = {article.id: extractor for article, _, _, extractor in extracted}
        self.commit_articles(got["ids"], got["documents"], [{**meta, "statements": extractor_of[article_id]}
                                                            for article_id, meta in zip(got["ids"], got["metadatas"])],
                             [], [])
        self.statements.delete_except(got["ids"], set(written))
        self._written()
        report.reextracted += len(got["ids"])

    def _write_batch(self, batch: list[tuple[Article, str, list[Chunk], str | None]], report: IndexReport,
                     run: _RunProgress) -> None:
        """Embed and write the batch's chunks (in one upsert) and statements, then commit its articles in one write.
        The statements are extracted in a thread while the chunks are embedded (the two share the machine's cores
        better than they take turns)."""
        texts, metadatas, ids = [], [], []
        for article, version, chunks, _ in batch:
            for chunk in chunks:
                texts.append(chunk.embed_text)
                metadatas.append(self._chunk_metadata(article, version, chunk))
                ids.append(chunk.id)
        vectors: list[list[float]] = []
        # the model is loaded (torch imported) before the thread imports spaCy, which imports torch's absence otherwise
        # (nlp._import_spacy) and would hide torch from this thread's import
        embeddings = self.embeddings
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="statements") as extractor:
            extraction = extractor.submit(self._extract, [article for article, *_ in batch])
            for start in range(0, len(texts), EMBED_PIECE_CHUNKS):
                piece = texts[start:start + EMBED_PIECE_CHUNKS]
                vectors += embeddings.embed_documents(piece)
                run.embedded(len(piece))
            extracted = extraction.result()
        report.sentences_skipped += sum(skipped for *_, skipped in extracted.values())
        self._writing([article.id for article, *_ in batch])
        with _server_errors(self.settings):
            self.chunk_collection.upsert(ids=ids, embeddings=vectors, documents=texts, metadatas=metadatas)
        written = self._statement_records([(article, version, extracted[article.id][0])
                                           for article, version, *_ in batch], report)
        # Commit: the article records name the new versions. Then the old versions' chunks and statements become
        # orphans.
        self.commit_articles([article.id for article, *_ in batch], [article.body for article, *_ in batch],
                             [self._article_metadata(article, version, len(chunks), extracted[article.id][1])
                              for article, version, chunks, _ in batch],
                             list(zip(ids, metadatas, texts)), [article.id for article, _, _, previous in batch if previous])
        stale = [article.id for article, _, _, previous in batch if previous]
        if stale:
            self._delete_chunks_except(stale, {chunk.id for _, _, chunks, _ in batch for chunk in chunks})
            self.statements.delete_except(stale, set(written))
        self._written()
        for article, _, chunks, previous in batch:
            report.chunks += len(chunks)
            if previous:
                report.updated += 1
            else:
                report.added += 1
            run.settled(article, "updated" if previous else "added")

    def _delete_chunks_except(self, article_ids: list[str], keep: set[str]) -> None:
        delete_unless(self.chunk_collection, lambda chunk_id, _: chunk_id in keep, article_ids)

    def remove(self, article_ids: list[str]) -> tuple[list[str], list[str]]:
        """Remove articles and their chunks; returns (removed ids, ids that were not indexed)."""
        with self.write_lock():
            self.generation()  # reopens now, if another process wrote
            self.repair()  # finishes a removal that was interrupted after its commit
            got = self.article_collection.get(ids=list(dict.fromkeys(article_ids)), include=["metadatas"])  # no duplicates
            present = {article_id for article_id, meta in zip(got["ids"], got["metadatas"]) if meta.get("kind") == "article"}
            removed = [article_id for article_id in dict.fromkeys(article_ids) if article_id in present]
            if removed:
                # The commit: the records become tombstones that no reader sees, so the chunks are orphans from
                # here on. Then the chunks and the tombstones are deleted.
                self._writing(removed)
                self.commit_articles(removed, [""] * len(removed), [{"kind": "removed"}] * len(removed), [], removed)
                self._delete_chunks_except(removed, set())
                self.statements.delete_except(removed, set())
                self.article_collection.delete(ids=removed)
                self._written()
            return removed, [article_id for article_id in article_ids if article_id not in present]
