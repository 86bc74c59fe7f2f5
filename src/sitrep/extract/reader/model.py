"""The claim reader's learned heads: weights shipped as package data, scored in numpy.

A head is a logistic model over a candidate's feature vector (``whose.describe``):
standardised with the training set's mean and scale, then one dot product. Its weights ship
in ``data/reader_whose.npz`` (written by ``sitrep.train.whose``; float32, a few KB), with
the threshold chosen on the training folds and a note of what it was trained on. When the
file is absent the head says nothing and the rules stand alone. Its sibling for counts of
troops, equipment and money (whose they are) reads the same candidates with weights of its
own, ``data/reader_whose_held.npz``.

The kind head is the multinomial one: one row of weights per class (the contract's kinds and
"not a claim"), a softmax over them; its weights ship in ``data/reader_kind.npz`` (written
by ``sitrep.train.kind``), with its two thresholds (to relabel, to drop) and the rules'
kinds it reads. The scope head is multinomial too, over the three scopes; its weights ship in
``data/reader_scope.npz`` (written by ``sitrep.train.scope``), with its threshold and which of
the rules' decisions (a scope and the family of its reason) it may overrule.

Example:
    >>> head = WhoseHead(np.zeros(2), np.ones(2), np.array([1.0, -1.0]), 0.0, 0.5)
    >>> [round(p, 2) for p in head.probabilities(np.array([[2.0, 0.0], [0.0, 2.0]]))]
    [0.88, 0.12]
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from sitrep.extract.lexicon import data_path
from sitrep.extract.reader.kind import N_FEATURES as KIND_FEATURES
from sitrep.extract.reader.whose import N_FEATURES

WHOSE_FILE = "reader_whose.npz"
HELD_FILE = "reader_whose_held.npz"
KIND_FILE = "reader_kind.npz"
SCOPE_FILE = "reader_scope.npz"

H = TypeVar("H")


@dataclass(frozen=True)
class WhoseHead:
    """A logistic head: ``p = sigmoid(((x - mean) / scale) . weights + bias)``; a candidate
    is taken when its ``p`` reaches ``threshold``. Below it the subject rules' weak guess
    (from the place or the speaker) stands, unless its own ``p`` is under ``keep_guess_at``:
    then the head answers that nothing says whose (0: the guess always stands)."""

    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float
    threshold: float
    keep_guess_at: float = 0.0

    def probabilities(self, features: np.ndarray) -> list[float]:
        """One probability per row of ``features`` (candidates x features)."""
        z = ((features - self.mean) / self.scale) @ self.weights + self.bias
        return [float(v) for v in 1.0 / (1.0 + np.exp(-z))]


def _read_head(cls: type[H], path: Path) -> H:
    """A head of class ``cls`` from its npz file: each field by name, arrays as float32,
    texts as tuples, numbers as floats; a field the file lacks keeps its default."""
    values: dict[str, Any] = {}
    with np.load(path) as z:
        for f in fields(cls):  # type: ignore[arg-type]
            if f.name not in z.files:
                continue
            v = z[f.name]
            if v.dtype.kind in "US":
                values[f.name] = tuple(str(c) for c in v)
            elif v.ndim == 0:
                values[f.name] = float(v)
            else:
                values[f.name] = v.astype(np.float32)
    return cls(**values)


def _softmax(head: KindHead | ScopeHead, features: np.ndarray) -> list[float]:
    """One probability per class of a multinomial head for one feature vector."""
    z = ((features - head.mean) / head.scale) @ head.weights.T + head.bias
    e = np.exp(z - z.max())
    return [float(v) for v in e / e.sum()]


@functools.lru_cache(maxsize=2)
def load_whose_head(held: bool = False) -> WhoseHead | None:
    """The shipped whose-losses head (``held``: its sibling for counts of troops, equipment
    and money), or None when its weights file is absent (or was written for another feature
    layout)."""
    path = data_path(HELD_FILE if held else WHOSE_FILE)
    if not path.exists():
        return None
    head = _read_head(WhoseHead, path)
    if head.weights.shape != (N_FEATURES,):
        return None  # weights of another feature layout: retrain (``sitrep train-reader``)
    return head


@dataclass(frozen=True)
class KindHead:
    """A multinomial head: ``p = softmax(((x - mean) / scale) @ weights.T + bias)`` over
    ``classes``. It overrides the rules' kind (one of ``reads``) with another kind when that
    kind's ``p`` reaches ``relabel_at``, and drops the claim when "not a claim" reaches
    ``drop_at``.

    Example:
        >>> head = KindHead(np.zeros(1), np.ones(1), np.array([[2.0], [-2.0]]), np.zeros(2),
        ...                 ("killed", "none"), 0.6, 0.9, ("other",))
        >>> [round(p, 2) for p in head.probabilities(np.array([1.0]))]
        [0.98, 0.02]
    """

    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray  # classes x features
    bias: np.ndarray
    classes: tuple[str, ...]
    relabel_at: float
    drop_at: float
    reads: tuple[str, ...]

    def probabilities(self, features: np.ndarray) -> list[float]:
        """One probability per class for one feature vector."""
        return _softmax(self, features)


@functools.lru_cache(maxsize=1)
def load_kind_head() -> KindHead | None:
    """The shipped kind head, or None when its weights file is absent (or was written for
    another feature layout)."""
    path = data_path(KIND_FILE)
    if not path.exists():
        return None
    head = _read_head(KindHead, path)
    if head.weights.shape[1] != KIND_FEATURES:
        return None  # weights of another feature layout: retrain (``sitrep train-reader``)
    return head


@dataclass(frozen=True)
class ScopeHead:
    """A multinomial head over ``classes`` (the scopes), scored as ``KindHead``. It overrides
    the rules' scope, when it and the family of the reason that decided it are in ``reads``
    (``reader.scope.rule_key``: "cue:total", "kind:incident"), with
    another scope whose ``p`` reaches ``threshold``.

    Example:
        >>> head = ScopeHead(np.zeros(1), np.ones(1), np.array([[1.0], [0.0], [-1.0]]),
        ...                  np.zeros(3), ("incident", "period", "total"), 0.6, ("kind:incident",))
        >>> [round(p, 2) for p in head.probabilities(np.array([2.0]))]
        [0.87, 0.12, 0.02]
    """

    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray  # classes x features
    bias: np.ndarray
    classes: tuple[str, ...]
    threshold: float
    reads: tuple[str, ...]

    def probabilities(self, features: np.ndarray) -> list[float]:
        """One probability per class for one feature vector."""
        return _softmax(self, features)


@functools.lru_cache(maxsize=1)
def load_scope_head() -> ScopeHead | None:
    """The shipped scope head, or None when its weights file is absent."""
    path = data_path(SCOPE_FILE)
    if not path.exists():
        return None
    return _read_head(ScopeHead, path)
