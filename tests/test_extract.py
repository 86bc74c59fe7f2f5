"""The whole extractor on realistic articles: claims, statements, events and reasons."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from sitrep.extract.pipeline import ExtractOptions, Extractor, paragraphs
from sitrep.model import Article
from sitrep.run import Runner

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def run(extractor: Extractor, text: str, published: date = date(2024, 5, 15)) -> dict[str, Any]:
    return next(extractor.extract([Article(id="t", text=text, published=published)]))


def test_paragraph_offsets_point_into_the_text() -> None:
    text = "Headline\n\nFirst paragraph.\nSecond one."
    for off, para in paragraphs(text):
        assert text[off : off + len(para)] == para


def test_paraphrase_then_direct_quote_is_one_claim_with_two_evidence_spans(
    extractor: Extractor,
) -> None:
    text = (
        "Russian forces have lost about 1,200 soldiers near Avdiivka over the past week, a "
        "senior Western intelligence official said on Monday.\n\n"
        '"About 1,200 soldiers is our best estimate of what Russia lost there," the official '
        "said, speaking on condition of anonymity."
    )
    out = run(extractor, text)
    claims = [c for c in out["claims"] if c["quantity"]["low"] is not None]
    assert len(claims) == 1
    claim = claims[0]
    assert len(claim["evidence"]) == 2
    assert claim["speaker"]["text"] == "a senior Western intelligence official"
    assert claim["speaker"]["anonymous"] is True
    quoted = [s for s in out["statements"] if s["quote"] == "direct"]
    assert quoted and quoted[0]["speaker"]["antecedent"]["text"] == claim["speaker"]["text"]
    assert claim["said_on"] == "2024-05-13"


def test_narration_has_no_speaker_and_says_why(extractor: Extractor) -> None:
    out = run(extractor, "Moscow has deployed thousands of troops to the Belgorod region.")
    [claim] = out["claims"]
    assert claim["speaker"] is None
    assert claim["quantity"]["kind"] == "troops"
    assert "narration" in claim["reasons"]["speaker"]
    assert claim["said_on"] == "2024-05-15"
    assert claim["subject"]["country"] == "RU"
    assert claim["place"]["iso3166_2"] == "RU-BEL"


def test_incident_sentence_is_one_event_with_killed_and_wounded(extractor: Extractor) -> None:
    text = (
        "On 8 May 2020, militants attacked a checkpoint in Donetsk, killing 5 soldiers and "
        "wounding 3, the regional administration said."
    )
    out = run(extractor, text, date(2020, 5, 9))
    assert len(out["events"]) == 1
    event = out["events"][0]
    assert event["killed"] == {"low": 5, "best": 5, "high": 5}
    assert event["wounded"] == {"low": 3, "best": 3, "high": 3}
    assert event["date_start"] == "2020-05-08"
    assert event["country"] == "UA"
    assert event["admin1"] is not None and "Donetsk" in event["admin1"]
    assert sorted(event["claims"]) == sorted(c["id"] for c in out["claims"])


def test_no_casualties_reported_makes_no_killed_figure(extractor: Extractor) -> None:
    out = run(
        extractor,
        "A drone hit an apartment block in Sumy overnight; no casualties were reported, the "
        "city council said.",
    )
    assert all(e["killed"] in (None, {"low": 0, "best": 0, "high": 0}) for e in out["events"])


def test_a_running_total_is_not_a_new_incident(extractor: Extractor) -> None:
    out = run(
        extractor,
        "More than 10,000 civilians have been killed in Ukraine since February 2022, the UN "
        "human rights office said on Tuesday.",
    )
    killed = [c for c in out["claims"] if c["quantity"]["kind"] == "killed"]
    assert killed and killed[0]["quantity"]["low"] == 10000
    assert out["events"] == []


@pytest.mark.parametrize(
    ("text", "events"),
    [
        # Totals so far: the present perfect with no incident word or date.
        ("Russian forces have suffered more than 400 casualties in the Kursk region, a "
         "Ukrainian commander said on Tuesday.", 0),
        ("Ukraine has lost 300 soldiers fighting near Pokrovsk, a Russian blogger claimed.", 0),
        # An incident told in the present perfect stays an incident.
        ("Two people have been killed in a missile strike on Kharkiv, the governor said.", 1),
        ("Three civilians have been killed in Kherson, the governor said.", 1),
        ("Five soldiers were killed near Bakhmut on Monday, the general staff said.", 1),
    ],
)
def test_a_campaign_total_in_the_perfect_is_not_an_incident(
    extractor: Extractor, text: str, events: int
) -> None:
    out = run(extractor, text)
    assert [c["quantity"]["kind"] for c in out["claims"]]  # the claim itself stays
    assert len(out["events"]) == events


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("Four soldiers have died since the beginning of the day in battles near Kreminna, "
         "the militia said.", "2024-05-15"),
        ("Three civilians killed since this morning in shelling of Nikopol", "2024-05-15"),
        # "since March" dates the comparison, not the incident.
        ("Six soldiers killed in deadliest day since March", "2024-05-15"),
    ],
)
def test_a_since_that_pins_one_day_keeps_the_incident(
    extractor: Extractor, text: str, day: str
) -> None:
    out = run(extractor, text)
    assert len(out["events"]) == 1
    assert out["events"][0]["date_start"] == day


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("UPDATE 3-Four dead as shelling hits bus stop in eastern Ukraine", ("Four", 4)),
        ("RPT-WRAPUP 2-Two soldiers killed in clashes near Avdiivka", ("Two", 2)),
    ],
)
def test_a_wire_slug_does_not_hide_the_headlines_count(
    extractor: Extractor, text: str, count: tuple[str, int]
) -> None:
    out = run(extractor, text)
    q = out["claims"][0]["quantity"]
    assert (text[q["start"] : q["end"]], q["best"], q["kind"]) == (count[0], count[1], "killed")
    assert len(out["events"]) == 1


def test_an_event_without_its_own_region_takes_the_articles_one(extractor: Extractor) -> None:
    out = run(
        extractor,
        "Two soldiers were killed on Tuesday, the army said.\n\n"
        "Fighting has intensified around Kupiansk in the Kharkiv region.",
    )
    assert len(out["events"]) == 1
    assert out["events"][0]["iso3166_2"] == "UA-63"


def test_no_region_is_borrowed_when_the_article_names_several(extractor: Extractor) -> None:
    out = run(
        extractor,
        "Two soldiers were killed on Tuesday, the army said.\n\n"
        "Shelling also hit Kupiansk in the Kharkiv region and Nikopol in Dnipropetrovsk region.",
    )
    assert len(out["events"]) == 1
    assert out["events"][0]["admin1"] is None


def test_every_claim_field_decided_by_a_rule_has_a_reason(extractor: Extractor) -> None:
    out = run(
        extractor,
        "Ukraine's air force said it shot down 23 of 28 drones launched overnight at Odesa.",
    )
    for claim in out["claims"]:
        assert claim["reasons"]["quantity"]
        assert claim["reasons"]["speaker"]
        assert claim["reasons"]["said_on"]


def test_cli_reports_bad_lines_and_keeps_the_good_ones(tmp_path: Path) -> None:
    feed = tmp_path / "in.jsonl"
    feed.write_text(
        "\n".join(
            [
                json.dumps({"id": "a", "text": "Two soldiers were killed in Kherson.",
                            "published": "2024-03-02"}),
                "{broken",
                json.dumps({"id": "b", "text": "Shelling wounded four people in Kharkiv.",
                            "published": "2024-13-45"}),
                json.dumps({"id": "c", "text": "Three civilians died in Zaporizhzhia.",
                            "published": "2024-03-03"}),
            ]
        )
        + "\n"
    )
    proc = subprocess.run(
        [sys.executable, "-m", "sitrep.cli", "extract", str(feed), "--format", "jsonl"],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert proc.returncode == 2
    lines = [json.loads(x) for x in proc.stdout.splitlines()]
    assert [r["id"] for r in lines] == ["a", "c"]
    assert all(r["schema"] == 1 for r in lines)
    assert "in.jsonl:2: not JSON" in proc.stderr
    assert "in.jsonl:3: [E101] impossible date '2024-13-45'" in proc.stderr


SEED = ROOT.parent / "shared" / "specimen" / "seed-article.txt"


@pytest.mark.skipif(not SEED.is_file(), reason="../shared/specimen absent")
def test_seed_article_claims_match_the_gold_reading(extractor: Extractor) -> None:
    from sitrep.evaluate import eval_seed

    figures = eval_seed(extractor, SEED, SEED.with_name("seed-article.gold.json"))
    assert figures["seed.claims_found"] == 1.0
    assert figures["seed.extra_claims"] == 0
    assert figures["seed.claim_fields"] == 1.0
    assert figures["seed.dates"] == 1.0


def test_an_institution_is_a_named_speaker_and_bounds_are_not_hedges(
    extractor: Extractor,
) -> None:
    out = run(
        extractor,
        "Russia's defence ministry said its forces had killed at least 40 Ukrainian soldiers "
        "near Kupiansk.",
    )
    [claim] = out["claims"]
    assert claim["speaker"]["text"] == "Russia's defence ministry"
    assert claim["speaker"]["anonymous"] is False
    assert claim["quantity"]["approx"] == "at_least"
    assert "at least" not in claim["hedges"]


def test_memory_stays_flat_new_words_leave_the_vocab_after_each_chunk(
    extractor: Extractor,
) -> None:
    # A long run meets new names all the time; they must not pile up in spaCy's vocab.
    name = "Zvorykinskoye"
    art = Article(
        id="z1",
        text=f"Shelling killed two civilians in {name} near Kharkiv, the governor said.",
        published=date(2024, 5, 2),
    )
    first = next(extractor.extract([art]))
    assert name not in extractor.nlp.vocab.strings
    assert [c["quantity"]["best"] for c in first["claims"]] == [2]
    # Tables built at load time keep working in later chunks.
    assert next(extractor.extract([art])) == first


def test_worker_processes_give_the_same_records_in_order(extractor: Extractor) -> None:
    texts = [
        "Shelling killed two civilians in Kherson on Monday, the regional governor said.",
        "Talks resumed in Geneva.",
        "Russia lost 300 tanks in the battle for Avdiivka, Ukraine's general staff said.",
        "\"We counted 14 wounded,\" a hospital doctor in Sumy told Reuters.",
        "A drone strike on Odesa injured five people overnight, officials said.",
    ]
    arts = [Article(id=str(i), text=t, published=date(2024, 5, 2)) for i, t in enumerate(texts)]
    single = list(extractor.extract(arts, chunk=2))
    with Runner(ExtractOptions(workers=2)) as runner:
        parallel = list(runner.extract(arts, chunk=2))
    assert [r["id"] for r in parallel] == ["0", "1", "2", "3", "4"]
    assert parallel == single


@pytest.mark.parametrize(
    ("text", "figures"),
    [
        # A figure given without a verb of saying is still somebody's claim.
        (
            "The Khartoum Resistance Committee put the death toll at 38, with about 90 wounded.",
            dict.fromkeys(["38", "about 90"], "The Khartoum Resistance Committee"),
        ),
        (
            "Regional officials later raised the number of dead to 52.",
            {"52": "Regional officials"},
        ),
        # Two givers in one sentence keep their own figures.
        (
            "The ministry estimated the toll at more than 300, while local groups put it at 450.",
            {"more than 300": "The ministry", "450": "local groups"},
        ),
        # ... when the parse hangs the figure inside the object
        (
            "The army puts the number of soldiers wounded so far at 1,200.",
            {"1,200": "The army"},
        ),
        # ... and in a relative clause on the count, inside a sentence that says nothing
        (
            "The number of civilians killed in the city, which local officials put at more "
            "than 4,000, has shocked the country.",
            {"more than 4,000": "local officials"},
        ),
    ],
)
def test_toll_figures_are_attributed_to_who_gave_them(
    extractor: Extractor, text: str, figures: dict[str, str]
) -> None:
    out = run(extractor, text)
    found = {c["quantity"]["text"]: (c["speaker"] or {}).get("text") for c in out["claims"]}
    assert found == figures
    assert all("attr.toll-figure" in c["reasons"]["speaker"] for c in out["claims"])


@pytest.mark.parametrize(
    ("text", "kind", "whole", "part"),
    [
        ("Drone strikes killed 23 people, including seven children, police said.", "killed", 23, 7),
        ("Thirty people were wounded, including four medics, in the shelling of Sumy.",
         "wounded", 30, 4),
        ("At least 16 people, including two children, were killed in a missile strike on Odesa.",
         "killed", 16, 2),
        ("Nineteen people, among them five children, were killed in the strike on Sumy.",
         "killed", 19, 5),
        ("The shelling killed 26 people, among them 11 women.", "killed", 26, 11),
    ],
)
def test_a_part_of_a_count_has_the_kind_of_the_whole_and_is_not_added(
    extractor: Extractor, text: str, kind: str, whole: int, part: int
) -> None:
    out = run(extractor, text)
    by_best = {c["quantity"]["best"]: c["quantity"] for c in out["claims"]}
    assert by_best[part]["kind"] == kind
    assert by_best[part]["kind_rule"].startswith("kind.part-of:")
    [event] = out["events"]
    assert event[kind]["best"] == whole  # the part is inside the whole, not on top of it


def test_subject_of_an_up_to_figure_is_read_off_its_noun(extractor: Extractor) -> None:
    # "up to" makes "up" the figure's syntactic root (a particle of the verb).
    out = run(extractor, "Moscow said it had killed up to 945 Ukrainian soldiers in the fighting.")
    [claim] = out["claims"]
    assert claim["quantity"]["high"] == 945
    assert claim["subject"]["country"] == "UA"


@pytest.mark.parametrize(
    ("text", "figure", "speaker"),
    [
        # The parse hangs "after days of fighting that killed ..." on "said", outside the
        # content span it reads.
        (
            "Rebel fighters have entered Bunia, the main city in Ituri province, after days of "
            "fighting that killed dozens of people, United Nations officials said on Monday.",
            "dozens",
            "United Nations officials",
        ),
        # A parenthetical cue on the figure's clause, with an appositive after it.
        (
            "Russia launched 270 drones and seven cruise missiles at Ukraine overnight, the "
            "Ukrainian air force said, the largest drone attack of the year.",
            "270",
            "the Ukrainian air force",
        ),
    ],
)
def test_a_figure_in_a_clause_the_cue_governs_has_its_speaker(
    extractor: Extractor, text: str, figure: str, speaker: str
) -> None:
    out = run(extractor, text)
    claim = next(c for c in out["claims"] if c["quantity"]["text"] == figure)
    assert claim["speaker"]["text"] == speaker


def test_a_fronted_clause_before_a_statement_stays_narration(extractor: Extractor) -> None:
    text = (
        "After a Russian missile strike killed 20 people in Sumy, President Volodymyr Zelensky "
        "said Ukraine urgently needed more air defence systems."
    )
    [claim] = run(extractor, text)["claims"]
    assert claim["speaker"] is None


def test_a_harm_phrase_read_as_a_speaker_gives_no_figure_a_speaker(extractor: Extractor) -> None:
    # "No casualties reported amid 14 enemy attacks": "No casualties" is not a claimant.
    out = run(extractor, "No casualties reported amid 14 enemy attacks in Donbas in past 24 hours")
    assert all(c["speaker"] is None for c in out["claims"])


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Russia launched 120 drones at Ukraine overnight, the air force said.", "Ukraine"),
        ("Israel's strikes on Rafah killed 17 people, the health ministry said.", "Rafah"),
    ],
)
def test_a_place_that_acts_is_not_where_it_happened(
    extractor: Extractor, text: str, place: str
) -> None:
    out = run(extractor, text)
    claim = out["claims"][0]
    assert claim["place"]["text"] == place


@pytest.mark.parametrize(
    "text",
    [
        "Air strikes overnight killed more than 300 people across Gaza, the civil defence "
        "agency said, the deadliest day since a ceasefire began in January.",
        "Russian missiles killed 21 people in Sumy on Sunday, officials said, the bloodiest "
        "attack on the city of the war.",
    ],
)
def test_a_superlative_comparison_does_not_make_an_incident_a_running_total(
    extractor: Extractor, text: str
) -> None:
    out = run(extractor, text)
    [event] = out["events"]
    assert event["killed"]["low"] in (300, 21)


@pytest.mark.parametrize(
    ("text", "country"),
    [
        # "We" in the speaker's own words is the speaker's side ...
        ("\u201cWe lost 14 men in three days,\u201d a commander of Ukraine's 93rd brigade "
         "told reporters.", "UA"),
        # ... but not when "we" did the killing: those losses are the speaker's adversary's.
        ("\u201cWe killed 30 of them,\u201d a Russian officer said.", "UA"),
    ],
)
def test_we_in_a_speakers_words_is_the_speakers_side(
    extractor: Extractor, text: str, country: str | None
) -> None:
    out = run(extractor, text)
    [claim] = out["claims"]
    assert (claim["subject"] or {}).get("country") == country


@pytest.mark.parametrize(
    ("text", "events"),
    [
        # A toll that has passed a mark, with no incident named, is the war's running total ...
        ("The Palestinian death toll in Gaza has passed 48,000, the health ministry said.", 0),
        ("The number of civilians killed in Ukraine has topped 12,000, UN monitors said.", 0),
        # ... the toll of a named strike is still that incident's.
        ("The death toll from the missile strike on Dnipro has passed 40, the governor said.", 1),
    ],
)
def test_a_toll_that_has_passed_a_mark_is_a_running_total_unless_an_incident_is_named(
    extractor: Extractor, text: str, events: int
) -> None:
    assert len(run(extractor, text)["events"]) == events


def test_a_named_speaker_is_not_a_victim(extractor: Extractor) -> None:
    text = (
        "A missile strike on a warehouse in Odesa killed four people on Monday, regional "
        "governor Oleh Kiper said."
    )
    out = run(extractor, text)
    assert [c["quantity"]["text"] for c in out["claims"]] == ["four"]


@pytest.mark.parametrize(
    ("text", "figure", "kind"),
    [
        ("The death toll from the missile strike on Dnipro has passed 40, officials said.",
         "passed 40", "killed"),
        ("The number of civilians killed in Ukraine has topped 12,000, UN monitors said.",
         "topped 12,000", "killed"),
    ],
)
def test_a_mark_a_toll_has_passed_is_a_lower_bound_of_the_kind_it_counts(
    extractor: Extractor, text: str, figure: str, kind: str
) -> None:
    out = run(extractor, text)
    # One claim: not "officials" as the counted noun, not an implicit count of "civilians".
    [claim] = out["claims"]
    q = claim["quantity"]
    assert (q["text"], q["kind"], q["approx"], q["high"]) == (figure, kind, "at_least", None)


@pytest.mark.parametrize(
    "text",
    [
        "Russian officials said their forces killed 30 Ukrainian soldiers near Kupiansk.",
        "A missile strike killed 14 people in Dnipro, including a child, officials said.",
    ],
)
def test_speakers_of_a_killing_clause_are_not_its_victims(
    extractor: Extractor, text: str
) -> None:
    out = run(extractor, text)
    assert all(c["quantity"]["text"] != "officials" for c in out["claims"])


def test_a_lead_in_gives_the_next_paragraph_its_speaker(extractor: Extractor) -> None:
    """ "The governor said:" ends its paragraph: the quote below is his, and so its figures."""
    text = (
        "Shelling hit Kharkiv overnight.\n\n"
        "The regional governor said:\n\n"
        "\u201cFive people were killed and 12 wounded in the strikes on the city.\u201d\n\n"
        "Repairs began on Monday."
    )
    out = run(extractor, text)
    [stmt] = out["statements"]
    assert stmt["speaker"]["text"] == "The regional governor"
    assert stmt["rule"] == "attr.lead-in" and stmt["quote"] == "direct"
    content = text[stmt["content"]["start"] : stmt["content"]["end"]]
    assert content.startswith("\u201cFive people") and content.endswith("city.\u201d")
    kinds = {c["quantity"]["kind"]: c for c in out["claims"]}
    assert set(kinds) == {"killed", "wounded"}
    assert all(c["statement"] == stmt["id"] for c in kinds.values())


def test_a_lead_in_at_the_end_of_the_article_makes_no_statement(extractor: Extractor) -> None:
    out = run(extractor, "Shelling hit Kharkiv overnight.\n\nThe regional governor said:")
    assert out["statements"] == []


def test_the_claims_focus_parses_a_lead_in_to_a_count() -> None:
    text = (
        "Shelling hit the city overnight.\n\n"
        "The regional governor said:\n\n"
        "\u201cThree people were killed in the strikes.\u201d"
    )
    out = run(Extractor(ExtractOptions(focus="claims")), text)
    [claim] = out["claims"]
    assert claim["speaker"]["text"] == "The regional governor"


def test_people_and_soldiers_harmed_take_the_country_of_the_place(
    extractor: Extractor,
) -> None:
    text = ("Three rescuers were killed by a second strike in Kherson on Tuesday, the regional "
            "governor said. Two soldiers were wounded near Kupiansk.")
    claims = {c["quantity"]["text"]: c for c in run(extractor, text)["claims"]}
    assert claims["Three"]["subject"]["country"] == "UA"
    assert claims["Two"]["subject"]["country"] == "UA"


def test_soldiers_gathered_somewhere_are_not_that_place_s(extractor: Extractor) -> None:
    # Troops of no stated side massed in a country are not its troops.
    text = "About 4,000 troops took part in the exercise in Lithuania last month."
    [claim] = run(extractor, text)["claims"]
    assert (claim["subject"] or {}).get("country") is None


def test_civilians_counted_by_a_party_s_speaker_with_no_place_are_its_own(
    extractor: Extractor,
) -> None:
    text = ("Ukraine's interior minister said four civilians had been killed and 19 wounded "
            "overnight.")
    claims = {c["quantity"]["text"]: c for c in run(extractor, text)["claims"]}
    assert claims["four"]["subject"]["country"] == "UA", claims["four"]["reasons"]


def test_the_same_figure_of_two_sides_stays_two_claims(extractor: Extractor) -> None:
    text = ("Israeli air strikes on Rafah killed six Palestinians overnight, medics said.\n\n"
            "Six Israeli soldiers were killed in the fighting this week.\n\n"
            "The Israeli army said six of its soldiers had been killed in the fighting.")
    six = [c for c in run(extractor, text)["claims"] if c["quantity"]["low"] == 6]
    assert sorted((c["subject"] or {}).get("country") or "" for c in six) == ["IL", "PS"]
    [soldiers] = [c for c in six if c["subject"]["country"] == "IL"]
    assert len(soldiers["evidence"]) == 2  # the narration repeat joins the army's claim


@pytest.mark.parametrize(
    ("text", "place"),
    [
        # A country that acts is a party, not where it happened, even when alone.
        ("Ukraine's General Staff said Russia had lost 1,270 troops over the past day.", None),
        ("Israel said it had struck 40 targets overnight.", None),
        # ... and the place the sentence names wins over it.
        ("Russia launched 48 drones at the city of Kharkiv, the air force said.", "Kharkiv"),
    ],
)
def test_a_party_acting_is_not_the_place(extractor: Extractor, text: str,
                                         place: str | None) -> None:
    [claim] = run(extractor, text)["claims"]
    assert (claim["place"] or {}).get("text") == place, claim["reasons"].get("place")
