"""The store: schema by migrations, idempotent and atomic ingest, safe queries; on SQLite and
PostgreSQL alike (the ``db_url`` and ``store`` fixtures run each test on both)."""

from __future__ import annotations

import copy
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from sitrep.model import Article
from sitrep.store import (
    InvalidRecord,
    Store,
    create_store_engine,
    current_revision,
    downgrade,
    head_revision,
    metadata,
    resolve_url,
)
from sitrep.store import db as store_db
from sitrep.store import inserts as store_inserts

TABLES = {
    "articles",
    "claims",
    "copy_groups",
    "event_claims",
    "events",
    "evidence",
    "rejects",
    "runs",
    "statements",
}

KHARKIV = (
    "A Russian missile strike on a printing house in Kharkiv killed seven people and wounded "
    "at least 21 on Thursday, regional governor Oleh Syniehubov said.\n\n"
    "A senior U.S. military official, speaking on condition of anonymity, said several hundred "
    "North Korean troops had been killed or wounded in the Kursk region. "
    '"Several hundred casualties," the official said.\n\n'
    "Washington announced $5.6 billion in new aid for Ukraine."
)


def at(body: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """Offsets of the ``nth`` occurrence of ``needle`` in ``body``."""
    start = -1
    for _ in range(nth + 1):
        start = body.index(needle, start + 1)
    return start, start + len(needle)


def span(body: str, needle: str, nth: int = 0) -> dict[str, Any]:
    s, e = at(body, needle, nth)
    return {"text": needle, "start": s, "end": e}


def sentence(body: str, first_words: str, last_words: str) -> tuple[int, int]:
    s = body.index(first_words)
    return s, body.index(last_words, s) + len(last_words)


def kharkiv_record(body: str = KHARKIV, article_id: str = "k1") -> dict[str, Any]:
    """A contract record for ``KHARKIV``, written out by hand as ``sitrep extract`` gives it."""
    s1 = sentence(body, "A Russian missile", "Syniehubov said.")
    s2 = sentence(body, "A senior U.S.", "Kursk region.")
    s3 = sentence(body, '"Several hundred casualties', "the official said.")
    s4 = sentence(body, "Washington announced", "for Ukraine.")
    governor = {
        **span(body, "regional governor Oleh Syniehubov"),
        "name": "Oleh Syniehubov",
        "role": "governor",
        "anonymous": False,
        "country": "UA",
        "side": "UA",
        "antecedent": None,
    }
    official = {
        **span(body, "A senior U.S. military official"),
        "name": None,
        "role": "military official",
        "anonymous": True,
        "country": "US",
        "side": "third party",
        "antecedent": None,
    }
    kharkiv = {
        **span(body, "Kharkiv"),
        "name": "Kharkiv",
        "country": "UA",
        "admin1": "Kharkiv Oblast",
        "iso3166_2": "UA-63",
        "lat": 49.98081,
        "lon": 36.25272,
        "precision": "city",
    }
    kursk = {
        **span(body, "the Kursk region"),
        "name": "Kursk",
        "country": "RU",
        "admin1": "Kursk Oblast",
        "iso3166_2": "RU-KRS",
        "lat": 51.7373,
        "lon": 36.1874,
        "precision": "admin1",
    }
    thursday = {
        **span(body, "Thursday"),
        "date_start": "2024-05-23",
        "date_end": "2024-05-23",
        "precision": "day",
    }

    def quantity(
        needle: str,
        kind: str,
        low: Any,
        best: Any,
        high: Any,
        approx: str,
        rule: str,
        nth: int = 0,
        **more: Any,
    ) -> dict[str, Any]:
        return {
            **span(body, needle, nth),
            "kind": kind,
            "low": low,
            "high": high,
            "best": best,
            "approx": approx,
            "unit": more.get("unit"),
            "currency": more.get("currency"),
            "rule": rule,
            "kind_rule": f"kind.{kind}",
        }

    claims = [
        {
            "id": "c1",
            "start": s1[0],
            "end": s1[1],
            "quantity": quantity("seven", "killed", 7, 7, 7, "exact", "num.word"),
            "speaker": governor,
            "cue": span(body, "said"),
            "quote": "indirect",
            "hedges": [],
            "subject": None,
            "place": kharkiv,
            "time": thursday,
            "said_on": "2024-05-23",
            "evidence": [{"start": s1[0], "end": s1[1]}],
            "statement": "s1",
            "reasons": {"kind": "casualty word 'killed'", "speaker": "reporting verb 'said'"},
        },
        {
            "id": "c2",
            "start": s1[0],
            "end": s1[1],
            "quantity": quantity("at least 21", "wounded", 21, 21, None, "at_least", "num.min"),
            "speaker": governor,
            "cue": span(body, "said"),
            "quote": "indirect",
            "hedges": [],
            "subject": None,
            "place": kharkiv,
            "time": thursday,
            "said_on": "2024-05-23",
            "evidence": [{"start": s1[0], "end": s1[1]}],
            "statement": "s1",
            "reasons": {},
        },
        {
            "id": "c3",
            "start": s2[0],
            "end": s2[1],
            "quantity": quantity(
                "several hundred", "casualties", 200, 200, 999, "vague", "vague.several_hundred"
            ),
            "speaker": official,
            "cue": span(body, "said", 1),
            "quote": "indirect",
            "hedges": [],
            "subject": {
                **span(body, "North Korean troops"),
                "actor": "North Korea",
                "country": "KP",
            },
            "place": kursk,
            "time": None,
            "said_on": "2024-05-22",
            "evidence": [{"start": s2[0], "end": s2[1]}, {"start": s3[0], "end": s3[1]}],
            "statement": "s2",
            "reasons": {"kind": "'killed or wounded' reads as casualties"},
        },
        {
            "id": "c4",
            "start": s4[0],
            "end": s4[1],
            "quantity": quantity(
                "$5.6 billion",
                "money",
                5.6e9,
                5.6e9,
                5.6e9,
                "exact",
                "num.money",
                unit=None,
                currency="USD",
            ),
            "speaker": None,
            "cue": None,
            "quote": None,
            "hedges": [],
            "subject": {**span(body, "Washington"), "actor": "United States", "country": "US"},
            "place": None,
            "time": None,
            "said_on": "2024-05-23",
            "evidence": [{"start": s4[0], "end": s4[1]}],
            "statement": None,
            "reasons": {"speaker": "no reporting verb: the outlet's own narration"},
        },
    ]
    statements = [
        {
            "id": "s1",
            "speaker": governor,
            "cue": span(body, "said"),
            "quote": "indirect",
            "content": {"start": s1[0], "end": at(body, ", regional governor")[0]},
            "hedges": [],
            "rule": "attr.said_after",
            "reasons": {},
        },
        {
            "id": "s2",
            "speaker": official,
            "cue": span(body, "said", 1),
            "quote": "indirect",
            "content": {"start": at(body, "several hundred North")[0], "end": s2[1] - 1},
            "hedges": ["speaking on condition of anonymity"],
            "rule": "attr.said_before",
            "reasons": {},
        },
        {
            "id": "s3",
            "speaker": {
                **span(body, "the official"),
                "name": None,
                "role": "official",
                "anonymous": True,
                "country": "US",
                "side": "third party",
                "antecedent": span(body, "A senior U.S. military official"),
            },
            "cue": span(body, "said", 2),
            "quote": "direct",
            "content": {"start": s3[0], "end": at(body, ',"')[1]},
            "hedges": [],
            "rule": "attr.quote",
            "reasons": {"speaker": "coreference: 'the official'"},
        },
    ]
    events = [
        {
            "id": "e1",
            "type": "Explosions/Remote violence",
            "date_start": "2024-05-23",
            "date_end": "2024-05-23",
            "date_precision": "day",
            "country": "UA",
            "admin1": "Kharkiv Oblast",
            "iso3166_2": "UA-63",
            "location": "Kharkiv",
            "lat": 49.98081,
            "lon": 36.25272,
            "where_precision": "city",
            "side_a": "Russia",
            "side_b": "Civilians (Ukraine)",
            "killed": {"low": 7, "best": 7, "high": 7},
            "wounded": {"low": 21, "best": 21, "high": None},
            "captured": None,
            "missing": None,
            "claims": ["c1", "c2"],
        }
    ]
    return {
        "schema": 1,
        "id": article_id,
        "published": "2024-05-23",
        "statements": statements,
        "claims": claims,
        "events": events,
        "times": [thursday],
        "places": [kharkiv, kursk],
    }


def kharkiv_article(article_id: str = "k1", body: str = KHARKIV) -> Article:
    return Article(
        id=article_id,
        text=body,
        published=date(2024, 5, 23),
        title="Missile strike on Kharkiv printing house kills seven",
        url="https://example.org/kharkiv",
        outlet="Example Wire",
        wire="AFP",
    )


def simple(
    article_id: str,
    body: str,
    published: str,
    claims: list[dict[str, Any]],
    outlet: str = "Daily",
) -> tuple[Article, dict[str, Any]]:
    """A small article with claims given as {needle, kind, best, speaker..., place...}."""
    recs = []
    for i, c in enumerate(claims, 1):
        s, e = at(body, c["needle"])
        speaker = None
        if "speaker" in c:
            speaker = {
                **span(body, c["speaker"]),
                "name": c.get("name"),
                "role": None,
                "anonymous": c.get("anonymous", False),
                "country": c.get("speaker_country"),
                "side": None,
            }
        place = None
        if "place" in c:
            place = {
                **span(body, c["place"]),
                "name": c["place"],
                "country": c.get("country"),
                "admin1": c.get("admin1"),
                "iso3166_2": c.get("iso3166_2"),
                "lat": None,
                "lon": None,
                "precision": "city",
            }
        subject = None
        if "subject" in c:
            subject = {
                **span(body, c["subject"]),
                "actor": c["subject"],
                "country": c.get("subject_country"),
            }
        recs.append(
            {
                "id": f"c{i}",
                "start": 0,
                "end": len(body),
                "quantity": {
                    **span(body, c["needle"]),
                    "kind": c["kind"],
                    "low": c["best"],
                    "high": c["best"],
                    "best": c["best"],
                    "approx": "exact",
                    "unit": None,
                    "currency": None,
                    "rule": "num",
                },
                "speaker": speaker,
                "cue": None,
                "quote": "indirect" if speaker else None,
                "hedges": [],
                "subject": subject,
                "place": place,
                "time": None,
                "said_on": c.get("said_on", published),
                "evidence": [{"start": s, "end": e}],
                "statement": None,
                "reasons": {},
            }
        )
    article = Article(
        id=article_id, text=body, published=date.fromisoformat(published), outlet=outlet
    )
    return article, {
        "schema": 1,
        "id": article_id,
        "published": published,
        "statements": [],
        "claims": recs,
        "events": [],
        "times": [],
        "places": [],
    }


def corpus(store: Store) -> None:
    """Kharkiv plus three small articles for the filter tests."""
    assert store.save_article(kharkiv_article(), kharkiv_record())
    for article, record in (
        simple(
            "d1",
            "Shelling in Donetsk killed 3 soldiers, the army said.",
            "2024-06-01",
            [
                {
                    "needle": "3",
                    "kind": "killed",
                    "best": 3,
                    "speaker": "the army",
                    "speaker_country": "UA",
                    "place": "Donetsk",
                    "country": "UA",
                    "admin1": "Donetsk Oblast",
                    "iso3166_2": "UA-14",
                    "subject": "soldiers",
                    "subject_country": "UA",
                }
            ],
        ),
        simple(
            "b1",
            "Officials in Belgorod said 12 people were wounded by drones.",
            "2024-06-10",
            [
                {
                    "needle": "12",
                    "kind": "wounded",
                    "best": 12,
                    "speaker": "Officials",
                    "anonymous": True,
                    "speaker_country": "RU",
                    "place": "Belgorod",
                    "country": "RU",
                    "admin1": "Belgorod Oblast",
                    "iso3166_2": "RU-BEL",
                    "said_on": "2024-06-09",
                }
            ],
            outlet="TASS",
        ),
        simple(
            "g1",
            "Gaza health ministry: 40 killed, 100 wounded.",
            "2024-07-01",
            [
                {
                    "needle": "40",
                    "kind": "killed",
                    "best": 40,
                    "speaker": "Gaza health ministry",
                    "name": "Gaza health ministry",
                    "speaker_country": "PS",
                    "place": "Gaza",
                    "country": "PS",
                },
                {
                    "needle": "100",
                    "kind": "wounded",
                    "best": 100,
                    "speaker": "Gaza health ministry",
                    "speaker_country": "PS",
                },
            ],
        ),
    ):
        assert store.save_article(article, record)


def cids(rows: list[dict[str, Any]]) -> list[str]:
    return [f"{r['article_ext_id']}/{r['cid']}" for r in rows]


# ----------------------------------------------------------------------------- schema


def test_migrations_create_the_schema_and_reopen_is_a_no_op(db_url: str) -> None:
    engine = create_store_engine(db_url)
    try:
        assert current_revision(engine) is None
        with Store.open(db_url) as store:
            assert store.dialect in ("sqlite", "postgresql")
        assert current_revision(engine) == head_revision()
        assert TABLES | {"alembic_version"} == set(inspect(engine).get_table_names())
        with engine.connect() as conn:  # the migrated schema is exactly sitrep.store.schema
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, metadata) == []
        with Store.open(db_url) as store:  # an up-to-date database: nothing to do
            assert store.claims() == []
        downgrade(engine, "base")  # an "old" (here: empty) database is brought to head on open
        assert current_revision(engine) is None
        with Store.open(db_url):
            pass
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()


