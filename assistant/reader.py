"""The reader: after evidence selection and before generation, it reads the scored sentences with spaCy's parser
and named entities and produces the direct answer the question's plan asks for, with the sentences that support it.

- entity questions (person / organization / place / entity): candidates are the named entities of the best
  sentences (and their context) whose label fits the answer type, never a thing the question names; each is scored
  by its independent support: the relevance of the sentences mentioning it, summed over distinct articles, with a
  bonus for every source the question names that backs it.
- attribution ("who denied ...", "what did X say / call ..."): the speaker is the grammatical subject of the
  reporting verb (resolved through "he", "they", "the spokesman" to the nearest fitting name before it); statements
  about another matter (the question's names missing around the statement) are left out.
- yes/no: every part of the question is checked against its own evidence (from the sources it names): missing
  (no passage supports it), contradicted (its number is absent where the passage gives another; the passage negates
  the same predicate about a shared argument, or the reverse: `polarity_conflict`), or supported; before/after
  relations are decided from the articles' publication dates, consistent/changed from comparing the parts' evidence.
  "Yes" only when every part holds.
- dates and numbers: the expression nearest to the question's words in the best sentence that has one.
- quotes and descriptions: the best statement or sentence.

`read()` returns a `Reading`: the short answer (None when the reader abstains, with the reason), the evidence it
cites (short-answer support first) and, for yes/no, the check of every part.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from .chunking import sentence_spans
from .cite import MARKER, unmarked
from .evidence import Evidence
from .lexical import tokenize
from .nlp import parse
from .questions import (REPORT_NOUNS, REPORT_VERBS, TIME_ORDER, NUMERIC_LABELS, STANCE_LEMMAS, TYPE_LABELS, Part, QuestionPlan,
                        named_spans)
from .reporting import PRONOUNS
from .statements import UNRESOLVED_SPEAKER, Statement, statements_at

READ_SENTENCES = 16  # best-scoring candidate sentences the reader parses
ENTITY_SENTENCES = 30  # ... for an entity question (its answer is often named in several articles)
SUPPORT_MIN = 0.3  # a part is supported when its best sentence scores at least this (swept on dev)
PART_COVERAGE_MIN = 0.2  # ... and its best article's best sentences hold this share of the part's content words
PART_MIN_WORDS = 3  # a part with no more content words than this ("the TechCrunch article") needs only a passage
PART_SENTENCES = 4  # ... counting this many of them
PART_ARTICLES = 3  # ... in the one of this many best-matching articles that holds the most
ENTITY_MIN = 0.2  # an entity answer counts mentions in sentences scoring at least this
ENTITY_RELATIVE = 0.4  # ... and at least this share of the best sentence's score
ADJACENT_BONUS = 1.5  # a mention within two words of a word of the question ("chief executive Lena Okafor") counts more
ABSTAIN_OPENING = "The indexed articles don't say"  # every abstention begins with these words
STATEMENT_MIN = 0.36  # an attributed statement answers only from a sentence scoring at least this
EXPRESSION_MIN = 0.45  # a date or number answers only from a sentence scoring at least this
DESCRIPTION_MIN = 0.45  # a description answers only from a sentence scoring at least this
_GENERIC_NOUNS = frozenset("article report story news thing way time year people person one part kind type".split())
_NEGATORS = frozenset("not no never none neither nor without fail lack absence n't cannot".split())
_NAMING_VERBS = frozenset("call describe label dub brand term".split())
_PLAIN_SAY = frozenset("say tell state add comment respond reply".split())  # "what did X say": the quote is the answer


@dataclass
class PartCheck:
    """How one part of a yes/no question fared against its evidence."""

    part: Part
    status: str  # "supported", "contradicted" or "missing"
    detail: str
    evidence: list[Evidence] = field(default_factory=list)
    score: float = 0.0

    def as_dict(self) -> dict:
        return {"part": self.part.text, "sources": list(self.part.sources), "status": self.status, "detail": self.detail,
                "score": round(self.score, 4),
                "evidence": [{"article_id": e.passage.article_id, "source": e.passage.source,
                              "published_at": e.passage.published_at, "sentence": e.text} for e in self.evidence]}


@dataclass
class Reading:
    """What the reader found: `short_answer` is None exactly when it abstains (`abstain_reason` says why)."""

    answer_type: str
    short_answer: str | None
    evidence: list[Evidence]  # what the answer cites; the first `short_support` items support the short answer
    short_support: int = 0
    statement: str = ""  # the short answer as the answer's first sentence ("No: ... ."), without markers
    abstain_reason: str | None = None
    parts: list[PartCheck] = field(default_factory=list)
    corrections: list[str] = field(default_factory=list)
    speakers: list[str] = field(default_factory=list)  # who made the statements an attribution answer reports

    def __post_init__(self) -> None:
        # article text quoted in the answer carries no [n] of the article's own (only the generator's are citations)
        self.statement = " ".join(unmarked(self.statement).split())
        if self.short_answer is not None:
            self.short_answer = " ".join(unmarked(self.short_answer).split())

    def as_dict(self) -> dict:
        return {"answer_type": self.answer_type, "short_answer": self.short_answer, "statement": self.statement,
                "abstain_reason": self.abstain_reason, "speakers": self.speakers,
                "parts": [p.as_dict() for p in self.parts]}


# --- helpers -------------------------------------------------------------------------------------------
def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.lower().replace("’s", "").replace("'s", "")).split()).removeprefix("the ")


def _mentions(name: str, text: str) -> bool:
    """Whether `text` mentions `name` (all its words of 3+ letters, or its last word for a multi-word name)."""
    words = [w for w in _norm(name).split() if len(w) > 2] or _norm(name).split()
    haystack = f" {_norm(text)} "
    if not words:
        return False
    return all(f" {w} " in haystack for w in words) or (len(words) > 1 and f" {words[-1]} " in haystack)


def _is_question_name(candidate: str, plan: QuestionPlan) -> bool:
    cand = _norm(candidate)
    if not cand:
        return True
    for name in (*plan.names, *plan.sources, *plan.unknown_sources):
        other = _norm(name)
        if other and (cand == other or f" {cand} " in f" {other} " or f" {other} " in f" {cand} "):
            return True
    return cand in _norm(plan.question).split() and len(cand.split()) == 1 and cand in {w.lower() for w in plan.content_words}


def _format_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _day(published_at: str) -> str:
    try:
        return datetime.fromisoformat(published_at.replace("Z", "+00:00")).strftime("%-d %B %Y")
    except ValueError:
        return published_at[:10]


def _timestamp(published_at: str) -> float | None:
    try:
        return datetime.fromisoformat(published_at.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def _docs(items: list[Evidence]):
    return parse([e.quote for e in items])


def _sentence_offset(item: Evidence) -> int:
    """Where the sentence itself starts inside `item.quote` (after its speaker context)."""
    return item.start - item.context_start


def _ranked(candidates: list[Evidence], limit: int = READ_SENTENCES) -> list[Evidence]:
    return sorted(candidates, key=lambda c: -c.score)[:limit]


_PAST = dict(pair.split(":") for pair in (
    "say:said tell:told pay:paid make:made take:took give:gave get:got go:went buy:bought sell:sold win:won lose:lost "
    "find:found know:knew think:thought have:had do:did see:saw write:wrote meet:met leave:left send:sent spend:spent "
    "hold:held become:became begin:began run:ran bring:brought keep:kept put:put set:set cut:cut hit:hit let:let "
    "come:came speak:spoke choose:chose lead:led seek:sought fall:fell rise:rose grow:grew").split())


def _inflected(lemma: str, auxiliary: str) -> str:
    """`lemma` in the tense and person the do-auxiliary carried (does -> pays, did -> paid)."""
    if auxiliary == "did":
        if lemma in _PAST:
            return _PAST[lemma]
        if lemma.endswith("e"):
            return lemma + "d"
        return lemma[:-1] + "ied" if re.search(r"[^aeiou]y$", lemma) else lemma + "ed"
    if auxiliary == "does":
        if lemma == "have":
            return "has"
        if re.search(r"(s|sh|ch|x|z|o)$", lemma):
            return lemma + "es"
        return lemma[:-1] + "ies" if re.search(r"[^aeiou]y$", lemma) else lemma + "s"
    return lemma


def indirect_question(question: str) -> str:
    """The question as the object of "don't say": "What does SpaceX pay X?" -> "what SpaceX pays X", "Did Musk
    agree?" -> "whether Musk agreed", "What is the title of Y?" -> "what the title of Y is"."""
    from .questions import question_word

    doc = parse([question.strip()])[0]
    words = [t for t in doc if not (t.is_punct and t.i == len(doc) - 1)]
    wh = question_word(doc)
    start = 0 if wh is None else min(wh.i, wh.head.left_edge.i if wh.dep_ == "det" else wh.i)
    if wh is not None and (wh.dep_ in ("nsubj", "nsubjpass") or wh.head.dep_ in ("nsubj", "nsubjpass") and wh.dep_ == "det"):
        plain = " ".join(t.text for t in words[start:])  # "Who denied X?": no inversion to undo
        return re.sub(r" (?=[’',.;:!?)]|n't|’s|'s)", "", plain[:1].lower() + plain[1:])
    head_end = next((t.i for t in words if t.i >= start and t.pos_ == "AUX"), None)
    if head_end is None:
        return ""
    rest = [t for t in words if t.i >= head_end]
    auxiliary = rest[0]
    text: list[str] = []
    if auxiliary.lower_ in ("do", "does", "did"):
        verb = auxiliary.head
        for t in rest[1:]:
            text.append(_inflected(t.lemma_.lower(), auxiliary.lower_) if t == verb else t.text)
    else:
        subject = next((c for c in auxiliary.children if c.dep_ in ("nsubj", "nsubjpass", "expl")), None) \
            or next((c for c in auxiliary.head.children if c.dep_ in ("nsubj", "nsubjpass", "expl")), None)
        if subject is None or subject.i < auxiliary.i:
            return ""
        for t in rest[1:]:
            text.append(t.text)
            if t.i == subject.right_edge.i:
                text.append(auxiliary.lower_)
    opening = "whether" if wh is None else doc[start:head_end].text
    opening = opening[:1].lower() + opening[1:]
    joined = " ".join([opening, *text])
    return re.sub(r" (?=[’',.;:!?)]|n't|’s|'s)", "", joined).replace("( ", "(")


