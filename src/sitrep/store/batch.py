"""Saving a batch of extracted articles, their extractions and copy groups in one transaction.

This is an ingest's serial work per batch, so it is built to cost little per article: one
transaction (one lock, one commit) for the whole batch; one plain executemany per table instead
of one statement per row (the new ids read back by each table's unique key, as an INSERT ...
RETURNING of many rows runs row by row on SQLite); the copy groups of the batch's new articles
chosen in input order and written at once; the run's counts updated in the same transaction
(``Store.run_progress`` would be one more). The result is the database that
``Store.add_article`` called once per article, in the same order, leaves: the same rows, ids
and copy groups.

A batch that the database refuses (a constraint a record breaks) is rolled back whole and
saved again one article at a time (``Store.add_article``), so the error names its article and
the articles before it are stored, as they would have been.

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

from sqlalchemy import Connection, bindparam, insert, select, update
from sqlalchemy.exc import DataError, IntegrityError

from sitrep.model import Article

from .base import _chunks
from .db import Store
from .groups import CopyChooser, Placed, _lock_articles
from .inserts import _insert_keyed
from .rows import (
    _aligned,
    _claim_row,
    _date,
    _event_row,
    _evidence_rows,
    _extraction_json,
    _list,
    _statement_row,
)
from .runs import _now, _run_counts
from .schema import articles, copy_groups, event_claims, events, evidence, runs, statements
from .schema import claims as claims_table

#: (article, contract record, MinHash bytes) of one extracted article.
NewArticle = tuple[Article, Mapping[str, Any], bytes]


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
    # Refused by the database: again one article at a time, so the error names the article.
    out = [store.add_article(art, record, run_id, sig, _OneByOne(copies))
           for art, record, sig in items]
    if counts is not None and run_id is not None:
        store.run_progress(run_id, counts(out))
    return out


class _OneByOne:
    """A ``BatchChooser`` as ``Store.add_article`` calls it: one article per transaction."""

    def __init__(self, copies: BatchChooser) -> None:
        self.copies = copies

    @property
    def seen(self) -> int:
        return self.copies.seen

    def choose(self, article_id: int, minhash: bytes | None, news: list[Any]) -> int | None:
        return self.copies.choose(article_id, minhash, news)


def _add(
    conn: Connection, items: Sequence[NewArticle], run_id: int | None, copies: BatchChooser
) -> list[Placed | None]:
    known: set[str] = set()
    for chunk in _chunks(list(dict.fromkeys(art.key for art, _r, _s in items))):
        known.update(conn.execute(select(articles.c.key).where(articles.c.key.in_(chunk)))
                     .scalars())
    fresh: list[int] = []  # indexes of the items to store
    for i, (art, _record, _sig) in enumerate(items):
        if art.key not in known:
            known.add(art.key)  # a repeat later in the batch is known
            fresh.append(i)
    rows = [_article_row(items[i], run_id) for i in fresh]
    ids = _insert_keyed(conn, articles, rows, ("key",))
    _insert_extractions(conn, [(aid, items[i][0], items[i][1]) for i, aid in zip(fresh, ids,
                                                                                 strict=True)])
    placed = _place_many(conn, [(aid, items[i][2]) for i, aid in zip(fresh, ids, strict=True)],
                         copies)
    out: list[Placed | None] = [None] * len(items)
    for i, p in zip(fresh, placed, strict=True):
        out[i] = p
    return out


def _article_row(item: NewArticle, run_id: int | None) -> dict[str, Any]:
    art, record, sig = item
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
        "extraction": _extraction_json(record, art.id),
        "minhash": sig,
    }


def _insert_extractions(
    conn: Connection, items: Sequence[tuple[int, Article, Mapping[str, Any]]]
) -> None:
    """``db._insert_extraction`` for many articles: one executemany per table."""
    stmt_rows: list[dict[str, Any]] = []
    for article_id, art, record in items:
        where = f"article {art.id!r}"
        stmt_rows.extend(
            _statement_row(article_id, art.text, s, f"{where}: statements[{i}]")
            for i, s in enumerate(_list(record, "statements", where))
        )
    stmt_ids = _insert_keyed(conn, statements, stmt_rows, ("article_id", "sid"))
    by_sid: dict[int, dict[str, int]] = {}
    for r, sid in zip(stmt_rows, stmt_ids, strict=True):
        by_sid.setdefault(r["article_id"], {})[r["sid"]] = sid

    claim_rows: list[dict[str, Any]] = []
    spans_of: list[tuple[list[Any], str]] = []
    for article_id, art, record in items:
        where = f"article {art.id!r}"
        for i, c in enumerate(_list(record, "claims", where)):
            path = f"{where}: claims[{i}]"
            claim_rows.append(
                _claim_row(article_id, art.text, c, by_sid.get(article_id, {}), path)
            )
            spans_of.append((_list(c, "evidence", path), path))
    claim_ids = _insert_keyed(conn, claims_table, _aligned(claim_rows), ("article_id", "cid"))
    spans: list[dict[str, Any]] = []
    by_cid: dict[tuple[int, str], int] = {}
    for r, (found, path), claim_id in zip(claim_rows, spans_of, claim_ids, strict=True):
        spans.extend(_evidence_rows(claim_id, found, path))
        by_cid[(r["article_id"], r["cid"])] = claim_id
    if spans:
        conn.execute(insert(evidence), spans)

    event_rows: list[dict[str, Any]] = []
    event_lists: list[tuple[int, Any]] = []
    for article_id, art, record in items:
        where = f"article {art.id!r}"
        for i, e in enumerate(_list(record, "events", where)):
            event_rows.append(_event_row(article_id, e, f"{where}: events[{i}]"))
            event_lists.append((article_id, e))
    event_ids = _insert_keyed(conn, events, event_rows, ("article_id", "eid"))
    links: dict[tuple[int, int], None] = {}
    for (article_id, e), event_id in zip(event_lists, event_ids, strict=True):
        for cid in e.get("claims") or []:
            if isinstance(cid, str) and (article_id, cid) in by_cid:
                links[(event_id, by_cid[(article_id, cid)])] = None
    if links:
        conn.execute(insert(event_claims), [{"event_id": e, "claim_id": c} for e, c in links])


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
    new_ids = _insert_keyed(
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
