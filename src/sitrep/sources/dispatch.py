"""Every input kind to one stream of ``Article`` or ``Reject`` records: ``iter_articles``.

Dispatch is by suffix, then by content where the suffix says nothing:

============================  ==========================================================
``.txt`` ``.text``            plain text with an optional ``Key: value`` header
``.html`` ``.htm`` ``.xhtml`` an HTML page (trafilatura)
``.jsonl`` ``.ndjson``        JSON Lines in the contract's shape, streamed line by line
``.xml`` ``.rss`` ``.atom``   an RSS or Atom feed (feedparser)
``.warc`` ``.warc.gz``        a WARC archive, streamed record by record (warcio)
no suffix, and ``-``          sniffed from the first bytes (``sniff_kind``): ``WARC/1.`` a
(standard input): a pipe,     WARC archive; gzip holding ``WARC/`` one compressed (other
``/dev/stdin``, a file named  gzip data is a Reject); an XML prolog, ``<rss``, ``<feed``
``feed``                      or ``<rdf:RDF`` a feed; ``<!doctype html`` or ``<html`` a
                              page; a first line that is a JSON object JSON Lines;
                              anything else plain text (decoded by the encoding rule)
any other suffix              sniffed the same way, but never taken for plain text:
                              otherwise a Reject "unknown file type .xyz"
============================  ==========================================================

Every input is opened once and read from its start once: the sniffed head is handed on with
the rest of the stream, so a pipe or process substitution (``sitrep extract <(zcat x.gz)``)
reads like a file.

Memory stays flat as the corpus grows: inputs are walked lazily, JSON Lines and WARC archives
are streamed, and one whole document (a text, a page, a feed) is held at a time, at most
``max_bytes`` (``MAX_DOCUMENT_BYTES``, 10 MiB; a bigger file is a Reject "too large" and is
never read; a bigger pipe is read up to the limit).

Example:
    >>> import io
    >>> rows = io.BytesIO(b'{"id": "a", "text": "Two died.", "published": "2024-12-17"}\\n')
    >>> [a.id for a in iter_articles(["-"], stdin=rows)]
    ['a']
"""

from __future__ import annotations

import json
import os
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import BinaryIO

from sitrep.model import Article
from sitrep.sources.base import (
    MAX_DOCUMENT_BYTES,
    PathLike,
    Record,
    Reject,
    read_whole,
    regular_size,
    with_head,
)
from sitrep.sources.encoding import binary_kind
from sitrep.sources.paths import STDIN, STDIN_NAME, Input, expand_paths
from sitrep.sources.text import article_from_bytes

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
_BOM = b"\xef\xbb\xbf"
_GZIP_MAGIC = b"\x1f\x8b"
_FEED_TAGS = (b"<rss", b"<feed", b"<rdf:rdf")

#: A reader: (open binary stream from its start, name, default date, size limit) -> records.
Reader = Callable[[BinaryIO, str, date | None, int], Iterator[Record]]


def _suffix(path: PathLike) -> str:
    name = os.path.basename(os.fspath(path)).lower()
    for double in (".warc.gz", ".arc.gz"):
        if name.endswith(double):
            return double
    return os.path.splitext(name)[1]


def sniff_kind(head: bytes) -> str | None:
    """The kind of input its first bytes show (not plain text: that is what is left), or None.

    Example:
        >>> sniff_kind(b"WARC/1.0\\r\\nWARC-Type: warcinfo")
        'warc'
        >>> sniff_kind(b'<?xml version="1.0"?><rss version="2.0">')
        'feed'
        >>> sniff_kind(b"<!DOCTYPE html><html>"), sniff_kind(b'{"id": "a", "text": "x"}\\n')
        ('html', 'jsonl')
        >>> sniff_kind(b"Two died."), sniff_kind(b"{Two died.}")
        (None, None)
    """
    if head.startswith(_GZIP_MAGIC):
        return "warc" if _gunzipped_head(head).startswith((b"WARC/", b"filedesc://")) else None
    if head.startswith(b"WARC/"):
        return "warc"
    text = head.removeprefix(_BOM).lstrip()
    lower = text[:_SNIFF_BYTES].lower()
    if lower.startswith(b"<?xml") or lower.startswith(_FEED_TAGS):
        if b"<html" in lower and not any(tag in lower for tag in _FEED_TAGS):
            return "html"  # XHTML
        return "feed"
    if lower.startswith((b"<!doctype html", b"<html")):
        return "html"
    if lower.startswith(b"<!--") and b"<html" in lower:
        return "html"
    if text.startswith(b"{") and _is_json_object(text.split(b"\n", 1)[0]):
        return "jsonl"
    return None


