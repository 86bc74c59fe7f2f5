"""The cheap first pass: which paragraphs (and sentences) can hold a count.

Parsing is most of sitrep's cost (the tagger, parser and entity recogniser of the spaCy model
are ~95 % of bare spaCy's time), yet in news a minority of paragraphs hold a number that could
be a count of people, equipment or money. With ``ExtractOptions(focus="claims")`` only those
paragraphs go through the statistical model; this pass decides which, from the tokenizer's
output alone. The unit is the paragraph, not the sentence: a claim takes its place, time and
speaker from anywhere in its paragraph ("Komsomolskoye; five soldiers killed"), so a paragraph
is parsed whole or not at all and the claims found are those of a full parse.
``FirstPass.sentences`` gives the sentence-level view (spaCy's rule-based ``Sentencizer``).

A sentence is kept when one of its tokens is a count candidate: a token with a digit ("1,500",
"$1B", "12"), a number or vague-amount word from ``quantities.json`` ("dozen", "hundreds",
"scores", "several", "handful"), unless the token is plainly not a count: a bare year (1800–2100
with no plural noun after it), a percentage, a clock time, an ordinal ("155th"). The tests are
deliberately loose (a false keep costs a parse; a false drop loses a claim), so the rules of
``quantities`` still decide every number that is kept.

Example:
    >>> fp = FirstPass()
    >>> text = "Talks resumed in Geneva. Shelling killed 12 civilians, officials said."
    >>> [text[s:e] for s, e in fp.sentences(text)]
    ['Shelling killed 12 civilians, officials said.']
"""

from __future__ import annotations

import re
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc, Span, Token

from sitrep.extract.lexicon import load_data

_YEAR = re.compile(r"^(18|19|20)\d\d$")
_ORDINAL = re.compile(r"^\d+(st|nd|rd|th)$", re.IGNORECASE)
_CLOCK = re.compile(r"^\d{1,2}[:.]\d\d$")
_PIECES = re.compile(r"[^a-z]+")
_FUNCTION_WORDS = {"a", "an", "the", "of", "or", "and", "than", "to"}


@lru_cache(maxsize=1)
def _count_words() -> frozenset[str]:
    """Lower-case words that make a token a count candidate, from ``quantities.json``."""
    q = load_data("quantities.json")
    words: set[str] = set()
    for table in ("units", "tens", "scales"):
        for key in q[table]:
            words.add(key)
            words.add(key + "s")  # "dozens", "hundreds", "thousands"
    return frozenset(words) | _vague_words(with_harm=False)


@lru_cache(maxsize=1)
def _harm_count_words() -> frozenset[str]:
    """Vague-amount words too common to make a count alone ("many", "a lot of"): they do
    in a sentence with a word of harm ("Many were detained")."""
    return _vague_words(with_harm=True)


def _vague_words(with_harm: bool) -> frozenset[str]:
    """The content words of the vague amounts (``quantities.json`` ``vague``) whose
    ``with_harm`` flag is ``with_harm``: "numerous", "dozens" alone; "many", "lot" only
    beside a word of harm ("so many", "a lot of")."""
    vague = load_data("quantities.json")["vague"]
    return frozenset(w for key, entry in vague.items()
                     if bool(entry.get("with_harm")) == with_harm
                     for w in key.lower().split() if w not in _FUNCTION_WORDS | {"so", "too"})


@lru_cache(maxsize=1)
def _harm_words() -> tuple[frozenset[str], frozenset[str]]:
    """(person nouns, harm words) from ``kinds.json``: together they may make an implicit
    count of one ("Woman killed in rocket attack"); see ``quantities.implicit_ones``."""
    k = load_data("kinds.json")
    kinds = set(k["implicit_one"]["kinds"])
    singular = {w for w in k["person_nouns"] if " " not in w}
    persons = singular | {w + "s" for w in singular}  # "Civilians killed in ..." too
    persons.update(k["implicit_one"]["pronouns"])  # "He was killed by Hamas attackers"
    harm = {w for w, kind in k["state_words"].items() if kind in kinds}
    harm.update(k["implicit_one"]["forms"])  # "slew", "kidnapped": no rule makes them
    harm.update(k["implicit_one"]["harm_nouns"])  # "the death of aid worker Paul Urey"
    for verb, spec in k["verbs"].items():
        if " " in verb or not isinstance(spec["kind"], str) or spec["kind"] not in kinds:
            continue
        # Regular forms only; a wrong guess ("killd") costs nothing, it never matches.
        stem = verb[:-1] if verb.endswith("e") else verb
        harm.update({verb, verb + "s", stem + "ed", stem + "ing", verb + "d"})
    return frozenset(persons), frozenset(harm)


@lru_cache(maxsize=1)
def _not_count_after() -> frozenset[str]:
    q = load_data("quantities.json")
    return frozenset(w.lower() for w in q["percent_words"] + q["clock_words"] if " " not in w)


