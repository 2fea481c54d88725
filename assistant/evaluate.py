"""The evaluation runner: retrieval metrics (as MultiHop-RAG's retrieval_evaluate.py defines them),
baselines measured in the same run, and answer metrics when an answerer is given.

Question files use the MultiHop-RAG schema: {id, question, answer, question_type, evidence: [{article_id, quote}]},
plus optional `history` ([{question, answer, short_answer?, speakers?}], oldest first) for follow-up questions with
optional `antecedent` (the name the follow-up refers to, which its standalone question must contain; "" for a topic
switch, whose standalone question must be the question itself), and optional `forbidden` (strings no answer may
contain, such as the payloads that hostile articles try to inject).

A set that comes from a published benchmark declares it, so its reports show the paper's numbers beside ours (and only
then): `meta.json` beside the questions file, `{"benchmark": "MultiHop-RAG"}` (a name of `BENCHMARKS`), or, for the
shared MultiHop-RAG files that carry no meta.json, a questions file inside a folder named `multihop-rag`.
"""
from __future__ import annotations

import json
import math
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .articles import load_file, slugify
from .config import Settings
from .followups import PriorTurn, prior_turns, standalone_question
from .retrieve import HybridRetriever, Passage
from .store import ArticleIndex, IndexReport

BENCHMARKS = {"MultiHop-RAG": {"label": "MultiHop-RAG paper (best: voyage-02 + bge-reranker-large)",
                                "retrieval": {"Hits@10": 0.7467, "Hits@4": 0.6625, "MAP@10": None, "MRR@10": 0.5860}}}
EVAL_DIR = Path(__file__).resolve().parent.parent / "eval"


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    answer: str
    question_type: str
    evidence: tuple[tuple[str, str], ...]  # (article_id, quote)
    history: tuple[PriorTurn, ...] = ()
    forbidden: tuple[str, ...] = ()
    antecedent: str | None = None  # a follow-up's gold antecedent ("" for a topic switch that must inherit nothing)

    @property
    def gold_articles(self) -> set[str]:
        return {article_id for article_id, _ in self.evidence}


@dataclass(frozen=True)
class EvalSet:
    name: str
    articles: Path
    questions: Path

    @property
    def benchmark(self) -> str | None:
        """The published benchmark the set comes from, or None (`benchmark_of`)."""
        return benchmark_of(self.questions)


def benchmark_of(questions: Path) -> str | None:
    """The published benchmark a question file belongs to (see the module docstring), or None. A meta.json that is
    not a JSON object or names an unknown benchmark raises ValueError saying so."""
    meta = questions.parent / "meta.json"
    if meta.exists():
        try:
            declared = json.loads(meta.read_text(encoding="utf-8")).get("benchmark")
        except (json.JSONDecodeError, AttributeError) as exc:
            raise ValueError(f"{meta}: not a JSON object like {{\"benchmark\": \"MultiHop-RAG\"}} ({exc})") from None
        if declared is not None and declared not in BENCHMARKS:
            raise ValueError(f"{meta}: unknown benchmark {declared!r} (known: {', '.join(BENCHMARKS)})")
        return declared
    return "MultiHop-RAG" if "multihop-rag" in (part.lower() for part in questions.parent.parts) else None


def load_questions(path: Path) -> list[Question]:
    """Read a question file; a malformed line raises ValueError naming the file and line."""
    questions = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                questions.append(Question(
                    id=str(record["id"]), question=record["question"], answer=str(record.get("answer", "")),
                    question_type=record.get("question_type", "unknown"),
                    evidence=tuple((e["article_id"], e["quote"]) for e in record.get("evidence", [])),
                    history=tuple(prior_turns(record.get("history", []))),
                    forbidden=tuple(str(text) for text in record.get("forbidden", [])),
                    antecedent=record.get("antecedent")))
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
                raise ValueError(f"{path}:{number}: not a valid question record ({exc})") from None
    return questions


