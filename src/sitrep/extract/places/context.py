"""What an article says about where it is, beyond the paragraph a place is named in.

Two kinds of evidence for choosing between places of one name (``places._choose``):

* **the article's regions**: first-level units named with a region word anywhere in the
  article ("Donetsk region", "Kursk Oblast", "Donetsk and Luhansk regions") and the regions
  of the table that span units ("Donbas" is Donetsk and Luhansk oblasts);
* **the war's front** (``places.json`` ``war_fronts``): in an article about a war (its
  countries in sight, or a bare list of names), a place of that name in an oblast where the
  war is fought at the article's date beats a namesake elsewhere of comparable size.

Example:
    >>> sorted(article_admin1("Shelling hit the Donetsk region.\\nTwo were hurt in Kharkiv."))
    ['UA-14']
    >>> sorted(front_admin1(date(2015, 1, 1)))
    ['UA-09', 'UA-14']
"""

from __future__ import annotations

import math
import re
from datetime import date
from functools import cache, lru_cache
from typing import Any

from sitrep.extract.alternation import literal_alternation
from sitrep.extract.lexicon import load_data


@cache
def _cfg() -> dict[str, Any]:
    data: dict[str, Any] = load_data("places.json")
    return data


@cache
def war_countries() -> frozenset[str]:
    """The countries of the wars in ``war_fronts`` ("UA", "RU")."""
    return frozenset(cc for w in _cfg().get("war_fronts", ()) for cc in w["countries"])


@lru_cache(maxsize=64)
def front_admin1(published: date | None) -> frozenset[str]:
    """ISO 3166-2 codes of the front's oblasts at ``published`` (every zone when None).

    Example:
        >>> "UA-63" in front_admin1(date(2023, 5, 1)), "UA-63" in front_admin1(date(2016, 5, 1))
        (True, False)
    """
    out: set[str] = set()
    for war in _cfg().get("war_fronts", ()):
        for zone in war["zones"]:
            begun = date.fromisoformat(zone["from"]) <= published if published else True
            ended = bool(published and zone.get("to")
                         and published > date.fromisoformat(zone["to"]))
            if begun and not ended:
                out.update(zone["admin1"])
    return frozenset(out)


@cache
def _region_pattern() -> tuple[re.Pattern[str], dict[str, tuple[str, ...]]]:
    """One regex for "<stem> [border] region/oblast" and the table's spanning regions."""
    cfg = _cfg()
    by_key: dict[str, set[str]] = {}
    for a in cfg["admin1"]:
        for s in a.get("stems", []):
            by_key.setdefault(s.lower(), set()).add(a["iso"])
    for r in cfg["regions"]:
        for al in r["aliases"]:
            if r.get("within"):
                by_key.setdefault(al.lower(), set()).update(r["within"])
    words = "|".join(re.escape(w) for w in sorted(cfg["region_words"], key=len, reverse=True))
    borders = "|".join(re.escape(w) for w in cfg["border_words"])
    # Stems and aliases are lower case (matched ignoring case) and a few hundred: as a trie
    # the scan of an article is several times faster and matches the same (alternation.py).
    stems = literal_alternation(by_key)
    aliases = literal_alternation(
        {al.lower() for r in cfg["regions"] if r.get("within") for al in r["aliases"]}
    )
    # "Donetsk region", "Donetsk and Luhansk regions": a stem, then (after other stems joined
    # by "and" or commas) a region word; or a spanning region ("Donbas") on its own
    pat = re.compile(
        rf"\b(?P<stems>(?:(?:{stems})(?:\s*,\s*|\s+and\s+))*(?:{stems}))\s+"
        rf"(?:(?:{borders})\s+)?(?:{words})\b|\b(?P<alias>{aliases})\b",
        re.IGNORECASE,
    )
    return pat, {k: tuple(sorted(v)) for k, v in by_key.items()}


@lru_cache(maxsize=16)
def article_admin1(text: str) -> frozenset[str]:
    """ISO 3166-2 codes of the regions an article names with a region word, or as a region
    of the table ("Donbas").

    Example:
        >>> sorted(article_admin1("Fighting in the Donbas and in Russia's Kursk region."))
        ['RU-KRS', 'UA-09', 'UA-14']
    """
    pat, by_key = _region_pattern()
    out: set[str] = set()
    for m in pat.finditer(text):
        if m.group("alias"):
            out.update(by_key.get(m.group("alias").lower(), ()))
            continue
        for part in re.split(r"\s*,\s*|\s+and\s+", m.group("stems")):
            isos = by_key.get(part.lower(), ())
            # a stem of several units ("Kyiv": the city and the oblast) needs the oblast
            out.update(isos if len(isos) == 1 else [i for i in isos if not i.endswith("-30")])
    return frozenset(out)


Line = tuple[tuple[float, float], ...]


@lru_cache(maxsize=64)
def front_lines(published: date | None) -> tuple[tuple[Line, float], ...]:
    """The lines of contact (waypoints, tolerance in km) at ``published`` (none when None:
    the line moved too much for one to stand for every date).

    Example:
        >>> len(front_lines(date(2018, 6, 1))), front_lines(None)
        (1, ())
    """
    if published is None:
        return ()
    out: list[tuple[Line, float]] = []
    for war in _cfg().get("war_fronts", ()):
        for zone in war["zones"]:
            if not zone.get("line"):
                continue
            ended = zone.get("to") and published > date.fromisoformat(zone["to"])
            if date.fromisoformat(zone["from"]) <= published and not ended:
                line = tuple((float(a), float(b)) for a, b in zone["line"])
                out.append((line, float(zone.get("line_km", 30))))
    return tuple(out)


def km_to_line(lat: float, lon: float, line: Line) -> float:
    """Distance in km from a point to a polyline (flat-earth projection: fine at this scale).

    Example:
        >>> round(km_to_line(48.0, 37.0, ((48.0, 36.0), (48.0, 38.0))))
        0
    """
    kx = 111.32 * math.cos(math.radians(lat))
    ky = 110.57
    best = math.inf
    for (a_lat, a_lon), (b_lat, b_lon) in zip(line, line[1:], strict=False):
        ax, ay = (a_lon - lon) * kx, (a_lat - lat) * ky
        bx, by = (b_lon - lon) * kx, (b_lat - lat) * ky
        dx, dy = bx - ax, by - ay
        seg = dx * dx + dy * dy
        f = 0.0 if seg == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / seg))
        best = min(best, math.hypot(ax + f * dx, ay + f * dy))
    return best


def near_front_line(lat: float, lon: float, lines: tuple[tuple[Line, float], ...]) -> bool:
    """Whether the point lies within a line's tolerance of one of ``lines``."""
    return any(km_to_line(lat, lon, line) <= km for line, km in lines)


@cache
def _war_words() -> re.Pattern[str]:
    words = sorted({w for war in _cfg().get("war_fronts", ()) for w in war.get("words", ())},
                   key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b")


@lru_cache(maxsize=16)
def article_at_war(text: str) -> bool:
    """Whether an article speaks of a war of ``war_fronts`` (its countries, capitals, people).

    Example:
        >>> article_at_war("Rebels shelled Peski. Kyiv said two soldiers died.")
        True
        >>> article_at_war("Floods hit Peski.")
        False
    """
    return _war_words().search(text) is not None
