"""The news evaluation: how predicted claims are matched to the readers' and scored, and that
every annotation still points at the words it was made on."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

from sitrep.eval_news import match_claims, same_speaker, score

ROOT = Path(__file__).resolve().parents[1]
POOL = ROOT.parent / "shared" / "data" / "news_dev_pool.jsonl"
ANNOTATIONS = ROOT / "annotations" / "news"

# "More than 33,137 people have been killed in Gaza since then, including 82 in the past 24
# hours, according to the territory's Hamas-run health ministry. It said 75,815 were injured."
TEXT_ENTITY = {"start": 108, "end": 147, "text": "the territory's Hamas-run health ministry"}


def gold(start: int, end: int, kind: str, low: float | None, high: float | None,
         speaker: dict[str, Any] | None = None, country: str | None = "PS") -> dict[str, Any]:
    return {"quantity": {"start": start, "end": end}, "kind": kind, "low": low, "high": high,
            "speaker": speaker, "subject": {"country": country}, "scope": "total"}


def predicted(start: int, end: int, kind: str, low: float | None, high: float | None,
              speaker: dict[str, Any] | None = None, country: str | None = "PS"
              ) -> dict[str, Any]:
    return {"quantity": {"start": start, "end": end, "kind": kind, "low": low, "high": high},
            "speaker": speaker, "subject": {"country": country} if country else None}


def test_claims_pair_by_overlapping_quantity_spans_one_to_one() -> None:
    g = [gold(0, 16, "killed", 33137, None), gold(67, 69, "killed", 82, 82)]
    p = [predicted(10, 16, "killed", 33137, None), predicted(67, 69, "killed", 82, 82),
         predicted(67, 69, "killed", 82, 82)]
    assert match_claims(g, p) == [(0, 0), (1, 1)]


@pytest.mark.parametrize(
    ("predicted_speaker", "right"),
    [
        ({"text": "the territory's Hamas-run health ministry", "start": 108, "end": 147}, True),
        ({"text": "It", "start": 149, "end": 151, "antecedent": TEXT_ENTITY}, True),
        ({"text": "It", "start": 149, "end": 151}, False),  # the pronoun, unresolved
        ({"text": "Hamas-run health ministry", "start": 400, "end": 425}, True),  # named alike
        (None, False),
    ],
)
def test_the_speaker_is_the_resolved_entity(predicted_speaker: dict[str, Any] | None,
                                            right: bool) -> None:
    speaker = {"mention": {"start": 149, "end": 151, "text": "It"}, "entity": TEXT_ENTITY,
               "anonymous": False, "country": "PS"}
    assert same_speaker(speaker, predicted_speaker) is right


def test_narration_matches_narration_only() -> None:
    assert same_speaker(None, None)
    assert not same_speaker(None, {"text": "officials", "start": 0, "end": 9})


def test_score_counts_kind_bounds_speaker_and_subject() -> None:
    speaker = {"entity": TEXT_ENTITY, "anonymous": False, "country": "PS"}
    g = [gold(0, 16, "killed", 33137, None, speaker),
         gold(67, 69, "killed", 82, 82, speaker),
         gold(160, 166, "wounded", 75815, 75815, speaker)]
    p = [predicted(10, 16, "killed", 33137, None, {"text": "It", "start": 149, "end": 151,
                                                   "antecedent": TEXT_ENTITY}),
         predicted(67, 69, "other", 82, 82, None, None),  # wrong kind, speaker and subject
         predicted(300, 302, "killed", 12, 12)]  # nothing in the gold
    figures = score([(g, p)])
    assert figures["claims_precision"] == pytest.approx(1 / 3)
    assert figures["claims_recall"] == pytest.approx(1 / 3)
    assert figures["wholly_right"] == pytest.approx(1 / 3)
    assert figures["speaker_entity"] == pytest.approx(1 / 2)
    assert figures["subject_country"] == pytest.approx(1 / 2)
    assert "scope" not in figures  # the extractor gave none


@pytest.mark.skipif(not POOL.is_file(), reason="../shared/data is absent")
def test_every_annotation_span_holds_its_text() -> None:
    spec = importlib.util.spec_from_file_location("annotate", ROOT / "scripts" / "annotate.py")
    assert spec and spec.loader
    annotate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(annotate)
    pool = annotate.load_pool(POOL)
    problems, n = [], 0
    for path in sorted(ANNOTATIONS.glob("*.jsonl")):
        for record in annotate.read_records(path):
            n += 1
            problems += annotate.check_record(pool[record["id"]], record)
    # A span inside a longer word is flagged too, but the pool's own text glues a few words
    # ("a mosquewas"): only spans that lost their text fail here.
    assert n > 0 and [p for p in problems if not p.endswith("inside a word")] == []


def test_the_split_puts_each_article_in_one_part() -> None:
    split = json.loads((ANNOTATIONS / "split.json").read_text(encoding="utf-8"))
    assert not set(split["dev"]) & set(split["train"])
    assert len(split["dev"]) >= 100


def test_implicit_counts_of_things_are_neither_gold_nor_errors() -> None:
    from sitrep.eval_news import gold_claims

    record = {"claims": [
        {**gold(40, 52, "equipment", 2, None), "implicit": True},  # "fired missiles"
        {**gold(0, 9, "killed", 2, None), "implicit": True},  # "civilians were killed"
    ]}
    keep, ignore = gold_claims(record)
    assert [c["kind"] for c in keep] == ["killed"] and len(ignore) == 1
    p = [predicted(0, 9, "killed", 2, None), predicted(40, 48, "equipment", 2, None)]
    assert score([(keep, p)], [ignore])["claims_precision"] == 1.0
    assert score([(keep, p)])["claims_precision"] == 0.5


def test_scope_is_the_share_of_matched_claims_with_the_readers_scope() -> None:
    # The running total (33,137 "since then") read right; the past day's 82, a period, read
    # as a total; a claim the readers did not mark does not count.
    g = [gold(0, 16, "killed", 33137, None), {**gold(67, 69, "killed", 82, 82),
                                               "scope": "period"}]
    p = [{**predicted(10, 16, "killed", 33137, None), "scope": "total"},
         {**predicted(67, 69, "killed", 82, 82), "scope": "total"},
         {**predicted(300, 302, "killed", 12, 12), "scope": "incident"}]  # unmatched
    assert score([(g, p)])["scope"] == pytest.approx(1 / 2)


def test_a_repeat_stated_by_a_found_claim_is_found_not_counted_twice() -> None:
    # "Twelve soldiers were killed, the ministry said. ... The twelve were buried on Sunday."
    # sitrep keeps one claim with both sentences as evidence; the readers mark both mentions.
    g = [gold(0, 6, "killed", 12, 12), gold(120, 126, "killed", 12, 12),
         gold(200, 203, "killed", 40, 40)]  # "40 more" in another sentence: not a repeat
    claim = predicted(0, 6, "killed", 12, 12)
    claim["evidence"] = [{"start": 0, "end": 48}, {"start": 110, "end": 150}]
    other = predicted(260, 262, "wounded", 12, 12)  # same value, another kind
    other["evidence"] = [{"start": 250, "end": 280}, {"start": 190, "end": 210}]
    figures = score([(g, [claim, other])])
    assert figures["repeats"] == 1
    assert figures["claims_recall"] == pytest.approx(2 / 3)
    assert figures["claims_precision"] == pytest.approx(1 / 2)
    assert figures["claims_f1_mentions"] == pytest.approx(2 * (1 / 2) * (1 / 3) / (1 / 2 + 1 / 3))
    assert figures["wholly_right"] == pytest.approx(2 / 3)
