"""The catalog of the listed tables: each one's filters, sorts and output columns, as data.

One ``Filter`` entry is all a filter needs: the store builds its WHERE condition from it
(``Listing.where``), the CLI and the API check its value with its ``check``
(``Listing.check``; the API as a pydantic validator), the API takes it as a query parameter
(``sitrep.serve.params.catalog_filters``) and the CLI as an option
(``sitrep.cli``) when ``cli`` is set. Declared: ``ARTICLES``, ``CLAIMS``, ``STATEMENTS``,
``EVENTS``.

Example:
    >>> CLAIMS.filter("kind").multi
    True
    >>> [str(c) for c in CLAIMS.where({"kind": "Killed"})]
    ['claims.kind IN (__[POSTCOMPILE_kind_1])']
    >>> CLAIMS.check({"kind": "Killed", "said_from": "2024-05-01"})
    {'kind': 'killed', 'said_from': datetime.date(2024, 5, 1)}
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from sqlalchemy import or_

from sitrep.errors import Errors
from sitrep.model import KINDS, SCOPES

from .conditions import _anonymous, _contains, _date_arg, _equals_ci, _first_copy, _values
from .filters import (
    check_country,
    check_day,
    check_kind,
    check_scope,
    check_text,
    check_values,
)
from .schema import articles, claims, events, statements

#: How a filter matches its columns: ``in`` one value or several (after ``case``);
#: ``contains`` text in any column (case-insensitive, literal); ``equals`` any column equal
#: (case-insensitive); ``from``/``to`` an inclusive date bound; ``flag`` a true/false column;
#: ``is`` the column equal to the value (ids); ``copies`` false keeps the rows of articles that
#: are no syndicated copy of another (columns: the article's id and copy group).
Match = Literal["in", "contains", "equals", "from", "to", "flag", "is", "copies"]


@dataclass(frozen=True)
class Filter:
    """One filter of a listed table.

    ``name`` is the store's keyword and the CLI's option (``--said-from``); ``param`` the
    API's query parameter when it differs (``search`` is ``?q=``). ``type`` is what the API
    parses (``str`` values go through ``check``, or must be one of ``choices``; ``date``,
    ``bool`` and ``int`` are parsed by pydantic, ``int`` as a row id). ``multi``: the API
    takes it repeated. ``help`` is the API's description, ``cli_help`` the CLI's; ``api``
    puts it among the API's query parameters, ``cli`` on the command line. ``label``,
    ``placeholder`` and ``options`` (a select's values; a flag's two labels) are its field
    in the dashboard's filter form (``Listing.form``).

    Example:
        >>> Filter("outlet", "equals", (articles.c.outlet,)).api_name
        'outlet'
    """

    name: str
    match: Match
    columns: tuple[Any, ...]
    type: type = str
    multi: bool = False
    case: Literal["lower", "upper"] = "lower"
    check: Callable[[Any], Any] | None = None
    help: str | None = None
    param: str = ""
    choices: tuple[str, ...] = ()
    api: bool = True
    cli: bool = False
    cli_help: str | None = None
    label: str = ""
    placeholder: str = ""
    options: tuple[str, ...] = ()
    default: Any = None

    @property
    def api_name(self) -> str:
        """The API's query parameter."""
        return self.param or self.name

    def field(self) -> dict[str, Any]:
        """Its field in a filter form: the parameter, label, widget (``text``, ``date``,
        ``flag``, ``select``, ``multi``), placeholder and options.

        Example:
            >>> CLAIMS.filter("anonymous").field()["options"]
            ('anonymous', 'named')
        """
        options = self.options or self.choices
        widget = ("date" if self.type is date else "flag" if self.type is bool
                  else ("multi" if self.multi else "select") if options else "text")
        options = options or (("yes", "no") if widget == "flag" else ())
        # The empty choice is the default: a flag's false label when it defaults to false.
        blank = (options[1] if widget == "flag" and self.default is False
                 else options[0] if widget == "flag" and self.default is True else "any")
        return {"name": self.api_name, "label": self.label or self.name,
                "widget": widget, "placeholder": self.placeholder, "options": options,
                "blank": blank}

    def conditions(self, value: Any) -> list[Any]:
        """The WHERE conditions for ``value`` (none for None); every value is bound.

        Example:
            >>> [str(c) for c in CLAIMS.filter("article_id").conditions(3)]
            ['claims.article_id = :article_id_1']
        """
        if value is None:
            return []
        first = self.columns[0]
        if self.match == "in":
            return [first.in_(_values(value, self.case))]
        if self.match == "contains":
            return [_contains(self.columns, value)]
        if self.match == "equals":
            if self.multi and not isinstance(value, str):
                return [or_(*(_equals_ci(self.columns, v) for v in value))]
            return [_equals_ci(self.columns, value)]
        if self.match == "from":
            return [first >= _date_arg(value, self.name)]
        if self.match == "to":
            return [first <= _date_arg(value, self.name)]
        if self.match == "flag":
            return _anonymous(first, value)
        if self.match == "copies":
            return _first_copy(first, self.columns[1], value)
        return [first == value]


