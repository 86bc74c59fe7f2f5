"""Independent sources: how many copy groups carry a claim.

Forty outlets running one AFP story are one source: a claim's ``sources`` is the number of
distinct copy groups among the articles that state it (the same speaker, kind and interval).

Example:
    >>> rows = [{"speaker_text": "the UN", "kind": "killed", "low": 5, "high": 5,
    ...          "copy_group": g} for g in (1, 1, 2)]
    >>> count_sources(rows)
    [2, 2, 2]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sitrep.model import speaker_entity


def claim_identity(claim: dict[str, Any]) -> tuple[Any, ...]:
    """What makes two stored claims one claim: speaker (first mention), kind and interval."""
    speaker = (speaker_entity(claim) or "").lower()
    return (speaker, claim.get("kind"), claim.get("low"), claim.get("high"), claim.get("currency"))


def count_sources(claims: Sequence[dict[str, Any]]) -> list[int]:
    """For each claim row, the number of copy groups carrying the same claim."""
    groups: dict[tuple[Any, ...], set[Any]] = {}
    for c in claims:
        group = c.get("copy_group")
        groups.setdefault(claim_identity(c), set()).add(
            group if group is not None else ("article", c.get("article_id"))
        )
    return [len(groups[claim_identity(c)]) for c in claims]
