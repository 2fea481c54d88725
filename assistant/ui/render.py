"""Rendering: data in, escaped HTML out (answers, streamed and failed turns, chat messages, citation cards and
the side panel that holds them; the articles tab's notes, article view, removal selection and question). No Gradio
here: every function returns a string or a Chatbot value."""
from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

from ..articles import Article
from ..export import answer_plain_text

Turn = dict[str, Any]  # {"question": str, "answer": Answer.as_dict()} or {"question": str, "error": str}


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


def interpreted_html(answer: dict) -> str:
    """The line that says what a follow-up was taken to mean ("Interpreted as: ..."), or "" for a question that
    was answered as asked."""
    asked, meant = answer.get("question") or "", answer.get("standalone_question") or ""
    if not meant or " ".join(meant.split()) == " ".join(asked.split()):
        return ""
    return f'<div class="interpreted">Interpreted as: <span class="interpreted-question">{esc(meant)}</span></div>'


def answer_html(answer: dict, turn: int, filters: str = "") -> str:
    """A checked answer (Answer.as_dict()) as a chat message: what a follow-up was taken to mean, linked markers,
    or a visibly styled abstention, and a footer naming the generator that answered (and the settings' filters,
    when any were set)."""
    backend = f'<span class="backend">{esc(answer["backend"])}</span>'
    restricted = f" · filtered to {esc(filters)}" if filters else ""
    interpreted = interpreted_html(answer)
    if answer["abstained"]:
        footer = f'<div class="answer-meta">generator: {backend}{_seconds(answer)}{restricted}</div>'
        return (f'<div class="answer abstained">{interpreted}<div class="abstain-label">No answer in the indexed '
                f'articles</div><p>{esc(answer["answer"])}</p>{footer}</div>')
    count = len(answer["citations"])
    copy = (f'<a class="copy-answer" href="#" role="button" title="Copy the answer and its sources as plain text">'
            f'Copy</a><span class="copy-text">{esc(answer_plain_text(answer))}</span>')
    footer = (f'<div class="answer-meta">generator: {backend}{_seconds(answer)} · {count} source{"s" * (count != 1)}'
              f'{restricted} · click a [n] to see it · {copy}</div>')
    text = link_markers(esc(answer["answer"]), turn, answer["citations"])
    short = answer.get("short_answer")
    headline = (f'<div class="short-answer"><span class="answer-type">{esc(answer.get("answer_type", ""))}</span> '
                f'{esc(short)}</div>') if short else ""
    return f'<div class="answer">{interpreted}{headline}<p>{text}</p>{footer}</div>'


def streaming_html(text: str, backend: str) -> str:
    """The message shown while an answer is made: "searching", then the reader's short answer (`text`, already
    checked by the reader) while the rest is written and checked; unchecked generated text is never shown, and
    markers are not links until the answer is checked."""
    if text.strip():
        shown, stage = esc(text), "checking the supporting passages…"
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
    """The side-panel card of one citation: title, source, date, link, and the passage with the quote marked; a
    citation of a reopened conversation whose article was removed or changed since says so (its "stale")."""
    url = _safe_url(citation["url"])
    link = f' · <a href="{esc(url)}" target="_blank" rel="noopener noreferrer">original</a>' if url else ""
    stale = f'<div class="cite-stale">{esc(citation["stale"])}: the passage below is as it was cited</div>' \
        if citation.get("stale") else ""
    return (f'<div class="cite-card" id="{card_id(turn, citation["marker"])}">{stale}'
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
    close = '<a class="cite-close" href="#sources" role="button">Close ✕</a>' if cards else ""
    return f'<div class="cite-panel">{close}<p class="cite-hint">{hint}</p>{"".join(cards)}</div>'


def note_html(text: str, kind: str = "note") -> str:
    """A line of text (escaped) in a <p> of class `kind` (one of ours, e.g. "note" or "field-error"); "" for no text."""
    return f'<p class="{kind}">{esc(text)}</p>' if text else ""


def article_html(article: Article | None, chunks: int = 0) -> str:
    """The full view of an indexed article: title, source, date, URL (a link, opening apart with rel=noopener, only
    for http(s); else text), author, id, its `chunks` count and the whole body; every field escaped. A hint for None."""
    if article is None:
        return note_html("Click a row of the table, or choose an article above, to read it here.", "cite-hint")
    url = _safe_url(article.url)
    link = (f'<a href="{esc(url)}" target="_blank" rel="noopener noreferrer">{esc(url)}</a>' if url
            else esc(article.url or "none"))
    fields = (("Source", esc(article.source or "unknown")), ("Published", esc(article.published_at or "undated")),
              ("URL", link), ("Author", esc(article.author or "unknown")), ("Id", f"<code>{esc(article.id)}</code>"),
              ("Chunks", esc(chunks)))
    meta = "".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in fields)
    return (f'<div class="article-view"><h3 class="article-title">{esc(article.title or "Untitled")}</h3>'
            f'<dl class="article-meta">{meta}</dl><div class="article-body">{esc(article.body)}</div></div>')


def _article_list(selection: Sequence[Sequence[str]]) -> str:
    items = "".join(f"<li>{esc(title or 'Untitled')} <code>{esc(article_id)}</code></li>" for article_id, title in selection)
    return f'<ul class="article-list">{items}</ul>'


def selection_html(selection: Sequence[Sequence[str]]) -> str:
    """The articles selected for removal, (id, title) pairs, as a list; a hint when there are none."""
    if not selection:
        return note_html("No articles selected for removal: click rows of the table to select them "
                         "(click a selected row again to deselect it).", "cite-hint")
    return f'<div class="selection"><p>Selected for removal ({len(selection)}):</p>{_article_list(selection)}</div>'


def removal_question_html(pending: Sequence[Sequence[str]]) -> str:
    """The question that removing `pending`, (id, title) pairs, asks first, with the articles it names."""
    count = len(pending)
    return (f'<p class="removal-question">Remove {count} article{"s" * (count != 1)}? This cannot be undone.</p>'
            f"{_article_list(pending)}")
