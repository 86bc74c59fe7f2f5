"""Scoring the extractor on real articles annotated by people (``annotations/news``).

The gold is the readers' annotation of articles of ``shared/data/news_dev_pool.jsonl``
(``annotations/GUIDE.md``), kept as offsets into the pool's texts; ``split.json`` puts each
article in train or dev. Only the primary readers' files (``reader-*.jsonl``) are gold; the
second reader's are for agreement (``scripts/agreement.py``). Implicit counts of things that
are not victims ("fired missiles") are neither gold nor errors (``gold_claims``).

A predicted claim matches a gold one when their quantity spans overlap (one-to-one, in text
order). Figures, over the split's annotated articles:

* ``claims_precision`` / ``claims_recall`` / ``claims_f1``: a match counts when the kind is the
  same (the value found with its kind); a gold mention that a found claim states again (one
  of its evidence sentences holds it, same kind and bounds: ``repeats_found``) is found too,
  since the contract makes a repeated figure one claim with more evidence, while the readers
  mark every mention; ``repeats`` counts those;
* ``claims_f1_mentions``: the same with every mention matched on its own (no repeats), the
  measure of the sessions before 2026-12-05's evening;
* ``wholly_right``: gold claims whose match (or the claim repeating them) has the same kind,
  low, high and speaker entity;
* ``speaker_entity``: of the matched claims, the speaker right: both narration, or the
  predicted speaker (its antecedent when it has one) overlaps the gold entity or names it
  (the same words, or the same two or more head words: "Hamas-run health ministry");
* ``subject_country``: of the matched claims, the same subject country (both none counts);
* ``scope``: of the matched claims, the same scope (``incident``, ``period`` or ``total``;
  ``sitrep.extract.scope``), counted over the matched claims the extractor gives one;
* ``place``: of the matched claims the readers give a place, the extractor gives the same
  place (``same_place``: the mention itself, or the same name less its generic word);
* ``place_unasked``: of the matched claims the readers give no place, the share the extractor
  gives one (a place the text does not tie to the figure, which a map would show).

Example:
    >>> match_claims([], [])
    []
"""

from __future__ import annotations

import json
from collections.abc import Container, Iterable
from datetime import date
from pathlib import Path
from typing import Any

from sitrep.evaluate import spans_overlap
from sitrep.model import PEOPLE_KINDS, Article
from sitrep.run import Extracts

Figures = dict[str, float]
Span = tuple[int, int]


def _span(d: dict[str, Any] | None) -> Span | None:
    if not d or d.get("start") is None or d.get("end") is None:
        return None
    return int(d["start"]), int(d["end"])


