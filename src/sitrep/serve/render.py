"""Turning an article and its extraction into highlighted text, and small display helpers.

The article text is cut at every start and end of an extracted span into pieces; each piece
carries the CSS classes of every span covering it (``f-speaker``, ``f-cue``, ``f-number``,
``f-subject``, ``f-place``, ``f-time``, ``ev`` for a claim's evidence and ``ev-c<ID>`` naming
the claim, ``st`` for what a statement says, ``sel`` for the selected claim's evidence) and a
title listing the fields and reasons behind them. The text is never parsed as HTML: the
templates escape every piece.

Example:
    >>> text = "Two died, police said."
    >>> marks = [Mark(0, 3, "f-number", "number: Two"), Mark(10, 16, "f-speaker", "police")]
    >>> [(s.text, s.classes) for s in segments(text, marks)]
    [('Two', 'f-number'), (' died, ', ''), ('police', 'f-speaker'), (' said.', '')]
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sitrep.model import speaker_entity

FIELD_CLASSES = {
    "speaker": "f-speaker",
    "cue": "f-cue",
    "quantity": "f-number",
    "subject": "f-subject",
    "place": "f-place",
    "time": "f-time",
}
_ORDER = ("ev", "st", "f-speaker", "f-cue", "f-number", "f-subject", "f-place", "f-time")


@dataclass(frozen=True)
class Mark:
    """One extracted span: ``[start, end)`` with its CSS class, description and claim id."""

    start: int
    end: int
    cls: str
    title: str
    claim: int | None = None


@dataclass
class Segment:
    """A piece of text and the marks covering it."""

    text: str
    classes: str = ""
    title: str = ""
    claims: list[int] = field(default_factory=list)


def num(value: Any) -> str:
    """A number for people: ``1,200``, ``2.5``; ``open`` for a missing bound.

    Example:
        >>> num(1200.0), num(2.5), num(None)
        ('1,200', '2.5', 'open')
    """
    if value is None:
        return "open"
    try:
        f = float(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{f:,.0f}" if f == int(f) else f"{f:,.1f}"


def safe_url(url: Any) -> str | None:
    """``url`` when it is an http(s) URL, else None (never a ``javascript:`` link).

    Example:
        >>> safe_url("https://example.org/a"), safe_url("javascript:alert(1)")
        ('https://example.org/a', None)
    """
    if isinstance(url, str) and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None


def _span(obj: Any) -> tuple[int, int] | None:
    if not isinstance(obj, Mapping):
        return None
    start, end = obj.get("start"), obj.get("end")
    if isinstance(start, int) and isinstance(end, int) and 0 <= start < end:
        return start, end
    return None


def _join(*parts: Any) -> str:
    return ", ".join(str(p) for p in parts if p not in (None, "", [], {}))


def _reason(reasons: Mapping[str, Any], *names: str) -> str:
    found = [f"{n}: {reasons[n]}" for n in names if reasons.get(n)]
    return ("\nwhy — " + "; ".join(found)) if found else ""


def describe(name: str, obj: Mapping[str, Any], claim: Mapping[str, Any] | None = None) -> str:
    """The tooltip of one field of a claim (or statement): its values and the reasons.

    Example:
        >>> describe("quantity", {"text": "seven", "kind": "killed", "low": 7, "best": 7,
        ...                       "high": 7, "approx": "exact", "rule": "num.words"})
        'number “seven”: killed; low 7, best 7, high 7; exact, rule num.words'
    """
    reasons: Mapping[str, Any] = (claim or {}).get("reasons") or {}
    text = obj.get("text")
    if name == "quantity":
        head = (f"number “{text}”: {obj.get('kind')}; low {num(obj.get('low'))}, "
                f"best {num(obj.get('best'))}, high {num(obj.get('high'))}")
        extra = _join(obj.get("approx"), obj.get("unit"), obj.get("currency"),
                      f"rule {obj['rule']}" if obj.get("rule") else None,
                      f"kind rule {obj['kind_rule']}" if obj.get("kind_rule") else None)
        return head + (f"; {extra}" if extra else "") + _reason(reasons, "quantity", "kind")
    if name == "speaker":
        ante = obj.get("antecedent")
        body = _join(
            f"name {obj['name']}" if obj.get("name") else None,
            f"role {obj['role']}" if obj.get("role") else None,
            "anonymous" if obj.get("anonymous") else "named",
            f"country {obj['country']}" if obj.get("country") else None,
            f"side {obj['side']}" if obj.get("side") else None,
            f"refers to “{ante.get('text')}”" if isinstance(ante, Mapping) else None,
        )
        return f"speaker “{text}”: {body}" + _reason(reasons, "speaker", "side", "anonymous")
    if name == "cue":
        quote = (claim or {}).get("quote")
        return f"cue “{text}”" + (f": {quote} quote" if quote else "") + _reason(
            reasons, "cue", "quote")
    if name == "subject":
        return f"subject “{text}”: " + _join(
            obj.get("actor"), obj.get("country")) + _reason(reasons, "subject")
    if name == "place":
        where = _join(obj.get("name"), obj.get("admin1"), obj.get("iso3166_2"),
                      obj.get("country"))
        at = (f"; {obj['lat']:.4f}, {obj['lon']:.4f}"
              if isinstance(obj.get("lat"), int | float)
              and isinstance(obj.get("lon"), int | float) else "")
        prec = f" ({obj['precision']})" if obj.get("precision") else ""
        # how the geocoder chose it among namesakes (records made before it was kept lack it)
        geo = f"\ngeocoded — {obj['reason']}" if obj.get("reason") else ""
        return f"place “{text}”: {where}{at}{prec}{geo}" + _reason(reasons, "place")
    if name == "time":
        start, end = obj.get("date_start"), obj.get("date_end")
        when = start if start == end else f"{start} – {end}"
        prec = f" ({obj['precision']})" if obj.get("precision") else ""
        return f"time “{text}”: {when}{prec}" + _reason(reasons, "time", "said_on")
    return f"{name} “{text}”"


def claim_title(row: Mapping[str, Any]) -> str:
    """The tooltip of a claim's evidence: id, kind, value and who said it.

    Example:
        >>> claim_title({"id": 3, "kind": "killed", "quantity": "seven", "best": 7,
        ...              "low": 7, "high": 7, "speaker_text": None, "said_on": "2024-05-23"})
        'claim #3: killed “seven” (7; 7–7) — narration, said 2024-05-23'
    """
    who = speaker_entity(row) or "narration"
    return (f"claim #{row.get('id')}: {row.get('kind')} “{row.get('quantity')}” "
            f"({num(row.get('best'))}; {num(row.get('low'))}–{num(row.get('high'))}) — "
            f"{who}, said {row.get('said_on')}")


def article_marks(
    claims: Sequence[Mapping[str, Any]],
    statements: Sequence[Mapping[str, Any]] = (),
    times: Sequence[Mapping[str, Any]] = (),
    places: Sequence[Mapping[str, Any]] = (),
) -> list[Mark]:
    """Every span of an article's extraction as a ``Mark``.

    ``claims`` and ``statements`` are the store's rows with their ``record`` (the contract
    record); ``times`` and ``places`` come from the article's record.

    Example:
        >>> row = {"id": 9, "kind": "killed", "quantity": "two", "evidence": [
        ...     {"start": 0, "end": 10}], "record": {"quantity": {"text": "two", "start": 0,
        ...     "end": 3, "kind": "killed"}}}
        >>> sorted(m.cls for m in article_marks([row]))
        ['ev', 'f-number']
    """
    marks: list[Mark] = []
    for row in claims:
        cid = int(row["id"])
        record: Mapping[str, Any] = row.get("record") or {}
        title = claim_title(row)
        for ev in row.get("evidence") or record.get("evidence") or []:
            span = _span(ev)
            if span:
                marks.append(Mark(*span, "ev", title, cid))
        for name, cls in FIELD_CLASSES.items():
            obj = record.get(name)
            span = _span(obj)
            if span and isinstance(obj, Mapping):
                marks.append(Mark(*span, cls, describe(name, obj, record), cid))
    for row in statements:
        record = row.get("record") or {}
        span = _span(record.get("content"))
        who = speaker_entity(row) or "narration"
        if span:
            marks.append(Mark(*span, "st", f"statement by {who} ({row.get('quote') or 'no'} "
                                            f"quote, cue “{row.get('cue')}”)"))
        for name in ("speaker", "cue"):
            obj = record.get(name)
            span = _span(obj)
            if span and isinstance(obj, Mapping):
                marks.append(Mark(*span, FIELD_CLASSES[name], describe(name, obj, record)))
    known = {(m.start, m.end, m.cls) for m in marks}
    for cls, name, found in (("f-time", "time", times), ("f-place", "place", places)):
        for obj in found:
            span = _span(obj)
            if span and (*span, cls) not in known:  # not already shown with a claim's reasons
                marks.append(Mark(*span, cls, describe(name, obj)))
    return marks


def segments(text: str, marks: Iterable[Mark], selected: int | None = None) -> list[Segment]:
    """``text`` cut into pieces, each with the classes and titles of the marks covering it.

    Marks outside the text are clipped; ``selected`` adds ``sel`` to that claim's evidence.

    Example:
        >>> segs = segments("abcdef", [Mark(0, 4, "ev", "c1", 1), Mark(2, 6, "f-time", "t")],
        ...                 selected=1)
        >>> [(s.text, s.classes) for s in segs]
        [('ab', 'ev ev-c1 sel'), ('cd', 'ev f-time ev-c1 sel'), ('ef', 'f-time')]
    """
    n = len(text)
    kept = [m for m in marks if 0 <= m.start < m.end and m.start < n]
    cuts = sorted({0, n, *(m.start for m in kept), *(min(m.end, n) for m in kept)})
    out: list[Segment] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        if a >= b:
            continue
        over = [m for m in kept if m.start <= a and b <= m.end]
        if not over:
            out.append(Segment(text[a:b]))
            continue
        classes = sorted({m.cls for m in over}, key=_ORDER.index)
        claims = sorted({m.claim for m in over if m.cls == "ev" and m.claim is not None})
        classes += [f"ev-c{c}" for c in claims]
        if selected is not None and selected in claims:
            classes.append("sel")
        titles = list(dict.fromkeys(
            m.title for m in sorted(over, key=lambda m: _ORDER.index(m.cls))
        ))
        out.append(Segment(text[a:b], " ".join(classes), "\n".join(titles), claims))
    return out


# --------------------------------------------------------------------------- events map

MAP_ASPECT = 2.5  # width / height of the events map on a desktop page (style.css: .chart.map)
MARKERS_ACROSS = 25  # about this many markers side by side fill the map's height
HOVER_LINES = 6  # events named in a group marker's hover text


def map_bounds(points: Sequence[Mapping[str, Any]]) -> dict[str, list[float]]:
    """The events' extent with a margin: ``{"lat": [south, north], "lon": [west, east]}``.

    The margin is a tenth of the extent and at least half a degree, so one event or a
    handful in one city still show their surroundings. The map widens the shorter side to
    the page's shape (static/charts.js), never cuts an event off.

    Example:
        >>> map_bounds([{"lat": 49.99, "lon": 36.23}, {"lat": 46.64, "lon": 32.61}])
        {'lat': [46.14, 50.49], 'lon': [32.11, 36.73]}
    """
    lats = [float(p["lat"]) for p in points]
    lons = [float(p["lon"]) for p in points]
    if not lats:
        return {"lat": [-60.0, 85.0], "lon": [-180.0, 180.0]}

    def padded(lo: float, hi: float, limit: float) -> list[float]:
        margin = max(0.5, (hi - lo) / 10)
        return [round(max(-limit, lo - margin), 2), round(min(limit, hi + margin), 2)]

    return {"lat": padded(min(lats), max(lats), 85.0),
            "lon": padded(min(lons), max(lons), 180.0)}


def _hover(p: Mapping[str, Any]) -> str:
    killed = p.get("killed")
    return (f"{p.get('label') or 'event'}" + (f" ({p['date']})" if p.get("date") else "")
            + ("" if killed is None else f": {num(killed)} killed"))


def event_map(points: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """What the events map draws: its bounds (``map_bounds``) and one marker per group of
    events that would overlap at that view.

    ``points`` are events with ``lat``, ``lon``, ``id``, ``label``, ``date``, ``killed`` and
    ``url``. An event joins the first group (in the order given) whose first event lies
    within a marker's width at the fitted view, so a city's several events are one marker
    with their number on it. A group's marker sits at its events' mean position, its
    ``killed`` is the sum of the known figures (None if none is known); one event links to
    its article, a group to its first row in the table (``#event-row-ID``). ``text`` is the
    hover text: plotly's little HTML, the events' own words escaped.

    Example:
        >>> kharkiv = [{"lat": 49.99, "lon": 36.23, "id": i, "label": "Kharkiv — strike",
        ...             "date": "2024-05-23", "killed": 7, "url": f"/articles/{i}#event-{i}"}
        ...            for i in (1, 2)]
        >>> kherson = {"lat": 46.64, "lon": 32.61, "id": 3, "label": "Kherson — shelling",
        ...            "date": "2024-05-24", "killed": None, "url": "/articles/3#event-3"}
        >>> [(m["n"], m["killed"], m["url"]) for m in event_map([*kharkiv, kherson])["markers"]]
        [(2, 14, '#event-row-1'), (1, None, '/articles/3#event-3')]
    """
    bounds = map_bounds(points)
    mid = math.radians((bounds["lat"][0] + bounds["lat"][1]) / 2)
    squeeze = max(math.cos(mid), 0.05)  # a degree of longitude is this many of latitude
    height = bounds["lat"][1] - bounds["lat"][0]
    width = (bounds["lon"][1] - bounds["lon"][0]) * squeeze
    radius = max(height, width / MAP_ASPECT) / MARKERS_ACROSS  # one marker, in degrees
    groups: list[list[Mapping[str, Any]]] = []
    for p in points:
        lat, lon = float(p["lat"]), float(p["lon"])
        for group in groups:
            first = group[0]
            if math.hypot(lat - float(first["lat"]),
                          (lon - float(first["lon"])) * squeeze) <= radius:
                group.append(p)
                break
        else:
            groups.append([p])
    markers = []
    for group in groups:
        known = [float(p["killed"]) for p in group if isinstance(p.get("killed"), int | float)]
        # plotly reads hover text as a little HTML: an article's words are escaped
        lines = [html.escape(_hover(p), quote=False) for p in group[:HOVER_LINES]]
        if len(group) > HOVER_LINES:
            lines.append(f"… and {len(group) - HOVER_LINES} more")
        markers.append({
            "lat": round(sum(float(p["lat"]) for p in group) / len(group), 4),
            "lon": round(sum(float(p["lon"]) for p in group) / len(group), 4),
            "n": len(group),
            "ids": [p["id"] for p in group],
            "killed": (int(sum(known)) if all(k == int(k) for k in known) else sum(known))
            if known else None,
            "text": ("" if len(group) == 1 else f"{len(group)} events<br>")
            + "<br>".join(lines),
            "url": group[0]["url"] if len(group) == 1 else f"#event-row-{int(group[0]['id'])}",
        })
    return {"bounds": bounds, "markers": markers, "events": len(points)}
