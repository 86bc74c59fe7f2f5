"""The actor tables compiled from ``actors.json``: aliases, demonyms, country names, group
nouns, matched by a spaCy PhraseMatcher per vocabulary."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pycountry
import spacy
from spacy.matcher import PhraseMatcher
from spacy.vocab import Vocab

from sitrep.extract.lexicon import load_data

_DATA_FILE = "actors.json"
_POSS = frozenset({"'s", "’s", "'", "’"})
_ADVERSARY = "adversary"  # actor id of "the enemy" before it is resolved


@dataclass(frozen=True)
class _Entry:
    actor: str
    country: str | None
    kind: str  # alias, leader, country, demonym, plural, block
    exact: str | None = None  # text must equal this (match_case)
    context: tuple[str, ...] = ()
    determiner: str | None = None
    max_modifiers: int = 0
    extend: bool = False  # a following group noun ("forces") makes it CC:<group>
    person_ambiguous: bool = False


@dataclass(frozen=True)
class _Tables:
    matcher: PhraseMatcher
    entries: dict[int, tuple[_Entry, ...]]
    groups: dict[tuple[str, ...], str]
    max_group_len: int
    modifier_suffixes: frozenset[str]
    negating_prefixes: frozenset[str]


def _plural(demonym: str) -> str | None:
    """Regular plural of a demonym ("Syrian" -> "Syrians", "Israeli" -> "Israelis")."""
    last = demonym.split()[-1]
    if last.endswith(("an", "i")) and not last.endswith("ese"):
        return demonym + "s"
    return None


def _country_names() -> list[tuple[str, str]]:
    """(name, alpha-2) from pycountry: name, common and official names without commas."""
    out: list[tuple[str, str]] = []
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            name = getattr(c, attr, None)
            if name and "," not in name:
                out.append((name, c.alpha_2))
    return out


def _extendable(entry: _Entry) -> bool:
    if entry.country is None:
        return False
    if entry.extend or entry.kind in ("country", "demonym"):
        return True
    return entry.actor.endswith((":state", ":government"))


@lru_cache(maxsize=8)
def _tables(vocab: Vocab) -> _Tables:
    """Build the PhraseMatcher and its entries once per vocab."""
    data: dict[str, Any] = load_data(_DATA_FILE)
    tokenizer = spacy.blank("en", vocab=vocab).tokenizer
    by_key: dict[str, list[_Entry]] = {}
    surface: dict[str, str] = {}

    def add(alias: str, entry: _Entry) -> None:
        key = alias.lower()
        by_key.setdefault(key, []).append(entry)
        surface.setdefault(key, alias)

    for a in data["aliases"]:
        add(
            a["alias"],
            _Entry(
                actor=a["actor"],
                country=a.get("country"),
                kind="alias",
                exact=a["alias"] if a.get("match_case") else None,
                context=tuple(w.lower() for w in a.get("context", ())),
                determiner=a.get("determiner"),
                max_modifiers=int(a.get("max_modifiers", 0)),
                extend=bool(a.get("extend", False)),
            ),
        )
    for phrase in data["blockers"]:  # "New Jersey", "The Moscow Times": not a party
        add(phrase, _Entry(actor="", country=None, kind="block"))
    for leader, cc in data["leaders"].items():
        for noun in data["leader_nouns"]:
            for form in (f"{leader}'s {noun}", f"the {leader} {noun}", f"{leader} {noun}"):
                add(form, _Entry(actor=f"{cc}:government", country=cc, kind="leader"))
    ambiguous = {w.lower() for w in data["person_ambiguous"]}
    match_case = set(data["match_case_names"])
    names = list(data["country_names"].items()) + _country_names()
    for name, cc in names:
        add(
            name,
            _Entry(
                actor=f"{cc}:state",
                country=cc,
                kind="country",
                exact=name if name in match_case else None,
                person_ambiguous=name.lower() in ambiguous,
            ),
        )
    for name in match_case:  # "UK", "DRC", "UAE" only in capitals
        cc = data["country_names"].get(name) or data["country_names"].get("the " + name)
        if cc:
            add(name, _Entry(actor=f"{cc}:state", country=cc, kind="country", exact=name))
    for dem, cc in data["demonyms"].items():
        add(dem, _Entry(actor=f"{cc}:state", country=cc, kind="demonym", exact=None))
        plural = _plural(dem)
        if plural:
            add(plural, _Entry(actor=f"{cc}:people", country=cc, kind="plural"))
    for plural, cc in data["demonym_plurals"].items():
        add(plural, _Entry(actor=f"{cc}:people", country=cc, kind="plural"))

    matcher = PhraseMatcher(vocab, attr="LOWER")
    entries: dict[int, tuple[_Entry, ...]] = {}
    for key, ents in by_key.items():
        match_key = "sitrep.actor:" + key
        matcher.add(match_key, [tokenizer(surface[key])])
        entries[vocab.strings[match_key]] = tuple(ents)

    groups: dict[tuple[str, ...], str] = {}
    for suffix, words in data["group_nouns"].items():
        for w in words:
            groups.setdefault(tuple(t.lower_ for t in tokenizer(w)), suffix)
    return _Tables(
        matcher=matcher,
        entries=entries,
        groups=groups,
        max_group_len=max(len(k) for k in groups),
        modifier_suffixes=frozenset(w.lower() for w in data["modifier_suffixes"]),
        negating_prefixes=frozenset(w.lower() for w in data["negating_prefixes"]),
    )
