"""Citations checked by code: every answer sentence must be supported by the passage it cites.

`check_citations(answer, evidence, embeddings)` splits the generator's answer into sentences, reads
their [n] markers (n indexes `evidence`, 1-based), measures how well each sentence is supported by
each evidence item (lexical: share of the sentence's content words found in the quote; semantic:
bi-encoder cosine), keeps a correct marker, replaces a wrong one with the best-supporting item, and
drops sentences nothing supports. Markers are renumbered by first use, and each citation carries the
exact quote with its character offsets in the article body.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass

import numpy as np

from .chunking import sentence_spans
from .evidence import Evidence
from .lexical import tokenize

MARKER = re.compile(r"\s*\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]")


def unmarked(text: str) -> str:
    """`text` without [n] markers. Article text put into an answer or a prompt goes through this, so the only
    markers the checker reads are the generator's own (an article's "[2]" is not a citation of evidence 2)."""
    return MARKER.sub("", text)


_CONNECTIVE = re.compile(r"(?i)(yes|no|true|false|correct|incorrect|partly|partially)[.!]?")


@dataclass(frozen=True)
class Citation:
    """Where a claim comes from: the article, the chunk, and the exact quote at body[start:end]."""

    marker: int
    article_id: str
    title: str
    source: str
    published_at: str
    url: str
    chunk_id: str
    quote: str
    start: int
    end: int
    passage: str  # the whole retrieved chunk, for showing the quote in context
    passage_start: int

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class CheckedAnswer:
    text: str
    citations: list[Citation]
    corrections: list[str]  # what the checker changed, for transparency and tests


@dataclass(frozen=True)
class Support:
    lexical: float
    semantic: float

    @property
    def ok(self) -> bool:
        return self.lexical >= 0.6 or (self.lexical >= 0.3 and self.semantic >= 0.55)

    @property
    def strength(self) -> float:
        return 0.6 * self.lexical + 0.4 * self.semantic


def support_matrix(sentences: list[str], evidence: list[Evidence], embeddings) -> list[list[Support]]:
    """Support of every sentence (rows) by every evidence item (columns)."""
    if not sentences or not evidence:
        return [[] for _ in sentences]
    quote_tokens = [set(tokens) for tokens in tokenize([e.quote for e in evidence])]
    sentence_tokens = tokenize(sentences)
    missing = [e.quote for e in evidence if e.vector is None]
    vectors = np.array(embeddings.embed_documents(sentences + missing))
    fresh = iter(vectors[len(sentences):])
    evidence_vectors = np.array([e.vector if e.vector is not None else next(fresh) for e in evidence])
    semantic = vectors[:len(sentences)] @ evidence_vectors.T
    rows = []
    for i, tokens in enumerate(sentence_tokens):
        content = set(tokens)
        rows.append([Support(len(content & quote) / len(content) if content else 0.0, float(semantic[i, j]))
                     for j, quote in enumerate(quote_tokens)])
    return rows


def split_answer(answer: str) -> list[tuple[str, list[int]]]:
    """(claim text, cited evidence numbers) in order: a claim is the text before a marker group; text after
    the last marker is split into sentences that cite nothing (yet)."""
    parts: list[tuple[str, list[int]]] = []
    position = 0
    for match in MARKER.finditer(answer):
        text = answer[position:match.start()].strip()
        cited = [int(n) for n in match.group(1).split(",")]
        if re.search(r"\w", text):
            parts.append((text, cited))
        elif parts:  # "[1][2]" or "[1]." — the marker belongs to the claim before
            parts[-1][1].extend(cited)
        position = match.end()
    tail = answer[position:]
    parts += [(tail[s:e], []) for s, e in sentence_spans(tail) if re.search(r"\w", tail[s:e])]
    return parts


def _sentences(claim: str) -> list[str]:
    return [claim[s:e] for s, e in sentence_spans(claim)]


def _jointly_supported(text: str, cited: list[int], evidence: list[Evidence]) -> list[int]:
    """The cited items (0-based) when together they hold the claim's content words ("Russia and Kremlin spokesman
    Dmitry Peskov. [1][2]": each names one speaker) and each adds some of them; else []."""
    items = [n - 1 for n in dict.fromkeys(cited) if 1 <= n <= len(evidence)]
    if len(items) < 2:
        return []
    words, *quotes = [set(tokens) for tokens in tokenize([text, *[evidence[i].quote for i in items]])]
    if not words or len(words & set().union(*quotes)) / len(words) < 0.6 or not all(words & quote for quote in quotes):
        return []
    return items


