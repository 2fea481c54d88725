"""Follow-up questions made standalone, the chain step before question analysis.

`standalone_question(question, history)` resolves what a follow-up refers to, from the parse of the question and of
the previous turns, and writes the question out in full:

- pronouns: "he / she / him / his / her" take a person, "they / them / their" a group (an organisation, a country,
  or two people named together: "Musk and Putin"), "it / its" an organisation or thing, "there" a place. Possessives
  become "Name's". The antecedents are tried newest turn first, and within a turn: its short answer, its speakers,
  the subject of its question, the other names of its question, the names in its answer text.
  A name read in several places keeps its first place and every kind it was read as (the small model may call
  "Peskov" a place in "Russia and Peskov" and a person alone).
- demonstrative phrases: "that region / the company / the spokesman" take the newest name of the kind their noun
  names (`questions.NOUN_TYPES`); "that report / the article" becomes the report of the newest publisher or speaker;
  "those soldiers" becomes the phrase with the same noun in the previous turn ("Russian soldiers").
- ellipsis: "And the Chinese Embassy?" / "What about Peskov?" repeats the previous standalone question with the
  new name in place of the previous one of the same kind (or its subject).

A question that refers to nothing is returned unchanged: a topic switch inherits nothing from the history.

History items are `PriorTurn`s, or what the chat and the API send: `[question, answer]` pairs or objects
`{"question", "answer", "short_answer", "speakers", "standalone_question"}` (everything but "question" optional).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from .nlp import parse
from .questions import NOUN_TYPES, REPORT_NOUNS, TYPE_LABELS, analyse, named_spans

_PERSON = frozenset({"PERSON"})
_GROUP = frozenset({"ORG", "GPE", "NORP"})
_THING = frozenset({"ORG", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW", "FAC"})
_PLACE = frozenset({"GPE", "LOC", "FAC"})
# pronoun -> the entity labels it can refer to, most likely first ("pair": names joined by "and")
_PAIR = frozenset({"pair"})
_PRONOUN_KINDS = {"he": (_PERSON,), "him": (_PERSON,), "his": (_PERSON,), "she": (_PERSON,), "her": (_PERSON,),
                  "hers": (_PERSON,), "they": (_PAIR, _GROUP), "them": (_PAIR, _GROUP), "their": (_PAIR, _GROUP),
                  "it": (_THING,), "its": (_THING,), "there": (_PLACE,)}
_POSSESSIVES = frozenset({"his", "their", "its", "hers"})
_DEMONSTRATIVES = frozenset({"that", "this", "those", "these", "the"})
_ELLIPSIS = re.compile(r"^\s*(?:and|but|also)?\s*(?:what|how)\s+about\s+(?P<rest>.+?)\s*\??\s*$|"
                       r"^\s*(?:and|but)\s+(?P<rest2>[^?]+?)\s*\??\s*$", re.I)


@dataclass(frozen=True)
class PriorTurn:
    """One earlier turn of a conversation, as the follow-up resolver reads it."""

    question: str
    answer: str = ""
    short_answer: str | None = None
    speakers: tuple[str, ...] = ()
    standalone_question: str | None = None


def prior_turns(history: Iterable) -> list[PriorTurn]:
    """The history as PriorTurns, oldest first. Accepts PriorTurns, `[question, answer]` pairs and objects with at
    least "question"; raises ValueError naming the item and what is wrong."""
    turns: list[PriorTurn] = []
    for number, item in enumerate(history or (), 1):
        if isinstance(item, PriorTurn):
            turns.append(item)
        elif isinstance(item, dict):
            if not isinstance(item.get("question"), str):
                raise ValueError(f"history item {number} has no \"question\" text")
            speakers = item.get("speakers") or ()
            if isinstance(speakers, str) or not all(isinstance(s, str) for s in speakers):
                raise ValueError(f"history item {number}: \"speakers\" must be a list of names")
            short = item.get("short_answer")
            standalone = item.get("standalone_question")
            turns.append(PriorTurn(item["question"], str(item.get("answer") or ""),
                                   short if isinstance(short, str) else None, tuple(speakers),
                                   standalone if isinstance(standalone, str) else None))
        elif isinstance(item, (list, tuple)) and len(item) == 2 and all(isinstance(x, str) for x in item):
            turns.append(PriorTurn(item[0], item[1]))
        else:
            raise ValueError(f"history item {number} must be a [question, answer] pair or an object with a "
                             f"\"question\", not {type(item).__name__}")
    return turns


@dataclass(frozen=True)
class _Antecedent:
    text: str
    labels: frozenset[str]


def _antecedents(turn: PriorTurn) -> list[_Antecedent]:
    """The names one turn offers, most likely antecedent first (see the module docstring)."""
    question = turn.standalone_question or turn.question
    answer_text = re.sub(r"\[\d+\]", "", turn.answer)
    first_sentence = re.split(r"(?<=[.!?])\s+", answer_text.strip(), maxsplit=1)[0]
    # without a short answer, a short first sentence ("SpaceX.") is one
    short_text = turn.short_answer or (first_sentence if len(first_sentence.split()) <= 6 else "")
    short_doc, question_doc, first_doc, answer_doc = parse([short_text, question, first_sentence, answer_text])
    found: dict[str, _Antecedent] = {}

    def add(text: str, labels: Iterable[str]) -> None:
        text = text.removesuffix("’s").removesuffix("'s").strip(" .,;:")
        if not text:
            return
        known = found.get(text.lower())  # a name keeps its first place and gains the kinds read elsewhere
        found[text.lower()] = _Antecedent(known.text if known else text, frozenset(labels) | (known.labels if known else frozenset()))

    def add_names(doc, only=lambda span: True) -> None:
        for span in named_spans(doc):
            if only(span):  # a run of proper nouns the model did not label is most often a person's name, and so is
                full = _full_name(span)  # one whose label covers only part of it ("Lima", a place, of "Ana Lima")
                label = getattr(span, "label_", "") if (full.start, full.end) == (span.start, span.end) else ""
                add(full.text, {label or "PERSON"})

    def add_pairs(doc) -> None:
        for token in doc:
            later = [c for c in token.conjuncts if c.i > token.i and c.pos_ == "PROPN"]
            if token.pos_ == "PROPN" and later and not any(c.i < token.i for c in token.conjuncts):
                add(doc[_full_name(token).start:_full_name(later[-1]).end].text, {"pair"})

    if short_text.lower().strip(" .") not in ("", "yes", "no"):
        add_pairs(short_doc)
        add_names(short_doc)
        wanted = analyse(question, []).answer_type
        if not found and short_text[:1].isupper() and wanted in TYPE_LABELS:  # "SpaceX": a bare name, of that kind
            add(short_text, TYPE_LABELS[wanted])
    for speaker in turn.speakers:  # "Kremlin spokesman Dmitry Peskov" is one person, not the Kremlin too
        doc = parse([speaker])[0]
        people = [span for span in named_spans(doc) if getattr(span, "label_", "") in ("PERSON", "")]
        add_names(doc, lambda span: not people or span in people)
    add_names(first_doc)  # the answer's opening: what the previous question was answered with
    add_names(question_doc, lambda span: span.root.dep_ in ("nsubj", "nsubjpass"))
    add_pairs(question_doc)
    add_names(question_doc)
    add_names(answer_doc)
    return list(found.values())


def _full_name(item):
    """The span of adjacent proper nouns around a token or span ("Dmitry" + "Peskov")."""
    doc = item.doc
    start, end = (item.i, item.i + 1) if hasattr(item, "i") else (item.start, item.end)
    while start > 0 and doc[start - 1].pos_ == "PROPN":
        start -= 1
    while end < len(doc) and doc[end].pos_ == "PROPN":
        end += 1
    return doc[start:end]


def _pick(turns: list[list[_Antecedent]], preferences: Sequence[frozenset[str]],
          taken: Sequence[str] = ()) -> str | None:
    """The newest antecedent whose labels fit the first label set of `preferences` that any turn offers (a plural
    "they" takes two names joined by "and" before a group), skipping names that overlap one already taken by another
    reference of the same question."""
    for labels in preferences:
        for antecedents in turns:
            for antecedent in antecedents:
                if antecedent.labels & labels and not any(_words(antecedent.text) & _words(other) for other in taken):
                    return antecedent.text
    return None


def _words(name: str) -> set[str]:
    return {word for word in re.findall(r"\w+", name.lower()) if len(word) > 2 and word != "and"}


def _report_owner(turns: list[list[_Antecedent]]) -> str | None:
    """Whose report "that report" is: the newest publisher (organisation) or speaker."""
    return _pick(turns, (frozenset({"ORG"}), _PERSON))


def _possessive(name: str) -> str:
    return f"{name}’s"


def _same_noun_phrase(head, history: Sequence[PriorTurn]) -> str | None:
    """The newest phrase of the history whose noun is `head`'s ("those soldiers" -> "Russian soldiers")."""
    lemma = head.lemma_.lower()
    for turn in reversed(history):
        for doc in parse([turn.short_answer or "", turn.standalone_question or turn.question,
                          re.sub(r"\[\d+\]", "", turn.answer)]):
            for chunk in doc.noun_chunks:
                if chunk.root.lemma_.lower() == lemma and any(t.dep_ in ("amod", "compound") for t in chunk.root.children):
                    words = [t for t in chunk if t.dep_ not in ("det", "predet")]
                    return " ".join(t.text for t in words)
    return None


