"""How the read queries filter and sort: the matching helpers ``sitrep.store.catalog``
builds each filter's WHERE condition from (every value a bound parameter), and the ORDER BY
of a whitelisted sort column.

Example:
    >>> _values(["ua", "ru"], "upper")
    ['UA', 'RU']
    >>> _order("-nope", {"id": None}, None)
    Traceback (most recent call last):
    ...
    ValueError: [E328] cannot sort by 'nope'; choose one of id
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select

from sitrep.errors import Errors

from .schema import copy_groups


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


def _anonymous(column: Any, anonymous: bool | None) -> list[Any]:
    if anonymous is None:
        return []
    if not isinstance(anonymous, bool):
        raise ValueError(Errors.E332.format(value=anonymous))
    return [column.is_(True) if anonymous else column.is_(False)]


def _first_copy(article_id: Any, copy_group: Any, every_copy: bool | None) -> list[Any]:
    """Rows of an article that is no syndicated copy of another (its copy group's first
    article, or in no group), unless ``every_copy``; None asks for no condition."""
    if every_copy is None:
        return []
    if not isinstance(every_copy, bool):
        raise ValueError(Errors.E335.format(value=every_copy))
    if every_copy:
        return []
    first = (select(copy_groups.c.representative)
             .where(copy_groups.c.id == copy_group).scalar_subquery())
    return [or_(copy_group.is_(None), article_id == first)]
