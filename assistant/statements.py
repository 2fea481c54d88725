"""Who said what: every attributed statement of an article, as typed records with exact offsets.

`extract_statements(article_id, body)` reads one article body and returns an `ExtractionResult`: its `Statement`s in
body order and counts of what was read and skipped. It never raises on odd input: a sentence longer than
`MAX_SENTENCE_CHARS`, or lying beyond the parser's `max_length`, is skipped and counted.

How it reads (spaCy's `en_core_web_sm`, see `nlp.py`):
- the body is split into sentences exactly as the chunker splits it (`chunking.sentence_spans`); only sentences with
  a reporting cue (a word form of the stance lexicon, "according to", a negated comment) are parsed, in batches;
- in a parsed sentence a statement is a reporting word with a speaker: the subject of a reporting verb ("Russia has
  denied ..."; "..., said Bradley Bowman"; "X told Y that ..."; "an aide who said ..."), the object of "according to",
  the subject of a negated comment ("had no comment", "didn't respond", "not aware", "refrain from commenting",
  "no information to share"), or the giver of a "warning / denial / statement";
- the stance is a small lexicon over the word's lemma (`STANCE_LEMMAS`), turned by negation ("did not respond" is
  decline) and by fixed phrases ("called it false" is deny); a stance said through a pronoun ("Kirby told reporters
  that he had no information to share") is the reporter's;
- joint subjects ("The CIA, Pentagon and National Security Agency") make one statement listing every speaker;
- a pronoun or a role noun ("he", "they", "the spokesman", "the aide") is resolved to an earlier speaker with the same
  role noun, or to the nearest fitting name before it (the sentences before get named entities only, when needed);
  a speaker that cannot be resolved is kept with `speaker_resolved=False` and is never shown as a bare pronoun;
- quoted sentences with no attribution of their own (a quotation continued after "..., Peskov said.", or a paragraph
  that opens a quotation after a quoted statement) are the statements of that quotation's speaker.

`statements_at(article_id, body, spans)` gives the statements of a few sentences (the reader's evidence) with the same
reading, parsing only those sentences and their paragraphs.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from . import nlp as language
from .chunking import sentence_spans
from .questions import NOUN_TYPES, named_spans

EXTRACTOR_VERSION = "statements-1"  # changes whenever what is extracted changes (stored statements are re-extracted)
STANCES = ("deny", "confirm", "decline", "say", "claim", "accuse", "report", "warn")
SPEAKER_KINDS = ("person", "organization", "government", "publication", "anonymous", "unknown")
MAX_SENTENCE_CHARS = 1_500  # a longer "sentence" is a list or markup, not prose: skipped and counted
BATCH_SIZE = 64
UNRESOLVED_SPEAKER = "unidentified speaker"  # what `speaker` says when a pronoun could not be resolved

# --- the lexicon -------------------------------------------------------------------------------------------
STANCE_LEMMAS: dict[str, frozenset[str]] = {
    "deny": frozenset("deny reject dismiss refute dispute rebut disavow".split()),
    "confirm": frozenset("confirm acknowledge verify admit concede".split()),
    "decline": frozenset("decline refuse refrain".split()),  # only with a comment-like complement (_DISCLOSE)
    "accuse": frozenset("accuse blame".split()),
    "claim": frozenset("claim allege assert insist contend argue maintain".split()),
    "warn": frozenset("warn caution".split()),
    "report": frozenset("report reveal conclude find".split()),
    "say": frozenset("say tell state add explain note write announce comment respond reply vow pledge promise "
                     "suggest call describe testify tweet".split()),
}
_STANCE_OF_LEMMA = {lemma: stance for stance, lemmas in STANCE_LEMMAS.items() for lemma in lemmas}
# Verbs that report only with a clause or a quote after them ("added that ...", not "added 2 points").
_NEEDS_THAT = frozenset("find conclude state".split())  # so common otherwise that only "found that" is a cue
_NEEDS_CLAUSE = frozenset("add note explain write suggest maintain find conclude comment respond reply argue "
                          "call describe tweet state vow pledge promise report tell claim".split())
_NARRATORS = frozenset("i me you we us".split())  # first and second person outside quotes: the writer or the reader
# What a refusal or a negated verb withholds: "declined to comment", "didn't provide details", "did not respond".
_WITHHELD = {verb: frozenset("detail details information comment explanation answer response reason specific "
                             "specifics figure timeline name evidence".split()) | ({"call", "message", "email", "request"}
                                                                                 if verb == "return" else set())
             for verb in "provide give share disclose reveal release return".split()}  # what a negated verb withholds
_DISCLOSE = frozenset("comment say discuss elaborate answer respond reply confirm provide disclose reveal identify "
                      "specify share give speak talk address release return".split())
# Nouns that carry a stance when someone gives them ("delivered a warning", "issued a denial").
_STANCE_NOUNS = {"warning": "warn", "denial": "deny", "statement": "say", "accusation": "accuse",
                 "allegation": "claim", "claim": "claim", "confirmation": "confirm"}
_GIVING_VERBS = frozenset("deliver issue give make release offer level post send".split())
# Nouns and adjectives that make a refusal when negated ("had no comment", "was not aware").
_DECLINE_WORDS = frozenset("comment response reply information aware".split())
# Words that turn "called / described / it is ..." into a denial.
_FALSE_WORDS = frozenset("false untrue baseless unfounded fake groundless nonsense lie lies fabrication fabricated "
                         "incorrect inaccurate absurd ridiculous".split())
_NEGATIONS = frozenset("not n't never no".split())
PRONOUNS = {"he": "PERSON", "she": "PERSON", "him": "PERSON", "her": "PERSON", "they": "GROUP", "it": "GROUP",
            "its": "GROUP", "them": "GROUP", "we": "GROUP", "us": "GROUP", "i": "PERSON", "me": "PERSON",
            "you": "PERSON", "his": "PERSON", "their": "GROUP", "our": "GROUP"}
_PERSON_ROLES = frozenset("spokesman spokeswoman spokesperson aide official person source executive adviser "
                          "advisor analyst lawyer attorney representative officer minister".split())
_GROUP_ROLES = frozenset("company firm agency department ministry government campaign group organization embassy "
                         "administration office".split())
_GOVERNMENT_WORDS = frozenset("government ministry department embassy administration kremlin pentagon white house "
                              "congress senate parliament police army military intelligence cia fbi nsa agency "
                              "council commission regulator court".split())
_PUBLICATION_WORDS = frozenset("journal times post news newspaper magazine report article outlet publication paper "
                               "reuters bloomberg ap press tribune guardian telegraph gazette herald wire".split())
_ANONYMOUS_HEADS = frozenset("person people source sources official officials aide insider someone".split())
_QUOTE_OPEN, _QUOTE_CLOSE = "“", "”"


# --- the records -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Statement:
    """One attributed statement. `body[start:end]` is its sentence; `body[quote_start:quote_end] == quote` when it
    quotes (both None for reported speech). `speaker` is the resolved name (never a bare pronoun: an unresolved one
    reads `UNRESOLVED_SPEAKER`), `speakers` every speaker of a joint subject, `speaker_as_written` the subject as the
    article wrote it. `stance` is one of `STANCES`, `speaker_kind` one of `SPEAKER_KINDS`."""

    article_id: str
    speaker: str
    speakers: tuple[str, ...]
    speaker_as_written: str
    speaker_resolved: bool
    speaker_kind: str
    stance: str
    verb: str
    statement: str
    quote: str | None
    start: int
    end: int
    quote_start: int | None
    quote_end: int | None

    def as_dict(self) -> dict:
        """A JSON-ready dict (`speakers` as a list)."""
        return {**asdict(self), "speakers": list(self.speakers)}


@dataclass(frozen=True)
class ExtractionResult:
    """The statements of one article (body order) and what was read: `sentences` in the body, `parsed` (those with a
    reporting cue), `skipped_long` (over `MAX_SENTENCE_CHARS`), `skipped_beyond_limit` (past the parser's
    `max_length`)."""

    article_id: str
    statements: tuple[Statement, ...]
    sentences: int
    parsed: int
    skipped_long: int
    skipped_beyond_limit: int
    extractor_version: str = EXTRACTOR_VERSION


# --- cues ------------------------------------------------------------------------------------------------
_IRREGULAR = {"say": ("said",), "tell": ("told",), "write": ("wrote", "written"), "find": ("found",),
              "make": ("made",), "give": ("gave", "given"), "speak": ("spoke", "spoken")}


def _forms(lemma: str) -> set[str]:
    """Every inflection a lemma can take in news text (over-generating is harmless: this only picks sentences)."""
    stem = lemma[:-1] if lemma.endswith("e") else lemma
    forms = {lemma, lemma + "s", lemma + "es", lemma + "ed", lemma + "d", stem + "ing", lemma + "ing",
             *_IRREGULAR.get(lemma, ())}
    if re.search(r"[^aeiou]y$", lemma):
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    if re.search(r"[^aeiou][aeiou][bdgmnprt]$", lemma):  # refer -> referred, admit -> admitted
        forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    return forms


_CUE_FORMS = frozenset(form for lemma in (*_STANCE_OF_LEMMA, *_STANCE_NOUNS, "according")
                       if lemma not in _NEEDS_THAT for form in _forms(lemma)) | _FALSE_WORDS
_THAT_CUE_FORMS = frozenset(form for lemma in _NEEDS_THAT for form in _forms(lemma))
_NEGATED_CUE_FORMS = frozenset(form for lemma in (*_DISCLOSE, *_DECLINE_WORDS, "reach") for form in _forms(lemma))
_WORD = re.compile(r"[a-z]+")


def has_reporting_cue(sentence: str) -> bool:
    """Whether a sentence has words that can report a statement (the only sentences worth parsing): a form of the
    stance lexicon; "found / concluded / stated" with a "that"; a comment-like word with a negation ("had no
    comment", "didn't respond")."""
    words = set(_WORD.findall(sentence.lower().replace("n’t", " not").replace("n't", " not")))
    return not words.isdisjoint(_CUE_FORMS) or "that" in words and not words.isdisjoint(_THAT_CUE_FORMS) or \
        not words.isdisjoint(_NEGATIONS) and not words.isdisjoint(_NEGATED_CUE_FORMS)


def _quotes(text: str, open_at_start: bool = False) -> list[tuple[int, int]]:
    """(start, end) of the quoted words in `text` (inside curly or straight double quotes; an unclosed quote runs to
    the end of the text, an unopened closing quote from its start; `open_at_start`: a quotation of an earlier
    sentence is still open)."""
    found, opened = [], (0 if open_at_start else None)
    for match in re.finditer(r"[“”\"]", text):
        mark = match.group()
        if opened is None and (mark == _QUOTE_OPEN or mark == '"'):
            opened = match.end()
        elif opened is not None and (mark == _QUOTE_CLOSE or mark == '"'):
            found.append((opened, match.start()))
            opened = None
        elif opened is None and mark == _QUOTE_CLOSE:
            found.append((0, match.start()))
    if opened is not None:
        found.append((opened, len(text)))
    return [(s, e) for s, e in found if text[s:e].strip()]


# --- parse-tree helpers (shared with the reader) -----------------------------------------------------------
def subject_of(verb):
    """The subject of a reporting verb: its own, or that of the clause it hangs from ("..., dismissing X"), the noun
    a relative clause describes ("an aide who said"), or the noun a finite verb was wrongly attached to ("A person
    ..., who spoke ..., confirmed": parsed as the noun's clause)."""
    own = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.lower_ not in ("that", "which", "who")]
    if not own and verb.dep_ in ("acl", "relcl") and verb.head.pos_ in ("NOUN", "PROPN") and \
            (verb.tag_ == "VBD" or any(c.dep_ == "nsubj" and c.lower_ in ("who", "that") for c in verb.children)):
        return verb.head
    for token in [verb, *verb.ancestors][:3]:
        for child in token.children:
            if child.dep_ in ("nsubj", "nsubjpass") and child.lower_ not in ("that", "which", "who"):
                return child
            if child.dep_ == "agent":
                inner = next((c for c in child.children if c.dep_ == "pobj"), None)
                if inner is not None:
                    return inner
        if token.dep_ not in ("advcl", "xcomp", "conj", "acl", "pcomp"):
            break
    return None