def abstention_text(question: str, reason: str | None) -> str:
    """What an abstention says: what the articles don't say, and why the reader could not establish it."""
    indirect = indirect_question(question)
    opening = f"{ABSTAIN_OPENING} {indirect}." if indirect else f"{ABSTAIN_OPENING}."
    return f"{opening} ({reason[:1].upper()}{reason[1:]}.)" if reason else opening


# --- entity focus and sources --------------------------------------------------------------------------
def missing_focus(plan: QuestionPlan, candidates: list[Evidence], indexed_text=lambda name: []) -> str | None:
    """Why the evidence is not about what the question names (None when it is): a publisher with no indexed article,
    or a name the question asks about that no indexed article mentions. `indexed_text(name)` gives the texts of the
    indexed passages that best match a name (a lexical search), for names the retrieved passages lack."""
    texts = " ".join({c.passage.chunk_id: f"{c.passage.title} {c.passage.text}" for c in candidates}.values())

    def indexed(name: str) -> bool:
        return _mentions(name, texts) or any(_mentions(name, text) for text in indexed_text(name))

    # A publisher the articles themselves cite ("according to the Journal", in an AP article) is a name to find;
    # one nothing indexed comes from or mentions is a source the question needs and the index lacks.
    unindexed = [name for name in plan.unknown_sources if not indexed(name)]
    if unindexed:
        return f"none of the indexed articles is from {_format_list(unindexed)}"
    absent = [name for name in plan.names if len(_norm(name)) > 2 and not indexed(name)]
    if absent:
        return f"no indexed article mentions {_format_list(absent)}"
    return None


def about_the_names(plan: QuestionPlan, candidates: list[Evidence]) -> list[Evidence]:
    """The candidates whose passage (or article title) mentions at least one of the names the question asks about;
    all of them when the question names nothing."""
    names = [n for n in plan.names if len(_norm(n)) > 2]
    if not names:
        return candidates
    return [c for c in candidates if any(_mentions(n, f"{c.passage.title} {c.passage.text}") for n in names)]


