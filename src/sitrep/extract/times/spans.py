"""Calendar arithmetic: month ends and spans, weeks, months and years back."""

from __future__ import annotations

import calendar
from datetime import date, timedelta


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
