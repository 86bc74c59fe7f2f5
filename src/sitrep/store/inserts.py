"""Writing an article's extraction: its statements, claims, evidence and events inserted
(one executemany per table, the new ids read back in the rows' order) or deleted.

Example:
    >>> from sitrep.model import Article
    >>> from sitrep.store import Store
    >>> store = Store.open("sqlite://")
    >>> q = {"text": "Two", "kind": "killed", "low": 2, "best": 2, "high": 2}
    >>> rec = {"claims": [{"id": "c1", "start": 0, "end": 11, "quantity": q}]}
    >>> store.save_article(Article(id="a", text="Two killed."), rec)
    True
    >>> with store.engine.begin() as conn:
    ...     _delete_extraction(conn, 1)
    >>> store.claims()
    []
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Dialect, Table, bindparam, delete, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from .base import _chunks
from .rows import _aligned, _claim_row, _event_row, _evidence_rows, _list, _statement_row
from .schema import articles, claims, event_claims, events, evidence, statements


def _insert_article(conn: Connection, row: dict[str, Any]) -> int | None:
    """Insert the article row; None when its key is already stored (race-free on PG/SQLite)."""
    name = conn.dialect.name
    if name == "postgresql":
        stmt: Any = pg_insert(articles).on_conflict_do_nothing(index_elements=["key"])
    elif name == "sqlite":
        stmt = sqlite_insert(articles).on_conflict_do_nothing(index_elements=["key"])
    else:
        known = select(articles.c.id).where(articles.c.key == row["key"])
        if conn.execute(known).first() is not None:
            return None
        stmt = insert(articles)
    found = conn.execute(stmt.returning(articles.c.id), row).first()
    return None if found is None else int(found[0])


def _insert_many(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> list[int]:
    """Insert rows; return their new ids in the rows' order."""
    if not rows:
        return []
    stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return [int(r[0]) for r in conn.execute(stmt, rows)]


def _insert_extraction(
    conn: Connection, article_id: int, body: str, record: Mapping[str, Any], ext_id: Any
) -> None:
    where = f"article {ext_id!r}"
    stmt_list = _list(record, "statements", where)
    stmt_rows = [
        _statement_row(article_id, body, s, f"{where}: statements[{i}]")
        for i, s in enumerate(stmt_list)
    ]
    stmt_ids = _insert_many(conn, statements, stmt_rows)
    by_sid = {r["sid"]: i for r, i in zip(stmt_rows, stmt_ids, strict=True)}

    claim_list = _list(record, "claims", where)
    claim_rows = [
        _claim_row(article_id, body, c, by_sid, f"{where}: claims[{i}]")
        for i, c in enumerate(claim_list)
    ]
    claim_ids = _insert_many(conn, claims, _aligned(claim_rows))
    spans: list[dict[str, Any]] = []
    for i, (c, claim_id) in enumerate(zip(claim_list, claim_ids, strict=True)):
        path = f"{where}: claims[{i}]"
        spans.extend(_evidence_rows(claim_id, _list(c, "evidence", path), path))
    if spans:
        conn.execute(insert(evidence), spans)
    by_cid = {r["cid"]: i for r, i in zip(claim_rows, claim_ids, strict=True)}

    event_list = _list(record, "events", where)
    event_rows = [
        _event_row(article_id, e, f"{where}: events[{i}]") for i, e in enumerate(event_list)
    ]
    event_ids = _insert_many(conn, events, event_rows)
    links: dict[tuple[int, int], None] = {}
    for e, event_id in zip(event_list, event_ids, strict=True):
        for cid in e.get("claims") or []:
            if isinstance(cid, str) and cid in by_cid:
                links[(event_id, by_cid[cid])] = None
    if links:
        conn.execute(insert(event_claims), [{"event_id": e, "claim_id": c} for e, c in links])


