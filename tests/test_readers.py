"""Reading the contract's inputs: JSON Lines and plain text with a header."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sitrep.model import Article
from sitrep.sources.readers import (
    Reject,
    article_from_text,
    parse_date,
    read_jsonl_lines,
    read_text_file,
    split_header,
)


def test_jsonl_bad_lines_are_rejected_with_line_and_reason_and_others_kept() -> None:
    lines = [
        '{"id": "a", "text": "Shelling killed two civilians.", "published": "2024-03-02"}',
        "{not json",
        '{"id": "b", "published": "2024-03-02"}',
        '{"id": "c", "text": "Drone attack in Sumy.", "published": "2024-13-45"}',
        '{"id": "d", "text": "Four soldiers were wounded.", "published": "2024-03-03"}',
    ]
    out = list(read_jsonl_lines(lines, "feed.jsonl"))
    assert [type(o).__name__ for o in out] == ["Article", "Reject", "Reject", "Reject", "Article"]
    rejects = [o for o in out if isinstance(o, Reject)]
    assert rejects[0].where == "feed.jsonl:2" and "not JSON" in rejects[0].reason
    assert rejects[1].where == "feed.jsonl:3" and rejects[1].reason == "no text"
    assert rejects[2].where == "feed.jsonl:4" and "2024-13-45" in rejects[2].reason
    good = [o for o in out if isinstance(o, Article)]
    assert [a.id for a in good] == ["a", "d"]
    assert good[1].published == date(2024, 3, 3)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2024-12-18", date(2024, 12, 18)), ("2024-12-18T09:30:00Z", date(2024, 12, 18)),
     (None, None), ("", None)],
)
def test_parse_date(value: str | None, expected: date | None) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["2024-13-45", "18/12/2024", "Tuesday"])
def test_parse_date_rejects_impossible_dates_naming_them(value: str) -> None:
    with pytest.raises(ValueError, match="impossible date"):
        parse_date(value)


def test_text_header_is_split_and_its_date_wins() -> None:
    raw = (
        "Title: Strike on Odesa port\nPublished: 2024-07-01\nOutlet: Example Wire\n\n"
        "A missile strike on the port of Odesa wounded three workers, officials said."
    )
    art = article_from_text(raw, "odesa.txt", date(2020, 1, 1))
    assert art.title == "Strike on Odesa port"
    assert art.outlet == "Example Wire"
    assert art.published == date(2024, 7, 1)
    assert art.text.startswith("A missile strike")


def test_text_without_header_is_kept_whole() -> None:
    raw = "Fighting: the latest\n\nTroops advanced near Pokrovsk."
    header, body = split_header(raw)
    assert header == {}
    assert body == raw


def test_unreadable_files_become_rejects(tmp_path: Path) -> None:
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\x00\x00\x01\x02")
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Kyiv caf\xe9".encode("latin-1"))
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n")
    missing = tmp_path / "gone.txt"
    for path, why in [(binary, "binary"), (latin, "not UTF-8"), (empty, "empty"),
                      (missing, "cannot read")]:
        out = read_text_file(path)
        assert isinstance(out, Reject), path
        assert why in out.reason
        assert out.where == str(path)


def test_readers_module_keeps_the_names_the_cli_imports() -> None:
    from sitrep.sources import base, jsonl, readers, text

    assert readers.Reject is base.Reject and readers.parse_date is base.parse_date
    assert readers.read_jsonl_lines is jsonl.read_jsonl_lines
    assert readers.read_text_file is text.read_text_file
    assert readers.article_from_text is text.article_from_text


def test_crlf_header_is_split_and_a_byline_names_the_wire() -> None:
    raw = "Title: Kupiansk\r\nByline: By AFP\r\n\r\nTwo soldiers were killed near Kupiansk."
    art = article_from_text(raw, "k.txt")
    assert art.title == "Kupiansk"
    assert art.wire == "AFP"
    assert art.text == "Two soldiers were killed near Kupiansk."


def test_read_text_file_decodes_a_confident_legacy_charset(tmp_path: Path) -> None:
    path = tmp_path / "cp1251.txt"
    body = (
        "Унаслідок обстрілу Херсона загинули двоє цивільних, ще п\u2019ятеро поранені, "
        "повідомив голова обласної військової адміністрації."
    )
    path.write_bytes(("Published: 2024-12-17\n\n" + body).encode("cp1251"))
    art = read_text_file(path)
    assert isinstance(art, Article)
    assert art.text == body
    assert art.published == date(2024, 12, 17)
