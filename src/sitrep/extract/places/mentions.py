"""Finding the places of a paragraph (``find_place_hits``, ``find_places``) and the one
that best says where a claim happened (``best_place``).

Part of ``sitrep.extract.places`` (see its docstring).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date

from spacy.lang.en.stop_words import STOP_WORDS as _STOP_WORDS
from spacy.tokens import Doc, Span

from sitrep.extract.doctext import doc_text as cached_text
from sitrep.extract.places.choose import _choose, _context_sets, _entry_iso
from sitrep.extract.places.context import (
    article_admin1,
    article_at_war,
    front_admin1,
    front_lines,
    war_countries,
)
from sitrep.extract.places.gazetteer import _gazetteer
from sitrep.extract.places.mention_rules import (
    _adjectival_country,
    _adjective_raions,
    _bare_admin1,
    _Cand,
    _city_district,
    _gazetteer_mention_ok,
    _headline_like,
    _hyphen_glued,
    _is_cap,
    _looks_demonym,
    _metonymic_capital,
    _person_spans,
    _piece_cands,
    _plural_region_after,
    _region_end,
    _translit_cands,
    _translit_context,
)
from sitrep.extract.places.names import _key
from sitrep.extract.places.results import _MAX_NGRAM, PRECISION_RANK, Geo, PlaceHit
from sitrep.extract.places.tables import _matcher, _tables
from sitrep.model import Place


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
    doc_text = cached_text(doc)
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
            last = doc[i + n - 1]
            if last.is_space or (last.is_punct and last.text not in "-'’"):
                break
            if n > 1 and last.is_alpha and not last.text[:1].isupper():
                if last.lower_ not in t.name_connectors:
                    break  # "Nova Kakhovka", "Rostov-on-Don", not "I 've" or "Center for"
            if last.text[:1] in "'’" and len(last.text) > 1:
                break
            if last.is_punct:
                continue
            # The n-gram's text cut from the doc's (what Span.text gives, without building
            # a Span and joining its tokens for each of the n-grams at every capital).
            k = _key(doc_text[tok.idx:last.idx + len(last.text)])
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
                bare = _bare_admin1(doc, doc[i:i + n], k, t, gaz, headline)
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
    recent = doc.user_data.get("recent_regions")  # the store's events of the weeks before
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
                          weak_cc, None, article_a1, at_front, lines if at_front else (), recent)
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
                          article_a1, at_front, lines if at_front else (), recent)
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


def best_place(places: Sequence[Place], near: int | None = None) -> Place | None:
    """The one place to give an event: the most precise place consistent with the others.

    A city or village is consistent when it lies in an admin1 unit named among ``places`` (or,
    when none is named, in a named country); an admin1 unit when its country is among the named
    countries (or none is named). Consistent places come first, then the finer precision
    (point < city < admin1 < country), then the place more others agree with, then the one
    nearest the character offset ``near`` (a claim's number), else the first.
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
        key=lambda i: (not consistent(places[i]), rank(places[i]), -support(places[i]),
                       abs(places[i].start - near) if near is not None else 0, i),
    )
    return places[order[0]]
