"""The web chat: its `/ask` API and start-up rules against `python app.py` run as a real subprocess, and the
pure helpers of assistant.ui (escaping, marker links, quote highlighting, upload names, filters, indexing rows)."""
from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ARTIFACTS, ROOT, SEED, SEED_QUESTION, ChatServer, PageSession, free_port


MAX_FILE_MB = 0.02  # the chat_server's upload limit (20 KiB), so that an oversized file is small


@pytest.fixture(scope="module")
def chat_server(tmp_path_factory):
    """The app with its index and Gradio's upload cache in one temporary folder (the index dir's parent)."""
    root = tmp_path_factory.mktemp("chat-api")
    server = ChatServer(root / "index", ARTIFACTS / "app-api.log",
                        env={"ASSISTANT_MAX_FILE_MB": str(MAX_FILE_MB), "GRADIO_TEMP_DIR": str(root / "gradio"),
                             "ASSISTANT_ALLOW_PRIVATE_URLS": "true", "ASSISTANT_FETCH_HOST_PAUSE_S": "0"}).start()
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
def test_ask_api_takes_the_history_of_follow_ups(client):
    """The optional second argument holds earlier [question, answer] pairs or answer objects; a follow-up's
    references are resolved with them."""
    from gradio_client.exceptions import AppError

    first_question = "What did Kremlin spokesman Dmitry Peskov call the Journal's report?"
    first = client.predict(first_question, [], api_name="/ask")
    follow_up = client.predict("And what did he say about their one conversation?", [[first_question, first["answer"]]],
                               api_name="/ask")
    assert follow_up["standalone_question"].startswith("And what did Dmitry Peskov say about")
    as_object = client.predict("And what did he say about their one conversation?", [first], api_name="/ask")
    assert as_object["standalone_question"] == follow_up["standalone_question"]
    with pytest.raises(AppError, match="history item 1 must be a \\[question, answer\\] pair"):
        client.predict("And then?", [["only a question"]], api_name="/ask")
    with pytest.raises(AppError, match="question must be text"):
        client.predict(None, [], api_name="/ask")


API_ENDPOINTS = {"/ask", "/index_text", "/index_url", "/articles", "/remove", "/statements", "/feeds", "/add_feed",
                 "/refresh_feeds", "/remove_feed", "/conversations", "/conversation", "/new_conversation",
                 "/rename_conversation", "/delete_conversation"}


@pytest.mark.slow
def test_only_the_documented_endpoints_are_exposed(client):
    api = client.view_api(print_info=False, return_format="dict")
    assert set(api["named_endpoints"]) == API_ENDPOINTS
    assert not api["unnamed_endpoints"]
    ask = {p["parameter_name"]: p for p in api["named_endpoints"]["/ask"]["parameters"]}
    assert list(ask) == ["question", "history", "k", "backend", "sources", "date_from", "date_to", "conversation_id"]
    assert all(ask[name]["parameter_has_default"] for name in list(ask)[1:])
    for name, endpoint in api["named_endpoints"].items():  # every parameter and the return value are described
        for parameter in endpoint["parameters"]:
            assert re.search(rf"^\s+{parameter['parameter_name']}: \w", endpoint["description"], re.M), (name, parameter)
        assert "Returns:" in endpoint["description"], name


@pytest.mark.slow
def test_api_statements(client):
    from gradio_client.exceptions import AppError

    denials = client.predict(stance="deny", api_name="/statements")
    assert any(row["speaker"] == "Russia" for row in denials) and all(row["stance"] == "deny" for row in denials)
    assert {"speakers", "speaker_kind", "quote", "start", "end", "article_id"} <= set(denials[0])
    peskov = client.predict(speaker="Kremlin spokesman Dmitry Peskov", limit=2, api_name="/statements")
    assert len(peskov) == 2 and all("Peskov" in row["speaker"] for row in peskov)
    ranked = client.predict(about="Chinese Embassy", limit=3, api_name="/statements")
    assert ranked[0]["score"] >= ranked[-1]["score"]
    for bad, message in (({"stance": "refute"}, "unknown stance 'refute'"), ({"limit": 0}, "limit must be a whole number"),
                         ({"date_from": "soon"}, "cannot read the from date")):
        with pytest.raises(AppError, match=message):
            client.predict(**bad, api_name="/statements")


