"""The web chat: streamed answers with clickable citations, an articles tab, answer settings and the `/ask` API.

`build_app(settings, assistant)` returns the Gradio Blocks; `launch_options(settings)` the arguments of its
`launch()`. `app.py` at the project root starts it.

Safety contract: every string that comes from an article, a question or a generator is passed through
`esc()` (html.escape) before any markup of ours is put around it; the chat additionally runs Gradio's HTML
sanitizer. Uploads are copied into `<index_dir>/uploads/` under a sanitized base name only.

How a [n] marker opens its source: an answer is rendered as HTML in which marker n of conversation turn t
is `<a class="cite" href="#cite-t-n">[n]</a>`. The side panel holds one hidden card per citation with the
id `cite-t-n` (title, source, date, the passage with the quote in <mark>). `CITE_JS` (put in the page's
<head>) listens for clicks on `a.cite` and shows the card the link points to; without the script the link
still jumps to its card, which CSS `:target` shows.
"""
from __future__ import annotations

import hashlib
import html
import logging
import re
import shutil
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from . import offline  # noqa: F401  (offline environment before gradio is imported)

import gradio as gr

from .articles import SUPPORTED_SUFFIXES, load_file, slugify
from .chain import Assistant
from .config import Settings
from .generators import BACKENDS, BackendUnavailable, available_backends, generator
from .retrieve import Filters
from .store import ArticleIndex, IndexBusy, IndexReport, IndexUnavailable, parse_date

log = logging.getLogger(__name__)

Turn = dict[str, Any]  # {"question": str, "answer": Answer.as_dict()} or {"question": str, "error": str}
DAY_S = 86400


# --- rendering: data in, escaped HTML out ---------------------------------------------------------
def esc(text: Any) -> str:
    """`text` as HTML text (quotes escaped too, so it is safe inside attribute values)."""
    return html.escape("" if text is None else str(text), quote=True)


def card_id(turn: int, marker: int) -> str:
    """The DOM id of the side-panel card of citation `marker` in conversation turn `turn` (1-based)."""
    return f"cite-{turn}-{marker}"


_MARKER = re.compile(r"\[(\d{1,3})\]")


def link_markers(escaped: str, turn: int, citations: Sequence[dict]) -> str:
    """Escaped answer text with each [n] that has a citation turned into a link to its card."""
    titles = {c["marker"]: c["title"] for c in citations}

    def link(match: re.Match) -> str:
        marker = int(match.group(1))
        if marker not in titles:
            return match.group(0)
        return (f'<a class="cite" href="#{card_id(turn, marker)}" title="{esc(titles[marker])}" '
                f'role="button">[{marker}]</a>')

    return _MARKER.sub(link, escaped)


def _seconds(answer: dict) -> str:
    total = answer.get("timings_ms", {}).get("total")
    return f" · {total / 1000:.1f} s" if isinstance(total, (int, float)) else ""


def answer_html(answer: dict, turn: int, filters: str = "") -> str:
    """A checked answer (Answer.as_dict()) as a chat message: linked markers, or a visibly styled abstention,
    and a footer naming the generator that answered (and the settings' filters, when any were set)."""
    backend = f'<span class="backend">{esc(answer["backend"])}</span>'
    restricted = f" · filtered to {esc(filters)}" if filters else ""
    if answer["abstained"]:
        footer = f'<div class="answer-meta">generator: {backend}{_seconds(answer)}{restricted}</div>'
        return (f'<div class="answer abstained"><div class="abstain-label">No answer in the indexed articles</div>'
                f'<p>{esc(answer["answer"])}</p>{footer}</div>')
    count = len(answer["citations"])
    footer = (f'<div class="answer-meta">generator: {backend}{_seconds(answer)} · {count} source{"s" * (count != 1)}'
              f'{restricted} · click a [n] to see it</div>')
    text = link_markers(esc(answer["answer"]), turn, answer["citations"])
    short = answer.get("short_answer")
    headline = (f'<div class="short-answer"><span class="answer-type">{esc(answer.get("answer_type", ""))}</span> '
                f'{esc(short)}</div>') if short else ""
    return f'<div class="answer">{headline}<p>{text}</p>{footer}</div>'


