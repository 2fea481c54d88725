"""Crash safety of indexing: SIGKILL at random moments and at every point between two Chroma writes,
and two indexers started at once on the same index.

After every kill a fresh process (a new reader, as after an application restart) checks that:
- no article is half present: each committed article has exactly its record's `chunks` visible, with
  indices 0..n-1, at the committed version, and its stored body is the body of that version;
- no chunk is visible without its article (no orphans in BM25, in the vector index or in search results);
- each committed article shows exactly the statements the extractor finds in its committed body, none twice, and
  no statement is visible without its article;
- the lexical side (`assistant.lexical.current`, the tantivy index the writer keeps under the same commit) and
  the vector side (a Chroma query over every vector) hold exactly the visible chunk ids;
and a rerun then completes the work with no duplicates (`chunk_collection.count()` == visible chunks, and the same
for statements).

The indexers are real processes. Most are forked from a pre-warmed helper (tests/fixtures/reliability/
zygote.py) that has imported everything and loaded the embedding model once, which turns ~10 s of start-up
per process into ~1 s; the final rerun is a real `python -m assistant.cli index` process.

Long variants (20 kills over 40 articles) run with ASSISTANT_STRESS=1.
"""
from __future__ import annotations

import json
import os
import random
import selectors
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from assistant.articles import load_file
from assistant.config import Settings
from assistant.store import ArticleIndex
from conftest import ROOT, SHARED

STRESS = os.environ.get("ASSISTANT_STRESS") == "1"
stress = pytest.mark.skipif(not STRESS, reason="long variant: set ASSISTANT_STRESS=1 to run it")
DATASET = SHARED / "datasets" / "multihop-rag" / "articles.jsonl"
ZYGOTE = Path(__file__).resolve().parent / "fixtures" / "reliability" / "zygote.py"
QUERIES = ["council vote", "Amazon deals on headphones", "what did the company announce"]
# Small chunks and small write batches, so that a run makes many commits and kills land between them.
INDEX_SETTINGS = {"chunk_tokens": 48, "chunk_overlap_tokens": 8, "write_batch_chunks": 6, "embedding_batch_size": 16}


