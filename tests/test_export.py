"""Quotations out: CSV and JSON Lines of the library, an article and a person, streamed."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import helpers
import pytest
from flask import Flask
from flask.testing import FlaskClient
from helpers import HARBOUR_SEED, MILL_SEED, PROJECT, WriteSeed, correct
from sqlalchemy import ColumnElement, event, func, select, update
from werkzeug.test import TestResponse

from webapp import export, library
from webapp.correction_store import Speaker
from webapp.models import Article, ArticlePerson, Person, Quote, db

CORPUS = ("02_thornbridge-flood", "05_northwind-profit-warning", "06_senate-rail-safety")
HEADER = [
    "speaker",
    "speaker_slug",
    "role",
    "quotation",
    "kind",
    "cue",
    "channel",
    "article",
    "article_slug",
    "quote_id",
    "date",
    "source_url",
    "url",
    "corrected",
    "correction",
    "engine_speaker",
]
GZIP = {"Accept-Encoding": "gzip"}
FORMATS = ["csv", "jsonl"]


@pytest.fixture
def corpus(app: Flask, seeds_dir: Path) -> list[str]:
    """Load three articles of the test corpus with the real engine; return their slugs."""
    for name in CORPUS:
        shutil.copy(PROJECT / "tests" / "corpus" / f"{name}.txt", seeds_dir)
    with app.app_context():
        report = library.load_seeds(seeds_dir)
    assert [r.status for r in report.results] == ["loaded"] * len(CORPUS)
    return [r.slug for r in report.results]


@pytest.fixture
def two_articles(
    app: Flask,
    seeds_dir: Path,
    write_seed: WriteSeed,
    fake_engine: object,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Load the harbour, then the mill, where Karl Olsen has another role (stand-in engine)."""
    write_seed("harbour.txt", HARBOUR_SEED)
    with app.app_context():
        library.load_seeds(seeds_dir)
    monkeypatch.setitem(helpers.FAKE_PEOPLE, "Karl Olsen", "miller")
    write_seed("mill.txt", MILL_SEED)
    with app.app_context():
        library.load_seeds(seeds_dir)


def expected(app: Flask, where: ColumnElement[bool] | None = None) -> list[dict[str, Any]]:
    """Return what the database holds for the quotations matching where, one lookup at a
    time (the slow, plain way), as the export's rows."""
    rows = []
    with app.app_context():
        query = select(Quote).order_by(Quote.article_id, Quote.number)
        quotes = db.session.scalars(query if where is None else query.where(where)).all()
        for quote in quotes:
            article = db.session.get(Article, quote.article_id)
            assert article is not None
            person = db.session.get(Person, quote.speaker_id) if quote.speaker_id else None
            role = db.session.scalar(
                select(ArticlePerson.role).where(
                    ArticlePerson.article_id == article.id,
                    ArticlePerson.person_id == quote.speaker_id,
                )
            )
            rows.append(
                {
                    "speaker": person.name if person else quote.speaker_label,
                    "speaker_slug": person.slug if person else None,
                    "role": role,
                    "quotation": quote.text,
                    "kind": quote.kind,
                    "cue": quote.cue,
                    "channel": quote.channel,
                    "article": article.title,
                    "article_slug": article.slug,
                    "quote_id": f"q{quote.number}",
                    "date": article.published.isoformat() if article.published else None,
                    "source_url": article.source_url,
                    "url": f"http://localhost/articles/{article.slug}#q{quote.number}",
                    "corrected": quote.corrected is not None,
                    "correction": quote.corrected,
                    "engine_speaker": quote.engine_speaker,
                }
            )
    return rows


def as_csv(row: dict[str, Any]) -> dict[str, str]:
    """Return a row as the CSV shows it: empty cells for None, true or false for a flag,
    formulas made text."""
    flags = {True: "true", False: "false"}
    cells = {k: flags[v] if isinstance(v, bool) else "" if v is None else v for k, v in row.items()}
    return {
        k: "'" + v if v[:1] in ("=", "+", "-", "@", "\t", "\r") else v for k, v in cells.items()
    }


def download(client: FlaskClient, url: str, **options: Any) -> tuple[TestResponse, str]:
    """Return the response to GET url and its whole body, the response closed after."""
    response = client.get(url, **options)
    try:
        return response, response.get_data(as_text=True)
    finally:
        response.close()


