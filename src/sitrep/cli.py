"""The ``sitrep`` command line. It parses arguments and prints; the stages do the work."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer

from sitrep import __version__

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="sitrep: who claims what in conflict news, with the evidence for every field.",
)


def _err(msg: str) -> None:
    print(msg, file=sys.stderr)


@app.command()
def version() -> None:
    """Print sitrep's version."""
    print(__version__)


@app.command()
def extract(
    files: Annotated[
        list[str] | None,
        typer.Argument(help="JSONL files, plain text files, or - for standard input."),
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", help="jsonl (the contract) or table (claims, for people).")
    ] = "jsonl",
    published: Annotated[
        str | None, typer.Option(help="Publication date (YYYY-MM-DD) for plain text input.")
    ] = None,
    workers: Annotated[int, typer.Option(help="spaCy processes.")] = 1,
) -> None:
    """Extract statements, claims, events and times; one JSON line per article, in order.

    A bad input line (not JSON, no text, an impossible date) is reported on stderr as
    FILE:LINE: reason, and the other lines are still processed; the exit code is then 2.
    """
    from sitrep.extract.pipeline import ExtractOptions, Extractor
    from sitrep.sources.readers import Reject, parse_date

    if fmt not in {"jsonl", "table"}:
        _err(f"sitrep extract: unknown --format {fmt!r} (expected jsonl or table)")
        raise typer.Exit(2)
    try:
        default_date = parse_date(published)
    except ValueError as exc:
        _err(f"sitrep extract: --published: {exc}")
        raise typer.Exit(2) from None
    rejected = 0

    def articles() -> Iterator[object]:
        nonlocal rejected
        for item in _read_inputs(files or ["-"], default_date):
            if isinstance(item, Reject):
                rejected += 1
                _err(f"sitrep extract: {item}")
                continue
            yield item

    extractor = Extractor(ExtractOptions(n_process=workers))
    records = extractor.extract(articles())  # type: ignore[arg-type]
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
    from rich.console import Console
    from rich.table import Table

    table = Table(title="claims", show_lines=False)
    for col in ("article", "kind", "value", "low", "best", "high", "speaker", "subject",
                "place", "said_on"):
        table.add_column(col)
    n = 0
    for rec in records:
        for c in rec["claims"]:  # type: ignore[attr-defined]
            q = c["quantity"]
            sp = c["speaker"]
            table.add_row(
                str(rec["id"]),
                q["kind"],
                q["text"],
                _num(q["low"]),
                _num(q["best"]),
                _num(q["high"]),
                (sp["text"] + (" (anon.)" if sp["anonymous"] else "")) if sp else "(narration)",
                (c["subject"] or {}).get("actor") or "",
                (c["place"] or {}).get("name") or "",
                c["said_on"] or "",
            )
            n += 1
    Console().print(table)
    print(f"{n} claims")


def _num(value: object) -> str:
    if value is None:
        return "open"
    f = float(value)  # type: ignore[arg-type]
    return f"{f:,.0f}" if f == int(f) else f"{f:,.1f}"


def _read_inputs(names: list[str], default_date: object) -> Iterator[object]:
    from sitrep.sources.readers import (
        Reject,
        article_from_text,
        read_jsonl_lines,
        read_text_file,
    )

    for name in names:
        if name == "-":
            data = sys.stdin.read()
            if data.lstrip().startswith("{"):
                yield from read_jsonl_lines(data.splitlines(), "<stdin>")
            else:
                try:
                    yield article_from_text(data, "<stdin>", default_date)  # type: ignore[arg-type]
                except ValueError as exc:
                    yield Reject("<stdin>", str(exc))
            continue
        path = Path(name)
        if not path.is_file():
            yield Reject(name, "no such file")
            continue
        if path.suffix.lower() in {".jsonl", ".ndjson"}:
            try:
                with path.open(encoding="utf-8", errors="strict") as fh:
                    yield from read_jsonl_lines(fh, name)
            except UnicodeDecodeError as exc:
                yield Reject(name, f"not UTF-8 (byte {exc.start})")
            except OSError as exc:
                yield Reject(name, f"cannot read ({exc.strerror or exc})")
        else:
            yield read_text_file(path, default_date)  # type: ignore[arg-type]


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
) -> None:
    """Score the extractor against the gold sets and print a table; floors make it fail."""
    from sitrep.evaluate import check_floors, print_table, run_all

    figures, notes = run_all(data, limit=limit or None)
    if json_out:
        print(json.dumps(figures, indent=2))
    else:
        print_table(figures, notes)
    failures = check_floors(figures, min_ or [])
    for f in failures:
        _err(f"sitrep eval: below floor: {f}")
    if failures:
        raise typer.Exit(1)


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
) -> None:
    """Train the attribution cue model on PolNeAR train and write its weights."""
    from sitrep.extract.train_attribution import train as run_train

    figures = run_train(train, out, dev if dev and dev.exists() else None)
    print(json.dumps(figures, indent=2))


def main() -> None:
    """Entry point of the ``sitrep`` console script."""
    app()


if __name__ == "__main__":
    main()
