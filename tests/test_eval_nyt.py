"""The victim-side evaluation on the NYT/WaPo/WSJ casualty sentences."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitrep.eval_nyt import eval_nyt, held_out, side_of
from sitrep.extract.pipeline import Extractor

NYT = Path(__file__).resolve().parents[2] / "shared" / "data" / "casualty_mentions_nyt.jsonl"


def _claim(kind: str, country: str | None) -> dict:  # type: ignore[type-arg]
    return {"quantity": {"kind": kind}, "subject": {"country": country} if country else None}


@pytest.mark.parametrize(
    ("claims", "side"),
    [
        ([_claim("killed", "PS")], "palestine"),
        ([_claim("killed", "IL"), _claim("wounded", "IL")], "israel"),
        ([_claim("killed", "IL"), _claim("killed", "PS")], "both"),
        ([_claim("detained", "IL")], "israel"),  # hostages are victims of the war too
        ([_claim("troops", "IL")], None),  # soldiers mobilised are nobody's dead
        ([_claim("killed", "US")], None),  # neither side
        ([_claim("killed", None)], None),
        ([], None),
    ],
)
def test_a_records_side_is_its_victim_claims(claims: list, side: str | None) -> None:  # type: ignore[type-arg]
    assert side_of({"claims": claims}) == side


def test_the_held_out_part_is_whole_articles() -> None:
    assert held_out("nyt:12:a1") and held_out("nyt:12:b2")  # one article, both sentences
    assert not held_out("wsj:13:a1")
    assert not held_out("badid")


@pytest.mark.skipif(not NYT.is_file(), reason="shared/data absent")
def test_eval_nyt_scores_a_sample_of_the_held_out_sentences() -> None:
    figures = eval_nyt(Extractor(), NYT, limit=20)
    assert figures["nyt.sentences"] == 20
    assert 0.0 <= figures["nyt.victim_side"] <= figures["nyt.side_given"] <= 1.0
    assert figures["nyt.victim_side"] > 0  # some sentences do name whose dead they count
