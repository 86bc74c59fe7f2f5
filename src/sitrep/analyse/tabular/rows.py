"""Rows of the casualty tables read into claims: The Economist's estimates and the Ukrainian
General Staff's daily tallies, each row a pseudo-article and its contract record."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from sitrep.analyse.dedup import signature, signature_bytes
from sitrep.analyse.track import claimant_data
from sitrep.errors import Errors
from sitrep.extract.lexicon import load_data
from sitrep.model import SCHEMA_VERSION, Article

FORMATS = ("economist", "gsu")
WAR_START = date(2022, 2, 24)
SINCE_TEXT = "since 24 February 2022"

_ECONOMIST_FIELDS = ("date", "claimant", "losses_of", "type")
_LOSSES_OF = {
    "russia": ("Russian forces", "RU:forces", "RU"),
    "ukraine": ("Ukrainian forces", "UA:forces", "UA"),
}
_ECONOMIST_KIND = {"deaths": "killed", "casualties": "casualties"}
_NOUN = {"killed": "deaths", "casualties": "casualties (killed and wounded)"}
_PARTIES = ("UA", "RU")


@dataclass
class TableRow:
    """One usable row: its identity ``key``, the pseudo-article and the contract record."""

    key: str
    article: Article
    record: dict[str, Any]


@dataclass
class RowReject:
    """A row that could not be used: where (``FILE:LINE``) and why."""

    where: str
    reason: str


class FormatError(ValueError):
    """The file is in neither known format (or not the one asked for)."""


def economist_row(row: Mapping[str, Any]) -> TableRow:
    """One row of The Economist's table as a pseudo-article with one claim.

    Raises ``ValueError`` (a reject's reason) for a row that states no number.

    Example:
        >>> r = economist_row({"id": "e:1", "date": "2025-03-20", "claimant": "UK MoD",
        ...     "losses_of": "russia", "type": "deaths", "estimate": None,
        ...     "estimate_low": 200000, "estimate_high": 250000,
        ...     "source_url": "https://x.com/DefenceHQ", "from_warring_party": False})
        >>> q = r.record["claims"][0]["quantity"]
        >>> q["kind"], q["low"], q["best"], q["high"], q["approx"], q["text"]
        ('killed', 200000, 200000, 250000, 'range', '200,000 to 250,000')
        >>> r.article.text.splitlines()[0]
        'UK MoD estimated 200,000 to 250,000 deaths among Russian forces since 24 February 2022, as of 2025-03-20.'
    """  # noqa: E501
    for name in _ECONOMIST_FIELDS:
        if not isinstance(row.get(name), str) or not row[name].strip():
            raise ValueError(Errors.E204.format(field=name))
    said = _day(row["date"], "date")
    raw = row["claimant"].strip()
    losses = row["losses_of"].strip().lower()
    if losses not in _LOSSES_OF:
        raise ValueError(Errors.E205.format(value=row["losses_of"]))
    kind = _ECONOMIST_KIND.get(row["type"].strip().lower())
    if kind is None:
        raise ValueError(Errors.E206.format(value=row["type"]))
    est = _count(row.get("estimate"), "estimate")
    low = _count(row.get("estimate_low"), "estimate_low")
    high = _count(row.get("estimate_high"), "estimate_high")
    if est is None and low is None and high is None:
        raise ValueError(Errors.E207)
    if low is not None and high is not None and low > high:
        raise ValueError(Errors.E208.format(low=low, high=high))
    # The estimate becomes the claim's best, which must lie within its low-high.
    if est is not None and ((low is not None and est < low) or (high is not None and est > high)):
        raise ValueError(Errors.E209.format(best=est, low=low, high=high))
    warring = row.get("from_warring_party")
    if warring is not None and not isinstance(warring, bool):
        raise ValueError(Errors.E210.format(value=warring))
    if low is None and high is None:
        q_low, q_high, approx, qtext = est, est, "exact", _fmt(est)
    else:
        q_low, q_high = low, high
        approx = (
            "range"
            if low is not None and high is not None
            else ("at_least" if low is not None else "at_most")
        )
        bounds = {
            "range": f"{_fmt(low)} to {_fmt(high)}",
            "at_least": f"at least {_fmt(low)}",
            "at_most": f"up to {_fmt(high)}",
        }[approx]
        qtext = bounds if est is None else f"{_fmt(est)} ({bounds})"
    best = est if est is not None else (low if low is not None else high)
    subject_text, actor, subject_country = _LOSSES_OF[losses]
    speaker = _speaker(raw, warring=bool(warring))
    url = row.get("source_url")
    url = url.strip() if isinstance(url, str) else None
    head = f"{raw} estimated "
    line = f"{head}{qtext} {_NOUN[kind]} among {subject_text} {SINCE_TEXT}, as of {said}."
    lines = [line, f"Source: {url or '(none given)'}"]
    origin = f"row {row.get('id')} of {row.get('source')}"
    lines.append(f"From The Economist's table of published estimates ({origin}).")
    text = "\n".join(lines)
    q_start = len(head)
    subject_start = line.index(f" among {subject_text} ") + len(" among ")
    claim = _table_claim(
        "c1",
        (0, len(line)),
        {
            "text": qtext,
            "start": q_start,
            "end": q_start + len(qtext),
            "kind": kind,
            "low": q_low,
            "high": q_high,
            "best": best,
            "approx": approx,
            "unit": None,
            "currency": None,
            "rule": f"table.economist.{approx}",
            "kind_rule": f"table.type:{row['type'].strip().lower()}",
        },
        {**speaker, "start": 0, "end": len(raw)},
        {
            "text": subject_text,
            "start": subject_start,
            "end": subject_start + len(subject_text),
            "actor": actor,
            "country": subject_country,
        },
        _since(line, said),
        said,
        {
            "origin": f"imported from The Economist's table: {origin}",
            "kind": f"table type {row['type']!r} -> {kind}",
            "quantity": _economist_reason(approx, est),
            "speaker": f"table claimant {raw!r} (sitrep/analyse/data/claimants.json)",
            "side": "the table's from_warring_party "
            + ("(true: the claimant's country)" if warring else "(false: third party)"),
            "time": "the table's estimates are running totals since the full-scale invasion",
            "said_on": "the table's date",
        },
    )
    key = _hash("economist", raw, losses, row["type"].strip().lower(), said.isoformat())
    title = f"{raw}: {qtext} {_NOUN[kind]} among {subject_text}, {said}"
    return _table_row(key, row, "economist", said, title, url, text, [claim])


def _table_claim(
    cid: str,
    span: tuple[int, int],
    quantity: dict[str, Any],
    speaker: dict[str, Any],
    subject: dict[str, Any],
    time: dict[str, Any],
    said: date,
    reasons: dict[str, str],
) -> dict[str, Any]:
    """A claim of a table row in the contract's shape: the line ``span`` is its text and its
    evidence; a table has no cue, quote, hedge, place or statement."""
    return {
        "id": cid,
        "start": span[0],
        "end": span[1],
        "quantity": quantity,
        "speaker": speaker,
        "cue": None,
        "quote": None,
        "hedges": [],
        "subject": subject,
        "place": None,
        "time": time,
        "said_on": said.isoformat(),
        "evidence": [{"start": span[0], "end": span[1]}],
        "statement": None,
        "reasons": reasons,
    }


def gsu_row(row: Mapping[str, Any]) -> TableRow:
    """One day of the General Staff's table as a pseudo-article, one claim per figure.

    Example:
        >>> r = gsu_row({"id": "gsu:2022-02-25", "date": "2022-02-25", "day_of_war": 2,
        ...     "claimant": "General Staff of the Armed Forces of Ukraine", "personnel": 2800,
        ...     "personnel_qualifier": "about", "pow": None, "equipment": {"tank": 80}})
        >>> [(c["quantity"]["kind"], c["quantity"]["unit"], c["quantity"]["low"],
        ...   c["quantity"]["best"], c["quantity"]["high"]) for c in r.record["claims"]]
        [('casualties', None, 2380, 2800, 3220), ('equipment', 'tank', 80, 80, 80)]
    """
    if not isinstance(row.get("date"), str):
        raise ValueError(Errors.E204.format(field="date"))
    said = _day(row["date"], "date")
    raw = row.get("claimant")
    if not isinstance(raw, str) or not raw.strip():
        raise ValueError(Errors.E204.format(field="claimant"))
    raw = raw.strip()
    equipment = row.get("equipment") or {}
    if not isinstance(equipment, Mapping):
        raise ValueError(Errors.E211)
    speaker = _speaker(raw, warring=True, default_country="UA")
    day_of_war = row.get("day_of_war")
    day_note = f" (day {day_of_war} of the war)" if isinstance(day_of_war, int) else ""
    header = f"{raw}: losses of the Russian forces {SINCE_TEXT}, as of {said}{day_note}:"
    lines = [header]
    claims: list[dict[str, Any]] = []
    figures: list[tuple[str, str, str | None, Any, str]] = []  # label, kind, unit, value, why
    qualifier = row.get("personnel_qualifier") or "exact"
    figures.append(("personnel", "casualties", None, row.get("personnel"), "personnel"))
    figures.append(("prisoners of war", "captured", None, row.get("pow"), "pow"))
    for name, value in equipment.items():
        figures.append((str(name), "equipment", str(name), value, f"equipment.{name}"))
    pos = len(header) + 1
    subject_text = "Russian forces"
    subject_start = header.index(subject_text)
    for label, kind, unit, value, field in figures:
        if value is None:
            continue
        if isinstance(value, str):  # e.g. "greatest losses direction": a place, not a number
            line = f"{label}: {value}"
            lines.append(line)
            pos += len(line) + 1
            continue
        n = _count(value, field)
        assert n is not None
        if field == "personnel":
            low, best, high, approx, qtext, rule = _qualified(n, str(qualifier))
        else:
            low, best, high, approx, qtext, rule = n, n, n, "exact", _fmt(n), "table.gsu.exact"
        line = f"{label}: {qtext}"
        start = pos
        claims.append(
            _table_claim(
                f"c{len(claims) + 1}",
                (start, start + len(line)),
                {
                    "text": qtext,
                    "start": start + len(label) + 2,
                    "end": start + len(line),
                    "kind": kind,
                    "low": low,
                    "high": high,
                    "best": best,
                    "approx": approx,
                    "unit": unit,
                    "currency": None,
                    "rule": rule,
                    "kind_rule": f"table.gsu.{field.split('.')[0]}",
                },
                {**speaker, "start": 0, "end": len(raw)},
                {
                    "text": subject_text,
                    "start": subject_start,
                    "end": subject_start + len(subject_text),
                    "actor": "RU:forces",
                    "country": "RU",
                },
                _since(header, said),
                said,
                {
                    "origin": f"imported from the General Staff's daily table: row {row.get('id')}"
                    f" of {row.get('source')}",
                    "kind": _GSU_KIND_REASON[kind],
                    "quantity": f"table field {field}"
                    + (f", qualifier {qualifier!r}" if field == "personnel" else ""),
                    "speaker": f"table claimant {raw!r} (sitrep/analyse/data/claimants.json)",
                    "time": "the table's figures are running totals since 24 February 2022",
                    "said_on": "the table's date",
                },
            )
        )
        lines.append(line)
        pos += len(line) + 1
    if not claims:
        raise ValueError(Errors.E212)
    text = "\n".join(lines)
    title = f"{raw}: Russian losses as of {said}"
    key = _hash("gsu", said.isoformat())
    return _table_row(key, row, "gsu", said, title, None, text, claims)


_GSU_KIND_REASON = {
    "casualties": "personnel losses: killed plus seriously wounded (see sitrep.analyse.tabular)",
    "captured": "pow: prisoners of war",
    "equipment": "equipment destroyed or captured, unit = the table's type",
}


def _table_row(
    key: str,
    row: Mapping[str, Any],
    fmt: str,
    said: date,
    title: str,
    url: str | None,
    text: str,
    claims: list[dict[str, Any]],
) -> TableRow:
    ext_id = str(row.get("id") or f"{fmt}:{key[:16]}")
    digest = hashlib.sha256(
        json.dumps(claims, sort_keys=True, ensure_ascii=False).encode("utf-8")
    ).hexdigest()
    record = {
        "schema": SCHEMA_VERSION,
        "id": ext_id,
        "published": said.isoformat(),
        "origin": "table",
        "table": {"format": fmt, "source": row.get("source"), "row": dict(row)},
        "digest": digest,  # of the claims: a changed reading updates the row on re-import
        "statements": [],
        "claims": claims,
        "events": [],
        "times": [],
        "places": [],
    }
    outlet = None
    if url and url.startswith(("http://", "https://")):
        host = urlsplit(url).hostname or ""
        outlet = host.removeprefix("www.") or None
    else:
        url = None
    article = Article(id=ext_id, text=text, published=said, title=title, url=url, outlet=outlet)
    return TableRow(key=key, article=article, record=record)


def _minhash(text: str) -> Callable[[], bytes]:
    """The article's MinHash, computed only if the store writes the row (``sitrep ingest``
    groups copies by it and re-groups any article stored without one)."""
    return lambda: signature_bytes(signature(text))


def _speaker(raw: str, *, warring: bool, default_country: str | None = None) -> dict[str, Any]:
    """The speaker fields for a table's claimant (see ``table_claimants``)."""
    known = claimant_data()["table_claimants"].get(raw)
    if known is None:  # an unknown claimant speaks for itself, with no country
        known = {"role": raw, "country": default_country}
    country = known.get("country")
    side = (country if country in _PARTIES else None) if warring else "third party"
    return {
        "text": raw,
        "name": known.get("name"),
        "role": known.get("role"),
        "anonymous": bool(known.get("anonymous", False)),
        "country": country,
        "side": side,
        "antecedent": None,
    }


