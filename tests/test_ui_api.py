"""The web chat: its `/ask` API and start-up rules against `python app.py` run as a real subprocess, and the
pure helpers of assistant.ui (escaping, marker links, quote highlighting, upload names, filters, indexing rows)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SEED, free_port, wait_for_port

SEED_QUESTION = "Who denied that Musk and Putin had been in contact?"
ARTIFACTS = ROOT / "test-artifacts"


class ChatServer:
    """`python app.py` on a free loopback port with its own index directory; its output goes to `log_path`."""

    def __init__(self, index_dir: Path, log_path: Path, *extra_args: str):
        self.index_dir, self.log_path, self.extra_args = index_dir, log_path, extra_args
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 240.0) -> "ChatServer":
        env = {key: value for key, value in os.environ.items() if key not in ("ASSISTANT_HOST", "ASSISTANT_AUTH", "ASSISTANT_PORT")}
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen([sys.executable, str(ROOT / "app.py"), "--port", str(self.port),
                                             "--index-dir", str(self.index_dir), *self.extra_args],
                                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_for_port(self.port, self.process, timeout=timeout)
        except (RuntimeError, TimeoutError) as exc:
            self.stop()
            raise RuntimeError(f"{exc}; app log:\n{self.log_path.read_text(errors='replace')[-3000:]}") from exc
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def chat_server(tmp_path_factory):
    server = ChatServer(tmp_path_factory.mktemp("chat-api") / "index", ARTIFACTS / "app-api.log").start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def client(chat_server):
    from gradio_client import Client

    return Client(chat_server.url, verbose=False)


def cli_answer(question: str, index_dir: Path) -> dict:
    """`assistant index SEED` then `assistant ask QUESTION --json` on a fresh index, in one process (one model load)."""
    script = ("import contextlib, io, sys\n"
              "from assistant.cli import main\n"
              "with contextlib.redirect_stdout(io.StringIO()):\n"
              "    assert main(['index', sys.argv[1], '--index-dir', sys.argv[2]]) == 0\n"
              "sys.exit(main(['ask', sys.argv[3], '--json', '--index-dir', sys.argv[2]]))\n")
    done = subprocess.run([sys.executable, "-c", script, str(SEED), str(index_dir), question], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def without_timings(answer: dict) -> dict:
    return {key: value for key, value in answer.items() if key != "timings_ms"}


# --- the /ask API against the running app ------------------------------------------------------------
@pytest.mark.slow
def test_ask_api_returns_the_cli_json(client, tmp_path):
    """predict(question, api_name="/ask") gives the object of `assistant ask --json` on the same article."""
    answer = client.predict(SEED_QUESTION, api_name="/ask")
    assert isinstance(answer, dict)
    assert not answer["abstained"] and answer["backend"] == "extractive"
    quotes = " ".join(c["quote"] for c in answer["citations"])
    assert "Russia has denied the conversations took place." in quotes or "Peskov" in quotes
    for citation in answer["citations"]:
        offset = citation["start"] - citation["passage_start"]
        assert citation["passage"][offset:offset + len(citation["quote"])] == citation["quote"]
        assert f"[{citation['marker']}]" in answer["answer"]

    expected = cli_answer(SEED_QUESTION, tmp_path / "cli-index")
    assert without_timings(answer) == without_timings(expected)
    assert set(answer["timings_ms"]) == set(expected["timings_ms"])


@pytest.mark.slow
def test_ask_api_abstains_and_rejects_an_empty_question(client):
    from gradio_client.exceptions import AppError

    answer = client.predict("What is the capital of Mongolia?", api_name="/ask")
    assert answer["abstained"] and answer["citations"] == []
    with pytest.raises(AppError, match="empty"):
        client.predict("   ", api_name="/ask")


@pytest.mark.slow
def test_only_ask_is_exposed_as_api(client):
    api = client.view_api(print_info=False, return_format="dict")
    assert set(api["named_endpoints"]) == {"/ask"}
    assert not api["unnamed_endpoints"]


# --- start-up rules ------------------------------------------------------------------------------------
def run_app(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    clean = {key: value for key, value in os.environ.items() if not key.startswith("ASSISTANT_")}
    return subprocess.run([sys.executable, str(ROOT / "app.py"), *args], cwd=ROOT, env={**clean, **(env or {})},
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("args, env", [(["--host", "0.0.0.0"], {}), ([], {"ASSISTANT_HOST": "192.0.2.1"}),
                                       (["--host", "::"], {}), (["--auth", "no-colon"], {})])
def test_refuses_to_start_exposed_or_with_a_bad_login(tmp_path, args, env):
    done = run_app(*args, "--port", str(free_port()), "--index-dir", str(tmp_path / "index"), env=env)
    assert done.returncode == 2
    assert "--auth" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "index").exists()  # refused before touching anything


def test_loopback_addresses():
    sys.path.insert(0, str(ROOT))
    import app

    assert all(app.is_loopback(host) for host in ("127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]"))
    assert not any(app.is_loopback(host) for host in ("0.0.0.0", "::", "192.168.1.5", "example.org", ""))


@pytest.mark.slow
def test_login_is_enforced(tmp_path):
    """With --auth the API (and the page) need the login; the password may contain ':'."""
    from gradio_client import Client

    server = ChatServer(tmp_path / "index", ARTIFACTS / "app-auth.log", "--auth", "tester:s3cret:pw").start()
    try:
        with pytest.raises(Exception):
            Client(server.url, verbose=False).predict(SEED_QUESTION, api_name="/ask")
        with pytest.raises(Exception):
            Client(server.url, auth=("tester", "wrong"), verbose=False)
        answer = Client(server.url, auth=("tester", "s3cret:pw"), verbose=False).predict(SEED_QUESTION, api_name="/ask")
        assert answer["citations"]
    finally:
        server.stop()


# --- pure helpers of assistant.ui -------------------------------------------------------------------
def citation(**changes) -> dict:
    passage = "First sentence here. Russia has denied it <b>loudly</b>. Last one."
    quote = "Russia has denied it <b>loudly</b>."
    base = {"marker": 1, "article_id": "a-1", "title": "T <i>x</i>", "source": "AP", "published_at": "2024-10-25T10:00:00",
            "url": "javascript:alert(1)", "chunk_id": "a-1:v:0000", "quote": quote, "start": 100 + passage.index(quote),
            "end": 100 + passage.index(quote) + len(quote), "passage": passage, "passage_start": 100}
    return base | changes


def test_answer_html_links_cited_markers_and_escapes_text():
    from assistant.ui import answer_html

    answer = {"answer": "He said <script>x()</script> no. [1] Other [2]", "abstained": False, "backend": "extractive",
              "citations": [citation()], "timings_ms": {"total": 1500.0}}
    rendered = answer_html(answer, 3)
    assert "&lt;script&gt;x()&lt;/script&gt;" in rendered and "<script>" not in rendered
    assert '<a class="cite" href="#cite-3-1" title="T &lt;i&gt;x&lt;/i&gt;" role="button">[1]</a>' in rendered
    assert "Other [2]" in rendered  # a marker without a citation stays text
    assert '<span class="backend">extractive</span>' in rendered
    abstained = answer_html({**answer, "abstained": True, "citations": [], "answer": "The indexed articles don't say."}, 1)
    assert 'class="answer abstained"' in abstained and "No answer in the indexed articles" in abstained


def test_highlight_passage_marks_the_quote_by_offset_or_by_search():
    from assistant.ui import card_html, highlight_passage

    expected = "First sentence here. <mark>Russia has denied it &lt;b&gt;loudly&lt;/b&gt;.</mark> Last one."
    assert highlight_passage(citation()) == expected
    assert highlight_passage(citation(start=0, end=5)) == expected  # wrong offsets: found by search
    assert highlight_passage(citation(quote="Not in the passage <img>")).endswith('<mark>Not in the passage &lt;img&gt;</mark></span>')
    card = card_html(citation(), 2, "Who <denied>?")
    assert 'id="cite-2-1"' in card and "javascript:" not in card and "Who &lt;denied&gt;?" in card
    assert "T &lt;i&gt;x&lt;/i&gt;" in card and "2024-10-25" in card


def test_safe_upload_names_stay_in_the_upload_folder(tmp_path):
    from assistant.ui import safe_upload_name, store_upload

    assert safe_upload_name("../../etc/passwd") == "passwd"
    assert safe_upload_name("..\\..\\Windows\\evil.TXT") == "evil.txt"
    assert safe_upload_name(".bashrc") == "bashrc"
    assert safe_upload_name("") == safe_upload_name("..") == "upload"
    assert safe_upload_name("my story (1).md") == "my-story-1.md"
    assert len(safe_upload_name("x" * 500 + ".txt")) <= 110

    source = tmp_path / "in" / "..evil name.txt"
    source.parent.mkdir()
    source.write_text("Title\n\nBody.")
    stored = store_upload(source, tmp_path / "uploads", max_bytes=1000)
    assert stored == tmp_path / "uploads" / "evil-name.txt" and stored.read_text() == "Title\n\nBody."
    source.write_bytes(b"x" * 2000)
    with pytest.raises(ValueError, match="over the"):
        store_upload(source, tmp_path / "uploads", max_bytes=1000)


def test_filters_from_settings_are_inclusive_utc_days():
    from assistant.store import parse_date
    from assistant.ui import make_filters

    assert make_filters([], None, "") is None
    day = parse_date("2024-05-02")
    filters = make_filters(["AP"], "2024-05-02", "2024-05-02")
    assert (filters.sources, filters.date_from, filters.date_to) == (("AP",), day, day + 86400)
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        make_filters([], "not a date", None)
    with pytest.raises(ValueError, match="after"):
        make_filters([], "2024-05-03", "2024-05-02")


def test_pasted_article_keeps_its_fields(tmp_path):
    from assistant.articles import load_file
    from assistant.ui import pasted_article_text

    path = tmp_path / "pasted.txt"
    path.write_text(pasted_article_text("Evil\nSource: Fake <b>", "Real Source", "2024-01-02", "Short line\nBody text here."))
    article = load_file(path, 10_000).articles[0]
    assert (article.title, article.source, article.published_at) == ("Evil Source: Fake <b>", "Real Source", "2024-01-02")
    assert article.body == "Short line\nBody text here."


def test_index_files_gives_one_row_per_article_or_error(settings, tmp_path):
    from assistant.store import ArticleIndex
    from assistant.ui import index_files

    good = tmp_path / "good.txt"
    good.write_text("Source: Courier\n\nA tiny harbor story\n\nThe ferry left at noon, the captain said.")
    empty = tmp_path / "empty.md"
    empty.write_text("")
    other = tmp_path / "notes.pdf"
    other.write_text("%PDF")
    lines = tmp_path / "export.jsonl"
    lines.write_text('{"title": "Line one", "body": "The bridge opened on Monday, officials said."}\nnot json\n')
    progress: list[tuple[int, int]] = []
    rows = index_files(ArticleIndex(settings), [(p.name, p) for p in (good, empty, other, lines)], 10_000,
                       lambda done, total: progress.append((done, total)))
    by_file = {}
    for name, title, status, detail in rows:
        by_file.setdefault(name, []).append((title, status, detail))
    assert by_file["good.txt"] == [("A tiny harbor story", "added", by_file["good.txt"][0][2])]
    assert by_file["empty.md"][0][1] == "failed" and "empty.md is empty" in by_file["empty.md"][0][2]
    assert by_file["notes.pdf"][0][1] == "failed" and "unsupported type" in by_file["notes.pdf"][0][2]
    assert sorted(status for _, status, _ in by_file["export.jsonl"]) == ["added", "failed"]
    assert any("export.jsonl:2 line 2 is not valid JSON" in detail for *_, detail in by_file["export.jsonl"])
    assert progress[-1] == (2, 2)
