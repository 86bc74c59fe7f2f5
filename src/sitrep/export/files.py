"""Writing exports: claims as CSV / JSON Lines / Parquet, events as UCDP- or ACLED-like
tables, claims as schema.org ``Claim`` JSON-LD.

Example:
    >>> from sitrep.store import Store
    >>> import io
    >>> buf = io.StringIO()
    >>> export(Store.open("sqlite://"), "csv", buf)
    0
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from sitrep.analyse.sources import count_sources
from sitrep.errors import Errors
from sitrep.export.csvtext import write_csv
from sitrep.export.tables import (
    ACLED_COLUMNS,
    CLAIM_COLUMNS,
    UCDP_COLUMNS,
    acled_fatalities,
    acled_row,
    claim_row,
    claimreview,
    ucdp_row,
)
from sitrep.model import speaker_entity
from sitrep.store import Store

FORMATS = ("csv", "jsonl", "parquet", "ucdp", "acled", "claimreview")


def claims_with_sources(store: Store, **filters: Any) -> list[dict[str, Any]]:
    """Claim rows (filtered) with ``sources``: copy groups carrying the same claim.

    Sources are counted over every stored claim, not just the filtered ones.
    """
    everything = store.claims(limit=None, with_record=False)
    counts = dict(zip((c["id"] for c in everything), count_sources(everything), strict=True))
    rows = store.claims(limit=None, with_record=False, **filters) if filters else everything
    for r in rows:
        r["sources"] = counts.get(r["id"], 1)
    return rows


def events_with_speakers(store: Store, **filters: Any) -> Iterator[dict[str, Any]]:
    """Event rows with ``speakers`` (who stated the event's killed figures) and
    ``acled_fatalities`` (the killed figure as ACLED codes it)."""
    for ev in store.events(limit=None, **filters):
        ids = set(ev.get("claim_ids") or [])
        claims = store.claims(article_id=ev["article_id"], limit=None, with_record=False)
        killed = [c for c in claims if c["id"] in ids and c["kind"] == "killed"]
        ev["speakers"] = sorted({s for c in killed if (s := speaker_entity(c))})
        ev["acled_fatalities"] = acled_fatalities(ev, killed)
        yield ev


def _write_table(rows: Iterable[dict[str, Any]], columns: tuple[str, ...], fmt: str,
                 out: IO[str] | Path) -> int:
    n = 0
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        data = list(rows)
        table = pa.Table.from_pylist(
            [{c: r.get(c) for c in columns} for r in data],
        ) if data else pa.table({c: pa.array([], pa.string()) for c in columns})
        assert isinstance(out, Path), "parquet needs a file path"
        pq.write_table(table, out)
        return len(data)
    fh = out.open("w", encoding="utf-8", newline="") if isinstance(out, Path) else out
    try:
        if fmt == "csv":
            n = write_csv(rows, columns, fh)
        else:
            for r in rows:
                fh.write(json.dumps({c: r.get(c) for c in columns}, ensure_ascii=False) + "\n")
                n += 1
    finally:
        if isinstance(out, Path):
            fh.close()
    return n


def export(store: Store, fmt: str, out: IO[str] | Path, **filters: Any) -> int:
    """Write an export in ``fmt`` (one of ``FORMATS``) to ``out``; return the row count."""
    if fmt not in FORMATS:
        raise ValueError(Errors.E007.format(value=fmt, choices=", ".join(FORMATS)))
    if fmt in {"csv", "jsonl", "parquet"}:
        rows = [claim_row(c) for c in claims_with_sources(store, **filters)]
        return _write_table(rows, CLAIM_COLUMNS, fmt, out)
    if fmt in {"ucdp", "acled"}:
        shape = ucdp_row if fmt == "ucdp" else acled_row
        columns = UCDP_COLUMNS if fmt == "ucdp" else ACLED_COLUMNS
        table_fmt = "csv"
        if isinstance(out, Path) and out.suffix == ".parquet":
            table_fmt = "parquet"
        elif isinstance(out, Path) and out.suffix in {".jsonl", ".json"}:
            table_fmt = "jsonl"
        return _write_table(
            (shape(e) for e in events_with_speakers(store, **filters)), columns, table_fmt, out
        )
    docs = list(claimreview(store.claims(limit=None, with_record=False, **filters)))
    text = json.dumps(docs, ensure_ascii=False, indent=2) + "\n"
    if isinstance(out, Path):
        out.write_text(text, encoding="utf-8")
    else:
        out.write(text)
    return len(docs)
