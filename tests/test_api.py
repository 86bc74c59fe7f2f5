"""The JSON API (sitrep.serve): every endpoint, filters, paging, sorting, CSV, 422s, ingest.

Each test runs on both backends (the ``db_url`` fixture, via ``serve_db_url``) over the
articles of ``serve_corpus`` in tests/conftest.py, ingested through ``ingest_articles``.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from conftest import MALICIOUS_ID, SERVE_TOKEN

LISTS = ("articles", "claims", "statements", "events", "series")


def _items(client: Any, path: str, **params: Any) -> list[dict[str, Any]]:
    answer = client.get(path, params={"limit": 1000, **params})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["total"] == len(body["items"])
    return list(body["items"])


def _article_id(client: Any, ext_id: str) -> int:
    found = [a for a in _items(client, "/api/articles") if a["ext_id"] == ext_id]
    assert len(found) == 1, ext_id
    return int(found[0]["id"])


def _csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_every_list_answers_a_page(api_client: Any) -> None:
    for what in LISTS:
        answer = api_client.get(f"/api/{what}")
        assert answer.status_code == 200, (what, answer.text)
        body = answer.json()
        assert set(body) == {"total", "limit", "offset", "sort", "items", "next"}
        assert body["limit"] == 100 and body["offset"] == 0 and body["next"] is None
        assert body["total"] == len(body["items"]) > 0, what
        assert answer.headers["x-total-count"] == str(body["total"])
    stats = api_client.get("/api/stats").json()
    assert stats["articles"] == 10
    assert stats["claims"] == len(_items(api_client, "/api/claims"))
    assert stats["events"] == len(_items(api_client, "/api/events"))
    assert stats["statements"] == len(_items(api_client, "/api/statements"))
    assert stats["copy_groups"] == 9  # ten articles, one syndicated pair
    assert stats["claims_by_kind"]["casualties"] >= 7
    assert stats["series"] == len(_items(api_client, "/api/series"))
    assert stats["latest_run"]["stored"] == 10


def test_claim_filters(api_client: Any) -> None:
    claims = _items(api_client, "/api/claims")
    ru = _items(api_client, "/api/claims", subject_country="RU")
    assert len(ru) == 5 and all(c["subject_country"] == "RU" for c in ru)
    assert _items(api_client, "/api/claims", subject_country="ru") == ru  # case-insensitive
    killed = _items(api_client, "/api/claims", kind="killed")
    assert {c["kind"] for c in killed} == {"killed"} and len(killed) == 2  # Kharkiv's copy: once
    assert len(_items(api_client, "/api/claims", kind="killed", copies="true")) == 3
    both = _items(api_client, "/api/claims", kind=["killed", "wounded"])
    # wounded: Kharkiv's "at least 21" and "several of the wounded" (a part of them), its
    # copy's once
    assert len(both) == len(killed) + 2
    staff = _items(api_client, "/api/claims", speaker="general staff")
    assert [c["quantity"] for c in staff] == ["About 650,000", "About 710,000", "About 760,000"]
    gb = _items(api_client, "/api/claims", speaker_country="GB")
    assert {c["article_ext_id"] for c in gb} == {"ukmod-2024-10", "ukmod-2024-12"}
    anon = _items(api_client, "/api/claims", anonymous="true")
    assert all(c["speaker_anonymous"] is True for c in anon)
    assert "a senior U.S. military official" in {c["speaker_text"] for c in anon}
    named = _items(api_client, "/api/claims", anonymous="false")
    assert all(c["speaker_anonymous"] is False for c in named)
    assert {c["speaker_text"] for c in named} >= {"regional governor Oleh Syniehubov"}
    assert len(anon) + len(named) == len([c for c in claims if c["speaker_text"]])
    kharkiv = _items(api_client, "/api/claims", place="kharkiv")
    assert len(kharkiv) == 2 and {c["place_name"] for c in kharkiv} == {"Kharkiv"}
    autumn = _items(api_client, "/api/claims", said_from="2024-10-08", said_to="2024-11-30")
    assert {c["said_on"] for c in autumn} <= {f"2024-{m}" for m in ("11-11", "11-20", "11-02",
                                                                   "11-01", "10-10")}
    assert all("2024-10-08" <= c["said_on"] <= "2024-11-30" for c in autumn) and autumn
    published = _items(api_client, "/api/claims", published_from="2024-12-01")
    assert {c["article_ext_id"] for c in published} == {"gs-2024-12", "ukmod-2024-12",
                                                        "dprk-kursk"}
    text = _items(api_client, "/api/claims", q="syniehubov", copies="true")
    assert len(text) == 6  # Kharkiv's three claims in the wire story and its copy
    aid = _article_id(api_client, "dprk-kursk")
    one = _items(api_client, "/api/claims", article_id=aid)
    assert [c["quantity"] for c in one] == ["several hundred"]
    bbc = _items(api_client, "/api/claims", outlet="bbc")
    assert len(bbc) == 2
    combined = _items(api_client, "/api/claims", subject_country="RU", speaker_country="UA",
                      said_from="2024-11-01")
    assert [c["quantity"] for c in combined] == ["About 710,000", "About 760,000"]
    # Every claim has its evidence spans and its number of independent sources.
    for c in claims:
        assert c["evidence"] and all(e["start"] < e["end"] for e in c["evidence"])
        assert c["sources"] >= 1 and "record" not in c
    copied = [c for c in claims if c["article_ext_id"].startswith("kharkiv")]
    assert {c["sources"] for c in copied} == {1}  # a syndicated copy is not a second source
    with_record = _items(api_client, "/api/claims", kind="killed", record="true")
    assert all(c["record"]["quantity"]["kind"] == "killed" for c in with_record)


def test_statement_event_article_filters(api_client: Any) -> None:
    statements = _items(api_client, "/api/statements")
    assert statements and all("content" in s for s in statements)
    anon = _items(api_client, "/api/statements", anonymous="true")
    assert anon and all(s["speaker_anonymous"] for s in anon)
    ua = _items(api_client, "/api/statements", speaker_country="UA")
    assert ua and {s["speaker_country"] for s in ua} == {"UA"}
    direct = _items(api_client, "/api/statements", quote="direct")
    assert all(s["quote"] == "direct" for s in direct)
    rescuers = _items(api_client, "/api/statements", q="rescuers")
    assert rescuers and all("Rescuers" in s["content"] for s in rescuers)

    events = _items(api_client, "/api/events")
    ua_events = _items(api_client, "/api/events", country="UA")
    assert ua_events and {e["country"] for e in ua_events} == {"UA"}
    kharkiv = _items(api_client, "/api/events", place="Kharkiv", copies="true")
    assert len(kharkiv) == 2 and all(e["killed_best"] == 7 for e in kharkiv)
    assert len(_items(api_client, "/api/events", place="Kharkiv")) == 1  # the copy's: once
    may = _items(api_client, "/api/events", date_from="2024-05-01", date_to="2024-05-31",
                 copies="true")
    assert {e["article_ext_id"] for e in may} == {"kharkiv-wire", "kharkiv-copy"}
    battles = _items(api_client, "/api/events", type="battles")
    assert battles and {e["type"] for e in battles} == {"Battles"}
    assert len(_items(api_client, "/api/events", type=["Battles", "Explosions/Remote violence"])
               ) == len(events)
    assert all(e["claim_ids"] for e in events)

    articles = _items(api_client, "/api/articles")
    assert len(articles) == 10 and all("text" not in a for a in articles)
    pokrovsk = _items(api_client, "/api/articles", q="pokrovsk")
    assert [a["ext_id"] for a in pokrovsk] == ["gs-2024-11"]
    bbc = _items(api_client, "/api/articles", outlet="BBC")
    assert {a["ext_id"] for a in bbc} == {"ukmod-2024-10", "ukmod-2024-12"}
    december = _items(api_client, "/api/articles", published_from="2024-12-01",
                      published_to="2024-12-31")
    assert {a["ext_id"] for a in december} == {"gs-2024-12", "ukmod-2024-12", "dprk-kursk"}
    group = next(a["copy_group"] for a in articles if a["ext_id"] == "kharkiv-wire")
    pair = _items(api_client, "/api/articles", copy_group=group)
    assert {a["ext_id"] for a in pair} == {"kharkiv-wire", "kharkiv-copy"}


def test_pagination(api_client: Any) -> None:
    total = api_client.get("/api/claims").json()["total"]
    seen: list[int] = []
    url: str | None = "/api/claims?limit=4&sort=id"
    pages = 0
    while url:
        body = api_client.get(url).json()
        assert body["total"] == total and body["limit"] == 4
        seen += [c["id"] for c in body["items"]]
        url = body["next"]
        pages += 1
    assert seen == sorted(seen) and len(seen) == len(set(seen)) == total
    assert pages == -(-total // 4)
    answer = api_client.get("/api/claims", params={"limit": 3, "offset": 3})
    assert 'rel="next"' in answer.headers["link"]
    assert [c["id"] for c in answer.json()["items"]] == seen[3:6]
    assert api_client.get("/api/claims", params={"limit": 0}).json()["items"] == []
    assert api_client.get("/api/claims", params={"offset": 10_000}).json()["items"] == []
    assert api_client.get("/api/claims", params={"limit": 1000}).status_code == 200
    for bad in ({"limit": 1001}, {"limit": -1}, {"offset": -1}, {"limit": "ten"},
                {"offset": 10**12}):
        answer = api_client.get("/api/claims", params=bad)
        assert answer.status_code == 422, bad
        assert answer.json()["detail"][0]["loc"][-1] in bad
    series = api_client.get("/api/series", params={"limit": 1}).json()
    assert len(series["items"]) == 1 and (series["next"] is not None) == (series["total"] > 1)


def test_sorting(api_client: Any) -> None:
    best = [c["best"] for c in _items(api_client, "/api/claims", sort="-best")]
    present = [b for b in best if b is not None]
    assert present == sorted(present, reverse=True) and best[: len(present)] == present
    said = [c["said_on"] for c in _items(api_client, "/api/claims", sort="said_on")]
    assert said == sorted(said)
    published = [a["published"] for a in _items(api_client, "/api/articles", sort="-published")]
    assert published == sorted(published, reverse=True)
    dates = [e["date_start"] for e in _items(api_client, "/api/events", sort="date_start")]
    assert dates == sorted(dates)
    n = [s["n_claims"] for s in _items(api_client, "/api/series", sort="-n_claims")]
    assert n == sorted(n, reverse=True)
    for what in LISTS:
        answer = api_client.get(f"/api/{what}", params={"sort": "text"})
        assert answer.status_code == 422, what
        detail = answer.json()["detail"][0]
        assert detail["loc"] == ["query", "sort"]
        assert "cannot sort" in detail["msg"] and "choose one of" in detail["msg"]


def test_csv_for_every_list(api_client: Any) -> None:
    for what in LISTS:
        body = api_client.get(f"/api/{what}", params={"limit": 1000}).json()
        for url in (f"/api/{what}?format=csv&limit=1000", f"/api/{what}.csv?limit=1000"):
            answer = api_client.get(url)
            assert answer.status_code == 200, (url, answer.text)
            assert answer.headers["content-type"].startswith("text/csv")
            rows = _csv_rows(answer.text)
            assert len(rows) == body["total"], url
            assert [r["id"] for r in rows] == [str(i["id"]) for i in body["items"]]
    claims = _csv_rows(api_client.get("/api/claims.csv", params={"kind": "killed"}).text)
    assert len(claims) == 2 and {r["kind"] for r in claims} == {"killed"}
    assert all(r["evidence"].startswith("[{") for r in claims)
    series = _csv_rows(api_client.get("/api/series.csv").text)
    assert {"scope_period", "latest_best", "n_claimants"} <= set(series[0])
    empty = api_client.get("/api/claims.csv", params={"kind": "money"})
    assert empty.status_code == 200 and empty.text.splitlines()[0].startswith("id,article_id")
    assert len(_csv_rows(empty.text)) == 0
    assert api_client.get("/api/claims", params={"format": "xml"}).status_code == 422


def test_article_detail_with_copies(api_client: Any) -> None:
    wire = _article_id(api_client, "kharkiv-wire")
    copy = _article_id(api_client, "kharkiv-copy")
    body = api_client.get(f"/api/articles/{wire}").json()
    assert body["ext_id"] == "kharkiv-wire" and body["text"].startswith("Missile strike")
    assert [c["id"] for c in body["copies"]] == [copy]
    assert body["copies"][0]["outlet"] == "Daily Courier"
    kinds = sorted(c["kind"] for c in body["claims"])
    assert kinds == ["killed", "wounded", "wounded"]  # "at least 21", "several of the wounded"
    seven = next(c for c in body["claims"] if c["kind"] == "killed")
    assert seven["record"]["quantity"]["text"] == "seven"
    q = seven["record"]["quantity"]
    assert body["text"][q["start"]:q["end"]] == "seven"
    stated = [body["text"][e["start"]:e["end"]] for e in seven["evidence"]]
    assert any("killed seven people" in s for s in stated), stated
    assert seven["sources"] == 1 and seven["record"]["reasons"]
    assert body["statements"] and body["statements"][0]["record"]["content"]
    assert len(body["events"]) == 1 and body["events"][0]["killed_best"] == 7
    assert body["times"] and body["places"]
    back = api_client.get(f"/api/articles/{copy}").json()
    assert [c["id"] for c in back["copies"]] == [wire]
    alone = api_client.get(f"/api/articles/{_article_id(api_client, 'dprk-kursk')}").json()
    assert alone["copies"] == []
    assert api_client.get("/api/articles/999999").status_code == 404
    assert api_client.get("/api/articles/abc").status_code == 422
    assert api_client.get("/api/articles/0").status_code == 422


def test_series(api_client: Any) -> None:
    listed = _items(api_client, "/api/series")
    for s in listed:
        assert {"id", "kind", "subject_country", "subject_actor", "scope", "n_claims",
                "n_claimants", "n_sources", "latest", "disagreement"} <= set(s)
    busiest = listed[0]
    assert busiest["kind"] == "casualties" and busiest["subject_country"] == "RU"
    assert busiest["n_claims"] == 5 and busiest["n_claimants"] == 2
    assert busiest["scope"]["period"] == "cumulative"
    one = api_client.get(f"/api/series/{busiest['id']}").json()
    lines = {t["claimant"]: [p["best"] for p in t["points"]] for t in one["timelines"]}
    assert sorted(len(v) for v in lines.values()) == [2, 3]
    assert [650_000, 710_000, 760_000] in lines.values()
    assert one["aggregate"] and all(
        a["low"] <= a["best"] <= a["high"] for a in one["aggregate"] if a["high"] is not None
    )
    point = one["timelines"][0]["points"][0]
    assert {"claim_id", "article_id", "evidence", "quantity", "sentence"} <= set(point)
    csv_rows = _csv_rows(api_client.get(f"/api/series/{busiest['id']}.csv").text)
    assert len(csv_rows) == 5 and {r["series_id"] for r in csv_rows} == {busiest["id"]}
    assert _items(api_client, "/api/series", kind="casualties", subject_country="RU",
                  min_claims=5) == [busiest]
    assert _items(api_client, "/api/series", kind="money") == []
    assert api_client.get("/api/series/not-a-series").status_code == 404
    assert api_client.get("/api/series", params={"kind": "nonsense"}).status_code == 422
    assert api_client.get("/api/series", params={"min_claims": 0}).status_code == 422


def test_invalid_parameters_are_422_with_a_message(api_client: Any) -> None:
    cases = [
        ("/api/claims", {"said_from": "2024-13-45"}),
        ("/api/claims", {"said_to": "yesterday"}),
        ("/api/claims", {"kind": "deaths"}),
        ("/api/claims", {"subject_country": "Russia"}),
        ("/api/claims", {"anonymous": "maybe"}),
        ("/api/claims", {"article_id": "x"}),
        ("/api/claims", {"q": "a" * 201}),
        ("/api/claims", {"speaker": "tab\tand\x00nul"}),
        ("/api/statements", {"quote": "paraphrase"}),
        ("/api/events", {"date_from": "2024/05/01"}),
        ("/api/events", {"country": "UKR"}),
        ("/api/articles", {"published_to": "2024-02-30"}),
        ("/api/articles", {"copy_group": "-1"}),
    ]
    for path, params in cases:
        answer = api_client.get(path, params=params)
        assert answer.status_code == 422, (path, params, answer.text)
        detail = answer.json()["detail"]
        assert detail and detail[0]["msg"], detail
        assert detail[0]["loc"][1] == next(iter(params)), detail
    # An empty value means no filter (as an HTML form sends it).
    assert api_client.get("/api/claims", params={"kind": "", "q": ""}).status_code == 200


def test_openapi_lists_every_endpoint(api_client: Any) -> None:
    spec = api_client.get("/openapi.json").json()
    paths = set(spec["paths"])
    for path in ("/api/articles", "/api/articles/{article_id}", "/api/claims",
                 "/api/statements", "/api/events", "/api/series",
                 "/api/series/{series_id}", "/api/stats", "/api/claims.csv"):
        assert path in paths, path
    assert "post" in spec["paths"]["/api/articles"]
    body = spec["paths"]["/api/articles"]["post"]["requestBody"]["content"]["application/json"]
    assert "text" in body["schema"]["anyOf"][0]["properties"]
    params = {p["name"] for p in spec["paths"]["/api/claims"]["get"]["parameters"]}
    assert {"kind", "subject_country", "speaker", "speaker_country", "anonymous", "place",
            "said_from", "said_to", "q", "limit", "offset", "sort", "format"} <= params
    assert api_client.get("/docs").status_code == 404  # Swagger UI would load from a CDN


def test_post_articles_ingests_with_the_token(api_client: Any) -> None:
    auth = {"Authorization": f"Bearer {SERVE_TOKEN}"}
    before = api_client.get("/api/stats").json()
    article = {
        "id": "odesa-1", "published": "2024-11-18", "outlet": "Example Wire",
        "title": "Missile strike on Odesa", "url": "https://wire.example/odesa-1",
        "text": "A Russian missile strike on Odesa killed ten people and wounded 44 on Monday, "
                "regional governor Oleh Kiper said.",
    }
    answer = api_client.post("/api/articles", json=article, headers=auth)
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["stored"] == 1 and body["read"] == 1 and body["rejected"] == 0
    new_id = body["articles"][0]["article_id"]
    detail = api_client.get(f"/api/articles/{new_id}").json()
    assert detail["ext_id"] == "odesa-1"
    assert sorted(c["quantity"] for c in detail["claims"]) == ["44", "ten"]
    assert api_client.get("/api/stats").json()["articles"] == before["articles"] + 1
    assert len(_items(api_client, "/api/claims", q="Kiper")) == 2  # caches were refreshed
    again = api_client.post("/api/articles", json=[article], headers=auth)
    assert again.status_code == 200 and again.json()["known"] == 1
    assert again.json()["stored"] == 0


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({"id": "x", "published": "2024-01-01"}, "text"),
        ({"id": "x", "text": "   ", "published": "2024-01-01"}, "text"),
        ({"id": "x", "text": "Two died.", "published": "2024-13-45"}, "published"),
        ({"id": "x", "text": "Two died."}, "published"),
        ({"text": "Two died.", "published": "2024-01-01"}, "id"),
        ({"id": "x", "text": "Two died.", "published": "2024-01-01", "url": "javascript:x"},
         "url"),
        ({"id": "x", "text": "Two died.", "published": "2024-01-01", "txt": "typo"}, "txt"),
        ({"id": "x", "text": 5, "published": "2024-01-01"}, "text"),
        ({"id": "x", "text": "Two\x00died.", "published": "2024-01-01"}, "text"),
        ([{"id": "x", "text": "Two died.", "published": "2024-01-01"}, {"id": "y"}], "text"),
        ("just a string", None),
        ([], None),
    ],
)
def test_post_articles_rejects_invalid_bodies(api_client: Any, body: Any,
                                              where: str | None) -> None:
    auth = {"Authorization": f"Bearer {SERVE_TOKEN}"}
    before = api_client.get("/api/stats").json()
    answer = api_client.post("/api/articles", json=body, headers=auth)
    assert answer.status_code == 422, answer.text
    detail = answer.json()["detail"]
    assert detail
    if where is not None:
        assert any(where in map(str, d["loc"]) for d in detail), detail
    assert api_client.get("/api/stats").json()["articles"] == before["articles"]


def test_post_articles_rejects_non_json(api_client: Any) -> None:
    auth = {"Authorization": f"Bearer {SERVE_TOKEN}", "Content-Type": "application/json"}
    answer = api_client.post("/api/articles", content=b"{not json", headers=auth)
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["type"] == "json_invalid"


def test_malicious_article_is_plain_data_in_the_api(api_client: Any) -> None:
    aid = _article_id(api_client, MALICIOUS_ID)
    answer = api_client.get(f"/api/articles/{aid}")
    assert answer.headers["content-type"].startswith("application/json")
    assert "<script>" in answer.json()["text"]  # stored as it came, escaped only on display
    assert answer.headers["x-content-type-options"] == "nosniff"


def test_without_the_tracker_series_are_503_and_the_rest_works(
    api_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sitrep.serve.data import Backend, TrackerMissing

    def missing(self: Backend) -> Any:
        raise TrackerMissing("series need sitrep.analyse.track")

    monkeypatch.setattr(Backend, "tracker", missing)
    api_client.app.state.backend.invalidate()
    for path in ("/api/series", "/api/series/abc", "/api/series.csv"):
        answer = api_client.get(path)
        assert answer.status_code == 503 and "sitrep.analyse.track" in answer.json()["detail"]
    assert api_client.get("/series").status_code == 503
    overview = api_client.get("/")
    assert overview.status_code == 200 and "Series are not available" in overview.text
    assert api_client.get("/api/stats").json()["series"] is None
    assert api_client.get("/api/claims").status_code == 200


@pytest.mark.parametrize("path", ["/", "/claims", "/events", "/series", "/api/stats",
                                  "/api/claims", "/api/claims.csv", "/api/events?country=UA"])
def test_head_answers_like_get_without_a_body(api_client: Any, path: str) -> None:
    got = api_client.get(path)
    head = api_client.head(path)
    assert head.status_code == got.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    assert head.headers["content-security-policy"] == got.headers["content-security-policy"]


def test_head_of_an_unknown_path_is_404_as_for_get(api_client: Any) -> None:
    for path in ("/api/nothing-here", "/nothing-here"):
        assert api_client.head(path).status_code == api_client.get(path).status_code == 404