# --- entity answers ---------------------------------------------------------------------------------
@dataclass
class _Candidate:
    """One thing named in the evidence: its written forms (each with the named-entity labels of its mentions) and
    its best-scoring sentence per article."""
    forms: dict[str, Counter] = field(default_factory=dict)
    by_article: dict[str, tuple[float, Evidence]] = field(default_factory=dict)
    sources: set[str] = field(default_factory=set)

    @property
    def labels(self) -> Counter:
        """The labels of all its mentions ("PROPN" for a run of proper nouns the model left unlabelled)."""
        return sum(self.forms.values(), Counter())

    def name(self, wanted: frozenset[str]) -> str:
        """The name to answer with, among the forms read at least once as the wanted kind of thing (all forms when none
        was): the form mentioned most often, counting the mentions of the shorter forms it completes, so the full name
        wins over its surname ("Sam Bankman-Fried", once, over "Bankman-Fried", 20 times) and over a stray span that
        also ends with it ("Manchester United", 7 times, over "Games Man United", once, both completing "United")."""
        fitting = [f for f, labels in self.forms.items() if any(label in wanted for label in labels)] or list(self.forms)

        def mentions(form: str) -> int:  # of the form and of the shorter forms it completes ("Bankman-Fried", "HSF")
            return sum(sum(labels.values()) for other, labels in self.forms.items()
                       if _tail(other, form) or _acronym(other, form))

        return max(fitting, key=lambda f: (mentions(f), len(f.split()), len(f)))

    def score(self, plan: QuestionPlan, wanted: frozenset[str]) -> float:
        """Independent support: the best sentence of every article mentioning it, a bonus for every source the question
        names that backs it, times how well its named-entity labels fit the answer type."""
        support = sum(score for score, _ in self.by_article.values())
        named = sum(1 for s in plan.sources if s in self.sources)
        labelled = {label: n for label, n in self.labels.items() if label != "PROPN"}  # unlabelled mentions don't vote
        share = sum(n for label, n in labelled.items() if label in wanted) / max(1, sum(labelled.values()))
        fit = 0.6 if set(self.labels) <= {"PROPN"} else 0.6 + 0.4 * share  # the small model's labels are noisy
        return (support + 0.5 * named) * fit


def _initials(form: str) -> str:
    return "".join(w[0] for w in _norm(form).replace("-", " ").split())


def _tail(short: str, long: str) -> bool:
    """Whether `short` is the end of the name `long` ("Bankman-Fried" of "Sam Bankman-Fried"; not "Google" of
    "Google Play", which is another thing)."""
    a, b = _norm(short).replace("-", " ").split(), _norm(long).replace("-", " ").split()
    return 0 < len(a) <= len(b) and b[-len(a):] == a and "’s" not in long and "'s" not in long


def _acronym(short: str, long: str) -> bool:
    """Whether `short` is the acronym of the name `long` ("SBF" of "Sam Bankman-Fried")."""
    return short.isupper() and 2 <= len(short) <= 5 and short.lower() == _initials(long)


def _same_thing(form: str, group: _Candidate) -> bool:
    """Whether a mention names the group's thing: the same name, the end of it (a surname), or its acronym ("SBF")."""
    return any(_tail(form, other) or _tail(other, form) or _acronym(form, other) or _acronym(other, form)
               for other in group.forms)


def entity_mentions(items: list[Evidence], labels: frozenset[str] | None = None, near: set[str] = frozenset()
                    ) -> list[tuple[str, str, Evidence, bool]]:
    """(text, label, evidence, next to a word of `near`) for each name in the named entities of the items' sentences
    (with their speaker context; a span holding several names gives each, see `_name_parts`); `labels` restricts the
    labels. Runs of proper nouns the model left unlabelled count as label "PROPN". "Next to" is within two words
    ("Nordwind chief executive Lena Okafor" for "chief executive")."""
    found = []
    for item, doc in zip(items, _docs(items)):
        for span in named_spans(doc):
            label = span.label_ or "PROPN"
            if labels is not None and label not in labels:
                continue
            for name in _name_parts(span):
                window = doc[max(0, name.start - 2):name.end + 2]
                adjacent = any(t.lemma_.lower() in near for t in window if t.i < name.start or t.i >= name.end)
                found.append((name.text.removesuffix("’s").removesuffix("'s").strip(), label, item, adjacent))
    return found


_NOT_NAME_POS = frozenset("DET AUX VERB PRON ADV ADP CCONJ SCONJ PART PUNCT INTJ".split())
_NAME_JOINERS = frozenset("of the and for de da del la le van von der & -".split())  # inside a name only


def _name_parts(span) -> list:
    """The names inside a named span: its runs of proper nouns and capitalised words (with joiners such as "of" inside
    a run: "Bank of America"), each without edge words that are not part of a name ("Are Uber" of a headline,
    "Alphabet of"). A headline read as one span ("Why We Desperately Need a New (and Better) Google") gives "Google"
    among its parts; "Caesars Sportsbook: Caesars" gives "Caesars Sportsbook" and "Caesars". A common word that is
    capitalised only because it opens the sentence ("Turnout in Fenwick County ...", which the model labels a person) is
    no name."""
    parts, run = [], []
    for token in [*span, None]:
        if token is not None and (token.pos_ == "PROPN" or token.text[:1].isupper() or token.text[:1].isdigit()
                                  or token.tag_ == "POS" or run and token.lower_ in _NAME_JOINERS):
            run.append(token)
            continue
        while run and (run[-1].pos_ in _NOT_NAME_POS and run[-1].tag_ != "POS" or run[-1].lower_ in _NAME_JOINERS):
            run.pop()
        while run and run[0].pos_ in _NOT_NAME_POS:
            run.pop(0)
        if run and not (run[0].is_sent_start and all(t.pos_ != "PROPN" for t in run)):
            parts.append(span.doc[run[0].i:run[-1].i + 1])
        run = []
    return parts


