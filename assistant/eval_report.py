"""What `assistant eval --out DIR` writes, and `--compare`.

- `metrics.json`: every metric of every set (`EvalRun.as_dict`).
- `questions.jsonl`: one line per (set, backend, question): {"set", "backend"} and `answer_eval.question_result`.
- `report.md`: a glossary of the metrics, then per set a plain-words summary per backend, the retrieval tables and
  chart, the answer tables and charts, every question, and (with --compare) what changed against an earlier run.
- Charts (PNG, legends below the axes so they never cover a bar): `retrieval-<set>.png` (every system, and the
  paper's numbers only for a set of that benchmark), `answers-<set>.png` (strict accuracy per question type for each
  backend, with the same run's baselines beside it), `confusion-<set>.png` (gold yes/no x answered, per backend),
  `times-<set>.png` (the distribution of answer times, per backend).
"""
from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from .articles import slugify
from .evaluate import RETRIEVAL_COLUMNS, EvalRun, by_type_table, retrieval_table

GLOSSARY = (
    ("Hits@k", "share of questions (with evidence) where one of the first k retrieved passages contains a gold evidence quote"),
    ("MAP@10", "mean average precision over the first 10 passages: higher when every gold quote is found, and found early"),
    ("MRR@10", "mean of 1 / rank of the first passage holding a gold quote (0 when none is in the first 10)"),
    ("ArticleRecall@10", "share of a question's gold evidence articles among the articles of its first 10 passages"),
    ("p50 / p95 ms", "median and 95th-percentile time per question, in milliseconds"),
    ("strict accuracy", "the short answer matches the gold (Yes/No exactly, any other gold inside it); an unanswerable "
                        "question counts as correct only when the assistant abstains"),
    ("lenient accuracy", "the gold appears anywhere in the answer text (a yes/no answer must start with it)"),
    ("<type> yes/no", "strict accuracy over the question type's yes/no questions only"),
    ("abstention (null abstained)", "share of unanswerable questions where the assistant said the articles do not say"),
    ("false answer", "share of unanswerable questions answered anyway"),
    ("false abstain", "share of answerable questions where the assistant abstained"),
    ("follow-up rewrite", "share of follow-ups whose standalone question names what they refer to (a topic switch: "
                          "the question itself)"),
    ("follow-up strict", "strict accuracy over the follow-up questions"),
    ("cite P", "citation precision: share of citations that point to a gold evidence article"),
    ("cite R", "citation recall: share of a question's gold evidence articles that are cited (a lower bound)"),
    ("payload faults", "share of answers containing text an article tried to inject (over the questions that list some)"),
    ("quote faults", "share of answers with a citation whose quote is not the article's text at its position"),
    ("marker faults", "share of answers with an [n] marker that resolves to no citation"),
    ("markup faults", "share of answers whose rendered chat HTML holds active markup (other tags, handlers, links)"),
    ("-", "not measured on this set (no question of that kind, e.g. no follow-ups or no unanswerable questions)"),
    ("baselines", "measured in the same run: always Yes / always No, the most frequent entity in the evidence, and the "
                  "pre-reader extractive quotes (lenient rule)"),
)


def glossary_markdown() -> str:
    """The report's glossary: one line per metric."""
    return "\n".join(["## What the numbers mean", "", *[f"- **{term}**: {meaning}." for term, meaning in GLOSSARY]])


# --- per-question results ------------------------------------------------------------------------
def question_rows(runs: list[EvalRun]) -> list[dict]:
    """Every per-question result of every set and backend: {"set", "backend"} and `answer_eval.question_result`."""
    return [{"set": run.name, "backend": backend, **row}
            for run in runs for backend, result in run.answers.items() for row in result["questions"]]


def load_question_rows(run_dir: Path) -> list[dict]:
    """The rows of an earlier run's questions.jsonl (whole per-question results). A folder without one, or a
    malformed line, raises ValueError saying what to do."""
    path = run_dir / "questions.jsonl"
    if not path.is_file():
        raise ValueError(f"{run_dir} has no questions.jsonl: --compare needs a folder written by `assistant eval --out DIR` "
                         "with answers (not --retrieval-only); a run made before questions.jsonl existed must be re-run "
                         "with --out first")
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        try:
            row = json.loads(line) if line.strip() else None
            if row is not None:
                missing = [key for key in ("set", "backend", "id", "question", "correct") if key not in row]
                if missing:
                    raise KeyError(", ".join(missing))
                rows.append(row)
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}:{number}: not a questions.jsonl line ({exc})") from None
    return rows


def plain_summary(rows: list[dict]) -> str:
    """One backend's results on one set in plain words, e.g. "41 of 50 correct; 2 of 8 unanswerable questions were
    answered; 3 answerable ones abstained" ("no unanswerable questions" when the set has none)."""
    correct = sum(row["correct"] for row in rows)
    null = [row for row in rows if row["question_type"] == "null_query"]
    answered = sum(not row["abstained"] for row in null)
    abstained = sum(row["abstained"] for row in rows if row["question_type"] != "null_query")
    unanswerable = (f"{answered} of {len(null)} unanswerable {'question was' if len(null) == 1 else 'questions were'} answered"
                    if null else "no unanswerable questions")
    return (f"{correct} of {len(rows)} correct; {unanswerable}; "
            f"{abstained} answerable {'one' if abstained == 1 else 'ones'} abstained")


