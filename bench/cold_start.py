"""Part 4b: the command line's cold start on the 609-article index, each run a new process (page cache warm).

- `imports`: what a new process pays before any work, each in its own interpreter: `python -c pass`, the query
  path's libraries (`chromadb, onnxruntime, tokenizers`), `import sentence_transformers` (which the query path
  avoids: it embeds with the ONNX export), and the reader's pipeline (`assistant.nlp.pipeline()`: spaCy imported
  without torch, plus the English model).
- `ask`: `assistant ask --index-dir DIR QUESTION` wall time (one untimed run first warms the page cache), with the
  answer's own stage times (`--json`'s timings_ms) so that wall minus answering is the start-up.
- `chat`: `assistant chat --index-dir DIR` with the question and `/quit` on its standard input, wall time to exit:
  the start-up plus one answer.
- `ask_server`: `assistant ask --server URL` against a running `python app.py` on the same index (warmed by one
  untimed ask first), the path that needs no model in the asking process.
Medians of `RUNS` runs per measure; targets: ask <= 5 s, ask --server <= 1.5 s.
"""
from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from .harness import ROOT, Config, free_port, load_question_texts, log, wait_for_port

RUNS = 3
IMPORTS = {"python": "pass", "chromadb, onnxruntime, tokenizers": "import chromadb, onnxruntime, tokenizers",
           "sentence_transformers (not on the query path)": "import sentence_transformers",
           "reader pipeline (spaCy + model)": "from assistant.nlp import pipeline; pipeline()"}
CLI = [sys.executable, "-m", "assistant.cli"]


def _wall(command: list[str], stdin: str | None = None) -> tuple[float, str]:
    """Seconds from start to exit of `command` (which must succeed), and its stdout."""
    started = time.perf_counter()
    done = subprocess.run(command, input=stdin, capture_output=True, text=True, cwd=ROOT, timeout=600)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command[2:])} exited {done.returncode}: {done.stderr[-1500:]}")
    return seconds, done.stdout


def _median(command: list[str], stdin: str | None = None, runs: int = RUNS) -> dict:
    times = [_wall(command, stdin)[0] for _ in range(runs)]
    return {"median_s": round(statistics.median(times), 2), "runs_s": [round(t, 2) for t in times]}


def run(cfg: Config) -> dict:
    index_dir: Path = cfg.state["index_dir"]
    question = load_question_texts(cfg.questions, 1)[0]
    results: dict = {"question": question, "runs": RUNS}
    results["imports"] = {name: _median([sys.executable, "-c", code]) for name, code in IMPORTS.items()}
    ask = [*CLI, "ask", "--index-dir", str(index_dir), question]
    _wall(ask)  # page cache
    results["ask"] = _median(ask)
    _, printed = _wall([*ask[:-1], "--json", question])
    results["ask"]["answer_stages_ms"] = {stage: round(ms, 1) for stage, ms in json.loads(printed)["timings_ms"].items()}
    results["chat"] = _median([*CLI, "chat", "--index-dir", str(index_dir)], stdin=f"{question}\n/quit\n")
    port = free_port()
    app = subprocess.Popen([sys.executable, str(ROOT / "app.py"), "--port", str(port), "--index-dir", str(index_dir)],
                           cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, app, timeout=240)
        server_ask = [*CLI, "ask", "--server", f"http://127.0.0.1:{port}/", question]
        _wall(server_ask)  # the server's first answer loads its reader
        results["ask_server"] = _median(server_ask)
    finally:
        app.terminate()
        app.wait(timeout=30)
    log(f"cold start: ask {results['ask']['median_s']} s, chat (one answer) {results['chat']['median_s']} s, "
        f"ask --server {results['ask_server']['median_s']} s; imports "
        + ", ".join(f"{name} {value['median_s']} s" for name, value in results["imports"].items()))
    return results
