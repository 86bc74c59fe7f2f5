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

from __future__ import annotations

import base64
import binascii
import json
import math
import os
import re
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from sitrep.analyse.sources import claim_identity
from sitrep.errors import Errors
from sitrep.extract.lexicon import load_data
from sitrep.store import Store

WINDOW_DAYS = 180
SORTS = ("n_claims", "n_claimants", "n_sources", "latest", "disagreement", "kind", "id")
_UNIT_KINDS = ("equipment", "other")
_KEY_VERSION = 1


# ------------------------------------------------------------------------------ knowledge


@cache
def claimant_data() -> dict[str, Any]:
    """``sitrep/analyse/data/claimants.json`` (or the file of that name in $SITREP_DATA_DIR).

    Example:
        >>> "defence ministry" in [i["org"] for i in claimant_data()["institutions"]]
        True
    """
    override = os.environ.get("SITREP_DATA_DIR")
    if override and (Path(override) / "claimants.json").is_file():
        text = (Path(override) / "claimants.json").read_text(encoding="utf-8")
    else:
        text = (
            resources.files("sitrep.analyse")
            .joinpath("data", "claimants.json")
            .read_text(encoding="utf-8")
        )
    data: dict[str, Any] = json.loads(text)
    return data


@cache
def _institution_patterns() -> list[tuple[re.Pattern[str], str, int]]:
    out = []
    for entry in claimant_data()["institutions"]:
        for pattern in entry["patterns"]:
            norm = _norm(pattern)
            out.append((re.compile(rf"(?<!\w){re.escape(norm)}(?!\w)"), entry["org"], len(norm)))
    return out


@cache
def _cumulative_re() -> re.Pattern[str]:
    cues = sorted(load_data("events.json")["cumulative_cues"], key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(c) for c in cues) + r")\b", re.IGNORECASE)


_NON_WORD = re.compile(r"[^\w']+")


def _norm(text: str | None) -> str:
    """Lower case, "defense" read as "defence", punctuation as spaces."""
    if not text:
        return ""
    low = text.lower().replace("’", "'").replace("defense", "defence")
    return _NON_WORD.sub(" ", low).strip()


def institution_of(text: str | None) -> str | None:
    """The institution a speaker's role or text names (the longest pattern wins), or None.

    Example:
        >>> institution_of("Russia's Defense Ministry")
        'defence ministry'
        >>> institution_of("General Staff of the Armed Forces of Ukraine")
        'general staff'
        >>> institution_of("regional governor") is None
        True
    """
    norm = _norm(text)
    if not norm:
        return None
    best: tuple[int, str] | None = None
    for regex, org, size in _institution_patterns():
        if (best is None or size > best[0]) and regex.search(norm):
            best = (size, org)
    return None if best is None else best[1]


# ------------------------------------------------------------------------------ series keys


