"""Speakers described (name, role, anonymous, country) and resolved across the article: a
definite, pronoun, short-name or acronym speaker points back to the earlier, fuller mention
that agrees with it (``_resolve_coreference``)."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import replace
from functools import lru_cache
from itertools import accumulate
from typing import Any

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from sitrep.extract.attribution import Attribution
from sitrep.extract.claims.mentions import (
    DETERMINERS,
    PRONOUNS,
    Mention,
    _agreement_data,
    _speaker_data,
    initials,
)
from sitrep.extract.claims.owners import document_heads, document_owner
from sitrep.extract.claims.statements import _event_heads, name_beside
from sitrep.extract.doctext import doc_text
from sitrep.extract.lexicon import load_data
from sitrep.extract.places import geocode
from sitrep.model import (
    Actor,
    Speaker,
)


def _describe_speaker(
    doc: Doc, att: Attribution, off: int, actors: list[Actor]
) -> tuple[Speaker, str | None]:
    """Speaker record for an attribution and its head lemma (for coreference)."""
    assert att.speaker is not None
    s0, s1 = att.speaker
    full = doc_text(doc)
    # "The International Atomic Energy Agency (IAEA" : a bracket the speaker opens, it closes.
    for opening, closing in (("(", ")"), ("[", "]")):
        phrase = full[s0:s1]
        if phrase.count(opening) > phrase.count(closing) and full[s1 : s1 + 1] == closing:
            s1 += 1
    span = doc.char_span(s0, s1, alignment_mode="expand")
    owner = document_owner(span) if span is not None else None
    if owner is not None and owner != (s0, s1):
        # "UN figures", "the statement by President Biden": who issued it is the speaker.
        return _describe_speaker(doc, replace(att, speaker=owner), off, actors)
    named = _appositive_name(span) if span is not None else None
    if named is not None:
        # "Cogat, the Israeli body that coordinates aid, says": the parse may give the
        # description as the speaker; the name it stands beside is who speaks, with the
        # country the description gives it.
        found, found_head = _describe_speaker(doc, replace(att, speaker=named), off, actors)
        if found.country is None:
            found.country = _country_within(actors, s0, s1)
        return found, found_head
    noun = _relative_antecedent(span) if span is not None else None
    if noun is not None:
        # "the National Olympic Committee, who said ...": the relative pronoun stands for
        # the noun phrase its clause hangs on, which is described in its place.
        inner, inner_head = _describe_speaker(doc, replace(att, speaker=noun), off, actors)
        pointer = {"text": inner.text, "start": inner.start, "end": inner.end}
        return replace(inner, text=full[s0:s1], start=s0 + off, end=s1 + off,
                       antecedent=pointer), inner_head
    people, _coref, anonymous_heads = _speaker_data()
    name = None
    role = None
    head_lemma = None
    country = None
    if span is not None:
        persons = [e for e in doc.ents if e.label_ == "PERSON" and e.start >= span.start
                   and e.end <= span.end]
        head = span.root
        head_lemma = head.lemma_.lower()
        # A name that only says whose the speaker is ("the Biden administration", "Mr
        # Vadaturskyi's company") is not the speaker's name.
        owners = [e for e in persons if _owner_name(e, head)]
        persons = [e for e in persons if e not in owners]
        if persons:
            name_span = max(persons, key=len)
            name = name_span.text.removesuffix("'s").removesuffix("\u2019s")
        elif (head.pos_ == "PROPN" and head.text[:1].isupper()
              and head.ent_type_ not in {"GPE", "ORG", "NORP", "LOC"}):
            # A lower-case head the tagger took for a proper noun ("The Russian defence
            # ministry") names no one.
            name = _propn_run(span, head)
        # "Kyiv said", "Moscow denied": the capital speaks for its state (a word the tagger
        # did not take for a person's name).
        seat = name if name is not None and not persons and _place_name(name, people) else None
        if seat is not None:
            name = None
        role_tokens = [
            t for t in span
            if not (name and t.idx >= s0 and name_span_contains(span, name, t))
            and t.lower_ not in DETERMINERS and not t.is_punct
        ]
        if role_tokens:
            role = full[role_tokens[0].idx : role_tokens[-1].idx + len(role_tokens[-1])]
            if head_lemma in PRONOUNS:
                role = None
        country = _country_within(actors, s0, s1)
        if country is None and name:
            key = name.lower()
            country = people.get(key) or people.get(key.split()[-1])
        elif country is None and len(span) == 1:  # "Zelenskiy" the tagger took for a place
            country = people.get(span.text.lower())
        if country is None and owners:  # "President Zelensky's office"
            key = owners[0].text.lower().removesuffix("'s").removesuffix("\u2019s")
            country = people.get(key.split()[-1])
        if country is None and seat is not None:
            geo = geocode(seat)
            country = geo.country if geo is not None else None
    text = full[s0:s1]
    anonymous = name is None and head_lemma is not None and (
        head_lemma in anonymous_heads or text.lower() in anonymous_heads
    )
    speaker = Speaker(
        text=text,
        start=s0 + off,
        end=s1 + off,
        name=name,
        role=role,
        anonymous=anonymous,
        country=country,
    )
    return speaker, head_lemma


def _relative_antecedent(span: SpacySpan) -> tuple[int, int] | None:
    """The noun phrase a relative pronoun speaker stands for ("who", "which", "that" opening
    a relative clause), without that clause; None for any other speaker."""
    if len(span) != 1 or span[0].lower_ not in {"who", "which", "that"}:
        return None
    clause = span[0].head
    noun = clause.head
    if clause.dep_ != "relcl" or noun.i == clause.i or noun.pos_ not in {"NOUN", "PROPN"}:
        return None
    toks = [t for t in noun.subtree if not (clause.left_edge.i <= t.i <= clause.right_edge.i)]
    while toks and toks[-1].is_punct:
        toks.pop()
    if not toks:
        return None
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def _owner_name(ent: SpacySpan, head: Token) -> bool:
    """Whether the person's name ``ent`` only modifies a common-noun head ("the Biden
    administration", "Mr Vadaturskyi's company"), not names the speaker ("the defence
    minister, Oleksii Reznikov", whose name is an apposition)."""
    if head.pos_ != "NOUN" or ent.start <= head.i < ent.end:
        return False
    root = ent.root
    return root.head.i == head.i and root.dep_ in {"poss", "compound", "nmod", "amod"}


