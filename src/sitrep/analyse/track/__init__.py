"""Estimates over time: claims grouped into series, a line per claimant, an honest aggregate.

**Series.** Claims are one series when they measure the same thing about the same party in the
same scope. The key (``SeriesKey``) is:

- *measure*: the claim's ``kind``; for ``equipment`` and ``other`` also the unit (lower case,
  last word singular: "tanks" = "tank"), for ``money`` the currency. ``killed``, ``wounded``
  and ``casualties`` are distinct measures. "casualties" means killed plus wounded (the
  project's reading, DESIGN.md), so a casualties series is neither summed from nor split into
  the killed and wounded series: claimants seldom give both parts for the same date and
  scope, and summing parts from different claimants would invent a figure nobody stated.
  ``get_series`` lists the sibling series (``related``) so a reader can set them side by side:
  for one claimant and date, casualties >= killed, and killed + wounded ~ casualties.
- *subject*: ``subject_country`` and ``subject_actor`` as extracted ("RU", "RU:forces").
- *scope period*: from the claim's ``scope`` (``sitrep.extract.scope``), so that an incident,
  a period and a running total never share a series ("lost 1,580 troops in the past day" is not
  a point of the war's running total of 798,040): ``"cumulative"`` for a running total
  (``total``); ``"incident YYYY-MM-DD"`` for one incident, dated by its event, else by the
  claim's time (``"incident"`` when undated); ``"period YYYY-MM-DD/YYYY-MM-DD"`` (or one day,
  or ``"period"`` undated) for a stated span. Claims stored without a scope (before store
  revision 0004, and imported tables) keep the older reading: ``"cumulative"`` when the
  claim's time span begins with "since", or it belongs to no event and its sentence carries
  one of extract's cumulative cues; ``"incident ..."`` for a claim of an event; a dated span
  ``"YYYY-MM-DD"`` or ``"YYYY-MM-DD/YYYY-MM-DD"`` for other claims with a time; else
  ``"unspecified"``. The start of a running total's window is not part of the key (it is
  shown per point as ``since``): "since February 2022" and "since the start of the war" are
  one war total.
- *scope place*: the ISO 3166-2 code of the claim's first-level region when known, else its
  country, else none. For running totals a country-level place is dropped: a war total "in
  Ukraine" and the same total without the words "in Ukraine" are one series, while a regional
  running total (admin1) stays its own.

A series id is the key as URL-safe base64 of its JSON: stable (it depends on nothing but
the key) and decodable, so ``get_series`` reads only the claims of that kind and subject.

**Claimants.** Within a series each claimant has a line of estimates dated by ``said_on`` (the
article's publication date when the claim has none). Who the claimant is:

- no speaker: the outlet's own narration; the claimant is the wire agency when the article
  names one, else the outlet ("narration");
- an unnamed speaker described as people ("a senior U.S. military official", "sources"):
  ``"<CC> officials (anonymous)"`` by the speaker's country, else ``"<org> officials
  (anonymous)"`` by the institution named ("NATO officials"), else ``"anonymous sources (via
  <outlet>)"`` ("anonymous");
- a speaker whose role or words name an institution (``institutions`` in
  ``sitrep/analyse/data/claimants.json``: defence ministry, general staff, armed forces,
  presidency, United Nations ...): ``"<CC> <institution>"``, e.g. "RU defence ministry" for
  "Russia's defence ministry", "the Russian Defense Ministry" and "Defence Minister Andrei
  Belousov" alike: a spokesperson or minister speaks for the body ("institution");
- a named person otherwise ("regional governor Oleh Syniehubov" -> "Oleh Syniehubov");
- anything else by its role or text and country ("local aid workers") ("other").

Copies count once. Rows of one copy group (syndicated copies, ``sitrep.analyse.dedup``) that
state the same claim (``sitrep.analyse.sources.claim_identity``: speaker, kind, interval) are
one statement; then one claimant's statements of the same figure on the same day from several
independent copy groups are one point whose ``sources`` says how many groups carried it.
Repeats count once too: a figure a claimant states again on a later day, unchanged since its
last statement, is a point of its own (it keeps the estimate current) marked ``repeat_of``
the day it was first stated, and it adds no source: its ``sources`` are those of that first
statement, so one claimant repeating one value day after day is one source, not one per day.

**Aggregate.** At each date on which a claim was made the aggregate summarises the *current*
estimate of every claimant: its latest point on or before that date, no older than
``window_days`` (default 180; older estimates of a running total understate it, so they
expire):

- ``low`` = the smallest figure any current estimate states (its low, else its best, else its
  high), ``high`` = the largest (its high, else best, else low): the envelope of what the
  claimants say, so no claimant's figure falls outside the range. (Intersecting the intervals,
  max of lows / min of highs, would be empty as soon as two sides disagree, which is the normal
  case in war.) ``open_low`` / ``open_high`` say a current estimate leaves that end open
  ("up to", "at least").
- ``best`` = the median of the current bests: every claimant counts once, however many outlets
  repeated it (weighting by coverage would favour whoever has the loudest press office), and one
  side's inflated or deflated figure moves the median less than it would move a mean.
- ``n_claimants`` estimates are current; ``n_sources`` independent copy groups carried them.

Each claim that moves the aggregate is a *revision* ``{date, claim_id, claimant, from, to,
reason}``; an estimate that expires and so moves it is one too (``reason`` says so).

**Disagreement.** Among the current estimates at the series' last date, each side's figure is
the median best of its claimants (sides: a party's country code, or "third party"; unknown
sides left out); ``disagreement`` = highest side figure / lowest side figure (1.0: the sides
agree; 3.0: one side's figure is three times the other's), None with fewer than two sides or a
zero figure. A ratio, not a difference, because casualty figures span orders of magnitude;
``get_series`` also gives its log10 and the figures by side.

**Computed on demand** from the claims table, nothing persisted: one query of lean columns
(no records) for the kinds and subjects asked for, then grouping in Python, O(n log n). Fine up
to about 100k claims (the 1,626 days of the General Staff's table plus The Economist's, about
25k claims, take well under a second for ``list_series``); beyond that, persist the series
summaries in a table refreshed at ingest (the ids are already stable for that).

Example:
    >>> from sitrep.store import Store
    >>> list_series(Store.open("sqlite://"))
    []
"""
from sitrep.analyse.track.aggregate import aggregate_estimates, side_disagreement
from sitrep.analyse.track.claimants import Claimant, claimant_data, claimant_of, institution_of
from sitrep.analyse.track.keys import (
    SORTS,
    WINDOW_DAYS,
    SeriesKey,
    measure_unit,
    scope_period,
    scope_place,
    series_key,
)
from sitrep.analyse.track.series import get_series, list_series

__all__ = [
    "SORTS",
    "WINDOW_DAYS",
    "Claimant",
    "SeriesKey",
    "aggregate_estimates",
    "claimant_data",
    "claimant_of",
    "get_series",
    "institution_of",
    "list_series",
    "measure_unit",
    "scope_period",
    "scope_place",
    "series_key",
    "side_disagreement",
]