def test_sqlite_file_uses_wal_and_foreign_keys(tmp_path: Path) -> None:
    with Store.open(str(tmp_path / "sub" / "sitrep.db")) as store, store.engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert (tmp_path / "sub" / "sitrep.db").exists()


def test_resolve_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SITREP_DB", raising=False)
    assert resolve_url(None) == "sqlite:///sitrep.db"
    assert resolve_url("/data/news.db") == "sqlite:////data/news.db"
    assert resolve_url("postgresql://me@db:5432/sitrep") == "postgresql+psycopg://me@db:5432/sitrep"
    assert resolve_url("postgres://me@db/sitrep") == "postgresql+psycopg://me@db/sitrep"
    assert resolve_url("sqlite:///x.db") == "sqlite:///x.db"
    monkeypatch.setenv("SITREP_DB", "postgresql+psycopg://me@db/s")
    assert resolve_url(None) == "postgresql+psycopg://me@db/s"
    assert resolve_url("given.db") == "sqlite:///given.db"


# ----------------------------------------------------------------------------- ingest


def test_save_and_read_back(store: Store) -> None:
    run = store.start_run("sitrep ingest kharkiv.jsonl", "0.1.0")
    record = kharkiv_record()
    assert store.save_article(kharkiv_article(), record, run) is True

    [art] = store.articles()
    assert art["ext_id"] == "k1" and art["published"] == "2024-05-23"
    assert art["outlet"] == "Example Wire" and art["wire"] == "AFP"
    assert art["key"] == kharkiv_article().key and art["first_run"] == run
    assert art["n_claims"] == 4 and "text" not in art
    assert store.article(art["id"])["text"] == KHARKIV

    claims = {c["cid"]: c for c in store.claims()}
    assert list(claims) == ["c1", "c2", "c3", "c4"]
    c1, c2, c3, c4 = (claims[k] for k in ("c1", "c2", "c3", "c4"))
    assert (c1["kind"], c1["low"], c1["best"], c1["high"], c1["approx"]) == (
        "killed",
        7,
        7,
        7,
        "exact",
    )
    assert c1["quantity"] == "seven" and c1["sentence"].startswith("A Russian missile")
    assert c1["speaker_name"] == "Oleh Syniehubov" and c1["speaker_anonymous"] is False
    assert (c1["place_name"], c1["admin1"], c1["iso3166_2"], c1["place_country"]) == (
        "Kharkiv",
        "Kharkiv Oblast",
        "UA-63",
        "UA",
    )
    assert c1["lat"] == pytest.approx(49.98081)
    assert (c1["time_start"], c1["time_end"], c1["said_on"]) == (
        "2024-05-23",
        "2024-05-23",
        "2024-05-23",
    )
    assert c1["cue"] == "said" and c1["quote"] == "indirect"
    assert (c2["low"], c2["best"], c2["high"], c2["approx"]) == (21, 21, None, "at_least")
    assert c3["speaker_anonymous"] is True and c3["speaker_country"] == "US"
    assert (c3["subject_actor"], c3["subject_country"]) == ("North Korea", "KP")
    assert len(c3["evidence"]) == 2
    s2, s3 = record["claims"][2]["evidence"]
    assert c3["evidence"] == [s2, s3]
    assert KHARKIV[s3["start"] : s3["end"]].startswith('"Several hundred casualties')
    assert c4["currency"] == "USD" and c4["best"] == 5.6e9 and c4["speaker_text"] is None
    assert c4["statement_id"] is None and c4["outlet"] == "Example Wire"
    for c, original in zip((c1, c2, c3, c4), record["claims"], strict=True):
        assert c["record"] == original  # the whole claim, as given

    statements = {s["sid"]: s for s in store.statements()}
    assert list(statements) == ["s1", "s2", "s3"]
    assert c1["statement_id"] == statements["s1"]["id"] and c1["statement_sid"] == "s1"
    assert statements["s3"]["quote"] == "direct"
    assert statements["s3"]["speaker_antecedent"] == "A senior U.S. military official"
    assert statements["s1"]["content"].endswith("at least 21 on Thursday")

    [ev] = store.events()
    assert (ev["type"], ev["country"], ev["admin1"], ev["location"]) == (
        "Explosions/Remote violence",
        "UA",
        "Kharkiv Oblast",
        "Kharkiv",
    )
    assert (ev["killed_low"], ev["killed_best"], ev["killed_high"]) == (7, 7, 7)
    assert (ev["wounded_low"], ev["wounded_best"], ev["wounded_high"]) == (21, 21, None)
    assert ev["captured_best"] is None and ev["date_start"] == "2024-05-23"
    assert ev["claim_ids"] == sorted([c1["id"], c2["id"]])

    assert store.record(art["id"]) == record  # the contract record comes back whole


