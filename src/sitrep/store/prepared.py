"""An article's extraction as table rows built ahead of saving, where it was extracted.

Turning a contract record into rows (every value checked, every statement, claim and event
serialised to JSON) is about a third of what saving an article costs, and needs no database:
``prepare`` does it on the worker that extracted the article, so the ingesting process only
inserts the rows (``sitrep.store.batch``) and fills in the ids the database gives them.

The rows are those of ``sitrep.store.rows`` less what only the database knows: no
``article_id``, no ``claim_id`` on evidence, no ``statement_id`` on claims (their
``statement_sid`` names it), and the links of events to claims by position and claim id. They
are tuples in a fixed column order (``STATEMENT_COLUMNS``, ``CLAIM_COLUMNS``,
``EVENT_COLUMNS``), not dicts: a worker ships them to the ingesting process, which inserts them
as they are, and a tuple costs less to send, to unpickle and to hand to the database driver.

A record ``prepare`` refuses (``InvalidRecord``, naming the article and the field) is refused
again where it is saved, so a worker sends no rows for it (``prepare_or_none``) and the error
comes from the ingesting process, as before.

Example:
    >>> q = {"text": "Two", "kind": "killed", "low": 2, "best": 2, "high": 2}
    >>> rec = {"id": "a", "claims": [{"id": "c1", "start": 0, "end": 3, "quantity": q}],
    ...        "events": [{"id": "e1", "claims": ["c1", "c9"]}]}
    >>> rows = prepare(rec, "Two killed.", "a")
    >>> claim = dict(zip(CLAIM_COLUMNS, rows.claims[0], strict=True))
    >>> claim["sentence"], claim["best"], rows.links, rows.extraction
    ('Two', 2.0, [(0, 'c1')], '{"id": "a"}')
    >>> prepare({"claims": [{"id": 1}]}, "", "b")
    Traceback (most recent call last):
    ...
    sitrep.store.rows.InvalidRecord: [E319] article 'b': claims[0].id: not a string: 1
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .rows import (
    _claim_row,
    _event_row,
    _evidence_rows,
    _extraction_json,
    _list,
    _statement_row,
)


def _columns(row: dict[str, Any], *left_out: str) -> tuple[str, ...]:
    return tuple(k for k in row if k not in left_out)


#: The columns of a prepared row of each table, in its tuple's order.
STATEMENT_COLUMNS = _columns(_statement_row(0, "", {}, ""), "article_id")
CLAIM_COLUMNS = (*_columns(_claim_row(0, "", {}, {}, ""), "article_id", "statement_id"),
                 "scope")  # a claim without one gets None, as _aligned gives it
EVENT_COLUMNS = _columns(_event_row(0, {}, ""), "article_id")
EVIDENCE_COLUMNS = ("char_start", "char_end")


@dataclass(frozen=True)
class Prepared:
    """One article's extraction as rows (tuples in the ``*_COLUMNS`` order), without the ids
    the database gives them."""

    extraction: str  # the record less its statements, claims and events, as JSON
    statements: list[tuple[Any, ...]]
    claims: list[tuple[Any, ...]]
    evidence: list[list[tuple[Any, ...]]]  # each claim's spans (EVIDENCE_COLUMNS), in order
    events: list[tuple[Any, ...]]
    links: list[tuple[int, str]]  # (index of an event, id of one of the article's claims)


def prepare(record: Mapping[str, Any], body: str, ext_id: Any) -> Prepared:
    """The rows of ``record``, the extraction of the article ``ext_id`` whose text is
    ``body``; raises ``InvalidRecord`` as saving it would (see the module)."""
    extraction = _extraction_json(record, ext_id)
    where = f"article {ext_id!r}"
    stmts = [
        _values(_statement_row(0, body, s, f"{where}: statements[{i}]"), STATEMENT_COLUMNS)
        for i, s in enumerate(_list(record, "statements", where))
    ]
    claims: list[tuple[Any, ...]] = []
    spans: list[list[tuple[Any, ...]]] = []
    cids: set[str] = set()
    for i, c in enumerate(_list(record, "claims", where)):
        path = f"{where}: claims[{i}]"
        row = _claim_row(0, body, c, {}, path)
        cids.add(row["cid"])
        claims.append(_values(row, CLAIM_COLUMNS))
        spans.append([_values(r, EVIDENCE_COLUMNS)
                      for r in _evidence_rows(0, _list(c, "evidence", path), path)])
    events: list[tuple[Any, ...]] = []
    links: list[tuple[int, str]] = []
    for i, e in enumerate(_list(record, "events", where)):
        events.append(_values(_event_row(0, e, f"{where}: events[{i}]"), EVENT_COLUMNS))
        links.extend((i, cid) for cid in e.get("claims") or []
                     if isinstance(cid, str) and cid in cids)
    return Prepared(extraction, stmts, claims, spans, events, links)


def prepare_or_none(record: Mapping[str, Any], body: str, ext_id: Any) -> Prepared | None:
    """``prepare``, or None for a record it refuses (the saving process refuses it again,
    naming the article). What a worker sends with each record.

    Example:
        >>> prepare_or_none({"claims": 3}, "", "b") is None
        True
    """
    try:
        return prepare(record, body, ext_id)
    except Exception:  # noqa: BLE001 - whatever it is, saving raises it again, in order
        return None


def _values(row: dict[str, Any], columns: tuple[str, ...]) -> tuple[Any, ...]:
    return tuple([row.get(c) for c in columns])
