"""Every input kind to one stream of ``Article`` or ``Reject`` records: ``iter_articles``.

Dispatch is by suffix, then by content where the suffix says nothing:

============================  ==========================================================
``.txt`` ``.text``            plain text with an optional ``Key: value`` header
``.html`` ``.htm`` ``.xhtml`` an HTML page (trafilatura)
``.jsonl`` ``.ndjson``        JSON Lines in the contract's shape, streamed line by line
``.xml`` ``.rss`` ``.atom``   an RSS or Atom feed (feedparser)
``.warc`` ``.warc.gz``        a WARC archive, streamed record by record (warcio)
anything else                 sniffed: ``WARC/`` (or gzip holding it) is a WARC archive,
                              ``<rss``/``<feed``/``<rdf:RDF`` a feed, ``<html`` a page;
                              otherwise a Reject "unknown file type .xyz"
``-``                         standard input: JSON Lines if it starts with ``{``, else
                              one plain-text article
============================  ==========================================================

Memory stays flat as the corpus grows: inputs are walked lazily, JSON Lines, WARC archives
and standard input as JSON Lines are streamed, and one whole document (a text, a page, a feed)
is held at a time, at most ``max_bytes`` (``MAX_DOCUMENT_BYTES``, 10 MiB; a bigger one is a
Reject "too large" and is never read).

Example:
    >>> import io
    >>> rows = io.BytesIO(b'{"id": "a", "text": "Two died.", "published": "2024-12-17"}\\n')
    >>> [a.id for a in iter_articles(["-"], stdin=rows)]
    ['a']
"""

from __future__ import annotations

import io
import os
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import BinaryIO

from sitrep.model import Article
from sitrep.sources.base import MAX_DOCUMENT_BYTES, PathLike, Record, Reject
from sitrep.sources.paths import STDIN, expand_paths
from sitrep.sources.text import article_from_bytes, read_text_file

STDIN_NAME = "<stdin>"

SUFFIX_KINDS: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
    ".warc": "warc",
    ".warc.gz": "warc",
    ".arc": "warc",
    ".arc.gz": "warc",
}
_SNIFF_BYTES = 4096

#: A reader: (file, default date, size limit) -> records.
Reader = Callable[[PathLike, date | None, int], Iterator[Article | Reject]]


def _suffix(path: PathLike) -> str:
    name = os.path.basename(os.fspath(path)).lower()
    for double in (".warc.gz", ".arc.gz"):
        if name.endswith(double):
            return double
    return os.path.splitext(name)[1]


def sniff_kind(head: bytes) -> str | None:
    """The kind of input its first bytes show, or None.

    Example:
        >>> sniff_kind(b"WARC/1.0\\r\\nWARC-Type: warcinfo")
        'warc'
        >>> sniff_kind(b'<?xml version="1.0"?><rss version="2.0">')
        'feed'
        >>> sniff_kind(b"<!DOCTYPE html><html>") , sniff_kind(b"Two died.")
        ('html', None)
    """
    if head.startswith(b"\x1f\x8b"):
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 64)
        except zlib.error:
            return None
        return "warc" if head.startswith((b"WARC/", b"filedesc://")) else None
    if head.startswith(b"WARC/"):
        return "warc"
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    if text.startswith(b"<?xml") or text.startswith((b"<rss", b"<feed", b"<rdf:rdf")):
        if any(tag in text for tag in (b"<rss", b"<feed", b"<rdf:rdf")):
            return "feed"
        if b"<html" in text:
            return "html"
        return None
    if text.startswith((b"<!doctype html", b"<html")):
        return "html"
    return None


def kind_of(path: PathLike) -> str | Reject:
    """The reader kind of a file (by suffix, else by content), or a Reject for an unknown one.

    Example:
        >>> kind_of("report.txt")
        'text'
        >>> kind_of("/no/such/notes.xyz")
        Reject(where='/no/such/notes.xyz', reason='unknown file type .xyz')
    """
    suffix = _suffix(path)
    kind = SUFFIX_KINDS.get(suffix)
    if kind is not None:
        return kind
    try:
        with open(path, "rb") as fh:
            sniffed = sniff_kind(fh.read(_SNIFF_BYTES))
    except OSError:
        sniffed = None
    if sniffed is not None:
        return sniffed
    what = suffix if suffix else "(no suffix)"
    return Reject(os.fspath(path), f"unknown file type {what}")


def _read_text(path: PathLike, published: date | None, max_bytes: int) -> Iterator[Record]:
    yield read_text_file(path, published, max_bytes)


def _read_html(path: PathLike, published: date | None, max_bytes: int) -> Iterator[Record]:
    from sitrep.sources.htmlpage import read_html_file

    yield read_html_file(path, published, max_bytes)


