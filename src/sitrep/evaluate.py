"""``sitrep eval``: the extractor scored against human-made gold sets.

Sets (each skipped, with a line saying so, when its file is absent):

* ``seed``: the specimen article against ``specimen/seed-article.gold.json`` — per-field
  accuracy of the four numeric claims (a value passes inside the gold bounds), claims
  beyond the gold, statements without numbers, dates resolved.
* ``polnear``: PolNeAR dev attribution. A predicted statement is right when its content
  span overlaps a gold content span and its speaker span overlaps that attribution's
  source span (a gold attribution with no source span matches on content alone); matching
  is one-to-one, greedy in text order.
* ``news``: real articles of ``news_dev_pool.jsonl`` annotated by people (the dev split of
  ``annotations/news``): claims found with their kind, wholly right, speaker entity, subject
  country (``sitrep.eval_news``).
* ``ucdp``: UCDP GED Ukraine dev headlines. Each row is read as an article published on
  its (first) source date; its place is the first event's, or, with no event, the most
  precise place found; its date the first event's, or the publication date. admin1 is
  right when it names the gold ``adm_1`` (compared as ISO 3166-2 codes), the date when it
  lies in the gold ``date_start``..``date_end``; a settlement sitrep names is right within
  25 km of UCDP's point (``score_ucdp``). The headlines are read as a store ingesting one
  day a run reads them (the weeks before tell namesakes apart, ``sitrep.eval_recent``);
  ``ucdp.admin1_alone`` and its kin score each headline read on its own.

Example:
    >>> figures, notes = run_all(Path("/nonexistent"))
    >>> figures
    {}
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from sitrep.eval_recent import read_by_day
from sitrep.extract.pipeline import ExtractOptions
from sitrep.model import Article
from sitrep.run import Extracts, Runner
from sitrep.sources.readers import article_from_text

Figures = dict[str, float]


def spans_overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Whether two (start, end) character spans share a character.

    Example:
        >>> spans_overlap((0, 5), (4, 9)), spans_overlap((0, 5), (5, 9))
        (True, False)
    """
    return a[0] < b[1] and b[0] < a[1]


def match_attribution(
    content: tuple[int, int], speaker: tuple[int, int] | None,
    golds: list[tuple[Any, Any]], used: set[int],
) -> int | None:
    """The first gold attribution not in ``used`` that a statement matches, or None: its
    content overlaps one of the gold's content spans, and its speaker one of the gold's
    source spans (content alone where the gold has no source). ``golds`` are (source spans
    or None, content spans); PolNeAR's scoring here and in training.

    Example:
        >>> golds = [(None, [(0, 4)]), ([(10, 14)], [(20, 30)])]
        >>> match_attribution((22, 25), (11, 12), golds, set()), match_attribution(
        ...     (22, 25), None, golds, set())
        (1, None)
    """
    for gi, (src, cspans) in enumerate(golds):
        if gi in used or not any(spans_overlap(content, tuple(c)) for c in cspans):
            continue
        if src is None or (speaker and any(spans_overlap(speaker, tuple(x)) for x in src)):
            return gi
    return None


def _in(value: Any, bounds: dict[str, float] | None) -> bool:
    if bounds is None:
        return True
    if value is None:
        return False
    return float(bounds["min"]) - 1e-6 <= float(value) <= float(bounds["max"]) + 1e-6


def run_all(
    shared: Path, limit: int | None = None, focus: str = "all",
    annotations: Path = Path("annotations/news"), workers: int = 1,
) -> tuple[Figures, list[str]]:
    """Run every set whose files exist under ``shared``; return (figures, notes).

    ``news``, the real articles people annotated, reads its gold from ``annotations`` (the
    project's ``annotations/news``) and its texts from ``shared`` (``sitrep.eval_news``).

    With ``focus="claims"`` the extractor parses only the first pass's paragraphs and every
    figure's name starts with ``claims/`` (``claims/seed.claims_found``), so both runs can be
    held to floors side by side. ``workers`` > 1 extracts in that many local processes
    (``sitrep.run.Runner``): the same figures, sooner.
    """
    with Runner(ExtractOptions(focus=focus, workers=workers)) as runner:
        return _run_sets(shared, limit, focus, annotations, runner)


