"""The parts of an article that are not its story: dateline, byline, boilerplate, time stamps.

A dateline ("CAPRI, Italy (AP) —", "MINSK, 7 February (BelTA) –", "Hong Kong CNN —") says where
the reporter filed; a byline ("By Jane Doe and John Roe") who wrote; newsletter promotions,
"Read more" and app links, photo credits and the link lists a page glues into its text are the
page around the story; a live blog's time stamps ("10.42 BST", "2h ago") date its entries.
None of them is a claim, a statement or a speaker (annotations/GUIDE.md), so the pipeline leaves
them out of the paragraphs it reads (``pipeline.paragraphs``). The patterns and words are data
(``data/article_parts.json``); each part found carries the rule that found it.

Example:
    >>> [(p.kind, p.text) for p in find_parts("KYIV (Reuters) - Drones hit the city.")]
    [('dateline', 'KYIV (Reuters) -')]
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any, NamedTuple

from sitrep.extract.lexicon import load_data

DATA_FILE = "article_parts.json"
_LINE = re.compile(r"[^\n]+")
_TITLE_END = re.compile(r"\?|\s{2}|$")  # a link title ends at its question mark or a break
_LINE_CHARS = 400  # a line longer than this is prose, never a whole-line boilerplate


class ArticlePart(NamedTuple):
    """A stretch of the article text (character offsets) that is not its story."""

    start: int
    end: int
    kind: str  # dateline, byline, boilerplate, caption, timestamp; "break": none, a lost one
    rule: str  # the rule of data/article_parts.json that found it
    text: str


class _Rule(NamedTuple):
    rule: str
    kind: str
    pattern: re.Pattern[str]
    opening: bool = False  # holds only near the top of the article


class _Tables(NamedTuple):
    datelines: tuple[_Rule, ...]
    opening_chars: int
    not_places: frozenset[str]
    lines: tuple[_Rule, ...]
    blocks: tuple[_Rule, ...]
    stamps: tuple[_Rule, ...]
    glue: re.Pattern[str]
    glued_break: re.Pattern[str]
    glued_title: int
    inner_capitals: re.Pattern[str]
    lost_break: re.Pattern[str]
    break_not_after: frozenset[str]


def _fill(pattern: str, pieces: dict[str, str]) -> str:
    """Replace the ``{NAME}`` placeholders of a data pattern by their pieces."""
    for _ in range(3):  # pieces may hold placeholders themselves ({DATE} holds {MONTH})
        for name, piece in pieces.items():
            pattern = pattern.replace("{" + name + "}", piece)
    return pattern


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    data: dict[str, Any] = load_data(DATA_FILE)
    pieces = dict(data["pieces"])
    pieces["MONTH"] = "(?:" + "|".join(sorted(data["months"], key=len, reverse=True)) + ")"
    pieces["OUTLET"] = "(?:" + "|".join(re.escape(o) for o in data["outlets"]) + ")"

    def rules(entries: list[dict[str, Any]], kind: str, flags: int = 0) -> tuple[_Rule, ...]:
        out = []
        for e in entries:
            f = flags if not e.get("case") else 0
            try:
                pattern = re.compile(_fill(e["pattern"], pieces), f)
            except re.error as exc:
                raise ValueError(f"{DATA_FILE}: rule {e['rule']!r}: bad pattern: {exc}") from exc
            out.append(_Rule(e["rule"], e.get("kind", kind), pattern, bool(e.get("opening"))))
        return tuple(out)

    inner = "|".join(re.escape(w) for w in data["inner_capitals"])
    return _Tables(
        datelines=rules(data["datelines"], "dateline"),
        opening_chars=int(data["opening_chars"]),
        not_places=frozenset(w.upper() for w in data["not_places"]),
        lines=rules(data["lines"], "boilerplate", re.IGNORECASE),
        blocks=rules(data["blocks"], "boilerplate"),
        stamps=rules(data["stamps"], "timestamp", re.IGNORECASE),
        glue=re.compile(_fill(data["glue"], pieces)),
        glued_break=re.compile(data["glued_link_break"]),
        glued_title=int(data["glued_link_title_chars"]),
        inner_capitals=re.compile(rf"(?<!\w)(?:{inner})(?!\w)"),
        lost_break=re.compile(data["lost_break"]["pattern"]),
        break_not_after=frozenset(data["lost_break"]["not_after"]),
    )


def find_parts(text: str) -> list[ArticlePart]:
    """Every dateline, byline, boilerplate and time stamp of ``text``, in text order.

    Example:
        >>> text = "WASHINGTON — Aid was approved.\\nSign up to First Edition, our free newsletter"
        >>> [(p.rule, p.start, p.end) for p in find_parts(text)]
        [('dateline.caps', 0, 12), ('boilerplate.signup', 31, 76)]
    """
    parts = list(_block_parts(text))
    for m in _LINE.finditer(text):
        parts.extend(_line_parts(text, m.start(), m.end()))
    parts.sort(key=lambda p: (p.start, -p.end))
    return parts


def find_dateline(text: str) -> ArticlePart | None:
    """The first dateline of the article, if any (where the reporter filed, not where things
    happened: it may serve as the article's context, never as a claim's place or speaker).

    Example:
        >>> find_dateline("CAIRO, July 16 (Reuters) - An Israeli strike killed 12 people.").text
        'CAIRO, July 16 (Reuters) -'
        >>> find_dateline("Kyiv said on Monday that 12 people were killed.") is None
        True
    """
    return next((p for p in find_parts(text) if p.kind == "dateline"), None)


def story_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The stretches of ``text[start:end]`` left once the article's dateline, bylines,
    boilerplate and time stamps are cut out: spaces at the cuts trimmed, empty stretches
    dropped. Offsets stay offsets into ``text``.

    Example:
        >>> text = "MOSCOW (AP) — Shelling killed 3 people."
        >>> [text[s:e] for s, e in story_spans(text, 0, len(text))]
        ['Shelling killed 3 people.']
    """
    return cut_parts(text, start, end, find_parts(text))


