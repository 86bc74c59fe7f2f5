"""Geo and PlaceHit: what geocoding and place finding give back.

Part of ``sitrep.extract.places`` (see its docstring).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from sitrep.model import Place

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
