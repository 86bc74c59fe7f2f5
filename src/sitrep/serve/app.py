"""The web application: the JSON API under ``/api`` and the dashboard, in one FastAPI app.

Nothing is fetched from the internet: plotly.js comes from the installed plotly wheel
(``/vendor/plotly.min.js``), the map's country outlines from this package
(``/static/geo/world_110m.json``). Every response carries a Content-Security-Policy that
allows scripts from this server only, so text from an article can never run as script.

Example:
    >>> import tempfile, os
    >>> from fastapi.testclient import TestClient
    >>> db = os.path.join(tempfile.mkdtemp(), "sitrep.db")
    >>> client = TestClient(create_app(db, token="s3cret"))
    >>> client.get("/api/stats").json()["articles"]
    0
    >>> client.get("/openapi.json").json()["info"]["title"]
    'sitrep'
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sitrep import __version__
from sitrep.serve.data import Backend, TrackerMissing
from sitrep.store import Store

HERE = Path(__file__).parent
TOKEN_ENV = "SITREP_TOKEN"
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


def plotly_js() -> Path:
    """The plotly.min.js bundled in the installed plotly package.

    Example:
        >>> plotly_js().name
        'plotly.min.js'
    """
    return Path(str(resources.files("plotly") / "package_data" / "plotly.min.js"))


class SecurityHeaders:
    """ASGI middleware: every response carries ``SECURITY_HEADERS`` (CSP and friends)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.headers = [(k.lower().encode("latin-1"), v.encode("latin-1"))
                        for k, v in SECURITY_HEADERS.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in self.headers if k not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class HeadAsGet:
    """ASGI middleware: ``HEAD`` answers as ``GET`` would, without the body.

    FastAPI routes answer only the methods they declare, so ``HEAD /`` would be 405; monitors
    and link checkers send HEAD. The request goes on as GET (a path without GET still answers
    405) and the body the route sends is dropped; the headers, Content-Length included, stay
    those of the GET answer.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_headers_only)


class DropEmptyParams:
    """ASGI middleware: ``?kind=&q=`` means no filter, as an HTML form sends it.

    Query parameters whose value is empty are removed before routing.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("query_string"):
            raw = scope["query_string"].decode("latin-1")
            pairs = parse_qsl(raw, keep_blank_values=True, encoding="latin-1")
            kept = [(k, v) for k, v in pairs if v != ""]
            if len(kept) != len(pairs):
                scope = {**scope, "query_string": urlencode(kept, encoding="latin-1").encode(
                    "latin-1")}
        await self.app(scope, receive, send)


def _errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    out = []
    for e in exc.errors():
        item = {"type": e.get("type"), "loc": list(e.get("loc", ())), "msg": e.get("msg")}
        if "input" in e and isinstance(e["input"], str | int | float | bool | None):
            item["input"] = e["input"]
        out.append(item)
    return out


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/api"


def create_app(db_url: str | None = None, token: str | None = None) -> FastAPI:
    """The sitrep web application on the database ``db_url`` (see ``resolve_url``).

    Use a SQLite file or a PostgreSQL URL: an in-memory SQLite database (``sqlite://``) is
    one database per thread, and the server answers from a pool of threads.

    ``token`` (default: ``$SITREP_TOKEN``) is the bearer token that ``POST /api/articles``
    needs; without one the server is read-only. The database is opened (and migrated) now
    and closed when the application shuts down.

    Example:
        >>> app = create_app("sqlite://")
        >>> sorted(p for p in app.openapi()["paths"] if p.startswith("/api/c"))
        ['/api/claims', '/api/claims.csv']
    """
    from sitrep.serve import api, pages

    store = Store.open(db_url)
    backend = Backend(store, token if token is not None else os.environ.get(TOKEN_ENV) or None)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            backend.close()
            store.close()

    app = FastAPI(
        title="sitrep",
        version=__version__,
        description=(
            "Who claims what in conflict news: claims (numbers with their speaker, subject, "
            "place and time, each with evidence spans), statements, events, articles and "
            "series of estimates over time. Every list answers JSON or CSV "
            "(`?format=csv` or a `.csv` suffix). Writes need `Authorization: Bearer "
            "<SITREP_TOKEN>`."
        ),
        docs_url=None,  # Swagger UI and ReDoc load their code from a CDN: not served
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.backend = backend

    app.add_middleware(DropEmptyParams)
    app.add_middleware(HeadAsGet)
    app.add_middleware(SecurityHeaders)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        if _is_api(request):
            return JSONResponse({"detail": _errors(exc)}, status_code=422)
        return pages.error_page(request, 422, "Invalid request",
                                [f"{'.'.join(map(str, e['loc'][1:]))}: {e['msg']}"
                                 for e in _errors(exc)])

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        headers = getattr(exc, "headers", None)
        if _is_api(request) or request.url.path.startswith(("/static", "/vendor")):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code,
                                headers=headers)
        return pages.error_page(request, exc.status_code, "Not found"
                                if exc.status_code == 404 else "Error", [str(exc.detail)])

    @app.exception_handler(TrackerMissing)
    async def no_tracker(request: Request, exc: TrackerMissing) -> Response:
        if _is_api(request):
            return JSONResponse({"detail": str(exc)}, status_code=503)
        return pages.error_page(request, 503, "Series unavailable", [str(exc)])

    @app.get("/vendor/plotly.min.js", include_in_schema=False)
    def plotly() -> FileResponse:
        return FileResponse(plotly_js(), media_type="text/javascript",
                            headers={"Cache-Control": "public, max-age=86400"})

    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(api.router, tags=["api"])
    app.include_router(pages.router, include_in_schema=False)
    return app