def _place_name(name: str, people: dict[str, str]) -> bool:
    """A lone word that is a country or a large city and no public figure's surname."""
    if " " in name or name.lower() in people:
        return False
    geo = geocode(name)
    return geo is not None and (geo.precision == "country" or geo.population >= _CITY)


#: The population above which a city named alone as a speaker is its state's seat.
_CITY = 100_000


def name_span_contains(span: SpacySpan, name: str, tok: object) -> bool:
    """Whether token ``tok`` is part of the name ``name`` within ``span``."""
    start = span.text.find(name)
    if start < 0:
        return False
    begin = span.start_char + start
    idx = tok.idx  # type: ignore[attr-defined]
    return begin <= idx < begin + len(name)


def _propn_run(span: SpacySpan, head: object) -> str:
    """The proper-noun run around the head ("Syrsky", "Oleksandr Syrsky")."""
    toks = [t for t in span if t.pos_ == "PROPN"]
    hi = head.i  # type: ignore[attr-defined]
    run = [t for t in toks if abs(t.i - hi) <= 3]
    if not run:
        return str(head)
    return doc_text(span.doc)[run[0].idx : run[-1].idx + len(run[-1])]


def _country_within(actors: list[Actor], start: int, end: int) -> str | None:
    """The country of the first actor with one between the character offsets."""
    return next((a.country for a in actors
                 if a.start >= start and a.end <= end and a.country), None)


