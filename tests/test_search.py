"""Full-text search: /search finds articles by headline, text and quotation, ranks and pages
them, highlights escaped snippets, refuses bad queries with a message (never a 500), and
its index follows every change, on SQLite (FTS5) and PostgreSQL, new and upgraded."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import flask_migrate
import pytest
from flask import Flask
from flask.testing import FlaskClient
from helpers import HARBOUR_SEED, MILL_SEED, Page, WriteSeed
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, event, inspect, select, text
from sqlalchemy.exc import OperationalError

from webapp import library, search
from webapp.models import Article, db

pytestmark = pytest.mark.usefixtures("fake_engine")

HARBOUR, MILL = "harbour-plan-approved", "old-mill-reopens"
ZEBRA_SEED = """## Zebra crossing opens

June 2, 2024

The zebra <script>alert(1)</script> crossing opened on Main Street & Rue Haute.

"Mind the <b>zebra</b> stripes," Anna Berg said.
"""


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Return a fresh database URL of each kind (PostgreSQL: a schema of its own)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'search.sqlite'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def library_app(make_app: Callable[..., Flask], write_seed: WriteSeed, database_url: str) -> Flask:
    """Return an app on each kind of database with the harbour and the mill loaded."""
    write_seed("harbour.txt", HARBOUR_SEED)
    write_seed("mill.txt", MILL_SEED)
    return make_app(SQLALCHEMY_DATABASE_URI=database_url)  # loads them at first start


def found(client: FlaskClient, query: str, **args: Any) -> list[str]:
    """Return the slugs /search lists for query, in order (the page must answer 200)."""
    response = client.get("/search", query_string={"q": query, **args})
    assert response.status_code == 200, response.get_data(as_text=True)
    page = Page(response.get_data(as_text=True))
    return [e.attrs["data-article"] for e in page.all(lambda e: e.has_class("search-hit"))]


def slugs(app: Flask, query: str, number: int = 1) -> list[str]:
    """Return the slugs search() finds for query, in order."""
    with app.app_context():
        return [hit.slug for hit in search.search(query, number).hits]


# Finding ----------------------------------------------------------------------------------


FINDS = [
    ("reopens", [MILL]),  # a word of a headline
    ("council", [HARBOUR]),  # of the text
    ("expensive", [HARBOUR]),  # of a quotation
    ('"worth the wait"', [HARBOUR]),  # a quotation, as an exact phrase
    ('"wait the worth"', []),
    ("Olsen", [MILL, HARBOUR]),  # the same weight in both: the newest first
    ("harb*", [HARBOUR]),  # a word's beginning
    ("HARBOUR Plan", [HARBOUR]),  # any case, every word
    ("harbour mill", []),
    ("mill OR council", [MILL, HARBOUR]),
    ("olsen -mill", [HARBOUR]),  # a word left out
    ("well-known", []),  # a hyphen inside a word leaves nothing out
]


def test_finds_articles_by_headline_text_and_quotation(library_app: Flask) -> None:
    client = library_app.test_client()  # one library for every case: each load costs
    assert [(query, found(client, query)) for query, _ in FINDS] == FINDS


def test_the_page_shows_a_labelled_form_the_count_and_linked_hits(library_app: Flask) -> None:
    response = library_app.test_client().get("/search?q=harbour")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    page = Page(response.get_data(as_text=True))
    (form,) = page.all(lambda e: e.tag == "form" and e.attrs.get("role") == "search")
    assert (form.attrs["method"], form.attrs["action"]) == ("get", "/search")
    (field,) = form.find_all(lambda e: e.tag == "input")
    assert (field.attrs["type"], field.attrs["name"], field.attrs["value"]) == (
        "search",
        "q",
        "harbour",
    )
    (label,) = form.find_all(lambda e: e.tag == "label")
    assert label.attrs["for"] == field.attrs["id"] and label.text
    assert page.by_id("search-count").text == "1 article found"
    (hit,) = page.all(lambda e: e.has_class("search-hit"))
    links = hit.find_all(lambda e: e.tag == "a")
    assert [(a.attrs["href"], a.text) for a in links] == [
        (f"/articles/{HARBOUR}", "Harbour plan approved")
    ]
    assert [t.attrs["datetime"] for t in hit.find_all(lambda e: e.tag == "time")] == ["2024-03-03"]
    (snippet,) = hit.find_all(lambda e: e.has_class("search-snippet"))
    assert {m.text.lower() for m in snippet.find_all(lambda e: e.tag == "mark")} == {"harbour"}


def test_a_blank_query_shows_the_form_only(client: FlaskClient, harbour: str) -> None:
    for url in ("/search", "/search?q=", "/search?q=+%09+"):
        response = client.get(url)
        assert response.status_code == 200
        page = Page(response.get_data(as_text=True))
        assert len(page.all(lambda e: e.attrs.get("role") == "search")) == 1
        assert page.all(lambda e: e.attrs.get("id") in {"search-count", "search-error"}) == []
        assert page.all(lambda e: e.has_class("search-hit")) == []


def test_no_results_is_a_friendly_message(library_app: Flask) -> None:
    response = library_app.test_client().get("/search?q=volcano")
    assert response.status_code == 200
    page = Page(response.get_data(as_text=True))
    assert page.by_id("search-count").text == "No articles found"
    (message,) = page.all(lambda e: e.has_class("empty"))
    assert "volcano" in message.text


def test_search_answers_in_two_queries_whatever_the_hits(library_app: Flask) -> None:
    with library_app.app_context():
        with counting(library_app) as statements:
            assert search.search("Olsen", 1).total == 2
        assert len(statements) == 2, statements  # the count, the page with its snippets
        with counting(library_app) as statements:
            assert search.search("volcano", 1).total == 0
        assert len(statements) == 1, statements  # nothing found: no page to read
        with counting(library_app) as statements:
            assert search.search("   ", 1).total == 0
        assert statements == []


@contextmanager
def counting(app: Flask) -> Iterator[list[str]]:
    """Collect the SQL statements run on app's engine inside the block."""
    statements: list[str] = []

    def on_execute(*args: Any) -> None:
        statements.append(args[2])

    engine = db.engine
    event.listen(engine, "before_cursor_execute", on_execute)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)


