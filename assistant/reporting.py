"""Reporting words: the stance lexicon, which sentences are worth parsing, and the reading of one parsed sentence.

`cues_of(sentence)` gives the reporting words of a parsed sentence (`Cue`: the word, the verb whose subject speaks,
the stance, the subject, the token range of what was said); `has_reporting_cue(text)` says whether a sentence is
worth parsing at all. The parse-tree helpers (`subject_of`, `conjuncts`, `phrase`, `definite_role`, `fits`) are shared
with `statements.py`, which turns cues into `Statement`s over a whole article.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .questions import NOUN_TYPES
from .stances import STANCE_LEMMAS

# --- the lexicon -------------------------------------------------------------------------------------------
_STANCE_OF_LEMMA = {lemma: stance for stance, lemmas in STANCE_LEMMAS.items() for lemma in lemmas}
# Verbs that report only with a clause or a quote after them ("added that ...", not "added 2 points").
_NEEDS_THAT = frozenset("find conclude state".split())  # so common otherwise that only "found that" is a cue
_NEEDS_CLAUSE = frozenset("add note explain write suggest maintain find conclude comment respond reply argue "
                          "call describe tweet state vow pledge promise report tell claim".split())
# Of those, the verbs whose infinitive after them is no report ("adds extra features to keep an eye on", "wrote it to
# remember"), unlike "vowed to", "claimed to have", "told them to leave".
_NO_INFINITIVE = frozenset("add note explain write comment respond reply describe state".split())
NARRATORS = frozenset("i me you we us".split())  # first and second person outside quotes: the writer or the reader
# What a refusal or a negated verb withholds: "declined to comment", "didn't provide details", "did not respond".
_WITHHELD = {verb: frozenset("detail details information comment explanation answer response reason specific "
                             "specifics figure timeline name evidence anything".split()) | ({"call", "message", "email", "request"}
                                                                                 if verb == "return" else set())
             for verb in "provide give share disclose reveal release return".split()}  # what a negated verb withholds
# what one does not respond to when declining to comment ("did not respond to requests", "... to our emails", "... to
# Amnesty's report", "... to her")
_INQUIRIES = frozenset("request question inquiry enquiry email e-mail message call comment query letter report "
                       "allegation accusation claim story article criticism me us him her them".split())
_DISCLOSE = frozenset("comment say discuss elaborate answer respond reply confirm provide disclose reveal identify "
                      "specify share give speak talk address release return".split())
# Nouns that carry a stance when someone gives them ("delivered a warning", "issued a denial").
_STANCE_NOUNS = {"warning": "warn", "denial": "deny", "statement": "say", "accusation": "accuse",
                 "allegation": "claim", "claim": "claim", "confirmation": "confirm"}
_GIVING_VERBS = frozenset("deliver issue give make release offer level post send".split())
# What "deny" withholds when it is no denial of a claim ("denied the request", "denied them the chance"); "reject"
# withholds these and what is put forward ("rejected a $440M offer"), which "deny" does not ("denied any deal with Iran"
# denies that there is one).
_GRANTED = frozenset("request application appeal chance opportunity access entry permission bail freedom goal title "
                     "win victory premiership place spot".split())
_PROPOSED = frozenset("proposal offer nomination bid deal motion bill amendment settlement".split())
# Verbs that report only next to a quotation ("Novo Nordisk continued, “With respect to the study ...”"), not with a
# clause or an object ("continued its expansion", "continued to grow"); kept out of the stance lexicon, which questions
# share.
_QUOTING_ONLY = frozenset({"continue"})
# Nouns and adjectives that make a refusal when negated ("had no comment", "was not aware").
_DECLINE_WORDS = frozenset("comment response reply information aware".split())
# Words that turn "called / described / it is ..." into a denial.
FALSE_WORDS = frozenset("false untrue baseless unfounded fake groundless nonsense lie lies fabrication fabricated "
                         "incorrect inaccurate absurd ridiculous".split())
NEGATIONS = frozenset("not n't never no".split())
PRONOUNS = {"he": "PERSON", "she": "PERSON", "him": "PERSON", "her": "PERSON", "they": "GROUP", "it": "GROUP",
            "its": "GROUP", "them": "GROUP", "we": "GROUP", "us": "GROUP", "i": "PERSON", "me": "PERSON",
            "you": "PERSON", "his": "PERSON", "their": "GROUP", "our": "GROUP"}
_AGENT_ENDINGS = ("er", "or", "ist", "ian")  # endings of a noun of who does something ("songwriter", "director")
PERSON_ROLES = frozenset("spokesman spokeswoman spokesperson aide official person source executive adviser "
                          "advisor analyst lawyer attorney representative officer minister boss exec doctor "
                          "psychologist father mother pastor".split())
# The nouns of an organisation ("startup", "school", "automaker"): the question parser's, so that "Which school ...?"
# and "the school said" read the same word the same way (a word added to `questions.NOUN_TYPES` as an organisation
# also becomes a group role here: "the school" then points back to a named organisation).
ORGANISATION_NOUNS = frozenset(noun for noun, kind in NOUN_TYPES.items() if kind == "organization")
GROUP_ROLES = frozenset("company firm agency department ministry government campaign group organization embassy "
                         "administration office".split()) | ORGANISATION_NOUNS
GOVERNMENT_WORDS = frozenset("government ministry department embassy administration kremlin pentagon white house "
                              "congress senate parliament police army military intelligence cia fbi nsa agency "
                              "council commission regulator court".split())
PUBLICATION_WORDS = frozenset("journal times post news newspaper magazine report article outlet publication paper "
                               "reuters bloomberg ap press tribune guardian telegraph gazette herald wire".split())
ANONYMOUS_HEADS = frozenset("person people source sources official officials aide insider someone".split())
# Common nouns, beyond the role and kind words above, that can make a statement: documents and data that report ("the
# study found", "figures show") and groups of people ("critics say"). A common-noun subject with none of these heads
# is narration, not a speaker ("the touchscreen responds", "Several tools claim", a caption's "Credit").
SPEAKING_NOUNS = frozenset(
    "study analysis survey poll datum data research finding findings figure figures statistic estimate forecast "
    "indictment lawsuit suit complaint filing document letter statement ruling decision verdict order memo email "
    "blog review record transcript release announcement website site page notice guidance investigation probe "
    "inquiry audit testimony submission prosecution defense defence critic user fan creator viewer reader "
    "listener student investigator parent resident customer consumer voter authority observer commentator "
    "commenter supporter opponent protester activist member staff worker doctor physician nurse teacher patient "
    "victim family relative friend neighbour neighbor colleague partner rival team club union jury panel "
    "committee board watchdog legislator rep participant respondent organizer organiser buyer seller vendor "
    "designer cofounder boss exec songwriter guest streamer psychologist evaluator automaker maker lab "
    "school giant adult scholar shopper attendee father mother son daughter wife husband brother sister mom dad "
    "teammate kid child girl boy guy folk roommate veteran academic staffer client plaintiff defendant strategist "
    "diplomat audience vc number priest pastor polling warrant missive guideline documentation agreement case "
    "disclosure disclaimer couple administrator".split())
_KIND_WORDS = GROUP_ROLES | GOVERNMENT_WORDS | PUBLICATION_WORDS | ANONYMOUS_HEADS
QUOTE_OPEN, QUOTE_CLOSE = "“", "”"


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
                       if lemma not in _NEEDS_THAT for form in _forms(lemma)) | FALSE_WORDS
_THAT_CUE_FORMS = frozenset(form for lemma in _NEEDS_THAT for form in _forms(lemma))
_QUOTING_CUE_FORMS = frozenset(form for lemma in _QUOTING_ONLY for form in _forms(lemma))
_NEGATED_CUE_FORMS = frozenset(form for lemma in (*_DISCLOSE, *_DECLINE_WORDS, "reach") for form in _forms(lemma))
_WORD = re.compile(r"[a-z]+")


def has_reporting_cue(sentence: str) -> bool:
    """Whether a sentence has words that can report a statement (the only sentences worth parsing): a form of the
    stance lexicon; "found / concluded / stated" with a "that"; "continued" with a quote mark; a comment-like word
    with a negation ("had no comment", "didn't respond", "unable to comment")."""
    words = set(_WORD.findall(sentence.lower().replace("n’t", " not").replace("n't", " not")))
    return not words.isdisjoint(_CUE_FORMS) or "that" in words and not words.isdisjoint(_THAT_CUE_FORMS) or \
        not words.isdisjoint(_QUOTING_CUE_FORMS) and any(mark in sentence for mark in "“”\"") or \
        not words.isdisjoint(NEGATIONS | {"unable"}) and not words.isdisjoint(_NEGATED_CUE_FORMS)


def quoted_spans(text: str, open_at_start: bool = False) -> list[tuple[int, int]]:
    """(start, end) of the quoted words in `text` (inside curly or straight double quotes; an unclosed quote runs to
    the end of the text, an unopened closing quote from its start; `open_at_start`: a quotation of an earlier
    sentence is still open, up to the next quote mark)."""
    found, opened = [], (0 if open_at_start else None)
    for match in re.finditer(r"[“”\"]", text):
        mark = match.group()
        if opened is None and (mark == QUOTE_OPEN or mark == '"'):
            opened = match.end()
        elif mark == QUOTE_OPEN and opened == 0:
            # an opening mark inside the quotation open at the start: the writer left that one unclosed ("... right
            # direction. “I’m stoked.”", "“It’s so much more.”" continuing a paragraph's quotation)
            found.append((0, match.start()))
            opened = match.end()
        elif opened is not None and (mark == QUOTE_CLOSE or mark == '"'):
            found.append((opened, match.start()))
            opened = None
        elif opened is None and mark == QUOTE_CLOSE:
            found.append((0, match.start()))
    if opened is not None:
        found.append((opened, len(text)))
    return [(s, e) for s, e in found if text[s:e].strip()]


# --- parse-tree helpers (shared with the reader) -----------------------------------------------------------
def _ends_own_phrase(noun) -> bool:
    """Whether a noun's phrase ends with the noun or with its own "of" phrase ("president of baseball operations"), so
    that a name right after it is the noun's; not another noun's inside it ("a study published in the journal"), nor
    a person's the "of" phrase names ("agent of the striker Erling Haaland")."""
    edge = noun.right_edge
    return edge == noun or edge.dep_ == "pobj" and edge.head.lower_ == "of" and edge.head.head == noun and \
        not _person_role(edge)