@dataclass(frozen=True)
class Listing:
    """A filtered, sorted, paged table: its filters, sort columns and output columns.

    ``columns`` are the API's CSV columns; ``cli_columns`` those the CLI's table prints;
    ``form`` the filters of the dashboard's form, in its order (``form_fields``).

    Example:
        >>> sorted(CLAIMS.sorts)[:3]
        ['admin1', 'article_id', 'best']
    """

    name: str
    filters: tuple[Filter, ...]
    sorts: Mapping[str, Any]
    columns: tuple[str, ...]
    cli_columns: tuple[str, ...] = ()
    form: tuple[str, ...] = ()

    def form_fields(self) -> list[dict[str, Any]]:
        """The dashboard's filter form, one field per filter of ``form`` (``Filter.field``).

        Example:
            >>> [f["name"] for f in ARTICLES.form_fields()]
            ['q', 'outlet', 'published_from', 'published_to']
        """
        return [self.filter(name).field() for name in self.form]

    def filter(self, name: str) -> Filter:
        """The filter called ``name``; a ``TypeError`` (E334) for one the table lacks."""
        for f in self.filters:
            if f.name == name:
                return f
        choices = ", ".join(f.name for f in self.filters)
        raise TypeError(Errors.E334.format(table=self.name, value=name, choices=choices))

    def with_defaults(self, filters: Mapping[str, Any]) -> dict[str, Any]:
        """``filters`` with each missing filter's ``default`` (what a listing shows unless
        asked otherwise), except when an id is given (``is``): a look-up of one article's
        rows shows them all.

        Example:
            >>> CLAIMS.with_defaults({"kind": "killed"})
            {'kind': 'killed', 'copies': False}
            >>> CLAIMS.with_defaults({"article_id": 11})
            {'article_id': 11}
        """
        given = {k: v for k, v in filters.items() if v is not None}
        if any(f.match == "is" and f.name in given for f in self.filters):
            return given
        return {**given, **{f.name: f.default for f in self.filters
                            if f.default is not None and f.name not in given}}

    def where(self, filters: Mapping[str, Any]) -> list[Any]:
        """The WHERE conditions of ``filters`` (by filter name), in the catalog's order.

        Example:
            >>> CLAIMS.where({"nope": 1})
            Traceback (most recent call last):
            ...
            TypeError: [E334] claims has no filter 'nope'; choose one of kind, ...
        """
        for name in filters:
            self.filter(name)
        return [c for f in self.filters for c in f.conditions(filters.get(f.name))]

    def check(self, filters: Mapping[str, Any]) -> dict[str, Any]:
        """``filters`` with each value checked and normalised (lists: each item);
        ``FilterError`` names a bad one. Filters without a check pass as they are.

        Example:
            >>> CLAIMS.check({"subject_country": ["ua"], "anonymous": True})
            {'subject_country': ['UA'], 'anonymous': True}
        """
        return check_values(filters, lambda name: self.filter(name).check)


