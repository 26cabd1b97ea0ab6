"""The pages through the test client: hooks, escaping, 404, headers, queries."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, request
from flask.testing import FlaskClient
from helpers import (
    HARBOUR_SEED,
    MILL_SEED,
    SEED_SLUG,
    Element,
    Page,
    Parse,
    WriteSeed,
    quotes_of,
)
from sqlalchemy import event, select, update

from webapp import library, publish, store, views
from webapp.analysis.result import Analysis, Span
from webapp.analysis.result import Person as FoundPerson
from webapp.analysis.result import Quote as FoundQuote
from webapp.models import Article, db

RASMUSSEN, SERDYUKOV, AZIMOV = "anders-fogh-rasmussen", "anatoly-serdyukov", "araz-azimov"


@pytest.fixture
def seed_page(make_app: Callable[..., Flask], real_seed: Path, parse: Parse) -> Page:
    """Start on the project's seed (first-start loading, real engine); parse its page."""
    response = make_app().test_client().get(f"/articles/{SEED_SLUG}")
    assert response.status_code == 200
    return parse(response.get_data(as_text=True))


def panel_people(page: Page) -> list[Element]:
    """Return the entries of the people panel."""
    panel = page.by_id("people")
    return panel.find_all(lambda e: "data-person" in e.attrs)


def group(page: Page, heading_id: str) -> list[str]:
    """Return the person slugs listed in the panel group with this heading."""
    section = next(
        e
        for e in page.by_id("people").find_all(lambda e: e.tag == "section")
        if e.attrs.get("aria-labelledby") == heading_id
    )
    return [e.attrs["data-person"] for e in section.find_all(lambda e: "data-person" in e.attrs)]


def test_index_lists_articles_with_counts(client: FlaskClient, harbour: str, parse: Parse) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    page = parse(response.get_data(as_text=True))
    items = page.all(lambda e: "data-article" in e.attrs)
    facts = [
        (
            i.attrs["data-article"],
            i.find_all(lambda e: e.tag == "a")[0].attrs["href"],
            i.find_all(lambda e: e.tag == "time")[0].attrs["datetime"],
            [c.text for c in i.find_all(lambda e: "data-count" in e.attrs)],
        )
        for i in items
    ]
    assert facts == [
        (
            "old-mill-reopens",
            "/articles/old-mill-reopens",
            "2024-05-01",
            ["1 speaker", "1 quotation"],
        ),
        (harbour, f"/articles/{harbour}", "2024-03-03", ["2 speakers", "4 quotations"]),
    ]


def test_index_shows_each_articles_first_paragraph(
    client: FlaskClient, harbour: str, parse: Parse
) -> None:
    page = parse(client.get("/").get_data(as_text=True))
    ledes = [e.text for e in page.all(lambda e: e.has_class("article-item-lede"))]
    assert ledes == [
        'The mill reopened on Saturday. "It is a good day," Karl Olsen said.',
        'The council approved the harbour plan on Tuesday. "We will build it this year,"'
        " Anna Berg said.",
    ]


def test_long_ledes_are_cut_at_a_word() -> None:
    text = "word " * 100
    assert publish.lede(text, [{"kind": "paragraph", "start": 0, "end": len(text)}], 220) == (
        ("word " * 44).strip() + " …"
    )
    assert publish.lede("T", [{"kind": "headline", "start": 0, "end": 1}]) == ""


def test_index_without_articles_says_how_to_load_them(client: FlaskClient, parse: Parse) -> None:
    page = parse(client.get("/").get_data(as_text=True))
    assert "load-seeds" in page.all(lambda e: e.has_class("empty"))[0].text


def test_reading_page_hooks(client: FlaskClient, harbour: str, parse: Parse) -> None:
    page = parse(client.get(f"/articles/{harbour}").get_data(as_text=True))
    marks = quotes_of(page)
    assert [m.attrs["data-quote"] for m in marks] == ["q1", "q2", "q3", "q4"]
    assert [m.attrs["data-speaker"] for m in marks] == ["anna-berg", "karl-olsen", "", "anna-berg"]
    assert [m.text_without("tip") for m in marks] == [
        '"We will build it this year,"',
        '"too expensive for a small town."',
        '"Nobody asked us,"',
        '"It will be worth the wait,"',
    ]
    assert [m.attrs["class"].split()[1] for m in marks] == [
        "speaker-1",
        "speaker-2",
        "speaker-none",
        "speaker-1",
    ]
    # The speaker is in the tooltip the mark points to: its description for screen readers.
    assert [page.by_id(m.attrs["aria-describedby"]).children[0].text for m in marks] == [
        "Anna Berg",
        "Karl Olsen",
        "Unattributed",
        "Anna Berg",
    ]
    for mark in marks:
        tip = page.by_id(mark.attrs["aria-describedby"])
        assert tip.attrs["role"] == "tooltip"
        assert mark.attrs["tabindex"] == "0"
    assert page.by_id("tip-q2").text == (
        "Karl Olsen, opposition leader, Partial quotation · said · via Radio Nord"
    )

    people = panel_people(page)
    assert [
        (
            p.attrs["data-person"],
            p.find_all(lambda e: e.has_class("person-name"))[0].text,
            p.find_all(lambda e: e.has_class("person-role"))[0].text,
            [c.text for c in p.find_all(lambda e: "data-count" in e.attrs)],
        )
        for p in people
    ] == [
        ("anna-berg", "Anna Berg", "Mayor", ["2 quotations", "3 mentions"]),
        ("karl-olsen", "Karl Olsen", "opposition leader", ["1 quotation", "1 mention"]),
    ]
    for person in people:
        (button,) = person.find_all(lambda e: e.tag == "button")
        assert button.attrs["aria-pressed"] == "false"
    assert group(page, "quoted-heading") == ["anna-berg", "karl-olsen"]
    assert group(page, "mentioned-heading") == []
    unattributed = page.all(lambda e: "data-quote-ref" in e.attrs)
    assert [(u.attrs["data-quote-ref"], u.children[0].attrs["href"]) for u in unattributed] == [
        ("q3", "#q3")
    ]

    link = page.by_id("source-link")
    assert link.attrs["href"] == "https://example.com/harbour"
    assert link.attrs["rel"] == "noopener noreferrer"
    assert [a.attrs["href"] for a in page.all(lambda e: e.has_class("read-original"))] == [
        "https://example.com/harbour"
    ]
    (time,) = page.all(lambda e: e.tag == "time")
    assert (time.attrs["datetime"], time.text) == ("2024-03-03", "March 3, 2024")
    assert page.by_id("headline").text == "Harbour plan approved"
    caption = page.all(lambda e: e.tag == "figcaption")[0]
    assert caption.find_all(lambda e: e.has_class("caption-text"))[0].text == (
        "Mayor Anna Berg at the harbour on Monday."
    )
    assert caption.find_all(lambda e: e.has_class("credit"))[0].text == "Photo: Jon Smith"
    mentions = page.all(lambda e: e.has_class("mention"))
    assert [(m.attrs["data-person"], m.text) for m in mentions] == [
        ("anna-berg", "Anna Berg"),
        ("anna-berg", "Anna Berg"),
        ("karl-olsen", "Karl Olsen"),
        ("anna-berg", "Berg"),
    ]
    legend = page.all(lambda e: e.has_class("legend-item"))
    assert [(e.attrs["class"].split()[1], e.text_without("swatch")) for e in legend] == [
        ("speaker-1", "Anna Berg"),
        ("speaker-2", "Karl Olsen"),
        ("speaker-none", "Unattributed"),
    ]  # mentions are plain text until a person is chosen: nothing to explain
    assert "min read" in page.all(lambda e: e.has_class("reading-time"))[0].text