def subject_of(verb):
    """The subject of a reporting verb: its own, or that of the clause it hangs from ("..., dismissing X"), the noun
    a relative clause describes ("an aide who said"), or the noun a finite verb was wrongly attached to ("A person
    ..., who spoke ..., confirmed": parsed as the noun's clause)."""
    if verb.lemma_.lower() in _ADDRESSED and any(c.dep_ == "nsubjpass" for c in verb.children):
        # "the guests have been told by various experts", "Hand was described as fragile by one person": the
        # passive's subject is who was told or described; who said it is the "by" phrase, if any
        agent = next((c for c in verb.children if c.dep_ == "agent"), None)
        return next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
    own = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.lower_ not in ("that", "which", "who")
           and not hyphen_part(c)]
    if len(own) > 1 and own[0].i < verb.i < own[-1].i:
        return own[-1]  # "Temptation, said Reehil, is ...": the subject after an inverted verb is who said it
    if len(own) > 1 and own[1].left_edge.i == own[0].right_edge.i + 1 and own[1].pos_ == "PROPN" and \
            own[0].pos_ == "NOUN" and _ends_own_phrase(own[0]):
        # "The Google-owned research lab DeepMind claimed", "Minnesota president of baseball operations Derek Falvey
        # has confirmed": the name the model split off the noun's phrase before it
        return own[1]
    if not own and verb.dep_ in ("acl", "relcl") and verb.head.pos_ in ("NOUN", "PROPN") and \
            (verb.tag_ == "VBD" or any(c.dep_ == "nsubj" and c.lower_ in ("who", "that") for c in verb.children)):
        return verb.head
    for token in [verb, *verb.ancestors][:3]:
        for child in token.children:
            if child.dep_ in ("nsubj", "nsubjpass") and child.lower_ not in ("that", "which", "who") and \
                    not hyphen_part(child):
                return child
            if child.dep_ == "agent":
                inner = next((c for c in child.children if c.dep_ == "pobj"), None)
                if inner is not None:
                    return inner
        if token.dep_ not in ("advcl", "xcomp", "conj", "acl", "pcomp"):
            break
    return None


_ADDRESSED = frozenset("tell describe warn accuse call urge caution".split())  # reporting verbs said to someone


def joined_by_hyphen(before, after) -> bool:
    """Whether two tokens are the parts either side of a hyphen inside one word ("co" and "founder" of "co-founder")."""
    return after.i == before.i + 2 and before.nbor(1).text == "-" and not before.whitespace_ and \
        not before.nbor(1).whitespace_


def hyphen_part(token) -> bool:
    """Whether a token is a piece before the last of a hyphenated word the tokenizer split ("co", "-" of
    "co-founder", which the small model may each make a subject): the word is its last piece."""
    doc = token.doc
    return token.i + 2 < len(doc) and joined_by_hyphen(token, doc[token.i + 2]) or \
        token.text == "-" and 0 < token.i < len(doc) - 1 and joined_by_hyphen(doc[token.i - 1], doc[token.i + 1])


def conjuncts(token) -> list:
    """The token and every conjunct coordinated with it ("The CIA, Pentagon and National Security Agency")."""
    found = [token]
    for child in token.children:
        if child.dep_ == "conj":
            found += conjuncts(child)
    return found


def phrase(token) -> str:
    """A subject's phrase: its words up to the first comma or dash after it, without its conjuncts, relative clauses and
    prepositional phrases after it ("A person familiar with the situation, who spoke ..." -> "A person familiar with
    the situation"; "a spokesman for Altamira" keeps "for", "a spokesperson from Roblox" "from", and a role its
    "with", "A representative with CVS"; a name's "with" is the company it keeps: "Trump with his lawyers")."""
    kept = ("for", "of", "at", "from", "with") if is_role(token) else ("for", "of", "at", "from")
    skip = {t.i for c in token.children if c.i > token.i and (c.dep_ in ("conj", "cc", "relcl", "appos", "punct", "acl")
                                                               or c.dep_ == "prep" and c.lower_ not in kept)
            for t in c.subtree}
    skip |= {t.i for d in token.subtree if d.dep_ == "relcl" and d is not token for t in d.subtree}
    comma = next((t.i for t in token.subtree if t.i > token.i and t.text in (",", "—", "–")), None)
    pieces = []  # "FTX’s co" "-" before "founder": the hyphenated word's first pieces, hung on the verb
    while token.i - len(pieces) > 0 and hyphen_part(token.doc[token.i - len(pieces) - 1]):
        pieces.append(token.doc[token.i - len(pieces) - 1])
    words = sorted({t for t in [*token.subtree, *(t for p in pieces for t in p.subtree)]
                    if t.i not in skip and (comma is None or t.i < comma)}, key=lambda t: t.i)
    words = [t for t in words if not (t.dep_ == "punct" and t.text != "-" and t.i == words[0].i)]
    joined = any(c.dep_ == "conj" for c in token.children)
    named = [t for t in words if not (t.head == token and (_negating(t) or joined and t.lower_ in ("both", "either")))]
    # "Neither the chairman": the chairman; "both Saunders and Laird": Saunders (and Laird, its conjunct)
    return _as_written(named or words)


