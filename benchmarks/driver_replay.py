"""The ingesting process's own cost per article, without workers: ingest replayed with
extractions made beforehand.

``--limit`` real articles (the corpus of ``dask_scaling.py``) are extracted once in this
process (not timed); then ``ingest``'s run (read, look up, save, group copies, count) goes
through ``--repeat`` marked variants of each (text + " (k)", so each is a new article, and
all but the first of each are copies: the copy grouping is exercised hard) with an extraction
backend that hands back the stored records. Timed: this process's CPU seconds for the run,
per 1,000 articles: the serial work a driver does for any number of workers. ``--profile``
times functions by the ingesting thread's CPU time (waits for the disk or for workers are
not CPU). ``--distinct`` gives each variant a random signature instead (no copies, as news).

``--dask W`` runs the same ingest through a real Dask cluster (a scheduler and W worker
processes outside this one, as ``dask_scaling.py`` starts them) whose workers hand back the
stored results instead of extracting (on PostgreSQL, ``--postgres URL``, they also save, as
in a real run), so the driver's whole cost, the Dask client's thread included, is measured
in seconds instead of the hour a real extraction of as many articles takes on two cores.

Run: .venv/bin/python benchmarks/driver_replay.py [--limit 120] [--repeat 5] [--profile F]
    [--cache F] [--distinct] [--dask W [--postgres URL]]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pickle
import pstats
import resource
import sys
import tempfile
import time
from collections.abc import Generator, Iterable, Iterator
from contextlib import ExitStack, closing
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import dask_scaling  # noqa: E402
import numpy as np  # noqa: E402
from dask_scaling import real_articles  # noqa: E402

from sitrep.analyse.dedup import NUM_PERM  # noqa: E402
from sitrep.extract.pipeline import ExtractOptions  # noqa: E402
from sitrep.ingest import IngestOptions, _ingest, ingest_articles  # noqa: E402
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
    parser.add_argument("--distinct", action="store_true",
                        help="no copies: each variant gets a random MinHash signature (as "
                             "distinct news articles have), so the grouping finds nothing")
    parser.add_argument("--dask", type=int, default=0, metavar="W",
                        help="run through a Dask cluster of W worker processes (outside this "
                             "process, as dask_scaling.py starts them) that replay the "
                             "extractions: the driver's whole cost, the Dask client's included")
    parser.add_argument("--postgres", default=None, metavar="URL",
                        help="ingest into a fresh database on this PostgreSQL server (with "
                             "--dask the workers save) instead of a SQLite file")
    parser.add_argument("--cache", type=Path, default=None,
                        help="pickle of the extractions: read if present, else written (the "
                             "untimed extraction is most of a run; only for the same --limit)")
    args = parser.parse_args()

    rows = real_articles(args.data, args.limit)
    if not rows:
        parser.error(f"no texts under {args.data}/data")
    arts = [article_from_mapping(r, "bench") for r in rows]
    if args.cache is not None and args.cache.is_file():
        with args.cache.open("rb") as fh:
            extracted = pickle.load(fh)
    else:
        extracted = dict(zip((a.id for a in arts), extract_batch(arts), strict=True))
        if args.cache is not None:
            with args.cache.open("wb") as fh:
                pickle.dump(extracted, fh)
    if set(extracted) != {a.id for a in arts}:
        parser.error(f"{args.cache} holds the extractions of another --limit")

    # A variant's signature: the article's own (variants are copies of it), or a random one.
    rng = np.random.default_rng(17)
    sigs = {(k, r["id"]): (rng.integers(0, 2**32, NUM_PERM, dtype=np.uint64).tobytes()
                           if args.distinct else extracted[r["id"]][1])
            for k in range(args.repeat) for r in rows}

    def items() -> Iterator[Article]:
        for k in range(args.repeat):
            for r in rows:
                yield article_from_mapping(
                    {**r, "id": f"{r['id']}~{k}", "text": f"{r['text']} ({k})"}, "bench")

    def replayed(art: Article) -> Extracted:
        ext_id, _, k = art.id.rpartition("~")
        record, _sig, prepared = extracted[ext_id]
        return record, sigs[(int(k), ext_id)], prepared

    class Replay:
        """Stands for ``sitrep.run.Runner``: the batches' results, extracted before."""

        slots = args.slots

        def extracted(
            self, batches: Iterable[list[Article]], records: bool = False
        ) -> Generator[list[Extracted], None, None]:
            for batch in batches:
                yield [replayed(a) for a in batch]

    dask_scaling.POSTGRES = args.postgres
    with tempfile.TemporaryDirectory(prefix="sitrep-driver-") as tmp, ExitStack() as stack:
        folder = Path(tmp)
        address = None
        if args.dask:
            from distributed import Client

            # The workers replay the extractions (and, on PostgreSQL, save), so the run
            # costs them little and this process's share shows.
            table = folder / "replay.pkl"
            with table.open("wb") as fh:
                pickle.dump({a.id: replayed(a) for a in items()}, fh)
            address = stack.enter_context(dask_scaling.external_cluster(args.dask, folder))
            client = stack.enter_context(Client(address))
            client.run(_replay_in_worker, str(table))
        options = IngestOptions(batch_size=args.batch_size,
                                extract=ExtractOptions(dask=address),
                                command="benchmarks/driver_replay.py")
        fixed = 0.0
        if address is not None:  # the first calls on every worker, before the clock
            warm = [Article(id=f"warm-{i}", text=f"Warm-up {i}.") for i in range(4)]
            client.run(_replay_in_worker, str(table),
                       {a.id: extracted[r["id"]] for a, r in zip(warm, rows, strict=False)})
            with closing(Store.open(dask_scaling._database(folder / "warm.db"))) as store:
                cpu0 = cpu_seconds()
                ingest_articles(warm, store, options)
                fixed = cpu_seconds() - cpu0
        store = Store.open(dask_scaling._database(folder / "replay.db"))
        profiler = cProfile.Profile(time.thread_time) if args.profile else None
        cpu0, main0, t0 = cpu_seconds(), time.thread_time(), time.perf_counter()
        if profiler is not None:
            profiler.enable()
        if address is None:
            summary = _ingest(items(), store, options, None, Replay())  # type: ignore[arg-type]
        else:
            summary = ingest_articles(items(), store, options)
        if profiler is not None:
            profiler.disable()
        cpu, main = cpu_seconds() - cpu0, time.thread_time() - main0
        seconds = time.perf_counter() - t0
        store.close()
    where = (f"Dask {args.dask} worker(s), " if args.dask else "") + (
        "PostgreSQL" if args.postgres else "SQLite")
    print(f"{where}: {summary.read} articles ({summary.stored} stored, {summary.copies} "
          f"copies): driver {cpu:.2f} CPU-s (ingesting thread {main:.2f}) in {seconds:.2f} s "
          f"= {1000 * cpu / summary.read:.2f} CPU-s per 1,000 articles (thread "
          f"{1000 * main / summary.read:.2f})" + (" (profiled)" if profiler else "")
          + (f"; a warm 4-article run's whole cost {fixed:.2f} CPU-s" if args.dask else ""))
    if profiler is not None and args.profile is not None:
        profiler.dump_stats(str(args.profile))
        out = io.StringIO()
        pstats.Stats(str(args.profile), stream=out).strip_dirs().sort_stats(
            "cumulative").print_stats(30)
        print(out.getvalue())


def _replay_in_worker(path: str, more: dict[str, Extracted] | None = None) -> int:
    """In a Dask worker: extraction replaced by a look-up of the article's stored results
    (``extract_batch``, where ingest's work and a saving worker call it)."""
    import sitrep.run.work as work
    import sitrep.run.writing as writing

    table = getattr(work, "_REPLAYED", None)
    if table is None:
        with open(path, "rb") as fh:
            table = work._REPLAYED = pickle.load(fh)  # type: ignore[attr-defined]
    table.update(more or {})

    def replay(articles: list[Article], options: object = None, extractor: object = None,
               records: bool = False) -> list[Extracted]:
        return [table[a.id] for a in articles]

    work.extract_batch = writing.extract_batch = replay  # type: ignore[assignment]
    return len(table)


if __name__ == "__main__":
    main()
