"""From a contract record to table rows: the row of each statement, claim, event and
evidence span, every value checked (``InvalidRecord`` names the field that is wrong).

Example:
    >>> _event_row(1, {"id": "e1", "killed": {"low": 2, "best": 3}}, "events[0]")["killed_best"]
    3.0
    >>> _num("3", "claims[0].quantity.best")
    Traceback (most recent call last):
    ...
    sitrep.store.rows.InvalidRecord: [E320] claims[0].quantity.best: not a finite number: '3'
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sitrep.errors import Errors
from sitrep.model import SCOPES


class InvalidRecord(ValueError):
    """A record that cannot be stored; nothing of its article was stored.

    Raised for a value of the wrong type (a number that is not a number, a date that is not a
    date) and for a constraint the database enforces (a required field that is null, a claim
    id used twice in one article). The message names the article and the field.
    """


def _evidence_rows(claim_id: int, spans: list[Any], path: str) -> list[dict[str, Any]]:
    """Evidence rows of one claim; ``path`` names the claim in error messages."""
    rows = []
    for j, span in enumerate(spans):
        where = f"{path}.evidence[{j}]"
        span = _obj(span, where)
        rows.append(
            {
                "claim_id": claim_id,
                "char_start": _int(span.get("start"), f"{where}.start"),
                "char_end": _int(span.get("end"), f"{where}.end"),
            }
        )
    return rows


def _speaker_columns(speaker: Any, path: str) -> dict[str, Any]:
    sp = _obj(speaker, path)
    antecedent = _obj(sp.get("antecedent"), f"{path}.antecedent")
    anonymous = sp.get("anonymous")
    if anonymous is not None and not isinstance(anonymous, bool):
        raise InvalidRecord(Errors.E315.format(path=path, value=anonymous))
    return {
        "speaker_text": _str(sp.get("text"), f"{path}.text"),
        "speaker_name": _str(sp.get("name"), f"{path}.name"),
        "speaker_role": _str(sp.get("role"), f"{path}.role"),
        "speaker_antecedent": _str(antecedent.get("text"), f"{path}.antecedent.text"),
        "speaker_anonymous": anonymous if sp else None,
        "speaker_country": _str(sp.get("country"), f"{path}.country"),
        "speaker_side": _str(sp.get("side"), f"{path}.side"),
    }


def _slice(body: str, start: int | None, end: int | None) -> str | None:
    if start is None or end is None or not 0 <= start <= end <= len(body):
        return None
    return body[start:end]


def _statement_row(article_id: int, body: str, s: Any, path: str) -> dict[str, Any]:
    s = _obj(s, path)
    content = _obj(s.get("content"), f"{path}.content")
    start = _int(content.get("start"), f"{path}.content.start")
    end = _int(content.get("end"), f"{path}.content.end")
    return {
        "article_id": article_id,
        "sid": _str(s.get("id"), f"{path}.id"),
        **_speaker_columns(s.get("speaker"), f"{path}.speaker"),
        "cue": _str(_obj(s.get("cue"), f"{path}.cue").get("text"), f"{path}.cue.text"),
        "quote": _str(s.get("quote"), f"{path}.quote"),
        "content_start": start,
        "content_end": end,
        "content": _slice(body, start, end),
        "record": _json(s, path),
    }


def _claim_row(
    article_id: int, body: str, c: Any, by_sid: Mapping[str, int], path: str
) -> dict[str, Any]:
    c = _obj(c, path)
    q = _obj(c.get("quantity"), f"{path}.quantity")
    subject = _obj(c.get("subject"), f"{path}.subject")
    place = _obj(c.get("place"), f"{path}.place")
    when = _obj(c.get("time"), f"{path}.time")
    start = _int(c.get("start"), f"{path}.start")
    end = _int(c.get("end"), f"{path}.end")
    sid = _str(c.get("statement"), f"{path}.statement")
    low, best, high = _bounds(q, f"{path}.quantity")
    return {
        "article_id": article_id,
        "cid": _str(c.get("id"), f"{path}.id"),
        "char_start": start,
        "char_end": end,
        "sentence": _slice(body, start, end),
        "kind": _str(q.get("kind"), f"{path}.quantity.kind"),
        "low": low,
        "best": best,
        "high": high,
        "approx": _str(q.get("approx"), f"{path}.quantity.approx"),
        "quantity": _str(q.get("text"), f"{path}.quantity.text"),
        "unit": _str(q.get("unit"), f"{path}.quantity.unit"),
        "currency": _str(q.get("currency"), f"{path}.quantity.currency"),
        "rule": _str(q.get("rule"), f"{path}.quantity.rule"),
        **_speaker_columns(c.get("speaker"), f"{path}.speaker"),
        "cue": _str(_obj(c.get("cue"), f"{path}.cue").get("text"), f"{path}.cue.text"),
        "quote": _str(c.get("quote"), f"{path}.quote"),
        "subject_text": _str(subject.get("text"), f"{path}.subject.text"),
        "subject_actor": _str(subject.get("actor"), f"{path}.subject.actor"),
        "subject_country": _str(subject.get("country"), f"{path}.subject.country"),
        "place_text": _str(place.get("text"), f"{path}.place.text"),
        "place_name": _str(place.get("name"), f"{path}.place.name"),
        "place_country": _str(place.get("country"), f"{path}.place.country"),
        "admin1": _str(place.get("admin1"), f"{path}.place.admin1"),
        "iso3166_2": _str(place.get("iso3166_2"), f"{path}.place.iso3166_2"),
        "lat": _num(place.get("lat"), f"{path}.place.lat"),
        "lon": _num(place.get("lon"), f"{path}.place.lon"),
        "place_precision": _str(place.get("precision"), f"{path}.place.precision"),
        "time_text": _str(when.get("text"), f"{path}.time.text"),
        "time_start": _date(when.get("date_start"), f"{path}.time.date_start"),
        "time_end": _date(when.get("date_end"), f"{path}.time.date_end"),
        "time_precision": _str(when.get("precision"), f"{path}.time.precision"),
        "said_on": _date(c.get("said_on"), f"{path}.said_on"),
        "statement_sid": sid,
        "statement_id": by_sid.get(sid) if sid is not None else None,
        "record": _json(c, path),
        # Only when given: a claim without one inserts no scope, as a sitrep before revision
        # 0004 did (see _aligned).
        **({"scope": scope} if (scope := _scope(c.get("scope"), f"{path}.scope")) else {}),
    }


def _aligned(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows with the same keys (None where missing), for one executemany."""
    keys = {k for r in rows for k in r}
    return [{k: r.get(k) for k in keys} for r in rows]


