"""What the API and the dashboard read: the store, the tracker and a small result cache.

``Backend`` wraps one ``sitrep.store.Store`` for a running server. It adds what the store
alone does not give cheaply per request: each claim's number of independent sources (copy
groups carrying the same claim, from ``sitrep.analyse.sources``) and the series of
``sitrep.analyse.track``. Both are computed over the whole database, so they are cached and
recomputed when the database changes (a new or finished run, a different number of claims or
articles) or after ``ttl`` seconds: by one background thread, while reads get the previous
value at once. Reads never wait for a rebuild; only a figure's first computation blocks.

The tracker is looked up when first needed: a sitrep without ``sitrep.analyse.track`` serves
everything else and answers series requests with ``TrackerMissing``.

Example:
    >>> from sitrep.store import Store
    >>> backend = Backend(Store.open("sqlite://"))
    >>> backend.sources_of([])
    {}
    >>> backend.stats()["claims"]
    0
"""

from __future__ import annotations

import importlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as futures_wait
from dataclasses import dataclass
from types import ModuleType
from typing import Any, TypeVar

from sitrep.analyse.sources import count_sources
from sitrep.model import KINDS
from sitrep.store import Store

T = TypeVar("T")

TRACK_MODULE = "sitrep.analyse.track"
REFRESH_ON_WRITE = 16  # whole-database figures a write through this server recomputes
MAX_REST = 5.0  # seconds the background thread rests at most between two rebuilds
log = logging.getLogger(__name__)


def _freeze(value: Any) -> Hashable:
    """A hashable form of filter values (lists become tuples, dicts sorted item tuples)."""
    if isinstance(value, Mapping):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    if isinstance(value, list | tuple | set):
        return tuple(_freeze(v) for v in value)
    if isinstance(value, Hashable):
        return value
    return repr(value)


class TrackerMissing(RuntimeError):
    """``sitrep.analyse.track`` is not installed, so there are no series to serve."""


@dataclass
class _Entry:
    """One cached result and what decides when it is refreshed."""

    value: Any
    fingerprint: tuple[Any, ...]  # the database's fingerprint read before computing it
    started: float  # time.monotonic() when its computation started
    cost: float  # seconds the computation took
    generation: int  # Backend writes (``invalidate`` calls) before its computation started
    compute: Callable[[], Any]
    whole: bool  # a whole-database figure: a write through this server recomputes it


