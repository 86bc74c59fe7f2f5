"""The learned model's sparse string features of a token as a reporting cue, a source head
or a content head, and the candidates each is chosen from. Shared with training
(``sitrep.train.attribution``): a change here changes what the model file means.

Part of ``sitrep.extract.attribution`` (see its docstring).
"""

from __future__ import annotations

from typing import NamedTuple

from sitrep.extract.attribution.lexicon import _lexicon
from sitrep.extract.attribution.parse import (
    CUE_POS,
    CUE_PUNCT,
    SOURCE_DEPS,
    SOURCE_POS,
    Parse,
    _bucket,
)
from sitrep.extract.attribution.rules import CONTENT_DEPS


def is_cue_candidate(p: Parse, i: int) -> bool:
    """Tokens the cue model scores: content words, prepositions and quote-line punctuation."""
    pos = p.pos[i]
    if pos == "PUNCT":
        return p.low[i] in CUE_PUNCT
    return pos in CUE_POS


def cue_features(p: Parse, i: int) -> list[str]:
    """Features of token ``i`` as a reporting cue."""
    lex = _lexicon()
    lem = p.lem[i]
    pos = p.pos[i]
    dep = p.dep[i]
    h = p.head[i]
    hl = p.lem[h]
    f = [
        "l=" + lem,
        "w=" + p.low[i],
        "p=" + pos,
        "t=" + p.tag[i],
        "d=" + dep,
        f"lp={lem}|{pos}",
        f"ld={lem}|{dep}",
        f"pd={pos}|{dep}",
        "hl=" + hl,
        f"hpd={p.pos[h]}|{dep}",
        f"lhl={lem}|{hl}",
        f"hdd={p.dep[h]}|{dep}",
    ]
    if lem in lex["verbs"]:
        f.append("lex=weak" if lem in lex["weak"] else "lex=strong")
        f.append(f"lexp={pos}")
    deps: set[str] = set()
    for c in p.kids[i]:
        d = p.dep[c]
        if d in {"prt", "prep", "dative", "agent", "aux", "neg", "auxpass", "mark", "advmod"}:
            f.append(f"lcl={lem}|{d}|{p.lem[c]}")
            f.append(f"cl={d}|{p.lem[c]}")
            if d in {"agent", "prep"}:
                for gc in p.kids[c]:
                    if p.dep[gc] == "pobj":
                        f.append(f"pk={p.lem[c]}|{p.kind(gc)}")
        elif d in {"dobj", "pobj", "attr", "ccomp", "xcomp", "nsubj", "nsubjpass", "dative"}:
            k = p.kind(c) if p.pos[c] != "VERB" else "V"
            f.append(f"ck={d}|{k}")
            f.append(f"lck={lem}|{d}|{k}")
            if p.pos[c] == "NOUN":
                f.append(f"cn={d}|{p.lem[c]}")
        deps.add(d)
    g = p.head[h]
    f.append(f"gl={p.lem[g]}|{p.dep[h]}")
    f.append("hk=" + (p.rules[h].rule if h in p.rules and h != i else "-"))
    if p.headline:
        f.append("hdl")
        f.append("hdl|" + p.low[i])
    f.append("pw2=" + (p.low[i - 2] if i >= 2 else "<s>"))
    f.append("nw2=" + (p.low[i + 2] if i + 2 < p.n else "</s>"))
    for d in sorted(deps):
        f.append("c=" + d)
        f.append(f"lc={lem}|{d}")
        f.append(f"pc={pos}|{d}")
    s = p.subject(i)
    kind = p.kind(s)
    own = "own" if s >= 0 and p.head[s] == i else "borrowed"
    f.append("s=" + kind)
    f.append(f"ls={lem}|{kind}")
    f.append(f"ps={pos}|{kind}|{own}")
    f.append(f"lso={lem}|{own if s >= 0 else 'none'}")
    f.append(f"sq={kind}|{p.qr[i] >= 0}")
    if p.incontent[i]:
        f.append("inc")
        f.append("inc|" + pos)
    if s >= 0:
        f.append(f"sd={p.dep[s]}|{own}")
        f.append("sl=" + p.lem[s])
        if p.qr[s] >= 0:
            f.append("sinq")
    f.append("suf=" + p.low[i][-3:])
    x = h
    for _ in range(3):
        if p.head[x] == x and x == h and h == i:
            break
        f.append("anc=" + p.lem[x])
        if p.head[x] == x:
            break
        x = p.head[x]
    if p.regions:
        f.append("lq=" + lem)
    # Neighbours.
    prev = i - 1
    nxt = i + 1
    f.append("pw=" + (p.low[prev] if prev >= 0 else "<s>"))
    f.append("nw=" + (p.low[nxt] if nxt < p.n else "</s>"))
    f.append(f"pt={p.tag[prev] if prev >= 0 else '<s>'}|{pos}")
    f.append(f"nt={pos}|{p.tag[nxt] if nxt < p.n else '</s>'}")
    f.append(f"lnw={lem}|{p.low[nxt] if nxt < p.n else '</s>'}")
    # Position.
    s0, s1 = p.sents[p.sent[i]]
    f.append("pos0=" + _bucket(i - s0))
    f.append("posN=" + _bucket(s1 - 1 - i))
    # Quotes.
    if p.qr[i] >= 0:
        f.append("qin")
        f.append("qin|" + pos)
    if pos != "PUNCT" and p.regions:
        touch = p.touching(i)
        if touch is not None:
            f.append("qt")
            f.append("qt|" + lem)
            f.append(f"qt|{kind}")
    if p.regions:
        f.append("parq")
    if pos == "PUNCT":
        f.append(f"punct={p.low[i]}|{'q' if p.qr[nxt if nxt < p.n else i] >= 0 else '-'}")
        f.append(f"punctprev={p.pos[prev] if prev >= 0 else '<s>'}")
        f.append(f"punct0={_bucket(i - s0)}")
    # The rules' verdict.
    rule = p.rules.get(i)
    if rule is not None:
        f.append("rule")
        f.append("rule=" + rule.rule)
        f.append(f"rule|{'spk' if rule.speaker else 'nospk'}")
    return f