@pytest.mark.slow
def test_api_indexes_lists_filters_and_removes_articles(client):
    from gradio_client.exceptions import AppError

    text = ("The town of Wrenport opened a floating library on an old ferry on Monday, harbor master Ilse Varga said. "
            "The library holds 4,000 books, according to Varga.")
    added = client.predict("Wrenport opens a floating library", text, "Coastal Courier", "2024-05-02",
                           "https://courier.example/library", api_name="/index_text")
    assert added["status"] == "added" and added["chunks"] >= 1
    again = client.predict("Wrenport opens a floating library", text, "Coastal Courier", "2024-05-02",
                           "https://courier.example/library", api_name="/index_text")
    assert again == {**added, "status": "unchanged", "added": 0, "unchanged": 1, "chunks": 0, "statements": 0}
    listed = {a["id"]: a for a in client.predict(api_name="/articles")}
    assert listed[added["article_id"]]["source"] == "Coastal Courier"
    assert listed[added["article_id"]]["url"] == "https://courier.example/library"

    question = "How many books does the floating library in Wrenport hold?"
    answer = client.predict(question, [], 5, "extractive", ["Coastal Courier"], "2024-05-01", "2024-05-03",
                            api_name="/ask")
    assert "4,000" in answer["answer"] and {c["source"] for c in answer["citations"]} == {"Coastal Courier"}
    outside = client.predict(question, sources=["Associated Press"], api_name="/ask")
    assert outside["abstained"]

    for args, kwargs, message in [
            ((None,), {}, "question must be text"), ((question,), {"k": 0}, "k must be a whole number from 1 to 50"),
            ((question,), {"backend": "gpt9"}, "backend 'gpt9': unknown generator"),
            ((question,), {"sources": "Coastal Courier"}, "sources must be a list"),
            ((question,), {"date_from": "yesterday"}, "cannot read the from date 'yesterday'"),
            ((question,), {"conversation_id": "nope"}, "conversation_id: no conversation"),
            ((question, [["only a question"]]), {}, "history item 1")]:
        with pytest.raises(AppError, match=message):
            client.predict(*args, **kwargs, api_name="/ask")
    with pytest.raises(AppError, match="date: 'yesterday' is not a date; use YYYY-MM-DD"):
        client.predict("T", "Body text.", "S", "yesterday", "", api_name="/index_text")
    with pytest.raises(AppError, match="text is empty"):
        client.predict("T", "  ", api_name="/index_text")

    assert client.predict([added["article_id"], "no-such-id"], api_name="/remove") == \
        {"removed": [added["article_id"]], "missing": ["no-such-id"]}
    assert added["article_id"] not in {a["id"] for a in client.predict(api_name="/articles")}
    with pytest.raises(AppError, match="ids must be a list"):
        client.predict("an-id", api_name="/remove")
    with pytest.raises(AppError, match="ids is empty"):
        client.predict(None, api_name="/remove")


@pytest.mark.slow
def test_api_indexes_a_url_and_follows_a_feed(client):
    from gradio_client.exceptions import AppError

    from bench.news_site import NewsSite, Route, article_html, stories

    found = stories(3, start=40)
    with NewsSite() as site:
        site.publish(found, "Api Wire", in_feed=found[1:])
        site.add_page(f"/amp/{found[0].slug}", article_html(found[0], canonical=site.url(f"/news/{found[0].slug}")))
        site.routes["/missing"] = Route(b"not here", status=404)
        one = client.predict(site.url(f"/news/{found[0].slug}"), api_name="/index_url")
        assert (one["status"], one["added"]) == ("added", 1) and one["chunks"] > 0
        # the same article through another address (its canonical link names the first): indexed once
        again = client.predict(site.url(f"/amp/{found[0].slug}"), api_name="/index_url")
        assert (again["status"], again["article_id"], again["chunks"]) == ("unchanged", one["article_id"], 0)
        with pytest.raises(AppError, match="404"):
            client.predict(site.url("/missing"), api_name="/index_url")
        with pytest.raises(AppError, match="url"):
            client.predict(None, api_name="/index_url")

        feed = client.predict(site.url("/rss.xml"), None, api_name="/add_feed")
        assert (feed["name"], feed["title"]) == ("api-wire", "Api Wire")
        first = client.predict([], api_name="/refresh_feeds")
        assert first["feeds"][0]["new"] == 2 and first["chunks"] > 0 and first["feeds"][0]["failed"] == []
        assert client.predict([], api_name="/refresh_feeds")["chunks"] == 0  # the feed answers 304
        assert [f["name"] for f in client.predict(api_name="/feeds")] == ["api-wire"]
        assert {s.title for s in found} <= {a["title"] for a in client.predict(api_name="/articles")}
        with pytest.raises(AppError, match="no feed named 'nope'"):
            client.predict(["nope"], api_name="/refresh_feeds")
        removed = client.predict("api-wire", True, api_name="/remove_feed")
        assert len(removed["removed_articles"]) == 2 and client.predict(api_name="/feeds") == []
        titles = {a["title"] for a in client.predict(api_name="/articles")}
        assert found[0].title in titles and not {s.title for s in found[1:]} & titles