def _appositive_name(span: SpacySpan) -> tuple[int, int] | None:
    """The character bounds of the name a description stands in apposition to, when the
    description comes after it ("Cogat, the Israeli body"); None otherwise.

    Example:
        >>> import spacy
        >>> _appositive_name(spacy.blank("en")("the body")[:]) is None
        True
    """
    head = name_beside(span.root)
    if head is None or head.i >= span.start:
        return None
    doc = span.doc
    ent = next((e for e in doc.ents if e.start <= head.i < e.end), None)
    if ent is not None and ent.end <= span.start:
        return ent.start_char, ent.end_char
    first = head
    while first.i > 0 and doc[first.i - 1].dep_ == "compound" and \
            doc[first.i - 1].head.i == head.i:
        first = doc[first.i - 1]
    return first.idx, head.idx + len(head.text)


def _pointer(ante: Mention) -> dict[str, Any]:
    """The antecedent record of a mention: a speaker's own first mention when it has one."""
    if ante.speaker is not None and ante.speaker.antecedent:
        return ante.speaker.antecedent
    return {"text": ante.text, "start": ante.start, "end": ante.end}


@lru_cache(maxsize=1)
def _gender_words() -> tuple[frozenset[str], frozenset[str]]:
    speakers = load_data("speakers.json")
    return frozenset(speakers["male_words"]), frozenset(speakers["female_words"])


def _speaker_kind(sp: Speaker, head_lemma: str | None) -> str:
    """"person", "body" or "" (unknown) for an earlier speaker, by its head noun, else its
    name: "President Zelensky's office" and "the Hamas-run health ministry" are bodies
    though a name stands in them."""
    person_heads, body_heads, _titles = _agreement_data()
    people = _speaker_data()[0]
    if head_lemma in body_heads or head_lemma == "it":
        return "body"
    # "Zelenskiy" alone, which the tagger took for no person, is a public figure's surname.
    if sp.name or head_lemma in person_heads or head_lemma in {"he", "she"} or (
            head_lemma in people and " " not in sp.text.strip()):
        return "person"
    if head_lemma is None or head_lemma in PRONOUNS:
        return ""
    # A capitalised name that is not a person's ("Oxfam", "The Kremlin", "the IDF").
    words = sp.text.split()
    if words and words[0].lower() in {"the", "this"}:
        words = words[1:]
    return "body" if words and words[0][:1].isupper() and not sp.anonymous else ""


def _candidates(
    speaker: Speaker,
    earlier: list[tuple[Speaker, str | None]],
    mentions: list[Mention],
) -> list[Mention]:
    """Earlier speakers and mentions before ``speaker``, in text order; a mention inside an
    earlier speaker phrase is that speaker."""
    pool = [
        Mention(text=s.text, start=s.start, end=s.end, kind=_speaker_kind(s, h),
                subject=True, speaker=s, plural=_people_of_a_body(s, h))
        for s, h in earlier if s.end <= speaker.start
    ]
    # A mention lies inside an earlier speaker phrase when, of the phrases starting at or
    # before it, the furthest-reaching ends at or after it: one bisect per mention rather
    # than a scan of every phrase (mentions x speakers x speakers over an article).
    spans = sorted((m.start, m.end) for m in pool)
    starts = [a for a, _ in spans]
    reach = list(accumulate((b for _, b in spans), max))
    for m in mentions:
        if m.end > speaker.start:
            break
        k = bisect_right(starts, m.start)
        if k == 0 or reach[k - 1] < m.end:
            pool.append(m)
    pool.sort(key=lambda m: m.end)
    return pool


@lru_cache(maxsize=1)
def _body_people() -> frozenset[str]:
    return frozenset(load_data("speakers.json")["body_people"])


def _people_of_a_body(sp: Speaker, head_lemma: str | None) -> bool:
    """Whether an earlier speaker is a body's people ("WHO staff", ``speakers.json``
    ``body_people``) or owned through a pronoun ("its staff" points back itself): no
    antecedent of a later "it"."""
    words = sp.text.split()
    first = words[0].lower() if words else ""
    # a capitalised head inside the phrase is a body's name ("Ukraine's General Staff")
    named = any(w.lower() == head_lemma and w[:1].isupper() for w in words[1:])
    return (head_lemma in _body_people() and not named) or first in {"its", "their"}


def _name_tokens(name: str) -> list[str]:
    _person, _body, titles = _agreement_data()
    words = [w for w in name.replace("\u2019s", "").replace("'s", "").split()]
    return [w for w in words if w.lower() not in titles]


