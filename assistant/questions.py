"""Question analysis, the chain step before retrieval: what kind of answer a question wants and what it is made of.

`analyse(question, known_sources)` parses the question with spaCy and returns a `QuestionPlan`:

- `answer_type`: one of ANSWER_TYPES, from the question's grammar (subject-auxiliary inversion for yes/no; the
  wh-word, and the noun it asks about for "which company / what year / how many").
- `parts`: the pieces a multi-source question is made of. Every mention of a publisher ("the TechCrunch article on
  X", "as reported by The Verge", "Did Engadget report ...") anchors one part: the anchor's phrase in the parse
  tree, without the phrases of other anchors inside it. Each part is retrieved and checked on its own.
- `relation`: how the parts relate when the question asks about it (before / after: decided from dates; consistent /
  changed / differ: decided by comparing the parts' evidence).
- `sources` / `unknown_sources`: indexed sources the question names, and publishers it names that have no indexed
  article (the assistant then abstains instead of answering from other sources).
- `names`: the named things of the question (never an answer to it); `stance`: the attribution verb family of a
  "who denied / what did X say" question; `speaker`: the speaker such a question names; `asks_speaker`: whether the
  speaker is what the question asks for.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field

from .nlp import parse
from .stances import STANCE_LEMMAS

ANSWER_TYPES = ("person", "organization", "place", "entity", "yes_no", "date", "number", "quote", "description")

# The noun a "which ... / what ..." question asks about, and the answer type it wants.
NOUN_TYPES: dict[str, str] = {
    **dict.fromkeys("company firm organization organisation agency brand startup business corporation manufacturer "
                    "retailer bank institution university regulator publisher broadcaster studio developer "
                    "conglomerate insurer lender network outlet school club lab automaker maker giant airline "
                    "carrier".split(), "organization"),
    **dict.fromkeys("individual person executive ceo founder player athlete coach quarterback man woman figure celebrity "
                    "artist singer actor actress official leader president billionaire entrepreneur investor journalist "
                    "author politician minister spokesman spokeswoman spokesperson footballer cricketer star "
                    "director chairman chief manager rapper musician driver pitcher receiver analyst economist "
                    "expert lawyer attorney judge prosecutor witness reporter editor writer scientist researcher "
                    "professor engineer employee owner host captain striker midfielder defender goalkeeper batter "
                    "bowler golfer boxer fighter wrestler candidate senator governor mayor lawmaker "
                    "commissioner secretary ambassador winner".split(), "person"),
    **dict.fromkeys("country city state nation region place location town venue stadium continent island".split(), "place"),
    **dict.fromkeys("date day year month time week season".split(), "date"),
    **dict.fromkeys("number amount percentage percent price figure total sum cost share rate count fee salary".split(), "number"),
}
# Nouns whose answers are names of things (the rest, "what warning / what change", want a description).
NAMED_THING_NOUNS = frozenset("entity product team club league film movie show series game book album song app service "
                              "platform device model character event tournament newspaper magazine publication "
                              "website site brand group party band console phone car vehicle drug vaccine award prize "
                              "program programme project law bill act treaty operation mission factory plant "
                              "facility store chain exchange".split())
# Named-entity labels that can answer each entity-like answer type.
TYPE_LABELS: dict[str, frozenset[str]] = {
    "person": frozenset({"PERSON"}),
    "organization": frozenset({"ORG"}),
    "place": frozenset({"GPE", "LOC", "FAC"}),
    "entity": frozenset({"ORG", "PERSON", "PRODUCT", "WORK_OF_ART", "EVENT", "FAC", "GPE", "NORP", "LAW", "LOC"}),
    "title": frozenset({"WORK_OF_ART"}),
}
# Attribution: the verb families a question can ask about, by lemma.
REPORT_NOUNS = frozenset("article report piece story coverage review post column editorial feature analysis news "
                         "publication blog reporting interview segment newsletter roundup".split())
REPORT_VERBS = frozenset("report publish cover write mention highlight detail note discuss feature describe portray "
                         "present indicate suggest claim state cite scrutinize examine reveal".split())
TIME_ORDER = {"before": "before", "prior": "before", "earlier": "before", "after": "after", "following": "after",
              "later": "after", "subsequent": "after", "subsequently": "after"}
# Lemmas that make a yes/no question ask whether its parts agree.
COMPARISON_LEMMAS = {
    "consistent": "consistent", "consistency": "consistent", "consistently": "consistent", "align": "consistent",
    "agree": "consistent", "agreement": "consistent", "similar": "consistent", "same": "consistent",
    "maintain": "consistent", "remain": "consistent", "match": "consistent", "both": None,
    "inconsistent": "changed", "inconsistency": "changed", "change": "changed", "shift": "changed",
    "unchanged": "consistent", "differ": "changed", "different": "changed", "difference": "changed",
    "contrast": "changed", "contradict": "changed", "discrepancy": "changed", "alter": "changed", "vary": "changed",
}
_WH_TAGS = {"WDT", "WP", "WP$", "WRB"}
_AUXILIARIES = frozenset("do be have can could will would should shall may might must".split())
_CALENDAR_WORDS = frozenset(name.lower() for name in (*calendar.month_name, *calendar.day_name) if name)
NUMERIC_LABELS = frozenset({"CARDINAL", "ORDINAL", "QUANTITY", "PERCENT", "MONEY", "DATE", "TIME"})
_STOP_CONTENT = frozenset("article report piece story coverage news source publish report mention discuss say tell "
                          "accord information consider regard recent recently also both other another same one "
                          "which what who whom whose when where why how".split())


@dataclass(frozen=True)
class Part:
    """One part of a question: its words, and the indexed sources (and publication dates) it is attributed to."""

    text: str
    sources: tuple[str, ...] = ()
    start: int = 0  # character offsets of the part's first and last word in the question
    end: int = 0


@dataclass(frozen=True)
class QuestionPlan:
    """What a question asks for (see the module docstring)."""

    question: str
    answer_type: str
    parts: tuple[Part, ...]
    relation: str | None = None  # "before", "after", "consistent", "changed" or None
    sources: tuple[str, ...] = ()
    unknown_sources: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    stance: str | None = None
    speaker: str | None = None
    asks_speaker: bool = False  # "who denied / which analyst called": the answer is the statement's speaker
    wh_noun: str | None = None
    content_words: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict:
        return {"answer_type": self.answer_type, "relation": self.relation, "sources": list(self.sources),
                "unknown_sources": list(self.unknown_sources), "names": list(self.names), "stance": self.stance,
                "speaker": self.speaker, "asks_speaker": self.asks_speaker, "wh_noun": self.wh_noun,
                "parts": [{"text": p.text, "sources": list(p.sources)} for p in self.parts]}


def _norm(name: str) -> str:
    return " ".join(re.sub(r"[^\w&]+", " ", name.lower()).split()).removeprefix("the ")


def match_source(name: str, known_sources: list[str]) -> list[str]:
    """The indexed sources a publisher name refers to: the same name, or a source whose name starts with it
    ("BBC" -> "BBC News - Technology", "CNBC" -> "Cnbc | World Business News Leader")."""
    wanted = _norm(name)
    if len(wanted) < 2:
        return []
    exact = [s for s in known_sources if _norm(s) == wanted]
    return exact or [s for s in known_sources if _norm(s).startswith(wanted + " ") or wanted.startswith(_norm(s) + " ")]


def named_spans(doc) -> list:
    """The named things of a parsed text: its named entities, and runs of proper nouns the small model left out."""
    spans = [ent for ent in doc.ents if ent.label_ not in NUMERIC_LABELS]
    covered = {t.i for ent in doc.ents for t in ent}
    run: list = []
    for token in [*doc, None]:
        if token is not None and token.pos_ == "PROPN" and token.i not in covered:
            run.append(token)
            continue
        if run:
            spans.append(doc[run[0].i:run[-1].i + 1])
            run = []
    return sorted(spans, key=lambda s: s.start)


def question_word(doc):
    """The wh-word that makes `doc` a question (not a relative pronoun inside a clause), or None."""
    for token in doc:
        if token.tag_ in _WH_TAGS and token.lower_ != "that":
            clause = token if token.dep_ == "det" else token.head
            if token.i > 0 and (clause.dep_ in ("relcl", "acl") or token.head.dep_ in ("relcl",)
                                or doc[token.i - 1].pos_ in ("NOUN", "PROPN")):
                continue
            return token
    return None


def _answer_type(doc) -> tuple[str, str | None]:
    """(answer type, the noun asked about) from the question's grammar."""
    tokens = [t for t in doc if not t.is_punct]
    if not tokens:
        return "description", None
    first_wh = question_word(doc)
    # Yes/no: the question opens with an auxiliary, or one follows the comma after an opening clause
    # ("After X reported Y, did Z ...?") before any wh-word.
    if tokens[0].lemma_.lower() in _AUXILIARIES and tokens[0].tag_ in ("VBD", "VBZ", "VBP", "MD"):
        return "yes_no", None  # by the word, not the parse: the small model sometimes makes "Did" the main verb
    for token in doc:
        if first_wh is not None and token.i >= first_wh.i:
            break
        if token.lemma_.lower() in _AUXILIARIES and token.tag_ in ("VBD", "VBZ", "VBP", "MD") and token.i > 0 \
                and doc[token.i - 1].text == ",":
            return "yes_no", None
    if first_wh is None:
        return "description", None
    word = first_wh.lower_
    following = doc[first_wh.i + 1] if first_wh.i + 1 < len(doc) else None
    if word == "when":
        return "date", None
    if word == "where":
        return "place", None
    if word == "how":
        if following is not None and following.lower_ in ("many", "much", "long", "old", "far", "often"):
            return "number", following.lower_
        return "description", None
    if word in ("why",):
        return "description", None
    noun = first_wh.head if first_wh.dep_ == "det" and first_wh.head.pos_ in ("NOUN", "PROPN") else None
    if noun is None and word == "which" and following is not None and following.pos_ == "NOUN":
        noun = following  # "In which city was it founded?" (the parser made "which" the preposition's object)
    if noun is None and word in ("what", "which"):
        # "What is the name / title of the company ...": the noun after "the name of"
        attr = next((t for t in first_wh.head.children if t.dep_ in ("attr", "nsubj") and t.pos_ == "NOUN" and t != first_wh), None)
        if attr is not None:
            noun = attr
    if noun is not None:
        lemma = noun.lemma_.lower()
        if lemma in ("name", "title", "kind", "type"):
            inner = next((c for p in noun.children if p.dep_ == "prep" and p.lower_ == "of" for c in p.children if c.dep_ == "pobj"), None)
            if lemma == "title" and inner is not None and inner.lemma_.lower() not in NOUN_TYPES:
                return "entity", "title"
            if inner is not None:
                noun, lemma = inner, inner.lemma_.lower()
        if lemma in NOUN_TYPES or lemma in NAMED_THING_NOUNS or noun.pos_ == "PROPN":
            return NOUN_TYPES.get(lemma, "entity"), lemma
        return "description", lemma  # "What warning did Musk deliver?": the warning's content, not a name
    if word in ("who", "whom"):
        return "person", None
    if word == "whose":
        return "person", None
    verb = first_wh.head
    if word == "what" and acts_as_verb(verb) and verb.pos_ != "AUX" and verb.lemma_.lower() in STANCE_LEMMAS["say"] | STANCE_LEMMAS["claim"] | STANCE_LEMMAS["warn"]:
        return "quote", None
    return "description", None


