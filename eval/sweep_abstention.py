"""Sweep the abstention threshold `answer_min_coverage` on an indexed eval set (reproduces the README's table).

Usage: python eval/sweep_abstention.py --index-dir DIR --questions Q.jsonl [--limit N] [--thresholds 0.5,0.4,...]
One Assistant answers every question once per threshold with the extractive generator. Retrieval and evidence
do not depend on the threshold, and the sentence-embedding cache is sized to hold every candidate sentence, so
only the first pass pays for embeddings.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from assistant.answer_eval import answer_metrics
from assistant.chain import Assistant
from assistant.config import Settings
from assistant.evaluate import load_questions

COLUMNS = ("accuracy", "accuracy_answerable", "abstention_precision", "abstention_recall", "false_abstention_rate",
           "false_answer_rate")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index-dir", required=True)
    parser.add_argument("--questions", required=True)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--thresholds", default="0.5,0.4,0.3,0.2,0.0")
    args = parser.parse_args()
    questions = load_questions(Path(args.questions))[:args.limit]
    base = Settings(index_dir=Path(args.index_dir), generator="extractive")
    assistant = Assistant(base)
    assistant.sentence_embeddings.capacity = 1_000_000
    rows = []
    for threshold in (float(t) for t in args.thresholds.split(",")):
        assistant.settings = base.model_copy(update={"answer_min_coverage": threshold})  # read by the chain per call
        answers = {q.id: assistant.ask(q.question, q.history) for q in questions}
        metrics = answer_metrics(questions, answers)
        rows.append({"answer_min_coverage": threshold, **{c: metrics[c] for c in COLUMNS},
                     "by_type": {t: v["accuracy"] for t, v in metrics["by_type"].items()}})
        print(json.dumps(rows[-1]), flush=True)
    print("| answer_min_coverage | " + " | ".join(COLUMNS) + " |")
    print("|---" * (len(COLUMNS) + 1) + "|")
    for row in rows:
        print(f"| {row['answer_min_coverage']} | " + " | ".join(str(row[c]) for c in COLUMNS) + " |")


if __name__ == "__main__":
    main()