# --- the pre-warmed process that forks indexers ---------------------------------------------------------
class Zygote:
    def __init__(self, workdir: Path):
        env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
        env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "tests")])
        self.workdir = workdir
        self.process = subprocess.Popen([sys.executable, str(ZYGOTE)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=open(workdir / "zygote.err", "wb"), cwd=ROOT, env=env)
        self._buffer = b""
        self._selector = selectors.DefaultSelector()
        self._selector.register(self.process.stdout, selectors.EVENT_READ)
        self._counter = 0
        self.answer(timeout=180)  # {"ready": pid}

    def answer(self, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not self._selector.select(left):
                raise TimeoutError(f"the zygote did not answer in {timeout}s; stderr: {self.stderr()}")
            data = os.read(self.process.stdout.fileno(), 65536)
            if not data:
                raise RuntimeError(f"the zygote exited ({self.process.poll()}); stderr: {self.stderr()}")
            self._buffer += data
        line, self._buffer = self._buffer.split(b"\n", 1)
        return json.loads(line)

    def stderr(self) -> str:
        return (self.workdir / "zygote.err").read_text(errors="replace")[-3000:]

    def request(self, value: dict, timeout: float = 30) -> dict:
        self.process.stdin.write((json.dumps(value) + "\n").encode())
        self.process.stdin.flush()
        return self.answer(timeout)

    def spawn(self, job: dict) -> "Worker":
        self._counter += 1
        out = self.workdir / f"job-{self._counter:03d}-{job['kind']}.log"
        pid = self.request({"op": "spawn", "job": job, "out": str(out)})["pid"]
        return Worker(self, pid, out)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class Worker:
    """One forked job; its output (stdout and stderr) is in `out`."""

    def __init__(self, zygote: Zygote, pid: int, out: Path):
        self.zygote, self.pid, self.out = zygote, pid, out
        self.status: dict | None = None

    def lines(self) -> list[str]:
        return self.out.read_text(errors="replace").splitlines() if self.out.exists() else []

    def finished(self) -> bool:
        return any(line.startswith("finished") for line in self.lines())

    def wait_for(self, predicate, timeout: float = 120) -> bool:
        """Wait until `predicate(lines)` holds (True) or the job has finished without it (False)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            lines = self.lines()
            if predicate(lines):
                return True
            if any(line.startswith("finished") for line in lines) or not _alive(self.pid):
                return predicate(self.lines())
            time.sleep(0.02)
        raise TimeoutError(f"job {self.pid} made no progress in {timeout}s:\n{self.text()}")

    def kill(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def wait(self, timeout: float = 300) -> dict:
        if self.status is None:
            try:
                self.status = self.zygote.request({"op": "wait", "pid": self.pid}, timeout=timeout)
            except TimeoutError:
                self.kill()
                raise
        return self.status

    def text(self) -> str:
        return "\n".join(self.lines()[-60:])


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.fixture(scope="module")
def zygote(tmp_path_factory):
    helper = Zygote(tmp_path_factory.mktemp("zygote"))
    yield helper
    helper.close()


# --- corpora ---------------------------------------------------------------------------------------------
def write_corpus(directory: Path, count: int, min_chars: int = 700) -> tuple[Path, Path]:
    """The first `count` benchmark articles, bodies cut to their first paragraphs (>= `min_chars`) plus a quoted
    statement, as two versions: v2 changes the body of every other article (updates replace chunks and statements)."""
    directory.mkdir(parents=True, exist_ok=True)
    v1, v2 = [], []
    with open(DATASET, encoding="utf-8") as full:
        for number in range(count):
            record = json.loads(next(full))
            kept: list[str] = []
            for paragraph in record["body"].split("\n\n"):
                kept.append(paragraph)
                if sum(map(len, kept)) >= min_chars:
                    break
            # an attributed statement in every article, so that statements are written (and crash) with the chunks
            kept.append(f'"The figures in story {number} are wrong," said Jane Whitfield, a spokeswoman for the council.')
            record["body"] = "\n\n".join(kept)
            v1.append(json.dumps(record, ensure_ascii=False))
            if number % 2 == 0:
                record["body"] += f"\n\nCorrection: an earlier version of story {number} misstated a figure."
            v2.append(json.dumps(record, ensure_ascii=False))
    (directory / "v1.jsonl").write_text("\n".join(v1) + "\n", encoding="utf-8")
    (directory / "v2.jsonl").write_text("\n".join(v2) + "\n", encoding="utf-8")
    return directory / "v1.jsonl", directory / "v2.jsonl"


def versions_of(corpus: Path, settings: Settings) -> dict[str, tuple[str, str]]:
    """{article id: (stored version, body)} as the store computes them for these settings."""
    holder = SimpleNamespace(settings=settings)
    return {a.id: (ArticleIndex.version_of(holder, a), a.body) for a in load_file(corpus, 2**26).articles}


def allowed_states(*corpora: dict[str, tuple[str, str]]) -> dict[str, dict[str, str]]:
    """{article id: {acceptable version: its body}} over several corpus versions."""
    allowed: dict[str, dict[str, str]] = {}
    for corpus in corpora:
        for article_id, (version, body) in corpus.items():
            allowed.setdefault(article_id, {})[version] = body
    return allowed


# --- the checks --------------------------------------------------------------------------------------------
def inspect(zygote: Zygote, settings: dict) -> dict:
    worker = zygote.spawn({"kind": "inspect", "settings": settings, "queries": QUERIES})
    status = worker.wait(timeout=180)
    results = [line[len("RESULT "):] for line in worker.lines() if line.startswith("RESULT ")]
    assert status["code"] == 0 and results, f"inspecting the index failed ({status}):\n{worker.text()}"
    return json.loads(results[0])


def assert_consistent(facts: dict, allowed: dict[str, dict[str, str]], where: str) -> None:
    """The invariants every reader must see at any time, whatever was killed when."""
    records, versions, visible = facts["records"], facts["versions"], facts["visible"]
    ids = [chunk[0] for chunk in visible]
    assert len(ids) == len(set(ids)), f"{where}: a chunk id is visible twice"
    assert set(records) == set(versions), f"{where}: list_articles and committed_versions disagree"
    per_article: dict[str, list] = {}
    for chunk_id, article_id, version, index in visible:
        per_article.setdefault(article_id, []).append((index, version))
    assert set(per_article) <= set(records), f"{where}: visible chunks without an article: {set(per_article) - set(records)}"
    for article_id, count in records.items():
        assert article_id in allowed, f"{where}: unknown article {article_id} is committed"
        assert versions[article_id] in allowed[article_id], f"{where}: {article_id} has a version no run wrote"
        assert facts["bodies"][article_id] == allowed[article_id][versions[article_id]], \
            f"{where}: {article_id}'s stored body is not the body of its committed version"
        chunks = sorted(per_article.get(article_id, []))
        assert len(chunks) == count > 0, f"{where}: {article_id} is half present: {len(chunks)} of {count} chunks visible"
        assert [index for index, _ in chunks] == list(range(count)), f"{where}: {article_id} has chunk indices {chunks}"
    lexical_ids = facts["lexical_ids"]
    assert len(lexical_ids) == len(set(lexical_ids)), f"{where}: the BM25 index holds a chunk twice"
    assert set(lexical_ids) == set(ids), (f"{where}: BM25 and Chroma disagree: only in BM25 {sorted(set(lexical_ids) - set(ids))[:5]}, "
                                          f"missing from BM25 {sorted(set(ids) - set(lexical_ids))[:5]} "
                                          f"(generation {facts['generation']})")
    assert sorted(facts["vector_ids"]) == sorted(ids), f"{where}: the vector index does not hold exactly the visible chunks"
    statement_ids = [row[0] for row in facts["statements"]]
    assert len(statement_ids) == len(set(statement_ids)), f"{where}: a statement is visible twice"
    per_article_statements: dict[str, int] = {}
    for _, article_id, start, end in facts["statements"]:
        assert article_id in records, f"{where}: a statement of {article_id} is visible without its article"
        assert facts["bodies"][article_id][start:end].strip(), f"{where}: a statement's offsets are outside its sentence"
        per_article_statements[article_id] = per_article_statements.get(article_id, 0) + 1
    for article_id in records:
        assert per_article_statements.get(article_id, 0) == facts["expected_statements"][article_id], \
            f"{where}: {article_id} shows {per_article_statements.get(article_id, 0)} statements, its body has " \
            f"{facts['expected_statements'][article_id]}"
    for query, found in facts["searched"].items():
        assert set(found) <= set(ids), f"{where}: search({query!r}) returned chunks that are not visible"
        if ids:
            assert found, f"{where}: search({query!r}) found nothing in a non-empty index"


def assert_complete(facts: dict, expected: dict[str, tuple[str, str]], where: str) -> None:
    """After a finished run: exactly the expected articles at their expected versions, and no leftovers."""
    assert_consistent(facts, {a: {v: b} for a, (v, b) in expected.items()}, where)
    assert set(facts["records"]) == set(expected), f"{where}: articles missing or extra: {set(expected) ^ set(facts['records'])}"
    assert {a: v for a, v in facts["versions"].items()} == {a: v for a, (v, _) in expected.items()}
    assert facts["total"] == len(facts["visible"]), f"{where}: {facts['total'] - len(facts['visible'])} orphan chunks left in Chroma"
    assert len({row[1] for row in facts["statements"]}) == len(expected), f"{where}: an article shows no statement"
    assert facts["statements_total"] == len(facts["statements"]), \
        f"{where}: {facts['statements_total'] - len(facts['statements'])} orphan statements left in Chroma"


def index_job(index_dir: Path, corpus: Path, crash_after_writes: int | None = None, **settings) -> dict:
    return {"kind": "index", "settings": {**settings_dict(index_dir), **settings}, "corpus": str(corpus),
            "crash_after_writes": crash_after_writes}


def settings_dict(index_dir: Path) -> dict:
    return {"index_dir": str(index_dir), **INDEX_SETTINGS}


def cli_env(index_dir: Path, **extra: str) -> dict[str, str]:
    env = {f"ASSISTANT_{key.upper()}": str(value) for key, value in INDEX_SETTINGS.items()}
    env["ASSISTANT_INDEX_DIR"] = str(index_dir)
    env.update(extra)
    return env


# --- 1. SIGKILL at random moments ---------------------------------------------------------------------------
def progress_lines(lines: list[str]) -> int:
    return sum(1 for line in lines if line.startswith(("added", "updated")))


def run_random_kills(zygote: Zygote, tmp_path: Path, articles: int, kills: int, seed: int) -> None:
    v1, v2 = write_corpus(tmp_path / "corpus", articles)
    settings = Settings(**settings_dict(tmp_path / "index"))
    corpora = {v1: versions_of(v1, settings), v2: versions_of(v2, settings)}
    allowed = allowed_states(*corpora.values())
    index_dir = tmp_path / "index"
    rng = random.Random(seed)
    landed = 0
    for attempt in range(kills):
        corpus = v1 if attempt % 2 == 0 else v2  # alternate versions: every run adds and updates articles
        if attempt % 5 == 2:  # the command line, killed after a random time
            worker = zygote.spawn({"kind": "cli", "argv": ["index", str(corpus), "--json"], "env": cli_env(index_dir)})
            time.sleep(rng.uniform(1.0, 3.5))
        else:  # ArticleIndex.index_articles, killed after a random number of articles plus a random delay
            worker = zygote.spawn(index_job(index_dir, corpus))
            assert worker.wait_for(lambda lines: "ready" in lines, timeout=120), worker.text()
            worker.wait_for(lambda lines, n=rng.randint(0, 6): progress_lines(lines) >= n)
            time.sleep(rng.uniform(0, 0.8))
        worker.kill()
        status = worker.wait()
        if status["signal"] == signal.SIGKILL:
            landed += 1
        else:
            assert status["code"] == 0, f"attempt {attempt}: the indexer failed ({status}):\n{worker.text()}"
        assert_consistent(inspect(zygote, settings_dict(index_dir)), allowed, f"after kill {attempt} ({status})")
    assert landed >= kills // 2, f"only {landed} of {kills} kills landed before the run finished; the test lost its point"

    final = v2 if kills % 2 else v1
    rerun = subprocess.run([sys.executable, "-m", "assistant.cli", "index", str(final), "--json"],
                           capture_output=True, text=True, cwd=ROOT, timeout=600,
                           env={**{k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")},
                                **cli_env(index_dir), "OMP_NUM_THREADS": "1"})
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    report = json.loads(rerun.stdout)
    assert report["failed"] == [] and report["added"] + report["updated"] + report["unchanged"] == articles
    facts = inspect(zygote, settings_dict(index_dir))
    assert_complete(facts, corpora[final], "after the rerun")
    assert len(facts["records"]) == articles


@pytest.mark.slow
def test_sigkill_at_random_moments(zygote: Zygote, tmp_path: Path):
    run_random_kills(zygote, tmp_path, articles=30, kills=5, seed=11)


@pytest.mark.slow
@pytest.mark.stress
@stress
def test_sigkill_at_random_moments_long(zygote: Zygote, tmp_path: Path):
    run_random_kills(zygote, tmp_path, articles=40, kills=20, seed=1234)


# --- 2. SIGKILL right after every write (Chroma, and the lexical index's commits) of add, update and remove ------
def writes_of(worker: Worker) -> list[str]:
    return [line for line in worker.lines() if line.startswith("write ")]


@pytest.mark.slow
def test_sigkill_after_every_write(zygote: Zygote, tmp_path: Path):
    """Crash points between consecutive writes, for adding, updating and removing articles: every Chroma write and
    every lexical commit, so also after the lexical documents of a commit are written but not the article records
    (they must stay invisible) and after the article records but before the retired documents are cleaned (the
    retire markers must hide them).

    Before each crashed run a reader has opened the lexical index of the start state (as a running app has),
    so a commit that does not change the generation number shows up as BM25 and Chroma disagreeing.
    """
    v1, v2 = write_corpus(tmp_path / "corpus", 4, min_chars=500)
    batch = {"write_batch_chunks": 10}  # two commits when adding, one when updating
    probe = Settings(**settings_dict(tmp_path / "probe"))
    first, second = versions_of(v1, probe), versions_of(v2, probe)
    removed = sorted(first)[:2]
    after_remove = {a: state for a, state in first.items() if a not in removed}

    empty = tmp_path / "empty"
    inspect(zygote, settings_dict(empty))  # creates the collections and caches an empty BM25 index
    base = tmp_path / "base"
    shutil.copytree(empty, base)
    baseline = zygote.spawn(index_job(base, v1, crash_after_writes=10**9, **batch))
    assert baseline.wait()["code"] == 0, baseline.text()
    assert_complete(inspect(zygote, settings_dict(base)), first, "base")

    phases = [  # name, start state, job builder, {article: allowed versions} mid-run, the finished state
        ("add", empty, lambda d, **kw: index_job(d, v1, **batch, **kw), allowed_states(first), first),
        ("update", base, lambda d, **kw: index_job(d, v2, **batch, **kw), allowed_states(first, second), second),
        ("remove", base, lambda d, **kw: {"kind": "remove", "settings": settings_dict(d), "ids": removed, **kw},
         allowed_states(first), after_remove),
    ]
    points = 0
    for name, start, job, allowed, finished in phases:
        reference = tmp_path / f"{name}-reference"
        shutil.copytree(start, reference)
        run = zygote.spawn(job(reference, crash_after_writes=10**9))
        assert run.wait()["code"] == 0, run.text()
        total_writes = len(writes_of(run))
        assert total_writes >= 2, f"{name}: expected several writes, got {writes_of(run)}"
        for crash_at in range(1, total_writes):
            where = f"{name}, killed after write {crash_at} of {total_writes}"
            index_dir = tmp_path / f"{name}-{crash_at}"
            shutil.copytree(start, index_dir)
            crashed = zygote.spawn(job(index_dir, crash_after_writes=crash_at))
            status = crashed.wait()
            assert status["signal"] == signal.SIGKILL and len(writes_of(crashed)) == crash_at, f"{where}: {status}\n{crashed.text()}"
            assert_consistent(inspect(zygote, settings_dict(index_dir)), allowed, where)
            rerun = zygote.spawn(job(index_dir))
            assert rerun.wait()["code"] == 0, f"{where}: the rerun failed:\n{rerun.text()}"
            assert_complete(inspect(zygote, settings_dict(index_dir)), finished, f"{where}, then rerun")
            points += 1
    assert points >= 5


# --- 3. two indexers at once ----------------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("lock_timeout", ["600", "0.3"])
def test_two_indexers_started_together(zygote: Zygote, tmp_path: Path, lock_timeout: str):
    """Both succeed one after the other (the write lock), or one says clearly that another indexer is writing.

    The two inputs overlap: articles 0-5 and 3-8. Nothing may be indexed twice and nothing written by the
    first may be lost by the second (each process opened its Chroma client before the other wrote)."""
    full, _ = write_corpus(tmp_path / "corpus", 9, min_chars=600)
    lines = full.read_text(encoding="utf-8").splitlines()
    inputs = [tmp_path / "first.jsonl", tmp_path / "second.jsonl"]
    inputs[0].write_text("\n".join(lines[:6]) + "\n", encoding="utf-8")
    inputs[1].write_text("\n".join(lines[3:]) + "\n", encoding="utf-8")
    index_dir = tmp_path / "index"
    probe = Settings(**settings_dict(index_dir))
    expected = [versions_of(path, probe) for path in inputs]
    env = cli_env(index_dir, ASSISTANT_LOCK_TIMEOUT_S=lock_timeout)
    workers = [zygote.spawn({"kind": "cli", "argv": ["index", str(path), "--json"], "env": env}) for path in inputs]
    statuses = [worker.wait() for worker in workers]
    outputs = [worker.out.read_text() for worker in workers]
    for status, output in zip(statuses, outputs):
        assert status["code"] in (0, 2), f"{status}:\n{output}"
        if status["code"] == 2:
            assert "error: another indexer (pid" in output and "try again when it has finished" in output, output
    codes = [status["code"] for status in statuses]
    # With a long timeout the second waits; with a short one it gives up (unless, on a starved machine, the two
    # runs did not overlap at all, when both succeed one after the other).
    assert codes == [0, 0] if lock_timeout == "600" else sorted(codes) in ([0, 2], [0, 0]), outputs
    final = {}
    for code, output, articles in zip(codes, outputs, expected):
        if code == 0:
            report = json.loads(output[output.index("{\n"):])
            assert report["added"] + report["unchanged"] == len(articles) and not report["failed"], report
            final.update(articles)
    if codes == [0, 0]:
        reports = [json.loads(output[output.index("{\n"):]) for output in outputs]
        assert sum(report["added"] for report in reports) == len(final), reports  # the overlap was indexed once
    assert_complete(inspect(zygote, settings_dict(index_dir)), final, f"two indexers, lock timeout {lock_timeout}")