def streaming_html(text: str, backend: str) -> str:
    """The message shown while an answer is generated (markers are not links until the answer is checked)."""
    if text.strip():
        shown, stage = esc(text), "writing; citations are checked when it is done"
    else:
        shown, stage = "Searching the articles…", "searching"
    return (f'<div class="answer streaming"><p>{shown}</p>'
            f'<div class="answer-meta">generator: <span class="backend">{esc(backend)}</span> · {stage}</div></div>')


def error_html(message: str) -> str:
    """A failed turn (bad filter, unavailable generator, unreachable index) as a chat message."""
    return f'<div class="answer error"><div class="error-label">Could not answer</div><p>{esc(message)}</p></div>'


def turn_html(turn: Turn, number: int) -> str:
    """One turn's answer message: the answer, or the error that ended it."""
    if turn.get("answer"):
        return answer_html(turn["answer"], number, turn.get("filters", ""))
    return error_html(turn.get("error", ""))


def chat_messages(turns: Sequence[Turn], pending: tuple[str, str, str] | None = None) -> list[dict]:
    """The Chatbot value for `turns`, plus an answer being generated: pending = (question, text so far, backend)."""
    messages: list[dict] = []
    for number, turn in enumerate(turns, start=1):
        messages += [{"role": "user", "content": esc(turn["question"])},
                     {"role": "assistant", "content": turn_html(turn, number)}]
    if pending:
        question, text, backend = pending
        messages += [{"role": "user", "content": esc(question)},
                     {"role": "assistant", "content": streaming_html(text, backend)}]
    return messages


def highlight_passage(citation: dict) -> str:
    """The citation's passage, escaped, with its quote in <mark>.

    The quote sits at passage[start - passage_start : end - passage_start]; when those offsets do not point
    at the quote (they always should), the quote is searched for, and failing that shown below the passage."""
    passage, quote = citation["passage"], citation["quote"]
    start = citation["start"] - citation["passage_start"]
    end = citation["end"] - citation["passage_start"]
    if not (0 <= start < end <= len(passage) and passage[start:end] == quote):
        start = passage.find(quote) if quote else -1
        if start < 0:
            return f'{esc(passage)}<span class="cite-quote"><mark>{esc(quote)}</mark></span>'
        end = start + len(quote)
    return f"{esc(passage[:start])}<mark>{esc(passage[start:end])}</mark>{esc(passage[end:])}"


def _safe_url(url: str) -> str:
    return url if re.match(r"(?i)^https?://", url or "") else ""


def card_html(citation: dict, turn: int, question: str) -> str:
    """The side-panel card of one citation: title, source, date, link, and the passage with the quote marked."""
    url = _safe_url(citation["url"])
    link = f' · <a href="{esc(url)}" target="_blank" rel="noopener noreferrer">original</a>' if url else ""
    return (f'<div class="cite-card" id="{card_id(turn, citation["marker"])}">'
            f'<div class="cite-title"><span class="cite-num">[{citation["marker"]}]</span> '
            f'{esc(citation["title"] or "Untitled")}</div>'
            f'<div class="cite-meta"><span class="cite-source">{esc(citation["source"] or "unknown source")}</span> · '
            f'<span class="cite-date">{esc(citation["published_at"][:10] or "undated")}</span>{link}</div>'
            f'<div class="cite-passage">{highlight_passage(citation)}</div>'
            f'<div class="cite-foot">cited for: “{esc(question)}” · article {esc(citation["article_id"])}</div></div>')