def _run_sets(
    shared: Path, limit: int | None, focus: str, annotations: Path, runner: Runner
) -> tuple[Figures, list[str]]:
    figures: Figures = {}
    notes: list[str] = []

    seed_txt = shared / "specimen" / "seed-article.txt"
    seed_gold = shared / "specimen" / "seed-article.gold.json"
    if seed_txt.is_file() and seed_gold.is_file():
        figures.update(eval_seed(runner, seed_txt, seed_gold))
    else:
        notes.append(f"seed: skipped, {seed_txt} or {seed_gold} absent")
    polnear = shared / "data" / "polnear_attribution_dev.jsonl"
    if polnear.is_file():
        figures.update(eval_polnear(runner, polnear, limit))
    else:
        notes.append(f"polnear: skipped, {polnear} absent")
    ucdp = shared / "data" / "ucdp_ukraine_dev.jsonl"
    if ucdp.is_file():
        figures.update(eval_ucdp(runner, ucdp, limit))
    else:
        notes.append(f"ucdp: skipped, {ucdp} absent")
    pool = shared / "data" / "news_dev_pool.jsonl"
    if pool.is_file() and (annotations / "split.json").is_file():
        from sitrep.eval_news import eval_news

        figures.update(eval_news(runner, pool, annotations, "dev", limit))
    else:
        notes.append(f"news: skipped, {pool} or {annotations / 'split.json'} absent")
    nyt = shared / "data" / "casualty_mentions_nyt.jsonl"
    if focus != "all":
        pass  # one-sentence articles: the claims focus parses them alike, so not scored twice
    elif nyt.is_file():
        from sitrep.eval_nyt import eval_nyt

        figures.update(eval_nyt(runner, nyt, limit))
    else:
        notes.append(f"nyt: skipped, {nyt} absent")
    if focus != "all":
        figures = {f"{focus}/{k}": v for k, v in figures.items()}
    return figures, notes


# --- seed -------------------------------------------------------------------------------


def seed_article(path: Path) -> Article:
    """The specimen as sitrep reads it: published 2024-12-18 (the gold's date)."""
    return article_from_text(path.read_text(encoding="utf-8"), "seed", date(2024, 12, 18))


def eval_seed(extractor: Extracts, txt: Path, gold_path: Path) -> Figures:
    """Per-field accuracy on the specimen article."""
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    art = seed_article(txt)
    art.published = date.fromisoformat(gold["article"]["published"])
    record = next(extractor.extract([art]))
    text = art.text
    checked = 0
    right = 0
    matched: set[str] = set()
    for g in gold["numeric_claims"]:
        ev = text.find(g["evidence"])
        ev_span = (ev, ev + len(g["evidence"])) if ev >= 0 else (-1, -1)
        cands = [
            c for c in record["claims"]
            if any(spans_overlap((e["start"], e["end"]), ev_span) for e in c["evidence"])
            and c["quantity"]["kind"] == g["kind"]
        ]
        claim = cands[0] if cands else None
        if claim is not None:
            matched.add(claim["id"])
        for ok in _seed_fields(g, claim, text):
            checked += 1
            right += int(ok)
    extra = len([c for c in record["claims"] if c["id"] not in matched])

    st_right = 0
    gold_st = gold["statements_without_numbers"]
    for g in gold_st:
        content = g["content"]
        pos = text.find(content)
        span = (pos, pos + len(content))
        for s in record["statements"]:
            c = (s["content"]["start"], s["content"]["end"])
            sp = s["speaker"]
            if pos >= 0 and spans_overlap(c, span) and sp is not None and _same_speaker(
                g["speaker"], sp
            ):
                st_right += 1
                break

    d_right = 0
    for g in gold["dates_to_resolve"]:
        for t in record["times"]:
            if g["text"].lower() not in t["text"].lower():
                continue
            ok = t["date_start"] == g["date_start"] and t["precision"] == g["precision"]
            if "date_end" in g:
                ok = ok and t["date_end"] == g["date_end"]
            if "date_end_before" in g:
                ok = ok and t["date_end"] is not None and t["date_end"] < g["date_end_before"]
            if ok:
                d_right += 1
                break
    return {
        "seed.claim_fields": right / checked if checked else 0.0,
        "seed.claims_found": len(matched) / len(gold["numeric_claims"]),
        "seed.extra_claims": float(extra),
        "seed.statements": st_right / len(gold_st),
        "seed.dates": d_right / len(gold["dates_to_resolve"]),
    }


