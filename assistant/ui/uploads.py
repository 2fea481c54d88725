"""Uploads and indexing: safe names for uploaded files, copying them into the upload folder, pasted articles as
text files (and the check of their date), indexing files into one result row per article or error, and the texts
that tell how indexing goes. No Gradio here."""
from __future__ import annotations

import hashlib
import re
import shutil
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path

from ..articles import SUPPORTED_SUFFIXES, load_file, slugify
from ..dates import parse_date
from ..store import ArticleIndex, IndexBusy, IndexProgress, IndexReport, IndexUnavailable

_UNSAFE_NAME = re.compile(r"[^\w.-]+")  # \w: Unicode letters, digits and '_'
_STEM_BYTES = 150  # file names are limited to 255 bytes


def safe_upload_name(name: str) -> str:
    """A plain file name for an uploaded file: its base name only (after / or \\), NFC-normalized, characters
    other than letters, digits, '.', '_' and '-' replaced by '-', no leading dots, suffix lower-cased, at most
    ~180 bytes. When cleaning changed more than the suffix's case, a short hash of the original base name is
    added, so two different names never map to one file, while the same name always maps to the same file."""
    base = unicodedata.normalize("NFC", re.split(r"[\\/]", name or "")[-1])
    clean = _UNSAFE_NAME.sub("-", base)
    suffix = Path(clean).suffix if 1 < len(Path(clean).suffix) <= 10 else ""
    stem = clean[:len(clean) - len(suffix)].encode()[:_STEM_BYTES].decode("utf-8", "ignore").strip(".-") or "upload"
    if stem + suffix != base:
        stem += "-" + hashlib.sha1(base.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return stem + suffix.lower()


def store_upload(source: Path, uploads: Path, max_bytes: int) -> Path:
    """Copy an uploaded file into `uploads` under its safe name (replacing an earlier upload of that name, so
    it re-indexes as the same article). Raises ValueError, before writing anything, for a type that cannot be
    indexed or a file over the size limit."""
    suffix = Path(safe_upload_name(source.name)).suffix
    if suffix not in SUPPORTED_SUFFIXES:
        raise ValueError(f"has an unsupported type {suffix or '(no extension)'!r}; nothing was stored. Supported: "
                         f"{', '.join(SUPPORTED_SUFFIXES)}; save the article in one of these formats")
    size = source.stat().st_size
    if size > max_bytes:
        raise ValueError(f"is {size / 2**20:.1f} MiB, over the {max_bytes / 2**20:.1f} MiB limit (ASSISTANT_MAX_FILE_MB); "
                         "split it or raise the limit")
    uploads.mkdir(parents=True, exist_ok=True)
    target = uploads / safe_upload_name(source.name)
    if target.resolve().parent != uploads.resolve():  # cannot happen with a safe name; never write elsewhere
        raise ValueError("has a file name that cannot be stored")
    shutil.copyfile(source, target)
    return target


def _one_line(value: str | None) -> str:
    return re.sub(r"\s+", " ", value or "").strip()


def pasted_article_text(title: str, source: str, date: str, text: str, url: str = "") -> str:
    """A pasted article as the text-file format `load_file` reads: header lines, a '# title' heading, the body.
    Line breaks in the title, source, date and URL become spaces, so they cannot add header lines."""
    headers = [f"{key}: {_one_line(value)}" for key, value in (("Source", source), ("Date", date), ("URL", url))
               if _one_line(value)]
    heading = f"# {_one_line(title)}\n\n" if _one_line(title) else ""
    return "\n".join(headers) + ("\n\n" if headers else "") + heading + (text or "").strip() + "\n"


def save_pasted_article(uploads: Path, title: str, source: str, date: str, text: str, url: str = "") -> Path:
    """Write a pasted article into the upload folder (`pasted_article_text`); returns its path. One file per title,
    so pasting a corrected version updates the article; untitled ones are named by their content."""
    stem = slugify(title) if _one_line(title) else hashlib.sha1(text.encode()).hexdigest()[:10]
    uploads.mkdir(parents=True, exist_ok=True)
    path = uploads / safe_upload_name(f"pasted-{stem}.txt")
    path.write_text(pasted_article_text(title, source, date, text, url), encoding="utf-8")
    return path


def date_problem(date: str | None) -> str:
    """What is wrong with a pasted article's date, or "" when it is empty or can be read (as `parse_date` reads the
    dates it stores; a date it reads as 0, the epoch, counts as unreadable, since the index takes 0 for undated)."""
    shown = _one_line(date)
    return f"'{shown}' is not a date; use YYYY-MM-DD" if shown and not parse_date(shown) else ""


ResultRow = list[str]  # [file, title, status, detail]
STATUSES = ("added", "updated", "unchanged", "failed")  # the status column's values, in the order summaries use


def progress_text(progress: IndexProgress) -> str:
    """How an indexing run goes, e.g. 'Indexing: 12 / 30 articles, 340 / 820 chunks embedded'."""
    return (f"Indexing: {progress.articles_done} / {progress.articles_total} articles, "
            f"{progress.chunks_embedded} / {progress.chunks_total} chunks embedded")


def results_summary(rows: Sequence[ResultRow]) -> str:
    """What a run's result rows add up to, e.g. 'Done: 28 added, 2 failed (see the indexing results).'"""
    counts = [f"{sum(row[2] == status for row in rows)} {status}" for status in STATUSES
              if any(row[2] == status for row in rows)]
    return f"Done: {', '.join(counts)} (see the indexing results)." if counts else "Nothing was indexed."


def index_files(index: ArticleIndex, files: Sequence[tuple[str, Path]], max_bytes: int,
                progress: Callable[[IndexProgress], None] | None = None) -> list[ResultRow]:
    """Load and index files (pairs of shown name, path); one result row per article or per error.

    Never raises for bad input: load errors, duplicate ids and a busy or unreachable index become 'failed'
    rows whose detail says what to do. `progress` gets the index's `IndexProgress` (articles settled of the files'
    articles, chunks embedded of those known) after each piece of chunks is embedded and each article settled."""
    rows: list[ResultRow] = []
    articles = []
    shown: dict[str, str] = {}
    for name, path in files:
        loaded = load_file(path, max_bytes)
        rows += [[name, "", "failed", f"{name}{error.path[len(str(path)):]} {error.error}"] for error in loaded.errors]
        for article in loaded.articles:
            shown[article.path] = name
            articles.append(article)
    settled: dict[str, str] = {}

    def on_article(article, status: str) -> None:
        settled[article.path] = status

    report = IndexReport()
    problem = ""
    try:
        index.index_articles(articles, report, on_article=on_article, on_progress=progress)
    except (IndexBusy, IndexUnavailable) as exc:
        problem = str(exc)
    failures = {failure["path"]: failure["error"] for failure in report.failed}
    for article in articles:
        status = settled.get(article.path, "failed")
        detail = failures.get(article.path) or (problem if article.path not in settled else f"id {article.id}")
        rows.append([shown[article.path], article.title, status, detail])
    return rows
