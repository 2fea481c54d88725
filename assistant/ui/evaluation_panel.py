"""The Evaluation tab: run an eval set (the project's eval/<name>/, or an articles + questions pair the user uploaded,
kept under <index_dir>/eval-sets/<name>/) with a generator and a question limit, watch its progress, cancel it, read
the result in plain words with its charts (accuracy per question type with the baselines, the yes/no confusion, the
answer times) and per-question table (a row shows the full answer), and compare any two runs.

A run is `assistant eval ... --out <index_dir>/eval-runs/<time>-<set>-<generator>` in its own process (it never
takes the chat's answer slots; its event has its own queue), over the set's own index under <index_dir>/eval/, so
benchmark articles never mix into the chat's. Runs are kept in that folder and listed after a restart.

Contract (see `chat_panel`): `EvaluationPanel(ctx)`; `build()` inside its `gr.Tab`, `wire(demo)` after every tab is
built.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import gradio as gr

from ..articles import slugify
from ..eval_report import compare_rows, load_question_rows, plain_summary
from ..evaluate import EvalSet, check_eval_pair, eval_sets_in, project_eval_sets
from .context import PRIVATE, Context, user_of
from .render import esc

TABLE_HEADERS = ["id", "question", "expected", "short answer", "correct", "abstained", "seconds"]
CHARTS = (("answers", "Accuracy per question type, with the baselines"), ("confusion", "Yes/no: gold x answered"),
          ("times", "Answer times"))  # the report's chart files <kind>-<set>.png, in the tab's order


class EvaluationPanel:
    """The Evaluation tab's components and handlers."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.runs_dir = ctx.settings.index_dir / "eval-runs"
        self.uploaded_dir = ctx.settings.index_dir / "eval-sets"
        self._running: dict[str, subprocess.Popen] = {}  # user -> the run in progress
        self._lock = threading.Lock()

    def build(self) -> None:
        available = [name for name, why in self.ctx.backends.items() if not why]
        sets = self.eval_sets()
        with gr.Row():
            self.eval_set = gr.Dropdown(list(sets), value="seed" if "seed" in sets else None,
                                        label="Eval set", elem_id="eval-set")
            self.backend = gr.Dropdown(available, value=self.ctx.settings.generator if self.ctx.settings.generator
                                       in available else "extractive", label="Generator", elem_id="eval-backend")
            self.limit = gr.Number(10, precision=0, minimum=1, label="Questions (at most)", elem_id="eval-limit")
        with gr.Row():
            self.run = gr.Button("Run", variant="primary", elem_id="eval-run")
            self.cancel = gr.Button("Cancel", variant="stop", elem_id="eval-cancel", interactive=False)
        with gr.Accordion("Add your own set: articles + questions (JSONL, the MultiHop-RAG schema)", open=False,
                          elem_id="eval-upload"):
            gr.Markdown("Articles: one object a line, `{\"id\", \"title\", \"source\", \"published_at\", \"body\"}`. "
                        "Questions: `{\"id\", \"question\", \"answer\", \"question_type\", \"evidence\": "
                        "[{\"article_id\", \"quote\"}]}`; an unanswerable question has `\"question_type\": "
                        "\"null_query\"` and no evidence.")
            with gr.Row():
                self.upload_articles = gr.File(label="articles.jsonl", file_types=[".jsonl"], type="filepath",
                                               elem_id="eval-upload-articles")
                self.upload_questions = gr.File(label="questions.jsonl", file_types=[".jsonl"], type="filepath",
                                                elem_id="eval-upload-questions")
            with gr.Row():
                self.upload_name = gr.Textbox(label="Name of the set", placeholder="e.g. newsroom-checks",
                                              elem_id="eval-upload-name")
                self.add_set = gr.Button("Add set", elem_id="eval-add-set")
            self.upload_status = gr.Markdown(elem_id="eval-upload-status")
        self.status = gr.Markdown(elem_id="eval-status")
        with gr.Row():
            self.charts = [gr.Image(label=label, show_label=False, type="filepath", visible=False,  # titled inside
                                    buttons=["download", "fullscreen"],
                                    elem_id=f"eval-chart-{kind}", interactive=False) for kind, label in CHARTS]
        self.table = gr.Dataframe(headers=TABLE_HEADERS, value=[], interactive=False, wrap=True, elem_id="eval-table",
                                  column_widths=["10%", "40%", "14%", "15%", "7%", "7%", "7%"],
                                  label="Questions, wrong answers first (click a row to see the full answer)")
        self.answer = gr.Markdown(elem_id="eval-answer")
        with gr.Row():
            self.runs = gr.Dropdown([], label="Runs", elem_id="eval-runs")
            self.other = gr.Dropdown([], label="Compare with", elem_id="eval-compare-with")
            self.compare = gr.Button("Compare", elem_id="eval-compare")
        self.comparison = gr.Markdown(elem_id="eval-comparison")
        self.rows = gr.State([])

    # --- sets and runs on disk -----------------------------------------------------------------------
    def eval_sets(self) -> dict[str, EvalSet]:
        """The sets a run can use: the project's, then the uploaded ones (their names never clash)."""
        return {s.name: s for s in project_eval_sets() + eval_sets_in(self.uploaded_dir)}

    def add_uploaded_set(self, articles: str | None, questions: str | None, name: str | None) -> tuple:
        """Check an uploaded pair (`evaluate.check_eval_pair`) and keep it as the set `name`; (message, set list)."""
        slug = slugify(name or "")
        if not articles or not questions:
            return "Upload both files: the articles and the questions.", gr.skip()
        if not slug:
            return "Give the set a name (letters or digits).", gr.skip()
        if slug in self.eval_sets():
            return f"A set named {esc(slug)} exists already; choose another name.", gr.skip()
        try:
            counts = check_eval_pair(Path(articles), Path(questions), self.ctx.max_bytes)
        except ValueError as exc:
            message = str(exc)
            for upload in (articles, questions):  # name the uploaded file, not gradio's temporary folder
                message = message.replace(str(Path(upload).parent) + os.sep, "")
            return f"Not added: {esc(message)}", gr.skip()
        folder = self.uploaded_dir / slug
        partial = folder.with_name(f".{slug}.partial")
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        shutil.copyfile(articles, partial / "articles.jsonl")
        shutil.copyfile(questions, partial / "questions.jsonl")
        partial.rename(folder)  # a set is listed only once both files are in place
        return (f"Added **{esc(slug)}**: {counts[0]} articles, {counts[1]} questions. Choose it above and press Run.",
                gr.Dropdown(choices=list(self.eval_sets()), value=slug))

    def finished_runs(self) -> list[str]:
        """The kept runs' folder names, newest first."""
        if not self.runs_dir.is_dir():
            return []
        return sorted((p.name for p in self.runs_dir.iterdir() if (p / "questions.jsonl").is_file()), reverse=True)

    def run_views(self, name: str | None) -> tuple:
        """(status, *charts, table rows, rows state, runs list, compare list) for the kept run `name`."""
        names = self.finished_runs()
        if not name or name not in names:
            return ("", *(gr.Image(visible=False) for _ in CHARTS), [], [], gr.Dropdown(choices=names, value=None),
                    gr.Dropdown(choices=names))
        folder = self.runs_dir / name
        rows = sorted(load_question_rows(folder), key=lambda row: row["correct"])  # the wrong answers first
        charts = [next(iter(sorted(folder.glob(f"{kind}-*.png"))), None) for kind, _ in CHARTS]
        summary = f"**{esc(name)}**: {plain_summary(rows)}." if rows else f"{esc(name)}: no answers."
        table = [[r["id"], r["question"], r["gold"], r["short_answer"] or "(abstained)", "yes" if r["correct"] else "NO",
                  "yes" if r["abstained"] else "", round((r.get("total_ms") or 0) / 1000, 2)] for r in rows]
        others = [n for n in names if n != name]
        return (summary, *(gr.Image(value=str(chart), visible=True) if chart else gr.Image(visible=False)
                           for chart in charts), table, rows,
                gr.Dropdown(choices=names, value=name), gr.Dropdown(choices=others, value=others[0] if others else None))

    # --- handlers -----------------------------------------------------------------------------------
    def start(self, set_name: str | None, backend: str | None, limit: float | None, request: gr.Request) -> Iterator:
        """Run the set in its own process; yields (status, run, cancel, *run_views) as it goes."""
        idle, busy = (gr.Button(interactive=True), gr.Button(interactive=False)), \
            (gr.Button(interactive=False), gr.Button(interactive=True))
        sets = self.eval_sets()
        if set_name not in sets or not backend:
            yield ("Choose an eval set and a generator.", *idle, *(gr.skip(),) * self.view_count)
            return
        limit = max(1, int(limit or 1))
        eval_set = sets[set_name]
        name = f"{time.strftime('%Y%m%d-%H%M%S')}-{set_name}-{backend}"
        command = [sys.executable, "-m", "assistant.cli", "eval", "--articles", str(eval_set.articles), "--questions",
                   str(eval_set.questions), "--limit", str(limit), "--backends", backend,
                   "--out", str(self.runs_dir / name)]
        env = {**os.environ, "ASSISTANT_INDEX_DIR": str(self.ctx.settings.index_dir)}
        user = user_of(request)
        with self._lock:
            if user in self._running:
                yield ("A run of yours is already going; wait for it or cancel it.", *(gr.skip(),) * (2 + self.view_count))
                return
            process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
            self._running[user] = process
        started, last = time.monotonic(), "starting (loading the models, indexing the set's articles)"
        lines: list[str] = []
        reader = threading.Thread(target=lambda: lines.extend(iter(process.stderr.readline, "")), daemon=True)
        reader.start()
        try:
            while process.poll() is None:
                last = next((line.strip() for line in reversed(lines) if ":" in line), last)
                yield (f"Running {esc(set_name)} with {esc(backend)} ({limit} questions at most), "
                       f"{time.monotonic() - started:.0f} s: {esc(last)}", *busy, *(gr.skip(),) * self.view_count)
                time.sleep(1.0)
        finally:
            with self._lock:
                self._running.pop(user, None)
        reader.join(timeout=5)
        if process.returncode != 0:
            tail = " ".join(line.strip() for line in lines[-3:])
            message = "Cancelled." if process.returncode < 0 else f"The run failed: {esc(tail) or 'see the server log'}"
            yield (message, *idle, *self.run_views(None)[1:])
            return
        views = self.run_views(name)
        yield (f"Done in {time.monotonic() - started:.0f} s. {views[0]}", *idle, *views[1:])

    def stop(self, request: gr.Request) -> tuple:
        """Cancel the user's run (its process is killed; nothing of it is kept)."""
        with self._lock:
            process = self._running.get(user_of(request))
        if process is None:
            return "No run is going.", gr.Button(interactive=True), gr.Button(interactive=False)
        process.terminate()
        return "Cancelling…", gr.skip(), gr.skip()

    def show(self, rows: list[dict], event: gr.SelectData) -> str:
        """The full answer of the clicked row, with its citations' places."""
        index = event.index[0] if isinstance(event.index, (list, tuple)) else event.index
        if not rows or index is None or index >= len(rows):
            return ""
        row = rows[index]
        cited = ", ".join(f"{c['article_id']} [{c['start']}:{c['end']}]" for c in row.get("citations", []))
        return (f"**{esc(row['id'])}**: {esc(row['question'])}\n\nExpected: {esc(row['gold'])} · "
                f"{'correct' if row['correct'] else 'wrong'}\n\n{esc(row['answer'])}\n\nCited: {esc(cited) or 'nothing'}")

    def compare_runs(self, name: str | None, other: str | None) -> str:
        """What changed between two kept runs (`eval_report.compare_rows`)."""
        if not name or not other:
            return "Choose two runs."
        try:
            return compare_rows(load_question_rows(self.runs_dir / other), load_question_rows(self.runs_dir / name),
                                other)
        except ValueError as exc:
            return f"Cannot compare: {esc(exc)}"

    @property
    def view_count(self) -> int:
        """How many outputs follow the status in `run_views`."""
        return len(CHARTS) + 4

    def wire(self, demo: gr.Blocks) -> None:
        views = [*self.charts, self.table, self.rows, self.runs, self.other]
        self.add_set.click(self.add_uploaded_set, [self.upload_articles, self.upload_questions, self.upload_name],
                           [self.upload_status, self.eval_set], **PRIVATE)
        self.run.click(self.start, [self.eval_set, self.backend, self.limit], [self.status, self.run, self.cancel, *views],
                       concurrency_limit=2, concurrency_id="evaluation", **PRIVATE)
        self.cancel.click(self.stop, None, [self.status, self.run, self.cancel], **PRIVATE)
        self.runs.input(self.run_views, [self.runs], [self.status, *views], **PRIVATE)
        self.table.select(self.show, [self.rows], [self.answer], **PRIVATE)
        self.compare.click(self.compare_runs, [self.runs, self.other], [self.comparison], **PRIVATE)
        demo.load(self.latest_run, None, [self.status, *views], show_progress="hidden", **PRIVATE)

    def latest_run(self) -> tuple:
        """The views of the newest kept run (after a reload or a restart)."""
        names = self.finished_runs()
        return self.run_views(names[0] if names else None)

