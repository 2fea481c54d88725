"""OPML, the file format feed readers exchange feed lists in: import into and export from an index's feeds.

Contract: `export_opml(feeds)` writes an OPML 2.0 document with one outline per feed (text = name, title,
xmlUrl); `read_opml(text)` returns the (url, name or "") of every outline with an xmlUrl, nested folders included,
or raises ValueError saying why the text is not OPML. External entities and DTDs are never loaded.
"""
from __future__ import annotations

from typing import Any
from xml.etree import ElementTree


def export_opml(feeds: list[dict[str, Any]], title: str = "news-assistant feeds") -> str:
    """The OPML 2.0 document listing `feeds` (dicts with name, url and title)."""
    root = ElementTree.Element("opml", version="2.0")
    ElementTree.SubElement(ElementTree.SubElement(root, "head"), "title").text = title
    body = ElementTree.SubElement(root, "body")
    for feed in feeds:
        ElementTree.SubElement(body, "outline", type="rss", text=feed["name"], title=feed.get("title") or feed["name"],
                               xmlUrl=feed["url"])
    ElementTree.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root, encoding="unicode") + "\n"


def read_opml(text: str) -> list[tuple[str, str]]:
    """(feed URL, its name in the file or "") of each outline with an xmlUrl, in document order."""
    if "<!DOCTYPE" in text.upper() or "<!ENTITY" in text.upper():
        raise ValueError("declares a DTD or entities, which an OPML file does not need; remove them")
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as exc:
        raise ValueError(f"is not well-formed XML ({exc}); give an OPML file exported by a feed reader") from None
    if root.tag != "opml":
        raise ValueError(f"is XML but not OPML (its root element is <{root.tag}>); give an OPML file")
    return [(outline.get("xmlUrl", "").strip(), (outline.get("text") or outline.get("title") or "").strip())
            for outline in root.iter("outline") if outline.get("xmlUrl", "").strip()]
