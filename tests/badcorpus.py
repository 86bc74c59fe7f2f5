"""A corpus of bad inputs beside good articles in every format, and what reading it should give.

``make_bad_corpus(folder)`` writes the files below and returns the expectation; any test (the
sources stage's, the ingest command's, the API's) can read the folder and compare.

Good, under ``good/`` (in subfolders, so reading the folder exercises recursion):

- ``reports/odesa_port.txt``: plain text with a Title/Published/Outlet/URL header
- ``reports/kramatorsk_cp1252.txt``: Windows-1252 text (curly quotes, "café"), decoded by
  charset detection
- ``pages/kharkiv_strike.html``: an HTML page with a "By AFP" byline (wire AFP)
- ``feeds/frontline.rss``: an RSS feed with two entries (HTML descriptions, dates)
- ``archives/cc-news-sample.warc.gz``: a CC-NEWS-style WARC: warcinfo, a request, two HTML
  responses, an image response and a redirect (the last two skipped)

Bad, under ``bad/`` (``EXPECTED_REJECTS`` gives the reason each must carry):

- ``empty.txt`` (0 bytes), ``photo.txt`` (a PNG), ``huge.txt`` (50 MiB of repeated
  paragraphs, over the 10 MiB per-document limit), ``invalid_utf8.txt`` (text with corrupt
  bytes no charset explains), ``mixed_encodings.txt`` (UTF-8 with a pasted Windows-1252
  paragraph), ``no_body.html`` (a head and no body), ``malformed.rss`` (cut off before its
  first item), ``truncated.warc.gz`` (two good responses, then a third cut in half),
  ``broken.jsonl`` (three good lines and a broken one), ``bad_date.txt`` (Published:
  2024-13-45), ``notes.xyz`` (an unknown file type)

The truncated archive's two responses and the JSON Lines file's three good lines are good
articles too.

Example:
    >>> import tempfile
    >>> expected = make_bad_corpus(Path(tempfile.mkdtemp()))
    >>> len(expected["ids"]), len(expected["rejects"])
    (12, 11)
"""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path
from typing import Any

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

HUGE_BYTES = 50 * 1024 * 1024

# --- texts ----------------------------------------------------------------------------------

ODESA_TXT = """Title: Drone strike damages grain terminal in Odesa port
Published: 2024-11-26
Outlet: Black Sea Monitor
URL: https://blacksea-monitor.example/2024/11/26/odesa-port

A Russian drone strike overnight damaged a grain terminal in the port of Odesa and wounded \
three workers, the regional military administration said on Tuesday.

Air defences shot down 21 of 35 drones launched at southern and central Ukraine, the air force \
said. Debris started a fire at the terminal that took firefighters four hours to put out.

The port's operator said loading would resume within days. Russia's defence ministry said its \
forces had struck "military infrastructure" in the Odesa region.
"""

KRAMATORSK_CP1252 = (
    "Title: Caf\u00e9 hit as shelling intensifies in Kramatorsk\n"
    "Published: 2024-10-03\n"
    "Outlet: Donbas Dispatch\n"
    "\n"
    "Russian shelling damaged a caf\u00e9 and two apartment blocks in central Kramatorsk on "
    "Thursday, the city\u2019s military administration said. \u201cAt least four civilians "
    "were wounded,\u201d the administration said in a statement, adding that one of them was "
    "in a serious condition.\n"
    "\n"
    "The city, a headquarters for Ukraine\u2019s forces in the Donetsk region, lies about "
    "20 kilometres from the front line \u2014 within reach of Russian artillery and glide "
    "bombs.\n"
)

