"""Where sitrep's claims differ from the readers' on real articles (annotations/news).

Extracts the split's annotated articles (train by default: tune on train, never on dev) and
prints the figures of ``sitrep eval``'s news set, counts of missed claims (FN), claims the
readers did not mark (FP) and kind confusions, then writes every difference with its context
to a file, one per line, prefixed TP (a claim both found) / FN / FP / KIND / SPEAKER / BOUNDS /
PLACE / SUBJECT / SCOPE (a SCOPE line gives the scope wanted, the scope given and the reason
that decided it).

    .venv/bin/python scripts/news_errors.py --split train --out /tmp/news-errors.txt
    .venv/bin/python scripts/news_errors.py --group bbc --limit 40
    .venv/bin/python scripts/news_errors.py --ids annotations/news/batches/reader-7.txt
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from sitrep.eval_news import (
    gold_claims,
    match_claims,
    read_gold,
    repeats_found,
    same_place,
    same_speaker,
    score,
)
from sitrep.extract.pipeline import Extractor
from sitrep.model import Article

ROOT = Path(__file__).resolve().parents[1]
POOL = ROOT.parent / "shared" / "data" / "news_dev_pool.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", default="train", choices=("train", "dev", "gate"))
    parser.add_argument("--group", help="only ids starting with this (bbc, guardian, ...)")
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--ids", type=Path, default=None,
                        help="only the ids listed in this file (e.g. a reader's batch, "
                             "to read errors on articles no rule was written against yet)")
    parser.add_argument("--out", type=Path, default=Path("/tmp/news-errors.txt"))
    parser.add_argument("--pairs", type=Path, default=None,
                        help="also write every matched claim as a JSON line (the readers' "
                             "claim, sitrep's, and whether speaker and subject agree), to "
                             "weigh a reason's right answers against its wrong ones")
    args = parser.parse_args()
    gold = read_gold(ROOT / "annotations" / "news", args.split)
    if args.ids is not None:
        wanted = set(args.ids.read_text(encoding="utf-8").split())
        gold = {k: v for k, v in gold.items() if k in wanted}
    articles = []
    with POOL.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if row["id"] in gold and (not args.group or row["id"].startswith(args.group)):
                articles.append(Article(id=row["id"], text=row["text"], title=row.get("title"),
                                        outlet=row.get("outlet"),
                                        published=date.fromisoformat(row["published"])))
    articles = articles[: args.limit] if args.limit else articles
    fn: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    kinds: Counter[tuple[str, str]] = Counter()
    scopes: Counter[tuple[str, str]] = Counter()
    lines: list[str] = []
    pairs: list[tuple[list[dict[str, Any]], list[dict[str, Any]]]] = []
    ignored: list[list[dict[str, Any]]] = []
    matched_rows: list[dict[str, Any]] = []
    for art, record in zip(articles, Extractor().extract(articles), strict=True):
        text = art.text
        g, ignore = gold_claims(gold[art.id])
        drop = {pi for _, pi in match_claims(ignore, record["claims"])}
        p = [c for i, c in enumerate(record["claims"]) if i not in drop]
        pairs.append((g, p))
        ignored.append([])

        def near(span: dict[str, int], left: int = 70, right: int = 50, text: str = text) -> str:
            return repr(text[max(0, span["start"] - left): span["end"] + right])

        matched = match_claims(g, p)
        for gi, pi in matched:
            gc, pc = g[gi], p[pi]
            pk = pc["quantity"]["kind"]
            matched_rows.append({
                "article": art.id, "gold": gc, "claim": pc,
                "speaker_right": same_speaker(gc.get("speaker"), pc.get("speaker")),
                "subject_right": (gc.get("subject") or {}).get("country")
                == (pc.get("subject") or {}).get("country"),
            })
            lines.append(f"TP {pk} {pc['quantity']['text']!r} ({pc['quantity'].get('rule')}) "
                         f"scope={gc['scope']}/{pc.get('scope')} "
                         f"({(pc.get('reasons') or {}).get('scope')}) "
                         f"{art.id} | {near(gc['quantity'])}")
            if gc["kind"] != pk:
                kinds[(gc["kind"], pk)] += 1
                lines.append(f"KIND {gc['kind']}->{pk} {art.id} | {near(gc['quantity'])}")
            if not same_speaker(gc.get("speaker"), pc.get("speaker")):
                gs, ps = gc.get("speaker"), pc.get("speaker") or {}
                want = gs and gs["entity"].get("text")
                got = (ps.get("antecedent") or ps).get("text") if ps else None
                lines.append(f"SPEAKER want={want!r} got={got!r} {art.id} | "
                             f"{near(gc['quantity'], 120, 80)}")
            want_b = (gc["low"], gc["high"])
            got_b = (pc["quantity"].get("low"), pc["quantity"].get("high"))
            if want_b != got_b:
                lines.append(f"BOUNDS want={want_b} got={got_b} "
                             f"({pc['quantity'].get('rule')}) {art.id} | "
                             f"{near(gc['quantity'])}")
            got_scope = pc.get("scope")
            if got_scope is not None and got_scope != gc["scope"]:
                scopes[(gc["scope"], got_scope)] += 1
                why = (pc.get("reasons") or {}).get("scope")
                lines.append(f"SCOPE want={gc['scope']} got={got_scope} ({why}) {art.id} | "
                             f"{near(gc['quantity'], 120, 80)}")
            if not same_place(gc.get("place"), pc.get("place")):
                want_p = (gc.get("place") or {}).get("text")
                got_p = pc.get("place") or {}
                lines.append(f"PLACE want={want_p!r} got={got_p.get('text')!r} "
                             f"({got_p.get('name')}; {(pc.get('reasons') or {}).get('place')}) "
                             f"{art.id} | "
                             f"{near(gc['quantity'], 120, 80)}")
            want_c = (gc.get("subject") or {}).get("country")
            got_c = (pc.get("subject") or {}).get("country")
            if want_c != got_c:
                lines.append(f"SUBJECT want={want_c} got={got_c} {art.id} | "
                             f"{near(gc['quantity'])}")
        seen_g, seen_p = {x for x, _ in matched}, {y for _, y in matched}
        # a mention a found claim states again in its evidence is found (eval_news)
        seen_g |= {x for x, _ in repeats_found(g, p, matched)}
        for gi, gc in enumerate(g):
            if gi not in seen_g:
                fn[gc["kind"]] += 1
                lines.append(f"FN {gc['kind']} {gc['quantity']['text']!r} {art.id} | "
                             f"{near(gc['quantity'])}")
        for pi, pc in enumerate(p):
            if pi not in seen_p:
                q = pc["quantity"]
                fp[q["kind"]] += 1
                lines.append(f"FP {q['kind']} {q['text']!r} {art.id} | {near(q)}")
    figures = score(pairs, ignored)
    print(json.dumps({k: round(v, 3) for k, v in figures.items()}))
    print("FN", fn.most_common())
    print("FP", fp.most_common())
    print("KIND", kinds.most_common(12))
    print("SCOPE (wanted, given)", scopes.most_common())
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if args.pairs is not None:
        args.pairs.write_text("".join(json.dumps(r, default=str) + "\n" for r in matched_rows),
                              encoding="utf-8")
    print(f"{len(lines)} differences in {args.out}")


if __name__ == "__main__":
    main()