def _entity_answer(plan: QuestionPlan, candidates: list[Evidence], known_sources: tuple[str, ...] = ()) -> Reading:
    wanted = TYPE_LABELS["title" if plan.wh_noun == "title" else plan.answer_type]
    pool = _ranked(candidates, ENTITY_SENTENCES)
    publishers = {_norm(source) for source in known_sources}
    floor = max(ENTITY_MIN, ENTITY_RELATIVE * pool[0].score) if pool else ENTITY_MIN
    groups: list[_Candidate] = []
    near = {w for w in plan.content_words if not any(w in _norm(name).split() for name in plan.names)}
    for text, label, item, adjacent in entity_mentions(pool, near=near):
        if label in NUMERIC_LABELS or len(_norm(text)) < 2 or _is_question_name(text, plan) or _norm(text) in publishers:
            continue
        group = next((g for g in groups if _same_thing(text, g)), None)
        if group is None:
            group = _Candidate()
            groups.append(group)
        group.forms.setdefault(text, Counter())[label] += 1  # every mention votes on what kind of thing it is
        if item.score < floor:
            continue  # ... but only relevant sentences count as support
        article = item.passage.article_id
        score = item.score * (ADJACENT_BONUS if adjacent else 1.0)
        if article not in group.by_article or group.by_article[article][0] < score:
            group.by_article[article] = (score, item)
        group.sources.add(item.passage.source)
    unlabelled_fit = plan.answer_type in ("organization", "entity") and plan.wh_noun != "title"
    fitting = [g for g in groups if g.by_article and (any(label in wanted for label in g.labels)
                                                      or unlabelled_fit and set(g.labels) <= {"PROPN"})]
    if not fitting:
        what = f"which {plan.wh_noun}" if plan.wh_noun and plan.wh_noun not in ("title", "name") else "the answer"
        return Reading(plan.answer_type, None, [], abstain_reason=f"no {plan.answer_type} in the evidence fits {what}")
    best = max(fitting, key=lambda g: g.score(plan, wanted))
    support = [item for _, item in sorted(best.by_article.values(), key=lambda pair: -pair[0])][:3]
    name = best.name(wanted)
    return Reading(plan.answer_type, name, support, short_support=len(support), statement=f"{name}.")


# --- attribution -----------------------------------------------------------------------------------
def _balanced(text: str) -> str:
    """A quote cut out of a sentence with its quotation marks closed."""
    if text.count("“") > text.count("”"):
        text += "”"
    if text.count("”") > text.count("“"):
        text = "“" + text
    return text


def statements(items: list[Evidence], article_text=None, stored_statements=None) -> list[tuple[Evidence, Statement]]:
    """Every attributed statement in the items' sentences (the sentence proper, not its context), each with the item
    it was found in: those extracted at indexing (`stored_statements`: article id -> its statements, None when the
    current extractor has not read it), else read by `statements.statements_at` over the article body
    (`article_text`: article id -> body, None when unknown; then over the item's passage)."""
    groups: dict[tuple[str, str], list[Evidence]] = {}
    bodies: dict[tuple[str, str], tuple[str, int]] = {}
    for item in items:
        body = article_text(item.passage.article_id) if article_text is not None else None
        key = (item.passage.article_id, "" if body is not None else item.passage.chunk_id)
        bodies[key] = (body, 0) if body is not None else (item.passage.text, item.passage.start)
        groups.setdefault(key, []).append(item)
    found = []
    for key, group in groups.items():
        body, offset = bodies[key]
        spans = [(item.start - offset, item.end - offset) for item in group]
        stored = stored_statements(key[0]) if stored_statements is not None and key[1] == "" else None
        if stored is not None:
            found_here = [st for st in stored if any(st.start < end and start < st.end for start, end in spans)]
        else:
            found_here = statements_at(key[0], body, spans)
        for statement in found_here:
            item = next(i for i, (start, end) in zip(group, spans) if statement.start < end and start < statement.end)
            found.append((item, statement))
    return found


_SAID_STANCES = ("say", "claim", "warn", "deny", "confirm", "accuse", "report", "decline")  # what "what did X say" can answer
# The speaker kinds that can answer "who / which person", "which organization", "which country".
_KIND_ANSWERS = {"person": {"person", "anonymous", "unknown"}, "organization": {"organization", "government", "publication"},
                 "place": {"government"}}


def _as_cited(name: str, sentence: str) -> str:
    """A speaker's name as the cited sentence writes it: the article's fuller name ("Bob Woodward", one person one
    name) when the sentence has it, else its surname ("Woodward quoted ..."), so the citation check finds it."""
    surname = name.split()[-1] if name else name
    return surname if name not in sentence and surname in sentence else name


def _attribution_answer(plan: QuestionPlan, candidates: list[Evidence], article_text, stored_statements) -> Reading:
    family = plan.stance
    pool = _ranked(candidates, READ_SENTENCES)
    found = [(item, st) for item, st in statements(pool, article_text, stored_statements)
             if st.speaker != UNRESOLVED_SPEAKER]
    if family not in ("say", None):
        found = [(item, st) for item, st in found if st.stance == family]
    else:
        found = [(item, st) for item, st in found if st.stance in _SAID_STANCES]
    speaker = plan.speaker if plan.speaker and plan.speaker.lower() not in PRONOUNS else None  # "she": any speaker
    if speaker:
        found = [(item, st) for item, st in found
                 if any(_mentions(speaker, said) or _mentions(said, speaker) for said in st.speakers)]
    # The statement must be about the question's topic: (most of) the names it asks about, in the sentence or in
    # the sentences before it.
    topic = [n for n in plan.names if not speaker or not _mentions(n, speaker)]
    if topic:
        needed = len(topic) if len(topic) <= 2 else len(topic) - 1
        found = [(item, st) for item, st in found
                 if sum(_mentions(n, item.quote + " " + _preceding(item, article_text)) for n in topic) >= needed]
    found = [(item, st) for item, st in found if item.score >= STATEMENT_MIN]
    if not found:
        return Reading(plan.answer_type, None, [], abstain_reason="no statement in the evidence answers it")
    question_words = {w for t in parse([plan.question])[0] for w in (t.lower_, t.lemma_.lower())}
    # the statement made with the question's own verb first ("Which analyst called ..."), then by relevance
    found.sort(key=lambda pair: (pair[1].verb.lower() not in question_words, -pair[0].score))
    if plan.answer_type == "quote":
        nouns = {t.lemma_.lower() for t in parse([plan.question])[0] if t.pos_ == "NOUN" and not t.is_stop}
        best, said_by = max(found, key=lambda pair: (bool(nouns & {t.lemma_.lower() for t in parse([pair[0].text])[0]}),
                                                     pair[0].score))
        question_doc = parse([plan.question])[0]
        content = said_by.statement.strip(" ,.")
        if not set(tokenize([content])[0]) - set(tokenize([plan.question])[0]):
            content = ""  # nothing the question does not already say
        said = plan.stance == "say" and any(t.lemma_.lower() in _PLAIN_SAY for t in question_doc)
        slot = "" if said and content else slot_answer(question_doc, best, _docs([best])[0])
        text = slot or _balanced(content or best.text)
        return Reading("quote", text, [best], short_support=1, statement=best.text.strip(),
                       speakers=list(said_by.speakers))
    if plan.answer_type in _KIND_ANSWERS:  # "which agencies had no comment": bodies only
        found = [(item, st) for item, st in found if st.speaker_kind in _KIND_ANSWERS[plan.answer_type]]
    if family in ("say", "claim", "warn", "accuse", None):
        found = found[:1]  # "who said / called X": the one statement that says it (denials and refusals: every one)
    speakers: list[str] = []
    support: list[Evidence] = []
    for item, st in found:
        new = [_as_cited(sp, item.quote) for sp in st.speakers
               if not any(_mentions(sp, known) or _mentions(known, sp) for known in speakers)]
        if new:
            speakers += new
            if item not in support:
                support.append(item)
    if not speakers:
        return Reading(plan.answer_type, None, [], abstain_reason="no statement in the evidence answers it")
    short = _format_list(speakers)
    return Reading(plan.answer_type, short, support, short_support=len(support), statement=f"{short}.",
                   speakers=speakers)


