"""A generator of realistic, distinct conflict-news articles for ingest tests and benchmarks.

Each article is built from sentence templates whose slots (places, numbers, units, days,
speakers) sit a few words apart, so two generated articles share few word 5-grams and are not
taken for syndicated copies of one another; ``syndicated_copy`` makes a real copy.
"""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path

PLACES = ["Kharkiv", "Kherson", "Zaporizhzhia", "Donetsk", "Sumy", "Odesa", "Mykolaiv",
          "Dnipro", "Chernihiv", "Kramatorsk", "Pokrovsk", "Bakhmut", "Avdiivka", "Izium",
          "Belgorod", "Kursk", "Bryansk", "Lyman", "Sloviansk", "Nikopol"]
SPEAKERS = ["the regional governor", "the Ukrainian air force", "a military spokesman",
            "Russia's defence ministry", "the local prosecutor's office", "emergency services",
            "the city council", "a senior Ukrainian official", "the general staff",
            "police in the region"]
WEAPONS = ["missile", "drone", "artillery", "glide bomb", "rocket", "mortar"]
TARGETS = ["residential block", "rail depot", "power substation", "grain silo", "school",
           "market", "bus station", "hospital annex", "fuel depot", "bridge"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
NUMBERS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "11", "12", "14",
           "17", "at least 20", "about 30", "dozens of", "more than 40"]

TEMPLATES = [
    "A {weapon} strike on a {target} in {place} killed {n1} people and wounded {n2} on "
    "{day}, {speaker} said.",
    "{speaker_cap} said {n1} soldiers were killed near {place2} as fighting around the "
    "{target} continued into {day}.",
    "Rescuers in {place} pulled {n2} people from the rubble of the {target}, and {n3} remain "
    "missing, according to {speaker}.",
    "Overnight, {n3} {weapon}s hit the outskirts of {place2}; {speaker} reported {n1} "
    "wounded and damage to a {target}.",
    "{speaker_cap} told reporters on {day} that {n2} civilians had been evacuated from "
    "{place} after the {weapon} attack.",
    "Officials in {place2} said {n3} soldiers were captured when a {target} changed hands "
    "late on {day}.",
]


def make_article(i: int, rng: random.Random, start: date = date(2024, 3, 1)) -> dict[str, str]:
    """One article as the contract's input shape (id, text, published, title, outlet)."""
    published = start + timedelta(days=i % 300)
    paragraphs = []
    for template in rng.sample(TEMPLATES, 4):
        speaker = rng.choice(SPEAKERS)
        paragraphs.append(template.format(
            weapon=rng.choice(WEAPONS), target=rng.choice(TARGETS), place=rng.choice(PLACES),
            place2=rng.choice(PLACES), n1=rng.choice(NUMBERS), n2=rng.choice(NUMBERS),
            n3=rng.choice(NUMBERS), day=rng.choice(DAYS), speaker=speaker,
            speaker_cap=speaker[0].upper() + speaker[1:],
        ))
    title = paragraphs[0].split(",")[0][:80]
    return {
        "id": f"gen-{i}",
        "title": title,
        "outlet": f"Outlet {i % 7}",
        "published": published.isoformat(),
        "text": f"Report {i} from the front\n\n" + "\n\n".join(paragraphs),
    }


def syndicated_copy(article: dict[str, str], outlet: str) -> dict[str, str]:
    """Another outlet's copy: its own header and footer, a changed headline."""
    body = article["text"].split("\n\n", 1)[1]
    return {
        **article,
        "id": article["id"] + "-copy-" + outlet.replace(" ", "-").lower(),
        "outlet": outlet,
        "title": "Updated: " + article["title"],
        "text": f"{outlet} | World news\n\n{body}\n\nMore from {outlet}: subscribe for updates.",
    }


def write_corpus(path: Path, n: int, seed: int = 7, copy_every: int = 10) -> list[dict[str, str]]:
    """Write ``n`` articles (every ``copy_every``-th followed by a copy) as JSON Lines."""
    rng = random.Random(seed)
    rows: list[dict[str, str]] = []
    for i in range(n):
        art = make_article(i, rng)
        rows.append(art)
        if copy_every and i % copy_every == 0:
            rows.append(syndicated_copy(art, "Example Herald"))
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row) + "\n")
    return rows