KHARKIV_HTML = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Missile strike on Kharkiv apartment block kills seven | Daily Sentinel</title>
<meta property="og:site_name" content="Daily Sentinel">
<meta property="og:title" content="Missile strike on Kharkiv apartment block kills seven">
<meta property="article:published_time" content="2024-08-30T18:20:00+00:00">
<link rel="canonical" href="https://dailysentinel.example/world/2024/08/30/kharkiv-strike">
</head>
<body>
<header><nav><a href="/">Home</a> | <a href="/world">World</a> | <a href="/sport">Sport</a>
</nav></header>
<main>
<article>
<h1>Missile strike on Kharkiv apartment block kills seven</h1>
<div class="byline">By AFP</div>
<time datetime="2024-08-30">August 30, 2024</time>
<p>A Russian missile strike on a 12-storey apartment block in Kharkiv killed at least seven
people, including a child, and wounded 47 others on Friday, the regional governor said.</p>
<p>Rescuers were still searching the rubble late into the evening, the State Emergency Service
said, adding that a playground next to the building had also been hit.</p>
<p>Kharkiv, Ukraine's second-largest city, lies about 30 kilometres from the Russian border and
has been struck repeatedly since the full-scale invasion began in February 2022.</p>
<p>Russia's defence ministry did not comment on the strike. Moscow denies targeting civilians.</p>
</article>
</main>
<footer><p>&copy; 2024 Daily Sentinel. All rights reserved.</p>
<ul><li><a href="/about">About us</a></li><li><a href="/privacy">Privacy</a></li></ul></footer>
</body>
</html>
"""

FRONTLINE_RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"
     xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
<title>Frontline Daily</title>
<link>https://frontline-daily.example/</link>
<description>News from the front lines</description>
<item>
<title>Ukraine says 30 of 43 drones shot down overnight</title>
<link>https://frontline-daily.example/2024/12/18/drones</link>
<guid isPermaLink="true">https://frontline-daily.example/2024/12/18/drones</guid>
<pubDate>Wed, 18 Dec 2024 07:45:00 GMT</pubDate>
<dc:creator>AFP</dc:creator>
<description>&lt;p&gt;Russian forces launched 43 drones at Ukraine overnight, the air force
said on Wednesday, adding that 30 were shot down over the Kyiv, Sumy and Chernihiv
regions.&lt;/p&gt;&lt;p&gt;Two people were &lt;b&gt;wounded&lt;/b&gt; when debris fell on a
residential building in the capital, the city administration said.&lt;/p&gt;</description>
</item>
<item>
<title>Three killed in shelling of Kherson market</title>
<link>https://frontline-daily.example/2024/12/17/kherson-market</link>
<guid isPermaLink="true">https://frontline-daily.example/2024/12/17/kherson-market</guid>
<pubDate>Tue, 17 Dec 2024 15:10:00 GMT</pubDate>
<description>Shelling of a market in Kherson killed three people.</description>
<content:encoded><![CDATA[<p>Russian shelling of a covered market in Kherson killed three
people and wounded nine on Tuesday morning, the regional governor said.</p>
<p>Kherson, on the west bank of the Dnipro river, has been shelled almost daily since Ukrainian
forces retook it in November 2022.</p>]]></content:encoded>
</item>
</channel>
</rss>
"""

WARC_PAGES = [
    (
        "https://ccnews-sample.example/2024/12/16/pokrovsk",
        "Russian forces press towards Pokrovsk",
        "2024-12-16",
        "POKROVSK, Ukraine (Reuters) - Russian forces pressed their advance towards the "
        "eastern Ukrainian logistics hub of Pokrovsk on Monday, Ukraine's general staff said, "
        "reporting 68 clashes along that section of the front in 24 hours.",
        "Reuters",
    ),
    (
        "https://ccnews-sample.example/2024/12/16/belgorod",
        "Two killed in drone attack in Russia's Belgorod region",
        "2024-12-16",
        "A Ukrainian drone attack on a village in Russia's Belgorod region killed two people "
        "and wounded one, the regional governor said on Monday. Russia's defence ministry said "
        "it had destroyed 14 drones over the region overnight.",
        None,
    ),
]

TRUNCATED_WARC_PAGES = [
    (
        "https://ccnews-sample.example/2024/12/15/zaporizhzhia",
        "Strike on Zaporizhzhia industrial site wounds five",
        "2024-12-15",
        "ZAPORIZHZHIA, Ukraine (AP) \u2014 A Russian guided bomb struck an industrial site in "
        "Zaporizhzhia on Sunday, wounding five workers, the regional governor said.",
        "AP",
    ),
    (
        "https://ccnews-sample.example/2024/12/15/sumy",
        "Sumy region evacuates border villages",
        "2024-12-15",
        "Authorities in Ukraine's Sumy region ordered the evacuation of 11 more villages along "
        "the Russian border on Sunday after weeks of shelling, regional officials said.",
        None,
    ),
    (
        "https://ccnews-sample.example/2024/12/15/kursk",
        "Fighting continues in Kursk region",
        "2024-12-15",
        "Ukrainian and Russian forces fought for control of villages in Russia's Kursk region "
        "on Sunday, both sides said, each claiming to have inflicted heavy losses on the other.",
        None,
    ),
]

