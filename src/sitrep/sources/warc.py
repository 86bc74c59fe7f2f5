"""WARC archives (CC-NEWS and the like) through warcio, streamed record by record.

Every ``response`` (or ``resource``) record with a 2xx status and an HTML payload goes through
the HTML reader, its url from ``WARC-Target-URI``; other records (requests, metadata, images,
redirects) are skipped. A record is named ``FILE@OFFSET`` in rejects: the byte offset where it
starts in the file (in a ``.warc.gz``, the offset of its gzip member, as in a CDX index).

A truncated or damaged archive yields the articles before the damage, then one Reject naming
the file, the offset and the reason. warcio itself stops quietly at a cut, so the archive is
checked here: gzip members are inflated by ``_Inflater``, which notes a member that ends early
or is corrupt, and every record's payload must be as long as its ``Content-Length`` says.
Memory holds one record's payload (at most ``max_bytes``) at a time, whatever the archive's size.

Example:
    >>> import io, tempfile
    >>> from warcio.warcwriter import WARCWriter
    >>> from warcio.statusandheaders import StatusAndHeaders
    >>> page = (b"<html><body><article><p>KHERSON (Reuters) - Russian shelling killed two "
    ...         b"civilians in Kherson on Tuesday, the regional governor said.</p></article>"
    ...         b"</body></html>")
    >>> with tempfile.NamedTemporaryFile(suffix=".warc.gz", delete=False) as fh:
    ...     w = WARCWriter(fh, gzip=True)
    ...     http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    ...     w.write_record(w.create_warc_record("https://news.example/kherson", "response",
    ...                    payload=io.BytesIO(page), http_headers=http))
    >>> [(a.url, a.wire) for a in read_warc_file(fh.name)]
    [('https://news.example/kherson', 'Reuters')]
"""

from __future__ import annotations

import os
import zlib
from collections import deque
from collections.abc import Iterator
from datetime import date
from typing import Any, BinaryIO

from warcio.archiveiterator import ArchiveIterator

from sitrep.model import Article
from sitrep.sources.base import MAX_DOCUMENT_BYTES, PathLike, Reject, with_head
from sitrep.sources.encoding import charset_of_content_type
from sitrep.sources.htmlpage import article_from_html

_CHUNK = 1 << 16
_GZIP_MAGIC = b"\x1f\x8b"
_ARCHIVE_STARTS = (b"WARC/", b"filedesc://")


def _inflated_head(head: bytes) -> bytes:
    """The first inflated bytes of gzip data (empty when it is not gzip)."""
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 64)
    except zlib.error:
        return b""


class _Counted:
    """A plain (uncompressed) archive, read through; ``damage`` is never set."""

    damage: str | None = None

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self._out = 0  # bytes handed out so far (a pipe cannot tell)

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        self._out += len(data)
        return data

    def tell(self) -> int:
        return self._out

    def file_offset(self, offset: int) -> int:
        """The file offset of a position in the stream (the same for a plain archive)."""
        return offset


class _Inflater:
    """The inflated bytes of a gzip file of any number of members, as a read-only stream.

    At a member cut short by the end of the file, or corrupt data, it ends the stream
    cleanly and sets ``damage`` to say where and why (warcio would stop without a word).
    """

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self._new_member(0)
        self._pending = b""
        self._buf = bytearray()
        self._eof = False
        self._out = 0  # inflated bytes handed out so far
        self._produced = 0  # inflated bytes produced so far
        self._in = 0  # compressed bytes consumed so far
        self._starts: deque[tuple[int, int]] = deque(maxlen=512)  # (inflated, compressed)
        self.damage: str | None = None

    def _new_member(self, at: int) -> None:
        self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self._member_at = at
        self._member_fed = False

    def _fill(self) -> None:
        data = self._pending or self._raw.read(_CHUNK)
        self._pending = b""
        if not data:
            if self._member_fed:
                self.damage = (
                    f"the gzip member at byte {self._member_at} is cut short "
                    f"(the file ends at byte {self._in})"
                )
            self._eof = True
            return
        if not self._member_fed:
            self._starts.append((self._produced, self._member_at))
            self._member_fed = True
        try:
            out = self._z.decompress(data)
        except zlib.error as exc:
            self.damage = f"corrupt gzip data in the member at byte {self._member_at} ({exc})"
            self._eof = True
            return
        self._buf += out
        self._produced += len(out)
        if self._z.eof:
            rest = self._z.unused_data
            self._in += len(data) - len(rest)
            self._new_member(self._in)
            self._pending = rest
        else:
            self._in += len(data)

    def read(self, size: int = -1) -> bytes:
        while not self._eof and (size < 0 or len(self._buf) < size):
            self._fill()
        n = len(self._buf) if size < 0 else min(size, len(self._buf))
        out = bytes(self._buf[:n])
        del self._buf[:n]
        self._out += n
        return out

    def tell(self) -> int:
        return self._out

    def file_offset(self, offset: int) -> int:
        """The compressed offset of the member holding inflated position ``offset``."""
        best = 0
        for inflated, compressed in self._starts:
            if inflated <= offset:
                best = compressed
        return best


