"""Where data enters: load articles from .txt, .md, .html/.htm and .jsonl files or directories.

Contract: `load_paths(paths)` never raises for a bad file. It yields `Loaded`
items, each holding the articles read from one file (or one JSONL line) or a
`LoadError` that names the file (and line) and says what is wrong and what to do.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".jsonl")
METADATA_KEYS = ("id", "title", "source", "date", "published_at", "url", "author")


@dataclass(frozen=True)
class Article:
    """One news article. `body` is the cleaned text that chunks and quotes point into."""

    id: str
    title: str
    body: str
    source: str = ""
    published_at: str = ""
    url: str = ""
    author: str = ""
    path: str = ""

    @property
    def content_hash(self) -> str:
        """Hash of everything stored for the article; equal hashes mean nothing to re-index."""
        fields = asdict(self)
        fields.pop("path")
        return hashlib.sha1(json.dumps(fields, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class LoadError:
    """Why one file (or one JSONL line) could not be loaded."""

    path: str
    error: str


@dataclass
class Loaded:
    """The outcome of reading one file: its articles and its errors (a JSONL file may have both)."""

    path: str
    articles: list[Article] = field(default_factory=list)
    errors: list[LoadError] = field(default_factory=list)


# --- boilerplate ---------------------------------------------------------------------------
# Whole lines that syndication feeds and CMS templates add around an article. Only short lines
# are considered, so a sentence of the story that happens to start with "Read more" survives.
_BOILERPLATE_LINE = re.compile(
    r"""^\s*(?:
        (?:this\s+(?:article|story|post|content)\s+(?:is|was)\s+(?:from|originally\s+published\s+(?:on|by|at)|first\s+published\s+(?:on|by|at)|republished\s+from)\b.*)
      | (?:(?:originally\s+)?published\s+(?:on|by)\s*:.*)
      | (?:brought\s+to\s+you\s+by\b.*)
      | (?:read\s+(?:more|the\s+full\s+(?:story|article)|next|also)\b[\s:.\-–—>»…]*(?:\S+\s*){0,12})
      | (?:(?:click|tap)\s+here\b.*)
      | (?:continue\s+reading\b.*)
      | (?:(?:share|tweet|email)\s+(?:this|on)\b.*)
      | (?:follow\s+us\s+on\b.*)
      | (?:sign\s+up\s+for\s+(?:our|the)\s+\w*\s*newsletter\b.*)
      | (?:subscribe\s+(?:now|today|to\s+our)\b.*)
      | (?:advertisement|sponsored\s+content|related\s+(?:articles|stories|coverage)|recommended(?:\s+stories)?)\s*:?
      | (?:(?:copyright\s+)?(?:©|\(c\)|copyright)\s*\d{4}\b.*)
      | (?:all\s+rights\s+reserved\.?)
      | [_\-=*~]{3,}
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
_BOILERPLATE_MAX_LINE = 160
_SOURCE_LINE = re.compile(r"^\s*this\s+(?:article|story|post|content)\s+(?:is|was)\s+(?:from|originally\s+published\s+(?:on|by|at))\s*:?\s*(\S.*?)\s*$", re.I)
_DATELINE_AGENCY = re.compile(r"^[A-Z][A-Z .,'-]{1,60}\((AP|Reuters|AFP|UPI|Bloomberg|dpa)\)\s*[—–-]")
_AGENCY_NAMES = {"AP": "Associated Press"}


def strip_boilerplate(text: str) -> tuple[str, str]:
    """Remove syndication and template lines; return (clean text, source named by a 'This article is from:' line)."""
    kept: list[str] = []
    named_source = ""
    for line in text.splitlines():
        if len(line.strip()) <= _BOILERPLATE_MAX_LINE and _BOILERPLATE_LINE.match(line):  # indentation does not count
            match = _SOURCE_LINE.match(line)
            if match and not named_source:
                named_source = match.group(1)
            continue
        kept.append(line.rstrip())
    clean = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()
    return clean, named_source


# --- titles ------------------------------------------------------------------------------------
_APPOSITIVE = re.compile(r",\s+(?:the|a|an|who|which|whose|whom|where|its|his|her|their)\b[^,]{3,120},", re.I)
_TRAILING_ATTRIBUTION = re.compile(r",\s+(?:[^,]{2,60}\s+(?:reported|reports|said|says|announced|confirmed)(?:\s+\w+){0,3}|according\s+to\s+[^,]{2,60})$", re.I)
_TITLE_MAX = 110


def headline_from_lead(paragraph: str) -> str:
    """A headline-like title from an article's lead paragraph: its first sentence, dateline and appositives removed."""
    from .chunking import sentence_spans

    text = re.sub(r"^[A-Z][A-Z .,'-]{1,60}(?:\([^)]{1,20}\))?\s*[—–-]+\s*", "", paragraph.strip())
    spans = sentence_spans(text)
    sentence = text[spans[0][0]:spans[0][1]] if spans else text
    sentence = _APPOSITIVE.sub("", sentence).strip()
    sentence = _TRAILING_ATTRIBUTION.sub("", sentence.rstrip(".")).strip()
    sentence = re.sub(r"\s+", " ", sentence).rstrip(".")
    if len(sentence) > _TITLE_MAX:
        sentence = sentence[:_TITLE_MAX].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return sentence


def _split_title(text: str) -> tuple[str, str]:
    """(title, body) from plain text or Markdown: a heading or short first line is the title and leaves the body."""
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return "", ""
    line = lines[first].strip()
    heading = re.match(r"^#{1,6}\s+(.+?)\s*#*$", line)
    if heading:
        return heading.group(1).strip(), "\n".join(lines[first + 1:]).strip()
    if first + 1 < len(lines) and re.match(r"^(=+|-+)\s*$", lines[first + 1]):  # setext heading
        return line, "\n".join(lines[first + 2:]).strip()
    if len(line) <= _TITLE_MAX and not re.search(r"[.!?…\"”]$", line):
        return line, "\n".join(lines[first + 1:]).strip()
    return headline_from_lead(line), text.strip()


# --- metadata headers --------------------------------------------------------------------------
_HEADER_LINE = re.compile(r"^(title|source|date|published|published_at|url|author|id)\s*:\s*(.*)$", re.I)


def _split_metadata(text: str) -> tuple[dict[str, str], str]:
    """Read YAML-style front matter or leading `Key: value` lines (Title, Source, Date, URL, Author, ID)."""
    meta: dict[str, str] = {}
    lines = text.split("\n")
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, min(len(lines), 60)) if lines[i].strip() in ("---", "...")), None)
        if end is not None:
            for line in lines[1:end]:
                key, _, value = line.partition(":")
                if value.strip():
                    meta[key.strip().lower()] = value.strip().strip("'\"")
            return _normalise_meta(meta), "\n".join(lines[end + 1:])
    index = 0
    while index < len(lines) and (match := _HEADER_LINE.match(lines[index].strip())):
        meta[match.group(1).lower()] = match.group(2).strip()
        index += 1
    return _normalise_meta(meta), "\n".join(lines[index:])


