"""HTML pages: the main text, title, date, site name and byline through trafilatura.

The page's boilerplate (menus, footers, related links, reader comments) is dropped by
``trafilatura.bare_extraction``; a page with no main text left (no ``<body>``, or only
furniture: fewer than ``MIN_WORDS`` words) is a Reject. The wire agency comes from the byline
trafilatura finds (``By AFP``) or from the text's dateline (``KYIV (AP) —``). A first line that
repeats the title (the ``<h1>``) is dropped from the text, since the title has its own field.

Example:
    >>> page = ("<html><head><title>Strike</title></head><body><article><p>KYIV (AP) — "
    ...         "A Russian drone strike wounded two people in the capital, officials said."
    ...         "</p></article></body></html>")
    >>> art = article_from_html(page, "page.html")
    >>> art.wire, art.text.split()[:2]
    ('AP', ['KYIV', '(AP)'])
"""

from __future__ import annotations

import os
from datetime import date

import trafilatura

from sitrep.errors import Errors
from sitrep.model import Article
from sitrep.sources.base import MAX_DOCUMENT_BYTES, PathLike, Reject, parse_date, read_document
from sitrep.sources.encoding import declared_charset, decode_bytes
from sitrep.sources.wire import find_wire

#: A page whose extracted text has fewer words than this has no main text (menus, cookie notes).
MIN_WORDS = 6
_DATE_PARAMS = {"extensive_search": True, "original_date": True}


def article_from_html(
    page: str | bytes,
    where: str,
    url: str | None = None,
    published: date | None = None,
    charset: str | None = None,
) -> Article:
    """An Article from one HTML page; ``ValueError`` saying why when there is none.

    ``page`` as bytes is decoded by ``sitrep.sources.encoding``'s rule, the charset declared
    being ``charset`` (an HTTP header's), else the page's own ``<meta charset>``. The page's
    date wins over ``published``.

    Example:
        >>> article_from_html("<html><head><title>Live</title></head></html>", "live.html")
        Traceback (most recent call last):
        ...
        ValueError: [E103] no main text in the HTML page
    """
    if isinstance(page, bytes):
        page = decode_bytes(page, charset or declared_charset(page))
    doc = trafilatura.bare_extraction(
        page,
        url=url,
        with_metadata=True,
        include_comments=False,
        date_extraction_params=_DATE_PARAMS,
    )
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if not text or doc is None or isinstance(doc, dict):
        raise ValueError(Errors.E103)
    title = (doc.title or "").strip() or None
    if title:
        first, _, rest = text.partition("\n")
        if first.strip() == title and rest.strip():
            text = rest.strip()
    words = len(text.split())
    if words < MIN_WORDS:
        raise ValueError(Errors.E104.format(words=words))
    try:
        when = parse_date(doc.date) or published
    except ValueError:
        when = published
    return Article(
        id=where,
        text=text,
        published=when,
        title=title,
        url=url or doc.url or None,
        outlet=doc.sitename or doc.hostname or None,
        wire=find_wire(doc.author, text),
    )


def read_html_file(
    path: PathLike, published: date | None = None, max_bytes: int = MAX_DOCUMENT_BYTES
) -> Article | Reject:
    """One article from an HTML file, or a Reject saying why it cannot be read.

    Example:
        >>> read_html_file("/no/such/page.html").reason
        'cannot read (No such file or directory)'
    """
    where = os.fspath(path)
    data = read_document(path, max_bytes)
    if isinstance(data, Reject):
        return data
    return read_html_bytes(data, where, published)


def read_html_bytes(data: bytes, where: str, published: date | None = None) -> Article | Reject:
    """One article from the bytes of an HTML page, or a Reject saying why there is none.

    Example:
        >>> read_html_bytes(b"<html><head><title>Live</title></head></html>", "live").reason
        '[E103] no main text in the HTML page'
    """
    try:
        return article_from_html(data, where, published=published)
    except ValueError as exc:
        return Reject(where, str(exc))