def cut_parts(
    text: str, start: int, end: int, parts: list[ArticlePart]
) -> list[tuple[int, int]]:
    """``story_spans`` with the parts already found (one ``find_parts`` per article).

    Example:
        >>> text = "10.42 BST Two people were killed."
        >>> [text[s:e] for s, e in cut_parts(text, 0, len(text), find_parts(text))]
        ['Two people were killed.']
    """
    spans: list[tuple[int, int]] = []
    pos = start
    for p in parts:
        if p.end <= pos or p.start >= end:
            continue
        if p.start > pos:
            spans.append((pos, p.start))
        pos = max(pos, p.end)
    if pos < end:
        spans.append((pos, end))
    out = []
    for s, e in spans:
        cut_left, cut_right = s != start, e != end
        if cut_left:
            while s < e and text[s].isspace():
                s += 1
        if cut_right:
            while e > s and text[e - 1].isspace():
                e -= 1
        if text[s:e].strip():
            out.append((s, e))
    return out


def _block_parts(text: str) -> Iterator[ArticlePart]:
    for r in _tables().blocks:
        for m in r.pattern.finditer(text):
            yield ArticlePart(m.start(), m.end(), r.kind, r.rule, m.group())


def _line_parts(text: str, start: int, end: int) -> Iterator[ArticlePart]:
    """The parts of one line: the whole line, or a time stamp and a dateline opening it, and
    link lists glued into it."""
    t = _tables()
    s, e = start, end
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    line = text[s:e]
    if not line:
        return
    if len(line) <= _LINE_CHARS:
        for r in t.lines:
            if r.pattern.fullmatch(line):
                yield ArticlePart(s, e, r.kind, r.rule, line)
                return
    pos = s
    for r in t.stamps:
        m = r.pattern.match(line)
        if m and m.end() > 0:
            yield ArticlePart(s, s + m.end(), r.kind, r.rule, m.group())
            pos = s + m.end()
            break
    yield from _datelines(text, pos, e)
    yield from _glued_links(text, pos, e)
    # "... during a brief truce The Hamas-run health ministry says": a break the page lost
    # (a link title or a caption stood there) is an empty part that ends one paragraph.
    for m in t.lost_break.finditer(text, pos, e):
        if text[m.end()].isupper() and m.group("before") in t.break_not_after:
            continue  # "according to The Times", "in The Hague": a name, not a new paragraph
        at = m.start("the")
        yield ArticlePart(at, at, "break", "break.lost", "")


