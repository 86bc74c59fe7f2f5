"""Whose dead on the NYT/WaPo/WSJ sentences sitrep gets wrong, read on the set's rest.

Runs sitrep over the sentences of ``shared/data/casualty_mentions_nyt.jsonl`` outside the
held-out sixth (``eval_nyt.held_out`` False: the held-out part is only scored, never read),
prints ``victim_side`` / ``side_given`` / ``side_precision`` on them, counts of (gold side,
given side), and writes one line per wrong sentence: gold side, given side, the sentence, and
each victim claim's kind, number, subject (text / country / side) and the reason that decided
the subject.

    .venv/bin/python scripts/nyt_errors.py --limit 1000 --out /tmp/nyt-errors.txt
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path
from typing import Any

from sitrep.eval_nyt import VICTIM_KINDS, read_rows, sentence_articles, side_of
from sitrep.extract.pipeline import Extractor

ROOT = Path(__file__).resolve().parents[1]
NYT = ROOT.parent / "shared" / "data" / "casualty_mentions_nyt.jsonl"


def claim_line(claim: dict[str, Any]) -> str:
    """One victim claim: kind, number, subject text/country/side and why."""
    q = claim["quantity"]
    subj = claim.get("subject") or {}
    reasons = claim.get("reasons") or {}
    why = " / ".join(f"{k}: {reasons[k]}" for k in ("subject", "subject.country",
                                                    "subject.side") if reasons.get(k))
    spk = claim.get("speaker") or {}
    return (f"  {q['kind']} {q.get('text')!r} subject={subj.get('text')!r} "
            f"country={subj.get('country')} side={subj.get('side')} ({why}) "
            f"speaker={spk.get('text')!r}/{spk.get('country')}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=Path("/tmp/nyt-errors.txt"))
    args = parser.parse_args()
    rows = read_rows(NYT, "rest", args.limit or None)
    pairs: Counter[tuple[str, str]] = Counter()
    lines = []
    right = given = given_right = 0
    records = Extractor().extract(sentence_articles(rows))
    for row, record in zip(rows, records, strict=True):
        side, gold = side_of(record), row["victim_side"]
        given += side is not None
        given_right += side is not None and side == gold
        right += side == gold
        if side == gold:
            continue
        pairs[(gold, str(side))] += 1
        lines.append(f"WANT={gold} GOT={side} {row['id']} | {row['sentence']}")
        lines.extend(claim_line(c) for c in record.get("claims", [])
                     if c["quantity"]["kind"] in VICTIM_KINDS)
    n = len(rows)
    print(json.dumps({"victim_side": round(right / n, 3), "side_given": round(given / n, 3),
                      "side_precision": round(given_right / given, 3) if given else 0.0,
                      "sentences": n}))
    print("(wanted, given)", pairs.most_common())
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{sum(pairs.values())} wrong sentences in {args.out}")


if __name__ == "__main__":
    main()