def _ellipsis(question: str, history: Sequence[PriorTurn]) -> str | None:
    """The previous question asked again about a new name, for "And X?" / "What about X?"; None otherwise."""
    match = _ELLIPSIS.match(question)
    if not match:
        return None
    rest = (match.group("rest") or match.group("rest2")).strip()
    rest_doc = parse([rest])[0]
    if any(t.pos_ in ("VERB", "AUX") for t in rest_doc) or not rest_doc.text:
        return None  # "And what did he say?" is a question of its own
    previous = history[-1].standalone_question or history[-1].question
    previous_doc = parse([previous])[0]
    names = [span[:-1] if len(span) > 1 and span[-1].tag_ == "POS" else span for span in named_spans(previous_doc)]
    new_labels = {ent.label_ for ent in rest_doc.ents} or {"PERSON" if rest_doc[0].pos_ == "PROPN" else ""}
    same_kind = [s for s in names if getattr(s, "label_", "") in new_labels]
    subjects = [s for s in names if s.root.dep_ in ("nsubj", "nsubjpass")]
    target = (same_kind or subjects or names or [None])[0]
    if target is None:
        return f"{previous.rstrip(' ?')} about {rest}?"
    return previous[:target.start_char] + rest + previous[target.end_char:]


def standalone_question(question: str, history: Iterable = ()) -> str:
    """`question` with its references to earlier turns resolved (see the module docstring); unchanged when it
    refers to nothing or there is no history."""
    turns = prior_turns(history)
    question = " ".join((question or "").split())
    if not turns or not question:
        return question
    for i, turn in enumerate(turns):  # a history written by hand may lack what the earlier turns were taken to mean
        if turn.standalone_question is None and i:
            turns[i] = replace(turn, standalone_question=standalone_question(turn.question, turns[:i]))
    elided = _ellipsis(question, turns)
    if elided is not None:
        return elided
    doc = parse([question])[0]
    newest_first = [_antecedents(turn) for turn in reversed(turns)]
    own = {span.text.lower() for span in named_spans(doc)}
    candidates = [[a for a in antecedents if a.text.lower() not in own] for antecedents in newest_first]
    replaced: dict[int, tuple[int, str]] = {}  # token index -> (end token index, replacement text)
    chosen: dict[tuple, str] = {}  # the name each kind of pronoun took ("he ... his" is one person)
    for token in doc:
        word = token.lower_
        if word in _PRONOUN_KINDS and (token.pos_ == "PRON" or word == "there" and token.dep_ == "advmod"):
            if token.dep_ == "expl" or word == "it" and any(c.dep_ in ("ccomp", "xcomp", "csubj") for c in token.head.children):
                continue  # "Is it true that ...", "there is"
            kinds = _PRONOUN_KINDS[word]
            if kinds in chosen:
                continue  # "what did he say he would do": the first mention names him, the others stay pronouns
            name = _pick(candidates, kinds, list(chosen.values()))
            if name is None:
                continue
            chosen[kinds] = name
            possessive = word in _POSSESSIVES or word == "her" and token.dep_ == "poss"
            replaced[token.i] = (token.i + 1, _possessive(name) if possessive else
                                 ("in " + name if word == "there" else name))
        elif word in _DEMONSTRATIVES and token.dep_ == "det" and token.head.pos_ == "NOUN" and \
                (word != "the" or token.head.lemma_.lower() in NOUN_TYPES):
            head = token.head
            if any(t.pos_ == "PROPN" or t.dep_ in ("compound", "amod") for t in head.children):
                continue  # "the Trump campaign": already named
            noun = head.lemma_.lower()
            if noun in NOUN_TYPES and NOUN_TYPES[noun] in TYPE_LABELS:
                name = _pick(candidates, (TYPE_LABELS[NOUN_TYPES[noun]],))
            elif noun in REPORT_NOUNS:
                owner = _report_owner(candidates)
                name = f"{_possessive(owner)} {head.text}" if owner else None
            elif word != "the":
                phrase = _same_noun_phrase(head, turns)
                name = f"the {phrase}" if phrase else None
            else:
                name = None
            if name:
                replaced[token.i] = (head.i + 1, name)
    if not replaced:
        return question
    out, i = [], 0
    while i < len(doc):
        if i in replaced:
            end, text = replaced[i]
            out.append(text + doc[end - 1].whitespace_)
            i = end
        else:
            out.append(doc[i].text_with_ws)
            i += 1
    text = "".join(out)
    return text[0].upper() + text[1:]