def _as_written(tokens) -> str:
    """Tokens in order joined as the text writes them: a space only where the text has one or words were left out
    ("Bankman-Fried", "Infinity Ventures’", not "Bankman - Fried")."""
    text = ""
    for before, token in zip([None, *tokens], tokens):
        if before is not None and (before.whitespace_ or token.i != before.i + 1):
            text += " "
        text += token.text
    return text


_OTHER_GROUP = frozenset("parent sister rival other holding subsidiary partner new former".split())  # another group
_DESCRIBING = frozenset("det punct amod nummod npadvmod acl".split())  # what a role's describing words hang by


def definite_role(token) -> bool:
    """"the spokesman", "the judge", "the departing All Blacks coach", "the company": a role noun that points back to
    someone named before (not "a spokesman for Altamira", not "the Trump campaign": a group role takes no name and no
    modifier but common words that describe it, "the ride-hail company", not "the parent company"; a person's role no
    name and no phrase but "of")."""
    # (an apposition the parser hung on it from beyond its verb is none: "the commissioner responded that she’d met
    # with Google six times; Microsoft, ...", `_stray_apposition`)
    children = [c for c in word_children(token) if not _stray_apposition(c)]
    if not any(c.lower_ in ("the", "this", "that") for c in children):
        return False
    if _person_role(token):
        # "the 62-year-old Welsh actor best known as ...", "the United boss", "the father of three", "the Argentinean"
        return all(c.dep_ in _DESCRIBING or c.dep_ in ("compound", "nmod") and c.ent_type_ != "PERSON"
                   or c.dep_ == "prep" and c.lower_ == "of" for c in children)
    # "the ride-hail company" as "the company"; not "the parent company", "the Chinese company" (another one); a
    # describing word may be "plant-based", or "cloud" (tagged a name)
    return token.lemma_.lower() in GROUP_ROLES and token.tag_ != "NNS" and all(
        c.dep_ in ("det", "punct") or _set_off_clause(c) or c.dep_ in ("amod", "compound") and (
            c.pos_ in ("NOUN", "ADJ") or c.tag_ == "VBN" or c.pos_ == "PROPN" and c.text.islower())
        and not c.ent_type_ and c.lemma_.lower() not in _OTHER_GROUP for c in children)


def _stray_apposition(child) -> bool:
    """Whether `child` is an apposition the parser hung on its noun across words that are not the noun's own ("the
    commissioner responded that she’d met with Google six times; Microsoft, Meta ...": "Microsoft"), unlike one set
    off after the noun's phrase ("the lead author of that study, USC biogerontologist Dr. Valter Longo")."""
    if child.dep_ != "appos":
        return False
    noun = child.head
    own = {t.i for t in noun.subtree}
    return any(i not in own for i in range(noun.i + 1, child.left_edge.i))


def _set_off_clause(clause) -> bool:
    """Whether a relative clause is set off by a comma ("The startup, which says it is the largest ..."): it says more
    of the one already named, where a clause without one picks out which ("the company that makes the app")."""
    return clause.dep_ == "relcl" and clause.left_edge.i > 0 and clause.doc[clause.left_edge.i - 1].text == ","


def word_children(token) -> list:
    """The children of the word `token` ends, a hyphenated one taken whole: "the" and "High Heat" of "the "High Heat"
    co-host", which the parser may hang on "co"; not the word's own parts ("Oscar" of "the Oscar-winner")."""
    doc, start = token.doc, token.i
    while start >= 2 and joined_by_hyphen(doc[start - 2], doc[start]):
        start -= 2
    return [c for part in doc[start:token.i + 1] for c in part.children if not start <= c.i <= token.i]


def _owned_object(preposition) -> bool:
    """Whether a preposition's object belongs to someone ("to its lead", "to his trade chances"): a thing."""
    return any(c.dep_ == "poss" for g in preposition.children if g.dep_ == "pobj" for c in g.children)


def _someone(token) -> bool:
    """Whether a subject may be someone making a remark: "he", "she", "I", "we", a name or a person's role (cues are
    read before the parse has its named entities), not "it" or a thing."""
    return token is not None and (token.lower_ in ("he", "she", "i", "we") or token.pos_ == "PROPN" or
                                  _person_role(token))


def _person_role(token) -> bool:
    """Whether a word names what one person is: a role (`is_role`), or one of a people by nationality or party, as a
    subject with "the" does ("the Argentinean", "the Israeli", "the Democrat"; not a whole people, "the French", "the
    Dutch", "the Chinese", "the Swiss", which the tagger may also call a singular proper noun, nor a plural)."""
    return is_role(token) or token.pos_ == "PROPN" and token.ent_type_ == "NORP" and token.tag_ == "NNP" and \
        not token.lower_.endswith(("s", "sh", "nch", "tch", "ese"))  # "the Czech" is one


def fits(span, kind: str) -> bool:
    """Whether a named span can be what a pronoun of `kind` ("PERSON" or "GROUP") refers to; an unlabelled run of
    proper nouns ("Musk", which the small model often leaves unlabelled) fits either."""
    if span.text.lower() in PRONOUNS:
        return False  # "IT" or "US" as an antecedent of "he" (the small model leaves them unlabelled)
    return not span.label_ or span.label_ in ({"PERSON"} if kind == "PERSON" else {"ORG", "GPE", "NORP"})


def is_pronoun(text: str) -> bool:
    """Whether a speaker name is a bare personal pronoun ("he", "They"; not "US" or "IT", which are names)."""
    return text.lower() in PRONOUNS and not (text.isupper() and len(text) > 1)


def pronoun_kind(token) -> str | None:
    """"PERSON" or "GROUP" for a pronoun or a definite role noun that needs an antecedent, else None."""
    if is_pronoun(token.text):
        return PRONOUNS[token.lower_]
    if definite_role(token):
        return "PERSON" if _person_role(token) else "GROUP"
    return None


def is_role(token) -> bool:
    """A common noun naming what someone is ("spokesperson", "advisor"; "singer-songwriter", by its first part), not
    who, or a person's age standing for them ("The 51-year-old told Marca")."""
    return token.pos_ == "NOUN" and (is_role_word(token.lemma_.lower()) or _role_before_hyphen(token)) or _aged(token)


def _role_before_hyphen(token) -> bool:
    """Whether `token` is the second of a hyphenated pair of roles: an agent noun ("-er", "-or", "-ist", "-ian")
    after a noun that names a role ("singer-songwriter", "writer-producer"); not "employee-survey", nor a word made
    with a prefix ("co-host")."""
    return token.pos_ == "NOUN" and token.lower_.endswith(_AGENT_ENDINGS) and token.i >= 2 and \
        joined_by_hyphen(token.nbor(-2), token) and token.nbor(-2).pos_ == "NOUN" and \
        is_role_word(token.nbor(-2).lemma_.lower())


def _aged(token) -> bool:
    """Whether a word is the "old" of "51-year-old" (the tagger's adjective, which a subject makes a person)."""
    return token.lower_ == "old" and token.i > 1 and joined_by_hyphen(token.nbor(-2), token)


def is_role_word(lemma: str) -> bool:
    """Whether a lemma names what a person is ("spokesperson", "coach")."""
    return lemma in PERSON_ROLES or NOUN_TYPES.get(lemma) == "person"


