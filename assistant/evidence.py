"""Evidence selection: the sentences of the retrieved passages that answer the question.

Every retrieved passage is split into sentences; each sentence is scored by semantic similarity
to the question (the same bi-encoder as retrieval), lexical overlap (stemmed, IDF-weighted over the
candidates), question-type cues (attribution verbs for "who denied / said / ..." questions) and the
passage's retrieval rank. A sentence that quotes someone without naming them ("It's all untrue,"
he said) carries the neighbouring sentence that names the speaker as context.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np

from .chunking import sentence_spans
from .lexical import tokenize
from .retrieve import Passage

# Verb families for attribution questions: the question's verb selects the family, and sentences
# using any member of the family get a boost.
ATTRIBUTION_FAMILIES: dict[str, tuple[str, ...]] = {
    "deny": ("denied", "deny", "denies", "denying", "rejected", "dismissed", "false", "untrue", "refuted", "disputed"),
    "decline": ("declined to comment", "no comment", "refrain from commenting", "refused to comment", "did not respond",
                "didn’t respond", "didn't respond", "no immediate response", "no information to share", "not aware", "declined"),
    "confirm": ("confirmed", "confirm", "confirms", "acknowledged", "verified"),
    "say": ("said", "says", "told", "stated", "called", "added", "according to", "statement", "reported", "warned",
            "argued", "wrote", "described"),
    "claim": ("claimed", "claims", "alleged", "accused", "asserted", "suggested"),
    "report": ("reported", "report", "reports", "according to", "cited", "citing"),
    "reject": ("rejected", "dismissed", "denied", "refused"),
    "accuse": ("accused", "accuses", "blamed", "alleged"),
    "vow": ("vowed", "promised", "pledged"),
}
_QUESTION_VERBS = {
    "deny": r"\b(den(y|ied|ies)|denial|reject(ed)?)\b", "decline": r"\b(declin\w*|refus\w* to comment|no comment|refrain\w*|comment(ed)?)\b",
    "confirm": r"\bconfirm\w*\b", "claim": r"\b(claim\w*|alleg\w*)\b", "report": r"\breport(ed|s)?\b",
    "accuse": r"\baccus\w*\b", "vow": r"\b(vow\w*|promis\w*|pledg\w*)\b", "say": r"\b(say|said|says|tell|told|call(ed)?|state[ds]?)\b",
}
_PRONOUN_START = re.compile(r"^[“\"]|^(He|She|They|It|This|That|These|Those|The company|The spokesman|The spokeswoman)\b")
_NAMED_SPEAKER = re.compile(r"\b(?:[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,3})\s+(?:said|says|told|added|stated)\b|\b(?:said|says|told)\s+(?:[A-Z][a-z]+)")


@dataclass
class Evidence:
    """One evidence unit: a sentence (with optional preceding context sentence) of one article."""

    passage: Passage
    start: int  # offsets of the sentence in the article body
    end: int
    text: str
    context_start: int  # offsets of sentence + context (equal to start/end when there is no context)
    score: float = 0.0
    features: dict[str, float] = field(default_factory=dict)

    @property
    def quote(self) -> str:
        """The exact article text a citation shows: context sentence (if any) through the sentence."""
        return self.passage.text[self.context_start - self.passage.start:self.end - self.passage.start]

    @property
    def key(self) -> tuple[str, int]:
        return (self.passage.article_id, self.start)


def attribution_family(question: str) -> str | None:
    """The attribution verb family a question asks about ('deny', 'say', ...), or None."""
    lowered = question.lower()
    if not re.search(r"\b(who|what did|what does|how did|which)\b", lowered):
        return None
    for family, pattern in _QUESTION_VERBS.items():
        if re.search(pattern, lowered):
            return family
    return None


def candidate_sentences(passages: list[Passage]) -> list[Evidence]:
    """Every sentence of the passages once (overlapping chunks repeat sentences), in retrieval order."""
    seen: set[tuple[str, int]] = set()
    candidates = []
    for passage in passages:
        spans = sentence_spans(passage.text)
        for i, (start, end) in enumerate(spans):
            key = (passage.article_id, passage.start + start)
            if key in seen:
                continue
            seen.add(key)
            text = passage.text[start:end]
            context_start = passage.start + start
            # A quote or pronoun-led sentence needs its speaker: take the sentence before as context
            # when this one names no speaker itself.
            if i > 0 and _PRONOUN_START.search(text) and not _NAMED_SPEAKER.search(text):
                context_start = passage.start + spans[i - 1][0]
            candidates.append(Evidence(passage, passage.start + start, passage.start + end, text, context_start))
    return candidates


def _idf_overlap(question_tokens: list[str], sentence_tokens: list[list[str]]) -> np.ndarray:
    """Share of the question's IDF mass (IDF over the candidate sentences) that each sentence contains."""
    n = len(sentence_tokens)
    document_frequency: dict[str, int] = {}
    for tokens in sentence_tokens:
        for token in set(tokens):
            document_frequency[token] = document_frequency.get(token, 0) + 1
    weights = {t: math.log(1 + n / (1 + document_frequency.get(t, 0))) for t in set(question_tokens)}
    total = sum(weights.values()) or 1.0
    return np.array([sum(w for t, w in weights.items() if t in set(tokens)) / total for tokens in sentence_tokens])


