"""Saving a batch of extracted articles, their extractions and copy groups in one transaction.

This is an ingest's serial work per batch, so it is built to cost little per article: the
rows come ready-made, checked and serialised, from the worker that extracted the article
(``sitrep.store.prepared``; built here when they do not); one transaction (one lock, one
commit) for the whole batch; one plain executemany per table (``inserts._executemany``) instead
of one statement per row (the new ids read back by each table's unique key, as an INSERT ...
RETURNING of many rows runs row by row on SQLite); the copy groups of the batch's new articles
chosen in input order and written at once; the run's counts updated in the same transaction
(``Store.run_progress`` would be one more). The result is the database that
``Store.add_article`` called once per article, in the same order, leaves: the same rows, ids
and copy groups.

A batch that the database refuses (a constraint a record breaks) is rolled back whole and
saved again one article per transaction (as ``Store.add_article`` saves), so the error names
its article and the articles before it are stored, as they would have been.

Example:
    >>> from sitrep.analyse.dedup import signature, signature_bytes
    >>> from sitrep.store import Store
    >>> class Alone:  # a chooser that never finds a copy
    ...     seen = 0
    ...     def choose(self, article_id, minhash, news):
    ...         return None
    ...     def keep(self, article_id, label):
    ...         pass
    ...     def relabel(self, labels):
    ...         pass
    >>> store = Store.open("sqlite://")
    >>> arts = [Article(id=i, text=f"{i} killed.") for i in ("a", "b", "a")]
    >>> items = [(a, {}, signature_bytes(signature(a.text))) for a in arts]
    >>> [p and p.copy_group for p in add_articles(store, items, None, Alone())]
    [1, 2, None]
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

from sqlalchemy import Connection, bindparam, select, update
from sqlalchemy.exc import DataError, IntegrityError

from sitrep.errors import Errors
from sitrep.model import Article

from .base import _chunks
from .db import Store
from .groups import CopyChooser, Placed, _lock_articles
from .inserts import _insert_numbered, _insert_numbered_dicts, _insert_tuples
from .prepared import (
    CLAIM_COLUMNS,
    EVENT_COLUMNS,
    EVIDENCE_COLUMNS,
    STATEMENT_COLUMNS,
    Prepared,
    prepare,
)
from .rows import InvalidRecord, _date
from .runs import _now, _run_counts
from .schema import articles, copy_groups, event_claims, events, evidence, runs, statements
from .schema import claims as claims_table

#: (article, contract record, MinHash bytes[, its rows]) of one extracted article: the rows
#: as its worker built them (``sitrep.store.prepared``), or None or left out to build them here
#: from the record (which may be None where the rows are given: a worker does not ship both).
NewArticle = tuple[Article, Mapping[str, Any], bytes] | tuple[
    Article, Mapping[str, Any] | None, bytes, Prepared | None]


class BatchChooser(CopyChooser, Protocol):
    """A ``CopyChooser`` that also takes in the batch's own articles as they are placed.

    ``keep`` is called after each ``choose`` with the article's group label: an existing
    group's id, or ``-article_id`` for a group the batch starts (its id is not known until
    the batch's groups are written), so a later article of the batch can join it; ``relabel``
    then maps those labels to the new groups' ids.
    """

    def keep(self, article_id: int, label: int) -> None:
        """Keep the article just chosen for, under ``label``, for the batch's later ones."""
        ...

    def relabel(self, labels: Mapping[int, int]) -> None:
        """Replace the batch's temporary labels (``-article_id``) by group ids."""
        ...


