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
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any


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