JSONL_GOOD = [
    {
        "id": "jsonl-1",
        "text": "Russia said on Monday its air defences had destroyed 12 Ukrainian drones over "
        "the Bryansk and Kursk regions overnight. There was no immediate word on casualties.",
        "published": "2024-12-16",
        "title": "Russia says 12 Ukrainian drones downed",
        "url": "https://wire-digest.example/jsonl-1",
        "outlet": "Wire Digest",
    },
    {
        "id": "jsonl-2",
        "text": "KYIV (AFP) - Ukraine's military intelligence said on Tuesday that about 11,000 "
        "North Korean troops had been deployed to Russia's Kursk region.",
        "published": "2024-12-17",
        "title": "Kyiv says 11,000 North Korean troops in Kursk",
    },
    {
        "id": "jsonl-4",
        "text": "A landmine killed two farmers working a field in the Kharkiv region on Wednesday, "
        "the regional police said, the third such incident this month.",
        "published": "2024-12-18",
        "title": "Landmine kills two farmers near Kharkiv",
    },
]
JSONL_BROKEN_LINE = '{"id": "jsonl-3", "text": "Shelling in Nikopol killed one man, officials'

INVALID_UTF8 = (
    b"Title: Overnight attack on Dnipro\n\n"
    b"Russian missiles struck an industrial enterprise in Dnipro overnight, the regional "
    b"governor said, and \xc3\x28\xa0\xa1\xff\xfe\x81\x8d\x90\x9d\x98 rescuers were at the scene.\n"
    b"\x9d\x8f\x81 The number of casualties \xfe\xff\x90 was being established.\n"
)

MIXED_UTF8_PART = (
    "Title: Kramatorsk residents count the cost\n\n"
    "\u201cWe heard the whistle and then everything shook,\u201d said a resident of "
    "Kramatorsk\u2019s central district, where a glide bomb hit on Monday.\n\n"
)
MIXED_CP1252_PART = (
    "The owner of the caf\u00e9 next door said the windows were blown out \u2014 \u201cagain.\u201d"
    "\n"
)

NO_BODY_HTML = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Live: war in Ukraine, day 1,029</title>
<meta name="description" content="Live updates"></head></html>
"""

MALFORMED_RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0">
<channel>
<title>Eastern Front Bulletin</title>
<link>https://eastern-front.example/</link>
<description>Bulletins</desc
"""

HUGE_PARAGRAPHS = (
    "Russian forces shelled 14 settlements in the Kherson region over the past day, killing "
    "one civilian and wounding six, the regional military administration said. Residential "
    "areas, a school and a power line were hit, it said.",
    "Ukraine's general staff reported 156 clashes along the front line, the heaviest fighting "
    "near Pokrovsk and Kurakhove, where Russian units attacked 71 times with artillery and "
    "armoured vehicles.",
    "In the Zaporizhzhia region, guided bombs struck the outskirts of Huliaipole and "
    "Orikhiv, the regional governor said, adding that there were no immediate reports of "
    "casualties.",
)

BAD_DATE_TXT = """Title: Ceasefire talk as shelling goes on
Published: 2024-13-45
Outlet: Kyiv Ledger

Shelling killed two people in the Donetsk region on Friday, regional officials said, as
diplomats in Geneva discussed a possible ceasefire over the winter.
"""

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)

#: (file relative to the corpus folder, text the Reject's ``where`` ends with beyond the file,
#: substring its reason must hold)
EXPECTED_REJECTS: list[tuple[str, str, str]] = [
    ("bad/bad_date.txt", "", "impossible date '2024-13-45'"),
    ("bad/broken.jsonl", ":3", "not JSON"),
    ("bad/empty.txt", "", "empty file"),
    ("bad/huge.txt", "", "too large"),
    ("bad/invalid_utf8.txt", "", "not UTF-8 (byte 137 is 0xc3)"),
    ("bad/malformed.rss", "", "malformed feed"),
    ("bad/mixed_encodings.txt", "", "mixed encodings"),
    ("bad/no_body.html", "", "no main text"),
    ("bad/notes.xyz", "", "unknown file type .xyz"),
    ("bad/photo.txt", "", "binary file"),
    ("bad/truncated.warc.gz", "", "truncated WARC"),
]


# --- writers --------------------------------------------------------------------------------


def _page(url: str, title: str, day: str, paragraph: str) -> bytes:
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<title>{title} | CC News Sample</title>"
        "<meta property='og:site_name' content='CC News Sample'>"
        f"<meta property='article:published_time' content='{day}T09:00:00Z'>"
        f"<link rel='canonical' href='{url}'></head><body>"
        "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>{title}</h1><p>{paragraph}</p>"
        "<p>The claims could not be independently verified.</p></article>"
        "<footer>&copy; CC News Sample</footer></body></html>"
    ).encode()


