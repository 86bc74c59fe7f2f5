"""The scope of a claim (sitrep.extract.scope): one incident, a stated period, or a running
total, decided from the claim's sentence with the reason that decided it."""

from __future__ import annotations

import pytest

from sitrep.extract.scope import scope_of
from sitrep.model import SCOPES


def scope(sentence: str, number: str, kind: str = "killed", value: float | None = None,
          nth: int = 0) -> tuple[str, str]:
    """``scope_of`` for the ``nth`` occurrence of ``number`` in ``sentence``."""
    start = -1
    for _ in range(nth + 1):
        start = sentence.index(number, start + 1)
    return scope_of(sentence, start, start + len(number), kind, value=value)


@pytest.mark.parametrize(
    ("sentence", "number", "kind", "want"),
    [
        # One event: a named strike, a day, "a day earlier", a simple past of harm.
        ("Four people were killed in Tuesday's missile strike on a bakery in Zaporizhzhia, "
         "the regional governor said.", "Four", "killed", "incident"),
        ("A day earlier, nine civilians died when a glide bomb hit a market in Kostiantynivka.",
         "nine", "killed", "incident"),
        ("Two medics were wounded on Sunday as shells fell near the field hospital.",
         "Two", "wounded", "incident"),
        ("At least 12 people were injured in a drone attack on an apartment block in Odesa.",
         "12", "wounded", "incident"),
        ("Police said three officers were shot dead at a checkpoint outside Jenin.",
         "three", "killed", "incident"),
        # A stated span: the past day, the past week, a month, a rate.
        ("Russia lost 1,580 troops in the past day, Ukraine's General Staff said.",
         "1,580", "casualties", "period"),
        ("Over the past week, air defences shot down 212 Shahed drones across the country.",
         "212", "equipment", "period"),
        ("Health officials said 63 Palestinians were killed in the previous 24 hours.",
         "63", "killed", "period"),
        ("Kyiv's forces were losing up to 200 soldiers a day in the battle for the town.",
         "up to 200", "killed", "period"),
        ("The monitoring mission recorded 171 civilian deaths in July, most of them in Donetsk.",
         "171", "killed", "period"),
        # ... and one day's or night's count over a whole region, which the day alone would
        # make one incident
        ("Shelling killed at least 14 civilians across the Donetsk region on Sunday, the "
         "governor said.", "at least 14", "killed", "period"),
        ("Police detained 230 people at rallies throughout the country overnight.", "230",
         "detained", "period"),
        # A running total: since the invasion, so far, in total, a toll that has risen.
        ("Russia has lost 600,000 troops since the start of the full-scale invasion.",
         "600,000", "casualties", "total"),
        ("So far, 37 journalists have been killed covering the war, the press union said.",
         "37", "killed", "total"),
        ("The death toll in the enclave has risen to 41,900, the health ministry said.",
         "41,900", "killed", "total"),
        ("In total, 2,400 children have been returned to Ukraine from occupied territory.",
         "2,400", "detained", "total"),
        ("Germany has supplied Ukraine with 18 Leopard 2 tanks and 40 Marder vehicles.",
         "18", "equipment", "total"),
        ("About 1.1 million people have fled their homes since October, the agency said.",
         "About 1.1 million", "displaced", "total"),
        # People an evacuation order moves: that order, however many they are.
        ("The UN said about 90,000 residents of the camp had been ordered by the army to "
         "leave within hours.", "about 90,000", "displaced", "incident"),
        ("Some 120,000 people in the eastern districts are affected by the evacuation "
         "orders the army has issued.", "Some 120,000", "displaced", "incident"),
    ],
)
def test_scope_of_realistic_sentences(sentence: str, number: str, kind: str, want: str) -> None:
    got, why = scope(sentence, number, kind)
    assert got == want, why
    assert why.startswith("scope.")


def test_a_days_figure_and_the_war_total_in_one_sentence_differ() -> None:
    s = ("In total, Russia has lost 798,040 troops since February 2022, including 1,580 "
         "in the past day, the General Staff said on Wednesday.")
    assert scope(s, "798,040", "casualties")[0] == "total"
    assert scope(s, "1,580", "casualties") == ("period", "scope.cue:period:in the past day")


