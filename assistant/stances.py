"""The stance lexicon, one for both sides: what a reporting verb says about a statement (`statements.py` reads
articles with it) and which family of statements a question asks about (`questions.py`)."""
from __future__ import annotations

STANCES = ("deny", "confirm", "decline", "say", "claim", "accuse", "report", "warn")
STANCE_LEMMAS: dict[str, frozenset[str]] = {
    "deny": frozenset("deny reject dismiss refute dispute rebut disavow".split()),
    "confirm": frozenset("confirm acknowledge verify admit concede".split()),
    "decline": frozenset("decline refuse refrain".split()),  # only with a comment-like complement (reporting._DISCLOSE)
    "accuse": frozenset("accuse blame".split()),
    "claim": frozenset("claim allege assert insist contend argue maintain".split()),
    "warn": frozenset("warn caution".split()),
    "report": frozenset("report reveal conclude find".split()),
    "say": frozenset("say tell state add explain note write announce comment respond reply vow pledge promise "
                     "suggest call describe testify tweet urge recommend quote".split()),
}
