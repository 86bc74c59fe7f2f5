"""The server's cache of whole-database figures (sitrep.serve.data.Backend): reads never wait
for a rebuild.

While another process ingests into the served database, a read returns the last computed value
at once and one background thread recomputes it. Each rebuild here is held on a
``threading.Event``, so the tests see a read during a pending rebuild without timing anything
(the timeouts only keep a broken cache from hanging the suite). Both backends (``db_url``).
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

import pytest

from sitrep.model import Article
from sitrep.serve.data import Backend
from sitrep.store import Store

PROMPT = 10.0  # seconds a read may take before the test calls it blocked (it takes ms)
GATE = 30.0  # seconds a held rebuild waits for its release at most


def _ingest_elsewhere(db_url: str, ext_id: str, text: str) -> None:
    """Store one article through a store of its own, as `sitrep ingest` in another process
    does."""
    with Store.open(db_url) as writer:
        run = writer.start_run("sitrep ingest wire.jsonl")
        art = Article(id=ext_id, text=text, published=date(2024, 11, 18), outlet="Example Wire")
        record = {"schema": 1, "id": ext_id, "published": "2024-11-18", "statements": [],
                  "claims": [], "events": [], "times": [], "places": []}
        writer.save_article(art, record, run)
        writer.finish_run(run, {"read": 1, "stored": 1})


class HeldRebuild:
    """A computation that waits for ``release()`` and counts how often it started."""

    def __init__(self, compute: Callable[[], Any]) -> None:
        self.compute = compute
        self.started = threading.Event()
        self.gate = threading.Event()
        self.calls = 0

    def __call__(self) -> Any:
        self.calls += 1
        self.started.set()
        assert self.gate.wait(GATE), "the held rebuild was never released"
        return self.compute()

    def release(self) -> None:
        self.gate.set()


@pytest.fixture
def backend(db_url: str) -> Iterator[Backend]:
    store = Store.open(db_url)
    found = Backend(store)
    found.fingerprint_every = 0.0  # see every write at once (the server reuses it for 1 s)
    try:
        yield found
    finally:
        found.close()
        store.close()


@pytest.fixture
def reader() -> Iterator[ThreadPoolExecutor]:
    """A thread to read from, so that a read that blocks fails the test instead of hanging."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        yield pool


def test_a_read_during_a_rebuild_returns_the_previous_value(
    backend: Backend, db_url: str, reader: ThreadPoolExecutor
) -> None:
    def articles() -> int:
        return backend.store.count("articles")

    assert backend.cached("articles", articles) == 0
    _ingest_elsewhere(db_url, "odesa-1", "A missile strike on Odesa killed ten people, "
                                         "regional governor Oleh Kiper said on Monday.")
    rebuild = HeldRebuild(articles)

    during = reader.submit(backend.cached, "articles", rebuild).result(timeout=PROMPT)
    assert during == 0  # the previous value, while the rebuild is held
    assert rebuild.started.wait(PROMPT), "the change started a background rebuild"
    again = reader.submit(backend.cached, "articles", rebuild).result(timeout=PROMPT)
    assert again == 0 and rebuild.calls == 1  # one rebuild at a time, however many reads

    rebuild.release()
    assert backend.wait_for_refreshes(GATE)
    assert backend.cached("articles", rebuild) == 1
    assert rebuild.calls == 1  # the new value is fresh: no further rebuild


def test_a_failed_rebuild_keeps_serving_the_previous_value(
    backend: Backend, db_url: str, reader: ThreadPoolExecutor
) -> None:
    assert backend.cached("stats-like", lambda: {"articles": 0}) == {"articles": 0}
    _ingest_elsewhere(db_url, "kharkiv-1", "Seven people were killed in Kharkiv, the "
                                           "regional governor said.")

    def broken() -> dict[str, int]:
        raise RuntimeError("the database went away mid-rebuild")

    assert reader.submit(backend.cached, "stats-like", broken).result(timeout=PROMPT) == {
        "articles": 0}
    assert backend.wait_for_refreshes(GATE)

    def working() -> dict[str, int]:
        return {"articles": backend.store.count("articles")}

    assert backend.cached("stats-like", working) == {"articles": 0}  # still; a rebuild queued
    assert backend.wait_for_refreshes(GATE)
    assert backend.cached("stats-like", working) == {"articles": 1}


def test_a_write_through_the_server_is_read_back_at_once(backend: Backend, db_url: str) -> None:
    assert backend.stats()["articles"] == 0
    assert backend.count("articles", {"search": "Kiper"}) == 0
    _ingest_elsewhere(db_url, "odesa-1", "A missile strike on Odesa killed ten people, "
                                         "regional governor Oleh Kiper said on Monday.")
    backend.invalidate()  # what POST /api/articles does after storing
    assert backend.stats()["articles"] == 1
    assert backend.count("articles", {"search": "Kiper"}) == 1


def test_the_api_answers_from_the_previous_figures_while_they_are_rebuilt(
    db_url: str, reader: ThreadPoolExecutor, monkeypatch: pytest.MonkeyPatch
) -> None:
    with warnings.catch_warnings():  # starlette: "install httpx2 instead"; httpx works
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    from sitrep.serve import create_app

    with TestClient(create_app(db_url)) as client:
        backend: Backend = client.app.state.backend  # type: ignore[attr-defined]
        backend.fingerprint_every = 0.0
        assert client.get("/api/stats").json()["articles"] == 0
        rebuild = HeldRebuild(backend._stats)  # the real computation, held
        monkeypatch.setattr(Backend, "_stats", lambda self: rebuild())
        _ingest_elsewhere(db_url, "odesa-1", "A missile strike on Odesa killed ten people, "
                                             "regional governor Oleh Kiper said on Monday.")

        stats = reader.submit(client.get, "/api/stats").result(timeout=PROMPT)
        assert stats.status_code == 200 and stats.json()["articles"] == 0
        overview = reader.submit(client.get, "/").result(timeout=PROMPT)
        assert overview.status_code == 200
        assert rebuild.started.wait(PROMPT)

        rebuild.release()
        assert backend.wait_for_refreshes(GATE)
        assert client.get("/api/stats").json()["articles"] == 1
