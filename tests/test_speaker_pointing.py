"""Speaker families of issue 14, third pass (annotations/GUIDE.md section 4): a count with no
cue of its own that points back to the count a statement gave in the sentence before ("Five
of them", "Three were pulled out", "the number fell to 89") keeps that speaker, a new figure
of the outlet's after a statement keeps none; an office or a body the tagger gave a "name"
("the U.S. President", "The Russian defence ministry") is resolved as an office, not as a
surname; a pronoun takes the entity the mention it points to stands for; figures after a cue
of an act are narration."""

from __future__ import annotations

import pytest

from claimlookup import claim_of, speaker_entity
from sitrep.extract.pipeline import Extractor


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


@pytest.mark.parametrize(
    ("text", "figure", "entity"),
    [
        # A part of the count the monitor gave.
        ("A drone strike on the port on Saturday killed 11 people, according to the war "
         "monitor. Four of them were harbour workers.", "Four", "the war monitor"),
        # A bare numeral as the subject stands for the people just counted.
        ("The regional administration says that shelling trapped nine people in a collapsed "
         "library. Six were pulled out alive and the search went on overnight.",
         "Six", "The regional administration"),
        # "the number" is the count given before, updated.
        ("According to UN figures, an average of 120 aid lorries a day entered the territory "
         "in March. In the first week of April, the number fell to 74 lorries.",
         "74", "UN"),
    ],
)
def test_a_count_that_points_back_keeps_the_speaker_of_the_count_before(
    extractor: Extractor, text: str, figure: str, entity: str
) -> None:
    claim = claim_of(extractor, text, figure)
    assert speaker_entity(claim) == entity
    assert claim["reasons"]["speaker"].startswith("a count that points back")


@pytest.mark.parametrize(
    ("text", "figure"),
    [
        # The statement gave no count: the new figure is the outlet's.
        ("The ministry said the missile hit a school. Twelve children were among the dead.",
         "Twelve"),
        # A figure with a noun of its own, after a statement with a count: narration.
        ("The governor said 14 people were wounded in the strike. About 300 homes in the "
         "district have no power.", "About 300"),
        # The count it points back to is the one before it in its own sentence.
        ("Officials say about 90 detainees are still held in the camp. An estimated 300 "
         "were seized in the raids, but 160 were later freed in an exchange.", "160"),
        # Not the sentence right before: two sentences of narration in between.
        ("The mayor said 20 people were hurt on Monday. The market had just opened. Rescue "
         "crews arrived within minutes. Two of them were injured by a second blast.", "Two"),
    ],
)
def test_a_new_figure_after_a_statement_is_the_outlets_narration(
    extractor: Extractor, text: str, figure: str
) -> None:
    assert claim_of(extractor, text, figure)["speaker"] is None


@pytest.mark.parametrize(
    ("text", "figure", "entity"),
    [
        # "U.S." is no surname: the office points back to its holder's first, full mention.
        ("U.S. President Joe Biden said on Wednesday that Kyiv would get more help.\n\n"
         "\u201cToday I am announcing an additional $225 million in humanitarian aid,\u201d "
         "the U.S. President said. The U.S. leader also said the aid would arrive soon.",
         "$225 million", "U.S. President Joe Biden"),
        # A lower-case head the tagger took for a proper noun is no name to look for later.
        ("The Russian defence ministry said on Thursday that 80 soldiers who surrendered were "
         "being treated in hospitals. Russia's foreign ministry spokesperson, Maria "
         "Zakharova, said talks would go on.", "80", "The Russian defence ministry"),
    ],
)
def test_an_office_is_resolved_as_an_office_not_as_a_surname(
    extractor: Extractor, text: str, figure: str, entity: str
) -> None:
    assert speaker_entity(claim_of(extractor, text, figure)) == entity


