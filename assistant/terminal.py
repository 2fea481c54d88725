"""The terminal conversation, `assistant chat`: the same answers as the web chat, with the history kept for
follow-ups. Commands: `/sources` (the last answer's citations in full), `/new` (forget the history), `/help`,
`/quit` (or Ctrl-D). Ctrl-C while an answer is being made cancels that answer and keeps the conversation.

`print_answer` is also what `assistant ask` prints (short answer, answer, sources, each quote printed once).
"""
from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable, Iterator
from typing import TextIO

from .export import answer_plain_text, source_line
from .filters import make_filters

HELP = ("Ask a question about the indexed articles; follow-ups may say \"he\", \"they\", \"that report\".\n"
        "/sources  the last answer's citations with their passages\n/new      start a new conversation\n"
        "/help     this text\n/quit     leave (or Ctrl-D); Ctrl-C cancels the answer being made")


def print_answer(answer: dict, out: TextIO = sys.stdout) -> None:
    """An answer (Answer.as_dict()) for a person: what a follow-up was taken to mean, the short answer and its
    type, then the answer with its sources."""
    if answer.get("standalone_question") and answer["standalone_question"] != answer["question"]:
        print(f"(interpreted as: {answer['standalone_question']})", file=out)
    if answer.get("short_answer"):
        print(f"{answer['short_answer']}  ({answer['answer_type']})\n", file=out)
    print(answer_plain_text(answer), file=out)


def print_sources(answer: dict | None, out: TextIO = sys.stdout) -> None:
    """The citations of an answer in full: the source line and the passage around the quote."""
    if not answer or not answer.get("citations"):
        print("The last answer cites no source.", file=out)
        return
    for citation in answer["citations"]:
        print(source_line(citation), file=out)
        print(f"    {' '.join(citation.get('passage', '').split())}\n", file=out)


def converse(stream: Callable[[str, list], Iterator[dict]], read: Callable[[str], str] = input,
             out: TextIO = sys.stdout) -> int:
    """The conversation loop over `stream(question, history)` (`Assistant.stream` events). Returns 0 at /quit or
    end of input."""
    history: list[dict] = []
    print("News assistant: ask about the indexed articles (/help for commands).", file=out)
    while True:
        try:
            line = read("> ").strip()
        except EOFError:
            print(file=out)
            return 0
        except KeyboardInterrupt:  # Ctrl-C at the prompt: a fresh prompt
            print(file=out)
            continue
        if not line:
            continue
        if line in ("/quit", "/exit"):
            return 0
        if line == "/help":
            print(HELP, file=out)
        elif line == "/new":
            history = []
            print("(new conversation)", file=out)
        elif line == "/sources":
            print_sources(history[-1] if history else None, out)
        elif line.startswith("/"):
            print(f"unknown command {line.split()[0]}; /help lists the commands", file=out)
        else:
            answer = _answer(stream, line, history, out)
            if answer is not None:
                history.append(answer)


def _answer(stream: Callable[[str, list], Iterator[dict]], question: str, history: list[dict],
            out: TextIO) -> dict | None:
    """One answer, printed; None when it was cancelled (Ctrl-C) or failed (the error is printed). A Ctrl-C cancels
    even when a library the answer runs through catches the KeyboardInterrupt it raises: it is also remembered, and
    the next event of the answer ends it."""
    interrupted = threading.Event()

    def interrupt(signum, frame):
        interrupted.set()
        raise KeyboardInterrupt

    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, interrupt) if in_main else None
    try:
        for event in stream(question, history):
            if interrupted.is_set():
                raise KeyboardInterrupt
            if event["type"] == "answer":
                answer = event["answer"] if isinstance(event["answer"], dict) else event["answer"].as_dict()
                print_answer(answer, out)
                print(file=out)
                return answer
        return None
    except KeyboardInterrupt:
        print("\n(cancelled)", file=out)
    except ValueError as exc:
        print(f"error: {exc}", file=out)
    finally:
        if in_main:
            signal.signal(signal.SIGINT, previous)
    return None


def terminal_stream(assistant, backend: str | None, k: int | None, sources: list[str] | None, date_from: str | None,
                    date_to: str | None) -> Callable[[str, list], Iterator[dict]]:
    """`Assistant.stream` with the command line's generator, k and filters fixed (raises ValueError for a bad date)."""
    filters = make_filters(sources, date_from, date_to)
    return lambda question, history: assistant.stream(question, history, backend=backend, k=k, filters=filters)


class ServerUnavailable(RuntimeError):
    """The chat server given with --server cannot be reached or refused the login."""


def server_stream(url: str, auth: str, backend: str | None, k: int | None, sources: list[str] | None,
                  date_from: str | None, date_to: str | None) -> Callable[[str, list], Iterator[dict]]:
    """The same answers from a running chat server's `/ask` (`python app.py`), logged in with `auth`
    ("user:password", empty for none). Raises ServerUnavailable when it cannot be reached; an answer the server
    refuses (a bad date, an unknown generator) raises ValueError with its message."""
    from gradio_client import Client
    from gradio_client.exceptions import AppError

    user, _, password = auth.partition(":")
    try:
        client = Client(url, auth=(user, password) if auth else None, verbose=False)
    except Exception as exc:  # gradio_client raises httpx and ValueError variants for refused logins and bad URLs
        raise ServerUnavailable(f"cannot use the chat server at {url}: {exc}; start it with `python app.py` "
                                "(and set ASSISTANT_AUTH=user:password if it needs a login)") from None

    def ask(question: str, history: list) -> Iterator[dict]:
        try:
            answer = client.predict(question, history, k=k, backend=backend, sources=sources, date_from=date_from,
                                    date_to=date_to, api_name="/ask")
        except AppError as exc:
            raise ValueError(str(exc)) from None
        yield {"type": "answer", "answer": answer}

    return ask
