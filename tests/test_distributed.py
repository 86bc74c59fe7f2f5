"""Extraction on a Dask cluster (``sitrep ingest --dask``) leaves the same database as a
one-process run: same articles in the same order, same extractions, same copy groups, also
when a worker process is killed midway.

One local cluster (two single-threaded worker processes, the model loaded once per worker)
serves the whole module; the reference is one in-process run of the same corpus.
"""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import distributed
import pytest
from typer.testing import CliRunner

from newscorpus import write_corpus
from sitrep.cli import app
from sitrep.extract.pipeline import ExtractOptions
from sitrep.ingest import IngestOptions, IngestSummary, ingest
from sitrep.run.cluster import parse_dask, warm_workers
from sitrep.store import Store

BATCH = 4  # small batches: many tasks in flight on a small corpus


def full_snapshot(url: str) -> dict[str, Any]:
    """Everything a run leaves, by article key (row ids and run numbers differ by run)."""
    with Store.open(url) as store:
        arts = store.articles(limit=None)  # id order: the order articles were stored in
        key_of = {a["id"]: a["key"] for a in arts}
        signatures = {key_of[aid]: sig for aid, _group, sig in store.signatures()}
        records = {}
        for a in arts:
            record = store.record(a["id"])
            records[a["key"]] = {
                "ext_id": a["ext_id"], "title": a["title"], "outlet": a["outlet"],
                "published": str(a["published"]), "signature": signatures[a["key"]],
                **{part: json.dumps((record or {}).get(part), sort_keys=True)
                   for part in ("claims", "statements", "events")},
            }
        groups: dict[str, list[str]] = {}
        reps = {g["id"]: key_of[g["representative"]] for g in store.copy_groups(limit=None)}
        for a in arts:
            groups.setdefault(reps[a["copy_group"]], []).append(a["key"])
        return {
            "order": [a["key"] for a in arts],
            "articles": records,
            "groups": groups,
            # A set: each run records its rejects again.
            "rejects": sorted({(r["location"], r["reason"])
                               for r in store.rejects(limit=None)}),
        }


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    """Two single-threaded worker processes with the model loaded; stopped after the module."""
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    ) as local, distributed.Client(local) as client:
        assert warm_workers(client) == 2
        yield local


@pytest.fixture(scope="module")
def client(cluster: Any) -> Iterator[Any]:
    """The test's own client on the cluster (to look at and kill workers)."""
    with distributed.Client(cluster.scheduler_address) as own:
        yield own


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Realistic articles with syndicated copies (44), a bad line (a reject) and two repeats
    (stored once): of an article stored long before, and of the one in the batch just before,
    still being extracted when the repeat is read (it must not be sent to a worker again).

    In batches of 4 the 47 lines are 12 batches; the last holds the reject and the repeats.
    """
    path = tmp_path_factory.mktemp("dask-corpus") / "feed.jsonl"
    rows = write_corpus(path, 36, copy_every=5)
    assert len(rows) == 44
    with path.open("a", encoding="utf-8") as fh:
        fh.write("{not json\n")
        fh.write(json.dumps({**rows[3], "id": "repeat-of-3"}) + "\n")
        fh.write(json.dumps({**rows[-1], "id": "repeat-of-last"}) + "\n")
    return path


@pytest.fixture(scope="module")
def reference(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The corpus ingested in this process: its snapshot and its summary counts."""
    url = f"sqlite:///{tmp_path_factory.mktemp('dask-ref') / 'reference.db'}"
    summary = ingest([str(corpus)], IngestOptions(db=url, batch_size=BATCH))
    assert summary.stored == 44 and summary.copies == 8 and summary.known == 2
    return {"snapshot": full_snapshot(url), "counts": summary.counts()}