def _gunzipped_head(head: bytes) -> bytes:
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 64)
    except zlib.error:
        return b""


def _is_json_object(line: bytes) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:  # not JSON, or not UTF-8
        return False


def _read_head(fh: BinaryIO, max_bytes: int) -> bytes:
    """The first bytes of an input, enough to tell its kind: ``_SNIFF_BYTES``, more while
    they are blank, and up to the first line's end when it starts like a JSON object (a JSON
    line is often longer than the sniffed bytes); never more than ``max_bytes`` + 1."""
    head = fh.read(_SNIFF_BYTES)
    while len(head) <= max_bytes:
        body = head.removeprefix(_BOM).lstrip()
        if body and not (body.startswith(b"{") and b"\n" not in body):
            break
        more = fh.read(min(max(_SNIFF_BYTES, len(head)), max_bytes + 1 - len(head)))
        if not more:
            break
        head += more
    return head


def _kind_from_head(head: bytes, suffix: str, where: str, piped: bool) -> str | Reject:
    """The reader kind for an input of no known suffix, from its first bytes."""
    kind = sniff_kind(head)
    if kind is not None:
        return kind
    if head.startswith(_GZIP_MAGIC):
        inside = _gunzipped_head(head)[:24].decode("ascii", "replace").split("\n")[0]
        return Reject(where, f"gzip data that is not a WARC archive (it holds {inside!r}); "
                             "only WARC archives are read compressed")  # fmt: skip
    if not head.removeprefix(_BOM).strip():
        return Reject(where, "empty input" if piped else "empty file")
    if suffix:
        binary = binary_kind(head)
        if binary is not None:
            return Reject(where, f"unknown file type {suffix} (binary file: {binary})")
        return Reject(where, f"unknown file type {suffix}")
    return "text"


def kind_of(path: PathLike) -> str | Reject:
    """The reader kind of a file (by suffix, else by content), or a Reject for an unknown one.

    Example:
        >>> kind_of("report.txt")
        'text'
        >>> kind_of("/no/such/notes.xyz")
        Reject(where='/no/such/notes.xyz', reason='cannot read (No such file or directory)')
    """
    where = os.fspath(path)
    suffix = _suffix(path)
    kind = SUFFIX_KINDS.get(suffix)
    if kind is not None:
        return kind
    try:
        with open(path, "rb") as fh:
            return _kind_from_head(_read_head(fh, MAX_DOCUMENT_BYTES), suffix, where,
                                   regular_size(fh) is None)  # fmt: skip
    except OSError as exc:
        return Reject(where, f"cannot read ({exc.strerror or exc})")


def _read_text(
    fh: BinaryIO, where: str, published: date | None, max_bytes: int
) -> Iterator[Record]:
    data = read_whole(fh, where, max_bytes)
    yield data if isinstance(data, Reject) else article_from_bytes(data, where, published)


def _read_html(
    fh: BinaryIO, where: str, published: date | None, max_bytes: int
) -> Iterator[Record]:
    from sitrep.sources.htmlpage import read_html_bytes

    data = read_whole(fh, where, max_bytes)
    yield data if isinstance(data, Reject) else read_html_bytes(data, where, published)


def _read_jsonl(
    fh: BinaryIO, where: str, published: date | None, max_bytes: int
) -> Iterator[Record]:
    from sitrep.sources.jsonl import read_jsonl_input

    yield from read_jsonl_input(fh, where, published, max_bytes)


def _read_feed(
    fh: BinaryIO, where: str, published: date | None, max_bytes: int
) -> Iterator[Record]:
    from sitrep.sources.feeds import read_feed_bytes

    data = read_whole(fh, where, max_bytes)
    if isinstance(data, Reject):
        yield data
    else:
        yield from read_feed_bytes(data, where, published)


def _read_warc(
    fh: BinaryIO, where: str, published: date | None, max_bytes: int
) -> Iterator[Record]:
    from sitrep.sources.warc import read_warc_stream

    yield from read_warc_stream(fh, where, published, max_bytes)


#: The reader of each kind, on an open stream (imported on first use: trafilatura,
#: feedparser and warcio load only when an input needs them).
READERS: dict[str, Reader] = {
    "text": _read_text,
    "html": _read_html,
    "jsonl": _read_jsonl,
    "feed": _read_feed,
    "warc": _read_warc,
}


