"""The scope of a claim: one incident, a stated period, or a running total.

``annotations/GUIDE.md`` (section 5) defines the three values:

* ``incident``: one event ("killed in Tuesday's strike", "a day earlier, six people were
  killed");
* ``period``: a stated span ("in the past day", "over the past week", "in May", "per day");
* ``total``: a running total ("since the start of the invasion", "so far", "in total", "the
  death toll has risen to ...").

The cues are regular expressions in ``data/scopes.json``. The cue nearest the number decides;
a cue with another number between it and this one ("lost 798,040 troops in total, including
1,580 in the past day") yields to any cue that has none. With no cue, the verb's form decides
(a present perfect of harm or supply, "have been killed", is a running total; a figure in the
thousands a running total too; a simple past, "were killed", one event), and with neither the
kind's usual scope. Forces present and money are a total unless a span is stated (the guide's
rule): a day or an event does not make them an incident. Every decision carries its reason.

Example:
    >>> s = "Russia has lost 798,040 troops in total, including 1,580 in the past day."
    >>> scope_of(s, s.index("798,040"), s.index("798,040") + 7, "casualties")[0]
    'total'
    >>> scope_of(s, s.index("1,580"), s.index("1,580") + 5, "casualties")[0]
    'period'
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from sitrep.extract.lexicon import load_data
from sitrep.model import SCOPES, Quantity

#: What a cue with another number between it and the claim's number costs, in characters:
#: more than any sentence is long, so such a cue decides only when no other cue is found.
_BLOCKED = 10_000
_NUMBER = re.compile(
    r"\b(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"dozens|hundreds|thousands|several)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Cue:
    scope: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class _Lexicon:
    cues: tuple[tuple[str, re.Pattern[str], bool], ...]  # scope, regex, dates the figure
    near: tuple[tuple[str, re.Pattern[str]], ...]  # scope, regex ending right before a number
    superlative: re.Pattern[str]
    said_before: re.Pattern[str]
    said_after: re.Pattern[str]
    perfect: re.Pattern[str]
    past: re.Pattern[str]
    large: float
    standing: frozenset[str]
    kind_default: dict[str, str]


def _expand(pattern: str, macros: dict[str, str]) -> str:
    for name, value in macros.items():
        pattern = pattern.replace("{" + name + "}", value)
    return pattern


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    data = load_data("scopes.json")
    macros: dict[str, str] = data["macros"]
    cues = []
    near = []
    for scope in SCOPES:
        for pattern in data["before_number"].get(scope, []):
            body = _expand(pattern, macros)
            near.append((scope, re.compile(rf"(?<!\w)(?:{body})\s*$", re.IGNORECASE)))
        for dates, patterns in ((False, data[scope]), (True, data["dates"].get(scope, []))):
            for pattern in patterns:
                # Word boundaries at both ends, so "daily" does not fire inside "dailymail"
                # (a cue that ends in a space or a quote ends there already).
                body = _expand(pattern, macros)
                regex = re.compile(rf"(?<!\w)(?:{body})(?:(?<=\W)|(?!\w))", re.IGNORECASE)
                cues.append((scope, regex, dates))
    return _Lexicon(
        cues=tuple(cues),
        near=tuple(near),
        superlative=re.compile(_expand(data["superlative_before"], macros), re.IGNORECASE),
        said_before=re.compile(_expand(data["said_before"], macros), re.IGNORECASE),
        said_after=re.compile(_expand(data["said_after"], macros), re.IGNORECASE),
        perfect=re.compile(_expand(data["perfect"], macros), re.IGNORECASE),
        past=re.compile(_expand(data["past"], macros), re.IGNORECASE),
        large=float(data["large"]),
        standing=frozenset(data["standing_kinds"]),
        kind_default=dict(data["kind_default"]),
    )


def _cues(sentence: str) -> list[_Cue]:
    """The scope cues of the sentence; a cue inside a longer one ("in February" inside "since
    the invasion in February 2022") and a date of the statement ("said on Tuesday that")
    are left out."""
    return list(_sentence_cues(sentence))  # a fresh list: callers may add to it


@lru_cache(maxsize=256)
def _sentence_cues(sentence: str) -> tuple[_Cue, ...]:
    # Kept per sentence: the rules and the reader's scope head each run every cue regex
    # over the sentence of every number in it, and over the sentence before.
    lex = _lexicon()
    found = []
    for scope, regex, dates in lex.cues:
        for m in regex.finditer(sentence):
            text = m.group(0).strip()
            if not text:
                continue
            start, end = m.start(), m.start() + len(m.group(0).rstrip())
            before = sentence[max(0, start - 40) : start]
            if dates and (
                lex.said_before.search(before) or lex.said_after.match(sentence[end : end + 40])
            ):
                continue
            if text.lower().startswith("since") and lex.superlative.search(before):
                continue
            found.append(_Cue(scope, start, end, text))
    return tuple(c for c in found if not any(_inside(c, o) for o in found))


def _inside(cue: _Cue, other: _Cue) -> bool:
    """Is ``cue`` part of the longer cue ``other``?"""
    longer = other.end - other.start > cue.end - cue.start
    return longer and other.start <= cue.start and cue.end <= other.end


def _distance(cue: _Cue, start: int, end: int, numbers: Sequence[tuple[int, int]]) -> int:
    """Characters between the cue and the number, plus ``_BLOCKED`` when another number
    stands between them."""
    if cue.start == cue.end == start:  # a cue that ends right before the number
        return 0
    if cue.end <= start:
        gap, lo, hi = start - cue.end, cue.end, start
    elif cue.start >= end:
        gap, lo, hi = cue.start - end, end, cue.start
    else:
        return 0
    between = any(lo <= a and b <= hi and (a, b) != (start, end) for a, b in numbers)
    return gap + (_BLOCKED if between else 0)


def _numbers(sentence: str, start: int, end: int) -> list[tuple[int, int]]:
    """The other numbers of the sentence (their spans), the claim's own left out."""
    return [
        (m.start(), m.end())
        for m in _NUMBER.finditer(sentence)
        if m.end() <= start or m.start() >= end
    ]


def scope_of(
    sentence: str,
    start: int,
    end: int,
    kind: str,
    others: Sequence[tuple[int, int]] | None = None,
    value: float | None = None,
) -> tuple[str, str]:
    """The scope of the number at ``sentence[start:end]`` and the reason that decided it.

    ``others``: the spans of the sentence's other quantities (found in its words when not
    given); ``value``: the figure (its best value), when known. The reason names the rule:
    ``scope.cue:<scope>:<words>``, ``scope.perfect``, ``scope.past``, ``scope.large`` or
    ``scope.kind:<kind>``.

    Example:
        >>> s = "Six people were killed in Tuesday's strike on Kharkiv."
        >>> scope_of(s, 0, 3, "killed")
        ('incident', "scope.cue:incident:Tuesday's strike")
        >>> s = "More than 33,000 people have been killed since the war began."
        >>> scope_of(s, 10, 16, "killed")
        ('total', 'scope.cue:total:since the war began')
        >>> scope_of("About 3,400 troops are in Iraq.", 6, 11, "troops")
        ('total', 'scope.kind:troops')
    """
    lex = _lexicon()
    numbers = list(others) if others is not None else _numbers(sentence, start, end)
    cues = _cues(sentence)
    if not cues:
        # Words that tell of this very number ("supplied 14 tanks") decide when no span,
        # date or total is stated anywhere in the sentence.
        head = sentence[max(0, start - 80) : start]
        for scope, regex in lex.near:
            m = regex.search(head)
            if m is not None:
                cues.append(_Cue(scope, start, start, m.group(0).strip()))
    # Forces present and money: a stated span or a total, never one event.
    standing = kind in lex.standing
    if standing:
        cues = [c for c in cues if c.scope != "incident"]
    if cues:
        # Nearest first; at equal distance the longer cue (it says more), then the earlier.
        best = min(
            cues,
            key=lambda c: (_distance(c, start, end, numbers), -(c.end - c.start), c.start),
        )
        return best.scope, f"scope.cue:{best.scope}:{best.text}"
    if lex.perfect.search(sentence):
        return "total", "scope.perfect"
    if value is not None and value >= lex.large:
        return "total", "scope.large"
    if not standing and lex.past.search(sentence):
        return "incident", "scope.past"
    scope = lex.kind_default.get(kind, "incident")
    return scope, f"scope.kind:{kind}"


def quantity_scope(
    sentence: str, offset: int, quantity: Quantity, quantities: Sequence[Quantity] = ()
) -> tuple[str, str]:
    """``scope_of`` for a quantity of a sentence that starts at ``offset`` (the quantity's
    offsets and the sentence's in the same text); ``quantities``: the paragraph's, the
    sentence's others among them stand between cues and this one.

    Example:
        >>> from sitrep.model import Quantity
        >>> s = "So far, 300 soldiers have been killed."
        >>> q = Quantity("300", 8, 11, 300, 300, 300, "exact", "num.exact", kind="killed")
        >>> quantity_scope(s, 0, q)
        ('total', 'scope.cue:total:So far')
    """
    end = offset + len(sentence)
    others = [
        (o.start - offset, o.end - offset)
        for o in quantities
        if o is not quantity and offset <= o.start and o.end <= end
    ]
    return scope_of(
        sentence,
        quantity.start - offset,
        quantity.end - offset,
        quantity.kind,
        others=others if quantities else None,
        value=quantity.best,
    )
