"""The ``sitrep`` command line. It parses arguments and prints; the stages do the work."""

from __future__ import annotations

import json
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


def _err(msg: str) -> None:
    print(msg, file=sys.stderr)


@contextmanager
def _opened(command: str, db: str | None, *, create: bool = False) -> Iterator[Store]:
    """The store for ``sitrep COMMAND``; a database that cannot be opened is one line, exit 2.

    Only the commands that write (``ingest``, ``import-claims``) create a database; the others
    say "no such database" rather than read an empty new file.
    """
    from sitrep.store import Store, StoreError

    try:
        store = Store.open(db, create=create)
    except StoreError as exc:
        _err(f"sitrep {command}: {exc}")
        raise typer.Exit(2) from None
    with store:
        yield store


def _checked(command: str, filters: dict[str, Any]) -> dict[str, Any]:
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
        _err(f"sitrep {command}: {option}: {exc.message}")
        raise typer.Exit(2) from None


WorkersOption = Annotated[
    int, typer.Option(help="Worker processes here (each loads the model once).")
]
FocusOption = Annotated[
    str,
    typer.Option(help="all: parse every paragraph; claims: only paragraphs with a count "
                 "candidate (faster; statements elsewhere are skipped)."),
]
DaskOption = Annotated[
    str | None,
    typer.Option(help="Extract on a Dask cluster: tcp://HOST:PORT (a running scheduler) "
                 "or local:N (N worker processes here)."),
]


def _extract_options(
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
            _err(f"sitrep {command}: {option}: {exc}")
            raise typer.Exit(2) from None
    return ExtractOptions(focus=focus, workers=workers, dask=dask)


@app.command()
def version() -> None:
    """Print sitrep's version."""
    print(__version__)


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
        _err(f"sitrep extract: unknown --format {fmt!r} (expected jsonl or table)")
        raise typer.Exit(2)
    options = _extract_options("extract", focus, workers, dask)
    try:
        default_date = parse_date(published)
    except ValueError as exc:
        _err(f"sitrep extract: --published: {exc}")
        raise typer.Exit(2) from None
    rejected = 0

    def articles() -> Iterator[object]:
        nonlocal rejected
        for item in iter_articles(files or ["-"], default_date):
            if isinstance(item, Reject):
                rejected += 1
                _err(f"sitrep extract: {item}")
                continue
            yield item

    runner = Runner(options)
    try:
        runner.open()
    except ConnectionError as exc:  # --dask names a scheduler that does not answer
        _err(f"sitrep extract: {exc}")
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
                "subject_country": (c["subject"] or {}).get("country"),
                "place_name": (c["place"] or {}).get("name"), "said_on": c["said_on"],
            }))
    print_table(rows, claim_columns(), "claims")
    print("articles: " + "; ".join(articles))


