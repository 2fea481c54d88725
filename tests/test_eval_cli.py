"""`assistant eval` as a user runs it: default backend, progress on a pipe, questions.jsonl, the paper row only for
its benchmark, the glossary, and --compare."""
from __future__ import annotations

import io
import itertools
import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.answer_eval import answerers_for
from assistant.config import Settings
from assistant.eval_report import compare_rows, load_question_rows, plain_summary
from assistant.evaluate import EvalRun, EvalSet, LineProgress, benchmark_of, project_eval_sets, retrieval_table


def test_default_backend_is_the_configured_generator_and_unavailable_ones_are_refused(tmp_path):
    settings = Settings(index_dir=tmp_path / "index")
    assert list(answerers_for(settings)) == ["extractive"]
    with pytest.raises(ValueError, match=r"not available here: openai \(available: extractive"):
        answerers_for(settings, ["openai"])


def test_line_progress_prints_every_interval_and_on_close():
    stream, ticks = io.StringIO(), itertools.count(0, 4)  # every clock reading is 4 s later
    bar = LineProgress("seed: answers (extractive)", 5, stream=stream, interval=10, clock=lambda: float(next(ticks)))
    for _ in range(5):
        bar.set_postfix_str("strict accuracy so far 0.80")
        bar.update(1)
    bar.close()
    lines = stream.getvalue().splitlines()
    assert lines[0] == "seed: answers (extractive) 3/5, 12 s, strict accuracy so far 0.80"
    assert lines[-1].startswith("seed: answers (extractive) 5/5, ")
    assert len(lines) == 2  # 4 s after the line at 12 s, 8 s: no line until close


# --- the CLI on a pipe, once for the tests below ------------------------------------------------------
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory):
    """`assistant eval` on 3 seed questions, stdout and stderr pipes (not terminals), --json and --out."""
    tmp = tmp_path_factory.mktemp("eval-cli")
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "assistant.cli", "eval", "--articles", "eval/seed/articles.jsonl",
                           "--questions", "eval/seed/questions.jsonl", "--limit", "3", "--no-baselines",
                           "--index-dir", str(tmp / "index"), "--json", "--out", str(tmp / "out")],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done, tmp / "out", time.monotonic() - started


def test_progress_goes_to_stderr_and_stdout_is_the_json(seed_run):
    done, _, _ = seed_run
    run = json.loads(done.stdout)
    assert run["name"] == "seed" and list(run["answers"]) == ["extractive"]
    assert re.search(r"^seed: answers \(extractive\) 3/3, \d+ s, strict accuracy so far \d\.\d\d$", done.stderr, re.M)
    assert "\r" not in done.stderr  # lines, not a redrawn bar


def test_questions_jsonl_has_one_line_per_question_matching_the_metrics(seed_run):
    done, out, _ = seed_run
    metrics = json.loads(done.stdout)["answers"]["extractive"]
    rows = [json.loads(line) for line in (out / "questions.jsonl").read_text().splitlines()]
    assert [row["id"] for row in rows] == ["seed-q001", "seed-q002", "seed-q003"]
    fields = {"set", "backend", "id", "question", "question_type", "gold", "short_answer", "answer_type", "answer",
              "abstained", "correct", "correct_lenient", "citations", "total_ms"}
    assert all(fields <= set(row) for row in rows)
    assert {(row["set"], row["backend"]) for row in rows} == {("seed", "extractive")}
    assert sum(row["correct"] for row in rows) / len(rows) == pytest.approx(metrics["accuracy"], abs=1e-4)
    assert [row["correct"] for row in rows] == [row["correct"] for row in metrics["questions"]]
    assert all(set(c) == {"article_id", "start", "end"} for row in rows for c in row["citations"])


def test_report_has_the_glossary_a_summary_and_no_paper_row_for_the_seed_set(seed_run):
    _, out, _ = seed_run
    report = (out / "report.md").read_text()
    assert report.index("## What the numbers mean") < report.index("## seed")
    for term in ("Hits@k", "MAP@10", "MRR@10", "ArticleRecall@10", "strict accuracy", "lenient accuracy", "false answer",
                 "false abstain", "cite P", "cite R", "payload faults", "quote faults", "marker faults",
                 "markup faults", "follow-up rewrite"):
        assert f"- **{term}**:" in report, term
    assert re.search(r"- \*\*extractive\*\*: \d of 3 correct; ", report)
    assert "MultiHop-RAG" not in report and "paper" not in report
    assert (out / "retrieval-seed.png").stat().st_size and (out / "answers-seed.png").stat().st_size