#: What every row joined to its article carries of it.
ARTICLE_OF = ("article_ext_id", "article_title", "article_url", "outlet", "published",
              "copy_group")

_ANONYMOUS = "true: anonymous speakers only; false: named ones only."
_COUNTRIES = "ISO 3166-1 alpha-2 code; repeat for several."
_DAY = "YYYY-MM-DD (inclusive)."
_SEARCH = "Text search (case-insensitive, literal)."
_TEXT = "Text (case-insensitive)."
_SEARCH_FIELD: dict[str, Any] = {"label": "Text", "placeholder": "search"}
_SPEAKER_KIND: dict[str, Any] = {"label": "Speaker", "options": ("anonymous", "named")}
_PUBLISHED: dict[str, Any] = {"label": "Published from"}
# A syndicated copy repeats its first article's claims and events: listings show the first
# only (its rows' ``sources`` count the copy groups) unless copies are asked for.
_COPIES: dict[str, Any] = {
    "type": bool, "default": False, "cli": True, "label": "Copies",
    "options": ("every copy", "first of each group"),
    "help": "true: the rows of every syndicated copy; false (the default): of each copy "
            "group's first article only.",
    "cli_help": "Also the rows of syndicated copies (default: each copy group's first "
                "article only).",
}

CLAIMS = Listing(
    name="claims",
    filters=(
        Filter("kind", "in", (claims.c.kind,), multi=True, check=check_kind,
               help=f"Quantity kind ({', '.join(KINDS)}); repeat for several.",
               cli=True, cli_help="killed, wounded, casualties, ...", label="Kind",
               options=KINDS),
        Filter("scope", "in", (claims.c.scope,), multi=True, check=check_scope,
               help=f"Claim scope ({', '.join(SCOPES)}); repeat for several.",
               cli=True, cli_help="incident, period or total."),
        Filter("subject_country", "in", (claims.c.subject_country,), multi=True,
               case="upper", check=check_country, help=_COUNTRIES,
               cli=True, cli_help="Whose losses (ISO code).", label="Whose (country)",
               placeholder="RU"),
        Filter("speaker", "contains",
               (claims.c.speaker_text, claims.c.speaker_name, claims.c.speaker_antecedent),
               check=check_text, help=_TEXT, cli=True, cli_help="Speaker text contains.",
               label="Speaker", placeholder="general staff"),
        Filter("speaker_country", "in", (claims.c.speaker_country,), multi=True,
               case="upper", check=check_country, help=_COUNTRIES, cli=True,
               label="Speaker country", placeholder="UA"),
        Filter("anonymous", "flag", (claims.c.speaker_anonymous,), type=bool,
               help=_ANONYMOUS,
               cli=True, cli_help="Anonymous speakers only.", **_SPEAKER_KIND),
        Filter("place", "equals",
               (claims.c.place_name, claims.c.admin1, claims.c.place_country,
                claims.c.iso3166_2),
               check=check_text,
               help="Place name, admin1 region, country or ISO 3166-2 code (exact, "
                    "case-insensitive).",
               cli=True, cli_help="Place name, admin1 or country.", label="Place",
               placeholder="Kursk Oblast"),
        Filter("said_from", "from", (claims.c.said_on,), type=date, check=check_day,
               help=_DAY, cli=True, cli_help="Said on or after (YYYY-MM-DD).",
               label="Said from"),
        Filter("said_to", "to", (claims.c.said_on,), type=date, check=check_day,
               help=_DAY, cli=True, cli_help="Said on or before (YYYY-MM-DD).", label="to"),
        Filter("published_from", "from", (articles.c.published,), type=date,
               check=check_day, help=_DAY),
        Filter("published_to", "to", (articles.c.published,), type=date, check=check_day,
               help=_DAY),
        Filter("search", "contains",
               (claims.c.quantity, claims.c.sentence, claims.c.speaker_text,
                claims.c.speaker_name),
               check=check_text, help=_SEARCH, param="q",
               cli=True, cli_help="Text search.", **_SEARCH_FIELD),
        Filter("article_id", "is", (claims.c.article_id,), type=int),
        Filter("outlet", "equals", (articles.c.outlet,), check=check_text, help=_TEXT),
        Filter("copies", "copies", (articles.c.id, articles.c.copy_group), **_COPIES),
    ),
    sorts={
        **{
            name: claims.c[name]
            for name in (
                "id", "article_id", "kind", "scope", "low", "best", "high", "said_on",
                "time_start", "subject_country", "speaker_country", "place_country", "admin1",
            )
        },
        "published": articles.c.published,
        "outlet": articles.c.outlet,
    },
    columns=(
        *(c.name for c in claims.c if c.name != "record"), *ARTICLE_OF, "evidence", "sources",
    ),
    cli_columns=(
        "id", "kind", "scope", "quantity", "best", "low", "high", "speaker_text",
        "speaker_country", "subject_country", "place_name", "said_on", "sources",
        "article_ext_id",
    ),
    form=("kind", "subject_country", "speaker", "speaker_country", "anonymous", "place",
          "said_from", "said_to", "search", "copies"),
)

