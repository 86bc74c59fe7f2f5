"""Connecting: database URLs, engines set up as sitrep needs them, and the alembic migrations.

Example:
    >>> engine = create_store_engine(resolve_url("sqlite://"))
    >>> upgrade(engine); current_revision(engine) == head_revision()
    True
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from sitrep.errors import Errors

DEFAULT_DB = "sitrep.db"
ENV_VAR = "SITREP_DB"
MIGRATIONS = Path(__file__).with_name("migrations")
_PG_MIGRATION_LOCK = 0x5174_2E70  # pg_advisory_xact_lock key: one migrator at a time
_SQLITE_BEGIN = ("DEFERRED", "IMMEDIATE", "EXCLUSIVE")


class StoreError(Exception):
    """The database cannot be used as it is (e.g. its schema is newer than this sitrep)."""


class NoSuchDatabase(StoreError):
    """A command that only reads was given a database that does not exist (or is not sitrep's)."""


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
