"""Geocoding one name: the candidates a name has, and the rules that choose between
namesakes (raion, oblast, article, front, size) or answer coarser when nothing decides.

Part of ``sitrep.extract.places`` (see its docstring).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from spacy.lang.en.stop_words import STOP_WORDS as _STOP_WORDS

from sitrep.extract.places.context import (
    Line,
    near_front_line,
)
from sitrep.extract.places.gazetteer import _gazetteer
from sitrep.extract.places.names import _key, _skeleton
from sitrep.extract.places.results import Geo
from sitrep.extract.places.tables import _Tables, _tables

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
    recent: Mapping[str, int] | None = None,
) -> Geo:
    """Pick one gazetteer entry: an admin1 unit, then a country, named in the text (strong
    context before weak; a country only between places of comparable size), then population.

    Population counts ten times for an entry whose main name (not an alternate name) is the
    query, up to transliteration: GeoNames' alternate names hold errors ("Sloviansk" is also
    listed for Nikopol) and former names ("Pokrovsk" was Engels' name until 1931), main names
    rarely do; an exonym of a big city ("Kiev" for Kyiv) still beats a village of that name.

    Before those: a raion named beside it (``ctx_a2``: "Bakhmut district"), an admin1 unit
    named in the paragraph, then one named elsewhere in the article (``article_a1``; between
    places of comparable size only), then the
    front of the war the article is about (``front``). When nothing in the text decides
    between namesakes of comparable size, the store's recent events may (``recent``: stories
    per ISO 3166-2 code in the weeks before, ``Article.recent_regions``); else the answer is
    coarser, not a guess: their common oblast, or country.
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
        # an oblast named only elsewhere in the article decides between namesakes of
        # comparable size, as a country does: "Mykolaiv" in a story that also covers Donetsk
        # Oblast is still the city of 480,000, not a Donetsk village also called Mykolaiv
        return (bool(a2) and a2 in ctx_a2, iso in ctx_a1, fair and iso in article_a1, on_front,
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
    narrowed = [said[c] for c in decided]
    coarse = _undecided(gaz, t, tier, how, n, narrowed)
    if coarse is not None:
        seen = _recently_seen(gaz, tier, recent or {})
        if seen is None:
            return coarse
        picks, stories, rival = seen
        iso = _entry_iso(gaz, picks[0])
        by = " (kept those " + "; ".join(narrowed) + ")" if narrowed else ""
        why = (f"{how}: {n} candidates{by}; {len(tier)} alike in the text; the store holds "
               f"{stories} stories of the weeks before in {iso} (against {rival} in the "
               "namesakes' other regions)")
        if len(picks) > 1 and iso in t.admin1_by_iso:
            # the store decides the oblast; between its own namesakes nothing does
            return replace(t.admin1_by_iso[iso], reason=f"{why}; {len(picks)} there: the oblast")
        return _entry_geo(gaz, t, picks[0], f"{why}: the one there")
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


#: The store's recent events decide between namesakes only where one region clearly leads:
#: at least this many distinct stories there, and this many times those in the namesakes'
#: other regions together. A thin or split record is no evidence of where a village is.
RECENT_MIN_STORIES = 3
RECENT_LEAD = 3


def _recently_seen(
    gaz: dict[str, Any], tier: list[int], recent: Mapping[str, int]
) -> tuple[list[int], int, int] | None:
    """(the candidates in the region, its stories, the other regions' stories) when the
    store's recent events clearly put the place in one region of the namesakes', else None.

    Example:
        >>> gaz = {"a1": [0, 1], "admin1": [("UA", "14", "Donetsk", "UA-14", 0, 0),
        ...        ("UA", "63", "Kharkiv", "UA-63", 0, 0)], "pop": [0, 0]}
        >>> _recently_seen(gaz, [0, 1], {"UA-14": 9, "UA-63": 1})
        ([0], 9, 1)
        >>> _recently_seen(gaz, [0, 1], {"UA-14": 4, "UA-63": 3}) is None
        True
    """
    if not recent:
        return None
    by_iso: dict[str, list[int]] = {}
    for i in tier:
        iso = _entry_iso(gaz, i)
        if iso:
            by_iso.setdefault(iso, []).append(i)
    if len(by_iso) < 2 or any(_entry_iso(gaz, i) is None for i in tier):
        return None
    ranked = sorted(by_iso, key=lambda iso: recent.get(iso, 0), reverse=True)
    lead = recent.get(ranked[0], 0)
    rest = sum(recent.get(iso, 0) for iso in ranked[1:])
    if lead < RECENT_MIN_STORIES or lead < RECENT_LEAD * max(rest, 1):
        return None
    return by_iso[ranked[0]], lead, rest


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