class Backend:
    """One server's access to the database, with cached whole-database figures.

    ``token`` is the bearer token that allows writes (None: no writes at all).

    Reads never wait for a rebuild: once a figure has been computed, a read returns the last
    computed value at once, and when the database has changed since (another process
    ingesting, say) one background thread recomputes it (stale-while-revalidate, one
    computation per figure at a time). Only the very first computation of a figure makes its
    readers wait, all of them on that one computation. A write through this server
    (``invalidate``) recomputes the figures in the writer's thread, so its client reads what
    it wrote while other readers keep the previous values meanwhile.

    Example:
        >>> from sitrep.store import Store
        >>> Backend(Store.open("sqlite://"), token="s3cret").token
        's3cret'
    """

    def __init__(
        self, store: Store, token: str | None = None, ttl: float = 30.0, max_entries: int = 2048
    ) -> None:
        self.store = store
        self.token = token
        self.ttl = ttl
        self.max_entries = max_entries
        self.fingerprint_every = 1.0  # seconds a database fingerprint is reused
        self.ingest_lock = threading.Lock()  # one ingest at a time (spaCy is not thread-safe)
        self.extractor: Any = None  # built on the first ingest, then reused
        self._lock = threading.Lock()
        self._cache: OrderedDict[Hashable, _Entry] = OrderedDict()
        self._first: dict[Hashable, tuple[int, Future[Any]]] = {}  # first computations
        self._refreshing: dict[Hashable, Future[None]] = {}  # background refreshes
        self._refresher: ThreadPoolExecutor | None = None  # the one background thread
        self._closing = threading.Event()
        self._writes = 0
        self._local = threading.local()  # .generation: what a writer's own reads must see
        self._fingerprint: tuple[float, tuple[Any, ...]] | None = None

    # ------------------------------------------------------------------ cache

    def fingerprint(self) -> tuple[Any, ...]:
        """What changes when the database does: the latest run and the row counts.

        Computed at most once every ``fingerprint_every`` seconds (default 1).

        Example:
            >>> from sitrep.store import Store
            >>> Backend(Store.open("sqlite://")).fingerprint()
            (None, None, None, 0, 0)
        """
        now = time.monotonic()
        cached = self._fingerprint
        if cached is not None and now - cached[0] < self.fingerprint_every:
            return cached[1]
        runs = self.store.runs(limit=1)
        last = runs[0] if runs else {}
        value = (
            last.get("id"),
            last.get("finished"),
            last.get("stored"),
            self.store.count("articles"),
            self.store.count("claims"),
        )
        self._fingerprint = (now, value)
        return value

    def invalidate(self) -> None:
        """Recompute every cached figure now, in this thread (after this server wrote).

        Readers in other threads keep getting the previous values until each new one is
        ready; the writer's client then reads what it wrote. Figures of one query (counts
        under filters, one series) are dropped and recomputed when next asked for, and only
        the ``REFRESH_ON_WRITE`` most recently used whole-database figures are recomputed
        (the others are dropped too).

        Example:
            >>> from sitrep.store import Store
            >>> b = Backend(Store.open("sqlite://"))
            >>> b.cached("n", lambda: 1)
            1
            >>> b.invalidate()
            >>> b.cached("n", lambda: 2)  # the kept computation ran again: still 1 here
            1
        """
        with self._lock:
            self._writes += 1
            generation = self._writes
            self._fingerprint = None
            whole = [(k, e.compute) for k, e in reversed(self._cache.items()) if e.whole]
            keep = {k for k, _ in whole[:REFRESH_ON_WRITE]}
            for key in [k for k in self._cache if k not in keep]:
                del self._cache[key]
        self._local.generation = generation
        try:
            for key, compute in reversed(whole[:REFRESH_ON_WRITE]):
                try:
                    self.cached(key, compute)
                except Exception:  # the next read computes it again and answers the error
                    log.warning("recomputing %r after a write failed", key, exc_info=True)
                    with self._lock:
                        self._cache.pop(key, None)
        finally:
            self._local.generation = 0

    def cached(self, key: Hashable, compute: Callable[[], T], *, whole: bool = True) -> T:
        """The last value of ``compute()`` for ``key``; recomputed in the background when the
        database has changed or ``ttl`` seconds passed, never while a reader waits.

        Only the first computation of a key blocks, and concurrent callers wait for that one
        computation. ``whole``: a whole-database figure, which ``invalidate`` recomputes (else
        it is dropped). At most ``max_entries`` results are kept (the least recently used go
        first).

        Example:
            >>> from sitrep.store import Store
            >>> b = Backend(Store.open("sqlite://"))
            >>> b.cached("answer", lambda: 42), b.cached("answer", lambda: 0)
            (42, 42)
        """
        fp = self.fingerprint()
        must_see = getattr(self._local, "generation", 0)  # > 0 while this thread writes
        with self._lock:
            entry = self._cache.get(key)
            if entry is not None and entry.generation >= must_see:
                self._cache.move_to_end(key)
                if self._stale(entry, fp):
                    self._schedule(key, compute, whole)
                return entry.value  # type: ignore[no-any-return]
            pending = self._first.get(key)
            if pending is not None and pending[0] >= must_see:
                waiting_for: Future[Any] | None = pending[1]
            else:
                waiting_for = None
                mine: Future[Any] = Future()
                self._first[key] = (self._writes, mine)
        if waiting_for is not None:
            return waiting_for.result()  # type: ignore[no-any-return]
        try:
            value = self._compute_and_keep(key, compute, fp, whole)
        except BaseException as exc:
            mine.set_exception(exc)
            raise
        else:
            mine.set_result(value)
            return value
        finally:
            with self._lock:
                if self._first.get(key, (0, None))[1] is mine:
                    del self._first[key]

    def wait_for_refreshes(self, timeout: float | None = None) -> bool:
        """Wait until no background refresh is queued or running; False on timeout.

        Example:
            >>> from sitrep.store import Store
            >>> Backend(Store.open("sqlite://")).wait_for_refreshes(1.0)
            True
        """
        with self._lock:
            pending = list(self._refreshing.values())
        _, not_done = futures_wait(pending, timeout=timeout)
        return not not_done

    def close(self) -> None:
        """Stop the background refreshes (queued ones are dropped, a running one finishes)."""
        self._closing.set()
        with self._lock:
            refresher, self._refresher = self._refresher, None
        if refresher is not None:
            refresher.shutdown(wait=True, cancel_futures=True)

    def _stale(self, entry: _Entry, fp: tuple[Any, ...]) -> bool:
        finished = entry.started + entry.cost
        return (entry.fingerprint != fp or entry.generation < self._writes
                or time.monotonic() - finished >= self.ttl)

    def _schedule(self, key: Hashable, compute: Callable[[], Any], whole: bool) -> None:
        """Queue one background refresh of ``key`` unless one is queued or running (the
        caller holds ``_lock``)."""
        if key in self._refreshing:
            return
        if self._refresher is None:
            self._refresher = ThreadPoolExecutor(max_workers=1,
                                                 thread_name_prefix="sitrep-cache")
        self._refreshing[key] = self._refresher.submit(self._refresh, key, compute, whole)

    def _refresh(self, key: Hashable, compute: Callable[[], Any], whole: bool) -> None:
        started = time.monotonic()
        try:
            self._compute_and_keep(key, compute, self.fingerprint(), whole)
        except Exception:  # keep serving the previous value; the next stale read tries again
            log.warning("refreshing %r failed; serving its previous value", key, exc_info=True)
        finally:
            with self._lock:
                self._refreshing.pop(key, None)
        # Rest as long as the rebuild took before the next one: however fast an ingest
        # writes, rebuilds take at most about half of one thread from the requests.
        self._closing.wait(min(MAX_REST, time.monotonic() - started))

    def _compute_and_keep(self, key: Hashable, compute: Callable[[], T],
                          fp: tuple[Any, ...], whole: bool) -> T:
        """Run ``compute`` and keep its value unless a later-started computation's is kept."""
        generation = self._writes
        started = time.monotonic()
        value = compute()
        entry = _Entry(value, fp, started, time.monotonic() - started, generation, compute,
                       whole)
        with self._lock:
            kept = self._cache.get(key)
            if kept is None or kept.started <= started:
                self._cache[key] = entry
                self._cache.move_to_end(key)
                while len(self._cache) > self.max_entries:
                    self._cache.popitem(last=False)
        return value

    def count(self, what: str, filters: Mapping[str, Any]) -> int:
        """``Store.count(what, **filters)``, cached like ``cached``.

        Example:
            >>> from sitrep.store import Store
            >>> Backend(Store.open("sqlite://")).count("claims", {"kind": ["killed"]})
            0
        """
        key = ("count", what, _freeze(filters))
        return self.cached(key, lambda: self.store.count(what, **filters), whole=False)

    # ------------------------------------------------------------------ claims

    def sources_of(self, claim_ids: list[int]) -> dict[int, int]:
        """Independent sources (copy groups) of each claim, counted over every stored claim.

        Example:
            >>> from sitrep.store import Store
            >>> Backend(Store.open("sqlite://")).sources_of([1])
            {1: 1}
        """
        if not claim_ids:
            return {}
        table = self.cached("sources", self._all_sources)
        return {i: table.get(i, 1) for i in claim_ids}

    def _all_sources(self) -> dict[int, int]:
        rows = self.store.claims(limit=None, with_record=False)
        return {int(r["id"]): n for r, n in zip(rows, count_sources(rows), strict=True)}

    def add_sources(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Set ``sources`` on claim rows (in place) and return them."""
        counts = self.sources_of([int(r["id"]) for r in rows])
        for r in rows:
            r["sources"] = counts.get(int(r["id"]), 1)
        return rows

    # ------------------------------------------------------------------ series

    def tracker(self) -> ModuleType:
        """The ``sitrep.analyse.track`` module; ``TrackerMissing`` when it is not installed."""
        try:
            return importlib.import_module(TRACK_MODULE)
        except ModuleNotFoundError as exc:
            if exc.name not in (TRACK_MODULE, "sitrep.analyse"):
                raise  # the tracker exists but lacks one of its own imports: a real error
            raise TrackerMissing(
                f"series need {TRACK_MODULE}, which this installation of sitrep does not have"
            ) from exc

    def has_tracker(self) -> bool:
        """Whether series can be served."""
        try:
            self.tracker()
        except TrackerMissing:
            return False
        return True

    def all_series(
        self, *, kind: str | None = None, subject_country: str | None = None,
        min_claims: int = 1, sort: str = "-n_claims",
    ) -> list[dict[str, Any]]:
        """Every series matching the filters (cached); ``ValueError`` for a bad sort.

        Example:
            >>> from sitrep.store import Store
            >>> b = Backend(Store.open("sqlite://"))
            >>> b.all_series() if b.has_tracker() else []
            []
        """
        track = self.tracker()
        key = ("series", kind, subject_country, min_claims, sort)
        return self.cached(
            key,
            lambda: list(
                track.list_series(
                    self.store, kind=kind, subject_country=subject_country,
                    min_claims=min_claims, limit=None, offset=0, sort=sort,
                )
            ),
        )

    def series(self, series_id: str) -> dict[str, Any] | None:
        """One series with its timelines, aggregate and revisions, or None (cached)."""
        track = self.tracker()
        found: dict[str, Any] | None = self.cached(
            ("series-one", series_id), lambda: track.get_series(self.store, series_id),
            whole=False,
        )
        return found

    # ------------------------------------------------------------------ figures

    def stats(self) -> dict[str, Any]:
        """Counts for the overview: rows per table, claims per kind, copy groups, latest run.

        Example:
            >>> from sitrep.store import Store
            >>> Backend(Store.open("sqlite://")).stats()["claims_by_kind"]["killed"]
            0
        """
        return self.cached("stats", self._stats)

    def _stats(self) -> dict[str, Any]:
        store = self.store
        runs = store.runs(limit=1)
        n_series: int | None = None
        if self.has_tracker():
            try:
                n_series = len(self.all_series())
            except ValueError:
                n_series = None
        # Claims and events as the listings show them: a syndicated copy's once.
        first = {"copies": False}
        return {
            "articles": store.count("articles"),
            "claims": store.count("claims", **first),
            "statements": store.count("statements"),
            "events": store.count("events", **first),
            "copy_groups": len(store.copy_groups(limit=None)),
            "series": n_series,
            "claims_by_kind": {k: store.count("claims", kind=k, **first) for k in KINDS},
            "anonymous_claims": store.count("claims", anonymous=True, **first),
            "rejects": len(store.rejects(limit=None)),
            "latest_run": runs[0] if runs else None,
        }