def parsed(fmt: str, text: str) -> list[dict[str, Any]]:
    """Parse a CSV body (checking its header) or a JSON Lines body into rows."""
    if fmt == "csv":
        reader = csv.DictReader(io.StringIO(text, newline=""))
        rows = list(reader)
        assert reader.fieldnames == HEADER
        return rows
    assert text == "" or text.endswith("\n")
    rows = [json.loads(line) for line in text.split("\n")[:-1]]
    assert all(list(row) == HEADER for row in rows)
    return rows


def in_format(fmt: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the expected rows as a format shows them."""
    return [as_csv(r) for r in rows] if fmt == "csv" else rows


@contextmanager
def counting_statements(app: Flask) -> Iterator[list[str]]:
    """Collect the SQL statements SQLAlchemy sends to the database inside the block."""
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", seen)


def quote_count(app: Flask) -> int:
    """Return how many quotations the library holds."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Quote)) or 0


# What comes out -------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_library_export_holds_every_quotation_as_stored(
    app: Flask, client: FlaskClient, corpus: list[str], fmt: str
) -> None:
    response, text = download(client, f"/quotations.{fmt}")
    assert response.status_code == 200
    rows = parsed(fmt, text)
    stored = expected(app)
    assert len(stored) == quote_count(app) > 40
    assert rows == in_format(fmt, stored)
    # The corpus has each kind of speaker: people, organisations, nobody named.
    assert {r["speaker_slug"] is not None for r in stored} == {True, False}
    assert any(r["speaker"] == "Environment Agency" for r in stored)
    assert any(r["speaker"] is None for r in stored)
    assert any(r["channel"] for r in stored) and any(r["role"] for r in stored)
    assert [r["article_slug"] for r in stored if r["quote_id"] == "q1"] == corpus


def test_csv_is_rfc_4180_and_jsonl_one_object_a_line(
    client: FlaskClient, corpus: list[str]
) -> None:
    _, text = download(client, "/quotations.csv")
    assert not text.startswith("\ufeff")
    assert text.startswith(",".join(HEADER) + "\r\n")
    records = list(csv.reader(io.StringIO(text, newline="")))
    assert text.count("\r\n") == len(records)  # no bare \n: every record ends in CRLF
    assert text.count("\n") == text.count("\r\n")
    _, lines = download(client, "/quotations.jsonl")
    assert lines.count("\n") == len(records) - 1  # one line per quotation, no header
    assert "’" in lines and "\\u2019" not in lines  # UTF-8 as it is, not escaped


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_article_export_holds_its_quotations_in_order(
    app: Flask, client: FlaskClient, corpus: list[str], fmt: str
) -> None:
    slug = corpus[1]
    _, text = download(client, f"/articles/{slug}/quotations.{fmt}")
    rows = parsed(fmt, text)
    with app.app_context():
        article_id = db.session.scalar(select(Article.id).where(Article.slug == slug))
    stored = expected(app, Quote.article_id == article_id)
    assert rows == in_format(fmt, stored)
    assert [r["quote_id"] for r in rows] == [f"q{n}" for n in range(1, len(rows) + 1)]
    assert {r["article_slug"] for r in rows} == {slug}


@pytest.mark.usefixtures("two_articles")
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_person_export_holds_their_quotations_in_every_article(
    app: Flask, client: FlaskClient, fmt: str
) -> None:
    _, text = download(client, f"/people/karl-olsen/quotations.{fmt}")
    rows = parsed(fmt, text)
    with app.app_context():
        karl = db.session.scalar(select(Person.id).where(Person.slug == "karl-olsen"))
    assert rows == in_format(fmt, expected(app, Quote.speaker_id == karl))
    empty = "" if fmt == "csv" else None
    assert [
        (r["speaker"], r["role"], r["article_slug"], r["channel"], r["date"], r["source_url"])
        for r in rows
    ] == [
        ("Karl Olsen", "opposition leader", "harbour-plan-approved", "Radio Nord", "2024-03-03",
         "https://example.com/harbour"),
        ("Karl Olsen", "miller", "old-mill-reopens", empty, "2024-05-01", empty),
    ]  # fmt: skip
    assert rows[0]["url"] == "http://localhost/articles/harbour-plan-approved#q2"