@dataclass(frozen=True)
class SeriesKey:
    """What makes claims one series: measure, subject and scope.

    Example:
        >>> key = SeriesKey("casualties", None, "RU", "RU:forces", None, "cumulative")
        >>> SeriesKey.from_id(key.id) == key
        True
    """

    kind: str
    unit: str | None
    subject_country: str | None
    subject_actor: str | None
    place: str | None
    period: str

    @property
    def id(self) -> str:
        """The series id: URL-safe base64 (no padding) of the key as JSON."""
        parts = [
            _KEY_VERSION,
            self.kind,
            self.unit,
            self.subject_country,
            self.subject_actor,
            self.place,
            self.period,
        ]
        raw = json.dumps(parts, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")

    @classmethod
    def from_id(cls, series_id: str) -> SeriesKey | None:
        """The key of a series id, or None for a string that is not one."""
        if not isinstance(series_id, str) or not series_id:
            return None
        try:
            raw = base64.urlsafe_b64decode(series_id + "=" * (-len(series_id) % 4))
            parts = json.loads(raw.decode("utf-8"))
        except (binascii.Error, ValueError, UnicodeDecodeError):
            return None
        if not isinstance(parts, list) or len(parts) != 7 or parts[0] != _KEY_VERSION:
            return None
        kind, unit, country, actor, place, period = parts[1:]
        if not isinstance(kind, str) or not isinstance(period, str):
            return None
        if not all(v is None or isinstance(v, str) for v in (unit, country, actor, place)):
            return None
        return cls(kind, unit, country, actor, place, period)

    def label(self) -> str:
        """A short human-readable name, e.g. ``casualties · RU:forces · cumulative``."""
        measure = self.kind + (f" ({self.unit})" if self.unit else "")
        subject = self.subject_actor or self.subject_country or "unknown subject"
        parts = [measure, subject, self.period]
        if self.place:
            parts.append(self.place)
        return " · ".join(parts)


def measure_unit(row: Mapping[str, Any]) -> str | None:
    """The unit that is part of the measure: equipment/other unit, money currency, else None.

    Example:
        >>> measure_unit({"kind": "equipment", "unit": "Tanks"})
        'tank'
        >>> measure_unit({"kind": "killed", "unit": "soldiers"}) is None
        True
    """
    kind = row.get("kind")
    if kind == "money":
        currency = row.get("currency")
        return currency.upper() if isinstance(currency, str) and currency else None
    if kind not in _UNIT_KINDS:
        return None
    unit = " ".join(str(row.get("unit") or "").lower().split())
    if not unit:
        return None
    head, _, last = unit.rpartition(" ")
    if len(last) > 3 and last.endswith("ies"):
        last = last[:-3] + "y"
    elif len(last) > 3 and last.endswith("s") and not last.endswith("ss"):
        last = last[:-1]
    return f"{head} {last}" if head else last


def scope_period(row: Mapping[str, Any]) -> str:
    """The period part of a claim's scope (see the module's docstring).

    Example:
        >>> scope_period({"scope": "period", "time_start": "2024-05-22",
        ...               "time_end": "2024-05-23", "sentence": "In total, ..."})
        'period 2024-05-22/2024-05-23'
        >>> scope_period({"scope": "total", "n_events": 1, "event_date": "2024-05-23"})
        'cumulative'
        >>> scope_period({"time_text": "since February 2022", "n_events": 0})
        'cumulative'
        >>> scope_period({"n_events": 1, "event_date": "2024-05-23"})
        'incident 2024-05-23'
        >>> scope_period({"sentence": "Russia has lost 600,000 troops so far."})
        'cumulative'
        >>> scope_period({"time_start": "2024-05-01", "time_end": "2024-05-31"})
        '2024-05-01/2024-05-31'
    """
    scope = row.get("scope")
    start, end = row.get("time_start"), row.get("time_end")
    if scope == "total":
        return "cumulative"
    if scope == "incident":
        when = row.get("event_date") or start
        return f"incident {when}" if when else "incident"
    if scope == "period":
        if not start:
            return "period"
        return f"period {start}" if not end or end == start else f"period {start}/{end}"
    # A claim stored without a scope: the time words, events and cues decide.
    time_text = (row.get("time_text") or "").strip().lower()
    if time_text.startswith("since"):
        return "cumulative"
    if row.get("n_events"):
        when = row.get("event_date") or row.get("time_start")
        return f"incident {when}" if when else "incident"
    sentence = row.get("sentence") or ""
    if sentence and _cumulative_re().search(sentence):
        return "cumulative"
    if start:
        return start if not end or end == start else f"{start}/{end}"
    return "unspecified"


def scope_place(row: Mapping[str, Any], period: str) -> str | None:
    """The place part of a claim's scope: admin1 code, else country (not for running totals).

    Example:
        >>> scope_place({"iso3166_2": "UA-63", "place_country": "UA"}, "incident 2024-05-23")
        'UA-63'
        >>> scope_place({"place_country": "UA"}, "cumulative") is None
        True
    """
    region = row.get("iso3166_2")
    if region:
        return str(region).upper()
    if period == "cumulative":
        return None
    country = row.get("place_country")
    return str(country).upper() if country else None


def series_key(row: Mapping[str, Any]) -> SeriesKey:
    """The series a stored claim (a row of ``Store.tracking_claims``) belongs to.

    Example:
        >>> series_key({"kind": "killed", "subject_country": "ru", "subject_actor": "RU:forces",
        ...             "time_text": "since 2022"}).period
        'cumulative'
    """
    period = scope_period(row)
    country = row.get("subject_country")
    return SeriesKey(
        kind=str(row.get("kind") or "other"),
        unit=measure_unit(row),
        subject_country=str(country).upper() if country else None,
        subject_actor=row.get("subject_actor") or None,
        place=scope_place(row, period),
        period=period,
    )


# ------------------------------------------------------------------------------ claimants


@dataclass(frozen=True)
class Claimant:
    """Who stands behind a line of estimates: a stable ``key``, a ``label`` and its ``type``
    (narration, anonymous, institution, person, other) and country."""

    key: str
    label: str
    type: str
    country: str | None


def claimant_of(row: Mapping[str, Any]) -> Claimant:
    """The claimant of a stored claim (see the module's docstring).

    Example:
        >>> claimant_of({"speaker_text": "Russia's defence ministry",
        ...              "speaker_role": "Russia's defence ministry", "speaker_country": "RU"})
        Claimant(key='org:RU:defence ministry', label='RU defence ministry', type='institution', country='RU')
        >>> claimant_of({"speaker_text": "a senior U.S. military official",
        ...              "speaker_anonymous": True, "speaker_country": "US"}).label
        'US officials (anonymous)'
        >>> claimant_of({"speaker_text": None, "outlet": "The Moscow Times", "wire": "AFP"}).label
        'AFP'
    """  # noqa: E501
    return _claimant(
        row.get("speaker_text"),
        row.get("speaker_name"),
        row.get("speaker_role"),
        row.get("speaker_antecedent"),
        bool(row.get("speaker_anonymous")),
        str(row["speaker_country"]).upper() if row.get("speaker_country") else None,
        row.get("wire") or row.get("outlet"),
    )


@lru_cache(maxsize=65536)
def _claimant(
    text: str | None,
    name: str | None,
    role: str | None,
    antecedent: str | None,
    anonymous: bool,
    country: str | None,
    outlet: str | None,
) -> Claimant:
    if not (text or name or role):
        label = outlet or "unknown outlet"
        return Claimant(f"outlet:{_norm(label)}", label, "narration", None)
    org = institution_of(role) or institution_of(text) or institution_of(antecedent)
    words = set(_norm(" ".join(str(v) for v in (role, text, antecedent) if v)).split())
    people = bool(words & set(claimant_data()["person_nouns"]))
    if not name and (people or (anonymous and org is None)):
        if country:
            return Claimant(
                f"anon:{country}", f"{country} officials (anonymous)", "anonymous", country
            )
        if org:
            return Claimant(
                f"anon:org:{_norm(org)}", f"{org} officials (anonymous)", "anonymous", None
            )
        via = outlet or "unknown outlet"
        return Claimant(
            f"anon:via:{_norm(via)}", f"anonymous sources (via {via})", "anonymous", None
        )
    if org:
        proper = org[:1].isupper()
        label = org if proper or not country else f"{country} {org}"
        key = f"org:{'-' if proper else country or '-'}:{_norm(org)}"
        return Claimant(key, label, "institution", None if proper else country)
    if name:
        return Claimant(f"person:{_norm(name)}", str(name), "person", country)
    label = str(role or text)
    return Claimant(f"other:{country or '-'}:{_norm(label)}", label, "other", country)


# ------------------------------------------------------------------------------ aggregation


def aggregate_estimates(estimates: Sequence[Mapping[str, Any]]) -> dict[str, Any] | None:
    """The aggregate of current estimates (dicts with ``low``, ``best``, ``high``).

    ``low``/``high``: the smallest/largest figure any estimate states; ``best``: the median of
    the bests; ``open_low``/``open_high``: some estimate leaves that end open.

    Example:
        >>> aggregate_estimates([{"low": 100, "best": 120, "high": 150},
        ...                      {"low": 300, "best": 300, "high": None},
        ...                      {"low": 90, "best": 90, "high": 90}])
        {'low': 90, 'best': 120, 'high': 300, 'open_low': False, 'open_high': True}
    """
    lows: list[float] = []
    highs: list[float] = []
    bests: list[float] = []
    open_low = open_high = False
    for e in estimates:
        stated: list[float] = [e[k] for k in ("low", "best", "high") if e.get(k) is not None]
        if not stated:
            continue
        lows.append(min(stated))
        highs.append(max(stated))
        if e.get("best") is not None:
            bests.append(e["best"])
        open_low = open_low or e.get("low") is None
        open_high = open_high or e.get("high") is None
    if not lows:
        return None
    return {
        "low": _number(min(lows)),
        "best": _number(statistics.median(bests)) if bests else None,
        "high": _number(max(highs)),
        "open_low": open_low,
        "open_high": open_high,
    }


def side_disagreement(estimates: Sequence[Mapping[str, Any]]) -> dict[str, Any] | None:
    """How far the sides' current estimates are apart (dicts with ``side`` and ``best``).

    Each side's figure is the median best of its estimates; ``ratio`` = highest / lowest.

    Example:
        >>> side_disagreement([{"side": "UA", "best": 600}, {"side": "RU", "best": 150},
        ...                    {"side": "third party", "best": 300}])["ratio"]
        4.0
    """
    by_side: dict[str, list[float]] = defaultdict(list)
    for e in estimates:
        if e.get("side") and e.get("best") is not None:
            by_side[str(e["side"])].append(e["best"])
    if len(by_side) < 2:
        return None
    figures: dict[str, float] = {
        side: float(statistics.median(v)) for side, v in sorted(by_side.items())
    }
    high_side = max(figures, key=lambda s: figures[s])
    low_side = min(figures, key=lambda s: figures[s])
    low, high = figures[low_side], figures[high_side]
    ratio = round(high / low, 3) if low > 0 else None
    return {
        "ratio": ratio,
        "log10": round(math.log10(high / low), 3) if low > 0 else None,
        "high_side": high_side,
        "low_side": low_side,
        "by_side": {side: _number(v) for side, v in figures.items()},
    }


# ------------------------------------------------------------------------------ one series


@dataclass
class _Point:
    claimant: Claimant
    day: date
    low: float | None
    best: float | None
    high: float | None
    side: str | None
    rows: list[dict[str, Any]] = field(default_factory=list)
    _groups: set[Any] | None = None
    #: The claimant's first statement of this same figure, when this point repeats it.
    repeat_of: _Point | None = None

    @property
    def first(self) -> dict[str, Any]:
        return self.rows[0]

    @property
    def groups(self) -> set[Any]:
        """The independent sources of this point: the copy groups that carried it, or, for a
        repeat, those that carried the first statement (a repeat adds no source)."""
        if self.repeat_of is not None:
            return self.repeat_of.groups
        if self._groups is None:
            self._groups = {_group(r) for r in self.rows}
        return self._groups

    def order(self) -> tuple[Any, ...]:
        first = self.first
        return (self.day, first.get("published") or "", first["article_id"], first["id"])

    def values(self) -> dict[str, Any]:
        return {"low": self.low, "best": self.best, "high": self.high}


@dataclass
class _Series:
    key: SeriesKey
    rows: list[dict[str, Any]] = field(default_factory=list)


def _group(row: Mapping[str, Any]) -> Any:
    group = row.get("copy_group")
    return group if group is not None else ("article", row.get("article_id"))


def _day(row: Mapping[str, Any]) -> date | None:
    for name in ("said_on", "published"):
        value = row.get(name)
        if value:
            return date.fromisoformat(str(value)[:10])
    return None


def _points(rows: list[dict[str, Any]]) -> tuple[list[_Point], int]:
    """Copies merged, statements per claimant and day merged; also the number undated."""
    statements: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    undated = 0
    for row in sorted(rows, key=lambda r: r["id"]):
        if _day(row) is None:
            undated += 1
            continue
        statements.setdefault((_group(row), claim_identity(row)), []).append(row)
    points: dict[tuple[Any, ...], _Point] = {}
    for copies in statements.values():
        first = copies[0]
        day = min(d for d in (_day(r) for r in copies) if d is not None)
        who = claimant_of(first)
        values = (first.get("low"), first.get("best"), first.get("high"))
        point = points.get((who.key, day, values))
        if point is None:
            point = _Point(who, day, *values, side=first.get("speaker_side"))
            points[(who.key, day, values)] = point
        point.rows.extend(copies)
    out = list(points.values())
    for p in out:
        p.rows.sort(key=lambda r: r["id"])
    out.sort(key=_Point.order)
    _mark_repeats(out)
    return out, undated


def _mark_repeats(points: list[_Point]) -> None:
    """Mark each point that states the same figure as its claimant's previous point (in date
    order) as a repeat of the first point of that run."""
    last: dict[str, _Point] = {}
    for p in points:
        before = last.get(p.claimant.key)
        if before is not None and before.day < p.day and before.values() == p.values():
            p.repeat_of = before.repeat_of or before
        last[p.claimant.key] = p


def _fmt(values: Mapping[str, Any] | None) -> str:
    if values is None:
        return "none"
    low, best, high = values.get("low"), values.get("best"), values.get("high")
    if low is not None and low == high:
        return f"{_show(best if best is not None else low)}"
    return f"{_show(best)} ({_show(low)} to {_show(high)})"


def _show(value: Any) -> str:
    if value is None:
        return "open"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int | float) else str(value)


