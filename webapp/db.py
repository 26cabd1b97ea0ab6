"""The database's schema and the start-up lock: tables, checks of old schemas, and the lock
that lets one process at a time create them and load the seeds."""

from __future__ import annotations

import fcntl
import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import flask_migrate
from flask import Flask
from flask_migrate import Migrate
from sqlalchemy import inspect, make_url, text

import webapp.search  # noqa: F401  (its DDL joins create_all)
from webapp.models import db

# The Alembic revisions of the schema, the first being the schema of Voices 0.1.
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
migrate = Migrate(directory=str(MIGRATIONS))

# Any fixed 64-bit number: the key of the PostgreSQL advisory lock held during first start.
_ADVISORY_KEY = 0x766F69636573


class DatabaseUnavailable(RuntimeError):
    """The database cannot be read or written (read-only, disk full, locked too long, gone).

    Its message is one line for an operator: which database, and the cause as the driver
    states it; never an SQL statement.
    """


def unavailable(error: BaseException) -> DatabaseUnavailable:
    """Return the one-line failure of the app's database for a driver error."""
    cause = getattr(error, "orig", None) or error
    reason = (str(cause).strip().splitlines() or [type(cause).__name__])[0]
    where = db.engine.url.render_as_string(hide_password=True)
    return DatabaseUnavailable(f"cannot use the database {where}: {reason}")


class SchemaError(RuntimeError):
    """The database has tables from an older version of Voices (missing columns)."""


# Databases made before migrations existed have the schema of the first revision.
FIRST_REVISION = "0001"


def init_db(drop: bool = False) -> None:
    """Bring the database to the newest schema, keeping every row.

    A new database gets the tables and is stamped with the newest revision; one made by an
    earlier version is upgraded revision by revision (one made before migrations is taken
    to be at the first). drop empties the database first.
    """
    if drop:
        db.drop_all()
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    tables = set(inspect(db.engine).get_table_names())
    if "articles" not in tables:
        db.create_all()
        flask_migrate.stamp(revision="head")
    else:
        if "alembic_version" not in tables:
            flask_migrate.stamp(revision=FIRST_REVISION)
        try:
            flask_migrate.upgrade(revision="head")
        except Exception:
            _check_schema()  # a schema older than the first revision explains the failure
            raise
    _check_schema()


def _check_schema() -> None:
    """Raise SchemaError naming what the database lacks, if anything."""
    problems = schema_problems()
    if problems:
        raise SchemaError(
            "the database was made by a version of Voices too old to upgrade (missing "
            + ", ".join(problems)
            + "): run `flask --app webapp init-db --drop`, then load the seeds again"
        )


def schema_problems() -> list[str]:
    """Return the tables ('people') and columns ('articles.source_name') the models need
    and the database lacks."""
    inspector = inspect(db.engine)
    tables = set(inspector.get_table_names())
    missing = []
    for table in db.metadata.sorted_tables:
        if table.name not in tables:
            missing.append(table.name)
            continue
        present = {c["name"] for c in inspector.get_columns(table.name)}
        missing += [f"{table.name}.{c.name}" for c in table.columns if c.name not in present]
    return missing


def lock_path(app: Flask) -> str:
    """Return the first-start lock file: beside a SQLite file, else in the instance folder."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        # Flask-SQLAlchemy resolves relative SQLite paths against the instance folder.
        return os.path.join(app.instance_path, f"{url.database}.init-lock")
    key = hashlib.sha256(url.render_as_string().encode()).hexdigest()[:12]
    return os.path.join(app.instance_path, f".init-{key}.lock")


@contextmanager
def init_lock(app: Flask) -> Iterator[None]:
    """Hold an exclusive file lock: one process at a time runs the first start."""
    path = lock_path(app)
    try:
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        handle = open(path, "a")  # noqa: SIM115 - closed by the with block below
    except OSError:
        app.logger.warning("cannot create %s: first start runs unlocked", path)
        yield
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def database_lock() -> Iterator[None]:
    """On PostgreSQL, also hold an advisory lock: app servers on other machines wait too."""
    if db.engine.dialect.name != "postgresql":
        yield
        return
    with db.engine.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _ADVISORY_KEY})
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _ADVISORY_KEY})
