"""Precision and recall of the statement extractor against a gold table (`eval/statements/seed-gold.jsonl`).

A gold row: {"article_id", "speaker", "speakers", "stance", "statement", "start", "end"} where `body[start:end]` is the
sentence (a quotation over neighbouring sentences of one paragraph is one row spanning them, as it is one statement). An extracted statement matches a gold row when their sentence spans overlap, their stances are equal and
their speakers are the same after normalisation (`same_speaker`: lower case, no leading article or possessive, and
one name the end of the other, as "Peskov" of "Dmitry Peskov"); a joint statement matches when every gold speaker is
matched by one of its speakers and the counts agree. Each gold row matches at most one statement.

Run: `PYTHONPATH=. .venv/bin/python eval/statements_eval.py [GOLD.jsonl] [ARTICLES.jsonl]` (defaults: the seed gold
and `eval/seed/articles.jsonl`); prints the scores, then every miss and every false statement.
"""
from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.statements import Statement, extract_statements

ROOT = Path(__file__).resolve().parent.parent
SEED_GOLD = ROOT / "eval" / "statements" / "seed-gold.jsonl"
SEED_ARTICLES = ROOT / "eval" / "seed" / "articles.jsonl"


def normalise_speaker(name: str) -> list[str]:
    """The words of a speaker's name, lower case, without a leading article, numeral or title ("President Trump" is
    "trump", the end of "Donald Trump") and without possessives."""
    words = re.sub(r"[’']s\b", "", name.lower())
    words = re.findall(r"[a-z0-9]+", words)
    while words and words[0] in ("the", "a", "an", "one"):
        words = words[1:]
    while len(words) > 1 and words[0] in _TITLES:
        words = words[1:]
    return words


_TITLES = frozenset("president former mr mrs ms dr sen senator rep gov governor".split())


def same_speaker(a: str, b: str) -> bool:
    """Whether two speaker names are the same speaker: equal once normalised, or the shorter is the end of the longer
    ("Peskov" / "Dmitry Peskov"), or, for descriptions of three words or more, its beginning ("person familiar with
    the talks" / "person familiar with the talks between Musk and Putin")."""
    x, y = sorted((normalise_speaker(a), normalise_speaker(b)), key=len)
    if not x:
        return False
    return x == y or y[-len(x):] == x or len(x) >= 3 and y[:len(x)] == x


@dataclass(frozen=True)
class Score:
    """The outcome of a comparison: counts, the two ratios, and the unmatched rows on either side."""

    gold: int
    extracted: int
    matched: int
    missed: tuple[dict, ...]
    false: tuple[Statement, ...]

    @property
    def precision(self) -> float:
        return self.matched / self.extracted if self.extracted else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0


def matches(statement: Statement, row: dict) -> bool:
    """The match rule of the module docstring."""
    wanted = row.get("speakers") or [row["speaker"]]
    return (statement.article_id == row["article_id"] and statement.start < row["end"] and row["start"] < statement.end
            and statement.stance == row["stance"] and len(statement.speakers) == len(wanted)
            and all(any(same_speaker(said, gold) for said in statement.speakers) for gold in wanted))


def score(statements: Sequence[Statement], gold: Sequence[dict]) -> Score:
    """Precision and recall of `statements` against `gold` (one-to-one matching, in body order)."""
    free = list(gold)
    false = []
    for statement in statements:
        row = next((r for r in free if matches(statement, r)), None)
        if row is None:
            false.append(statement)
        else:
            free.remove(row)
    return Score(len(gold), len(statements), len(gold) - len(free), tuple(free), tuple(false))


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def evaluate(gold_path: Path = SEED_GOLD, articles_path: Path = SEED_ARTICLES, nlp=None) -> Score:
    """Extract the statements of every article the gold table names and score them."""
    gold = read_jsonl(gold_path)
    wanted = {row["article_id"] for row in gold}
    found: list[Statement] = []
    for article in read_jsonl(articles_path):
        if article["id"] in wanted:
            found += extract_statements(article["id"], article["body"], nlp).statements
    return score(found, gold)


def report(result: Score) -> Iterable[str]:
    yield (f"gold {result.gold}, extracted {result.extracted}, matched {result.matched}: "
           f"precision {result.precision:.3f}, recall {result.recall:.3f}")
    for row in result.missed:
        yield f"  missed  {row['start']:>5} {row['stance']:<8} {' & '.join(row.get('speakers') or [row['speaker']])}: {row['statement'][:70]}"
    for statement in result.false:
        yield f"  false   {statement.start:>5} {statement.stance:<8} {' & '.join(statement.speakers)}: {statement.statement[:70]}"


if __name__ == "__main__":
    paths = [Path(arg) for arg in sys.argv[1:3]]
    print("\n".join(report(evaluate(*paths))))
