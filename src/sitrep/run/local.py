"""Extraction on this machine: in this process, or in ``workers`` local processes.

Both are backends of ``sitrep.run.Runner``: ``submit`` a batch with its kind of work
(``sitrep.run.work``) and get a future of its results. ``InProcess`` runs the batch at once,
with one extractor (made at the first batch that needs one, so a run over known articles
never loads the model). ``WorkerPool`` sends it to one of ``workers`` spawned processes that
each load the model once, and keeps ``per_worker`` batches per worker in flight.

Example:
    >>> from sitrep.run.work import RECORDS
    >>> here = InProcess(ExtractOptions())
    >>> [r["id"] for r in here.submit(RECORDS, [Article(id="a", text="Two killed.")]).result()]
    ['a']
"""

from __future__ import annotations

import multiprocessing as mp
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

from sitrep.extract.pipeline import ExtractOptions, Extractor
from sitrep.model import Article
from sitrep.run.window import cancel_all
from sitrep.run.work import Work, start_worker

R = TypeVar("R")
PER_WORKER = 2  # batches in flight per worker process: one running, one queued behind it


class InProcess:
    """Batches run here, one after the other, with ``extractor`` or one made for
    ``options``."""

    def __init__(self, options: ExtractOptions, extractor: Extractor | None = None) -> None:
        self.options = options.in_one_process()
        self._extractor = extractor

    @property
    def extractor(self) -> Extractor:
        """The extractor batches run with (made now if none was given)."""
        if self._extractor is None:
            self._extractor = Extractor(self.options)
        return self._extractor

    def slots(self) -> int:
        return 1

    def limit(self) -> int:
        return 1

    def run(self, work: Work[R], batch: list[Article]) -> list[R]:
        """The batch's results, now (an empty batch loads nothing)."""
        return work.here(self.extractor, batch) if batch else []

    def submit(self, work: Work[R], batch: list[Article]) -> Future[list[R]]:
        done: Future[list[R]] = Future()
        done.set_result(self.run(work, batch))
        return done

    def cancel(self, futures: list[Any]) -> None:
        """Nothing runs after its submit returns."""

    def close(self) -> None:
        """Nothing to stop."""


class WorkerPool:
    """``workers`` spawned local processes, each with the model loaded once."""

    def __init__(
        self, options: ExtractOptions, workers: int, per_worker: int = PER_WORKER
    ) -> None:
        self.options = options.in_one_process()
        self.workers = workers
        self.per_worker = per_worker
        # Spawned, not forked: a forked copy of a process holding a loaded model and threads
        # is not safe. The processes start at the first submit.
        self._pool = ProcessPoolExecutor(
            workers, mp_context=mp.get_context("spawn"),
            initializer=start_worker, initargs=(self.options,),
        )

    def slots(self) -> int:
        return self.workers

    def limit(self) -> int:
        return self.per_worker * self.workers

    def submit(self, work: Work[R], batch: list[Article]) -> Future[list[R]]:
        return self._pool.submit(work.there, batch, self.options)

    def cancel(self, futures: list[Any]) -> None:
        cancel_all(futures)

    def close(self) -> None:
        # Queued batches of a run stopped early (an error, Ctrl-C) are dropped, not run.
        self._pool.shutdown(wait=True, cancel_futures=True)
