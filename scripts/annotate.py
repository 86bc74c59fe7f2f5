"""Annotating real articles of ``../shared/data/news_dev_pool.jsonl`` as offsets (annotations/).

A reader writes one article's claims as JSON, naming each span by its words (a stretch of the
sentence unique in the article, the amount inside it); this tool finds the offsets, prints every
span back for checking, and keeps the record in a JSON Lines file. No article text is copied
into the project: a record holds offsets and the short span texts that let a checker see they
still point at the same words.

    python scripts/annotate.py show gdeltnews:20240414T103000Z_UA_en_05d304018f
    python scripts/annotate.py add annotations/news/reader-1.jsonl draft.json
    python scripts/annotate.py check annotations/news/reader-1.jsonl
    python scripts/annotate.py repair annotations/news/reader-1.jsonl
    python scripts/annotate.py todo annotations/news/reader-1.jsonl \
        annotations/news/batches/reader-1.txt

The draft's shape (one article) is in annotations/GUIDE.md, "Writing it down".
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

POOL = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "news_dev_pool.jsonl"
KINDS = ("killed", "wounded", "casualties", "captured", "missing", "displaced", "detained",
         "troops", "equipment", "money", "other")
SCOPES = ("incident", "period", "total")
CLAIM_FIELDS = {"sentence", "quantity", "occurrence", "kind", "low", "high", "best", "implicit",
                "part_of", "unit", "speaker", "subject", "place", "time", "scope", "note"}


class DraftError(ValueError):
    """A draft that cannot be resolved; the message says which claim and why."""


def load_pool(path: Path = POOL) -> dict[str, dict[str, Any]]:
    """The pool's articles by id."""
    with path.open(encoding="utf-8") as fh:
        return {a["id"]: a for a in (json.loads(line) for line in fh if line.strip())}


def show(article: dict[str, Any]) -> str:
    """The article as a reader sees it: header, then numbered paragraphs with their offsets."""
    head = [f"id: {article['id']}", f"published: {article.get('published')}",
            f"outlet: {article.get('outlet')}", f"title: {article.get('title')}", ""]
    text = article["text"]
    lines, start = [], 0
    for n, para in enumerate(text.split("\n")):
        if para.strip():
            lines.append(f"[{n} @{start}] {para}")
        start += len(para) + 1
    return "\n".join(head + lines)


