"""The one CSV writer: every CSV sitrep writes (CLI tables, API lists, exports) goes through here.

Two things every CSV needs and a plain ``csv.DictWriter`` does not give:

- **Flat cells.** Nested objects become ``outer_inner`` columns, lists JSON text (never a
  Python repr), booleans ``true``/``false``, ``None`` an empty cell.
- **No formulas.** Titles, outlets and quotes come from untrusted feeds, and a spreadsheet runs
  a cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (CSV or
  formula injection). Such a text cell gets a leading ``'``, as OWASP advises, so the
  spreadsheet shows it as text. Numbers are never changed: a number value, or a text that is
  a plain number such as ``-12`` or ``+3.5``, is written as it is.

Example:
    >>> for line in to_csv([{"title": '=HYPERLINK("http://x.example","go")', "low": -3,
    ...                      "spans": [{"start": 0}]}], ["title", "low"]).splitlines():
    ...     print(line)
    title,low,spans
    "'=HYPERLINK(""http://x.example"",""go"")",-3,"[{""start"": 0}]"
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import IO, Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d[\d,]*)?(\.\d+)?([eE][+-]?\d+)?")


def safe_cell(value: Any) -> Any:
    """A cell a spreadsheet will not run: a text starting a formula gets a leading ``'``.

    Example:
        >>> safe_cell("@SUM(A1:A9)"), safe_cell("-12.5"), safe_cell(-4), safe_cell("Kyiv")
        ("'@SUM(A1:A9)", '-12.5', -4, 'Kyiv')
    """
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_PREFIXES)
        and not (any(c.isdigit() for c in value) and _PLAIN_NUMBER.fullmatch(value))
    ):
        return "'" + value
    return value


def flatten(row: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """One CSV row: nested objects become ``outer_inner`` columns, lists JSON text.

    Example:
        >>> flatten({"scope": {"place": "Kursk", "period": None}, "ids": [1, 2], "ok": True})
        {'scope_place': 'Kursk', 'scope_period': None, 'ids': '[1, 2]', 'ok': 'true'}
    """
    out: dict[str, Any] = {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.update(flatten(value, f"{name}_"))
        elif isinstance(value, list | tuple):
            out[name] = json.dumps(value, ensure_ascii=False, default=str)
        elif isinstance(value, bool):
            out[name] = "true" if value else "false"
        else:
            out[name] = value
    return out


def write_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str], out: IO[str]) -> int:
    """Write a header of ``columns`` and one flat, formula-safe line per row; return the count.

    Fields a row has beyond ``columns`` are left out (``to_csv`` adds them as columns).

    Example:
        >>> buf = io.StringIO()
        >>> write_csv([{"outlet": "+Wire", "best": 12.0}], ["outlet", "best"], buf)
        1
        >>> buf.getvalue().splitlines()
        ['outlet,best', "'+Wire,12.0"]
    """
    writer = csv.DictWriter(out, fieldnames=list(columns), restval="", extrasaction="ignore")
    writer.writeheader()
    n = 0
    for row in rows:
        writer.writerow({k: safe_cell(v) for k, v in flatten(row).items()})
        n += 1
    return n


def to_csv(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> str:
    """CSV text: a header of ``columns`` (plus any other field the rows have), then the rows.

    Lines end in CRLF, as RFC 4180 has it (so do ``write_csv``'s).

    Example:
        >>> to_csv([], ["id", "kind"])
        'id,kind\\r\\n'
    """
    names = list(dict.fromkeys([*columns, *(k for r in rows for k in flatten(r))]))
    buf = io.StringIO()
    write_csv(rows, names, buf)
    return buf.getvalue()