def _http(status: str, content_type: str, extra: list[tuple[str, str]] | None = None) -> Any:
    headers = [("Content-Type", content_type), *(extra or [])]
    return StatusAndHeaders(status, headers, protocol="HTTP/1.1")


def write_warc(
    path: Path, pages: list[tuple[str, str, str, str, str | None]], extras: bool = True
) -> list[int]:
    """Write a gzipped WARC of HTML responses (plus, with ``extras``, records a reader skips).

    Returns the byte offset where each record starts (and, last, the file's length).
    """
    offsets: list[int] = []
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        offsets.append(fh.tell())
        writer.write_record(
            writer.create_warcinfo_record(path.name, {"software": "sitrep-badcorpus"})
        )
        for n, (url, title, day, paragraph, _wire) in enumerate(pages):
            if extras and n == 0:
                request = StatusAndHeaders(
                    "GET / HTTP/1.1", [("Host", url.split("/")[2])], is_http_request=True
                )
                offsets.append(fh.tell())
                writer.write_record(
                    writer.create_warc_record(url, "request", http_headers=request)
                )
            body = _page(url, title, day, paragraph)
            offsets.append(fh.tell())
            writer.write_record(
                writer.create_warc_record(
                    url,
                    "response",
                    payload=io.BytesIO(body),
                    http_headers=_http("200 OK", "text/html; charset=utf-8"),
                )
            )
            if extras and n == 0:
                offsets.append(fh.tell())
                writer.write_record(
                    writer.create_warc_record(
                        url.rsplit("/", 1)[0] + "/photo.png",
                        "response",
                        payload=io.BytesIO(PNG),
                        http_headers=_http("200 OK", "image/png"),
                    )
                )
                offsets.append(fh.tell())
                writer.write_record(
                    writer.create_warc_record(
                        url.replace("https://", "http://"),
                        "response",
                        payload=io.BytesIO(b"<html><body>Moved</body></html>"),
                        http_headers=_http(
                            "301 Moved Permanently", "text/html", [("Location", url)]
                        ),
                    )
                )
        offsets.append(fh.tell())
    return offsets


