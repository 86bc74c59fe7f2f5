"""Which statement a number belongs to when no content span holds it: a clause its cue
governs, a quotation that continues a direct quote; cues that report acts, speakers that
are harmed, places that act."""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Doc, Token

from sitrep.extract.attribution import LEAD_IN, Attribution, quote_regions
from sitrep.extract.attribution.relative import RELATIVE_REPORT
from sitrep.extract.attribution.rules import outcome_nouns
from sitrep.extract.attribution.sources import DATA_SOURCE
from sitrep.extract.claims.mentions import _agreement_data
from sitrep.extract.claims.owners import document_owner
from sitrep.extract.doctext import doc_text
from sitrep.extract.lexicon import load_data
from sitrep.extract.quantities import harm_verb_lemmas
from sitrep.model import (
    Statement,
    TimeSpan,
)


@lru_cache(maxsize=1)
def _act_cues() -> frozenset[str]:
    return frozenset(load_data("speakers.json")["act_cues"])


@lru_cache(maxsize=1)
def _stance_cues() -> frozenset[str]:
    return frozenset(load_data("speakers.json")["stance_cues"])


@lru_cache(maxsize=1)
def _event_heads() -> frozenset[str]:
    return frozenset(load_data("speakers.json")["event_heads"])


def _harm_speaker(doc: Doc, att: Attribution) -> bool:
    """A statement that claims nothing about the figures in it: a "speaker" that names the
    harm ("No casualties reported amid 14 attacks": the parse or the model read a passive
    headline as a statement), or a cue that reports an act, not a saying ("The UK plans to
    give 400 vehicles", "the Senate approved $95bn", "strikes reportedly killed 19")."""
    if att.speaker_root is not None:
        root = doc[att.speaker_root]
        if root.lemma_.lower() in _event_heads() or (
                root.lower_ in outcome_nouns() and not _named_body(root)):
            return True  # "after the strike on the block": an event says nothing
    if _hearsay(doc, att) or _no_one(doc, att):
        return True
    # The data rule's verbs ("statistics compiled by X show") are chosen sayings, and so is
    # any verb of a document someone issued ("UN figures show", "the ministry's data show").
    if att.rule not in {LEAD_IN, DATA_SOURCE} and 0 <= att.cue_token < len(doc) and (
            not _issued_document(doc, att)):
        cue = doc[att.cue_token]
        lemma = cue.lemma_.lower()
        return lemma in _act_cues() or cue.lower_ in _act_cues() or (
            cue.pos_ in ("VERB", "AUX") and lemma in harm_verb_lemmas()) or _releases_people(cue)
    return False


def _releases_people(cue: Token) -> bool:
    """A cue of releasing whose object is not something said or shown: "Hamas released 13
    hostages" is a deed, "the army released footage" a report (``speakers.json``
    ``release_cues``)."""
    verbs, shown = _release_cues()
    if cue.pos_ not in ("VERB", "AUX") or cue.lemma_.lower() not in verbs:
        return False
    obj = next((c for c in cue.children if c.dep_ == "dobj"), None)
    return obj is not None and obj.lemma_.lower() not in shown and obj.lower_ not in shown


@lru_cache(maxsize=1)
def _release_cues() -> tuple[frozenset[str], frozenset[str]]:
    """The verbs of releasing, and the objects that make them a report (what is shown)."""
    data = load_data("speakers.json")
    spec = data["release_cues"]
    return frozenset(spec["verbs"]), frozenset(spec["shown_objects"]) | frozenset(
        data["document_heads"])


def _issued_document(doc: Doc, att: Attribution) -> bool:
    """The speaker phrase is a document with its issuer named ("UN figures", "a US
    intelligence assessment"): whatever its verb, it states what it holds."""
    if att.speaker is None:
        return False
    span = doc.char_span(att.speaker[0], att.speaker[1], alignment_mode="expand")
    return span is not None and document_owner(span) is not None


