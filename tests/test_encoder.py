"""The cue encoder: word pieces mapped back to spaCy's words, batching that changes nothing,
ONNX Runtime logits equal to those of the former numpy forward pass, cue logits that single
out the reporting word of realistic sentences, and the thread count a process runs it with."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import spacy

from sitrep.extract.encoder import (
    ENCODER_FILE,
    INT8_ENV,
    MAX_PIECES,
    NO_PIECES,
    THREADS_ENV,
    CueScorer,
    EncoderOptions,
    cue_logits,
    cue_scorer,
    load_cue_scorer,
    load_word_pieces,
)
from sitrep.extract.lexicon import data_path

scorer = load_cue_scorer()
float_scorer = load_cue_scorer(EncoderOptions(int8=False))
int8_scorer = load_cue_scorer(EncoderOptions(int8=True))
needs_scorer = pytest.mark.skipif(scorer is None, reason="no attribution_encoder.npz shipped")
# Words and cue logits of 25 paragraphs of examples/ (articles.jsonl, the AP wire copy, the
# Zaporizhzhia page, and those articles run together into one paragraph longer than a
# window), computed by the numpy forward pass this module had until ONNX Runtime replaced
# it (commit ee15e73), float32.
PARITY = Path(__file__).parent / "data" / "encoder_parity.npz"


@pytest.fixture(scope="module")
def blank() -> spacy.language.Language:
    return spacy.blank("en")


def _words(nlp: spacy.language.Language, text: str) -> list[str]:
    return [t.text for t in nlp(text)]


def _session_threads(s: CueScorer | None) -> int:
    assert s is not None
    return int(s.session.get_session_options().intra_op_num_threads)


def test_windows_keep_every_piece_in_order_and_never_split_a_word() -> None:
    pieces = load_word_pieces()
    # Long words cut into several pieces each, so that window edges fall inside words.
    words = ["Zaporizhzhia", "counteroffensive", "Syniehubov", "said", "."] * 80
    windows = pieces.windows(words)
    assert len(windows) > 1
    wids = [w for _, ws in windows for w in ws]
    assert wids == sorted(wids) and set(wids) == set(range(len(words)))
    for (_, a), (_, b) in zip(windows, windows[1:], strict=False):
        assert len(a) <= MAX_PIECES - 2
        assert a[-1] != b[0]  # a word's pieces all sit in one window


@needs_scorer
def test_padding_changes_no_state_and_no_logit() -> None:
    # Float weights batch windows and pad them; int8 runs each window alone (see below).
    scorer = float_scorer
    assert scorer is not None
    pieces = scorer.pieces
    ids, mask = pieces.batch(pieces.windows(["Two", "soldiers", "were", "killed", "."]))
    hidden, logits = scorer.forward(ids, mask)
    padded_ids = np.concatenate([ids, np.zeros((1, 7), dtype=ids.dtype)], axis=1)
    padded_mask = np.concatenate([mask, np.zeros((1, 7), dtype=bool)], axis=1)
    padded_hidden, padded_logits = scorer.forward(padded_ids, padded_mask)
    assert np.abs(padded_hidden[:, : ids.shape[1]] - hidden).max() < 1e-4
    assert np.abs(padded_logits[:, : ids.shape[1]] - logits).max() < 1e-4


@needs_scorer
def test_the_logits_are_the_head_over_the_hidden_states_of_the_same_pass() -> None:
    # Later heads read ``hidden``: it must be the final states the cue head reads.
    assert scorer is not None
    pieces = scorer.pieces
    words = "The regional governor said two people were wounded in Kherson .".split()
    ids, mask = pieces.batch(pieces.windows(words))
    hidden, logits = scorer.forward(ids, mask)
    assert hidden.shape == (1, ids.shape[1], 384) and logits.shape == ids.shape
    with np.load(data_path(ENCODER_FILE)) as top:
        w, b = top["head_w"].astype(np.float32), float(top["head_b"].reshape(-1)[0])
    assert np.abs(hidden @ w + b - logits).max() < 1e-4


@needs_scorer
def _parity_paragraphs() -> tuple[list[list[str]], list[np.ndarray]]:
    with np.load(PARITY) as fixture:
        words, lengths, expected = fixture["words"], fixture["lengths"], fixture["logits"]
    cuts = np.cumsum(lengths)[:-1]
    docs = [[str(w) for w in ws] for ws in np.split(words, cuts)]
    return docs, np.split(expected, cuts)


@needs_scorer
def test_onnx_logits_equal_the_numpy_forward_pass_on_the_example_paragraphs() -> None:
    assert float_scorer is not None
    docs, refs = _parity_paragraphs()
    assert len(docs) >= 20
    assert max(len(float_scorer.pieces.windows(d)) for d in docs) > 1  # one spans two windows
    got = float_scorer.word_logits(docs)
    for doc, z, ref in zip(docs, got, refs, strict=True):
        assert np.abs(z - ref).max() < 1e-3, " ".join(doc)[:80]
        assert doc[int(z.argmax())] == doc[int(ref.argmax())]


@needs_scorer
def test_int8_weights_keep_the_cue_each_example_paragraph_reads() -> None:
    # int8 moves a logit by about 0.14 on average (float: under 1e-5): the same reporting
    # word must stay each paragraph's strongest, and no logit may stray far.
    assert int8_scorer is not None
    docs, refs = _parity_paragraphs()
    got = int8_scorer.word_logits(docs)
    drift = [float(np.abs(z - ref).mean()) for z, ref in zip(got, refs, strict=True)]
    assert float(np.mean(drift)) < 0.25
    for doc, z, ref in zip(docs, got, refs, strict=True):
        assert doc[int(z.argmax())] == doc[int(ref.argmax())], " ".join(doc)[:80]
        assert np.abs(z - ref).max() < 3.0


@needs_scorer
def test_with_int8_weights_a_paragraph_reads_the_same_whatever_runs_beside_it(
    blank: spacy.language.Language,
) -> None:
    # One activation scale per batch would tie a paragraph's logits to its batch mates,
    # and an article's claims to the articles read with it.
    assert int8_scorer is not None
    texts = [
        "Officials said on Monday that 14 people were wounded when a drone hit a bus stop.",
        "The ministry put the toll at 320 dead, a figure Moscow disputed in a statement "
        "that also accused Kyiv of shelling a hospital in the city of Horlivka overnight.",
        "Kyiv denied it.",
    ]
    docs = [_words(blank, t) for t in texts]
    together = int8_scorer.word_outputs(docs)
    for words, (z, h) in zip(docs, together, strict=True):
        alone_z, alone_h = int8_scorer.word_outputs([words])[0]
        assert np.array_equal(alone_z, z)
        assert alone_h is not None and h is not None and np.array_equal(alone_h, h)


@pytest.mark.parametrize(("env", "expected"), [("1", True), ("0", False), (" 1 ", True)])
def test_int8_weights_can_be_chosen_by_the_environment(
    monkeypatch: pytest.MonkeyPatch, env: str, expected: bool
) -> None:
    monkeypatch.setenv(INT8_ENV, env)
    assert EncoderOptions().weights_int8() is expected
    assert EncoderOptions(int8=not expected).weights_int8() is not expected


def test_a_bad_int8_setting_is_named_in_the_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(INT8_ENV, "yes")
    with pytest.raises(ValueError, match=INT8_ENV):
        EncoderOptions().weights_int8()


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
    # The same cue scores alike in the first and in a later window (a single repeat of
    # this artificial text may dip near 0, float or int8: the window's typical one may not).
    second = scorer.pieces.windows(words)[1][1][0]
    said = np.array([k for k, w in enumerate(words) if w == "said"])
    first_said, later_said = z[said[said < second]], z[said[said >= second]]
    assert len(later_said) >= 5
    assert np.median(first_said) > 1.0 and np.median(later_said) > 1.0
    assert abs(float(np.median(first_said) - np.median(later_said))) < 1.0


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


@pytest.mark.parametrize(
    ("threads", "env", "expected"),
    [(3, "1", 3), (None, "2", 2), (None, " 1 ", 1)],
)
def test_the_thread_count_comes_from_the_options_then_the_environment(
    monkeypatch: pytest.MonkeyPatch, threads: int | None, env: str, expected: int
) -> None:
    monkeypatch.setenv(THREADS_ENV, env)
    assert EncoderOptions(threads=threads).intra_op_threads() == expected


def test_without_a_setting_a_process_uses_up_to_four_cores(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(THREADS_ENV, raising=False)
    monkeypatch.setattr("os.cpu_count", lambda: 16)
    assert EncoderOptions().intra_op_threads() == 4
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    assert EncoderOptions().intra_op_threads() == 2


@pytest.mark.parametrize("env", ["0", "two", "-1", "1.5"])
def test_a_bad_thread_setting_is_named_in_the_error(
    monkeypatch: pytest.MonkeyPatch, env: str
) -> None:
    monkeypatch.setenv(THREADS_ENV, env)
    with pytest.raises(ValueError, match=THREADS_ENV):
        EncoderOptions().intra_op_threads()


@needs_scorer
def test_the_session_runs_on_the_configured_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(THREADS_ENV, "1")
    one = load_cue_scorer()
    assert _session_threads(one) == 1
    assert load_cue_scorer() is one  # one session per process and thread count
    assert _session_threads(load_cue_scorer(EncoderOptions(threads=2))) == 2


@needs_scorer
def test_the_pipeline_step_takes_its_thread_count_from_its_config() -> None:
    nlp = spacy.blank("en")
    step = nlp.add_pipe("sitrep_cue_encoder", config={"threads": 1})
    doc = nlp("The mayor said two people died in the blast.")
    assert doc._.cue_logits is not None and doc[int(doc._.cue_logits.argmax())].text == "said"
    assert _session_threads(load_cue_scorer(step.options)) == 1


def _start_local_worker() -> None:
    from sitrep.extract.pipeline import ExtractOptions
    from sitrep.run.work import start_worker

    start_worker(ExtractOptions())


def _run_dask_task() -> None:
    from sitrep.extract.pipeline import ExtractOptions
    from sitrep.run.work import extract_batch_in_worker

    extract_batch_in_worker([], ExtractOptions())


@needs_scorer
@pytest.mark.parametrize("start", [_start_local_worker, _run_dask_task],
                         ids=["--workers", "--dask"])
def test_a_worker_process_runs_the_encoder_on_one_thread_unless_told_otherwise(
    monkeypatch: pytest.MonkeyPatch, start: Callable[[], None]
) -> None:
    # N workers already keep N cores busy: more threads each would only contend.
    monkeypatch.delenv(THREADS_ENV, raising=False)
    start()
    assert _session_threads(load_cue_scorer()) == 1
    monkeypatch.setenv(THREADS_ENV, "2")
    start()
    assert EncoderOptions().intra_op_threads() == 2


@needs_scorer
def test_smoothing_brings_int8_logits_nearer_float() -> None:
    # The shipped weights carry each linear layer's largest inputs (act_max.*), which move
    # the activations' outlier channels into the weights' int8 scales; without them the
    # same int8 graph drifts about twice as far from float (measured on PolNeAR train).
    with np.load(data_path(ENCODER_FILE)) as top:
        weights = {k: top[k] for k in top.files}
    assert any(k.startswith("act_max.") for k in weights)
    plain = cue_scorer({k: v for k, v in weights.items() if not k.startswith("act_max.")},
                       EncoderOptions(int8=True, threads=1))
    assert int8_scorer is not None
    docs, refs = _parity_paragraphs()

    def drift(s: CueScorer) -> float:
        got = s.word_logits(docs)
        return float(np.mean([np.abs(z - ref).mean() for z, ref in zip(got, refs, strict=True)]))

    smoothed, unsmoothed = drift(int8_scorer), drift(plain)
    assert smoothed < 0.75 * unsmoothed, (smoothed, unsmoothed)
