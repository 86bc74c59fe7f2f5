"""The JSON API under ``/api``: read-only lists and details, and one authenticated write.

Lists (``articles``, ``claims``, ``statements``, ``events``, ``series``) take the filters of
``sitrep.serve.params``, ``limit`` (at most 1000), ``offset`` and ``sort``, and answer JSON
(``{"total", "limit", "offset", "sort", "items", "next"}``) or, with ``?format=csv`` or the
``.csv`` suffix (``/api/claims.csv``), CSV. ``POST /api/articles`` ingests articles in the
contract's input shape through ``sitrep.ingest.ingest_articles``; it needs
``Authorization: Bearer <SITREP_TOKEN>``.

Example:
    >>> import tempfile, os
    >>> from fastapi.testclient import TestClient
    >>> from sitrep.serve import create_app
    >>> db = os.path.join(tempfile.mkdtemp(), "sitrep.db")
    >>> client = TestClient(create_app(db))
    >>> client.get("/api/claims", params={"kind": "killed"}).json()["total"]
    0
    >>> client.get("/api/claims", params={"sort": "nope"}).status_code
    422
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints, TypeAdapter
from pydantic import ValidationError as PydanticValidationError

from sitrep.errors import Errors
from sitrep.export.csvtext import to_csv
from sitrep.model import Article
from sitrep.serve import params as P
from sitrep.serve.data import Backend
from sitrep.serve.output import COLUMNS
from sitrep.sources.base import MAX_DOCUMENT_BYTES
from sitrep.sources.jsonl import article_from_mapping

router = APIRouter(prefix="/api")

MAX_ARTICLES_PER_POST = 1000
MAX_BODY_BYTES = 64 * 1024 * 1024

CSV_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "A page of rows: JSON (the default) or CSV (`format=csv`, `.csv`).",
        "content": {"text/csv": {"schema": {"type": "string"}}},
    },
    422: {"description": "A parameter failed validation; `detail` says which and why."},
}


def get_backend(request: Request) -> Backend:
    """The server's ``Backend`` (a FastAPI dependency)."""
    backend: Backend = request.app.state.backend
    return backend


BackendDep = Annotated[Backend, Depends(get_backend)]


class Page(BaseModel):
    """The JSON envelope of every list."""

    total: int
    limit: int
    offset: int
    sort: str | None
    items: list[dict[str, Any]]
    next: str | None


def page_response(
    request: Request,
    what: str,
    items: list[dict[str, Any]],
    *,
    total: int,
    limit: int,
    offset: int,
    sort: str | None,
    fmt: str,
) -> Response:
    """A page of ``items`` as JSON or CSV, with ``X-Total-Count`` and a ``Link`` to the next.

    Example:
        >>> from starlette.requests import Request
        >>> req = Request({"type": "http", "path": "/api/claims", "query_string": b"",
        ...                "headers": []})
        >>> page_response(req, "claims", [], total=0, limit=10, offset=0, sort="id",
        ...               fmt="csv").media_type
        'text/csv'
    """
    nxt = None
    if offset + len(items) < total and limit > 0:
        url = request.url.include_query_params(offset=offset + limit)
        nxt = f"{url.path}?{url.query}"
    headers = {"X-Total-Count": str(total)}
    if nxt:
        headers["Link"] = f'<{nxt}>; rel="next"'
    if fmt == "csv" or request.url.path.endswith(".csv"):
        return Response(
            to_csv(items, COLUMNS[what]),
            media_type="text/csv",
            headers={**headers, "Content-Disposition": f'inline; filename="{what}.csv"'},
        )
    body = {"total": total, "limit": limit, "offset": offset, "sort": sort, "items": items,
            "next": nxt}
    return JSONResponse(body, headers=headers)


def _store_call(fn: Callable[..., Any], **kwargs: Any) -> Any:
    """Call a store query; a ``ValueError`` (a bad argument) becomes a 422."""
    try:
        return fn(**kwargs)
    except ValueError as exc:
        raise P.invalid("query", str(exc)) from exc


SORTS = {
    "articles": P.ARTICLE_SORTS,
    "claims": P.CLAIM_SORTS,
    "statements": P.STATEMENT_SORTS,
    "events": P.EVENT_SORTS,
}


def listing(
    backend: Backend,
    table: str,
    filters: dict[str, Any],
    *,
    limit: int,
    offset: int,
    sort: str | None,
    default_sort: str,
    record: bool = False,
) -> tuple[list[dict[str, Any]], int, str]:
    """One page of a table's rows (claims with their ``sources``), the filtered total and
    the sort used; a sort outside the table's whitelist or a bad filter is a 422. The API
    and the HTML pages both list through this.

    Example:
        >>> from sitrep.store import Store
        >>> listing(Backend(Store.open("sqlite://")), "claims", {}, limit=10, offset=0,
        ...         sort=None, default_sort="id")
        ([], 0, 'id')
    """
    sort = P.check_sort(sort, SORTS[table], default_sort)
    # Articles carry no contract record to add.
    extra = {} if table == "articles" else {"with_record": record}
    items = _store_call(
        getattr(backend.store, table), **filters, limit=limit, offset=offset, sort=sort, **extra
    )
    if table == "claims":
        backend.add_sources(items)
    return items, backend.count(table, filters), sort


