"""Per-process look-up tables over the gazetteer (names, stems, regions) and the
phrase matcher that finds their mentions.

Part of ``sitrep.extract.places`` (see its docstring).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import pycountry
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from sitrep.extract.places.gazetteer import _config, _gazetteer, _subdivision_core
from sitrep.extract.places.names import _key
from sitrep.extract.places.results import Geo

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
    settlement_words: frozenset[str]
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
        settlement_words=frozenset(cfg["settlement_words"]),
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
