"""Rows in the shapes conflict researchers use: UCDP GED-like and ACLED-like event tables,
flat claim rows, and schema.org ``Claim`` JSON-LD.

Inputs are the plain dicts that ``sitrep.store.Store`` returns (event and claim rows with
their article's title, outlet, url and published date).

Example:
    >>> ev = {"date_start": "2024-05-23", "date_end": "2024-05-23", "date_precision": "day",
    ...       "country": "UA", "admin1": "Kharkiv Oblast", "location": "Kharkiv",
    ...       "lat": 49.99, "lon": 36.23, "where_precision": "city", "killed_low": 7,
    ...       "killed_best": 7, "killed_high": 7, "side_a": "RU", "side_b": None,
    ...       "outlet": "Example Wire", "published": "2024-05-23", "article_title": "Strike",
    ...       "article_url": None, "type": "Explosions/Remote violence", "record": {}}
    >>> ucdp_row(ev)["best"], ucdp_row(ev)["country"]
    (7, 'Ukraine')
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

import pycountry

from sitrep.analyse.sources import claim_identity
from sitrep.extract.lexicon import load_data
from sitrep.model import speaker_entity

UCDP_COLUMNS = (
    "date_start", "date_end", "date_prec", "country", "adm_1", "where_description",
    "latitude", "longitude", "where_prec", "side_a", "side_b", "best", "low", "high",
    "source_article", "source_office", "source_headline", "source_original",
)
ACLED_COLUMNS = (
    "event_date", "time_precision", "event_type", "country", "admin1", "location",
    "latitude", "longitude", "geo_precision", "actor1", "actor2", "fatalities", "notes",
    "source",
)
CLAIM_COLUMNS = (
    "article", "outlet", "published", "sources", "kind", "scope", "quantity", "low", "best",
    "high", "approx", "unit", "currency", "speaker", "speaker_mention", "speaker_anonymous",
    "speaker_country", "speaker_side", "cue", "quote", "subject_actor", "subject_country",
    "place", "admin1", "iso3166_2", "lat", "lon", "said_on", "sentence",
)

# UCDP GED codes: date_prec 1 = exact day, 3 = week, 4 = month, 5 = year;
# where_prec 1 = exact place, 2 = within 25 km, 4 = admin1, 6 = country.
_UCDP_DATE_PREC = {"day": 1, "week": 3, "month": 4, "year": 5}
_UCDP_WHERE_PREC = {"point": 1, "city": 2, "admin1": 4, "country": 6}
# ACLED: time_precision 1 = day, 2 = week, 3 = month (or coarser);
# geo_precision 1 = the town itself, 2 = near a town / part of a region, 3 = a province.
_ACLED_TIME_PREC = {"day": 1, "week": 2, "month": 3, "year": 3}
_ACLED_GEO_PREC = {"point": 1, "city": 1, "admin1": 3, "country": 3}


@lru_cache(maxsize=512)
def country_name(code: str | None) -> str | None:
    """English country name for an ISO 3166-1 alpha-2 code (pycountry).

    Example:
        >>> country_name("RU")
        'Russian Federation'
    """
    if not code:
        return None
    found = pycountry.countries.get(alpha_2=code)
    if found is None:
        return code
    return str(getattr(found, "common_name", None) or found.name)


def _int(value: Any) -> int | None:
    return None if value is None else int(round(float(value)))


def _source_original(event: dict[str, Any]) -> str | None:
    """Who first said it: the speakers of the event's killed claims, else the outlet."""
    speakers = event.get("speakers") or []
    return "; ".join(speakers) if speakers else event.get("outlet")


def ucdp_row(event: dict[str, Any]) -> dict[str, Any]:
    """One event as a UCDP GED-like row (deaths = killed, all sides)."""
    return {
        "date_start": event.get("date_start"),
        "date_end": event.get("date_end"),
        "date_prec": _UCDP_DATE_PREC.get(event.get("date_precision") or ""),
        "country": country_name(event.get("country")),
        "adm_1": event.get("admin1"),
        "where_description": event.get("location"),
        "latitude": event.get("lat"),
        "longitude": event.get("lon"),
        "where_prec": _UCDP_WHERE_PREC.get(event.get("where_precision") or ""),
        "side_a": event.get("side_a"),
        "side_b": event.get("side_b"),
        "best": _int(event.get("killed_best")),
        "low": _int(event.get("killed_low")),
        "high": _int(event.get("killed_high")),
        "source_article": ",".join(
            str(x) for x in (event.get("outlet"), event.get("published"),
                             event.get("article_title")) if x
        ),
        "source_office": event.get("outlet"),
        "source_headline": event.get("article_title"),
        "source_original": _source_original(event),
    }