def acts_as_verb(token) -> bool:
    """Whether `token` heads a clause: a verb, or a word the small model mis-tagged as a noun while giving it a
    verb's dependents ("What did Osei urge residents to do?" tags "urge" NOUN yet gives it "did" and a subject)."""
    if token.pos_ in ("VERB", "AUX"):
        return True
    deps = {c.dep_ for c in token.children}
    return token.pos_ == "NOUN" and "aux" in deps and bool(deps & {"nsubj", "nsubjpass"})


def stance_of(token) -> str | None:
    """The attribution family a word expresses: a reporting verb's family ("denied" -> deny), or "decline" for a
    negated comment / response ("had no comment", "didn't respond", "no information to share", "not aware")."""
    lemma = token.lemma_.lower()
    negated = any(c.dep_ == "neg" or c.lower_ in ("no", "not", "n't") for c in token.children)
    if lemma in ("comment", "respond", "reply", "information", "aware") and (negated or token.head.lower_ == "no"):
        return "decline"
    for family, lemmas in STANCE_LEMMAS.items():
        if lemma in lemmas:
            return family
    return None


def _stance(doc) -> tuple[str | None, str | None, bool]:
    """(attribution verb family, the speaker named as its subject, whether the speaker is what is asked for) of a
    question such as "Who denied X?" or "What did Peskov call the report?"."""
    wh = question_word(doc)
    if wh is None:
        return None, None, False
    declined = next((t for t in doc if stance_of(t) == "decline"), None)  # "Which agencies had no comment?"
    for verb in [declined.head if declined is not None else wh.head, *wh.head.ancestors]:
        family = "decline" if declined is not None else stance_of(verb)
        passive = any(c.dep_ in ("auxpass", "agent") for c in verb.children) or verb.tag_ == "VBN" and verb.dep_ == "acl"
        if family and acts_as_verb(verb) and not passive:  # "reported by TechCrunch" is about a publisher
            subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            asked = wh.head if wh.dep_ == "det" else wh
            if asked.dep_ in ("nsubj", "nsubjpass") and asked.head == verb or subject is not None and subject == asked:
                return family, None, True  # "Who denied ...", "Which analyst called ...": the speaker is asked for
            speaker = doc[subject.left_edge.i:subject.right_edge.i + 1].text if subject is not None else None
            return family, speaker, False
    return None, None, False


