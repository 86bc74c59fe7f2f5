"""Saving from many processes at once (PostgreSQL): each worker saves its own batch.

When extraction runs on workers and the store takes concurrent writers, a worker saves the
batch it extracted itself, in one transaction, so the ingesting process never touches the
rows (``sitrep.run.writing``). Batches then commit in the order they finish, not in input
order; three rules keep the database what a one-process run leaves:

- **Ids in input order.** The ingesting process reserves the new articles' ids from the
  articles' sequence, batch by batch as it reads them (``reserve_article_ids``, under the
  article lock), and a worker inserts its articles with those ids. An id stays unused where
  its article turned out to be stored meanwhile, as PostgreSQL's sequences leave holes anyway.
- **Copies see what was committed.** The worker's copy grouper is shown the grouped articles
  with ids above its ``seen`` floor that it has not taken in yet (ids no longer grow in commit
  order); the ingesting process tells each batch a floor below which every id was committed
  when the batch was sent (``ReservedBatch.floor``), so the look-up stays a short range.
- **The earliest copy represents its group.** A group's representative is its member with
  the lowest id, that is the first read: an article that joins a group whose representative
  came later in the input becomes its representative (``_represent``). In a one-process run
  the first member has the lowest id already, so the groups and representatives are the same;
  only the groups' own ids (given at commit) may differ. Where copies do not form a chain of
  like texts (A like B, B like C, A not like C), which group an article joins can depend on
  the commit order, as it does for two ingests run at once.

Saving is idempotent as ``add_articles`` is: an article whose key is stored is not stored
again, and a batch that a worker saved before it died (the scheduler runs it again) finds its
articles stored under its own ids and reports them stored, not known. The run's counts are
added to in the same transaction (``add_run_counts``), so a run stopped mid-way keeps them.

Limit: two worker-written ingests into one database at once may miss a copy across them (an
article of one that the other's floor passed before it was committed); one of them, with any
number of ordinary ingests beside it, groups as one run would.

Example:
    >>> from sitrep.store import Store
    >>> reserve_article_ids(Store.open("sqlite://"), 2)
    Traceback (most recent call last):
    ...
    ValueError: [E336] reserved article ids need PostgreSQL, not sqlite
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, bindparam, select, text, update
from sqlalchemy.exc import DataError, IntegrityError

from sitrep.errors import Errors

from .base import _chunks
from .batch import (
    BatchChooser,
    NewArticle,
    _article_row,
    _insert_extractions,
    _place_many,
    _prepared,
)
from .db import Store
from .groups import Placed, _lock_articles
from .inserts import _executemany
from .rows import InvalidRecord
from .runs import RUN_COUNTS, _now
from .schema import articles, copy_groups, runs


def reserve_article_ids(store: Store, n: int) -> list[int]:
    """``n`` new article ids from the articles' sequence, in order, for a worker to insert
    its batch's new articles with (PostgreSQL only: ``ValueError`` elsewhere).

    Taken under the article lock: every id given before by a transaction that inserts
    articles has been committed by then (see ``ReservedBatch.floor``).
    """
    if store.dialect != "postgresql":
        raise ValueError(Errors.E336.format(dialect=store.dialect))
    if n <= 0:
        return []
    with store._writing() as conn:
        _lock_articles(conn)
        ids = conn.execute(
            text("SELECT nextval(pg_get_serial_sequence('articles', 'id')) "
                 "FROM generate_series(1, :n)"),
            {"n": n},
        ).scalars()
        return sorted(int(i) for i in ids)


def add_reserved(
    store: Store,
    items: Sequence[NewArticle],
    ids: Sequence[int],
    run_id: int | None,
    copies: BatchChooser,
) -> list[Placed | None]:
    """``add_articles`` with the ids the ingesting process reserved (``ids[i]`` for
    ``items[i]``, increasing), from any process: the batch, its copy groups (the earliest
    member represents a group) and the additions to the run's counts in one transaction.

    One result per item: where it was placed, or None when its key was already stored by
    another article. Raises ``InvalidRecord`` naming the first article the database refuses
    (nothing of the batch is stored then).
    """
    if len(ids) != len(items):
        raise ValueError(Errors.E337.format(ids=len(ids), items=len(items)))
    try:
        return _save(store, items, ids, run_id, copies)
    except (IntegrityError, DataError):
        pass
    # Refused by the database: again one article per transaction (as add_articles does), so
    # the error names the article and the ones before it are stored.
    out: list[Placed | None] = []
    for item, aid in zip(items, ids, strict=True):
        try:
            out.extend(_save(store, [item], [aid], run_id, copies))
        except (IntegrityError, DataError) as exc:
            raise InvalidRecord(Errors.E308.format(article=item[0].id, cause=exc.orig)) from exc
    return out


def _save(
    store: Store, items: Sequence[NewArticle], ids: Sequence[int], run_id: int | None,
    copies: BatchChooser,
) -> list[Placed | None]:
    with store._writing() as conn:
        _lock_articles(conn)
        placed, counts = _add_reserved(conn, items, ids, run_id, copies)
        if run_id is not None:
            _add_counts(conn, run_id, counts)
        return placed


def _add_reserved(
    conn: Connection, items: Sequence[NewArticle], ids: Sequence[int], run_id: int | None,
    copies: BatchChooser,
) -> tuple[list[Placed | None], dict[str, int]]:
    """The batch's placements, and what this try adds to the run's counts (an earlier try
    of the batch counted the articles it stored)."""
    keys = [item[0].key for item in items]
    stored: dict[str, int] = {}
    for chunk in _chunks(list(dict.fromkeys(keys))):
        stored.update((k, int(i)) for k, i in conn.execute(
            select(articles.c.key, articles.c.id).where(articles.c.key.in_(chunk))))
    out: list[Placed | None] = [None] * len(items)
    mine: list[int] = []  # stored by an earlier try of this very batch (same ids)
    fresh: list[int] = []  # indexes of the items to store
    for i, (key, aid) in enumerate(zip(keys, ids, strict=True)):
        if key in stored:
            if stored[key] == aid:
                mine.append(i)
            continue
        stored[key] = aid  # a repeat later in the batch is known
        fresh.append(i)
    if mine:
        _placed_before(conn, [ids[i] for i in mine], out, mine)
    prepared = [_prepared(items[i]) for i in fresh]
    rows = [{**_article_row(items[i], run_id, p), "id": ids[i]}
            for i, p in zip(fresh, prepared, strict=True)]
    _executemany(conn, articles, rows)
    new_ids = [ids[i] for i in fresh]
    _insert_extractions(conn, list(zip(new_ids, prepared, strict=True)))
    placed = _place_many(conn, [(ids[i], items[i][2]) for i in fresh], copies)
    _represent(conn, [p for p in placed if p.joined])
    for i, p in zip(fresh, placed, strict=True):
        out[i] = p
    counts = {"stored": len(placed), "copies": sum(p.joined for p in placed),
              "known": len(items) - len(placed) - len(mine)}
    return out, counts


def _placed_before(
    conn: Connection, ids: list[int], out: list[Placed | None], where: list[int]
) -> None:
    """Where an earlier try of the batch placed its articles (its worker died after the
    commit): stored, a copy where another member represents the group."""
    found = {
        int(aid): (int(group), int(rep))
        for aid, group, rep in conn.execute(
            select(articles.c.id, articles.c.copy_group, copy_groups.c.representative)
            .join(copy_groups, copy_groups.c.id == articles.c.copy_group)
            .where(articles.c.id.in_(ids))
        )
    }
    for i, aid in zip(where, ids, strict=True):
        group, rep = found[aid]
        out[i] = Placed(aid, group, rep != aid)


def _represent(conn: Connection, joined: Sequence[Placed]) -> None:
    """The earliest member represents its group: an article that joined a group whose
    representative has a higher id (read later, committed first) takes its place."""
    if not joined:
        return
    conn.execute(
        update(copy_groups)
        .where(copy_groups.c.id == bindparam("gid"),
               copy_groups.c.representative > bindparam("aid"))
        .values(representative=bindparam("aid")),
        [{"gid": p.copy_group, "aid": p.article_id} for p in joined],
    )


def add_run_counts(store: Store, run_id: int, counts: Mapping[str, int]) -> None:
    """Add ``counts`` to a run's counts (and beat its heart), from any process: what
    several processes that save parts of one run do instead of ``Store.run_progress``."""
    with store._writing() as conn:
        _add_counts(conn, run_id, counts)


def _add_counts(conn: Connection, run_id: int, counts: Mapping[str, int]) -> None:
    values: dict[str, Any] = {"heartbeat": _now(), "interrupted": None}
    for name, n in counts.items():
        if name not in RUN_COUNTS:
            raise ValueError(Errors.E314.format(value=name, choices=", ".join(RUN_COUNTS)))
        if n:
            values[name] = runs.c[name] + n
    conn.execute(update(runs).where(runs.c.id == run_id).values(**values))
