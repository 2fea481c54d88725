"""Answers and conversations as plain text for people: `answer_plain_text` (what the chat's "Copy" puts on the
clipboard and what `assistant ask` / `assistant chat` print: the answer, then its sources as
`[1] Title — Source, date: “quote”`) and `conversation_markdown` / `conversation_json` (a whole conversation with
every citation, for "Export"). No Gradio and no HTML here."""
from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

Turn = dict[str, Any]  # {"question": str, "answer": Answer.as_dict()} (turns without an answer are skipped)


def quoted(text: str) -> str:
    """`text` in quote marks, unless it opens with its own (“After that, …,” Peskov said): quotes print once; a text
    quoting someone inside gets straight marks around it ("… as “absolutely false information.”")."""
    text = text.strip()
    if text[:1] in ("“", '"', "‘", "'"):
        return text
    return f'"{text}"' if "“" in text else f"“{text}”"


def source_line(citation: dict) -> str:
    """`[n] Title — Source, 2024-10-25: “quote”` (plus the article's URL when it has one and the stale mark)."""
    date = (citation.get("published_at") or "")[:10] or "undated"
    where = f" <{citation['url']}>" if citation.get("url") else ""
    stale = f" ({citation['stale']})" if citation.get("stale") else ""
    return (f"[{citation['marker']}] {citation.get('title') or 'Untitled'} — {citation.get('source') or 'unknown source'}, "
            f"{date}{where}: {quoted(citation.get('quote', ''))}{stale}")


def answer_plain_text(answer: dict) -> str:
    """The answer text with its [n] markers, then one line per source."""
    lines = [answer["answer"].strip()]
    if answer.get("citations"):
        lines += ["", "Sources:", *(source_line(c) for c in answer["citations"])]
    return "\n".join(lines)


def conversation_markdown(title: str, turns: Sequence[Turn]) -> str:
    """A conversation as Markdown: each question, what a follow-up was taken to mean, the short answer, the answer
    and every citation."""
    out = [f"# {title or 'Conversation'}", ""]
    for number, turn in enumerate((t for t in turns if t.get("answer")), start=1):
        answer = turn["answer"]
        out += [f"## {number}. {turn['question']}", ""]
        if answer.get("standalone_question") and answer["standalone_question"] != turn["question"]:
            out += [f"*Interpreted as: {answer['standalone_question']}*", ""]
        if answer.get("short_answer"):
            out += [f"**{answer['short_answer']}**", ""]
        out += [answer["answer"].strip(), ""]
        if answer.get("citations"):
            out += ["Sources:", "", *(f"- {source_line(c)}" for c in answer["citations"]), ""]
    return "\n".join(out)


def conversation_json(title: str, turns: Sequence[Turn]) -> str:
    """A conversation as JSON: {"title", "turns": [{"question", "answer" (as `/ask` returns it)}]}."""
    kept = [{"question": t["question"], "answer": t["answer"]} for t in turns if t.get("answer")]
    return json.dumps({"title": title, "turns": kept}, ensure_ascii=False, indent=2)
