"""The readers' original home, kept so existing imports work.

``Reject`` and ``parse_date`` live in ``sitrep.sources.base``, the plain-text reader in
``sitrep.sources.text``, the JSON Lines reader in ``sitrep.sources.jsonl``; new code imports
from there, or ``iter_articles`` from ``sitrep.sources``.

Example:
    >>> rows = ['{"id": "a", "text": "Two died.", "published": "2024-01-02"}', 'oops']
    >>> [type(r).__name__ for r in read_jsonl_lines(rows, "in.jsonl")]
    ['Article', 'Reject']
"""

from __future__ import annotations

from sitrep.sources.base import Reject, parse_date
from sitrep.sources.jsonl import article_from_mapping, read_jsonl_lines
from sitrep.sources.text import HEADER_KEYS, article_from_text, read_text_file, split_header

__all__ = [
    "HEADER_KEYS",
    "Reject",
    "article_from_mapping",
    "article_from_text",
    "parse_date",
    "read_jsonl_lines",
    "read_text_file",
    "split_header",
]
