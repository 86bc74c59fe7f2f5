"""What the reader's multinomial heads share in training: the fit, the folds, the weights.

Each head (kind, scope) is an L2 logistic regression on standardised features, validated
on folds grouped by article (a number and its article's other numbers are never split
between fitting and scoring), and shipped as arrays in a fixed class order, so that a class
one fit never saw still has a row, with a bias that keeps it from being chosen.

Example:
    >>> import numpy as np
    >>> x = np.array([[0.0], [0.1], [1.0], [1.1]])
    >>> fitted = fit_logistic(x, ["a", "a", "b", "b"], 1.0)
    >>> class_probs(fitted, np.array([[1.05]]), ("a", "b", "c")).argmax()
    1
    >>> article_folds(["x", "x", "y"], folds=2).tolist()
    [0, 0, 1]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

FOLDS = 5
FOLD_SEED = 7
UNSEEN_BIAS = -30.0  # the bias of a class the fit never saw: never chosen


def fit_logistic(x: np.ndarray, y: Sequence[str], strength: float,
                 max_iter: int = 3000) -> Any:
    """A scaler and an L2 logistic regression (``C=strength``) fitted on ``x``, ``y``."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(x)
    model = LogisticRegression(C=strength, max_iter=max_iter).fit(scaler.transform(x), y)
    return scaler, model


def class_probs(fitted: Any, x: np.ndarray, classes: Sequence[str]) -> np.ndarray:
    """Probabilities in ``classes`` order (zero for a class the fit never saw)."""
    scaler, model = fitted
    p = model.predict_proba(scaler.transform(x))
    out = np.zeros((len(x), len(classes)))
    for j, c in enumerate(model.classes_):
        out[:, list(classes).index(c)] = p[:, j]
    return out


def article_folds(articles: Sequence[str], folds: int = FOLDS) -> np.ndarray:
    """The fold of each example, by its article (a fixed shuffle of the sorted articles)."""
    order = np.random.default_rng(FOLD_SEED).permutation(sorted(set(articles)))
    fold_of = {a: i % folds for i, a in enumerate(order)}
    return np.array([fold_of[a] for a in articles])


def class_weights(model: Any, classes: Sequence[str], columns: np.ndarray,
                  width: int) -> tuple[np.ndarray, np.ndarray]:
    """A fitted model's weights and biases as arrays of ``len(classes)`` rows, its
    coefficients in ``columns`` of ``width`` (zero elsewhere)."""
    weights = np.zeros((len(classes), width), dtype=np.float32)
    bias = np.full(len(classes), UNSEEN_BIAS, dtype=np.float32)
    for j, c in enumerate(model.classes_):
        row = list(classes).index(c)
        weights[row, columns] = model.coef_[j]
        bias[row] = model.intercept_[j]
    return weights, bias