def can_speak(token) -> bool:
    """Whether a common-noun subject can be someone who makes a statement (`SPEAKING_NOUNS`, the person and
    organisation nouns, and the role and kind words): "the spokesman", "critics", "the study", not "the camera",
    "2018", "This" or a caption's "Credit"."""
    while token.i + 2 < len(token.doc) and joined_by_hyphen(token, token.nbor(2)):
        token = token.nbor(2)  # "co-founder": the last part of a hyphenated word names it
    lemma = token.lemma_.lower()
    if _aged(token):
        return True  # "the 51-year-old"
    if token.like_url:
        return True  # "spaceweather.com": a website, written lower-case
    if token.pos_ == "PRON":
        return lemma in ANONYMOUS_HEADS  # "someone", not "everyone", "this" or "nobody"
    return token.pos_ in ("NOUN", "PROPN") and (
        lemma in SPEAKING_NOUNS or NOUN_TYPES.get(lemma) in ("person", "organization") or is_role_word(lemma)
        or lemma in _KIND_WORDS)


def claims_or_accuses(token) -> bool:
    """Whether a word is a verb of the claim or accuse stance ("alleged", "accused")."""
    return token.pos_ == "VERB" and _STANCE_OF_LEMMA.get(token.lemma_.lower()) in ("claim", "accuse")


def is_negated(token) -> bool:
    """Whether a verb is negated, on itself ("did not respond", "never said") or on its subject ("Neither Reinsdorf
    nor Getz has called this a rebuild", "No official confirmed")."""
    return any((c.dep_ == "neg" or c.lower_ in NEGATIONS) and not _quoted_after(token, c) for c in token.children) or any(
        negates_subject(w) for c in token.children if c.dep_ in ("nsubj", "nsubjpass") for w in conjuncts(c))


def _quoted_after(verb, word) -> bool:
    """Whether `word` stands after `verb` behind an opening quote mark: the quotation's own word, not the verb's
    ("He said: “Never. There’s never been infidelity ...”" denies; it refuses nothing)."""
    return word.i > verb.i and any(t.text in (QUOTE_OPEN, '"') for t in verb.doc[verb.i + 1:word.i])


def negates_subject(token) -> bool:
    """Whether a subject noun carries its own negation: "Neither ... nor", "No official"."""
    return any(_negating(w) for w in token.children)


def _negating(word) -> bool:
    """A word that negates the noun it hangs from: "Neither" / "nor" of a coordination, the determiner "No"."""
    return word.lower_ in ("neither", "nor", "no") and word.dep_ in ("preconj", "cc", "det")


def without_article(text: str) -> str:
    """A phrase without its leading article ("the Kremlin" -> "Kremlin"; "one of the investors" keeps its "one") and
    without square brackets, an editor's insertion ("The [World Health Organization] now calls it ...", quoted)."""
    text = text.replace("[", "").replace("]", "")
    return re.sub(r"^(?:the|a|an|one(?!\s+of\b))\s+", "", text.strip(), flags=re.IGNORECASE)


# --- reading one parsed sentence ---------------------------------------------------------------------------
@dataclass
class Cue:
    """A reporting word found in a parsed sentence, before its speaker is named."""

    token: object  # the word that carries the stance
    anchor: object  # the verb whose subject is the speaker
    stance: str
    subject: object | None  # the subject token (None: the speaker comes from "with / from X", see expletive_source)
    content: tuple[int, int] | None  # token range (start, end) of what was said
    topic_only: bool = False  # the content is only a noun phrase object ("announcing the shake-up"): the topic
    # token range inside `content` that is not what was said: "according to X" written inside the clause ("The
    # effect, according to Livingstone, has been positive")
    aside: tuple[int, int] | None = None


def _lead_in(clause) -> bool:
    """A clause before its reporting verb that ends with a colon or a semicolon ("Cameras are getting discounts: the
    doorbell ... add radar"; "More is coming: Daye says ..."; "Not every query takes EEAT into account; Google has
    described ..."): the author's lead-in, not the speaker's words."""
    doc = clause.doc
    end = clause.right_edge.i
    return clause.i < clause.head.i and (doc[end].text in ":;" or end + 1 < len(doc) and doc[end + 1].text in (":", ";"))


def _relative_aside(clause) -> bool:
    """A clause right after its reporting verb and a comma or a dash whose subject is "which" ("“...,” Palinksi-Wade
    said — which can contribute to cravings"): the author's comment on what was said, not what was said (unlike a
    quoted one, “which is wonderful for the brain”, or a question, "would not say, which stores would close")."""
    first, verb = clause.left_edge, clause.head
    return first.lower_ == "which" and first.dep_ in ("nsubj", "nsubjpass") and first.i == verb.i + 2 and \
        clause.doc[verb.i + 1].text in _SETTING_OFF


def _spliced_on(verb, clause, end: int) -> bool:
    """Whether what a reporting verb reports (`clause`, ending at `end`) goes on after a comma in the clause the parser
    made the verb's head: "it is ..." ("told TechCrunch that Meta’s lack of cultural competence isn’t just offensive,
    it’s dangerous"), or any clause after an infinitive said with no subject ("told TechCrunch that to really succeed,
    the market needs ..."); not another subject's clause after a whole one ("..., its shares fell 4%"), nor "...,
    Wang said"."""
    head, doc = verb.head, verb.doc
    before = [c for c in head.children if c.i < head.i and c != verb and c.dep_ != "punct"]
    if verb.dep_ != "ccomp" or head.i <= end or end >= len(doc) or doc[end].text != "," or len(before) != 1 or \
            before[0].dep_ != "nsubj" or head.lemma_.lower() in _STANCE_OF_LEMMA:
        return False
    said_it = before[0].lower_ in ("it", "that") and (head.lemma_ == "be" or head.lower_ in ("’s", "'s"))
    return said_it or not any(c.dep_ in _CLAUSE_SUBJECTS for c in clause.children)


def _holds_of_a_thing(preposition) -> bool:
    """Whether a prepositional phrase's object has an "of" phrase whose object is no name ("at the agency of “sexual
    misconduct ...”", not "in the Northern District of California")."""
    objects = [g for g in preposition.children if g.dep_ == "pobj"]
    ofs = [c for g in objects for c in g.children if c.lower_ == "of"]
    return any(o.dep_ == "pobj" and o.pos_ != "PROPN" for of in ofs for o in of.children)


