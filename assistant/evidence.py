"""Evidence selection: the sentences of the retrieved passages that answer the question.

Every retrieved passage is split into sentences; each sentence is scored by semantic similarity
to the question (the same bi-encoder as retrieval), lexical overlap (stemmed, IDF-weighted over the
candidates), question-type cues (attribution verbs for "who denied / said / ..." questions) and the
passage's retrieval rank. A sentence that quotes someone without naming them ("It's all untrue,"
he said) carries the neighbouring sentence that names the speaker as context.

Text planted in an article for a language model is never evidence (`planted`): instructions to the model,
forged conversation turns (chat-template tokens, role lines), hidden HTML comments and reference-list entries.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from .chunking import sentence_spans
from .lexical import tokenize
from .retrieve import Passage

# Verb families for attribution questions: the question's verb selects the family, and sentences
# using any member of the family get a boost.
ATTRIBUTION_FAMILIES: dict[str, re.Pattern] = {family: re.compile(pattern, re.I) for family, pattern in {
    "deny": r"\b(den(y|ied|ies|ying|ial)|reject\w*|dismiss\w*|false|untrue|refut\w*|disput\w*)\b",
    "decline": r"\b(declin\w* to comment|no comment|refrain\w* from comment\w*|refus\w* to comment|did(n’t|n't| not) (immediately )?respond|"
               r"no immediate response|no information to share|not aware|declin\w*)\b",
    "confirm": r"\b(confirm\w*|acknowledg\w*|verif\w*)\b",
    "say": r"\b(said|says|told|stated|call(ed|s)|added|according to|statement|report(ed|s)?|warn\w*|argu\w*|wrote|describ\w*)\b",
    "claim": r"\b(claim\w*|alleg\w*|accus\w*|assert\w*|suggest\w*)\b",
    "report": r"\b(report(ed|s)?|according to|cit(ed|ing))\b",
    "accuse": r"\b(accus\w*|blam\w*|alleg\w*)\b",
    "vow": r"\b(vow\w*|promis\w*|pledg\w*)\b",
}.items()}
_SOFT_FAMILIES = {None, "say", "report"}
_QUESTION_VERBS = {
    "deny": r"\b(den(y|ied|ies)|denial|reject(ed)?)\b", "decline": r"\b(declin\w*|refus\w* to comment|no comment|refrain\w*|comment(ed)?)\b",
    "confirm": r"\bconfirm\w*\b", "claim": r"\b(claim\w*|alleg\w*)\b", "report": r"\breport(ed|s)?\b",
    "accuse": r"\baccus\w*\b", "vow": r"\b(vow\w*|promis\w*|pledg\w*)\b", "say": r"\b(say|said|says|tell|told|call(ed)?|state[ds]?)\b",
}
_PRONOUN_START = re.compile(r"^[“\"]|^(He|She|They|It|This|That|These|Those|The company|The spokesman|The spokeswoman)\b")
_NAMED_SPEAKER = re.compile(r"\b(?:[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,3})\s+(?:said|says|told|added|stated)\b|\b(?:said|says|told)\s+(?:[A-Z][a-z]+)")


# --- text planted for a language model -------------------------------------------------------------
_TURN_TOKEN = r"<\|[^|<>\s]{1,40}\|>|\[/?INST\]|<</?SYS>>"  # ChatML (<|im_start|>, <|eot_id|>, ...), Llama 2
TEMPLATE_TOKEN = re.compile(rf"{_TURN_TOKEN}|</?s>")  # and BOS/EOS, which are also HTML's strike-through: no turn
_FORGED_TURN = re.compile(rf"{_TURN_TOKEN}|^\s*#{{2,}}\s*(?:instruction|response|system|input|assistant|user)\b"
                          r"|^\s*(?:system|assistant|user)(?:\s+(?:prompt|message|override|instructions?))*\s*:", re.I | re.M)
_MODEL = (r"(?:ai|llms?|(?:large\s+)?language\s+models?|chatbots?|(?:ai\s+|virtual\s+)?assistants?|bots?"
          r"|automated\s+(?:summari[sz]ers?|systems?|readers?|tools?))")
_PLANTED_SENTENCE = re.compile(
    r"\b(?:ignore|disregard|forget|override)\s+(?:(?:all|any|the|your|every|other|previous|prior|above|earlier|preceding"
    r"|user[’']?s?)\s+){0,4}(?:instructions?|questions?|prompts?|rules|guidelines|articles?|context|directions)\b"
    rf"|\b(?:notes?|instructions?|messages?|attention)\s+(?:to|for)\s+(?:the\s+|all\s+|any\s+)?{_MODEL}\b"
    rf"|\bif\s+you\s+are\s+(?:an?\s+)?{_MODEL}\b|\byou\s+are\s+now\s+in\s+[\w-]+\s+mode\b"
    rf"|\b(?:the|an?|any)\s+{_MODEL}\s+(?:must|should|shall|will|needs?\s+to)\s+(?:say|tell|answer|reply|respond|state|write|claim)\b"
    r"|\b(?:every|each|any|your)\s+(?:answer|response|reply)\s+(?:must|should|shall)\b"
    r"|\b(?:reply|respond|answer)\s+(?:only\s+with|(?:with\s+)?exactly)\b|^\s*(?:reply|respond)\b|^\s*say\s+that\b"
    r"|^\s*(?:(?:sources?|references?|citations?)\s*:\s*)?\[\d{1,3}\]", re.I)
_BLOCK = re.compile(r"(?:[^\n]|\n(?![ \t]*\n))+")  # lines up to a blank line
_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)


def planted(text: str, spans: list[tuple[int, int]]) -> list[bool]:
    """For each sentence span of `text`: whether it was planted for a language model rather than written for
    readers. That is a sentence instructing the model ("ignore the question", "note to AI assistants", "reply
    only with") or opening a reference list ("[2] ...", "Sources: [1] ..."); every sentence of a block (lines up to a
    blank line) holding chat-template tokens or role lines, a forged turn; and text inside HTML comments."""
    hidden = [m.span() for m in _BLOCK.finditer(text) if _FORGED_TURN.search(m.group())]
    hidden += [m.span() for m in _HTML_COMMENT.finditer(text)]
    return [any(start < hidden_end and hidden_start < end for hidden_start, hidden_end in hidden)
            or bool(_PLANTED_SENTENCE.search(text[start:end])) for start, end in spans]


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
    vector: np.ndarray | None = None  # embedding of `quote`, reused by the citation checker

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


def _speaker_context(line_spans: list[tuple[int, int]], i: int, text: str) -> int:
    """Index of the sentence that names the speaker of sentence i: i itself when it needs none or names one,
    else up to three sentences back within its paragraph."""
    sentence = text[line_spans[i][0]:line_spans[i][1]]
    if _NAMED_SPEAKER.search(sentence) or not (_PRONOUN_START.search(sentence) or _inside_quote(text, line_spans, i)):
        return i
    j = i
    while j > 0 and i - j < 3 and "\n" not in text[line_spans[j - 1][1]:line_spans[j][0]]:
        j -= 1
        if _NAMED_SPEAKER.search(text[line_spans[j][0]:line_spans[j][1]]):
            return j
    return i - 1 if i > 0 and "\n" not in text[line_spans[i - 1][1]:line_spans[i][0]] else i


def _inside_quote(text: str, spans: list[tuple[int, int]], i: int) -> bool:
    """True when sentence i continues a quotation opened earlier in its paragraph."""
    paragraph_start = text.rfind("\n", 0, spans[i][0]) + 1
    before = text[paragraph_start:spans[i][0]]
    return before.count("“") > before.count("”")


def candidate_sentences(passages: list[Passage]) -> list[Evidence]:
    """Every sentence of the passages once (overlapping chunks repeat sentences), in retrieval order, except
    planted ones. A sentence that quotes someone without naming them carries the sentences back to the one naming
    the speaker (unless a planted sentence lies between)."""
    seen: set[tuple[str, int]] = set()
    candidates = []
    for passage in passages:
        spans = sentence_spans(passage.text)
        flagged = planted(passage.text, spans)
        for i, (start, end) in enumerate(spans):
            key = (passage.article_id, passage.start + start)
            if key in seen or flagged[i]:
                continue
            seen.add(key)
            context = _speaker_context(spans, i, passage.text)
            if any(flagged[context:i]):
                context = i
            candidates.append(Evidence(passage, passage.start + start, passage.start + end, passage.text[start:end],
                                       passage.start + spans[context][0]))
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
        c.vector = vectors[i]
        cue = 0.0
        if family:
            cue = 1.0 if ATTRIBUTION_FAMILIES[family].search(c.quote) else 0.0
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
    family = attribution_family(question)
    if family not in _SOFT_FAMILIES and any(c.features["cue"] for c in candidates):
        # "who denied ...": the answer is every denial found ("said" is too common to filter on)
        candidates = [c for c in candidates if c.features["cue"]]
        relative = min(relative, 0.5)
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


# --- answerability ------------------------------------------------------------------------------
_QUESTION_WORDS = ("what which who whom whose when where why how did does do is are was were has have had according "
                   "article articles report reported reports say said says mention mentioned many much one about also "
                   "else would could should may might between both after before news story stories publish published")
_NUMBER_WORDS = r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozen|dozens|hundreds?|thousands?|millions?|billions?|half"
_ASKS_NUMBER = re.compile(r"\b(how (many|much|old|long|far|often)|(what|which)\b[^?]{0,20}\b(number|percentage|share|amount|proportion|price|figure|total|sum))\b", re.I)
_ASKS_DATE = re.compile(r"\b(when|what (date|day|year|month|time)|which (date|day|year|month))\b", re.I)
_NUMBER = re.compile(rf"\d|\b({_NUMBER_WORDS})\b", re.I)
_DATE = re.compile(r"\b(\d{4}|january|february|march|april|may|june|july|august|september|october|november|december|"
                   r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|ago|earlier|later|last|next|"
                   r"week|month|year|decade|century|since|until|before|after|prior)\b", re.I)


@lru_cache(maxsize=1)
def _question_stems() -> frozenset[str]:
    return frozenset(tokenize([_QUESTION_WORDS])[0])


def coverage(question: str, evidence: list[Evidence]) -> float:
    """Share of the question's content words (stemmed) found in the evidence quotes or their articles' titles and sources."""
    wanted = set(tokenize([question])[0]) - _question_stems()
    if not wanted:
        return 1.0
    seen = set(tokenize([" ".join(f"{e.quote} {e.passage.title} {e.passage.source}" for e in evidence)])[0])
    return len(wanted & seen) / len(wanted)


def unanswered_reason(question: str, evidence: list[Evidence], min_coverage: float) -> str | None:
    """Why the evidence does not answer the question (None when it may): a number or year of the question
    missing, no number for a how-many question, no time expression for a when question, or too little of
    the question's content covered."""
    if not evidence:
        return "no evidence sentence scored high enough"
    text = " ".join(f"{e.quote} {e.passage.title} {e.passage.published_at}" for e in evidence)
    for number in re.findall(r"\b\d[\d,.]*\b", question):
        if number.rstrip(".,") not in text:
            return f"the evidence never mentions {number}"
    quotes = " ".join(e.quote for e in evidence)
    question_numbers = {m.group(0).lower() for m in _NUMBER.finditer(question)}
    if _ASKS_NUMBER.search(question) and not any(m.group(0).lower() not in question_numbers for m in _NUMBER.finditer(quotes)):
        return "the question asks for a number and the evidence has none"
    if _ASKS_DATE.search(question) and not _DATE.search(quotes):
        return "the question asks when and the evidence has no time expression"
    share = coverage(question, evidence)
    if share < min_coverage:
        return f"the evidence covers only {share:.0%} of the question's content words"
    return None