def test_the_date_of_a_statement_does_not_date_the_figure() -> None:
    # "said on Monday" dates the saying; the figure is a running total.
    s = "The ministry said on Monday that 35,000 people have been killed in Gaza."
    assert scope(s, "35,000") == ("total", "scope.perfect")
    # A day that dates the event itself does.
    s = "On Monday, Russian shelling killed five people in Kherson, the governor said."
    assert scope(s, "five") == ("incident", "scope.cue:incident:On Monday")


def test_a_superlative_before_since_compares_it_does_not_make_a_total() -> None:
    s = "The strike killed 31 people, the deadliest attack on the city since the war began."
    got, why = scope(s, "31")
    assert got == "incident" and "since" not in why


def test_since_a_day_is_a_period_since_an_event_a_total() -> None:
    assert scope("Eleven people have died since Sunday in the flooded villages.",
                 "Eleven")[0] == "period"
    assert scope("Eleven aid workers have died since the ceasefire collapsed in March.",
                 "Eleven")[0] == "total"


@pytest.mark.parametrize(
    ("sentence", "number", "kind", "value", "want", "why"),
    [
        # No cue: the verb's form decides, then the size, then the kind.
        ("More than 10,500 civilians have been killed, the UN said.", "More than 10,500",
         "killed", 10500, "total", "scope.perfect"),
        ("Officials put the number of dead Russian soldiers at 120,000.", "120,000", "killed",
         120000, "total", "scope.large"),
        ("About 3,000 US troops are stationed in Poland.", "About 3,000", "troops", None,
         "total", "scope.kind:troops"),
        ("A woman and her son were killed, their neighbours said.", "A woman", "killed", 1,
         "incident", "scope.past"),
    ],
)
def test_without_a_cue(sentence: str, number: str, kind: str, value: float | None, want: str,
                       why: str) -> None:
    assert scope(sentence, number, kind, value) == (want, why)


def test_every_scope_is_one_of_the_guides_values() -> None:
    assert SCOPES == ("incident", "period", "total")
    sentences = [
        ("They said 40 soldiers surrendered.", "40"),
        ("Kyiv said 12 drones were downed overnight.", "12"),
        ("", ""),
    ]
    for sentence, number in sentences:
        start = sentence.index(number) if number else 0
        assert scope_of(sentence, start, start + len(number), "other")[0] in SCOPES


def test_the_extractor_gives_every_claim_its_scope_and_reason() -> None:
    from datetime import date

    from sitrep.extract.pipeline import Extractor
    from sitrep.model import Article

    text = (
        "Russia has lost 798,040 troops since the start of the full-scale invasion, including "
        "1,580 in the past day, Ukraine's General Staff said on Wednesday.\n\n"
        "A missile strike on a school in Sumy killed four children on Tuesday, the regional "
        "governor said."
    )
    article = Article(id="scope-1", text=text, published=date(2024, 11, 6))
    (record,) = Extractor().extract([article])
    got = {c["quantity"]["text"]: (c["scope"], c["reasons"]["scope"]) for c in record["claims"]}
    assert got["798,040"][0] == "total"
    assert got["1,580"] == ("period", "scope.cue:period:in the past day")
    assert got["four"][0] == "incident"


@pytest.mark.parametrize(
    ("sentence", "number", "kind", "want"),
    [
        ("The Pentagon announced a $1.2 billion package of air defence on Tuesday.",
         "$1.2 billion", "money", "total"),
        ("On Friday, 3,000 US troops arrived in Poland to reinforce NATO's eastern flank.",
         "3,000", "troops", "total"),
        ("Japan pledged $4.5bn in aid for Ukraine over the past month.", "$4.5bn", "money",
         "period"),
    ],
)
def test_forces_and_money_are_a_total_unless_a_span_is_stated(
        sentence: str, number: str, kind: str, want: str) -> None:
    assert scope(sentence, number, kind)[0] == want


def test_a_perfect_infinitive_is_no_running_total() -> None:
    # "are said to have been killed" reports a past event, not a toll that has risen so far.
    s = "At least 40 people are said to have been killed as crowds waited for flour."
    assert scope(s, "40")[0] == "incident"
    s = "At least 40 people have been killed since the siege began, officials said."
    assert scope(s, "40")[0] == "total"