def _complement(token):
    """The clause or phrase a reporting word reports: its clausal complement, object (+ predicate), "as ..." phrase,
    "of ..." for an accusation, or "to ..." for an admission ("admitted to kicking her son")."""
    children = [c for c in token.children if not (c.dep_ == "ccomp" and (_lead_in(c) or _relative_aside(c)))]
    for dep in ("ccomp", "xcomp"):
        clauses = [c for c in children if c.dep_ == dep]
        # "While X may seem safer, Johnson warned that ...": the small model may hang the author's lead-in on the verb
        # as a second clause; with a clause after the verb, that one is what was said
        found = next((c for c in clauses if c.i > token.i), None) if len(clauses) > 1 else None
        found = found or (clauses[0] if clauses else None)
        if found is not None:
            start = found.left_edge.i
            objects = [c for c in children if c.dep_ == "dobj" and token.i < c.i < found.i]
            if dep == "ccomp" and objects and \
                    not any(c.dep_ in _CLAUSE_SUBJECTS or c.dep_ == "mark" for c in found.children):
                if token.lemma_.lower() not in _TOLD_WHOM:
                    # "reported the Rangers, Red Sox and Mets appear to be out": the small model may hang the clause's
                    # subject on the verb as its object; it is what was said with the clause after it
                    start = min([start, *(c.left_edge.i for c in objects)])
                else:
                    # "A source tells us Founders Fund is also investing": whom it was told ("us", "them", which
                    # the verb may take as a person) run into the clause's subject
                    start = min([start, *(c.left_edge.i + 1 for c in objects
                                          if c.left_edge.lower_ in _PERSONAL_OBJECTS | {"them"} and c.left_edge != c)])
            end = found.right_edge.i + 1
            if found.i < token.i:
                # "The draft represents “by far the most ... rules”, Soltani told TechCrunch": the small model may hang
                # the end of a clause said before its verb on the verb; what runs on from it up to the subject is its
                subject = next((c for c in children if c.dep_ in ("nsubj", "nsubjpass") and c.i < token.i), None)
                limit = subject.left_edge.i if subject is not None else token.i
                for piece in sorted(children, key=lambda c: c.i):
                    if piece.left_edge.i == end and piece.right_edge.i < limit and \
                            piece.dep_ in ("prep", "dobj", "attr", "acomp"):
                        end = piece.right_edge.i + 1
            for after in sorted((c for c in clauses if c.i > found.i), key=lambda c: c.i):
                if after.left_edge.i > end:
                    break
                end = after.right_edge.i + 1  # "approving their teens’ app downloads": the model cut one clause at
                # a possessive apostrophe it took for a closing quote; the piece right after it is the same clause
            if _spliced_on(token, found, end):
                end = token.head.right_edge.i + 1
            if end < len(token.doc) and not token.doc[end - 1].whitespace_ and token.doc[end].norm_ == "not":
                end += 1  # "said it won’t": the small model may hang a curly "n’t" on the verb as punctuation
            return start, end
    obj = next((c for c in children if c.dep_ in ("dobj", "attr")), None)
    extra = [c for c in children if c.dep_ in ("oprd",) or c.dep_ == "prep" and c.lower_ in ("as", "of")]
    if token.lemma_.lower() in _TO_WHAT_WAS_SAID:
        extra += [g for c in children if c.dep_ == "prep" and c.lower_ == "to" for g in c.children
                  if g.dep_ in ("pobj", "pcomp")]
    if token.lemma_.lower() == "accuse" and obj is not None and not any(c.lower_ == "of" for c in extra):
        # "accused top staff at the agency of “sexual misconduct ...”": the parser hangs the "of" on the agency (an "of"
        # before a name is the name's: "in the Northern District of California", "at the Bank of England")
        extra += [c for c in children if c.dep_ == "prep" and c.i > obj.i and _holds_of_a_thing(c)]
    parts = [p for p in (obj, *extra) if p is not None]
    if parts:
        return min(p.left_edge.i for p in parts), max(p.right_edge.i for p in parts) + 1
    return None


def _verb_cue(token) -> Cue | None:
    lemma = token.lemma_.lower()
    quoted = _next_to_quote(token)
    stance = _STANCE_OF_LEMMA.get(lemma) or ("say" if lemma in _QUOTING_ONLY and quoted and not any(
        c.dep_ in ("dobj", "xcomp") for c in token.children) else None)
    # "does not confirm or deny": neither is said (not "did not get an extension or rarely spoke")
    negated = is_negated(token) or token.dep_ == "conj" and is_negated(token.head) and \
        token.head.lemma_.lower() in _STANCE_OF_LEMMA and \
        any(c.dep_ == "cc" and c.lower_ in ("or", "nor") for c in token.head.children) and \
        not any(c.dep_ in ("nsubj", "nsubjpass") for c in token.children)
    if token.pos_ != "VERB" or any(c.dep_ == "mark" and c.lower_ == "as" for c in token.children):
        return None  # "as reported by The Journal" refers to a statement, it does not make one
    if token.dep_ == "acl" and token.tag_ == "VBN":
        return None  # "an account called ...", "jets pledged by Norway": a participle naming a thing
    if token.dep_ == "advcl" and token.tag_ == "VBN" and not any(
            c.dep_ in ("aux", "auxpass", "nsubj", "nsubjpass", "ccomp", "agent") for c in token.children):
        return None  # "Once announced, fans voted": a passive participle, not the main clause's subject speaking
    if token.i > 0 and token.text[:1].isupper() and token.text[1:].islower() and \
            token.doc[token.i - 1].text not in (":", "“", '"', "‘", "(", "—") and not token.doc[token.i - 1].is_sent_end:
        return None  # "MBW Explains is a series", "Powell Says Fed to Be Careful": a title or a headline's word
    if token.i > 0 and token.doc[token.i - 1].lower_ in ("the", "a", "an", "this", "that"):
        return None  # "the said operative NAV": after a determiner, an adjective (however the model parses it)
    if any(c.tag_ == "TO" for c in token.children) and not _goes_on_to(token):
        return None  # "the race to confirm ...", "seem to say": an infinitive reports nothing yet
    deps = {c.dep_ for c in token.children if not (c.dep_ == "ccomp" and _lead_in(c))}
    if token.dep_ == "ROOT" and token.tag_ == "VBG" and not deps & {"aux", "auxpass"}:
        return None  # "Imagine saying back in the summer that ...": a verbless fragment reports nothing
    # (an agentless passive names no speaker, except "could not be reached for comment", a refusal handled below)
    if "auxpass" in deps and "agent" not in deps and lemma != "reach" or lemma in ("say", "report") and \
            any(c.dep_ == "xcomp" and any(g.tag_ == "TO" for g in c.children) for c in token.children):
        return None  # "George was dismissed", "tires said to be renewable": no one is named saying it
    opening = token.i == 0 or all(t.is_punct and not t.is_quote for t in token.doc[:token.i])
    if opening and not quoted and not any(c.dep_ in ("nsubj", "nsubjpass") and c.i < token.i for c in token.children):
        return None  # "Confirmed on August 10 that ...", "(Said ‘operative NAV’ was ...": a headline-style fragment
    if stance == "decline":
        withheld = [g for c in token.children if c.dep_ in ("xcomp", "prep")
                    for g in ([c] if c.dep_ == "xcomp" else [x for x in c.children if x.dep_ == "pcomp"])]
        if not any(g.lemma_.lower() in _DISCLOSE for g in withheld):
            return None  # "refused to allow Ukraine ..." is an act, not a refusal to comment
    elif negated:
        if not _withholds_comment(token):
            return None  # "did not deny" says nothing this lexicon can name
        stance = "decline"  # "did not respond", "didn't provide additional details", "could not be reached for comment"
    elif stance is None:
        return None
    elif stance == "deny" and _turns_away(token, lemma):
        return None  # "denied Epstein's request", "dismissed Zorro": withholding or beating, not denying a claim
    elif lemma in _NEEDS_CLAUSE and not deps & ({"ccomp", "oprd"} if lemma in _NO_INFINITIVE else
                                                {"ccomp", "oprd", "xcomp"}) and not quoted and \
            not any(c.dep_ == "prep" and c.lower_ == "as" and c.i > token.i for c in token.children):
        return None  # "As the horn blares, he calls emergency services": "as" before the verb is no "called it as"
    elif lemma == "call" and any(
            c.dep_ == "oprd" and (c.pos_ == "PROPN" or any(g.dep_ == "compound" and g.pos_ == "PROPN" for g in c.children))
            for c in token.children) and (
            token.dep_ in ("relcl", "csubj") and not deps & {"dobj", "nmod", "advmod"} or any(
                c.dep_ == "dobj" and c.lower_ in ("it", "them") for c in token.children) and not any(
                g.dep_ == "det" for c in token.children if c.dep_ == "oprd" for g in c.children)):
        # "a system he calls the “Creativity Machine”", "— it calls them Royalty Shares": a thing is given a name,
        # nothing is said (not "a move Trump called a “disgrace”", "something Cain called “hugely important”", "why
        # Pochettino calls Arteta “family”", "calls it the “Google tax”", nor "what a judge called Spears’ “habitual
        # ... use”", a judge's words)
        return None
    elif lemma == "say" and "dobj" in deps and not deps & {"ccomp", "xcomp"} and not quoted:
        return None  # "the family said goodbye"
    elif lemma == "add" and not quoted and not any(c.dep_ == "ccomp" and c.i > token.i for c in token.children) and (
            any(c.dep_ in ("dobj", "prt") or c.dep_ == "prep" and c.lower_ == "to" and _owned_object(c)
                for c in token.children) or not _someone(subject_of(token)) and
            any(c.dep_ == "prep" and c.lower_ in ("to", "in") for c in token.children)):
        # "Circle of the Moon adds a bear to the repertoire", "it adds to his trade chances", "Carolina still adds to
        # its lead": adding a thing, not a remark (one adds a remark with no object, "he added that ...", or after its
        # words, "..., he added", also to someone or somewhere: "..., Jim Chalmers added to reporters", "..., he added
        # in his press conference")
        return None
    elif lemma in ("find", "conclude") and ("dobj" in deps or "prt" in deps or not any(
            c.dep_ == "ccomp" and not _lead_in(c) and (c.pos_ in ("VERB", "AUX") and (c.tag_ != "VBN" or any(
                a.dep_ in ("aux", "auxpass") for a in c.children)) or any(m.dep_ == "mark" for m in c.children))
            for c in token.children)):
        # "found that ...", not "found himself at the crossroads", "found it so easy", "found Jackson unmarked", nor
        # "found out later that his daughter had been taken hostage" (learned it)
        return None
    elif lemma not in ("call", "describe") and any(
            g.lower_ in _REFLEXIVES for c in token.children if c.dep_ in ("dobj", "ccomp", "oprd")
            for g in [c, *(x for x in c.children if x.dep_ in ("nsubj", "nsubjpass"))]):
        return None  # "find themselves menaced", "confirmed themselves as qualifiers": the author's narration
    elif "ccomp" in deps and not quoted and all(_participle_phrase(c) for c in token.children if c.dep_ == "ccomp"):
        return None  # "Apple announced Macs using a new M3 processor at its “Scary Fast” event": things, not words
    content = _complement(token)
    if stance == "say" and lemma in ("call", "describe") and content is not None and \
            any(t.lower_ in FALSE_WORDS for t in token.doc[content[0]:content[1]]):
        stance = "deny"  # "called the report false"
    # "announcing the executive shake-up", "reports reveal the salaries of ...", "acknowledged the banter": with no
    # clause and no "as / of" phrase, the object is what was spoken about, not what was said; a denial of a noun
    # phrase ("Russia denied the claims") and an accusation still say something ("quoted an aide who said" names a
    # source, which the seed questions ask about)
    # ("testified about his concerns", "spoke about the merger": a phrase about a subject and nothing said is a topic too)
    # "explained how Google gets manufacturers to sign ...", "revealed why she never signed ...": a clause that asks
    # names what was spoken about, not what was said (in a relative clause, "which Ellison said were customer
    # funds", the question word is the relative pronoun)
    topic_only = stance in CLAUSE_STANCES and lemma != "quote" and (not deps & {"ccomp", "xcomp", "oprd"} and (
        any(c.dep_ in ("dobj", "attr") for c in token.children) and
        not any(c.dep_ == "prep" and c.lower_ in ("as", "of") for c in token.children) or
        "dobj" not in deps and any(c.dep_ == "prep" and c.lower_ in _ABOUT for c in token.children)) or
        token.dep_ != "relcl" and "ccomp" in deps and
        all(_indirect_question(c) for c in token.children if c.dep_ == "ccomp"))
    return Cue(token, token, stance, subject_of(token), content, topic_only)


