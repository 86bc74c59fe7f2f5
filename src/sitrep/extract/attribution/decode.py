"""Decoding one paragraph with the learned model (``decode``): cue tokens, their best
content and source heads, the spans they head, one statement per (speaker, content), then
the statement model's rescoring.

Part of ``sitrep.extract.attribution`` (see its docstring).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sitrep.extract.attribution.features import (
    content_candidates,
    content_features,
    cue_features,
    is_cue_candidate,
    source_candidates,
    source_features,
)
from sitrep.extract.attribution.parse import Parse
from sitrep.extract.attribution.quotes import _inside
from sitrep.extract.attribution.results import Attribution
from sitrep.extract.attribution.rules import _speaker_tokens
from sitrep.extract.attribution.scoring import (
    _overlaps,
    _sigmoid,
    linear_score,
    statement_signals,
    tree_score,
)


def _trim(p: Parse, toks: list[int]) -> list[int]:
    lo = 0
    hi = len(toks)
    while lo < hi and p.punct[toks[lo]]:
        lo += 1
    while hi > lo and (p.punct[toks[hi - 1]] or p.dep[toks[hi - 1]] == "case"):
        hi -= 1
    return toks[lo:hi]


def _piece(toks: list[int], around: int) -> list[int]:
    """The run of consecutive token indices in ``toks`` that holds ``around``."""
    if around not in toks:
        return toks
    k = toks.index(around)
    lo = k
    while lo > 0 and toks[lo - 1] == toks[lo] - 1:
        lo -= 1
    hi = k
    while hi + 1 < len(toks) and toks[hi + 1] == toks[hi] + 1:
        hi += 1
    return toks[lo : hi + 1]


def speaker_tokens(p: Parse, s: int, cue: int) -> list[int]:
    """The source phrase headed by ``s``: its subtree, without relative clauses or the cue."""
    toks = [t.i for t in _speaker_tokens(p.doc[s])]
    if p.left[cue] <= s <= p.right[cue] and s != cue:
        # The speaker sits inside the cue's subtree: keep it clear of the cue itself.
        toks = [t for t in toks if t != cue]
    else:
        cut = set(range(p.left[cue], p.right[cue] + 1))
        toks = [t for t in toks if t not in cut]
    toks = _piece(sorted(toks), s)
    return _trim(p, toks) or [s]


def content_tokens(p: Parse, cue: int, x: int, speaker: list[int]) -> list[int]:
    """The content headed by ``x``: its subtree less the cue's and the speaker's tokens."""
    toks = list(range(p.left[x], p.right[x] + 1))
    drop: set[int] = set(speaker)
    drop.add(cue)
    if p.left[x] <= cue <= p.right[x] and x != cue:
        if x not in range(p.left[cue], p.right[cue] + 1):
            drop.update(range(p.left[cue], p.right[cue] + 1))
    toks = [t for t in toks if t not in drop]
    toks = _piece(toks, x)
    while toks and (p.punct[toks[0]] or p.dep[toks[0]] in {"cc"}):
        toks = toks[1:]
    while toks and p.punct[toks[-1]]:
        toks = toks[:-1]
    return toks


def _cue_span(p: Parse, i: int) -> tuple[int, int]:
    end = p.end[i]
    if p.lem[i] == "accord" and i + 1 < p.n and p.low[i + 1] == "to":
        end = p.end[i + 1]
    return p.idx[i], end


def decode(
    p: Parse,
    model: dict[str, Any],
    threshold: float | None = None,
    source_threshold: float | None = None,
) -> list[Attribution]:
    """Statements of one paragraph according to ``model`` (see ``sitrep.train.attribution``).

    Cue tokens scoring at least the cue model's floor get a content and a source; the
    statement model (when the file has one) then rescores each whole statement. Statements
    scoring below ``threshold`` (default: the model's) are dropped.
    """
    cue_m = model["cue"]
    stm = model.get("statement")
    final_th = (stm or cue_m)["threshold"] if threshold is None else threshold
    th = cue_m["floor"] if stm is not None else final_th
    src_m = model["source"]
    src_th = src_m["threshold"] if source_threshold is None else source_threshold
    con_m = model["content"]
    out: list[Attribution] = []
    for i in range(p.n):
        if not is_cue_candidate(p, i):
            continue
        cue_z = linear_score(cue_m, cue_features(p, i))
        if "nn_weight" in cue_m and p.nn is not None:
            cue_z += cue_m["nn_weight"] * p.nn[i]
        prob = _sigmoid(cue_z)
        if prob < th:
            continue
        chain = p.chain(i)
        # Content head, and by how much it beat the runner-up.
        best_x, con_best, con_margin = _best_of(
            (linear_score(con_m, content_features(p, i, chain, x)), x)
            for x in content_candidates(p, i)
        )
        if best_x < 0:
            continue
        touch = p.touching(i) if p.pos[i] != "PUNCT" else None
        r = p.qr[best_x]
        whole_quote = r >= 0 and (p.regions[r] == touch or p.qroot[best_x])
        if whole_quote:
            area = p.regions[r]
        else:
            area = (p.idx[p.left[best_x]], p.end[p.right[best_x]])
            if p.left[best_x] <= i <= p.right[best_x]:
                area = (p.idx[best_x], p.idx[best_x])  # the cue sits inside: only the head
        # Source head: never a word of its own content.
        best_s, src_best, src_margin = _best_of(
            (linear_score(src_m, source_features(p, i, chain, s)), s)
            for s in source_candidates(p, i)
            if not area[0] <= p.idx[s] < area[1]
        )
        src_prob = _sigmoid(src_best) if best_s >= 0 else 0.0
        if best_s >= 0 and src_prob < src_th:
            best_s = -1
        spk = speaker_tokens(p, best_s, i) if best_s >= 0 else []
        quote = "indirect"
        if whole_quote:
            content = p.regions[r]
            quote = "direct"
        else:
            ctoks = content_tokens(p, i, best_x, spk)
            if not ctoks:
                continue
            content = (p.idx[ctoks[0]], p.end[ctoks[-1]])
            inside = _inside(content[0], p.regions)
            if inside and inside[0] <= content[0] and inside[1] >= content[1] - 1:
                quote = "direct"
        speaker = (p.idx[spk[0]], p.end[spk[-1]]) if spk else None
        if speaker is not None and content[0] <= speaker[0] and speaker[1] <= content[1]:
            speaker = None
            spk = []
        cue = _cue_span(p, i)
        rule = p.rules.get(i)
        rule_id = "attr.model"
        if rule is not None and rule.content == content and rule.speaker == speaker:
            rule_id = rule.rule  # the model agrees with a hand-written rule
        out.append(
            Attribution(
                cue=cue,
                cue_text=p.text[cue[0] : cue[1]],
                content=content,
                quote=quote,
                speaker=speaker,
                speaker_text=p.text[speaker[0] : speaker[1]] if speaker else None,
                speaker_root=best_s if spk else None,
                cue_token=i,
                rule=rule_id,
                score=round(prob, 4),
                speaker_score=round(src_prob, 4) if spk else 0.0,
                signals={
                    "cue_z": cue_z,
                    "content_z": con_best,
                    "content_margin": con_margin,
                    "content_head": float(best_x),
                    "source_z": src_best,
                    "source_margin": src_margin,
                    "whole_quote": float(whole_quote),
                    "touching_quote": float(touch is not None),
                    "rule": float(rule is not None),
                    "rule_content": float(rule is not None and rule.content == content),
                    "rule_speaker": float(rule is not None and rule.speaker == speaker),
                },
            )
        )
    out = _dedupe(out)
    if stm is not None:
        feats = [statement_signals(p, a, out) for a in out]
        for a, fs in zip(out, feats, strict=True):
            a.score = round(_sigmoid(tree_score(stm, fs)), 4)
    return [a for a in out if a.score >= final_th]


def _best_of(scored: Iterable[tuple[float, int]]) -> tuple[int, float, float]:
    """(best token, its score, its lead over the runner-up; 10 when alone, -1 when none)."""
    best = second = -1e9
    best_i = -1
    for sc, i in scored:
        if sc > best:
            best, second, best_i = sc, best, i
        elif sc > second:
            second = sc
    if best_i < 0:
        return -1, -20.0, 0.0
    return best_i, best, min(best - second, 10.0)


def _dedupe(atts: list[Attribution]) -> list[Attribution]:
    """One statement per (speaker, content): two cues of one phrase ("explained ... by
    saying") give one statement, the more confident."""
    kept: list[Attribution] = []
    for a in sorted(atts, key=lambda a: -a.score):
        if any(_overlaps(a.content, k.content) and _overlaps(a.speaker, k.speaker) for k in kept):
            continue
        kept.append(a)
    return sorted(kept, key=lambda a: a.cue_token)
