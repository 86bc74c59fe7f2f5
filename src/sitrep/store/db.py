"""sitrep's database: SQLite in one file (the default) or PostgreSQL (a URL).

``Store.open`` connects and brings the schema to the newest alembic revision; ``save_article``
stores one article with its whole extraction (the contract record) in one transaction; the
query methods return plain, JSON-ready dicts (dates as ISO strings).

Example:
    >>> import tempfile, os
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

import hashlib
import json
import math
import os
import socket
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Table,
    bindparam,
    create_engine,
    delete,
    event,
    func,
    insert,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import RowMapping, make_url
from sqlalchemy.exc import (
    ArgumentError,
    DataError,
    IntegrityError,
    InterfaceError,
    NoSuchModuleError,
    OperationalError,
)
from sqlalchemy.sql import Select

from sitrep.errors import Errors
from sitrep.model import SCOPES, Article

from .schema import (
    articles,
    claims,
    copy_groups,
    event_claims,
    events,
    evidence,
    rejects,
    runs,
    statements,
)

DEFAULT_DB = "sitrep.db"
ENV_VAR = "SITREP_DB"
MIGRATIONS = Path(__file__).with_name("migrations")
RUN_COUNTS = ("read", "stored", "known", "copies", "rejected")
#: A MinHash signature for ``Store.save_table_rows``: bytes, None, or a function giving them.
MinHashBytes = bytes | Callable[[], bytes | None] | None
_CHUNK = 500  # ids or keys per IN (...) list
_PG_MIGRATION_LOCK = 0x5174_2E70  # pg_advisory_xact_lock key: one migrator at a time
_PG_TABLE_IMPORT_LOCK = 0x5174_2E71  # and one import of table rows (Store.save_table_rows)
#: One transaction at a time inserts articles (and places them in copy groups): article ids
#: then grow in commit order, as on SQLite, whose write lock does the same. See ``add_article``.
_PG_ARTICLE_LOCK = 0x5174_2E72
#: A run that saved nothing for this long, on a machine where its process cannot be looked
#: up, counts as interrupted (see ``Store.start_run``). An ingest saves a batch every few
#: seconds to a minute (the first one after the model loads).
RUN_STALE_AFTER = timedelta(minutes=15)
_SQLITE_BEGIN = ("DEFERRED", "IMMEDIATE", "EXCLUSIVE")


class StoreError(Exception):
    """The database cannot be used as it is (e.g. its schema is newer than this sitrep)."""


class NoSuchDatabase(StoreError):
    """A command that only reads was given a database that does not exist (or is not sitrep's)."""


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


class InvalidRecord(ValueError):
    """A record that cannot be stored; nothing of its article was stored.

    Raised for a value of the wrong type (a number that is not a number, a date that is not a
    date) and for a constraint the database enforces (a required field that is null, a claim
    id used twice in one article). The message names the article and the field.
    """


# --------------------------------------------------------------------------- URLs, engines


def resolve_url(arg: str | None = None) -> str:
    """The database URL for a command-line argument, ``$SITREP_DB`` or the default file.

    A URL (anything with ``://``) is kept, with ``postgresql://`` and ``postgres://`` read as
    ``postgresql+psycopg://`` (the driver sitrep installs); a plain path becomes a SQLite file.

    Example:
        >>> resolve_url("data/news.db")
        'sqlite:///data/news.db'
        >>> resolve_url("postgresql://u@db/sitrep")
        'postgresql+psycopg://u@db/sitrep'
    """
    value = arg or os.environ.get(ENV_VAR) or DEFAULT_DB
    if "://" in value:
        scheme, rest = value.split("://", 1)
        if scheme in ("postgresql", "postgres"):
            return f"postgresql+psycopg://{rest}"
        return value
    return f"sqlite:///{os.path.expanduser(value)}"


_SQLITE_TIMEOUT = 30.0  # seconds a connection waits for another's write lock


def _set_wal(cur: Any, timeout: float) -> None:
    """Switch a SQLite file to WAL, waiting for other connections doing the same.

    Switching the journal mode of a new file needs its exclusive lock, and SQLite answers
    "database is locked" at once instead of calling the busy handler: several processes or
    threads opening a fresh file together (measured: 12 of 300 races of three) would fail.
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            cur.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def display_url(url: str) -> str:
    """``url`` as messages show it: a SQLite file as its path, a server URL without password.

    Example:
        >>> display_url("postgresql+psycopg://ana:s3cret@db.example/news")
        'postgresql://ana:***@db.example/news'
    """
    try:
        u = make_url(url)
    except ArgumentError:
        return url
    if u.get_backend_name() == "sqlite":
        return u.database or ":memory:"
    return u.render_as_string(hide_password=True).replace("+psycopg://", "://", 1)


def _require_file(url: str, shown: str) -> None:
    """For read-only commands: a SQLite file must already be there."""
    try:
        u = make_url(url)
    except ArgumentError:
        return  # Store.open says what is wrong with it
    db = u.database if u.get_backend_name() == "sqlite" else None
    if db and db != ":memory:" and not db.startswith("file:") and not Path(db).is_file():
        raise NoSuchDatabase(Errors.E301.format(shown=shown))


def create_store_engine(url: str) -> Engine:
    """An engine for ``url`` set up as sitrep needs it.

    SQLite: WAL journal, foreign keys on, a 30 s busy timeout (several worker processes may
    write to one file) and real ``BEGIN`` statements, so a write transaction can take the write
    lock up front (``BEGIN IMMEDIATE``) and DDL is transactional. The folder of the file is
    created if missing.

    Example:
        >>> create_store_engine("sqlite://").dialect.name
        'sqlite'
    """
    u = make_url(url)
    if u.get_backend_name() != "sqlite":
        return create_engine(u, pool_pre_ping=True)
    db = u.database
    if db and db != ":memory:" and not db.startswith("file:"):
        Path(db).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(u, connect_args={"timeout": _SQLITE_TIMEOUT})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # sitrep emits BEGIN itself (see _begin)
        cur = dbapi_conn.cursor()
        try:
            cur.execute("PRAGMA foreign_keys=ON")
            _set_wal(cur, _SQLITE_TIMEOUT)
            cur.execute("PRAGMA synchronous=NORMAL")
        finally:
            cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        if mode not in _SQLITE_BEGIN:
            raise ValueError(Errors.E302.format(choices=_SQLITE_BEGIN, value=mode))
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def alembic_config() -> Config:
    """The alembic configuration of sitrep's migrations, built in code (no alembic.ini).

    Example:
        >>> alembic_config().get_main_option("script_location").endswith("migrations")
        True
    """
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    """The newest revision this sitrep knows.

    Example:
        >>> head_revision()
        '0004'
    """
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database to ``revision`` (``alembic upgrade``) in one transaction.

    Safe to call from several processes at once: on PostgreSQL an advisory lock, on SQLite
    the write lock, lets one migrate while the others wait and then find nothing to do.

    Example:
        >>> engine = create_store_engine("sqlite://")
        >>> upgrade(engine); current_revision(engine)
        '0004'
    """
    _migrate(engine, command.upgrade, revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Take the database back to ``revision`` (``"base"``: empty) in one transaction.

    Example:
        >>> engine = create_store_engine("sqlite://")
        >>> upgrade(engine); downgrade(engine, "base"); current_revision(engine) is None
        True
    """
    _migrate(engine, command.downgrade, revision)


def _migrate(engine: Engine, step: Any, revision: str) -> None:
    cfg = alembic_config()
    with engine.connect() as conn:
        conn.execution_options(sqlite_begin="IMMEDIATE")
        with conn.begin():
            if conn.dialect.name == "postgresql":
                lock = text("SELECT pg_advisory_xact_lock(:key)")
                conn.execute(lock, {"key": _PG_MIGRATION_LOCK})
            cfg.attributes["connection"] = conn
            try:
                step(cfg, revision)
            except CommandError as exc:
                raise StoreError(Errors.E303.format(revision=revision, cause=exc)) from exc


def current_revision(engine: Engine) -> str | None:
    """The database's schema revision (None for an empty database).

    Example:
        >>> current_revision(create_store_engine("sqlite://")) is None
        True
    """
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


# --------------------------------------------------------------------------- the store


class Store:
    """sitrep's database. Open with ``Store.open(url)``; use one Store per process.

    Example:
        >>> with Store.open("sqlite://") as store:
        ...     store.claims(kind="killed")
        []
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

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
            sitrep.store.db.NoSuchDatabase: [E301] no such database: /no/such/folder/news.db
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

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        """One write transaction (on SQLite, holding the write lock from its start)."""
        with self.engine.connect() as conn:
            conn.execution_options(sqlite_begin="IMMEDIATE")
            with conn.begin():
                yield conn

    # ------------------------------------------------------------------ runs and rejects

    def start_run(self, command: str, extractor_version: str | None = None) -> int:
        """Record the start of a run (one ingest command) and return its id.

        Earlier runs that never finished and whose process is gone are marked interrupted
        first (``interrupted_runs`` says which); their counts stay as their last progress
        left them.

        Example:
            >>> store = Store.open("sqlite://")
            >>> store.start_run("sitrep ingest feed.jsonl", "0.1.0")
            1
        """
        now = _now()
        with self._writing() as conn:
            dead = _interrupted(conn, now)
            if dead:
                conn.execute(update(runs).where(runs.c.id.in_(dead)).values(interrupted=now))
            row = conn.execute(
                insert(runs)
                .values(
                    started=now,
                    heartbeat=now,
                    host=_HOST,
                    pid=os.getpid(),
                    command=command,
                    extractor_version=extractor_version,
                    **dict.fromkeys(RUN_COUNTS, 0),
                )
                .returning(runs.c.id)
            ).one()
        _LIVE_RUNS.add(int(row[0]))
        return int(row[0])

    def run_progress(self, run_id: int, counts: Mapping[str, int]) -> None:
        """Record a run's counts so far and that it is alive (its heartbeat); one UPDATE.

        An ingest calls it after each saved batch, so a run killed mid-way keeps what it
        read and stored. A run wrongly taken for interrupted (see ``start_run``) is
        running again.

        Example:
            >>> store = Store.open("sqlite://")
            >>> run = store.start_run("sitrep ingest feed.jsonl")
            >>> store.run_progress(run, {"read": 32, "stored": 30, "known": 2})
            >>> store.run(run)["stored"], store.run(run)["status"]
            (30, 'running')
        """
        values: dict[str, Any] = {"heartbeat": _now(), "interrupted": None}
        values.update(_run_counts(counts))
        with self._writing() as conn:
            done = conn.execute(update(runs).where(runs.c.id == run_id).values(**values))
            if done.rowcount == 0:
                raise LookupError(Errors.E307.format(value=run_id))

    def interrupted_runs(self) -> list[int]:
        """Ids of the runs that never finished and whose process is gone, oldest first.

        A run is gone when it ran on this machine (same host name, boot and PID namespace)
        and its process no longer exists, or when it ran elsewhere and has saved nothing
        for ``RUN_STALE_AFTER``. A run in progress in another live process is never one.

        Example:
            >>> Store.open("sqlite://").interrupted_runs()
            []
        """
        with self.engine.connect() as conn:
            return _interrupted(conn, _now())

    def finish_run(self, run_id: int, counts: Mapping[str, int] | None = None) -> None:
        """Record the end of a run and its counts (read, stored, known, copies, rejected).

        Example:
            >>> store = Store.open("sqlite://")
            >>> run = store.start_run("sitrep ingest feed.jsonl")
            >>> store.finish_run(run, {"read": 3, "stored": 2, "rejected": 1})
            >>> store.run(run)["stored"]
            2
        """
        now = _now()
        values: dict[str, Any] = {"finished": now, "heartbeat": now, "interrupted": None}
        values.update(_run_counts(counts or {}))
        with self._writing() as conn:
            done = conn.execute(update(runs).where(runs.c.id == run_id).values(**values))
            if done.rowcount == 0:
                raise LookupError(Errors.E307.format(value=run_id))
        _LIVE_RUNS.discard(run_id)

    def run(self, run_id: int) -> dict[str, Any] | None:
        """One run as a dict, or None.

        Its ``status`` is "finished", "running" or "interrupted" (it never finished and its
        process is gone, or it has saved nothing for ``RUN_STALE_AFTER``); the counts are
        those of its last progress.

        Example:
            >>> store = Store.open("sqlite://")
            >>> store.run(store.start_run("x"))["command"]
            'x'
        """
        with self.engine.connect() as conn:
            row = conn.execute(select(runs).where(runs.c.id == run_id)).mappings().first()
        return None if row is None else _run_out(row, _now())

    def runs(self, *, limit: int | None = 100, offset: int = 0) -> list[dict[str, Any]]:
        """Runs, newest first.

        Example:
            >>> store = Store.open("sqlite://")
            >>> _ = store.start_run("a"); _ = store.start_run("b")
            >>> [r["command"] for r in store.runs()]
            ['b', 'a']
        """
        query = select(runs).order_by(runs.c.id.desc())
        now = _now()
        with self.engine.connect() as conn:
            rows = conn.execute(_page(query, limit, offset)).mappings()
            return [_run_out(row, now) for row in rows]

    def add_reject(self, run_id: int | None, where: str, reason: str) -> int:
        """Record an input that could not be used (``where``: "FILE:LINE", a URL, an id).

        Example:
            >>> store = Store.open("sqlite://")
            >>> run = store.start_run("sitrep ingest feed.jsonl")
            >>> _ = store.add_reject(run, "feed.jsonl:2", "not JSON")
            >>> store.rejects(run_id=run)[0]["reason"]
            'not JSON'
        """
        with self._writing() as conn:
            row = conn.execute(
                insert(rejects)
                .values(run_id=run_id, location=where, reason=reason, at=_now())
                .returning(rejects.c.id)
            ).one()
        return int(row[0])

    def rejects(
        self, *, run_id: int | None = None, limit: int | None = 100, offset: int = 0
    ) -> list[dict[str, Any]]:
        """Rejects (``location`` says where, ``reason`` why), oldest first.

        Example:
            >>> Store.open("sqlite://").rejects()
            []
        """
        query = select(rejects).order_by(rejects.c.id)
        if run_id is not None:
            query = query.where(rejects.c.run_id == run_id)
        return self._fetch(_page(query, limit, offset))

    # ------------------------------------------------------------------ articles in

    def save_article(
        self,
        article: Article,
        record: Mapping[str, Any],
        run_id: int | None = None,
        minhash: bytes | None = None,
    ) -> bool:
        """Store an article and its extraction (the contract record) in one transaction.

        Returns False, storing nothing, when an article with the same key (hash of the
        normalised text) is already stored. Raises ``InvalidRecord`` (nothing stored) when a
        value of the record cannot be stored. The article is left in no copy group
        (``add_article`` places it in one).

        Example:
            >>> store = Store.open("sqlite://")
            >>> art = Article(id="a1", text="Shelling killed two civilians.")
            >>> rec = {"schema": 1, "id": "a1", "claims": [{"id": "c1", "start": 0, "end": 30,
            ...        "quantity": {"text": "two", "kind": "killed", "low": 2, "best": 2,
            ...                     "high": 2}, "evidence": [{"start": 0, "end": 30}]}]}
            >>> store.save_article(art, rec)
            True
            >>> store.claims()[0]["best"]
            2.0
        """
        return self._save(article, record, run_id, minhash, None) is not None

    def add_article(
        self,
        article: Article,
        record: Mapping[str, Any],
        run_id: int | None,
        minhash: bytes,
        copies: CopyChooser,
    ) -> Placed | None:
        """``save_article`` and the article's copy group, in one transaction; None when the
        article is already stored.

        The transaction holds the article lock from its start, so article ids grow in
        commit order and ``copies.choose`` is shown every grouped article stored since it
        last looked (an indexed range of new ids): copy groups come out as one run alone
        would make them, whatever the number of concurrent ingests. A new group's
        representative is its first article (its lowest id).

        Example:
            >>> from sitrep.analyse.dedup import signature, signature_bytes
            >>> class Alone:  # a chooser that never finds a copy
            ...     seen = 0
            ...     def choose(self, article_id, minhash, news):
            ...         return None
            >>> store = Store.open("sqlite://")
            >>> art = Article(id="a", text="Two killed.")
            >>> store.add_article(art, {}, None, signature_bytes(signature(art.text)), Alone())
            Placed(article_id=1, copy_group=1, joined=False)
        """
        return self._save(article, record, run_id, minhash, copies)

    def _save(
        self,
        article: Article,
        record: Mapping[str, Any],
        run_id: int | None,
        minhash: bytes | None,
        copies: CopyChooser | None,
    ) -> Placed | None:
        row = {
            "key": article.key,
            "ext_id": article.id,
            "title": article.title,
            "url": article.url,
            "outlet": article.outlet,
            "wire": article.wire,
            "published": _date(article.published, "published"),
            "text": article.text,
            "first_run": run_id,
            "extracted_run": run_id,
            "extraction": _extraction_json(record, article.id),
            "minhash": minhash,
        }
        try:
            with self._writing() as conn:
                _lock_articles(conn)
                article_id = _insert_article(conn, row)
                if article_id is None:
                    return None
                _insert_extraction(conn, article_id, article.text, record, article.id)
                if copies is None:
                    return Placed(article_id, 0, False)  # no group: save_article
                return _place(conn, article_id, minhash, copies)
        except (IntegrityError, DataError) as exc:
            raise InvalidRecord(Errors.E308.format(article=article.id, cause=exc.orig)) from exc

    def group_article(self, article_id: int, minhash: bytes, copies: CopyChooser) -> Placed:
        """Place a stored article that has no copy group yet (``add_article`` does it for a
        new one), recording ``minhash`` as its signature. An article already in a group
        stays there (another ingest placed it meanwhile).

        Example:
            >>> from sitrep.analyse.dedup import signature, signature_bytes
            >>> class Alone:
            ...     seen = 0
            ...     def choose(self, article_id, minhash, news):
            ...         return None
            >>> store = Store.open("sqlite://")
            >>> _ = store.save_article(Article(id="a", text="Two killed."), {})
            >>> store.group_article(1, signature_bytes(signature("Two killed.")), Alone())
            Placed(article_id=1, copy_group=1, joined=False)
        """
        with self._writing() as conn:
            _lock_articles(conn)
            found = conn.execute(
                select(articles.c.copy_group).where(articles.c.id == article_id)
            ).first()
            if found is None:
                raise LookupError(Errors.E309.format(value=article_id))
            if found[0] is not None:
                group = int(found[0])
                rep = conn.execute(
                    select(copy_groups.c.representative).where(copy_groups.c.id == group)
                ).scalar()
                return Placed(article_id, group, rep != article_id)
            conn.execute(
                update(articles).where(articles.c.id == article_id).values(minhash=minhash)
            )
            return _place(conn, article_id, minhash, copies)

    def replace_extraction(
        self, article_id: int, record: Mapping[str, Any], run_id: int | None = None
    ) -> None:
        """Replace an article's statements, claims, evidence and events (``--reprocess``).

        One transaction: on any failure the old extraction stays. Raises ``LookupError`` for
        an unknown article and ``InvalidRecord`` for a record that cannot be stored.

        Example:
            >>> store = Store.open("sqlite://")
            >>> _ = store.save_article(Article(id="a", text="Two killed."), {"claims": []})
            >>> store.replace_extraction(store.article_ids([Article(id="a",
            ...     text="Two killed.").key]).popitem()[1], {"schema": 1, "claims": []})
        """
        try:
            with self._writing() as conn:
                found = conn.execute(
                    select(articles.c.text, articles.c.ext_id).where(articles.c.id == article_id)
                ).first()
                if found is None:
                    raise LookupError(Errors.E309.format(value=article_id))
                body, ext_id = found
                _delete_extraction(conn, article_id)
                conn.execute(
                    update(articles)
                    .where(articles.c.id == article_id)
                    .values(extraction=_extraction_json(record, ext_id), extracted_run=run_id)
                )
                _insert_extraction(conn, article_id, body, record, ext_id)
        except (IntegrityError, DataError) as exc:
            raise InvalidRecord(Errors.E308.format(article=article_id, cause=exc.orig)) from exc

    def known_keys(self, keys: Iterable[str]) -> set[str]:
        """Those of ``keys`` (``Article.key``) already stored.

        Example:
            >>> Store.open("sqlite://").known_keys(["ab12"])
            set()
        """
        return set(self.article_ids(keys))

    def article_ids(self, keys: Iterable[str]) -> dict[str, int]:
        """Article row ids by key, for the keys that are stored.

        Example:
            >>> store = Store.open("sqlite://")
            >>> art = Article(id="a", text="Two killed.")
            >>> _ = store.save_article(art, {})
            >>> store.article_ids([art.key]) == {art.key: 1}
            True
        """
        out: dict[str, int] = {}
        wanted = list(dict.fromkeys(keys))
        with self.engine.connect() as conn:
            for chunk in _chunks(wanted):
                query = select(articles.c.key, articles.c.id).where(articles.c.key.in_(chunk))
                out.update({k: int(i) for k, i in conn.execute(query)})
        return out

    # ------------------------------------------------------------------ copy groups

    def signatures(self) -> Iterator[tuple[int, int | None, bytes | None]]:
        """(article id, copy group, MinHash bytes) of every stored article, in id order.

        Example:
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

    # ------------------------------------------------------------------ queries

    def article(self, article_id: int) -> dict[str, Any] | None:
        """One article with its text, or None.

        Example:
            >>> Store.open("sqlite://").article(1) is None
            True
        """
        query = _article_select(with_text=True).where(articles.c.id == article_id)
        rows = self._fetch(query)
        return rows[0] if rows else None

    def record(self, article_id: int) -> dict[str, Any] | None:
        """The contract record of an article, rebuilt from the stored JSON, or None.

        Example:
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
        outlet: str | None = None,
        published_from: date | str | None = None,
        published_to: date | str | None = None,
        search: str | None = None,
        copy_group: int | None = None,
        run_id: int | None = None,
        with_text: bool = False,
        limit: int | None = 100,
        offset: int = 0,
        sort: str = "id",
    ) -> list[dict[str, Any]]:
        """Articles matching every filter given, with their number of claims (``n_claims``).

        ``search`` finds text in the title or body (case-insensitive); ``run_id`` the run
        that first stored them. ``sort`` is a column of ``ARTICLE_SORTS``, ``-`` first for
        descending.

        Example:
            >>> Store.open("sqlite://").articles(outlet="AFP", sort="-published")
            []
        """
        query = _article_select(with_text=with_text).where(
            *_article_conditions(
                outlet=outlet,
                published_from=published_from,
                published_to=published_to,
                search=search,
                copy_group=copy_group,
                run_id=run_id,
            )
        )
        query = query.order_by(*_order(sort, ARTICLE_SORTS, articles.c.id))
        return self._fetch(_page(query, limit, offset))

    def claims(
        self,
        *,
        kind: str | Sequence[str] | None = None,
        scope: str | Sequence[str] | None = None,
        subject_country: str | Sequence[str] | None = None,
        speaker: str | None = None,
        speaker_country: str | Sequence[str] | None = None,
        anonymous: bool | None = None,
        place: str | None = None,
        said_from: date | str | None = None,
        said_to: date | str | None = None,
        published_from: date | str | None = None,
        published_to: date | str | None = None,
        search: str | None = None,
        article_id: int | None = None,
        outlet: str | None = None,
        with_record: bool = True,
        limit: int | None = 100,
        offset: int = 0,
        sort: str = "id",
    ) -> list[dict[str, Any]]:
        """Claims matching every filter given, each with its ``evidence`` spans.

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
            >>> Store.open("sqlite://").claims(kind="killed", place="UA", sort="-said_on")
            []
        """
        conditions = _claim_conditions(
            kind=kind,
            scope=scope,
            subject_country=subject_country,
            speaker=speaker,
            speaker_country=speaker_country,
            anonymous=anonymous,
            place=place,
            said_from=said_from,
            said_to=said_to,
            published_from=published_from,
            published_to=published_to,
            search=search,
            article_id=article_id,
            outlet=outlet,
        )
        query = _claim_select(with_record).where(*conditions)
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
        speaker: str | None = None,
        speaker_country: str | Sequence[str] | None = None,
        anonymous: bool | None = None,
        quote: str | None = None,
        published_from: date | str | None = None,
        published_to: date | str | None = None,
        search: str | None = None,
        article_id: int | None = None,
        with_record: bool = True,
        limit: int | None = 100,
        offset: int = 0,
        sort: str = "id",
    ) -> list[dict[str, Any]]:
        """Statements (reported speech, numbers or not) matching every filter given.

        ``search`` finds text in what was said or in the speaker; ``quote`` is "direct" or
        "indirect"; ``sort`` a column of ``STATEMENT_SORTS``.

        Example:
            >>> Store.open("sqlite://").statements(speaker="governor", anonymous=False)
            []
        """
        query = _statement_select(with_record).where(
            *_statement_conditions(
                speaker=speaker,
                speaker_country=speaker_country,
                anonymous=anonymous,
                quote=quote,
                published_from=published_from,
                published_to=published_to,
                search=search,
                article_id=article_id,
            )
        )
        query = query.order_by(*_order(sort, STATEMENT_SORTS, statements.c.id))
        return self._fetch(_page(query, limit, offset))

    def events(
        self,
        *,
        type: str | Sequence[str] | None = None,
        country: str | Sequence[str] | None = None,
        place: str | None = None,
        date_from: date | str | None = None,
        date_to: date | str | None = None,
        published_from: date | str | None = None,
        published_to: date | str | None = None,
        search: str | None = None,
        article_id: int | None = None,
        with_record: bool = True,
        limit: int | None = 100,
        offset: int = 0,
        sort: str = "id",
    ) -> list[dict[str, Any]]:
        """Events (UCDP/ACLED-shaped rows) matching every filter given.

        ``date_from``/``date_to`` bound the event's start date (inclusive); ``place`` matches
        the location, admin1, country or ISO 3166-2 code; ``search`` finds text in the type,
        location or sides; ``claim_ids`` in each row are the claims' row ids.

        Example:
            >>> Store.open("sqlite://").events(country="UA", date_from="2024-05-01")
            []
        """
        query = _event_select(with_record).where(
            *_event_conditions(
                type=type,
                country=country,
                place=place,
                date_from=date_from,
                date_to=date_to,
                published_from=published_from,
                published_to=published_to,
                search=search,
                article_id=article_id,
            )
        )
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

    def _fetch(self, query: Select[Any]) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return [_out(row) for row in conn.execute(query).mappings()]

    # ------------------------------------------------------------------ tables of claims
    # (revision 0002) Rows of a table of claims (sitrep.analyse.tabular) are stored as
    # pseudo-articles with ``origin = 'table'``; sitrep.analyse.track reads claims in bulk.

    def save_table_rows(
        self,
        rows: Iterable[tuple[str, Article, Mapping[str, Any], MinHashBytes]],
        run_id: int | None = None,
    ) -> dict[str, int]:
        """Store table rows as pseudo-articles (``origin = 'table'``), all in one transaction.

        Each row is ``(key, article, record, minhash)``: ``key`` (at most 64 characters, e.g.
        a SHA-256 of the row's identity in its table) replaces the hash of the text as the
        article's identity, so a re-import finds the row again; ``minhash`` is the signature's
        bytes, None, or a function giving them, called only for a row that is written.

        A new key is stored with its claims and a copy group of its own (a table row is an
        independent source); a known key whose text and record (less its claims) are unchanged
        is left alone, so a caller puts a digest of the whole record in it; a known key whose
        text or record changed (the table was corrected) has its article and claims replaced in
        place. Returns the counts ``stored``, ``updated``, ``unchanged`` and ``claims`` (claims
        written).

        Example:
            >>> store = Store.open("sqlite://")
            >>> art = Article(id="t:1", text="UK MoD: 900 casualties.", published=date(2025, 1, 2))
            >>> rec = {"schema": 1, "id": "t:1", "origin": "table", "claims": [{"id": "c1",
            ...        "start": 0, "end": 23, "quantity": {"text": "900", "kind": "casualties",
            ...        "low": 900, "best": 900, "high": 900}}]}
            >>> store.save_table_rows([("k" * 64, art, rec, None)])
            {'stored': 1, 'updated': 0, 'unchanged': 0, 'claims': 1}
            >>> store.save_table_rows([("k" * 64, art, rec, None)])["unchanged"]
            1
            >>> store.article(1)["origin"]
            'table'
        """
        items = list(rows)
        counts = {"stored": 0, "updated": 0, "unchanged": 0, "claims": 0}
        if not items:
            return counts
        try:
            with self._writing() as conn:
                if conn.dialect.name == "postgresql":  # one import at a time (SQLite: _writing)
                    lock = text("SELECT pg_advisory_xact_lock(:key)")
                    conn.execute(lock, {"key": _PG_TABLE_IMPORT_LOCK})
                _lock_articles(conn)  # its rows are copy candidates too (see add_article)
                known: dict[str, tuple[int, str, str]] = {}
                for chunk in _chunks(list(dict.fromkeys(k for k, *_ in items))):
                    query = select(
                        articles.c.key, articles.c.id, articles.c.text, articles.c.extraction
                    ).where(articles.c.key.in_(chunk))
                    known.update({k: (int(i), t, x) for k, i, t, x in conn.execute(query)})
                fresh: list[tuple[str, Article, Mapping[str, Any], MinHashBytes]] = []
                seen: set[str] = set()
                for key, art, record, minhash in items:
                    if key in seen:
                        raise InvalidRecord(Errors.E312.format(row=art.id, key=key))
                    seen.add(key)
                    values: dict[str, Any] = {
                        "ext_id": art.id,
                        "title": art.title,
                        "url": art.url,
                        "outlet": art.outlet,
                        "wire": art.wire,
                        "published": _date(art.published, f"table row {art.id!r}: published"),
                        "text": art.text,
                        "extracted_run": run_id,
                        "extraction": _extraction_json(record, art.id),
                        "origin": "table",
                    }
                    if key not in known:
                        fresh.append((key, art, record, minhash))
                        continue
                    article_id, old_text, old_extraction = known[key]
                    if old_text == art.text and old_extraction == values["extraction"]:
                        counts["unchanged"] += 1
                        continue
                    values["minhash"] = minhash() if callable(minhash) else minhash
                    conn.execute(update(articles).where(articles.c.id == article_id).values(values))
                    _delete_extraction(conn, article_id)
                    _insert_extraction(conn, article_id, art.text, record, art.id)
                    counts["updated"] += 1
                    counts["claims"] += len(_list(record, "claims", art.id))
                new_rows = [
                    {
                        "key": key,
                        "ext_id": art.id,
                        "title": art.title,
                        "url": art.url,
                        "outlet": art.outlet,
                        "wire": art.wire,
                        "published": _date(art.published, f"table row {art.id!r}: published"),
                        "text": art.text,
                        "first_run": run_id,
                        "extracted_run": run_id,
                        "extraction": _extraction_json(record, art.id),
                        "minhash": minhash() if callable(minhash) else minhash,
                        "origin": "table",
                    }
                    for key, art, record, minhash in fresh
                ]
                # Plain executemany, then the ids read back by unique key: a multi-row INSERT
                # ... RETURNING of thousands of rows is slow to build on psycopg.
                new_ids = _insert_keyed(conn, articles, new_rows, ("key",))
                bulk = [
                    (article_id, art.text, record, art.id)
                    for (_key, art, record, _m), article_id in zip(fresh, new_ids, strict=True)
                ]
                counts["claims"] += _insert_claims_bulk(conn, bulk)
                group_ids = _insert_keyed(
                    conn,
                    copy_groups,
                    [{"representative": a, "size": 1} for a in new_ids],
                    ("representative",),
                )
                if new_ids:
                    conn.execute(
                        update(articles)
                        .where(articles.c.id == bindparam("article_id"))
                        .values(copy_group=bindparam("group_id")),
                        [
                            {"article_id": a, "group_id": g}
                            for a, g in zip(new_ids, group_ids, strict=True)
                        ],
                    )
                counts["stored"] = len(new_ids)
        except (IntegrityError, DataError) as exc:
            raise InvalidRecord(Errors.E313.format(cause=exc.orig)) from exc
        return counts

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
            >>> Store.open("sqlite://").claim_evidence([1, 2])
            {}
        """
        with self.engine.connect() as conn:
            return _evidence_for(conn, list(dict.fromkeys(claim_ids)))


# --------------------------------------------------------------------------- writing rows


def _now() -> datetime:
    return datetime.now(UTC)


def _machine() -> str:
    """This machine as a run records it: the host name and a tag of the boot and the PID
    namespace, so a process id is only looked up where it names the same process."""
    parts = []
    for path in ("/proc/sys/kernel/random/boot_id", "/proc/self/ns/pid"):
        try:
            parts.append(os.readlink(path) if path.endswith("/pid") else Path(path).read_text())
        except OSError:
            parts.append("")
    tag = hashlib.sha256("|".join(parts).encode()).hexdigest()[:12]
    return f"{socket.gethostname()}#{tag}"


_HOST = _machine()


_LIVE_RUNS: set[int] = set()  # runs started and not finished by this process


def _process_gone(run_id: int, pid: int, started: datetime) -> bool:
    """Whether the process of a run recorded on this machine has ended.

    A process id can be reused: a process that started after the run did is another one.
    A killed process not yet reaped by its parent (a zombie) has ended too. A run of this
    process is alive until it finishes.
    """
    if not Path("/proc/self/stat").exists():  # no /proc (macOS): is the id in use?
        if pid == os.getpid():
            return run_id not in _LIVE_RUNS
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        return False
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        boot = next(
            int(line.split()[1])
            for line in Path("/proc/stat").read_text().splitlines()
            if line.startswith("btime ")
        )
    except OSError:
        return True  # no such process
    if fields[0] == "Z":
        return True
    process_started = boot + int(fields[19]) / os.sysconf("SC_CLK_TCK")  # field 22, starttime
    if started.tzinfo is None:  # SQLite keeps no zone; sitrep writes UTC
        started = started.replace(tzinfo=UTC)
    if process_started > started.timestamp() + 2:  # (btime is in whole seconds)
        return True
    return pid == os.getpid() and run_id not in _LIVE_RUNS


def _interrupted(conn: Connection, now: datetime) -> list[int]:
    """Unfinished runs, not marked yet, whose process is gone (see Store.interrupted_runs)."""
    query = (
        select(runs.c.id, runs.c.host, runs.c.pid, runs.c.heartbeat, runs.c.started)
        .where(runs.c.finished.is_(None), runs.c.interrupted.is_(None))
        .order_by(runs.c.id)
    )
    out: list[int] = []
    for run_id, host, pid, heartbeat, started in conn.execute(query):
        if host == _HOST and pid is not None and os.name == "posix":
            gone = _process_gone(int(run_id), int(pid), started)
        else:
            gone = _stale(heartbeat or started, now)
        if gone:
            out.append(int(run_id))
    return out


def _stale(heartbeat: datetime | None, now: datetime) -> bool:
    if heartbeat is None:
        return True
    if heartbeat.tzinfo is None:  # SQLite keeps no zone; sitrep writes UTC
        heartbeat = heartbeat.replace(tzinfo=UTC)
    return now - heartbeat > RUN_STALE_AFTER


def _run_counts(counts: Mapping[str, int]) -> dict[str, int | None]:
    values: dict[str, int | None] = {}
    for name, count in counts.items():
        if name not in RUN_COUNTS:
            raise ValueError(Errors.E314.format(value=name, choices=", ".join(RUN_COUNTS)))
        values[name] = _int(count, name, required=True)
    return values


def _run_out(row: RowMapping, now: datetime) -> dict[str, Any]:
    """A run as a dict, with its ``status``: finished, running or interrupted."""
    out = _out(row)
    if row["finished"] is not None:
        out["status"] = "finished"
    elif row["interrupted"] is not None or _stale(row["heartbeat"] or row["started"], now):
        out["status"] = "interrupted"
    else:
        out["status"] = "running"
    return out


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


def _insert_keyed(
    conn: Connection, table: Table, rows: list[dict[str, Any]], key: tuple[str, ...]
) -> list[int]:
    """Insert many new rows (one executemany) and return their ids in the rows' order, read
    back through ``key``: columns whose values are unique among ``table``'s rows for these
    (the first one is used to select them)."""
    if not rows:
        return []
    conn.execute(insert(table), rows)
    first = table.c[key[0]]
    found: dict[tuple[Any, ...], int] = {}
    for chunk in _chunks(list(dict.fromkeys(r[key[0]] for r in rows))):
        query = select(table.c.id, *(table.c[k] for k in key)).where(first.in_(chunk))
        for row_id, *values in conn.execute(query):
            found[tuple(values)] = int(row_id)
    return [found[tuple(r[k] for k in key)] for r in rows]


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


def _evidence_rows(claim_id: int, spans: list[Any], path: str) -> list[dict[str, Any]]:
    """Evidence rows of one claim; ``path`` names the claim in error messages."""
    rows = []
    for j, span in enumerate(spans):
        where = f"{path}.evidence[{j}]"
        span = _obj(span, where)
        rows.append(
            {
                "claim_id": claim_id,
                "char_start": _int(span.get("start"), f"{where}.start"),
                "char_end": _int(span.get("end"), f"{where}.end"),
            }
        )
    return rows


def _delete_extraction(conn: Connection, article_id: int) -> None:
    event_ids = select(events.c.id).where(events.c.article_id == article_id)
    claim_ids = select(claims.c.id).where(claims.c.article_id == article_id)
    conn.execute(delete(event_claims).where(event_claims.c.event_id.in_(event_ids)))
    conn.execute(delete(events).where(events.c.article_id == article_id))
    conn.execute(delete(evidence).where(evidence.c.claim_id.in_(claim_ids)))
    conn.execute(delete(claims).where(claims.c.article_id == article_id))
    conn.execute(delete(statements).where(statements.c.article_id == article_id))


def _speaker_columns(speaker: Any, path: str) -> dict[str, Any]:
    sp = _obj(speaker, path)
    antecedent = _obj(sp.get("antecedent"), f"{path}.antecedent")
    anonymous = sp.get("anonymous")
    if anonymous is not None and not isinstance(anonymous, bool):
        raise InvalidRecord(Errors.E315.format(path=path, value=anonymous))
    return {
        "speaker_text": _str(sp.get("text"), f"{path}.text"),
        "speaker_name": _str(sp.get("name"), f"{path}.name"),
        "speaker_role": _str(sp.get("role"), f"{path}.role"),
        "speaker_antecedent": _str(antecedent.get("text"), f"{path}.antecedent.text"),
        "speaker_anonymous": anonymous if sp else None,
        "speaker_country": _str(sp.get("country"), f"{path}.country"),
        "speaker_side": _str(sp.get("side"), f"{path}.side"),
    }


def _slice(body: str, start: int | None, end: int | None) -> str | None:
    if start is None or end is None or not 0 <= start <= end <= len(body):
        return None
    return body[start:end]


def _statement_row(article_id: int, body: str, s: Any, path: str) -> dict[str, Any]:
    s = _obj(s, path)
    content = _obj(s.get("content"), f"{path}.content")
    start = _int(content.get("start"), f"{path}.content.start")
    end = _int(content.get("end"), f"{path}.content.end")
    return {
        "article_id": article_id,
        "sid": _str(s.get("id"), f"{path}.id"),
        **_speaker_columns(s.get("speaker"), f"{path}.speaker"),
        "cue": _str(_obj(s.get("cue"), f"{path}.cue").get("text"), f"{path}.cue.text"),
        "quote": _str(s.get("quote"), f"{path}.quote"),
        "content_start": start,
        "content_end": end,
        "content": _slice(body, start, end),
        "record": _json(s, path),
    }


def _claim_row(
    article_id: int, body: str, c: Any, by_sid: Mapping[str, int], path: str
) -> dict[str, Any]:
    c = _obj(c, path)
    q = _obj(c.get("quantity"), f"{path}.quantity")
    subject = _obj(c.get("subject"), f"{path}.subject")
    place = _obj(c.get("place"), f"{path}.place")
    when = _obj(c.get("time"), f"{path}.time")
    start = _int(c.get("start"), f"{path}.start")
    end = _int(c.get("end"), f"{path}.end")
    sid = _str(c.get("statement"), f"{path}.statement")
    low, best, high = _bounds(q, f"{path}.quantity")
    return {
        "article_id": article_id,
        "cid": _str(c.get("id"), f"{path}.id"),
        "char_start": start,
        "char_end": end,
        "sentence": _slice(body, start, end),
        "kind": _str(q.get("kind"), f"{path}.quantity.kind"),
        "low": low,
        "best": best,
        "high": high,
        "approx": _str(q.get("approx"), f"{path}.quantity.approx"),
        "quantity": _str(q.get("text"), f"{path}.quantity.text"),
        "unit": _str(q.get("unit"), f"{path}.quantity.unit"),
        "currency": _str(q.get("currency"), f"{path}.quantity.currency"),
        "rule": _str(q.get("rule"), f"{path}.quantity.rule"),
        **_speaker_columns(c.get("speaker"), f"{path}.speaker"),
        "cue": _str(_obj(c.get("cue"), f"{path}.cue").get("text"), f"{path}.cue.text"),
        "quote": _str(c.get("quote"), f"{path}.quote"),
        "subject_text": _str(subject.get("text"), f"{path}.subject.text"),
        "subject_actor": _str(subject.get("actor"), f"{path}.subject.actor"),
        "subject_country": _str(subject.get("country"), f"{path}.subject.country"),
        "place_text": _str(place.get("text"), f"{path}.place.text"),
        "place_name": _str(place.get("name"), f"{path}.place.name"),
        "place_country": _str(place.get("country"), f"{path}.place.country"),
        "admin1": _str(place.get("admin1"), f"{path}.place.admin1"),
        "iso3166_2": _str(place.get("iso3166_2"), f"{path}.place.iso3166_2"),
        "lat": _num(place.get("lat"), f"{path}.place.lat"),
        "lon": _num(place.get("lon"), f"{path}.place.lon"),
        "place_precision": _str(place.get("precision"), f"{path}.place.precision"),
        "time_text": _str(when.get("text"), f"{path}.time.text"),
        "time_start": _date(when.get("date_start"), f"{path}.time.date_start"),
        "time_end": _date(when.get("date_end"), f"{path}.time.date_end"),
        "time_precision": _str(when.get("precision"), f"{path}.time.precision"),
        "said_on": _date(c.get("said_on"), f"{path}.said_on"),
        "statement_sid": sid,
        "statement_id": by_sid.get(sid) if sid is not None else None,
        "record": _json(c, path),
        # Only when given: a claim without one inserts no scope, as a sitrep before revision
        # 0004 did (see _aligned).
        **({"scope": scope} if (scope := _scope(c.get("scope"), f"{path}.scope")) else {}),
    }


def _aligned(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows with the same keys (None where missing), for one executemany."""
    keys = {k for r in rows for k in r}
    return [{k: r.get(k) for k in keys} for r in rows]