def _withholds_comment(verb) -> bool:
    """Whether a verb negated ("did not respond") or after "unable to" withholds comment: a word of disclosing
    (`_DISCLOSE`) or "reach" for comment, with what it withholds when it takes an object ("didn't provide details",
    "can't share anything"; not "do not provide interest payments", "unable to provide refunds"); not "talk" or "speak"
    ("wasn't talking about insolvency", "haven't spoken since", "unable to speak for weeks": the writer's account, though
    "declined to speak" is a refusal), nor "does not always comment", nor "never quite said it"."""
    lemma = verb.lemma_.lower()
    if lemma not in _DISCLOSE and lemma != "reach" or lemma in ("talk", "speak") or \
            any(c.lower_ == "always" for c in verb.children):
        return False
    if lemma == "reach":
        return any(t.lemma_.lower() == "comment" for t in verb.subtree)
    if lemma in ("respond", "reply") and any(
            c.dep_ == "prep" and c.lower_ == "to" and g.dep_ == "pobj" and g.lemma_.lower() not in _INQUIRIES and
            g.lower_ not in _INQUIRIES
            for c in verb.children for g in c.children):
        return False  # "weren't responding to punishment", not "did not respond to a request for comment"
    withheld = next((c.lemma_.lower() for c in verb.children if c.dep_ == "dobj"), None)
    if lemma == "say" and withheld in ("it", "this", "that", "so"):
        return False
    return lemma not in _WITHHELD or withheld in _WITHHELD[lemma]


def _goes_on_to(verb) -> bool:
    """Whether an infinitive continues what its subject was saying, and so says it: "The pastor went on to explain
    that ...", "She continued to note that ...", "She proceeded to add ..."."""
    head = verb.head
    going_on = head.lemma_.lower() == "go" and any(c.dep_ == "prt" and c.lower_ == "on" for c in head.children)
    return verb.dep_ in ("xcomp", "advcl") and (going_on or head.lemma_.lower() in ("continue", "proceed"))


def _turns_away(verb, lemma: str) -> bool:
    """Whether a verb of denial withholds or turns someone away rather than denying a claim: two objects or one it
    is given to ("the post denied Palmer a goal", "denied his opponents some quick ball"), a name or a person ("He
    dismissed Zorro", "rejected him"; the cue parse has no entities), a thing granted ("denied Epstein's request") or,
    for "reject", put forward ("rejected Spears’s child support proposal"; "denied any deal with Iran" denies that
    there is one)."""
    objects = [c for c in verb.children if c.dep_ in ("dobj", "dative")]
    withheld = _GRANTED | _PROPOSED if lemma == "reject" else _GRANTED
    return len(objects) > 1 or any(c.dep_ == "dative" or c.pos_ == "PROPN" or c.lower_ in _PERSONAL_OBJECTS or
                                   c.lemma_.lower() in withheld for c in objects)


_PERSONAL_OBJECTS = frozenset("me you him her us".split())


def _participle_phrase(clause) -> bool:
    """Whether a "clause" is a noun with a participle after it, which the small model parses as a clause: "announced
    Macs using a new M3 processor", "writes them knowing that ..." (no auxiliary, no "that": nothing is stated)."""
    return clause.tag_ == "VBG" and not any(c.dep_ in ("aux", "auxpass", "mark") for c in clause.children) and \
        any(c.dep_ == "nsubj" for c in clause.children) and not any(
            _finite(c) and not any(m.dep_ == "mark" for m in c.children) for c in clause.children) and \
        not any(c.dep_ == "conj" and _finite(c) and c.i > clause.i and
                not any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children) for c in clause.head.children)
    # (not "claimed the police officers beating him laughed" nor "warned investors fleeing the market would regret
    # it": the participle's noun is the subject of a finite verb after it)