def name_beside(root: Token) -> Token | None:
    """The head of the name that a description (headed by ``root``) follows in apposition:
    "Cogat" for "body" in "Cogat, the Israeli body that coordinates aid, says"; None when
    there is none. The parse may make the description an apposition of the name, or hang
    the name on the verb with the description as its subject.

    Example:
        >>> import spacy
        >>> name_beside(spacy.blank("en")("the body")[1]) is None
        True
    """
    doc = root.doc
    first = root.left_edge.i
    if root.dep_ == "appos" and root.head.i < root.i:
        name = root.head
    elif first >= 2 and doc[first - 1].text == "," and root.dep_.startswith("nsubj"):
        name = doc[first - 2]
        if name.head.i != root.head.i or name.dep_ not in {"npadvmod", "nsubj", "dep"}:
            return None
    else:
        return None
    # The name opens its clause and names a body or a person, not a place or a day: "...
    # killed in Gaza, the ministry there says" is no "Gaza" speaking, nor "Last Tuesday,
    # hospital officials said" "Tuesday".
    opens = name.left_edge.i == name.sent.start or doc[name.left_edge.i - 1].is_punct
    if opens and name.pos_ == "PROPN" and name.ent_type_ in _SPEAKING_LABELS:
        return name
    return None


#: Entity labels a name beside a speaker's description may carry ("" where the tagger saw
#: no entity in a name such as "Cogat").
_SPEAKING_LABELS = frozenset({"", "ORG", "PERSON"})


def _named_body(root: Token) -> bool:
    """Whether a head that can name harm ("body") names an organisation here: one with a
    name in apposition or an organisation before it ("the defence ministry body Cogat",
    "the UN body"), which speaks; "the bodies of 12 people" says nothing.

    Example:
        >>> import spacy
        >>> doc = spacy.blank("en")("x")
        >>> _named_body(doc[0])
        False
    """
    _person, bodies, _titles = _agreement_data()
    if name_beside(root) is not None:
        return True  # "Cogat, the Israeli defence ministry body"
    for child in root.children:
        if child.dep_ == "appos" and child.pos_ == "PROPN":
            return True
        if child.dep_ == "compound" and (
                child.ent_type_ == "ORG" or child.lemma_.lower() in bodies):
            return True
    return False


@lru_cache(maxsize=1)
def _person_heads() -> frozenset[str]:
    return frozenset(load_data("speakers.json")["person_heads"])


@lru_cache(maxsize=1)
def _equipment_nouns() -> frozenset[str]:
    return frozenset(load_data("kinds.json")["equipment_nouns"])


#: Entity labels of a time or an amount: "last week", "four of them" speak for no one.
_NO_ONE_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "QUANTITY", "PERCENT", "MONEY",
                            "ORDINAL"})


def _no_one(doc: Doc, att: Attribution) -> bool:
    """A "speaker" that is no one the parse or the model misread: a time ("were reported
    dead last week"), a count ("One of the strikes is reported to have hit"), the subject
    of a passive cue ("At least 112 Palestinians are said to have been killed", "Hamas is
    believed to hold 130 hostages"), an expletive ("There are reports"), a weapon ("a weapon
    is to be handed over"), or a place or a target after a preposition ("strikes were also
    reported in Kharkiv", "attacks were reported on Russian soldiers")."""
    if att.speaker is None:
        return False
    span = doc.char_span(att.speaker[0], att.speaker[1], alignment_mode="expand")
    if span is None:
        return False
    root = span.root
    if root.lower_ == "there":
        return True  # "There are unconfirmed reports that ...": an expletive
    if _said_of_by_a_passive(doc, root, att):
        return True
    if root.pos_ == "NUM" or root.like_num or root.ent_type_ in _NO_ONE_LABELS:
        # "One of the officials said" is an official; "161, a local news outlet" a name.
        whose = [g for c in root.children if c.lower_ == "of" for g in c.children]
        named = any(c.dep_ == "appos" for c in root.children)
        return not named and not any(g.lemma_.lower() in _person_heads() for g in whose)
    if root.lemma_.lower() in _equipment_nouns() and root.pos_ == "NOUN":
        return True
    return root.dep_ == "pobj" and root.head.lower_ in _no_one_prepositions()


def _said_of_by_a_passive(doc: Doc, root: Token, att: Attribution) -> bool:
    """Whether a "speaker" is what a passive cue says something of: its subject ("Russia is
    believed to control the city", "Hamas is said to hold 130 hostages"), or a count of
    people with it ("Two British nationals have been reported killed"). Not the one quoted
    ("Mr Gladkov was quoted as saying"), nor an agent ("was cited by one source"), nor a
    count that acts ("More than 800 officials signed a statement")."""
    if not 0 <= att.cue_token < len(doc):
        return False
    cue = doc[att.cue_token]
    if not any(c.dep_ in ("auxpass", "nsubjpass") for c in cue.children):
        return False
    if root.dep_ == "nsubjpass" and root.head.i == cue.i:
        return cue.lemma_.lower() not in _passive_speaker_cues()
    return root.dep_ in ("nsubj", "nsubjpass") and any(
        c.dep_ in ("nummod", "quantmod") or c.like_num for c in root.children)


