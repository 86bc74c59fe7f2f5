"""Tables for people at a terminal: they fit its width, never break a word or a number, and
show a claim's figure as one honest cell."""

from __future__ import annotations

import io
from typing import Any

import pytest
from rich.console import Console

from sitrep import console as tty

CLAIMS = [
    {"id": 1, "kind": "killed", "quantity": "eight", "low": 8, "best": 8, "high": 8,
     "speaker_text": "Ukraine's Deputy Prime Minister Oleksiy Kuleba",
     "subject_country": None, "place_name": "Odesa", "said_on": "2024-10-10", "sources": 1},
    {"id": 2, "kind": "casualties", "quantity": "about 10,000,000", "low": 10_000_000,
     "best": 10_000_000, "high": 10_000_000, "speaker_text": "the United Nations refugee agency",
     "subject_country": "UA", "place_name": "Dnipropetrovsk Oblast", "said_on": "2024-06-06",
     "sources": 3},
    {"id": 31, "kind": "killed", "quantity": "between 876 and 1,184", "low": 876, "best": 1030,
     "high": 1184, "speaker_text": "a senior official of the Ukrainian military intelligence",
     "speaker_anonymous": True, "subject_country": "RU", "place_name": "Bakhmut",
     "said_on": "2023-02-08", "sources": 2},
]


@pytest.mark.parametrize(
    ("claim", "shown"),
    [
        ({"low": 7, "best": 7, "high": 7}, "7"),
        ({"low": 104, "best": 104, "high": None}, "104+"),
        ({"low": 24, "best": 30, "high": 99}, "30 (24–99)"),
        ({"low": 2000, "best": 2000, "high": 9999}, "2,000 (2,000–9,999)"),
        ({"low": None, "best": 300, "high": 300}, "up to 300"),
        ({"low": 876, "best": 1030.0, "high": 1184}, "1,030 (876–1,184)"),
        ({"low": None, "best": None, "high": None}, ""),
    ],
)
def test_figure(claim: dict[str, Any], shown: str) -> None:
    assert tty.figure(claim) == shown


def _printed(monkeypatch: pytest.MonkeyPatch, width: int, rows: list[dict[str, Any]],
             columns: list[str], optional: tuple[str, ...] = ()) -> list[str]:
    buf = io.StringIO()
    monkeypatch.setattr("rich.console.Console", lambda **kw: Console(
        file=buf, **{**kw, "width": width}))
    tty.print_table(rows, columns, "claims", optional=optional)
    return buf.getvalue().splitlines()


@pytest.mark.parametrize("width", [80, 100, 160])
def test_a_claims_table_fits_and_keeps_figures_whole(monkeypatch: pytest.MonkeyPatch,
                                                     width: int) -> None:
    rows = [tty.claim_display(c) for c in CLAIMS]
    lines = _printed(monkeypatch, width, rows, tty.claim_columns(width))
    assert len(lines) == 2 + len(CLAIMS)  # title, header, one line per claim
    assert all(len(line) <= width for line in lines)
    text = "\n".join(lines)
    for figure in ("10,000,000", "1,030 (876–1,184)" if width < tty.WIDE else "1,030",
                   "2023-02-08", "casualties"):
        assert figure in text, (width, text)


def test_a_narrow_claims_table_drops_what_a_glance_can_do_without() -> None:
    assert "value" not in tty.claim_columns(80) and "figure" in tty.claim_columns(80)
    assert {"value", "best", "range", "src"} <= set(tty.claim_columns(150))


def test_optional_columns_go_only_when_the_table_does_not_fit(
        monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [{"kind": "killed", "series": "WzEsImtpbGxlZCIsbnVsbCwiVUEiLCJVQTpmb3Jl" * 2,
             "place": "Kharkiv Oblast", "latest": 425.0, "as_of": "2024-09-03"}]
    columns = ["kind", "place", "latest", "as_of", "series"]
    narrow = _printed(monkeypatch, 40, rows, columns, optional=("series",))
    assert "series" not in narrow[1] and "425" in narrow[2]
    wide = _printed(monkeypatch, 200, rows, columns, optional=("series",))
    assert "series" in wide[1]


def test_counts_stored_as_floats_print_as_counts() -> None:
    assert [tty.cell(v) for v in (8.0, 12500.0, 2.5)] == ["8", "12,500", "2.5"]


def test_extract_table_ids_are_short(tmp_path: Any) -> None:
    from typer.testing import CliRunner

    from sitrep.cli import app

    story = tmp_path / "deeply" / "nested" / "folder" / "kharkiv-strike-report.txt"
    story.parent.mkdir(parents=True)
    story.write_text("A Russian missile strike on a printing house in Kharkiv killed seven "
                     "people and wounded 21 on Thursday, regional governor Oleh Syniehubov "
                     "said.\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(story), "--format", "table",
                                      "--published", "2024-05-23"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    rows = [line.split()[0] for line in result.stdout.splitlines() if line[:1].isdigit()]
    assert rows == ["1.c1", "1.c2"]
    assert "articles: 1 = kharkiv-strike-report.txt" in result.stdout
    assert all(len(line) <= 80 for line in result.stdout.splitlines()[:-1])
