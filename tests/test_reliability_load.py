"""Concurrency: 16 chat clients at once through the `/ask` API of a real `python app.py`, and indexing while it answers.

Each client is a gradio_client Client in its own thread asking a mix of answerable, follow-up (with the history
of its own previous answer) and unanswerable questions for a fixed time. Every answer must be well-formed (an
answer whose [n] markers all resolve to citations whose quotes sit at their offsets, or an abstention without
citations), no request may fail, and the app's RSS after warm-up may grow by at most RSS_GROWTH_LIMIT. Latency
percentiles, throughput, RSS and the load average are printed and written to test-artifacts/load.json.

While clients ask, articles are indexed (a) through the page's own upload event (the Articles tab) and (b) by a
separate `assistant index` process on the same index directory; both must become answerable in the running app,
(b) including its dense side (the store reopens its embedded Chroma client when another process commits).

The app answers /ask with the queue's default_concurrency_limit=2: answering is CPU-bound (embedding, BM25,
evidence scoring) on 2 cores, so more concurrent answers would only share the same cores (and torch's threads)
and raise every latency; waiting requests queue in order. The long variant (5 minutes, indexing every minute)
runs with ASSISTANT_STRESS=1.
"""
from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import psutil
import pytest

from assistant.articles import load_file
from assistant.config import Settings
from assistant.reader import ABSTAIN_OPENING
from assistant.retrieve import HybridRetriever
from assistant.store import ArticleIndex
from conftest import ARTIFACTS, ROOT, SEED, SEED_QUESTION, ChatServer, PageSession

pytestmark = pytest.mark.slow

STRESS = os.environ.get("ASSISTANT_STRESS") == "1"
CLIENTS = 16
SHORT_S = 50.0
LONG_S = 300.0
WARM_UP_SHARE = 0.25  # RSS growth is measured against the peak of the first quarter of a run
RSS_GROWTH_LIMIT = (0.15, 150 * 2**20)  # at most 15 % and at most 150 MiB over the warm-up peak

ANSWERABLE = [SEED_QUESTION, "What did Kremlin spokesman Dmitry Peskov call the Journal's report?",
              "Which newspaper reported that Elon Musk has been in regular contact with Vladimir Putin?",
              "What did Putin ask Musk regarding Starlink, according to the Journal?",
              "At which think tank does Bradley Bowman work?", "In what year did Russia seize Crimea?"]
FOLLOW_UPS = ["And what did he say about their one conversation?", "Who has denied that those calls occurred?",
              "What else did he say about the election?"]
UNANSWERABLE = ["What is the capital of Mongolia?", "How many Starlink satellites does SpaceX currently operate?",
                "How much did SpaceX receive in NASA contracts in 2023?"]

ARTICLE_A = """Source: Coastal Courier
Date: 2024-05-02

Harbor town opens a floating library

The town of Wrenport opened a floating library on an old ferry on Monday, the harbor master Ilse Varga said.
The library holds 4,000 books and will sail between three islands every week, according to Varga.
"""
ARTICLE_B = """Source: Valley Ledger
Date: 2024-06-11

Glassblowers revive an old furnace in Quarrymoor

The glassblowers of Quarrymoor relit the town's eighteenth-century furnace on Saturday, the guild master Tobias Fenn said.
The furnace will fire 900 lanterns for the winter market, Fenn said.
"""
QUESTION_A = "Who opened a floating library on an old ferry?"
QUESTION_B = "Who relit the eighteenth-century furnace in Quarrymoor?"


