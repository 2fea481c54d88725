"""What every benchmark part shares: the run's configuration and budget, and running a measurement in its own process.

Each measured step runs in a fresh `spawn`ed Python process, so its wall time includes its own imports and
model load, and its peak RSS (`ru_maxrss` of that process) is not inflated by earlier steps.
"""
from __future__ import annotations

import multiprocessing
import os
import resource
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
DATASET = Path(os.environ.get("BENCH_DATASET", ROOT.parent / "shared" / "datasets" / "multihop-rag"))


@dataclass
class Config:
    """One benchmark run: quick or full, where its data and scratch space are, and its time budget."""

    quick: bool
    work: Path  # scratch directory for the fresh indexes (deleted at the end unless BENCH_KEEP=1)
    out: Path  # where results.json, report.md, charts and profiles go
    budget_s: float  # the whole run should end within this many seconds
    articles: Path = DATASET / "articles.jsonl"
    questions: Path = DATASET / "questions-dev.jsonl"
    started: float = field(default_factory=time.monotonic)
    state: dict[str, Any] = field(default_factory=dict)  # what one part leaves for the next (e.g. the built index)

    @property
    def article_limit(self) -> int | None:
        return 40 if self.quick else None

    @property
    def question_limit(self) -> int | None:
        return 50 if self.quick else None

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def remaining(self) -> float:
        return self.budget_s - self.elapsed()


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def rss_mb() -> float:
    """Current resident set size of this process in MiB."""
    import psutil

    return round(psutil.Process().memory_info().rss / 2**20, 1)


def disk_mb(path: Path) -> float:
    """Disk space used by the files under `path` in MiB (allocated blocks, not apparent size)."""
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_blocks * 512
            except FileNotFoundError:
                pass
    return round(total / 2**20, 1)


def _measured(fn: Callable[..., dict], args: tuple) -> dict:
    from assistant import offline  # noqa: F401  (offline environment before any library import)

    result = fn(*args)
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return result


def in_subprocess(fn: Callable[..., dict], *args: Any) -> dict:
    """Run `fn(*args)` (a module-level function returning a dict) in a fresh process; add its peak RSS and wall time."""
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        result = pool.submit(_measured, fn, args).result()
    result["process_s"] = round(time.perf_counter() - started, 2)  # spawn + imports + fn
    return result


def model_load() -> tuple[Any, float]:
    """The project's embeddings object, loaded and used once; returns (embeddings, seconds incl. imports)."""
    from assistant.config import Settings
    from assistant.store import load_embeddings

    started = time.perf_counter()
    settings = Settings()
    embeddings = load_embeddings(settings.embedding_model, settings.embedding_batch_size)
    embeddings.embed_query("warm-up")
    return embeddings, round(time.perf_counter() - started, 2)


def load_articles(path: Path, limit: int | None) -> list:
    """The benchmark's articles, as the project's loader reads them (the first `limit` in quick mode)."""
    from assistant.articles import load_file

    loaded = load_file(path, 2**31)
    if loaded.errors:
        raise ValueError(f"{path}: {loaded.errors[0].error}")
    return loaded.articles[:limit] if limit else loaded.articles


def load_question_texts(path: Path, limit: int | None) -> list[str]:
    from assistant.evaluate import load_questions

    texts = [q.question for q in load_questions(path)]
    return texts[:limit] if limit else texts


# --- local servers (also used by the tests) ----------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 60.0) -> None:
    """Return once something listens on 127.0.0.1:`port`; raise if `process` exits or `timeout` passes first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout}s")


@contextmanager
def smollm2_server() -> Iterator[tuple[str, subprocess.Popen]]:
    """SmolLM2 behind a real `python -m llama_cpp.server` (OpenAI-compatible, 2 threads) on a free loopback port:
    yields (base URL ending in /v1, the server process) once it listens; stops it afterwards."""
    from assistant.generators import smollm2_path

    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "llama_cpp.server", "--model", smollm2_path(), "--host", "127.0.0.1",
                                "--port", str(port), "--n_ctx", "4096", "--n_threads", "2"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, process, timeout=120)
        yield f"http://127.0.0.1:{port}/v1", process
    finally:
        process.terminate()
        process.wait(timeout=30)