def eval_sets_in(folder: Path) -> list[EvalSet]:
    """The eval sets kept in `folder`: every <folder>/<name>/ with questions.jsonl and articles.jsonl (none when the
    folder does not exist)."""
    if not folder.is_dir():
        return []
    return [EvalSet(sub.name, sub / "articles.jsonl", sub / "questions.jsonl")
            for sub in sorted(folder.iterdir()) if (sub / "questions.jsonl").is_file() and (sub / "articles.jsonl").is_file()]


def project_eval_sets() -> list[EvalSet]:
    """The project's own eval sets: eval/<name>/."""
    return eval_sets_in(EVAL_DIR)


def check_eval_pair(articles: Path, questions: Path, max_bytes: int) -> tuple[int, int]:
    """Check an articles + questions pair before it is kept as an eval set: the articles file loads without a bad
    line (`articles.load_file`, at most `max_bytes`), the questions parse (`load_questions`), there is at least one
    of each, and every evidence article id is among the articles. Returns (articles, questions); raises ValueError
    naming the file (and line or question) and what to fix."""
    loaded = load_file(articles, max_bytes)
    if loaded.errors:
        first = loaded.errors[0]
        more = f" ({len(loaded.errors) - 1} more)" if len(loaded.errors) > 1 else ""
        raise ValueError(f"the articles file {first.path}: {first.error}{more}; each line must be an article object "
                         '{"id", "title", "source", "published_at", "url", "body"}')
    loaded_questions = load_questions(questions)
    if not loaded_questions:
        raise ValueError(f"the questions file {questions} holds no question; each line must be "
                         '{"id", "question", "answer", "question_type", "evidence": [{"article_id", "quote"}]}')
    known = {article.id for article in loaded.articles}
    for question in loaded_questions:
        missing = sorted(question.gold_articles - known)
        if missing:
            raise ValueError(f"the questions file {questions}: question {question.id!r} cites article "
                             f"{missing[0]!r}, which is not in the articles file; upload the articles it was written for")
    return len(loaded.articles), len(loaded_questions)


# --- retrieval metrics ---------------------------------------------------------------------------
def _squash(text: str) -> str:
    return text.replace(" ", "").replace("\n", "")


def retrieval_metrics(retrieved: list[list[str]], gold: list[list[str]]) -> dict[str, float]:
    """Hits@10, Hits@4, MAP@10, MRR@10 exactly as MultiHop-RAG's retrieval_evaluate.py computes them.

    `retrieved[i]` are the texts of question i's ranked chunks, `gold[i]` its evidence quotes. A chunk is
    relevant when it contains a gold quote, both with spaces and newlines removed.
    """
    hits10 = hits4 = 0
    average_precisions, reciprocal_ranks = [], []
    for texts, quotes in zip(retrieved, gold):
        quotes = [_squash(q) for q in quotes]
        found: list[str] = []
        first_rank = None
        precision_sum = 0.0
        for rank, text in enumerate((_squash(t) for t in texts[:10]), start=1):
            if any(q in text for q in quotes):
                first_rank = first_rank or rank
                new = [q for q in quotes if q in text and q not in found]
                found += new
                precision_sum += len(new) / rank
        hits10 += first_rank is not None
        hits4 += first_rank is not None and first_rank <= 4
        average_precisions.append(precision_sum / min(len(quotes), 10) if quotes else 0.0)
        reciprocal_ranks.append(1 / first_rank if first_rank else 0.0)
    n = len(gold) or 1
    return {"Hits@10": hits10 / n, "Hits@4": hits4 / n, "MAP@10": sum(average_precisions) / n,
            "MRR@10": sum(reciprocal_ranks) / n}


def article_recall(passages: list[list[str]], gold: list[set[str]]) -> float:
    """Mean share of each question's gold evidence articles present among its retrieved passages' articles."""
    shares = [len(set(ids) & articles) / len(articles) for ids, articles in zip(passages, gold) if articles]
    return sum(shares) / len(shares) if shares else 0.0


