"""The main job end to end: ingest into SQLite and PostgreSQL, idempotence, crash safety,
copy groups, and exports read back."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq
import pytest

from newscorpus import make_article, syndicated_copy, write_corpus
from sitrep.export.files import export
from sitrep.ingest import IngestOptions, ingest
from sitrep.store import Store

ROOT = Path(__file__).resolve().parents[1]


def snapshot(url: str) -> dict[str, Any]:
    """What a run leaves in a store, independent of row ids and run numbers."""
    with Store.open(url) as store:
        arts = store.articles(limit=None)
        key_of = {a["id"]: a["key"] for a in arts}
        claims = sorted(
            (key_of[c["article_id"]], c["cid"], c["kind"], c["low"], c["high"], c["speaker_text"])
            for c in store.claims(limit=None, with_record=False)
        )
        groups: dict[Any, set[str]] = {}
        for a in arts:
            groups.setdefault(a["copy_group"], set()).add(a["key"])
        return {
            "articles": sorted(key_of.values()),
            "claims": claims,
            "groups": sorted(sorted(g) for g in groups.values()),
            "ungrouped": [a["key"] for a in arts if a["copy_group"] is None],
        }


def test_ingest_is_idempotent_and_groups_copies(db_url: str, tmp_path: Path) -> None:
    corpus = tmp_path / "feed.jsonl"
    rows = write_corpus(corpus, 12, copy_every=5)
    first = ingest([str(corpus)], IngestOptions(db=db_url))
    assert first.read == len(rows) == 15
    assert first.stored == 15 and first.copies == 3 and first.rejected == 0
    again = ingest([str(corpus)], IngestOptions(db=db_url))
    assert again.stored == 0 and again.known == 15
    with Store.open(db_url) as store:
        assert store.count("articles") == 15
        sizes = sorted(g["size"] for g in store.copy_groups(limit=None))
        assert sizes == [1] * 9 + [2] * 3
        runs = store.runs()
        assert {r["stored"] for r in runs} == {15, 0}


def test_reprocess_re_extracts_as_a_new_run(db_url: str, tmp_path: Path) -> None:
    corpus = tmp_path / "feed.jsonl"
    write_corpus(corpus, 3, copy_every=0)
    ingest([str(corpus)], IngestOptions(db=db_url))
    before = snapshot(db_url)
    summary = ingest([str(corpus)], IngestOptions(db=db_url, reprocess=True))
    assert summary.reprocessed == 3 and summary.stored == 0
    assert snapshot(db_url) == before


def test_bad_inputs_are_rejected_and_good_ones_stored(db_url: str, tmp_path: Path) -> None:
    from badcorpus import make_bad_corpus

    expected = make_bad_corpus(tmp_path / "corpus")
    summary = ingest([str(tmp_path / "corpus")], IngestOptions(db=db_url))
    with Store.open(db_url) as store:
        stored = store.articles(limit=None)
        rejects = store.rejects(limit=None)
    assert summary.stored == len(stored) == len(expected["articles"])
    assert {a["title"] for a in stored} == expected["titles"]
    reasons = {r["location"]: r["reason"] for r in rejects}
    assert len(reasons) == len(expected["rejects"]) == summary.rejected
    for where, why in expected["rejects"]:
        assert why.lower() in reasons[where].lower(), (where, why, reasons.get(where))


def test_killed_ingest_reruns_to_the_same_database(db_url: str, tmp_path: Path) -> None:
    corpus = tmp_path / "feed.jsonl"
    write_corpus(corpus, 90, copy_every=6)
    reference = f"sqlite:///{tmp_path / 'reference.db'}"
    ingest([str(corpus)], IngestOptions(db=reference, batch_size=4))

    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"),
                                                        os.environ.get("PYTHONPATH", "")])}
    cmd = [sys.executable, "-m", "sitrep.cli", "ingest", str(corpus), "--db", db_url, "--quiet"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    stored = 0
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.2)
        try:
            with Store.open(db_url) as store:
                stored = store.count("articles")
        except Exception:  # the database may not be migrated yet
            continue
        if stored >= 15:
            break
    assert proc.poll() is None, "ingest finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial = snapshot(db_url)
    assert 15 <= len(partial["articles"]) < len(snapshot(reference)["articles"])

    rerun = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert snapshot(db_url) == snapshot(reference)


def test_exports_read_back_with_values(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    article = {
        "id": "kharkiv-1", "published": "2024-05-23", "outlet": "Example Wire",
        "title": "Strike on Kharkiv kills seven",
        "text": "A Russian missile strike on a printing house in Kharkiv killed seven people "
                "and wounded at least 21 on Thursday, regional governor Oleh Syniehubov said.",
    }
    feed = tmp_path / "in.jsonl"
    copy = syndicated_copy({**article, "text": "Kharkiv\n\n" + article["text"]}, "Other Daily")
    feed.write_text(json.dumps(article) + "\n" + json.dumps(copy) + "\n")
    summary = ingest([str(feed)], IngestOptions(db=url))
    assert summary.copies == 1
    with Store.open(url) as store:
        export(store, "csv", tmp_path / "claims.csv")
        export(store, "parquet", tmp_path / "claims.parquet")
        export(store, "jsonl", tmp_path / "claims.jsonl")
        export(store, "ucdp", tmp_path / "ucdp.csv")
        export(store, "acled", tmp_path / "acled.csv")
        export(store, "claimreview", tmp_path / "claims.jsonld")

    csv_rows = pd.read_csv(tmp_path / "claims.csv")
    killed = csv_rows[csv_rows["kind"] == "killed"]
    assert list(killed["best"]) == [7, 7]
    assert set(killed["sources"]) == {1}  # two copies of one story are one source
    assert set(killed["speaker"]) == {"regional governor Oleh Syniehubov"}
    parquet = pq.read_table(tmp_path / "claims.parquet").to_pandas()
    assert sorted(parquet["kind"]) == ["killed", "killed", "wounded", "wounded"]
    assert parquet[parquet["kind"] == "wounded"]["low"].tolist() == [21, 21]
    lines = [json.loads(x) for x in (tmp_path / "claims.jsonl").read_text().splitlines()]
    assert {x["admin1"] for x in lines} == {"Kharkiv Oblast"}

    ucdp = pd.read_csv(tmp_path / "ucdp.csv")
    assert len(ucdp) == 2
    assert ucdp["best"].tolist() == [7, 7]
    assert set(ucdp["country"]) == {"Ukraine"} and set(ucdp["adm_1"]) == {"Kharkiv Oblast"}
    assert set(ucdp["date_start"]) == {"2024-05-23"} and set(ucdp["date_prec"]) == {1}
    assert set(ucdp["source_original"]) == {"regional governor Oleh Syniehubov"}
    acled = pd.read_csv(tmp_path / "acled.csv")
    assert acled["fatalities"].tolist() == [7, 7]
    assert set(acled["event_type"]) == {"Explosions/Remote violence"}

    docs = json.loads((tmp_path / "claims.jsonld").read_text())
    killed_doc = next(d for d in docs if d["about"]["name"] == "killed")
    assert killed_doc["@type"] == "Claim"
    assert killed_doc["author"]["name"] == "Oleh Syniehubov"
    assert len(killed_doc["appearance"]) == 2
    assert killed_doc["firstAppearance"]["headline"] == article["title"]


def test_cli_ingest_prints_the_summary(tmp_path: Path) -> None:
    feed = tmp_path / "in.jsonl"
    import random

    feed.write_text(json.dumps(make_article(1, random.Random(3))) + "\n{broken\n")
    proc = subprocess.run(
        [sys.executable, "-m", "sitrep.cli", "ingest", str(feed), "--db",
         str(tmp_path / "s.db"), "--quiet"],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    assert "read 1, stored 1, already known 0, copies 0, rejected 1" in proc.stdout
    assert f"{feed}:2" in proc.stderr


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_cli_queries_filter_and_format(tmp_path: Path, fmt: str) -> None:
    db = tmp_path / "q.db"
    feed = tmp_path / "in.jsonl"
    feed.write_text(json.dumps({
        "id": "a", "published": "2024-02-01",
        "text": "Russia's defence ministry said its forces had captured 40 Ukrainian soldiers "
                "near Avdiivka. Ukraine's army said five civilians were killed in Kharkiv.",
    }) + "\n")
    ingest([str(feed)], IngestOptions(db=str(db)))
    proc = subprocess.run(
        [sys.executable, "-m", "sitrep.cli", "claims", "--db", str(db), "--kind", "captured",
         "--format", fmt],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    if fmt == "json":
        rows = json.loads(proc.stdout)
        assert [r["kind"] for r in rows] == ["captured"]
        assert rows[0]["best"] == 40
    else:
        assert proc.stdout.splitlines()[0].startswith("id,")
        assert len(proc.stdout.splitlines()) == 2
