"""Cyrillic place names in Latin letters, by a fixed rule (``data/cyrillic_latin.json``).

The gazetteer's build (``scripts/build_gazetteer.py``) gives every Russian or Ukrainian form
of a name the Latin spellings news use: Ukrainian by the national system of 2010, Russian by
BGN/PCGN without diacritics. A name with letters only Ukrainian has (і ї є ґ) is read as
Ukrainian, one with letters only Russian has (ы э ъ ё) as Russian, any other both ways.

Example:
    >>> latin_forms("Піски")
    ['Pisky']
    >>> latin_forms("Пески")
    ['Pesky', 'Peski']
    >>> latin_forms("Новокатериновка")
    ['Novokaterynovka', 'Novokaterinovka']
    >>> latin_forms("Авдеевка")
    ['Avdeevka', 'Avdeyevka']
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sitrep.extract.lexicon import load_data


@cache
def _table() -> dict[str, Any]:
    data: dict[str, Any] = load_data("cyrillic_latin.json")
    return data


def _is_cyrillic(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


def has_cyrillic(text: str) -> bool:
    """Whether ``text`` holds a Cyrillic letter.

    Example:
        >>> has_cyrillic("Суджа"), has_cyrillic("Sudzha")
        (True, False)
    """
    return any(_is_cyrillic(ch) for ch in text)


def transliterate(text: str, language: str) -> str:
    """``text`` in Latin letters by the ``language``'s rule ("ukrainian" or "russian").

    Letters keep their case (the first letter of a capitalised word stays capital); what is
    not Cyrillic is kept as it is.

    Example:
        >>> transliterate("Харків", "ukrainian"), transliterate("Харьков", "russian")
        ('Kharkiv', 'Kharkov')
        >>> transliterate("Ясинувата", "ukrainian")
        'Yasynuvata'
    """
    rule = _table()[language]
    letters: dict[str, str] = rule["letters"]
    initial: dict[str, str] = rule.get("initial", {})
    after_vowel: dict[str, str] = rule.get("after_vowel", {})
    after_sign: dict[str, str] = rule.get("after_sign", {})
    vowels = set(_table()["vowels"].lower())
    out: list[str] = []
    prev = ""
    for ch in text:
        low = ch.lower()
        if not _is_cyrillic(ch) and low not in letters:
            out.append(ch)
            prev = ""
            continue
        word_start = prev == ""
        if word_start and low in initial:
            latin = initial[low]
        elif prev in vowels and low in after_vowel:
            latin = after_vowel[low]
        elif prev in ("ь", "ъ") and low in after_sign:
            latin = after_sign[low]
        else:
            latin = letters.get(low, "")
        if ch != low and latin:
            latin = latin[0].upper() + latin[1:]
        out.append(latin)
        prev = low
    return "".join(out)


def latin_forms(name: str) -> list[str]:
    """The Latin spellings of a Cyrillic name: Ukrainian and/or Russian reading (deduplicated).

    Example:
        >>> latin_forms("Бахмут")
        ['Bakhmut']
        >>> latin_forms("Kursk")
        []
    """
    if not has_cyrillic(name):
        return []
    low = name.lower()
    uk_marks, ru_marks = _table()["ukrainian"]["marks"], _table()["russian"]["marks"]
    langs: list[str] = []
    if not any(ch in ru_marks for ch in low):
        langs.append("ukrainian")
    if not any(ch in uk_marks for ch in low):
        langs.append("russian")
    forms = [transliterate(name, lang) for lang in langs]
    return [f for f in dict.fromkeys(forms) if f and not has_cyrillic(f)]
