"""Kept responses: replayed byte for byte while the library is unchanged, never after a
change (by this process or another), never to another host or to a signed-in reader."""

from __future__ import annotations

import gzip
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask, Response
from flask.testing import FlaskClient
from helpers import HARBOUR_SEED, MILL_SEED
from sqlalchemy import insert, update

from webapp import library, views
from webapp.db import init_db
from webapp.models import Article, db
from webapp.pagecache import library_version, replayable

GZIP = {"Accept-Encoding": "gzip"}
PAGES = ["/", "/?page=1", "/articles/harbour-plan-approved", "/api/articles"]


def version(app: Flask) -> int | None:
    """Return the library's version as stored."""
    with app.app_context():
        return library_version(db.engine)


def render_forbidden(*args: object, **kwargs: object) -> str:
    raise AssertionError("a kept page was rendered again")


def test_a_new_database_starts_at_a_random_version(
    make_app: Callable[..., Flask], tmp_path: Path
) -> None:
    starts = {
        version(make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / f'{n}.sqlite'}"))
        for n in range(3)
    }
    assert None not in starts and len(starts) == 3


@pytest.mark.usefixtures("fake_engine")
def test_every_change_to_an_article_bumps_the_version_once_committed(
    app: Flask, seeds_dir: Path, write_seed: Callable[[str, str], Path]
) -> None:
    write_seed("harbour.txt", HARBOUR_SEED)
    with app.app_context():
        library.load_seeds(seeds_dir)
        loaded = version(app)
        assert loaded is not None and loaded > 0
        library.load_seeds(seeds_dir)  # nothing changed: nothing to invalidate
        assert version(app) == loaded
        write_seed("harbour.txt", HARBOUR_SEED.replace("Tuesday", "Friday"))
        library.load_seeds(seeds_dir)
        updated = version(app)
        assert updated is not None and updated > loaded
        # A bulk UPDATE statement on articles counts too; rolled back, so does the bump.
        db.session.execute(update(Article).values(quote_count=99))
        assert version(app) == updated  # not committed yet: other processes see the old
        db.session.rollback()
        assert version(app) == updated
        library.reanalyze()  # every article is stored again
        reanalysed = version(app)
        assert reanalysed is not None and reanalysed > updated
        (seeds_dir / "harbour.txt").unlink()
        library.prune_seeds(seeds_dir)  # a DELETE statement
        pruned = version(app)
        assert pruned is not None and pruned > reanalysed


@pytest.mark.usefixtures("harbour")
@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("headers", [{}, GZIP], ids=["plain", "gzip"])
def test_a_replayed_response_is_the_one_flask_made(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch, url: str, headers: dict[str, str]
) -> None:
    made = client.get(url, headers=headers)
    monkeypatch.setattr(views, "render_template", render_forbidden)
    replayed = client.get(url, headers=headers)
    assert replayed.status == made.status == "200 OK"
    assert replayed.get_data() == made.get_data()
    assert sorted(replayed.headers.items()) == sorted(made.headers.items())
    if headers:
        assert replayed.headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(replayed.get_data())
    else:
        assert "Content-Encoding" not in replayed.headers


@pytest.mark.usefixtures("harbour")
@pytest.mark.parametrize("url", PAGES)
def test_a_kept_response_answers_its_conditional_request(client: FlaskClient, url: str) -> None:
    made = client.get(url, headers=GZIP)
    assert client.get(url, headers=GZIP).status_code == 200  # now kept
    again = client.get(url, headers={**GZIP, "If-None-Match": made.headers["ETag"]})
    assert (again.status_code, again.get_data()) == (304, b"")
    assert again.headers["ETag"] == made.headers["ETag"]
    assert again.headers["Content-Security-Policy"] == made.headers["Content-Security-Policy"]
    assert "Content-Length" not in again.headers and "Content-Encoding" not in again.headers
    other = client.get(url, headers={**GZIP, "If-None-Match": '"something-else"'})
    assert other.status_code == 200


@pytest.mark.usefixtures("fake_engine")
def test_a_change_made_by_another_process_is_seen_by_the_next_request(
    app: Flask, client: FlaskClient, seeds_dir: Path, write_seed: Callable[[str, str], Path]
) -> None:
    write_seed("harbour.txt", HARBOUR_SEED)
    with app.app_context():
        library.load_seeds(seeds_dir)
        database = db.engine.url.database
    url = "/articles/harbour-plan-approved"
    assert b"Tuesday" in client.get(url).get_data()
    assert b"Tuesday" in client.get(url).get_data()  # kept
    # Another process (a second app on the same file, as `flask load-seeds` would be).
    write_seed("harbour.txt", HARBOUR_SEED.replace("Tuesday", "Friday"))
    with app.app_context():
        library.load_seeds(seeds_dir)
    page = client.get(url).get_data()
    assert b"Friday" in page and b"Tuesday" not in page
    # Even a bare SQL write by another program invalidates, once it bumps the version.
    with sqlite3.connect(str(database)) as other:
        other.execute("UPDATE articles SET title = 'Harbour plan shelved'")
        other.execute("UPDATE library_state SET version = version + 1")
    assert b"Harbour plan shelved" in client.get("/").get_data()


