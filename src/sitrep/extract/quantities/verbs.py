"""What happened to a count, read off the words that govern it: state words ("five dead"),
verbs and their roles ("killed 10", "5 died", "taken prisoner"), relative clauses and
"among" phrases, and the harm a verb or state word gives a person noun (``_harm_kind``).

Part of ``sitrep.extract.quantities`` (see its docstring).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from spacy.tokens import Doc, Token

from sitrep.extract.lexicon import load_data
from sitrep.extract.quantities.lexicon import _lex
from sitrep.extract.quantities.nouns import _NOUN_POS, _noun_class
from sitrep.model import PEOPLE_KINDS


def _has_object(tok: Token) -> bool:
    """True when ``tok`` is an active verb with its own object close by ("killed 10 civilians")."""
    for child in tok.children:
        if child.dep_ == "dobj" and 0 < child.i - tok.i <= 4:
            if not any(t.is_punct for t in tok.doc[tok.i + 1 : child.i]):
                return True
    return False


def _state_at(tok: Token) -> str | None:
    word = tok.lower_
    states = _lex().states
    if word in states and (
        tok.dep_ in ("acl", "amod", "oprd", "acomp", "advcl") or not _has_object(tok)
    ):
        return word
    return None


def _state_kind(doc: Doc, head: Token, noun: Token | None, end: int) -> tuple[str, str] | None:
    """A state word after the number or on its noun: "five dead", "left 12 injured".

    A list of counted nouns may stand between ("Five troops, 19 civilians, killed"), and
    "killed and wounded" together make casualties.
    """
    lex = _lex()
    # "killing at least 50 captured fighters": the verb says what befell them, not the state
    # ... nor does the participle after it: "the deaths of four people abducted by Hamas",
    # "medical staff detained by Israel had died in prison" count the dead
    overruled = {c.i for c in noun.children if (
        c.dep_ == "amod" or (c.dep_ == "acl" and c.tag_ == "VBN")) and c.lower_ in lex.states
                 and _harmed_again(noun, lex.states[c.lower_])} if noun is not None else set()
    nxt = doc[head.i + 1] if head.i + 1 < len(doc) else None
    if (
        noun is not None
        and nxt is not None
        and nxt.i not in overruled
        and nxt.i < noun.i
        and nxt.idx >= end
        and nxt.tag_ == "VBN"
        and nxt.lower_ in lex.states
    ):
        # "..., three killed - rebel command": the parse hangs the number on a later noun,
        # but a participle right after the number says what happened to it.
        return _with_pair(nxt, lex.states[nxt.lower_], nxt.lower_)
    anchor_end = noun.idx + len(noun.text) if noun is not None and noun.idx >= end else end
    first = next((t.i for t in doc[head.i + 1 :] if t.idx >= anchor_end), len(doc))
    last_content: Token | None = None
    for tok in doc[first : first + 8]:
        if tok.is_punct and tok.text in "\"'\u201d\u2019)":
            continue
        if tok.lower_ in lex.reported:
            continue  # "five troops reported killed"
        word = _state_at(tok) if tok.i not in overruled else None
        if word is not None and (last_content is None or last_content.pos_ in _NOUN_POS):
            return _with_pair(tok, lex.states[word], word)
        if noun is None or tok.is_sent_start:
            break
        if tok.text == "," or tok.pos_ in ("CCONJ", "NUM", "ADJ", "DET", "NOUN", "PROPN"):
            if not tok.is_punct and tok.pos_ != "CCONJ":
                last_content = tok
            continue
        break
    if noun is not None:
        for child in noun.children:
            if (child.dep_ == "amod" and child.lower_ in lex.states
                    and child.i not in overruled):
                return lex.states[child.lower_], child.lower_
    return None


def _harmed_again(noun: Token, state: str) -> bool:
    """Whether a verb of another harm acts on a noun a state word already describes: "killing
    at least 50 captured fighters", "three wounded soldiers were killed" count the killed."""
    if state == "killed":
        return False
    node = noun
    if node.dep_ == "pobj" and node.head.lower_ == "of":
        node = node.head.head  # "dozens of captured fighters were executed"
        if _noun_class(node) == ("outcome", "killed"):
            return True  # "the deaths of four people abducted by Hamas"
    verb = node.head
    if verb.pos_ not in ("VERB", "AUX"):
        return False
    if node.dep_ in ("dobj", "nsubjpass"):
        found = _verb_kind(verb, "object", "person")
    elif node.dep_ == "nsubj":
        found = _verb_kind(verb, "subject", "person")  # "... detained by Israel had died"
    else:
        return False
    return found is not None and found[0] == "killed"


