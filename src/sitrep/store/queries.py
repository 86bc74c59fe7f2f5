"""The read queries: articles, records, claims, statements and events filtered, sorted and
paged (as plain, JSON-ready dicts), their counts, and the bulk read of claims for tracking.

Example:
    >>> from sitrep.store import Store
    >>> Store.open("sqlite://").count("events", country="UA")
    0
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, Table, func, or_, select
from sqlalchemy.sql import Select

from sitrep.errors import Errors

from .base import StoreBase, _chunks, _page
from .catalog import (
    ARTICLE_SORTS,
    CLAIM_SORTS,
    EVENT_SORTS,
    STATEMENT_SORTS,
    _article_conditions,
    _claim_conditions,
    _event_conditions,
    _statement_conditions,
)
from .conditions import _order
from .schema import articles, claims, event_claims, events, evidence, statements

#: How far back a store's events count as the recent context of an article (``recent_regions``):
#: a front moves over weeks, and a month of news names most villages fought over at a time.
RECENT_DAYS = 30

_ARTICLE_OF = (
    articles.c.ext_id.label("article_ext_id"),
    articles.c.title.label("article_title"),
    articles.c.url.label("article_url"),
    articles.c.outlet,
    articles.c.published,
    articles.c.copy_group,
)


def _article_select(with_text: bool) -> Select[Any]:
    skip = {"extraction", "minhash"} | (set() if with_text else {"text"})
    n_claims = (
        select(func.count())
        .select_from(claims)
        .where(claims.c.article_id == articles.c.id)
        .scalar_subquery()
        .label("n_claims")
    )
    return select(*(c for c in articles.c if c.name not in skip), n_claims)


def _joined_select(table: Table, with_record: bool) -> Select[Any]:
    columns = [c for c in table.c if with_record or c.name != "record"]
    return select(*columns, *_ARTICLE_OF).select_from(
        table.join(articles, table.c.article_id == articles.c.id)
    )


def _claim_select(with_record: bool) -> Select[Any]:
    return _joined_select(claims, with_record)


def _statement_select(with_record: bool) -> Select[Any]:
    return _joined_select(statements, with_record)


def _event_select(with_record: bool) -> Select[Any]:
    return _joined_select(events, with_record)


def _evidence_for(conn: Connection, claim_ids: list[int]) -> dict[int, list[dict[str, int]]]:
    out: dict[int, list[dict[str, int]]] = {}
    for chunk in _chunks(claim_ids):
        query = (
            select(evidence.c.claim_id, evidence.c.char_start, evidence.c.char_end)
            .where(evidence.c.claim_id.in_(chunk))
            .order_by(evidence.c.id)
        )
        for claim_id, start, end in conn.execute(query):
            out.setdefault(claim_id, []).append({"start": start, "end": end})
    return out


def _claims_of_events(conn: Connection, event_ids: list[int]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for chunk in _chunks(event_ids):
        query = (
            select(event_claims.c.event_id, event_claims.c.claim_id)
            .where(event_claims.c.event_id.in_(chunk))
            .order_by(event_claims.c.claim_id)
        )
        for event_id, claim_id in conn.execute(query):
            out.setdefault(event_id, []).append(claim_id)
    return out


class QueryMethods(StoreBase):
    """``Store``'s read queries."""

    def article(self, article_id: int) -> dict[str, Any] | None:
        """One article with its text, or None.

        Example:
            >>> from sitrep.store import Store
            >>> Store.open("sqlite://").article(1) is None
            True
        """
        query = _article_select(with_text=True).where(articles.c.id == article_id)
        rows = self._fetch(query)
        return rows[0] if rows else None

    def record(self, article_id: int) -> dict[str, Any] | None:
        """The contract record of an article, rebuilt from the stored JSON, or None.

        Example:
            >>> from sitrep.store import Store
            >>> from sitrep.model import Article
            >>> store = Store.open("sqlite://")
            >>> _ = store.save_article(Article(id="a", text="x"), {"schema": 1, "id": "a"})
            >>> store.record(1)
            {'schema': 1, 'id': 'a', 'statements': [], 'claims': [], 'events': []}
        """
        with self.engine.connect() as conn:
            found = conn.execute(
                select(articles.c.extraction).where(articles.c.id == article_id)
            ).first()
            if found is None:
                return None
            parts = {
                name: [
                    json.loads(r)
                    for r in conn.execute(
                        select(table.c.record)
                        .where(table.c.article_id == article_id)
                        .order_by(table.c.id)
                    ).scalars()
                ]
                for name, table in (
                    ("statements", statements),
                    ("claims", claims),
                    ("events", events),
                )
            }
        rest: dict[str, Any] = json.loads(found[0])
        out: dict[str, Any] = {}
        for name in ("schema", "id", "published"):
            if name in rest:
                out[name] = rest.pop(name)
        out.update(parts)
        out.update(rest)
        return out

    def articles(
        self,
        *,
        with_text: bool = False,
        limit: int | None = 100,
        offset: int = 0,
        sort: str = "id",
        **filters: Any,
    ) -> list[dict[str, Any]]:
        """Articles matching every filter given, with their number of claims (``n_claims``).

        ``filters`` are those of ``sitrep.store.catalog.ARTICLES``: ``search`` finds text in
        the title or body (case-insensitive); ``run_id`` the run that first stored them.
        ``sort`` is a column of ``ARTICLE_SORTS``, ``-`` first for descending.

        Example:
            >>> from sitrep.store import Store
            >>> Store.open("sqlite://").articles(outlet="AFP", sort="-published")
            []
        """
        query = _article_select(with_text=with_text).where(*_article_conditions(**filters))
        query = query.order_by(*_order(sort, ARTICLE_SORTS, articles.c.id))
        return self._fetch(_page(query, limit, offset))

    def claims(
        self,
        *,
        with_record: bool = True,
        limit: int | None = 100,
        offset: int = 0,
        sort: str = "id",
        **filters: Any,
    ) -> list[dict[str, Any]]:
        """Claims matching every filter given, each with its ``evidence`` spans.

        ``filters`` are those of ``sitrep.store.catalog.CLAIMS`` (a name it lacks is a
        ``TypeError``), among them:

        - ``kind``, ``scope``, ``subject_country``, ``speaker_country``: one value or several
          (``scope``: "incident", "period" or "total"; claims stored before revision 0004 have
          none and match no scope).
        - ``speaker``: text in the speaker's span, name or antecedent (case-insensitive).
        - ``anonymous``: True for anonymous speakers only, False for named ones only.
        - ``place``: a place name, admin1 region, country or ISO 3166-2 code.
        - ``said_from``/``said_to`` and ``published_from``/``published_to``: inclusive dates.
        - ``search``: text in the quantity, the sentence or the speaker (case-insensitive).
        - ``sort``: a column of ``CLAIM_SORTS``, with ``-`` first for descending.

        Every value is a bound parameter; an unknown sort column raises ``ValueError``.

        Example:
            >>> from sitrep.store import Store
            >>> Store.open("sqlite://").claims(kind="killed", place="UA", sort="-said_on")
            []
        """
        query = _claim_select(with_record).where(*_claim_conditions(**filters))
        query = query.order_by(*_order(sort, CLAIM_SORTS, claims.c.id))
        rows = self._fetch(_page(query, limit, offset))
        with self.engine.connect() as conn:
            spans = _evidence_for(conn, [r["id"] for r in rows])
        for r in rows:
            r["evidence"] = spans.get(r["id"], [])
        return rows

    def statements(
        self,
        *,
        with_record: bool = True,
        limit: int | None = 100,
        offset: int = 0,
        sort: str = "id",
        **filters: Any,
    ) -> list[dict[str, Any]]:
        """Statements (reported speech, numbers or not) matching every filter given.

        ``filters`` are those of ``sitrep.store.catalog.STATEMENTS``: ``search`` finds text
        in what was said or in the speaker; ``quote`` is "direct" or "indirect"; ``sort`` a
        column of ``STATEMENT_SORTS``.

        Example:
            >>> from sitrep.store import Store
            >>> Store.open("sqlite://").statements(speaker="governor", anonymous=False)
            []
        """
        query = _statement_select(with_record).where(*_statement_conditions(**filters))
        query = query.order_by(*_order(sort, STATEMENT_SORTS, statements.c.id))
        return self._fetch(_page(query, limit, offset))

    def events(
        self,
        *,
        with_record: bool = True,
        limit: int | None = 100,
        offset: int = 0,
        sort: str = "id",
        **filters: Any,
    ) -> list[dict[str, Any]]:
        """Events (UCDP/ACLED-shaped rows) matching every filter given.

        ``filters`` are those of ``sitrep.store.catalog.EVENTS``: ``date_from``/``date_to``
        bound the event's start date (inclusive); ``place`` matches
        the location, admin1, country or ISO 3166-2 code; ``search`` finds text in the type,
        location or sides; ``claim_ids`` in each row are the claims' row ids.

        Example:
            >>> from sitrep.store import Store
            >>> Store.open("sqlite://").events(country="UA", date_from="2024-05-01")
            []
        """
        query = _event_select(with_record).where(*_event_conditions(**filters))
        query = query.order_by(*_order(sort, EVENT_SORTS, events.c.id))
        rows = self._fetch(_page(query, limit, offset))
        with self.engine.connect() as conn:
            links = _claims_of_events(conn, [r["id"] for r in rows])
        for r in rows:
            r["claim_ids"] = links.get(r["id"], [])
        return rows

    def count(self, what: str, **filters: Any) -> int:
        """How many rows ``articles``/``claims``/``statements``/``events`` would return in all.

        ``filters`` are those of the method of that name (not limit, offset, sort).

        Example:
            >>> from sitrep.store import Store
            >>> Store.open("sqlite://").count("claims", kind="killed")
            0
        """
        counters: dict[str, tuple[Any, Table, bool]] = {
            "articles": (_article_conditions, articles, False),
            "claims": (_claim_conditions, claims, True),
            "statements": (_statement_conditions, statements, True),
            "events": (_event_conditions, events, True),
        }
        if what not in counters:
            raise ValueError(Errors.E311.format(value=what, choices=", ".join(counters)))
        conditions, table, joined = counters[what]
        query = select(func.count()).select_from(
            table.join(articles, table.c.article_id == articles.c.id) if joined else table
        )
        query = query.where(*conditions(**filters))
        with self.engine.connect() as conn:
            return int(conn.execute(query).scalar_one())

    def recent_regions(
        self, on: date, days: int = RECENT_DAYS, before_run: int | None = None
    ) -> tuple[tuple[str, int], ...]:
        """Where the stored events of the ``days`` before ``on`` (inclusive) happened: (ISO
        3166-2 code, distinct stories) pairs, most first. A story is a copy group (an
        article alone is its own), so a syndicated report counts once. ``before_run`` keeps
        to what runs before that one extracted, so a run reads the store as it stood when
        it began, whatever order its workers save in.

        Example:
            >>> from sitrep.store import Store
            >>> Store.open("sqlite://").recent_regions(date(2024, 5, 1))
            ()
        """
        story = func.coalesce(articles.c.copy_group, -articles.c.id)
        stories = func.count(story.distinct())
        query = (
            select(events.c.iso3166_2, stories)
            .select_from(events.join(articles, events.c.article_id == articles.c.id))
            .where(events.c.iso3166_2.is_not(None),
                   events.c.date_start.between(on - timedelta(days=days), on))
            .group_by(events.c.iso3166_2)
            .order_by(stories.desc(), events.c.iso3166_2)
        )
        if before_run is not None:
            query = query.where(or_(articles.c.extracted_run < before_run,
                                    articles.c.extracted_run.is_(None)))
        with self.engine.connect() as conn:
            return tuple((str(iso), int(n)) for iso, n in conn.execute(query))

    def tracking_claims(
        self,
        *,
        kind: str | Sequence[str] | None = None,
        subject_country: str | Sequence[str] | None = None,
    ) -> list[dict[str, Any]]:
        """Every claim (``kind``/``subject_country``: one value or several) as a lean row.

        The claim's flat columns (no record), with its article's ``published``, ``outlet``,
        ``wire``, ``copy_group``, ``origin``, ``article_ext_id`` and ``article_title``, and
        ``event_date`` (the earliest start date of the events it belongs to) and ``n_events``.
        In claim id order, unpaged: ``sitrep.analyse.track`` groups them into series.

        Example:
            >>> from sitrep.store import Store
            >>> Store.open("sqlite://").tracking_claims(kind="killed")
            []
        """
        linked = (
            select(
                event_claims.c.claim_id,
                func.min(events.c.date_start).label("event_date"),
                func.count().label("n_events"),
            )
            .select_from(event_claims.join(events, event_claims.c.event_id == events.c.id))
            .group_by(event_claims.c.claim_id)
            .subquery()
        )
        columns = [c for c in claims.c if c.name != "record"]
        query = (
            select(
                *columns,
                articles.c.published,
                articles.c.outlet,
                articles.c.wire,
                articles.c.copy_group,
                articles.c.origin,
                articles.c.ext_id.label("article_ext_id"),
                articles.c.title.label("article_title"),
                linked.c.event_date,
                func.coalesce(linked.c.n_events, 0).label("n_events"),
            )
            .select_from(
                claims.join(articles, claims.c.article_id == articles.c.id).outerjoin(
                    linked, linked.c.claim_id == claims.c.id
                )
            )
            .where(*_claim_conditions(kind=kind, subject_country=subject_country))
            .order_by(claims.c.id)
        )
        # Dates as ISO strings like every query; converted by name, as this reads every claim.
        dated = ("time_start", "time_end", "said_on", "published", "event_date")
        with self.engine.connect() as conn:
            result = conn.execute(query)
            names = list(result.keys())
            out = [dict(zip(names, row, strict=True)) for row in result]
        for r in out:
            for name in dated:
                value = r[name]
                if value is not None and not isinstance(value, str):
                    r[name] = value.isoformat()
        return out

    def claim_evidence(self, claim_ids: Iterable[int]) -> dict[int, list[dict[str, int]]]:
        """The evidence spans (``start``, ``end``) of each of ``claim_ids`` that has any.

        Example:
            >>> from sitrep.store import Store
            >>> Store.open("sqlite://").claim_evidence([1, 2])
            {}
        """
        with self.engine.connect() as conn:
            return _evidence_for(conn, list(dict.fromkeys(claim_ids)))
