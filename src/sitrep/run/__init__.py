"""Where extraction runs, for every command: ``Runner`` (this process, ``workers`` local
processes, or a Dask cluster), the work a batch gets (``work``), the batches by characters
(``batches``) and the in-order window of futures every parallel backend shares
(``window``).

Example:
    >>> from sitrep.model import Article
    >>> with Runner(ExtractOptions(focus="claims")) as runner:
    ...     [len(r["claims"]) for r in runner.extract([Article(id="a", text="Two were killed.")])]
    [1]
"""

from sitrep.extract.pipeline import ExtractOptions
from sitrep.run.batches import char_batches
from sitrep.run.runner import Extracts, Runner
from sitrep.run.work import Extracted, extract_batch

__all__ = ["ExtractOptions", "Extracted", "Extracts", "Runner", "char_batches", "extract_batch"]
