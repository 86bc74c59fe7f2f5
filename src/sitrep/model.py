"""Records shared by every stage of sitrep.

Every stage (sources, extract, store, analyse, serve/export) imports these and nothing
from the stages after it. Offsets are character offsets into ``Article.text``.

Example:
    >>> q = Quantity(text="30", start=0, end=2, low=30, high=30, best=30,
    ...              approx="exact", rule="num.exact")
    >>> q.as_dict()["best"]
    30
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any

SCHEMA_VERSION = 1

KINDS = (
    "killed",
    "wounded",
    "casualties",
    "captured",
    "missing",
    "displaced",
    "detained",
    "troops",
    "equipment",
    "money",
    "other",
)
#: Kinds that count people harmed or held, whose losses a claim's subject says.
PEOPLE_KINDS = frozenset(
    {"killed", "wounded", "casualties", "captured", "missing", "displaced", "detained"}
)
#: Kinds that count people a doer harmed or holds (not those who fled): their doer's
#: adversary's losses.
VICTIM_KINDS = PEOPLE_KINDS - {"displaced"}
#: Kinds that count a side's losses of people (not those it holds or who fled).
LOSS_KINDS = frozenset({"killed", "wounded", "casualties", "missing"})
#: Kinds that count what a party holds, sends or receives.
HELD_KINDS = frozenset({"troops", "equipment", "money"})
#: The kind rule of a count of attacks said as "N times" ("shelled 44 times"): the rules'
#: kind other stands, since the learned kind head never saw such counts.
ATTACK_COUNT_RULE = "kind.attacks:times"
#: The quantity rule of a count of nobody ("No one was hurt"): 0 exactly.
ZERO_RULE = "num.zero"
#: Kind rules whose kind other the learned kind head leaves alone: counts it never saw as
#: such (attacks said as "N times", animals killed: "20 sheep were killed").
RULES_KEPT_FROM_HEAD = (ATTACK_COUNT_RULE, "kind.animals:")
APPROX = ("exact", "about", "at_least", "at_most", "vague", "range")
#: A claim's scope (annotations/GUIDE.md section 5): one incident, a stated period, or a
#: running total.
SCOPES = ("incident", "period", "total")


class _Record:
    """Mixin: a dataclass that turns into the contract's JSON shape."""

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            out[f.name] = _jsonable(value)
        return out


def _jsonable(value: Any) -> Any:
    if isinstance(value, _Record):
        return value.as_dict()
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, date):
        return value.isoformat()
    return value


@dataclass
class Article(_Record):
    """One news article as read by a source."""

    id: str
    text: str
    published: date | None = None
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    wire: str | None = None
    #: Where a store's events of the weeks before ``published`` happened, as it stood when
    #: this article was read: (ISO 3166-2 code, distinct stories) pairs, most first
    #: (``Store.recent_regions``; empty outside a store). It chooses between namesakes that
    #: nothing in the text tells apart (``sitrep.extract.places.choose``).
    recent_regions: tuple[tuple[str, int], ...] = ()

    @property
    def key(self) -> str:
        """The article's identity: a hash of its normalised text (see ``text_key``).

        Kept on the article with the text it hashes (an ingest asks for it a dozen times
        between reading the article and saving it), and computed again if the text is
        replaced.
        """
        kept = self.__dict__.get("_key")
        if kept is not None and kept[0] is self.text:
            return str(kept[1])
        key = text_key(self.text)
        self.__dict__["_key"] = (self.text, key)
        return key



def speaker_entity(row: Any) -> str | None:
    """Who a stored claim or statement says spoke, as people read it: the entity its mention
    stood for when the mention was a pronoun or a short form ("It" → "Russia's defence
    ministry"), else the mention itself; None for narration. The mention stays the evidence.

    Example:
        >>> speaker_entity({"speaker_text": "It", "speaker_antecedent": "the UN"})
        'the UN'
        >>> speaker_entity({"speaker_text": "Ukraine's navy", "speaker_antecedent": None})
        "Ukraine's navy"
    """
    return row.get("speaker_antecedent") or row.get("speaker_text") or None