@pytest.mark.parametrize(
    ("text", "figure"),
    [
        # "fired" reports an act, not a saying.
        ("Throughout the blockade the Hezbollah militia has fired numerous anti-tank "
         "missiles and rockets at positions in Galilee and the Golan, hitting bases, farms "
         "and roads as well as villages.", "numerous"),
        # "knew" neither: the soldiers state no count.
        ("So when the soldiers detained her on 3 April as she was driving two wounded men "
         "out of the city, they knew exactly who she was.", "two"),
        # Who was attacked ("on Russian soldiers") is no speaker of the attacks reported.
        ("Several attacks have recently been reported in the occupied town on Russian "
         "soldiers.", "Several"),
    ],
)
def test_acts_and_targets_are_narration(
    extractor: Extractor, text: str, figure: str
) -> None:
    assert claim_of(extractor, text, figure)["speaker"] is None


@pytest.mark.parametrize(
    ("text", "figure", "entity"),
    [
        # "It" points to "The IDF", which stands for the name written out before it.
        ("The Israel Defense Forces (IDF) moved into the north on Friday. Bulldozers cleared "
         "the roads. The IDF also struck the nearby town. It said 120 targets were hit in "
         "the area on the first day.", "120", "The Israel Defense Forces (IDF)"),
        # "It" points to "The ministry", which stands for the ministry named in full.
        ("Last week, Ukraine's health ministry counted the wounded. The ministry also "
         "visited the hospital. It said 45 people remained in a serious condition.",
         "45", "Ukraine's health ministry"),
        # Two steps back: "It" is "the organisation", which is "NRK", an acronym for the
        # name spelt out inside a longer phrase.
        ("The death of four members of Northern Relief Kitchen (NRK) shocked the town. "
         "NRK has worked in the port since May. By June, the organisation had sent 300 "
         "lorries. It said that 60 more lorries were waiting at the border.",
         "60", "Northern Relief Kitchen (NRK)"),
    ],
)
def test_a_pronoun_takes_the_entity_its_mention_stands_for(
    extractor: Extractor, text: str, figure: str, entity: str
) -> None:
    assert speaker_entity(claim_of(extractor, text, figure)) == entity


@pytest.mark.parametrize(
    ("text", "figure", "entity"),
    [
        # A website, a channel or a briefing speaks for its owner.
        ("The Kharkiv Regional Council (KRC) opened a shelter. According to the KRC's "
         "website, 18 residents were wounded overnight.", "18",
         "The Kharkiv Regional Council (KRC)"),
        ("The emergency service's Telegram channel said 31 people had been rescued from "
         "the rubble.", "31", "The emergency service"),
    ],
)
def test_a_website_or_a_channel_speaks_for_its_owner(
    extractor: Extractor, text: str, figure: str, entity: str
) -> None:
    assert speaker_entity(claim_of(extractor, text, figure)) == entity


@pytest.mark.parametrize(
    ("text", "figure", "entity"),
    [
        # An acronym points back to the name spelt out before it in brackets, though the
        # tagger saw no organisation in the name.
        ("International food charity Northern Relief Kitchen (NRK) is suspending its "
         "operations in the port. Two of its drivers were killed on Tuesday, NRK said.",
         "Two", "Northern Relief Kitchen (NRK)"),
        # "the charity" is the name right after the words it shares with the first mention.
        ("International food charity Northern Relief Kitchen (NRK) is suspending its "
         "operations in the port. According to the charity, 40 tonnes of flour were lost "
         "in the fire.", "40", "Northern Relief Kitchen (NRK)"),
        # An acronym some outlets write as a word ("Acled", "Unrwa") points back the same.
        ("Figures from the Coastal Shipping Monitoring Office (Csmo) show the port's traffic "
         "has halved.\n\nAt least 14 cargo ships have been hit since March, according to "
         "Csmo.", "At least 14", "Coastal Shipping Monitoring Office (Csmo)"),
    ],
)
def test_a_body_named_with_its_acronym_is_the_entity(
    extractor: Extractor, text: str, figure: str, entity: str
) -> None:
    assert speaker_entity(claim_of(extractor, text, figure)) == entity


