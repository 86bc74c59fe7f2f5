"""Batches in flight, results in order: the one loop every parallel backend runs.

A backend (a process pool, a Dask client) returns a future per batch; ``ordered_window``
keeps a bounded number of them in flight, so that workers stay busy and memory stays flat on
any corpus size, and yields their results in input order, so that whatever reads them (the
ingest's saving, ``sitrep extract``'s output) sees what a one-process run gives.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Generator, Iterable
from typing import Any, TypeVar

T = TypeVar("T")


def ordered_window(
    submit: Callable[[list[T]], Any],
    batches: Iterable[list[T]],
    limit: Callable[[], int],
    cancel: Callable[[list[Any]], None] | None = None,
) -> Generator[Any, None, None]:
    """Submit batches as they come, at most ``limit()`` in flight; yield results in order.

    ``submit`` returns a future (``concurrent.futures`` or Dask) whose result is a list; an
    empty batch is not submitted and yields ``[]``. When the caller stops early, ``cancel``
    gets the futures still in flight.

    Example:
        >>> from concurrent.futures import ThreadPoolExecutor
        >>> with ThreadPoolExecutor(2) as pool:
        ...     run = ordered_window(lambda b: pool.submit(len, b), [[1, 2], [], [3]], lambda: 2)
        ...     list(run)
        [2, [], 1]
    """
    window: deque[Any] = deque()

    def take() -> Any:
        future = window.popleft()
        if future is None:
            return []
        result = future.result()
        release = getattr(future, "release", None)
        if release is not None:
            release()  # a Dask future: the worker may drop its copy now
        return result

    try:
        for batch in batches:
            while len(window) >= max(1, limit()):
                yield take()
            window.append(submit(batch) if batch else None)
        while window:
            yield take()
    finally:
        left = [f for f in window if f is not None]
        if left and cancel is not None:
            cancel(left)


def cancel_all(futures: list[Any]) -> None:
    """Cancel futures not started yet (``ordered_window``'s ``cancel`` for a process pool)."""
    for future in futures:
        future.cancel()
