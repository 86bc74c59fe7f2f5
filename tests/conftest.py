"""Shared pytest fixtures. Each stage's fixtures sit under their own heading."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, LiteralString

import pytest

# ===========================================================================================
# Database fixtures (sitrep.store)
#
#   db_url     a fresh, empty database URL, once per backend: "sqlite" (a file in tmp_path)
#              and "postgresql" (a new database on the session's server); select one with
#              -k sqlite / -k postgresql
#   store      a sitrep.store.Store opened (migrated) on db_url, closed afterwards
#   pg_server  the session's PostgreSQL server (initdb + pg_ctl in a temporary folder on a
#              free loopback port), stopped at the end of the session
#
# A missing PostgreSQL server binary skips the postgresql tests with a message; with CI=true it
# fails them. The binaries are found through $SITREP_PG_BINDIR, `pg_config --bindir`,
# /usr/lib/postgresql/*/bin or $PATH (Debian: `apt-get install -y postgresql`). Run as root,
# the server runs as the `postgres` user (or `nobody`), as PostgreSQL refuses to run as root.
# ===========================================================================================


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def _pg_bindir() -> Path | None:
    """The folder holding initdb, pg_ctl and postgres, or None."""

    def usable(folder: str | Path | None) -> Path | None:
        if not folder:
            return None
        path = Path(folder)
        if all(os.access(path / exe, os.X_OK) for exe in ("initdb", "pg_ctl", "postgres")):
            return path
        return None

    if os.environ.get("SITREP_PG_BINDIR"):  # an explicit choice: that folder or nothing
        return usable(os.environ["SITREP_PG_BINDIR"])
    if shutil.which("pg_config"):
        try:
            out = subprocess.run(
                ["pg_config", "--bindir"], capture_output=True, text=True, timeout=30
            )
            found = usable(out.stdout.strip()) if out.returncode == 0 else None
        except (OSError, subprocess.SubprocessError):
            found = None
        if found:
            return found

    def version(path: str) -> tuple[int, ...]:
        name = Path(path).parent.name
        return tuple(int(p) for p in name.split(".") if p.isdigit())

    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=version, reverse=True):
        found = usable(folder)
        if found:
            return found
    initdb = shutil.which("initdb")
    return usable(Path(initdb).resolve().parent) if initdb else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class PgServer:
    """A throwaway PostgreSQL server: trust authentication, loopback only, no fsync."""

    bindir: Path
    folder: Path
    port: int = 0
    user: str = "postgres"
    run_as: pwd.struct_passwd | None = None
    log: Path = field(init=False)

    def __post_init__(self) -> None:
        self.log = self.folder / "server.log"

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def url(self, database: str = "postgres") -> str:
        """The SQLAlchemy URL of a database on this server."""
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str, timeout: float = 120) -> None:
        kwargs: dict[str, Any] = {}
        env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
        if self.run_as is not None:
            kwargs = {"user": self.run_as.pw_uid, "group": self.run_as.pw_gid, "extra_groups": []}
            env["HOME"] = str(self.folder)
        done = subprocess.run(
            list(args),
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=self.folder,
            env=env,
            **kwargs,
        )
        if done.returncode != 0:
            log = self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""
            raise RuntimeError(
                f"{' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}\n{log}"
            )

    def start(self) -> None:
        self._run(
            str(self.bindir / "initdb"),
            "-D",
            str(self.data),
            "-U",
            self.user,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
        )
        for attempt in range(5):
            self.port = _free_port()
            options = (
                f"-h 127.0.0.1 -p {self.port} -k {self.folder} "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                "-c max_connections=200"
            )
            try:
                self._run(
                    str(self.bindir / "pg_ctl"),
                    "-D",
                    str(self.data),
                    "-l",
                    str(self.log),
                    "-o",
                    options,
                    "-w",
                    "-t",
                    "60",
                    "start",
                )
                return
            except RuntimeError:
                if attempt == 4:  # a port taken between choosing and binding: try another
                    raise
                time.sleep(0.2)

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def _unprivileged_user() -> pwd.struct_passwd | None:
    """As root, the account the server runs as; None when not root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise RuntimeError("running as root and there is no 'postgres' or 'nobody' user")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """The session's PostgreSQL server (started on first use, stopped at session end)."""
    bindir = _pg_bindir()
    if bindir is None:
        message = (
            "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found; install them "
            "(Debian: apt-get install -y postgresql) or set SITREP_PG_BINDIR"
        )
        if _in_ci():
            pytest.fail(message + " [CI=true: PostgreSQL tests must run]", pytrace=False)
        pytest.skip(message)
    run_as = _unprivileged_user()
    base = "/tmp" if run_as is not None and os.path.isdir("/tmp") else None
    folder = Path(tempfile.mkdtemp(prefix="sitrep-pg-", dir=base))
    if run_as is not None:
        os.chown(folder, run_as.pw_uid, run_as.pw_gid)
    server = PgServer(bindir=bindir, folder=folder, run_as=run_as)
    try:
        server.start()
    except BaseException:
        server.stop()
        raise
    try:
        yield server
    finally:
        server.stop()


def _pg_admin(server: PgServer, statement: LiteralString, database: str) -> None:
    """Run ``statement`` (with ``{}`` for the quoted database name) on the server."""
    import psycopg
    from psycopg import sql

    dsn = f"host=127.0.0.1 port={server.port} user={server.user} dbname=postgres"
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(sql.SQL(statement).format(sql.Identifier(database)))


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database for one test, once per backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'sitrep.db'}"
        return
    server: PgServer = request.getfixturevalue("pg_server")
    name = f"test_{uuid.uuid4().hex}"
    _pg_admin(server, "CREATE DATABASE {}", name)
    try:
        yield server.url(name)
    finally:
        _pg_admin(server, "DROP DATABASE IF EXISTS {} WITH (FORCE)", name)


@pytest.fixture
def store(db_url: str) -> Iterator[Any]:
    """A ``sitrep.store.Store`` opened (and so migrated) on ``db_url``."""
    from sitrep.store import Store

    opened = Store.open(db_url)
    try:
        yield opened
    finally:
        opened.close()


# ===========================================================================================