def _since(line: str, said: date) -> dict[str, Any]:
    start = line.index(SINCE_TEXT)
    return {
        "text": SINCE_TEXT,
        "start": start,
        "end": start + len(SINCE_TEXT),
        "date_start": WAR_START.isoformat(),
        "date_end": said.isoformat(),
        "precision": "day",
    }


def _qualified(n: int, qualifier: str) -> tuple[int | None, int, int | None, str, str, str]:
    """(low, best, high, approx, text, rule) of a General Staff figure with its qualifier."""
    q = qualifier.strip().lower()
    if q == "about":
        spec = load_data("quantities.json")["bound_prefixes"]["about"]
        low = (Decimal(n) * Decimal(str(spec["low_factor"]))).to_integral_value()
        high = (Decimal(n) * Decimal(str(spec["high_factor"]))).to_integral_value()
        return int(low), n, int(high), "about", f"about {_fmt(n)}", "table.gsu.about"
    if q in ("more", "more than", "over", "at least"):
        return n, n, None, "at_least", f"more than {_fmt(n)}", "table.gsu.at_least"
    if q in ("exact", ""):
        return n, n, n, "exact", _fmt(n), "table.gsu.exact"
    raise ValueError(Errors.E213.format(value=qualifier))


def _economist_reason(approx: str, est: int | None) -> str:
    return {
        "exact": "a bare estimate: an exact figure",
        "range": "the table's low and high",
        "at_least": "only a low end: at least",
        "at_most": "only a high end: up to",
    }[approx] + ("; best = the estimate" if est is not None and approx != "exact" else "")


def _count(value: Any, name: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(Errors.E214.format(field=name, value=value))
    if value != value or value < 0 or value != int(value):
        raise ValueError(Errors.E215.format(field=name, value=value))
    return int(value)


def _day(value: str, name: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(Errors.E216.format(field=name, value=value)) from None


def _fmt(n: int | None) -> str:
    return "" if n is None else f"{n:,}"


def _hash(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(("sitrep-table", *parts)).encode("utf-8")).hexdigest()


def _reason(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"missing field {exc.args[0]!r}"
    return str(exc)
