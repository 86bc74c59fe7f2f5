"""Estimates over time (sitrep.analyse.track) and tables of claims (sitrep.analyse.tabular).

Real series first: The Economist's table of published casualty estimates and the Ukrainian
General Staff's daily figures, imported into SQLite and PostgreSQL, must come back as
per-claimant lines that equal the tables value for value. Then hand-made claims in the shape
the extractor writes: two sides and a third party, syndicated copies that count once, a
revision when a newer claim moves the aggregate, expiry, disagreement, scopes, and the store
migration that marks imported rows.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect

from sitrep.analyse.tabular import FormatError, import_claims
from sitrep.analyse.track import (
    SeriesKey,
    aggregate_estimates,
    claimant_of,
    get_series,
    list_series,
    scope_period,
    series_key,
    side_disagreement,
)
from sitrep.errors import Errors
from sitrep.model import Article
from sitrep.store import Store, create_store_engine, current_revision, downgrade, upgrade

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
ECONOMIST = DATA / "economist_casualty_claims.jsonl"
GSU = DATA / "gsu_russian_losses_daily.jsonl"
needs_data = pytest.mark.skipif(
    not (ECONOMIST.is_file() and GSU.is_file()), reason="../shared/data is absent"
)

# The claimant each of The Economist's claimant names is tracked as: the spec of
# sitrep/analyse/data/claimants.json as the tracker's labels show it. Several names of one body
# ("UK MoD", "UK Ministry of Defence") are one line.
LABELS = {
    "Armed Forces of Ukraine": "UA armed forces",
    "BBC Russia": "BBC Russian Service",
    "CIA": "CIA",
    "CSIS": "CSIS",
    "The Centre for Strategic and International Studies": "CSIS",
    "Dutch Military Intelligence and Security Service (MIVD)": "NL military intelligence",
    "Dutch Military Intelligence and Security Service (MIVD; note, timing clarified via email)": (
        "NL military intelligence"
    ),
    "Excess deaths estimate (D. Kobak)": "D. Kobak",
    "French foreign minister": "FR foreign ministry",
    "IISS": "IISS",
    "Lostarmour": "LostArmour",
    "Mediazona; Meduza": "Mediazona and Meduza",
    "Mediazona; Meduza (cumulative)": "Mediazona and Meduza",
    "NATO nations (via NYT)": "NATO officials (anonymous)",
    "NATO officials (via WP)": "NATO officials (anonymous)",
    "NATO officials (via media24)": "NATO officials (anonymous)",
    "Norwegian Defense Intelligence": "NO military intelligence",
    "Office of the President of Ukraine": "UA presidency",
    "Pentagon leak": "US defence ministry",
    "US DoD": "US defence ministry",
    "US Sec of Def": "US defence ministry",
    "Russian Ministry of Defense": "RU defence ministry",
    "The Memory Book": "The Memory Book",
    "UAlosses": "UALosses",
    "UK Foreign ministry": "GB foreign ministry",
    "UK MoD": "GB defence ministry",
    "UK Ministry of Defence": "GB defence ministry",
    "US intelligence services": "US intelligence",
    "US officials (via NYT)": "US officials (anonymous)",
    "US officials (via The Economist)": "US officials (anonymous)",
    "Ukrainian estimate (leak via WSJ)": "UA officials (anonymous)",
    "Western intelligence agencies (via WSJ)": "Western intelligence officials (anonymous)",
    "Yurii Butosov": "Yurii Butosov",
}
GSU_LABEL = "UA general staff"
KIND = {"deaths": "killed", "casualties": "casualties"}
COUNTRY = {"russia": "RU", "ukraine": "UA"}


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def war_total(store: Store, kind: str, country: str, unit: str | None = None) -> dict[str, Any]:
    """The one cumulative, placeless series of ``kind`` about ``country``'s forces."""
    found = [
        s
        for s in list_series(store, kind=kind, subject_country=country)
        if s["scope"] == {"place": None, "period": "cumulative"}
        and s["subject_actor"] == f"{country}:forces"
        and s["unit"] == unit
    ]
    assert len(found) == 1, found
    series = get_series(store, found[0]["id"])
    assert series is not None
    return series


def line(series: dict[str, Any], claimant: str) -> dict[str, Any]:
    found = [t for t in series["timelines"] if t["claimant"] == claimant]
    assert len(found) == 1, [t["claimant"] for t in series["timelines"]]
    return found[0]