def panel_html(turns: Sequence[Turn]) -> str:
    """The side panel: a hint, and a (hidden until clicked) card for every citation of the conversation."""
    cards = [card_html(citation, number, turn["question"])
             for number, turn in enumerate(turns, start=1) if turn.get("answer")
             for citation in turn["answer"]["citations"]]
    hint = ("Click a [n] marker in an answer to see the passage it comes from." if cards
            else "Sources appear here: ask a question, then click a [n] marker in the answer.")
    return f'<div class="cite-panel"><p class="cite-hint">{hint}</p>{"".join(cards)}</div>'


# --- answer settings ----------------------------------------------------------------------------------
def _day(text: str, label: str) -> int:
    seconds = parse_date(text.strip())
    if not seconds:
        raise ValueError(f"cannot read the {label} date {text!r}; use YYYY-MM-DD")
    return seconds - seconds % DAY_S  # the start of that day (UTC)


def make_filters(sources: Sequence[str] | None, date_from: str | None, date_to: str | None) -> Filters | None:
    """Filters from the settings (dates inclusive, UTC); None when nothing is restricted, so the question's own
    source and date phrases apply as in `assistant ask`. Raises ValueError for an unreadable or empty range."""
    lower = _day(date_from, "from") if date_from and date_from.strip() else None
    upper = _day(date_to, "to") + DAY_S if date_to and date_to.strip() else None
    if lower is not None and upper is not None and lower >= upper:
        raise ValueError("the 'from' date is after the 'to' date")
    filters = Filters(tuple(sources or ()), lower, upper)
    return filters if filters else None


def describe_filters(sources: Sequence[str] | None, date_from: str | None, date_to: str | None) -> str:
    """The settings' restrictions in words ("" for none), shown under the answers they shaped."""
    parts = [", ".join(sources)] if sources else []
    if (date_from or "").strip() or (date_to or "").strip():
        parts.append(f"{(date_from or '').strip() or '…'} to {(date_to or '').strip() or '…'}")
    return "; ".join(parts)


def backend_status(settings: Settings) -> dict[str, str]:
    """{backend: ""} for each backend that can run here, {backend: why not} for the others."""
    available = available_backends(settings)
    status = {}
    for name in BACKENDS:
        if name in available:
            status[name] = ""
            continue
        try:
            generator(settings, name)
            status[name] = "llama-cpp-python is not installed" if name == "llamacpp" else "not available here"
        except BackendUnavailable as exc:
            status[name] = str(exc)
        except ImportError as exc:
            status[name] = f"a package it needs is missing ({exc.name})"
    return status


# --- uploads and indexing ---------------------------------------------------------------------------
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


def pasted_article_text(title: str, source: str, date: str, text: str) -> str:
    """A pasted article as the text-file format `load_file` reads: header lines, a '# title' heading, the body.
    Line breaks in the title, source and date become spaces, so they cannot add header lines."""
    headers = [f"{key}: {_one_line(value)}" for key, value in (("Source", source), ("Date", date)) if _one_line(value)]
    heading = f"# {_one_line(title)}\n\n" if _one_line(title) else ""
    return "\n".join(headers) + ("\n\n" if headers else "") + heading + (text or "").strip() + "\n"


ResultRow = list[str]  # [file, title, status, detail]


def index_files(index: ArticleIndex, files: Sequence[tuple[str, Path]], max_bytes: int,
                progress: Callable[[int, int], None] | None = None) -> list[ResultRow]:
    """Load and index files (pairs of shown name, path); one result row per article or per error.

    Never raises for bad input: load errors, duplicate ids and a busy or unreachable index become 'failed'
    rows whose detail says what to do. `progress(done, total)` is called as articles are settled."""
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
        if progress:
            progress(len(settled), len(articles))

    report = IndexReport()
    problem = ""
    try:
        index.index_articles(articles, report, on_article=on_article)
    except (IndexBusy, IndexUnavailable) as exc:
        problem = str(exc)
    failures = {failure["path"]: failure["error"] for failure in report.failed}
    for article in articles:
        status = settled.get(article.path, "failed")
        detail = failures.get(article.path) or (problem if article.path not in settled else f"id {article.id}")
        rows.append([shown[article.path], article.title, status, detail])
    return rows


