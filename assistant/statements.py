"""Who said what: every attributed statement of an article, as typed records with exact offsets.

`extract_statements(article_id, body)` reads one article body and returns an `ExtractionResult`: its `Statement`s in
body order and counts of what was read and skipped. It never raises on odd input: a sentence longer than
`MAX_SENTENCE_CHARS`, or than the parser's `max_length`, is skipped and counted (sentences are parsed one by one,
so a long article is read to its end).

How it reads (spaCy's `en_core_web_sm`, see `nlp.py`):
- the body is split into sentences exactly as the chunker splits it (`chunking.sentence_spans`); only sentences with
  a reporting cue (a word form of the stance lexicon, "according to", a negated comment) are parsed, in batches,
  and only those where the parse finds a reporting word get named entities (about half the pipeline's time);
- in a parsed sentence a statement is a reporting word with a speaker: the subject of a reporting verb ("Russia has
  denied ..."; "..., said Bradley Bowman"; "X told Y that ..."; "an aide who said ..."), the object of "according to",
  the subject of a negated comment ("had no comment", "didn't respond", "not aware", "refrain from commenting",
  "no information to share"), or the giver of a "warning / denial / statement";
- the stance is a small lexicon over the word's lemma (`reporting.STANCE_LEMMAS`), turned by negation ("did not
  respond" is decline) and by fixed phrases ("called it false" is deny); a stance said through a pronoun ("Kirby told
  reporters that he had no information to share") is the reporter's (`reporting.cues_of` reads each sentence);
- joint subjects ("The CIA, Pentagon and National Security Agency") make one statement listing every speaker;
- a pronoun or a role noun ("he", "they", "the spokesman", "the aide") is resolved to an earlier speaker with the same
  role noun, or to the nearest fitting name before it, subjects first (the sentences before are parsed when needed);
  a speaker that cannot be resolved is kept with `speaker_resolved=False` and is never shown as a bare pronoun;
- quoted sentences with no attribution of their own (a quotation continued after "..., Peskov said.", or a paragraph
  that opens a quotation after a quoted statement) are the statements of that quotation's speaker; neighbouring
  sentences of one quotation in one paragraph are one statement.

`statements_at(article_id, body, spans)` gives the statements of a few sentences (the reader's evidence) with the same
reading, parsing only those sentences and their paragraphs.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from itertools import groupby
from dataclasses import asdict, dataclass, replace
from functools import lru_cache

from . import nlp as language
from .chunking import sentence_spans
from .questions import NOUN_TYPES, named_spans
from .reporting import (ANONYMOUS_HEADS, CLAUSE_STANCES, FINITE_TAGS, GOVERNMENT_WORDS, GROUP_ROLES, NARRATORS,
                        ORGANISATION_NOUNS,
                        PERSON_ROLES, PUBLICATION_WORDS, QUOTE_CLOSE, QUOTE_OPEN, Cue, calls_false, can_speak,
                        claims_or_accuses, conjuncts,
                        cues_of, expletive_source, fits, has_reporting_cue, hyphen_part, is_negated, is_pronoun,
                        is_role, is_role_word, joined_by_hyphen, phrase, pronoun_kind, quoted_spans, without_article,
                        word_children)
from .stances import STANCE_LEMMAS

EXTRACTOR_VERSION = "statements-103"  # changes whenever what is extracted changes (stored statements are re-extracted)
SPEAKER_KINDS = ("person", "organization", "government", "publication", "anonymous", "unknown")
MAX_SENTENCE_CHARS = 1_500  # a longer "sentence" is a list or markup, not prose: skipped and counted
BATCH_SIZE = 64
UNRESOLVED_SPEAKER = "unidentified speaker"  # what `speaker` says when a pronoun could not be resolved


# --- the records -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Statement:
    """One attributed statement. `body[start:end]` is its sentence (or the neighbouring sentences of one paragraph
    that its quotation runs over); `body[quote_start:quote_end] == quote` when it quotes (both None for reported
    speech). `speaker` is the resolved name (never a bare pronoun: an unresolved one reads `UNRESOLVED_SPEAKER`),
    `speakers` every speaker of a joint subject, `speaker_as_written` the subject as the article wrote it. `stance`
    is one of `stances.STANCES`, `speaker_kind` one of `SPEAKER_KINDS`."""

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
    reporting cue), `skipped_long` (over `MAX_SENTENCE_CHARS`), `skipped_beyond_limit` (longer than the parser's
    `max_length`)."""

    article_id: str
    statements: tuple[Statement, ...]
    sentences: int
    parsed: int
    skipped_long: int
    skipped_beyond_limit: int
    extractor_version: str = EXTRACTOR_VERSION

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
    doc: object = None  # the parse (sentences with a cue, or read for a pronoun's antecedent; names added when needed)


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
        for mark in re.findall(r"[“”\"]", text):  # a straight quote opens or closes as it falls
            open_quote = mark == QUOTE_OPEN or mark == '"' and not open_quote
        out.append(_Sentence(index, start, end, paragraph, quoted, new_paragraph, starts_open))
        previous_end = end
    return out


