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
# Serve fixtures (sitrep.serve: the API, the dashboard, their security)
#
#   serve_articles   realistic articles for the serve tests: a series of Russian casualty
#                    figures by two claimants (UA General Staff, 3 dates; UK defence ministry,
#                    2 dates), a Kharkiv strike and its syndicated copy, an anonymous official,
#                    a Russian defence ministry claim, and a malicious article (<script>,
#                    onerror=, javascript: links in its text, title, outlet and URL)
#   serve_extractor  one extractor for the session that extracts each article once (spaCy
#                    is loaded once), handed to sitrep.ingest.ingest_articles
#   serve_db_url     db_url (both backends) filled through ingest_articles with serve_articles
#   serve_token      the bearer token the serve tests give their apps
#   api_client       a TestClient on create_app(serve_db_url, token=serve_token)
#   live_server      for the session: `sitrep serve` (python -m sitrep.cli serve, or
#                    python -m sitrep.serve before the CLI has it) in a subprocess on
#                    127.0.0.1 and a free port, on a SQLite file filled with serve_articles;
#                    its base URL. Stopped at the end of the session.
# ===========================================================================================

SERVE_TOKEN = "serve-test-token-3f9c"
MALICIOUS_ID = "evil-1"


def _serve_article(ext_id: str, published: str, outlet: str, title: str, body: str,
                   url: str | None = None) -> Any:
    from datetime import date

    from sitrep.model import Article

    return Article(id=ext_id, text=f"{title}\n\n{body}", published=date.fromisoformat(published),
                   title=title, url=url, outlet=outlet)


def serve_corpus() -> list[Any]:
    """The serve tests' articles (see the heading above)."""
    kharkiv = (
        "A Russian missile strike on a printing house in Kharkiv killed seven people and "
        "wounded at least 21 on Thursday, regional governor Oleh Syniehubov said.\n\n"
        "\"Rescuers are still working at the site,\" Syniehubov said on Telegram, adding that "
        "several of the wounded were in serious condition.\n\n"
        "Kharkiv, Ukraine's second-largest city, lies about 30 kilometres from the Russian "
        "border and has come under repeated attack since Moscow launched a new offensive in "
        "the region earlier this month."
    )
    return [
        _serve_article(
            "gs-2024-10", "2024-10-07", "Kyiv Independent",
            "General Staff updates its count of Russian losses",
            "About 650,000 Russian troops have been killed or wounded since the start of the "
            "full-scale invasion in February 2022, Ukraine's General Staff said on Monday.\n\n"
            "The figure could not be independently verified.",
            "https://kyivindependent.example/gs-2024-10"),
        _serve_article(
            "gs-2024-11", "2024-11-11", "Kyiv Independent",
            "Russian losses climb during autumn offensive, Kyiv says",
            "About 710,000 Russian troops have been killed or wounded since the start of the "
            "full-scale invasion in February 2022, Ukraine's General Staff said on Monday.\n\n"
            "Daily losses have risen during the autumn offensive near Pokrovsk.",
            "https://kyivindependent.example/gs-2024-11"),
        _serve_article(
            "gs-2024-12", "2024-12-09", "Kyiv Independent",
            "Kyiv says November was costliest month for Russian forces",
            "About 760,000 Russian troops have been killed or wounded since the start of the "
            "full-scale invasion in February 2022, Ukraine's General Staff said on Monday.\n\n"
            "Ukrainian officials say November was the costliest month of the war for Moscow.",
            "https://kyivindependent.example/gs-2024-12"),
        _serve_article(
            "ukmod-2024-10", "2024-10-10", "BBC", "UK intelligence update on Russian casualties",
            "Britain's Ministry of Defence said on Thursday that more than 600,000 Russian "
            "troops had been killed or wounded since the start of the invasion in February "
            "2022.\n\nThe ministry publishes regular intelligence updates on the war.",
            "https://bbc.example/ukmod-2024-10"),
        _serve_article(
            "ukmod-2024-12", "2024-12-12", "BBC", "UK raises its estimate of Russian casualties",
            "Britain's Ministry of Defence said on Thursday that about 700,000 Russian troops "
            "had been killed or wounded since the start of the invasion in February 2022.\n\n"
            "The ministry said the rate of losses was the highest of the war.",
            "https://bbc.example/ukmod-2024-12"),
        _serve_article(
            "kharkiv-wire", "2024-05-23", "Example Wire",
            "Missile strike on Kharkiv printing house kills seven", kharkiv,
            "https://wire.example/kharkiv"),
        _serve_article(
            "kharkiv-copy", "2024-05-23", "Daily Courier",
            "Missile strike on Kharkiv printing house kills seven",
            "Daily Courier | World news\n\n" + kharkiv
            + "\n\nMore from Daily Courier: subscribe for updates.",
            "https://courier.example/world/kharkiv"),
        _serve_article(
            "dprk-kursk", "2024-12-18", "The Moscow Times",
            "North Korean casualties in Kursk, U.S. official says",
            "North Korean forces have suffered \"several hundred\" casualties fighting against "
            "Ukrainian troops in Russia's Kursk region, a senior U.S. military official said "
            "Tuesday.\n\nThe official, who spoke on condition of anonymity, said the casualties "
            "ranged from those killed in action to lightly wounded.",
            "https://moscowtimes.example/dprk-kursk"),
        _serve_article(
            "rumod-2024-11", "2024-11-20", "TASS",
            "Russian defence ministry reports fighting in Kursk region",
            "Russia's defence ministry said on Wednesday that Ukrainian forces had lost more "
            "than 200 soldiers in the Kursk region over the past day.\n\n"
            "The ministry said its troops had repelled several attacks near Sudzha.",
            "https://tass.example/rumod-2024-11"),
        _serve_article(
            MALICIOUS_ID, "2024-11-02", "<img src=x onerror=\"window.__pwned='outlet'\">",
            "<script>window.__pwned='title'</script>Shelling in Kherson",
            "<script>window.__pwned='text'; alert(1)</script> Shelling killed three people in "
            "Kherson on Friday, the regional governor said.\n\n"
            "<img src=x onerror=\"window.__pwned='img'; alert(2)\"> "
            "<a href=\"javascript:window.__pwned='link'\">Read the full report</a> "
            "<svg onload=\"window.__pwned='svg'\"></svg>",
            "javascript:window.__pwned='url'"),
    ]


