"""Letters to the editor: a page of readers' letters, each signed by a line that is only
its writer's name, followed by a line that says where the writer lives ("Martin Wright" /
"Otley, West Yorkshire"). What a letter states it states as its writer: a figure the letter
gives in its own words (narration, or "we"/"I") has the signer as its speaker
(annotations/GUIDE.md section 4: the speaker is who states the figure, and a letter is no
outlet's narration).
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc

from sitrep.extract.doctext import doc_text
from sitrep.model import Claim, Speaker

#: The longest name and home line of a signature, in words.
_MAX_NAME_WORDS = 4
_MAX_HOME_WORDS = 6

#: Words by which a letter's writer speaks of themselves or their own ("we", "my wife").
_FIRST_PERSON = frozenset({"i", "we", "my", "our"})


@dataclass(frozen=True)
class Letter:
    """One letter: its text's article offsets and its signer's name line."""

    start: int
    end: int
    signer: Speaker


def _is_name_line(doc: Doc) -> bool:
    """A paragraph that is a person's name and nothing else ("Martin Wright")."""
    text = doc_text(doc).strip()
    words = text.split()
    if not 2 <= len(words) <= _MAX_NAME_WORDS or text[-1:] in {".", "!", "?", ":", ","}:
        return False
    if not all(w[:1].isupper() for w in words):
        return False
    persons = [e for e in doc.ents if e.label_ == "PERSON"]
    return any(len(e.text) >= len(text) - 2 for e in persons)


def _is_home_line(doc: Doc) -> bool:
    """A short paragraph naming a place, with no sentence in it ("Kyiv, Ukraine",
    "Much Wenlock, Shropshire")."""
    text = doc_text(doc).strip()
    words = text.split()
    return (0 < len(words) <= _MAX_HOME_WORDS and text[-1:] not in {".", "!", "?", ":"}
            and all(w[:1].isupper() for w in words if w.isalpha() and len(w) > 3))


def find_letters(paras: list[tuple[int, Doc]]) -> list[Letter]:
    """The letters of a page of letters, in order; none for any other article.

    Example:
        >>> find_letters([])
        []
    """
    letters: list[Letter] = []
    begin: int | None = paras[0][0] if paras else None
    k = 0
    while k + 1 < len(paras):
        off, doc = paras[k]
        home_off, home = paras[k + 1]
        if _is_name_line(doc) and _is_home_line(home) and begin is not None and begin < off:
            text = doc_text(doc).strip()
            at = off + doc_text(doc).index(text)
            signer = Speaker(text=text, start=at, end=at + len(text), name=text)
            letters.append(Letter(start=begin, end=off, signer=signer))
            begin = home_off + len(doc_text(home))
            k += 2
            continue
        k += 1
    return letters


def sign_letters(claims: list[Claim], letters: list[Letter]) -> None:
    """Give each claim a letter states in its own words the letter's signer as speaker."""
    for claim in claims:
        letter = next((lt for lt in letters
                       if lt.start <= claim.quantity.start < lt.end), None)
        if letter is None:
            continue
        words = claim.speaker.text.lower().split() if claim.speaker is not None else []
        own = claim.speaker is None or (bool(words) and words[0] in _FIRST_PERSON)
        if not own:
            continue
        claim.speaker = Speaker(text=letter.signer.text, start=letter.signer.start,
                                end=letter.signer.end, name=letter.signer.name)
        claim.reasons["speaker"] = "a letter's own words: the letter's signer"