@pytest.mark.slow
def test_api_conversations(client):
    from gradio_client.exceptions import AppError

    created = client.predict("Peskov", api_name="/new_conversation")
    first = client.predict(SEED_QUESTION, [], conversation_id=created["id"], api_name="/ask")
    follow_up = client.predict("What did he call the report?", [first], conversation_id=created["id"], api_name="/ask")
    assert "Peskov" in follow_up["standalone_question"]
    listed = {c["id"]: c for c in client.predict(api_name="/conversations")}
    assert listed[created["id"]]["title"] == "Peskov" and listed[created["id"]]["turns"] == 2
    stored = client.predict(created["id"], api_name="/conversation")
    assert [t["question"] for t in stored["turns"]] == [SEED_QUESTION, "What did he call the report?"]
    assert stored["turns"][1]["answer"]["short_answer"] == follow_up["short_answer"]
    assert client.predict(created["id"], "Kremlin denial", api_name="/rename_conversation") == \
        {"id": created["id"], "title": "Kremlin denial"}
    assert client.predict(created["id"], api_name="/delete_conversation") == {"deleted": created["id"]}
    assert created["id"] not in {c["id"] for c in client.predict(api_name="/conversations")}
    for endpoint, args in (("/conversation", ("nope",)), ("/rename_conversation", ("nope", "title")),
                           ("/delete_conversation", ("nope",)), ("/conversation", (created["id"],))):
        with pytest.raises(AppError, match="conversation_id: no conversation"):
            client.predict(*args, api_name=endpoint)
    with pytest.raises(AppError, match="conversation_id must be text"):
        client.predict(None, api_name="/conversation")


def tree(root: Path) -> dict[str, tuple[int, int]]:
    """{relative path: (size, mtime_ns)} of every file under `root`."""
    return {str(path.relative_to(root)): (path.stat().st_size, path.stat().st_mtime_ns)
            for path in root.rglob("*") if path.is_file()}


def article(title: str, sentence: str) -> bytes:
    return f"Source: Upload Tests\n\n{title}\n\n{sentence}\n".encode()


