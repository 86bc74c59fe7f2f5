"""Copy groups: an article is placed in the group of the earlier article it copies (or
starts one) inside the transaction that stores it, under the one article lock; groups can
also be made, changed and listed by hand.

Example:
    >>> Placed(article_id=1, copy_group=1, joined=False).joined
    False
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import Connection, func, insert, select, text, update

from sitrep.errors import Errors

from .base import StoreBase, _chunks, _page
from .schema import articles, copy_groups

#: One transaction at a time inserts articles (and places them in copy groups): article ids
#: then grow in commit order, as on SQLite, whose write lock does the same. See ``add_article``.
_PG_ARTICLE_LOCK = 0x5174_2E72


#: (article id, copy group id, MinHash bytes) of a grouped article; see ``CopyChooser``.
GroupedArticle = tuple[int, int, bytes | None]


class CopyChooser(Protocol):
    """Chooses an article's copy group inside the transaction that stores it.

    ``Store.add_article`` takes the article lock (SQLite: the write lock; PostgreSQL: an
    advisory lock), so placements happen one at a time across processes, and hands ``choose``
    the grouped articles stored after ``seen``: whichever of two copies is placed second sees
    the first, however many ingests run at once. ``sitrep.ingest`` implements it with LSH.
    """

    @property
    def seen(self) -> int:
        """The highest article id this chooser has already been shown."""
        ...

    def choose(
        self, article_id: int, minhash: bytes | None, news: list[GroupedArticle]
    ) -> int | None:
        """The copy group the article joins (None: one of its own). ``news``: the grouped
        articles with ids above ``seen``, in id order (the article itself left out)."""
        ...


@dataclass(frozen=True)
class Placed:
    """Where ``Store.add_article`` put an article: its id, its copy group, and whether it
    joined an existing group (it is a copy) rather than starting one."""

    article_id: int
    copy_group: int
    joined: bool


def _lock_articles(conn: Connection) -> None:
    """Make this the one transaction that inserts or groups articles (on SQLite the write
    lock, taken by ``Store._writing``, already is)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_ARTICLE_LOCK})


def _place(conn: Connection, article_id: int, minhash: bytes | None, copies: CopyChooser) -> Placed:
    """Inside the article lock: show ``copies`` the news, put the article in its choice."""
    news = [
        (int(i), int(g), m)
        for i, g, m in conn.execute(
            select(articles.c.id, articles.c.copy_group, articles.c.minhash)
            .where(
                articles.c.id > copies.seen,
                articles.c.id != article_id,
                articles.c.copy_group.is_not(None),
            )
            .order_by(articles.c.id)
        )
    ]
    group = copies.choose(article_id, minhash, news)
    if (
        group is not None
        and conn.execute(select(copy_groups.c.id).where(copy_groups.c.id == group)).first() is None
    ):
        group = None  # the group was deleted meanwhile: start one
    if group is None:
        group = int(
            conn.execute(
                insert(copy_groups)
                .values(representative=article_id, size=1)
                .returning(copy_groups.c.id)
            ).one()[0]
        )
        conn.execute(update(articles).where(articles.c.id == article_id).values(copy_group=group))
        return Placed(article_id, group, False)
    conn.execute(update(articles).where(articles.c.id == article_id).values(copy_group=group))
    conn.execute(
        update(copy_groups).where(copy_groups.c.id == group).values(size=copy_groups.c.size + 1)
    )
    return Placed(article_id, group, True)


def _require_articles(conn: Connection, ids: list[int]) -> None:
    found: set[int] = set()
    for chunk in _chunks(ids):
        found.update(conn.execute(select(articles.c.id).where(articles.c.id.in_(chunk))).scalars())
    missing = [i for i in ids if i not in found]
    if missing:
        raise LookupError(Errors.E309.format(value=missing[0]))


def _require_group(conn: Connection, group_id: int) -> None:
    if conn.execute(select(copy_groups.c.id).where(copy_groups.c.id == group_id)).first() is None:
        raise LookupError(Errors.E326.format(value=group_id))


def _move_to_group(conn: Connection, ids: list[int], group_id: int | None) -> None:
    touched: set[int] = set()
    for chunk in _chunks(ids):
        old = conn.execute(
            select(articles.c.copy_group)
            .where(articles.c.id.in_(chunk), articles.c.copy_group.is_not(None))
            .distinct()
        ).scalars()
        touched.update(int(g) for g in old)
        conn.execute(update(articles).where(articles.c.id.in_(chunk)).values(copy_group=group_id))
    if group_id is not None:
        touched.add(group_id)
    _recount(conn, sorted(touched))


def _recount(conn: Connection, group_ids: list[int]) -> None:
    for group_id in group_ids:
        size = (
            select(func.count())
            .select_from(articles)
            .where(articles.c.copy_group == group_id)
            .scalar_subquery()
        )
        conn.execute(update(copy_groups).where(copy_groups.c.id == group_id).values(size=size))