def _with_pair(tok: Token, kind: str, word: str) -> tuple[str, str]:
    """ "killed and wounded", "killed or injured" together make casualties."""
    if kind not in ("killed", "wounded"):
        return kind, word
    doc = tok.doc
    lex = _lex()
    for conj, other in ((tok.i + 1, tok.i + 2), (tok.i - 1, tok.i - 2)):
        if not (0 <= other < len(doc)) or doc[conj].lower_ not in ("and", "or", "/"):
            continue
        o = doc[other]
        kinds = [lex.states.get(o.lower_)] + [
            _spec_kind(lex.verbs[m], "person") for m in _lemmas(o) if m in lex.verbs
        ]
        if any(k in ("killed", "wounded") and k != kind for k in kinds):
            return "casualties", f"{word}+{o.lower_}"
    return kind, word


def _lemmas(tok: Token) -> list[str]:
    """The lemma and a few guesses from the surface form ("injured" -> "injure")."""
    low = tok.lower_
    out = [tok.lemma_.lower(), low]
    for suffix, repl in (
        ("ied", "y"),
        ("ed", ""),
        ("ed", "e"),
        ("d", ""),
        ("ing", ""),
        ("ing", "e"),
        ("s", ""),
    ):
        if low.endswith(suffix) and len(low) > len(suffix) + 2:
            out.append(low[: -len(suffix)] + repl)
    if len(low) > 4 and low[-3] == low[-4] and low.endswith("ed"):
        out.append(low[:-3])  # "kidnapped" -> "kidnap"
    return out


def _spec_kind(spec: dict[str, Any], noun_class: str) -> str:
    """A verb's kind, which may depend on what it acts on ("destroyed 60 occupiers")."""
    kind = spec["kind"]
    if isinstance(kind, dict):
        return str(kind.get(noun_class, kind.get("default", "other")))
    return str(kind)


def _aimed_at(verb: Token) -> bool:
    """A passive participle whose preposition has lost its object to the subject: "fighters
    being shot at", "soldiers were fired on": aimed at, not hit."""
    # Its only dependents, if any, are prepositions ("shot at near the gate"); "at least 415"
    # and "in the operation" have words of their own, and "according to" is no preposition.
    return verb.tag_ == "VBN" and any(
        c.dep_ == "prep" and c.tag_ == "IN" and c.i > verb.i
        and all(g.dep_ == "prep" for g in c.children)
        for c in verb.children
    )


