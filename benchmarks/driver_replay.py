"""The ingesting process's own cost per article, without workers: ingest replayed with
extractions made beforehand.

``--limit`` real articles (the corpus of ``dask_scaling.py``) are extracted once in this
process (not timed); then ``ingest``'s run (read, look up, save, group copies, count) goes
through ``--repeat`` marked variants of each (text + " (k)", so each is a new article, and
all but the first of each are copies: the copy grouping is exercised hard) with an extraction
backend that hands back the stored records. Timed: this process's CPU seconds for the run,
per 1,000 articles: the serial work a driver does for any number of workers.

Run: .venv/bin/python benchmarks/driver_replay.py [--limit 120] [--repeat 5] [--profile F]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import resource
import sys
import tempfile
import time
from collections.abc import Generator, Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from dask_scaling import real_articles  # noqa: E402

from sitrep.ingest import IngestOptions, _ingest  # noqa: E402
from sitrep.model import Article  # noqa: E402
from sitrep.run import Extracted, extract_batch  # noqa: E402
from sitrep.sources.jsonl import article_from_mapping  # noqa: E402
from sitrep.store import Store  # noqa: E402


def cpu_seconds() -> float:
    """This process's CPU time (user + system), in seconds."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=120, help="articles extracted (120)")
    parser.add_argument("--repeat", type=int, default=5, help="variants of each (5)")
    parser.add_argument("--batch-size", type=int, default=IngestOptions().batch_size)
    parser.add_argument("--slots", type=int, default=2, help="workers the batching assumes")
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--profile", type=Path, default=None, help="cProfile stats file")
    args = parser.parse_args()

    rows = real_articles(args.data, args.limit)
    if not rows:
        parser.error(f"no texts under {args.data}/data")
    arts = [article_from_mapping(r, "bench") for r in rows]
    extracted = dict(zip((a.id for a in arts), extract_batch(arts), strict=True))

    def items() -> Iterator[Article]:
        for k in range(args.repeat):
            for r in rows:
                yield article_from_mapping({**r, "text": f"{r['text']} ({k})"}, "bench")

    class Replay:
        """Stands for ``sitrep.run.Runner``: the batches' results, extracted before."""

        slots = args.slots

        def extracted(
            self, batches: Iterable[list[Article]], records: bool = False
        ) -> Generator[list[Extracted], None, None]:
            for batch in batches:
                yield [extracted[a.id] for a in batch]

    with tempfile.TemporaryDirectory(prefix="sitrep-driver-") as tmp:
        store = Store.open(f"sqlite:///{tmp}/replay.db")
        profiler = cProfile.Profile() if args.profile else None
        cpu0, t0 = cpu_seconds(), time.perf_counter()
        if profiler is not None:
            profiler.enable()
        summary = _ingest(items(), store, IngestOptions(batch_size=args.batch_size), None,
                          Replay())  # type: ignore[arg-type]
        if profiler is not None:
            profiler.disable()
        cpu, seconds = cpu_seconds() - cpu0, time.perf_counter() - t0
        store.close()
    print(f"{summary.read} articles ({summary.stored} stored, {summary.copies} copies): "
          f"driver {cpu:.2f} CPU-s in {seconds:.2f} s = {1000 * cpu / summary.read:.2f} "
          "CPU-s per 1,000 articles" + (" (profiled)" if profiler else ""))
    if profiler is not None and args.profile is not None:
        profiler.dump_stats(str(args.profile))
        out = io.StringIO()
        pstats.Stats(str(args.profile), stream=out).strip_dirs().sort_stats(
            "cumulative").print_stats(30)
        print(out.getvalue())


if __name__ == "__main__":
    main()