@functools.lru_cache(maxsize=512)
def text_key(text: str) -> str:
    """SHA-256 of the text after Unicode NFKC, case folding and whitespace collapsing.

    Re-ingesting the same story (re-wrapped, re-spaced, re-encoded) gives the same key. Cached
    for the latest texts: an ingest asks for an article's key several times between reading
    it and saving it (normalising a long text costs about a millisecond).

    Example:
        >>> text_key("Two  soldiers\\nkilled.") == text_key("two soldiers killed.")
        True
    """
    # str.split() splits at exactly the characters ``\s`` matches and drops them at both
    # ends: the same key as collapsing with a regular expression and stripping, at a
    # quarter of its cost (a key is computed for every article the ingesting process reads).
    norm = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


@dataclass
class Span(_Record):
    """A stretch of article text."""

    text: str
    start: int
    end: int


@dataclass
class Quantity(_Record):
    """A number in the text read as an honest interval.

    ``low``/``high`` are the literal interval (None = open end); ``best`` the
    conservative point value; ``rule`` the id of the rule that read it.
    """

    text: str
    start: int
    end: int
    low: float | None
    high: float | None
    best: float | None
    approx: str
    rule: str
    kind: str = "other"
    unit: str | None = None
    currency: str | None = None
    kind_rule: str = ""


@dataclass
class Speaker(_Record):
    text: str
    start: int
    end: int
    name: str | None = None
    role: str | None = None
    anonymous: bool = False
    country: str | None = None
    side: str | None = None
    antecedent: dict[str, Any] | None = None  # first mention this one points back to


@dataclass
class Actor(_Record):
    """A mention of a party (state, force, group, civilians) normalised to a country.

    As a claim's subject, ``side`` is the party whose losses the count is (set for people
    harmed or held): the subject's own country, or, for nationals of a country not at war
    there ("30 Americans were killed in Israel"), the party on whose side they fell."""

    text: str
    start: int
    end: int
    actor: str
    country: str | None = None
    side: str | None = None


@dataclass
class Place(_Record):
    text: str
    start: int
    end: int
    name: str
    country: str | None = None
    admin1: str | None = None
    iso3166_2: str | None = None
    lat: float | None = None
    lon: float | None = None
    precision: str = "country"  # point, city, admin1, country
    reason: str = ""  # how the geocoder chose it (namesakes, context, the war's front)


@dataclass
class TimeSpan(_Record):
    text: str
    start: int
    end: int
    date_start: date | None
    date_end: date | None
    precision: str  # day, week, month, year


@dataclass
class Statement(_Record):
    id: str
    speaker: Speaker | None
    cue: Span | None
    quote: str | None  # direct, indirect, None
    content: dict[str, int]  # {"start", "end"}
    hedges: list[str] = field(default_factory=list)
    rule: str = ""
    reasons: dict[str, str] = field(default_factory=dict)


@dataclass
class Claim(_Record):
    id: str
    start: int
    end: int
    quantity: Quantity
    speaker: Speaker | None = None
    cue: Span | None = None
    quote: str | None = None
    hedges: list[str] = field(default_factory=list)
    subject: Actor | None = None
    place: Place | None = None
    time: TimeSpan | None = None
    said_on: date | None = None
    evidence: list[dict[str, int]] = field(default_factory=list)
    statement: str | None = None
    reasons: dict[str, str] = field(default_factory=dict)
    scope: str | None = None  # one of SCOPES; reasons["scope"] says which cue decided


@dataclass
class Event(_Record):
    id: str
    type: str
    date_start: date | None
    date_end: date | None
    date_precision: str | None
    country: str | None
    admin1: str | None
    location: str | None
    lat: float | None
    lon: float | None
    where_precision: str | None
    side_a: str | None
    side_b: str | None
    killed: dict[str, float | None] | None = None
    wounded: dict[str, float | None] | None = None
    captured: dict[str, float | None] | None = None
    missing: dict[str, float | None] | None = None
    claims: list[str] = field(default_factory=list)
    iso3166_2: str | None = None