def _scope(value: Any, path: str) -> str | None:
    """A claim's scope: one of ``sitrep.model.SCOPES``, or None (a claim of an older sitrep)."""
    if value is None or value in SCOPES:
        return value
    raise InvalidRecord(Errors.E316.format(path=path, choices=", ".join(SCOPES), value=value))


def _event_row(article_id: int, e: Any, path: str) -> dict[str, Any]:
    e = _obj(e, path)
    row: dict[str, Any] = {
        "article_id": article_id,
        "eid": _str(e.get("id"), f"{path}.id"),
        "type": _str(e.get("type"), f"{path}.type"),
        "date_start": _date(e.get("date_start"), f"{path}.date_start"),
        "date_end": _date(e.get("date_end"), f"{path}.date_end"),
        "date_precision": _str(e.get("date_precision"), f"{path}.date_precision"),
        "country": _str(e.get("country"), f"{path}.country"),
        "admin1": _str(e.get("admin1"), f"{path}.admin1"),
        "iso3166_2": _str(e.get("iso3166_2"), f"{path}.iso3166_2"),
        "location": _str(e.get("location"), f"{path}.location"),
        "lat": _num(e.get("lat"), f"{path}.lat"),
        "lon": _num(e.get("lon"), f"{path}.lon"),
        "where_precision": _str(e.get("where_precision"), f"{path}.where_precision"),
        "side_a": _str(e.get("side_a"), f"{path}.side_a"),
        "side_b": _str(e.get("side_b"), f"{path}.side_b"),
        "record": _json(e, path),
    }
    for measure in ("killed", "wounded", "captured", "missing"):
        est = _obj(e.get(measure), f"{path}.{measure}")
        bounds = _bounds(est, f"{path}.{measure}")
        for part, value in zip(("low", "best", "high"), bounds, strict=True):
            row[f"{measure}_{part}"] = value
    return row


# --------------------------------------------------------------------------- values


def _obj(value: Any, path: str) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise InvalidRecord(Errors.E317.format(path=path, value=value))
    return value


def _list(record: Mapping[str, Any], name: str, path: str) -> list[Any]:
    value = record.get(name)
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        raise InvalidRecord(Errors.E318.format(path=path, name=name, value=value))
    return list(value)


def _str(value: Any, path: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise InvalidRecord(Errors.E319.format(path=path, value=value))


def _num(value: Any, path: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidRecord(Errors.E320.format(path=path, value=value))
    return float(value)


def _bounds(est: Mapping[str, Any], path: str) -> tuple[float | None, float | None, float | None]:
    """An estimate's low, best and high, which must keep ``low <= best <= high`` where set."""
    low, best, high = (_num(est.get(p), f"{path}.{p}") for p in ("low", "best", "high"))
    given = [(n, v) for n, v in (("low", low), ("best", best), ("high", high)) if v is not None]
    for (n1, v1), (n2, v2) in zip(given, given[1:], strict=False):
        if v1 > v2:
            raise InvalidRecord(Errors.E321.format(path=path, first=n1, low=v1, second=n2, high=v2))
    return low, best, high


def _int(value: Any, path: str, required: bool = False) -> int | None:
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidRecord(Errors.E322.format(path=path, value=value))
    return value


def _date(value: Any, path: str) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise InvalidRecord(Errors.E323.format(path=path, value=value))


def _json_default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(Errors.E333.format(value=value))


def _json(value: Any, path: str) -> str:
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False, default=_json_default)
    except (TypeError, ValueError) as exc:
        raise InvalidRecord(Errors.E324.format(path=path, cause=exc)) from exc


def _extraction_json(record: Mapping[str, Any], ext_id: Any) -> str:
    if not isinstance(record, Mapping):
        raise InvalidRecord(Errors.E325.format(article=ext_id, value=record))
    rest = {k: v for k, v in record.items() if k not in ("statements", "claims", "events")}
    return _json(rest, f"article {ext_id!r}")