def _resolve_coreference(
    speaker: Speaker,
    head_lemma: str | None,
    earlier: list[tuple[Speaker, str | None]],
    mentions: list[Mention] | None = None,
    depth: int = 0,
) -> tuple[Speaker, str | None]:
    """Point a short-name, acronym, definite or pronoun speaker back at the article's earlier,
    fuller mention of the same entity; returns (speaker, reason).

    Candidates are the speakers and entity mentions before it, nearest first, and must
    agree with it: "he"/"she" a person, "it" a body, "the ministry" a mention holding
    "ministry" (and every other word of it), "Reznikov" or "Mr Biden" a longer name with
    that surname, "the IDF" the name written before "(IDF)".
    """
    _people, coref_heads, _anon = _speaker_data()
    low = speaker.text.lower()
    definite = low.startswith(("the ", "this "))
    if head_lemma is None:
        return speaker, None
    with_modifiers = _candidates(speaker, earlier, mentions or [])
    # Organisations named inside a noun phrase only stand behind "the charity" (below).
    pool = [m for m in with_modifiers if not m.nested]
    ante: Mention | None = None
    reason = None
    bare = speaker.text.split()
    if bare and bare[0].lower() in {"the", "this"}:
        bare = bare[1:]
    # "Gaza's health ministry", "the territory's health ministry": an owner's body is as
    # definite as "the health ministry", and the same words with more of them before it
    # ("Gaza's Hamas-run health ministry") name it in full.
    owner = _possessive_owner(bare) if speaker.name is None and head_lemma in coref_heads \
        else None
    if owner is not None:
        definite, bare = True, bare[1:]
    # A lone capitalised word the tagger did not take for a person ("Zelenskiy said") is a
    # surname when a fuller name ends with it; so is one after titles ("Rear Adm Hagari",
    # "Gen Syrsky"), which the tagger often leaves without a person too.
    titles = _title_words()
    lone_word = bare[-1] if bare and all(w.lower() in titles for w in bare[:-1]) else ""
    lone = (
        lone_word if speaker.name is None and lone_word.isalpha()
        and lone_word[:1].isupper() and not lone_word.isupper() and head_lemma not in PRONOUNS
        and not _place_name(lone_word, _people)
        else None
    )
    short = _name_tokens(speaker.name) if speaker.name else [lone or ""]
    # A one-word "name" that is no name ("U.S." left of "the U.S. President" once the
    # title is dropped) is looked up as the office or body it heads, below.
    if (speaker.name and not (len(short) == 1 and not _name_word(short[0]))) or lone:
        if len(short) == 1:
            surname = short[0].lower()
            later = [m for m in mentions or [] if m.start >= speaker.end]
            for m, where in [*((m, "first") for m in pool), *((m, "later") for m in later)]:
                # the first, fullest mention of the name; else one further on
                if _fuller_name(m, surname, strict=lone is not None):
                    ante = m
                    reason = f"short name: the article's {where} fuller mention of the name"
                    break
        if ante is None and len(short) == 1 and 2 <= len(short[0]) <= 6 and (
                short[0].isalpha() and short[0][:1].isupper()):
            # "Acled", "Unrwa": an acronym written as a word, after the name it stands
            # for in brackets ("... Event Data Project (Acled)").
            ante = _acronym_mention(pool, short[0].lower(), bracketed_only=True)
            if ante is not None:
                reason = f"acronym: the name written out with '{short[0]}'"
            elif short[0].isupper():
                # "WCK says ..." after "World Central Kitchen said": a name whose initials
                # spell it, as for an acronym the tagger did not take for a name
                ante = _spelt_by_initials(pool, short[0].lower())
                if ante is not None:
                    reason = f"acronym: the name whose initials spell '{short[0]}'"
    elif len(bare) == 1 and bare[0].isupper() and 2 <= len(bare[0]) <= 6 and bare[0].isalpha():
        acronym = bare[0].lower()
        ante = _acronym_mention(pool, acronym)
        if ante is not None:
            reason = f"acronym: the name written out with '{bare[0]}'"
        else:
            # "the UN" after "the United Nations": a name whose initials spell it.
            ante = _spelt_by_initials(pool, acronym)
            if ante is not None:
                reason = f"acronym: the name whose initials spell '{bare[0]}'"
    elif head_lemma in {"he", "she"}:
        male, female = _gender_words()
        other = female if head_lemma == "he" else male
        persons = [m for m in pool if m.speaker is not None and m.kind == "person"
                   and not _plain_words(m.text) & other]
        actors = [m for m in pool if m.kind == "person" and m.subject
                  and not _plain_words(m.text) & other]
        # "... was conceded by Zelenskiy in an interview. '...,' he said": a person who acts
        # right before the pronoun, after the latest speaker, is who "he" is.
        near = [m for m in actors if speaker.start - m.end <= _NEAR_CHARS
                and m.text.split()[-1][:1].isupper()  # a name, not "no soldier"
                and (not persons or m.start > persons[-1].end)]
        if near:
            persons = near
        elif not persons:
            persons = actors
        if persons:
            ante = persons[-1]
            reason = "pronoun: latest person before it"
    elif head_lemma == "they":
        named = [m for m in pool if m.speaker is not None
                 and (m.speaker.name or not m.speaker.anonymous)]
        if named:
            ante = named[-1]
            reason = "pronoun: latest named speaker before it"
    elif head_lemma == "it":
        # A plural ("18 Palestinians", "Hamas fighters") is "they", never "it"; a body a
        # subordinate clause names ("the bodies of hostages taken by Hamas, it said", "The
        # IDF believes Hamas commanders are hiding. It says") is what a statement tells
        # of, not who goes on speaking.
        bodies = [m for m in pool if m.kind == "body" and not m.plural and (
            m.speaker is not None or (m.subject and not m.embedded))]
        if bodies:
            ante = bodies[-1]
            reason = "pronoun 'it': latest organisation or country before it"
    elif definite and head_lemma in coref_heads:
        own = _plain_words(" ".join(bare))
        for k in range(len(pool) - 1, -1, -1):
            m = pool[k]
            if not own <= _plain_words(m.text):
                continue
            if m.text.split()[-1].lower().strip(",.;:") in _event_heads():
                continue  # "an Israeli military operation" is no fuller "Israeli military"
            if owner is not None and not _same_owner(owner, speaker, m):
                continue  # "Israel's health ministry" is not "the Hamas-run health ministry"
            # A fuller mention of the same body ends in the same word, or a name follows
            # it: "Israeli military positions" are no fuller "the Israeli military".
            same_head = bool(bare) and _heads_with(m.text, bare[-1].lower().strip(",.;:"))
            # A name right after the words ("the charity" "Médecins Sans Frontières",
            # "International food charity" "World Central Kitchen (WCK)", which the parse
            # cut in two) is who they are: looked for after a fuller mention too (it was
            # after a short one only before the acronym's names became mentions).
            after = next((n for n in pool[k + 1:] if n.start == m.end + 1
                          and n.text[:1].isupper()), None) if owner is None else None
            words = m.text.split()
            if owner is not None:
                # The same head, and more words than the owner's description has: "Gaza's
                # Hamas-run health ministry" for "Gaza's health ministry", not "the Israeli
                # military" for "Israel's military" nor "Israel's closest ally and military
                # supporter".
                if words[-1].lower().strip(",.;:") != bare[-1].lower() or len(words) - (
                        words[0].lower() in ("the", "this")) <= len(bare) + 1:
                    continue
            elif after is None and len(words) <= len(speaker.text.split()) and (
                    m.text.lower().startswith(("the ", "this "))):
                continue  # no fuller
            if after is None and not same_head:
                continue
            m = after or m
            ante = m
            reason = (f"definite '{head_lemma}': latest earlier fuller mention with the "
                      "same words")
            break
    if (ante is None and owner is None and head_lemma in _body_nouns() and bare and definite
            and all(w.islower() for w in bare)):
        # "the charity", "the aid group" (no name of its own: not "the Palestinian Red
        # Crescent charity"): the organisation named latest before it that spoke or acted,
        # or whose people the text names ("seven World Central Kitchen (WCK) workers"), not
        # one only spoken to or of ("told Al Jazeera", "withdrew from Bakhmut").
        named = [m for m in with_modifiers if m.organisation and not m.plural
                 and (m.speaker is not None or m.subject or m.modifier)
                 and not m.text.lower().startswith(("the ", "this "))]
        if named:
            ante = named[-1]
            reason = f"definite '{head_lemma}': latest organisation named before it"
    if ante is None and owner is None and definite and len(bare) == 1 and bare[0].isalpha() \
            and bare[0].islower() and head_lemma not in PRONOUNS:
        # "the patriarchate", "the association": a body whose earlier name holds the word
        # as a capitalised one ("the Latin Patriarchate of Jerusalem"), for nouns no list
        # of speaker words holds.
        word = bare[0].capitalize()
        named = [m for m in pool if m.kind == "body" and not m.plural
                 and word in m.text.replace("(", " ").split()]
        if named:
            ante = named[-1]
            reason = f"definite '{head_lemma}': latest name with the word capitalised"
    if ante is None and owner is None and head_lemma in _issuer_heads() and definite:
        # "the report", "the country": the organisation or country named latest before it.
        bodies = [m for m in pool if m.kind == "body" and (m.speaker is not None or m.subject)
                  and not m.plural]
        if bodies:
            ante = bodies[-1]
            reason = f"definite '{head_lemma}': latest organisation or country before it"
    if ante is None and owner is None and head_lemma in _utterances() and len(bare) <= 2:
        # "a statement said", "Another statement said" (no one's named in it): the latest
        # body or person that spoke before it issued it, not a document itself.
        spoke = [m for m in pool if m.speaker is not None and m.kind in ("body", "person")
                 and not m.plural and m.text.split()[-1].lower() not in _utterances()]
        if spoke:
            ante = spoke[-1]
            reason = f"'{head_lemma}' of no one named: the latest speaker before it"
    if ante is None:
        return speaker, None
    src = ante.speaker
    pointer = _pointer(ante)
    if src is None and depth < 2:
        # "It said ..." after "The IDF also struck ...": the mention the pronoun points to
        # may stand for a fuller one itself (an acronym, "the ministry"); the entity is that.
        words = ante.text.split()
        inner, _why = _resolve_coreference(
            Speaker(text=ante.text, start=ante.start, end=ante.end),
            words[-1].lower() if words else None, earlier, mentions, depth=depth + 1)
        pointer = inner.antecedent or pointer
    resolved = replace(
        speaker,
        name=(src.name if src is not None else None) or speaker.name,
        role=(src.role if src is not None else None) or speaker.role,
        anonymous=src.anonymous if src is not None else speaker.anonymous,
        country=(src.country if src is not None else None) or speaker.country,
        antecedent=pointer,
    )
    return resolved, reason


