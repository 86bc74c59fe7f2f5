"""Rebuild examples/archives/cc-news-sample.warc.gz, a CC-NEWS-style WARC of two pages.

Run: .venv/bin/python scripts/make_example_warc.py (the committed file is its output).
"""

from __future__ import annotations

import io
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

PAGES = [
    (
        "https://odesa-observer.example/2024/10/10/port-strike",
        "Missile strike on Odesa port kills eight, damages container ship",
        "2024-10-10",
        [
            "A Russian ballistic missile struck a civilian container ship in the port of Odesa "
            "on Wednesday night, killing eight people and wounding 10, Ukraine's Deputy Prime "
            "Minister Oleksiy Kuleba said.",
            "The vessel, flying the flag of Panama, was loading grain bound for Egypt, Kuleba "
            "said, calling the attack a strike on global food security.",
            "Ukraine's navy said Russia had hit more than 20 civilian vessels in Black Sea "
            "ports since the summer of 2023.",
        ],
    ),
    (
        "https://sudan-monitor.example/2024/06/06/wad-al-noura",
        "Dozens killed in RSF attack on Sudanese village, activists say",
        "2024-06-06",
        [
            "Fighters of the paramilitary Rapid Support Forces killed at least 104 people, "
            "including 35 children, in an attack on the village of Wad al-Noura in Gezira "
            "state on Wednesday, a local resistance committee said.",
            "The RSF said in a statement that its forces had clashed with army units near the "
            "village and denied targeting civilians.",
            "The United Nations says the war between the army and the RSF has displaced more "
            "than 10 million people since April 2023.",
        ],
    ),
]


def page(url: str, title: str, day: str, paragraphs: list[str]) -> bytes:
    body = "".join(f"<p>{p}</p>\n" for p in paragraphs)
    html = (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title>"
        f"<meta property='article:published_time' content='{day}T08:00:00Z'>"
        f"<link rel='canonical' href='{url}'></head><body><article><h1>{title}</h1>\n"
        f"{body}</article></body></html>"
    )
    return html.encode("utf-8")


def main() -> None:
    out = Path(__file__).resolve().parents[1] / "examples" / "archives" / "cc-news-sample.warc.gz"
    out.parent.mkdir(exist_ok=True)
    with out.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        writer.write_record(writer.create_warcinfo_record(out.name, {"software": "sitrep"}))
        for url, title, day, paragraphs in PAGES:
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            writer.write_record(
                writer.create_warc_record(
                    url, "response", payload=io.BytesIO(page(url, title, day, paragraphs)),
                    http_headers=headers,
                )
            )
    print(out)


if __name__ == "__main__":
    main()