def _finite(verb) -> bool:
    """Whether a verb is finite, itself or through an auxiliary ("laughed", "would regret")."""
    return verb.tag_ in FINITE_TAGS or any(c.dep_ == "aux" and c.tag_ in FINITE_TAGS for c in verb.children)


def _indirect_question(clause) -> bool:
    """Whether a clause asks rather than states: it opens with a question word that belongs to it ("how Google gets
    ...", "why she never signed ...", "whether the yield curve ..."), not to a clause inside it ("when she was 23,
    she looked through public birth records")."""
    word = clause.left_edge
    if word.lower_ not in _QUESTION_WORDS or word.i > clause.i:
        return False
    while word != clause:
        if word.dep_ in ("advcl", "relcl", "csubj"):  # "what’s emerging is a standoff": a subject, not a question
            return False
        word = word.head
    return True


_QUESTION_WORDS = frozenset("how why whether what where when who which".split())
_REFLEXIVES = frozenset("myself yourself himself herself itself ourselves themselves".split())
_TO_WHAT_WAS_SAID = frozenset("admit testify confess attest".split())  # "admitted to kicking her son": what was said
# Stances whose reported words are a clause: a noun object is only a topic ("announced the shake-up"), and words with
# no verb say nothing (`statements`: "called racial slurs").
CLAUSE_STANCES = frozenset("say report confirm claim warn".split())
_CLAUSE_SUBJECTS = frozenset("nsubj nsubjpass csubj csubjpass expl".split())
# verbs whose object is whom they told ("told CNN arrest records are ..."), not the subject of what was said
_TOLD_WHOM = frozenset("tell inform assure remind notify advise promise ask".split())
_ABOUT = frozenset("about regarding concerning".split())  # prepositions that name a topic
_AGAINST = frozenset("against on over".split())  # and, after a stance noun, whom or what it is aimed at


def _next_to_quote(token) -> bool:
    """Whether a verb introduces or closes a quotation: a quote mark within three words before it ("“...,” Biello
    added") or after it ("added: “...”"). A quote elsewhere in the sentence (or an inch mark) does not count."""
    doc = token.doc
    near = [t.text for t in doc[max(0, token.i - 4):token.i + 4] if t.i != token.i]
    return any(mark in text for text in near for mark in "“”\"")


def _word_cues(token) -> Cue | None:
    """Stances carried by a noun or adjective: "had no comment", "not aware" (under a reporting verb, of its pronoun
    subject), "no information to share", "unable to comment", "delivered a warning", "according to X"."""
    lemma = token.lemma_.lower()
    head = token.head
    if token.lower_ == "according":
        to = next((c for c in token.children if c.lower_ == "to"), None)
        source = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
        if source is None:
            return None
        clause = head if head.pos_ in ("VERB", "AUX") else token.sent.root
        # the subject the parser hung on the source, found before the climb below (which its absence would mislead)
        subject = _subject_taken_for_apposition(source, clause)
        while clause.dep_ == "conj" and clause.head.pos_ in ("VERB", "AUX") and \
                not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in clause.children):
            clause = clause.head  # "STEVE is an aurora-like glow ..., yet is a distinct phenomenon, according to X"
        clause = _finite_clause(clause)
        # what was said is the clause's words around "according to X, who ...": both sides when the phrase stands
        # inside the clause ("With 2,000 servers in 160 cities, according to the company, it had ..."), less the
        # phrase; one side when it ends or opens the clause, or the clause is a relative one ("which, according to
        # the company, will be ...": what follows the relative pronoun)
        before = [t for t in clause.subtree if t.i < token.left_edge.i]
        words = [t for t in before if not t.is_punct]
        # not another clause before the clause's semicolon, colon or conjunction right before the phrase ("LeCun has a point;
        # according to one estimate, ...", "The Giants made a hard push ..., but according to X, ..."), nor a
        # discourse word alone ("However, according to the website, ...")
        cut = max((t.i for t in before if t.head == clause and (
            t.text in (";", ":") or t.pos_ == "CCONJ" and words and t == words[-1])), default=-1)
        before = [t for t in words if t.i > cut]
        before = before if any(t.pos_ in _CONTENT_POS for t in before) else []
        if before and (before[-1].pos_ == "SCONJ" or before[-1].tag_ in ("WRB", "WDT", "WP")):
            before = []  # "on 7 October when, according to Pochettino, James was back": what follows the "when"
        doc = token.doc
        phrase_end = subject.left_edge.i - 2 if subject is not None else token.right_edge.i  # before its comma
        sides = (before, [t for t in clause.subtree if t.i > phrase_end and not t.is_punct])
        set_off = 0 < token.left_edge.i and phrase_end + 1 < len(doc) and \
            doc[token.left_edge.i - 1].text in _SETTING_OFF and doc[phrase_end + 1].text in _SETTING_OFF
        # both sides when what stands before is the clause's subject or opening phrase (with its own verb at most):
        # "The effect, according to Livingstone, has been positive"; not a clause of its own ("Despite the fact that
        # the market is expected to reach $288bn, according to X, advocates ...": the phrase is that clause's)
        opening = not any(t.pos_ in ("VERB", "AUX") and t != clause and t.head != clause for t in before)
        # after the clause's own verb, only a phrase that goes on with it ("..., marking a 56% decrease", "..., to
        # avoid negative publicity"), not a clause of its own ("Sales fell, according to the company, while costs
        # rose", "..., and the board is searching")
        goes_on = clause.i > token.left_edge.i or not any(
            c.i > phrase_end and (c.dep_ in ("cc", "conj", "mark") or any(
                g.dep_ in ("nsubj", "nsubjpass", "expl", "mark") for g in c.children)) for c in clause.children)
        if all(sides) and set_off and opening and goes_on and clause.dep_ != "relcl":
            return Cue(token, token, "report", source, (sides[0][0].i, sides[1][-1].i + 1),
                       aside=(token.left_edge.i, phrase_end + 1))
        # the side holding the clause's verb when a clause of its own follows the phrase; else the side with more words
        said = [t.i for t in (sides[0] if all(sides) and not goes_on else max(sides, key=len))]
        return Cue(token, token, "report", source, (min(said), max(said) + 1) if said else None)
    if lemma == "unable" and head.pos_ in ("AUX", "VERB") and any(
            c.dep_ == "xcomp" and _withholds_comment(c) and c.lemma_.lower() != "identify" for c in token.children):
        # "it’s unable to comment on a possible timeline": a refusal, as "declined to comment" is (not "unable to
        # return to the pitch", nor "Police were unable to identify the victim", which tells what is not known)
        return Cue(token, head, "decline", subject_of(head), (head.left_edge.i, head.right_edge.i + 1))
    if lemma in _DECLINE_WORDS and token.pos_ in ("NOUN", "ADJ"):
        if not (is_negated(token) or head.lower_ == "no" or is_negated(head) and head.pos_ in ("AUX", "VERB")):
            return None
        anchor = head if head.pos_ in ("VERB", "AUX") else token
        if lemma == "aware" and not (anchor.dep_ == "ccomp" and anchor.head.lemma_.lower() in _STANCE_OF_LEMMA and
                                     any(c.dep_ == "nsubj" and c.pos_ == "PRON" for c in anchor.children)):
            # "Fans aren't fully aware of why ...", "Smith said fans aren't aware ...": what someone says another knows;
            # "said it was not aware" is a refusal
            return None
        return Cue(token, anchor, "decline", subject_of(anchor), (anchor.left_edge.i, anchor.right_edge.i + 1))
    if lemma in _STANCE_NOUNS and token.pos_ == "NOUN" and token.dep_ == "dobj" and head.lemma_.lower() in _GIVING_VERBS:
        if is_negated(head) or any(c.lower_ == "no" for c in token.children):
            return None  # "They haven't made any claims", "made no statement": nothing was said
        doc = token.doc
        # the clauses hanging on the noun (not a "that" clause, which is what was said, nor the quotation after it:
        # "issued its own statement today: “Hipgnosis ...”")
        clauses = [c for c in token.children if c.i > token.i and c.pos_ in ("VERB", "AUX") and (
            c.dep_ == "relcl" or c.dep_ == "acl" and not any(g.dep_ == "mark" and g.lower_ == "that"
                                                             for g in c.children))
            and not any(t.text == ":" or t.is_quote for t in doc[token.i + 1:c.left_edge.i + 1])]
        reporting, said = next(((t, said) for c in clauses for t in c.subtree if t.pos_ in ("VERB", "AUX") and
                                t.lemma_.lower() in _STANCE_OF_LEMMA and (said := _complement(t)) is not None),
                               (None, None))
        if reporting is not None and any(c.dep_ in ("nsubj", "nsubjpass") for c in reporting.children):
            return None  # "a statement in which it noted ...": the verb's own cue, with its own subject, says it
        if clauses and reporting is None and not any(t.is_quote for c in clauses for t in c.subtree):
            # "a statement expressing frustration ...", "a statement to express how meaningful ...": what it was
            # about, not what was said (unlike "a statement that they are the team to beat", "a statement that read,
            # “...”")
            return None
        after = [t.i for t in token.subtree if t.i > token.i]
        # "released a statement saying ...", "a statement posted on its website denying ...": what the reporting verb
        # inside says, with its stance
        content = said if said is not None else (min(after), max(after) + 1) if after else (token.i, token.i + 1)
        stance = _STANCE_OF_LEMMA[reporting.lemma_.lower()] if reporting is not None else _STANCE_NOUNS[lemma]
        # "gave this statement from Frank Shaw": Shaw speaks, not the one who passed it on; "issues strong statement
        # against Big Ten" names what it is about, not what was said
        source = next((g for c in [*token.children, *head.children] if c.dep_ == "prep" and c.lower_ == "from"
                       and c.i > token.i for g in c.children if g.dep_ == "pobj" and g.pos_ == "PROPN"), None)
        topic = stance in ("say", "claim") and all(
            c.dep_ == "prep" and c.lower_ in _ABOUT | _AGAINST for c in token.children if c.i > token.i)
        return Cue(token, head, stance, source if source is not None else subject_of(head), content,
                   topic and bool(after))
    return None