def problems(answer: object) -> list[str]:
    """What is wrong with an /ask result ([] for a well-formed answer or abstention)."""
    if not isinstance(answer, dict) or not {"answer", "abstained", "citations"} <= set(answer):
        return [f"not an answer object: {str(answer)[:200]}"]
    text, citations = answer["answer"], answer["citations"]
    if answer["abstained"]:
        return [] if not citations and text.startswith(ABSTAIN_OPENING) else [f"bad abstention: {text[:200]}"]
    found: list[str] = []
    markers = {int(m) for m in re.findall(r"\[(\d+)\]", text)}
    if not citations or markers != {c["marker"] for c in citations}:
        found.append(f"markers {sorted(markers)} vs citations {[c['marker'] for c in citations]}")
    for c in citations:
        offset = c["start"] - c["passage_start"]
        if not c["quote"] or c["passage"][offset:offset + len(c["quote"])] != c["quote"]:
            found.append(f"citation [{c['marker']}] quote is not at its offsets")
    return found


def rss(process: psutil.Process) -> int:
    """Resident memory of the app and its children."""
    total = process.memory_info().rss
    for child in process.children(recursive=True):
        try:
            total += child.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


class Load:
    """CLIENTS threads asking through their own gradio_client Client until `seconds` have passed, while the app's
    RSS is sampled every second; `events` are (seconds after the start, callable) run on the main thread."""

    def __init__(self, server: ChatServer, seconds: float):
        self.server, self.seconds = server, seconds
        self.latencies: list[tuple[float, float]] = []  # (finished at, seconds)
        self.errors: list[str] = []
        self.malformed: list[str] = []
        self.kinds = {"answerable": 0, "follow_up": 0, "unanswerable": 0, "abstained": 0}
        self.samples: list[tuple[float, int]] = []
        self._lock = threading.Lock()

    def _client(self, number: int, started: float) -> None:
        from gradio_client import Client

        rng = random.Random(number)
        try:
            client = Client(self.server.url, verbose=False)
        except Exception as exc:  # noqa: BLE001 - every failure is counted, none may happen
            with self._lock:
                self.errors.append(f"client {number} could not connect: {exc!r}")
            return
        previous: tuple[str, str] | None = None
        while time.monotonic() - started < self.seconds:
            roll = rng.random()
            if previous and roll < 0.3:
                kind, question, history = "follow_up", rng.choice(FOLLOW_UPS), [list(previous)]
            elif roll < 0.8:
                kind, question, history = "answerable", rng.choice(ANSWERABLE), []
            else:
                kind, question, history = "unanswerable", rng.choice(UNANSWERABLE), []
            asked = time.monotonic()
            try:
                answer = client.predict(question, history, api_name="/ask")
            except Exception as exc:  # noqa: BLE001
                with self._lock:
                    self.errors.append(f"{question!r}: {exc!r}")
                continue
            took = time.monotonic() - asked
            found = problems(answer)
            with self._lock:
                self.latencies.append((time.monotonic() - started, took))
                self.kinds[kind] += 1
                self.kinds["abstained"] += bool(isinstance(answer, dict) and answer.get("abstained"))
                self.malformed += [f"{question!r}: {p}" for p in found]
            previous = (question, answer["answer"]) if not found and not answer["abstained"] else None

    def run(self, events: list[tuple[float, object]] = ()) -> dict:
        process = psutil.Process(self.server.process.pid)
        started = time.monotonic()
        threads = [threading.Thread(target=self._client, args=(n, started), daemon=True) for n in range(CLIENTS)]
        for thread in threads:
            thread.start()
        pending = sorted(events, key=lambda event: event[0])
        while any(thread.is_alive() for thread in threads):
            now = time.monotonic() - started
            self.samples.append((now, rss(process)))
            while pending and pending[0][0] <= now:
                pending.pop(0)[1]()
            time.sleep(1.0)
        for _, event in pending:  # events scheduled after the last answer still run
            event()
        return self.report(time.monotonic() - started)

    def report(self, elapsed: float) -> dict:
        seconds = [took for _, took in self.latencies]
        warm_until = self.seconds * WARM_UP_SHARE
        warm = [value for at, value in self.samples if at <= warm_until] or [self.samples[0][1]]
        after = [value for at, value in self.samples if at > warm_until] or warm
        mib = 2**20
        return {"clients": CLIENTS, "seconds": round(elapsed, 1), "answers": len(seconds), "errors": len(self.errors),
                "malformed": len(self.malformed), "kinds": self.kinds,
                "throughput_per_s": round(len(seconds) / elapsed, 2),
                "latency_s": {"p50": round(percentile(seconds, 0.50), 2), "p95": round(percentile(seconds, 0.95), 2),
                              "p99": round(percentile(seconds, 0.99), 2), "max": round(max(seconds, default=0), 2)},
                "rss_mib": {"start": round(self.samples[0][1] / mib), "warm_up_peak": round(max(warm) / mib),
                            "peak": round(max(v for _, v in self.samples) / mib), "end": round(self.samples[-1][1] / mib),
                            "growth_after_warm_up": round((max(after) - max(warm)) / mib)},
                "load_average": [round(value, 2) for value in os.getloadavg()], "cpus": os.cpu_count()}


