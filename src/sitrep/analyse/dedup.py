"""Copy groups: syndicated copies of one story found by MinHash LSH.

Forty outlets carrying one AFP story are one source. Two articles are copies when the
Jaccard similarity of their word 5-gram shingle sets is at least ``THRESHOLD`` (estimated
with MinHash, found with LSH). Why 0.5: another outlet's header and footer, a changed
headline and one dropped paragraph of six keep a copy above 0.6 on realistic wire stories
(tests/test_dedup.py builds such variants), while two different reports of one incident
share few 5-word runs (well under 0.2).

Example:
    >>> g = CopyGrouper()
    >>> story = " ".join(f"word{i}" for i in range(200))
    >>> g.add(1, story)
    1
    >>> g.add(2, "Reprinted by Example Daily. " + story)
    1
"""

from __future__ import annotations

import functools
import re
from collections import deque
from collections.abc import Iterable
from typing import Any, TypeAlias

import numpy as np
from datasketch import MinHash
from datasketch.lsh import _optimal_param

THRESHOLD = 0.5
NUM_PERM = 128
SHINGLE = 5
WINDOW = 100_000  # articles kept for matching (see CopyGrouper)
SCHEME = "affine32"  # stored signatures are only comparable under one hashing scheme
_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, size: int = SHINGLE) -> set[bytes]:
    """Word ``size``-grams of the lower-cased text, as bytes for hashing.

    Example:
        >>> sorted(shingles("A b c", size=2))
        [b'a b', b'b c']
    """
    words = _WORD.findall(text.lower())
    if len(words) < size:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


def signature(text: str) -> MinHash:
    """The MinHash of an article's shingles."""
    m = MinHash(num_perm=NUM_PERM, scheme=SCHEME)
    m.update_batch(list(shingles(text)))
    return m


def signature_bytes(m: MinHash) -> bytes:
    """A MinHash as bytes, for storing beside the article."""
    return bytes(m.hashvalues.astype(np.uint64).tobytes())


def signature_from_bytes(data: bytes) -> MinHash:
    """The inverse of ``signature_bytes``."""
    values = np.frombuffer(data, dtype=np.uint64).copy()
    # The permutations depend only on num_perm and the seed: drawing them again for every
    # signature read back cost more than the rest of it (about 1 ms each).
    return MinHash(num_perm=len(values), hashvalues=values, scheme=SCHEME,
                   permutations=_permutations(len(values)))


@functools.lru_cache(maxsize=4)
def _permutations(num_perm: int) -> Any:
    """The permutations of a MinHash of ``num_perm`` values (the default seed)."""
    return MinHash(num_perm=num_perm, scheme=SCHEME).permutations


def signature_values(data: bytes) -> np.ndarray:
    """A stored signature's hash values (``signature_bytes``' inverse, without the MinHash
    object around them: what copy grouping compares). Read-only.

    Example:
        >>> m = signature("Two soldiers were killed in Kharkiv on Monday.")
        >>> bool((signature_values(signature_bytes(m)) == m.hashvalues).all())
        True
    """
    return np.frombuffer(data, dtype=np.uint64)


@functools.lru_cache(maxsize=8)
def lsh_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """Bands and rows per band of the LSH for ``threshold`` (datasketch's optimum, equal
    weights on false positives and negatives): a numerical integration over every
    candidate, about 20 ms, so known for the defaults and found once per process otherwise.

    Example:
        >>> lsh_params(0.5, 128)
        (25, 5)
    """
    known = _LSH_PARAMS.get((threshold, num_perm))
    if known is not None:
        return known
    return tuple(_optimal_param(threshold, num_perm, 0.5, 0.5))  # type: ignore[return-value]


# The optimum for the defaults, so a process (each worker, each CLI run) skips the
# integration; tests/test_dedup.py checks it against datasketch's.
_LSH_PARAMS = {(THRESHOLD, NUM_PERM): (25, 5)}