class _CachingExtractor:
    """Extracts each distinct article once per session; ingest_articles calls ``extract``."""

    def __init__(self) -> None:
        self._inner: Any = None
        self._records: dict[str, dict[str, Any]] = {}

    def extract(self, articles: Any, chunk: int = 64) -> Iterator[dict[str, Any]]:
        import copy

        arts = list(articles)
        todo = [a for a in arts if a.key not in self._records]
        if todo:
            if self._inner is None:
                from sitrep.extract.pipeline import Extractor

                self._inner = Extractor()
            for art, record in zip(todo, self._inner.extract(todo), strict=True):
                self._records[art.key] = record
        return iter([copy.deepcopy(self._records[a.key]) for a in arts])


@pytest.fixture(scope="session")
def serve_articles() -> list[Any]:
    """The serve tests' articles (see the heading above)."""
    return serve_corpus()


@pytest.fixture(scope="session")
def serve_extractor() -> Any:
    """A session-wide extractor that extracts each article once."""
    return _CachingExtractor()


@pytest.fixture(scope="session")
def serve_token() -> str:
    """The bearer token of the serve tests' apps."""
    return SERVE_TOKEN


def fill_serve_db(url: str, articles: list[Any], extractor: Any) -> None:
    """Ingest ``articles`` into the database at ``url`` through ``ingest_articles``."""
    from sitrep.ingest import IngestOptions, ingest_articles
    from sitrep.store import Store

    with Store.open(url) as opened:
        summary = ingest_articles(articles, opened, IngestOptions(command="serve tests"),
                                  extractor=extractor)
    assert summary.stored == len(articles), summary.counts()


@pytest.fixture
def serve_db_url(db_url: str, serve_articles: list[Any], serve_extractor: Any) -> str:
    """``db_url`` (each backend) filled with ``serve_articles`` through ingest_articles."""
    fill_serve_db(db_url, serve_articles, serve_extractor)
    return db_url


@pytest.fixture
def api_client(serve_db_url: str, serve_token: str) -> Iterator[Any]:
    """A TestClient on the app over ``serve_db_url``, writes allowed with ``serve_token``."""
    import warnings

    with warnings.catch_warnings():  # starlette: "install httpx2 instead"; httpx works
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    from sitrep.serve import create_app

    with TestClient(create_app(serve_db_url, token=serve_token)) as client:
        yield client


def _serve_command(db: str, port: int) -> list[str]:
    """`sitrep serve` when the CLI has it, else the same server through python -m."""
    import sys

    from sitrep import cli

    names = {c.name or (c.callback.__name__ if c.callback else "")
             for c in cli.app.registered_commands}
    base = [sys.executable, "-m", "sitrep.cli", "serve"] if "serve" in names else [
        sys.executable, "-m", "sitrep.serve"]
    return [*base, "--db", db, "--host", "127.0.0.1", "--port", str(port)]


@pytest.fixture(scope="session")
def live_server(
    tmp_path_factory: pytest.TempPathFactory, serve_articles: list[Any], serve_extractor: Any
) -> Iterator[str]:
    """`sitrep serve` on a filled SQLite file, on 127.0.0.1 and a free port; its base URL."""
    import sys
    import urllib.request

    folder = tmp_path_factory.mktemp("live-server")
    db = str(folder / "sitrep.db")
    fill_serve_db(f"sqlite:///{db}", serve_articles, serve_extractor)
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "SITREP_TOKEN"}
    src = str(Path(__file__).resolve().parents[1] / "src")
    env["PYTHONPATH"] = os.pathsep.join([src, env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    log = (folder / "server.log").open("w")
    proc = subprocess.Popen(_serve_command(db, port), env=env, stdout=log,
                            stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError(
                    f"the server exited ({proc.returncode}):\n"
                    + (folder / "server.log").read_text(errors="replace")[-3000:])
            try:
                with urllib.request.urlopen(f"{base}/api/stats", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not answer within 60 s")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)
        log.close()
        print(f"server log: {folder / 'server.log'}", file=sys.stderr)
