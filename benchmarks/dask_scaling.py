"""How ``sitrep ingest --dask local:W`` scales with the number of worker processes W.

One corpus (default: the real texts under ../shared/data, as ``sitrep bench`` uses, the first
--size of them) is ingested into a fresh SQLite file once per W, through ``sitrep.ingest``
with ``IngestOptions.dask`` pointing at a local cluster of W single-threaded workers. Cluster
start and model loading are not timed: the workers load the model and run a small warm-up
ingest first. Timed: the whole ingest (reading, look-ups, extraction on the workers, saving,
copy groups), the connection of the run's Dask client included (well under a second).

Prints a table (workers, seconds, articles/s, speed-up over 1 worker, efficiency =
speed-up / W) and the load average, which matters on a shared machine; --json prints the
figures as JSON. --sequential adds the in-process path (no Dask) for reference. The CPU
seconds of the driver and of each worker are given too: where other processes hold the cores,
wall-clock speed-up cannot show, but an even split of worker CPU time still does.

Run: .venv/bin/python benchmarks/dask_scaling.py [--size 600] [--workers 1 2] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from sitrep.bench import default_corpus, read_corpus  # noqa: E402
from sitrep.ingest import IngestOptions, ingest  # noqa: E402


def write_texts(texts: list[str], path: Path) -> None:
    """The texts as a JSON Lines corpus in the contract's input shape."""
    with path.open("w", encoding="utf-8") as fh:
        for i, text in enumerate(texts):
            fh.write(json.dumps({"id": f"bench-{i}", "published": "2024-06-01",
                                 "text": text}) + "\n")


def cpu_seconds() -> float:
    """This process's CPU time (user + system), in seconds."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def timed_ingest(corpus: Path, db: Path, dask: str | None, batch_size: int,
                 client: Any = None) -> dict[str, Any]:
    """One timed ingest of ``corpus`` into a fresh SQLite file.

    Besides wall-clock seconds, the CPU seconds of this process (the driver, and the
    scheduler of a local cluster) and of each worker: on a shared machine they show how the
    work was split even when the other load leaves no core free for a second worker.
    """
    options = IngestOptions(db=f"sqlite:///{db}", dask=dask, batch_size=batch_size,
                            published=date(2024, 6, 1), command="benchmarks/dask_scaling.py")
    workers_before = client.run(cpu_seconds) if client is not None else {}
    load_before = os.getloadavg()[0]
    driver_before = cpu_seconds()
    t0 = time.perf_counter()
    summary = ingest([str(corpus)], options)
    seconds = time.perf_counter() - t0
    driver = cpu_seconds() - driver_before
    workers_after = client.run(cpu_seconds) if client is not None else {}
    return {
        "seconds": round(seconds, 2),
        "articles": summary.read,
        "stored": summary.stored,
        "articles_per_s": round(summary.read / seconds, 1),
        "driver_cpu_s": round(driver, 1),
        "worker_cpu_s": [round(workers_after[w] - workers_before[w], 1)
                         for w in sorted(workers_before) if w in workers_after],
        "load_1min_before": round(load_before, 2),
        "load_1min_after": round(os.getloadavg()[0], 2),
    }


def run_workers(n: int, corpus: Path, warmup: Path, folder: Path,
                batch_size: int) -> dict[str, Any]:
    """Start a local cluster of ``n`` workers, warm it, time one ingest, stop it."""
    from distributed import Client, LocalCluster

    from sitrep.cluster import warm_workers

    with LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                      dashboard_address=":0") as cluster, Client(cluster) as client:
        warm_workers(client)
        # A small ingest through the same path, so that imports and first calls on every
        # worker are paid before the clock starts.
        ingest([str(warmup)], IngestOptions(db=f"sqlite:///{folder / f'warm-{n}.db'}",
                                            dask=cluster.scheduler_address, batch_size=2))
        row = timed_ingest(corpus, folder / f"bench-{n}.db", cluster.scheduler_address,
                           batch_size, client)
    return {"workers": n, **row}


def run_sequential(corpus: Path, warmup: Path, folder: Path, batch_size: int) -> dict[str, Any]:
    """The in-process path, model loaded (by a warm-up ingest) before the clock starts."""
    ingest([str(warmup)], IngestOptions(db=f"sqlite:///{folder / 'warm-seq.db'}"))
    return {"workers": "in-process",
            **timed_ingest(corpus, folder / "bench-seq.db", None, batch_size)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path,
                        help="JSON Lines corpus (default: ../shared/data texts)")
    parser.add_argument("--size", type=int, default=600, help="articles (default 600)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2],
                        help="worker counts to time (default: 1 2)")
    parser.add_argument("--batch-size", type=int, default=IngestOptions().batch_size,
                        help="articles per Dask task (default: ingest's)")
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared",
                        help="folder with the reference data (default: ../shared)")
    parser.add_argument("--sequential", action="store_true",
                        help="also time the in-process path (no Dask)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    if any(n < 1 for n in args.workers):
        parser.error(f"--workers {args.workers}: each count must be at least 1")

    texts = read_corpus(args.corpus, args.size) if args.corpus else default_corpus(
        args.data, args.size)
    if not texts:
        parser.error(f"no corpus given and no texts under {args.data}/data")
    with tempfile.TemporaryDirectory(prefix="sitrep-dask-bench-") as tmp:
        folder = Path(tmp)
        corpus, warmup = folder / "corpus.jsonl", folder / "warmup.jsonl"
        write_texts(texts, corpus)
        write_texts([f"Warm-up {i}: shelling killed {i + 2} people in Kherson, officials "
                     "said." for i in range(4)], warmup)
        rows = [run_workers(n, corpus, warmup, folder, args.batch_size)
                for n in args.workers]
        if args.sequential:
            rows.append(run_sequential(corpus, warmup, folder, args.batch_size))

    base = next((r["seconds"] for r in rows if r["workers"] == 1), None)
    for r in rows:
        speedup = base / r["seconds"] if base and isinstance(r["workers"], int) else None
        r["speedup"] = round(speedup, 2) if speedup else None
        r["efficiency"] = round(speedup / r["workers"], 2) if speedup else None
    figures = {"articles": len(texts), "batch_size": args.batch_size,
               "cpus": os.cpu_count(), "rows": rows}
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"{len(texts)} articles ({rows[0]['stored']} distinct texts stored), batches of "
          f"{args.batch_size}, {os.cpu_count()} CPUs")
    print(f"{'workers':>10} {'seconds':>8} {'articles/s':>11} {'speed-up':>9} "
          f"{'efficiency':>10} {'load avg':>12}  CPU s: driver | workers")
    for r in rows:
        load = f"{r['load_1min_before']:.2f}→{r['load_1min_after']:.2f}"
        cpu = " ".join(str(c) for c in r["worker_cpu_s"]) or "-"
        print(f"{r['workers']!s:>10} {r['seconds']:>8.1f} {r['articles_per_s']:>11.1f} "
              f"{r['speedup'] if r['speedup'] is not None else '-':>9} "
              f"{r['efficiency'] if r['efficiency'] is not None else '-':>10} {load:>12}  "
              f"{r['driver_cpu_s']} | {cpu}")


if __name__ == "__main__":
    main()
