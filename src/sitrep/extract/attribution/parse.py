"""The parse features share one view of a paragraph (``Parse``): per-token arrays, quote
regions and the rules' output, built once and read by the feature functions at run time and
in training (``sitrep.train.attribution``).

Part of ``sitrep.extract.attribution`` (see its docstring).
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Any

from spacy.tokens import Doc

from sitrep.extract.attribution.lexicon import _lexicon
from sitrep.extract.attribution.quotes import _touching_chars, quote_regions
from sitrep.extract.attribution.results import Attribution
from sitrep.extract.attribution.rules import SUBJECT_DEPS, rule_attributions
from sitrep.extract.doctext import doc_text

CUE_POS = {"VERB", "AUX", "NOUN", "PROPN", "ADJ", "ADP", "ADV", "PART"}
CUE_PUNCT = {":", "\u2015", "\u2014", "\u2013", "-"}
SOURCE_POS = {"PROPN", "NOUN", "PRON", "NUM", "X"}
SOURCE_DEPS = {"nsubj", "nsubjpass", "poss", "pobj", "dobj", "appos", "conj"}
FRAME_DEPS = {
    "nsubj",
    "nsubjpass",
    "ccomp",
    "xcomp",
    "dobj",
    "parataxis",
    "prep",
    "agent",
    "poss",
    "dative",
    "acomp",
    "attr",
    "advcl",
}


def _bucket(n: int) -> str:
    if n < 4:
        return str(n)
    if n < 6:
        return "4-5"
    if n < 10:
        return "6-9"
    if n < 20:
        return "10-19"
    return "20+"


class Parse:
    """Per-paragraph arrays of token attributes, quote regions and the rules' output.

    Built once per paragraph; every feature function reads these lists instead of
    asking spaCy for each attribute again.
    """

    def __init__(self, doc: Doc, rules: list[Attribution] | None = None) -> None:
        self.doc = doc
        self.text = doc_text(doc)
        toks = list(doc)
        self.n = len(toks)
        self.low = [t.lower_ for t in toks]
        self.lem = [t.lemma_.lower() for t in toks]
        self.pos = [t.pos_ for t in toks]
        self.tag = [t.tag_ for t in toks]
        self.dep = [t.dep_ for t in toks]
        self.head = [t.head.i for t in toks]
        self.ent = [t.ent_type_ for t in toks]
        self.idx = [t.idx for t in toks]
        self.end = [t.idx + len(t.text) for t in toks]
        self.punct = [t.is_punct or t.is_space for t in toks]
        self.left = [t.left_edge.i for t in toks]
        self.right = [t.right_edge.i for t in toks]
        self.kids: list[list[int]] = [[] for _ in toks]
        for t in toks:
            if t.head.i != t.i:
                self.kids[t.head.i].append(t.i)
        self.sent = [0] * self.n
        self.sents: list[tuple[int, int]] = []
        for k, s in enumerate(doc.sents):
            self.sents.append((s.start, s.end))
            for i in range(s.start, s.end):
                self.sent[i] = k
        self.regions = quote_regions(self.text)
        self.qr = [-1] * self.n
        for r, (q0, q1) in enumerate(self.regions):
            for i in self._tokens_at(q0, q1):
                self.qr[i] = r
        self.qroot = [False] * self.n
        for i in range(self.n):
            r = self.qr[i]
            if r >= 0 and not self.punct[i] and self.qr[self.head[i]] != r:
                self.qroot[i] = True
        words = [t for t in toks if t.is_alpha and len(t) > 3]
        self.headline = bool(words) and sum(t.is_title or t.is_upper for t in words) > 0.7 * len(
            words
        )
        if rules is None:
            rules = rule_attributions(doc)
        self.rules = {a.cue_token: a for a in rules}
        # The fine-tuned encoder's cue logit per token, when the doc has them (encoder.py).
        logits = doc._.cue_logits if Doc.has_extension("cue_logits") else None
        self.nn: list[float] | None = None if logits is None else [float(z) for z in logits]
        self.rule_content: dict[int, int] = {}
        self.incontent = [False] * self.n
        for a in rules:
            for i in self._tokens_at(*a.content):
                if i != a.cue_token:
                    self.incontent[i] = True
            root = self.root_in(a.content)
            if root is not None:
                self.rule_content[a.cue_token] = root
        self._subj: dict[int, int] = {}
        self._touch: dict[int, tuple[int, int] | None] = {}
        self._frame: dict[int, str] = {}
        # The parts of the content features that depend on the cue alone or on the
        # candidate head alone, kept per token (features.py).
        self.content_cues: dict[int, Any] = {}
        self.content_heads: dict[int, Any] = {}

    def _tokens_at(self, start: int, end: int) -> range:
        """The tokens that start within characters ``start`` to ``end``."""
        # Token offsets ascend: a bisection, not a pass over a whole article printed as one
        # paragraph for every quote and statement in it.
        return range(bisect_left(self.idx, start), bisect_left(self.idx, end))

    def root_in(self, span: tuple[int, int]) -> int | None:
        """The first token of a character span whose head lies outside it."""
        inside = [i for i in self._tokens_at(*span) if not self.punct[i]]
        chosen = set(inside)
        for i in inside:
            if self.head[i] not in chosen or self.head[i] == i:
                return i
        return None

    def subject(self, i: int) -> int:
        """Token index of the cue's subject (own, borrowed or possessor), or -1."""
        if i in self._subj:
            return self._subj[i]
        found = -1
        for c in self.kids[i]:
            if self.dep[c] in SUBJECT_DEPS:
                found = c
                break
        if found < 0 and self.pos[i] in {"NOUN", "PROPN"}:
            for c in self.kids[i]:
                if self.dep[c] == "poss":
                    found = c
                    break
        h = self.head[i]
        if found < 0 and h != i and self.dep[i] in {"advcl", "xcomp", "conj", "acomp", "attr"}:
            for c in self.kids[h]:
                if self.dep[c] in SUBJECT_DEPS:
                    found = c
                    break
        self._subj[i] = found
        return found

    def kind(self, s: int) -> str:
        """A coarse class of a noun phrase head: entity type, pronoun, anonymous noun ..."""
        if s < 0:
            return "none"
        if self.ent[s]:
            return self.ent[s]
        if self.pos[s] == "PRON":
            return "PRON:" + self.low[s]
        nouns = _lexicon()["source_nouns"]
        if self.lem[s] in nouns or self.low[s] in nouns:
            return "SRCN"
        return self.pos[s]

    def touching(self, i: int) -> tuple[int, int] | None:
        """The quote region right before the cue (or its subject) or right after it."""
        if i not in self._touch:
            left = self.idx[i]
            s = self.subject(i)
            if s >= 0 and self.dep[s] in SUBJECT_DEPS:
                left = min(left, self.idx[self.left[s]])
            self._touch[i] = _touching_chars(self.text, left, self.end[i], self.regions)
        return self._touch[i]

    def frame(self, i: int) -> str:
        """Which argument slots the cue fills: the competition its content and source face."""
        # Kept per cue: the content features ask for it once per candidate head.
        if i not in self._frame:
            deps = sorted({self.dep[c] for c in self.kids[i] if self.dep[c] in FRAME_DEPS})
            self._frame[i] = ",".join(deps)
        return self._frame[i]

    def chain(self, i: int) -> dict[int, int]:
        """Ancestors of ``i`` (itself first) mapped to their distance from it."""
        out = {i: 0}
        x = i
        while self.head[x] != x and len(out) < 60:
            x = self.head[x]
            out[x] = len(out)
        return out

    def path(self, a: int, chain: dict[int, int], b: int) -> str:
        """The dependency path from ``a`` up to the common ancestor and down to ``b``."""
        down: list[str] = []
        y = b
        while y not in chain:
            down.append(self.dep[y])
            if self.head[y] == y or len(down) > 60:
                return "none"
            y = self.head[y]
        k = chain[y]
        if k + len(down) > 4:
            return f"L{min(k, 5)}.{min(len(down), 5)}"
        ups: list[str] = []
        x = a
        for _ in range(k):
            ups.append(self.dep[x])
            x = self.head[x]
        return "^".join(ups) + "/" + ">".join(reversed(down))
