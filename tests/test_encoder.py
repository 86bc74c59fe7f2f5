"""The cue encoder: word pieces mapped back to spaCy's words, batching that changes nothing,
and cue logits that single out the reporting word of realistic sentences."""

from __future__ import annotations

import numpy as np
import pytest
import spacy

from sitrep.extract.encoder import (
    MAX_PIECES,
    NO_PIECES,
    cue_logits,
    load_cue_scorer,
    load_encoder,
    run_layers,
)

scorer = load_cue_scorer()
needs_scorer = pytest.mark.skipif(scorer is None, reason="no attribution_encoder.npz shipped")


@pytest.fixture(scope="module")
def blank() -> spacy.language.Language:
    return spacy.blank("en")


def _words(nlp: spacy.language.Language, text: str) -> list[str]:
    return [t.text for t in nlp(text)]


def test_windows_keep_every_piece_in_order_and_never_split_a_word() -> None:
    enc = load_encoder()
    # Long words cut into several pieces each, so that window edges fall inside words.
    words = ["Zaporizhzhia", "counteroffensive", "Syniehubov", "said", "."] * 80
    windows = enc.windows(words)
    assert len(windows) > 1
    pieces = [w for _, wids in windows for w in wids]
    assert pieces == sorted(pieces) and set(pieces) == set(range(len(words)))
    for (_, a), (_, b) in zip(windows, windows[1:], strict=False):
        assert len(a) <= MAX_PIECES - 2
        assert a[-1] != b[0]  # a word's pieces all sit in one window


def test_padding_changes_no_state() -> None:
    enc = load_encoder()
    ids, mask = enc.batch(enc.windows(["Two", "soldiers", "were", "killed", "."]))
    alone = enc.lower(ids, mask)
    padded_ids = np.concatenate([ids, np.zeros((1, 7), dtype=ids.dtype)], axis=1)
    padded_mask = np.concatenate([mask, np.zeros((1, 7), dtype=bool)], axis=1)
    padded = enc.lower(padded_ids, padded_mask)
    assert np.abs(padded[:, : ids.shape[1]] - alone).max() < 1e-4
    # run_layers with no layers is the identity
    assert np.array_equal(run_layers(alone, mask, []), alone)


@needs_scorer
def test_batched_logits_equal_one_at_a_time(blank: spacy.language.Language) -> None:
    assert scorer is not None
    texts = [
        "The governor said three civilians were wounded in the overnight shelling.",
        "Kyiv denied the report.",
        "According to the ministry, 42 drones were shot down over the Odesa region, "
        "while the air force told reporters that two missiles hit an energy facility.",
    ]
    docs = [_words(blank, t) for t in texts]
    together = scorer.word_logits(docs)
    for words, z in zip(docs, together, strict=True):
        alone = scorer.word_logits([words])[0]
        assert z.shape == (len(words),)
        assert np.abs(alone - z).max() < 1e-3


@needs_scorer
def test_a_paragraph_longer_than_a_window_gets_a_logit_for_every_word(
    blank: spacy.language.Language,
) -> None:
    assert scorer is not None
    sentence = "The regional administration said that shelling damaged 14 houses in Nikopol. "
    words = _words(blank, sentence * 30)
    z = scorer.word_logits([words])[0]
    spaces = {k for k, w in enumerate(words) if not w.strip()}
    assert all(z[k] > NO_PIECES for k in range(len(words)) if k not in spaces)
    # The same cue scores alike in the first and in a later window.
    said = [k for k, w in enumerate(words) if w == "said"]
    assert z[said].min() > 0.0


@needs_scorer
@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("The mayor said two people died in the blast.", "said"),
        ("Two people died in the blast, the mayor told reporters.", "told"),
        ("Local officials claimed that the strike hit a school.", "claimed"),
        ("A spokesman for the brigade denied that its positions had fallen.", "denied"),
        ("Residents feared the fighting would reach the town by Friday.", "feared"),
    ],
)
def test_the_reporting_word_scores_highest(
    blank: spacy.language.Language, text: str, cue: str
) -> None:
    assert scorer is not None
    words = _words(blank, text)
    z = scorer.word_logits([words])[0]
    assert words[int(z.argmax())] == cue
    assert z[words.index(cue)] > 0.0  # a cue, not only the best of a bad lot


@needs_scorer
def test_narration_without_a_speaker_has_no_confident_cue(
    blank: spacy.language.Language,
) -> None:
    assert scorer is not None
    words = _words(blank, "Russian forces shelled the village of Kurakhove on Tuesday morning.")
    assert scorer.word_logits([words])[0].max() < 0.0


@needs_scorer
def test_the_pipeline_step_sets_what_attribution_would_compute() -> None:
    from sitrep.extract.pipeline import load_pipeline

    nlp = load_pipeline()
    assert nlp.pipe_names.index("sitrep_cue_encoder") < nlp.pipe_names.index(
        "sitrep_attribution"
    )
    text = "Ukraine's air force said it shot down 37 of the 50 drones launched overnight."
    piped = list(nlp.pipe([text, "No casualties were reported."]))[0]
    fresh = nlp.make_doc(text)
    assert fresh._.cue_logits is None
    computed = cue_logits(fresh)
    assert computed is not None
    assert np.abs(np.asarray(piped._.cue_logits) - computed).max() < 1e-3
