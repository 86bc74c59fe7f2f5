"""One runner for every command (``sitrep.run``): where extraction runs changes nothing but
the time it takes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sitrep.extract.pipeline import ExtractOptions, Extractor
from sitrep.model import Article
from sitrep.run import Runner
from sitrep.run.work import extract_batch
from sitrep.store.prepared import prepare

SHARED = Path(__file__).resolve().parents[2] / "shared"
TEXTS = [
    "Russian shelling killed four civilians in Kupiansk on Sunday, the governor said.",
    "Talks on a prisoner exchange resumed in Istanbul.",
    "Ukraine's air force said it downed 31 of the 40 drones launched overnight.",
]


def _articles() -> list[Article]:
    return [Article(id=f"r{i}", text=t, published=date(2024, 8, 4)) for i, t in enumerate(TEXTS)]


@pytest.mark.parametrize(
    ("options", "code"),
    [
        (dict(workers=0), "E509"),
        (dict(workers=2, dask="local:2"), "E507"),
        (dict(focus="numbers"), "E001"),
    ],
)
def test_options_that_cannot_run_are_refused_with_their_code(
    options: dict[str, object], code: str
) -> None:
    with pytest.raises(ValueError, match=rf"^\[{code}\]"):
        ExtractOptions(**options)  # type: ignore[arg-type]


@pytest.mark.parametrize("where", [dict(workers=2), dict(dask="local:1")])
def test_an_extractor_never_starts_processes_of_its_own(where: dict[str, object]) -> None:
    with pytest.raises(ValueError, match=r"^\[E510\].*sitrep\.run\.Runner"):
        Extractor(ExtractOptions(**where))  # type: ignore[arg-type]


def test_an_extractor_given_to_a_dask_runner_is_refused() -> None:
    with pytest.raises(ValueError, match=r"^\[E502\]"):
        Runner(ExtractOptions(dask="local:1"), extractor=Extractor())


def test_ingest_work_and_records_agree_in_this_process_and_in_workers() -> None:
    arts = _articles()
    with Runner() as here:
        records = list(here.extract(arts))
        extracted = [r for batch in here.extracted([arts[:2], [], arts[2:]]) for r in batch]
    assert [r["id"] for r in records] == ["r0", "r1", "r2"]
    # The rows, not the records: the ingesting process needs only those.
    rows = [prepare(r, a.text, a.id) for r, a in zip(records, arts, strict=True)]
    assert [(record, prepared) for record, _sig, prepared in extracted] == [
        (None, r) for r in rows]
    assert extract_batch(arts)[0][1] == extracted[0][1]  # the same MinHash signature
    assert [r for r, _sig, _rows in extract_batch(arts, records=True)] == records
    with Runner(ExtractOptions(workers=2)) as workers:
        assert workers.slots == 2
        got = list(workers.extracted([arts[:1], [], arts[1:]]))
        again = list(workers.extracted([arts], records=True))
    assert [len(batch) for batch in got] == [1, 0, 2]
    assert [prepared for batch in got for _r, _sig, prepared in batch] == rows
    assert [record for record, _sig, _rows in again[0]] == records


@pytest.mark.skipif(not (SHARED / "data" / "polnear_attribution_dev.jsonl").is_file(),
                    reason="../shared/data absent")
def test_eval_in_worker_processes_gives_the_same_figures() -> None:
    from sitrep.evaluate import run_all

    one, _ = run_all(SHARED, limit=6, annotations=Path("annotations/news"))
    two, _ = run_all(SHARED, limit=6, annotations=Path("annotations/news"), workers=2)
    assert one == two
    assert "polnear.f1" in one
