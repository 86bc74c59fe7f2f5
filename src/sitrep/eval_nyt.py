"""Whose dead: the victims' side of casualty sentences from the NYT, the Washington Post and
the WSJ (``shared/data/casualty_mentions_nyt.jsonl``, October 2023, hand-tagged israel,
palestine or both).

Each sentence is extracted alone, as a one-sentence article under its article's title (the
set gives no more of the article than that: the headline is the context sitrep has of any
article, and it says where the story is, ``assemble.article_theatre``). The
side sitrep gives a sentence is that of its victim claims' subjects (killed, wounded,
casualties, missing, captured, detained): the subject's ``side`` (the party whose losses they
are: foreign nationals killed in Israel count on its side, as the set tags them), else its
country; IL is israel, PS palestine, both when both are there; nothing when no victim claim
has one of them.

The figures are read on a held-out sixth of the articles (``held_out``: the article number
modulo 6 is 0; 691 sentences), so that the rest can be read for errors without tuning on the
figure:

* ``victim_side``: sentences whose side sitrep gives right, of all held-out sentences;
* ``side_given``: sentences sitrep gives a side for;
* ``side_precision``: of those, the share given right.

Example:
    >>> held_out("nyt:1253:9fa25789"), held_out("wp:12:aa")
    (False, True)
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from sitrep.model import VICTIM_KINDS, Article
from sitrep.run import Extracts

Figures = dict[str, float]
SIDES = {"IL": "israel", "PS": "palestine"}


def held_out(row_id: str) -> bool:
    """Whether a sentence's article is in the held-out sixth (``outlet:article:sentence``)."""
    parts = row_id.split(":")
    return len(parts) > 1 and parts[1].isdigit() and int(parts[1]) % 6 == 0


def side_of(record: dict[str, Any]) -> str | None:
    """The victims' side of one extracted record: israel, palestine, both or None.

    Example:
        >>> side_of({"claims": [{"quantity": {"kind": "killed"},
        ...                      "subject": {"country": "PS"}}]})
        'palestine'
        >>> side_of({"claims": [{"quantity": {"kind": "killed"},
        ...                      "subject": {"country": "US", "side": "IL"}}]})
        'israel'
    """
    sides = set()
    for claim in record.get("claims", []):
        if claim["quantity"]["kind"] not in VICTIM_KINDS:
            continue
        subject = claim.get("subject") or {}
        side = SIDES.get(subject.get("side") or subject.get("country") or "")
        if side:
            sides.add(side)
    if len(sides) == 2:
        return "both"
    return next(iter(sides), None)


def _day(value: str) -> date | None:
    """The set's dates: ``2023-10-19`` and, for some rows, ``10/13/2023`` (month first)."""
    try:
        if "/" in value:
            month, day, year = (int(x) for x in value.split("/"))
            return date(year, month, day)
        return date.fromisoformat(value)
    except ValueError:
        return None


def read_rows(path: Path, split: str = "held-out",
              limit: int | None = None) -> list[dict[str, Any]]:
    """The set's rows of ``split``: "held-out" (scored) or "rest" (read for errors, trained
    on)."""
    rows = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                row = json.loads(line)
                if held_out(row["id"]) == (split == "held-out"):
                    rows.append(row)
    return rows[:limit] if limit else rows


def sentence_articles(rows: list[dict[str, Any]]) -> list[Article]:
    """Each row's sentence as a one-sentence article."""
    return [Article(id=r["id"], text=r["sentence"], published=_day(r["date"]),
                    title=r.get("title") or None) for r in rows]


def eval_nyt(extractor: Extracts, path: Path, limit: int | None = None,
             split: str = "held-out") -> Figures:
    """Victim-side figures on ``split`` ("held-out", or "rest" to read errors on)."""
    rows = read_rows(path, split, limit)
    articles = sentence_articles(rows)
    right = given = given_right = 0
    for row, record in zip(rows, extractor.extract(articles), strict=True):
        side = side_of(record)
        if side is not None:
            given += 1
            given_right += side == row["victim_side"]
        right += side == row["victim_side"]
    n = len(rows)
    return {
        "nyt.victim_side": right / n if n else 0.0,
        "nyt.side_given": given / n if n else 0.0,
        "nyt.side_precision": given_right / given if given else 0.0,
        "nyt.sentences": float(n),
    }