def _spelt_by_initials(pool: list[Mention], acronym: str) -> Mention | None:
    """The first body whose name's initials spell ``acronym`` ("the United Nations" for
    "un"); three letters or more spell a name whatever the tagger took it for ("World
    Central Kitchen", tagged a person, for "wck")."""
    return next((m for m in pool if (m.kind == "body" or len(acronym) >= 3)
                 and initials(m.text) == acronym), None)


def _acronym_mention(pool: list[Mention], acronym: str,
                     bracketed_only: bool = False) -> Mention | None:
    """The first mention in ``pool`` that writes the name out with ``acronym`` (lower
    case): the acronym closes the name ("... Forces (IDF)", "... Service DSNS"), or follows
    it in brackets, where the name is cut to the words that spell it; ``bracketed_only``:
    the brackets alone ("Acled" after "... Event Data Project (Acled)"). One that opens a
    phrase ("the MSC Aries") names something else."""
    for m in pool:
        raw = [w.strip(",").lower() for w in m.text.split()]
        words = [w.strip("()[]") for w in raw]
        if not bracketed_only and len(words) > 1 and words[-1] == acronym:
            return m
        # The tagger may end the name inside the brackets: "... Data Project (Acled".
        if f"({acronym})" in raw[1:] or (len(raw) > 1 and raw[-1] == f"({acronym}"):
            # "Israel Defense Force (IDF) troops": the name ends at the bracket; "The
            # killing of seven members of World Central Kitchen (WCK)": it starts where
            # the words that spell the acronym do.
            opens = m.text.lower().index(f"({acronym}")
            cut = min(opens + len(acronym) + 2, len(m.text))
            lead = _spelt_from(m.text[:opens], acronym)
            return replace(m, text=m.text[lead:cut], start=m.start + lead,
                           end=m.start + cut, speaker=None)
    return None


