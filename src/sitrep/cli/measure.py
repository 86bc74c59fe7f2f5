"""Measuring and training the extractor: ``sitrep eval``, ``bench``, ``train-*``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from sitrep.cli.app import (
    DataOption,
    JsonOption,
    WorkersOption,
    app,
    err,
    extraction_options,
)


@app.command("eval")
def evaluate_cmd(
    data: DataOption = Path("../shared"),
    min_: Annotated[
        list[str] | None,
        typer.Option("--min", help="Floor as NAME=VALUE (e.g. polnear.f1=0.8); repeatable."),
    ] = None,
    json_out: JsonOption = False,
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
        extraction_options("eval", f, workers)
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
        err(f"sitrep eval: below floor: {f}")
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
    data: DataOption = Path("../shared"),
    json_out: JsonOption = False,
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
        extraction_options("bench", f, workers)
    if data_set not in CORPORA:
        err(f"sitrep bench: unknown --data-set {data_set!r} "
             f"(expected one of {', '.join(CORPORA)})")
        raise typer.Exit(2)
    texts = read_corpus(corpus, size) if corpus else default_corpus(data, size, data_set)
    if not texts:
        err(f"sitrep bench: no corpus given and no texts under {data}/data")
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
    data: DataOption = Path("../shared"),
    annotations: Annotated[Path, typer.Option(help="The news annotations.")] = Path(
        "annotations/news"
    ),
    out: Annotated[Path, typer.Option()] = Path("src/sitrep/extract/data/reader_whose.npz"),
    kind_out: Annotated[Path, typer.Option()] = Path("src/sitrep/extract/data/reader_kind.npz"),
    scope_out: Annotated[Path, typer.Option()] = Path(
        "src/sitrep/extract/data/reader_scope.npz"
    ),
    search_scope: Annotated[bool, typer.Option(
        help="Choose the scope head's settings again by cross-validation (otherwise those "
        "fixed in reader_scope.json)."
    )] = False,
) -> None:
    """Train the claim reader's heads on the news annotations' train split (and, for the
    whose-losses head, the NYT casualty sentences outside the held-out sixth); write their
    weights (about 8 minutes on 2 cores). The scope head is trained last: it reads the
    claims as the kind head leaves them."""
    from sitrep.extract.reader.model import load_kind_head
    from sitrep.train.kind import train as run_kind
    from sitrep.train.scope import train as run_scope
    from sitrep.train.whose import train as run_train

    print(json.dumps(run_train(data, annotations, out), indent=2))
    print(json.dumps(run_kind(data, annotations, kind_out), indent=2))
    load_kind_head.cache_clear()  # the scope head's claims are those of the new kind head
    print(json.dumps(run_scope(data, annotations, scope_out, search_scope), indent=2))
