"""A series' points: one per claimant and day, repeats marked, revisions and the track
of each claimant."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sitrep.analyse.sources import claim_identity
from sitrep.analyse.track.aggregate import aggregate_estimates, side_disagreement
from sitrep.analyse.track.claimants import Claimant, claimant_of
from sitrep.analyse.track.keys import SeriesKey


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