def source_candidates(p: Parse, cue: int) -> list[int]:
    """Noun-phrase heads (and whatever the parser made a subject) in the cue's sentence."""
    s0, s1 = p.sents[p.sent[cue]]
    return [
        i
        for i in range(s0, s1)
        if i != cue and not p.punct[i] and (p.pos[i] in SOURCE_POS or p.dep[i] in SOURCE_DEPS)
    ]


def source_features(p: Parse, cue: int, chain: dict[int, int], s: int) -> list[str]:
    """Features of token ``s`` as the head of the source of cue ``cue``."""
    path = p.path(cue, chain, s)
    cl = p.lem[cue]
    cp = p.pos[cue]
    kind = p.kind(s)
    spos = p.pos[s]
    sdep = p.dep[s]
    d = "L" if s < cue else "R"
    f = [
        "p=" + path,
        f"pp={path}|{cp}",
        f"pl={path}|{cl}",
        "sp=" + spos,
        "st=" + p.tag[s],
        "sd=" + sdep,
        "se=" + p.ent[s],
        "sk=" + kind,
        f"skp={kind}|{path}",
        "dir=" + d,
        f"db={d}{_bucket(abs(s - cue))}",
        f"dsd={d}|{sdep}",
        f"sh={p.pos[p.head[s]]}|{sdep}",
    ]
    if spos != "PROPN":
        f.append("sl=" + p.lem[s])
    if s == p.subject(cue):
        f.append("isubj")
        f.append("isubj|" + cp)
    rule = p.rules.get(cue)
    if rule is not None:
        f.append("rule" if rule.speaker_root == s else "notrule")
    if p.qr[s] >= 0:
        f.append("sq")
        if p.qr[s] == p.qr[cue]:
            f.append("sameq")
    else:
        f.append("snq")
    return f