# Ranking and paging -------------------------------------------------------------------------


def test_results_are_ranked_then_newest_first_twenty_a_page(
    make_app: Callable[..., Flask], write_seed: WriteSeed, database_url: str
) -> None:
    # 24 alike reports, one a day, and one about lanterns above all.
    for day in range(1, 25):
        write_seed(
            f"report-{day:02}.txt",
            f"## Report {day}\n\nJanuary {day}, 2024\n\nThe lantern was lit in town {day}.\n",
        )
    write_seed(
        "festival.txt",
        "## Lantern festival\n\nJanuary 1, 2023\n\n"
        "Lantern after lantern: the lantern festival lit the lantern street.\n",
    )
    app = make_app(SQLALCHEMY_DATABASE_URI=database_url)
    client = app.test_client()
    reports = [f"report-{day}" for day in range(24, 0, -1)]
    assert found(client, "lantern") == ["lantern-festival", *reports[:19]]
    assert found(client, "lantern", page=2) == reports[19:]
    assert client.get("/search?q=lantern&page=3").status_code == 404
    assert client.get("/search?q=lantern&page=x").status_code == 404

    page = Page(client.get("/search?q=lantern&page=2").get_data(as_text=True))
    assert page.by_id("search-count").text == "25 articles found, page 2 of 2"
    (pager,) = page.all(lambda e: e.has_class("pager"))
    links = {a.attrs["rel"]: a.attrs["href"] for a in pager.find_all(lambda e: e.tag == "a")}
    assert list(links) == ["prev"]
    assert parse_qs(urlsplit(links["prev"]).query) == {"q": ["lantern"]}  # page 1: no page=
    (hits,) = page.all(lambda e: e.has_class("search-hits"))
    assert hits.attrs["start"] == "21"
    first = Page(client.get("/search?q=lantern").get_data(as_text=True))
    (pager,) = first.all(lambda e: e.has_class("pager"))
    (more,) = pager.find_all(lambda e: e.attrs.get("rel") == "next")
    assert parse_qs(urlsplit(more.attrs["href"]).query) == {"q": ["lantern"], "page": ["2"]}

    with app.app_context():
        second = search.search("lantern", 2)
        assert (second.total, second.number, second.pages, second.previous, second.next) == (
            25,
            2,
            2,
            1,
            None,
        )