def series_listing(
    backend: Backend, filters: dict[str, Any], *, limit: int, offset: int, sort: str | None
) -> tuple[list[dict[str, Any]], int, str]:
    """One page of the series (busiest first by default), their total and the sort used."""
    sort = sort or "-n_claims"
    try:
        everything = backend.all_series(**filters, sort=sort)
    except ValueError as exc:
        raise P.invalid("sort", str(exc), sort) from exc
    return everything[offset : offset + limit], len(everything), sort


def _list_routes(path: str, summary: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a list endpoint at ``path`` and ``path.csv``."""

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        router.add_api_route(path, fn, methods=["GET"], summary=summary,
                             responses=CSV_RESPONSE, response_model=Page)
        router.add_api_route(path + ".csv", fn, methods=["GET"], summary=summary + " (CSV)",
                             responses=CSV_RESPONSE, response_class=Response,
                             name=fn.__name__ + "_csv")
        return fn

    return register


# --------------------------------------------------------------------------- lists


@_list_routes("/articles", "Articles, with their copy group and number of claims")
def list_articles(
    request: Request,
    backend: BackendDep,
    filters: Annotated[dict[str, Any], Depends(P.article_filters)],
    limit: P.Limit = 100,
    offset: P.Offset = 0,
    sort: P.Sort = None,
    format: P.Format = "json",
) -> Response:
    """Stored articles (no text; see ``/api/articles/{id}``), filtered and paged."""
    items, total, sort = listing(
        backend, "articles", filters, limit=limit, offset=offset, sort=sort, default_sort="id"
    )
    return page_response(request, "articles", items, total=total, limit=limit, offset=offset,
                         sort=sort, fmt=format)


@_list_routes("/claims", "Claims, with their evidence and number of independent sources")
def list_claims(
    request: Request,
    backend: BackendDep,
    filters: Annotated[dict[str, Any], Depends(P.claim_filters)],
    limit: P.Limit = 100,
    offset: P.Offset = 0,
    sort: P.Sort = None,
    format: P.Format = "json",
    record: Annotated[bool, Query(description="Add each claim's contract record.")] = False,
) -> Response:
    """Claims matching every filter given (as ``sitrep claims``), each with ``evidence``
    spans and ``sources`` (the number of copy groups carrying the same claim)."""
    items, total, sort = listing(
        backend, "claims", filters, limit=limit, offset=offset, sort=sort, default_sort="id",
        record=record,
    )
    return page_response(request, "claims", items, total=total, limit=limit, offset=offset,
                         sort=sort, fmt=format)


@_list_routes("/statements", "Statements: every reported speech act, numbers or not")
def list_statements(
    request: Request,
    backend: BackendDep,
    filters: Annotated[dict[str, Any], Depends(P.statement_filters)],
    limit: P.Limit = 100,
    offset: P.Offset = 0,
    sort: P.Sort = None,
    format: P.Format = "json",
) -> Response:
    """Statements (who said what) matching every filter given."""
    items, total, sort = listing(
        backend, "statements", filters, limit=limit, offset=offset, sort=sort, default_sort="id"
    )
    return page_response(request, "statements", items, total=total, limit=limit,
                         offset=offset, sort=sort, fmt=format)


@_list_routes("/events", "Events: incidents in the shape of UCDP GED / ACLED rows")
def list_events(
    request: Request,
    backend: BackendDep,
    filters: Annotated[dict[str, Any], Depends(P.event_filters)],
    limit: P.Limit = 100,
    offset: P.Offset = 0,
    sort: P.Sort = None,
    format: P.Format = "json",
) -> Response:
    """Events matching every filter given, each with the ids of its claims."""
    items, total, sort = listing(
        backend, "events", filters, limit=limit, offset=offset, sort=sort, default_sort="id"
    )
    return page_response(request, "events", items, total=total, limit=limit, offset=offset,
                         sort=sort, fmt=format)


@_list_routes("/series", "Series: one measure of one subject in one scope, over time")
def list_series(
    request: Request,
    backend: BackendDep,
    filters: Annotated[dict[str, Any], Depends(P.series_filters)],
    limit: P.Limit = 100,
    offset: P.Offset = 0,
    sort: P.Sort = None,
    format: P.Format = "json",
) -> Response:
    """Series of estimates (``sitrep.analyse.track``), busiest first by default."""
    items, total, sort = series_listing(backend, filters, limit=limit, offset=offset, sort=sort)
    return page_response(request, "series", items, total=total, limit=limit, offset=offset,
                         sort=sort, fmt=format)


# --------------------------------------------------------------------------- details

ArticleId = Annotated[int, Path(ge=1, le=P.MAX_ROW_ID, description="The article's row id.")]
SeriesId = Annotated[str, Path(max_length=500, description="The series id.")]


def article_detail(backend: Backend, article_id: int) -> dict[str, Any] | None:
    """An article with its text, statements, claims (with sources), events, times, places
    and the other members of its copy group (``copies``); None when there is none.

    Example:
        >>> from sitrep.store import Store
        >>> article_detail(Backend(Store.open("sqlite://")), 1) is None
        True
    """
    store = backend.store
    art = store.article(article_id)
    if art is None:
        return None
    record = store.record(article_id) or {}
    copies: list[dict[str, Any]] = []
    if art.get("copy_group") is not None:
        copies = [
            a for a in store.articles(copy_group=int(art["copy_group"]), limit=None)
            if a["id"] != article_id
        ]
    return {
        **art,
        "statements": store.statements(article_id=article_id, limit=None),
        "claims": backend.add_sources(store.claims(article_id=article_id, limit=None)),
        "events": store.events(article_id=article_id, limit=None),
        "times": record.get("times") or [],
        "places": record.get("places") or [],
        "copies": copies,
    }


@router.get("/articles/{article_id}", summary="One article with everything extracted from it",
            responses={404: {"description": "No such article."}})
def get_article(article_id: ArticleId, backend: BackendDep) -> dict[str, Any]:
    """The article's text and metadata, its statements, claims (each with evidence spans,
    sources and the contract record), events, times, places and its copies (the other
    articles of its copy group)."""
    found = article_detail(backend, article_id)
    if found is None:
        raise HTTPException(404, f"no article {article_id}")
    return found


@router.get("/series/{series_id:path}.csv", summary="One series' points as CSV",
            response_class=Response, responses={404: {"description": "No such series."}})
def get_series_csv(series_id: SeriesId, backend: BackendDep) -> Response:
    """Every point of every claimant's timeline, one CSV row each."""
    found = backend.series(series_id)
    if found is None:
        raise HTTPException(404, f"no series {series_id!r}")
    rows = [
        {"series_id": found.get("id"), "claimant": tl.get("claimant"), "side": tl.get("side"),
         "country": tl.get("country"), **point}
        for tl in found.get("timelines") or []
        for point in tl.get("points") or []
    ]
    return Response(to_csv(rows, COLUMNS["series_points"]), media_type="text/csv")


