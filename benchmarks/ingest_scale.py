"""Ingest throughput, peak memory and database size for generated corpora of growing size.

Memory must stay flat as the corpus grows (ingest streams; it never holds the corpus), so
the run is repeated at each size and peak RSS compared.

Run: .venv/bin/python benchmarks/ingest_scale.py --sizes 1000 10000 [--workers 1]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from newscorpus import write_corpus  # noqa: E402


def run_once(n: int, workers: int, folder: Path) -> dict[str, float]:
    corpus = folder / f"corpus-{n}.jsonl"
    rows = write_corpus(corpus, n, copy_every=10)
    db = folder / f"bench-{n}.db"
    cmd = [sys.executable, "-m", "sitrep.cli", "ingest", str(corpus), "--db", str(db),
           "--quiet", "--workers", str(workers)]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    db_bytes = sum(p.stat().st_size for p in folder.glob(f"bench-{n}.db*"))
    words = sum(len(r["text"].split()) for r in rows)
    return {
        "articles": len(rows),
        "seconds": round(seconds, 1),
        "articles_per_s": round(len(rows) / seconds, 1),
        "words_per_s": round(words / seconds),
        "peak_rss_mib": round(max(peak_kib, before) / 1024, 1),
        "db_mib": round(db_bytes / 2**20, 1),
        "summary": proc.stdout.strip().splitlines()[-1],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for n in sorted(args.sizes):
            # Each size in a fresh child so ru_maxrss is that run's own peak.
            print(json.dumps(run_once(n, args.workers, Path(tmp))), flush=True)


if __name__ == "__main__":
    main()