def test_saving_twice_stores_nothing(store: Store) -> None:
    assert store.save_article(kharkiv_article(), kharkiv_record())
    before = [store.count(t) for t in ("articles", "claims", "statements", "events")]
    assert store.save_article(kharkiv_article(), kharkiv_record()) is False
    # the same story re-spaced and re-cased under another id is the same article
    respaced = "  " + KHARKIV.replace(" ", "  ").upper()
    assert store.save_article(kharkiv_article("k1-copy", respaced), {"claims": []}) is False
    assert [store.count(t) for t in ("articles", "claims", "statements", "events")] == before
    assert store.known_keys([kharkiv_article().key, "f" * 64]) == {kharkiv_article().key}


def test_concurrent_saves_of_one_article_store_it_once(db_url: str) -> None:
    Store.open(db_url).close()
    results: list[bool] = []
    errors: list[BaseException] = []

    def save() -> None:
        try:
            with Store.open(db_url) as mine:
                results.append(mine.save_article(kharkiv_article(), kharkiv_record()))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=save) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(results) == [False] * 5 + [True]
    with Store.open(db_url) as store:
        assert store.count("claims") == 4


def _bad(record: dict[str, Any], claim: int, field: str, value: Any) -> dict[str, Any]:
    bad = copy.deepcopy(record)
    bad["claims"][claim]["quantity"][field] = value
    return bad


