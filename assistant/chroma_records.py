"""Paging through a Chroma collection and deleting the records of articles, shared by the store's collections
(chunks, article records, statements: every chunk and statement record has an "article_id" metadata field)."""
from __future__ import annotations

from collections.abc import Callable, Iterator

PAGE = 5000  # records per Chroma get or delete
_IDS_PER_FILTER = 100  # article ids per "$in" filter


def pages(collection, include: list[str], where: dict | None = None) -> Iterator[dict]:
    """The collection's records (those matching `where`) as Chroma `get` results of at most PAGE records."""
    offset = 0
    while True:
        page = collection.get(include=include, where=where, limit=PAGE, offset=offset)
        if not page["ids"]:
            return
        yield page
        offset += len(page["ids"])


def delete_ids(collection, ids: list[str]) -> None:
    """Delete records by id, PAGE at a time."""
    for start in range(0, len(ids), PAGE):
        collection.delete(ids=ids[start:start + PAGE])


def delete_unless(collection, keep: Callable[[str, dict], bool], article_ids: list[str] | None = None) -> int:
    """Delete the records for which `keep(id, metadata)` is false: among the records of `article_ids`, or of the
    whole collection when it is None (a full scan). Returns how many were deleted."""
    doomed: list[str] = []
    if article_ids is None:
        for page in pages(collection, ["metadatas"]):
            doomed += [rid for rid, meta in zip(page["ids"], page["metadatas"]) if not keep(rid, meta)]
    else:
        for start in range(0, len(article_ids), _IDS_PER_FILTER):
            where = {"article_id": {"$in": article_ids[start:start + _IDS_PER_FILTER]}}
            for page in pages(collection, ["metadatas"], where):
                doomed += [rid for rid, meta in zip(page["ids"], page["metadatas"]) if not keep(rid, meta)]
    delete_ids(collection, doomed)
    return len(doomed)