def conjuncts(token) -> list:
    """The token and every conjunct coordinated with it ("The CIA, Pentagon and National Security Agency")."""
    found = [token]
    for child in token.children:
        if child.dep_ == "conj":
            found += conjuncts(child)
    return found


def phrase(token) -> str:
    """A subject's phrase: its words up to the first comma after it, without its conjuncts, relative clauses and
    prepositional phrases after it ("A person familiar with the situation, who spoke ..." -> "A person familiar with
    the situation"; "a spokesman for Altamira" keeps "for")."""
    skip = {t.i for c in token.children if c.i > token.i and (c.dep_ in ("conj", "cc", "relcl", "appos", "punct", "acl")
                                                               or c.dep_ == "prep" and c.lower_ not in ("for", "of", "at"))
            for t in c.subtree}
    skip |= {t.i for d in token.subtree if d.dep_ == "relcl" and d is not token for t in d.subtree}
    comma = next((t.i for t in token.subtree if t.i > token.i and t.text == ","), None)
    words = [t for t in token.subtree if t.i not in skip and (comma is None or t.i < comma)
             and not (t.dep_ == "punct" and t.i < token.i and t.i == token.left_edge.i)]
    return " ".join(t.text for t in words).replace(" ’s", "’s").replace(" 's", "'s")