def _scope(value: Any, path: str) -> str | None:
    """A claim's scope: one of ``sitrep.model.SCOPES``, or None (a claim of an older sitrep)."""
    if value is None or value in SCOPES:
        return value
    raise InvalidRecord(Errors.E316.format(path=path, choices=", ".join(SCOPES), value=value))


def _event_row(article_id: int, e: Any, path: str) -> dict[str, Any]:
    e = _obj(e, path)
    row: dict[str, Any] = {
        "article_id": article_id,
        "eid": _str(e.get("id"), f"{path}.id"),
        "type": _str(e.get("type"), f"{path}.type"),
        "date_start": _date(e.get("date_start"), f"{path}.date_start"),
        "date_end": _date(e.get("date_end"), f"{path}.date_end"),
        "date_precision": _str(e.get("date_precision"), f"{path}.date_precision"),
        "country": _str(e.get("country"), f"{path}.country"),
        "admin1": _str(e.get("admin1"), f"{path}.admin1"),
        "iso3166_2": _str(e.get("iso3166_2"), f"{path}.iso3166_2"),
        "location": _str(e.get("location"), f"{path}.location"),
        "lat": _num(e.get("lat"), f"{path}.lat"),
        "lon": _num(e.get("lon"), f"{path}.lon"),
        "where_precision": _str(e.get("where_precision"), f"{path}.where_precision"),
        "side_a": _str(e.get("side_a"), f"{path}.side_a"),
        "side_b": _str(e.get("side_b"), f"{path}.side_b"),
        "record": _json(e, path),
    }
    for measure in ("killed", "wounded", "captured", "missing"):
        est = _obj(e.get(measure), f"{path}.{measure}")
        bounds = _bounds(est, f"{path}.{measure}")
        for part, value in zip(("low", "best", "high"), bounds, strict=True):
            row[f"{measure}_{part}"] = value
    return row