# --- --compare -----------------------------------------------------------------------------------
def compare_rows(before: list[dict], after: list[dict], since: str) -> str:
    """Markdown: what changed since the run `since` names. Per (set, backend) of either run: the strict accuracy
    before and after (each over its own questions), and the questions (matched by id) that went correct -> wrong and
    wrong -> correct, with their text."""
    grouped: dict[tuple[str, str], list[dict[str, dict]]] = defaultdict(lambda: [{}, {}])
    for side, rows in enumerate((before, after)):
        for row in rows:
            grouped[(row["set"], row["backend"])][side][row["id"]] = row
    lines = [f"## Changes since {since}", ""]
    for (set_name, backend), (old, new) in sorted(grouped.items()):
        lines += [f"### {set_name}, {backend}: strict accuracy {_accuracy(old)} -> {_accuracy(new)}", ""]
        both = [qid for qid in new if qid in old]
        if old and new and len(both) < max(len(old), len(new)):
            lines += [f"({len(both)} questions are in both runs; only those are compared below.)", ""]
        changed = False
        for heading, was, now in (("correct -> wrong", True, False), ("wrong -> correct", False, True)):
            flipped = [new[qid] for qid in both if old[qid]["correct"] == was and new[qid]["correct"] == now]
            if flipped:
                lines += [f"{heading} ({len(flipped)}):", *[f"- {row['id']}: {row['question']}" for row in flipped], ""]
                changed = True
        if both and not changed:
            lines += ["No question changed.", ""]
    return "\n".join(lines)


def _accuracy(rows: dict[str, dict]) -> str:
    """Strict accuracy and question count of one side of a comparison, or a note that the side has none."""
    if not rows:
        return "- (not in that run)"
    return f"{sum(row['correct'] for row in rows.values()) / len(rows):.3f} ({len(rows)} questions)"


# --- charts --------------------------------------------------------------------------------------
def bar_chart(path: Path, title: str, groups: list[str], series: list[tuple[str, list[float | None], str | None]]) -> None:
    """Grouped bars (one group per `groups` entry, one bar per series: label, values with None for no bar, colour or
    None for the default cycle) on a 0-1 axis, the legend below the axes; saved as PNG. A series with no value at
    all is left out."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    series = [entry for entry in series if any(v is not None for v in entry[1])]

    figure, axis = plt.subplots(figsize=(max(6.0, 1.5 + len(groups) * (0.4 + 0.25 * len(series))), 4.5))
    width = 0.8 / len(series)
    for i, (label, values, colour) in enumerate(series):
        axis.bar([x + i * width for x in range(len(groups))], [float("nan") if v is None else v for v in values], width,
                 label=label, color=colour)
    axis.set_xticks([x + 0.4 - width / 2 for x in range(len(groups))], groups)
    axis.set_ylim(0, 1)
    axis.set_title(title)
    axis.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncols=min(3, len(series)), fontsize=8, frameon=False)
    figure.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(figure)


def retrieval_chart(run: EvalRun, path: Path) -> None:
    """Every system's overall retrieval metrics, and the paper's only for a set of its benchmark."""
    series = [(name, [result["overall"][c] for c in RETRIEVAL_COLUMNS], None) for name, result in run.retrieval.items()]
    if run.paper_reference:
        series.append(("paper (best)", [run.paper_reference["retrieval"].get(c) for c in RETRIEVAL_COLUMNS], "grey"))
    bar_chart(path, f"Retrieval on {run.name}", list(RETRIEVAL_COLUMNS), series)


def answers_chart(run: EvalRun, path: Path) -> None:
    """Strict accuracy per question type and overall for each backend, with the run's baselines beside it."""
    types = sorted({t for result in run.answers.values() for t in result["by_type"]})
    groups = [t.replace("_query", "") for t in types] + ["all"]
    series = [(backend, [result["by_type"].get(t, {}).get("accuracy") for t in types] + [result["accuracy"]], None)
              for backend, result in run.answers.items()]
    baselines = run.answer_baselines
    if baselines:
        majority = baselines["majority_yes_no"]
        series.append(("always Yes or No (the type's yes/no questions)",
                       [majority.get(t, {}).get("accuracy") for t in types] + [None], "silver"))
        if baselines["most_frequent_entity"]["n"]:
            series.append(("most frequent entity in the evidence",
                           [baselines["most_frequent_entity"]["accuracy"] if t == "inference_query" else None for t in types]
                           + [None], "darkgrey"))
        quotes = baselines["quotes"]
        series.append(("pre-reader quotes (lenient rule)",
                       [quotes["by_type_lenient"].get(t) for t in types] + [quotes["accuracy_lenient"]], "dimgrey"))
    bar_chart(path, f"Answers on {run.name}: strict accuracy per question type", groups, series)


