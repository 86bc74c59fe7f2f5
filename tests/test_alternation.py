"""The trie alternation matches what the plain longest-first alternation matches."""

from __future__ import annotations

import re

import pytest

from sitrep.extract.alternation import literal_alternation

STEMS = ["don", "donetsk", "donbas", "kharkiv", "kherson", "kh", "zaporizhzhia", "zap", "lviv"]


def _plain(words: list[str]) -> str:
    return "(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + ")"


TEXTS = [
    "Shelling hit the Donetsk region and the Kharkiv region overnight.",
    "Troops left Kherson and Zaporizhzhia regions; Lviv was quiet.",
    "The Donetskiy region, the Don region and the Donbas.",
]
SHAPES = [
    # a stem, a word's ending, then a region word; or a stem on its own
    r"\b(?P<stem>{alt})\w*\s+regions?\b|\b(?P<alone>{alt})\b",
    # "ets" after the stem: at "Donetsk" the longer stem leaves no "ets", so the engine
    # must fall back to "don", in the same order in both forms
    r"\b(?P<stem>{alt})ets",
]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("text", TEXTS)
def test_trie_matches_like_longest_first(shape: str, text: str) -> None:
    plain = re.compile(shape.format(alt=_plain(STEMS)), re.IGNORECASE)
    trie = re.compile(shape.format(alt=literal_alternation(STEMS)), re.IGNORECASE)
    found = [(m.span(), m.groupdict()) for m in trie.finditer(text)]
    assert found == [(m.span(), m.groupdict()) for m in plain.finditer(text)]


def test_backtracks_to_the_shorter_word() -> None:
    m = re.search(r"(?P<stem>" + literal_alternation(STEMS) + ")ets", "Donetsk", re.IGNORECASE)
    assert m is not None and m.group("stem") == "Don"


@pytest.mark.parametrize(
    ("words", "text", "expected"),
    [
        (["kyiv", "kyivska"], "Kyivska oblast", "Kyivska"),
        (["a.b", "ab"], "a.b and axb", "a.b"),  # regex characters are literal
        (["odesa"], "Odessa", None),
    ],
)
def test_longest_literal_wins(words: list[str], text: str, expected: str | None) -> None:
    m = re.match(literal_alternation(words), text, re.IGNORECASE)
    assert (m.group() if m else None) == expected
