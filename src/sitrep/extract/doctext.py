"""A doc's text, read once.

spaCy's ``Doc.text`` joins every token's text again on each read, so a step that reads it
once per statement or per entity pays the paragraph's length each time (whole BBC articles
come as one paragraph). ``doc_text`` keeps the string in the doc's ``user_data``; a doc's
text never changes after tokenization.

Example:
    >>> import spacy
    >>> doc = spacy.blank("en")("Two soldiers died.")
    >>> doc_text(doc) == doc.text
    True
"""

from __future__ import annotations

from spacy.tokens import Doc

_KEY = "sitrep.text"


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed on the first call for this doc and kept."""
    text = doc.user_data.get(_KEY)
    if not isinstance(text, str):
        text = doc.user_data[_KEY] = doc.text
    return text
