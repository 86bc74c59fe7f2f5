"""What the API and the dashboard read: the store, the tracker and a small result cache.

``Backend`` wraps one ``sitrep.store.Store`` for a running server. It adds what the store
alone does not give cheaply per request: each claim's number of independent sources (copy
groups carrying the same claim, from ``sitrep.analyse.sources``) and the series of
``sitrep.analyse.track``. Both are computed over the whole database, so they are cached and
recomputed when the database changes (a new or finished run, a different number of claims or
articles) or after ``ttl`` seconds.

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
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from types import ModuleType
from typing import Any, TypeVar

from sitrep.analyse.sources import count_sources
from sitrep.model import KINDS
from sitrep.store import Store

T = TypeVar("T")

TRACK_MODULE = "sitrep.analyse.track"


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


class Backend:
    """One server's access to the database, with cached whole-database figures.

    ``token`` is the bearer token that allows writes (None: no writes at all).

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
        self.ingest_lock = threading.Lock()  # one ingest at a time (spaCy is not thread-safe)
        self.extractor: Any = None  # built on the first ingest, then reused
        self._lock = threading.Lock()
        self._key_locks: dict[Hashable, threading.Lock] = {}
        self._cache: OrderedDict[Hashable, tuple[tuple[Any, ...], float, Any]] = OrderedDict()
        self._fingerprint: tuple[float, tuple[Any, ...]] | None = None

    # ------------------------------------------------------------------ cache

    def fingerprint(self) -> tuple[Any, ...]:
        """What changes when the database does: the latest run and the row counts.

        Computed at most once a second.

        Example:
            >>> from sitrep.store import Store
            >>> Backend(Store.open("sqlite://")).fingerprint()
            (None, None, None, 0, 0)
        """
        now = time.monotonic()
        cached = self._fingerprint
        if cached is not None and now - cached[0] < 1.0:
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
        """Forget every cached figure (after this server wrote to the database)."""
        with self._lock:
            self._cache.clear()
            self._fingerprint = None

    def cached(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, kept until the database changes or ``ttl`` seconds pass.

        Concurrent callers of one key wait for a single computation; at most
        ``max_entries`` results are kept (the least recently used go first).

        Example:
            >>> from sitrep.store import Store
            >>> b = Backend(Store.open("sqlite://"))
            >>> b.cached("answer", lambda: 42), b.cached("answer", lambda: 0)
            (42, 42)
        """
        with self._lock:
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:
            fp = self.fingerprint()
            hit = self._cache.get(key)
            if hit is not None and hit[0] == fp and time.monotonic() - hit[1] < self.ttl:
                with self._lock:
                    if key in self._cache:
                        self._cache.move_to_end(key)
                return hit[2]  # type: ignore[no-any-return]
            value = compute()
            with self._lock:
                self._cache[key] = (fp, time.monotonic(), value)
                self._cache.move_to_end(key)
                while len(self._cache) > self.max_entries:
                    old, _ = self._cache.popitem(last=False)
                    self._key_locks.pop(old, None)
            return value

    def count(self, what: str, filters: Mapping[str, Any]) -> int:
        """``Store.count(what, **filters)``, cached like ``cached``.

        Example:
            >>> from sitrep.store import Store
            >>> Backend(Store.open("sqlite://")).count("claims", {"kind": ["killed"]})
            0
        """
        key = ("count", what, _freeze(filters))
        return self.cached(key, lambda: self.store.count(what, **filters))

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
            ("series-one", series_id), lambda: track.get_series(self.store, series_id)
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
        return {
            "articles": store.count("articles"),
            "claims": store.count("claims"),
            "statements": store.count("statements"),
            "events": store.count("events"),
            "copy_groups": len(store.copy_groups(limit=None)),
            "series": n_series,
            "claims_by_kind": {k: store.count("claims", kind=k) for k in KINDS},
            "anonymous_claims": store.count("claims", anonymous=True),
            "rejects": len(store.rejects(limit=None)),
            "latest_run": runs[0] if runs else None,
        }
