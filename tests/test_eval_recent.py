"""Scoring a dated set as a store reads it one day a run (``sitrep.eval_recent``).

A text whose place was left open between namesakes is read again with the regions of the
events that the days before it gave; the same day's texts and events older than the window
are no context.
"""

from __future__ import annotations

from datetime import date

from sitrep.eval_recent import read_by_day
from sitrep.model import Article

OPEN = {"places": [{"reason": "6 alike in 6 regions of UA, nothing in the text decides"}],
        "events": []}


def _struck(iso: str, on: str) -> dict:
    return {"places": [{"reason": "one gazetteer match"}],
            "events": [{"iso3166_2": iso, "date_start": on}]}


def test_an_open_place_is_read_again_with_the_days_before() -> None:
    arts = [
        Article(id="a", text="x", published=date(2023, 4, 1)),  # too old for the window
        Article(id="b", text="x", published=date(2023, 5, 20)),
        Article(id="c", text="x", published=date(2023, 5, 25)),
        Article(id="d", text="x", published=date(2023, 6, 1)),  # same day: not its context
        Article(id="e", text="x", published=date(2023, 6, 1)),
    ]
    alone = [_struck("UA-63", "2023-04-01"), _struck("UA-14", "2023-05-20"),
             _struck("UA-14", "2023-05-24"), _struck("UA-09", "2023-06-01"), OPEN]
    told: list[tuple[str, tuple[tuple[str, int], ...]]] = []

    def extract(batch: list[Article]) -> list[dict]:
        told.extend((a.id, a.recent_regions) for a in batch)
        return [{"places": [], "events": [], "read_again": a.id} for a in batch]

    out = read_by_day(arts, alone, extract)
    assert told == [("e", (("UA-14", 2),))]
    assert out[4] == {"places": [], "events": [], "read_again": "e"}
    assert out[:4] == alone[:4]
    assert arts[4].recent_regions == ()  # the caller's articles are left as they were