def test_a_person_never_quoted_and_an_empty_library_give_empty_exports(
    client: FlaskClient, harbour: str
) -> None:
    assert download(client, "/articles/old-mill-reopens/quotations.csv")[1].count("\r\n") == 2
    _, karl = download(client, "/people/karl-olsen/quotations.csv")
    assert karl.count("\r\n") == 3  # the header, then one in each article
    with client.application.app_context():
        db.session.execute(Quote.__table__.delete())
        db.session.commit()
    assert download(client, "/quotations.csv")[1] == ",".join(HEADER) + "\r\n"
    assert download(client, "/quotations.jsonl")[1] == ""
    assert download(client, "/people/anna-berg/quotations.jsonl")[1] == ""


def test_an_unsafe_source_url_is_left_out(app: Flask, client: FlaskClient, harbour: str) -> None:
    with app.app_context():  # stored before the loader checked links, say
        db.session.execute(update(Article).values(source_url="javascript:alert(1)"))
        db.session.commit()
    rows = parsed("jsonl", download(client, "/quotations.jsonl")[1])
    assert len(rows) == 5 and {r["source_url"] for r in rows} == {None}
    assert {r["source_url"] for r in parsed("csv", download(client, "/quotations.csv")[1])} == {""}


@pytest.mark.parametrize("fmt", FORMATS)
def test_corrected_quotations_say_so_with_the_engines_speaker(
    app: Flask, client: FlaskClient, harbour: str, fmt: str
) -> None:
    correct(app, harbour, '"We will build it this year,"', Speaker("person", "Karl Olsen"))
    correct(app, harbour, '"Nobody asked us,"', Speaker("organization", "=Harbour Trust"))
    correct(app, harbour, "the work would start in May", Speaker("person", "Anna Berg"))
    rows = parsed(fmt, download(client, f"/articles/{harbour}/quotations.{fmt}")[1])
    stored = expected(app, Quote.article_id == _article_id(app, harbour))
    assert rows == in_format(fmt, stored)
    got = [
        (r["quote_id"], r["speaker"], r["corrected"], r["correction"], r["engine_speaker"])
        for r in rows
    ]
    if fmt == "csv":  # flags as words, empty cells, the formula-like name made text
        assert got == [
            ("q1", "Karl Olsen", "true", "speaker", "Anna Berg"),
            ("q2", "Karl Olsen", "false", "", ""),
            ("q3", "'=Harbour Trust", "true", "speaker", ""),
            ("q4", "Anna Berg", "true", "added", ""),
            ("q5", "Anna Berg", "false", "", ""),
        ]
    else:
        assert got == [
            ("q1", "Karl Olsen", True, "speaker", "Anna Berg"),
            ("q2", "Karl Olsen", False, None, None),
            ("q3", "=Harbour Trust", True, "speaker", None),
            ("q4", "Anna Berg", True, "added", None),
            ("q5", "Anna Berg", False, None, None),
        ]
    # The library's and the corrected speaker's exports carry the same flags.
    library_rows = parsed(fmt, download(client, f"/quotations.{fmt}")[1])
    assert [r for r in library_rows if r["article_slug"] == harbour] == rows
    karl = parsed(fmt, download(client, f"/people/karl-olsen/quotations.{fmt}")[1])
    assert [(r["article_slug"], r["quote_id"], r["engine_speaker"]) for r in karl] == [
        (harbour, "q1", "Anna Berg"),
        (harbour, "q2", "" if fmt == "csv" else None),
        ("old-mill-reopens", "q1", "" if fmt == "csv" else None),
    ]


def _article_id(app: Flask, slug: str) -> int:
    """Return the id of the article of slug."""
    with app.app_context():
        found = db.session.scalar(select(Article.id).where(Article.slug == slug))
    assert found is not None
    return found


# Formulas -------------------------------------------------------------------------------


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_a_spreadsheet_would_run_gets_an_apostrophe(start: str) -> None:
    row = dict.fromkeys(HEADER, "plain")
    row["quotation"] = f'{start}HYPERLINK("https://evil.example","x")'
    row["speaker"] = None
    row["cue"] = "a=b, c-d"  # only the first character counts
    row["engine_speaker"] = f"{start}cmd|' /C calc'!A0"
    (read,) = csv.DictReader(io.StringIO("".join(export.csv_lines([row])), newline=""))
    assert read["quotation"] == "'" + row["quotation"]
    assert read["engine_speaker"] == "'" + row["engine_speaker"]
    assert (read["speaker"], read["cue"], read["role"]) == ("", "a=b, c-d", "plain")


