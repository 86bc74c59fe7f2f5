"""The first pass keeps what can hold a count; the claims focus finds a full parse's claims."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import spacy

from sitrep.extract.first_pass import FirstPass, count_runs, is_count_candidate
from sitrep.extract.pipeline import WHOLE_PARAGRAPH, ExtractOptions, Extractor
from sitrep.model import Article

BLANK = spacy.blank("en")


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        ("Shelling killed 12 civilians in Kherson.", ["12"]),
        ("Dozens were wounded and scores more are missing.", ["Dozens", "scores"]),
        ("The ministry said three soldiers and a dozen volunteers died.", ["three", "dozen"]),
        ("Kyiv asked for $5.6 billion; Moscow claimed 1,500 killed.", ["5.6", "billion", "1,500"]),
        ("Several hundred troops crossed the border.", ["Several", "hundred"]),
        ("Mobilisation starts in Donetsk;Five dead in fighting", ["Donetsk;Five"]),
        ("2000 troops arrived.", ["2000"]),
        # Not counts: a year, a percentage, a clock time, an ordinal unit.
        ("In 2022, turnout fell to 40% by 10:30 as the 155th brigade withdrew.", []),
        ("The talks in Geneva ended without agreement.", []),
    ],
)
def test_count_candidates(text: str, counts: list[str]) -> None:
    assert [t.text for t in BLANK(text) if is_count_candidate(t)] == counts


def test_sentences_keep_runs_of_counting_sentences() -> None:
    text = ("Talks resumed on Monday. A strike killed four people. Two more died later. "
            "The mayor appealed for calm.")
    spans = FirstPass().sentences(text)
    assert [text[s:e] for s, e in spans] == [
        "A strike killed four people. Two more died later."
    ]


ARTICLE = (
    "Ukraine says Russian strike on Kharkiv kills seven\n"
    "KYIV, May 3 — A Russian missile strike on a printing house in Kharkiv killed seven "
    "people and wounded 16 on Thursday, the regional governor Oleh Syniehubov said.\n"
    "The governor said rescue work was continuing and appealed to residents to stay "
    "in shelters.\n"
    "Russia's defence ministry did not comment, but state media said the building held "
    "Ukrainian troops.\n"
    "Since February 2022, at least 11,000 civilians have been killed in Ukraine, the "
    "United Nations monitoring mission said."
)


@pytest.fixture(scope="module")
def both() -> tuple[dict, dict]:  # type: ignore[type-arg]
    art = Article(id="k1", text=ARTICLE, published=date(2024, 5, 3))
    full = next(Extractor().extract([art]))
    fast = next(Extractor(ExtractOptions(focus="claims")).extract([art]))
    return full, fast


def _claim_view(record: dict) -> list[tuple]:  # type: ignore[type-arg]
    return [
        (c["quantity"]["text"], c["quantity"]["kind"], c["quantity"]["best"],
         (c["speaker"] or {}).get("text"), (c["place"] or {}).get("iso3166_2"),
         (c["time"] or {}).get("date_start"))
        for c in record["claims"]
    ]


def test_claims_focus_finds_the_full_parse_claims_and_events(both: tuple[dict, dict]) -> None:  # type: ignore[type-arg]
    full, fast = both
    assert _claim_view(full)  # the article has claims to compare
    assert _claim_view(fast) == _claim_view(full)
    assert fast["events"] == full["events"]


def test_claims_focus_skips_paragraphs_without_a_count(both: tuple[dict, dict]) -> None:  # type: ignore[type-arg]
    full, fast = both
    skipped = ARTICLE.index("The governor said rescue")
    assert any(s["content"]["start"] > skipped for s in full["statements"])
    assert all(
        not (skipped <= s["cue"]["start"] < ARTICLE.index("Since February"))
        for s in fast["statements"]
    )


def test_unknown_focus_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown focus 'numbers'"):
        ExtractOptions(focus="numbers")
    src = tmp_path / "a.jsonl"
    src.write_text(json.dumps({"id": "a", "text": "Five died.", "published": "2024-05-03"}) + "\n")
    proc = subprocess.run(
        [sys.executable, "-m", "sitrep.cli", "extract", str(src), "--focus", "numbers"],
        capture_output=True, text=True,
    )
    assert proc.returncode == 2
    assert "--focus" in proc.stderr and "numbers" in proc.stderr


def test_a_victim_without_a_number_is_worth_parsing() -> None:
    fp = FirstPass()
    assert fp.worth_parsing("Woman killed in rocket attack in Kharkiv region")
    assert fp.worth_parsing("A soldier died of his wounds on Tuesday.")
    assert fp.worth_parsing("Civilians killed in eastern Ukraine amid fierce fighting")
    assert fp.worth_parsing("Gunmen slew a villager near Kherson on Monday.")
    assert fp.worth_parsing("Militants kidnapped a journalist in Donetsk.")
    assert not fp.worth_parsing("A soldier spoke to reporters in Kyiv.")
    # A pronoun, a relative or a name may be the victim.
    assert fp.worth_parsing("He was killed by Hamas attackers.")
    assert fp.worth_parsing("The outlets said Kamenev was also killed.")
    assert fp.worth_parsing("They mourned the death of aid worker Paul Urey.")
    assert not fp.worth_parsing("the talks died down without result.")


def test_many_is_worth_parsing_only_beside_a_word_of_harm() -> None:
    fp = FirstPass()
    assert fp.worth_parsing("Many were detained at the checkpoint overnight.")
    assert fp.worth_parsing("The shelling caused so many deaths in the old town.")
    assert not fp.worth_parsing("Many older residents refuse to leave the city.")
    assert not fp.worth_parsing("There is so much to do and too little time.")


def test_ingest_passes_the_focus_to_extraction(both: tuple[dict, dict]) -> None:  # type: ignore[type-arg]
    from sitrep.ingest import IngestOptions, ingest_articles
    from sitrep.store import Store

    full, _fast = both
    art = Article(id="k1", text=ARTICLE, published=date(2024, 5, 3))
    with Store.open("sqlite://") as store:
        ingest_articles([art], store, IngestOptions(extract=ExtractOptions(focus="claims")))
        record = store.record(store.article_ids([art.key])[art.key])
    assert record is not None
    assert len(record["claims"]) == len(full["claims"])
    assert len(record["statements"]) < len(full["statements"])


# One block with no paragraph breaks, as some sites deliver whole stories: the claims focus
# parses the runs of sentences around its counts, not the whole block.
UNBROKEN = (
    "Residents of the southern city spent another night in basements as air raid sirens "
    "sounded for hours. Local officials have asked families with children to leave the "
    "riverside districts, and buses ran through the evening to the railway station. "
    "Shops in the centre stayed shut and the main bridge was closed to private cars. "
    "Teachers moved classes online for the rest of the week, the education office said. "
    "A drone strike on an apartment block in Kherson killed three people and wounded "
    "nine on Sunday, the regional governor said. "
    "Firefighters worked through the night to put out the blaze on the upper floors. "
    "Volunteers handed out blankets and hot food at a school gym near the river. "
    "The city council said it would repair broken windows before the frosts. "
    "Electricity returned to most homes by the morning, the power company said. "
    "A second strike hit a bus depot in the north of the region. "
    "Market traders said customers had become scarce since the autumn. "
    "Many older residents refuse to leave, saying they have nowhere else to go. "
    "Church bells rang at noon for those who died. "
    "Two soldiers were killed in shelling near the village of Antonivka, the army said. "
    "The river crossing there has been fought over since the spring. "
    "Humanitarian groups warned that the winter would be hard for those who stay. "
    "Aid convoys now reach the city twice a week, weather permitting. "
    "Officials promised more shelters before the end of the month."
)


def test_claims_focus_cuts_a_long_unbroken_paragraph_into_runs() -> None:
    art = Article(id="u1", text=UNBROKEN, published=date(2024, 11, 3))
    ex = Extractor(ExtractOptions(focus="claims"))
    _keys, docs = ex.prepare([art])
    assert len(BLANK(UNBROKEN)) > WHOLE_PARAGRAPH  # the case at issue: one long block
    parsed = sum(len(d) for d in docs)
    assert parsed < len(BLANK(UNBROKEN)) / 2
    full = next(Extractor().extract([art]))
    fast = next(ex.extract([art]))
    assert _claim_view(fast) == _claim_view(full)
    assert len(_claim_view(fast)) >= 3  # three killed, nine wounded, two soldiers
    for claim in fast["claims"]:  # offsets still point into the article's text
        q = claim["quantity"]
        assert UNBROKEN[q["start"] : q["end"]] == q["text"]
    far = UNBROKEN.index("Market traders")
    assert not any(s["cue"]["start"] >= far and s["cue"]["start"] < far + 60
                   for s in fast["statements"])


def test_count_runs_keep_a_sentence_of_context_on_each_side() -> None:
    doc = BLANK("Talks resumed. Markets rose. The governor said four people died in Izium. "
                "Rain fell. Prices fell.")
    assert [doc[s:e].text for s, e in count_runs(doc, context=0)] == [
        "The governor said four people died in Izium."
    ]
    assert [doc[s:e].text for s, e in count_runs(doc, context=1)] == [
        "Markets rose. The governor said four people died in Izium. Rain fell."
    ]
