"""One speaker given as an office and then by name (the name is the entity), a surname
after an office with the name, a first name after the full name, a definite description
after a name the parse cut off: each points to the article's fullest mention of the entity
(annotations/GUIDE.md section 4)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from sitrep.extract.pipeline import Extractor
from sitrep.model import Article


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _entity(extractor: Extractor, text: str, figure: str) -> str | None:
    out = next(extractor.extract([Article(id="t", text=text, published=date(2024, 3, 4))]))
    [claim] = [c for c in out["claims"] if c["quantity"]["text"] == figure]
    speaker: dict[str, Any] | None = claim["speaker"]
    if speaker is None:
        return None
    return str((speaker.get("antecedent") or speaker)["text"])


@pytest.mark.parametrize(
    ("text", "figure", "entity"),
    [
        # An office, then the name: the name.
        ("Five people were killed when a drone hit a bakery in the town, the regional governor "
         "said. Ivan Fedorov said rescuers were still searching the rubble.",
         "Five", "Ivan Fedorov"),
        ("Two people were wounded in the shelling, the city's mayor said. The strike damaged a "
         "school, the mayor of the city, Ihor Terekhov, wrote on Telegram.",
         "Two", "the mayor of the city, Ihor Terekhov"),
        # The office's own figure is the named person's, across a paragraph too; the named
        # person's figure stays theirs.
        ("The governor of the Kherson region said 9 civilians were wounded.\n\n"
         "\u201cWe counted 17 dead civilians this week,\u201d Oleksandr Prokudin told local TV.",
         "9", "Oleksandr Prokudin"),
        ("The governor of the Kherson region said 9 civilians were wounded.\n\n"
         "\u201cWe counted 17 dead civilians this week,\u201d Oleksandr Prokudin told local TV.",
         "17", "Oleksandr Prokudin"),
    ],
)
def test_an_office_and_the_name_after_it_are_one_speaker(
    extractor: Extractor, text: str, figure: str, entity: str
) -> None:
    assert _entity(extractor, text, figure) == entity


def test_an_office_is_not_someone_else_named_after(extractor: Extractor) -> None:
    # The next statement's named person holds another office: two speakers.
    text = ("Three civilians were killed overnight, the regional governor said. The defence "
            "minister, Rustem Umerov, said 40 drones were shot down.")
    assert _entity(extractor, text, "Three") == "the regional governor"


def test_a_surname_points_to_the_office_with_the_name(extractor: Extractor) -> None:
    # The tagger may take only the surname for the name; the phrase with the office is
    # still the fuller mention.
    text = ("Casualties peaked in spring, the foreign minister, Dmytro Kuleba, said on Friday. "
            "In an interview, Kuleba said: \u201cWe lost up to 50 soldiers a day.\u201d")
    assert _entity(extractor, text, "up to 50") == "the foreign minister, Dmytro Kuleba"


def test_a_description_points_to_the_name_the_parse_cut_off(extractor: Extractor) -> None:
    text = ("Residents fled and the charity Save the Children said schools had closed.\n\n"
            "Later, the charity said 12 children were injured in the raid.")
    assert _entity(extractor, text, "12") in {"Save the Children", "the charity Save the Children"}


def test_a_first_name_points_to_the_full_name(extractor: Extractor) -> None:
    # People quoted in a story are often called by their first name afterwards.
    text = ("Marta Kovalenko, a nurse from Izium, said the hospital had run out of beds.\n\n"
            "\u201cWe treated 60 wounded on the first night alone,\u201d says Marta.")
    assert _entity(extractor, text, "60") == "Marta Kovalenko, a nurse from Izium"


def test_a_quotation_paragraph_goes_on_from_a_statement_that_quoted_words(
    extractor: Extractor,
) -> None:
    text = ("Sara Lindqvist, who heads the agency's mission in the region, said staff were "
            "\u201cshocked\u201d by the damage.\n\n"
            "\u201cAs many as 8,000 people are without shelter tonight.\u201d")
    assert _entity(extractor, text, "As many as 8,000") == "Sara Lindqvist"


def test_he_is_the_person_acting_just_before_not_an_older_speaker(extractor: Extractor) -> None:
    text = ("The mayor, Ihor Sapozhko, said the water supply had been restored.\n\n"
            "The scale of the losses was admitted by Andriy Kovalenko in a briefing. "
            "\u201cWe lose up to 40 soldiers a day,\u201d he said.")
    assert _entity(extractor, text, "up to 40") == "Andriy Kovalenko"
