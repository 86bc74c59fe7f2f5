"""The learned model's scores: the model file (``_model``), the linear cue, source and
content scorers (``linear_score``), and the statement model's inputs
(``statement_signals``) and boosted trees (``tree_score``).

Part of ``sitrep.extract.attribution`` (see its docstring).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import numpy as np

from sitrep.extract.attribution.parse import Parse, _bucket
from sitrep.extract.attribution.results import Attribution
from sitrep.extract.lexicon import load_data

MODEL_FILE = "attribution_model.json"


@lru_cache(maxsize=1)
def _model() -> dict[str, Any] | None:
    try:
        model = load_data(MODEL_FILE)
    except (FileNotFoundError, OSError):
        return None
    return model if isinstance(model, dict) else None


def linear_score(part: dict[str, Any], feats: Iterable[str]) -> float:
    """Bias plus the sum of the weights of the features present."""
    w = part["weights"]
    total = float(part["bias"])
    for name in feats:
        total += w.get(name, 0.0)
    return total


def _sigmoid(z: float) -> float:
    if z < -30:
        return 0.0
    return 1.0 / (1.0 + math.exp(-z))


def _logit(prob: float) -> float:
    prob = min(max(prob, 1e-4), 1 - 1e-4)
    return math.log(prob / (1 - prob))


def statement_features(p: Parse, a: Attribution, others: list[Attribution]) -> list[str]:
    """Features of a whole decoded statement (cue confidence, speaker, content, nesting)."""
    i = a.cue_token
    z = _logit(a.score)
    zr = round(z)
    f = [f"z={round(z * 2) / 2}", f"zp={zr}|{p.pos[i]}", "q=" + a.quote, "r=" + a.rule]
    s = a.speaker_root
    if s is None:
        f.append("nospk")
    else:
        kind = p.kind(s)
        f.append("sk=" + kind)
        f.append(f"sz={round(_logit(a.speaker_score))}")
        f.append(f"skz={kind}|{zr}")
    x = p.root_in(a.content)
    if x is not None:
        path = p.path(i, p.chain(i), x)
        f.append("cp=" + path)
        f.append(f"cpz={path}|{zr}")
        f.append(f"cx={p.pos[x]}|{p.dep[x]}")
    n = _bucket(len(p.text[a.content[0] : a.content[1]].split()))
    f.append("cl=" + n)
    f.append(f"clz={n}|{zr}")
    for o in others:
        if o is a:
            continue
        if o.content[0] <= p.idx[i] < o.content[1]:
            f.append("nested" + ("+" if o.score > a.score else "-"))
        if _overlaps(o.content, a.content) and o.score > a.score:
            f.append("cov")
    return f


#: The statement model learned from paragraphs split on line breaks. An article printed
#: as one line (BBC pages come without paragraph breaks) is read as paragraphs of
#: ``_VIEW_SENTENCES`` sentences: its counts of sentences and statements, which the model
#: never saw that large, would otherwise sink every statement after the first few.
_LONGEST_PARAGRAPH = 10
_VIEW_SENTENCES = 4


def _paragraph_view(p: Parse, i: int) -> tuple[int, int]:
    """The sentences (first, last + 1) that stand for the paragraph of cue token ``i``."""
    n = len(p.sents)
    if n <= _LONGEST_PARAGRAPH:
        return 0, n
    first = p.sent[i] - p.sent[i] % _VIEW_SENTENCES
    return first, min(n, first + _VIEW_SENTENCES)


def statement_signals(p: Parse, a: Attribution, others: list[Attribution]) -> dict[str, float]:
    """Inputs of the statement model: the decoder's scores and margins, the shape of the
    speaker and content, the cue's word and frame, nesting, and the binary
    ``statement_features`` (prefixed ``f:``). Absent names read as 0.
    """
    sig = a.signals
    i = a.cue_token
    s0, s1 = p.sents[p.sent[i]]
    words = len(p.text[a.content[0] : a.content[1]].split())
    first, last = _paragraph_view(p, i)
    local = [o for o in others if first <= p.sent[o.cue_token] < last]
    f: dict[str, float] = {name: sig.get(name, 0.0) for name in SIGNALS}
    f.update(
        {
            "direct": float(a.quote == "direct"),
            "headline": float(p.headline),
            "cue_in_quote": float(p.qr[i] >= 0),
            "statements": float(len(local)),
            "sentences": float(last - first),
            "sentence": float(p.sent[i] - first),
            "content_words": float(words),
            "content_share": words / max(1, s1 - s0),
            "l=" + p.lem[i]: 1.0,
            "cue_pos=" + p.pos[i]: 1.0,
            "cue_dep=" + p.dep[i]: 1.0,
            "cue_tag=" + p.tag[i]: 1.0,
            "frame=" + p.frame(i): 1.0,
        }
    )
    s = a.speaker_root
    if s is None or a.speaker is None:
        f["no_speaker"] = 1.0
    else:
        f["speaker_words"] = float(len(p.text[a.speaker[0] : a.speaker[1]].split()))
        f["speaker_distance"] = float(abs(s - i))
        f["speaker_left"] = float(s < i)
        f["speaker_in_quote"] = float(p.qr[s] >= 0)
        f["speaker_subject"] = float(s == p.subject(i))
        f["speaker_kind=" + p.kind(s)] = 1.0
        f["speaker_dep=" + p.dep[s]] = 1.0
    h = int(sig.get("content_head", i))
    f["content_offset"] = float(h - i)
    f["content_pos=" + p.pos[h]] = 1.0
    f["content_dep=" + p.dep[h]] = 1.0
    f["content_above"] = float(h in p.chain(i))
    f["content_child"] = float(p.head[h] == i)
    for c in p.kids[h]:
        if p.dep[c] == "mark":
            f["mark=" + p.lem[c]] = 1.0
        elif p.dep[c] in {"nsubj", "nsubjpass"}:
            f["content_subject"] = 1.0
        elif p.dep[c] == "aux" and p.lem[c] == "to":
            f["content_to"] = 1.0
    cue_z = sig.get("cue_z", 0.0)
    nested = 0.0
    covered = 0.0
    for o in others:
        if o is a:
            continue
        oz = o.signals.get("cue_z", 0.0)
        if o.content[0] <= p.idx[i] < o.content[1]:
            nested = max(nested, oz)
            f["nested"] = 1.0
        if _overlaps(o.content, a.content) and oz > cue_z:
            covered += 1
    f["nested_z"] = nested
    f["covered"] = covered
    for name in statement_features(p, a, others):
        f["f:" + name] = 1.0
    return f


SIGNALS = (
    "cue_z",
    "content_z",
    "content_margin",
    "source_z",
    "source_margin",
    "whole_quote",
    "touching_quote",
    "rule",
    "rule_content",
    "rule_speaker",
)


def tree_score(part: dict[str, Any], signals: dict[str, float]) -> float:
    """The log-odds a boosted tree ensemble gives: its base plus one leaf per tree.

    ``part`` holds the trees as flat arrays (``feature``, ``split``, ``left``,
    ``right``, ``value``; one row per tree, leaves pointing at themselves) over the names
    in ``features``; a signal at most the split goes left. All trees step down one
    level at a time together (numpy), so a statement costs ``depth`` array operations,
    not one Python step per node.

    Example:
        >>> stump = {"features": ["cue_z"], "base": -1.0, "depth": 1, "feature": [[0, 1, 1]],
        ...          "split": [[0.5, 0, 0]], "left": [[1, 1, 2]], "right": [[2, 1, 2]],
        ...          "value": [[0, -2.0, 3.0]]}
        >>> tree_score(stump, {"cue_z": 2.0})
        2.0
    """
    index, feature, threshold, left, right, value, depth = _tree_arrays(part)
    # float32 as scikit-learn compares; the last slot is the 0 that absent signals read.
    x = np.zeros(len(index) + 1, dtype=np.float32)
    for name, v in signals.items():
        k = index.get(name)
        if k is not None:
            x[k] = v
    rows = np.arange(feature.shape[0])
    node = np.zeros(feature.shape[0], dtype=np.int64)
    for _ in range(depth):
        go_left = x[feature[rows, node]] <= threshold[rows, node]
        node = np.where(go_left, left[rows, node], right[rows, node])
    return float(part["base"] + value[rows, node].sum())


# Model dicts already converted to arrays, by id; each entry keeps its dict alive so that
# the id cannot be reused by another (the model is loaded once per process).
_TREES: dict[int, tuple[dict[str, Any], tuple[Any, ...]]] = {}


def _tree_arrays(part: dict[str, Any]) -> tuple[Any, ...]:
    cached = _TREES.get(id(part))
    if cached is None or cached[0] is not part:
        names = list(part["features"])
        feature = np.array(part["feature"], dtype=np.int64)
        feature[feature < 0] = len(names)
        arrays = (
            {n: k for k, n in enumerate(names)},
            feature,
            np.array(part["split"], dtype=np.float64),
            np.array(part["left"], dtype=np.int64),
            np.array(part["right"], dtype=np.int64),
            np.array(part["value"], dtype=np.float64),
            int(part["depth"]),
        )
        cached = _TREES[id(part)] = (part, arrays)
    return cached[1]


def _overlaps(a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return a[0] < b[1] and b[0] < a[1]
