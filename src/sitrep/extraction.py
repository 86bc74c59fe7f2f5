"""Where a batch of articles is extracted during ingest: this process, local worker
processes, or a Dask cluster.

A batch becomes its contract records, MinHash signatures and table rows (``extract_batch``):
everything CPU-heavy, so that a worker does it all and the ingesting process only looks up,
inserts and groups. Every backend is a ``BatchExtraction``: it takes a stream of batches and
yields one result list per batch, in input order, reading a bounded window of batches ahead so
that its workers stay busy and memory stays flat on any corpus size
(``sitrep.extract.pipeline.ordered_window``).

* ``in_process``: one batch after the other, here (no read-ahead).
* ``worker_pool``: ``--workers N``, N local processes that each load the model once.
* ``sitrep.cluster.ordered_extraction``: ``--dask``, one Dask task per batch.

Example:
    >>> run = in_process(ExtractOptions())
    >>> [len(r) for r in run([[], [Article(id="a", text="Two killed.")]])]
    [0, 1]
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Callable, Generator, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from typing import Any

from sitrep.analyse.dedup import signature, signature_bytes
from sitrep.extract.pipeline import (
    ExtractOptions,
    Extractor,
    cancel_all,
    ordered_window,
    start_worker,
    worker_extractor,
)
from sitrep.model import Article
from sitrep.store.prepared import Prepared, prepare_or_none

Extracted = tuple[dict[str, Any], bytes, Prepared | None]
"""One article's extraction: its contract record, its MinHash signature bytes and its table
rows (``sitrep.store.prepared``; None for a record the store would refuse)."""

BatchExtraction = Callable[[Iterable[list[Article]]], Generator[list[Extracted], None, None]]
"""Extracts a stream of article batches, yielding one result list per batch, in input order.

It may read a few batches ahead (to keep workers busy) but must yield for every batch it
reads, an empty batch included."""


def extract_batch(
    articles: list[Article],
    options: ExtractOptions | None = None,
    extractor: Extractor | None = None,
) -> list[Extracted]:
    """Everything CPU-heavy about a batch, in order: contract records, MinHash signatures and
    the records' table rows (checked and serialised here, so the saving process only inserts).

    This is what a worker runs for each batch; the spaCy model is loaded once per process
    (``load_pipeline`` is cached), so building an ``Extractor`` per batch costs nothing.

    Example:
        >>> art = Article(id="a", text="Shelling killed two civilians in Kherson.")
        >>> [(record["id"], len(sig), len(rows.claims)) for record, sig, rows
        ...  in extract_batch([art])]
        [('a', 1024, 1)]
    """
    if not articles:
        return []
    ex = extractor if extractor is not None else Extractor(options)
    records = list(ex.extract(articles))
    return [
        (record, signature_bytes(signature(art.text)), prepare_or_none(record, art.text, art.id))
        for art, record in zip(articles, records, strict=True)
    ]


def in_process(options: ExtractOptions, extractor: Extractor | None = None) -> BatchExtraction:
    """Extraction in this process, one batch after the other (no read-ahead).

    The model is loaded at the first batch that needs extracting, so a run over known
    articles never loads it.
    """

    def run(batches: Iterable[list[Article]]) -> Generator[list[Extracted], None, None]:
        ex = extractor
        for batch in batches:
            if batch and ex is None:
                ex = Extractor(replace(options, n_process=1))
            yield extract_batch(batch, extractor=ex)

    return run


def _extract_in_worker(articles: list[Article]) -> list[Extracted]:
    return extract_batch(articles, extractor=worker_extractor())


def worker_pool(options: ExtractOptions, workers: int, per_worker: int = 2) -> BatchExtraction:
    """``workers`` local processes (spawned, each loading the model once), ``per_worker``
    batches each in flight.

    Example:
        >>> run = worker_pool(ExtractOptions(), workers=2)
        >>> [len(r) for r in run([[Article(id="a", text="Two killed.")], []])]  # doctest: +SKIP
        [1, 0]
    """
    single = replace(options, n_process=1)

    def run(batches: Iterable[list[Article]]) -> Generator[list[Extracted], None, None]:
        with ProcessPoolExecutor(
            workers, mp_context=mp.get_context("spawn"),
            initializer=start_worker, initargs=(single,),
        ) as pool:
            yield from ordered_window(
                lambda batch: pool.submit(_extract_in_worker, batch),
                batches,
                lambda: per_worker * workers,
                cancel=cancel_all,
            )

    return run
