"""The main job end to end: ingest into SQLite and PostgreSQL, idempotence, crash safety,
copy groups, and exports read back."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq
import pytest

from newscorpus import make_article, syndicated_copy, write_corpus
from sitrep.export.files import export
from sitrep.ingest import IngestOptions, ingest, ingest_articles
from sitrep.model import Article
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
    assert "in.jsonl:2" in proc.stderr and str(tmp_path) not in proc.stderr


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


# ----------------------------------------------------------------------------- concurrent runs


class RecordOnlyExtractor:
    """A cheap stand-in for the spaCy extractor: a record without claims per article.

    Copy grouping needs only the text (its MinHash), so this keeps the concurrency tests
    fast. With a ``barrier``, every run waits for the others before each batch: the runs go
    batch by batch in lockstep, so their saves interleave.
    """

    def __init__(self, barrier: threading.Barrier | None = None) -> None:
        self.barrier = barrier

    def extract(self, articles: Iterable[Article], chunk: int = 64) -> Iterator[dict[str, Any]]:
        arts = list(articles)
        if self.barrier is not None:
            self.barrier.wait()
        return iter([{"schema": 1, "id": a.id, "claims": []} for a in arts])


def as_article(row: dict[str, str]) -> Article:
    from datetime import date

    return Article(id=row["id"], text=row["text"], title=row["title"], outlet=row["outlet"],
                   published=date.fromisoformat(row["published"]))


def lightly_edited(row: dict[str, str], outlet: str) -> dict[str, str]:
    """Another outlet's copy with a new headline and a few words changed by its desk."""
    copy = syndicated_copy(row, outlet)
    text = copy["text"].replace(" said", " reported", 1).replace(" on ", " late on ", 1)
    return {**copy, "id": row["id"] + "-edit-" + outlet.split()[0].lower(), "text": text}


def split_wire_corpus() -> tuple[list[Article], list[Article], list[set[str]]]:
    """Two interleaved halves of a corpus whose copies of a story sit in different halves.

    Twelve stories have one copy (a syndicated or a lightly edited one), one story has four
    versions, eight stories have none. Item i of one half and item i of the other are
    copies of each other where possible, so lockstep runs store them at the same moment.
    Returns the halves and the expected groups (article ids).
    """
    rng = random.Random(11)
    first: list[Article] = []
    second: list[Article] = []
    groups: list[set[str]] = []
    for i in range(12):
        story = make_article(i, rng)
        copy = (syndicated_copy(story, f"Herald {i}") if i % 2 else
                lightly_edited(story, f"Courier {i}"))
        a, b = (story, copy) if i % 2 == 0 else (copy, story)
        first.append(as_article(a))
        second.append(as_article(b))
        groups.append({story["id"], copy["id"]})
    big = make_article(12, rng)
    versions = [big] + [syndicated_copy(big, f"Outlet {k}") for k in ("North", "South", "East")]
    first += [as_article(versions[0]), as_article(versions[3])]
    second += [as_article(versions[1]), as_article(versions[2])]
    groups.append({v["id"] for v in versions})
    for i in range(13, 21):
        single = make_article(i, rng)
        (first if i % 2 else second).append(as_article(single))
        groups.append({single["id"]})
    return first, second, groups


def partition(url: str) -> list[list[str]]:
    """The copy groups of a store as sorted lists of article ids (ext_id), sorted."""
    with Store.open(url) as store:
        groups: dict[Any, list[str]] = {}
        for a in store.articles(limit=None):
            groups.setdefault(a["copy_group"], []).append(a["ext_id"])
        assert None not in groups, "articles left without a copy group"
        sizes = sorted(g["size"] for g in store.copy_groups(limit=None))
        assert sizes == sorted(len(g) for g in groups.values()), "group sizes are off"
    return sorted(sorted(g) for g in groups.values())


