"""Reading the contract's inputs: JSON Lines and plain text with a header."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sitrep.model import Article
from sitrep.sources.encoding import _misreading, decode_bytes
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
    assert rejects[1].where == "feed.jsonl:3" and rejects[1].reason == "[E106] no text"
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


# --- the encoding rule: UTF-8, else a declared charset, else a confident guess, else reject ---

#: Realistic legacy-charset news (several sentences, the language's own letters), and the
#: charset it is in. Spanish, Portuguese, Czech and Polish are the cases charset-normalizer
#: ties with a cousin charset (Spanish 'ñ' as cp1250 'ń', Czech 'ř' as cp1252 'ø').
LEGACY_NEWS = {
    "french-cp1252": (
        "cp1252",
        "Des frappes russes ont tué trois civils à Kherson mardi, a déclaré le gouverneur "
        "régional. Les secouristes ont fouillé les décombres d\u2019un immeuble toute la nuit. "
        "« Nous avons évacué quarante-deux personnes », a-t-il précisé à l\u2019AFP.",
    ),
    "german-cp1252": (
        "cp1252",
        "Bei einem russischen Drohnenangriff auf Odessa sind in der Nacht drei Menschen "
        "getötet worden, teilte der Gouverneur mit. Die Rettungskräfte räumten Trümmer eines "
        "Wohnhauses. Über zwölf Verletzte wurden ins Krankenhaus gebracht, darunter ein Kind.",
    ),
    "spanish-latin1": (
        "latin-1",
        "Un ataque con misiles rusos mató a cuatro personas en la ciudad de Járkov, según "
        "informó el alcalde. Además, otras diecisiete resultaron heridas y varios edificios "
        "sufrieron daños, añadió el gobernador de la región.",
    ),
    "portuguese-cp1252": (
        "cp1252",
        "Um ataque de drones russos matou duas pessoas na região de Sumy, informou a "
        "administração militar. Segundo as autoridades, a infraestrutura elétrica também foi "
        "atingida e não há previsão de restabelecimento.",
    ),
    "czech-cp1250": (
        "cp1250",
        "Ruský útok na Charkov zabil nejméně tři lidi a další desítky zranil, uvedl gubernátor "
        "oblasti. Záchranáři podle něj stále prohledávají trosky zničeného obytného domu v "
        "centru města.",
    ),
    "polish-cp1250": (
        "cp1250",
        "Rosyjski atak rakietowy na Kijów zabił co najmniej pięć osób, poinformował mer miasta. "
        "Według służb ratunkowych pod gruzami mogą znajdować się kolejne ofiary. Żołnierze "
        "usuwają skutki ataku.",
    ),
    "turkish-cp1254": (
        "cp1254",
        "Rusya'nın Harkiv'e düzenlediği füze saldırısında en az üç kişi hayatını kaybetti, "
        "bölge valisi açıkladı. Yaralılar hastaneye kaldırıldı ve arama çalışmaları sürüyor.",
    ),
    "russian-cp1251": (
        "cp1251",
        "В результате обстрела Белгорода погибли два человека, ещё пятеро ранены, сообщил "
        "губернатор области. По его словам, повреждены несколько жилых домов и автомобили.",
    ),
}


@pytest.mark.parametrize("name", sorted(LEGACY_NEWS))
def test_legacy_charset_news_is_read_right_when_the_guess_is_confident(
    tmp_path: Path, name: str
) -> None:
    charset, body = LEGACY_NEWS[name]
    path = tmp_path / f"{name}.txt"
    path.write_bytes(("Title: Overnight strike\n\n" + body).encode(charset))
    art = read_text_file(path)
    assert isinstance(art, Article), art
    assert art.text == body


def _prose(*parts: bytes) -> bytes:
    return b"".join(parts)


#: UTF-8 (here ASCII) prose with a few stray bytes in the middle: a damaged file, not a
#: Windows-1252 one. Each must be rejected naming the first bad byte, never stored as
#: "killed ÿþ three people Ã(".
STRAY_BYTES = {
    "ff-fe-and-c3-28": _prose(
        b"Russian shelling killed \xff\xfe three people in Kherson on Tuesday, the regional ",
        b"governor said. Rescue crews searched the rubble \xc3\x28 through the night.",
    ),
    "c3-glued-to-a-bracket": _prose(
        b"Russian shelling killed three people in Kherson on Tuesday, the regional governor ",
        b"said. Rescue crews \xc3\x28searched the rubble through the night.",
    ),
    "three-high-bytes-alone": _prose(
        b"Russian shelling killed three people in Kherson on Tuesday, the regional governor ",
        b"\xff\xfe\xfd said. Rescue crews searched the rubble through the night.",
    ),
    "undefined-windows-1252-bytes": _prose(
        b"Title: Overnight attack on Dnipro\n\nRussian missiles struck an industrial site in ",
        b"Dnipro overnight, the governor said, and \x9d\x81 rescuers were at the scene.",
    ),
}


@pytest.mark.parametrize("name", sorted(STRAY_BYTES))
def test_utf8_prose_with_stray_bytes_is_rejected_naming_the_first_bad_byte(
    tmp_path: Path, name: str
) -> None:
    data = STRAY_BYTES[name]
    first_bad = next(i for i, b in enumerate(data) if b >= 0x80)
    path = tmp_path / "report.txt"
    path.write_bytes(data)
    rej = read_text_file(path)
    assert isinstance(rej, Reject), rej.text  # type: ignore[union-attr]
    assert rej.reason.startswith(f"[E111] not UTF-8 (byte {first_bad} is 0x{data[first_bad]:02x})")
    assert "no charset declared" in rej.reason and "no charset detected" in rej.reason


@pytest.mark.parametrize(
    ("reading", "why"),
    [
        ("Trois civils ont été tués à Kherson, c\u2019est-à-dire au sud.", None),
        ("Über zwölf Verletzte wurden ins Krankenhaus gebracht.", None),
        ("Rusya'nın düzenlediği saldırıda en az üç kişi öldü, çalışmalar sürüyor.", None),
        ("В результате обстрела погибли два человека (AFP).", None),
        ("Shelling killed ÿþ three people.", "'ÿþ' (in 'killed ÿþ three'), which is no word"),
        ("Rescue crews Ã(searched the rubble.", "'Ã' (in 'crews Ã(searched'), which is no word"),
        ("Shelling killed яю three people in Kherson.", "2 non-Latin letters among 34 Latin ones"),
        ("The governor ˙ said.", "the symbol '˙'"),
        ("Two were killed \x81 overnight.", "the control character U+0081"),
    ],
)
def test_a_guessed_charset_must_give_words(reading: str, why: str | None) -> None:
    assert _misreading(reading) == why


def test_a_declared_charset_is_used_when_the_bytes_are_not_utf8() -> None:
    body = "\u201cWe heard the whistle,\u201d a resident of Kramatorsk said."
    page = f"<html><head><meta charset='iso-8859-1'></head><body><p>{body}</p></body></html>"
    # browsers read pages labelled ISO-8859-1 as Windows-1252: 0x93/0x94 are curly quotes
    assert body in decode_bytes(page.encode("cp1252"), declared="iso-8859-1")


def test_utf8_wins_over_a_wrong_declaration() -> None:
    body = "The caf\u00e9 on Myru Avenue was hit, the mayor of Kramatorsk said."
    assert decode_bytes(body.encode("utf-8"), declared="windows-1252") == body
