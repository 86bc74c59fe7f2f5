"""Training the claim reader's whose-losses head (``sitrep.extract.reader``).

Examples are the candidates of every victim count the subject rules leave without a country,
read by the extractor itself (``reader.decide.collecting``), so training and extraction
describe candidates alike. Two sources, neither of them a dev split:

* the NYT/WaPo/WSJ casualty sentences (``casualty_mentions_nyt.jsonl``) outside the
  held-out sixth that ``sitrep eval`` scores (``eval_nyt.held_out``): a candidate is right
  when it is the tagged victims' side (israel IL, palestine PS, both either);
* the annotated news articles of the train split (``annotations/news``): a candidate is
  right when it is the readers' subject country; a count the readers gave no country
  teaches the head to say nothing.

A logistic regression (scikit-learn, L2) is fitted; its strength and the threshold are
chosen by article-grouped cross-validation on these examples only: the threshold maximises
the mean over the two sources of the counts whose decision is right (the right country, or
nothing where the gold has none), where below it the rules' guess stands.

Example:
    >>> labels_for("both", ["IL", "PS", "US"])
    [1, 1, 0]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from sitrep.eval_news import gold_claims, pool_articles, read_gold
from sitrep.eval_nyt import read_rows, sentence_articles
from sitrep.evaluate import spans_overlap
from sitrep.extract.lexicon import data_path
from sitrep.extract.pipeline import Extractor
from sitrep.extract.reader.decide import collecting
from sitrep.extract.reader.model import WHOSE_FILE
from sitrep.extract.reader.whose import FACTS

SIDE_COUNTRIES = {"israel": {"IL"}, "palestine": {"PS"}, "both": {"IL", "PS"}}
STRENGTHS = (0.01, 0.03, 0.1, 0.3)
FOLDS = 5


@dataclass
class Group:
    """The candidates of one victim count: features, labels, the gold country set (empty:
    the gold says nothing), and the article it comes from (the cross-validation group)."""

    features: np.ndarray
    labels: list[int]
    countries: list[str]
    gold: set[str]
    article: str
    guess: str | None  # the rules' weak answer, kept when the head is not sure
    source: str = "nyt"  # which set it comes from: "nyt" or "news"


def labels_for(side: str, countries: list[str]) -> list[int]:
    """1 for each candidate country that is the NYT row's victims' side."""
    wanted = SIDE_COUNTRIES.get(side, set())
    return [int(c in wanted) for c in countries]


def _groups(rows: Iterable[tuple[object, list[Any]]], gold_of: Any,
            source: str) -> list[Group]:
    out = []
    for key, found in rows:
        gold, article = gold_of(key)
        if gold is None:
            continue  # a count the gold does not hold: no label
        countries = [c.country for c in found]
        guess = next((c.country for c in found if c.facts["rule_guess"]), None)
        out.append(Group(np.stack([c.features for c in found]),
                         [int(c in gold) for c in countries], countries, gold, article, guess,
                         source))
    return out


def nyt_groups(extractor: Extractor, path: Path, limit: int | None = None) -> list[Group]:
    """Groups from the NYT sentences outside the held-out sixth."""
    rows = read_rows(path, "rest", limit)
    side = {r["id"]: r["victim_side"] for r in rows}
    articles = sentence_articles(rows)
    with collecting() as collected:
        for _ in extractor.extract(articles):
            pass

    def gold_of(key: Any) -> tuple[set[str] | None, str]:
        row_id = key[0]
        return SIDE_COUNTRIES.get(side.get(row_id, "")), ":".join(row_id.split(":")[:2])

    return _groups(collected, gold_of, "nyt")


def news_groups(extractor: Extractor, pool: Path, folder: Path) -> list[Group]:
    """Groups from the annotated news articles of the train split."""
    gold = read_gold(folder, "train")
    articles = pool_articles(pool, gold)
    with collecting() as collected:
        for _ in extractor.extract(articles):
            pass

    def gold_of(key: Any) -> tuple[set[str] | None, str]:
        article_id, start, end = key
        keep, _ = gold_claims(gold[article_id])
        for g in keep:
            q = g["quantity"]
            if q.get("start") is not None and spans_overlap((q["start"], q["end"]),
                                                            (start, end)):
                country = (g.get("subject") or {}).get("country")
                return ({country} if country else set()), article_id
        return None, article_id

    return _groups(collected, gold_of, "news")


def _decisions(groups: list[Group], probs: list[np.ndarray], threshold: float) -> float:
    """Share of groups whose decision is right at ``threshold``."""
    right = 0
    for g, p in zip(groups, probs, strict=True):
        best = int(np.argmax(p))
        chosen = g.countries[best] if p[best] >= threshold else g.guess
        right += (chosen in g.gold) if chosen else not g.gold
    return right / len(groups) if groups else 0.0


def _balanced(groups: list[Group], probs: list[np.ndarray], threshold: float) -> float:
    """The mean over the sources of their decisions right: the NYT sentences always have a
    side, the news counts often none, and neither should set the threshold alone."""
    shares = []
    for source in sorted({g.source for g in groups}):
        idx = [i for i, g in enumerate(groups) if g.source == source]
        shares.append(_decisions([groups[i] for i in idx], [probs[i] for i in idx], threshold))
    return float(np.mean(shares)) if shares else 0.0


def _fit(groups: list[Group], strength: float) -> Any:
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    x = np.concatenate([g.features for g in groups])
    y = np.concatenate([g.labels for g in groups])
    scaler = StandardScaler().fit(x)
    model = LogisticRegression(C=strength, max_iter=2000).fit(scaler.transform(x), y)
    return scaler, model


def _probs(fitted: Any, groups: list[Group]) -> list[np.ndarray]:
    scaler, model = fitted
    return [model.predict_proba(scaler.transform(g.features))[:, 1] for g in groups]


def cross_validate(groups: list[Group]) -> tuple[float, float, float]:
    """(strength, threshold, decisions right) chosen by article-grouped folds."""
    articles = sorted({g.article for g in groups})
    fold_of = {a: i % FOLDS for i, a in enumerate(np.random.default_rng(7).permutation(articles))}
    best = (0.0, 0.5, -1.0)
    for strength in STRENGTHS:
        oof: list[np.ndarray] = [np.zeros(0)] * len(groups)
        for fold in range(FOLDS):
            train = [g for g in groups if fold_of[g.article] != fold]
            test = [i for i, g in enumerate(groups) if fold_of[g.article] == fold]
            fitted = _fit(train, strength)
            for i, p in zip(test, _probs(fitted, [groups[i] for i in test]), strict=True):
                oof[i] = p
        for threshold in np.arange(0.2, 0.9, 0.05):
            right = _balanced(groups, oof, float(threshold))
            if right > best[2]:
                best = (strength, float(threshold), right)
    return best


def train(shared: Path, folder: Path, out: Path | None = None,
          nyt_limit: int | None = None) -> dict[str, float]:
    """Collect examples, choose strength and threshold by grouped folds, fit on all, and
    write the head's weights (default: the package's ``data/reader_whose.npz``)."""
    extractor = Extractor()
    groups = nyt_groups(extractor, shared / "data" / "casualty_mentions_nyt.jsonl", nyt_limit)
    n_nyt = len(groups)
    groups += news_groups(extractor, shared / "data" / "news_dev_pool.jsonl", folder)
    rules_only = _balanced(groups, [np.zeros(len(g.countries)) for g in groups], 2.0)
    strength, threshold, right = cross_validate(groups)
    scaler, model = _fit(groups, strength)
    out = out or data_path(WHOSE_FILE)
    np.savez_compressed(
        out,
        mean=scaler.mean_.astype(np.float32),
        scale=scaler.scale_.astype(np.float32),
        weights=model.coef_[0].astype(np.float32),
        bias=np.float32(model.intercept_[0]),
        threshold=np.float32(threshold),
        facts=np.array(FACTS),
    )
    return {"groups": float(len(groups)), "nyt_groups": float(n_nyt),
            "news_groups": float(len(groups) - n_nyt), "strength": strength,
            "threshold": threshold, "cv_right": round(right, 3),
            "rules_right": round(rules_only, 3)}
