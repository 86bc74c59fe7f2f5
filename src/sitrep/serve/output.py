"""Rows out: the columns of each list the API serves as JSON or CSV.

Every list of the API comes as JSON (``{"total", "limit", "offset", "sort", "items",
"next"}``) or as CSV, one row per item, written by ``sitrep.export.csvtext`` (the one CSV
writer): nested objects are flattened with ``_`` between the names (``latest_best``), lists
are written as JSON text, ``None`` as an empty cell, and a text that a spreadsheet would run
as a formula is neutralised.

Example:
    >>> COLUMNS["series"][:3]
    ['id', 'kind', 'subject_country']
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sitrep.store import schema
from sitrep.store.catalog import ARTICLE_OF as _ARTICLE_OF
from sitrep.store.catalog import CLAIMS


def _table_columns(table: Any, skip: Iterable[str] = ("record",)) -> list[str]:
    skipped = set(skip)
    return [c.name for c in table.c if c.name not in skipped]


COLUMNS: dict[str, list[str]] = {
    "articles": [
        *_table_columns(schema.articles, ("text", "extraction", "minhash")), "n_claims",
    ],
    "claims": list(CLAIMS.columns),  # declared in the catalog
    "statements": [*_table_columns(schema.statements), *_ARTICLE_OF],
    "events": [*_table_columns(schema.events), *_ARTICLE_OF, "claim_ids"],
    "series": [
        "id", "kind", "subject_country", "subject_actor", "scope_place", "scope_period",
        "n_claims", "n_claimants", "n_sources", "latest_date", "latest_low", "latest_best",
        "latest_high", "disagreement",
    ],
    "series_points": [
        "series_id", "claimant", "side", "country", "date", "low", "best", "high", "claim_id",
        "article_id", "quantity", "sentence", "evidence",
    ],
}
