"""Events: the claims of one incident rolled up into one UCDP GED / ACLED-shaped row.

An incident is a group of casualty claims (killed, wounded, captured, missing,
casualties) from one paragraph that share their place and time. A running total
("since February 2022", "so far", "have suffered several hundred casualties" with no
incident word or date) belongs to its claim, not to a new incident. Each of
killed / wounded / captured / missing is a low/best/high summed over the incident's
claims of that kind; "casualties" fills killed and wounded only when neither is given,
and then as the open interval it literally allows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from functools import lru_cache
from typing import Any

from spacy.tokens import Doc

from sitrep.extract.lexicon import load_data
from sitrep.extract.places import best_place
from sitrep.model import Article, Claim, Event, Place


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, Any]:
    data = load_data("events.json")
    cues = sorted(data["cumulative_cues"], key=len, reverse=True)
    data = dict(data)
    data["cumulative_re"] = re.compile(
        r"\b(" + "|".join(re.escape(c) for c in cues) + r")\b", re.IGNORECASE
    )
    perfect = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in data["campaign_perfect"])
    data["perfect_re"] = re.compile(
        r"\b(?:has|have|'ve)\s+(?:\w+\s+){0,2}?(?:" + perfect + r")\b", re.IGNORECASE
    )
    # "the deadliest day since ...": a superlative up to four words before the cue.
    data["superlative_re"] = re.compile(
        r"\b(?:" + "|".join(re.escape(w) for w in data["superlatives"]) + r")\b(?:\W+\w+){0,4}\W*$",
        re.IGNORECASE,
    )
    pins = [re.escape(p).replace(r"\ ", r"\s+") for p in data.get("not_cumulative", [])]
    data["pinned_re"] = re.compile("|".join(pins) or r"(?!)", re.IGNORECASE)
    data["incident_re"] = re.compile(
        r"\b(" + "|".join(re.escape(w) for w in data["incident_words"]) + r")\b", re.IGNORECASE
    )
    return data


def is_cumulative(claim: Claim, text: str) -> bool:
    """Whether a claim is a running total rather than one incident.

    Example:
        >>> from sitrep.model import Quantity
        >>> q = Quantity("500", 10, 13, 500, 500, 500, "exact", "num.exact", kind="killed")
        >>> c = Claim("c1", 0, 40, q)
        >>> is_cumulative(c, "Since 2022, 500 soldiers were killed there.")
        True
        >>> is_cumulative(c, "Russia has lost 500 soldiers, it said.")
        True
        >>> is_cumulative(c, "500 have been killed in a drone strike.")
        False
        >>> whole = Claim("c2", 0, 60, q)
        >>> is_cumulative(whole, "Strikes killed 500, the deadliest day since the truce began.")
        False
        >>> is_cumulative(whole, "Strikes have killed 500 since the truce began in January.")
        True
        >>> is_cumulative(c, "500 have been killed since this morning, police said.")
        False
        >>> is_cumulative(c, "500 were killed in the deadliest day since March.")
        False
    """
    lex = _lexicon()
    sentence = text[claim.start : claim.end]
    # Mask what pins one day ("since this morning", "since the beginning of the day").
    sentence = lex["pinned_re"].sub(lambda m: " " * len(m.group(0)), sentence)
    if claim.time is not None and claim.time.text.lower().startswith("since"):
        at = claim.time.start - claim.start
        masked = 0 <= at < len(sentence) and sentence[at] == " "
        # "the deadliest day since March": the superlative compares, the count is one day's.
        compared = 0 <= at <= len(sentence) and lex["superlative_re"].search(sentence[:at])
        if not (masked or compared):
            return True
    for m in lex["cumulative_re"].finditer(sentence):
        if not lex["superlative_re"].search(sentence[: m.start()]):
            return True
    # "have suffered several hundred casualties": a total so far, unless an incident word
    # or a day or week pins it down.
    dated = claim.time is not None and claim.time.precision in ("day", "week")
    return (
        not dated
        and lex["perfect_re"].search(sentence) is not None
        and lex["incident_re"].search(sentence) is None
    )


def event_type(text: str) -> str:
    """ACLED-like event type from the incident's sentence words.

    Example:
        >>> event_type("A missile strike hit the city.")
        'Explosions/Remote violence'
    """
    low = text.lower()
    lex = _lexicon()
    for entry in lex["types"]:
        for word in entry["words"]:
            if re.search(r"\b" + re.escape(word), low):
                return str(entry["type"])
    return str(lex["default_type"])


def _interval(claims: Sequence[Claim]) -> dict[str, float | None] | None:
    if not claims:
        return None
    low = 0.0
    high: float | None = 0.0
    best = 0.0
    for c in claims:
        q = c.quantity
        low += q.low if q.low is not None else 0.0
        best += q.best if q.best is not None else (q.low or 0.0)
        high = None if (high is None or q.high is None) else high + q.high
    return {"low": _whole(low), "best": _whole(best), "high": _whole(high)}


def _whole(value: float | None) -> float | None:
    """7.0 → 7: counts print as integers in JSON."""
    if value is not None and float(value).is_integer():
        return int(value)
    return value


def build_events(
    article: Article, claims: list[Claim], paras: list[tuple[int, Doc]]
) -> list[Event]:
    """Group an article's incident claims into events.

    Claims are grouped by paragraph (the unit a news report gives one incident in),
    and split when their places disagree.
    """
    lex = _lexicon()
    kinds = set(lex["casualty_kinds"])
    text = article.text
    groups: dict[tuple[int, str | None], list[Claim]] = {}
    para_starts = sorted(off for off, _doc in paras)
    for claim in claims:
        if claim.quantity.kind not in kinds or is_cumulative(claim, text):
            continue
        if claim.quantity.kind_rule.startswith("kind.part-of:"):
            continue  # "including eight children": already inside the whole's count
        para = max((p for p in para_starts if p <= claim.start), default=0)
        where = claim.place.admin1 or claim.place.country if claim.place else None
        key = (para, where)
        # A claim without a place joins the paragraph's group that has one.
        if where is None:
            existing = [k for k in groups if k[0] == para]
            if existing:
                key = existing[0]
        groups.setdefault(key, []).append(claim)
    events: list[Event] = []
    for (para, _where), members in groups.items():
        fallback = _fallback_place(para, paras)
        events.append(_event(f"e{len(events) + 1}", article, members, fallback))
    return events


def _fallback_place(para: int, paras: list[tuple[int, Doc]]) -> Place | None:
    """Where an incident whose own sentences name no region happened: the paragraph's
    place, else the article's, when every place there that resolves to a region names
    the same one ("Soldier killed in shelling" under a dateline or beside "near Avdiivka").
    """
    own = [p for off, doc in paras if off == para for p in (doc._.places or [])]
    everywhere = [p for _off, doc in paras for p in (doc._.places or [])]
    for pool in (own, everywhere):
        placed = [p for p in pool if p.admin1 and p.iso3166_2]
        if placed and len({p.iso3166_2 for p in placed}) == 1:
            return best_place(placed)
    return None


def _event(
    eid: str, article: Article, members: list[Claim], fallback: Place | None = None
) -> Event:
    by_kind: dict[str, list[Claim]] = {}
    for c in members:
        by_kind.setdefault(c.quantity.kind, []).append(c)
    # Several speakers giving one figure: keep the largest single claim per kind rather
    # than adding claims of different speakers about the same dead.
    def pick(kind: str) -> dict[str, float | None] | None:
        cs = by_kind.get(kind, [])
        if not cs:
            return None
        speakers = {(c.speaker.text if c.speaker else None) for c in cs}
        if len(speakers) > 1:
            cs = [max(cs, key=lambda c: c.quantity.best or 0)]
        return _interval(cs)

    killed = pick("killed")
    wounded = pick("wounded")
    if killed is None and wounded is None and "casualties" in by_kind:
        # Casualties = killed + wounded: each of them lies between 0 and the total.
        total = _interval(by_kind["casualties"])
        assert total is not None
        # "no casualties" (0 exactly) leaves no doubt: nobody killed, nobody wounded.
        best = 0 if total["high"] == 0 else None
        killed = {"low": 0, "best": best, "high": total["high"]}
        wounded = {"low": 0, "best": best, "high": total["high"]}
    places = [c.place for c in members if c.place is not None]
    place = best_place(places)
    if fallback is not None and (place is None or not place.admin1):
        place = fallback
    # "the deadliest day since March" gives no date to the incident itself.
    times = [
        c.time
        for c in members
        if c.time is not None and c.time.date_start
        and not (c.time.text.lower().startswith("since") and c.time.precision != "day")
    ]
    prec: str | None
    if times:
        t = times[0]
        d0, d1, prec = t.date_start, t.date_end or t.date_start, t.precision
    else:
        said = [c.said_on for c in members if c.said_on]
        d0 = d1 = said[0] if said else article.published
        prec = "day" if d0 else None
    sides = []
    for c in members:
        if c.subject is not None:
            label = c.subject.country or c.subject.actor
            if label and label not in sides:
                sides.append(label)
    sentence = " ".join(article.text[c.start : c.end] for c in members)
    return Event(
        id=eid,
        type=event_type(sentence),
        date_start=d0 if isinstance(d0, date) else None,
        date_end=d1 if isinstance(d1, date) else None,
        date_precision=prec,
        country=place.country if place else None,
        admin1=place.admin1 if place else None,
        location=place.name if place else None,
        lat=place.lat if place else None,
        lon=place.lon if place else None,
        where_precision=place.precision if place else None,
        side_a=sides[0] if sides else None,
        side_b=sides[1] if len(sides) > 1 else None,
        killed=killed,
        wounded=wounded,
        captured=pick("captured"),
        missing=pick("missing"),
        claims=[c.id for c in members],
        iso3166_2=place.iso3166_2 if place else None,
    )
