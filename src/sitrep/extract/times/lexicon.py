"""The time lexicon (``times.json``) compiled into patterns once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sitrep.extract.alternation import literal_alternation
from sitrep.extract.lexicon import load_data

_DATA_FILE = "times.json"


@dataclass(frozen=True)
class _Lexicon:
    months: dict[str, int]
    weekdays: dict[str, int]
    relative: dict[str, dict[str, Any]]
    numbers: dict[str, int]
    vague: dict[str, tuple[int, int]]
    units: dict[str, str]
    recent_days: dict[str, int]
    history_years: int
    part_modifiers: dict[str, str]
    future_aux: frozenset[str]
    future_words: frozenset[str]
    duration_skip: re.Pattern[str]
    duration_preceders: frozenset[str]
    near_future_days: int
    month_word: re.Pattern[str]
    rules: tuple[tuple[str, re.Pattern[str]], ...]


def _alt(words: list[str] | set[str] | dict[str, Any]) -> str:
    """Regex alternation, longest first, each word escaped.

    Written as a trie (``alternation.py``): the rules run over every paragraph and most
    start with one of these lists. The words matched ignoring case are lower case.
    """
    return literal_alternation(words)


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    data = load_data(_DATA_FILE)
    months: dict[str, int] = dict(data["months"])
    abbrevs: dict[str, int] = dict(data["month_abbreviations"])
    all_months = {**months, **abbrevs}
    for k, v in abbrevs.items():
        all_months[k + "."] = v
    weekdays: dict[str, int] = dict(data["weekdays"])
    wday_abbr = _alt(data.get("weekday_abbreviations", {}))
    numbers: dict[str, int] = {k.lower(): int(v) for k, v in data["number_words"].items()}
    vague = {k.lower(): (int(v[0]), int(v[1])) for k, v in data["vague_counts"].items()}
    units: dict[str, str] = {k.lower(): v for k, v in data["units"].items()}
    part_mods: dict[str, str] = {k.lower(): v for k, v in data["part_modifiers"].items()}

    # Month names with an optional trailing period for abbreviations; case-sensitive.
    mon_full = _alt(months)
    mon_any = (
        "(?:"
        + "|".join(
            [re.escape(m) for m in sorted(months, key=len, reverse=True)]
            + [re.escape(a) + r"\.?" for a in sorted(abbrevs, key=len, reverse=True)]
        )
        + ")"
    )
    wday = _alt(weekdays)
    weekdays.update(data.get("weekday_abbreviations", {}))  # looked up, matched after "on" only
    ordsuf = r"(?:st|nd|rd|th)?"
    year = r"(?P<year>(?:1[89]|20)\d{2})(?![\d,.]\d)"
    day = r"(?P<day>[0-3]?\d)" + ordsuf
    num = r"(?P<num>\d+|" + _alt(numbers) + r")"
    vag = r"(?P<vague>" + _alt(vague) + r")"
    unit = r"(?P<unit>" + _alt(units) + r")"
    ci = "(?i:"  # case-insensitive group for function words

    month_cues = ci + _alt([c.lower() for c in data["bare_month_cues"]]) + ")"
    year_cues = ci + _alt([c.lower() for c in data["bare_year_cues"]]) + ")"
    parts = ci + _alt(part_mods) + ")"

    rules: list[tuple[str, str]] = [
        ("iso", r"\b(?P<iy>\d{4})-(?P<im>[01]\d)-(?P<id>[0-3]\d)\b"),
        ("dmy", r"\b" + day + r" (?:of )?(?P<mon>" + mon_any + r"),? " + year),
        ("mdy", r"\b(?P<mon>" + mon_any + r") " + day + r",? " + year),
        ("md", r"\b(?P<mon>" + mon_any + r") " + day + r"(?![\d:])(?!,? (?:1[89]|20)\d\d)"),
        ("dm", r"\b" + day + r" (?:of )?(?P<mon>" + mon_any + r")\b"),
        (
            "part_month",
            r"\b(?P<part>" + parts + r")[- ](?P<mon>" + mon_full + r")(?:,? " + year + r")?\b",
        ),
        ("part_year", r"\b(?P<part>" + parts + r")[- ]" + year + r"\b"),
        ("my", r"\b(?P<mon>" + mon_any + r"),? " + year),
        (
            "cue_month",
            r"\b(?P<cue>"
            + month_cues
            + r") (?P<mon>"
            + mon_full
            + r")\b(?!,? (?:[0-3]?\d\b|(?:1[89]|20)\d\d))",
        ),
        ("cue_year", r"\b(?P<cue>" + year_cues + r") " + year + r"(?!\s*%)"),
        (
            "weekday",
            r"\b(?:(?P<wcue>" + ci + r"last|next|this|coming|past)) )?(?P<wd>" + wday + r")\b",
        ),
        ("weekday", r"\bon (?P<wd>" + wday_abbr + r")\b\.?"),
        # Relative rules hold no month or weekday name: matched case-insensitively.
        ("ago", r"(?i)\b(?:" + num + "|" + vag + r") " + unit + r" ago\b"),
        (
            "past_n",
            r"(?i)\b(?:the (?:past|last|previous)|(?:(?<=in )|(?<=over )|(?<=during ))past) (?:(?:"
            + num + "|" + vag + r") )?" + unit + r"\b",
        ),
        ("next_n", r"(?i)\bthe (?:next|coming) (?:(?:" + num + "|" + vag + r") )?" + unit + r"\b"),
        # "over several days" anchors; "over 10 years" mostly means "more than": skipped.
        ("over_n", r"(?i)\bover " + vag + " " + unit + r"\b"),
        ("recent", r"(?i)\brecent " + unit + r"\b"),
        ("relative", r"(?i)\b(?P<rel>" + _alt(data["relative"]) + r")\b"),
    ]
    compiled = tuple((name, re.compile(pat)) for name, pat in rules)
    return _Lexicon(
        months=all_months,
        weekdays=weekdays,
        relative={k.lower(): v for k, v in data["relative"].items()},
        numbers=numbers,
        vague=vague,
        units=units,
        recent_days={k: int(v) for k, v in data["recent_days"].items()},
        history_years=int(data["history_years"]),
        part_modifiers=part_mods,
        future_aux=frozenset(w.lower() for w in data["future_aux"]),
        future_words=frozenset(w.lower() for w in data["future_words"]),
        duration_skip=re.compile(data["duration_skip"], re.IGNORECASE),
        duration_preceders=frozenset(w.lower() for w in data["duration_preceders"]),
        near_future_days=int(data["near_future_days"]),
        month_word=re.compile(r"\b(?:" + mon_any + r")(?![a-z])"),
        rules=compiled,
    )