def definite_role(token) -> bool:
    """"the spokesman", "the company": a role noun that points back to someone named before (not "a spokesman for
    Altamira", not "the Trump campaign")."""
    return token.lemma_.lower() in _PERSON_ROLES | _GROUP_ROLES and \
        all(c.dep_ in ("det", "punct") for c in token.children) and \
        any(c.lower_ in ("the", "this", "that") for c in token.children)


def fits(span, kind: str) -> bool:
    """Whether a named span can be what a pronoun of `kind` ("PERSON" or "GROUP") refers to; an unlabelled run of
    proper nouns ("Musk", which the small model often leaves unlabelled) fits either."""
    if span.text.lower() in PRONOUNS:
        return False  # "IT" or "US" as an antecedent of "he" (the small model leaves them unlabelled)
    return not span.label_ or span.label_ in ({"PERSON"} if kind == "PERSON" else {"ORG", "GPE", "NORP"})


def is_pronoun(text: str) -> bool:
    """Whether a speaker name is a bare personal pronoun ("he", "They"; not "US" or "IT", which are names)."""
    return text.lower() in PRONOUNS and not (text.isupper() and len(text) > 1)


def _pronoun_kind(token) -> str | None:
    """"PERSON" or "GROUP" for a pronoun or a definite role noun that needs an antecedent, else None."""
    if is_pronoun(token.text):
        return PRONOUNS[token.lower_]
    if definite_role(token):
        return "PERSON" if token.lemma_.lower() in _PERSON_ROLES else "GROUP"
    return None