def _read_jsonl(path: PathLike, published: date | None, max_bytes: int) -> Iterator[Record]:
    from sitrep.sources.jsonl import read_jsonl_file

    yield from read_jsonl_file(path, published, max_bytes)


def _read_feed(path: PathLike, published: date | None, max_bytes: int) -> Iterator[Record]:
    from sitrep.sources.feeds import read_feed_file

    yield from read_feed_file(path, published, max_bytes)


def _read_warc(path: PathLike, published: date | None, max_bytes: int) -> Iterator[Record]:
    from sitrep.sources.warc import read_warc_file

    yield from read_warc_file(path, published, max_bytes)


#: The reader of each kind (imported on first use: trafilatura, feedparser and warcio load
#: only when an input needs them).
READERS: dict[str, Reader] = {
    "text": _read_text,
    "html": _read_html,
    "jsonl": _read_jsonl,
    "feed": _read_feed,
    "warc": _read_warc,
}


def read_path(
    path: PathLike, published: date | None = None, max_bytes: int = MAX_DOCUMENT_BYTES
) -> Iterator[Article | Reject]:
    """The records of one file, whatever its kind; never raises for a bad input.

    A reader that fails in an unforeseen way gives a Reject naming the error (after the
    records it had already yielded), so one odd file never stops the batch.

    Example:
        >>> [str(r) for r in read_path("/no/such/report.txt")]
        ['/no/such/report.txt: cannot read (No such file or directory)']
    """
    kind = kind_of(path)
    if isinstance(kind, Reject):
        yield kind
        return
    try:
        yield from READERS[kind](path, published, max_bytes)
    except Exception as exc:  # a reader bug must not stop the batch
        yield Reject(os.fspath(path), f"reader failed ({type(exc).__name__}: {exc})")


def read_stdin(
    stream: BinaryIO, published: date | None = None, max_bytes: int = MAX_DOCUMENT_BYTES
) -> Iterator[Article | Reject]:
    """Standard input: JSON Lines (streamed) if it starts with ``{``, else one text article.

    Example:
        >>> [a.text for a in read_stdin(io.BytesIO(b"Shelling killed two in Kherson."))]
        ['Shelling killed two in Kherson.']
    """
    prefix = b""
    while len(prefix) <= max_bytes:
        chunk = stream.read(_SNIFF_BYTES)
        if not chunk:
            break
        prefix += chunk
        if prefix.removeprefix(b"\xef\xbb\xbf").strip():
            break
    first = prefix.removeprefix(b"\xef\xbb\xbf").lstrip()[:1]
    if not first:
        yield Reject(STDIN_NAME, "empty input")
        return
    if first == b"{":
        from sitrep.sources.jsonl import read_jsonl_stream

        joined = io.BufferedReader(_Prefixed(prefix, stream))
        yield from read_jsonl_stream(joined, STDIN_NAME, published, max_bytes)
        return
    data = prefix + stream.read(max_bytes + 1 - len(prefix))
    if len(data) > max_bytes:
        yield Reject(STDIN_NAME, f"too large: over {max_bytes:,} bytes, the limit per document")
        return
    yield article_from_bytes(data, STDIN_NAME, published)


class _Prefixed(io.RawIOBase):
    """Bytes already read from a stream, then the rest of the stream."""

    def __init__(self, prefix: bytes, rest: BinaryIO) -> None:
        self._prefix = prefix
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self._prefix:
            n = min(len(buffer), len(self._prefix))
            buffer[:n] = self._prefix[:n]
            self._prefix = self._prefix[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def iter_articles(
    paths: Iterable[PathLike],
    published: date | None = None,
    *,
    max_bytes: int = MAX_DOCUMENT_BYTES,
    stdin: BinaryIO | None = None,
) -> Iterator[Article | Reject]:
    """Every article in ``paths`` (files, folders, globs, ``-``), lazily, in a stable order.

    ``published`` is the date for an input that carries none of its own. Unreadable inputs
    become Rejects with the reason; nothing raises for a bad input. ``stdin`` replaces
    ``sys.stdin.buffer`` for ``-``.

    Example:
        >>> [str(r) for r in iter_articles(["/no/such/folder", "notes/*.zzz"])]
        ['/no/such/folder: no such file or folder', 'notes/*.zzz: no files match the pattern']
    """
    for item in expand_paths(paths):
        if isinstance(item, Reject):
            yield item
        elif item == STDIN:
            yield from read_stdin(stdin if stdin is not None else sys.stdin.buffer, published,
                                  max_bytes)  # fmt: skip
        else:
            yield from read_path(item, published, max_bytes)


__all__ = [
    "READERS",
    "SUFFIX_KINDS",
    "iter_articles",
    "kind_of",
    "read_path",
    "read_stdin",
    "sniff_kind",
]