def _verb_kind(verb: Token, role: str, noun_class: str) -> tuple[str, str] | None:
    """The kind a verb gives to its object or subject ("killed 10", "5 died", "taken prisoner")."""
    lex = _lex()
    if role == "object" and _aimed_at(verb):
        return None
    lemmas = _lemmas(verb)
    if lemmas[0] in _raising_verbs():
        # "Ten people are reported to have been killed", "34 are presumed dead": the kind is
        # the complement's; its subject is the reported verb's ("believed to have died").
        for c in verb.children:
            if c.dep_ in ("oprd", "acomp", "attr") and c.lower_ in lex.states:
                return lex.states[c.lower_], f"kind.state:{c.lower_}"
            if c.dep_ in ("xcomp", "ccomp") and c.pos_ in ("VERB", "AUX") and c.i > verb.i:
                if any(g.dep_ in ("nsubj", "nsubjpass", "expl") for g in c.children):
                    continue  # "a soldier said he was hurt": a clause with its own subject
                passive = any(g.dep_ == "auxpass" for g in c.children)
                found = _verb_kind(c, "object" if passive else "subject", noun_class)
                if found:
                    return found
    if noun_class in ("person", "none") and (death := _to_death(verb, role)):
        return death
    keys = [
        f"{lemma} {c.lemma_.lower()}"
        for c in verb.children
        if c.dep_ in ("prt", "oprd", "dobj", "acomp", "xcomp", "attr", "advmod")
        for lemma in lemmas[:1]
    ]
    keys += lemmas
    if role == "object":
        # "taking 253 others back to Gaza as hostages": what the 'as' phrase says they became
        for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ == "as"):
            for role_noun in (g for g in prep.children if g.dep_ == "pobj"):
                cls, kind = _noun_class(role_noun)
                if cls == "person" and kind in _as_role_kinds():
                    return kind, f"kind.as:{role_noun.lower_}"
    own: tuple[str, str] | None = None
    for key in keys:
        spec = lex.verbs.get(key)
        if spec and spec["role"] in (role, "any") and noun_class in spec["nouns"]:
            kind, why = _with_pair(verb, _spec_kind(spec, noun_class), key)
            own = kind, f"kind.verb:{why}"
            if role == "object" and (whom := _object_kind(verb, spec)) is not None:
                own = whom, f"kind.verb:{key}:{whom}"  # "lost five members of his family"
            break
    if own is not None and own[0] != "casualties":
        return own
    if role == "object" and own is None:
        for c in verb.children:
            if c.dep_ in ("oprd", "acomp") and c.lower_ in lex.states:
                # "Two soldiers were found dead", "left 14 dead": the state they were in
                return lex.states[c.lower_], f"kind.state:{c.lower_}"
    for c in verb.children:
        if c.dep_ == "conj" and c.pos_ == "VERB" and c.tag_ == verb.tag_ and not any(
            g.dep_ in ("nsubj", "nsubjpass", "dobj", "neg") for g in c.children
        ):
            # "Two soldiers were shot and killed": what the second verb says happened,
            # which is more than "shot" (killed or wounded) says.
            found = _verb_kind(c, role, noun_class)
            if found is not None:
                return found
    if own is not None:
        return own
    if noun_class in ("person", "none") and (care := _care_kind(verb)):
        return care
    if role == "subject":
        # "12 people are missing", "five soldiers killed in strike" (a headline's passive)
        if any(c.dep_ == "dobj" or c.dep_ == "oprd" and c.lower_ not in lex.states
               for c in verb.children):
            # "settlers shot dead his brother": the object is the one harmed (also where the
            # parse reads it as a complement: "shot dead a 17-year-old")
            return None
        if verb.lower_ in lex.states:
            return lex.states[verb.lower_], f"kind.state:{verb.lower_}"
        for c in verb.children:
            if c.dep_ in ("acomp", "oprd", "attr") and c.lower_ in lex.states:
                return lex.states[c.lower_], f"kind.state:{c.lower_}"
    return None


def _object_kind(verb: Token, spec: dict[str, Any]) -> str | None:
    """The kind a verb's object noun gives it where the verb's spec lists one
    (``object_kinds``: "lost five members of his family" are dead, where "lost 300 soldiers"
    are casualties): the object, or the noun after its "of" ("160 of their colleagues")."""
    table = spec.get("object_kinds")
    if not table:
        return None
    for obj in (c for c in verb.children if c.dep_ == "dobj"):
        nouns = [obj, *(g for p in obj.children if p.dep_ == "prep" and p.lower_ == "of"
                        for g in p.children if g.dep_ == "pobj")]
        for noun in nouns:
            if noun.lemma_.lower() in table:
                return str(table[noun.lemma_.lower()])
    return None


