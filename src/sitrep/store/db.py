"""sitrep's database: SQLite in one file (the default) or PostgreSQL (a URL).

``Store.open`` connects and brings the schema to the newest alembic revision; ``save_article``
stores one article with its whole extraction (the contract record) in one transaction; the
query methods return plain, JSON-ready dicts (dates as ISO strings).

``Store`` is the face; each concern lives in a module of its own, and every name of it
can still be imported from here: ``engine`` (URLs, engines, migrations), ``runs`` (runs
and rejects), ``rows`` (record to rows, value checks), ``inserts`` (writing rows),
``saving`` (articles in), ``groups`` (copy groups), ``conditions`` (filters, sorts) and
``queries`` (the read queries); ``base`` holds what they share.

Example:
    >>> import tempfile, os
    >>> from datetime import date
    >>> from sitrep.model import Article
    >>> path = os.path.join(tempfile.mkdtemp(), "sitrep.db")
    >>> store = Store.open(path)
    >>> run = store.start_run("sitrep ingest x.jsonl", "0.1.0")
    >>> art = Article(id="a1", text="Shelling killed two.", published=date(2024, 3, 2))
    >>> store.save_article(art, {"schema": 1, "id": "a1", "claims": []}, run)
    True
    >>> store.save_article(art, {"schema": 1, "id": "a1", "claims": []}, run)
    False
    >>> store.close()
"""

from __future__ import annotations

from sqlalchemy.exc import ArgumentError, InterfaceError, NoSuchModuleError, OperationalError

from sitrep.errors import Errors

from .catalog import ARTICLE_SORTS, CLAIM_SORTS, EVENT_SORTS, STATEMENT_SORTS
from .engine import (
    DEFAULT_DB,
    ENV_VAR,
    MIGRATIONS,
    NoSuchDatabase,
    StoreError,
    _require_file,
    alembic_config,
    create_store_engine,
    current_revision,
    display_url,
    downgrade,
    head_revision,
    resolve_url,
    upgrade,
)
from .groups import CopyChooser, GroupedArticle, GroupMethods, Placed
from .queries import QueryMethods
from .rows import InvalidRecord
from .runs import RUN_COUNTS, RUN_STALE_AFTER, RunMethods
from .saving import MinHashBytes, SaveMethods

__all__ = [
    "ARTICLE_SORTS",
    "CLAIM_SORTS",
    "DEFAULT_DB",
    "ENV_VAR",
    "EVENT_SORTS",
    "MIGRATIONS",
    "RUN_COUNTS",
    "RUN_STALE_AFTER",
    "STATEMENT_SORTS",
    "CopyChooser",
    "GroupedArticle",
    "InvalidRecord",
    "MinHashBytes",
    "NoSuchDatabase",
    "Placed",
    "Store",
    "StoreError",
    "alembic_config",
    "create_store_engine",
    "current_revision",
    "display_url",
    "downgrade",
    "head_revision",
    "resolve_url",
    "upgrade",
]


class Store(RunMethods, SaveMethods, GroupMethods, QueryMethods):
    """sitrep's database. Open with ``Store.open(url)``; use one Store per process.

    Example:
        >>> with Store.open("sqlite://") as store:
        ...     store.claims(kind="killed")
        []
    """

    @classmethod
    def open(cls, url: str | None = None, *, migrate: bool = True, create: bool = True) -> Store:
        """Connect to ``url`` (see ``resolve_url``) and migrate it to the newest schema.

        ``create=False`` is for commands that only read: the database must exist and hold
        sitrep's tables (``NoSuchDatabase`` otherwise), so a mistyped name is an error, not a
        new empty file. A URL that is no database URL, or a server that does not answer, is a
        ``StoreError`` saying which (the password left out).

        Example:
            >>> Store.open("sqlite://").dialect
            'sqlite'
            >>> Store.open("/no/such/folder/news.db", create=False)
            Traceback (most recent call last):
            ...
            sitrep.store.engine.NoSuchDatabase: [E301] no such database: /no/such/folder/news.db
        """
        resolved = resolve_url(url)
        shown = display_url(resolved)
        if not create:
            _require_file(resolved, shown)
        try:
            engine = create_store_engine(resolved)
        except (ArgumentError, NoSuchModuleError, ImportError, ValueError) as exc:
            raise StoreError(Errors.E304.format(shown=shown)) from exc
        try:
            if not create and current_revision(engine) is None:
                raise NoSuchDatabase(Errors.E305.format(shown=shown))
            if migrate:
                upgrade(engine)
        except (OperationalError, InterfaceError) as exc:
            engine.dispose()
            reason = str(exc.orig or exc).strip().splitlines()[0]
            raise StoreError(Errors.E306.format(shown=shown, reason=reason)) from exc
        except BaseException:
            engine.dispose()
            raise
        return cls(engine)

    @property
    def dialect(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self.engine.dialect.name

    def close(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