@lru_cache(maxsize=1)
def _passive_speaker_cues() -> frozenset[str]:
    return frozenset(load_data("speakers.json")["passive_speaker_cues"])


@lru_cache(maxsize=1)
def _no_one_prepositions() -> frozenset[str]:
    return frozenset(load_data("speakers.json")["no_one_prepositions"])


@lru_cache(maxsize=1)
def _hearsay_data() -> tuple[frozenset[str], frozenset[str]]:
    data = load_data("speakers.json")
    return frozenset(data["hearsay_heads"]), frozenset(data["self_heads"])


@lru_cache(maxsize=1)
def _report_issuers() -> frozenset[str]:
    return frozenset(load_data("speakers.json")["report_issuers"])


def _hearsay(doc: Doc, att: Attribution) -> bool:
    """A source that names no one: "according to reports", "an unconfirmed report says",
    "local media reported", "Russian state media claimed", "satellite images show" (and
    the outlet itself: "this article reported"). What it says is the outlet's narration
    with a hedge, not a speaker's claim; a report or medium with an owner ("a report by
    the UN", "the ministry's report", "state news agency Tass") or one pointed back to
    ("the report", the latest issuer's) is a speaker.
    """
    if att.speaker is None:
        return False
    span = doc.char_span(att.speaker[0], att.speaker[1], alignment_mode="expand")
    if span is None:
        return False
    root = span.root
    heads, selves = _hearsay_data()
    words = {root.lemma_.lower(), root.lower_}  # the tagger's lemma of "media" is "medium"
    dets = {c.lower_ for c in root.children if c.dep_ == "det"}
    if words & selves:
        return bool(dets & {"this"})
    if not words & heads:
        return False
    if root.tag_ == "NN" and dets & {"the", "this", "that"}:
        return False  # "the report": the body that issued it (speakers.py)
    if any(c.dep_ == "conj" and not {c.lemma_.lower(), c.lower_} & heads
           for c in root.children):
        return False  # "Palestinian media and local health officials"
    issuers = _report_issuers()
    for t in span:
        if t.i == root.i:
            continue
        if t.dep_ == "poss" or (t.dep_ == "prep" and t.lower_ in {"by", "of"}):
            return False
        if t.dep_ == "compound" and t.lemma_.lower() in issuers:
            return False  # "a US intelligence report": a body issued it
        if t.ent_type_ in {"ORG", "PERSON"} or (
                t.pos_ == "PROPN" and t.ent_type_ not in {"GPE", "NORP", "LOC"}):
            return False
    return True


