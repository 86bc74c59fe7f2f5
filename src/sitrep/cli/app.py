"""The command line's application and what its commands share: the error line, the store,
the filter checks, the extraction options."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from sitrep import __version__

if TYPE_CHECKING:
    from sitrep.extract.pipeline import ExtractOptions
    from sitrep.store import Store

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="sitrep: who claims what in conflict news, with the evidence for every field.",
)


def err(msg: str) -> None:
    print(msg, file=sys.stderr)


@contextmanager
def open_store(command: str, db: str | None, *, create: bool = False) -> Iterator[Store]:
    """The store for ``sitrep COMMAND``; a database that cannot be opened is one line, exit 2.

    Only the commands that write (``ingest``, ``import-claims``) create a database; the others
    say "no such database" rather than read an empty new file.
    """
    from sitrep.store import Store, StoreError

    try:
        store = Store.open(db, create=create)
    except StoreError as exc:
        err(f"sitrep {command}: {exc}")
        raise typer.Exit(2) from None
    with store:
        yield store


def checked_filters(command: str, filters: dict[str, Any]) -> dict[str, Any]:
    """The filters a user gave, checked as the API checks them (a table of the catalog,
    ``sitrep.store.catalog``, by its filters' checks; the others by ``sitrep.store.filters``).
    """
    from sitrep.store.catalog import CATALOG
    from sitrep.store.filters import FilterError, check_filters

    try:
        listing = CATALOG.get(command)
        return listing.check(filters) if listing else check_filters(filters)
    except FilterError as exc:
        option = "--" + exc.name.replace("_", "-")
        err(f"sitrep {command}: {option}: {exc.message}")
        raise typer.Exit(2) from None


WorkersOption = Annotated[
    int, typer.Option(help="Worker processes here (each loads the model once).")
]
FocusOption = Annotated[
    str,
    typer.Option(help="all: parse every paragraph; claims: only paragraphs with a count "
                 "candidate (faster; statements elsewhere are skipped)."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")]
DataOption = Annotated[Path, typer.Option(help="Folder with the reference data (shared/).")]
DaskOption = Annotated[
    str | None,
    typer.Option(help="Extract on a Dask cluster: tcp://HOST:PORT (a running scheduler) "
                 "or local:N (N worker processes here)."),
]


def extraction_options(
    command: str, focus: str = "all", workers: int = 1, dask: str | None = None
) -> ExtractOptions:
    """The one options object of a command's extraction (``sitrep.run.Runner`` reads where
    it runs); a bad value is one line naming its option, exit 2."""
    from sitrep.extract.pipeline import ExtractOptions
    from sitrep.run.cluster import parse_dask

    for option, check in (
        ("--focus", lambda: ExtractOptions(focus=focus)),
        ("--dask", lambda: dask is None or parse_dask(dask)),
        ("--workers", lambda: ExtractOptions(focus=focus, workers=workers, dask=dask)),
    ):
        try:
            check()
        except ValueError as exc:
            err(f"sitrep {command}: {option}: {exc}")
            raise typer.Exit(2) from None
    return ExtractOptions(focus=focus, workers=workers, dask=dask)


DbOption = Annotated[
    str | None,
    typer.Option("--db", help="SQLite file or PostgreSQL URL (default: $SITREP_DB or sitrep.db)."),
]


@app.command()
def version() -> None:
    """Print sitrep's version."""
    print(__version__)