def test_past_the_ranking_limit_results_come_latest_added_first(
    make_app: Callable[..., Flask],
    write_seed: WriteSeed,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for day in range(1, 6):
        write_seed(f"report-{day:02}.txt", f"## Report {day}\n\nThe lantern was lit in town.\n")
    app = make_app(SQLALCHEMY_DATABASE_URI=database_url)
    client = app.test_client()
    ranked = Page(client.get("/search?q=lantern").get_data(as_text=True))
    assert not ranked.all(lambda e: e.attrs.get("id") == "search-order")
    monkeypatch.setattr(search, "RANKED_LIMIT", 3)  # five matches: past it
    assert found(client, "lantern") == [f"report-{day}" for day in range(5, 0, -1)]
    page = Page(client.get("/search?q=lantern").get_data(as_text=True))
    assert "latest added first" in page.by_id("search-order").text
    with app.app_context():
        assert not search.search("lantern").ranked
        assert search.search("lantern town").total == 5


def test_a_search_page_is_plain_data(library_app: Flask) -> None:
    with library_app.app_context():
        page = search.search("expensive", 1)
    data = json.loads(json.dumps(dataclasses.asdict(page), default=str))
    assert {k: data[k] for k in ("query", "total", "number", "pages", "previous", "next")} == {
        "query": "expensive",
        "total": 1,
        "number": 1,
        "pages": 1,
        "previous": None,
        "next": None,
    }
    (hit,) = data["hits"]
    assert (hit["slug"], hit["title"], hit["published"]) == (
        HARBOUR,
        "Harbour plan approved",
        "2024-03-03",
    )
    assert "<mark>expensive</mark>" in hit["snippet_html"]
    assert "too expensive for a small town" in hit["snippet_text"]
    assert "<" not in hit["snippet_text"] and search.OPEN not in hit["snippet_text"]


# Snippets ---------------------------------------------------------------------------------


def test_snippets_escape_the_article_and_mark_the_words(
    make_app: Callable[..., Flask], write_seed: WriteSeed, database_url: str
) -> None:
    write_seed("zebra.txt", ZEBRA_SEED)
    app = make_app(SQLALCHEMY_DATABASE_URI=database_url)
    html = app.test_client().get("/search?q=zebra").get_data(as_text=True)
    page = Page(html)
    (snippet,) = page.all(lambda e: e.has_class("search-snippet"))
    assert [e.tag for e in snippet.find_all(lambda e: True)] == ["mark"] * len(snippet.children)
    assert {m.text.lower() for m in snippet.children} == {"zebra"}
    assert len(snippet.children) >= 2
    scripts = page.all(lambda e: e.tag == "script")
    assert all(s.text == "" for s in scripts) and len(scripts) == 2  # theme.js, reader.js
    assert "alert(1)</script>" not in html and "<b>" not in html
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # FTS5 gives the text as stored: escaped here. (ts_headline leaves tags out.)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "Main Street &amp; Rue Haute" in html


def test_snippet_html_escapes_first_and_keeps_only_marks() -> None:
    o, c = search.OPEN, search.CLOSE
    assert search.snippet_html(f'a <b onclick="x">{o}x{c}</b> & "y"') == (
        'a &lt;b onclick="x"&gt;<mark>x</mark>&lt;/b&gt; &amp; "y"'
    )
    # A stray marker in the article's own text cannot unbalance the page.
    assert search.snippet_html(f"{o}a{c} b {c}c{o}") == "<mark>a</mark> b c<mark></mark>"
    assert search.snippet_text(f"{o}a{c}\n\n b") == "a b"
    assert search.snippet_html(None) == "" and search.snippet_text(None) == ""


# Bad queries -------------------------------------------------------------------------------

ATTEMPTS = [
    "'); DROP TABLE articles; --",
    '" OR 1=1',
    "title:*",
    "NEAR(",
    "NEAR(harbour mill, 2)",
    '"unbalanced',
    'harbour "',
    "*",
    "-",
    "--",
    "AND OR NOT",
    "OR",
    "harbour OR",
    "^harbour",
    "text:harbour",
    "{title text}: mill",
    "harbour AND NOT",
    "a\\'b",
    "'harbour':* & !mill",
    "harbour\x00mill",
    "\ue000harbour\ue001",
    "💥 ∗ ⁂",
    "_",
]


def test_no_query_is_a_server_error_or_reaches_the_sql(library_app: Flask) -> None:
    client = library_app.test_client()
    for query in ATTEMPTS:
        response = client.get("/search", query_string={"q": query})
        assert response.status_code in (200, 400), (query, response.get_data(as_text=True))
        if response.status_code == 400:
            alert = Page(response.get_data(as_text=True)).by_id("search-error")
            assert alert.attrs["role"] == "alert" and alert.text, query
    with library_app.app_context():
        assert sorted(db.session.execute(select(Article.slug)).scalars()) == [HARBOUR, MILL]
    assert found(client, "harbour") == [HARBOUR]


REFUSED = [
    ("*", "Type a word to look for"),
    ("- * ()", "Type a word to look for"),
    ("-harbour", "cannot only leave words out"),
    ("x" * 201, "at most 200 characters"),
]


def test_a_query_that_cannot_be_searched_is_a_400_with_a_message(library_app: Flask) -> None:
    client = library_app.test_client()
    for query, message in REFUSED:
        response = client.get("/search", query_string={"q": query})
        assert response.status_code == 400, query
        page = Page(response.get_data(as_text=True))
        alert = page.by_id("search-error")
        assert alert.attrs["role"] == "alert" and message in alert.text, query
        assert page.all(lambda e: e.has_class("search-hit")) == []
        # The form is shown again with what was typed, to correct it.
        (field,) = page.all(lambda e: e.tag == "input" and e.attrs.get("name") == "q")
        assert field.attrs["value"] == query


def test_a_query_of_200_characters_is_searched(client: FlaskClient, harbour: str) -> None:
    assert found(client, ("harbour " * 25)[:200]) == [HARBOUR]


def test_what_fts5_still_rejects_is_a_readable_400(
    client: FlaskClient, harbour: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "fts5_query", lambda groups: "NEAR(")
    response = client.get("/search?q=harbour")
    assert response.status_code == 400
    alert = Page(response.get_data(as_text=True)).by_id("search-error")
    assert alert.text == "This search could not be understood: try plain words."
    assert found(client, "") == []  # the session is usable again


def test_a_failing_database_is_not_the_readers_fault(
    app: Flask, client: FlaskClient, harbour: str
) -> None:
    with app.app_context(), db.engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE articles_fts")
    # Not turned into a message about the query: on to the error pages (raised in tests).
    with pytest.raises(OperationalError, match="no such table"):
        client.get("/search?q=harbour")


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(query=st.text(alphabet=st.sampled_from("ab é_-*\"():^+{}.OR NEAR'\\\x00"), max_size=40))
def test_any_query_gives_results_or_a_search_error(app: Flask, harbour: str, query: str) -> None:
    with app.app_context():
        try:
            search.search(query, 1)
        except search.SearchError as error:
            assert str(error)


def test_queries_become_quoted_words_only() -> None:
    groups = search.parse('harb* "Good  day" -mill well-known OR x"y')
    assert search.fts5_query(groups) == (
        '("harb"* "Good day" "well" "known" NOT "mill") OR ("x" "y")'
    )
    assert search.tsquery(groups) == (
        "(('harb':*) & ('Good' <-> 'day') & ('well') & ('known') & !('mill')) | (('x') & ('y'))"
    )
    assert search.fts5_query(search.parse("'); DROP TABLE articles; --")) == (
        '("DROP" "TABLE" "articles")'
    )
    assert search.fts5_query(search.parse("NEAR(a b) title:*")) == '("NEAR" "a" "b" "title")'


# The index follows the library --------------------------------------------------------------


def test_the_index_follows_updates_and_deletes(
    library_app: Flask, seeds_dir: Path, write_seed: WriteSeed
) -> None:
    write_seed("harbour.txt", HARBOUR_SEED.replace("council", "assembly"))
    with library_app.app_context():
        statuses = {r.name: r.status for r in library.load_seeds(seeds_dir).results}
        assert statuses == {"harbour.txt": "updated", "mill.txt": "unchanged"}
    assert slugs(library_app, "assembly") == [HARBOUR]
    assert slugs(library_app, "council") == []
    assert slugs(library_app, "Olsen") == [MILL, HARBOUR]

    with library_app.app_context():  # through the ORM
        db.session.delete(db.session.execute(select(Article).filter_by(slug=MILL)).scalar_one())
        db.session.commit()
    assert slugs(library_app, "Olsen") == [HARBOUR]
    assert slugs(library_app, "reopens") == []

    with library_app.app_context():  # in SQL
        db.session.execute(delete(Article).where(Article.slug == HARBOUR))
        db.session.commit()
    assert slugs(library_app, "Olsen") == []

    write_seed("mill.txt", MILL_SEED)  # loaded again: found again
    with library_app.app_context():
        library.load_seeds(seeds_dir)
    assert slugs(library_app, "Olsen") == [MILL, HARBOUR]


def test_init_db_drop_makes_the_index_again(
    app: Flask, seeds_dir: Path, write_seed: WriteSeed
) -> None:
    write_seed("mill.txt", MILL_SEED)
    with app.app_context():
        library.load_seeds(seeds_dir)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["init-db", "--drop"])
    assert result.exit_code == 0, result.output
    assert slugs(app, "mill") == []  # the index was emptied with the table
    with app.app_context():
        library.load_seeds(seeds_dir)
    assert slugs(app, "mill") == [MILL]


