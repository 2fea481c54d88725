"""An exact, faster `match` for spaCy's attribute_ruler (the pipe that maps the tagger's tags to parts of speech and
morphology, and fixes some lemmas): about a fifth of en_core_web_sm's time on the sentences the statement extractor
parses, spent in a general token `Matcher` running 179 mostly one-token rules on every token.

`index_rules(ruler)` makes `ruler.match` look up each token's (LOWER, TAG, DEP, IS_SPACE) in dict tables built from
the one-token rules with plain or `IN` values; the few other rules (several tokens, `NOT_IN`, `REGEX`) stay in a
spaCy `Matcher`. The result is the same list the stock `AttributeRuler.match` returns (`(rule index, rule key,
start, end)`, sorted), so `set_annotations` is untouched; `tests/test_attribute_rules.py` checks the equality on real
text.
Rules added to the ruler afterwards are not seen: the pipeline never adds any.
"""
from __future__ import annotations

from itertools import product
from operator import itemgetter

TABLE_ATTRIBUTES = ("LOWER", "TAG", "DEP", "IS_SPACE")  # the token attributes a table rule may test


def index_rules(ruler) -> None:
    """Replace `ruler.match` (an `AttributeRuler` with its rules loaded) by the table lookup, in place."""
    ruler.match = _IndexedRules(ruler).match


class _IndexedRules:
    def __init__(self, ruler):
        from spacy.matcher import Matcher

        self._strings = ruler.vocab.strings
        self._rule_keys: list[int] = []  # rule index -> the key hash the stock matcher reports
        # attribute positions in TABLE_ATTRIBUTES -> value hashes at those positions (one hash for one position, as
        # `itemgetter` gives them) -> rule indices
        self._tables: dict[tuple[int, ...], dict[object, list[int]]] = {}
        self._other_rules = Matcher(ruler.vocab)
        for rule_index, rule in enumerate(ruler.patterns):
            self._rule_keys.append(self._strings.add(str(rule_index)))
            others = []
            for pattern in rule["patterns"]:
                if not self._add_to_table(rule_index, pattern):
                    others.append(pattern)
            if others:
                self._other_rules.add(str(rule_index), others)

    def _add_to_table(self, rule_index: int, pattern: list[dict]) -> bool:
        """File a one-token pattern of plain or `IN` values under its attributes; False when it is not one."""
        if len(pattern) != 1 or not pattern[0] or not set(pattern[0]) <= set(TABLE_ATTRIBUTES):
            return False
        attributes = sorted(pattern[0], key=TABLE_ATTRIBUTES.index)
        choices = []
        for attribute in attributes:
            value = pattern[0][attribute]
            if isinstance(value, dict) and set(value) == {"IN"}:
                values = list(value["IN"])
            elif isinstance(value, (str, bool)):
                values = [value]
            else:
                return False
            if not all(isinstance(one, (str, bool)) for one in values):
                return False
            choices.append([int(one) if isinstance(one, bool) else self._strings.add(one) for one in values])
        table = self._tables.setdefault(tuple(TABLE_ATTRIBUTES.index(a) for a in attributes), {})
        for key in product(*choices):
            rules = table.setdefault(key if len(key) > 1 else key[0], [])
            if rule_index not in rules:
                rules.append(rule_index)
        return True

    def match(self, doc) -> list[tuple[int, int, int, int]]:
        """The stock `AttributeRuler.match(doc)`: (rule index, rule key, start, end) for every match, sorted."""
        found = set()
        rows = doc.to_array(list(TABLE_ATTRIBUTES)).tolist() if len(doc) else []
        for positions, table in self._tables.items():
            values_of = itemgetter(*positions)
            for start, row in enumerate(rows):
                for rule_index in table.get(values_of(row), ()):
                    found.add((rule_index, self._rule_keys[rule_index], start, start + 1))
        for key, start, end in self._other_rules(doc, allow_missing=True, as_spans=False):
            found.add((int(self._strings[key]), key, start, end))
        return sorted(found)