class BandIndex:
    """MinHash LSH over hash values: an article is a candidate for another when one of
    ``bands`` runs of ``rows`` hash values is equal in both (datasketch's ``MinHashLSH``
    with its dict storage finds the same candidates; this one keys its buckets by the runs'
    bytes as they are and takes no ``MinHash`` objects, at a third of its cost).

    Example:
        >>> index = BandIndex(2, 2)
        >>> index.insert(7, np.array([1, 2, 3, 4], dtype=np.uint64))
        >>> index.query(np.array([9, 9, 3, 4], dtype=np.uint64))
        {7}
        >>> index.remove(7); index.query(np.array([1, 2, 3, 4], dtype=np.uint64))
        set()
    """

    def __init__(self, bands: int, rows: int) -> None:
        self.bands, self.rows = bands, rows
        self.tables: list[dict[bytes, set[int]]] = [{} for _ in range(bands)]
        self.keys: dict[int, list[bytes]] = {}  # each kept article's bucket keys

    def __contains__(self, key: int) -> bool:
        return key in self.keys

    def _buckets(self, values: np.ndarray) -> list[bytes]:
        data = np.ascontiguousarray(values[: self.bands * self.rows], dtype=np.uint64).tobytes()
        width = 8 * self.rows
        return [data[i : i + width] for i in range(0, len(data), width)]

    def insert(self, key: int, values: np.ndarray) -> None:
        """Keep ``key`` under its signature's ``values`` (once: a kept key is left alone)."""
        if key in self.keys:
            return
        buckets = self.keys[key] = self._buckets(values)
        for table, bucket in zip(self.tables, buckets, strict=True):
            found = table.get(bucket)
            if found is None:
                table[bucket] = {key}
            else:
                found.add(key)

    def remove(self, key: int) -> None:
        """Forget ``key``."""
        for table, bucket in zip(self.tables, self.keys.pop(key), strict=True):
            found = table[bucket]
            found.discard(key)
            if not found:
                del table[bucket]

    def query(self, values: np.ndarray) -> set[int]:
        """The kept keys that share a band with ``values``."""
        out: set[int] = set()
        for table, bucket in zip(self.tables, self._buckets(values), strict=True):
            found = table.get(bucket)
            if found:
                out |= found
        return out


Signature: TypeAlias = MinHash | np.ndarray  # a MinHash, or its hash values (``signature_values``)


def _values(m: Signature) -> np.ndarray:
    return m.hashvalues if isinstance(m, MinHash) else m


class CopyGrouper:
    """Assigns each article to a copy group: its own id, or the group of an earlier copy.

    Only the latest ``window`` articles are kept for matching: syndicated copies of a story
    appear within days, and a bounded window keeps memory bounded however large the corpus
    grows. Each kept article costs about 4.7 KiB (128 hash values, the LSH's band keys and
    the dicts around them; measured 2026-12-04: 51.8 MiB for 11,000), so the default window
    of 100,000 tops out near 470 MiB. Signatures are ``MinHash`` objects or their hash
    values (``signature_values``: what an ingest reads back from the store).
    """

    def __init__(self, threshold: float = THRESHOLD, window: int = WINDOW) -> None:
        self.lsh = BandIndex(*lsh_params(threshold, NUM_PERM))
        self.group_of: dict[int, int] = {}
        self.threshold = threshold
        self.window = window
        self._sigs: dict[int, np.ndarray] = {}
        self._order: deque[int] = deque()

    def load(self, rows: Iterable[tuple[int, int, bytes]]) -> None:
        """Re-enter stored (article id, group id, signature bytes) rows, oldest first."""
        for article_id, group_id, sig in rows:
            self._insert(article_id, group_id, signature_values(sig))

    def _insert(self, article_id: int, group_id: int, m: Signature) -> None:
        values = _values(m)
        if article_id not in self.lsh:
            self.lsh.insert(article_id, values)
            self._order.append(article_id)
        self.group_of[article_id] = group_id
        # Keep the hash values only: a MinHash object also carries its permutations (2 KB).
        self._sigs[article_id] = values
        while len(self._order) > self.window:
            old = self._order.popleft()
            self.lsh.remove(old)
            self._sigs.pop(old, None)
            self.group_of.pop(old, None)

    def signature_of(self, article_id: int) -> bytes:
        """The stored signature bytes of a kept article."""
        return bytes(self._sigs[article_id].astype(np.uint64).tobytes())

    def match(self, m: Signature) -> int | None:
        """The group of the kept article most like ``m`` (at least ``threshold``), or None;
        of equally like ones, the earliest kept (the lowest id).

        Example:
            >>> g = CopyGrouper()
            >>> story = " ".join(f"word{i}" for i in range(200))
            >>> g.keep(7, 70, signature(story))
            >>> g.match(signature("Reprinted by Example Daily. " + story))
            70
            >>> g.match(signature("A different report altogether.")) is None
            True
        """
        values = _values(m)
        best_group: int | None = None
        best_sim = 0.0
        for other in sorted(self.lsh.query(values)):
            sim = float(np.count_nonzero(self._sigs[other] == values)) / NUM_PERM
            # LSH returns candidates; keep only those truly over the threshold.
            if sim >= self.threshold and sim > best_sim:
                best_sim = sim
                best_group = self.group_of[other]
        return best_group

    def keep(self, article_id: int, group_id: int, m: Signature) -> None:
        """Keep an article, in group ``group_id``, for matching later ones."""
        self._insert(article_id, group_id, m)

    def add(self, article_id: int, text: str, m: MinHash | None = None) -> int:
        """Place an article; return its copy group id (the first member's article id)."""
        m = m if m is not None else signature(text)
        group = self.match(m)
        best_group = article_id if group is None else group
        self._insert(article_id, best_group, m)
        return best_group
