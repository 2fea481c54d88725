"""What the Chat tab says about the index: how many articles, from which sources and dates (`index_summary`), and
three example questions drawn from the indexed articles (`example_questions`: who said something in the newest
articles, found by the parser as the subject of a reporting verb). No Gradio here."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from ..chunking import sentence_spans
from ..nlp import parse

REPORTING_LEMMAS = frozenset("say tell deny reject confirm call warn announce add".split())
LEAD_SENTENCES = 30  # sentences of each article read for speakers


def _day(published_at: str) -> str:
    try:
        return datetime.fromisoformat(published_at[:10]).strftime("%-d %b %Y")
    except ValueError:
        return ""


def index_summary(rows: Sequence[dict]) -> str:
    """One line: "609 articles from 12 sources, 26 Sep 2023 to 30 Dec 2023" (rows: `ArticleIndex.list_articles()`)."""
    if not rows:
        return "No articles are indexed yet: add some in the Articles tab."
    sources = {row["source"] for row in rows if row.get("source")}
    days = sorted(row["published_at"][:10] for row in rows if _day(row.get("published_at") or ""))
    span = ""
    if days:
        span = f", {_day(days[0])}" if days[0] == days[-1] else f", {_day(days[0])} to {_day(days[-1])}"
    count = f"{len(rows)} article{'s' * (len(rows) != 1)}"
    return f"Indexed: {count} from {len(sources)} source{'s' * (len(sources) != 1)}{span}."


def _speakers(body: str) -> list[str]:
    """People the parser finds saying something in the article's first sentences, in order."""
    sentences = [body[start:end] for start, end in sentence_spans(body)[:LEAD_SENTENCES]]
    found: list[str] = []
    for doc in parse(sentences):
        for ent in doc.ents:
            if ent.label_ == "PERSON" and ent.root.dep_ in ("nsubj", "nsubjpass") and \
                    ent.root.head.lemma_.lower() in REPORTING_LEMMAS and len(ent.text.split()) > 1 and \
                    not any(ent.text in known or known in ent.text for known in found):
                found.append(ent.text)
    return found


def example_questions(rows: Sequence[dict], article_body: Callable[[str], str | None], count: int = 3) -> list[str]:
    """Up to `count` questions the indexed articles answer: "What did <speaker> say?" for people quoted in the newest
    articles, taking one from each article in turn."""
    newest = sorted(rows, key=lambda row: row.get("published_at") or "", reverse=True)[:count]
    per_article = [_speakers(article_body(row["id"]) or "") for row in newest]
    questions: list[str] = []
    for rank in range(max((len(s) for s in per_article), default=0)):
        for speakers in per_article:
            if rank < len(speakers) and len(questions) < count:
                questions.append(f"What did {speakers[rank]} say?")
    return questions