@router.get("/series/{series_id:path}", summary="One series: timelines, aggregate, revisions",
            responses={404: {"description": "No such series."}})
def get_series(series_id: SeriesId, backend: BackendDep) -> dict[str, Any]:
    """A series with each claimant's timeline of estimates (each point with its claim,
    article and evidence), the aggregate low/best/high over time and its revisions."""
    found = backend.series(series_id)
    if found is None:
        raise HTTPException(404, f"no series {series_id!r}")
    return found


@router.get("/stats", summary="Counts: articles, claims, statements, events, copy groups")
def get_stats(backend: BackendDep) -> dict[str, Any]:
    """Row counts, claims per kind, copy groups (independent sources), series and the
    latest ingest run."""
    return backend.stats()


# --------------------------------------------------------------------------- writing


def _no_nul(value: str | None) -> str | None:
    if value is not None and "\x00" in value:
        raise ValueError(Errors.E401)
    return value


def _http_url(value: str | None) -> str | None:
    if value is not None and not value.lower().startswith(("http://", "https://")):
        raise ValueError(Errors.E402)
    return value


def _text_size(value: str) -> str:
    if not value.strip():
        raise ValueError(Errors.E403)
    if len(value.encode("utf-8")) > MAX_DOCUMENT_BYTES:
        raise ValueError(Errors.E404.format(limit=MAX_DOCUMENT_BYTES))
    return value


Short = Annotated[str | None, StringConstraints(max_length=2000), AfterValidator(_no_nul)]


class ArticleIn(BaseModel):
    """One article in the contract's input shape."""

    model_config = ConfigDict(extra="forbid", strict=True)

    id: Annotated[str, StringConstraints(min_length=1, max_length=500), AfterValidator(_no_nul)]
    text: Annotated[str, AfterValidator(_no_nul), AfterValidator(_text_size)]
    published: date
    title: Short = None
    url: Annotated[Short, AfterValidator(_http_url)] = None
    outlet: Short = None
    wire: Short = None
    byline: Short = None
    author: Short = None