@pytest.mark.usefixtures("harbour")
def test_requests_with_cookies_are_never_replayed(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    client.get("/")
    client.get("/")  # kept
    calls: list[str] = []
    real = views.render_template
    monkeypatch.setattr(
        views, "render_template", lambda name, **c: calls.append(name) or real(name, **c)
    )
    client.set_cookie("session", "anything")
    assert client.get("/").status_code == 200
    assert calls == ["index.html"]  # made by the view, not replayed


@pytest.mark.usefixtures("fake_engine")
def test_a_kept_response_is_never_sent_to_another_host(
    make_app: Callable[..., Flask], seeds_dir: Path, write_seed: Callable[[str, str], Path]
) -> None:
    write_seed("harbour.txt", HARBOUR_SEED)
    app = make_app(TRUSTED_HOSTS=["voices.example"])
    client = app.test_client()
    for _ in range(2):
        assert client.get("/", base_url="http://voices.example").status_code == 200
    assert client.get("/", base_url="http://evil.example").status_code == 400


@pytest.mark.usefixtures("harbour")
def test_errors_and_other_methods_are_not_kept(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert client.get("/articles/no-such-article").status_code == 404
    assert client.get("/articles/no-such-article").status_code == 404
    assert client.head("/").status_code == 200
    assert client.head("/").get_data() == b""
    assert client.post("/").status_code == 405


@pytest.mark.usefixtures("fake_engine")
def test_one_transaction_bumps_the_version_once_and_a_rollback_undoes_it(
    app: Flask, seeds_dir: Path, write_seed: Callable[[str, str], Path]
) -> None:
    write_seed("harbour.txt", HARBOUR_SEED)
    with app.app_context():
        library.load_seeds(seeds_dir)
        before = version(app)
        assert before is not None
        for count in (1, 2):
            db.session.execute(update(Article).values(quote_count=count))
            db.session.flush()
        db.session.commit()
        assert version(app) == before + 1  # two changes, one transaction: one bump
        savepoint = db.session.begin_nested()
        db.session.execute(update(Article).values(quote_count=5))
        savepoint.rollback()  # the savepoint, and its bump, are undone
        db.session.execute(update(Article).values(quote_count=6))
        db.session.commit()
        assert version(app) == before + 2


# What a kept page must never do ---------------------------------------------------------


@pytest.mark.usefixtures("harbour")
def test_an_unreadable_database_leaves_the_app_to_answer(app: Flask, client: FlaskClient) -> None:
    client.get("/")  # a page kept
    with app.app_context():
        database = Path(str(db.engine.url.database))
        db.engine.dispose()
    database.write_bytes(b"not a database" * 1000)
    for suffix in ("-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    health = client.get("/healthz")
    assert health.status_code == 503 and health.get_json()["database"] == "unavailable"
    static = client.get("/static/reader.css")
    assert static.status_code == 200
    static.close()
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as when serving: the error page
    assert client.get("/").status_code == 500  # never the kept page


@pytest.mark.usefixtures("fake_engine")
def test_a_database_made_again_never_gets_pages_kept_for_the_old_one(
    app: Flask, client: FlaskClient, seeds_dir: Path, write_seed: Callable[[str, str], Path]
) -> None:
    write_seed("harbour.txt", HARBOUR_SEED)
    with app.app_context():
        library.load_seeds(seeds_dir)
        first = version(app)
    for _ in range(2):  # made, then kept
        assert client.get("/api/articles").get_json()["total"] == 1
    (seeds_dir / "harbour.txt").unlink()
    write_seed("mill.txt", MILL_SEED)
    with app.app_context():
        init_db(drop=True)
        library.load_seeds(seeds_dir)  # as many changes as before: the same count of bumps
        assert version(app) != first  # numbering starts anew at random
    slugs = [a["slug"] for a in client.get("/api/articles").get_json()["articles"]]
    assert slugs == ["old-mill-reopens"]
    assert client.get("/articles/harbour-plan-approved").status_code == 404


@pytest.mark.usefixtures("harbour")
def test_only_the_parameters_a_page_takes_are_kept(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    real = views.render_template
    monkeypatch.setattr(
        views, "render_template", lambda name, **c: calls.append(name) or real(name, **c)
    )
    for url in ("/?page=1", "/?page=1", "/?utm=1", "/?utm=1", "/?page=1&page=1", "/?page=1&page=1"):
        assert client.get(url).status_code == 200
    # ?page=1 once, then replayed; any other query made each time, never kept.
    assert len(calls) == 5


def test_a_response_setting_a_cookie_is_never_kept(app: Flask) -> None:
    def remembering() -> Response:
        response = replayable("v1", lambda: Response("a page " * 100))
        response.set_cookie("seen", "yes")
        return response

    app.add_url_rule("/remembering", view_func=remembering)
    client = app.test_client()
    for _ in range(2):
        assert "seen=yes" in client.get("/remembering").headers["Set-Cookie"]
    other = app.test_client()  # a new visitor, without the cookie
    answer = other.get("/remembering", headers={"Cookie": ""})
    assert answer.headers.get("Set-Cookie") == "seen=yes; Path=/"  # made for them, by the view


def test_an_insert_statement_on_articles_bumps_the_version(app: Flask) -> None:
    with app.app_context():
        before = version(app)
        assert before is not None
        row = {
            "slug": "inserted",
            "source_name": "inserted.txt",
            "title": "Inserted",
            "text": "Inserted. Some text.",
            "parts": [],
            "content_hash": "0" * 64,
            "engine": "none",
            "loaded_at": datetime.now(UTC),
        }
        db.session.execute(insert(Article), [row])
        db.session.commit()
        assert version(app) == before + 1