class _ArticleReader:
    """The statements of one body; parses what it needs through `syntax` (the pipeline without named entities: texts
    in, docs out), `name` (adds named entities to docs, in place) and `parse_named` (the whole pipeline: texts in,
    docs out). Sentences with a reporting cue get the syntax, and names where a cue was found; the sentences a
    pronoun's antecedent is looked for in get both."""

    def __init__(self, article_id: str, body: str, nlp):
        self.article_id, self.body = article_id, body
        if nlp is None:
            self.syntax = lambda texts: language.parse(texts, entities=False)
            self.name, self.max_length = language.add_entities, language.MAX_CHARACTERS
            self.parse_named = lambda texts: language.parse(texts, entities=True)
        else:
            self.syntax = lambda texts: list(nlp.pipe(texts, batch_size=BATCH_SIZE, disable=["ner"]))
            self.name = lambda docs: list(nlp.get_pipe("ner").pipe([d for d in docs if not language.has_entities(d)]))
            self.parse_named = lambda texts: list(nlp.pipe(texts, batch_size=BATCH_SIZE))
            self.max_length = nlp.max_length
        self.sentences = _sentences(body)
        self.skipped_long = self.skipped_beyond_limit = 0
        self._first_name_cache: dict[str, set[str]] = {}  # surname -> "First Surname" mentions of the body
        self._gender_cache: dict[str, tuple[int, int]] = {}  # word -> (he, she) pronouns just after its mentions
        self._name_cache: dict[str, bool] = {}  # capitalised word -> whether the body writes it as a name
        self._full_name_cache: dict[str, bool] = {}  # surname -> whether a "First Surname" mention is labelled a person
        self._labelled_cache: dict[str, set[str]] = {}  # surname -> its "Capitalised Surname" mentions labelled persons
        self._person_name_cache: dict[str, bool] = {}  # name -> whether the body writes it as a person's (`_names_person`)
        self._staffed_cache: dict[str, bool] = {}  # name -> whether the body writes it as an organisation's (`_staffed`)
        self._captions: set[int] | None = None  # paragraphs that are photo captions (`_credited_photos`)
        self._entries: dict[int, str] | None = None  # paragraph -> entry heading of a list article (`_entry_headings`)
        self.found: list[Statement] = []
        self._self_named: dict[str, str] = {}  # lone name -> the gender it speaks of itself with (`_speaking_of_selves`)
        self._said_it: set[str] = set()  # lone names that speak of themselves as "it" ("Chase said it would ...")
        self._verbs: dict[int, tuple[int, object]] = {}  # id(statement found) -> (its sentence's index, its cue word)

    def cue_sentences(self, wanted: set[int] | None = None) -> list[_Sentence]:
        """The sentences worth parsing among those whose index is in `wanted` (all when None): those with a reporting
        cue; over-long ones are skipped and counted."""
        chosen = []
        for s in self.sentences:
            if wanted is not None and s.index not in wanted:
                continue
            if s.end - s.start > self.max_length:
                self.skipped_beyond_limit += 1
            elif s.end - s.start > MAX_SENTENCE_CHARS:
                self.skipped_long += 1
            elif has_reporting_cue(self.body[s.start:s.end]) and not _headline(self.body[s.start:s.end], s.open_at_start):
                chosen.append(s)
        self.parsed = len(chosen)
        return chosen

    def read(self, cue_sentences: list[_Sentence], cues: dict[int, list[Cue]], wanted: set[int] | None = None
             ) -> list[Statement]:
        """The statements of the sentences whose index is in `wanted` (all when None), in body order, given its
        `cue_sentences` parsed and their `cues` (`_read_all` parses and names them)."""
        by_sentence: dict[int, list[Statement]] = {}
        attributed: dict[int, list[Statement]] = {}  # statements attributed outside any quotation, by sentence
        self._self_named = self._speaking_of_selves(cue_sentences)
        for s in cue_sentences:
            quotes = quoted_spans(s.doc.text, s.open_at_start)
            relays = []  # "according to" statements of this sentence (not to an anonymous source: "a person familiar"),
            # and those of an outlet or a report passing on a person's (`_relays`)
            according = set()  # ids of this sentence's "according to" statements
            for cue in cues[s.index]:
                statement = self._statement(s, cue, quotes)
                if statement is None:
                    continue
                if cue.token.lower_ == "according" and statement.speaker_kind != "anonymous":
                    relays.append(statement)
                    according.add(id(statement))
                self.found.append(statement)
                self._verbs[id(statement)] = (s.index, cue.token)
                by_sentence.setdefault(s.index, []).append(statement)
                if not any(a <= cue.token.idx < b for a, b in quotes):
                    attributed.setdefault(s.index, []).append(statement)
                    if statement.start < s.start:  # its quotation is the sentence before: attributed, not continued
                        attributed.setdefault(s.index - 1, [])
            here = by_sentence.get(s.index, [])
            # "He said that ... “as intense as it gets,” reports Bloomberg", "the outlet noted that Smith said ...": what
            # an outlet or a report relays is the person's statement
            relays += [st for st in here if st not in relays and st.speaker_kind not in ("person", "anonymous") and (
                st.speaker_kind == "publication" or st.stance == "report") and any(
                _a_persons_statement(other) and self._relays(st, other) for other in here if other is not st)]
            persons = [self._verbs[id(st)][1] for st in here if _a_persons_statement(st) and st not in relays]
            # "“...,” Trump said, according to Detroit News", "Pichai said that he took action ..., according to
            # CNBC": the person said it; the outlet only passed it on (an "according to" only when it stands in what
            # the person said: not "She said ..., but according to Bloomberg, the deal is worth $5 billion")
            relayed = {id(st) for st in relays if persons and (
                id(st) not in according or any(_said_within(self._verbs[id(st)][1], verb) for verb in persons))}
            if relayed:
                self.found = [st for st in self.found if id(st) not in relayed]
                for found in (by_sentence, attributed):
                    if s.index in found:
                        found[s.index] = [st for st in found[s.index] if id(st) not in relayed]
        continued_from: dict[int, Statement] = {}  # id(continued statement) -> the statement whose quotation it is
        credited: dict[int, Statement] = {}  # paragraph -> the first statement of a quotation credited under it
        for s in self.sentences:
            if (wanted is None or s.index in wanted) and s.quoted and s.index not in attributed \
                    and s.end - s.start <= min(MAX_SENTENCE_CHARS, self.max_length):
                credit = self._credit(s)
                if credit is not None:  # “Putting the fun in it was always the key.” / — Tom Scalera
                    statement = self._quoted(s, credit[0], (credit[0],), credit[0], True, "person", credit[1])
                    if s.paragraph in credited:
                        continued_from[id(statement)] = credited[s.paragraph]
                    credited.setdefault(s.paragraph, statement)
                    by_sentence.setdefault(s.index, []).insert(0, statement)
                    continue
                continued = self._continued(s, attributed)
                if continued is not None:
                    continued_from[id(continued[0])] = continued[1]
                    by_sentence.setdefault(s.index, []).insert(0, continued[0])
        self._pulled_quotes(by_sentence, continued_from)
        found = self._groups_in_full(self._titles_kept(self._full_names(self._whole_quotations(
            [st for index in sorted(by_sentence) for st in by_sentence[index]], continued_from))))
        return [st for st in found if not self._answer_only(st)]

    def _answer_only(self, st: Statement) -> bool:
        """Whether a statement is a quotation of one sentence that is only an answer (“Yes, Senator,” Fraser replied;
        not “No, Senator,” Fraser answered. “We work hard ...”, joined whole): in a list of who said what it says
        nothing, wherever its question was asked ("Asked whether he would resign, Trump said: “No.”" too)."""
        words = re.findall(r"\w+", st.quote) if st.quote is not None else []
        if not words or words[0].lower() not in _ANSWERS or re.findall(r"\w+", st.statement) != words:
            return False  # (nor when what was said is more than it: "acknowledged their conversation with a “yup”")
        s = next((t for t in self.sentences if t.start <= st.quote_start < t.end), None)
        return s is not None and s.doc is not None and st.quote_end <= s.end and \
            _bare_answer([t for t in s.doc if st.quote_start <= s.start + t.idx < st.quote_end])

    def _relays(self, outlet: Statement, person: Statement) -> bool:
        """Whether `outlet` passes on `person`'s statement of the same sentence: one reporting verb is the other's
        clause ("the outlet noted that Smith said ...", "He said that ..., reports Bloomberg"; not "The FDA reported
        that the drug is safe, while Dr. Jones said ...")."""
        said, passed_on = self._verbs[id(person)][1], self._verbs[id(outlet)][1]
        return said.head == passed_on and said.dep_ == "ccomp" or \
            passed_on.head == said and passed_on.dep_ in ("ccomp", "parataxis")

    def _pulled_quotes(self, by_sentence: dict[int, list[Statement]], continued_from: dict[int, Statement]) -> None:
        """Give each pull quote, in place, the speaker of the quotation it was pulled from: a quoted paragraph of one
        sentence with no attribution (read as continuing the quotation before it) whose words another statement's
        quotation holds (`_holds`: a longer one, or one as long in a paragraph of more sentences; the first in the
        body): “Our brains are wired for actual in-person interactions ...” set apart after Elliott's words, and “One
        reason is that our brains are wired ...” after Nassar's: Nassar's."""
        alone = {t.index for t in self.sentences if t.opens_paragraph and (
            t.index + 1 == len(self.sentences) or self.sentences[t.index + 1].paragraph != t.paragraph)}
        sources = [(index, st) for index, found in by_sentence.items() for st in found if st.quote is not None]
        for index in alone & set(by_sentence):
            for at, st in enumerate(by_sentence[index]):
                if id(st) not in continued_from or st.quote is None:
                    continue
                words = len(re.findall(r"\w+", st.quote))
                holders = [other for where, other in sources if other is not st and _holds(other.quote, st.quote) and (
                    len(re.findall(r"\w+", other.quote)) > words or where not in alone)]
                if not holders or holders[0].speaker == st.speaker:
                    continue
                pulled = holders[0]
                moved = replace(st, speaker=pulled.speaker, speakers=pulled.speakers, verb=pulled.verb,
                                speaker_as_written=pulled.speaker_as_written,
                                speaker_resolved=pulled.speaker_resolved, speaker_kind=pulled.speaker_kind)
                del continued_from[id(st)]
                continued_from[id(moved)] = pulled
                by_sentence[index][at] = moved

    def _titles_kept(self, found: list[Statement]) -> list[Statement]:
        """A name whose "The" is part of it keeps it: "The Information", "The Athletic", "The Verge", which the body
        writes with a capital "The" inside its sentences in most of its mentions there and never with "the"."""
        seen: dict[str, str] = {}  # name -> as shown (one body search a name)

        def titled(name: str) -> str:
            if name not in seen:
                seen[name] = name
                if name[:1].isupper() and not name.startswith("The ") and name != UNRESOLVED_SPEAKER:
                    inside = re.findall(rf"[a-z,;:] (The |the )?{re.escape(name)}\b", self.body)
                    if inside.count("The ") * 2 > len(inside) and "the " not in inside:
                        seen[name] = f"The {name}"
            return seen[name]

        return [replace(st, speaker=titled(st.speaker), speakers=tuple(titled(n) for n in st.speakers))
                for st in found]

    def _groups_in_full(self, found: list[Statement]) -> list[Statement]:
        """A group the article shortens to "the Commission", "the Alliance", "the Jays", "the agency" speaks by the one
        longer name the body gives it with "the" ("the European Commission", "The AI Alliance", "the Blue Jays", "the
        International Energy Agency"): capitalised words run into the word. With none or several, the word stays."""
        seen: dict[str, str] = {}  # word -> as shown (one body search a word)

        def whole(name: str) -> str:
            if name not in seen:
                seen[name] = name
                word = name.capitalize()  # "the agency" for "the International Energy Agency" too
                if re.fullmatch(_CAPITALISED, word) and re.search(rf"\b[Tt]he {name}\b", self.body):
                    longer = set()
                    for before in re.findall(rf"\b[Tt]he ((?:[A-Z][\w&-]+ ){{1,3}}){word}\b", self.body):
                        words = before.split()  # "the Los Angeles Dodgers", not "Loading Google", "Central Michigan"
                        if all(len(w) > 1 and w.lower() not in language.stop_words() for w in words):
                            longer.add(" ".join([*words, word]))
                    if len(longer) == 1:
                        seen[name] = longer.pop()
            return seen[name]

        return [replace(st, speaker=whole(st.speaker), speakers=(whole(st.speaker),))
                if st.speaker_kind != "person" and len(st.speakers) == 1 and
                st.speaker_as_written.lower() == f"the {st.speaker.lower()}" else st for st in found]

    def _whole_quotations(self, found: list[Statement], continued_from: dict[int, Statement]) -> list[Statement]:
        """One quotation, one statement: a continued sentence (`continued_from`: id of it -> the statement it
        continues) joins that statement when their sentences are neighbours in one paragraph and it adds no stance
        of its own, so “It's so much more than that.” is read with the sentence of the quotation before it. The
        joined statement spans both sentences; its quote runs from the first quoted word to the last (an attribution
        standing between them included: `body[quote_start:quote_end] == quote` still holds)."""
        out: list[Statement] = []
        holder: dict[int, int] = {}  # id(statement) -> the index in `out` of the statement that now holds it
        for st in found:
            source = continued_from.get(id(st))
            key = id(source) if source is not None else id(st)
            at = holder.get(key)
            if at is not None and self._neighbours(out[at], st):
                # the statement continued gives the speaker and stance, whichever sentence comes first
                continued, continuing = (out[at], st) if source is not None else (st, out[at])
                if continuing.stance in ("say", continued.stance) and continued.quote is not None:
                    out[at] = self._joined(continued, continuing)
                    holder[id(st)] = at
                    continue
            out.append(st)
            holder[key] = holder[id(st)] = len(out) - 1
        return out

    def _neighbours(self, a: Statement, b: Statement) -> bool:
        """Whether two statements' sentences follow each other in one paragraph, in either order."""
        first, second = (a, b) if a.start <= b.start else (b, a)
        return first.end <= second.start and not self.body[first.end:second.start].strip() and \
            "\n" not in self.body[first.end:second.start]

    def _joined(self, a: Statement, b: Statement) -> Statement:
        """`a` and `b` (quoted, neighbouring sentences) as one statement: `a`'s speaker, stance and verb, the
        sentences of both, what was said in body order (the first piece ending as a sentence ends)."""
        first, second = (a, b) if a.start <= b.start else (b, a)
        lead = first.statement if first.statement.endswith((".", "!", "?", "…", "—")) else f"{first.statement}."
        quote_start, quote_end = min(a.quote_start, b.quote_start), max(a.quote_end, b.quote_end)
        return replace(a, statement=f"{lead} {second.statement}", quote=self.body[quote_start:quote_end],
                       start=first.start, end=second.end, quote_start=quote_start, quote_end=quote_end)

    def _full_names(self, found: list[Statement]) -> list[Statement]:
        """One person, one name: a speaker named by a surname alone ("Peskov said") takes the one fuller name of the
        article that ends with it ("Dmitry Peskov", as a speaker or a PERSON entity; sentences where a capitalised
        word precedes the surname get named entities for this), of the gender of a "he" or "she" it was read from;
        with two such names ("Will Smith", "Jada Pinkett Smith") the surname stays, unless the article opens on one of
        them; one name written two ways ("Hong Jin Fan", "Hongjin Fan") is one option. A surname may have particles
        ("von Schwarz") and a title or role before it ("Mrs de Jongh", "Pastor Bradley", `_as_surname`); a titled
        surname is no full name for another to take. A first name alone ("Taylor") takes the one full name beginning
        with it when no full name ends with it. A surname the small model took for a group ("Arteta said",
        `_mislabelled_surname`) is made a person's first. A name loses a title the parse ran into it
        (`_bare_speaker`), and an owner's surname ("Oregon’s Cantu-Schomus") takes the full name when there is one."""
        found = [self._as_person(st) if st.speaker_kind in ("organization", "government", "unknown") and (
            self._mislabelled_surname(st) or len(st.speakers) == 1 and (
                st.speaker in self._self_named or self._mislabelled_first_name(st.speaker))) else st for st in found]
        found = [self._bare_speaker(st) if len(st.speakers) == 1 and st.speaker_kind not in (
            "government", "publication") else st for st in found]  # not "New York Times"
        surnames = {surname for st in found if (st.speaker_kind == "person") or (
                    len(st.speakers) > 1 and st.speaker_kind in ("organization", "unknown")) for name in st.speakers
                    if (surname := _as_surname(name) or _as_surname(_particles_lowered(name))) is not None}
        surnames |= {owned.group(1) for st in found for name in st.speakers if (owned := _OWNED_SURNAME.match(name))}
        surnames |= {name for st in found if st.speaker_kind == "person" for name in st.speakers
                     if len(words := name.split()) == 2 and words[0][:1].isupper() and
                     _name_gender(words[0]) == "unknown"}
        # (a surname of two words: "Abdool Karim", whose full name "Quarraisha Abdool Karim" the article gives once)
        # "Laird’s latest report" (Dr Eamon Laird's), not "a Bloomberg report" (the model's organisation, whatever
        # Michael Bloomberg the article names)
        owners = {document.group(1) for st in found if (document := _PERSONS_DOCUMENT.match(st.speaker))}
        organisations = {e.text for s in self.sentences if s.doc is not None for e in s.doc.ents
                         if e.label_ == "ORG"} if owners else set()
        surnames |= owners - organisations
        if not surnames:
            return found
        alternatives = '|'.join(map(re.escape, sorted(surnames)))
        fuller_mention = re.compile(rf"[A-ZÀ-ÖØ-Þ][\w.’'-]*[”\"]? (?:{alternatives})\b|\b(?:{alternatives}) [A-ZÀ-ÖØ-Þ]")
        self._read_names({s.index for s in self.sentences if fuller_mention.search(self.body[s.start:s.end])})
        names = {st.speaker for st in found if st.speaker_kind == "person"}
        names |= {_proper_part(e) for s in self.sentences if s.doc is not None for e in s.doc.ents
                  if e.label_ == "PERSON" and not _credited(e)}
        # "GM Bob Myers": Bob Myers; "Jack “Jacksfilms” Douglass": Jack Douglass
        names = {self._name_without_lead_in(re.sub(f" {_NICKNAME} ", " ", name)) for name in names}
        fuller: dict[str, set[str]] = {}  # surname -> the full names ending with it
        first: dict[str, set[str]] = {}  # first name -> the full names beginning with it
        for name in names:
            words = name.removesuffix("’s").removesuffix("'s").split()
            if len(words) >= 2 and _as_surname(" ".join(words)) is None and all(
                    word[:1].isupper() and not word.endswith(("’s", "'s")) or
                    0 < at < len(words) - 1 and word in _SURNAME_PARTICLES for at, word in enumerate(words)):
                # not "Goodyear’s Helsel" (an owner, not a first name) nor "Mrs de Jongh", "Pastor Bradley" (a title and
                # a surname); "Erik ten Hag" is one
                # "Kennedy" of "Robert F. Kennedy Jr.": the surname before a generation's suffix
                surname_at = -2 if len(words) >= 3 and words[-1].rstrip(".,") in _GENERATIONS else -1
                fuller.setdefault(words[surname_at], set()).add(" ".join(words))
                first.setdefault(words[0], set()).add(" ".join(words))
                if len(words) >= 3 and _name_gender(words[-2]) == "unknown" and not (
                        words[-3].lower().rstrip(".") in _TITLES or is_role_word(words[-3].lower())):
                    # "Abdool Karim" of "Quarraisha Abdool Karim" (not "Ann Smith" of "Mary Ann Smith")
                    fuller.setdefault(" ".join(words[-2:]), set()).add(" ".join(words))
                particles = next((at for at in range(1, len(words) - 1)
                                  if all(w in _SURNAME_PARTICLES for w in words[at:-1])), None)
                if particles is not None:  # "von Schwarz" of "Ernst von Schwarz"
                    fuller.setdefault(" ".join(words[particles:]), set()).add(" ".join(words))
        for surname in surnames - set(fuller):
            if _name_gender(surname) == "unknown" or \
                    not re.search(rf"\b{re.escape(surname)} {_CAPITALISED}", self.body):
                # no full name labelled a person: the body's mentions of the surname after a first name ("Carolyn
                # O’Hara", "Demis Hassabis" labelled an organisation), not after a role ("Judge Donato",
                # "Co-Founder Sam"), for a surname the body never writes as a first name ("Volker" of "Kurt Volker";
                # not "Taylor" beside "Taylor Swift")
                mentions = {name for name in self._first_named(surname)
                            if not is_role_word(name.split()[0].split("-")[-1].lower()) and
                            name.split()[0].lower() not in _TITLES}  # not "General Merrick Garland"
                if mentions:
                    fuller[surname] = mentions

        def full(name: str, as_written: str) -> str:
            # "he" for "Trump": not "Ivanka Trump"; "Mrs de Jongh": not a man
            gender = _PRONOUN_GENDER.get(as_written.lower()) or _TITLE_GENDER.get(name.split()[0].lower()) or \
                self._self_named.get(name)  # "Hand said he ...": Thomas Hand, not his daughter Emily
            # by surname; else, for a first name no full name ends with, by first name ("Taylor" -> Taylor Swift)
            surname = _as_surname(name) or name
            known = fuller.get(surname) or (first.get(name, set()) if _name_gender(name) != "unknown" else set())
            options = {n for n in known if gender is None or self._gender_of(n) in (gender, None)}
            if not options and gender is not None:
                # "Mrs de Jongh" where only her husband "John de Jongh" is labelled a person: "Cecile de Jongh", the
                # body's mention after a first name of her gender
                options = {n for n in self._first_named(surname) if self._gender_of(n) == gender}
            # a name the model ran into the one before it ("Micah Hyde-Jordan Poyer" beside "Jordan Poyer")
            options = {n for n in options if not any(n != m and n.endswith("-" + m) for m in options)}
            if len({re.sub(r"[\s-]", "", n).lower() for n in options}) == 1:
                # "Hong Jin Fan" and "Hongjin Fan": one name, as first written
                options = {min(options, key=lambda n: (n not in self.body, self.body.find(n)))}
            if len(options) > 1:
                # "Kelce said" in an article that opens on "Travis Kelce" and names him so again, or whose first words
                # are the name ("Hanh Badger was working ..."): the one it is about
                # (not "Gabe Bankman-Fried", named more often further down, for "Bankman-Fried"); else the surname
                # stays. Only names written with a first name count ("Said Bradley", only ever at a sentence's
                # start, is none)
                first_at = {n: self.body.find(n) for n in options if self._written_as_full_name(n)}
                lead = min(first_at, key=lambda n: (first_at[n], -len(n)), default=None)  # "Rachel Bush Poyer", not "Rachel Bush"
                if lead is not None and (first_at[lead] == 0 or len(re.findall(rf"\b{re.escape(lead)}\b", self.body)) >= 2):
                    options = {lead}
            return next(iter(options)) if len(options) == 1 else name

        def whole(name: str, as_written: str) -> str:
            """`full` for a surname; an owner's surname ("Oregon’s Cantu-Schomus") only when it finds the full name."""
            owned = _OWNED_SURNAME.match(name)
            if owned is not None:
                completed = full(owned.group(1), as_written)
                return completed if " " in completed else name
            if _as_surname(name) is None and name in fuller:
                return full(name, as_written)  # a two-word surname ("Abdool Karim")
            if _as_surname(name) is None:
                # "Ten Hag" opening a sentence: "ten Hag" of "Erik ten Hag" when the article writes it so
                lowered = _particles_lowered(name)
                return full(lowered, as_written) if lowered != name and lowered in fuller and \
                    _name_gender(name.split()[0]) == "unknown" else name  # not "Al Pacino" for "Salma al Pacino"
            return full(name, as_written)

        def completed(st: Statement) -> Statement:
            """A person's names made whole; the one speaker of another kind named by an owner's surname, or the
            joint speakers of another kind named by surnames, made people when the article gives the full names."""
            if st.speaker_kind == "person":
                return replace(st, speaker=whole(st.speaker, st.speaker_as_written), speakers=tuple(dict.fromkeys(
                    whole(n, st.speaker_as_written) for n in st.speakers)))
            if len(st.speakers) > 1 and st.speaker_kind in ("organization", "unknown"):
                # "Wagers and Leung did not respond": surnames the model left unlabelled, each of whom the article
                # names in full (Kenny Wagers, Stuart Leung), are people
                names = tuple(whole(n, st.speaker_as_written) if len(n.split()) == 1 else n for n in st.speakers)
                if all(len(n.split()) > 1 and n.endswith(" " + m) for n, m in zip(names, st.speakers)):
                    return replace(st, speaker=names[0], speakers=names, speaker_kind="person")
            document = _PERSONS_DOCUMENT.match(st.speaker) if len(st.speakers) == 1 else None
            if document is not None and document.group(1) not in organisations and \
                    " " in (author := whole(document.group(1), st.speaker_as_written)):
                # "Laird’s latest report suggests", the article naming Dr Eamon Laird: his report, so he says it
                return replace(st, speaker=author, speakers=(author,), speaker_kind="person")
            owned = len(st.speakers) == 1 and _OWNED_SURNAME.match(st.speaker) is not None
            name = whole(st.speaker, st.speaker_as_written) if owned else st.speaker
            return st if name == st.speaker else replace(st, speaker=name, speakers=(name,), speaker_kind="person")

        return [completed(st) for st in found]

    def _as_person(self, st: Statement) -> Statement:
        """`st` spoken by a person: what is "revealed" by, or reported "according to", a person is said."""
        verb = self._verbs.get(id(st), (0, None))[1]
        said = st.stance == "report" and verb is not None and _said_by_person(verb)
        return replace(st, speaker_kind="person", stance="say" if said else st.stance)

    def _speaking_of_selves(self, sentences: list[_Sentence]) -> dict[str, str]:
        """The one-word names that speak of themselves as "he" or "she" in these parsed sentences, with that gender: the
        subject written before a reporting verb whose reported clause after it has that pronoun as its subject ("Esfand
        says he feels ...", "Kelce said he intended ..."), the name being no acronym, having no article, owner,
        compound, conjunct or apposition, and tagged a proper noun or a singular noun never written in lower case. Never a name also saying "it" or the
        other pronoun ("Google said it ...", "Uber said he ..." and "Uber said it ..."; "they" may be others: "Esfand
        says they need to adapt"), nor a first name of the other gender ("Justin said she ..."); no clause counts that
        names the other gender as an object ("Timberlake tells the world that she cheated on him") or that follows
        another person the pronoun may be (`_another_person_near`: "Salah was injured. Liverpool confirmed he will
        miss the season"). The small model labels many such names organisations or places."""
        seen: dict[str, Counter] = {}
        for s in sentences:
            for verb in s.doc:
                if verb.lemma_.lower() not in _REPORTING_LEMMAS or verb.pos_ != "VERB":
                    continue
                subjects = [c for c in verb.children if c.dep_ == "nsubj" and c.i < verb.i]
                if len(subjects) != 1 or not (subjects[0].pos_ == "PROPN" or subjects[0].tag_ == "NN" and not re.search(
                        rf"\b{re.escape(subjects[0].lower_)}\b", self.body)) or not subjects[0].text[:1].isupper() or \
                        subjects[0].text.isupper() or any(c.dep_ in ("compound", "conj", "appos", "poss", "det")
                                                          for c in subjects[0].children):
                    continue  # "TMZ claimed that he ...", "says the Argentinean": no one's own name
                for clause in (c for c in verb.children if c.dep_ == "ccomp"):
                    for pronoun in (c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass") and c.i > verb.i and
                                    c.lower_ in ("he", "she", "it")):  # not a quotation before the verb
                        other = {"he": ("her",), "she": ("him",)}.get(pronoun.lower_, ())
                        if any(w.lower_ in other and w.dep_ != "poss" for w in clause.subtree):
                            continue  # "Timberlake tells the world that she cheated on him": him
                        if pronoun.lower_ != "it" and self._another_person_near(s, subjects[0].text, pronoun.lower_):
                            continue  # "Salah was injured. Liverpool confirmed he will miss the season": Salah
                        seen.setdefault(subjects[0].text, Counter())[pronoun.lower_] += 1
        self._said_it = {name for name, said in seen.items() if said["it"]}
        found = {name: "male" if said["he"] else "female" for name, said in seen.items()
                 if bool(said["he"]) != bool(said["she"]) and not said["it"]}
        # a first name of the other gender speaks of someone else ("Justin said she ...")
        return {name: gender for name, gender in found.items()
                if _name_gender(name).split("_")[-1] in (gender, "unknown", "andy")}

    def _another_person_near(self, s: _Sentence, name: str, pronoun: str) -> bool:
        """Whether `s` or the sentence before it names a person other than `name` whom `pronoun` ("he", "she") may stand
        for: a PERSON entity neither part of the name nor holding it ("EsfandTV" for "Esfand") whose first name is of
        the pronoun's gender ("Mohamed Salah", "Sam Altman"; not "Swift" or "Katy Perry" for "he")."""
        self._read_names({t for t in (s.index - 1, s.index) if t >= 0})
        gender = _PRONOUN_GENDER[pronoun]
        for t in (self.sentences[s.index - 1], s) if s.index > 0 else (s,):
            for entity in t.doc.ents if t.doc is not None else ():
                if entity.label_ == "PERSON" and name not in entity.text and entity.text not in name and \
                        (first_name_gender(entity.text) or "").split("_")[-1] == gender:
                    return True
        return False

    def _name_without_lead_in(self, name: str) -> str:
        """A person's name without words the parse ran into it before a first name the lists know: a title, role or
        acronym ("Referee Adrian Morgan", "White House deputy chief of staff Jen O’Malley Dillon", "GM Bob Myers"), a
        word the body also writes in lower case or a capitalised stop word ("Meanwhile Sophie"); a role before a surname
        stays ("Coach Moore"), and so does a phrase ("spokesperson for Novo Nordisk"). A capitalised -ing word goes
        before any name the body also writes alone ("Loading Google", a page widget's word), and a reporting verb before
        any name ("Said Bradley", a sentence opening "Said Bradley, ...")."""
        words = name.split()
        if len(words) > 1 and re.search(rf"\bCredit:\s+{re.escape(words[0])}\s+{re.escape(words[1])}\b", self.body):
            return " ".join(words[1:])  # "Credit: Getty Frederick admitted ...": a photo's credit, then the name
        if len(words) > 1 and words[0][:1].isupper() and not self._written_as_name(words[0]) and (
                has_reporting_cue(words[0]) or words[0].endswith("ing") and re.search(
                    rf"(?:\b[a-z]+|[,;:”\"])\s{re.escape(' '.join(words[1:]))}\b", self.body)):
            # "Said Bradley", "Loading Google": a word the body capitalises only where a sentence starts (not "Ming Chen",
            # "Sporting Kansas City" or "Said Bouteflika", written so inside sentences too)
            return " ".join(words[1:])
        for i in range(1, len(words)):
            lead_in, rest = words[:i], words[i:]
            if _name_gender(rest[0]) == "unknown" or not all(w[:1].isupper() for w in rest) or \
                    lead_in[-1].islower() and lead_in[-1] in language.stop_words() or \
                    any(_name_gender(w) != "unknown" and not is_role_word(w.lower()) for w in lead_in):
                continue
            if all(is_role_word(w.lower()) or w.isupper() or not w[:1].isupper() or w.lower() in language.stop_words()
                   or re.search(rf"\b{re.escape(w.lower())}\b", self.body) for w in lead_in) and \
                    (len(rest) > 1 or not any(is_role_word(w.lower()) or w.isupper() for w in lead_in)):
                return " ".join(rest)
        return name

    def _bare_speaker(self, st: Statement) -> Statement:
        """The one speaker of `st` without the words run into its name (`_name_without_lead_in`), a person when a first
        name is left; any other speaker loses the words before a noun saying what it is ("Fortnite publisher Epic
        Games" -> Epic Games)."""
        name = self._name_without_lead_in(st.speaker)
        if name != st.speaker:
            person = st.speaker_kind == "person" or _name_gender(name.split()[0]) != "unknown"
            return replace(st, speaker=name, speakers=(name,), speaker_kind="person" if person else st.speaker_kind)
        described = _DESCRIBED_NAME.match(st.speaker) if st.speaker_kind != "person" else None
        if described is not None and described.group(1) not in language.stop_words() | _SURNAME_PARTICLES:
            # "Fortnite publisher Epic Games", "Public broadcaster SVT", "data firm EntTelligence": what a group is
            # called, after the noun saying what it is (not "Union of Concerned Scientists", "data from CME Group")
            name = described.group(2)
            person = len(name.split()) > 1 and _name_gender(name.split()[0]) != "unknown"  # "... legend Gabby Agbonlahor"
            return replace(st, speaker=name, speakers=(name,), speaker_kind="person" if person else st.speaker_kind)
        return st

    # speakers ------------------------------------------------------------------------------------------
    def _statement(self, s: _Sentence, cue: Cue, sentence_quotes: list[tuple[int, int]]) -> Statement | None:
        doc = s.doc
        subject = cue.subject if cue.subject is not None else expletive_source(cue.token)
        people = [p for p in conjuncts(subject) if not (p.pos_ == "PRON" and p.lower_ in ("who", "that", "which"))]
        if people and people[0].pos_ == "PROPN":  # "Fernand Tchouameni, spokesperson and investment advisor": one
            people = people[:1] + [p for p in people[1:] if not is_role(p)]
        elif people and is_role(people[0]) and any(p.ent_type_ == "PERSON" for p in people[1:]):
            # "what fellow artist and collaborator Tony Albert describes": roles coordinated with a name are that person
            people = [p for p in people if not is_role(p)]
        elif people and is_role(people[0]) and (named := _person_named(people[0])) is not None:
            # "Sony Interactive Entertainment president and CEO Jim Ryan said": his titles, one person (not "president
            # Jim Ryan and CFO Hiroki Totoki", two named)
            people = people[:1] + [p for p in people[1:] if not (is_role(p) or is_role_word(p.lower_))
                                   or _person_named(p) not in (None, named)]
        quotes = [(s.start + a, s.start + b) for a, b in sentence_quotes]
        in_quote = any(a <= s.start + cue.token.idx < b for a, b in quotes)
        aside = None if in_quote else _parenthesis(doc.text, cue.token.idx)
        if aside is not None:  # “We pick the best one.” (... DuckDuckGo’s CEO claimed it takes “too many steps”)
            quotes = [(a, b) for a, b in quotes if s.start + aside[0] <= a and b <= s.start + aside[1]]
        if in_quote and any(pronoun_kind(p) for p in people):
            return None  # "they were saying", inside someone's quotation: the quoted speaker's own narrative
        if any(a <= s.start + p.idx < b for p in people for a, b in quotes) and \
                (not in_quote or not all(p.pos_ == "PROPN" for p in people)):
            # a quoted subject of an unquoted verb is quoted words ("“Outflows to insiders,” which suggested"); inside
            # a quotation only a named speaker is reported ("President Trump has long said"), not the speaker's own
            # narrative ("weak signals say", "device tracking does not share")
            return None
        if any(a.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in a.children)
               for a in [cue.token, *cue.token.ancestors]):
            return None  # "if they verify your claims": a condition, not a statement
        if cue.token.pos_ in ("VERB", "AUX") and not is_negated(cue.token) and any(
                c.dep_ == "aux" and (c.lower_ in _HYPOTHETICAL or c.lower_ == "can" and cue.stance not in _ACTS)
                for c in cue.token.children):
            # "they would say", "a teacher can say", "people can call": what might be said, not what was ("could not
            # confirm" is, and "Police can confirm", "can deny": confirming and denying are done by saying so)
            return None
        if len(people) == 1 and people[0].lower_ == "it" and cue.token.tag_ in ("VBN", "VBD") and \
                any(c.dep_ == "aux" and c.lower_ in ("’s", "'s") for c in cue.token.children) and \
                all(c.lower_ in _HEDGES for c in cue.token.children if c.dep_ == "advmod"):
            # "It’s often said that ...", "It’s said that ...": said by no one, though the parser reads "it has said"
            # (not "It’s repeatedly said that it will fix the bug", an organisation's "has said"; "it is said" is a
            # passive without an agent, no statement already)
            return None
        if _reported_by_another(cue.token):
            return None  # "Gray alleged that Google had revealed ...": Gray's claim, not Google's statement
        if not in_quote and doc.text.rstrip(" ”\"").endswith("?"):
            return None  # "What exactly is Epic claiming?" asks, it does not report
        if any(p.lower_ in NARRATORS for p in people):
            return None  # "I reported to ...", "you said": the writer or an interview, not a speaker of the article
        writer = [t for t in doc if t.lower_ in _FIRST_PERSON and t.pos_ == "PRON" and
                  not any(a <= s.start + t.idx < b for a, b in quotes)] \
            if any(p.lower_ in ("it", "they") for p in people) else []
        if writer and not any(
                t.head == cue.token and t.dep_ in ("dative", "dobj", "pobj") or _asks_someone(t) and not (
                    cue.content and cue.content[0] <= t.i < cue.content[1]) for t in writer):
            # "When I did get it working, it suggested I go to Bowling Green", "I asked, “any under $200?” and it
            # replied": a thing or a group in the writer's own account, not a speaker (but "which it tells me works
            # out to ...", "When I contacted Meta, it said ...": the writer asked a named one)
            return None
        names, kinds, resolved, speaking = [], [], True, []
        for person in people:
            speaker = self._speaker(person, s)
            speaking.append(speaker is not None)
            if speaker is None:
                continue
            name, kind, ok = speaker
            if name not in names:
                names.append(name)
                staffed = kind == "person" and person.pos_ == "PROPN" and self._staffed(name)
                kinds.append("organization" if staffed else kind)
            resolved = resolved and ok
        if not names:
            return None
        people = [p for p, spoke in zip(people, speaking) if spoke]
        first, last = min(p.left_edge.i for p in people), max(p.i for p in people)
        as_written = doc[first:last + 1].text if len(people) > 1 else phrase(people[0])
        content = cue.content
        statement_start, statement_end = (s.start + doc[content[0]].idx, s.start + doc[content[1] - 1].idx +
                                          len(doc[content[1] - 1])) if content else (s.start, s.end)
        verb_at = s.start + cue.token.idx
        opening = min((a for a, _ in quotes if statement_start < a < statement_end), default=None)
        if opening is not None and _CAPTION.match(self.body, statement_start) and not any(
                t.pos_ in ("VERB", "AUX") for t in doc if statement_start <= s.start + t.idx < opening):
            # "Credit: Bloomberg, AP “There is disagreement ...,” Altman said": the splitter ran a photo's credit into
            # the sentence, and the parse into what was said; what was said opens with the quotation (not "Photo by AP
            # Workers expect the deal to be “a disaster”", where it opens before)
            statement_start = opening
        for a, b in quotes:
            if statement_start < a < statement_end < b and not a <= verb_at < b:
                # "the fee “won’t stop bots completely, but it will be 1000x harder ...”": the parse cut the clause at
                # a comma inside its quotation, which goes on
                statement_end = b
        inside = [q for q in quotes if q[0] < statement_end and q[1] > statement_start]
        outside_quote = [q for q in quotes if not (q[0] <= s.start + cue.token.idx < q[1])]
        quote = max(inside or ([] if content else outside_quote), key=lambda q: q[1] - q[0], default=None)
        sentence_start = s.start
        if quote is None and not content:
            quote = self._quotation_before(s)  # “... all this time?’” / Sinha said.
            if quote is not None:
                sentence_start = self.sentences[s.index - 1].start
        within_quote = quote is not None and quote[0] <= statement_start and statement_end <= quote[1]
        cue_end = s.start + cue.token.idx + len(cue.token)
        framing = quote is not None and not content and not in_quote and (
            quote[0] >= s.start and not self.body[s.start:quote[0]].strip(" “\"‘'") or
            quote[0] >= cue_end and not self.body[cue_end:quote[0]].strip(" ,:“\"‘'"))
        if quote is not None and (not inside or within_quote and not in_quote or framing):
            # “...,” Peskov said: what was said is the quotation (also when the parse took a word of it for the clause,
            # “... tell your relatives that,” Zar said, or found no clause and the quotation opens the sentence or
            # follows the verb, Ozkan noted, “...”; not a few quoted words inside the author's sentence)
            statement_start, statement_end = quote
        split = None if quote is None or in_quote else \
            self._split_quotation(s, cue, subject, quotes, (statement_start, statement_end))
        if split is not None:
            quote, joined_words = split
            statement_start, statement_end = quote
        if not content and quote is None and cue.stance != "decline":
            # no clause and no quotation: what was said is the sentence around "X said" ("Laid off about 50% of its
            # staff, the company confirmed November 3"); nothing around it is narration ("Pichai testified Monday")
            if _narrated(cue.anchor):
                return None  # "after she testified publicly", "but Dubravka conceded twice": the author's narration
            if aside is not None and len(doc.text[aside[0]:aside[1]].split()) > _ASIDE_WORDS:
                return None  # "(... DuckDuckGo’s CEO, who testified last week, ...)": not "Hopefully (they say) ..."
            statement = _around_attribution(cue.anchor, subject)
        else:
            # "the Hamas attacks that the Israeli government said killed 1,400 people": what was said is of the noun
            # the relative clause hangs on ("the 7 October Hamas attacks killed 1,400 people")
            statement = joined_words if split is not None else \
                content and quote is None and _with_antecedent(cue.anchor)
            if not statement and cue.stance != "decline" and cue.aside is None and \
                    statement_start <= verb_at < statement_end and not any(a <= verb_at < b for a, b in quotes):
                # what was said holds its own attribution: the parse found no clause of it. Its quotation, when of a
                # few words, is what was said ("In response to stepping down, Zhao said, “...” adding, “...”": the
                # longest); a relative clause naming something ("what he called his ‘dream job’", "which O'Neil said
                # he appreciated") says nothing; else it stays as it is (a refusal is its whole sentence: "PayPal did
                # not respond")
                first = next((t for t in doc if s.start + t.idx + len(t) > statement_start), None)
                if quote is not None and len(self.body[quote[0]:quote[1]].split()) >= _QUOTATION_WORDS:
                    statement_start, statement_end = quote
                elif first is not None and first.tag_ in ("WDT", "WP", "WP$"):
                    return None
            statement = statement or self._without_aside(s, cue, statement_start, statement_end).strip(
                " ,.;:“”\"").removeprefix("that ")
        if content and doc[content[0]].lower_ == "which" and cue.token.dep_ == "parataxis":
            # "... they can help the body go into ketosis, Antoun noted, “which is wonderful for the brain.”", "The
            # diet, Antoun noted, “which is wonderful ..., helps the body.”": a relative clause is said with the words
            # before the attribution of the clause it hangs on
            clause = doc[cue.token.head.left_edge.i:cue.token.left_edge.i].text.strip(_EDGES)
            statement = f"{clause}, {statement}"
        # (also around a few quoted words, "Is cutting “just over 180” roles ..., VP Christoph Hartmann wrote", and
        # after a participle, "Laid off 25 employees, CEO Ali Asaria said")
        heading = self._heading_over(s) if doc[0].pos_ in ("VERB", "AUX") and (
            doc[0].tag_ in FINITE_TAGS or doc[0].tag_ == "VBN" and not any(
                c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass") for c in doc[0].children) and not (
                doc[0].dep_ == "advcl" and doc[0].head != cue.anchor and
                any(c.dep_ in ("nsubj", "nsubjpass") for c in doc[0].head.children))) else None
        # (not an opening participle phrase: "Founded in 2011, it now employs 500 people, the company said")
        if heading is not None and statement.startswith(doc[0].text):
            # "Tidal / Is laying off more than 10% of its staff, the company confirmed": the entry's name is the subject
            # the sentence leaves out
            statement = f"{heading} {statement[:1].lower()}{statement[1:]}"
        # "... “as intense as it gets,” reports Bloomberg", "..., according to a Pew Research report": another's
        # attribution closing the clause is not what was said
        statement = _CLOSING_ATTRIBUTION.sub("", statement) or statement
        subject_before = _subject_before_attribution(cue.token, statement_start - s.start)
        if subject_before is not None:
            # "Skin colour, she says, “is not irrelevant ...”": what was said with its subject, written before the
            # attribution that breaks into it
            statement = f"{subject_before} {statement}"
        # "issuing a warning", "block denies Garnacho", "told People", "told me": one word is not what was said
        # ("Russia denied it" is a denial, though)
        if quote is None and _one_word(statement) and statement.lower() not in _SAID_WORDS or \
                not re.search(r"\w", statement):
            return None  # and a quotation of no words at all (“…”)
        if quote is None and cue.stance in _CONTENT_STANCES and statement.lower() not in _SAID_WORDS and \
                _says_nothing(statement):
            # "it might", "they will", "there are too many", "That’s": what was said is not there; a denial or a
            # confirmation is the act itself ("Smith denied that he did", "a spokesman confirmed she had")
            return None
        if content and quote is None and cue.stance in CLAUSE_STANCES and statement.lower() not in _SAID_WORDS and \
                not any(t.pos_ in ("VERB", "AUX") for t in doc[content[0]:content[1]]):
            # "called racial slurs", "confirmed friendly of the preseason", "called Adam Yedidia to the stand",
            # "described himself as a bookworm": words with no verb say nothing (what is denied or alleged may be a
            # noun: "denied any wrongdoing")
            return None
        if not content and quote is None and cue.anchor.dep_ == "relcl":
            return None  # "the upheaval that he had warned against": a relative clause that reports nothing
        if cue.topic_only and not inside:
            return None  # "OpenAI published a post announcing the executive shake-up": the topic, not the words
        # "according to" a publication or a document reports; according to a person, that person said it, and what a
        # person "revealed" (in an interview, not a study) was said too
        stance = "say" if kinds[0] == "person" and _said_by_person(cue.token) else cue.stance
        if _NO_COMMENT.fullmatch(statement):
            stance = "decline"  # 'only responded “no comment”'
        return Statement(self.article_id, names[0], tuple(names), as_written, resolved, kinds[0], stance,
                         cue.token.text, statement, self.body[quote[0]:quote[1]] if quote else None, sentence_start,
                         s.end, quote[0] if quote else None, quote[1] if quote else None)

    def _split_quotation(self, s: _Sentence, cue: Cue, subject, quotes: list[tuple[int, int]],
                         said: tuple[int, int]) -> tuple[tuple[int, int], str] | None:
        """A quotation its attribution breaks in two, as one: “If I didn’t see it, and I didn’t prepare, and something
        happened,” Sinha told me, “I would never forgive myself.” -> ((from the first quoted word to the last, the
        attribution between included, as `_joined` does across sentences), the words of both parts). None unless what
        was `said` is one of two quotations (give or take their marks) with only the cue's attribution between them
        (its subject, its verb and words hanging on the verb with no subject and no reporting verb of their own: not
        "one fan commented, while another person wrote", nor "Smith said, adding, “...”", which is a statement of its
        own), the first opening the sentence (or following a colon) and broken off at a comma, the second opening after
        the attribution's comma, colon or full stop, ending the sentence and holding a verb (not a name or a title the
        attribution gives: told "Globes", "in his book, “The Long Game.”")."""
        verb_at = s.start + cue.token.idx
        for first, second in zip(quotes, quotes[1:]):
            if not first[1] <= verb_at < second[0]:
                continue
            if not any(said[0] < b and a < said[1] and not self.body[said[0]:a].strip(" “\"") and
                       not self.body[b:said[1]].strip(" ”\".") for a, b in (first, second)):
                return None
            opening = self.body[s.start:first[0]].strip(" “\"‘'")
            broken_off = self.body[first[0]:first[1]].rstrip()
            if opening and not opening.endswith(":") or not broken_off.endswith(",") or \
                    not self.body[first[1]:second[0]].rstrip(" “\"").endswith((",", ":", ".")) or \
                    self.body[second[1]:s.end].strip(" ”\".!?)"):
                return None
            between = [t for t in s.doc if first[1] <= s.start + t.idx < second[0] and not (t.is_punct or t.is_space)]
            for word in between:
                if word.dep_ in ("nsubj", "nsubjpass") and word != subject or \
                        word != cue.token and word.lemma_.lower() in _REPORTING_LEMMAS and word.pos_ == "VERB" or not (
                        word == cue.token or cue.token in word.ancestors or
                        subject is not None and (word == subject or subject in word.ancestors)):
                    return None
            if not any(t.pos_ in ("VERB", "AUX") for t in s.doc if second[0] <= s.start + t.idx < second[1]):
                return None  # a title or a name ("in his book, “The Long Game.”"), not the rest of what was said
            return (first[0], second[1]), f"{broken_off} {self.body[second[0]:second[1]].strip()}".strip(" ,.;:“”\"")
        return None

    def _without_aside(self, s: _Sentence, cue: Cue, start: int, end: int) -> str:
        """The body's words from `start` to `end` less the cue's aside ("according to X" inside what was said): "The
        effect has been positive", "With 2,000 servers in 160 cities, it had ..." (a comma stays after an opening
        phrase, not between a subject and its verb)."""
        if cue.aside is None:
            return self.body[start:end]
        doc = s.doc
        first, last = doc[cue.aside[0]], doc[cue.aside[1] - 1]
        aside_start, aside_end = s.start + first.idx, s.start + last.idx + len(last)
        if not start < aside_start < aside_end < end:
            return self.body[start:end]
        after_aside = next((t for t in doc[cue.aside[1]:] if not t.is_punct), None)
        verb = after_aside.head if after_aside is not None and after_aside.dep_ in ("aux", "auxpass", "neg") else \
            after_aside
        # "The effect, according to Livingstone, has been positive": between a subject and its verb, no comma
        subject_before = verb is not None and any(t.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") and t.head == verb
                                                  for t in doc[cue.content[0]:cue.aside[0]])
        before, after = self.body[start:aside_start].rstrip(" ,—–"), self.body[aside_end:end].lstrip(" ,—–")
        return before + (" " if subject_before else ", ") + after

    def _quotation_before(self, s: _Sentence) -> tuple[int, int] | None:
        """The quotation that ends the sentence before `s` in its paragraph, when the sentence splitter cut a
        quotation from its attribution ("“... all this time?’” Sinha said." reads as two sentences)."""
        if s.index == 0 or s.opens_paragraph:
            return None
        before = self.sentences[s.index - 1]
        text = self.body[before.start:before.end]
        quotes = quoted_spans(text, before.open_at_start)
        if not quotes or not text.rstrip().endswith(("”", '"')) or quotes[-1][1] < len(text.rstrip()) - 1:
            return None
        return before.start + quotes[-1][0], before.start + quotes[-1][1]

    def _speaker(self, token, s: _Sentence) -> tuple[str, str, bool] | None:
        """(name, kind, resolved) of one subject token; None when it is no one who can speak (a common noun that
        `can_speak` rejects, a number, "This"), or a quantifier with no "of" phrase saying of whom ("some", "one")."""
        if token.pos_ == "PROPN" and token.ent_type_ == "DATE" and token.text in _WEEKDAYS:
            return None  # "Trump had said Tuesday said": a day is no speaker
        need = pronoun_kind(token)
        if need is not None:
            found = self._antecedent(token, need, s)
            if found is not None and found[1] == "unknown" and not is_pronoun(token.text):
                return found[0], _role_kind(token), found[2]  # "the company": an organisation
            if found is not None and need == "PERSON" and token.tag_ == "NNS" and not is_pronoun(token.text) and \
                    found[1] == "person" and found[0].lower().split()[-1] != token.lower_:
                # "the prosecutors", "the FTX lawyers" are several people: no one person's name ("Nishad Singh", "Gary
                # Player" for "the players"), only those described with the same word ("UBC researchers")
                found = None
            if found is not None and need == "PERSON" and found[0] != UNRESOLVED_SPEAKER:
                return found[0], "person", found[2]  # whom "he" or "the spokesman" stands for is a person
            if found is not None:
                return found
            if is_pronoun(token.text):
                return self._same_pronoun_before(token, s) or self._role_before(token, s) or \
                    (UNRESOLVED_SPEAKER, "unknown", False)
            return without_article(phrase(token)), _role_kind(token), False
        if is_role(token) and any(c.dep_ == "poss" and c.lower_ in _POSSESSIVE_PRONOUNS for c in token.children) and \
                all(c.dep_ in ("poss", "amod", "punct") for c in token.children):
            # "her father said" after "her grief-stricken father, Thomas Hand, told ...": the person the article
            # introduced in that role (else the role as written: the nearest name is more often the one it belongs to)
            owner = next(c.lower_ for c in token.children if c.dep_ == "poss")
            introduced = self._introduced_before(token, s)
            if introduced is not None and re.search(
                    rf"\b{owner}\s+(?:[\w’'-]+\s+){{0,3}}{re.escape(token.text)},?\s+(?:(?:{'|'.join(_TITLES)})\.?\s+)?"
                    rf"{re.escape(introduced[0])}\b", self.body, re.IGNORECASE):
                # named right after the role with the same owner, not near it ("went back to Burke, and her mother"),
                # nor another's ("Smith's lawyer, Jane Clark, ... Her lawyer said")
                return introduced
        named = next((c for c in token.children if c.dep_ == "appos" and c.pos_ == "PROPN"), None)
        if named is not None and (any(c.dep_ == "case" for c in token.children) or
                                  token.pos_ == "NOUN" and named.left_edge.i == token.i + 1) or \
                (named := _name_set_off(token)) is not None:
            # "Infinity Ventures’ Jeremy Jonker said": the person after the owner's name; "according to ad tracking
            # firm iSpot": the firm's name; "general manager of women’s football at the AFL, Nicole Livingstone,
            # said": the name set off after the role's phrase
            token = named
        source = _object_of(token, ("from", "by"))
        if token.lemma_.lower() in _CARRIERS and source is not None:
            token = source  # "said a statement from Rep. Mariannette Miller-Meeks"
        person = _person_named(token)
        if person is not None:
            person = self._owner_cut(person)
            if person.end <= token.i and all(t.pos_ == "PROPN" or t.text == "-" or t.text in _SURNAME_PARTICLES
                                             for t in token.doc[person.end:token.i + 1]):
                # "Jo-Wilfried" labelled, "Tsonga" the subject: one name; "Erik" labelled, "ten Hag" after it
                person = token.doc[person.start:token.i + 1]
            return person.text.removesuffix("’s").removesuffix("'s"), "person", True
        titled = _titled_name(token)
        if titled is not None:
            return titled, "person", True
        entity = next((e for e in token.doc.ents if e.start <= token.i < e.end), None)
        if token.pos_ != "PROPN" and (entity is None or entity.label_ not in _NAME_LABELS) and \
                not self._written_as_name(token.text):
            # "one of Poyer's teammates" speaks as its teammates would, "most of them" as whoever they are; "the
            # touchscreen", "Several tools", "Some" (no "of" phrase) do not
            whole = _object_of(token, ("of",)) if token.lemma_.lower() in _QUANTIFIERS else None
            if not (whole is not None and pronoun_kind(whole) or can_speak(whole if whole is not None else token)):
                return None
        named = self._named_source(token, s) if token.pos_ == "NOUN" else None
        if named is not None:
            return named, _kind(token, entity, named), True
        issuer = self._issuer(token, s) if token.pos_ == "NOUN" else None
        if issuer is not None:
            return issuer
        name = without_article(phrase(token)).removesuffix("’s").removesuffix("'s")  # "VC firm Atomico’s annual ..."
        described = any(c.dep_ == "appos" and NOUN_TYPES.get(c.lemma_.lower()) == "person" for c in token.children)
        seen = any(st.speaker_kind == "person" and st.speaker.split()[-1] == name.split()[-1] for st in self.found)
        if token.pos_ == "PROPN" and (described or seen or entity is not None and len(entity) == 1 and
                                      self._labelled_full_name(token.text)):
            # "Marcus Bell, a senior analyst", "Okafor" after "Lena Okafor confirmed", "Parton" (labelled an
            # organisation) in an article that names "Dolly Parton"
            return name, "person", True
        return name, _kind(token, entity, name), True

    def _written_as_full_name(self, name: str) -> bool:
        """Whether `name` begins with a first name the lists know and the body opens with it or writes it inside a
        sentence at least once ("actor Will Smith"), not only at a sentence's start where a verb may precede the surname
        ("Said Bradley")."""
        return _name_gender(name.split()[0]) != "unknown" and \
            re.search(rf"(?:^|[\w,;:’'”\")] ){re.escape(name)}\b", self.body) is not None

    def _written_as_name(self, word: str) -> bool:
        """Whether the body capitalises `word` inside a sentence ("and Sinha", ", Valve", "” Sinha said"): a name the
        tagger took for a common noun at the start of its sentence ("Sinha said"), unlike "Credit" or "Batteries"."""
        if word not in self._name_cache:
            self._name_cache[word] = word[:1].isupper() and re.search(
                rf"(?:[a-z0-9,;]|(?<![.?!])[”\"’)]) {re.escape(word)}(?![\w:])", self.body) is not None
        return self._name_cache[word]

    def _antecedent(self, token, need: str, s: _Sentence) -> tuple[str, str, bool] | None:
        """What a pronoun or role noun refers to. A role noun ("the aide") first takes the earlier speaker described
        with the same noun, then the person the article introduced with it (`_introduced_before`); a pronoun, the
        named subject of the clause its own is joined to ("Martino was asked about Jordi Alba, and he stated"). Then,
        walking back from the word over its sentence and up to `_LOOKBACK` sentences before (parsed when needed): a
        sentence's speaker of the fitting kind (not a definite description left unnamed), else its fitting labelled
        name, the subject's first ("Manchester United legend Peter Schmeichel lashed ...": Schmeichel; "he": PERSON,
        or a name already seen speaking as a person); names inside quotations are never antecedents. Unlabelled proper
        nouns count only when no labelled one was found in the window. A role noun takes the sentence that introduced
        it ("A Binance spokesperson told ..."); every candidate must agree with the pronoun (`_could_be`: kind and
        gender) and not be its verb's object or its clause's subject. Before all of these, "it" or "the company" opening
        an entry of a list article is the entry's heading (`_heading_over`), and a role noun written with modifiers
        ("the ride-hail company") takes only an earlier speaker written with them too. A bare group noun ("the
        company") whose last speaker so described is beyond `_LOOKBACK` sentences takes a name of the window only
        when it is a subject or an owner there ("Meta said in a report ..."), else that speaker; "it" and "they"
        never take a name that only qualifies a thing (`_modifier`: "U.S. economic sanctions")."""
        heading = self._heading_over(s) if need == "GROUP" else None
        if heading is not None:
            # "Liberty Mutual" / "Plans to cut 850 members of its staff, the insurance company confirmed": in a list
            # of entries under names, the entry's name
            kind = _kind_of_words(heading)
            return heading, kind if kind != "unknown" else _role_kind(token) if not is_pronoun(token.text) else \
                "organization", True
        described_before = None
        if not is_pronoun(token.text):
            role = token.lemma_.lower()
            # "the company" after "The ride-hail company claims": that one; "the AI company" only one described so
            described = {role} | _describing_words(token)
            described_before = next((earlier for earlier in reversed(self.found) if earlier.start < s.start and described <= set(
                words := re.split(r"[\s-]+", earlier.speaker_as_written.lower())) and earlier.speaker_resolved and
                (need == "PERSON" or not _role_after(words, role))), None)
            if described_before is not None and (need == "PERSON" or len(described) > 1 or
                                                 self._verbs[id(described_before)][0] >= s.index - _LOOKBACK):
                # a bare "the company" further back than `_LOOKBACK` sentences is another company when a subject
                # nearer names one ("Meta said in a report ... The company said"); see the window walk below
                return described_before.speaker, described_before.speaker_kind, True
            introduced = self._introduced_before(token, s) if need == "PERSON" else None
            if introduced is not None:
                return introduced
            named = self._named_source(token, s) if need == "GROUP" else None
            if named is not None:
                return named, "organization", True  # "the startup" after "E-commerce search startup Deft"
        unlabelled = None
        # names the article has already shown speaking as persons ("Musk said ..."), whatever the model labels them
        # and, for "he" or "she", those speaking of themselves so anywhere ("Kelce said he ...")
        people = {st.speaker.split()[-1] for st in self.found if st.speaker_kind == "person"} | (
            set(self._self_named) if is_pronoun(token.text) else set()) if need == "PERSON" else set()
        gender = _PRONOUN_GENDER.get(token.lower_) or _GENDERED_PEOPLE.get(token.lemma_.lower())  # "he", "the father"
        # "The Oscar-winner said she wants ...", "The "High Heat" co-host said she was irritated": a person described by
        # who they are speaks of themself, so not a name of the other gender (a bare role may speak of another: "The
        # coach said she was brilliant", "The lawyer said she would plead not guilty")
        said_of_self = _gender_said_of_self(token) if need == "PERSON" and gender is None and \
            not is_pronoun(token.text) and _described(token) else None
        lean = gender or said_of_self
        # "He suggested Teale might ...", "he told Teale": a subject pronoun does not stand for a name after it that is
        # its verb's object or its clause's subject ("While Foster didn't ..., he said" may be Foster; "It said ... a
        # body within the Commission" may be the Commission)
        bound = _bound_names(token)

        # "the company" is an organisation, "the ministry" a government: never "Taiwan" or "the European Union"
        role_kind = _kind_of_words(token.lemma_) if need == "GROUP" and not is_pronoun(token.text) else None

        def agrees(name: str, kind: str) -> bool:
            if role_kind is not None and kind != role_kind and not (
                    role_kind == "organization" and kind == "unknown" and name[:1].isupper()):
                return False  # "the company" may be a name of unknown kind ("Open AI"), not "a review" that found
            if role_kind == "organization" and self._names_person(name):
                return False  # nor a person's name, whatever the model labels it ("Lionel", "Migicovsky")
            return not set(name.split()) & bound and self._could_be(name, kind, need, gender) and \
                (said_of_self is None or said_of_self in self._genders(name) or not self._genders(name))

        deferred, deferred_at = None, 0
        parallel = _parallel_subject(token) if is_pronoun(token.text) else None
        entity = parallel and next((e for e in parallel.doc.ents if e.start <= parallel.root.i < e.end), None)
        if parallel is not None and (entity is None or entity.label_ in _NAME_LABELS):
            if entity is not None and entity.label_ == "PERSON":
                name, kind = entity.text, "person"
            else:
                name, kind = parallel.text, _span_kind(entity) if entity is not None and need == "GROUP" else "unknown"
            if agrees(name, kind):
                return _bare_name(name), kind if kind != "unknown" else _span_speaker([parallel], need)[1], True
        chained: set[int] = set()  # earlier sentences whose subject is this same "he" or "she" (`_looking_back`)
        for back in self._looking_back(s.index, chained):
            earlier = self.sentences[back]
            # (a role noun takes a named speaker, or one described as a person of its gender: "The woman said" after
            # "mother"; "The father said" is not "A police spokesperson" of the sentence before)
            speakers = [st for st in self.found if st.start == earlier.start and st.speaker_resolved and
                        len(st.speakers) == 1 and not _unnamed_reference(st) and
                        (is_pronoun(token.text) or not st.speaker[:1].islower() or
                         _described_alike(token, st.speaker)) and (
                            agrees(_owned_name(st.speaker), st.speaker_kind) or token.lower_ in ("they", "them") and
                            st.speaker_kind == "person" and _role_only(st))]  # "a Roblox spokesperson ... they said"
            if speakers:
                return speakers[-1].speaker, speakers[-1].speaker_kind, True
            if deferred is not None and back < deferred_at - 1:
                break  # a name in a prepositional phrase gives way only to a speaker or subject just before it
            self._read_names({back})
            if earlier.doc is None:
                continue
            if gender is not None and back < s.index and _continues_pronoun(earlier.doc, token):
                # "Like Schwartz, he wanted ...": the sentence continues the same "he", so the names it mentions are
                # others; it is not counted against the lookback
                chained.add(back)
                continue
            quoted = quoted_spans(earlier.doc.text, earlier.open_at_start)
            introduced = self._introduced(token, earlier, True) if back == s.index and need == "PERSON" and \
                not is_pronoun(token.text) else None  # earlier sentences: `_introduced_before`
            if introduced is not None:
                return introduced, "person", True
            # a surname the small model labels an organisation, nationality or place ("Scorsese", "Bankman-Fried")
            # is a weak candidate
            spans = [span for span in map(self._owner_cut, named_spans(earlier.doc)) if (fits(span, need) or span.text in people or
                                                                   need == "PERSON" and self._mislabelled_person(span))
                     and (back < s.index or span.end <= token.left_edge.i)
                     and not any(a <= span.start_char < b for a, b in quoted)
                     and not _describing_prefix(span)
                     and not (need == "GROUP" and (_modifier(span) or is_pronoun(token.text) and _place_aside(span)))
                     and agrees(span.text, _span_kind(span) if need != "PERSON" else "person" if span.label_ == "PERSON"
                                else "organization" if span.label_ in _MISLABELLED else "unknown")]
            nearest = spans[-1:] or None
            spans.sort(key=lambda span: not any(w.dep_ in ("nsubj", "nsubjpass") for w in span))  # subjects first
            labelled = [span for span in spans if span.label_ and fits(span, need) or span.text in people]
            # a name whose gender is the pronoun's ("Abrams", with "Rachel Abrams" named before) comes before a lone
            # word that no full name of the article ends with ("Uber", which the small model may label a person)
            matching = [span for span in spans if lean is not None and self._genders(span.text) == {lean}]
            chosen = matching if matching and (not labelled or self._lone_word(labelled[0].text)) else labelled
            if chosen and (back < s.index or all(_in_what_is_said(span, token) for span in chosen)) and \
                    deferred is None and all(_prepositional(span) and (need == "PERSON" or not _in_subject(span)) or
                                             _object_only(span) for span in chosen):
                # "The departures of, among others, Mason Mount, Kai Havertz ... / “...,” he said", "support for Rugby
                # Australia ... / They added": the names a sentence only mentions give way to the speaker or subject
                # of the sentence before it (not, for "they" or "it", a name in the subject it may stand for: "Several
                # school systems, including New York City Public Schools, have banned ChatGPT. They claim ...")
                deferred, deferred_at = chosen, back
                continue
            if chosen and described_before is not None and not any(
                    w.dep_ in ("nsubj", "nsubjpass", "poss") for span in chosen for w in span):
                continue  # "the company" far from the last one described so: only a subject near it is another one
            if chosen:
                return _span_speaker(chosen, need)
            unlabelled = unlabelled or nearest
        if described_before is not None:
            return described_before.speaker, described_before.speaker_kind, True
        if deferred is not None:
            return _span_speaker(deferred, need)
        if unlabelled:
            return _span_speaker(unlabelled, need)
        return None

    def _same_pronoun_before(self, token, s: _Sentence) -> tuple[str, str, bool] | None:
        """Whom a "he" or "she" with no antecedent within `_LOOKBACK` stands for: the person most of the article's
        earlier statements of the pronoun's gender are given to (resolved from the same pronoun, or named and of that
        gender), when more than half of them are: a story about one person goes on calling her "she" paragraphs after
        the last "Spears". None for other pronouns, or when no one is that person."""
        gender = _PRONOUN_GENDER.get(token.lower_) if token.lower_ in ("he", "she") else None
        if gender is None:
            return None
        bound = _bound_names(token)
        speakers = Counter(earlier.speaker for earlier in self.found if earlier.start < s.start and
                           not set(earlier.speaker.split()) & bound and
                           earlier.speaker_kind == "person" and earlier.speaker_resolved and len(earlier.speakers) == 1
                           and (earlier.speaker_as_written.lower() == token.lower_ or
                                not is_pronoun(earlier.speaker_as_written) and self._genders(earlier.speaker) == {gender}))
        top = speakers.most_common(1)
        if top and top[0][1] * 2 > sum(speakers.values()):
            return top[0][0], "person", True
        return None

    def _role_before(self, token, s: _Sentence) -> tuple[str, str, bool] | None:
        """Whom a "he" or "she" that no name fits stands for: the nearest subject before it, within `_LOOKBACK`
        sentences, the subject of its sentence's main clause (not of a clause inside it: "A police spokesperson said the
        man was armed. He said ..."), that is one person described and not named, of the pronoun's gender or of none
        ("the mother — who goes by the username u/PopShort7064 — asked ... She added" -> mother; "A woman called Jane
        Doe ... She said" -> Jane Doe; not "the father" for "she", nor "the actor" a statement named Owen Teale);
        None when there is none."""
        gender = _PRONOUN_GENDER.get(token.lower_) if token.lower_ in ("he", "she") else None
        if gender is None:
            return None
        for back in self._looking_back(s.index, set()):
            self._read_names({back})
            doc = self.sentences[back].doc
            if doc is None:
                continue
            quoted = quoted_spans(doc.text, self.sentences[back].open_at_start)
            named = {w.lower() for st in self.found if st.start == self.sentences[back].start and
                     st.speaker[:1].isupper() and st.speaker != st.speaker_as_written
                     for w in st.speaker_as_written.split()}  # "says the 62-year-old Welsh actor": Owen Teale's
            subjects = [t for t in doc if t.dep_ in ("nsubj", "nsubjpass") and t.tag_ == "NN" and
                        (back < s.index or t.i < token.i) and not any(a <= t.idx < b for a, b in quoted) and
                        (is_role(t) or t.lemma_.lower() in _GENDERED_PEOPLE) and t.lower_ not in named and
                        not any(c.lower_ in ("no", "any", "every", "each", "which", "what", "neither")
                                for c in t.children) and
                        not any(a.dep_ in ("ccomp", "relcl", "advcl") for a in t.ancestors) and
                        _GENDERED_PEOPLE.get(t.lemma_.lower(), gender) == gender]
            if subjects:
                role = subjects[-1]
                return _named_as(role) or without_article(phrase(role)), "person", True
        return None

    def _heading_over(self, s: _Sentence) -> str | None:
        """The name heading the entry `s` opens or continues (its paragraph's first or second sentence), in an article
        that is a list of entries under names (`_entry_headings`): "Liberty Mutual", "Delivery Hero"; None otherwise."""
        if not (s.opens_paragraph or s.index > 0 and self.sentences[s.index - 1].opens_paragraph):
            return None
        return self._entry_headings().get(s.paragraph - 1)

    def _entry_headings(self) -> dict[int, str]:
        """The headings of an article written as a list of entries under names, by paragraph: paragraphs of one
        sentence of one to three capitalised words, with no possessive and no closing punctuation ("Liberty Mutual";
        not "America’s Favorite Video Today"), when there are at least `_LIST_ENTRIES` different ones; else none (a
        lone "Advertisement" or "Background" heads no entry)."""
        if self._entries is None:
            headings = {}
            for paragraph, group in groupby(self.sentences, key=lambda t: t.paragraph):
                sentences = list(group)
                text = self.body[sentences[0].start:sentences[0].end].strip() if len(sentences) == 1 else ""
                words = text.split()
                if 1 <= len(words) <= 3 and not text.endswith((".", "?", "!", ":", "”", '"')) and \
                        not re.search(r"[’']s\b", text) and \
                        all(w[:1].isupper() or w[:1].isdigit() or w in ("of", "and", "&") for w in words):
                    headings[paragraph] = text
            self._entries = headings if len(set(headings.values())) >= _LIST_ENTRIES else {}
        return self._entries

    def _introduced_before(self, token, s: _Sentence) -> tuple[str, str, bool] | None:
        """What a role noun refers to when no earlier speaker was described with it: the nearest earlier sentence of
        the article that introduced the role with a name ("the commissioner" paragraphs after "EU Commissioner Ylva
        Johansson", "the exec" after "a longtime NFL exec"), before any name that merely stands near it."""
        mention = re.compile(rf"\b{re.escape(token.text)}\b", re.IGNORECASE)
        for earlier in reversed(self.sentences[:s.index]):
            text = self.body[earlier.start:earlier.end]
            if not mention.search(text) or _headline(text, earlier.open_at_start):
                continue  # (nor a headline: "WASHINGTON PASTOR, ONCE GRAVELY ILL, SHARES ...")
            self._read_names({earlier.index})
            found = self._introduced(token, earlier, False) if earlier.doc is not None else None
            if found is not None:
                return found, "person", True
        return None

    def _named_source(self, token, s: _Sentence) -> str | None:
        """The name of a document or publication noun ("a new report by SlashNext", "the report", "the magazine") or of
        an organisation noun ("the startup", "the club"): the name it is written with, else, for a bare definite one,
        its nearest earlier mention with a name — "the Amnesty report", "Amnesty International’s report", "a report
        published by SlashNext", "Time magazine", "Daye, a British startup" -> "Amnesty report", "Amnesty
        International report", "SlashNext report", "Time magazine", "Daye"; None when no name says whose or which it
        is ("its report", or the article never names it)."""
        lemma = token.lemma_.lower()
        if lemma not in _NAMED_SOURCES | _NAMED_ORGANISATIONS:
            return None
        document = lemma in _NAMED_SOURCES

        def name_of(noun) -> str | None:  # "SlashNext report" for a document, "Daye" for an organisation
            entity = next((e for e in noun.doc.ents if e.start <= noun.i < e.end), None)
            if not document and entity is not None and entity.label_ == "ORG" and \
                    entity.root.dep_ in ("nsubj", "nsubjpass"):
                return _full_name(noun)  # "The University of Michigan suspended ...", not "worked for the University of"
            owner = _source_owner(noun) if document else _named_as(noun)
            return owner if owner is None or not document else _owned(owner, noun)

        # "the central bank" is not "the investment bank": an organisation's mention carries the noun's describing words
        described = set() if document else _describing_words(token)

        named = name_of(token)
        if named is not None:
            return named
        if not any(c.lower_ in _DEFINITE - {"his", "her", "their", "its", "our"} for c in token.children):
            return None
        mention = re.compile(rf"\b{re.escape(lemma)}(?:s|es)?\b", re.IGNORECASE)
        for earlier in [s, *reversed(self.sentences[:s.index])]:
            if not mention.search(self.body[earlier.start:earlier.end]):
                continue
            self._read_names({earlier.index})
            if earlier.doc is None:
                continue
            words = [w for w in earlier.doc if w.lemma_.lower() == lemma and w.pos_ in ("NOUN", "PROPN")
                     and (earlier is not s or w.i < token.i) and (w.tag_ == "NNS") == (token.tag_ == "NNS")
                     and described <= {c.lower_ for c in w.children}]
            for word in reversed(words):
                named = name_of(word)
                if named is not None:
                    return named
                if not document and word.ent_type_ == "ORG":
                    continue  # "University of Michigan President Santa Ono": a name in passing, read past
                # "The survey findings": the findings' "The" (a document's; "the club's fans" may be another club)
                holder = word.head if word.dep_ == "compound" and document else word
                if not any(c.lower_ in ("the", "this", "that") for c in holder.children):
                    return None  # "its report", "a report": the nearest mention names no one
        return None

    def _issuer(self, token, s: _Sentence) -> tuple[str, str, bool] | None:
        """Who issued the document a definite noun stands for when no name says whose it is: the speaker of the
        nearest earlier statement made in it or according to it ("The statement said ..." after "OpenAI said in a
        statement"; "The letter also said" after "In the letter, Michigan said"; not "said of the report") or, within
        `_LOOKBACK` sentences, made with the verb the noun is formed from ("The report stated" after "USA Today’s Bob
        Nightengale reported"; the noun is the verb's stem with a noun's ending: report, statement, announcement,
        release, not "statistic"), or written ("The report says" after "Amot wrote"). None for a person's or a group's
        noun, or when no such statement comes before."""
        lemma = token.lemma_.lower()
        if is_role_word(lemma) or lemma in _KIND_NOUNS or \
                not any(c.lower_ in ("the", "this", "that") for c in token.children):
            return None
        for earlier in reversed(self.found):
            if earlier.start >= s.start or not earlier.speaker_resolved or _unnamed_reference(earlier) or \
                    earlier.speaker == without_article(earlier.speaker_as_written) and earlier.speaker[:1].islower():
                continue  # a speaker the article names ("OpenAI", "Hasbro website"), not "the company", "the report"
            index, verb = self._verbs[id(earlier)]
            if any(w.lemma_.lower() == lemma and w.dep_ == "pobj" and w.head.head == verb and (
                    w.head.lower_ in ("in", "through", "via") or verb.lower_ == "according") for w in verb.subtree):
                return earlier.speaker, earlier.speaker_kind, True  # "said in a statement", "In the letter, ... said"
            stem = verb.lemma_.lower().removesuffix("e")
            formed = len(stem) >= 4 and lemma.startswith(stem) and lemma[len(stem):] in _NOUN_ENDINGS
            written = verb.lemma_.lower() == "write" and lemma in _WRITINGS and _writes_no_other(verb, lemma) and \
                not _has_own_author(token)
            if index >= s.index - _LOOKBACK and (formed or written):
                return earlier.speaker, earlier.speaker_kind, True  # "reported" ... "the report"; "Amot wrote" ...
        return None

    def _read_names(self, indices: set[int]) -> None:
        """Give the sentences at `indices` their named entities (a sentence never parsed is parsed with them, so that
        its subject is known); over-long sentences stay unread."""
        readable = [self.sentences[i] for i in sorted(indices)
                    if self.sentences[i].end - self.sentences[i].start <= min(MAX_SENTENCE_CHARS, self.max_length)]
        unread = [s for s in readable if s.doc is None]
        for s, doc in zip(unread, self.parse_named([self.body[s.start:s.end] for s in unread])):
            s.doc = doc
        self.name([s.doc for s in readable])

    def _looking_back(self, index: int, chained: set[int]) -> Iterator[int]:
        """Sentence `index`, then the `_LOOKBACK` sentences before it that are neither wholly quoted, headlines, photo
        captions nor loose lines (`_loose_line`): names inside quotations are never antecedents, so a speaker's quoted
        paragraphs do not hide the speaker named before them ("Pep Guardiola said ... / “...” / “...” / He described
        ..."), nor are a headline's, a caption's ("Photo by Andrew Powell") or a link's. The sentences the caller adds
        to `chained` once they are yielded (those continuing the same pronoun: "He also knows ...") are not
        counted."""
        yield index
        counted = 0
        for back in range(index - 1, -1, -1):
            if counted == _LOOKBACK:
                return
            earlier = self.sentences[back]
            text = self.body[earlier.start:earlier.end]
            if earlier.quoted and _wholly_quoted(text, quoted_spans(text, earlier.open_at_start)) or \
                    _headline(text, earlier.open_at_start) or _CAPTION.search(text) or \
                    earlier.paragraph in self._credited_photos() or self._loose_line(earlier):
                continue
            yield back
            counted += back not in chained

    def _loose_line(self, sentence: _Sentence) -> bool:
        """Whether a sentence is a paragraph of its own that no sentence punctuation ends: a subheading, a link to
        another story or a page's furniture ("RELATED ARTICLES Tech experts battle to shut down ...", "Watch This
        Story | Star Wars Saga: ...", "ADVERTISEMENT Article continues below this ad"), not the article's prose."""
        following = self.sentences[sentence.index + 1] if sentence.index + 1 < len(self.sentences) else None
        return sentence.opens_paragraph and (following is None or following.paragraph != sentence.paragraph) and \
            not re.search(r"[.!?…:;”\"’')\]]\s*$", self.body[sentence.start:sentence.end])

    def _credited_photos(self) -> set[int]:
        """The paragraphs that are photo captions, ended by a sentence that is only an agency's credit, "(Getty)",
        "(PA)", "(Reuters)": a caption's names are no antecedents ("Eddie Jones with fans during a Wallabies training
        session. (Getty)"; not "The scene was shot near the lake (Alamy)", nor "the Environmental Protection Agency
        (EPA)")."""
        if self._captions is None:
            self._captions = {t.paragraph for t in self.sentences if _AGENCY_CREDIT.fullmatch(
                self.body[t.start:t.end].strip()) and (t.index + 1 == len(self.sentences) or
                                                       self.sentences[t.index + 1].paragraph != t.paragraph)}
        return self._captions

    def _introduced(self, token, earlier: _Sentence, same: bool) -> str | None:
        """Where a sentence introduced the role noun `token` names ("the spokesperson" after "A Binance spokesperson
        told CNBC ..."): the person named right after it ("coach Ian Foster", "commissioner, Ylva Johansson") or the role with the names before it
        ("Binance spokesperson"), or the person it describes ("Denise George, a former prosecutor"); None when the
        sentence does not mention the role with a name. A role qualified by a name ("the Chelsea boss", "the USMNT
        head coach") is introduced only where the name qualifies it too ("Chelsea boss Mauricio Pochettino", not
        "Gunners boss Mikel Arteta")."""
        role = token.lower_
        doc = earlier.doc
        qualifiers = {w.lower_ for w in token.subtree if w.i < token.i and w.pos_ == "PROPN"}
        for word in reversed([t for t in doc if t.lower_ == role and (not same or t.i < token.i)]):
            if not qualifiers <= {w.lower_ for w in doc[max(0, word.i - 4):word.i]}:
                continue
            after = next((e for e in doc.ents if e.label_ == "PERSON" and (e.start == word.i + 1 or e.start ==
                          word.i + 2 and doc[word.i + 1].text == ",")), None)  # "commissioner(,) Ylva Johansson"
            if after is not None:
                return after.text.removesuffix("’s").removesuffix("'s")
            described = next((e for e in doc.ents if e.label_ == "PERSON" and e.end < word.i <= e.end + 4
                              and doc[e.end].text == ","), None)  # "Denise George, a former prosecutor"
            if described is not None:
                return described.text
            start = word.i
            while start > 0 and doc[start - 1].text[:1].isupper() and doc[start - 1].lower_ not in language.stop_words():
                start -= 1
            if start < word.i and token.lemma_.lower() not in _PRIZE_ROLES:
                # one who speaks for the names ("Binance spokesperson", "Tesla engineer"), not one a prize describes
                # ("The 2022 PGA Championship winner")
                return doc[start:word.i + 1].text
        return None

    def _owner_cut(self, span):
        """A PERSON entity the small model ran on from its owner ("Goodyear’s Helsel") as the person after the
        possessive, when the article writes that surname after a first name too ("Chris Helsel"); else the span as it
        is ("Kelly’s Twitch", which `_span_speaker` reads as Kelly)."""
        marks = [t.i for t in span if t.text in ("’s", "'s") and t.i < span.end - 1] if span.label_ == "PERSON" else []
        if not marks or not self._first_named(span.doc[span.end - 1].text):
            return span
        cut = span.doc[marks[-1] + 1:span.end]
        cut.label_ = span.label_
        return cut

    def _staffed(self, name: str) -> bool:
        """Whether a name the model labels a person's is an organisation's: the body writes it as the one whose
        spokesperson, executive or staff someone is ("a spokesperson for Novo Nordisk", "OpenAI CEO Sam Altman",
        "Roblox’s employees"; not "staff at Taylor Swift’s concerts"), and not as a person's name: one word that is no
        first name the lists know and is written after none (not "Trump" of "a Trump spokesperson" beside "Donald
        Trump"), or a longer name that no "he" or "she" leans after and that the body writes as a place one works at
        ("At Novo Nordisk, patient safety is ..."; not "a spokesperson for Elon Musk")."""
        if name in self._staffed_cache:
            return self._staffed_cache[name]
        words, named = name.split(), re.escape(name)
        if not words or self._pronouns_after(words[-1]) is not None or \
                len(words) == 1 and (_name_gender(words[0]) != "unknown" or self._first_named(words[0])) or \
                len(words) > 1 and not re.search(rf"\b[Aa]t {named}\b(?![’'])", self.body):
            staffed = False
        else:
            staffed = re.search(rf"\b(?:{_STAFF}) (?:for|at|of) {named}\b(?![’'])|\b{named}(?:[’']s)? (?:{_STAFF})\b",
                                self.body, re.IGNORECASE) is not None
        self._staffed_cache[name] = staffed
        return staffed

    def _mislabelled_person(self, span) -> bool:
        """Whether a span labelled an organisation, nationality or place is a person's name (the small model often
        labels names so): a surname the body also writes after a first name ("Scorsese" after "Martin Scorsese",
        "Bankman-Fried" after "Sam Bankman-Fried"), or a two-word name whose first word is a first name and whose
        surname the article also writes alone ("Björn Brembs" and "Brembs"; not "Roman Catholic", or "Regis Pregrais"
        named once); a lone first name, a place or a brand is none ("Daron", "Israel", "Twitch")."""
        words = span.text.split()
        if span.label_ not in _MISLABELLED or re.search(r"[’']s$", span.text):
            return False
        if len(words) == 2:  # and the article calls the person by the surname alone too ("Brembs points to ...")
            return _name_gender(words[0]) not in ("unknown", "andy") and words[1][:1].isupper() and \
                re.search(rf"(?<!{re.escape(words[0])} )\b{re.escape(words[1])}\b", self.body) is not None
        return len(words) == 1 and bool(self._first_named(words[0]))

    def _labelled_full_name(self, last: str) -> bool:
        """Whether the model labels a person one of the body's mentions of `last` after a first name ("Dolly Parton";
        not "Ray-Ban Meta", "Carolina Panthers"); the sentences holding them are read."""
        if last not in self._full_name_cache:
            fuller = self._first_named(last)
            self._read_names({s.index for s in self.sentences if any(n in self.body[s.start:s.end] for n in fuller)})
            self._full_name_cache[last] = any(n in name for name in self._person_names() for n in fuller)
        return self._full_name_cache[last]

    def _mislabelled_surname(self, st: Statement) -> bool:
        """Whether a one-word speaker the small model took for an organisation, a place or no entity ("Jubelirer",
        "Sinha") is a person's surname: the body writes it after a first name the name lists know or the model labels
        a person with it (`_labelled_first_named`: "Mody Maor", "Can Sun"), as a person's name is written ("Michelle
        Jubelirer", "Tesla CEO Elon Musk"), not as a group's ("the Carolina Panthers", "the Royal Society", "New York
        Yankees"), and never after "the" ("the Panthers")."""
        word = st.speaker
        if st.speaker_kind not in ("organization", "government", "unknown") or len(st.speakers) != 1 \
                or " " in word or not word[:1].isupper() or self._written_after_the(word):
            return False  # "the Panthers": a group

        def as_a_persons(mention) -> bool:
            """Not after "the", nor after a capitalised word that is no acronym, role or first name ("New", not "CEO",
            nor "Sarah" of "Sarah Michelle Gellar")."""
            previous = (self.body[max(0, mention.start() - 40):mention.start()].split()[-1:] or [""])[0]
            return previous.lower() != "the" and not (previous[:1].isupper() and previous.isalpha() and
                                                     not previous.isupper() and not is_role_word(previous.lower()) and
                                                     _name_gender(previous) == "unknown")

        return any(as_a_persons(mention) for name in self._first_named(word) | self._labelled_first_named(word)
                   if name.split()[0] != word for mention in re.finditer(rf"\b{re.escape(name)}\b", self.body))

    def _mislabelled_first_name(self, word: str) -> bool:
        """Whether a one-word name the small model took for a group or a place ("Francesca") is a person's first name:
        the name lists know it as a first name of one gender, the body never writes it after "the", it never says "it"
        of itself ("Chase said it would cut 500 jobs"), and the model labels a person a name of the body that begins
        with it ("Francesca Scorsese")."""
        if " " in word or _name_gender(word) not in ("male", "female", "mostly_male", "mostly_female") or \
                self._written_after_the(word) or word in self._said_it:
            return False  # not "Meta", written "The Meta ..." too (though the model labels "Meta View" a person)
        fuller = {f"{word} {last}" for last in re.findall(rf"\b{re.escape(word)} ({_CAPITALISED})\b", self.body)}
        self._read_names({s.index for s in self.sentences if any(n in self.body[s.start:s.end] for n in fuller)})
        return bool(fuller & self._person_names())

    def _written_after_the(self, word: str) -> bool:
        """Whether the body writes `word` after "the" ("the Panthers", "The Meta Quest"): a group's or a thing's name."""
        return re.search(rf"\b[Tt]he {re.escape(word)}\b", self.body) is not None

    def _labelled_first_named(self, last: str) -> set[str]:
        """"Mody Maor" for "Maor": the body's mentions of a name after a capitalised word that the model labels a
        person in its sentence (a first name the name lists do not know), the word being no role ("Coach Maor")."""
        if last not in self._labelled_cache:
            mentioned = set(re.findall(rf"(?<![“\"‘'])\b({_CAPITALISED}) {re.escape(last)}\b", self.body))
            mentioned = {first for first in mentioned if not is_role_word(first.lower()) and
                         first.lower() not in ("the", "a", "an")}  # "Can Sun" is a name, "The Sun" none
            self._read_names({s.index for s in self.sentences
                              if any(f"{first} {last}" in self.body[s.start:s.end] for first in mentioned)})
            self._labelled_cache[last] = {f"{first} {last}" for first in mentioned} & self._person_names()
        return self._labelled_cache[last]

    def _names_person(self, name: str) -> bool:
        """Whether a one-word name is part of a person's that the body writes in full: a surname written after a first
        name ("Migicovsky" after "Eric", `_first_named`), or a first name written before a
        capitalised word the name lists do not know ("Lionel Messi"). A company named for a founder the article also
        names ("Dell" beside "Michael Dell") counts as the person too; "Stanford University" is no one's name."""
        if name not in self._person_name_cache:
            words = name.split()
            self._person_name_cache[name] = len(words) == 1 and (
                self._first_named(words[0]) or
                _name_gender(words[0]) in ("male", "female") and
                any(_name_gender(following) == "unknown" for following in
                    re.findall(rf"(?<![\w’'-]){re.escape(words[0])} ({_CAPITALISED})(?![\w’'-])", self.body)))
        return self._person_name_cache[name]

    def _person_names(self) -> set[str]:
        """The PERSON names of the sentences read so far, and the names already seen speaking as persons."""
        return {e.text.removesuffix("’s").removesuffix("'s") for t in self.sentences if t.doc is not None
                for e in t.doc.ents if e.label_ == "PERSON"} | {st.speaker for st in self.found if st.speaker_kind == "person"}

    def _first_named(self, last: str) -> set[str]:
        """"Donald Trump" for "Trump": the body's mentions of a name after a word the name lists know as a first name
        (the sentences around them may not be parsed)."""
        cache = self._first_name_cache
        if last not in cache:
            # "Jo-Wilfried Tsonga", "Karl E. Jandrey", "Jack “Jacksfilms” Douglass" (Jack Douglass); not a title's first word ("the
            # “Sad Taylor on a boat” meme")
            found = set(re.findall(rf"(?<![“\"‘'])\b({_CAPITALISED}(?:-{_CAPITALISED})?) (?:[A-Z]\. |{_NICKNAME} )?"
                                   rf"{re.escape(last)}\b", self.body))
            cache[last] = {f"{first} {last}" for first in found  # not "The Epstein", nor the word twice ("Valve Valve")
                           if first.lower() not in language.stop_words() and first != last and
                           _name_gender(first.split("-")[0]) != "unknown"}
        return cache[last]

    def _could_be(self, name: str, kind: str, need: str, gender: str | None) -> bool:
        """Whether a name of `kind` can be what "he / she" ("PERSON", of `gender`) or "they / it" ("GROUP") refers to.
        The small model labels many surnames as organisations ("Kunis noted ..."), so a short proper name that no
        organisation word marks can be a person too, but only when the article names a person ending with it ("Mila
        Kunis") or a word of it is a first name ("Meanwhile Sophie"): "she" is not "Uber" or "Kick". A name whose
        first name is the other gender's ("Jada" for "he") is not the pronoun's, nor a surname whose every full name
        in the article is."""
        if need != "PERSON":
            return kind != "person"
        name = _bare_name(name)
        if kind != "person" and name in self._self_named:  # "Esfand says he ...": a person, whatever the model says
            return gender is None or self._self_named[name] == gender
        words = set(re.findall(r"[^\W\d_]+", name.lower()))
        last = name.split()[-1] if name.split() else name
        fuller = self._fuller_names(last)
        if kind != "person":
            first_name = any(len(w) > 2 and w[:1].isupper() and w.lower() not in language.stop_words() and
                             _name_gender(w) not in ("unknown", "andy") for w in name.split())
            if kind not in ("organization", "unknown") or len(words) > 2 or not name[:1].isupper() or \
                    words & (GROUP_ROLES | GOVERNMENT_WORDS | PUBLICATION_WORDS) or not (fuller or first_name):
                return False
        if gender is None:
            return True
        if kind == "person" and self._lone_word(name) and not any(
                w[:1].isupper() and _name_gender(w) != "unknown" for w in name.split()) and not (
                self._pronouns_after(name) == gender and self._spoke_as_person(name) or
                self._pronouns_after(name) is None and self._spoke_as_person(name, as_written=True)):
            # "Uber", labelled a person in one sentence, with no person's name of the article ending with it (unlike
            # "Patel", whose first name the lists do not know, seen speaking with "he" after it: "Patel said he ...";
            # or "Lipson", "Lowco", seen speaking under that name, with no pronoun of either gender leaning after it)
            return False
        known = self._genders(name, fuller)
        return not known or gender in known

    def _spoke_as_person(self, name: str, as_written: bool = False) -> bool:
        """Whether an earlier statement has `name` as its speaker, a person; with `as_written`, one written with that
        name itself, of more than two letters, and not "according to" it ("Lipson says", not "The SBJ journalist
        explained" read as a name, "according to McKinsey" or "said Fr." cut from its name by the sentence splitter)."""
        return any(st.speaker == name and st.speaker_kind == "person" and (
            not as_written or st.speaker_as_written == name and len(name) > 2 and st.verb.lower() != "according")
            for st in self.found)

    def _fuller_names(self, last: str) -> set[str]:
        """The article's person names ending with `last`, and its mentions of `last` after a known first name."""
        return {n for n in self._person_names() if n.split() and n.replace(" - ", "-").split()[-1] == last} | \
            self._first_named(last)

    def _lone_word(self, name: str) -> bool:
        """A one-word name that no full name of the article ends with ("Uber", not "Abrams" after "Rachel Abrams")."""
        name = _bare_name(name)
        return len(name.split()) == 1 and not self._first_named(name) and \
            not any(len(n.split()) > 1 and n.replace(" - ", "-").split()[-1] == name for n in self._person_names())

    def _genders(self, name: str, fuller: set[str] | None = None) -> set[str]:
        """The genders a name can have (empty: unknown): its own, or for a lone surname those of the article's full
        names ending with it ("Smith": "Will Smith" and "Jada Pinkett Smith")."""
        name = _bare_name(name)
        if not name.split():
            return set()
        last = name.split()[-1]
        if fuller is None:
            fuller = self._fuller_names(last)
        named = [n for n in fuller if len(n.split()) >= 2] if len(name.split()) < 2 else []
        return {self._gender_of(n) for n in named or [name]} - {None} or self._resolved_gender(last)

    def _resolved_gender(self, last: str) -> set[str]:
        """The gender of the pronouns this article's statements already resolved to a name ending with `last`, when
        at least two did and all agree ("she said" read twice as Taylor Swift: "he" is someone else; one reading may
        be wrong); else empty."""
        genders = [_PRONOUN_GENDER[st.speaker_as_written.lower()] for st in self.found
                   if st.speaker_as_written.lower() in _PRONOUN_GENDER and st.speaker.split()[-1:] == [last]]
        return set(genders) if len(genders) >= 2 and len(set(genders)) == 1 else set()

    def _gender_of(self, name: str) -> str | None:
        """"male" or "female" for a person's name: a title ("Mr Davies"), or a first name the name lists call always one
        or the other ("Jada"), unless the article's pronouns after the surname are only, and often, the other's and no
        other person of the article has that surname (the lists call "Eli" female: "Eli Roth ... he"); for a first name
        of either ("Sam", "Jamie", "Kelly"), the pronouns after the surname when they clearly lean one way, or, when two
        people of the article share the surname, the first name's own lean ("Will" in "Will Smith"); else None (any
        pronoun may stand for it)."""
        guess = first_name_gender(name)
        if guess is None:
            return None
        last = name.split()[-1]
        shared = len({n for n in self._fuller_names(last) if len(n.split()) >= 2}) > 1  # two people of that surname
        if guess not in ("male", "female"):
            # the pronouns after a surname two people share are both's ("Will Smith", "Jada Pinkett Smith"): then the
            # first name's own lean
            return {"mostly_male": "male", "mostly_female": "female"}.get(guess) if shared else self._pronouns_after(last)
        other = _OTHER_GENDER[guess]
        if name.split()[0].lower() not in _TITLE_GENDER and self._pronouns_after(last, only=True) == other and not shared:
            return other
        return guess

    def _pronouns_after(self, word: str, only: bool = False) -> str | None:
        """"male" or "female" when the pronouns in the 150 characters after the body's mentions of `word` clearly lean
        one way (at least two, three times the other's; with `only`, at least four and none of the other's), else
        None."""
        cache = self._gender_cache
        if word not in cache:
            found = {p.start(): p.group().lower() for m in re.finditer(rf"\b{re.escape(word)}\b", self.body)
                     for p in _PRONOUN.finditer(self.body, m.end(), m.end() + 150)}  # each pronoun once
            genders = [_PRONOUN_GENDER[p] for p in found.values()]
            cache[word] = (genders.count("male"), genders.count("female"))
        he, she = cache[word]
        if only:
            return "male" if he >= 4 and not she else "female" if she >= 4 and not he else None
        return "male" if he >= 2 and he >= 3 * she else "female" if she >= 2 and she >= 3 * he else None

    def _continued(self, s: _Sentence, attributed: dict[int, list[Statement]]) -> tuple[Statement, Statement] | None:
        """A quoted sentence with no attribution of its own continues the statement of its quotation when the
        quotation runs on into an attributed sentence (“... / ...,” he said), else the nearest attributed sentence
        before it in its paragraph (its last quoted statement, else its last statement by a person: "Every state has
        different laws, Sinha said. “It depends ...”"), else the nearest quoted statement after it, or, when it opens
        its paragraph with a quotation, the last quoted statement of the paragraph before: its statement, with the
        statement it continues. A quotation the article repeats (a pull quote) and that runs into no attribution of
        its own is the statement of the attributed sentence that quotes it too (`_quoting`) when that speaker is
        another of the same kind, or the only one. Not
        when the words outside its quotation name another speaker (“Who’s Connor
        Bedard?” Turk asked)."""
        paragraph = [t.index for t in self.sentences if t.paragraph == s.paragraph and t.index != s.index]

        def speakers_of(index: int) -> list[Statement]:
            """The sentence's quoted statements, else those of a person or a name ("Sinha"), not of "a study"."""
            found = attributed.get(index, [])
            return [st for st in found if st.quote is not None] or [
                st for st in found
                if st.speaker_kind == "person" or st.speaker_kind == "unknown" and st.speaker[:1].isupper()]

        same = []  # the statement of the quotation, where it runs on into an attributed sentence
        for later in self.sentences[s.index + 1:]:
            if later.paragraph != s.paragraph or not later.open_at_start:
                break
            same = [st for st in speakers_of(later.index) if st.quote is not None]
            if same:
                break
        before = next((found for i in reversed(paragraph) if i < s.index and (found := speakers_of(i))), [])
        after = [st for i in paragraph if i > s.index for st in attributed.get(i, []) if st.quote is not None]
        text = self.body[s.start:s.end]
        quotes = quoted_spans(text) or [(0, len(text))]
        a, b = max(quotes, key=lambda q: q[1] - q[0])
        source = same[0] if same else before[-1] if before else after[0] if after else None
        repeated = None if same else _quoting(text[a:b], [st for i, found in attributed.items() if i != s.index
                                                          for st in found])
        if repeated is not None and (source is None or repeated.speaker_kind == source.speaker_kind and
                                     repeated.speaker not in source.speakers):
            source = repeated  # a pull quote: the speaker of the sentence that quotes it too
        if source is None and s.opens_paragraph and text.lstrip().startswith((QUOTE_OPEN, '"')):
            previous = [st for t in self.sentences if t.paragraph == s.paragraph - 1
                        for st in attributed.get(t.index, []) if st.quote is not None]
            source = previous[-1] if previous else None
        if source is None:
            return None
        if _one_word(text[a:b]):
            return None  # “Tysm,” “STILL???”, “Mr.” (a title the splitter cut at): a piece that says nothing alone
        if _title(text[a:b]) and 2 * (b - a) < len(text):
            return None  # “Trolls Band Together” landed in fourth place: a title the narration names
        if self._named_outside(s, quotes, source):
            return None  # “Who’s Connor Bedard?” Turk asked: Turk's words, though asking states nothing
        return self._quoted(s, source.speaker, source.speakers, source.speaker_as_written, source.speaker_resolved,
                            source.speaker_kind, source.verb), source

    def _quoted(self, s: _Sentence, speaker: str, speakers: tuple[str, ...], as_written: str, resolved: bool,
                kind: str, verb: str) -> Statement:
        """The statement of a quoted sentence with no attribution of its own, made by the speaker given: its longest
        quotation (the whole sentence when it has none), "deny" when it calls something false, else "say"."""
        text = self.body[s.start:s.end]
        a, b = max(quoted_spans(text, s.open_at_start) or [(0, len(text))], key=lambda q: q[1] - q[0])
        stance = "deny" if s.doc is not None and calls_false(s.doc) else "say"
        return Statement(self.article_id, speaker, speakers, as_written, resolved, kind, stance, verb,
                         text[a:b].strip().rstrip(",;:").rstrip(), text[a:b], s.start, s.end, s.start + a, s.start + b)

    def _credit(self, s: _Sentence) -> tuple[str, str] | None:
        """The person credited under the quoted paragraph `s` begins or continues, and the dash written before the
        name: the paragraph's last sentence is a dash and a name (a first name the lists know, or a title or role and a
        capitalised name), with at most a role, an outlet or a place after it ("— Tom Orlik, chief economist", "—
        Pastor Bradley of Washington"), and every sentence from `s` to it is quoted, the last closing its quotation.
        The name must be written elsewhere in the body, outside its paragraph, or be of two words or more labelled a
        person there. None
        otherwise: not a post's credit ("— Nicole Auerbach (@NicoleAuerbach)", who posted another's words), nor a
        song's title ("- Begin Again", "— Jolene" under a lyric naming her), nor a headline ("- Steve Borthwick
        explains ...", "— Mike Tyson Tells All")."""
        rest = [t for t in self.sentences[s.index + 1:] if t.paragraph == s.paragraph]
        if not rest or not all(t.quoted for t in rest[:-1]) or \
                not self.body[s.start:rest[-1].start].rstrip().endswith((QUOTE_CLOSE, '"')):
            return None
        credit = _CREDIT.fullmatch(self.body[rest[-1].start:rest[-1].end].strip())
        if credit is None:
            return None
        name, words = credit.group(2), credit.group(2).split()
        if _name_gender(words[0]) == "unknown" and not (
                len(words) > 1 and (words[0].lower().rstrip(".") in _TITLES or is_role_word(words[0].lower()))):
            return None
        self._read_names({rest[-1].index})
        labelled = len(words) > 1 and rest[-1].doc is not None and \
            name in {e.text for e in rest[-1].doc.ents if e.label_ == "PERSON"}
        opening = next(t for t in self.sentences if t.paragraph == s.paragraph).start
        if not labelled and name not in self.body[:opening] + self.body[rest[-1].end:]:
            return None  # "— Mike Tyson Tells All", "— Jolene" under a lyric naming her: a title
        return name, credit.group(1)

    def _named_outside(self, s: _Sentence, quotes: list[tuple[int, int]], source: Statement) -> bool:
        """Whether the words outside the quotations of sentence `s` give it a named speaker who is none of `source`'s
        speakers: a proper-name subject of a verb the stance lexicon does not know (“...,” chimed in Keith Rabois),
        also in a short unquoted sentence right after it, where the splitter cut the attribution off (“Who’s Connor
        Bedard?” / Turk asked.). Only such sentences are parsed."""
        candidates = {}  # sentence index -> its quotations
        if _NAME_AND_WORD.search(_outside(self.body[s.start:s.end], quotes)):
            candidates[s.index] = quotes
        after = self.sentences[s.index + 1] if s.index + 1 < len(self.sentences) else None
        if after is not None and after.paragraph == s.paragraph and not after.quoted and \
                len(self.body[after.start:after.end].split()) <= _ATTRIBUTION_WORDS and \
                _NAME_AND_WORD.search(self.body[after.start:after.end]):
            candidates[after.index] = []
        self._read_names(set(candidates))
        for index, quoted in sorted(candidates.items()):
            doc = self.sentences[index].doc
            inside = lambda token: any(a <= token.idx < b for a, b in quoted)  # noqa: E731
            for token in doc if doc is not None else []:
                if token.dep_ == "nsubj" and token.pos_ == "PROPN" and token.head.pos_ == "VERB" and \
                        not inside(token) and not inside(token.head):
                    return not any(token.text in name.split() for name in source.speakers)
        return False