@pytest.mark.parametrize(
    "broken",
    [
        pytest.param(lambda r: _bad(r, 2, "kind", None), id="not-null"),
        pytest.param(lambda r: _bad(r, 2, "low", "many"), id="not-a-number"),
        pytest.param(lambda r: _bad(_bad(r, 2, "best", 12), 2, "low", 24),
                     id="best-below-low"),
        pytest.param(lambda r: _bad(_bad(r, 2, "high", 5), 2, "best", 9),
                     id="best-above-high"),
        pytest.param(
            lambda r: {**r, "claims": [*r["claims"], copy.deepcopy(r["claims"][0])]},
            id="claim-id-twice",
        ),
        pytest.param(
            lambda r: {**r, "events": [{**r["events"][0], "date_start": "2024-13-45"}]},
            id="impossible-date",
        ),
        pytest.param(
            lambda r: {**r, "claims": [{**r["claims"][0], "evidence": [{"start": None}]}]},
            id="evidence-without-offsets",
        ),
    ],
)
def test_a_failure_midway_stores_nothing_of_the_article(store: Store, broken: Any) -> None:
    first, first_record = simple(
        "d1",
        "Shelling killed 3 soldiers.",
        "2024-06-01",
        [{"needle": "3", "kind": "killed", "best": 3}],
    )
    assert store.save_article(first, first_record)
    before = {t: store.count(t) for t in ("articles", "claims", "statements", "events")}

    with pytest.raises(InvalidRecord, match="k1"):
        store.save_article(kharkiv_article(), broken(kharkiv_record()))

    assert {t: store.count(t) for t in before} == before
    assert store.known_keys([kharkiv_article().key]) == set()
    assert [c["cid"] for c in store.claims()] == ["c1"]  # the earlier article is intact
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM evidence")).scalar() == 1
        assert conn.execute(text("SELECT count(*) FROM event_claims")).scalar() == 0
    assert store.save_article(kharkiv_article(), kharkiv_record())  # nothing was left behind