def _number(value: float | None) -> float | int | None:
    """Whole numbers as int (so JSON shows 300, not 300.0)."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


@dataclass
class _Track:
    """The computed state of one series."""

    key: SeriesKey
    rows: list[dict[str, Any]]
    points: list[_Point]
    undated: int
    aggregate: list[dict[str, Any]]
    revisions: list[dict[str, Any]]
    current: list[_Point]
    window_days: int | None

    def summary(self) -> dict[str, Any]:
        last = self.aggregate[-1] if self.aggregate else None
        detail = self.disagreement()
        return {
            "id": self.key.id,
            "kind": self.key.kind,
            "unit": self.key.unit,
            "subject_country": self.key.subject_country,
            "subject_actor": self.key.subject_actor,
            "scope": {"place": self.key.place, "period": self.key.period},
            "label": self.key.label(),
            "n_claims": len(self.rows),
            "n_claimants": len({p.claimant.key for p in self.points}),
            "n_sources": len(self.sources()),
            "first_date": self.points[0].day.isoformat() if self.points else None,
            "latest": None
            if last is None
            else {k: last[k] for k in ("date", "low", "best", "high")},
            "disagreement": None if detail is None else detail["ratio"],
        }

    def sources(self) -> set[Any]:
        """The independent sources of the series: the copy groups of its points (a repeat
        adds none) and of its undated claims."""
        dated = {r["id"] for p in self.points for r in p.rows}
        undated = {_group(r) for r in self.rows if r["id"] not in dated}
        return undated.union(*(p.groups for p in self.points))

    def disagreement(self) -> dict[str, Any] | None:
        current = [{"side": p.side, "best": p.best} for p in self.current]
        found = side_disagreement(current)
        if found is not None and self.aggregate:
            found["as_of"] = self.aggregate[-1]["date"]
        return found


def _track(
    key: SeriesKey, rows: list[dict[str, Any]], window_days: int | None, detail: bool = True
) -> _Track:
    """Sweep the series' points by date: current estimates, aggregate, revisions.

    ``detail=False`` (for summaries) leaves the revisions out.
    """
    points, undated = _points(rows)
    window = timedelta(days=window_days) if window_days is not None else None
    current: dict[str, _Point] = {}
    aggregate: list[dict[str, Any]] = []
    revisions: list[dict[str, Any]] = []
    state: dict[str, Any] | None = None
    expired: list[_Point] = []  # expired while nothing else was current: told with the next

    def compute() -> dict[str, Any] | None:
        return aggregate_estimates([p.values() for p in current.values()])

    def moved(new: dict[str, Any] | None) -> bool:
        if state is None or new is None:
            return state is not new
        return any(state[k] != new[k] for k in ("low", "best", "high"))

    def expiry(old: _Point) -> str:
        return (
            f"{old.claimant.label}'s estimate of {old.day} ({_fmt(old.values())}) expired: "
            f"older than {window_days} days"
        )

    by_day: dict[date, list[_Point]] = defaultdict(list)
    for p in points:
        by_day[p.day].append(p)
    for day in sorted(by_day):
        if window is not None:
            for who, old in sorted(current.items(), key=lambda kv: kv[1].order()):
                if old.day >= day - window:
                    continue
                del current[who]
                new = compute()
                if new is None:  # nothing current: the day's first claim will say it
                    expired.append(old)
                elif moved(new):
                    if detail:
                        revisions.append(_revision(day, old, state, new, expiry(old)))
                    state = new
        for p in by_day[day]:
            before = current.get(p.claimant.key)
            current[p.claimant.key] = p
            new = compute()
            if moved(new):
                if detail:
                    if before is None:
                        why = f"{p.claimant.label} joined with {_fmt(p.values())}"
                    else:
                        why = (
                            f"{p.claimant.label} revised its estimate from "
                            f"{_fmt(before.values())} ({before.day}) to {_fmt(p.values())}"
                        )
                    why = "; ".join([why, *(expiry(old) for old in expired)])
                    revisions.append(_revision(day, p, state, new, why))
                state = new
            expired.clear()
        if state is not None:
            live = list(current.values())
            aggregate.append(
                {
                    "date": day.isoformat(),
                    "low": state["low"],
                    "best": state["best"],
                    "high": state["high"],
                    "open_low": state["open_low"],
                    "open_high": state["open_high"],
                    "n_claimants": len(live),
                    "n_sources": len(set().union(*(p.groups for p in live))),
                }
            )
    return _Track(
        key, rows, points, undated, aggregate, revisions, list(current.values()), window_days
    )


def _revision(
    day: date,
    point: _Point,
    old: Mapping[str, Any] | None,
    new: Mapping[str, Any] | None,
    reason: str,
) -> dict[str, Any]:
    def part(values: Mapping[str, Any] | None) -> dict[str, Any] | None:
        return None if values is None else {k: values[k] for k in ("low", "best", "high")}

    return {
        "date": day.isoformat(),
        "claim_id": point.first["id"],
        "claimant": point.claimant.label,
        "from": part(old),
        "to": part(new),
        "reason": reason,
    }


# ------------------------------------------------------------------------------ the API


def _group_rows(rows: Iterable[dict[str, Any]]) -> dict[SeriesKey, list[dict[str, Any]]]:
    out: dict[SeriesKey, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        out[series_key(row)].append(row)
    return out


def _check_window(window_days: int | None) -> None:
    if window_days is not None and (
        isinstance(window_days, bool) or not isinstance(window_days, int) or window_days < 0
    ):
        raise ValueError(Errors.E371.format(value=window_days))


def list_series(
    store: Store,
    *,
    kind: str | Sequence[str] | None = None,
    subject_country: str | Sequence[str] | None = None,
    min_claims: int = 1,
    limit: int | None = None,
    offset: int = 0,
    sort: str = "-n_claims",
    window_days: int | None = WINDOW_DAYS,
) -> list[dict[str, Any]]:
    """The series of the stored claims, as summaries (JSON-ready dicts).

    Each: ``id``, ``kind``, ``unit``, ``subject_country``, ``subject_actor``, ``scope``
    (``place``, ``period``), ``label``, ``n_claims`` (claim rows, copies included),
    ``n_claimants`` (lines), ``n_sources`` (independent copy groups), ``first_date``,
    ``latest`` (the last aggregate: ``date``, ``low``, ``best``, ``high``; None when no claim
    is dated) and ``disagreement`` (highest / lowest side figure, or None). ``sort`` is one of
    ``SORTS`` (``latest`` sorts by the latest date), ``-`` first for descending; missing
    values sort last. ``window_days``: how long an estimate stays current (None: forever).

    Example:
        >>> from sitrep.store import Store
        >>> list_series(Store.open("sqlite://"), kind="killed", sort="-disagreement")
        []
    """
    _check_window(window_days)
    if isinstance(min_claims, bool) or not isinstance(min_claims, int) or min_claims < 0:
        raise ValueError(Errors.E329.format(name="min_claims", value=min_claims))
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
        raise ValueError(Errors.E329.format(name="limit", value=limit))
    if isinstance(offset, bool) or not isinstance(offset, int) or offset < 0:
        raise ValueError(Errors.E329.format(name="offset", value=offset))
    if not isinstance(sort, str) or sort.lstrip("-") not in SORTS:
        raise ValueError(Errors.E372.format(value=sort, choices=", ".join(SORTS)))
    rows = store.tracking_claims(kind=kind, subject_country=subject_country)
    summaries = [
        _track(key, group, window_days, detail=False).summary()
        for key, group in _group_rows(rows).items()
        if len(group) >= min_claims
    ]
    descending = sort.startswith("-")
    name = sort.lstrip("-")

    def value(s: dict[str, Any]) -> Any:
        if name == "latest":
            return (s["latest"] or {}).get("date")
        return s[name]

    present = [s for s in summaries if value(s) is not None]
    missing = [s for s in summaries if value(s) is None]
    present.sort(key=lambda s: s["id"], reverse=descending)
    present.sort(key=value, reverse=descending)
    missing.sort(key=lambda s: s["id"], reverse=descending)
    ordered = present + missing
    end = None if limit is None else offset + limit
    return ordered[offset:end]


def get_series(
    store: Store, series_id: str, *, window_days: int | None = WINDOW_DAYS
) -> dict[str, Any] | None:
    """One series in full, or None for an unknown id.

    The summary of ``list_series`` plus ``timelines`` (one per claimant: ``claimant``,
    ``key``, ``type``, ``side`` (of its latest point), ``country``, ``points``: ``date``,
    ``low``, ``best``, ``high``, ``approx``, ``claim_id``, ``article_id``, ``quantity``,
    ``sentence``, ``evidence``, ``since``, ``sources``, ``claim_ids``, ``origin``, ``outlet``),
    ``aggregate`` (per date: ``date``, ``low``, ``best``, ``high``, ``n_sources``,
    ``n_claimants``, ``open_low``, ``open_high``), ``revisions`` (``date``, ``claim_id``,
    ``claimant``, ``from``, ``to``, ``reason``), ``disagreement_detail`` (``ratio``, ``log10``,
    ``high_side``, ``low_side``, ``by_side``, ``as_of``), ``related`` (ids of the killed /
    wounded / casualties series of the same subject and scope that exist), ``window_days`` and
    ``undated`` (claims without any date, left out of the lines).

    Example:
        >>> from sitrep.store import Store
        >>> key = SeriesKey("killed", None, "UA", "UA:civilians", "UA-63", "incident 2024-05-23")
        >>> get_series(Store.open("sqlite://"), key.id) is None
        True
    """
    _check_window(window_days)
    key = SeriesKey.from_id(series_id)
    if key is None:
        return None
    rows = [
        r
        for r in store.tracking_claims(kind=key.kind, subject_country=key.subject_country or None)
        if series_key(r) == key
    ]
    if not rows:
        return None
    track = _track(key, rows, window_days)
    evidence = store.claim_evidence(p.first["id"] for p in track.points)
    lines: dict[str, list[_Point]] = defaultdict(list)
    for p in track.points:
        lines[p.claimant.key].append(p)
    timelines = []
    order = sorted(
        lines.values(), key=lambda ps: (ps[0].claimant.label.lower(), ps[0].claimant.key)
    )
    for points in order:
        who = points[0].claimant
        timelines.append(
            {
                "claimant": who.label,
                "key": who.key,
                "type": who.type,
                "side": points[-1].side,
                "country": who.country or points[-1].first.get("speaker_country"),
                "points": [_point_json(p, evidence) for p in points],
            }
        )
    return {
        **track.summary(),
        "timelines": timelines,
        "aggregate": track.aggregate,
        "revisions": track.revisions,
        "disagreement_detail": track.disagreement(),
        "related": _related(store, key),
        "window_days": window_days,
        "undated": track.undated,
    }


def _point_json(p: _Point, evidence: Mapping[int, list[dict[str, int]]]) -> dict[str, Any]:
    first = p.first
    since = (
        first.get("time_start")
        if (first.get("time_text") or "").lower().startswith("since")
        else None
    )
    return {
        "date": p.day.isoformat(),
        "low": _number(p.low),
        "best": _number(p.best),
        "high": _number(p.high),
        "approx": first.get("approx"),
        "claim_id": first["id"],
        "article_id": first["article_id"],
        "quantity": first.get("quantity"),
        "sentence": first.get("sentence"),
        "evidence": evidence.get(first["id"], []),
        "since": since,
        "sources": len(p.groups),
        "repeat_of": p.repeat_of.day.isoformat() if p.repeat_of is not None else None,
        "claim_ids": [r["id"] for r in p.rows],
        "origin": first.get("origin"),
        "outlet": first.get("outlet"),
    }


_SIBLINGS = ("killed", "wounded", "casualties")


def _related(store: Store, key: SeriesKey) -> dict[str, str]:
    if key.kind not in _SIBLINGS:
        return {}
    others = [k for k in _SIBLINGS if k != key.kind]
    rows = store.tracking_claims(kind=others, subject_country=key.subject_country or None)
    found: dict[str, str] = {}
    for row in rows:
        other = series_key(row)
        if other.kind not in found and other == SeriesKey(
            other.kind, None, key.subject_country, key.subject_actor, key.place, key.period
        ):
            found[other.kind] = other.id
    return {k: found[k] for k in others if k in found}