def _subject_taken_for_apposition(source, clause):
    """The subject of the clause "according to X" opens that the small model hung on X as its apposition ("according to
    NBC Sports Bay Area’s Alex Pavlovic, San Francisco has been notified that ...": "San Francisco"), else None: an
    apposition in the source's phrase whose words (and its own apposition's) run right up to the clause's verb or its
    auxiliary, where a subject of the clause would stand."""
    doc = clause.doc
    verb_start = min([clause.i, *(c.i for c in clause.children if c.dep_ in ("aux", "auxpass", "neg"))])
    for name in source.subtree:
        if name.dep_ == "appos" and name.right_edge.i < verb_start:
            # up to the verb only punctuation and the name's own apposition, which the parser hangs beside it ("Aaron
            # Rodgers, the Jets quarterback, has been cleared")
            beside = {w.i for a in name.head.children if a.dep_ == "appos" and a.i > name.i for w in a.subtree}
            if all(w.is_punct or w.i in beside for w in doc[name.right_edge.i + 1:verb_start]):
                return name
    return None


FINITE_TAGS = frozenset("VBD VBZ VBP MD".split())  # tags of a finite verb ("said killed", not "describes working")
_CONTENT_POS = frozenset("NOUN PROPN PRON NUM VERB AUX ADJ".split())  # words that say something, unlike "However"
_SETTING_OFF = frozenset(", — –".split())  # punctuation that sets "according to X" apart inside a clause


def _finite_clause(verb):
    """The finite clause a non-finite verb hangs from: "signing Craig Kimbrel ..." in "The Orioles are bolstering
    their bullpen, signing ...", "to avoid negative publicity" in "family members agreed ... to avoid ...", "after
    reaching unicorn status" in "Is closing up shop ... after reaching ..."; the verb itself when it is finite."""
    while verb.dep_ in ("advcl", "xcomp", "pcomp", "conj") and (
            verb.tag_ == "VBG" or verb.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)):
        head = verb.head.head if verb.head.pos_ == "ADP" else verb.head
        if head.pos_ not in ("VERB", "AUX"):
            break
        verb = head
    return verb


def cues_of(sentence) -> list[Cue]:
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
        # the refusal is the reported clause's own verb ("said it did not respond", "said she was not aware"), not a
        # clause inside it ("said she told the children they weren't responding to punishment")
        outer = next((o for o in found if o is not cue and o.stance == "say" and o.subject is not None
                      and any(c.dep_ == "ccomp" and (cue.anchor == c or cue.anchor.head == c and cue.anchor.dep_ in (
                          "conj", "xcomp")) for c in o.anchor.children)), None)
        if outer is not None and cue.stance in ("deny", "decline", "confirm") and \
                (cue.subject is None or cue.subject.pos_ == "PRON" and _may_be(cue.subject, outer.subject)):
            outer.stance = cue.stance  # the reporter's own refusal or denial, reported through a pronoun
            continue
        merged.append(cue)
    return [c for c in merged if c.subject is not None or expletive_source(c.token) is not None]


_PRONOUN_GROUPS = ({"he", "him"}, {"she", "her"}, {"they", "them"}, {"it"})


def _may_be(pronoun, subject) -> bool:
    """Whether a pronoun may stand for a reporter's subject: not "she" for "he" ("“... she doesn’t talk before her
    shows,” he said" reports no refusal of his), nor "they" for "it"; "I" and "we" (the quoted speaker) may."""
    if subject.pos_ != "PRON":
        return True
    groups = [next((g for g in _PRONOUN_GROUPS if word.lower_ in g), None) for word in (pronoun, subject)]
    return None in groups or groups[0] is groups[1]


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


def expletive_source(token):
    """"There was no response to messages left with X and Tesla": who was asked (the object of "with / from")."""
    for t in token.subtree:
        if t.dep_ == "prep" and t.lower_ in ("with", "from"):
            found = next((c for c in t.children if c.dep_ == "pobj"), None)
            if found is not None:
                return found
    return None


def calls_false(doc) -> bool:
    """"It's all untrue", "Any allegations to the contrary are completely false", "It is untrue that he met them": a
    copula whose predicate is a word of falsehood, said of no person ("Guy is ridiculous", "I was completely
    inaccurate") and of no clause but a "that" one ("It's so ridiculous what we argued about" judges, it denies
    nothing)."""
    def judges_other(copula) -> bool:
        return any(c.dep_ == "nsubj" and (c.pos_ == "PROPN" or c.lower_ in _PERSONAL_SUBJECTS) or c.dep_ == "csubj" or
                   c.dep_ == "ccomp" and not any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
                   for c in copula.children)
    return any(t.lower_ in FALSE_WORDS and t.dep_ in ("acomp", "attr") and not is_negated(t.head) and
               not judges_other(t.head) for t in doc)


_PERSONAL_SUBJECTS = frozenset("i you he she we".split())