def _publisher_spans(doc, known_sources: list[str]) -> list[tuple[object, list[str], object]]:
    """(span, matching indexed sources, anchor token) for each publisher the question names. A publisher is a known
    source name, or a proper noun in a publisher's slot: modifying a report noun ("a BBC article"), after by / from /
    in / according to attached to a report noun or verb, or the subject of a report verb ("did Reuters report")."""
    found = []
    taken: set[int] = set()
    text_lower = doc.text.lower()
    # 1. names of indexed sources, wherever they occur (longest first)
    for source in sorted(known_sources, key=len, reverse=True):
        for variant in {source, re.sub(r"^the\s+", "", source, flags=re.I)}:
            if len(variant) < 3:
                continue
            for m in re.finditer(rf"(?<![\w]){re.escape(variant.lower())}(?![\w])", text_lower):
                span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
                if span is None or any(t.i in taken for t in span):
                    continue
                taken.update(t.i for t in span)
                found.append((span, [source], _anchor(span)))
    # 2. other proper nouns in a publisher's slot
    for span in named_spans(doc):
        if any(t.i in taken for t in span):
            continue
        root = span.root
        slot = False
        if root.dep_ in ("compound", "poss", "nmod", "amod") and root.head.lemma_.lower() in REPORT_NOUNS:
            slot = True
        elif root.dep_ == "pobj" and root.head.lower_ in ("by", "from", "in", "to"):
            head = root.head.head
            slot = head.lemma_.lower() in REPORT_NOUNS | REPORT_VERBS or (root.head.lower_ == "to" and head.lower_ == "according")
        elif root.dep_ == "nsubj" and root.head.lemma_.lower() in REPORT_VERBS - {"indicate", "suggest", "claim", "state"}:
            slot = True
        if slot:
            taken.update(t.i for t in span)
            found.append((span, match_source(span.text, known_sources), _anchor(span)))
    return sorted(found, key=lambda item: item[0].start)


