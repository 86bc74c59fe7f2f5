"""``sitrep extract`` and ``sitrep ingest``: articles in, records out or stored."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import Annotated

import typer

from sitrep.cli.app import (
    DaskOption,
    DbOption,
    FocusOption,
    WorkersOption,
    app,
    err,
    extraction_options,
)


@app.command()
def extract(
    files: Annotated[
        list[str] | None,
        typer.Argument(help="Files (txt, html, jsonl, rss, warc; a name without a suffix is "
                       "read by its content) or - for standard input."),
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", help="jsonl (the contract) or table (claims, for people).")
    ] = "jsonl",
    published: Annotated[
        str | None, typer.Option(help="Publication date (YYYY-MM-DD) for plain text input.")
    ] = None,
    workers: WorkersOption = 1,
    focus: FocusOption = "all",
    dask: DaskOption = None,
) -> None:
    """Extract statements, claims, events and times; one JSON line per article, in order.

    A bad input line (not JSON, no text, an impossible date) is reported on stderr as
    FILE:LINE: reason, and the other lines are still processed; the exit code is then 2.
    """
    from sitrep.run import Runner
    from sitrep.sources import Reject, iter_articles, parse_date

    if fmt not in {"jsonl", "table"}:
        err(f"sitrep extract: unknown --format {fmt!r} (expected jsonl or table)")
        raise typer.Exit(2)
    options = extraction_options("extract", focus, workers, dask)
    try:
        default_date = parse_date(published)
    except ValueError as exc:
        err(f"sitrep extract: --published: {exc}")
        raise typer.Exit(2) from None
    rejected = 0

    def articles() -> Iterator[object]:
        nonlocal rejected
        for item in iter_articles(files or ["-"], default_date):
            if isinstance(item, Reject):
                rejected += 1
                err(f"sitrep extract: {item}")
                continue
            yield item

    runner = Runner(options)
    try:
        runner.open()
    except ConnectionError as exc:  # --dask names a scheduler that does not answer
        err(f"sitrep extract: {exc}")
        raise typer.Exit(1) from None
    with runner:
        records = runner.extract(articles())  # type: ignore[arg-type]
        if fmt == "table":
            _print_claims_table(records)
        else:
            out = sys.stdout
            for record in records:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                out.flush()
    if rejected:
        raise typer.Exit(2)


def _print_claims_table(records: Iterator[dict[str, object]]) -> None:
    """Contract records' claims in the table ``sitrep claims`` prints.

    A claim's id is short: the article's number in input order and the claim's id in it
    (``3.c2``); the articles' own ids follow the table.
    """
    from sitrep.console import claim_columns, claim_display, print_table

    rows, articles = [], []
    for n, rec in enumerate(records, start=1):
        articles.append(f"{n} = {rec['id']}")
        for c in rec["claims"]:  # type: ignore[attr-defined]
            q, sp = c["quantity"], c["speaker"] or {}
            rows.append(claim_display({
                "id": f"{n}.{c['id']}", "kind": q["kind"], "quantity": q["text"],
                "low": q["low"], "best": q["best"], "high": q["high"],
                "speaker_text": sp.get("text"), "speaker_anonymous": sp.get("anonymous"),
                "speaker_antecedent": (sp.get("antecedent") or {}).get("text"),
                "subject_country": (c["subject"] or {}).get("country"),
                "place_name": (c["place"] or {}).get("name"), "said_on": c["said_on"],
            }))
    print_table(rows, claim_columns(), "claims")
    print("articles: " + "; ".join(articles))




@app.command()
def ingest(
    paths: Annotated[
        list[str], typer.Argument(help="Files, folders, globs (txt, html, jsonl, rss, warc) or -.")
    ],
    db: DbOption = None,
    published: Annotated[
        str | None, typer.Option(help="Publication date (YYYY-MM-DD) for undated inputs.")
    ] = None,
    reprocess: Annotated[
        bool, typer.Option(help="Re-extract stored articles with this extractor, as a new run.")
    ] = False,
    workers: WorkersOption = 1,
    focus: FocusOption = "all",
    dask: DaskOption = None,
    quiet: Annotated[bool, typer.Option(help="No progress bar.")] = False,
    recent_days: Annotated[
        int, typer.Option(help="Days of the store's earlier events that tell apart namesakes "
                          "an article's text leaves open (0: read each article alone).")
    ] = 30,  # sitrep.store.queries.RECENT_DAYS, literal so that --help loads no store
    strict: Annotated[
        bool, typer.Option(help="Exit 1 when any input was rejected (default: only when "
                           "nothing could be read).")
    ] = False,
) -> None:
    """Read, extract, store and group copies; print a summary. Bad inputs become rejects.

    With --dask, extraction runs as Dask tasks (a batch of articles each) and this process
    saves the results in input order: the database is the same as without it.

    Exit status: 0 when articles were read (rejects are listed on stderr and stored); 1 when
    nothing could be read, or with --strict when anything was rejected; 2 when a named file,
    folder or pattern does not exist (nothing is read then) or an option or the database is
    wrong.
    """
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from sitrep.ingest import IngestOptions, IngestSummary
    from sitrep.ingest import ingest as run_ingest
    from sitrep.sources import parse_date
    from sitrep.sources.paths import missing_inputs
    from sitrep.store import StoreError, display_url, resolve_url

    try:
        when = parse_date(published)
    except ValueError as exc:
        err(f"sitrep ingest: --published: {exc}")
        raise typer.Exit(2) from None
    extract_options = extraction_options("ingest", focus, workers, dask)
    missing = missing_inputs(paths)
    if missing:
        err("sitrep ingest: no such file, folder or match: " + ", ".join(missing))
        raise typer.Exit(2)
    options = IngestOptions(
        db=db, published=when, reprocess=reprocess, extract=extract_options,
        command="sitrep ingest " + " ".join(paths), recent_days=max(recent_days, 0),
    )
    console = Console(stderr=True)
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
        console=console, disable=quiet, transient=True,
    ) as bar:
        task = bar.add_task("reading", total=None)

        def show(summary: IngestSummary) -> None:
            rate = summary.read / summary.seconds if summary.seconds else 0.0
            bar.update(task, description=(
                f"{summary.read} articles, {summary.stored} stored, {summary.rejected} rejected"
                f" — {rate:.1f} articles/s"
            ))

        try:
            summary = run_ingest(paths, options, show)
        except ConnectionError as exc:  # --dask names a scheduler that does not answer
            bar.stop()
            err(f"sitrep ingest: {exc}")
            raise typer.Exit(1) from None
        except StoreError as exc:
            bar.stop()
            err(f"sitrep ingest: {exc}")
            raise typer.Exit(2) from None
    for reject in summary.rejects:
        err(f"rejected {reject}")
    print(
        f"run {summary.run_id}: read {summary.read}, stored {summary.stored}, "
        f"already known {summary.known}, copies {summary.copies}, "
        f"rejected {summary.rejected}"
        + (f", reprocessed {summary.reprocessed}" if summary.reprocessed else "")
        + f" in {summary.seconds:.1f}s — {display_url(resolve_url(db))}"
    )
    if summary.read == 0:
        err("sitrep ingest: nothing could be read"
             + (f" ({summary.rejected} rejected)" if summary.rejected else ""))
        raise typer.Exit(1)
    if strict and summary.rejected:
        err(f"sitrep ingest: --strict: {summary.rejected} input(s) rejected")
        raise typer.Exit(1)
