"""Filter values, checked once for every caller: the CLI, the API and the dashboard.

A filter that cannot match anything by its form (a kind sitrep does not have, a country that
is not an ISO code, a date that is no date) is an error naming the filter, never an empty
answer: ``sitrep claims --kind kiled`` and ``/api/claims?kind=kiled`` fail alike. The API
uses the same checks as pydantic validators (a 422); the CLI calls ``check_filters``.

Example:
    >>> check_filters({"kind": "Killed", "subject_country": ["ua"]})
    {'kind': 'killed', 'subject_country': ['UA']}
    >>> check_filters({"subject_country": "Russia"})
    Traceback (most recent call last):
    ...
    sitrep.store.filters.FilterError: subject_country: [E355] 'Russia' is not an ISO 3166-1 \
alpha-2 country code (Russia is RU)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from sitrep.errors import Errors
from sitrep.model import KINDS, SCOPES

MAX_TEXT = 200
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_COUNTRY = re.compile(r"[A-Za-z]{2}")


class FilterError(ValueError):
    """A filter value that cannot be used; ``name`` is the filter, the message says why."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"{name}: {message}")
        self.name = name
        self.message = message


def check_text(value: str) -> str:
    """A free-text filter: at most ``MAX_TEXT`` characters, no control characters.

    Example:
        >>> check_text("Pokrovsk")
        'Pokrovsk'
    """
    if len(value) > MAX_TEXT:
        raise ValueError(Errors.E351.format(limit=MAX_TEXT))
    if _CONTROL.search(value):
        raise ValueError(Errors.E352)
    return value


def check_kind(value: str) -> str:
    """A quantity kind of ``sitrep.model.KINDS``, lower-cased.

    Example:
        >>> check_kind("Wounded")
        'wounded'
    """
    if value.lower() not in KINDS:
        raise ValueError(Errors.E353.format(value=value, choices=", ".join(KINDS)))
    return value.lower()


def check_scope(value: str) -> str:
    """A claim scope of ``sitrep.model.SCOPES`` (incident, period, total), lower-cased.

    Example:
        >>> check_scope("Total")
        'total'
    """
    if value.lower() not in SCOPES:
        raise ValueError(Errors.E354.format(value=value, choices=", ".join(SCOPES)))
    return value.lower()


def check_country(value: str) -> str:
    """An ISO 3166-1 alpha-2 code, upper-cased; a country's name gets its code suggested.

    Example:
        >>> check_country("ru")
        'RU'
    """
    if _COUNTRY.fullmatch(value):
        return value.upper()
    hint = ""
    try:
        import pycountry

        found = pycountry.countries.search_fuzzy(value)
        if found:
            hint = f" ({value} is {found[0].alpha_2})"
    except LookupError:
        pass
    raise ValueError(Errors.E355.format(value=value, hint=hint))


def check_day(value: str | date) -> date:
    """A day as ``YYYY-MM-DD``.

    Example:
        >>> check_day("2024-05-23")
        datetime.date(2024, 5, 23)
    """
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(Errors.E356.format(value=value)) from None


#: Each filter name the store's queries take, with its check (lists: each item).
CHECKS: dict[str, Callable[[Any], Any]] = {
    "kind": check_kind,
    "scope": check_scope,
    "subject_country": check_country,
    "speaker_country": check_country,
    "country": check_country,
    "speaker": check_text,
    "place": check_text,
    "search": check_text,
    "outlet": check_text,
    "said_from": check_day,
    "said_to": check_day,
    "date_from": check_day,
    "date_to": check_day,
    "published_from": check_day,
    "published_to": check_day,
}


def check_filters(filters: Mapping[str, Any]) -> dict[str, Any]:
    """``filters`` with each value checked and normalised; ``FilterError`` names a bad one.

    Filters without a check (ids, booleans) pass as they are.

    Example:
        >>> check_filters({"said_from": "2024-01-01", "anonymous": True})
        {'said_from': datetime.date(2024, 1, 1), 'anonymous': True}
    """
    return check_values(filters, CHECKS.get)


def check_values(
    filters: Mapping[str, Any], check_of: Callable[[str], Callable[[Any], Any] | None]
) -> dict[str, Any]:
    """``filters`` with each value (or each of a list's values) passed through the check
    ``check_of(name)`` gives (None: kept as it is); a ``ValueError`` becomes a
    ``FilterError`` naming the filter.

    Example:
        >>> check_values({"n": ["1", "2"], "q": "x"}, {"n": int}.get)
        {'n': [1, 2], 'q': 'x'}
    """
    out: dict[str, Any] = {}
    for name, value in filters.items():
        check = check_of(name)
        try:
            if check is None or value is None:
                out[name] = value
            elif isinstance(value, list | tuple):
                out[name] = [check(v) for v in value]
            else:
                out[name] = check(value)
        except ValueError as exc:
            raise FilterError(name, str(exc)) from None
    return out
