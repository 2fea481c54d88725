"""`assistant ask` and `assistant chat` as a person uses them: the real CLI in a pseudo-terminal over a real index."""
from __future__ import annotations

import fcntl
import io
import json
import os
import pty
import re
import select
import signal
import subprocess
import sys
import termios
import time

import pytest

from conftest import ROOT, SEED_QUESTION
from assistant.export import quoted
from assistant.terminal import _answer

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def seed_index(tmp_path_factory):
    index_dir = tmp_path_factory.mktemp("terminal") / "index"
    seed = ROOT / "eval" / "seed" / "articles.jsonl"  # the seed article with its date (the sample file has none)
    subprocess.run([sys.executable, "-m", "assistant.cli", "index", str(seed), "--index-dir", str(index_dir)], cwd=ROOT,
                   check=True, capture_output=True, timeout=300)
    return index_dir


class Terminal:
    """A command run in a pseudo-terminal it has as its controlling terminal (so Ctrl-C is a real SIGINT)."""

    def __init__(self, *args: str):
        self.master, slave = pty.openpty()

        def controlling_terminal():
            os.setsid()
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        self.process = subprocess.Popen([sys.executable, "-m", "assistant.cli", *args], cwd=ROOT, stdin=slave,
                                        stdout=slave, stderr=slave, preexec_fn=controlling_terminal, close_fds=True)
        os.close(slave)
        self.output = ""

    def expect(self, pattern: str, timeout: float = 120) -> str:
        """Read until `pattern` (a regex) appears in the output since the last expect; returns that output."""
        deadline = time.monotonic() + timeout
        while not re.search(pattern, self.output):
            ready, _, _ = select.select([self.master], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                raise AssertionError(f"{pattern!r} not printed within {timeout} s; got:\n{self.output[-3000:]}")
            try:
                self.output += os.read(self.master, 65536).decode("utf-8", "replace").replace("\r\n", "\n")
            except OSError:  # the process ended
                raise AssertionError(f"{pattern!r} not printed; the process ended; got:\n{self.output[-3000:]}") from None
        seen, self.output = self.output, self.output[re.search(pattern, self.output).end():]
        return seen

    def send(self, text: str) -> None:
        os.write(self.master, text.encode())


def test_chat_holds_a_conversation_shows_sources_and_ctrl_c_cancels_an_answer(seed_index):
    chat = Terminal("chat", "--index-dir", str(seed_index), "--backend", "llamacpp")
    try:
        chat.expect(r"/help for commands")
        chat.expect(r"> ")
        chat.send(SEED_QUESTION + "\n")
        first = chat.expect(r"\n> ")
        assert "Peskov" in first and "Sources:" in first
        chat.send("What did he call the report?\n")
        follow_up = chat.expect(r"\n> ")
        assert "(interpreted as: What did Peskov call the report?)" in follow_up
        assert "“absolutely false information”  (quote)" in follow_up
        chat.send("/sources\n")
        assert "[1] Elon Musk has been in regular contact" in chat.expect(r"\n> ")
        chat.send("What did the Chinese Embassy say?\n")
        time.sleep(1.0)  # retrieving and reading; SmolLM2 then takes seconds
        chat.send("\x03")
        assert "(cancelled)" in chat.expect(r"\n> ")
        chat.send("/sources\n")  # the cancelled answer is not part of the conversation
        assert "absolutely false information" in chat.expect(r"\n> ")
        chat.send("/new\n")
        chat.expect(r"\(new conversation\)\n> ")
        chat.send("/quit\n")
        assert chat.process.wait(timeout=30) == 0
    finally:
        if chat.process.poll() is None:
            chat.process.kill()


def test_ask_takes_history_and_filters_and_prints_quotes_once(seed_index, tmp_path):
    history = tmp_path / "history.json"
    history.write_text(json.dumps([[SEED_QUESTION, "Peskov and Russia."]]))
    run = lambda *args: subprocess.run([sys.executable, "-m", "assistant.cli", "ask", *args, "--index-dir",  # noqa: E731
                                        str(seed_index)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    done = run("What did he call the report?", "--history", str(history), "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["standalone_question"] == "What did Peskov call the report?"
    printed = run(SEED_QUESTION, "--source", "Associated Press", "--from", "2024-10-01", "--to", "2024-10-31").stdout
    assert "““" not in printed and "””" not in printed and "Sources:\n[1] " in printed
    assert run(SEED_QUESTION, "--source", "The Verge").stdout.startswith("The indexed articles don't say")
    bad = run(SEED_QUESTION, "--from", "yesterday")
    assert bad.returncode == 2 and "cannot read the from date 'yesterday'; use YYYY-MM-DD" in bad.stderr
    missing = run("What did he say?", "--history", str(tmp_path / "none.json"))
    assert missing.returncode == 2 and "cannot read the history file" in missing.stderr
    nowhere = subprocess.run([sys.executable, "-m", "assistant.cli", "ask", SEED_QUESTION, "--index-dir",
                              str(tmp_path / "typo")], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert nowhere.returncode == 2 and "there is no index in" in nowhere.stderr and not (tmp_path / "typo").exists()


def test_quotes_print_once():
    assert quoted("“After that,” Peskov said.") == "“After that,” Peskov said."
    assert quoted("Russia has denied it.") == "“Russia has denied it.”"
    assert quoted("He called it “false.”") == '"He called it “false.”"'


def test_ctrl_c_cancels_even_when_a_library_swallows_the_interrupt():
    def stream(question, history):
        yield {"type": "token", "text": "Russia"}
        try:  # a library on the answer's path that catches everything while it works
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(1.0)
        except BaseException:
            pass
        yield {"type": "answer", "answer": {"question": question, "answer": "Russia denied it."}}

    before = signal.getsignal(signal.SIGINT)
    out = io.StringIO()
    assert _answer(stream, "Who denied it?", [], out) is None
    assert out.getvalue() == "\n(cancelled)\n"
    assert signal.getsignal(signal.SIGINT) is before  # the handler the prompt had is back