def _spelt_from(text: str, acronym: str) -> int:
    """Where in ``text`` the words start whose initials spell ``acronym`` and run to its
    end; 0 when no such words end it.

    Example:
        >>> text = "The killing of members of World Central Kitchen "
        >>> text[_spelt_from(text, "wck"):]
        'World Central Kitchen '
    """
    words = list(re.finditer(r"\S+", text))
    for k in range(2, len(words) + 1):
        if initials(" ".join(w.group() for w in words[-k:])) == acronym:
            return words[-k].start()
    return 0


#: How near before a pronoun a person acting is taken over an earlier speaker: about a
#: paragraph, so that a quote of a few sentences after the person is still theirs.
_NEAR_CHARS = 600


def _heads_with(text: str, head: str) -> bool:
    """Whether a mention has ``head`` for its head word: at its end, or before what modifies
    it after ("the governor of Luhansk", "the health ministry in Gaza", "the Syrian
    Observatory, which ...", "(IDF)"), or before the name it titles ("U.S. President Joe
    Biden"); not as a modifier of another noun ("Israeli military positions").

    Example:
        >>> _heads_with("The Hamas-run health ministry in Gaza", "ministry")
        True
        >>> _heads_with("Israeli military positions", "military")
        False
        >>> _heads_with("the Israel Defense Forces (IDF)", "idf")
        True
    """
    words = text.split()
    for i, word in enumerate(words):
        if word.lower().strip(",.;:()[]").removesuffix("'s").removesuffix("’s") != head:
            continue
        if i == len(words) - 1 or word[-1] in ",;:" or word.endswith(("'s", "’s")):
            return True
        after = words[i + 1]
        if after[0] in "([-–—" or after.lower() in _AFTER_HEAD or after[0].isupper():
            return True
    return False


