"""Rows out: the JSON page envelope, CSV text, and the columns of each list.

Every list of the API comes as JSON (``{"total", "limit", "offset", "sort", "items",
"next"}``) or as CSV, one row per item: nested objects are flattened with ``_`` between the
names (``latest_best``), lists are written as JSON text, ``None`` as an empty cell.

Example:
    >>> to_csv([{"id": 1, "latest": {"best": 5}, "evidence": [{"start": 0, "end": 3}]}],
    ...        ["id", "latest_best"]).splitlines()
    ['id,latest_best,evidence', '1,5,"[{""start"": 0, ""end"": 3}]"']
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sitrep.store import schema

_ARTICLE_OF = ("article_ext_id", "article_title", "article_url", "outlet", "published",
               "copy_group")


def _table_columns(table: Any, skip: Iterable[str] = ("record",)) -> list[str]:
    skipped = set(skip)
    return [c.name for c in table.c if c.name not in skipped]


COLUMNS: dict[str, list[str]] = {
    "articles": [
        *_table_columns(schema.articles, ("text", "extraction", "minhash")), "n_claims",
    ],
    "claims": [*_table_columns(schema.claims), *_ARTICLE_OF, "evidence", "sources"],
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


def flatten(row: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """One CSV row: nested objects become ``outer_inner`` columns, lists JSON text.

    Example:
        >>> flatten({"scope": {"place": "Kursk", "period": None}, "ids": [1, 2], "ok": True})
        {'scope_place': 'Kursk', 'scope_period': None, 'ids': '[1, 2]', 'ok': 'true'}
    """
    out: dict[str, Any] = {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.update(flatten(value, f"{name}_"))
        elif isinstance(value, list | tuple):
            out[name] = json.dumps(value, ensure_ascii=False, default=str)
        elif isinstance(value, bool):
            out[name] = "true" if value else "false"
        else:
            out[name] = value
    return out


def to_csv(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> str:
    """CSV text: a header of ``columns`` (plus any other field the rows have), then the rows.

    Example:
        >>> to_csv([], ["id", "kind"])
        'id,kind\\r\\n'
    """
    flat = [flatten(r) for r in rows]
    names = list(dict.fromkeys([*columns, *(k for r in flat for k in r)]))
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=names, restval="", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(flat)
    return buf.getvalue()
