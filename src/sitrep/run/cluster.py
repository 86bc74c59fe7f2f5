"""Extraction on a Dask cluster: what ``--dask`` runs on (``sitrep ingest``, ``extract``).

One Dask task is one batch of articles: on a worker, ``sitrep.run.work.extract_batch`` turns
it into MinHash signatures and table rows, all the CPU-heavy work; on PostgreSQL the worker
saves them too (``sitrep.run.writing``). The driver (the process running ``ingest``) keeps
reading, looking up and, on SQLite, saving: it submits batches as it reads them, keeps at
most ``per_worker`` batches per worker thread in flight (memory stays flat for any corpus
size) and takes the results back in input order, so copy groups come out as in a
one-process run.

A worker that dies loses nothing: the scheduler runs its tasks again elsewhere, and the
driver saves each batch once, when its result arrives; a worker that saves does it in one
transaction keyed by the articles' keys and reserved ids, so a batch run again after its
commit adds nothing.

``--dask`` takes ``tcp://HOST:PORT`` (or ``tls://``), an existing scheduler whose workers
can import sitrep and load the spaCy model, or ``local:N``, a cluster of N single-threaded
worker processes on this machine, started and stopped with the run.

Example:
    >>> parse_dask("local:2")
    DaskTarget(address=None, local_workers=2)
    >>> parse_dask("tcp://10.0.0.5:8786").address
    'tcp://10.0.0.5:8786'
"""

from __future__ import annotations

import importlib
import re
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from sitrep.errors import Errors
from sitrep.extract.encoder import single_thread_in_workers
from sitrep.extract.pipeline import DEFAULT_MODEL, ExtractOptions, load_pipeline
from sitrep.model import Article
from sitrep.run.work import Work

if TYPE_CHECKING:
    from distributed import Client

R = TypeVar("R")
PER_WORKER = 2  # batches in flight per worker thread: one running, one queued behind it
CONNECT_TIMEOUT = "20s"
WORKER_TIMEOUT = 60  # seconds a scheduler may have no worker before the run gives up
RECOUNT_S = 1.0  # seconds between two counts of the workers during a run
SCHEDULER_INFO_INTERVAL = "60s"  # the client's refresh of scheduler_info() (Dask's default 2s)
_PORT = re.compile(r"[0-9]{1,5}")
_COUNT = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class DaskTarget:
    """Where to run: a scheduler ``address``, or ``local_workers`` processes here."""

    address: str | None = None
    local_workers: int = 0


def parse_dask(value: str) -> DaskTarget:
    """Read a ``--dask`` value; raise ``ValueError`` naming it when it is neither form.

    Example:
        >>> parse_dask("local:0")
        Traceback (most recent call last):
        ...
        ValueError: [E503] 'local:0': local:N needs N >= 1 worker processes
    """
    text = value.strip()
    if text.startswith("local:"):
        count = text.removeprefix("local:")
        if not _COUNT.fullmatch(count) or int(count) < 1:
            raise ValueError(Errors.E503.format(value=value))
        return DaskTarget(local_workers=int(count))
    scheme, sep, rest = text.partition("://")
    if sep and scheme in {"tcp", "tls"}:
        host, colon, port = rest.rpartition(":")
        if host and colon and _PORT.fullmatch(port) and 0 < int(port) < 65536:
            return DaskTarget(address=text)
    raise ValueError(Errors.E504.format(value=value))


@contextmanager
def dask_client(value: str) -> Iterator[Client]:
    """A Dask client for a ``--dask`` value; a ``local:N`` cluster lives as long as it.

    Raises ``ValueError`` for a value of neither form and ``ConnectionError`` naming the
    address when no scheduler answers there or it has no worker within ``WORKER_TIMEOUT``.

    Example:
        >>> with dask_client("local:1") as client:  # doctest: +SKIP
        ...     len(client.nthreads())
        1
    """
    target = parse_dask(value)
    import dask
    from distributed import Client, LocalCluster

    with ExitStack() as stack:
        # The client asks the scheduler for every worker's details every 2 s by default, for
        # its scheduler_info() (the runner asks for what it needs itself: _WorkerCount): about
        # half of its idle CPU, and the ingesting process is the serial part of a run.
        stack.enter_context(dask.config.set(
            {"distributed.client.scheduler-info-interval": SCHEDULER_INFO_INTERVAL}))
        if target.local_workers:
            # Single-threaded processes: spaCy holds the GIL, so threads would not add speed.
            # A free port for the scheduler's HTTP endpoints: 8787 may be another cluster's.
            cluster = stack.enter_context(LocalCluster(
                n_workers=target.local_workers, threads_per_worker=1, processes=True,
                dashboard_address=":0",
            ))
            client = stack.enter_context(Client(cluster))
        else:
            try:
                client = stack.enter_context(Client(target.address, timeout=CONNECT_TIMEOUT))
            except (OSError, TimeoutError) as exc:
                raise ConnectionError(Errors.E505.format(value=value, cause=exc)) from exc
            try:
                # Tasks sent to a scheduler without workers would wait silently for ever.
                client.wait_for_workers(1, timeout=WORKER_TIMEOUT)
            except TimeoutError as exc:
                raise ConnectionError(
                    Errors.E506.format(value=value, seconds=WORKER_TIMEOUT)
                ) from exc
        yield client


def warm_workers(client: Client, model: str = DEFAULT_MODEL) -> int:
    """Load the spaCy model on every worker now (not in the first tasks); the worker count.

    Example:
        >>> with dask_client("local:1") as client:  # doctest: +SKIP
        ...     warm_workers(client)
        1
    """

    def load(name: str) -> None:
        single_thread_in_workers()
        load_pipeline(name)
        importlib.import_module("sitrep.run.work")  # what every task runs

    return len(client.run(load, model))


class DaskBackend:
    """A backend of ``sitrep.run.Runner`` on ``client``'s cluster: a batch is one task.

    Reads ahead at most ``per_worker`` batches per worker thread (counted again every
    ``RECOUNT_S`` seconds, as workers come and go).

    Example:
        >>> with dask_client("local:1") as client:  # doctest: +SKIP
        ...     from sitrep.run.work import RECORDS
        ...     backend = DaskBackend(client, ExtractOptions())
        ...     len(backend.submit(RECORDS, [Article(id="a", text="Two killed.")]).result())
        1
    """

    def __init__(
        self, client: Client, options: ExtractOptions, per_worker: int = PER_WORKER
    ) -> None:
        self.client = client
        self.options = options.in_one_process()
        self._count = _WorkerCount(client, per_worker)

    def limit(self) -> int:
        return self._count()

    def slots(self) -> int:
        return max(1, sum(self.client.nthreads().values()))

    def submit(self, work: Work[R], batch: list[Article]) -> Any:
        return self.client.submit(work.there, batch, self.options, pure=False)

    def cancel(self, futures: list[Any]) -> None:
        self.client.cancel(futures)

    def close(self) -> None:
        """The client's owner (``Runner``) closes it."""


class _WorkerCount:
    """``per_worker`` × the cluster's worker threads, asked of the scheduler at most every
    ``RECOUNT_S`` seconds: workers may come and go, but a round trip to the scheduler for
    every batch cost the ingesting process (and the scheduler) more than the batch itself."""

    def __init__(self, client: Client, per_worker: int) -> None:
        self.client = client
        self.per_worker = per_worker
        self.value = 0
        self.at = -RECOUNT_S

    def __call__(self) -> int:
        now = time.monotonic()
        if now - self.at >= RECOUNT_S:
            self.value = self.per_worker * max(1, sum(self.client.nthreads().values()))
            self.at = now
        return self.value