#: Words that open what follows a head noun and modifies it.
_AFTER_HEAD = frozenset({"of", "in", "at", "for", "on", "from", "with", "who", "which", "that",
                         "based", "close", "and"})


@lru_cache(maxsize=1)
def _body_nouns() -> frozenset[str]:
    return frozenset(load_data("speakers.json")["body_nouns"])


@lru_cache(maxsize=1)
def _utterances() -> frozenset[str]:
    """Nouns of something said that a body or person issues ("a statement said")."""
    return frozenset(load_data("speakers.json")["utterance_heads"])


@lru_cache(maxsize=1)
def _issuer_heads() -> frozenset[str]:
    return frozenset(load_data("speakers.json")["issuer_heads"])


def _fuller_name(m: Mention, surname: str, strict: bool) -> bool:
    """Whether mention ``m`` writes out a longer name holding ``surname``; ``strict``: a
    name that ends with it ("Ukraine's President Volodymyr Zelenskiy" for "Zelenskiy", never
    "Russia's president Vladimir Putin" for "Russia")."""
    if m.speaker is not None and _ends_with_name(m.text, surname):
        # "the IDF's Chief Spokesperson Rear Admiral Daniel Hagari", whose name the tagger
        # missed or misread ("Spokesperson Rear"): the phrase ends in a first name and the
        # surname.
        return True
    if m.speaker is not None and m.speaker.name is not None:
        if len(_name_tokens(m.speaker.name)) < 2:
            # "the defence minister, Oleksii Reznikov" whose name the tagger cut to
            # "Reznikov": an office with the name is fuller than the name alone; a paper
            # of the name's is not ("Unrwa's accounts tally").
            own = [w.lower() for w in _name_tokens(m.speaker.name)]
            head = m.text.split()[-1].lower().strip(",.;:")
            return own == [surname] and len(m.text.split()) >= 3 and (
                head not in document_heads())
        own = [w.lower() for w in _name_tokens(m.speaker.name)]
        # "Eugenia" after "Eugenia Kozlova": people quoted are often called by first name.
        return surname in {own[0], own[-1]} if strict else surname in own
    if m.kind != "person" or len(m.text.split()) < 2:
        return False
    if m.text.split()[-1].lower().strip(",.;:") in document_heads():
        return False  # "Unrwa's accounts tally" is a paper of the name's, no fuller name
    names = [w.lower().strip(",") for w in _name_tokens(m.text)]
    if len(names) < 2:
        return False  # "Mr Hagari" again is no fuller name of "Hagari"
    if strict:  # "Russia's president" is no fuller name of "Russia"
        bare_name = all(w[:1].isupper() and not w.endswith(("'s", "\u2019s"))
                        for w in m.text.split())
        return names[-1] == surname or (bare_name and names[0] == surname)
    return surname in names