def test_cells_with_quotes_commas_and_newlines_come_back_whole() -> None:
    row = dict.fromkeys(HEADER, "x")
    row["quotation"] = "\"We said, 'no',\" — and\r\nthen\nnothing. Ünïcödé 日本"
    text = "".join(export.csv_lines([row]))
    assert list(csv.DictReader(io.StringIO(text, newline=""))) == [row]
    assert [json.loads(line) for line in export.jsonl_lines([row])] == [row]


def test_a_formula_title_is_escaped_in_csv_and_kept_in_jsonl(
    client: FlaskClient, seeds_dir: Path, write_seed: WriteSeed, fake_engine: object, app: Flask
) -> None:
    title = "=2+3 harbour plan approved"
    write_seed("sum.txt", HARBOUR_SEED.replace("Harbour plan approved", title))
    with app.app_context():
        (result,) = library.load_seeds(seeds_dir).results
    csv_rows = parsed("csv", download(client, f"/articles/{result.slug}/quotations.csv")[1])
    json_rows = parsed("jsonl", download(client, f"/articles/{result.slug}/quotations.jsonl")[1])
    assert {r["article"] for r in csv_rows} == {"'" + title}
    assert {r["article"] for r in json_rows} == {title}


# Addresses and headers ------------------------------------------------------------------


@pytest.mark.usefixtures("harbour")
@pytest.mark.parametrize(
    "url",
    [
        "/articles/nope/quotations.csv",
        "/articles/nope/quotations.jsonl",
        "/people/nobody/quotations.csv",
        "/people/nobody/quotations.jsonl",
        "/articles/a%00b/quotations.csv",
        "/people/%00/quotations.jsonl",
        "/people/-karl-olsen/quotations.csv",
        "/people/" + "x" * 121 + "/quotations.csv",
        "/people/harbour-plan-approved/quotations.csv",  # an article's slug, not a person's
        "/articles/karl-olsen/quotations.csv",
        "/quotations.xml",
        "/articles/harbour-plan-approved/quotations.json",
        "/people/karl-olsen/quotations",
    ],
)
def test_unknown_or_malformed_addresses_are_the_site_404(client: FlaskClient, url: str) -> None:
    response, _ = download(client, url)
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "Content-Disposition" not in response.headers


