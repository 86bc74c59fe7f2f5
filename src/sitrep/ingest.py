"""The flow, once: read → extract → store → group copies. One code path for every caller.

The CLI, the API's ingest endpoint and the benchmarks all call ``ingest`` (or
``ingest_articles``) so that an article is stored the same way whoever reads it; Dask
workers run only ``sitrep.run.work.extract_batch`` (and, where they save, the batch's save:
``sitrep.run.writing``).

Crash safety: each article is saved with its whole extraction and its copy group in one
transaction (shared with the other articles of its save, up to ``batch_size``:
``sitrep.store.batch``), keyed by the hash of its normalised text, so a rerun after a crash
skips what was stored and adds what was not (articles an older sitrep left without a group
are grouped at the start of the next run). The run's counts are recorded with each save, so a
run killed mid-way keeps what it did, and the next run marks it interrupted.

Concurrency: several ingests may write to one database at once. Articles are saved one
transaction at a time (the article lock, ``sitrep.store.batch.add_articles``), and inside that
transaction the run's copy grouper first takes in the grouped articles stored since it last
looked, then places the transaction's own articles in input order, so of two copies stored by
two runs the one placed second joins the first: the copy groups are those of one run
ingesting everything.

Where extraction runs is the only thing that varies (``sitrep.run.Runner``, from
``IngestOptions.extract``): in this process, in ``workers`` local processes, or, with
``dask``, as one Dask task per batch. This process reads, looks up known keys and counts,
batch by batch in input order; who saves depends on the store (``_workers_save``). On SQLite
(one writer) this process saves and groups each batch's results in input order. On
PostgreSQL, with workers, each worker saves the batch it extracted, in one transaction: this
process reserves the new articles' ids in input order, and the earliest member of a copy
group represents it (``sitrep.store.reserved``), so batches committed in any order give the
same articles, extractions and copy groups. All give the same database.

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

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date
from time import perf_counter
from typing import Any

from sitrep import __version__
from sitrep.analyse.dedup import signature, signature_bytes, signature_values
from sitrep.errors import Errors
from sitrep.extract.pipeline import ExtractOptions, Extractor
from sitrep.model import Article
from sitrep.run import Extracted, Runner, char_batches
from sitrep.run.grouping import LshChooser
from sitrep.run.writing import COPY, KNOWN, ReservedBatch, SaveTarget, saving_work
from sitrep.sources import Reject, iter_articles
from sitrep.store import Store
from sitrep.store.batch import NewArticle, add_articles
from sitrep.store.db import Placed
from sitrep.store.queries import RECENT_DAYS
from sitrep.store.reserved import add_run_counts, reserve_article_ids

PROGRESS_S = 1.0  # seconds between two additions to the run's counts, where workers save


@dataclass
class IngestOptions:
    """How one ingest runs: the database, the default date, re-extraction, batching, and
    the extraction (``extract``: what and where, ``ExtractOptions``).

    ``extract.workers``: local worker processes that extract (each loads the model once);
    ``extract.dask`` runs extraction on a Dask cluster instead: ``tcp://HOST:PORT`` (an
    existing scheduler) or ``local:N`` (a local cluster of N single-threaded worker
    processes, started and stopped with the run).
    ``batch_size``: the most articles in one worker task (a task also stops at about
    ``sitrep.run.batches.TASK_CHARS`` characters of text) and in one saving transaction.
    ``recent_days``: the weeks of stored events that tell namesakes apart where an article's
    text does not (``Article.recent_regions``); 0 reads each article on its own.
    """

    db: str | None = None
    published: date | None = None
    reprocess: bool = False
    batch_size: int = 32
    command: str = "sitrep ingest"
    extract: ExtractOptions = field(default_factory=ExtractOptions)
    recent_days: int = RECENT_DAYS


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


def _batches(
    items: Iterable[Article | Reject], size: int, slots: int = 1
) -> Iterator[list[Article | Reject]]:
    """A batch is one worker's task: at most ``size`` items and about ``TASK_CHARS``
    characters of article text, smaller ones at the end of a run on ``slots`` > 1 workers
    (``sitrep.run.batches``)."""
    return char_batches(items, size, lambda x: len(x.text) if isinstance(x, Article) else 0,
                        slots)


class _Grouper(LshChooser):
    """A run's copy grouping: an in-memory LSH of the store's grouped articles.

    Loaded once at the start (every grouped article), then brought up to date inside each
    article's saving transaction (``Store.add_article`` shows ``choose`` the grouped articles
    with ids above ``seen``), so what concurrent ingests store is a candidate at once. The
    group labels in the LSH are ``copy_groups`` ids.
    """

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        pending: list[tuple[int, bytes | None]] = []
        for aid, group, sig in store.signatures():
            self.seen = max(self.seen, aid)
            if group is None:
                pending.append((aid, sig))
            elif sig is not None:
                self.lsh.keep(aid, group, signature_values(sig))
        # Articles left without a group (by an older sitrep's crash, or Store.save_article).
        for aid, sig in pending:
            if sig is None:
                art = store.article(aid)
                if art is None:
                    continue
                sig = signature_bytes(signature(art["text"]))
            self._kept(store.group_article(aid, sig, self))

    def _kept(self, placed: Placed) -> None:
        """After the commit: the placed article is a candidate for later ones."""
        if self._current is not None and self._current[0] == placed.article_id:
            self.lsh.keep(placed.article_id, placed.copy_group, self._current[1])
        self._current = None
        self.seen = max(self.seen, placed.article_id)


@dataclass
class _Batch:
    """One batch after the key look-up: what to extract and store, what to re-extract."""

    todo: list[Article]  # not stored: extract, save, group
    redo: list[Article]  # stored, --reprocess: extract again, replace
    ids: dict[str, int]  # stored article ids by key, as looked up
    reserved: list[int] = field(default_factory=list)  # the todo's ids, where workers save

    @property
    def articles(self) -> list[Article]:
        return self.todo + self.redo


class _Run:
    """One ingest run's bookkeeping: look-up before extraction, saving after it."""

    def __init__(self, store: Store, options: IngestOptions, workers_save: bool = False) -> None:
        self.store = store
        self.options = options
        self.workers_save = workers_save
        self.summary = IngestSummary(run_id=store.start_run(options.command, __version__))
        self.grouper = _Grouper(store)
        self.known_here = 0  # articles found stored by the look-up (not by a worker)
        self._told: dict[str, int] = {}  # counts this process added to the run's (workers_save)
        self._told_at = perf_counter()
        # Keys sent for extraction and not saved yet. With read-ahead (Dask) a later batch is
        # looked up before an earlier one is saved; counting these as stored makes it see
        # what a one-batch-at-a-time run sees, and keeps a repeated article off the workers.
        self.pending: set[str] = set()
        # The store as it stood when the run began: earlier runs' events only, so that the
        # order in which workers save never changes what an article is told.
        self._recent: dict[date, tuple[tuple[str, int], ...]] | None = (
            {} if options.recent_days > 0 and store.count("events") else None)

    def recent(self, arts: list[Article]) -> None:
        """Tell each article where the store's events of the weeks before it happened."""
        if self._recent is None:
            return
        for art in arts:
            on = art.published
            if on is None:
                continue
            if on not in self._recent:
                self._recent[on] = self.store.recent_regions(
                    on, self.options.recent_days, before_run=self.summary.run_id)
            art.recent_regions = self._recent[on]

    def plan(self, batch: list[Article | Reject]) -> _Batch:
        """Record the batch's rejects and split its articles into new, known and re-extract."""
        summary, store = self.summary, self.store
        for r in batch:
            if isinstance(r, Reject):
                store.add_reject(summary.run_id, r.where, r.reason)
                summary.rejected += 1
                summary.rejects.append(r)
        arts = [a for a in batch if isinstance(a, Article)]
        summary.read += len(arts)
        ids = store.article_ids(a.key for a in arts) if arts else {}
        todo = [a for a in arts if a.key not in ids and a.key not in self.pending]
        redo = [a for a in arts if a.key in ids or a.key in self.pending]
        summary.known += len(redo)
        self.known_here += len(redo)
        self.pending.update(a.key for a in todo)
        self.recent(todo + redo if self.options.reprocess else todo)
        reserved = reserve_article_ids(store, len(todo)) if self.workers_save else []
        return _Batch(todo, redo if self.options.reprocess else [], ids, reserved)

    def counted(self, batch: _Batch, outcomes: list[int]) -> None:
        """Count a batch a worker saved (``sitrep.run.writing``): the workers add what they
        stored to the run's counts as they save; this process adds what it read, rejected and
        found known (at most every ``PROGRESS_S`` seconds: a run killed mid-way keeps them)."""
        if len(outcomes) != len(batch.todo):
            raise RuntimeError(Errors.E501.format(results=len(outcomes), articles=len(batch.todo)))
        summary = self.summary
        summary.stored += sum(o != KNOWN for o in outcomes)
        summary.copies += sum(o == COPY for o in outcomes)
        summary.known += sum(o == KNOWN for o in outcomes)
        self.pending.difference_update(a.key for a in batch.todo)
        if perf_counter() - self._told_at >= PROGRESS_S:
            self.tell()

    def tell(self) -> None:
        """Add to the run's counts what this process counted since it last did."""
        summary = self.summary
        # Stored and copies, and the known that a worker found, the workers added.
        mine = {"read": summary.read, "rejected": summary.rejected, "known": self.known_here}
        delta = {k: v - self._told.get(k, 0) for k, v in mine.items()}
        if any(delta.values()):
            add_run_counts(self.store, summary.run_id, delta)
            self._told = mine
        self._told_at = perf_counter()

    def save(self, done: list[tuple[_Batch, list[Extracted]]]) -> None:
        """Store extracted batches in input order and group their new articles: the new
        articles and the run's counts in one transaction (``sitrep.store.batch``); articles
        to re-extract (only the last batch may have them) after them."""
        summary, store, run_id = self.summary, self.store, self.summary.run_id
        new: list[NewArticle] = []
        redo: list[tuple[_Batch, Article, dict[str, Any] | None]] = []
        for batch, results in done:
            if len(results) != len(batch.articles):
                raise RuntimeError(
                    Errors.E501.format(results=len(results), articles=len(batch.articles))
                )
            new.extend((art, record, sig, rows)
                       for art, (record, sig, rows) in zip(batch.todo, results, strict=False))
            redo.extend((batch, art, result[0])
                        for art, result in zip(batch.redo, results[len(batch.todo):],
                                               strict=True))

        def counts_after(placed: list[Placed | None]) -> dict[str, int]:
            stored = [p for p in placed if p is not None]
            return {
                **summary.counts(),
                "stored": summary.stored + len(stored),
                # None: stored meanwhile (a repeat in this batch, another run)
                "known": summary.known + len(placed) - len(stored),
                "copies": summary.copies + sum(p.joined for p in stored),
            }

        # Progress and heartbeat with the articles: a run killed after this keeps its counts
        # (Store.start_run). With articles to re-extract, after them instead.
        placed = add_articles(store, new, run_id, self.grouper,
                              None if redo else counts_after)
        counts = counts_after(placed)
        summary.stored, summary.known, summary.copies = (
            counts["stored"], counts["known"], counts["copies"])
        for batch, art, record in redo:
            # An article first stored by an earlier batch of this run has no id in the plan.
            aid = batch.ids.get(art.key) or store.article_ids([art.key])[art.key]
            assert record is not None  # a --reprocess run's results carry every record
            store.replace_extraction(aid, record, run_id)
            summary.reprocessed += 1
        for batch, _results in done:
            self.pending.difference_update(a.key for a in batch.todo)
        if redo:
            store.run_progress(run_id, summary.counts())