ARTICLES = Listing(
    name="articles",
    filters=(
        Filter("outlet", "equals", (articles.c.outlet,), check=check_text, help=_TEXT,
               label="Outlet", placeholder="AFP"),
        Filter("published_from", "from", (articles.c.published,), type=date,
               check=check_day, help=_DAY, **_PUBLISHED),
        Filter("published_to", "to", (articles.c.published,), type=date, check=check_day,
               help=_DAY, label="to"),
        Filter("search", "contains", (articles.c.title, articles.c.text), check=check_text,
               help=_SEARCH, param="q", cli=True, label="Text", placeholder="Pokrovsk"),
        Filter("copy_group", "is", (articles.c.copy_group,), type=int),
        Filter("run_id", "is", (articles.c.first_run,), type=int, api=False),
    ),
    sorts={name: articles.c[name] for name in ("id", "published", "outlet", "title",
                                               "copy_group")},
    columns=(
        *(c.name for c in articles.c if c.name not in {"text", "extraction", "minhash"}),
        "n_claims",
    ),
    cli_columns=("id", "ext_id", "title", "outlet", "published", "copy_group", "n_claims"),
    form=("search", "outlet", "published_from", "published_to"),
)

STATEMENTS = Listing(
    name="statements",
    filters=(
        Filter("speaker", "contains",
               (statements.c.speaker_text, statements.c.speaker_name,
                statements.c.speaker_antecedent),
               check=check_text, help=_TEXT, cli=True, label="Speaker",
               placeholder="official"),
        Filter("speaker_country", "in", (statements.c.speaker_country,), multi=True,
               case="upper", check=check_country, help=_COUNTRIES, cli=True,
               label="Speaker country", placeholder="US"),
        Filter("anonymous", "flag", (statements.c.speaker_anonymous,), type=bool,
               help=_ANONYMOUS, cli=True, **_SPEAKER_KIND),
        Filter("quote", "in", (statements.c.quote,), choices=("direct", "indirect"),
               help="direct or indirect.", label="Quote"),
        Filter("published_from", "from", (articles.c.published,), type=date,
               check=check_day, help=_DAY, **_PUBLISHED),
        Filter("published_to", "to", (articles.c.published,), type=date, check=check_day,
               help=_DAY, label="to"),
        Filter("search", "contains",
               (statements.c.content, statements.c.speaker_text, statements.c.speaker_name),
               check=check_text, help=_SEARCH, param="q", cli=True, **_SEARCH_FIELD),
        Filter("article_id", "is", (statements.c.article_id,), type=int),
    ),
    sorts={
        **{name: statements.c[name] for name in ("id", "article_id", "speaker_country",
                                                  "quote")},
        "published": articles.c.published,
    },
    columns=(*(c.name for c in statements.c if c.name != "record"), *ARTICLE_OF),
    cli_columns=("id", "speaker_text", "speaker_country", "cue", "quote", "content",
                 "article_ext_id"),
    form=("speaker", "speaker_country", "anonymous", "quote", "published_from",
          "published_to", "search"),
)

