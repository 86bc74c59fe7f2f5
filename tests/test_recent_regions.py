"""A store's recent events tell apart namesakes that nothing in an article's text decides.

"Stepove" names half a dozen front-line villages in as many oblasts; a sentence that names no
region leaves it at the country. A store that has held a month of news from Donetsk Oblast
puts it there, says why, and does so the same way whatever order a run saves in: a run reads
the store as it stood when it began.
"""

from __future__ import annotations

from datetime import date

import pytest

from sitrep.ingest import IngestOptions, ingest_articles
from sitrep.model import Article
from sitrep.store import Store

EARLIER = [
    ("k1", "Russian shelling killed three civilians in Kramatorsk on Monday, the regional "
           "governor said.", date(2023, 5, 15)),
    ("k2", "Two people were killed when a missile hit a market in Kostiantynivka, local "
           "officials said.", date(2023, 5, 22)),
    ("k3", "A drone strike killed a volunteer driver near Sloviansk, the police said.",
     date(2023, 5, 29)),
]


def _village() -> Article:
    return Article(
        id="v1",
        text="Russian shelling killed two civilians in Stepove on Tuesday, the military said.",
        published=date(2023, 6, 1),
    )


def _earlier(store: Store) -> None:
    ingest_articles([Article(id=i, text=t, published=d) for i, t, d in EARLIER], store)


def _village_claim(store: Store) -> dict:
    [claim] = [c for c in store.claims(kind="killed") if c["article_ext_id"] == "v1"]
    return claim


def test_the_store_counts_stories_per_region_before_a_date() -> None:
    store = Store.open("sqlite://")
    _earlier(store)
    assert store.recent_regions(date(2023, 6, 1)) == (("UA-14", 3),)
    # the weeks before only: nothing from a month later counts back
    assert store.recent_regions(date(2023, 5, 10)) == ()
    assert store.recent_regions(date(2023, 8, 1)) == ()


def test_recent_events_place_a_village_the_text_leaves_open() -> None:
    store = Store.open("sqlite://")
    _earlier(store)
    ingest_articles([_village()], store)
    claim = _village_claim(store)
    assert claim["iso3166_2"] == "UA-14"
    record = store.record(claim["article_id"])
    [place] = [p for p in record["places"] if p["text"] == "Stepove"]
    assert place["precision"] == "point"
    assert "the store holds 3 stories" in place["reason"]


@pytest.mark.parametrize("why", ["no store history", "turned off", "same run"])
def test_without_earlier_runs_the_village_stays_at_the_country(why: str) -> None:
    store = Store.open("sqlite://")
    if why == "no store history":
        ingest_articles([_village()], store)
    elif why == "turned off":
        _earlier(store)
        ingest_articles([_village()], store, IngestOptions(recent_days=0))
    else:  # the run's own articles are not its context: saving order must not matter
        ingest_articles([Article(id=i, text=t, published=d) for i, t, d in EARLIER]
                        + [_village()], store)
    claim = _village_claim(store)
    assert claim["iso3166_2"] is None and claim["place_country"] == "UA"