def acled_fatalities(event: dict[str, Any], killed_claims: Iterable[dict[str, Any]] = ()) -> int:
    """An event's fatalities as ACLED codes them: a vague toll at ACLED's conservative point.

    sitrep's ``best`` for "dozens" is 24, the least the word allows; ACLED codes 12 for
    "dozens", 10 for "tens", 100 for "hundreds" (``acled`` in quantities.json). When the
    event's killed best is one vague claim's best, that word's ACLED value is the count;
    otherwise the event's best.

    Example:
        >>> acled_fatalities({"killed_best": 24.0},
        ...                  [{"best": 24.0, "rule": "bound.at_least+vague.dozens"}])
        12
        >>> acled_fatalities({"killed_best": 7.0}, [{"best": 7.0, "rule": "num.words"}])
        7
    """
    best = _int(event.get("killed_best")) or 0
    vague = load_data("quantities.json")["vague"]
    for claim in killed_claims:
        if _int(claim.get("best")) != best:
            continue
        for part in (claim.get("rule") or "").split("+"):
            key = part.removeprefix("vague.").replace("_", " ")
            if part.startswith("vague.") and "acled" in vague.get(key, {}):
                return int(vague[key]["acled"])
    return best


def acled_row(event: dict[str, Any]) -> dict[str, Any]:
    """One event as an ACLED-like row (fatalities: ``acled_fatalities``; the export sets
    ``acled_fatalities`` on the event from its killed claims)."""
    return {
        "event_date": event.get("date_start"),
        "time_precision": _ACLED_TIME_PREC.get(event.get("date_precision") or ""),
        "event_type": event.get("type"),
        "country": country_name(event.get("country")),
        "admin1": event.get("admin1"),
        "location": event.get("location"),
        "latitude": event.get("lat"),
        "longitude": event.get("lon"),
        "geo_precision": _ACLED_GEO_PREC.get(event.get("where_precision") or ""),
        "actor1": event.get("side_a"),
        "actor2": event.get("side_b"),
        "fatalities": event.get("acled_fatalities", _int(event.get("killed_best")) or 0),
        "notes": event.get("notes") or event.get("article_title"),
        "source": event.get("outlet"),
    }


def claim_row(claim: dict[str, Any]) -> dict[str, Any]:
    """A flat claim row for CSV, JSON Lines and Parquet."""
    return {
        "article": claim.get("article_ext_id"),
        "outlet": claim.get("outlet"),
        "published": claim.get("published"),
        "sources": claim.get("sources"),
        "kind": claim.get("kind"),
        "scope": claim.get("scope"),
        "quantity": claim.get("quantity"),
        "low": claim.get("low"),
        "best": claim.get("best"),
        "high": claim.get("high"),
        "approx": claim.get("approx"),
        "unit": claim.get("unit"),
        "currency": claim.get("currency"),
        "speaker": speaker_entity(claim),
        "speaker_mention": claim.get("speaker_text"),
        "speaker_anonymous": claim.get("speaker_anonymous"),
        "speaker_country": claim.get("speaker_country"),
        "speaker_side": claim.get("speaker_side"),
        "cue": claim.get("cue"),
        "quote": claim.get("quote"),
        "subject_actor": claim.get("subject_actor"),
        "subject_country": claim.get("subject_country"),
        "place": claim.get("place_name"),
        "admin1": claim.get("admin1"),
        "iso3166_2": claim.get("iso3166_2"),
        "lat": claim.get("lat"),
        "lon": claim.get("lon"),
        "said_on": claim.get("said_on"),
        "sentence": claim.get("sentence"),
    }


def claimreview(claims: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """schema.org ``Claim`` JSON-LD: author = speaker, appearance = every carrying article.

    Claims that are the same (``claim_identity``) across articles, syndicated copies
    included, become one ``Claim`` whose ``appearance`` lists each article and whose
    ``firstAppearance`` is the earliest.
    """
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for c in claims:
        groups.setdefault(claim_identity(c), []).append(c)
    for members in groups.values():
        members.sort(key=lambda c: (c.get("published") or "9999", c.get("article_id") or 0))
        first = members[0]
        appearances = []
        seen: set[Any] = set()
        for c in members:
            if c.get("article_id") in seen:
                continue
            seen.add(c.get("article_id"))
            appearances.append(_creative_work(c))
        author: dict[str, Any] | None = None
        if first.get("speaker_text"):
            anonymous = bool(first.get("speaker_anonymous"))
            author = {
                "@type": "Person" if first.get("speaker_name") else "Organization",
                "name": first.get("speaker_name") or speaker_entity(first),
            }
            if anonymous:
                author["description"] = "anonymous source"
        else:
            author = {"@type": "Organization", "name": first.get("outlet") or "unknown"}
        yield {
            "@context": "https://schema.org",
            "@type": "Claim",
            "text": first.get("sentence"),
            "author": author,
            "datePublished": first.get("said_on"),
            "firstAppearance": appearances[0],
            "appearance": appearances,
            "about": {
                "@type": "QuantitativeValue",
                "name": first.get("kind"),
                "minValue": first.get("low"),
                "maxValue": first.get("high"),
                "value": first.get("best"),
                "unitText": first.get("unit") or first.get("currency"),
            },
        }


def _creative_work(c: dict[str, Any]) -> dict[str, Any]:
    return {
        "@type": "NewsArticle",
        "headline": c.get("article_title"),
        "url": c.get("article_url"),
        "datePublished": c.get("published"),
        "publisher": {"@type": "Organization", "name": c.get("outlet")} if c.get("outlet")
        else None,
    }