def _normalise_meta(meta: dict[str, str]) -> dict[str, str]:
    if "published_at" not in meta:
        for key in ("date", "published"):
            if key in meta:
                meta["published_at"] = meta.pop(key)
    return {key: meta[key] for key in ("id", "title", "source", "published_at", "url", "author") if meta.get(key)}


# --- ids --------------------------------------------------------------------------------------------
def slugify(text: str, limit: int = 48) -> str:
    """Lowercase ASCII words joined by dashes, for readable ids."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:limit].rstrip("-") or "article"


def article_id_for(path: Path | str, url: str = "") -> str:
    """A stable id: from the article's URL when known, else from the file's absolute path."""
    key = url or str(Path(path).resolve())
    stem = slugify(url.rstrip("/").rsplit("/", 1)[-1] if url else Path(path).stem)
    return f"{stem}-{hashlib.sha1(key.encode()).hexdigest()[:8]}"


# --- decoding -----------------------------------------------------------------------------------
def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252; raises ValueError for binary data."""
    if b"\x00" in data[:8192]:
        raise ValueError("looks like a binary file (it contains NUL bytes); give a text, Markdown, HTML or JSONL file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as utf8_error:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            raise ValueError(f"is neither UTF-8 nor Windows-1252 text (byte {utf8_error.start}); re-save it as UTF-8") from None


# --- per-format loaders -----------------------------------------------------------------------
def _article(path: Path | str, title: str, body: str, meta: dict[str, str], named_source: str = "") -> Article:
    body, boiler_source = strip_boilerplate(body)
    if not body.strip():
        raise ValueError("has no article text after removing boilerplate")
    title = re.sub(r"\s+", " ", meta.get("title") or title).strip() or headline_from_lead(body.split("\n", 1)[0])
    agency = _DATELINE_AGENCY.match(body)
    source = meta.get("source") or (agency and _AGENCY_NAMES.get(agency.group(1), agency.group(1))) or named_source or boiler_source
    url = meta.get("url", "")
    return Article(id=meta.get("id") or article_id_for(path, url), title=title, body=body, source=source or "",
                   published_at=meta.get("published_at", ""), url=url, author=meta.get("author", ""), path=str(path))


def load_text(path: Path, text: str) -> Article:
    """A .txt or .md article: optional metadata header, then a title line or heading, then the body."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    meta, rest = _split_metadata(text)
    rest, named_source = strip_boilerplate(rest)
    title, body = _split_title(rest)
    return _article(path, title, body, meta, named_source)


_HTML_MIN_WORDS = 12
_HTML_MAX_BYTES = 8 * 2**20  # trafilatura took ~20 s and ~440 MB for a 16 MiB page, minutes and over 1 GB for 50 MiB


def load_html(path: Path | str, html: str, url: str = "") -> Article:
    """An HTML page: the main article text and metadata, extracted by trafilatura; for a file, `path` is the file; for
    a fetched page it is the address asked for and `url` the address it was fetched from (after redirects).

    The article's URL, which decides its id, is the page's canonical URL (<link rel=canonical> or og:url, read by
    trafilatura), so one article reached through two addresses is one article. For a fetched page the canonical URL
    counts only when it is on the same site as `url` (a page cannot claim another site's article), else `url` does."""
    import trafilatura

    doc = trafilatura.bare_extraction(html, url=url or None, with_metadata=True, include_comments=False,
                                      include_tables=False)
    text = (doc.text or "").strip() if doc is not None else ""
    if len(text.split()) < _HTML_MIN_WORDS:
        raise ValueError(f"has no article text that could be extracted (found {len(text.split())} words of "
                         "navigation or markup); save the article page itself, not an index or login page")
    title = doc.title or ""
    if title and text.split("\n", 1)[0].strip() == title.strip():
        text = text.split("\n", 1)[1] if "\n" in text else ""
    meta = {"title": title, "source": doc.sitename or doc.hostname or "", "published_at": doc.date or "",
            "url": canonical_url(doc.url or "", url) if url else doc.url or "", "author": doc.author or ""}
    return _article(path, title, text, {k: v for k, v in meta.items() if v})


def canonical_url(canonical: str, fetched: str) -> str:
    """The URL that names a fetched article: its page's `canonical` URL (made absolute) when that is on the same site
    as the address it was `fetched` from and not that site's home page (unless the page is the home page), else
    `fetched`; without its #fragment and utm_* tracking parameters."""
    from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

    chosen = urljoin(fetched, canonical) if canonical else fetched
    if _site(urlsplit(chosen).hostname) != _site(urlsplit(fetched).hostname) or \
            urlsplit(chosen).path.strip("/") == "" != urlsplit(fetched).path.strip("/"):
        chosen = fetched  # another site's page, or the home page that many sites name on every article
    parts = urlsplit(chosen)
    query = urlencode([(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True)
                       if not key.lower().startswith("utm_")])
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", query, ""))


def _site(host: str | None) -> str:
    """The part of a host name that names its site, for comparing hosts: www.bbc.co.uk and m.bbc.co.uk are both
    bbc.co.uk (the last two labels, three when the second-last is a short one like co, com, org under a country)."""
    host = (host or "").lower().rstrip(".")
    if ":" in host or host.replace(".", "").isdigit():  # an IP address is its own site
        return host
    labels = host.split(".")
    keep = 3 if len(labels) >= 3 and len(labels[-1]) == 2 and len(labels[-2]) <= 3 else 2
    return ".".join(labels[-keep:])


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def load_jsonl(path: Path, text: str) -> Loaded:
    """A .jsonl export: one article object a line (id, title, source, published_at, url, body, author)."""
    result = Loaded(str(path))
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            result.errors.append(LoadError(where, f"line {number} is not valid JSON ({exc.msg} at column {exc.colno}); fix or remove that line"))
            continue
        if not isinstance(record, dict):
            result.errors.append(LoadError(where, f"line {number} is not a JSON object"))
            continue
        # JSON may escape lone UTF-16 surrogates ("\ud800"), which no UTF-8 encoder (tiktoken, Chroma) accepts.
        record = {key: _LONE_SURROGATE.sub("\ufffd", value) if isinstance(value, str) else value for key, value in record.items()}
        body = record.get("body") or record.get("text") or record.get("content")
        if not isinstance(body, str) or not body.strip():
            result.errors.append(LoadError(where, f"line {number} has no 'body' text"))
            continue
        meta = {key: str(record[key]) for key in ("id", "title", "source", "published_at", "url", "author") if record.get(key)}
        if "published_at" not in meta and record.get("date"):
            meta["published_at"] = str(record["date"])
        try:
            title = meta.get("title") or _split_title(body)[0]
            result.articles.append(_article(Path(f"{path}#{number}"), title, body.replace("\r\n", "\n"), meta))
        except ValueError as exc:
            result.errors.append(LoadError(where, f"line {number} {exc}"))
    if not result.articles and not result.errors:
        result.errors.append(LoadError(str(path), "is empty; give one JSON article object a line"))
    return result


def load_file(path: Path, max_bytes: int) -> Loaded:
    """Load one file of any supported type; every problem becomes a LoadError naming the file."""
    result = Loaded(str(path))
    suffix = path.suffix.lower()
    try:
        if suffix not in SUPPORTED_SUFFIXES:
            raise ValueError(f"has an unsupported type {suffix or '(no extension)'!r}; supported: {', '.join(SUPPORTED_SUFFIXES)}")
        size = path.stat().st_size
        if size > max_bytes:
            raise ValueError(f"is {size / 2**20:.1f} MiB, over the {max_bytes / 2**20:.1f} MiB limit (ASSISTANT_MAX_FILE_MB)")
        if suffix in (".html", ".htm") and size > _HTML_MAX_BYTES:  # extraction needs ~30x the page in memory
            raise ValueError(f"is an HTML page of {size / 2**20:.1f} MiB; pages over {_HTML_MAX_BYTES / 2**20:.0f} MiB are not "
                             "extracted (an article page is far smaller); save the article's text as .txt or .md")
        if size == 0:
            raise ValueError("is empty")
        text = decode_text(path.read_bytes())
        if not text.strip():
            raise ValueError("is empty (only white space)")
        if suffix == ".jsonl":
            return load_jsonl(path, text)
        result.articles.append(load_html(path, text) if suffix in (".html", ".htm") else load_text(path, text))
    except (OSError, ValueError) as exc:
        message = str(exc) if isinstance(exc, ValueError) else f"cannot be read: {exc.strerror or exc}"
        result.errors.append(LoadError(str(path), message))
    return result


def iter_files(path: Path, unreadable: list[OSError] | None = None) -> Iterator[Path]:
    """The supported files under `path` (a file, or a directory walked recursively without following link loops).

    Directories that cannot be listed are appended to `unreadable` (os.walk would skip them silently).
    """
    if not path.is_dir():
        yield path
        return
    seen: set[tuple[int, int]] = set()
    for root, dirs, files in os.walk(path, followlinks=True, onerror=None if unreadable is None else unreadable.append):
        stat = os.stat(root)
        if (stat.st_dev, stat.st_ino) in seen:
            dirs[:] = []
            continue
        seen.add((stat.st_dev, stat.st_ino))
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and Path(name).suffix.lower() in SUPPORTED_SUFFIXES:
                yield Path(root) / name


def load_paths(paths: list[Path], max_bytes: int) -> Iterator[Loaded]:
    """Load every file named or found under `paths`; a missing path or an empty directory is an error, not a crash."""
    for path in paths:
        if not path.exists():
            yield Loaded(str(path), errors=[LoadError(str(path), "does not exist")])
            continue
        found = False
        unreadable: list[OSError] = []
        for file in iter_files(path, unreadable):
            found = True
            yield load_file(file, max_bytes)
        for error in unreadable:
            found = True
            yield Loaded(str(error.filename), errors=[LoadError(str(error.filename), f"cannot be read: {error.strerror or error}")])
        if not found:
            yield Loaded(str(path), errors=[LoadError(str(path), f"is a directory with no supported files ({', '.join(SUPPORTED_SUFFIXES)})")])
