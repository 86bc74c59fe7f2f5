"""The parts of an article that are not its story (dateline, byline, boilerplate, time stamps):
found with their rule, left out of the paragraphs the pipeline reads, never a claim, a speaker
or a place."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from sitrep.extract.article_parts import find_dateline, find_parts, story_spans
from sitrep.extract.pipeline import Extractor, paragraphs
from sitrep.model import Article

# ---------------------------------------------------------------------------------- datelines

DATELINES = [
    ("MOSCOW (AP) — Russia's Defence Ministry said its forces killed up to 300 Ukrainian "
     "servicemen.", "MOSCOW (AP) —"),
    ("CAIRO, July 16 (Reuters) - An Israeli air strike killed 12 people in Nuseirat, medics "
     "said.", "CAIRO, July 16 (Reuters) -"),
    ("ZAPORIZHZHIA, Ukraine (AP) — Russian glide bombs hit an industrial site overnight.",
     "ZAPORIZHZHIA, Ukraine (AP) —"),
    ("GENEVA, 3 March (Xinhua) -- The UN refugee agency said 40,000 people had fled.",
     "GENEVA, 3 March (Xinhua) --"),
    ("KHERSON, Ukraine — Shelling wounded six people at a bus stop on Friday.",
     "KHERSON, Ukraine —"),
    ("WARSAW — Poland said it would send 10 more tanks.", "WARSAW —"),
    ("TEL AVIV, Israel — Sirens sounded across the city.", "TEL AVIV, Israel —"),
    ("Beirut, Lebanon (CNN)- An Israeli drone strike killed two men near Tyre.",
     "Beirut, Lebanon (CNN)-"),
    ("Jerusalem CNN —\n\nThe Israeli military said it had struck 40 targets.", "Jerusalem CNN —"),
    ("CNN —\n\nUkraine’s air force said it downed 18 of 20 drones.", "CNN —"),
    ("Markets closed higher.\n\nBRUSSELS, Oct 9 (Reuters) - The EU agreed on 5 billion euros.",
     "BRUSSELS, Oct 9 (Reuters) -"),
]


@pytest.mark.parametrize("text, dateline", DATELINES)
def test_dateline_is_found_with_its_rule(text: str, dateline: str) -> None:
    found = find_dateline(text)
    assert found is not None
    assert found.text == dateline
    assert text[found.start : found.end] == dateline
    assert found.kind == "dateline" and found.rule.startswith("dateline.")


@pytest.mark.parametrize("text", [
    "NATO - Russia relations have never been worse, the minister said.",
    "BREAKING — Explosions heard in Kyiv.",
    "US officials said 12 soldiers were wounded.",
    "Kyiv said on Monday that Russian shelling killed three people.",
    "The Ministry of Defence (MoD) said two drones were shot down.",
    "WATCH: Rescuers pull survivors from the rubble",
])
def test_headings_and_sentences_are_no_dateline(text: str) -> None:
    assert find_dateline(text) is None


def test_capitals_subheading_further_down_is_no_dateline() -> None:
    text = ("KYIV, Ukraine — Drones hit the city overnight, officials said.\n\n"
            + "The strikes came as talks stalled in Geneva. " * 12
            + "\n\nMISSILES RUNNING LOW — Ukraine has fired 40 Patriot interceptors this month.")
    assert [p.text for p in find_parts(text) if p.kind == "dateline"] == ["KYIV, Ukraine —"]


# ------------------------------------------------------------ boilerplate, bylines, captions

WHOLE_LINES = [
    ("Sign up to Morning Mail, our free daily newsletter", "boilerplate"),
    ("skip past newsletter promotion", "boilerplate"),
    ("CLICK HERE TO GET THE FOX NEWS APP", "boilerplate"),
    ("Read more: Five things we learned from the Vilnius summit", "boilerplate"),
    ("See also: Why the Black Sea grain deal collapsed", "boilerplate"),
    ("ADVERTISEMENT", "boilerplate"),
    ("Follow us on Telegram and X for the latest updates from the front", "boilerplate"),
    ("The Associated Press contributed to this report.", "boilerplate"),
    ("The Evening Brief is delivered to thousands of inboxes every weekday. Subscribe now.",
     "boilerplate"),
    ("By Jane Doe and John Roe", "byline"),
    ("By Olena Kovalenko, Mark Smith and Ahmed Hassan", "byline"),
    ("Rescuers carry a wounded man from a building in Dnipro on Tuesday. "
     "Photograph: Jane Doe/Reuters", "caption"),
    ("Photo: Press service of the State Emergency Service", "caption"),
]


@pytest.mark.parametrize("line, kind", WHOLE_LINES)
def test_whole_line_parts(line: str, kind: str) -> None:
    text = f"Two soldiers were killed, the army said.\n\n{line}\n\nThe talks resume on Monday."
    parts = find_parts(text)
    assert [(p.kind, p.text) for p in parts] == [(kind, line)]


@pytest.mark.parametrize("line", [
    "By dawn, 14 houses in the village had burned down.",
    "By the end of the week, 300 families had fled, the mayor said.",
    "More than 2,000 volunteers have signed up to the territorial defence, officials said.",
    "Photographs from the scene showed 12 burnt-out tanks.",
    "Read the full statement, the ministry told reporters.",
])
def test_story_lines_are_kept(line: str) -> None:
    assert find_parts(line) == []


@pytest.mark.parametrize("line, stamp, entry", [
    ("10.42 BST Ukraine says three civilians were killed in Kharkiv.", "10.42 BST",
     "Ukraine says three civilians were killed in Kharkiv."),
    ("Updated at 18.05 BST", "Updated at 18.05 BST", ""),
    ("2h ago Five people were wounded in Odesa, the governor said.", "2h ago",
     "Five people were wounded in Odesa, the governor said."),
    ("01:12 Firefighters battle a blaze after a strike on Lviv – video", "", ""),
    ("14 June 2022 09.31 Two civilians were killed in shelling of Mykolaiv, the mayor said.",
     "14 June 2022 09.31", "Two civilians were killed in shelling of Mykolaiv, the mayor said."),
    ("Tue 3 Oct 2023 16.20 BST Kyiv said 30 drones were downed.", "Tue 3 Oct 2023 16.20 BST",
     "Kyiv said 30 drones were downed."),
])
def test_live_blog_stamps_are_cut(line: str, stamp: str, entry: str) -> None:
    spans = story_spans(line, 0, len(line))
    assert [line[s:e] for s, e in spans] == ([entry] if entry else [])
    if stamp:
        assert find_parts(line)[0].text.strip() == stamp


GLUED = (
    "The foreign secretary declined to comment on arms sales. What we know about the strike "
    "on the food convoyInside the army's briefing on the convoy attackWho were the six "
    "drivers killed in Gaza?  The charity said it would resume deliveries on Monday."
)


def test_glued_link_list_is_cut_and_the_story_around_it_kept() -> None:
    spans = [GLUED[s:e] for s, e in story_spans(GLUED, 0, len(GLUED))]
    assert spans == ["The foreign secretary declined to comment on arms sales.",
                     "The charity said it would resume deliveries on Monday."]


@pytest.mark.parametrize("text, cut", [
    ("Residents were told to leave. Aid lorries turned back at the crossingBorder town empties "
     "as strikes intensify'We sleep in the car now'  The army said 3 soldiers died.",
     "Aid lorries turned back at the crossingBorder town empties as strikes intensify'We sleep "
     "in the car now'"),
    ("The council met on Monday. Send your story ideas to north.news@example.co.uk or via "
     "WhatsApp on 0808 100 1234. Two people were hurt in the fire.",
     "Send your story ideas to north.news@example.co.uk or via WhatsApp on 0808 100 1234."),
    ("Rescuers search the rubble in Dnipro. (Photo by Jane Doe/AFP via Getty Images) Officials "
     "said 12 died.", "(Photo by Jane Doe/AFP via Getty Images)"),
    # A correction retracts a figure: its first sentence is no claim, the rest is kept.
    ("Talks resume on Friday. Correction 2nd March: This story wrongly said 60 people had died "
     "in the blast. Officials said 16 died.",
     "Correction 2nd March: This story wrongly said 60 people had died in the blast."),
    ("Editor's note: An earlier version of this article misstated the number of wounded.",
     "Editor's note: An earlier version of this article misstated the number of wounded."),
])
def test_page_parts_inside_a_paragraph_are_cut(text: str, cut: str) -> None:
    assert cut in [p.text for p in find_parts(text)]
    assert all(cut not in text[s:e] for s, e in story_spans(text, 0, len(text)))


@pytest.mark.parametrize("text", [
    "He sent the video over WhatsApp, and 12 people were killed, YouTube footage showed.",
    "But at what cost?Nobody in the village could say how many had died.",
    "Martin Lewis, the founder of MoneySavingExpert, said 30 families had written in.",
    "Polls give her a lead, with RealClearPolitics at 3 points, HuffPollster at 4.3 points "
    "and FiveThirtyEight at 2.1 points.",
])
def test_names_and_lost_breaks_are_no_link_list(text: str) -> None:
    assert [p for p in find_parts(text) if p.rule == "boilerplate.glued_links"] == []


@pytest.mark.parametrize("text, pieces", [
    # A link title or a caption the page glued on without a stop: the paragraph ends there.
    ("Talks collapsed after some of the captives were freed during a short truce The "
     "Hamas-run health ministry says 30 people were killed on Sunday.",
     ["Talks collapsed after some of the captives were freed during a short truce",
      "The Hamas-run health ministry says 30 people were killed on Sunday."]),
    ("How the war is spilling into the city's cultural life The strike killed 12 people, "
     "officials said.",
     ["How the war is spilling into the city's cultural life",
      "The strike killed 12 people, officials said."]),
    # A name after a word that leads into it is no break.
    ("Six soldiers died, according to The Times of Israel, and the case went to The Hague.",
     ["Six soldiers died, according to The Times of Israel, and the case went to The Hague."]),
])
def test_a_lost_paragraph_break_ends_the_paragraph(text: str, pieces: list[str]) -> None:
    assert [p for _, p in paragraphs(text)] == pieces
    assert all(text[off:off + len(p)] == p for off, p in paragraphs(text))


# ------------------------------------------------------------------------ pipeline paragraphs

ARTICLE = (
    "KHARKIV, Ukraine (AP) — Russian strikes killed four people in Kharkiv, the governor said."
    "\n\nBy Jane Doe and John Roe\n\n"
    "Sign up to First Edition, our free daily newsletter – every weekday morning at 7am BST\n\n"
    "14.05 BST Ukraine said 12 drones were shot down overnight."
)


def test_paragraphs_leave_the_parts_out_and_keep_offsets() -> None:
    paras = paragraphs(ARTICLE)
    for off, para in paras:
        assert ARTICLE[off : off + len(para)] == para
    assert [p for _, p in paras] == [
        "Russian strikes killed four people in Kharkiv, the governor said.",
        "Ukraine said 12 drones were shot down overnight.",
    ]


# --------------------------------------------------------------------------- whole extractor


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def run(extractor: Extractor, text: str) -> dict[str, Any]:
    art = Article(id="t", text=text, published=date(2024, 7, 16))
    return next(extractor.extract([art]))


@pytest.mark.parametrize("text, dateline_word", [
    ("MOSCOW (AP) — Russia's Defence Ministry said its forces killed up to 300 Ukrainian "
     "servicemen in the past day.", "MOSCOW"),
    ("ODESA, Ukraine — A missile struck a grain terminal overnight, wounding four workers, "
     "the regional governor said.", "ODESA"),
    ("LVIV (Reuters) - Two people were killed when a drone hit a warehouse, officials said.",
     "LVIV"),
])
def test_dateline_is_never_speaker_or_place(extractor: Extractor, text: str,
                                            dateline_word: str) -> None:
    record = run(extractor, text)
    assert record["claims"], "the claim after the dateline is still read"
    for claim in record["claims"]:
        assert dateline_word not in ((claim.get("speaker") or {}).get("text") or "")
        assert dateline_word not in ((claim.get("place") or {}).get("text") or "")
        assert text[claim["start"] : claim["end"]]  # contract offsets point into the text
        q = claim["quantity"]
        assert text[q["start"] : q["end"]] == q["text"]
    assert all(p["text"] != dateline_word for p in record["places"])


def test_boilerplate_yields_no_claims(extractor: Extractor) -> None:
    text = (
        "Shelling killed two people in Kherson, officials said.\n\n"
        "The Evening Brief is delivered to thousands of inboxes every weekday. Subscribe now.\n\n"
        "Ukrainian officials said 3 soldiers died. What we know about the strike on the "
        "food convoyInside the army's briefing on the convoy attackWho were the six drivers "
        "killed in Gaza?  The charity said it would pause work."
    )
    record = run(extractor, text)
    counted = {c["quantity"]["text"] for c in record["claims"]}
    assert {"two", "3"} <= counted
    assert not counted & {"thousands", "six"}  # the newsletter's and the link title's
