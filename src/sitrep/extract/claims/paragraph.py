"""A paragraph's claims: each quantity with its statement, subject (and side), place, time,
``said_on``, scope and the reason for every field."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from functools import lru_cache

from spacy.tokens import Doc

from sitrep.extract.actors import belligerents, subject_of
from sitrep.extract.attribution import LEAD_IN, Attribution
from sitrep.extract.claims.carried import counted_back
from sitrep.extract.claims.harm_side import (
    doer_side,
    enemy_of,
    only_army,
    own_side_may_have_done_it,
)
from sitrep.extract.claims.nested import NESTED
from sitrep.extract.claims.spans import _contains, _number_token, _shift
from sitrep.extract.claims.statements import (
    _continued_quote,
    _governing_statement,
    _harm_speaker,
    _said_time_text,
    background_clause,
    innermost_statement,
)
from sitrep.extract.claims.where import claim_place
from sitrep.extract.lexicon import load_data
from sitrep.extract.reader.decide import claim_kind, claim_scope, whose_losses
from sitrep.extract.reader.kind import NOT_A_CLAIM
from sitrep.extract.scope import quantity_scope
from sitrep.extract.times import is_history, said_on
from sitrep.model import (
    HELD_KINDS,
    LOSS_KINDS,
    PEOPLE_KINDS,
    VICTIM_KINDS,
    ZERO_RULE,
    Actor,
    Article,
    Claim,
    Place,
    Quantity,
    Speaker,
    Statement,
    TimeSpan,
)


def _side(country: str, parties: set[str]) -> str:
    return country if country in parties else "third party"


def _paragraph_claims(
    article: Article,
    doc: Doc,
    off: int,
    stmt_index: list[tuple[Statement, Attribution, int, Doc]],
    parties: set[str],
    theatre: str | None = None,
    earlier: Sequence[Claim] = (),
) -> list[Claim]:
    """The claims of one paragraph (``earlier``: the claims of the paragraph before it)."""
    out: list[Claim] = []
    quantities: list[Quantity] = doc._.quantities or []
    actors: list[Actor] = doc._.actors or []
    places: list[Place] = doc._.places or []
    times: list[TimeSpan] = doc._.times or []
    for q in quantities:
        reasons: dict[str, str] = {}
        if q.kind_rule:
            reasons["kind"] = q.kind_rule
        reasons["quantity"] = q.rule
        span = doc.char_span(q.start, q.end, alignment_mode="expand")
        sent = span.sent if span is not None else doc[:]
        number = _number_token(span) if span is not None else None
        if number is not None:
            # The kind head overrides the rules' kind, or drops a number that is no claim,
            # only where it is sure.
            kind = claim_kind(doc, number.i, q, key=(article.id, q.start + off, q.end + off))
            if kind is not None and kind.kind == NOT_A_CLAIM:
                continue
            if kind is not None:
                q = replace(q, kind=kind.kind, kind_rule=f"kind.reader:{kind.kind}")
                reasons["kind"] = kind.reason
        qa = (q.start + off, q.end + off)
        # The statement whose content (or cue sentence) holds the number.
        stmt: Statement | None = None
        att: Attribution | None = None
        holding = [(s, a) for s, a, _s_off, s_doc in stmt_index
                   if not ((s_doc is not doc and a.rule != LEAD_IN) or _harm_speaker(s_doc, a))
                   and _contains((s.content["start"], s.content["end"]), qa)]
        if holding:
            stmt, att = innermost_statement(holding)
        reasons["speaker"] = (
            f"number inside the content of statement {stmt.id} ({att.rule})"
            + (", the innermost of the statements that hold it" if len(holding) > 1 else "")
            if stmt and att
            else "no attribution covers the number: the outlet's own narration"
        )
        if stmt is None and number is not None:
            found = _governing_statement(number, doc, stmt_index)
            if found is not None:
                stmt, att = found
                reasons["speaker"] = (
                    f"number in a clause governed by the cue of statement {stmt.id} "
                    f"({att.rule}), outside its content span"
                )
        background = (stmt is not None and att is not None and number is not None
                      and stmt.quote != "direct" and background_clause(number, doc, att))
        if background:
            stmt, att = None, None
            reasons["speaker"] = ("number in a relative clause describing a place, a time or "
                                  "a dated event the statement names: the outlet's background "
                                  "narration")
        if stmt is None and not background:
            found = _continued_quote(article.text, doc, off, qa, stmt_index)
            if found is not None:
                stmt, att = found
                reasons["speaker"] = (
                    f"number in a quotation that continues the direct quote of statement "
                    f"{stmt.id}"
                )
        if stmt is None and not background and number is not None:
            found = counted_back(doc, number, stmt_index)
            if found is not None:
                stmt, att = found
                reasons["speaker"] = (
                    f"a count that points back to the count statement {stmt.id} gave in the "
                    "sentence before"
                )
        speaker = stmt.speaker if stmt else None
        # The sentence's times, less when it was said; checked before the subject and place
        # are read, since a figure of history is dropped.
        cue_i = att.cue_token if att is not None else None
        said_text = _said_time_text(doc, cue_i, times)
        incident = [
            t for t in times
            if sent.start_char <= t.start < sent.end_char and t.text != said_text
        ]
        if number is not None and incident:
            nearest = min(incident, key=lambda t: abs(t.start - number.idx))
            if is_history(nearest, article.published):
                continue  # "bombings which killed tens in 1996": history, not this news
        subj: Actor | None = None
        # "we"/"our" in the speaker's own words is the speaker's side.
        own_words = (number is not None and att is not None
                     and att.content[0] <= number.idx < att.content[1])
        if number is not None:
            we = speaker.country if speaker is not None and own_words else None
            subj, why = subject_of(doc, number.i, actors, we, q.kind)
            reasons["subject"] = why
            if q.kind == "other" and why == _PRONOUN_DOER and not _attacks(q):
                # "It said it had delivered 230,000 meals", "it had captured 53 villages": who
                # "it" is did what is counted; whose it is, nothing says. A count of attacks
                # ("it launched 40 strikes") is its attacker's.
                subj, reasons["subject"] = None, _PRONOUN_DOER_OTHER
            whole = _whole_subject(q, subj, out, sent.start_char + off, earlier)
            if whole is not None:
                # "killed dozens of Israelis, including children": the part is of its whole
                subj = (replace(subj, country=whole.country) if subj is not None else
                        Actor(text=q.text, start=q.start, end=q.end, actor="victims",
                              country=whole.country))
                reasons["subject.country"] = _PART_OF_WHOLE
        # A place inside the speaker phrase ("Russia's defence ministry") is who spoke,
        # not where it happened.
        speaker_span = (att.speaker if att is not None and att.speaker else (-1, -1))
        in_speaker = [p for p in places
                      if speaker_span[0] <= p.start and p.end <= speaker_span[1]]
        places_here = [p for p in places
                       if not (speaker_span[0] <= p.start and p.end <= speaker_span[1])]
        place, reasons["place"] = claim_place(doc, sent, number, q.kind, places_here,
                                              in_speaker)
        # "killed seven aid workers in Gaza": people of no stated nationality who work for
        # neither side are nobody's losses, wherever they fell and whoever struck.
        sideless = subj is not None and subj.country is None and _sideless(subj.text)
        one_army = False  # whose soldiers are found where only one side has any
        if sideless:
            reasons["subject.country"] = _SIDELESS
        elif (subj is not None and subj.country is None and subj.actor == "forces"
                and q.kind in LOSS_KINDS and own_words and number is not None
                and speaker is not None and speaker.country in parties | belligerents()
                and not own_side_may_have_done_it(doc, number.i, actors, speaker.country,
                                                  speaker_span)):
            # "The IDF said three soldiers were seriously wounded in northern Gaza": a
            # party's soldiers of no stated side, in its own count, are its own (it names
            # the enemy's); where they fell is the enemy's ground as often as not. Only its
            # losses (``LOSS_KINDS``): "80 soldiers who surrendered", captured, are the
            # enemy's.
            subj = replace(subj, country=speaker.country)
            reasons["subject.country"] = _OWN_FORCES
        elif (subj is not None and subj.country is None and subj.actor in _ENEMY_LABELS
                and q.kind in VICTIM_KINDS and own_words and speaker is not None
                and speaker.country in belligerents()
                and (enemy := enemy_of(speaker.country, parties)) is not None):
            # "The military said 175 terrorists have been killed": a party's word for the
            # fighters it fights names its enemy's dead.
            subj = replace(subj, country=enemy)
            reasons["subject.country"] = _ENEMY_LABEL
        elif (subj is not None and subj.country is None and subj.actor == "forces"
                and q.kind in PEOPLE_KINDS | {"troops"}
                and (army := only_army(_named(parties, actors, places, theatre)))
                is not None):
            # "Seven other soldiers were wounded by the tank fire" in a war of Israel against
            # Hamas: only one side has soldiers, whoever fired and wherever they fell.
            subj = replace(subj, country=army)
            reasons["subject.country"] = _ONLY_ARMY
            one_army = True
        elif (subj is not None and subj.country is None and place is not None
                and (subj.actor != "forces" or q.kind in PEOPLE_KINDS)):
            # Soldiers of no stated side count for the place's country only where they
            # were harmed there ("two soldiers died in Kharkiv"), not where they gather.
            subj = replace(subj, country=place.country)
            reasons["subject.country"] = _GUESS_PLACE
        elif (subj is not None and subj.country is None and subj.actor == "civilians"
              and q.kind in PEOPLE_KINDS and speaker is not None and speaker.country
              and att is not None and number is not None
              and att.content[0] <= number.idx < att.content[1]):
            # "The governor said two civilians were killed": a party's official counts the
            # civilians of its own side when nothing says where they were harmed.
            subj = replace(subj, country=speaker.country)
            reasons["subject.country"] = _GUESS_SPEAKER
        guessed = reasons.get("subject.country") in _GUESSES or (
            q.kind in HELD_KINDS and reasons.get("subject") in _WEAK_FOR_HELD)
        if (q.kind in PEOPLE_KINDS | HELD_KINDS and number is not None
                and not sideless and q.rule != ZERO_RULE
                and (subj is None or subj.country is None or guessed)):
            # Where no rule says whose the harmed are (or whose the troops, arms or money
            # are), or only a guess from the place or the speaker does, the learned head
            # may (the guess is one of its facts). Not for a count of nobody ("No injuries
            # were reported"): no one harmed is nobody's loss unless its words say whose
            # ("no Israeli soldiers were hurt"); on train and gate the head's guesses there
            # were right 8 times and wrong 20.
            choice = whose_losses(doc, number.i, actors, places_here,
                                  speaker.country if speaker else None, parties,
                                  key=(article.id, q.start + off, q.end + off),
                                  guess=subj.country if subj is not None and guessed else None,
                                  kind=q.kind, own_words=own_words, theatre=theatre)
            if choice is not None and choice.country is None:
                subj = replace(subj, country=None) if subj is not None else None
                reasons["subject.country"] = choice.reason
            elif choice is not None:
                subj = (replace(subj, country=choice.country) if subj is not None else
                        Actor(text=q.text, start=q.start, end=q.end,
                              actor="victims" if q.kind in PEOPLE_KINDS else "holder",
                              country=choice.country))
                reasons["subject.country"] = choice.reason
        if (subj is not None and subj.country and q.kind in PEOPLE_KINDS
                and number is not None):
            subj, reasons["subject.side"] = _subject_side(
                doc, number.i, subj, actors, places_here, speaker, parties, theatre)
        if q.kind in VICTIM_KINDS and number is not None and not sideless and not one_army:
            # Who did the harm says whose the victims are where nothing else does, or where
            # the head or the rules took the doer's own country ("an Israeli strike killed
            # his sister", "Thais killed during the Hamas attack"); not of soldiers where only
            # one side has any (its own fire may have killed them).
            subj = doer_side(doc, number.i, subj, q, actors, places_here, parties, reasons,
                             speaker_span, speaker.country if speaker else None)
        when: date | None
        if cue_i is not None:
            when, why = said_on(doc, cue_i, times, article.published)
        else:
            when, why = article.published, "publication date (narration)"
        reasons["said_on"] = why
        time = incident[0] if incident else None
        if time is not None:
            reasons["time"] = "time expression in the claim's sentence"
        hedges = list(stmt.hedges) if stmt else []
        scope, reasons["scope"] = quantity_scope(sent.text, sent.start_char, q, quantities)
        if number is not None:
            # The scope head overrides the rules' scope only where it is sure.
            chosen = claim_scope(doc, number.i, q, scope, reasons["scope"], time, speaker,
                                 place, article.published,
                                 key=(article.id, q.start + off, q.end + off))
            if chosen is not None:
                scope, reasons["scope"] = chosen.scope, chosen.reason
        if stmt and stmt.speaker is not None and stmt.speaker.country:
            stmt.speaker.side = _side(stmt.speaker.country, parties)
        out.append(
            Claim(
                id="",
                start=sent.start_char + off,
                end=sent.end_char + off,
                quantity=_shift(q, off),
                speaker=speaker,
                cue=stmt.cue if stmt else None,
                quote=stmt.quote if stmt else None,
                hedges=hedges,
                subject=_shift(subj, off) if subj else None,
                place=_shift(place, off) if place else None,
                time=_shift(time, off) if time else None,
                said_on=when,
                evidence=[{"start": sent.start_char + off, "end": sent.end_char + off}],
                # An inner statement kept for the speaker only is none of the article's.
                statement=stmt.id if stmt and stmt.rule != NESTED else None,
                reasons=reasons,
                scope=scope,
            )
        )
    return out


def _subject_side(
    doc: Doc, number_i: int, subj: Actor, actors: list[Actor], places: list[Place],
    speaker: Speaker | None, parties: set[str], theatre: str | None = None,
) -> tuple[Actor, str]:
    """The party whose losses a harmed subject with a country are: its own country, unless
    it is at war neither in the article nor in the wars the data knows, and the
    whose-losses head finds a belligerent among the candidates as it finds a country for a
    count of none (its own threshold): foreign nationals killed in one side's territory or
    attack count on that side ("Twenty Thais have been killed", in a story of the attack on
    Israel; a floor of 0.5 above the threshold left 25 such NYT sentences, outside the
    held-out sixth, without a side and gave none a wrong one)."""
    own = subj.country
    at_war = parties | belligerents()
    if own in at_war:
        return replace(subj, side=own), "the subject's country is a party"
    other = whose_losses(doc, number_i, actors, places, speaker.country if speaker else None,
                         parties, exclude=own, theatre=theatre)
    if other is None or other.country is None or other.country not in at_war:
        return replace(subj, side=own), "the subject's country: no party at war is likely"
    return replace(subj, side=other.country), (
        f"nationals of a country not a party here, harmed on another's side: {other.reason}")


#: The reason given where a part takes its whole's country.
_PART_OF_WHOLE = "a part of the count before it, of no nationality of its own: its whole's"
#: Actors that name people of no nationality ("children", "soldiers", "militants").
_NATIONLESS = frozenset({"civilians", "forces", "militants"})


def _whole_subject(q: Quantity, subj: Actor | None, before: list[Claim],
                   sentence_start: int, earlier: Sequence[Claim] = ()) -> Actor | None:
    """The subject of the whole a part of no nationality of its own belongs to: the nearest
    count ``before`` it in its sentence (starting at ``sentence_start``) of the same kind that
    is no part itself, where that count's subject has a country ("dozens of Israelis,
    including children": IL). A part of a state noun with "the" ("two of the wounded were
    children", "three of the dead") points back to a count already given, so it may take the
    whole from an earlier sentence of its paragraph, or from the paragraph before
    (``earlier``): "wounding at least 15 people", then "two of the wounded were children"."""
    if not q.kind_rule.startswith("kind.part-of:") or (
        subj is not None and subj.actor not in _NATIONLESS
    ):
        return None

    def whole_of(claims: Sequence[Claim], here_only: bool) -> Claim | None:
        return next((c for c in reversed(claims)
                     if (c.start == sentence_start or not here_only)
                     and c.quantity.kind == q.kind
                     and not c.quantity.kind_rule.startswith("kind.part-of:")), None)

    whole = whole_of(before, here_only=True)
    if whole is None and q.kind_rule.startswith(_POINTS_BACK):
        whole = whole_of(before, here_only=False) or whole_of(earlier, here_only=False)
    if whole is None or whole.subject is None or not whole.subject.country:
        return None
    return whole.subject


#: A part of a state noun ("two of the wounded"): the group was counted before.
_POINTS_BACK = "kind.part-of:noun:"


#: The subject rules' guesses of whose the harmed are, which the whose-losses head may overrule.
_GUESS_PLACE = "civilians: country of the place"
_GUESS_SPEAKER = "civilians counted by a party's speaker: its side"
_GUESSES = frozenset({_GUESS_PLACE, _GUESS_SPEAKER})
_OWN_FORCES = "soldiers of no stated side counted by a party's speaker: its own"
_ENEMY_LABEL = "fighters a party's speaker calls militants or the enemy: its enemy's"
_ONLY_ARMY = "soldiers of no stated side in a war where one side has an army: its"
_SIDELESS = "aid workers of no stated nationality: nobody's side"
#: Actors a party names its enemy's fighters by ("terrorists", "the enemy").
_ENEMY_LABELS = frozenset({"militants", "adversary"})

#: The subject rule that resolves a pronoun doing the counted act to the latest actor, and
#: what becomes of it for a count of kind other (acts and things, not people).
_PRONOUN_DOER = "pronoun subject resolved to the nearest preceding actor"
_PRONOUN_DOER_OTHER = "a pronoun's actor did what is counted (kind other): not whose it is"
#: The subject rules' answers that are only a guess for troops, arms or money: the subject of
#: "provide", "send", "promise" is who gives them, not whose they become.
_WEAK_FOR_HELD = frozenset({"subject of the governing verb", _PRONOUN_DOER})


def _attacks(q: Quantity) -> bool:
    """Whether a count of kind other counts attacks ("40 strikes", "hit 188 times"; units of
    ``reader.json`` ``attack_nouns``)."""
    return q.unit is not None and (q.unit == "attacks" or q.unit.lower() in _attack_nouns())


@lru_cache(maxsize=1)
def _attack_nouns() -> frozenset[str]:
    return frozenset(load_data("reader.json")["attack_nouns"])


def _named(parties: set[str], actors: Sequence[Actor], places: Sequence[Place],
           theatre: str | None) -> set[str]:
    """The countries an article's parties, its theatre and a paragraph's actors and places
    name."""
    named = set(parties) | {a.country for a in actors if a.country}
    named |= {p.country for p in places if p.country}
    return named | ({theatre} if theatre else set())


@lru_cache(maxsize=1)
def _sideless_nouns() -> frozenset[str]:
    return frozenset(load_data("reader.json")["sideless_nouns"])


def _sideless(text: str) -> bool:
    """Whether a subject's words are exactly a noun for people who work for neither side
    ("aid workers", ``reader.json`` ``sideless_nouns``): "British aid workers", whose words
    name a nationality, is not."""
    return text.lower().strip() in _sideless_nouns()
