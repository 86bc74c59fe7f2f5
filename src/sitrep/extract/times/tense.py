"""Whether a time expression is in the future of its sentence (its governing verb's tense)."""

from __future__ import annotations

from spacy.tokens import Doc, Token

from sitrep.extract.times.lexicon import _lexicon


def _token_at(doc: Doc, char: int) -> Token | None:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return span[0]


def _governing_verb(tok: Token) -> Token:
    """Nearest verb or auxiliary at or above ``tok`` (at most five steps)."""
    t = tok
    for _ in range(5):
        if t.pos_ in ("VERB", "AUX"):
            return t
        if t.head.i == t.i:
            break
        t = t.head
    return t


def _is_future(doc: Doc, char: int) -> bool:
    """True where the verb that governs the time expression at ``char`` is future-like.

    Future: a modal such as "will"/"would" (without a perfect "have": "may have attacked"
    is past), or a "due/scheduled/expected/planned to" construction in the present tense.
    """
    lex = _lexicon()
    tok = _token_at(doc, char)
    if tok is None:
        return False
    verb = _governing_verb(tok)
    chain = [verb]
    t = verb
    for _ in range(2):  # "plans to meet in June": meet -xcomp-> plans
        if t.dep_ in ("xcomp", "acomp") and t.head.i != t.i:
            t = t.head
            chain.append(t)
        else:
            break
    for v in chain:
        kids = list(v.children)
        aux = [k for k in kids if k.dep_ in ("aux", "auxpass")]
        perfect = any(k.lemma_.lower() == "have" for k in aux)
        if not perfect and any(k.lower_ in lex.future_aux for k in aux):
            return True
        present = v.tag_ in ("VBZ", "VBP") or any(k.tag_ in ("VBZ", "VBP") for k in aux)
        words = [v] + [k for k in kids if k.dep_ in ("acomp", "xcomp", "attr")]
        if present and any(
            w.lemma_.lower() in lex.future_words or w.lower_ in lex.future_words for w in words
        ):
            return True
    return False
