"""Security of sitrep.serve: SQL injection through every parameter, authenticated writes,
untrusted article text on the dashboard.

Each test runs on both backends (``serve_db_url``). The injection strings go into every query
parameter that the OpenAPI document lists for every list endpoint (so a parameter added later
is covered too), into the path parameters and into the dashboard's forms: each answer must be a
422 or an empty result, never a 500 and never rows from elsewhere, and the database must be
intact afterwards.
"""

from __future__ import annotations

import warnings
from typing import Any
from urllib.parse import quote

import pytest

from conftest import MALICIOUS_ID, SERVE_TOKEN

with warnings.catch_warnings():  # starlette: "install httpx2 instead"; httpx works
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from sitrep.serve import create_app

INJECTIONS = [
    "' OR '1'='1",
    "' OR 1=1 --",
    "1 OR 1=1",
    "1; DROP TABLE claims; --",
    "'; DROP TABLE articles; --",
    '" OR ""="',
    "') OR ('a'='a",
    "1' UNION SELECT id, text FROM articles --",
    "%' OR 1=1 --",
    "' OR 1=1#",
    "1)) OR ((1=1",
    "admin'--",
    "'||(SELECT text FROM articles LIMIT 1)||'",
    "UA' OR subject_country IS NOT NULL --",
    "killed' OR kind IS NOT NULL --",
    "2024-01-01' OR '1'='1",
    "2024-01-01; DELETE FROM claims",
    "'; SELECT pg_sleep(5); --",
    "1 AND 1=(SELECT COUNT(*) FROM sqlite_master)",
    "id; DROP TABLE events",
    "-id, (SELECT 1)",
    "\\",
    "%",
    "\x00",
    "' OR '1'='1' /*",
    "*/ OR 1=1 /*",
    "𝕌𝔸' OR 1=1 --",
    "9" * 40,
]

LISTS = ("/api/articles", "/api/claims", "/api/statements", "/api/events", "/api/series")
PAGES = ("/claims", "/statements", "/events", "/articles", "/series")


def _counts(client: Any) -> dict[str, int]:
    stats = client.get("/api/stats").json()
    return {k: stats[k] for k in ("articles", "claims", "statements", "events")}


def _parameters(client: Any, path: str) -> list[str]:
    spec = client.get("/openapi.json").json()
    return [p["name"] for p in spec["paths"][path]["get"]["parameters"] if p["in"] == "query"]


def test_every_list_parameter_resists_sql_injection(api_client: Any) -> None:
    before = _counts(api_client)
    tried = 0
    for path in LISTS:
        names = _parameters(api_client, path)
        assert {"limit", "offset", "sort"} <= set(names), path
        for name in names:
            for value in INJECTIONS:
                answer = api_client.get(path, params={name: value})
                tried += 1
                assert answer.status_code in (200, 422), (path, name, value, answer.text)
                if answer.status_code == 200:
                    assert answer.json()["items"] == [], (path, name, value)
                    assert answer.json()["total"] == 0, (path, name, value)
                else:
                    assert answer.json()["detail"], (path, name, value)
            # The same with the value repeated and in CSV: never a 500.
            answer = api_client.get(f"{path}.csv", params=[(name, INJECTIONS[0])] * 2)
            assert answer.status_code in (200, 422), (path, name)
    assert tried > 40 * len(INJECTIONS)
    assert _counts(api_client) == before
    assert api_client.get("/api/claims", params={"limit": 1}).json()["items"]


def test_wildcards_are_literal(api_client: Any) -> None:
    assert api_client.get("/api/claims", params={"q": "%"}).json()["items"] == []
    underscored = api_client.get("/api/claims", params={"q": "_", "limit": 1000}).json()
    assert underscored["items"], "the malicious article's text has underscores"
    for row in underscored["items"]:
        text = " ".join(str(row.get(k) or "") for k in ("quantity", "sentence", "speaker_text",
                                                          "speaker_name"))
        assert "_" in text, row
    assert api_client.get("/api/articles", params={"q": "%%"}).json()["items"] == []


def test_path_parameters_resist_injection(api_client: Any) -> None:
    for value in INJECTIONS:
        if value == "\x00":
            continue
        for path in ("/api/articles/", "/api/series/", "/articles/", "/series/"):
            answer = api_client.get(path + quote(value, safe=""))
            assert answer.status_code in (404, 422), (path, value, answer.status_code)


def test_dashboard_forms_resist_injection(api_client: Any) -> None:
    before = _counts(api_client)
    fields = {
        "/claims": ("kind", "subject_country", "speaker", "speaker_country", "anonymous",
                    "place", "said_from", "said_to", "q", "sort", "limit", "offset"),
        "/statements": ("speaker", "speaker_country", "anonymous", "quote", "q", "sort"),
        "/events": ("country", "place", "date_from", "date_to", "q", "sort"),
        "/articles": ("q", "outlet", "published_from", "copy_group", "sort"),
        "/series": ("kind", "subject_country", "min_claims", "sort"),
    }
    for path in PAGES:
        for name in fields[path]:
            for value in INJECTIONS[:12]:
                answer = api_client.get(path, params={name: value})
                assert answer.status_code in (200, 422), (path, name, value)
                assert answer.headers["content-type"].startswith("text/html")
                if path == "/claims" and answer.status_code == 200:
                    assert 'id="claim-row-' not in answer.text, (name, value)
    assert _counts(api_client) == before


