"""The sources stage: every input kind becomes a stream of ``Article`` or ``Reject`` records.

``iter_articles(paths, published)`` reads files, folders (recursively, sorted), glob patterns
and ``-`` (standard input): plain text, HTML (trafilatura), JSON Lines, RSS/Atom (feedparser)
and WARC archives (warcio). An input that cannot be read is a ``Reject(where, reason)``; it
never stops the batch. One module per concern:

- ``base``: ``Reject``, ``parse_date``, the size limit
- ``encoding``: bytes to text (UTF-8, declared charsets, detection, mixed encodings)
- ``wire``: the wire agency from a byline or dateline
- ``text``, ``htmlpage``, ``jsonl``, ``feeds``, ``warc``: one reader per input kind
- ``paths``: names, folders and globs to files
- ``dispatch``: the kind of each file and ``iter_articles``

Example:
    >>> import io
    >>> [str(r) for r in iter_articles(["-"], stdin=io.BytesIO(b""))]
    ['<stdin>: empty input']
"""

from sitrep.sources.base import MAX_DOCUMENT_BYTES, Record, Reject, parse_date
from sitrep.sources.dispatch import iter_articles, kind_of, read_path, read_stdin
from sitrep.sources.jsonl import read_jsonl_file, read_jsonl_lines, read_jsonl_stream
from sitrep.sources.paths import expand_paths
from sitrep.sources.text import article_from_text, read_text_file
from sitrep.sources.wire import find_wire

__all__ = [
    "MAX_DOCUMENT_BYTES",
    "Record",
    "Reject",
    "article_from_text",
    "expand_paths",
    "find_wire",
    "iter_articles",
    "kind_of",
    "parse_date",
    "read_jsonl_file",
    "read_jsonl_lines",
    "read_jsonl_stream",
    "read_path",
    "read_stdin",
    "read_text_file",
]
