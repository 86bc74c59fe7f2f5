"""The extract stage: a spaCy pipeline that turns an Article into statements, claims,
events and times.

Its face (what code outside ``sitrep.extract`` uses): ``Extractor`` and ``ExtractOptions``
(``pipeline.py``), the step names ``SITREP_STEPS`` (spaCy factories registered by entry
points, ``components.py``) and ``set_extensions`` (``extensions.py``). The names load on
first use, so importing one data helper does not load spaCy's pipeline code.

Example:
    >>> from sitrep.extract import ExtractOptions
    >>> ExtractOptions(focus="claims").focus
    'claims'
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sitrep.extract.components import SITREP_STEPS
    from sitrep.extract.extensions import set_extensions
    from sitrep.extract.pipeline import ExtractOptions, Extractor

_FACE = {
    "Extractor": "sitrep.extract.pipeline",
    "ExtractOptions": "sitrep.extract.pipeline",
    "SITREP_STEPS": "sitrep.extract.components",
    "set_extensions": "sitrep.extract.extensions",
}
__all__ = ["SITREP_STEPS", "ExtractOptions", "Extractor", "set_extensions"]


def __getattr__(name: str) -> Any:
    if name in _FACE:
        return getattr(import_module(_FACE[name]), name)
    raise AttributeError(f"module 'sitrep.extract' has no attribute {name!r}")