def test_reading_page_landmarks_and_skip_link(
    client: FlaskClient, harbour: str, parse: Parse
) -> None:
    page = parse(client.get(f"/articles/{harbour}").get_data(as_text=True))
    landmarks = [e.tag for e in page.all(lambda e: e.tag in {"header", "main", "aside", "nav"})]
    assert landmarks[:3] == ["header", "nav", "main"]
    assert "aside" in landmarks
    skip = page.all(lambda e: e.has_class("skip-link"))[0]
    assert skip.attrs["href"] == "#content"
    assert page.by_id("content").tag == "main"
    assert page.by_id("people").tag == "aside"
    assert page.all(lambda e: e.tag == "html")[0].attrs["lang"] == "en"


def test_seed_page_shows_every_quotation_in_its_speakers_colour(seed_page: Page) -> None:
    marks = quotes_of(seed_page)
    assert [m.attrs["data-quote"] for m in marks] == [f"q{n}" for n in range(1, 12)]
    assert [m.attrs["data-speaker"] for m in marks] == [
        RASMUSSEN,
        SERDYUKOV,
        SERDYUKOV,
        RASMUSSEN,
        RASMUSSEN,
        SERDYUKOV,
        SERDYUKOV,
        SERDYUKOV,
        AZIMOV,
        AZIMOV,
        AZIMOV,
    ]
    colours = {m.attrs["data-speaker"]: m.attrs["class"].split()[1] for m in marks}
    assert colours == {RASMUSSEN: "speaker-1", SERDYUKOV: "speaker-2", AZIMOV: "speaker-3"}
    assert marks[1].text_without("tip") == '"doesn\'t suit us"'
    assert "via Interfax" in seed_page.by_id("tip-q2").text


def test_seed_page_panel_people_and_roles(seed_page: Page) -> None:
    facts = [
        (
            p.attrs["data-person"],
            p.find_all(lambda e: e.has_class("person-name"))[0].text,
            p.find_all(lambda e: e.has_class("person-role"))[0].text,
            p.find_all(lambda e: e.attrs.get("data-count") == "quotes")[0].text,
        )
        for p in panel_people(seed_page)
    ]
    assert facts == [
        (RASMUSSEN, "Anders Fogh Rasmussen", "NATO Secretary-General", "3 quotations"),
        (SERDYUKOV, "Anatoly Serdyukov", "Defense Minister", "5 quotations"),
        (AZIMOV, "Araz Azimov", "Azeri Deputy Foreign Minister", "3 quotations"),
    ]
    assert group(seed_page, "quoted-heading") == [RASMUSSEN, SERDYUKOV, AZIMOV]
    assert seed_page.all(lambda e: "data-quote-ref" in e.attrs) == []


def test_seed_page_header_caption_and_source(seed_page: Page) -> None:
    assert seed_page.by_id("headline").text == "NATO and Russia Clash Again on Missile Defense"
    (time,) = seed_page.all(lambda e: e.tag == "time")
    assert (time.attrs["datetime"], time.text) == ("2011-06-09", "June 9, 2011")
    link = seed_page.by_id("source-link")
    assert link.attrs["href"] == (
        "https://www.themoscowtimes.com/2011/06/09/nato-and-russia-clash-again-on-missile-defense-a7519"
    )
    assert link.attrs["rel"] == "noopener noreferrer"
    caption = seed_page.all(lambda e: e.tag == "figcaption")[0]
    assert caption.find_all(lambda e: e.has_class("caption-text"))[0].text_without("tip") == (
        "Anders Fogh Rasmussen welcoming Anatoly Serdyukov, left, in Brussels."
    )
    assert caption.find_all(lambda e: e.has_class("credit"))[0].text == "Photo: Francois Lenoir"
    body = seed_page.all(lambda e: e.has_class("article-body"))[0]
    paragraphs = [p.text_without("tip") for p in body.children]
    assert "Russia is now paying $10 million per year." in paragraphs[-3]
    assert any("It agreed to consider NATO's proposal" in p for p in paragraphs)
    assert "Francois Lenoir" not in [
        p.find_all(lambda e: e.has_class("person-name"))[0].text for p in panel_people(seed_page)
    ]


SCRIPT = "<script>alert('x')</script>"
PLANTED = f"""## Harbour {SCRIPT} plan

March 3, 2024

Mayor Anna Berg {SCRIPT} at the harbour. Jon Smith

The council met. "We will <b>build</b> it {SCRIPT}," Anna Berg said. <img src=x onerror=alert(1)>

## Original url:

javascript:alert(document.cookie)
"""


