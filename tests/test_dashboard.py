"""The dashboard in a real browser: headless Chromium driven by Playwright.

``live_server`` (tests/conftest.py) runs `sitrep serve` on 127.0.0.1 and a free port over a
SQLite file filled through ``ingest_articles``. Every request the browser makes to any other
address is blocked and recorded, so a page that needs a CDN fails here. Screenshots go to each
test's ``tmp_path``.

Needs the ``playwright`` Python package and a Chromium binary (Debian: ``apt-get install -y
chromium``; ``$SITREP_CHROMIUM`` names another). Playwright's own browser download is never
used. Without them the tests are skipped locally and fail with CI=true.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from conftest import MALICIOUS_ID

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def _unavailable(message: str) -> None:
    if _in_ci():
        pytest.fail(message + " [CI=true: the browser tests must run]", pytrace=False)
    pytest.skip(message)


def _chromium() -> str:
    path = os.environ.get("SITREP_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.access(path, os.X_OK):
        _unavailable(
            "Chromium not found: install it (Debian: apt-get install -y chromium) or set "
            "SITREP_CHROMIUM"
        )
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium (Debian's), launched through Playwright."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright Python package is not installed (pip install playwright)")
    executable = _chromium()
    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS,
                                      headless=True)
        try:
            yield launched
        finally:
            launched.close()


@dataclass
class Tab:
    """A browser page with what it logged: console errors, dialogs, blocked requests."""

    page: Any
    base: str
    shots: Path
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    requested: list[str] = field(default_factory=list)

    def open(self, path: str, *, charts: bool = False) -> Any:
        """Go to ``path``; wait for the charts to be drawn when the page has some."""
        answer = self.page.goto(self.base + path, wait_until="load")
        assert answer is not None and answer.ok, (path, answer and answer.status)
        if charts:
            self.page.wait_for_selector("body[data-charts]", timeout=30_000)
            state = self.page.get_attribute("body", "data-charts")
            assert state == "ready", (path, state, self.errors)
        return answer

    def shot(self, name: str) -> Path:
        """A full-page screenshot under the test's tmp_path."""
        target = self.shots / f"{name}.png"
        self.page.screenshot(path=str(target), full_page=True)
        assert target.stat().st_size > 1000
        return target

    def clean(self, where: str) -> None:
        """No console error, no dialog and no request off this server so far."""
        assert not self.errors, (where, self.errors)
        assert not self.dialogs, (where, self.dialogs)
        assert not self.blocked, (where, self.blocked)