def _datelines(text: str, start: int, end: int) -> Iterator[ArticlePart]:
    t = _tables()
    line = text[start:end]
    for r in t.datelines:
        if r.opening and start > t.opening_chars:
            continue
        m = r.pattern.search(line)
        if m is None or not m.group().strip():
            continue
        head = re.split(r",|\(|\s?[\u2014\u2013-]", m.group(), maxsplit=1)[0].strip()
        if head.upper() in t.not_places:
            continue
        yield ArticlePart(start + m.start(), start + m.end(), "dateline", r.rule, m.group())
        return


def _glued_links(text: str, start: int, end: int) -> Iterator[ArticlePart]:
    """Link titles glued to each other ("... aid convoyInside IDF's briefing on the attackWho
    were the seven aid workers killed in Gaza?"): from the start of the sentence the first
    title opens to the end of the last one. Two glues in two words make a run: one glue is
    as often a name ("MoneySaving") or a paragraph break the page lost ("cost?But")."""
    t = _tables()
    line = text[start:end]
    glues = list(_glue_points(line))
    i = 0
    while i < len(glues):
        chain = [glues[i]]
        while i + 1 < len(glues) and glues[i + 1] - chain[-1] <= t.glued_title:
            between = line[chain[-1] : glues[i + 1]]
            if t.glued_break.search(between[:-1] if between.endswith("?") else between):
                break
            i += 1
            chain.append(glues[i])
        i += 1
        words = {_word_at(line, g) for g in chain if line[g - 1] != "?"}
        if len(words) < 2 or not any(line[_word_at(line, g)].islower() for g in chain):
            continue
        run_start = _title_start(line, chain[0])
        if chain[0] - run_start > t.glued_title:  # prose before the first glue: kept
            run_start = chain[0]
        # The last title ends at its question mark, a double space or the end of the line;
        # with none of them near, it is left in (the story may go on there).
        last = chain[-1]
        m = _TITLE_END.search(line, last, min(len(line), last + t.glued_title))
        run_end = last
        if m is not None and m.end() > m.start():
            run_end = m.end() if line[m.start()] == "?" else m.start()
        elif m is not None and m.start() == len(line):
            run_end = len(line)
        if run_end > run_start:
            yield ArticlePart(start + run_start, start + run_end, "boilerplate",
                              "boilerplate.glued_links", line[run_start:run_end])


def _glue_points(line: str) -> Iterator[int]:
    """Where a word runs straight into a capitalised one, outside names written with inner
    capitals, hashtags, handles and addresses."""
    t = _tables()
    shielded = {i for m in t.inner_capitals.finditer(line) for i in range(m.start(), m.end())}
    for m in t.glue.finditer(line):
        g = m.start()
        if g in shielded:
            continue
        w0 = _word_at(line, g)
        word = line[w0 : line.find(" ", g) if " " in line[g:] else len(line)]
        if word[:1] in "#@" or "/" in word or "@" in word:
            continue
        yield g


def _word_at(line: str, pos: int) -> int:
    """The start of the whitespace-delimited word holding ``pos``."""
    return max(line.rfind(" ", 0, pos), line.rfind("\n", 0, pos)) + 1


def _title_start(line: str, glue: int) -> int:
    """Where the link title before ``glue`` starts: after the sentence before it ended."""
    ends = [m.end() for m in re.finditer(r"[.!?][\"\u201d\u2019]?\s+|\s{2,}", line[:glue])]
    return ends[-1] if ends else 0