def test_planted_markup_is_shown_as_text_never_run(
    app: Flask,
    client: FlaskClient,
    seeds_dir: Path,
    write_seed: WriteSeed,
    fake_engine: object,
    parse: Parse,
) -> None:
    write_seed("planted.txt", PLANTED)
    with app.app_context():
        (result,) = library.load_seeds(seeds_dir).results
    assert result.status == "loaded"
    html = client.get(f"/articles/{result.slug}").get_data(as_text=True)
    page = parse(html)
    scripts = page.all(lambda e: e.tag == "script")
    assert [s.attrs["src"].split("?")[0] for s in scripts] == [
        "/static/theme.js",
        "/static/reader.js",
    ]
    assert all(s.text == "" for s in scripts)
    assert page.all(lambda e: e.tag in {"img", "b"}) == []
    assert page.by_id("headline").text == f"Harbour {SCRIPT} plan"
    assert SCRIPT in page.all(lambda e: e.has_class("caption-text"))[0].text
    (mark,) = quotes_of(page)
    assert mark.text_without("tip") == f'"We will <b>build</b> it {SCRIPT},"'
    assert "&lt;script&gt;" in html
    assert "javascript:" not in html
    assert page.all(lambda e: e.attrs.get("id") == "source-link") == []
    assert page.all(lambda e: e.has_class("read-original")) == []
    assert "<title>Harbour &lt;script&gt;" in html


def test_a_javascript_url_in_the_database_is_never_linked(
    app: Flask, client: FlaskClient, harbour: str, parse: Parse
) -> None:
    with app.app_context():
        db.session.execute(update(Article).values(source_url="javascript:alert(1)"))
        db.session.commit()
    html = client.get(f"/articles/{harbour}").get_data(as_text=True)
    assert "javascript:" not in html
    assert parse(html).all(lambda e: e.attrs.get("id") == "source-link") == []


def test_no_inline_script_or_style_anywhere(
    client: FlaskClient, harbour: str, parse: Parse
) -> None:
    for url in ("/", f"/articles/{harbour}", "/articles/nope"):
        page = parse(client.get(url).get_data(as_text=True))
        assert page.all(lambda e: e.tag == "style") == []
        assert page.all(lambda e: "style" in e.attrs) == []
        assert page.all(lambda e: any(a.startswith("on") for a in e.attrs)) == []
        assert all("src" in s.attrs for s in page.all(lambda e: e.tag == "script"))


def test_unknown_slug_is_a_404_page_in_the_site_layout(client: FlaskClient, parse: Parse) -> None:
    response = client.get("/articles/no-such-article")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    page = parse(response.get_data(as_text=True))
    assert page.all(lambda e: e.tag == "h1")[0].text == "There is no article here"
    assert page.all(lambda e: e.has_class("site-header"))
    assert page.by_id("content").tag == "main"
    assert [
        a.attrs["href"] for a in page.all(lambda e: e.tag == "a" and e.has_class("button"))
    ] == ["/"]
    assert client.get("/no/such/page").status_code == 404


@pytest.mark.parametrize(
    "url", ["/", "/articles/harbour-plan-approved", "/articles/nope", "/static/reader.css"]
)
def test_security_headers_on_every_response(client: FlaskClient, harbour: str, url: str) -> None:
    response = client.get(url)
    policy = response.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"  # never to other sites
    assert response.headers["X-Frame-Options"] == "DENY"
    response.close()


def test_article_page_supports_conditional_get(client: FlaskClient, harbour: str) -> None:
    first = client.get(f"/articles/{harbour}")
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "no-cache"
    again = client.get(f"/articles/{harbour}", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""


@contextmanager
def counting_queries(app: Flask) -> Iterator[list[str]]:
    """Collect the SQL statements run inside the block, as SQLite runs them: those made by
    SQLAlchemy and those run on the driver's cursor (the library's version)."""
    statements: list[str] = []

    def trace(statement: str) -> None:
        if statement.lstrip().split(" ", 1)[0].upper() in ("SELECT", "INSERT", "UPDATE", "DELETE"):
            statements.append(statement)

    def on_checkout(dbapi_connection: Any, *_: object) -> None:
        dbapi_connection.set_trace_callback(trace)

    def on_checkin(dbapi_connection: Any, *_: object) -> None:
        dbapi_connection.set_trace_callback(None)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "checkout", on_checkout)
    event.listen(engine, "checkin", on_checkin)
    try:
        yield statements
    finally:
        event.remove(engine, "checkout", on_checkout)
        event.remove(engine, "checkin", on_checkin)


VERSION_READ = "SELECT version FROM library_state WHERE id = 1"


def test_one_query_per_table_per_request(app: Flask, client: FlaskClient, harbour: str) -> None:
    with counting_queries(app) as statements:
        assert client.get(f"/articles/{harbour}").status_code == 200
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    # The library's version, then the article's row, its HTML, its people (joined), its
    # unattributed quotations.
    assert len(selects) == 5 and selects[0] == VERSION_READ, selects
    with counting_queries(app) as statements:
        assert client.get("/").status_code == 200
    # The version, the count, the page's rows, the people quoted in them.
    assert len(statements) == 4, statements