# --- the app -----------------------------------------------------------------------------------------
CITE_JS = """
<script>
(() => {
  if (window.__citeClicks) return;
  window.__citeClicks = true;
  function showCard(link) {
    const id = (link.getAttribute('href') || '').slice(1);
    const card = /^cite-[0-9]+-[0-9]+$/.test(id) ? document.getElementById(id) : null;
    if (!card) return false;
    document.querySelectorAll('.cite-card.active, a.cite.active').forEach((el) => el.classList.remove('active'));
    card.classList.add('active');
    link.classList.add('active');
    const mark = card.querySelector('mark');
    const box = card.querySelector('.cite-passage');
    if (mark && box) box.scrollTop = Math.max(0, mark.offsetTop - 24);
    card.scrollIntoView({block: 'nearest'});
    return true;
  }
  document.addEventListener('click', (event) => {
    const link = event.target instanceof Element ? event.target.closest('a.cite') : null;
    if (link && showCard(link)) {
      event.preventDefault();
      event.stopPropagation();
    }
  }, true);
})();
</script>
"""

CSS = """
.answer p { margin: 0; }
.short-answer { font-size: 1.25em; font-weight: 700; margin-bottom: 4px; }
.short-answer .answer-type { font-size: 0.6em; font-weight: 600; text-transform: uppercase; opacity: 0.65;
  letter-spacing: 0.05em; margin-right: 6px; vertical-align: middle; }
.answer-meta { font-size: 0.8em; opacity: 0.75; margin-top: 6px; }
.answer-meta .backend { font-weight: 600; font-family: var(--font-mono); }
.answer.streaming p { opacity: 0.7; }
.answer.abstained, .answer.error { border-left: 4px solid #d97706; padding: 4px 10px; border-radius: 4px;
  background: rgba(217, 119, 6, 0.10); }
.answer.error { border-left-color: #dc2626; background: rgba(220, 38, 38, 0.10); }
.abstain-label, .error-label { font-weight: 700; font-size: 0.9em; margin-bottom: 2px; }
.abstain-label { color: #b45309; }
.error-label { color: #b91c1c; }
a.cite { text-decoration: none !important; font-weight: 600; padding: 0 3px; border-radius: 4px; cursor: pointer;
  background: rgba(37, 99, 235, 0.12); color: #1d4ed8 !important; }
a.cite:hover, a.cite.active { background: #1d4ed8; color: #fff !important; }
.cite-panel .cite-hint { opacity: 0.7; font-size: 0.9em; }
.cite-panel:has(.cite-card.active) .cite-hint, .cite-panel:has(.cite-card:target) .cite-hint { display: none; }
.cite-card { display: none; border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 10px 12px; }
.cite-card.active, .cite-card:target { display: block; }
.cite-title { font-weight: 700; margin-bottom: 2px; }
.cite-num { color: #1d4ed8; }
.cite-meta, .cite-foot { font-size: 0.85em; opacity: 0.8; }
.cite-foot { margin-top: 8px; overflow-wrap: anywhere; }
.cite-passage { position: relative; white-space: pre-wrap; margin-top: 8px; padding: 8px 10px; font-size: 0.92em;
  border-left: 3px solid var(--border-color-primary); line-height: 1.5; max-height: 480px; overflow-y: auto; }
.cite-passage mark, .cite-quote mark { background: #fde68a; color: #111; padding: 0 1px; }
.cite-quote { display: block; margin-top: 8px; }
"""

SEED_QUESTION = "Who denied that Musk and Putin had been in contact?"
PRIVATE = {"api_visibility": "private"}