def _executemany(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """INSERT ``rows`` (all with the first row's keys) in one DBAPI executemany.

    The statement is compiled once and each value converted by its column type's bind
    processor here: SQLAlchemy's own executemany builds every row's parameters through the
    compiler, about a third of what an ingest's save cost its process once the rows came
    ready-made from the workers (``sitrep.store.prepared``). Same SQL, same values.

    Example:
        >>> from sitrep.store import Store
        >>> from datetime import date
        >>> store = Store.open("sqlite://")
        >>> row = {"key": "k", "text": "t", "extraction": "{}", "published": date(2024, 3, 2)}
        >>> with store.engine.begin() as conn:
        ...     _executemany(conn, articles, [row])
        ...     conn.execute(select(articles.c.published)).scalar_one()
        datetime.date(2024, 3, 2)
    """
    if not rows:
        return
    sql, positional, convert = _compiled_insert(table, tuple(rows[0]), conn.dialect)
    values = [[r[n] if p is None else p(r[n]) for n, p in convert] for r in rows]
    names = [n for n, _p in convert]
    params: Any = ([tuple(v) for v in values] if positional
                   else [dict(zip(names, v, strict=True)) for v in values])
    conn.exec_driver_sql(sql, params)


@functools.lru_cache(maxsize=64)
def _compiled_insert(
    table: Table, cols: tuple[str, ...], dialect: Dialect
) -> tuple[str, bool, list[tuple[str, Any]]]:
    """``_executemany``'s statement: its SQL, whether its parameters are positional, and
    (bind name, bind processor) in their order. Compiled once per table, columns, dialect."""
    compiled = insert(table).values({c: bindparam(c) for c in cols}).compile(dialect=dialect)
    names = list(compiled.positiontup) if compiled.positiontup else list(cols)
    convert = [(n, table.c[n].type.dialect_impl(dialect).bind_processor(dialect))
               for n in names]
    return compiled.string, bool(compiled.positiontup), convert


def _insert_keyed(
    conn: Connection, table: Table, rows: list[dict[str, Any]], key: tuple[str, ...]
) -> list[int]:
    """Insert many new rows (one executemany) and return their ids in the rows' order, read
    back through ``key``: columns whose values are unique among ``table``'s rows for these
    (the first one is used to select them)."""
    if not rows:
        return []
    _executemany(conn, table, rows)
    first = table.c[key[0]]
    found: dict[tuple[Any, ...], int] = {}
    for chunk in _chunks(list(dict.fromkeys(r[key[0]] for r in rows))):
        query = select(table.c.id, *(table.c[k] for k in key)).where(first.in_(chunk))
        for row_id, *values in conn.execute(query):
            found[tuple(values)] = int(row_id)
    return [found[tuple(r[k] for k in key)] for r in rows]


def _insert_tuples(
    conn: Connection, table: Table, columns: tuple[str, ...], rows: Sequence[Sequence[Any]]
) -> None:
    """INSERT ``rows``, tuples of values in ``columns``' order, in one DBAPI executemany.

    ``_executemany`` for rows that come as tuples (``sitrep.store.prepared``): they go to the
    driver as they are, only the values of a column with a bind processor (a date on SQLite)
    converted, so a row costs no dict and no look-up by name.

    Example:
        >>> from sitrep.store import Store
        >>> store = Store.open("sqlite://")
        >>> with store.engine.begin() as conn:
        ...     _insert_tuples(conn, articles, ("key", "text", "extraction"), [("k", "t", "{}")])
        ...     conn.execute(select(articles.c.key, articles.c.text)).one()
        ('k', 't')
    """
    if not rows:
        return
    sql, convert = _positional_insert(table, columns, conn.dialect)
    params: Any = rows
    if convert:
        params = []
        for row in rows:
            values = list(row)
            for i, process in convert:
                values[i] = process(values[i])
            params.append(tuple(values))
    conn.exec_driver_sql(sql, params)


@functools.lru_cache(maxsize=64)
def _positional_insert(
    table: Table, columns: tuple[str, ...], dialect: Dialect
) -> tuple[str, list[tuple[int, Any]]]:
    """``_insert_tuples``' statement with positional parameters (``?`` for sqlite3, ``%s``
    for psycopg), and (index, bind processor) of the columns that have one."""
    quote = dialect.identifier_preparer.quote
    mark = "?" if dialect.paramstyle in ("qmark", "numeric") else "%s"
    sql = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) "
           f"VALUES ({', '.join([mark] * len(columns))})")
    convert = [(i, p) for i, c in enumerate(columns)
               if (p := table.c[c].type.dialect_impl(dialect).bind_processor(dialect))]
    return sql, convert


def _insert_tuples_keyed(
    conn: Connection, table: Table, columns: tuple[str, ...], rows: Sequence[Sequence[Any]],
    key: tuple[int, ...],
) -> list[int]:
    """``_insert_tuples``, returning the new rows' ids in the rows' order, read back through
    the columns at the positions ``key`` (unique among ``table``'s rows for these; the first
    one selects them), as ``_insert_keyed`` does."""
    if not rows:
        return []
    _insert_tuples(conn, table, columns, rows)
    cols = [table.c[columns[k]] for k in key]
    found: dict[tuple[Any, ...], int] = {}
    for chunk in _chunks(list(dict.fromkeys(r[key[0]] for r in rows))):
        for row_id, *values in conn.execute(select(table.c.id, *cols).where(cols[0].in_(chunk))):
            found[tuple(values)] = int(row_id)
    return [found[tuple([r[k] for k in key])] for r in rows]