def _governing_statement(
    number: Token, doc: Doc, stmt_index: list[tuple[Statement, Attribution, int, Doc]]
) -> tuple[Statement, Attribution] | None:
    """The statement whose cue governs the number's clause though its content span stops
    short of it: the parse hangs "... had killed nearly 200" or "after fighting that killed
    scores" on "said" itself, or the cue is a parenthetical on the number's clause
    ("Russia launched 355 drones, the air force said, the largest attack ...").
    Never through the speaker phrase.
    """
    # A figure inside the speaker phrase ("Five troops reported killed" read as a statement
    # of the troops) is never that speaker's claim.
    # Nor is a "speaker" that names the harm ("No casualties reported amid 12 attacks").
    # Nor does a clause on a cue of stance or deed ("Russia assailed the US for deploying
    # thousands of troops") report what the speaker says.
    cues = {
        a.cue_token: (s, a)
        for s, a, _off, s_doc in stmt_index
        if s_doc is doc
        and not (a.speaker and a.speaker[0] <= number.idx < a.speaker[1])
        and not _harm_speaker(doc, a)
        and not (0 <= a.cue_token < len(doc)
                 and doc[a.cue_token].lemma_.lower() in _stance_cues())
        # a report inside a relative clause holds its own words only
        and a.rule != RELATIVE_REPORT
    }
    if not cues:
        return None
    tok = number
    for _ in range(12):
        head = tok.head
        if head.i == tok.i:
            break
        if head.i in cues and tok.dep_ not in {"nsubj", "nsubjpass", "agent"}:
            # A fronted adverbial ("After a strike killed 20 people, Zelensky said ...") is
            # the outlet's narration before the statement, not part of it.
            adverbial = tok.dep_ in {"advcl", "prep", "npadvmod"}
            fronted = adverbial and tok.left_edge.i == tok.sent.start
            # ... or after another fronted phrase, before the speaker ("Last week, reacting
            # to a strike that killed six people, Nasrallah said ..."), where what is said
            # follows the cue (not "..., after fighting that killed dozens, officials said")
            fronted = fronted or (adverbial and any(
                c.dep_ in {"nsubj", "nsubjpass"} and c.left_edge.i > tok.right_edge.i
                for c in head.children) and not any(
                c.dep_ in {"ccomp", "parataxis"} and c.i < head.i for c in head.children))
            # So is one set between the speaker and the cue ("Russia, while massing 100,000
            # troops on the border, denies it plans to invade").
            fronted = fronted or (tok.dep_ == "advcl" and tok.i < head.i and any(
                c.dep_ in {"nsubj", "nsubjpass"} and c.i < tok.left_edge.i
                for c in head.children))
            return None if fronted else cues[head.i]
        tok = head
    # A parenthetical cue on one of the number's ancestors: "X happened, officials said".
    for anc in [number, *number.ancestors]:
        for child in anc.children:
            if child.i in cues and child.dep_ == "parataxis" and child.i > number.i:
                return cues[child.i]
            # "... have been injured, the ministry says, while 33,000 people have been
            # killed": a clause the report runs on into after its parenthetical cue
            if child.i in cues and child.dep_ == "parataxis" and _runs_on(anc, child, number):
                return cues[child.i]
            # "Six were killed and 15 injured in the shelling, local officials said": the
            # parse makes the closing cue a conjunct of the first clause.
            if child.i in cues and child.dep_ == "conj" and child.i > number.i and (
                    _closing_cue(child)):
                return cues[child.i]
    # "At least 30 people were killed, most of them children, according to the ministry":
    # an "according to" hung anywhere in the number's own clause sources that clause.
    clause = _clause_verb(number)
    for cue_i, found in cues.items():
        verb = _clause_verb(doc[cue_i])
        if (clause is not None and verb is not None and verb.i == clause.i
                and _according_cue(found[1])):
            return found
    return None


def _runs_on(host: Token, cue: Token, number: Token) -> bool:
    """Whether the number stands in a clause of ``host`` after its parenthetical ``cue``
    that the report runs on into: one joined by a contrast mark ("while", "whereas";
    attribution.json ``report_runs_on``), not a clause of the narration ("as Russia shelled
    the city")."""
    marks = _runs_on_marks()
    for clause in (c for c in host.children if c.dep_ == "advcl" and c.i > cue.i):
        if any(m.dep_ == "mark" and m.lower_ in marks for m in clause.children) and (
            clause.left_edge.i <= number.i <= clause.right_edge.i
        ):
            return True
    return False


@lru_cache(maxsize=1)
def _runs_on_marks() -> frozenset[str]:
    return frozenset(load_data("attribution.json")["report_runs_on"])


def _closing_cue(cue: Token) -> bool:
    """Whether the cue closes its sentence after a comma: ", officials said." (its
    subject right after the comma, nothing but punctuation or a time after it)."""
    subj = [c for c in cue.children if c.dep_ in {"nsubj", "nsubjpass"} and c.i < cue.i]
    if not subj or subj[0].left_edge.i == 0:
        return False
    before = cue.doc[subj[0].left_edge.i - 1]
    after = [t for t in cue.doc[cue.i + 1: cue.sent.end] if not t.is_punct]
    return before.text == "," and all(t.ent_type_ in {"DATE", "TIME"} for t in after)


def _clause_verb(tok: Token) -> Token | None:
    """The verb of the clause a token stands in; None when it hangs on none."""
    return next((a for a in tok.ancestors if a.pos_ in {"VERB", "AUX"}), None)


@lru_cache(maxsize=1)
def _according_phrases() -> tuple[str, ...]:
    return tuple(load_data("attribution.json")["according_to"])


def _according_cue(att: Attribution) -> bool:
    """Whether the statement's cue is an "according to" phrase ("according to", "citing")."""
    return att.cue_text.lower().startswith(_according_phrases())