def test_an_error_injected_after_the_claims_rolls_back(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*args: Any) -> Any:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(store_inserts, "_event_row", explode)  # where it is called
    with pytest.raises(RuntimeError, match="disk on fire"):
        store.save_article(kharkiv_article(), kharkiv_record())
    monkeypatch.undo()
    assert [store.count(t) for t in ("articles", "claims", "statements")] == [0, 0, 0]
    assert store.save_article(kharkiv_article(), kharkiv_record())


CRASHER = """
import os, sys, time
from datetime import date
sys.path[:0] = {paths!r}
from sitrep.model import Article
from sitrep.store import Store
from sitrep.store import inserts
store = Store.open({url!r})
assert store.save_article(Article(id="first", text="Two soldiers killed."), {{"claims": []}})
real = inserts._insert_many
def slow(conn, table, rows):
    ids = real(conn, table, rows)
    if table.name == "claims":
        open({marker!r}, "w").close()
        time.sleep(120)
    return ids
inserts._insert_many = slow
store.save_article(Article(id="second", text={body!r}), {record!r})
"""


def test_killing_the_process_midway_leaves_the_article_whole_or_absent(
    db_url: str, tmp_path: Path
) -> None:
    marker = tmp_path / "in-transaction"
    script = CRASHER.format(
        paths=[p for p in sys.path if p],
        url=db_url,
        marker=str(marker),
        body=KHARKIV,
        record=kharkiv_record(),
    )
    proc = subprocess.Popen([sys.executable, "-c", textwrap.dedent(script)])
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert proc.poll() is None, "the writer died before reaching the claims"
            assert time.monotonic() < deadline, "the writer never reached the claims"
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)  # mid-transaction: article and claims written
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    with Store.open(db_url) as store:
        assert [a["ext_id"] for a in store.articles()] == ["first"]
        assert store.count("claims") == 0 and store.count("statements") == 0
        assert store.save_article(kharkiv_article(), kharkiv_record())  # not locked, not taken
        assert store.count("claims") == 4


def test_replace_extraction(store: Store) -> None:
    corpus(store)
    [kharkiv] = store.articles(search="Syniehubov")
    other_claims = store.count("claims") - 4
    new = kharkiv_record()
    new["claims"] = new["claims"][:1]
    new["events"][0]["claims"] = ["c1"]
    run = store.start_run("sitrep ingest --reprocess", "0.2.0")
    store.replace_extraction(kharkiv["id"], new, run)
    assert [c["cid"] for c in store.claims(article_id=kharkiv["id"])] == ["c1"]
    assert store.events()[0]["claim_ids"] == [store.claims(article_id=kharkiv["id"])[0]["id"]]
    assert store.count("claims") == other_claims + 1
    assert store.article(kharkiv["id"])["extracted_run"] == run
    assert store.record(kharkiv["id"]) == new

    with pytest.raises(InvalidRecord):  # a bad replacement keeps the old extraction
        store.replace_extraction(kharkiv["id"], _bad(kharkiv_record(), 1, "kind", None), run)
    assert store.record(kharkiv["id"]) == new
    with pytest.raises(LookupError):
        store.replace_extraction(10_000, new, run)


# ----------------------------------------------------------------------------- queries