def _is_html(content_type: str, payload: bytes) -> bool:
    if content_type:
        return "html" in content_type.lower()
    head = payload[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html"))


def _drain(record: Any) -> int:
    """Read the rest of a record; how many bytes its Content-Length promised but were missing."""
    stream = record.raw_stream
    while stream.read(_CHUNK):
        pass
    return int(getattr(stream, "limit", 0) or 0)


def read_warc_file(
    path: PathLike, published: date | None = None, max_bytes: int = MAX_DOCUMENT_BYTES
) -> Iterator[Article | Reject]:
    """Articles from the HTML responses of a WARC archive (``.warc`` or ``.warc.gz``).

    Example:
        >>> [str(r) for r in read_warc_file("/no/such.warc.gz")]
        ['/no/such.warc.gz: cannot read (No such file or directory)']
    """
    where = os.fspath(path)
    try:
        raw = open(path, "rb")
    except OSError as exc:
        yield Reject(where, f"cannot read ({exc.strerror or exc})")
        return
    with raw:
        yield from read_warc_stream(raw, where, published, max_bytes)


def read_warc_stream(
    raw: BinaryIO, where: str, published: date | None = None, max_bytes: int = MAX_DOCUMENT_BYTES
) -> Iterator[Article | Reject]:
    """Articles from an open WARC archive, plain or gzipped, read once from its start (a
    file or a pipe: it is never sought).

    Example:
        >>> import io
        >>> [str(r) for r in read_warc_stream(io.BytesIO(b"<html>"), "x")]
        ["x: not a WARC archive (it starts with '<html>')"]
    """
    head = raw.read(_CHUNK)
    gzipped = head.startswith(_GZIP_MAGIC)
    start = _inflated_head(head) if gzipped else head
    if not start.startswith(_ARCHIVE_STARTS):
        shown = start[:24].decode("ascii", "replace").split("\n")[0] if start else ""
        what = f"it starts with {shown!r}" if shown else "nothing readable at its start"
        yield Reject(where, f"not a WARC archive ({what})")
        return
    whole = with_head(head, raw)
    stream: _Counted | _Inflater = _Inflater(whole) if gzipped else _Counted(whole)
    yield from _read_records(stream, where, published, max_bytes)


def _read_records(
    stream: _Counted | _Inflater, where: str, published: date | None, max_bytes: int
) -> Iterator[Article | Reject]:
    whole = 0  # records read whole
    archive = ArchiveIterator(stream)
    try:
        for record in archive:
            # warcio hands over a record cut in its header as one without a Content-Length
            cut_header = record.rec_headers.get_header("Content-Length") is None
            result = None if cut_header else _record_article(record, published, max_bytes)
            missing = _drain(record)
            offset = stream.file_offset(archive.get_record_offset())
            if cut_header or missing:
                # the inflater may have met the damage long before warcio reaches it (read-ahead),
                # so only a record that is itself short ends the archive
                why = stream.damage or (
                    f"the record at byte {offset} is cut short in its header"
                    if cut_header
                    else f"the record at byte {offset} ends {missing:,} "
                    f"byte{'s' if missing != 1 else ''} short of its length"
                )
                yield Reject(where, f"truncated WARC after {_records(whole)}: {why}")
                return
            whole += 1
            if result is None:
                continue
            if isinstance(result, str):
                yield Reject(f"{where}@{offset}", result)
            else:
                if result.id == "":
                    result.id = f"{where}@{offset}"
                yield result
    except Exception as exc:  # warcio raises assorted errors on damaged input
        if stream.damage:
            yield Reject(where, f"truncated WARC after {_records(whole)}: {stream.damage}")
        else:
            at = stream.file_offset(archive.offset)
            yield Reject(
                where,
                f"damaged WARC after {_records(whole)}: unreadable record at byte {at} "
                f"({type(exc).__name__}: {exc})",
            )
        return
    if stream.damage:
        yield Reject(where, f"truncated WARC after {_records(whole)}: {stream.damage}")
    elif archive.offset < stream.tell():
        yield Reject(
            where,
            f"truncated WARC after {_records(whole)}: an incomplete record at byte "
            f"{stream.file_offset(archive.offset)}",
        )
    elif whole == 0:
        yield Reject(where, "no records in the WARC archive")


def _records(n: int) -> str:
    return f"{n} record" if n == 1 else f"{n} records"


def _record_article(record: Any, published: date | None, max_bytes: int) -> Article | str | None:
    """The article of one record, a reason it has none, or None for a record to skip."""
    if record.rec_type not in ("response", "resource"):
        return None
    url = record.rec_headers.get_header("WARC-Target-URI") or None
    if record.rec_type == "response":
        if record.http_headers is None:
            return None
        if not str(record.http_headers.get_statuscode() or "").startswith("2"):
            return None
        content_type = record.http_headers.get_header("Content-Type") or ""
    else:
        content_type = record.rec_headers.get_header("Content-Type") or ""
    try:
        payload = record.content_stream().read(max_bytes + 1)
    except Exception as exc:  # a bad Content-Encoding, say
        return f"cannot read the payload of {url} ({type(exc).__name__}: {exc})"
    if not _is_html(content_type, payload):
        return None
    if len(payload) > max_bytes:
        return f"too large: over {max_bytes:,} bytes, the limit per document ({url})"
    if not payload.strip():
        return f"empty HTML payload ({url})"
    try:
        article = article_from_html(
            payload, "", url=url, published=published,
            charset=charset_of_content_type(content_type),
        )  # fmt: skip
    except ValueError as exc:
        return f"{exc} ({url})"
    article.id = url or ""
    return article