def _same_speaker(gold: str, sp: dict[str, Any]) -> bool:
    """The predicted speaker names the gold one: its text, name or first mention."""
    want = gold.lower()
    names = [sp["text"], sp.get("name") or "", (sp.get("antecedent") or {}).get("text", "")]
    return any(n and (want in n.lower() or n.lower() in want) for n in names)


def _seed_fields(g: dict[str, Any], c: dict[str, Any] | None, text: str) -> Iterable[bool]:
    """One boolean per gold field of a numeric claim."""
    q = c["quantity"] if c else {}
    yield c is not None
    for key in ("low", "high", "best"):
        if key in g:
            yield _in(q.get(key), g[key])
    if "currency" in g:
        yield q.get("currency") == g["currency"]
    sp = c["speaker"] if c else None
    if "speaker" in g:
        if g["speaker"] is None:
            yield c is not None and sp is None
        else:
            yield sp is not None and sp["text"].lower() == g["speaker"].lower()
    if "speaker_named" in g:
        yield sp is not None and sp["anonymous"] is (not g["speaker_named"])
    if "speaker_country" in g:
        yield sp is not None and sp.get("country") == g["speaker_country"]
    if "cue" in g:
        yield c is not None and c["cue"] is not None and c["cue"]["text"] == g["cue"]
    if "statement_date" in g:
        yield c is not None and c["said_on"] == g["statement_date"]
    if "subject_country" in g:
        subj = c["subject"] if c else None
        yield subj is not None and subj.get("country") == g["subject_country"]
    if "place" in g:
        place = c["place"] if c else None
        for key in ("country", "iso3166_2", "precision"):
            if key in g["place"]:
                yield place is not None and place.get(key) == g["place"][key]
        for key in ("lat", "lon"):
            if key in g["place"]:
                yield place is not None and place.get(key) is not None and abs(
                    place[key] - g["place"][key]
                ) <= 1.0
    if "hedges" in g:
        yield c is not None and all(h in c["hedges"] for h in g["hedges"])
    if "also_stated_as" in g:
        pos = text.find(g["also_stated_as"])
        span = (pos, pos + len(g["also_stated_as"]))
        yield c is not None and pos >= 0 and any(
            spans_overlap((e["start"], e["end"]), span) for e in c["evidence"]
        )


# --- PolNeAR ----------------------------------------------------------------------------


def _read_rows(path: Path, limit: int | None) -> list[dict[str, Any]]:
    """The first ``limit`` (all when None) JSON Lines rows of a gold file."""
    rows: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            rows.append(json.loads(line))
            if limit and len(rows) >= limit:
                break
    return rows


