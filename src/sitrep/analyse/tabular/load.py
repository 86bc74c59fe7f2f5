"""Reading a table file (its format detected) and importing its rows into a store."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from time import perf_counter
from typing import Any

from sitrep import __version__
from sitrep.analyse.tabular.rows import (
    FORMATS,
    FormatError,
    RowReject,
    TableRow,
    _hash,
    _minhash,
    _reason,
    economist_row,
    gsu_row,
)
from sitrep.errors import Errors
from sitrep.store import Store


def import_claims(store: Store, path: str | Path, fmt: str | None = None) -> dict[str, Any]:
    """Import a table of claims (JSON Lines) into ``store``; return what was done.

    ``fmt`` is ``"economist"`` or ``"gsu"``; None detects it from the first row. All rows go
    in one transaction, recorded as a run (``sitrep import-claims PATH``) with the rejects.
    Returns ``format``, ``rows`` (data rows read), ``stored`` (new rows), ``updated`` (rows
    whose figures changed since the last import), ``unchanged``, ``rejected``, ``claims``
    (claims written), ``run_id`` and ``seconds``. Raises ``FormatError`` when the format
    cannot be told or is not the one asked for, ``OSError`` when the file cannot be read.

    Example:
        >>> import json, os, tempfile
        >>> from sitrep.store import Store
        >>> day = {"id": "gsu:2022-02-25", "date": "2022-02-25", "day_of_war": 2,
        ...        "claimant": "General Staff of the Armed Forces of Ukraine / Ministry of "
        ...        "Defence of Ukraine", "subject": "Russian forces", "personnel": 2800,
        ...        "personnel_qualifier": "about", "pow": 0, "equipment": {"tank": 80}}
        >>> path = os.path.join(tempfile.mkdtemp(), "gsu.jsonl")
        >>> _ = open(path, "w").write(json.dumps(day) + "\\n")
        >>> counts = import_claims(Store.open("sqlite://"), path)
        >>> counts["format"], counts["stored"], counts["claims"]
        ('gsu', 1, 3)
    """
    started = perf_counter()
    path = Path(path)
    chosen, items = read_table(path, fmt)
    run_id = store.start_run(f"sitrep import-claims {path}", __version__)
    rows = [i for i in items if isinstance(i, TableRow)]
    rejects = [i for i in items if isinstance(i, RowReject)]
    counts: dict[str, int] = {"stored": 0, "updated": 0, "unchanged": 0, "claims": 0}
    try:
        for r in rejects:
            store.add_reject(run_id, r.where, r.reason)
        batch = [(r.key, r.article, r.record, _minhash(r.article.text)) for r in rows]
        counts = store.save_table_rows(batch, run_id)
    finally:
        store.finish_run(
            run_id,
            {
                "read": len(rows) + len(rejects),
                "stored": counts["stored"] + counts["updated"],
                "known": counts["unchanged"],
                "rejected": len(rejects),
            },
        )
    return {
        "format": chosen,
        "rows": len(rows) + len(rejects),
        **counts,
        "rejected": len(rejects),
        "run_id": run_id,
        "seconds": round(perf_counter() - started, 3),
    }


def read_table(path: str | Path, fmt: str | None = None) -> tuple[str, list[TableRow | RowReject]]:
    """Read a table file into rows and rejects, without a database.

    Example:
        >>> import json, os, tempfile
        >>> path = os.path.join(tempfile.mkdtemp(), "t.jsonl")
        >>> _ = open(path, "w").write("not json\\n")
        >>> read_table(path, "economist")[1][0].reason
        'not JSON: Expecting value (column 1)'
    """
    path = Path(path)
    if fmt is not None and fmt not in FORMATS:
        raise FormatError(Errors.E201.format(value=fmt, choices=", ".join(FORMATS)))
    out: list[TableRow | RowReject] = []
    chosen = fmt
    seen: dict[str, int] = {}
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                out.append(RowReject(where, f"not JSON: {exc.msg} (column {exc.colno})"))
                continue
            if not isinstance(row, dict):
                out.append(RowReject(where, "not a JSON object"))
                continue
            if chosen is None:
                chosen = detect_format(row)
                if chosen is None:
                    raise FormatError(
                        Errors.E202.format(where=where)
                    )
            try:
                made = economist_row(row) if chosen == "economist" else gsu_row(row)
            except (KeyError, TypeError, ValueError) as exc:
                out.append(RowReject(where, _reason(exc)))
                continue
            # Two rows with one identity (never seen in these tables) both stay: the second
            # gets an ordinal, so the keys stay stable as long as the file's order is.
            n = seen.get(made.key, 0)
            seen[made.key] = n + 1
            if n:
                made.key = _hash(made.key, str(n))
            out.append(made)
    if chosen is None:
        raise FormatError(Errors.E203.format(where=path))
    return chosen, out


def detect_format(row: Mapping[str, Any]) -> str | None:
    """``"economist"`` or ``"gsu"`` from a row's fields; None for neither.

    Example:
        >>> detect_format({"claimant": "CIA", "losses_of": "russia", "type": "deaths"})
        'economist'
        >>> detect_format({"date": "2022-02-25", "personnel": 2800, "equipment": {}})
        'gsu'
    """
    if all(k in row for k in ("claimant", "losses_of", "type")):
        return "economist"
    if "personnel" in row and "equipment" in row:
        return "gsu"
    return None
