"""The counted noun of an amount ("300 tanks", "thousands of troops") and its class
(outcome, equipment, money, person or unknown), read on the dependency parse.

Part of ``sitrep.extract.quantities`` (see its docstring).
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from sitrep.extract.quantities.lexicon import _lex


def _keys(tok: Token) -> list[str]:
    """Forms under which a noun is looked up: lower case, lemma, naive singular."""
    low = tok.lower_
    out = [low, tok.lemma_.lower()]
    if low.endswith("ies"):
        out.append(low[:-3] + "y")
    elif low.endswith("s"):
        out.append(low[:-1])
    return out


def _compound_keys(tok: Token) -> list[str]:
    keys = _keys(tok)
    own = list(keys)
    prev = tok.doc[tok.i - 1] if tok.i > 0 else None
    if prev is not None and prev.dep_ in ("compound", "amod") and prev.head == tok:
        keys = [f"{p} {k}" for p in (prev.lower_, prev.lemma_.lower()) for k in keys] + keys
    of = _of_object(tok)
    if of is not None:  # "prisoners of war" is not "prisoners"
        keys = [f"{k} of {o}" for k in own for o in (of.lower_, of.lemma_.lower())] + keys
    return keys


def _noun_class(tok: Token) -> tuple[str, str]:
    """(class, kind) of a counted noun: outcome, equipment, money, person or unknown."""
    lex = _lex()
    keys = _compound_keys(tok)
    for key in keys:
        if key in lex.outcome:
            return "outcome", lex.outcome[key]
    for key in keys:
        if key in lex.equipment:
            return "equipment", "equipment"
        if key in lex.money:
            return "money", "money"
    for key in keys:
        if key in lex.persons:
            return "person", lex.persons[key]
    if tok.ent_type_ == "NORP":
        return "person", "other"  # "five Palestinians", "12 Ukrainians"
    return "unknown", "other"


_SKIP_POS = {"ADJ", "PROPN", "PUNCT", "ADV", "NUM", "X", "SYM"}
_QUOTES_AND_DASHES = "\"'\u201c\u201d\u2018\u2019-\u2013\u2014"
_DASHES = ("-", "\u2013", "\u2014", "--")
_NOUN_POS = {"NOUN", "PROPN"}


def _of_object(tok: Token) -> Token | None:
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    return pobj
    return None


def _counted_noun(doc: Doc, head: Token, end: int) -> tuple[Token | None, bool]:
    """The noun the number counts, and whether it hangs on the number ("thousands of troops").

    Dependency first ("300 tanks": nummod), then "X of NOUN", then a short window to the
    right that skips quotes, adjectives and proper names ("'Several Hundred' North Korean
    Casualties").
    """
    lex = _lex()
    if head.dep_ in ("nummod", "quantmod", "amod", "compound", "nmod", "poss", "npadvmod"):
        h = head.head
        between = doc[head.i + 1 : h.i]
        if (
            h.i > head.i
            and h.pos_ in _NOUN_POS
            and h.idx >= end
            and h.i - head.i <= lex.right
            and not any(t.is_punct and t.text not in "-\"'\u201d\u2019" for t in between)
        ):
            # A proper name in no list is a modifier read as head ("Six Ukraine soldiers").
            if h.pos_ == "NOUN" or _noun_class(h)[0] != "unknown":
                return h, False
    tok = head
    for _ in range(3):  # "tens of thousands of troops": the "of" after the amount's own words
        pobj = _of_object(tok)
        if pobj is None:
            break
        if pobj.idx >= end:
            # "dozens of the wounded": the parse may tag a state word used as a noun ADJ.
            if pobj.pos_ in _NOUN_POS or pobj.lower_ in lex.outcome:
                return pobj, True
            break
        tok = pobj
    seen = 0
    for tok in doc[head.i + 1 :]:
        if tok.idx < end:
            continue
        if tok.is_sent_start or seen >= lex.right:
            break
        if tok.is_punct and tok.text not in _QUOTES_AND_DASHES:
            break  # "has passed 40, officials said": the clause ends at the comma
        seen += 1
        if tok.pos_ == "NOUN" or (tok.pos_ == "PROPN" and _noun_class(tok)[0] != "unknown"):
            return tok, False
        if tok.pos_ not in _SKIP_POS:
            break
    return None, False


def _of_pronoun(head: Token) -> Token | None:
    """The pronoun of a partitive: "9,000 of those killed", "34 of whom", "five of them"."""
    pobj = _of_object(head)
    if pobj is not None and pobj.pos_ == "PRON" and pobj.i > head.i:
        return pobj
    return None


def _unit(noun: Token) -> str:
    """The counted noun, singular and lower case ("troops" -> "troop")."""
    if noun.pos_ == "NOUN":
        return noun.lemma_.lower()
    return _keys(noun)[-1]


_MODEL = re.compile(r"[A-Za-z]{1,5}-?\d{1,4}[A-Za-z]{0,3}")


def _model_code(noun: Token) -> str | None:
    """A weapon model on the noun ("six F-16 fighters") makes it equipment."""
    for child in noun.children:
        if child.i < noun.i and _MODEL.fullmatch(child.text):
            return child.text
    prev = noun.doc[noun.i - 1] if noun.i > 0 else None
    if prev is not None and prev.like_num and noun.i >= 3:
        a, b = noun.doc[noun.i - 3], noun.doc[noun.i - 2]
        if b.text in ("-", "\u2013") and a.is_alpha and len(a.text) <= 4:
            return f"{a.text}-{prev.text}"
    return None
