"""Resolving an expression against the publication date: weekdays, months, relative spans,
and what dateparser and the entity recogniser give."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from spacy.tokens import Doc

from sitrep.extract.doctext import doc_text
from sitrep.extract.times.lexicon import _Lexicon, _lexicon
from sitrep.extract.times.spans import (
    _add_months,
    _month_span,
    _narrow,
    _sub_months,
    _sub_years,
    _week_span,
)
from sitrep.extract.times.tense import _is_future, _token_at


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
            before = doc_text(doc)[: m.start() + offset].split()[-1:]
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