def innermost_statement(
    holding: list[tuple[Statement, Attribution]],
) -> tuple[Statement, Attribution]:
    """Of the statements whose content holds a number, the one nested deepest: the
    shortest content with a speaker ("The mayor said one person was killed, AFP reported";
    "Haidai said that Russia had said 568 civilians were there"): a report of a report
    gives the figure to who first stated it. The first statement when none has a speaker.

    Example:
        >>> from types import SimpleNamespace as S
        >>> afp = S(speaker="AFP", content={"start": 0, "end": 40})
        >>> mayor = S(speaker="the mayor", content={"start": 15, "end": 40})
        >>> innermost_statement([(afp, "a"), (mayor, "b")])[0].speaker
        'the mayor'
    """
    spoken = [sa for sa in holding if sa[0].speaker is not None]
    if not spoken:
        return holding[0]
    return min(spoken, key=lambda sa: sa[0].content["end"] - sa[0].content["start"])


@lru_cache(maxsize=1)
def _background_relatives() -> frozenset[str]:
    return frozenset(load_data("speakers.json")["background_relatives"])


@lru_cache(maxsize=1)
def _background_events() -> frozenset[str]:
    return frozenset(load_data("speakers.json")["background_events"])


def _dated_event(noun: Token) -> bool:
    """Whether a noun names an event of the war by its calendar date, as a reference point in
    a preposition's object: "following the 7 October attacks", "for a strike on its consulate
    in Syria on 1 April" (``speakers.json`` ``background_events``);
    or is the date of such an event named before it, which the parse may give the clause
    ("a strike on its consulate on 1 April, which killed seven officers")."""
    events = _background_events()
    if noun.ent_type_ == "DATE" and noun.dep_ == "pobj" and noun.head.lower_ == "on":
        return _calendar_date(noun) and any(
            t.lemma_.lower() in events and t.dep_ == "pobj"
            for t in noun.sent if t.i < noun.head.i)
    if noun.lemma_.lower() not in events and noun.lower_ not in events:
        return False  # "the ministry said a strike, which killed 20, hit a school": its news
    near = [t for c in noun.children if c.i < noun.i for t in c.subtree]
    if noun.dep_ != "pobj":
        # "followed Hamas's 7 October attack that killed 1,200", "a parallel between the
        # disaster and the 7 October attacks, in which ...": a date of its own before it
        return any(t.ent_type_ == "DATE" and not t.is_punct and _calendar_date(t) for t in near)
    for prep in (c for c in noun.children if c.dep_ == "prep" and c.lower_ in ("on", "of")):
        near += [t for g in prep.children if g.dep_ == "pobj" for t in g.subtree]
    # "on its consulate in Syria on 1 April": the date may hang on the target's phrase
    for prep in (c for c in noun.children if c.dep_ == "prep"):
        near += [t for t in prep.subtree if t.dep_ == "pobj" and t.head.lower_ == "on"
                 and t.ent_type_ == "DATE"]
    return any(t.ent_type_ == "DATE" and not t.is_punct and _calendar_date(t) for t in near)


def _recalled_event(noun: Token, events: frozenset[str] | None = None) -> bool:
    """Whether a noun names an event of the war as what something else answers or follows,
    the object of a preposition of reference ("respond to a drone strike that killed three
    troops", "after Israeli strikes that killed seven aid workers"; ``speakers.json``
    ``background_events``, or ``events``, and ``recalled_by``): the outlet recalls the
    event's toll. An event in which the news happens ("killed in a strike that ...") or that
    is the news ("the ministry said a strike, which killed 20, hit a school") is not."""
    if noun.dep_ != "pobj" or noun.head.lower_ not in _recalling_prepositions():
        return False
    events = _background_events() if events is None else events
    return noun.lemma_.lower() in events or noun.lower_ in events


@lru_cache(maxsize=1)
def _recalled_harms() -> frozenset[str]:
    return frozenset(load_data("speakers.json")["recalled_harms"])


@lru_cache(maxsize=1)
def _recalling_prepositions() -> frozenset[str]:
    return frozenset(load_data("speakers.json")["recalled_by"])


