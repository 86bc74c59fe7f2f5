"""Training the claim reader's kind head (``sitrep.extract.reader``).

Examples are the numbers the quantity rules keep in the annotated news articles of the train
split (``annotations/news``), read by the extractor itself (``reader.decide.collecting_kinds``)
so that training and extraction describe them alike. A number's label is the kind of the
readers' claim whose quantity overlaps it, or "none" (not a claim) where no claim of theirs
does; a number that overlaps only a count the readers leave out of the gold (``gold_claims``:
implicit non-victim counts) teaches nothing. The dev split is never read.

A multinomial logistic regression (scikit-learn, L2) is fitted. Its strength, which of the
rules' kinds the head reads (``other`` alone, or all), and its two thresholds (to relabel, to
drop) are chosen by article-grouped cross-validation on train: the out-of-fold decisions are
applied to the extracted claims and scored as ``sitrep eval`` scores the news set (claims F1,
kind and value), so that a drop or a relabel counts as it would in the evaluation.

Example:
    >>> label_for((0, 4), [{"quantity": {"start": 2, "end": 6}, "kind": "killed"}], [])
    'killed'
    >>> label_for((0, 4), [], [])
    'none'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from sitrep.eval_news import gold_claims, match_claims, pool_articles, read_gold, score
from sitrep.evaluate import spans_overlap
from sitrep.extract.lexicon import data_path
from sitrep.extract.pipeline import Extractor
from sitrep.extract.reader.decide import collecting_kinds
from sitrep.extract.reader.kind import CLASSES, FACTS, KINDS, NOT_A_CLAIM
from sitrep.extract.reader.model import KIND_FILE
from sitrep.train.heads import FOLDS, article_folds, class_probs, class_weights, fit_logistic

STRENGTHS = (0.01, 0.03, 0.1)
READS = {"other": ("other",), "all": KINDS}
#: The head overrides only when its best class holds 40 % at least (of 12 classes).
THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.4, 1.0, 0.05))
Key = tuple[str, int, int]


@dataclass
class Examples:
    """The collected numbers of the train split: features, labels, the rules' kinds, their
    keys (article, start, end), and each article's gold, ignored and extracted claims."""

    x: np.ndarray
    labels: list[str]
    rule_kinds: list[str]
    keys: list[Key]
    articles: list[tuple[str, list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]]
    rows: dict[Key, int] = field(default_factory=dict)


def label_for(span: tuple[int, int], keep: list[dict[str, Any]],
              ignore: list[dict[str, Any]]) -> str | None:
    """The gold kind of the number at ``span``: that of a kept gold claim overlapping it,
    None when only an ignored one does, else ``NOT_A_CLAIM``."""
    for claims, found in ((keep, True), (ignore, False)):
        for g in claims:
            q = g["quantity"]
            if q.get("start") is not None and spans_overlap((q["start"], q["end"]), span):
                return str(g["kind"]) if found else None
    return NOT_A_CLAIM


def collect(extractor: Extractor, pool: Path, folder: Path) -> Examples:
    """The train split's numbers as the extractor reads them, with their labels."""
    gold = read_gold(folder, "train")
    articles = pool_articles(pool, gold)
    with collecting_kinds() as collected:
        records = list(extractor.extract(articles))
    xs, labels, rule_kinds, keys = [], [], [], []
    for key, kind, x in collected:
        assert isinstance(key, tuple)
        article_id, start, end = str(key[0]), int(key[1]), int(key[2])
        keep, ignore = gold_claims(gold[article_id])
        label = label_for((start, end), keep, ignore)
        if label is None:
            continue
        xs.append(x)
        labels.append(label if label in CLASSES else "other")
        rule_kinds.append(kind)
        keys.append((article_id, start, end))
    per_article = []
    for article, record in zip(articles, records, strict=True):
        keep, ignore = gold_claims(gold[article.id])
        per_article.append((article.id, keep, ignore, record["claims"]))
    ex = Examples(np.stack(xs), labels, rule_kinds, keys, per_article)
    ex.rows = {k: i for i, k in enumerate(keys)}
    return ex


Decide = Callable[[int, str], str | None]  # (row, rules' kind) -> kind, "none" or None


