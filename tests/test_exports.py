"""The event exports keep each shape's own conventions: UCDP's low/best/high is sitrep's
literal interval, ACLED's fatalities follow ACLED's conservative rule for vague tolls."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from conftest import fill_serve_db
from sitrep.export.files import export
from sitrep.model import Article
from sitrep.store import Store

STORIES = {
    "fasher": ("Dozens of civilians were killed in an air strike on a crowded market in El "
               "Fasher on Sunday, local activists said.", "24", "12"),
    "kherson": ("Russian shelling killed seven people in Kherson on Tuesday, the regional "
                "governor said.", "7", "7"),
}


@pytest.mark.parametrize("story", sorted(STORIES))
def test_ucdp_keeps_the_interval_and_acled_its_conservative_count(
        story: str, tmp_path: Path, serve_extractor: Any) -> None:
    text, ucdp_best, acled_fatalities = STORIES[story]
    url = f"sqlite:///{tmp_path / 'e.db'}"
    fill_serve_db(url, [Article(id=story, text=text, published=date(2024, 6, 2),
                                outlet="Example Wire")], serve_extractor)
    with Store.open(url) as store:
        export(store, "ucdp", tmp_path / "ucdp.csv")
        export(store, "acled", tmp_path / "acled.csv")
    with (tmp_path / "ucdp.csv").open(encoding="utf-8") as fh:
        [ucdp] = list(csv.DictReader(fh))
    with (tmp_path / "acled.csv").open(encoding="utf-8") as fh:
        [acled] = list(csv.DictReader(fh))
    assert ucdp["best"] == ucdp_best
    assert int(ucdp["low"]) <= int(ucdp["best"]) <= int(ucdp["high"])
    assert acled["fatalities"] == acled_fatalities
