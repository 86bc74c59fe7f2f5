"""Listing and reading series from a store (the face of ``sitrep.analyse.track``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sitrep.analyse.track.aggregate import _number
from sitrep.analyse.track.keys import SORTS, WINDOW_DAYS, SeriesKey, series_key
from sitrep.analyse.track.points import _Point, _track
from sitrep.errors import Errors
from sitrep.store import Store


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
