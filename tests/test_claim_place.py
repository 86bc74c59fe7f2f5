"""A claim's place is where its figure happened: not a party, a recipient or a speaker's
country, and of two places the one the sentence puts the figure in."""

from __future__ import annotations

from typing import Any

import pytest

from sitrep.model import Article


def _claims(extractor: Any, text: str) -> dict[str, dict[str, Any]]:
    record = next(iter(extractor.extract([Article(id=f"place-{abs(hash(text))}", text=text)])))
    return {c["quantity"]["text"]: c for c in record["claims"]}


def _place(claim: dict[str, Any]) -> str | None:
    place = claim.get("place")
    return place["text"] if place else None


@pytest.mark.parametrize(("text", "number", "place"), [
    # a party that is blamed, accused or acts is not where the dead were
    ("Moscow blamed Ukraine for a drone strike on the Russian city of Kursk, in which "
     "it said four people died.", "four", "Kursk"),
    ("Officials accused Russia of shelling the town of Kupiansk, where two men were killed "
     "on Friday.", "two", "Kupiansk"),
    # the place whose relative clause holds the number, not the region before it
    ("Shells fell on villages across the Kharkiv region, including Vovchansk, where nine "
     "people were wounded.", "nine", "Vovchansk"),
    # of two towns, the one the figure is in
    ("After the attack on Kramatorsk, a strike on Pokrovsk killed at least five people.",
     "at least five", "Pokrovsk"),
    # a place struck, as the subject of a passive verb
    ("On Monday night Kharkiv was hit by missiles and three people were injured.", "three",
     "Kharkiv"),
])
def test_the_place_is_where_the_figure_happened(
    serve_extractor: Any, text: str, number: str, place: str
) -> None:
    claims = _claims(serve_extractor, text)
    assert number in claims, list(claims)
    assert _place(claims[number]) == place, claims[number].get("reasons")


@pytest.mark.parametrize(("text", "number"), [
    # money and equipment given to a country are not about a place
    ("Congress approved $61bn in military aid for Ukraine on Saturday.", "$61bn"),
    ("Britain will send 120 armoured vehicles to Kyiv, the defence secretary said.", "120"),
    # a count of money takes no place from the paragraph around it
    ("Air raid sirens sounded across Kyiv. The European Union later agreed a €50bn package.",
     "€50bn"),
])
def test_no_place_for_what_is_given(serve_extractor: Any, text: str, number: str) -> None:
    claims = _claims(serve_extractor, text)
    assert number in claims, list(claims)
    assert _place(claims[number]) is None, claims[number].get("reasons")


def test_a_harm_count_takes_the_place_its_paragraph_is_about(serve_extractor: Any) -> None:
    claims = _claims(serve_extractor, "Russian missiles struck Zaporizhzhia on Thursday "
                     "morning. Eleven civilians were wounded, the governor said.")
    assert _place(claims["Eleven"]) == "Zaporizhzhia"


def test_an_oblast_named_elsewhere_does_not_turn_a_city_into_a_village(
    serve_extractor: Any
) -> None:
    # Donetsk Oblast has a village also listed as "Mykolaiv"; the city of 480,000 is meant.
    text = ("Fighting continued in the Donetsk region, where Russian forces pressed towards "
            "Pokrovsk.\n\nIn the south, the mayor of Mykolaiv said two people were killed "
            "when a missile hit a warehouse in Mykolaiv overnight.")
    place = _claims(serve_extractor, text)["two"]["place"]
    assert (place["text"], place["admin1"]) == ("Mykolaiv", "Mykolaiv Oblast"), place