def read_path(
    path: PathLike,
    published: date | None = None,
    max_bytes: int = MAX_DOCUMENT_BYTES,
    where: str | None = None,
) -> Iterator[Article | Reject]:
    """The records of one file, whatever its kind; never raises for a bad input.

    The file is opened once and read from its start once, so a named pipe or ``/dev/stdin``
    works. ``where`` is the name records go by (the path when not given). A reader that
    fails in an unforeseen way gives a Reject naming the error (after the records it had
    already yielded), so one odd file never stops the batch.

    Example:
        >>> [str(r) for r in read_path("/no/such/report.txt", where="report.txt")]
        ['report.txt: cannot read (No such file or directory)']
    """
    where = where if where is not None else os.fspath(path)
    try:
        fh = open(path, "rb")
    except OSError as exc:
        yield Reject(where, f"cannot read ({exc.strerror or exc})")
        return
    with fh:
        yield from read_stream(fh, where, published, max_bytes, suffix=_suffix(path))


def read_stdin(
    stream: BinaryIO, published: date | None = None, max_bytes: int = MAX_DOCUMENT_BYTES
) -> Iterator[Article | Reject]:
    """Standard input, of any kind: sniffed like a file without a suffix.

    Example:
        >>> import io
        >>> [a.text for a in read_stdin(io.BytesIO(b"Shelling killed two in Kherson."))]
        ['Shelling killed two in Kherson.']
    """
    yield from read_stream(stream, STDIN_NAME, published, max_bytes)


def read_stream(
    fh: BinaryIO,
    where: str,
    published: date | None = None,
    max_bytes: int = MAX_DOCUMENT_BYTES,
    suffix: str = "",
) -> Iterator[Article | Reject]:
    """The records of an open input, read once from its start: its kind by ``suffix``, else
    sniffed from its first bytes (``sniff_kind``); never raises for a bad input.

    Example:
        >>> import io
        >>> rss = io.BytesIO(b'<rss version="2.0"><channel><title>Kyiv Ledger</title><item>'
        ...                  b'<link>https://kl.example/1</link><description>A drone strike '
        ...                  b'wounded three.</description></item></channel></rss>')
        >>> [a.url for a in read_stream(rss, "feed")]
        ['https://kl.example/1']
    """
    kind: str | Reject | None = SUFFIX_KINDS.get(suffix)
    try:
        if kind is None:
            head = _read_head(fh, max_bytes)
            kind = _kind_from_head(head, suffix, where, regular_size(fh) is None)
            fh = with_head(head, fh)
        if isinstance(kind, Reject):
            yield kind
            return
        yield from READERS[kind](fh, where, published, max_bytes)
    except OSError as exc:
        yield Reject(where, f"cannot read ({exc.strerror or exc})")
    except Exception as exc:  # a reader bug must not stop the batch
        yield Reject(where, f"reader failed ({type(exc).__name__}: {exc})")


def iter_articles(
    paths: Iterable[PathLike],
    published: date | None = None,
    *,
    max_bytes: int = MAX_DOCUMENT_BYTES,
    stdin: BinaryIO | None = None,
) -> Iterator[Article | Reject]:
    """Every article in ``paths`` (files, folders, globs, ``-``), lazily, in a stable order.

    ``published`` is the date for an input that carries none of its own. Unreadable inputs
    become Rejects with the reason; nothing raises for a bad input. Records name their file
    relative to what was given, never by its absolute path (see ``sitrep.sources.paths``).
    ``stdin`` replaces ``sys.stdin.buffer`` for ``-``.

    Example:
        >>> [str(r) for r in iter_articles(["/no/such/folder", "notes/*.zzz"])]
        ['folder: no such file or folder', 'notes/*.zzz: no files match the pattern']
    """
    for item in expand_paths(paths):
        if isinstance(item, Reject):
            yield item
        elif item.path == STDIN:
            yield from read_stdin(stdin if stdin is not None else sys.stdin.buffer, published,
                                  max_bytes)  # fmt: skip
        else:
            yield from read_path(item.path, published, max_bytes, where=item.name)


__all__ = [
    "READERS",
    "STDIN_NAME",
    "SUFFIX_KINDS",
    "Input",
    "iter_articles",
    "kind_of",
    "read_path",
    "read_stdin",
    "read_stream",
    "sniff_kind",
]
