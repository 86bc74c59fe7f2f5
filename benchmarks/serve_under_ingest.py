"""Dashboard and API latency while an ingest writes to the database the server reads.

Builds a SQLite database of ``--claims`` claims (contract records stored directly, with
``build`` of benchmarks/load_claims.py: no spaCy), starts ``python -m sitrep.serve`` on it
(127.0.0.1, a free port), warms its caches with one request per path, then starts an ingest
of ``--articles`` real articles from ``../shared/data/news_dev_pool.jsonl`` into the same file
in another process. Once the ingest has stored its first article, ``--clients`` concurrent
clients (asyncio + httpx) request ``/``, ``/api/stats`` and ``/api/claims`` in turn for
``--seconds``. The ingest is ``sitrep.ingest.ingest`` (what ``sitrep ingest`` runs) with
batches of ``--batch-size`` articles (default 1: a write per article, as a feed trickles in;
``sitrep ingest`` saves 32 at a time, which on a busy 2-core machine writes about once in 20 s
and so would hardly test anything). Prints the requests served, the errors, p50/p95/p99
latency per path and overall, and how many articles the ingest stored during the window; then
stops the ingest and the server.

The server runs the sitrep found on ``--src`` (default: ``$PYTHONPATH`` if set, else this
checkout's src/), so the same script measures an older commit checked out elsewhere:

    git worktree add /tmp/old <commit>
    PYTHONPATH=/tmp/old/src .venv/bin/python benchmarks/serve_under_ingest.py

Loopback only; the load is bounded (at most 120 s, 100 clients) and stops by itself.

Run: .venv/bin/python benchmarks/serve_under_ingest.py [--claims 10000] [--articles 1000]
     [--batch-size 1] [--clients 10] [--seconds 20]
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
POOL = ROOT.parent / "shared" / "data" / "news_dev_pool.jsonl"
PATHS = ("/", "/api/stats", "/api/claims")
HOST = "127.0.0.1"  # loopback only: never another address
MAX_SECONDS = 120
MAX_CLIENTS = 100
BUILD = """\
import importlib.util, sys
src, script, db, n = sys.argv[1:5]
sys.path.insert(0, src)
import sitrep.store  # this sitrep, before load_claims puts the checkout's src first
spec = importlib.util.spec_from_file_location("load_claims", script)
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
print(module.build(__import__("pathlib").Path(db), int(n)))
"""
INGEST = """\
import sys
from sitrep.ingest import IngestOptions, ingest
pool, db, batch = sys.argv[1], sys.argv[2], int(sys.argv[3])
ingest([pool], IngestOptions(db=db, batch_size=batch,
                             command="benchmarks/serve_under_ingest.py"))
"""


def _load_claims_module() -> Any:
    """benchmarks/load_claims.py, for its database builder and server helpers."""
    spec = importlib.util.spec_from_file_location("load_claims", ROOT / "benchmarks" /
                                                  "load_claims.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _articles_in(db: Path) -> int:
    """Articles stored in ``db`` now (a read-only look; WAL lets it run beside the writer)."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30) as conn:
        return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])


def _pool_sample(n: int, folder: Path) -> Path:
    """The first ``n`` articles of the dev pool as a JSONL file for ``sitrep ingest``."""
    if not POOL.exists():
        raise SystemExit(f"{POOL} is missing: this benchmark ingests real articles from it")
    out = folder / "pool.jsonl"
    with POOL.open(encoding="utf-8") as src, out.open("w", encoding="utf-8") as dst:
        for i, line in enumerate(src):
            if i >= n:
                break
            dst.write(line)
    return out


async def _client(base: str, deadline: float, first: int, client: httpx.AsyncClient,
                  latencies: dict[str, list[float]], errors: list[str]) -> None:
    turn = first
    while time.perf_counter() < deadline:
        path = PATHS[turn % len(PATHS)]
        turn += 1
        t0 = time.perf_counter()
        try:
            answer = await client.get(f"{base}{path}")
            if answer.status_code != 200:
                errors.append(f"{answer.status_code} {path}")
        except httpx.HTTPError as exc:
            errors.append(f"{type(exc).__name__} {path}")
        latencies[path].append(time.perf_counter() - t0)


def _figures(seconds: list[float]) -> dict[str, Any]:
    ms = sorted(x * 1000 for x in seconds)

    def pct(p: float) -> float:
        return round(ms[min(len(ms) - 1, int(p / 100 * len(ms)))], 1) if ms else float("nan")

    return {"requests": len(ms), "p50_ms": pct(50), "p95_ms": pct(95), "p99_ms": pct(99),
            "max_ms": round(ms[-1], 1) if ms else None}


