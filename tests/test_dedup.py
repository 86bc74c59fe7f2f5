"""Copy groups: syndicated variants of one wire story group together; other stories do not."""

from __future__ import annotations

import pytest

from sitrep.analyse.dedup import (
    THRESHOLD,
    CopyGrouper,
    signature,
    signature_bytes,
    signature_from_bytes,
    signature_values,
)

WIRE = [
    "Russian drones strike Odesa port, killing two",
    "KYIV (AFP) - Russian attack drones struck port infrastructure in the southern Ukrainian "
    "city of Odesa overnight, killing two dock workers and wounding five others, the regional "
    "governor said on Monday.",
    "Air defence units shot down 23 of the 28 drones launched from the Russian region of "
    "Kursk and from occupied Crimea, the Ukrainian air force said in a statement on Telegram.",
    "A grain warehouse and two port cranes were damaged in the attack, which began shortly "
    "after midnight and lasted nearly three hours, according to the governor's office.",
    "Odesa and its ports have been a frequent target since Moscow pulled out of a deal that "
    "had allowed Ukraine to ship grain safely across the Black Sea.",
    "The Russian defence ministry said its forces had hit facilities used to prepare naval "
    "drone attacks, a claim that could not be independently verified.",
    "Ukraine has in turn stepped up strikes on Russian oil refineries and airfields, saying "
    "they are legitimate military targets that feed Moscow's war effort.",
]


def story(paragraphs: list[str]) -> str:
    return "\n\n".join(paragraphs)


VARIANTS = {
    "outlet header and footer": story(
        ["The Example Herald | World | Monday 12 August"] + WIRE
        + ["Copyright Example Herald. Subscribe for more news from Ukraine."]
    ),
    "changed headline": story(["Drone attack on Odesa kills two port workers"] + WIRE[1:]),
    "light edits": story(WIRE).replace("dock workers", "port employees").replace(
        "nearly three hours", "almost three hours"
    ),
    "paragraph dropped": story(WIRE[:4] + WIRE[5:]),
}

OTHER = story([
    "Two killed as drones hit Odesa port",
    "Two people died when Russian drones hit the port of Odesa in the early hours of Monday, "
    "Ukrainian officials reported, with five more injured and port cranes damaged.",
    "Most of the drones were shot down, Ukraine's military said, adding that the attack "
    "came from the direction of Crimea and Russia's Kursk region.",
    "Moscow says it targets military facilities; Kyiv says the strikes aim at its grain trade.",
])


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_syndicated_variant_joins_the_original_group(name: str) -> None:
    grouper = CopyGrouper()
    assert grouper.add(1, story(WIRE)) == 1
    assert grouper.add(2, VARIANTS[name]) == 1, name
    assert signature(story(WIRE)).jaccard(signature(VARIANTS[name])) >= THRESHOLD


def test_a_different_report_of_the_same_incident_is_its_own_source() -> None:
    grouper = CopyGrouper()
    grouper.add(1, story(WIRE))
    assert grouper.add(2, OTHER) == 2
    assert signature(story(WIRE)).jaccard(signature(OTHER)) < 0.2


def test_forty_copies_are_one_group_and_survive_a_reload() -> None:
    grouper = CopyGrouper()
    groups = {grouper.add(i, VARIANTS["outlet header and footer"].replace(
        "Example Herald", f"Outlet {i}")) for i in range(1, 41)}
    assert groups == {1}
    stored = [(aid, gid, grouper.signature_of(aid)) for aid, gid in grouper.group_of.items()]
    fresh = CopyGrouper()
    fresh.load(stored)
    assert fresh.add(99, VARIANTS["changed headline"]) == 1
    assert fresh.add(100, OTHER) == 100


def test_only_the_latest_window_of_articles_is_kept() -> None:
    grouper = CopyGrouper(window=3)
    grouper.add(1, story(WIRE))
    for i, text in enumerate([OTHER, OTHER + " Update.", OTHER + " Final."], start=2):
        grouper.add(i, text + f" Edition {i}." * 3)
    assert sorted(grouper.group_of) == [2, 3, 4]
    # The original fell out of the window: a late copy starts a group of its own.
    assert grouper.add(5, VARIANTS["changed headline"]) == 5


def test_signature_round_trips_through_bytes() -> None:
    m = signature(story(WIRE))
    assert signature_from_bytes(signature_bytes(m)).jaccard(m) == 1.0


def test_band_index_finds_what_datasketch_finds() -> None:
    """The grouper's own LSH gives the candidates datasketch's MinHashLSH gives, with the
    bands datasketch finds optimal, so copy groups do not change with it."""
    from datasketch import MinHashLSH

    from sitrep.analyse.dedup import NUM_PERM, THRESHOLD, BandIndex, lsh_params

    reference = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    assert lsh_params(THRESHOLD, NUM_PERM) == (reference.b, reference.r)
    ours = BandIndex(*lsh_params(THRESHOLD, NUM_PERM))
    stories = [
        "Shelling of the market in Kherson killed seven civilians on Tuesday, the regional "
        "governor said, adding that twelve more were wounded and taken to hospital.",
        "Rescuers pulled four bodies from the rubble of a five-storey building in Dnipro after "
        "an overnight missile strike, the emergency service said on Sunday morning.",
        "Border guards said two migrants drowned when their boat capsized near the coast, and "
        "a search for three others continued through the night in rough seas.",
    ]
    texts = [*stories, *(f"Reprinted from a wire service. {s} Copyright 2024." for s in stories)]
    sigs = [signature(t) for t in texts]
    for i, m in enumerate(sigs[:3]):
        reference.insert(str(i), m)
        ours.insert(i, signature_values(signature_bytes(m)))
    for m in sigs:
        assert ours.query(m.hashvalues) == {int(k) for k in reference.query(m)}
    ours.remove(0)
    assert 0 not in ours.query(sigs[0].hashvalues)