class ChatApp:
    """The event handlers of the web chat around one shared Assistant (and its index)."""

    def __init__(self, settings: Settings, assistant: Assistant):
        self.settings = settings
        self.assistant = assistant
        self.index = assistant.index
        self.max_bytes = int(settings.max_file_mb * 2**20)
        self.uploads = settings.index_dir / "uploads"
        self.backends = backend_status(settings)

    # --- chat ---------------------------------------------------------------------------------------
    def respond(self, question: str, turns: list[Turn], backend: str, k: float, sources: list[str] | None,
                date_from: str | None, date_to: str | None) -> Iterator[tuple]:
        """Stream one answer: yields (question box, chat messages, turns, side panel). Follow-ups see the
        earlier answered turns; every failure ends as an error turn, never as a broken chat."""
        question = (question or "").strip()
        turns = list(turns or [])
        if not question:
            yield gr.skip(), gr.skip(), gr.skip(), gr.skip()
            return
        history = [(turn["question"], turn["answer"]["answer"]) for turn in turns if turn.get("answer")]
        try:
            filters = make_filters(sources, date_from, date_to)
            if self.backends.get(backend):
                raise BackendUnavailable(f"the {backend} generator is not available here: {self.backends[backend]}")
            if backend not in self.backends:
                raise BackendUnavailable(f"unknown generator {backend!r}; choose one of {', '.join(BACKENDS)}")
        except (ValueError, BackendUnavailable) as exc:
            turns.append({"question": question, "error": str(exc)})
            yield "", chat_messages(turns), turns, gr.skip()
            return
        yield "", chat_messages(turns, (question, "", backend)), gr.skip(), gr.skip()
        text = ""
        turn: Turn = {"question": question, "error": "the assistant gave no answer"}
        try:
            for event in self.assistant.stream(question, history, backend=backend, k=int(k), filters=filters):
                if event["type"] == "token":
                    text += event["text"]
                    yield gr.skip(), chat_messages(turns, (question, text, backend)), gr.skip(), gr.skip()
                else:
                    turn = {"question": question, "answer": event["answer"].as_dict(),
                            "filters": describe_filters(sources, date_from, date_to)}
        except (BackendUnavailable, ValueError, IndexBusy, IndexUnavailable) as exc:
            turn = {"question": question, "error": str(exc)}
        except Exception as exc:  # a crashed generator must not break the session; the log has the traceback
            log.exception("answering %r failed", question)
            turn = {"question": question, "error": f"the {backend} generator failed ({type(exc).__name__}: {exc})"}
        turns.append(turn)
        yield "", chat_messages(turns), turns, panel_html(turns)

    def new_chat(self) -> tuple:
        """An empty conversation: (chat messages, turns, side panel)."""
        return [], [], panel_html([])

    def ask_api(self, question: str, history: list[list[str]] | None = None) -> dict:
        """Answer one question; returns the JSON object of `assistant ask --json` (Answer.as_dict()). `history`:
        the conversation so far as [question, answer text] pairs, oldest first, for follow-up questions."""
        try:
            pairs = [(str(asked), str(answered)) for asked, answered in history or []]
        except (TypeError, ValueError) as exc:
            raise gr.Error("history must be a list of [question, answer] pairs", print_exception=False) from exc
        try:
            return self.assistant.ask(question, pairs).as_dict()
        except (ValueError, BackendUnavailable, IndexBusy, IndexUnavailable) as exc:
            raise gr.Error(str(exc), print_exception=False) from exc

    # --- articles -----------------------------------------------------------------------------------
    def article_views(self, selected_sources: list[str] | None = None) -> tuple:
        """(articles table rows, remove-selector update, source-filter update) for the current index. Called after
        every change, so it also brings the BM25 side up to date now rather than on the next question."""
        self.assistant.retriever.lexical_index()
        rows = self.index.list_articles()
        table = [[row["id"], row["title"], row["source"], row["published_at"][:10], row["chunks"]] for row in rows]
        ids = [(f"{row['title'][:70]} ({row['id']})", row["id"]) for row in rows]
        sources = sorted({row["source"] for row in rows if row["source"]})
        keep = [source for source in (selected_sources or []) if source in sources]
        return (table, gr.Dropdown(choices=ids, value=[]), gr.Dropdown(choices=sources, value=keep))

    def index_uploads(self, paths: list[str] | None, selected_sources: list[str] | None,
                      progress=gr.Progress()) -> tuple:
        """Copy uploaded files into the upload folder and index them; returns (result rows, cleared upload box,
        *article_views). A file that cannot be indexed gets a 'failed' row naming it and what to do; the others
        are still indexed, and the upload folder keeps only files that indexed articles come from."""
        if not paths:
            gr.Warning("Choose one or more article files first.")
            return (gr.skip(), gr.skip(), *self.article_views(selected_sources))
        rows: list[ResultRow] = []
        stored: list[tuple[str, Path]] = []
        for path in map(Path, paths):
            taken = next((name for name, target in stored if target.name == safe_upload_name(path.name)), None)
            if taken is not None:  # it would overwrite the other file before either is indexed
                rows.append([path.name, "", "failed", f"{path.name} has the same name as another file of this upload "
                             f"({taken}); rename one of them and upload it again"])
                continue
            try:
                stored.append((path.name, store_upload(path, self.uploads, self.max_bytes)))
            except (OSError, ValueError) as exc:
                rows.append([path.name, "", "failed", f"{path.name} {exc}"])
        progress(0, desc="Indexing…")
        rows += index_files(self.index, stored, self.max_bytes,
                            lambda done, total: progress((done, total), desc="Indexing articles", unit="articles"))
        self._forget_uploads([str(target) for _, target in stored])  # files that failed to load or index
        return (rows, None, *self.article_views(selected_sources))

    def index_pasted(self, title: str, source: str, date: str, text: str, selected_sources: list[str] | None,
                     progress=gr.Progress()) -> tuple:
        """Save a pasted article as a text file in the upload folder and index it like an upload; returns
        (result rows, cleared title, cleared text, *article_views)."""
        if not (text or "").strip():
            gr.Warning("Paste the article's text first.")
            return (gr.skip(), gr.skip(), gr.skip(), *self.article_views(selected_sources))
        # One file per title, so pasting a corrected version updates the article; untitled ones by content.
        stem = slugify(title) if _one_line(title) else hashlib.sha1(text.encode()).hexdigest()[:10]
        name = safe_upload_name(f"pasted-{stem}.txt")
        self.uploads.mkdir(parents=True, exist_ok=True)
        path = self.uploads / name
        path.write_text(pasted_article_text(title, source, date, text), encoding="utf-8")
        progress(0, desc="Indexing…")
        rows = index_files(self.index, [(f"pasted: {title or 'article'}", path)], self.max_bytes)
        failed = any(row[2] == "failed" for row in rows)
        return (rows, gr.skip() if failed else "", gr.skip() if failed else "", *self.article_views(selected_sources))

    def remove_articles(self, ids: list[str] | None, selected_sources: list[str] | None) -> tuple:
        """Remove the selected articles (and their uploaded files); returns (message, *article_views)."""
        if not ids:
            return ("Select one or more articles to remove.", *self.article_views(selected_sources))
        paths = {row["id"]: row["path"] for row in self.index.list_articles()}
        try:
            removed, missing = self.index.remove(list(ids))
        except (IndexBusy, IndexUnavailable) as exc:
            return (f"Nothing removed: {exc}", *self.article_views(selected_sources))
        self._forget_uploads([paths.get(article_id, "") for article_id in removed])
        message = f"Removed {len(removed)} article{'s' * (len(removed) != 1)}."
        if missing:
            message += f" Not indexed (already removed?): {', '.join(missing)}."
        return (message, *self.article_views(selected_sources))

    def _forget_uploads(self, paths: list[str]) -> None:
        """Delete uploaded files that no indexed article comes from any more."""
        still_used = {row["path"].split("#")[0] for row in self.index.list_articles()}
        uploads = self.uploads.resolve()
        for path in {Path(p.split("#")[0]) for p in paths if p}:
            if path.resolve().parent == uploads and str(path) not in still_used:
                path.unlink(missing_ok=True)

    def select_row(self, selected: list[str] | None, event: gr.SelectData) -> list[str]:
        """Clicking a row of the articles table adds its id to the removal selection."""
        article_id = (event.row_value or [None])[0]
        chosen = list(selected or [])
        if article_id and article_id not in chosen:
            chosen.append(article_id)
        return chosen

    # --- layout -------------------------------------------------------------------------------------
    def build(self) -> gr.Blocks:
        """The Blocks app (one per process; per-browser state lives in gr.State)."""
        with gr.Blocks(title="News assistant") as demo:
            gr.Markdown("## News assistant\nAnswers come only from the indexed articles. "
                        "Every sentence cites its source: click a **[n]** to see the passage.")
            with gr.Tabs():
                with gr.Tab("Chat", id="chat"):
                    chat = self._chat_tab()
                with gr.Tab("Articles", id="articles"):
                    articles = self._articles_tab()
            self._wire(demo, chat, articles)
        demo.queue(default_concurrency_limit=2)
        return demo

    def _chat_tab(self) -> SimpleNamespace:
        """The conversation, the question box, the source panel and the answer settings."""
        available = [name for name, why in self.backends.items() if not why]
        unavailable = "; ".join(f"**{name}**: {esc(why)}" for name, why in self.backends.items() if why)
        c = SimpleNamespace(turns=gr.State([]))
        with gr.Row(equal_height=False):
            with gr.Column(scale=3):
                c.chatbot = gr.Chatbot(elem_id="chat", label="Conversation", height=480, render_markdown=False,
                                       sanitize_html=True, latex_delimiters=[], feedback_options=None, buttons=["copy"],
                                       placeholder="Ask about the indexed news articles.")
                with gr.Row():
                    c.question = gr.Textbox(elem_id="question", show_label=False, scale=6, max_lines=4,
                                            placeholder="Ask a question, e.g. " + SEED_QUESTION)
                    c.ask = gr.Button("Ask", variant="primary", scale=1, elem_id="ask", min_width=80)
                with gr.Row():
                    c.clear = gr.Button("New chat", elem_id="new-chat", size="sm")
                    gr.Examples([SEED_QUESTION], inputs=c.question, label="Try")
            with gr.Column(scale=2):
                gr.Markdown("### Source")
                c.panel = gr.HTML(panel_html([]), elem_id="sources", js_on_load=None)
        with gr.Accordion("Answer settings", open=False, elem_id="answer-settings"):
            with gr.Row():
                c.backend = gr.Radio(available, label="Generator", elem_id="backend",
                                     value=self.settings.generator if self.settings.generator in available else "extractive",
                                     info="extractive quotes the evidence; the others phrase it with a model")
                c.k = gr.Slider(1, 50, value=self.settings.answer_passages, step=1, label="Passages retrieved (k)",
                                elem_id="k")
            with gr.Row():
                c.sources = gr.Dropdown([], value=[], multiselect=True, label="Only these sources",
                                        elem_id="source-filter", info="empty: all sources (or those the question names)")
                c.date_from = gr.DateTime(include_time=False, type="string", label="Published from", elem_id="date-from")
                c.date_to = gr.DateTime(include_time=False, type="string", label="Published to (inclusive)",
                                        elem_id="date-to")
            if unavailable:
                gr.Markdown(f"Not available here: {unavailable}", elem_id="unavailable-backends")
        return c

    def _articles_tab(self) -> SimpleNamespace:
        """Upload and paste forms, the indexing results, the table of indexed articles and removal."""
        a = SimpleNamespace()
        gr.Markdown(f"Add articles as files ({', '.join(SUPPORTED_SUFFIXES)}; at most {self.settings.max_file_mb:g} MiB "
                    "each) or paste one.")
        with gr.Row():
            with gr.Column():
                # No file_types: Gradio would refuse the whole upload for one file of another type; store_upload
                # refuses that file alone, with a message, and the others are indexed.
                a.files = gr.File(label="Article files", file_count="multiple", type="filepath", elem_id="upload")
                a.add_files = gr.Button("Index files", variant="primary", elem_id="index-files")
            with gr.Column():
                a.title = gr.Textbox(label="Title", elem_id="paste-title")
                with gr.Row():
                    a.source = gr.Textbox(label="Source", elem_id="paste-source")
                    a.date = gr.Textbox(label="Date", placeholder="YYYY-MM-DD", elem_id="paste-date")
                a.text = gr.Textbox(label="Article text", lines=6, elem_id="paste-text")
                a.add_pasted = gr.Button("Index pasted article", elem_id="index-pasted")
        a.results = gr.Dataframe(headers=["file", "title", "status", "detail"], value=[], interactive=False, wrap=True,
                                 label="Indexing results", elem_id="index-results", column_widths=["20%", "30%", "12%", "38%"])
        a.table = gr.Dataframe(headers=["id", "title", "source", "published", "chunks"], value=[], interactive=False,
                               label="Indexed articles (click a row to select it)", elem_id="articles-table", wrap=True,
                               max_height=400, column_widths=["24%", "46%", "14%", "10%", "6%"])
        with gr.Row():
            a.remove_ids = gr.Dropdown([], value=[], multiselect=True, label="Articles to remove", elem_id="remove-ids",
                                       scale=4)
            a.remove = gr.Button("Remove selected", variant="stop", elem_id="remove", scale=1)
        a.remove_status = gr.Markdown(elem_id="remove-status")
        return a

    def _wire(self, demo: gr.Blocks, c: SimpleNamespace, a: SimpleNamespace) -> None:
        """Connect the events; only `/ask` is an API endpoint, the UI's events are private."""
        views = [a.table, a.remove_ids, c.sources]
        chat_inputs = [c.question, c.turns, c.backend, c.k, c.sources, c.date_from, c.date_to]
        chat_outputs = [c.question, c.chatbot, c.turns, c.panel]
        c.question.submit(self.respond, chat_inputs, chat_outputs, **PRIVATE)
        c.ask.click(self.respond, chat_inputs, chat_outputs, **PRIVATE)
        c.clear.click(self.new_chat, None, [c.chatbot, c.turns, c.panel], **PRIVATE)
        c.chatbot.clear(self.new_chat, None, [c.chatbot, c.turns, c.panel], **PRIVATE)
        a.add_files.click(self.index_uploads, [a.files, c.sources], [a.results, a.files, *views], **PRIVATE)
        a.add_pasted.click(self.index_pasted, [a.title, a.source, a.date, a.text, c.sources],
                           [a.results, a.title, a.text, *views], **PRIVATE)
        a.remove.click(self.remove_articles, [a.remove_ids, c.sources], [a.remove_status, *views], **PRIVATE)
        a.table.select(self.select_row, [a.remove_ids], [a.remove_ids], **PRIVATE)
        demo.load(self.article_views, [c.sources], views, **PRIVATE)
        gr.api(self.ask_api, api_name="ask")


def build_app(settings: Settings, assistant: Assistant) -> gr.Blocks:
    """The web chat over `assistant` (create one Assistant per process and share it)."""
    return ChatApp(settings, assistant).build()


def launch_options(settings: Settings) -> dict[str, Any]:
    """Keyword arguments of `Blocks.launch()`: address, upload limit, login, page assets; no share link, no SSR."""
    auth = settings.auth.get_secret_value()
    user, _, password = auth.partition(":")
    return {"server_name": settings.host, "server_port": settings.port, "share": False, "ssr_mode": False,
            "max_file_size": int(settings.max_file_mb * 2**20), "auth": (user, password) if auth else None,
            "css": CSS, "head": CITE_JS, "footer_links": ["api", "settings"], "show_error": False}