_QUOTATION_WORDS = 6  # a quotation this long can stand for what was said on its own
_REPEATED_WORDS = 6  # a quotation at least this long found again in the article is the same quotation
_ATTRIBUTION_WORDS = 5  # an unquoted sentence this short after a quotation may be its attribution ("Turk asked.")
_NAME_AND_WORD = re.compile(r"[A-ZÀ-ÖØ-Þ]\w*\s+[a-z]|[a-z]\s+[A-ZÀ-ÖØ-Þ]")  # "Turk asked", "chimed in Keith"
_OTHER_GENDER = {"male": "female", "female": "male"}
_PRONOUN_GENDER = {"he": "male", "him": "male", "his": "male", "she": "female", "her": "female", "hers": "female"}
_WEEKDAYS = frozenset("Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split())
# "... firm Appfigures": a lower-case noun of three letters or more, then the name (not "eBay Motors", "Banque de France")
_DESCRIBED_NAME = re.compile(r"^(?:.* )?([a-z][a-z-]{2,}) ([A-ZÀ-ÖØ-Þ0-9][\w&.’'-]*(?: [A-ZÀ-ÖØ-Þ0-9][\w&.’'-]*)*)$")
_OWNED_SURNAME = re.compile(r"^.+[’']s ([A-ZÀ-ÖØ-Þ][\w’'-]*[a-z][\w’'-]*)$")  # "Bridgestone’s Niaura", not "X’s CEO"
_FIRST_PERSON = frozenset("i me my myself".split())  # the writer, outside quotations
_PRONOUN = re.compile(rf"\b(?:{'|'.join(_PRONOUN_GENDER)})\b", re.IGNORECASE)
_TITLE_GENDER = {"mr": "male", "mr.": "male", "sir": "male", "mrs": "female", "mrs.": "female", "ms": "female",
                 "ms.": "female", "miss": "female", "dame": "female", "lady": "female", "lord": "male"}
_TITLES = {title.rstrip(".") for title in _TITLE_GENDER} | {"dr", "prof", "professor", "rev", "sen", "rep", "gov",
                                                             "general"}
_CAPITALISED = "[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+"  # a capitalised word, accented letters included ("Björn")
_CLOSING_ATTRIBUTION = re.compile(r"[,”\"]+\s*(?:(?:reports|reported|said|says|writes|wrote|told|adds|added|notes|noted)"
                                   r"\s+(?:[A-Z][\w.’'-]*|the|a|an)(?:\s+[\w.’'-]+){0,6}|according to\s+"
                                   r"(?:[A-Z][\w.’'-]*|the|a|an)(?:\s+[\w.’'-]+){0,8})$")
# (a source after "according to" may take more words: "according to a person with direct knowledge of the negotiations")
_NO_COMMENT = re.compile(r"\W*no comment\W*", re.IGNORECASE)  # a statement that is a refusal whatever its verb
_NICKNAME = "[“\"‘'][^”\"’',.\\s][^”\"’',.]{0,19}[”\"’']"  # a quoted nickname inside a name: “Jacksfilms”, ‘Big Daddy’
_SURNAME_PARTICLES = frozenset("al el de del des du van von der den da di dos das le la bin abu ibn st sans ten ter".split())
_gender_detector = None


def first_name_gender(name: str) -> str | None:
    """What a person's name says of its gender: "male" or "female" (a title, or a first word the `gender_guesser` name
    lists call always male or female: "Mr Davies", "Jada", "Donald Trump"), "mostly_male", "mostly_female" or "andy"
    (either: "Sam", "Jamie"), or None (not a first name they know: "Pep", most surnames)."""
    words = name.split()
    if not words:
        return None
    if words[0].lower() in _TITLE_GENDER:
        return _TITLE_GENDER[words[0].lower()]
    if words[0].lower() in _SURNAME_PARTICLES and len(words) > 1:
        return None  # "Al Saadi" is a surname
    guess = _name_gender(words[0])
    return None if guess == "unknown" else guess


def _name_gender(word: str) -> str:
    """What the `gender_guesser` name lists say of a first name: "male", "female", "mostly_male", "mostly_female",
    "andy" (either) or "unknown" (not a first name they know)."""
    global _gender_detector
    if _gender_detector is None:
        import gender_guesser.detector

        _gender_detector = gender_guesser.detector.Detector(case_sensitive=False)
    return _gender_detector.get_gender(word)


def _said_by_person(verb) -> bool:
    """Whether a statement with this cue word is said when a person makes it: "according to" a person, or what a person
    "revealed" (in an interview; a study or a document reveals and reports)."""
    return verb.lower_ == "according" or verb.lemma_.lower() == "reveal"


def _proper_part(entity) -> str:
    """A PERSON entity's name from its first proper noun or first name that is not a role on: "Eddie Hearn" of
    "Promoter Eddie Hearn", "Bankman-Fried" of "Echoing Bankman-Fried" (the small model's spans often take in the word
    before), but "Will Smith" (tagged a modal)."""
    tokens = list(entity)
    while len(tokens) > 1 and (tokens[0].pos_ != "PROPN" and _name_gender(tokens[0].text) == "unknown"
                               or is_role_word(tokens[0].lower_)):
        tokens = tokens[1:]
    return entity.doc[tokens[0].i:entity.end].text


def _owned_name(name: str) -> str:
    """The name after an owner's possessive ("Teneo’s Wildau" -> "Wildau", whom a later "he" may be), else the name."""
    owned = _OWNED_SURNAME.match(name)
    return owned.group(1) if owned is not None else name


def _bare_name(name: str) -> str:
    """A name without its possessive and with spaced hyphens joined ("Bankman - Fried’s" -> "Bankman-Fried")."""
    return re.split(r"[’']s\b", name)[0].strip().replace(" - ", "-")


_ANSWERS = frozenset("yes no yeah yep yup nope".split())  # the words that answer a question
_SAID_WORDS = frozenset("it this that them so".split())  # one-word statements that stand for what was said
_CONTENT_STANCES = frozenset(("say", "claim", "report", "warn", "accuse"))  # stances whose content is what was said
# the suffix after a surname ("Robert F. Kennedy Jr."; not a numeral, which may be a pope's or a king's: "John Paul II")
_GENERATIONS = frozenset(("Jr", "Sr"))
# stop words that say something of their own: none of it, never, more of it, ... ("he said nothing had been done",
# "he would do more", "she was serious", "he would be back")
_TELLING_STOP_WORDS = frozenset("nothing nobody none never neither nor no noone more most less least serious back first "
                                "last full empty whole call move".split())
_EDGES = " ,.;:“”\"—–-"  # punctuation trimmed from the words around an attribution
_ATTRIBUTION_DEPS = frozenset("nsubj nsubjpass aux auxpass neg advmod npadvmod prep agent dative prt punct".split())
_LIST_ENTRIES = 5  # headings that make an article a list of entries under names ("Liberty Mutual", "Tidal", ...)
_ASIDE_WORDS = 4  # a parenthesis longer than this is an aside of its own, not a parenthetical attribution
_LOOKBACK = 4  # sentences searched back for the antecedent of a pronoun
_HYPOTHETICAL = frozenset("would could might may should".split())  # modals that make a reporting verb hypothetical
# people a noun describes with their gender, which a "he" or "she" with no name to stand for may be (`_role_before`)
_GENDERED_PEOPLE = {**dict.fromkeys("mother woman wife daughter sister girl bride mom mum grandmother actress "
                                    "girlfriend niece aunt".split(), "female"),
                    **dict.fromkeys("father man husband son brother boy groom dad grandfather boyfriend nephew "
                                    "uncle".split(), "male")}
_POSSESSIVE_PRONOUNS = frozenset("his her their its".split())
_HEDGES = frozenset("often widely commonly generally long sometimes frequently".split())  # "it's often said"
_ACTS = frozenset("confirm deny decline".split())  # stances that "can" does not make hypothetical
_MISLABELLED = frozenset("ORG NORP GPE".split())  # labels the small model often gives people's surnames
_NAME_LABELS = frozenset("PERSON ORG GPE NORP FAC WORK_OF_ART".split())  # named entities that may be speakers
_QUANTIFIERS = frozenset("one some many most several few other others another all both each none two three four five "
                         "half third quarter couple number percent cent million thousand hundred dozen majority minority".split())  # subjects that speak only through their "of" phrase ("some of the fans")
_DEFINITE = frozenset("the this that these those his her their its our".split())  # determiners of a known referent
# documents and publications the article may have named before it calls them "the report", "the magazine"
_NAMED_SOURCES = frozenset("report study survey analysis poll lawsuit suit complaint filing magazine newspaper journal release "
                           "review index letter email statement indictment memo website site blog post".split())
# a document named by its owner's one word ("Laird report", `_owned`), which may be a person's surname
_PERSONS_DOCUMENT = re.compile(r"^([A-ZÀ-ÖØ-Þ][\w’'-]*[a-z][\w’'-]*) (?:report|study|survey|analysis|poll|review|letter|"
                               r"email|statement|memo|post|blog)$")
# who speaks or works for an organisation, not for a person ("a spokesperson for Novo Nordisk": `_staffed`)
_STAFF = "spokesperson|spokesman|spokeswoman|ceo|chief executive|executives?|co-?founder|founder|employees|staff"
_RELATIVES = frozenset("which that who whom".split())  # relative pronouns (`_with_antecedent`)
# the organisation nouns an article introduces a name with ("E-commerce search startup Deft", "the University of
# Michigan": `_named_source`), all but the generic ones it uses for whichever it last spoke of ("the company" is found
# as "it" is: `_antecedent`)
_NAMED_ORGANISATIONS = ORGANISATION_NOUNS - frozenset("company firm organization organisation agency".split())
_AUTHORING = frozenset("publish release write conduct produce issue compile prepare author lead carry run".split())
_SENDING = frozenset("send file submit".split())  # what an organisation does with its own document ("filed a lawsuit")
_KIND_NOUNS = GROUP_ROLES | GOVERNMENT_WORDS | ANONYMOUS_HEADS  # nouns of a group or a government, not a document
_REPORTING_LEMMAS = frozenset().union(*STANCE_LEMMAS.values())
_PRIZE_ROLES = frozenset("winner champion nominee laureate medalist".split())  # roles a prize's name comes before
_NOUN_ENDINGS = frozenset(("", "e", "ment", "ement", "ion", "ation"))  # a verb's stem + these: a noun of the verb
_WRITINGS = frozenset("report letter email memo post blog review note essay column".split())  # what "wrote" writes
_CARRIERS = frozenset("statement message email letter post note".split())  # "a statement from X": X speaks


def _role_only(statement: Statement) -> bool:
    """Whether a person speaker is written as a role alone ("a Roblox spokesperson", "the official"), whom a singular
    "they" may stand for, unlike a named person."""
    written = statement.speaker_as_written.split()
    return bool(written) and written[-1].lower() in PERSON_ROLES | ANONYMOUS_HEADS


def _quoting(quoted: str, statements: list[Statement]) -> Statement | None:
    """The statement among `statements` whose quotation holds `quoted` or is held by it (`_holds`: "Putting the fun in
    it was always the key." pulled out of "..., but putting the fun in it was always the key,” Scalera said"); None
    when none does."""
    return next((statement for statement in statements if statement.quote is not None and (
        _holds(statement.quote, quoted) or _holds(quoted, statement.quote))), None)


def _holds(quotation: str, quoted: str) -> bool:
    """Whether `quotation` holds `quoted` word for word, both at least `_REPEATED_WORDS` words long."""
    held, holding = (" ".join(re.findall(r"\w+", text.lower())) for text in (quoted, quotation))
    return len(quoted.split()) >= _REPEATED_WORDS and len(quotation.split()) >= _REPEATED_WORDS and \
        f" {held} " in f" {holding} "


def _said_within(word, verb) -> bool:
    """Whether `word` stands in what a reporting `verb` says: hung on the verb, or inside its clause ("Pichai said
    that he took action ..., according to CNBC"); not in a clause joined to it ("She said ..., but according to
    Bloomberg, ...")."""
    return word.head == verb or any(word in c.subtree for c in verb.children if c.dep_ in ("ccomp", "xcomp"))


def _a_persons_statement(st: Statement) -> bool:
    """Whether a statement is a person's: a person named, or a "he" or "she" no name fits ("“...,” she said,
    according to Bloomberg": hers, whoever she is, not Bloomberg's)."""
    return st.speaker_kind == "person" or st.speaker_as_written.lower() in _PRONOUN_GENDER


def _bare_answer(said) -> bool:
    """Whether the tokens `said` are only an answer: "yes" or "no", then at most pronouns, auxiliaries, particles and
    proper nouns, which a vocative is ("Yes", "Yes, Senator", "Yeah, I would be", "No, it is not"; not "Yes, she's
    single", "No party", "No, I didn't", whose "did" the tagger calls a verb)."""
    words = [t for t in said if not t.is_punct]
    return bool(words) and words[0].lower_ in _ANSWERS and \
        all(t.pos_ in ("PRON", "AUX", "PROPN", "PART", "INTJ") for t in words[1:])


def _one_word(statement: str) -> bool:
    """Whether what was said is less than two words ("Yes", "Tysm", "…", "Mr."): on its own it says nothing."""
    return len(re.findall(r"\w+", statement)) < 2


def _says_nothing(statement: str) -> bool:
    """Whether every word of `statement`, as the pipeline's tokenizer splits and normalises it ("isn’t" -> "is" "not",
    "won’t" -> "will" "not"), is one of its stop words other than those that tell something (`_TELLING_STOP_WORDS`:
    "nothing", "never", "more"), so it names nothing and says nothing without the sentence around it ("it did",
    "there still isn’t one", "to get it done"; not "Achane is day-to-day", "it’s early", "he would never do it
    again")."""
    empty = _empty_words()
    return all(t.is_punct or t.lower_ in empty or t.norm_ in empty for t in language.pipeline().tokenizer(statement))


@lru_cache(maxsize=1)
def _empty_words() -> frozenset[str]:
    """The pipeline's stop words less `_TELLING_STOP_WORDS`: the words that say nothing of their own."""
    return language.stop_words() - _TELLING_STOP_WORDS


def _as_surname(name: str) -> str | None:
    """The surname a person is named by alone: "Peskov", "von Schwarz", "de Jongh" of "Mrs de Jongh", "Bradley" of
    "Pastor Bradley", "Browning" of "Dr Browning"; None for a name with more ("Dmitry Peskov")."""
    words = name.split()
    if len(words) > 1 and (words[0].lower().rstrip(".") in _TITLES or is_role_word(words[0].lower())):
        words = words[1:]
    return " ".join(words) if words and all(w in _SURNAME_PARTICLES for w in words[:-1]) else None


def _particles_lowered(name: str) -> str:
    """A name with the particles before its last word in lower case ("Ten Hag" -> "ten Hag", "Van Dijk" -> "van
    Dijk"); the name as it is when a word before the last is no particle ("Erik Ten Hag")."""
    words = name.split()
    if len(words) < 2 or not all(w.lower() in _SURNAME_PARTICLES for w in words[:-1]):
        return name
    return " ".join([*(w.lower() for w in words[:-1]), words[-1]])


def _title(quoted: str) -> bool:
    """Whether quoted words are a title ("Trolls Band Together", "American Pie"): every word of four letters or more
    capitalised, and no sentence's end inside."""
    words = [w for w in re.findall(r"[^\W\d_][\w’']*", quoted) if len(w) > 3]
    return bool(words) and all(w[0].isupper() for w in words) and not re.search(r"[.!?]", quoted)


def _unnamed_reference(statement: Statement) -> bool:
    """Whether a statement's speaker is a definite description of a person left unnamed ("The “Friends in Low Places”
    singer", "their coach"): someone the article named before and the reading did not find, so no antecedent for a
    later "he"; an indefinite one ("A third Big Ten head coach") introduces someone new, and can be."""
    written = statement.speaker_as_written.split()
    return statement.speaker_kind == "person" and bool(written) and written[0].lower() in _DEFINITE and \
        statement.speaker == without_article(statement.speaker_as_written) and statement.speaker[-1:].islower()


def _source_owner(noun) -> str | None:
    """Whose a document or publication noun is, by name: its proper-noun modifiers ("the Amnesty report", "Amnesty
    International’s report", "Smithsonian Magazine"), the name after "by / from / of" ("a report from SlashNext") or
    the named subject of a verb writing or sending it ("Meta conducted a report", "the Academy had sent out a news
    release"), else the publication after "in" ("a report in The Information"); None when no name says it."""
    doc = noun.doc
    modifiers = [c for c in noun.children if c.i < noun.i and c.dep_ in ("compound", "nmod", "poss")
                 and c.pos_ == "PROPN" and c.ent_type_ not in ("DATE", "TIME")]  # not "Wednesday’s report"
    if noun.pos_ == "PROPN" and noun.dep_ not in ("compound", "nmod", "poss"):
        return doc[min([noun.i, *(t.left_edge.i for t in modifiers)]):noun.i + 1].text if modifiers else None
    if modifiers:
        start = min(t.left_edge.i for t in modifiers)
        end = max(t.i for t in modifiers) + 1
        while end < noun.i and doc[end].dep_ == "compound" and doc[end].head == noun:
            end += 1  # "a U.S. soccer statement": the words that name it, not "U.S."
        return without_article(doc[start:end].text.removesuffix("’s").removesuffix("'s")) or None
    source = _object_of(noun, ("by", "from", "of")) or next(
        (g for c in noun.children if c.dep_ == "acl" and c.lemma_.lower() in _AUTHORING
         for a in c.children if a.dep_ == "agent" for g in a.children if g.dep_ == "pobj"), None) or next(
        (c for c in noun.head.children if c.dep_ == "nsubj" and c.pos_ == "PROPN" and noun.dep_ == "dobj" and
         noun.head.lemma_.lower() in _AUTHORING | _SENDING and c.ent_type_ not in ("GPE", "LOC", "FAC")), None)
    # ("the Royal Swedish Academy of Sciences had sent out a news release", "Meta conducted a ... report"; not
    # "Washington" for "Washington, D.C.-based think tank CSIS published a report")
    # "a report published this week by First American" (not "commissioned by Meta", which someone else wrote)
    if source is not None and source.pos_ == "NOUN" and source.i + 1 < len(doc) and \
            doc[source.i + 1].pos_ == "PROPN" and doc[source.i + 1].head in (source, noun):
        source = doc[source.i + 1]  # "a report by misinformation watcher NewsGuard": the watcher's name
    in_object = _object_of(noun, ("in",))
    if source is None and in_object is not None and in_object.ent_type_ not in ("GPE", "LOC", "NORP", "FAC"):
        source = in_object  # "a report in The Information", "a study in Nature" (not "a report in Israel")
    if source is None or source.pos_ != "PROPN" or source.ent_type_ in ("DATE", "TIME"):
        return None  # "a study from November"
    return _full_name(source)  # "a study from the University of Michigan"


def _with_antecedent(verb) -> str | None:
    """What a reporting verb inside a relative clause says, with the noun the clause hangs on put where its relative
    pronoun or missing subject stands: "the new MK30 drone, which it claims is significantly quieter" -> "the new
    MK30 drone is significantly quieter"; "the Hamas attacks that the Israeli government said killed 1,400 people"
    -> "the 7 October Hamas attacks killed 1,400 people". None when the verb is no relative clause's, the relative
    pronoun is the verb's only subject ("Bankman-Fried, who told him that ...": the noun is the speaker), the clause
    said is an infinitive ("vowed to fight") or has a subject of its own."""
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if verb.dep_ != "relcl" or all(c.lower_ in _RELATIVES for c in subjects):
        return None
    clause = next((c for c in verb.children if c.i > verb.i and c.pos_ in ("VERB", "AUX") and
                   (c.dep_ == "ccomp" or c.dep_ == "xcomp" and c.tag_ in FINITE_TAGS) and
                   not any(g.tag_ == "TO" for g in c.children)), None)  # "said killed", not "describes working"
    if clause is None or any(c.dep_ in ("nsubj", "nsubjpass", "csubj", "csubjpass", "expl") and
                             c.lower_ not in _RELATIVES for c in clause.children):
        return None
    rest = "".join(t.text_with_ws for t in clause.subtree if t.lower_ not in _RELATIVES or t.head != clause)
    rest = rest.strip(" ,.;:“”\"")
    return f"{phrase(verb.head)} {rest}" if rest else None


def _named_as(noun) -> str | None:
    """The name an organisation noun is given where it is written: "Daye, a British startup", "the startup Daye",
    "a startup called OpenAI", "Daye is a startup", "E-commerce search startup Deft is ..." (the name right after the
    noun the parser made its sentence's root; not "The startup Friday said") -> the name; None when none is."""
    named = [noun.head] if noun.dep_ in ("appos", "compound") and noun.head.pos_ == "PROPN" else []
    named += [c for c in noun.children if c.dep_ == "appos" and c.pos_ == "PROPN"]
    named += [g for c in noun.children if c.dep_ == "acl" and c.lemma_.lower() in ("call", "name")
              for g in c.children if g.dep_ in ("oprd", "dobj", "attr") and g.pos_ == "PROPN"]
    if noun.dep_ == "attr" and noun.head.lemma_ == "be":
        named += [c for c in noun.head.children if c.dep_ == "nsubj" and c.pos_ == "PROPN"]
    if not named and noun.dep_ == "ROOT" and noun.i + 1 < len(noun.doc) and noun.nbor(1).pos_ == "PROPN" and \
            noun.nbor(1).ent_iob_ == "B":
        named = [noun.nbor(1)]  # "E-commerce search startup Deft is releasing ...", parsed with "startup" its root
    return _full_name(named[0]) if named else None


def _full_name(word) -> str:
    """The whole name a proper noun belongs to: its named entity without "the" ("the University of Michigan"), or,
    when it has none (or the model ran two names into one, "The Information, Mistral AI"), it with its compounds."""
    entity = next((e for e in word.doc.ents if e.start <= word.i < e.end), None)
    if entity is not None and "," not in entity.text:
        return without_article(entity.text)
    return word.doc[min([word.i, *(c.left_edge.i for c in word.children if c.dep_ == "compound")]):word.i + 1].text


def _owned(owner: str, noun) -> str:
    """"SlashNext report" for a report whose owner is SlashNext; "Smithsonian Magazine" as it is."""
    return owner if owner.lower().endswith(noun.lower_) else f"{owner} {noun.lower_}"


def _around_attribution(verb, subject) -> str:
    """The words of `verb`'s sentence (its whole doc) outside its attribution (the verb, its `subject`, auxiliaries,
    adverbs, time and prepositional phrases), both sides joined: "Temptation, said Reehil, is ..." -> "Temptation
    is ..."; "" when nothing else is said there ("Pichai testified Monday in the trial"; "..., Pachl said:" before
    the quotation)."""
    attribution = [verb, *(t for c in verb.children if c.dep_ in _ATTRIBUTION_DEPS and not (
        c.dep_ in ("nsubj", "nsubjpass") and c != subject and not hyphen_part(c)) for t in c.subtree)]
    first, last = min(t.i for t in attribution), max(t.i for t in attribution)
    doc = verb.doc
    if doc[last + 1:].text.strip() == ":":
        return ""
    sides = [doc[:first].text.strip(_EDGES), doc[last + 1:].text.strip(_EDGES)]
    return " ".join(side for side in sides if side)


def _subject_before_attribution(verb, said_at: int) -> str | None:
    """The subject of what was said when an attribution breaks in between it and the words said after the verb
    (`said_at`, a character offset in the verb's doc): "Skin colour, she says, “is not irrelevant ...”" -> "Skin
    colour"; "These parents, said Keeley, “subconsciously compensate ...”" -> "These parents". None when the verb is no
    aside of the clause said after it (the parser's parataxis, its head after it), or what was said does not open
    with that clause's verb, its auxiliary or adverb (“Skin colour,” she says, “is ...”, joined whole already)."""
    if verb.dep_ != "parataxis" or verb.head.i < verb.i:
        return None
    doc, clause = verb.doc, verb.head
    first = next((t for t in doc if t.idx >= said_at and not t.is_punct), None)
    if first is None or first != clause and not (
            first.head == clause and first.dep_ in ("aux", "auxpass", "neg", "advmod")):
        return None  # "One of those, says Andrews, is that “a lot of ...”": what was said opens another clause
    subjects = [c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass", "csubj") and
                c.right_edge.i < verb.left_edge.i]
    if not subjects and any(c.dep_ == "nsubj" and c.i > verb.i for c in verb.children):
        # the parser may hang that subject on the verb beside the speaker after it ("These parents, said Keeley")
        subjects = [c for c in verb.children if c.dep_ == "nsubj" and c.i < verb.i]
    if not subjects:
        return None
    return doc[subjects[0].left_edge.i:subjects[0].right_edge.i + 1].text.strip(_EDGES)


def _narrated(verb) -> bool:
    """Whether a reporting verb with no clause and no quotation belongs to the author's narration rather than
    attributing the rest of its sentence: a subordinate or modifying verb ("after she testified", "than Musk said",
    "with Liverpool conceding", "a revealing film", "When Raghavan testified in court, he revealed ...") or the second
    of two coordinated events ("but Dubravka conceded twice")."""
    if any(c.dep_ == "mark" or c.dep_ == "advmod" and c.tag_ == "WRB" for c in verb.children) or \
            verb.dep_ in ("amod", "acl", "pcomp", "xcomp", "relcl"):
        return True
    return verb.dep_ == "conj" and any(c.dep_ == "cc" and c.i < verb.i for c in verb.head.children)


def _prepositional(span) -> bool:
    """Whether a name is only mentioned in a prepositional phrase, alone or in a list: of a noun ("the departures of
    Mount, Havertz") or as whom a verb's subject speaks to or with ("clarified to Hoda Kotb", "in an interview with
    Hoda Kotb"); not a sentence's frame ("For Badger, ...", "Per Mekić", "according to Mekić")."""
    word = span.root
    while word.dep_ == "conj" and word.head is not word:
        word = word.head
    if word.dep_ != "pobj":
        return False
    preposition = word.head
    attached = preposition.head
    return attached.pos_ in ("NOUN", "PROPN") and preposition.lower_ != "according" or \
        preposition.lower_ in ("to", "with") and attached.pos_ in ("VERB", "AUX") and attached.lemma_ != "accord"


def _modifier(span) -> bool:
    """Whether a name only qualifies a common noun that cannot speak ("U.S. economic sanctions", "American
    cranberries", "the AI boom"): it is not a group that could be "it" or "they", unlike the name in "Bank of America
    economists" or "Southern Connecticut State administrators", which stands for the group with its noun."""
    head = span.root.head
    return span.root.dep_ in ("compound", "amod", "nmod") and head.pos_ == "NOUN" and \
        not span.start <= head.i < span.end and not can_speak(head)


def _describing_prefix(span) -> bool:
    """Whether a name is the first part of a hyphenated word that describes, its second part a participle or an
    adjective ("Chinese-founded retailer Shein", "UK-listed fund", "Oscar-winning actor"): it names no one a pronoun
    could stand for."""
    doc = span.doc
    return span.end + 1 < len(doc) and joined_by_hyphen(doc[span.end - 1], doc[span.end + 1]) and \
        doc[span.end + 1].tag_ in ("VBN", "VBG", "JJ")  # "Oscar-winning"; not "Sotos-Prieto" nor "Suk-yeol": names


def _place_aside(span) -> bool:
    """Whether a place or nationality is only mentioned, not the subject of its clause or its owner ("the players
    were crying in Toronto", "a Chinese retailer", "progress in AI models"): a place speaks as its government only as
    a subject ("Russia denied ... It said"), so "it" or "they" does not stand for one mentioned in passing."""
    root = span.root
    return span.label_ in ("GPE", "NORP") and not (
        root.dep_ in ("nsubj", "nsubjpass") or root.dep_ in ("poss", "compound") and
        root.head.dep_ in ("nsubj", "nsubjpass") or _in_subject(span))


def _described_alike(role, speaker: str) -> bool:
    """Whether an earlier speaker described and not named ("mother") may be whom a role noun ("The woman") refers to:
    both are people of one gender (not "A police spokesperson" for "The father")."""
    gender = _GENDERED_PEOPLE.get(role.lemma_.lower())
    return gender is not None and _GENDERED_PEOPLE.get(speaker.split()[-1].lower()) == gender


def _name_set_off(role):
    """The name set off by commas at the end of a role's phrase, which the parser hangs on the phrase's last noun:
    "general manager of women’s football at the AFL, Nicole Livingstone, said" -> Livingstone (a person's name for a
    person's role, an organisation's for a group's); None when there is none, or the name is that of a person the
    phrase names ("An attorney for the father, John Smith, said": the father's)."""
    label = "PERSON" if is_role(role) else "ORG" if role.lemma_.lower() in GROUP_ROLES else None
    if label is None or role.pos_ != "NOUN":
        return None
    return next((t for t in role.subtree if t.dep_ == "appos" and t.pos_ == "PROPN" and t.ent_type_ == label and
                 t.head != role and t.i > role.i and t.doc[t.left_edge.i - 1].text == "," and not (
                     is_role(t.head) or t.head.lemma_.lower() in _GENDERED_PEOPLE or t.head.ent_type_ == "PERSON")),
                None)  # not the name of a person inside the phrase ("An attorney for the father, John Smith, said")


def _in_subject(span) -> bool:
    """Whether a name stands inside its clause's subject ("Several school systems, including New York City Public
    Schools, have banned ...")."""
    return any(a.dep_ in ("nsubj", "nsubjpass") for a in span.root.ancestors)


def _object_only(span) -> bool:
    """Whether a name is only mentioned as what a verb's subject is ("One in particular was top scorer Son") or in
    apposition to its object, alone or in a list ("They had two children, sons Micheál and Daniel"); not the one a
    cleft is about ("it was Tiger Woods, whose ..."), nor a verb's object itself, who may speak next ("That was
    enough to push Garry Tan over the edge") or be the speaker after an inverted verb ("explains Beeper CEO Eric
    Migicovsky")."""
    word, described = span.root, False
    while word.dep_ in ("conj", "appos") and word.head is not word:
        described = described or word.dep_ == "appos"
        word = word.head
    if word.head.lemma_.lower() in _REPORTING_LEMMAS:
        return False  # "explains Beeper co-founder and CEO Eric Migicovsky": the speaker, parsed as the verb's object
    if word.dep_ == "attr" and any(c.dep_ == "nsubj" and c.lower_ == "it" for c in word.head.children):
        return False  # "it was Tiger Woods, whose power ...": a cleft, the one the sentence is about
    return word.dep_ in ("attr", "oprd") or described and word.dep_ in ("dobj", "dative", "npadvmod")


def _described(role) -> bool:
    """Whether a role noun is written with words saying who the person is ("the Oscar-winner", "the "High Heat"
    co-host", "the Red Table Talk host"), not bare ("the coach")."""
    return any(c.dep_ in ("compound", "amod", "nmod", "nummod", "npadvmod") for c in word_children(role)) or \
        role.i >= 2 and joined_by_hyphen(role.nbor(-2), role) and role.nbor(-2).pos_ == "PROPN"  # "Oscar-winner"


def _gender_said_of_self(role) -> str | None:
    """The gender of "he" or "she" opening the clause a role noun reports after it ("The Oscar-winner said she wants
    ..."); None when there is none or both."""
    if role.dep_ != "nsubj":
        return None
    genders = {_PRONOUN_GENDER[c.lower_] for clause in role.head.children if clause.dep_ == "ccomp" and clause.i > role.i
               for c in clause.children if c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in ("he", "she")}
    return genders.pop() if len(genders) == 1 else None


def _bound_names(pronoun) -> set[str]:
    """The words of the names after a subject pronoun or role that are its verb's object or its clause's subject ("He
    suggested Teale might ...", "he told Teale"), or that a relative clause on it names ("The company, which Google
    bought in 2014, said"): names it does not stand for."""
    if pronoun.dep_ not in ("nsubj", "nsubjpass"):
        return set()
    verb = pronoun.head
    near = [t for t in verb.subtree if t.i > pronoun.right_edge.i and (t.head == verb or t.head.head == verb)
            and t.dep_ in ("nsubj", "nsubjpass", "dobj", "dative")]
    words = {w.text for c in pronoun.children if c.dep_ == "relcl" for w in c.subtree if w.pos_ == "PROPN"}
    for t in near:
        name = [w for w in t.subtree if w.pos_ == "PROPN" and (w == t or w.dep_ in ("compound", "flat"))]
        if name:  # "Bankman-Fried" is one word of "Sam Bankman-Fried", though the parser splits it at the hyphen
            words |= {w.text for w in name} | set(t.doc[name[0].i:name[-1].i + 1].text.split())
    return words


def _writes_no_other(verb, lemma: str) -> bool:
    """Whether a "wrote" can have written a `lemma` document: not "wrote on X" (a post) for a report or a letter."""
    return lemma == "post" or not any(p.dep_ == "prep" and p.lower_ == "on" and
                                      any(o.dep_ == "pobj" and o.pos_ == "PROPN" for o in p.children)
                                      for p in verb.children)


def _has_own_author(noun) -> bool:
    """Whether a document noun says who made it ("The report, published Tuesday by the central bank")."""
    return any(w.dep_ == "agent" or w.dep_ == "prep" and w.lower_ in ("by", "from") for w in noun.subtree)


def _in_what_is_said(span, pronoun) -> bool:
    """Whether a name stands in the clause the verb of a subject pronoun or role reports ("... renewed interest in
    “Vincent,” his tribute to tortured artist Vincent van Gogh, he said")."""
    verb = pronoun.head
    return pronoun.dep_ in ("nsubj", "nsubjpass") and any(
        c.dep_ == "ccomp" and c.left_edge.i <= span.root.i <= c.right_edge.i for c in verb.children)


def _parallel_subject(pronoun):
    """The named subject of the clause a subject pronoun's clause is joined to, before it: "Martino was asked about
    Jordi Alba, and he stated" -> Martino; "While Jayden clarified ..., he said" -> Jayden (the subject the pronoun
    continues, whatever other names stand between them); None when there is none or it is no proper name."""
    if pronoun.dep_ not in ("nsubj", "nsubjpass"):
        return None
    verb = pronoun.head
    joined = [verb.head] if verb.dep_ == "conj" and verb.head.i < verb.i else []
    joined += [c for c in verb.children if c.dep_ == "advcl" and c.i < pronoun.i]
    for clause in joined:
        subject = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < pronoun.i), None)
        if subject is not None and subject.pos_ == "PROPN":
            words = [c for c in subject.children if c.dep_ in ("compound", "flat") and c.pos_ == "PROPN"]
            return subject.doc[min([subject.i, *(w.i for w in words)]):subject.i + 1]
    return None


