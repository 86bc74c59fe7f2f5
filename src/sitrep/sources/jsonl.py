"""JSON Lines articles in the contract's input shape, one per line, read as a stream.

Each line: ``{"id", "text", "published" (YYYY-MM-DD), optional "title", "url", "outlet"}``
(an optional ``"wire"``, ``"author"`` or ``"byline"`` names the wire agency). A bad line
becomes a Reject naming ``FILE:LINE`` and why; the other lines are still read.

Example:
    >>> rows = ['{"id": "a", "text": "Two died.", "published": "2024-01-02"}', 'oops']
    >>> [str(r) if isinstance(r, Reject) else r.id for r in read_jsonl_lines(rows, "in.jsonl")]
    ['a', 'in.jsonl:2: not JSON (Expecting value at column 1)']
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from datetime import date
from typing import BinaryIO

from sitrep.errors import Errors
from sitrep.model import Article
from sitrep.sources.base import (
    MAX_DOCUMENT_BYTES,
    PathLike,
    Record,
    Reject,
    parse_date,
    with_head,
)
from sitrep.sources.encoding import binary_kind
from sitrep.sources.wire import find_wire

_SKIP_CHUNK = 1 << 20


def article_from_mapping(obj: object, where: str, published: date | None = None) -> Article:
    """An Article from one decoded JSON object in the contract's input shape.

    ``ValueError`` when it is not an object, has no text, or an impossible date.

    Example:
        >>> article_from_mapping({"id": 7, "text": "KYIV (AP) — Two died."}, "f:1").wire
        'AP'
    """
    if not isinstance(obj, dict):
        raise ValueError(Errors.E105)
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError(Errors.E106)
    art_id = obj.get("id")
    byline = obj.get("wire") or obj.get("byline") or obj.get("author")
    return Article(
        id=str(art_id) if art_id not in (None, "") else where,
        text=text,
        published=parse_date(obj.get("published")) or published,
        title=obj.get("title") or None,
        url=obj.get("url") or None,
        outlet=obj.get("outlet") or None,
        wire=find_wire(byline if isinstance(byline, str) else None, text),
    )


def record_from_line(line: str, where: str, published: date | None = None) -> Record | None:
    """The Article (or Reject) of one JSON line; None for a blank line.

    Example:
        >>> record_from_line('{"id": "b"}', "f.jsonl:2")
        Reject(where='f.jsonl:2', reason='[E106] no text')
    """
    if not line.strip():
        return None
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return Reject(where, f"not JSON ({exc.msg.removesuffix(' at')} at column {exc.colno})")
    try:
        return article_from_mapping(obj, where, published)
    except ValueError as exc:
        return Reject(where, str(exc))


def read_jsonl_lines(
    lines: Iterable[str], name: str, published: date | None = None
) -> Iterator[Article | Reject]:
    """Articles from JSON Lines; a bad line becomes a Reject naming ``name:line``.

    Example:
        >>> rows = ['{"id": "a", "text": "Two died.", "published": "2024-01-02"}', 'oops']
        >>> [type(r).__name__ for r in read_jsonl_lines(rows, "in.jsonl")]
        ['Article', 'Reject']
    """
    for n, line in enumerate(lines, 1):
        if n == 1:
            line = line.removeprefix("\ufeff")
        record = record_from_line(line, f"{name}:{n}", published)
        if record is not None:
            yield record


def read_jsonl_stream(
    fh: BinaryIO,
    name: str,
    published: date | None = None,
    max_bytes: int = MAX_DOCUMENT_BYTES,
) -> Iterator[Article | Reject]:
    """Articles from a binary stream of JSON Lines, one line in memory at a time.

    A line that is not UTF-8 or longer than ``max_bytes`` is a Reject for that line only
    (the rest of an over-long line is skipped without being kept).

    Example:
        >>> import io
        >>> src = io.BytesIO(b'{"id": "a", "text": "Two died."}\\n{"id": "b", "text": "x\\xff"}\\n')
        >>> [str(r) if isinstance(r, Reject) else r.id for r in read_jsonl_stream(src, "s")]
        ['a', 's:2: not UTF-8 (byte 22 of the line)']
    """
    n = 0
    while True:
        line = fh.readline(max_bytes + 1)
        if not line:
            return
        n += 1
        where = f"{name}:{n}"
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while True:
                rest = fh.readline(_SKIP_CHUNK)
                if not rest or rest.endswith(b"\n"):
                    break
            yield Reject(where, f"line too long (over {max_bytes:,} bytes)")
            continue
        if n == 1:
            line = line.removeprefix(b"\xef\xbb\xbf")
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield Reject(where, f"not UTF-8 (byte {exc.start} of the line)")
            continue
        record = record_from_line(text.rstrip("\r\n"), where, published)
        if record is not None:
            yield record


def read_jsonl_file(
    path: PathLike, published: date | None = None, max_bytes: int = MAX_DOCUMENT_BYTES
) -> Iterator[Article | Reject]:
    """Articles from a JSON Lines file, streamed line by line.

    A binary file, or one with nothing but blank lines, is one Reject for the file.

    Example:
        >>> [str(r) for r in read_jsonl_file("/no/such.jsonl")]
        ['/no/such.jsonl: cannot read (No such file or directory)']
    """
    where = os.fspath(path)
    try:
        fh = open(path, "rb")
    except OSError as exc:
        yield Reject(where, f"cannot read ({exc.strerror or exc})")
        return
    with fh:
        yield from read_jsonl_input(fh, where, published, max_bytes)


def read_jsonl_input(
    fh: BinaryIO, where: str, published: date | None = None, max_bytes: int = MAX_DOCUMENT_BYTES
) -> Iterator[Article | Reject]:
    """Articles from an open JSON Lines input (a file or a pipe, read once, never sought):
    ``read_jsonl_stream`` after a check that it is not binary and not empty.

    Example:
        >>> import io
        >>> [str(r) for r in read_jsonl_input(io.BytesIO(b"\\n\\n"), "feed")]
        ['feed: empty file']
    """
    head = fh.read(8192)
    kind = binary_kind(head)
    if kind is not None:
        yield Reject(where, f"binary file ({kind}), not JSON Lines")
        return
    seen = False
    for record in read_jsonl_stream(with_head(head, fh), where, published, max_bytes):
        seen = True
        yield record
    if not seen:
        yield Reject(where, "empty file")