def has_yes_no(result: dict) -> bool:
    """Whether a backend's answer results hold any gold yes/no question (else its confusion is all zeros)."""
    return any(sum(row.values()) for row in result["yes_no_confusion"].values())


def confusion_chart(run: EvalRun, path: Path) -> bool:
    """One heat map per backend of gold yes/no x answered yes / no / not established; False (nothing written) when
    the set has no yes/no questions."""
    tables = {backend: result["yes_no_confusion"] for backend, result in run.answers.items() if has_yes_no(result)}
    if not tables:
        return False
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    columns = ("yes", "no", "not established")
    figure, axes = plt.subplots(1, len(tables), figsize=(4.2 * len(tables), 3), squeeze=False)
    for axis, (backend, table) in zip(axes[0], tables.items()):
        counts = [[table[gold][c] for c in columns] for gold in ("yes", "no")]
        axis.imshow(counts, cmap="Blues")
        darkest = max(max(values) for values in counts)
        for row, values in enumerate(counts):
            for column, value in enumerate(values):
                axis.text(column, row, str(value), ha="center", va="center",
                          color="white" if value > darkest / 2 else "black")
        axis.set_xticks(range(len(columns)), columns)
        axis.set_yticks(range(2), ["gold yes", "gold no"])
        axis.set_xlabel("answered")
        axis.set_title(f"Yes/no on {run.name} ({backend})", fontsize=10)
    figure.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(figure)
    return True


def answer_time_chart(run: EvalRun, path: Path) -> bool:
    """A histogram of the seconds per answer (retrieval, reading and generation), one series per backend, with each
    backend's median and 95th percentile in its label; False (nothing written) when no answer carries a time."""
    times = {backend: [row["total_ms"] / 1000 for row in result["questions"] if row.get("total_ms") is not None]
             for backend, result in run.answers.items()}
    times = {backend: values for backend, values in times.items() if values}
    if not times:
        return False
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    longest = max(max(values) for values in times.values())
    bins = np.linspace(0, longest * 1.05 or 1.0, 21)
    figure, axis = plt.subplots(figsize=(6.0, 3.6))
    for backend, values in times.items():
        p50, p95 = np.percentile(values, [50, 95])
        axis.hist(values, bins=bins, alpha=0.6, label=f"{backend} (median {p50:.2f} s, p95 {p95:.2f} s)")
    axis.set_xlabel("seconds per answer")
    axis.set_ylabel("questions")
    axis.set_title(f"Answer times on {run.name}", fontsize=10)
    axis.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncols=1, fontsize=8, frameon=False)
    figure.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(figure)
    return True


# --- the report ----------------------------------------------------------------------------------
def write_report(runs: list[EvalRun], out: Path, comparison: str | None = None) -> None:
    """Write metrics.json, questions.jsonl, report.md and the charts into `out` (created if missing); `comparison`
    (from `compare_rows`) is appended to report.md."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "metrics.json").write_text(json.dumps([run.as_dict() for run in runs], indent=2))
    (out / "questions.jsonl").write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in question_rows(runs)),
                                         encoding="utf-8")
    parts = ["# Evaluation report", "", glossary_markdown(), ""]
    for run in runs:
        parts += run_section(run, out)
    if comparison:
        parts += [comparison, ""]
    (out / "report.md").write_text("\n".join(parts), encoding="utf-8")


def run_section(run: EvalRun, out: Path) -> list[str]:
    """report.md's lines for one set; writes its charts into `out`."""
    from .answer_eval import answers_table, baselines_table, confusion_table, questions_table

    parts = [f"## {run.name}", "", f"{run.questions} questions; index: {run.index['chunk_tokens']}-token chunks, "
             f"{run.index['chunk_overlap_tokens']} overlap.", ""]
    parts += [f"- **{backend}**: {plain_summary(result['questions'])}." for backend, result in run.answers.items()]
    parts += [""] if run.answers else []
    if run.retrieval:
        chart = f"retrieval-{slugify(run.name)}.png"
        retrieval_chart(run, out / chart)
        parts += ["### Retrieval (null questions skipped)", "", retrieval_table(run), "", f"![retrieval]({chart})", "",
                  "Ours per question type:", "", by_type_table(run, "hybrid (ours)"), ""]
    if run.answers:
        chart = f"answers-{slugify(run.name)}.png"
        answers_chart(run, out / chart)
        parts += ["### Answers", "", answers_table(run), "", f"![answers]({chart})", ""]
        if run.answer_baselines:
            parts += ["Baselines, same run:", "", baselines_table(run), ""]
        confusion = f"confusion-{slugify(run.name)}.png"
        if confusion_chart(run, out / confusion):
            parts += [f"![yes/no confusion]({confusion})", ""]
        times = f"times-{slugify(run.name)}.png"
        if answer_time_chart(run, out / times):
            parts += [f"![answer times]({times})", ""]
        for backend, result in run.answers.items():
            if has_yes_no(result):
                parts += [f"Yes/no confusion ({backend}):", "", confusion_table(result), ""]
            parts += [f"<details><summary>Every question ({backend})</summary>", "", questions_table(result), "",
                      "</details>", ""]
    return parts