class GroupMethods(StoreBase):
    """``Store``'s methods for copy groups."""

    def signatures(self) -> Iterator[tuple[int, int | None, bytes | None]]:
        """(article id, copy group, MinHash bytes) of every stored article, in id order.

        Example:
            >>> from sitrep.store import Store
            >>> list(Store.open("sqlite://").signatures())
            []
        """
        query = select(articles.c.id, articles.c.copy_group, articles.c.minhash).order_by(
            articles.c.id
        )
        with self.engine.connect() as conn:
            for aid, group, sig in conn.execute(query):
                yield int(aid), group, sig

    def create_copy_group(self, representative: int, members: Iterable[int] = ()) -> int:
        """Make a copy group of ``representative`` and ``members``; return the group id.

        The articles leave any group they were in (whose size is recounted).

        Example:
            >>> from sitrep.store import Store
            >>> from sitrep.model import Article
            >>> store = Store.open("sqlite://")
            >>> for i in (1, 2):
            ...     _ = store.save_article(Article(id=str(i), text=f"Story {i}."), {})
            >>> gid = store.create_copy_group(1, [2])
            >>> store.copy_groups()[0]["size"]
            2
        """
        ids = list(dict.fromkeys([representative, *members]))
        with self._writing() as conn:
            _require_articles(conn, ids)
            row = conn.execute(
                insert(copy_groups)
                .values(representative=representative, size=0)
                .returning(copy_groups.c.id)
            ).one()
            group_id = int(row[0])
            _move_to_group(conn, ids, group_id)
        return group_id

    def set_copy_group(self, article_id: int, group_id: int | None) -> None:
        """Put an article in a copy group (None: in none); both groups' sizes are recounted.

        Example:
            >>> from sitrep.store import Store
            >>> from sitrep.model import Article
            >>> store = Store.open("sqlite://")
            >>> for i in (1, 2):
            ...     _ = store.save_article(Article(id=str(i), text=f"Story {i}."), {})
            >>> gid = store.create_copy_group(1)
            >>> store.set_copy_group(2, gid)
            >>> store.article(2)["copy_group"] == gid
            True
        """
        self.set_copy_groups({article_id: group_id})

    def set_copy_groups(self, assignment: Mapping[int, int | None]) -> None:
        """``set_copy_group`` for many articles in one transaction.

        Example:
            >>> from sitrep.store import Store
            >>> Store.open("sqlite://").set_copy_groups({})
        """
        by_group: dict[int | None, list[int]] = {}
        for article_id, group_id in assignment.items():
            by_group.setdefault(group_id, []).append(article_id)
        with self._writing() as conn:
            _require_articles(conn, list(assignment))
            for group_id, ids in by_group.items():
                if group_id is not None:
                    _require_group(conn, group_id)
                _move_to_group(conn, ids, group_id)

    def update_copy_group(self, group_id: int, *, representative: int | None = None) -> None:
        """Change a group's representative (which must be a member) and recount its size.

        Example:
            >>> from sitrep.store import Store
            >>> from sitrep.model import Article
            >>> store = Store.open("sqlite://")
            >>> for i in (1, 2):
            ...     _ = store.save_article(Article(id=str(i), text=f"Story {i}."), {})
            >>> gid = store.create_copy_group(1, [2])
            >>> store.update_copy_group(gid, representative=2)
            >>> store.copy_groups()[0]["representative"]
            2
        """
        with self._writing() as conn:
            _require_group(conn, group_id)
            if representative is not None:
                member = conn.execute(
                    select(articles.c.copy_group).where(articles.c.id == representative)
                ).first()
                if member is None or member[0] != group_id:
                    raise ValueError(Errors.E310.format(article=representative, group=group_id))
                conn.execute(
                    update(copy_groups)
                    .where(copy_groups.c.id == group_id)
                    .values(representative=representative)
                )
            _recount(conn, [group_id])

    def copy_groups(
        self, *, min_size: int = 1, limit: int | None = 100, offset: int = 0
    ) -> list[dict[str, Any]]:
        """Copy groups (id, representative, size), largest first.

        Example:
            >>> from sitrep.store import Store
            >>> Store.open("sqlite://").copy_groups()
            []
        """
        query = (
            select(copy_groups)
            .where(copy_groups.c.size >= min_size)
            .order_by(copy_groups.c.size.desc(), copy_groups.c.id)
        )
        return self._fetch(_page(query, limit, offset))

    def copy_group_members(self, group_id: int) -> list[int]:
        """The article ids of a copy group, in id order.

        Example:
            >>> from sitrep.store import Store
            >>> Store.open("sqlite://").copy_group_members(1)
            []
        """
        with self.engine.connect() as conn:
            query = (
                select(articles.c.id)
                .where(articles.c.copy_group == group_id)
                .order_by(articles.c.id)
            )
            return [int(i) for i in conn.execute(query).scalars()]
