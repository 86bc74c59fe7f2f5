"""Ingest batches (one worker task each) sized by characters, smaller at the end of a run.

A batch's cost is its text's length, not its number of articles, so batches are cut at about
``TASK_CHARS`` characters (and at most ``size`` articles). Every task also costs the ingesting
process a few milliseconds of messages whatever its size (measured with Dask: about 7 ms of
CPU per task), so tasks are large while there is much left to do. At the end of a run the
last batches are what the workers wait on, so the stream is read ``TAIL_BATCHES`` full batches
per worker slot ahead; once its end is in sight, each batch takes at most a ``2 × slots``-th
of the characters left (never less than ``TAIL_FLOOR``, about one news article): the batches
shrink as the run nears its end (guided self-scheduling), so the workers finish close
together. With one slot nothing waits, and there is no tail.

Example:
    >>> texts = ["x" * 4_000] * 40
    >>> [len(b) for b in char_batches(texts, 32, len, slots=1)]
    [30, 10]
    >>> [len(b) for b in char_batches(texts, 32, len, slots=2)]
    [10, 7, 5, 4, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1]
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from sitrep.extract.pipeline import chunked

T = TypeVar("T")

TASK_CHARS = 120_000  # characters of a task (about 30 news articles, ingest's batch size) until
# the end is in sight
TAIL_BATCHES = 2  # full batches per worker slot read ahead, to see the end coming
TAIL_FLOOR = 4_000  # characters: below about one article, a smaller target changes nothing


def char_batches(
    items: Iterable[T], size: int, length: Callable[[T], int], slots: int = 1
) -> Iterator[list[T]]:
    """Batches of at most ``size`` items and about ``TASK_CHARS`` characters (``length`` of
    each; one longer item is a batch of its own); with ``slots`` > 1 workers, smaller ones as
    the input runs out (see the module).
    """
    if slots <= 1:
        yield from greedy(items, size, length, TASK_CHARS)
        return
    ahead = TAIL_BATCHES * slots * TASK_CHARS
    buffer: deque[tuple[T, int]] = deque()
    buffered = 0
    source = iter(items)
    ended = False
    while True:
        while not ended and buffered < ahead:
            try:
                item = next(source)
            except StopIteration:
                ended = True
                break
            n = length(item)
            buffer.append((item, n))
            buffered += n
        if not buffer:
            return
        target = TASK_CHARS
        if ended:
            target = max(TAIL_FLOOR, min(TASK_CHARS, buffered // (2 * slots)))
        batch: list[T] = []
        chars = 0
        while buffer:
            item, n = buffer[0]
            if batch and (len(batch) >= size or chars + n > target):
                break
            buffer.popleft()
            batch.append(item)
            chars += n
            buffered -= n
        yield batch


def greedy(
    items: Iterable[T], size: int, length: Callable[[T], int], chars: int
) -> Iterator[list[T]]:
    """Runs of at most ``size`` items and about ``chars`` characters, in order
    (``Extractor``'s chunking with another size).

    Example:
        >>> [len(b) for b in greedy(["a" * 15, "b", "c" * 15], 64, len, 20)]
        [2, 1]
    """
    return chunked(items, size, length, chars)