DbOption = Annotated[
    str | None,
    typer.Option("--db", help="SQLite file or PostgreSQL URL (default: $SITREP_DB or sitrep.db)."),
]


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
        _err(f"sitrep ingest: --published: {exc}")
        raise typer.Exit(2) from None
    extract_options = _extract_options("ingest", focus, workers, dask)
    missing = missing_inputs(paths)
    if missing:
        _err("sitrep ingest: no such file, folder or match: " + ", ".join(missing))
        raise typer.Exit(2)
    options = IngestOptions(
        db=db, published=when, reprocess=reprocess, extract=extract_options,
        command="sitrep ingest " + " ".join(paths),
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
            _err(f"sitrep ingest: {exc}")
            raise typer.Exit(1) from None
        except StoreError as exc:
            bar.stop()
            _err(f"sitrep ingest: {exc}")
            raise typer.Exit(2) from None
    for reject in summary.rejects:
        _err(f"rejected {reject}")
    print(
        f"run {summary.run_id}: read {summary.read}, stored {summary.stored}, "
        f"already known {summary.known}, copies {summary.copies}, "
        f"rejected {summary.rejected}"
        + (f", reprocessed {summary.reprocessed}" if summary.reprocessed else "")
        + f" in {summary.seconds:.1f}s — {display_url(resolve_url(db))}"
    )
    if summary.read == 0:
        _err("sitrep ingest: nothing could be read"
             + (f" ({summary.rejected} rejected)" if summary.rejected else ""))
        raise typer.Exit(1)
    if strict and summary.rejected:
        _err(f"sitrep ingest: --strict: {summary.rejected} input(s) rejected")
        raise typer.Exit(1)


Fmt = Annotated[str, typer.Option("--format", help="table, json or csv.")]
Limit = Annotated[int, typer.Option(help="At most this many rows (0: all).")]


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
        _err(f"unknown --format {fmt!r} (expected table, json or csv)")
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
        _err(f"sitrep {what}: unknown --format {fmt!r} (expected table, json or csv)")
        raise typer.Exit(2)
    clean = {k: v for k, v in filters.items() if v not in (None, "", False)}
    limit = int(str(clean.pop("limit", 0) or 0)) or None
    clean = _checked(what, clean)
    with _opened(what, db) as store:
        try:
            if what == "claims":
                from sitrep.export.files import claims_with_sources

                rows = claims_with_sources(store, **clean)
                rows = rows[:limit] if limit else rows
            else:
                rows = getattr(store, what)(limit=limit, **clean)
        except ValueError as exc:
            _err(f"sitrep {what}: {exc}")
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
    fmt: Fmt = "table",
    limit: Limit = 0,
) -> None:
    """Stored claims, filtered; with the number of independent sources (copy groups)."""
    _query("claims", fmt, None, db,
           kind=kind, scope=scope, subject_country=subject_country, speaker=speaker,
           speaker_country=speaker_country, anonymous=anonymous or None, place=place,
           said_from=said_from, said_to=said_to, search=search, limit=limit)


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
    fmt: Fmt = "table",
    limit: Limit = 0,
) -> None:
    """Stored events (incidents), filtered."""
    _query("events", fmt, None, db,
           country=country, place=place, date_from=date_from, date_to=date_to, search=search,
           limit=limit)


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
        _err("sitrep export: --format parquet needs --out FILE")
        raise typer.Exit(2)
    with _opened("export", db) as store:
        try:
            n = run_export(store, fmt, out if out is not None else sys.stdout)
        except ValueError as exc:
            _err(f"sitrep export: {exc}")
            raise typer.Exit(2) from None
    if out is not None:
        _err(f"wrote {n} rows to {out}")


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

    with _opened("serve", db):
        pass  # exists, opens and is migrated before the server starts
    try:  # uvicorn logs a bind failure and exits 1 with no hint of what was taken
        with socket.create_server((host, port)):
            pass
    except OSError as exc:
        _err(f"sitrep serve: cannot listen on {host}:{port}: {exc.strerror or exc}")
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
        _err(f"sitrep import-claims: {path}: no such file")
        raise typer.Exit(2)
    with _opened("import-claims", db, create=True) as store:
        try:
            counts = import_claims(store, path, fmt)
        except ValueError as exc:
            _err(f"sitrep import-claims: {path}: {exc}")
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

    checked = _checked("series", {"kind": kind, "subject_country": subject_country})
    with _opened("series", db) as store:
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