def _preceding(item: Evidence, article_text, sentences: int = 3) -> str:
    """The sentences before the evidence in its article: where "the conversations" or "those calls" find what they
    refer to (a statement is about the question's topic when its names are there or in the sentence itself)."""
    body = article_text(item.passage.article_id)
    if body is None:
        body, offset = item.passage.text, item.passage.start
    else:
        offset = 0
    before = body[max(0, item.context_start - offset - 2000):item.context_start - offset]
    spans = sentence_spans(before)
    return " ".join(before[start:end] for start, end in spans[-sentences:])


# --- dates and numbers --------------------------------------------------------------------------------
_DATE_LABELS = frozenset({"DATE", "TIME"})
_NUMBER_LABELS = frozenset({"CARDINAL", "MONEY", "PERCENT", "QUANTITY"})


def normalise_date(text: str) -> str:
    """A full date as "26 September 2023"; anything else (a weekday, "last year", "2023") as written."""
    from dateutil import parser as date_parser

    if not re.search(r"\d{4}", text) or not re.search(r"[A-Za-z]", text):
        return text
    try:
        value = date_parser.parse(text, default=datetime(1, 1, 1))
    except (ValueError, OverflowError):
        return text
    if value.year == 1 or not re.search(r"\b\d{1,2}(st|nd|rd|th)?\b", text.replace(str(value.year), "")):
        return text
    return value.strftime("%-d %B %Y")


_GRANULARITY = {"year": r"\b\d{4}\b", "month": r"(?i)\b(january|february|march|april|may|june|july|august|september|"
                r"october|november|december)\b", "day": r"(?i)\b(monday|tuesday|wednesday|thursday|friday|saturday|"
                r"sunday|\d{1,2}(st|nd|rd|th)?)\b"}


def _none_of(counted: str, doc, offset: int) -> str | None:
    """ "no contacts" when the sentence says there were none of what a how-many question counts."""
    for token in doc:
        if token.idx >= offset and token.lemma_.lower() == counted and any(c.lower_ in ("no", "zero") for c in token.children):
            return f"no {token.text}"
    return None


def _expression_answer(plan: QuestionPlan, candidates: list[Evidence]) -> Reading:
    labels = _DATE_LABELS if plan.answer_type == "date" else _NUMBER_LABELS
    question_doc = parse([plan.question])[0]
    if plan.wh_noun in ("long", "old", "often"):  # "for how long": a duration, which the parser labels DATE
        labels = _DATE_LABELS | _NUMBER_LABELS
    counted = next((t.head.lemma_.lower() for t in question_doc if t.lower_ == "many" and t.head.pos_ == "NOUN"), None)
    granularity = _GRANULARITY.get(plan.wh_noun or "")
    question_text = _norm(plan.question)
    wanted = set(plan.content_words)
    pool = [item for item in _ranked(candidates, 8) if item.score >= EXPRESSION_MIN]
    docs = _docs(pool)
    for item, doc in zip(pool[:3], docs):
        none = _none_of(counted, doc, _sentence_offset(item)) if counted else None
        if none:
            return Reading(plan.answer_type, none, [item], short_support=1, statement=f"{none[:1].upper()}{none[1:]}.")
    for item, doc in zip(pool, docs):
        offset = _sentence_offset(item)
        options = [ent for ent in doc.ents if ent.label_ in labels and ent.start_char >= offset
                   and f" {_norm(ent.text)} " not in f" {question_text} "
                   and (granularity is None or re.search(granularity, ent.text))]
        if not options:
            continue
        anchors = [t.i for t in doc if t.lemma_.lower() in wanted and t.idx >= offset]

        def distance(ent) -> int:
            return min((abs(ent.start - i) for i in anchors), default=0)

        best = min(options, key=distance)
        text = normalise_date(best.text) if plan.answer_type == "date" else best.text
        return Reading(plan.answer_type, text, [item], short_support=1, statement=f"{text[:1].upper()}{text[1:]}.")
    kind = "time expression" if plan.answer_type == "date" else "number"
    return Reading(plan.answer_type, None, [], abstain_reason=f"the question asks for a {kind} and the evidence has none")


# --- descriptions -----------------------------------------------------------------------------------
_SLOT_DEPS = {"dobj": ("dobj", "ccomp", "xcomp", "oprd"), "attr": ("attr", "oprd", "acomp", "dobj"),
              "nsubj": ("nsubj",), "nsubjpass": ("nsubjpass",), "oprd": ("oprd", "attr", "dobj")}