@pytest.fixture
def tab(browser: Any, live_server: str, tmp_path: Path) -> Iterator[Tab]:
    """A fresh browser context on the live server; requests elsewhere are blocked."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    shots = tmp_path / "screenshots"
    shots.mkdir()
    t = Tab(page=page, base=live_server, shots=shots)
    origin = urllib.parse.urlsplit(live_server)

    def route(r: Any) -> None:
        url = r.request.url
        parts = urllib.parse.urlsplit(url)
        if parts.scheme in ("data", "blob") or (
            parts.scheme == origin.scheme and parts.netloc == origin.netloc
        ):
            t.requested.append(parts.path)
            r.continue_()
        else:
            t.blocked.append(url)
            r.abort()

    context.route("**/*", route)
    page.on("console", lambda m: t.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: t.errors.append(f"page error: {e}"))

    def dialog(d: Any) -> None:
        t.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", dialog)
    try:
        yield t
    finally:
        context.close()


def _api(base: str, path: str, **params: Any) -> Any:
    query = urllib.parse.urlencode({"limit": 1000, **params}, doseq=True)
    with urllib.request.urlopen(f"{base}{path}?{query}", timeout=30) as answer:
        return json.loads(answer.read())


def _busiest_series(base: str) -> dict[str, Any]:
    listed = _api(base, "/api/series")["items"]
    multi = [s for s in listed if s["n_claimants"] >= 2]
    assert multi, "the serve corpus has a series with two claimants"
    with urllib.request.urlopen(f"{base}/api/series/{multi[0]['id']}", timeout=30) as answer:
        found: dict[str, Any] = json.loads(answer.read())
    return found


def test_every_page_loads_without_console_errors(tab: Tab, live_server: str) -> None:
    articles = _api(live_server, "/api/articles")["items"]
    series = _api(live_server, "/api/series")["items"]
    claims = _api(live_server, "/api/claims")["items"]
    pages: list[tuple[str, bool]] = [
        ("/", False), ("/claims", False), ("/claims?kind=killed&anonymous=false", False),
        ("/statements", False), ("/statements?quote=direct", False), ("/events", True),
        ("/events?country=UA", True), ("/articles", False), ("/articles?q=Kursk", False),
        ("/series", False),
    ]
    pages += [(f"/articles/{a['id']}", False) for a in articles]
    pages += [(f"/articles/{c['article_id']}?claim={c['id']}#claim-{c['id']}", False)
              for c in claims[:3]]
    pages += [(f"/series/{s['id']}", True) for s in series]
    for path, charts in pages:
        tab.open(path, charts=charts)
        assert tab.page.locator("h1").count() == 1
        tab.clean(path)
    assert "/vendor/plotly.min.js" in tab.requested
    for name in ("", "claims", "statements", "events", "articles", "series"):
        tab.open(f"/{name}", charts=name == "events")
        tab.shot(name or "overview")
        if name not in ("",):
            links = tab.page.locator("a.json-link, a.csv-link")
            hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
            assert any(h.startswith(f"/api/{name}?") or h == f"/api/{name}" for h in hrefs)
            assert any(h.startswith(f"/api/{name}.csv") for h in hrefs), hrefs
    tab.clean("screenshots")


def test_series_chart_has_one_line_per_claimant(tab: Tab, live_server: str) -> None:
    series = _busiest_series(live_server)
    tab.open(f"/series/{series['id']}", charts=True)
    traces = tab.page.evaluate(
        """() => document.getElementById('series-chart').data.map(t => ({
               name: t.name, meta: t.meta, n: t.x.length, fill: t.fill || null,
               links: (t.customdata || []).map(c => c[0])}))"""
    )
    lines = [t for t in traces if t["meta"] == "claimant"]
    aggregate = [t for t in traces if t["meta"] == "aggregate"]
    assert len(lines) == len(series["timelines"]) >= 2
    for line, timeline in zip(lines, series["timelines"], strict=True):
        assert line["name"].startswith(timeline["claimant"])
        assert line["n"] == len(timeline["points"])
        assert line["links"] == [
            f"/articles/{p['article_id']}?claim={p['claim_id']}#claim-{p['claim_id']}"
            for p in timeline["points"]
        ]
    assert sorted(t["n"] for t in lines) == [2, 3]
    band = [t for t in aggregate if t["fill"] == "toself"]
    assert len(band) == 1 and band[0]["n"] == 2 * len(series["aggregate"])
    assert len(aggregate) == 2  # the low–high band and the aggregate best
    tab.shot("series")
    tab.clean("series")

    # Clicking a point opens its evidence.
    point = tab.page.locator("#series-chart .scatterlayer .trace .points path").first
    point.wait_for(state="attached")
    box = point.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    tab.page.mouse.move(x, y)
    with tab.page.expect_navigation(timeout=15_000):
        tab.page.mouse.click(x, y)
    match = re.search(r"/articles/(\d+)\?claim=(\d+)#claim-(\d+)$", tab.page.url)
    assert match, tab.page.url
    selected = tab.page.locator("#article-text .sel")
    assert selected.count() >= 1
    assert all(f"ev-c{match[2]}" in (selected.nth(i).get_attribute("class") or "")
               for i in range(selected.count()))
    tab.clean("series click")


def test_clicking_a_claim_opens_the_article_with_the_span_highlighted(
    tab: Tab, live_server: str
) -> None:
    tab.open("/claims?kind=killed&place=Kharkiv")
    link = tab.page.locator("#claims a.claim-link", has_text="seven").first
    with tab.page.expect_navigation():
        link.click()
    match = re.search(r"/articles/(\d+)\?claim=(\d+)#claim-\d+$", tab.page.url)
    assert match, tab.page.url
    article_id, claim_id = int(match[1]), int(match[2])
    with urllib.request.urlopen(f"{live_server}/api/articles/{article_id}", timeout=30) as a:
        detail = json.loads(a.read())
    claim = next(c for c in detail["claims"] if c["id"] == claim_id)
    selected = tab.page.locator("#article-text .sel")
    assert selected.count() > 0
    shown = "".join(selected.nth(i).inner_text() for i in range(selected.count()))
    stated = "".join(detail["text"][e["start"]:e["end"]] for e in claim["evidence"])
    assert shown.replace("\n", "") == stated.replace("\n", "")
    assert selected.first.is_visible()
    assert tab.page.locator(f"#claim-row-{claim_id}.sel-row").count() == 1
    # Every kind of field is highlighted with its own class, and hovering tells why.
    for cls in ("f-speaker", "f-cue", "f-number", "f-place", "f-time"):
        assert tab.page.locator(f"#article-text .{cls}").count() > 0, cls
    number = tab.page.locator("#article-text .f-number.sel", has_text="seven").first
    title = number.get_attribute("title") or ""
    assert "number “seven”: killed" in title and "why —" in title, title
    speaker = tab.page.locator("#article-text .f-speaker").first.get_attribute("title") or ""
    assert "speaker “regional governor Oleh Syniehubov”: name Oleh Syniehubov" in speaker
    assert "named" in speaker
    number.hover()
    tab.shot("article-selected")
    # A fragment selects another claim without a reload.
    other = next(c for c in detail["claims"] if c["id"] != claim_id)
    tab.page.evaluate(f"window.location.hash = 'claim-{other['id']}'")
    tab.page.wait_for_selector(f"#article-text .ev-c{other['id']}.sel")
    assert tab.page.locator(f"#article-text .ev-c{claim_id}.sel").count() == (
        tab.page.locator(f"#article-text .ev-c{claim_id}.ev-c{other['id']}").count()
    )
    tab.clean("article")


def test_events_map_draws_from_local_outlines(tab: Tab, live_server: str) -> None:
    events = _api(live_server, "/api/events", sort="-date_start")["items"]
    located = [e for e in events if e["lat"] is not None and e["lon"] is not None]
    tab.open("/events", charts=True)
    data = tab.page.evaluate(
        """() => { const d = document.getElementById('events-map');
                   return {type: d.data[0].type, lat: d.data[0].lat,
                           n: d.data[0].customdata.map(c => c[2]),
                           lon_range: d.layout.geo.lonaxis.range,
                           lat_range: d.layout.geo.lataxis.range}; }"""
    )
    assert data["type"] == "scattergeo"
    assert sum(data["n"]) == len(located) > 0  # every event, some as one marker of several
    for e in located:  # the view holds every event
        assert data["lat_range"][0] < e["lat"] < data["lat_range"][1]
        assert data["lon_range"][0] < e["lon"] < data["lon_range"][1]
    assert data["lon_range"][1] - data["lon_range"][0] < 90  # fitted, not the whole world
    assert "/static/geo/world_110m.json" in tab.requested
    outline = tab.page.evaluate(
        """() => { const p = document.querySelector('#events-map .layer.countries path');
                   return p ? (p.getAttribute('d') || '').length : 0; }"""
    )
    assert outline > 1000, "country outlines are drawn"
    drawn = tab.page.evaluate(
        """() => { const g = document.querySelector('#events-map .geo .bg rect')
                       || document.querySelector('#events-map .geolayer');
                   const d = document.getElementById('events-map');
                   return [g.getBoundingClientRect().width, d.getBoundingClientRect().width]; }"""
    )
    assert drawn[0] > 0.95 * drawn[1] - 4, f"the map uses the page's width: {drawn}"
    assert tab.page.locator("#events-map .scattergeo .point").count() == len(data["lat"])
    assert tab.page.locator("#events tbody tr").count() == len(events)
    tab.shot("events-map")
    tab.clean("events")


def test_filter_form_and_export_links(tab: Tab, live_server: str) -> None:
    tab.open("/claims")
    tab.page.select_option("select[name=kind]", ["casualties"])
    tab.page.fill("input[name=subject_country]", "RU")
    with tab.page.expect_navigation():
        tab.page.click("form.filters button[type=submit]")
    assert "kind=casualties" in tab.page.url and "subject_country=RU" in tab.page.url
    rows = tab.page.locator("#claims tbody tr")
    expected = _api(live_server, "/api/claims", kind="casualties", subject_country="RU")
    assert rows.count() == expected["total"] == 5
    href = tab.page.locator("a.json-link").first.get_attribute("href") or ""
    assert href.startswith("/api/claims?")
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(href).query))
    assert query["kind"] == "casualties" and query["subject_country"] == "RU"
    csv_href = tab.page.locator("a.csv-link").first.get_attribute("href") or ""
    with urllib.request.urlopen(live_server + csv_href, timeout=30) as answer:
        assert len(answer.read().decode().strip().splitlines()) == 1 + 5
    tab.page.fill("input[name=said_from]", "2024-11-01")
    with tab.page.expect_navigation():
        tab.page.click("form.filters button[type=submit]")
    assert rows.count() == 3  # November and December: two General Staff, one UK figure
    tab.clean("filters")


def test_malicious_article_does_not_run(tab: Tab, live_server: str) -> None:
    evil = next(a for a in _api(live_server, "/api/articles")["items"]
                if a["ext_id"] == MALICIOUS_ID)
    for path in (f"/articles/{evil['id']}", "/articles", "/claims", "/", "/events",
                 "/statements"):
        tab.open(path, charts=path == "/events")
        assert tab.page.evaluate("() => window.__pwned") is None, path
        assert tab.page.locator("a[href^='javascript:' i]").count() == 0, path
        planted = "main img, main svg[onload], main script:not([type='application/json'])"
        assert tab.page.locator(planted).count() == 0, path
    tab.open(f"/articles/{evil['id']}")
    text = tab.page.locator("#article-text").inner_text()
    assert "<script>window.__pwned='text'; alert(1)</script>" in text
    assert "<img src=x onerror=" in text and 'href="javascript:' in text
    assert "javascript:window.__pwned='url'" in tab.page.locator("dl.facts").inner_text()
    assert "<script>" in tab.page.locator("h1").inner_text()
    # Hover and click over the spans: nothing runs either.
    tab.page.locator("#article-text").click()
    tab.page.locator("#article-text span").first.hover()
    assert tab.page.evaluate("() => window.__pwned") is None
    tab.shot("malicious-article")
    assert not tab.dialogs
    tab.clean("malicious")


# --------------------------------------------------------------------------- the map's view
# (no browser: what the events page hands to its map)


def _map_config(page_html: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/json" id="events-data">(.*?)</script>',
                      page_html, re.S)
    assert found, "the events page carries its map's data"
    config: dict[str, Any] = json.loads(found.group(1))
    return config


def test_events_page_fits_its_map_to_the_events(api_client: Any) -> None:
    # Every copy's events, so that a strike and its syndicated copy share one place.
    events = api_client.get("/api/events", params={"limit": 200, "sort": "-date_start",
                                                   "copies": "true"}).json()["items"]
    located = [e for e in events if e["lat"] is not None and e["lon"] is not None]
    assert located, "the serve corpus has located events"
    config = _map_config(api_client.get("/events", params={"copies": "true"}).text)
    bounds = config["bounds"]
    lats = [e["lat"] for e in located]
    lons = [e["lon"] for e in located]
    for (lo, hi), values in ((bounds["lat"], lats), (bounds["lon"], lons)):
        margin = max(0.5, (max(values) - min(values)) / 10)
        assert lo == pytest.approx(min(values) - margin, abs=0.01)
        assert hi == pytest.approx(max(values) + margin, abs=0.01)
    marked = [i for m in config["markers"] for i in m["ids"]]
    assert sorted(marked) == sorted(e["id"] for e in located)  # each event on one marker
    at_one_place: dict[tuple[float, float], set[int]] = {}
    for e in located:
        at_one_place.setdefault((e["lat"], e["lon"]), set()).add(e["id"])
    shared = [ids for ids in at_one_place.values() if len(ids) > 1]
    assert shared, "the serve corpus has two events at one place (a strike and its copy)"
    for ids in shared:
        assert any(ids <= set(m["ids"]) for m in config["markers"]), ids


UA = {"Kharkiv": (49.99, 36.23), "Pokrovsk": (48.28, 37.18), "Myrnohrad": (48.30, 37.26),
      "Kherson": (46.64, 32.61), "Lviv": (49.84, 24.03), "Gaza": (31.5, 34.47)}


@pytest.mark.parametrize(
    ("places", "together", "apart"),
    [
        # Neighbouring towns overlap at the scale of a country and become one marker.
        (["Kharkiv", "Pokrovsk", "Myrnohrad", "Kherson", "Lviv"], [("Pokrovsk", "Myrnohrad")],
         [("Kharkiv", "Pokrovsk"), ("Kherson", "Lviv")]),
        # Seen alone, 8 km apart is enough to tell them apart.
        (["Pokrovsk", "Myrnohrad"], [], [("Pokrovsk", "Myrnohrad")]),
        # Two wars on one page: Kharkiv and Gaza apart, the Donbas towns together.
        (["Kharkiv", "Pokrovsk", "Myrnohrad", "Gaza"], [("Pokrovsk", "Myrnohrad")],
         [("Kharkiv", "Gaza")]),
    ],
)
def test_overlapping_events_become_one_marker(
    places: list[str], together: list[tuple[str, str]], apart: list[tuple[str, str]]
) -> None:
    from sitrep.serve.render import event_map

    points = [{"lat": UA[p][0], "lon": UA[p][1], "id": i, "label": f"{p} — airstrike",
               "date": "2024-05-23", "killed": 3, "url": f"/articles/{i}#event-{i}"}
              for i, p in enumerate(places, start=1)]
    drawn = event_map(points)
    marker_of = {places[i - 1]: n for n, m in enumerate(drawn["markers"]) for i in m["ids"]}
    for a, b in together:
        assert marker_of[a] == marker_of[b], (a, b)
    for a, b in apart:
        assert marker_of[a] != marker_of[b], (a, b)
    lats = [UA[p][0] for p in places]
    assert drawn["bounds"]["lat"][0] < min(lats) and max(lats) < drawn["bounds"]["lat"][1]
