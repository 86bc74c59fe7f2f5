"""Listings show a syndicated copy's claims and events once: the copy group's first article
carries them (their ``sources`` count the groups), and ``copies`` asks for every copy. A look-up
of one article's rows shows them, copy or not."""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from sitrep.cli import app

ROOT = Path(__file__).resolve().parents[1]
WIRE = ROOT / "examples" / "wire"  # an AP story and its syndicated copy


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = str(tmp_path_factory.mktemp("copies") / "s.db")
    result = CliRunner().invoke(app, ["ingest", str(WIRE / "pokrovsk-ap.txt"),
                                      str(WIRE / "pokrovsk-ap-copy.txt"), "--db", db])
    assert result.exit_code == 0 and "copies 1" in result.output, result.output
    return db


@pytest.fixture(scope="module")
def client(store: str) -> Iterator[Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    from sitrep.serve import create_app

    with TestClient(create_app(f"sqlite:///{store}")) as c:
        yield c


def _cli(store: str, *args: str) -> list[dict[str, Any]]:
    result = CliRunner().invoke(app, [*args, "--db", store, "--format", "json"])
    assert result.exit_code == 0, result.output
    rows: list[dict[str, Any]] = json.loads(result.stdout)
    return rows


def test_the_cli_lists_a_copy_groups_claims_once(store: str) -> None:
    first = _cli(store, "claims")
    every = _cli(store, "claims", "--copies")
    assert len(every) == 2 * len(first) > 0
    assert len({r["article_id"] for r in first}) == 1
    assert {r["quantity"] for r in first} == {r["quantity"] for r in every}
    assert all(r["sources"] == 1 for r in every)  # one story, however many copies


def test_the_cli_lists_a_copy_groups_events_once(store: str) -> None:
    assert 0 < len(_cli(store, "events")) < len(_cli(store, "events", "--copies"))


def test_the_api_hides_copies_unless_asked_and_an_article_shows_its_own(client: Any) -> None:
    first = client.get("/api/claims").json()["items"]
    every = client.get("/api/claims", params={"copies": "true"}).json()["items"]
    assert len(every) == 2 * len(first) > 0
    copy_id = next(r["article_id"] for r in every if r["article_id"] != first[0]["article_id"])
    own = client.get("/api/claims", params={"article_id": copy_id}).json()["items"]
    assert len(own) == len(first) and {r["article_id"] for r in own} == {copy_id}
    assert client.get("/api/claims", params={"copies": "maybe"}).status_code == 422


def test_the_claims_page_offers_the_copies_choice(client: Any) -> None:
    page = client.get("/claims").text
    assert '<option value="">first of each group</option>' in page
    assert '<option value="true"' in page and "every copy" in page
