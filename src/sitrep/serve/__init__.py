"""sitrep.serve: the web dashboard and the JSON API (FastAPI), read-only unless a token is set.

``create_app(db_url, token)`` builds the application; ``run_server`` serves it with uvicorn
(what ``sitrep serve`` and ``python -m sitrep.serve`` run).

Example:
    >>> import tempfile, os
    >>> from fastapi.testclient import TestClient
    >>> db = os.path.join(tempfile.mkdtemp(), "sitrep.db")
    >>> client = TestClient(create_app(db))
    >>> client.get("/api/articles").json()["items"]
    []
"""

from __future__ import annotations

from sitrep.serve.app import create_app

__all__ = ["create_app", "run_server"]


def run_server(
    db: str | None = None,
    host: str = "127.0.0.1",
    port: int = 8000,
    token: str | None = None,
    log_level: str = "info",
    workers: int = 1,
) -> None:
    """Serve the dashboard and the API on ``host:port`` until interrupted.

    ``db`` is a SQLite file or a database URL (default: ``$SITREP_DB`` or ``sitrep.db``);
    ``token`` (default: ``$SITREP_TOKEN``) allows ``POST /api/articles``; ``workers`` > 1
    runs that many server processes (each with its own caches).

    Example (blocks, so not run here):
        >>> run_server("sitrep.db", port=8000)  # doctest: +SKIP
    """
    import os

    import uvicorn

    from sitrep.serve.app import TOKEN_ENV
    from sitrep.store import ENV_VAR, resolve_url

    options = {"host": host, "port": port, "log_level": log_level, "proxy_headers": False,
               "server_header": False}
    if workers <= 1:
        uvicorn.run(create_app(db, token), **options)  # type: ignore[arg-type]
        return
    # Worker processes build the app themselves, from the environment.
    os.environ[ENV_VAR] = resolve_url(db)
    if token is not None:
        os.environ[TOKEN_ENV] = token
    uvicorn.run("sitrep.serve.app:create_app", factory=True, workers=workers,
                **options)  # type: ignore[arg-type]
