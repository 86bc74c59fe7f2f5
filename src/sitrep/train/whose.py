"""Training the claim reader's whose-losses head (``sitrep.extract.reader``).

Examples are the candidates of every victim count the subject rules leave without a country,
read by the extractor itself (``reader.decide.collecting``), so training and extraction
describe candidates alike. Two sources, neither of them a dev split:

* the NYT/WaPo/WSJ casualty sentences (``casualty_mentions_nyt.jsonl``) outside the
  held-out sixth that ``sitrep eval`` scores (``eval_nyt.held_out``): a candidate is right
  when it is the tagged victims' side (israel IL, palestine PS, both either);
* the annotated news articles of the train split (``annotations/news``): a candidate is
  right when it is the readers' subject country; a count the readers gave no country
  teaches the head to say nothing. These hold counts of troops, equipment and money too
  (whose they are: the recipient of what is supplied, the holder of what is massed); the
  NYT sentences give victim counts only.

A logistic regression (scikit-learn, L2) is fitted; its strength and the threshold are
chosen by article-grouped cross-validation on these examples only: the threshold for victim
counts maximises the mean over the two sources of the counts whose decision is right (the
right country, or nothing where the gold has none), where below it the rules' guess stands
unless the head finds it unlikely too (a third figure, chosen alike: then nothing says whose).
The counts of troops, equipment and money (news only) train a sibling head the same way, on
the same candidates and facts: its own weights, strength and thresholds.

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
from sitrep.extract.reader.model import HELD_FILE, WHOSE_FILE
from sitrep.extract.reader.whose import FACTS

SIDE_COUNTRIES = {"israel": {"IL"}, "palestine": {"PS"}, "both": {"IL", "PS"}}
STRENGTHS = (0.003, 0.01, 0.03, 0.1, 0.3)
#: The held counts' head learns from a hundred-odd counts: weaker weights are tried too.
HELD_STRENGTHS = (0.01, 0.03, 0.1, 0.3, 1.0)
#: Where the head may drop the rules' guess: below these probabilities of it (0: never). The
#: held counts' head never does: a hundred-odd counts are too few to learn when the subject
#: of "sent 8,000 troops" is not whose they are.
KEEP_GUESS = (0.0, 0.05, 0.1, 0.15, 0.2)
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
    harm: bool = True  # a victim count (else troops, equipment or money)


def labels_for(side: str, countries: list[str]) -> list[int]:
    """1 for each candidate country that is the NYT row's victims' side."""
    wanted = SIDE_COUNTRIES.get(side, set())
    return [int(c in wanted) for c in countries]


def _groups(rows: Iterable[tuple[object, list[Any]]], gold_of: Any,
            source: str) -> list[Group]:
    out = []
    for key, found in rows:
        harm = bool(found[0].facts["kind_harm"])
        if source == "nyt" and not harm:
            continue  # the NYT sentences tag whose dead, not whose money
        gold, article = gold_of(key)
        if gold is None:
            continue  # a count the gold does not hold: no label
        countries = [c.country for c in found]
        guess = next((c.country for c in found if c.facts["rule_guess"]), None)
        out.append(Group(np.stack([c.features for c in found]),
                         [int(c in gold) for c in countries], countries, gold, article, guess,
                         source, harm))
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


def _decisions(groups: list[Group], probs: list[np.ndarray], threshold: float,
               keep: float = 0.0) -> float:
    """Share of groups whose decision is right at ``threshold``, where below it the rules'
    guess stands when the head gives it at least ``keep``."""
    right = 0
    for g, p in zip(groups, probs, strict=True):
        best = int(np.argmax(p))
        chosen = g.countries[best] if p[best] >= threshold else None
        if chosen is None and g.guess is not None and p[g.countries.index(g.guess)] >= keep:
            chosen = g.guess
        right += (chosen in g.gold) if chosen else not g.gold
    return right / len(groups) if groups else 0.0


def _balanced(groups: list[Group], probs: list[np.ndarray], threshold: float,
              keep: float = 0.0) -> float:
    """The mean over the sources of their decisions right: the NYT sentences always have a
    side, the news counts often none, and neither should set the threshold alone."""
    shares = []
    for source in sorted({g.source for g in groups}):
        idx = [i for i, g in enumerate(groups) if g.source == source]
        shares.append(_decisions([groups[i] for i in idx], [probs[i] for i in idx], threshold,
                                 keep))
    return float(np.mean(shares)) if shares else 0.0


def _best_threshold(groups: list[Group], probs: list[np.ndarray],
                    keeps: tuple[float, ...]) -> tuple[float, float, float]:
    """(threshold, guess kept at, decisions right, balanced over the sources)."""
    best = (0.5, 0.0, -1.0)
    for threshold in np.arange(0.2, 0.9, 0.05):
        for keep in keeps:
            right = _balanced(groups, probs, float(threshold), keep)
            if right > best[2] + 1e-9:
                best = (float(threshold), keep, right)
    return best


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


def folds(groups: list[Group]) -> dict[str, int]:
    """The cross-validation fold of each article."""
    articles = sorted({g.article for g in groups})
    return {a: i % FOLDS for i, a in enumerate(np.random.default_rng(7).permutation(articles))}


@dataclass(frozen=True)
class Choice:
    """What the grouped folds chose for one head, and its decisions right out of fold."""

    strength: float
    threshold: float
    keep_guess_at: float
    right: float


def cross_validate(groups: list[Group], strengths: tuple[float, ...] = STRENGTHS,
                   keeps: tuple[float, ...] = KEEP_GUESS) -> Choice:
    """The strength, threshold and guess floor (one of ``keeps``) chosen by article-grouped
    folds."""
    fold_of = folds(groups)
    best = Choice(0.0, 0.5, 0.0, -1.0)
    for strength in strengths:
        oof: list[np.ndarray] = [np.zeros(0)] * len(groups)
        for fold in range(FOLDS):
            train = [g for g in groups if fold_of[g.article] != fold]
            test = [i for i, g in enumerate(groups) if fold_of[g.article] == fold]
            if not test:
                continue
            fitted = _fit(train, strength)
            for i, p in zip(test, _probs(fitted, [groups[i] for i in test]), strict=True):
                oof[i] = p
        threshold, keep, right = _best_threshold(groups, oof, keeps)
        if right > best.right:
            best = Choice(strength, threshold, keep, right)
    return best


def collect(shared: Path, folder: Path, nyt_limit: int | None = None) -> list[Group]:
    """The examples of both sources, read by the extractor with no head deciding."""
    extractor = Extractor()
    groups = nyt_groups(extractor, shared / "data" / "casualty_mentions_nyt.jsonl", nyt_limit)
    return groups + news_groups(extractor, shared / "data" / "news_dev_pool.jsonl", folder)


def write_head(groups: list[Group], choice: Choice, out: Path) -> None:
    """Fit on ``groups`` with the chosen strength and write the weights and thresholds."""
    scaler, model = _fit(groups, choice.strength)
    np.savez_compressed(
        out,
        mean=scaler.mean_.astype(np.float32),
        scale=scaler.scale_.astype(np.float32),
        weights=model.coef_[0].astype(np.float32),
        bias=np.float32(model.intercept_[0]),
        threshold=np.float32(choice.threshold),
        keep_guess_at=np.float32(choice.keep_guess_at),
        facts=np.array(FACTS),
    )


def train(shared: Path, folder: Path, out: Path | None = None,
          nyt_limit: int | None = None) -> dict[str, float]:
    """Collect examples, choose strength and thresholds by grouped folds, fit on all, and
    write the weights of the victim counts' head (default: the package's
    ``data/reader_whose.npz``) and of its sibling for held counts (``reader_whose_held.npz``
    beside it)."""
    groups = collect(shared, folder, nyt_limit)
    out = out or data_path(WHOSE_FILE)
    harm = [g for g in groups if g.harm]
    held = [g for g in groups if not g.harm]
    figures: dict[str, float] = {"nyt_groups": float(sum(g.source == "nyt" for g in groups))}
    for name, subset, strengths, keeps, path in (
            ("", harm, STRENGTHS, KEEP_GUESS, out),
            ("held_", held, HELD_STRENGTHS, (0.0,), out.with_name(HELD_FILE))):
        choice = cross_validate(subset, strengths, keeps)
        write_head(subset, choice, path)
        rules = _balanced(subset, [np.zeros(len(g.countries)) for g in subset], 2.0)
        figures.update({f"{name}groups": float(len(subset)), f"{name}strength": choice.strength,
                        f"{name}threshold": round(choice.threshold, 2),
                        f"{name}keep_guess_at": choice.keep_guess_at,
                        f"{name}cv_right": round(choice.right, 3),
                        f"{name}rules_right": round(rules, 3)})
    return figures
