"""Where extraction runs: this process, local worker processes, or a Dask cluster.

``Runner`` is the one place that decides, from ``ExtractOptions.workers`` and
``ExtractOptions.dask``, and it is what ``sitrep ingest``, ``sitrep extract``, ``sitrep eval``
and ``sitrep bench`` run extraction with. Whatever the backend, results come back in input
order, with a bounded number of batches in flight (``sitrep.run.window``), so outputs do not
depend on where they were made.

Example:
    >>> from sitrep.model import Article
    >>> with Runner(ExtractOptions()) as runner:
    ...     [r["id"] for r in runner.extract([Article(id="a", text="Two killed.")])]
    ['a']
"""

from __future__ import annotations

from collections.abc import Generator, Iterable, Iterator
from concurrent.futures import Future
from contextlib import ExitStack
from types import TracebackType
from typing import Any, Protocol, TypeVar

from sitrep.errors import Errors
from sitrep.extract.pipeline import ExtractOptions, Extractor
from sitrep.model import Article
from sitrep.run.batches import char_batches
from sitrep.run.local import InProcess, WorkerPool
from sitrep.run.window import ordered_window
from sitrep.run.work import EXTRACTED, EXTRACTED_RECORDS, RECORDS, Extracted, Work

R = TypeVar("R")


class Backend(Protocol):
    """What runs batches: ``InProcess``, ``WorkerPool``, ``cluster.DaskBackend``."""

    def slots(self) -> int: ...  # batches that run at once

    def limit(self) -> int: ...  # batches in flight

    def submit(self, work: Work[R], batch: list[Article]) -> Future[list[R]] | Any: ...

    def cancel(self, futures: list[Any]) -> None: ...

    def close(self) -> None: ...


class Extracts(Protocol):
    """Anything that turns articles into contract records in order: ``Extractor`` (this
    process) or ``Runner`` (wherever the options say). What evaluations take."""

    def extract(self, articles: Iterable[Article], chunk: int = ...) -> Iterator[dict[str, Any]]:
        ...


class Runner:
    """Runs extraction where ``options`` says; use it as a context manager (it stops its
    worker processes or its Dask client on exit).

    ``extractor``, when given, runs here whatever ``options.workers`` says (tests, the API);
    it cannot be combined with ``options.dask`` (``ValueError``). A malformed ``dask`` value
    raises ``ValueError`` naming it, a scheduler that does not answer ``ConnectionError``,
    both when the runner opens, before any work is done.
    """

    def __init__(
        self, options: ExtractOptions | None = None, extractor: Extractor | None = None
    ) -> None:
        self.options = options or ExtractOptions()
        if extractor is not None and self.options.dask is not None:
            raise ValueError(Errors.E502.format(value=self.options.dask))
        self._extractor = extractor
        self._stack = ExitStack()
        self._backend: Backend | None = None

    def __enter__(self) -> Runner:
        return self.open()

    def open(self) -> Runner:
        """Start the backend now (connect to Dask): a bad address fails before any work."""
        self.backend  # noqa: B018
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def backend(self) -> Backend:
        """The backend, opened on first use."""
        if self._backend is None:
            self._backend = self._open()
        return self._backend

    def _open(self) -> Backend:
        options = self.options
        if options.dask is not None:
            from sitrep.run.cluster import DaskBackend, dask_client  # Dask only when asked

            client = self._stack.enter_context(dask_client(options.dask))
            return DaskBackend(client, options)
        if options.workers > 1 and self._extractor is None:
            pool = WorkerPool(options, options.workers)
            self._stack.callback(pool.close)
            return pool
        return InProcess(options, self._extractor)

    def close(self) -> None:
        """Stop the worker processes or the Dask client (if any were started)."""
        self._backend = None
        self._stack.close()

    @property
    def parallel(self) -> bool:
        """Whether batches run in other processes (local worker processes or Dask)."""
        return not isinstance(self.backend, InProcess)

    @property
    def slots(self) -> int:
        """How many batches run at once (1 here; workers; Dask worker threads)."""
        return self.backend.slots()

    def run(
        self, work: Work[R], batches: Iterable[list[Article]]
    ) -> Generator[list[R], None, None]:
        """``work`` on each batch, one result list per batch (``[]`` for an empty one), in
        input order. In this process a batch is read only after the previous one's results
        were taken; elsewhere a few batches per worker are read ahead."""
        backend = self.backend
        if isinstance(backend, InProcess):
            for batch in batches:
                yield backend.run(work, batch)
            return
        yield from ordered_window(
            lambda batch: backend.submit(work, batch), batches, backend.limit,
            cancel=backend.cancel,
        )

    def extracted(
        self, batches: Iterable[list[Article]], records: bool = False
    ) -> Generator[list[Extracted], None, None]:
        """Ingest's work on each batch: signatures, table rows and, where ``records`` or
        where no rows could be made, records (``sitrep.run.work.extract_batch``)."""
        return self.run(EXTRACTED_RECORDS if records else EXTRACTED, batches)

    def extract(self, articles: Iterable[Article], chunk: int = 64) -> Iterator[dict[str, Any]]:
        """One contract record per article, in input order (``Extractor.extract``'s
        interface, wherever the extraction runs): batches of at most ``chunk`` articles."""
        backend = self.backend
        if isinstance(backend, InProcess):
            yield from backend.extractor.extract(articles, chunk)
            return
        batches = char_batches(articles, chunk, _text_length, self.slots)
        for records in self.run(RECORDS, batches):
            yield from records


def _text_length(article: Article) -> int:
    return len(article.text)