@app.command("eval")
def evaluate_cmd(
    data: Annotated[
        Path, typer.Option(help="Folder with the reference data (shared/).")
    ] = Path("../shared"),
    min_: Annotated[
        list[str] | None,
        typer.Option("--min", help="Floor as NAME=VALUE (e.g. polnear.f1=0.8); repeatable."),
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
    limit: Annotated[int, typer.Option(help="Use only the first N items of each set.")] = 0,
    focus: Annotated[
        list[str] | None,
        typer.Option(help="Extraction focus to score: all, claims; repeatable (default both)."),
    ] = None,
    annotations: Annotated[
        Path, typer.Option(help="Folder of the news annotations (gold of real articles).")
    ] = Path("annotations/news"),
    workers: WorkersOption = 1,
) -> None:
    """Score the extractor against the gold sets and print a table; floors make it fail."""
    from sitrep.evaluate import check_floors, print_table, run_all
    from sitrep.extract.pipeline import FOCUSES

    figures: dict[str, float] = {}
    notes: list[str] = []
    for f in focus or FOCUSES:
        _extract_options("eval", f, workers)
    for f in focus or FOCUSES:
        got, why = run_all(data, limit=limit or None, focus=f, annotations=annotations,
                           workers=workers)
        figures.update(got)
        notes.extend(n for n in why if n not in notes)
    if json_out:
        print(json.dumps(figures, indent=2))
    else:
        print_table(figures, notes)
    failures = check_floors(figures, min_ or [])
    for f in failures:
        _err(f"sitrep eval: below floor: {f}")
    if failures:
        raise typer.Exit(1)


@app.command()
def bench(
    corpus: Annotated[
        Path | None, typer.Argument(help="JSONL corpus (default: a corpus of ../shared/data).")
    ] = None,
    size: Annotated[
        int | None,
        typer.Option(help="Articles (default: 200 of the news corpus, 2000 of the reference "
                     "corpus, all of a given CORPUS; a smaller corpus is repeated).", min=1),
    ] = None,
    data_set: Annotated[
        str, typer.Option(help="Corpus of ../shared/data when no CORPUS is given: news (full "
                          "real articles) or reference (PolNeAR articles, UCDP headlines).")
    ] = "news",
    workers: Annotated[int, typer.Option(help="Processes, for both sides.", min=1)] = 1,
    data: Annotated[Path, typer.Option(help="Folder with the reference data.")]
    = Path("../shared"),
    json_out: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
    focus: Annotated[
        list[str] | None,
        typer.Option(help="Extraction focus to time: all, claims; repeatable (default both)."),
    ] = None,
    profile: Annotated[
        bool, typer.Option(help="Also give where the time goes: % per pipeline step.")
    ] = False,
) -> None:
    """Time the whole extraction beside bare spaCy (same model, texts and processes)."""
    from sitrep.bench import CORPORA, default_corpus, read_corpus, run_bench
    from sitrep.bench import profile as profile_steps
    from sitrep.extract.pipeline import FOCUSES

    focuses = tuple(focus or FOCUSES)
    for f in focuses:
        _extract_options("bench", f, workers)
    if data_set not in CORPORA:
        _err(f"sitrep bench: unknown --data-set {data_set!r} "
             f"(expected one of {', '.join(CORPORA)})")
        raise typer.Exit(2)
    texts = read_corpus(corpus, size) if corpus else default_corpus(data, size, data_set)
    if not texts:
        _err(f"sitrep bench: no corpus given and no texts under {data}/data")
        raise typer.Exit(2)
    figures = run_bench(texts, workers, focuses)
    if profile:
        figures["profile"] = {f: profile_steps(texts, f) for f in focuses}
    if json_out:
        print(json.dumps(figures, indent=2))
        return
    print(f"{figures['articles']} articles, {figures['words']} words, {workers} process(es)")
    sides = ["bare_spacy"] + ["sitrep" if f == "all" else f"sitrep_{f}" for f in focuses]
    for side in sides:
        f = figures[side]
        print(f"{side:>14}: {f['articles_per_s']:>8} articles/s {f['words_per_s']:>9} words/s "
              f"peak {f['peak_rss_mib']} MiB")
    for f in focuses:
        key = "ratio" if f == "all" else f"ratio_{f}"
        print(f"ratio sitrep ({f}) / bare spaCy: {figures[key]}")
    for f, steps in figures.get("profile", {}).items():
        print(f"where the time goes (focus {f}, 1 process):")
        for name, step in steps.items():
            print(f"  {name:>26}: {step['seconds']:>8.2f} s {step['share']:>5.1f} %")


@app.command("train-attribution")
def train_attribution(
    train: Annotated[Path, typer.Option()] = Path(
        "../shared/data/polnear_attribution_train.jsonl"
    ),
    dev: Annotated[Path | None, typer.Option()] = Path(
        "../shared/data/polnear_attribution_dev.jsonl"
    ),
    out: Annotated[Path, typer.Option()] = Path(
        "src/sitrep/extract/data/attribution_model.json"
    ),
    fine_tune: Annotated[
        bool, typer.Option(help="Fine-tune the cue encoder too (needs torch).")
    ] = True,
) -> None:
    """Train the attribution model (and its cue encoder) on PolNeAR train; write both files.

    Needs scikit-learn and torch (training only), about 35 minutes on 2 cores.
    """
    from sitrep.train.attribution import train as run_train

    figures = run_train(train, out, dev if dev and dev.exists() else None, fine_tune=fine_tune)
    print(json.dumps(figures, indent=2))


@app.command("train-reader")
def train_reader(
    data: Annotated[Path, typer.Option(help="Folder with the reference data (shared/).")] = Path(
        "../shared"
    ),
    annotations: Annotated[Path, typer.Option(help="The news annotations.")] = Path(
        "annotations/news"
    ),
    out: Annotated[Path, typer.Option()] = Path("src/sitrep/extract/data/reader_whose.npz"),
) -> None:
    """Train the claim reader's whose-losses head on the NYT casualty sentences outside the
    held-out sixth and the news annotations' train split; write its weights (about 6
    minutes on 2 cores)."""
    from sitrep.train.whose import train as run_train

    print(json.dumps(run_train(data, annotations, out), indent=2))


def main() -> None:
    """Entry point of the ``sitrep`` console script."""
    app()


if __name__ == "__main__":
    main()