def _continues_pronoun(doc, pronoun) -> bool:
    """Whether a sentence's first subject is the same personal pronoun as `pronoun` ("He", "he") and its main clause's
    subject no proper name: the names it mentions are others than "he" ("Like Schwartz, he wanted", "Toni Collette,
    who he worked with"); not "When Forrester arrived, he ...", "because he was such a good guy, Bankman-Fried made a
    point" or "Noff is defensive: She also believes"."""
    subjects = [t for t in doc if t.dep_ in ("nsubj", "nsubjpass")]
    return bool(subjects) and subjects[0].lower_ == pronoun.lower_ and \
        not any(t.pos_ == "PROPN" and t.head.dep_ == "ROOT" for t in subjects)


def _reported_by_another(verb) -> bool:
    """Whether a reporting verb stands in what another speaker's claim or accusation reports ("Gray alleged that
    Google had revealed ...")."""
    child = verb
    for ancestor in verb.ancestors:
        if child.dep_ == "ccomp" and ancestor.i < verb.i and claims_or_accuses(ancestor):
            return True
        child = ancestor
    return False


def _object_of(token, prepositions: tuple[str, ...]):
    """The object of the first of `token`'s prepositions among `prepositions` ("a statement from X" -> X), or None."""
    return next((g for c in token.children if c.dep_ == "prep" and c.lower_ in prepositions
                 for g in c.children if g.dep_ == "pobj"), None)