def _is_role(token) -> bool:
    """A common noun naming what someone is ("spokesperson", "advisor"), not who."""
    return token.pos_ == "NOUN" and (token.lemma_.lower() in _PERSON_ROLES or NOUN_TYPES.get(token.lemma_.lower()) == "person")


def _negated(token) -> bool:
    return any(c.dep_ == "neg" or c.lower_ in _NEGATIONS for c in token.children)


def _strip_det(text: str) -> str:
    return re.sub(r"^(?:the|a|an|one)\s+", "", text.strip(), flags=re.IGNORECASE)


# --- reading one parsed sentence ---------------------------------------------------------------------------
@dataclass
class _Cue:
    """A reporting word found in a parsed sentence, before its speaker is named."""

    token: object  # the word that carries the stance
    anchor: object  # the verb whose subject is the speaker
    stance: str
    subject: object | None  # the subject token (None: the speaker comes from "with / from X", see _expletive_source)
    content: tuple[int, int] | None  # token range (start, end) of what was said


def _complement(token):
    """The clause or phrase a reporting word reports: its clausal complement, object (+ predicate), "as ..." phrase,
    or "of ..." for an accusation."""
    children = list(token.children)
    for dep in ("ccomp", "xcomp"):
        found = next((c for c in children if c.dep_ == dep), None)
        if found is not None:
            return found.left_edge.i, found.right_edge.i + 1
    obj = next((c for c in children if c.dep_ in ("dobj", "attr")), None)
    extra = [c for c in children if c.dep_ in ("oprd",) or c.dep_ == "prep" and c.lower_ in ("as", "of")]
    parts = [p for p in (obj, *extra) if p is not None]
    if parts:
        return min(p.left_edge.i for p in parts), max(p.right_edge.i for p in parts) + 1
    return None


def _verb_cue(token) -> _Cue | None:
    lemma = token.lemma_.lower()
    stance = _STANCE_OF_LEMMA.get(lemma)
    negated = _negated(token)
    if token.pos_ != "VERB" or any(c.dep_ == "mark" and c.lower_ == "as" for c in token.children):
        return None  # "as reported by The Journal" refers to a statement, it does not make one
    if token.dep_ == "acl" and token.tag_ == "VBN":
        return None  # "an account called ...", "jets pledged by Norway": a participle naming a thing
    if any(c.tag_ == "TO" for c in token.children):
        return None  # "the race to confirm ...", "seem to say": an infinitive reports nothing yet
    deps = {c.dep_ for c in token.children}
    # (an agentless passive names no speaker, except "could not be reached for comment", a refusal handled below)
    if "auxpass" in deps and "agent" not in deps and lemma != "reach" or lemma in ("say", "report") and \
            any(c.dep_ == "xcomp" and any(g.tag_ == "TO" for g in c.children) for c in token.children):
        return None  # "George was dismissed", "tires said to be renewable": no one is named saying it
    quoted = _next_to_quote(token)
    if stance == "decline":
        withheld = [g for c in token.children if c.dep_ in ("xcomp", "prep")
                    for g in ([c] if c.dep_ == "xcomp" else [x for x in c.children if x.dep_ == "pcomp"])]
        if not any(g.lemma_.lower() in _DISCLOSE for g in withheld):
            return None  # "refused to allow Ukraine ..." is an act, not a refusal to comment
    elif negated:
        if lemma not in _DISCLOSE and lemma != "reach":
            return None  # "did not deny" says nothing this lexicon can name
        if lemma == "reach" and not any(t.lemma_.lower() == "comment" for t in token.subtree):
            return None
        withheld = next((c.lemma_.lower() for c in token.children if c.dep_ == "dobj"), None)
        if lemma in _WITHHELD and withheld not in _WITHHELD[lemma]:
            return None  # "do not provide interest payments" is no refusal; "didn't provide details" is
        stance = "decline"  # "did not respond", "didn't provide additional details", "could not be reached for comment"
    elif stance is None:
        return None
    elif lemma in _NEEDS_CLAUSE and not deps & {"ccomp", "oprd", "xcomp"} and not quoted and \
            not any(c.dep_ == "prep" and c.lower_ == "as" for c in token.children):
        return None
    elif lemma == "say" and "dobj" in deps and not deps & {"ccomp", "xcomp"} and not quoted:
        return None  # "the family said goodbye"
    elif lemma in ("find", "conclude") and ("ccomp" not in deps or "dobj" in deps):
        return None  # "found that ...", not "found himself at the crossroads"
    content = _complement(token)
    if stance == "say" and lemma in ("call", "describe") and content is not None and \
            any(t.lower_ in _FALSE_WORDS for t in token.doc[content[0]:content[1]]):
        stance = "deny"  # "called the report false"
    return _Cue(token, token, stance, subject_of(token), content)


