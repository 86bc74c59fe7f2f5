"""The flow, once: read → extract → store → group copies. One code path for every caller.

The CLI, the API's ingest endpoint and Dask workers all call ``ingest`` (or
``ingest_articles``) so that an article is stored the same way whoever reads it.

Crash safety: each article is saved with its whole extraction in one transaction, keyed by
the hash of its normalised text, so a rerun after a crash skips what was stored and adds what
was not. Copy-group assignment happens after the save; articles left without a group by a
crash are grouped at the start of the next run.

Example:
    >>> from sitrep.store import Store
    >>> store = Store.open("sqlite://")
    >>> art = Article(id="a", text="Shelling killed two civilians in Kherson.",
    ...               published=date(2024, 3, 2))
    >>> ingest_articles([art], store).stored
    1
    >>> ingest_articles([art], store).known
    1
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from time import perf_counter
from typing import Any

from sitrep import __version__
from sitrep.analyse.dedup import CopyGrouper, signature, signature_bytes
from sitrep.extract.pipeline import ExtractOptions, Extractor
from sitrep.model import Article
from sitrep.sources import Reject, iter_articles
from sitrep.store import Store


@dataclass
class IngestOptions:
    """How one ingest runs: the database, the default date, re-extraction, batching."""

    db: str | None = None
    published: date | None = None
    reprocess: bool = False
    batch_size: int = 32
    workers: int = 1
    command: str = "sitrep ingest"


@dataclass
class IngestSummary:
    """What one run did: articles read, stored, already known, copies, rejected."""

    run_id: int
    read: int = 0
    stored: int = 0
    known: int = 0
    copies: int = 0
    rejected: int = 0
    reprocessed: int = 0
    seconds: float = 0.0
    rejects: list[Reject] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "read": self.read,
            "stored": self.stored,
            "known": self.known,
            "copies": self.copies,
            "rejected": self.rejected,
        }


Progress = Callable[[IngestSummary], None]


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


class _Grouper:
    """Copy groups between the in-memory LSH and the store's copy_groups table."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.lsh = CopyGrouper()
        self.group_row: dict[int, int] = {}  # representative article id -> copy_groups.id
        pending: list[int] = []
        reps = {int(g["id"]): g["representative"] for g in store.copy_groups(limit=None)}
        for aid, group, sig in store.signatures():
            if group is None or sig is None:
                pending.append(aid)
                continue
            rep = int(reps.get(group) or aid)
            self.lsh.load([(aid, rep, sig)])
            self.group_row[rep] = group
        # Articles a crash left without a group.
        for aid in pending:
            art = store.article(aid)
            if art is not None:
                self.place(aid, art["text"], None)

    def place(self, aid: int, text: str, sig: Any) -> bool:
        """Group an article; True when it is a copy of an earlier one."""
        rep = self.lsh.add(aid, text, sig)
        if rep == aid or rep not in self.group_row:
            self.group_row[aid] = self.store.create_copy_group(aid)
            return False
        self.store.set_copy_group(aid, self.group_row[rep])
        return True


def ingest(
    paths: Iterable[str], options: IngestOptions, progress: Progress | None = None
) -> IngestSummary:
    """Read every input under ``paths`` and ingest it into ``options.db``."""
    with Store.open(options.db) as store:
        return ingest_articles(
            iter_articles(paths, options.published), store, options, progress
        )


def ingest_articles(
    items: Iterable[Article | Reject],
    store: Store,
    options: IngestOptions | None = None,
    progress: Progress | None = None,
    extractor: Extractor | None = None,
) -> IngestSummary:
    """Extract and store a stream of articles (and record its rejects) as one run."""
    options = options or IngestOptions()
    run_id = store.start_run(options.command, __version__)
    summary = IngestSummary(run_id=run_id)
    started = perf_counter()
    grouper = _Grouper(store)
    ex = extractor
    try:
        for batch in _batches(items, options.batch_size):
            rejects = [r for r in batch if isinstance(r, Reject)]
            for r in rejects:
                store.add_reject(run_id, r.where, r.reason)
                summary.rejected += 1
                summary.rejects.append(r)
            arts: list[Article] = [a for a in batch if isinstance(a, Article)]
            summary.read += len(arts)
            if not arts:
                continue
            ids = store.article_ids(a.key for a in arts)
            todo = [a for a in arts if a.key not in ids]
            redo = [a for a in arts if a.key in ids] if options.reprocess else []
            summary.known += len(arts) - len(todo)
            if todo or redo:
                if ex is None:
                    ex = Extractor(ExtractOptions(n_process=options.workers))
                records = ex.extract(todo + redo)
                for art, record in zip(todo + redo, records, strict=True):
                    if art.key in ids:
                        store.replace_extraction(ids[art.key], record, run_id)
                        summary.reprocessed += 1
                        continue
                    sig = signature(art.text)
                    if not store.save_article(art, record, run_id, signature_bytes(sig)):
                        summary.known += 1  # stored meanwhile (a duplicate in this batch)
                        continue
                    summary.stored += 1
                    aid = store.article_ids([art.key])[art.key]
                    if grouper.place(aid, art.text, sig):
                        summary.copies += 1
            summary.seconds = perf_counter() - started
            if progress is not None:
                progress(summary)
    finally:
        summary.seconds = perf_counter() - started
        store.finish_run(run_id, summary.counts())
    return summary
