"""Tables of claims: figures that people already attributed, brought in beside extracted ones.

Two formats, both JSON Lines, detected from their first row (see ``detect_format``):

``economist``
    The Economist's table of published estimates of soldiers killed or wounded in the
    Russia-Ukraine war: ``date``, ``claimant``, ``losses_of`` (russia/ukraine), ``type``
    (deaths/casualties), ``estimate``, ``estimate_low``, ``estimate_high``, ``source_url``,
    ``from_warring_party``. One claim per row.
``gsu``
    The Ukrainian General Staff's daily cumulative claims of Russian losses: ``date``,
    ``claimant``, ``subject``, ``personnel`` with ``personnel_qualifier`` ("about"/"more"),
    ``pow`` and ``equipment`` (type -> count). One claim per figure of the day.

Where imported claims live. Each row becomes one *pseudo-article* (``articles.origin =
'table'``, store revision 0002) whose text is the row written out as sentences, one line per
figure; its claims are ordinary claims in the contract's shape, so every existing view,
filter, export and the tracker read them unchanged, and each claim's evidence points at the
line that states it. The article's key is a hash of the row's identity in its table (the
Economist: claimant, losses_of, type, date; the General Staff: the date), not of its text, so a
re-import adds nothing, and a corrected row replaces its claims in place. Each row is its own
copy group: rows are independent statements, never syndicated copies. The whole file is
imported in one transaction; a row that cannot be used (bad JSON, a missing field, no number
at all) becomes a *reject* with its ``FILE:LINE`` and the reason, as in ``sitrep ingest``.

Why this module is in ``analyse`` and not in ``sources``: the rows are claims already read by
people, so the importer plays extract's part (row -> contract record, using extract's lexicon
for "about") and then writes to the store; ``sources`` may import neither extract nor store,
while ``analyse`` is the first stage that may import both (and ``sitrep.analyse.dedup`` for the
MinHash that ``sitrep ingest`` expects of every stored article).

Readings, chosen to match what the extractor gives for the same words in a news text:

- Economist: a bare ``estimate`` is an exact figure (low = best = high); a range keeps its
  ends; a lone ``estimate_low`` is "at least" (high open), a lone ``estimate_high`` "up to"
  (low open); ``best`` is the estimate, else the low end, else the high end (the extractor's
  rule for "up to"). ``deaths`` -> kind ``killed``, ``casualties`` -> ``casualties``.
- General Staff: ``personnel`` is kind ``casualties``: the daily figure counts Russian
  servicemen put out of action ("liquidated"), which Ukrainian officials have described as
  killed plus seriously wounded, the Economist files the same figure under casualties (row
  "Armed Forces of Ukraine", 2024-01-16), and reading it as deaths would set it beside
  others' death counts it is three times larger than. "about N" is read as the extractor
  reads "about N" (N x 0.85 to N x 1.15, best N, from its lexicon), "more" as "more than N".
  ``pow`` -> ``captured``; each equipment type -> ``equipment`` with ``unit`` = the type.
- Both tables are running totals since the full-scale invasion: every claim gets the time span
  "since 24 February 2022" (to the row's date), which makes it a cumulative claim for the
  tracker; ``said_on`` is the row's date. Speakers come from the ``table_claimants`` map in
  ``sitrep/analyse/data/claimants.json`` (role, country, anonymous); the table's claimant text
  is kept as the speaker's text. The side is the Economist's ``from_warring_party``: true ->
  the claimant's country, false -> "third party"; the General Staff is Ukraine's side.

Example:
    >>> import json, os, tempfile
    >>> from sitrep.store import Store
    >>> row = {"id": "e:0", "date": "2024-05-31", "claimant": "UK MoD",
    ...        "losses_of": "russia", "type": "casualties", "estimate": 500000,
    ...        "estimate_low": None, "estimate_high": None,
    ...        "source_url": "https://x.com/DefenceHQ", "from_warring_party": False}
    >>> path = os.path.join(tempfile.mkdtemp(), "estimates.jsonl")
    >>> _ = open(path, "w").write(json.dumps(row) + "\\n")
    >>> store = Store.open("sqlite://")
    >>> counts = import_claims(store, path)
    >>> counts["format"], counts["stored"], counts["claims"]
    ('economist', 1, 1)
    >>> import_claims(store, path)["unchanged"]
    1
"""

from sitrep.analyse.tabular.load import detect_format, import_claims, read_table
from sitrep.analyse.tabular.rows import (
    FORMATS,
    SINCE_TEXT,
    WAR_START,
    FormatError,
    RowReject,
    TableRow,
    economist_row,
    gsu_row,
)

__all__ = [
    "FORMATS",
    "SINCE_TEXT",
    "WAR_START",
    "FormatError",
    "RowReject",
    "TableRow",
    "detect_format",
    "economist_row",
    "gsu_row",
    "import_claims",
    "read_table",
]
