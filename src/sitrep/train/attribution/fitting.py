"""Fitting and scoring the attribution models: sparse logistic regressions exported as
feature -> weight, boosted trees as flat arrays, and the statement-level score."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from spacy.tokens import Doc

from sitrep.evaluate import match_attribution
from sitrep.extract.attribution import (
    Attribution,
    Parse,
    decode,
    tree_score,
)
from sitrep.train.attribution.examples import Span, _spans

C_CUE = 0.25
C_SOURCE = 0.5
C_CONTENT = 1.0
N_TREES = 200  # statement model: boosted trees of this depth and learning rate
TREE_DEPTH = 4
TREE_RATE = 0.05
SOURCE_THRESHOLD = 0.01
CUE_FLOOR = 0.12  # cue tokens below this never become statements
CUE_THRESHOLDS = [round(0.2 + 0.025 * k, 3) for k in range(17)]
THRESHOLDS = [round(0.25 + 0.025 * k, 3) for k in range(15)]


def fit(
    data: Sequence[tuple[list[str], int]],
    c: float,
    min_count: int = 2,
    prune: float = 0.05,
    dense: Sequence[float] | None = None,
) -> dict[str, Any]:
    """A logistic regression, returned as {"bias", "weights"} over feature names; with
    ``dense`` (one number per example: the encoder's cue logit) also its "nn_weight"."""
    from scipy.sparse import csr_matrix, hstack
    from sklearn.linear_model import LogisticRegression

    counts: Counter[str] = Counter()
    for feats, _ in data:
        counts.update(set(feats))
    vocab = {f: k for k, f in enumerate(sorted(f for f, n in counts.items() if n >= min_count))}
    indptr = [0]
    indices: list[int] = []
    for feats, _ in data:
        cols = sorted({vocab[f] for f in feats if f in vocab})
        indices.extend(cols)
        indptr.append(len(indices))
    x = csr_matrix(
        (np.ones(len(indices), dtype=np.float64), np.array(indices), np.array(indptr)),
        shape=(len(data), len(vocab)),
    )
    if dense is not None:
        x = hstack([x, csr_matrix(np.array(dense, dtype=np.float64).reshape(-1, 1))]).tocsr()
    y = np.array([label for _, label in data])
    clf = LogisticRegression(C=c, solver="liblinear", max_iter=200)
    clf.fit(x, y)
    coef = clf.coef_[0]
    names = list(vocab)
    weights = {
        names[k]: round(float(coef[k]), 3) for k in range(len(names)) if abs(coef[k]) >= prune
    }
    out: dict[str, Any] = {"bias": round(float(clf.intercept_[0]), 4), "weights": weights}
    if dense is not None:
        out["nn_weight"] = round(float(coef[len(names)]), 4)
    return out


def fit_trees(data: Sequence[tuple[dict[str, float], int]], min_count: int = 5) -> dict[str, Any]:
    """Gradient-boosted trees (log loss) as flat arrays for ``attribution.tree_score``.

    Why trees here: a statement's worth depends on combinations (a confident cue with a weak
    source, a quote-adjacent cue inside another statement's content) that one weight per
    feature cannot express; on the held-out tenth they raised F1 by about one point over
    the logistic statement model. sklearn's public ``tree_`` arrays are exported as they
    are, leaves pointing at themselves so that every tree can be stepped ``depth`` times.
    """
    import numpy as np
    from sklearn.ensemble import GradientBoostingClassifier
    from sklearn.feature_extraction import DictVectorizer

    counts: Counter[str] = Counter()
    for feats, _ in data:
        counts.update(k for k, v in feats.items() if v != 0)
    dv = DictVectorizer()
    x = dv.fit_transform([feats for feats, _ in data])
    names = list(dv.get_feature_names_out())
    cols = [k for k, n in enumerate(names) if counts[n] >= min_count]
    x = x[:, cols].tocsr()
    names = [names[k] for k in cols]
    y = np.array([label for _, label in data])
    clf = GradientBoostingClassifier(
        n_estimators=N_TREES,
        max_depth=TREE_DEPTH,
        learning_rate=TREE_RATE,
        subsample=0.8,
        min_samples_leaf=20,
        random_state=0,
    )
    clf.fit(x, y)
    trees = [est[0].tree_ for est in clf.estimators_]
    used = sorted({int(f) for t in trees for f in t.feature if f >= 0})
    remap = {f: k for k, f in enumerate(used)}
    width = max(t.node_count for t in trees)
    part: dict[str, Any] = {
        "features": [names[f] for f in used],
        "depth": max(int(t.max_depth) for t in trees),
        "feature": [],
        "split": [],
        "left": [],
        "right": [],
        "value": [],
    }
    for t in trees:
        feature = [-1] * width
        threshold = [0.0] * width
        left = list(range(width))
        right = list(range(width))
        value = [0.0] * width
        for k in range(t.node_count):
            if t.children_left[k] >= 0:
                feature[k] = remap[int(t.feature[k])]
                threshold[k] = float(t.threshold[k])  # unrounded: splits can lie 1e-7 apart
                left[k] = int(t.children_left[k])
                right[k] = int(t.children_right[k])
            else:
                value[k] = round(float(t.value[k].ravel()[0]) * TREE_RATE, 6)
        for key, row in zip(
            ("feature", "split", "left", "right", "value"),
            (feature, threshold, left, right, value),
            strict=True,
        ):
            part[key].append(row)
    # The ensemble's starting log-odds: sklearn's own, read off as its output on a statement
    # whose trees contribute nothing extra (checked against its decision function below).
    sample = x[:200]
    probe = dict(part, base=0.0)
    ours = np.array([tree_score(probe, feats) for feats, _ in data[:200]])
    part["base"] = round(float(np.mean(clf.decision_function(sample) - ours)), 6)
    ours += part["base"]
    gap = float(np.max(np.abs(clf.decision_function(sample) - ours)))
    if gap > 1e-3:
        raise RuntimeError(f"exported trees disagree with scikit-learn by {gap:.4f}")
    return part


# ---------------------------------------------------------------------------------------
# Evaluation (the same measure as the project's PolNeAR check)
# ---------------------------------------------------------------------------------------


def score(
    rows: list[dict[str, Any]],
    predictions: list[list[tuple[Span | None, Span]]],
) -> dict[str, float]:
    """P/R/F1 of (speaker, content) predictions (article offsets) against the gold."""
    tp = fp = ngold = 0
    for r, preds in zip(rows, predictions, strict=True):
        golds = []
        for g in r["attributions"]:
            cspans = _spans(g.get("content"))
            if not cspans:
                continue
            golds.append((_spans(g.get("source")) or None, cspans))
        ngold += len(golds)
        used: set[int] = set()
        for sp, co in preds:
            hit = match_attribution(co, sp, golds, used)
            if hit is None:
                fp += 1
            else:
                tp += 1
                used.add(hit)
    prec = tp / max(1, tp + fp)
    rec = tp / max(1, ngold)
    f1 = 2 * prec * rec / max(1e-9, prec + rec)
    return {"P": round(prec, 4), "R": round(rec, 4), "F1": round(f1, 4), "tp": tp, "gold": ngold}


def predict(
    parsed: list[list[tuple[int, Doc]]],
    model: dict[str, Any],
    thresholds: Iterable[float] = (),
) -> dict[float, list[list[tuple[Span | None, Span]]]]:
    """Predictions per article at each statement threshold (article offsets)."""
    default = (model.get("statement") or model["cue"])["threshold"]
    ths = sorted(set(thresholds) or {float(default)})
    out: dict[float, list[list[tuple[Span | None, Span]]]] = {t: [] for t in ths}
    for paras in parsed:
        found: list[tuple[Attribution, int]] = []
        for off, doc in paras:
            found.extend((a, off) for a in decode(Parse(doc), model, threshold=ths[0]))
        for t in ths:
            preds: list[tuple[Span | None, Span]] = []
            for a, off in found:
                if a.score < t:
                    continue
                sp = (a.speaker[0] + off, a.speaker[1] + off) if a.speaker else None
                preds.append((sp, (a.content[0] + off, a.content[1] + off)))
            out[t].append(preds)
    return out
