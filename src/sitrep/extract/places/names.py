"""Name keys: ASCII folding, the lookup key and the transliteration-blind skeleton
that lets "Lutugyne" meet "Lutuhyne".

Part of ``sitrep.extract.places`` (see its docstring).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# --------------------------------------------------------------------------- normalising

_APOSTROPHES = dict.fromkeys(map(ord, "'’‘`ʼʹ′´"), None)
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_COMBINING = re.compile(r"[\u0300-\u036f]+")
_LATIN_OK = re.compile(r"^[A-Za-z0-9 .,'’‘`ʼ()\-]+$")
_NOT_LATIN = re.compile(r"[^\x00-\u024f\u1e00-\u1eff’‘ʼʹ′]")


def _ascii_fold(text: str) -> str:
    """Drop accents: "Ḩalab" -> "Halab" (other scripts are left as they are)."""
    if text.isascii():
        return text
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text))


@lru_cache(maxsize=8192)  # every n-gram at every capital of every paragraph asks for one
def _key(text: str) -> str:
    """Lower-case, accent-free, apostrophe-free, hyphens and dots as spaces: the lookup key."""
    t = _ascii_fold(text).lower().translate(_APOSTROPHES)
    return _NON_ALNUM.sub(" ", t).strip()


_SKELETON_SUBS = (
    ("shch", "s"),
    ("sch", "s"),
    ("tch", "c"),
    ("kh", "h"),
    ("zh", "z"),
    ("ch", "c"),
    ("ts", "c"),
    ("tz", "c"),
    ("sh", "s"),
    ("ck", "k"),
    ("g", "h"),
    ("w", "v"),
    ("x", "ks"),
    ("q", "k"),
    ("j", "y"),
)


_VOWELS = re.compile(r"[aeiouy]")
_DOUBLED = re.compile(r"(.)\1+")


def _skeleton(key: str) -> str:
    """A transliteration-blind form: Russian/Ukrainian spellings of one name meet here.

    Consonants only (kh/h/g fold together, zh/z, ts/c ...), doubled letters once, "a" for a
    leading vowel, plus "+" when the word ends in a vowel: "Komsomolskoye" and
    "Komsomol's'ke" -> "kmsmlsk+", "Lutugino" and "Lutuhyne" -> "lthn+", "Maryinka" and
    "Marinka" -> "mrnk+".
    """
    s = key.replace(" ", "")
    if not s:
        return ""
    for a, b in _SKELETON_SUBS:
        s = s.replace(a, b)
    ends_vowel = s[-1] in "aeiouy"
    head = "a" if s[0] in "aeiouy" else ""
    cons = _VOWELS.sub("", s)
    cons = _DOUBLED.sub(r"\1", cons)
    return head + cons + ("+" if ends_vowel else "")
