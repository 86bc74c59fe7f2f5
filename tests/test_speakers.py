"""Speakers resolved across the article: a short name, an acronym, a definite description or a
pronoun that speaks stands for the article's earlier, fuller mention of the same entity
(annotations/GUIDE.md section 4), and only a mention that agrees with it."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from sitrep.extract.attribution import find_attributions
from sitrep.extract.claims.speakers import _resolve_coreference
from sitrep.extract.pipeline import Extractor
from sitrep.model import Article, Speaker


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _speaker_of(extractor: Extractor, text: str, figure: str) -> dict[str, Any]:
    out = next(extractor.extract([Article(id="t", text=text, published=date(2024, 3, 4))]))
    [claim] = [c for c in out["claims"] if c["quantity"]["text"] == figure]
    assert claim["speaker"] is not None, claim["reasons"]
    return dict(claim["speaker"])


def _entity(speaker: dict[str, Any]) -> str:
    return str((speaker.get("antecedent") or speaker)["text"])


@pytest.mark.parametrize(
    ("text", "figure", "entity"),
    [
        # A surname alone, or with a title, stands for the name written out earlier.
        ("The country's interior minister, Ihor Klymenko, toured the damaged district.\n\n"
         "Klymenko said 14 people were killed in the overnight strike.",
         "14", "Ihor Klymenko"),
        ("Defence Secretary Grant Shapps arrived in Warsaw on Tuesday.\n\n"
         "Mr Shapps said 9,000 troops would take part in the exercise.",
         "9,000", "Defence Secretary Grant Shapps"),
        # An acronym stands for the name it was written out with.
        ("The International Atomic Energy Agency (IAEA) said its inspectors had reached the "
         "plant.\n\nThe IAEA said 11 staff were injured in the shelling.",
         "11", "The International Atomic Energy Agency (IAEA)"),
        # ... the name it closes, not a name it opens ("the MSC Aries" is a ship). (The
        # figure says what it counts of the war in its own sentence: "25 crew members were on
        # board" alone is a count the kind head may read as no claim.)
        ("Iran seized the MSC Aries near Hormuz. The vessel's operator MSC said the ship was "
         "boarded by commandos.\n\nMSC said the 25 crew members were taken hostage.",
         "25", "The vessel's operator MSC"),
    ],
)
def test_a_short_name_or_an_acronym_points_to_the_full_name(
    extractor: Extractor, text: str, figure: str, entity: str
) -> None:
    speaker = _speaker_of(extractor, text, figure)
    assert _entity(speaker) == entity
    assert speaker["start"] > text.index(entity)  # the mention itself stays the evidence


@pytest.mark.parametrize(
    ("text", "figure", "entity"),
    [
        # "It" is a body: the organisation that spoke, even when a person spoke in between.
        ("At least 52 people were killed, according to the regional health department. "
         "Governor Vitaliy Kim said rescuers were still at work.\n\n"
         "It added that 30 people were taken to hospital.",
         "30", "the regional health department"),
        # ... and never a plural ("Ukrainians" are "they").
        ("At least 52 people were killed, according to the regional health department. "
         "Ukrainians queued for water in the city on Monday.\n\n"
         "It added that 30 people were taken to hospital.",
         "30", "the regional health department"),
        # "She" is a woman: not "Mr Zelensky", who spoke last.
        ("Mr Zelensky said 30 drones were shot down overnight. Ukraine's first lady spoke "
         "at a conference in London on Monday.\n\nShe said 12 children were killed in the "
         "attacks.",
         "12", "Ukraine's first lady"),
        # "He" is a person: the governor, not the ministry that spoke after him.
        ("Governor Oleh Syniehubov said shelling hit a school in the city.\n\n"
         "The emergency ministry said fire crews had put out the blaze.\n\n"
         "He said 6 people were wounded.",
         "6", "Governor Oleh Syniehubov"),
    ],
)
def test_a_pronoun_speaker_is_the_latest_speaker_that_agrees_with_it(
    extractor: Extractor, text: str, figure: str, entity: str
) -> None:
    assert _entity(_speaker_of(extractor, text, figure)) == entity


@pytest.mark.parametrize(
    ("text", "figure", "entity"),
    [
        # "The report" is the body that issued it, named before it.
        ("The UN human rights office visited 40 former detention sites in Kharkiv region.\n\n"
         "The report said at least 120 civilians had been held in basements.",
         "at least 120", "The UN human rights office"),
        # "The country" is the country spoken of, not a person who spoke in between.
        ("Lithuania said on Monday it would extend its border fence. Its interior minister "
         "Agne Bilotaite visited the crossing.\n\nThe country said 2,000 of its troops had "
         "been sent to the border this year.",
         "2,000", "Lithuania"),
        # "The patriarchate" is the body whose name holds the word, whatever the noun.
        ("On Sunday the Armenian Patriarchate of Jerusalem said its compound had been hit.\n\n"
         "The patriarchate said three monks were wounded.",
         "three", "the Armenian Patriarchate of Jerusalem"),
        # "The charity" is the organisation whose people were named before it.
        # "A statement" of no one named is the latest speaker's, who issued it.
        ("The army said on Tuesday that its troops were raiding the east of the town. "
         "Another statement said 240 aid lorries had crossed into the north.",
         "240", "The army"),

        ("Seven Mercy Corps workers were injured in the strike on Friday. The convoy "
         "had delivered 40 tonnes of flour, according to the charity.",
         "40", "Mercy Corps"),
    ],
)
def test_a_report_or_the_country_is_the_body_named_before_it(
    extractor: Extractor, text: str, figure: str, entity: str
) -> None:
    assert _entity(_speaker_of(extractor, text, figure)) == entity


def test_a_definite_speaker_is_the_earlier_mention_with_all_its_words(
    extractor: Extractor,
) -> None:
    # "The British defence official" is the British one, not the nearer Russian official.
    text = (
        "A senior British defence official said 500 drones had been delivered. A senior "
        "Russian official said 40 of them had been shot down.\n\n"
        "The British defence official said 300 more would follow by June."
    )
    speaker = _speaker_of(extractor, text, "300")
    assert _entity(speaker) == "A senior British defence official"


def test_an_event_named_after_a_body_is_not_its_fuller_mention(extractor: Extractor) -> None:
    # "an Israeli military operation" holds the words of "The Israeli military" but names
    # what it did, not who it is.
    text = ("At least nine people were killed in an Israeli military operation in the camp. "
            "The Israeli military said its forces had arrested 15 suspects.")
    assert _entity(_speaker_of(extractor, text, "15")) == "The Israeli military"


@pytest.mark.parametrize(
    ("text", "figure", "entity"),
    [
        # Things a body owns hold its words but are not it ...
        ("Hezbollah said it fired rockets at Israeli military positions near the border. "
         "The Israeli military said 12 projectiles fell in open areas.", "12",
         "The Israeli military"),
        ("Drones hit Russian army depots overnight. The Russian army said 30 drones were shot "
         "down.", "30", "The Russian army"),
        # ... while the body named in full, with what follows its name, is.
        ("The health ministry in Gaza reported heavy strikes. The health ministry said 40 people "
         "were killed overnight.", "40", "The health ministry in Gaza"),
    ],
)
def test_a_fuller_mention_has_the_same_head_word(extractor: Extractor, text: str, figure: str,
                                                 entity: str) -> None:
    assert _entity(_speaker_of(extractor, text, figure)) == entity


@pytest.mark.parametrize(
    ("text", "entity"),
    [
        # A new quoted sentence after the cue continues the same speaker's quote ...
        ('"The wards are full and so are the corridors," Dr Anna Kovalenko said. "We have '
         'more than 200 wounded waiting for surgery."', "Dr Anna Kovalenko"),
        # ... and so does a paragraph that opens with a quotation after a direct quote.
        ('The head of the aid group, Marta Lis, said: "Nobody can leave the city."\n\n'
         '"We believe up to 900 civilians were killed in the shelling."',
         "The head of the aid group, Marta Lis"),
    ],
)
def test_a_figure_in_a_quotes_continuation_keeps_the_quotes_speaker(
    extractor: Extractor, text: str, entity: str
) -> None:
    out = next(extractor.extract([Article(id="t", text=text, published=date(2024, 3, 4))]))
    [claim] = out["claims"]
    assert claim["speaker"] is not None and _entity(claim["speaker"]) == entity


def test_a_quotation_after_narration_stays_narration(extractor: Extractor) -> None:
    # A quoted phrase in the outlet's own sentence is no one's continued speech.
    text = ('The mayor said the city was "barely standing".\n\n'
            'Officials counted "more than 40 bodies" in the rubble, the outlet learned.')
    out = next(extractor.extract([Article(id="t", text=text, published=date(2024, 3, 4))]))
    assert all(c["reasons"]["speaker"].startswith("number in a quotation") is False
               for c in out["claims"])


@pytest.mark.parametrize(
    ("text", "figure", "entity"),
    [
        # A surname the tagger does not take for a person ("Budanov said") still stands for
        # the name written out, here only further on in the article.
        ("Budanov said 19 soldiers had been exchanged.\n\n"
         "Ukraine's intelligence chief Kyrylo Budanov spoke to reporters in Kyiv.",
         "19", "Kyrylo Budanov"),
    ],
)
def test_a_lone_surname_points_to_the_fuller_name_before_or_after_it(
    extractor: Extractor, text: str, figure: str, entity: str
) -> None:
    speaker = _speaker_of(extractor, text, figure)
    assert entity in _entity(speaker)
    assert speaker["antecedent"]["start"] > speaker["end"]  # the name further on


def test_a_country_name_is_never_a_surname(extractor: Extractor) -> None:
    # "Russia" is not the last word of "Russia's president Vladimir Putin".
    text = ("Russia's president Vladimir Putin met his generals on Tuesday.\n\n"
            "Russia said 40 tanks had been destroyed near the border.")
    speaker = _speaker_of(extractor, text, "40")
    assert _entity(speaker) == "Russia"


@pytest.mark.parametrize(
    ("text", "figure"),
    [
        # An actor doing something is not saying the figure: the outlet narrates.
        ("The Dutch government plans to send 24 F-16 jets to Kyiv before the summer.", "24"),
        ("Parliament approved €2bn in military aid for Ukraine on Thursday.", "€2bn"),
        ("Artillery fire reportedly killed 11 people in the market of the town.", "11"),
        # An event is no speaker, whatever the parse makes of "known ... after".
        ("Four people are known to have died after the shelling of the bus station.", "Four"),
    ],
)
def test_a_cue_of_an_act_gives_no_speaker(extractor: Extractor, text: str, figure: str) -> None:
    out = next(extractor.extract([Article(id="t", text=text, published=date(2024, 3, 4))]))
    [claim] = [c for c in out["claims"] if c["quantity"]["text"] == figure]
    assert claim["speaker"] is None, claim["speaker"]


def test_a_statement_late_in_an_article_printed_as_one_line_scores_as_in_a_paragraph(
    extractor: Extractor,
) -> None:
    # Pages without paragraph breaks: twenty-four sentences before it must not make the
    # "according to" statement less certain than it is in its own paragraph.
    before = " ".join([
        "The army said the convoy had reached the city.",
        "Residents queued for bread near the station.",
        "The mayor told reporters that the water supply had failed.",
        "Aid trucks waited at the crossing for a second day.",
        "A doctor said the hospital had run out of fuel.",
        "Shops stayed closed in the old town.",
    ] * 4)
    paragraph = ("Since then, more than 310 people have been killed in the region, according "
                 "to the regional health authority. The shelling went on overnight, and the "
                 "army said it would respond.")

    def score(text: str) -> float:
        [att] = [a for a in find_attributions(extractor.nlp(text)) if a.cue_text == "according to"]
        return att.score

    assert score(before + " " + paragraph) == pytest.approx(score(paragraph), abs=0.05)


def test_in_an_article_printed_as_one_line_a_sure_rule_stands_where_the_model_drops_it(
    extractor: Extractor, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sitrep.extract.attribution.find as attribution

    # The model's cue scores sag past the length of any paragraph it learned from; a model
    # that keeps nothing stands for the worst case.
    monkeypatch.setattr(attribution, "decode", lambda *args, **kwargs: [])
    line = ("Officials said 12 people were killed, according to the regional health authority. "
            "Rescuers searched the rubble of the block.")
    short = extractor.nlp(line)
    long = extractor.nlp(" ".join([line] * 7))
    assert find_attributions(short) == []
    found = {a.speaker_text for a in find_attributions(long)}
    assert found == {"Officials", "the regional health authority"}


@pytest.mark.parametrize(
    ("text", "figure", "entity"),
    [
        # "it" stands for a body even when a person's name stands in it ...
        ("Prime Minister Denys Shmyhal's office said the strike hit a power plant. It said "
         "four workers were injured.", "four", "Prime Minister Denys Shmyhal's office"),
        # ... and a capital speaking for its state is a body, not a person's surname.
        ("Moscow has denied the attack, but Warsaw said on Monday it had found debris. It "
         "said 12 houses were damaged near the border.", "12", "Warsaw"),
        # An earlier speaker whose head is a body noun, with a name in it, is a body.
        ("The fighting went on overnight, according to the Hamas-run health ministry. It "
         "added that 31 people had been killed in the past day.", "31",
         "the Hamas-run health ministry"),
        # A body's people ("WHO staff", "its staff") are "they": "it" is the body.
        ("The World Health Organization visited the hospital on Monday. WHO staff described "
         "patients lying in the corridors. It said 130 sick and injured patients remained "
         "inside.", "130", "The World Health Organization"),
        # ... but a body whose name is a staff is the body itself.
        ("Ukraine's General Staff said on Monday that Russia had lost 1,100 troops over the "
         "past day. It also reported that 14 tanks had been destroyed.", "14",
         "Ukraine's General Staff"),
        # A body that a subordinate clause names is what was reported, not who goes on
        # speaking: a passive's agent in a participle, a relative clause's doer.
        ("The IDF said its troops had raided the area. Troops also retrieved the bodies of "
         "seven Israelis taken hostage by Hamas in October and killed 20 gunmen, it said.",
         "20", "The IDF"),
        ("Gaza's health ministry said in a statement that the number of medics who had been "
         "killed by Israel since the attack now stands at 496. It added that 1,500 others "
         "had been wounded.", "1,500", "Gaza's health ministry"),
    ],
)
def test_it_points_to_the_latest_body_whatever_names_stand_in_it(
    extractor: Extractor, text: str, figure: str, entity: str
) -> None:
    assert _entity(_speaker_of(extractor, text, figure)) == entity


@pytest.mark.parametrize(
    ("text", "figure", "entity"),
    [
        ("The Biden administration said on Friday it would send 2,000 troops to Poland.",
         "2,000", "The Biden administration"),
        ("President Joe Biden met the chancellor. The Biden administration said 300 "
         "troops would stay in Germany.", "300", "The Biden administration"),
    ],
)
def test_a_name_that_only_owns_the_speaker_is_not_its_name(
    extractor: Extractor, text: str, figure: str, entity: str
) -> None:
    speaker = _speaker_of(extractor, text, figure)
    assert _entity(speaker) == entity
    assert speaker["name"] is None


@pytest.mark.parametrize(
    ("text", "figure", "entity"),
    [
        # A relative pronoun speaks for the noun its clause hangs on.
        ("The death was announced by the regional football federation, which said 3 "
         "players from the club had been killed at the front.", "3",
         "the regional football federation"),
        # An acronym stands for the earlier name whose initials spell it.
        ("The World Food Programme warned of famine in the north.\n\nThe WFP said 40 "
         "trucks reached the city on Monday.", "40", "The World Food Programme"),
        # ... also a bare acronym the tagger leaves unnamed, after a name it took for a
        # person's
        ("Mercy Field Kitchen said it would resume deliveries.\n\nMFK says 12 of its "
         "drivers have been killed since October.", "12", "Mercy Field Kitchen"),
        # ... also where the name and its acronym modify a noun ("(IDF) units").
        ("Soldiers of the Israel Defense Forces (IDF) units entered the camp.\n\nThe IDF "
         "said 15 militants were killed.", "15", "the Israel Defense Forces"),
    ],
)
def test_a_relative_pronoun_or_an_acronym_points_to_the_name(
    extractor: Extractor, text: str, figure: str, entity: str
) -> None:
    assert _entity(_speaker_of(extractor, text, figure)) == entity


@pytest.mark.parametrize(
    ("text", "figure"),
    [
        # A source that names no one: the outlet narrates with a hedge.
        ("At least 14 people were killed in the shelling, according to local media.",
         "At least 14"),
        ("An unverified report says 60 fighters surrendered near the bridge.", "60"),
        ("Russian state media claimed that 200 soldiers had crossed the river.", "200"),
        ("According to reports, 45 bodies were recovered from the rubble.", "45"),
        ("This article wrongly stated that 90 people had died in the fire.", "90"),
    ],
)
def test_a_source_that_names_no_one_gives_no_speaker(
    extractor: Extractor, text: str, figure: str
) -> None:
    out = next(extractor.extract([Article(id="t", text=text, published=date(2024, 3, 4))]))
    [claim] = [c for c in out["claims"] if c["quantity"]["text"] == figure]
    assert claim["speaker"] is None, claim["speaker"]


@pytest.mark.parametrize(
    ("text", "figure", "entity"),
    [
        # A report with an owner, or with a named partner, keeps its speaker: the owner
        # (test_speaker_sources.py).
        ("A report by the UN refugee agency says 80,000 people fled the region.", "80,000",
         "the UN refugee agency"),
        ("Local media and hospital officials said 23 people were killed in the strike.",
         "23", "Local media and hospital officials"),
        # The source of a passive is its "by" phrase.
        ("The number of dead was put at 230 by the provincial government.", "230",
         "the provincial government"),
        ("A total of 700 prisoners was cited by one negotiator as the price of a deal.",
         "700", "one negotiator"),
    ],
)
def test_a_report_with_an_owner_or_a_passives_agent_is_the_speaker(
    extractor: Extractor, text: str, figure: str, entity: str
) -> None:
    assert _entity(_speaker_of(extractor, text, figure)) == entity


def test_a_cue_of_another_paragraph_gives_no_said_time() -> None:
    # A statement carried over from an earlier paragraph keeps that paragraph's cue index;
    # a shorter paragraph must not fail on it.
    import spacy

    from sitrep.extract.claims.statements import _said_time_text

    doc = spacy.blank("en")("Two soldiers were killed.")
    assert _said_time_text(doc, 40, []) is None


@pytest.mark.parametrize(
    ("text", "figure", "entity"),
    [
        # Whoever verified or recorded a count of the harmed gives it.
        ("The UN monitoring mission has verified 9,614 civilian deaths since February 2022.",
         "9,614", "The UN monitoring mission"),
        ("The regional prosecutor's office documented 47 deaths in the occupied villages.",
         "47", "The regional prosecutor's office"),
    ],
)
def test_who_recorded_a_count_gives_it(extractor: Extractor, text: str, figure: str,
                                       entity: str) -> None:
    out = next(extractor.extract([Article(id="t", text=text, published=date(2024, 3, 4))]))
    [claim] = [c for c in out["claims"] if c["quantity"]["text"] == figure]
    assert claim["speaker"] is not None and _entity(claim["speaker"]) == entity


def test_a_statement_of_no_one_named_passes_over_a_bodys_people() -> None:
    # "Another statement" is the body's that spoke, not its people who spoke after it
    # ("its soldiers said"), who are "they".
    army = Speaker(text="The IDF", start=0, end=7)
    soldiers = Speaker(text="its soldiers", start=40, end=52)
    statement = Speaker(text="Another statement", start=120, end=137)
    resolved, why = _resolve_coreference(
        statement, "statement", [(army, "idf"), (soldiers, "soldier")], [])
    assert why is not None and (resolved.antecedent or {}).get("text") == "The IDF"


def test_a_paper_of_the_names_is_no_fuller_name(extractor: Extractor) -> None:
    # "Unrwa's accounts tally with ..." holds the name, but is no fuller mention of it.
    text = ("The United Nations Relief and Works Agency (Unrwa) interviewed detainees. Unrwa's "
            "accounts tally with Palestinian reports. Unrwa said about 1,000 detainees had "
            "been released.")
    assert _entity(_speaker_of(extractor, text, "about 1,000")) != "Unrwa's accounts tally"


@pytest.mark.parametrize(
    ("text", "figure", "entity"),
    [
        # Releasing people is a deed: the outlet tells of it
        ("Hamas released 11 more hostages on Monday.", "11", None),
        ("Hamas released 17 Thai hostages on Friday in exchange for 51 Palestinian prisoners "
         "held in Israeli jails.", "51", None),
        ("Russia freed 75 Ukrainian soldiers in the latest prisoner exchange.", "75", None),
        # ... releasing what was said or shown is a report
        ("The army released footage it said showed 9 gunmen being killed.", "9", "The army"),
    ],
)
def test_a_release_of_people_is_no_statement(
    extractor: Extractor, text: str, figure: str, entity: str | None
) -> None:
    out = next(extractor.extract([Article(id="t", text=text, published=date(2024, 3, 4))]))
    [claim] = [c for c in out["claims"] if c["quantity"]["text"] == figure]
    got = claim["speaker"] and _entity(claim["speaker"])
    assert got == entity, claim["reasons"]
