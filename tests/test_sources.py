"""The sources stage: every input kind to a stream of Articles and Rejects (``iter_articles``)."""

from __future__ import annotations

import gc
import gzip
import io
import json
import os
import subprocess
import sys
import threading
import tracemalloc
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from badcorpus import TRUNCATED_WARC_PAGES, WARC_PAGES, make_bad_corpus, write_warc
from sitrep.model import Article
from sitrep.sources import Reject, find_wire, iter_articles
from sitrep.sources.dispatch import kind_of, sniff_kind
from sitrep.sources.encoding import decode_bytes
from sitrep.sources.feeds import html_to_text, read_feed_bytes
from sitrep.sources.htmlpage import article_from_html


def _split(records: list[Article | Reject]) -> tuple[list[Article], list[Reject]]:
    return (
        [r for r in records if isinstance(r, Article)],
        [r for r in records if isinstance(r, Reject)],
    )


def _read(*names: str | Path, published: date | None = None) -> list[Article | Reject]:
    return list(iter_articles([str(n) for n in names], published))


# --- HTML -----------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>{title} | Kyiv Ledger</title>
<meta property="og:site_name" content="Kyiv Ledger">
<meta property="article:published_time" content="2024-12-18T06:30:00Z">
</head><body>
<nav><a href="/">Home</a> <a href="/war">War</a> <a href="/economy">Economy</a></nav>
<article><h1>{title}</h1>{byline}
<p>{lead}</p>
<p>Air defences were active over the capital for more than three hours, the city's military
administration said, and debris damaged a school and several cars.</p>
</article>
<footer>&copy; 2024 Kyiv Ledger</footer></body></html>"""


def _page(lead: str, byline: str = "", title: str = "Drones target Kyiv overnight") -> str:
    return PAGE.format(title=title, byline=byline, lead=lead)


def test_html_byline_by_afp_is_the_wire_and_metadata_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "kyiv.html"
    path.write_text(
        _page(
            "Russia launched 43 drones at Ukraine overnight, the air force said on Wednesday, "
            "and 30 were shot down.",
            byline='<p class="byline">By AFP</p>',
        ),
        encoding="utf-8",
    )
    [art] = _read(path)
    assert isinstance(art, Article)
    assert art.wire == "AFP"
    assert art.title == "Drones target Kyiv overnight"
    assert art.outlet == "Kyiv Ledger"
    assert art.published == date(2024, 12, 18)
    assert art.id == "kyiv.html"  # the file's name, not its absolute path
    assert art.text.startswith("Russia launched 43 drones")  # the <h1> is not repeated
    assert "Home" not in art.text and "2024 Kyiv Ledger" not in art.text  # boilerplate dropped


@pytest.mark.parametrize(
    ("lead", "wire"),
    [
        ("KYIV, Ukraine (AP) \u2014 Russia launched 43 drones at Ukraine overnight.", "AP"),
        ("LONDON, Dec 18 (Reuters) - Russia launched 43 drones at Ukraine overnight.", "Reuters"),
        ("Kyiv (AFP) - Russia launched 43 drones at Ukraine overnight, officials said.", "AFP"),
        ("Russia launched 43 drones at Ukraine overnight, officials told Reuters.", None),
    ],
)
def test_html_dateline_names_the_wire(lead: str, wire: str | None) -> None:
    art = article_from_html(_page(lead + " Two people were wounded in the capital."), "p.html")
    assert art.wire == wire


@pytest.mark.parametrize(
    ("byline", "text", "wire"),
    [
        ("By AFP", None, "AFP"),
        ("Jane Doe, The Associated Press", None, "AP"),
        ("Olena Petrenko", "Shelling killed two.", None),
        (None, "\n\nTitle line\n\nBy AFP\n\nDecember 18, 2024\n\nNorth Korean forces ...", "AFP"),
        (None, "MOSCOW (REUTERS) - Russia said ...", "Reuters"),
        (None, "Two soldiers were killed, officials said.\n\n\u2014 AFP", "AFP"),
        (None, "Shelling killed two.\n\n\u00a9 2024 The Associated Press. All rights reserved.",
         "AP"),
        (None, "The AP reported that two soldiers were killed.", None),
    ],
)
def test_find_wire(byline: str | None, text: str | None, wire: str | None) -> None:
    assert find_wire(byline, text) == wire


def test_html_in_a_declared_legacy_charset_is_decoded(tmp_path: Path) -> None:
    page = (
        '<html><head><meta charset="windows-1251"><title>Обстріл Харкова</title></head><body>'
        "<article><p>Унаслідок обстрілу Харкова загинули щонайменше семеро людей, ще 47 "
        "поранені, повідомив голова обласної військової адміністрації.</p></article>"
        "</body></html>"
    )
    path = tmp_path / "kharkiv.htm"
    path.write_bytes(page.encode("cp1251"))
    [art] = _read(path)
    assert isinstance(art, Article)
    assert "Харкова" in art.text


def test_html_without_main_text_is_rejected(tmp_path: Path) -> None:
    nav_only = tmp_path / "menu.html"
    nav_only.write_text(
        "<html><head><title>Menu</title></head><body><nav><ul><li><a href='/'>Home</a></li>"
        "<li><a href='/war'>War</a></li></ul></nav></body></html>"
    )
    head_only = tmp_path / "head.html"
    head_only.write_text("<html><head><title>Live updates</title></head></html>")
    for path in (nav_only, head_only):
        [rej] = _read(path)
        assert isinstance(rej, Reject)
        assert rej.where == path.name
        assert "no main text" in rej.reason


# --- feeds ----------------------------------------------------------------------------------

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
<title>Kyiv Ledger</title><link>https://kyivledger.example/</link>
<item><title>Drone strike on Odesa port</title><link>https://kyivledger.example/a1</link>
<guid>https://kyivledger.example/a1</guid><pubDate>Tue, 17 Dec 2024 09:30:00 GMT</pubDate>
<dc:creator>By AFP</dc:creator>
<description>&lt;p&gt;A Russian drone strike on the port of Odesa &lt;b&gt;wounded
three&lt;/b&gt; workers.&lt;/p&gt;&lt;p&gt;Air defences downed 21 drones.&lt;/p&gt;
&lt;script&gt;track()&lt;/script&gt;</description></item>
<item><title>Two killed in Kherson</title><link>https://kyivledger.example/a2</link>
<pubDate>Wed, 18 Dec 2024 11:00:00 +0200</pubDate>
<description>Russian shelling killed two civilians in Kherson, the governor said.</description>
</item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Front Line Wire</title>
<entry><title>Kursk fighting</title><link href="https://flw.example/kursk"/>
<id>urn:flw:kursk</id><updated>2024-12-19T10:00:00Z</updated>
<published>2024-12-18T08:00:00Z</published>
<author><name>The Associated Press</name></author>
<summary>Short teaser.</summary>
<content type="html">&lt;p&gt;KYIV, Ukraine (AP) &#8212; Ukrainian forces repelled 40
attacks in Russia's Kursk region, the general staff said.&lt;/p&gt;</content></entry>
</feed>"""


