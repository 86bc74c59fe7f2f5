"""What a process does with one batch of articles, here or in a worker.

Two kinds of work: the contract records alone (``sitrep extract``, ``sitrep eval``, the
bench) and, for ingest, everything CPU-heavy about a batch (``extract_batch``: records,
MinHash signatures and table rows), so that the ingesting process only looks up, inserts and
groups. Each kind is a ``Work``: how to run it with an extractor in this process (``here``),
and a top-level function a worker process or a Dask worker runs (``there``), which finds the
worker's one extractor for the options (``worker_extractor``: the model loads once per
process, its encoder on one thread).

Example:
    >>> art = Article(id="a", text="Shelling killed two civilians in Kherson.")
    >>> [(record, len(sig), len(rows.claims)) for record, sig, rows in extract_batch([art])]
    [(None, 1024, 1)]
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sitrep.analyse.dedup import signature, signature_bytes
from sitrep.extract.encoder import single_thread_in_workers
from sitrep.extract.pipeline import ExtractOptions, Extractor
from sitrep.model import Article
from sitrep.store.prepared import Prepared, prepare_or_none

R = TypeVar("R")

Extracted = tuple[dict[str, Any] | None, bytes, Prepared | None]
"""One article's extraction for ingest: its contract record, its MinHash signature bytes and
its table rows (``sitrep.store.prepared``; None for a record the store would refuse). The
record only where the ingesting process needs it: when there are no rows (to refuse it,
naming it) or when asked (``--reprocess`` replaces an extraction from its record); a worker
does not ship it with the rows (it is a quarter of a result and most of its unpickling)."""


@dataclass(frozen=True)
class Work(Generic[R]):
    """One kind of work on a batch: ``here`` with a given extractor, ``there`` in a worker."""

    here: Callable[[Extractor, list[Article]], list[R]]
    there: Callable[[list[Article], ExtractOptions], list[R]]


def extract_batch(
    articles: list[Article],
    options: ExtractOptions | None = None,
    extractor: Extractor | None = None,
    records: bool = False,
) -> list[Extracted]:
    """Everything CPU-heavy about a batch, in order: MinHash signatures and the records'
    table rows (checked and serialised here, so the saving process only inserts), and the
    contract records where ``records`` or where the rows could not be made (see ``Extracted``).

    The spaCy model is loaded once per process (``load_pipeline`` is cached), so building an
    ``Extractor`` per batch costs nothing.
    """
    if not articles:
        return []
    ex = extractor if extractor is not None else Extractor(options)
    out: list[Extracted] = []
    for art, record in zip(articles, ex.extract(articles), strict=True):
        rows = prepare_or_none(record, art.text, art.id)
        out.append((record if records or rows is None else None,
                    signature_bytes(signature(art.text)), rows))
    return out


_EXTRACTORS: dict[ExtractOptions, Extractor] = {}  # a worker process's, by options


def worker_extractor(options: ExtractOptions) -> Extractor:
    """This worker process's extractor for ``options``, made (encoder on one thread: N
    workers already keep N cores busy) and kept on first use."""
    single_thread_in_workers()  # before the model loads (a Dask worker nobody warmed)
    single = options.in_one_process()
    ex = _EXTRACTORS.get(single)
    if ex is None:
        ex = _EXTRACTORS[single] = Extractor(single)
    return ex


def start_worker(options: ExtractOptions) -> None:
    """A worker process's initializer: its extractor, with the model loaded now (not inside
    its first task)."""
    worker_extractor(options).nlp  # noqa: B018


def _records(extractor: Extractor, articles: list[Article]) -> list[dict[str, Any]]:
    return extractor.extract_chunk(articles) if articles else []


def records_in_worker(articles: list[Article], options: ExtractOptions) -> list[dict[str, Any]]:
    """The contract records of a batch, in a worker process (a task)."""
    return _records(worker_extractor(options), articles)


def _extracted(extractor: Extractor, articles: list[Article]) -> list[Extracted]:
    return extract_batch(articles, extractor=extractor)


def _extracted_records(extractor: Extractor, articles: list[Article]) -> list[Extracted]:
    return extract_batch(articles, extractor=extractor, records=True)


def extract_batch_in_worker(articles: list[Article], options: ExtractOptions) -> list[Extracted]:
    """``extract_batch`` in a worker process (a task; on Dask its key starts
    ``extract_batch``)."""
    return _extracted(worker_extractor(options), articles)


def extract_batch_records_in_worker(
    articles: list[Article], options: ExtractOptions
) -> list[Extracted]:
    """``extract_batch`` with every record, in a worker process (a task)."""
    return _extracted_records(worker_extractor(options), articles)


RECORDS: Work[dict[str, Any]] = Work(_records, records_in_worker)
EXTRACTED: Work[Extracted] = Work(_extracted, extract_batch_in_worker)
EXTRACTED_RECORDS: Work[Extracted] = Work(_extracted_records, extract_batch_records_in_worker)
