"""An office and a name that news gives in turn for one speaker (``role_then_name``): "...,
the regional governor said. The shelling hit a bus stop, the governor for the area, Pavlo
Kyrylenko, wrote on Telegram", "The mayor of the besieged city of Mariupol alleged that ...
\\n\\n "...," Vadym Boichenko told Ukrainian TV". The office comes first, unnamed, and the very
next statement, in its paragraph or the next, is a named person of that office or of none.
The entity is the name (annotation guide, section 4: the article's fullest mention; a name
is what a reader can find the speaker by, "the region's governor" is not), and where the two
were not one speaker after all, the named person's own claims are still right.
"""

from __future__ import annotations

from functools import lru_cache

from sitrep.extract.lexicon import load_data
from sitrep.model import Speaker


@lru_cache(maxsize=1)
def _office_heads() -> frozenset[str]:
    return frozenset(load_data("speakers.json")["office_heads"])


def role_then_name(
    office: Speaker, office_head: str | None, named: Speaker, named_head: str | None
) -> bool:
    """Whether ``named`` (the next statement's speaker) names the one who held ``office``
    (the statement's before it).

    Example:
        >>> office = Speaker(text="the regional governor", start=0, end=21,
        ...                  role="regional governor")
        >>> named = Speaker(text="Oleh Syniehubov", start=60, end=75, name="Oleh Syniehubov")
        >>> role_then_name(office, "governor", named, "syniehubov")
        True
    """
    if office_head not in _office_heads() or office.anonymous:
        return False
    if office.name and not _of_place(office.text, office.name):
        return False  # the office holder is named already
    if office.antecedent or named.antecedent or not named.name:
        return False  # each already points to a mention of its own
    if len(named.name.split()) < 2 or office.text.split()[0].lower() in _INDEFINITE:
        return False  # "Klymenko" is the short name of someone named before
    if office.text.endswith("s") and not office.text.endswith(("'s", "\u2019s")):
        return False  # "officials" are many
    # "the mayor ..." then "the defence minister, Oleksii Reznikov": another office.
    return not (named.role and named_head != office_head
                and office_head not in named.role.lower())


def _of_place(text: str, name: str) -> bool:
    """Whether a one-word "name" is where the office is ("the governor of the Kherson
    region": the tagger took the place for a person)."""
    at = text.find(name)
    return " " not in name and at > 0 and " of " in text[:at]


_INDEFINITE = frozenset({"a", "an", "one", "some", "another", "two", "three"})
