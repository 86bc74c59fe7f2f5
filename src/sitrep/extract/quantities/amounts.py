"""The amount grammar: one amount as written (digits, number words, a vague phrase) read as
an interval, joined with its range partner, bound words and currency (``parse_amount``,
``might_hold_quantity``). Text only: no spaCy.

Part of ``sitrep.extract.quantities`` (see its docstring).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sitrep.extract.quantities.lexicon import _lex, _norm, vague_rule

Number = int | float
Reading = tuple[Number | None, Number | None, Number | None, str, str]


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
                    # an open plural ("numerous", "a number of") has no upper end
                    high=None if entry["high"] is None else Decimal(entry["high"]) * mult,
                    # the lower end unless the entry states a best inside its interval
                    best=Decimal(entry.get("best", entry["low"])) * mult,
                    approx="vague",
                    rule=vague_rule(key),
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
    elif _thousands_shared(a, b):
        # "70 to 80,000", "20 or 30,000": said as "seventy to eighty thousand", the first
        # figure is in thousands too (a literal 70 beside 80,000 would be no range)
        a_low = a_low * 1000
    if b_high <= a_low:
        return None
    expr = _Expr(start, b.end, a_low, b_high, a_low, "range", rule, [a, b])  # best: low end
    expr.currency = a.currency or b.currency
    return expr


def _thousands_shared(a: _Atom, b: _Atom) -> bool:
    """Whether a range's second figure, a round number of thousands written in digits,
    lends its thousands to a first figure of the same size class: "70 to 80,000" (the
    thousands: 70 < 80 <= 4 x 70), not "2 to 80,000".

    Example:
        >>> from dataclasses import replace
        >>> from decimal import Decimal as D
        >>> a = _Atom(0, 2, 0, D(70), D(70), D(70), "exact", "num.exact")
        >>> b = _Atom(6, 12, 6, D(80000), D(80000), D(80000), "exact", "num.exact")
        >>> _thousands_shared(a, b), _thousands_shared(replace(a, low=D(2), high=D(2)), b)
        (True, False)
    """
    if a.scale is not None or b.scale is not None or a.approx != "exact" or b.approx != "exact":
        return False
    if a.low is None or b.low is None or a.low != a.high or b.low != b.high or a.decimal:
        return False
    if not (1000 <= b.low < 1_000_000 and b.low % 1000 == 0 and a.low == int(a.low)):
        return False
    thousands = b.low / 1000
    return 0 < a.low < thousands <= 4 * a.low


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
    else:
        _about_range(text, expr)
    cm = lex.currency_suffix_re.match(text[expr.end : expr.end + 40])
    if cm and expr.currency is None and not (cm.group("of") and _norm(cm.group("c")) == "pounds"):
        expr.currency = lex.q["currency_suffixes"][_norm(cm.group("c"))]
        expr.end += cm.end("c")


def _about_range(text: str, expr: _Expr) -> None:
    """"about 70 to 80,000": the range widened by "about"'s factors at both ends (GUIDE.md
    section 7: "about N to M" takes the +-15 % of "about"); best stays the stated low end."""
    lex = _lex()
    before = text[max(0, expr.start - 30) : expr.start]
    pm = lex.prefix_re.search(before)  # anchored at the range's first figure
    if not pm or expr.rule not in ("range.to", "range.or", "range.dash"):
        return
    word = _norm(pm.group("b"))
    spec = lex.q["bound_prefixes"][word]
    if spec["approx"] != "about" or expr.low is None or expr.high is None:
        return
    expr.start -= len(before) - pm.start()
    expr.bound_word = word
    expr.rule = "bound.about+" + expr.rule
    expr.low = expr.low * Decimal(str(spec["low_factor"]))
    expr.high = expr.high * Decimal(str(spec["high_factor"]))
    if expr.currency is None:
        expr.low = expr.low.to_integral_value()
        expr.high = expr.high.to_integral_value()


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
