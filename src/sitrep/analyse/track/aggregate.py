"""An honest aggregate of one date's estimates, and how far the sides disagree."""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any


def aggregate_estimates(estimates: Sequence[Mapping[str, Any]]) -> dict[str, Any] | None:
    """The aggregate of current estimates (dicts with ``low``, ``best``, ``high``).

    ``low``/``high``: the smallest/largest figure any estimate states; ``best``: the median of
    the bests; ``open_low``/``open_high``: some estimate leaves that end open.

    Example:
        >>> aggregate_estimates([{"low": 100, "best": 120, "high": 150},
        ...                      {"low": 300, "best": 300, "high": None},
        ...                      {"low": 90, "best": 90, "high": 90}])
        {'low': 90, 'best': 120, 'high': 300, 'open_low': False, 'open_high': True}
    """
    lows: list[float] = []
    highs: list[float] = []
    bests: list[float] = []
    open_low = open_high = False
    for e in estimates:
        stated: list[float] = [e[k] for k in ("low", "best", "high") if e.get(k) is not None]
        if not stated:
            continue
        lows.append(min(stated))
        highs.append(max(stated))
        if e.get("best") is not None:
            bests.append(e["best"])
        open_low = open_low or e.get("low") is None
        open_high = open_high or e.get("high") is None
    if not lows:
        return None
    return {
        "low": _number(min(lows)),
        "best": _number(statistics.median(bests)) if bests else None,
        "high": _number(max(highs)),
        "open_low": open_low,
        "open_high": open_high,
    }


def side_disagreement(estimates: Sequence[Mapping[str, Any]]) -> dict[str, Any] | None:
    """How far the sides' current estimates are apart (dicts with ``side`` and ``best``).

    Each side's figure is the median best of its estimates; ``ratio`` = highest / lowest.

    Example:
        >>> side_disagreement([{"side": "UA", "best": 600}, {"side": "RU", "best": 150},
        ...                    {"side": "third party", "best": 300}])["ratio"]
        4.0
    """
    by_side: dict[str, list[float]] = defaultdict(list)
    for e in estimates:
        if e.get("side") and e.get("best") is not None:
            by_side[str(e["side"])].append(e["best"])
    if len(by_side) < 2:
        return None
    figures: dict[str, float] = {
        side: float(statistics.median(v)) for side, v in sorted(by_side.items())
    }
    high_side = max(figures, key=lambda s: figures[s])
    low_side = min(figures, key=lambda s: figures[s])
    low, high = figures[low_side], figures[high_side]
    ratio = round(high / low, 3) if low > 0 else None
    return {
        "ratio": ratio,
        "log10": round(math.log10(high / low), 3) if low > 0 else None,
        "high_side": high_side,
        "low_side": low_side,
        "by_side": {side: _number(v) for side, v in figures.items()},
    }


# ------------------------------------------------------------------------------ one series

def _number(value: float | None) -> float | int | None:
    """Whole numbers as int (so JSON shows 300, not 300.0)."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