def _next_ids(conn: Connection, table: Table, n: int) -> list[int] | None:
    """The ids SQLite would give ``n`` rows inserted into ``table`` now, or None where the
    database gives them otherwise (PostgreSQL: a sequence that other transactions share).

    Only inside a transaction that holds SQLite's write lock (``Store._writing``: BEGIN
    IMMEDIATE): no other writer can insert between this read and the insert. The tables'
    ids are plain INTEGER PRIMARY KEYs (no AUTOINCREMENT), to which SQLite gives the largest
    id plus one; so rows inserted with these ids are the rows it would have made, and no
    SELECT is needed to read the ids back (``_insert_tuples_keyed``).
    """
    if conn.dialect.name != "sqlite":
        return None
    top = conn.exec_driver_sql(
        f"SELECT max(id) FROM {conn.dialect.identifier_preparer.quote(table.name)}"
    ).scalar()
    start = int(top or 0) + 1
    return list(range(start, start + n))


def _insert_numbered(
    conn: Connection, table: Table, columns: tuple[str, ...], rows: Sequence[Sequence[Any]],
    key: tuple[int, ...],
) -> list[int]:
    """``_insert_tuples_keyed`` inside a write transaction (``Store._writing``): on SQLite
    the rows are inserted with the ids it would give them (``_next_ids``), so none is read
    back; elsewhere as ``_insert_tuples_keyed``.

    Example:
        >>> from sitrep.store import Store
        >>> store = Store.open("sqlite://")
        >>> with store._writing() as conn:
        ...     _insert_numbered(conn, articles, ("key", "text", "extraction"),
        ...                      [("k1", "t", "{}"), ("k2", "u", "{}")], (0,))
        [1, 2]
    """
    if not rows:
        return []
    ids = _next_ids(conn, table, len(rows))
    if ids is None:
        return _insert_tuples_keyed(conn, table, columns, rows, key)
    _insert_tuples(conn, table, ("id", *columns),
                   [(i, *r) for i, r in zip(ids, rows, strict=True)])
    return ids


def _insert_numbered_dicts(
    conn: Connection, table: Table, rows: list[dict[str, Any]], key: tuple[str, ...]
) -> list[int]:
    """``_insert_keyed`` inside a write transaction, numbered as ``_insert_numbered``."""
    if not rows:
        return []
    ids = _next_ids(conn, table, len(rows))
    if ids is None:
        return _insert_keyed(conn, table, rows, key)
    _executemany(conn, table, [{"id": i, **r} for i, r in zip(ids, rows, strict=True)])
    return ids


def _insert_claims_bulk(
    conn: Connection, items: Sequence[tuple[int, str, Mapping[str, Any], Any]]
) -> int:
    """``_insert_extraction`` for many (article id, text, record, ext id) at once.

    Records with statements or events go one by one; claims-only records (table rows) share one
    multi-row insert of claims and one of evidence. Returns the number of claims written.
    """
    rows: list[dict[str, Any]] = []
    lists: list[tuple[list[Any], str]] = []
    written = 0
    for article_id, body, record, ext_id in items:
        where = f"article {ext_id!r}"
        if _list(record, "statements", where) or _list(record, "events", where):
            _insert_extraction(conn, article_id, body, record, ext_id)
            written += len(_list(record, "claims", where))
            continue
        claim_list = _list(record, "claims", where)
        for i, c in enumerate(claim_list):
            rows.append(_claim_row(article_id, body, c, {}, f"{where}: claims[{i}]"))
            lists.append((_list(c, "evidence", f"{where}: claims[{i}]"), f"{where}: claims[{i}]"))
    claim_ids = _insert_keyed(conn, claims, _aligned(rows), ("article_id", "cid"))
    spans: list[dict[str, Any]] = []
    for (spans_of, path), claim_id in zip(lists, claim_ids, strict=True):
        spans.extend(_evidence_rows(claim_id, spans_of, path))
    if spans:
        conn.execute(insert(evidence), spans)
    return written + len(claim_ids)


def _delete_extraction(conn: Connection, article_id: int) -> None:
    event_ids = select(events.c.id).where(events.c.article_id == article_id)
    claim_ids = select(claims.c.id).where(claims.c.article_id == article_id)
    conn.execute(delete(event_claims).where(event_claims.c.event_id.in_(event_ids)))
    conn.execute(delete(events).where(events.c.article_id == article_id))
    conn.execute(delete(evidence).where(evidence.c.claim_id.in_(claim_ids)))
    conn.execute(delete(claims).where(claims.c.article_id == article_id))
    conn.execute(delete(statements).where(statements.c.article_id == article_id))