def test_rss_entries_become_articles_with_dates_urls_and_the_feed_as_outlet(
    tmp_path: Path,
) -> None:
    path = tmp_path / "ledger.rss"
    path.write_bytes(RSS)
    first, second = _read(path)
    assert isinstance(first, Article) and isinstance(second, Article)
    assert first.text == (
        "A Russian drone strike on the port of Odesa wounded three workers.\n\n"
        "Air defences downed 21 drones."
    )
    assert (first.id, first.url, first.title) == (
        "https://kyivledger.example/a1",
        "https://kyivledger.example/a1",
        "Drone strike on Odesa port",
    )
    assert first.published == date(2024, 12, 17)
    assert first.outlet == "Kyiv Ledger"
    assert first.wire == "AFP"
    assert second.published == date(2024, 12, 18)
    assert second.id == "https://kyivledger.example/a2"  # the link, guid or not
    assert second.wire is None


def test_atom_entry_content_wins_over_summary(tmp_path: Path) -> None:
    path = tmp_path / "wire.atom"
    path.write_bytes(ATOM)
    [art] = _read(path)
    assert isinstance(art, Article)
    assert art.text.startswith("KYIV, Ukraine (AP) \u2014 Ukrainian forces repelled 40")
    assert art.published == date(2024, 12, 18)  # published, not updated
    assert (art.wire, art.outlet, art.id) == ("AP", "Front Line Wire", "https://flw.example/kursk")


def test_feed_is_sniffed_whatever_its_suffix(tmp_path: Path) -> None:
    path = tmp_path / "feed.php"
    path.write_bytes(RSS)
    assert kind_of(path) == "feed"
    assert len(_split(_read(path))[0]) == 2