def test_claim_filters(store: Store) -> None:
    corpus(store)
    assert cids(store.claims(kind="killed")) == ["k1/c1", "d1/c1", "g1/c1"]
    assert cids(store.claims(kind=["wounded", "casualties"])) == [
        "k1/c2",
        "k1/c3",
        "b1/c1",
        "g1/c2",
    ]
    assert cids(store.claims(subject_country="kp")) == ["k1/c3"]
    assert cids(store.claims(speaker="syniehubov")) == ["k1/c1", "k1/c2"]
    assert cids(store.claims(speaker="U.S. military")) == ["k1/c3"]
    assert cids(store.claims(speaker_country=["RU", "PS"])) == ["b1/c1", "g1/c1", "g1/c2"]
    assert cids(store.claims(anonymous=True)) == ["k1/c3", "b1/c1"]
    assert cids(store.claims(anonymous=False)) == ["k1/c1", "k1/c2", "d1/c1", "g1/c1", "g1/c2"]
    assert cids(store.claims(place="kharkiv")) == ["k1/c1", "k1/c2"]  # name
    assert cids(store.claims(place="Donetsk Oblast")) == ["d1/c1"]  # admin1
    assert cids(store.claims(place="RU-BEL")) == ["b1/c1"]  # ISO 3166-2
    assert cids(store.claims(place="RU")) == ["k1/c3", "b1/c1"]  # country
    assert cids(store.claims(said_from="2024-06-01", said_to="2024-06-09")) == ["d1/c1", "b1/c1"]
    assert cids(store.claims(said_to=date(2024, 5, 22))) == ["k1/c3"]
    assert cids(store.claims(published_from="2024-06-10")) == ["b1/c1", "g1/c1", "g1/c2"]
    assert cids(store.claims(search="SEVERAL HUNDRED")) == ["k1/c3"]  # quantity text
    assert cids(store.claims(search="printing house")) == ["k1/c1", "k1/c2"]  # sentence
    assert cids(store.claims(search="health ministry")) == ["g1/c1", "g1/c2"]  # speaker
    assert cids(store.claims(outlet="tass")) == ["b1/c1"]
    assert cids(store.claims(kind="killed", speaker_country="UA", place="UA")) == ["k1/c1", "d1/c1"]
    assert store.count("claims", kind="killed", speaker_country="UA") == 2
    assert store.claims(search="%") == [] and store.claims(search="_") == []  # literal


def test_claims_sort_and_page(store: Store) -> None:
    corpus(store)
    best = [c["best"] for c in store.claims(sort="-best")]
    assert best == sorted(best, reverse=True) and best[0] == 5.6e9
    assert cids(store.claims(sort="said_on", limit=2)) == ["k1/c3", "k1/c1"]
    assert cids(store.claims(sort="-published", limit=2, offset=1)) == ["g1/c1", "b1/c1"]
    assert len(store.claims(limit=None)) == store.count("claims") == 8
    assert store.claims(limit=0) == []
    assert "record" not in store.claims(with_record=False)[0]
    with pytest.raises(ValueError):
        store.claims(limit=-1)


def test_statement_event_and_article_filters(store: Store) -> None:
    corpus(store)
    assert [s["sid"] for s in store.statements(quote="direct")] == ["s3"]
    assert [s["sid"] for s in store.statements(speaker="the official")] == ["s3"]
    assert [s["sid"] for s in store.statements(anonymous=True)] == ["s2", "s3"]
    assert [s["sid"] for s in store.statements(search="north korean")] == ["s2"]
    assert [s["sid"] for s in store.statements(speaker_country="ua")] == ["s1"]
    assert [e["eid"] for e in store.events(country="UA", date_from="2024-05-01")] == ["e1"]
    assert store.events(date_to="2024-05-01") == []
    assert [e["eid"] for e in store.events(place="UA-63", type="explosions/remote violence")]
    assert [e["eid"] for e in store.events(search="civilians", sort="-killed_best")] == ["e1"]
    assert [a["ext_id"] for a in store.articles(sort="-published")] == ["g1", "b1", "d1", "k1"]
    assert [a["ext_id"] for a in store.articles(outlet="tass")] == ["b1"]
    assert [a["ext_id"] for a in store.articles(search="drones")] == ["b1"]
    assert [a["ext_id"] for a in store.articles(published_to="2024-06-01")] == ["k1", "d1"]
    assert store.count("articles", published_from="2024-06-02") == 2
    assert store.count("events", country="RU") == 0


INJECTIONS = [
    "' OR '1'='1",
    "' OR 1=1 --",
    "killed' OR 'a'='a",
    "x'); DROP TABLE claims; --",
    "UA' UNION SELECT * FROM articles --",
    '" OR ""="',
    "%' OR kind LIKE '%",
    "\\'; DELETE FROM articles; --",
    "1; SELECT pg_sleep(5)",
    "'||(SELECT key FROM articles LIMIT 1)||'",
]


@pytest.mark.parametrize("value", INJECTIONS)
def test_sql_injection_in_filter_values_finds_nothing(store: Store, value: str) -> None:
    corpus(store)
    counts = {t: store.count(t) for t in ("articles", "claims", "statements", "events")}
    for name in (
        "kind",
        "subject_country",
        "speaker",
        "speaker_country",
        "place",
        "search",
        "outlet",
    ):
        assert store.claims(**{name: value}) == [], name
        assert store.count("claims", **{name: value}) == 0, name
    for name in ("speaker", "speaker_country", "quote", "search"):
        assert store.statements(**{name: value}) == [], name
    for name in ("type", "country", "place", "search"):
        assert store.events(**{name: value}) == [], name
    for name in ("outlet", "search"):
        assert store.articles(**{name: value}) == [], name
    assert {t: store.count(t) for t in counts} == counts  # nothing dropped or deleted


