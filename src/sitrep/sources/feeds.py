"""RSS and Atom feeds through feedparser: one article per entry.

An entry's text is its longest ``content`` (or its ``summary``) with the HTML stripped; its
title, its link as the url, its published date (else its updated date), the feed's title as
the outlet, the wire agency from the entry's author or the text's dateline. An article's id is
its link (globally unique, unlike many RSS guids), else its guid, else ``FILE#N``; entries are
named ``FILE#N`` (1-based) in rejects.

The bytes are decoded by ``sitrep.sources.encoding``'s rule (the XML prolog's ``encoding``
is the declared charset); a feed that fails it is one Reject. feedparser reads anything it
can; a *malformed* feed (its ``bozo`` flag, for a reason other than a harmless encoding
override) with no usable entries is one Reject with feedparser's reason; if entries were
recovered before the damage they are read, then one Reject says the feed is malformed. A
well-formed document that is not a feed, or a feed with no entries, is a Reject too.

Example:
    >>> rss = (b'<rss version="2.0"><channel><title>Kyiv Ledger</title><item>'
    ...        b'<title>Port hit</title><link>https://kl.example/1</link>'
    ...        b'<pubDate>Tue, 17 Dec 2024 09:30:00 GMT</pubDate>'
    ...        b'<description>&lt;p&gt;A drone strike wounded three.&lt;/p&gt;</description>'
    ...        b'</item></channel></rss>')
    >>> [(a.url, a.published.isoformat(), a.text, a.outlet) for a in read_feed_bytes(rss, "f")]
    [('https://kl.example/1', '2024-12-17', 'A drone strike wounded three.', 'Kyiv Ledger')]
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import feedparser
from lxml import etree
from lxml import html as lxml_html

from sitrep.errors import Errors
from sitrep.model import Article
from sitrep.sources.base import MAX_DOCUMENT_BYTES, PathLike, Reject, parse_date, read_document
from sitrep.sources.encoding import declared_charset, decode_bytes
from sitrep.sources.wire import find_wire

_BLOCK_TAGS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
    "tr", "table", "section", "article", "header", "footer", "pre", "figure", "figcaption",
    "dd", "dt", "hr",
}  # fmt: skip
_UTF8_XML = {"content-type": "application/xml; charset=utf-8"}
_ISO_LIKE = re.compile(r"^\s*\d{4}-\d{1,2}-\d{1,2}")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_PARAGRAPHS = re.compile(r"\s*\n\s*\n\s*")


def html_to_text(fragment: str) -> str:
    """Plain text from an HTML fragment: tags dropped, paragraphs kept as blank lines.

    Example:
        >>> html_to_text("<p>Two <b>killed</b> in Sumy.</p><p>Officials said.</p>")
        'Two killed in Sumy.\\n\\nOfficials said.'
    """
    if "<" not in fragment:
        return _tidy(fragment)
    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return _tidy(fragment)
    for el in root.xpath("//script|//style"):
        el.drop_tree()
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.lower() in _BLOCK_TAGS:
            el.tail = "\n\n" + (el.tail or "")
    return _tidy(root.text_content())


def _tidy(text: str) -> str:
    paragraphs = (_SPACES.sub(" ", p).strip() for p in _PARAGRAPHS.split(text))
    return "\n\n".join(" ".join(p.split("\n")).strip() for p in paragraphs if p.strip())


def _entry_text(entry: Any) -> str:
    candidates: list[tuple[str, str]] = []
    for content in entry.get("content") or []:
        candidates.append((content.get("value") or "", content.get("type") or "text/html"))
    summary = entry.get("summary")
    if summary:
        detail = entry.get("summary_detail") or {}
        candidates.append((summary, detail.get("type") or "text/html"))
    best = ""
    for value, kind in candidates:
        text = html_to_text(value) if "html" in kind else _tidy(value)
        if len(text) > len(best):
            best = text
    return best


def _entry_date(entry: Any, published: date | None) -> date | None:
    """The entry's date; ``ValueError`` naming it when it is there but impossible.

    ISO-looking dates are checked strictly (feedparser would roll 2024-13-45 over into 2025).
    """
    for key in ("published", "updated"):
        raw = entry.get(key)
        if not raw:
            continue
        if _ISO_LIKE.match(raw):
            return parse_date(raw.strip())
        parsed = entry.get(f"{key}_parsed")
        if parsed is None:
            raise ValueError(Errors.E102.format(value=raw))
        return date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
    return published


def _usable(entry: Any) -> bool:
    return any(entry.get(k) for k in ("title", "link", "summary", "content"))


def _bozo_reason(exc: object, declared_xml: bool) -> str:
    """feedparser's reason, with the line and column where they are the file's own (without
    an XML declaration feedparser adds one, which shifts its line numbers)."""
    line = getattr(exc, "getLineNumber", None)
    col = getattr(exc, "getColumnNumber", None)
    message = getattr(exc, "getMessage", None)
    text = message() if callable(message) else str(exc)
    if declared_xml and callable(line) and callable(col) and line() is not None:
        return f"{text} at line {line()}, column {col() + 1}"
    return text or type(exc).__name__


def read_feed_bytes(
    data: bytes, where: str, published: date | None = None
) -> Iterator[Article | Reject]:
    """Articles from the bytes of one RSS or Atom feed; entries named ``where#N``.

    Example:
        >>> bad = b'<?xml version="1.0"?>\\n<rss><channel><title>Broken'
        >>> [str(r) for r in read_feed_bytes(bad, "bad.rss")]
        ['bad.rss: malformed feed: no element found at line 2, column 28']
    """
    try:
        text = decode_bytes(data, declared_charset(data))
    except ValueError as undecodable:
        yield Reject(where, str(undecodable))
        return
    # decoded here by the one rule (feedparser would fall back to Windows-1252 silently);
    # feedparser takes the charset of an application/xml header over the prolog's
    data = text.encode("utf-8")
    parsed = feedparser.parse(data, response_headers=_UTF8_XML)
    exc = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if isinstance(exc, feedparser.ThingsNobodyCaresAboutButMe):
        exc = None  # e.g. a declared charset feedparser had to override: the text is fine
    entries = [e for e in parsed.entries if _usable(e)]
    declared_xml = data.lstrip().startswith(b"<?xml")
    if exc is not None and not entries:
        yield Reject(where, f"malformed feed: {_bozo_reason(exc, declared_xml)}")
        return
    if not parsed.get("version") and not entries:
        yield Reject(where, "not an RSS or Atom feed")
        return
    if not entries:
        yield Reject(where, "feed has no entries")
        return
    outlet = (parsed.feed.get("title") or "").strip() or None
    for n, entry in enumerate(parsed.entries, 1):
        if not _usable(entry):
            continue
        entry_where = f"{where}#{n}"
        text = _entry_text(entry)
        if not text:
            yield Reject(entry_where, "entry has no text (no content or summary)")
            continue
        try:
            when = _entry_date(entry, published)
        except ValueError as err:
            yield Reject(entry_where, str(err))
            continue
        title = entry.get("title")
        url = entry.get("link") or None
        yield Article(
            id=url or entry.get("id") or entry_where,
            text=text,
            published=when,
            title=html_to_text(title) if title else None,
            url=url,
            outlet=outlet,
            wire=find_wire(entry.get("author"), text),
        )
    if exc is not None:
        reason = _bozo_reason(exc, declared_xml)
        read = f"{len(entries)} entr{'y' if len(entries) == 1 else 'ies'}"
        yield Reject(where, f"malformed feed after {read}: {reason}")


def read_feed_file(
    path: PathLike, published: date | None = None, max_bytes: int = MAX_DOCUMENT_BYTES
) -> Iterator[Article | Reject]:
    """Articles from an RSS or Atom file (read once; over ``max_bytes`` it is rejected).

    Example:
        >>> [r.reason for r in read_feed_file("/no/such/feed.rss")]
        ['cannot read (No such file or directory)']
    """
    data = read_document(path, max_bytes)
    if isinstance(data, Reject):
        yield data
        return
    yield from read_feed_bytes(data, os.fspath(path), published)