def eval_polnear(extractor: Extracts, path: Path, limit: int | None = None) -> Figures:
    """Attribution precision, recall and F1 by span overlap on PolNeAR dev."""
    rows = _read_rows(path, limit)
    arts = [
        Article(id=r["id"], text=r["text"], published=_iso(r.get("date"))) for r in rows
    ]
    tp = fp = found = total = 0
    numeric = numeric_found = 0
    for row, record in zip(rows, extractor.extract(arts), strict=True):
        golds: list[tuple[Any, Any]] = []
        with_number: set[int] = set()
        for g in row["attributions"]:
            content = g.get("content") or {}
            if not content.get("spans"):
                continue
            src = (g.get("source") or {}).get("spans") or None
            if g.get("content_has_number"):
                with_number.add(len(golds))
            golds.append((src, content["spans"]))
        total += len(golds)
        numeric += len(with_number)
        used: set[int] = set()
        for s in record["statements"]:
            c = (s["content"]["start"], s["content"]["end"])
            sp = (s["speaker"]["start"], s["speaker"]["end"]) if s["speaker"] else None
            hit = match_attribution(c, sp, golds, used)
            if hit is None:
                fp += 1
            else:
                tp += 1
                used.add(hit)
        found += len(used)
        numeric_found += len(used & with_number)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = found / total if total else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "polnear.precision": p,
        "polnear.recall": r,
        "polnear.f1": f1,
        # Statements whose content holds a number: what the claims focus is for.
        "polnear.number_recall": numeric_found / numeric if numeric else 0.0,
    }