def test_dask_ingest_equals_a_single_process_run(
    db_url: str, cluster: Any, client: Any, corpus: Path, reference: dict[str, Any]
) -> None:
    options = IngestOptions(db=db_url, batch_size=BATCH,
                            extract=ExtractOptions(dask=cluster.scheduler_address))
    with distributed.get_task_stream(client) as tasks:
        summary = ingest([str(corpus)], options)
    assert summary.counts() == reference["counts"]
    assert full_snapshot(db_url) == reference["snapshot"]
    # PostgreSQL takes concurrent writers: the workers saved their batches (in whatever
    # order they finished). SQLite has one writer, the ingesting process.
    kinds = {str(t["key"]).split("-")[0] for t in tasks.data}
    assert kinds == ({"save_batch_in_worker"} if db_url.startswith("postgresql")
                     else {"extract_batch_in_worker"})

    # --reprocess on the workers: every article read is re-extracted (the repeats too, as
    # in one process) and the database stays the same.
    options.reprocess = True
    again = ingest([str(corpus)], options)
    assert (again.stored, again.known, again.reprocessed) == (0, 46, 46)
    assert full_snapshot(db_url) == reference["snapshot"]


def test_local_worker_processes_equal_a_single_process_run(
    tmp_path: Path, corpus: Path, reference: dict[str, Any]
) -> None:
    # --workers 2 without Dask: two spawned processes, each with the model loaded once.
    url = f"sqlite:///{tmp_path / 'workers.db'}"
    summary = ingest([str(corpus)], IngestOptions(db=url, batch_size=BATCH,
                                                      extract=ExtractOptions(workers=2)))
    assert summary.counts() == reference["counts"]
    assert full_snapshot(url) == reference["snapshot"]


def test_known_articles_are_not_sent_to_workers(
    tmp_path: Path, cluster: Any, client: Any, corpus: Path, reference: dict[str, Any]
) -> None:
    url = f"sqlite:///{tmp_path / 'part.db'}"
    lines = corpus.read_text(encoding="utf-8").splitlines(keepends=True)
    head = tmp_path / "head.jsonl"
    head.write_text("".join(lines[:20]), encoding="utf-8")  # five whole batches
    ingest([str(head)], IngestOptions(db=url, batch_size=BATCH))

    options = IngestOptions(db=url, batch_size=BATCH,
                            extract=ExtractOptions(dask=cluster.scheduler_address))
    with distributed.get_task_stream(client) as tasks:
        summary = ingest([str(corpus)], options)
    extracted = [t for t in tasks.data if str(t["key"]).startswith("extract_batch")]
    # 47 lines in batches of 4: the first 5 batches are known, the last holds only the
    # reject and the two repeats; the 6 between go to the workers.
    assert len(extracted) == 6
    assert summary.known == 22 and summary.stored == 24
    assert full_snapshot(url)["order"] == reference["snapshot"]["order"]
    assert full_snapshot(url)["groups"] == reference["snapshot"]["groups"]


def test_a_worker_killed_midway_loses_and_duplicates_nothing(
    db_url: str, cluster: Any, client: Any, corpus: Path, reference: dict[str, Any]
) -> None:
    # A worker killed by the test before (the other backend) comes back as a new process:
    # wait for it and load its model, so the run starts with two warm workers.
    client.wait_for_workers(2, timeout=120)
    warm_workers(client)
    before = client.run(os.getpid)  # worker address -> pid
    killed: list[int] = []
    lost: list[str] = []  # the keys of the tasks the killed worker held

    def kill_a_busy_worker(summary: IngestSummary) -> None:
        # Called after each saved batch, while later ones are on the workers: kill a worker
        # that holds tasks, with no chance to clean up. (If both happen to be idle, try
        # again after the next batch.)
        if killed:
            return
        busy = [(w, keys) for w, keys in client.processing().items() if keys and w in before]
        if not busy:
            return
        worker, keys = busy[0]
        lost.extend(str(k) for k in keys)
        killed.append(before[worker])
        os.kill(before[worker], signal.SIGKILL)

    options = IngestOptions(db=db_url, batch_size=2,
                            extract=ExtractOptions(dask=cluster.scheduler_address))
    summary = ingest([str(corpus)], options, kill_a_busy_worker)

    assert killed, "no worker held a task while the run went on: none was killed"
    # The scheduler gave the killed worker's tasks to a worker again (they went to
    # "processing" twice) and they finished there. (A task that finished just before the
    # kill, its result already taken, is not run again: hence "some".)
    transitions = client.run_on_scheduler(_transitions, keys=lost)
    ran_again = [key for key in lost
                 if sum(t[0] == key and t[2] == "processing" for t in transitions) >= 2
                 and (key, "processing", "memory") in transitions]
    assert ran_again, (lost, transitions)
    assert summary.counts() == reference["counts"]
    snap = full_snapshot(db_url)
    assert len(snap["order"]) == len(set(snap["order"])) == 44
    assert snap == reference["snapshot"]