def _to_death(verb: Token, role: str) -> tuple[str, str] | None:
    """Whoever a verb acts on "to death" is killed, whatever the verb: "two prisoners were
    beaten to death", "children are starving to death", "trampling other Gazans to death"
    (not "sentenced to death": kinds.json ``to_death``). A subject is the one who dies only
    when the verb has no object ("guards beat him to death": not the guards)."""
    lemma = verb.lemma_.lower()
    if lemma in _lex().k["to_death"]["not_killing"]:
        return None
    if role == "subject" and any(c.dep_ == "dobj" for c in verb.children):
        return None
    for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ == "to"):
        if any(g.dep_ == "pobj" and g.lower_ == "death" for g in prep.children):
            return "killed", f"kind.to-death:{lemma}"
    return None


def _care_kind(verb: Token) -> tuple[str, str] | None:
    """People the verb puts in care are wounded: "Eleven people remained in hospital",
    "two are in a critical condition", "nine were taken to hospital" (``kinds.json`` care)."""
    care, verbs = _care()
    if verb.lemma_.lower() not in verbs:
        return None
    if any(c.dep_ in ("nsubj", "nsubjpass") and any(g.dep_ == "prep" and g.lower_ == "of"
                                                     for g in c.children)
           for c in verb.children):
        return None  # "several of the wounded were in serious condition": counted already
    for prep in verb.children:
        if prep.dep_ != "prep" or prep.lower_ not in ("in", "to", "into"):
            continue
        for place in (g for g in prep.children if g.dep_ == "pobj"):
            needs = care.get(place.lemma_.lower())
            if needs is None or any(m.lower_ == "the" or m.pos_ == "PROPN"
                                    for m in place.children if m.i < place.i):
                continue  # "Nasser hospital", "the hospital": a building
            if not needs or any(m.lower_ in needs for m in place.children if m.dep_ == "amod"):
                return "wounded", f"kind.care:{place.lower_}"
    return None


@lru_cache(maxsize=1)
def _care() -> tuple[dict[str, frozenset[str]], frozenset[str]]:
    data = load_data("kinds.json")
    return ({k: frozenset(v) for k, v in data["care"].items()}, frozenset(data["care_verbs"]))


@lru_cache(maxsize=1)
def _as_role_kinds() -> frozenset[str]:
    return frozenset(load_data("kinds.json")["as_role_kinds"])


@lru_cache(maxsize=1)
def _raising_verbs() -> frozenset[str]:
    return frozenset(load_data("kinds.json")["raising_verbs"])


def _clause_kind(noun: Token, noun_class: str) -> tuple[str, str] | None:
    """A relative clause or participle on the counted noun or pronoun: "1,500 people who died",
    "9,000 of those killed", "20 civilians who were killed"."""
    for c in noun.children:
        if c.dep_ not in ("relcl", "acl") or c.pos_ not in ("VERB", "AUX") or c.i < noun.i:
            continue
        deps = {g.dep_ for g in c.children}
        if c.dep_ == "relcl" and "nsubj" in deps:
            found = _verb_kind(c, "subject", noun_class)
        else:
            found = _verb_kind(c, "object", noun_class)
            if found is None and c.lower_ in _lex().states:
                found = _lex().states[c.lower_], f"kind.state:{c.lower_}"
        if found:
            return found
    return None


def _victim_group(group: Token) -> tuple[str, str] | None:
    """A definite group word that names the harmed itself ("the dead", "the injured", "the
    hostages"; kinds.json ``part_of.victim_groups``): who is among it shares its harm. A
    counted group ("among 40 hostages") says it through its number instead."""
    lex = _lex()
    word = group.lower_
    if word not in lex.part_of["victim_groups"] or not any(
        c.dep_ in ("det", "poss") for c in group.children
    ):
        return None
    kind = lex.outcome.get(word) or lex.states.get(word) or lex.persons.get(group.lemma_.lower())
    return (kind, f"kind.among:{word}") if kind and kind != "other" else None


