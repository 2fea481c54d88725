"""Split an article body into sentence-aligned, token-bounded chunks that keep exact character offsets.

Contract: for every chunk, `article.body[chunk.start:chunk.end] == chunk.text`, the chunk
has at most `chunk_tokens` cl100k_base tokens, and chunks cover the body in order.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import blingfire

from .articles import Article
from .offline import tiktoken_encoding


@dataclass(frozen=True)
class Chunk:
    """A passage of one article: `text` is `body[start:end]`; `embed_text` is what the embedding model sees."""

    id: str
    article_id: str
    index: int
    start: int
    end: int
    text: str
    embed_text: str
    tokens: int


_PARAGRAPH = re.compile(r"[^\n]+")
# a person's title the splitter may take for a sentence's end ('"Mr. Wang, do you see ...'); always before a name
_TITLE_AT_END = re.compile(r"(?:^|[\s“\"‘(])(?:Mr|Mrs|Ms|Dr|Prof)\.$")
# a page's placeholder for an embedded video left in the text ("... per cent. Loading Google rejected this"): no word
# of the sentence it runs into. All 36 of the MultiHop-RAG bodies' "Loading" before a capital are such; a sentence
# opening with the verb ("Loading Ukrainian grain will take weeks") would lose its first word
_PLACEHOLDER = re.compile(r"Loading (?=[A-Z])")


@lru_cache(maxsize=256)
def sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) character spans of the sentences of `text`; a line break always ends a sentence, a person's title
    never does ('"Mr. Wang, do you see ...'), and a page's "Loading" placeholder is a sentence of its own. Cached: the
    chunker and the statement extractor split the same bodies while indexing."""
    spans: list[tuple[int, int]] = []
    for paragraph in _PARAGRAPH.finditer(text):
        line = paragraph.group()
        if not line.strip():
            continue
        _, offsets = blingfire.text_to_sentences_and_offsets(line)
        for start, end in offsets:
            # blingfire works on UTF-8 bytes internally but reports character offsets; trim to non-space.
            while start < end and line[start].isspace():
                start += 1
            while end > start and line[end - 1].isspace():
                end -= 1
            if end <= start:
                continue
            placeholder = _PLACEHOLDER.match(line, start)
            if placeholder is not None:
                spans.append((paragraph.start() + start, paragraph.start() + placeholder.end() - 1))
                start = placeholder.end()
            previous = spans[-1] if spans and spans[-1][0] >= paragraph.start() else None
            if previous is not None and _TITLE_AT_END.search(text[previous[0]:previous[1]]):
                spans[-1] = (previous[0], paragraph.start() + end)  # the name goes on: one sentence
            else:
                spans.append((paragraph.start() + start, paragraph.start() + end))
    return tuple(spans)


def _token_pieces(text: str, start: int, end: int, limit: int) -> list[tuple[int, int, int]]:
    """Cut an over-long sentence `text[start:end]` into (start, end, tokens) pieces of at most `limit` tokens."""
    encoding = tiktoken_encoding()
    tokens = encoding.encode(text[start:end])
    # Exact character offsets of the tokens, in one linear pass (decoding every prefix was quadratic); a token
    # inside a multi-byte character starts at that character, which so goes whole to the next piece.
    _, offsets = encoding.decode_with_offsets(tokens)
    cuts = [start + offsets[first] for first in range(0, len(tokens), limit)] + [end]
    pieces = []
    for piece_start, piece_end in zip(cuts, cuts[1:]):
        if piece_end <= piece_start:
            continue
        count = len(encoding.encode(text[piece_start:piece_end]))
        if count > limit and piece_end - piece_start > 1:  # re-encoding a piece can merge differently: cut again
            pieces.extend(_token_pieces(text, piece_start, piece_end, max(limit - (count - limit), limit // 2, 1)))
        else:
            pieces.append((piece_start, piece_end, count))
    return pieces


def metadata_prefix(article: Article) -> str:
    """The header embedded before every chunk's text: title, then source and date."""
    details = " | ".join(part for part in (article.source, article.published_at[:10]) if part)
    return f"{article.title}\n{details}\n\n" if details else f"{article.title}\n\n"


def chunk_article(article: Article, chunk_tokens: int, overlap_tokens: int, embed_metadata: bool = True,
                  version: str = "") -> list[Chunk]:
    """Pack the article's sentences into chunks of at most `chunk_tokens`, repeating ~`overlap_tokens` of context.

    Chunk ids are `<article id>:<version>:<index>`; `version` defaults to the article's content hash.
    """
    encoding = tiktoken_encoding()
    body = article.body
    units: list[tuple[int, int, int]] = []  # sentence (or sentence piece) spans with token counts
    for start, end in sentence_spans(body):
        count = len(encoding.encode(body[start:end]))
        units.extend(_token_pieces(body, start, end, chunk_tokens) if count > chunk_tokens else [(start, end, count)])

    def cost(group: list[tuple[int, int, int]]) -> int:  # the real count: separators can be long white space,
        return len(encoding.encode(body[group[0][0]:group[-1][1]])) if group else 0  # and tokens merge across them

    groups: list[list[tuple[int, int, int]]] = []
    current: list[tuple[int, int, int]] = []
    for unit in units:
        if current and cost(current + [unit]) > chunk_tokens:
            groups.append(current)
            overlap: list[tuple[int, int, int]] = []
            for previous in reversed(current):
                if cost([previous] + overlap) > overlap_tokens or cost([previous] + overlap + [unit]) > chunk_tokens:
                    break
                overlap.insert(0, previous)
            current = overlap
        current.append(unit)
    if current:
        groups.append(current)

    prefix = metadata_prefix(article) if embed_metadata else ""
    version = version or article.content_hash[:10]
    chunks = []
    for index, group in enumerate(groups):
        start, end = group[0][0], group[-1][1]
        text = body[start:end]
        chunks.append(Chunk(id=f"{article.id}:{version}:{index:04d}", article_id=article.id, index=index, start=start,
                            end=end, text=text, embed_text=prefix + text, tokens=len(encoding.encode(text))))
    return chunks