def write_huge_text(path: Path, size: int = HUGE_BYTES) -> None:
    """A plain-text file of ``size`` bytes of realistic repeated paragraphs, written in 1 MiB
    blocks (well under a second for 50 MiB)."""
    block = ("\n\n".join(HUGE_PARAGRAPHS) + "\n\n").encode("utf-8")
    chunk = block * (1024 * 1024 // len(block) + 1)
    with path.open("wb") as fh:
        fh.write(b"Title: Daily front-line summaries, 2022-2024\nPublished: 2024-12-31\n\n")
        written = fh.tell()
        while written < size:
            part = chunk[: size - written]
            fh.write(part)
            written += len(part)


def make_bad_corpus(folder: Path) -> dict[str, Any]:
    """Write the corpus into ``folder`` and return what reading it should give.

    The expectation:

    - ``articles``: ``{id: {"title", "url", "published", "wire", "outlet"}}`` for every good
      article (``published`` a ``date``; ``outlet``/``wire`` None where there is none)
    - ``ids``, ``urls``, ``titles``: sets of the same
    - ``rejects``: ``[(where, reason substring)]``, ``where`` exactly as
      ``iter_articles([str(folder)])`` names it: from the folder's own name
      (``corpus/bad/empty.txt``), never the absolute path
    - ``huge``: the path of the 50 MiB file

    Example:
        >>> import tempfile
        >>> sorted(make_bad_corpus(Path(tempfile.mkdtemp())))
        ['articles', 'huge', 'ids', 'rejects', 'titles', 'urls']
    """
    good = folder / "good"
    bad = folder / "bad"
    for sub in ("reports", "pages", "feeds", "archives"):
        (good / sub).mkdir(parents=True, exist_ok=True)
    bad.mkdir(parents=True, exist_ok=True)
    articles: dict[str, dict[str, Any]] = {}

    def named(path: Path) -> str:
        """What reading ``folder`` names the file: its path from the folder's own name."""
        return path.relative_to(folder.parent).as_posix()

    def expect(art_id: str, title: str, url: str | None, day: str | None,
               wire: str | None = None, outlet: str | None = None) -> None:  # fmt: skip
        articles[art_id] = {
            "title": title,
            "url": url,
            "published": date.fromisoformat(day) if day else None,
            "wire": wire,
            "outlet": outlet,
        }

    # good: plain text with a header
    path = good / "reports" / "odesa_port.txt"
    path.write_text(ODESA_TXT, encoding="utf-8")
    expect(named(path), "Drone strike damages grain terminal in Odesa port",
           "https://blacksea-monitor.example/2024/11/26/odesa-port", "2024-11-26",
           outlet="Black Sea Monitor")  # fmt: skip

    # good: Windows-1252 text, read through charset detection
    path = good / "reports" / "kramatorsk_cp1252.txt"
    path.write_bytes(KRAMATORSK_CP1252.encode("cp1252"))
    expect(named(path), "Caf\u00e9 hit as shelling intensifies in Kramatorsk", None, "2024-10-03",
           outlet="Donbas Dispatch")  # fmt: skip

    # good: HTML with a "By AFP" byline
    path = good / "pages" / "kharkiv_strike.html"
    path.write_text(KHARKIV_HTML, encoding="utf-8")
    expect(named(path), "Missile strike on Kharkiv apartment block kills seven",
           "https://dailysentinel.example/world/2024/08/30/kharkiv-strike", "2024-08-30",
           wire="AFP", outlet="Daily Sentinel")  # fmt: skip

    # good: RSS with two entries
    path = good / "feeds" / "frontline.rss"
    path.write_text(FRONTLINE_RSS, encoding="utf-8")
    expect("https://frontline-daily.example/2024/12/18/drones",
           "Ukraine says 30 of 43 drones shot down overnight",
           "https://frontline-daily.example/2024/12/18/drones", "2024-12-18",
           wire="AFP", outlet="Frontline Daily")  # fmt: skip
    expect("https://frontline-daily.example/2024/12/17/kherson-market",
           "Three killed in shelling of Kherson market",
           "https://frontline-daily.example/2024/12/17/kherson-market", "2024-12-17",
           outlet="Frontline Daily")  # fmt: skip

    # good: a WARC with two HTML responses (and records the reader skips)
    write_warc(good / "archives" / "cc-news-sample.warc.gz", WARC_PAGES)
    for url, title, day, _text, wire in WARC_PAGES:
        expect(url, title, url, day, wire=wire, outlet="CC News Sample")

    # bad: empty, binary, huge
    (bad / "empty.txt").write_bytes(b"")
    (bad / "photo.txt").write_bytes(PNG)
    write_huge_text(bad / "huge.txt")

    # bad: encodings
    (bad / "invalid_utf8.txt").write_bytes(INVALID_UTF8)
    (bad / "mixed_encodings.txt").write_bytes(
        MIXED_UTF8_PART.encode("utf-8") + MIXED_CP1252_PART.encode("cp1252")
    )

    # bad: HTML with no body, malformed RSS
    (bad / "no_body.html").write_text(NO_BODY_HTML, encoding="utf-8")
    (bad / "malformed.rss").write_text(MALFORMED_RSS, encoding="utf-8")

    # bad: a WARC cut halfway through its third response (its first two are good)
    path = bad / "truncated.warc.gz"
    offsets = write_warc(path, TRUNCATED_WARC_PAGES, extras=False)
    third, end = offsets[-2], offsets[-1]
    data = path.read_bytes()
    path.write_bytes(data[: third + (end - third) // 2])
    for url, title, day, _text, wire in TRUNCATED_WARC_PAGES[:2]:
        expect(url, title, url, day, wire=wire, outlet="CC News Sample")

    # bad: JSON Lines with one broken line among good ones
    lines = [json.dumps(JSONL_GOOD[0]), json.dumps(JSONL_GOOD[1]), JSONL_BROKEN_LINE,
             json.dumps(JSONL_GOOD[2])]  # fmt: skip
    (bad / "broken.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for row in JSONL_GOOD:
        expect(str(row["id"]), str(row["title"]), row.get("url"), str(row["published"]),
               wire="AFP" if row["id"] == "jsonl-2" else None,
               outlet=row.get("outlet"))  # fmt: skip

    # bad: an impossible date, an unknown file type
    (bad / "bad_date.txt").write_text(BAD_DATE_TXT, encoding="utf-8")
    (bad / "notes.xyz").write_text(
        "Call with the Kharkiv fixer at 14:00; ask about the casualty figures.\n", encoding="utf-8"
    )

    rejects = [(named(folder / rel) + suffix, reason) for rel, suffix, reason in EXPECTED_REJECTS]
    return {
        "articles": articles,
        "ids": set(articles),
        "urls": {a["url"] for a in articles.values() if a["url"]},
        "titles": {a["title"] for a in articles.values()},
        "rejects": rejects,
        "huge": bad / "huge.txt",
    }
