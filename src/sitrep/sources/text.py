"""Plain-text articles: an optional header of ``Key: value`` lines, a blank line, the body.

Header keys (case-insensitive): Title, Published (or Date), Outlet (or Source), URL, and
Author/Byline/Wire, which name the wire agency when they hold one ("By AFP").

Example:
    >>> raw = "Title: Kherson shelled\\nPublished: 2024-12-17\\n\\nTwo died."
    >>> art = article_from_text(raw, "a.txt")
    >>> art.title, art.published.isoformat(), art.text
    ('Kherson shelled', '2024-12-17', 'Two died.')
"""

from __future__ import annotations

import os
import re
from datetime import date

from sitrep.errors import Errors
from sitrep.model import Article
from sitrep.sources.base import MAX_DOCUMENT_BYTES, PathLike, Reject, parse_date, read_document
from sitrep.sources.encoding import decode_bytes
from sitrep.sources.wire import find_wire

HEADER_KEYS = {
    "title",
    "published",
    "outlet",
    "url",
    "author",
    "byline",
    "source",
    "date",
    "wire",
}
_HEADER_LINE = re.compile(r"^([A-Za-z][A-Za-z _-]{0,30}):\s*(.*)$")


def split_header(raw: str) -> tuple[dict[str, str], str]:
    """Split an optional ``Key: value`` header (then a blank line) from the body.

    Only known keys make a header; otherwise the text is kept whole.

    Example:
        >>> split_header("Title: X\\nPublished: 2024-01-02\\n\\nBody.")
        ({'title': 'X', 'published': '2024-01-02'}, 'Body.')
    """
    lines = raw.split("\n")
    header: dict[str, str] = {}
    for i, line in enumerate(lines):
        if not line.strip():
            if header:
                return header, "\n".join(lines[i + 1 :])
            return {}, raw
        m = _HEADER_LINE.match(line.rstrip("\r"))
        if not m or m.group(1).strip().lower() not in HEADER_KEYS:
            return {}, raw
        header[m.group(1).strip().lower()] = m.group(2).strip()
    return {}, raw


def article_from_text(raw: str, name: str, published: date | None = None) -> Article:
    """An Article from plain text with an optional header; the header's date wins.

    ``ValueError`` for an empty body or an impossible header date.

    Example:
        >>> article_from_text("Published: 2024-13-45\\n\\nTwo died.", "a.txt")
        Traceback (most recent call last):
        ...
        ValueError: [E101] impossible date '2024-13-45' (expected YYYY-MM-DD)
    """
    header, body = split_header(raw)
    if not body.strip():
        raise ValueError(Errors.E107)
    when = parse_date(header.get("published") or header.get("date")) or published
    byline = " ".join(header[k] for k in ("wire", "byline", "author") if header.get(k))
    return Article(
        id=name,
        text=body,
        published=when,
        title=header.get("title") or None,
        url=header.get("url") or None,
        outlet=header.get("outlet") or header.get("source") or None,
        wire=find_wire(byline or None, body),
    )


def read_text_file(
    path: PathLike, published: date | None = None, max_bytes: int = MAX_DOCUMENT_BYTES
) -> Article | Reject:
    """One plain-text article from a file, or a Reject saying why it cannot be read.

    The file is read once; a file over ``max_bytes`` is rejected without being read.
    Encodings follow ``sitrep.sources.encoding``.

    Example:
        >>> read_text_file("/no/such/file.txt").reason
        'cannot read (No such file or directory)'
    """
    where = os.fspath(path)
    data = read_document(path, max_bytes)
    if isinstance(data, Reject):
        return data
    return article_from_bytes(data, where, published)


def article_from_bytes(data: bytes, where: str, published: date | None = None) -> Article | Reject:
    """A plain-text article from raw bytes (decoded by the encoding policy), or a Reject.

    Example:
        >>> article_from_bytes(b"   ", "x.txt").reason
        '[E107] empty text'
    """
    try:
        raw = decode_bytes(data)
        return article_from_text(raw, where, published)
    except ValueError as exc:
        return Reject(where, str(exc))
