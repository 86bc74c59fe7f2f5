"""Honest exits: commands that only read never create a database, bad databases and options
are one line and exit 2, `ingest` says by its status whether anything could be read, and the
CLI checks filters exactly as the API does.
"""

from __future__ import annotations

import socket
import warnings
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from sitrep.cli import app

READ_COMMANDS = [
    ["claims"], ["statements"], ["events"], ["articles"], ["series"],
    ["export", "--format", "csv"], ["serve", "--port", "8765"],
]
GOOD_TEXT = ("Published: 2024-05-23\n\nA Russian missile strike on a printing house in Kharkiv "
             "killed seven people on Thursday, regional governor Oleh Syniehubov said.\n")


def _run(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def _one_line_error(result: Any) -> str:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return str(lines[0])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize("command", READ_COMMANDS, ids=lambda c: c[0])
def test_read_commands_do_not_create_a_database(command: list[str], tmp_path: Path) -> None:
    typo = tmp_path / "sitrp.db"
    nested = tmp_path / "no" / "such" / "dir" / "x.db"
    for db in (typo, nested):
        line = _one_line_error(_run(*command, "--db", str(db)))
        assert line == f"sitrep {command[0]}: [E301] no such database: {db}"
        assert not db.exists()
    assert not (tmp_path / "no").exists()


def test_an_empty_file_is_not_a_sitrep_database(tmp_path: Path) -> None:
    empty = tmp_path / "notes.db"
    empty.write_bytes(b"")
    line = _one_line_error(_run("claims", "--db", str(empty)))
    assert "holds no sitrep tables" in line


@pytest.mark.parametrize("url", ["foo://bar", "mysql://ana@db.example/news"])
def test_a_url_sitrep_cannot_open_is_one_line(url: str) -> None:
    line = _one_line_error(_run("claims", "--db", url))
    assert url in line and "not a database sitrep can open" in line


def test_an_unreachable_postgresql_is_one_line_without_its_password() -> None:
    url = f"postgresql://ana:s3cret-pw@127.0.0.1:{_free_port()}/news"
    for command in (["claims"], ["ingest", "-"]):
        line = _one_line_error(_run(*command, "--db", url))
        assert "cannot open postgresql://ana:***@127.0.0.1" in line
        assert "s3cret-pw" not in line


@pytest.fixture(scope="module")
def filled_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli")
    (folder / "kharkiv.txt").write_text(GOOD_TEXT, encoding="utf-8")
    db = folder / "news.db"
    result = _run("ingest", str(folder / "kharkiv.txt"), "--db", str(db), "--quiet")
    assert result.exit_code == 0, result.output
    return db


def test_serve_refuses_a_port_out_of_range_or_taken(filled_db: Path) -> None:
    result = _run("serve", "--db", str(filled_db), "--port", "99999")
    assert result.exit_code == 2 and "Traceback" not in result.output
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        line = _one_line_error(_run("serve", "--db", str(filled_db), "--port", str(port)))
    assert line.startswith(f"sitrep serve: cannot listen on 127.0.0.1:{port}")


# The same bad values go to the CLI and to the API: both must refuse each, naming it.
BAD_FILTERS = [
    ("kind", "kiled"),
    ("kind", "deaths"),
    ("subject_country", "Russia"),
    ("subject_country", "UKR"),
    ("speaker_country", "U"),
    ("said_from", "2024-13-01"),
    ("said_to", "yesterday"),
    ("speaker", "Zelensky\x00"),
]


@pytest.mark.parametrize(("name", "value"), BAD_FILTERS)
def test_cli_and_api_refuse_the_same_filter_values(name: str, value: str,
                                                   filled_db: Path) -> None:
    option = "--" + name.replace("_", "-")
    line = _one_line_error(_run("claims", "--db", str(filled_db), option, value))
    assert line.startswith(f"sitrep claims: {option}: ")
    with warnings.catch_warnings():  # starlette: "install httpx2 instead"; httpx works
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    from sitrep.serve import create_app

    with TestClient(create_app(str(filled_db))) as client:
        assert client.get("/api/claims", params={name: value}).status_code == 422


def test_a_country_name_gets_its_code_suggested(filled_db: Path) -> None:
    line = _one_line_error(_run("claims", "--db", str(filled_db), "--subject-country",
                                "Russia"))
    assert "(Russia is RU)" in line


def test_good_filters_still_answer(filled_db: Path) -> None:
    result = _run("claims", "--db", str(filled_db), "--kind", "Killed", "--subject-country",
                  "ua", "--format", "json")
    assert result.exit_code == 0, result.output


def test_ingest_of_a_missing_path_reads_nothing_and_exits_2(tmp_path: Path) -> None:
    good = tmp_path / "kharkiv.txt"
    good.write_text(GOOD_TEXT, encoding="utf-8")
    db = tmp_path / "news.db"
    line = _one_line_error(_run("ingest", str(good), str(tmp_path / "kharkov.txt"),
                                str(tmp_path / "*.html"), "--db", str(db), "--quiet"))
    assert "kharkov.txt" in line and "*.html" in line
    assert not db.exists()


def test_ingest_exits_1_when_nothing_could_be_read(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "empty.txt").write_text("", encoding="utf-8")
    (inbox / "photo.txt").write_bytes(bytes(range(256)) * 8)
    db = tmp_path / "news.db"
    result = _run("ingest", str(inbox), "--db", str(db), "--quiet")
    assert result.exit_code == 1, result.output
    assert "nothing could be read (2 rejected)" in result.stderr
    from sitrep.store import Store

    with Store.open(str(db), create=False) as store:
        assert len(store.rejects()) == 2  # the rejects are kept, with their reasons


def test_ingest_strict_fails_on_any_reject(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "kharkiv.txt").write_text(GOOD_TEXT, encoding="utf-8")
    (inbox / "empty.txt").write_text("", encoding="utf-8")
    lenient = _run("ingest", str(inbox), "--db", str(tmp_path / "a.db"), "--quiet")
    assert lenient.exit_code == 0, lenient.output
    strict = _run("ingest", str(inbox), "--db", str(tmp_path / "b.db"), "--quiet",
                  "--strict")
    assert strict.exit_code == 1
    assert "--strict: 1 input(s) rejected" in strict.stderr
