"""Loading the linguistic data files that ship inside the package.

Linguistic knowledge (vague-quantity lexicon, reporting verbs, actor aliases, place
aliases ...) lives in ``sitrep/extract/data/`` so that a user can read and override it.
Set ``SITREP_DATA_DIR`` to a folder holding files of the same names to override any of them.

Example:
    >>> lex = load_data("quantities.json")
    >>> "dozens" in lex["vague"]
    True
"""

from __future__ import annotations

import json
import os
from dataclasses import fields
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

Words = TypeVar("Words")


def data_path(name: str) -> Path:
    """Where data file ``name`` is read from: the override folder first, else the package."""
    override = os.environ.get("SITREP_DATA_DIR")
    if override and (Path(override) / name).is_file():
        return Path(override) / name
    return Path(str(resources.files("sitrep.extract").joinpath("data", name)))


@cache
def load_data(name: str) -> Any:
    """Return the parsed contents of data file ``name`` (JSON), override folder first."""
    return json.loads(data_path(name).read_text(encoding="utf-8"))


def load_word_sets(name: str, cls: type[Words], section: str | None = None) -> Words:
    """The dataclass ``cls`` of word sets read from data file ``name`` (from its
    ``section``, else its top level): each field is the lower-cased set of the list of the
    same name, so a rule's words are declared once, as its dataclass's fields.

    Example:
        >>> from dataclasses import dataclass
        >>> @dataclass(frozen=True)
        ... class Preps:
        ...     locative_preps: frozenset[str]
        >>> "near" in load_word_sets("places.json", Preps).locative_preps
        True
    """
    data = load_data(name)
    data = data[section] if section else data
    return cls(**{f.name: frozenset(w.lower() for w in data[f.name])
                  for f in fields(cls)})  # type: ignore[arg-type]

