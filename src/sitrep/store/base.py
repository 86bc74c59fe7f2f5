"""What every part of the store shares: the engine with its write transaction, reading rows
out as JSON-ready dicts, paging, and cutting long ``IN (...)`` lists into chunks.

``sitrep.store.db.Store`` is made of ``StoreBase`` and one class of methods per concern
(runs, saving, copy groups, queries).

Example:
    >>> list(_chunks(list(range(1001))))[-1]
    [1000]
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Engine
from sqlalchemy.engine import RowMapping
from sqlalchemy.sql import Select

from sitrep.errors import Errors

_CHUNK = 500  # ids or keys per IN (...) list


class StoreBase:
    """The engine and the write transaction the methods of ``Store`` share."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        """One write transaction (on SQLite, holding the write lock from its start)."""
        with self.engine.connect() as conn:
            conn.execution_options(sqlite_begin="IMMEDIATE")
            with conn.begin():
                yield conn

    def _fetch(self, query: Select[Any]) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return [_out(row) for row in conn.execute(query).mappings()]


def _page(query: Select[Any], limit: int | None, offset: int) -> Select[Any]:
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
        raise ValueError(Errors.E329.format(name="limit", value=limit))
    if isinstance(offset, bool) or not isinstance(offset, int) or offset < 0:
        raise ValueError(Errors.E329.format(name="offset", value=offset))
    if limit is not None:
        query = query.limit(limit)
    return query.offset(offset) if offset else query


def _chunks(items: list[Any]) -> Iterator[list[Any]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i : i + _CHUNK]


def _out(row: RowMapping) -> dict[str, Any]:
    """A JSON-ready dict: dates and times as ISO strings (times in UTC), records parsed."""
    out: dict[str, Any] = {}
    for key, value in row.items():
        if isinstance(value, datetime):
            if value.tzinfo is None:  # SQLite keeps no zone; sitrep writes UTC
                value = value.replace(tzinfo=UTC)
            out[key] = value.isoformat()
        elif isinstance(value, date):
            out[key] = value.isoformat()
        elif key == "record" and isinstance(value, str):
            out[key] = json.loads(value)
        else:
            out[key] = value
    return out