def _possessive_owner(words: list[str]) -> str | None:
    """The one-word owner of a description ("gaza" of "Gaza's health ministry", "territory"
    of "territory's health ministry"), or None (no possessive, or a name after it).

    Example:
        >>> _possessive_owner(["Gaza\u2019s", "health", "ministry"])
        'gaza'
        >>> _possessive_owner(["Israel's", "Benjamin", "Netanyahu"]) is None
        True
    """
    if len(words) < 2 or not all(w.islower() for w in words[1:]):
        return None
    first = words[0].replace("\u2019", "'")
    if not first.endswith("'s") or len(first) < 4:
        return None
    return first[:-2].lower()


def _same_owner(owner: str, speaker: Speaker, m: Mention) -> bool:
    """Whether mention ``m`` can be the body an owner's description names: it names the same
    owner, or no owner and the owner is a place of the same country, or one said only by a
    word for a place ("the territory's", ``speakers.json`` ``owner_places``)."""
    if owner in _owner_places():
        return True
    words = m.text.replace("\u2019", "'").lower().split()
    owners = [w[:-2] for w in words if w.endswith("'s")]
    if owners:
        return owner in owners
    country = m.speaker.country if m.speaker is not None else None
    return country is not None and country == speaker.country


@lru_cache(maxsize=1)
def _owner_places() -> frozenset[str]:
    return frozenset(load_data("speakers.json")["owner_places"])


def _name_word(word: str) -> bool:
    """Whether a word can be a surname: capitalised letters, with a hyphen or an
    apostrophe at most ("Zelenskiy", "al-Rishq", "O'Brien"; not "U.S." nor "ministry").

    Example:
        >>> _name_word("Hagari"), _name_word("U.S."), _name_word("ministry")
        (True, False, False)
    """
    letters = word.replace("-", "").replace("'", "").replace("\u2019", "")
    return word[:1].isupper() and letters.isalpha()


def _ends_with_name(text: str, surname: str) -> bool:
    """Whether a phrase ends with a capitalised first name (no title) and ``surname``."""
    words = [w.strip(",") for w in text.split()]
    return (len(words) >= 2 and words[-1].lower() == surname and words[-2][:1].isupper()
            and words[-2].isalpha() and words[-2].lower() not in _title_words())


def _title_words() -> frozenset[str]:
    return _agreement_data()[2]


def _plain_words(text: str) -> frozenset[str]:
    """Lower-cased words of a phrase without determiners, possessive endings or brackets,
    each also without a plural "s" ("officials" meets "official")."""
    out: set[str] = set()
    for raw in text.lower().replace("\u2019", "'").split():
        word = raw.removesuffix("'s").strip(",.;:()[]'\"")
        if not word or word in DETERMINERS:
            continue
        out.add(word)
        if len(word) > 3 and word.endswith("s"):
            out.add(word[:-1])
    return frozenset(out)


def _speaker_key(sp: Speaker | None) -> tuple[object, ...]:
    if sp is None:
        return ("narration",)
    ante = sp.antecedent
    if ante:
        return ("speaker", ante["start"])
    return ("speaker", sp.start)