def test_the_cli_run_stays_short(seed_run):
    assert seed_run[2] < 60


def test_compare_with_a_folder_without_questions_jsonl_says_what_to_do(tmp_path, capsys):
    from assistant.cli import main

    assert main(["eval", "--compare", str(tmp_path), "--index-dir", str(tmp_path / "index")]) == 2
    assert "has no questions.jsonl" in capsys.readouterr().err


# --- the pieces, by hand ---------------------------------------------------------------------------
def test_the_paper_row_only_for_a_set_of_its_benchmark(tmp_path):
    assert benchmark_of(ROOT / "eval" / "seed" / "questions.jsonl") is None
    assert benchmark_of(tmp_path / "datasets" / "multihop-rag" / "questions-dev.jsonl") == "MultiHop-RAG"
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "meta.json").write_text('{"benchmark": "MultiHop-RAG"}')
    assert EvalSet("mine", tmp_path / "a.jsonl", tmp_path / "mine" / "questions.jsonl").benchmark == "MultiHop-RAG"
    (tmp_path / "mine" / "meta.json").write_text('{"benchmark": "SQuAD"}')
    with pytest.raises(ValueError, match="unknown benchmark 'SQuAD'"):
        benchmark_of(tmp_path / "mine" / "questions.jsonl")
    overall = {"Hits@4": 0.5, "Hits@10": 0.75, "MAP@10": 0.4, "MRR@10": 0.6, "ArticleRecall@10": 0.7}
    retrieval = {"hybrid (ours)": {"overall": overall, "by_type": {}, "latency_ms": {"p50": 1.0, "p95": 2.0}}}
    index = {"chunk_tokens": 300, "chunk_overlap_tokens": 50}
    declared = EvalRun("dev", 4, index, retrieval, benchmark="MultiHop-RAG")
    assert "| MultiHop-RAG paper (best: voyage-02 + bge-reranker-large) | 0.6625 | 0.7467 | - | 0.5860 | - |" in retrieval_table(declared)
    assert "paper" not in retrieval_table(EvalRun("own", 4, index, retrieval))
    assert declared.as_dict()["paper_reference"]["retrieval"]["Hits@10"] == 0.7467
    assert EvalRun("own", 4, index, retrieval).as_dict()["paper_reference"] is None


def test_compare_names_the_questions_that_changed(tmp_path):
    def row(qid, correct, backend="extractive"):
        return {"set": "seed", "backend": backend, "id": qid, "question": f"Question {qid}?", "correct": correct}

    earlier = tmp_path / "earlier"
    earlier.mkdir()
    (earlier / "questions.jsonl").write_text("".join(json.dumps(r) + "\n" for r in
                                                     [row("q1", True), row("q2", False), row("q3", True), row("q1", True, "llamacpp")]))
    before = load_question_rows(earlier)
    text = compare_rows(before, [row("q1", False), row("q2", True), row("q3", True), row("q4", True)], "earlier")
    assert "## Changes since earlier" in text
    assert "### seed, extractive: strict accuracy 0.667 (3 questions) -> 0.750 (4 questions)" in text
    assert "correct -> wrong (1):\n- q1: Question q1?" in text
    assert "wrong -> correct (1):\n- q2: Question q2?" in text
    assert "### seed, llamacpp: strict accuracy 1.000 (1 questions) -> - (not in that run)" in text
    (earlier / "questions.jsonl").write_text('{"set": "seed"}\n')
    with pytest.raises(ValueError, match=r"questions.jsonl:1: not a questions.jsonl line"):
        load_question_rows(earlier)


def test_plain_summary_counts_in_words():
    rows = [{"correct": True, "abstained": False, "question_type": "fact_query"},
            {"correct": False, "abstained": True, "question_type": "fact_query"},
            {"correct": False, "abstained": False, "question_type": "null_query"}]
    assert plain_summary(rows) == "1 of 3 correct; 1 of 1 unanswerable question was answered; 1 answerable one abstained"
    assert plain_summary(rows[:2]) == "1 of 2 correct; no unanswerable questions; 1 answerable one abstained"