@pytest.mark.usefixtures("harbour")
@pytest.mark.parametrize(
    ("url", "content_type", "filename"),
    [
        ("/quotations.csv", "text/csv; charset=utf-8", "voices-library-quotations.csv"),
        (
            "/quotations.jsonl",
            "application/x-ndjson; charset=utf-8",
            "voices-library-quotations.jsonl",
        ),
        (
            "/articles/harbour-plan-approved/quotations.csv",
            "text/csv; charset=utf-8",
            "voices-harbour-plan-approved-quotations.csv",
        ),
        (
            "/people/anna-berg/quotations.jsonl",
            "application/x-ndjson; charset=utf-8",
            "voices-anna-berg-quotations.jsonl",
        ),
    ],
)
def test_downloads_say_what_they_are_and_what_to_call_them(
    client: FlaskClient, url: str, content_type: str, filename: str
) -> None:
    response, _ = download(client, url, headers=GZIP)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == content_type
    assert response.headers["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    # Streamed as made: not compressed, not measured, not kept.
    assert "Content-Encoding" not in response.headers
    assert "Content-Length" not in response.headers
    assert "ETag" not in response.headers


def test_a_slug_in_another_script_is_named_for_every_client(
    app: Flask,
    client: FlaskClient,
    seeds_dir: Path,
    write_seed: WriteSeed,
    fake_engine: object,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(helpers.FAKE_PEOPLE, "Анна Берг", "мэр")
    write_seed("mill.txt", MILL_SEED.replace("Karl Olsen", "Анна Берг"))
    with app.app_context():
        library.load_seeds(seeds_dir)
    response, text = download(client, "/people/анна-берг/quotations.csv")
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="voices-quotations.csv"; '
        "filename*=UTF-8''voices-%D0%B0%D0%BD%D0%BD%D0%B0-%D0%B1%D0%B5%D1%80%D0%B3-quotations.csv"
    )
    (row,) = parsed("csv", text)
    assert (row["speaker"], row["speaker_slug"], row["role"]) == ("Анна Берг", "анна-берг", "мэр")


# Streaming ------------------------------------------------------------------------------


def test_rows_are_read_a_chunk_at_a_time_as_they_are_asked_for(
    app: Flask, corpus: list[str]
) -> None:
    with counting_statements(app) as statements, app.test_request_context():
        rows = export.quotation_rows(chunk_rows=5)
        assert statements == []  # nothing read before the first row is asked for
        first = [next(rows) for _ in range(5)]
        assert len(statements) == 1
        next(rows)
        assert len(statements) == 2
        rest = list(rows)
    total = quote_count(app)
    assert len(first) + 1 + len(rest) == total
    assert len(statements) == -(-total // 5) + (total % 5 == 0)  # a last, empty one if even
    assert all(s.lstrip().upper().startswith("SELECT") for s in statements)


@pytest.mark.parametrize("chunk", [1, 7, 500])
def test_a_download_makes_one_query_a_chunk_never_one_a_quotation(
    app: Flask,
    client: FlaskClient,
    corpus: list[str],
    chunk: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(export, "CHUNK_ROWS", chunk)
    total = quote_count(app)
    with counting_statements(app) as statements:
        _, text = download(client, "/quotations.jsonl")
    assert len(parsed("jsonl", text)) == total
    assert len(statements) == total // chunk + 1  # the last chunk is short (or empty)
    with counting_statements(app) as statements:
        _, text = download(client, f"/articles/{corpus[0]}/quotations.csv")
    rows = len(parsed("csv", text))
    assert len(statements) == 1 + rows // chunk + 1  # the article, then its chunks


def test_the_body_is_streamed_through_the_middleware_and_the_session_closed_after(
    app: Flask, client: FlaskClient, corpus: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export, "CHUNK_ROWS", 5)
    monkeypatch.setattr(export, "SEND_CHARS", 1)  # a block a row
    with app.app_context():
        pool = db.engine.pool
    assert pool.checkedout() == 0  # type: ignore[attr-defined]
    with counting_statements(app) as statements:
        response = client.get("/quotations.csv", headers=GZIP, buffered=False)
        blocks = iter(response.response)
        assert statements == []  # the view made no query: the rows come with the body
        header, first = next(blocks), next(blocks)
        assert header.startswith(b"speaker,") and len(statements) == 1
        assert pool.checkedout() == 1  # type: ignore[attr-defined]
        for _ in range(5):
            next(blocks)
        assert len(statements) == 2  # read while sent, not before
        response.close()  # the client goes away half way
    assert pool.checkedout() == 0  # type: ignore[attr-defined]
    assert first.decode().endswith("\r\n") and "Content-Encoding" not in response.headers
    _, text = download(client, "/quotations.csv", headers=GZIP)
    assert len(parsed("csv", text)) == quote_count(app)
    assert pool.checkedout() == 0  # type: ignore[attr-defined]


@pytest.mark.usefixtures("harbour")
def test_a_head_request_reads_no_quotation(app: Flask, client: FlaskClient) -> None:
    with counting_statements(app) as statements:
        response = client.head("/people/anna-berg/quotations.csv")
    assert response.status_code == 200 and response.get_data() == b""
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert len(statements) == 1  # the person, no quotation


def test_the_export_works_on_postgresql(
    make_app: Callable[..., Flask],
    postgres_url: str,
    write_seed: WriteSeed,
    fake_engine: object,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    write_seed("harbour.txt", HARBOUR_SEED)
    write_seed("mill.txt", MILL_SEED)
    app = make_app(SQLALCHEMY_DATABASE_URI=postgres_url)  # loads them on first start
    with app.app_context():
        assert db.engine.dialect.name == "postgresql"
    monkeypatch.setattr(export, "CHUNK_ROWS", 2)
    client = app.test_client()
    stored = expected(app)
    assert len(stored) == 5
    with counting_statements(app) as statements:
        _, text = download(client, "/quotations.jsonl")
    assert parsed("jsonl", text) == stored
    assert len(statements) == 3
    _, text = download(client, "/people/karl-olsen/quotations.csv")
    assert [(r["article_slug"], r["quote_id"]) for r in parsed("csv", text)] == [
        ("harbour-plan-approved", "q2"),
        ("old-mill-reopens", "q1"),
    ]
    with app.app_context():
        assert db.engine.pool.checkedout() == 0  # type: ignore[attr-defined]
