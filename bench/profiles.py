"""Part 5: profiles of indexing ~50 articles and of one retrieval (cold and warm) with pyinstrument, and of
answers with py-spy (the chain runs its stages in LangChain's worker threads, which pyinstrument does not see).

The embedding model is loaded before the indexing profile starts (model load is part 1's `model_load_s`).
Each profile is saved under the results folder (pyinstrument: HTML and text; py-spy: collapsed stacks);
the report lists the top functions.
"""
from __future__ import annotations

import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from .harness import Config, in_subprocess, load_articles, load_question_texts, log, model_load

ARTICLES, QUICK_ARTICLES = 50, 10
ANSWERS = 5  # extractive answers profiled together (questions the answering part saw answered, when it ran)
TOP = 10


def _save(profiler, out: Path, name: str) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    (out / f"profile-{name}.html").write_text(profiler.output_html())
    (out / f"profile-{name}.txt").write_text(profiler.output_text(unicode=True, color=False, show_all=False))
    session = profiler.last_session
    return {"name": name, "seconds": round(session.duration, 3), "samples": session.sample_count,
            "html": f"profile-{name}.html", "text": f"profile-{name}.txt", **top_functions(session.root_frame())}


def top_functions(root, n: int = TOP) -> dict:
    """The `n` functions with the most self time, and the `n` assistant/ functions with the most total time."""
    self_time: dict[str, float] = {}
    total_time: dict[str, float] = {}

    def walk(frame, on_stack: frozenset) -> None:
        if frame.is_synthetic:  # "[self]" leaves: their time is already the parent's total_self_time
            return
        key = f"{frame.function} ({frame.file_path_short}:{frame.line_no})"
        self_time[key] = self_time.get(key, 0.0) + frame.total_self_time
        if "/assistant/" in (frame.file_path or "") and key not in on_stack:  # recursion counted once
            total_time[key] = total_time.get(key, 0.0) + frame.time
        for child in frame.children:
            walk(child, on_stack | {key})

    if root is not None:
        walk(root, frozenset())
    duration = root.time if root is not None else 1.0

    return {"top_self": _ranked(self_time, duration, n), "top_assistant_total": _ranked(total_time, duration, n)}


def profile_indexing(articles_path: Path, limit: int, index_dir: Path, out: Path) -> dict:
    from pyinstrument import Profiler

    from assistant.config import Settings
    from assistant.store import ArticleIndex

    model_load()
    articles = load_articles(articles_path, limit)
    profiler = Profiler(interval=0.001)
    profiler.start()
    report = ArticleIndex(Settings(index_dir=index_dir)).index_articles(articles)
    profiler.stop()
    return {**_save(profiler, out, "indexing"), "articles": len(articles), "chunks": report.chunks}


def profile_retrieval(index_dir: Path, questions: list[str], out: Path, name: str = "retrieval") -> dict:
    from pyinstrument import Profiler

    from assistant.config import Settings
    from assistant.retrieve import HybridRetriever
    from assistant.store import ArticleIndex

    profiler = Profiler(interval=0.001)
    profiler.start()  # cold: opens the index, loads the model and the BM25 side
    retriever = HybridRetriever.from_settings(ArticleIndex(Settings(index_dir=index_dir)))
    retriever.search(questions[0])
    profiler.stop()
    cold = _save(profiler, out, f"{name}-cold")
    for question in questions[1:-1]:
        retriever.search(question)
    profiler = Profiler(interval=0.0002)
    profiler.start()  # warm: a question not asked before
    retriever.search(questions[-1])
    profiler.stop()
    return {"cold": cold, "warm": {**_save(profiler, out, f"{name}-warm"), "question": questions[-1]}}


# Warms up, says "ready", waits for a line on stdin (the profiler has attached by then), then answers.
ANSWER_SCRIPT = """
import sys
from pathlib import Path
from assistant import offline
from assistant.chain import Assistant
from assistant.config import Settings
assistant = Assistant(Settings(index_dir=Path(sys.argv[1])))
assistant.warm_up()
print("ready", flush=True)
sys.stdin.readline()
for question in sys.argv[2:]:
    assistant.ask(question)
"""
# py-spy names a frame "function (file.py:line)", with the path relative to its sys.path entry
_ASSISTANT_FRAME = re.compile(r"\((?:assistant/)?(" + "|".join(
    re.escape(path.name) for path in (Path(__file__).resolve().parent.parent / "assistant").glob("*.py")) + r"):\d+\)$")


def _ranked(table: dict[str, float], duration: float, n: int = TOP) -> list[dict]:
    rows = sorted(table.items(), key=lambda item: -item[1])[:n]
    return [{"function": key, "seconds": round(t, 4), "share": round(t / duration, 3)} for key, t in rows]


def profile_answers(index_dir: Path, questions: list[str], out: Path, rate: int = 250) -> dict:
    """py-spy samples (all threads, not idle ones) of answering `questions` in a fresh process, attached after
    its warm-up; only stacks inside `Assistant.ask` or the chain's worker threads count."""
    out.mkdir(parents=True, exist_ok=True)
    stacks_file = out / "profile-answer.txt"
    answering = subprocess.Popen([sys.executable, "-c", ANSWER_SCRIPT, str(index_dir), *questions],
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        if answering.stdout.readline().strip() != "ready":
            raise RuntimeError(f"the answering process failed to warm up (exit code {answering.wait()})")
        spy = subprocess.Popen([str(Path(sys.executable).parent / "py-spy"), "record", "--format", "raw", "--rate",
                                str(rate), "--output", str(stacks_file), "--pid", str(answering.pid)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        time.sleep(2)  # py-spy attaches
        answering.stdin.write("go\n")
        answering.stdin.close()
        answering.wait(timeout=1200)
        if spy.wait(timeout=60) != 0:
            raise RuntimeError(f"py-spy failed: {spy.stderr.read()[-500:]}")
    finally:
        answering.kill()
    stacks = Counter()
    for line in stacks_file.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if "Assistant.ask (" in stack or "chain.py" in stack:
            stacks[stack] += int(count)
    stacks_file.write_text("".join(f"{stack} {count}\n" for stack, count in stacks.most_common()))
    self_time: Counter = Counter()
    total_time: Counter = Counter()
    for stack, count in stacks.items():
        frames = stack.split(";")
        self_time[frames[-1]] += count / rate
        for frame in set(frames):
            if _ASSISTANT_FRAME.search(frame):
                total_time[frame] += count / rate
    seconds = sum(stacks.values()) / rate
    return {"name": "answer", "seconds": round(seconds, 3), "samples": sum(stacks.values()), "questions": questions,
            "text": stacks_file.name, "top_self": _ranked(self_time, seconds),
            "top_assistant_total": _ranked(total_time, seconds)}


def run(cfg: Config) -> dict:
    limit = QUICK_ARTICLES if cfg.quick else ARTICLES
    log(f"profiles: indexing {limit} articles, one retrieval")
    indexing = in_subprocess(profile_indexing, cfg.articles, limit, cfg.work / "profile-index", cfg.out)
    retrieval = in_subprocess(profile_retrieval, cfg.state["index_dir"], load_question_texts(cfg.questions, 7), cfg.out)
    questions = cfg.state.get("answered_questions") or load_question_texts(cfg.questions, ANSWERS)
    answer = profile_answers(cfg.state["index_dir"], questions[:ANSWERS], cfg.out)
    return {"indexing": indexing, "retrieval_cold": retrieval["cold"], "retrieval_warm": retrieval["warm"], "answer": answer}
