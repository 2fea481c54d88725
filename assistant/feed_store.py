"""Where feeds are kept: the registry of an index's feeds and what each refresh recorded, in Chroma with the index.

One collection, `<prefix>_feeds` (`ArticleIndex.records_collection`), so that a Chroma server holds the feeds of its
index too. Its records carry a placeholder 2-d vector and are read by id or metadata, never searched:
- `feed:<name>`: one per feed: its URL and title, the validators of its last complete fetch (`etag`,
  `last_modified`) and its last refresh: when, status, HTTP status, counts, chunks, seconds, failures (JSON);
- `entry:<hash>`: one per feed entry whose article is committed: feed name, entry key (its id, else its link), link,
  the feed's updated/published value for it, and the article id;
- `__last_refresh__`: the summary of the last refresh of all feeds (for the chat's Articles tab).

Contract: an entry record is written only after its article's commit, and a feed's validators only after all its
entries' records, so a crash never makes the next refresh skip an entry.
"""
from __future__ import annotations

import hashlib
import json
from typing import Any

from .chroma_records import delete_ids, pages
from .store import ArticleIndex

_LAST_REFRESH_ID = "__last_refresh__"
_VECTOR = [0.5, 0.5]

# A feed's record: these fields, with these defaults (Chroma metadata holds no None or lists).
FEED_FIELDS: dict[str, Any] = {
    "name": "", "url": "", "title": "", "added_at": "", "etag": "", "last_modified": "", "last_fetch": "",
    "status": "never refreshed", "http_status": 0, "new": 0, "updated": 0, "unchanged": 0, "chunks": 0,
    "seconds": 0.0, "error": "", "failed": "[]",
}


def _feed_id(name: str) -> str:
    return f"feed:{name}"


def _entry_id(feed: str, key: str) -> str:
    return "entry:" + hashlib.sha1(f"{feed}\0{key}".encode()).hexdigest()


def feed_dict(meta: dict[str, Any]) -> dict[str, Any]:
    """A feed record's metadata as the plain dict that listings and the API give (`failed` as a list)."""
    feed = {key: meta.get(key, default) for key, default in FEED_FIELDS.items()}
    feed["failed"] = json.loads(feed["failed"] or "[]")
    return feed


class FeedStore:
    """The feeds of one index (`ArticleIndex`) and their entries' records."""

    def __init__(self, index: ArticleIndex):
        self.index = index
        self.collection = index.records_collection("feeds")

    # --- feeds ------------------------------------------------------------------------------------------------
    def feeds(self) -> list[dict[str, Any]]:
        """Every feed (`feed_dict`), by name."""
        found = [feed_dict(meta) for page in pages(self.collection, ["metadatas"], {"kind": "feed"})
                 for meta in page["metadatas"]]
        return sorted(found, key=lambda feed: feed["name"])

    def feed(self, name: str) -> dict[str, Any] | None:
        """One feed by name, or None."""
        got = self.collection.get(ids=[_feed_id(name)], include=["metadatas"])
        return feed_dict(got["metadatas"][0]) if got["ids"] else None

    def save_feed(self, feed: dict[str, Any]) -> None:
        """Write a feed's record (every field of FEED_FIELDS; `failed` as a list)."""
        meta = {key: feed.get(key, default) for key, default in FEED_FIELDS.items()}
        meta["failed"] = json.dumps(meta["failed"] if isinstance(meta["failed"], list) else json.loads(meta["failed"]))
        self.collection.upsert(ids=[_feed_id(feed["name"])], embeddings=[_VECTOR], documents=[feed["url"]],
                               metadatas=[{"kind": "feed", **meta}])

    def delete_feed(self, name: str) -> list[str]:
        """Delete a feed and its entries' records; returns the article ids those entries named."""
        article_ids = sorted({entry["article_id"] for entry in self.entries(name).values()})
        where = {"$and": [{"kind": "entry"}, {"feed": name}]}
        ids = [rid for page in pages(self.collection, [], where) for rid in page["ids"]]
        delete_ids(self.collection, ids)
        self.collection.delete(ids=[_feed_id(name)])
        return article_ids

    # --- entries ----------------------------------------------------------------------------------------------
    def entries(self, name: str) -> dict[str, dict[str, Any]]:
        """{entry key: record} of a feed's recorded entries (key, link, updated, article_id, seen_at)."""
        where = {"$and": [{"kind": "entry"}, {"feed": name}]}
        return {meta["key"]: meta for page in pages(self.collection, ["metadatas"], where) for meta in page["metadatas"]}

    def save_entries(self, name: str, entries: list[dict[str, Any]]) -> None:
        """Record entries of a feed whose articles are committed: each a dict of key, link, updated, article_id,
        seen_at."""
        if not entries:
            return
        self.collection.upsert(ids=[_entry_id(name, entry["key"]) for entry in entries],
                               embeddings=[_VECTOR] * len(entries), documents=[entry["link"] for entry in entries],
                               metadatas=[{"kind": "entry", "feed": name, **entry} for entry in entries])

    # --- the last refresh -------------------------------------------------------------------------------------
    def last_refresh(self) -> dict[str, Any] | None:
        """The summary the last refresh of all feeds saved (`save_last_refresh`), or None before the first."""
        got = self.collection.get(ids=[_LAST_REFRESH_ID], include=["documents"])
        return json.loads(got["documents"][0]) if got["ids"] else None

    def save_last_refresh(self, summary: dict[str, Any]) -> None:
        self.collection.upsert(ids=[_LAST_REFRESH_ID], embeddings=[_VECTOR], documents=[json.dumps(summary)],
                               metadatas=[{"kind": "last_refresh"}])
