"""A speaker given by a pronoun is shown as the entity it stands for, with the pronoun kept
as the evidence: in the terminal table, the CSV export and the dashboard's claims page."""

from __future__ import annotations

import csv
import io
import warnings
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitrep.cli import app

STORY = (
    "Shelling hit a market in Kupiansk on Tuesday, regional officials said.\n\n"
    "Russia's defence ministry did not comment on the shelling. It said its air defences "
    "had shot down 14 Ukrainian drones over the Bryansk region overnight.\n"
)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("speaker")
    story = folder / "kupiansk.txt"
    story.write_text(STORY, encoding="utf-8")
    db = str(folder / "s.db")
    result = CliRunner().invoke(app, ["ingest", str(story), "--db", db])
    assert result.exit_code == 0, result.output
    return db


def _drones(rows: list[dict[str, str]]) -> dict[str, str]:
    found = [r for r in rows if r.get("quantity") == "14"]
    assert len(found) == 1, rows
    return found[0]


def test_the_terminal_table_names_the_entity_not_the_pronoun(store: str) -> None:
    result = CliRunner().invoke(app, ["claims", "--db", store], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    line = next(x for x in result.stdout.splitlines() if " 14 " in x)
    assert "Russia's defence ministry" in line and " It " not in line


def test_the_extract_table_names_the_entity(tmp_path: Path) -> None:
    story = tmp_path / "kupiansk.txt"
    story.write_text(STORY, encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(story), "--format", "table"],
                                env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    line = next(x for x in result.stdout.splitlines() if " 14 " in x)
    assert "Russia's defence ministry" in line and " It " not in line


def test_the_csv_export_gives_the_entity_and_keeps_the_mention(store: str) -> None:
    result = CliRunner().invoke(app, ["export", "--db", store, "--format", "csv"])
    assert result.exit_code == 0, result.output
    row = _drones(list(csv.DictReader(io.StringIO(result.stdout))))
    assert (row["speaker"], row["speaker_mention"]) == ("Russia's defence ministry", "It")


def test_the_claims_page_shows_the_entity_with_its_mention(store: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    from sitrep.serve import create_app

    with TestClient(create_app(f"sqlite:///{Path(store)}")) as client:
        page = client.get("/claims").text
    assert "Russia&#39;s defence ministry" in page
    assert "“It”" in page