_ONE = TypeAdapter(ArticleIn)
_MANY = TypeAdapter(list[ArticleIn])
_ARTICLE_SCHEMA = ArticleIn.model_json_schema()
_POST_BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "anyOf": [
                    _ARTICLE_SCHEMA,
                    {"type": "array", "items": _ARTICLE_SCHEMA,
                     "maxItems": MAX_ARTICLES_PER_POST},
                ]
            },
            "example": {"id": "k1", "published": "2024-05-23", "outlet": "Example Wire",
                        "title": "Strike on Kharkiv", "url": "https://example.org/k1",
                        "text": "A missile strike on Kharkiv killed seven people on Thursday, "
                                "governor Oleh Syniehubov said."},
        }
    },
}


def check_token(backend: Backend, authorization: str | None) -> None:
    """Pass when ``authorization`` is ``Bearer <the server's token>``; else a 401.

    Example:
        >>> from sitrep.store import Store
        >>> check_token(Backend(Store.open("sqlite://"), token="t"), "Bearer t")
    """
    expected = backend.token
    scheme, _, given = (authorization or "").partition(" ")
    ok = (
        bool(expected)
        and scheme.lower() == "bearer"
        and hmac.compare_digest(given.strip().encode("utf-8"), (expected or "").encode("utf-8"))
    )
    if not ok:
        reason = (
            "writes are disabled: start the server with SITREP_TOKEN set"
            if not expected else "a valid 'Authorization: Bearer <token>' header is required"
        )
        raise HTTPException(401, reason, headers={"WWW-Authenticate": "Bearer"})


async def _read_body(request: Request) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise HTTPException(413, f"the body is larger than {MAX_BODY_BYTES} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _ingest(backend: Backend, items: list[ArticleIn]) -> dict[str, Any]:
    from sitrep.extract.pipeline import ExtractOptions, Extractor
    from sitrep.ingest import IngestOptions, ingest_articles
    from sitrep.store import InvalidRecord

    arts: list[Article] = [
        article_from_mapping(json.loads(item.model_dump_json()), f"body[{i}]")
        for i, item in enumerate(items)
    ]
    with backend.ingest_lock:
        if backend.extractor is None:
            backend.extractor = Extractor(ExtractOptions())
        try:
            summary = ingest_articles(
                arts, backend.store, IngestOptions(command="sitrep serve: POST /api/articles"),
                extractor=backend.extractor,
            )
        except InvalidRecord as exc:
            raise HTTPException(422, f"cannot store the extraction: {exc}") from exc
        finally:
            backend.invalidate()
    ids = backend.store.article_ids(a.key for a in arts)
    return {
        "run_id": summary.run_id,
        **summary.counts(),
        "rejects": [{"where": r.where, "reason": r.reason} for r in summary.rejects],
        "articles": [{"id": a.id, "article_id": ids.get(a.key)} for a in arts],
    }


@router.post(
    "/articles",
    summary="Ingest articles (needs Authorization: Bearer <SITREP_TOKEN>)",
    openapi_extra={"requestBody": _POST_BODY},
    responses={
        201: {"description": "At least one article was stored."},
        401: {"description": "No token, or a wrong one: nothing was stored."},
        413: {"description": "The body is too large."},
        422: {"description": "The body is not an article or a list of articles."},
    },
)
async def post_articles(request: Request) -> JSONResponse:
    """Extract and store articles in the contract's input shape (one object or a list):
    ``{"id", "text", "published" (YYYY-MM-DD), optional "title", "url", "outlet"}``.

    Storing is idempotent (an article is keyed by its normalised text). The answer counts
    what was read, stored, already known, copies and rejected, and gives each article's row
    id. The token is checked before the body is read.
    """
    backend = get_backend(request)
    check_token(backend, request.headers.get("authorization"))
    body = await _read_body(request)
    try:
        many = body.lstrip()[:1] == b"["
        parsed: ArticleIn | list[ArticleIn] = (
            _MANY.validate_json(body) if many else _ONE.validate_json(body)
        )
    except PydanticValidationError as exc:
        errors = [
            {"type": e["type"], "loc": ["body", *e["loc"]], "msg": e["msg"]}
            for e in exc.errors(include_url=False, include_input=False)
        ]
        return JSONResponse({"detail": errors}, status_code=422)
    items = parsed if isinstance(parsed, list) else [parsed]
    if not items:
        return JSONResponse({"detail": "the list of articles is empty"}, status_code=422)
    if len(items) > MAX_ARTICLES_PER_POST:
        return JSONResponse(
            {"detail": f"at most {MAX_ARTICLES_PER_POST} articles per request"},
            status_code=422,
        )
    result = await run_in_threadpool(_ingest, backend, items)
    return JSONResponse(result, status_code=201 if result["stored"] else 200)
