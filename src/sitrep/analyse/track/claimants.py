"""Who a series line belongs to: the claimant of a claim (an institution, a named
speaker, a side), from ``claimants.json``."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from sitrep.extract.lexicon import load_data


@cache
def claimant_data() -> dict[str, Any]:
    """``sitrep/analyse/data/claimants.json`` (or the file of that name in $SITREP_DATA_DIR).

    Example:
        >>> "defence ministry" in [i["org"] for i in claimant_data()["institutions"]]
        True
    """
    override = os.environ.get("SITREP_DATA_DIR")
    if override and (Path(override) / "claimants.json").is_file():
        text = (Path(override) / "claimants.json").read_text(encoding="utf-8")
    else:
        text = (
            resources.files("sitrep.analyse")
            .joinpath("data", "claimants.json")
            .read_text(encoding="utf-8")
        )
    data: dict[str, Any] = json.loads(text)
    return data


@cache
def _institution_patterns() -> list[tuple[re.Pattern[str], str, int]]:
    out = []
    for entry in claimant_data()["institutions"]:
        for pattern in entry["patterns"]:
            norm = _norm(pattern)
            out.append((re.compile(rf"(?<!\w){re.escape(norm)}(?!\w)"), entry["org"], len(norm)))
    return out


@cache
def _cumulative_re() -> re.Pattern[str]:
    cues = sorted(load_data("events.json")["cumulative_cues"], key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(c) for c in cues) + r")\b", re.IGNORECASE)


_NON_WORD = re.compile(r"[^\w']+")


def _norm(text: str | None) -> str:
    """Lower case, "defense" read as "defence", punctuation as spaces."""
    if not text:
        return ""
    low = text.lower().replace("’", "'").replace("defense", "defence")
    return _NON_WORD.sub(" ", low).strip()


def institution_of(text: str | None) -> str | None:
    """The institution a speaker's role or text names (the longest pattern wins), or None.

    Example:
        >>> institution_of("Russia's Defense Ministry")
        'defence ministry'
        >>> institution_of("General Staff of the Armed Forces of Ukraine")
        'general staff'
        >>> institution_of("regional governor") is None
        True
    """
    norm = _norm(text)
    if not norm:
        return None
    best: tuple[int, str] | None = None
    for regex, org, size in _institution_patterns():
        if (best is None or size > best[0]) and regex.search(norm):
            best = (size, org)
    return None if best is None else best[1]


# ------------------------------------------------------------------------------ series keys


@dataclass(frozen=True)
class Claimant:
    """Who stands behind a line of estimates: a stable ``key``, a ``label`` and its ``type``
    (narration, anonymous, institution, person, other) and country."""

    key: str
    label: str
    type: str
    country: str | None


def claimant_of(row: Mapping[str, Any]) -> Claimant:
    """The claimant of a stored claim (see the module's docstring).

    Example:
        >>> claimant_of({"speaker_text": "Russia's defence ministry",
        ...              "speaker_role": "Russia's defence ministry", "speaker_country": "RU"})
        Claimant(key='org:RU:defence ministry', label='RU defence ministry', type='institution', country='RU')
        >>> claimant_of({"speaker_text": "a senior U.S. military official",
        ...              "speaker_anonymous": True, "speaker_country": "US"}).label
        'US officials (anonymous)'
        >>> claimant_of({"speaker_text": None, "outlet": "The Moscow Times", "wire": "AFP"}).label
        'AFP'
    """  # noqa: E501
    return _claimant(
        row.get("speaker_text"),
        row.get("speaker_name"),
        row.get("speaker_role"),
        row.get("speaker_antecedent"),
        bool(row.get("speaker_anonymous")),
        str(row["speaker_country"]).upper() if row.get("speaker_country") else None,
        row.get("wire") or row.get("outlet"),
    )


@lru_cache(maxsize=65536)
def _claimant(
    text: str | None,
    name: str | None,
    role: str | None,
    antecedent: str | None,
    anonymous: bool,
    country: str | None,
    outlet: str | None,
) -> Claimant:
    if not (text or name or role):
        label = outlet or "unknown outlet"
        return Claimant(f"outlet:{_norm(label)}", label, "narration", None)
    org = institution_of(role) or institution_of(text) or institution_of(antecedent)
    words = set(_norm(" ".join(str(v) for v in (role, text, antecedent) if v)).split())
    people = bool(words & set(claimant_data()["person_nouns"]))
    if not name and (people or (anonymous and org is None)):
        if country:
            return Claimant(
                f"anon:{country}", f"{country} officials (anonymous)", "anonymous", country
            )
        if org:
            return Claimant(
                f"anon:org:{_norm(org)}", f"{org} officials (anonymous)", "anonymous", None
            )
        via = outlet or "unknown outlet"
        return Claimant(
            f"anon:via:{_norm(via)}", f"anonymous sources (via {via})", "anonymous", None
        )
    if org:
        proper = org[:1].isupper()
        label = org if proper or not country else f"{country} {org}"
        key = f"org:{'-' if proper else country or '-'}:{_norm(org)}"
        return Claimant(key, label, "institution", None if proper else country)
    if name:
        return Claimant(f"person:{_norm(name)}", str(name), "person", country)
    label = str(role or text)
    return Claimant(f"other:{country or '-'}:{_norm(label)}", label, "other", country)


# ------------------------------------------------------------------------------ aggregation
