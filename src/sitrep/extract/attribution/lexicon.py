"""The attribution lexicon (``data/attribution.json``: reporting verbs, hedges, quote marks,
toll figures, line credits), compiled once per process (``_lexicon``).

Part of ``sitrep.extract.attribution`` (see its docstring).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from sitrep.extract.lexicon import load_data


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, Any]:
    data = load_data("attribution.json")
    hedges = sorted(data["hedges"], key=len, reverse=True)
    hedge_re = re.compile(r"\b(" + "|".join(re.escape(h) for h in hedges) + r")\b", re.IGNORECASE)
    marks = data["quote_marks"]
    return {
        "verbs": set(data["reporting_verbs"]),
        "weak": set(data["weak_verbs"]),
        "according": [a.split() for a in data["according_to"]],
        "source_nouns": set(data.get("source_nouns", data["anonymous_heads"])),
        "hedge_re": hedge_re,
        "quote_marks": {q["open"]: (q["open"], q["close"], bool(q["run_on"])) for q in marks},
        "toll_figures": {k: set(v) for k, v in data["toll_figures"].items()},
        "record_figures": {k: set(v) for k, v in data["record_figures"].items()},
        "line_credits": _line_credit_lexicon(data["line_credits"], marks),
        # Longest first, so that "''" is read before a shorter mark could be.
        "quote_open_re": re.compile(
            "|".join(re.escape(q["open"]) for q in sorted(marks, key=lambda q: -len(q["open"])))
        ),
        # What may lie between a quote's last mark and its speaker: '"...," X said'.
        "close_re": re.compile(
            r"[,.\s]*[" + re.escape("".join(sorted({q["close"][-1] for q in marks}))) + r"]?[,\s]*"
        ),
    }


def _line_credit_lexicon(data: dict[str, Any], marks: list[dict[str, Any]]) -> dict[str, Any]:
    dashes = sorted(data["dashes"], key=len, reverse=True)
    closes = "".join(sorted({q["close"][-1] for q in marks} | {"’", "'"}))
    return {
        "max_label_words": int(data["max_label_words"]),
        "not_speakers": {x.upper() for x in data["not_speakers"]},
        "min_dateline_population": int(data["min_dateline_population"]),
        "particles": set(data["name_particles"]),
        "not_in_labels": set(data["not_in_labels"]),
        # A transcript turn: an optional opening mark, a label, a colon, the words said.
        "turn_re": re.compile(
            r"^\s*[" + re.escape("".join(q["open"][0] for q in marks)) + r"]?\s*"
            r"(?P<label>[^\W\d_][^:\n]{1,40}?)\s*:\s+(?P<said>\S.*?)\s*$"
        ),
        # A credit: the words said end with a closing mark, a stop or a link, then a dash.
        "credit_re": re.compile(
            r"(?:[" + re.escape(closes) + r".!?…]|\S/\S+)[\s\u00a0]*(?P<dash>"
            + "|".join(re.escape(d) for d in dashes)
            + r")[\s\u00a0]*(?=[^\W\d_])"
        ),
    }
