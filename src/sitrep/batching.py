"""Ingest batches (one worker task each) sized by characters, smaller at the end of a run.

A batch's cost is its text's length, not its number of articles, so batches are cut at about
``CHUNK_CHARS`` characters (and at most ``size`` articles): one batch of long articles does not
keep a worker busy while the others wait. At the end of a run the last batches are what the
workers wait on, so the stream is read ``TAIL_BATCHES`` full batches per worker slot ahead;
once its end is in sight, each batch takes at most a ``2 × slots``-th of the characters left
(never less than ``TAIL_FLOOR``, about one news article): the batches shrink as the run nears
its end (guided self-scheduling), so the workers finish close together. With one slot nothing
waits, and the batches are ``chunked``'s.

Example:
    >>> texts = ["x" * 4_000] * 12
    >>> [len(b) for b in char_batches(texts, 32, len, slots=1)]
    [5, 5, 2]
    >>> [len(b) for b in char_batches(texts, 32, len, slots=2)]
    [3, 2, 1, 1, 1, 1, 1, 1, 1]
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from sitrep.extract.pipeline import CHUNK_CHARS, chunked

T = TypeVar("T")

TAIL_BATCHES = 4  # full batches per worker slot read ahead, to see the end coming
TAIL_FLOOR = 4_000  # characters: below about one article, a smaller target changes nothing


def char_batches(
    items: Iterable[T], size: int, length: Callable[[T], int], slots: int = 1
) -> Iterator[list[T]]:
    """Batches of at most ``size`` items and about ``CHUNK_CHARS`` characters (``length`` of
    each); with ``slots`` > 1 workers, smaller ones as the input runs out (see the module).

    Until the end is in sight the batches are exactly ``chunked``'s, so a run's batches
    differ from a one-slot run's only in its last ``TAIL_BATCHES × slots`` or so.
    """
    if slots <= 1:
        yield from chunked(items, size, length)
        return
    ahead = TAIL_BATCHES * slots * CHUNK_CHARS
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
        target = CHUNK_CHARS
        if ended:
            target = max(TAIL_FLOOR, min(CHUNK_CHARS, buffered // (2 * slots)))
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