def test_report_charts_answers_with_baselines_the_yes_no_confusion_and_answer_times(tmp_path):
    from assistant.answer_eval import answer_metrics, answers_table, baseline_metrics
    from assistant.chain import Answer
    from assistant.eval_report import write_report
    from assistant.evaluate import Question

    questions = [Question("c1", "Did both say so?", "Yes", "comparison_query", (("a1", "x"),)),
                 Question("c2", "Did both deny it?", "No", "comparison_query", (("a1", "x"),)),
                 Question("n1", "Who won in 2031?", "Insufficient information.", "null_query", ())]

    def answer(short):
        return Answer("?", "?", f"{short} [1]" if short else "The articles don't say.", short is None, [], "extractive",
                      {"total": 5.0}, short_answer=short)

    answers = {"c1": answer("Yes"), "c2": answer("Yes"), "n1": answer(None)}
    run = EvalRun("mine", 3, {"chunk_tokens": 300, "chunk_overlap_tokens": 50},
                  answers={"extractive": answer_metrics(questions, answers, {q.id: [] for q in questions})},
                  answer_baselines=baseline_metrics(questions, {q.id: answer(None) for q in questions}))
    table = answers_table(run)
    assert "comparison yes/no" in table and "follow-up" not in table  # no follow-ups: no column of "-"
    write_report([run], tmp_path)
    report = (tmp_path / "report.md").read_text()
    assert "- **extractive**: 2 of 3 correct; 0 of 1 unanswerable question was answered; 0 answerable ones abstained." in report
    assert "![answers](answers-mine.png)" in report and "![yes/no confusion](confusion-mine.png)" in report
    assert "![answer times](times-mine.png)" in report
    assert all((tmp_path / f"{chart}-mine.png").stat().st_size for chart in ("answers", "confusion", "times"))
    assert len((tmp_path / "questions.jsonl").read_text().splitlines()) == len(questions)


def test_a_terminal_gets_the_tqdm_bar(monkeypatch):
    from tqdm import tqdm

    from assistant.evaluate import progress_bar

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stderr", Terminal())
    bar = progress_bar("seed: answers (extractive)", 2)
    assert isinstance(bar, tqdm)
    bar.set_postfix_str("strict accuracy so far 1.00", refresh=False)
    bar.update(2)
    bar.close()
    assert "2/2" in sys.stderr.getvalue() and "strict accuracy so far 1.00" in sys.stderr.getvalue()
    assert isinstance(progress_bar("x", 1, enabled=False), tqdm)  # silent: a disabled bar


def test_an_uploaded_pair_is_checked_before_it_is_kept(tmp_path):
    from assistant.evaluate import check_eval_pair

    seed = ROOT / "eval" / "seed"
    assert check_eval_pair(seed / "articles.jsonl", seed / "questions.jsonl", 2**24) == (1, 50)
    broken = tmp_path / "articles.jsonl"
    broken.write_text((seed / "articles.jsonl").read_text() + "{not json\n")
    with pytest.raises(ValueError, match=r"the articles file .*articles.jsonl:2: line 2 is not valid JSON"):
        check_eval_pair(broken, seed / "questions.jsonl", 2**24)
    empty = tmp_path / "questions.jsonl"
    empty.write_text("\n")
    with pytest.raises(ValueError, match=r"holds no question"):
        check_eval_pair(seed / "articles.jsonl", empty, 2**24)
    orphan = tmp_path / "orphan.jsonl"
    orphan.write_text(json.dumps({"id": "q1", "question": "Who?", "answer": "X", "question_type": "inference_query",
                                  "evidence": [{"article_id": "elsewhere", "quote": "x"}]}) + "\n")
    with pytest.raises(ValueError, match=r"question 'q1' cites article 'elsewhere', which is not in the articles file"):
        check_eval_pair(seed / "articles.jsonl", orphan, 2**24)


def test_several_sets_under_one_index_dir_each_get_their_own_index(tmp_path):
    done = subprocess.run([sys.executable, "-m", "assistant.cli", "eval", "--index-dir", str(tmp_path), "--retrieval-only",
                           "--limit", "1", "--no-baselines", "--json"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    names = {run["name"] for run in json.loads(done.stdout)}
    assert names == {s.name for s in project_eval_sets()}
    assert {p.name for p in (tmp_path / "eval").iterdir()} == names and not (tmp_path / "chroma").exists()


def test_a_missing_eval_file_is_named_not_a_traceback(tmp_path, capsys):
    from assistant.cli import main

    missing = tmp_path / "nope.jsonl"
    assert main(["eval", "--articles", str(missing), "--questions", str(missing), "--index-dir", str(tmp_path)]) == 2
    assert f"error: {missing} is not a file" in capsys.readouterr().err