async def load(base: str, clients: int, seconds: float) -> dict[str, Any]:
    """``clients`` concurrent clients for ``seconds``, each cycling through ``PATHS``."""
    latencies: dict[str, list[float]] = {p: [] for p in PATHS}
    errors: list[str] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(limits=limits, timeout=60.0, trust_env=False) as client:
        deadline = time.perf_counter() + seconds
        await asyncio.gather(*(
            _client(base, deadline, i, client, latencies, errors) for i in range(clients)
        ))
    every = [x for xs in latencies.values() for x in xs]
    return {"all": _figures(every), **{p: _figures(xs) for p, xs in latencies.items()},
            "errors": len(errors), "first_errors": errors[:5]}


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=15)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--claims", type=int, default=10_000,
                        help="claims in the database before the ingest")
    parser.add_argument("--articles", type=int, default=1000, help="articles to ingest")
    parser.add_argument("--batch-size", type=int, default=1,
                        help="articles the ingest saves at a time")
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--src", default=os.environ.get("PYTHONPATH") or str(ROOT / "src"),
                        help="the sitrep source folder the server and the ingest run")
    args = parser.parse_args()
    if not 1 <= args.clients <= MAX_CLIENTS:
        parser.error(f"--clients must be 1..{MAX_CLIENTS}")
    if not 0 < args.seconds <= MAX_SECONDS:
        parser.error(f"--seconds must be in (0, {MAX_SECONDS}]")

    lc = _load_claims_module()
    work = Path(tempfile.mkdtemp(prefix="sitrep-serve-ingest-"))
    db = work / "sitrep.db"
    pool = _pool_sample(args.articles, work)
    env = {k: v for k, v in os.environ.items() if k != "SITREP_TOKEN"}
    env["PYTHONPATH"] = args.src
    built = subprocess.run(  # by the sitrep under test: its schema, its migrations
        [sys.executable, "-c", BUILD, args.src, str(ROOT / "benchmarks" / "load_claims.py"),
         str(db), str(args.claims)], env=env, check=True, capture_output=True, text=True)
    n_claims = int(built.stdout.split()[-1])
    print(f"database: {db} ({n_claims} claims before the ingest); sitrep from {args.src}",
          flush=True)
    port = lc._free_port()
    base = f"http://{HOST}:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "sitrep.serve", "--db", str(db), "--host", HOST,
         "--port", str(port), "--log-level", "warning"], env=env)
    ingest: subprocess.Popen[bytes] | None = None
    try:
        lc._wait(base, server)
        t0 = time.perf_counter()
        for path in PATHS:  # the first computation of every cache
            httpx.get(f"{base}{path}", timeout=120, trust_env=False).raise_for_status()
        print(f"warm-up (first computation of the caches): {time.perf_counter() - t0:.1f}s",
              flush=True)
        before = _articles_in(db)
        ingest = subprocess.Popen(
            [sys.executable, "-c", INGEST, str(pool), str(db), str(args.batch_size)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 300
        while _articles_in(db) == before:  # the model loads first; wait for real writes
            if ingest.poll() is not None:
                raise SystemExit(f"the ingest exited ({ingest.returncode}): "
                                 f"{(ingest.stderr.read() if ingest.stderr else b'')[-2000:]!r}")
            if time.monotonic() > deadline:
                raise SystemExit("the ingest stored nothing within 300 s")
            time.sleep(0.2)
        start_count = _articles_in(db)
        print(f"load: {args.clients} clients for {args.seconds:.0f}s on {', '.join(PATHS)} "
              f"while the ingest writes", flush=True)
        figures = asyncio.run(load(base, args.clients, args.seconds))
        ingested = _articles_in(db) - start_count
        still_writing = ingest.poll() is None
    finally:
        if ingest is not None:
            _stop(ingest)
        _stop(server)
        shutil.rmtree(work, ignore_errors=True)
    a = figures["all"]
    print(f"requests {a['requests']}, errors {figures['errors']}, p50 {a['p50_ms']} ms, "
          f"p95 {a['p95_ms']} ms, p99 {a['p99_ms']} ms (max {a['max_ms']} ms); "
          f"{ingested} articles ingested during the window"
          f"{'' if still_writing else ' (the ingest finished inside the window)'}")
    for path in PATHS:
        f = figures[path]
        print(f"  {path:<12} {f['requests']:>5} requests  p50 {f['p50_ms']:>8} ms  "
              f"p95 {f['p95_ms']:>8} ms  p99 {f['p99_ms']:>8} ms")
    print(json.dumps({"claims_before": n_claims, "clients": args.clients,
                      "seconds": args.seconds, "ingested_in_window": ingested,
                      "src": args.src, **figures}))


if __name__ == "__main__":
    main()
