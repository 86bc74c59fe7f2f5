"""The compiled lexicon of the quantities reader: ``data/quantities.json`` (number words,
scales, vague amounts, bound words, currencies, the words that mark a non-count) and
``data/kinds.json`` (the words that decide a kind), read and compiled into regular
expressions and sets once per process (``_lex``).

Part of ``sitrep.extract.quantities`` (see its docstring).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sitrep.extract.lexicon import load_data


def _alt(words: list[str]) -> str:
    """A regex alternation of ``words``, longest first, spaces matching any whitespace."""
    parts = []
    for w in sorted(set(words), key=len, reverse=True):
        p = r"\s+".join(re.escape(x) for x in w.split())
        if w[:1].isalnum():
            p = r"\b" + p
        if w[-1:].isalnum():
            p += r"\b"
        parts.append(p)
    return "(?:" + "|".join(parts) + ")"


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


@dataclass(frozen=True)
class _Lex:
    """The compiled form of quantities.json and kinds.json (built once)."""

    q: dict[str, Any]
    k: dict[str, Any]
    word_values: dict[str, int]
    big_scales: dict[str, int]
    abbrs: dict[str, dict[str, Any]]
    vague: dict[str, dict[str, Any]]
    vague_keys: dict[str, str]  # the normalised matched text -> key
    atom_re: re.Pattern[str]
    prefix_re: re.Pattern[str]
    suffix_re: re.Pattern[str]
    currency_suffix_re: re.Pattern[str]
    range_gap_re: re.Pattern[str]
    between_re: re.Pattern[str]
    from_re: re.Pattern[str]
    blocked_re: re.Pattern[str]
    percent_re: re.Pattern[str]
    clock_re: re.Pattern[str]
    age_after_re: re.Pattern[str]
    age_before_re: re.Pattern[str]
    time_unit_re: re.Pattern[str]
    measure_re: re.Pattern[str]
    abbreviation_count_re: re.Pattern[str]  # "1.5m people": a scale letter counts
    month_before_re: re.Pattern[str]
    month_after_re: re.Pattern[str]
    designator_re: re.Pattern[str]
    designators: frozenset[str]
    designators_capitalised: frozenset[str]
    fraction_re: re.Pattern[str]
    unit_name_re: re.Pattern[str]
    code_before_re: re.Pattern[str]
    code_after_re: re.Pattern[str]
    change_words: frozenset[str]
    year_bounds: frozenset[str]
    year_nouns: frozenset[str]
    hyphen_re: re.Pattern[str]
    hyphen_counts: frozenset[str]
    weak_words: frozenset[str]
    weak_not_after: frozenset[str]
    weak_not_before: frozenset[str]
    people_only: frozenset[str]  # rules of vague readings that count people harmed only
    outcome: dict[str, str]
    persons: dict[str, str]
    equipment: frozenset[str]
    money: dict[str, str]
    states: dict[str, str]
    reported: frozenset[str]
    part_of: dict[str, frozenset[str]]  # "including", "among them": a part of a count
    mark_verbs: frozenset[str]  # "the death toll has passed 40"
    verbs: dict[str, dict[str, Any]]
    cues: dict[str, str]
    left: int
    right: int


def _check_intervals(q: dict[str, Any]) -> None:
    """Refuse a lexicon whose vague amounts or bound words would break low <= best <= high."""
    for key, entry in q["vague"].items():
        low, high = entry["low"], entry["high"]
        best = entry.get("best", low)
        if not low <= best <= (best if high is None else high):
            raise ValueError(
                f"quantities.json: vague[{key!r}] needs low <= best <= high, "
                f"got low {low}, best {best}, high {high}"
            )
    for where in ("bound_prefixes", "bound_suffixes"):
        for word, spec in q[where].items():
            if spec["approx"] == "about" and not spec["low_factor"] <= 1 <= spec["high_factor"]:
                raise ValueError(
                    f"quantities.json: {where}[{word!r}] needs low_factor <= 1 <= high_factor, "
                    f"got {spec['low_factor']} and {spec['high_factor']}"
                )


def _abbreviation_count_re(q: dict[str, Any], k: dict[str, Any]) -> re.Pattern[str]:
    """The words after a scale letter that make it a count ("1.5m people", "4m rounds",
    "2m Ukrainians"): quantities.json ``abbreviation_counts`` with kinds.json's person and
    equipment nouns, each with its plural."""
    spec = q["abbreviation_counts"]
    nouns = [*spec["nouns"], *k["person_nouns"], *k["equipment_nouns"]]
    noun = r"(?:" + "|".join(re.escape(n) for n in sorted(set(nouns), key=len, reverse=True))
    noun += r")(?:s|es)?\b"
    between = r"(?:(?:[A-Z][a-z]+|" + "|".join(re.escape(w) for w in spec["between"]) + r")\s+)?"
    return re.compile(r"^\s+" + between + noun)


def vague_rule(key: str) -> str:
    """The quantity rule of a vague amount's entry in ``quantities.json``.

    Example:
        >>> vague_rule("several dozen")
        'vague.several_dozen'
    """
    return "vague." + key.replace(" ", "_")


@lru_cache(maxsize=1)
def _lex() -> _Lex:
    q: dict[str, Any] = load_data("quantities.json")
    k: dict[str, Any] = load_data("kinds.json")
    _check_intervals(q)
    word_values: dict[str, int] = {**q["units"], **q["tens"]}
    big_scales = {w: v for w, v in q["scales"].items() if v >= 1000}
    words = list(word_values) + list(q["scales"])
    word = _alt(words)
    vague: dict[str, dict[str, Any]] = q["vague"]
    vague_parts = []
    for key in sorted(vague, key=len, reverse=True):
        p = _alt([key])
        if vague[key].get("needs_of"):
            p += r"(?=\s+of\b)"
        if vague[key].get("not_before"):  # "multiple rocket launchers" names a weapon
            p += r"(?!\s+" + _alt(vague[key]["not_before"]) + ")"
        if vague[key].get("no_number_after"):  # "some 300" is a bound, "some hostages" a count
            p += r"(?!\s+(?:\d|" + word + "))"
        for before in vague[key].get("not_after", []):  # "how many" asks, "as many as" bounds
            p = r"(?<!\b" + re.escape(before) + r"\s)" + p
        vague_parts.append(p)
    big = _alt([w for w in big_scales])
    abbrs: dict[str, dict[str, Any]] = q["scale_abbreviations"]
    letter_codes = [c for c in q["currency_prefixes"] if c.isalpha()]
    symbols = [c for c in q["currency_prefixes"] if not c.isalpha()]
    currency_prefix = (
        r"(?P<cur>(?-i:"
        + "|".join(re.escape(c.upper()) for c in letter_codes)
        + r")\s?|"
        + "|".join(re.escape(c) for c in sorted(symbols, key=len, reverse=True))
        + ")"
    )
    digits = r"(?<![\w.,:/])(?P<num>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)"
    abbr = "|".join(sorted(abbrs, key=len, reverse=True))
    # No \b before a scale word: "$38million" is written without a space.
    scale_words = "(?:" + "|".join(sorted(q["scales"], key=len, reverse=True)) + r")\b"
    atom = (
        # a vague amount: "several hundred", "tens of thousands"
        r"(?P<vague>" + "|".join(vague_parts) + r")(?:\s+(?P<vscale>" + big + r"))?"
        # digits, with a currency sign and a scale: "$5.6 billion", "1,500", "$38million"
        r"|\\?(?:" + currency_prefix + r")?" + digits
        + r"(?:\s*(?P<scale>" + scale_words + r")(?:\s+(?P<scale2>" + big + r"))?"
        + r"|(?P<abbr>" + abbr + r")(?!\w)"
        + r"|(?![\w]|[.,:/]\d))"
        # number words: "twenty-five", "a dozen", "two hundred and fifty thousand"
        + r"|(?P<words>\b(?:(?:half\s+a|an?)\s+)?" + word
        + r"(?:(?:\s+and\s+|\s+|\s*-\s*)" + word + r")*)"
    )  # fmt: skip
    prefixes = list(q["bound_prefixes"])
    suffixes = list(q["bound_suffixes"])
    cur_suffixes = list(q["currency_suffixes"])
    months = q["months"]
    month_cap = (
        "(?:"
        + "|".join(re.escape(m.capitalize()) for m in sorted(months, key=len, reverse=True))
        + r")\b\.?"
    )
    k_outcome: dict[str, str] = k["outcome_nouns"]
    return _Lex(
        q=q,
        k=k,
        word_values=word_values,
        big_scales=big_scales,
        abbrs=abbrs,
        vague=vague,
        vague_keys={_norm(key): key for key in vague},
        atom_re=re.compile(atom, re.I),
        prefix_re=re.compile(r"(?<![\w.])(?P<b>" + _alt(prefixes) + r")\s*$", re.I),
        suffix_re=re.compile(r"^\s*(?:-\s*)?(?P<b>" + _alt(suffixes) + r")(?!\w)", re.I),
        currency_suffix_re=re.compile(
            r"^\s+(?:of\s+)?(?P<c>" + _alt(cur_suffixes) + r")(?P<of>\s+of\b)?", re.I
        ),
        range_gap_re=re.compile(
            r"^\s*(?P<sep>" + _alt(q["range_separators"] + ["and"]) + r")\s*$", re.I
        ),
        between_re=re.compile(r"\bbetween\s+$", re.I),
        from_re=re.compile(r"\bfrom\s+$", re.I),
        blocked_re=re.compile(
            r"(?:https?://|www\.)\S+|\S+@\S+\.\w+|\+\d[\d\s().-]{6,}\d"
            r"|\(\d{3}\)\s*\d{3}[\s.-]\d{4}|\b\d{3}[.-]\d{3}[.-]\d{4}\b",
            re.I,
        ),
        percent_re=re.compile(r"^\s*(?:-\s*)?" + _alt(q["percent_words"]), re.I),
        clock_re=re.compile(r"^\s*" + _alt(q["clock_words"]) + r"(?!\w)", re.I),
        age_after_re=re.compile(r"^\s*-?\s*years?\s*-?\s*olds?\b", re.I),
        age_before_re=re.compile(
            r"\b" + _alt(q["age_before"]) + r"\s+(?:between\s+)?(?:\d+\s*(?:and|to|or|-)\s*)?$",
            re.I,
        ),
        time_unit_re=re.compile(r"^\s*(?:-\s*)?" + _alt(q["time_units"]), re.I),
        measure_re=re.compile(r"^\s*(?:-\s*)?" + _alt(q["measure_units"]) + r"(?![\w-])", re.I),
        abbreviation_count_re=_abbreviation_count_re(q, k),
        month_before_re=re.compile(r"\b" + month_cap + r"\s+$"),
        month_after_re=re.compile(r"^(?:st|nd|rd|th)?\s+(?:of\s+)?" + month_cap),
        designator_re=re.compile(r"(?:^|(?<=\W))(?P<d>[A-Za-z][\w.]*)\s+$"),
        designators=frozenset(q["designators"]),
        designators_capitalised=frozenset(q["designators_capitalised"]),
        fraction_re=re.compile(r"^\s*-?\s*" + _alt(q["fraction_words"]), re.I),
        unit_name_re=re.compile(
            r"^\s+(?:[A-Z][\w'-]*\s+){0,3}(?-i:"
            + "|".join(re.escape(u.capitalize()) for u in q["name_endings"])
            + r")\b"
        ),
        code_before_re=re.compile(r"(?:\w[-\u2013]|\d['\u2019])$"),
        code_after_re=re.compile(r"^(?:[-\u2013/]\d|['\u2019](?:s\b|\d))"),
        change_words=frozenset(w.lower() for w in q["range_change_words"]["words"]),
        year_bounds=frozenset(q["year_ambiguous_bounds"]),
        year_nouns=frozenset(q["year_nouns"]),
        hyphen_re=re.compile(r"^[-\u2010\u2011](?P<w>[A-Za-z]+)"),
        hyphen_counts=frozenset(q["hyphen_counts"]),
        weak_words=frozenset(q["weak_numbers"]["words"]),
        weak_not_after=frozenset(q["weak_numbers"].get("not_after", [])),
        weak_not_before=frozenset(q["weak_numbers"].get("not_before", [])),
        people_only=frozenset(vague_rule(key) for key, entry in vague.items()
                              if entry.get("with_harm")),
        outcome=k_outcome,
        persons=k["person_nouns"],
        equipment=frozenset(k["equipment_nouns"]),
        money=k["money_nouns"],
        states=k["state_words"],
        reported=frozenset(k.get("reported_state", [])),
        part_of={key: frozenset(words) for key, words in k["part_of"].items()},
        mark_verbs=frozenset(k["mark_verbs"]),
        verbs=k["verbs"],
        cues=k["cues"],
        left=int(k["window"]["left"]),
        right=int(k["window"]["right"]),
    )