@pytest.mark.parametrize(
    "sort", ["record", "speaker_text; DROP TABLE claims", "best DESC", "1", "-", "id--"]
)
def test_sort_by_a_column_off_the_whitelist_raises(store: Store, sort: str) -> None:
    for query in (store.claims, store.statements, store.events, store.articles):
        with pytest.raises(ValueError, match="cannot sort"):
            query(sort=sort)


def test_date_filters_must_be_dates(store: Store) -> None:
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        store.claims(said_from="2024-01-01' OR '1'='1")


# ----------------------------------------------------------------------------- runs, rejects


def test_runs_and_rejects_are_recorded(store: Store) -> None:
    run = store.start_run("sitrep ingest feed.jsonl --workers 2", "0.1.0")
    started = store.run(run)
    assert started is not None and started["finished"] is None
    assert started["command"] == "sitrep ingest feed.jsonl --workers 2"
    assert started["extractor_version"] == "0.1.0" and started["read"] == 0
    first = store.add_reject(run, "feed.jsonl:2", "not JSON")
    store.add_reject(run, "feed.jsonl:4", "impossible date '2024-13-45'")
    store.add_reject(None, "https://example.org/x", "HTTP 404")
    assert store.save_article(kharkiv_article(), kharkiv_record(), run)
    store.finish_run(run, {"read": 4, "stored": 1, "known": 0, "copies": 0, "rejected": 2})

    done = store.run(run)
    assert done is not None and done["finished"] is not None
    assert done["finished"] >= done["started"] and done["started"].endswith("+00:00")
    assert [done[k] for k in ("read", "stored", "known", "copies", "rejected")] == [4, 1, 0, 0, 2]
    rej = store.rejects(run_id=run)
    assert [(r["location"], r["reason"]) for r in rej] == [
        ("feed.jsonl:2", "not JSON"),
        ("feed.jsonl:4", "impossible date '2024-13-45'"),
    ]
    assert rej[0]["id"] == first and rej[0]["run_id"] == run and rej[0]["at"]
    assert len(store.rejects()) == 3
    assert store.articles()[0]["first_run"] == run
    assert [r["id"] for r in store.runs()] == [run]
    with pytest.raises(ValueError, match="unknown run count"):
        store.finish_run(run, {"parsed": 1})
    with pytest.raises(LookupError):
        store.finish_run(run + 100, {})


def test_unfinished_runs_of_an_older_sitrep_are_shown_interrupted(db_url: str) -> None:
    """Runs recorded before revision 0003 have no heartbeat: one started hours ago and never
    finished was killed; one started a moment ago may still be running elsewhere."""
    from datetime import UTC, datetime, timedelta

    engine = create_store_engine(db_url)
    try:
        store_db.upgrade(engine, "0002")
        now = datetime.now(UTC)
        with engine.begin() as conn:
            for started, command in ((now - timedelta(hours=3), "sitrep ingest old.jsonl"),
                                     (now, "sitrep ingest new.jsonl")):
                conn.execute(
                    text("INSERT INTO runs (started, command, read, stored, known, copies, "
                         "rejected) VALUES (:started, :command, 0, 0, 0, 0, 0)"),
                    {"started": started, "command": command},
                )
    finally:
        engine.dispose()
    with Store.open(db_url) as store:
        shown = {r["command"]: r["status"] for r in store.runs()}
        assert shown == {"sitrep ingest old.jsonl": "interrupted",
                         "sitrep ingest new.jsonl": "running"}
        old = next(r["id"] for r in store.runs() if r["command"].endswith("old.jsonl"))
        assert store.interrupted_runs() == [old]
        run = store.start_run("sitrep ingest feed.jsonl")  # marks the old run
        assert store.interrupted_runs() == []
        marked = {r["command"]: r["interrupted"] is not None for r in store.runs()}
        assert marked == {"sitrep ingest old.jsonl": True, "sitrep ingest new.jsonl": False,
                          "sitrep ingest feed.jsonl": False}
        store.run_progress(run, {"read": 3, "stored": 2, "known": 1})
        assert [store.run(run)[k] for k in ("read", "stored", "status")] == [3, 2, "running"]


# ----------------------------------------------------------------------------- copy groups


def test_copy_groups(store: Store) -> None:
    corpus(store)
    ids = {a["ext_id"]: a["id"] for a in store.articles()}
    group = store.create_copy_group(ids["k1"], [ids["d1"], ids["b1"]])
    assert store.copy_groups() == [{"id": group, "representative": ids["k1"], "size": 3}]
    assert store.copy_group_members(group) == sorted([ids["k1"], ids["d1"], ids["b1"]])
    other = store.create_copy_group(ids["g1"])
    store.set_copy_group(ids["b1"], other)
    sizes = {g["id"]: g["size"] for g in store.copy_groups()}
    assert sizes == {group: 2, other: 2}
    store.update_copy_group(group, representative=ids["d1"])
    assert store.copy_groups(min_size=2)[0]["representative"] in (ids["d1"], ids["g1"])
    assert [a["ext_id"] for a in store.articles(copy_group=other)] == ["b1", "g1"]
    store.set_copy_group(ids["b1"], None)
    assert {g["id"]: g["size"] for g in store.copy_groups()} == {group: 2, other: 1}
    with pytest.raises(ValueError):
        store.update_copy_group(group, representative=ids["g1"])
    with pytest.raises(LookupError):
        store.set_copy_group(ids["b1"], 999)
    with pytest.raises(LookupError):
        store.set_copy_group(999, group)


