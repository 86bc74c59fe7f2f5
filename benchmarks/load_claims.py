"""Load test of the API: concurrent clients against ``/api/claims`` on a 10,000-claim database.

Builds (or reuses) a SQLite database of ``--claims`` claims, stored directly as contract records
through ``Store.save_article`` (no spaCy), starts ``python -m sitrep.serve`` on 127.0.0.1 and a
free port, runs ``--clients`` concurrent clients (asyncio + httpx) for ``--seconds`` against
``/api/claims`` with a mix of filters, sorts and pages, stops the server and prints requests,
errors, requests per second and latency percentiles. Loopback only; the run is bounded in time
(at most 120 s of load) and in clients (at most 200), and stops by itself.

Run: .venv/bin/python benchmarks/load_claims.py [--claims 10000] [--clients 50] [--seconds 20]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from sitrep.model import Article  # noqa: E402
from sitrep.store import Store  # noqa: E402

HOST = "127.0.0.1"  # loopback only: never another address
CLAIMS_PER_ARTICLE = 4
MAX_SECONDS = 120
MAX_CLIENTS = 200

PLACES = [("Kharkiv", "UA", "Kharkiv Oblast", "UA-63", 49.98, 36.25),
          ("Kherson", "UA", "Kherson Oblast", "UA-65", 46.64, 32.61),
          ("Pokrovsk", "UA", "Donetsk Oblast", "UA-14", 48.28, 37.18),
          ("Sudzha", "RU", "Kursk Oblast", "RU-KRS", 51.19, 35.27),
          ("Belgorod", "RU", "Belgorod Oblast", "RU-BEL", 50.60, 36.59)]
SPEAKERS = [("Ukraine's General Staff", None, "UA", False),
            ("Russia's defence ministry", None, "RU", False),
            ("regional governor Oleh Syniehubov", "Oleh Syniehubov", "UA", False),
            ("a senior U.S. military official", None, "US", True),
            (None, None, None, False)]
KINDS = ["killed", "wounded", "captured", "missing", "casualties"]
SUBJECTS = [("Russian troops", "RU:forces", "RU"), ("civilians", "UA:civilians", "UA"),
            ("Ukrainian soldiers", "UA:forces", "UA")]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _article(i: int, rng: random.Random) -> tuple[Article, dict[str, Any]]:
    """One article of ``CLAIMS_PER_ARTICLE`` sentences and its contract record."""
    published = date(2024, 1, 1) + timedelta(days=i % 365)
    sentences: list[str] = []
    claims: list[dict[str, Any]] = []
    offset = 0
    for j in range(CLAIMS_PER_ARTICLE):
        place, country, admin1, iso, lat, lon = rng.choice(PLACES)
        speaker, name, sp_country, anonymous = rng.choice(SPEAKERS)
        kind = rng.choice(KINDS)
        subject, actor, subj_country = rng.choice(SUBJECTS)
        n = rng.randint(2, 900)
        number = str(n)
        who = speaker or "Report"
        sentence = (f"{who} said {number} {subject} were {kind} near {place} in the fighting "
                    f"reported in dispatch {i}-{j}.")
        start = offset
        q_start = start + len(who) + len(" said ")
        place_start = sentence.index(place) + start
        claim: dict[str, Any] = {
            "id": f"c{j + 1}", "start": start, "end": start + len(sentence),
            "quantity": {"text": number, "start": q_start, "end": q_start + len(number),
                         "kind": kind, "low": n, "high": n, "best": n, "approx": "exact",
                         "unit": "people", "currency": None, "rule": "num.exact"},
            "speaker": None if speaker is None else {
                "text": speaker, "start": start, "end": start + len(speaker), "name": name,
                "role": None, "anonymous": anonymous, "country": sp_country,
                "side": sp_country},
            "cue": None if speaker is None else {"text": "said", "start": start + len(who) + 1,
                                                 "end": start + len(who) + 5},
            "quote": None if speaker is None else "indirect",
            "hedges": [],
            "subject": {"text": subject, "start": q_start + len(number) + 1,
                        "end": q_start + len(number) + 1 + len(subject), "actor": actor,
                        "country": subj_country},
            "place": {"text": place, "start": place_start, "end": place_start + len(place),
                      "name": place, "country": country, "admin1": admin1, "iso3166_2": iso,
                      "lat": lat, "lon": lon, "precision": "city"},
            "time": None,
            "said_on": published.isoformat(),
            "evidence": [{"start": start, "end": start + len(sentence)}],
            "statement": None,
            "reasons": {"quantity": "num.exact"},
        }
        claims.append(claim)
        sentences.append(sentence)
        offset += len(sentence) + 1
    text = " ".join(sentences)
    art = Article(id=f"load-{i}", text=text, published=published, title=f"Dispatch {i}",
                  url=f"https://example.org/load/{i}", outlet=f"Outlet {i % 11}")
    record = {"schema": 1, "id": art.id, "published": published.isoformat(),
              "statements": [], "claims": claims, "events": [], "times": [], "places": []}
    return art, record


def build(db: Path, n_claims: int, seed: int = 7) -> int:
    """Fill ``db`` with ``n_claims`` claims unless it has them already; return the count."""
    with Store.open(str(db)) as store:
        have = store.count("claims")
        if have >= n_claims:
            return have
        rng = random.Random(seed)
        run = store.start_run("benchmarks/load_claims.py", "bench")
        first = store.count("articles")
        todo = -(-(n_claims - have) // CLAIMS_PER_ARTICLE)
        for i in range(first, first + todo):
            art, record = _article(i, rng)
            store.save_article(art, record, run)
        store.finish_run(run, {"read": todo, "stored": todo})
        return store.count("claims")


def _params(rng: random.Random) -> dict[str, Any]:
    """A realistic mix of claim queries: pages, filters, sorts, text search."""
    choice = rng.random()
    if choice < 0.3:
        return {"limit": 100, "offset": rng.randrange(0, 9900, 100)}
    if choice < 0.5:
        return {"kind": rng.choice(KINDS), "limit": 50}
    if choice < 0.65:
        return {"subject_country": rng.choice(["RU", "UA"]), "sort": "-best", "limit": 100}
    if choice < 0.8:
        return {"place": rng.choice(PLACES)[0], "said_from": "2024-06-01", "limit": 100}
    if choice < 0.9:
        return {"q": rng.choice(["Kharkiv", "dispatch 12", "governor"]), "limit": 20}
    return {"anonymous": "true", "sort": "-said_on", "limit": 100}


async def _client(base: str, seconds: float, seed: int, latencies: list[float],
                  errors: list[str], client: httpx.AsyncClient) -> None:
    rng = random.Random(seed)
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        params = _params(rng)
        t0 = time.perf_counter()
        try:
            answer = await client.get(f"{base}/api/claims", params=params)
            if answer.status_code != 200:
                errors.append(f"{answer.status_code} {params}")
            else:
                answer.json()
        except httpx.HTTPError as exc:
            errors.append(f"{type(exc).__name__} {params}")
        latencies.append(time.perf_counter() - t0)


async def load(base: str, clients: int, seconds: float) -> dict[str, Any]:
    """Run ``clients`` concurrent clients for ``seconds``; return the figures."""
    latencies: list[float] = []
    errors: list[str] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(limits=limits, timeout=30.0, trust_env=False) as client:
        started = time.perf_counter()
        await asyncio.gather(*(
            _client(base, seconds, seed, latencies, errors, client) for seed in range(clients)
        ))
        elapsed = time.perf_counter() - started
    ms = sorted(x * 1000 for x in latencies)

    def pct(p: float) -> float:
        return round(ms[min(len(ms) - 1, int(p / 100 * len(ms)))], 1) if ms else float("nan")

    return {
        "requests": len(ms), "errors": len(errors), "seconds": round(elapsed, 1),
        "requests_per_s": round(len(ms) / elapsed, 1), "p50_ms": pct(50), "p90_ms": pct(90),
        "p99_ms": pct(99), "max_ms": round(ms[-1], 1) if ms else None,
        "mean_ms": round(statistics.fmean(ms), 1) if ms else None,
        "first_errors": errors[:5],
    }


def _wait(base: str, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with {proc.returncode}")
        try:
            if httpx.get(f"{base}/api/stats", timeout=2, trust_env=False).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("the server did not answer in time")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path,
                        default=Path(tempfile.gettempdir()) / "sitrep-load-claims.db",
                        help="SQLite file to build or reuse")
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=1, help="server processes")
    args = parser.parse_args()
    if not 1 <= args.clients <= MAX_CLIENTS:
        parser.error(f"--clients must be 1..{MAX_CLIENTS}")
    if not 0 < args.seconds <= MAX_SECONDS:
        parser.error(f"--seconds must be in (0, {MAX_SECONDS}]")

    t0 = time.perf_counter()
    n = build(args.db, args.claims)
    print(f"database: {args.db} ({n} claims, ready in {time.perf_counter() - t0:.1f}s)",
          flush=True)

    port = _free_port()
    base = f"http://{HOST}:{port}"
    env = {k: v for k, v in os.environ.items() if k != "SITREP_TOKEN"}
    env["PYTHONPATH"] = str(ROOT / "src")
    proc = subprocess.Popen(
        [sys.executable, "-m", "sitrep.serve", "--db", str(args.db), "--host", HOST,
         "--port", str(port), "--log-level", "warning", "--workers", str(args.workers)],
        env=env,
    )
    try:
        _wait(base, proc)
        httpx.get(f"{base}/api/claims", timeout=60, trust_env=False)  # warm the caches
        print(f"load: {args.clients} clients for {args.seconds:.0f}s against {base}/api/claims",
              flush=True)
        figures = asyncio.run(load(base, args.clients, args.seconds))
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)
    print(f"requests {figures['requests']}, errors {figures['errors']}, "
          f"{figures['requests_per_s']} req/s, p50 {figures['p50_ms']} ms, "
          f"p99 {figures['p99_ms']} ms (p90 {figures['p90_ms']} ms, max {figures['max_ms']} ms)")
    print(json.dumps({"claims": n, "clients": args.clients, "workers": args.workers,
                      **figures}))


if __name__ == "__main__":
    main()