def _anchor(span):
    """The clause or phrase a publisher mention belongs to (its part of the question): the verb whose subject is
    "the TechCrunch article", the report noun or verb it modifies, or the mention itself."""
    found = _report_head(span)
    if found.lemma_.lower() in REPORT_NOUNS | {"source"} or found.pos_ == "PROPN":
        if found.dep_ in ("nsubj", "nsubjpass") and (found.head.pos_ == "VERB" or found.head.pos_ == "AUX" and found.head.dep_ != "ROOT"):
            return found.head  # "Does the TechCrunch article claim that ...": the claim is this part's
    return found


def _report_head(span):
    token = span.root
    for _ in range(4):
        head = token.head
        if head == token:
            break
        if head.lemma_.lower() in REPORT_NOUNS or head.pos_ in ("VERB", "AUX") and head.dep_ != "ROOT":
            return head
        if head.dep_ == "ROOT":
            return token if token.pos_ in ("NOUN", "PROPN") else head
        token = head
    return token


_BOUNDARIES = frozenset("before after while whereas but compared than versus , ; and".split())


def _positional_parts(doc, publishers: list) -> tuple[Part, ...]:
    """Parts cut at the last clause boundary ("before", "while", ",", ...) before each publisher mention: for a
    question naming several sources whose parse gave them one anchor (the small model misparses some questions)."""
    cuts = [0]
    for (span, _, _), (previous, _, _) in zip(publishers[1:], publishers):
        boundary = next((t.i for t in reversed(doc[previous.end:span.start]) if t.lower_ in _BOUNDARIES), span.start)
        cuts.append(boundary)
    cuts.append(len(doc))
    parts = []
    for (span, matched, _), start, end in zip(publishers, cuts, cuts[1:]):
        tokens = [t for t in doc[start:end] if not t.is_punct or t.text in "'’"]
        if tokens:
            parts.append(Part(" ".join(t.text for t in tokens), tuple(matched), tokens[0].idx, tokens[-1].idx + len(tokens[-1])))
    return tuple(parts)