def percentiles(values: list[float]) -> dict[str, float]:
    """p50/p95/p99 (nearest-rank) of a list of milliseconds."""
    if not values:
        return {"p50": 0.0, "p95": 0.0, "p99": 0.0}
    ordered = sorted(values)
    pick = lambda q: ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]  # noqa: E731
    return {"p50": round(pick(0.50), 1), "p95": round(pick(0.95), 1), "p99": round(pick(0.99), 1)}


# --- progress -------------------------------------------------------------------------------------
class LineProgress:
    """Progress for a log file or pipe: a line "<desc> <done>/<total>, <seconds> s[, <note>]" on `stream` (stderr by
    default) when at least `interval` seconds passed since the last one, and a last line on close(). It answers the
    tqdm calls the runner makes (update, set_postfix_str, close), so either can be used."""

    def __init__(self, desc: str, total: int | None = None, stream=None, interval: float = 10.0,
                 clock: Callable[[], float] = time.monotonic):
        self.desc, self.total, self.stream, self.interval, self.clock = desc, total, stream or sys.stderr, interval, clock
        self.done, self.note = 0, ""
        self.started = self.last = clock()

    def update(self, n: int = 1) -> None:
        self.done += n
        now = self.clock()
        if now - self.last >= self.interval:
            self._emit(now)

    def set_postfix_str(self, note: str, refresh: bool = True) -> None:
        self.note = note

    def close(self) -> None:
        self._emit(self.clock())

    def _emit(self, now: float) -> None:
        self.last = now
        count = f"{self.done}/{self.total}" if self.total is not None else str(self.done)
        note = f", {self.note}" if self.note else ""
        print(f"{self.desc} {count}, {self.last - self.started:.0f} s{note}", file=self.stream, flush=True)


def progress_bar(desc: str, total: int | None = None, unit: str = " questions", enabled: bool = True):
    """A tqdm bar when stderr is a terminal, `LineProgress` lines when it is not, and nothing when not `enabled`."""
    from tqdm import tqdm

    if enabled and not sys.stderr.isatty():
        return LineProgress(desc, total)
    return tqdm(desc=desc, total=total, unit=unit, disable=not enabled, file=sys.stderr)


# --- systems under test --------------------------------------------------------------------------
RetrieveFn = Callable[[str], list[Passage]]


def tutorial_baseline(settings: Settings, articles_path: Path, index_dir: Path) -> Callable[[str], list[tuple[str, str]]]:
    """What a user builds from the LangChain tutorial: RecursiveCharacterTextSplitter(1000, 200) + Chroma
    similarity search with the same embedding model. Built once per articles file and kept under `index_dir`."""
    from langchain_chroma import Chroma
    from langchain_core.documents import Document
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    from .store import load_embeddings, make_client

    client = make_client(settings.model_copy(update={"index_dir": index_dir / "tutorial-baseline", "chroma_host": None}))
    store = Chroma(collection_name="tutorial", embedding_function=load_embeddings(settings.embedding_model, settings.embedding_batch_size),
                   client=client)
    marker = index_dir / "tutorial-baseline" / "built-from.txt"
    stamp = f"{articles_path.resolve()}:{articles_path.stat().st_mtime_ns}"
    if not marker.exists() or marker.read_text() != stamp:
        client.delete_collection("tutorial")
        store = Chroma(collection_name="tutorial", embedding_function=store.embeddings, client=client)
        loaded = load_file(articles_path, 2**31)
        documents = [Document(page_content=a.body, metadata={"article_id": a.id}) for a in loaded.articles]
        splits = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200).split_documents(documents)
        for start in range(0, len(splits), 1000):
            store.add_documents(splits[start:start + 1000])
        marker.write_text(stamp)

    def search(query: str) -> list[tuple[str, str]]:
        return [(d.page_content, d.metadata["article_id"]) for d in store.similarity_search(query, k=10)]

    return search


