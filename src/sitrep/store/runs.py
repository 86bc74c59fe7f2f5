"""Runs (one ingest command each: when it started, its counts, whether it finished or was
interrupted) and rejects (inputs that could not be used).

Example:
    >>> _run_counts({"read": 3, "stored": 2})
    {'read': 3, 'stored': 2}
"""

from __future__ import annotations

import hashlib
import os
import socket
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.engine import RowMapping

from sitrep.errors import Errors

from .base import StoreBase, _out, _page
from .rows import _int
from .schema import rejects, runs

RUN_COUNTS = ("read", "stored", "known", "copies", "rejected")
#: A run that saved nothing for this long, on a machine where its process cannot be looked
#: up, counts as interrupted (see ``Store.start_run``). An ingest saves a batch every few
#: seconds to a minute (the first one after the model loads).
RUN_STALE_AFTER = timedelta(minutes=15)


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


class RunMethods(StoreBase):
    """``Store``'s methods for runs and rejects."""

    def start_run(self, command: str, extractor_version: str | None = None) -> int:
        """Record the start of a run (one ingest command) and return its id.

        Earlier runs that never finished and whose process is gone are marked interrupted
        first (``interrupted_runs`` says which); their counts stay as their last progress
        left them.

        Example:
            >>> from sitrep.store import Store
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
            >>> from sitrep.store import Store
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
            >>> from sitrep.store import Store
            >>> Store.open("sqlite://").interrupted_runs()
            []
        """
        with self.engine.connect() as conn:
            return _interrupted(conn, _now())

    def finish_run(self, run_id: int, counts: Mapping[str, int] | None = None) -> None:
        """Record the end of a run and its counts (read, stored, known, copies, rejected).

        Example:
            >>> from sitrep.store import Store
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
            >>> from sitrep.store import Store
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
            >>> from sitrep.store import Store
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
            >>> from sitrep.store import Store
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
            >>> from sitrep.store import Store
            >>> Store.open("sqlite://").rejects()
            []
        """
        query = select(rejects).order_by(rejects.c.id)
        if run_id is not None:
            query = query.where(rejects.c.run_id == run_id)
        return self._fetch(_page(query, limit, offset))