def _parts(doc, publishers: list) -> tuple[Part, ...]:
    anchors = list(dict.fromkeys(anchor for _, _, anchor in publishers))
    distinct = {tuple(matched) or span.text for span, matched, _ in publishers}
    if len(anchors) < 2 and len(distinct) >= 2:
        return _positional_parts(doc, publishers)
    if len(anchors) < 2:
        sources = tuple(dict.fromkeys(s for _, matched, _ in publishers for s in matched))
        return (Part(doc.text, sources, 0, len(doc.text)),)
    parts = []
    owned: dict[int, int] = {}
    # Deeper anchors first: a token belongs to the innermost anchor whose subtree holds it.
    for number, anchor in sorted(enumerate(anchors), key=lambda item: -len(list(item[1].ancestors))):
        for token in anchor.subtree:
            owned.setdefault(token.i, number)
    for number, anchor in enumerate(anchors):
        tokens = [t for t in doc if owned.get(t.i) == number]
        sources = tuple(dict.fromkeys(s for span, matched, a in publishers if a == anchor for s in matched))
        text = " ".join(t.text for t in tokens if not t.is_punct or t.text in "'’")
        parts.append(Part(text, sources, tokens[0].idx, tokens[-1].idx + len(tokens[-1])))
    rest = [t for t in doc if t.i not in owned and not t.is_punct]
    if sum(1 for t in rest if t.pos_ in ("NOUN", "PROPN", "VERB", "ADJ", "NUM")) >= 3:
        parts.append(Part(" ".join(t.text for t in rest), (), rest[0].idx, rest[-1].idx + len(rest[-1])))
    return tuple(parts)


def _compares_parts(token) -> bool:
    """Whether a comparison word relates the question's reports ("the articles agree", "was there a change",
    "consistent") rather than being part of one claim ("Altamira agreed to buy")."""
    if token.pos_ != "VERB":
        return True
    subject = next((c for c in token.children if c.dep_ in ("nsubj", "nsubjpass", "expl")), None)
    return subject is None or subject.pos_ == "PRON" or subject.lemma_.lower() in REPORT_NOUNS | {"both", "source"}


def _relation(doc, answer_type: str) -> str | None:
    if answer_type != "yes_no":
        return None
    comparison = [COMPARISON_LEMMAS[t.lemma_.lower()] for t in doc
                  if COMPARISON_LEMMAS.get(t.lemma_.lower()) and _compares_parts(t)]
    order = [TIME_ORDER[t.lower_] for t in doc if t.lower_ in TIME_ORDER and t.pos_ in ("ADP", "SCONJ", "ADV", "VERB", "ADJ")]
    if comparison:
        return comparison[0]
    if order:
        return order[0]
    return None


def analyse(question: str, known_sources: list[str]) -> QuestionPlan:
    """The plan of `question` (see the module docstring); `known_sources` are the indexed source names."""
    doc = parse([question])[0]
    answer_type, wh_noun = _answer_type(doc)
    stance, speaker, asks_speaker = _stance(doc)
    if stance and answer_type == "person" and wh_noun is None:
        answer_type = "entity"  # "who denied": a speaker may be a person, a government or an organisation
    if stance and answer_type == "description":
        answer_type = "quote"
    publishers = _publisher_spans(doc, known_sources)
    sources = tuple(dict.fromkeys(s for _, matched, _ in publishers for s in matched))
    unknown = tuple(dict.fromkeys(span.text for span, matched, _ in publishers if not matched))
    publisher_tokens = {t.i for span, _, _ in publishers for t in span}
    names = tuple(dict.fromkeys(span.text.removesuffix("’s").removesuffix("'s") for span in named_spans(doc)
                                if not any(t.i in publisher_tokens for t in span) and span.text.lower() not in _CALENDAR_WORDS))
    content = tuple(dict.fromkeys(t.lemma_.lower() for t in doc if t.pos_ in ("NOUN", "PROPN", "VERB", "ADJ", "NUM")
                                  and not t.is_stop and t.i not in publisher_tokens and t.lemma_.lower() not in _STOP_CONTENT
                                  and len(t.text) > 1))
    return QuestionPlan(question=question, answer_type=answer_type, parts=_parts(doc, publishers),
                        relation=_relation(doc, answer_type), sources=sources, unknown_sources=unknown, names=names,
                        stance=stance, speaker=speaker, asks_speaker=asks_speaker, wh_noun=wh_noun, content_words=content)