# Migration ----------------------------------------------------------------------------------


def indexed(app: Flask) -> bool:
    """Return whether the database has the search index (either kind)."""
    with app.app_context():
        inspector = inspect(db.engine)
        if db.engine.dialect.name == "sqlite":
            return search.FTS_TABLE in inspector.get_table_names()
        return search.VECTOR_COLUMN in {c["name"] for c in inspector.get_columns("articles")}


def test_revision_0004_makes_the_stored_articles_searchable(
    make_app: Callable[..., Flask], write_seed: WriteSeed, database_url: str
) -> None:
    write_seed("harbour.txt", HARBOUR_SEED)
    write_seed("mill.txt", MILL_SEED)
    app = make_app(SQLALCHEMY_DATABASE_URI=database_url)
    assert indexed(app)
    with app.app_context():
        db.session.remove()
        flask_migrate.downgrade(revision="0003")  # what the previous version made
        assert db.session.execute(text("SELECT version_num FROM alembic_version")).scalar() == (
            "0003"
        )
        db.session.remove()
        db.engine.dispose()
    assert not indexed(app)

    upgraded = make_app(SQLALCHEMY_DATABASE_URI=database_url)  # the server starts again
    assert indexed(upgraded)
    assert slugs(upgraded, "Olsen") == [MILL, HARBOUR]  # the rows already there
    assert found(upgraded.test_client(), "expensive") == [HARBOUR]
    with upgraded.app_context():  # and the triggers keep it in step from now on
        db.session.execute(delete(Article).where(Article.slug == MILL))
        db.session.commit()
    assert slugs(upgraded, "Olsen") == [HARBOUR]