def _transitions(dask_scheduler: Any, keys: list[str]) -> list[tuple[str, str, str]]:
    """(key, from state, to state) of the scheduler's recent transitions of ``keys``."""
    wanted = set(keys)
    return [(str(t[0]), str(t[1]), str(t[2])) for t in dask_scheduler.transition_log
            if str(t[0]) in wanted]


def test_cli_ingest_on_a_scheduler(
    tmp_path: Path, cluster: Any, corpus: Path, reference: dict[str, Any]
) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    result = CliRunner().invoke(app, [
        "ingest", str(corpus), "--db", url, "--quiet", "--dask", cluster.scheduler_address,
    ])
    assert result.exit_code == 0, result.output
    assert "read 46, stored 44, already known 2, copies 8, rejected 1" in result.stdout
    assert full_snapshot(url)["order"] == reference["snapshot"]["order"]


def test_cli_extract_on_a_scheduler_prints_what_one_process_prints(
    tmp_path: Path, cluster: Any
) -> None:
    # One runner for every command: `sitrep extract` takes --dask as ingest does.
    src = tmp_path / "two.jsonl"
    src.write_text("".join(json.dumps({"id": f"a{i}", "text": text, "published": "2024-05-02"})
                           + "\n" for i, text in enumerate([
        "Shelling killed two civilians in Kherson on Monday, the regional governor said.",
        "A drone strike on Odesa injured five people overnight, officials said.",
    ])), encoding="utf-8")
    here = CliRunner().invoke(app, ["extract", str(src)])
    there = CliRunner().invoke(app, ["extract", str(src), "--dask", cluster.scheduler_address])
    assert here.exit_code == 0 and there.exit_code == 0, there.output
    assert there.stdout == here.stdout
    assert [json.loads(line)["id"] for line in there.stdout.splitlines()] == ["a0", "a1"]


@pytest.mark.parametrize("value", ["foo", "local:0", "local:two", "tcp://host", "http://h:1"])
@pytest.mark.parametrize("command", ["ingest", "extract"])
def test_cli_rejects_a_bad_dask_value(
    tmp_path: Path, corpus: Path, value: str, command: str
) -> None:
    db = tmp_path / "never.db"
    where = ["--db", str(db)] if command == "ingest" else []
    result = CliRunner().invoke(app, [command, str(corpus), *where, "--dask", value])
    assert result.exit_code == 2
    assert "--dask: [E50" in result.stderr and f"{value!r}" in result.stderr
    assert "tcp://HOST:PORT or local:N" in result.stderr or "local:N needs" in result.stderr
    assert not db.exists()  # refused before anything was opened


def test_cli_names_a_scheduler_that_does_not_answer(
    tmp_path: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    import sitrep.run.cluster

    monkeypatch.setattr(sitrep.run.cluster, "CONNECT_TIMEOUT", "1s")  # refused: retried until then
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    result = CliRunner().invoke(app, ["ingest", str(corpus), "--db", str(tmp_path / "x.db"),
                                      "--quiet", "--dask", address])
    assert result.exit_code == 1
    assert f"--dask {address}" in result.stderr


def test_a_scheduler_without_workers_is_named(
    tmp_path: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sitrep.run.cluster

    monkeypatch.setattr(sitrep.run.cluster, "WORKER_TIMEOUT", 1)
    with distributed.LocalCluster(n_workers=0, dashboard_address=":0") as empty:
        options = IngestOptions(db=f"sqlite:///{tmp_path / 'x.db'}",
                                extract=ExtractOptions(dask=empty.scheduler_address))
        with pytest.raises(ConnectionError, match=f"--dask {empty.scheduler_address}: .*no work"):
            ingest([str(corpus)], options)
    with Store.open(f"sqlite:///{tmp_path / 'x.db'}") as store:
        assert store.runs() == []  # refused before a run was recorded


def test_parse_dask_accepts_both_forms() -> None:
    assert parse_dask("local:3").local_workers == 3
    assert parse_dask("tcp://[::1]:8786").address == "tcp://[::1]:8786"
    with pytest.raises(ValueError, match="'tcp://h:99999'"):
        parse_dask("tcp://h:99999")