def gold_claims(record: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A record's gold claims, and the implicit non-victim counts that are neither gold nor
    errors when the extractor finds them.

    Example:
        >>> gold_claims({"claims": [{"implicit": True, "kind": "equipment"},
        ...                         {"implicit": True, "kind": "killed"}]})[1]
        [{'implicit': True, 'kind': 'equipment'}]
    """
    keep: list[dict[str, Any]] = []
    ignore: list[dict[str, Any]] = []
    for c in record["claims"]:
        # Counts of people stated without a number ("a man was killed", "civilians were
        # taken hostage") are claims; the readers' bare plurals of things ("tanks moving
        # down the road", "fired missiles") are not gold, since the issue asks for numeric
        # claims and implicit *victim* counts.
        (ignore if c.get("implicit") and c["kind"] not in PEOPLE_KINDS else keep).append(c)
    return keep, ignore


def read_gold(folder: Path, split: str = "dev") -> dict[str, dict[str, Any]]:
    """The primary readers' records of the ``split``'s articles, by article id."""
    ids = set(json.loads((folder / "split.json").read_text(encoding="utf-8"))[split])
    gold: dict[str, dict[str, Any]] = {}
    for path in sorted(folder.glob("reader-*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    record = json.loads(line)
                    if record["id"] in ids:
                        gold[record["id"]] = record
    return gold


def match_claims(gold: list[dict[str, Any]], predicted: list[dict[str, Any]]
                 ) -> list[tuple[int, int]]:
    """(gold index, predicted index) pairs whose quantity spans overlap, one-to-one."""
    pairs: list[tuple[int, int]] = []
    used: set[int] = set()
    for gi, g in enumerate(gold):
        gs = _span(g["quantity"])
        for pi, p in enumerate(predicted):
            ps = _span(p.get("quantity"))
            if pi not in used and gs and ps and spans_overlap(gs, ps):
                pairs.append((gi, pi))
                used.add(pi)
                break
    return pairs


def repeats_found(gold: list[dict[str, Any]], predicted: list[dict[str, Any]],
                  matched: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """(gold index, predicted index) of the gold claims left unmatched that a predicted claim
    states again: one of its evidence sentences holds the gold quantity, with the same kind
    and bounds. The contract makes a figure one speaker repeats one claim with more evidence
    (DESIGN), where the readers mark every mention (GUIDE): such a mention is found.

    Example:
        >>> gold = [{"quantity": {"start": 3, "end": 5}, "kind": "killed", "low": 12, "high": 12}]
        >>> claim = {"quantity": {"start": 90, "end": 92, "kind": "killed", "low": 12,
        ...          "high": 12}, "evidence": [{"start": 80, "end": 120}, {"start": 0, "end": 30}]}
        >>> repeats_found(gold, [claim], [])
        [(0, 0)]
    """
    done = {gi for gi, _ in matched}
    out: list[tuple[int, int]] = []
    for gi, g in enumerate(gold):
        span = _span(g["quantity"])
        if gi in done or span is None:
            continue
        for pi, p in enumerate(predicted):
            q = p.get("quantity") or {}
            if (q.get("kind"), _values(q)) != (g["kind"], (g["low"], g["high"])):
                continue
            if any(e["start"] <= span[0] and span[1] <= e["end"]
                   for e in p.get("evidence") or []):
                out.append((gi, pi))
                break
    return out


def normalised_name(text: str | None) -> str:
    """A name as the readers' and sitrep's are compared: lower case, leading article dropped.

    Example:
        >>> normalised_name("The Hamas-run health ministry")
        'hamas-run health ministry'
    """
    words = (text or "").lower().replace("’", "'").split()
    while words and words[0] in {"the", "a", "an"}:
        words = words[1:]
    return " ".join(words)


def same_speaker(gold: dict[str, Any] | None, predicted: dict[str, Any] | None) -> bool:
    """The predicted speaker is the gold entity (see the module docstring)."""
    if gold is None or predicted is None:
        return gold is None and predicted is None
    resolved = predicted.get("antecedent") or predicted
    entity = gold.get("entity") or {}
    spans = [s for s in (_span(entity), _span(gold.get("mention"))) if s]
    mine = _span(resolved)
    if mine and _span(entity) and spans_overlap(mine, _span(entity)):  # type: ignore[arg-type]
        return True
    if not gold.get("mention") and mine and any(spans_overlap(mine, s) for s in spans):
        return True
    mine_text, theirs = normalised_name(resolved.get("text")), normalised_name(entity.get("text"))
    if mine_text == theirs:
        return True
    # The same entity named with or without its owner: "Hamas-run health ministry" and "the
    # territory's Hamas-run health ministry" (two words of head at least).
    shorter, longer = sorted((mine_text, theirs), key=len)
    return len(shorter.split()) >= 2 and longer.endswith(" " + shorter)


#: Words that say what kind of place a name is, dropped before two names are compared
#: ("the Donetsk region", "Donetsk Oblast"); a settlement's word only before "of" ("the town
#: of Izium"), since "Gaza City" is another place than Gaza.
_GENERIC_PLACE_WORDS = frozenset({
    "region", "oblast", "province", "district", "raion", "county", "governorate", "area",
})
_SETTLEMENT_WORDS = frozenset({"village", "town", "city", "port"})


def _place_name(text: str | None) -> str:
    words = normalised_name(text).replace("-", " ").split()
    kept = [w for i, w in enumerate(words)
            if w not in _GENERIC_PLACE_WORDS and w != "of"
            and not (w in _SETTLEMENT_WORDS and words[i + 1:i + 2] == ["of"])]
    return " ".join(kept if kept else words)


def same_place(gold: dict[str, Any] | None, predicted: dict[str, Any] | None) -> bool:
    """The predicted place is the readers': its mention overlaps theirs, or its text or
    name is theirs, less the generic word ("the Donetsk region" and "Donetsk Oblast").

    Example:
        >>> same_place({"start": 10, "end": 26, "text": "the Donetsk region"},
        ...            {"start": 90, "end": 104, "text": "Donetsk Oblast", "name": "Donetsk"})
        True
        >>> same_place({"text": "Gaza City"}, {"text": "Gaza", "name": "Gaza Strip"})
        False
    """
    if gold is None or predicted is None:
        return gold is None and predicted is None
    mine, theirs = _span(predicted), _span(gold)
    if mine and theirs and spans_overlap(mine, theirs):
        return True
    wanted = _place_name(gold.get("text"))
    return bool(wanted) and wanted in {_place_name(predicted.get("text")),
                                       _place_name(predicted.get("name"))}


def _values(q: dict[str, Any]) -> tuple[float | None, float | None]:
    return q.get("low"), q.get("high")


def score(pairs_by_article: Iterable[tuple[list[dict[str, Any]], list[dict[str, Any]]]],
          ignored: Iterable[list[dict[str, Any]]] = ()) -> Figures:
    """The figures over (gold claims, predicted claims) of each article; a prediction that
    overlaps one of the article's ``ignored`` claims (see ``gold_claims``) is not counted."""
    n_gold = n_pred = kind_ok = whole = matched = speaker_ok = subject_ok = 0
    scope_n = scope_ok = place_n = place_ok = unasked_n = unasked = repeats = 0
    ignored_by_article = list(ignored)
    for k, (gold, predicted) in enumerate(pairs_by_article):
        if k < len(ignored_by_article) and ignored_by_article[k]:
            dropped = {pi for _, pi in match_claims(ignored_by_article[k], predicted)}
            predicted = [p for pi, p in enumerate(predicted) if pi not in dropped]
        n_gold += len(gold)
        n_pred += len(predicted)
        matched_pairs = match_claims(gold, predicted)
        for gi, pi in repeats_found(gold, predicted, matched_pairs):
            repeats += 1
            whole += same_speaker(gold[gi].get("speaker"), predicted[pi].get("speaker"))
        for gi, pi in matched_pairs:
            g, p = gold[gi], predicted[pi]
            q = p.get("quantity") or {}
            matched += 1
            same_kind = q.get("kind") == g["kind"]
            kind_ok += same_kind
            speaker = same_speaker(g.get("speaker"), p.get("speaker"))
            speaker_ok += speaker
            whole += same_kind and speaker and _values(q) == (g["low"], g["high"])
            g_country = (g.get("subject") or {}).get("country")
            subject_ok += (p.get("subject") or {}).get("country") == g_country
            if g.get("place"):
                place_n += 1
                place_ok += same_place(g["place"], p.get("place"))
            else:
                unasked_n += 1
                unasked += p.get("place") is not None
            if p.get("scope") is not None or q.get("scope") is not None:
                scope_n += 1
                scope_ok += (p.get("scope") or q.get("scope")) == g["scope"]
    precision = kind_ok / n_pred if n_pred else 0.0
    recall = (kind_ok + repeats) / n_gold if n_gold else 0.0
    first_recall = kind_ok / n_gold if n_gold else 0.0
    figures = {
        "claims_precision": precision,
        "claims_recall": recall,
        "claims_f1": 2 * precision * recall / (precision + recall) if kind_ok else 0.0,
        "claims_f1_mentions": (2 * precision * first_recall / (precision + first_recall)
                               if kind_ok else 0.0),
        "repeats": float(repeats),
        "wholly_right": whole / n_gold if n_gold else 0.0,
        "speaker_entity": speaker_ok / matched if matched else 0.0,
        "subject_country": subject_ok / matched if matched else 0.0,
        "gold_claims": float(n_gold),
    }
    if scope_n:
        figures["scope"] = scope_ok / scope_n
    if place_n:
        figures["place"] = place_ok / place_n
    if unasked_n:
        figures["place_unasked"] = unasked / unasked_n
    return figures


def pool_articles(pool: Path, ids: Container[str]) -> list[Article]:
    """The articles of the pool (``news_dev_pool.jsonl``) whose id is in ``ids``, in the
    pool's order."""
    articles = []
    with pool.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if row["id"] in ids:
                articles.append(Article(
                    id=row["id"], text=row["text"], title=row.get("title"),
                    outlet=row.get("outlet"),
                    published=date.fromisoformat(row["published"]) if row.get("published")
                    else None))
    return articles


def eval_news(extractor: Extracts, pool: Path, folder: Path, split: str = "dev",
              limit: int | None = None) -> Figures:
    """Figures ``news.*`` of the extractor on the ``split``'s annotated articles."""
    gold = read_gold(folder, split)
    articles = pool_articles(pool, gold)
    articles = articles[:limit] if limit else articles
    pairs, ignored = [], []
    for article, record in zip(articles, extractor.extract(articles), strict=True):
        keep, ignore = gold_claims(gold[article.id])
        pairs.append((keep, record["claims"]))
        ignored.append(ignore)
    figures = {f"news.{k}": round(v, 3) for k, v in score(pairs, ignored).items()}
    figures["news.articles"] = float(len(articles))
    return figures