# --------------------------------------------------------------------------- values


def _obj(value: Any, path: str) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise InvalidRecord(Errors.E317.format(path=path, value=value))
    return value


def _list(record: Mapping[str, Any], name: str, path: str) -> list[Any]:
    value = record.get(name)
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        raise InvalidRecord(Errors.E318.format(path=path, name=name, value=value))
    return list(value)


def _str(value: Any, path: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise InvalidRecord(Errors.E319.format(path=path, value=value))


def _num(value: Any, path: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidRecord(Errors.E320.format(path=path, value=value))
    return float(value)


def _bounds(est: Mapping[str, Any], path: str) -> tuple[float | None, float | None, float | None]:
    """An estimate's low, best and high, which must keep ``low <= best <= high`` where set."""
    low, best, high = (_num(est.get(p), f"{path}.{p}") for p in ("low", "best", "high"))
    given = [(n, v) for n, v in (("low", low), ("best", best), ("high", high)) if v is not None]
    for (n1, v1), (n2, v2) in zip(given, given[1:], strict=False):
        if v1 > v2:
            raise InvalidRecord(
                Errors.E321.format(path=path, first=n1, low=v1, second=n2, high=v2)
            )
    return low, best, high


def _int(value: Any, path: str, required: bool = False) -> int | None:
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidRecord(Errors.E322.format(path=path, value=value))
    return value


def _date(value: Any, path: str) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise InvalidRecord(Errors.E323.format(path=path, value=value))


def _json_default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(Errors.E333.format(value=value))


def _json(value: Any, path: str) -> str:
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False, default=_json_default)
    except (TypeError, ValueError) as exc:
        raise InvalidRecord(Errors.E324.format(path=path, cause=exc)) from exc


def _extraction_json(record: Mapping[str, Any], ext_id: Any) -> str:
    if not isinstance(record, Mapping):
        raise InvalidRecord(Errors.E325.format(article=ext_id, value=record))
    rest = {k: v for k, v in record.items() if k not in ("statements", "claims", "events")}
    return _json(rest, f"article {ext_id!r}")


# --------------------------------------------------------------------------- copy groups


def _lock_articles(conn: Connection) -> None:
    """Make this the one transaction that inserts or groups articles (on SQLite the write
    lock, taken by ``Store._writing``, already is)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_ARTICLE_LOCK})


def _place(
    conn: Connection, article_id: int, minhash: bytes | None, copies: CopyChooser
) -> Placed:
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
    if group is not None and conn.execute(
        select(copy_groups.c.id).where(copy_groups.c.id == group)
    ).first() is None:
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


# --------------------------------------------------------------------------- queries

ARTICLE_SORTS: dict[str, Any] = {
    name: articles.c[name] for name in ("id", "published", "outlet", "title", "copy_group")
}
CLAIM_SORTS: dict[str, Any] = {
    **{
        name: claims.c[name]
        for name in (
            "id",
            "article_id",
            "kind",
            "scope",
            "low",
            "best",
            "high",
            "said_on",
            "time_start",
            "subject_country",
            "speaker_country",
            "place_country",
            "admin1",
        )
    },
    "published": articles.c.published,
    "outlet": articles.c.outlet,
}
STATEMENT_SORTS: dict[str, Any] = {
    **{name: statements.c[name] for name in ("id", "article_id", "speaker_country", "quote")},
    "published": articles.c.published,
}
EVENT_SORTS: dict[str, Any] = {
    **{
        name: events.c[name]
        for name in (
            "id",
            "article_id",
            "type",
            "date_start",
            "date_end",
            "country",
            "admin1",
            "killed_best",
            "wounded_best",
            "captured_best",
            "missing_best",
        )
    },
    "published": articles.c.published,
}


def _order(sort: str, allowed: Mapping[str, Any], tiebreak: Any) -> list[Any]:
    """ORDER BY terms for a whitelisted column name (``-name``: descending), nulls last."""
    if not isinstance(sort, str):
        raise ValueError(Errors.E327.format(value=sort))
    descending = sort.startswith("-")
    name = sort[1:] if descending else sort
    if name not in allowed:
        raise ValueError(Errors.E328.format(value=name, choices=", ".join(sorted(allowed))))
    column = allowed[name]
    if descending:
        return [column.desc().nulls_last(), tiebreak.desc()]
    return [column.asc().nulls_last(), tiebreak.asc()]


def _page(query: Select[Any], limit: int | None, offset: int) -> Select[Any]:
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
        raise ValueError(Errors.E329.format(name="limit", value=limit))
    if isinstance(offset, bool) or not isinstance(offset, int) or offset < 0:
        raise ValueError(Errors.E329.format(name="offset", value=offset))
    if limit is not None:
        query = query.limit(limit)
    return query.offset(offset) if offset else query


def _values(value: str | Sequence[str], case: str) -> list[str]:
    items = [value] if isinstance(value, str) else list(value)
    if not all(isinstance(v, str) for v in items):
        raise ValueError(Errors.E330.format(value=value))
    return [v.upper() if case == "upper" else v.lower() for v in items]


def _contains(columns: Sequence[Any], value: str) -> ColumnElement[bool]:
    """Any of ``columns`` contains ``value`` (case-insensitive; % and _ taken literally)."""
    if not isinstance(value, str):
        raise ValueError(Errors.E330.format(value=value))
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return or_(*(c.ilike(f"%{escaped}%", escape="\\") for c in columns))


def _equals_ci(columns: Sequence[Any], value: str) -> ColumnElement[bool]:
    if not isinstance(value, str):
        raise ValueError(Errors.E330.format(value=value))
    return or_(*(func.lower(c) == value.lower() for c in columns))


def _date_arg(value: date | str, name: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(Errors.E331.format(name=name, value=value))


def _range(column: Any, start: date | str | None, end: date | str | None, name: str) -> list[Any]:
    out = []
    if start is not None:
        out.append(column >= _date_arg(start, f"{name}_from"))
    if end is not None:
        out.append(column <= _date_arg(end, f"{name}_to"))
    return out


def _anonymous(column: Any, anonymous: bool | None) -> list[Any]:
    if anonymous is None:
        return []
    if not isinstance(anonymous, bool):
        raise ValueError(Errors.E332.format(value=anonymous))
    return [column.is_(True) if anonymous else column.is_(False)]


def _article_conditions(
    *,
    outlet: str | None = None,
    published_from: date | str | None = None,
    published_to: date | str | None = None,
    search: str | None = None,
    copy_group: int | None = None,
    run_id: int | None = None,
) -> list[Any]:
    out = _range(articles.c.published, published_from, published_to, "published")
    if outlet is not None:
        out.append(_equals_ci([articles.c.outlet], outlet))
    if search is not None:
        out.append(_contains([articles.c.title, articles.c.text], search))
    if copy_group is not None:
        out.append(articles.c.copy_group == copy_group)
    if run_id is not None:
        out.append(articles.c.first_run == run_id)
    return out


def _claim_conditions(
    *,
    kind: str | Sequence[str] | None = None,
    scope: str | Sequence[str] | None = None,
    subject_country: str | Sequence[str] | None = None,
    speaker: str | None = None,
    speaker_country: str | Sequence[str] | None = None,
    anonymous: bool | None = None,
    place: str | None = None,
    said_from: date | str | None = None,
    said_to: date | str | None = None,
    published_from: date | str | None = None,
    published_to: date | str | None = None,
    search: str | None = None,
    article_id: int | None = None,
    outlet: str | None = None,
) -> list[Any]:
    c = claims.c
    out = _range(c.said_on, said_from, said_to, "said")
    out += _range(articles.c.published, published_from, published_to, "published")
    out += _anonymous(c.speaker_anonymous, anonymous)
    if kind is not None:
        out.append(c.kind.in_(_values(kind, "lower")))
    if scope is not None:
        out.append(c.scope.in_(_values(scope, "lower")))
    if subject_country is not None:
        out.append(c.subject_country.in_(_values(subject_country, "upper")))
    if speaker_country is not None:
        out.append(c.speaker_country.in_(_values(speaker_country, "upper")))
    if speaker is not None:
        out.append(_contains([c.speaker_text, c.speaker_name, c.speaker_antecedent], speaker))
    if place is not None:
        out.append(_equals_ci([c.place_name, c.admin1, c.place_country, c.iso3166_2], place))
    if search is not None:
        out.append(_contains([c.quantity, c.sentence, c.speaker_text, c.speaker_name], search))
    if article_id is not None:
        out.append(c.article_id == article_id)
    if outlet is not None:
        out.append(_equals_ci([articles.c.outlet], outlet))
    return out


def _statement_conditions(
    *,
    speaker: str | None = None,
    speaker_country: str | Sequence[str] | None = None,
    anonymous: bool | None = None,
    quote: str | None = None,
    published_from: date | str | None = None,
    published_to: date | str | None = None,
    search: str | None = None,
    article_id: int | None = None,
) -> list[Any]:
    s = statements.c
    out = _range(articles.c.published, published_from, published_to, "published")
    out += _anonymous(s.speaker_anonymous, anonymous)
    if speaker is not None:
        out.append(_contains([s.speaker_text, s.speaker_name, s.speaker_antecedent], speaker))
    if speaker_country is not None:
        out.append(s.speaker_country.in_(_values(speaker_country, "upper")))
    if quote is not None:
        out.append(s.quote.in_(_values(quote, "lower")))
    if search is not None:
        out.append(_contains([s.content, s.speaker_text, s.speaker_name], search))
    if article_id is not None:
        out.append(s.article_id == article_id)
    return out


def _event_conditions(
    *,
    type: str | Sequence[str] | None = None,
    country: str | Sequence[str] | None = None,
    place: str | None = None,
    date_from: date | str | None = None,
    date_to: date | str | None = None,
    published_from: date | str | None = None,
    published_to: date | str | None = None,
    search: str | None = None,
    article_id: int | None = None,
) -> list[Any]:
    e = events.c
    out = _range(e.date_start, date_from, date_to, "date")
    out += _range(articles.c.published, published_from, published_to, "published")
    if type is not None:
        out.append(
            _equals_ci([e.type], type)
            if isinstance(type, str)
            else or_(*(_equals_ci([e.type], t) for t in type))
        )
    if country is not None:
        out.append(e.country.in_(_values(country, "upper")))
    if place is not None:
        out.append(_equals_ci([e.location, e.admin1, e.country, e.iso3166_2], place))
    if search is not None:
        out.append(_contains([e.type, e.location, e.side_a, e.side_b], search))
    if article_id is not None:
        out.append(e.article_id == article_id)
    return out


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