def _trimmed(tokens, question_lemmas: set[str]) -> str:
    """A phrase without the words at its edges that the question already has, without a leading "that", and
    without the article's own [n] markers."""
    words = [t for t in tokens if not t.is_space]
    if words:
        text = words[0].doc.text
        inside = {i for m in MARKER.finditer(text) for i in range(m.start(), m.end())}
        words = [t for t in words if t.idx not in inside]
    while words and (words[0].lemma_.lower() in question_lemmas or words[0].pos_ in ("DET", "SCONJ", "PUNCT", "ADP")
                     and words[0].text not in "“\""):
        words = words[1:]
    while words and (words[-1].lemma_.lower() in question_lemmas or words[-1].pos_ in ("ADP", "DET", "CCONJ", "SCONJ")
                     or words[-1].is_punct and words[-1].text not in "”\""):
        words = words[:-1]
    return _balanced(" ".join(t.text for t in words).replace(" ’s", "’s").replace(" 's", "'s").replace(" ,", ",")
                     .replace("“ ", "“").replace(" ”", "”")) if words else ""


def slot_answer(question_doc, item: Evidence, doc) -> str:
    """The phrase of the evidence sentence that fills the question's wh-slot: the same verb (or noun) with the same
    role ("What has the U.S. accused Russia of sending?" -> the object of "sending" under "accused"), or ""."""
    from .questions import question_word

    wh = question_word(question_doc)
    if wh is None:
        return ""
    question_lemmas = {t.lemma_.lower() for t in question_doc if not t.is_stop or t.pos_ == "PROPN"}
    offset = _sentence_offset(item)
    sentence = [t for t in doc if t.idx >= offset]
    if wh.dep_ == "det" and wh.head.pos_ == "NOUN":  # "What warning did Musk deliver?": what the warning says
        noun = wh.head.lemma_.lower()
        for token in sentence:
            if token.lemma_.lower() == noun:
                after = [t for t in token.subtree if t.i > token.i]
                phrase = _trimmed(after, question_lemmas)
                if phrase:
                    return phrase
        return ""
    role, head = (wh.head.dep_, wh.head.head) if wh.dep_ == "pobj" else (wh.dep_, wh.head)
    preposition = wh.head.lower_ if wh.dep_ == "pobj" else None
    if head.lemma_.lower() in ("be", "do", "have"):
        return ""
    if head.lemma_.lower() in _NAMING_VERBS:
        # "What did she call Musk?": what the sentence quotes after the same verb, or after "as" ("rejected the
        # report as “absolutely false information”" names it too)
        for token in sentence:
            if token.lemma_.lower() == head.lemma_.lower() or token.lower_ == "as" and token.dep_ == "prep":
                quoted = re.search(r"“([^”]{2,200})”", doc.text[token.idx:])
                if quoted:
                    return f"“{quoted.group(1).strip(' ,.')}”"
    for token in sentence:
        if token.lemma_.lower() != head.lemma_.lower():
            continue
        children = list(token.children)
        if preposition:
            slots = [g for c in children if c.dep_ == "prep" and c.lower_ == preposition for g in c.children
                     if g.dep_ in ("pobj", "pcomp")]
        else:
            slots = [c for dep in _SLOT_DEPS.get(wh.dep_, ("dobj", "attr")) for c in children if c.dep_ == dep]
            slots += [c for c in children if c.dep_ in ("xcomp", "ccomp") and c not in slots]
            slots += [g for c in children if c.dep_ == "prep" for g in c.children if g.dep_ == "pcomp"]
        for slot in slots:
            phrase = _trimmed(list(slot.subtree), question_lemmas)
            if phrase and len(phrase.split()) <= 25:
                return phrase
    return ""


def _description_answer(plan: QuestionPlan, candidates: list[Evidence]) -> Reading:
    pool = [c for c in _ranked(candidates, 4) if c.score >= DESCRIPTION_MIN]
    if not pool:
        return Reading(plan.answer_type, None, [], abstain_reason="no evidence sentence scored high enough")
    question_doc = parse([plan.question])[0]
    # Every thing the question asks about must be in the passage ("Musk's barber": a barber).
    nouns = {t.lemma_.lower() for t in question_doc if t.pos_ == "NOUN" and not t.is_stop and t.lemma_.lower() not in _GENERIC_NOUNS}
    passage_lemmas = {t.lemma_.lower() for doc in parse([pool[0].passage.title, pool[0].passage.text]) for t in doc}
    unseen = sorted(nouns - passage_lemmas)
    if unseen:
        return Reading(plan.answer_type, None, [], abstain_reason=f"no passage found mentions {_format_list(unseen)}")
    for item, doc in zip(pool, _docs(pool)):
        phrase = slot_answer(question_doc, item, doc)
        if phrase:
            return Reading(plan.answer_type, phrase, [item], short_support=1, statement=f"{phrase[:1].upper()}{phrase[1:]}.")
    best = pool[0]
    text = best.text.strip()
    return Reading(plan.answer_type, text, [best], short_support=1, statement=text)


# --- yes/no ---------------------------------------------------------------------------------------------
_FRAME_WORDS = frozenset(tokenize([" ".join(REPORT_NOUNS | REPORT_VERBS | STANCE_LEMMAS["say"])])[0])
_ARGUMENT_DEPS = frozenset("nsubj nsubjpass dobj attr acomp pobj xcomp ccomp compound amod".split())


def _negated_word(token) -> bool:
    """Whether `token` itself is negated ("did not approve", "never approved", "failed to approve")."""
    return any(c.dep_ == "neg" or c.lower_ in _NEGATORS for c in token.children) or \
        token.dep_ == "xcomp" and token.head.lemma_.lower() in ("fail", "refuse", "decline")


def _arguments(token) -> set[str]:
    """The content lemmas a predicate takes: its subject, objects and complements (prepositions looked through)."""
    found = set()
    for child in token.children:
        for arg in ([child] if child.dep_ in _ARGUMENT_DEPS else [g for g in child.children if g.dep_ == "pobj"]
                    if child.dep_ == "prep" else []):
            found.update(t.lemma_.lower() for t in arg.subtree if t.pos_ in ("NOUN", "PROPN", "VERB", "ADJ", "NUM"))
    return found


def polarity_conflict(a, b) -> str | None:
    """How two parsed sentences disagree in polarity, or None: the same predicate (verb or adjective) taking a shared
    argument is negated in one and not in the other ("Musk did not approve the deal" / "Musk approved the deal").
    A negation elsewhere in either sentence is no conflict: only the same predicate about the same thing is."""
    for x in a:
        if x.pos_ not in ("VERB", "ADJ") or x.lemma_.lower() in ("be", "have", "do"):
            continue
        for y in b:
            if y.lemma_.lower() == x.lemma_.lower() and y.pos_ == x.pos_ and _negated_word(x) != _negated_word(y) \
                    and _arguments(x) & _arguments(y):
                denied = y if _negated_word(y) else x
                return f"“{denied.lemma_}” is negated in one and not the other"
    return None


