"""Reading a dated set as a store would, one day a run: the recent-events context in ``eval``.

``sitrep ingest`` tells each article where the store's events of the weeks before it happened
(``Article.recent_regions``, from runs before the current one), and the geocoder uses that
only between namesakes its text leaves open. An evaluation set of dated texts (UCDP's
headlines) is scored the way a user who ingests each day's news in its own run would see it:
the context of a day is the events that the days before gave, within ``RECENT_DAYS``.

Only a text whose reading left a namesake open can change with context, so the set is
extracted once on its own and only those texts again, with their context, in date order
(a text read again may change the context of the days after it, as in a store).

Example:
    >>> undecided({"places": [{"reason": "gazetteer: 6 alike in 6 regions of UA, nothing in "
    ...                                   "the text decides: the country, not a guess"}]})
    True
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from sitrep.model import Article
from sitrep.store.queries import RECENT_DAYS

#: How a place left at a coarser precision between namesakes says so
#: (``sitrep.extract.places.choose._undecided``).
UNDECIDED = "nothing in the text decides"


def undecided(record: dict[str, Any]) -> bool:
    """Whether a record holds a place whose namesakes its text did not tell apart."""
    return any(UNDECIDED in (p.get("reason") or "") for p in record.get("places", ()))


def read_by_day(
    arts: list[Article],
    alone: list[dict[str, Any]],
    extract: Callable[[Iterable[Article]], Iterable[dict[str, Any]]],
    days: int = RECENT_DAYS,
) -> list[dict[str, Any]]:
    """The records ``arts`` get when ingested one publication day a run into one store.

    ``alone``: their records read with no context (same order). Each text is one story; an
    event counts for the days ``days`` after its start date, from the next day's run on.
    """
    out = list(alone)
    by_day: dict[date, list[int]] = {}
    for i, art in enumerate(arts):
        if art.published is not None:
            by_day.setdefault(art.published, []).append(i)
    by_day = dict(sorted(by_day.items()))
    for day, members in by_day.items():
        again = [i for i in members if undecided(out[i])]
        if not again:
            continue
        recent = _regions(out, arts, day, days)
        if not recent:
            continue
        told = [replace(arts[i], recent_regions=recent) for i in again]
        for i, record in zip(again, extract(told), strict=True):
            out[i] = record
    return out


def _regions(
    records: list[dict[str, Any]], arts: list[Article], day: date, days: int
) -> tuple[tuple[str, int], ...]:
    """(ISO 3166-2, stories) of the events of runs before ``day`` dated in its window."""
    start = day - timedelta(days=days)
    stories: Counter[str] = Counter()
    for art, record in zip(arts, records, strict=True):
        if art.published is None or art.published >= day:
            continue
        isos = {e["iso3166_2"] for e in record.get("events", ())
                if e.get("iso3166_2") and e.get("date_start")
                and start <= date.fromisoformat(e["date_start"]) <= day}
        stories.update(isos)
    return tuple(sorted(stories.items(), key=lambda kv: (-kv[1], kv[0])))
