"""Input names to files: files, folders (recursively), glob patterns and ``-`` (standard input).

Folders are walked depth-first in sorted order (by name, the same on every machine), one
folder's listing of names in memory at a time; hidden entries (names starting with ``.``) and
symbolic links to folders are skipped inside a walk. A name that is neither a file nor a folder
is tried as a glob pattern (``**`` reaches into subfolders); one that matches nothing is a
Reject. Files come out as plain strings, joined onto the name given.

Example:
    >>> [str(r) for r in expand_paths(["/no/such/file.txt"])]
    ['/no/such/file.txt: no such file or folder']
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Iterator

from sitrep.sources.base import PathLike, Reject

STDIN = "-"


def expand_paths(names: Iterable[PathLike]) -> Iterator[str | Reject]:
    """Each input in order: a file name, ``"-"`` for standard input, or a Reject.

    Example:
        >>> list(expand_paths(["-"]))
        ['-']
    """
    for name in names:
        text = os.fspath(name)
        if text == STDIN:
            yield STDIN
        elif os.path.isdir(text):
            yield from walk_folder(text)
        elif os.path.exists(text):
            yield text
        elif glob.has_magic(text):
            matches = sorted(glob.glob(text, recursive=True))
            if not matches:
                yield Reject(text, "no files match the pattern")
            for match in matches:
                if os.path.isdir(match):
                    yield from walk_folder(match)
                elif os.path.isfile(match):
                    yield match
        else:
            yield Reject(text, "no such file or folder")


def walk_folder(folder: PathLike) -> Iterator[str | Reject]:
    """The files under ``folder``, depth-first in sorted order, lazily.

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
    try:
        names = sorted(os.listdir(top))
    except OSError as exc:
        yield Reject(top, f"cannot list the folder ({exc.strerror or exc})")
        return
    for name in names:
        if name.startswith("."):
            continue
        path = os.path.join(top, name)
        if os.path.isdir(path):
            if not os.path.islink(path):
                yield from walk_folder(path)
        elif os.path.isfile(path):
            yield path
