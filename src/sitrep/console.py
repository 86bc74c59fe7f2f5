"""Rows for people at a terminal: tables that fit its width, and claims as people read them.

A table never breaks a word or a number across lines. Short columns (ids, kinds, figures,
dates) keep their full width; long texts (speakers, places, titles) are cut with an ellipsis
and take what width is left. Below ``WIDE`` columns, a claims table drops the columns a reader
can do without at a glance (the amount as written, the number of sources) and shows the
figure as one cell: ``8``, ``104+``, ``30 (24–99)``. ``--format csv`` or ``json`` gives every
field.

Example:
    >>> figure({"low": 24, "best": 30, "high": 99})
    '30 (24–99)'
    >>> figure({"low": 104, "best": 104, "high": None})
    '104+'
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Mapping, Sequence
from typing import Any

from sitrep.model import speaker_entity

WIDE = 120  # terminal columns from which a claims table shows every column
SHORT = 7  # a column whose cells (and header) are at most this long is never cut
TEXT_MIN = 8  # a text column is cut to no fewer characters than this
# Figures are never cut, however long: "1,030 (876–1,200)" cut to "1,030 (8…" misleads.
_FIGURE = re.compile(r"[\d,.]+(\+| \([\d,.+–≤]+\))?|up to [\d,.]+|[\d,.]+–([\d,.]+|open)|open"
                     r"|\d{4}-\d\d-\d\d|[a-z]+")  # dates and kinds are never cut either
#: Shorter headers for the tables' columns, so that narrow terminals keep the figures.
HEADERS = {
    "date_start": "date", "killed_best": "killed", "wounded_best": "wounded",
    "article_ext_id": "article", "subject_country": "whose", "speaker_text": "speaker",
    "speaker_country": "sp. country", "place_name": "where", "said_on": "said",
    "n_claims": "claims", "n_claimants": "claimants", "latest_best": "latest",
    "latest_date": "as of", "copy_group": "copies", "disagreement": "disagr.",
}
CLAIM_COLUMNS = ["id", "kind", "value", "best", "range", "speaker", "whose", "where", "said",
                 "src"]
NARROW_CLAIM_COLUMNS = ["id", "kind", "figure", "speaker", "whose", "where", "said"]


def number(value: Any) -> str:
    """A count as people write it: thousands separated, no ``.0``; None is an open end.

    Example:
        >>> number(8.0), number(1234567), number(2.5), number(None)
        ('8', '1,234,567', '2.5', 'open')
    """
    if value is None:
        return "open"
    f = float(value)
    return f"{f:,.0f}" if f == int(f) else f"{f:,.1f}"


def figure(claim: Mapping[str, Any]) -> str:
    """A claim's best and range in one cell: ``8``, ``104+``, ``up to 300``, ``30 (24–99)``.

    Example:
        >>> figure({"low": None, "best": 300, "high": 300})
        'up to 300'
    """
    low, best, high = claim.get("low"), claim.get("best"), claim.get("high")
    if low is None and high is None:
        return number(best) if best is not None else ""
    if low is None:
        return f"up to {number(high)}" if best in (None, high) else (
            f"{number(best)} (≤{number(high)})")
    if high is None:
        return f"{number(low)}+" if best in (None, low) else f"{number(best)} ({number(low)}+)"
    if low == high:
        return number(low)
    shown = f"{number(low)}–{number(high)}"
    return shown if best is None else f"{number(best)} ({shown})"


def claim_display(r: Mapping[str, Any]) -> dict[str, Any]:
    """A claim row (store or contract fields) as people read it.

    Example:
        >>> claim_display({"id": 3, "kind": "killed", "quantity": "eight", "low": 8,
        ...                "best": 8, "high": 8, "speaker_text": None})["speaker"]
        '(narration)'
    """
    speaker = speaker_entity(r) or "(narration)"
    if r.get("speaker_anonymous"):
        speaker = f"{speaker} (anon.)"
    return {
        "id": r.get("id"),
        "kind": r.get("kind"),
        "value": r.get("quantity"),
        "best": number(r.get("best")),
        "range": f"{number(r.get('low'))}–{number(r.get('high'))}",
        "figure": figure(r),
        "speaker": speaker,
        "whose": r.get("subject_country"),
        "where": r.get("place_name"),
        "said": r.get("said_on"),
        "src": r.get("sources"),
    }


def claim_columns(width: int | None = None) -> list[str]:
    """The claim columns that fit a terminal ``width`` columns wide (default: this one's).

    Example:
        >>> claim_columns(80)
        ['id', 'kind', 'figure', 'speaker', 'whose', 'where', 'said']
    """
    width = width or shutil.get_terminal_size().columns
    return CLAIM_COLUMNS if width >= WIDE else NARROW_CLAIM_COLUMNS


def cell(value: Any) -> str:
    """A value as a table cell: integral floats without ``.0`` (counts are stored as REAL).

    Example:
        >>> cell(8.0), cell(31000.0), cell(0.25), cell(None), cell("Kyiv")
        ('8', '31,000', '0.25', '', 'Kyiv')
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    return str(value)


def column_widths(cells: Sequence[Sequence[str]], columns: Sequence[str], width: int,
                  gap: int = 2) -> list[int]:
    """Each column's width: short columns whole, long ones sharing what is left of ``width``.

    Example:
        >>> column_widths([["1", "killed", "regional governor Oleh Syniehubov"]],
        ...               ["id", "kind", "speaker"], 30)
        [2, 6, 18]
        >>> column_widths([["1,030 (876–1,184)", "Ukraine's military"]], ["figure", "speaker"], 30)
        [17, 11]
    """
    longest = [max([len(name), *(len(row[i]) for row in cells)]) for i, name in
               enumerate(columns)]
    whole = [n <= SHORT or all(_FIGURE.fullmatch(row[i]) for row in cells if row[i])
             for i, n in enumerate(longest)]
    widths = [n if keep else 0 for n, keep in zip(longest, whole, strict=True)]
    left = width - sum(widths) - gap * (len(columns) - 1)
    long_ones = [i for i, w in enumerate(widths) if w == 0]
    for i in long_ones:  # each text gets its minimum first, then a share of what is left
        widths[i] = min(longest[i], TEXT_MIN)
    spare = left - sum(widths[i] for i in long_ones)
    wanted = sum(longest[i] - widths[i] for i in long_ones)
    if spare > 0 and wanted:
        for i in long_ones:
            widths[i] += min(longest[i] - widths[i], spare * (longest[i] - widths[i]) // wanted)
    return widths


def print_table(rows: Sequence[Mapping[str, Any]], columns: Sequence[str], title: str,
                width: int | None = None, optional: Sequence[str] = ()) -> None:
    """Print ``rows`` as a table that fits the terminal: short columns whole, texts cut.

    The ``optional`` columns are left out, in their order, while the table does not fit.

    Example (prints, so not run here):
        >>> print_table([{"id": 1, "kind": "killed"}], ["id", "kind"], "claims")  # doctest: +SKIP
    """
    from rich.console import Console
    from rich.table import Table

    console = Console(soft_wrap=False, width=width)
    columns = list(columns)
    droppable = [c for c in optional if c in columns]
    while True:
        cells = [[cell(r.get(c)) for c in columns] for r in rows]
        headers = [HEADERS.get(c, c) for c in columns]
        widths = column_widths(cells, headers, console.width)
        if sum(widths) + 2 * (len(widths) - 1) <= console.width or not droppable:
            break
        columns.remove(droppable.pop(0))
    table = Table(title=f"{title} ({len(rows)})", box=None, pad_edge=False, padding=(0, 1),
                  header_style="bold", title_justify="left")
    for name, w in zip(headers, widths, strict=True):
        table.add_column(name, no_wrap=True, overflow="ellipsis", width=w)
    for row in cells:
        table.add_row(*row)
    console.print(table)