def _calendar_date(tok: Token) -> bool:
    """Whether a date token belongs to a calendar date ("7 October", "Oct. 7", "1 April"), not
    a day of the week or "last week", which date the news itself."""
    ent = next((e for e in tok.doc.ents if e.start <= tok.i < e.end), None)
    if ent is None:
        return False
    # The tagger may leave the day out of the date: "7" CARDINAL, "October" DATE.
    days = [t for t in ent] + [c for t in ent for c in t.children if c.dep_ == "nummod"]
    doc = tok.doc
    # ... or apart from it: "a 7 October Hamas attack" ("7" the attack's, "October" Hamas's)
    days += [doc[i] for i in (ent.start - 1, ent.end) if 0 <= i < len(doc)
             and doc[i].is_digit and 1 <= int(doc[i].text) <= 31]
    return any(t.like_num for t in days)


def background_clause(number: Token, doc: Doc, att: Attribution) -> bool:
    """Whether the number stands in a relative clause opened by "where" or "when" that
    describes a place or a time named inside a statement whose cue lies outside it: "the
    UN warns that an assault on the city, where more than a million people are sheltering,
    could be catastrophic". The outlet adds the figure as background; the speaker does not
    state it. Not so after the clause ("the plant, where hundreds are sheltering, the
    governor said": the whole sentence is the governor's), nor in a direct quote (the
    caller's check). So is a relative clause on an event the text names by its date ("the 7
    October attacks, which killed about 1,200 people"): the outlet recalls its toll. A
    relative clause with a cue of its own ("the town, where authorities
    said six people were killed") holds its own statement, which is nested deeper.

    Example:
        >>> sorted(_background_relatives())
        ['when', 'where']
    """
    if att.rule == LEAD_IN or not 0 <= att.cue_token < len(doc):
        return False
    cue = doc[att.cue_token]
    for anc in [number, *number.ancestors]:
        if anc.i == cue.i:
            return False
        # "an investigation into the killing of seven staff", "the response to the deaths
        # of 24 children": a noun of harm a noun's preposition recalls; not one a verb's
        # does ("learned about the deaths of 24 more children" is the speaker's news).
        harm = anc.head.head
        recalled_harm = anc.dep_ == "pobj" and anc.head.lower_ == "of" and _recalled_event(
            harm, _recalled_harms()) and harm.head.head.pos_ == "NOUN"
        if recalled_harm or anc.dep_ == "relcl" and (any(
                c.dep_ == "advmod" and c.lower_ in _background_relatives() and c.i < anc.i
                for c in anc.children) or any(
                _recalled_event(noun) for noun in _antecedent_nouns(anc.head))):
            # Only a cue before the clause: a sentence closed by "..., the governor said"
            # is the governor's as a whole.
            return cue.i < anc.left_edge.i and any(a.i == cue.i for a in anc.ancestors)
        if _on_dated_event(anc):
            # A dated event's toll is the outlet's recall wherever the cue stands: "the
            # war that followed the 7 October attacks, which killed about 1,200 people, has
            # killed 33,000, according to the health ministry" (its figure is the 33,000).
            return True
    return False


def _antecedent_nouns(noun: Token) -> list[Token]:
    """The noun a relative clause hangs on and the nouns it locates, nearest first: the
    parse hangs "which killed seven" in "its attack on a convoy in Gaza which killed seven"
    on "convoy", but a convoy kills no one: the attack does."""
    out = [noun]
    while noun.dep_ == "pobj" and noun.head.lower_ in ("on", "in", "at", "near") and (
            noun.head.head.pos_ in ("NOUN", "PROPN")) and len(out) < 4:
        noun = noun.head.head
        out.append(noun)
    return out


def _on_dated_event(clause: Token) -> bool:
    """Whether a clause is a relative clause on an event named by its date: hung on it
    ("the 7 October attacks, which killed"), or opened by a preposition with "which" that
    the parse hung elsewhere ("an attack on the country on 7 October, during which about
    1,200 people were killed", read as an adverbial clause of a verb before it). Where the
    parse hung a relative clause on a noun further back ("Israel's response to the Hamas
    attacks on 7 October that killed"), the words right before it decide."""
    if clause.dep_ == "relcl" and _described_event(clause.head):
        return True
    opened = clause.dep_ == "relcl" or any(c.dep_ == "prep" and c.i < clause.i and any(
        g.dep_ == "pobj" and g.lower_ == "which" for g in c.children) for c in clause.children)
    if not opened or clause.left_edge.i == 0:
        return False
    doc = clause.doc
    before = clause.left_edge.i - 1
    while before > 0 and doc[before].is_punct:
        before -= 1
    return _described_event(doc[before])


