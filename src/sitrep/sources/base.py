"""What every reader shares: the ``Reject`` record, strict dates and the size limit.

A reader yields ``Article`` records and ``Reject`` records (what could not be read, where,
and why) in input order; a bad input never stops the batch.

Example:
    >>> str(Reject("feed.jsonl:3", "no text"))
    'feed.jsonl:3: no text'
"""

from __future__ import annotations

import io
import os
import stat
from dataclasses import dataclass
from datetime import date
from typing import BinaryIO, TypeAlias

from sitrep.errors import Errors
from sitrep.model import Article

#: The largest single document a reader accepts: one text or HTML file, one feed file, one
#: JSON line, one WARC record's payload, or standard input read as text. A larger one is
#: rejected as "too large" *without being read* (a news article is rarely over 100 kB; a
#: 50 MB "article" is a log, a dump or a mistake). ``iter_articles(max_bytes=...)`` changes it.
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


@dataclass
class Reject:
    """An input that could not be read: ``where`` is a path (and line), ``reason`` says why.

    ``where`` is the path as given or found; a line of a JSON Lines file adds ``:LINE``, an
    entry of a feed ``#N`` (1-based), a record of a WARC archive ``@OFFSET`` (its byte offset
    in the file).

    Example:
        >>> Reject("in.txt", "empty file").where
        'in.txt'
    """

    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


#: What every reader yields.
Record: TypeAlias = Article | Reject

#: A file name as readers take it. Readers work on plain strings inside (``pathlib`` interns
#: every name it parses, which costs memory spikes on big corpora).
PathLike: TypeAlias = str | os.PathLike[str]


def parse_date(value: object) -> date | None:
    """A ``YYYY-MM-DD`` date, or None when absent; ``ValueError`` naming the value if impossible.

    A longer ISO timestamp is cut to its date; anything else (``18/12/2024``, ``Tuesday``,
    ``2024-13-45``) is an impossible date.

    Example:
        >>> parse_date("2024-12-18")
        datetime.date(2024, 12, 18)
    """
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError as exc:
        raise ValueError(Errors.E101.format(value=value)) from exc


def too_large(size: int, limit: int) -> str:
    """The reason given for a document over the size limit.

    Example:
        >>> too_large(52_428_800, 10_485_760)
        'too large: 52,428,800 bytes (the limit is 10,485,760 bytes per document)'
    """
    return f"too large: {size:,} bytes (the limit is {limit:,} bytes per document)"


def read_document(
    path: PathLike, max_bytes: int = MAX_DOCUMENT_BYTES, where: str | None = None
) -> bytes | Reject:
    """The bytes of one whole-document file, read once; a Reject when empty, too large
    (checked before reading) or unreadable. ``where`` names it in a Reject (the path).

    Example:
        >>> read_document("/no/such/file.txt", where="file.txt")
        Reject(where='file.txt', reason='cannot read (No such file or directory)')
    """
    where = where if where is not None else os.fspath(path)
    try:
        fh = open(path, "rb")
    except OSError as exc:
        return Reject(where, f"cannot read ({exc.strerror or exc})")
    with fh:
        return read_whole(fh, where, max_bytes)


def read_whole(fh: BinaryIO, where: str, max_bytes: int = MAX_DOCUMENT_BYTES) -> bytes | Reject:
    """All the bytes of an open stream (a file, a pipe, standard input), at most
    ``max_bytes``: a regular file over the limit is rejected from its size, unread; a pipe
    is read up to the limit and rejected past it.

    Example:
        >>> import io
        >>> read_whole(io.BytesIO(b"Two died in Sumy."), "<stdin>")
        b'Two died in Sumy.'
        >>> read_whole(io.BytesIO(b"x" * 20), "<stdin>", max_bytes=10).reason
        'too large: over the limit of 10 bytes per document'
    """
    size = regular_size(fh)
    try:
        if size is not None:
            if size == 0:
                return Reject(where, "empty file")
            if size > max_bytes:
                return Reject(where, too_large(size, max_bytes))
        # read(n) allocates n bytes up front: ask for the size stat gave, and one more byte
        # to notice a file that grew past the limit since
        data = fh.read(min(size, max_bytes) + 1 if size is not None else max_bytes + 1)
    except OSError as exc:
        return Reject(where, f"cannot read ({exc.strerror or exc})")
    if not data:
        return Reject(where, "empty file" if size is not None else "empty input")
    if len(data) > max_bytes:
        if size is None:
            return Reject(where, f"too large: over the limit of {max_bytes:,} bytes per document")
        return Reject(where, too_large(len(data), max_bytes))  # it grew since stat
    return data


def regular_size(fh: BinaryIO) -> int | None:
    """The size of the regular file behind ``fh``; None for a pipe, a terminal, a socket or
    an in-memory stream (their size is only known once read).

    Example:
        >>> import io
        >>> regular_size(io.BytesIO(b"abc")) is None
        True
    """
    try:
        st = os.fstat(fh.fileno())
    except (OSError, ValueError, io.UnsupportedOperation, AttributeError):
        return None
    return st.st_size if stat.S_ISREG(st.st_mode) else None


class PrefixedStream(io.RawIOBase):
    """Bytes already read from a stream (its head, read to tell its kind), then the rest of
    the stream: how a pipe, which cannot seek back, is read from its start again.

    ``fileno()`` is the underlying stream's, so the size of a regular file is still known.

    Example:
        >>> import io
        >>> src = io.BytesIO(b"WARC/1.0\\r\\n...")
        >>> head = src.read(4)
        >>> io.BufferedReader(PrefixedStream(head, src)).read()
        b'WARC/1.0\\r\\n...'
    """

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._rest.fileno()

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def with_head(head: bytes, rest: BinaryIO) -> BinaryIO:
    """A buffered stream of ``head`` then ``rest`` (see ``PrefixedStream``).

    Example:
        >>> import io
        >>> with_head(b"Two ", io.BytesIO(b"died.")).read()
        b'Two died.'
    """
    if not head:
        return rest
    return io.BufferedReader(PrefixedStream(head, rest))  # type: ignore[return-value]