def test_a_feed_follows_the_encoding_rule() -> None:
    legacy = (
        '<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel>'
        "<title>Le Courrier</title><item><link>https://lc.example/1</link><description>"
        "\u00ab Nous avons \u00e9vacu\u00e9 quarante personnes \u00bb, a d\u00e9clar\u00e9 le "
        "maire \u2014 \u201cencore\u201d.</description></item></channel></rss>"
    )
    # labelled ISO-8859-1, written in Windows-1252 (the dash and curly quotes): read as such
    [art] = read_feed_bytes(legacy.encode("cp1252"), "lc.rss")
    assert isinstance(art, Article)
    assert art.text.endswith("le maire \u2014 \u201cencore\u201d.")
    # UTF-8 with stray bytes: rejected, not read as Windows-1252 (feedparser's fallback)
    damaged = RSS.replace(b"Two killed in Kherson", b"Two killed \xff\xfe in Kherson")
    [rej] = read_feed_bytes(damaged, "damaged.rss")
    assert isinstance(rej, Reject)
    at = damaged.index(0xFF)
    assert rej.reason.startswith(f"[E111] not UTF-8 (byte {at} is 0xff)"), rej.reason


def test_malformed_feed_is_rejected_with_feedparsers_reason() -> None:
    bad = b'<?xml version="1.0"?>\n<rss version="2.0">\n<channel>\n<title>X</title>\n</chan'
    [rej] = read_feed_bytes(bad, "bad.rss")
    assert isinstance(rej, Reject)
    assert rej.reason == "malformed feed: unclosed token at line 5, column 1"


def test_feed_cut_after_an_entry_keeps_what_was_recovered_then_rejects() -> None:
    cut = RSS[: RSS.index(b"<item><title>Two killed")] + b"<item><title>Two kil"
    records = list(read_feed_bytes(cut, "cut.rss"))
    arts, rejects = _split(records)
    assert [a.url for a in arts] == ["https://kyivledger.example/a1"]
    [rej] = rejects
    assert rej.where == "cut.rss"
    assert rej.reason.startswith("malformed feed after 1 entry: ")


def test_feed_entry_with_an_impossible_date_is_rejected_naming_it() -> None:
    feed = RSS.replace(b"Wed, 18 Dec 2024 11:00:00 +0200", b"2024-13-45")
    arts, rejects = _split(list(read_feed_bytes(feed, "f.rss")))
    assert len(arts) == 1
    [rej] = rejects
    assert rej.where == "f.rss#2" and "impossible date '2024-13-45'" in rej.reason


def test_xml_that_is_not_a_feed_or_has_no_entries_is_rejected() -> None:
    sitemap = b'<?xml version="1.0"?><urlset><url><loc>https://x.example/</loc></url></urlset>'
    assert [r.reason for r in read_feed_bytes(sitemap, "s.xml")] == ["not an RSS or Atom feed"]
    empty = b'<?xml version="1.0"?><rss version="2.0"><channel><title>X</title></channel></rss>'
    assert [r.reason for r in read_feed_bytes(empty, "e.rss")] == ["feed has no entries"]


def test_html_to_text_keeps_paragraphs_and_drops_tags() -> None:
    assert html_to_text("<div>Two<br>lines</div><ul><li>a</li><li>b</li></ul>") == (
        "Two\n\nlines\n\na\n\nb"
    )
    assert html_to_text("plain  text") == "plain text"


# --- WARC -----------------------------------------------------------------------------------


def test_warc_html_responses_become_articles_with_their_urls(tmp_path: Path) -> None:
    path = tmp_path / "CC-NEWS-20241216.warc.gz"
    write_warc(path, WARC_PAGES)  # + warcinfo, request, image and redirect records
    records = _read(path)
    assert all(isinstance(r, Article) for r in records), records
    assert [(a.url, a.id) for a in records if isinstance(a, Article)] == [
        (url, url) for url, *_ in WARC_PAGES
    ]
    first = records[0]
    assert isinstance(first, Article)
    assert first.title == "Russian forces press towards Pokrovsk"
    assert first.published == date(2024, 12, 16)
    assert first.wire == "Reuters"
    assert first.outlet == "CC News Sample"
    assert "could not be independently verified" in first.text


def test_uncompressed_warc_is_read_too(tmp_path: Path) -> None:
    packed = tmp_path / "a.warc.gz"
    write_warc(packed, WARC_PAGES)
    plain = tmp_path / "a.warc"
    plain.write_bytes(gzip.decompress(packed.read_bytes()))
    assert [a.url for a in _split(_read(plain))[0]] == [url for url, *_ in WARC_PAGES]