def _described_event(noun: Token) -> bool:
    """Whether a relative clause hung on ``noun`` describes a dated event: the noun itself,
    or the event whose target or place it names ("a 1 April strike on its consulate in
    Syria, which killed": the parse hangs the clause on "Syria")."""
    for _ in range(3):
        if _dated_event(noun):
            return True
        if noun.dep_ != "pobj" or noun.head.lower_ not in _EVENT_PHRASES:
            return False
        noun = noun.head.head
    return False


#: Prepositions by which an event's phrase names its target or place ("an attack on Israel").
_EVENT_PHRASES = frozenset({"on", "in", "against", "at", "into"})


_MAX_QUOTE_CHARS = 600


def _sentence_ends(text: str) -> int:
    """How many sentences end in ``text`` (a full stop, question or exclamation mark)."""
    return sum(1 for i, c in enumerate(text) if c in ".!?" and text[i + 1 : i + 2] in {"", " ",
                                                                                         "\n"})


def _continued_quote(
    text: str,
    doc: Doc,
    off: int,
    number: tuple[int, int],
    stmt_index: list[tuple[Statement, Attribution, int, Doc]],
) -> tuple[Statement, Attribution] | None:
    """The statement whose direct quote a quotation holding the number continues: a new
    quoted sentence after '"...," the doctor said.' in the same paragraph, or a paragraph
    that opens with a quotation after a paragraph whose last statement was a direct quote
    or quoted some words ('... said he was “horrified”'). The quotation has no cue of its
    own (the caller found none).
    """
    local = number[0] - off
    region = next((r for r in quote_regions(doc_text(doc)) if r[0] <= local < r[1]), None)
    # A quotation is a few sentences between a pair of marks; a "region" that runs on for
    # paragraphs is a stray or unpaired mark.
    if region is None or region[1] - region[0] > _MAX_QUOTE_CHARS:
        return None
    here = sorted(
        ((s, a) for s, a, _o, d in stmt_index
         if d is doc and a.rule != LEAD_IN and s.quote == "direct" and s.speaker is not None
         and a.cue[1] <= region[0] and not _harm_speaker(d, a)
         # the quotation opens the sentence right after the cue's
         and _sentence_ends(doc_text(doc)[a.cue[1] : region[0]]) <= 1),
        key=lambda sa: sa[1].cue[0],
    )
    if here:
        return here[-1]
    if doc_text(doc)[: region[0]].strip():
        return None
    # A paragraph that opens with a quotation: the previous paragraph's last statement.
    before = [(s, a, o, d) for s, a, o, d in stmt_index if o < off and a.rule != LEAD_IN]
    if not before:
        return None
    last_off = max(o for _s, _a, o, _d in before)
    last_doc = next(d for _s, _a, o, d in before if o == last_off)
    if text[last_off + len(doc_text(last_doc)) : off].strip():
        return None  # not the paragraph right before
    last = max((sa for sa in before if sa[2] == last_off), key=lambda sa: sa[1].cue[0])
    stmt, att = last[0], last[1]
    # "... said he was “horrified” by its destruction.\n\n“We fear that up to 12,000 ...”":
    # a statement that quotes words of its speaker's goes on in the quotation after it.
    quoting = stmt.quote == "direct" or bool(
        quote_regions(doc_text(last_doc)[att.content[0] : att.content[1]]))
    if not quoting or stmt.speaker is None or _harm_speaker(last_doc, att):
        return None
    return stmt, att


def _said_time_text(doc: Doc, cue_i: int | None, times: list[TimeSpan]) -> str | None:
    """The text of the time expression attached to the cue ("said Tuesday"), if any."""
    # A statement carried over from another paragraph keeps that paragraph's cue index,
    # which may lie past this doc's end (as in ``times.said_on``).
    if cue_i is None or not 0 <= cue_i < len(doc):
        return None
    cue = doc[cue_i]
    for t in times:
        span = doc.char_span(t.start, t.end, alignment_mode="expand")
        if span is None:
            continue
        if span.root.head.i == cue_i or abs(span.start - cue.i) <= 2:
            return t.text
    return None


# A loss kind says more than a head count: "lost 1,200 soldiers" then "1,200 soldiers is
# our estimate" is one claim of losses.