def add_articles(
    store: Store,
    items: Sequence[NewArticle],
    run_id: int | None,
    copies: BatchChooser,
    counts: Callable[[list[Placed | None]], Mapping[str, int]] | None = None,
) -> list[Placed | None]:
    """Store new articles with their extractions and copy groups, in one transaction.

    One result per item, in order: where the article was placed, or None when its key was
    already stored (by an earlier run, another ingest, or an earlier item of the batch).
    ``counts``: gives the run's counts after this batch from the results, recorded with it
    (as ``Store.run_progress`` would, one transaction less).
    Raises ``InvalidRecord`` as ``Store.add_article`` does.
    """
    try:
        with store._writing() as conn:
            _lock_articles(conn)
            placed = _add(conn, items, run_id, copies)
            if counts is not None and run_id is not None:
                values: dict[str, Any] = {"heartbeat": _now(), "interrupted": None}
                values.update(_run_counts(counts(placed)))
                conn.execute(update(runs).where(runs.c.id == run_id).values(**values))
            return placed
    except (IntegrityError, DataError):
        pass
    # Refused by the database: again one article per transaction (as Store.add_article saves
    # them), so the error names the article and the ones before it are stored. From the
    # rows: a worker ships no record with them.
    out: list[Placed | None] = []
    for item in items:
        try:
            with store._writing() as conn:
                _lock_articles(conn)
                out.extend(_add(conn, [item], run_id, copies))
        except (IntegrityError, DataError) as exc:
            raise InvalidRecord(Errors.E308.format(article=item[0].id, cause=exc.orig)) from exc
    if counts is not None and run_id is not None:
        store.run_progress(run_id, counts(out))
    return out


def _add(
    conn: Connection, items: Sequence[NewArticle], run_id: int | None, copies: BatchChooser
) -> list[Placed | None]:
    known: set[str] = set()
    for chunk in _chunks(list(dict.fromkeys(item[0].key for item in items))):
        known.update(conn.execute(select(articles.c.key).where(articles.c.key.in_(chunk)))
                     .scalars())
    fresh: list[int] = []  # indexes of the items to store
    for i, item in enumerate(items):
        art = item[0]
        if art.key not in known:
            known.add(art.key)  # a repeat later in the batch is known
            fresh.append(i)
    prepared = [_prepared(items[i]) for i in fresh]
    rows = [_article_row(items[i], run_id, p) for i, p in zip(fresh, prepared, strict=True)]
    ids = _insert_numbered_dicts(conn, articles, rows, ("key",))
    _insert_extractions(conn, list(zip(ids, prepared, strict=True)))
    placed = _place_many(conn, [(aid, items[i][2]) for i, aid in zip(fresh, ids, strict=True)],
                         copies)
    out: list[Placed | None] = [None] * len(items)
    for i, p in zip(fresh, placed, strict=True):
        out[i] = p
    return out


def _article_row(item: NewArticle, run_id: int | None, rows: Prepared) -> dict[str, Any]:
    art, _record, sig, *_ = item
    return {
        "key": art.key,
        "ext_id": art.id,
        "title": art.title,
        "url": art.url,
        "outlet": art.outlet,
        "wire": art.wire,
        "published": _date(art.published, "published"),
        "text": art.text,
        "first_run": run_id,
        "extracted_run": run_id,
        "extraction": rows.extraction,
        "minhash": sig,
    }


def _prepared(item: NewArticle) -> Prepared:
    """The item's rows: as its worker built them, else built here (raising ``InvalidRecord``
    for a bad record, naming it)."""
    art, record, _sig, *rest = item
    rows = rest[0] if rest else None
    if rows is not None:
        return rows
    return prepare(record if record is not None else {}, art.text, art.id)


def _insert_extractions(conn: Connection, items: Sequence[tuple[int, Prepared]]) -> None:
    """``db._insert_extraction`` for many articles' rows: one executemany per table, the
    ids the database gives filled in (statements', claims' and events' ids read back), the
    rows' tuples extended in front with those ids (``_insert_tuples``)."""
    stmt_rows = [(aid, *r) for aid, rows in items for r in rows.statements]
    stmt_ids = _insert_numbered(conn, statements, _STATEMENT_COLUMNS, stmt_rows, (0, 1))
    by_sid: dict[int, dict[str, int]] = {}
    for r, sid in zip(stmt_rows, stmt_ids, strict=True):
        by_sid.setdefault(r[0], {})[r[1]] = sid

    claim_rows: list[tuple[Any, ...]] = []
    for aid, rows in items:
        sids = by_sid.get(aid, {})
        for r in rows.claims:
            sid = r[_CLAIM_SID]
            claim_rows.append((aid, None if sid is None else sids.get(sid), *r))
    claim_ids = _insert_numbered(conn, claims_table, _CLAIM_COLUMNS, claim_rows, (0, 2))
    spans: list[tuple[Any, ...]] = []
    by_cid: dict[tuple[int, str], int] = {}
    n = 0
    for aid, rows in items:
        for r, found in zip(rows.claims, rows.evidence, strict=True):
            claim_id = claim_ids[n]
            n += 1
            spans.extend((claim_id, *span) for span in found)
            by_cid[(aid, r[0])] = claim_id
    _insert_tuples(conn, evidence, _EVIDENCE_COLUMNS, spans)

    event_rows = [(aid, *r) for aid, rows in items for r in rows.events]
    event_ids = iter(_insert_numbered(conn, events, _EVENT_COLUMNS, event_rows, (0, 1)))
    links: dict[tuple[int, int], None] = {}
    for aid, rows in items:
        ids = [next(event_ids) for _ in rows.events]
        for i, cid in rows.links:
            links[(ids[i], by_cid[(aid, cid)])] = None
    _insert_tuples(conn, event_claims, ("event_id", "claim_id"), list(links))