def _numbers(doc) -> list[str]:
    return [re.sub(r"[^\d.]", "", ent.text).rstrip(".") for ent in doc.ents
            if ent.label_ in ("MONEY", "PERCENT", "CARDINAL", "QUANTITY") and re.search(r"\d", ent.text)]


def check_part(part: Part, candidates: list[Evidence], part_scores: np.ndarray) -> PartCheck:
    """Support, contradiction or absence of one part, from the candidates of the sources it names."""
    indexes = [i for i, c in enumerate(candidates) if not part.sources or c.passage.source in part.sources]
    where = f"{_format_list(list(part.sources))}'s indexed articles" if part.sources else "the indexed articles"
    if not indexes:
        return PartCheck(part, "missing", f"none of {where} was retrieved for it")
    order = sorted(indexes, key=lambda i: -part_scores[i])
    claim_words = set(tokenize([part.text])[0]) - set(tokenize([" ".join(part.sources)])[0])

    def coverage_of(article: str) -> float:  # the words may be spread over the article's best sentences
        same_article = [candidates[i] for i in order if candidates[i].passage.article_id == article][:PART_SENTENCES]
        seen = set(tokenize([" ".join(f"{c.quote} {c.passage.title}" for c in same_article)])[0])
        return len(claim_words & seen) / len(claim_words) if claim_words else 1.0

    # the article that says it: of the few best-matching articles (best sentence first), the one matching well enough
    # that holds most of the claim's words
    first_sentence = {}
    for i in order:
        first_sentence.setdefault(candidates[i].passage.article_id, i)
    articles = list(first_sentence)[:PART_ARTICLES]
    coverage_by_article = {a: coverage_of(a) for a in articles}
    article = max(articles, key=lambda a: (part_scores[first_sentence[a]] >= SUPPORT_MIN, coverage_by_article[a],
                                           -articles.index(a)))
    coverage = coverage_by_article[article]
    order = [i for i in order if candidates[i].passage.article_id == article] + \
        [i for i in order if candidates[i].passage.article_id != article]
    best = [candidates[i] for i in order[:2]]
    score = float(part_scores[order[0]])
    if len(claim_words) > PART_MIN_WORDS and (score < SUPPORT_MIN or coverage < PART_COVERAGE_MIN):
        return PartCheck(part, "missing", f"none of {where} says that (best match {score:.2f}, "
                                          f"{coverage:.0%} of its words)", best[:1], score)
    claim_doc, *evidence_docs = parse([part.text, *[c.quote for c in best]])
    predicate = _predicate(claim_doc)
    if not part.sources and predicate is not None and \
            not any(t.lemma_.lower() == predicate.lemma_.lower() for doc in evidence_docs for t in doc):
        # a question about the articles' content itself ("Did Musk agree ...?"): its verb must be in the evidence
        return PartCheck(part, "missing", f"no passage says that {_phrase_of(predicate)}", best[:1], score)
    # numbers: the part's number is in no supporting sentence while the best one gives another
    claim_numbers = _numbers(claim_doc)
    evidence_numbers = [n for doc in evidence_docs for n in _numbers(doc)]
    for number in claim_numbers:
        if number and number not in evidence_numbers and _numbers(evidence_docs[0]):
            return PartCheck(part, "contradicted", f"the passage gives {', '.join(_numbers(evidence_docs[0]))}, not {number}",
                             best[:1], score)
    # polarity: the same predicate about the same thing, negated in one of them only
    conflict = polarity_conflict(claim_doc, evidence_docs[0])
    if conflict:
        return PartCheck(part, "contradicted", f"the passage disagrees: {conflict}", best[:1], score)
    return PartCheck(part, "supported", f"supported (match {score:.2f})", best[:1], score)


def _predicate(doc):
    """The content verb of a claim (not a reporting verb: in "Does X report that Musk agreed", it is "agreed")."""
    for token in doc:
        if token.pos_ == "VERB" and token.dep_ in ("ROOT", "ccomp", "xcomp", "advcl", "conj") and \
                token.lemma_.lower() not in REPORT_VERBS | STANCE_LEMMAS["say"] | {"be", "have", "do"}:
            return token
    return None


def _phrase_of(verb) -> str:
    words = [t for t in verb.subtree if not (t.pos_ == "AUX" and t.lemma_ == "do" and t.head == verb) and not t.is_punct]
    return " ".join(t.text for t in words)


def _claim_negated(part: Part) -> bool:
    doc = parse([part.text])[0]
    return any(t.dep_ == "neg" or t.lemma_.lower() in ("fail", "lack") for t in doc)


def _verdict(plan: QuestionPlan, candidates: list[Evidence], embeddings) -> Reading:
    parts = [p for p in plan.parts if p.sources] or list(plan.parts)
    shared = " ".join(p.text for p in plan.parts if not p.sources)
    texts = [f"{p.text} {shared}".strip() if p.sources else p.text for p in parts]
    vectors = np.array(embeddings.embed_documents(texts))
    sentence_vectors = np.array([c.vector for c in candidates])
    lexical = [_part_overlap(text, candidates) for text in texts]
    checks = [check_part(part, candidates, 0.6 * (sentence_vectors @ vectors[i]) + 0.4 * lexical[i])
              for i, part in enumerate(parts)]
    missing = [c for c in checks if c.status == "missing"]
    if not any(p.sources for p in parts) and missing:
        return Reading("yes_no", None, [], abstain_reason=f"the articles do not establish it ({missing[0].detail})",
                       parts=checks)
    evidence = list({(e.passage.article_id, e.start): e for c in checks for e in c.evidence}.values())
    if not evidence:
        return Reading("yes_no", None, [], abstain_reason="no passage of the sources it names was found", parts=checks)
    failed = next((c for c in checks if c.status == "contradicted"), None) or (missing[0] if missing else None)
    corrections = []
    if failed is not None:
        statement = f"No: {failed.detail} (“{failed.part.text}”)."
        corrections.append(f"verdict No: part “{failed.part.text}” {failed.status}: {failed.detail}")
        return Reading("yes_no", "No", evidence, short_support=len(evidence), statement=statement, parts=checks,
                       corrections=corrections)
    holds, statement = True, "Yes."
    if plan.relation in ("before", "after") and len(checks) >= 2:
        holds, statement = _time_order(plan, checks)
    elif plan.relation in ("consistent", "changed"):
        holds, statement = _agreement(plan, checks)
    short = "Yes" if holds else "No"
    if not holds:
        corrections.append(f"verdict No: {statement}")
    return Reading("yes_no", short, evidence, short_support=len(evidence), statement=statement, parts=checks,
                   corrections=corrections)