@pytest.mark.slow
def test_hostile_uploads_are_refused_one_by_one(chat_server):
    """One upload through the page's own event with traversal, NUL and Unicode names, colliding names, an unsupported
    type, a zip disguised as .txt and an empty file: each bad file gets a row naming it and saying what to do, the
    good ones are indexed, and nothing is written outside <index>/uploads except the index and Gradio's upload cache.
    An oversized file and a path outside Gradio's cache are refused before the handler."""
    import httpx

    root = chat_server.index_dir.parent
    secret = root / "secret.txt"
    secret.write_bytes(article("Secret memo", "The vault code is 4417, the treasurer said."))
    before = tree(root)
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("story.txt", "Inner\n\nA story inside a zip.")
    page = PageSession(chat_server.url)
    files = page.upload([("../../escape.txt", article("Escape hatch story", "The ferry escaped the storm, the captain said.")),
                         ("新闻 (1).txt", article("Lantern festival news", "Lanterns lit the old harbor, the mayor said.")),
                         ("notes.pdf", b"%PDF-1.4 not an article"),
                         ("archive.txt", zipped.getvalue()),
                         ("story.txt", article("First story", "The first story was filed on Monday, the editor said.")),
                         ("story.txt", article("Second story", "The second story was filed on Tuesday, the editor said.")),
                         ("empty.md", b""),
                         ("a\x00b.txt", article("Null byte name", "The bakery reopened on Friday, the baker said."))])
    results, _, table, *_ = page.call("index-files", "click", files, [])
    rows = {(row[0], row[2]): row for row in results["data"]}
    assert [row[2] for row in results["data"]].count("added") == 4, results["data"]
    assert "unsupported type '.pdf'; nothing was stored" in rows[("notes.pdf", "failed")][3]
    assert rows[("archive.txt", "failed")][3].startswith("archive.txt looks like a binary file")
    assert "same name as another file of this upload" in rows[("story.txt", "failed")][3]
    assert rows[("empty.md", "failed")][3].startswith("empty.md is empty")
    for row in results["data"]:
        assert row[0] and row[3].startswith(row[0]) or row[2] == "added", row  # every failure names its file
    titles = {row[1] for row in table["data"]}
    assert {"Escape hatch story", "Lantern festival news", "First story", "Null byte name"} <= titles
    assert "Second story" not in titles

    with pytest.raises(httpx.HTTPStatusError, match="413"):  # Gradio refuses it at the upload, before any handler
        page.upload([("big.txt", b"x " * int(MAX_FILE_MB * 2**20))])
    with pytest.raises(RuntimeError):  # a path outside Gradio's upload cache is never read
        page.call("index-files", "click", [{"path": str(secret), "orig_name": "secret.txt", "meta": {"_type": "gradio.FileData"}}], [])
    table = page.call(None, "load", [], output="articles-table")[0]
    assert "Secret memo" not in {row[1] for row in table["data"]}

    changed = {path for path, stat in tree(root).items() if before.get(path) != stat}
    outside = {path for path in changed if not path.startswith(("index/", "gradio/"))}
    assert not outside, outside
    uploads = sorted(path for path in changed if path.startswith("index/uploads/"))
    assert len(uploads) == 4 and "index/uploads/escape.txt" in uploads, uploads  # only the indexed files are kept
    assert not [path for path in changed if path.startswith("index/") and not path.startswith(
        ("index/uploads/", "index/chroma/", "index/lexical/", "index/.")) ], changed


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
    follow_up = answer_html({**answer, "question": "What did he say?", "standalone_question": "What did <b>Peskov</b> say?"}, 2)
    assert '<div class="interpreted">Interpreted as: <span class="interpreted-question">What did &lt;b&gt;Peskov&lt;/b&gt; say?</span></div>' in follow_up
    assert "interpreted" not in answer_html({**answer, "question": "Q?", "standalone_question": "Q?"}, 1)


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
    assert safe_upload_name("report.txt") == "report.txt" and safe_upload_name("新闻.md") == "新闻.md"  # unchanged
    # Cleaned names get a hash of the original, so different names never share a file.
    assert re.fullmatch(r"bashrc-[0-9a-f]{8}", safe_upload_name(".bashrc"))
    assert re.fullmatch(r"upload-[0-9a-f]{8}", safe_upload_name("")) and safe_upload_name("") != safe_upload_name("..")
    assert re.fullmatch(r"my-story-1-[0-9a-f]{8}\.md", safe_upload_name("my story (1).md"))
    assert safe_upload_name("my story.txt") != safe_upload_name("my-story.txt") != safe_upload_name("my_story.txt")
    assert safe_upload_name("🙂.txt") != safe_upload_name("😀.txt") and safe_upload_name("🙂.txt").endswith(".txt")
    for hostile in ("a\x00b.txt", "\u202egnp.txt", "line\nbreak.md", "x" * 500 + ".txt", "é" * 300 + ".txt", "../..",
                    "C:\\x\\..\\y.html", "\ud800.txt"):
        name = safe_upload_name(hostile)
        assert re.fullmatch(r"[\w.-]+", name) and not name.startswith(".") and len(name.encode()) <= 200, (hostile, name)
        assert name == safe_upload_name(hostile)  # stable: an upload of the same name replaces its earlier upload

    source = tmp_path / "in" / "..evil name.txt"
    source.parent.mkdir()
    source.write_text("Title\n\nBody.")
    stored = store_upload(source, tmp_path / "uploads", max_bytes=1000)
    assert re.fullmatch(r"evil-name-[0-9a-f]{8}\.txt", stored.name) and stored.parent == tmp_path / "uploads" and stored.read_text() == "Title\n\nBody."
    source.write_bytes(b"x" * 2000)
    with pytest.raises(ValueError, match="over the .* limit"):
        store_upload(source, tmp_path / "uploads", max_bytes=1000)
    binary = tmp_path / "in" / "tool.exe"
    binary.write_bytes(b"MZ\x00\x00")
    with pytest.raises(ValueError, match="unsupported type '.exe'; nothing was stored"):
        store_upload(binary, tmp_path / "uploads", max_bytes=1000)
    assert sorted(p.name for p in (tmp_path / "uploads").iterdir()) == [stored.name]