def whole_words(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` neither starts nor ends inside a longer word ("he" in
    "There", "Gaza" in "Gazans")."""
    def glued(a: str, b: str) -> bool:  # two letters or two digits: one word ("100,000soldiers"
        return (a.isalpha() and b.isalpha()) or (a.isdigit() and b.isdigit())  # is two)

    before = start > 0 and glued(text[start - 1], text[start])
    after = end < len(text) and glued(text[end - 1], text[end])
    return not (before or after)


def occurrences(text: str, needle: str, lo: int = 0, hi: int | None = None) -> list[int]:
    """The offsets of ``needle`` in ``text[lo:hi]`` that are whole words."""
    hi = len(text) if hi is None else hi
    found, at = [], text.find(needle, lo, hi)
    while at >= 0:
        if whole_words(text, at, at + len(needle)):
            found.append(at)
        at = text.find(needle, at + 1, hi)
    return found


def _find(text: str, needle: str, where: str, lo: int = 0, hi: int | None = None,
          occurrence: int = 1) -> int:
    """The offset of the ``occurrence``-th ``needle`` (as whole words) in ``text[lo:hi]``."""
    found = occurrences(text, needle, lo, hi)
    if len(found) < occurrence:
        raise DraftError(f"{where}: {needle!r} not found" + (
            "" if occurrence == 1 else f" {occurrence} times"))
    return found[occurrence - 1]


def _unique(text: str, needle: str, where: str) -> int:
    found = occurrences(text, needle)
    if not found:
        raise DraftError(f"{where}: {needle!r} not found")
    if len(found) > 1:
        raise DraftError(f"{where}: {needle!r} occurs more than once; give a longer stretch")
    return found[0]


def _span(start: int, text: str) -> dict[str, Any]:
    return {"start": start, "end": start + len(text), "text": text}


def nearest(text: str, words: str, sentence: tuple[int, int]) -> int | None:
    """Where a mention of ``words`` belongs to a sentence: the first whole-word occurrence
    that overlaps it, else the nearest before it, else the first after it."""
    s, e = sentence
    found = occurrences(text, words)
    inside = [at for at in found if at < e and at + len(words) > s]
    before = [at for at in found if at + len(words) <= s]
    after = [at for at in found if at >= e]
    if inside:
        return inside[0]
    if before:
        return before[-1]
    return after[0] if after else None


def _mention(text: str, words: str, where: str, sentence: tuple[int, int]) -> dict[str, Any]:
    """A speaker or subject mention: in (or across the edge of) the sentence if there, else
    the nearest before, else the nearest after; always whole words."""
    at = nearest(text, words, sentence)
    if at is None:
        raise DraftError(f"{where}: {words!r} not found in the article")
    return _span(at, words)


def resolve(article: dict[str, Any], draft: dict[str, Any], reader: str) -> dict[str, Any]:
    """A draft (words) as a record (offsets), checked against the guide's rules."""
    text = article["text"]
    claims = []
    for i, c in enumerate(draft.get("claims", [])):
        where = f"claim {i}"
        unknown = set(c) - CLAIM_FIELDS
        if unknown:
            raise DraftError(f"{where}: unknown fields {sorted(unknown)}")
        if c.get("kind") not in KINDS:
            raise DraftError(f"{where}: kind {c.get('kind')!r} is not one of {KINDS}")
        if c.get("scope") not in SCOPES:
            raise DraftError(f"{where}: scope {c.get('scope')!r} is not one of {SCOPES}")
        low, best, high = c.get("low"), c.get("best"), c.get("high")
        if best is None:
            raise DraftError(f"{where}: best is required")
        if (low is not None and low > best) or (high is not None and best > high):
            raise DraftError(f"{where}: needs low <= best <= high, got {low}/{best}/{high}")
        s = _unique(text, c["sentence"], f"{where}.sentence")
        e = s + len(c["sentence"])
        q = _find(text, c["quantity"], f"{where}.quantity", s, e, int(c.get("occurrence", 1)))
        claim: dict[str, Any] = {
            "sentence": {"start": s, "end": e},
            "quantity": _span(q, c["quantity"]),
            "kind": c["kind"], "low": low, "best": best, "high": high,
            "implicit": bool(c.get("implicit", False)),
            "part_of": c.get("part_of"), "unit": c.get("unit"), "scope": c["scope"],
            "note": c.get("note"),
        }
        sp = c.get("speaker")
        if sp is not None:
            speaker: dict[str, Any] = {"anonymous": bool(sp.get("anonymous", False)),
                                       "country": sp.get("country")}
            if sp.get("mention"):
                speaker["mention"] = _mention(text, sp["mention"], f"{where}.speaker.mention",
                                              (s, e))
            entity = sp.get("entity") or sp.get("mention")
            if not entity:
                raise DraftError(f"{where}: a speaker needs its entity")
            # The entity's fullest mention is its first: the first whole-word occurrence at or
            # before the claim, else the nearest after.
            found = occurrences(text, entity)
            upto = [at for at in found if at < e]
            at = upto[0] if upto else (found[0] if found else -1)
            speaker["entity"] = _span(at, entity) if at >= 0 else {"text": entity}
            claim["speaker"] = speaker
        else:
            claim["speaker"] = None
        for field in ("subject", "place"):
            value = c.get(field)
            if value is None:
                claim[field] = None
                continue
            out = {k: v for k, v in value.items() if k != "text"}
            if value.get("text"):
                out.update(_mention(text, value["text"], f"{where}.{field}", (s, e)))
            claim[field] = out
        when = c.get("time")
        if when is not None and {"start", "end"} & set(when):
            raise DraftError(f"{where}.time: dates go in date_start and date_end")
        if when is not None:
            out = {k: v for k, v in when.items() if k != "text"}
            if when.get("text"):
                out.update(_mention(text, when["text"], f"{where}.time", (s, e)))
            claim["time"] = out
        else:
            claim["time"] = None
        claims.append(claim)
    for i, c in enumerate(claims):
        if c["part_of"] is not None and not 0 <= int(c["part_of"]) < len(claims):
            raise DraftError(f"claim {i}: part_of {c['part_of']} is no claim of this article")
    dateline = draft.get("dateline")
    return {
        "id": article["id"], "reader": reader,
        "dateline": _span(_unique(text, dateline, "dateline"), dateline) if dateline else None,
        "claims": claims, "note": draft.get("note"),
    }


def printed(article: dict[str, Any], record: dict[str, Any]) -> Iterator[str]:
    """Every span of a record printed back from the article's text."""
    text = article["text"]

    def at(span: dict[str, Any] | None) -> str:
        if not span or "start" not in span:
            return repr(span.get("text")) + " (not in text)" if span else "-"
        return repr(text[span["start"]:span["end"]])

    if record.get("dateline"):
        yield f"dateline {at(record['dateline'])}"
    for i, c in enumerate(record["claims"]):
        sp = c["speaker"]
        who = "narration" if sp is None else (
            f"{at(sp.get('mention'))} = {at(sp['entity'])}"
            + (" (anon.)" if sp["anonymous"] else "") + f" [{sp.get('country')}]")
        subject = c["subject"] or {}
        yield (f"{i}: {at(c['quantity'])} {c['kind']} {c['low']}/{c['best']}/{c['high']} "
               f"{c['scope']} | by {who} | whose {at(subject) if subject else '-'} "
               f"[{subject.get('country')}] | where {at(c['place'])} | "
               f"when {at(c['time'])} {(c['time'] or {}).get('date_start', '')}"
               + (f" | part of {c['part_of']}" if c["part_of"] is not None else ""))


def read_records(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def write_records(path: Path, records: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    tmp.replace(path)


def check_record(article: dict[str, Any], record: dict[str, Any]) -> list[str]:
    """Spans whose offsets no longer hold their text (the pool changed, or a hand edit)."""
    text = article["text"]
    bad = []

    def walk(value: Any, where: str) -> None:
        if isinstance(value, dict):
            if {"start", "end", "text"} <= set(value):
                if text[value["start"]:value["end"]] != value["text"]:
                    bad.append(f"{record['id']} {where}: {value['text']!r}")
                elif not whole_words(text, value["start"], value["end"]):
                    bad.append(f"{record['id']} {where}: {value['text']!r} inside a word")
            for k, v in value.items():
                walk(v, f"{where}.{k}")
        elif isinstance(value, list):
            for k, v in enumerate(value):
                walk(v, f"{where}[{k}]")

    walk(record, "")
    return bad


def repair(article: dict[str, Any], record: dict[str, Any]) -> list[str]:
    """Move spans that sit inside a longer word ("he" in "There") to the same words as whole
    words, found as ``add`` finds them now; the reader's words are kept. Returns what moved
    (and what could not)."""
    text, log = article["text"], []

    def fix(span: dict[str, Any] | None, where: str, sentence: tuple[int, int],
            entity: bool = False) -> None:
        if not span or "start" not in span or whole_words(text, span["start"], span["end"]):
            return
        words = span["text"]
        if entity:
            found = occurrences(text, words)
            upto = [at for at in found if at < sentence[1]]
            at = upto[0] if upto else (found[0] if found else None)
        else:
            at = nearest(text, words, sentence)
        if at is None:
            log.append(f"{record['id']} {where}: {words!r} has no whole-word occurrence")
            return
        log.append(f"{record['id']} {where}: {words!r} {span['start']} -> {at}")
        span["start"], span["end"] = at, at + len(words)

    for i, c in enumerate(record["claims"]):
        sentence = (c["sentence"]["start"], c["sentence"]["end"])
        fix(c["quantity"], f"claims[{i}].quantity", sentence)
        sp = c.get("speaker") or {}
        fix(sp.get("mention"), f"claims[{i}].speaker.mention", sentence)
        fix(sp.get("entity"), f"claims[{i}].speaker.entity", sentence, entity=True)
        for field in ("subject", "place", "time"):
            fix(c.get(field), f"claims[{i}].{field}", sentence)
    return log


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("show", help="print an article with paragraph offsets")
    p.add_argument("id")
    p = sub.add_parser("add", help="resolve a draft and keep it (replacing the same article)")
    p.add_argument("out", type=Path)
    p.add_argument("draft", type=Path)
    p.add_argument("--reader", default=None)
    p = sub.add_parser("check", help="check every record's spans against the pool")
    p.add_argument("files", type=Path, nargs="+")
    p = sub.add_parser("repair", help="move spans found inside longer words to whole words")
    p.add_argument("files", type=Path, nargs="+")
    p = sub.add_parser("todo", help="the ids of a batch file not yet in an annotation file")
    p.add_argument("out", type=Path)
    p.add_argument("batch", type=Path)
    args = parser.parse_args(argv)
    pool = load_pool()
    if args.command == "show":
        if args.id not in pool:
            print(f"no article {args.id!r} in the pool", file=sys.stderr)
            return 2
        print(show(pool[args.id]))
        return 0
    if args.command == "add":
        draft = json.loads(args.draft.read_text(encoding="utf-8"))
        article = pool.get(draft.get("id"))
        if article is None:
            print(f"no article {draft.get('id')!r} in the pool", file=sys.stderr)
            return 2
        reader = args.reader or args.out.stem
        try:
            record = resolve(article, draft, reader)
        except DraftError as exc:
            print(f"{draft['id']}: {exc}", file=sys.stderr)
            return 2
        records = [r for r in read_records(args.out) if r["id"] != record["id"]]
        write_records(args.out, [*records, record])
        print(f"{record['id']}: {len(record['claims'])} claims kept in {args.out}")
        for line in printed(article, record):
            print("  " + line)
        return 0
    if args.command == "check":
        problems = []
        for path in args.files:
            for record in read_records(path):
                problems += check_record(pool[record["id"]], record)
        print("\n".join(problems) or "all spans hold their text")
        return 1 if problems else 0
    if args.command == "repair":
        for path in args.files:
            records = read_records(path)
            moved = [line for record in records for line in repair(pool[record["id"]], record)]
            write_records(path, records)
            print("\n".join(moved) or f"{path}: nothing to move")
        return 0
    done = {r["id"] for r in read_records(args.out)}
    todo = [i for i in args.batch.read_text().split() if i not in done]
    print("\n".join(todo))
    print(f"{len(todo)} to do, {len(done)} done", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