def _agreement(plan: QuestionPlan, checks: list[PartCheck]) -> tuple[bool, str]:
    """Whether the parts' evidence agrees (for "consistent / same / agree" questions) or differs ("changed /
    different"): two parts' passages conflict when they give different numbers for the same thing, or one negates
    what the other states; parts that were each found and do not conflict agree."""
    found = [c for c in checks if c.evidence]
    docs = parse([c.evidence[0].text for c in found])
    conflict = next((f"{a.part.sources and a.part.sources[0] or 'one part'}: {why}"
                     for i, a in enumerate(found) for j, b in enumerate(found) if i < j
                     for why in [_conflict(docs[i], docs[j])] if why), None)
    agree = conflict is None
    if plan.relation == "changed" and agree and _distinct_claims(found):
        # "A suggests X, while B reports Y": each part's own claim was found in its source, so the difference the
        # question asks about is the one between the two supported claims
        return True, "Yes: each part's claim is found in its own source, and the claims differ."
    holds = agree if plan.relation == "consistent" else not agree
    detail = "the passages found for each part do not conflict" if agree else f"the passages conflict ({conflict})"
    return holds, f"{'Yes' if holds else 'No'}: {detail}."


def _distinct_claims(checks: list[PartCheck]) -> bool:
    """Whether the parts make different claims (they share under half their content words, sources aside), as in
    "A suggests X while B reports Y", rather than one claim asked of two sources ("did A and B both report X")."""
    words = [set(tokenize([c.part.text])[0]) - set(tokenize([" ".join(c.part.sources)])[0]) - _FRAME_WORDS
             for c in checks]
    return all(len(a & b) < 0.5 * min(len(a), len(b)) for i, a in enumerate(words) for b in words[i + 1:] if a and b)


def _conflict(a, b) -> str | None:
    """How two evidence sentences conflict, or None: a different number on a noun both count, or a negation on a
    word both use that only one of them has."""
    numbers_a = {t.head.lemma_.lower(): t.text for t in a if t.like_num and t.dep_ == "nummod"}
    numbers_b = {t.head.lemma_.lower(): t.text for t in b if t.like_num and t.dep_ == "nummod"}
    for noun in numbers_a.keys() & numbers_b.keys():
        if numbers_a[noun] != numbers_b[noun]:
            return f"{numbers_a[noun]} vs {numbers_b[noun]} {noun}"
    return polarity_conflict(a, b)


def _part_overlap(text: str, candidates: list[Evidence]) -> np.ndarray:
    words = set(tokenize([text])[0])
    if not words:
        return np.zeros(len(candidates))
    return np.array([len(words & set(tokens)) / len(words) for tokens in tokenize([c.quote for c in candidates])])


def _time_order(plan: QuestionPlan, checks: list[PartCheck]) -> tuple[bool, str]:
    """Whether the first part came before (or after) the second, from the publication dates of their evidence."""
    relation_at = next(m.start() for m in re.finditer(r"\w+", plan.question) if m.group().lower() in TIME_ORDER)
    # The part introduced by "before/after" is the reference; the other is the one the question is about.
    reference = min(checks, key=lambda c: abs(c.part.start - relation_at) if c.part.start >= relation_at - 2 else 10**6)
    main = next(c for c in checks if c is not reference)
    main_date, reference_date = (_timestamp(c.evidence[0].passage.published_at) for c in (main, reference))
    if main_date is None or reference_date is None:
        return True, "Yes."
    earlier = main_date < reference_date
    holds = earlier if plan.relation == "before" else main_date > reference_date
    if _claim_negated(main.part):
        holds = not holds
    main_source = main.evidence[0].passage.source
    reference_source = reference.evidence[0].passage.source
    order = "before" if earlier else "after"
    statement = (f"{'Yes' if holds else 'No'}: {main_source} published it on {_day(main.evidence[0].passage.published_at)}, "
                 f"{order} {reference_source} on {_day(reference.evidence[0].passage.published_at)}.")
    return holds, statement


# --- the entry point ---------------------------------------------------------------------------------
def read(plan: QuestionPlan, candidates: list[Evidence], embeddings, article_text=lambda article_id: None,
         indexed_text=lambda name: [], known_sources: tuple[str, ...] = (),
         stored_statements=lambda article_id: None) -> Reading:
    """The direct answer to `plan` from the scored candidate sentences (see the module docstring). `article_text`
    gives an article's body by id (None when unknown), for the sentences before a statement; `indexed_text` the best
    lexical matches of a name in the whole index; `known_sources` the indexed source names (never an answer);
    `stored_statements` an article's statements extracted at indexing (None when there are none of the current
    extractor: attribution questions then extract from the evidence's sentences)."""
    reason = missing_focus(plan, candidates, indexed_text)
    if reason:
        return Reading(plan.answer_type, None, [], abstain_reason=reason)
    if plan.answer_type == "yes_no":  # each part is checked against its own sources' passages
        return _verdict(plan, candidates, embeddings)
    focused = about_the_names(plan, candidates)
    if not focused:
        return Reading(plan.answer_type, None, [], abstain_reason="no passage is about what the question names")
    if plan.stance and (plan.answer_type == "quote" or plan.asks_speaker):
        reading = _attribution_answer(plan, focused, article_text, stored_statements)
        if reading.short_answer is None and plan.answer_type == "quote" and not plan.asks_speaker:
            # "What did the renovation add?": no one's statement, but a sentence may still say it
            return _description_answer(plan, focused)
        return reading
    if plan.answer_type in ("person", "organization", "place", "entity"):
        return _entity_answer(plan, focused, known_sources)
    if plan.answer_type in ("date", "number"):
        return _expression_answer(plan, focused)
    return _description_answer(plan, focused)
