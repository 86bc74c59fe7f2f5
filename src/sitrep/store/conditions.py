"""The read queries' filters and sort orders: the WHERE conditions of each filter of
``Store.articles``/``statements``/``events`` (every value a bound parameter), the columns
each can be sorted by, and the matching helpers ``sitrep.store.catalog`` builds the claims'
conditions from (claims are declared there).

Example:
    >>> [str(c) for c in _event_conditions(country="ua")]
    ['events.country IN (__[POSTCOMPILE_country_1])']
    >>> _order("-nope", {"id": events.c.id}, events.c.id)
    Traceback (most recent call last):
    ...
    ValueError: [E328] cannot sort by 'nope'; choose one of id
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, func, or_

from sitrep.errors import Errors

from .schema import articles, events, statements

ARTICLE_SORTS: dict[str, Any] = {
    name: articles.c[name] for name in ("id", "published", "outlet", "title", "copy_group")
}
STATEMENT_SORTS: dict[str, Any] = {
    **{name: statements.c[name] for name in ("id", "article_id", "speaker_country", "quote")},
    "published": articles.c.published,
}
EVENT_SORTS: dict[str, Any] = {
    **{
        name: events.c[name]
        for name in (
            "id",
            "article_id",
            "type",
            "date_start",
            "date_end",
            "country",
            "admin1",
            "killed_best",
            "wounded_best",
            "captured_best",
            "missing_best",
        )
    },
    "published": articles.c.published,
}


def _order(sort: str, allowed: Mapping[str, Any], tiebreak: Any) -> list[Any]:
    """ORDER BY terms for a whitelisted column name (``-name``: descending), nulls last."""
    if not isinstance(sort, str):
        raise ValueError(Errors.E327.format(value=sort))
    descending = sort.startswith("-")
    name = sort[1:] if descending else sort
    if name not in allowed:
        raise ValueError(Errors.E328.format(value=name, choices=", ".join(sorted(allowed))))
    column = allowed[name]
    if descending:
        return [column.desc().nulls_last(), tiebreak.desc()]
    return [column.asc().nulls_last(), tiebreak.asc()]


def _values(value: str | Sequence[str], case: str) -> list[str]:
    items = [value] if isinstance(value, str) else list(value)
    if not all(isinstance(v, str) for v in items):
        raise ValueError(Errors.E330.format(value=value))
    return [v.upper() if case == "upper" else v.lower() for v in items]


def _contains(columns: Sequence[Any], value: str) -> ColumnElement[bool]:
    """Any of ``columns`` contains ``value`` (case-insensitive; % and _ taken literally)."""
    if not isinstance(value, str):
        raise ValueError(Errors.E330.format(value=value))
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return or_(*(c.ilike(f"%{escaped}%", escape="\\") for c in columns))


def _equals_ci(columns: Sequence[Any], value: str) -> ColumnElement[bool]:
    if not isinstance(value, str):
        raise ValueError(Errors.E330.format(value=value))
    return or_(*(func.lower(c) == value.lower() for c in columns))


def _date_arg(value: date | str, name: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(Errors.E331.format(name=name, value=value))


def _range(column: Any, start: date | str | None, end: date | str | None, name: str) -> list[Any]:
    out = []
    if start is not None:
        out.append(column >= _date_arg(start, f"{name}_from"))
    if end is not None:
        out.append(column <= _date_arg(end, f"{name}_to"))
    return out


def _anonymous(column: Any, anonymous: bool | None) -> list[Any]:
    if anonymous is None:
        return []
    if not isinstance(anonymous, bool):
        raise ValueError(Errors.E332.format(value=anonymous))
    return [column.is_(True) if anonymous else column.is_(False)]


def _article_conditions(
    *,
    outlet: str | None = None,
    published_from: date | str | None = None,
    published_to: date | str | None = None,
    search: str | None = None,
    copy_group: int | None = None,
    run_id: int | None = None,
) -> list[Any]:
    out = _range(articles.c.published, published_from, published_to, "published")
    if outlet is not None:
        out.append(_equals_ci([articles.c.outlet], outlet))
    if search is not None:
        out.append(_contains([articles.c.title, articles.c.text], search))
    if copy_group is not None:
        out.append(articles.c.copy_group == copy_group)
    if run_id is not None:
        out.append(articles.c.first_run == run_id)
    return out


def _statement_conditions(
    *,
    speaker: str | None = None,
    speaker_country: str | Sequence[str] | None = None,
    anonymous: bool | None = None,
    quote: str | None = None,
    published_from: date | str | None = None,
    published_to: date | str | None = None,
    search: str | None = None,
    article_id: int | None = None,
) -> list[Any]:
    s = statements.c
    out = _range(articles.c.published, published_from, published_to, "published")
    out += _anonymous(s.speaker_anonymous, anonymous)
    if speaker is not None:
        out.append(_contains([s.speaker_text, s.speaker_name, s.speaker_antecedent], speaker))
    if speaker_country is not None:
        out.append(s.speaker_country.in_(_values(speaker_country, "upper")))
    if quote is not None:
        out.append(s.quote.in_(_values(quote, "lower")))
    if search is not None:
        out.append(_contains([s.content, s.speaker_text, s.speaker_name], search))
    if article_id is not None:
        out.append(s.article_id == article_id)
    return out


def _event_conditions(
    *,
    type: str | Sequence[str] | None = None,
    country: str | Sequence[str] | None = None,
    place: str | None = None,
    date_from: date | str | None = None,
    date_to: date | str | None = None,
    published_from: date | str | None = None,
    published_to: date | str | None = None,
    search: str | None = None,
    article_id: int | None = None,
) -> list[Any]:
    e = events.c
    out = _range(e.date_start, date_from, date_to, "date")
    out += _range(articles.c.published, published_from, published_to, "published")
    if type is not None:
        out.append(
            _equals_ci([e.type], type)
            if isinstance(type, str)
            else or_(*(_equals_ci([e.type], t) for t in type))
        )
    if country is not None:
        out.append(e.country.in_(_values(country, "upper")))
    if place is not None:
        out.append(_equals_ci([e.location, e.admin1, e.country, e.iso3166_2], place))
    if search is not None:
        out.append(_contains([e.type, e.location, e.side_a, e.side_b], search))
    if article_id is not None:
        out.append(e.article_id == article_id)
    return out