def test_truncated_warc_gz_yields_the_records_before_the_damage_then_one_reject(
    tmp_path: Path,
) -> None:
    path = tmp_path / "cut.warc.gz"
    offsets = write_warc(path, TRUNCATED_WARC_PAGES, extras=False)
    third, end = offsets[-2], offsets[-1]
    path.write_bytes(path.read_bytes()[: third + (end - third) // 2])
    records = _read(path)
    assert [type(r).__name__ for r in records] == ["Article", "Article", "Reject"]
    rej = records[-1]
    assert isinstance(rej, Reject)
    assert rej.where == path.name
    assert rej.reason.startswith("truncated WARC after 3 records")
    assert f"the gzip member at byte {third} is cut short" in rej.reason


def test_truncated_plain_warc_names_the_short_record(tmp_path: Path) -> None:
    packed = tmp_path / "a.warc.gz"
    write_warc(packed, TRUNCATED_WARC_PAGES, extras=False)
    data = gzip.decompress(packed.read_bytes())
    third = data.index(b"WARC/1.0", data.index(b"ccnews-sample.example/2024/12/15/sumy"))
    plain = tmp_path / "a.warc"
    plain.write_bytes(data[: third + 600])
    records = _read(plain)
    arts, [rej] = _split(records)
    assert len(arts) == 2
    assert f"the record at byte {third} ends" in rej.reason and "short of its length" in rej.reason


def test_a_file_that_is_not_a_warc_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "junk.warc"
    path.write_text("this is not an archive\n")
    zipped = tmp_path / "junk.warc.gz"
    zipped.write_bytes(gzip.compress(b"<html>not an archive either</html>\n"))
    broken = tmp_path / "broken.warc.gz"
    broken.write_bytes(b"\x1f\x8bnot really gzip")
    assert [str(r) for r in _read(path, zipped, broken)] == [
        f"{path.name}: not a WARC archive (it starts with 'this is not an archive')",
        f"{zipped.name}: not a WARC archive (it starts with '<html>not an archive eit')",
        f"{broken.name}: not a WARC archive (nothing readable at its start)",
    ]


def test_warc_is_sniffed_without_its_suffix(tmp_path: Path) -> None:
    path = tmp_path / "CC-NEWS-00001"
    write_warc(path, WARC_PAGES)
    assert kind_of(path) == "warc"
    assert sniff_kind(b"WARC/1.1\r\n") == "warc"


# --- text, JSON Lines, encodings ------------------------------------------------------------


def test_text_default_date_applies_only_without_a_header_date(tmp_path: Path) -> None:
    dated = tmp_path / "dated.txt"
    dated.write_text("Published: 2024-12-17\n\nTwo soldiers were killed near Kupiansk.")
    bare = tmp_path / "bare.txt"
    bare.write_text("By AFP\n\nThree civilians were wounded in Nikopol.")
    a, b = _read(dated, bare, published=date(2025, 1, 1))
    assert isinstance(a, Article) and isinstance(b, Article)
    assert a.published == date(2024, 12, 17)
    assert b.published == date(2025, 1, 1)
    assert b.wire == "AFP"


def test_jsonl_broken_line_is_a_reject_naming_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    rows = [
        {"id": "a", "text": "Two killed in Sumy.", "published": "2024-12-01"},
        {"id": "b", "text": "Five wounded in Kharkiv.", "published": "2024-12-02"},
    ]
    path.write_bytes(
        (json.dumps(rows[0]) + "\n").encode()
        + b'{"id": "x", "text": "cut\n'
        + b'{"id": "y", "text": "caf\xe9"}\n'
        + (json.dumps(rows[1]) + "\n").encode()
    )
    records = _read(path)
    assert [r.id if isinstance(r, Article) else str(r) for r in records] == [
        "a",
        f"{path.name}:2: not JSON (Unterminated string starting at column 21)",
        f"{path.name}:3: not UTF-8 (byte 24 of the line)",
        "b",
    ]


def test_jsonl_line_over_the_limit_is_skipped_without_keeping_it(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    big = {"id": "big", "text": "x " * 5000}
    small = {"id": "ok", "text": "Two killed."}
    path.write_text(json.dumps(big) + "\n" + json.dumps(small) + "\n")
    records = list(iter_articles([str(path)], max_bytes=1000))
    assert [str(r) if isinstance(r, Reject) else r.id for r in records] == [
        f"{path.name}:1: line too long (over 1,000 bytes)",
        "ok",
    ]


def test_documents_over_the_limit_are_rejected_unread(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("Shelling continued. " * 100)
    [rej] = list(iter_articles([str(path)], max_bytes=1000))
    assert isinstance(rej, Reject)
    assert rej.reason == "too large: 2,000 bytes (the limit is 1,000 bytes per document)"


def test_legacy_charsets_are_detected_and_mixed_encodings_rejected_naming_the_byte() -> None:
    cp1252 = (
        "Ukraine\u2019s general staff said on Tuesday that Russian forces had lost \u201cabout "
        "1,200\u201d soldiers near Pokrovsk. The caf\u00e9 owner said no one was hurt."
    ).encode("cp1252")
    assert "\u201cabout 1,200\u201d" in decode_bytes(cp1252)
    utf8 = "\u201cWe heard the whistle,\u201d a resident said. ".encode()
    mixed = utf8 + "The caf\u00e9 was hit.".encode("cp1252")
    with pytest.raises(ValueError, match=rf"mixed encodings: .*\(0xe9\) at byte {len(utf8) + 7}"):
        decode_bytes(mixed)
    assert decode_bytes(b"\xff\xfe" + "Kyiv".encode("utf-16-le")) == "Kyiv"


def test_unknown_suffixes_are_rejected_unless_the_content_shows_a_kind(tmp_path: Path) -> None:
    notes = tmp_path / "notes.xyz"
    notes.write_text("Call the fixer at 14:00.")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    page = tmp_path / "story.aspx"
    page.write_text(_page("Russia launched 43 drones at Ukraine overnight, the air force said."))
    records = _read(notes, pdf, page)
    assert [str(r) if isinstance(r, Reject) else "Article" for r in records] == [
        "notes.xyz: unknown file type .xyz",
        "report.pdf: unknown file type .pdf (binary file: PDF document)",
        "Article",
    ]


# --- paths, folders, globs, standard input ---------------------------------------------------


def _article_file(path: Path, n: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"Title: Report {n}\nPublished: 2024-12-{1 + n % 28:02d}\n\n"
        f"Shelling killed {n % 7 + 1} civilians in the Kherson region on day {n}, the regional "
        "military administration said. Air defences shot down drones over the Odesa region."
    )


def test_folders_are_walked_recursively_in_sorted_order(tmp_path: Path) -> None:
    for rel in ["b/2.txt", "a/10.txt", "a/9.txt", "c.txt", "a/deep/x.txt", ".git/HEAD.txt"]:
        _article_file(tmp_path / rel, 1)
    records = _read(tmp_path)
    assert [Path(r.id).relative_to(tmp_path.name).as_posix() for r in records] == [
        "a/10.txt",
        "a/9.txt",
        "a/deep/x.txt",
        "b/2.txt",
        "c.txt",
    ]


def test_globs_expand_in_sorted_order_and_a_pattern_matching_nothing_is_a_reject(
    tmp_path: Path,
) -> None:
    for rel in ["x/b.txt", "x/a.txt", "x/y/c.txt", "x/d.html"]:
        _article_file(tmp_path / rel, 2)
    flat = _read(tmp_path / "x" / "*.txt")
    assert [Path(r.id).name for r in flat] == ["a.txt", "b.txt"]
    deep = _read(tmp_path / "**" / "*.txt")
    assert [Path(r.id).name for r in deep] == ["a.txt", "b.txt", "c.txt"]
    [rej] = _read(tmp_path / "*.none")
    assert isinstance(rej, Reject) and rej.reason == "no files match the pattern"
    [rej] = _read(tmp_path / "missing.txt")
    assert isinstance(rej, Reject) and rej.reason == "no such file or folder"


def test_stdin_jsonl_is_streamed_and_plain_text_read_whole() -> None:
    rows = b'\n  {"id": "a", "text": "Two died in Sumy."}\n{oops\n{"id": "b", "text": "Kyiv."}\n'
    records = list(iter_articles(["-"], stdin=io.BytesIO(rows)))
    assert [r.id if isinstance(r, Article) else str(r) for r in records] == [
        "a",
        "<stdin>:3: not JSON (Expecting property name enclosed in double quotes at column 2)",
        "b",
    ]
    text = b"Title: Kherson\n\nShelling killed two civilians in Kherson."
    [art] = iter_articles(["-"], date(2024, 12, 17), stdin=io.BytesIO(text))
    assert isinstance(art, Article)
    assert (art.id, art.title, art.published) == ("<stdin>", "Kherson", date(2024, 12, 17))


def test_iter_articles_is_a_lazy_iterator(tmp_path: Path) -> None:
    _article_file(tmp_path / "a.txt", 1)
    result = iter_articles([str(tmp_path), str(tmp_path / "missing")])
    assert isinstance(result, Iterator)
    assert not isinstance(result, (list, tuple))
    first = next(result)  # the folder is read lazily: the missing path isn't looked at yet
    assert isinstance(first, Article)
    assert isinstance(next(result), Reject)


# --- inputs without a suffix: pipes, /dev/stdin, a file named "feed" -------------------------

_JSONL_ROWS = (
    b'{"id": "ukr-1", "text": "Russian shelling killed two civilians in Kherson, the governor '
    b'said.", "published": "2024-12-17"}\n'
    b'{"id": "ukr-2", "text": "Air defences downed 21 of 35 drones over Odesa overnight.", '
    b'"published": "2024-12-18"}\n'
)
_REPORT = (
    b"Title: Kherson shelled\nPublished: 2024-12-17\n\n"
    b"Russian shelling killed two civilians in Kherson on Tuesday, the regional governor said."
)


def _warc_bytes(tmp_path: Path, *, packed: bool) -> bytes:
    path = tmp_path / "made.warc.gz"
    write_warc(path, WARC_PAGES)
    data = path.read_bytes()
    path.unlink()
    return data if packed else gzip.decompress(data)


def _shape(tmp_path: Path, shape: str) -> tuple[bytes, list[str]]:
    """The bytes of one input shape and what reading it gives (an Article as its id, a
    Reject as its text), for an input named ``input``."""
    warc_urls = [url for url, *_ in WARC_PAGES]
    if shape == "rss":
        return RSS, ["https://kyivledger.example/a1", "https://kyivledger.example/a2"]
    if shape == "atom":
        return ATOM, ["https://flw.example/kursk"]
    if shape == "html":
        page = _page("Russia launched 43 drones at Ukraine overnight, the air force said.")
        return page.encode(), ["input"]
    if shape == "jsonl":
        return _JSONL_ROWS, ["ukr-1", "ukr-2"]
    if shape == "jsonl-long-line":  # the first line is longer than the bytes sniffed
        long_text = " ".join(["Russian shelling killed two civilians in Kherson."] * 150)
        row = json.dumps({"id": "ukr-long", "text": long_text, "published": "2024-12-17"})
        return row.encode() + b"\n", ["ukr-long"]
    if shape == "text":
        return _REPORT, ["input"]
    if shape == "warc.gz":
        return _warc_bytes(tmp_path, packed=True), warc_urls
    if shape == "warc":
        return _warc_bytes(tmp_path, packed=False), warc_urls
    if shape == "gzip-text":
        return gzip.compress(_REPORT), [
            "input: gzip data that is not a WARC archive (it holds 'Title: Kherson shelled'); "
            "only WARC archives are read compressed"
        ]
    if shape == "stray-bytes":
        data = _REPORT.replace(b"two civilians", b"two \xff\xfe civilians")
        at = data.index(0xFF)
        return data, [f"input: [E111] not UTF-8 (byte {at} is 0xff), no charset "]
    raise AssertionError(shape)


SHAPES = ["rss", "atom", "html", "jsonl", "jsonl-long-line", "text", "warc.gz", "warc",
          "gzip-text", "stray-bytes"]  # fmt: skip


def _outcome(records: list[Article | Reject]) -> list[str]:
    return [r.id if isinstance(r, Article) else str(r) for r in records]


def _matches(got: list[str], want: list[str]) -> bool:
    """Rejects are compared by their start (the reason's details may go on)."""
    return len(got) == len(want) and all(g.startswith(w) for g, w in zip(got, want, strict=True))


@pytest.mark.parametrize("shape", SHAPES)
def test_a_file_without_a_suffix_is_read_by_its_content(tmp_path: Path, shape: str) -> None:
    data, want = _shape(tmp_path, shape)
    path = tmp_path / "input"
    path.write_bytes(data)
    got = _outcome(_read(path))
    assert _matches(got, want), got


@pytest.mark.parametrize("shape", SHAPES)
def test_a_named_pipe_is_read_once_from_its_start(tmp_path: Path, shape: str) -> None:
    data, want = _shape(tmp_path, shape)
    fifo = tmp_path / "input"
    os.mkfifo(fifo)

    def write() -> None:
        try:
            with open(fifo, "wb") as fh:
                fh.write(data)
        except BrokenPipeError:  # the reader may stop early (a gzip that is no archive)
            pass

    got: list[str] = []

    def read() -> None:
        got.extend(_outcome(_read(fifo)))

    # in threads, so that a reader opening the pipe twice fails the test instead of hanging
    threads = [threading.Thread(target=f, daemon=True) for f in (write, read)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "reading the pipe hung"
    assert _matches(got, want), got


@pytest.mark.parametrize("shape", SHAPES)
def test_standard_input_is_sniffed_like_a_file_without_a_suffix(
    tmp_path: Path, shape: str
) -> None:
    data, want = _shape(tmp_path, shape)
    got = _outcome(list(iter_articles(["-"], stdin=io.BytesIO(data))))
    assert _matches(got, [w.replace("input", "<stdin>", 1) for w in want]), got


def test_dev_stdin_from_a_pipe_is_read_as_what_it_holds() -> None:
    script = (
        "from sitrep.sources import iter_articles\n"
        "for r in iter_articles(['/dev/stdin']):\n"
        "    print(getattr(r, 'url', None) or r)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], input=RSS, capture_output=True, timeout=120, check=True
    )
    assert done.stdout.decode().split() == [
        "https://kyivledger.example/a1",
        "https://kyivledger.example/a2",
    ]
    damaged = RSS.replace(b"<title>Kyiv Ledger", b"<title>Kyiv \xff\xfe Ledger")
    done = subprocess.run(
        [sys.executable, "-c", script], input=damaged, capture_output=True, timeout=120
    )
    assert done.stdout.decode().startswith("/dev/stdin: [E111] not UTF-8 (byte "), done.stdout


def test_a_file_named_feed_holding_rss_is_a_feed(tmp_path: Path) -> None:
    feed = tmp_path / "feed"
    feed.write_bytes(RSS)
    assert kind_of(feed) == "feed"
    arts, rejects = _split(_read(feed))
    assert not rejects and [a.outlet for a in arts] == ["Kyiv Ledger", "Kyiv Ledger"]


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"WARC/1.1\r\nWARC-Type: warcinfo\r\n", "warc"),
        (gzip.compress(b"WARC/1.0\r\nWARC-Type: response\r\n"), "warc"),
        (gzip.compress(b"Title: not an archive\n"), None),
        (b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- a long comment -->', "feed"),
        (b"  <rss version=\"2.0\"><channel>", "feed"),
        (b'<feed xmlns="http://www.w3.org/2005/Atom">', "feed"),
        (b"<!DOCTYPE html>\n<html lang=\"uk\">", "html"),
        (b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml">', "html"),
        (b'\n\n{"id": "a", "text": "Two died."}\n{"id": "b"', "jsonl"),
        (b"{Kherson} was shelled overnight, officials said.\n", None),
        (b"Russian shelling killed two civilians in Kherson.", None),
    ],
)
def test_sniff_kind(head: bytes, kind: str | None) -> None:
    assert sniff_kind(head) == kind


# --- names: relative to what was given, never the absolute local path ------------------------


@pytest.mark.parametrize(
    ("given", "cwd", "names"),
    [
        # a folder: its own name, then the path inside it
        ("{tmp}/archives", None, ["archives/2024/a.txt", "archives/2024/empty.txt: empty file"]),
        ("archives/", "{tmp}", ["archives/2024/a.txt", "archives/2024/empty.txt: empty file"]),
        (".", "{tmp}/archives", ["archives/2024/a.txt", "archives/2024/empty.txt: empty file"]),
        # a file given directly: its file name
        ("{tmp}/archives/2024/a.txt", None, ["a.txt"]),
        ("archives/2024/a.txt", "{tmp}", ["a.txt"]),
        # a pattern: from the folder holding its fixed part
        ("{tmp}/archives/2024/*.txt", None, ["2024/a.txt", "2024/empty.txt: empty file"]),
        ("{tmp}/archives/**/a.txt", None, ["archives/2024/a.txt"]),
        ("{tmp}/archives/*.none", None, ["archives/*.none: no files match the pattern"]),
        ("{tmp}/gone.txt", None, ["gone.txt: no such file or folder"]),
    ],
)
def test_records_are_named_from_what_was_given_never_by_the_absolute_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, given: str, cwd: str | None,
    names: list[str],
) -> None:  # fmt: skip
    _article_file(tmp_path / "archives" / "2024" / "a.txt", 1)
    (tmp_path / "archives" / "2024" / "empty.txt").write_bytes(b"")
    if cwd is not None:
        monkeypatch.chdir(cwd.format(tmp=tmp_path))
    records = list(iter_articles([given.format(tmp=tmp_path)]))
    assert _outcome(records) == names
    assert not any(str(tmp_path) in r.id if isinstance(r, Article) else str(tmp_path) in r.where
                   for r in records)  # fmt: skip


# --- the bad corpus -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bad_corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    folder = tmp_path_factory.mktemp("badcorpus")
    return folder, make_bad_corpus(folder)


def test_bad_corpus_every_good_article_read_and_every_bad_input_rejected_with_its_reason(
    bad_corpus: tuple[Path, dict[str, object]],
) -> None:
    folder, expected = bad_corpus
    arts, rejects = _split(_read(folder))
    assert {a.id for a in arts} == expected["ids"]
    assert len(arts) == len(expected["ids"])  # type: ignore[arg-type]
    assert {a.url for a in arts if a.url} == expected["urls"]
    assert {a.title for a in arts} == expected["titles"]
    by_id = {a.id: a for a in arts}
    for art_id, want in expected["articles"].items():  # type: ignore[attr-defined]
        art = by_id[art_id]
        got = {k: getattr(art, k) for k in ("title", "url", "published", "wire", "outlet")}
        assert got == want, art_id
        assert art.text.strip()
    got_rejects = sorted((r.where, r.reason) for r in rejects)
    want_rejects = sorted(expected["rejects"])  # type: ignore[call-overload]
    assert [w for w, _ in got_rejects] == [w for w, _ in want_rejects]
    for (where, reason), (_, part) in zip(got_rejects, want_rejects, strict=True):
        assert part in reason, (where, reason)


def test_bad_corpus_cp1252_text_is_decoded_right(
    bad_corpus: tuple[Path, dict[str, object]],
) -> None:
    folder, _ = bad_corpus
    [art] = _read(folder / "good" / "reports" / "kramatorsk_cp1252.txt")
    assert isinstance(art, Article)
    assert "caf\u00e9" in art.text and "city\u2019s" in art.text and "\u201cAt least" in art.text


def test_the_50_mb_file_is_rejected_without_being_read(
    bad_corpus: tuple[Path, dict[str, object]],
) -> None:
    folder, expected = bad_corpus
    huge = expected["huge"]
    assert isinstance(huge, Path) and huge.stat().st_size == 50 * 1024 * 1024
    list(iter_articles([str(folder)]))  # load the readers and their data before measuring
    gc.collect()
    tracemalloc.start()
    try:
        records = list(iter_articles([str(folder)]))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    huge_name = huge.relative_to(folder.parent).as_posix()
    assert any(isinstance(r, Reject) and r.where == huge_name for r in records)
    assert peak < 8 * 1024 * 1024, peak


# --- memory stays flat ----------------------------------------------------------------------


def _many_files(folder: Path, count: int, per_folder: int = 100) -> None:
    """``count`` small articles (text, and every tenth a JSON Lines file of three), in
    subfolders of ``per_folder`` files."""
    for n in range(count):
        sub = folder / f"batch{n // per_folder:04d}"
        if n % 10 == 9:
            sub.mkdir(parents=True, exist_ok=True)
            rows = [
                {"id": f"{n}-{k}", "text": f"Drone attack {n}-{k} wounded two.",
                 "published": "2024-12-18"}
                for k in range(3)
            ]  # fmt: skip
            (sub / f"{n:05d}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
        else:
            _article_file(sub / f"{n:05d}.txt", n)


def _peak_while_consuming(folder: Path) -> tuple[int, int]:
    gc.collect()  # garbage left by earlier tests is not this corpus's cost
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        count = 0
        for record in iter_articles([str(folder)]):
            assert isinstance(record, Article)
            count += 1
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return count, peak


def test_memory_stays_flat_as_the_corpus_grows(tmp_path: Path) -> None:
    small, large = tmp_path / "small", tmp_path / "large"
    _many_files(small, 500)
    _many_files(large, 2000)
    _peak_while_consuming(small)  # warm up: imports and caches are not the corpus's cost
    n_small, peak_small = _peak_while_consuming(small)
    n_large, peak_large = _peak_while_consuming(large)
    assert (n_small, n_large) == (500 + 50 * 2, 2000 + 200 * 2)
    # four times the files: the peak must not grow with the count (a list of articles would
    # make it about 4x); allow some noise
    assert peak_large < 1.5 * peak_small + 64 * 1024, (peak_small, peak_large)
    assert peak_large < 2 * 1024 * 1024, peak_large