def ingest(
    paths: Iterable[str], options: IngestOptions, progress: Progress | None = None
) -> IngestSummary:
    """Read every input under ``paths`` and ingest it into ``options.db``.

    Example:
        >>> import tempfile, pathlib
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (folder / "a.txt").write_text("Shelling killed two civilians in Kherson.")
        >>> ingest([str(folder)], IngestOptions(db=f"sqlite:///{folder / 's.db'}")).stored
        1
    """
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
    """Extract and store a stream of articles (and record its rejects) as one run.

    Extraction runs where ``options.extract`` says (``sitrep.run.Runner``): here, in local
    worker processes, or on a Dask cluster (a malformed address raises ``ValueError`` naming
    it, a scheduler that does not answer ``ConnectionError``). An ``extractor`` given here
    runs as it was built: its own focus, in this process.
    """
    options = options or IngestOptions()
    # The runner is ready (a cluster connected) before the run is recorded, so a bad
    # address leaves no run behind.
    with Runner(options.extract, extractor) as runner:
        return _ingest(items, store, options, progress, runner)


def _ingest(
    items: Iterable[Article | Reject],
    store: Store,
    options: IngestOptions,
    progress: Progress | None,
    runner: Runner,
) -> IngestSummary:
    """The run itself: look up, extract (wherever ``runner`` runs it), save, in order.
    The end of the run is cut finer for the runner's slots (``sitrep.run.batches``)."""
    if _workers_save(store, options, runner):
        return _ingest_saved_by_workers(items, store, options, progress, runner)
    run = _Run(store, options)
    summary = run.summary
    started = perf_counter()
    planned: deque[_Batch] = deque()  # looked up, not saved yet, oldest first

    def to_extract() -> Iterator[list[Article]]:
        for batch in _batches(items, options.batch_size, runner.slots):
            plan = run.plan(batch)
            planned.append(plan)
            yield plan.articles

    # Results waiting to be saved together: a worker's task is about TASK_CHARS of text (a
    # few long articles), a save takes up to batch_size articles, so that its fixed cost
    # (a transaction, a commit, a dozen statements) is shared by more of them.
    ready: list[tuple[_Batch, list[Extracted]]] = []

    def save_ready() -> None:
        if not ready:
            return
        run.save(ready)
        ready.clear()
        summary.seconds = perf_counter() - started
        if progress is not None:
            progress(summary)

    try:
        with closing(runner.extracted(to_extract(), options.reprocess)) as results:
            for result in results:
                plan = planned.popleft()
                if plan.redo:
                    save_ready()  # re-extractions are saved after the new articles before
                ready.append((plan, result))
                if plan.redo or sum(len(r) for _p, r in ready) >= options.batch_size:
                    save_ready()
        save_ready()
    finally:
        summary.seconds = perf_counter() - started
        store.finish_run(summary.run_id, summary.counts())
    return summary


