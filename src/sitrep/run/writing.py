"""Workers that save what they extract (PostgreSQL): ingest's work when the store takes
concurrent writers.

A worker extracts its batch (``sitrep.run.work.extract_batch``) and saves it itself, in one
transaction under the store's article lock (``sitrep.store.reserved.add_reserved``: the ids
the ingesting process reserved in input order, copy groups, the run's counts), and sends back
one small number per article (``STORED``, ``COPY`` or ``KNOWN``) instead of its rows: the
ingesting process schedules, streams the inputs and counts. Each worker process keeps one
open store and one copy grouper per run (``_WorkerSide``): the grouper loads the stored
signatures once, then takes in, inside each save, what the other workers committed since.

Where the store does not take concurrent writers (SQLite: one writer at a time, a file other
machines cannot reach) the ingesting process saves, as before: see ``sitrep.ingest``.

Example:
    >>> batch = ReservedBatch([Article(id="a", text="Two killed.")], ids=[7], floor=7)
    >>> (len(batch), batch.ids, batch.floor)
    (1, [7], 7)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from sitrep.analyse.dedup import signature_values
from sitrep.errors import Errors
from sitrep.extract.pipeline import ExtractOptions, Extractor
from sitrep.model import Article
from sitrep.run.grouping import LshChooser
from sitrep.run.work import Work, extract_batch, worker_extractor
from sitrep.store import Store
from sitrep.store.db import GroupedArticle
from sitrep.store.reserved import add_reserved

STORED, COPY, KNOWN = 1, 2, 0  # what became of an article a worker saved


class ReservedBatch(list[Article]):
    """A batch of new articles with the ids reserved for them (``ids[i]`` for the i-th) and
    its ``floor``: every article id below it had been committed, or will never be, when the
    batch was sent (see ``sitrep.store.reserved``). A list, so it goes wherever a batch goes.
    """

    def __init__(self, articles: list[Article], ids: list[int], floor: int) -> None:
        super().__init__(articles)
        self.ids = ids
        self.floor = floor


@dataclass(frozen=True)
class SaveTarget:
    """Where workers save: the store's URL and the run the articles belong to."""

    url: str
    run_id: int


class _ReservedGrouper(LshChooser):
    """A worker's copy grouper for one run (``sitrep.store.batch.BatchChooser``).

    Ids no longer grow in commit order, so ``seen`` is a floor (every grouped article with a
    lower id is taken in) and the articles above it it has taken in are skipped when shown
    again.
    """

    ids_in_order = False

    def __init__(self, store: Store, floor: int) -> None:
        super().__init__()
        for aid, group, sig in store.signatures():
            if group is not None and sig is not None:
                self.lsh.keep(aid, group, signature_values(sig))
        # Loaded outside the article lock: only what lies below the batch's floor is surely
        # complete.
        self.seen = floor - 1

    def _take_in(self, news: list[GroupedArticle]) -> None:
        kept = self.lsh.group_of
        for aid, group, sig in news:
            if sig is not None and kept.get(aid) != group:
                self.lsh.keep(aid, group, signature_values(sig))

    def advance(self, floor: int) -> None:
        """After a save (everything committed was shown): ids below ``floor`` are done."""
        self.seen = max(self.seen, floor - 1)


class _WorkerSide:
    """A worker process's open store and copy grouper, for the latest run it saved for."""

    target: SaveTarget | None = None
    store: Store | None = None
    grouper: _ReservedGrouper | None = None

    @classmethod
    def get(cls, target: SaveTarget, floor: int) -> tuple[Store, _ReservedGrouper]:
        if cls.store is None or cls.target is None or cls.target.url != target.url:
            if cls.store is not None:
                cls.store.close()
            cls.store = Store.open(target.url, migrate=False)  # the ingest migrated it
            cls.grouper = None
        if cls.grouper is None or cls.target != target:
            cls.grouper = _ReservedGrouper(cls.store, floor)
        cls.target = target
        return cls.store, cls.grouper


def save_batch(
    extractor: Extractor, batch: list[Article], target: SaveTarget
) -> list[int]:
    """Extract a ``ReservedBatch`` and save it (one transaction); what became of each
    article: ``STORED``, ``COPY`` (stored, in an earlier article's copy group) or ``KNOWN``
    (stored before, by another article with its key)."""
    if not batch:
        return []
    if not isinstance(batch, ReservedBatch):
        raise TypeError(Errors.E511.format(value=type(batch).__name__))
    store, grouper = _WorkerSide.get(target, batch.floor)
    extracted = extract_batch(batch, extractor=extractor)
    items = [(art, record, sig, rows)
             for art, (record, sig, rows) in zip(batch, extracted, strict=True)]
    placed = add_reserved(store, items, batch.ids, target.run_id, grouper)
    grouper.advance(batch.floor)
    return [KNOWN if p is None else COPY if p.joined else STORED for p in placed]


def save_batch_in_worker(
    articles: list[Article], options: ExtractOptions, target: SaveTarget
) -> list[int]:
    """``save_batch`` in a worker process (a task; on Dask its key starts ``save_batch``)."""
    return save_batch(worker_extractor(options), articles, target)


def saving_work(target: SaveTarget) -> Work[int]:
    """Ingest's work when workers save: extract and save each batch into ``target``."""
    return Work(partial(_save_here, target=target), partial(save_batch_in_worker, target=target))


def _save_here(extractor: Extractor, articles: list[Article], target: SaveTarget) -> list[int]:
    return save_batch(extractor, articles, target)
