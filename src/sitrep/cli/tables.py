"""The stored tables on the command line: claims, statements, events, articles, series,
exports, imports, and the server that shows them."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from sitrep.cli.app import (
    DbOption,
    app,
    checked_filters,
    err,
    open_store,
)

Fmt = Annotated[str, typer.Option("--format", help="table, json or csv.")]
Limit = Annotated[int, typer.Option(help="At most this many rows (0: all).")]
CopiesOption = Annotated[bool, typer.Option(
    help="Also the rows of syndicated copies (default: each copy group's first article only).")]


def _print_rows(rows: list[dict[str, object]], columns: list[str], fmt: str, title: str,
                optional: tuple[str, ...] = ()) -> None:
    if fmt == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=1, default=str))
        return
    if fmt == "csv":
        from sitrep.export.csvtext import write_csv

        write_csv(rows, columns, sys.stdout)
        return
    if fmt != "table":
        err(f"unknown --format {fmt!r} (expected table, json or csv)")
        raise typer.Exit(2)
    from sitrep.console import print_table

    print_table(rows, columns, title, optional=optional)


def _query(what: str, fmt: str, columns: list[str] | None, db: str | None,
           **filters: object) -> None:
    """Print the rows of store table ``what``; ``columns`` None: the catalog's CLI columns.

    The options of ``sitrep claims``/``statements``/``events``/``articles`` are the catalog's
    filters with ``cli`` set (``sitrep.store.catalog``), spelled out so that starting the CLI
    does not import the store; ``tests/test_catalog.py`` holds them equal.
    """
    if fmt not in {"table", "json", "csv"}:
        err(f"sitrep {what}: unknown --format {fmt!r} (expected table, json or csv)")
        raise typer.Exit(2)
    clean = {k: v for k, v in filters.items() if v not in (None, "", False)}
    limit = int(str(clean.pop("limit", 0) or 0)) or None
    clean = checked_filters(what, clean)
    from sitrep.store.catalog import CATALOG

    clean = CATALOG[what].with_defaults(clean)
    with open_store(what, db) as store:
        try:
            if what == "claims":
                from sitrep.export.files import claims_with_sources

                rows = claims_with_sources(store, **clean)
                rows = rows[:limit] if limit else rows
            else:
                rows = getattr(store, what)(limit=limit, **clean)
        except ValueError as exc:
            err(f"sitrep {what}: {exc}")
            raise typer.Exit(2) from None
    for r in rows:
        r.pop("record", None)
    if columns is None:
        from sitrep.store.catalog import CATALOG

        columns = list(CATALOG[what].cli_columns)
    if what == "claims" and fmt == "table":
        from sitrep.console import claim_columns, claim_display

        rows = [claim_display(r) for r in rows]
        columns = claim_columns()
    _print_rows(rows, columns if fmt == "table" else list(rows[0]) if rows else columns, fmt,
                what)


@app.command()
def claims(
    db: DbOption = None,
    kind: Annotated[str | None, typer.Option(help="killed, wounded, casualties, ...")] = None,
    scope: Annotated[str | None, typer.Option(help="incident, period or total.")] = None,
    subject_country: Annotated[str | None, typer.Option(help="Whose losses (ISO code).")] = None,
    speaker: Annotated[str | None, typer.Option(help="Speaker text contains.")] = None,
    speaker_country: Annotated[str | None, typer.Option()] = None,
    anonymous: Annotated[bool, typer.Option(help="Anonymous speakers only.")] = False,
    place: Annotated[str | None, typer.Option(help="Place name, admin1 or country.")] = None,
    said_from: Annotated[str | None, typer.Option(help="Said on or after (YYYY-MM-DD).")] = None,
    said_to: Annotated[str | None, typer.Option(help="Said on or before (YYYY-MM-DD).")] = None,
    search: Annotated[str | None, typer.Option(help="Text search.")] = None,
    copies: CopiesOption = False,
    fmt: Fmt = "table",
    limit: Limit = 0,
) -> None:
    """Stored claims, filtered; with the number of independent sources (copy groups)."""
    _query("claims", fmt, None, db,
           kind=kind, scope=scope, subject_country=subject_country, speaker=speaker,
           speaker_country=speaker_country, anonymous=anonymous or None, place=place,
           said_from=said_from, said_to=said_to, search=search, copies=copies, limit=limit)


@app.command()
def statements(
    db: DbOption = None,
    speaker: Annotated[str | None, typer.Option()] = None,
    speaker_country: Annotated[str | None, typer.Option()] = None,
    anonymous: Annotated[bool, typer.Option()] = False,
    search: Annotated[str | None, typer.Option()] = None,
    fmt: Fmt = "table",
    limit: Limit = 0,
) -> None:
    """Stored statements (who said what), filtered."""
    _query("statements", fmt, None, db,
           speaker=speaker, speaker_country=speaker_country, anonymous=anonymous or None,
           search=search, limit=limit)


@app.command()
def events(
    db: DbOption = None,
    country: Annotated[str | None, typer.Option()] = None,
    place: Annotated[str | None, typer.Option()] = None,
    date_from: Annotated[str | None, typer.Option()] = None,
    date_to: Annotated[str | None, typer.Option()] = None,
    search: Annotated[str | None, typer.Option()] = None,
    copies: CopiesOption = False,
    fmt: Fmt = "table",
    limit: Limit = 0,
) -> None:
    """Stored events (incidents), filtered."""
    _query("events", fmt, None, db,
           country=country, place=place, date_from=date_from, date_to=date_to, search=search,
           copies=copies, limit=limit)


@app.command()
def articles(
    db: DbOption = None,
    search: Annotated[str | None, typer.Option()] = None,
    fmt: Fmt = "table",
    limit: Limit = 0,
) -> None:
    """Stored articles with their copy group and claim count."""
    _query("articles", fmt, None, db, search=search, limit=limit)


@app.command()
def export(
    fmt: Annotated[str, typer.Option("--format", help="csv, jsonl, parquet, ucdp, acled, "
                                     "claimreview.")],
    out: Annotated[Path | None, typer.Option("--out", "-o", help="File (default: stdout).")]
    = None,
    db: DbOption = None,
) -> None:
    """Export claims (csv, jsonl, parquet), events (ucdp, acled) or schema.org Claims."""
    from sitrep.export.files import export as run_export

    if fmt == "parquet" and out is None:
        err("sitrep export: --format parquet needs --out FILE")
        raise typer.Exit(2)
    with open_store("export", db) as store:
        try:
            n = run_export(store, fmt, out if out is not None else sys.stdout)
        except ValueError as exc:
            err(f"sitrep export: {exc}")
            raise typer.Exit(2) from None
    if out is not None:
        err(f"wrote {n} rows to {out}")


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on (loopback by default).")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(help="Server processes.", min=1)] = 1,
) -> None:
    """Serve the dashboard and the JSON API; writes need $SITREP_TOKEN.

    The database must exist (``sitrep ingest`` makes one); a port in use is one line, exit 2.
    """
    import socket

    from sitrep.serve import run_server

    with open_store("serve", db):
        pass  # exists, opens and is migrated before the server starts
    try:  # uvicorn logs a bind failure and exits 1 with no hint of what was taken
        with socket.create_server((host, port)):
            pass
    except OSError as exc:
        err(f"sitrep serve: cannot listen on {host}:{port}: {exc.strerror or exc}")
        raise typer.Exit(2) from None
    run_server(db, host=host, port=port, workers=workers)


@app.command("import-claims")
def import_claims_cmd(
    path: Annotated[Path, typer.Argument(help="A JSONL table of claims (Economist, GSU).")],
    db: DbOption = None,
    fmt: Annotated[str | None, typer.Option("--format", help="Table format (default: detect).")]
    = None,
) -> None:
    """Load tabular claims (published estimate tables) into the store for tracking."""
    from sitrep.analyse.tabular import import_claims

    if not path.is_file():
        err(f"sitrep import-claims: {path}: no such file")
        raise typer.Exit(2)
    with open_store("import-claims", db, create=True) as store:
        try:
            counts = import_claims(store, path, fmt)
        except ValueError as exc:
            err(f"sitrep import-claims: {path}: {exc}")
            raise typer.Exit(2) from None
    print(json.dumps(counts, default=str))


@app.command()
def series(
    db: DbOption = None,
    kind: Annotated[str | None, typer.Option()] = None,
    subject_country: Annotated[str | None, typer.Option()] = None,
    fmt: Fmt = "table",
    limit: Limit = 20,
) -> None:
    """Series of estimates (same measure, subject and scope), busiest first."""
    from sitrep.analyse.track import list_series

    checked = checked_filters("series", {"kind": kind, "subject_country": subject_country})
    with open_store("series", db) as store:
        rows = list_series(store, kind=checked["kind"],
                           subject_country=checked["subject_country"], limit=limit or None)
    for r in rows:
        latest = r.pop("latest", None) or {}
        r["latest_best"] = latest.get("best")
        r["latest_date"] = latest.get("date")
        scope = r.pop("scope", None) or {}
        r["place"] = scope.get("place")
        r["period"] = scope.get("period")
    _print_rows(rows, ["kind", "subject_country", "place", "period", "n_claims",
                       "n_claimants", "latest_best", "latest_date", "disagreement", "id"],
                fmt, "series", optional=("id", "disagreement"))