def _post(client: Any, headers: dict[str, str] | None = None, body: Any = None,
          **kwargs: Any) -> Any:
    article = body if body is not None else {
        "id": "mariupol-1", "published": "2024-03-16", "outlet": "Example Wire",
        "text": "A strike on the drama theatre in Mariupol killed about 300 people, city "
                "officials said on Friday.",
    }
    return client.post("/api/articles", json=article, headers=headers or {}, **kwargs)


def test_writes_need_the_right_token(api_client: Any) -> None:
    before = _counts(api_client)
    wrong = [
        None,
        {"Authorization": "Bearer wrong-token"},
        {"Authorization": "Bearer "},
        {"Authorization": "Bearer"},
        {"Authorization": f"Bearer {SERVE_TOKEN}x"},
        {"Authorization": f"Bearer {SERVE_TOKEN[:-1]}"},
        {"Authorization": f"Bearer {SERVE_TOKEN.upper()}"},
        {"Authorization": f"Basic {SERVE_TOKEN}"},
        {"Authorization": SERVE_TOKEN},
        {"Authorization": "Bearer ' OR '1'='1"},
        {"X-Token": SERVE_TOKEN},
    ]
    for headers in wrong:
        answer = _post(api_client, headers)
        assert answer.status_code == 401, (headers, answer.text)
        assert answer.headers["www-authenticate"] == "Bearer"
        assert answer.json()["detail"]
    # The token in the query string is not a token.
    assert api_client.post(f"/api/articles?token={SERVE_TOKEN}", json={}).status_code == 401
    # The token is checked before the body: a bad body without a token is still a 401.
    answer = api_client.post("/api/articles", content=b"{broken",
                             headers={"Content-Type": "application/json"})
    assert answer.status_code == 401
    assert _counts(api_client) == before
    assert api_client.get("/api/articles", params={"q": "Mariupol"}).json()["items"] == []
    # Other methods are not allowed at all.
    auth = {"Authorization": f"Bearer {SERVE_TOKEN}"}
    assert api_client.put("/api/articles", json={}, headers=auth).status_code == 405
    assert api_client.delete("/api/articles/1", headers=auth).status_code == 405
    assert api_client.post("/api/claims", json={}, headers=auth).status_code == 405
    # With the token, it is stored.
    answer = _post(api_client, auth)
    assert answer.status_code == 201, answer.text
    assert answer.json()["stored"] == 1
    assert _counts(api_client)["articles"] == before["articles"] + 1
    found = api_client.get("/api/articles", params={"q": "Mariupol"}).json()["items"]
    assert [a["ext_id"] for a in found] == ["mariupol-1"]


def test_without_a_configured_token_the_server_is_read_only(
    serve_db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SITREP_TOKEN", raising=False)
    with TestClient(create_app(serve_db_url)) as client:
        before = _counts(client)
        for headers in (None, {"Authorization": "Bearer "}, {"Authorization": "Bearer None"},
                        {"Authorization": f"Bearer {SERVE_TOKEN}"}):
            answer = _post(client, headers)
            assert answer.status_code == 401, headers
            assert "disabled" in answer.json()["detail"]
        assert _counts(client) == before
    monkeypatch.setenv("SITREP_TOKEN", "from-the-environment")
    with TestClient(create_app(serve_db_url)) as client:
        assert _post(client, {"Authorization": f"Bearer {SERVE_TOKEN}"}).status_code == 401
        answer = _post(client, {"Authorization": "Bearer from-the-environment"})
        assert answer.status_code == 201, answer.text


def test_malicious_article_is_shown_as_text(api_client: Any) -> None:
    found = api_client.get("/api/articles", params={"limit": 1000}).json()["items"]
    evil = next(a for a in found if a["ext_id"] == MALICIOUS_ID)
    claims = api_client.get("/api/claims", params={"article_id": evil["id"]}).json()["items"]
    pages = [f"/articles/{evil['id']}", f"/articles/{evil['id']}?claim={claims[0]['id']}",
             "/articles", "/claims", "/statements", "/events", "/"]
    for url in pages:
        answer = api_client.get(url)
        assert answer.status_code == 200, url
        html = answer.text
        for raw in ("<script>window", "<img src=x", "<svg onload", 'href="javascript:',
                    "href='javascript:", "<a href=\"javascript"):
            assert raw not in html, (url, raw)
        csp = dict(
            d.strip().split(" ", 1) for d in answer.headers["content-security-policy"].split(";")
        )
        assert csp["script-src"] == "'self'", csp
        assert answer.headers["x-content-type-options"] == "nosniff"
    page = api_client.get(f"/articles/{evil['id']}").text
    assert "&lt;script&gt;window.__pwned=&#39;text&#39;" in page
    assert "&lt;img src=x onerror=" in page
    assert "javascript:window.__pwned=&#39;url&#39;" in page  # shown as text, not a link
