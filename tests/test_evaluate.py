"""Metric code against hand-computed cases (MultiHop-RAG's definitions), and the eval sets' integrity."""
from __future__ import annotations

import json

import pytest

from assistant.evaluate import article_recall, load_questions, percentiles, project_eval_sets, retrieval_metrics


def test_whitespace_rule_spaces_and_newlines_are_ignored():
    retrieved = [["The mayor said the bridge\nwould   reopen next week."]]
    gold = [["bridge would reopen"]]
    assert retrieval_metrics(retrieved, gold)["Hits@10"] == 1.0
    # other white space (tabs) is NOT removed, exactly as in retrieval_evaluate.py
    assert retrieval_metrics([["bridge\twould reopen"]], gold)["Hits@10"] == 0.0


def test_hand_computed_ranks():
    # q1: gold quotes A and B; A at rank 2, B at rank 5 -> MRR 1/2, AP = (1/2 + 1/5) / 2
    # q2: gold quote C at rank 6 -> Hits@4 no, Hits@10 yes, MRR 1/6, AP = (1/6) / 1
    # q3: gold quote D never retrieved -> all zero
    q1 = ["x", "has A here", "y", "z", "B is here", "w"]
    q2 = ["n"] * 5 + ["C!"] + ["n"] * 4
    q3 = ["n"] * 10
    metrics = retrieval_metrics([q1, q2, q3], [["A", "B"], ["C"], ["D"]])
    assert metrics["Hits@10"] == pytest.approx(2 / 3)
    assert metrics["Hits@4"] == pytest.approx(1 / 3)
    assert metrics["MRR@10"] == pytest.approx((1 / 2 + 1 / 6 + 0) / 3)
    assert metrics["MAP@10"] == pytest.approx(((1 / 2 + 1 / 5) / 2 + 1 / 6 + 0) / 3)


def test_only_top_ten_count_and_repeated_quote_counts_once():
    ranked = ["n"] * 10 + ["A"]
    assert retrieval_metrics([ranked], [["A"]])["Hits@10"] == 0.0
    metrics = retrieval_metrics([["A", "A again"]], [["A"]])
    assert metrics["MAP@10"] == 1.0 and metrics["MRR@10"] == 1.0


def test_article_recall_and_percentiles():
    assert article_recall([["a1", "a2", "a1"], ["b9"]], [{"a1", "a3"}, {"b1"}]) == pytest.approx((0.5 + 0) / 2)
    assert percentiles([float(v) for v in range(1, 101)]) == {"p50": 50.0, "p95": 95.0, "p99": 99.0}


def test_project_eval_set_quotes_are_exact_and_types_complete():
    sets = {s.name: s for s in project_eval_sets()}
    seed = sets["seed"]
    bodies = {json.loads(line)["id"]: json.loads(line)["body"] for line in seed.articles.read_text().splitlines()}
    questions = load_questions(seed.questions)
    assert len(questions) >= 30
    types = {q.question_type for q in questions}
    assert {"attribution_query", "fact_query", "temporal_query", "null_query"} <= types
    assert sum(1 for q in questions if q.history) >= 5
    for q in questions:
        if q.question_type == "null_query":
            assert q.evidence == ()
        for article_id, quote in q.evidence:
            assert quote in bodies[article_id], (q.id, quote)


def test_bad_question_file_names_the_line(tmp_path):
    path = tmp_path / "q.jsonl"
    path.write_text('{"id": "1", "question": "Q?", "answer": "A"}\n{"id": 2}\n')
    with pytest.raises(ValueError, match=r"q.jsonl:2"):
        load_questions(path)


def test_answer_accuracy_rules():
    from assistant.answer_eval import answer_metrics, is_correct, is_right
    from assistant.chain import Answer
    from assistant.evaluate import Question

    def q(qid, answer, qtype="inference_query", evidence=(("a1", "x"),)):
        return Question(qid, "?", answer, qtype, evidence)

    def a(text, abstained=False, short=None):
        return Answer("?", "?", text, abstained, [], "extractive", {"total": 10.0}, short_answer=short)

    assert is_correct(q("1", "Yes"), a("yes, both articles say so [1]"))
    assert not is_correct(q("2", "No"), a("The report found no evidence [1]"))  # a quoted "no" is not an answer
    assert is_correct(q("3", "Sam Bankman-Fried"), a("SAM BANKMAN-FRIED was convicted [1]"))
    assert not is_correct(q("4", "Sam Bankman-Fried"), a("The indexed articles don't say.", abstained=True))
    assert is_correct(q("5", "Insufficient information.", "null_query", ()), a("The indexed articles don't say.", True))
    questions = [q("1", "Yes"), q("5", "Insufficient information.", "null_query", ()), q("6", "Paris")]
    answers = {"1": a("Yes [1]", short="Yes"), "5": a("It was Paris [1]", short="Paris"), "6": a("-", abstained=True)}
    metrics = answer_metrics(questions, answers)
    assert metrics["accuracy"] == round(1 / 3, 4) and metrics["accuracy_lenient"] == round(1 / 3, 4)
    assert metrics["yes_no_confusion"]["yes"] == {"yes": 1, "no": 0, "not established": 0}
    assert not is_right(q("7", "No"), a("No evidence was found [1]", short="No evidence"))
    assert (metrics["abstention_precision"], metrics["abstention_recall"]) == (0.0, 0.0)
    assert (metrics["false_abstention_rate"], metrics["false_answer_rate"]) == (0.5, 1.0)
