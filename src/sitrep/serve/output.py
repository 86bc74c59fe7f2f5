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

from sitrep.store.catalog import CATALOG

COLUMNS: dict[str, list[str]] = {
    # The listed tables declare theirs in the catalog.
    **{name: list(listing.columns) for name, listing in CATALOG.items()},
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
