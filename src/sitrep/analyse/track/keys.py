"""A series' key: measure (kind and unit), subject, scope period and place."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sitrep.analyse.track.claimants import _cumulative_re

WINDOW_DAYS = 180
SORTS = ("n_claims", "n_claimants", "n_sources", "latest", "disagreement", "kind", "id")
_UNIT_KINDS = ("equipment", "other")
_KEY_VERSION = 1


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