def is_count_candidate(tok: Token) -> bool:
    """Whether a token of a tokenized (unparsed) doc may be a count.

    Example:
        >>> nlp = spacy.blank("en")
        >>> [t.text for t in nlp("In 2022, 40 troops and dozens of tanks; 30% at 10:30.")
        ...  if is_count_candidate(t)]
        ['40', 'dozens']
    """
    low = tok.lower_
    words = _count_words()
    # Pieces too: headlines glued by ";" tokenize as one token ("republic;five").
    if low in words or any(w in words for w in _PIECES.split(low)):
        return True
    # Any token with a digit ("$1B", "846.8million", "Wednesday;72" as tokenized).
    if not any(c.isdigit() for c in low):
        return False
    if _ORDINAL.match(low) or _CLOCK.match(low):
        return False
    nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    if nxt is not None and nxt.lower_ in _not_count_after():
        return False
    if _YEAR.match(low):
        # "2000 troops" counts; "in 2022," does not.
        return nxt is not None and nxt.is_alpha and nxt.is_lower and nxt.lower_.endswith("s")
    return True


def holds_count(doc: Doc | Span) -> bool:
    """``FirstPass.worth_parsing`` on a doc (or a sentence of one) already tokenized (by the
    pipeline that will parse it, so the paragraph is tokenized once)."""
    if any(is_count_candidate(t) for t in doc):
        return True
    persons, harm = _harm_words()
    words = {t.lower_ for t in doc}
    if words.isdisjoint(harm):
        return False
    if not words.isdisjoint(_harm_count_words()):
        return True  # "Many were detained", "so many civilian deaths"
    # A victim: a person noun or pronoun, or a name ("Pielieshenko died in combat").
    return not words.isdisjoint(persons) or any(
        t.is_title and t.is_alpha and i > 0 for i, t in enumerate(doc)
    )


@lru_cache(maxsize=1)
def _sentencizer() -> Sentencizer:
    return Sentencizer()


def count_runs(doc: Doc, context: int = 1) -> list[tuple[int, int]]:
    """Token spans of the runs of sentences worth parsing in a tokenized, unparsed doc: the
    sentences that hold a count (``holds_count``) and ``context`` sentences on each side of
    them (where a claim's speaker, place or antecedent often sits: "The governor said."
    after the figures). Sentences come from the rule ``Sentencizer``'s guesses; the doc
    itself is left unsegmented, so a paragraph kept whole parses exactly as it would have.

    Example:
        >>> nlp = spacy.blank("en")
        >>> doc = nlp("Talks resumed. Markets rose. Five soldiers died. The army said so. "
        ...           "Rain fell.")
        >>> [doc[s:e].text for s, e in count_runs(doc)]
        ['Markets rose. Five soldiers died. The army said so.']
        >>> [doc[s:e].text for s, e in count_runs(doc, context=0)]
        ['Five soldiers died.']
    """
    (starts,) = _sentencizer().predict([doc])
    bounds = [i for i, start in enumerate(starts) if start or i == 0] + [len(doc)]
    sents = [doc[a:b] for a, b in zip(bounds, bounds[1:], strict=False) if b > a]
    counted = [holds_count(s) for s in sents]
    keep = [False] * len(sents)
    for k, has in enumerate(counted):
        if not has:
            continue
        for j in range(max(0, k - context), min(len(sents), k + context + 1)):
            keep[j] = True
    runs: list[tuple[int, int]] = []
    for k, sent in enumerate(sents):
        if not keep[k]:
            continue
        if runs and runs[-1][1] == sent.start:
            runs[-1] = (runs[-1][0], sent.end)
        else:
            runs.append((sent.start, sent.end))
    return runs


class FirstPass:
    """Finds the sentences of a text worth parsing; tokenizer and rule sentencizer only."""

    def __init__(self, nlp: Language | None = None) -> None:
        self.nlp = nlp or spacy.blank("en")
        self.sentencizer = Sentencizer()

    def split(self, text: str) -> Doc:
        """The text tokenized and split into sentences by punctuation rules."""
        return self.sentencizer(self.nlp.make_doc(text))

    def worth_parsing(self, text: str) -> bool:
        """Whether any token of the text is a count candidate, or a person noun and a harm
        word are both there (an implicit one: "Woman killed in rocket attack").

        Example:
            >>> fp = FirstPass()
            >>> fp.worth_parsing("Talks resumed."), fp.worth_parsing("Five soldiers died.")
            (False, True)
            >>> fp.worth_parsing("Woman killed in rocket attack")
            True
        """
        return holds_count(self.nlp.make_doc(text))

    def sentences(self, text: str) -> list[tuple[int, int]]:
        """Character spans of the runs of consecutive sentences that hold a count candidate.

        Example:
            >>> FirstPass().sentences("Three soldiers died. Nobody else did.")
            [(0, 20)]
        """
        doc = self.split(text)
        spans: list[tuple[int, int]] = []
        for sent in doc.sents:
            if not any(is_count_candidate(t) for t in sent):
                continue
            start, end = sent.start_char, sent.end_char
            if spans and text[spans[-1][1] : start].strip() == "":
                spans[-1] = (spans[-1][0], end)  # a run of kept sentences stays one doc
            else:
                spans.append((start, end))
        return spans
