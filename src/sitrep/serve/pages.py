"""The dashboard: server-rendered pages (Jinja2, autoescaped) over the same queries as the API.

Pages: ``/`` (overview), ``/claims`` (a filter form and a table; each row links to its
article with the claim's evidence selected), ``/articles`` and ``/articles/{id}`` (the text
with every extracted span highlighted; ``?claim=ID`` or ``#claim-ID`` selects a claim),
``/statements``, ``/events`` (a table and a map), ``/series`` and ``/series/{id}`` (one line
per claimant and the aggregate low–high band; a point opens its evidence). Every list page
links to the same rows as JSON and CSV.

Example:
    >>> import tempfile, os
    >>> from fastapi.testclient import TestClient
    >>> from sitrep.serve import create_app
    >>> db = os.path.join(tempfile.mkdtemp(), "sitrep.db")
    >>> page = TestClient(create_app(db)).get("/claims")
    >>> page.status_code, "Claims" in page.text
    (200, True)
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

import jinja2
from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from sitrep import __version__
from sitrep.model import KINDS, speaker_entity
from sitrep.serve import params as P
from sitrep.serve.api import SORTS, BackendDep, article_detail, listing, series_listing
from sitrep.serve.render import article_marks, event_map, num, safe_url, segments
from sitrep.store.catalog import CATALOG

router = APIRouter()

_env = jinja2.Environment(
    loader=jinja2.PackageLoader("sitrep.serve", "templates"),
    autoescape=True,
    undefined=jinja2.ChainableUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.filters["num"] = num
_env.filters["speaker"] = speaker_entity
_env.filters["safe_url"] = safe_url
_env.globals["version"] = __version__
_env.globals["kinds"] = KINDS
templates = Jinja2Templates(env=_env)

PageLimit = Annotated[int, Query(ge=1, le=P.MAX_LIMIT, description="Rows per page.")]
NAV = (("/", "Overview"), ("/claims", "Claims"), ("/statements", "Statements"),
       ("/events", "Events"), ("/articles", "Articles"), ("/series", "Series"))


def claim_link(article_id: Any, claim_id: Any) -> str:
    """The dashboard URL of an article with one claim's evidence selected.

    Example:
        >>> claim_link(4, 17)
        '/articles/4?claim=17#claim-17'
    """
    return f"/articles/{int(article_id)}?claim={int(claim_id)}#claim-{int(claim_id)}"


_env.globals["claim_link"] = claim_link


def render(request: Request, name: str, context: dict[str, Any],
           status_code: int = 200) -> HTMLResponse:
    """A page from template ``name`` with the navigation and the request in its context."""
    ctx = {"nav": NAV, "path": request.url.path, **context}
    response: HTMLResponse = templates.TemplateResponse(request, name, ctx,
                                                        status_code=status_code)
    return response


def error_page(request: Request, status: int, title: str, messages: list[str]) -> Response:
    """An HTML error page (the API answers JSON instead)."""
    return render(request, "error.html", {"title": title, "status": status,
                                          "messages": messages}, status_code=status)


def _links(request: Request, api_path: str, offset: int, limit: int, total: int,
           ) -> dict[str, str | None]:
    """JSON/CSV links for the rows shown, and the previous/next pages."""
    pairs = [(k, v) for k, v in request.query_params.multi_items() if k != "offset"]
    query = urlencode(pairs)
    here = request.url.path

    def at(off: int) -> str:
        return f"{here}?{urlencode([*pairs, ('offset', str(off))])}"

    sep = "?" if query else ""
    api_pairs = urlencode([*pairs, ("offset", str(offset))] if offset else pairs)
    return {
        "json": f"{api_path}?{api_pairs}" if api_pairs else api_path,
        "csv": f"{api_path}.csv?{api_pairs}" if api_pairs else f"{api_path}.csv",
        "prev": at(max(0, offset - limit)) if offset > 0 else None,
        "next": at(offset + limit) if offset + limit < total else None,
        "query": f"{sep}{query}",
    }


class FormValues:
    """The submitted values of a filter form, to fill it in again (missing: empty).

    Example:
        >>> FormValues({"kind": ["killed", "wounded"], "q": ["Kursk"]}).get("speaker")
        ''
    """

    def __init__(self, values: dict[str, list[str]]) -> None:
        self._values = values

    def get(self, name: str) -> str:
        """The first value of ``name``, or ``""``."""
        found = self._values.get(name) or [""]
        return found[0]

    def getlist(self, name: str) -> list[str]:
        """Every value of ``name``."""
        return list(self._values.get(name) or [])


def _form(request: Request) -> FormValues:
    values: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        values.setdefault(key, []).append(value)
    return FormValues(values)


def _listing_page(
    request: Request,
    table: str,
    title: str,
    rows: list[dict[str, Any]],
    total: int,
    page: tuple[int, int, str],
    **extra: Any,
) -> HTMLResponse:
    """A list page: its rows, the filter form, sort choices and links to the same rows
    from the API (``page`` is offset, limit, sort)."""
    offset, limit, sort = page
    context = {
        "title": title, "rows": rows, "total": total, "offset": offset, "limit": limit,
        "sort": sort, "sorts": sorted(SORTS.get(table, ())), "form": _form(request),
        "fields": CATALOG[table].form_fields(),
        "links": _links(request, f"/api/{table}", offset, limit, total),
    }
    return render(request, f"{table}.html", context | extra)


# --------------------------------------------------------------------------- pages


@router.get("/", response_class=HTMLResponse)
def overview(request: Request, backend: BackendDep) -> HTMLResponse:
    """Counts, the latest claims and the busiest series."""
    store = backend.store
    latest = backend.add_sources(
        store.claims(limit=10, sort="-published", with_record=False)
    )
    busiest: list[dict[str, Any]] | None = None
    if backend.has_tracker():
        busiest = backend.all_series()[:10]
    return render(request, "overview.html", {
        "title": "Overview", "stats": backend.stats(), "latest": latest, "busiest": busiest,
    })


@router.get("/claims", response_class=HTMLResponse)
def claims_page(
    request: Request,
    backend: BackendDep,
    filters: Annotated[dict[str, Any], Depends(P.claim_filters)],
    limit: PageLimit = 50,
    offset: P.Offset = 0,
    sort: P.Sort = None,
) -> HTMLResponse:
    """Claims with a filter form; each row links to its article with the claim selected."""
    rows, total, sort = listing(
        backend, "claims", filters, limit=limit, offset=offset, sort=sort,
        default_sort="-published",
    )
    return _listing_page(request, "claims", "Claims", rows, total, (offset, limit, sort))


@router.get("/statements", response_class=HTMLResponse)
def statements_page(
    request: Request,
    backend: BackendDep,
    filters: Annotated[dict[str, Any], Depends(P.statement_filters)],
    limit: PageLimit = 50,
    offset: P.Offset = 0,
    sort: P.Sort = None,
) -> HTMLResponse:
    """Statements (who said what), with a filter form."""
    rows, total, sort = listing(
        backend, "statements", filters, limit=limit, offset=offset, sort=sort,
        default_sort="-published",
    )
    return _listing_page(request, "statements", "Statements", rows, total, (offset, limit, sort))


@router.get("/events", response_class=HTMLResponse)
def events_page(
    request: Request,
    backend: BackendDep,
    filters: Annotated[dict[str, Any], Depends(P.event_filters)],
    limit: PageLimit = 200,
    offset: P.Offset = 0,
    sort: P.Sort = None,
) -> HTMLResponse:
    """Events as a table and on a map of country outlines (served locally), fitted to the
    events, with the events that would overlap drawn as one marker (``event_map``)."""
    rows, total, sort = listing(
        backend, "events", filters, limit=limit, offset=offset, sort=sort,
        default_sort="-date_start",
    )
    points = [
        {
            "lat": r["lat"], "lon": r["lon"], "id": r["id"],
            "label": f"{r.get('location') or r.get('country') or ''} — {r.get('type') or ''}",
            "date": r.get("date_start"), "killed": r.get("killed_best"),
            "url": f"/articles/{int(r['article_id'])}#event-{int(r['id'])}",
        }
        for r in rows
        if isinstance(r.get("lat"), int | float) and isinstance(r.get("lon"), int | float)
    ]
    return _listing_page(
        request, "events", "Events", rows, total, (offset, limit, sort),
        events_map=event_map(points),
    )


@router.get("/articles", response_class=HTMLResponse)
def articles_page(
    request: Request,
    backend: BackendDep,
    filters: Annotated[dict[str, Any], Depends(P.article_filters)],
    limit: PageLimit = 50,
    offset: P.Offset = 0,
    sort: P.Sort = None,
) -> HTMLResponse:
    """Articles with their outlet, date, copy group and number of claims."""
    rows, total, sort = listing(
        backend, "articles", filters, limit=limit, offset=offset, sort=sort,
        default_sort="-published",
    )
    return _listing_page(request, "articles", "Articles", rows, total, (offset, limit, sort))


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(
    request: Request,
    backend: BackendDep,
    article_id: Annotated[int, Path(ge=1, le=P.MAX_ROW_ID)],
    claim: Annotated[int | None, Query(ge=1, le=P.MAX_ROW_ID,
                                       description="Claim to select.")] = None,
) -> HTMLResponse:
    """An article's text with every extracted span highlighted, and its claims,
    statements, events and copies."""
    art = article_detail(backend, article_id)
    if art is None:
        raise HTTPException(404, f"no article {article_id}")
    marks = article_marks(art["claims"], art["statements"], art["times"], art["places"])
    return render(request, "article.html", {
        "title": art.get("title") or f"Article {article_id}", "art": art,
        "segments": segments(art["text"], marks, claim), "selected": claim,
    })


@router.get("/series", response_class=HTMLResponse)
def series_list_page(
    request: Request,
    backend: BackendDep,
    filters: Annotated[dict[str, Any], Depends(P.series_filters)],
    limit: PageLimit = 50,
    offset: P.Offset = 0,
    sort: P.Sort = None,
) -> HTMLResponse:
    """Series of estimates, busiest first."""
    rows, total, sort = series_listing(backend, filters, limit=limit, offset=offset, sort=sort)
    return render(request, "series_list.html", {
        "title": "Series", "rows": rows, "total": total, "offset": offset,
        "limit": limit, "sort": sort, "form": _form(request),
        "links": _links(request, "/api/series", offset, limit, total),
    })


def chart_data(series: dict[str, Any]) -> dict[str, Any]:
    """What the series chart draws: each claimant's points (with the link to the evidence)
    and the aggregate band.

    Example:
        >>> chart_data({"timelines": [{"claimant": "UK MoD", "side": "third party",
        ...     "points": [{"date": "2024-10-03", "low": 900, "best": 1000, "high": 1100,
        ...                 "claim_id": 5, "article_id": 2, "quantity": "about 1,000"}]}],
        ...     "aggregate": []})["timelines"][0]["points"][0]["url"]
        '/articles/2?claim=5#claim-5'
    """
    timelines = []
    for tl in series.get("timelines") or []:
        name = str(tl.get("claimant") or "unknown")
        if tl.get("side"):
            name += f" ({tl['side']})"
        points = [
            {
                "date": p.get("date"), "low": p.get("low"), "best": p.get("best"),
                "high": p.get("high"), "quantity": p.get("quantity"),
                "claim_id": p.get("claim_id"),
                "url": claim_link(p["article_id"], p["claim_id"])
                if p.get("article_id") is not None and p.get("claim_id") is not None else None,
            }
            for p in tl.get("points") or []
        ]
        timelines.append({"name": name, "points": points})
    aggregate = [
        {k: a.get(k) for k in ("date", "low", "best", "high", "n_sources")}
        for a in series.get("aggregate") or []
    ]
    return {"timelines": timelines, "aggregate": aggregate}


@router.get("/series/{series_id:path}", response_class=HTMLResponse)
def series_page(
    request: Request,
    backend: BackendDep,
    series_id: Annotated[str, Path(max_length=500)],
) -> HTMLResponse:
    """One series: a line per claimant, the aggregate band, and the points as a table."""
    found = backend.series(series_id)
    if found is None:
        raise HTTPException(404, f"no series {series_id!r}")
    return render(request, "series.html", {
        "title": f"Series {series_id}", "s": found, "chart": chart_data(found),
    })