def _next_to_quote(token) -> bool:
    """Whether a verb introduces or closes a quotation: a quote mark within three words before it ("“...,” Biello
    added") or after it ("added: “...”"). A quote elsewhere in the sentence (or an inch mark) does not count."""
    doc = token.doc
    near = [t.text for t in doc[max(0, token.i - 4):token.i + 4] if t.i != token.i]
    return any(mark in text for text in near for mark in "“”\"")


def _word_cues(token) -> _Cue | None:
    """Stances carried by a noun or adjective: "had no comment", "not aware", "no information to share",
    "delivered a warning", "according to X"."""
    lemma = token.lemma_.lower()
    head = token.head
    if token.lower_ == "according":
        to = next((c for c in token.children if c.lower_ == "to"), None)
        source = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
        if source is None:
            return None
        clause = head if head.pos_ in ("VERB", "AUX") else token.sent.root
        rest = [t.i for t in clause.subtree if not token.left_edge.i <= t.i <= token.right_edge.i]
        return _Cue(token, token, "report", source, (min(rest), max(rest) + 1) if rest else None)
    if lemma in _DECLINE_WORDS and token.pos_ in ("NOUN", "ADJ"):
        if not (_negated(token) or head.lower_ == "no" or _negated(head) and head.pos_ in ("AUX", "VERB")):
            return None
        anchor = head if head.pos_ in ("VERB", "AUX") else token
        return _Cue(token, anchor, "decline", subject_of(anchor), (anchor.left_edge.i, anchor.right_edge.i + 1))
    if lemma in _STANCE_NOUNS and token.pos_ == "NOUN" and token.dep_ == "dobj" and head.lemma_.lower() in _GIVING_VERBS:
        after = [t.i for t in token.subtree if t.i > token.i]
        content = (min(after), max(after) + 1) if after else (token.i, token.i + 1)
        return _Cue(token, head, _STANCE_NOUNS[lemma], subject_of(head), content)
    return None


def _cues(sentence) -> list[_Cue]:
    """The reporting words of one parsed sentence with their subjects; a stance said through a pronoun under a
    reporting verb ("X told reporters that he had no information to share") becomes the reporter's."""
    found = []
    for token in sentence:
        cue = _verb_cue(token) if token.pos_ == "VERB" else None
        cue = cue or _word_cues(token)
        if cue is not None and cue.subject is None:
            cue.subject = _repaired_subject(cue.anchor)
        if cue is not None and (cue.subject is not None or cue.stance == "decline"):
            found.append(cue)
    merged = []
    for cue in found:
        outer = next((o for o in found if o is not cue and o.stance == "say" and o.subject is not None
                      and any(c.dep_ == "ccomp" and cue.anchor in c.subtree for c in o.anchor.children)), None)
        if outer is not None and cue.stance in ("deny", "decline", "confirm") and \
                (cue.subject is None or cue.subject.pos_ == "PRON"):
            outer.stance = cue.stance  # the reporter's own refusal or denial, reported through a pronoun
            continue
        merged.append(cue)
    return [c for c in merged if c.subject is not None or _expletive_source(c.token) is not None]


def _repaired_subject(anchor):
    """A subject the small model lost: the proper noun just before the verb ("..., press secretary Karoline Leavitt
    called"), or for a coordinated verb whose chain ends in a misparsed root, the first subject of the sentence
    ("Musk appeared at a rally, sporting a ... hat and delivered a warning")."""
    doc = anchor.doc
    if anchor.i > 0 and doc[anchor.i - 1].pos_ == "PROPN":
        return doc[anchor.i - 1]
    if anchor.dep_ == "conj":
        return next((t for t in doc if t.dep_ == "nsubj" and t.i < anchor.i and t.head.pos_ == "VERB"), None)
    return None


def _expletive_source(token):
    """"There was no response to messages left with X and Tesla": who was asked (the object of "with / from")."""
    for t in token.subtree:
        if t.dep_ == "prep" and t.lower_ in ("with", "from"):
            found = next((c for c in t.children if c.dep_ == "pobj"), None)
            if found is not None:
                return found
    return None


# --- reading an article ------------------------------------------------------------------------------------
@dataclass
class _Sentence:
    index: int
    start: int
    end: int
    paragraph: int
    quoted: bool  # the sentence begins inside a quotation or with a quote mark (it may continue someone's words)
    opens_paragraph: bool
    open_at_start: bool  # a quotation opened in an earlier sentence of the paragraph is still open
    doc: object = None  # the full parse (sentences with a cue) or named entities only (context)


def _sentences(body: str) -> list[_Sentence]:
    """The body's sentences (as the chunker splits them) with their paragraph and whether a quotation covers them."""
    out, paragraph, previous_end, open_quote = [], -1, -1, False
    for index, (start, end) in enumerate(sentence_spans(body)):
        new_paragraph = "\n" in body[previous_end:start] or previous_end < 0
        if new_paragraph:
            paragraph += 1
            open_quote = False
        text = body[start:end]
        starts_open = open_quote
        quoted = open_quote or text.lstrip().startswith(("“", '"'))
        for mark in re.findall(r"[“”]", text):
            open_quote = mark == _QUOTE_OPEN
        out.append(_Sentence(index, start, end, paragraph, quoted, new_paragraph, starts_open))
        previous_end = end
    return out