def _among_kind(subject: Token, noun_class: str) -> tuple[str, str] | None:
    """ "Three Britons were among seven aid workers killed", "two children were among those
    killed": a part of the group the 'among' phrase counts, with its kind."""
    verb = subject.head
    # "Among the injured were two firefighters": the parse may make the subject an attr.
    if subject.dep_ not in ("nsubj", "attr") or verb.lemma_.lower() != "be":
        return None
    for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ == "among"):
        for group in (g for g in prep.children if g.dep_ == "pobj"):
            found = _clause_kind(group, noun_class) or _victim_group(group)
            if found is None and group.pos_ == "NOUN":
                state = _state_kind(group.doc, group, group, group.idx + len(group.text))
                found = (state[0], f"kind.state:{state[1]}") if state else None
            if found:
                return found[0], "kind.part-of:" + found[1].removeprefix("kind.")
    return None


def _claimed_elsewhere(verb: Token) -> bool:
    """A harm verb under a denial, accusation, threat or plan ("denies killing civilians",
    "accused Russia of killing civilians") reports no victims of its own."""
    not_under = set(_lex().k["implicit_one"]["not_under"])
    tok = verb
    for _ in range(3):
        if tok.head.i == tok.i:
            return False
        tok = tok.head
        if tok.lemma_.lower() in not_under:
            return True
        if tok.pos_ not in ("ADP", "PART", "SCONJ"):
            return False
    return False


def _suffered(verb: Token) -> tuple[str, str] | None:
    """The harm a verb of suffering gives its subject by its object: "a woman suffered
    serious injuries" (wounded), "he sustained fatal wounds" (killed); kinds.json
    ``suffered_harm``."""
    spec = _lex().k["suffered_harm"]
    if verb.lemma_.lower() not in spec["verbs"]:
        return None
    for obj in (c for c in verb.children if c.dep_ == "dobj"):
        kind = spec["nouns"].get(obj.lower_) or spec["nouns"].get(obj.lemma_.lower())
        if kind is None:
            continue
        if any(c.lower_ in spec["fatal"] for c in obj.children if c.dep_ == "amod"):
            kind = "killed"
        return kind, f"kind.suffered:{obj.lower_}"
    return None


def _harm_kind(noun: Token) -> tuple[str, str] | None:
    """The kind a verb or state word gives a person noun: its passive or active subject,
    its object, or a participle on it ("Woman killed in ...")."""
    head = noun.head
    if _claimed_elsewhere(head):
        return None
    if noun.dep_ in ("nsubjpass", "dobj") and head.pos_ in ("VERB", "AUX"):
        found = _verb_kind(head, "object", "person")
    elif noun.dep_ == "nsubj" and head.pos_ in ("VERB", "AUX"):
        found = _verb_kind(head, "subject", "person")
    else:
        found = None
    if found is None and noun.dep_ == "nsubj" and head.pos_ == "VERB":
        found = _suffered(head)
    if found is not None:
        return None if any(c.dep_ == "neg" for c in head.children) else found
    states = _lex().states
    if noun.dep_ in ("nsubj", "nsubjpass") and head.lower_ in _lex().reported:
        # "Ukrainian marine reported killed", "two sailors feared dead"
        for c in head.children:
            if c.dep_ in ("xcomp", "oprd", "acomp", "ccomp") and c.lower_ in states:
                # Not a clause of its own: "officials said we killed 30" (the officials
                # are who speak, "we" who killed).
                if any(g.dep_ in ("nsubj", "nsubjpass", "expl") for g in c.children):
                    continue
                return states[c.lower_], f"kind.state:{c.lower_}"
    for child in noun.children:
        # "Woman killed in ...", "a dead person", "a wounded soldier"
        if child.dep_ in ("acl", "amod") and child.lower_ in states:
            return states[child.lower_], f"kind.state:{child.lower_}"
    if noun.dep_ == "ROOT" or head.i > noun.i:
        # A headline the parser hangs on the participle: "Soldier killed near Avdiivka".
        nxt = noun.doc[noun.i + 1] if noun.i + 1 < len(noun.doc) else None
        if nxt is not None and nxt.lower_ in states and nxt.tag_ == "VBN":
            return states[nxt.lower_], f"kind.state:{nxt.lower_}"
    prev = noun.doc[noun.i - 1] if noun.i > 0 else None
    if prev is not None and prev.tag_ in ("VBZ", "VBD", "VBG", "VBP") and prev.head is not noun:
        # A headline the parser misreads ("Ukrainian military's shelling kills militiaman -
        # DPR command"): the harm verb right before the bare victim still governs it.
        if not _claimed_elsewhere(prev):
            return _verb_kind(prev, "object", "person")
    return None