def test_two_concurrent_ingests_group_copies_as_one_run_does(
    db_url: str, tmp_path: Path
) -> None:
    first, second, expected = split_wire_corpus()
    assert len(first) == len(second)
    reference = f"sqlite:///{tmp_path / 'sequential.db'}"
    with Store.open(reference) as store:
        alone = ingest_articles(first + second, store, IngestOptions(batch_size=2),
                                extractor=RecordOnlyExtractor())
    assert partition(reference) == sorted(sorted(g) for g in expected)

    barrier = threading.Barrier(2, timeout=60)
    summaries: dict[int, Any] = {}
    errors: list[BaseException] = []

    def run(index: int, half: list[Article]) -> None:
        try:
            with Store.open(db_url) as store:
                summaries[index] = ingest_articles(
                    half, store, IngestOptions(batch_size=2, command=f"half {index}"),
                    extractor=RecordOnlyExtractor(barrier))
        except BaseException as exc:  # reported below, in the test's thread
            barrier.abort()
            errors.append(exc)

    Store.open(db_url).close()  # migrate once, before the runs race
    threads = [threading.Thread(target=run, args=(i, half))
               for i, half in enumerate((first, second))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert partition(db_url) == partition(reference)
    assert sum(s.stored for s in summaries.values()) == alone.stored == 36
    assert sum(s.copies for s in summaries.values()) == alone.copies == 36 - len(expected)


SLOW_INGEST = """
import random, sys, time
from newscorpus import make_article
from sitrep.ingest import IngestOptions, ingest_articles
from sitrep.model import Article
from sitrep.store import Store

class SlowRecords:  # an extractor taking its time, so the run can be caught mid-way
    def extract(self, articles, chunk=64):
        time.sleep(0.25)
        return iter([{"schema": 1, "id": a.id, "claims": []} for a in articles])

rng = random.Random(5)
arts = [Article(id=r["id"], text=r["text"]) for r in (make_article(i, rng) for i in range(400))]
with Store.open(sys.argv[1]) as store:
    ingest_articles(arts, store, IngestOptions(batch_size=2, command="slow ingest"),
                    extractor=SlowRecords())
"""


def test_killed_run_keeps_its_progress_and_is_shown_interrupted(db_url: str) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT / "src"), str(ROOT / "tests"), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.Popen([sys.executable, "-c", SLOW_INGEST, db_url], env=env,
                            stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        slow: dict[str, Any] | None = None
        while time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.2)
            try:
                with Store.open(db_url, migrate=False) as store:
                    slow = next((r for r in store.runs() if r["command"] == "slow ingest"), None)
            except Exception:  # not migrated yet
                continue
            if slow is not None and slow["stored"] >= 6:
                break
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        assert slow is not None and slow["status"] == "running" and slow["read"] >= 6

        # Another ingest while the slow one runs: the slow run is alive and stays running.
        rng = random.Random(9)
        with Store.open(db_url) as store:
            ingest_articles([as_article(make_article(1000, rng))], store,
                            IngestOptions(command="quick ingest"),
                            extractor=RecordOnlyExtractor())
            assert store.run(slow["id"])["status"] == "running"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()

    with Store.open(db_url) as store:
        killed = store.run(slow["id"])
        assert killed is not None and killed["finished"] is None
        stored = len(store.articles(limit=None)) - 1  # less the quick ingest's article
        # Its last progress: the batches it saved (the one being saved may be one more).
        assert 6 <= killed["stored"] <= stored <= killed["stored"] + 2
        assert killed["read"] >= killed["stored"]
        ingest_articles([as_article(make_article(1001, rng))], store,
                        IngestOptions(command="next ingest"), extractor=RecordOnlyExtractor())
        shown = {r["command"]: r for r in store.runs()}
    assert shown["slow ingest"]["status"] == "interrupted"
    assert shown["slow ingest"]["interrupted"] is not None
    assert shown["slow ingest"]["stored"] == killed["stored"]
    assert shown["quick ingest"]["status"] == shown["next ingest"]["status"] == "finished"
