"""sitrep bench reports both sides and their ratio (figures only; no timing is asserted)."""

from __future__ import annotations

import json
from pathlib import Path

from sitrep.bench import read_corpus, run_bench


def test_bench_reports_both_sides_on_a_given_corpus(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("\n".join(json.dumps({"id": str(i), "text": t}) for i, t in enumerate([
        "A drone strike on Sumy killed two people, the regional administration said.",
        "Ukraine's air force said it shot down 23 of 28 drones overnight.",
    ])) + "\n")
    texts = read_corpus(corpus, size=5)
    assert len(texts) == 5
    figures = run_bench(texts, n_process=1, focuses=("all", "claims"))
    assert figures["articles"] == 5 and figures["words"] == sum(len(t.split()) for t in texts)
    for side in ("bare_spacy", "sitrep", "sitrep_claims"):
        assert figures[side]["articles_per_s"] > 0
        assert figures[side]["peak_rss_mib"] > 0
    for side, key in (("sitrep", "ratio"), ("sitrep_claims", "ratio_claims")):
        expected = figures[side]["words_per_s"] / figures["bare_spacy"]["words_per_s"]
        assert abs(figures[key] - expected) < 0.01


def test_profile_names_every_step_and_shares_sum_to_100() -> None:
    from sitrep.bench import profile
    from sitrep.extract.pipeline import load_pipeline

    texts = ["A drone strike on Sumy killed two people, the regional administration said.",
             "Ukraine's air force said it shot down 23 of 28 drones overnight."]
    steps = profile(texts, focus="claims")
    assert list(steps)[0] == "tokenizer + first pass"
    assert list(steps)[-1] == "records (claims, events)"
    assert set(load_pipeline().pipe_names) <= set(steps)
    assert abs(sum(s["share"] for s in steps.values()) - 100) < 0.5


def test_the_news_corpus_is_spread_through_the_pool(tmp_path: Path) -> None:
    from sitrep.bench import default_corpus

    data = tmp_path / "data"
    data.mkdir()
    (data / "news_dev_pool.jsonl").write_text("".join(
        json.dumps({"id": str(i), "text": f"Article {i} of the pool."}) + "\n"
        for i in range(10)))
    assert default_corpus(tmp_path, 4) == [f"Article {i} of the pool." for i in (0, 2, 5, 7)]
    assert len(default_corpus(tmp_path, 25)) == 25  # a small pool is repeated
    assert default_corpus(tmp_path, 4, "reference") == []  # its files are not there