def values(points: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [(p["date"], p["low"], p["best"], p["high"]) for p in points]


def about(n: int) -> tuple[int, int, int]:
    """The extractor's reading of "about n": n x 0.85 to n x 1.15, rounded half to even."""
    return round(Fraction(n * 85, 100)), n, round(Fraction(n * 115, 100))


# ----------------------------------------------------------------------------- real tables


@pytest.fixture
def gsu_subset(tmp_path: Path) -> list[dict[str, Any]]:
    """Every 30th day of the General Staff's table, the six "more than" days and the last day."""
    rows = read_jsonl(GSU) if GSU.is_file() else []
    picked = [
        r
        for i, r in enumerate(rows)
        if i % 30 == 0 or r["personnel_qualifier"] != "about" or i == len(rows) - 1
    ]
    (tmp_path / "gsu.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in picked), encoding="utf-8"
    )
    return picked


@pytest.fixture
def tables(store: Store, gsu_subset: list[dict[str, Any]], tmp_path: Path) -> dict[str, Any]:
    """Both tables imported into one store (the General Staff's as a subset, for speed)."""
    economist = import_claims(store, ECONOMIST)
    gsu = import_claims(store, tmp_path / "gsu.jsonl")
    return {"economist": economist, "gsu": gsu}


@needs_data
def test_economist_table_comes_back_value_for_value(store: Store, tables: dict[str, Any]) -> None:
    rows = read_jsonl(ECONOMIST)
    assert len(rows) == 124
    assert {r["claimant"].strip() for r in rows} <= set(LABELS)  # a new name must be mapped
    usable = [
        r
        for r in rows
        if any(r[k] is not None for k in ("estimate", "estimate_low", "estimate_high"))
    ]
    counts = tables["economist"]
    assert counts["format"] == "economist"
    assert counts["rows"] == 124 and counts["stored"] == len(usable) == 116
    assert counts["claims"] == 116 and counts["rejected"] == 124 - 116
    reasons = {r["reason"] for r in store.rejects(run_id=counts["run_id"], limit=None)}
    assert reasons == {Errors.E207}

    expected: dict[tuple[str, str, str], list[tuple[Any, ...]]] = defaultdict(list)
    sides: dict[tuple[str, str, str], dict[str, Any]] = {}
    for r in usable:
        est, low, high = r["estimate"], r["estimate_low"], r["estimate_high"]
        if low is None and high is None:  # a bare estimate is an exact figure
            point = (r["date"], est, est, est)
        else:  # the table's ends; best = the estimate, else the low end, else the high end
            best = est if est is not None else (low if low is not None else high)
            point = (r["date"], low, best, high)
        group = (LABELS[r["claimant"].strip()], r["losses_of"], r["type"])
        expected[group].append(point)
        if r["date"] >= sides.get(group, {}).get("date", ""):
            sides[group] = r

    for kind_name, losses in {(t, lo) for _, lo, t in expected}:
        series = war_total(store, KIND[kind_name], COUNTRY[losses])
        want = {g[0]: sorted(v) for g, v in expected.items() if g[1:] == (losses, kind_name)}
        got_labels = {t["claimant"] for t in series["timelines"]}
        extra = {GSU_LABEL} if (kind_name, losses) == ("casualties", "russia") else set()
        assert got_labels == set(want) | extra
        for label, points in want.items():
            tl = line(series, label)
            assert values(tl["points"]) == points, label
            latest = sides[(label, losses, kind_name)]
            side = tl["country"] if latest["from_warring_party"] else "third party"
            assert tl["side"] == side, label
            for p in tl["points"]:
                assert p["origin"] == "table" and p["since"] == "2022-02-24"
                assert p["sources"] == 1 and len(p["evidence"]) == 1
                article = store.article(p["article_id"])
                assert article is not None and article["origin"] == "table"
                span = p["evidence"][0]
                assert article["text"][span["start"] : span["end"]] == p["sentence"]
                assert p["quantity"] in p["sentence"]


@needs_data
def test_economist_aggregate_on_a_checked_date(store: Store, tables: dict[str, Any]) -> None:
    series = war_total(store, "killed", "RU")
    by_date = {a["date"]: a for a in series["aggregate"]}
    # Current on 2024-11-19 (180 days: from 2024-05-23): Mediazona/Meduza 2024-06-21 (120,000,
    # at least 106,000), BBC 2024-06-14 (at least 113,000), US officials 2024-10-10 (115,000),
    # Western intelligence 2024-11-19 (up to 200,000). The French 2024-05-03 figure expired.
    assert by_date["2024-11-19"] == {
        "date": "2024-11-19",
        "low": 106000,
        "best": 117500,
        "high": 200000,
        "open_low": True,
        "open_high": True,
        "n_claimants": 4,
        "n_sources": 4,
    }
    # Expiry is applied on the dates claims are made: the French figure leaves on 2024-11-19.
    expired, joined = [r for r in series["revisions"] if r["date"] == "2024-11-19"]
    assert expired["claimant"] == "FR foreign ministry" and "expired" in expired["reason"]
    assert joined["claimant"] == "Western intelligence officials (anonymous)"
    assert joined["from"] == {"low": 106000, "best": 115000, "high": 120000}
    assert joined["to"] == {"low": 106000, "best": 117500, "high": 200000}
    for a in series["aggregate"]:
        assert a["low"] <= a["best"] <= a["high"]
    assert series["related"]["casualties"] == war_total(store, "casualties", "RU")["id"]


@needs_data
def test_general_staff_series_equals_the_table_day_by_day(
    store: Store, tables: dict[str, Any], gsu_subset: list[dict[str, Any]]
) -> None:
    counts = tables["gsu"]
    assert counts["format"] == "gsu" and counts["stored"] == len(gsu_subset)
    assert counts["rejected"] == 0

    personnel = line(war_total(store, "casualties", "RU"), GSU_LABEL)
    want = []
    for r in gsu_subset:
        n = r["personnel"]
        if r["personnel_qualifier"] == "about":
            low, best, high = about(n)
            want.append((r["date"], low, best, high))
        else:  # "more": more than n
            assert r["personnel_qualifier"] == "more"
            want.append((r["date"], n, n, None))
    assert values(personnel["points"]) == want
    assert personnel["side"] == "UA" and personnel["country"] == "UA"
    assert [p["approx"] for p in personnel["points"]] == [
        "about" if r["personnel_qualifier"] == "about" else "at_least" for r in gsu_subset
    ]
    qualifier = {"about": "about", "more": "more than"}
    assert [p["sentence"] for p in personnel["points"]] == [
        f"personnel: {qualifier[r['personnel_qualifier']]} {r['personnel']:,}" for r in gsu_subset
    ]

    pow_rows = [r for r in gsu_subset if r["pow"] is not None]
    captured = line(war_total(store, "captured", "RU"), GSU_LABEL)
    assert values(captured["points"]) == [
        (r["date"], r["pow"], r["pow"], r["pow"]) for r in pow_rows
    ]

    tanks = line(war_total(store, "equipment", "RU", unit="tank"), GSU_LABEL)
    assert values(tanks["points"]) == [
        (r["date"], r["equipment"]["tank"], r["equipment"]["tank"], r["equipment"]["tank"])
        for r in gsu_subset
    ]


@needs_data
def test_reimport_adds_nothing(store: Store, tables: dict[str, Any], tmp_path: Path) -> None:
    before = store.count("claims")
    again = import_claims(store, ECONOMIST)
    assert (again["stored"], again["updated"], again["unchanged"]) == (0, 0, 116)
    gsu = import_claims(store, tmp_path / "gsu.jsonl", fmt="gsu")
    assert gsu["stored"] == 0 and gsu["unchanged"] == tables["gsu"]["stored"]
    assert store.count("claims") == before


@needs_data
def test_whole_general_staff_table_on_sqlite(tmp_path: Path) -> None:
    rows = read_jsonl(GSU)
    with Store.open(f"sqlite:///{tmp_path / 'gsu.db'}") as store:
        counts = import_claims(store, GSU)
        assert counts["stored"] == len(rows) == 1626 and counts["rejected"] == 0
        personnel = line(war_total(store, "casualties", "RU"), GSU_LABEL)
        assert [(p["date"], p["best"]) for p in personnel["points"]] == [
            (r["date"], r["personnel"]) for r in rows
        ]
        assert [(p["low"], p["high"]) for p in personnel["points"]] == [
            about(r["personnel"])[::2]
            if r["personnel_qualifier"] == "about"
            else (r["personnel"], None)
            for r in rows
        ]


# ----------------------------------------------------------------------------- the importer


def economist_row(**changes: Any) -> dict[str, Any]:
    row = {
        "id": "economist:t.csv:0",
        "source": "test",
        "date": "2024-05-31",
        "claimant": "UK MoD",
        "losses_of": "russia",
        "type": "casualties",
        "estimate": 500000,
        "estimate_low": None,
        "estimate_high": None,
        "source_url": "https://x.com/DefenceHQ/status/1796467954907037817",
        "from_warring_party": False,
    }
    row.update(changes)
    return row


def test_bad_rows_are_rejected_and_the_rest_imported(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    lines = [
        json.dumps(economist_row()),
        "{not json",
        json.dumps(economist_row(claimant=None, date="2024-06-01")),
        json.dumps(economist_row(date="2024-06-02", estimate=None)),
        json.dumps(economist_row(date="2024-13-45")),
        json.dumps(economist_row(date="2024-06-03", type="injuries")),
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    counts = import_claims(store, path)
    assert (counts["stored"], counts["rejected"], counts["rows"]) == (1, 5, 6)
    rejects = store.rejects(run_id=counts["run_id"])
    assert [r["location"] for r in rejects] == [f"{path}:{n}" for n in (2, 3, 4, 5, 6)]
    assert "not JSON" in rejects[0]["reason"] and "claimant" in rejects[1]["reason"]
    run = store.run(counts["run_id"])
    assert run is not None and (run["read"], run["stored"], run["rejected"]) == (6, 1, 5)
    article = store.articles()[0]
    assert article["origin"] == "table" and article["outlet"] == "x.com"
    assert article["published"] == "2024-05-31"


def test_unknown_format_raises(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    path.write_text(json.dumps({"id": "x", "text": "An article."}) + "\n", encoding="utf-8")
    with pytest.raises(FormatError):
        import_claims(store, path)
    with pytest.raises(FormatError):
        import_claims(store, path, fmt="csv")
    assert store.count("articles") == 0


def test_a_corrected_row_replaces_its_claim(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    path.write_text(json.dumps(economist_row()) + "\n", encoding="utf-8")
    import_claims(store, path)
    path.write_text(
        json.dumps(economist_row(estimate=None, estimate_low=480000, estimate_high=520000)) + "\n",
        encoding="utf-8",
    )
    counts = import_claims(store, path)
    assert (counts["stored"], counts["updated"], counts["unchanged"]) == (0, 1, 0)
    (row,) = store.claims()
    assert (row["low"], row["best"], row["high"], row["approx"]) == (
        480000,
        480000,
        520000,
        "range",
    )
    series = war_total(store, "casualties", "RU")
    assert values(line(series, "GB defence ministry")["points"]) == [
        ("2024-05-31", 480000, 480000, 520000)
    ]


# ----------------------------------------------------------------------------- hand-made claims


def speaker(
    text: str,
    *,
    role: str | None = None,
    name: str | None = None,
    country: str | None = None,
    side: str | None = None,
    anonymous: bool = False,
) -> dict[str, Any]:
    return {
        "text": text,
        "name": name,
        "role": role,
        "anonymous": anonymous,
        "country": country,
        "side": side,
    }


UA_GS = speaker("Ukraine's General Staff", role="General Staff", country="UA", side="UA")
US_OFFICIAL = speaker(
    "a senior U.S. military official",
    role="senior U.S. military official",
    country="US",
    side="third party",
    anonymous=True,
)
RU_MOD = speaker(
    "Russia's Defence Ministry",
    role="Russia's Defence Ministry",
    country="RU",
    side="RU",
    anonymous=True,
)
UK_MOD = speaker(
    "Britain's defence ministry",
    role="Britain's defence ministry",
    country="GB",
    side="third party",
)


def save(
    store: Store,
    ext_id: str,
    text: str,
    published: str,
    outlet: str,
    number: str,
    *,
    kind: str = "killed",
    low: float | None,
    best: float | None,
    high: float | None,
    approx: str = "exact",
    who: dict[str, Any] | None = None,
    subject: tuple[str, str, str] | None = ("Russian soldiers", "RU:forces", "RU"),
    since: str | None = None,
    place: dict[str, Any] | None = None,
    event: str | None = None,
    when: str | None = None,
) -> int:
    """Store a one-sentence article with one claim, as the extractor would write it."""
    q = text.index(number)
    claim: dict[str, Any] = {
        "id": "c1",
        "start": 0,
        "end": len(text),
        "quantity": {
            "text": number,
            "start": q,
            "end": q + len(number),
            "kind": kind,
            "low": low,
            "best": best,
            "high": high,
            "approx": approx,
            "rule": "test",
        },
        "speaker": None,
        "said_on": published,
        "evidence": [{"start": 0, "end": len(text)}],
    }
    if who is not None:
        s = text.index(who["text"])
        claim["speaker"] = {**who, "start": s, "end": s + len(who["text"])}
    if subject is not None:
        s = text.index(subject[0])
        claim["subject"] = {
            "text": subject[0],
            "start": s,
            "end": s + len(subject[0]),
            "actor": subject[1],
            "country": subject[2],
        }
    if since is not None:
        s = text.index(since)
        claim["time"] = {
            "text": since,
            "start": s,
            "end": s + len(since),
            "date_start": "2022-02-01",
            "date_end": published,
            "precision": "month",
        }
    if when is not None:
        claim["time"] = {
            "text": when,
            "start": 0,
            "end": 1,
            "date_start": event,
            "date_end": event,
            "precision": "day",
        }
    if place is not None:
        claim["place"] = place
    record: dict[str, Any] = {"schema": 1, "id": ext_id, "claims": [claim]}
    if event is not None:
        record["events"] = [
            {
                "id": "e1",
                "type": "Explosions/Remote violence",
                "date_start": event,
                "date_end": event,
                "claims": ["c1"],
            }
        ]
    article = Article(id=ext_id, text=text, published=date.fromisoformat(published), outlet=outlet)
    assert store.save_article(article, record)
    return store.article_ids([article.key])[article.key]


def group(store: Store, *ids: int) -> None:
    store.create_copy_group(ids[0], ids[1:])


@pytest.fixture
def war(store: Store) -> dict[str, int]:
    """Killed Russian soldiers since February 2022, as a UA, an RU and two third-party claimants
    say it; one AFP story carried by three outlets; one General Staff figure carried by two."""
    ids: dict[str, int] = {}
    ids["gs1"] = save(
        store,
        "gs1",
        "Ukraine's General Staff said 380,000 Russian soldiers had been killed "
        "since February 2022.",
        "2024-01-10",
        "Reuters",
        "380,000",
        low=380000,
        best=380000,
        high=380000,
        who=UA_GS,
        since="since February 2022",
    )
    afp = (
        "About 120,000 Russian soldiers have been killed since the start of the war, a "
        "senior U.S. military official said. {}"
    )
    for n, outlet in enumerate(("Le Monde", "France 24", "The Moscow Times")):
        ids[f"afp{n}"] = save(
            store,
            f"afp{n}",
            afp.format(f"Published by {outlet}."),
            "2024-01-12",
            outlet,
            "About 120,000",
            low=102000,
            best=120000,
            high=138000,
            approx="about",
            who=US_OFFICIAL,
        )
    ids["tass"] = save(
        store,
        "tass",
        "Russia's Defence Ministry said 6,000 Russian soldiers had died since February 2022.",
        "2024-01-15",
        "TASS",
        "6,000",
        low=6000,
        best=6000,
        high=6000,
        who=RU_MOD,
        since="since February 2022",
    )
    ids["gs2"] = save(
        store,
        "gs2",
        "Ukraine's General Staff said 390,000 Russian soldiers had been killed "
        "since February 2022.",
        "2024-02-01",
        "Reuters",
        "390,000",
        low=390000,
        best=390000,
        high=390000,
        who=UA_GS,
        since="since February 2022",
    )
    ids["gs2ap"] = save(
        store,
        "gs2ap",
        "The toll of Russian soldiers killed since February 2022 reached "
        "390,000, Ukraine's General Staff said on Thursday.",
        "2024-02-01",
        "AP",
        "390,000",
        low=390000,
        best=390000,
        high=390000,
        who=UA_GS,
        since="since February 2022",
    )
    ids["bbc"] = save(
        store,
        "bbc",
        "At least 100,000 Russian soldiers have been killed since the war began, "
        "Britain's defence ministry said.",
        "2024-02-05",
        "BBC",
        "At least 100,000",
        low=100000,
        best=100000,
        high=None,
        approx="at_least",
        who=UK_MOD,
    )
    ids["afp_again"] = save(
        store,
        "afp_again",
        "About 120,000 Russian soldiers have died in the war so far, a "
        "senior U.S. military official told AFP.",
        "2024-02-10",
        "AFP",
        "About 120,000",
        low=102000,
        best=120000,
        high=138000,
        approx="about",
        who=US_OFFICIAL,
    )
    group(store, ids["afp0"], ids["afp1"], ids["afp2"])
    for name in ("gs1", "tass", "gs2", "gs2ap", "bbc", "afp_again"):
        group(store, ids[name])
    return ids


def test_two_sides_a_third_party_copies_and_revisions(store: Store, war: dict[str, int]) -> None:
    (summary,) = list_series(store)
    assert summary["kind"] == "killed" and summary["subject_actor"] == "RU:forces"
    assert summary["scope"] == {"place": None, "period": "cumulative"}
    assert summary["n_claims"] == 9  # three copies of the AFP story among them
    assert summary["n_claimants"] == 4
    # Copy groups: the AFP story once, and the US figure AFP carried again on 2024-02-10
    # (unchanged: a repeat) adds no source (7 before repeats counted once).
    assert summary["n_sources"] == 6
    assert summary["latest"] == {"date": "2024-02-10", "low": 6000, "best": 110000, "high": 390000}
    # sides: UA 390,000; third party median(120,000, 100,000) = 110,000; RU 6,000
    assert summary["disagreement"] == 65.0

    series = get_series(store, summary["id"])
    assert series is not None
    assert [t["claimant"] for t in series["timelines"]] == [
        "GB defence ministry",
        "RU defence ministry",
        "UA general staff",
        "US officials (anonymous)",
    ]
    us = line(series, "US officials (anonymous)")
    assert us["side"] == "third party" and us["type"] == "anonymous"
    first, again = us["points"]
    assert first["sources"] == 1 and len(first["claim_ids"]) == 3  # copies count once
    assert first["repeat_of"] is None
    assert again["repeat_of"] == "2024-01-12" and again["sources"] == 1  # the same source
    assert values(us["points"]) == [
        ("2024-01-12", 102000, 120000, 138000),
        ("2024-02-10", 102000, 120000, 138000),
    ]
    gs = line(series, "UA general staff")
    assert values(gs["points"]) == [
        ("2024-01-10", 380000, 380000, 380000),
        ("2024-02-01", 390000, 390000, 390000),
    ]
    assert gs["points"][1]["sources"] == 2  # Reuters and AP: two independent sources
    assert gs["points"][0]["since"] == "2022-02-01"
    assert line(series, "GB defence ministry")["points"][0]["since"] is None  # "since the war"

    assert [
        (a["date"], a["low"], a["best"], a["high"], a["n_claimants"], a["n_sources"])
        for a in series["aggregate"]
    ] == [
        ("2024-01-10", 380000, 380000, 380000, 1, 1),
        ("2024-01-12", 102000, 250000, 380000, 2, 2),
        ("2024-01-15", 6000, 120000, 380000, 3, 3),
        ("2024-02-01", 6000, 120000, 390000, 3, 4),
        ("2024-02-05", 6000, 110000, 390000, 4, 5),
        ("2024-02-10", 6000, 110000, 390000, 4, 5),
    ]
    assert series["aggregate"][4]["open_high"] is True  # "at least 100,000"
    revisions = series["revisions"]
    assert [(r["date"], r["claimant"]) for r in revisions] == [
        ("2024-01-10", "UA general staff"),
        ("2024-01-12", "US officials (anonymous)"),
        ("2024-01-15", "RU defence ministry"),
        ("2024-02-01", "UA general staff"),
        ("2024-02-05", "GB defence ministry"),
    ]  # the US figure repeated on 2024-02-10 moves nothing: no revision
    assert revisions[0]["from"] is None
    assert revisions[3]["from"] == {"low": 6000, "best": 120000, "high": 380000}
    assert revisions[3]["to"] == {"low": 6000, "best": 120000, "high": 390000}
    assert "revised its estimate from 380,000" in revisions[3]["reason"]
    claim_of = {c["id"]: c["article_id"] for c in store.claims(limit=None)}
    assert claim_of[revisions[3]["claim_id"]] == war["gs2"]
    detail = series["disagreement_detail"]
    assert detail["by_side"] == {"RU": 6000, "UA": 390000, "third party": 110000}
    assert (detail["high_side"], detail["low_side"], detail["log10"]) == ("UA", "RU", 1.813)


def test_old_estimates_expire(store: Store, war: dict[str, int]) -> None:
    (summary,) = list_series(store, window_days=20)
    series = get_series(store, summary["id"], window_days=20)
    assert series is not None
    # On 2024-02-05 the 2024-01-12 US and 2024-01-15 RU figures are over 20 days old.
    expired = [r for r in series["revisions"] if "expired" in r["reason"]]
    assert [(r["date"], r["claimant"]) for r in expired] == [
        ("2024-02-01", "UA general staff"),
        ("2024-02-05", "US officials (anonymous)"),
        ("2024-02-05", "RU defence ministry"),
    ]
    assert expired[0]["to"] == {"low": 6000, "best": 63000, "high": 138000}
    assert series["latest"] == {"date": "2024-02-10", "low": 100000, "best": 120000, "high": 390000}
    assert summary["disagreement"] == pytest.approx(390000 / 110000, abs=1e-3)


def test_incidents_are_separate_series_and_a_toll_revision_moves_one(store: Store) -> None:
    kharkiv = {
        "text": "Kharkiv",
        "start": 0,
        "end": 7,
        "name": "Kharkiv",
        "country": "UA",
        "admin1": "Kharkiv Oblast",
        "iso3166_2": "UA-63",
        "precision": "city",
    }
    governor = speaker(
        "governor Oleh Syniehubov", role="governor", name="Oleh Syniehubov", country="UA", side="UA"
    )
    civilians = ("people", "UA:civilians", "UA")
    first = save(
        store,
        "k1",
        "A missile strike on Kharkiv killed seven people on Thursday, "
        "governor Oleh Syniehubov said.",
        "2024-05-23",
        "Reuters",
        "seven",
        low=7,
        best=7,
        high=7,
        who=governor,
        subject=civilians,
        place=kharkiv,
        event="2024-05-23",
        when="Thursday",
    )
    second = save(
        store,
        "k2",
        "The death toll from Thursday's strike on Kharkiv rose to 12 "
        "people, governor Oleh Syniehubov said.",
        "2024-05-24",
        "AP",
        "12",
        low=12,
        best=12,
        high=12,
        who=governor,
        subject=civilians,
        place=kharkiv,
        event="2024-05-23",
        when="Thursday",
    )
    other = save(
        store,
        "k3",
        "A drone strike on Kharkiv killed three people on Saturday, governor Oleh Syniehubov said.",
        "2024-06-01",
        "Reuters",
        "three",
        low=3,
        best=3,
        high=3,
        who=governor,
        subject=civilians,
        place=kharkiv,
        event="2024-06-01",
        when="Saturday",
    )
    for aid in (first, second, other):
        group(store, aid)
    found = list_series(store, kind="killed", sort="latest")
    assert [(s["scope"]["place"], s["scope"]["period"], s["n_claims"]) for s in found] == [
        ("UA-63", "incident 2024-05-23", 2),
        ("UA-63", "incident 2024-06-01", 1),
    ]
    series = get_series(store, found[0]["id"])
    assert series is not None
    (tl,) = series["timelines"]
    assert tl["claimant"] == "Oleh Syniehubov" and tl["type"] == "person"
    assert values(tl["points"]) == [("2024-05-23", 7, 7, 7), ("2024-05-24", 12, 12, 12)]
    assert [(r["from"], r["to"]["best"]) for r in series["revisions"]] == [
        (None, 7),
        ({"low": 7, "best": 7, "high": 7}, 12),
    ]
    assert series["disagreement"] is None and series["related"] == {}


def test_list_series_filters_sorts_and_pages(store: Store, war: dict[str, int]) -> None:
    save(
        store,
        "w1",
        "Ukraine's General Staff said 1,200,000 Russian soldiers were wounded since February 2022.",
        "2024-02-01",
        "Reuters",
        "1,200,000",
        kind="wounded",
        low=1200000,
        best=1200000,
        high=1200000,
        who=UA_GS,
        since="since February 2022",
    )
    everything = list_series(store)
    assert [s["kind"] for s in everything] == ["killed", "wounded"]  # -n_claims
    assert [s["kind"] for s in list_series(store, sort="n_claims")] == ["wounded", "killed"]
    assert [s["kind"] for s in list_series(store, kind="wounded")] == ["wounded"]
    assert list_series(store, subject_country="UA") == []
    assert [s["kind"] for s in list_series(store, min_claims=2)] == ["killed"]
    assert [s["kind"] for s in list_series(store, limit=1, offset=1)] == ["wounded"]
    assert [s["kind"] for s in list_series(store, sort="-disagreement")] == ["killed", "wounded"]
    with pytest.raises(ValueError):
        list_series(store, sort="record; DROP TABLE claims")
    killed = get_series(store, everything[0]["id"])
    assert killed is not None and killed["related"] == {"wounded": everything[1]["id"]}
    assert json.loads(json.dumps(killed)) == killed  # JSON-ready


def test_unknown_and_malformed_series_ids(store: Store, war: dict[str, int]) -> None:
    other = SeriesKey("killed", None, "RU", "RU:forces", None, "incident 2024-01-01")
    assert get_series(store, other.id) is None
    for bad in ("", "not base64!", "W10", "eyJhIjoxfQ"):
        assert get_series(store, bad) is None


# ----------------------------------------------------------------------------- pure functions


def test_claimants() -> None:
    def who(**row: Any) -> str:
        return claimant_of(row).label

    assert (
        who(speaker_text="Russia's defence ministry", speaker_country="RU")
        == (
            who(
                speaker_text="the Russian Defense Ministry",
                speaker_role="Defense Ministry",
                speaker_country="RU",
                speaker_anonymous=True,
            )
        )
        == "RU defence ministry"
    )
    assert (
        who(
            speaker_text="Defence Minister Andrei Belousov",
            speaker_name="Andrei Belousov",
            speaker_role="Defence Minister",
            speaker_country="RU",
        )
        == "RU defence ministry"
    )
    assert (
        who(
            speaker_text="a senior U.S. military official",
            speaker_country="US",
            speaker_anonymous=True,
        )
        == "US officials (anonymous)"
    )
    assert who(speaker_text="U.S. officials", speaker_country="US") == "US officials (anonymous)"
    assert who(speaker_text="sources", speaker_anonymous=True, outlet="Reuters") == (
        "anonymous sources (via Reuters)"
    )
    assert (
        who(
            speaker_text="governor Oleh Syniehubov",
            speaker_role="governor",
            speaker_name="Oleh Syniehubov",
            speaker_country="UA",
        )
        == "Oleh Syniehubov"
    )
    assert who(speaker_text="The United Nations", speaker_role="United Nations") == (
        "United Nations"
    )
    assert who(speaker_text="local aid workers") == "local aid workers"
    assert who(speaker_text=None, outlet="The Moscow Times", wire="AFP") == "AFP"
    assert who(speaker_text=None, outlet="Kyiv Independent") == "Kyiv Independent"


def test_scope_and_measure() -> None:
    assert scope_period({"time_text": "since February 2022"}) == "cumulative"
    assert scope_period({"sentence": "In total, 500 soldiers were killed."}) == "cumulative"
    assert (
        scope_period({"n_events": 1, "event_date": "2024-05-23", "sentence": "Seven were killed."})
        == "incident 2024-05-23"
    )
    assert scope_period({"n_events": 1}) == "incident"
    assert scope_period({"time_start": "2024-05-01", "time_end": "2024-05-31"}) == (
        "2024-05-01/2024-05-31"
    )
    assert scope_period({"sentence": "Seven were killed."}) == "unspecified"
    tanks = series_key(
        {
            "kind": "equipment",
            "unit": "Tanks",
            "subject_country": "ru",
            "time_text": "since 2022",
            "place_country": "UA",
        }
    )
    assert (tanks.unit, tanks.subject_country, tanks.place) == ("tank", "RU", None)
    killed = series_key({"kind": "killed", "unit": "soldiers", "place_country": "UA"})
    assert (killed.unit, killed.place, killed.period) == (None, "UA", "unspecified")
    assert SeriesKey.from_id(tanks.id) == tanks


def test_aggregate_and_disagreement_rules() -> None:
    assert aggregate_estimates([]) is None
    assert aggregate_estimates([{"low": None, "best": None, "high": 25000}]) == {
        "low": 25000,
        "best": None,
        "high": 25000,
        "open_low": True,
        "open_high": False,
    }
    assert (
        aggregate_estimates(
            [{"low": 10, "best": 10, "high": 10}, {"low": 20, "best": 21, "high": 30}]
        )["best"]
        == 15.5
    )
    assert side_disagreement([{"side": "UA", "best": 5}, {"side": "UA", "best": 7}]) is None
    assert side_disagreement([{"side": "UA", "best": 5}, {"side": None, "best": 50}]) is None
    zero = side_disagreement([{"side": "UA", "best": 0}, {"side": "RU", "best": 50}])
    assert zero is not None and zero["ratio"] is None


# ----------------------------------------------------------------------------- the migration


def test_revision_0002_upgrades_a_0001_database(db_url: str, tmp_path: Path) -> None:
    engine = create_store_engine(db_url)
    try:
        upgrade(engine, "0001")
        old = Store(engine)  # a sitrep of revision 0001 stores an article
        art = Article(id="a1", text="Shelling killed two civilians.", published=date(2024, 3, 2))
        assert old.save_article(
            art,
            {
                "schema": 1,
                "id": "a1",
                "claims": [
                    {
                        "id": "c1",
                        "start": 0,
                        "end": 30,
                        "quantity": {
                            "text": "two",
                            "kind": "killed",
                            "low": 2,
                            "best": 2,
                            "high": 2,
                        },
                        "evidence": [{"start": 0, "end": 30}],
                    }
                ],
            },
        )
        assert "origin" not in {c["name"] for c in inspect(engine).get_columns("articles")}
        with Store.open(db_url) as store:  # opening migrates to head
            assert (current_revision(engine) or "") >= "0002"  # head: 0002 or later
            (article,) = store.articles()
            assert article["origin"] == "text" and article["n_claims"] == 1
            path = tmp_path / "t.jsonl"
            path.write_text(json.dumps(economist_row()) + "\n", encoding="utf-8")
            assert import_claims(store, path)["stored"] == 1
            assert sorted(a["origin"] for a in store.articles()) == ["table", "text"]
        downgrade(engine, "0001")  # back: the column goes, the rows stay
        assert "origin" not in {c["name"] for c in inspect(engine).get_columns("articles")}
        assert old.count("articles") == 2 and old.count("claims") == 2
        upgrade(engine)
        with Store.open(db_url) as store:
            assert sorted(a["origin"] for a in store.articles()) == ["table", "text"]
    finally:
        engine.dispose()


@needs_data
def test_concurrent_imports_of_one_table_store_it_once(db_url: str) -> None:
    from concurrent.futures import ThreadPoolExecutor

    def run(_: int) -> dict[str, Any]:
        with Store.open(db_url) as own:
            return import_claims(own, ECONOMIST)

    with ThreadPoolExecutor(3) as pool:
        results = list(pool.map(run, range(3)))
    assert sorted(r["stored"] for r in results) == [0, 0, 116]
    with Store.open(db_url) as store:
        assert store.count("articles") == 116 and store.count("claims") == 116
        assert len(store.copy_groups(limit=None)) == 116


# ------------------------------------------------------------------- series that do not mix


def save_report(
    store: Store, ext_id: str, text: str, published: str, outlet: str,
    figures: list[dict[str, Any]], who: dict[str, Any] = UA_GS,
) -> None:
    """Store one article whose sentence states several figures, each a claim as the extractor
    writes it: ``figures`` give ``number``, ``kind``, ``best``, ``scope`` and optionally
    ``unit``, ``subject`` and a ``time`` (text, start date, end date)."""
    s = text.index(who["text"])
    claims = []
    for n, f in enumerate(figures):
        q = text.index(f["number"])
        claim: dict[str, Any] = {
            "id": f"c{n + 1}",
            "start": 0,
            "end": len(text),
            "quantity": {
                "text": f["number"], "start": q, "end": q + len(f["number"]),
                "kind": f["kind"], "low": f["best"], "best": f["best"], "high": f["best"],
                "approx": "exact", "rule": "test", "unit": f.get("unit"),
            },
            "speaker": {**who, "start": s, "end": s + len(who["text"])},
            "said_on": published,
            "evidence": [{"start": 0, "end": len(text)}],
            "scope": f["scope"],
        }
        subject = f.get("subject", "Russia")
        if subject:
            at = text.index(subject)
            claim["subject"] = {"text": subject, "start": at, "end": at + len(subject),
                                "actor": "RU:forces", "country": "RU"}
        if f.get("time"):
            words, first, last = f["time"]
            at = text.index(words)
            claim["time"] = {"text": words, "start": at, "end": at + len(words),
                             "date_start": first, "date_end": last, "precision": "day"}
        claims.append(claim)
    article = Article(id=ext_id, text=text, published=date.fromisoformat(published),
                      outlet=outlet)
    assert store.save_article(article, {"schema": 1, "id": ext_id, "claims": claims})


def test_a_days_losses_never_join_the_running_total(store: Store) -> None:
    for day, total, today in (("2024-11-04", "718,020", "1,550"),
                              ("2024-11-05", "719,600", "1,580")):
        text = (f"Russia has lost {total} troops since the start of the full-scale invasion, "
                f"including {today} in the past day, Ukraine's General Staff said.")
        save_report(store, f"gs-{day}", text, day, "Ukrinform", [
            {"number": total, "kind": "casualties", "best": int(total.replace(",", "")),
             "scope": "total", "time": ("since the start of the full-scale invasion",
                                        "2022-02-24", day)},
            {"number": today, "kind": "casualties", "best": int(today.replace(",", "")),
             "scope": "period", "time": ("in the past day", day, day)},
        ])
    found = {s["scope"]["period"]: s for s in list_series(store, kind="casualties")}
    assert sorted(found) == ["cumulative", "period 2024-11-04", "period 2024-11-05"]
    total = get_series(store, found["cumulative"]["id"])
    assert total is not None
    (gs,) = total["timelines"]
    assert [p["best"] for p in gs["points"]] == [718020, 719600]  # no drop to 1,580
    assert [a["best"] for a in total["aggregate"]] == [718020, 719600]
    day = get_series(store, found["period 2024-11-05"]["id"])
    assert day is not None and day["latest"]["best"] == 1580 and day["n_claims"] == 1


def test_an_incident_a_period_and_a_total_of_one_subject_are_three_series(store: Store) -> None:
    text = ("Ukraine's General Staff said a strike on a Russian column near Pokrovsk on Monday "
            "killed 40 Russian soldiers, 300 were killed across the front over the past week "
            "and 250,000 have been killed since February 2022.")
    save_report(store, "three", text, "2024-11-06", "Kyiv Independent", [
        {"number": "40", "kind": "killed", "best": 40, "scope": "incident",
         "time": ("on Monday", "2024-11-04", "2024-11-04")},
        {"number": "300", "kind": "killed", "best": 300, "scope": "period",
         "time": ("over the past week", "2024-10-30", "2024-11-06")},
        {"number": "250,000", "kind": "killed", "best": 250000, "scope": "total",
         "time": ("since February 2022", "2022-02-01", "2024-11-06")},
    ])
    periods = sorted(s["scope"]["period"] for s in list_series(store, kind="killed"))
    assert periods == ["cumulative", "incident 2024-11-04", "period 2024-10-30/2024-11-06"]


def test_tanks_and_drones_are_separate_series(store: Store) -> None:
    for day, tanks, drones in (("2024-11-04", "9,090", "19,404"),
                               ("2024-11-05", "9,101", "19,450")):
        text = (f"Russia has lost {tanks} tanks and {drones} drones since the invasion began, "
                f"Ukraine's General Staff said.")
        save_report(store, f"eq-{day}", text, day, "Ukrinform", [
            {"number": tanks, "kind": "equipment", "unit": "tanks", "scope": "total",
             "best": int(tanks.replace(",", ""))},
            {"number": drones, "kind": "equipment", "unit": "drones", "scope": "total",
             "best": int(drones.replace(",", ""))},
        ])
    # A third report names the unit in the singular and capitalised: still the tank series.
    save_report(store, "eq-late", "Ukraine's General Staff counted 9,110 destroyed Russian Tank "
                "hulls so far.", "2024-11-06", "Ukrinform", [
                    {"number": "9,110", "kind": "equipment", "unit": "Tank", "scope": "total",
                     "best": 9110}])
    found = {s["unit"]: s for s in list_series(store, kind="equipment")}
    assert sorted(found) == ["drone", "tank"]
    assert found["tank"]["n_claims"] == 3 and found["drone"]["n_claims"] == 2
    assert found["tank"]["latest"]["best"] == 9110 and found["drone"]["latest"]["best"] == 19450
    assert found["tank"]["label"].startswith("equipment (tank)")


def test_one_claimant_repeating_a_value_day_after_day_is_one_source(store: Store) -> None:
    text = ("Britain's defence ministry said {} Russian soldiers had been killed or wounded "
            "since the start of the war. ({})")
    # Three outlets on three days carry the same unchanged figure; then it is revised.
    for n, (day, outlet, figure) in enumerate((("2024-05-01", "BBC", "465,000"),
                                               ("2024-05-02", "Sky News", "465,000"),
                                               ("2024-05-03", "The Times", "465,000"),
                                               ("2024-05-20", "BBC", "500,000"))):
        save_report(store, f"uk{n}", text.format(figure, outlet), day, outlet, [
            {"number": figure, "kind": "casualties", "scope": "total",
             "best": int(figure.replace(",", ""))}], who=UK_MOD)
    (summary,) = list_series(store)
    assert summary["n_claims"] == 4 and summary["n_claimants"] == 1
    assert summary["n_sources"] == 2  # the figure of 1 May (repeated twice) and the revision
    series = get_series(store, summary["id"])
    assert series is not None
    points = line(series, "GB defence ministry")["points"]
    assert [(p["date"], p["repeat_of"], p["sources"]) for p in points] == [
        ("2024-05-01", None, 1),
        ("2024-05-02", "2024-05-01", 1),
        ("2024-05-03", "2024-05-01", 1),
        ("2024-05-20", None, 1),
    ]
    assert [a["n_sources"] for a in series["aggregate"]] == [1, 1, 1, 1]
    assert [r["date"] for r in series["revisions"]] == ["2024-05-01", "2024-05-20"]


def test_series_pages_show_the_unit(db_url: str) -> None:
    import warnings

    with warnings.catch_warnings():  # starlette: "install httpx2 instead"; httpx works
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    from sitrep.serve import create_app

    with Store.open(db_url) as store:
        text = "Ukraine's General Staff said Russia had lost 9,090 tanks and 19,404 drones so far."
        save_report(store, "units", text, "2024-11-04", "Ukrinform", [
            {"number": "9,090", "kind": "equipment", "unit": "tanks", "scope": "total",
             "best": 9090},
            {"number": "19,404", "kind": "equipment", "unit": "drones", "scope": "total",
             "best": 19404}])
        found = {s["unit"]: s["id"] for s in list_series(store)}
    with TestClient(create_app(db_url)) as client:
        listing = client.get("/series")
        assert listing.status_code == 200
        assert "(tank)" in listing.text and "(drone)" in listing.text
        for unit in ("tank", "drone"):
            page = client.get(f"/series/{found[unit]}")
            assert page.status_code == 200
            assert f"equipment ({unit})" in page.text and f"best ({unit})" in page.text
