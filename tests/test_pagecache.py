"""Kept responses: replayed byte for byte while the library is unchanged, never after a
change (by this process or another), never to another host or to a signed-in reader."""

from __future__ import annotations

import gzip
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from helpers import HARBOUR_SEED
from sqlalchemy import update

from webapp import library, views
from webapp.models import Article, db
from webapp.pagecache import library_version

GZIP = {"Accept-Encoding": "gzip"}
PAGES = ["/", "/?page=1", "/articles/harbour-plan-approved", "/api/articles"]


def version(app: Flask) -> int | None:
    """Return the library's version as stored."""
    with app.app_context():
        return library_version(db.engine)


def render_forbidden(*args: object, **kwargs: object) -> str:
    raise AssertionError("a kept page was rendered again")


def test_a_new_database_starts_at_version_zero(app: Flask) -> None:
    assert version(app) == 0


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