def record(name: str, report: dict) -> None:
    """Print the numbers and keep them in test-artifacts/load.json under `name`."""
    print(f"\n[{name}] " + json.dumps(report))
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / "load.json"
    try:
        saved = json.loads(path.read_text())
    except (OSError, ValueError):
        saved = {}
    saved[name] = {**report, "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    path.write_text(json.dumps(saved, indent=2) + "\n")


def assert_healthy(load: Load, report: dict) -> None:
    assert not load.errors, load.errors[:5]
    assert not load.malformed, load.malformed[:5]
    assert report["answers"] >= CLIENTS, report
    assert report["kinds"]["follow_up"] and report["kinds"]["unanswerable"], report
    growth = report["rss_mib"]["growth_after_warm_up"] * 2**20
    limit = min(RSS_GROWTH_LIMIT[0] * report["rss_mib"]["warm_up_peak"] * 2**20, RSS_GROWTH_LIMIT[1])
    assert growth <= limit, f"RSS grew by {growth / 2**20:.0f} MiB after warm-up (limit {limit / 2**20:.0f}): {report}"


# --- fixtures and indexing actions --------------------------------------------------------------------
@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("load")
    server = ChatServer(root / "index", ARTIFACTS / "app-load.log", env={"GRADIO_TEMP_DIR": str(root / "gradio")}).start()
    yield server
    server.stop()


def index_through_page(server: ChatServer, name: str, text: str, results: list) -> None:
    """Upload and index one article as the Articles tab does; the result rows are appended to `results`."""
    page = PageSession(server.url)
    rows = page.call("index-files", "click", page.upload([(name, text.encode())]), [])[0]["data"]
    results.append(rows)


def index_in_another_process(server: ChatServer | SimpleNamespace, folder: Path, name: str, text: str, results: list) -> None:
    """`assistant index FILE --index-dir DIR` as a separate process on the app's index; appends its exit code and output."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text)
    env = {key: value for key, value in os.environ.items() if not key.startswith("ASSISTANT_")}
    done = subprocess.run([sys.executable, "-m", "assistant.cli", "index", str(folder / name), "--index-dir",
                           str(server.index_dir), "--json"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    results.append((done.returncode, done.stdout + done.stderr))


def in_background(function, *args) -> threading.Thread:
    thread = threading.Thread(target=function, args=args, daemon=True)
    thread.start()
    return thread


def background_event(at: float, workers: list[threading.Thread], function, *args):
    """An event for `Load.run`: `at` seconds into the load, start `function(*args)` in a thread kept in `workers`."""
    return at, lambda: workers.append(in_background(function, *args))


def load_with_events(server: ChatServer, seconds: float, events: list, workers: list[threading.Thread], name: str) -> None:
    """The 16-client load for `seconds` with `events`; waits for their background work, then records and checks it."""
    load = Load(server, seconds)
    report = load.run(events)
    for worker in workers:
        worker.join(timeout=300)
    record(name, report)
    assert_healthy(load, report)


def cited_articles(server: ChatServer, question: str) -> set[str]:
    from gradio_client import Client

    answer = Client(server.url, verbose=False).predict(question, [], api_name="/ask")
    assert not problems(answer), answer
    return {c["article_id"] for c in answer["citations"]}


# --- the tests -----------------------------------------------------------------------------------------
def test_dense_search_sees_another_process_while_threads_search(tmp_path):
    """An open index's dense search finds an article that a separate `assistant index` process committed (the
    store reopens its embedded client), while four threads keep searching through the reopen without an error."""
    settings = Settings(index_dir=tmp_path / "index")
    index = ArticleIndex(settings)
    index.index_articles(load_file(SEED, 10**7).articles)
    retriever = HybridRetriever.from_settings(index)
    assert not any(p.article_id.startswith("furnace-") for p in retriever.search(QUESTION_B, mode="dense"))
    stop, failures, searches = threading.Event(), [], [0]

    def search() -> None:
        while not stop.is_set():
            try:
                retriever.search(random.choice(ANSWERABLE + [QUESTION_B]))
                searches[0] += 1
            except Exception as exc:  # noqa: BLE001 - none may happen
                failures.append(repr(exc))

    threads = [in_background(search) for _ in range(4)]
    results: list = []
    index_in_another_process(SimpleNamespace(index_dir=settings.index_dir), tmp_path / "cli", "furnace.txt", ARTICLE_B, results)
    time.sleep(3)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    assert results[0][0] == 0, results
    assert not failures, failures[:3]
    assert searches[0] > 4
    dense = retriever.search(QUESTION_B, mode="dense")
    assert dense[0].article_id.startswith("furnace-"), [p.article_id for p in dense]


def test_sixteen_clients_ask_at_once(server):
    """16 concurrent /ask clients for SHORT_S seconds: no error, every answer well-formed, RSS stable."""
    load = Load(server, SHORT_S)
    report = load.run()
    record("sixteen_clients", report)
    assert_healthy(load, report)


def test_indexing_while_sixteen_clients_ask(server, tmp_path):
    """While 16 clients ask, one article is indexed through the page's upload event and one by another process;
    no answer fails, and afterwards both articles are cited by the running app."""
    uploaded: list = []
    external: list = []
    workers: list[threading.Thread] = []
    events = [background_event(10.0, workers, index_through_page, server, "harbor.txt", ARTICLE_A, uploaded),
              background_event(15.0, workers, index_in_another_process, server, tmp_path / "cli", "furnace.txt",
                               ARTICLE_B, external)]
    load_with_events(server, SHORT_S, events, workers, "indexing_while_asking")
    assert uploaded and [row[2] for row in uploaded[0]] == ["added"], uploaded
    assert external and external[0][0] == 0 and '"added": 1' in external[0][1], external
    assert any(article.startswith("harbor-") for article in cited_articles(server, QUESTION_A))
    assert any(article.startswith("furnace-") for article in cited_articles(server, QUESTION_B))


@pytest.mark.stress
@pytest.mark.skipif(not STRESS, reason="long variant: set ASSISTANT_STRESS=1 to run it")
def test_sixteen_clients_for_five_minutes_with_indexing(server, tmp_path):
    """LONG_S seconds of 16 clients, with an upload and an external indexing run every minute."""
    results: list = []
    workers: list[threading.Thread] = []
    events = []
    for minute in range(int(LONG_S // 60)):
        text_a = ARTICLE_A.replace("Wrenport", f"Wrenport{minute}")
        text_b = ARTICLE_B.replace("Quarrymoor", f"Quarrymoor{minute}")
        events += [background_event(60.0 * minute + 20, workers, index_through_page, server, f"harbor-{minute}.txt",
                                    text_a, results),
                   background_event(60.0 * minute + 40, workers, index_in_another_process, server, tmp_path / "cli",
                                    f"furnace-{minute}.txt", text_b, results)]
    load_with_events(server, LONG_S, events, workers, "sixteen_clients_five_minutes")
    assert len(results) == len(events), results
    assert all(result[0] == 0 if isinstance(result, tuple) else result[0][2] == "added" for result in results), results