def _workers_save(store: Store, options: IngestOptions, runner: Runner) -> bool:
    """Whether the workers save what they extract (``sitrep.run.writing``), or this process.

    Workers save where there are workers (Dask, local processes) and the store takes
    concurrent writers: PostgreSQL, whose transactions of different processes run at once
    (the article lock orders only the placing of copies). SQLite keeps one writer, this
    process: its write lock lets one transaction write at a time whoever holds it, so writing
    workers would only queue for it (and wait out its busy timeouts), and the workers of a
    Dask cluster elsewhere cannot reach the file. A ``--reprocess`` run is saved here too:
    replacing extractions is rare upkeep, and needs the records.
    """
    return (store.dialect == "postgresql" and runner.parallel and not options.reprocess)


def _ingest_saved_by_workers(
    items: Iterable[Article | Reject],
    store: Store,
    options: IngestOptions,
    progress: Progress | None,
    runner: Runner,
) -> IngestSummary:
    """``_ingest`` where the workers save (``_workers_save``): this process reads, looks up
    keys, reserves the new articles' ids in input order and counts; each worker extracts a
    batch and saves it in one transaction (``sitrep.run.writing``)."""
    run = _Run(store, options, workers_save=True)
    summary = run.summary
    started = perf_counter()
    planned: deque[_Batch] = deque()  # sent to the workers, not counted yet, oldest first
    target = SaveTarget(store.engine.url.render_as_string(hide_password=False), summary.run_id)

    def to_save() -> Iterator[list[Article]]:
        for batch in _batches(items, options.batch_size, runner.slots):
            plan = run.plan(batch)
            planned.append(plan)
            # Every id below the oldest batch still out was committed (or never will be).
            floor = next((p.reserved[0] for p in planned if p.reserved), 0)
            yield ReservedBatch(plan.todo, plan.reserved, floor)

    try:
        with closing(runner.run(saving_work(target), to_save())) as results:
            for outcomes in results:
                run.counted(planned.popleft(), outcomes)
                summary.seconds = perf_counter() - started
                if progress is not None:
                    progress(summary)
        run.tell()
    finally:
        summary.seconds = perf_counter() - started
        store.finish_run(summary.run_id, summary.counts())
    return summary
