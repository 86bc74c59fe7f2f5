"""The table catalog (``sitrep.store.catalog``): every filter it declares is taken alike by the
store, the API and the CLI (whose options equal the catalog's), and a filter declared only
there works end to end."""

from __future__ import annotations

import json
import warnings
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import typer
from fastapi import Depends, FastAPI
from typer.testing import CliRunner

from sitrep.cli import app as cli_app
from sitrep.serve.api import listing
from sitrep.serve.data import Backend
from sitrep.serve.params import catalog_filters
from sitrep.store import Store, catalog
from sitrep.store.catalog import CATALOG, CLAIMS, Filter
from sitrep.store.filters import check_country, check_day, check_kind, check_scope, check_text
from sitrep.store.schema import claims
from test_store import corpus

with warnings.catch_warnings():  # starlette: "install httpx2 instead"; httpx works
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

SAMPLES: dict[Any, str] = {
    check_kind: "killed",
    check_scope: "incident",
    check_country: "ua",
    check_text: "Kharkiv",
    check_day: "2024-06-01",
}


def _sample(f: Filter) -> Any:
    if f.choices:
        return f.choices[0]
    if f.type is bool:
        return True
    if f.type is int:
        return 1
    return SAMPLES[f.check]


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'sitrep.db'}"
    with Store.open(url, create=True) as store:
        corpus(store)
    return url


@pytest.mark.parametrize("table", list(CATALOG))
def test_every_catalog_filter_is_taken_by_the_store_the_api_and_the_cli(
    db: str, table: str
) -> None:
    from sitrep.serve import create_app

    listing = CATALOG[table]
    client = TestClient(create_app(db.removeprefix("sqlite:///")))
    runner = CliRunner()
    with Store.open(db) as store:
        assert store.count(table) > 0
        for f in listing.filters:
            value = _sample(f)
            checked = listing.check({f.name: value})
            rows = getattr(store, table)(limit=None, **checked)
            assert store.count(table, **checked) == len(rows), f.name
            if f.api:
                answer = client.get(f"/api/{table}", params={f.api_name: value})
                assert answer.status_code == 200, (f.name, answer.text)
                assert answer.json()["total"] == len(rows), f.name
            if f.cli:
                option = "--" + f.name.replace("_", "-")
                given = [option] if f.type is bool else [option, str(value)]
                ran = runner.invoke(cli_app, [table, "--db", db, "--format", "json", *given])
                assert ran.exit_code == 0, (f.name, ran.output)
                assert len(json.loads(ran.output)) == len(rows), f.name


@pytest.mark.parametrize("table", list(CATALOG))
def test_the_cli_options_are_the_catalogs(table: str) -> None:
    command = typer.main.get_command(cli_app).commands[table]  # type: ignore[attr-defined]
    options = [
        (p.opts[0], p.help) for p in command.params
        if p.name not in {"db", "fmt", "limit", "help"}
    ]
    assert options == [
        ("--" + f.name.replace("_", "-"), f.cli_help) for f in CATALOG[table].filters if f.cli
    ]


def test_a_filter_declared_only_in_the_catalog_works_end_to_end(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    cid = Filter("cid", "in", (claims.c.cid,), multi=True, check=check_text,
                 help="The claim's id in its record; repeat for several.")
    extended = replace(CLAIMS, filters=(*CLAIMS.filters, cid))
    monkeypatch.setattr(catalog, "CLAIMS", extended)  # what the store's queries read
    with Store.open(db) as store:
        backend = Backend(store)
        api = FastAPI()
        # As the API's routes take it; not in the annotation, which names a local.
        from_catalog = Depends(catalog_filters(extended))

        @api.get("/claims")
        def claims_route(filters: dict[str, Any] = from_catalog) -> dict[str, Any]:
            items, total, _ = listing(backend, "claims", filters, limit=100, offset=0,
                                      sort=None, default_sort="id")
            return {"total": total, "cids": sorted({c["cid"] for c in items})}

        client = TestClient(api)
        every = store.claims(limit=None)
        wanted = [c for c in every if c["cid"] in {"c1", "c2"}]
        assert 0 < len(wanted) < len(every)
        answer = client.get("/claims", params={"cid": ["c1", "c2"], "kind": "killed"})
        assert answer.status_code == 200, answer.text
        killed = [c for c in wanted if c["kind"] == "killed"]
        assert answer.json() == {"total": len(killed), "cids": sorted({c["cid"] for c in killed})}
        bad = client.get("/claims", params={"cid": "a\x01b"})
        assert bad.status_code == 422
        assert bad.json()["detail"][0]["loc"] == ["query", "cid", 0]
        assert "[E352]" in bad.json()["detail"][0]["msg"]
        assert extended.check({"cid": ["c1"]}) == {"cid": ["c1"]}
    monkeypatch.undo()
    with Store.open(db) as store, pytest.raises(TypeError, match="E334"):
        store.claims(cid="c1")  # the real catalog has no such filter


@pytest.mark.parametrize("table", list(CATALOG))
def test_the_dashboard_form_is_the_catalogs_and_fills_in_again(db: str, table: str) -> None:
    # The page's filter form is drawn from the catalog: every field of Listing.form is there
    # by its API name, and a submitted value is shown again.
    from sitrep.serve import create_app

    listing = CATALOG[table]
    assert listing.form, table
    client = TestClient(create_app(db.removeprefix("sqlite:///")))
    first = listing.filter(listing.form[0])
    value = str(_sample(first)).lower()
    page = client.get(f"/{table}", params={first.api_name: value})
    assert page.status_code == 200
    form = page.text.split('<form class="filters"', 1)[1].split("</form>", 1)[0]
    for field in listing.form_fields():
        assert f'name="{field["name"]}"' in form, field
        assert field["label"] in form
    assert f'value="{value}"' in form
