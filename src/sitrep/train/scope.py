"""Training the claim reader's scope head (``sitrep.extract.reader``).

Examples are the claims the extractor gives on the annotated news articles of the train split
(``annotations/news``), read by the extractor itself (``reader.decide.collecting_scopes``) so
that training and extraction describe them alike, with the kind head deciding upstream as it
does at extraction. A claim's label is the scope of the readers' claim it matches (as ``sitrep
eval`` matches them: overlapping quantities, one-to-one); a claim matching none teaches
nothing, since its scope is never scored. The dev split is never read.

A multinomial logistic regression (scikit-learn, L2) is fitted. Its strength, whether it reads
the encoder's states, its threshold, and which of the rules' decisions it may overrule (a
scope and the family of its reason, ``reader.scope.rule_key``: the rules stay where they are
exact) are fixed in ``reader_scope.json`` (``head``). ``search=True`` chooses them again by
article-grouped cross-validation on train: the out-of-fold decisions are applied to the
extracted claims and scored as ``sitrep eval`` scores the news set. The search picks among
96 settings and the reads greedily on the same out-of-fold decisions that score them, so its
figure is optimistic; refits keep the fixed settings unless asked.

Example:
    >>> scope_decider(np.array([[0.1, 0.1, 0.8]]), ("kind:incident",), 0.7)(0, "kind:incident")
    'total'
    >>> scope_decider(np.array([[0.1, 0.1, 0.8]]), ("cue:incident",), 0.7)(0, "kind:incident")
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from sitrep.eval_news import gold_claims, match_claims, pool_articles, read_gold, score
from sitrep.extract.lexicon import data_path, load_data
from sitrep.extract.pipeline import Extractor
from sitrep.extract.reader.decide import collecting_scopes
from sitrep.extract.reader.model import SCOPE_FILE
from sitrep.extract.reader.scope import FACTS, rule_key
from sitrep.model import SCOPES
from sitrep.train.heads import FOLDS, article_folds, class_probs, class_weights, fit_logistic

STRENGTHS = (0.003, 0.01, 0.03, 0.1)
THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.4, 1.0, 0.05))
Key = tuple[str, int, int]
Article = tuple[str, list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]


@dataclass
class Examples:
    """The collected claims of the train split: features, labels (None: matches no gold
    claim), the rules' keys (``rule_key``), their keys (article, start, end), and each
    article's gold, ignored and extracted claims."""

    x: np.ndarray
    labels: list[str | None]
    rules: list[str]
    keys: list[Key]
    articles: list[Article]
    rows: dict[Key, int] = field(default_factory=dict)


def collect(extractor: Extractor, pool: Path, folder: Path) -> Examples:
    """The train split's claims as the extractor reads them, with their labels."""
    gold = read_gold(folder, "train")
    articles = pool_articles(pool, gold)
    with collecting_scopes() as collected:
        records = list(extractor.extract(articles))
    per_article: list[Article] = []
    label_of: dict[Key, str] = {}
    for article, record in zip(articles, records, strict=True):
        keep, ignore = gold_claims(gold[article.id])
        claims = record["claims"]
        per_article.append((article.id, keep, ignore, claims))
        drop = {pi for _, pi in match_claims(ignore, claims)}
        kept = [c for pi, c in enumerate(claims) if pi not in drop]
        for gi, pi in match_claims(keep, kept):
            q = kept[pi]["quantity"]
            if keep[gi].get("scope") in SCOPES:
                label_of[(article.id, q["start"], q["end"])] = keep[gi]["scope"]
    xs, labels, rules, keys = [], [], [], []
    for key, scope, reason, x in collected:
        assert isinstance(key, tuple)
        k = (str(key[0]), int(key[1]), int(key[2]))
        xs.append(x)
        labels.append(label_of.get(k))
        rules.append(rule_key(scope, reason))
        keys.append(k)
    ex = Examples(np.stack(xs), labels, rules, keys, per_article)
    ex.rows = {k: i for i, k in enumerate(keys)}
    return ex


Decide = Callable[[int, str], str | None]  # (row, rules' key) -> scope, or None


def figures(ex: Examples, decide: Decide | None = None) -> dict[str, float]:
    """The news figures (``sitrep eval``'s, over the train split) with ``decide``'s scopes
    in place of the rules', and how many claims it changed."""
    pairs, ignored, changed = [], [], 0
    for article_id, keep, ignore, claims in ex.articles:
        predicted = []
        for c in claims:
            q = c["quantity"]
            row = ex.rows.get((article_id, q["start"], q["end"]))
            scope = decide(row, ex.rules[row]) if decide is not None and row is not None else None
            changed += scope is not None and scope != c["scope"]
            predicted.append({**c, "scope": scope or c["scope"]})
        pairs.append((keep, predicted))
        ignored.append(ignore)
    out = {k: round(v, 3) for k, v in score(pairs, ignored).items()
           if k in ("claims_f1", "wholly_right", "scope")}
    return {**out, "changed": float(changed)}


def scope_decider(probs: np.ndarray, reads: tuple[str, ...], threshold: float) -> Decide:
    """The head's decision on row ``i`` of ``probs`` (rows x ``SCOPES``), as
    ``reader.decide.claim_scope`` makes it."""
    def decide(i: int, rule: str) -> str | None:
        if rule not in reads:
            return None
        best = int(np.argmax(probs[i]))
        scope = SCOPES[best]
        if scope == rule.split(":")[1] or probs[i, best] < threshold:
            return None
        return scope
    return decide