def _iso(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


# --- UCDP -------------------------------------------------------------------------------


def _ucdp_published(source_date: str) -> date | None:
    first = source_date.split(";")[0].strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(first, fmt).date()
        except ValueError:
            continue
    return None


_ADMIN_WORDS = re.compile(r"\b(oblast|obl|region|special republican city|republic)\b\.?", re.I)


def _admin1_code(name: str) -> str | None:
    """ISO 3166-2 code for a gold adm_1 name, through the same gazetteer."""
    from sitrep.extract.places import geocode

    bare = _ADMIN_WORDS.sub("", name).strip()
    # UCDP's "Kiev Special Republican city" is the city of Kyiv (UA-30), not its oblast.
    queries = (bare + " city", bare) if "city" in name.lower() else (name, bare + " Oblast", bare)
    for query in queries:
        hit = geocode(query, "UA")
        if hit is not None and getattr(hit, "iso3166_2", None):
            return str(hit.iso3166_2)
    return None


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km.

    Example:
        >>> round(_km(48.0, 37.8, 48.0, 38.0))
        15
    """
    la1, lo1, la2, lo2 = map(math.radians, (lat1, lon1, lat2, lon2))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin(
        (lo2 - lo1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


_PRECISION_ORDER = {"point": 0, "city": 1, "admin1": 2}
SETTLEMENT_KM = 25.0


def eval_ucdp(extractor: Extracts, path: Path, limit: int | None = None) -> Figures:
    """admin1, date and location accuracy of what sitrep reads from UCDP source headlines,
    read as a store reads them one day a run (``sitrep.eval_recent``); ``*_alone``: each
    headline read on its own."""
    rows = _read_rows(path, limit)
    arts = [
        Article(
            id=r["id"],
            text=r["text"].replace(";", "\n"),
            published=_ucdp_published(r.get("source_date") or ""),
        )
        for r in rows
    ]
    alone = list(extractor.extract(arts))
    figures = score_ucdp(rows, read_by_day(arts, alone, extractor.extract))
    by_itself = score_ucdp(rows, alone)
    for name in ("ucdp.admin1", "ucdp.event_admin1", "ucdp.within_25km"):
        figures[name + "_alone"] = by_itself[name]
    return figures


def score_ucdp(rows: list[dict[str, Any]], records: list[dict[str, Any]]) -> Figures:
    """The UCDP figures of ``records`` (sitrep's, one per row) against the gold ``rows``.

    ``ucdp.admin1``: the row's admin1 (its first event's, else its most precise place's) is
    the gold ``adm_1``, over the rows with one; ``ucdp.admin1_given``: the same over the rows
    where sitrep gives an admin1 (how often an answer is right, when it answers);
    ``ucdp.event_admin1``: over the rows with an event. ``ucdp.within_25km``: of the rows
    where sitrep places the incident at a settlement (village, town, city) and UCDP at a
    settlement too (``where_prec`` 1 or 2), the share within 25 km of UCDP's point;
    ``ucdp.settlements``: how many of UCDP's settlement rows sitrep places at a settlement.
    """
    codes: dict[str, str | None] = {}
    a_right = a_total = a_given = a_given_right = d_right = events = 0
    ev_right = ev_total = 0  # admin1 of the rows that gave an event: the claims' own places
    near = placed = settled = 0
    for row, record in zip(rows, records, strict=True):
        ev = record["events"][0] if record["events"] else None
        events += int(ev is not None)
        iso = None
        if ev is not None and ev.get("admin1"):
            iso = ev.get("iso3166_2")
        places = sorted(
            record.get("places", []),
            key=lambda p: _PRECISION_ORDER.get(p["precision"], 3),
        )
        if iso is None:
            iso = next((p["iso3166_2"] for p in places if p.get("iso3166_2")), None)
        gold_adm = row.get("adm_1") or ""
        if gold_adm:
            if gold_adm not in codes:
                codes[gold_adm] = _admin1_code(gold_adm)
            a_total += 1
            right = iso is not None and iso == codes[gold_adm]
            a_right += int(right)
            if iso is not None:
                a_given += 1
                a_given_right += int(right)
            if ev is not None:
                ev_total += 1
                ev_right += int(ev.get("iso3166_2") == codes[gold_adm] is not None)
        when = ev["date_start"] if ev and ev.get("date_start") else record.get("published")
        if when and row["date_start"] <= when <= row["date_end"]:
            d_right += 1
        # where: the event's point when it is a settlement, else the most precise place's
        where: tuple[float, float] | None = None
        if ev is not None and ev.get("where_precision") in ("point", "city") and ev.get("lat"):
            where = (float(ev["lat"]), float(ev["lon"]))
        elif places and places[0]["precision"] in ("point", "city") and places[0].get("lat"):
            where = (float(places[0]["lat"]), float(places[0]["lon"]))
        if row.get("where_prec") in (1, 2) and row.get("lat") is not None:
            settled += 1
            if where is not None:
                placed += 1
                near += int(_km(*where, float(row["lat"]), float(row["lon"])) <= SETTLEMENT_KM)
    n = len(rows)
    return {
        "ucdp.admin1": a_right / a_total if a_total else 0.0,
        "ucdp.date": d_right / n if n else 0.0,
        "ucdp.event_coverage": events / n if n else 0.0,
        "ucdp.event_admin1": ev_right / ev_total if ev_total else 0.0,
        "ucdp.admin1_given": a_given_right / a_given if a_given else 0.0,
        "ucdp.within_25km": near / placed if placed else 0.0,
        "ucdp.settlements": placed / settled if settled else 0.0,
    }


# --- report -----------------------------------------------------------------------------


def print_table(figures: Figures, notes: list[str]) -> None:
    """Print the figures as a table, then the notes on skipped sets."""
    table = Table(title="sitrep eval")
    table.add_column("measure")
    table.add_column("value", justify="right")
    for key, value in figures.items():
        table.add_row(key, f"{value:.3f}")
    console = Console()
    console.print(table)
    for note in notes:
        console.print(note)


def check_floors(figures: Figures, floors: list[str]) -> list[str]:
    """The floors (``NAME=VALUE``; ``NAME<=VALUE`` for a ceiling) that the figures miss.

    Example:
        >>> check_floors({"polnear.f1": 0.7}, ["polnear.f1=0.8"])
        ['polnear.f1 = 0.700 < 0.8']
    """
    failures = []
    for floor in floors:
        if "<=" in floor:
            name, raw = floor.split("<=", 1)
            if name in figures and figures[name] > float(raw):
                failures.append(f"{name} = {figures[name]:.3f} > {raw}")
            continue
        name, raw = floor.split("=", 1)
        if name not in figures:
            continue  # a skipped set has no figure to hold to a floor
        if figures[name] < float(raw):
            failures.append(f"{name} = {figures[name]:.3f} < {raw}")
    return failures
