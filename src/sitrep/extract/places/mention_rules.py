"""What makes a span a place mention and not a person, a demonym, a media name or a
capital standing for its government: the tests ``find_place_hits`` applies.

Part of ``sitrep.extract.places`` (see its docstring).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc, Span

from sitrep.extract.doctext import doc_text
from sitrep.extract.places.choose import _bare_admin1_geos, _translit_lookup
from sitrep.extract.places.names import _key
from sitrep.extract.places.results import _NER_LABELS, Geo
from sitrep.extract.places.tables import _Tables, _tables

# --------------------------------------------------------------------------- finding places


_NAMED_TOWN = 10_000  # people: below it, a name that is also a person's is taken for the person


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
        # a town's name ("Bakhmut Mayor"), not a hamlet's: GeoNames lists hamlets named
        # like surnames and first names ("Peskov", "Sergii", "Metelkin")
        if any(gaz["cc"][i] in t.detail and gaz["pop"][i] >= _NAMED_TOWN
               for i in gaz["index"].get(w, ())):
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
    if not _GLUE.search(doc_text(doc)):
        return out  # most paragraphs: no token to look into
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
    label = ent.label_ if ent is not None else ""
    if label in ("DATE", "TIME"):
        return False  # "died last week during Ramadan" (also a village's alternate name)
    if headline:
        return True
    if label in ("GPE", "LOC", "FAC"):
        return True
    if label == "PERSON" and max(gaz["pop"][i] for i in c.ids) < _NAMED_TOWN:
        # a hamlet's name tagged as a person ("Peskov said") is a place only as an object
        # or where a preposition of place or a settlement word says so ("in Peskov", "the
        # village of", "Kibbutz Be'eri")
        if span.root.dep_ in ("dobj", "pobj"):
            return True  # "a missile struck Dmytrivka": people speak, villages are struck
        before = [x.lower_ for x in doc[max(0, span.start - 2):span.start]]
        return bool(before) and (before[-1] in t.locative_preps | t.settlement_words
                                 or (before[-1] == "of" and before[0] in t.settlement_words))
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
