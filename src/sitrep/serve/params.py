"""Query parameters of the API and the dashboard: filters, paging, sorting, formats.

Every filter is validated before it reaches the store: dates must be ``YYYY-MM-DD``, kinds one
of ``sitrep.model.KINDS``, countries two letters, ids integers in the database's range, texts
at most 200 characters without control characters, ``sort`` a whitelisted column. A value
that fails is a 422 naming the parameter; a value that passes is only ever a bound parameter of
the store's queries. The functions here are FastAPI dependencies that return the keyword
arguments of the matching ``Store`` method.

Example:
    >>> claim_filters(kind=["killed"], q="Kursk")["search"]
    'Kursk'
    >>> check_sort("-said_on", CLAIM_SORTS, "said_on")
    '-said_on'
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from typing import Annotated, Any, Literal

from fastapi import Query
from fastapi.exceptions import RequestValidationError
from pydantic import AfterValidator, StringConstraints

from sitrep.model import KINDS
from sitrep.store import ARTICLE_SORTS, CLAIM_SORTS, EVENT_SORTS, STATEMENT_SORTS
from sitrep.store.catalog import ARTICLES, CLAIMS, EVENTS, STATEMENTS, Filter, Listing
from sitrep.store.filters import MAX_TEXT, check_country, check_kind, check_text

__all__ = [
    "ARTICLE_SORTS",
    "CLAIM_SORTS",
    "EVENT_SORTS",
    "MAX_LIMIT",
    "STATEMENT_SORTS",
    "article_filters",
    "catalog_filters",
    "check_sort",
    "claim_filters",
    "event_filters",
    "invalid",
    "statement_filters",
]

MAX_LIMIT = 1000
MAX_OFFSET = 1_000_000_000
MAX_ROW_ID = 2_147_483_647  # PostgreSQL INTEGER

# The filters are the catalog's (sitrep.store.catalog), their value checks the store's
# (sitrep.store.filters), shared with the CLI.

Limit = Annotated[int, Query(ge=0, le=MAX_LIMIT, description=f"At most {MAX_LIMIT} rows.")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Rows to skip.")]
Sort = Annotated[
    str | None,
    Query(max_length=64, description="A column to sort by; '-' first for descending."),
]
Format = Annotated[Literal["json", "csv"], Query(description="json (default) or csv.")]


def invalid(name: str, message: str, value: Any = None) -> RequestValidationError:
    """A 422 for query parameter ``name``, shaped like FastAPI's own validation errors.

    Example:
        >>> invalid("sort", "cannot sort by 'x'").errors()[0]["loc"]
        ('query', 'sort')
    """
    return RequestValidationError(
        [{"type": "value_error", "loc": ("query", name), "msg": message, "input": value}]
    )


def check_sort(sort: str | None, allowed: Iterable[str], default: str) -> str:
    """``sort`` (or ``default``) when it names a whitelisted column; else a 422.

    Example:
        >>> check_sort(None, ["id"], "id")
        'id'
        >>> check_sort("-id; DROP TABLE claims", ["id"], "id")
        Traceback (most recent call last):
        ...
        fastapi.exceptions.RequestValidationError: ...
    """
    if sort is None:
        return default
    names = sorted(allowed)
    if sort.removeprefix("-") not in names:
        raise invalid(
            "sort",
            f"cannot sort by {sort!r}; choose one of {', '.join(names)} ('-' first: descending)",
            sort,
        )
    return sort


def _given(**kwargs: Any) -> dict[str, Any]:
    return {k: v for k, v in kwargs.items() if v is not None}


def _api_type(f: Filter) -> Any:
    """The annotated type of filter ``f`` as a query parameter (see ``Filter``)."""
    if f.choices:
        return Annotated[Literal[f.choices] | None, Query(description=f.help)]  # type: ignore[valid-type]
    if f.type is str:
        check = f.check or check_text
        if f.multi:
            # Free text is bounded as it is parsed; other checks name the values they take.
            item: Any = (
                Annotated[str, StringConstraints(max_length=MAX_TEXT), AfterValidator(check)]
                if check is check_text
                else Annotated[str, AfterValidator(check)]
            )
            return Annotated[list[item] | None, Query(description=f.help)]  # type: ignore[valid-type]
        return Annotated[
            str | None,
            Query(max_length=MAX_TEXT, description=f.help),
            AfterValidator(lambda v: None if v is None else check(v)),
        ]
    if f.type is int:
        return Annotated[int | None, Query(ge=1, le=MAX_ROW_ID, description=f.help)]
    return Annotated[f.type | None, Query(description=f.help)]


def catalog_filters(listing: Listing) -> Callable[..., dict[str, Any]]:
    """A FastAPI dependency taking each filter of ``listing`` as a query parameter (in the
    catalog's order, each validated by its type and check) and returning the keyword
    arguments of the matching ``Store`` method (the filters given, by filter name).

    Example:
        >>> from sitrep.store.catalog import CLAIMS
        >>> catalog_filters(CLAIMS)(q="Kursk", article_id=None)
        {'search': 'Kursk', 'copies': False}
    """
    filters = tuple(f for f in listing.filters if f.api)

    def dependency(**params: Any) -> dict[str, Any]:
        return listing.with_defaults({
            f.name: params[f.api_name]
            for f in filters
            if params.get(f.api_name) is not None
        })

    dependency.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter(
                f.api_name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=_api_type(f)
            )
            for f in filters
        ]
    )
    dependency.__name__ = dependency.__qualname__ = f"{listing.name}_filters"
    dependency.__doc__ = f"Filters of ``Store.{listing.name}`` (``sitrep.store.catalog``)."
    return dependency


#: Filters of ``Store.claims``, as the CLI's ``sitrep claims`` has them; for example
#: ``claim_filters(subject_country=["RU"], anonymous=True)`` is
#: ``{'subject_country': ['RU'], 'anonymous': True}``.
claim_filters = catalog_filters(CLAIMS)


#: Filters of ``Store.statements``, ``Store.events`` (``date_from``/``date_to`` bound the
#: event's start) and ``Store.articles``, from the catalog.
statement_filters = catalog_filters(STATEMENTS)
event_filters = catalog_filters(EVENTS)
article_filters = catalog_filters(ARTICLES)


def series_filters(
    kind: Annotated[
        str | None,
        Query(description=f"Quantity kind ({', '.join(KINDS)})."),
        AfterValidator(lambda v: None if v is None else check_kind(v)),
    ] = None,
    subject_country: Annotated[
        str | None,
        Query(description="Whose losses or forces (ISO 3166-1 alpha-2)."),
        AfterValidator(lambda v: None if v is None else check_country(v)),
    ] = None,
    min_claims: Annotated[int, Query(ge=1, le=MAX_ROW_ID)] = 1,
) -> dict[str, Any]:
    """Filters of ``sitrep.analyse.track.list_series``.

    Example:
        >>> series_filters(kind="killed", min_claims=2)
        {'kind': 'killed', 'min_claims': 2}
    """
    return _given(kind=kind, subject_country=subject_country, min_claims=min_claims)