# The columns of the rows inserted: a prepared row's, after the ids the database gave.
_STATEMENT_COLUMNS = ("article_id", *STATEMENT_COLUMNS)
_CLAIM_COLUMNS = ("article_id", "statement_id", *CLAIM_COLUMNS)
_CLAIM_SID = CLAIM_COLUMNS.index("statement_sid")
_EVIDENCE_COLUMNS = ("claim_id", *EVIDENCE_COLUMNS)
_EVENT_COLUMNS = ("article_id", *EVENT_COLUMNS)
assert STATEMENT_COLUMNS[0] == "sid" and CLAIM_COLUMNS[0] == "cid" and EVENT_COLUMNS[0] == "eid"


def _place_many(
    conn: Connection, items: Sequence[tuple[int, bytes]], copies: BatchChooser
) -> list[Placed]:
    """``db._place`` for the batch's new articles, in order, inside the article lock."""
    if not items:
        return []
    batch_ids = [aid for aid, _sig in items]
    news = [
        (int(i), int(g), m)
        for i, g, m in conn.execute(
            select(articles.c.id, articles.c.copy_group, articles.c.minhash)
            .where(
                articles.c.id > copies.seen,
                articles.c.copy_group.is_not(None),
            )
            .order_by(articles.c.id)
        )
    ]
    alive: dict[int, bool] = {}  # existing groups chosen, and whether they still exist
    labels: list[int] = []
    joined: list[bool] = []
    for n, (aid, sig) in enumerate(items):
        group = copies.choose(aid, sig, news if n == 0 else [])
        if group is not None and group > 0 and group not in alive:
            alive[group] = conn.execute(
                select(copy_groups.c.id).where(copy_groups.c.id == group)
            ).first() is not None
        if group is None or (group > 0 and not alive[group]):
            labels.append(-aid)  # the group was deleted meanwhile, or none: start one
            joined.append(False)
        else:
            labels.append(group)
            joined.append(True)
        copies.keep(aid, labels[-1])

    sizes: dict[int, int] = {}
    for label in labels:
        sizes[label] = sizes.get(label, 0) + 1
    new = [-label for label in dict.fromkeys(labels) if label < 0]
    new_ids = _insert_numbered_dicts(
        conn,
        copy_groups,
        [{"representative": aid, "size": sizes[-aid]} for aid in new],
        ("representative",),
    )
    real = {-aid: gid for aid, gid in zip(new, new_ids, strict=True)}
    grown = [{"gid": g, "n": n} for g, n in sizes.items() if g > 0]
    if grown:
        conn.execute(
            update(copy_groups)
            .where(copy_groups.c.id == bindparam("gid"))
            .values(size=copy_groups.c.size + bindparam("n")),
            grown,
        )
    groups = [real.get(label, label) for label in labels]
    conn.execute(
        update(articles)
        .where(articles.c.id == bindparam("aid"))
        .values(copy_group=bindparam("group")),
        [{"aid": aid, "group": g} for aid, g in zip(batch_ids, groups, strict=True)],
    )
    copies.relabel(real)
    return [Placed(aid, g, j) for aid, g, j in zip(batch_ids, groups, joined, strict=True)]
