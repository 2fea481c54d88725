"""Who said what, stored: every attributed statement of every article as its own Chroma collection, searchable by
speaker, stance, source, date, article, and ranked by a topic.

`<prefix>_statements` holds one record per statement (document = the statement text, embedded with the chunks'
model; metadata = speaker, stance, offsets, the article's id, title, source and date, the article's `version` and the
`extractor` version). The article record stays the commit: `ArticleIndex` writes an article's statements before its
record, and the record names the extractor (`statements` in its metadata), so a statement is visible only when its
(version, extractor) is the one its article's record names. A crash before the record leaves orphans that readers
skip and the next writer deletes; re-extracting an unchanged article (a newer extractor) writes the new statements,
then updates the record, then deletes the old ones.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from .articles import Article
from .chroma_records import PAGE, delete_unless, pages
from .dates import day_range
from .stances import STANCES
from .statements import EXTRACTOR_VERSION, Statement

DEFAULT_LIMIT = 50
_WORD = re.compile(r"[\w'’-]+")


@dataclass(frozen=True)
class StoredStatement:
    """One statement as `assistant statements --json`, the Statements tab and `/statements` give it: the extractor's
    record (`said`; its fields read as this object's: `stored.speaker`, `stored.start`, ...) with the article's title,
    source and date. `body[start:end]` of the article is the sentence (or the sentences of one quotation). `score`
    is the similarity to `--about`'s topic (None without one)."""

    id: str
    said: Statement
    title: str
    source: str
    published_at: str
    score: float | None = None

    def __getattr__(self, name: str):
        if name.startswith("__"):  # copy and pickle look up special names: not the record's
            raise AttributeError(name)
        return getattr(self.said, name)

    @property
    def speaker_label(self) -> str:
        """The speaker as shown: every speaker of a joint subject ("Trump campaign and Kremlin"), else `speaker`."""
        return " and ".join(self.speakers) if len(self.speakers) > 1 else self.speaker

    def as_dict(self) -> dict[str, Any]:
        """The flat JSON object (`score` only when ranked by a topic)."""
        row = {"id": self.id, **self.said.as_dict(), "title": self.title, "source": self.source,
               "published_at": self.published_at}
        return row if self.score is None else {**row, "score": self.score}

    @classmethod
    def from_dict(cls, row: dict[str, Any]) -> "StoredStatement":
        """The inverse of `as_dict`."""
        fields = {name: row[name] for name in Statement.__dataclass_fields__}
        return cls(row["id"], Statement(**{**fields, "speakers": tuple(fields["speakers"])}), row["title"],
                   row["source"], row["published_at"], row.get("score"))


@dataclass(frozen=True)
class StatementQuery:
    """What to list. Every field narrows (None / empty: no restriction); dates are inclusive YYYY-MM-DD (UTC)."""

    speaker: str | None = None  # a name or any variant of it: "Peskov", "Dmitry Peskov", "Kremlin spokesman Dmitry Peskov"
    stance: str | None = None  # one of statements.STANCES
    about: str | None = None  # a topic: rank by semantic similarity instead of date
    sources: tuple[str, ...] = ()
    date_from: str | None = None
    date_to: str | None = None
    article_id: str | None = None
    limit: int = DEFAULT_LIMIT

    def check(self) -> None:
        """Raise ValueError naming the field that is wrong and what it accepts."""
        if self.stance and self.stance not in STANCES:
            raise ValueError(f"unknown stance {self.stance!r}; use one of {', '.join(STANCES)}")
        if self.limit < 1:
            raise ValueError(f"limit must be at least 1, not {self.limit}")
        day_range(self.date_from, self.date_to)  # raises for an unreadable date or an empty range


def statement_id(article_id: str, version: str, position: int) -> str:
    """A statement's record id: unique per article version, extractor and position."""
    digest = hashlib.sha1(f"{article_id}\x00{version}\x00{EXTRACTOR_VERSION}\x00{position}".encode()).hexdigest()[:16]
    return f"{article_id}#st{position}-{digest}"


def statement_records(article: Article, version: str, statements: Sequence[Statement], published_ts: int
                      ) -> tuple[list[str], list[str], list[dict[str, Any]]]:
    """(ids, texts to embed, metadatas) of an article's extracted statements, for `StatementCollection.write`."""
    ids, texts, metadatas = [], [], []
    for position, found in enumerate(statements):
        ids.append(statement_id(article.id, version, position))
        texts.append(found.statement)
        metadatas.append({
            "article_id": article.id, "version": version, "extractor": EXTRACTOR_VERSION, "position": position,
            "speaker": found.speaker, "speakers": json.dumps(list(found.speakers)),
            "speaker_as_written": found.speaker_as_written, "speaker_resolved": bool(found.speaker_resolved),
            "speaker_kind": found.speaker_kind, "stance": found.stance, "verb": found.verb,
            "quote": found.quote if found.quote is not None else "", "has_quote": found.quote is not None,
            "start": found.start, "end": found.end,
            "quote_start": found.quote_start if found.quote_start is not None else -1,
            "quote_end": found.quote_end if found.quote_end is not None else -1,
            "title": article.title, "source": article.source, "published_at": article.published_at,
            "published_ts": published_ts})
    return ids, texts, metadatas


def _stored(statement_id_: str, text: str, meta: dict[str, Any]) -> StoredStatement:
    quoted = bool(meta["has_quote"])
    said = Statement(
        article_id=meta["article_id"], speaker=meta["speaker"], speakers=tuple(json.loads(meta["speakers"])),
        speaker_as_written=meta["speaker_as_written"], speaker_resolved=bool(meta["speaker_resolved"]),
        speaker_kind=meta["speaker_kind"], stance=meta["stance"], verb=meta["verb"], statement=text,
        quote=meta["quote"] if quoted else None, start=meta["start"], end=meta["end"],
        quote_start=meta["quote_start"] if quoted else None, quote_end=meta["quote_end"] if quoted else None)
    return StoredStatement(statement_id_, said, meta["title"], meta["source"], meta["published_at"])


def _words(name: str) -> set[str]:
    return {word.lower().strip("'’") for word in _WORD.findall(name)} - {"the", "s"}


def speaker_matches(query: str, stored: StoredStatement) -> bool:
    """Whether `query` names the statement's speaker (or one of a joint subject's), case aside: the name holds every
    word of the query ("Peskov" matches "Dmitry Peskov"), or the query holds every word of the name and the name holds
    the query's last word, its head ("Kremlin spokesman Dmitry Peskov" matches "Dmitry Peskov", not "Kremlin")."""
    wanted = _words(query)
    if not wanted:
        return True
    head = [word.lower().strip("'’") for word in _WORD.findall(query)][-1]
    for name in (stored.speaker, *stored.speakers, stored.speaker_as_written if stored.speaker_resolved else ""):
        words = _words(name)
        if words and (wanted <= words or (words <= wanted and head in words)):
            return True
    return False


class StatementCollection:
    """The statements collection of an index (`ArticleIndex.statements`); reads keep committed statements only."""

    def __init__(self, collection, committed: Callable[[], dict[str, tuple[str, str]]],
                 committed_one: Callable[[str], tuple[str, str] | None]):
        """`committed()` gives {article id: (version, extractor)} from the article records, `committed_one(id)` one
        article's (None when it is not indexed)."""
        self.collection, self._committed, self._committed_one = collection, committed, committed_one

    # --- writing (under the index's write lock, before the articles' commit) ----------------------
    def write(self, ids: list[str], vectors: list[list[float]], texts: list[str], metadatas: list[dict]) -> None:
        for start in range(0, len(ids), PAGE):
            end = start + PAGE
            self.collection.upsert(ids=ids[start:end], embeddings=vectors[start:end], documents=texts[start:end],
                                   metadatas=metadatas[start:end])

    def delete_except(self, article_ids: list[str], keep: set[str]) -> None:
        """Delete the statements of `article_ids` whose ids are not in `keep` (after a commit replaced them)."""
        delete_unless(self.collection, lambda sid, _: sid in keep, article_ids)

    def delete_orphans(self, committed: dict[str, tuple[str, str]], article_ids: list[str] | None = None) -> int:
        """Delete statements that no committed (version, extractor) owns, among those of `article_ids` (all when
        None); returns how many."""
        return delete_unless(self.collection, lambda _, meta: committed.get(meta["article_id"]) == (meta["version"], meta["extractor"]),
                             article_ids)

    # --- reading ----------------------------------------------------------------------------------
    def _pages(self, include: list[str], where: dict | None = None) -> Iterator[tuple[str, dict, Any]]:
        for page in pages(self.collection, include, where):
            documents = page.get("documents") if "documents" in include else None
            embeddings = page.get("embeddings") if "embeddings" in include else None
            for i, (sid, meta) in enumerate(zip(page["ids"], page["metadatas"])):
                yield sid, meta, (documents[i] if documents is not None else None,
                                  embeddings[i] if embeddings is not None else None)

    @staticmethod
    def _where(query: StatementQuery) -> dict | None:
        """The Chroma filter for the fields Chroma can test (speaker variants are matched afterwards)."""
        clauses: list[dict] = []
        if query.stance:
            clauses.append({"stance": query.stance})
        if query.article_id:
            clauses.append({"article_id": query.article_id})
        if query.sources:
            clauses.append({"source": {"$in": list(query.sources)}})
        lower, upper = day_range(query.date_from, query.date_to)
        if lower is not None:
            clauses.append({"published_ts": {"$gte": lower}})
        if upper is not None:
            clauses.append({"published_ts": {"$lt": upper}})
        return None if not clauses else clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def find(self, query: StatementQuery, embed_query: Callable[[str], list[float]] | None = None) -> list[StoredStatement]:
        """The committed statements `query` selects: newest article first, then by position in the article; with
        `about`, by similarity to it (`embed_query` embeds the topic). At most `query.limit`. Raises ValueError for a
        bad field (`StatementQuery.check`)."""
        query.check()
        committed = self._committed()
        include = ["metadatas", "documents"] + (["embeddings"] if query.about else [])
        found: list[tuple[StoredStatement, Any, int]] = []  # (statement, its vector or None, publication time)
        for sid, meta, (text, vector) in self._pages(include, self._where(query)):
            if committed.get(meta["article_id"]) != (meta["version"], meta["extractor"]):
                continue
            stored = _stored(sid, text, meta)
            if query.speaker and not speaker_matches(query.speaker, stored):
                continue
            found.append((stored, vector, meta["published_ts"]))
        if query.about and found:
            if embed_query is None:
                raise ValueError("ranking by a topic needs the embedding model")
            topic = np.asarray(embed_query(query.about), dtype=np.float32)
            vectors = np.asarray([vector for _, vector, _ in found], dtype=np.float32)
            scores = vectors @ topic / (np.linalg.norm(vectors, axis=1) * np.linalg.norm(topic) + 1e-9)
            order = np.argsort(-scores, kind="stable")[:query.limit]
            return [replace(found[i][0], score=round(float(scores[i]), 4)) for i in order]
        found.sort(key=lambda item: (-item[2], item[0].article_id, item[0].start))
        return [stored for stored, _, _ in found[:query.limit]]

    def of_article(self, article_id: str) -> list[Statement] | None:
        """The committed statements of one article in body order, or None when the current extractor has not read it
        (not indexed, indexed before statements were extracted, or by an older extractor): then the caller extracts."""
        committed = self._committed_one(article_id)
        if committed is None or committed[1] != EXTRACTOR_VERSION:
            return None
        got = self.collection.get(where={"$and": [{"article_id": article_id}, {"version": committed[0]},
                                                  {"extractor": committed[1]}]}, include=["metadatas", "documents"])
        stored = [_stored(sid, text, meta) for sid, meta, text in zip(got["ids"], got["metadatas"], got["documents"])]
        return [one.said for one in sorted(stored, key=lambda one: one.start)]

    def count(self) -> dict[str, int]:
        """{stance: committed statements} over the whole index."""
        committed = self._committed()
        counts = {stance: 0 for stance in STANCES}
        for _, meta, _ in self._pages(["metadatas"]):
            if committed.get(meta["article_id"]) == (meta["version"], meta["extractor"]):
                counts[meta["stance"]] = counts.get(meta["stance"], 0) + 1
        return counts


@dataclass(frozen=True)
class StatementGroup:
    """The same statement reported by several outlets: the first (newest) report and every outlet's."""

    statement: StoredStatement
    reports: tuple[StoredStatement, ...]

    @property
    def outlets(self) -> list[str]:
        return list(dict.fromkeys(report.source or report.title for report in self.reports))


def _gist(text: str) -> frozenset[str]:
    return frozenset(_words(text))


def group_reports(statements: Sequence[StoredStatement], overlap: float = 0.6) -> list[StatementGroup]:
    """Group statements that are one statement reported by several articles: same stance, a speaker name in common
    (`speaker_matches`), and statement words overlapping by at least `overlap` (Jaccard). Order of first
    appearance is kept."""
    groups: list[list[StoredStatement]] = []
    for stored in statements:
        words = _gist(stored.statement)
        for group in groups:
            first = group[0]
            if first.stance != stored.stance or not speaker_matches(first.speaker, stored):
                continue
            other = _gist(first.statement)
            if words and other and len(words & other) / len(words | other) >= overlap:
                group.append(stored)
                break
        else:
            groups.append([stored])
    return [StatementGroup(group[0], tuple(group)) for group in groups]