def test_filters_from_settings_are_inclusive_utc_days():
    from assistant.dates import parse_date
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
    progress = []
    rows = index_files(ArticleIndex(settings), [(p.name, p) for p in (good, empty, other, lines)], 10_000, progress.append)
    by_file = {}
    for name, title, status, detail in rows:
        by_file.setdefault(name, []).append((title, status, detail))
    assert by_file["good.txt"] == [("A tiny harbor story", "added", by_file["good.txt"][0][2])]
    assert by_file["empty.md"][0][1] == "failed" and "empty.md is empty" in by_file["empty.md"][0][2]
    assert by_file["notes.pdf"][0][1] == "failed" and "unsupported type" in by_file["notes.pdf"][0][2]
    assert sorted(status for _, status, _ in by_file["export.jsonl"]) == ["added", "failed"]
    assert any("export.jsonl:2 line 2 is not valid JSON" in detail for *_, detail in by_file["export.jsonl"])
    last = progress[-1]  # the index's IndexProgress: the loaded articles settled, their chunks embedded
    assert (last.articles_done, last.articles_total) == (2, 2) and last.chunks_embedded == last.chunks_total > 0


@pytest.mark.slow
def test_command_line_asks_a_running_server(chat_server, tmp_path):
    """`assistant ask --server URL` gets the server's answer (no index loaded in the command's process)."""
    run = lambda *args, env=None: subprocess.run([sys.executable, "-m", "assistant.cli", "ask", *args], cwd=ROOT,  # noqa: E731
                                                 capture_output=True, text=True, timeout=120,
                                                 env={**os.environ, "ASSISTANT_INDEX_DIR": str(tmp_path / "none"), **(env or {})})
    done = run(SEED_QUESTION, "--server", chat_server.url, "--json")
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert "Peskov" in answer["short_answer"] and answer["citations"]
    assert not (tmp_path / "none").exists()  # nothing was loaded or created locally
    via_env = run(SEED_QUESTION, env={"ASSISTANT_SERVER": chat_server.url})
    assert via_env.returncode == 0 and "Sources:\n[1] " in via_env.stdout
    refused = run(SEED_QUESTION, "--server", chat_server.url, "--from", "yesterday")
    assert refused.returncode == 2 and "cannot read the from date 'yesterday'" in refused.stderr
    down = run(SEED_QUESTION, "--server", f"http://127.0.0.1:{free_port()}/")
    assert down.returncode == 2 and "cannot use the chat server" in down.stderr and "python app.py" in down.stderr


@pytest.mark.slow
def test_terminal_chat_talks_to_a_running_server(chat_server, tmp_path):
    """`assistant chat --server URL`: the conversation, follow-up included, is answered by the running app."""
    from test_terminal import Terminal

    chat = Terminal("chat", "--server", chat_server.url, "--index-dir", str(tmp_path / "none"))
    try:
        chat.expect(r"> ")
        chat.send(SEED_QUESTION + "\n")
        assert "Peskov" in chat.expect(r"\n> ")
        chat.send("What did he call the report?\n")
        assert "(interpreted as: What did Peskov call the report?)" in chat.expect(r"\n> ")
        chat.send("/quit\n")
        assert chat.process.wait(timeout=30) == 0
    finally:
        if chat.process.poll() is None:
            chat.process.kill()
    assert not (tmp_path / "none").exists()