def _asks_someone(writer) -> bool:
    """Whether the writer ("I") is the subject of a verb whose object is an organisation or a person ("I contacted
    Meta", "I reached out to Google"): the writer asked someone, who may answer (not "I go to Bowling Green")."""
    if writer.dep_ != "nsubj":
        return False
    verb = writer.head
    objects = [c for c in verb.children if c.dep_ in ("dobj", "dative")]
    objects += [g for c in verb.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
    return any(o.ent_type_ in ("ORG", "PERSON") for o in objects)


def _describing_words(noun) -> set[str]:
    """The common words a noun is described with ("ride-hail" of "the ride-hail company", "central" of "the central
    bank"), lowercased."""
    return {c.lower_ for c in noun.children if c.dep_ in ("amod", "compound") and c.pos_ in ("NOUN", "ADJ")}


def _role_after(words: list[str], group: str) -> bool:
    """Whether a speaker written with a group's noun is a person of that group: the noun's last use is followed by a
    person's role ("a school official", not "The ride-hail company Lyft")."""
    at = len(words) - 1 - words[::-1].index(group)
    return at + 1 < len(words) and is_role_word(words[at + 1])


def _person_named(token):
    """The person a subject names: the PERSON entity covering it, or one in its compound or appositive words
    ("Senate Majority Leader Chuck Schumer", "One resident named Sara"); none for a group's noun ("the Biden
    administration")."""
    doc = token.doc
    if token.pos_ == "NOUN" and token.lemma_.lower() in GROUP_ROLES | GOVERNMENT_WORDS:
        return None  # "the Biden administration", "the Trump campaign": the group speaks, not the person it is named for
    near = [token, *[c for c in token.children if c.dep_ in ("compound", "appos", "nmod", "npadvmod")],
            *[g for c in token.children if c.dep_ == "acl" and c.lemma_.lower() in ("name", "call")
              for g in c.children if g.dep_ in ("oprd", "dobj", "attr")]]
    for word in near:
        entity = next((e for e in doc.ents if e.start <= word.i < e.end and e.label_ == "PERSON"), None)
        if entity is not None:
            return entity
    return None


def _titled_name(token) -> str | None:
    """The proper name after a person's role among a subject's compound words ("City coach Pep Guardiola" -> "Pep
    Guardiola", which the small model may label an organisation), or None."""
    if token.pos_ != "PROPN":
        return None
    roles = [c.i for c in token.children if c.dep_ == "compound" and c.i < token.i and is_role_word(c.lemma_.lower())]
    if not roles:
        return _name_after_post(token)
    name = token.doc[max(roles) + 1:token.i + 1]
    return name.text.removesuffix("’s").removesuffix("'s") if all(t.pos_ == "PROPN" for t in name) else None


def _name_after_post(role) -> str | None:
    """The name after the place or body a role is held in ("Former U.S. Ambassador to NATO Kurt Volker", parsed as
    the ambassador "to NATO Kurt Volker") -> "Kurt Volker"; None when the preposition's object is the name alone ("an
    envoy to Netanyahu": whom the role serves) or another's title and name ("Chief of Staff to Texas Gov. Greg
    Abbott")."""
    if not is_role_word(role.lemma_.lower()):
        return None
    for preposition in role.children:
        held_in = [g for g in preposition.children if g.dep_ == "pobj" and g.pos_ == "PROPN"]
        if preposition.dep_ != "prep" or preposition.lower_ not in ("to", "of") or not held_in:
            continue
        words = list(held_in[0].subtree)
        body = next((e for e in role.doc.ents if e.start == words[0].i and e.label_ in ("ORG", "GPE", "NORP")), None)
        name = role.doc[body.end:held_in[0].i + 1] if body is not None else None
        if name is not None and len(name) >= 2 and all(t.pos_ == "PROPN" for t in words) and \
                name[0].lower_.rstrip(".") not in _TITLES and not is_role_word(name[0].lower_):
            return name.text  # not "Chief of Staff to Texas Gov. Greg Abbott": the governor's aide
    return None


def _span_speaker(spans, need: str) -> tuple[str, str, bool]:
    """The antecedent among fitting spans (the subject's first): the first labelled one, else the first."""
    labelled = [span for span in spans if span.label_]
    span = (labelled or spans)[0]
    name = span.text.removesuffix("’s").removesuffix("'s")
    if need == "PERSON" and span.label_ == "PERSON":
        name = re.split(r"[’']s\b", name)[0]  # "Kelly’s Twitch", a name the small model ran on: "she" is Kelly
    kind = {"PERSON": "person", "GPE": "government", "NORP": "government"}.get(span.label_) or \
        ("person" if need == "PERSON" else _kind_of_words(name.lower()))
    return without_article(name), kind, True


def _span_kind(span) -> str:
    """The speaker kind of a named span a group pronoun or role may stand for: a place or nationality governs, an
    organisation is one unless its words say government or publication."""
    if span.label_ in ("GPE", "NORP"):
        return "government"
    by_words = _kind_of_words(span.text)
    return by_words if by_words in ("government", "publication") else "organization"


def _kind_of_words(text: str) -> str:
    words = set(re.findall(r"[a-z]+", text.lower()))
    if words & GOVERNMENT_WORDS:
        return "government"
    if words & PUBLICATION_WORDS:
        return "publication"
    if words & ANONYMOUS_HEADS:
        return "anonymous"
    if words & PERSON_ROLES:
        return "person"
    if words & GROUP_ROLES:
        return "organization"
    return "unknown"


def _credited(entity) -> bool:
    """Whether a name opens right after a photo credit ("Credit: Getty Hanks said ...": the splitter ran the credit
    into the sentence, and "Getty" is no first name)."""
    before = entity.doc.text[:entity.start_char].rstrip()
    return any(m.end() == len(before) for m in _CAPTION.finditer(before))


# a quotation's credit line: a dash, a name of up to four capitalised words, at most a role, outlet or place after it
_CREDIT = re.compile(r"([—–-]{1,2})\s*([A-ZÀ-ÖØ-Þ][\w.’'-]*(?: [A-ZÀ-ÖØ-Þ][\w.’'-]*){0,3})"
                     r"(?:,[^,()@]{1,40}| (?:of|to) [A-ZÀ-ÖØ-Þ][^()@]{0,40})?")
# a photo's credit, the last sentence of its caption: "(Getty)", "(Getty Images/iStockphoto)", "(AFP via Getty Images)"
_AGENCY_CREDIT = re.compile(r"\((?:Getty|AP|PA|Reuters|AFP|EPA|Shutterstock|iStock|Alamy|Supplied)\b[^()]{0,30}\)")
# a photo's caption or credit ("Photo by Andrew Powell/Liverpool FC via Getty Images"): names no one of the story
_CAPTION = re.compile(r"\b(?:Photo(?:graph)?|Image|Picture)s? (?:by|credit|courtesy)\b|\bPhotograph:|\bCredit:|"
                      r"\bGetty Images\b|\bAP Photo\b|\bImage source\b|"
                      r"\bnewsletter promotion\b|\bPrivacy (?:Notice|Policy)\b|\bSign up (?:to|for)\b|\bClick here\b",
                      re.IGNORECASE)  # and the page's promotions ("skip past newsletter promotion", "CLICK HERE TO ...")


def _parenthesis(text: str, at: int) -> tuple[int, int] | None:
    """The span of the parenthesis around offset `at` of a sentence ("(" to ")", or to the end when it is not closed),
    or None when `at` is outside any: what is reported inside it is not the quotation around it."""
    opening = text.rfind("(", 0, at)
    if opening < 0 or text.rfind(")", opening, at) >= 0:
        return None
    closing = text.find(")", at)
    return opening, closing + 1 if closing >= 0 else len(text)


def _headline(text: str, open_at_start: bool) -> bool:
    """Whether a sentence is written in capitals outside its quotations: a headline, mostly a link to another story
    ("ALZHEIMER’S BLOOD TEST COULD HIT THE MARKET IN EARLY 2024, RESEARCHERS SAY"), not this article's reporting."""
    letters = [c for c in _outside(text, quoted_spans(text, open_at_start)) if c.isalpha()]
    return len(letters) >= 10 and sum(c.isupper() for c in letters) >= 0.6 * len(letters)


def _wholly_quoted(text: str, quotes: list[tuple[int, int]]) -> bool:
    """Whether no word of `text` stands outside its quotations `quotes`."""
    return not re.search(r"\w", _outside(text, quotes))


def _outside(text: str, quotes: list[tuple[int, int]]) -> str:
    """The text of `text` outside its quotations `quotes` (character ranges, in order)."""
    outside, position = [], 0
    for a, b in quotes:
        outside.append(text[position:a])
        position = max(position, b)
    outside.append(text[position:])
    return "".join(outside)


def _kind(token, entity, name: str) -> str:
    """The kind of a named (not pronoun) speaker, from its entity label and the words of its phrase."""
    label = entity.label_ if entity is not None else ""
    if label in ("GPE", "NORP"):
        return "government"
    by_words = _kind_of_words(name)
    if label in ("ORG", "FAC", "WORK_OF_ART") or token.pos_ == "PROPN":
        return by_words if by_words in ("government", "publication") else "organization"
    if token.lemma_.lower() in ANONYMOUS_HEADS:
        return "anonymous"
    return "person" if by_words == "unknown" and _one_persons_role(token) else by_words


def _role_kind(token) -> str:
    """The speaker kind a role noun's head says: its kind words ("the company": organization), else a person for one
    person's role ("the coach")."""
    by_words = _kind_of_words(token.lemma_.lower())
    return "person" if by_words == "unknown" and _one_persons_role(token) else by_words


def _one_persons_role(token) -> bool:
    """A singular noun naming what one person is ("A third Big Ten head coach"; not "experts", who are a group)."""
    return token.tag_ == "NN" and is_role_word(token.lemma_.lower())


# --- the entry points ----------------------------------------------------------------------------------
def _read_all(readers: list[_ArticleReader], wanted: set[int] | None = None) -> list[list[Statement]]:
    """Each reader's statements. The cue sentences of all of them are parsed in one batch, and those with a cue named
    in one batch: a fifth faster than article by article on the MultiHop-RAG articles."""
    chosen = [reader.cue_sentences(wanted) for reader in readers]
    sentences = [(reader, s) for reader, cue_sentences in zip(readers, chosen) for s in cue_sentences]
    if sentences:
        for (reader, s), doc in zip(sentences, readers[0].syntax([r.body[s.start:s.end] for r, s in sentences])):
            s.doc = doc
    cues = [{s.index: cues_of(s.doc) for s in cue_sentences} for cue_sentences in chosen]
    with_cues = [s.doc for cue_sentences, found in zip(chosen, cues) for s in cue_sentences if found[s.index]]
    if with_cues:
        readers[0].name(with_cues)  # names only where a statement can be
    return [reader.read(cue_sentences, found, wanted) for reader, cue_sentences, found in zip(readers, chosen, cues)]


def extract_many(articles: Sequence[tuple[str, str]], nlp=None) -> list[ExtractionResult]:
    """`extract_statements` of each (article id, body), parsed together (faster than one by one)."""
    readers = [_ArticleReader(article_id, body or "", nlp) for article_id, body in articles]
    return [ExtractionResult(reader.article_id, tuple(found), len(reader.sentences), reader.parsed,
                             reader.skipped_long, reader.skipped_beyond_limit)
            for reader, found in zip(readers, _read_all(readers))]


def extract_statements(article_id: str, body: str, nlp=None) -> ExtractionResult:
    """Every attributed statement of `body` (see the module docstring). `nlp` is a loaded spaCy pipeline (default:
    the project's, through `nlp.py`'s cached, thread-safe parse). Never raises on odd text."""
    return extract_many([(article_id, body)], nlp)[0]


def statements_at(article_id: str, body: str, spans: Sequence[tuple[int, int]], nlp=None) -> list[Statement]:
    """The statements of the sentences of `body` that overlap `spans` (character offsets), read as
    `extract_statements` reads them: their paragraphs and the paragraph before are read too, for continued
    quotations and for role nouns that point back to an earlier speaker. What only the rest of the article shows is
    not seen, so a speaker may differ from the article's full reading: a name that says "he" of itself elsewhere
    (`_speaking_of_selves`), a pull quote's longer source elsewhere (`_pulled_quotes`)."""
    reader = _ArticleReader(article_id, body or "", nlp)
    hit = {s.paragraph for s in reader.sentences if any(s.start < end and start < s.end for start, end in spans)}
    paragraphs = hit | {p - 1 for p in hit}
    found = _read_all([reader], {s.index for s in reader.sentences if s.paragraph in paragraphs})[0]
    return [st for st in found if any(st.start < end and start < st.end for start, end in spans)]
