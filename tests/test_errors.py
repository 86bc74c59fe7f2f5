"""Errors carry stable codes (sitrep.errors): a user can search for the code whatever the
wording, and the modules that report to users take every message from one table."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sitrep.analyse.tabular import read_table
from sitrep.errors import Errors
from sitrep.extract.pipeline import ExtractOptions
from sitrep.sources.encoding import decode_bytes

SRC = Path(__file__).resolve().parents[1] / "src" / "sitrep"
CODED = [
    "sources/base.py", "sources/encoding.py", "sources/feeds.py", "sources/htmlpage.py",
    "sources/jsonl.py", "sources/text.py", "analyse/tabular/load.py", "analyse/tabular/rows.py",
    "run/cluster.py", "run/runner.py", "ingest.py",
    "bench.py", "export/files.py", "extract/pipeline.py", "extract/encoder.py",
    "extract/components.py", "extract/tag_attributes.py", "serve/api.py", "store/db.py",
    "store/filters.py", "analyse/track/series.py", "analyse/track/keys.py",
    "analyse/track/points.py", "store/base.py", "store/conditions.py",
    "store/engine.py", "store/groups.py", "store/inserts.py", "store/queries.py", "store/rows.py",
    "store/runs.py", "store/saving.py", "store/batch.py", "store/catalog.py",
]


def test_every_message_starts_with_its_own_code() -> None:
    codes = [name for name in vars(Errors) if re.fullmatch(r"E\d{3}", name)]
    assert len(codes) >= 40
    for code in codes:
        assert getattr(Errors, code).startswith(f"[{code}] ")


@pytest.mark.parametrize("module", CODED)
def test_a_module_that_reports_to_users_takes_its_messages_from_the_table(module: str) -> None:
    source = (SRC / module).read_text(encoding="utf-8")
    free_text = re.findall(r"raise \w+\(\s*f?[\"']", source)
    assert free_text == [], f"{module}: a raise with its own text instead of an Errors code"


def test_bad_settings_and_inputs_name_their_code() -> None:
    with pytest.raises(ValueError, match=r"^\[E001\] unknown focus 'numbers'"):
        ExtractOptions(focus="numbers")
    mixed = "Shelling hit Kharkiv \u2014 two people died.".encode() + b" Caf\xe9 closed."
    with pytest.raises(ValueError, match=r"^\[E110\] mixed encodings"):
        decode_bytes(mixed * 3, None)


def test_a_bad_table_row_is_rejected_with_its_code(tmp_path: Path) -> None:
    table = tmp_path / "estimates.jsonl"
    table.write_text(
        '{"date": "2024-02-01", "claimant": "UK Ministry of Defence", "losses_of": "russia", '
        '"type": "casualties", "estimate_low": 350000, "estimate_high": 300000}\n',
        encoding="utf-8",
    )
    _fmt, rows = read_table(table)
    assert [r.reason for r in rows] == ["[E208] estimate_low 350000 is above estimate_high 300000"]