def test_many_first_openings_of_a_new_sqlite_file_all_succeed(tmp_path: Path) -> None:
    # Switching a new file to WAL needs its exclusive lock and SQLite does not wait for it:
    # without a retry, about 1 in 25 races of three openers failed with "database is locked".
    from concurrent.futures import ThreadPoolExecutor

    from sitrep.store.db import create_store_engine

    def first_connection(path: Path) -> str:
        engine = create_store_engine(f"sqlite:///{path}")
        try:
            with engine.connect() as conn:
                return str(conn.exec_driver_sql("PRAGMA journal_mode").scalar())
        finally:
            engine.dispose()

    for i in range(60):
        path = tmp_path / f"race-{i}.db"
        with ThreadPoolExecutor(3) as pool:
            modes = list(pool.map(first_connection, [path] * 3))
        assert modes == ["wal"] * 3


# ----------------------------------------------------------------------------- claim scopes


def scoped_record(article_id: str = "k1", body: str = KHARKIV) -> dict[str, Any]:
    """The Kharkiv record as a sitrep of revision 0004 writes it: each claim with its scope."""
    record = kharkiv_record(body, article_id)
    scopes = {"c1": "incident", "c2": "incident", "c3": "total", "c4": "period"}
    for c in record["claims"]:
        c["scope"] = scopes[c["id"]]
        c["reasons"]["scope"] = f"scope.test:{scopes[c['id']]}"
    return record


def test_claim_scope_is_stored_read_back_and_filtered(store: Store) -> None:
    record = scoped_record()
    assert store.save_article(kharkiv_article(), record)
    rows = store.claims(sort="id")
    assert [(r["cid"], r["scope"]) for r in rows] == [
        ("c1", "incident"), ("c2", "incident"), ("c3", "total"), ("c4", "period")
    ]
    assert store.record(rows[0]["article_id"]) == record  # the record keeps it too
    assert cids(store.claims(scope="incident")) == ["k1/c1", "k1/c2"]
    assert cids(store.claims(scope=["TOTAL", "period"])) == ["k1/c3", "k1/c4"]
    assert cids(store.claims(scope="total", kind="casualties")) == ["k1/c3"]
    assert store.count("claims", scope="period") == 1
    assert [r["scope"] for r in store.claims(sort="-scope")] == [
        "total", "period", "incident", "incident"
    ]
    assert {r["cid"]: r["scope"] for r in store.tracking_claims()} == {
        "c1": "incident", "c2": "incident", "c3": "total", "c4": "period"
    }


def test_a_claim_without_scope_is_stored_and_matches_no_scope(store: Store) -> None:
    assert store.save_article(kharkiv_article(), kharkiv_record())  # an older sitrep's record
    assert {r["scope"] for r in store.claims()} == {None}
    assert store.claims(scope=["incident", "period", "total"]) == []


def test_a_claim_with_an_unknown_scope_is_refused_whole(store: Store) -> None:
    record = scoped_record()
    record["claims"][2]["scope"] = "cumulative"  # the tracker's word, not a claim scope
    with pytest.raises(InvalidRecord, match=r"claims\[2\]\.scope"):
        store.save_article(kharkiv_article(), record)
    assert store.count("articles") == 0 and store.count("claims") == 0


def test_revision_0004_adds_the_scope_and_keeps_it_over_a_downgrade(db_url: str) -> None:
    engine = create_store_engine(db_url)
    try:
        store_db.upgrade(engine, "0003")
        old = Store(engine)  # a sitrep of revision 0003 stores a record without scopes
        assert old.save_article(kharkiv_article(), kharkiv_record())
        assert "scope" not in {c["name"] for c in inspect(engine).get_columns("claims")}
        with Store.open(db_url) as store:  # opening migrates to head
            assert {r["scope"] for r in store.claims()} == {None}
            later = KHARKIV + " (Updated.)"
            assert store.save_article(kharkiv_article("k2", later), scoped_record("k2", later))
            assert cids(store.claims(scope="total")) == ["k2/c3"]
        downgrade(engine, "0003")  # the column goes; the records keep their scopes
        assert "scope" not in {c["name"] for c in inspect(engine).get_columns("claims")}
        store_db.upgrade(engine)  # and come back from the records
        with Store.open(db_url) as store:
            assert cids(store.claims(scope="total")) == ["k2/c3"]
            assert cids(store.claims(scope="period")) == ["k2/c4"]
            assert store.count("claims", scope="incident") == 2
    finally:
        engine.dispose()
