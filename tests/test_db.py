"""The schema and its migrations: a new database is made at the newest revision, an older
one is upgraded in place with every article kept, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import flask_migrate
import pytest
import sqlalchemy as sa
from alembic.config import Config
from alembic.script import ScriptDirectory
from flask import Flask
from helpers import HARBOUR_SEED, MILL_SEED, WriteSeed
from sqlalchemy import inspect, select, text

from webapp.db import FIRST_REVISION, MIGRATIONS
from webapp.models import NEWEST_FIRST, Article, db
from webapp.pagecache import library_version

pytestmark = pytest.mark.usefixtures("fake_engine")


def head() -> str:
    """Return the newest revision of the migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config).get_current_head() or ""


def revision(app: Flask) -> str | None:
    """Return the revision the database is stamped with."""
    with app.app_context(), db.engine.connect() as connection:
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def columns(app: Flask, table: str) -> set[str]:
    """Return the column names of a table."""
    with app.app_context():
        return {c["name"] for c in inspect(db.engine).get_columns(table)}


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Return a fresh database URL of each kind (PostgreSQL: a schema of its own)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'upgrade.sqlite'}"
    return request.getfixturevalue("postgres_url")


def test_a_new_database_is_made_at_the_newest_revision(make_app: Callable[..., Flask]) -> None:
    app = make_app()
    assert revision(app) == head()
    assert "source_dir" in columns(app, "articles")


@pytest.mark.parametrize("stamped", [True, False], ids=["previous-revision", "before-migrations"])
def test_an_older_database_is_upgraded_with_every_article(
    make_app: Callable[..., Flask],
    write_seed: WriteSeed,
    database_url: str,
    stamped: bool,
) -> None:
    """A database of the previous revision (or of the version before migrations) is
    upgraded when the server starts: no --drop, every article found and served."""
    write_seed("harbour.txt", HARBOUR_SEED)
    write_seed("mill.txt", MILL_SEED)
    app = make_app(SQLALCHEMY_DATABASE_URI=database_url)
    with app.app_context():
        slugs = sorted(db.session.execute(select(Article.slug)).scalars())
        assert len(slugs) == 2
        db.session.remove()  # end the read: PostgreSQL would make the ALTER TABLE wait
        flask_migrate.downgrade(revision=FIRST_REVISION)  # back to what the last version made
        if not stamped:
            with db.engine.begin() as connection:
                connection.execute(text("DROP TABLE alembic_version"))
        db.session.remove()
        db.engine.dispose()
    assert "source_dir" not in columns(app, "articles")

    upgraded = make_app(SQLALCHEMY_DATABASE_URI=database_url)  # the server starts again
    assert revision(upgraded) == head()
    assert "source_dir" in columns(upgraded, "articles")
    with upgraded.app_context():
        assert sorted(db.session.execute(select(Article.slug)).scalars()) == slugs
        assert library_version(db.engine) is not None  # revision 0003: what pages are kept by
        indexes = {i["name"] for i in sa.inspect(db.engine).get_indexes("articles")}
        assert NEWEST_FIRST in indexes
    client = upgraded.test_client()
    for slug in slugs:
        for _ in range(2):  # made, then replayed
            assert client.get(f"/articles/{slug}").status_code == 200
    assert sorted(a["slug"] for a in client.get("/api/articles").get_json()["articles"]) == slugs


def test_an_upgrade_keeps_the_data_of_a_file_database_unchanged(
    make_app: Callable[..., Flask], write_seed: WriteSeed, tmp_path: Path
) -> None:
    """The rows themselves are carried over, byte for byte (SQLite copies tables in batch)."""
    write_seed("harbour.txt", HARBOUR_SEED)
    url = f"sqlite:///{tmp_path / 'same.sqlite'}"
    app = make_app(SQLALCHEMY_DATABASE_URI=url)
    query = "SELECT slug, title, html_parts, revision FROM articles ORDER BY id"
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        before = connection.execute(text(query)).all()
    with app.app_context():
        flask_migrate.downgrade(revision=FIRST_REVISION)
        db.engine.dispose()
    make_app(SQLALCHEMY_DATABASE_URI=url)
    with engine.connect() as connection:
        assert connection.execute(text(query)).all() == before
    engine.dispose()


def test_the_people_totals_and_sites_are_filled_by_their_upgrade(
    make_app: Callable[..., Flask], write_seed: WriteSeed, database_url: str
) -> None:
    """Revision 0005 counts each person's quotations and articles, and each article's
    site, from the rows a database of 0004 holds."""
    write_seed("harbour.txt", HARBOUR_SEED)
    write_seed("mill.txt", MILL_SEED)
    app = make_app(SQLALCHEMY_DATABASE_URI=database_url)
    query = "SELECT name, quote_count, article_count FROM people ORDER BY name"
    with app.app_context():
        totals = db.session.execute(text(query)).all()
        assert ("Karl Olsen", 2, 2) in totals
        db.session.remove()
        flask_migrate.downgrade(revision="0004")
        db.session.remove()
        db.engine.dispose()
    assert "quote_count" not in columns(app, "people")
    upgraded = make_app(SQLALCHEMY_DATABASE_URI=database_url)
    with upgraded.app_context():
        assert db.session.execute(text(query)).all() == totals
        sites = db.session.execute(text("SELECT title, site FROM articles ORDER BY title"))
        assert sites.all() == [("Harbour plan approved", "example.com"), ("Old mill reopens", None)]
    assert upgraded.test_client().get("/?site=example.com").status_code == 200