class _ArticleReader:
    """The statements of one body; parses what it needs through `full` (whole pipeline) and `entities` (named
    entities only), both taking and returning lists."""

    def __init__(self, article_id: str, body: str, nlp):
        self.article_id, self.body = article_id, body
        if nlp is None:
            self.full, self.entities, self.max_length = language.parse, language.entities, language.MAX_CHARACTERS
        else:
            self.full = lambda texts: list(nlp.pipe(texts, batch_size=BATCH_SIZE))
            self.entities = lambda texts: list(nlp.pipe(texts, batch_size=BATCH_SIZE, disable=["parser", "lemmatizer"]))
            self.max_length = nlp.max_length
        self.sentences = _sentences(body)
        self.skipped_long = self.skipped_beyond_limit = 0
        self.found: list[Statement] = []

    def read(self, wanted: set[int] | None = None) -> list[Statement]:
        """The statements of the sentences whose index is in `wanted` (all when None), in body order."""
        cue_sentences = []
        for s in self.sentences:
            if wanted is not None and s.index not in wanted:
                continue
            if s.end > self.max_length:
                self.skipped_beyond_limit += 1
            elif s.end - s.start > MAX_SENTENCE_CHARS:
                self.skipped_long += 1
            elif has_reporting_cue(self.body[s.start:s.end]):
                cue_sentences.append(s)
        for s, doc in zip(cue_sentences, self.full([self.body[s.start:s.end] for s in cue_sentences])):
            s.doc = doc
        self.parsed = len(cue_sentences)
        by_sentence: dict[int, list[Statement]] = {}
        quoted_sources: dict[int, list[Statement]] = {}  # quoted statements attributed outside their quotation
        for s in cue_sentences:
            quotes = _quotes(s.doc.text, s.open_at_start)
            for cue in _cues(s.doc):
                statement = self._statement(s, cue, quotes)
                if statement is None:
                    continue
                self.found.append(statement)
                by_sentence.setdefault(s.index, []).append(statement)
                if not any(a <= cue.token.idx < b for a, b in quotes):
                    quoted_sources.setdefault(s.index, [])
                    if statement.quote is not None:
                        quoted_sources[s.index].append(statement)
        for s in self.sentences:
            if (wanted is None or s.index in wanted) and s.quoted and s.index not in quoted_sources \
                    and s.end - s.start <= MAX_SENTENCE_CHARS and s.end <= self.max_length:
                continued = self._continued(s, quoted_sources)
                if continued is not None:
                    by_sentence.setdefault(s.index, []).insert(0, continued)
        return [st for index in sorted(by_sentence) for st in by_sentence[index]]

    # speakers ------------------------------------------------------------------------------------------
    def _statement(self, s: _Sentence, cue: _Cue, sentence_quotes: list[tuple[int, int]]) -> Statement | None:
        doc = s.doc
        subject = cue.subject if cue.subject is not None else _expletive_source(cue.token)
        people = [p for p in conjuncts(subject) if not (p.pos_ == "PRON" and p.lower_ in ("who", "that", "which"))]
        if people and people[0].pos_ == "PROPN":  # "Fernand Tchouameni, spokesperson and investment advisor": one
            people = people[:1] + [p for p in people[1:] if not _is_role(p)]
        quotes = [(s.start + a, s.start + b) for a, b in sentence_quotes]
        in_quote = any(a <= s.start + cue.token.idx < b for a, b in quotes)
        if in_quote and any(_pronoun_kind(p) for p in people):
            return None  # "they were saying", inside someone's quotation: the quoted speaker's own narrative
        if not in_quote and doc.text.rstrip(" ”\"").endswith("?"):
            return None  # "What exactly is Epic claiming?" asks, it does not report
        if any(p.lower_ in _NARRATORS for p in people):
            return None  # "I reported to ...", "you said": the writer or an interview, not a speaker of the article
        names, kinds, resolved = [], [], True
        for person in people:
            name, kind, ok = self._speaker(person, s)
            if name not in names:
                names.append(name)
                kinds.append(kind)
            resolved = resolved and ok
        if not names:
            return None
        first, last = min(p.left_edge.i for p in people), max(p.i for p in people)
        as_written = doc[first:last + 1].text if len(people) > 1 else phrase(people[0])
        content = cue.content
        statement_start, statement_end = (s.start + doc[content[0]].idx, s.start + doc[content[1] - 1].idx +
                                          len(doc[content[1] - 1])) if content else (s.start, s.end)
        inside = [q for q in quotes if q[0] < statement_end and q[1] > statement_start]
        outside_quote = [q for q in quotes if not (q[0] <= s.start + cue.token.idx < q[1])]
        quote = max(inside or ([] if content else outside_quote), key=lambda q: q[1] - q[0], default=None)
        if quote is not None and not inside:
            statement_start, statement_end = quote  # “...,” Peskov said: what was said is the quotation
        statement = self.body[statement_start:statement_end].strip(" ,.;:“”\"").removeprefix("that ")
        return Statement(self.article_id, names[0], tuple(names), as_written, resolved, kinds[0], cue.stance,
                         cue.token.text, statement, self.body[quote[0]:quote[1]] if quote else None, s.start, s.end,
                         quote[0] if quote else None, quote[1] if quote else None)

    def _speaker(self, token, s: _Sentence) -> tuple[str, str, bool]:
        """(name, kind, resolved) of one subject token."""
        need = _pronoun_kind(token)
        if need is not None:
            found = self._antecedent(token, need, s)
            if found is not None:
                return found
            if is_pronoun(token.text):
                return UNRESOLVED_SPEAKER, "unknown", False
            return _strip_det(phrase(token)), _kind_of_words(token.lemma_.lower()), False
        source = next((g for c in token.children if c.dep_ == "prep" and c.lower_ in ("from", "by")
                       for g in c.children if g.dep_ == "pobj"), None)
        if token.lemma_.lower() in _CARRIERS and source is not None:
            token = source  # "said a statement from Rep. Mariannette Miller-Meeks"
        person = _person_named(token)
        if person is not None:
            return person.text.removesuffix("’s").removesuffix("'s"), "person", True
        entity = next((e for e in token.doc.ents if e.start <= token.i < e.end), None)
        name = _strip_det(phrase(token))
        described = any(c.dep_ == "appos" and NOUN_TYPES.get(c.lemma_.lower()) == "person" for c in token.children)
        seen = any(st.speaker_kind == "person" and st.speaker.split()[-1] == name.split()[-1] for st in self.found)
        if token.pos_ == "PROPN" and (described or seen):
            return name, "person", True  # "Marcus Bell, a senior analyst", or "Okafor" after "Lena Okafor confirmed"
        return name, _kind(token, entity, name), True

    def _antecedent(self, token, need: str, s: _Sentence) -> tuple[str, str, bool] | None:
        """What a pronoun or role noun refers to. A role noun ("the aide") first takes the earlier speaker described
        with the same noun. Then, walking back from the word over its sentence and up to `_LOOKBACK` sentences
        before (named entities only, parsed when needed): a sentence's speaker of the fitting kind, else its first
        fitting labelled name ("he": PERSON, or a name already seen speaking as a person); names inside quotations
        are never antecedents. Unlabelled proper nouns count only when no labelled one was found in the window."""
        if not is_pronoun(token.text):
            role = token.lemma_.lower()
            for earlier in reversed(self.found):
                if earlier.start < s.start and role in earlier.speaker_as_written.lower().split() and earlier.speaker_resolved:
                    return earlier.speaker, earlier.speaker_kind, True
        unlabelled = None
        # names the article has already shown speaking as persons ("Musk said ..."), whatever the model labels them
        people = {st.speaker.split()[-1] for st in self.found if st.speaker_kind == "person"} if need == "PERSON" else set()
        for back in range(s.index, max(-1, s.index - 1 - _LOOKBACK), -1):
            earlier = self.sentences[back]
            speakers = [st for st in self.found if st.start == earlier.start and st.speaker_resolved
                        and len(st.speakers) == 1 and _could_be(st, need)]
            if speakers:
                return speakers[-1].speaker, speakers[-1].speaker_kind, True
            if earlier.doc is None and earlier.end - earlier.start <= MAX_SENTENCE_CHARS and earlier.end <= self.max_length:
                earlier.doc = self.entities([self.body[earlier.start:earlier.end]])[0]
            if earlier.doc is None:
                continue
            quoted = _quotes(earlier.doc.text, earlier.open_at_start)
            spans = [span for span in named_spans(earlier.doc) if (fits(span, need) or span.text in people)
                     and (back < s.index or span.end <= token.i)
                     and not any(a <= span.start_char < b for a, b in quoted)]
            labelled = [span for span in spans if span.label_ and fits(span, need) or span.text in people]
            if labelled:
                return _span_speaker(labelled, need)
            unlabelled = unlabelled or (spans[-1:] or None)
        return _span_speaker(unlabelled, need) if unlabelled else None

    def _continued(self, s: _Sentence, quoted_sources: dict[int, list[Statement]]) -> Statement | None:
        """A quoted sentence with no attribution of its own continues the nearest quoted statement of its paragraph
        (before it, else after it), or, when it opens its paragraph with a quotation, the last quoted statement of
        the paragraph before."""
        same = [st for t in self.sentences if t.paragraph == s.paragraph and t.index != s.index
                for st in quoted_sources.get(t.index, [])]
        before = [st for st in same if st.start < s.start]
        after = [st for st in same if st.start > s.start]
        source = before[-1] if before else after[0] if after else None
        text = self.body[s.start:s.end]
        if source is None and s.opens_paragraph and text.lstrip().startswith((_QUOTE_OPEN, '"')):
            previous = [st for t in self.sentences if t.paragraph == s.paragraph - 1
                        for st in quoted_sources.get(t.index, [])]
            source = previous[-1] if previous else None
        if source is None:
            return None
        quotes = _quotes(text) or [(0, len(text))]
        a, b = max(quotes, key=lambda q: q[1] - q[0])
        stance = "deny" if s.doc is not None and _calls_false(s.doc) else "say"
        return Statement(self.article_id, source.speaker, source.speakers, source.speaker_as_written,
                         source.speaker_resolved, source.speaker_kind, stance, source.verb, text[a:b].strip(),
                         text[a:b], s.start, s.end, s.start + a, s.start + b)


