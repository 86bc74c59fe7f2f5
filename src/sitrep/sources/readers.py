"""Readers for the contract's inputs: JSON Lines articles and plain text files.

A reader yields ``Article`` records and ``Reject`` records (what could not be read, where,
and why) in input order; a bad input never stops the batch.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sitrep.model import Article

HEADER_KEYS = {"title", "published", "outlet", "url", "author", "byline", "source", "date"}
_HEADER_LINE = re.compile(r"^([A-Za-z][A-Za-z _-]{0,30}):\s*(.*)$")


@dataclass
class Reject:
    """An input that could not be read: ``where`` is a path (and line), ``reason`` says why."""

    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


def parse_date(value: object) -> date | None:
    """A ``YYYY-MM-DD`` date, or None when absent; ``ValueError`` naming the value if impossible.

    Example:
        >>> parse_date("2024-12-18")
        datetime.date(2024, 12, 18)
    """
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError as exc:
        raise ValueError(f"impossible date {value!r} (expected YYYY-MM-DD)") from exc


def article_from_mapping(obj: object, where: str) -> Article:
    """An Article from one decoded JSON object in the contract's input shape."""
    if not isinstance(obj, dict):
        raise ValueError("not a JSON object")
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError("no text")
    art_id = obj.get("id")
    return Article(
        id=str(art_id) if art_id not in (None, "") else where,
        text=text,
        published=parse_date(obj.get("published")),
        title=obj.get("title") or None,
        url=obj.get("url") or None,
        outlet=obj.get("outlet") or None,
    )


def read_jsonl_lines(lines: Iterable[str], name: str) -> Iterator[Article | Reject]:
    """Articles from JSON Lines; a bad line becomes a Reject naming ``name:line``.

    Example:
        >>> rows = ['{"id": "a", "text": "Two died.", "published": "2024-01-02"}', 'oops']
        >>> [type(r).__name__ for r in read_jsonl_lines(rows, "in.jsonl")]
        ['Article', 'Reject']
    """
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{name}:{n}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Reject(where, f"not JSON ({exc.msg} at column {exc.colno})")
            continue
        try:
            yield article_from_mapping(obj, where)
        except ValueError as exc:
            yield Reject(where, str(exc))


def split_header(raw: str) -> tuple[dict[str, str], str]:
    """Split an optional ``Key: value`` header (then a blank line) from the body.

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
        m = _HEADER_LINE.match(line)
        if not m or m.group(1).strip().lower() not in HEADER_KEYS:
            return {}, raw
        header[m.group(1).strip().lower()] = m.group(2).strip()
    return {}, raw


def article_from_text(raw: str, name: str, published: date | None = None) -> Article:
    """An Article from plain text with an optional header; the header's date wins."""
    header, body = split_header(raw)
    if not body.strip():
        raise ValueError("empty text")
    when = parse_date(header.get("published") or header.get("date")) or published
    return Article(
        id=name,
        text=body,
        published=when,
        title=header.get("title"),
        url=header.get("url"),
        outlet=header.get("outlet") or header.get("source"),
    )


def read_text_file(path: Path, published: date | None = None) -> Article | Reject:
    """One plain-text article from a file, or a Reject saying why it cannot be read."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Reject(str(path), f"cannot read ({exc.strerror or exc})")
    if b"\x00" in data[:4096]:
        return Reject(str(path), "binary file, not text")
    try:
        raw = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return Reject(str(path), f"not UTF-8 (byte {exc.start})")
    try:
        return article_from_text(raw, str(path), published)
    except ValueError as exc:
        return Reject(str(path), str(exc))