def score_sentences(question: str, candidates: list[Evidence], embeddings) -> None:
    """Fill `score` and `features` of every candidate (in place)."""
    if not candidates:
        return
    vectors = np.array(embeddings.embed_documents([c.quote for c in candidates] + [question]))
    semantic = vectors[:-1] @ vectors[-1]
    lexical = _idf_overlap(tokenize([question])[0], tokenize([c.quote for c in candidates]))
    family = attribution_family(question)
    ranks = {}
    for c in candidates:
        ranks.setdefault(c.passage.chunk_id, len(ranks))
    for i, c in enumerate(candidates):
        cue = 0.0
        if family:
            lowered = c.quote.lower()
            cue = 1.0 if any(term in lowered for term in ATTRIBUTION_FAMILIES[family]) else 0.0
        prior = 1.0 / (1.0 + ranks[c.passage.chunk_id])
        c.features = {"semantic": round(float(semantic[i]), 4), "lexical": round(float(lexical[i]), 4),
                      "cue": cue, "rank_prior": round(prior, 4)}
        c.score = round(0.55 * float(semantic[i]) + 0.35 * float(lexical[i]) + 0.20 * cue + 0.05 * prior, 4)


def select_evidence(question: str, passages: list[Passage], embeddings, max_items: int = 4,
                    min_score: float = 0.35, relative: float = 0.75) -> list[Evidence]:
    """The best-scoring sentences (at most `max_items`), each within `relative` of the best and above `min_score`.

    Returns them in reading order per article (articles ordered by their best sentence). An empty list means
    nothing in the passages answers the question.
    """
    candidates = candidate_sentences(passages)
    score_sentences(question, candidates, embeddings)
    ranked = sorted(candidates, key=lambda c: -c.score)
    if not ranked or ranked[0].score < min_score:
        return []
    cutoff = max(min_score, ranked[0].score * relative)
    chosen: list[Evidence] = []
    for candidate in ranked:
        if candidate.score < cutoff or len(chosen) == max_items:
            break
        # Skip a sentence already inside another chosen item's context, and merge overlapping contexts.
        if any(c.passage.article_id == candidate.passage.article_id and c.context_start <= candidate.start < c.end
               for c in chosen):
            continue
        chosen.append(candidate)
    article_order = {}
    for c in chosen:
        article_order.setdefault(c.passage.article_id, len(article_order))
    return sorted(chosen, key=lambda c: (article_order[c.passage.article_id], c.start))
