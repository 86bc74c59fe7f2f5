"""How ``sitrep ingest --dask`` scales with the number of worker processes W, and what the
ingesting process (the driver) costs per article.

The default corpus is full real articles: ``../shared/data/news_dev_pool.jsonl`` and PolNeAR's
train part (``polnear_attribution_train.jsonl``), distinct texts only (about 2,030, 3,600 to
4,600 characters on average, the longest over 30,000), with their own ids and dates;
``--limit N`` takes N of them spread evenly through the list (both sources in), so that a run
on a small machine takes minutes. The corpus is ingested into a fresh SQLite file once per W
(``--postgres URL``: a fresh database on that server, where the workers save their batches).

The cluster runs outside the ingesting process: a ``dask scheduler`` process and W
single-threaded ``dask worker`` processes, started before and stopped after each timing. So
this process's CPU time (``getrusage``: user + system, all its threads, the Dask client's
included) is the driver's alone: reading, look-ups, saving, copy groups, counting. The
scheduler's and each worker's CPU seconds are reported beside it. The workers load the model
and run a small warm-up ingest before the clock starts. The key figure is
``driver_cpu_s_per_1000``: the driver's CPU-seconds per 1,000 articles, the serial work that
caps the speed-up at any number of workers (Amdahl). A run also has a fixed cost (connecting
to the scheduler, opening the store, recording the run), measured as the driver CPU of a
4-article ingest on the warm cluster; ``driver_cpu_s_per_1000_marginal`` leaves it out, which
matters for a short ``--limit`` run. ``driver_main_thread_cpu_s`` is the ingesting thread's
share (the rest is the Dask client's thread: messages, results' deserialisation).

Prints a table (workers, seconds, articles/s, speed-up over 1 worker, efficiency =
speed-up / W, CPU seconds of driver / scheduler / workers) and the load average, which
matters on a shared machine; --json prints the figures as JSON. --sequential adds the
in-process path (no Dask) for reference. ``--profile FILE`` runs the first timing under
cProfile (the ingesting thread only), writes the stats to FILE and prints the top functions.

Run: .venv/bin/python benchmarks/dask_scaling.py [--limit 400] [--workers 1 2] [--json]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from sitrep.bench import read_corpus  # noqa: E402
from sitrep.extract.pipeline import ExtractOptions  # noqa: E402
from sitrep.ingest import IngestOptions, ingest  # noqa: E402

#: The default corpus: full real articles, distinct texts (files under ``--data``/data).
CORPUS_FILES = ("news_dev_pool.jsonl", "polnear_attribution_train.jsonl")
START_TIMEOUT = 120.0  # seconds for the scheduler and workers to come up


def real_articles(shared: Path, limit: int | None = None) -> list[dict[str, Any]]:
    """The default corpus as input rows (id, published, title, text), distinct texts only;
    ``limit`` of them spread evenly through the list. Empty when the files are absent."""
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for name in CORPUS_FILES:
        path = shared / "data" / name
        if not path.is_file():
            continue
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if not line.strip():
                    continue
                obj = json.loads(line)
                text = obj.get("text") or ""
                if not text.strip() or text in seen:
                    continue
                seen.add(text)
                rows.append({"id": obj["id"], "published": obj.get("published") or obj.get("date"),
                             "title": obj.get("title"), "text": text})
    if limit and len(rows) > limit:
        rows = [rows[i * len(rows) // limit] for i in range(limit)]
    return rows


def write_rows(rows: list[dict[str, Any]], path: Path) -> None:
    """Rows as a JSON Lines corpus in the contract's input shape."""
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row) + "\n")