# --- the runner -----------------------------------------------------------------------------------
@dataclass
class EvalRun:
    """Everything one `assistant eval` run measured for one eval set."""

    name: str
    questions: int
    index: dict[str, Any]
    retrieval: dict[str, dict[str, Any]] = field(default_factory=dict)
    answers: dict[str, dict[str, Any]] = field(default_factory=dict)
    answer_baselines: dict[str, Any] = field(default_factory=dict)
    benchmark: str | None = None  # the published benchmark the set comes from (`benchmark_of`)

    @property
    def paper_reference(self) -> dict[str, Any] | None:
        """The benchmark paper's label and retrieval numbers, or None for a set of no benchmark."""
        return BENCHMARKS.get(self.benchmark) if self.benchmark else None

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "questions": self.questions, "index": self.index, "retrieval": self.retrieval,
                "answers": self.answers, "answer_baselines": self.answer_baselines, "benchmark": self.benchmark,
                "paper_reference": self.paper_reference}


def _grouped(questions: list[Question], compute: Callable[[list[Question]], dict[str, float]]):
    by_type = {}
    for qtype in sorted({q.question_type for q in questions}):
        subset = [q for q in questions if q.question_type == qtype]
        by_type[qtype] = {"n": len(subset), **compute(subset)}
    return {"overall": {"n": len(questions), **compute(questions)}, "by_type": by_type}


def evaluate_retrieval(questions: list[Question], systems: dict[str, Callable[[str], list[tuple[str, str]]]],
                       query_of: Callable[[Question], str], progress: Callable[[int], None] | None = None) -> dict[str, dict]:
    """Run every system on the questions with evidence; metrics overall and per type, and latency."""
    answerable = [q for q in questions if q.evidence]
    results: dict[str, dict] = {}
    for name, system in systems.items():
        ranked: dict[str, list[tuple[str, str]]] = {}
        latencies = []
        for question in answerable:
            started = time.perf_counter()
            ranked[question.id] = system(query_of(question))[:10]
            latencies.append((time.perf_counter() - started) * 1000)
            if progress:
                progress(1)

        def compute(subset: list[Question]) -> dict[str, float]:
            metrics = retrieval_metrics([[text for text, _ in ranked[q.id]] for q in subset],
                                        [[quote for _, quote in q.evidence] for q in subset])
            metrics["ArticleRecall@10"] = article_recall([[aid for _, aid in ranked[q.id]] for q in subset],
                                                         [q.gold_articles for q in subset])
            return {key: round(value, 4) for key, value in metrics.items()}

        results[name] = {**_grouped(answerable, compute), "latency_ms": percentiles(latencies)}
    return results


def default_eval_index_dir(settings: Settings, name: str) -> Path:
    """Eval sets get their own index beside the chat's, so benchmark articles never mix into it."""
    return settings.index_dir / "eval" / slugify(name)


def ensure_indexed(settings: Settings, articles_path: Path, on_article: Callable | None = None) -> IndexReport:
    """Index the eval set's articles (idempotent: unchanged articles are skipped)."""
    loaded = load_file(articles_path, 2**31)
    if loaded.errors:
        raise ValueError(f"{articles_path}: {len(loaded.errors)} bad lines, first: {loaded.errors[0].error}")
    return ArticleIndex(settings).index_articles(loaded.articles, on_article=on_article)