def check_citations(answer: str, evidence: list[Evidence], embeddings, verified: tuple[str, ...] = ()) -> CheckedAnswer:
    """The answer with only supported sentences, each carrying correct markers, and its citations.

    A claim whose text is in `verified` was checked by the reader (a yes/no verdict: its parts were compared with
    their evidence) and is kept with its valid markers instead of being judged by word overlap."""
    claims = split_answer(answer)
    claim_supports = support_matrix([text for text, _ in claims], evidence, embeddings)
    # A multi-sentence claim its markers do not support is judged sentence by sentence (one more batch).
    split = [i for i, (text, cited) in enumerate(claims) if text not in verified and len(_sentences(text)) > 1
             and not any(1 <= n <= len(evidence) and claim_supports[i][n - 1].ok for n in cited)]
    pieces = [(piece, list(claims[i][1])) for i in split for piece in _sentences(claims[i][0])]
    judged_pieces = iter(zip(pieces, support_matrix([text for text, _ in pieces], evidence, embeddings)))
    parts: list[tuple[str, list[int]]] = []
    supports: list[list[Support]] = []
    for i, claim in enumerate(claims):
        judged = [next(judged_pieces) for _ in _sentences(claim[0])] if i in split else [(claim, claim_supports[i])]
        parts += [part for part, _ in judged]
        supports += [support for _, support in judged]
    corrections: list[str] = []
    kept: list[tuple[str, list[int]]] = []  # (sentence, evidence indexes, 0-based)
    pending: list[str] = []  # short connective sentences ("Yes.") waiting for a supported neighbour
    for (text, cited), row in zip(parts, supports):
        if _CONNECTIVE.fullmatch(text):
            pending.append(text)
            continue
        if text in verified:
            kept.append((text, [n - 1 for n in dict.fromkeys(cited) if 1 <= n <= len(evidence)]))
            continue
        valid = [n - 1 for n in dict.fromkeys(cited) if 1 <= n <= len(evidence) and row[n - 1].ok]
        if len(valid) < len(set(cited)):
            valid = _jointly_supported(text, cited, evidence) or valid
        if not valid:
            best = max(range(len(evidence)), key=lambda j: row[j].strength, default=None)
            if best is not None and row[best].ok:
                valid = [best]
                corrections.append(f"re-cited: {text!r} -> [{best + 1}] (was {cited or 'uncited'})")
            else:
                corrections.append(f"removed unsupported: {text!r}")
                continue
        elif len(valid) < len(set(cited)):
            corrections.append(f"dropped wrong markers from {text!r}: kept {[v + 1 for v in valid]} of {cited}")
        for connective in pending:
            kept.append((connective, valid))
        pending = []
        kept.append((text, valid))
    if pending and kept:
        kept += [(connective, kept[-1][1]) for connective in pending]

    numbering: dict[int, int] = {}
    sentences = []
    for text, indexes in kept:
        markers = []
        for index in indexes:
            numbering.setdefault(index, len(numbering) + 1)
            markers.append(numbering[index])
        sentences.append(f"{text} " + "".join(f"[{m}]" for m in markers))
    citations = []
    for index, marker in numbering.items():
        item = evidence[index]
        citations.append(Citation(marker=marker, article_id=item.passage.article_id, title=item.passage.title,
                                  source=item.passage.source, published_at=item.passage.published_at, url=item.passage.url,
                                  chunk_id=item.passage.chunk_id, quote=item.quote, start=item.context_start, end=item.end,
                                  passage=item.passage.text, passage_start=item.passage.start))
    return CheckedAnswer(" ".join(sentences), citations, corrections)