def content_candidates(p: Parse, cue: int) -> list[int]:
    """Tokens of the cue's sentence and its neighbours, punctuation aside."""
    k = p.sent[cue]
    s0 = p.sents[max(0, k - 1)][0]
    s1 = p.sents[min(len(p.sents) - 1, k + 1)][1]
    return [i for i in range(s0, s1) if i != cue and not p.punct[i]]


class _Head(NamedTuple):
    """What a token's features as a content head hold that no cue changes."""

    own: tuple[str, ...]  # its part of speech, dependency, tag and the pair
    size: str  # the bucket of its subtree's length
    extra: tuple[str, ...]  # its lemma (not for nouns and verbs), its entity type
    pos: str
    dep: str


class _Cue(NamedTuple):
    """What a cue's content features hold that no candidate head changes."""

    lem: str
    pos: str
    frame: str
    clause: str  # "cc=1|" when a clause hangs off the cue


def content_features(p: Parse, cue: int, chain: dict[int, int], x: int) -> list[str]:
    """Features of token ``x`` as the head of the content of cue ``cue``."""
    path = p.path(cue, chain, x)
    cl, cp, frame, clause = _cue_facts(p, cue)
    own, size, extra, xpos, xdep = _head_facts(p, x)
    d = "L" if x < cue else "R"
    sd = p.sent[x] - p.sent[cue]
    # The order is the model's: linear_score adds the weights in it.
    f = [
        "p=" + path,
        f"pp={path}|{cp}",
        f"pl={path}|{cl}",
        *own,
        "dir=" + d,
        f"db={d}{_bucket(abs(x - cue))}",
        f"sd={sd}",
        f"sd={sd}|{xdep}",
        size,
        f"pf={path}|{frame}",
        f"pt={path}|{xpos}",
        *extra,
        clause + xdep,
    ]
    if x in chain:
        f.append("anc")
    if p.rule_content.get(cue) == x:
        f.append("rule")
    r = p.qr[x]
    if r >= 0:
        f.append("xq")
        if p.qroot[x]:
            f.append("xqroot")
            f.append(f"xqroot|{d}|{sd}")
        touch = p.touching(cue) if cp != "PUNCT" else None
        if touch is not None and p.regions[r] == touch:
            f.append("xqt")
            if p.qroot[x]:
                f.append("xqtroot")
        elif cp == "PUNCT" and p.qr[min(cue + 1, p.n - 1)] == r:
            f.append("xqnext")
    for k in p.kids[x]:
        if p.dep[k] == "mark":
            f.append("mark=" + p.lem[k])
    return f


# A cue's content candidates are the tokens of three sentences, and each token is a
# candidate of every cue near it: the parts of the features that depend on one of them only
# are built once per paragraph (kept in the Parse).


def _cue_facts(p: Parse, cue: int) -> _Cue:
    found: _Cue | None = p.content_cues.get(cue)
    if found is None:
        # Whether the cue governs a clause: then a noun phrase beside it is seldom the content.
        clause = any(p.dep[k] in CONTENT_DEPS for k in p.kids[cue])
        found = p.content_cues[cue] = _Cue(
            p.lem[cue], p.pos[cue], p.frame(cue), f"cc={int(clause)}|"
        )
    return found


def _head_facts(p: Parse, x: int) -> _Head:
    found: _Head | None = p.content_heads.get(x)
    if found is None:
        pos, dep = p.pos[x], p.dep[x]
        extra = []
        if pos not in {"PROPN", "NOUN", "VERB"}:
            extra.append("xl=" + p.lem[x])
        if p.ent[x]:
            # "said Friday afternoon that ...": a date or a time is seldom what was said.
            extra.append(f"xe={p.ent[x]}|{dep}")
        found = p.content_heads[x] = _Head(
            own=("xp=" + pos, "xd=" + dep, "xt=" + p.tag[x], f"xpd={pos}|{dep}"),
            size="sz=" + _bucket(p.right[x] - p.left[x] + 1),
            extra=tuple(extra),
            pos=pos,
            dep=dep,
        )
    return found