def run_eval_set(settings: Settings, eval_set: EvalSet, limit: int | None = None, retrieval_only: bool = False,
                 answerers: dict[str, Callable] | None = None, baselines: bool = True, show_progress: bool = True) -> EvalRun:
    """Index the set's articles, then measure our retriever, the baselines and (unless retrieval_only) answers.
    With `show_progress`, each stage reports on stderr (`progress_bar`), its lines prefixed with the set's name."""
    def progress(desc: str, total: int | None = None, unit: str = " questions"):
        return progress_bar(f"{eval_set.name}: {desc}", total, unit, show_progress)

    questions = load_questions(eval_set.questions)[:limit] if limit else load_questions(eval_set.questions)
    benchmark = eval_set.benchmark  # a bad meta.json stops the run here, before any work
    bar = progress("indexing", unit=" articles")
    started = time.perf_counter()
    report = ensure_indexed(settings, eval_set.articles, on_article=lambda a, s: bar.update(1))
    bar.close()
    index = ArticleIndex(settings)
    run = EvalRun(eval_set.name, len(questions), {**report.as_dict(), "seconds": round(time.perf_counter() - started, 1),
                                                 "index_dir": str(settings.index_dir), "chunk_tokens": settings.chunk_tokens,
                                                 "chunk_overlap_tokens": settings.chunk_overlap_tokens},
                  benchmark=benchmark)
    ours = HybridRetriever.from_settings(index)
    plain = HybridRetriever.from_settings(index, question_filters=False, max_per_article=100)

    def as_pairs(passages: list[Passage]) -> list[tuple[str, str]]:
        return [(p.text, p.article_id) for p in passages]

    from .questions import analyse

    def per_part(query: str) -> list[Passage]:
        return ours.search_parts(query, [part.text for part in analyse(query, ours.known_sources()).parts], k=10)

    systems = {"hybrid (ours)": lambda q: as_pairs(per_part(q))}
    if baselines:
        systems["hybrid, whole question"] = lambda q: as_pairs(ours.search(q, k=10))
        systems["dense only"] = lambda q: as_pairs(plain.search(q, k=10, mode="dense"))
        systems["BM25 only"] = lambda q: as_pairs(plain.search(q, k=10, mode="lexical"))
        systems["LangChain tutorial"] = tutorial_baseline(settings, eval_set.articles, settings.index_dir)
    answerable = sum(1 for q in questions if q.evidence)
    bar = progress("retrieval", answerable * len(systems))
    run.retrieval = evaluate_retrieval(questions, systems, standalone_query, bar.update)
    bar.close()
    if not retrieval_only and answerers:
        from .answer_eval import evaluate_answers

        from .answer_eval import quotes_baseline

        run.answers, run.answer_baselines = evaluate_answers(
            questions, answerers, lambda article_id: getattr(index.get_article(article_id), "body", None),
            progress=progress, baseline=quotes_baseline(settings) if baselines else None)
    return run


def standalone_query(question: Question) -> str:
    """The retrieval query for an eval question: follow-ups are rewritten with their history."""
    if not question.history:
        return question.question
    return standalone_question(question.question, list(question.history))


# --- reports -------------------------------------------------------------------------------------
RETRIEVAL_COLUMNS = ("Hits@4", "Hits@10", "MAP@10", "MRR@10", "ArticleRecall@10")


def retrieval_table(run: EvalRun) -> str:
    """A Markdown table: every system's overall retrieval metrics and latency, then the paper's numbers when the set
    belongs to a benchmark ("-" where the paper gives none)."""
    lines = [f"| system | {' | '.join(RETRIEVAL_COLUMNS)} | p50 ms | p95 ms |", "|---" * (len(RETRIEVAL_COLUMNS) + 3) + "|"]
    for name, result in run.retrieval.items():
        cells = " | ".join(f"{result['overall'][c]:.4f}" for c in RETRIEVAL_COLUMNS)
        lines.append(f"| {name} | {cells} | {result['latency_ms']['p50']} | {result['latency_ms']['p95']} |")
    reference = run.paper_reference
    if run.retrieval and reference:
        cells = " | ".join(f"{reference['retrieval'][c]:.4f}" if reference["retrieval"].get(c) else "-" for c in RETRIEVAL_COLUMNS)
        lines.append(f"| {reference['label']} | {cells} | - | - |")
    return "\n".join(lines)


def by_type_table(run: EvalRun, system: str) -> str:
    result = run.retrieval[system]["by_type"]
    lines = [f"| question type | n | {' | '.join(RETRIEVAL_COLUMNS)} |", "|---" * (len(RETRIEVAL_COLUMNS) + 2) + "|"]
    for qtype, metrics in result.items():
        lines.append(f"| {qtype} | {metrics['n']} | " + " | ".join(f"{metrics[c]:.4f}" for c in RETRIEVAL_COLUMNS) + " |")
    return "\n".join(lines)