@pytest.mark.parametrize(
    ("text", "figure", "entity"),
    [
        # "the charity", "the group": the organisation named latest before it
        ("Northern Relief Kitchen (NRK) sent relief workers to the port on Monday. The "
         "charity said 12 of its drivers were injured.", "12",
         "Northern Relief Kitchen (NRK)"),
        ("Hezbollah fired rockets at the border town overnight. Later the group said it "
         "had killed four soldiers.", "four", "Hezbollah"),
    ],
)
def test_a_generic_noun_for_a_body_takes_the_organisation_named_before(
    extractor: Extractor, text: str, figure: str, entity: str
) -> None:
    assert speaker_entity(claim_of(extractor, text, figure)) == entity


def test_a_body_with_a_name_of_its_own_is_itself(extractor: Extractor) -> None:
    text = ("Hezbollah fired rockets at the border town overnight. The Palestine Red "
            "Crescent charity said 30 lorries of aid had entered.")
    assert speaker_entity(claim_of(extractor, text, "30")) == (
        "The Palestine Red Crescent charity")


@pytest.mark.parametrize(
    ("text", "figure"),
    [
        # an outlet spoken to is not "the group"
        ("A Hamas official told Al Jazeera that talks had stalled. The group said 40 "
         "hostages were freed in the first phase.", "40"),
    ],
)
def test_a_generic_noun_for_a_body_is_not_an_outlet_or_a_place(
    extractor: Extractor, text: str, figure: str
) -> None:
    assert speaker_entity(claim_of(extractor, text, figure)) in (None, "The group")


def test_the_group_is_the_organisation_whose_people_acted_not_the_place(
    extractor: Extractor,
) -> None:
    # A place the tagger calls an organisation ("Bakhmut") is passed over for the
    # organisation that names the people who acted.
    text = ("The Wagner mercenaries withdrew from Bakhmut last week. The group said it lost "
            "20,000 men in the battle.")
    assert speaker_entity(claim_of(extractor, text, "20,000")) == "Wagner"


@pytest.mark.parametrize(
    ("text", "figure", "entity"),
    [
        # An owner's shorter name for a body points back to its fuller name.
        ("Gaza's Hamas-run health ministry said 30 people were killed on Monday. Israel "
         "said it had struck militant targets.\n\nGaza's health ministry said 12 more people "
         "were killed on Tuesday.", "12", "Gaza's Hamas-run health ministry"),
        # "the territory's" owns the body named before without naming its owner.
        ("Gaza's Hamas-run health ministry said 30 people were killed in the camp on "
         "Monday.\n\nOn Tuesday, the territory's health ministry said 12 more people were "
         "killed.", "12", "Gaza's Hamas-run health ministry"),
        # Another owner's ministry is another body.
        ("The Hamas-run health ministry said 30 people were killed in the camp.\n\n"
         "Israel's health ministry said 12 Israelis were wounded in the rocket fire.",
         "12", "Israel's health ministry"),
        # The same words under another head are no fuller name of it.
        ("Ukraine's deputy head of military intelligence, Vadym Skibitsky, said Russia "
         "was moving troops.\n\nOn Saturday, Ukraine's military said it had killed 40 "
         "Russian soldiers.", "40", "Ukraine's military"),
    ],
)
def test_an_owners_description_of_a_body_is_its_fuller_mention_of_that_body(
    extractor: Extractor, text: str, figure: str, entity: str
) -> None:
    assert speaker_entity(claim_of(extractor, text, figure)) == entity


@pytest.mark.parametrize(
    ("text", "figure", "entity"),
    [
        # A description after a name, with its comma, is the name's: the name speaks.
        ("Aid agencies warned that the enclave is on the brink of famine. Cogat, the Israeli "
         "body that oversees deliveries, says that 140 food lorries entered each day this "
         "month.", "140", "Cogat"),
    ],
)
def test_a_name_with_its_description_after_it_is_the_speaker(
    extractor: Extractor, text: str, figure: str, entity: str
) -> None:
    assert speaker_entity(claim_of(extractor, text, figure)) == entity



def test_a_day_before_the_speakers_comma_is_no_speaker(extractor: Extractor) -> None:
    text = ("The army said it struck command posts in the camp. Last Tuesday, hospital "
            "officials said at least 29 people had been killed in an air strike there.")
    assert speaker_entity(claim_of(extractor, text, "at least 29")) == "hospital officials"
