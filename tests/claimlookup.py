"""Look-ups the claim-family tests share: one claim of a sentence by its figure's text, and
the entity its speaker resolves to."""

from __future__ import annotations

from datetime import date
from typing import Any

from sitrep.extract.pipeline import Extractor
from sitrep.model import Article


def claim_of(extractor: Extractor, text: str, figure: str) -> dict[str, Any]:
    """The claim whose quantity reads ``figure`` in ``text`` (fails naming those found)."""
    out = next(extractor.extract([Article(id="t", text=text, published=date(2024, 5, 14))]))
    found = [c for c in out["claims"] if c["quantity"]["text"] == figure]
    assert found, [c["quantity"]["text"] for c in out["claims"]]
    return dict(found[0])


def speaker_entity(claim: dict[str, Any]) -> str | None:
    """The text of the entity a claim's speaker stands for (its antecedent, else itself)."""
    speaker = claim["speaker"]
    if speaker is None:
        return None
    return str((speaker.get("antecedent") or speaker)["text"])
