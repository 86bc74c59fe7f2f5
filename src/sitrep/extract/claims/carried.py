"""A count with no cue of its own that points back to the count a statement gave in the
sentence right before it: "An air strike killed 10 people, according to the monitor. Five
of them were officers." (a part of the speaker's count), "Three were pulled out alive" (a
bare numeral standing for the people just counted), "In June the number fell to 89" (an
update of it). The text attributes such a figure to that speaker (annotations/GUIDE.md
section 4); a new figure of the outlet's own after a statement ("The ministry said the
strike hit a school. Twelve children were among the dead.") is narration and keeps none.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Doc, Token

from sitrep.extract.attribution import LEAD_IN, Attribution
from sitrep.extract.claims.statements import _harm_speaker, _sentence_ends
from sitrep.extract.doctext import doc_text
from sitrep.extract.lexicon import load_data
from sitrep.model import Quantity, Statement


@lru_cache(maxsize=1)
def _anaphors() -> tuple[frozenset[str], frozenset[str]]:
    data = load_data("speakers.json")["count_anaphors"]
    return frozenset(data["partitive_words"]), frozenset(data["count_nouns"])


def points_back(number: Token) -> bool:
    """Whether the count of ``number`` stands for one counted before: a bare numeral as the
    subject ("Three were pulled out alive"), a partitive of a pronoun ("five of them", "two
    of those soldiers"), or a figure the subject "the number" / "the toll" of its clause
    takes ("the number had fallen to 89"); not "105 of the hostages", a part of a group
    known, not of a count given.

    Example:
        >>> import spacy
        >>> points_back(spacy.blank("en")("12")[0])
        False
    """
    partitive, nouns = _anaphors()
    if number.dep_ in {"nsubj", "nsubjpass"} and (number.pos_ == "NUM" or number.like_num):
        return True
    for prep in number.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            for obj in prep.children:
                if obj.dep_ == "pobj" and (obj.lower_ in partitive or any(
                        d.dep_ == "det" and d.lower_ in partitive for d in obj.children)):
                    return True
    verb = next((a for a in number.ancestors if a.pos_ in {"VERB", "AUX"}), None)
    if verb is None:
        return False
    return any(
        c.dep_ in {"nsubj", "nsubjpass"} and c.lemma_.lower() in nouns
        and any(d.dep_ == "det" and d.lower_ == "the" for d in c.children)
        for c in verb.children
    )


def counted_back(
    doc: Doc,
    number: Token,
    stmt_index: list[tuple[Statement, Attribution, int, Doc]],
) -> tuple[Statement, Attribution] | None:
    """The statement of the paragraph's sentence right before the number's whose content
    gives a count, when the number points back to it (``points_back``) and no count before
    it in its own sentence does; None otherwise.
    Statements are in article offsets; ``stmt_index`` gives each one's paragraph offset.
    """
    if not points_back(number):
        return None
    start = number.sent.start_char  # paragraph offsets from here on
    quantities: list[Quantity] = doc._.quantities or []
    if any(start <= q.start < number.idx for q in quantities):
        # "240 people were taken, but 105 were later released": a count before it in its
        # own sentence is what it points back to.
        return None
    text = doc_text(doc)
    found = []
    for stmt, att, s_off, s_doc in stmt_index:
        if s_doc is not doc or att.rule == LEAD_IN or stmt.speaker is None:
            continue
        c0, c1 = stmt.content["start"] - s_off, stmt.content["end"] - s_off
        end = max(c1, att.cue[1], att.speaker[1] if att.speaker else 0)
        # Before the number's sentence, in the one right before it.
        if end > start or _sentence_ends(text[end:start]) > 1 or _harm_speaker(s_doc, att):
            continue
        if any(c0 <= q.start and q.end <= c1 for q in quantities):
            found.append((stmt, att))
    return max(found, key=lambda sa: sa[1].cue[0]) if found else None