def test_requests_never_run_the_analysis(
    client: FlaskClient, harbour: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import webapp.analysis

    def forbidden(text: str) -> None:
        raise AssertionError("a request ran the analysis")

    monkeypatch.setattr(webapp.analysis, "analyze", forbidden)
    for url in ("/", f"/articles/{harbour}", f"/api/articles/{harbour}", "/api/articles"):
        assert client.get(url).status_code == 200


def test_static_files_are_served_with_a_version(
    client: FlaskClient, harbour: str, parse: Parse
) -> None:
    page = parse(client.get(f"/articles/{harbour}").get_data(as_text=True))
    urls = [
        e.attrs["href"]
        for e in page.all(lambda e: e.tag == "link" and e.attrs.get("rel") != "canonical")
    ]
    urls += [e.attrs["src"] for e in page.all(lambda e: e.tag == "script")]
    assert len(urls) == 4
    for url in urls:
        assert "?v=" in url
        response = client.get(url)
        assert response.status_code == 200, url
        response.close()


# Served from stored rows: no rendering, no analysis, no article text per request ------


def test_the_reading_page_serves_the_html_stored_at_load_time(
    app: Flask,
    client: FlaskClient,
    harbour: str,
    monkeypatch: pytest.MonkeyPatch,
    parse: Parse,
) -> None:
    import webapp.render

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("a request rendered or cleaned HTML")

    for module, name in [
        (webapp.render, "clean"),
        (webapp.render, "render_parts"),
        (webapp.render, "_render_part"),
        (publish, "render_parts"),
        (publish, "render_article"),
        (publish, "publish"),
        (store, "publish"),
        (library, "render_article"),
    ]:
        monkeypatch.setattr(module, name, forbidden)
    with app.app_context():
        article = db.session.execute(select(Article)).scalars().first()
        assert article is not None
        stored = db.session.execute(
            select(Article.html_parts).where(Article.slug == harbour)
        ).scalar_one()
        edited = [dict(part) for part in stored]
        edited[-1]["html"] = edited[-1]["html"].replace("worth the wait", "worth every minute")
        db.session.execute(
            update(Article).where(Article.slug == harbour).values(html_parts=edited, revision="x")
        )
        db.session.commit()
    page = parse(client.get(f"/articles/{harbour}").get_data(as_text=True))
    body = page.all(lambda e: e.has_class("article-body"))[0]
    assert body.children[-1].text_without("tip") == (
        'Berg said the work would start in May. "It will be worth every minute," she said.'
    )
    assert len(quotes_of(page)) == 4


def test_a_conditional_request_is_answered_from_the_article_row_alone(
    app: Flask, client: FlaskClient, harbour: str, seeds_dir: Path
) -> None:
    etag = client.get(f"/articles/{harbour}").headers["ETag"]
    with counting_queries(app) as statements:
        again = client.get(f"/articles/{harbour}", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert (again.headers["ETag"], again.headers["Cache-Control"]) == (etag, "no-cache")
    assert statements == [VERSION_READ]  # nothing changed: the kept response's 304
    # Another request for the unchanged article gets the same ETag; an edit changes it.
    assert client.get(f"/articles/{harbour}").headers["ETag"] == etag
    path = seeds_dir / "harbour.txt"
    path.write_text(path.read_text().replace("Tuesday", "Friday"), encoding="utf-8")
    with app.app_context():
        assert [r.status for r in library.load_seeds(seeds_dir).results] == ["updated", "unchanged"]
    changed = client.get(f"/articles/{harbour}", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag


def test_lists_never_read_the_article_text(app: Flask, client: FlaskClient, harbour: str) -> None:
    # The library's version, the count, then the page's rows (and, for the index's cards,
    # the people quoted in them).
    for url, queries in (("/", 4), ("/api/articles", 3), ("/people", 3), ("/feed.atom", 3)):
        with counting_queries(app) as statements:
            assert client.get(url).status_code == 200
        assert len(statements) == queries and statements[0] == VERSION_READ, statements
        for column in ("articles.text", "articles.source", "articles.html_parts"):
            for statement in statements:
                assert not re.search(rf"{re.escape(column)}\b(?!_)", statement), (url, column)


def test_static_files_are_cached_for_a_year_only_with_their_version(
    client: FlaskClient, parse: Parse
) -> None:
    page = parse(client.get("/").get_data(as_text=True))
    (css,) = [
        e.attrs["href"]
        for e in page.all(lambda e: e.tag == "link" and "stylesheet" in e.attrs.get("rel", ""))
    ]
    versioned = client.get(css)
    assert versioned.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    versioned.close()
    for url in ("/static/reader.css", "/static/reader.css?v=stale"):
        response = client.get(url)
        assert response.headers["Cache-Control"] == "no-cache", url
        response.close()


# Errors -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/articles/%00", "/articles/a%00b", "/articles/a%20b", "/articles/" + "x" * 121]
)
def test_slugs_that_cannot_exist_are_404_without_a_query(
    app: Flask, client: FlaskClient, url: str
) -> None:
    for path in (url, url.replace("/articles/", "/api/articles/")):
        with counting_queries(app) as statements:
            response = client.get(path)
        assert response.status_code == 404, path
        assert statements == [VERSION_READ], path  # never a query on the articles


def test_a_unicode_slug_is_served(
    app: Flask,
    client: FlaskClient,
    seeds_dir: Path,
    write_seed: WriteSeed,
    fake_engine: object,
    parse: Parse,
) -> None:
    write_seed("moscow.txt", "## Встреча в Москве\n\nВстреча прошла спокойно.\n")
    with app.app_context():
        (result,) = library.load_seeds(seeds_dir).results
    assert result.slug == "встреча-в-москве"
    page = parse(client.get("/").get_data(as_text=True))
    (link,) = [
        a.attrs["href"]
        for a in page.all(lambda e: e.tag == "a" and "/articles/" in e.attrs.get("href", ""))
    ]
    response = client.get(link)
    assert response.status_code == 200
    assert parse(response.get_data(as_text=True)).by_id("headline").text == "Встреча в Москве"


def test_an_unexpected_error_is_a_500_page_in_the_site_layout(
    make_app: Callable[..., Flask],
    seeds_dir: Path,
    write_seed: WriteSeed,
    fake_engine: object,
    monkeypatch: pytest.MonkeyPatch,
    parse: Parse,
) -> None:
    write_seed("harbour.txt", HARBOUR_SEED)
    app = make_app(PROPAGATE_EXCEPTIONS=False)  # as in production, not as in tests

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("database on fire")

    import webapp.api

    monkeypatch.setattr(views, "find_article", broken)
    monkeypatch.setattr(webapp.api, "find_article", broken)
    client = app.test_client()
    response = client.get("/articles/harbour-plan-approved")
    assert response.status_code == 500
    assert response.mimetype == "text/html"
    assert response.headers["Content-Security-Policy"]
    page = parse(response.get_data(as_text=True))
    assert page.all(lambda e: e.tag == "h1")[0].text == "Something went wrong on our side"
    assert page.all(lambda e: e.has_class("site-header"))
    assert "database on fire" not in response.get_data(as_text=True)
    api = client.get("/api/articles/harbour-plan-approved")
    assert (api.status_code, api.get_json()) == (
        500,
        {
            "error": {
                "code": "internal_server_error",
                "message": "The server failed to answer; the failure is logged.",
            }
        },
    )


# Hosts and proxies --------------------------------------------------------------------


def test_trusted_hosts_refuse_other_host_headers(make_app: Callable[..., Flask]) -> None:
    client = make_app(TRUSTED_HOSTS=["voices.example", ".example.org"]).test_client()
    assert client.get("/", headers={"Host": "voices.example"}).status_code == 200
    assert client.get("/", headers={"Host": "news.example.org:8000"}).status_code == 200
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400
    # A redirect is never built from an untrusted host.
    response = client.get("//evil.example/", headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert "Location" not in response.headers


def test_trusted_hosts_ignore_the_case_of_host_names(make_app: Callable[..., Flask]) -> None:
    """Host names are case-insensitive: "Voices.EXAMPLE" is the trusted voices.example."""
    client = make_app(TRUSTED_HOSTS=["voices.example", ".example.org"]).test_client()
    assert client.get("/", headers={"Host": "Voices.EXAMPLE"}).status_code == 200
    assert client.get("/", headers={"Host": "News.Example.Org:8000"}).status_code == 200
    assert client.get("/", headers={"Host": "EVIL.example"}).status_code == 400


def test_proxy_fix_takes_scheme_and_host_from_the_proxy(make_app: Callable[..., Flask]) -> None:
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "voices.example"}
    for proxies, expected in [(0, "http://localhost/"), (1, "https://voices.example/")]:
        app = make_app(PROXY_FIX=proxies)
        app.add_url_rule("/_where", "where", lambda: request.host_url)
        assert app.test_client().get("/_where", headers=forwarded).get_data(as_text=True) == (
            expected
        )


def test_the_permissions_policy_has_no_obsolete_features(client: FlaskClient) -> None:
    policy = client.get("/").headers["Permissions-Policy"]
    features = dict(item.strip().split("=", 1) for item in policy.split(","))
    assert features == {"camera": "()", "microphone": "()", "geolocation": "()"}


# Speakers past the palette, headline quotations -----------------------------------------

MANY_SPEAKERS = (
    "## Town meeting\n\n"
    + "\n\n".join(f'Speaker N{n:02d} said "point number {n}" today.' for n in range(1, 11))
    + '\n\n"Nobody listens," someone said.\n'
)


def many_speakers(text: str, **options: object) -> Analysis:
    """Find 'Speaker Nxx said "..."' as ten people, each quoted; the last quote is unnamed."""
    people, quotes = [], []
    for match in re.finditer(r'Speaker (N\d+) said ("[^"]+")', text):
        number = len(people) + 1
        people.append(
            FoundPerson(
                id=f"p{number}",
                name=f"Speaker {match.group(1)}",
                mentions=[Span(match.start(), match.start(1) + 3)],
            )
        )
        quotes.append(
            FoundQuote(
                f"q{number}", match.start(2), match.end(2), match.group(2), "direct", f"p{number}"
            )
        )
    last = text.index('"Nobody')
    quotes.append(FoundQuote("q99", last, last + 16, "", "direct"))
    return Analysis(people=people, quotes=quotes)


def test_speakers_beyond_the_eighth_are_grey_with_initials_not_unattributed(
    app: Flask,
    client: FlaskClient,
    seeds_dir: Path,
    write_seed: WriteSeed,
    monkeypatch: pytest.MonkeyPatch,
    parse: Parse,
) -> None:
    import webapp.analysis

    monkeypatch.setattr(webapp.analysis, "analyze", many_speakers)
    write_seed("meeting.txt", MANY_SPEAKERS)
    with app.app_context():
        library.load_seeds(seeds_dir)
    page = parse(client.get("/articles/town-meeting").get_data(as_text=True))
    marks = quotes_of(page)
    facts = [
        (
            m.attrs["class"].split()[1],
            m.find_all(lambda e: e.has_class("badge"))[0].attrs["data-badge"],
        )
        for m in marks
    ]
    assert facts == [
        *[(f"speaker-{n}", "SN") for n in range(1, 9)],
        ("speaker-extra", "SN"),
        ("speaker-extra", "SN"),
        ("speaker-none", "?"),
    ]
    assert [page.by_id(f"tip-{m.attrs['id']}").children[0].text for m in marks[8:]] == [
        "Speaker N09",
        "Speaker N10",
        "Unattributed",
    ]
    panel = [p.attrs["class"].split()[1] for p in panel_people(page)]
    assert panel == [*[f"speaker-{n}" for n in range(1, 9)], "speaker-extra", "speaker-extra"]
    legend = [e.attrs["class"].split()[1] for e in page.all(lambda e: e.has_class("legend-item"))]
    assert legend[8:] == ["speaker-extra", "speaker-extra", "speaker-none"]


def test_a_quotation_in_the_headline_keeps_the_headline_as_the_h1_name(
    app: Flask,
    client: FlaskClient,
    seeds_dir: Path,
    write_seed: WriteSeed,
    fake_engine: object,
    parse: Parse,
) -> None:
    title = 'Anna Berg: "We will build it this year"'
    write_seed("quoted.txt", HARBOUR_SEED.replace("Harbour plan approved", title))
    with app.app_context():
        (result,) = library.load_seeds(seeds_dir).results
    html = client.get(f"/articles/{result.slug}").get_data(as_text=True)
    page = parse(html)
    headline = page.by_id("headline")
    (mark,) = headline.find_all(lambda e: e.tag == "mark")
    assert mark.attrs["data-speaker"] == "anna-berg"
    # The heading's accessible name is the headline; who said it is its description.
    assert headline.text_without("tip", "badge") == title
    assert page.by_id(mark.attrs["aria-describedby"]).text.startswith("Anna Berg, Mayor")
    (document_title,) = page.all(lambda e: e.tag == "title")
    assert document_title.text == f"{title} · Voices"


# The article list in pages ------------------------------------------------------------


@pytest.fixture
def three_articles(
    app: Flask,
    seeds_dir: Path,
    write_seed: WriteSeed,
    fake_engine: object,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Three articles, two a page."""
    import webapp.paging

    monkeypatch.setattr(webapp.paging, "PAGE_SIZE", 2)
    write_seed("harbour.txt", HARBOUR_SEED)
    write_seed("mill.txt", MILL_SEED)
    write_seed("far.txt", MILL_SEED.replace("Old mill", "Far mill").replace("May 1", "May 2"))
    with app.app_context():
        library.load_seeds(seeds_dir)


@pytest.mark.usefixtures("three_articles")
def test_the_index_comes_in_pages(client: FlaskClient, parse: Parse) -> None:
    first = parse(client.get("/").get_data(as_text=True))
    listed = [e.attrs["data-article"] for e in first.all(lambda e: "data-article" in e.attrs)]
    assert listed == ["far-mill-reopens", "old-mill-reopens"]  # newest first
    (older,) = first.all(lambda e: e.tag == "a" and e.attrs.get("rel") == "next")
    assert older.attrs["href"] == "/?page=2"
    second = parse(client.get("/?page=2").get_data(as_text=True))
    listed = [e.attrs["data-article"] for e in second.all(lambda e: "data-article" in e.attrs)]
    assert listed == ["harbour-plan-approved"]
    (newer,) = second.all(lambda e: e.tag == "a" and e.attrs.get("rel") == "prev")
    assert newer.attrs["href"] == "/"
    for url in ("/?page=3", "/?page=0", "/?page=x", "/?page=-1"):
        assert client.get(url).status_code == 404, url


@pytest.mark.usefixtures("three_articles")
def test_the_api_list_comes_in_pages(client: FlaskClient) -> None:
    first = client.get("/api/articles").get_json()
    assert (first["page"], first["pages"], first["total"]) == (1, 2, 3)
    assert (first["next"], first["previous"]) == ("/api/articles?page=2", None)
    second = client.get(first["next"]).get_json()
    assert [a["slug"] for a in second["articles"]] == ["harbour-plan-approved"]
    assert (second["next"], second["previous"]) == (None, "/api/articles?page=1")
    assert client.get("/api/articles?page=9").get_json()["error"]["code"] == "not_found"


@pytest.mark.usefixtures("three_articles")
@pytest.mark.parametrize(
    ("url", "shows_harbour"),
    [("/", False), ("/?page=2", True), ("/api/articles", False), ("/api/articles?page=2", True)],
)
def test_lists_answer_conditional_requests(
    app: Flask, client: FlaskClient, seeds_dir: Path, url: str, shows_harbour: bool
) -> None:
    first = client.get(url)
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "no-cache"
    again = client.get(url, headers={"If-None-Match": etag})
    assert (again.status_code, again.get_data()) == (304, b"")
    assert client.get(url).headers["ETag"] == etag  # stable between requests
    (seeds_dir / "harbour.txt").write_text(
        HARBOUR_SEED.replace("Harbour plan approved", "Harbour plan agreed"), encoding="utf-8"
    )
    with app.app_context():
        library.load_seeds(seeds_dir)
    changed = client.get(url, headers={"If-None-Match": etag})
    if shows_harbour:  # the page shows the edited article: a new page, a new ETag
        assert changed.status_code == 200 and changed.headers["ETag"] != etag
    else:  # the first page (the newest two) is as it was
        assert changed.status_code == 304


def test_a_reading_page_is_rendered_once_per_revision(
    app: Flask,
    client: FlaskClient,
    harbour: str,
    seeds_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = f"/articles/{harbour}"
    first = client.get(url).get_data()
    with counting_queries(app) as statements:
        monkeypatch.setattr(views, "render_template", _forbidden)
        assert client.get(url).get_data() == first  # served from the worker's cache
    assert statements == [VERSION_READ]  # replayed: only the library's version is read
    monkeypatch.undo()
    (seeds_dir / "harbour.txt").write_text(
        HARBOUR_SEED.replace("Harbour plan approved", "Harbour plan agreed"), encoding="utf-8"
    )
    with app.app_context():
        library.load_seeds(seeds_dir)
    assert b"Harbour plan agreed" in client.get(url).get_data()  # a new revision: rendered


def _forbidden(*args: object, **kwargs: object) -> None:
    raise AssertionError("rendered a page that was rendered before")


# The library: cards, filters, people, the feed --------------------------------------------


def test_cards_show_the_people_quoted_and_the_filters_narrow_the_list(
    client: FlaskClient, harbour: str, parse: Parse
) -> None:
    page = parse(client.get("/").get_data(as_text=True))
    cards = page.all(lambda e: e.has_class("card"))
    assert len(cards) == 2
    harbour_card = next(c for c in cards if c.attrs.get("data-article") == harbour)
    chips = [e.text for e in harbour_card.find_all(lambda e: e.has_class("person-chip"))]
    assert chips == ["Anna Berg 2", "Karl Olsen 1"]
    link = harbour_card.find_all(lambda e: e.has_class("card-link"))[0]
    assert link.attrs["href"] == f"/articles/{harbour}"
    by_site = parse(client.get("/?site=example.com").get_data(as_text=True))
    assert [c.attrs["data-article"] for c in by_site.all(lambda e: e.has_class("card"))] == [
        harbour
    ]
    by_person = parse(client.get("/?person=karl-olsen").get_data(as_text=True))
    assert len(by_person.all(lambda e: e.has_class("card"))) == 2
    by_anna = parse(client.get("/?person=anna-berg").get_data(as_text=True))
    assert len(by_anna.all(lambda e: e.has_class("card"))) == 1
    for url in ("/?person=nobody", "/?person=No%20Slug", "/?site=nowhere.example"):
        assert client.get(url).status_code == 404, url


def test_people_page_and_person_page(client: FlaskClient, harbour: str, parse: Parse) -> None:
    people = parse(client.get("/people").get_data(as_text=True))
    names = [e.text for e in people.all(lambda e: e.has_class("card-link"))]
    assert names == ["Anna Berg", "Karl Olsen"]
    karl = parse(client.get("/people/karl-olsen").get_data(as_text=True))
    assert karl.all(lambda e: e.tag == "h1")[0].text == "Karl Olsen"
    links = [
        e.attrs["href"]
        for e in karl.all(lambda e: e.tag == "a" and "#q" in e.attrs.get("href", ""))
    ]
    assert links == ["/articles/old-mill-reopens#q1", f"/articles/{harbour}#q2"]
    assert [e.text for e in karl.all(lambda e: e.tag == "li" and e.parent.has_class("roles"))] == [
        "opposition leader (2 articles)"
    ]
    assert client.get("/people/nobody").status_code == 404
    assert client.get("/people/karl-olsen?page=2").status_code == 404


def test_the_article_panel_links_each_person_to_their_page(
    client: FlaskClient, harbour: str, parse: Parse
) -> None:
    page = parse(client.get(f"/articles/{harbour}").get_data(as_text=True))
    links = [e.attrs["href"] for e in page.all(lambda e: e.has_class("person-link"))]
    assert links == ["/people/anna-berg", "/people/karl-olsen"]


def test_the_atom_feed_lists_the_newest_articles(client: FlaskClient, harbour: str) -> None:
    import xml.etree.ElementTree as ET

    response = client.get("/feed.atom")
    assert response.mimetype == "application/atom+xml"
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.fromstring(response.get_data())
    entries = feed.findall(f"{atom}entry")
    assert [e.findtext(f"{atom}title") for e in entries] == [
        "Old mill reopens",
        "Harbour plan approved",
    ]
    assert entries[1].findtext(f"{atom}id") == f"http://localhost/articles/{harbour}"
    assert feed.findtext(f"{atom}updated")
    assert all(e.findtext(f"{atom}updated") for e in entries)


def test_the_feed_escapes_what_articles_say(
    client: FlaskClient, app: Flask, write_seed: WriteSeed, seeds_dir: Path
) -> None:
    import xml.etree.ElementTree as ET

    write_seed("x.txt", '## Tags <b>&</b> "quotes"\n\nBody with <script>x</script> & more.\n')
    with app.app_context():
        library.load_seeds(seeds_dir)
    feed = ET.fromstring(client.get("/feed.atom").get_data())
    title = feed.find("{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}title")
    assert title is not None and title.text == 'Tags <b>&</b> "quotes"'


def test_people_come_fifty_a_page_most_quoted_first(app: Flask, client: FlaskClient) -> None:
    from webapp.models import Person

    with app.app_context():
        db.session.add_all(
            Person(slug=f"person-{n:03d}", name=f"Person {n:03d}", quote_count=n, article_count=1)
            for n in range(1, 121)
        )
        db.session.add(Person(slug="never-quoted", name="Never Quoted", quote_count=0))
        db.session.commit()
    first = client.get("/api/people").get_json()
    assert (first["total"], first["pages"], len(first["people"])) == (120, 3, 50)
    assert [p["quotes"] for p in first["people"][:3]] == [120, 119, 118]
    last = client.get(first["next"].replace("page=2", "page=3")).get_json()
    assert [p["slug"] for p in last["people"]] == [f"person-{n:03d}" for n in range(20, 0, -1)]
    html = client.get("/people?page=3").get_data(as_text=True)
    assert "Person 001" in html and "Never Quoted" not in html and 'rel="prev"' in html
    assert client.get("/people?page=4").status_code == 404


def test_a_filtered_list_is_never_answered_with_the_whole_list(
    client: FlaskClient, harbour: str
) -> None:
    """Same rows, other heading: /?site= and /?person= have ETags of their own, so neither
    the kept pages nor the gzipped copies of / answer them."""
    gzip = {"Accept-Encoding": "gzip"}
    whole = client.get("/", headers=gzip)
    person = client.get("/?person=karl-olsen", headers=gzip)  # both articles: the same rows
    assert whole.headers["ETag"] != person.headers["ETag"]
    import gzip as gz

    assert "Articles quoting or naming Karl Olsen" in gz.decompress(person.get_data()).decode()
    assert (
        client.get(
            "/?person=karl-olsen", headers={"If-None-Match": whole.headers["ETag"]}
        ).status_code
        == 200
    )


# The person chosen in the panel, in the address (?speaker=) -------------------------------


def chosen_state(page: Page) -> dict[str, Any]:
    """Return what a page shows of the chosen person: the body's class, the quotations and
    mention pieces marked active, pressed buttons, the status and the clear link."""
    (body,) = page.all(lambda e: e.tag == "body")
    clear = page.by_id("clear-selection")
    return {
        "selected": body.has_class("has-selection"),
        "quotes": [
            m.attrs["data-quote"]
            for m in page.all(lambda e: e.tag == "mark" and e.has_class("is-active"))
        ],
        "mentions": sorted(
            {
                m.attrs["data-person"]
                for m in page.all(lambda e: e.has_class("mention"))
                if m.has_class("is-active")
            }
        ),
        "pressed": [
            e.attrs["data-person"]
            for e in panel_people(page)
            if e.find_all(lambda b: b.tag == "button")[0].attrs["aria-pressed"] == "true"
        ],
        "status": page.by_id("selection-status").text,
        "bar": page.by_id("selection-bar").has_class("is-active"),
        "clear": (clear.tag, clear.attrs["href"], "hidden" in clear.attrs),
    }


def test_the_chosen_person_is_rendered_from_the_address(
    client: FlaskClient, harbour: str, parse: Parse
) -> None:
    plain = chosen_state(parse(client.get(f"/articles/{harbour}").get_data(as_text=True)))
    assert plain == {
        "selected": False,
        "quotes": [],
        "mentions": [],
        "pressed": [],
        "status": "",
        "bar": False,
        "clear": ("a", f"/articles/{harbour}", True),
    }
    response = client.get(f"/articles/{harbour}?speaker=anna-berg")
    assert response.status_code == 200
    page = parse(response.get_data(as_text=True))
    assert chosen_state(page) == {
        "selected": True,
        "quotes": ["q1", "q4"],
        "mentions": ["anna-berg"],
        "pressed": ["anna-berg"],
        "status": "Anna Berg: 2 quotations and 3 mentions highlighted.",
        "bar": True,
        "clear": ("a", f"/articles/{harbour}", False),  # clears without JavaScript
    }
    # Every piece of Anna Berg's mentions is active, and nobody else's.
    mentions = page.all(lambda e: e.has_class("mention"))
    assert [(m.attrs["data-person"], m.has_class("is-active")) for m in mentions] == [
        ("anna-berg", True),
        ("anna-berg", True),
        ("karl-olsen", False),
        ("anna-berg", True),
    ]
    # Only the class changes: the words and hooks are the plain page's.
    assert [m.text_without("tip") for m in quotes_of(page)] == [
        m.text_without("tip")
        for m in quotes_of(parse(client.get(f"/articles/{harbour}").get_data(as_text=True)))
    ]
    karl = chosen_state(parse(client.get(f"/articles/{harbour}?speaker=karl-olsen").text))
    assert (karl["quotes"], karl["pressed"], karl["status"]) == (
        ["q2"],
        ["karl-olsen"],
        "Karl Olsen: 1 quotation and 1 mention highlighted.",
    )


@pytest.mark.parametrize(
    "query", ["?speaker=nobody-here", "?speaker=Anna%20Berg", "?speaker=", "?speaker=%3Cb%3E"]
)
def test_an_unknown_or_malformed_speaker_is_ignored(
    app: Flask, client: FlaskClient, harbour: str, parse: Parse, query: str
) -> None:
    plain = client.get(f"/articles/{harbour}")
    response = client.get(f"/articles/{harbour}{query}")
    assert response.status_code == 200  # a shared link still opens the article
    assert response.get_data() == plain.get_data()
    assert response.headers["ETag"] == plain.headers["ETag"]
    # Answered, but not kept: made again each time, so odd addresses push no page out.
    with counting_queries(app) as statements:
        assert client.get(f"/articles/{harbour}{query}").status_code == 200
    assert len(statements) > 1


def test_each_choice_has_its_own_etag_and_kept_page(
    app: Flask, client: FlaskClient, harbour: str
) -> None:
    urls = [f"/articles/{harbour}", f"/articles/{harbour}?speaker=anna-berg"]
    urls.append(f"/articles/{harbour}?speaker=karl-olsen")
    first = [client.get(url) for url in urls]
    etags = [r.headers["ETag"] for r in first]
    assert len(set(etags)) == 3
    for url, response, etag in zip(urls, first, etags, strict=True):
        assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
        with counting_queries(app) as statements:
            again = client.get(url)
        assert again.get_data() == response.get_data()
        assert statements == [VERSION_READ]  # replayed from the worker's memory
    # Another page's ETag is not this page's.
    assert client.get(urls[1], headers={"If-None-Match": etags[0]}).status_code == 200


def test_the_reading_page_says_once_that_attributions_are_automatic(
    client: FlaskClient, harbour: str, parse: Parse
) -> None:
    page = parse(client.get(f"/articles/{harbour}").get_data(as_text=True))
    notes = [
        e
        for e in page.all(lambda e: e.tag == "p")
        if "automatically" in e.text.lower() or "detected" in e.text.lower()
    ]
    assert [n.attrs.get("class") for n in notes] == ["auto-note"]
    # Other pages keep the site footer's note.
    index = parse(client.get("/").get_data(as_text=True))
    (footer,) = index.all(lambda e: e.has_class("site-footer"))
    assert "detected automatically" in footer.text


def test_the_highlighting_switch_is_a_switch_on_the_reading_page_only(
    client: FlaskClient, harbour: str, parse: Parse
) -> None:
    page = parse(client.get(f"/articles/{harbour}").get_data(as_text=True))
    switch = page.by_id("highlight-switch")
    assert (switch.tag, switch.attrs["role"], switch.attrs["aria-checked"], switch.text) == (
        "button",
        "switch",
        "true",
        "Highlighting",
    )
    index = parse(client.get("/").get_data(as_text=True))
    assert index.all(lambda e: e.attrs.get("id") == "highlight-switch") == []


# The reading tools: only those that work on a page -------------------------------------


def tools_of(page: Page) -> dict[str, Any]:
    """Return which reading tools a page has."""

    def present(element_id: str) -> bool:
        return bool(page.all(lambda e: e.attrs.get("id") == element_id))

    return {
        "size": [
            (b.text, b.attrs.get("aria-label"))
            for b in page.all(lambda e: "data-size-step" in e.attrs)
        ],
        "theme": present("theme-select"),
        "font": sorted(e.attrs["value"] for e in page.all(lambda e: e.attrs.get("name") == "font")),
        "width": sorted(
            e.attrs["value"] for e in page.all(lambda e: e.attrs.get("name") == "width")
        ),
        "switch": present("highlight-switch"),
        "help": present("help-button") and present("help"),
    }


SIZES = [("A−", "A− Smaller text"), ("A+", "A+ Larger text")]


def test_the_reading_page_has_every_tool_and_each_name_holds_its_label(
    client: FlaskClient, harbour: str, parse: Parse
) -> None:
    page = parse(client.get(f"/articles/{harbour}").get_data(as_text=True))
    assert tools_of(page) == {
        "size": SIZES,
        "theme": True,
        "font": ["sans", "serif"],
        "width": ["medium", "narrow", "wide"],
        "switch": True,
        "help": True,
    }
    for text, name in tools_of(page)["size"]:
        assert text in name  # the visible label is part of the accessible name
    (tools,) = page.all(lambda e: e.attrs.get("id") == "reader-tools")
    assert "hidden" not in tools.attrs  # shown by CSS from the first paint: no shift
    # Without script the panel's entries are disabled: they do nothing, nor look it.
    buttons = page.by_id("people").find_all(lambda e: e.has_class("person-button"))
    assert buttons and all("disabled" in b.attrs for b in buttons)


@pytest.mark.parametrize(
    ("path", "sized"),
    [
        ("/", True),
        ("/people/anna-berg", True),
        ("/search?q=harbour", True),
        ("/people", False),
        ("/add", False),
        ("/signin", False),
        ("/articles/no-such-article", False),
    ],
)
def test_other_pages_have_the_theme_and_text_size_only_where_text_grows(
    client: FlaskClient, harbour: str, parse: Parse, path: str, sized: bool
) -> None:
    page = parse(client.get(path).get_data(as_text=True))
    assert tools_of(page) == {
        "size": SIZES if sized else [],
        "theme": True,
        "font": [],
        "width": [],
        "switch": False,
        "help": False,  # no keyboard shortcuts here
    }


def shortcut_keys(page: Page) -> list[str]:
    """Return the keys the help dialog lists."""
    return [dt.text for dt in page.by_id("help").find_all(lambda e: e.tag == "dt")]


def test_the_help_lists_only_the_shortcuts_the_article_has(
    app: Flask,
    client: FlaskClient,
    seeds_dir: Path,
    write_seed: WriteSeed,
    fake_engine: object,
    parse: Parse,
) -> None:
    write_seed("harbour.txt", HARBOUR_SEED)
    write_seed("quiet.txt", "## A quiet day\n\nNothing happened in the town on Sunday.\n")
    with app.app_context():
        library.load_seeds(seeds_dir)
    full = parse(client.get("/articles/harbour-plan-approved").get_data(as_text=True))
    assert shortcut_keys(full) == ["j / k", "] / [", "v", "Esc", "?"]
    quiet = parse(client.get("/articles/a-quiet-day").get_data(as_text=True))
    assert shortcut_keys(quiet) == ["Esc", "?"]


def test_pages_describe_themselves_for_search_engines_and_links(
    client: FlaskClient, harbour: str, parse: Parse
) -> None:
    page = parse(client.get(f"/articles/{harbour}").get_data(as_text=True))
    metas = {
        e.attrs.get("name") or e.attrs.get("property"): e.attrs["content"]
        for e in page.all(lambda e: e.tag == "meta" and "content" in e.attrs)
    }
    assert metas["description"].startswith("The council approved the harbour plan")
    assert metas["og:title"] == "Harbour plan approved"
    assert metas["og:url"] == f"http://localhost/articles/{harbour}"
    (canonical,) = page.all(lambda e: e.tag == "link" and e.attrs.get("rel") == "canonical")
    assert canonical.attrs["href"] == f"http://localhost/articles/{harbour}"
    library = parse(client.get("/").get_data(as_text=True))
    (description,) = library.all(lambda e: e.tag == "meta" and e.attrs.get("name") == "description")
    assert "quotation" in description.attrs["content"]