EVENTS = Listing(
    name="events",
    filters=(
        Filter("type", "equals", (events.c.type,), multi=True, check=check_text,
               help="Event type, e.g. Battles; repeat for several."),
        Filter("country", "in", (events.c.country,), multi=True, case="upper",
               check=check_country, help=_COUNTRIES, cli=True, label="Country",
               placeholder="UA"),
        Filter("place", "equals",
               (events.c.location, events.c.admin1, events.c.country, events.c.iso3166_2),
               check=check_text, help="Location, admin1, country or ISO 3166-2 code.",
               cli=True, label="Place", placeholder="Kharkiv"),
        Filter("date_from", "from", (events.c.date_start,), type=date, check=check_day,
               help=_DAY, cli=True, label="From"),
        Filter("date_to", "to", (events.c.date_start,), type=date, check=check_day,
               help=_DAY, cli=True, label="to"),
        Filter("published_from", "from", (articles.c.published,), type=date,
               check=check_day, help=_DAY),
        Filter("published_to", "to", (articles.c.published,), type=date, check=check_day,
               help=_DAY),
        Filter("search", "contains",
               (events.c.type, events.c.location, events.c.side_a, events.c.side_b),
               check=check_text, help=_SEARCH, param="q", cli=True, **_SEARCH_FIELD),
        Filter("article_id", "is", (events.c.article_id,), type=int),
        Filter("copies", "copies", (articles.c.id, articles.c.copy_group), **_COPIES),
    ),
    sorts={
        **{
            name: events.c[name]
            for name in (
                "id", "article_id", "type", "date_start", "date_end", "country", "admin1",
                "killed_best", "wounded_best", "captured_best", "missing_best",
            )
        },
        "published": articles.c.published,
    },
    columns=(*(c.name for c in events.c if c.name != "record"), *ARTICLE_OF, "claim_ids"),
    cli_columns=("id", "type", "date_start", "country", "admin1", "location", "killed_best",
                 "wounded_best", "article_ext_id"),
    form=("country", "place", "date_from", "date_to", "search", "copies"),
)

#: The listed tables, by name.
CATALOG: dict[str, Listing] = {t.name: t for t in (ARTICLES, CLAIMS, STATEMENTS, EVENTS)}

ARTICLE_SORTS: dict[str, Any] = dict(ARTICLES.sorts)
CLAIM_SORTS: dict[str, Any] = dict(CLAIMS.sorts)
STATEMENT_SORTS: dict[str, Any] = dict(STATEMENTS.sorts)
EVENT_SORTS: dict[str, Any] = dict(EVENTS.sorts)


# The WHERE conditions of each store query's filters; they look the table up when called
# (a test extends a table by replacing it here).


def _article_conditions(**filters: Any) -> list[Any]:
    return ARTICLES.where(filters)


def _claim_conditions(**filters: Any) -> list[Any]:
    """The WHERE conditions of ``Store.claims``'s filters (see ``CLAIMS``).

    Example:
        >>> len(_claim_conditions(kind=["killed"], said_from="2024-05-01"))
        2
    """
    return CLAIMS.where(filters)


def _statement_conditions(**filters: Any) -> list[Any]:
    return STATEMENTS.where(filters)


def _event_conditions(**filters: Any) -> list[Any]:
    return EVENTS.where(filters)


__all__ = [
    "ARTICLES",
    "ARTICLE_OF",
    "ARTICLE_SORTS",
    "CATALOG",
    "CLAIMS",
    "CLAIM_SORTS",
    "EVENTS",
    "EVENT_SORTS",
    "STATEMENTS",
    "STATEMENT_SORTS",
    "Filter",
    "Listing",
    "Match",
]
