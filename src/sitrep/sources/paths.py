"""Input names to files: files, folders (recursively), glob patterns and ``-`` (standard input).

Folders are walked depth-first in sorted order (by name, the same on every machine), one
folder's listing of names in memory at a time. Inside a walk, hidden entries (names starting
with ``.``), symbolic links to folders, and named pipes and devices (reading one would wait for
a writer) are skipped; a pipe given by name (``/dev/stdin``, ``<(zcat feed.gz)``) is read. A
name that is neither a file nor a folder is tried as a glob pattern (``**`` reaches into
subfolders); one that matches nothing is a Reject.

Each file comes out as an ``Input``: the ``path`` to open, and the ``name`` it goes by in
articles and rejects, which is stored and shown by the dashboard and the API. The name is
relative to the folder holding what was given, never the absolute local path: a file given
directly goes by its file name (``/home/me/reports/a.txt`` is ``a.txt``), a file found in a
folder by the folder's name and the path inside it (``sitrep ingest /home/me/archives`` or
``archives/`` gives ``archives/2024/a.html``; ``.`` is named after the folder it stands for;
``/dev/stdin`` and ``/dev/fd/63`` keep their names),
a match of a glob pattern likewise from the folder holding the pattern's fixed part
(``archives/2024/*.html`` gives ``2024/a.html``).

Example:
    >>> [str(r) for r in expand_paths(["/no/such/file.txt"])]
    ['file.txt: no such file or folder']
"""

from __future__ import annotations

import glob
import itertools
import os
from collections.abc import Iterable, Iterator
from pathlib import PurePath
from typing import NamedTuple

from sitrep.sources.base import PathLike, Reject

STDIN = "-"
STDIN_NAME = "<stdin>"


class Input(NamedTuple):
    """One input to read: the ``path`` to open and the ``name`` it goes by.

    Example:
        >>> Input("/home/me/archives/2024/a.html", "archives/2024/a.html").name
        'archives/2024/a.html'
    """

    path: str
    name: str


def expand_paths(names: Iterable[PathLike]) -> Iterator[Input | Reject]:
    """Each input in order: a file (``Input``), standard input (path ``"-"``), or a Reject.

    Example:
        >>> list(expand_paths(["-"]))
        [Input(path='-', name='<stdin>')]
    """
    for name in names:
        text = os.fspath(name)
        if text == STDIN:
            yield Input(STDIN, STDIN_NAME)
        elif os.path.isdir(text):
            yield from _walk(text, _given_name(text))
        elif os.path.exists(text):
            yield Input(text, _given_name(text))
        elif glob.has_magic(text):
            base = _fixed_part(text)
            matches = sorted(glob.glob(text, recursive=True))
            if not matches:
                yield Reject(_name_below(text, base), "no files match the pattern")
            for match in matches:
                if os.path.isdir(match):
                    yield from _walk(match, _name_below(match, base))
                elif os.path.isfile(match):
                    yield Input(match, _name_below(match, base))
        else:
            yield Reject(_given_name(text), "no such file or folder")


def missing_inputs(names: Iterable[PathLike]) -> list[str]:
    """The names ``expand_paths`` would reject outright: neither ``-``, a file or folder, nor
    a pattern that matches anything (a caller can refuse them before reading the rest).

    Example:
        >>> missing_inputs(["-", "/no/such/file.txt", "/no/such/*.html"])
        ['/no/such/file.txt', '/no/such/*.html']
    """
    texts = [os.fspath(n) for n in names]
    return [t for t in texts if t != STDIN and not os.path.exists(t)
            and not (glob.has_magic(t) and glob.glob(t, recursive=True))]


def walk_folder(folder: PathLike) -> Iterator[str | Reject]:
    """The files under ``folder`` (joined onto it), depth-first in sorted order, lazily.

    Example:
        >>> import tempfile
        >>> root = tempfile.mkdtemp()
        >>> for rel in ["b.txt", "a/z.txt", "a/y.html", ".hidden.txt"]:
        ...     os.makedirs(os.path.dirname(os.path.join(root, rel)), exist_ok=True)
        ...     _ = open(os.path.join(root, rel), "w").write("x")
        >>> [os.path.relpath(p, root) for p in walk_folder(root)]
        ['a/y.html', 'a/z.txt', 'b.txt']
    """
    top = os.fspath(folder)
    for item in _walk(top, top):
        yield item.path if isinstance(item, Input) else item


def _walk(top: str, top_name: str) -> Iterator[Input | Reject]:
    try:
        names = sorted(os.listdir(top))
    except OSError as exc:
        yield Reject(top_name, f"cannot list the folder ({exc.strerror or exc})")
        return
    for name in names:
        if name.startswith("."):
            continue
        path = os.path.join(top, name)
        if os.path.isdir(path):
            if not os.path.islink(path):
                yield from _walk(path, os.path.join(top_name, name))
        elif os.path.isfile(path):
            yield Input(path, os.path.join(top_name, name))


def _given_name(text: str) -> str:
    """What a file or folder given by name goes by: its last part (``.`` and ``..`` are
    named after the folder they stand for); a device or pipe under ``/dev`` (``/dev/stdin``,
    ``/dev/fd/63`` from ``<(...)``) keeps its whole name, which says what it was."""
    if text.startswith("/dev/"):
        return text
    return os.path.basename(os.path.abspath(text)) or text


def _fixed_part(pattern: str) -> str:
    """The folder a glob pattern starts from: its leading parts without wildcards."""
    fixed = list(itertools.takewhile(lambda part: not glob.has_magic(part),
                                     PurePath(pattern).parts[:-1]))  # fmt: skip
    return os.path.join(*fixed) if fixed else "."


def _name_below(path: str, base: str) -> str:
    """The name of ``path`` (a match of a pattern, or the pattern) from the folder holding
    the pattern's fixed folder ``base``."""
    return os.path.relpath(os.path.abspath(path), os.path.dirname(os.path.abspath(base)))