def _unconfirmed(verb: Token) -> bool:
    """A harm the sentence says is not established: the verb, or one it hangs under (up to
    three steps), is a negated verb of confirming ("did not confirm that two soldiers were
    killed", "had not been confirmed dead"), or a noun of certainty with "no" governs it
    ("there was no certainty that he had been killed"); kinds.json ``unconfirmed``."""
    spec = _lex().k["unconfirmed"]
    tok = verb
    for _ in range(4):
        lemma = tok.lemma_.lower()
        if tok.pos_ in ("VERB", "AUX") and lemma in spec["verbs"] and any(
            c.dep_ == "neg" for c in tok.children
        ):
            return True
        if tok.pos_ == "NOUN" and lemma in spec["nouns"] and any(
            c.dep_ == "det" and c.lower_ == "no" for c in tok.children
        ):
            return True
        # Only through clauses it governs: "..., but witnesses said 12 were killed" is
        # coordinated with "Police have not confirmed", not under it.
        if tok.head.i == tok.i or tok.dep_ not in ("ccomp", "acl", "xcomp", "oprd"):
            return False
        tok = tok.head
    return False


def _hypothetical(verb: Token, infinitive: bool = True) -> bool:
    """A harm that is possible, wished or conditional, not reported: "Invaders must die",
    "civilians could be killed if ...", "looking for people to kill" (``hypothetical`` in
    kinds.json; "to" only where ``infinitive``), on the verb or on the verb it is
    coordinated with. A guess about the past stays a (hedged) report: "hundreds may have
    been killed", "he must have died" (but "would have" is counterfactual)."""
    if _unconfirmed(verb):
        return True
    words = set(_lex().k["implicit_one"]["hypothetical"])
    if not infinitive:
        words.discard("to")
    for tok in (verb, verb.head) if verb.dep_ == "conj" else (verb,):
        aux = [c for c in tok.children if c.dep_ in ("aux", "mark")]
        modal = [c for c in aux if c.lower_ in words]
        if not modal:
            continue
        past_guess = any(c.lower_ == "have" for c in aux) and all(
            c.lower_ in ("may", "might", "could", "must") for c in modal
        )
        if not past_guess:
            return True
    return False


@lru_cache(maxsize=1)
def harm_verb_lemmas() -> frozenset[str]:
    """Lemmas of the one-word verbs kinds.json gives a kind of harm ("kill", "detain",
    "deport"; a kind of ``PEOPLE_KINDS``): acts, never verbs of saying, whatever a statement
    model scores them.

    Example:
        >>> "detain" in harm_verb_lemmas() and "say" not in harm_verb_lemmas()
        True
    """
    out = set()
    for lemma, spec in _lex().verbs.items():
        kind = spec["kind"]
        kinds = set(kind.values()) if isinstance(kind, dict) else {kind}
        if " " not in lemma and kinds & PEOPLE_KINDS:
            out.add(lemma)
    return frozenset(out)
