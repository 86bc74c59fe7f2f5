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

from sitrep.extract.quantities.amounts import Number, Reading, might_hold_quantity, parse_amount
from sitrep.extract.quantities.find import find_quantities
from sitrep.extract.quantities.implicit import existential_ones, implicit_ones
from sitrep.extract.quantities.verbs import harm_verb_lemmas

__all__ = [
    "Number",
    "Reading",
    "existential_ones",
    "find_quantities",
    "harm_verb_lemmas",
    "implicit_ones",
    "might_hold_quantity",
    "parse_amount",
]
