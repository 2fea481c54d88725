"""The attribute_ruler's table lookup (assistant.attribute_rules) against spaCy's own AttributeRuler.match, on the
seed article and the reader fixtures: the same matches, so the same parts of speech, morphology and lemmas."""
from __future__ import annotations

import json

import pytest

from assistant import nlp
from conftest import FIXTURES, ROOT

ARTICLE_FILES = [ROOT / "eval" / "seed" / "articles.jsonl", FIXTURES / "reader" / "articles.jsonl"]
EXTRA = ["", "  \n ", "He 's gon na say it ai n't so , y' all .", "The U.S. and the U.K. said: “No.”  Then — nothing."]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    bodies = [json.loads(line)["body"] for path in ARTICLE_FILES for line in path.read_text().splitlines() if line.strip()]
    return [sentence.text for doc in nlp.pipeline().pipe(bodies) for sentence in doc.sents] + EXTRA


@pytest.fixture(scope="module")
def stock():
    """A second copy of the model whose attribute_ruler is spaCy's own."""
    loaded = nlp._import_spacy().load(nlp.MODEL_NAME)
    assert "match" not in vars(loaded.get_pipe("attribute_ruler"))
    return loaded


def test_the_table_lookup_finds_exactly_the_stock_matches(texts, stock):
    ruler, indexed = stock.get_pipe("attribute_ruler"), nlp.pipeline().get_pipe("attribute_ruler")
    assert "match" in vars(indexed)
    docs = list(stock.pipe(texts, disable=["attribute_ruler", "lemmatizer", "ner"]))
    expected, got = [ruler.match(doc) for doc in docs], [indexed.match(doc) for doc in docs]
    assert got == expected
    several_tokens = sum(end - start > 1 for matches in expected for _, _, start, end in matches)
    assert sum(map(len, expected)) > 10 * len(texts) and several_tokens > 0  # both kinds of rule are exercised


def test_the_pipeline_annotates_tokens_as_the_stock_model_does(texts, stock):
    def annotations(docs):
        return [[(t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_type_) for t in doc] for doc in docs]

    assert annotations(nlp.pipeline().pipe(texts)) == annotations(stock.pipe(texts))
    assert annotations(nlp.pipeline().pipe(texts, disable=["parser"])) == annotations(stock.pipe(texts, disable=["parser"]))
