"""The store side of ingest (save, copy grouping, run progress) per article, without
extraction: one run alone, or two runs at once into one database (each half the corpus).

The extractor is a stand-in that returns a record without claims, so what is timed is what
the ingesting process does per article: the save transaction (with the article lock and the
look-up of articles other runs stored since) and, per batch, the run's progress row.

Run: .venv/bin/python benchmarks/ingest_store_side.py --articles 2000 [--runs 1 2] [--db URL]
(``--db``: an empty PostgreSQL database, for one value of ``--runs``; default a new SQLite file
in a temp folder for each)
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from newscorpus import make_article, syndicated_copy  # noqa: E402
from sitrep.ingest import IngestOptions, ingest_articles  # noqa: E402
from sitrep.model import Article  # noqa: E402
from sitrep.store import Store  # noqa: E402


class RecordOnly:
    def extract(self, articles: Iterable[Article], chunk: int = 64) -> Iterator[dict[str, Any]]:
        return iter([{"schema": 1, "id": a.id, "claims": []} for a in articles])


def corpus(n: int, prefix: str) -> list[Article]:
    rng = random.Random(3)
    out: list[Article] = []
    i = 0
    while len(out) < n:
        row = make_article(i, rng)
        row["id"] = f"{prefix}-{row['id']}"
        row["text"] = f"{prefix} " + row["text"]
        out.append(Article(id=row["id"], text=row["text"]))
        if i % 10 == 0:
            copy = syndicated_copy(row, "Example Herald")
            out.append(Article(id=copy["id"], text=copy["text"]))
        i += 1
    return out[:n]


def timed(url: str, halves: list[list[Article]]) -> float:
    Store.open(url).close()
    started = time.perf_counter()

    def run(half: list[Article]) -> None:
        with Store.open(url) as store:
            ingest_articles(half, store, IngestOptions(batch_size=32), extractor=RecordOnly())

    threads = [threading.Thread(target=run, args=(h,)) for h in halves]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--runs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--db", default=None, help="an empty PostgreSQL database (URL)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for runs in args.runs:
            label = "one run" if runs == 1 else f"{runs} runs at once"
            arts = corpus(args.articles, f"r{runs}")
            halves = [arts[k::runs] for k in range(runs)]
            url = args.db or f"sqlite:///{tmp}/{runs}.db"
            seconds = timed(url, halves)
            with Store.open(url) as store:
                groups = len(store.copy_groups(limit=None))
            print(f"{label}: {len(arts)} articles in {seconds:.2f} s, "
                  f"{1000 * seconds / len(arts):.2f} ms/article, {groups} copy groups")


if __name__ == "__main__":
    main()