_LOOKBACK = 4  # sentences searched back for the antecedent of a pronoun
_CARRIERS = frozenset("statement message email letter post note".split())  # "a statement from X": X speaks


def _person_named(token):
    """The person a subject names: the PERSON entity covering it, or one in its compound or appositive words
    ("Senate Majority Leader Chuck Schumer", "One resident named Sara")."""
    doc = token.doc
    near = [token, *[c for c in token.children if c.dep_ in ("compound", "appos", "nmod", "npadvmod")],
            *[g for c in token.children if c.dep_ == "acl" and c.lemma_.lower() in ("name", "call")
              for g in c.children if g.dep_ in ("oprd", "dobj", "attr")]]
    for word in near:
        entity = next((e for e in doc.ents if e.start <= word.i < e.end and e.label_ == "PERSON"), None)
        if entity is not None:
            return entity
    return None


def _could_be(statement: Statement, need: str) -> bool:
    """Whether an earlier speaker can be what "he / she" ("PERSON") or "they / it" ("GROUP") refers to. The small
    model labels many surnames as organisations ("Kunis noted ..."), so a short proper name that no organisation
    word marks can be a person too."""
    if need != "PERSON":
        return statement.speaker_kind != "person"
    words = set(re.findall(r"[a-z]+", statement.speaker.lower()))
    return statement.speaker_kind == "person" or statement.speaker_kind in ("organization", "unknown") and \
        len(words) <= 2 and statement.speaker[:1].isupper() and not words & (_GROUP_ROLES | _GOVERNMENT_WORDS | _PUBLICATION_WORDS)