def _columns(n: int, states: bool) -> np.ndarray:
    """The feature columns the head reads: all, or the facts alone."""
    return np.arange(n) if states else np.arange(len(FACTS))


def out_of_fold(ex: Examples, strength: float, states: bool) -> np.ndarray:
    """Each claim's scope probabilities from the head fitted on the other articles' folds
    (labelled claims only train it; every claim gets probabilities)."""
    folds = article_folds([k[0] for k in ex.keys])
    labelled = np.array([label is not None for label in ex.labels])
    cols = _columns(ex.x.shape[1], states)
    probs = np.zeros((len(ex.labels), len(SCOPES)))
    for fold in range(FOLDS):
        train = np.flatnonzero((folds != fold) & labelled)
        test = np.flatnonzero(folds == fold)
        fitted = fit_logistic(ex.x[np.ix_(train, cols)], [str(ex.labels[i]) for i in train],
                              strength)
        probs[test] = class_probs(fitted, ex.x[np.ix_(test, cols)], SCOPES)
    return probs


def _reads(ex: Examples, probs: np.ndarray, threshold: float) -> tuple[tuple[str, ...], float]:
    """The rules' decisions the head overrules: all it meets, less each one whose
    overruling costs scope accuracy on the folds (one pass, largest first)."""
    keys = sorted(set(ex.rules), key=lambda k: -ex.rules.count(k))
    reads = set(keys)
    best = figures(ex, scope_decider(probs, tuple(reads), threshold))["scope"]
    for key in keys:
        trial = tuple(reads - {key})
        got = figures(ex, scope_decider(probs, trial, threshold))["scope"]
        if got >= best:
            reads, best = set(trial), got
    return tuple(sorted(reads)), best


def cross_validate(ex: Examples) -> dict[str, Any]:
    """The strength, states, threshold and reads whose out-of-fold decisions give the best
    scope accuracy (fewer changes at a tie), with their figures."""
    best: dict[str, Any] = {"scope": -1.0, "changed": 0.0}
    for states in (False, True):
        for strength in STRENGTHS:
            probs = out_of_fold(ex, strength, states)
            for threshold in THRESHOLDS:
                reads, _ = _reads(ex, probs, threshold)
                got = figures(ex, scope_decider(probs, reads, threshold))
                if (got["scope"], -got["changed"]) > (best["scope"], -best["changed"]):
                    best = {**got, "strength": strength, "states": states,
                            "threshold": threshold, "reads": list(reads)}
    return best


def write_head(ex: Examples, strength: float, states: bool, reads: tuple[str, ...],
               threshold: float, out: Path) -> None:
    """Fit the head on all labelled claims and write its weights (a head without the
    states has zero weights on them)."""
    labelled = np.flatnonzero([label is not None for label in ex.labels])
    cols = _columns(ex.x.shape[1], states)
    scaler, model = fit_logistic(ex.x[np.ix_(labelled, cols)],
                                 [str(ex.labels[i]) for i in labelled], strength)
    n = ex.x.shape[1]
    mean = np.zeros(n, dtype=np.float32)
    scale = np.ones(n, dtype=np.float32)
    mean[cols] = scaler.mean_
    scale[cols] = scaler.scale_
    weights, bias = class_weights(model, SCOPES, cols, n)
    np.savez_compressed(
        out, mean=mean, scale=scale, weights=weights, bias=bias, classes=np.array(SCOPES),
        threshold=np.float32(threshold), reads=np.array(reads), facts=np.array(FACTS))


def fixed_settings() -> dict[str, Any]:
    """The head's settings as ``reader_scope.json`` fixes them.

    Example:
        >>> sorted(fixed_settings())
        ['reads', 'states', 'strength', 'threshold']
    """
    head = load_data("reader_scope.json")["head"]
    return {"strength": float(head["strength"]), "states": bool(head["states"]),
            "threshold": float(head["threshold"]), "reads": list(head["reads"])}


def settings_figures(ex: Examples, settings: dict[str, Any]) -> dict[str, Any]:
    """The out-of-fold figures of given settings (no choice made on them)."""
    probs = out_of_fold(ex, settings["strength"], settings["states"])
    decide = scope_decider(probs, tuple(settings["reads"]), settings["threshold"])
    return {**figures(ex, decide), **settings}


def train(shared: Path, folder: Path, out: Path | None = None,
          search: bool = False) -> dict[str, Any]:
    """Collect the train split's claims, fit the head on all with the fixed settings (or,
    with ``search``, those article-grouped folds choose), and write its weights (default:
    the package's ``data/reader_scope.npz``). Returns the rules' figures and the CV ones."""
    ex = collect(Extractor(), shared / "data" / "news_dev_pool.jsonl", folder)
    return fit_and_write(ex, out or data_path(SCOPE_FILE), search)


def fit_and_write(ex: Examples, out: Path, search: bool = False) -> dict[str, Any]:
    """Fit on collected examples with the fixed settings (or search them by CV), write the
    head; the figures (out of fold, for the settings written)."""
    rules = figures(ex)
    best = cross_validate(ex) if search else settings_figures(ex, fixed_settings())
    write_head(ex, best["strength"], best["states"], tuple(best["reads"]),
               best["threshold"], out)
    counts = {s: ex.labels.count(s) for s in SCOPES}
    return {"claims": len(ex.labels), "labels": counts, "rules": rules, "cv": best}