def figures(ex: Examples, decide: Decide | None = None) -> dict[str, float]:
    """Claims precision, recall, F1 (as ``sitrep eval`` scores the news set) and kind
    accuracy of the matched claims, with ``decide``'s kinds in place of the rules'."""
    pairs, kind_ok, matched = [], 0, 0
    for article_id, keep, ignore, claims in ex.articles:
        predicted = []
        for c in claims:
            q = c["quantity"]
            row = ex.rows.get((article_id, q["start"], q["end"]))
            kind = decide(row, q["kind"]) if decide is not None and row is not None else None
            if kind == NOT_A_CLAIM:
                continue
            predicted.append({**c, "quantity": {**q, "kind": kind or q["kind"]}})
        drop = {pi for _, pi in match_claims(ignore, predicted)}
        predicted = [p for pi, p in enumerate(predicted) if pi not in drop]
        for gi, pi in match_claims(keep, predicted):
            matched += 1
            kind_ok += keep[gi]["kind"] == predicted[pi]["quantity"]["kind"]
        pairs.append((keep, predicted))
    out = score(pairs)
    return {"claims_precision": round(out["claims_precision"], 3),
            "claims_recall": round(out["claims_recall"], 3),
            "claims_f1": round(out["claims_f1"], 3),
            "kind_accuracy": round(kind_ok / matched if matched else 0.0, 3)}


def decider(probs: np.ndarray, reads: tuple[str, ...], relabel_at: float,
            drop_at: float) -> Decide:
    """The head's decision on row ``i`` of ``probs`` (rows x ``CLASSES``), as
    ``reader.decide.claim_kind`` makes it."""
    def decide(i: int, rule_kind: str) -> str | None:
        if rule_kind not in reads:
            return None
        best = int(np.argmax(probs[i]))
        kind, p = CLASSES[best], probs[i, best]
        if kind == rule_kind or p < (drop_at if kind == NOT_A_CLAIM else relabel_at):
            return None
        return kind
    return decide


def out_of_fold(ex: Examples, strength: float) -> np.ndarray:
    """Each number's class probabilities from the head fitted on the other articles' folds."""
    folds = article_folds([k[0] for k in ex.keys])
    probs = np.zeros((len(ex.labels), len(CLASSES)))
    for fold in range(FOLDS):
        train = np.flatnonzero(folds != fold)
        test = np.flatnonzero(folds == fold)
        fitted = fit_logistic(ex.x[train], [ex.labels[i] for i in train], strength)
        probs[test] = class_probs(fitted, ex.x[test], CLASSES)
    return probs


def cross_validate(ex: Examples) -> dict[str, Any]:
    """The strength, reads and thresholds whose out-of-fold decisions give the best claims
    F1, with their figures."""
    best: dict[str, Any] = {"claims_f1": -1.0}
    for strength in STRENGTHS:
        probs = out_of_fold(ex, strength)
        for name, reads in READS.items():
            for relabel_at in THRESHOLDS:
                for drop_at in THRESHOLDS:
                    got = figures(ex, decider(probs, reads, relabel_at, drop_at))
                    if got["claims_f1"] > best["claims_f1"]:
                        best = {**got, "strength": strength, "reads": name,
                                "relabel_at": relabel_at, "drop_at": drop_at}
    return best


def write_head(ex: Examples, strength: float, reads: tuple[str, ...], relabel_at: float,
               drop_at: float, out: Path) -> None:
    """Fit the head on all examples and write its weights."""
    scaler, model = fit_logistic(ex.x, ex.labels, strength)
    width = ex.x.shape[1]
    weights, bias = class_weights(model, CLASSES, np.arange(width), width)
    np.savez_compressed(
        out, mean=scaler.mean_.astype(np.float32), scale=scaler.scale_.astype(np.float32),
        weights=weights, bias=bias,
        classes=np.array(CLASSES), relabel_at=np.float32(relabel_at),
        drop_at=np.float32(drop_at), reads=np.array(reads), facts=np.array(FACTS))


def train(shared: Path, folder: Path, out: Path | None = None) -> dict[str, Any]:
    """Collect the train split's numbers, choose the head's strength, reads and thresholds
    by article-grouped folds, fit it on all, and write its weights (default: the package's
    ``data/reader_kind.npz``). Returns the rules' figures and the cross-validated ones."""
    ex = collect(Extractor(), shared / "data" / "news_dev_pool.jsonl", folder)
    rules = figures(ex)
    best = cross_validate(ex)
    write_head(ex, best["strength"], READS[best["reads"]], best["relabel_at"],
               best["drop_at"], out or data_path(KIND_FILE))
    counts = {c: ex.labels.count(c) for c in CLASSES if c in ex.labels}
    return {"numbers": len(ex.labels), "labels": counts, "rules": rules, "cv": best}