def cpu_seconds() -> float:
    """This process's CPU time (user + system, all threads), in seconds."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@contextmanager
def external_cluster(n: int, folder: Path) -> Iterator[str]:
    """A scheduler process and ``n`` single-threaded worker processes; the scheduler address."""
    from distributed import Client

    scheduler_file = folder / f"scheduler-{n}.json"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")]))}
    bindir = Path(sys.executable).parent
    log = (folder / f"cluster-{n}.log").open("w")
    procs = [subprocess.Popen(
        [sys.executable, "-m", "distributed.cli.dask_scheduler", "--scheduler-file",
         str(scheduler_file), "--port", "0", "--dashboard-address", ":0", "--no-show"],
        env=env, stdout=log, stderr=subprocess.STDOUT, cwd=bindir)]
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not scheduler_file.exists():
            if time.monotonic() > deadline or procs[0].poll() is not None:
                raise RuntimeError(f"the Dask scheduler did not start; see {log.name}")
            time.sleep(0.2)
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "distributed.cli.dask_worker", "--scheduler-file",
             str(scheduler_file), "--nworkers", str(n), "--nthreads", "1",
             "--dashboard-address", ":0", "--no-dashboard"],
            env=env, stdout=log, stderr=subprocess.STDOUT, cwd=bindir))
        address = json.loads(scheduler_file.read_text())["address"]
        with Client(address, timeout="30s") as client:
            client.wait_for_workers(n, timeout=START_TIMEOUT)
        yield address
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in reversed(procs):
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        log.close()


#: A PostgreSQL server (``--postgres``): each ingest then gets a fresh database there instead
#: of a fresh SQLite file, and the workers save their batches (``sitrep.run.writing``).
POSTGRES: str | None = None


def _database(db: Path) -> str:
    """A fresh, empty database for one ingest: the SQLite file ``db``, or on ``POSTGRES``
    a database named after it (dropped first if a run before left it)."""
    if POSTGRES is None:
        return f"sqlite:///{db}"
    from sqlalchemy import create_engine, make_url, text

    name = "sitrep_bench_" + "".join(c if c.isalnum() else "_" for c in db.stem)
    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(POSTGRES).set(database=name).render_as_string(hide_password=False)


def _options(db: Path, dask: str | None, batch_size: int) -> IngestOptions:
    return IngestOptions(db=_database(db), extract=ExtractOptions(dask=dask),
                         batch_size=batch_size,
                         published=date(2024, 6, 1), command="benchmarks/dask_scaling.py")


def timed_ingest(corpus: Path, db: Path, dask: str | None, batch_size: int,
                 client: Any = None, profile: Path | None = None) -> dict[str, Any]:
    """One timed ingest of ``corpus`` into a fresh SQLite file.

    Besides wall-clock seconds, the CPU seconds of this process (the driver), of the scheduler
    and of each worker: on a shared machine they show how the work was split even when the
    other load leaves no core free for a second worker.
    """
    options = _options(db, dask, batch_size)
    workers_before = client.run(cpu_seconds) if client is not None else {}
    scheduler_before = client.run_on_scheduler(cpu_seconds) if client is not None else 0.0
    load_before = os.getloadavg()[0]
    profiler = cProfile.Profile() if profile is not None else None
    driver_before, main_before = cpu_seconds(), time.thread_time()
    t0 = time.perf_counter()
    if profiler is not None:
        profiler.enable()
    summary = ingest([str(corpus)], options)
    if profiler is not None:
        profiler.disable()
    seconds = time.perf_counter() - t0
    driver, main = cpu_seconds() - driver_before, time.thread_time() - main_before
    workers_after = client.run(cpu_seconds) if client is not None else {}
    scheduler = (client.run_on_scheduler(cpu_seconds) - scheduler_before
                 if client is not None else None)
    if profiler is not None and profile is not None:
        profiler.dump_stats(str(profile))
    return {
        "seconds": round(seconds, 2),
        "articles": summary.read,
        "stored": summary.stored,
        "copies": summary.copies,
        "articles_per_s": round(summary.read / seconds, 1),
        "driver_cpu_s": round(driver, 2),
        "driver_cpu_s_per_1000": round(1000 * driver / max(1, summary.read), 2),
        "driver_main_thread_cpu_s": round(main, 2),
        "scheduler_cpu_s": round(scheduler, 2) if scheduler is not None else None,
        "worker_cpu_s": [round(workers_after[w] - workers_before[w], 1)
                         for w in sorted(workers_before) if w in workers_after],
        "load_1min_before": round(load_before, 2),
        "load_1min_after": round(os.getloadavg()[0], 2),
        "profiled": profiler is not None,
    }


def run_workers(n: int, corpus: Path, warmup: Path, folder: Path, batch_size: int,
                profile: Path | None = None) -> dict[str, Any]:
    """Start a cluster of ``n`` workers outside this process, warm it, time one ingest."""
    from distributed import Client

    from sitrep.run.cluster import warm_workers

    with external_cluster(n, folder) as address, Client(address) as client:
        warm_workers(client)
        # A small ingest through the same path, so that imports and first calls on every
        # worker are paid before the clock starts.
        ingest([str(warmup)], _options(folder / f"warm-{n}.db", address, 2))
        # The run's fixed cost (connecting, opening the store, recording the run): the
        # driver CPU of a second small ingest, warm.
        fixed = timed_ingest(warmup, folder / f"fixed-{n}.db", address, 2, client)
        row = timed_ingest(corpus, folder / f"bench-{n}.db", address, batch_size, client,
                           profile)
    marginal = (row["driver_cpu_s"] - fixed["driver_cpu_s"]) / max(1, row["articles"])
    return {"workers": n, **row, "driver_fixed_cpu_s": fixed["driver_cpu_s"],
            "driver_cpu_s_per_1000_marginal": round(1000 * marginal, 2)}


def run_sequential(corpus: Path, warmup: Path, folder: Path, batch_size: int) -> dict[str, Any]:
    """The in-process path, model loaded (by a warm-up ingest) before the clock starts."""
    ingest([str(warmup)], _options(folder / "warm-seq.db", None, batch_size))
    return {"workers": "in-process",
            **timed_ingest(corpus, folder / "bench-seq.db", None, batch_size)}


def print_profile(path: Path, top: int = 30) -> None:
    """The profiled ingest's top functions, by own time and by cumulative time."""
    for key in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(str(path), stream=out).strip_dirs().sort_stats(key).print_stats(top)
        print(f"--- driver profile, by {key} ---")
        print("\n".join(out.getvalue().splitlines()[4:]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path,
                        help="JSON Lines corpus (default: real articles under --data)")
    parser.add_argument("--limit", "--size", type=int, default=None, dest="limit",
                        help="articles to ingest (default: the whole corpus, about 2,000)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2],
                        help="worker counts to time (default: 1 2)")
    parser.add_argument("--batch-size", type=int, default=IngestOptions().batch_size,
                        help="most articles per Dask task (default: ingest's)")
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared",
                        help="folder with the reference data (default: ../shared)")
    parser.add_argument("--sequential", action="store_true",
                        help="also time the in-process path (no Dask)")
    parser.add_argument("--profile", type=Path, default=None,
                        help="cProfile the first timed ingest's driver into this file")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--postgres", default=None, metavar="URL",
                        help="a PostgreSQL server (URL of a database to connect to): ingest "
                             "into fresh databases there instead of SQLite files")
    args = parser.parse_args()
    global POSTGRES
    POSTGRES = args.postgres
    if any(n < 1 for n in args.workers):
        parser.error(f"--workers {args.workers}: each count must be at least 1")

    if args.corpus:
        rows = [{"id": f"bench-{i}", "published": "2024-06-01", "text": t}
                for i, t in enumerate(read_corpus(args.corpus, args.limit))]
    else:
        rows = real_articles(args.data, args.limit)
    if not rows:
        parser.error(f"no corpus given and no texts under {args.data}/data")
    chars = sum(len(r["text"]) for r in rows)
    with tempfile.TemporaryDirectory(prefix="sitrep-dask-bench-") as tmp:
        folder = Path(tmp)
        corpus, warmup = folder / "corpus.jsonl", folder / "warmup.jsonl"
        write_rows(rows, corpus)
        write_rows([{"id": f"warm-{i}", "published": "2024-06-01",
                     "text": f"Warm-up {i}: shelling killed {i + 2} people in Kherson, "
                             "officials said."} for i in range(4)], warmup)
        result = [run_workers(n, corpus, warmup, folder, args.batch_size,
                              args.profile if i == 0 else None)
                  for i, n in enumerate(args.workers)]
        if args.sequential:
            result.append(run_sequential(corpus, warmup, folder, args.batch_size))

    base = next((r["seconds"] for r in result if r["workers"] == 1), None)
    for r in result:
        speedup = base / r["seconds"] if base and isinstance(r["workers"], int) else None
        r["speedup"] = round(speedup, 2) if speedup else None
        r["efficiency"] = round(speedup / r["workers"], 2) if speedup else None
    figures = {"articles": len(rows), "characters": chars, "batch_size": args.batch_size,
               "store": "postgresql" if POSTGRES else "sqlite",
               "cpus": os.cpu_count(), "rows": result}
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print(f"{len(rows)} articles ({chars:,} characters; {result[0]['stored']} stored, "
              f"{result[0]['copies']} copies), batches of at most {args.batch_size}, "
              f"{os.cpu_count()} CPUs")
        print(f"{'workers':>10} {'seconds':>8} {'articles/s':>11} {'speed-up':>9} "
              f"{'efficiency':>10} {'load avg':>12}  driver CPU s (per 1,000; less the fixed "
              "cost) | scheduler | workers")
        for r in result:
            load = f"{r['load_1min_before']:.2f}→{r['load_1min_after']:.2f}"
            cpu = " ".join(str(c) for c in r["worker_cpu_s"]) or "-"
            flag = " (profiled)" if r["profiled"] else ""
            print(f"{r['workers']!s:>10} {r['seconds']:>8.1f} {r['articles_per_s']:>11.1f} "
                  f"{r['speedup'] if r['speedup'] is not None else '-':>9} "
                  f"{r['efficiency'] if r['efficiency'] is not None else '-':>10} {load:>12}  "
                  f"{r['driver_cpu_s']} ({r['driver_cpu_s_per_1000']}; "
                  f"{r.get('driver_cpu_s_per_1000_marginal', '-')}) | "
                  f"{r['scheduler_cpu_s'] if r['scheduler_cpu_s'] is not None else '-'} | "
                  f"{cpu}{flag}")
    if args.profile:
        print_profile(args.profile)


if __name__ == "__main__":
    main()
