"""Agreement between two readers of the same articles (annotations/news).

The second reader's articles are matched with the primary readers' records of the same
articles; claims are paired when their quantity spans overlap (one-to-one, in text order).
Printed: how many claims each marked and how many pair up (claim-finding F1 between the two),
then, over the paired claims, the share on which they agree and Cohen's kappa for kind,
scope and subject country, and the share for speaker entity, bounds and place (as
``sitrep eval`` scores a place).

    .venv/bin/python scripts/agreement.py annotations/news
    .venv/bin/python scripts/agreement.py annotations/news --second second-reader-2
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path
from typing import Any

from sitrep.eval_news import match_claims, normalised_name, same_place

Pair = tuple[dict[str, Any], dict[str, Any]]


def _records(path: Path) -> dict[str, dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return {r["id"]: r for r in (json.loads(line) for line in fh if line.strip())}


def kappa(labels: list[tuple[Any, Any]]) -> float:
    """Cohen's kappa of two readers' labels of the same items.

    Example:
        >>> kappa([("a", "a"), ("b", "b"), ("a", "b"), ("b", "b")])
        0.5
    """
    n = len(labels)
    if not n:
        return 0.0
    observed = sum(a == b for a, b in labels) / n
    first, second = Counter(a for a, _ in labels), Counter(b for _, b in labels)
    expected = sum(first[k] * second.get(k, 0) for k in first) / (n * n)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def _speaker(c: dict[str, Any]) -> str | None:
    sp = c.get("speaker")
    return None if sp is None else normalised_name((sp.get("entity") or {}).get("text"))


def agreement(folder: Path, second: str = "second-reader") -> dict[str, Any]:
    """The figures (see the module docstring) for ``second``'s articles."""
    primary: dict[str, dict[str, Any]] = {}
    for path in sorted(folder.glob("reader-*.jsonl")):
        primary.update(_records(path))
    theirs = _records(folder / f"{second}.jsonl")
    ids = sorted(set(theirs) & set(primary))
    pairs: list[Pair] = []
    n_a = n_b = 0
    for i in ids:
        a, b = primary[i]["claims"], theirs[i]["claims"]
        n_a += len(a)
        n_b += len(b)
        pairs += [(a[x], b[y]) for x, y in match_claims(a, b)]
    n = len(pairs)

    def share(same: list[bool]) -> float:
        return round(sum(same) / len(same), 3) if same else 0.0

    kinds = [(a["kind"], b["kind"]) for a, b in pairs]
    scopes = [(a["scope"], b["scope"]) for a, b in pairs]
    countries = [((a.get("subject") or {}).get("country"), (b.get("subject") or {}).get("country"))
                 for a, b in pairs]
    return {
        "articles": len(ids),
        "claims_primary": n_a,
        "claims_second": n_b,
        "paired": n,
        "finding_f1": round(2 * n / (n_a + n_b), 3) if n_a + n_b else 0.0,
        "kind": share([x == y for x, y in kinds]),
        "kind_kappa": round(kappa(kinds), 3),
        "speaker_entity": share([_speaker(a) == _speaker(b) for a, b in pairs]),
        "speaker_narration_or_not": share([(a["speaker"] is None) == (b["speaker"] is None)
                                           for a, b in pairs]),
        "subject_country": share([x == y for x, y in countries]),
        "subject_country_kappa": round(kappa(countries), 3),
        "scope": share([x == y for x, y in scopes]),
        "scope_kappa": round(kappa(scopes), 3),
        "bounds": share([(a["low"], a["high"]) == (b["low"], b["high"]) for a, b in pairs]),
        # as sitrep eval scores it: of the pairs where the primary reader gives a place
        "place": share([same_place(a["place"], b.get("place")) for a, b in pairs
                        if a.get("place")]),
        "place_unasked": share([b.get("place") is not None for a, b in pairs
                                if not a.get("place")]),
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=Path("annotations/news"))
    parser.add_argument("--second", default="second-reader",
                        help="the second reader's file name, less .jsonl")
    args = parser.parse_args()
    print(json.dumps(agreement(args.folder, args.second), indent=1))