def _calls_false(doc) -> bool:
    """"It's all untrue": a copula whose predicate is a word of falsehood."""
    return any(t.lower_ in _FALSE_WORDS and t.dep_ in ("acomp", "attr") and not _negated(t.head) for t in doc)


def _span_speaker(spans, need: str) -> tuple[str, str, bool]:
    """The antecedent among fitting spans: the first labelled one (the subject usually comes first), else the first."""
    labelled = [span for span in spans if span.label_]
    span = (labelled or spans)[0]
    name = span.text.removesuffix("’s").removesuffix("'s")
    kind = {"PERSON": "person", "GPE": "government", "NORP": "government"}.get(span.label_) or \
        ("person" if need == "PERSON" else _kind_of_words(name.lower()))
    return _strip_det(name), kind, True


def _kind_of_words(text: str) -> str:
    words = set(re.findall(r"[a-z]+", text.lower()))
    if words & _GOVERNMENT_WORDS:
        return "government"
    if words & _PUBLICATION_WORDS:
        return "publication"
    if words & _ANONYMOUS_HEADS:
        return "anonymous"
    if words & _PERSON_ROLES:
        return "person"
    if words & _GROUP_ROLES:
        return "organization"
    return "unknown"


def _kind(token, entity, name: str) -> str:
    """The kind of a named (not pronoun) speaker, from its entity label and the words of its phrase."""
    label = entity.label_ if entity is not None else ""
    if label in ("GPE", "NORP"):
        return "government"
    by_words = _kind_of_words(name)
    if label in ("ORG", "FAC", "WORK_OF_ART") or token.pos_ == "PROPN":
        return by_words if by_words in ("government", "publication") else "organization"
    if token.lemma_.lower() in _ANONYMOUS_HEADS:
        return "anonymous"
    return by_words


# --- the entry points ----------------------------------------------------------------------------------
def extract_statements(article_id: str, body: str, nlp=None) -> ExtractionResult:
    """Every attributed statement of `body` (see the module docstring). `nlp` is a loaded spaCy pipeline (default:
    the project's, through `nlp.py`'s cached, thread-safe parse). Never raises on odd text."""
    reader = _ArticleReader(article_id, body or "", nlp)
    found = reader.read()
    return ExtractionResult(article_id, tuple(found), len(reader.sentences), reader.parsed, reader.skipped_long,
                            reader.skipped_beyond_limit)


def statements_at(article_id: str, body: str, spans: Sequence[tuple[int, int]], nlp=None) -> list[Statement]:
    """The statements of the sentences of `body` that overlap `spans` (character offsets), read as
    `extract_statements` reads them: their paragraphs and the paragraph before are read too, for continued
    quotations and for role nouns that point back to an earlier speaker."""
    reader = _ArticleReader(article_id, body or "", nlp)
    hit = {s.paragraph for s in reader.sentences if any(s.start < end and start < s.end for start, end in spans)}
    paragraphs = hit | {p - 1 for p in hit}
    found = reader.read({s.index for s in reader.sentences if s.paragraph in paragraphs})
    return [st for st in found if any(st.start < end and start < st.end for start, end in spans)]
