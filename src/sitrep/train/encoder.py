"""Fine-tuning the cue encoder (``encoder.py``) on words labelled as cue heads or not.

The base model's lower layers stay frozen, so their states are computed once (by ONNX
Runtime, a graph of those layers only; stored as float16); only the top layers and a
one-unit head are trained, with torch (needed for training only: ``pip install torch``).
Out-of-fold logits come from the same ONNX model that runs at extraction. Labels are per
word: 1 a cue head, 0 a cue candidate that is not one, -1 not scored; a word's logit is
that of its first piece.

``cross_fit`` gives the attribution trainer what it needs: logits for every training doc
from a model that never saw its article (two folds by article), and the weights of a model
fitted on all of them, which ship. Four epochs at learning rate 2e-4 (head 1e-3), batches
of about 3,000 pieces: on the held-out tenth of PolNeAR train the cue logit alone ranks cue
heads with average precision 0.837 (the sparse cue model: 0.839), and the two together
0.863.

Example (training, not run by the tests)::

    logits, weights = cross_fit(words, labels, groups, log=print)
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from sitrep.extract.encoder import (
    HEADS,
    LAYER_KEYS,
    LINEARS,
    LOWER,
    NO_PIECES,
    WIDTH,
    EncoderOptions,
    Window,
    WordPieces,
    _first_pieces,
    base_layers,
    cue_encoder_graph,
    cue_scorer,
    encoder_graph,
    load_base_weights,
    load_word_pieces,
)

EPOCHS = 4
RATE = 2e-4
HEAD_RATE = 1e-3
BATCH_PIECES = 3000
DROPOUT = 0.1
SEED = 0


class _Example:
    """One window of one doc: pieces, the word of each piece and the piece labels."""

    def __init__(self, doc: int, window: Window, word_labels: Sequence[int]) -> None:
        self.doc = doc
        self.ids, self.wids = window
        self.labels = [-1] * len(self.ids)
        for k in _first_pieces(self.wids):
            self.labels[k] = word_labels[self.wids[k]]
        self.states: np.ndarray | None = None


def _examples(pieces: WordPieces, words: Sequence[Sequence[str]],
              labels: Sequence[Sequence[int]]) -> list[_Example]:
    out = [
        _Example(d, w, labels[d]) for d, ws in enumerate(words) for w in pieces.windows(ws)
    ]
    weights = load_base_weights()
    lower = encoder_graph(weights, base_layers(weights)[:LOWER])
    runtime = lower.session(EncoderOptions().intra_op_threads())
    order = sorted(range(len(out)), key=lambda k: len(out[k].ids))
    for start in range(0, len(order), 16):
        chunk = [out[k] for k in order[start : start + 16]]
        ids, mask = pieces.batch([(e.ids, e.wids) for e in chunk])
        (states,) = runtime.run(["hidden"], {"input_ids": ids, "attention_mask": mask})
        for r, e in enumerate(chunk):
            e.states = states[r, : len(e.ids) + 2].astype(np.float16)
    return out


def _batches(examples: list[_Example], idx: list[int], shuffle: bool) -> list[list[int]]:
    idx = sorted(idx, key=lambda k: len(examples[k].ids))
    out: list[list[int]] = []
    cur: list[int] = []
    for k in idx:
        t = len(examples[k].ids) + 2
        if cur and (len(cur) + 1) * t > BATCH_PIECES:
            out.append(cur)
            cur = []
        cur.append(k)
    if cur:
        out.append(cur)
    if shuffle:
        random.shuffle(out)
    return out


def _tensors(examples: list[_Example], batch: list[int]) -> tuple[np.ndarray, ...]:
    t = max(len(examples[k].ids) for k in batch) + 2
    x = np.zeros((len(batch), t, WIDTH), dtype=np.float32)
    m = np.zeros((len(batch), t), dtype=bool)
    y = np.full((len(batch), t), -1.0, dtype=np.float32)
    for r, k in enumerate(batch):
        e = examples[k]
        n = len(e.ids)
        assert e.states is not None
        x[r, : n + 2] = e.states
        m[r, : n + 2] = True
        y[r, 1 : n + 1] = e.labels
    return x, m, y


def fit_top(examples: list[_Example], idx: list[int], log: Callable[[str], None]
            ) -> dict[str, np.ndarray]:
    """Fine-tune the top layers and head on ``examples[idx]``; weights as ``encoder`` reads."""
    import torch
    import torch.nn.functional as F

    random.seed(SEED)
    torch.manual_seed(SEED)
    params = [
        {k: torch.nn.Parameter(torch.tensor(np.ascontiguousarray(v))) for k, v in L.items()}
        for L in base_layers(load_base_weights())[LOWER:]
    ]
    head_w = torch.nn.Parameter(torch.zeros(WIDTH))
    head_b = torch.nn.Parameter(torch.zeros(1))
    torch.nn.init.normal_(head_w, std=0.02)
    d = WIDTH // HEADS

    def forward(x: torch.Tensor, mask: torch.Tensor, train: bool) -> torch.Tensor:
        b, t, _ = x.shape
        bias = torch.where(mask[:, None, None, :], 0.0, -1e9)
        for L in params:
            qkv = x @ L["qkv_w"] + L["qkv_b"]
            q, k, v = (
                qkv[..., j * WIDTH : (j + 1) * WIDTH].reshape(b, t, HEADS, d).transpose(1, 2)
                for j in range(3)
            )
            att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d) + bias, -1)
            ctx = (att @ v).transpose(1, 2).reshape(b, t, WIDTH)
            ctx = F.dropout(ctx @ L["out_w"] + L["out_b"], DROPOUT, train)
            x = F.layer_norm(x + ctx, (WIDTH,), L["ln1_g"], L["ln1_b"], 1e-12)
            up = F.gelu(x @ L["up_w"] + L["up_b"], approximate="tanh")
            down = F.dropout(up @ L["down_w"] + L["down_b"], DROPOUT, train)
            x = F.layer_norm(x + down, (WIDTH,), L["ln2_g"], L["ln2_b"], 1e-12)
        return x @ head_w + head_b

    opt = torch.optim.AdamW(
        [
            {"params": [p for L in params for p in L.values()], "lr": RATE},
            {"params": [head_w, head_b], "lr": HEAD_RATE},
        ],
        weight_decay=0.01,
    )
    base_rates = [g["lr"] for g in opt.param_groups]
    steps = len(_batches(examples, idx, False)) * EPOCHS
    step = 0
    for epoch in range(EPOCHS):
        total = 0.0
        for batch in _batches(examples, idx, True):
            x, m, y = (torch.tensor(a) for a in _tensors(examples, batch))
            z = forward(x, m, True)
            sel = y >= 0
            loss = F.binary_cross_entropy_with_logits(z[sel], y[sel])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            for g, r in zip(opt.param_groups, base_rates, strict=True):
                g["lr"] = r * (1 - step / steps)  # linear decay to zero
            total += float(loss.detach())
        mean = total / max(1, steps // EPOCHS)
        log(f"cue encoder epoch {epoch + 1}/{EPOCHS}: mean loss {mean:.4f}")
    out: dict[str, np.ndarray] = {"lower": np.array(LOWER)}
    for n, L in enumerate(params):
        for k in LAYER_KEYS:
            out[f"layer{n}.{k}"] = L[k].detach().numpy().astype(np.float16)
    out["head_w"] = head_w.detach().numpy().astype(np.float16)
    out["head_b"] = head_b.detach().numpy().astype(np.float32)
    return out


def _predict(words: Sequence[Sequence[str]], docs: list[int], weights: dict[str, np.ndarray],
             logits: list[np.ndarray]) -> None:
    """Logits of ``docs`` by the model ``weights``, run as extraction runs it."""
    scorer = cue_scorer(weights)
    for d, z in zip(docs, scorer.word_logits([words[d] for d in docs]), strict=True):
        logits[d] = z


def cross_fit(
    words: Sequence[Sequence[str]],
    labels: Sequence[Sequence[int]],
    groups: Sequence[int],
    log: Callable[[str], None],
) -> tuple[list[np.ndarray], dict[str, np.ndarray]]:
    """Out-of-fold cue logits for every doc (two folds by ``groups`` parity) and the
    weights of a model fitted on all docs."""
    examples = _examples(load_word_pieces(), words, labels)
    log(f"cue encoder: {len(examples)} windows, lower layers computed")
    logits = [np.full(len(w), NO_PIECES, dtype=np.float32) for w in words]
    for fold in (0, 1):
        fit_on = [k for k, e in enumerate(examples) if groups[e.doc] % 2 == fold]
        other = [d for d in range(len(words)) if groups[d] % 2 != fold]
        _predict(words, other, fit_top(examples, fit_on, log), logits)
        log(f"cue encoder fold {fold} done")
    weights = fit_top(examples, list(range(len(examples))), log)
    return logits, weights


CALIBRATION_ARTICLES = 60  # PolNeAR train articles whose paragraphs calibrate int8 smoothing


def calibration_words(texts: Sequence[str], tokenizer: Callable[[str], Any]) -> list[list[str]]:
    """The words of the paragraphs of the first ``CALIBRATION_ARTICLES`` of ``texts``, as
    ``tokenizer`` (the pipeline's) cuts them: what ``activation_maxima`` reads.

    Example:
        >>> import spacy
        >>> calibration_words(["Kyiv said.\\n\\nTwo died."], spacy.blank("en").tokenizer)
        [['Kyiv', 'said', '.'], ['Two', 'died', '.']]
    """
    from sitrep.extract.pipeline import paragraphs

    return [[t.text for t in tokenizer(p)] for text in texts[:CALIBRATION_ARTICLES]
            for _, p in paragraphs(text) if p.strip()]


def activation_maxima(weights: dict[str, np.ndarray], words: Sequence[Sequence[str]]
                      ) -> dict[str, np.ndarray]:
    """Each linear layer's largest input per channel (absolute, float32) over ``words``, run
    in float as extraction runs it, keyed ``act_max.{layer}.{matrix}``: what int8 weights are
    smoothed with (``sitrep.extract.encoder.SMOOTH_ALPHA``); stored in the weights file.

    Example (not run by the tests: it reads the shipped weights)::

        weights.update(activation_maxima(weights, words))
    """
    from onnx import TensorProto, helper

    graph = cue_encoder_graph(weights)
    taps = graph.linear_inputs
    for name in taps:
        graph.model.graph.output.append(helper.make_tensor_value_info(name, TensorProto.FLOAT,
                                                                      None))
    runtime = graph.session(EncoderOptions().intra_op_threads())
    pieces = load_word_pieces()
    maxima = [np.zeros(0, dtype=np.float32) for _ in taps]
    for doc in words:
        for window in pieces.windows(doc):
            ids, mask = pieces.batch([window])
            outs = runtime.run(taps, {"input_ids": ids, "attention_mask": mask})
            for k, out in enumerate(outs):
                top = np.abs(out[0][mask[0]]).max(axis=0)
                maxima[k] = top if maxima[k].size == 0 else np.maximum(maxima[k], top)
    return {f"act_max.{k // len(LINEARS)}.{LINEARS[k % len(LINEARS)]}": m.astype(np.float32)
            for k, m in enumerate(maxima)}
